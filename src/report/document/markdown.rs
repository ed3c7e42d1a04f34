//! The Markdown back-end of the report: GitHub-flavoured Markdown, with everything from a
//! submission escaped so that it is never read as markup.

use super::{Block, Detail, Inline, Note, Table};
use crate::base::i18n::Lang;
use crate::report::escape::{MarkdownPlace, markdown as md, markdown_code, markdown_span};

/// The report's first line: its title (one of yimi's own phrases).
pub(super) fn title(title: &str) -> String {
    format!("# {title}\n\n")
}

fn blocks(out: &mut String, blocks: &[Block], lang: Lang) {
    for block in blocks {
        self::block(out, block, lang);
    }
}

/// Writes a block.
pub(super) fn block(out: &mut String, block: &Block, lang: Lang) {
    let colon = super::colon(lang);
    match block {
        Block::Heading { level, text } => {
            for _ in 0..*level {
                out.push('#');
            }
            out.push(' ');
            out.push_str(&md(text));
            out.push_str("\n\n");
        }
        Block::Paragraph { content, .. } => {
            inlines(out, content, MarkdownPlace::Block);
            out.push_str("\n\n");
        }
        Block::Facts(facts) => {
            for (label, value) in facts {
                out.push_str(&format!("- {label}{colon}{}\n", md(value)));
            }
            out.push('\n');
        }
        Block::Verdict { label, text, .. } => {
            out.push_str(&format!("**{label}{colon}{}**\n\n", md(text)));
        }
        Block::Table(table) => self::table(out, table),
        Block::List { items, .. } => {
            for item in items {
                out.push_str("- ");
                inlines(out, item, MarkdownPlace::Block);
                out.push('\n');
            }
            out.push('\n');
        }
        // A table beside it gives the same counts; Markdown has no drawing.
        Block::Chart(_) => {}
        Block::Notes(notes) => {
            for note in notes {
                self::note(out, note, lang);
            }
            out.push('\n');
        }
        Block::Section { blocks, .. } => self::blocks(out, blocks, lang),
        Block::Blanks(labels) => {
            for label in labels {
                out.push_str(&format!("- {label}{colon}\\_\\_\\_\\_\\_\\_\\_\\_\n"));
            }
            out.push('\n');
        }
    }
}

fn table(out: &mut String, table: &Table) {
    table_start(out, table);
    for cells in &table.rows {
        row(out, cells);
    }
    table_end(out);
}

/// A table's head row and the line under it.
pub(super) fn table_start(out: &mut String, table: &Table) {
    row(out, &table.head);
    out.push('|');
    for _ in &table.head {
        out.push_str("---|");
    }
    out.push('\n');
}

/// A row of a table.
pub(super) fn row(out: &mut String, cells: &[super::Cell]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        inlines(out, &cell.content, MarkdownPlace::Cell);
        out.push_str(" |");
    }
    out.push('\n');
}

/// What ends a table.
pub(super) fn table_end(out: &mut String) {
    out.push('\n');
}

fn note(out: &mut String, note: &Note, lang: Lang) {
    let colon = super::colon(lang);
    out.push_str(&format!(
        "- **[{}] {}** {}",
        md(&note.tag),
        md(&note.code),
        markdown_code(&note.text, MarkdownPlace::Block)
    ));
    if let Some(place) = &note.place {
        out.push_str(&format!(" ({})", md(place)));
    }
    out.push('\n');
    for detail in &note.details {
        match detail {
            Detail::Line { label, text, .. } => {
                // A hint's advice and the edit for the consultant: one line each, as a hard
                // break (a backslash at the end of the line) inside the list item.
                let lines: Vec<String> = text
                    .split('\n')
                    .map(|line| markdown_code(line, MarkdownPlace::Block))
                    .collect();
                out.push_str(&format!("  - {label}{colon}{}\n", lines.join("\\\n    ")));
            }
            Detail::Quote {
                label,
                quote,
                source,
            } => {
                let (open, close) = if lang == Lang::Zh {
                    ("「", "」")
                } else {
                    (" “", "”")
                };
                out.push_str(&format!(
                    "  - {label}{colon}{}{open}{}{close}\n",
                    md(source),
                    md(quote)
                ));
            }
        }
    }
}

fn inlines(out: &mut String, content: &[Inline], place: MarkdownPlace) {
    for inline in content {
        match inline {
            Inline::Text(text) => out.push_str(&markdown_code(text, place)),
            Inline::Plain(text) | Inline::Link { text, .. } | Inline::Tag { text, .. } => {
                out.push_str(&md(text));
            }
            Inline::Break => out.push_str("<br>"),
            // Markdown has no anchors to link to: the id is code.
            Inline::Code(code) | Inline::CodeLink { code, .. } => {
                out.push_str(&markdown_span(code, place));
            }
        }
    }
}
