//! The `sarif` format: SARIF 2.1.0 for code-scanning tools. One run; the driver lists every
//! rule of the packs that applied, with its cited clause as help; each finding is a result with a
//! physical location (file, region in Unicode code points), a logical location (the YAML path) and a
//! fingerprint that survives edits which move lines. Waived findings are results with an
//! in-source suppression; invalid input files are tool execution notifications.

use serde_json::{Value, json};

use super::spill::Spill;
use super::{BaselineState, FileView, FindingView, Place, Style, citation_line};
use crate::base::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::base::i18n::{Lang, Text};
use crate::engine::Level;
use crate::rules::ir::{Rule, RuleSet, Strength};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Error) => "error",
        Some(Level::Warning) => "warning",
        Some(Level::Advice) | None => "note",
    }
}

fn default_level(strength: Strength) -> &'static str {
    match strength {
        Strength::Shall => "error",
        Strength::Should => "warning",
        Strength::May => "note",
    }
}

/// The artifact URI of a path as given: forward slashes, relative paths kept relative.
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes what a URI path segment may not hold (spaces, `%`, `#`, `?`, non-ASCII).
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn rule_descriptor(rule: &Rule, set: &RuleSet, lang: Lang) -> Value {
    let title = rule.title.get(lang);
    let citation = citation_line(&rule.cite, lang);
    let pack = set.packs.get(rule.pack).map_or("", |pack| pack.id.as_str());
    let (domain, strength) = (rule.domain.label(), rule.strength.label());
    let help_text = match lang {
        Lang::Zh => format!(
            "{title}\n依据:{citation}\n强度:{}({}),领域:{},规则包:{pack}",
            strength.zh,
            rule.strength.as_str(),
            domain.zh
        ),
        Lang::En => format!(
            "{title}\nClause: {citation}\nStrength: {}, domain: {}, pack: {pack}",
            rule.strength.as_str(),
            domain.en
        ),
    };
    let help_markdown = match lang {
        Lang::Zh => format!(
            "**{title}**\n\n> {}\n\n— {} §{}(强度 `{}`,领域 {})",
            rule.cite.quote,
            rule.cite.source,
            rule.cite.clause,
            rule.strength.as_str(),
            domain.zh
        ),
        Lang::En => format!(
            "**{title}**\n\n> {}\n\n— {} §{} (strength `{}`, domain {})",
            rule.cite.quote,
            rule.cite.source,
            rule.cite.clause,
            rule.strength.as_str(),
            domain.en
        ),
    };
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.title.en),
        "shortDescription": { "text": title },
        "fullDescription": { "text": format!("{title} — {citation}") },
        "help": { "text": help_text, "markdown": help_markdown },
        "defaultConfiguration": { "level": default_level(rule.strength) },
        "properties": {
            "tags": [rule.domain.as_str(), rule.strength.as_str(), rule.cite.source],
            "source": rule.cite.source,
            "clause": rule.cite.clause,
            "quote": rule.cite.quote,
            "pack": pack,
        }
    })
}

/// `Parks of 3000 m² or more provide a children's play area` →
/// `ParksOf3000OrMoreProvideChildrensPlayArea`: SARIF rule names are Pascal-case identifiers, so
/// apostrophes are dropped and one-letter words (which would put two capitals side by side) left out.
fn pascal_case(text: &str) -> String {
    text.replace(['\'', '’'], "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| word.len() > 1)
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn file_descriptor(code: &str, message: &Text, lang: Lang) -> Value {
    json!({
        "id": code,
        "name": pascal_case(&code.replace("::", " ").replace('-', " ")),
        "shortDescription": { "text": message.get(lang) },
        "fullDescription": { "text": message.get(lang) },
        "help": { "text": message.get(lang) },
        "defaultConfiguration": { "level": "error" },
    })
}

/// The longest region snippet given: a value spanning more (a huge mapping) gets its lines and
/// columns only.
const MAX_SNIPPET_BYTES: usize = 4096;

fn region(place: &Place, file: Option<&SourceFile>) -> Value {
    let mut region = json!({
        "startLine": place.line,
        "startColumn": place.column,
        "endLine": place.end_line,
        "endColumn": place.end_column.max(place.column + usize::from(place.end_line == place.line && place.end_column <= place.column)),
    });
    if let (Some(file), Some(object)) = (file, region.as_object_mut())
        && let Some(text) = file.text.get(place.span.clone())
        && text.len() <= MAX_SNIPPET_BYTES
    {
        object.insert("snippet".into(), json!({ "text": text }));
    }
    region
}

/// The lines around a place, so a viewer can show the value in its mapping; `None` when they
/// are too many or one is too long to quote (a file on one huge line), as human output clips
/// them.
fn context_region(place: &Place, file: &SourceFile) -> Option<Value> {
    let first = place.line.saturating_sub(2).max(1);
    let last = place.end_line + 2;
    if last - first > 2 * super::snippet::MAX_LABEL_LINES {
        return None;
    }
    let mut text: Vec<&str> = Vec::new();
    for line0 in first - 1..last {
        let Some((range, newline)) = file.line_range(line0) else {
            break;
        };
        // After a final newline there is no further line.
        if !newline && range.start == file.text.len() {
            break;
        }
        if range.len() > super::snippet::WHOLE_LINE_BYTES {
            return None;
        }
        let line = file.text.get(range).unwrap_or_default();
        text.push(line.strip_suffix('\r').unwrap_or(line));
    }
    let last = first + text.len().saturating_sub(1);
    Some(
        json!({ "startLine": first, "endLine": last, "snippet": { "text": format!("{}\n", text.join("\n")) } }),
    )
}

fn location(path: &str, place: &Place, file: Option<&SourceFile>, lang: Lang) -> Value {
    let mut physical = json!({
        "artifactLocation": { "uri": uri(path) },
        "region": region(place, file),
    });
    if let (Some(file), Some(object)) = (file, physical.as_object_mut())
        && let Some(context) = context_region(place, file)
    {
        object.insert("contextRegion".into(), context);
    }
    json!({
        "physicalLocation": physical,
        "logicalLocations": [{ "fullyQualifiedName": place.path.to_string(), "kind": "member" }],
        "message": { "text": place.label.get(lang) },
    })
}

/// A rule that held only because there was nothing to check: not a finding (nothing is wrong)
/// and not a pass on a checked fact, so an `informational` result at the empty list or the zero.
fn nothing_to_check(view: &FileView<'_>, item: &super::NothingToCheck<'_>, lang: Lang) -> Value {
    json!({
        "ruleId": item.rule.id,
        "ruleIndex": usize::MAX,
        "kind": "informational",
        "level": "none",
        "message": { "text": item.note.get(lang) },
        "partialFingerprints": {
            "yimiFinding/v2": super::fingerprint_of_key(&view.key, &item.rule.id, "nothing_to_check", &item.place.path.to_string()),
        },
        "properties": { "outcome": "pass", "nothingToCheck": true },
        "locations": [location(view.path, &item.place, view.file.map(AsRef::as_ref), lang)],
    })
}

fn result(
    view: &FileView<'_>,
    finding: &FindingView<'_>,
    rule_index: Option<usize>,
    lang: Lang,
) -> Value {
    // `fail` for an undecided rule too, though SARIF 2.1.0 §3.27.9 has `open` for a result the
    // tool could not decide: any kind but `fail` requires `level: none` (§3.27.10), and GitHub
    // code scanning, whose SARIF subset leaves `kind` out, grades and filters alerts by `level`
    // alone, so an undecided `shall` rule would lose its warning (its error with
    // `--strict-evidence`). `properties.outcome` says `insufficient_evidence`.
    let mut result = json!({
        "ruleId": finding.code,
        "kind": "fail",
        "level": level(finding.level),
        "message": { "text": finding.message.get(lang) },
        "partialFingerprints": { "yimiFinding/v2": finding.fingerprint },
        "properties": {
            "outcome": finding.outcome.as_str(),
            "missing": finding.listed_missing().0.iter().map(|missing| missing.place.path.to_string()).collect::<Vec<_>>(),
        },
    });
    if let Some(object) = result.as_object_mut() {
        let more = finding.listed_missing().1;
        if more > 0
            && let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut)
        {
            properties.insert("missingMore".into(), json!(more));
        }
        if let Some(advisory) = &finding.advisory
            && let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut)
        {
            properties.insert("advisory".into(), json!(advisory.get(lang)));
        }
        if !finding.refined.is_empty()
            && let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut)
        {
            // The refinements the result was decided with: the refining pack, its clause, the
            // value in effect and the one it replaced, and its basis.
            let refined: Vec<Value> = finding
                .refined
                .iter()
                .map(|refined| {
                    json!({
                        "param": refined.param,
                        "label": refined.label.get(lang),
                        "pack": refined.pack,
                        "citation": {
                            "source": refined.cite.source,
                            "clause": refined.cite.clause,
                            "quote": refined.cite.quote,
                        },
                        "value": refined.value.get(lang),
                        "replaced": refined.replaced.get(lang),
                        "replacedPack": refined.replaced_pack,
                        "basis": refined.basis.as_ref().map(|basis| basis.get(lang)),
                        "covers": refined.covers,
                        "text": super::record::refined_text(refined, lang),
                    })
                })
                .collect();
            properties.insert("refined".into(), json!(refined));
        }
        if let Some(index) = rule_index {
            object.insert("ruleIndex".into(), json!(index));
        }
        let mut places = finding.places.iter();
        if let Some(primary) = places.next() {
            object.insert(
                "locations".into(),
                json!([location(
                    view.path,
                    primary,
                    view.file.map(AsRef::as_ref),
                    lang
                )]),
            );
        }
        // The places after the first are the missing keys (and values derived from them), as
        // many as are listed.
        let related: Vec<Value> = places
            .take(super::MAX_LISTED_MISSING)
            .enumerate()
            .map(|(i, place)| {
                let mut related = location(view.path, place, view.file.map(AsRef::as_ref), lang);
                if let Some(related) = related.as_object_mut() {
                    related.insert("id".into(), json!(i + 1));
                }
                related
            })
            .collect();
        if !related.is_empty() {
            object.insert("relatedLocations".into(), json!(related));
        }
        if let Some(waiver) = finding.waiver {
            let justification = match &waiver.approved_by {
                Some(by) => format!("{} ({by})", waiver.reason),
                None => waiver.reason.clone(),
            };
            // A waivers file's waiver is kept outside the file: an external suppression, at
            // its entry.
            let suppression = match waiver.written_in() {
                Some((name, line)) => json!({
                    "kind": "external",
                    "status": "accepted",
                    "justification": justification,
                    "location": { "physicalLocation": {
                        "artifactLocation": { "uri": uri(name) },
                        "region": { "startLine": line },
                    } },
                }),
                None => {
                    json!({ "kind": "inSource", "status": "accepted", "justification": justification })
                }
            };
            object.insert("suppressions".into(), json!([suppression]));
        }
        if let Some(state) = finding.baseline {
            object.insert(
                "baselineState".into(),
                json!(match state {
                    BaselineState::New => "new",
                    BaselineState::Existing => "unchanged",
                }),
            );
        }
        if let Some(hint) = &finding.hint
            && let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut)
        {
            properties.insert("hint".into(), json!(hint.get(lang)));
        }
    }
    result
}

fn notification(diagnostic: &Diagnostic, lang: Lang) -> Value {
    let (line, column) = diagnostic.line_col();
    let mut notification = json!({
        "level": match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "note",
        },
        "message": { "text": diagnostic.message.get(lang) },
        "descriptor": { "id": diagnostic.code },
    });
    if let Some(object) = notification.as_object_mut() {
        let mut physical = json!({ "artifactLocation": { "uri": uri(&diagnostic.file.name) } });
        if !diagnostic.file.text.is_empty()
            && let Some(physical) = physical.as_object_mut()
        {
            physical.insert(
                "region".into(),
                json!({ "startLine": line, "startColumn": column }),
            );
        }
        object.insert(
            "locations".into(),
            json!([{ "physicalLocation": physical }]),
        );
    }
    notification
}

/// Renders the whole report as one SARIF log.
pub fn report(views: &[FileView<'_>], set: &RuleSet, style: &Style) -> String {
    let mut bytes = Vec::new();
    let written = Streamed::new(set, style).and_then(|mut streamed| {
        for view in views {
            streamed.file(view)?;
        }
        streamed.finish(&mut bytes)
    });
    match written {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(error) => format!("{{\"error\": \"{error}\"}}\n"),
    }
}

/// A stand-in for a result's rule index while the rules that ran are not yet all known.
const RULE_INDEX_HOLE: &str = "\"ruleIndex\": 18446744073709551615";

/// Indents every line of `text` by `spaces`: JSON strings hold no raw line breaks, so this
/// gives what pretty-printing the value at that depth gives.
fn indented(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(line);
    }
    out
}

/// One of the log's arrays that grows with the files: its elements spilled to disk as they come.
struct SpilledArray {
    spill: Spill,
    count: usize,
    /// The indentation of its elements.
    spaces: usize,
}

impl SpilledArray {
    fn new(spaces: usize) -> std::io::Result<Self> {
        Ok(SpilledArray {
            spill: Spill::new()?,
            count: 0,
            spaces,
        })
    }

    /// Counts one more element, after a comma if it is not the first.
    fn separator(&mut self) -> std::io::Result<()> {
        if self.count > 0 {
            self.spill.text(b",\n")?;
        }
        self.count += 1;
        Ok(())
    }

    /// Appends an element.
    fn push(&mut self, value: &Value) -> std::io::Result<()> {
        self.separator()?;
        let text = indented(&serde_json::to_string_pretty(value)?, self.spaces);
        self.spill.text(text.as_bytes())
    }

    /// Writes the array as the pretty printer would: `[]`, or its elements a line each.
    fn copy_into(
        self,
        out: &mut dyn std::io::Write,
        fill: &mut dyn FnMut(&str, &mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if self.count == 0 {
            return out.write_all(b"[]");
        }
        out.write_all(b"[\n")?;
        self.spill.copy_into(out, fill)?;
        out.write_all(b"\n")?;
        out.write_all(" ".repeat(self.spaces.saturating_sub(2)).as_bytes())?;
        out.write_all(b"]")
    }
}

/// Writes a SARIF log a file at a time: the results, notifications and verdicts of each file go
/// to temporary files, and the log is put together at the end, once the rules that ran (which
/// come first, and which results refer to by index) are known. The text is what one
/// pretty-printed log of every file gives.
pub struct Streamed<'a> {
    set: &'a RuleSet,
    lang: Lang,
    /// The packs that applied to some file.
    applied: std::collections::BTreeSet<usize>,
    /// Descriptors of findings about a file itself, by code, in the order first met.
    file_codes: Vec<(String, Value)>,
    all_valid: bool,
    results: SpilledArray,
    notifications: SpilledArray,
    verdicts: SpilledArray,
}

impl<'a> Streamed<'a> {
    /// A log of `set`'s rules in `style`.
    pub fn new(set: &'a RuleSet, style: &Style) -> std::io::Result<Self> {
        Ok(Streamed {
            set,
            lang: style.lang,
            applied: std::collections::BTreeSet::new(),
            file_codes: Vec::new(),
            all_valid: true,
            results: SpilledArray::new(8)?,
            notifications: SpilledArray::new(10)?,
            verdicts: SpilledArray::new(10)?,
        })
    }

    /// Takes in one file.
    pub fn file(&mut self, view: &FileView<'_>) -> std::io::Result<()> {
        let lang = self.lang;
        if let Some(assessment) = view.assessment {
            self.applied.extend(assessment.packs.iter().copied());
        }
        for finding in view
            .findings
            .iter()
            .filter(|finding| finding.rule.is_none())
        {
            if !self
                .file_codes
                .iter()
                .any(|(code, _)| *code == finding.code)
            {
                self.file_codes.push((
                    finding.code.clone(),
                    file_descriptor(&finding.code, &finding.title, lang),
                ));
            }
        }
        // Every finding's rule is among those that ran, so its index is known at the end.
        let results = view
            .findings
            .iter()
            .map(|finding| (result(view, finding, Some(usize::MAX), lang), &finding.code))
            .chain(
                view.nothing_to_check
                    .iter()
                    .map(|item| (nothing_to_check(view, item, lang), &item.rule.id)),
            );
        for (result, code) in results {
            self.results.separator()?;
            let text = indented(&serde_json::to_string_pretty(&result)?, self.results.spaces);
            match text.find(RULE_INDEX_HOLE) {
                Some(at) => {
                    let (before, after) = text.split_at(at);
                    self.results.spill.text(before.as_bytes())?;
                    self.results.spill.hole(code)?;
                    let after = after.get(RULE_INDEX_HOLE.len()..).unwrap_or_default();
                    self.results.spill.text(after.as_bytes())?;
                }
                None => self.results.spill.text(text.as_bytes())?,
            }
        }
        for diagnostic in &view.diagnostics {
            self.notifications.push(&notification(diagnostic, lang))?;
        }
        self.all_valid &= !view.invalid();
        self.verdicts.push(&json!({
            "file": view.path,
            "verdict": view.verdict().map(|verdict| verdict.as_str()),
            "judgedAt": view.assessment.map(|assessment| super::judged_at_text(assessment, lang)),
            "packs": view.assessment.map(|assessment| super::pack_standings(assessment, view.set, lang)),
        }))
    }

    /// Takes in notes about the run as a whole (`io::skipped-name`), as tool execution
    /// notifications.
    pub fn notes(&mut self, notes: &[Diagnostic]) -> std::io::Result<()> {
        for note in notes {
            self.notifications.push(&notification(note, self.lang))?;
        }
        Ok(())
    }

    /// Writes the whole log.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let lang = self.lang;
        let rules: Vec<&Rule> = self
            .set
            .rules
            .iter()
            .filter(|rule| self.applied.contains(&rule.pack))
            .collect();
        let mut descriptors: Vec<Value> = rules
            .iter()
            .map(|rule| rule_descriptor(rule, self.set, lang))
            .collect();
        // A result names its rule by the first descriptor with its id.
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (at, id) in rules
            .iter()
            .map(|rule| rule.id.as_str())
            .chain(self.file_codes.iter().map(|(code, _)| code.as_str()))
            .enumerate()
        {
            index.entry(id).or_insert(at);
        }
        descriptors.extend(
            self.file_codes
                .iter()
                .map(|(_, descriptor)| descriptor.clone()),
        );
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "yimi",
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "version": env!("CARGO_PKG_VERSION"),
                        "language": lang.tag(),
                        "rules": descriptors,
                    }
                },
                "invocations": [{
                    "executionSuccessful": self.all_valid,
                    "toolExecutionNotifications": [],
                }],
                "columnKind": "unicodeCodePoints",
                "results": [],
                "properties": {
                    "verdicts": [],
                },
            }]
        });
        let skeleton = serde_json::to_string_pretty(&log)?;
        let mut rest = skeleton.as_str();
        let mut cut = |key: &str| -> std::io::Result<&str> {
            let needle = format!("\"{key}\": []");
            let at = rest
                .find(&needle)
                .ok_or_else(|| std::io::Error::other("the SARIF log lost an array"))?;
            let (before, after) = rest.split_at(at + needle.len() - 2);
            rest = after.get(2..).unwrap_or_default();
            Ok(before)
        };
        let (before_notifications, before_results, before_verdicts) = (
            cut("toolExecutionNotifications")?,
            cut("results")?,
            cut("verdicts")?,
        );
        let after = rest;
        let mut fill = |code: &str, out: &mut dyn std::io::Write| match index.get(code) {
            Some(at) => write!(out, "\"ruleIndex\": {at}"),
            None => Err(std::io::Error::other(
                "a result names a rule that did not run",
            )),
        };
        let mut none = |_: &str, _: &mut dyn std::io::Write| Ok(());
        out.write_all(before_notifications.as_bytes())?;
        self.notifications.copy_into(out, &mut none)?;
        out.write_all(before_results.as_bytes())?;
        self.results.copy_into(out, &mut fill)?;
        out.write_all(before_verdicts.as_bytes())?;
        self.verdicts.copy_into(out, &mut none)?;
        out.write_all(after.as_bytes())?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::{pascal_case, uri};

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(
            pascal_case("Parks of 3000 m² or more provide a children's play area"),
            "ParksOf3000OrMoreProvideChildrensPlayArea"
        );
    }

    #[test]
    fn uris_keep_relative_paths_and_encode_the_rest() {
        assert_eq!(uri("examples/sh park.yaml"), "examples/sh%20park.yaml");
        assert_eq!(uri("项目/a.yaml"), "%E9%A1%B9%E7%9B%AE/a.yaml");
    }
}
