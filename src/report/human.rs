//! The `human` format: miette reports with the YAML snippet and the offending value underlined.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NamedSource, SourceCode, SourceSpan, SpanContents,
};

use super::escape::terminal_line;
use super::snippet::{self, Excerpt, Segment};
use super::{FileView, FindingView, Place, Style, Totals, citation_line, severity_label};
use crate::base::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::base::i18n::{Lang, Text};
use crate::engine::{Level, Outcome};

/// What miette quotes of a file: an [`Excerpt`] of the lines around the labels, each clipped,
/// so neither a long line nor a long file is echoed whole, and miette never lays out a column
/// past what its formatting allows.
#[derive(Debug)]
struct ExcerptSource(Excerpt);

impl ExcerptSource {
    fn segment(&self, offset: usize) -> Option<&Segment> {
        let segments = &self.0.segments;
        let index = segments
            .partition_point(|segment| segment.range.start <= offset)
            .checked_sub(1)?;
        segments.get(index)
    }
}

impl SourceCode for ExcerptSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let segment = self
            .segment(span.offset())
            .ok_or(MietteError::OutOfBounds)?;
        let text = self
            .0
            .text
            .get(segment.range.clone())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(
            span.offset().saturating_sub(segment.range.start).into(),
            span.len(),
        );
        let contents = text.read_span(&local, before, after)?;
        let mut line = segment.first_line + contents.line();
        let mut column = contents.column();
        if before == 0 && after == 0 {
            // The header: the label's line and column in the file, columns in characters (miette
            // counts bytes), as every other format gives them.
            if let Some(&(_, anchor_line, anchor_column)) = self
                .0
                .anchors
                .iter()
                .find(|(at, _, _)| *at == span.offset())
            {
                (line, column) = (anchor_line, anchor_column);
            }
        }
        Ok(Box::new(MietteSpanContents::new(
            contents.data(),
            SourceSpan::new(
                (contents.span().offset() + segment.range.start).into(),
                contents.span().len(),
            ),
            line,
            column,
            // miette counts lines from the start of the source, and merges two labels' contexts
            // by it; the merge succeeds only within a segment.
            segment.first_line + contents.line_count(),
        )))
    }
}

/// A report as miette wants it.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    source: Option<NamedSource<ExcerptSource>>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
}

/// Renders one report; miette wraps long messages, so a wrapped line of submitted text could
/// start a CI command: each report is guarded as a whole.
fn render(out: &mut String, report: &Rendered, style: &Style) {
    let mut rendered = String::new();
    if handler(style).render_report(&mut rendered, report).is_err() {
        rendered.push_str(&report.message);
        rendered.push('\n');
    }
    out.push_str(&super::escape::ci_commands(
        super::escape::OutputKind::Terminal,
        &rendered,
    ));
    // A blank line between reports, so each reads as a block.
    out.push('\n');
}

/// The excerpt of `file` for labels at `spans` as miette's source, and the spans within it;
/// `None` for a file without text.
fn excerpt(
    file: &SourceFile,
    spans: &[Range<usize>],
) -> (Option<NamedSource<ExcerptSource>>, Vec<SourceSpan>) {
    if file.text.is_empty() {
        return (None, Vec::new());
    }
    let excerpt = Excerpt::new(file, spans, CONTEXT_LINES);
    let spans = excerpt
        .spans
        .iter()
        .map(|span| SourceSpan::from(span.clone()))
        .collect();
    (
        Some(NamedSource::new(
            &*terminal_line(&file.name),
            ExcerptSource(excerpt),
        )),
        spans,
    )
}

/// Lines of context miette shows around a label (its default).
const CONTEXT_LINES: usize = 1;

/// The most places of one finding underlined in its snippet.
const MAX_SHOWN_PLACES: usize = 20;

/// Renders a located diagnostic (bad input, bad rules) the human way.
pub fn diagnostic(out: &mut String, diagnostic: &Diagnostic, style: &Style) {
    let lang = style.lang;
    let has_text = !diagnostic.file.text.is_empty();
    let message = if has_text {
        snippet::clip_quoted(diagnostic.message.get(lang)).into_owned()
    } else {
        format!(
            "{}: {}",
            terminal_line(&diagnostic.file.name),
            snippet::clip_quoted(diagnostic.message.get(lang))
        )
    };
    let spans: Vec<Range<usize>> = diagnostic
        .labels
        .iter()
        .map(|label| label.span.clone())
        .collect();
    let (source, spans) = excerpt(&diagnostic.file, &spans);
    let report = Rendered {
        message,
        code: Some(diagnostic.code.to_owned()),
        severity: match diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        },
        labels: diagnostic
            .labels
            .iter()
            .zip(spans)
            .enumerate()
            .map(|(i, (label, span))| {
                let text = Some(snippet::clip_quoted(label.text.get(lang)).into_owned())
                    .filter(|text| !text.is_empty());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect(),
        help: diagnostic
            .help_in(style.medium)
            .map(|help| snippet::clip_quoted(help.get(lang)).into_owned()),
        source,
    };
    render(out, &report, style);
}

/// Renders diagnostics, at most [`snippet::MAX_SHOWN_DIAGNOSTICS`] of a file (the most severe),
/// then a line for each file with some left out; `in_json` when `--format json` would list them.
pub fn diagnostics(out: &mut String, items: &[&Diagnostic], in_json: bool, style: &Style) {
    let (shown, left_out) = snippet::chosen(items);
    for (item, shown) in items.iter().zip(shown) {
        if shown {
            diagnostic(out, item, style);
        }
    }
    for left_out in &left_out {
        out.push_str(&snippet::left_out_line(left_out, in_json, style.lang));
        out.push_str("\n\n");
    }
}

fn finding(out: &mut String, file: &Arc<SourceFile>, finding: &FindingView<'_>, style: &Style) {
    let lang = style.lang;
    let severity = match finding.level {
        Some(Level::Error) => miette::Severity::Error,
        Some(Level::Warning) => miette::Severity::Warning,
        Some(Level::Advice) | None => miette::Severity::Advice,
    };
    let prefix = match (finding.outcome, lang) {
        (Outcome::InsufficientEvidence, Lang::Zh) => "证据不足:",
        (Outcome::InsufficientEvidence, Lang::En) => "insufficient evidence: ",
        (Outcome::Waived, Lang::Zh) => "已豁免:",
        (Outcome::Waived, Lang::En) => "waived: ",
        _ => "",
    };
    // miette lays out every label against the whole excerpt: an aggregate missing a value on
    // each of thousands of elements would take minutes. The first places are underlined and the
    // rest counted, as in `plain`, `json` and `sarif`.
    let shown_places = finding
        .places
        .get(..MAX_SHOWN_PLACES)
        .unwrap_or(&finding.places);
    // A key missing at the top level belongs nowhere in particular: the start of the file is not
    // wrong, so it is said in words instead of marked.
    let (at_top_level, shown_places): (Vec<&Place>, Vec<&Place>) = shown_places
        .iter()
        .partition(|place| place.at_top_level.is_some());
    let spans: Vec<Range<usize>> = shown_places
        .iter()
        .map(|place| place.span.clone())
        .collect();
    let (source, spans) = if spans.is_empty() {
        (None, Vec::new())
    } else {
        excerpt(file, &spans)
    };
    let labels = shown_places
        .iter()
        .zip(spans)
        .enumerate()
        .map(|(i, (place, span))| {
            let text = Some(snippet::clip_quoted(place.label.get(lang)).into_owned());
            if i == 0 {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })
        .collect();
    let mut help = Vec::new();
    for place in &at_top_level {
        if let Some(belongs) = &place.at_top_level {
            help.push(top_level_line(place, belongs, lang));
        }
    }
    let unshown = finding.place_count() - shown_places.len() - at_top_level.len();
    if unshown > 0 {
        help.push(match lang {
            Lang::Zh => format!("另有 {unshown} 处未在此标出"),
            Lang::En => format!("{unshown} more places are not marked here"),
        });
    }
    if let Some(hint) = &finding.hint {
        // Advice about the project, then the edit to the file: a help line each.
        for line in hint.get(lang).lines() {
            help.push(snippet::clip_quoted(line).into_owned());
        }
    }
    if let Some(rule) = finding.rule {
        let kind = super::rule_kind(rule.strength, rule.domain, lang);
        let title = terminal_line(rule.title.get(lang));
        help.push(match lang {
            Lang::Zh => format!("规则:{title}({kind})"),
            Lang::En => format!("rule: {title} ({kind})"),
        });
    }
    if let Some(citation) = finding.citation {
        let line = citation_line(citation, lang);
        let line = terminal_line(&line);
        help.push(match lang {
            Lang::Zh => format!("依据:{line}"),
            Lang::En => format!("clause: {line}"),
        });
    }
    for refined in &finding.refined {
        let line = super::record::refined_text(refined, lang);
        help.push(terminal_line(&line).into_owned());
    }
    if let Some(advisory) = &finding.advisory {
        help.push(terminal_line(advisory.get(lang)).into_owned());
    }
    if let Some(waiver) = finding.waiver {
        let by = terminal_line(waiver.approved_by.as_deref().unwrap_or("?"));
        help.push(match lang {
            Lang::Zh => format!("豁免批准:{by}"),
            Lang::En => format!("waiver approved by: {by}"),
        });
    }
    let marker = finding.baseline.map_or("", |state| state.marker(lang));
    let report = Rendered {
        message: format!(
            "{marker}{prefix}{}",
            snippet::clip_quoted(finding.message.get(lang))
        ),
        code: Some(finding.code.clone()),
        severity,
        labels,
        help: (!help.is_empty()).then(|| help.join("\n")),
        source,
    };
    render(out, &report, style);
}

/// What a report says of a value missing at the top level, instead of marking the start of the
/// file: the place's label and where the value belongs (「缺少 `facilities`:应在文件顶层注明」).
pub fn top_level_line(place: &Place, belongs: &Text, lang: Lang) -> String {
    let label = snippet::clip_quoted(place.label.get(lang));
    match lang {
        Lang::Zh => format!("{label}:{}", belongs.zh),
        Lang::En => format!("{label}: {}", belongs.en),
    }
}

/// Renders one file: input problems, findings, and a summary line.
pub fn file(out: &mut String, view: &FileView<'_>, style: &Style) {
    diagnostics(out, &view.diagnostics, true, style);
    if let Some(file) = view.file {
        for item in &view.findings {
            finding(out, file, item, style);
        }
    }
    nothing_to_check(out, view, style.lang);
    out.push_str(&summary_line(view, style.lang));
    out.push_str("\n\n");
}

/// The rules that held only because there was nothing to check, a located note each
/// (`file:line:col: note[RULE]: …`), as plain and human text both write them: they are not
/// findings (nothing is wrong), but not checked facts either.
pub fn nothing_to_check(out: &mut String, view: &FileView<'_>, lang: Lang) {
    let name = terminal_line(view.path);
    for item in &view.nothing_to_check {
        let location = match &item.place.at_top_level {
            Some(_) => name.clone().into_owned(),
            None => format!("{name}:{}:{}", item.place.line, item.place.column),
        };
        out.push_str(&format!(
            "{location}: {}[{}]: {}\n",
            if lang == Lang::Zh {
                "无可检查"
            } else {
                "nothing to check"
            },
            terminal_line(&item.rule.id),
            terminal_line(item.note.get(lang))
        ));
        out.push_str(&format!(
            "  {}: {} ({})\n",
            if lang == Lang::Zh { "规则" } else { "rule" },
            terminal_line(item.rule.title.get(lang)),
            super::rule_kind(item.rule.strength, item.rule.domain, lang)
        ));
        out.push_str(&format!(
            "  {}: {}\n",
            if lang == Lang::Zh { "依据" } else { "clause" },
            terminal_line(&super::citation_line(&item.rule.cite, lang))
        ));
    }
}

/// `path — verdict · counts`.
pub fn summary_line(view: &FileView<'_>, lang: Lang) -> String {
    let counts = &view.counts;
    let path = terminal_line(view.path);
    let Some(verdict) = view.verdict() else {
        // A file past the loader's cap: its true number, as its closing error says.
        let errors = snippet::error_count(view.diagnostics.iter().copied());
        let word = severity_label(Severity::Error);
        return match lang {
            Lang::Zh => format!("{path} — 输入无效({errors} 个{}),未检查", word.zh),
            Lang::En => format!(
                "{path} — invalid input ({errors} {}), not checked",
                plural(errors, &word.en)
            ),
        };
    };
    let rules = counts.pass
        + counts.vacuous
        + counts.fail
        + counts.not_applicable
        + counts.insufficient_evidence
        + counts.waived;
    let (packs, judged_at) = view
        .assessment
        .map_or((String::new(), String::new()), |assessment| {
            (
                terminal_line(&super::pack_standings(assessment, view.set, lang).join("; "))
                    .into_owned(),
                super::judged_at_text(assessment, lang),
            )
        });
    // Said only when there are any: most files have none.
    let vacuous = match (counts.vacuous, lang) {
        (0, _) => String::new(),
        (count, Lang::Zh) => format!(",无可检查 {count}"),
        (count, Lang::En) => format!(", {count} nothing to check"),
    };
    match lang {
        Lang::Zh => format!(
            "{} — {} · 错误 {} · 警告 {} · 建议 {} · {rules} 条规则(符合 {}{vacuous},不符合 {},证据不足 {},不适用 {},已豁免 {})· 规则包 {packs} · 判断日期 {judged_at}",
            path,
            verdict.stated(view.basis()).zh,
            counts.error,
            counts.warning,
            counts.advice,
            counts.pass,
            counts.fail,
            counts.insufficient_evidence,
            counts.not_applicable,
            counts.waived
        ),
        Lang::En => format!(
            "{} — {} · {} {} · {} {} · {} advice · {rules} rules ({} pass{vacuous}, {} fail, {} insufficient evidence, {} not applicable, {} waived) · packs {packs} · judged at {judged_at}",
            path,
            verdict.stated(view.basis()).en,
            counts.error,
            plural(counts.error, "error"),
            counts.warning,
            plural(counts.warning, "warning"),
            counts.advice,
            counts.pass,
            counts.fail,
            counts.insufficient_evidence,
            counts.not_applicable,
            counts.waived,
        ),
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// The closing line over all files.
pub fn totals_line(totals: &Totals, lang: Lang) -> String {
    let mut line = counts_line(totals, lang);
    if let Some(super::AgainstBaseline { new, existing }) = totals.against_baseline {
        line.push_str(&match lang {
            Lang::Zh => format!(";对照基线:新增 {new},已有 {existing}"),
            Lang::En => format!("; against the baseline: {new} new, {existing} already in it"),
        });
    }
    line
}

fn counts_line(totals: &Totals, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "共 {} 个文件:需修改 {},需补充材料 {},通过,附建议 {},通过 {},输入无效 {};错误 {},警告 {},建议 {}",
            totals.files,
            totals.fail,
            totals.incomplete,
            totals.pass_with_advice,
            totals.pass,
            totals.invalid,
            totals.errors,
            totals.warnings,
            totals.advice
        ),
        Lang::En => format!(
            "{} {}: {} fail, {} incomplete, {} pass with advice, {} pass, {} invalid; {} {}, {} {}, {} advice",
            totals.files,
            plural(totals.files, "file"),
            totals.fail,
            totals.incomplete,
            totals.pass_with_advice,
            totals.pass,
            totals.invalid,
            totals.errors,
            plural(totals.errors, "error"),
            totals.warnings,
            plural(totals.warnings, "warning"),
            totals.advice
        ),
    }
}

/// Renders the whole report.
pub fn report(views: &[FileView<'_>], style: &Style) -> String {
    let mut out = String::new();
    for view in views {
        file(&mut out, view, style);
    }
    out.push_str(&totals_line(&super::totals(views, style), style.lang));
    out.push('\n');
    out
}
