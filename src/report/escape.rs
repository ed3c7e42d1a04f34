//! Escaping text from submissions for the formats that would otherwise read it as markup, and
//! for the terminals and CI logs that would read it as commands. One loop, one table per
//! format: a character is kept, replaced, or dropped; and one guard over whole lines of output,
//! [`ci_commands`], so that no text from a submitted file starts a CI workflow command.

use std::borrow::Cow;

/// Rewrites `text` character by character: `replacement` gives what stands for a character
/// (`""` drops it), or `None` to keep it.
fn escape_with(text: &str, replacement: impl Fn(char) -> Option<Cow<'static, str>>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replacement(c) {
            Some(replaced) => out.push_str(&replaced),
            None => out.push(c),
        }
    }
    out
}

/// Characters that move the cursor, start a line, or change how the text around them is shown
/// without being seen themselves: control characters (C0, DEL, C1), bidirectional embeddings,
/// overrides, isolates and marks, zero-width characters, the word joiner, the byte order mark,
/// and the Unicode line and paragraph separators.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// How a hidden character is shown: `\u{…}`, as Rust writes it, so a reader sees which it is.
fn visible(c: char) -> Cow<'static, str> {
    Cow::Owned(format!("\\u{{{:x}}}", u32::from(c)))
}

/// The five characters with meaning in HTML and XML markup and attributes; `apostrophe` is how
/// the format writes `'`.
fn markup(c: char, apostrophe: &'static str) -> Option<Cow<'static, str>> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some(apostrophe),
        _ => None,
    }
    .map(Cow::Borrowed)
}

/// Escapes text for HTML content and attribute values; hidden characters other than line feeds
/// and tabs are shown as `\u{…}`.
pub fn html(text: &str) -> String {
    escape_with(text, |c| {
        markup(c, "&#39;").or_else(|| (is_hidden(c) && c != '\n' && c != '\t').then(|| visible(c)))
    })
}

/// A piece of a message: text, or the content of a code span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text outside code spans, backticks without a partner included.
    Text(&'a str),
    /// What a code span holds, without its fence.
    Code(&'a str),
}

/// Cuts a message into text and code spans as CommonMark does on one line: a run of N backticks
/// opens a span that the next run of exactly N backticks on the same line closes (a run of
/// another length inside is content), and one space inside each end is dropped when both are
/// there, so that a value quoted with [`crate::base::i18n::code`] (a fence longer than any run
/// it holds) is one span whatever backticks it holds. A run without a partner is text.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    // The runs of backticks, by byte offset and length, each with the next run of the same
    // length on its line: found in one pass from the end, so pairing is linear however many
    // runs a hostile value holds.
    let bytes = text.as_bytes();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut line_of: Vec<usize> = Vec::new();
    let mut line = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'`' => {
                let length = bytes
                    .get(at..)
                    .map_or(0, |rest| rest.iter().take_while(|&&b| b == b'`').count());
                runs.push((at, length));
                line_of.push(line);
                at += length;
            }
            b'\n' => {
                line += 1;
                at += 1;
            }
            _ => at += 1,
        }
    }
    let mut partner: Vec<Option<usize>> = vec![None; runs.len()];
    let mut later: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for index in (0..runs.len()).rev() {
        let (Some(&(_, length)), Some(&line)) = (runs.get(index), line_of.get(index)) else {
            continue;
        };
        if let Some(slot) = partner.get_mut(index) {
            *slot = later.insert((line, length), index);
        }
    }
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut index = 0;
    while let Some(&(start, length)) = runs.get(index) {
        let close = partner.get(index).copied().flatten();
        let span = close.and_then(|close| {
            let &(close_at, _) = runs.get(close)?;
            let code = text.get(start + length..close_at)?;
            Some((close, close_at, code))
        });
        match span {
            Some((close, close_at, code)) => {
                if let Some(before) = text.get(plain_from..start).filter(|b| !b.is_empty()) {
                    pieces.push(Piece::Text(before));
                }
                let trimmed = match code.strip_prefix(' ').and_then(|c| c.strip_suffix(' ')) {
                    Some(inner) if !code.bytes().all(|b| b == b' ') => inner,
                    _ => code,
                };
                pieces.push(Piece::Code(trimmed));
                plain_from = close_at + length;
                index = close + 1;
            }
            None => index += 1,
        }
    }
    if let Some(rest) = text.get(plain_from..).filter(|rest| !rest.is_empty()) {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// Escapes text for HTML as [`html`] does, and sets each `code` span (text between two
/// backticks on one line, as messages quote keys, values and names) in `<code>`, so that no
/// backtick of a message is shown raw on a page. A backtick without a partner is kept.
pub fn html_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => out.push_str(&html(text)),
            Piece::Code(code) => {
                out.push_str("<code>");
                out.push_str(&html(code));
                out.push_str("</code>");
            }
        }
    }
    out
}

/// Where Markdown text is written. A table cell is cut at every `|` before anything else is
/// read (GFM), code spans included, so there a `|` is written `\|` even in code (and shown
/// without the backslash); anywhere else a backslash in a code span is shown as it is, so there
/// a `|` in code is left alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkdownPlace {
    /// A paragraph, a list item, a heading: not a table.
    Block,
    /// A cell of a table.
    Cell,
}

/// Escapes a message for Markdown as [`markdown`] does, and writes each `code` span (found as
/// [`html_code`] finds them) as a Markdown code span ([`markdown_span`]). Line breaks are shown
/// as `\u{a}` before the spans are found, so a value quoted as code that holds one stays one span.
pub fn markdown_code(text: &str, place: MarkdownPlace) -> String {
    let one_line = line_breaks_visible(text);
    let mut out = String::with_capacity(one_line.len());
    for piece in pieces(&one_line) {
        match piece {
            Piece::Text(text) => out.push_str(&markdown(text)),
            Piece::Code(code) => out.push_str(&markdown_span(code, place)),
        }
    }
    out
}

/// `text` with line feeds and carriage returns as `\u{a}` and `\u{d}`.
fn line_breaks_visible(text: &str) -> Cow<'_, str> {
    if !text.contains(['\n', '\r']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(escape_with(text, |c| {
        matches!(c, '\n' | '\r').then(|| visible(c))
    }))
}

/// `code` as one Markdown code span, however many backticks it holds: its fence is one backtick
/// longer than the longest run of backticks inside (CommonMark), with a space inside each end
/// when the content starts or ends with a backtick, so no content can close it early. Inside the
/// span nothing is escaped but what would break the line or the table around it: hidden
/// characters (line breaks included) as `\u{…}`, and in a table cell `|` as `\|`. (Nothing in a
/// code span is read as a link, so a web or mail address needs nothing.)
pub fn markdown_span(code: &str, place: MarkdownPlace) -> String {
    let inner = escape_with(code, |c| match c {
        '|' if place == MarkdownPlace::Cell => Some(Cow::Borrowed("\\|")),
        c if is_hidden(c) => Some(visible(c)),
        _ => None,
    });
    crate::base::i18n::code(&inner)
}

/// Text for the runs of a Word document: hidden characters other than line feeds and tabs, and
/// the two non-characters U+FFFE and U+FFFF, shown as `\u{…}`. XML 1.0 cannot hold most of them
/// nor the non-characters (Word refuses the file), and a bidirectional
/// override would reorder what the reviewer reads and signs. docx-rs escapes the markup itself.
pub fn document_text(text: &str) -> String {
    escape_with(text, |c| {
        let unwritable = is_hidden(c) || matches!(c, '\u{fffe}' | '\u{ffff}');
        (unwritable && c != '\n' && c != '\t').then(|| visible(c))
    })
}

/// Escapes text for XML content; hidden characters other than line breaks and tabs are shown as
/// `\u{…}` (XML 1.0 cannot hold most of them), a carriage return is kept as `&#13;` (a parser
/// would fold it into the line feed), and the two non-characters are dropped.
pub fn xml(text: &str) -> String {
    escape_with(text, |c| match c {
        '\t' | '\n' => None,
        '\r' => Some(Cow::Borrowed("&#13;")),
        '\u{fffe}' | '\u{ffff}' => Some(Cow::Borrowed("")),
        c if is_hidden(c) => Some(visible(c)),
        c => markup(c, "&apos;"),
    })
}

/// Escapes text for an XML attribute value: as [`xml`], with line breaks and tabs as character
/// references, which a parser keeps (it folds raw ones into spaces).
pub fn xml_attribute(text: &str) -> String {
    escape_with(text, |c| match c {
        '\t' => Some(Cow::Borrowed("&#9;")),
        '\n' => Some(Cow::Borrowed("&#10;")),
        '\r' => Some(Cow::Borrowed("&#13;")),
        '\u{fffe}' | '\u{ffff}' => Some(Cow::Borrowed("")),
        c if is_hidden(c) => Some(visible(c)),
        c => markup(c, "&apos;"),
    })
}

/// Escapes text for Markdown: HTML is neutralised; table, emphasis, strikethrough, math and
/// mention markup made literal; what GitHub would make a link (`http://…`, `www.…`, a mail
/// address) broken so that it stays text; hidden characters, line breaks included, shown as
/// `\u{…}`, so that a value stays on its line and a reader sees that it had more than one.
///
/// A link is broken where GitHub's autolink extension looks for it: the `:` of `://` is written
/// `\:`, the dot of `www.` `\.`, and every `@` is followed by an empty HTML comment, which ends the
/// text a mail address (`a@b.org`, `mailto:a@b.org`) or a mention of a GitHub user is read from,
/// and which renders as nothing. (A backslash before `@` or an entity does not: both join the
/// text around them before a mail address is looked for.)
pub fn markdown(text: &str) -> String {
    let escaped = escape_with(text, |c| {
        let escaped = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '\\' => "\\\\",
            '`' => "\\`",
            '*' => "\\*",
            '_' => "\\_",
            '[' => "\\[",
            ']' => "\\]",
            '|' => "\\|",
            '#' => "\\#",
            '!' => "\\!",
            '~' => "\\~",
            '$' => "\\$",
            '@' => "@<!-- -->",
            c if is_hidden(c) => return Some(visible(c)),
            _ => return None,
        };
        Some(Cow::Borrowed(escaped))
    });
    links_broken(escaped)
}

/// Writes the `:` of every `://` as `\:` and the dot of every `www.` (in any case) as `\.`: where
/// GitHub's autolink extension starts a link.
fn links_broken(text: String) -> String {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("www.") && !lower.contains("://") {
        return text;
    }
    // Both marks are ASCII, so the lowercase copy has the same byte offsets.
    let mut marks: Vec<usize> = lower
        .match_indices("www.")
        .map(|(at, _)| at + 3)
        .chain(lower.match_indices("://").map(|(at, _)| at))
        .collect();
    marks.sort_unstable();
    let mut out = String::with_capacity(text.len() + marks.len());
    let mut from = 0;
    for at in marks {
        out.push_str(text.get(from..at).unwrap_or_default());
        out.push('\\');
        from = at;
    }
    out.push_str(text.get(from..).unwrap_or_default());
    out
}

/// Makes text safe for one line of a terminal or a CI log: hidden characters (line breaks
/// included) are written as `\u{…}`, so input can neither start a new line, nor move the
/// cursor, nor reorder what is shown.
pub fn terminal_line(text: &str) -> Cow<'_, str> {
    terminal_keeping(text, |_| false)
}

/// A line of a source file as a snippet quotes it: as [`terminal_line`], keeping tabs (the
/// snippet lays them out) and a final carriage return (of a CRLF line).
pub fn source_line(text: &str) -> Cow<'_, str> {
    let (body, cr) = match text.strip_suffix('\r') {
        Some(body) => (body, "\r"),
        None => (text, ""),
    };
    match terminal_keeping(body, |c| c == '\t') {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(mut escaped) => {
            escaped.push_str(cr);
            Cow::Owned(escaped)
        }
    }
}

/// Makes text of many lines safe for a terminal or a CI log, for output that quotes input
/// without a report around it (`yimi explain`, `yimi rules list`): every line as
/// [`terminal_line`] (tabs kept), then guarded by [`ci_commands`]. Line breaks stay, so text
/// that must not start a line of its own is made one line first, with [`terminal_line`].
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    let lines = terminal_keeping(text, |c| c == '\n' || c == '\t');
    match ci_commands(OutputKind::Terminal, &lines) {
        Cow::Borrowed(_) => lines,
        Cow::Owned(guarded) => Cow::Owned(guarded),
    }
}

fn terminal_keeping(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && !keep(c);
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(escape_with(text, |c| hidden(c).then(|| visible(c))))
}

/// Makes serialized JSON show what could mislead a reader: hidden characters that serde leaves
/// raw (DEL, C1 controls, bidi and zero-width characters, line separators) are written as
/// `\uXXXX`. In serialized JSON such characters occur only inside strings, where the escape
/// reads back as the same character.
fn json_hidden(c: char) -> Option<Cow<'static, str>> {
    shown_in_json(c).then(|| Cow::Owned(format!("\\u{:04x}", u32::from(c))))
}

/// Whether [`json_hidden`] writes `c` as an escape.
fn shown_in_json(c: char) -> bool {
    is_hidden(c) && u32::from(c) >= 0x20
}

/// Whether `text` holds a character that [`json_hidden`] makes visible, looking at bytes: the
/// UTF-8 of every such character (DEL, the C1 controls, and the hidden characters from U+0080 up:
/// U+061C, U+200B…U+2069, U+FEFF) starts with 0x7F, 0xC2, 0xD8, 0xE2 or 0xEF, so only there is a
/// character decoded. A report is mostly ASCII and CJK, which this skips byte by byte.
fn has_json_hidden(text: &str) -> bool {
    // Each chunk is first tested for those bytes without a branch per byte (which the compiler
    // makes a few vector instructions per chunk); only a chunk holding one is looked at byte by
    // byte. A report is tens of kilobytes a file, and this runs over all of it.
    const CHUNK: usize = 64;
    let lead = |byte: u8| {
        u8::from(byte == 0x7f)
            | u8::from(byte == 0xc2)
            | u8::from(byte == 0xd8)
            | u8::from(byte == 0xe2)
            | u8::from(byte == 0xef)
    };
    text.as_bytes()
        .chunks(CHUNK)
        .enumerate()
        .filter(|(_, chunk)| chunk.iter().fold(0, |any, &byte| any | lead(byte)) != 0)
        .any(|(index, chunk)| {
            chunk.iter().enumerate().any(|(offset, &byte)| {
                lead(byte) != 0
                    && text
                        .get(index * CHUNK + offset..)
                        .and_then(|rest| rest.chars().next())
                        .is_some_and(shown_in_json)
            })
        })
}

/// The kinds of output text, for how [`ci_commands`] writes a character it must disguise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// Human and plain text: `\u{…}`.
    Terminal,
    /// JSON and SARIF: `\uXXXX`, inside the strings where submitted text can only be.
    Json,
    /// HTML and XML: character references.
    Markup,
    /// Markdown: a backslash.
    Markdown,
}

/// What a CI runner reads as a command: GitHub Actions a line whose first non-blank characters
/// are `::`, Azure Pipelines `##vso[` anywhere in a line.
const AZURE_COMMAND: &str = "##vso[";

/// The older form of a GitHub Actions command, which its runner still reads anywhere in a line
/// when the newer (`::`) form does not parse: `##[error]…`, `##[add-mask]…`.
const GITHUB_OLD_COMMAND: &str = "##[";

/// Guards whole lines of output against CI log commands: a line that would start with `::`
/// (after blanks and colour codes) has its first `:` disguised, and every `##vso[` and `##[`
/// its second `#`, the way `kind` writes a character, so a reader sees the same text. JSON's hidden
/// characters are made visible here too. yimi's own words never start such a command, so what
/// this changes came from a submitted file.
pub fn ci_commands(kind: OutputKind, text: &str) -> Cow<'_, str> {
    // The cheap scans first: most reports hold neither `::` nor a hidden character.
    let leading_colons =
        text.contains("::") && text.split('\n').any(|line| command_start(line).is_some());
    let json_hidden_chars = kind == OutputKind::Json && has_json_hidden(text);
    if !leading_colons
        && !text.contains(AZURE_COMMAND)
        && !text.contains(GITHUB_OLD_COMMAND)
        && !json_hidden_chars
    {
        return Cow::Borrowed(text);
    }
    let (colon, hash) = match kind {
        OutputKind::Terminal => ("\\u{3a}", "\\u{23}"),
        OutputKind::Json => ("\\u003a", "\\u0023"),
        OutputKind::Markup => ("&#58;", "&#35;"),
        OutputKind::Markdown => ("\\:", "\\#"),
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let line: Cow<'_, str> = if kind == OutputKind::Json {
            Cow::Owned(escape_with(line, json_hidden))
        } else {
            Cow::Borrowed(line)
        };
        let line = line
            .replace(AZURE_COMMAND, &format!("#{hash}vso["))
            .replace(GITHUB_OLD_COMMAND, &format!("#{hash}["));
        match command_start(&line) {
            Some(at) => {
                out.push_str(line.get(..at).unwrap_or_default());
                out.push_str(colon);
                out.push_str(line.get(at + 1..).unwrap_or_default());
            }
            None => out.push_str(&line),
        }
    }
    Cow::Owned(out)
}

/// How [`json_string`] treats a byte: copied as it is (0), escaped as JSON escapes it (1: the
/// control characters, `"` and `\\`), or looked at more closely (2: `#`, which may start a CI
/// command, and the bytes that lead every character [`json_hidden`] escapes: see
/// [`has_json_hidden`]).
const JSON_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = 1;
        byte += 1;
    }
    table[b'"' as usize] = 1;
    table[b'\\' as usize] = 1;
    table[b'#' as usize] = 2;
    table[0x7f] = 2;
    table[0xc2] = 2;
    table[0xd8] = 2;
    table[0xe2] = 2;
    table[0xef] = 2;
    table
};

/// How many bytes `bytes` starts with that [`json_string`] copies as they are: eight at a time
/// without a branch per byte while none needs a look (most of a report's text, ASCII and CJK),
/// then byte by byte.
fn quiet_prefix(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        if chunk
            .iter()
            .fold(0, |any, &byte| any | JSON_BYTE[usize::from(byte)])
            != 0
        {
            break;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if JSON_BYTE[usize::from(byte)] != 0 {
            break;
        }
        at += 1;
    }
    at
}

/// Whether [`json_string`] writes `text` as it is, between quotes.
pub fn json_plain(text: &str) -> bool {
    quiet_prefix(text.as_bytes()) == text.len()
}

/// Writes `text` as a JSON string, quoted, as serde_json writes it (`\"`, `\\`, `\b`, `\f`,
/// `\n`, `\r`, `\t`, and `\u00xx` for the other control characters), and guarded as
/// [`ci_commands`] guards a printed document for [`OutputKind::Json`]: the hidden characters it
/// makes visible written as `\uXXXX`, and every `##vso[` and `##[` with its second `#` as
/// `\u0023`. A `::` inside a string starts no line, since a line of pretty-printed JSON starts
/// with indentation and then a bracket, a brace, a quote or a number; so what this gives, for
/// every string of a document, is what [`ci_commands`] gives for the whole document, in one pass
/// over the string (serde_json's escaping and then the guard, each a pass of its own, cost a
/// sixth of a file's instructions).
pub fn json_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `copied`: where the bytes not yet written start.
    let mut copied = 0;
    let mut at = 0;
    loop {
        at += quiet_prefix(bytes.get(at..).unwrap_or_default());
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let class = JSON_BYTE[usize::from(byte)];
        if class == 0 {
            at += 1;
            continue;
        }
        let rest = bytes.get(at..).unwrap_or_default();
        // What stands for the bytes from `at` on, and how many of them it stands for.
        let (escape, len): (&[u8], usize) = match byte {
            b'"' => (b"\\\"", 1),
            b'\\' => (b"\\\\", 1),
            b'\n' => (b"\\n", 1),
            b'\r' => (b"\\r", 1),
            b'\t' => (b"\\t", 1),
            0x08 => (b"\\b", 1),
            0x0c => (b"\\f", 1),
            _ if class == 1 => {
                out.extend_from_slice(bytes.get(copied..at).unwrap_or_default());
                let hex = |digit: u8| HEX.get(usize::from(digit)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte & 0xf)]);
                at += 1;
                copied = at;
                continue;
            }
            b'#' if rest.starts_with(AZURE_COMMAND.as_bytes())
                || rest.starts_with(GITHUB_OLD_COMMAND.as_bytes()) =>
            {
                (b"#\\u0023", 2)
            }
            b'#' => {
                at += 1;
                continue;
            }
            _ => {
                // A lead byte: only E2 80 / E2 81 and EF BB begin a hidden character among the
                // three-byte ones; the character itself decides.
                let second = rest.get(1).copied().unwrap_or(0);
                let may_hide = match byte {
                    0xe2 => second == 0x80 || second == 0x81,
                    0xef => second == 0xbb,
                    _ => true,
                };
                let hidden = may_hide
                    .then(|| text.get(at..).and_then(|rest| rest.chars().next()))
                    .flatten()
                    .filter(|&c| shown_in_json(c));
                match hidden {
                    Some(c) => {
                        out.extend_from_slice(bytes.get(copied..at).unwrap_or_default());
                        out.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes());
                        at += c.len_utf8();
                        copied = at;
                    }
                    None => at += 1,
                }
                continue;
            }
        };
        out.extend_from_slice(bytes.get(copied..at).unwrap_or_default());
        out.extend_from_slice(escape);
        at += len;
        copied = at;
    }
    out.extend_from_slice(bytes.get(copied..).unwrap_or_default());
    out.push(b'"');
}

/// Where a line starts a GitHub workflow command: the byte offset of its `::` after white space
/// and ANSI colour codes. White space is every Unicode white space character, not only blanks:
/// the runner trims a line with .NET's `TrimStart`, which also drops U+3000, U+00A0, U+2000–U+200A
/// and the other Unicode spaces before it looks for `::`.
fn command_start(line: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        let rest = line.get(at..)?;
        if rest.starts_with("::") {
            return Some(at);
        }
        if let Some(csi) = rest.strip_prefix("\u{1b}[") {
            // A CSI sequence ends with a byte in `@`..=`~`.
            let end = csi.bytes().position(|b| (0x40..=0x7e).contains(&b))?;
            at += 2 + end + 1;
            continue;
        }
        match rest.chars().next() {
            Some(c) if c.is_whitespace() => at += c.len_utf8(),
            _ => return None,
        }
    }
}

/// A writer that passes whole lines through [`ci_commands`]: for output serialized piece by
/// piece (a JSON report written as serde writes it). Call [`Guarded::finish`] at the end.
pub struct Guarded<'a> {
    kind: OutputKind,
    inner: &'a mut dyn std::io::Write,
    pending: Vec<u8>,
}

impl<'a> Guarded<'a> {
    /// Guards what is written to `inner`.
    pub fn new(kind: OutputKind, inner: &'a mut dyn std::io::Write) -> Self {
        Guarded {
            kind,
            inner,
            pending: Vec::new(),
        }
    }

    fn write_lines(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self
                .inner
                .write_all(ci_commands(self.kind, text).as_bytes()),
            // yimi writes UTF-8; anything else is passed on as it is.
            Err(_) => self.inner.write_all(bytes),
        }
    }

    /// Writes what is left of the last line.
    pub fn finish(mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.write_lines(&pending)?;
        self.inner.flush()
    }
}

impl std::io::Write for Guarded<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Whole lines go through as one piece (the guard is line by line, so where the pieces
        // are cut between lines does not change what is written). Only `buf` is searched for
        // the last line break, and the buffer of a line not yet ended is kept, not reallocated.
        match buf.iter().rposition(|&b| b == b'\n') {
            None => self.pending.extend_from_slice(buf),
            Some(last) => {
                let (lines, rest) = buf.split_at(last + 1);
                if self.pending.is_empty() {
                    self.write_lines(lines)?;
                } else {
                    let mut pending = std::mem::take(&mut self.pending);
                    pending.extend_from_slice(lines);
                    let written = self.write_lines(&pending);
                    pending.clear();
                    self.pending = pending;
                    written?;
                }
                self.pending.extend_from_slice(rest);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::json_string;
    use super::{
        MarkdownPlace, OutputKind, Piece, ci_commands, html, html_code, markdown, markdown_code,
        markdown_span, pieces, source_line, terminal_line, terminal_text, xml, xml_attribute,
    };
    use MarkdownPlace::{Block, Cell};

    /// Whatever needs a look (an escape, a CI command, a hidden character, a lead byte of a
    /// character that is not hidden) is found at every offset of a long string, in and
    /// between the blocks `quiet_prefix` skips: `json_string` writes what serde_json and the
    /// guard of the document write.
    #[test]
    fn a_json_string_is_escaped_and_guarded_at_every_offset() {
        let loud = [
            "\u{1}", "\"", "\\", "##vso[", "##[", "#", "\u{7f}", "\u{85}", "\u{61c}", "\u{200b}",
            "\u{2028}", "\u{feff}", "—", "≥", "\n",
        ];
        for filler in ["a", "中"] {
            for thing in loud {
                for at in 0..40 {
                    let text = format!("{}{thing}{}", filler.repeat(at), filler.repeat(40 - at));
                    let mut out = Vec::new();
                    json_string(&mut out, &text);
                    let expected = serde_json::to_string(&text).expect("serializes");
                    let expected = ci_commands(OutputKind::Json, &expected);
                    assert_eq!(
                        String::from_utf8(out).expect("UTF-8"),
                        expected,
                        "{thing:?} at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_terminal_line_shows_what_would_move_or_reorder_it() {
        assert_eq!(terminal_line("CN/SH"), "CN/SH");
        assert_eq!(
            terminal_line("\u{1b}]0;owned\u{7}\nfake: pass\u{202e}"),
            "\\u{1b}]0;owned\\u{7}\\u{a}fake: pass\\u{202e}"
        );
        assert_eq!(
            terminal_line("a\u{200b}b\u{2060}c\u{feff}d\u{2066}e\u{9b}f"),
            "a\\u{200b}b\\u{2060}c\\u{feff}d\\u{2066}e\\u{9b}f"
        );
        assert_eq!(source_line("\tkey: \u{202e}x\r"), "\tkey: \\u{202e}x\r");
        assert_eq!(source_line("a\rb"), "a\\u{d}b");
    }

    #[test]
    fn terminal_text_keeps_its_lines_and_guards_each() {
        assert_eq!(
            terminal_text("title \u{1b}[2J\u{9b}1m\n  ::error::x\n\tquote \u{202e}\r\n##vso[y]"),
            "title \\u{1b}[2J\\u{9b}1m\n  \\u{3a}:error::x\n\tquote \\u{202e}\\u{d}\n#\\u{23}vso[y]"
        );
        assert_eq!(terminal_text("plain\ntext\n"), "plain\ntext\n");
    }

    #[test]
    fn code_spans_become_code_and_everything_stays_escaped() {
        assert_eq!(
            html_code("state `evidence` in the file (the `drafts` setting)"),
            "state <code>evidence</code> in the file (the <code>drafts</code> setting)"
        );
        // Markup inside and outside a span is escaped; a span never opens markup.
        assert_eq!(
            html_code("`<script>` & `a\"b`"),
            "<code>&lt;script&gt;</code> &amp; <code>a&quot;b</code>"
        );
        // A backtick without a partner, an empty pair and a pair across lines stay as they are.
        assert_eq!(html_code("a ` b"), "a ` b");
        assert_eq!(html_code("a `` b"), "a `` b");
        assert_eq!(html_code("`a\nb`"), "`a\nb`");
        assert_eq!(html_code("`x\u{202e}`"), "<code>x\\u{202e}</code>");
    }

    #[test]
    fn a_value_with_backticks_quoted_as_code_keeps_the_message_s_pairing() {
        use crate::base::i18n::code;
        for value in ["a`b", "```", "`x", "x`", " ` ", "a``b`c"] {
            let message = format!("unknown key {} near `next` and `last`", code(value));
            assert_eq!(
                pieces(&message),
                vec![
                    Piece::Text("unknown key "),
                    Piece::Code(value),
                    Piece::Text(" near "),
                    Piece::Code("next"),
                    Piece::Text(" and "),
                    Piece::Code("last"),
                ],
                "{message}"
            );
            let html = html_code(&message);
            assert!(
                html.ends_with(" near <code>next</code> and <code>last</code>"),
                "{html}"
            );
            let markdown = markdown_code(&message, Block);
            assert!(markdown.ends_with(" near `next` and `last`"), "{markdown}");
            assert!(
                markdown.starts_with(&format!("unknown key {} near", markdown_span(value, Block)))
            );
        }
        // Runs of every length up to 2,000, none paired, are cut in linear time (a scan to the
        // end of the line for each would take minutes at this size in a debug build).
        let hostile: String = (1..2000).map(|n| "`".repeat(n) + "x").collect();
        assert_eq!(pieces(&hostile), vec![Piece::Text(&hostile)]);
        // Unpaired runs are text; a run of another length inside a span is content.
        assert_eq!(pieces("a ` b"), vec![Piece::Text("a ` b")]);
        assert_eq!(pieces("``a`b``"), vec![Piece::Code("a`b")]);
        assert_eq!(pieces("`a\nb`"), vec![Piece::Text("`a\nb`")]);
    }

    #[test]
    fn markdown_code_spans_are_code_and_hold_any_backticks() {
        assert_eq!(
            markdown_code("missing `a_b` in *x*", Block),
            "missing `a_b` in \\*x\\*"
        );
        // A lone backtick stays literal, escaped.
        assert_eq!(markdown_code("a ` b", Block), "a \\` b");
        // Content with backticks gets a longer fence, padded where it touches one.
        assert_eq!(markdown_span("a`b", Block), "``a`b``");
        assert_eq!(markdown_span("```", Block), "```` ``` ````");
        assert_eq!(markdown_span("<b>", Block), "`<b>`");
        // A backslash in a code span is shown: `|` is escaped only where a table cell needs it.
        assert_eq!(markdown_span("x|y", Block), "`x|y`");
        assert_eq!(markdown_span("x|y", Cell), "`x\\|y`");
        assert_eq!(markdown_code("`a|b` and c|d", Cell), "`a\\|b` and c\\|d");
        // A line break inside a quoted value is shown, and the value stays one span.
        let quoted = format!("{} is not allowed", crate::base::i18n::code("a``b\nc"));
        assert_eq!(
            markdown_code(&quoted, Block),
            "```a``b\\u{a}c``` is not allowed"
        );
        assert_eq!(
            markdown_span("a\r\nb\u{202e}", Block),
            "`a\\u{d}\\u{a}b\\u{202e}`"
        );
    }

    #[test]
    fn markdown_text_never_becomes_a_link() {
        assert_eq!(
            markdown("see https://evil.example/x"),
            "see https\\://evil.example/x"
        );
        assert_eq!(markdown("WWW.evil.org www.x"), "WWW\\.evil.org www\\.x");
        assert_eq!(markdown("a@b.com"), "a@<!-- -->b.com");
        assert_eq!(markdown("mailto:a@b"), "mailto:a@<!-- -->b");
        assert_eq!(markdown("ftp://x www.y"), "ftp\\://x www\\.y");
        // yimi's own colons stay as they are.
        assert_eq!(markdown("项目文件:注明 a: b"), "项目文件:注明 a: b");
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
        assert_eq!(html("a\u{1b}b\nc\u{202e}"), "a\\u{1b}b\nc\\u{202e}");
        assert_eq!(
            markdown("<b>x</b> | *y*"),
            "&lt;b&gt;x&lt;/b&gt; \\| \\*y\\*"
        );
        assert_eq!(markdown("a\nb\u{7}c\r"), "a\\u{a}b\\u{7}c\\u{d}");
        assert_eq!(
            markdown("~~x~~ $y$ @team"),
            "\\~\\~x\\~\\~ \\$y\\$ @<!-- -->team"
        );
        assert_eq!(xml("'\u{1}\r\u{ffff}"), "&apos;\\u{1}&#13;");
        assert_eq!(xml_attribute("a\r\nb\tc"), "a&#13;&#10;b&#9;c");
    }

    #[test]
    fn no_line_starts_a_ci_command() {
        let text = "ok\n::set-output name=x::1\n  ::warning ::x\n\u{1b}[1m::error::y\nsee ##vso[task.complete]\n";
        assert_eq!(
            ci_commands(OutputKind::Terminal, text),
            "ok\n\\u{3a}:set-output name=x::1\n  \\u{3a}:warning ::x\n\u{1b}[1m\\u{3a}:error::y\nsee #\\u{23}vso[task.complete]\n"
        );
        assert_eq!(ci_commands(OutputKind::Markup, "::a"), "&#58;:a");
        assert_eq!(ci_commands(OutputKind::Markdown, "::a"), "\\::a");
        assert_eq!(
            ci_commands(OutputKind::Json, "  \"a\": \"##vso[x \u{202e}\"\n"),
            "  \"a\": \"#\\u0023vso[x \\u202e\"\n"
        );
        assert_eq!(ci_commands(OutputKind::Terminal, "a :: b\n"), "a :: b\n");
        // GitHub's runner still reads the older form anywhere in a line.
        assert_eq!(
            ci_commands(
                OutputKind::Terminal,
                "  4 | ##[error]forged ##[add-mask]x\n"
            ),
            "  4 | #\\u{23}[error]forged #\\u{23}[add-mask]x\n"
        );
        assert_eq!(
            ci_commands(OutputKind::Json, "\"##[warning]x\""),
            "\"#\\u0023[warning]x\""
        );
    }

    #[test]
    fn a_hidden_character_is_found_wherever_it_is_in_a_long_report() {
        // The scan looks at 64 bytes at a time: a character at each place in and around a
        // chunk, across a chunk's end too, and the look-alike bytes that start visible ones.
        for hidden in ["\u{202e}", "\u{7f}", "\u{85}", "\u{61c}", "\u{feff}"] {
            for at in [0, 1, 61, 62, 63, 64, 65, 127, 128, 200] {
                let text = format!("{}{hidden}{}", "a".repeat(at), "“中文” —".repeat(30));
                let guarded = ci_commands(OutputKind::Json, &text);
                assert!(
                    !guarded.contains(hidden),
                    "{hidden:?} at byte {at} was left raw"
                );
                assert!(guarded.contains("\\u"), "{hidden:?} at byte {at}");
            }
        }
        let visible = "“中文” — ½ ï".repeat(40);
        assert_eq!(ci_commands(OutputKind::Json, &visible), visible);
    }

    #[test]
    fn a_command_after_unicode_white_space_is_disguised_too() {
        // GitHub's runner trims every Unicode space before it parses `::`.
        for space in [
            "\u{3000}",
            "\u{a0}",
            "\u{2002}",
            "\u{205f}",
            "\u{1680}",
            "\u{202f}",
            " \u{3000}\t",
        ] {
            let line = format!("{space}::error file=x::owned\n");
            let guarded = ci_commands(OutputKind::Markup, &line);
            assert!(
                !guarded.contains("::error"),
                "{space:?} before `::` left the command whole: {guarded:?}"
            );
        }
        // A line whose `::` follows other text is not a command and stays as it is.
        assert_eq!(
            ci_commands(OutputKind::Markup, "\u{3000}a::b\n"),
            "\u{3000}a::b\n"
        );
    }

    #[test]
    fn word_text_shows_what_xml_cannot_hold() {
        assert_eq!(
            super::document_text("a\u{ffff}b\u{fffe}c\u{1}d\u{202e}e\nf\tg"),
            "a\\u{ffff}b\\u{fffe}c\\u{1}d\\u{202e}e\nf\tg"
        );
    }

    #[test]
    fn a_guarded_writer_guards_lines_split_across_writes() {
        use std::io::Write;
        let mut out = Vec::new();
        let mut guarded = super::Guarded::new(OutputKind::Json, &mut out);
        for piece in ["\"#", "#vso[", "\"\n", ":", ":x"] {
            guarded.write_all(piece.as_bytes()).expect("written");
        }
        guarded.finish().expect("finished");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "\"#\\u0023vso[\"\n\\u003a:x"
        );
    }

    /// However the text is cut into writes (several lines in one, a line over several), the
    /// guarded output is the text guarded as a whole.
    #[test]
    fn a_guarded_writer_gives_the_same_bytes_however_the_writes_are_cut() {
        use std::io::Write;
        let text = "  ::warning x\n\"##vso[a]\u{202e}\"\nplain\n\n::y\n\u{7f}z";
        let whole = ci_commands(OutputKind::Json, text).into_owned();
        for cut in 1..=text.len() {
            let mut out = Vec::new();
            let mut guarded = super::Guarded::new(OutputKind::Json, &mut out);
            for piece in text.as_bytes().chunks(cut) {
                guarded.write_all(piece).expect("written");
            }
            guarded.finish().expect("finished");
            assert_eq!(
                String::from_utf8(out).expect("UTF-8"),
                whole,
                "pieces of {cut}"
            );
        }
    }

    /// The byte scan finds exactly the characters `json_hidden` escapes, over every character.
    #[test]
    fn the_byte_scan_for_hidden_characters_agrees_with_the_character_test() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(
                super::has_json_hidden(&text),
                super::json_hidden(c).is_some(),
                "U+{:04X}",
                u32::from(c)
            );
        }
    }
}
