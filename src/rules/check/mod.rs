//! Syntax trees → checked [`RuleSet`], or located errors.
//!
//! Checked here, with "did you mean" wherever a name is misspelled: pack headers and sources;
//! citations (the clause exists and the quote is found verbatim in it); paths against the
//! project model; types and units of every expression; duplicate ids; parameters and their
//! refinements (only stricter, only by more local packs); indicators and targets; tests beside
//! rules (outcomes, fixture files, missing paths). All errors are collected, not just the first.

mod calls;
mod citations;
mod exprs;
mod fixtures;
mod items;
mod packs;
mod params;
mod paths;
mod templates;

pub use calls::{FUNCTIONS, MAX_AGGREGATE_NESTING};
pub use fixtures::fixture_path;
pub use paths::check_model_path;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ast::{self, Argument, BinaryOp, ExprKind, Spanned, UnaryOp};
use super::ir::*;
use super::outcome::Outcome;
use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::{Text, code};
use crate::base::suggest::did_you_mean;
use crate::project::date::Date;
use crate::project::types::{EnumTy, RecordTy, Ty, project_type};
use crate::project::units::{self, Dim, Unit};
use crate::sources::corpus::Corpus;
use crate::tr;

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
    check_after(RuleSet::default(), inputs, corpus)
}

/// Checks parsed rule files as [`check`] does, as if they came after the packs of `checked`,
/// which were checked before against the same corpus (the built-in packs decoded from
/// `rules/builtin.bin`, so that `rules lint`, `rules test` and `check --rules` of a user's pack
/// do not parse and check 360 kB of built-in rule text again: 0.8 s of a debug build). What the
/// inputs may refer to in them (pack ids, rule ids, parameters, indicators, rules reading a
/// refined parameter) is all in the rule set; the caller must make sure no input takes the
/// place of one of its packs (`rules::replaces-builtin`), since its packs stay first.
pub fn check_after(
    checked: RuleSet,
    inputs: Vec<Input>,
    corpus: &Corpus,
) -> (RuleSet, Vec<Diagnostic>) {
    let rule_ids = checked
        .rules
        .iter()
        .map(|rule| (rule.id.clone(), None))
        .collect();
    let mut checker = Checker {
        corpus,
        set: checked,
        errors: Vec::new(),
        rule_ids,
        unknown_sources: std::collections::HashSet::new(),
        refinement_tests: Vec::new(),
        fixed_divisors: Vec::new(),
        clause_suggestions: HashMap::new(),
        passage_suggestions: HashMap::new(),
    };
    // Each input's place among the inputs and its pack.
    let mut pending: Vec<(usize, usize)> = Vec::new();
    for (at, input) in inputs.iter().enumerate() {
        if let Some(pack) = checker.pack(input) {
            pending.push((at, pack));
        }
    }
    // Parameters and indicators first, so rules may use those declared later or elsewhere.
    for &(at, pack) in &pending {
        let Some(input) = inputs.get(at) else {
            continue;
        };
        for item in &input.tree.items {
            match item {
                ast::Item::Param(param) => checker.param(&input.tree.file, pack, param),
                ast::Item::Indicator(indicator) => checker.indicator(&input.tree.file, indicator),
                _ => {}
            }
        }
    }
    // Each item's syntax tree is dropped once it is checked: the trees of a large pack took as
    // much again as the rules made of them (#12).
    // The rules' vector made at its size: grown by doubling, it held up to twice the room at
    // its peak, some 760 bytes a rule each.
    let rules: usize = inputs
        .iter()
        .map(|input| {
            let items = input.tree.items.iter();
            items
                .filter(|item| matches!(item, ast::Item::Rule(_) | ast::Item::Target(_)))
                .count()
        })
        .sum();
    checker.set.rules.reserve(rules);
    let mut inputs = inputs;
    for (at, pack) in pending {
        let Some(input) = inputs.get_mut(at) else {
            continue;
        };
        let items = std::mem::take(&mut input.tree.items);
        let input = &*input;
        let file = &input.tree.file;
        for item in items {
            match &item {
                ast::Item::Refine(refine) => checker.refine(input, pack, refine),
                ast::Item::Rule(rule) => checker.rule(input, pack, rule),
                ast::Item::Target(target) => checker.target(input, pack, target),
                ast::Item::NotCheckable(note) => checker.not_checkable(file, pack, note),
                ast::Item::Pack(_) | ast::Item::Param(_) | ast::Item::Indicator(_) => {}
            }
        }
    }
    // A refinement's tests name rules, which are all checked by now.
    checker.resolve_refinement_tests();
    // Divisors made of parameters, with every refinement known.
    checker.check_fixed_divisors();
    (checker.set, checker.errors)
}

struct Checker<'c> {
    corpus: &'c Corpus,
    set: RuleSet,
    errors: Vec<Diagnostic>,
    /// Rule and target ids seen, with where (`file:line`); `None` for a rule of the packs
    /// checked before ([`check_after`]), whose place is found from its spans when it is needed.
    rule_ids: HashMap<String, Option<String>>,
    /// Unknown sources reported, by file and id: once is enough.
    unknown_sources: std::collections::HashSet<(String, String)>,
    /// Tests of refinements, waiting for the rules they evaluate to be checked.
    refinement_tests: Vec<params::PendingTest>,
    /// Divisors made of numbers and parameters only, checked once every refinement is known
    /// ([`Checker::check_fixed_divisors`]).
    fixed_divisors: Vec<exprs::FixedDivisor>,
    /// "Did you mean" clauses looked for, by file (see [`Checker::clause_suggestion`]).
    clause_suggestions: HashMap<String, usize>,
    /// Closest passages looked for, by file (see [`Checker::closest_passage`]).
    passage_suggestions: HashMap<String, usize>,
}

/// Unknown clauses of a file given a "did you mean": as many as human output shows of a file's
/// problems (`report::snippet::MAX_SHOWN_DIAGNOSTICS`). Each suggestion compares the id with
/// every clause of the source, so suggesting for 6 000 unknown clauses of a source of 6 000
/// headings took minutes, for errors that were counted, not shown.
const SUGGESTED_CLAUSES_PER_FILE: usize = 20;

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
            Type::Enum(enumeration) => {
                let of = crate::project::types::type_place(&enumeration.name);
                Text::new(format!("{}的取值", of.zh), format!("a value of {}", of.en))
            }
            Type::List(item) => {
                let item = item.describe();
                Text::new(
                    format!("{}的列表", item.zh),
                    format!("a list of {}", item.en),
                )
            }
            Type::Record(record) => {
                let of = crate::project::types::type_place(&record.name);
                Text::new(format!("映射:{}", of.zh), format!("a mapping: {}", of.en))
            }
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

    /// The clause of `source` that an unknown `written` clause id probably meant, for the first
    /// [`SUGGESTED_CLAUSES_PER_FILE`] unknown clauses of `file`; none after those.
    fn clause_suggestion<'s>(
        &mut self,
        file: &Arc<SourceFile>,
        source: &'s crate::sources::corpus::Source,
        written: &str,
    ) -> Option<&'s str> {
        let asked = self
            .clause_suggestions
            .entry(file.name.clone())
            .or_default();
        if *asked >= SUGGESTED_CLAUSES_PER_FILE {
            return None;
        }
        *asked += 1;
        source.suggest_clause(written)
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
            {
                let field = code(field);
                tr!("{item} 缺少 {field}", "{item} has no {field}")
            },
            {
                let field = code(field);
                tr!("这里需要 {field}", "{field} is needed here")
            },
            Some({
                let example = code(example);
                tr!("添加一行 {example}", "add a line {example}")
            }),
        );
    }

    fn duplicates(&mut self, file: &Arc<SourceFile>, duplicates: &[Spanned<&'static str>]) {
        for duplicate in duplicates {
            let field = duplicate.node;
            self.error(
                "rules::duplicate-field",
                file,
                duplicate.span.clone(),
                {
                    let field = code(field);
                    tr!("{field} 只能写一次", "{field} may appear only once")
                },
                {
                    let field = code(field);
                    tr!("重复的 {field}", "second {field}")
                },
                Some(tr!(
                    "删除其中一处,或合并为一个表达式",
                    "delete one, or combine them into one expression"
                )),
            );
        }
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
            Some(found) => {
                let found = code(found);
                tr!("是否想写 {found}?", "did you mean {found}?")
            }
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
            {
                let written = code(&written.to_string());
                tr!("未知的{what_zh} {written}", "unknown {what_en} {written}")
            },
            tr!("未知", "unknown"),
            Some(help),
        );
    }
}

struct CommonChecked {
    domain: Domain,
    strength: Strength,
    strength_reason: Option<Text>,
    addressee: Option<Addressee>,
    spans: RuleSpans,
    cite: Citation,
    hint: Option<Template>,
    advice: Option<Template>,
    doc: Option<Text>,
    tests: Vec<RuleTest>,
}

/// Variables visible in a rule: `let` bindings, then lambda variables, innermost last.
///
/// Names are found through maps, not by scanning: a rule of 20 000 `let`s took 12.5 s to check
/// when each `let` scanned every earlier binding and copied every later one (audit 12 A1).
struct Scope {
    pack: usize,
    variables: Vec<(String, Type, usize)>,
    /// For each name, the indices in `variables` that bind it, innermost last.
    visible: HashMap<String, Vec<usize>>,
    slots: usize,
    /// `let` names whose expression did not check (the error is reported once, at the `let`).
    failed: HashSet<String>,
    /// Every `let` of the rule with where it is defined; those from `later_from` on are not
    /// visible yet (naming one is a forward reference).
    later: Vec<(String, std::ops::Range<usize>)>,
    later_from: usize,
    /// For each `let` name, its indices in `later`, in order.
    later_index: HashMap<String, Vec<usize>>,
}

impl Scope {
    fn new(pack: usize) -> Self {
        Scope {
            pack,
            variables: Vec::new(),
            visible: HashMap::new(),
            slots: 0,
            failed: HashSet::new(),
            later: Vec::new(),
            later_from: 0,
            later_index: HashMap::new(),
        }
    }

    fn next_slot(&mut self) -> usize {
        self.slots += 1;
        self.slots - 1
    }

    fn bind(&mut self, name: &str, ty: Type) -> usize {
        let slot = self.next_slot();
        self.push(name, ty, slot);
        slot
    }

    fn push(&mut self, name: &str, ty: Type, slot: usize) {
        self.visible
            .entry(name.to_owned())
            .or_default()
            .push(self.variables.len());
        self.variables.push((name.to_owned(), ty, slot));
    }

    fn pop(&mut self) {
        if let Some((name, _, _)) = self.variables.pop()
            && let Some(indices) = self.visible.get_mut(&name)
        {
            indices.pop();
            if indices.is_empty() {
                self.visible.remove(&name);
            }
        }
    }

    fn lookup(&self, name: &str) -> Option<(usize, Type)> {
        let index = *self.visible.get(name)?.last()?;
        self.variables
            .get(index)
            .map(|(_, ty, slot)| (*slot, ty.clone()))
    }

    /// The rule's `let`s, all of them not yet visible.
    fn set_lets(&mut self, lets: impl Iterator<Item = (String, std::ops::Range<usize>)>) {
        self.later = lets.collect();
        self.later_index.clear();
        for (index, (name, _)) in self.later.iter().enumerate() {
            self.later_index
                .entry(name.clone())
                .or_default()
                .push(index);
        }
        self.later_from = 0;
    }

    /// Where `name` is defined by the `let` being checked or one after it.
    fn defined_later(&self, name: &str) -> Option<&std::ops::Range<usize>> {
        let indices = self.later_index.get(name)?;
        let first = indices.partition_point(|&index| index < self.later_from);
        let index = *indices.get(first)?;
        self.later.get(index).map(|(_, span)| span)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|(name, _, _)| name.as_str())
    }
}

/// The directory of a rule file on disk, for resolving its test fixtures.
pub fn base_dir_of(path: &Path) -> Option<PathBuf> {
    path.parent().map(Path::to_path_buf)
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

#[cfg(test)]
mod tests;
