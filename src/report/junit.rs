//! The `junit` format: one test suite per project file, one test case per applicable rule.
//! A case follows the finding's graded severity, as every other format and the exit code do, not
//! the rule's strength alone: a finding at error level (a failed `shall` rule of a binding pack)
//! is a failure; missing evidence for a `shall` rule of a binding pack (the verdict is
//! incomplete) is an error; a waived finding, missing evidence for any other rule, and a rule
//! that held only because there was nothing to check (an empty list, a requirement scaled by a
//! stated 0) are skipped with their message; warnings and advice (a failed `should` or `may`
//! rule, and any finding of a pack that only advises the project: a draft, a plan whose period
//! ended) pass with the finding and its level in `system-out` (they do not block, but stay
//! visible). A CI server that shows failed tests in red so goes red where the verdict is 需修改 or
//! 需补充材料, never on advice.
//! Findings about the file itself (an expired waiver) are cases of their own; a file that is
//! invalid is a suite with one erroring case.

use std::fmt::Write as _;

use super::escape::{xml as escape, xml_attribute as attribute};
use super::spill::Spill;
use super::{FileView, FindingView, Style, citation_line};
use crate::base::i18n::Lang;
use crate::engine::{Level, Outcome};
use crate::rules::ir::{RuleSet, Strength};

#[derive(Default)]
struct Case {
    name: String,
    classname: String,
    line: Option<usize>,
    body: String,
    failure: bool,
    error: bool,
    skipped: bool,
}

fn details(view: &FileView<'_>, finding: &FindingView<'_>, lang: Lang) -> String {
    let mut details = String::new();
    if let Some(place) = finding.places.first() {
        let _ = writeln!(details, "{}:{}:{}", view.path, place.line, place.column);
    }
    if let Some(citation) = finding.citation {
        let _ = writeln!(details, "{}", citation_line(citation, lang));
    }
    // As many missing keys as the other formats list, and the rest counted: an aggregate over a
    // long list can miss one value per element.
    let (listed, more) = finding.listed_missing();
    let label = match lang {
        Lang::Zh => "缺少",
        Lang::En => "missing",
    };
    for missing in listed {
        let _ = writeln!(details, "{label}: {}", missing.place.path);
    }
    if more > 0 {
        let _ = match lang {
            Lang::Zh => writeln!(details, "{label}: 另有 {more} 项"),
            Lang::En => writeln!(details, "{label}: {more} more"),
        };
    }
    if let Some(hint) = &finding.hint {
        let _ = writeln!(details, "{}", hint.get(lang));
    }
    if let Some(advisory) = &finding.advisory {
        let _ = writeln!(details, "{}", advisory.get(lang));
    }
    details
}

fn rule_case(
    view: &FileView<'_>,
    finding: &FindingView<'_>,
    strength: Strength,
    lang: Lang,
) -> Case {
    let message = finding.message.get(lang);
    let details = details(view, finding, lang);
    let mut case = Case {
        line: finding.places.first().map(|place| place.line),
        ..Case::default()
    };
    // A pack that only advises (a draft, a lapsed plan) grades every finding as advice: its
    // `shall` rules neither fail the file nor leave it incomplete, so neither may they fail here.
    let binding = finding.advisory.is_none();
    match (finding.outcome, finding.level) {
        (Outcome::Fail, Some(Level::Error)) => {
            case.body = format!(
                "<failure type=\"fail\" message=\"{}\">{}</failure>",
                attribute(message),
                escape(&details)
            );
            case.failure = true;
        }
        (Outcome::InsufficientEvidence, Some(_)) if strength == Strength::Shall && binding => {
            case.body = format!(
                "<error type=\"insufficient_evidence\" message=\"{}\">{}</error>",
                attribute(message),
                escape(&details)
            );
            case.error = true;
        }
        (Outcome::Waived, _) => {
            let reason = finding.waiver.map_or("", |waiver| waiver.reason.as_str());
            case.body = format!("<skipped message=\"waived: {}\"/>", attribute(reason));
            case.skipped = true;
        }
        (Outcome::InsufficientEvidence, _) => {
            case.body = format!(
                "<skipped message=\"insufficient_evidence: {}\"/>",
                attribute(message)
            );
            case.skipped = true;
        }
        _ => {
            let level = finding.level.map_or("", Level::as_str);
            case.body = format!(
                "<system-out>{level}: {}\n{}</system-out>",
                escape(message),
                escape(&details)
            );
        }
    }
    case
}

/// Renders the whole report as JUnit XML.
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
        Err(error) => format!("<!-- {} -->\n", escape(&error.to_string())),
    }
}

/// Writes JUnit XML a file at a time: each file's suite goes to a temporary file, and the
/// report is put together at the end, once the totals (which come first) are known.
pub struct Streamed<'a> {
    set: &'a RuleSet,
    lang: Lang,
    /// Tests, failures, errors and skipped, over every suite so far.
    totals: [usize; 4],
    suites: Spill,
}

impl<'a> Streamed<'a> {
    /// A report of `set`'s rules in `style`.
    pub fn new(set: &'a RuleSet, style: &Style) -> std::io::Result<Self> {
        Ok(Streamed {
            set,
            lang: style.lang,
            totals: [0; 4],
            suites: Spill::new()?,
        })
    }

    /// Takes in one file.
    pub fn file(&mut self, view: &FileView<'_>) -> std::io::Result<()> {
        let suite = suite(view, self.set, self.lang, &mut self.totals);
        self.suites.text(suite.as_bytes())
    }

    /// Writes the whole report.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let [tests, failures, errors, skipped] = self.totals;
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"yimi\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n"
        )?;
        self.suites.copy_text_into(out)?;
        out.write_all(b"</testsuites>\n")
    }
}

/// One file's test suite; its counts are added to `totals`.
fn suite(view: &FileView<'_>, set: &RuleSet, lang: Lang, totals: &mut [usize; 4]) -> String {
    let mut suites = String::new();
    let mut cases: Vec<Case> = Vec::new();
    if view.invalid() {
        let mut body = String::new();
        for diagnostic in &view.diagnostics {
            let (line, column) = diagnostic.line_col();
            let _ = writeln!(
                body,
                "{}:{line}:{column}: {}",
                diagnostic.file.name,
                diagnostic.message.get(lang)
            );
        }
        let message = view
            .diagnostics
            .first()
            .map(|d| d.message.get(lang).to_owned())
            .unwrap_or_default();
        cases.push(Case {
            name: if lang == Lang::Zh {
                "读取项目文件".into()
            } else {
                "load the project file".into()
            },
            classname: "yimi.input".into(),
            body: format!(
                "<error type=\"invalid_input\" message=\"{}\">{}</error>",
                attribute(&message),
                escape(&body)
            ),
            error: true,
            ..Case::default()
        });
    }
    if let Some(assessment) = view.assessment {
        for result in assessment
            .results
            .iter()
            .filter(|result| result.outcome != Outcome::NotApplicable)
        {
            let Some(rule) = set.rules.get(result.rule) else {
                continue;
            };
            let pack = set.packs.get(rule.pack).map_or("", |pack| pack.id.as_str());
            let finding = view
                .findings
                .iter()
                .find(|finding| finding.rule.is_some_and(|found| std::ptr::eq(found, rule)));
            let nothing = view
                .nothing_to_check
                .iter()
                .find(|item| std::ptr::eq(item.rule, rule));
            let mut case = match (finding, nothing) {
                (Some(finding), _) => rule_case(view, finding, rule.strength, lang),
                // Held with nothing to check: neither passed on a fact nor failed.
                (None, Some(item)) => Case {
                    line: Some(item.place.line),
                    body: format!(
                        "<skipped message=\"nothing_to_check: {}\"/>",
                        attribute(item.note.get(lang))
                    ),
                    skipped: true,
                    ..Case::default()
                },
                (None, None) => Case::default(),
            };
            case.name = format!("{} {}", rule.id, rule.title.get(lang));
            case.classname = format!("yimi.{pack}");
            cases.push(case);
        }
        for finding in view
            .findings
            .iter()
            .filter(|finding| finding.rule.is_none())
        {
            let failure = finding.level == Some(Level::Error);
            let element = if failure { "failure" } else { "system-out" };
            let body = if failure {
                format!(
                    "<failure type=\"{}\" message=\"{}\"/>",
                    attribute(&finding.code),
                    attribute(finding.message.get(lang))
                )
            } else {
                format!(
                    "<{element}>{}</{element}>",
                    escape(finding.message.get(lang))
                )
            };
            cases.push(Case {
                name: finding.code.clone(),
                classname: "yimi.file".into(),
                line: finding.places.first().map(|place| place.line),
                body,
                failure,
                ..Case::default()
            });
        }
        // A warning about the file as it loaded is a case as a warning about the file is.
        for diagnostic in view
            .diagnostics
            .iter()
            .filter(|diagnostic| super::counts_as_warning(diagnostic))
        {
            cases.push(Case {
                name: diagnostic.code.to_owned(),
                classname: "yimi.file".into(),
                line: Some(diagnostic.line_col().0),
                body: format!(
                    "<system-out>{}</system-out>",
                    escape(diagnostic.message.get(lang))
                ),
                ..Case::default()
            });
        }
    }
    let counts = [
        cases.len(),
        cases.iter().filter(|case| case.failure).count(),
        cases.iter().filter(|case| case.error).count(),
        cases.iter().filter(|case| case.skipped).count(),
    ];
    for (total, count) in totals.iter_mut().zip(counts) {
        *total += count;
    }
    let [tests, failures, errors, skipped] = counts;
    let _ = writeln!(
        suites,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
        attribute(view.path)
    );
    let verdict = view.verdict().map_or("invalid", |verdict| verdict.as_str());
    let _ = writeln!(
        suites,
        "    <properties>\n      <property name=\"verdict\" value=\"{verdict}\"/>"
    );
    if let Some(assessment) = view.assessment {
        let _ = writeln!(
            suites,
            "      <property name=\"judged_at\" value=\"{}\"/>",
            attribute(&super::judged_at_text(assessment, lang))
        );
        for pack in super::pack_standings(assessment, view.set, lang) {
            let _ = writeln!(
                suites,
                "      <property name=\"pack\" value=\"{}\"/>",
                attribute(&pack)
            );
        }
    }
    suites.push_str("    </properties>\n");
    for case in cases {
        let line = case
            .line
            .map(|line| format!(" line=\"{line}\""))
            .unwrap_or_default();
        let _ = write!(
            suites,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line}",
            attribute(&case.name),
            attribute(&case.classname),
            attribute(view.path)
        );
        if case.body.is_empty() {
            suites.push_str("/>\n");
        } else {
            let _ = writeln!(suites, ">\n      {}\n    </testcase>", case.body);
        }
    }
    suites.push_str("  </testsuite>\n");
    suites
}

#[cfg(test)]
mod tests {
    use super::{attribute, escape};

    #[test]
    fn xml_escapes_markup_and_shows_control_characters() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{1}b\nc"), "a\\u{1}b\nc");
        assert_eq!(attribute("a\r\nb"), "a&#13;&#10;b");
    }
}
