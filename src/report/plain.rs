//! The `plain` format: the same content as `human`, one fact per line, no colour and no box
//! drawing — for screen readers, logs and `grep`. Locations read `file:line:column:`.

use unicode_width::UnicodeWidthStr;

use super::escape::{source_line, terminal_line};
use super::{FileView, FindingView, Place, Style, citation_line, severity_label, snippet};
use crate::base::diagnostic::{Diagnostic, Medium, SourceFile};
use crate::base::i18n::Lang;
use crate::engine::Outcome;

/// The source line of a place with a caret line under the span, indented; a long line is
/// shown as a window around the place (see [`snippet`]).
fn snippet(out: &mut String, file: &SourceFile, start: usize, end: usize, label: &str) {
    let text: &str = &file.text;
    let span = file.clamp(start..end);
    let (start, end) = (span.start, span.end);
    let line0 = file.line_index(start);
    let Some((line, _)) = file.line_range(line0) else {
        return;
    };
    let line = line.start..line.end.max(line.start);
    let window = snippet::window(text, line.clone(), start);
    let mut shown = snippet::shown(text, &window);
    if !window.cut_after {
        // A CRLF line's `\r` is not shown.
        shown.truncate(shown.trim_end_matches('\r').len());
    }
    let gutter = (line0 + 1).to_string();
    let ellipsis = usize::from(window.cut_before);
    let pad = text
        .get(window.start..start.max(window.start))
        .map_or(0, |prefix| source_line(prefix).replace('\t', " ").width())
        + ellipsis;
    let underlined = text
        .get(start.max(window.start)..end.clamp(start, window.end))
        .map_or(0, |part| source_line(part).width())
        .max(1);
    out.push_str(&format!("    {gutter} | {shown}\n"));
    out.push_str(&format!(
        "    {} | {}{} {label}\n",
        " ".repeat(gutter.len()),
        " ".repeat(pad),
        "^".repeat(underlined)
    ));
}

/// A located diagnostic as lines.
pub fn diagnostic(out: &mut String, diagnostic: &Diagnostic, lang: Lang, medium: Medium) {
    let (line, column) = diagnostic.line_col();
    // The severity is written in English in both languages, as compilers write it, so that
    // `grep 'error\['` finds the same lines whatever `--lang` is.
    let severity = severity_label(diagnostic.severity).en;
    let name = terminal_line(&diagnostic.file.name);
    let location = if diagnostic.file.text.is_empty() {
        name.into_owned()
    } else {
        format!("{name}:{line}:{column}")
    };
    out.push_str(&format!(
        "{location}: {severity}[{}]: {}\n",
        diagnostic.code,
        snippet::clip_quoted(diagnostic.message.get(lang))
    ));
    if !diagnostic.file.text.is_empty() {
        for label in &diagnostic.labels {
            snippet(
                out,
                &diagnostic.file,
                label.span.start,
                label.span.end,
                &snippet::clip_quoted(label.text.get(lang)),
            );
        }
    }
    if let Some(help) = diagnostic.help_in(medium) {
        let word = if lang == Lang::Zh { "帮助" } else { "help" };
        out.push_str(&format!(
            "  {word}: {}\n",
            snippet::clip_quoted(help.get(lang))
        ));
    }
}

fn finding(out: &mut String, file: &SourceFile, finding: &FindingView<'_>, lang: Lang) {
    // A key missing at the top level is not at the start of the file: the location is the first
    // place that is somewhere, and the others are said in words.
    let first: Option<&Place> = finding
        .places
        .iter()
        .find(|place| place.at_top_level.is_none());
    let name = terminal_line(&file.name);
    let location = first.map_or_else(
        || name.clone().into_owned(),
        |place| format!("{name}:{}:{}", place.line, place.column),
    );
    let level = match finding.level {
        Some(level) => level.as_str(),
        None => finding.outcome.as_str(),
    };
    let marker = finding.baseline.map_or("", |state| state.marker(lang));
    out.push_str(&format!(
        "{location}: {level}[{}]: {marker}{}\n",
        finding.code,
        snippet::clip_quoted(finding.message.get(lang))
    ));
    // The places after the first are the missing keys (and values derived from them): as many
    // are shown as are listed, and the rest counted.
    let shown_places = finding
        .places
        .get(..super::MAX_LISTED_MISSING)
        .unwrap_or(&finding.places);
    for place in shown_places {
        if let Some(belongs) = &place.at_top_level {
            // The `missing` lines below say where a missing key belongs.
            if finding.outcome != Outcome::InsufficientEvidence {
                out.push_str(&format!(
                    "  {}\n",
                    super::human::top_level_line(place, belongs, lang)
                ));
            }
            continue;
        }
        snippet(
            out,
            file,
            place.span.start,
            place.span.end,
            &snippet::clip_quoted(place.label.get(lang)),
        );
    }
    let unshown = finding.place_count() - shown_places.len();
    if unshown > 0 {
        out.push_str(&match lang {
            Lang::Zh => format!("  另有 {unshown} 处未在此标出\n"),
            Lang::En => format!("  {unshown} more places are not marked here\n"),
        });
    }
    let words = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    if let Some(rule) = finding.rule {
        out.push_str(&format!(
            "  {}: {} ({})\n",
            words("规则", "rule"),
            terminal_line(rule.title.get(lang)),
            super::rule_kind(rule.strength, rule.domain, lang)
        ));
    }
    if let Some(citation) = finding.citation {
        out.push_str(&format!(
            "  {}: {}\n",
            words("依据", "clause"),
            terminal_line(&citation_line(citation, lang))
        ));
    }
    for refined in &finding.refined {
        out.push_str(&format!(
            "  {}: {}\n",
            words("细化", "refined"),
            terminal_line(&super::record::refined_text(refined, lang))
        ));
    }
    if let Some(advisory) = &finding.advisory {
        out.push_str(&format!(
            "  {}: {}\n",
            words("效力", "force"),
            terminal_line(advisory.get(lang))
        ));
    }
    if finding.outcome == Outcome::InsufficientEvidence {
        let (listed, more) = finding.listed_missing();
        for missing in listed {
            if let Some(belongs) = &missing.place.at_top_level {
                out.push_str(&format!(
                    "  {}: {} ({})\n",
                    words("缺少", "missing"),
                    terminal_line(&missing.place.path.to_string()),
                    belongs.get(lang)
                ));
                continue;
            }
            out.push_str(&format!(
                "  {}: {} ({}:{}:{})\n",
                words("缺少", "missing"),
                terminal_line(&missing.place.path.to_string()),
                name,
                missing.place.line,
                missing.place.column
            ));
        }
        if more > 0 {
            out.push_str(&format!(
                "  {}: {}\n",
                words("缺少", "missing"),
                if lang == Lang::Zh {
                    format!("另有 {more} 项")
                } else {
                    format!("{more} more")
                }
            ));
        }
    }
    if let Some(waiver) = finding.waiver {
        out.push_str(&format!(
            "  {}: {} ({})\n",
            words("豁免", "waiver"),
            terminal_line(&waiver.reason),
            terminal_line(waiver.approved_by.as_deref().unwrap_or("?"))
        ));
    }
    if let Some(hint) = &finding.hint {
        // Advice and the edit to the file are two lines; each stays one line of output.
        for (index, line) in hint.get(lang).lines().enumerate() {
            if index == 0 {
                out.push_str(&format!(
                    "  {}: {}\n",
                    words("建议", "advice"),
                    snippet::clip_quoted(line)
                ));
            } else {
                out.push_str(&format!("        {}\n", snippet::clip_quoted(line)));
            }
        }
    }
}

/// Diagnostics that are not a checked file's (a rule pack's, a sources manifest's, a waivers
/// file's), at most [`snippet::MAX_SHOWN_DIAGNOSTICS`] of a file, then a line for each file
/// with some left out: what [`super::human::diagnostics`] shows, one fact per line.
pub fn diagnostics(out: &mut String, items: &[&Diagnostic], lang: Lang) {
    let (shown, left_out) = snippet::chosen(items);
    for (item, shown) in items.iter().zip(shown) {
        if shown {
            diagnostic(out, item, lang, Medium::CommandLine);
        }
    }
    for left_out in &left_out {
        out.push_str(&snippet::left_out_line(left_out, false, lang));
        out.push('\n');
    }
}

/// One file's lines.
pub fn file(out: &mut String, view: &FileView<'_>, lang: Lang) {
    let (shown, left_out) = snippet::chosen(&view.diagnostics);
    for (item, shown) in view.diagnostics.iter().zip(shown) {
        if shown {
            diagnostic(out, item, lang, view.medium);
        }
    }
    for left_out in &left_out {
        out.push_str(&snippet::left_out_line(left_out, true, lang));
        out.push('\n');
    }
    if let Some(file) = view.file {
        for item in &view.findings {
            finding(out, file, item, lang);
        }
    }
    super::human::nothing_to_check(out, view, lang);
    out.push_str(&super::human::summary_line(view, lang));
    out.push_str("\n\n");
}

/// Renders the whole report.
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
