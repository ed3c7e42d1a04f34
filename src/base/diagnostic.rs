//! Located diagnostics shared by every step: a message, labelled byte spans in one source file,
//! and a hint. The report layer turns them into miette reports, plain lines or JSON.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::base::i18n::Text;

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
}

impl SourceFile {
    /// Wraps a file's text; line starts are indexed when first needed.
    pub fn new(name: impl Into<String>, text: impl Into<Cow<'static, str>>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// The 0-based line of a byte offset (offsets past the end are on the last line).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The number of lines (a final newline starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The byte range of a 0-based line, without its `\n` (a `\r` before it stays), and
    /// whether a `\n` ends it. `None` past the last line.
    pub fn line_range(&self, line0: usize) -> Option<(Range<usize>, bool)> {
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
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (line.max(1), column + 1)
    }

    /// The byte offset of a 0-based line and 0-based character column, as YAML and pest
    /// markers count them. Columns past the end of the line stop at the line's end.
    pub fn offset_of(&self, line0: usize, column0: usize) -> usize {
        let Some(&start) = self.line_starts().get(line0) else {
            return self.text.len();
        };
        let end = self
            .line_starts()
            .get(line0 + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or("");
        let line = line.strip_suffix('\n').unwrap_or(line);
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
            if left == 0 || c == '\n' {
                return from + i;
            }
            left -= 1;
        }
        self.text.len()
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Shown for information; never affects the exit code.
    Advice,
    /// Something is probably wrong but the input can still be used.
    Warning,
    /// The input cannot be used (exit code 2).
    Error,
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
    /// How to fix it.
    pub help: Option<Text>,
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
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
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
    use super::SourceFile;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("t.yaml", "名称: 张江\nb: 1\n");
        let offset = file.text.find("张江").unwrap();
        assert_eq!(file.line_col(offset), (1, 5));
        let b = file.text.find('b').unwrap();
        assert_eq!(file.line_col(b), (2, 1));
    }

    #[test]
    fn offset_of_converts_character_columns_to_bytes() {
        let file = SourceFile::new("t.yaml", "名称: 张江\nb: 1\n");
        assert_eq!(&file.text[file.offset_of(0, 4)..], "张江\nb: 1\n");
        assert_eq!(&file.text[file.offset_of(1, 3)..], "1\n");
        assert_eq!(file.offset_of(9, 0), file.text.len());
        assert_eq!(file.offset_of(0, 99), file.text.find('\n').unwrap());
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
