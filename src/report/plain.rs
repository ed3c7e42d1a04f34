//! The `plain` format: the same content as `human`, one fact per line, no colour and no box
//! drawing — for screen readers, logs and `grep`. Locations read `file:line:column:`.

use unicode_width::UnicodeWidthStr;

use super::{FileView, FindingView, Place, Style, citation_line, severity_label};
use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::Lang;
use crate::engine::Outcome;

/// The source line of a place with a caret line under the span, indented.
fn snippet(out: &mut String, file: &SourceFile, start: usize, end: usize, label: &str) {
    let text: &str = &file.text;
    let start = start.min(text.len());
    let line_start = text
        .get(..start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| start + i);
    let line = text
        .get(line_start..line_end)
        .unwrap_or_default()
        .trim_end_matches('\r');
    let (number, _) = file.line_col(start);
    let gutter = number.to_string();
    let pad = text
        .get(line_start..start)
        .map_or(0, |prefix| prefix.replace('\t', " ").width());
    let underlined = text
        .get(start..end.clamp(start, line_end))
        .map_or(0, UnicodeWidthStr::width)
        .max(1);
    out.push_str(&format!("    {gutter} | {line}\n"));
    out.push_str(&format!(
        "    {} | {}{} {label}\n",
        " ".repeat(gutter.len()),
        " ".repeat(pad),
        "^".repeat(underlined)
    ));
}

/// A located diagnostic as lines.
pub fn diagnostic(out: &mut String, diagnostic: &Diagnostic, lang: Lang) {
    let (line, column) = diagnostic.line_col();
    // The severity is written in English in both languages, as compilers write it, so that
    // `grep 'error\['` finds the same lines whatever `--lang` is.
    let severity = severity_label(diagnostic.severity).en;
    let location = if diagnostic.file.text.is_empty() {
        diagnostic.file.name.clone()
    } else {
        format!("{}:{line}:{column}", diagnostic.file.name)
    };
    out.push_str(&format!(
        "{location}: {severity}[{}]: {}\n",
        diagnostic.code,
        diagnostic.message.get(lang)
    ));
    if !diagnostic.file.text.is_empty() {
        for label in &diagnostic.labels {
            snippet(
                out,
                &diagnostic.file,
                label.span.start,
                label.span.end,
                label.text.get(lang),
            );
        }
    }
    if let Some(help) = &diagnostic.help {
        let word = if lang == Lang::Zh { "帮助" } else { "help" };
        out.push_str(&format!("  {word}: {}\n", help.get(lang)));
    }
}

fn finding(out: &mut String, file: &SourceFile, finding: &FindingView<'_>, lang: Lang) {
    let first: Option<&Place> = finding.places.first();
    let location = first.map_or_else(
        || file.name.clone(),
        |place| format!("{}:{}:{}", file.name, place.line, place.column),
    );
    let level = match finding.level {
        Some(level) => level.as_str(),
        None => finding.outcome.as_str(),
    };
    let marker = finding.baseline.map_or("", |state| state.marker(lang));
    out.push_str(&format!(
        "{location}: {level}[{}]: {marker}{}\n",
        finding.code,
        finding.message.get(lang)
    ));
    for place in &finding.places {
        snippet(
            out,
            file,
            place.span.start,
            place.span.end,
            place.label.get(lang),
        );
    }
    let words = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    if let Some(rule) = finding.rule {
        out.push_str(&format!(
            "  {}: {} ({})\n",
            words("规则", "rule"),
            rule.title.get(lang),
            super::rule_kind(rule.strength, rule.domain, lang)
        ));
    }
    if let Some(citation) = finding.citation {
        out.push_str(&format!(
            "  {}: {}\n",
            words("依据", "clause"),
            citation_line(citation, lang)
        ));
    }
    if let Some(advisory) = &finding.advisory {
        out.push_str(&format!(
            "  {}: {}\n",
            words("效力", "force"),
            advisory.get(lang)
        ));
    }
    if finding.outcome == Outcome::InsufficientEvidence {
        for missing in &finding.missing {
            out.push_str(&format!(
                "  {}: {} ({}:{}:{})\n",
                words("缺少", "missing"),
                missing.place.path,
                file.name,
                missing.place.line,
                missing.place.column
            ));
        }
    }
    if let Some(waiver) = finding.waiver {
        out.push_str(&format!(
            "  {}: {} ({})\n",
            words("豁免", "waiver"),
            waiver.reason,
            waiver.approved_by.as_deref().unwrap_or("?")
        ));
    }
    if let Some(hint) = &finding.hint {
        out.push_str(&format!(
            "  {}: {}\n",
            words("建议", "hint"),
            hint.get(lang)
        ));
    }
}

/// Renders the whole report.
/// One file's lines.
pub fn file(out: &mut String, view: &FileView<'_>, lang: Lang) {
    for item in &view.diagnostics {
        diagnostic(out, item, lang);
    }
    if let Some(file) = view.file {
        for item in &view.findings {
            finding(out, file, item, lang);
        }
    }
    out.push_str(&super::human::summary_line(view, lang));
    out.push_str("\n\n");
}

pub fn report(views: &[FileView<'_>], style: &Style) -> String {
    let lang = style.lang;
    let mut out = String::new();
    for view in views {
        file(&mut out, view, lang);
    }
    out.push_str(&super::human::totals_line(
        &super::totals(views, style),
        lang,
    ));
    out.push('\n');
    out
}
