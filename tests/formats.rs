//! Every output format says the same thing, and third-party consumers accept what yimi writes:
//! Microsoft's SARIF Multitool, the `junitparser` JUnit reader, a headless Chromium for the
//! HTML report, LibreOffice, poppler and python-docx for the Word report. `scripts/test`
//! installs them; a test fails saying so when one is missing.

mod common;

use std::path::{Path, PathBuf};

use yimi::base::i18n::Lang;
use yimi::report::Format;

fn examples() -> Vec<yimi::engine::checked::CheckedFile> {
    common::check(&[
        PathBuf::from("examples"),
        PathBuf::from("tests/fixtures/projects"),
    ])
}

fn json_report(files: &[yimi::engine::checked::CheckedFile]) -> serde_json::Value {
    serde_json::from_str(&common::render(Format::Json, files, Lang::En)).expect("json")
}

/// (file, rule, severity) of every finding in the JSON report, sorted.
fn json_findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut findings = Vec::new();
    for file in report["files"].as_array().expect("files") {
        for finding in file["findings"].as_array().expect("findings") {
            let severity = finding["severity"]
                .as_str()
                .map_or("none", |s| if s == "advice" { "note" } else { s });
            findings.push((
                file["file"].as_str().unwrap_or_default().to_owned(),
                finding["rule_id"].as_str().unwrap_or_default().to_owned(),
                severity.to_owned(),
            ));
        }
    }
    findings.sort();
    findings
}

#[test]
fn sarif_has_the_same_findings_and_verdicts_as_json() {
    let files = examples();
    let json = json_report(&files);
    let sarif: serde_json::Value =
        serde_json::from_str(&common::render(Format::Sarif, &files, Lang::En))
            .expect("sarif is json");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    // A rule that held with nothing to check is an informational result, not a finding; it
    // stands for JSON's `nothing_to_check`, at the same line.
    let (informational, results): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) = results
        .iter()
        .partition(|result| result["kind"] == "informational");
    let mut nothing: Vec<(String, String, Option<u64>)> = informational
        .iter()
        .map(|result| {
            let location = &result["locations"][0]["physicalLocation"];
            (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                result["ruleId"].as_str().unwrap_or_default().to_owned(),
                location["region"]["startLine"].as_u64(),
            )
        })
        .collect();
    nothing.sort();
    let mut expected_nothing = Vec::new();
    for file in json["files"].as_array().expect("files") {
        for result in file["results"].as_array().into_iter().flatten() {
            if let Some(at) = result.get("nothing_to_check") {
                expected_nothing.push((
                    file["file"].as_str().unwrap_or_default().to_owned(),
                    result["rule_id"].as_str().unwrap_or_default().to_owned(),
                    at["line"].as_u64(),
                ));
            }
        }
    }
    expected_nothing.sort();
    assert!(!nothing.is_empty(), "a fixture holds with nothing to check");
    assert_eq!(nothing, expected_nothing);
    let mut findings: Vec<(String, String, String)> = results
        .iter()
        .map(|result| {
            let id = result["ruleId"].as_str().unwrap_or_default().to_owned();
            let index = result["ruleIndex"].as_u64().map(|index| index as usize);
            assert_eq!(
                index
                    .and_then(|index| rules.get(index))
                    .map(|rule| rule["id"].clone()),
                Some(serde_json::json!(id)),
                "ruleIndex points at the rule"
            );
            let file = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let level = if result.get("suppressions").is_some() {
                "none"
            } else {
                result["level"].as_str().unwrap_or_default()
            };
            (file, id, level.to_owned())
        })
        .collect();
    findings.sort();
    assert_eq!(findings, json_findings(&json));
    let verdicts: Vec<(String, serde_json::Value)> = run["properties"]["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|v| {
            (
                v["file"].as_str().unwrap_or_default().to_owned(),
                v["verdict"].clone(),
            )
        })
        .collect();
    let expected: Vec<(String, serde_json::Value)> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_owned(),
                f["verdict"].clone(),
            )
        })
        .collect();
    assert_eq!(verdicts, expected);
}

#[test]
fn sarif_fingerprints_survive_edits_that_move_lines() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let original = std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("example");
    let path = dir.path().join("park.yaml");
    let fingerprints = |text: &str| {
        std::fs::write(&path, text).expect("written");
        let files = common::check(std::slice::from_ref(&path));
        let sarif: serde_json::Value =
            serde_json::from_str(&common::render(Format::Sarif, &files, Lang::En)).expect("sarif");
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["ruleId"].clone(),
                    r["partialFingerprints"].clone(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(&original);
    let after = fingerprints(&format!("# 新增的注释\n# another comment\n{original}"));
    assert!(!before.is_empty());
    for ((rule, fingerprint, line), (rule_after, fingerprint_after, line_after)) in
        before.iter().zip(&after)
    {
        assert_eq!(rule, rule_after);
        assert_eq!(
            fingerprint, fingerprint_after,
            "the fingerprint of {rule} does not move with the lines"
        );
        assert_ne!(line, line_after, "the edit did move the lines");
    }
}

/// SARIF Multitool rules whose findings are expected, with the reason each is left as is.
const SARIF_ACCEPTED: &[(&str, &str)] = &[
    (
        "SARIF2002",
        "messages are rendered in the language the user chose, with the project's values filled in; message ids would lose both",
    ),
    (
        "SARIF2003",
        "yimi checks files, not repositories: it does not know their version-control provenance",
    ),
    (
        "SARIF2005",
        "yimi has no public web site to give as informationUri; its README ships with the tool",
    ),
    (
        "SARIF2006",
        "the SchemaStore $schema URI is the standard one; the test machine has no network to fetch it",
    ),
    (
        "SARIF2009",
        "rule ids follow the plans' clause numbers (SH-068a cites shanghai-2023 item 68), which officials cite",
    ),
    (
        "SARIF2012",
        "there is no web page per rule to give as helpUri; the help text carries the rule and its cited clause",
    ),
];

#[test]
fn the_sarif_multitool_validates_the_log_with_only_accepted_notes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let log = dir.path().join("yimi.sarif");
    std::fs::write(&log, common::render(Format::Sarif, &examples(), Lang::Zh)).expect("written");
    validate_sarif(&log);
    // A waivers file's waiver: an external suppression located at its entry.
    let waivers = dir.path().join("w.yaml");
    std::fs::write(
        &waivers,
        "yimi: 1\nwaivers:\n  - rule: JL-005b\n    reason: 托育中心与二期住宅同步交付\n",
    )
    .expect("written");
    let waived = std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args([
            "check",
            "examples/jl-changchun-residential.yaml",
            "--format",
            "sarif",
        ])
        .args(["--as-of", "2026-11-23", "-o"])
        .arg(dir.path().join("waived.sarif"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--waivers")
        .arg(&waivers)
        .output()
        .expect("yimi runs");
    assert!(
        waived.status.code().is_some_and(|code| code < 2),
        "{}",
        String::from_utf8_lossy(&waived.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("waived.sarif")).expect("the SARIF log");
    assert!(text.contains("\"kind\": \"external\""), "{text}");
    validate_sarif(&dir.path().join("waived.sarif"));
}

/// Validates a SARIF log with the Multitool: no error, and no warning or note without a reason
/// stated in [`SARIF_ACCEPTED`].
fn validate_sarif(log: &std::path::Path) {
    let dir = log.parent().expect("the log's folder");
    let output = common::SARIF_MULTITOOL
        .command()
        .args([
            "validate",
            log.to_str().expect("utf-8"),
            "--level",
            "Error;Warning;Note",
            "--rule-kind",
            "Sarif;Gh;Ghas",
        ])
        .current_dir(dir)
        .output()
        .expect("the multitool runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("Analysis completed successfully"), "{text}");
    for line in text.lines().filter(|line| {
        line.contains(": error ") || line.contains(": warning ") || line.contains(": note ")
    }) {
        assert!(
            !line.contains(": error "),
            "the SARIF log has an error: {line}"
        );
        let accepted = SARIF_ACCEPTED
            .iter()
            .any(|(rule, _)| line.contains(&format!(" {rule}: ")));
        assert!(
            accepted,
            "a SARIF Multitool finding without a stated reason: {line}"
        );
    }
}

#[test]
fn junit_is_read_by_junitparser_with_the_same_counts() {
    let files = examples();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let xml = dir.path().join("yimi.xml");
    std::fs::write(&xml, common::render(Format::Junit, &files, Lang::Zh)).expect("written");
    let script = "import sys\nfrom junitparser import JUnitXml, Failure, Error, Skipped\nxml = JUnitXml.fromfile(sys.argv[1])\nfor suite in xml:\n    f = e = s = 0\n    for case in suite:\n        for r in case.result:\n            if isinstance(r, Failure): f += 1\n            elif isinstance(r, Error): e += 1\n            elif isinstance(r, Skipped): s += 1\n    print(suite.name, suite.tests, f, e, s)\n";
    let output = common::PYTHON_JUNITPARSER
        .command()
        .args(["-c", script, xml.to_str().expect("utf-8")])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "junitparser could not read the report ({})",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = json_report(&files);
    let parsed = String::from_utf8_lossy(&output.stdout).into_owned();
    let lines: Vec<&str> = parsed.lines().collect();
    let json_files = json["files"].as_array().expect("files");
    assert_eq!(lines.len(), json_files.len(), "{parsed}");
    for (line, file) in lines.iter().zip(json_files) {
        let parts: Vec<&str> = line.split(' ').collect();
        let [name, tests, failures, errors, _skipped] = parts.as_slice() else {
            panic!("{line}")
        };
        assert_eq!(*name, file["file"].as_str().unwrap_or_default());
        if file["status"] == "invalid" {
            assert_eq!((*tests, *errors), ("1", "1"), "{line}");
            continue;
        }
        let findings = file["findings"].as_array().expect("findings");
        // JUnit grades as every other format does: a failure is a finding at error level (a
        // failed `shall` rule of a binding pack, an expired waiver), an error an undecided
        // `shall` rule of a binding pack; a draft's or a lapsed plan's finding is advice.
        let at_error = findings.iter().filter(|f| f["severity"] == "error").count();
        let undecided_binding_shall = findings
            .iter()
            .filter(|f| {
                f["outcome"] == "insufficient_evidence"
                    && f["strength"] == "shall"
                    && f["advisory"].is_null()
            })
            .count();
        assert_eq!(
            failures.parse::<usize>().expect("count"),
            at_error,
            "{line}"
        );
        assert_eq!(
            errors.parse::<usize>().expect("count"),
            undecided_binding_shall,
            "{line}"
        );
        let applicable = file["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["outcome"] != "not_applicable")
            .count();
        let file_findings = file["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["kind"] == "file")
            .count();
        // A warning about the file as it loaded is a case too, as every printed warning counts.
        let file_warnings = file["diagnostics"].as_array().map_or(0, |all| {
            all.iter().filter(|d| d["severity"] == "warning").count()
        });
        assert_eq!(
            tests.parse::<usize>().expect("count"),
            applicable + file_findings + file_warnings,
            "{line}"
        );
    }
}

/// A draft's `shall` finding is advice in every format and the exit code, so JUnit must not make it
/// a failure; a binding pack's `should` warning passes with its level in `system-out`. The same
/// draft made binding (`--drafts binding`) fails. Read with junitparser, as a CI server reads it.
#[test]
fn junit_follows_the_graded_severity_of_drafts_and_warnings() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Shangyu's pack is a consultation draft; SY-008b (`shall`) fails: only epilepsy is covered.
    let draft = dir.path().join("draft.yaml");
    std::fs::write(
        &draft,
        "yimi: 1\nproject:\n  id: SY-YB-1\n  name: 门诊特殊病种保障通知\n  kind: policy\n  stage: approval\n  jurisdiction: CN/ZJ/Shaoxing/Shangyu\n  major: true\n  concerns_children: true\n  decision_date: 2026-12-15\npolicy:\n  topics: [medical_insurance]\n  provisions:\n    - kind: outpatient_special_diseases\n      conditions: [epilepsy]\n      conditions_in_force: []\nparticipation:\n  - { date: 2026-10-09, method: interview, children: 0, guardians: 26, stage: needs, response_published: false }\nevidence:\n  - { kind: child_impact_assessment, title: 评价, date: 2026-11-30 }\n",
    )
    .expect("written");
    // Yuzhong's pack binds; YZ-018d (`should`) fails: the funding only equals the reference.
    let warning = dir.path().join("warning.yaml");
    std::fs::write(
        &warning,
        "yimi: 1\nproject:\n  id: YZ-JW-1\n  name: 随迁子女和残疾学生资助实施意见\n  kind: policy\n  stage: approval\n  jurisdiction: CN/CQ/Yuzhong\n  major: true\n  decision_date: 2026-12-20\npolicy:\n  topics: [education]\n  provisions:\n    - kind: migrant_children_public_school_share\n      value: 85\n      reference_value: 82\n    - kind: public_funding_per_disabled_student\n      value: 6000\n      reference_value: 6000\nparticipation:\n  - { date: 2026-10-18, method: hearing, children: 15, ages: \"10-15\", guardians: 30, stage: decision, response_published: true }\nevidence:\n  - { kind: child_impact_assessment, title: 评价, date: 2026-11-20 }\n",
    )
    .expect("written");
    let script = "import sys\nfrom junitparser import JUnitXml, Failure, Error, Skipped\nxml = JUnitXml.fromfile(sys.argv[1])\nfor suite in xml:\n    for case in suite:\n        kinds = [type(r).__name__ for r in case.result] or ['Passed']\n        out = (case.system_out or '').split('\\n')[0]\n        print(suite.name.rsplit('/', 1)[-1], case.name.split(' ')[0], kinds[0], out, sep='\\t')\n";
    let read = |drafts: &str| {
        let xml = dir.path().join(format!("yimi-{drafts}.xml"));
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args([
                "check", "--lang", "en", "--drafts", drafts, "--format", "junit", "-o",
            ])
            .arg(&xml)
            .args([&draft, &warning])
            .status()
            .expect("yimi runs");
        let output = common::PYTHON_JUNITPARSER
            .command()
            .args(["-c", script, xml.to_str().expect("utf-8")])
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "junitparser could not read the report ({})",
            String::from_utf8_lossy(&output.stderr)
        );
        (
            status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let case = |cases: &str, file: &str, rule: &str| {
        cases
            .lines()
            .find(|line| line.starts_with(&format!("{file}\t{rule}\t")))
            .map(|line| {
                line.split('\t')
                    .skip(2)
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_else(|| panic!("no case {rule} in {file}:\n{cases}"))
    };
    let (code, cases) = read("advisory");
    // Exit 0 and no failure or error anywhere: every other format calls these advice.
    assert_eq!(code, Some(0), "{cases}");
    assert!(
        !cases.contains("\tFailure\t") && !cases.contains("\tError\t"),
        "{cases}"
    );
    let sy = case(&cases, "draft.yaml", "SY-008b");
    assert_eq!(sy[0], "Passed", "{cases}");
    assert!(sy[1].starts_with("advice: "), "{cases}");
    let yz = case(&cases, "warning.yaml", "YZ-018d");
    assert_eq!(yz[0], "Passed", "{cases}");
    assert!(yz[1].starts_with("warning: "), "{cases}");
    // The draft adopted by the office: the same finding is an error and a failure.
    let (code, cases) = read("binding");
    assert_eq!(code, Some(1), "{cases}");
    assert_eq!(
        case(&cases, "draft.yaml", "SY-008b")[0],
        "Failure",
        "{cases}"
    );
    assert_eq!(
        case(&cases, "warning.yaml", "YZ-018d")[0],
        "Passed",
        "{cases}"
    );
}

/// The verdict at the top of the Markdown, HTML and Word reports says when it rests on packs that
/// only advise (F8): a reader of the first page of a Shangyu review must not see 通过 unqualified
/// when every rule came from a consultation draft; a file judged by binding packs only reads as
/// before. Each format gives the same line as the others.
#[test]
fn the_verdict_line_says_when_it_rests_on_packs_that_only_advise() {
    let draft = common::check(&[PathBuf::from("examples/sy-riverside-public-space.yaml")]);
    let binding = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let verdict_line = |files: &[yimi::engine::checked::CheckedFile]| {
        let markdown = common::render(Format::Markdown, files, Lang::Zh);
        let line = markdown
            .lines()
            .find(|line| line.starts_with("**审查结论:"))
            .unwrap_or_else(|| panic!("no verdict line:\n{markdown}"))
            .trim_start_matches("**审查结论:")
            .trim_end_matches("**")
            .to_owned();
        let html = common::render(Format::Html, files, Lang::Zh);
        assert!(
            html.contains(&format!("\">{line}</span></p>")),
            "{line}\n{html}"
        );
        let dir = tempfile::tempdir().expect("a directory");
        let docx = dir.path().join("r.docx");
        std::fs::write(&docx, common::render_bytes(Format::Docx, files, Lang::Zh))
            .expect("written");
        let paragraphs = docx_paragraphs(&docx);
        assert!(
            paragraphs
                .lines()
                .any(|paragraph| paragraph == format!("审查结论:{line}")),
            "{line}\n{paragraphs}"
        );
        line
    };
    let line = verdict_line(&draft);
    assert!(
        line.contains("规则包 shangyu-2025 2026.1:征求意见稿,仅供参考(")
            && line.ends_with(";发现均仅为建议"),
        "{line}"
    );
    let line = verdict_line(&binding);
    assert!(!line.contains("规则包") && !line.contains("建议"), "{line}");
    let english = common::render(Format::Markdown, &draft, Lang::En);
    assert!(
        english.contains("every finding is advice only, from rule packs shangyu-2025 2026.1: draft, advisory only ("),
        "{english}"
    );
}

/// (label, rule or code, file:line) of every finding in the JSON report, sorted; a waived finding is
/// labelled `waived`.
fn json_finding_labels(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut findings = Vec::new();
    for file in report["files"].as_array().expect("files") {
        for finding in file["findings"].as_array().expect("findings") {
            let label = finding["severity"].as_str().unwrap_or("waived").to_owned();
            let location = format!(
                "{}:{}",
                file["file"].as_str().unwrap_or_default(),
                finding["line"]
            );
            findings.push((
                label,
                finding["rule_id"].as_str().unwrap_or_default().to_owned(),
                location,
            ));
        }
    }
    findings.sort();
    findings
}

fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

#[test]
fn markdown_and_html_give_every_verdict_and_finding() {
    let files = examples();
    let json = json_report(&files);
    let expected = json_finding_labels(&json);
    assert!(
        expected.len() > 30,
        "the examples and fixtures have findings of every kind"
    );

    let markdown = common::render(Format::Markdown, &files, Lang::En);
    let mut in_markdown: Vec<(String, String, String)> = markdown
        .lines()
        .filter_map(|line| {
            let label = between(line, "- **[", "] ")?;
            let id = between(line, &format!("[{label}] "), "**")?;
            let location = &line[line.rfind(" (")? + 2..line.len().checked_sub(1)?];
            // The named thing comes first (`facility nursery-1 (…) · file:line`).
            let location = location.rsplit(" · ").next()?;
            Some((label.to_owned(), id.replace('\\', ""), location.to_owned()))
        })
        .collect();
    in_markdown.sort();
    assert_eq!(
        in_markdown, expected,
        "markdown lists the findings JSON does"
    );

    let html = common::render(Format::Html, &files, Lang::En);
    let mut in_html: Vec<(String, String, String)> = html
        .split("<div class=\"finding ")
        .skip(1)
        .filter_map(|chunk| {
            let label = between(chunk, "<strong>[", "]</strong>")?;
            let id = between(chunk, "<span class=\"code\">", "</span>")?;
            let location = between(chunk, "<span class=\"meta\">", "</span>")?;
            let location = location.rsplit(" · ").next()?;
            Some((label.to_owned(), id.to_owned(), location.to_owned()))
        })
        .collect();
    in_html.sort();
    assert_eq!(in_html, expected, "html lists the findings JSON does");

    for file in json["files"].as_array().expect("files") {
        if let Some(verdict) = file["verdict"].as_str() {
            assert!(
                html.contains(&format!("data-verdict=\"{verdict}\"")),
                "html lacks the verdict of {}",
                file["file"]
            );
        }
    }
    assert!(html.contains("<svg class=\"domain-chart\""));
    assert!(
        !html.contains("<script"),
        "the report has no scripts of its own"
    );
}

fn render_in_browser(html: &Path, screenshot: &Path) -> String {
    let profile = tempfile::tempdir().expect("a profile directory");
    let common_flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=2000",
    ];
    let url = format!("file://{}", html.display());
    let profile_flag = format!("--user-data-dir={}", profile.path().display());
    let shot = common::CHROMIUM
        .command()
        .args(common_flags)
        .arg(&profile_flag)
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg("--window-size=1240,1754")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        screenshot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let dom = common::CHROMIUM
        .command()
        .args(common_flags)
        .arg(&profile_flag)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

#[test]
fn the_html_report_renders_with_its_verdict_and_chart() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let html = dir.path().join("report.html");
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    std::fs::write(&html, common::render(Format::Html, &files, Lang::Zh)).expect("written");
    let screenshot = dir.path().join("report.png");
    let dom = render_in_browser(&html, &screenshot);
    assert!(dom.contains("data-verdict=\"fail\""), "{dom}");
    assert!(dom.contains("需修改"));
    assert!(dom.contains("class=\"domain-chart\""));
    assert!(
        dom.contains("class=\"bar-fail\""),
        "the chart draws the failed rules"
    );
    let png = std::fs::read(&screenshot).expect("screenshot");
    assert!(
        png.len() > 10_000 && png.starts_with(b"\x89PNG"),
        "a real screenshot"
    );
}

#[test]
fn nothing_from_a_submission_runs_or_is_read_as_markup() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = dir.path().join("hostile.yaml");
    std::fs::write(
        &project,
        "yimi: 1\nproject:\n  id: \"<script>document.title='pwned'</script>\"\n  name: '\"><img src=x onerror=\"document.title=1\">'\n  kind: park\n  jurisdiction: CN/SH\n  applicant: \"javascript:alert(1)\"\n  decision_date: 2026-06-01\nsite: {area_m2: 8000}\npark: {category: comprehensive}\nfacilities: []\nwaivers:\n  - rule: SH-068a\n    reason: \"<b onmouseover=alert(1)>场地受限</b>\"\n    expires: 2027-01-01\n",
    )
    .expect("written");
    let files = common::check(&[project]);
    let html_text = common::render(Format::Html, &files, Lang::Zh);
    let html = dir.path().join("hostile.html");
    std::fs::write(&html, &html_text).expect("written");
    let dom = render_in_browser(&html, &dir.path().join("hostile.png"));
    assert!(
        dom.contains("<title>儿童影响评价审查报告</title>"),
        "no script changed the title: {dom}"
    );
    assert!(!dom.contains("<img"), "no element was injected");
    assert!(!dom.contains("<b onmouseover"), "no element was injected");
    assert!(
        !dom.contains("href=\"javascript:"),
        "no link was made of the text"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "the text is shown literally"
    );
    assert!(
        dom.contains("&lt;b onmouseover=alert(1)&gt;场地受限&lt;/b&gt;"),
        "the waiver reason is shown literally"
    );
}

/// The Markdown report as GitHub renders it (cmark-gfm with GitHub's extensions), with HTML
/// comments, which show nothing, left out.
fn markdown_as_github_shows_it(markdown: &str) -> String {
    use std::io::Write;
    let mut child = common::CMARK_GFM
        .command()
        .args(["-e", "table", "-e", "autolink", "-e", "strikethrough"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cmark-gfm runs");
    child
        .stdin
        .take()
        .expect("its input")
        .write_all(markdown.as_bytes())
        .expect("written");
    let output = child.wait_with_output().expect("cmark-gfm ends");
    assert!(output.status.success(), "cmark-gfm failed");
    let html = String::from_utf8(output.stdout).expect("UTF-8");
    let mut shown = String::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<!--") {
        shown.push_str(&rest[..at]);
        rest = rest[at..].split_once("-->").map_or("", |(_, after)| after);
    }
    shown + rest
}

/// Submitted values in the Markdown report read on GitHub as the text they are: a web or mail
/// address is not made a link, `~~` does not strike through, a `|` in code outside a table is
/// shown without a backslash, one inside a table cell (in code or not) keeps the row's cells,
/// and a line break is shown as `\u{a}`, as in the other formats.
#[test]
fn submitted_values_in_the_markdown_report_read_on_github_as_text() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = std::fs::read_to_string("examples/jl-changchun-residential.yaml")
        .expect("the example is readable");
    let hostile = example
        .replace(
            "  name: 长春净月某新建居住区\n",
            "  name: \"长春 www.evil.org | a@b.com https://x.org ftp://y.org ~~s~~ mailto:c@d.org\\nline2\"\n",
        )
        .replace(
            "  - id: nursery-1\n",
            "  - id: \"n|1 http://evil.example/x\"\n",
        )
        .replace(
            "title: 儿童影响评价报告",
            "title: \"t|`c|d` WWW.e.org\\nl2\"",
        );
    assert_ne!(hostile, example);
    let valid = dir.path().join("valid.yaml");
    std::fs::write(&valid, hostile).expect("written");
    let invalid = dir.path().join("invalid.yaml");
    std::fs::write(
        &invalid,
        "yimi: 1\nproject:\n  id: P\n  name: n\n  kind: residential\n  stage: \"a``b|c\\nd http://z.org\"\n  jurisdiction: CN/JL/Changchun\n",
    )
    .expect("written");
    let files = common::check(&[valid, invalid]);
    for lang in [Lang::En, Lang::Zh] {
        let markdown = common::render(Format::Markdown, &files, lang);
        let html = markdown_as_github_shows_it(&markdown);
        for made in ["<a ", "href", "<del>"] {
            assert!(!html.contains(made), "{lang:?}: `{made}` in\n{html}");
        }
        for shown in [
            // A heading: every character as it was, the line break visible.
            "长春 www.evil.org | a@b.com https://x.org ftp://y.org ~~s~~ mailto:c@d.org\\u{a}line2",
            // Code outside a table: no backslash before `|`, the line break visible.
            "<code>a``b|c\\u{a}d http://z.org</code>",
            // In a table cell: `|` without a backslash, and a stated value's backticks as the
            // characters they are, not a code span of the submitter's making.
            "n|1 http://evil.example/x",
            "t|`c|d` WWW.e.org\\u{a}l2",
        ] {
            assert!(
                html.contains(shown),
                "{lang:?}: `{shown}` is not in\n{html}"
            );
        }
        assert!(
            !html.contains("\\|"),
            "{lang:?}: a backslash is shown\n{html}"
        );
        // Every row of every table has its head's cells: no `|` of a value cut one.
        let mut tables = 0;
        for table in html.split("<table>").skip(1) {
            let (head, body) = table.split_once("</thead>").expect("a head");
            let columns = head.matches("<th").count() - head.matches("<thead").count();
            let body = body.split("</table>").next().unwrap_or_default();
            for row in body.split("<tr>").skip(1) {
                assert_eq!(row.matches("<td").count(), columns, "{lang:?}: {row}");
            }
            tables += 1;
        }
        assert!(
            tables >= 2,
            "{lang:?}: the record's tables are rendered\n{html}"
        );
    }
}

/// Renders a line of text in the HTML report's own style and returns the screenshot's bytes.
fn screenshot_of_text(text: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let style = yimi::report::render(
        Format::Html,
        &examples()[..1],
        &common::builtin().set,
        &common::style(Lang::Zh),
    );
    // The report's stylesheet, with one line of text as the page.
    let head = style.split("<body>").next().unwrap_or_default();
    let page = format!("{head}<body><p style=\"font-size:40px\">{text}</p></body></html>\n");
    let html = dir.path().join("text.html");
    std::fs::write(&html, page).expect("written");
    let png = dir.path().join("text.png");
    render_in_browser(&html, &png);
    std::fs::read(&png).expect("a screenshot")
}

/// Chinese renders as Chinese, not as the boxes a browser draws for characters no installed font
/// has: two different Chinese phrases look different from each other and from characters that
/// no font has (private-use code points). Without a CJK font all three are the same row of boxes.
#[test]
fn chinese_in_the_html_report_renders_as_glyphs_not_boxes() {
    let children = screenshot_of_text("儿童友好");
    let review = screenshot_of_text("审查意见");
    let missing = screenshot_of_text("\u{e000}\u{e001}\u{e002}\u{e003}");
    assert_ne!(
        children, review,
        "two Chinese phrases render the same: no CJK font (scripts/test installs fonts-noto-cjk)"
    );
    assert_ne!(
        children, missing,
        "Chinese renders like characters no font has: no CJK font (scripts/test installs fonts-noto-cjk)"
    );
}

/// The Word report of `files` in Chinese, converted to PDF by LibreOffice, as
/// (docx path, pdf path) in `dir`.
fn docx_and_pdf(
    files: &[yimi::engine::checked::CheckedFile],
    dir: &Path,
) -> (std::path::PathBuf, std::path::PathBuf) {
    docx_and_pdf_in(files, dir, Lang::Zh)
}

/// The Word report of `files` in `lang`, converted to PDF by LibreOffice.
fn docx_and_pdf_in(
    files: &[yimi::engine::checked::CheckedFile],
    dir: &Path,
    lang: Lang,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let docx = dir.join("opinion.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, files, lang)).expect("written");
    let profile = dir.join("profile");
    // As docs/fonts/60-yimi-cjk.conf tells a Linux user to: the system's fonts, and Noto CJK SC
    // in place of the faces GB/T 9704 names.
    let fonts_conf = dir.join("fonts.conf");
    std::fs::write(
        &fonts_conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n  <include>{}/docs/fonts/60-yimi-cjk.conf</include>\n</fontconfig>\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .expect("written");
    let output = common::SOFFICE
        .command()
        .env("FONTCONFIG_FILE", &fonts_conf)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&docx)
        .output()
        .expect("LibreOffice runs");
    let pdf = dir.join("opinion.pdf");
    assert!(
        output.status.success() && pdf.exists(),
        "LibreOffice converts the Word report: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (docx, pdf)
}

/// Text without any whitespace, so that words a table cell broke over lines are found whole.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_word_report_opens_in_libreoffice_with_every_verdict_clause_and_quote() {
    let files = common::check(&[PathBuf::from("examples")]);
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, Lang::Zh)).expect("json");
    let dir = tempfile::tempdir().expect("a directory");
    let (_, pdf) = docx_and_pdf(&files, dir.path());
    let output = common::PDFTOTEXT
        .command()
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(output.status.success());
    let text = squeezed(&String::from_utf8_lossy(&output.stdout));
    let mut clauses = 0;
    for file in json["files"].as_array().expect("files") {
        let verdict = file["verdict_label"].as_str().expect("a verdict");
        assert!(text.contains(&squeezed(verdict)), "the PDF lacks {verdict}");
        for result in file["results"].as_array().expect("results") {
            let id = result["rule_id"].as_str().expect("an id");
            assert!(
                text.contains(id),
                "the PDF lacks the row or appendix line of {id}"
            );
            if result["outcome"] != "not_applicable" {
                clauses += 1;
            }
        }
        for finding in file["findings"].as_array().expect("findings") {
            if let Some(quote) = finding["citation"]["quote"].as_str() {
                assert!(
                    text.contains(&squeezed(quote)),
                    "the PDF lacks the quote of {}",
                    finding["rule_id"]
                );
            }
        }
    }
    assert!(clauses > 50, "the examples have many applicable clauses");
    assert!(
        text.contains("审查人"),
        "the reviewer's blank fields are there"
    );
    // 仿宋 and 楷体 are set in a serif face, 黑体 (the headings) in a sans-serif one: not one face
    // for all of them.
    let fonts = common::PDFFONTS
        .command()
        .arg(&pdf)
        .output()
        .expect("pdffonts runs");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("NotoSerifCJK"), "{fonts}");
    assert!(fonts.contains("NotoSansCJK"), "{fonts}");
}

#[test]
fn python_docx_reads_the_compliance_table_with_the_rows_and_results_of_the_json_report() {
    let files = common::check(&[PathBuf::from("examples")]);
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, Lang::Zh)).expect("json");
    let mut expected: Vec<(String, String)> = Vec::new();
    for file in json["files"].as_array().expect("files") {
        for result in file["results"].as_array().expect("results") {
            if result["outcome"] != "not_applicable" {
                expected.push((
                    result["rule_id"].as_str().unwrap_or_default().to_owned(),
                    result["result"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    expected.sort();
    let dir = tempfile::tempdir().expect("a directory");
    let docx = dir.path().join("opinion.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    // Every compliance table (its header starts 文件与条款): the rule id is the clause cell's
    // last line, the result the fifth cell.
    let script = r#"
import sys, docx
document = docx.Document(sys.argv[1])
for table in document.tables:
    if table.rows[0].cells[0].text.strip() != "文件与条款":
        continue
    for row in table.rows[1:]:
        cells = row.cells
        print(cells[0].text.strip().splitlines()[-1].strip() + "\t" + cells[4].text.strip())
"#;
    let output = common::PYTHON_DOCX
        .command()
        .arg("-c")
        .arg(script)
        .arg(&docx)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python-docx reads the report: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut rows: Vec<(String, String)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let (id, result) = line.split_once('\t')?;
            Some((id.to_owned(), result.to_owned()))
        })
        .collect();
    rows.sort();
    assert!(expected.len() > 50);
    assert_eq!(
        rows, expected,
        "the Word report's compliance rows are the JSON report's applicable results"
    );
}

#[test]
fn the_word_report_is_the_same_bytes_every_time() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let first = common::render_bytes(Format::Docx, &files, Lang::Zh);
    let second = common::render_bytes(Format::Docx, &files, Lang::Zh);
    assert!(first.starts_with(b"PK"), "a zip archive");
    assert!(first == second, "the same report gives the same bytes");
    let english = common::render_bytes(Format::Docx, &files, Lang::En);
    assert!(first != english, "--lang en gives an English document");
}

/// The text of every run of a Word document as python-docx reads it, one run a line, each with
/// its Latin font: `font<TAB>text`.
fn docx_runs(docx: &Path) -> String {
    let script = r#"
import sys, docx
document = docx.Document(sys.argv[1])
paragraphs = list(document.paragraphs)
for table in document.tables:
    for row in table.rows:
        for cell in row.cells:
            paragraphs.extend(cell.paragraphs)
for paragraph in paragraphs:
    for run in paragraph.runs:
        print((run.font.name or "") + "\t" + run.text.replace("\n", " "))
"#;
    let output = common::PYTHON_DOCX
        .command()
        .arg("-c")
        .arg(script)
        .arg(docx)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python-docx reads the report: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A name the text quotes between backticks (`participation`, `evidence`) is a run in the code
/// face without its backticks, in Chinese and in English, in findings and in tables.
#[test]
fn the_word_report_sets_quoted_names_in_a_code_face_without_backticks() {
    let files = common::check(&[PathBuf::from("examples")]);
    let dir = tempfile::tempdir().expect("a directory");
    for lang in [Lang::Zh, Lang::En] {
        let docx = dir.path().join("opinion.docx");
        std::fs::write(&docx, common::render_bytes(Format::Docx, &files, lang)).expect("written");
        let runs = docx_runs(&docx);
        let ticked: Vec<&str> = runs.lines().filter(|line| line.contains('`')).collect();
        assert!(
            ticked.is_empty(),
            "{lang:?}: backticks reach the text: {ticked:?}"
        );
        let code: Vec<&str> = runs
            .lines()
            .filter_map(|line| line.strip_prefix("Consolas\t"))
            .collect();
        assert!(
            code.contains(&"evidence") && code.contains(&"participation"),
            "{lang:?}: the quoted names are code runs: {code:?}"
        );
    }
}

/// A submitted value with one or three backticks is quoted as code with a fence of its own, so
/// it stays one code span and the message's other quotes pair as written, in HTML, Markdown and
/// Word; a file name with a backtick is set apart from the message it precedes.
#[test]
fn backticks_in_a_submitted_value_do_not_shift_the_code_spans_around_it() {
    let dir = tempfile::tempdir().expect("a directory");
    let project = dir.path().join("ti`ck.yaml");
    std::fs::write(
        &project,
        "yimi: 1\nproject:\n  id: X\n  name: x\n  kind: \"pa`rk\"\n  jurisdiction: \"CN```SH\"\n",
    )
    .expect("written");
    let files = common::check(&[project]);
    let html = common::render(Format::Html, &files, Lang::En);
    for expected in [
        "<code>pa`rk</code> is not one of the values allowed here",
        "<code>CN```SH</code> is not a jurisdiction path",
        ":5:9</code> ",
    ] {
        assert!(html.contains(expected), "HTML lacks `{expected}`: {html}");
    }
    let markdown = common::render(Format::Markdown, &files, Lang::En);
    for expected in [
        "``pa`rk`` is not one of the values allowed here",
        "````CN```SH```` is not a jurisdiction path",
        // The file name: escaped as text in a heading, one code span where it is a place.
        "## ",
        "ti\\`ck.yaml\n",
        "ti`ck.yaml:5:9`` ",
    ] {
        assert!(
            markdown.contains(expected),
            "Markdown lacks `{expected}`: {markdown}"
        );
    }
    let docx = dir.path().join("opinion.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::En)).expect("written");
    let runs = docx_runs(&docx);
    let code: Vec<&str> = runs
        .lines()
        .filter_map(|line| line.strip_prefix("Consolas\t"))
        .collect();
    assert!(
        code.contains(&"pa`rk") && code.contains(&"CN```SH"),
        "the values are code runs, whole: {code:?}"
    );
    assert!(
        runs.contains(" is not one of the values allowed here")
            && runs.contains(" is not a jurisdiction path"),
        "{runs}"
    );
}

/// In English, whole words fit the columns ("insufficient evidence", not "insufficien t"),
/// counts agree with their nouns, and a parenthesis is set off from the word before it.
#[test]
fn the_english_word_report_keeps_words_whole_and_counts_right() {
    let files = common::check(&[PathBuf::from("examples")]);
    let dir = tempfile::tempdir().expect("a directory");
    let (docx, pdf) = docx_and_pdf_in(&files, dir.path(), Lang::En);
    let output = common::PDFTOTEXT
        .command()
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let words: Vec<&str> = text.split_whitespace().collect();
    for (cut, whole) in [
        ("insufficien", "insufficient"),
        ("environme", "environment"),
        ("developme", "development"),
        ("Requireme", "Requirement"),
        ("Rectificatio", "Rectification"),
    ] {
        assert!(
            !words.contains(&cut),
            "`{whole}` breaks inside the word in the PDF"
        );
    }
    assert!(words.contains(&"insufficient"), "the domain table is there");
    let runs = docx_runs(&docx);
    assert!(
        runs.contains(" 1 error,") && runs.contains(" 1 warning,") && runs.contains(" 1 does not,"),
        "a count of one takes the singular"
    );
    for wrong in [" 1 errors", " 1 warnings", " 1 do not,", " 1 comply,"] {
        assert!(!runs.contains(wrong), "`{wrong}` in the English report");
    }
    assert!(
        !runs.contains("persons(") && runs.contains(" (examples/"),
        "a finding's place is set off by a space"
    );
}

/// The review opinion of one example is committed beside it; `UPDATE_EXAMPLES=1` rewrites it.
#[test]
fn the_example_review_opinion_is_current() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let made = common::render_bytes(Format::Docx, &files, Lang::Zh);
    let path = Path::new("examples/jl-changchun-residential.opinion.docx");
    if std::env::var_os("UPDATE_EXAMPLES").is_some() {
        std::fs::write(path, &made).expect("written");
    }
    let committed = std::fs::read(path).expect("the committed review opinion");
    assert!(
        committed == made,
        "{} is stale: run UPDATE_EXAMPLES=1 cargo test --test formats the_example_review_opinion",
        path.display()
    );
}

/// A page of the review opinion rendered as a person sees it. The reviewed rendering is kept in
/// tests/snapshots/docx-opinion-page-3.png (fonts differ between machines, so pixels are not
/// compared); here the page must render, A4-shaped and not blank, and its text must be the text
/// kept beside the PNG (docx-opinion-page-3.txt), so the PNG cannot go on showing a page the
/// document no longer has. `UPDATE_DOCX_PAGE=1` writes both anew: look at the PNG before
/// committing it.
#[test]
fn a_page_of_the_word_report_renders_on_a4() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let dir = tempfile::tempdir().expect("a directory");
    let (_, pdf) = docx_and_pdf(&files, dir.path());
    let prefix = dir.path().join("page");
    let status = common::PDFTOPPM
        .command()
        .args(["-r", "60", "-png", "-f", "3", "-l", "3", "-singlefile"])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let text = common::PDFTOTEXT
        .command()
        .args(["-f", "3", "-l", "3", "-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let kept_png = Path::new("tests/snapshots/docx-opinion-page-3.png");
    let kept_text = Path::new("tests/snapshots/docx-opinion-page-3.txt");
    if std::env::var_os("UPDATE_DOCX_PAGE").is_some() {
        std::fs::copy(dir.path().join("page.png"), kept_png).expect("copied");
        std::fs::write(kept_text, &text).expect("written");
    }
    let kept = std::fs::read_to_string(kept_text).expect("the kept text of the page");
    // Line breaks and spaces depend on the fonts a machine has; the words do not.
    assert!(
        squeezed(&kept) == squeezed(&text),
        "{} no longer shows page 3 of the review opinion: run UPDATE_DOCX_PAGE=1 cargo test --test formats a_page_of_the_word_report, and look at the PNG\nkept:\n{kept}\nnow:\n{text}",
        kept_png.display()
    );
    let png = std::fs::read(dir.path().join("page.png")).expect("a page");
    let width = u32::from_be_bytes(png[16..20].try_into().expect("a PNG header"));
    let height = u32::from_be_bytes(png[20..24].try_into().expect("a PNG header"));
    let ratio = f64::from(height) / f64::from(width);
    assert!((ratio - 297.0 / 210.0).abs() < 0.02, "A4: {width}×{height}");
    assert!(png.len() > 10_000, "the page is not blank");
}

/// The compliance record in JSON: what was required (with how it was computed) and what the file
/// states, at the deciding comparison — inside aggregates too — and, for a rule that does not
/// apply, the condition that excluded the project.
#[test]
fn the_json_record_names_the_values_each_rule_compared() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, Lang::Zh)).expect("json");
    let result = |id: &str| {
        json["files"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|result| result["rule_id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no result for {id}"))
    };
    let places = result("JL-005a");
    assert_eq!(places["result"], "不符合");
    let compared = &places["compared"][0];
    assert_eq!(compared["required"], "≥ 54 个");
    assert_eq!(compared["basis"], "⌈4.5 个/千人 × 常住人口 12000 人⌉");
    assert_eq!(compared["stated"], "40 个");
    assert_eq!(compared["path"], "facilities");
    assert_eq!(compared["line"], 20);
    assert_eq!(compared["holds"], false);

    // all(filter(facilities, …), f => f.delivered_with_housing): the failing element.
    let delivery = &result("JL-005b")["compared"][0];
    assert_eq!(delivery["path"], "facilities[0].delivered_with_housing");
    assert_eq!(delivery["stated"], "否");
    assert_eq!(delivery["line"], 25);
    assert_eq!(delivery["place"], "设施 nursery-1(托育机构、托育点)");

    // Does not apply: the project's kind, by its label, against the kinds the rule is for.
    let park = &result("JL-016a");
    assert_eq!(park["result"], "不适用");
    assert_eq!(park["compared"][0]["stated"], "居住区");
    assert_eq!(park["compared"][0]["required"], "公园绿地");
    assert_eq!(park["compared"][0]["holds"], false);
}

/// The finding of `rule` in the JSON report of `example`, in `lang`.
fn json_finding(example: &str, rule: &str, lang: Lang) -> serde_json::Value {
    let files = common::check(&[PathBuf::from(example)]);
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, lang)).expect("json");
    json["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["rule_id"] == rule)
        .cloned()
        .unwrap_or_else(|| panic!("no finding of {rule} in {example}"))
}

/// An undecided finding says first what the project must provide (the rule's advice), and only
/// on its second line what to write in the file; every human format shows this same text.
#[test]
fn an_undecided_finding_leads_with_what_the_project_must_provide() {
    let finding = json_finding("examples/yz-school.yaml", "YZ-036", Lang::Zh);
    assert_eq!(finding["outcome"], "insufficient_evidence");
    let hint = finding["hint"].as_str().expect("a hint");
    let lines: Vec<&str> = hint.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("规划覆盖儿童经常活动区域的安防监控,消除监控盲点和死角"),
        "{hint}"
    );
    assert!(
        lines.get(1).is_some_and(
            |line| line.starts_with("项目文件:注明 `building.cctv_covers_children_areas`")
        ),
        "{hint}"
    );
    let finding = json_finding("examples/yz-school.yaml", "YZ-036", Lang::En);
    let hint = finding["hint"].as_str().expect("a hint");
    assert!(
        hint.lines().nth(1).is_some_and(
            |line| line.starts_with("In the file: state `building.cctv_covers_children_areas`")
        ),
        "{hint}"
    );
    assert!(!hint.starts_with("state "), "{hint}");
}

/// A clause that does not apply for want of a named place or an age group names the fact in
/// words, never 该项 ("this item").
#[test]
fn a_clause_about_listed_names_says_which_list_and_what_it_looks_for() {
    let files = common::check(&[PathBuf::from("examples")]);
    let zh = common::render(Format::Markdown, &files, Lang::Zh);
    assert!(
        zh.contains(
            "点名项目所在的片区或地点(named\\_places)为 七星岗街道,其中没有一项含「步道」,本条适用于其中至少一项含「步道」的项目"
        ),
        "the reason YZ-013b does not apply"
    );
    assert!(!zh.contains("该项"), "a subject is named in words");
    let en = common::render(Format::Markdown, &files, Lang::En);
    assert!(
        en.contains("(named\\_places) are 七星岗街道, none of which contains “步道”; the clause applies to projects where one does"),
        "the reason YZ-013b does not apply, in English"
    );
    assert!(!en.contains("the item"), "a subject is named in words");
}

/// The compliance table gives a requirement once, and only the things the rule looks for: a rule
/// about mother-and-baby rooms lists no reading room or toilet as if it had judged it.
#[test]
fn a_compliance_row_states_each_requirement_once_without_the_things_the_rule_passes_over() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-library.yaml")]);
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let row = markdown
        .lines()
        .find(|line| line.contains("`JL-017a`"))
        .expect("the row of JL-017a");
    assert_eq!(row.matches("设施类型 母婴室").count(), 1, "{row}");
    assert!(!row.contains("设施 wc-1"), "{row}");
    assert!(
        row.contains("儿童阅览室、少儿图书馆 / 公共厕所 / 第三卫生间"),
        "the kinds there are, once: {row}"
    );
}

/// A plan the target's `applies` names must state the target itself: the target is its own
/// commitment, not a requirement from above.
#[test]
fn a_plans_own_target_is_worded_as_its_commitment() {
    let finding = json_finding("examples/yz-district-plan.yaml", "YZ-T017", Lang::Zh);
    let message = finding["message"].as_str().expect("a message");
    assert!(
        message.contains("未达到本规划应载明的目标 ≥ 4.5"),
        "{message}"
    );
    assert!(!message.contains("上级要求"), "{message}");
    let finding = json_finding("examples/yz-district-plan.yaml", "YZ-T017", Lang::En);
    let message = finding["message"].as_str().expect("a message");
    assert!(
        message.contains("short of the target this plan must state, ≥ 4.5"),
        "{message}"
    );
}

/// The rules with a Pudong pack that refines `mother_baby_room_floor_area` to 5000 m², and a
/// 6000 m² mall checked with them: covered by SH-059a only because of the refinement.
fn refined_mall() -> (
    yimi::rules::load::Loaded,
    Vec<yimi::engine::checked::CheckedFile>,
) {
    let options = yimi::rules::load::RuleOptions {
        builtin_dir: Some(PathBuf::from("rules")),
        paths: vec![PathBuf::from("tests/refined/pudong-mother-baby.yimi")],
        ..yimi::rules::load::RuleOptions::default()
    };
    let loaded = yimi::rules::load::load(&options).expect("the refining pack loads");
    let files = common::check_with(
        &loaded.set,
        &[PathBuf::from("tests/refined/mall-6000.yaml")],
    );
    (loaded, files)
}

fn render_refined(
    format: Format,
    set: &yimi::rules::ir::RuleSet,
    files: &[yimi::engine::checked::CheckedFile],
    lang: Lang,
) -> Vec<u8> {
    let mut out = Vec::new();
    yimi::report::write(format, files, set, &common::style(lang), &mut out).expect("rendered");
    out
}

/// A result decided with a refined parameter names the refining pack, its clause, the value in
/// effect, the wider value it replaced and its basis, in every format a person or a machine
/// reads: a 6000 m² mall in Pudong needs a mother-and-baby room only because Pudong's pack
/// lowered Shanghai's 10000 m².
#[test]
fn a_result_decided_with_a_refined_parameter_names_the_refinement_in_every_format() {
    let (loaded, files) = refined_mall();
    let set = &loaded.set;
    let text =
        |format, lang| String::from_utf8(render_refined(format, set, &files, lang)).expect("utf-8");
    let zh_sentence = "参数「须设母婴室的公共场所建筑面积」按 pudong-mother-baby 细化为 5000 平方米(取代 shanghai-2023 的 10000 平方米),依据 shanghai-2023 §59";
    let zh_basis = "理由:浦东新区按建筑面积 5000 平方米以上的商业中心设母婴室理解";
    let zh_covers = "本条是否适用按此值判定,本项目建筑面积 6000 平方米(应 > 5000 平方米)";
    for format in [Format::Human, Format::Plain] {
        let out = text(format, Lang::Zh);
        let flat = out.split_whitespace().collect::<String>();
        for part in [zh_sentence, zh_basis, zh_covers] {
            let part = part.split_whitespace().collect::<String>();
            assert!(flat.contains(&part), "{format:?} names {part}: {out}");
        }
    }
    let plain = text(Format::Plain, Lang::En);
    assert!(
        plain.contains("  refined: parameter “floor area from which a public place needs a mother-and-baby room” refined by pudong-mother-baby to 5000 m² (replacing 10000 m² of shanghai-2023), citing shanghai-2023 §59"),
        "{plain}"
    );
    assert!(
        plain.contains("basis: Pudong reads it as shopping centres over 5000 m² having a mother-and-baby room; whether the clause applies is decided with it: here floor area 6000 m² (required > 5000 m²)"),
        "{plain}"
    );

    // JSON: the finding and the record row, each with the refinement as data.
    let json: serde_json::Value =
        serde_json::from_str(&text(Format::Json, Lang::En)).expect("json");
    let file = &json["files"][0];
    let finding = file["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["rule_id"] == "SH-059a")
        .expect("SH-059a fails");
    let row = file["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|row| row["rule_id"] == "SH-059a")
        .expect("the row of SH-059a");
    for refined in [&finding["refined"][0], &row["refined"][0]] {
        assert_eq!(refined["param"], "mother_baby_room_floor_area");
        assert_eq!(
            refined["label"],
            "floor area from which a public place needs a mother-and-baby room"
        );
        assert_eq!(refined["pack"], "pudong-mother-baby");
        assert_eq!(refined["citation"]["source"], "shanghai-2023");
        assert_eq!(refined["citation"]["clause"], "59");
        assert_eq!(refined["value"], "5000 m²");
        assert_eq!(refined["replaced"], "10000 m²");
        assert_eq!(refined["replaced_pack"], "shanghai-2023");
        assert_eq!(
            refined["basis"],
            "Pudong reads it as shopping centres over 5000 m² having a mother-and-baby room"
        );
        assert_eq!(refined["covers"], true);
        assert_eq!(refined["compared"][0]["stated"], "6000 m²");
        assert_eq!(refined["compared"][0]["required"], "> 5000 m²");
        assert_eq!(refined["compared"][0]["path"], "building.floor_area_m2");
        assert_eq!(refined["compared"][0]["line"], 8);
    }
    // A rule that does not read the parameter names no refinement.
    let other = file["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|row| row["rule_id"] == "SH-059b")
        .expect("the row of SH-059b");
    assert!(other.get("refined").is_none(), "{other}");

    // SARIF: in the result's properties.
    let sarif: serde_json::Value =
        serde_json::from_str(&text(Format::Sarif, Lang::En)).expect("sarif");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|result| result["ruleId"] == "SH-059a")
        .expect("SH-059a in SARIF");
    let refined = &result["properties"]["refined"][0];
    assert_eq!(refined["pack"], "pudong-mother-baby");
    assert_eq!(refined["value"], "5000 m²");
    assert_eq!(refined["replaced"], "10000 m²");
    assert_eq!(refined["citation"]["clause"], "59");

    // Markdown and HTML: the record row names the refining clause and the whole refinement.
    let markdown = text(Format::Markdown, Lang::Zh);
    let row = markdown
        .lines()
        .find(|line| line.contains("`SH-059a`") && line.starts_with('|'))
        .expect("the record row of SH-059a");
    assert!(row.contains("细化:shanghai-2023 §59"), "{row}");
    assert!(
        row.contains(
            "按 pudong-mother-baby 细化为 5000 平方米(取代 shanghai-2023 的 10000 平方米)"
        ),
        "{row}"
    );
    // (Markdown writes `>` as `&gt;`.)
    assert!(row.contains(&zh_covers.replace('>', "&gt;")), "{row}");
    let html = text(Format::Html, Lang::En);
    assert!(
        html.contains(
            "refined by pudong-mother-baby to 5000 m² (replacing 10000 m² of shanghai-2023)"
        ),
        "the HTML report names the refinement"
    );
    // Named by its label, as a person calls it; never by its name in the rules.
    assert!(
        html.contains(
            "parameter “floor area from which a public place needs a mother-and-baby room” refined"
        ),
        "by its label"
    );
    assert!(
        !html.contains("mother_baby_room_floor_area"),
        "not by its name"
    );

    // Word: the compliance row as python-docx reads it.
    let dir = tempfile::tempdir().expect("a directory");
    let docx = dir.path().join("refined.docx");
    std::fs::write(&docx, render_refined(Format::Docx, set, &files, Lang::Zh)).expect("written");
    let runs: String = docx_runs(&docx)
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(_, text)| text))
        .collect::<String>()
        // Break points the Word report adds to long names.
        .replace('\u{200b}', "");
    for part in [
        "细化:shanghai-2023 §59",
        "参数「须设母婴室的公共场所建筑面积」",
        "按 pudong-mother-baby 细化为 5000 平方米(取代 shanghai-2023 的 10000 平方米)",
        zh_covers,
    ] {
        let squeezed_part = squeezed(part);
        assert!(
            squeezed(&runs).contains(&squeezed_part),
            "the Word report names {part}"
        );
    }

    // A smaller mall is not covered, by the refined value: the appendix names it. A park is not
    // covered whatever the value, and names none.
    let others = common::check_with(
        set,
        &[
            PathBuf::from("tests/refined/mall-4000.yaml"),
            PathBuf::from("tests/refined/park-6000.yaml"),
        ],
    );
    let markdown =
        String::from_utf8(render_refined(Format::Markdown, set, &others, Lang::Zh)).expect("utf-8");
    let excluded: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("- `SH-059a`"))
        .collect();
    assert_eq!(excluded.len(), 2, "{markdown}");
    assert!(
        excluded[0].contains("建筑面积为 4000 平方米,本条适用于 &gt; 5000 平方米")
            && excluded[0].contains("按 pudong-mother-baby 细化为 5000 平方米"),
        "{}",
        excluded[0]
    );
    assert!(!excluded[1].contains("细化"), "{}", excluded[1]);

    // Without the refining pack, the same mall is not covered and nothing is named.
    let plain_files = common::check(&[PathBuf::from("tests/refined/mall-6000.yaml")]);
    let json = json_report(&plain_files);
    let row = json["files"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|row| row["rule_id"] == "SH-059a")
        .cloned()
        .expect("the row of SH-059a");
    assert_eq!(row["outcome"], "not_applicable");
    assert!(row.get("refined").is_none(), "{row}");
}

/// A value the file does not state is placed in words when no named thing holds it (the line
/// of the file's first key, or of a `building:` mapping, tells an official nothing), and by the
/// thing and its line when it belongs to one (a facility).
#[test]
fn an_unstated_value_says_where_it_belongs_not_the_line_of_the_first_key() {
    let files = common::check(&[
        PathBuf::from("examples/yz-school.yaml"),
        PathBuf::from("examples/sh-huangpu-park.yaml"),
    ]);
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let row = |rule: &str| {
        markdown
            .lines()
            .find(|line| line.starts_with('|') && line.contains(&format!("`{rule}`")))
            .unwrap_or_else(|| panic!("the row of {rule}"))
            .to_owned()
    };
    assert!(
        row("YZ-009b").contains("| 须有儿童参与 | 未提供(应在文件顶层注明) |"),
        "{}",
        row("YZ-009b")
    );
    assert!(
        row("YZ-036").contains("未提供(应在 building 下注明)"),
        "{}",
        row("YZ-036")
    );
    assert!(
        row("SH-059b").contains("未提供(设施 toilet-1(第三卫生间),第 20 行)"),
        "{}",
        row("SH-059b")
    );
    assert!(
        !markdown.contains("未提供(第 "),
        "a bare line number is gone"
    );
    let html = common::render(Format::Html, &files, Lang::En);
    assert!(html.contains("not stated (belongs at the top level of the file)"));
    assert!(
        html.contains("not stated (belongs under building)"),
        "{html}"
    );
    // The Word table reads the same.
    let dir = tempfile::tempdir().expect("a directory");
    let docx = dir.path().join("opinion.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    let runs: String = docx_runs(&docx)
        .lines()
        .filter_map(|line| line.split_once('\t').map(|(_, text)| text))
        .collect();
    let runs = squeezed(&runs.replace('\u{200b}', ""));
    assert!(runs.contains("未提供(应在文件顶层注明)"), "{runs}");
    assert!(runs.contains("未提供(应在building下注明)"), "{runs}");
    // JSON keeps the line for machines and says the same in words.
    let json = json_report(&files);
    let compared = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|file| file["results"].as_array().expect("results"))
        .find(|row| row["rule_id"] == "YZ-009b")
        .map(|row| row["compared"][0].clone())
        .expect("YZ-009b");
    assert_eq!(compared["belongs"], "belongs at the top level of the file");
}

/// An `any` led by a condition on the element other than its kind (a number, a value in one of
/// its lists) passes over the elements that condition is false for, as one of another kind: the
/// compliance row shows the play area the rule judged, not the trail it never looked for; and
/// with nothing left, the condition once with what the file states.
#[test]
fn a_compliance_row_leaves_out_what_a_numeric_or_in_filter_passes_over() {
    let options = yimi::rules::load::RuleOptions {
        builtin_dir: Some(PathBuf::from("rules")),
        paths: vec![PathBuf::from("tests/passed-over/filters.yimi")],
        ..yimi::rules::load::RuleOptions::default()
    };
    let loaded = yimi::rules::load::load(&options).expect("the pack loads");
    let files = common::check_with(&loaded.set, &[PathBuf::from("tests/passed-over")]);
    let markdown = String::from_utf8(render_refined(
        Format::Markdown,
        &loaded.set,
        &files,
        Lang::Zh,
    ))
    .expect("utf-8");
    let rows = |rule: &str| -> Vec<String> {
        markdown
            .lines()
            .filter(|line| line.starts_with('|') && line.contains(&format!("`{rule}`")))
            .map(str::to_owned)
            .collect()
    };
    let (numeric, listed) = (rows("CHANGCHUN-901"), rows("CHANGCHUN-902"));
    assert_eq!((numeric.len(), listed.len()), (2, 2), "{markdown}");
    // park.yaml: a 50 m² trail and a 150 m² play area of natural materials.
    assert!(
        numeric[0].contains(
            "| 设施特征 含 儿童专用 | 自然材料、自然元素(设施 play-1(儿童活动场地),第 10 行) |"
        ),
        "{}",
        numeric[0]
    );
    assert!(
        listed[0]
            .contains("| 面积 ≥ 200 平方米 | 150 平方米(设施 play-1(儿童活动场地),第 10 行) |"),
        "{}",
        listed[0]
    );
    for row in [&numeric[0], &listed[0]] {
        assert!(!row.contains("trail-1"), "the trail is passed over: {row}");
    }
    // trail-only.yaml: nothing passes the filter, so the filter is the requirement shown.
    assert!(
        numeric[1].contains("| 面积 ≥ 100 平方米 | 50 平方米(设施 trail-1(休闲游步道),第 9 行) |"),
        "{}",
        numeric[1]
    );
    assert!(
        listed[1]
            .contains("| 设施特征 含 自然材料、自然元素 | 无(设施 trail-1(休闲游步道),第 9 行) |"),
        "{}",
        listed[1]
    );
}

/// The text of every paragraph of a Word document (body and table cells) as python-docx reads
/// it, one paragraph a line.
fn docx_paragraphs(docx: &Path) -> String {
    let script = r#"
import sys, docx
document = docx.Document(sys.argv[1])
paragraphs = list(document.paragraphs)
for table in document.tables:
    for row in table.rows:
        for cell in row.cells:
            paragraphs.extend(cell.paragraphs)
for paragraph in paragraphs:
    print(paragraph.text.replace("\n", "\\n"))
"#;
    let output = common::PYTHON_DOCX
        .command()
        .arg("-c")
        .arg(script)
        .arg(docx)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python-docx reads the report: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The blank `yimi init --kind residential` file with only its jurisdiction (CN/SH) filled in,
/// checked.
fn blank_residential(dir: &Path) -> Vec<yimi::engine::checked::CheckedFile> {
    let text = yimi::authoring::template::template("residential", Lang::Zh)
        .expect("a template")
        .replacen("\n  jurisdiction:", "\n  jurisdiction: CN/SH", 1);
    let path = dir.join("blank.yaml");
    std::fs::write(&path, text).expect("written");
    common::check(&[path])
}

/// A YAML name in a finding's headline: a dotted path (`project.major`) or one of the
/// top-level keys a blank file lacks. The place after it (`blank.yaml:12`) is not one.
fn yaml_name_in(headline: &str) -> Option<&'static str> {
    let headline = headline.split("blank.yaml").next().unwrap_or(headline);
    let dotted = headline.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'));
    if dotted.clone().any(|word| {
        word.contains('.')
            && word
                .split('.')
                .all(|part| part.chars().any(|c| c.is_ascii_lowercase()))
    }) {
        return Some("a dotted path");
    }
    ["evidence", "facilities", "participation", "school_gates"]
        .into_iter()
        .find(|key| headline.contains(key))
}

/// The official's Word and HTML reports of a blank file name each missing fact in words in the
/// headline (the YAML path stays in the consultant's edit line), name the force settings in
/// Chinese, and put the advice and the edit on lines of their own.
#[test]
fn an_officials_report_of_a_blank_file_names_facts_and_settings_in_words() {
    let dir = tempfile::tempdir().expect("a directory");
    let files = blank_residential(dir.path());
    let docx = dir.path().join("blank.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    let paragraphs = docx_paragraphs(&docx);
    let headlines: Vec<&str> = paragraphs
        .lines()
        .filter(|line| line.contains("无法判定"))
        .collect();
    assert!(
        headlines.len() > 5,
        "the blank file's findings: {paragraphs}"
    );
    for headline in &headlines {
        assert_eq!(yaml_name_in(headline), None, "Word headline: {headline}");
    }
    assert!(
        paragraphs.contains("项目文件未注明“是否为重大规划、政策或项目”、“在案的证明材料”"),
        "SH-003 names its facts by their labels: {paragraphs}"
    );
    assert!(
        paragraphs.contains("供决策参考\\n项目文件:注明 project.major、evidence"),
        "the edit keeps the path, on a line of its own: {paragraphs}"
    );
    let html = common::render(Format::Html, &files, Lang::Zh);
    let html_headlines: Vec<&str> = html
        .split("<p><strong>")
        .skip(1)
        .filter_map(|note| note.split("</p>").next())
        .filter(|note| note.contains("无法判定"))
        .collect();
    assert_eq!(html_headlines.len(), headlines.len(), "{html}");
    for headline in &html_headlines {
        assert_eq!(yaml_name_in(headline), None, "HTML headline: {headline}");
    }
    assert!(
        html.contains("供决策参考<br>项目文件:注明 <code>project.major</code>"),
        "the edit on a line of its own in HTML"
    );
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    assert!(
        markdown.contains("供决策参考\\\n    项目文件:注明 `project.major`"),
        "a hard line break inside the list item in Markdown: {markdown}"
    );
    for (format, text) in [
        ("Word", &paragraphs),
        ("HTML", &html),
        ("Markdown", &markdown),
    ] {
        for token in ["lapsed", "drafts"] {
            assert!(
                !text.contains(token),
                "`{token}` in the Chinese {format} report"
            );
        }
        assert!(
            text.contains("已期满文件的处理设置"),
            "the setting named in Chinese in {format}"
        );
    }
}

/// A rule met either way (`delivered_with_housing or (not present(…) and …)`) gives the second
/// way as an alternative with its whole condition (the delivery date too), so that a file
/// stating the first cannot read as contradicting the second; JSON says so in a field, not in
/// the words.
#[test]
fn a_compliance_row_gives_the_second_way_to_meet_a_rule_as_an_alternative() {
    // JL-005b: a childcare centre whose date is stated, but neither the housing's date nor whether
    // it is delivered with the housing: the second way (the dates) has a bound the file does not
    // state.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("undated-housing.yaml");
    std::fs::write(
        &file,
        "yimi: 1\nproject:\n  id: T-UNDATED-HOUSING\n  kind: residential\n  jurisdiction: CN/JL\n  \
         new_build: true\npopulation: { residents: 3000 }\nfacilities:\n  \
         - { id: nursery-1, kind: childcare_centre, places: 20, delivery_date: 2028-05-01 }\n",
    )
    .expect("written");
    let files = common::check(&[file]);
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let row = markdown
        .lines()
        .find(|line| line.contains("`JL-005b`"))
        .expect("the row of JL-005b");
    // The bound the file does not state is named and said to be unknown, not 「≤ 未提供(住宅
    // 交付日期 未提供)」.
    assert!(
        row.contains(
            "①是否与住宅同步验收、同步交付使用 是<br>②或:交付使用日期 ≤ 住宅交付日期(未提供,无法比较)<br>"
        ),
        "{row}"
    );
    assert!(!row.contains("≤ 未提供"), "{row}");
    let english = common::render(Format::Markdown, &files, Lang::En);
    let row = english
        .lines()
        .find(|line| line.contains("`JL-005b`"))
        .expect("the row of JL-005b");
    assert!(
        row.contains("②or: Date it is handed over for use: ≤ when the housing is handed over (not stated, so it cannot be compared)<br>"),
        "{row}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, Lang::Zh)).unwrap();
    let compared = json["files"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["rule_id"] == "JL-005b")
        .map(|result| result["compared"].as_array().unwrap().clone())
        .expect("the result of JL-005b");
    let alternatives: Vec<(&str, Option<u64>)> = compared
        .iter()
        .map(|c| (c["required"].as_str().unwrap(), c["alternative"].as_u64()))
        .collect();
    assert!(
        alternatives
            .iter()
            .all(|(required, _)| !required.starts_with("或")),
        "{alternatives:?}"
    );
    assert_eq!(
        alternatives
            .iter()
            .take(2)
            .map(|(_, way)| *way)
            .collect::<Vec<_>>(),
        [None, Some(1)],
        "{alternatives:?}"
    );
}

/// A blank file: a clause that needs something on file says what it requires (须有在案的证明
/// 材料, `must have evidence documents on file`), never 「在案的证明材料 已注明」.
#[test]
fn a_requirement_to_have_something_says_what_the_clause_requires() {
    let dir = std::env::temp_dir().join(format!("yimi-blank-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for jurisdiction in ["CN/SH", "CN/JL"] {
        let template = yimi::authoring::template::template("residential", Lang::Zh)
            .unwrap()
            .replacen(
                "\n  jurisdiction:",
                &format!("\n  jurisdiction: {jurisdiction}"),
                1,
            );
        let path = dir.join(format!("{}.yaml", jurisdiction.replace('/', "-")));
        std::fs::write(&path, template).unwrap();
        files.push(path);
    }
    let checked = common::check(&files);
    for lang in [Lang::Zh, Lang::En] {
        for format in [Format::Markdown, Format::Html, Format::Json] {
            let text = common::render(format, &checked, lang);
            for stale in [
                "已注明 |",
                " 已注明<",
                "\"required\": \"已注明\"",
                ": stated |",
                ": stated<",
                "\"required\": \"stated\"",
            ] {
                assert!(!text.contains(stale), "`{stale}` in {format:?} {lang:?}");
            }
        }
    }
    let zh = common::render(Format::Markdown, &checked, Lang::Zh);
    assert!(zh.contains("| 须有在案的证明材料 |"), "{zh}");
    // A fact about the surroundings is stated, not had: the clause does not want hazards.
    assert!(zh.contains("| 须注明儿童聚集场所周边的风险源 |"), "{zh}");
    let en = common::render(Format::Markdown, &checked, Lang::En);
    assert!(
        en.contains("| must have evidence documents on file |"),
        "{en}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A stated value names its thing once: the report whose title is its kind is not
/// 「儿童影响评价报告(证明材料 儿童影响评价报告(儿童影响评价报告)…)」.
#[test]
fn a_compliance_row_names_the_thing_once() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let row = markdown
        .lines()
        .find(|line| line.contains("`JL-002a`"))
        .expect("the row of JL-002a");
    assert!(
        row.contains("①儿童影响评价报告(证明材料,第 30 行)"),
        "{row}"
    );
    assert!(
        row.contains("②2026-03-01(证明材料 儿童影响评价报告,第 30 行)"),
        "{row}"
    );
}

/// In the HTML report a rule id of the record links to the rule's finding in the same
/// document, when it has one; a rule met has no finding and its id is plain code. Markdown has
/// no anchors: code.
#[test]
fn a_rule_id_in_the_record_links_to_its_finding() {
    let files = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let html = common::render(Format::Html, &files, Lang::Zh);
    assert!(
        html.contains("<a href=\"#project-0-JL-005b\"><code>JL-005b</code></a>"),
        "the link"
    );
    assert_eq!(
        html.matches("id=\"project-0-JL-005b\"").count(),
        1,
        "one anchor, on the finding"
    );
    assert!(html.contains("<div class=\"finding error\" id=\"project-0-JL-005b\">"));
    // JL-002b complies: no finding, no link.
    assert!(html.contains("<br><code>JL-002b</code>"), "an unlinked id");
    assert!(!html.contains("#project-0-JL-002b"));
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    assert!(markdown.contains("<br>`JL-005b` |"), "code in Markdown");
}

/// A submitted value in the record's "stated" cell is shown as the characters it is (H2): a
/// facility id with backticks is neither a code span in HTML or Markdown nor a code run in Word,
/// and its backticks stay, as in the findings list.
#[test]
fn a_submitted_value_in_the_compliance_record_is_shown_as_its_characters() {
    let dir = tempfile::tempdir().expect("a directory");
    let yaml = std::fs::read_to_string("examples/jl-changchun-residential.yaml").expect("read");
    assert!(
        yaml.contains("  - id: nursery-1\n"),
        "the example's facility"
    );
    let project = dir.path().join("ticked.yaml");
    std::fs::write(
        &project,
        yaml.replace("  - id: nursery-1\n", "  - id: \"n`符合`1\"\n"),
    )
    .expect("written");
    let files = common::check(&[project]);
    let html = common::render(Format::Html, &files, Lang::Zh);
    assert!(!html.contains("<code>符合</code>"), "{html}");
    let record = between(&html, "逐条合规记录", "儿童参与情况").expect("the record");
    assert!(
        record.contains("<td>①否(设施 n`符合`1(托育机构、托育点),第 25 行)<br>"),
        "{record}"
    );
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let record = between(&markdown, "逐条合规记录", "儿童参与情况").expect("the record");
    assert!(
        record.contains("| ①否(设施 n\\`符合\\`1(托育机构、托育点),第 25 行)<br>"),
        "escaped, not a code span: {record}"
    );
    assert!(!record.contains("n`符合`1"), "{record}");
    let docx = dir.path().join("ticked.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    // Without the break opportunities the cell's text carries.
    let runs = docx_runs(&docx).replace(['\u{200b}', '\u{2060}'], "");
    assert!(
        !runs.lines().any(|line| line == "Consolas\t符合"),
        "no code run of the submitter's making: {runs}"
    );
    assert!(
        runs.contains("①否(设施 n`符合`1(托育机构、托育点),第 25 行)"),
        "{runs}"
    );
}

/// A result of a source that only advises the project keeps its outcome beside the mark: the
/// official sees which clause is not met (SH-068a: a 12 000 m² park without a play area) and
/// which are undecided, in every format; JSON keeps outcome and flag as data.
#[test]
fn an_advisory_result_says_its_outcome_in_every_format() {
    let files = common::check(&[PathBuf::from("examples/sh-huangpu-park.yaml")]);
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    assert!(
        markdown.contains("不符合 1,证据不足 3"),
        "the counts: {markdown}"
    );
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("| shanghai-2023 §"))
        .collect();
    assert_eq!(rows.len(), 4, "{markdown}");
    let failed: Vec<&&str> = rows
        .iter()
        .filter(|row| row.contains("| 不符合(仅供参考) |"))
        .collect();
    assert_eq!(failed.len(), 1, "{rows:#?}");
    assert!(
        failed.iter().all(|row| row.contains("SH-068a")),
        "{failed:?}"
    );
    assert_eq!(
        rows.iter()
            .filter(|row| row.contains("| 证据不足(仅供参考) |"))
            .count(),
        3,
        "{rows:#?}"
    );
    let html = common::render(Format::Html, &files, Lang::En);
    assert!(
        html.contains("<span class=\"tag result-fail advisory\">does not comply (advisory)</span>"),
        "{html}"
    );
    assert_eq!(
        html.matches("<span class=\"tag result-insufficient_evidence advisory\">insufficient evidence (advisory)</span>").count(),
        3
    );
    let dir = tempfile::tempdir().expect("a directory");
    let docx = dir.path().join("park.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    let paragraphs = docx_paragraphs(&docx);
    assert_eq!(
        paragraphs
            .lines()
            .filter(|line| *line == "不符合(仅供参考)")
            .count(),
        1,
        "{paragraphs}"
    );
    assert_eq!(
        paragraphs
            .lines()
            .filter(|line| *line == "证据不足(仅供参考)")
            .count(),
        3,
        "{paragraphs}"
    );
    let json = json_report(&files);
    let results = json["files"][0]["results"].as_array().expect("results");
    let rule = results
        .iter()
        .find(|result| result["rule_id"] == "SH-068a")
        .expect("SH-068a");
    assert_eq!(rule["outcome"], "fail");
    assert_eq!(rule["advisory"], true);
    assert_eq!(rule["result"], "does not comply (advisory)");
    // A clause that does not apply is not advice on anything.
    let not_applicable = results
        .iter()
        .find(|result| result["outcome"] == "not_applicable")
        .expect("a clause that does not apply");
    assert_eq!(not_applicable["result"], "not applicable");
    // A binding source says its outcome alone.
    let binding = common::check(&[PathBuf::from("examples/jl-changchun-residential.yaml")]);
    let markdown = common::render(Format::Markdown, &binding, Lang::Zh);
    assert!(markdown.contains("| 不符合 |") && !markdown.contains("仅供参考) |"));
}

/// The missing evidence of a blank file is one line per fact, named by its label, with the
/// rules that need it after it and the YAML path last, in every format; not a path per rule.
#[test]
fn missing_evidence_is_one_line_per_fact_named_in_words() {
    let dir = tempfile::tempdir().expect("a directory");
    let files = blank_residential(dir.path());
    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let section = between(&markdown, "### 需补充的材料", "### 已适用的豁免").expect("the section");
    let items: Vec<&str> = section
        .lines()
        .filter(|line| line.starts_with("- "))
        .collect();
    assert!(items.len() > 3, "{section}");
    for item in &items {
        assert!(!item.starts_with("- `"), "a path leads: {item}");
        assert_eq!(item.matches('`').count(), 2, "one path, last: {item}");
        assert!(item.ends_with('`'), "the path last: {item}");
    }
    let facilities: Vec<&&str> = items
        .iter()
        .filter(|item| item.ends_with(" · `facilities`"))
        .collect();
    assert_eq!(facilities.len(), 1, "{section}");
    assert!(
        facilities[0].starts_with("- 项目提供的设施 — SH-")
            && facilities[0].matches("SH-").count() > 3,
        "{facilities:?}"
    );
    let html = common::render(Format::Html, &files, Lang::En);
    let section = between(&html, "<ul class=\"missing\">", "</ul>").expect("the list");
    assert_eq!(
        section.matches("<code>facilities</code>").count(),
        1,
        "{section}"
    );
    assert!(
        section.contains("<li>Facilities the project provides — SH-"),
        "{section}"
    );
    let docx = dir.path().join("blank.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    let paragraphs = docx_paragraphs(&docx);
    assert_eq!(
        paragraphs
            .lines()
            .filter(|line| line.ends_with(" · facilities"))
            .count(),
        1,
        "{paragraphs}"
    );
}

/// A rule that held only because there was nothing to check is counted in its own column of
/// the outcomes by domain, not under pass, in every format that counts them: the Markdown and
/// HTML tables, the HTML chart (a bar and a legend entry of its own) and the Word table.
#[test]
fn a_pass_with_nothing_to_check_is_counted_apart_in_the_outcomes_by_domain() {
    let files = common::check(&[PathBuf::from(
        "tests/fixtures/projects/nothing-to-check.yaml",
    )]);
    let json = json_report(&files);
    let counts = &json["files"][0]["counts"];
    assert_eq!(
        (counts["pass"].as_u64(), counts["vacuous"].as_u64()),
        (Some(1), Some(2))
    );

    let markdown = common::render(Format::Markdown, &files, Lang::Zh);
    let table = between(&markdown, "### 各领域结果", "###").expect("the table");
    assert!(
        table.contains("| 领域 | 不符合 | 证据不足 | 已豁免 | 符合 | 无可检查 | 不适用 |"),
        "{table}"
    );
    // The columns add up to the file's counts: a vacuous pass is in one column, not two.
    let mut sums = [0_u64; 6];
    for row in table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| 领域"))
    {
        let cells: Vec<u64> = row
            .split('|')
            .filter_map(|cell| cell.trim().parse().ok())
            .collect();
        assert_eq!(cells.len(), 6, "{row}");
        for (sum, cell) in sums.iter_mut().zip(cells) {
            *sum += cell;
        }
    }
    assert_eq!(
        sums,
        [
            "fail",
            "insufficient_evidence",
            "waived",
            "pass",
            "vacuous",
            "not_applicable"
        ]
        .map(|key| counts[key].as_u64().unwrap_or(u64::MAX)),
        "{table}"
    );
    assert!(
        table.contains("| 公共服务 | 0 | 0 | 0 | 1 | 2 | 10 |"),
        "{table}"
    );

    let html = common::render(Format::Html, &files, Lang::En);
    let chart = between(&html, "<svg class=\"domain-chart\"", "</svg>").expect("the chart");
    assert_eq!(
        chart.matches("class=\"bar-nothing_to_check\"").count(),
        1,
        "one domain holds the two: {chart}"
    );
    assert!(
        chart.contains("<title>nothing to check: 2</title>"),
        "{chart}"
    );
    assert!(chart.contains("<title>pass: 1</title>"), "{chart}");
    assert!(
        chart.contains(">nothing to check</text>"),
        "the legend: {chart}"
    );
    assert!(
        html.contains("<th>nothing to check</th>"),
        "the table's head"
    );

    let dir = tempfile::tempdir().expect("a directory");
    let docx = dir.path().join("nothing.docx");
    std::fs::write(&docx, common::render_bytes(Format::Docx, &files, Lang::Zh)).expect("written");
    let paragraphs = docx_paragraphs(&docx);
    let lines: Vec<&str> = paragraphs.lines().collect();
    assert!(
        lines.windows(7).any(|row| row
            == [
                "领域",
                "不符合",
                "证据不足",
                "已豁免",
                "符合",
                "无可检查",
                "不适用"
            ]),
        "{paragraphs}"
    );
    assert!(
        lines
            .windows(7)
            .any(|row| row == ["公共服务", "0", "0", "0", "1", "2", "10"]),
        "{paragraphs}"
    );
}

/// The result column of the compliance record in Word is wide enough for an advisory result on
/// at most two lines, as LibreOffice sets it: each row's result starts on the row's first line
/// (「证据不足」 whole, not 「证据」 over 「不足」) and ends on its second (「参考)」), where it
/// took four lines of two characters.
#[test]
fn an_advisory_result_in_the_word_record_takes_at_most_two_lines() {
    let files = common::check(&[PathBuf::from("examples/sh-huangpu-park.yaml")]);
    let dir = tempfile::tempdir().expect("a directory");
    let (_, pdf) = docx_and_pdf(&files, dir.path());
    let text = common::PDFTOTEXT
        .command()
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    // A page's first line starts with a form feed.
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.trim_start_matches('\u{c}'))
        .collect();
    let mut rows = 0;
    for (at, line) in lines.iter().enumerate() {
        if !line.starts_with("shanghai-2023 §") {
            continue;
        }
        rows += 1;
        let start = ["证据不足", "不符合"]
            .into_iter()
            .find(|start| line.contains(start))
            .unwrap_or_else(|| panic!("the result starts on the row's first line: {line}"));
        let second = lines.get(at + 1).copied().unwrap_or_default();
        assert!(
            line.contains("参考)") || second.contains("参考)"),
            "{start}… ends by the row's second line:\n{line}\n{second}"
        );
    }
    assert_eq!(rows, 4, "{text}");
}
