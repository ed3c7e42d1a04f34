//! The committed JSON Schemas are the ones the code generates, and the third-party validator
//! `check-jsonschema` accepts them: the project schema every shipped project file, the report
//! schema the JSON reports yimi writes of them (every field the writer can emit exercised).

mod common;

const COMMITTED: &str = "schema/project.schema.json";

#[test]
fn the_committed_schema_is_up_to_date() {
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(yimi::project::types::project_schema()).expect("serialisable")
    );
    let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
    assert!(
        committed == generated,
        "{COMMITTED} is stale: regenerate it with `cargo run -- schema -o {COMMITTED}` and commit it"
    );
}

fn check_jsonschema(args: &[&str]) -> std::process::Output {
    common::CHECK_JSONSCHEMA
        .command()
        .args(args)
        .output()
        .expect("check-jsonschema runs")
}

#[test]
fn the_schema_is_valid_against_its_metaschema() {
    let output = check_jsonschema(&["--check-metaschema", COMMITTED]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn every_example_and_rule_fixture_validates_against_the_schema() {
    let mut files: Vec<String> = Vec::new();
    for dir in ["examples", "rules/tests"] {
        let mut pending = vec![std::path::PathBuf::from(dir)];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|ext| ext == "yaml") {
                    files.push(path.display().to_string());
                }
            }
        }
    }
    files.sort();
    assert!(files.len() > 40, "{files:?}");
    let mut args = vec!["--schemafile", COMMITTED];
    args.extend(files.iter().map(String::as_str));
    let output = check_jsonschema(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_validator_rejects_what_yimi_rejects() {
    // A check that cannot fail proves nothing: the schema must refuse a bad file.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "yimi: 1\nproject: {id: x, kind: prak}\nsite: {area_m2: -3}\n",
    )
    .expect("written");
    let output = check_jsonschema(&["--schemafile", COMMITTED, bad.to_str().expect("utf-8")]);
    assert!(!output.status.success());
}

const REPORT_SCHEMA: &str = "schema/report.schema.json";

#[test]
fn the_committed_report_schema_is_up_to_date() {
    let generated = yimi::report::json::schema_text();
    let committed = std::fs::read_to_string(REPORT_SCHEMA).unwrap_or_default();
    assert!(
        committed == generated,
        "{REPORT_SCHEMA} is stale: regenerate it with `cargo run -- schema --report -o {REPORT_SCHEMA}` and commit it"
    );
    // What `yimi schema --report` prints is the committed file.
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args(["schema", "--report"])
        .output()
        .expect("yimi runs");
    assert!(printed.status.success());
    assert!(printed.stdout == generated.as_bytes());
}

#[test]
fn the_report_schema_is_valid_against_its_metaschema() {
    let output = check_jsonschema(&["--check-metaschema", REPORT_SCHEMA]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Runs `yimi check … --format json -o OUT` on `paths` and returns the report's text. The exit
/// code says what was found (1) or that a file is invalid (2); either way the report is written.
fn json_report(out: &std::path::Path, paths: &[&str], extra: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
        .arg("check")
        .args(paths)
        .args(["--format", "json", "--as-of", "2025-06-30", "-o"])
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("yimi runs");
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{paths:?} {extra:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(out).expect("the report is written")
}

fn yaml_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    files
}

/// A copy of an example whose play areas state no age groups: one undecided finding with more
/// missing keys than a report lists, so `missing_more` is written.
fn many_play_areas(dir: &std::path::Path, areas: usize) -> String {
    let example = std::fs::read_to_string("examples/sy-riverside-public-space.yaml")
        .expect("the example is readable");
    let head = example
        .split("facilities:")
        .next()
        .expect("the example lists facilities");
    let mut text = format!("{}\nfacilities:\n", head.trim_end_matches('\n'));
    for index in 0..areas {
        text.push_str(&format!("  - {{ id: p{index}, kind: play_area }}\n"));
    }
    let path = dir.join("many-play-areas.yaml");
    std::fs::write(&path, text).expect("written");
    path.display().to_string()
}

/// The JSON reports of every example (one file and many, in both languages, with and without a
/// baseline), of the project fixtures (waivers, invalid files), of the refinement fixtures and
/// of a file with more missing keys than are listed validate against the committed schema —
/// which refuses unknown fields, so a field the writer gains without the schema fails here.
#[test]
fn every_json_report_validates_against_the_report_schema() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = |name: &str| dir.path().join(name);
    let examples = yaml_files("examples");
    assert!(examples.len() > 15, "{examples:?}");
    let all: Vec<&str> = examples.iter().map(String::as_str).collect();
    let mut reports = Vec::new();
    let mut texts = String::new();
    let mut run = |name: &str, paths: &[&str], extra: &[&str]| {
        texts.push_str(&json_report(&out(name), paths, extra));
        reports.push(out(name).display().to_string());
    };
    run("examples-zh.json", &all, &[]);
    run("examples-en.json", &all, &["--lang", "en"]);
    let baseline = out("examples-zh.json").display().to_string();
    run("examples-baseline.json", &all, &["--baseline", &baseline]);
    for (index, example) in all.iter().enumerate() {
        let lang = if index % 2 == 0 { "en" } else { "zh" };
        run(
            &format!("example-{index}.json"),
            &[example],
            &["--lang", lang],
        );
    }
    let fixtures = yaml_files("tests/fixtures/projects");
    let fixtures: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    run("fixtures.json", &fixtures, &["--lang", "en"]);
    let refined = yaml_files("tests/refined");
    let refined: Vec<&str> = refined.iter().map(String::as_str).collect();
    run(
        "refined.json",
        &refined,
        &["--rules", "tests/refined/pudong-mother-baby.yimi"],
    );
    let many = many_play_areas(dir.path(), 30);
    run("many-missing.json", &[&many], &["--lang", "en"]);

    // Each optional field and each shape the schema describes is exercised, so that validating
    // proves its schema right rather than passing for want of it.
    for written in [
        "\"missing_more\": 10",
        "\"refined\": [",
        "\"belongs\": \"",
        "\"baseline\": \"existing\"",
        "\"against_baseline\": {",
        "\"waiver\": {",
        "\"kind\": \"file\"",
        "\"status\": \"invalid\"",
        "\"verdict_note\": \"",
        "\"verdict_basis\": {",
        "\"advisory\": true",
        "\"judged_at\": {",
        "\"lang\": \"en\"",
        "\"lang\": \"zh\"",
    ] {
        assert!(texts.contains(written), "no report writes {written}");
    }

    let mut args = vec!["--schemafile", REPORT_SCHEMA];
    args.extend(reports.iter().map(String::as_str));
    let output = check_jsonschema(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_report_schema_refuses_a_field_it_does_not_describe() {
    // A check that cannot fail proves nothing: a finding with one field more, or an outcome the
    // schema does not list, is refused.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = json_report(
        &dir.path().join("report.json"),
        &["examples/sh-huangpu-park.yaml"],
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let accepted = dir.path().join("accepted.json");
    std::fs::write(&accepted, &text).expect("written");
    let mut added = report.clone();
    added["files"][0]["findings"][0]["surprise"] = serde_json::json!(1);
    let mut renamed = report.clone();
    renamed["files"][0]["findings"][0]["outcome"] = serde_json::json!("failed");
    let mut summed = report;
    summed["summary"]["skipped"] = serde_json::json!(0);
    for (name, bad) in [("added", added), ("renamed", renamed), ("summed", summed)] {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, bad.to_string()).expect("written");
        let output =
            check_jsonschema(&["--schemafile", REPORT_SCHEMA, path.to_str().expect("utf-8")]);
        assert!(!output.status.success(), "{name} was accepted");
    }
    let output = check_jsonschema(&[
        "--schemafile",
        REPORT_SCHEMA,
        accepted.to_str().expect("utf-8"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
