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

mod depth;
mod expected;

use super::ast::*;
use super::code::{Part, code_chars, parts};
use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::Text;
use crate::tr;
use depth::too_deep_to_parse;
use expected::{describe_expected, is_keyword};

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
    if let Some(error) = line_ends_error(file) {
        let rule_file = RuleFile {
            file: Arc::clone(file),
            items: Vec::new(),
            comments: Vec::new(),
        };
        return (rule_file, vec![error]);
    }
    let mut errors = Vec::new();
    let chunks = item_chunks(&file.text);
    // An item is some 1 KB before what it points to: grown by doubling, the items of a large
    // pack held up to three times their room while it grew (#12).
    let mut items = Vec::with_capacity(chunks.len());
    // Items taken into an error of the item they are nested in.
    let mut skip_until = 0;
    for (index, chunk) in chunks.iter().enumerate() {
        if index < skip_until {
            continue;
        }
        let chunk = chunk.clone();
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
                let diagnostic = match converter.unclosed_item(text, at) {
                    Some(unclosed) => match nested_items(&file.text, &chunks, index) {
                        // The block closes after the items written inside it: they are nested.
                        Some(closed_in) => {
                            skip_until = closed_in + 1;
                            converter.nested_item(text, chunks.get(index + 1).map(|c| c.start))
                        }
                        None => unclosed,
                    },
                    // A dash that is not ASCII's `-` outside strings and comments is never
                    // valid, and pest reports the item's start ("expected something else"):
                    // the character is the error.
                    None => match converter.dash_look_alike(text) {
                        Some(dash) => dash,
                        None => converter.syntax_error(&error),
                    },
                };
                errors.push(diagnostic);
            }
        }
    }
    (
        RuleFile {
            file: Arc::clone(file),
            items,
            comments: comments(&file.text),
        },
        errors,
    )
}

/// The first `\r` not followed by `\n`: a line end of classic Mac OS. The rule language reads
/// lines as ended by `\n` (a comment runs to it, an item starts a line), so a file saved with
/// `\r` alone read as one comment line, "no `pack` header" (hostile review 9 R10).
fn bare_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&at| bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) != Some(&b'\n'))
}

/// The error for a file holding a `\r` that ends no CRLF line end, at the first; `None` for a
/// file whose lines end with `\n` or `\r\n`. It says what was found: lines that end with `\r`
/// alone (a file saved with classic Mac OS line ends), or a stray `\r` among lines that end
/// with `\n` (pasted from another program), with the line and how many there are.
pub fn line_ends_error(file: &Arc<SourceFile>) -> Option<Diagnostic> {
    let at = bare_carriage_return(&file.text)?;
    let bytes = file.text.as_bytes();
    let bare = bytes
        .iter()
        .enumerate()
        .filter(|&(index, &byte)| byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        .count();
    let newlines = bytecount_newlines(bytes);
    let (line, column) = file.line_col(at);
    let (message, label, help) = if newlines == 0 || bare > newlines {
        (
            tr!(
                "规则文件的行以单独的回车符(CR)结尾",
                "the rule file's lines end with a carriage return (CR) alone"
            ),
            tr!("这一行以 CR 结尾", "this line ends with a CR"),
            tr!(
                "请以 LF 或 CRLF 换行符另存此文件(编辑器的“行尾”设置)",
                "save the file with LF or CRLF line ends (the editor's line-ending setting)"
            ),
        )
    } else {
        let message = if bare == 1 {
            tr!(
                "第 {line} 行第 {column} 列有一个单独的回车符(CR,U+000D),而文件的其他行以 LF 或 CRLF 结尾:规则语言只把 LF 和 CRLF 当作行尾",
                "a carriage return (CR, U+000D) alone at line {line}, column {column}, where the file's other lines end with LF or CRLF: the rule language takes only LF and CRLF as line ends"
            )
        } else {
            tr!(
                "有 {bare} 个单独的回车符(CR,U+000D),第一个在第 {line} 行第 {column} 列,而文件的其他行以 LF 或 CRLF 结尾:规则语言只把 LF 和 CRLF 当作行尾",
                "{bare} carriage returns (CR, U+000D) alone, the first at line {line}, column {column}, where the file's other lines end with LF or CRLF: the rule language takes only LF and CRLF as line ends"
            )
        };
        (
            message,
            tr!("单独的 CR", "a CR alone"),
            tr!(
                "删去这个多余的 CR(常见于从其他程序粘贴的文字),或把它换成换行",
                "delete the stray CR (text pasted from another program often brings one), or make it a line break"
            ),
        )
    };
    Some(Diagnostic::error("rules::line-ends", file, at..at + 1, message, label).with_help(help))
}

/// The Unicode name of a character that passes for ASCII's `-` and is not it.
fn dash_look_alike(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{2010}' => "HYPHEN",
        '\u{2011}' => "NON-BREAKING HYPHEN",
        '\u{2012}' => "FIGURE DASH",
        '\u{2013}' => "EN DASH",
        '\u{2014}' => "EM DASH",
        '\u{2015}' => "HORIZONTAL BAR",
        '\u{2043}' => "HYPHEN BULLET",
        '\u{2212}' => "MINUS SIGN",
        '\u{2E3A}' => "TWO-EM DASH",
        '\u{FE58}' => "SMALL EM DASH",
        '\u{FE63}' => "SMALL HYPHEN-MINUS",
        '\u{FF0D}' => "FULLWIDTH HYPHEN-MINUS",
        _ => return None,
    })
}

/// How many `\n` a text holds.
fn bytecount_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| byte == b'\n').count()
}

/// When the item `chunks[index]` leaves a `{` open and a later item's text closes it (a block
/// written inside another, say `refine x {}` on a line of a `refine` block), the index of the
/// chunk where the outer block closes.
fn nested_items(text: &str, chunks: &[std::ops::Range<usize>], index: usize) -> Option<usize> {
    let mut depth = 0_isize;
    for (at, chunk) in chunks.iter().enumerate().skip(index) {
        depth += brace_balance(text.get(chunk.clone())?);
        if at == index {
            if depth <= 0 {
                return None;
            }
        } else if depth <= 0 {
            return Some(at);
        }
    }
    None
}

/// `{`s less `}`s of a rule text, outside strings and comments.
fn brace_balance(text: &str) -> isize {
    code_chars(text).fold(0, |balance, (_, c)| match c {
        '{' => balance + 1,
        '}' => balance - 1,
        _ => balance,
    })
}

/// The comments of a rule text: a `#` outside a string, to the end of its line. The grammar
/// skips them (`COMMENT` is silent), so they are found again here, the one place that knows
/// how strings are written (a `"` ends one unless escaped, and no string spans a line).
///
/// A line break ends a string and a comment ([`parts`]), so each line is read on its own, and
/// only a line with a `#` can hold a comment: the others are not read character by character
/// (#12, the speed of `rules fmt --check`).
pub fn comments(text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        if !line.contains('#') {
            continue;
        }
        let Some(at) = parts(line)
            .find(|&(_, _, part)| part == Part::Comment)
            .map(|(at, _, _)| start + at)
        else {
            continue;
        };
        // The comment runs to the line break; a `\r` before it belongs to the break, not to the
        // comment (and so does a `\r` that ends the text).
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let own_line = text
            .get(start..at)
            .is_some_and(|before| before.trim().is_empty());
        comments.push(Comment {
            span: at..start + body.len(),
            own_line,
        });
    }
    comments
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

/// A node of the concrete syntax tree: a grammar rule, where it was written, and its children.
/// Unlike [`RuleFile`], it keeps everything as written (parentheses, field order, number
/// spelling), which is what the formatter needs; keywords and operators are leaves.
#[derive(Clone, Debug)]
pub struct Concrete {
    /// The grammar rule that matched.
    pub rule: GrammarRule,
    /// Where, in bytes of the file.
    pub span: Span,
    /// The rules matched inside it, in order; none for a token.
    pub children: Vec<Concrete>,
}

/// A rule file as written: its items as concrete trees, and its comments.
#[derive(Debug)]
pub struct ConcreteFile {
    /// The top-level items, in file order.
    pub items: Vec<Concrete>,
    /// The comments, in file order.
    pub comments: Vec<Comment>,
}

/// Parses a rule file into concrete trees; a file with syntax errors gives the errors
/// [`parse_file`] reports.
pub fn parse_concrete(file: &Arc<SourceFile>) -> Result<ConcreteFile, Vec<Diagnostic>> {
    let (tree, errors) = parse_file(file);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut items = Vec::new();
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
        let pairs = YimiParser::parse(Rule::item_entry, text)
            .map_err(|error| vec![converter.syntax_error(&error)])?;
        for entry in pairs {
            for item in entry.into_inner() {
                if item.as_rule() != Rule::EOI {
                    items.push(converter.concrete(item));
                }
            }
        }
    }
    Ok(ConcreteFile {
        items,
        comments: tree.comments,
    })
}

/// The concrete trees of a rule file's items, one item at a time, for a reader that needs one
/// item's tree at once (`rules fmt`): the trees of a whole 8 MB pack took some 115 MB, and
/// were held beside the file's syntax tree (#12).
///
/// Each item is parsed once, checked as [`parse_file`] checks it (so a file whose items all come
/// is one [`parse_file`] finds no error in) and converted to its concrete tree. At the first item
/// that does not parse it gives `Err(())` and then ends: [`parse_file`] says why, with every
/// error of the file.
pub fn concrete_items(file: &Arc<SourceFile>) -> ConcreteItems<'_> {
    ConcreteItems {
        file,
        chunks: item_chunks(&file.text).into_iter(),
        pending: std::collections::VecDeque::new(),
        failed: false,
    }
}

/// See [`concrete_items`].
#[derive(Debug)]
pub struct ConcreteItems<'a> {
    file: &'a Arc<SourceFile>,
    chunks: std::vec::IntoIter<std::ops::Range<usize>>,
    pending: std::collections::VecDeque<Concrete>,
    failed: bool,
}

impl Iterator for ConcreteItems<'_> {
    type Item = Result<Concrete, ()>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(Ok(item));
            }
            if self.failed {
                return None;
            }
            let chunk = self.chunks.next()?;
            let Some(text) = self.file.text.get(chunk.clone()) else {
                continue;
            };
            if text.trim().is_empty() || is_only_comments(text) {
                continue;
            }
            let converter = Converter {
                file: self.file,
                base: chunk.start,
            };
            // Nesting is bounded before the grammar recurses through it.
            let parsed = match too_deep_to_parse(text) {
                None => YimiParser::parse(Rule::item_entry, text).ok(),
                Some(_) => None,
            };
            let Some(parsed) = parsed else {
                self.failed = true;
                return Some(Err(()));
            };
            // The checks `parse_file` makes past the grammar (numbers, names, nesting).
            if converter.entry(parsed.clone()).is_err() {
                self.failed = true;
                return Some(Err(()));
            }
            for entry in parsed {
                for item in entry.into_inner() {
                    if item.as_rule() != Rule::EOI {
                        self.pending.push_back(converter.concrete(item));
                    }
                }
            }
        }
    }
}

/// The byte ranges of a rule file's items as [`concrete_items`] parses them, one range per
/// parse (blank and comment-only stretches left out), for a reader that compares two texts
/// item by item (`rules fmt` verifying what it printed).
pub fn item_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    item_chunks(text)
        .into_iter()
        .filter(|chunk| {
            text.get(chunk.clone())
                .is_some_and(|part| !part.trim().is_empty() && !is_only_comments(part))
        })
        .collect()
}

/// The tokens of the items at `range` of `text` (one of [`item_ranges`]), in order, each as
/// its grammar rule and its span in `text`: the leaves of the trees [`concrete_items`] would
/// give (a string is one token), without building the trees or making the checks past the
/// grammar, for a reader that only compares tokens with those of a text already checked.
/// `None` when they do not parse.
pub fn item_tokens(text: &str, range: std::ops::Range<usize>) -> Option<Vec<(GrammarRule, Span)>> {
    let chunk = text.get(range.clone())?;
    if too_deep_to_parse(chunk).is_some() {
        return None;
    }
    let parsed = YimiParser::parse(Rule::item_entry, chunk).ok()?;
    let mut tokens = Vec::new();
    for entry in parsed {
        // Pairs in document order; a string's inside is part of the string's token.
        let mut inside_string = 0;
        for pair in entry.into_inner().flatten() {
            let span = pair.as_span();
            if span.start() < inside_string || pair.as_rule() == Rule::EOI {
                continue;
            }
            let leaf = pair.as_rule() == Rule::string || pair.clone().into_inner().next().is_none();
            if leaf {
                if pair.as_rule() == Rule::string {
                    inside_string = span.end();
                }
                tokens.push((
                    pair.as_rule(),
                    range.start + span.start()..range.start + span.end(),
                ));
            }
        }
    }
    Some(tokens)
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
    let entry = pairs
        .next()
        .ok_or_else(|| converter.internal(converter.item_start()))?;
    let expr = entry
        .into_inner()
        .find(|pair| pair.as_rule() == Rule::expr)
        .ok_or_else(|| converter.internal(converter.item_start()))?;
    converter.expr(expr)
}

struct Converter<'a> {
    file: &'a Arc<SourceFile>,
    base: usize,
}

type Parsed<T> = Result<T, Diagnostic>;

/// The years a target may name: four digits, as in dates.
const MIN_YEAR: u32 = 1000;
const MAX_YEAR: u32 = 9999;
/// The largest whole number a rule may write: every integer up to 2^53 is exact in an `f64`.
const MAX_EXACT_INTEGER: u64 = 1 << 53;

impl Converter<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.base + span.start()..self.base + span.end()
    }

    /// The concrete tree of `pair`. Its depth is that of the grammar's nesting, bounded because
    /// too deep a text is refused before it is parsed ([`too_deep_to_parse`]).
    fn concrete(&self, pair: Pair<'_, Rule>) -> Concrete {
        Concrete {
            rule: pair.as_rule(),
            span: self.span(&pair),
            children: pair
                .into_inner()
                .map(|child| self.concrete(child))
                .collect(),
        }
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_owned(), self.span(pair))
    }

    /// The empty span at the start of the item being converted: where an internal error is
    /// reported when there is no node to underline.
    fn item_start(&self) -> Span {
        self.base..self.base
    }

    /// A grammar invariant did not hold; reported as an error rather than a panic. `span` is in
    /// bytes of the file, as [`Converter::span`] gives it (not of the item).
    fn internal(&self, span: Span) -> Diagnostic {
        Diagnostic::error(
            "rules::internal",
            self.file,
            span,
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
        for (i, c) in code_chars(text) {
            match c {
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

    /// An item written inside the block of the item `text` (which starts at `self.base`), at
    /// `inner` in the file: items do not nest, so the message names both.
    fn nested_item(&self, text: &str, inner: Option<usize>) -> Diagnostic {
        let word_at = |at: usize| {
            let word = self
                .file
                .text
                .get(at..)
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("");
            (word.to_owned(), at..at + word.len())
        };
        let (outer, _) = word_at(self.base);
        let Some((inner, inner_span)) = inner.map(word_at) else {
            return self.internal(self.item_start());
        };
        let brace = text.find('{').map_or(self.base, |at| self.base + at);
        Diagnostic::error(
            "rules::nested-item",
            self.file,
            inner_span,
            tr!(
                "语法错误:`{outer}` 块中不能再写 `{inner}` 条目",
                "syntax error: a `{outer}` block cannot hold another item (`{inner}`)"
            ),
            tr!(
                "这个 `{inner}` 写在 `{outer}` 块中",
                "this `{inner}` is inside the `{outer}` block"
            ),
        )
        .with_label(
            brace..brace + 1,
            tr!("`{outer}` 块从这里开始", "the `{outer}` block opens here"),
        )
        .with_help(tr!(
            "条目不能嵌套:在 `{inner}` 之前用 `}}` 结束 `{outer}` 块,把 `{inner}` 写在它后面",
            "items do not nest: close the `{outer}` block with `}}` before `{inner}`, and write `{inner}` after it"
        ))
    }

    /// The error at the first dash of `text` (an item that does not parse) that passes for
    /// ASCII's `-` and is not it (a word processor's hyphen, an en dash, a minus sign), outside
    /// strings and comments: it names the character and asks for `-`.
    fn dash_look_alike(&self, text: &str) -> Option<Diagnostic> {
        let (at, dash, name) =
            code_chars(text).find_map(|(at, c)| dash_look_alike(c).map(|name| (at, c, name)))?;
        let point = format!("U+{:04X}", u32::from(dash));
        let start = self.base + at;
        Some(
            Diagnostic::error(
                "rules::syntax",
                self.file,
                start..start + dash.len_utf8(),
                tr!(
                    "语法错误:`{dash}` 是 {point}({name}),不是 ASCII 的连字符 `-`",
                    "syntax error: `{dash}` is {point} ({name}), not the ASCII hyphen-minus `-`"
                ),
                tr!("{point},形似 `-`", "{point}, which looks like `-`"),
            )
            .with_help(tr!(
                "改写为 ASCII 的 `-`(U+002D):编号、名称和运算符只用它",
                "write the ASCII `-` (U+002D) here: ids, names and operators use only it"
            )),
        )
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
        let entry = pairs
            .next()
            .ok_or_else(|| self.internal(self.item_start()))?;
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
            label: None,
            cite: None,
            basis: None,
            tests: Vec::new(),
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
                Rule::label_field => param.label = Some(self.text_of(field)?),
                Rule::refine_test_field => param.tests.push(self.test(field)?),
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
            every_year: false,
            applies: None,
            unless: Vec::new(),
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
                    target.every_year = field
                        .clone()
                        .into_inner()
                        .any(|part| part.as_rule() == Rule::kw_every);
                    let value = self
                        .parts(field)
                        .into_iter()
                        .next()
                        .ok_or_else(|| self.internal(field_span.clone()))?;
                    let year = self.year(&value)?;
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
                Rule::unless_field => target.unless.push(self.only_expr(field)?),
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
            Rule::addressee_field => {
                let value = self
                    .parts(field)
                    .into_iter()
                    .next()
                    .ok_or_else(|| self.internal(field_span.clone()))?;
                set_once(
                    &mut common.duplicates,
                    &mut common.addressee,
                    self.name(&value),
                    "addressee",
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
            Rule::advice_field => {
                let text = self.text_of(field)?;
                set_once(
                    &mut common.duplicates,
                    &mut common.advice,
                    text,
                    "advice",
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
        let mut sentences = Vec::new();
        let mut reason = None;
        for part in self.parts(pair) {
            match part.as_rule() {
                Rule::clause_ref => clauses.push(self.clause(&part)),
                Rule::string => sentences.push(self.string(part)?),
                Rule::text => reason = Some(self.text(part)?),
                _ => return Err(self.internal(self.span(&part))),
            }
        }
        let reason = reason.ok_or_else(|| self.internal(span.clone()))?;
        Ok(NotCheckableDecl {
            clauses,
            sentences,
            reason,
            span,
        })
    }

    fn test(&self, pair: Pair<'_, Rule>) -> Parsed<TestDecl> {
        let span = self.span(&pair);
        let mut parts = self.parts(pair).into_iter().peekable();
        let rule = parts
            .next_if(|part| part.as_rule() == Rule::rule_id)
            .map(|part| self.name(&part));
        let outcome = parts
            .next()
            .map(|p| self.name(&p))
            .ok_or_else(|| self.internal(span.clone()))?;
        let file = parts.next().ok_or_else(|| self.internal(span.clone()))?;
        let file = self.string(file)?;
        let missing = parts.map(|path| self.name(&path)).collect();
        Ok(TestDecl {
            rule,
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
        let quoted = self.span(&pair);
        let inner = pair
            .into_inner()
            .next()
            .ok_or_else(|| self.internal(quoted))?;
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

    /// A target's year: four digits, as dates write it (the grammar takes any run of digits, so
    /// that a longer one is refused here with its place rather than as a syntax error).
    fn year(&self, pair: &Pair<'_, Rule>) -> Parsed<Spanned<u32>> {
        let span = self.span(pair);
        let written = pair.as_str();
        match written.parse::<u32>() {
            Ok(year) if (MIN_YEAR..=MAX_YEAR).contains(&year) => Ok(Spanned::new(year, span)),
            _ => Err(Diagnostic::error(
                "rules::year-range",
                self.file,
                span,
                tr!(
                    "年份 `{written}` 超出范围({MIN_YEAR}–{MAX_YEAR})",
                    "year `{written}` is out of range ({MIN_YEAR}–{MAX_YEAR})"
                ),
                tr!("年份超出范围", "year out of range"),
            )
            .with_help(tr!(
                "写四位数的年份,如 `year 2025`",
                "write a year of four digits, such as `year 2025`"
            ))),
        }
    }

    fn quantity(&self, pair: Pair<'_, Rule>) -> Parsed<QuantityDecl> {
        let span = self.span(&pair);
        let mut value = None;
        let mut unit = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => value = Some(self.number(&part)?),
                Rule::unit => unit = Some(self.name(&part)),
                _ => {}
            }
        }
        let value = value.ok_or_else(|| self.internal(span.clone()))?;
        Ok(QuantityDecl { value, unit, span })
    }

    /// A number literal, refused with its place when a 64-bit float cannot hold it: past
    /// [`f64::MAX`] it would become infinite, and a whole number past 2^53 would be rounded
    /// (as in project files, where such counts are refused too).
    fn number(&self, pair: &Pair<'_, Rule>) -> Parsed<f64> {
        let written = pair.as_str();
        let value = written.parse::<f64>().ok();
        // A whole number is compared as an integer: 2^53 + 1 reads as the float 2^53.
        let exact = written.contains('.')
            || written
                .parse::<u64>()
                .is_ok_and(|whole| whole <= MAX_EXACT_INTEGER);
        match value {
            Some(value) if value.is_finite() && exact => Ok(value),
            _ => {
                let shown = written;
                Err(Diagnostic::error(
                    "rules::number-range",
                    self.file,
                    self.span(pair),
                    tr!(
                        "数 `{shown}` 太大,无法精确表示",
                        "the number `{shown}` is too large to be held exactly"
                    ),
                    tr!("数值过大", "too large"),
                )
                .with_help(if exact {
                    tr!("写一个较小的数", "write a smaller number")
                } else {
                    tr!(
                        "整数最大为 2^53(9007199254740992)",
                        "whole numbers may be at most 2^53 (9007199254740992)"
                    )
                }))
            }
        }
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

#[cfg(test)]
mod tests;
