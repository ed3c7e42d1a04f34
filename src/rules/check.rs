//! Syntax trees → checked [`RuleSet`], or located errors.
//!
//! Checked here, with "did you mean" wherever a name is misspelled: pack headers and sources;
//! citations (the clause exists and the quote is found verbatim in it); paths against the
//! project model; types and units of every expression; duplicate ids; parameters and their
//! refinements (only stricter, only by more local packs); indicators and targets; tests beside
//! rules (outcomes, fixture files, missing paths). All errors are collected, not just the first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ast::{self, Argument, BinaryOp, ExprKind, Spanned, UnaryOp};
use super::ir::*;
use crate::corpus::Corpus;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::engine::Outcome;
use crate::i18n::Text;
use crate::suggest::did_you_mean;
use crate::tr;
use crate::types::{EnumTy, RecordTy, Ty, project_type};
use crate::units::{self, Dim, Unit};

/// A parsed rule file and where it came from.
pub struct Input {
    /// The syntax tree.
    pub tree: ast::RuleFile,
    /// Embedded in the binary (fixture files are then not looked for on disk).
    pub builtin: bool,
    /// The directory test fixtures are relative to.
    pub base_dir: Option<PathBuf>,
}

/// Checks parsed rule files against the model and the corpus.
///
/// Returns the rules that checked and every diagnostic; the caller must not use the rule set
/// for checking projects when any diagnostic is an error.
pub fn check(inputs: Vec<Input>, corpus: &Corpus) -> (RuleSet, Vec<Diagnostic>) {
    let mut checker = Checker {
        corpus,
        set: RuleSet::default(),
        errors: Vec::new(),
        rule_ids: HashMap::new(),
    };
    let mut pending = Vec::new();
    for input in &inputs {
        if let Some(pack) = checker.pack(input) {
            pending.push((input, pack));
        }
    }
    // Parameters and indicators first, so rules may use those declared later or elsewhere.
    for (input, pack) in &pending {
        for item in &input.tree.items {
            match item {
                ast::Item::Param(param) => checker.param(&input.tree.file, *pack, param),
                ast::Item::Indicator(indicator) => checker.indicator(&input.tree.file, indicator),
                _ => {}
            }
        }
    }
    for (input, pack) in &pending {
        let file = &input.tree.file;
        for item in &input.tree.items {
            match item {
                ast::Item::Refine(refine) => checker.refine(file, *pack, refine),
                ast::Item::Rule(rule) => checker.rule(input, *pack, rule),
                ast::Item::Target(target) => checker.target(input, *pack, target),
                ast::Item::NotCheckable(note) => checker.not_checkable(file, *pack, note),
                ast::Item::Pack(_) | ast::Item::Param(_) | ast::Item::Indicator(_) => {}
            }
        }
    }
    (checker.set, checker.errors)
}

struct Checker<'c> {
    corpus: &'c Corpus,
    set: RuleSet,
    errors: Vec<Diagnostic>,
    /// Rule and target ids seen, with where.
    rule_ids: HashMap<String, String>,
}

/// The static type of an expression.
#[derive(Clone, Debug)]
enum Type {
    Bool,
    Num(Dim),
    Text,
    Date,
    Enum(Arc<EnumTy>),
    List(Box<Type>),
    Record(Arc<RecordTy>),
}

impl Type {
    fn of(ty: &Ty) -> Type {
        match ty {
            Ty::Bool => Type::Bool,
            Ty::Number(number) => Type::Num(number.dim()),
            Ty::Text(_) => Type::Text,
            Ty::Date => Type::Date,
            Ty::Enum(enumeration) => Type::Enum(Arc::clone(enumeration)),
            Ty::List(item) => Type::List(Box::new(Type::of(item))),
            Ty::Record(record) => Type::Record(Arc::clone(record)),
        }
    }

    fn describe(&self) -> Text {
        match self {
            Type::Bool => Text::new("条件(真/假)", "a condition (true/false)"),
            Type::Num(dim) if dim.is_none() => Text::new("纯数字", "a plain number"),
            Type::Num(dim) => {
                let kind = dim.describe();
                match units::display_unit(*dim) {
                    Some(unit) => Text::new(
                        format!("{}({})", kind.zh, unit.display.0),
                        format!("{} ({})", kind.en, unit.display.1),
                    ),
                    None => kind,
                }
            }
            Type::Text => Text::new("文本", "text"),
            Type::Date => Text::new("日期", "a date"),
            Type::Enum(enumeration) => Text::new(
                format!("`{}` 的取值", enumeration.name),
                format!("a value of `{}`", enumeration.name),
            ),
            Type::List(item) => {
                let item = item.describe();
                Text::new(
                    format!("{}的列表", item.zh),
                    format!("a list of {}", item.en),
                )
            }
            Type::Record(record) => Text::new(
                format!("映射 `{}`", record.name),
                format!("a mapping `{}`", record.name),
            ),
        }
    }

    fn same_kind(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Bool, Type::Bool) | (Type::Text, Type::Text) | (Type::Date, Type::Date) => true,
            (Type::Num(a), Type::Num(b)) => a == b,
            (Type::Enum(a), Type::Enum(b)) => Arc::ptr_eq(a, b) || a.name == b.name,
            (Type::List(a), Type::List(b)) => a.same_kind(b),
            (Type::Record(a), Type::Record(b)) => a.name == b.name,
            _ => false,
        }
    }
}

const OUTCOMES: [&str; 5] = [
    "pass",
    "fail",
    "not_applicable",
    "insufficient_evidence",
    "waived",
];

impl Checker<'_> {
    fn error(
        &mut self,
        code: &'static str,
        file: &Arc<SourceFile>,
        span: ast::Span,
        message: Text,
        label: Text,
        help: Option<Text>,
    ) {
        let mut diagnostic = Diagnostic::error(code, file, span, message, label);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.errors.push(diagnostic);
    }

    fn missing_field(
        &mut self,
        file: &Arc<SourceFile>,
        span: ast::Span,
        item: &str,
        field: &str,
        example: &str,
    ) {
        self.error(
            "rules::missing-field",
            file,
            span,
            tr!("{item} 缺少 `{field}`", "{item} has no `{field}`"),
            tr!("这里需要 `{field}`", "`{field}` is needed here"),
            Some(tr!("添加一行 `{example}`", "add a line `{example}`")),
        );
    }

    fn duplicates(&mut self, file: &Arc<SourceFile>, duplicates: &[Spanned<&'static str>]) {
        for duplicate in duplicates {
            let field = duplicate.node;
            self.error(
                "rules::duplicate-field",
                file,
                duplicate.span.clone(),
                tr!("`{field}` 只能写一次", "`{field}` may appear only once"),
                tr!("重复的 `{field}`", "second `{field}`"),
                Some(tr!(
                    "删除其中一处,或合并为一个表达式",
                    "delete one, or combine them into one expression"
                )),
            );
        }
    }

    /// Checks a file's pack header and registers the pack.
    fn pack(&mut self, input: &Input) -> Option<usize> {
        let file = &input.tree.file;
        let mut headers = input.tree.items.iter().filter_map(|item| match item {
            ast::Item::Pack(pack) => Some(pack),
            _ => None,
        });
        let Some(header) = headers.next() else {
            self.error(
                "rules::no-pack",
                file,
                0..0,
                tr!(
                    "规则文件没有 `pack` 声明",
                    "the rule file has no `pack` header"
                ),
                tr!(
                    "文件开头应声明规则包",
                    "the file should start with a pack header"
                ),
                Some(tr!(
                    "在文件开头写 `pack 包名 {{ source 来源 jurisdiction CN/… }}`",
                    "start the file with `pack name {{ source id jurisdiction CN/… }}`"
                )),
            );
            return None;
        };
        if let Some(second) = headers.next() {
            self.error(
                "rules::second-pack",
                file,
                second.span.clone(),
                tr!(
                    "一个文件只能声明一个规则包",
                    "a file declares one pack only"
                ),
                tr!("第二个 `pack`", "second `pack`"),
                Some(tr!(
                    "把第二个规则包移到单独的文件",
                    "move the second pack to a file of its own"
                )),
            );
        }
        if let Some(first) = input.tree.items.first()
            && !matches!(first, ast::Item::Pack(_))
        {
            self.error(
                "rules::pack-not-first",
                file,
                header.span.clone(),
                tr!(
                    "`pack` 声明必须是文件的第一项",
                    "the `pack` header must come first in the file"
                ),
                tr!("移到文件开头", "move this to the top"),
                None,
            );
        }
        let id = &header.id.node;
        if let Some(existing) = self.set.packs.iter().find(|pack| &pack.id == id) {
            let other = existing.file.name.clone();
            self.error(
                "rules::duplicate-pack",
                file,
                header.id.span.clone(),
                tr!(
                    "规则包 `{id}` 已在 `{other}` 中声明",
                    "pack `{id}` is already declared in `{other}`"
                ),
                tr!("重复的规则包", "duplicate pack"),
                Some(tr!(
                    "为本地规则包取一个不同的名称",
                    "give the local pack a name of its own"
                )),
            );
            return None;
        }
        let Some(source) = &header.source else {
            self.missing_field(
                file,
                header.span.clone(),
                "pack",
                "source",
                "source shanghai-2023",
            );
            return None;
        };
        let Some(jurisdiction) = &header.jurisdiction else {
            self.missing_field(
                file,
                header.span.clone(),
                "pack",
                "jurisdiction",
                "jurisdiction CN/SH",
            );
            return None;
        };
        let source_jurisdiction = match self.corpus.get(&source.node) {
            Some(registered) => Some(registered.jurisdiction.clone()),
            None => {
                self.unknown_source(file, source);
                None
            }
        };
        if let Some(registered) = source_jurisdiction
            && registered != jurisdiction.node
            && !Jurisdiction::parse(&registered).contains(&Jurisdiction::parse(&jurisdiction.node))
        {
            let (declared, source_id) = (&jurisdiction.node, &source.node);
            self.error(
                "rules::pack-jurisdiction",
                file,
                jurisdiction.span.clone(),
                tr!(
                    "规则包的适用范围 `{declared}` 不在来源 `{source_id}` 的范围 `{registered}` 之内",
                    "the pack's jurisdiction `{declared}` is outside `{registered}`, where its source `{source_id}` applies"
                ),
                tr!("与来源不一致", "does not match the source"),
                Some(tr!("写 `jurisdiction {registered}`", "write `jurisdiction {registered}`")),
            );
        }
        self.set.packs.push(Pack {
            id: id.clone(),
            source: source.node.clone(),
            jurisdiction: Jurisdiction::parse(&jurisdiction.node),
            version: header.version.as_ref().map(|version| version.node.clone()),
            file: Arc::clone(file),
            builtin: input.builtin,
            not_checkable: Vec::new(),
        });
        Some(self.set.packs.len() - 1)
    }

    fn unknown_source(&mut self, file: &Arc<SourceFile>, source: &ast::Name) {
        let id = &source.node;
        let help = match did_you_mean(id, self.corpus.sources().iter().map(|s| s.id.as_str())) {
            Some(name) => tr!("是否想写 `{name}`?", "did you mean `{name}`?"),
            None => {
                let known: Vec<String> = self
                    .corpus
                    .sources()
                    .iter()
                    .map(|s| format!("`{}`", s.id))
                    .collect();
                let known = known.join(", ");
                tr!(
                    "已登记的来源:{known};新的来源用 `--sources` 登记",
                    "registered sources: {known}; register a new one with `--sources`"
                )
            }
        };
        self.error(
            "rules::unknown-source",
            file,
            source.span.clone(),
            tr!("未登记的来源 `{id}`", "unknown source `{id}`"),
            tr!("未登记", "not registered"),
            Some(help),
        );
    }

    /// Checks a citation against the corpus.
    fn cite(&mut self, file: &Arc<SourceFile>, cite: &ast::CiteDecl) -> Option<Citation> {
        let corpus = self.corpus;
        let Some(source) = corpus.get(&cite.source.node) else {
            self.unknown_source(file, &cite.source);
            return None;
        };
        let clause_id = &cite.clause.node;
        let Some(clause) = source.clause(clause_id) else {
            let source_id = &source.id;
            let help = match source.suggest_clause(clause_id) {
                Some(name) => tr!("是否想写 `§{name}`?", "did you mean `§{name}`?"),
                None => tr!(
                    "条款编号:条目写数字(如 `§68`),标题写 `§h` 加数字,章节写 `§二.(一)`",
                    "clause ids: items by number (`§68`), headings by `§h` and number, sections as `§二.(一)`"
                ),
            };
            self.error(
                "rules::unknown-clause",
                file,
                cite.clause.span.clone(),
                tr!(
                    "`{source_id}` 中没有条款 `{clause_id}`",
                    "`{source_id}` has no clause `{clause_id}`"
                ),
                tr!("未知条款", "unknown clause"),
                Some(help),
            );
            return None;
        };
        let quote = &cite.quote.node;
        if quote.trim().is_empty() || source.locate_quote(clause, quote).is_none() {
            let (source_id, canonical) = (&source.id, &clause.id);
            let excerpt = clause_excerpt(source.own_text_of(clause));
            self.error(
                "rules::quote-not-found",
                file,
                cite.quote.span.clone(),
                tr!("引文在 `{source_id}` §{canonical} 中找不到原文", "the quote is not found verbatim in `{source_id}` §{canonical}"),
                tr!("与原文不一致", "not in the clause"),
                Some(tr!(
                    "引文必须逐字照录条款原文(只忽略空白);该条款开头为:{excerpt}",
                    "quote the clause word for word (only whitespace may differ); the clause begins: {excerpt}"
                )),
            );
            return None;
        }
        Some(Citation {
            source: source.id.clone(),
            clause: clause.id.clone(),
            quote: quote.clone(),
        })
    }

    fn quantity(
        &mut self,
        file: &Arc<SourceFile>,
        quantity: &ast::QuantityDecl,
    ) -> Option<(f64, Dim, Option<&'static Unit>)> {
        match &quantity.unit {
            None => Some((quantity.value, Dim::NONE, None)),
            Some(unit) => {
                let (dim, scale) = self.unit(file, unit)?;
                Some((quantity.value * scale, dim, units::lookup(&unit.node)))
            }
        }
    }

    fn unit(&mut self, file: &Arc<SourceFile>, unit: &Spanned<String>) -> Option<(Dim, f64)> {
        if let Some(parsed) = units::parse(&unit.node) {
            return Some(parsed);
        }
        let symbol = &unit.node;
        let help = match did_you_mean(symbol, units::symbols()) {
            Some(name) => tr!("是否想写 `{name}`?", "did you mean `{name}`?"),
            None => {
                let all: Vec<String> = units::symbols().map(|s| format!("`{s}`")).collect();
                let all = all.join(", ");
                tr!("可用的单位:{all}", "units: {all}")
            }
        };
        self.error(
            "rules::unknown-unit",
            file,
            unit.span.clone(),
            tr!("未知的单位 `{symbol}`", "unknown unit `{symbol}`"),
            tr!("未知单位", "unknown unit"),
            Some(help),
        );
        None
    }

    /// Packs on one chain of jurisdictions (one contains the other) share a parameter's name;
    /// packs for sibling places (Jilin, Rui'an) may each declare their own.
    fn on_one_chain(&self, a: usize, b: usize) -> bool {
        match (self.set.packs.get(a), self.set.packs.get(b)) {
            (Some(a), Some(b)) => {
                a.jurisdiction.contains(&b.jurisdiction) || b.jurisdiction.contains(&a.jurisdiction)
            }
            _ => false,
        }
    }

    /// The parameter `name` as seen from `pack`: the most local declaration by a pack whose
    /// jurisdiction contains the pack's own (strictly wider when `strictly_wider`).
    fn visible_param(&self, name: &str, pack: usize, strictly_wider: bool) -> Option<usize> {
        let here = self.set.packs.get(pack)?;
        self.set
            .params
            .iter()
            .enumerate()
            .filter(|(_, param)| param.name == name)
            .filter_map(|(index, param)| {
                let declaring = self.set.packs.get(param.pack)?;
                let wider = declaring.jurisdiction.depth() < here.jurisdiction.depth();
                (declaring.jurisdiction.contains(&here.jurisdiction) && (wider || !strictly_wider))
                    .then_some((index, declaring.jurisdiction.depth()))
            })
            .max_by_key(|(_, depth)| *depth)
            .map(|(index, _)| index)
    }

    fn param(&mut self, file: &Arc<SourceFile>, pack: usize, decl: &ast::ParamDecl) {
        let name = &decl.name.node;
        if let Some(existing) = self
            .set
            .params
            .iter()
            .find(|param| &param.name == name && self.on_one_chain(param.pack, pack))
        {
            let other = self
                .set
                .packs
                .get(existing.pack)
                .map(|p| p.id.clone())
                .unwrap_or_default();
            self.error(
                "rules::duplicate-param",
                file,
                decl.name.span.clone(),
                tr!(
                    "参数 `{name}` 已由规则包 `{other}` 声明",
                    "parameter `{name}` is already declared by pack `{other}`"
                ),
                tr!("重复声明", "declared again"),
                Some(tr!(
                    "更地方的规则包应使用 `refine {name}` 收紧它",
                    "a more local pack tightens it with `refine {name}`"
                )),
            );
            return;
        }
        let (Some(bound), Some(value)) = (&decl.bound, &decl.value) else {
            self.missing_field(
                file,
                decl.span.clone(),
                "param",
                "value",
                "value at_least 4.5 places/kpop",
            );
            return;
        };
        let Some(cite_decl) = &decl.cite else {
            self.missing_field(
                file,
                decl.span.clone(),
                "param",
                "cite",
                "cite jilin-2022 §5 \"…\"",
            );
            return;
        };
        let cite = self.cite(file, cite_decl);
        let quantity = self.quantity(file, value);
        let (Some(cite), Some((value_base, dim, unit))) = (cite, quantity) else {
            return;
        };
        self.set.params.push(Param {
            name: name.clone(),
            pack,
            bound: if bound.node == "at_most" {
                Bound::AtMost
            } else {
                Bound::AtLeast
            },
            value: value_base,
            dim,
            unit,
            unit_symbol: value.unit.as_ref().map(|unit| unit.node.clone()),
            cite,
            basis: decl.basis.as_ref().map(text),
            refinements: Vec::new(),
            span: decl.name.span.clone(),
        });
    }

    fn refine(&mut self, file: &Arc<SourceFile>, pack: usize, decl: &ast::ParamDecl) {
        let name = &decl.name.node;
        let index = self
            .visible_param(name, pack, true)
            .or_else(|| self.set.params.iter().position(|param| &param.name == name));
        let Some(index) = index else {
            let help = match did_you_mean(name, self.set.params.iter().map(|p| p.name.as_str())) {
                Some(found) => tr!("是否想写 `{found}`?", "did you mean `{found}`?"),
                None => tr!(
                    "只能收紧已由上级规则包声明的参数",
                    "only parameters declared by a wider pack can be refined"
                ),
            };
            self.error(
                "rules::unknown-param",
                file,
                decl.name.span.clone(),
                tr!("未知的参数 `{name}`", "unknown parameter `{name}`"),
                tr!("未声明", "not declared"),
                Some(help),
            );
            return;
        };
        let (Some(value), Some(cite_decl)) = (&decl.value, &decl.cite) else {
            self.missing_field(
                file,
                decl.span.clone(),
                "refine",
                if decl.value.is_none() {
                    "value"
                } else {
                    "cite"
                },
                "value at_least 5 places/kpop",
            );
            return;
        };
        let cite = self.cite(file, cite_decl);
        let Some((new_value, dim, _)) = self.quantity(file, value) else {
            return;
        };
        let Some(param) = self.set.params.get(index) else {
            return;
        };
        let (Some(declaring), Some(refining)) =
            (self.set.packs.get(param.pack), self.set.packs.get(pack))
        else {
            return;
        };
        let (declaring_id, declaring_jurisdiction) =
            (declaring.id.clone(), declaring.jurisdiction.clone());
        let refining_jurisdiction = refining.jurisdiction.clone();
        let (param_dim, param_bound, param_value, param_unit) =
            (param.dim, param.bound, param.value, param.unit);
        if !(declaring_jurisdiction.contains(&refining_jurisdiction)
            && refining_jurisdiction.depth() > declaring_jurisdiction.depth())
        {
            self.error(
                "rules::refine-scope",
                file,
                decl.name.span.clone(),
                tr!(
                    "只有比 `{declaring_id}`({declaring_jurisdiction})更地方的规则包才能收紧 `{name}`,本规则包适用于 `{refining_jurisdiction}`",
                    "only a pack more local than `{declaring_id}` ({declaring_jurisdiction}) may refine `{name}`; this pack applies to `{refining_jurisdiction}`"
                ),
                tr!("不能在这里收紧", "cannot be refined here"),
                None,
            );
            return;
        }
        if let Some(bound) = &decl.bound {
            let written = if bound.node == "at_most" {
                Bound::AtMost
            } else {
                Bound::AtLeast
            };
            if written != param_bound {
                let expected = if param_bound == Bound::AtLeast {
                    "at_least"
                } else {
                    "at_most"
                };
                self.error(
                    "rules::refine-bound",
                    file,
                    bound.span.clone(),
                    tr!("`{name}` 声明为 `{expected}`,收紧时不能改变方向", "`{name}` is declared `{expected}`; a refinement cannot change its direction"),
                    tr!("方向不一致", "wrong direction"),
                    Some(tr!("写 `value {expected} …`", "write `value {expected} …`")),
                );
                return;
            }
        }
        if dim != param_dim {
            let (expected, found) = (Type::Num(param_dim).describe(), Type::Num(dim).describe());
            let (expected_zh, expected_en, found_zh, found_en) =
                (&expected.zh, &expected.en, &found.zh, &found.en);
            self.error(
                "rules::unit-mismatch",
                file,
                value.span.clone(),
                tr!(
                    "`{name}` 是{expected_zh},这里是{found_zh}",
                    "`{name}` is {expected_en}, this is {found_en}"
                ),
                tr!("单位不一致", "unit mismatch"),
                None,
            );
            return;
        }
        let looser = match param_bound {
            Bound::AtLeast => new_value < param_value - 1e-12,
            Bound::AtMost => new_value > param_value + 1e-12,
        };
        if looser {
            let old = units::format_quantity(param_value, param_dim, param_unit, false);
            let new = units::format_quantity(new_value, param_dim, param_unit, false);
            let old_zh = units::format_quantity(param_value, param_dim, param_unit, true);
            let new_zh = units::format_quantity(new_value, param_dim, param_unit, true);
            let (direction_zh, direction_en) = match param_bound {
                Bound::AtLeast => ("只能提高", "may only raise it"),
                Bound::AtMost => ("只能降低", "may only lower it"),
            };
            self.error(
                "rules::refine-looser",
                file,
                value.span.clone(),
                tr!(
                    "收紧放宽了 `{name}`:`{declaring_id}` 规定 {old_zh},这里是 {new_zh}",
                    "the refinement loosens `{name}`: `{declaring_id}` sets {old}, this sets {new}"
                ),
                tr!("比上级规定更宽松", "looser than the wider pack"),
                Some(tr!(
                    "更地方的规则包{direction_zh}",
                    "a more local pack {direction_en}"
                )),
            );
            return;
        }
        if let (Some(cite), Some(param)) = (cite, self.set.params.get_mut(index)) {
            param.refinements.push(Refinement {
                pack,
                value: new_value,
                cite,
            });
        }
    }

    fn indicator(&mut self, file: &Arc<SourceFile>, decl: &ast::IndicatorDecl) {
        let (dim, scale) = match &decl.unit {
            None => (Dim::NONE, 1.0),
            Some(unit) => match self.unit(file, unit) {
                Some(parsed) => parsed,
                None => return,
            },
        };
        let id = &decl.name.node;
        if let Some(existing) = self
            .set
            .indicators
            .iter()
            .find(|indicator| &indicator.id == id)
        {
            if existing.dim != dim || (existing.scale - scale).abs() > 1e-12 {
                let unit = existing.unit.clone().unwrap_or_else(|| "none".into());
                self.error(
                    "rules::indicator-unit",
                    file,
                    decl.span.clone(),
                    tr!(
                        "指标 `{id}` 已以单位 `{unit}` 声明",
                        "indicator `{id}` is already declared with unit `{unit}`"
                    ),
                    tr!("单位不一致", "different unit"),
                    Some(tr!(
                        "同一指标在各规则包中必须使用同一单位",
                        "one indicator has one unit in every pack"
                    )),
                );
            }
            return;
        }
        self.set.indicators.push(Indicator {
            id: id.clone(),
            label: text(&decl.label),
            dim,
            scale,
            unit: decl.unit.as_ref().map(|unit| unit.node.clone()),
            display: decl
                .unit
                .as_ref()
                .and_then(|unit| units::lookup(&unit.node)),
        });
    }

    fn rule_id(&mut self, file: &Arc<SourceFile>, id: &ast::Name) -> bool {
        let (line, _) = file.line_col(id.span.start);
        let here = format!("{}:{line}", file.name);
        if let Some(first) = self.rule_ids.get(&id.node) {
            let (name, first) = (&id.node, first.clone());
            self.error(
                "rules::duplicate-id",
                file,
                id.span.clone(),
                tr!(
                    "规则编号 `{name}` 重复,首次出现在 {first}",
                    "duplicate rule id `{name}`, first defined at {first}"
                ),
                tr!("重复的编号", "duplicate id"),
                Some(tr!(
                    "每条规则和目标的编号必须唯一",
                    "every rule and target needs an id of its own"
                )),
            );
            return false;
        }
        self.rule_ids.insert(id.node.clone(), here);
        true
    }

    /// Domain, strength, citation, hint, doc and tests shared by rules and targets.
    fn common(
        &mut self,
        input: &Input,
        item_span: &ast::Span,
        id_span: ast::Span,
        common: &ast::CommonFields,
        scope: &mut Scope,
    ) -> Option<CommonChecked> {
        let file = &input.tree.file;
        self.duplicates(file, &common.duplicates);
        let domain = match &common.domain {
            None => {
                self.missing_field(file, item_span.clone(), "rule", "domain", "domain space");
                None
            }
            Some(name) => self.one_of(
                file,
                name,
                Text::new("领域", "domain"),
                Domain::ALL,
                Domain::as_str,
            ),
        };
        let strength = match &common.strength {
            None => {
                self.missing_field(
                    file,
                    item_span.clone(),
                    "rule",
                    "strength",
                    "strength shall",
                );
                None
            }
            Some(name) => self.one_of(
                file,
                name,
                Text::new("强度", "strength"),
                Strength::ALL,
                Strength::as_str,
            ),
        };
        let cite = match &common.cite {
            None => {
                self.missing_field(
                    file,
                    item_span.clone(),
                    "rule",
                    "cite",
                    "cite shanghai-2023 §68 \"…\"",
                );
                None
            }
            Some(cite) => self.cite(file, cite),
        };
        let hint = common
            .hint
            .as_ref()
            .and_then(|hint| self.template(file, hint, scope));
        let tests = self.tests(input, &common.tests);
        Some(CommonChecked {
            domain: domain?,
            strength: strength?,
            strength_reason: common.strength_reason.as_ref().map(text),
            spans: RuleSpans {
                id: id_span.clone(),
                strength: common
                    .strength
                    .as_ref()
                    .map_or(id_span.clone(), |name| name.span.clone()),
                quote: common
                    .cite
                    .as_ref()
                    .map_or(id_span, |cite| cite.quote.span.clone()),
            },
            cite: cite?,
            hint,
            doc: common.doc.as_ref().map(text),
            tests,
        })
    }

    /// The value of `all` that `name` spells, or an "unknown name" error with a suggestion.
    fn one_of<T: Copy, const N: usize>(
        &mut self,
        file: &Arc<SourceFile>,
        name: &ast::Name,
        what: Text,
        all: [T; N],
        as_str: fn(T) -> &'static str,
    ) -> Option<T> {
        let found = all.into_iter().find(|value| as_str(*value) == name.node);
        if found.is_none() {
            self.unknown_name(file, name, what, all.into_iter().map(as_str));
        }
        found
    }

    fn unknown_name<'n>(
        &mut self,
        file: &Arc<SourceFile>,
        name: &ast::Name,
        what: Text,
        allowed: impl Iterator<Item = &'n str> + Clone,
    ) {
        let (what_zh, what_en) = (&what.zh, &what.en);
        let written = &name.node;
        let help = match did_you_mean(written, allowed.clone()) {
            Some(found) => tr!("是否想写 `{found}`?", "did you mean `{found}`?"),
            None => {
                let all: Vec<String> = allowed.map(|a| format!("`{a}`")).collect();
                let all = all.join(", ");
                tr!("可选:{all}", "one of {all}")
            }
        };
        self.error(
            "rules::unknown-name",
            file,
            name.span.clone(),
            tr!(
                "未知的{what_zh} `{written}`",
                "unknown {what_en} `{written}`"
            ),
            tr!("未知", "unknown"),
            Some(help),
        );
    }

    fn tests(&mut self, input: &Input, tests: &[ast::TestDecl]) -> Vec<RuleTest> {
        let file = &input.tree.file;
        let mut checked = Vec::new();
        for test in tests {
            let outcome = match test.outcome.node.as_str() {
                "pass" => Outcome::Pass,
                "fail" => Outcome::Fail,
                "not_applicable" => Outcome::NotApplicable,
                "insufficient_evidence" => Outcome::InsufficientEvidence,
                "waived" => Outcome::Waived,
                _ => {
                    self.unknown_name(
                        file,
                        &test.outcome,
                        Text::new("测试结果", "outcome"),
                        OUTCOMES.into_iter(),
                    );
                    continue;
                }
            };
            if input.builtin
                && input.base_dir.is_none()
                && super::load::builtin_fixture(&test.file.node).is_none()
            {
                let shown = &test.file.node;
                self.error(
                    "rules::missing-fixture",
                    file,
                    test.file.span.clone(),
                    tr!(
                        "测试文件 `{shown}` 没有内置",
                        "test fixture `{shown}` is not embedded"
                    ),
                    tr!("找不到这个文件", "no such file"),
                    Some(tr!(
                        "把它放在 rules/tests/ 下并重新构建",
                        "put it under rules/tests/ and rebuild"
                    )),
                );
            }
            if let Some(base) = &input.base_dir {
                let path = base.join(&test.file.node);
                if !path.is_file() {
                    let shown = path.display().to_string();
                    self.error(
                        "rules::missing-fixture",
                        file,
                        test.file.span.clone(),
                        tr!(
                            "测试文件 `{shown}` 不存在",
                            "test fixture `{shown}` does not exist"
                        ),
                        tr!("找不到这个文件", "no such file"),
                        Some(tr!(
                            "路径相对于规则文件所在目录",
                            "the path is relative to the rule file's directory"
                        )),
                    );
                }
            }
            for missing in &test.missing {
                if let Err(message) = check_model_path(&missing.node) {
                    self.error(
                        "rules::unknown-path",
                        file,
                        missing.span.clone(),
                        message,
                        tr!("模型中没有这个路径", "not a path of the project model"),
                        None,
                    );
                }
            }
            if !test.missing.is_empty() && outcome != Outcome::InsufficientEvidence {
                self.error(
                    "rules::test-missing",
                    file,
                    test.span.clone(),
                    tr!(
                        "只有 `insufficient_evidence` 的测试才能列出缺少的字段",
                        "only `insufficient_evidence` tests list missing fields"
                    ),
                    tr!("这里", "here"),
                    None,
                );
            }
            checked.push(RuleTest {
                expect: outcome,
                file: test.file.node.clone(),
                missing: test.missing.iter().map(|path| path.node.clone()).collect(),
                span: test.span.clone(),
            });
        }
        checked
    }

    fn rule(&mut self, input: &Input, pack: usize, decl: &ast::RuleDecl) {
        let file = &input.tree.file;
        let id_ok = self.rule_id(file, &decl.id);
        let mut scope = Scope::new(pack);
        let mut lets = Vec::new();
        for (i, (name, expr)) in decl.lets.iter().enumerate() {
            // This let and those after it are not visible yet; naming one is a forward reference.
            scope.later = decl
                .lets
                .iter()
                .skip(i)
                .map(|(name, _)| (name.node.clone(), name.span.clone()))
                .collect();
            if project_type().field(&name.node).is_some() || name.node == "param" {
                let written = &name.node;
                self.error(
                    "rules::let-shadows",
                    file,
                    name.span.clone(),
                    tr!("`{written}` 是项目文件的顶层键,不能用作变量名", "`{written}` is a top-level key of the project file and cannot name a variable"),
                    tr!("换一个名称", "choose another name"),
                    None,
                );
                continue;
            }
            if let Some((checked, ty)) = self.expr(file, &mut scope, expr, None) {
                let slot = scope.bind(&name.node, ty);
                lets.push((slot, checked));
            } else {
                // Already reported: its uses are not reported again as unknown names.
                scope.failed.push(name.node.clone());
            }
        }
        scope.later.clear();
        let applies = decl
            .applies
            .as_ref()
            .and_then(|expr| self.condition(file, &mut scope, expr, "applies"));
        let unless: Vec<Expr> = decl
            .unless
            .iter()
            .filter_map(|expr| self.condition(file, &mut scope, expr, "unless"))
            .collect();
        let require: Vec<Expr> = decl
            .require
            .iter()
            .filter_map(|expr| self.condition(file, &mut scope, expr, "require"))
            .collect();
        if decl.require.is_empty() {
            self.missing_field(file, decl.span.clone(), "rule", "require", "require …");
        }
        let at = decl.at.as_ref().and_then(|expr| {
            let (checked, _) = self.expr(file, &mut scope, expr, None)?;
            if !matches!(checked, Expr::Field { .. } | Expr::Var(_) | Expr::Root) {
                self.error(
                    "rules::at-not-path",
                    file,
                    expr.span.clone(),
                    tr!(
                        "`at` 必须是项目文件中的路径",
                        "`at` must be a path into the project file"
                    ),
                    tr!("不是路径", "not a path"),
                    Some(tr!("如 `at facilities`", "for example `at facilities`")),
                );
                return None;
            }
            Some(checked)
        });
        let message = decl
            .message
            .as_ref()
            .and_then(|message| self.template(file, message, &mut scope));
        let common = self.common(
            input,
            &decl.span,
            decl.id.span.clone(),
            &decl.common,
            &mut scope,
        );
        let complete = applies.is_some() == decl.applies.is_some()
            && unless.len() == decl.unless.len()
            && require.len() == decl.require.len()
            && !require.is_empty()
            && lets.len() == decl.lets.len()
            && at.is_some() == decl.at.is_some()
            && message.is_some() == decl.message.is_some();
        let Some(common) = common else { return };
        if !(complete && id_ok) {
            return;
        }
        let source = |expr: &ast::Expr| {
            file.text
                .get(expr.span.clone())
                .unwrap_or_default()
                .to_owned()
        };
        let mut written: Vec<(&'static str, String)> = Vec::new();
        written.extend(decl.applies.iter().map(|expr| ("applies", source(expr))));
        written.extend(decl.unless.iter().map(|expr| ("unless", source(expr))));
        written.extend(
            decl.lets
                .iter()
                .map(|(name, expr)| ("let", format!("{} = {}", name.node, source(expr)))),
        );
        written.extend(decl.require.iter().map(|expr| ("require", source(expr))));
        self.set.rules.push(Rule {
            id: decl.id.node.clone(),
            pack,
            title: text(&decl.title),
            domain: common.domain,
            strength: common.strength,
            cite: common.cite,
            written,
            check: Check::Criterion(Criterion {
                applies,
                unless,
                lets,
                require,
                at,
                message,
                slots: scope.slots,
            }),
            strength_reason: common.strength_reason,
            spans: common.spans,
            hint: common.hint,
            doc: common.doc,
            tests: common.tests,
            span: decl.span.clone(),
        });
    }

    fn target(&mut self, input: &Input, pack: usize, decl: &ast::TargetDecl) {
        let file = &input.tree.file;
        let id_ok = self.rule_id(file, &decl.id);
        let mut scope = Scope::new(pack);
        let applies = decl
            .applies
            .as_ref()
            .map(|expr| self.condition(file, &mut scope, expr, "applies"));
        let indicator = match &decl.indicator {
            None => {
                self.missing_field(
                    file,
                    decl.span.clone(),
                    "target",
                    "indicator",
                    "indicator childcare_places_per_1000",
                );
                None
            }
            Some(name) => {
                let found = self
                    .set
                    .indicators
                    .iter()
                    .position(|indicator| indicator.id == name.node);
                if found.is_none() {
                    let known: Vec<String> =
                        self.set.indicators.iter().map(|i| i.id.clone()).collect();
                    self.unknown_name(
                        file,
                        name,
                        Text::new("指标", "indicator"),
                        known.iter().map(String::as_str),
                    );
                }
                found
            }
        };
        let threshold = match &decl.threshold {
            None => {
                self.missing_field(
                    file,
                    decl.span.clone(),
                    "target",
                    "threshold",
                    "threshold at_least 4.5 places/kpop",
                );
                None
            }
            Some((comparator, quantity)) => {
                let comparator = match comparator.node.as_str() {
                    "above" => Comparator::Above,
                    "at_most" => Comparator::AtMost,
                    "below" => Comparator::Below,
                    _ => Comparator::AtLeast,
                };
                self.quantity(file, quantity)
                    .map(|(value, dim, _)| (comparator, value, dim, quantity.span.clone()))
            }
        };
        if decl.year.is_none() {
            self.missing_field(file, decl.span.clone(), "target", "year", "year 2025");
        }
        let common = self.common(
            input,
            &decl.span,
            decl.id.span.clone(),
            &decl.common,
            &mut scope,
        );
        let (Some(indicator), Some((comparator, threshold, dim, span)), Some(year), Some(common)) =
            (indicator, threshold, &decl.year, common)
        else {
            return;
        };
        let Some(declared) = self.set.indicators.get(indicator) else {
            return;
        };
        if declared.dim != dim {
            let (expected, found) = (
                Type::Num(declared.dim).describe(),
                Type::Num(dim).describe(),
            );
            let (expected_zh, expected_en, found_zh, found_en) =
                (&expected.zh, &expected.en, &found.zh, &found.en);
            let id = declared.id.clone();
            self.error(
                "rules::unit-mismatch",
                file,
                span,
                tr!(
                    "指标 `{id}` 是{expected_zh},这里是{found_zh}",
                    "indicator `{id}` is {expected_en}, this is {found_en}"
                ),
                tr!("单位不一致", "unit mismatch"),
                None,
            );
            return;
        }
        if !id_ok || applies.as_ref().is_some_and(Option::is_none) {
            return;
        }
        self.set.rules.push(Rule {
            id: decl.id.node.clone(),
            pack,
            title: text(&decl.title),
            domain: common.domain,
            strength: common.strength,
            cite: common.cite,
            written: decl
                .applies
                .iter()
                .map(|expr| {
                    (
                        "applies",
                        file.text
                            .get(expr.span.clone())
                            .unwrap_or_default()
                            .to_owned(),
                    )
                })
                .chain([(
                    "threshold",
                    file.text
                        .get(
                            decl.threshold
                                .as_ref()
                                .map_or(0..0, |(c, q)| c.span.start..q.span.end),
                        )
                        .unwrap_or_default()
                        .to_owned(),
                )])
                .collect(),
            check: Check::Target(TargetCheck {
                indicator,
                comparator,
                threshold,
                year: year.node,
                applies: applies.flatten(),
                slots: scope.slots,
            }),
            strength_reason: common.strength_reason,
            spans: common.spans,
            hint: common.hint,
            doc: common.doc,
            tests: common.tests,
            span: decl.span.clone(),
        });
    }

    fn not_checkable(&mut self, file: &Arc<SourceFile>, pack: usize, decl: &ast::NotCheckableDecl) {
        let Some(source_id) = self.set.packs.get(pack).map(|p| p.source.clone()) else {
            return;
        };
        let corpus = self.corpus;
        let Some(source) = corpus.get(&source_id) else {
            return;
        };
        for clause in &decl.clauses {
            match source.clause(&clause.node) {
                Some(found) => {
                    if let Some(pack) = self.set.packs.get_mut(pack) {
                        pack.not_checkable.push(NotCheckable {
                            clause: found.id.clone(),
                            reason: text(&decl.reason),
                        });
                    }
                }
                None => {
                    let written = &clause.node;
                    let help = match source.suggest_clause(written) {
                        Some(name) => tr!("是否想写 `§{name}`?", "did you mean `§{name}`?"),
                        None => tr!("检查条款编号", "check the clause id"),
                    };
                    self.error(
                        "rules::unknown-clause",
                        file,
                        clause.span.clone(),
                        tr!(
                            "`{source_id}` 中没有条款 `{written}`",
                            "`{source_id}` has no clause `{written}`"
                        ),
                        tr!("未知条款", "unknown clause"),
                        Some(help),
                    );
                }
            }
        }
    }

    fn template(
        &mut self,
        file: &Arc<SourceFile>,
        decl: &ast::TextDecl,
        scope: &mut Scope,
    ) -> Option<Template> {
        let zh = self.template_parts(file, &decl.zh, scope)?;
        let en = match &decl.en {
            Some(en) => Some(self.template_parts(file, en, scope)?),
            None => None,
        };
        Some(Template { zh, en })
    }

    /// Splits `text {expr} text` into parts. The span is the string's content in the file, so
    /// expression offsets are the raw text's; escapes are rare in messages and handled here.
    fn template_parts(
        &mut self,
        file: &Arc<SourceFile>,
        text: &Spanned<String>,
        scope: &mut Scope,
    ) -> Option<Vec<Part>> {
        let raw = file.text.get(text.span.clone()).unwrap_or_default();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut ok = true;
        let mut rest = raw.char_indices().peekable();
        while let Some((i, c)) = rest.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = rest.next() {
                        literal.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                '{' if rest.peek().is_some_and(|(_, next)| *next == '{') => {
                    rest.next();
                    literal.push('{');
                }
                '}' if rest.peek().is_some_and(|(_, next)| *next == '}') => {
                    rest.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(close) = raw.get(i + 1..).and_then(|after| after.find('}')) else {
                        let at = text.span.start + i;
                        self.error(
                            "rules::template",
                            file,
                            at..at + 1,
                            tr!("`{{` 没有对应的 `}}`", "`{{` has no matching `}}`"),
                            tr!(
                                "从这里开始的插值没有结束",
                                "this interpolation is never closed"
                            ),
                            Some(tr!(
                                "要写字面的花括号,请写 `{{{{`",
                                "write `{{{{` for a literal brace"
                            )),
                        );
                        return None;
                    };
                    let source = raw.get(i + 1..i + 1 + close).unwrap_or_default();
                    let base = text.span.start + i + 1;
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    match super::parse::parse_template_expr(file, base, source) {
                        Ok(expr) => match self.expr(file, scope, &expr, None) {
                            Some((checked, _)) => parts.push(Part::Expr(checked)),
                            None => ok = false,
                        },
                        Err(error) => {
                            self.errors.push(error);
                            ok = false;
                        }
                    }
                    for _ in 0..source.chars().count() + 1 {
                        rest.next();
                    }
                }
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        ok.then_some(parts)
    }

    fn condition(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        expr: &ast::Expr,
        field: &str,
    ) -> Option<Expr> {
        let (checked, ty) = self.expr(file, scope, expr, Some(&Type::Bool))?;
        if !matches!(ty, Type::Bool) {
            let found = ty.describe();
            let (found_zh, found_en) = (&found.zh, &found.en);
            self.error(
                "rules::type",
                file,
                expr.span.clone(),
                tr!(
                    "`{field}` 需要条件(真/假),这里是{found_zh}",
                    "`{field}` needs a condition (true/false), found {found_en}"
                ),
                tr!("不是条件", "not a condition"),
                Some(tr!(
                    "与某个值比较,如 `… >= 1`",
                    "compare it with something, e.g. `… >= 1`"
                )),
            );
            return None;
        }
        Some(checked)
    }

    fn type_error(
        &mut self,
        file: &Arc<SourceFile>,
        span: ast::Span,
        message: Text,
        help: Option<Text>,
    ) {
        self.error(
            "rules::type",
            file,
            span,
            message,
            tr!("类型不符", "wrong type"),
            help,
        );
    }

    /// Type-checks an expression. `expected` lets a bare name stand for an enum value.
    fn expr(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        expr: &ast::Expr,
        expected: Option<&Type>,
    ) -> Option<(Expr, Type)> {
        match &expr.kind {
            ExprKind::Number(value, unit) => {
                let (value, dim, unit) = match unit {
                    None => (*value, Dim::NONE, None),
                    Some(unit) => {
                        let (dim, scale) = self.unit(file, unit)?;
                        (*value * scale, dim, units::lookup(&unit.node))
                    }
                };
                Some((Expr::Const(Const::Num(value, dim, unit)), Type::Num(dim)))
            }
            ExprKind::Text(text) => Some((Expr::Const(Const::Text(text.clone())), Type::Text)),
            ExprKind::Bool(value) => Some((Expr::Const(Const::Bool(*value)), Type::Bool)),
            ExprKind::Date(text) => match Date::parse(text) {
                Ok(date) => Some((Expr::Const(Const::Date(date)), Type::Date)),
                Err(error) => {
                    self.error(
                        "rules::date",
                        file,
                        expr.span.clone(),
                        tr!(
                            "`{text}` 不是有效日期:{error}",
                            "`{text}` is not a valid date: {error}"
                        ),
                        tr!("无效日期", "invalid date"),
                        None,
                    );
                    None
                }
            },
            ExprKind::List(items) => {
                let item_expected = match expected {
                    Some(Type::List(item)) => Some(item.as_ref().clone()),
                    _ => None,
                };
                let mut checked = Vec::new();
                let mut item_ty: Option<Type> = item_expected.clone();
                for item in items {
                    let (value, ty) = self.expr(file, scope, item, item_ty.as_ref())?;
                    if let Some(previous) = &item_ty
                        && !previous.same_kind(&ty)
                    {
                        let (a, b) = (previous.describe(), ty.describe());
                        let (a_zh, a_en, b_zh, b_en) = (&a.zh, &a.en, &b.zh, &b.en);
                        self.type_error(
                            file,
                            item.span.clone(),
                            tr!(
                                "列表中混合了{a_zh}和{b_zh}",
                                "the list mixes {a_en} and {b_en}"
                            ),
                            None,
                        );
                        return None;
                    }
                    item_ty = Some(ty);
                    checked.push(value);
                }
                let item_ty = item_ty.unwrap_or(Type::Text);
                Some((Expr::List(checked), Type::List(Box::new(item_ty))))
            }
            ExprKind::Path(segments) => self.path(file, scope, segments, expected),
            ExprKind::Unary(UnaryOp::Not, operand) => {
                let (value, ty) = self.expr(file, scope, operand, Some(&Type::Bool))?;
                if !matches!(ty, Type::Bool) {
                    let found = ty.describe();
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    self.type_error(
                        file,
                        operand.span.clone(),
                        tr!(
                            "`not` 需要条件,这里是{found_zh}",
                            "`not` needs a condition, found {found_en}"
                        ),
                        None,
                    );
                    return None;
                }
                Some((Expr::Not(Box::new(value)), Type::Bool))
            }
            ExprKind::Unary(UnaryOp::Neg, operand) => {
                let (value, ty) = self.expr(file, scope, operand, None)?;
                if !matches!(ty, Type::Num(_)) {
                    self.type_error(
                        file,
                        operand.span.clone(),
                        tr!("`-` 需要数字", "`-` needs a number"),
                        None,
                    );
                    return None;
                }
                Some((Expr::Neg(Box::new(value)), ty))
            }
            ExprKind::Binary(op, left, right) => self.binary(file, scope, *op, left, right, expr),
            ExprKind::Call(name, arguments) => self.call(file, scope, name, arguments, expr),
        }
    }

    fn binary(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        op: BinaryOp,
        left: &ast::Expr,
        right: &ast::Expr,
        whole: &ast::Expr,
    ) -> Option<(Expr, Type)> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let left_checked = self.condition(file, scope, left, op.symbol());
                let right_checked = self.condition(file, scope, right, op.symbol());
                let (left, right) = (Box::new(left_checked?), Box::new(right_checked?));
                let value = if op == BinaryOp::And {
                    Expr::And(left, right)
                } else {
                    Expr::Or(left, right)
                };
                Some((value, Type::Bool))
            }
            BinaryOp::In | BinaryOp::NotIn => {
                // `name in list`: a bare name is read as a value of the list's enum.
                let ((value, value_ty), (list, list_ty)) =
                    if bare_name(left).is_some() && bare_name(right).is_none() {
                        let (list, list_ty) = self.expr(file, scope, right, None)?;
                        let item = match &list_ty {
                            Type::List(item) => Some(item.as_ref().clone()),
                            _ => None,
                        };
                        (
                            self.expr(file, scope, left, item.as_ref())?,
                            (list, list_ty),
                        )
                    } else {
                        let (value, value_ty) = self.expr(file, scope, left, None)?;
                        let expected = Type::List(Box::new(value_ty.clone()));
                        (
                            (value, value_ty),
                            self.expr(file, scope, right, Some(&expected))?,
                        )
                    };
                let Type::List(item_ty) = &list_ty else {
                    let found = list_ty.describe();
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    self.type_error(
                        file,
                        right.span.clone(),
                        tr!(
                            "`in` 的右边需要列表,这里是{found_zh}",
                            "the right of `in` must be a list, found {found_en}"
                        ),
                        None,
                    );
                    return None;
                };
                if !item_ty.same_kind(&value_ty) {
                    self.mismatch(file, whole, left, &value_ty, right, item_ty);
                    return None;
                }
                Some((
                    Expr::In {
                        value: Box::new(value),
                        list: Box::new(list),
                        negated: op == BinaryOp::NotIn,
                    },
                    Type::Bool,
                ))
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Ge
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Lt => {
                // A bare name on one side is read as a value of the other side's enum.
                let ((left_value, left_ty), (right_value, right_ty)) =
                    if bare_name(left).is_some() && bare_name(right).is_none() {
                        let right_checked = self.expr(file, scope, right, None)?;
                        let left_checked = self.expr(file, scope, left, Some(&right_checked.1))?;
                        (left_checked, right_checked)
                    } else {
                        let left_checked = self.expr(file, scope, left, None)?;
                        let right_checked = self.expr(file, scope, right, Some(&left_checked.1))?;
                        (left_checked, right_checked)
                    };
                if !left_ty.same_kind(&right_ty) {
                    self.mismatch(file, whole, left, &left_ty, right, &right_ty);
                    return None;
                }
                let ordering = matches!(
                    op,
                    BinaryOp::Ge | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Lt
                );
                let allowed = match &left_ty {
                    Type::Num(_) | Type::Date => true,
                    Type::Bool | Type::Text | Type::Enum(_) => !ordering,
                    Type::List(_) | Type::Record(_) => false,
                };
                if !allowed {
                    let found = left_ty.describe();
                    let (found_zh, found_en, symbol) = (&found.zh, &found.en, op.symbol());
                    self.type_error(
                        file,
                        whole.span.clone(),
                        tr!(
                            "{found_zh}不能用 `{symbol}` 比较",
                            "{found_en} cannot be compared with `{symbol}`"
                        ),
                        None,
                    );
                    return None;
                }
                let op = match op {
                    BinaryOp::Eq => CompareOp::Eq,
                    BinaryOp::Ne => CompareOp::Ne,
                    BinaryOp::Ge => CompareOp::Ge,
                    BinaryOp::Le => CompareOp::Le,
                    BinaryOp::Gt => CompareOp::Gt,
                    _ => CompareOp::Lt,
                };
                Some((
                    Expr::Compare(op, Box::new(left_value), Box::new(right_value)),
                    Type::Bool,
                ))
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let left_checked = self.expr(file, scope, left, None);
                let right_checked = self.expr(file, scope, right, None);
                let ((left_value, left_ty), (right_value, right_ty)) =
                    (left_checked?, right_checked?);
                let arith = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let time = units::parse("d").map_or(Dim::NONE, |(dim, _)| dim);
                let result = match (&left_ty, &right_ty, arith) {
                    (Type::Num(a), Type::Num(b), ArithOp::Add | ArithOp::Sub) if a == b => {
                        Some(Type::Num(*a))
                    }
                    (Type::Num(a), Type::Num(b), ArithOp::Mul) => Some(Type::Num(*a * *b)),
                    (Type::Num(a), Type::Num(b), ArithOp::Div) => Some(Type::Num(*a / *b)),
                    (Type::Date, Type::Date, ArithOp::Sub) => Some(Type::Num(time)),
                    (Type::Date, Type::Num(d), ArithOp::Add | ArithOp::Sub) if *d == time => {
                        Some(Type::Date)
                    }
                    _ => None,
                };
                let Some(result) = result else {
                    self.mismatch(file, whole, left, &left_ty, right, &right_ty);
                    return None;
                };
                Some((
                    Expr::Arith(arith, Box::new(left_value), Box::new(right_value)),
                    result,
                ))
            }
        }
    }

    fn mismatch(
        &mut self,
        file: &Arc<SourceFile>,
        whole: &ast::Expr,
        left: &ast::Expr,
        left_ty: &Type,
        right: &ast::Expr,
        right_ty: &Type,
    ) {
        let (a, b) = (left_ty.describe(), right_ty.describe());
        let left_text = file
            .text
            .get(left.span.clone())
            .unwrap_or_default()
            .to_owned();
        let right_text = file
            .text
            .get(right.span.clone())
            .unwrap_or_default()
            .to_owned();
        let (a_zh, a_en, b_zh, b_en) = (&a.zh, &a.en, &b.zh, &b.en);
        let units_mismatch = matches!((left_ty, right_ty), (Type::Num(_), Type::Num(_)));
        let help = match (left_ty, right_ty) {
            (Type::Num(dim), Type::Num(other))
                if other.is_none()
                    && !dim.is_none()
                    && matches!(right.kind, ExprKind::Number(_, None)) =>
            {
                units::display_unit(*dim).map(|unit| {
                    let symbol = unit.symbol;
                    tr!(
                        "给数字加上单位,如 `{right_text} {symbol}`",
                        "give the number a unit, e.g. `{right_text} {symbol}`"
                    )
                })
            }
            (Type::Num(other), Type::Num(dim))
                if other.is_none()
                    && !dim.is_none()
                    && matches!(left.kind, ExprKind::Number(_, None)) =>
            {
                units::display_unit(*dim).map(|unit| {
                    let symbol = unit.symbol;
                    tr!(
                        "给数字加上单位,如 `{left_text} {symbol}`",
                        "give the number a unit, e.g. `{left_text} {symbol}`"
                    )
                })
            }
            _ => None,
        };
        let (code, message) = if units_mismatch {
            (
                "rules::unit-mismatch",
                tr!(
                    "单位不一致:`{left_text}` 是{a_zh},`{right_text}` 是{b_zh}",
                    "unit mismatch: `{left_text}` is {a_en}, `{right_text}` is {b_en}"
                ),
            )
        } else {
            (
                "rules::type",
                tr!(
                    "类型不一致:`{left_text}` 是{a_zh},`{right_text}` 是{b_zh}",
                    "type mismatch: `{left_text}` is {a_en}, `{right_text}` is {b_en}"
                ),
            )
        };
        let mut diagnostic = Diagnostic::error(
            code,
            file,
            whole.span.clone(),
            message,
            tr!("两边不能比较或运算", "these two sides do not fit"),
        )
        .with_label(right.span.clone(), b);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.errors.push(diagnostic);
    }

    fn path(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        segments: &[ast::Name],
        expected: Option<&Type>,
    ) -> Option<(Expr, Type)> {
        let first = segments.first()?;
        let (mut value, mut ty) = if let Some((slot, ty)) = scope.lookup(&first.node) {
            (Expr::Var(slot), ty)
        } else if first.node == "param" {
            return self.param_ref(file, scope, segments);
        } else if let (Some(Type::Enum(enumeration)), [single]) = (expected, segments)
            && let Some(index) = enumeration.index_of(&single.node)
        {
            return Some((
                Expr::Const(Const::Enum(Arc::clone(enumeration), index)),
                Type::Enum(Arc::clone(enumeration)),
            ));
        } else if let Some((index, field)) = project_type().field(&first.node) {
            (
                Expr::Field {
                    base: Box::new(Expr::Root),
                    index,
                    record: Arc::clone(project_type()),
                },
                Type::of(&field.ty),
            )
        } else if scope.failed.contains(&first.node) {
            return None;
        } else if let Some((_, defined)) = scope.later.iter().find(|(name, _)| *name == first.node)
        {
            let name = &first.node;
            let diagnostic = Diagnostic::error(
                "rules::let-order",
                file,
                first.span.clone(),
                tr!(
                    "`{name}` 在定义之前就被使用",
                    "`{name}` is used before its `let`"
                ),
                tr!("这里还不能使用", "not defined yet here"),
            )
            .with_label(defined.clone(), tr!("在这里定义", "defined here"))
            .with_help(tr!(
                "`let` 只能使用写在它上面的名称;调整顺序,且不能互相引用",
                "a `let` may only use names defined above it: reorder them, and do not let them refer to each other"
            ));
            self.errors.push(diagnostic);
            return None;
        } else {
            let name = &first.node;
            let mut candidates: Vec<&str> = project_type().names().collect();
            candidates.extend(scope.names());
            if let Some(Type::Enum(enumeration)) = expected {
                candidates.extend(
                    enumeration
                        .variants
                        .iter()
                        .map(|variant| variant.name.as_str()),
                );
            }
            let help = match did_you_mean(name, candidates.iter().copied()) {
                Some(found) => tr!("是否想写 `{found}`?", "did you mean `{found}`?"),
                None => match expected {
                    Some(Type::Enum(enumeration)) => {
                        let values: Vec<String> = enumeration
                            .variants
                            .iter()
                            .map(|v| format!("`{}`", v.name))
                            .collect();
                        let values = values.join(", ");
                        tr!("可用的取值:{values}", "allowed values: {values}")
                    }
                    _ => tr!(
                        "路径从项目文件的顶层键开始,如 `site.area_m2`",
                        "paths start at a top-level key of the project file, e.g. `site.area_m2`"
                    ),
                },
            };
            let (message, label) = match (expected, segments.len()) {
                (Some(Type::Enum(enumeration)), 1) => {
                    let enum_name = &enumeration.name;
                    (
                        tr!(
                            "`{name}` 不是 `{enum_name}` 的取值",
                            "`{name}` is not a value of `{enum_name}`"
                        ),
                        tr!("未知取值", "unknown value"),
                    )
                }
                _ => (
                    tr!("未知的名称 `{name}`", "unknown name `{name}`"),
                    tr!(
                        "项目模型和规则中都没有这个名称",
                        "not in the project model or the rule"
                    ),
                ),
            };
            self.error(
                "rules::unknown-path",
                file,
                first.span.clone(),
                message,
                label,
                Some(help),
            );
            return None;
        };
        for segment in segments.iter().skip(1) {
            let Type::Record(record) = &ty else {
                let so_far = file
                    .text
                    .get(first.span.start..segment.span.start.saturating_sub(1))
                    .unwrap_or_default()
                    .to_owned();
                let (help_zh, help_en) = if matches!(ty, Type::List(_)) {
                    (
                        "这是一个列表;用 any、all、count、sum 或 filter 处理其中各项",
                        "it is a list: use any, all, count, sum or filter over its items",
                    )
                } else {
                    ("它没有下级字段", "it has no fields")
                };
                self.error(
                    "rules::unknown-path",
                    file,
                    segment.span.clone(),
                    tr!("`{so_far}` 没有字段", "`{so_far}` has no fields"),
                    tr!("不能在这里取字段", "no field can be taken here"),
                    Some(tr!("{help_zh}", "{help_en}")),
                );
                return None;
            };
            let Some((index, field)) = record.field(&segment.node) else {
                let path = file
                    .text
                    .get(first.span.start..segment.span.end)
                    .unwrap_or_default()
                    .to_owned();
                let record_name = record.name.clone();
                let help = match did_you_mean(&segment.node, record.names()) {
                    Some(found) => {
                        let prefix = file
                            .text
                            .get(first.span.start..segment.span.start)
                            .unwrap_or_default();
                        tr!(
                            "是否想写 `{prefix}{found}`?",
                            "did you mean `{prefix}{found}`?"
                        )
                    }
                    None => {
                        let names: Vec<String> = record.names().map(|n| format!("`{n}`")).collect();
                        let names = names.join(", ");
                        tr!(
                            "`{record_name}` 的字段:{names}",
                            "fields of `{record_name}`: {names}"
                        )
                    }
                };
                self.error(
                    "rules::unknown-path",
                    file,
                    first.span.start..segment.span.end,
                    tr!(
                        "项目模型中没有 `{path}`",
                        "`{path}` is not in the project model"
                    ),
                    tr!("未知路径", "unknown path"),
                    Some(help),
                );
                return None;
            };
            let next_ty = Type::of(&field.ty);
            value = Expr::Field {
                base: Box::new(value),
                index,
                record: Arc::clone(record),
            };
            ty = next_ty;
        }
        Some((value, ty))
    }

    fn param_ref(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &Scope,
        segments: &[ast::Name],
    ) -> Option<(Expr, Type)> {
        let (Some(name), 2) = (segments.get(1), segments.len()) else {
            let span = segments.first().map(|s| s.span.clone()).unwrap_or_default();
            self.error(
                "rules::unknown-param",
                file,
                span,
                tr!(
                    "`param` 后应跟参数名",
                    "`param` must be followed by a parameter name"
                ),
                tr!(
                    "如 `param.childcare_places_per_1000`",
                    "e.g. `param.childcare_places_per_1000`"
                ),
                None,
            );
            return None;
        };
        let index = self
            .visible_param(&name.node, scope.pack, false)
            .or_else(|| {
                self.set
                    .params
                    .iter()
                    .position(|param| param.name == name.node)
            });
        let Some(index) = index else {
            let written = &name.node;
            let help = match did_you_mean(written, self.set.params.iter().map(|p| p.name.as_str()))
            {
                Some(found) => tr!("是否想写 `param.{found}`?", "did you mean `param.{found}`?"),
                None => tr!(
                    "用 `param {written} {{ … }}` 声明它",
                    "declare it with `param {written} {{ … }}`"
                ),
            };
            self.error(
                "rules::unknown-param",
                file,
                name.span.clone(),
                tr!("未知的参数 `{written}`", "unknown parameter `{written}`"),
                tr!("未声明", "not declared"),
                Some(help),
            );
            return None;
        };
        let param = self.set.params.get(index)?;
        let (declaring, using) = (
            self.set.packs.get(param.pack)?,
            self.set.packs.get(scope.pack)?,
        );
        if !declaring.jurisdiction.contains(&using.jurisdiction) {
            let (written, declaring_id, declaring_jurisdiction, using_jurisdiction) = (
                &name.node,
                declaring.id.clone(),
                declaring.jurisdiction.to_string(),
                using.jurisdiction.to_string(),
            );
            self.error(
                "rules::param-scope",
                file,
                name.span.clone(),
                tr!(
                    "参数 `{written}` 由 `{declaring_id}`({declaring_jurisdiction})声明,不适用于 `{using_jurisdiction}`",
                    "parameter `{written}` is declared by `{declaring_id}` ({declaring_jurisdiction}), which does not apply in `{using_jurisdiction}`"
                ),
                tr!("范围不符", "out of scope"),
                Some(tr!("在本规则包中声明所需的参数", "declare the parameter in this pack")),
            );
            return None;
        }
        Some((Expr::Param(index), Type::Num(param.dim)))
    }

    fn call(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        name: &ast::Name,
        arguments: &[Argument],
        whole: &ast::Expr,
    ) -> Option<(Expr, Type)> {
        let function = name.node.as_str();
        let aggregate = match function {
            "any" => Some(AggregateOp::Any),
            "all" => Some(AggregateOp::All),
            "count" => Some(AggregateOp::Count),
            "sum" => Some(AggregateOp::Sum),
            "filter" => Some(AggregateOp::Filter),
            "min" | "max"
                if matches!(arguments.get(1), Some(Argument::Lambda(..)))
                    || arguments.len() == 1 =>
            {
                Some(if function == "min" {
                    AggregateOp::Min
                } else {
                    AggregateOp::Max
                })
            }
            _ => None,
        };
        if let Some(op) = aggregate {
            return self.aggregate(file, scope, op, name, arguments, whole);
        }
        let expected_count = match function {
            "ceil" | "floor" | "round" | "year" | "present" => 1,
            "contains" | "min" | "max" => 2,
            _ => {
                let written = function;
                let all = [
                    "any", "all", "count", "sum", "min", "max", "filter", "present", "ceil",
                    "floor", "round", "contains", "year",
                ];
                let help = match did_you_mean(written, all) {
                    Some(found) => tr!("是否想写 `{found}`?", "did you mean `{found}`?"),
                    None => {
                        let all = all.join(", ");
                        tr!("可用的函数:{all}", "functions: {all}")
                    }
                };
                self.error(
                    "rules::unknown-function",
                    file,
                    name.span.clone(),
                    tr!("未知的函数 `{written}`", "unknown function `{written}`"),
                    tr!("未知函数", "unknown function"),
                    Some(help),
                );
                return None;
            }
        };
        let mut values = Vec::new();
        for argument in arguments {
            match argument {
                Argument::Expr(expr) => {
                    values.push((self.expr(file, scope, expr, None)?, expr.span.clone()))
                }
                Argument::Lambda(variable, _) => {
                    self.error(
                        "rules::lambda",
                        file,
                        variable.span.clone(),
                        tr!(
                            "`{function}` 不接受 `x => …` 形式的参数",
                            "`{function}` takes no `x => …` argument"
                        ),
                        tr!("这里不能用 lambda", "no lambda here"),
                        None,
                    );
                    return None;
                }
            }
        }
        if values.len() != expected_count {
            let given = values.len();
            self.error(
                "rules::arity",
                file,
                whole.span.clone(),
                tr!(
                    "`{function}` 需要 {expected_count} 个参数,这里有 {given} 个",
                    "`{function}` takes {expected_count} argument(s), {given} given"
                ),
                tr!("参数个数不对", "wrong number of arguments"),
                None,
            );
            return None;
        }
        let mut iter = values.into_iter();
        let ((first, first_ty), first_span) = iter.next()?;
        let second = iter.next();
        let wrong = |checker: &mut Self, span: ast::Span, needed: Text, found: &Type| {
            let found = found.describe();
            let (needed_zh, needed_en, found_zh, found_en) =
                (&needed.zh, &needed.en, &found.zh, &found.en);
            checker.type_error(
                file,
                span,
                tr!(
                    "`{function}` 需要{needed_zh},这里是{found_zh}",
                    "`{function}` needs {needed_en}, found {found_en}"
                ),
                None,
            );
        };
        match function {
            "present" => {
                if !matches!(first, Expr::Field { .. }) {
                    self.type_error(
                        file,
                        first_span,
                        tr!(
                            "`present` 需要项目文件中的路径",
                            "`present` needs a path into the project file"
                        ),
                        None,
                    );
                    return None;
                }
                Some((Expr::Present(Box::new(first)), Type::Bool))
            }
            "ceil" | "floor" | "round" => {
                if !matches!(first_ty, Type::Num(_)) {
                    wrong(self, first_span, Text::new("数字", "a number"), &first_ty);
                    return None;
                }
                let f = match function {
                    "ceil" => Function::Ceil,
                    "floor" => Function::Floor,
                    _ => Function::Round,
                };
                Some((Expr::Call(f, vec![first]), first_ty))
            }
            "year" => {
                if !matches!(first_ty, Type::Date) {
                    wrong(self, first_span, Text::new("日期", "a date"), &first_ty);
                    return None;
                }
                Some((
                    Expr::Call(Function::Year, vec![first]),
                    Type::Num(Dim::NONE),
                ))
            }
            "contains" => {
                let ((second, second_ty), second_span) = second?;
                if !matches!(first_ty, Type::Text) {
                    wrong(self, first_span, Text::new("文本", "text"), &first_ty);
                    return None;
                }
                if !matches!(second_ty, Type::Text) {
                    wrong(self, second_span, Text::new("文本", "text"), &second_ty);
                    return None;
                }
                Some((
                    Expr::Call(Function::Contains, vec![first, second]),
                    Type::Bool,
                ))
            }
            _ => {
                let ((second, second_ty), second_span) = second?;
                match (&first_ty, &second_ty) {
                    (Type::Num(a), Type::Num(b)) if a == b => {
                        let f = if function == "min" {
                            Function::Min2
                        } else {
                            Function::Max2
                        };
                        Some((Expr::Call(f, vec![first, second]), first_ty))
                    }
                    _ => {
                        wrong(self, second_span, first_ty.describe(), &second_ty);
                        None
                    }
                }
            }
        }
    }

    fn aggregate(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        op: AggregateOp,
        name: &ast::Name,
        arguments: &[Argument],
        whole: &ast::Expr,
    ) -> Option<(Expr, Type)> {
        let function = &name.node;
        let needs_lambda = !matches!(op, AggregateOp::Count);
        let (list_arg, lambda) = match arguments {
            [Argument::Expr(list)] if !needs_lambda => (list, None),
            [Argument::Expr(list), Argument::Lambda(variable, body)] => {
                (list, Some((variable, body)))
            }
            _ => {
                let form = if needs_lambda {
                    format!("{function}(list, x => …)")
                } else {
                    format!("{function}(list) or {function}(list, x => …)")
                };
                self.error(
                    "rules::arity",
                    file,
                    whole.span.clone(),
                    tr!(
                        "`{function}` 的写法是 `{form}`",
                        "`{function}` is written `{form}`"
                    ),
                    tr!("参数不对", "wrong arguments"),
                    None,
                );
                return None;
            }
        };
        let (list, list_ty) = self.expr(file, scope, list_arg, None)?;
        let Type::List(item_ty) = list_ty.clone() else {
            let found = list_ty.describe();
            let (found_zh, found_en) = (&found.zh, &found.en);
            self.type_error(
                file,
                list_arg.span.clone(),
                tr!(
                    "`{function}` 的第一个参数需要列表,这里是{found_zh}",
                    "the first argument of `{function}` must be a list, found {found_en}"
                ),
                None,
            );
            return None;
        };
        let slot = scope.next_slot();
        let body = match lambda {
            None => None,
            Some((variable, body)) => {
                scope.push(&variable.node, *item_ty.clone(), slot);
                let checked = self.expr(file, scope, body, None);
                scope.pop();
                let (body_value, body_ty) = checked?;
                let fits = match op {
                    AggregateOp::Any
                    | AggregateOp::All
                    | AggregateOp::Count
                    | AggregateOp::Filter => matches!(body_ty, Type::Bool),
                    AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max => {
                        matches!(body_ty, Type::Num(_))
                    }
                };
                if !fits {
                    let found = body_ty.describe();
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    let (needed_zh, needed_en) =
                        if matches!(op, AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max) {
                            ("数字", "a number")
                        } else {
                            ("条件", "a condition")
                        };
                    self.type_error(
                        file,
                        body.span.clone(),
                        tr!(
                            "`{function}` 的 lambda 需要返回{needed_zh},这里是{found_zh}",
                            "the lambda of `{function}` must give {needed_en}, found {found_en}"
                        ),
                        None,
                    );
                    return None;
                }
                Some((body_value, body_ty))
            }
        };
        let result = match op {
            AggregateOp::Any | AggregateOp::All => Type::Bool,
            AggregateOp::Count => Type::Num(Dim::NONE),
            AggregateOp::Filter => list_ty.clone(),
            AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max => body
                .as_ref()
                .map_or(Type::Num(Dim::NONE), |(_, ty)| ty.clone()),
        };
        Some((
            Expr::Aggregate {
                op,
                list: Box::new(list),
                slot,
                body: body.map(|(value, _)| Box::new(value)),
                dim: match &result {
                    Type::Num(dim) => *dim,
                    _ => Dim::NONE,
                },
            },
            result,
        ))
    }
}

struct CommonChecked {
    domain: Domain,
    strength: Strength,
    strength_reason: Option<Text>,
    spans: RuleSpans,
    cite: Citation,
    hint: Option<Template>,
    doc: Option<Text>,
    tests: Vec<RuleTest>,
}

/// Variables visible in a rule: `let` bindings, then lambda variables, innermost last.
struct Scope {
    pack: usize,
    variables: Vec<(String, Type, usize)>,
    slots: usize,
    /// `let` names whose expression did not check (the error is reported once, at the `let`).
    failed: Vec<String>,
    /// While a `let` is checked: it and the lets after it, with where each is defined.
    later: Vec<(String, std::ops::Range<usize>)>,
}

impl Scope {
    fn new(pack: usize) -> Self {
        Scope {
            pack,
            variables: Vec::new(),
            slots: 0,
            failed: Vec::new(),
            later: Vec::new(),
        }
    }

    fn next_slot(&mut self) -> usize {
        self.slots += 1;
        self.slots - 1
    }

    fn bind(&mut self, name: &str, ty: Type) -> usize {
        let slot = self.next_slot();
        self.variables.push((name.to_owned(), ty, slot));
        slot
    }

    fn push(&mut self, name: &str, ty: Type, slot: usize) {
        self.variables.push((name.to_owned(), ty, slot));
    }

    fn pop(&mut self) {
        self.variables.pop();
    }

    fn lookup(&self, name: &str) -> Option<(usize, Type)> {
        self.variables
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, ty, slot)| (*slot, ty.clone()))
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|(name, _, _)| name.as_str())
    }
}

/// The first 80 characters of a clause on one line, with `…` only when there is more.
fn clause_excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut excerpt: String = text.chars().take(80).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    excerpt
}

fn bare_name(expr: &ast::Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Path(segments) if segments.len() == 1 => {
            segments.first().map(|s| s.node.as_str())
        }
        _ => None,
    }
}

fn text(decl: &ast::TextDecl) -> Text {
    let zh = decl.zh.node.clone();
    let en = decl
        .en
        .as_ref()
        .map_or_else(|| zh.clone(), |en| en.node.clone());
    Text { zh, en }
}

/// Checks a path such as `site.area_m2` or `facilities[0].places` against the model.
pub fn check_model_path(path: &str) -> Result<(), Text> {
    let mut record: &RecordTy = project_type();
    let mut current: Option<&Ty> = None;
    for segment in path.split('.') {
        let name = segment.split('[').next().unwrap_or(segment);
        if let Some(ty) = current {
            record = match ty {
                Ty::Record(inner) => inner,
                Ty::List(item) => match item.as_ref() {
                    Ty::Record(inner) => inner,
                    _ => {
                        return Err(tr!(
                            "`{path}` 不是模型中的路径",
                            "`{path}` is not a path of the project model"
                        ));
                    }
                },
                _ => {
                    return Err(tr!(
                        "`{path}` 不是模型中的路径",
                        "`{path}` is not a path of the project model"
                    ));
                }
            };
        }
        let Some((_, field)) = record.field(name) else {
            return Err(match did_you_mean(name, record.names()) {
                Some(found) => tr!(
                    "模型中没有 `{path}`(是否想写 `{found}`?)",
                    "`{path}` is not in the project model (did you mean `{found}`?)"
                ),
                None => tr!(
                    "模型中没有 `{path}`",
                    "`{path}` is not in the project model"
                ),
            });
        };
        current = Some(&field.ty);
    }
    Ok(())
}

/// The directory of a rule file on disk, for resolving its test fixtures.
pub fn base_dir_of(path: &Path) -> Option<PathBuf> {
    path.parent().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;

    fn errors_of(rule_body: &str) -> Vec<Diagnostic> {
        let text = format!(
            "pack local {{\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}}\n\n\
             rule LOCAL-1 \"公园\" {{\n  domain space\n  strength should\n  \
             cite shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n{rule_body}}}\n"
        );
        let file = SourceFile::new("t.yimi", text);
        let (tree, parse_errors) = crate::rules::parse::parse_file(&file);
        assert!(parse_errors.is_empty(), "{parse_errors:#?}");
        let input = Input {
            tree,
            builtin: false,
            base_dir: None,
        };
        check(vec![input], Corpus::builtin()).1
    }

    fn underlined(diagnostic: &Diagnostic) -> &str {
        diagnostic
            .file
            .text
            .get(diagnostic.primary_span())
            .unwrap_or_default()
    }

    #[test]
    fn a_let_that_fails_is_reported_once_not_at_every_use() {
        let errors = errors_of("  let play = count(facilities) + extra\n  require play >= 1\n");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(underlined(&errors[0]), "extra");
    }

    #[test]
    fn a_let_using_a_later_let_is_a_forward_reference() {
        let errors = errors_of("  let a = b + 1\n  let b = a + 1\n  require a >= 1\n");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].code, "rules::let-order");
        assert_eq!(underlined(&errors[0]), "b");
        // A let naming itself is the same mistake.
        let errors = errors_of("  let a = a + 1\n  require a >= 1\n");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].code, "rules::let-order");
    }

    #[test]
    fn a_clause_excerpt_is_one_line_and_marks_only_real_cuts() {
        assert_eq!(clause_excerpt("67)规划建设。\n"), "67)规划建设。");
        assert_eq!(
            clause_excerpt(&"字".repeat(81)),
            format!("{}…", "字".repeat(80))
        );
    }
}
