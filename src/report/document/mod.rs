//! The assessment report a person attaches to a submission, as Markdown or as one
//! self-contained HTML file that prints on A4: project summary, screening verdict, outcomes per
//! domain with a chart, every finding with its quoted clause and hint, missing evidence, waivers
//! applied, the rule packs and versions used, and the date. Several files give one report with a
//! summary table and a section per project.
//!
//! Everything that comes from a submission is escaped; the HTML carries a content security policy
//! that forbids scripts, so nothing in a project file can run in the reader's browser.

use std::fmt::Write as _;

use super::{FileView, FindingView, Style, Totals};
use crate::base::i18n::Lang;
use crate::engine::{Level, Outcome};
use crate::rules::ir::{Domain, RuleSet};

/// Outcomes in the order of the chart and the tables.
const OUTCOMES: [Outcome; 5] = [
    Outcome::Fail,
    Outcome::InsufficientEvidence,
    Outcome::Waived,
    Outcome::Pass,
    Outcome::NotApplicable,
];

fn colour(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Fail => "#c62828",
        Outcome::InsufficientEvidence => "#ef6c00",
        Outcome::Waived => "#6a1b9a",
        Outcome::Pass => "#2e7d32",
        Outcome::NotApplicable => "#9e9e9e",
    }
}

/// Escapes text for HTML content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if u32::from(c) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown: HTML is neutralised and table/emphasis markup made literal.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if u32::from(c) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

struct Words {
    lang: Lang,
}

impl Words {
    fn pick(&self, zh: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::Zh { zh } else { en }
    }
}

/// Counts of outcomes per domain, for the rules that applied to a file.
fn per_domain(view: &FileView<'_>, set: &RuleSet) -> Vec<(Domain, [usize; 5])> {
    let Some(assessment) = view.assessment else {
        return Vec::new();
    };
    Domain::ALL
        .iter()
        .filter_map(|&domain| {
            let mut counts = [0; 5];
            for result in &assessment.results {
                if set
                    .rules
                    .get(result.rule)
                    .is_some_and(|rule| rule.domain == domain)
                    && let Some(slot) = OUTCOMES
                        .iter()
                        .position(|outcome| *outcome == result.outcome)
                {
                    counts[slot] += 1;
                }
            }
            (counts.iter().sum::<usize>() > 0).then_some((domain, counts))
        })
        .collect()
}

/// A horizontal stacked bar per domain, one segment per outcome; no scripts, no fonts to load.
fn chart(rows: &[(Domain, [usize; 5])], lang: Lang) -> String {
    let words = Words { lang };
    let (label_width, bar_width, row_height) = (150.0_f64, 430.0_f64, 26.0_f64);
    let most = rows
        .iter()
        .map(|(_, counts)| counts.iter().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let height = row_height * rows.len() as f64 + 40.0;
    let mut svg = String::new();
    let title = words.pick("各领域规则结果", "Rule outcomes by domain");
    let _ = write!(
        svg,
        "<svg class=\"domain-chart\" role=\"img\" aria-label=\"{title}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {height}\" width=\"100%\"><title>{title}</title>",
        label_width + bar_width + 40.0
    );
    for (row, (domain, counts)) in rows.iter().enumerate() {
        let y = row as f64 * row_height;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"13\">{}</text>",
            y + 17.0,
            html_escape(domain.label().get(lang))
        );
        let mut x = label_width;
        for (slot, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let width = bar_width * count as f64 / most;
            let outcome = OUTCOMES[slot % OUTCOMES.len()];
            let _ = write!(
                svg,
                "<rect class=\"bar-{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"18\" fill=\"{}\"><title>{}: {count}</title></rect>",
                outcome.as_str(),
                y + 4.0,
                colour(outcome),
                html_escape(outcome.label().get(lang))
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
    let legend_y = row_height * rows.len() as f64 + 20.0;
    let mut x = 0.0;
    for outcome in OUTCOMES {
        let label = html_escape(outcome.label().get(lang));
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{label}</text>",
            legend_y - 10.0,
            colour(outcome),
            x + 16.0,
            legend_y
        );
        x += 16.0 + 14.0 * outcome.label().get(lang).chars().count() as f64 + 18.0;
    }
    svg.push_str("</svg>");
    svg
}

fn level_word(finding: &FindingView<'_>, lang: Lang) -> String {
    match finding.level {
        Some(level) => level.label().get(lang).to_owned(),
        None => finding.outcome.label().get(lang).to_owned(),
    }
}

fn packs_line(view: &FileView<'_>, set: &RuleSet) -> Vec<String> {
    view.assessment
        .map(|assessment| {
            assessment
                .packs
                .iter()
                .filter_map(|&i| set.packs.get(i))
                .map(|pack| {
                    format!("{} {}", pack.id, pack.version.as_deref().unwrap_or(""))
                        .trim()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn project_title(view: &FileView<'_>) -> String {
    let Some(project) = view.project else {
        return view.path.to_owned();
    };
    match (
        project.text(&["project", "name"]),
        project.text(&["project", "id"]),
    ) {
        (Some(name), Some(id)) => format!("{name}({id})"),
        (None, Some(id)) => id.to_owned(),
        (Some(name), None) => name.to_owned(),
        (None, None) => view.path.to_owned(),
    }
}

fn facts(view: &FileView<'_>, lang: Lang) -> Vec<(&'static str, String)> {
    let words = Words { lang };
    let mut facts = vec![(words.pick("文件", "File"), view.path.to_owned())];
    let Some(project) = view.project else {
        return facts;
    };
    let field = |path: &[&str]| {
        project
            .text(path)
            .map(str::to_owned)
            .or_else(|| project.enum_name(path).map(str::to_owned))
    };
    for (label, path) in [
        (words.pick("项目编号", "Project id"), &["project", "id"][..]),
        (words.pick("类型", "Kind"), &["project", "kind"][..]),
        (words.pick("阶段", "Stage"), &["project", "stage"][..]),
        (
            words.pick("行政区划", "Jurisdiction"),
            &["project", "jurisdiction"][..],
        ),
        (
            words.pick("建设单位或起草部门", "Applicant"),
            &["project", "applicant"][..],
        ),
    ] {
        if let Some(value) = field(path) {
            facts.push((label, value));
        }
    }
    if let Some(crate::project::Data::Date(date)) = project.get(&["project", "decision_date"]) {
        facts.push((words.pick("决策日期", "Decision date"), date.to_string()));
    }
    if let Some(crate::project::Data::Bool(major)) = project.get(&["project", "major"]) {
        let value = if *major {
            words.pick("是", "yes")
        } else {
            words.pick("否", "no")
        };
        facts.push((words.pick("重大事项", "Major"), value.to_owned()));
    }
    facts
}

/// Findings grouped by domain (findings about the file itself last).
fn grouped<'v, 'a>(view: &'v FileView<'a>) -> Vec<(Option<Domain>, Vec<&'v FindingView<'a>>)> {
    let mut groups: Vec<(Option<Domain>, Vec<&FindingView<'a>>)> = Vec::new();
    for domain in Domain::ALL.iter().copied().map(Some).chain([None]) {
        let findings: Vec<&FindingView<'a>> = view
            .findings
            .iter()
            .filter(|finding| finding.rule.map(|rule| rule.domain) == domain)
            .collect();
        if !findings.is_empty() {
            groups.push((domain, findings));
        }
    }
    groups
}

fn heading(lang: Lang) -> &'static str {
    Words { lang }.pick(
        "儿童影响评价审查报告",
        "Children's impact assessment screening report",
    )
}

fn totals_rows(totals: &Totals, lang: Lang) -> Vec<(&'static str, usize)> {
    let words = Words { lang };
    let mut rows = vec![
        (words.pick("文件", "files"), totals.files),
        (words.pick("需修改", "fail"), totals.fail),
        (words.pick("需补充材料", "incomplete"), totals.incomplete),
        (
            words.pick("通过,附建议", "pass with advice"),
            totals.pass_with_advice,
        ),
        (words.pick("通过", "pass"), totals.pass),
        (words.pick("输入无效", "invalid"), totals.invalid),
    ];
    if let Some(against) = totals.against_baseline {
        rows.push((words.pick("新增问题", "new findings"), against.new));
        rows.push((
            words.pick("基线已有", "already in the baseline"),
            against.existing,
        ));
    }
    rows
}

/// Renders the report as Markdown.
pub fn markdown(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> String {
    let lang = style.lang;
    let words = Words { lang };
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", heading(lang));
    let date = style.date.map(|date| date.to_string()).unwrap_or_default();
    let _ = writeln!(
        out,
        "{} yimi {} · {} {date}\n",
        words.pick("生成工具", "Made by"),
        env!("CARGO_PKG_VERSION"),
        words.pick("日期", "date")
    );
    if views.len() > 1 {
        let _ = writeln!(out, "## {}\n", words.pick("汇总", "Summary"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
            words.pick("文件", "File"),
            words.pick("项目", "Project"),
            words.pick("结论", "Verdict"),
            words.pick("错误", "Errors"),
            words.pick("警告", "Warnings"),
            words.pick("建议", "Advice")
        );
        for view in views {
            let verdict = view.verdict().map_or_else(
                || words.pick("输入无效", "invalid input").to_owned(),
                |verdict| verdict.label().get(lang).to_owned(),
            );
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                md(view.path),
                md(&project_title(view)),
                md(&verdict),
                view.counts.error,
                view.counts.warning,
                view.counts.advice
            );
        }
        let totals = super::totals(views, style);
        let summary: Vec<String> = totals_rows(&totals, lang)
            .into_iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        let _ = writeln!(out, "\n{}\n", summary.join(" · "));
    }
    for view in views {
        let _ = writeln!(out, "## {}\n", md(&project_title(view)));
        for (label, value) in facts(view, lang) {
            let _ = writeln!(out, "- {label}:{}", md(&value));
        }
        let verdict = view.verdict().map_or_else(
            || {
                words
                    .pick("输入无效,未检查", "invalid input, not checked")
                    .to_owned()
            },
            |verdict| verdict.label().get(lang).to_owned(),
        );
        let _ = writeln!(
            out,
            "\n**{}:{}**\n",
            words.pick("审查结论", "Screening verdict"),
            md(&verdict)
        );
        if view.invalid() {
            for diagnostic in &view.diagnostics {
                let (line, column) = diagnostic.line_col();
                let _ = writeln!(
                    out,
                    "- {}:{line}:{column} {}",
                    md(&diagnostic.file.name),
                    md(diagnostic.message.get(lang))
                );
            }
            out.push('\n');
            continue;
        }
        let rows = per_domain(view, set);
        let _ = writeln!(
            out,
            "### {}\n",
            words.pick("各领域结果", "Outcomes by domain")
        );
        let outcome_heads: Vec<String> = OUTCOMES
            .iter()
            .map(|outcome| outcome.label().get(lang).to_owned())
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} |\n|---|{}",
            words.pick("领域", "Domain"),
            outcome_heads.join(" | "),
            "---|".repeat(OUTCOMES.len())
        );
        for (domain, counts) in &rows {
            let cells: Vec<String> = counts.iter().map(usize::to_string).collect();
            let _ = writeln!(
                out,
                "| {} | {} |",
                domain.label().get(lang),
                cells.join(" | ")
            );
        }
        let _ = writeln!(out, "\n### {}\n", words.pick("发现的问题", "Findings"));
        if view.findings.is_empty() {
            let _ = writeln!(out, "{}\n", words.pick("没有发现问题。", "None."));
        }
        for (domain, findings) in grouped(view) {
            let title = domain.map_or_else(
                || words.pick("其他", "Other").to_owned(),
                |domain| domain.label().get(lang).to_owned(),
            );
            let _ = writeln!(out, "#### {title}\n");
            for finding in findings {
                let place = finding
                    .places
                    .first()
                    .map(|place| format!(" ({}:{})", md(view.path), place.line))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- **[{}] {}** {}{}{place}",
                    md(&level_word(finding, lang)),
                    md(&finding.code),
                    md(finding.baseline.map_or("", |state| state.marker(lang))),
                    md(finding.message.get(lang))
                );
                if let (Some(rule), Some(citation)) = (finding.rule, finding.citation) {
                    let _ = writeln!(
                        out,
                        "  - {}:{}({}, {})",
                        words.pick("规则", "Rule"),
                        md(rule.title.get(lang)),
                        rule.strength.label().get(lang),
                        rule.domain.label().get(lang)
                    );
                    let _ = writeln!(
                        out,
                        "  - {}:{} §{}「{}」",
                        words.pick("依据", "Clause"),
                        md(&citation.source),
                        md(&citation.clause),
                        md(&citation.quote)
                    );
                }
                if let Some(hint) = &finding.hint {
                    let _ = writeln!(
                        out,
                        "  - {}:{}",
                        words.pick("建议", "Hint"),
                        md(hint.get(lang))
                    );
                }
                if let Some(waiver) = finding.waiver {
                    let _ = writeln!(
                        out,
                        "  - {}:{}",
                        words.pick("豁免", "Waiver"),
                        md(&waiver.reason)
                    );
                }
            }
            out.push('\n');
        }
        let missing: Vec<(String, String, String)> = view
            .findings
            .iter()
            .flat_map(|finding| {
                finding.missing.iter().map(move |missing| {
                    (
                        missing.place.path.to_string(),
                        missing
                            .doc
                            .as_ref()
                            .map(|doc| doc.get(lang).to_owned())
                            .unwrap_or_default(),
                        finding.code.clone(),
                    )
                })
            })
            .collect();
        let _ = writeln!(
            out,
            "### {}\n",
            words.pick("需补充的材料", "Missing evidence")
        );
        if missing.is_empty() {
            let _ = writeln!(out, "{}\n", words.pick("无。", "None."));
        } else {
            for (path, doc, code) in &missing {
                let _ = writeln!(
                    out,
                    "- `{}` {} — {}",
                    path.replace('`', "'"),
                    md(doc),
                    md(code)
                );
            }
            out.push('\n');
        }
        let waived: Vec<&FindingView<'_>> = view
            .findings
            .iter()
            .filter(|finding| finding.waiver.is_some())
            .collect();
        let _ = writeln!(
            out,
            "### {}\n",
            words.pick("已适用的豁免", "Waivers applied")
        );
        if waived.is_empty() {
            let _ = writeln!(out, "{}\n", words.pick("无。", "None."));
        } else {
            for finding in waived {
                if let Some(waiver) = finding.waiver {
                    let by = waiver.approved_by.as_deref().unwrap_or("?");
                    let until = waiver
                        .expires
                        .map(|date| date.to_string())
                        .unwrap_or_else(|| "—".into());
                    let _ = writeln!(
                        out,
                        "- {}:{}({} {}; {} {until})",
                        md(&finding.code),
                        md(&waiver.reason),
                        words.pick("批准", "approved by"),
                        md(by),
                        words.pick("有效期至", "until")
                    );
                }
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "### {}\n",
            words.pick("使用的规则包", "Rule packs used")
        );
        for pack in packs_line(view, set) {
            let _ = writeln!(out, "- {}", md(&pack));
        }
        out.push('\n');
    }
    out
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
table.summary td.verdict-cell { white-space: nowrap; }
.tag { padding: 0 4px; border-radius: 3px; }
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
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
";

/// Renders the report as one self-contained HTML page.
pub fn html(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> String {
    let lang = style.lang;
    let words = Words { lang };
    let mut body = String::new();
    let date = style.date.map(|date| date.to_string()).unwrap_or_default();
    let _ = writeln!(body, "<h1>{}</h1>", heading(lang));
    let _ = writeln!(
        body,
        "<p class=\"meta\">{} yimi {} · {} {date}</p>",
        words.pick("生成工具", "Made by"),
        env!("CARGO_PKG_VERSION"),
        words.pick("日期", "date")
    );
    if views.len() > 1 {
        let _ = writeln!(body, "<h2>{}</h2>", words.pick("汇总", "Summary"));
        let _ = writeln!(
            body,
            "<table class=\"summary\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"count\">{}</th><th class=\"count\">{}</th><th class=\"count\">{}</th></tr></thead><tbody>",
            words.pick("文件", "File"),
            words.pick("项目", "Project"),
            words.pick("结论", "Verdict"),
            words.pick("错误", "Errors"),
            words.pick("警告", "Warnings"),
            words.pick("建议", "Advice")
        );
        for (index, view) in views.iter().enumerate() {
            let verdict = view.verdict().map_or_else(
                || words.pick("输入无效", "invalid input").to_owned(),
                |verdict| verdict.label().get(lang).to_owned(),
            );
            let verdict_class = view.verdict().map_or("invalid", |verdict| verdict.as_str());
            let _ = writeln!(
                body,
                "<tr><td class=\"file\"><a href=\"#project-{index}\">{}</a></td><td>{}</td><td class=\"verdict-cell\"><span class=\"tag verdict-{verdict_class}\">{}</span></td><td class=\"count\">{}</td><td class=\"count\">{}</td><td class=\"count\">{}</td></tr>",
                html_escape(view.path),
                html_escape(&project_title(view)),
                html_escape(&verdict),
                view.counts.error,
                view.counts.warning,
                view.counts.advice
            );
        }
        body.push_str("</tbody></table>\n");
        let totals = super::totals(views, style);
        let summary: Vec<String> = totals_rows(&totals, lang)
            .into_iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        let _ = writeln!(body, "<p>{}</p>", html_escape(&summary.join(" · ")));
    }
    for (index, view) in views.iter().enumerate() {
        let _ = writeln!(
            body,
            "<section class=\"project\" id=\"project-{index}\">\n<h2>{}</h2>",
            html_escape(&project_title(view))
        );
        body.push_str("<dl class=\"facts\">");
        for (label, value) in facts(view, lang) {
            let _ = write!(body, "<dt>{label}</dt><dd>{}</dd>", html_escape(&value));
        }
        body.push_str("</dl>\n");
        let (class, verdict) = match view.verdict() {
            Some(verdict) => (verdict.as_str(), verdict.label().get(lang).to_owned()),
            None => (
                "invalid",
                words
                    .pick("输入无效,未检查", "invalid input, not checked")
                    .to_owned(),
            ),
        };
        let _ = writeln!(
            body,
            "<p>{}:<span class=\"verdict verdict-{class}\" data-verdict=\"{class}\">{}</span></p>",
            words.pick("审查结论", "Screening verdict"),
            html_escape(&verdict)
        );
        if view.invalid() {
            body.push_str("<ul>");
            for diagnostic in &view.diagnostics {
                let (line, column) = diagnostic.line_col();
                let _ = write!(
                    body,
                    "<li>{}:{line}:{column} {}</li>",
                    html_escape(&diagnostic.file.name),
                    html_escape(diagnostic.message.get(lang))
                );
            }
            body.push_str("</ul>\n</section>\n");
            continue;
        }
        let rows = per_domain(view, set);
        let _ = writeln!(
            body,
            "<h3>{}</h3>",
            words.pick("各领域结果", "Outcomes by domain")
        );
        body.push_str(&chart(&rows, lang));
        body.push_str("\n<table class=\"domains\"><thead><tr>");
        let _ = write!(body, "<th>{}</th>", words.pick("领域", "Domain"));
        for outcome in OUTCOMES {
            let _ = write!(body, "<th>{}</th>", html_escape(outcome.label().get(lang)));
        }
        body.push_str("</tr></thead><tbody>");
        for (domain, counts) in &rows {
            let _ = write!(
                body,
                "<tr><td>{}</td>",
                html_escape(domain.label().get(lang))
            );
            for count in counts {
                let _ = write!(body, "<td>{count}</td>");
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table>\n");
        let _ = writeln!(body, "<h3>{}</h3>", words.pick("发现的问题", "Findings"));
        if view.findings.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", words.pick("没有发现问题。", "None."));
        }
        for (domain, findings) in grouped(view) {
            let title = domain.map_or_else(
                || words.pick("其他", "Other").to_owned(),
                |domain| domain.label().get(lang).to_owned(),
            );
            let _ = writeln!(body, "<h4>{}</h4>", html_escape(&title));
            for finding in findings {
                let class = match (finding.level, finding.waiver) {
                    (_, Some(_)) => "waived",
                    (Some(Level::Error), _) => "error",
                    (Some(Level::Warning), _) => "warning",
                    _ => "advice",
                };
                let place = finding
                    .places
                    .first()
                    .map(|place| {
                        format!(
                            " <span class=\"meta\">{}:{}</span>",
                            html_escape(view.path),
                            place.line
                        )
                    })
                    .unwrap_or_default();
                let _ = write!(
                    body,
                    "<div class=\"finding {class}\"><p><strong>[{}]</strong> <span class=\"code\">{}</span> {}{}{place}</p>",
                    html_escape(&level_word(finding, lang)),
                    html_escape(&finding.code),
                    html_escape(finding.baseline.map_or("", |state| state.marker(lang))),
                    html_escape(finding.message.get(lang))
                );
                if let (Some(rule), Some(citation)) = (finding.rule, finding.citation) {
                    let _ = write!(
                        body,
                        "<p class=\"meta\">{}:{}({}, {})</p><blockquote>{}<br><span class=\"meta\">— {} §{}</span></blockquote>",
                        words.pick("规则", "Rule"),
                        html_escape(rule.title.get(lang)),
                        html_escape(rule.strength.label().get(lang)),
                        html_escape(rule.domain.label().get(lang)),
                        html_escape(&citation.quote),
                        html_escape(&citation.source),
                        html_escape(&citation.clause)
                    );
                }
                if let Some(hint) = &finding.hint {
                    let _ = write!(
                        body,
                        "<p>{}:{}</p>",
                        words.pick("建议", "Hint"),
                        html_escape(hint.get(lang))
                    );
                }
                if let Some(waiver) = finding.waiver {
                    let _ = write!(
                        body,
                        "<p>{}:{}</p>",
                        words.pick("豁免", "Waiver"),
                        html_escape(&waiver.reason)
                    );
                }
                body.push_str("</div>\n");
            }
        }
        let _ = writeln!(
            body,
            "<h3>{}</h3>",
            words.pick("需补充的材料", "Missing evidence")
        );
        let missing: Vec<String> = view
            .findings
            .iter()
            .flat_map(|finding| {
                finding.missing.iter().map(move |missing| {
                    let doc = missing
                        .doc
                        .as_ref()
                        .map(|doc| doc.get(lang).to_owned())
                        .unwrap_or_default();
                    format!(
                        "<li><code>{}</code> {} — {}</li>",
                        html_escape(&missing.place.path.to_string()),
                        html_escape(&doc),
                        html_escape(&finding.code)
                    )
                })
            })
            .collect();
        if missing.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", words.pick("无。", "None."));
        } else {
            let _ = writeln!(body, "<ul class=\"missing\">{}</ul>", missing.join(""));
        }
        let _ = writeln!(
            body,
            "<h3>{}</h3>",
            words.pick("已适用的豁免", "Waivers applied")
        );
        let waived: Vec<String> = view
            .findings
            .iter()
            .filter_map(|finding| {
                finding.waiver.map(|waiver| {
                    let by = waiver.approved_by.as_deref().unwrap_or("?");
                    let until = waiver
                        .expires
                        .map(|date| date.to_string())
                        .unwrap_or_else(|| "—".into());
                    format!(
                        "<li>{}:{}({} {}; {} {until})</li>",
                        html_escape(&finding.code),
                        html_escape(&waiver.reason),
                        words.pick("批准", "approved by"),
                        html_escape(by),
                        words.pick("有效期至", "until")
                    )
                })
            })
            .collect();
        if waived.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", words.pick("无。", "None."));
        } else {
            let _ = writeln!(body, "<ul class=\"waivers\">{}</ul>", waived.join(""));
        }
        let _ = writeln!(
            body,
            "<h3>{}</h3>",
            words.pick("使用的规则包", "Rule packs used")
        );
        let packs: Vec<String> = packs_line(view, set)
            .iter()
            .map(|pack| format!("<li>{}</li>", html_escape(pack)))
            .collect();
        let _ = writeln!(
            body,
            "<ul class=\"packs\">{}</ul>\n</section>",
            packs.join("")
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.tag(),
        heading(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::{html_escape, md};

    #[test]
    fn submission_text_is_escaped() {
        assert_eq!(
            html_escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            html_escape("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(md("<b>x</b> | *y*"), "&lt;b&gt;x&lt;/b&gt; \\| \\*y\\*");
    }
}
