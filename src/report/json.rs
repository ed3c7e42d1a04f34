//! The `json` format: one document for the whole run, versioned (`"version": 1`) and
//! documented in the README. Every finding carries its rule, outcome, severity, message, file,
//! line and column, YAML path, citation and missing fields; every file its verdict and counts.
//!
//! The structs below are both the writer and the contract: serde serialises them and schemars
//! derives from them the JSON Schema committed as `schema/report.schema.json` (`yimi schema
//! --report`). Types whose files fingerprint the compiled rules (outcome, strength, domain,
//! language, force) get their schema here, from their variants, so that describing the report
//! never changes `rules/builtin.bin`.
//!
//! Architecture invariant: every struct the report serialises derives `JsonSchema` and denies
//! unknown fields; `tests/schema.rs` validates the reports of the examples and fixtures against
//! the committed schema, so a field the writer gains without the schema fails CI.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write as _;

mod pretty;

use super::{Counts, FileView, Style, Totals};
use crate::base::diagnostic::{Diagnostic, Medium, Severity};
use crate::base::i18n::Lang;
use crate::engine::{Level, Outcome, Verdict};
use crate::project::date::Date;
use crate::rules::ir::{Domain, RuleSet, Strength};

/// The JSON report's format version; raised on any incompatible change.
pub const VERSION: u32 = 1;

/// The identifier of the report's schema (a name, not a web address: the schema ships with the
/// tool).
pub const SCHEMA_ID: &str = "urn:yimi:schema:report:1";

/// The JSON Schema of the report, as committed in `schema/report.schema.json`.
pub fn schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Report<'_>>().to_value();
    unwrap_descriptions(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), serde_json::Value::String(SCHEMA_ID.into()));
    }
    schema
}

/// Joins the lines of descriptions taken from doc comments, which wrap at 100 columns: a line
/// break inside a description is not a break in its meaning.
fn unwrap_descriptions(value: &mut serde_json::Value) {
    // The schema nests a few levels (report, file, finding, refinement, comparison): a loop
    // over a work list rather than recursion all the same.
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(object) => {
                for (key, field) in object.iter_mut() {
                    match field {
                        serde_json::Value::String(text) if key == "description" => {
                            *text = text.replace('\n', " ");
                        }
                        _ => pending.push(field),
                    }
                }
            }
            serde_json::Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// The schema as committed: pretty-printed, with a final line break.
pub fn schema_text() -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(&schema()).unwrap_or_default()
    )
}

/// A closed enum of the values `variants` serialise to, each described.
fn closed<T: Serialize + Copy>(
    description: &str,
    variants: &[T],
    meaning: fn(T) -> &'static str,
) -> Schema {
    let one_of: Vec<serde_json::Value> = variants
        .iter()
        .map(|&variant| {
            serde_json::json!({
                "type": "string",
                "const": serde_json::to_value(variant).unwrap_or_default(),
                "description": meaning(variant),
            })
        })
        .collect();
    json_schema!({ "description": description, "oneOf": one_of })
}

/// The same schema, or `null`.
fn or_null(schema: Schema) -> Schema {
    json_schema!({ "anyOf": [schema, { "type": "null" }] })
}

fn outcome_schema(_: &mut SchemaGenerator) -> Schema {
    closed(
        "The outcome of a rule on the project.",
        &Outcome::ALL,
        |outcome| match outcome {
            Outcome::Pass => "the requirement holds",
            Outcome::Fail => "the requirement does not hold",
            Outcome::NotApplicable => {
                "the rule does not apply to the project (or an exception in the clause does)"
            }
            Outcome::InsufficientEvidence => {
                "the file does not state what would decide the rule (see `missing`)"
            }
            Outcome::Waived => {
                "a failure or missing evidence covered by an approved waiver (see `waiver`)"
            }
        },
    )
}

fn strength_schema(_: &mut SchemaGenerator) -> Schema {
    or_null(closed(
        "The rule's strength, from the wording of the clause.",
        &Strength::ALL,
        |strength| match strength {
            Strength::Shall => "必须、应 (shall): a failure is an error",
            Strength::Should => "宜、优先 (should): a failure is a warning",
            Strength::May => "鼓励、可 (may): a failure is advice",
        },
    ))
}

fn domain_schema(_: &mut SchemaGenerator) -> Schema {
    or_null(closed(
        "The domain of the child-friendly-city plans the rule belongs to.",
        &Domain::ALL,
        |domain| match domain {
            Domain::Policy => "社会政策 (social policy)",
            Domain::Service => "公共服务 (public services)",
            Domain::Rights => "权利保障 (rights protection)",
            Domain::Space => "成长空间 (space to grow up in)",
            Domain::Environment => "发展环境 (environment for development)",
            Domain::Industry => "儿童产业 (children's industries)",
        },
    ))
}

fn lang_schema(_: &mut SchemaGenerator) -> Schema {
    closed(
        "The language of the report's words.",
        <Lang as clap::ValueEnum>::value_variants(),
        |lang| match lang {
            Lang::Zh => "中文 (Chinese)",
            Lang::En => "English",
        },
    )
}

fn force_schema(generator: &mut SchemaGenerator) -> Schema {
    // Built from a value, so that a field `Force` gains shows up as a difference here.
    let fields = serde_json::to_value(crate::rules::ir::Force::default()).unwrap_or_default();
    let mut schema = json_schema!({
        "type": "object",
        "description": "A source's standing in law: issued or a draft, and the period it is in force.",
        "additionalProperties": false,
        "required": fields.as_object().map(|fields| fields.keys().cloned().collect::<Vec<_>>()).unwrap_or_default(),
        "properties": {
            "draft": {
                "type": "boolean",
                "description": "A consultation draft (征求意见稿): its findings are advice unless an office adopts it.",
            },
            "from": or_null(generator.subschema_for::<Date>()),
            "issued_by": or_null(generator.subschema_for::<Date>()),
            "until": or_null(generator.subschema_for::<Date>()),
            "continued_by": { "type": ["string", "null"], "description": "What continues it after its stated period, if anything." },
        },
    });
    if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
        for (key, description) in [
            ("from", "The first day it can apply: its date of issue."),
            (
                "issued_by",
                "When the date of issue is known only to the year or month: the last day of it. Before it, the source advises only (whether it had been issued is not known).",
            ),
            (
                "until",
                "The last day of the period it states for itself, if any.",
            ),
        ] {
            if let Some(property) = properties.get_mut(key).and_then(|p| p.as_object_mut()) {
                property.insert("description".into(), description.into());
            }
        }
    }
    schema
}

/// A yimi check report (`yimi check --format json`), format version 1. Within version 1 a release
/// may add fields (and this schema with them); removing or renaming a field, changing its type or
/// meaning, or adding a value to an enum raises `version` and this schema's `$id`. The schema
/// refuses fields it does not list: validate a report against the schema of the yimi that wrote
/// it (`yimi schema --report`).
#[derive(Serialize, JsonSchema)]
#[schemars(title = "yimi check report, format version 1", deny_unknown_fields)]
struct Report<'a> {
    /// Always `yimi-report`.
    #[schemars(extend("const" = "yimi-report"))]
    format: &'static str,
    /// The report's format version; raised on any incompatible change.
    #[schemars(extend("const" = VERSION))]
    version: u32,
    /// The program that wrote the report.
    tool: Tool,
    /// The language of messages, labels and descriptions in words.
    #[schemars(schema_with = "lang_schema")]
    lang: Lang,
    /// Every rule pack loaded for the run, built-in and local.
    packs: Vec<Pack<'a>>,
    /// One entry per file checked, in the order given.
    files: Vec<File<'a>>,
    /// Totals over all files.
    summary: Totals,
}

/// The program that wrote the report.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Tool {
    /// Always `yimi`.
    #[schemars(extend("const" = "yimi"))]
    name: &'static str,
    /// Its version.
    version: &'static str,
}

/// A rule pack loaded for the run.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Pack<'a> {
    /// The pack's identifier.
    id: &'a str,
    /// The source document its rules cite.
    source: &'a str,
    /// The jurisdiction it binds, as a path such as `CN/CQ/Yuzhong`.
    jurisdiction: String,
    /// The pack's own version, if it states one.
    version: Option<&'a str>,
    /// Whether it is embedded in yimi (else loaded with `--rules`).
    builtin: bool,
    /// Its source's standing in law: a draft or issued, and the period it is in force.
    #[schemars(schema_with = "force_schema")]
    force: &'a crate::rules::ir::Force,
}

/// The date a project is judged at, and where it comes from.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct JudgedAt {
    /// The date (`YYYY-MM-DD`).
    date: Date,
    /// Where it comes from.
    basis: crate::engine::force::DateBasis,
    /// The project's stated decision date, when it is later than the day of the check: a
    /// planned date, not judged at (the law known on the day of the check judges the project).
    #[serde(skip_serializing_if = "Option::is_none")]
    decision_date: Option<Date>,
}

/// A pack's standing on the date the project is judged at, and what its rules do therefore.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct PackStanding<'a> {
    /// The pack's identifier.
    pack: &'a str,
    /// Its source's standing on that date.
    standing: crate::engine::force::Standing,
    /// What its rules do for the project.
    effect: crate::engine::force::Effect,
}

/// Whether a file could be checked.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Status {
    /// Read and checked: it has a verdict.
    Checked,
    /// Not a usable project file (unreadable, not YAML, or against the model): no verdict; see
    /// `diagnostics`.
    Invalid,
}

/// One file checked.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct File<'a> {
    /// The path as given on the command line.
    file: &'a str,
    /// How the findings' fingerprints name the file: its real path relative to the root of the
    /// git repository it is in, else to the folder this report was written to (the working
    /// directory for standard output), with `/` between steps; the upload's or buffer's name in
    /// `yimi serve` and the editor. A baseline compares it with how the fingerprints of a later
    /// run name its files, to warn when none can match.
    fingerprint_path: &'a str,
    /// Whether it could be checked.
    status: Status,
    /// What the file says the project is; `null` when the file could not be read as a project.
    project: Option<Project<'a>>,
    /// The project's jurisdiction (`CN/CQ/Yuzhong`), whose packs and those of the wider
    /// jurisdictions above it apply; `null` for an invalid file.
    jurisdiction: Option<String>,
    /// The screening verdict; `null` for an invalid file.
    verdict: Option<Verdict>,
    /// The verdict in words, in the report's language.
    verdict_label: Option<String>,
    /// What the verdict rests on: how many rules that apply were decided and how many not;
    /// `null` when there is no verdict.
    verdict_basis: Option<crate::engine::Basis>,
    /// Beside the verdict, in words: how many rules were left undecided for lack of evidence,
    /// or that no rule that applies was decided (so the verdict rests on no checked fact);
    /// `null` when every rule that applies was decided and at least one was.
    verdict_note: Option<String>,
    /// The packs that applied to the file, binding or advisory (by `id`).
    packs: Vec<&'a str>,
    /// The date the project is judged at; `null` when none was set.
    judged_at: Option<JudgedAt>,
    /// Each applying pack's standing on that date.
    standings: Vec<PackStanding<'a>>,
    /// Counts of the file's findings and results.
    counts: Counts,
    /// What needs attention: failures, missing evidence, waived results, advisories and
    /// problems with the file itself.
    findings: Vec<Finding<'a>>,
    /// Every rule of the packs that applied, in pack order, with its result (passes and rules
    /// that do not apply included), as the compliance record lists them.
    #[schemars(with = "Vec<RuleOutcome<'a>>")]
    results: Vec<Listed<'a>>,
    /// Problems reading the file (errors make it invalid; warnings and advice do not).
    diagnostics: Vec<Problem>,
}

/// What the file says the project is.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Project<'a> {
    /// `project.id`, if stated.
    id: Option<&'a str>,
    /// `project.name`, if stated.
    name: Option<&'a str>,
    /// `project.kind`, if stated (see the project schema).
    kind: Option<&'static str>,
}

/// What a finding is about.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum FindingKind {
    /// A rule's result on the project.
    Rule,
    /// A problem in the file's own statements, such as a waiver that names no rule or has
    /// expired; `rule_id` holds its code (such as `waiver::expired`).
    File,
}

/// Something in a file that needs attention.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Finding<'a> {
    /// The rule's identifier, or the code of a `file` finding.
    rule_id: &'a str,
    /// Whether it is a rule's result or about the file.
    kind: FindingKind,
    /// The rule's title.
    title: &'a str,
    /// The result.
    #[schemars(schema_with = "outcome_schema")]
    outcome: Outcome,
    /// How serious it is (the rule's strength × the outcome); `null` for a waived result.
    severity: Option<Level>,
    /// What was found.
    message: &'a str,
    /// What to do about it.
    hint: Option<&'a str>,
    /// The rule's domain; `null` for a file finding.
    #[schemars(schema_with = "domain_schema")]
    domain: Option<Domain>,
    /// The rule's strength; `null` for a file finding.
    #[schemars(schema_with = "strength_schema")]
    strength: Option<Strength>,
    /// The file's path.
    file: &'a str,
    /// Where in the file (1-based); `null` when nothing in the file can be pointed at.
    line: Option<usize>,
    /// The column (1-based, in characters).
    column: Option<usize>,
    /// Where the place ends.
    end_line: Option<usize>,
    /// The column it ends at.
    end_column: Option<usize>,
    /// The YAML path of the place, such as `facilities.playgrounds[0].area_m2`.
    #[schemars(with = "Option<String>")]
    path: Option<PathText<'a>>,
    /// The clause the rule checks.
    citation: Option<Citation<'a>>,
    /// The keys the file would have to state to decide the rule (for missing evidence), at most
    /// twenty.
    missing: Vec<Missing<'a>>,
    /// How many more keys are missing beyond those listed in `missing` (counted, not listed);
    /// absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    #[schemars(range(min = 1))]
    missing_more: usize,
    /// The waiver that covers the result, if any.
    waiver: Option<Waiver<'a>>,
    /// A stable identifier of the finding, for baselines: the same finding in an edited file
    /// keeps it.
    fingerprint: &'a str,
    /// With `--baseline`: whether the finding is new or already in the baseline; absent
    /// without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<super::BaselineState>,
    /// Why the finding is advice only (its pack is a draft or past its period), in words;
    /// absent when it binds.
    #[serde(skip_serializing_if = "Option::is_none")]
    advisory: Option<String>,
    /// The parameters it was decided with that a more local pack refined; absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    refined: Vec<Refined<'a>>,
}

/// A parameter a result was decided with whose value a more local pack refined (a city's
/// stricter figure in place of the national one, say).
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Refined<'a> {
    /// The parameter's name in the rules.
    param: String,
    /// What a person calls it, in the report's language.
    label: String,
    /// The refining pack.
    pack: String,
    /// Its citation for the value.
    citation: OwnedCitation,
    /// The value in effect, with its unit.
    value: String,
    /// The wider value it replaced, with its unit.
    replaced: String,
    /// The pack that gave the replaced value.
    replaced_pack: String,
    /// How the refining pack arrived at the value, if it says.
    basis: Option<String>,
    /// Whether it decides which projects the clause covers (else only what it requires).
    covers: bool,
    /// The comparisons of this project that read it.
    compared: Vec<Compared<'a>>,
    /// The whole in one sentence, as the other formats print it.
    text: String,
}

/// A clause cited.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct OwnedCitation {
    /// The source document.
    source: String,
    /// The clause in it.
    clause: String,
    /// The clause's words.
    quote: String,
}

fn refined<'a>(
    refined: &'a crate::engine::record::Refined,
    lang: Lang,
    project: Option<&crate::project::Project>,
) -> Refined<'a> {
    Refined {
        param: refined.param.clone(),
        label: refined.label.get(lang).to_owned(),
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
                compared(
                    comparison,
                    line,
                    thing.map(|thing| Cow::Owned(thing.get(lang).to_owned())),
                    belongs.map(|belongs| Cow::Owned(belongs.get(lang).to_owned())),
                    lang,
                )
            })
            .collect(),
        text: super::record::refined_text(refined, lang),
    }
}

fn compared<'a>(
    comparison: &'a crate::engine::record::Comparison,
    line: Option<usize>,
    place: Option<Cow<'a, str>>,
    belongs: Option<Cow<'a, str>>,
    lang: Lang,
) -> Compared<'a> {
    Compared {
        subject: comparison.subject.get(lang),
        required: comparison.required.get(lang),
        alternative: (comparison.alternative != 0).then_some(comparison.alternative),
        basis: comparison.basis.as_ref().map(|basis| basis.get(lang)),
        stated: comparison.stated.get(lang),
        unit: comparison.unit.as_ref().map(|unit| unit.get(lang)),
        path: comparison.path.as_ref().map(PathText),
        line,
        place,
        belongs,
        holds: match comparison.holds {
            crate::engine::eval::Tri::True => Some(true),
            crate::engine::eval::Tri::False => Some(false),
            crate::engine::eval::Tri::Unknown => None,
        },
    }
}

/// A clause cited.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Citation<'a> {
    /// The source document.
    source: &'a str,
    /// The clause in it.
    clause: &'a str,
    /// The clause's words.
    quote: &'a str,
}

/// A key the file does not state that would decide the rule.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Missing<'a> {
    /// Its YAML path.
    #[schemars(with = "String")]
    path: PathText<'a>,
    /// The line of the key or, when absent, of the nearest enclosing key the file states.
    line: usize,
    /// The column there.
    column: usize,
    /// What to state, in words, when more than the key's name is needed.
    detail: Option<&'a str>,
}

/// An approved waiver (`waivers:` in the project file, or a waivers file's) that covers a result.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Waiver<'a> {
    /// The outcome it covers (`fail` or `insufficient_evidence`).
    #[schemars(schema_with = "outcome_schema")]
    covered: Outcome,
    /// The waivers file it is written in, as given to `--waivers`; `null` for a waiver in the
    /// project file (the finding's second place).
    file: Option<&'a str>,
    /// The line of its entry in that waivers file; `null` for a waiver in the project file.
    line: Option<usize>,
    /// Why it was granted.
    reason: &'a str,
    /// Who approved it.
    approved_by: Option<&'a str>,
    /// The last day it holds.
    expires: Option<Date>,
}

/// A rule of a pack that applied to the file and its result, as the compliance record lists it.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RuleOutcome<'a> {
    /// The rule's identifier.
    rule_id: &'a str,
    /// The result.
    #[schemars(schema_with = "outcome_schema")]
    outcome: Outcome,
    /// The source document of the clause it checks.
    source: &'a str,
    /// The clause.
    clause: &'a str,
    /// `true` when the result is advice only (its pack is a draft or past its period); absent
    /// when it binds.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(extend("const" = true))]
    advisory: bool,
    /// The result in the compliance record's words (符合, 不符合, 证据不足, 已豁免, 不适用,
    /// 无可检查的对象 / complies, does not comply, insufficient evidence, waived, not applicable,
    /// nothing to check), marked 「(仅供参考)」/ ` (advisory)` when `advisory` is set and the
    /// rule applies (不符合(仅供参考)); `outcome` and `advisory` say the same as data.
    #[schemars(with = "String")]
    result: ResultWord<'a>,
    /// The values that decided it; for a rule that does not apply, the condition that excluded
    /// the project.
    #[schemars(with = "Vec<Compared<'a>>")]
    compared: &'a Shared<'a>,
    /// For a pass that held only because there was nothing to check (an empty list, a
    /// requirement scaled by a stated 0): where, and why; such a pass is not counted as decided
    /// (`verdict_basis.vacuous`). Absent for every other result.
    #[serde(skip_serializing_if = "Option::is_none")]
    nothing_to_check: Option<NothingToCheck>,
    /// The parameters it was decided with that a more local pack refined; absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    refined: Vec<Refined<'a>>,
    /// What the fields before `compared` depend on (see [`head_key`]), for the printer.
    #[serde(skip)]
    #[schemars(skip)]
    head: pretty::RowKey,
}

/// A result's `result`, in words ([`super::record::result_word_in`]): worked out when printed,
/// which for a result whose head the printer copies ([`Listed`]) is never (a rule that only
/// advises had its marked words made and dropped for each file).
struct ResultWord<'a>(&'a crate::engine::RuleResult, Lang);

impl Serialize for ResultWord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::record::result_word_in(self.0, self.1))
    }
}

/// A result as the report lists it: printed as a [`pretty::ROW`], whose fields before `compared`
/// the entry's printer prints once a run for each rule, outcome and language and copies after.
struct Listed<'a>(RuleOutcome<'a>);

impl Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(pretty::ROW, &self.0)
    }
}

/// What a result's fields before `compared` are made of: the rule (`rule_id`, `source`,
/// `clause`: by its address, which stays put while the run's rule set lives), and the outcome,
/// the advisory mark, whether a pass had nothing to check, and the language (`outcome`,
/// `advisory`, `result`).
fn head_key(
    rule: &crate::rules::ir::Rule,
    result: &crate::engine::RuleResult,
    lang: Lang,
) -> pretty::RowKey {
    let rest = result.outcome as usize
        | usize::from(result.advisory) << 4
        | usize::from(result.vacuous.is_some()) << 5
        | usize::from(lang == Lang::En) << 6;
    (std::ptr::from_ref(rule) as usize, rest)
}

/// The compared values of results, printed as [`Compared`]s: one for each list of the file's
/// record (the many rules that do not apply for one reason share theirs), printed once by the
/// report's printer ([`pretty::SHARED`]) and copied for each result after the first.
struct Shared<'a> {
    list: SharedList<'a>,
}

struct SharedList<'a> {
    compared: &'a std::rc::Rc<[super::record::Compared]>,
    lang: Lang,
}

impl Serialize for Shared<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The list's own address names it: the same for each result that shares it.
        serializer.serialize_newtype_struct(pretty::SHARED, &self.list)
    }
}

impl Serialize for SharedList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.compared.iter().map(|compared| {
            self::compared(
                &compared.comparison,
                compared.line,
                compared
                    .thing
                    .as_ref()
                    .map(|thing| Cow::Borrowed(thing.get(self.lang))),
                compared
                    .belongs
                    .as_ref()
                    .map(|belongs| Cow::Borrowed(belongs.get(self.lang))),
                self.lang,
            )
        }))
    }
}

/// The lists of compared values of a file's record, each once, and which each row has.
struct Lists<'a> {
    lists: Vec<Shared<'a>>,
    of_row: Vec<usize>,
}

impl<'a> Lists<'a> {
    fn of(rows: &'a [super::record::Row<'a>], lang: Lang) -> Self {
        let mut lists: Vec<Shared<'a>> = Vec::new();
        // Each list's index, by the list's address.
        let mut known: crate::engine::record::WordMap<usize, usize> = Default::default();
        let of_row = rows
            .iter()
            .map(|row| {
                let address = std::rc::Rc::as_ptr(&row.compared).cast::<()>() as usize;
                *known.entry(address).or_insert_with(|| {
                    lists.push(Shared {
                        list: SharedList {
                            compared: &row.compared,
                            lang,
                        },
                    });
                    lists.len() - 1
                })
            })
            .collect();
        Lists { lists, of_row }
    }

    /// Each list by its address as printed ([`SharedList`]), in the order printed (the order
    /// of the rows that first have it), with its number in the run's `numbered`, if it has one.
    fn numbered(&self, numbered: &mut RunLists) -> Vec<(usize, Option<pretty::ListNumber>)> {
        self.lists
            .iter()
            .map(|shared| {
                let address = std::ptr::from_ref(&shared.list).cast::<()>() as usize;
                (
                    address,
                    numbered.number(shared.list.compared, shared.list.lang),
                )
            })
            .collect()
    }
}

/// The lists of compared values the files of a run printed on a thread, each numbered by what
/// it prints from: its comparisons (the very ones: the files of a run share a shared
/// condition's comparisons, [`crate::engine::record::Reasons::compared`]), and each one's line,
/// named thing and place in words, and the language. Two lists with one number print the same,
/// so a list printed for one file is copied for the next ([`pretty::Heads`]). Each list numbered
/// is kept (and its comparisons with it) while the run lasts on the thread, so no other
/// comparison can take the address of one compared; at most [`RunLists::MOST`] a run.
///
/// A list is numbered the second time it is met: a list of comparisons made for one file only
/// (not a shared condition's) is never met again, and numbering those kept their lists and texts
/// alive for nothing (the 10 000-file JSON run peaked at 56 MB instead of 39 MB) and filled the
/// numbers before the run's shared lists came. Lists met once are remembered by their hash
/// alone, which no list is kept for: two lists of one hash only number the second sooner.
#[derive(Default)]
struct RunLists {
    numbers: crate::engine::record::WordMap<ListKey, pretty::ListNumber>,
    /// The bytes of the words of the comparisons the numbered lists keep alive, at most
    /// [`RunLists::MOST_BYTES`].
    kept_bytes: usize,
    /// The hashes of lists met once and not numbered, at most [`RunLists::MOST_SEEN`].
    seen: std::collections::HashSet<u64, std::hash::BuildHasherDefault<SeenHash>>,
}

/// A hasher of what is already a hash ([`RunLists::seen`]).
#[derive(Default)]
struct SeenHash(u64);

impl std::hash::Hasher for SeenHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = word;
    }
}

impl RunLists {
    /// The most lists numbered a run: past it, a list new to the run has no number and is
    /// printed for each file. Each keeps its comparisons alive: with 4 096 the 10 000-file JSON
    /// run peaked at 51 MB instead of 39 MB.
    const MOST: usize = 1024;

    /// The most lists remembered as met once: past it, they are forgotten and met anew.
    const MOST_SEEN: usize = 4096;

    /// The most bytes of words the numbered lists keep alive (their comparisons' texts): a user
    /// pack's condition `in` a list of 3 000 names words every name in each comparison, and a
    /// freed comparison's address taken by the next file's made its list look met before, so
    /// that 1 024 such lists of 80 KB each were kept (hostile review 20 Z1, after the fix of
    /// the worded conditions: 120 MB for 1 000 files). The built-in packs' lists are a few
    /// hundred bytes each.
    const MOST_BYTES: usize = 4 << 20;

    /// Forgets every list, and makes room for as many as a run numbers (grown from empty, the
    /// map was rehashed eleven times over the generator's first 1 000 files; 2 048 slots of 32
    /// bytes, only the control bytes written until used).
    fn clear(&mut self) {
        self.numbers.clear();
        self.numbers.reserve(Self::MOST);
        self.seen.clear();
        self.kept_bytes = 0;
    }

    /// The number of the list `compared` in `lang`: the one of an equal list numbered before,
    /// or a new one for a list met before while there is room.
    fn number(
        &mut self,
        compared: &std::rc::Rc<[super::record::Compared]>,
        lang: Lang,
    ) -> Option<pretty::ListNumber> {
        use std::hash::BuildHasher as _;
        let next = self.numbers.len();
        let key = ListKey {
            compared: std::rc::Rc::clone(compared),
            lang,
        };
        let hash = self.numbers.hasher().hash_one(&key);
        match self.numbers.entry(key) {
            std::collections::hash_map::Entry::Occupied(known) => Some(*known.get()),
            std::collections::hash_map::Entry::Vacant(new) => {
                if self.seen.len() >= Self::MOST_SEEN {
                    self.seen.clear();
                }
                // Met for the first time: remembered, not numbered.
                if self.seen.insert(hash) {
                    return None;
                }
                let number = pretty::ListNumber::try_from(next)
                    .ok()
                    .filter(|_| next < Self::MOST)?;
                let kept_bytes = self.kept_bytes.saturating_add(words_of(compared));
                if kept_bytes > Self::MOST_BYTES {
                    return None;
                }
                self.kept_bytes = kept_bytes;
                self.seen.remove(&hash);
                new.insert(number);
                Some(number)
            }
        }
    }
}

/// The bytes of the words of a list's comparisons (both languages): what keeping the list keeps
/// alive, about.
fn words_of(compared: &[super::record::Compared]) -> usize {
    let text = |words: &crate::base::i18n::Text| words.zh.len() + words.en.len();
    let some = |words: &Option<crate::base::i18n::Text>| words.as_ref().map_or(0, text);
    compared
        .iter()
        .map(|compared| {
            let comparison = &compared.comparison;
            text(&comparison.subject)
                + text(&comparison.required)
                + text(&comparison.stated)
                + some(&comparison.basis)
                + some(&comparison.unit)
                + some(&comparison.excludes)
                + some(&compared.thing)
                + some(&compared.belongs)
        })
        .fold(0, usize::saturating_add)
}

/// What a list of compared values prints from ([`RunLists`]): its comparisons by identity (an
/// `Rc` kept in the key, so that the address stays theirs), each one's line, thing and place in
/// words, and the language. Hashed by words ([`crate::engine::record::Words`]): the
/// comparisons' addresses (which no input chooses), the lines, and the lengths of the words,
/// not their bytes: lists alike in all of these but the words are told apart by `eq`, at most
/// [`RunLists::MOST`] of them.
struct ListKey {
    compared: std::rc::Rc<[super::record::Compared]>,
    lang: Lang,
}

impl std::hash::Hash for ListKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.compared.len());
        state.write_u8(u8::from(self.lang == Lang::En));
        let length = |text: &Option<crate::base::i18n::Text>| {
            text.as_ref()
                .map_or(0, |text| 1 + text.zh.len() + text.en.len())
        };
        for compared in self.compared.iter() {
            state.write_usize(std::rc::Rc::as_ptr(&compared.comparison) as usize);
            state.write_usize(compared.line.map_or(0, |line| line.wrapping_add(1)));
            state.write_usize(length(&compared.thing));
            state.write_usize(length(&compared.belongs));
        }
    }
}

impl PartialEq for ListKey {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.compared.len() == other.compared.len()
            && self
                .compared
                .iter()
                .zip(other.compared.iter())
                .all(|(one, other)| {
                    std::rc::Rc::ptr_eq(&one.comparison, &other.comparison)
                        && one.line == other.line
                        && one.thing == other.thing
                        && one.belongs == other.belongs
                })
    }
}

impl Eq for ListKey {}

/// Where a rule held with nothing to check, and why.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct NothingToCheck {
    /// The YAML path of the empty list or of the value that is 0.
    path: String,
    /// Its line.
    line: usize,
    /// Its column.
    column: usize,
    /// What was not there, in words.
    note: String,
}

/// A value a rule compared: what it requires and what the file states.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Compared<'a> {
    /// What is compared, in words.
    subject: &'a str,
    /// What the rule requires, in words (`≥ 54 个`, `住宅`, `是`), or, when it requires only
    /// that the subject be stated, the whole requirement (`须有在案的证明材料`, `must state
    /// …`).
    required: &'a str,
    /// Another way to meet the rule this comparison is part of, numbered from 1 in the order
    /// recorded; the comparisons of one way are required together (`a or (b and c)`: `a` has
    /// none, `b` and `c` have 1). Absent for a requirement and for the first way.
    #[serde(skip_serializing_if = "Option::is_none")]
    alternative: Option<usize>,
    /// How the required value was computed, when it was (`⌈4.5 个托位/千人 × 常住人口 12000
    /// 人⌉`).
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<&'a str>,
    /// What the file states (`40 个`), or words saying it states nothing (未提供 / not stated).
    stated: &'a str,
    /// The unit of the stated value, when it is a quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    /// The YAML path of the value compared, if it is one key.
    #[schemars(with = "Option<String>")]
    path: Option<PathText<'a>>,
    /// The line of the value, or of where it would go.
    line: Option<usize>,
    /// The named thing (a playground, a school) that holds the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<Cow<'a, str>>,
    /// Where an unstated value belongs, in words, when no named thing holds it (such as "the
    /// school's gates"); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    belongs: Option<Cow<'a, str>>,
    /// Whether the comparison holds; `null` when it cannot be decided.
    holds: Option<bool>,
}

/// A YAML path, printed as its text: through `collect_str`, which the entry's printer writes
/// in a buffer it keeps (a `String` made and dropped for each value compared cost as much as
/// printing it).
struct PathText<'a>(&'a crate::project::yaml::YamlPath);

impl Serialize for PathText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// A problem reading a file.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Problem {
    /// How serious it is.
    severity: Severity,
    /// A stable code naming the kind of problem, such as `project::enum`.
    code: &'static str,
    /// What is wrong.
    message: String,
    /// The file's path.
    file: String,
    /// The line (1-based).
    line: usize,
    /// The column (1-based, in characters).
    column: usize,
    /// What to do about it.
    help: Option<String>,
}

fn problem(diagnostic: &Diagnostic, lang: Lang, medium: Medium) -> Problem {
    let (line, column) = diagnostic.line_col();
    Problem {
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message.get(lang).to_owned(),
        file: diagnostic.file.name.clone(),
        line,
        column,
        help: diagnostic
            .help_in(medium)
            .map(|help| help.get(lang).to_owned()),
    }
}

fn file<'a>(
    view: &'a FileView<'a>,
    rows: &'a [super::record::Row<'a>],
    lists: &'a Lists<'a>,
    set: &'a RuleSet,
    lang: Lang,
) -> File<'a> {
    let findings = view
        .findings
        .iter()
        .map(|finding| {
            let place = finding.places.first();
            Finding {
                rule_id: &finding.code,
                kind: if finding.rule.is_some() {
                    FindingKind::Rule
                } else {
                    FindingKind::File
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
                path: place.map(|p| PathText(&p.path)),
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
                        path: PathText(&missing.place.path),
                        line: missing.place.line,
                        column: missing.place.column,
                        detail: missing.detail.as_ref().map(|detail| detail.get(lang)),
                    })
                    .collect(),
                missing_more: finding.listed_missing().1,
                waiver: finding.waiver.map(|waiver| Waiver {
                    covered: waiver.covered,
                    file: waiver.written_in().map(|(name, _)| name),
                    line: waiver.written_in().map(|(_, line)| line),
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
    let results = rows
        .iter()
        .zip(&lists.of_row)
        .filter_map(|(row, &list)| {
            Some(Listed(RuleOutcome {
                rule_id: &row.rule.id,
                outcome: row.result.outcome,
                source: &row.rule.cite.source,
                clause: &row.rule.cite.clause,
                advisory: row.result.advisory,
                result: ResultWord(row.result, lang),
                nothing_to_check: view
                    .nothing_to_check
                    .iter()
                    .find(|item| std::ptr::eq(item.rule, row.rule))
                    .map(|item| NothingToCheck {
                        path: item.place.path.to_string(),
                        line: item.place.line,
                        column: item.place.column,
                        note: item.note.get(lang).to_owned(),
                    }),
                compared: lists.lists.get(list)?,
                refined: row
                    .refined
                    .iter()
                    .map(|found| refined(found, lang, view.project))
                    .collect(),
                head: head_key(row.rule, row.result, lang),
            }))
        })
        .collect();
    File {
        file: view.path,
        fingerprint_path: &view.key,
        status: if view.invalid() {
            Status::Invalid
        } else {
            Status::Checked
        },
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
        verdict_basis: view.verdict().map(|_| view.basis()),
        verdict_note: view
            .verdict()
            .and_then(|_| view.basis().note())
            .map(|note| note.get(lang).to_owned()),
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
        judged_at: view.assessment.and_then(|assessment| {
            assessment.judged_at.map(|at| JudgedAt {
                date: at.date,
                basis: at.basis,
                decision_date: assessment.later_decision_date,
            })
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
            .map(|diagnostic| problem(diagnostic, lang, view.medium))
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
    let run = crate::engine::record::next_run();
    let rows: Vec<Vec<super::record::Row<'_>>> = views
        .iter()
        .map(|view| super::record::rows_in_run(view, std::ptr::eq(view.set, set).then_some(run)))
        .collect();
    let lists: Vec<Lists<'_>> = rows
        .iter()
        .map(|rows| Lists::of(rows, style.lang))
        .collect();
    let report = Report {
        files: views
            .iter()
            .zip(&rows)
            .zip(&lists)
            .map(|((view, rows), lists)| file(view, rows, lists, set, style.lang))
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
    /// The run its files' records are made in ([`crate::engine::record::next_run`]).
    run: u64,
}

impl<'a> Streamed<'a> {
    /// A report of `set`'s packs in `style`.
    pub fn new(set: &'a RuleSet, style: &'a Style) -> Self {
        Streamed {
            set,
            style,
            files: 0,
            run: crate::engine::record::next_run(),
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
        self.separator(out)?;
        self.entries().entry(view, out)
    }

    /// What writes the files' entries, on any thread.
    pub fn entries(&self) -> Entries<'a> {
        Entries {
            set: self.set,
            lang: self.style.lang,
            run: self.run,
        }
    }

    /// Writes what comes before the next file's entry: the files array's opening or a comma,
    /// each ending its line.
    pub fn separator(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.files == 0 { b"[\n" } else { b",\n" })?;
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

/// Writes files' entries of a [`Streamed`] report, each on its own: what comes between them is
/// the report's ([`Streamed::separator`]). An entry is written guarded against CI log commands
/// (what [`super::escape::ci_commands`] would make of it), so it needs no
/// [`super::escape::Guarded`].
#[derive(Clone, Copy)]
pub struct Entries<'a> {
    set: &'a RuleSet,
    lang: Lang,
    run: u64,
}

impl Entries<'_> {
    /// Writes a file's entry, from the start of its line.
    pub fn entry(&self, view: &FileView<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(&self.printed(view, Vec::new())?)
    }

    /// A file's entry, from the start of its line, printed into `buffer` (emptied first: a
    /// buffer a part written before was in, [`super::Spare`]).
    pub fn printed(&self, view: &FileView<'_>, buffer: Vec<u8>) -> std::io::Result<Vec<u8>> {
        // Serialized already indented as an element of the top-level files array (two levels
        // deep), to be written in one piece (one call per line cost more than the rest).
        // Re-indenting a printed entry cost as much again.
        let mut indented = buffer;
        indented.clear();
        indented.reserve(1 << 16);
        indented.extend_from_slice(b"    ");
        // The run's conditions are its rule set's: a view of another set (none is) makes its
        // own.
        let run = std::ptr::eq(view.set, self.set).then_some(self.run);
        let rows = super::record::rows_in_run(view, run);
        let lists = Lists::of(&rows, self.lang);
        let entry = file(view, &rows, &lists, self.set, self.lang);
        let Some(run) = run else {
            entry.serialize(&mut pretty::Pretty::at(&mut indented, FILE_DEPTH))?;
            return Ok(indented);
        };
        // Each result's fields before `compared` are the run's (its rule set's rules, which
        // live and stay put while it lasts): printed once a run on each thread.
        let keys: Vec<(usize, pretty::RowKey)> = entry
            .results
            .iter()
            .map(|listed| {
                (
                    std::ptr::from_ref(&listed.0).cast::<()>() as usize,
                    listed.0.head,
                )
            })
            .collect();
        HEADS.with(|heads| match heads.try_borrow_mut() {
            Ok(mut heads) => {
                let (of_run, heads, numbered) = &mut *heads;
                if *of_run != run {
                    heads.clear();
                    numbered.clear();
                    *of_run = run;
                }
                // The file's lists of compared values, each numbered in the run: one printed
                // for a file before is copied.
                let numbers = lists.numbered(numbered);
                entry.serialize(&mut pretty::Pretty::with_heads(
                    &mut indented,
                    FILE_DEPTH,
                    heads,
                    &keys,
                    &numbers,
                ))
            }
            Err(_) => entry.serialize(&mut pretty::Pretty::at(&mut indented, FILE_DEPTH)),
        })?;
        Ok(indented)
    }
}

thread_local! {
    /// The heads of results printed in the run this thread last printed entries for, with the
    /// run's number ([`crate::engine::record::next_run`]): at most one for each rule of its rule
    /// set, outcome, mark and language.
    /// The lists of compared values printed in the run, numbered ([`RunLists`]), whose texts
    /// the heads keep.
    static HEADS: std::cell::RefCell<(u64, pretty::Heads, RunLists)> = Default::default();
}

/// How deep a file's entry is in the report: in the files array of the report's object.
const FILE_DEPTH: usize = 2;

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::pretty::Pretty;
    use crate::report::escape::{OutputKind, ci_commands};

    /// `value` printed as an entry is: each string guarded as it is written.
    fn guarded<T: Serialize>(value: &T) -> String {
        let mut bytes = Vec::new();
        value
            .serialize(&mut Pretty::at(&mut bytes, 0))
            .expect("serializes");
        String::from_utf8(bytes).expect("UTF-8")
    }

    /// What the guard of the whole printed document makes of `value`.
    fn guarded_after<T: Serialize>(value: &T) -> String {
        let printed = serde_json::to_string_pretty(value).expect("serializes");
        ci_commands(OutputKind::Json, &printed).into_owned()
    }

    #[derive(Serialize)]
    struct Sample<'a> {
        text: &'a str,
        list: Vec<&'a str>,
        pairs: std::collections::BTreeMap<&'a str, Vec<&'a str>>,
    }

    fn sample<'a>(texts: &[&'a str]) -> Sample<'a> {
        Sample {
            text: texts.first().copied().unwrap_or_default(),
            list: texts.to_vec(),
            pairs: texts.iter().map(|text| (*text, vec![*text, "x"])).collect(),
        }
    }

    /// An entry's strings are guarded as the guard of the printed document guards them: the CI
    /// commands and hidden characters a submitted file may hold, anywhere in a string.
    #[test]
    fn strings_are_guarded_as_the_printed_document_is() {
        let hostile = [
            "##vso[task.setvariable variable=x]1",
            "a ##[error]b",
            "::error::x",
            "  ::warning file=a::b",
            "x\u{202e}y",
            "\u{7f}del",
            "c1 \u{85} next line",
            "#\u{200b}#vso[",
            "###vso[[##[",
            "##vso##[",
            "—≥…“”",
            "\u{feff}##[",
            "line\n::error::x",
            "tab\t##vso[",
            "\u{1b}[31m::x",
            "普通文本 ## 不是命令",
            "\u{2028}::x",
            "#",
            "##",
            "##v",
            "\u{61c}\u{2066}\u{2069}\u{2060}",
            "quote \" and backslash \\ ##vso[",
        ];
        let value = sample(&hostile);
        let expected = guarded_after(&value);
        assert_eq!(guarded(&value), expected);
        // The sample holds what the guard changes.
        assert_ne!(serde_json::to_string_pretty(&value).ok(), Some(expected));
    }

    /// A file's entry printed in a run, whose results' heads (the fields before `compared`) are
    /// printed once a run for each rule, outcome, mark and language and copied after, is the
    /// entry printed on its own: for every example project one after another (the same rule
    /// passes in one, fails or does not apply in another: a head kept by rule alone would print
    /// the first file's outcome for all), in both languages, and in a second run over another
    /// rule set made after the first was freed (which may take its addresses: the run's
    /// number says whose heads the thread holds).
    #[test]
    fn entries_in_a_run_are_each_files_own() {
        use crate::base::i18n::Lang;
        use crate::engine::checked::{CheckOptions, check_file};

        let paths = crate::report::record::example_paths();
        let mut outcomes: std::collections::HashMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        for round in 0..2 {
            let set = crate::rules::compiled::builtin_set().expect("the built-in rules decode");
            let checked: Vec<_> = paths
                .iter()
                .map(|path| check_file(path, &set, &CheckOptions::default()))
                .collect();
            let views = crate::report::views(
                &checked,
                &set,
                None,
                crate::base::diagnostic::Medium::CommandLine,
                &crate::report::baseline::Naming::default(),
            );
            for lang in [Lang::Zh, Lang::En] {
                let entries = super::Entries {
                    set: &set,
                    lang,
                    run: crate::engine::record::next_run(),
                };
                // Three times over: the second time every head is the run's already, and the
                // third every list of compared values met again is too.
                for view in views.iter().chain(&views).chain(&views) {
                    let rows = crate::report::record::rows(view);
                    let lists = super::Lists::of(&rows, lang);
                    let mut own = b"    ".to_vec();
                    super::file(view, &rows, &lists, &set, lang)
                        .serialize(&mut Pretty::at(&mut own, super::FILE_DEPTH))
                        .expect("prints");
                    let in_run = entries.printed(view, Vec::new()).expect("prints");
                    assert_eq!(
                        String::from_utf8_lossy(&in_run),
                        String::from_utf8_lossy(&own),
                        "{} in round {round}, {lang:?}",
                        view.path
                    );
                    for row in &rows {
                        outcomes
                            .entry(row.rule.id.clone())
                            .or_default()
                            .insert(format!("{:?} {}", row.result.outcome, row.result.advisory));
                    }
                }
                let (kept, lists) = super::HEADS.with(|heads| {
                    let heads = heads.borrow();
                    (heads.1.len(), heads.1.lists())
                });
                assert!(kept > 50, "{kept} heads kept");
                // The lists of compared values met more than once are the run's.
                assert!(lists > 20, "{lists} lists of compared values kept");
            }
        }
        let varied = outcomes.values().filter(|seen| seen.len() > 1).count();
        assert!(varied > 20, "{varied} rules with more than one outcome");
    }

    fn comparison(stated: &str) -> std::rc::Rc<crate::engine::record::Comparison> {
        use crate::base::i18n::Text;
        std::rc::Rc::new(crate::engine::record::Comparison {
            subject: Text::new("项目类型", "project kind"),
            required: Text::new("学校", "school"),
            basis: None,
            stated: Text::new(stated, stated),
            unit: None,
            path: Some(
                crate::project::yaml::YamlPath::root()
                    .key("project")
                    .key("kind"),
            ),
            holds: crate::engine::eval::Tri::False,
            excludes: None,
            params: Vec::new(),
            alternative: 0,
            presence: None,
        })
    }

    fn list(
        items: &[(
            &std::rc::Rc<crate::engine::record::Comparison>,
            usize,
            Option<&str>,
        )],
    ) -> std::rc::Rc<[crate::report::record::Compared]> {
        items
            .iter()
            .map(
                |&(comparison, line, thing)| crate::report::record::Compared {
                    comparison: std::rc::Rc::clone(comparison),
                    line: Some(line),
                    thing: thing.map(|thing| crate::base::i18n::Text::new(thing, thing)),
                    belongs: None,
                },
            )
            .collect()
    }

    /// A run numbers two lists alike only when they print alike: the same comparisons (the
    /// very ones, not equal ones made apart), lines, things and language. A key of the
    /// comparisons alone would give a file the list of another whose value is on another line.
    #[test]
    fn lists_of_a_run_share_a_number_only_when_they_print_the_same() {
        use crate::base::i18n::Lang;
        let park = comparison("公园");
        let school = comparison("学校");
        let park_again = comparison("公园");
        let mut numbered = super::RunLists::default();
        // A list met once is not numbered; met again, it is.
        assert_eq!(numbered.number(&list(&[(&park, 2, None)]), Lang::Zh), None);
        assert!(
            numbered
                .number(&list(&[(&park, 2, None)]), Lang::Zh)
                .is_some()
        );
        let mut number = |list: &std::rc::Rc<[crate::report::record::Compared]>, lang| {
            numbered
                .number(list, lang)
                .or_else(|| numbered.number(list, lang))
                .expect("room for the test's lists")
        };
        let first = number(&list(&[(&park, 3, None)]), Lang::Zh);
        // Another file's list of the same comparison, line and thing: the same number.
        assert_eq!(number(&list(&[(&park, 3, None)]), Lang::Zh), first);
        for other in [
            list(&[(&park, 4, None)]),
            list(&[(&park, 3, Some("学校 1"))]),
            list(&[(&school, 3, None)]),
            list(&[(&park_again, 3, None)]),
            list(&[(&park, 3, None), (&school, 5, None)]),
            list(&[(&school, 5, None), (&park, 3, None)]),
        ] {
            let other_number = number(&other, Lang::Zh);
            assert_ne!(other_number, first, "{other:?}");
            assert_eq!(number(&other, Lang::Zh), other_number, "{other:?} again");
        }
        assert_ne!(number(&list(&[(&park, 3, None)]), Lang::En), first);
    }

    /// A run numbers at most `RunLists::MOST` lists; the ones after have no number, and the
    /// ones numbered keep theirs. It remembers at most `RunLists::MOST_SEEN` lists met once.
    #[test]
    fn a_run_numbers_a_bounded_count_of_lists() {
        use crate::base::i18n::Lang;
        let park = comparison("公园");
        let mut numbered = super::RunLists::default();
        let mut twice = |line| {
            let one = list(&[(&park, line, None)]);
            let first = numbered.number(&one, Lang::Zh);
            (first, numbered.number(&one, Lang::Zh))
        };
        let (none, first) = twice(1);
        assert_eq!(none, None);
        for line in 2..=super::RunLists::MOST + 10 {
            let (once, again) = twice(line);
            assert_eq!(once, None, "line {line} met once");
            assert_eq!(
                again.is_some(),
                line <= super::RunLists::MOST,
                "line {line}"
            );
        }
        assert_eq!(twice(1), (first, first));
        assert_eq!(numbered.numbers.len(), super::RunLists::MOST);
        // Hostile review 20 Z1: lists of long comparisons are numbered (and so kept alive) up
        // to a size, not only a count.
        let mut numbered = super::RunLists::default();
        let long = "名称-00000-abcdefghij, ".repeat(3000);
        let mut kept = 0;
        for line in 0..100 {
            let big = list(&[(&comparison(&long), line, None)]);
            let _ = numbered.number(&big, Lang::Zh);
            if numbered.number(&big, Lang::Zh).is_some() {
                kept += 1;
            }
        }
        assert!(kept >= 1, "no long list numbered");
        assert!(kept < 100, "{kept} long lists numbered");
        assert!(numbered.kept_bytes <= super::RunLists::MOST_BYTES);
        for line in 0..super::RunLists::MOST_SEEN * 2 {
            let _ = numbered.number(&list(&[(&park, line + 100_000, None)]), Lang::Zh);
            assert!(numbered.seen.len() <= super::RunLists::MOST_SEEN);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_strings_are_guarded_as_the_printed_document_is(
            texts in proptest::collection::vec("[#vso\\[:a 中\n\"\\\\\u{7f}\u{85}\u{202e}\u{200b}\u{feff}—]{0,12}", 0..6)
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let value = sample(&texts);
            proptest::prop_assert_eq!(guarded(&value), guarded_after(&value));
        }
    }
}
