//! The HTML back-end of the report: one self-contained page that prints on A4. Everything from a
//! submission is escaped, and the page carries a content security policy that forbids scripts,
//! so nothing in a project file can run in the reader's browser.

use std::fmt::Write as _;

use super::{Block, Cell, Detail, Inline, Note, TALLIES, Table, Tally};
use crate::base::i18n::Lang;
use crate::engine::Outcome;
use crate::report::escape::{html as html_escape, html_code};

/// What comes before the report's blocks: the page's head and the title (one of yimi's own
/// phrases).
pub(super) fn page_start(lang: Lang, title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        lang.tag(),
    )
}

/// What comes after the report's blocks.
pub(super) fn page_end() -> &'static str {
    "</body>\n</html>\n"
}

fn blocks(out: &mut String, blocks: &[Block], lang: Lang) {
    for block in blocks {
        self::block(out, block, lang);
    }
}

/// Writes a block.
pub(super) fn block(out: &mut String, block: &Block, lang: Lang) {
    match block {
        Block::Heading { level, text } => {
            let _ = writeln!(out, "<h{level}>{}</h{level}>", html_escape(text));
        }
        Block::Paragraph { note, content } => {
            out.push_str(if *note { "<p class=\"meta\">" } else { "<p>" });
            inlines(out, content);
            out.push_str("</p>\n");
        }
        Block::Facts(facts) => {
            out.push_str("<dl class=\"facts\">");
            for (label, value) in facts {
                let _ = write!(out, "<dt>{label}</dt><dd>{}</dd>", html_escape(value));
            }
            out.push_str("</dl>\n");
        }
        Block::Verdict { label, key, text } => {
            let _ = writeln!(
                out,
                "<p>{label}{}<span class=\"verdict verdict-{key}\" data-verdict=\"{key}\">{}</span></p>",
                super::colon(lang),
                html_escape(text)
            );
        }
        Block::Table(table) => self::table(out, table),
        Block::List { class, items } => {
            match class {
                Some(class) => {
                    let _ = write!(out, "<ul class=\"{class}\">");
                }
                None => out.push_str("<ul>"),
            }
            for item in items {
                out.push_str("<li>");
                inlines(out, item);
                out.push_str("</li>");
            }
            out.push_str("</ul>\n");
        }
        Block::Chart(rows) => {
            out.push_str(&chart(rows, lang));
            out.push('\n');
        }
        Block::Notes(notes) => {
            for note in notes {
                self::note(out, note, lang);
            }
        }
        Block::Blanks(labels) => {
            out.push_str("<dl class=\"blanks\">");
            for label in labels {
                let _ = write!(out, "<dt>{label}</dt><dd></dd>");
            }
            out.push_str("</dl>\n");
        }
        Block::Section { id, blocks } => {
            let _ = writeln!(
                out,
                "<section class=\"project\" id=\"{}\">",
                html_escape(id)
            );
            self::blocks(out, blocks, lang);
            out.push_str("</section>\n");
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

/// A table's start and head row.
pub(super) fn table_start(out: &mut String, table: &Table) {
    let _ = write!(out, "<table class=\"{}\"><thead><tr>", table.class);
    for cell in &table.head {
        self::cell(out, "th", cell);
    }
    out.push_str("</tr></thead><tbody>");
}

/// A row of a table.
pub(super) fn row(out: &mut String, cells: &[Cell]) {
    out.push_str("<tr>");
    for cell in cells {
        self::cell(out, "td", cell);
    }
    out.push_str("</tr>");
}

/// What ends a table.
pub(super) fn table_end(out: &mut String) {
    out.push_str("</tbody></table>\n");
}

fn cell(out: &mut String, tag: &str, cell: &Cell) {
    match cell.class {
        Some(class) => {
            let _ = write!(out, "<{tag} class=\"{class}\">");
        }
        None => {
            let _ = write!(out, "<{tag}>");
        }
    }
    inlines(out, &cell.content);
    let _ = write!(out, "</{tag}>");
}

fn note(out: &mut String, note: &Note, lang: Lang) {
    let id = note.anchor.as_ref().map_or_else(String::new, |anchor| {
        format!(" id=\"{}\"", html_escape(anchor))
    });
    let _ = write!(
        out,
        "<div class=\"finding {}\"{id}><p><strong>[{}]</strong> <span class=\"code\">{}</span> {}",
        note.class,
        html_escape(&note.tag),
        html_escape(&note.code),
        html_code(&note.text)
    );
    if let Some(place) = &note.place {
        let _ = write!(out, " <span class=\"meta\">{}</span>", html_escape(place));
    }
    out.push_str("</p>");
    for detail in &note.details {
        match detail {
            Detail::Line { label, text, note } => {
                let class = if *note { " class=\"meta\"" } else { "" };
                let _ = write!(
                    out,
                    "<p{class}>{label}{}{}</p>",
                    super::colon(lang),
                    // A hint's advice and the edit for the consultant: one line each.
                    text.split('\n')
                        .map(html_code)
                        .collect::<Vec<_>>()
                        .join("<br>")
                );
            }
            Detail::Quote { quote, source, .. } => {
                let _ = write!(
                    out,
                    "<blockquote>{}<br><span class=\"meta\">— {}</span></blockquote>",
                    html_escape(quote),
                    html_escape(source)
                );
            }
        }
    }
    out.push_str("</div>\n");
}

fn inlines(out: &mut String, content: &[Inline]) {
    for inline in content {
        match inline {
            // What yimi says quotes keys and values in backticks: shown as code, not raw.
            Inline::Text(text) => out.push_str(&html_code(text)),
            Inline::Plain(text) => out.push_str(&html_escape(text)),
            Inline::Break => out.push_str("<br>"),
            Inline::Code(code) => {
                let _ = write!(out, "<code>{}</code>", html_escape(code));
            }
            Inline::CodeLink { href, code } => {
                let _ = write!(
                    out,
                    "<a href=\"{}\"><code>{}</code></a>",
                    html_escape(href),
                    html_escape(code)
                );
            }
            Inline::Link { section, text } => {
                let _ = write!(
                    out,
                    "<a href=\"#{}\">{}</a>",
                    html_escape(section),
                    html_escape(text)
                );
            }
            Inline::Tag { class, text } => {
                let _ = write!(
                    out,
                    "<span class=\"{}\">{}</span>",
                    html_escape(class),
                    html_escape(text)
                );
            }
        }
    }
}

fn colour(tally: Tally) -> &'static str {
    match tally {
        Tally::Outcome(Outcome::Fail) => "#c62828",
        Tally::Outcome(Outcome::InsufficientEvidence) => "#ef6c00",
        Tally::Outcome(Outcome::Waived) => "#6a1b9a",
        Tally::Outcome(Outcome::Pass) => "#2e7d32",
        // Apart from the passes: nothing was checked, so not their green.
        Tally::NothingToCheck => "#00838f",
        Tally::Outcome(Outcome::NotApplicable) => "#9e9e9e",
    }
}

/// The width of `text` at `size` pixels, estimated: wide (CJK, full-width) characters take the
/// full size, others about 0.6 of it. SVG text does not wrap or measure itself, so the chart
/// leaves room by this estimate.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                size
            } else {
                size * 0.6
            }
        })
        .sum()
}

/// A horizontal stacked bar per domain, one segment per outcome; no scripts, no fonts to load.
/// The label column is as wide as the longest label, and the legend wraps onto further lines
/// rather than running past the drawing.
fn chart(rows: &[(String, [usize; TALLIES.len()])], lang: Lang) -> String {
    let (bar_width, row_height) = (430.0_f64, 26.0_f64);
    let label_width = rows
        .iter()
        .map(|(label, _)| text_width(label, 13.0))
        .fold(80.0_f64, f64::max)
        .ceil()
        + 12.0;
    let width = label_width + bar_width + 40.0;
    let most = rows
        .iter()
        .map(|(_, counts)| counts.iter().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    // The legend's entries, placed left to right and wrapped at the drawing's width.
    let mut legend = Vec::new();
    let (mut x, mut line) = (0.0_f64, 0_usize);
    for tally in TALLIES {
        let entry = 16.0 + text_width(tally.label().get(lang), 12.0) + 18.0;
        if x > 0.0 && x + entry > width {
            x = 0.0;
            line += 1;
        }
        legend.push((tally, x, line));
        x += entry;
    }
    let height = row_height * rows.len() as f64 + 40.0 + 20.0 * line as f64;
    let mut svg = String::new();
    let title = if lang == Lang::Zh {
        "各领域规则结果"
    } else {
        "Rule outcomes by domain"
    };
    let _ = write!(
        svg,
        "<svg class=\"domain-chart\" role=\"img\" aria-label=\"{title}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\"><title>{title}</title>"
    );
    for (row, (label, counts)) in rows.iter().enumerate() {
        let y = row as f64 * row_height;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"13\">{}</text>",
            y + 17.0,
            html_escape(label)
        );
        let mut x = label_width;
        for (slot, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let width = bar_width * count as f64 / most;
            let tally = TALLIES[slot % TALLIES.len()];
            let _ = write!(
                svg,
                "<rect class=\"bar-{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"18\" fill=\"{}\"><title>{}: {count}</title></rect>",
                tally.as_str(),
                y + 4.0,
                colour(tally),
                html_escape(tally.label().get(lang))
            );
            if width >= 16.0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#fff\" text-anchor=\"middle\">{count}</text>",
                    x + width / 2.0,
                    y + 17.0
                );
            }
            x += width;
        }
    }
    let legend_top = row_height * rows.len() as f64 + 20.0;
    for (tally, x, line) in legend {
        let y = legend_top + 20.0 * line as f64;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"12\">{}</text>",
            y - 10.0,
            colour(tally),
            x + 16.0,
            html_escape(tally.label().get(lang))
        );
    }
    svg.push_str("</svg>");
    svg
}

const CSS: &str = "
:root { color-scheme: light; }
body { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif; color: #1a1a1a; max-width: 180mm; margin: 12mm auto; line-height: 1.55; font-size: 11pt; }
h1 { font-size: 18pt; border-bottom: 2px solid #1a1a1a; padding-bottom: 4px; }
h2 { font-size: 15pt; margin-top: 2em; page-break-before: auto; }
h3 { font-size: 12.5pt; margin-top: 1.4em; }
h4 { font-size: 11.5pt; margin: 1em 0 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
table.summary td.file { overflow-wrap: anywhere; }
table.summary th.count, table.summary td.count { text-align: right; white-space: nowrap; }
table.summary td.verdict-cell .tag { white-space: nowrap; }
.tag { padding: 0 4px; border-radius: 3px; }
table.record { font-size: 9.5pt; table-layout: fixed; }
table.record td { overflow-wrap: anywhere; }
table.record td.result-cell { word-break: keep-all; }
table.record td.result-cell .tag { display: inline-block; max-width: 100%; box-sizing: border-box; }
table.record tr { page-break-inside: avoid; }
.result-pass { background: #dff3e0; color: #1b5e20; }
.result-fail { background: #fde0dc; color: #8e0000; }
.result-insufficient_evidence { background: #ffe7c2; color: #8a4b00; }
.result-waived { background: #efe3f5; color: #4a148c; }
.tag.advisory { outline: 1px dashed #0b4f8a; }
.verdict { font-size: 14pt; font-weight: bold; padding: 6px 10px; display: inline-block; border-radius: 4px; }
.verdict-fail { background: #fde0dc; color: #8e0000; }
.verdict-incomplete { background: #ffe7c2; color: #8a4b00; }
.verdict-pass_with_advice { background: #e3f1ff; color: #0b4f8a; }
.verdict-pass { background: #dff3e0; color: #1b5e20; }
.verdict-invalid { background: #eee; color: #333; }
.finding { border-left: 4px solid #999; padding: 2px 0 2px 8px; margin: 0.6em 0; page-break-inside: avoid; }
.finding.error { border-color: #c62828; } .finding.warning { border-color: #ef6c00; } .finding.advice { border-color: #1565c0; } .finding.waived { border-color: #6a1b9a; }
.finding .code { font-family: monospace; font-weight: bold; }
blockquote { margin: 0.3em 0; padding: 2px 8px; border-left: 3px solid #ccc; color: #333; background: #fafafa; }
.meta { color: #555; font-size: 9.5pt; }
a { text-underline-offset: .3em; text-decoration-skip-ink: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
dl.blanks { display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; }
dl.blanks dd { margin: 0; border-bottom: 1px solid #555; min-height: 2.2em; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
";
