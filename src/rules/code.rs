//! What each character of a pack's text is part of: code, a string or a comment. The grammar
//! knows it while it parses, but the parser's error recovery (an unclosed block, an item written
//! inside another), the comments the formatter keeps and the language server's edits need it of
//! text that may not parse, so it is worked out here, the one place that knows how strings and
//! comments are written.

use std::str::CharIndices;

/// What a character of a pack's text belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Outside strings and comments (line breaks included).
    Code,
    /// A string, its quotes included.
    String,
    /// A comment, its `#` included.
    Comment,
}

/// Each character of `text` with its byte offset and what it is part of. A string runs from a
/// `"` to the next `"` not escaped by `\`; a comment from a `#` outside a string to the end of
/// its line. Neither spans a line: a line break ends a string left open, as it ends the grammar's
/// strings (which then fail to parse, with their own error).
pub fn parts(text: &str) -> Parts<'_> {
    Parts {
        chars: text.char_indices(),
        in_string: false,
        escaped: false,
        in_comment: false,
    }
}

/// The characters of `text` outside strings and comments, with their byte offsets.
pub fn code_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    parts(text).filter_map(|(at, c, part)| (part == Part::Code).then_some((at, c)))
}

/// The iterator of [`parts`].
#[derive(Clone, Debug)]
pub struct Parts<'a> {
    chars: CharIndices<'a>,
    in_string: bool,
    escaped: bool,
    in_comment: bool,
}

impl Iterator for Parts<'_> {
    type Item = (usize, char, Part);

    fn next(&mut self) -> Option<Self::Item> {
        let (at, c) = self.chars.next()?;
        let part = if c == '\n' {
            self.in_string = false;
            self.escaped = false;
            self.in_comment = false;
            Part::Code
        } else if self.in_comment {
            Part::Comment
        } else if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if c == '\\' {
                self.escaped = true;
            } else if c == '"' {
                self.in_string = false;
            }
            Part::String
        } else {
            match c {
                '"' => {
                    self.in_string = true;
                    Part::String
                }
                '#' => {
                    self.in_comment = true;
                    Part::Comment
                }
                _ => Part::Code,
            }
        };
        Some((at, c, part))
    }
}

#[cfg(test)]
mod tests {
    use super::{Part, code_chars, parts};

    fn code(text: &str) -> String {
        code_chars(text).map(|(_, c)| c).collect()
    }

    #[test]
    fn strings_and_comments_are_not_code() {
        assert_eq!(
            code("rule X \"a { b\" { # } here\n}"),
            "rule X  { \n}",
            "a brace in a string or a comment is not code"
        );
        assert_eq!(
            code("a # b \"c\nd"),
            "a \nd",
            "a quote in a comment opens nothing"
        );
        assert_eq!(
            code("\"a # b\" c"),
            " c",
            "a hash in a string starts no comment"
        );
    }

    #[test]
    fn an_escaped_quote_does_not_end_a_string() {
        assert_eq!(code(r#"x "a \" { \\" } y"#), "x  } y");
        assert_eq!(code(r#""\\\"}" z"#), " z");
    }

    #[test]
    fn a_line_break_ends_an_open_string_and_a_comment() {
        assert_eq!(code("\"open {\n}"), "\n}");
        assert_eq!(code("# {\n{"), "\n{");
        assert_eq!(
            code("\"a \\\n}"),
            "\n}",
            "an escape does not carry over a line"
        );
    }

    #[test]
    fn offsets_are_bytes_of_the_text_and_cjk_is_whole() {
        let text = "儿童 \"「友好」{\" { # 注释 }\n}";
        let code: Vec<(usize, char)> = code_chars(text).collect();
        assert_eq!(
            code.iter().map(|&(_, c)| c).collect::<String>(),
            "儿童  { \n}"
        );
        for &(at, c) in &code {
            assert_eq!(text[at..].chars().next(), Some(c));
        }
        let comment: String = parts(text)
            .filter(|&(_, _, part)| part == Part::Comment)
            .map(|(_, c, _)| c)
            .collect();
        assert_eq!(comment, "# 注释 }");
        let string: String = parts(text)
            .filter(|&(_, _, part)| part == Part::String)
            .map(|(_, c, _)| c)
            .collect();
        assert_eq!(string, "\"「友好」{\"");
    }
}
