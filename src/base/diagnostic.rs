//! Located diagnostics shared by every step: a message, labelled byte spans in one source file,
//! and a hint. The report layer turns them into miette reports, plain lines or JSON.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::base::i18n::Text;
use crate::tr;

/// A file the user gave us (a project file or a rule file), kept for locating and quoting.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user wrote it (or `<builtin>/…` for embedded packs).
    pub name: String,
    /// The text, decoded (invalid UTF-8 is replaced for display only; see the loader). Embedded
    /// texts (the built-in packs) are borrowed, not copied.
    pub text: Cow<'static, str>,
    /// Indexed on first use: a run that locates nothing in the built-in packs never pays for it.
    line_starts: OnceLock<Vec<usize>>,
    /// Characters before every [`CHAR_MARK_STRIDE`]th byte, indexed on first use by a column far
    /// along a line: counting from the line's start for each place made a file on one long line
    /// quadratic (30 000 waivers on one line: 2.4 s, where block style took 0.18 s).
    char_marks: OnceLock<Vec<CharMark>>,
    /// Where `text` starts in the file: its 0-based line, and the characters of that line
    /// before it. (0, 0) for a file held whole; else `text` is the part of a file read as it
    /// streamed that was kept for a message (see [`SourceFile::part`]), and lines and columns
    /// are the file's.
    origin: (usize, usize),
}

/// Bytes between two [`CharMark`]s: a column costs at most this many bytes of counting.
const CHAR_MARK_STRIDE: usize = 256;

/// A character boundary and the number of characters of the text before it.
#[derive(Clone, Copy, Debug)]
struct CharMark {
    offset: usize,
    chars: usize,
}

/// Where each line of `text` starts: at 0 and after each line break. A line ends at `\n`, at
/// `\r\n` or at a `\r` alone, as YAML and the language server protocol read line breaks: a
/// file saved with classic Mac line ends (CR only) was located on line 1 whatever the line, and
/// human output quoted it as a line 0 holding the whole file (hostile review 9 R10). Every
/// line index of a text is made here (submitted files, rule packs, source texts and their
/// manifests), so that a place is on the same line whichever step names it.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, byte) in bytes.iter().enumerate() {
        let ends_line = match byte {
            b'\n' => true,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        };
        if ends_line {
            starts.push(i + 1);
        }
    }
    starts
}

impl SourceFile {
    /// Wraps a file's text; line starts are indexed when first needed.
    pub fn new(name: impl Into<String>, text: impl Into<Cow<'static, str>>) -> Arc<Self> {
        SourceFile::part(name, text, 0, 0)
    }

    /// The part `text` of a file too large to hold (a baseline, read as it streams), which starts
    /// on the file's 0-based line `line0` after `column0` characters of it: messages give the
    /// file's lines and columns, and quote what is held.
    pub fn part(
        name: impl Into<String>,
        text: impl Into<Cow<'static, str>>,
        line0: usize,
        column0: usize,
    ) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            origin: (line0, column0),
        })
    }

    /// The 0-based line of the file the text starts on: 0 but for a [`SourceFile::part`].
    pub fn first_line(&self) -> usize {
        self.origin.0
    }

    /// Where each line starts ([`line_starts`]; the `\r` of a `\r\n` stays on its line, as
    /// [`Self::line_range`] says).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// The 0-based line of a byte offset (offsets past the end are on the last line).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
            + self.origin.0
    }

    /// The number of lines (a final newline starts an empty last line), counting those before
    /// a [`SourceFile::part`].
    pub fn line_count(&self) -> usize {
        self.line_starts().len() + self.origin.0
    }

    /// The byte range of a 0-based line, without its line break (`\n`, or a `\r` alone; the `\r`
    /// of a `\r\n` stays), and whether a line break ends it. `None` past the last line.
    pub fn line_range(&self, line0: usize) -> Option<(Range<usize>, bool)> {
        let line0 = line0.checked_sub(self.origin.0)?;
        let start = *self.line_starts().get(line0)?;
        Some(match self.line_starts().get(line0 + 1) {
            Some(&next) => (start..next.saturating_sub(1).max(start), true),
            None => (start..self.text.len(), false),
        })
    }

    /// The 1-based line and column (in characters) of a byte offset.
    ///
    /// Offsets past the end or inside a character are clamped, so a located message never panics.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts().partition_point(|&start| start <= offset);
        let start = self
            .line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let offset = self.floor_char_boundary(offset.max(start));
        let column = if offset - start <= 2 * CHAR_MARK_STRIDE {
            self.chars_between(start, offset)
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        let line = line.max(1);
        let before = if line == 1 { self.origin.1 } else { 0 };
        (line + self.origin.0, column + before + 1)
    }

    /// The characters between two character boundaries, counted.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        self.text
            .get(from..to)
            .map_or(0, |slice| slice.chars().count())
    }

    /// The characters before a character boundary: from the nearest mark before it, so in time
    /// independent of how far along its line it is.
    fn chars_before(&self, offset: usize) -> usize {
        let mark = self.mark_before(|mark| mark.offset <= offset);
        mark.chars + self.chars_between(mark.offset, offset)
    }

    /// The last character mark `at_or_before` holds for (marks are in text order, so it holds
    /// for a prefix of them), or the text's start.
    fn mark_before(&self, at_or_before: impl Fn(&CharMark) -> bool) -> CharMark {
        let marks = self.char_marks();
        let index = marks.partition_point(at_or_before).saturating_sub(1);
        marks.get(index).copied().unwrap_or(CharMark {
            offset: 0,
            chars: 0,
        })
    }

    /// The character marks, made on first use.
    fn char_marks(&self) -> &[CharMark] {
        self.char_marks.get_or_init(|| {
            let mut marks = vec![CharMark {
                offset: 0,
                chars: 0,
            }];
            let mut next = CHAR_MARK_STRIDE;
            for (chars, (offset, _)) in self.text.char_indices().enumerate() {
                if offset >= next {
                    marks.push(CharMark { offset, chars });
                    next = offset + CHAR_MARK_STRIDE;
                }
            }
            marks
        })
    }

    /// The offset, or the start of the character it falls inside.
    fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The byte offset of a 0-based line and 0-based character column, as YAML and pest
    /// markers count them. Columns past the end of the line stop at the line's end.
    pub fn offset_of(&self, line0: usize, column0: usize) -> usize {
        let Some(line0) = line0.checked_sub(self.origin.0) else {
            return 0;
        };
        let column0 = if line0 == 0 {
            column0.saturating_sub(self.origin.1)
        } else {
            column0
        };
        let Some(&start) = self.line_starts().get(line0) else {
            return self.text.len();
        };
        if column0 > 2 * CHAR_MARK_STRIDE {
            // Far along a line: from the last mark before the place, not from the line's start.
            let target = self.chars_before(start) + column0;
            let marks = self.char_marks();
            let index = marks
                .partition_point(|mark| mark.chars <= target)
                .saturating_sub(1);
            let end = self
                .line_starts()
                .get(line0 + 1)
                .map_or(self.text.len(), |next| next.saturating_sub(1));
            let (from, chars) = match marks.get(index) {
                // The place is past the line's end: the line ends first.
                Some(mark) if mark.offset > end => return end,
                Some(mark) if mark.offset > start => (mark.offset, mark.chars),
                _ => (start, self.chars_before(start)),
            };
            return self.advance(from, target.saturating_sub(chars));
        }
        let end = self
            .line_starts()
            .get(line0 + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or("");
        // Its line break: a `\n`, or a `\r` alone (a line never ends in a `\r` otherwise).
        let line = line
            .strip_suffix('\n')
            .or_else(|| line.strip_suffix('\r'))
            .unwrap_or(line);
        let within = line
            .char_indices()
            .nth(column0)
            .map_or(line.len(), |(i, _)| i);
        start + within
    }

    /// The byte offset `chars` characters after the offset `from` (a character boundary), not
    /// going past the end of its line: what [`Self::offset_of`] gives for a column further along
    /// the same line, in time proportional to the distance rather than the column.
    pub fn advance(&self, from: usize, chars: usize) -> usize {
        let rest = self.text.get(from..).unwrap_or("");
        let mut left = chars;
        for (i, c) in rest.char_indices() {
            let bare_cr = c == '\r' && rest.as_bytes().get(i + 1) != Some(&b'\n');
            if left == 0 || c == '\n' || bare_cr {
                return from + i;
            }
            left -= 1;
        }
        self.text.len()
    }

    /// The byte offset `chars` characters after the offset `from` (a character boundary), lines
    /// included, and how many characters that is (fewer when the text ends first). Counts the
    /// bytes that start a character a run at a time, in time proportional to the distance.
    pub fn advance_chars(&self, from: usize, chars: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let starts_char = |b: &u8| (*b as i8) >= -0x40;
        let mut at = from.min(bytes.len());
        let mut left = chars;
        // A run of `left` bytes holds at most `left` characters: take it, count them, repeat.
        while left > 0 && at < bytes.len() {
            let end = at.saturating_add(left).min(bytes.len());
            let run = bytes.get(at..end).unwrap_or_default();
            left -= run.iter().filter(|b| starts_char(b)).count();
            at = end;
        }
        // The last run may end inside the last character counted.
        while bytes.get(at).is_some_and(|b| !starts_char(b)) {
            at += 1;
        }
        (at, chars - left)
    }

    /// The byte offset `chars` characters before the offset `from` (a character boundary), or
    /// the start of the text.
    pub fn retreat_chars(&self, from: usize, chars: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = from.min(bytes.len());
        let mut left = chars;
        while left > 0 && at > 0 {
            at -= 1;
            if bytes.get(at).is_some_and(|b| (*b as i8) >= -0x40) {
                left -= 1;
            }
        }
        at
    }

    /// The byte offset of the character with 0-based index `chars` in the text, from the
    /// nearest mark before it, and that index (smaller when the text has fewer characters).
    pub fn offset_of_char(&self, chars: usize) -> (usize, usize) {
        let mark = self.mark_before(|mark| mark.chars <= chars);
        let (offset, moved) = self.advance_chars(mark.offset, chars.saturating_sub(mark.chars));
        (offset, mark.chars + moved)
    }

    /// The byte span of the characters between two markers, widened to whole characters.
    pub fn clamp(&self, span: Range<usize>) -> Range<usize> {
        let mut start = span.start.min(self.text.len());
        let mut end = span.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// How serious a diagnostic is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Shown for information; never affects the exit code.
    Advice,
    /// Something is probably wrong but the input can still be used.
    Warning,
    /// The input cannot be used (exit code 2).
    Error,
}

/// Where a message is read, which decides how it names what the reader can do: a person at
/// the command line passes an option, an editor's user changes a setting of the language
/// server, and a reader of a `yimi serve` page can pass nothing and turns to whoever runs the
/// server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Medium {
    /// `yimi check` and the reports it writes.
    #[default]
    CommandLine,
    /// The language server, in an editor.
    Editor,
    /// The pages of `yimi serve` and the reports downloaded from them.
    Page,
}

impl Medium {
    /// Every medium, for tests that a text is said in each.
    pub const ALL: [Medium; 3] = [Medium::CommandLine, Medium::Editor, Medium::Page];
}

/// A limit on what one check may take, set by whoever runs yimi.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Bytes of one input file.
    FileSize,
    /// Values in one YAML file, aliases expanded.
    Values,
    /// Nesting of one YAML file.
    Depth,
    /// List elements one rule may visit.
    Steps,
}

/// What can be done about a message beyond editing the file, named by what it is rather than
/// by how one medium does it, so that the command line, an editor and a page each say it in
/// their own terms ([`Remedy::text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Remedy {
    /// Raise a limit, if the input is genuine.
    Raise(Limit),
    /// Name the jurisdiction the project is checked for, when the file does not.
    NameJurisdiction,
    /// Load a local rule pack for a jurisdiction no loaded pack covers.
    LoadPack,
    /// Start from a commented template of a project file.
    Template,
    /// Give a waivers file as the waivers file, not as a project file.
    PassWaivers,
}

impl Remedy {
    /// Every remedy, for tests that each is said in every medium.
    pub const ALL: [Remedy; 8] = [
        Remedy::Raise(Limit::FileSize),
        Remedy::Raise(Limit::Values),
        Remedy::Raise(Limit::Depth),
        Remedy::Raise(Limit::Steps),
        Remedy::NameJurisdiction,
        Remedy::LoadPack,
        Remedy::Template,
        Remedy::PassWaivers,
    ];

    /// The remedy in the terms of `medium`; `None` where the medium offers no way to it.
    pub fn text(self, medium: Medium) -> Option<Text> {
        Some(match (self, medium) {
            (Remedy::Raise(limit), Medium::CommandLine) => {
                let option = match limit {
                    Limit::FileSize => "--max-file-size",
                    Limit::Values => "--max-values",
                    Limit::Depth => "--max-depth",
                    Limit::Steps => "--max-steps",
                };
                if limit == Limit::Steps {
                    tr!(
                        "可用 `{option}` 提高预算",
                        "the budget is raised with `{option}`"
                    )
                } else {
                    tr!(
                        "如确有需要,可用 `{option}` 提高上限",
                        "raise the limit with `{option}` if the file is genuine"
                    )
                }
            }
            (Remedy::Raise(limit), Medium::Editor) => {
                let setting = match limit {
                    Limit::FileSize => "maxFileSize",
                    Limit::Values => "maxValues",
                    Limit::Depth => "maxDepth",
                    Limit::Steps => "maxSteps",
                };
                tr!(
                    "如确有需要,可在语言服务器的设置中提高 `{setting}`",
                    "raise `{setting}` in the language server's settings if the file is genuine"
                )
            }
            (Remedy::Raise(limit), Medium::Page) => {
                let (zh, en) = match limit {
                    Limit::FileSize => ("每个文件的大小", "the size of each file"),
                    Limit::Values => ("每个文件中值的个数", "the number of values in each file"),
                    Limit::Depth => ("每个文件的嵌套层数", "how deeply each file may nest"),
                    Limit::Steps => (
                        "每条规则可检查的列表元素数",
                        "the list elements each rule may visit",
                    ),
                };
                tr!(
                    "本服务限制了{zh};如文件确实需要,请运行本服务的管理员提高这一上限",
                    "this server limits {en}; if the file is genuine, ask the administrator who runs the server to raise the limit"
                )
            }
            (Remedy::NameJurisdiction, Medium::CommandLine) => {
                tr!("或用 `--jurisdiction` 指定", "or pass `--jurisdiction`")
            }
            // The language server has no jurisdiction of its own: the file names it.
            (Remedy::NameJurisdiction, Medium::Editor) => return None,
            (Remedy::NameJurisdiction, Medium::Page) => tr!(
                "或在“填写项目”页面的“行政区划”一栏中选择",
                "or choose it in the jurisdiction field of the “Fill in a project” page"
            ),
            (Remedy::LoadPack, Medium::CommandLine) => tr!(
                "可用 `--rules` 加载本地规则包",
                "load a local pack with `--rules`"
            ),
            (Remedy::LoadPack, Medium::Editor) => tr!(
                "可在语言服务器的 `rules` 设置中加入本地规则包",
                "add a local pack to the language server's `rules` setting"
            ),
            (Remedy::LoadPack, Medium::Page) => tr!(
                "如本地已有规则包,请运行本服务的管理员加载它",
                "if there is a local pack, ask the administrator who runs the server to load it"
            ),
            (Remedy::Template, Medium::CommandLine | Medium::Editor) => tr!(
                "运行 `yimi init --kind residential` 可生成一个带注释的模板",
                "run `yimi init --kind residential` for a commented template"
            ),
            (Remedy::PassWaivers, Medium::CommandLine) => tr!(
                "用 `--waivers` 传入豁免文件,或把它移出所检查的目录",
                "pass it with `--waivers FILE`, or move it out of the checked folder"
            ),
            (Remedy::PassWaivers, Medium::Editor) => tr!(
                "要应用它,把它设为语言服务器的 `waivers` 设置",
                "to apply it, name it in the language server's `waivers` setting"
            ),
            (Remedy::PassWaivers, Medium::Page) => tr!(
                "这里只上传项目文件;豁免文件由运行本服务的管理员设置",
                "upload project files only: the waivers file is set by the administrator who runs the server"
            ),
            (Remedy::Template, Medium::Page) => tr!(
                "“填写项目”页面可以逐项填写并生成项目文件",
                "the “Fill in a project” page builds a project file field by field"
            ),
        })
    }
}

/// A hint followed by a remedy in the terms of `medium`: each alone, or the two joined as one
/// sentence (`a;b`, `a; b`).
pub fn help_with(help: Option<&Text>, remedy: Option<Remedy>, medium: Medium) -> Option<Text> {
    let remedy = remedy.and_then(|remedy| remedy.text(medium));
    match (help, remedy) {
        (Some(help), Some(remedy)) => Some(Text::new(
            format!("{};{}", help.zh, remedy.zh),
            format!("{}; {}", help.en, remedy.en),
        )),
        (Some(help), None) => Some(help.clone()),
        (None, remedy) => remedy,
    }
}

/// A span in a source file with what to say about it.
#[derive(Clone, Debug)]
pub struct Label {
    /// Byte range in the source file.
    pub span: Range<usize>,
    /// What the underline says.
    pub text: Text,
}

/// A located message about an input file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error, warning or advice.
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `yaml::syntax` or `rules::unknown-path`.
    pub code: &'static str,
    /// The message: lowercase (English), no final period, user input in backticks.
    pub message: Text,
    /// The file the spans point into.
    pub file: Arc<SourceFile>,
    /// The first label is the primary location.
    pub labels: Vec<Label>,
    /// How to fix it in the file, in words every medium shares.
    pub help: Option<Text>,
    /// What else can be done, said by each medium in its own terms: read the two together
    /// with [`Diagnostic::help_in`].
    pub remedy: Option<Remedy>,
    /// How many errors of the file this diagnostic counts without listing them: the closing
    /// error of a file past the loader's cap of listed errors; 0 for every other diagnostic.
    /// Reports add it to the file's count of errors.
    pub unlisted: usize,
}

impl Diagnostic {
    /// An error at one span.
    pub fn error(
        code: &'static str,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: Text,
        label: Text,
    ) -> Self {
        Diagnostic::new(Severity::Error, code, file, span, message, label)
    }

    /// A warning at one span.
    pub fn warning(
        code: &'static str,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: Text,
        label: Text,
    ) -> Self {
        Diagnostic::new(Severity::Warning, code, file, span, message, label)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: &Arc<SourceFile>,
        span: Range<usize>,
        message: Text,
        label: Text,
    ) -> Self {
        let span = file.clamp(span);
        Diagnostic {
            severity,
            code,
            message,
            file: Arc::clone(file),
            labels: vec![Label { span, text: label }],
            help: None,
            remedy: None,
            unlisted: 0,
        }
    }

    /// Says that this diagnostic counts `unlisted` errors it does not list.
    #[must_use]
    pub fn with_unlisted(mut self, unlisted: usize) -> Self {
        self.unlisted = unlisted;
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    /// Adds what else can be done, beyond editing the file.
    #[must_use]
    pub fn with_remedy(mut self, remedy: Remedy) -> Self {
        self.remedy = Some(remedy);
        self
    }

    /// The hint with the remedy as `medium` says it.
    pub fn help_in(&self, medium: Medium) -> Option<Text> {
        help_with(self.help.as_ref(), self.remedy, medium)
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Range<usize>, text: Text) -> Self {
        let span = self.file.clamp(span);
        self.labels.push(Label { span, text });
        self
    }

    /// The primary span (the first label), or the start of the file.
    pub fn primary_span(&self) -> Range<usize> {
        self.labels.first().map_or(0..0, |label| label.span.clone())
    }

    /// 1-based line and column of the primary span.
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.primary_span().start)
    }
}

#[cfg(test)]
mod tests {
    use super::{Medium, Remedy, SourceFile, help_with};
    use crate::base::i18n::Text;

    /// A part of a file gives the file's lines and columns, and has no line before its first.
    #[test]
    fn a_part_of_a_file_is_located_in_the_file() {
        let file = SourceFile::part("b.json", "tail of line\nnext line\n", 41, 1000);
        assert_eq!(file.first_line(), 41);
        assert_eq!(file.line_col(0), (42, 1001));
        assert_eq!(file.line_col(5), (42, 1006));
        assert_eq!(file.line_col(13), (43, 1));
        assert_eq!(file.line_index(13), 42);
        assert_eq!(file.line_count(), 44);
        assert_eq!(file.line_range(40), None);
        assert_eq!(file.line_range(41), Some((0..12, true)));
        assert_eq!(file.line_range(42), Some((13..22, true)));
        assert_eq!(file.offset_of(42, 2), 15);
        assert_eq!(file.offset_of(41, 1005), 5);
        let excerpt =
            crate::report::snippet::Excerpt::new(&file, std::slice::from_ref(&(13..17)), 2);
        assert_eq!(
            excerpt.segments.first().map(|segment| segment.first_line),
            Some(41)
        );
        assert!(
            excerpt.text.starts_with("tail of line\nnext line"),
            "{}",
            excerpt.text
        );
    }

    /// What names a command-line option or command, which only the command line can use.
    fn names_command_line(text: &str) -> bool {
        let option = text.match_indices("`--").any(|(at, _)| {
            text.get(at + 3..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| c.is_ascii_alphabetic())
        });
        option || text.contains("`yimi ")
    }

    #[test]
    fn every_remedy_is_said_in_each_medium_s_own_terms() {
        for remedy in Remedy::ALL {
            let said = |medium| remedy.text(medium);
            let command_line = said(Medium::CommandLine).expect("the command line can do all");
            let page = said(Medium::Page).expect("a page can say whom to ask");
            for lang_text in [&command_line.zh, &command_line.en] {
                assert!(names_command_line(lang_text), "{remedy:?}: {lang_text}");
            }
            for lang_text in [&page.zh, &page.en] {
                assert!(!names_command_line(lang_text), "{remedy:?}: {lang_text}");
                assert!(!lang_text.contains("--"), "{remedy:?}: {lang_text}");
            }
            assert_ne!(command_line.zh, page.zh, "{remedy:?}");
            assert_ne!(command_line.en, page.en, "{remedy:?}");
            if let Some(editor) = said(Medium::Editor) {
                for lang_text in [&editor.zh, &editor.en] {
                    assert!(!lang_text.contains("`--"), "{remedy:?}: {lang_text}");
                }
            }
            // Joined to a hint, the remedy still differs by medium and keeps the hint.
            let hint = Text::new("先改文件", "edit the file first");
            let joined = |medium| help_with(Some(&hint), Some(remedy), medium);
            let (cli, on_page) = (joined(Medium::CommandLine), joined(Medium::Page));
            assert_ne!(cli, on_page, "{remedy:?}");
            for text in [cli, on_page].into_iter().flatten() {
                assert!(text.zh.starts_with("先改文件;"), "{}", text.zh);
                assert!(text.en.starts_with("edit the file first; "), "{}", text.en);
            }
        }
        assert_eq!(help_with(None, None, Medium::Page), None);
    }

    /// The steps whose messages every medium shows (a project's load, its assessment, the
    /// reports) name no option in their texts: what only the command line can do is a
    /// [`Remedy`], said by each medium.
    #[test]
    fn no_text_shared_by_the_media_names_an_option() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root.join("project"), root.join("engine")];
        let mut files = vec![root.join("base/read.rs"), root.join("report/mod.rs")];
        files.extend(
            ["json.rs", "record.rs", "sarif.rs", "junit.rs"].map(|f| root.join("report").join(f)),
        );
        stack.push(root.join("report/document"));
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("a source folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    files.push(path);
                }
            }
        }
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file");
            for (number, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                assert!(
                    !names_command_line(code),
                    "{}:{} names a command-line option; give the diagnostic a Remedy: {code}",
                    file.display(),
                    number + 1
                );
            }
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "名称: 张江\nb: 1\n");
        let offset = file.text.find("张江").unwrap();
        assert_eq!(file.line_col(offset), (1, 5));
        let b = file.text.find('b').unwrap();
        assert_eq!(file.line_col(b), (2, 1));
    }

    /// Columns far along a long line come from the character marks; they must agree with
    /// counting from the line's start, for any mix of one- to four-byte characters, at every
    /// offset (inside a character: the column of that character).
    #[test]
    fn columns_far_along_a_line_agree_with_counting() {
        let mut text = String::from("a: 1\n");
        for i in 0..3000 {
            text.push(['x', 'é', '张', '🙂'][i % 4]);
            if i % 997 == 0 {
                text.push('\n');
            }
        }
        let file = SourceFile::new("t.yaml", text.clone());
        for offset in 0..=text.len() + 2 {
            let floor = (0..=offset.min(text.len()))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap();
            let start = text[..floor].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..floor].matches('\n').count() + 1;
            let column = text[start..floor].chars().count() + 1;
            assert_eq!(file.line_col(offset), (line, column), "{offset}");
            if offset == floor && offset <= text.len() {
                assert_eq!(file.offset_of(line - 1, column - 1), offset, "{offset}");
            }
        }
        // Past a line's end: its end, before the `\n`.
        let first = text.find('\n').unwrap();
        let second = first + 1 + text[first + 1..].find('\n').unwrap();
        assert_eq!(file.offset_of(1, 100_000), second);
    }

    /// A million places along one 16 MB line (a waivers or project file written on one line):
    /// counting each column from the line's start would count some 8 × 10¹² bytes, many
    /// minutes; from the marks, at most a stride each.
    #[test]
    fn a_million_columns_along_one_long_line_are_found_quickly() {
        const PLACES: usize = 1_000_000;
        let line = "{rule: JL-005b, reason: 理由}, ".repeat(16 * 1024 * 1024 / 32);
        let file = SourceFile::new("one-line.yaml", format!("yimi: 1\nwaivers: [{line}]\n"));
        let step = line.len() / PLACES;
        let start = "yimi: 1\nwaivers: [".len();
        let mut last = 0;
        for place in 0..PLACES {
            let offset = file.floor_char_boundary(start + place * step);
            let (row, column) = file.line_col(offset);
            assert_eq!(row, 2);
            assert!(column > last || place == 0, "{place}");
            last = column;
        }
        let end = start + line.len();
        let expected = "waivers: [".len() + line.chars().count() + 1;
        assert_eq!(file.line_col(end), (2, expected));
        // And back from columns to offsets, from the end of the line to its start (the YAML
        // reader converts markers so when they do not move forward).
        for place in (0..PLACES).rev().step_by(50) {
            let offset = file.floor_char_boundary(start + place * step);
            let (_, column) = file.line_col(offset);
            assert_eq!(file.offset_of(1, column - 1), offset, "{place}");
        }
    }

    #[test]
    fn offset_of_converts_character_columns_to_bytes() {
        let file = SourceFile::new("t.yaml", "名称: 张江\nb: 1\n");
        assert_eq!(&file.text[file.offset_of(0, 4)..], "张江\nb: 1\n");
        assert_eq!(&file.text[file.offset_of(1, 3)..], "1\n");
        assert_eq!(file.offset_of(9, 0), file.text.len());
        assert_eq!(file.offset_of(0, 99), file.text.find('\n').unwrap());
    }

    /// A `\r` alone ends a line, as YAML reads it (classic Mac line ends, hostile review 9
    /// R10); the `\r` of a `\r\n` stays on its line, and the three kinds mix.
    #[test]
    fn a_carriage_return_alone_ends_a_line() {
        let text = "yimi: 1\rproject: {id: X}\r\nname: 名称\n\rkind: zz\r";
        let file = SourceFile::new("cr.yaml", text);
        assert_eq!(
            file.line_count(),
            6,
            "five line ends, then an empty last line"
        );
        let kind = text.find("zz").unwrap();
        assert_eq!(file.line_col(kind), (5, 7));
        assert_eq!(file.line_col(text.find("project").unwrap()), (2, 1));
        assert_eq!(file.line_col(text.find("名称").unwrap()), (3, 7));
        assert_eq!(file.line_col(text.len()), (6, 1));
        let lines: Vec<(&str, bool)> = (0..file.line_count())
            .map(|line0| {
                let (range, newline) = file.line_range(line0).unwrap();
                (&text[range], newline)
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("yimi: 1", true),
                ("project: {id: X}\r", true),
                ("name: 名称", true),
                ("", true),
                ("kind: zz", true),
                ("", false),
            ]
        );
        assert_eq!(file.offset_of(4, 6), kind);
        assert_eq!(
            file.offset_of(0, 99),
            text.find('\r').unwrap(),
            "a line's end is before its `\\r`"
        );
        assert_eq!(file.offset_of(4, 99), text.len() - 1);
        assert_eq!(
            file.advance(file.offset_of(0, 0), 99),
            file.offset_of(0, 99)
        );
        assert_eq!(
            file.advance(file.offset_of(1, 0), 99),
            file.offset_of(1, 99)
        );
    }

    #[test]
    fn advance_agrees_with_offset_of_along_a_line() {
        let file = SourceFile::new("t.yaml", "名称: 张江\nb: 1");
        for line in 0..2 {
            let start = file.offset_of(line, 0);
            for column in 0..8 {
                assert_eq!(
                    file.advance(start, column),
                    file.offset_of(line, column),
                    "{line}:{column}"
                );
                let from = file.offset_of(line, 2);
                if column >= 2 {
                    assert_eq!(file.advance(from, column - 2), file.offset_of(line, column));
                }
            }
        }
    }
}
