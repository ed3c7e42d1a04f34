//! What human and plain output quote of a source file, bounded whatever the file: a line longer
//! than [`WHOLE_LINE_BYTES`] is shown as a window around the underlined place, with `…` where it
//! is cut; a label over more than [`MAX_LABEL_LINES`] lines underlines only its first line; and
//! a file's input problems are shown up to [`MAX_SHOWN_DIAGNOSTICS`] (JSON and SARIF list all
//! the loader keeps: a project file's first [`MAX_LISTED_ERRORS`] errors, and one more counting
//! the rest, which human and plain output show too).
//!
//! [`MAX_LISTED_ERRORS`]: crate::project::load::MAX_LISTED_ERRORS
//! Windows are cut on character boundaries, so Chinese text is never split.

use std::ops::Range;

use super::escape;
use crate::base::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::base::i18n::Lang;
use crate::project::load::{MAX_LISTED_ERRORS, TOO_MANY_ERRORS};

/// Lines of at most this many bytes are shown whole.
pub const WHOLE_LINE_BYTES: usize = 300;
/// Of a longer line, the window shown starts this many bytes before the place it is about…
const BEFORE_BYTES: usize = 60;
/// …and is this many bytes long.
const WINDOW_BYTES: usize = 160;
/// A label over more lines than this underlines only its first line.
pub const MAX_LABEL_LINES: usize = 8;
/// Runs of lines at most this many lines apart are shown as one, the lines between included.
const MERGE_GAP: usize = 3;
/// Input problems shown per file in human and plain output; the rest are counted.
pub const MAX_SHOWN_DIAGNOSTICS: usize = 20;
/// What marks where a line is cut.
const ELLIPSIS: &str = "…";

/// The part of a line that is shown: bytes `start..end` of the file, and whether the line goes
/// on before and after them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// First byte shown.
    pub start: usize,
    /// Byte after the last shown.
    pub end: usize,
    /// The line starts before `start`.
    pub cut_before: bool,
    /// The line goes on after `end`.
    pub cut_after: bool,
}

/// The window of the line `line` (a byte range of `text` without its newline) shown for a place
/// at byte `focus`: the whole line when it is short, else a window around `focus`.
pub fn window(text: &str, line: Range<usize>, focus: usize) -> Window {
    if line.end.saturating_sub(line.start) <= WHOLE_LINE_BYTES {
        return Window {
            start: line.start,
            end: line.end,
            cut_before: false,
            cut_after: false,
        };
    }
    let focus = focus.clamp(line.start, line.end);
    let mut start = focus.saturating_sub(BEFORE_BYTES).max(line.start);
    let mut end = start.saturating_add(WINDOW_BYTES).min(line.end);
    // Near the end of the line, show a full window all the same.
    if end == line.end {
        start = end.saturating_sub(WINDOW_BYTES).max(line.start);
    }
    while start > line.start && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < line.end && !text.is_char_boundary(end) {
        end += 1;
    }
    Window {
        start,
        end,
        cut_before: start > line.start,
        cut_after: end < line.end,
    }
}

/// The shown text of a window, with `…` where the line is cut, and hidden characters (controls,
/// bidi overrides, zero-width characters) written as `\u{…}` so a quoted line cannot move the
/// cursor or reorder itself.
pub fn shown(text: &str, window: &Window) -> String {
    let mut out = String::new();
    if window.cut_before {
        out.push_str(ELLIPSIS);
    }
    out.push_str(&escape::source_line(
        text.get(window.start..window.end).unwrap_or_default(),
    ));
    if window.cut_after {
        out.push_str(ELLIPSIS);
    }
    out
}

/// A line of an [`Excerpt`]: where it is in the file and in the excerpt.
#[derive(Debug)]
struct ExcerptLine {
    /// The line's byte range in the file, without its newline.
    line: Range<usize>,
    window: Window,
    /// Where the line starts in the excerpt.
    at: usize,
    /// Where the next line starts in the excerpt.
    next: usize,
}

/// Consecutive lines of the file, as they appear in an [`Excerpt`].
#[derive(Debug)]
pub struct Segment {
    /// Byte range in the excerpt.
    pub range: Range<usize>,
    /// The 0-based line of the file it starts at.
    pub first_line: usize,
}

/// The lines around a diagnostic's labels, each clipped to a window: what the human output
/// quotes instead of the whole file. Labels are mapped into the excerpt's text; a label's start
/// keeps its line and column in the file for the header.
#[derive(Debug)]
pub struct Excerpt {
    /// The lines shown, one after another (segments are not adjacent in the file).
    pub text: String,
    /// The runs of consecutive lines, in order.
    pub segments: Vec<Segment>,
    /// The labels' spans in `text`, in the order given.
    pub spans: Vec<Range<usize>>,
    /// Each label's start in `text`, with its 0-based line and column (in characters) in the
    /// file.
    pub anchors: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `file` for labels at `spans`, with `context` lines around each.
    pub fn new(file: &SourceFile, spans: &[Range<usize>], context: usize) -> Excerpt {
        let text: &str = &file.text;
        let last_line = file.line_count().saturating_sub(1);
        // Each label's span (cut to its first line when it covers too many) and its lines.
        let labels: Vec<(Range<usize>, usize, usize)> = spans
            .iter()
            .map(|span| {
                let span = file.clamp(span.clone());
                let first = file.line_index(span.start);
                let mut last = if span.end > span.start {
                    file.line_index(span.end - 1)
                } else {
                    first
                };
                let mut span = span;
                if last.saturating_sub(first) >= MAX_LABEL_LINES {
                    let end = file
                        .line_range(first)
                        .map_or(span.start, |(line, _)| line.end);
                    span = span.start..end.max(span.start);
                    last = first;
                }
                (span, first, last)
            })
            .collect();
        // The runs of lines to show: each label's lines with their context, merged where they
        // touch or only a few lines lie between (which are then shown too).
        let mut runs: Vec<(Range<usize>, usize)> = labels
            .iter()
            .map(|(span, first, last)| {
                // A part of a file (a baseline) holds no line before its first.
                let lines = first.saturating_sub(context).max(file.first_line())
                    ..last.saturating_add(context).min(last_line);
                (lines, span.start)
            })
            .collect();
        runs.sort_by_key(|(lines, _)| (lines.start, lines.end));
        let mut merged: Vec<(Range<usize>, usize)> = Vec::new();
        for (lines, focus) in runs {
            match merged.last_mut() {
                Some((last, _)) if lines.start <= last.end.saturating_add(1 + MERGE_GAP) => {
                    last.end = last.end.max(lines.end);
                }
                _ => merged.push((lines, focus)),
            }
        }
        let mut excerpt = Excerpt {
            text: String::new(),
            segments: Vec::new(),
            spans: Vec::new(),
            anchors: Vec::new(),
        };
        let mut lines: Vec<ExcerptLine> = Vec::new();
        for (range, focus) in merged {
            let start = excerpt.text.len();
            // A line without a label of its own is cut at the same distance from its start as
            // the run's first label.
            let focus_column = file
                .line_range(file.line_index(focus))
                .map_or(0, |(line, _)| focus.saturating_sub(line.start));
            for line0 in range.start..=range.end {
                let Some((line, newline)) = file.line_range(line0) else {
                    break;
                };
                let own_focus = labels
                    .iter()
                    .filter(|(_, first, _)| *first == line0)
                    .map(|(span, _, _)| span.start)
                    .min()
                    .or_else(|| {
                        labels
                            .iter()
                            .filter(|(_, _, last)| *last == line0)
                            .map(|(span, _, _)| span.end)
                            .min()
                    })
                    .unwrap_or(line.start.saturating_add(focus_column));
                let window = window(text, line.clone(), own_focus);
                let at = excerpt.text.len();
                excerpt.text.push_str(&shown(text, &window));
                if newline {
                    excerpt.text.push('\n');
                }
                lines.push(ExcerptLine {
                    line,
                    window,
                    at,
                    next: excerpt.text.len(),
                });
            }
            excerpt.segments.push(Segment {
                range: start..excerpt.text.len(),
                first_line: range.start,
            });
        }
        for (span, _, _) in &labels {
            let start = map(text, &lines, span.start);
            let end = map(text, &lines, span.end).max(start);
            excerpt.spans.push(start..end);
            let (line, column) = file.line_col(span.start);
            excerpt
                .anchors
                .push((start, line.saturating_sub(1), column.saturating_sub(1)));
        }
        excerpt
    }
}

/// Where byte `offset` of the file is in the excerpt: inside a window, where it is; before a
/// window, at its start (the `…`); after it, past the `…`, so an underline shows it goes on.
fn map(text: &str, lines: &[ExcerptLine], offset: usize) -> usize {
    // The last line starting at or before the offset.
    let index = lines
        .partition_point(|line| line.line.start <= offset)
        .saturating_sub(1);
    let Some(line) = lines.get(index) else {
        return 0;
    };
    let window = &line.window;
    let prefix = if window.cut_before { ELLIPSIS.len() } else { 0 };
    let shown_end = line.at + prefix + shown_len(text, window.start..window.end);
    if offset < window.start {
        line.at
    } else if offset <= window.end {
        line.at + prefix + shown_len(text, window.start..offset)
    } else if window.cut_after {
        shown_end + ELLIPSIS.len()
    } else {
        // On the line's newline, or past the lines shown.
        (shown_end + (offset - window.end)).min(line.next)
    }
}

/// How many bytes `range` of `text` takes once shown (hidden characters escaped).
pub fn shown_len(text: &str, range: Range<usize>) -> usize {
    text.get(range.clone())
        .map_or(range.len(), |part| escape::source_line(part).len())
}

/// A file's problems human and plain output leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeftOut<'a> {
    /// The file.
    pub name: &'a str,
    /// Diagnostics the loader kept (JSON lists them) that are not shown.
    pub hidden: usize,
    /// Errors past the loader's cap, counted in its closing error (shown) and listed nowhere.
    pub unlisted: usize,
}

impl LeftOut<'_> {
    /// Every problem of the file not shown: those kept and hidden, and those only counted.
    pub fn problems(&self) -> usize {
        self.hidden.saturating_add(self.unlisted)
    }
}

/// How many errors `diagnostics` say a file has: those listed, and those the closing error of a
/// file past the loader's cap counts (not the closing error itself, which is no error of the
/// file). For a capped file: its true number, not the 1,001 diagnostics kept.
pub fn error_count<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> usize {
    diagnostics
        .into_iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| {
            if diagnostic.code == TOO_MANY_ERRORS {
                diagnostic.unlisted
            } else {
                1
            }
        })
        .fold(0, usize::saturating_add)
}

/// Which diagnostics human and plain output show: all of a file's when it has at most
/// [`MAX_SHOWN_DIAGNOSTICS`], else its most severe ones up to that number (earlier first among
/// equals), so an error is never hidden behind warnings; the count of the errors a project file
/// has past those the loader keeps is always shown. Returns whether each is shown, and what is
/// left out of each file with some left out.
pub fn chosen<'a>(diagnostics: &[&'a Diagnostic]) -> (Vec<bool>, Vec<LeftOut<'a>>) {
    let mut shown = vec![true; diagnostics.len()];
    let mut left_out: Vec<LeftOut<'a>> = Vec::new();
    // Each file's diagnostics, files in name order.
    let mut by_file: std::collections::BTreeMap<&str, Vec<(usize, Severity, bool)>> =
        std::collections::BTreeMap::new();
    let mut unlisted: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        let name = diagnostic.file.name.as_str();
        let counts = diagnostic.code == TOO_MANY_ERRORS;
        if counts {
            let sum = unlisted.entry(name).or_default();
            *sum = sum.saturating_add(diagnostic.unlisted);
        }
        by_file
            .entry(name)
            .or_default()
            .push((index, diagnostic.severity, counts));
    }
    for (name, mut of_file) in by_file {
        if of_file.len() <= MAX_SHOWN_DIAGNOSTICS {
            continue;
        }
        // Most severe first, the count of unlisted errors first of all (it is shown where it
        // is, last); the sort is stable, so earlier first among equals.
        of_file.sort_by_key(|(_, severity, counts)| (!*counts, std::cmp::Reverse(*severity)));
        let hidden = of_file.split_off(MAX_SHOWN_DIAGNOSTICS);
        for (index, ..) in &hidden {
            if let Some(flag) = shown.get_mut(*index) {
                *flag = false;
            }
        }
        left_out.push(LeftOut {
            name,
            hidden: hidden.len(),
            unlisted: unlisted.get(name).copied().unwrap_or(0),
        });
    }
    (shown, left_out)
}

/// The line saying how many of a file's problems were left out; `in_json` when the same
/// command can list them with `--format json`: all of them, or, for a file past the loader's
/// cap, those it kept (the cap is named, the rest only counted).
pub fn left_out_line(left_out: &LeftOut<'_>, in_json: bool, lang: Lang) -> String {
    let count = thousands(left_out.problems());
    let name = escape::terminal_line(left_out.name);
    let listed = thousands(left_out.hidden);
    let cap = thousands(MAX_LISTED_ERRORS);
    match (lang, in_json, left_out.unlisted > 0) {
        (Lang::Zh, true, false) => {
            format!("…… `{name}` 另有 {count} 个问题未显示(`--format json` 列出全部)")
        }
        (Lang::Zh, true, true) => format!(
            "…… `{name}` 另有 {count} 个问题未显示(`--format json` 列出其中 {listed} 个:一个文件只列出前 {cap} 处错误,其余只计数)"
        ),
        (Lang::Zh, false, false) => format!("…… `{name}` 另有 {count} 个问题未显示"),
        (Lang::Zh, false, true) => format!(
            "…… `{name}` 另有 {count} 个问题未显示(一个文件只列出前 {cap} 处错误,其余只计数)"
        ),
        (Lang::En, true, false) => format!(
            "… and {count} more problems in `{name}` not shown (`--format json` lists them all)"
        ),
        (Lang::En, true, true) => format!(
            "… and {count} more problems in `{name}` not shown (`--format json` lists {listed} of them: a file's errors past the first {cap} are only counted)"
        ),
        (Lang::En, false, false) => format!("… and {count} more problems in `{name}` not shown"),
        (Lang::En, false, true) => format!(
            "… and {count} more problems in `{name}` not shown (a file's errors past the first {cap} are only counted)"
        ),
    }
}

/// Quoted input longer than this many bytes is shortened in messages.
const MAX_QUOTED_BYTES: usize = 200;

/// A message as human and plain output show it, on one line: every long quotation (user input
/// in backticks, such as a key of 100 000 characters) shortened to its start and end around a
/// `…`, so a message never echoes a huge value, and hidden characters (line breaks, terminal
/// escapes, bidi overrides) written as `\u{…}`; other messages are returned as they are.
pub fn clip_quoted(message: &str) -> std::borrow::Cow<'_, str> {
    match clip_long_quotations(message) {
        std::borrow::Cow::Borrowed(message) => escape::terminal_line(message),
        std::borrow::Cow::Owned(clipped) => {
            std::borrow::Cow::Owned(escape::terminal_line(&clipped).into_owned())
        }
    }
}

fn clip_long_quotations(message: &str) -> std::borrow::Cow<'_, str> {
    if message.len() <= MAX_QUOTED_BYTES {
        return std::borrow::Cow::Borrowed(message);
    }
    let mut out = String::new();
    let mut parts = message.split('`');
    let mut quoted = false;
    let mut first = true;
    while let Some(part) = parts.next() {
        if !first {
            out.push('`');
        }
        first = false;
        if quoted && part.len() > MAX_QUOTED_BYTES && parts.clone().next().is_some() {
            let mut head = MAX_QUOTED_BYTES / 2;
            while !part.is_char_boundary(head) {
                head -= 1;
            }
            let mut tail = part.len() - MAX_QUOTED_BYTES / 4;
            while !part.is_char_boundary(tail) {
                tail += 1;
            }
            out.push_str(part.get(..head).unwrap_or_default());
            out.push_str(ELLIPSIS);
            out.push_str(part.get(tail..).unwrap_or_default());
        } else {
            out.push_str(part);
        }
        quoted = !quoted;
    }
    std::borrow::Cow::Owned(out)
}

/// `9990` as `9,990`.
pub fn thousands(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_whole() {
        let text = "a: 1\n";
        assert_eq!(
            window(text, 0..4, 3),
            Window {
                start: 0,
                end: 4,
                cut_before: false,
                cut_after: false
            }
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_focus_on_character_boundaries() {
        // Three bytes a character: no window edge may fall inside one.
        let text = "名".repeat(10_000);
        for focus in [0, 1, 2, 3, 299, 15_000, 29_999, 30_000] {
            let window = window(&text, 0..text.len(), focus);
            assert!(text.is_char_boundary(window.start), "{focus}: {window:?}");
            assert!(text.is_char_boundary(window.end), "{focus}: {window:?}");
            assert!(window.end - window.start <= WINDOW_BYTES + 3, "{window:?}");
            assert!(window.start <= focus.min(text.len() - 3) + 3, "{window:?}");
            assert!(window.end >= focus.min(text.len()), "{focus}: {window:?}");
            let shown = shown(&text, &window);
            assert_eq!(shown.starts_with('…'), window.start > 0);
            assert_eq!(shown.ends_with('…'), window.end < text.len());
        }
    }

    #[test]
    fn an_excerpt_of_a_long_line_holds_the_label_and_its_line_number() {
        let key = "k".repeat(70_000);
        let text = format!("yimi: 1\n{{{key}: 1, name: 张江公园, kind: x}}\nnext: 2\n");
        let file = SourceFile::new("t.yaml", text.clone());
        let x = text.find("kind: x").unwrap() + "kind: ".len();
        let span = x..x + 1;
        let excerpt = Excerpt::new(&file, std::slice::from_ref(&span), 1);
        assert!(excerpt.text.len() < 600, "{}", excerpt.text);
        assert_eq!(excerpt.text.lines().count(), 3);
        assert_eq!(excerpt.segments.len(), 1);
        assert_eq!(excerpt.segments[0].first_line, 0);
        let span = excerpt.spans[0].clone();
        assert_eq!(&excerpt.text[span], "x");
        // Line 2, column 70 015 (in characters) of the file.
        let (_, line, column) = excerpt.anchors[0];
        assert_eq!((line, column), (1, file.line_col(x).1 - 1));
        assert!(excerpt.text.contains("…"));
    }

    #[test]
    fn labels_far_apart_get_segments_of_their_own() {
        let text: String = (0..100).map(|i| format!("line{i}: {i}\n")).collect();
        let file = SourceFile::new("t.yaml", text.clone());
        let a = text.find("line10:").unwrap();
        let b = text.find("line50:").unwrap();
        let c = text.find("line14:").unwrap();
        let excerpt = Excerpt::new(&file, &[a..a + 6, b..b + 6, c..c + 6], 1);
        assert_eq!(excerpt.segments.len(), 2);
        // Lines 9 to 15 (0-based): 10 and 14 with a line around each, and the line between.
        assert_eq!(excerpt.segments[0].first_line, 9);
        assert_eq!(excerpt.text.lines().next(), Some("line9: 9"));
        assert_eq!(excerpt.segments[1].first_line, 49);
        assert_eq!(excerpt.text.lines().count(), 7 + 3);
        assert_eq!(&excerpt.text[excerpt.spans[0].clone()], "line10");
        assert_eq!(&excerpt.text[excerpt.spans[1].clone()], "line50");
        assert_eq!(&excerpt.text[excerpt.spans[2].clone()], "line14");
    }

    #[test]
    fn a_label_over_many_lines_is_cut_to_its_first() {
        let text: String = (0..100).map(|i| format!("line{i}: {i}\n")).collect();
        let file = SourceFile::new("t.yaml", text.clone());
        let span = 0..text.len();
        let excerpt = Excerpt::new(&file, std::slice::from_ref(&span), 1);
        assert_eq!(excerpt.text, "line0: 0\nline1: 1\n");
        assert_eq!(&excerpt.text[excerpt.spans[0].clone()], "line0: 0");
    }

    #[test]
    fn long_quotations_are_shortened_on_character_boundaries() {
        let key = "键".repeat(1000);
        let message = format!("unknown key `{key}` is ignored; see `project`");
        let clipped = clip_quoted(&message);
        assert!(clipped.starts_with("unknown key `键键"), "{clipped}");
        assert!(
            clipped.ends_with("键` is ignored; see `project`"),
            "{clipped}"
        );
        assert!(clipped.contains('…'));
        assert!(clipped.len() < 300, "{clipped}");
        // Short quotations, and a lone backtick, stay as they are.
        let short = format!("a `{}` c {}", "b".repeat(200), "d".repeat(100));
        assert_eq!(clip_quoted(&short), short);
        let open = format!("a `{}", "d".repeat(300));
        assert_eq!(clip_quoted(&open), open);
    }

    #[test]
    fn a_file_s_most_severe_problems_are_chosen_and_the_rest_counted() {
        use crate::base::i18n::Text;
        let (a, b) = (
            SourceFile::new("a.yaml", "x: 1\n"),
            SourceFile::new("b.yaml", "y\n"),
        );
        let warning = |file| Diagnostic::warning("w", file, 0..1, Text::same("w"), Text::same(""));
        let error = Diagnostic::error("e", &a, 0..1, Text::same("e"), Text::same(""));
        let mut all: Vec<Diagnostic> = (0..25).map(|_| warning(&a)).collect();
        all.push(error);
        all.extend((0..3).map(|_| warning(&b)));
        let items: Vec<&Diagnostic> = all.iter().collect();
        let (shown, left_out) = chosen(&items);
        assert_eq!(
            left_out,
            vec![LeftOut {
                name: "a.yaml",
                hidden: 6,
                unlisted: 0
            }]
        );
        // The error, the first 19 warnings of a.yaml, and all of b.yaml.
        assert!(shown[25], "the error is shown");
        assert!(shown[..19].iter().all(|&s| s));
        assert!(shown[19..25].iter().all(|&s| !s));
        assert!(shown[26..].iter().all(|&s| s));
    }

    #[test]
    fn the_count_of_unlisted_errors_is_always_shown() {
        use crate::base::i18n::Text;
        let a = SourceFile::new("a.yaml", "x: 1\n");
        let error = |code| Diagnostic::error(code, &a, 0..1, Text::same("e"), Text::same(""));
        let mut all: Vec<Diagnostic> = (0..30).map(|_| error("project::enum")).collect();
        all.push(error(TOO_MANY_ERRORS).with_unlisted(3000));
        let items: Vec<&Diagnostic> = all.iter().collect();
        let (shown, left_out) = chosen(&items);
        let expected = LeftOut {
            name: "a.yaml",
            hidden: 11,
            unlisted: 3000,
        };
        assert_eq!(left_out, vec![expected]);
        // The first 19 errors, then the count, which sorts last among the errors.
        assert!(shown[..19].iter().all(|&s| s));
        assert!(shown[19..30].iter().all(|&s| !s));
        assert!(shown[30], "the count is shown");
        // The file's errors: 30 listed and 3,000 counted, not the 31 diagnostics (#12 E8).
        assert_eq!(error_count(all.iter()), 3030);
        // Not shown: 11 kept (JSON lists them) and the 3,000 only counted; JSON is not said to
        // list them all.
        assert_eq!(
            left_out_line(&expected, true, Lang::En),
            "… and 3,011 more problems in `a.yaml` not shown (`--format json` lists 11 of them: a file's errors past the first 1,000 are only counted)"
        );
        assert_eq!(
            left_out_line(&expected, false, Lang::En),
            "… and 3,011 more problems in `a.yaml` not shown (a file's errors past the first 1,000 are only counted)"
        );
        assert_eq!(
            left_out_line(&expected, true, Lang::Zh),
            "…… `a.yaml` 另有 3,011 个问题未显示(`--format json` 列出其中 11 个:一个文件只列出前 1,000 处错误,其余只计数)"
        );
        let uncapped = LeftOut {
            unlisted: 0,
            ..expected
        };
        assert!(
            left_out_line(&uncapped, true, Lang::En).ends_with("(`--format json` lists them all)")
        );
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(9_990), "9,990");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
