//! Escaping text from submissions for the formats that would otherwise read it as markup. One
//! loop, one table per format: a character is kept, replaced, or dropped.

/// Rewrites `text` character by character: `replacement` gives what stands for a character
/// (`""` drops it), or `None` to keep it.
fn escape_with(text: &str, replacement: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replacement(c) {
            Some(replaced) => out.push_str(replaced),
            None => out.push(c),
        }
    }
    out
}

/// The five characters with meaning in HTML and XML markup and attributes; `apostrophe` is how
/// the format writes `'`.
fn markup(c: char, apostrophe: &'static str) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some(apostrophe),
        _ => None,
    }
}

fn is_control(c: char) -> bool {
    u32::from(c) < 0x20
}

/// Escapes text for HTML content and attribute values; control characters other than line
/// feeds and tabs are dropped.
pub fn html(text: &str) -> String {
    escape_with(text, |c| {
        markup(c, "&#39;").or_else(|| (is_control(c) && c != '\n' && c != '\t').then_some(""))
    })
}

/// Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold.
pub fn xml(text: &str) -> String {
    escape_with(text, |c| match c {
        '\t' | '\n' | '\r' => None,
        '\u{fffe}' | '\u{ffff}' => Some(""),
        c if is_control(c) => Some(""),
        c => markup(c, "&apos;"),
    })
}

/// Escapes text for Markdown: HTML is neutralised, table and emphasis markup made literal, and
/// line breaks folded into spaces so that a value stays on its line.
pub fn markdown(text: &str) -> String {
    escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\\' => Some("\\\\"),
        '`' => Some("\\`"),
        '*' => Some("\\*"),
        '_' => Some("\\_"),
        '[' => Some("\\["),
        ']' => Some("\\]"),
        '|' => Some("\\|"),
        '#' => Some("\\#"),
        '!' => Some("\\!"),
        '\n' | '\r' => Some(" "),
        c if is_control(c) => Some(""),
        _ => None,
    })
}

/// Makes text safe for one line of a terminal or a CI log: control characters (line breaks
/// included), bidi overrides and isolates, and zero-width characters are written as `\u{…}`, so
/// input can neither start a new line, nor move the cursor, nor reorder what is shown.
pub fn terminal_line(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{html, markdown, terminal_line, xml};

    #[test]
    fn a_terminal_line_shows_what_would_move_or_reorder_it() {
        assert_eq!(terminal_line("CN/SH"), "CN/SH");
        assert_eq!(
            terminal_line("\u{1b}]0;owned\u{7}\nfake: pass\u{202e}"),
            "\\u{1b}]0;owned\\u{7}\\u{a}fake: pass\\u{202e}"
        );
    }

    #[test]
    fn submission_text_is_escaped() {
        assert_eq!(
            html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            html("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(html("a\u{1b}b\nc"), "ab\nc");
        assert_eq!(
            markdown("<b>x</b> | *y*"),
            "&lt;b&gt;x&lt;/b&gt; \\| \\*y\\*"
        );
        assert_eq!(markdown("a\nb\u{7}c"), "a bc");
        assert_eq!(xml("'\u{1}\r\u{ffff}"), "&apos;\r");
    }
}
