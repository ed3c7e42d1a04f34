//! The characters a YAML file may hold raw. YAML allows only printable characters in a stream:
//! a control character (other than a tab or a line break), DEL, a C1 control or a
//! noncharacter must be written as an escape inside double quotes. Every YAML reader of yimi
//! (projects, waivers, sources manifests; the form of `yimi serve` and the language server read
//! through the project reader) refuses one at its place, so that a raw terminal escape never
//! gets as far as a value, and all of them word it alike.
//!
//! U+0085 (next line) is refused too, although YAML 1.2 lists it as printable: YAML 1.1 reads
//! it as a line break, so two tools would disagree about the lines of the same file, and it
//! shows as nothing in most editors.

use std::ops::Range;
use std::sync::Arc;

use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::Text;
use crate::tr;

/// A character a YAML file may not hold raw, and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unprintable {
    /// Its byte offset in the text.
    pub at: usize,
    /// The character.
    pub character: char,
}

/// The first character of `text` that YAML does not allow raw, if any: one pass over the bytes,
/// no copy. Tabs, line feeds and carriage returns are allowed; so is a byte-order mark, which
/// the readers skip or refuse themselves.
pub fn first_unprintable(text: &str) -> Option<Unprintable> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let bad = match byte {
            b'\t' | b'\n' | b'\r' => false,
            0x00..=0x1f | 0x7f => true,
            // U+0080–U+009F are C2 80 – C2 9F in UTF-8.
            0xc2 => bytes.get(index + 1).is_some_and(|next| *next <= 0x9f),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xef => {
                bytes.get(index + 1) == Some(&0xbf)
                    && bytes.get(index + 2).is_some_and(|last| *last >= 0xbe)
            }
            _ => false,
        };
        if bad {
            let character = text.get(index..).and_then(|rest| rest.chars().next())?;
            return Some(Unprintable {
                at: index,
                character,
            });
        }
        index += 1;
    }
    None
}

impl Unprintable {
    /// The bytes of the character in the text.
    pub fn span(&self) -> Range<usize> {
        self.at..self.at + self.character.len_utf8()
    }

    /// The character as people look it up: `U+001B`.
    pub fn shown(&self) -> String {
        format!("U+{:04X}", u32::from(self.character))
    }

    /// What is wrong, without the place (each reader gives the place its own way).
    pub fn message(&self) -> Text {
        let shown = self.shown();
        if self.character.is_control() {
            tr!(
                "YAML 文件中不能直接写控制字符 {shown}",
                "the control character {shown} is not allowed raw in a YAML file"
            )
        } else {
            tr!(
                "YAML 文件中不能直接写字符 {shown}",
                "the character {shown} is not allowed raw in a YAML file"
            )
        }
    }

    /// The escape that writes the character inside double quotes: YAML's own short one when it
    /// has one, and the numeric one.
    fn escapes(&self) -> String {
        let code = u32::from(self.character);
        let numeric = if code <= 0xff {
            format!("`\\x{code:02x}`")
        } else {
            format!("`\\u{code:04x}`")
        };
        let short = match self.character {
            '\0' => Some("\\0"),
            '\u{7}' => Some("\\a"),
            '\u{8}' => Some("\\b"),
            '\u{b}' => Some("\\v"),
            '\u{c}' => Some("\\f"),
            '\u{1b}' => Some("\\e"),
            '\u{85}' => Some("\\N"),
            _ => None,
        };
        match short {
            Some(short) => format!("`{short}` / {numeric}"),
            None => numeric,
        }
    }

    /// How to fix it.
    pub fn help(&self) -> Text {
        let escapes = self.escapes();
        tr!(
            "若确实需要这个字符,请在双引号字符串中写作转义 {escapes};否则删除它",
            "if it is really meant, write it as an escape inside a double-quoted string, {escapes}; otherwise delete it"
        )
    }

    /// The located error of a file read whole as a [`SourceFile`].
    pub fn diagnostic(&self, file: &Arc<SourceFile>) -> Diagnostic {
        let shown = self.shown();
        Diagnostic::error(
            "yaml::unprintable",
            file,
            self.span(),
            self.message(),
            tr!("这里是 {shown}", "{shown} here"),
        )
        .with_help(self.help())
    }

    /// The line and column (from 1, in characters) of the character in `text`, for a reader
    /// that gives places as numbers: counted once, up to the character. Lines end where
    /// [`SourceFile`] ends them: at `\n`, `\r\n` or a `\r` alone.
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        let bytes = text.as_bytes();
        let before = bytes.get(..self.at).unwrap_or_default();
        let (mut line, mut line_start) = (1, 0);
        for (i, byte) in before.iter().enumerate() {
            let ends_line = match byte {
                b'\n' => true,
                b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                line += 1;
                line_start = i + 1;
            }
        }
        let column = text
            .get(line_start..self.at)
            .map_or(1, |part| part.chars().count() + 1);
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::{Unprintable, first_unprintable};

    #[test]
    fn control_characters_are_found_and_printable_text_is_not() {
        for good in [
            "a: b\n",
            "a: \"\\e[31m\"\r\n\tb: 名称\n",
            "\u{feff}a: \u{a0}\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{2028}",
            "é: \u{a0}",
        ] {
            assert_eq!(first_unprintable(good), None, "{good:?}");
        }
        for (bad, at, character) in [
            ("a: \u{1b}[2J", 3, '\u{1b}'),
            ("名称: x\u{7}", 9, '\u{7}'),
            ("a\u{7f}", 1, '\u{7f}'),
            ("a: b\u{85}c", 4, '\u{85}'),
            ("a: \u{80}", 3, '\u{80}'),
            ("a: \u{9f}", 3, '\u{9f}'),
            ("\0", 0, '\0'),
            ("x\u{fffe}", 1, '\u{fffe}'),
            ("x\u{ffff}", 1, '\u{ffff}'),
        ] {
            assert_eq!(
                first_unprintable(bad),
                Some(Unprintable { at, character }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn places_and_escapes_are_as_people_write_them() {
        let text = "a: 1\n名称: x\u{1b}";
        let found = first_unprintable(text).unwrap();
        assert_eq!(found.line_column(text), (2, 6));
        assert_eq!(found.shown(), "U+001B");
        assert!(
            found.help().en.contains("`\\e` / `\\x1b`"),
            "{}",
            found.help().en
        );
        // A `\r` alone ends a line, as YAML reads it; the `\r` of a `\r\n` does not.
        for text in ["a: 1\r名称: x\u{1b}", "a: 1\r\n名称: x\u{1b}"] {
            let found = first_unprintable(text).unwrap();
            assert_eq!(found.line_column(text), (2, 6), "{text:?}");
        }
        let next_line = first_unprintable("\u{85}").unwrap();
        assert_eq!(next_line.shown(), "U+0085");
        assert!(next_line.help().en.contains("`\\N` / `\\x85`"));
        let noncharacter = first_unprintable("\u{ffff}").unwrap();
        assert!(noncharacter.help().en.contains("`\\uffff`"));
        assert!(
            noncharacter
                .message()
                .en
                .starts_with("the character U+FFFF")
        );
    }
}
