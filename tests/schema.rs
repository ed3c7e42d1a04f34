//! The committed JSON Schema is the one the model generates, and the third-party validator
//! `check-jsonschema` accepts it and every shipped project file.

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
