//! Rule text → syntax tree, with pest.
//!
//! A file is split into top-level items (each starts at the beginning of a line with `pack`,
//! `param`, `rule`, …) and every item is parsed on its own, so one syntax error does not hide
//! the errors in other items. pest positions are byte offsets and are used as such, so
//! underlines are right after Chinese text.

use std::sync::{Arc, LazyLock};

use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::Text;
use crate::tr;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/yimi.pest"]
struct YimiParser;

pub use self::Rule as GrammarRule;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

const ITEM_KEYWORDS: [&str; 7] = [
    "pack",
    "param",
    "refine",
    "indicator",
    "target",
    "rule",
    "not_checkable",
];

/// The deepest expression accepted: the nodes on its longest branch (an operator, a call, a list
/// and each operand count one; parentheses none). Checking and evaluating recurse through an
/// expression, so its depth must be bounded whatever the rule file says; see the README's limits.
pub const MAX_EXPR_DEPTH: usize = 64;

/// Parses a rule file. Items that parse are returned together with one error per item that
/// does not.
pub fn parse_file(file: &Arc<SourceFile>) -> (RuleFile, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for chunk in item_chunks(&file.text) {
        let Some(text) = file.text.get(chunk.clone()) else {
            continue;
        };
        if text.trim().is_empty() || is_only_comments(text) {
            continue;
        }
        let converter = Converter {
            file,
            base: chunk.start,
        };
        if let Some(at) = too_deep_to_parse(text) {
            errors.push(converter.too_deep(converter.base + at..converter.base + at + 1));
            continue;
        }
        match YimiParser::parse(Rule::item_entry, text) {
            Ok(pairs) => match converter.entry(pairs) {
                Ok(item) => items.push(item),
                Err(error) => errors.push(error),
            },
            Err(error) => {
                let at = match error.location {
                    pest::error::InputLocation::Pos(position) => position,
                    pest::error::InputLocation::Span((start, _)) => start,
                };
                let diagnostic = converter
                    .unclosed_item(text, at)
                    .unwrap_or_else(|| converter.syntax_error(&error));
                errors.push(diagnostic);
            }
        }
    }
    (
        RuleFile {
            file: Arc::clone(file),
            items,
        },
        errors,
    )
}

fn is_only_comments(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

/// Byte ranges of the top-level items: each starts where a line begins with an item keyword.
fn item_chunks(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        // A word at the start of a line begins an item even when it is not an item keyword
        // (`rules X {`): that item is then reported as misspelt, and the item before it,
        // typically the pack header, still parses.
        let word_len = line
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        let starts_item = word_len > 0
            && line
                .get(word_len..)
                .is_some_and(|rest| rest.starts_with([' ', '\t']));
        if starts_item && offset > 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut chunks = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        chunks.push(start..end);
    }
    chunks
}

/// Parses the expression inside `{…}` of a message template; `base` is its offset in the file.
pub fn parse_template_expr(
    file: &Arc<SourceFile>,
    base: usize,
    source: &str,
) -> Result<Expr, Diagnostic> {
    let converter = Converter { file, base };
    if let Some(at) = too_deep_to_parse(source) {
        return Err(converter.too_deep(base + at..base + at + 1));
    }
    let mut pairs = YimiParser::parse(Rule::template_entry, source)
        .map_err(|error| converter.syntax_error(&error))?;
    let entry = pairs.next().ok_or_else(|| converter.internal(0..0))?;
    let expr = entry
        .into_inner()
        .find(|pair| pair.as_rule() == Rule::expr)
        .ok_or_else(|| converter.internal(0..0))?;
    converter.expr(expr)
}

struct Converter<'a> {
    file: &'a Arc<SourceFile>,
    base: usize,
}

type Parsed<T> = Result<T, Diagnostic>;

impl Converter<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.base + span.start()..self.base + span.end()
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_owned(), self.span(pair))
    }

    /// A grammar invariant did not hold; reported as an error rather than a panic.
    fn internal(&self, span: Span) -> Diagnostic {
        Diagnostic::error(
            "rules::internal",
            self.file,
            self.base + span.start..self.base + span.end,
            tr!("规则解析器内部错误", "internal error in the rule parser"),
            tr!("在这里", "here"),
        )
        .with_help(tr!(
            "请把这个规则文件报告给 yimi 的维护者",
            "please report this rule file to the yimi maintainers"
        ))
    }

    /// An item that reaches its end (the next item, or the end of the file) with a `{` still
    /// open: the missing `}` is reported at the `{`, not as an unexpected next item.
    fn unclosed_item(&self, text: &str, at: usize) -> Option<Diagnostic> {
        if !text.get(at..).is_some_and(is_only_comments) {
            return None;
        }
        let mut open = Vec::new();
        let mut in_string = false;
        let mut in_comment = false;
        for (i, c) in text.char_indices() {
            match c {
                '\n' => {
                    in_comment = false;
                    in_string = false;
                }
                _ if in_comment => {}
                '"' => in_string = !in_string,
                _ if in_string => {}
                '#' => in_comment = true,
                '{' => open.push(i),
                '}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        let brace = self.base + *open.first()?;
        let next = self.base + at;
        let mut diagnostic = Diagnostic::error(
            "rules::syntax",
            self.file,
            brace..brace + 1,
            tr!(
                "语法错误:`{{` 没有对应的 `}}`",
                "syntax error: `{{` has no matching `}}`"
            ),
            tr!("这个 `{{` 没有闭合", "this `{{` is never closed"),
        )
        .with_help(tr!(
            "在条目末尾补上 `}}`",
            "add the `}}` at the end of the item"
        ));
        if let Some(word) = self
            .file
            .text
            .get(next..)
            .and_then(|rest| rest.split_whitespace().next())
        {
            let end = next + word.len();
            diagnostic = diagnostic.with_label(
                next..end,
                tr!("下一个条目从这里开始", "the next item starts here"),
            );
        }
        Some(diagnostic)
    }

    fn syntax_error(&self, error: &pest::error::Error<Rule>) -> Diagnostic {
        let (start, end) = match error.location {
            pest::error::InputLocation::Pos(position) => (position, position),
            pest::error::InputLocation::Span((start, end)) => (start, end),
        };
        let (start, end) = (self.base + start, self.base + end);
        // Underline the character at the error, so the caret is visible even at a line's end.
        let end = if end > start {
            end
        } else {
            self.file
                .text
                .get(start..)
                .and_then(|rest| rest.chars().next())
                .map_or(start, |c| start + c.len_utf8())
        };
        if self.file.text.get(start..).is_some_and(is_unclosed_string) {
            return Diagnostic::error(
                "rules::unclosed-string",
                self.file,
                start..start + 1,
                tr!("字符串没有闭合", "unclosed string"),
                tr!(
                    "字符串从这里开始,到行末也没有结束的引号",
                    "the string starts here and has no closing quote on this line"
                ),
            )
            .with_help(tr!(
                "在字符串末尾补上 `\"`;字符串不能跨行",
                "add the closing `\"`; strings cannot span lines"
            ));
        }
        let found = self
            .file
            .text
            .get(start..)
            .and_then(|rest| rest.split_whitespace().next())
            .map(|word| word.chars().take(20).collect::<String>());
        let at_item_start = self
            .file
            .text
            .get(self.base..start)
            .is_some_and(is_only_comments);
        if at_item_start
            && let Some(found) = &found
            && !ITEM_KEYWORDS.contains(&found.as_str())
        {
            let keywords = ITEM_KEYWORDS
                .map(|keyword| format!("`{keyword}`"))
                .join(", ");
            let suggestion = crate::base::suggest::did_you_mean(found, ITEM_KEYWORDS);
            let help = match suggestion {
                Some(keyword) => tr!("是否想写 `{keyword}`?", "did you mean `{keyword}`?"),
                None => tr!("条目以 {keywords} 开头", "items start with {keywords}"),
            };
            let end = start + found.len();
            return Diagnostic::error(
                "rules::syntax",
                self.file,
                start..end,
                tr!(
                    "语法错误:`{found}` 不是条目关键字",
                    "syntax error: `{found}` is not an item keyword"
                ),
                tr!("未知的条目", "unknown item"),
            )
            .with_help(help);
        }
        let expected = match &error.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                describe_expected(positives)
            }
            pest::error::ErrorVariant::CustomError { message } => Text::same(message.clone()),
        };
        let (expected_zh, expected_en) = (&expected.zh, &expected.en);
        let full_width = found
            .as_deref()
            .and_then(|found| found.chars().next())
            .and_then(|c| {
                let ascii = match c {
                    '（' => '(',
                    '）' => ')',
                    '：' => ':',
                    '，' => ',',
                    '“' | '”' => '"',
                    '；' => ';',
                    '＝' => '=',
                    '＞' => '>',
                    '＜' => '<',
                    '［' => '[',
                    '］' => ']',
                    '｛' => '{',
                    '｝' => '}',
                    _ => return None,
                };
                Some((c, ascii))
            });
        let help = match full_width {
            Some((wide, ascii)) => tr!(
                "`{wide}` 是全角符号,请改用半角 `{ascii}`",
                "`{wide}` is full-width: write the ASCII `{ascii}`"
            ),
            None => tr!(
                "规则语言的写法见 rules/README.md",
                "see rules/README.md for the rule language"
            ),
        };
        let message = match found {
            Some(found) => tr!(
                "语法错误:此处应为{expected_zh},实际是 `{found}`",
                "syntax error: expected {expected_en}, found `{found}`"
            ),
            None => tr!(
                "语法错误:此处应为{expected_zh},但文件已结束",
                "syntax error: expected {expected_en}, found the end of the file"
            ),
        };
        Diagnostic::error(
            "rules::syntax",
            self.file,
            start..end,
            message,
            tr!("应为{expected_zh}", "expected {expected_en}"),
        )
        .with_help(help)
    }

    fn entry(&self, mut pairs: Pairs<'_, Rule>) -> Parsed<Item> {
        let entry = pairs.next().ok_or_else(|| self.internal(0..0))?;
        let span = self.span(&entry);
        let item = entry
            .into_inner()
            .find(|pair| pair.as_rule() != Rule::EOI)
            .ok_or_else(|| self.internal(span.clone()))?;
        match item.as_rule() {
            Rule::pack => self.pack(item).map(Item::Pack),
            Rule::param => self.param(item).map(Item::Param),
            Rule::refine => self.param(item).map(Item::Refine),
            Rule::indicator => self.indicator(item).map(Item::Indicator),
            Rule::target => self.target(item).map(Item::Target),
            Rule::rule => self.rule(item).map(Item::Rule),
            Rule::not_checkable => self.not_checkable(item).map(Item::NotCheckable),
            _ => Err(self.internal(span)),
        }
    }

    /// The children of `pair` that are not keywords.
    fn parts<'i>(&self, pair: Pair<'i, Rule>) -> Vec<Pair<'i, Rule>> {
        pair.into_inner()
            .filter(|pair| !is_keyword(pair.as_rule()))
            .collect()
    }

    fn pack(&self, pair: Pair<'_, Rule>) -> Parsed<PackDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let id = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let mut pack = PackDecl {
            id,
            source: None,
            jurisdiction: None,
            version: None,
            span,
        };
        for field in parts {
            let value = self.parts(field.clone()).into_iter().next();
            match (field.as_rule(), value) {
                (Rule::source_field, Some(value)) => pack.source = Some(self.name(&value)),
                (Rule::jurisdiction_field, Some(value)) => {
                    pack.jurisdiction = Some(self.name(&value))
                }
                (Rule::version_field, Some(value)) => pack.version = Some(self.string(value)?),
                _ => return Err(self.internal(self.span(&field))),
            }
        }
        Ok(pack)
    }

    fn param(&self, pair: Pair<'_, Rule>) -> Parsed<ParamDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let name = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let mut param = ParamDecl {
            name,
            bound: None,
            value: None,
            cite: None,
            basis: None,
            span,
        };
        for field in parts {
            let field_span = self.span(&field);
            match field.as_rule() {
                Rule::value_field => {
                    let mut inner = self.parts(field).into_iter();
                    let bound = inner
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    let quantity = inner
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    param.bound = Some(self.name(&bound));
                    param.value = Some(self.quantity(quantity)?);
                }
                Rule::cite_field => param.cite = Some(self.cite(field)?),
                Rule::basis_field => param.basis = Some(self.text_of(field)?),
                _ => return Err(self.internal(field_span)),
            }
        }
        Ok(param)
    }

    fn indicator(&self, pair: Pair<'_, Rule>) -> Parsed<IndicatorDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let name = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let label = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let label = self.text(label)?;
        let unit_spec = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let unit = unit_spec
            .into_inner()
            .find(|pair| pair.as_rule() == Rule::unit)
            .map(|unit| self.name(&unit));
        Ok(IndicatorDecl {
            name,
            label,
            unit,
            span,
        })
    }

    fn target(&self, pair: Pair<'_, Rule>) -> Parsed<TargetDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let id = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let title = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let mut target = TargetDecl {
            id,
            title: self.text(title)?,
            indicator: None,
            threshold: None,
            year: None,
            applies: None,
            common: CommonFields::default(),
            span,
        };
        for field in parts {
            let field_span = self.span(&field);
            match field.as_rule() {
                Rule::indicator_field => {
                    let value = self
                        .parts(field)
                        .into_iter()
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    set_once(
                        &mut target.common.duplicates,
                        &mut target.indicator,
                        self.name(&value),
                        "indicator",
                        field_span,
                    );
                }
                Rule::threshold_field => {
                    let mut inner = self.parts(field).into_iter();
                    let comparator = inner
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    let quantity = inner
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    let value = (self.name(&comparator), self.quantity(quantity)?);
                    set_once(
                        &mut target.common.duplicates,
                        &mut target.threshold,
                        value,
                        "threshold",
                        field_span,
                    );
                }
                Rule::year_field => {
                    let value = self
                        .parts(field)
                        .into_iter()
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    let year = value
                        .as_str()
                        .parse::<u32>()
                        .map_err(|_| self.internal(self.span(&value)))?;
                    let year = Spanned::new(year, self.span(&value));
                    set_once(
                        &mut target.common.duplicates,
                        &mut target.year,
                        year,
                        "year",
                        field_span,
                    );
                }
                Rule::applies_field => {
                    let expr = self.only_expr(field)?;
                    set_once(
                        &mut target.common.duplicates,
                        &mut target.applies,
                        expr,
                        "applies",
                        field_span,
                    );
                }
                _ => self.common_field(&mut target.common, field)?,
            }
        }
        Ok(target)
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Parsed<RuleDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let id = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let title = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let mut rule = RuleDecl {
            id,
            title: self.text(title)?,
            applies: None,
            unless: Vec::new(),
            lets: Vec::new(),
            require: Vec::new(),
            at: None,
            message: None,
            common: CommonFields::default(),
            span,
        };
        for field in parts {
            let field_span = self.span(&field);
            match field.as_rule() {
                Rule::applies_field => {
                    let expr = self.only_expr(field)?;
                    set_once(
                        &mut rule.common.duplicates,
                        &mut rule.applies,
                        expr,
                        "applies",
                        field_span,
                    );
                }
                Rule::unless_field => rule.unless.push(self.only_expr(field)?),
                Rule::require_field => rule.require.push(self.only_expr(field)?),
                Rule::at_field => {
                    let expr = self.only_expr(field)?;
                    set_once(
                        &mut rule.common.duplicates,
                        &mut rule.at,
                        expr,
                        "at",
                        field_span,
                    );
                }
                Rule::let_field => {
                    let mut inner = self.parts(field).into_iter();
                    let name = inner
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    let expr = inner
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    rule.lets.push((self.name(&name), self.expr(expr)?));
                }
                Rule::message_field => {
                    let text = self.text_of(field)?;
                    set_once(
                        &mut rule.common.duplicates,
                        &mut rule.message,
                        text,
                        "message",
                        field_span,
                    );
                }
                _ => self.common_field(&mut rule.common, field)?,
            }
        }
        Ok(rule)
    }

    fn common_field(&self, common: &mut CommonFields, field: Pair<'_, Rule>) -> Parsed<()> {
        let field_span = self.span(&field);
        match field.as_rule() {
            Rule::domain_field => {
                let value = self
                    .parts(field)
                    .into_iter()
                    .next()
                    .ok_or_else(|| self.internal(field_span.clone()))?;
                set_once(
                    &mut common.duplicates,
                    &mut common.domain,
                    self.name(&value),
                    "domain",
                    field_span,
                );
            }
            Rule::strength_field => {
                let mut parts = self.parts(field).into_iter();
                let value = parts
                    .next()
                    .ok_or_else(|| self.internal(field_span.clone()))?;
                if let Some(reason) = parts.next() {
                    common.strength_reason = Some(self.text(reason)?);
                }
                set_once(
                    &mut common.duplicates,
                    &mut common.strength,
                    self.name(&value),
                    "strength",
                    field_span,
                );
            }
            Rule::cite_field => {
                let cite = self.cite(field)?;
                set_once(
                    &mut common.duplicates,
                    &mut common.cite,
                    cite,
                    "cite",
                    field_span,
                );
            }
            Rule::hint_field => {
                let text = self.text_of(field)?;
                set_once(
                    &mut common.duplicates,
                    &mut common.hint,
                    text,
                    "hint",
                    field_span,
                );
            }
            Rule::doc_field => {
                let text = self.text_of(field)?;
                set_once(
                    &mut common.duplicates,
                    &mut common.doc,
                    text,
                    "doc",
                    field_span,
                );
            }
            Rule::test_field => common.tests.push(self.test(field)?),
            _ => return Err(self.internal(field_span)),
        }
        Ok(())
    }

    fn not_checkable(&self, pair: Pair<'_, Rule>) -> Parsed<NotCheckableDecl> {
        let span = self.span(&pair);
        let mut clauses = Vec::new();
        let mut reason = None;
        for part in self.parts(pair) {
            match part.as_rule() {
                Rule::clause_ref => clauses.push(self.clause(&part)),
                Rule::text => reason = Some(self.text(part)?),
                _ => return Err(self.internal(self.span(&part))),
            }
        }
        let reason = reason.ok_or_else(|| self.internal(span.clone()))?;
        Ok(NotCheckableDecl {
            clauses,
            reason,
            span,
        })
    }

    fn test(&self, pair: Pair<'_, Rule>) -> Parsed<TestDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let outcome = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let file = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let file = self.string(file)?;
        let missing = parts.map(|path| self.name(&path)).collect();
        Ok(TestDecl {
            outcome,
            file,
            missing,
            span,
        })
    }

    fn cite(&self, pair: Pair<'_, Rule>) -> Parsed<CiteDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter();
        let source = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let clause = parts
            .next()
            .map(|p| self.clause(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let quote = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let quote = self.string(quote)?;
        Ok(CiteDecl {
            source,
            clause,
            quote,
            span,
        })
    }

    fn clause(&self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        let text = pair.as_str();
        Spanned::new(
            text.strip_prefix('§').unwrap_or(text).to_owned(),
            self.span(pair),
        )
    }

    /// The `text` child of a field.
    fn text_of(&self, field: Pair<'_, Rule>) -> Parsed<TextDecl> {
        let span = self.span(&field);
        let text = self
            .parts(field)
            .into_iter()
            .next()
            .ok_or_else(|| self.internal(span))?;
        self.text(text)
    }

    fn text(&self, pair: Pair<'_, Rule>) -> Parsed<TextDecl> {
        let span = self.span(&pair);
        let mut strings = self.parts(pair).into_iter();
        let zh = strings.next().ok_or_else(|| self.internal(span))?;
        let zh = self.string(zh)?;
        let en = strings.next().map(|en| self.string(en)).transpose()?;
        Ok(TextDecl { zh, en })
    }

    /// A string literal, unescaped. The span is the content between the quotes.
    fn string(&self, pair: Pair<'_, Rule>) -> Parsed<Spanned<String>> {
        let inner = pair
            .into_inner()
            .next()
            .ok_or_else(|| self.internal(0..0))?;
        let span = self.span(&inner);
        let raw = inner.as_str();
        let mut text = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                text.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => text.push('"'),
                Some((_, '\\')) => text.push('\\'),
                Some((_, 'n')) => text.push('\n'),
                Some((_, 't')) => text.push('\t'),
                Some((_, '{')) => text.push_str("\\{"),
                Some((_, '}')) => text.push_str("\\}"),
                Some((j, other)) => {
                    let at = span.start + i;
                    return Err(Diagnostic::error(
                        "rules::escape",
                        self.file,
                        at..span.start + j + other.len_utf8(),
                        tr!("未知的转义 `\\{other}`", "unknown escape `\\{other}`"),
                        tr!("这里", "here"),
                    )
                    .with_help(tr!(
                        "字符串中可用的转义:`\\\"` `\\\\` `\\n` `\\t`",
                        "escapes allowed in strings: `\\\"` `\\\\` `\\n` `\\t`"
                    )));
                }
                None => return Err(self.internal(span)),
            }
        }
        Ok(Spanned::new(text, span))
    }

    fn quantity(&self, pair: Pair<'_, Rule>) -> Parsed<QuantityDecl> {
        let span = self.span(&pair);
        let mut value = None;
        let mut unit = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => value = part.as_str().parse::<f64>().ok(),
                Rule::unit => unit = Some(self.name(&part)),
                _ => {}
            }
        }
        let value = value.ok_or_else(|| self.internal(span.clone()))?;
        Ok(QuantityDecl { value, unit, span })
    }

    fn only_expr(&self, field: Pair<'_, Rule>) -> Parsed<Expr> {
        let span = self.span(&field);
        let expr = self
            .parts(field)
            .into_iter()
            .next()
            .ok_or_else(|| self.internal(span))?;
        self.expr(expr)
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Parsed<Expr> {
        self.expr_at_depth(pair).map(|(expr, _)| expr)
    }

    /// An expression with its depth (the nodes on its longest branch). A tree deeper than
    /// [`MAX_EXPR_DEPTH`] is refused as soon as it grows past it, so no deeper tree is ever built
    /// (checking, evaluating and dropping a tree all recurse through its depth).
    fn expr_at_depth(&self, pair: Pair<'_, Rule>) -> Parsed<(Expr, usize)> {
        PRATT
            .map_primary(|primary| self.primary(primary))
            .map_prefix(|op, operand| {
                let (operand, depth) = operand?;
                let span = self.span(&op).start..operand.span.end;
                let depth = self.deepened(depth, &span)?;
                let op = if op.as_rule() == Rule::op_not {
                    UnaryOp::Not
                } else {
                    UnaryOp::Neg
                };
                let kind = ExprKind::Unary(op, Box::new(operand));
                Ok((Expr { kind, span }, depth))
            })
            .map_infix(|left, op, right| {
                let ((left, left_depth), (right, right_depth)) = (left?, right?);
                let op_span = self.span(&op);
                let op = match op.as_rule() {
                    Rule::op_and => BinaryOp::And,
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_in => BinaryOp::In,
                    Rule::op_not_in => BinaryOp::NotIn,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    Rule::op_div => BinaryOp::Div,
                    _ => return Err(self.internal(op_span)),
                };
                let span = left.span.start..right.span.end;
                let depth = self.deepened(left_depth.max(right_depth), &op_span)?;
                let kind = ExprKind::Binary(op, Box::new(left), Box::new(right));
                Ok((Expr { kind, span }, depth))
            })
            .parse(pair.into_inner())
    }

    /// The depth of a node over children of depth `depth`, or the error when it is too deep;
    /// `at` is what to underline.
    fn deepened(&self, depth: usize, at: &Span) -> Parsed<usize> {
        let depth = depth.saturating_add(1);
        if depth > MAX_EXPR_DEPTH {
            return Err(self.too_deep(at.clone()));
        }
        Ok(depth)
    }

    /// An expression nested deeper than [`MAX_EXPR_DEPTH`].
    fn too_deep(&self, at: Span) -> Diagnostic {
        Diagnostic::error(
            "limits::rule-depth",
            self.file,
            at,
            tr!(
                "表达式嵌套超过 {MAX_EXPR_DEPTH} 层",
                "the expression is nested more than {MAX_EXPR_DEPTH} levels deep"
            ),
            tr!("在这里超过上限", "the limit is exceeded here"),
        )
        .with_help(tr!(
            "用 `let` 给部分表达式命名,或把一长串 `or` 写成 `x in [a, b, c]`",
            "name parts of the expression with `let`, or write a long chain of `or` as `x in [a, b, c]`"
        ))
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Parsed<(Expr, usize)> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => {
                let inner = pair
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.internal(span.clone()))?;
                let (mut expr, depth) = self.expr_at_depth(inner)?;
                expr.span = span;
                return Ok((expr, depth));
            }
            Rule::expr => return self.expr_at_depth(pair),
            Rule::quantity => {
                let quantity = self.quantity(pair)?;
                ExprKind::Number(quantity.value, quantity.unit)
            }
            Rule::string => ExprKind::Text(self.string(pair)?.node),
            Rule::date => ExprKind::Date(pair.as_str().to_owned()),
            Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
            Rule::list => {
                let mut items = Vec::new();
                let mut deepest = 0;
                for item in pair.into_inner() {
                    let (item, depth) = self.expr_at_depth(item)?;
                    deepest = deepest.max(depth);
                    items.push(item);
                }
                let depth = self.deepened(deepest, &span)?;
                return Ok((
                    Expr {
                        kind: ExprKind::List(items),
                        span,
                    },
                    depth,
                ));
            }
            Rule::path => {
                let mut segments = Vec::new();
                let mut offset = span.start;
                for segment in pair.as_str().split('.') {
                    segments.push(Spanned::new(
                        segment.to_owned(),
                        offset..offset + segment.len(),
                    ));
                    offset += segment.len() + 1;
                }
                ExprKind::Path(segments)
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = inner.next().ok_or_else(|| self.internal(span.clone()))?;
                let name = self.name(&name);
                let mut arguments = Vec::new();
                let mut deepest = 0;
                for argument in inner {
                    arguments.push(match argument.as_rule() {
                        Rule::lambda => {
                            let lambda_span = self.span(&argument);
                            let mut parts = argument.into_inner();
                            let variable = parts
                                .next()
                                .ok_or_else(|| self.internal(lambda_span.clone()))?;
                            let body = parts
                                .next()
                                .ok_or_else(|| self.internal(lambda_span.clone()))?;
                            let (body, depth) = self.expr_at_depth(body)?;
                            deepest = deepest.max(self.deepened(depth, &lambda_span)?);
                            Argument::Lambda(self.name(&variable), body)
                        }
                        _ => {
                            let (argument, depth) = self.expr_at_depth(argument)?;
                            deepest = deepest.max(depth);
                            Argument::Expr(argument)
                        }
                    });
                }
                let depth = self.deepened(deepest, &span)?;
                return Ok((
                    Expr {
                        kind: ExprKind::Call(name, arguments),
                        span,
                    },
                    depth,
                ));
            }
            _ => return Err(self.internal(span)),
        };
        Ok((Expr { kind, span }, 1))
    }
}

/// Where, if anywhere, `text` nests deeper than [`MAX_EXPR_DEPTH`] in a way pest and the Pratt
/// parser would recurse through: brackets (`(`, `[`) and prefix operators in a row (`not not`,
/// `- -`), counted outside strings and comments in one pass without recursion. Checked before
/// pest sees the text, since pest recurses once or more per bracket; the depth of the tree built
/// (which long chains of infix operators also deepen) is checked as it is built.
fn too_deep_to_parse(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // For each open bracket, the prefix operators in a row just before it.
    let mut open: Vec<usize> = Vec::new();
    let mut open_prefixes = 0usize;
    // Prefix operators in a row at the current level, and whether an operand came last.
    let mut prefixes = 0usize;
    let mut after_operand = false;
    let mut i = 0;
    let deeper = |open: &Vec<usize>, open_prefixes: usize, prefixes: usize| {
        open.len() + open_prefixes + prefixes > MAX_EXPR_DEPTH
    };
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'#' => {
                while bytes.get(i).is_some_and(|&b| b != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    match b {
                        b'\\' => i += 2,
                        b'"' | b'\n' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                prefixes = 0;
                after_operand = true;
                continue;
            }
            b'(' | b'[' => {
                open.push(prefixes);
                open_prefixes += prefixes;
                prefixes = 0;
                after_operand = false;
                if deeper(&open, open_prefixes, prefixes) {
                    return Some(i);
                }
            }
            b')' | b']' => {
                if let Some(before) = open.pop() {
                    open_prefixes = open_prefixes.saturating_sub(before);
                }
                prefixes = 0;
                after_operand = true;
            }
            b'-' if !after_operand => {
                prefixes += 1;
                if deeper(&open, open_prefixes, prefixes) {
                    return Some(i);
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or_default();
                match word {
                    "not" if !next_word_is_in(text, i) => {
                        prefixes += 1;
                        if deeper(&open, open_prefixes, prefixes) {
                            return Some(start);
                        }
                        after_operand = false;
                    }
                    // Operators, and the fields an expression follows.
                    "not" | "and" | "or" | "in" | "require" | "applies" | "unless" | "at" => {
                        after_operand = false
                    }
                    _ => {
                        prefixes = 0;
                        after_operand = true;
                    }
                }
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => after_operand = false,
        }
        i += 1;
    }
    None
}

/// Whether the next word after byte `at` is `in` (so a `not` before it is `not in`).
fn next_word_is_in(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or_default().trim_start();
    rest.strip_prefix("in")
        .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}

/// Whether `rest` starts with a `"` that is not closed on the same line.
fn is_unclosed_string(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix('"') else {
        return false;
    };
    let line = after.split('\n').next().unwrap_or_default();
    let mut escaped = false;
    for c in line.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return false,
            _ => {}
        }
    }
    true
}

fn set_once<T>(
    duplicates: &mut Vec<Spanned<&'static str>>,
    slot: &mut Option<T>,
    value: T,
    field: &'static str,
    span: Span,
) {
    if slot.is_some() {
        duplicates.push(Spanned::new(field, span));
    } else {
        *slot = Some(value);
    }
}

fn is_keyword(grammar_rule: Rule) -> bool {
    keyword_text(grammar_rule).is_some()
}

fn keyword_text(grammar_rule: Rule) -> Option<&'static str> {
    Some(match grammar_rule {
        Rule::kw_pack => "pack",
        Rule::kw_source => "source",
        Rule::kw_jurisdiction => "jurisdiction",
        Rule::kw_version => "version",
        Rule::kw_param => "param",
        Rule::kw_refine => "refine",
        Rule::kw_value => "value",
        Rule::kw_basis => "basis",
        Rule::kw_indicator => "indicator",
        Rule::kw_unit => "unit",
        Rule::kw_none => "none",
        Rule::kw_target => "target",
        Rule::kw_threshold => "threshold",
        Rule::kw_year => "year",
        Rule::kw_rule => "rule",
        Rule::kw_domain => "domain",
        Rule::kw_strength => "strength",
        Rule::kw_cite => "cite",
        Rule::kw_applies => "applies",
        Rule::kw_unless => "unless",
        Rule::kw_let => "let",
        Rule::kw_require => "require",
        Rule::kw_at => "at",
        Rule::kw_message => "message",
        Rule::kw_hint => "hint",
        Rule::kw_doc => "doc",
        Rule::kw_test => "test",
        Rule::kw_missing => "missing",
        Rule::kw_not_checkable => "not_checkable",
        Rule::kw_en => "en",
        Rule::kw_because => "because",
        _ => return None,
    })
}

/// Says what pest expected, in words a rule author knows.
fn describe_expected(positives: &[Rule]) -> Text {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let mut push = |z: &str, e: &str| {
        if !en.iter().any(|x| x == e) {
            zh.push(z.to_owned());
            en.push(e.to_owned());
        }
    };
    // Where an expression may start, its first tokens (a name, a number, a string) are all just
    // "an expression" to the author.
    let expression_may_start = positives.iter().any(|positive| {
        matches!(
            positive,
            Rule::expr
                | Rule::primary
                | Rule::paren
                | Rule::call
                | Rule::path
                | Rule::list
                | Rule::boolean
                | Rule::date
                | Rule::quantity
                | Rule::op_not
                | Rule::op_neg
        )
    });
    for grammar_rule in positives {
        if expression_may_start
            && matches!(
                grammar_rule,
                Rule::ident | Rule::name | Rule::number | Rule::integer | Rule::string | Rule::text
            )
        {
            continue;
        }
        if let Some(keyword) = keyword_text(*grammar_rule) {
            push(&format!("`{keyword}`"), &format!("`{keyword}`"));
            continue;
        }
        match grammar_rule {
            Rule::expr
            | Rule::primary
            | Rule::paren
            | Rule::call
            | Rule::path
            | Rule::list
            | Rule::boolean
            | Rule::date
            | Rule::quantity => {
                push("表达式", "an expression");
            }
            Rule::op_not | Rule::op_neg => push("表达式", "an expression"),
            Rule::op_and
            | Rule::op_or
            | Rule::op_eq
            | Rule::op_ne
            | Rule::op_ge
            | Rule::op_le
            | Rule::op_gt
            | Rule::op_lt
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div
            | Rule::op_in
            | Rule::op_not_in => {
                push("运算符", "an operator");
            }
            Rule::string | Rule::text => push("带引号的字符串 `\"…\"`", "a quoted string `\"…\"`"),
            Rule::name | Rule::ident => push("名称", "a name"),
            Rule::rule_id => push("规则编号(如 `SH-068`)", "a rule id such as `SH-068`"),
            Rule::clause_ref => push("条款(如 `§68`)", "a clause such as `§68`"),
            Rule::number | Rule::integer => push("数字", "a number"),
            Rule::unit | Rule::unit_spec => push("单位(如 `m2`)", "a unit such as `m2`"),
            Rule::jurisdiction => push(
                "行政区划路径(如 `CN/SH`)",
                "a jurisdiction path such as `CN/SH`",
            ),
            Rule::bound => push("`at_least` 或 `at_most`", "`at_least` or `at_most`"),
            Rule::comparator => push(
                "`at_least`、`above`、`at_most` 或 `below`",
                "`at_least`, `above`, `at_most` or `below`",
            ),
            Rule::lambda => push("`变量 => 表达式`", "`variable => expression`"),
            Rule::data_path => push(
                "项目文件中的路径(如 `site.area_m2`)",
                "a path such as `site.area_m2`",
            ),
            Rule::EOI => push("文件结束", "the end of the item"),
            _ => push("其他内容", "something else"),
        }
    }
    if en.is_empty() {
        return Text::new("其他内容", "something else");
    }
    let join = |items: &[String], or: &str| match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{or}{last}", init.join(", ")),
    };
    let zh_list = match zh.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} 或 {last}", init.join("、")),
    };
    Text::new(zh_list, join(&en, " or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (RuleFile, Vec<Diagnostic>) {
        parse_file(&SourceFile::new("t.yimi", text.to_owned()))
    }

    fn underlined(diagnostic: &Diagnostic) -> &str {
        &diagnostic.file.text[diagnostic.primary_span()]
    }

    const RULE: &str = r#"
pack shanghai-2023 {
  source shanghai-2023
  jurisdiction CN/SH
  version "2025.1"
}

rule SH-068 "3000平方米以上的公园绿地优先满足儿童活动需求" en "Parks of 3000 m² or more put children's play first" {
  domain   space
  strength should
  cite     shanghai-2023 §68 "3000平方米以上的公园绿地优先满足儿童活动需求"
  applies  project.kind == park and site.area_m2 >= 3000 m2
  unless   park.category == protective_green
  let play = filter(facilities, f => f.kind == play_area)
  require  count(play) >= 1
  message  "公园绿地 {site.area_m2},未设置儿童活动场地" en "a park of {site.area_m2} has no play area"
  hint     "在 facilities 中增加 kind: play_area"
  test fail "tests/SH-068/fail.yaml"
  test insufficient_evidence "tests/SH-068/missing.yaml" missing [site.area_m2]
}
"#;

    #[test]
    fn a_rule_parses_into_a_tree() {
        let (file, errors) = parse(RULE);
        assert!(errors.is_empty(), "{errors:?}");
        let [Item::Pack(pack), Item::Rule(rule)] = file.items.as_slice() else {
            panic!("{:?}", file.items)
        };
        assert_eq!(pack.jurisdiction.as_ref().unwrap().node, "CN/SH");
        assert_eq!(rule.id.node, "SH-068");
        assert_eq!(
            rule.title.en.as_ref().unwrap().node,
            "Parks of 3000 m² or more put children's play first"
        );
        assert_eq!(rule.common.cite.as_ref().unwrap().clause.node, "68");
        assert_eq!(rule.lets.len(), 1);
        assert_eq!(rule.common.tests[1].missing[0].node, "site.area_m2");
        let applies = rule.applies.as_ref().unwrap();
        let ExprKind::Binary(BinaryOp::And, left, right) = &applies.kind else {
            panic!("{applies:?}")
        };
        assert_eq!(&file.file.text[left.span.clone()], "project.kind == park");
        let ExprKind::Binary(BinaryOp::Ge, _, quantity) = &right.kind else {
            panic!()
        };
        assert_eq!(&file.file.text[quantity.span.clone()], "3000 m2");
    }

    #[test]
    fn not_binds_looser_than_comparison_and_tighter_than_and() {
        let (file, errors) = parse("rule X \"t\" {\n  require not a == b and c\n}\n");
        assert!(errors.is_empty(), "{errors:?}");
        let Item::Rule(rule) = &file.items[0] else {
            panic!()
        };
        let ExprKind::Binary(BinaryOp::And, left, _) = &rule.require[0].kind else {
            panic!()
        };
        assert!(
            matches!(&left.kind, ExprKind::Unary(UnaryOp::Not, inner) if matches!(inner.kind, ExprKind::Binary(BinaryOp::Eq, ..)))
        );
    }

    #[test]
    fn a_number_at_the_end_of_a_line_does_not_swallow_the_next_keyword() {
        let (file, errors) = parse(
            "target T \"t\" {\n  year 2025\n  strength shall\n  threshold at_least 60 %\n}\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Item::Target(target) = &file.items[0] else {
            panic!()
        };
        assert_eq!(target.year.as_ref().unwrap().node, 2025);
        assert_eq!(target.common.strength.as_ref().unwrap().node, "shall");
        assert_eq!(
            target
                .threshold
                .as_ref()
                .unwrap()
                .1
                .unit
                .as_ref()
                .unwrap()
                .node,
            "%"
        );
    }

    #[test]
    fn errors_in_several_items_are_all_reported() {
        let (file, errors) = parse(
            "rule A \"t\" {\n  require x >=\n}\n\nrule B \"t\" {\n  domian space\n}\n\nrule C \"t\" {\n  require y\n}\n",
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(file.items.len(), 1);
        assert_eq!(underlined(&errors[0]), "}");
        assert!(
            errors[0].message.en.contains("expected an expression"),
            "{}",
            errors[0].message.en
        );
        assert_eq!(underlined(&errors[1]), "d");
        assert!(
            errors[1].message.en.contains("`domain`"),
            "{}",
            errors[1].message.en
        );
        assert!(
            errors[1].message.en.contains("found `domian`"),
            "{}",
            errors[1].message.en
        );
    }

    #[test]
    fn error_positions_are_bytes_after_chinese_text() {
        let (_, errors) = parse("rule A \"中文标题很长\" {\n  message \"未闭合\n}\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "rules::unclosed-string");
        assert_eq!(errors[0].line_col(), (2, 11));
        assert_eq!(underlined(&errors[0]), "\"");
    }

    #[test]
    fn template_expressions_keep_file_offsets() {
        let file = SourceFile::new("t.yimi", "message \"面积 {site.area_m2} 平方米\"");
        let start = file.text.find("site").unwrap();
        let expr = parse_template_expr(&file, start, "site.area_m2").unwrap();
        assert_eq!(&file.text[expr.span.clone()], "site.area_m2");
    }

    #[test]
    fn a_misspelt_item_keyword_is_its_own_error_and_the_pack_still_parses() {
        let (tree, errors) = parse(&format!(
            "{RULE}\nrules X-1 \"标题\" {{\n  domain space\n}}\n"
        ));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(underlined(&errors[0]), "rules");
        let help = errors[0].help.as_ref().expect("a help line");
        assert!(help.en.contains("did you mean `rule`"), "{}", help.en);
        assert!(tree.items.iter().any(|item| matches!(item, Item::Pack(_))));
    }

    #[test]
    fn a_missing_closing_brace_is_reported_at_the_opening_one() {
        let text = format!(
            "{RULE}\nrule X-1 \"标题 {{x}}\" {{\n  domain space\n  require true\n\nrule X-2 \"b\" {{\n  require true\n}}\n"
        );
        let (_, errors) = parse(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let brace = text
            .find("\" {\n  domain space\n  require true\n\n")
            .unwrap()
            + 2;
        assert_eq!(errors[0].primary_span(), brace..brace + 1);
        assert!(
            errors[0].message.en.contains("no matching"),
            "{}",
            errors[0].message.en
        );
    }

    #[test]
    fn full_width_punctuation_is_named() {
        let (_, errors) = parse(&format!(
            "{RULE}\nrule X-1 \"t\" {{\n  require any(facilities, f => true）\n}}\n"
        ));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let help = errors[0].help.as_ref().expect("a help line");
        assert!(help.en.contains("full-width"), "{}", help.en);
    }

    #[test]
    fn nesting_is_counted_outside_strings_and_comments_only() {
        let deep = "(".repeat(MAX_EXPR_DEPTH + 1);
        assert_eq!(too_deep_to_parse(&deep), Some(MAX_EXPR_DEPTH));
        assert_eq!(too_deep_to_parse(&"(".repeat(MAX_EXPR_DEPTH)), None);
        assert_eq!(too_deep_to_parse(&format!("\"{deep}\" # {deep}\n")), None);
        assert_eq!(too_deep_to_parse(&format!("\"a\\\"{deep}\"")), None);
        // `not in` is an infix operator, not one more prefix.
        let not_in = vec!["x not in y"; 100].join(" and ");
        assert_eq!(too_deep_to_parse(&not_in), None);
        // Prefixes in a row count; an operand ends the row.
        let prefixes = "not ".repeat(MAX_EXPR_DEPTH + 1);
        assert_eq!(too_deep_to_parse(&prefixes), Some(4 * MAX_EXPR_DEPTH));
        assert_eq!(too_deep_to_parse(&vec!["not x"; 100].join(" and ")), None);
        assert_eq!(too_deep_to_parse(&vec!["-1"; 100].join(" - ")), None);
        assert!(
            too_deep_to_parse(&format!("require {}1", "- ".repeat(MAX_EXPR_DEPTH + 1))).is_some()
        );
    }

    #[test]
    fn a_tree_deeper_than_the_limit_is_refused_where_it_passes_it() {
        let rule = |require: &str| {
            format!("rule X \"t\" {{\n  domain space\n  strength should\n  require {require}\n}}\n")
        };
        // Each `and` adds a level over the first operand: the one that passes the limit is
        // underlined.
        let chain = vec!["true"; 4_400].join(" and ");
        let (_, errors) = parse(&rule(&chain));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "limits::rule-depth");
        assert_eq!(underlined(&errors[0]), "and");
        let (line, column) = errors[0].line_col();
        // `true and ` is nine characters; the 64th `and` makes the 65th level.
        assert_eq!((line, column), (4, 16 + 9 * (MAX_EXPR_DEPTH - 1)));
        // Just within the limit, the same chain parses.
        let (file, errors) = parse(&rule(&vec!["true"; MAX_EXPR_DEPTH].join(" and ")));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(file.items.len(), 1);
        for require in [
            format!("{}true{}", "(".repeat(3_300), ")".repeat(3_300)),
            format!("{}true", "not ".repeat(5_000)),
            format!("{}1 > 0", "- ".repeat(5_000)),
        ] {
            let (_, errors) = parse(&rule(&require));
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, "limits::rule-depth");
        }
    }
}
