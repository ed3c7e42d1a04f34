//! The `json` format: one document for the whole run, versioned (`"version": 1`) and
//! documented in the README. Every finding carries its rule, outcome, severity, message, file,
//! line and column, YAML path, citation and missing fields; every file its verdict and counts.

use serde::Serialize;
use std::io::Write as _;

use super::{Counts, FileView, Style, Totals};
use crate::base::diagnostic::{Diagnostic, Severity};
use crate::base::i18n::Lang;
use crate::engine::{Level, Outcome, Verdict};
use crate::project::date::Date;
use crate::rules::ir::{Domain, RuleSet, Strength};

/// The JSON report's format version; raised on any incompatible change.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    format: &'static str,
    version: u32,
    tool: Tool,
    lang: Lang,
    packs: Vec<Pack<'a>>,
    files: Vec<File<'a>>,
    summary: Totals,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Pack<'a> {
    id: &'a str,
    source: &'a str,
    jurisdiction: String,
    version: Option<&'a str>,
    builtin: bool,
    force: &'a crate::rules::ir::Force,
}

#[derive(Serialize)]
struct JudgedAt {
    date: Date,
    basis: crate::engine::force::DateBasis,
}

#[derive(Serialize)]
struct PackStanding<'a> {
    pack: &'a str,
    standing: crate::engine::force::Standing,
    effect: crate::engine::force::Effect,
}

#[derive(Serialize)]
struct File<'a> {
    file: &'a str,
    status: &'static str,
    project: Option<Project<'a>>,
    jurisdiction: Option<String>,
    verdict: Option<Verdict>,
    verdict_label: Option<String>,
    packs: Vec<&'a str>,
    judged_at: Option<JudgedAt>,
    standings: Vec<PackStanding<'a>>,
    counts: Counts,
    findings: Vec<Finding<'a>>,
    results: Vec<RuleOutcome<'a>>,
    diagnostics: Vec<Problem>,
}

#[derive(Serialize)]
struct Project<'a> {
    id: Option<&'a str>,
    name: Option<&'a str>,
    kind: Option<&'static str>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule_id: &'a str,
    kind: &'static str,
    title: &'a str,
    outcome: Outcome,
    severity: Option<Level>,
    message: &'a str,
    hint: Option<&'a str>,
    domain: Option<Domain>,
    strength: Option<Strength>,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    path: Option<String>,
    citation: Option<Citation<'a>>,
    missing: Vec<Missing>,
    /// Missing keys past the first [`super::MAX_LISTED_MISSING`], counted, not listed.
    #[serde(skip_serializing_if = "is_zero")]
    missing_more: usize,
    waiver: Option<Waiver<'a>>,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<super::BaselineState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    advisory: Option<String>,
    /// The parameters it was decided with that a more local pack refined.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    refined: Vec<Refined>,
}

/// A parameter a result was decided with whose value a more local pack refined.
#[derive(Serialize)]
struct Refined {
    param: String,
    /// The refining pack.
    pack: String,
    /// Its citation for the value.
    citation: OwnedCitation,
    /// The value in effect, with its unit.
    value: String,
    /// The wider value it replaced, and the pack that gave it.
    replaced: String,
    replaced_pack: String,
    basis: Option<String>,
    /// Whether it decides which projects the clause covers (else only what it requires).
    covers: bool,
    /// The comparisons of this project that read it.
    compared: Vec<Compared>,
    /// The whole in one sentence, as the other formats print it.
    text: String,
}

#[derive(Serialize)]
struct OwnedCitation {
    source: String,
    clause: String,
    quote: String,
}

fn refined(
    refined: &crate::engine::record::Refined,
    lang: Lang,
    project: Option<&crate::project::Project>,
) -> Refined {
    Refined {
        param: refined.param.clone(),
        pack: refined.pack.clone(),
        citation: OwnedCitation {
            source: refined.cite.source.clone(),
            clause: refined.cite.clause.clone(),
            quote: refined.cite.quote.clone(),
        },
        value: refined.value.get(lang).to_owned(),
        replaced: refined.replaced.get(lang).to_owned(),
        replaced_pack: refined.replaced_pack.clone(),
        basis: refined
            .basis
            .as_ref()
            .map(|basis| basis.get(lang).to_owned()),
        covers: refined.covers,
        compared: refined
            .compared
            .iter()
            .map(|comparison| {
                let line = project
                    .zip(comparison.path.as_ref())
                    .map(|(project, path)| super::record::line_of(project, path));
                let thing = project
                    .zip(comparison.path.as_ref())
                    .and_then(|(project, path)| project.named_thing(path));
                let belongs = project
                    .zip(comparison.path.as_ref())
                    .and_then(|(project, path)| super::record::belongs_in_words(project, path));
                compared(comparison, line, thing.as_ref(), belongs.as_ref(), lang)
            })
            .collect(),
        text: super::record::refined_text(refined, lang),
    }
}

fn compared(
    comparison: &crate::engine::record::Comparison,
    line: Option<usize>,
    thing: Option<&crate::base::i18n::Text>,
    project_belongs: Option<&crate::base::i18n::Text>,
    lang: Lang,
) -> Compared {
    Compared {
        subject: comparison.subject.get(lang).to_owned(),
        required: comparison.required.get(lang).to_owned(),
        basis: comparison
            .basis
            .as_ref()
            .map(|basis| basis.get(lang).to_owned()),
        stated: comparison.stated.get(lang).to_owned(),
        unit: comparison
            .unit
            .as_ref()
            .map(|unit| unit.get(lang).to_owned()),
        path: comparison.path.as_ref().map(ToString::to_string),
        line,
        place: thing.map(|thing| thing.get(lang).to_owned()),
        belongs: project_belongs.map(|belongs| belongs.get(lang).to_owned()),
        holds: match comparison.holds {
            crate::engine::eval::Tri::True => Some(true),
            crate::engine::eval::Tri::False => Some(false),
            crate::engine::eval::Tri::Unknown => None,
        },
    }
}

#[derive(Serialize)]
struct Citation<'a> {
    source: &'a str,
    clause: &'a str,
    quote: &'a str,
}

#[derive(Serialize)]
struct Missing {
    path: String,
    line: usize,
    column: usize,
    detail: Option<String>,
}

#[derive(Serialize)]
struct Waiver<'a> {
    covered: Outcome,
    reason: &'a str,
    approved_by: Option<&'a str>,
    expires: Option<Date>,
}

#[derive(Serialize)]
struct RuleOutcome<'a> {
    rule_id: &'a str,
    outcome: Outcome,
    source: &'a str,
    clause: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    advisory: bool,
    /// The result in the compliance record's words (符合, 不符合, 证据不足, 已豁免, 不适用, 仅供参考).
    result: String,
    /// The values that decided it; for a rule that does not apply, the condition that excluded
    /// the project.
    compared: Vec<Compared>,
    /// The parameters it was decided with that a more local pack refined.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    refined: Vec<Refined>,
}

#[derive(Serialize)]
struct Compared {
    subject: String,
    required: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<String>,
    stated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    path: Option<String>,
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<String>,
    /// Where an unstated value belongs, in words, when no named thing holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    belongs: Option<String>,
    /// Whether the comparison holds; `null` when it cannot be decided.
    holds: Option<bool>,
}

#[derive(Serialize)]
struct Problem {
    severity: Severity,
    code: &'static str,
    message: String,
    file: String,
    line: usize,
    column: usize,
    help: Option<String>,
}

fn problem(diagnostic: &Diagnostic, lang: Lang) -> Problem {
    let (line, column) = diagnostic.line_col();
    Problem {
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.get(lang).to_owned(),
        file: diagnostic.file.name.clone(),
        line,
        column,
        help: diagnostic
            .help
            .as_ref()
            .map(|help| help.get(lang).to_owned()),
    }
}

fn file<'a>(view: &'a FileView<'a>, set: &'a RuleSet, lang: Lang) -> File<'a> {
    let findings = view
        .findings
        .iter()
        .map(|finding| {
            let place = finding.places.first();
            Finding {
                rule_id: &finding.code,
                kind: if finding.rule.is_some() {
                    "rule"
                } else {
                    "file"
                },
                title: finding.title.get(lang),
                outcome: finding.outcome,
                severity: finding.level,
                message: finding.message.get(lang),
                hint: finding.hint.as_ref().map(|hint| hint.get(lang)),
                domain: finding.rule.map(|rule| rule.domain),
                strength: finding.rule.map(|rule| rule.strength),
                file: view.path,
                line: place.map(|p| p.line),
                column: place.map(|p| p.column),
                end_line: place.map(|p| p.end_line),
                end_column: place.map(|p| p.end_column),
                path: place.map(|p| p.path.to_string()),
                citation: finding.citation.map(|citation| Citation {
                    source: &citation.source,
                    clause: &citation.clause,
                    quote: &citation.quote,
                }),
                missing: finding
                    .listed_missing()
                    .0
                    .iter()
                    .map(|missing| Missing {
                        path: missing.place.path.to_string(),
                        line: missing.place.line,
                        column: missing.place.column,
                        detail: missing
                            .detail
                            .as_ref()
                            .map(|detail| detail.get(lang).to_owned()),
                    })
                    .collect(),
                missing_more: finding.listed_missing().1,
                waiver: finding.waiver.map(|waiver| Waiver {
                    covered: waiver.covered,
                    reason: &waiver.reason,
                    approved_by: waiver.approved_by.as_deref(),
                    expires: waiver.expires,
                }),
                fingerprint: &finding.fingerprint,
                baseline: finding.baseline,
                advisory: finding
                    .advisory
                    .as_ref()
                    .map(|note| note.get(lang).to_owned()),
                refined: finding
                    .refined
                    .iter()
                    .map(|found| refined(found, lang, view.project))
                    .collect(),
            }
        })
        .collect();
    let results = super::record::rows(view)
        .into_iter()
        .map(|row| RuleOutcome {
            rule_id: &row.rule.id,
            outcome: row.result.outcome,
            source: &row.rule.cite.source,
            clause: &row.rule.cite.clause,
            advisory: row.result.advisory,
            result: super::record::result_word(row.result).get(lang).to_owned(),
            compared: row
                .compared
                .iter()
                .map(|compared| {
                    self::compared(
                        &compared.comparison,
                        compared.line,
                        compared.thing.as_ref(),
                        compared.belongs.as_ref(),
                        lang,
                    )
                })
                .collect(),
            refined: row
                .refined
                .iter()
                .map(|found| refined(found, lang, view.project))
                .collect(),
        })
        .collect();
    File {
        file: view.path,
        status: if view.invalid() { "invalid" } else { "checked" },
        project: view.project.map(|project| Project {
            id: project.text(&["project", "id"]),
            name: project.text(&["project", "name"]),
            kind: project.enum_name(&["project", "kind"]),
        }),
        jurisdiction: view
            .assessment
            .map(|assessment| assessment.jurisdiction.to_string()),
        verdict: view.verdict(),
        verdict_label: view
            .verdict()
            .map(|verdict| verdict.label().get(lang).to_owned()),
        packs: view
            .assessment
            .map(|assessment| {
                assessment
                    .packs
                    .iter()
                    .filter_map(|&i| set.packs.get(i).map(|pack| pack.id.as_str()))
                    .collect()
            })
            .unwrap_or_default(),
        judged_at: view
            .assessment
            .and_then(|assessment| assessment.judged_at)
            .map(|at| JudgedAt {
                date: at.date,
                basis: at.basis,
            }),
        standings: view
            .assessment
            .map(|assessment| {
                assessment
                    .standings
                    .iter()
                    .filter_map(|standing| {
                        Some(PackStanding {
                            pack: set.packs.get(standing.pack)?.id.as_str(),
                            standing: standing.standing,
                            effect: standing.effect,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        counts: view.counts,
        findings,
        results,
        diagnostics: view
            .diagnostics
            .iter()
            .map(|diagnostic| problem(diagnostic, lang))
            .collect(),
    }
}

/// Renders the whole report as pretty-printed JSON.
pub fn report(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> String {
    let mut bytes = Vec::new();
    if let Err(error) = write(views, set, style, &mut bytes) {
        return format!("{{\"error\": \"{error}\"}}\n");
    }
    String::from_utf8(bytes).unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}\n"))
}

/// Writes the report to `out` as it is serialized, without holding the whole text (for ten
/// thousand files it is about 90 MB).
pub fn write(
    views: &[FileView<'_>],
    set: &RuleSet,
    style: &Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = Report {
        files: views
            .iter()
            .map(|view| file(view, set, style.lang))
            .collect(),
        summary: super::totals(views, style),
        ..header(set, style)
    };
    // serde writes many small pieces: buffer them here, where the writer's type is known.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, &report)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// The report without files, with an empty summary.
fn header<'a>(set: &'a RuleSet, style: &Style) -> Report<'a> {
    Report {
        format: "yimi-report",
        version: VERSION,
        tool: Tool {
            name: "yimi",
            version: env!("CARGO_PKG_VERSION"),
        },
        lang: style.lang,
        packs: set
            .packs
            .iter()
            .map(|pack| Pack {
                id: &pack.id,
                source: &pack.source,
                jurisdiction: pack.jurisdiction.to_string(),
                version: pack.version.as_deref(),
                builtin: pack.builtin,
                force: &pack.force,
            })
            .collect(),
        files: Vec::new(),
        summary: Totals::default(),
    }
}

/// Where the files array goes in the pretty-printed report; what comes before and after it is
/// cut from the report printed without files.
const FILES_KEY: &str = "\n  \"files\": ";

/// The report without files, printed, split around its (empty) files array.
fn around_files(
    set: &RuleSet,
    style: &Style,
    summary: Totals,
) -> std::io::Result<(String, String)> {
    let text = serde_json::to_string_pretty(&Report {
        summary,
        ..header(set, style)
    })?;
    let split = text
        .find(&format!("{FILES_KEY}[]"))
        .map(|at| at + FILES_KEY.len())
        .ok_or_else(|| std::io::Error::other("the report has no files array"))?;
    let (before, after) = text.split_at(split);
    let after = after.strip_prefix("[]").unwrap_or(after);
    Ok((before.to_owned(), format!("{after}\n")))
}

/// Writes a report one file at a time: what [`write`] writes, without holding every file.
pub struct Streamed<'a> {
    set: &'a RuleSet,
    style: &'a Style,
    files: usize,
}

impl<'a> Streamed<'a> {
    /// A report of `set`'s packs in `style`.
    pub fn new(set: &'a RuleSet, style: &'a Style) -> Self {
        Streamed {
            set,
            style,
            files: 0,
        }
    }

    /// Writes everything before the first file.
    pub fn begin(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let (before, _) = around_files(self.set, self.style, Totals::default())?;
        out.write_all(before.as_bytes())
    }

    /// Writes one file's entry.
    pub fn file(
        &mut self,
        view: &FileView<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let entry = serde_json::to_string_pretty(&file(view, self.set, self.style.lang))?;
        // An element of the top-level files array is indented two levels; JSON strings hold
        // no raw line breaks, so indenting every line is exact. Written in one piece: `out`
        // guards what it is given line by line, and one call per line cost more than the rest.
        let mut indented = Vec::with_capacity(entry.len() + entry.len() / 4 + 8);
        indented.extend_from_slice(if self.files == 0 {
            b"[\n    "
        } else {
            b",\n    "
        });
        for &byte in entry.as_bytes() {
            indented.push(byte);
            if byte == b'\n' {
                indented.extend_from_slice(b"    ");
            }
        }
        out.write_all(&indented)?;
        self.files += 1;
        Ok(())
    }

    /// Closes the files array and writes the summary.
    pub fn finish(self, totals: Totals, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.files == 0 { b"[]" } else { b"\n  ]" })?;
        let (_, after) = around_files(self.set, self.style, totals)?;
        out.write_all(after.as_bytes())
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(count: &usize) -> bool {
    *count == 0
}
