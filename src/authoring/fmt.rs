//! `yimi rules fmt`: one layout for every rule pack, so that a diff shows what changed and not
//! how it was spaced.
//!
//! The layout is a function of the concrete syntax tree (the grammar's parse, which keeps
//! parentheses, field order and numbers as written) and of the comments, never of the spacing it
//! was given: so formatting twice gives the same text. Comments are placed as a formatter for
//! code places them: a comment on its own line belongs to what follows it (an item, a field, or
//! the closing `}`), a comment after code on a line stays at the end of that line, and a comment
//! inside a field that is laid out anew (within a broken expression, between a text and its
//! English) moves to its own line above the field. A blank line between fields is kept, items
//! are separated by one, and a run of lines that end with comments aligns them.
//!
//! What is printed is verified before it is returned: it must parse, with the same tokens and
//! the same comments in the same order; otherwise the file is left as it is and the difference
//! is reported as an internal error. A pretty-printing library would add little: the only
//! choices are where an expression breaks (at `or`, then `and`, then inside a call's last
//! argument) and where a text's English goes.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use unicode_width::UnicodeWidthStr;

use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::walk::Walker;
use crate::rules::ast::{Comment, Span};
use crate::rules::load::{read_rule_file, rule_files};
use crate::rules::parse::{Concrete, GrammarRule as G, concrete_items};
use crate::run::output::AtomicFile;
use crate::tr;

/// The width a line is kept within, where it can be broken (strings never are).
pub const MAX_WIDTH: usize = 100;

/// The indentation of fields inside `{ … }`.
const FIELD_INDENT: &str = "  ";

/// What `yimi rules fmt` found and did.
#[derive(Debug, Default)]
pub struct Run {
    /// Rule files already in the canonical layout.
    pub unchanged: usize,
    /// Files whose layout differs from the canonical one (rewritten unless only checked).
    pub changed: Vec<PathBuf>,
    /// A unified diff per changed file, when only checking.
    pub diff: String,
    /// Files that could not be read, parsed or written; they are left as they are.
    pub errors: Vec<Diagnostic>,
}

/// Formats the rule files at `paths` (files named `*.yimi`, or directories searched for them),
/// rewriting each in place (atomically, keeping its permissions) unless `check_only`, when a
/// unified diff says what would change.
pub fn format_paths(paths: &[PathBuf], check_only: bool) -> Run {
    let mut run = Run::default();
    let mut walker = Walker::new();
    let mut files = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        let is_dir = std::fs::metadata(path).is_ok_and(|metadata| metadata.is_dir());
        if !is_dir && path.extension().is_none_or(|extension| extension != "yimi") {
            run.errors.push(path_error(
                &shown,
                tr!(
                    "不是规则包:规则包是 `*.yimi` 文件",
                    "not a rule pack: rule packs are `*.yimi` files"
                ),
                tr!(
                    "给出 `*.yimi` 文件或包含它们的目录;项目文件用 `yimi check` 检查",
                    "give `*.yimi` files or directories that hold them; project files are checked by `yimi check`"
                ),
            ));
            continue;
        }
        match rule_files(path, &mut walker) {
            Ok(found) if found.is_empty() => run.errors.push(path_error(
                &shown,
                tr!(
                    "这个目录下没有规则包(`*.yimi`)",
                    "no rule packs (`*.yimi`) in this directory"
                ),
                tr!("请检查路径", "check the path"),
            )),
            Ok(found) => files.extend(found),
            Err(mut errors) => run.errors.append(&mut errors),
        }
    }
    for path in files {
        let file = match read_rule_file(&path) {
            Ok(file) => file,
            Err(error) => {
                run.errors.push(error);
                continue;
            }
        };
        let formatted = match format(&file) {
            Ok(formatted) => formatted,
            Err(mut errors) => {
                run.errors.append(&mut errors);
                continue;
            }
        };
        if formatted == file.text {
            run.unchanged += 1;
            continue;
        }
        if check_only {
            let diff = unified_diff(&file.name, &file.text, &formatted);
            if run.diff.is_empty() {
                run.diff = diff;
            } else {
                run.diff.push_str(&diff);
            }
        } else if let Err(error) = rewrite(&path, &formatted) {
            let (shown, reason) = (path.display().to_string(), error.to_string());
            let reason = crate::report::escape::terminal_line(&reason).into_owned();
            run.errors.push(path_error(
                &shown,
                tr!("无法写入:{reason}", "cannot write the file: {reason}"),
                tr!("文件保持原样", "the file is left as it was"),
            ));
            continue;
        }
        run.changed.push(path);
    }
    run
}

/// An error about a path as a whole (the file is not read, so there is nothing to underline).
fn path_error(
    shown: &str,
    message: crate::base::i18n::Text,
    help: crate::base::i18n::Text,
) -> Diagnostic {
    let file = SourceFile::new(shown.to_owned(), String::new());
    Diagnostic::error("rules::fmt-path", &file, 0..0, message, tr!("", "")).with_help(help)
}

/// Replaces the file's text: written beside it and renamed into place, through a symbolic link
/// to its target, with the permissions it had. A read-only file is left alone: renaming would
/// replace it whatever its permissions say (they guard the file, not its directory).
fn rewrite(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only (make it writable to format it)",
        ));
    }
    let mut file = AtomicFile::create(&target)?;
    file.writer().write_all(text.as_bytes())?;
    file.commit()?;
    std::fs::set_permissions(&target, permissions)
}

/// What formatting changes, as a unified diff whose lines are safe to print on a terminal and
/// in a CI log: comments are quoted in it, and a comment may hold a CI runner's command.
///
/// The shortest diff takes time of the order of the lines that differ times the lines around
/// them: 25,000 reformatted rules took minutes. Past [`MAX_DIFFED_LINES`] lines between the first
/// and the last difference, that span is shown as one hunk instead, in linear time.
fn unified_diff(name: &str, before: &str, after: &str) -> String {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old
        .get(prefix..)
        .unwrap_or_default()
        .iter()
        .rev()
        .zip(new.get(prefix..).unwrap_or_default().iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let differing = (old.len() - prefix - suffix).max(new.len() - prefix - suffix);
    // The diff of a pack is twice its size when every line changes: its lines are escaped as
    // they are made, not made whole and then copied.
    let mut out = String::new();
    if differing <= MAX_DIFFED_LINES {
        let text = similar::TextDiff::from_lines(before, after)
            .unified_diff()
            .context_radius(DIFF_CONTEXT_LINES)
            .header(name, &format!("{name} (formatted)"))
            .to_string();
        out.reserve(text.len());
        for line in text.lines() {
            push_escaped(&mut out, "", line);
        }
    } else {
        out.reserve(before.len() + after.len() + 2 * differing);
        for line in format!("--- {name}\n+++ {name} (formatted)\n").lines() {
            push_escaped(&mut out, "", line);
        }
        one_hunk(&mut out, &old, &new, prefix, suffix);
    }
    match crate::report::escape::ci_commands(crate::report::escape::OutputKind::Terminal, &out) {
        Cow::Owned(escaped) => escaped,
        Cow::Borrowed(_) => out,
    }
}

/// Adds `sign` and `line` to `out` as one line of the diff, safe to print (see
/// [`unified_diff`]), and a line break: as the diff's lines were, split by `str::lines` (which
/// takes `\r\n` as a line break) and escaped one by one.
fn push_escaped(out: &mut String, sign: &str, line: &str) {
    let body = line.strip_suffix('\n').unwrap_or(line);
    let body = body.strip_suffix('\r').unwrap_or(body);
    // The escape is of each character alone, so the sign is added as it is.
    out.push_str(sign);
    out.push_str(&crate::report::escape::terminal_line(body));
    out.push('\n');
}

/// The most lines between the first and the last difference that are diffed line by line.
const MAX_DIFFED_LINES: usize = 10_000;

/// Lines of context around a change in the diff.
const DIFF_CONTEXT_LINES: usize = 3;

/// The unified diff of `old` and `new` (lines with their line breaks) as one hunk, added to `out`
/// (escaped as [`push_escaped`] does): the `prefix` lines they start with and the `suffix` lines
/// they end with in common, around everything between them removed and added.
fn one_hunk(out: &mut String, old: &[&str], new: &[&str], prefix: usize, suffix: usize) {
    let start = prefix.saturating_sub(DIFF_CONTEXT_LINES);
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    let after = suffix.min(DIFF_CONTEXT_LINES);
    let (old_stop, new_stop) = (old_end + after, new_end + after);
    // A unified diff counts lines from 1, and names the line before an empty range.
    let range = |from: usize, to: usize| {
        let count = to - from;
        let first = if count == 0 { from } else { from + 1 };
        format!("{first},{count}")
    };
    let header = format!(
        "@@ -{} +{} @@",
        range(start, old_stop),
        range(start, new_stop)
    );
    push_escaped(out, "", &header);
    let mut push = |sign: &str, lines: &[&str]| {
        for line in lines {
            push_escaped(out, sign, line);
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    };
    push(" ", old.get(start..prefix).unwrap_or_default());
    push("-", old.get(prefix..old_end).unwrap_or_default());
    push("+", new.get(prefix..new_end).unwrap_or_default());
    push(" ", old.get(old_end..old_stop).unwrap_or_default());
}

/// The canonical layout of a rule file, or the file's syntax errors.
///
/// The file is read one item at a time: each item's concrete tree is printed and dropped before
/// the next is parsed, and what it says is kept as places in the file (12 bytes a token) for
/// [`verify`]. The trees of a whole 8 MB pack took some 115 MB, and were held twice (the file's,
/// then the formatted text's) beside the file's syntax tree (#12).
pub fn format(file: &Arc<SourceFile>) -> Result<String, Vec<Diagnostic>> {
    // The rule language reads a `\r` alone as no line end, so such a pack is one comment line to
    // the formatter, which rewrote it where `rules lint` refuses it: refused here the same way.
    if let Some(error) = crate::rules::parse::line_ends_error(file) {
        return Err(vec![error]);
    }
    let comments = crate::rules::parse::comments(&file.text);
    let mut printer = Printer::new(&file.text, &comments);
    let mut tokens: Vec<Token> = Vec::new();
    for item in concrete_items(file) {
        let Ok(item) = item else {
            return Err(syntax_errors(file));
        };
        for leaf in leaves(std::slice::from_ref(&item)) {
            tokens.push(Token::of(leaf).ok_or_else(|| vec![internal_error(file)])?);
        }
        printer.item(item);
    }
    let formatted = printer.finish();
    verify(file, &tokens, &comments, formatted)
}

/// The errors [`crate::rules::parse::parse_file`] finds in a file one of whose items does not
/// parse.
fn syntax_errors(file: &Arc<SourceFile>) -> Vec<Diagnostic> {
    let (_, errors) = crate::rules::parse::parse_file(file);
    if errors.is_empty() {
        vec![internal_error(file)]
    } else {
        errors
    }
}

/// A token of the file, as its kind and place (see [`leaves`]); 12 bytes, where a kind and a
/// `Span` took 24.
#[derive(Clone, Copy, Debug)]
struct Token {
    kind: G,
    start: u32,
    end: u32,
}

impl Token {
    /// `None` past 4 GiB, which a rule file (at most 8 MiB) never reaches.
    fn of(node: &Concrete) -> Option<Token> {
        Some(Token {
            kind: node.rule,
            start: u32::try_from(node.span.start).ok()?,
            end: u32::try_from(node.span.end).ok()?,
        })
    }

    fn text<'t>(&self, text: &'t str) -> &'t str {
        token_text(text, self.kind, &(self.start as usize..self.end as usize))
    }
}

/// Checks that `formatted` says what the file said: the same tokens (`tokens_of_file`, places
/// in the file) and comments, in order; it is returned if so. The formatted text is read one
/// item at a time, as the file was, and an item printed exactly as the file wrote it is not
/// parsed again: its text, hence its parse, is the file's (a formatted pack is verified without
/// a second parse; parsing was four fifths of `rules fmt --check`). The others are parsed for
/// their tokens alone: the checks past the grammar were made on the file, and the same tokens
/// pass them alike.
fn verify(
    file: &Arc<SourceFile>,
    tokens_of_file: &[Token],
    comments_of_file: &[Comment],
    formatted: String,
) -> Result<String, Vec<Diagnostic>> {
    use crate::rules::parse::{item_ranges, item_tokens};
    let reformatted = SourceFile::new(file.name.clone(), formatted);
    let items_of_file = item_ranges(&file.text);
    // The next token of the file to meet.
    let mut next = 0;
    let mut same = true;
    for (index, range) in item_ranges(&reformatted.text).into_iter().enumerate() {
        let as_written = items_of_file.get(index).filter(|written| {
            file.text.get((*written).clone()) == reformatted.text.get(range.clone())
        });
        if let Some(written) = as_written {
            let first =
                tokens_of_file.partition_point(|token| (token.start as usize) < written.start);
            if first == next {
                next = tokens_of_file.partition_point(|token| (token.start as usize) < written.end);
                continue;
            }
        }
        let Some(tokens) = item_tokens(&reformatted.text, range) else {
            same = false;
            break;
        };
        for (kind, span) in tokens {
            let before = tokens_of_file
                .get(next)
                .map(|token| (token.kind, token.text(&file.text)));
            if before != Some((kind, token_text(&reformatted.text, kind, &span))) {
                same = false;
                break;
            }
            next += 1;
        }
        if !same {
            break;
        }
    }
    let comments_before = comments_of_file
        .iter()
        .map(|comment| comment_text(&file.text, &comment.span));
    let comments_after = crate::rules::parse::comments(&reformatted.text);
    let comments_after = comments_after
        .iter()
        .map(|comment| comment_text(&reformatted.text, &comment.span));
    if same && next == tokens_of_file.len() && comments_before.eq(comments_after) {
        return Ok(match Arc::try_unwrap(reformatted) {
            Ok(reformatted) => reformatted.text.into_owned(),
            Err(shared) => shared.text.to_string(),
        });
    }
    Err(vec![
        Diagnostic::error(
            "rules::fmt-internal",
            file,
            0..0,
            tr!(
                "格式化会改变这个规则文件的内容,文件保持原样",
                "formatting would change what this rule file says, so it is left as it is"
            ),
            tr!("", ""),
        )
        .with_help(tr!(
            "请把这个规则文件报告给 yimi 的维护者",
            "please report this rule file to the yimi maintainers"
        )),
    ])
}

/// The error of a file the formatter cannot read as it was parsed.
fn internal_error(file: &Arc<SourceFile>) -> Diagnostic {
    Diagnostic::error(
        "rules::fmt-internal",
        file,
        0..0,
        tr!(
            "格式化时无法读取这个规则文件,文件保持原样",
            "this rule file could not be read for formatting, so it is left as it is"
        ),
        tr!("", ""),
    )
    .with_help(tr!(
        "请把这个规则文件报告给 yimi 的维护者",
        "please report this rule file to the yimi maintainers"
    ))
}

/// The leaves of the trees (keywords, names, numbers, strings, operators), one at a time: an
/// 8 MB pack has a million of them, and two lists of them (the file's and the formatted text's,
/// each token a string of its own) beside two trees held most of `rules fmt --check`'s memory.
fn leaves(items: &[Concrete]) -> impl Iterator<Item = &Concrete> {
    let mut pending: Vec<&Concrete> = items.iter().rev().collect();
    std::iter::from_fn(move || {
        while let Some(node) = pending.pop() {
            // A string's parts (its quotes and its inside) are one token.
            if node.children.is_empty() || node.rule == G::string {
                return Some(node);
            }
            pending.extend(node.children.iter().rev());
        }
        None
    })
}

/// A token's text as printed (see [`leaf_text`]).
fn token_text<'t>(text: &'t str, kind: G, span: &Span) -> &'t str {
    match kind {
        G::op_not_in => "not in",
        _ => text.get(span.clone()).unwrap_or_default(),
    }
}

fn comment_text<'t>(text: &'t str, span: &Span) -> &'t str {
    text.get(span.clone()).unwrap_or_default().trim_end()
}

/// A token as printed: as written, but `not   in` as `not in`.
fn leaf_text(text: &str, node: &Concrete) -> String {
    token_text(text, node.rule, &node.span).to_owned()
}

fn width(text: &str) -> usize {
    text.width()
}

/// What a part of an item is, for placing comments and blank lines.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Part {
    /// An item without braces, whole.
    Whole,
    /// `rule id "title" {`
    Header,
    /// One field, by its index among the item's children.
    Field(usize),
    /// The closing `}`.
    Close,
}

/// A part of an item with the comments placed on it.
#[derive(Debug)]
struct Segment {
    part: Part,
    span: Span,
    /// Comments printed on their own lines before it.
    leading: Vec<Comment>,
    /// Comments at the end of its last line (only the last one stays there).
    trailing: Vec<Comment>,
}

/// Prints a file one item at a time ([`Printer::item`], then [`Printer::finish`]), holding the
/// last item given until the next comes: a comment between two items belongs to one or the
/// other by where the next item starts.
struct Printer<'a> {
    text: &'a str,
    /// The file's comments, in file order.
    comments: &'a [Comment],
    /// The first comment not yet placed.
    next_comment: usize,
    /// Comments on their own lines after the last item printed, which lead the next one.
    carried: Vec<Comment>,
    /// The item given last, not yet printed.
    held: Option<Concrete>,
    /// Whether the item printed last takes several lines.
    previous_multiline: bool,
    after_header: bool,
    out: Rendered,
}

/// Whether each grammar rule, by its number, is a field (`…_field`) and a keyword (`kw_…`): named
/// so by the grammar, so a rule added to it needs no list here. Worked out once: the names made
/// anew for every node were a twentieth of `rules fmt --check`'s instructions (#12).
static KINDS: LazyLock<Vec<(bool, bool)>> = LazyLock::new(|| {
    let all = G::all_rules();
    let count = all.iter().map(|&kind| kind as usize + 1).max().unwrap_or(0);
    let mut kinds = vec![(false, false); count];
    for &kind in all {
        let name = format!("{kind:?}");
        if let Some(slot) = kinds.get_mut(kind as usize) {
            *slot = (name.ends_with("_field"), name.starts_with("kw_"));
        }
    }
    kinds
});

fn is_field(kind: G) -> bool {
    KINDS.get(kind as usize).is_some_and(|&(field, _)| field)
}

fn is_keyword(kind: G) -> bool {
    KINDS
        .get(kind as usize)
        .is_some_and(|&(_, keyword)| keyword)
}

/// Items written with `{ … }`.
fn has_braces(kind: G) -> bool {
    matches!(kind, G::pack | G::param | G::refine | G::target | G::rule)
}

/// The column at which values start inside an item of this kind: the width of its longest
/// usual field keyword (a longer one, `addressee`, pushes its own value further).
fn key_width(kind: G) -> usize {
    match kind {
        G::pack => "jurisdiction".len(),
        G::param | G::refine => "value".len(),
        G::target => "threshold".len(),
        _ => "strength".len(),
    }
}

/// Fields written with a single space after the keyword: they are lists, not key and value.
fn unpadded(keyword: &str) -> bool {
    matches!(keyword, "test" | "let")
}

fn is_prefix(kind: G) -> bool {
    matches!(kind, G::op_not | G::op_neg)
}

fn is_infix(kind: G) -> bool {
    matches!(
        kind,
        G::op_and
            | G::op_or
            | G::op_eq
            | G::op_ne
            | G::op_ge
            | G::op_le
            | G::op_gt
            | G::op_lt
            | G::op_in
            | G::op_not_in
            | G::op_add
            | G::op_sub
            | G::op_mul
            | G::op_div
    )
}

impl<'a> Printer<'a> {
    fn leaf(&self, node: &Concrete) -> String {
        leaf_text(self.text, node)
    }

    fn new(text: &'a str, comments: &'a [Comment]) -> Printer<'a> {
        Printer {
            text,
            comments,
            next_comment: 0,
            carried: Vec::new(),
            held: None,
            previous_multiline: false,
            after_header: false,
            // The formatted text is about as long as the file.
            out: Rendered::with_capacity(text.len() + text.len() / 8),
        }
    }

    /// The next item of the file; the one before it is printed now that it is known where this
    /// one starts.
    fn item(&mut self, item: Concrete) {
        // Its first part starts where it does.
        let next_start = item.span.start;
        if let Some(held) = self.held.take() {
            self.print(&held, Some(next_start));
        }
        self.held = Some(item);
    }

    /// The text, once every item is given.
    fn finish(mut self) -> String {
        if let Some(held) = self.held.take() {
            self.print(&held, None);
        }
        let mut end_comments = std::mem::take(&mut self.carried);
        end_comments.extend(
            self.comments
                .get(self.next_comment..)
                .unwrap_or_default()
                .iter()
                .cloned(),
        );
        let mut first = true;
        for comment in &end_comments {
            let blank = if first {
                !self.out.is_empty() && self.blank_before(comment.span.start)
            } else {
                self.blank_before(comment.span.start)
            };
            self.out.blank(blank);
            self.out.push(self.comment(comment).to_owned(), None);
            first = false;
        }
        self.out.finish()
    }

    /// Prints `item`, placing the comments before `next_start` (where the next item's first
    /// part starts; `None` for the last item) on its parts or, those on their own lines after
    /// its last part, on the next item.
    ///
    /// A comment inside a part leads it; one on its own line leads the next part; one after code
    /// ends the line of the part before it; one before every part leads the first.
    fn print(&mut self, item: &Concrete, next_start: Option<usize>) {
        let mut segments = Self::item_segments(item);
        if let Some(first) = segments.first_mut() {
            first.leading.append(&mut self.carried);
        }
        while let Some(comment) = self.comments.get(self.next_comment) {
            if next_start.is_some_and(|next| comment.span.start >= next) {
                break;
            }
            self.next_comment += 1;
            let after =
                segments.partition_point(|segment| segment.span.start <= comment.span.start);
            let inside = after.checked_sub(1).filter(|&before| {
                segments
                    .get(before)
                    .is_some_and(|segment| segment.span.end > comment.span.start)
            });
            let target = if let Some(inside) = inside {
                segments.get_mut(inside).map(|segment| &mut segment.leading)
            } else if comment.own_line {
                match segments.get_mut(after) {
                    Some(segment) => Some(&mut segment.leading),
                    None => Some(&mut self.carried),
                }
            } else {
                match after.checked_sub(1) {
                    Some(before) => segments
                        .get_mut(before)
                        .map(|segment| &mut segment.trailing),
                    None => segments.get_mut(after).map(|segment| &mut segment.leading),
                }
            };
            match target {
                Some(list) => list.push(comment.clone()),
                None => self.carried.push(comment.clone()),
            }
        }
        let multiline = self.multiline(item);
        let mut first_of_item = true;
        for segment in &segments {
            let indent = match segment.part {
                Part::Whole | Part::Header => "",
                Part::Field(_) | Part::Close => FIELD_INDENT,
            };
            let code_indent = if segment.part == Part::Close {
                ""
            } else {
                indent
            };
            let mut comments: Vec<&Comment> = segment.leading.iter().collect();
            let trailing = segment.trailing.split_last();
            if let Some((_, earlier)) = trailing {
                comments.extend(earlier);
                comments.sort_by_key(|comment| comment.span.start);
            }
            let mut first_line = true;
            for comment in comments {
                let blank = if first_line && first_of_item {
                    !self.out.is_empty()
                } else {
                    !(first_line && self.after_header) && self.blank_before(comment.span.start)
                };
                self.out.blank(blank);
                self.out
                    .push(format!("{indent}{}", self.comment(comment)), None);
                first_line = false;
                self.after_header = false;
            }
            let blank = match segment.part {
                _ if first_line && first_of_item => {
                    !self.out.is_empty()
                        && (self.blank_before(segment.span.start)
                            || multiline
                            || self.previous_multiline)
                }
                Part::Close => false,
                Part::Header | Part::Whole => self.blank_before(segment.span.start),
                Part::Field(_) => !self.after_header && self.blank_before(segment.span.start),
            };
            self.out.blank(blank);
            let code = match segment.part {
                Part::Whole => self.whole(item),
                Part::Header => self.header(item),
                Part::Field(index) => item
                    .children
                    .get(index)
                    .map(|field| self.field(item.rule, field))
                    .unwrap_or_default(),
                Part::Close => vec!["}".to_owned()],
            };
            let count = code.len();
            for (index, code) in code.into_iter().enumerate() {
                let comment = trailing
                    .filter(|_| index + 1 == count)
                    .map(|(last, _)| self.comment(last).to_owned());
                self.out.push(format!("{code_indent}{code}"), comment);
            }
            self.after_header = segment.part == Part::Header;
            first_of_item = false;
        }
        self.previous_multiline = multiline;
    }

    /// Whether an item is printed on several lines; items of one line (`indicator`,
    /// `not_checkable`) may stand in a group without blank lines between them.
    fn multiline(&self, item: &Concrete) -> bool {
        has_braces(item.rule) || self.whole(item).len() > 1
    }

    /// A comment as printed: as written, without trailing spaces.
    fn comment(&self, comment: &Comment) -> &str {
        self.text
            .get(comment.span.clone())
            .unwrap_or_default()
            .trim_end()
    }

    /// Whether a blank line precedes `at` in the file.
    fn blank_before(&self, at: usize) -> bool {
        let before = self.text.get(..at).unwrap_or_default();
        let code_end = before.trim_end().len();
        before
            .get(code_end..)
            .is_some_and(|space| space.matches('\n').count() >= 2)
    }

    /// An item's parts, in file order.
    fn item_segments(item: &Concrete) -> Vec<Segment> {
        let segment = |part, span: Span| Segment {
            part,
            span,
            leading: Vec::new(),
            trailing: Vec::new(),
        };
        if !has_braces(item.rule) {
            return vec![segment(Part::Whole, item.span.clone())];
        }
        let mut segments = Vec::new();
        let header_end = item
            .children
            .iter()
            .take_while(|child| !is_field(child.rule))
            .last()
            .map_or(item.span.start, token_end);
        segments.push(segment(Part::Header, item.span.start..header_end));
        for (position, child) in item.children.iter().enumerate() {
            if is_field(child.rule) {
                let span = child.span.start..token_end(child);
                segments.push(segment(Part::Field(position), span));
            }
        }
        let close = item.span.end.saturating_sub(1)..item.span.end;
        segments.push(segment(Part::Close, close));
        segments
    }

    /// `rule id "title" {`, with the English on a line of its own when the line is too long.
    fn header(&self, item: &Concrete) -> Vec<String> {
        let parts: Vec<&Concrete> = item
            .children
            .iter()
            .take_while(|child| !is_field(child.rule))
            .collect();
        self.words(&parts, &en_prefix_for_item(item), " {")
    }

    /// An item without braces: `indicator …`, `not_checkable …`.
    fn whole(&self, item: &Concrete) -> Vec<String> {
        let parts: Vec<&Concrete> = item.children.iter().collect();
        self.words(&parts, &en_prefix_for_item(item), "")
    }

    /// Tokens separated by spaces (clauses by commas), a text's English on its own line
    /// (starting with `en_prefix`) when the line would be too long; `suffix` ends the last line.
    fn words(&self, parts: &[&Concrete], en_prefix: &str, suffix: &str) -> Vec<String> {
        let mut lines = vec![String::new()];
        for (position, part) in parts.iter().enumerate() {
            let Some(line) = lines.last_mut() else {
                break;
            };
            let previous = position.checked_sub(1).and_then(|before| parts.get(before));
            if previous.is_some_and(|previous| previous.rule == G::clause_ref)
                && part.rule == G::clause_ref
            {
                line.push(',');
            }
            if !line.is_empty() {
                line.push(' ');
            }
            let rest_suffix = if position + 1 == parts.len() {
                suffix
            } else {
                ""
            };
            if part.rule == G::text {
                let mut text = self.text_lines(part, line, en_prefix, rest_suffix);
                lines.pop();
                lines.append(&mut text);
                continue;
            }
            line.push_str(&self.flat(part));
        }
        if parts.last().is_none_or(|last| last.rule != G::text)
            && let Some(line) = lines.last_mut()
        {
            line.push_str(suffix);
        }
        lines
    }

    /// A text after `prefix`: `"中文" en "English"` on one line if it fits, else the English on
    /// the next line.
    fn text_lines(
        &self,
        text: &Concrete,
        prefix: &str,
        en_prefix: &str,
        suffix: &str,
    ) -> Vec<String> {
        let mut strings = text.children.iter().filter(|child| child.rule == G::string);
        let zh = strings.next().map(|zh| self.leaf(zh)).unwrap_or_default();
        let Some(en) = strings.next().map(|en| self.leaf(en)) else {
            return vec![format!("{prefix}{zh}{suffix}")];
        };
        let one = format!("{prefix}{zh} en {en}{suffix}");
        if width(&one) <= MAX_WIDTH {
            return vec![one];
        }
        vec![format!("{prefix}{zh}"), format!("{en_prefix}{en}{suffix}")]
    }

    /// A field: its keyword padded to the item's value column, then its value.
    fn field(&self, item_kind: G, field: &Concrete) -> Vec<String> {
        let mut children = field.children.iter().peekable();
        let keyword = match children.peek() {
            Some(first) if is_keyword(first.rule) => children.next().map(|kw| self.leaf(kw)),
            _ => None,
        }
        .unwrap_or_default();
        let mut lines = vec![if unpadded(&keyword) {
            keyword.clone()
        } else {
            format!("{keyword:<width$}", width = key_width(item_kind))
        }];
        let mut missing = false;
        let mut paths: Vec<String> = Vec::new();
        for child in children {
            let Some(line) = lines.last_mut() else {
                break;
            };
            if child.rule == G::data_path && missing {
                paths.push(self.leaf(child));
                continue;
            }
            line.push(' ');
            match child.rule {
                G::text => {
                    // Fields start after the indentation, and columns are counted from the margin.
                    let column = FIELD_INDENT.len() + width(line);
                    let en_at = column.saturating_sub(3).min(7);
                    let en_prefix = format!(
                        "{}en{}",
                        " ".repeat(en_at.saturating_sub(FIELD_INDENT.len())),
                        " ".repeat(column.saturating_sub(en_at + 2).max(1))
                    );
                    let mut text = self.text_lines(child, line, &en_prefix, "");
                    lines.pop();
                    lines.append(&mut text);
                }
                G::expr => {
                    if field.rule == G::let_field {
                        line.push_str("= ");
                    }
                    let column = FIELD_INDENT.len() + width(line);
                    let laid_out = self.layout(&child.children, column);
                    let mut parts = laid_out.split('\n');
                    if let Some(first) = parts.next() {
                        line.push_str(first);
                    }
                    for part in parts {
                        // Continuation lines are laid out from the margin; the indentation that
                        // every field line gets is taken off here.
                        let part = part.strip_prefix(FIELD_INDENT).unwrap_or(part);
                        lines.push(part.to_owned());
                    }
                }
                G::kw_missing => {
                    missing = true;
                    line.push_str(&self.leaf(child));
                }
                _ => line.push_str(&self.flat(child)),
            }
        }
        if missing && let Some(line) = lines.last_mut() {
            line.push_str(&format!(" [{}]", paths.join(", ")));
        }
        lines
    }

    /// An expression's operands and operators on one line.
    fn flat_sequence(&self, sequence: &[Concrete]) -> String {
        let mut out = String::new();
        for node in sequence {
            match node.rule {
                G::op_not => out.push_str("not "),
                G::op_neg => out.push('-'),
                kind if is_infix(kind) => {
                    out.push(' ');
                    out.push_str(&self.leaf(node));
                    out.push(' ');
                }
                _ => out.push_str(&self.flat(node)),
            }
        }
        out
    }

    /// Any node on one line.
    fn flat(&self, node: &Concrete) -> String {
        let children = &node.children;
        match node.rule {
            G::expr => self.flat_sequence(children),
            G::paren => format!("({})", self.flat_all(children, "")),
            G::call => {
                let (name, arguments) = children
                    .split_first()
                    .map_or((String::new(), &[][..]), |(name, rest)| {
                        (self.leaf(name), rest)
                    });
                format!("{name}({})", self.flat_all(arguments, ", "))
            }
            G::lambda => {
                let (name, body) = children
                    .split_first()
                    .map_or((String::new(), &[][..]), |(name, rest)| {
                        (self.leaf(name), rest)
                    });
                format!("{name} => {}", self.flat_all(body, ""))
            }
            G::list => format!("[{}]", self.flat_all(children, ", ")),
            G::quantity | G::text => self.flat_all(children, " "),
            G::string => self.leaf(node),
            _ if children.is_empty() => self.leaf(node),
            _ => self.flat_all(children, " "),
        }
    }

    fn flat_all(&self, nodes: &[Concrete], separator: &str) -> String {
        nodes
            .iter()
            .map(|node| self.flat(node))
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// An expression starting at `column`: on one line if it fits, else broken before each `or`
    /// (failing that, each `and`) with the operator right-aligned so that the operands line up,
    /// or inside the last argument of a call (a lambda's body). An `and` broken inside an `or`
    /// is indented further, so that the nesting shows.
    fn layout(&self, sequence: &[Concrete], column: usize) -> String {
        self.layout_from(sequence, column, column)
    }

    /// As [`Printer::layout`], the first line starting at `first` and operands on further lines
    /// at `rest`.
    fn layout_from(&self, sequence: &[Concrete], first: usize, rest: usize) -> String {
        let flat = self.flat_sequence(sequence);
        if first + width(&flat) <= MAX_WIDTH {
            return flat;
        }
        for (operator, symbol) in [(G::op_or, "or"), (G::op_and, "and")] {
            let operands: Vec<&[Concrete]> = sequence.split(|node| node.rule == operator).collect();
            if operands.len() < 2 {
                continue;
            }
            let nested = if operator == G::op_or { rest + 4 } else { rest };
            let indent = " ".repeat(rest.saturating_sub(symbol.len() + 1));
            let mut out = String::new();
            for (index, operand) in operands.iter().enumerate() {
                let start = if index == 0 {
                    first
                } else {
                    out.push('\n');
                    out.push_str(&indent);
                    out.push_str(symbol);
                    out.push(' ');
                    rest
                };
                out.push_str(&self.layout_from(operand, start, nested));
            }
            return out;
        }
        let prefixes = sequence
            .iter()
            .take_while(|node| is_prefix(node.rule))
            .count();
        if let (Some(primary), Some(prefix)) = (sequence.last(), sequence.get(..prefixes))
            && prefixes + 1 == sequence.len()
        {
            let prefix = self.flat_sequence(prefix);
            return format!(
                "{prefix}{}",
                self.layout_primary(primary, first + width(&prefix))
            );
        }
        flat
    }

    fn layout_primary(&self, node: &Concrete, column: usize) -> String {
        match node.rule {
            G::paren => {
                let inner = node
                    .children
                    .first()
                    .map(|expr| self.layout(&expr.children, column + 1))
                    .unwrap_or_default();
                format!("({inner})")
            }
            G::call => {
                let Some((name, arguments)) = node.children.split_first() else {
                    return self.flat(node);
                };
                let Some((last, before)) = arguments.split_last() else {
                    return self.flat(node);
                };
                let mut head = format!("{}(", self.leaf(name));
                for argument in before {
                    head.push_str(&self.flat(argument));
                    head.push_str(", ");
                }
                let last = match last.rule {
                    G::lambda => {
                        let Some((parameter, body)) = last.children.split_first() else {
                            return self.flat(node);
                        };
                        let lead = format!("{} => ", self.leaf(parameter));
                        let body = body
                            .first()
                            .map(|body| {
                                self.layout(&body.children, column + width(&head) + width(&lead))
                            })
                            .unwrap_or_default();
                        format!("{lead}{body}")
                    }
                    G::expr => self.layout(&last.children, column + width(&head)),
                    _ => self.flat(last),
                };
                format!("{head}{last})")
            }
            _ => self.flat(node),
        }
    }
}

/// Where a header's or a whole item's English goes: under the title's id (`rule `, `target `).
fn en_prefix_for_item(item: &Concrete) -> String {
    let indent = match item.rule {
        G::target => "target ".len(),
        _ => "rule ".len(),
    };
    format!("{}en ", " ".repeat(indent))
}

/// Where the last token of a node ends: a node's own span may reach over the spaces and
/// comments after it, which belong to what follows.
fn token_end(node: &Concrete) -> usize {
    let mut last = node;
    while last.rule != G::string
        && let Some(child) = last.children.last()
    {
        last = child;
    }
    last.span.end
}

/// The text printed so far, line by line: runs of lines that end with comments have them
/// aligned, two spaces after the longest line of the run. Only the run is held as lines (the lines
/// of a whole 8 MB pack took some 25 MB as strings of their own).
#[derive(Debug)]
struct Rendered {
    out: String,
    run: Vec<(String, String)>,
    /// What the last line was: `None` before any, `Some(true)` a blank line.
    last_blank: Option<bool>,
}

impl Rendered {
    fn with_capacity(capacity: usize) -> Rendered {
        Rendered {
            out: String::with_capacity(capacity),
            run: Vec::new(),
            last_blank: None,
        }
    }

    fn is_empty(&self) -> bool {
        self.last_blank.is_none()
    }

    /// A blank line, if `blank`, unless at the start or after a blank line.
    fn blank(&mut self, blank: bool) {
        if blank && self.last_blank == Some(false) {
            self.flush();
            self.out.push('\n');
            self.last_blank = Some(true);
        }
    }

    /// A line of code (or a comment on its own line) and the comment that ends it.
    fn push(&mut self, code: String, comment: Option<String>) {
        self.last_blank = Some(false);
        match comment {
            Some(comment) => self.run.push((code, comment)),
            None => {
                self.flush();
                self.out.push_str(code.trim_end());
                self.out.push('\n');
            }
        }
    }

    fn flush(&mut self) {
        let column = self
            .run
            .iter()
            .map(|(code, _)| width(code))
            .max()
            .unwrap_or(0)
            + 2;
        for (code, comment) in self.run.drain(..) {
            let pad = column.saturating_sub(width(&code));
            self.out.push_str(&code);
            self.out.push_str(&" ".repeat(pad));
            self.out.push_str(&comment);
            self.out.push('\n');
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests;
