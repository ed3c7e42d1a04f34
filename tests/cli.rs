//! The command line as a new user meets it: exit codes, formats, flags.

use std::process::{Command, Output};

/// Runs yimi. A `check` without a date is judged at 2025-06-30, when every built-in source was
/// issued and none had reached the end of its period, so that these tests do not depend on the
/// clock; tests of law in time give their own `--as-of`.
fn yimi(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yimi"));
    command.args(args).env("NO_COLOR", "1");
    if args.first() == Some(&"check")
        && !args
            .iter()
            .any(|arg| *arg == "--as-of" || *arg == "--today")
    {
        command.args(["--as-of", "2025-06-30"]);
    }
    command.output().expect("yimi runs")
}

/// Runs yimi in `dir` with exactly `args` (no date is added), as from a shell in that folder.
fn yimi_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .expect("yimi runs")
}

/// A day of the check after every decision date the tests of plans' periods write: a decision
/// date after the day of the check is a planned date and not judged at (hostile review 14 H10).
const LATER: &str = "2030-01-01";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn checking_the_examples_finds_errors_and_exits_1() {
    let output = yimi(&["check", "examples/", "--as-of", "2026-11-23"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("JL-005a"), "{text}");
    assert!(text.contains("依据:jilin-2022 §5"), "{text}");
    assert!(
        text.contains("examples/jl-changchun-residential.yaml:20:1"),
        "{text}"
    );
}

#[test]
fn fail_on_never_exits_0_and_fail_on_warning_counts_warnings() {
    assert_eq!(
        yimi(&["check", "examples/", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    // Only a warning (a should-rule fails) in this file:
    assert_eq!(
        yimi(&["check", "examples/sh-huangpu-park.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        yimi(&[
            "check",
            "examples/sh-huangpu-park.yaml",
            "--fail-on",
            "warning"
        ])
        .status
        .code(),
        Some(1)
    );
    // Only advice:
    assert_eq!(
        yimi(&[
            "check",
            "examples/yz-jiefangbei-commercial.yaml",
            "--fail-on",
            "warning"
        ])
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        yimi(&[
            "check",
            "examples/yz-jiefangbei-commercial.yaml",
            "--fail-on",
            "advice"
        ])
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn strict_evidence_makes_missing_evidence_for_shall_rules_an_error() {
    // JL-005a (shall) cannot be decided: the district's population is not stated.
    let file = "rules/tests/JL-005a/missing.yaml";
    assert_eq!(yimi(&["check", file]).status.code(), Some(0));
    assert_eq!(
        yimi(&["check", file, "--strict-evidence"]).status.code(),
        Some(1)
    );
}

#[test]
fn a_yaml_syntax_error_exits_2_with_line_and_column() {
    let output = yimi(&[
        "check",
        "tests/fixtures/projects/syntax-unclosed-quote.yaml",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).starts_with(
            "tests/fixtures/projects/syntax-unclosed-quote.yaml:4:9: error[yaml::syntax]"
        ),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_misspelled_key_is_a_warning_naming_the_right_key() {
    let output = yimi(&[
        "check",
        "tests/fixtures/projects/unknown-key-polulation.yaml",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("warning[project::unknown-key]: unknown key `polulation` is ignored"),
        "{text}"
    );
    assert!(text.contains("help: did you mean `population`?"), "{text}");
}

#[test]
fn a_park_without_its_area_gets_insufficient_evidence_naming_the_area() {
    let output = yimi(&[
        "check",
        "tests/fixtures/projects/park-missing-area.yaml",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let findings = &report["files"][0]["findings"];
    let park = findings
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "SH-068a")
        .expect("SH-068a is reported");
    assert_eq!(park["outcome"], "insufficient_evidence");
    assert_eq!(park["missing"][0]["path"], "site.area_m2");
    let results = report["files"][0]["results"].as_array().expect("results");
    assert!(
        !results
            .iter()
            .any(|r| r["rule_id"] == "SH-068a" && r["outcome"] == "pass"),
        "never a pass"
    );
}

#[test]
fn a_rule_file_with_an_unknown_path_fails_to_load() {
    let output = yimi(&[
        "check",
        "examples/sh-huangpu-park.yaml",
        "--rules",
        "tests/fixtures/rules/unknown-path.yimi",
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("`site.area` is not in the project model"),
        "{text}"
    );
    assert!(text.contains("did you mean `site.area_m2`?"), "{text}");
    let output = yimi(&[
        "check",
        "examples/sh-huangpu-park.yaml",
        "--rules",
        "tests/fixtures/rules/unit-mismatch.yimi",
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "unit mismatch: `site.area_m2` is area (m²), `3000 persons` is number of persons"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_local_pack_refines_a_parameter_for_its_jurisdiction_only() {
    // 12000 residents in Changchun: 4.5 per 1000 needs 54 places, the local 5 per 1000 needs 60.
    let changchun = yimi(&[
        "check",
        "examples/jl-changchun-residential.yaml",
        "--rules",
        "tests/fixtures/rules/changchun-local.yimi",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    assert!(
        stdout(&changchun)
            .contains("60 places needed for 12000 persons at 5 places per 1000 people"),
        "{}",
        stdout(&changchun)
    );
    let jilin_city = yimi(&[
        "check",
        "examples/jl-changchun-residential.yaml",
        "--jurisdiction",
        "CN/JL/Jilin",
        "--rules",
        "tests/fixtures/rules/changchun-local.yimi",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    assert!(
        stdout(&jilin_city)
            .contains("54 places needed for 12000 persons at 4.5 places per 1000 people"),
        "{}",
        stdout(&jilin_city)
    );
}

#[test]
fn packs_are_chosen_by_jurisdiction_and_the_flag_overrides_it() {
    let output = yimi(&[
        "check",
        "examples/jl-changchun-residential.yaml",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        report["files"][0]["packs"],
        serde_json::json!(["jilin-2022"])
    );
    let output = yimi(&[
        "check",
        "examples/jl-changchun-residential.yaml",
        "--format",
        "json",
        "--jurisdiction",
        "CN/SH/Pudong",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        report["files"][0]["packs"],
        serde_json::json!(["shanghai-2023"])
    );
    assert_eq!(
        yimi(&["check", "examples/", "--jurisdiction", "SH"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn no_builtin_with_no_rules_cannot_check_anything() {
    let output = yimi(&["check", "examples/sh-huangpu-park.yaml", "--no-builtin"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("project::no-pack"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn english_output_translates_the_tool_and_the_rules() {
    let output = yimi(&["check", "examples/yz-school.yaml", "--lang", "en"]);
    let text = stdout(&output);
    assert!(text.contains("fail: changes needed"), "{text}");
    assert!(
        text.contains("disabled students enrolled: 6 persons"),
        "{text}"
    );
}

#[test]
fn output_is_the_same_whatever_the_order_of_the_arguments() {
    let a = yimi(&[
        "check",
        "examples/yz-school.yaml",
        "examples/sh-huangpu-park.yaml",
        "--format",
        "json",
    ]);
    let b = yimi(&[
        "check",
        "examples/sh-huangpu-park.yaml",
        "examples/yz-school.yaml",
        "examples/yz-school.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn colour_follows_the_flag() {
    let plain = yimi(&["check", "examples/yz-school.yaml", "--color", "never"]);
    assert!(!stdout(&plain).contains('\u{1b}'));
    let coloured = yimi(&["check", "examples/yz-school.yaml", "--color", "always"]);
    assert!(stdout(&coloured).contains('\u{1b}'));
}

#[test]
fn report_is_written_to_a_file_but_never_over_an_input() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("report.json");
    let output = yimi(&[
        "check",
        "examples/yz-school.yaml",
        "--format",
        "json",
        "-o",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("json");
    assert_eq!(written["files"][0]["verdict"], "fail");
    let input = dir.path().join("p.yaml");
    std::fs::copy("examples/yz-school.yaml", &input).expect("copied");
    let before = std::fs::read(&input).expect("read");
    let output = yimi(&[
        "check",
        input.to_str().expect("utf-8"),
        "-o",
        input.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("refusing to overwrite"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(&input).expect("read"),
        before,
        "the input is untouched"
    );
}

#[test]
fn schema_init_explain_and_rules_commands_work() {
    let schema = yimi(&["schema"]);
    assert_eq!(schema.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("json schema");
    assert_eq!(schema["title"], "yimi project file, format version 1");
    let explain = yimi(&["explain", "SH-068a"]);
    let text = stdout(&explain);
    assert!(
        text.contains("【3000平方米以上的公园绿地优先满足儿童活动需求】"),
        "{text}"
    );
    assert!(
        text.contains("适用     project.kind == park and site.area_m2 >= 3000 m2"),
        "{text}"
    );
    // An unknown id is refused in the language asked for (zh by default), with the id it may
    // have meant and the command that lists them.
    let unknown = yimi(&["explain", "SH-68a"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "错误: 没有编号为 `SH-68a` 的规则或指标(是否想写 `SH-068a`?);`yimi rules list` 列出全部规则编号\n"
    );
    let unknown = yimi(&["explain", "SH-68a", "--lang", "en"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "error: no rule or target `SH-68a` (did you mean `SH-068a`?); `yimi rules list` lists the rule ids\n"
    );
    let nothing_near = yimi(&["explain", "nothing-like-a-rule-id"]);
    assert_eq!(nothing_near.status.code(), Some(2));
    assert!(
        stderr(&nothing_near).contains("`yimi rules list`")
            && !stderr(&nothing_near).contains("是否想写"),
        "{}",
        stderr(&nothing_near)
    );
    // Ids are read off printed reports: a case slip finds the one rule it can mean.
    let folded = yimi(&["explain", "sh-068A"]);
    assert!(folded.status.success(), "{}", stderr(&folded));
    assert_eq!(stdout(&folded), stdout(&explain));
    let list = yimi(&["rules", "list", "--source", "yuzhong-2024"]);
    let text = stdout(&list);
    assert!(text.lines().all(|line| line.starts_with("YZ-")), "{text}");
    assert!(yimi(&["rules", "lint"]).status.success());
    let test = yimi(&["rules", "test"]);
    assert!(test.status.success(), "{}", stdout(&test));
    assert!(
        stdout(&test).contains("test result: ok."),
        "{}",
        stdout(&test)
    );
    assert_eq!(yimi(&["init", "--kind", "prak"]).status.code(), Some(2));
    let completions = yimi(&["completions", "bash"]);
    assert!(stdout(&completions).contains("yimi"));
}

#[test]
fn a_failing_rule_test_makes_rules_test_exit_1() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("p.yaml"), "yimi: 1\nproject: {id: t, kind: park, jurisdiction: CN/SH}\nsite: {area_m2: 5000}\nfacilities: []\n").expect("fixture");
    std::fs::write(
        dir.path().join("local.yimi"),
        "pack local {\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}\n\nrule LOCAL-1 \"t\" {\n  domain space\n  strength should\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n  require any(facilities, f => f.kind == play_area)\n  test pass \"p.yaml\"\n}\n",
    )
    .expect("rule file");
    let output = yimi(&["rules", "test", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("FAILED: 应为 pass,实际为 fail"),
        "{}",
        stdout(&output)
    );
}

/// `tests/refine` copied into a temporary directory with `edit` applied to its pack.
fn refine_pack_with(edit: impl Fn(String) -> String) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("fixtures")).expect("a directory");
    for fixture in ["enough", "between", "missing"] {
        std::fs::copy(
            format!("tests/refine/fixtures/{fixture}.yaml"),
            dir.path().join(format!("fixtures/{fixture}.yaml")),
        )
        .expect("copied");
    }
    let pack = std::fs::read_to_string("tests/refine/changchun-refined.yimi").expect("the pack");
    let edited = edit(pack.clone());
    assert_ne!(edited, pack, "the edit applies");
    std::fs::write(dir.path().join("changchun-refined.yimi"), edited).expect("written");
    let shown = dir.path().to_str().expect("utf-8").to_owned();
    (dir, shown)
}

/// A refinement's fixtures are evaluated by the rule reading the parameter with the refinement in
/// effect: 48 places for 10 000 residents pass Jilin's 4.5 per 1000 and fail Changchun's 5.
#[test]
fn a_refinement_s_tests_run_with_the_refinement_in_effect() {
    let output = yimi(&["rules", "test", "tests/refine", "--lang", "en"]);
    assert!(output.status.success(), "{}", stdout(&output));
    let text = stdout(&output);
    for line in [
        "test JL-005a (refine childcare_places_per_1000) pass fixtures/enough.yaml ... ok\n",
        "test JL-005a (refine childcare_places_per_1000) fail fixtures/between.yaml ... ok\n",
        "test JL-005a (refine childcare_places_per_1000) insufficient_evidence fixtures/missing.yaml ... ok\n",
        "test result: ok. 3 passed; 0 failed\n",
    ] {
        assert!(text.contains(line), "{line}in\n{text}");
    }
    // Without the refinement the same fixture passes: the test depends on it.
    let (_dir, pack) =
        refine_pack_with(|text| text.replace("at_least 5 places", "at_least 4.5 places"));
    let unrefined = yimi(&["rules", "test", &pack, "--lang", "en"]);
    assert_eq!(unrefined.status.code(), Some(1), "{}", stdout(&unrefined));
    assert!(
        stdout(&unrefined)
            .contains("fail fixtures/between.yaml ... FAILED: expected fail, got pass\n"),
        "{}",
        stdout(&unrefined)
    );
}

/// A refinement's fixture that does not give the outcome written makes `rules test` exit 1, and
/// the message says where the test is written.
#[test]
fn a_failing_refinement_test_makes_rules_test_exit_1_with_its_place() {
    let (_dir, pack) = refine_pack_with(|text| {
        text.replace(
            "test fail \"fixtures/between.yaml\"",
            "test pass \"fixtures/between.yaml\"",
        )
    });
    let output = yimi(&["rules", "test", &pack, "--lang", "en"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let expected = format!(
        "test JL-005a (refine childcare_places_per_1000) pass fixtures/between.yaml ... FAILED: expected pass, got fail\n  --> {pack}/changchun-refined.yimi:16:3\n"
    );
    assert!(
        stdout(&output).contains(&expected),
        "{expected}in\n{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("test result: FAILED. 2 passed; 1 failed"));
}

/// A refinement's test names a rule that reads the parameter, or there must be only one.
#[test]
fn a_refinement_test_must_name_a_rule_that_reads_the_parameter() {
    let (_dir, pack) = refine_pack_with(|text| {
        text.replace("test JL-005a insufficient", "test JL-005b insufficient")
    });
    let output = yimi(&["rules", "test", &pack, "--lang", "en"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("rules::refine-test-rule"), "{text}");
    assert!(
        text.contains("rule `JL-005b` does not read `param.childcare_places_per_1000`"),
        "{text}"
    );
    assert!(text.contains("changchun-refined.yimi:17:8]"), "{text}");
    assert!(text.contains("did you mean `JL-005a`?"), "{text}");
}

/// The words of a rendered diagnostic, wrapped lines and their gutter joined.
fn words(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

/// `rules lint` asks a refinement for a passing and a failing test, and for a failing fixture
/// that the wider value passes: one that fails either way shows nothing of the refinement.
#[test]
fn lint_asks_a_refinement_for_a_fixture_that_shows_what_it_changes() {
    let lint = |pack: &str| {
        let output = yimi(&["rules", "lint", pack, "--lang", "en"]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let clean = lint("tests/refine");
    assert!(clean.contains("no errors, 0 warnings"), "{clean}");
    let (_dir, pack) =
        refine_pack_with(|text| text.replace("  test fail \"fixtures/between.yaml\"\n", ""));
    let text = lint(&pack);
    assert!(
        text.contains("the refinement of `childcare_places_per_1000` has no fail test"),
        "{text}"
    );
    let (dir, pack) =
        refine_pack_with(|text| text.replace("fixtures/between.yaml", "fixtures/short.yaml"));
    let between = std::fs::read_to_string("tests/refine/fixtures/between.yaml").expect("fixture");
    std::fs::write(
        dir.path().join("fixtures/short.yaml"),
        between.replace("places: 48", "places: 10"),
    )
    .expect("written");
    let text = lint(&pack);
    assert!(
        text.contains("every failing test of the refinement of `childcare_places_per_1000` fails at the wider value"),
        "{text}"
    );
    assert!(text.contains("of 4.5 places per 1000 people too"), "{text}");
    // The parameter is read by a `require`: a fixture between the values passes at the wider one.
    assert!(
        words(&text).contains("which should pass at the wider value and fail at the refined one"),
        "{text}"
    );
    assert!(text.contains("1 warning"), "{text}");
}

/// A refinement of a parameter read in `applies` is asked for a failing fixture that is not
/// applicable at the wider value: it cannot pass there.
#[test]
fn lint_words_a_refinement_hint_by_the_outcome_at_the_wider_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("pass.yaml"),
        "yimi: 1\nproject: {id: t, kind: commercial, jurisdiction: CN/SH/Pudong}\nbuilding: {floor_area_m2: 9000, daily_visitors: 100}\nfacilities: [{kind: mother_baby_room}]\n",
    )
    .expect("fixture");
    let pack = dir.path().join("local.yimi");
    std::fs::write(
        &pack,
        "pack local {\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}\n\nrefine mother_baby_room_floor_area {\n  value at_most 5000 m2\n  cite  shanghai-2023 §59 \"加强公共场所母婴室\"\n  test pass \"pass.yaml\"\n}\n",
    )
    .expect("pack");
    let output = yimi(&[
        "rules",
        "lint",
        pack.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    let text = stdout(&output) + &stderr(&output);
    assert!(
        text.contains("the refinement of `mother_baby_room_floor_area` has no fail test"),
        "{text}"
    );
    assert!(
        words(&text).contains(
            "the failing fixture should not apply at the wider value and fail at the refined one"
        ),
        "{text}"
    );
    assert!(
        !words(&text).contains("should pass at the wider value"),
        "{text}"
    );
}

/// Hostile review 16 Y7: a divisor of a local pack's rule that a more local pack's refinement
/// makes zero (`at_most 0`) is refused when the packs load, at the divisor, naming the value: it
/// left the rule undecided "for want of" no key in every file of the refining jurisdiction.
#[test]
fn a_divisor_a_refinement_makes_zero_is_refused_when_the_packs_load() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("a-city.yimi"),
        "pack city {\n  source shanghai-2023\n  jurisdiction CN/SH\n  version \"1\"\n}\n\nparam share_cap {\n  label \"上限\" en \"cap\"\n  value at_most 5 %\n  cite  shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n}\n\nrule CITY-1 \"公园绿地设置儿童活动场地\" {\n  domain   space\n  strength should\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  site.area_m2 / (param.share_cap * 2) > 1 m2\n}\n",
    )
    .expect("pack");
    std::fs::write(
        dir.path().join("b-district.yimi"),
        "pack district {\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n  version \"1\"\n}\n\nrefine share_cap {\n  value at_most 0 %\n  cite  shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n}\n",
    )
    .expect("pack");
    let output = yimi(&[
        "rules",
        "lint",
        dir.path().to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    let text = stdout(&output) + &stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("rules::division-by-zero"), "{text}");
    assert!(
        words(&text).contains(
            "the divisor `(param.share_cap * 2)` is zero when `param.share_cap` is `0 %`"
        ),
        "{text}"
    );
    // The same city pack alone loads: 5 % is no zero.
    let alone = tempfile::tempdir().expect("a temporary directory");
    std::fs::copy(
        dir.path().join("a-city.yimi"),
        alone.path().join("a-city.yimi"),
    )
    .expect("copied");
    let output = yimi(&[
        "rules",
        "lint",
        alone.path().to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    let text = stdout(&output) + &stderr(&output);
    assert!(!text.contains("division-by-zero"), "{text}");
    assert_ne!(output.status.code(), Some(2), "{text}");
}

/// `explain` shows a threshold parameter as its value and names the condition that reads it, not
/// as a cap (`不高于 10000 平方米`) the project would seem to be held to.
#[test]
fn explain_shows_a_parameter_as_its_value_and_where_it_is_used() {
    let output = yimi(&["explain", "SH-059a"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("  须设母婴室的公共场所建筑面积 = 10000 平方米(用于:适用)\n    规则中写作: param.mother_baby_room_floor_area\n    更地方的规则包只能调低此值\n"),
        "{text}"
    );
    assert!(!text.contains("不高于"), "{text}");
    let output = yimi(&["explain", "JL-005a", "--lang", "en"]);
    let text = stdout(&output);
    assert!(
        text.contains("  childcare places per 1000 residents = 4.5 places per 1000 people (used in: let)\n    written in rules as: param.childcare_places_per_1000\n    a more local pack may only raise it\n"),
        "{text}"
    );
    assert!(!text.contains("= at least"), "{text}");
}

/// `explain` shows a rule's parameter refined by a local pack: the refinement's citation, basis
/// and tests, each with the outcome its fixture gets at the refined value.
#[test]
fn explain_shows_a_refinement_with_its_basis_and_tests() {
    let output = yimi(&[
        "explain",
        "JL-005a",
        "--rules",
        "tests/refine",
        "--lang",
        "en",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let expected = "    refined by changchun-refined: 5 places per 1000 people\n      source: jilin-2022 §5「推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施」\n      basis: Changchun reads it as 5 places per 1000 residents\n      tests of the refinement (evaluated at the refined value)\n        pass                   fixtures/enough.yaml → pass\n        fail                   fixtures/between.yaml → fail\n        insufficient_evidence  fixtures/missing.yaml → insufficient evidence\n";
    assert!(text.contains(expected), "{expected}in\n{text}");
}

#[test]
fn lint_asks_for_an_insufficient_evidence_test_when_a_rule_can_be_undecided() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("pass.yaml"), "yimi: 1\nproject: {id: t, kind: park, jurisdiction: CN/SH}\nsite: {area_m2: 5000}\nfacilities: [{kind: play_area}]\n").expect("fixture");
    std::fs::write(dir.path().join("fail.yaml"), "yimi: 1\nproject: {id: t, kind: park, jurisdiction: CN/SH}\nsite: {area_m2: 5000}\nfacilities: []\n").expect("fixture");
    let pack = |tests: &str| {
        format!(
            "pack local {{\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}}\n\nrule LOCAL-1 \"t\" en \"t\" {{\n  domain space\n  strength should\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n  applies site.area_m2 >= 3000 m2\n  require any(facilities, f => f.kind == play_area)\n  advice \"设置儿童活动场地\"\n{tests}}}\n"
        )
    };
    let lint = |tests: &str| {
        std::fs::write(dir.path().join("local.yimi"), pack(tests)).expect("rule file");
        let output = yimi(&[
            "rules",
            "lint",
            dir.path().to_str().expect("utf-8"),
            "--lang",
            "en",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output) + &stderr(&output)
    };
    // With the area but without the facilities, the rule is undecided (without the area, the play
    // area of the passing fixture still decides it).
    let text = lint("  test pass \"pass.yaml\"\n  test fail \"fail.yaml\"\n");
    assert!(text.contains("rule `LOCAL-1` has no insufficient_evidence test, though it is undecided without `facilities`"), "{text}");
    std::fs::write(
        dir.path().join("missing.yaml"),
        "yimi: 1\nproject: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: []\n",
    )
    .expect("fixture");
    let text = lint(
        "  test pass \"pass.yaml\"\n  test fail \"fail.yaml\"\n  test insufficient_evidence \"missing.yaml\" missing [site.area_m2]\n",
    );
    assert!(text.contains("no errors, 0 warnings"), "{text}");
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let run = |jobs: &str, format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args([
                "check",
                "examples/",
                "tests/fixtures/projects/",
                "--format",
                format,
                "--as-of",
                "2026-11-23",
                "--jobs",
                jobs,
            ])
            .env_remove("RAYON_NUM_THREADS")
            .output()
            .expect("yimi runs");
        (output.stdout, output.status.code())
    };
    for format in ["json", "plain"] {
        let one = run("1", format);
        assert!(!one.0.is_empty());
        assert_eq!(one, run("4", format), "{format}: --jobs 1 vs --jobs 4");
        assert_eq!(one, run("4", format), "{format}: two runs with --jobs 4");
        assert_eq!(one, run("2", format), "{format}: --jobs 1 vs --jobs 2");
    }
    // Far more threads than files: clamped to the files (unclamped, starting 100 000 threads
    // took minutes), same output.
    assert_eq!(
        run("1", "json"),
        run("100000", "json"),
        "--jobs 1 vs --jobs 100000"
    );
    // No threads at all is a command-line error, not an empty report.
    let zero = Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args(["check", "examples/", "--jobs", "0"])
        .output()
        .expect("yimi runs");
    assert_eq!(zero.status.code(), Some(2));
    assert!(zero.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&zero.stderr);
    assert!(stderr.contains("--jobs"), "{stderr}");
    assert!(stderr.contains("at least 1"), "{stderr}");
}

#[test]
fn limits_are_located_errors_that_name_the_flag_and_can_be_raised() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let deep = dir.path().join("deep.yaml");
    let mut text = String::from("yimi: 1\nproject: {id: t, kind: park, jurisdiction: CN/SH}\nx:\n");
    for level in 1..80 {
        text.push_str(&format!("{}k:\n", "  ".repeat(level)));
    }
    std::fs::write(&deep, text).expect("written");
    let output = yimi(&[
        "check",
        deep.to_str().expect("utf-8"),
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).contains("error[yaml::too-deep]: nesting is deeper than the limit of 64"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("--max-depth"),
        "{}",
        stdout(&output)
    );
    let raised = yimi(&[
        "check",
        deep.to_str().expect("utf-8"),
        "--max-depth",
        "100",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    assert!(!stdout(&raised).contains("too-deep"), "{}", stdout(&raised));
    // `[` and `{` past the YAML reader's own 255 levels, the limit raised above them: the
    // message says that no limit raises the reader's (it said "invalid YAML: nested too deeply");
    // 255 levels are read.
    for (levels, refused) in [(255, false), (256, true), (300, true)] {
        let brackets = dir.path().join(format!("brackets-{levels}.yaml"));
        std::fs::write(
            &brackets,
            format!(
                "yimi: 1\nproject: {{id: t, kind: park, jurisdiction: CN/SH}}\nx: {}{}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
        )
        .expect("written");
        let output = yimi(&[
            "check",
            brackets.to_str().expect("utf-8"),
            "--max-depth",
            "1000",
            "--format",
            "plain",
            "--lang",
            "en",
        ]);
        let said = stdout(&output);
        if refused {
            assert_eq!(output.status.code(), Some(2), "{said}");
            // At the 256th bracket, after `x: ` and 255 others.
            assert!(
                said.contains(&format!(
                    "brackets-{levels}.yaml:3:259: error[yaml::too-deep]: `[` and `{{` nest more than 255 levels deep, the YAML reader's own limit"
                )),
                "{said}"
            );
            assert!(!said.contains("--max-depth"), "{said}");
        } else {
            assert!(!said.contains("error["), "{said}");
        }
    }
    let small = yimi(&[
        "check",
        "examples/yz-school.yaml",
        "--max-file-size",
        "100",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    assert_eq!(small.status.code(), Some(2));
    assert!(
        stdout(&small).contains("error[limits::file-size]"),
        "{}",
        stdout(&small)
    );
}

/// A limit of 0 refuses every input (`--max-files 0` said any folder had "more than 0" files):
/// every limit flag of `check` and `serve` requires at least 1, with one message, exit 2, before
/// anything is read or served.
#[test]
fn a_limit_of_zero_is_refused_with_the_flag() {
    let check = [
        "--max-files",
        "--max-depth",
        "--max-values",
        "--max-file-size",
    ];
    let serve = [
        "--max-files",
        "--max-depth",
        "--max-values",
        "--max-file-size",
        "--max-total-size",
        "--concurrent-checks",
        "--concurrent-uploads",
        "--max-connections",
        "--data-dir-max-size",
    ];
    let runs = check
        .iter()
        .map(|flag| ("check", *flag))
        .chain(serve.iter().map(|flag| ("serve", *flag)));
    for (command, flag) in runs {
        for (value, expected) in [
            ("0", "a limit must be at least 1"),
            (
                "-3",
                "`-3` is not a whole number; a limit must be at least 1",
            ),
            (
                "ten",
                "`ten` is not a whole number; a limit must be at least 1",
            ),
        ] {
            let output = yimi(&[command, &format!("{flag}={value}"), "examples"]);
            let shown = stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command} {flag} {value}: {shown}"
            );
            assert!(
                shown.contains(flag) && shown.contains(expected),
                "{command} {flag} {value}: {shown}"
            );
            assert!(stdout(&output).is_empty(), "{}", stdout(&output));
        }
    }
    // 1 is a limit: one file is checked, a folder of more is refused for the number.
    let one = yimi(&[
        "check",
        "--max-files",
        "1",
        "--format",
        "plain",
        "examples/yz-school.yaml",
    ]);
    assert_ne!(one.status.code(), Some(2), "{}", stderr(&one));
}

#[test]
fn a_baseline_marks_old_findings_and_new_only_lets_them_pass() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let park = dir.path().join("park.yaml");
    let original = std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("example");
    std::fs::write(&park, &original).expect("written");
    let baseline = dir.path().join("baseline.json");
    let park_arg = park.to_str().expect("utf-8");
    let baseline_arg = baseline.to_str().expect("utf-8");
    yimi(&["check", park_arg, "--format", "json", "-o", baseline_arg]);
    // A comment moves every line; then a family toilet gains a feature but no changing table.
    let edited = original.replace(
        "kind: family_toilet, barrier_free: true }",
        "kind: family_toilet, barrier_free: true, features: [children_only] }",
    );
    assert_ne!(
        edited, original,
        "the example has the family toilet the test edits"
    );
    std::fs::write(&park, format!("# 第二稿\n{edited}")).expect("written");

    let output = yimi(&[
        "check",
        park_arg,
        "--baseline",
        baseline_arg,
        "--format",
        "plain",
        "--lang",
        "en",
        "--fail-on",
        "warning",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("warning[SH-059b]: [new] a family toilet has no baby-changing table"),
        "{text}"
    );
    assert!(text.contains("warning[SH-068a]: [in baseline] "), "{text}");
    // Already in it: SH-068a's warning and two undecided advice rules, one of them SH-058b (the
    // example states no hazards).
    assert!(text.contains("advice[SH-058b]: [in baseline] "), "{text}");
    assert!(
        text.contains("against the baseline: 1 new, 3 already in it"),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(1));
    // Only the new warning counts with --new-only: it still fails at `warning`, but not at `error`.
    let new_only = |fail_on: &str| {
        yimi(&[
            "check",
            park_arg,
            "--baseline",
            baseline_arg,
            "--new-only",
            "--fail-on",
            fail_on,
        ])
        .status
        .code()
    };
    assert_eq!(new_only("warning"), Some(1));
    // Revert the new finding: everything left is in the baseline, so nothing counts.
    std::fs::write(&park, format!("# 第三稿\n{original}")).expect("written");
    assert_eq!(new_only("advice"), Some(0));
    assert_eq!(
        yimi(&["check", park_arg, "--fail-on", "advice"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn report_flags_and_baselines_that_cannot_be_used_are_errors() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let not_a_report = dir.path().join("other.json");
    std::fs::write(&not_a_report, "{\"files\": []}").expect("written");
    let cases: [(&[&str], &str); 5] = [
        (&["--new-only"], "`--new-only` needs `--baseline FILE`"),
        (
            &["--baseline", not_a_report.to_str().expect("utf-8")],
            "not a yimi JSON report: no `\"format\": \"yimi-report\"`",
        ),
        (
            &["--baseline", "no/such/report.json"],
            "cannot read the baseline",
        ),
        (&["--report", "sarif"], "expected FORMAT=PATH"),
        (
            &["--report", "sarf=x.sarif"],
            "unknown format `sarf` (did you mean `sarif`?)",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["check", "examples/sh-huangpu-park.yaml", "--lang", "en"];
        args.extend_from_slice(flags);
        let output = yimi(&args);
        assert_eq!(output.status.code(), Some(2), "{flags:?}");
        assert!(
            stderr(&output).contains(message),
            "{flags:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"));
    }
    // A second report is written from the same run, but never over an input.
    let sarif = dir.path().join("yimi.sarif");
    let output = yimi(&[
        "check",
        "examples/sh-huangpu-park.yaml",
        "--report",
        &format!("sarif={}", sarif.display()),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("written")).expect("json");
    assert_eq!(log["version"], "2.1.0");
    let copy = dir.path().join("park.yaml");
    std::fs::copy("examples/sh-huangpu-park.yaml", &copy).expect("copied");
    let output = yimi(&[
        "check",
        copy.to_str().expect("utf-8"),
        "--report",
        &format!("json={}", copy.display()),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&copy).expect("kept"),
        std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("example")
    );
}

#[test]
fn a_plan_past_its_period_advises_unless_the_office_keeps_it_binding() {
    let park = "examples/sh-huangpu-park.yaml";
    // Within shanghai-2023's period (2023-09-14 – 2025-12-31) the failed should-rule is a warning.
    let within = yimi(&[
        "check",
        park,
        "--as-of",
        "2025-12-31",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(within.status.code(), Some(1), "{}", stdout(&within));
    // After it, every finding is advice and the report says why and which date it used.
    let after = yimi(&[
        "check",
        park,
        "--as-of",
        "2026-01-01",
        "--fail-on",
        "warning",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    let text = stdout(&after);
    assert_eq!(after.status.code(), Some(0), "{text}");
    assert!(text.contains("advice[SH-068a]"), "{text}");
    assert!(
        text.contains("force: the period of shanghai-2023 ended on 2025-12-31"),
        "{text}"
    );
    assert!(
        text.contains(
            "shanghai-2023 2026.1: period ended, advisory only (2023-09-14 – 2025-12-31)"
        ),
        "{text}"
    );
    assert!(
        text.contains("judged at 2026-01-01 (the date set for the check)"),
        "{text}"
    );
    // An office that keeps applying the plan says so.
    let kept = yimi(&[
        "check",
        park,
        "--as-of",
        "2026-01-01",
        "--fail-on",
        "warning",
        "--lapsed",
        "binding",
    ]);
    assert_eq!(kept.status.code(), Some(1), "{}", stdout(&kept));
}

#[test]
fn a_draft_advises_binds_when_adopted_and_can_be_left_out() {
    let space = "examples/sy-riverside-public-space.yaml";
    let advisory = yimi(&["check", "--as-of", LATER, space, "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&advisory.stdout).expect("a JSON report");
    let file = &report["files"][0];
    assert_eq!(file["standings"][0]["pack"], "shangyu-2025");
    assert_eq!(file["standings"][0]["standing"], "draft");
    assert_eq!(file["standings"][0]["effect"], "advisory");
    assert_eq!(file["judged_at"]["basis"], "decision_date");
    let findings = file["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|finding| finding["severity"] == "advice" && finding["advisory"].is_string()),
        "{findings:#?}"
    );
    assert_ne!(file["verdict"], "fail");
    let binding = yimi(&["check", "--as-of", LATER, space, "--drafts", "binding"]);
    assert_eq!(binding.status.code(), Some(1), "{}", stdout(&binding));
    let off = yimi(&[
        "check", "--as-of", LATER, space, "--drafts", "off", "--lang", "en", "--format", "plain",
    ]);
    assert_eq!(off.status.code(), Some(2));
    assert!(
        stdout(&off)
            .contains("no rule pack for `CN/ZJ/Shaoxing/Shangyu` had been issued or is enabled"),
        "{}",
        stdout(&off)
    );
}

/// Law review 9, G24: shangyu-2025 is dated by its year only (`date: "2025"`). A decision early in
/// 2025 may predate the draft, so even an office that adopted it (`--drafts binding`) gets advice,
/// and the report says why; from the year's last day the adopted draft binds.
#[test]
fn a_source_dated_by_its_year_only_does_not_bind_a_decision_within_that_year() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let early = dir.path().join("early.yaml");
    let text =
        std::fs::read_to_string("examples/sy-riverside-public-space.yaml").expect("the example");
    assert!(text.contains("decision_date: 2026-07-15"));
    std::fs::write(
        &early,
        text.replace("decision_date: 2026-07-15", "decision_date: 2025-01-02"),
    )
    .expect("written");
    let path = early.to_str().expect("utf-8");
    let adopted = yimi(&[
        "check", "--as-of", LATER, path, "--drafts", "binding", "--lang", "en", "--format", "plain",
    ]);
    let shown = stdout(&adopted);
    assert_eq!(adopted.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("draft, advisory only (date of issue not known: 2025 – 2027-12-31; the decision may predate its issue, so it does not bind)"),
        "{shown}"
    );
    assert!(
        shown.contains("the date of issue of shangyu-2025 is known only as 2025 and the decision may predate it"),
        "{shown}"
    );
    let json = yimi(&[
        "check", "--as-of", LATER, path, "--drafts", "binding", "--format", "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("a JSON report");
    assert_eq!(report["files"][0]["standings"][0]["effect"], "advisory");
    assert_eq!(
        report["packs"]
            .as_array()
            .and_then(|packs| packs.iter().find(|p| p["id"] == "shangyu-2025"))
            .map(|p| p["force"]["issued_by"].clone()),
        Some(serde_json::json!("2025-12-31"))
    );
    let last_day = dir.path().join("last-day.yaml");
    std::fs::write(
        &last_day,
        text.replace("decision_date: 2026-07-15", "decision_date: 2025-12-31"),
    )
    .expect("written");
    let bound = yimi(&[
        "check",
        "--as-of",
        LATER,
        last_day.to_str().expect("utf-8"),
        "--drafts",
        "binding",
    ]);
    assert_eq!(bound.status.code(), Some(1), "{}", stdout(&bound));
}

/// A draft proposed to run until a date does not bind a project decided after it, even for an
/// office that adopted it: like an issued plan past its period it follows `--lapsed`, and the
/// standing says both that it is a draft and that its period ended.
#[test]
fn a_draft_past_its_period_follows_lapsed_even_when_adopted() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let late = dir.path().join("late.yaml");
    let text =
        std::fs::read_to_string("examples/sy-riverside-public-space.yaml").expect("the example");
    assert!(text.contains("decision_date: 2026-07-15"));
    std::fs::write(
        &late,
        text.replace("decision_date: 2026-07-15", "decision_date: 2028-06-01"),
    )
    .expect("written");
    let path = late.to_str().expect("utf-8");
    let adopted = yimi(&[
        "check", "--as-of", LATER, path, "--drafts", "binding", "--lang", "en", "--format", "plain",
    ]);
    let shown = stdout(&adopted);
    assert_eq!(adopted.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains(
            "shangyu-2025 2026.1: draft, period ended, advisory only (date of issue not known: 2025 – 2027-12-31)"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("force: the period of shangyu-2025 ended on 2027-12-31"),
        "{shown}"
    );
    let json = yimi(&[
        "check", "--as-of", LATER, path, "--drafts", "binding", "--format", "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("a JSON report");
    let standing = &report["files"][0]["standings"][0];
    assert_eq!(standing["standing"], "draft_period_ended");
    assert_eq!(standing["effect"], "advisory");
    // An office that keeps applying it past its period says so with `--lapsed`.
    let kept = yimi(&[
        "check", "--as-of", LATER, path, "--drafts", "binding", "--lapsed", "binding",
    ]);
    assert_eq!(kept.status.code(), Some(1), "{}", stdout(&kept));
    // Within its period the adopted draft binds, as before.
    let within = yimi(&[
        "check",
        "--as-of",
        LATER,
        "examples/sy-riverside-public-space.yaml",
        "--drafts",
        "binding",
    ]);
    assert_eq!(within.status.code(), Some(1), "{}", stdout(&within));
    // Switched off, it is not applied, past its period or not, and the help says why.
    let off = yimi(&[
        "check", "--as-of", LATER, path, "--drafts", "off", "--lang", "en", "--format", "plain",
    ]);
    let shown = stdout(&off);
    assert_eq!(off.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("drafts are switched off (the `drafts` setting is `off`)"),
        "{shown}"
    );
    assert!(!shown.contains("correct the decision date"), "{shown}");
}

/// The same for a local draft source with a stated period.
#[test]
fn a_local_draft_past_its_period_follows_lapsed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("index.yaml"),
        "- id: mycity-2026\n  file: mycity-2026.txt\n  title: 某市儿童友好城市建设方案\n  issuer: 某市人民政府\n  date: 2026-02-01\n  jurisdiction: CN/ZJ/Shaoxing/Shangyu\n  level: district\n  status: draft\n  in_force_until: 2026-03-31\n  original: mycity-2026.html\n  numbering: { item: arabic-dot }\n",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("mycity-2026.txt"),
        "某市儿童友好城市建设方案\n\n1. 公园设置母婴室。\n",
    )
    .expect("written");
    let pack = dir.path().join("local.yimi");
    std::fs::write(
        &pack,
        "pack local-mycity {\n  source mycity-2026\n  jurisdiction CN/ZJ/Shaoxing/Shangyu\n}\n\n\
         rule MC-001 \"公园设置母婴室\" {\n  domain   space\n  strength shall\n  \
         cite     mycity-2026 §1 \"公园设置母婴室\"\n  applies  project.kind == park\n  \
         require  any(facilities, f => f.kind == mother_baby_room)\n}\n",
    )
    .expect("written");
    let project = dir.path().join("park.yaml");
    let write_decided = |date: &str| {
        std::fs::write(
            &project,
            format!("yimi: 1\nproject:\n  id: P-1\n  kind: park\n  jurisdiction: CN/ZJ/Shaoxing/Shangyu\n  decision_date: {date}\nsite: {{area_m2: 5000}}\nfacilities: []\n"),
        )
        .expect("written");
    };
    let sources = dir.path().to_string_lossy().into_owned();
    let rules = pack.to_string_lossy().into_owned();
    let path = project.to_string_lossy().into_owned();
    let check = || {
        let output = yimi(&[
            "check",
            "--as-of",
            LATER,
            &path,
            "--sources",
            &sources,
            "--rules",
            &rules,
            "--no-builtin",
            "--drafts",
            "binding",
            "--format",
            "json",
        ]);
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("a JSON report");
        let file = &report["files"][0];
        let severity = file["findings"]
            .as_array()
            .and_then(|findings| {
                findings
                    .iter()
                    .find(|finding| finding["rule_id"] == "MC-001")
            })
            .map(|finding| finding["severity"].clone());
        (
            file["standings"][0]["standing"].clone(),
            severity,
            output.status.code(),
        )
    };
    write_decided("2026-03-31");
    let (standing, severity, _) = check();
    assert_eq!(standing, "draft");
    assert_eq!(severity, Some(serde_json::json!("error")));
    write_decided("2026-04-15");
    let (standing, severity, code) = check();
    assert_eq!(standing, "draft_period_ended");
    assert_eq!(severity, Some(serde_json::json!("advice")));
    assert_eq!(code, Some(0));
}

#[test]
fn a_project_decided_before_its_plan_was_issued_is_not_judged_by_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("early.yaml");
    std::fs::write(
        &file,
        "yimi: 1\nproject:\n  id: P-1\n  kind: park\n  jurisdiction: CN/SH/Huangpu\n  decision_date: 2023-09-13\nsite: {area_m2: 5000}\nfacilities: []\n",
    )
    .expect("written");
    let path = file.to_str().expect("utf-8");
    let output = yimi(&["check", path, "--format", "plain", "--lang", "en"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains(":6:18"),
        "located at the decision date: {text}"
    );
    assert!(
        text.contains("on 2023-09-13 (the project's decision date)"),
        "{text}"
    );
    // The day of issue itself is judged.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .expect("read")
            .replace("2023-09-13", "2023-09-14"),
    )
    .expect("written");
    let output = yimi(&["check", path, "--fail-on", "warning"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
}

#[test]
fn a_hostile_argument_is_refused_on_one_short_line_that_cannot_drive_the_terminal() {
    let output = yimi(&[
        "check",
        "examples/",
        "--jurisdiction",
        "CN/SH\u{1b}[2J\nfake.yaml:1:1: pass\u{202e}",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(
        text.contains(r"CN/SH\u{1b}[2J\u{a}fake.yaml:1:1: pass\u{202e}"),
        "{text}"
    );
    let long = "9".repeat(70_000);
    let output = yimi(&["check", "examples/", "--as-of", &long]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).len() < 1_000, "{}", stderr(&output).len());
}

/// `rules fmt --check` prints a diff and exits 1 without touching the file; `rules fmt` rewrites
/// it, keeping its comments, and then `--check` passes.
#[test]
fn rules_fmt_checks_and_rewrites_packs() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = dir.path().join("local.yimi");
    let messy = "# a local pack\npack   demo-local{source demo jurisdiction CN/SH}\n";
    std::fs::write(&pack, messy).expect("writable");
    let path = pack.to_string_lossy().into_owned();

    let checked = yimi(&["rules", "fmt", "--check", "--lang", "en", &path]);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    let diff = stdout(&checked);
    assert!(
        diff.contains("-pack   demo-local{source demo jurisdiction CN/SH}"),
        "{diff}"
    );
    assert!(diff.contains("+  jurisdiction CN/SH"), "{diff}");
    assert!(
        stderr(&checked).contains("1 rule files would be reformatted"),
        "{}",
        stderr(&checked)
    );
    assert_eq!(std::fs::read_to_string(&pack).expect("readable"), messy);

    let written = yimi(&["rules", "fmt", &path]);
    assert!(written.status.success(), "{}", stderr(&written));
    let text = std::fs::read_to_string(&pack).expect("readable");
    assert_eq!(
        text,
        "# a local pack\npack demo-local {\n  source       demo\n  jurisdiction CN/SH\n}\n"
    );
    let again = yimi(&["rules", "fmt", "--check", &path]);
    assert!(again.status.success(), "{}", stdout(&again));
    assert!(stdout(&again).is_empty());
}

/// A path that is not a pack, a directory without packs and a pack with a syntax error are
/// refused with exit 2, each with a message naming it; the broken pack is left as it is.
#[test]
fn rules_fmt_refuses_what_it_cannot_format() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = dir.path().join("project.yaml");
    std::fs::write(&project, "yimi: 1\n").expect("writable");
    let refused = yimi(&["rules", "fmt", "--lang", "en", &project.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("project.yaml: not a rule pack: rule packs are `*.yimi` files"),
        "{}",
        stderr(&refused)
    );

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("a directory");
    let refused = yimi(&["rules", "fmt", "--lang", "en", &empty.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("no rule packs (`*.yimi`) in this directory"),
        "{}",
        stderr(&refused)
    );

    let broken = dir.path().join("broken.yimi");
    let text = "rule X \"t\" {\n  require a >\n}\n";
    std::fs::write(&broken, text).expect("writable");
    let refused = yimi(&["rules", "fmt", "--lang", "en", &broken.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("broken.yimi:3:1"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_to_string(&broken).expect("readable"), text);

    // Classic Mac line ends (a `\r` alone): refused at the first as `rules lint` refuses them,
    // with and without `--check`, and the pack left as it was (hostile review 14; it was
    // reformatted as one comment line).
    let mac = dir.path().join("mac.yimi");
    let text = "pack p {\r  source shanghai-2023\r  jurisdiction CN/SH\r  version \"1\"\r}\r";
    std::fs::write(&mac, text).expect("writable");
    for check in [false, true] {
        let mut args = vec!["rules", "fmt", "--lang", "en"];
        if check {
            args.push("--check");
        }
        let shown = mac.to_string_lossy();
        args.push(&shown);
        let refused = yimi(&args);
        assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
        let said = stderr(&refused);
        assert!(said.contains("rules::line-ends"), "{said}");
        assert!(said.contains("mac.yimi:1:9"), "{said}");
        assert!(stdout(&refused).is_empty(), "{}", stdout(&refused));
        assert_eq!(std::fs::read_to_string(&mac).expect("readable"), text);
    }
}

/// A registered local source, for the commands that take `--sources`.
fn local_source(dir: &std::path::Path) -> String {
    std::fs::write(
        dir.join("index.yaml"),
        "- id: mycity-2026\n  file: mycity-2026.txt\n  title: 某市儿童友好城市建设方案\n  issuer: 某市人民政府\n  date: 2026-01-05\n  jurisdiction: CN/SH/Pudong\n  level: district\n  status: in_force\n  original: mycity-2026.html\n  numbering: { item: arabic-dot }\n",
    )
    .expect("written");
    std::fs::write(
        dir.join("mycity-2026.txt"),
        "某市儿童友好城市建设方案\n\n1. 新建居住区配建儿童活动场地,面积不少于 200 平方米。\n2. 公园设置母婴室。\n",
    )
    .expect("written");
    dir.to_string_lossy().into_owned()
}

/// `rules coverage` fails while a normative sentence is unaccounted for, though every item is
/// classified, and names the sentence; once a note classifies it, the command succeeds.
#[test]
fn coverage_exits_1_and_names_an_unaccounted_sentence() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("index.yaml"),
        "- id: mycity-2026\n  file: mycity-2026.txt\n  title: 某市儿童友好城市建设方案\n  issuer: 某市人民政府\n  date: 2026-01-05\n  jurisdiction: CN/SH/Pudong\n  level: district\n  status: in_force\n  original: mycity-2026.html\n  numbering: { item: arabic-dot }\n",
    )
    .expect("written");
    // §2's heading is not a sentence to account for; its second sentence is encoded by the rule,
    // its third directs work with a bare verb (加强) and nothing accounts for it.
    std::fs::write(
        dir.path().join("mycity-2026.txt"),
        "某市儿童友好城市建设方案\n\n1. 总体要求。\n坚持儿童优先。\n2. 公园母婴室。公园设置母婴室,配备护理台。加强公园的日常管理。\n",
    )
    .expect("written");
    let rule = "pack local-mycity {\n  source mycity-2026\n  jurisdiction CN/SH/Pudong\n}\n\n\
        not_checkable §1 \"总体要求\" en \"general aims\"\n\n\
        rule MC-002 \"公园设置母婴室\" {\n  domain   space\n  strength should\n  \
        cite     mycity-2026 §2 \"公园设置母婴室\"\n  applies  project.kind == park\n  \
        require  any(facilities, f => f.kind == mother_baby_room)\n}\n";
    let pack = dir.path().join("local.yimi");
    std::fs::write(&pack, rule).expect("written");
    let sources = dir.path().to_string_lossy().into_owned();
    let pack_path = pack.to_string_lossy().into_owned();
    let args = [
        "rules",
        "coverage",
        "--sources",
        &sources,
        &pack_path,
        "--lang",
        "en",
    ];
    let covered = yimi(&args);
    let shown = stdout(&covered);
    assert_eq!(
        covered.status.code(),
        Some(1),
        "{shown}{}",
        stderr(&covered)
    );
    assert!(
        shown.contains("mycity-2026:5 [UNACCOUNTED]\n        加强公园的日常管理。"),
        "{shown}"
    );
    let totals = shown
        .lines()
        .find(|line| line.starts_with("mycity-2026 "))
        .unwrap_or_default();
    assert!(
        totals.split_whitespace().collect::<Vec<_>>()
            == ["mycity-2026", "2", "1", "0", "1", "0", "1", "0", "3", "1"],
        "items 2, rule 1, not checkable 1; 3 sentences, 1 unaccounted: {totals}"
    );
    assert!(shown.contains("rule MC-002\n"), "{shown}");

    std::fs::write(
        &pack,
        format!(
            "{rule}\nnot_checkable §2 sentence \"加强公园的日常管理\" \"日常管理是运营工作\" en \"upkeep is operation\"\n"
        ),
    )
    .expect("written");
    let covered = yimi(&args);
    assert_eq!(covered.status.code(), Some(0), "{}", stdout(&covered));
    assert!(
        stdout(&covered).contains("not checkable: upkeep is operation"),
        "{}",
        stdout(&covered)
    );

    // A sentence the rule encodes only in part leaves a binding rest: unfinished work too.
    std::fs::write(
        dir.path().join("mycity-2026.txt"),
        "某市儿童友好城市建设方案\n\n1. 总体要求。\n坚持儿童优先。\n2. 公园母婴室。公园设置母婴室,配备护理台和儿童洗手池。加强公园的日常管理。\n",
    )
    .expect("written");
    let covered = yimi(&args);
    assert_eq!(covered.status.code(), Some(1), "{}", stdout(&covered));
    assert!(
        stdout(&covered).contains("[coverage::partial-sentence]")
            && stdout(&covered).contains("配备护理台和儿童洗手池"),
        "{}",
        stdout(&covered)
    );
    std::fs::write(
        &pack,
        format!(
            "{rule}\nnot_checkable §2 sentence \"加强公园的日常管理\" \"日常管理是运营工作\" en \"upkeep is operation\"\n\
             not_checkable §2 sentence \"配备护理台和儿童洗手池\" \"配备不在项目文件中\" en \"fittings are not in the file\"\n"
        ),
    )
    .expect("written");
    let covered = yimi(&args);
    assert_eq!(covered.status.code(), Some(0), "{}", stdout(&covered));
}

/// Filters that would give an empty result say why instead: an unknown source or domain with
/// the closest name, and a registered source whose pack was not given.
#[test]
fn empty_rule_listings_are_errors_with_a_hint() {
    let listed = yimi(&["rules", "list", "--source", "jilin-2021", "--lang", "en"]);
    assert_eq!(listed.status.code(), Some(2));
    assert!(
        stderr(&listed).contains("did you mean `jilin-2022`?"),
        "{}",
        stderr(&listed)
    );
    let listed = yimi(&["rules", "list", "--domain", "spase", "--lang", "en"]);
    assert_eq!(listed.status.code(), Some(2));
    assert!(
        stderr(&listed).contains("did you mean `space`?"),
        "{}",
        stderr(&listed)
    );

    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = local_source(dir.path());
    let covered = yimi(&[
        "rules",
        "coverage",
        "--sources",
        &sources,
        "--source",
        "mycity-2026",
        "--lang",
        "en",
    ]);
    assert_eq!(covered.status.code(), Some(2), "{}", stdout(&covered));
    assert!(
        stderr(&covered).contains("no pack encodes the source `mycity-2026`: give its pack's path"),
        "{}",
        stderr(&covered)
    );
}

/// `rules list` takes pack paths as the other `rules` commands do; `--rules` still works.
#[test]
fn rules_list_takes_positional_paths() {
    for args in [
        &[
            "rules",
            "list",
            "tests/fixtures/rules/changchun-local.yimi",
            "--format",
            "json",
        ][..],
        &[
            "rules",
            "list",
            "--rules",
            "tests/fixtures/rules/changchun-local.yimi",
            "--format",
            "json",
        ][..],
    ] {
        let listed = yimi(args);
        assert!(listed.status.success(), "{}", stderr(&listed));
    }
    let listed = yimi(&["rules", "list", "no/such/pack.yimi"]);
    assert_eq!(listed.status.code(), Some(2));
}

/// `rules new` writes a pack for a registered local source that lints, tests and is formatted,
/// and refuses to overwrite it.
#[test]
fn rules_new_scaffolds_a_pack_that_passes_its_tests() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = local_source(dir.path());
    let rules = dir.path().join("rules").to_string_lossy().into_owned();
    let made = yimi(&[
        "rules",
        "new",
        "--source",
        "mycity-2026",
        "--jurisdiction",
        "CN/SH/Pudong",
        "--sources",
        &sources,
        &rules,
        "--lang",
        "en",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let pack = dir.path().join("rules/mycity-2026.yimi");
    let text = std::fs::read_to_string(&pack).expect("the pack is written");
    // The source says nowhere that children are heard: the example is a commented template,
    // citing no clause it does not encode.
    assert!(text.contains("# rule PUDONG-001 \"示例"), "{text}");
    assert!(!text.contains("\nrule "), "{text}");
    assert!(text.contains("#   cite     mycity-2026 §CLAUSE"), "{text}");
    for check in [
        &["rules", "test", &rules, "--sources", &sources][..],
        &["rules", "lint", &rules, "--sources", &sources][..],
        &["rules", "fmt", "--check", &rules][..],
    ] {
        let output = yimi(check);
        assert!(
            output.status.success(),
            "{check:?}: {}{}",
            stdout(&output),
            stderr(&output)
        );
    }
    let tested = yimi(&["rules", "test", &rules, "--sources", &sources]);
    assert!(
        stdout(&tested).contains("0 passed; 0 failed"),
        "{}",
        stdout(&tested)
    );
    let lint = yimi(&[
        "rules",
        "lint",
        &rules,
        "--sources",
        &sources,
        "--lang",
        "en",
    ]);
    assert!(
        stdout(&lint).contains("no errors, 0 warnings"),
        "{}",
        stdout(&lint)
    );

    let again = yimi(&[
        "rules",
        "new",
        "--source",
        "mycity-2026",
        "--jurisdiction",
        "CN/SH/Pudong",
        "--sources",
        &sources,
        &rules,
        "--lang",
        "en",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("exists and is not overwritten"),
        "{}",
        stderr(&again)
    );
    let unknown = yimi(&[
        "rules",
        "new",
        "--source",
        "jilin-2021",
        "--jurisdiction",
        "CN/JL",
        "--lang",
        "en",
    ]);
    assert!(
        stderr(&unknown).contains("did you mean `jilin-2022`?"),
        "{}",
        stderr(&unknown)
    );
}

/// `rules new` does not write through a symbolic link among the folders of the new pack (one
/// planted in a checkout, `DIR/tests -> elsewhere`): refused, exit 2, nothing written there.
#[test]
fn rules_new_refuses_a_linked_folder_inside_the_target() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = dir.path().join("pk");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&pack).expect("made");
    std::fs::create_dir_all(&elsewhere).expect("made");
    std::os::unix::fs::symlink(&elsewhere, pack.join("tests")).expect("a link");
    let pack_text = pack.to_string_lossy().into_owned();
    let args = [
        "rules",
        "new",
        "--source",
        "shanghai-2023",
        "--jurisdiction",
        "CN/SH/Pudong",
        "--id",
        "loc",
        pack_text.as_str(),
        "--lang",
    ];
    let output = yimi(&[args.as_slice(), &["en"]].concat());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("tests` is a symbolic link to")
            && stderr(&output).contains("refusing to write the pack through it"),
        "{}",
        stderr(&output)
    );
    let zh = yimi(&[args.as_slice(), &["zh"]].concat());
    assert_eq!(zh.status.code(), Some(2));
    assert!(stderr(&zh).contains("不通过它写规则包"), "{}", stderr(&zh));
    assert_eq!(std::fs::read_dir(&elsewhere).expect("listed").count(), 0);
    assert!(!pack.join("loc.yimi").exists(), "nothing is written");
}

/// A manifest that cannot be registered is one error, in the chosen language, naming the missing
/// field — not followed by an "unknown source" for every pack that cites it.
#[test]
fn a_broken_sources_manifest_is_one_error_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = local_source(dir.path());
    let manifest = dir.path().join("index.yaml");
    let text = std::fs::read_to_string(&manifest).expect("readable");
    std::fs::write(
        &manifest,
        text.replace("  original: mycity-2026.html\n", ""),
    )
    .expect("written");
    let pack = dir.path().join("local.yimi");
    std::fs::write(
        &pack,
        "pack mycity-2026 {\n  source       mycity-2026\n  jurisdiction CN/SH/Pudong\n}\n\nnot_checkable §1 \"理由\" en \"reason\"\n",
    )
    .expect("written");
    let pack = pack.to_string_lossy().into_owned();
    for (lang, expected) in [
        ("zh", "第 1 个来源缺少必填字段 `original`"),
        ("en", "source 1: missing field `original`"),
    ] {
        let output = yimi(&[
            "rules",
            "lint",
            &pack,
            "--sources",
            &sources,
            "--lang",
            lang,
        ]);
        // Lines are wrapped at 100 columns: compare without the wrapping.
        let unwrapped = |text: &str| {
            text.replace('│', "")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        };
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2));
        assert!(unwrapped(&text).contains(&unwrapped(expected)), "{text}");
        assert_eq!(text.matches('×').count(), 1, "{text}");
    }
}

/// A manifest value that is not valid (a bad source id, a bad date) is one error in the chosen
/// language, shown at the value in the manifest (#12: these were English only, at a line).
#[test]
fn an_invalid_sources_manifest_value_is_one_located_error_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = local_source(dir.path());
    let manifest = dir.path().join("index.yaml");
    let text = std::fs::read_to_string(&manifest).expect("readable");
    let pack = dir.path().join("local.yimi");
    std::fs::write(
        &pack,
        "pack mycity-2026 {\n  source       mycity-2026\n  jurisdiction CN/SH/Pudong\n}\n\nnot_checkable §1 \"理由\" en \"reason\"\n",
    )
    .expect("written");
    let pack = pack.to_string_lossy().into_owned();
    for (from, to, place, zh, en) in [
        (
            "- id: mycity-2026",
            "- id: MyCity_2026",
            "index.yaml:1:7",
            "来源 id `MyCity_2026` 只能由小写字母、数字和 `-` 组成",
            "source id `MyCity_2026` must be lowercase letters, digits and `-`",
        ),
        (
            "date: 2026-01-05",
            "date: 2026-13-05",
            "index.yaml:5:9",
            "来源 `mycity-2026`:日期 `2026-13-05` 不是 YYYY-MM-DD",
            "source `mycity-2026`: date `2026-13-05` is not YYYY-MM-DD",
        ),
    ] {
        std::fs::write(&manifest, text.replace(from, to)).expect("written");
        for (lang, expected) in [("zh", zh), ("en", en)] {
            let output = yimi(&[
                "rules",
                "lint",
                &pack,
                "--sources",
                &sources,
                "--lang",
                lang,
            ]);
            // Lines are wrapped at 100 columns: compare without the wrapping.
            let unwrapped = |text: &str| {
                text.replace('│', "")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
            };
            let text = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{text}");
            assert_eq!(text.matches('×').count(), 1, "{text}");
            assert!(text.contains(&format!("{place}]")), "{text}");
            assert!(unwrapped(&text).contains(&unwrapped(expected)), "{text}");
        }
    }
}

/// `explain` shows a refinement of a parameter the rule uses with its citation and its basis.
#[test]
fn explain_shows_the_basis_of_a_refinement() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = dir.path().join("changchun.yimi");
    std::fs::write(
        &pack,
        "pack changchun-local {\n  source       jilin-2022\n  jurisdiction CN/JL/Changchun\n}\n\nrefine childcare_places_per_1000 {\n  value at_least 5 places/kpop\n  cite  jilin-2022 §5 \"推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施\"\n  basis \"长春按每千人 5 个托位理解\" en \"Changchun reads it as 5 places per 1000 residents\"\n}\n",
    )
    .expect("written");
    let output = yimi(&[
        "explain",
        "JL-005a",
        "--rules",
        &pack.to_string_lossy(),
        "--lang",
        "en",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("    refined by changchun-local: 5 places per 1000 people\n      source: jilin-2022 §5「推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施」\n      basis: Changchun reads it as 5 places per 1000 residents\n"),
        "{text}"
    );
}

/// The line of `explain RULE` (in `lang`) that starts with `prefix`.
fn explain_line(rule: &str, lang: &str, prefix: &str) -> String {
    let output = yimi(&["explain", rule, "--lang", lang]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    text.lines()
        .find(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}:\n{text}"))
        .to_owned()
}

#[test]
fn explain_gives_the_reading_table_row_that_decided_the_strength() {
    assert_eq!(
        explain_line("SY-003a", "zh", "强度依据"),
        "强度依据:读作“宜”。按解读表,条文属“无情态词”一类:条文只描述工作或方向,没有情态词,不读作义务"
    );
    assert_eq!(
        explain_line("SY-003a", "en", "Strength:"),
        "Strength: read as “should”. The reading table puts the clause under “no modal word”: the clause describes work or a direction without a modal word, so it is not read as a duty"
    );
}

#[test]
fn explain_gives_the_reason_a_strength_departs_from_the_reading_table() {
    assert_eq!(
        explain_line("YZ-002a", "zh", "强度依据"),
        "强度依据:读作“应当”,因为“将……纳入”有确定的对象,是编制该规划的义务"
    );
    assert_eq!(
        explain_line("YZ-002a", "en", "Strength:"),
        "Strength: read as “shall” because 将……纳入 (include … in) has a definite object: a duty of the plan being drawn up"
    );
}

#[test]
fn explain_says_whom_a_clause_binds() {
    assert_eq!(
        explain_line("SY-003a", "zh", "约束对象"),
        "约束对象: 政府(由设立该机制、标准或水平的规划或政策承担) (`government`)"
    );
    assert_eq!(
        explain_line("SY-003a", "en", "Binds:"),
        "Binds: the government (binding the plan or policy that sets up the mechanism, standard or level) (`government`)"
    );
    // A clause that sets a level to reach, not a mechanism, is described as such (law review 8, F13).
    assert!(
        explain_line("YZ-018e", "en", "Binds:").contains("standard or level"),
        "{}",
        explain_line("YZ-018e", "en", "Binds:")
    );
}

#[test]
fn explain_says_a_yearly_target_binds_every_year_up_to_its_horizon() {
    assert_eq!(
        explain_line("YZ-T034", "zh", "  指标"),
        "  指标 child_road_safety_education_events_per_year (每年组织开展的儿童交通安全宣传教育活动次数) · 至 2026 年的每一年"
    );
    assert_eq!(
        explain_line("YZ-T034", "en", "  indicator"),
        "  indicator child_road_safety_education_events_per_year (road-safety education events for children held each year) · every year up to 2026"
    );
}

/// The results of one example in the JSON report, by rule id.
fn json_result(example: &str, rule: &str, lang: &str) -> serde_json::Value {
    let output = yimi(&["check", example, "--format", "json", "--lang", lang]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["files"][0]["results"]
        .as_array()
        .and_then(|results| results.iter().find(|result| result["rule_id"] == rule))
        .cloned()
        .unwrap_or_else(|| panic!("no result for {rule}"))
}

/// The line of the Markdown report's appendix for `rule`.
fn appendix_line(example: &str, rule: &str, lang: &str) -> String {
    let output = yimi(&["check", example, "--format", "markdown", "--lang", lang]);
    let text = stdout(&output);
    let start = format!("- `{rule}` ");
    text.lines()
        .find(|line| line.starts_with(&start))
        .unwrap_or_else(|| panic!("no appendix line for {rule}:\n{text}"))
        .to_owned()
}

#[test]
fn a_target_does_not_apply_to_a_project_that_is_not_a_plan_and_says_so_from_its_kind() {
    let result = json_result("examples/yz-school.yaml", "YZ-T009", "zh");
    assert_eq!(result["outcome"], "not_applicable");
    assert_eq!(
        result["compared"],
        serde_json::json!([{
            "subject": "项目类型", "required": "规划、政策", "stated": "中小学",
            "path": "project.kind", "line": 8, "holds": false
        }])
    );
    assert_eq!(
        appendix_line("examples/yz-school.yaml", "YZ-T009", "zh"),
        "- `YZ-T009` yuzhong-2024 §9 到2026年建成儿童友好校园10个以上:不适用——项目类型为 中小学,本条适用于 规划、政策"
    );
    assert_eq!(
        appendix_line("examples/yz-school.yaml", "YZ-T009", "en"),
        "- `YZ-T009` yuzhong-2024 §9 At least 10 child-friendly schools by 2026: does not apply — The kind of project is Primary or secondary school; the clause applies to Plan, Policy"
    );
}

#[test]
fn a_target_does_not_apply_to_a_plan_silent_on_its_indicator_and_says_which_commitment_is_missing()
{
    let result = json_result("examples/yz-district-plan.yaml", "YZ-T009", "en");
    assert_eq!(result["outcome"], "not_applicable");
    assert_eq!(result["compared"][0]["path"], "targets");
    assert_eq!(result["compared"][0]["holds"], false);
    assert_eq!(
        result["compared"][0]["subject"],
        "a target for child-friendly schools"
    );
    assert_eq!(
        appendix_line("examples/yz-district-plan.yaml", "YZ-T009", "zh"),
        "- `YZ-T009` yuzhong-2024 §9 到2026年建成儿童友好校园10个以上:不适用——项目文件未注明「儿童友好学校数」的目标值,本条只判定载明该指标的规划、政策"
    );
    assert_eq!(
        appendix_line("examples/yz-district-plan.yaml", "YZ-T009", "en"),
        "- `YZ-T009` yuzhong-2024 §9 At least 10 child-friendly schools by 2026: does not apply — the file does not state a target for child-friendly schools, and the target judges only plans and policies that state it"
    );
}

#[test]
fn a_failed_target_advises_what_the_plan_should_commit_to_before_the_edit_to_the_file() {
    let result = json_result("examples/yz-district-plan.yaml", "YZ-T017", "zh");
    assert_eq!(result["outcome"], "fail");
    let output = yimi(&[
        "check",
        "examples/yz-district-plan.yaml",
        "--format",
        "plain",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("  建议: 在规划中明确到 2026 年全区每千人口拥有 3 岁以下婴幼儿托位数不少于 4.5 个;托育专项规划应写明该目标\n        项目文件:把目标值调整到 ≥ 4.5 个/千人,或附上经批准的豁免\n"),
        "{text}"
    );
}

/// Whether any line of `text` holds a raw control or bidi character, or begins (after blanks) a
/// CI runner's command.
fn unsafe_for_a_terminal(text: &str) -> bool {
    text.chars()
        .any(|c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)))
        || text.lines().any(|line| {
            line.trim_start().starts_with("::") || line.contains("##[") || line.contains("##vso[")
        })
}

/// clap quotes the argument it refuses: shown escaped and clipped, as yimi's own messages quote
/// input, whether given apart, after `=` or after a short option.
#[test]
fn a_refused_argument_is_quoted_escaped_and_clipped() {
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\n::error::forged";
    let long = "9".repeat(100_000);
    let jobs_equals = format!("--jobs={hostile}");
    let jobs_short = format!("-j{hostile}");
    for args in [
        &["check", "--max-steps", hostile, "x.yaml"][..],
        &["check", &jobs_equals, "x.yaml"][..],
        &["check", &jobs_short, "x.yaml"][..],
        &["check", "--format", hostile, "x.yaml"][..],
        &[hostile][..],
        &["check", "--max-steps", &long, "x.yaml"][..],
    ] {
        let refused = yimi(args);
        assert_eq!(refused.status.code(), Some(2));
        let shown = stderr(&refused);
        assert!(!unsafe_for_a_terminal(&shown), "{shown}");
        assert!(shown.len() < 2_000, "{} bytes", shown.len());
    }
    let refused = yimi(&["check", "--jobs", hostile, "x.yaml"]);
    assert!(
        stderr(&refused).contains(
            "`\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{a}::error::forged` is not a number of threads"
        ),
        "{}",
        stderr(&refused)
    );
    let help = yimi(&["check", "--help"]);
    assert!(help.status.success());
    assert!(stdout(&help).contains("--max-steps"));
}

/// `rules fmt` leaves a read-only pack alone, shows comments holding CI commands disguised in
/// its diff, formats a pack whose name is near the file system's limit, and refuses a named
/// pipe found in a directory instead of waiting on it forever.
#[test]
fn rules_fmt_resists_hostile_files() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let unformatted = "pack p {\n    source shanghai-2023\n  jurisdiction CN/SH\n  version \"1\"\n}\n# ##[error]forged ##vso[task.setvariable variable=X]1\n";

    let read_only = dir.path().join("read-only.yimi");
    std::fs::write(&read_only, unformatted).expect("written");
    let mut permissions = std::fs::metadata(&read_only)
        .expect("metadata")
        .permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&read_only, permissions).expect("made read-only");
    let refused = yimi(&["rules", "fmt", "--lang", "en", &read_only.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("read-only"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read_to_string(&read_only).expect("readable"),
        unformatted
    );

    let checked = yimi(&["rules", "fmt", "--check", &read_only.to_string_lossy()]);
    assert_eq!(checked.status.code(), Some(1), "{}", stderr(&checked));
    let diff = stdout(&checked);
    assert!(diff.contains("#\\u{23}[error]forged"), "{diff}");
    assert!(!unsafe_for_a_terminal(&diff), "{diff}");

    let long = dir.path().join(format!("{}.yimi", "x".repeat(240)));
    std::fs::write(&long, unformatted).expect("written");
    let formatted = yimi(&["rules", "fmt", &long.to_string_lossy()]);
    assert!(formatted.status.success(), "{}", stderr(&formatted));
    assert_ne!(
        std::fs::read_to_string(&long).expect("readable"),
        unformatted
    );

    let packs = dir.path().join("packs");
    std::fs::create_dir(&packs).expect("a directory");
    let made = Command::new("mkfifo")
        .arg(packs.join("pipe.yimi"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let refused = yimi(&["rules", "fmt", "--lang", "en", &packs.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("not a regular file"),
        "{}",
        stderr(&refused)
    );
}

/// For a source that says children are heard, `rules new` writes a live example rule citing those
/// words — not a mechanism clause — with a rule id that names the place whole, and coverage counts
/// only that clause as encoded by it.
#[test]
fn rules_new_cites_a_clause_its_example_encodes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = dir.path().join("rules").to_string_lossy().into_owned();
    let made = yimi(&[
        "rules",
        "new",
        "--source",
        "jilin-2022",
        "--jurisdiction",
        "CN/JL/Changchun",
        &rules,
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let text = std::fs::read_to_string(dir.path().join("rules/jilin-2022-changchun.yimi"))
        .expect("the pack is written");
    assert!(text.contains("\nrule CHANGCHUN-001 "), "{text}");
    assert!(
        text.contains("cite     jilin-2022 §2 \"涉及儿童的重大事项事先听取儿童及监护人意见\""),
        "{text}"
    );
    assert!(!text.contains("机制"), "{text}");
    let tested = yimi(&["rules", "test", &rules]);
    assert!(
        stdout(&tested).contains("3 passed; 0 failed"),
        "{}",
        stdout(&tested)
    );
    let lint = yimi(&["rules", "lint", &rules, "--lang", "en"]);
    assert!(
        stdout(&lint).contains("no errors, 0 warnings"),
        "{}",
        stdout(&lint)
    );
    // The official's 整改意见 column speaks of the project; the YAML edit follows, labelled.
    // Checked after the fixture's consultation of 2026-03-12: on an earlier day it has not been
    // held and is not read (hostile review 15 X12).
    let fail = dir.path().join("rules/tests/CHANGCHUN-001/fail.yaml");
    let checked = yimi(&[
        "check",
        &fail.to_string_lossy(),
        "--rules",
        &rules,
        "--format",
        "markdown",
        "--as-of",
        LATER,
    ]);
    let row = stdout(&checked)
        .lines()
        .find(|line| line.starts_with('|') && line.contains("`CHANGCHUN-001`"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{}", stdout(&checked)));
    let advice = row.rsplit('|').nth(1).unwrap_or_default().trim().to_owned();
    assert!(advice.starts_with("决策前组织儿童及其监护人参与"), "{row}");
    assert!(
        advice.ends_with("项目文件:在 participation 中记录儿童参与的活动和人数"),
        "{row}"
    );
    // Without the advice, lint says so at the rule, and the column labels the edit as the file's.
    let pack = dir.path().join("rules/jilin-2022-changchun.yimi");
    let without: String = text
        .lines()
        .filter(|line| {
            !line.trim_start().starts_with("advice") && !line.contains("hear children and")
        })
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&pack, &without).expect("written");
    let lint = yimi(&["rules", "lint", &rules, "--lang", "en"]);
    let said = words(&(stdout(&lint) + &stderr(&lint)));
    assert!(said.contains("lint::advice"), "{said}");
    assert!(
        said.contains("rule `CHANGCHUN-001` has no `advice`: the review opinion's rectification column can only show the edit to the project file"),
        "{said}"
    );
    assert!(said.contains("jilin-2022-changchun.yimi:16:6"), "{said}");
    assert!(said.contains("no errors, 1 warning"), "{said}");
    let checked = yimi(&[
        "check",
        &fail.to_string_lossy(),
        "--rules",
        &rules,
        "--format",
        "markdown",
        "--as-of",
        LATER,
    ]);
    assert!(
        stdout(&checked).contains("| 项目文件:在 participation 中记录儿童参与的活动和人数 |"),
        "{}",
        stdout(&checked)
    );
    // An advice that is a YAML edit is pointed at, at the key it names.
    let yaml_advice = text.replace(
        "记录参与人数和儿童的意见\"",
        "记录参与人数和儿童的意见,注明 participation\"",
    );
    assert_ne!(yaml_advice, text);
    std::fs::write(&pack, &yaml_advice).expect("written");
    let lint = yimi(&["rules", "lint", &rules, "--lang", "en"]);
    let said = words(&(stdout(&lint) + &stderr(&lint)));
    assert!(
        said.contains(
            "the advice of rule `CHANGCHUN-001` names the project file's key `participation`"
        ),
        "{said}"
    );
    // The label is under the key in the advice, not under the rule's id.
    assert!(said.contains("jilin-2022-changchun.yimi:26:"), "{said}");
    assert!(
        said.contains("move the edit to the file to `hint`"),
        "{said}"
    );
    std::fs::write(&pack, &text).expect("written");
    let taken = yimi(&[
        "rules",
        "new",
        "--source",
        "jilin-2022",
        "--jurisdiction",
        "CN/JL/Changchun",
        "--id",
        "jl-cc",
        &rules,
        "--lang",
        "en",
    ]);
    assert!(taken.status.success(), "{}", stderr(&taken));
    assert!(dir.path().join("rules/jl-cc.yimi").is_file());
    let twice = yimi(&[
        "rules",
        "new",
        "--source",
        "jilin-2022",
        "--jurisdiction",
        "CN/JL",
        "--id",
        "jl-cc",
        &rules,
        "--lang",
        "en",
    ]);
    assert_eq!(twice.status.code(), Some(2));
}

/// `rules new` is all or nothing: when a fixture cannot be written (here its directory is a file
/// in the way), the pack written before it is removed again and the command fails with exit 2.
#[test]
fn rules_new_that_fails_midway_leaves_no_pack_behind() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("tests")).expect("made");
    std::fs::write(rules.join("tests/CHANGCHUN-001"), "").expect("written");
    let args = [
        "rules",
        "new",
        "--lang",
        "en",
        "--source",
        "jilin-2022",
        "--jurisdiction",
        "CN/JL/Changchun",
    ];
    let rules_dir = rules.to_string_lossy().into_owned();
    let failed = yimi(&[&args[..], &[&rules_dir]].concat());
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("the files already written were removed"),
        "{}",
        stderr(&failed)
    );
    let mut left: Vec<String> = walkdir_names(&rules);
    left.sort();
    assert_eq!(left, ["tests", "tests/CHANGCHUN-001"]);
    std::fs::remove_file(rules.join("tests/CHANGCHUN-001")).expect("removed");
    let made = yimi(&[&args[..], &[&rules_dir]].concat());
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(rules.join("tests/CHANGCHUN-001/pass.yaml").is_file());
}

/// Every path under `root`, relative to it.
fn walkdir_names(root: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("listed") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path.clone());
            }
            let relative = path.strip_prefix(root).expect("under the root");
            names.push(relative.to_string_lossy().into_owned());
        }
    }
    names
}

/// A rule citing a clause about a mechanism, saying it binds each project and applying to a
/// project of any kind, is warned about: the mechanism binds the government that sets it up.
#[test]
fn lint_warns_on_a_mechanism_clause_said_to_bind_every_project() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fixture = |children: u32| {
        format!(
            "yimi: 1\nproject: {{id: t, kind: policy, jurisdiction: CN/JL/Changchun, concerns_children: true}}\nparticipation:\n  - {{ date: 2026-03-12, method: workshop, children: {children} }}\n"
        )
    };
    std::fs::write(dir.path().join("pass.yaml"), fixture(5)).expect("fixture");
    std::fs::write(dir.path().join("fail.yaml"), fixture(0)).expect("fixture");
    std::fs::write(
        dir.path().join("missing.yaml"),
        "yimi: 1\nproject: {id: t, kind: policy, jurisdiction: CN/JL/Changchun, concerns_children: true}\n",
    )
    .expect("fixture");
    let pack = |addressee: &str| {
        format!(
            "pack local {{\n  source jilin-2022\n  jurisdiction CN/JL/Changchun\n}}\n\nrule LOCAL-1 \"t\" en \"t\" {{\n  domain rights\n  strength should\n  addressee {addressee}\n  cite jilin-2022 §1 \"建立健全儿童优先发展工作机制\"\n  applies project.concerns_children == true\n  require any(participation, p => p.children >= 1 persons)\n  advice \"听取儿童意见\"\n  test pass \"pass.yaml\"\n  test fail \"fail.yaml\"\n  test insufficient_evidence \"missing.yaml\" missing [participation]\n}}\n"
        )
    };
    let pack_path = dir.path().join("local.yimi");
    let lint = |addressee: &str| {
        std::fs::write(&pack_path, pack(addressee)).expect("rule file");
        let output = yimi(&[
            "rules",
            "lint",
            pack_path.to_str().expect("utf-8"),
            "--lang",
            "en",
        ]);
        stdout(&output) + &stderr(&output)
    };
    let project = lint("project");
    assert!(
        words(&project).contains("rule `LOCAL-1` cites a clause about a `机制`, which usually binds the government that sets it up, yet it says it binds each project"),
        "{project}"
    );
    assert!(project.contains("lint::addressee"), "{project}");
    // Limited to the plans and policies that set mechanisms up, it is what the clause says.
    std::fs::write(
        &pack_path,
        pack("government").replace(
            "applies project.concerns_children == true",
            "applies project.concerns_children == true and project.kind in [plan, policy]",
        ),
    )
    .expect("rule file");
    let output = yimi(&[
        "rules",
        "lint",
        pack_path.to_str().expect("utf-8"),
        "--lang",
        "en",
    ]);
    assert!(
        stdout(&output).contains("no errors, 0 warnings"),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}

/// `rules new` writes over nothing, not even a broken symbolic link where a file would go, and
/// shows the paths it was given as any quoted input is shown.
#[test]
fn rules_new_overwrites_nothing_and_shows_paths_safely() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = local_source(dir.path());
    let linked = dir.path().join("linked");
    std::fs::create_dir(&linked).expect("a directory");
    let link = linked.join("mycity-2026.yimi");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).expect("a broken link");
    let args = |target: &str| {
        [
            "rules",
            "new",
            "--source",
            "mycity-2026",
            "--jurisdiction",
            "CN/SH/Pudong",
            "--sources",
            &sources,
            target,
            "--lang",
            "en",
        ]
        .map(str::to_owned)
    };
    let refused = Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args(args(&linked.to_string_lossy()))
        .output()
        .expect("yimi runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("exists and is not overwritten"),
        "{}",
        stderr(&refused)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("the link is still there")
            .file_type()
            .is_symlink()
    );
    assert!(!dir.path().join("nowhere").exists());

    let hostile = dir.path().join("new\u{1b}[2J\n::error::forged");
    let made = Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args(args(&hostile.to_string_lossy()))
        .output()
        .expect("yimi runs");
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(!unsafe_for_a_terminal(&stdout(&made)), "{}", stdout(&made));
    assert!(stdout(&made).contains("new\\u{1b}[2J\\u{a}::error::forged"));
    assert!(hostile.join("mycity-2026.yimi").is_file());
}

/// `explain` has no project: a value the advice fills in is named in words, not shown as braces.
#[test]
fn explain_names_the_values_an_advice_fills_in() {
    let output = yimi(&["explain", "JL-005a"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("使托位合计不少于 (按项目的常住人口算出的数)"),
        "{text}"
    );
    assert!(!text.contains("{…}"), "{text}");
    let output = yimi(&["explain", "JL-005a", "--lang", "en"]);
    let text = stdout(&output);
    assert!(
        text.contains(
            "at least (the number computed from the project's resident population) in total"
        ),
        "{text}"
    );
    assert!(!text.contains("{…}"), "{text}");
}

/// A report is dated the day it is made (pinned here by `SOURCE_DATE_EPOCH`), not the day a file
/// is judged at, which each file's facts give with where it came from.
#[test]
fn a_report_is_dated_when_it_is_made_not_when_the_file_is_judged() {
    let output = Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args([
            "check",
            "--format",
            "markdown",
            "--as-of",
            "2025-06-30",
            "examples/jl-changchun-kindergarten.yaml",
        ])
        // 2026-12-01T12:00:00Z
        .env("SOURCE_DATE_EPOCH", "1796126400")
        .output()
        .expect("yimi runs");
    let text = stdout(&output);
    assert!(text.contains("生成日期 2026-12-01"), "{text}");
    assert!(
        text.contains("判断日期:2025-06-30(为本次检查指定的日期)"),
        "{text}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args(["check", "examples/jl-changchun-kindergarten.yaml"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .expect("yimi runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("`SOURCE_DATE_EPOCH=yesterday`: expected the seconds since 1970-01-01"),
        "{}",
        stderr(&output)
    ); // The last second of 9999 in China (UTC+8) is a day a report can be dated; the next has a
    // five-digit year, which W3CDTF (the Word document's `dcterms:created`) cannot write.
    for (seconds, accepted) in [
        ("253402271999", true),
        ("253402272000", false),
        ("9223372036854775807", false),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args([
                "check",
                "--format",
                "markdown",
                "examples/jl-changchun-kindergarten.yaml",
            ])
            .env("SOURCE_DATE_EPOCH", seconds)
            .output()
            .expect("yimi runs");
        if accepted {
            assert!(stdout(&output).contains("生成日期 9999-12-31"), "{seconds}");
        } else {
            assert_eq!(output.status.code(), Some(2), "{seconds}");
            assert!(
                stderr(&output).contains(&format!(
                    "`SOURCE_DATE_EPOCH={seconds}`: expected the seconds since 1970-01-01 (a whole number up to 253402271999, 9999-12-31)"
                )),
                "{}",
                stderr(&output)
            );
        }
    }
}

/// A source `q-2026` in `dir` whose text is `body` after a title and a part, and a pack
/// `pk/a.yimi` for it holding `items`; returns the pack's directory and the sources'.
fn large_local_pack(
    dir: &std::path::Path,
    numbering: &str,
    body: &str,
    items: &str,
) -> (String, String) {
    let sources = dir.join("src");
    let pack = dir.join("pk");
    std::fs::create_dir_all(&sources).expect("made");
    std::fs::create_dir_all(&pack).expect("made");
    std::fs::write(
        sources.join("index.yaml"),
        format!("- id: q-2026\n  file: q.txt\n  title: q\n  issuer: q\n  date: 2026-01-01\n  jurisdiction: CN/JL/Changchun\n  level: city\n  status: in_force\n  original: x.txt\n  numbering: {numbering}\n"),
    )
    .expect("written");
    std::fs::write(sources.join("q.txt"), format!("来源\n一、总体要求\n{body}")).expect("written");
    std::fs::write(
        pack.join("a.yimi"),
        format!("pack q {{\n  source       q-2026\n  jurisdiction CN/JL/Changchun\n  version      \"1\"\n}}\n\n{items}"),
    )
    .expect("written");
    (
        pack.to_string_lossy().into_owned(),
        sources.to_string_lossy().into_owned(),
    )
}

/// A note naming each of the 20 000 sentences of one clause is checked and counted in time
/// linear in the clause: each sentence was looked for from the clause's start, which took 36 s
/// for `rules coverage` and 17 s for `rules lint` at this size.
#[test]
fn a_note_naming_every_sentence_of_a_long_clause_is_checked_in_linear_time() {
    const SENTENCES: usize = 20_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let body: String = (0..SENTENCES)
        .map(|i| format!("第{i}句应当落实第{i}项。"))
        .collect();
    let named: String = (0..SENTENCES)
        .map(|i| format!(" sentence \"第{i}句应当落实第{i}项\""))
        .collect();
    let (pack, sources) = large_local_pack(
        dir.path(),
        "{ part: cn-dun, item: arabic-dot }",
        &format!("1. 标题。{body}\n"),
        &format!("not_checkable §1{named} \"r\"\n"),
    );
    let covered = yimi(&[
        "rules",
        "coverage",
        &pack,
        "--sources",
        &sources,
        "--source",
        "q-2026",
        "--lang",
        "en",
    ]);
    let shown = stdout(&covered);
    // The item itself stays unclassified (notes of sentences do not classify a clause): exit 1.
    assert_eq!(covered.status.code(), Some(1), "{}", stderr(&covered));
    let totals = shown
        .lines()
        .find(|line| line.starts_with("q-2026 "))
        .unwrap_or_default();
    assert!(
        totals.split_whitespace().collect::<Vec<_>>()
            == ["q-2026", "1", "0", "0", "0", "1", "0", "0", "20000", "0"],
        "every sentence is accounted for: {totals}"
    );
    assert!(shown.contains("第19999句应当落实第19999项。"), "{totals}");
    let linted = yimi(&[
        "rules",
        "lint",
        &pack,
        "--sources",
        &sources,
        "--lang",
        "en",
    ]);
    assert!(linted.status.success(), "{}", stderr(&linted));
}

/// Past 2 MiB a clause was scanned from its start for every quote again (its index was capped
/// to bound memory): 10 000 notes naming the last sentences of a 2.4 MB clause scanned some
/// 22 GB. Its suffix array finds each in time linear in the quote, in any order.
#[test]
fn notes_naming_the_end_of_a_clause_over_two_mebibytes_are_checked_in_linear_time() {
    const SENTENCES: usize = 70_000;
    const NAMED: usize = 10_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let body: String = (0..SENTENCES)
        .map(|i| format!("第{i}句应当落实第{i}项。"))
        .collect();
    assert!(body.len() > 2 << 20, "{} bytes", body.len());
    let named: String = (SENTENCES - NAMED..SENTENCES)
        .rev()
        .map(|i| format!(" sentence \"第{i}句应当落实第{i}项\""))
        .collect();
    let (pack, sources) = large_local_pack(
        dir.path(),
        "{ part: cn-dun, item: arabic-dot }",
        &format!("1. 标题。{body}\n"),
        &format!("not_checkable §1{named} \"r\"\n"),
    );
    let covered = yimi(&[
        "rules",
        "coverage",
        &pack,
        "--sources",
        &sources,
        "--source",
        "q-2026",
        "--lang",
        "en",
    ]);
    assert_eq!(covered.status.code(), Some(1), "{}", stderr(&covered));
    let shown = stdout(&covered);
    let totals = shown
        .lines()
        .find(|line| line.starts_with("q-2026 "))
        .unwrap_or_default();
    let (sentences, unaccounted) = (SENTENCES.to_string(), (SENTENCES - NAMED).to_string());
    let expected = [
        "q-2026",
        "1",
        "0",
        "0",
        "0",
        "1",
        "0",
        "0",
        &sentences,
        &unaccounted,
    ];
    assert!(
        totals.split_whitespace().eq(expected),
        "the named sentences are accounted for: {totals}"
    );
    // Sentences not in the clause: each error's help shows how the clause begins, which was found
    // by cutting the clause into words first, and the first word of a clause without white
    // space is all of it: a debug build took 0.5 s a wrong sentence at this size (500 of them:
    // 268 s). 20 are shown, the rest counted.
    const WRONG: usize = 1_000;
    let wrong: String = (0..WRONG)
        .map(|i| format!(" sentence \"第{i}句应当落实第{i}件\""))
        .collect();
    std::fs::write(
        std::path::Path::new(&pack).join("a.yimi"),
        format!("pack q {{\n  source       q-2026\n  jurisdiction CN/JL/Changchun\n  version      \"1\"\n}}\n\nnot_checkable §1{wrong} \"r\"\n"),
    )
    .expect("written");
    let linted = yimi(&[
        "rules",
        "lint",
        &pack,
        "--sources",
        &sources,
        "--lang",
        "en",
    ]);
    let shown = stderr(&linted);
    assert_eq!(linted.status.code(), Some(2), "{shown}");
    assert_eq!(shown.matches("the clause begins:").count(), 20, "{shown}");
    assert!(
        shown.contains(&format!("{} more problems", WRONG - 20)),
        "{shown}"
    );
}

/// A note naming C clauses and S sentences tried every sentence in every clause in turn, and
/// each wrong sentence's error listed every clause: time in C × S. Here 20 000 clauses and as
/// many sentences, each in its own clause, and 2 000 wrong sentences: some 2 × 10⁸ clause
/// lookups before (minutes in a debug build), one search of the clauses joined now.
#[test]
fn a_note_naming_thousands_of_clauses_and_sentences_is_checked_in_linear_time() {
    const CLAUSES: usize = 20_000;
    const WRONG: usize = 2_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let body: String = (1..=CLAUSES)
        .map(|i| format!("{i}. 第{i}条应当做好。\n"))
        .collect();
    let clauses = (1..=CLAUSES)
        .map(|i| format!("§h{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    // Each sentence in its own clause, the last clause's first: the search for it went through
    // every clause before it.
    let named: String = (1..=CLAUSES)
        .rev()
        .map(|i| format!(" sentence \"第{i}条应当做好\""))
        .collect();
    let (pack, sources) = large_local_pack(
        dir.path(),
        "{ part: cn-dun, heading: arabic-dot, item: arabic-close-paren }",
        &body,
        &format!("not_checkable {clauses}{named} \"r\"\n"),
    );
    let covered = yimi(&[
        "rules",
        "coverage",
        &pack,
        "--sources",
        &sources,
        "--source",
        "q-2026",
        "--lang",
        "en",
    ]);
    // Every sentence accounted for; the headings are not items, so nothing else is counted.
    let shown = stdout(&covered);
    let totals = shown
        .lines()
        .find(|line| line.starts_with("q-2026 "))
        .unwrap_or_default();
    let sentences = CLAUSES.to_string();
    let expected = ["q-2026", "0", "0", "0", "0", "0", "0", "0", &sentences, "0"];
    assert!(
        totals.split_whitespace().eq(expected),
        "every named sentence is accounted for: {totals}\n{}",
        stderr(&covered)
    );
    let wrong: String = (1..=WRONG)
        .map(|i| format!(" sentence \"第{i}条不应做好\""))
        .collect();
    std::fs::write(
        std::path::Path::new(&pack).join("a.yimi"),
        format!("pack q {{\n  source       q-2026\n  jurisdiction CN/JL/Changchun\n  version      \"1\"\n}}\n\nnot_checkable {clauses}{wrong} \"r\"\n"),
    )
    .expect("written");
    for (lang, listed) in [
        (
            "en",
            format!("§h1, §h2, §h3, §h4, §h5 and {} more", CLAUSES - 5),
        ),
        ("zh", format!("§h1, §h2, §h3, §h4, §h5 等 {CLAUSES} 条")),
    ] {
        let linted = yimi(&[
            "rules",
            "lint",
            &pack,
            "--sources",
            &sources,
            "--lang",
            lang,
        ]);
        let shown = stderr(&linted);
        assert_eq!(linted.status.code(), Some(2), "{shown}");
        // 20 errors shown, each naming the first clauses and counting the rest.
        assert_eq!(shown.matches(&listed).count(), 20, "{shown}");
        assert!(shown.contains("1,980"), "the rest counted: {shown}");
        assert!(shown.len() < 40_000, "{} bytes", shown.len());
    }
}

/// "Did you mean" is looked for only for the unknown clauses that are shown: 6 000 of them
/// against a source of 6 000 headings took minutes to print 20.
#[test]
fn unknown_clauses_by_the_thousand_are_reported_quickly_with_suggestions_for_those_shown() {
    const CLAUSES: usize = 6_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let body: String = (1..=CLAUSES)
        .map(|i| format!("{i}. 第{i}条应当做好。\n"))
        .collect();
    let notes: String = (1..=CLAUSES)
        .map(|i| format!("not_checkable §{i} \"r\"\n"))
        .collect();
    let (pack, sources) = large_local_pack(
        dir.path(),
        "{ part: cn-dun, heading: arabic-dot, item: arabic-close-paren }",
        &body,
        &notes,
    );
    let linted = yimi(&[
        "rules",
        "lint",
        &pack,
        "--sources",
        &sources,
        "--lang",
        "en",
    ]);
    let shown = stderr(&linted);
    assert_eq!(linted.status.code(), Some(2), "{shown}");
    assert!(shown.contains("did you mean `§h1`?"), "{shown}");
    assert!(shown.contains("did you mean `§h20`?"), "{shown}");
    assert!(shown.contains("5,980 more problems"), "{shown}");
}

/// A fixture is a regular file inside the rule file's directory: a pipe or a device is named for
/// what it is (reading one would hang or never end), and a symbolic link that leads out of the
/// directory is refused, so `rules test` never shows values of a file outside it.
#[cfg(unix)]
#[test]
fn a_fixture_that_is_not_a_regular_file_inside_the_pack_directory_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = dir.path().join("pk");
    std::fs::create_dir(&pack).expect("made");
    std::fs::copy("examples/sh-huangpu-park.yaml", pack.join("park.yaml")).expect("copied");
    let fifo = std::process::Command::new("mkfifo")
        .arg(pack.join("fifo.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    std::os::unix::fs::symlink("/dev/zero", pack.join("zero.yaml")).expect("linked");
    std::fs::write(dir.path().join("secret.yaml"), "secret: 1\n").expect("written");
    std::os::unix::fs::symlink(dir.path().join("secret.yaml"), pack.join("out.yaml"))
        .expect("linked");
    std::os::unix::fs::symlink("park.yaml", pack.join("inside.yaml")).expect("linked");
    std::os::unix::fs::symlink("loop-b.yaml", pack.join("loop-a.yaml")).expect("linked");
    std::os::unix::fs::symlink("loop-a.yaml", pack.join("loop-b.yaml")).expect("linked");
    let pack_dir = pack.to_string_lossy().into_owned();
    for (fixture, message) in [
        (
            "fifo.yaml",
            "fifo.yaml` is not a regular file but a named pipe (FIFO)",
        ),
        ("zero.yaml", "zero.yaml` is not a regular file but a device"),
        // A loop of links is not a missing file.
        (
            "loop-a.yaml",
            "loop-a.yaml`: Too many levels of symbolic links",
        ),
        (".", "is not a regular file but a directory"),
        (
            "out.yaml",
            "test fixture `out.yaml` leads outside the rule file's directory through a symbolic link",
        ),
        (
            "/dev/stdin",
            "test fixture `/dev/stdin` is an absolute path",
        ),
        (
            "../secret.yaml",
            "test fixture `../secret.yaml` is outside the rule file's directory",
        ),
    ] {
        std::fs::write(
            pack.join("a.yimi"),
            format!("pack local-bad {{\n  source       shanghai-2023\n  jurisdiction CN/SH/Pudong\n  version      \"2026.1\"\n}}\n\nrule LOCAL-1 \"公园绿地设置儿童活动场地\" {{\n  domain   space\n  strength should\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  site.area_m2 >= 3000 m2\n  test pass \"inside.yaml\"\n  test fail \"{fixture}\"\n}}\n"),
        )
        .expect("written");
        let tested = yimi(&["rules", "test", &pack_dir, "--lang", "en"]);
        assert_eq!(tested.status.code(), Some(2), "{fixture}");
        let shown = stderr(&tested);
        assert!(shown.contains(message), "{fixture}: {shown}");
        assert!(!shown.contains("secret: 1"), "{shown}");
    }
}

/// A refinement whose passing fixture does not load is not tested: `rules lint` says so where
/// the test is written (it said "no errors"), and `explain --rules` says why that test has no
/// outcome (it listed it with none).
#[test]
fn a_refinement_fixture_that_does_not_load_is_reported_by_lint_and_explain() {
    let (dir, pack) = refine_pack_with(|text| text.replace("fixtures/enough.yaml", "broken.yaml"));
    std::fs::write(dir.path().join("broken.yaml"), "yimi: 1\nproject: [\n").expect("written");
    let linted = yimi(&["rules", "lint", &pack, "--lang", "en"]);
    let shown = format!("{}{}", stdout(&linted), stderr(&linted));
    assert!(
        shown.contains("test fixture `broken.yaml` does not load, so its test has no outcome")
            && shown.contains("help: the fixture does not load: invalid YAML"),
        "{shown}"
    );
    let pack_file = format!("{pack}/changchun-refined.yimi");
    let explained = yimi(&["explain", "JL-005a", "--rules", &pack_file, "--lang", "en"]);
    let text = stdout(&explained);
    let line = text
        .lines()
        .find(|line| line.contains("broken.yaml"))
        .unwrap_or_default();
    assert!(
        line.contains("broken.yaml → the fixture does not load:"),
        "{text}{}",
        stderr(&explained)
    );
    assert!(
        text.contains("between.yaml → fail"),
        "the other tests keep their outcomes: {text}"
    );
}

/// A document report for more files than a reader can open is still written, with one warning
/// naming the option that asked for it (a Word file for 10 000 files was 1.2 GB); JSON is not
/// warned about, nor a document for a few files.
#[test]
fn a_document_for_hundreds_of_files_is_written_with_a_warning() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for index in 0..501 {
        std::fs::write(dir.path().join(format!("p{index:03}.yaml")), "yimi: 1\n").expect("a file");
    }
    let shown = dir.path().display().to_string();
    let report = dir.path().join("r.html").display().to_string();
    let report_arg = format!("html={report}");
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--format",
        "markdown",
        "--report",
        &report_arg,
        &shown,
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        vec![
            "warning: `--format markdown`: a report on 501 files grows larger than Word, WPS or a browser can open (document reports are meant for at most 500 files); it is still written. For many files use `json` or `sarif`, or one report per folder".to_owned(),
            format!("warning: `--report html={report}`: a report on 501 files grows larger than Word, WPS or a browser can open (document reports are meant for at most 500 files); it is still written. For many files use `json` or `sarif`, or one report per folder"),
        ],
    );
    assert!(
        stdout(&output).contains("p500.yaml"),
        "the report is written"
    );
    assert!(
        std::path::Path::new(&report).is_file(),
        "the report is written"
    );
    let output = yimi(&["check", "--lang", "en", "--format", "json", &shown]);
    assert!(!stderr(&output).contains("warning:"), "{}", stderr(&output));
    std::fs::remove_file(dir.path().join("p500.yaml")).expect("one file fewer");
    let output = yimi(&["check", "--lang", "en", "--format", "markdown", &shown]);
    assert!(!stderr(&output).contains("warning:"), "{}", stderr(&output));
}

// ---------------------------------------------------------------------------------------------
// Hardening of #12, round three (hostile review D8, D5 and its notes).

/// A waivers file written on one line: each waiver's line number was found by counting the
/// characters from the line's start, so the work grew with the square of the waivers (40 000:
/// 2.8 s of CPU in release; these 150 000 took 50 s of CPU there, now 0.5 s).
/// The last waiver names an unknown rule, so its place — 6 MB along the line — is checked too.
#[test]
fn a_waivers_file_on_one_line_is_read_in_linear_time() {
    const WAIVERS: usize = 150_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut line = String::from("waivers: [");
    for i in 0..WAIVERS {
        line.push_str(&format!("{{rule: JL-005b, reason: 理由{i}}}, "));
    }
    // The warning points at the rule id, past `{rule: `.
    let column = line.chars().count() + "{rule: ".len() + 1;
    line.push_str("{rule: JL-005z, reason: r}]");
    let waivers = dir.path().join("w.yaml");
    std::fs::write(&waivers, format!("yimi: 1\n{line}\n")).expect("written");
    let waivers = waivers.to_string_lossy().into_owned();
    let output = yimi(&[
        "check",
        "examples/jl-changchun-residential.yaml",
        "--waivers",
        &waivers,
        "--max-values",
        "2000000",
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    let shown = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains(&format!(
            "w.yaml:2:{column}: warning[waiver::unknown-rule]: the waiver names an unknown rule `JL-005z`"
        )),
        "{shown}"
    );
    assert!(stdout(&output).contains("waived"), "{}", stdout(&output));
}

/// A baseline that is not a report is refused in the chosen language, at its place, in words of
/// our own (serde's English was embedded in the Chinese message).
#[test]
fn a_baseline_that_is_not_a_report_is_refused_in_the_chosen_language_at_its_place() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (report_zh, report_en) = ("不是 yimi 的 JSON 报告:", "not a yimi JSON report: ");
    let (json_zh, json_en) = ("不是合法的 JSON:", "not valid JSON: ");
    for (name, text, place, code, zh, en) in [
        (
            "items.json",
            "{\"format\": \"yimi-report\", \"version\": 1,\n \"files\": [[]]}",
            "items.json:2:12",
            "baseline::not-a-report",
            format!("{report_zh}`files` 的每一项应为对象"),
            format!("{report_en}each item of `files` must be an object"),
        ),
        (
            "control.json",
            "{\"format\": \"yimi-\u{1}report\"}",
            "control.json:1:18",
            "baseline::not-json",
            format!("{json_zh}文本中有控制字符(须写成转义)"),
            format!("{json_en}a control character inside a string (it must be escaped)"),
        ),
        (
            "number.json",
            "{\"format\": \"yimi-report\", \"version\": 1, \"files\": [{\"findings\": [{\"fingerprint\": 7}]}]}",
            "number.json:1:81",
            "baseline::not-a-report",
            format!("{report_zh}`fingerprint` 应为文本"),
            format!("{report_en}`fingerprint` must be a string"),
        ),
        (
            // Where the file ends: just after its last character.
            "cut.json",
            "{\"format\": \"yimi-report\", \"files\": [",
            "cut.json:1:37",
            "baseline::not-json",
            format!("{json_zh}列表未结束,文件就结束了"),
            format!("{json_en}the file ends inside a list"),
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        let path = path.to_string_lossy().into_owned();
        for (lang, expected) in [("zh", zh), ("en", en)] {
            let output = yimi(&[
                "check",
                "examples/sh-huangpu-park.yaml",
                "--baseline",
                &path,
                "--lang",
                lang,
                "--format",
                "plain",
            ]);
            let shown = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{shown}");
            // One located diagnostic with its code, as a bad waivers file gives.
            let first = shown.lines().next().unwrap_or_default();
            assert!(
                first.ends_with(&format!("{place}: error[{code}]: {expected}")),
                "{name} {lang}: {shown}"
            );
            assert!(
                !shown.contains("invalid type") && !shown.contains("EOF"),
                "{shown}"
            );
            assert_eq!(shown.matches("error[").count(), 1, "{shown}");
            let help = if lang == "zh" {
                "  帮助: "
            } else {
                "  help: "
            };
            assert!(shown.contains(help), "{shown}");
        }
    }
}

/// Hostile review 16 Y5: `--max-depth` had no largest value, and 100 000 levels of `- - - …`
/// (200 KB) overflowed the main thread's stack freeing the tree, 30 000 a `--jobs` thread's and
/// `yimi serve`'s (SIGABRT). The deepest limit allowed, 1 000, is read on `--jobs` threads
/// without a crash, and a file one level deeper is refused at its place.
#[test]
fn the_deepest_nesting_limit_is_read_on_worker_threads_and_deeper_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let nested = |levels: usize| {
        format!(
            "yimi: 1\nproject: {{id: t, kind: park, jurisdiction: CN/SH}}\nx:\n{}1\n",
            "- ".repeat(levels - 1)
        )
    };
    for name in ["a.yaml", "b.yaml"] {
        std::fs::write(dir.path().join(name), nested(1000)).expect("written");
    }
    std::fs::write(dir.path().join("c.yaml"), nested(1001)).expect("written");
    let output = yimi(&[
        "check",
        "--jobs",
        "3",
        "--max-depth",
        "1000",
        "--format",
        "plain",
        "--lang",
        "en",
        dir.path().to_str().expect("utf-8"),
    ]);
    let shown = stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}{}", stderr(&output));
    assert!(
        shown.contains(
            "c.yaml:4:1999: error[yaml::too-deep]: nesting is deeper than the limit of 1000"
        ),
        "{shown}"
    );
    assert_eq!(shown.matches("yaml::too-deep").count(), 1, "{shown}");
    assert!(
        shown.contains("a.yaml") && shown.contains("b.yaml"),
        "{shown}"
    );
    for args in [
        &["check", "--max-depth", "1001", "examples"][..],
        &["serve", "--max-depth", "1001"],
    ] {
        let command = args[0];
        let output = yimi(args);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert!(
            stderr(&output).contains("`1001` is too large; the largest nesting limit is 1000"),
            "{command}: {}",
            stderr(&output)
        );
    }
}

/// A limit past the largest number says so, and names the largest (it said "is not a whole
/// number"); a limit that is not a number still says that.
#[test]
fn a_limit_too_large_to_hold_says_so_and_names_the_largest() {
    for (flag, value, message) in [
        (
            "--max-file-size",
            "18446744073709551616",
            "`18446744073709551616` is too large; the largest limit is 18446744073709551615",
        ),
        (
            "--max-values",
            "99999999999999999999999",
            "`99999999999999999999999` is too large; the largest limit is 18446744073709551615",
        ),
        (
            "--max-files",
            "1e3",
            "`1e3` is not a whole number; a limit must be at least 1",
        ),
        // Hostile review 16 Y5: a nesting limit whose trees would overflow the stack.
        (
            "--max-depth",
            "1001",
            "`1001` is too large; the largest nesting limit is 1000",
        ),
        (
            "--max-depth",
            "99999999999999999999999",
            "`99999999999999999999999` is too large; the largest nesting limit is 1000",
        ),
    ] {
        let output = yimi(&["check", "examples/sh-huangpu-park.yaml", flag, value]);
        let shown = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{shown}");
        assert!(shown.contains(message), "{flag} {value}: {shown}");
    }
}

/// With `--format plain`, errors of a waivers file and of a sources manifest are plain lines
/// (`file:line:column: error[…]`) like every other, without miette's box drawing.
/// An expired waiver leaves the finding it covered as if it had never been waived, and its note is
/// as serious as that finding (#12, F20): a lapsed waiver of a `should` rule's warning leaves the
/// file passing with advice (it was 需修改), a lapsed waiver of a `shall` rule's error fails it.
#[test]
fn an_expired_waiver_is_graded_as_the_finding_it_no_longer_covers() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        let output = yimi(&[
            "check",
            "--as-of",
            LATER,
            "--format",
            "json",
            path.to_str().expect("utf-8"),
        ]);
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("a JSON report");
        let file = report["files"][0].clone();
        let severity = |code: &str| {
            file["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .find(|finding| finding["rule_id"] == code)
                .map(|finding| finding["severity"].as_str().unwrap_or("").to_owned())
        };
        (
            output.status.code(),
            file["verdict"].as_str().unwrap_or("").to_owned(),
            severity("waiver::expired"),
            severity(if name == "should.yaml" {
                "JL-019a"
            } else {
                "JL-005a"
            }),
        )
    };
    // A block renewal whose public toilets have no child stall: JL-019a (`should`) fails.
    let block = "yimi: 1\nproject:\n  id: JL-BLOCK-1\n  kind: urban_renewal\n  stage: design\n  jurisdiction: CN/JL/Jilin\n  major: true\n  new_build: false\n  decision_date: 2026-10-20\nsite:\n  area_m2: 86000\npopulation:\n  residents: 9200\nrenewal:\n  kind: block\nstreet:\n  features: [continuous_sidewalk, barrier_free_crossings, child_friendly_signage]\nfacilities:\n  - id: wc-1\n    kind: public_toilet\n    child_toilet_stalls: 0\n    child_washbasins: 1\nparticipation:\n  - { date: 2026-06-12, method: workshop, children: 24, ages: \"7-12\", guardians: 18, stage: design, response_published: true }\nevidence:\n  - { kind: child_impact_assessment, title: 评价报告, date: 2026-07-30 }\n";
    let waiver = |rule: &str| {
        format!(
            "waivers:\n  - rule: {rule}\n    reason: 历史建筑,不具备条件\n    expires: 2026-10-01\n"
        )
    };
    let (code, verdict, note, finding) =
        run("should.yaml", &format!("{block}{}", waiver("JL-019a")));
    assert_eq!(finding.as_deref(), Some("warning"));
    assert_eq!(note.as_deref(), Some("warning"));
    assert_eq!((code, verdict.as_str()), (Some(0), "pass_with_advice"));
    // The same file without the waiver: the same verdict, so the lapse made it no worse.
    let (_, unwaived, none, _) = run("should.yaml", block);
    assert_eq!((unwaived.as_str(), none), ("pass_with_advice", None));
    // Jilin's residential example: JL-005a (`shall`) fails on 40 childcare places for 54.
    let residential = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/jl-changchun-residential.yaml"),
    )
    .expect("the example");
    let (code, verdict, note, finding) = run(
        "shall.yaml",
        &format!(
            "{residential}{}",
            waiver("JL-005a").replace("2026-10-01", "2026-04-01")
        ),
    );
    assert_eq!(finding.as_deref(), Some("error"));
    assert_eq!(note.as_deref(), Some("error"));
    assert_eq!((code, verdict.as_str()), (Some(1), "fail"));
}

#[test]
fn waivers_and_sources_errors_are_plain_with_format_plain() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let waivers = dir.path().join("w.yaml");
    std::fs::write(
        &waivers,
        "yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: \"   \"\n",
    )
    .expect("written");
    let waivers = waivers.to_string_lossy().into_owned();
    let sources = dir.path().join("src");
    std::fs::create_dir(&sources).expect("made");
    let sources = local_source(&sources);
    let manifest = std::path::Path::new(&sources).join("index.yaml");
    let text = std::fs::read_to_string(&manifest).expect("readable");
    std::fs::write(
        &manifest,
        text.replace("date: 2026-01-05", "date: 2026-13-05"),
    )
    .expect("written");
    for (flags, place, code) in [
        (
            ["--waivers", waivers.as_str()],
            "w.yaml:4:13: error[",
            "waiver::",
        ),
        (
            ["--sources", sources.as_str()],
            "index.yaml:5:9: error[",
            "date `2026-13-05` is not YYYY-MM-DD",
        ),
    ] {
        let mut args = vec!["check", "examples/sh-huangpu-park.yaml", "--lang", "en"];
        args.extend(flags);
        let human = yimi(&args);
        assert_eq!(human.status.code(), Some(2), "{}", stderr(&human));
        assert!(stderr(&human).contains('×'), "{}", stderr(&human));
        args.extend(["--format", "plain"]);
        let plain = yimi(&args);
        let shown = stderr(&plain);
        assert_eq!(plain.status.code(), Some(2), "{shown}");
        assert!(shown.contains(place) && shown.contains(code), "{shown}");
        assert!(
            !shown.contains(['×', '╭', '│', '─', '╰']),
            "no box drawing: {shown}"
        );
    }
}

// ---- polish7: newcomer review 7 (baselines from another directory, output paths, languages) ----

/// A baseline made on an absolute path matches the same run from any working directory, and one
/// made on `det` matches a run on `./det` or on the absolute path (issue #12).
#[test]
fn a_baseline_matches_whatever_the_working_directory_and_the_path_form() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let repo = dir.path().join("repo");
    let det = repo.join("det");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&det).expect("made");
    std::fs::create_dir_all(&elsewhere).expect("made");
    std::fs::copy("examples/sh-huangpu-park.yaml", det.join("park.yaml")).expect("copied");
    let run = |cwd: &std::path::Path, args: &[&str]| {
        let plain = ["--as-of", "2025-06-30", "--lang", "en", "--format", "plain"];
        yimi_in(cwd, &[args, &plain[..]].concat())
    };
    let absolute_det = det.to_str().expect("utf-8");
    let made = run(
        &repo,
        &["check", absolute_det, "--report", "json=absolute.json"],
    );
    assert!(repo.join("absolute.json").is_file(), "{}", stderr(&made));
    let made = run(&repo, &["check", "det", "--report", "json=relative.json"]);
    assert!(repo.join("relative.json").is_file(), "{}", stderr(&made));
    let absolute_baseline = repo.join("absolute.json");
    let absolute_baseline = absolute_baseline.to_str().expect("utf-8");
    let relative_baseline = repo.join("relative.json");
    let relative_baseline = relative_baseline.to_str().expect("utf-8");
    let cases: [(&std::path::Path, &str, &str); 7] = [
        (&elsewhere, absolute_det, absolute_baseline),
        (std::path::Path::new("/"), absolute_det, absolute_baseline),
        (&det, ".", absolute_baseline),
        (&repo, "./det", absolute_baseline),
        (&elsewhere, "../repo/det", absolute_baseline),
        (&repo, "./det", relative_baseline),
        (&repo, absolute_det, relative_baseline),
    ];
    for (cwd, target, baseline) in cases {
        let output = run(
            cwd,
            &["check", target, "--baseline", baseline, "--new-only"],
        );
        let text = stdout(&output);
        assert!(
            text.contains("against the baseline: 0 new, 4 already in it"),
            "{cwd:?} {target} {baseline}: {text}{}",
            stderr(&output)
        );
        assert_eq!(output.status.code(), Some(0), "{cwd:?} {target} {baseline}");
    }
    // Another file in the same place is no match: the path still counts.
    std::fs::rename(det.join("park.yaml"), det.join("other.yaml")).expect("renamed");
    let output = run(
        &elsewhere,
        &["check", absolute_det, "--baseline", absolute_baseline],
    );
    assert!(
        stdout(&output).contains("against the baseline: 4 new, 0 already in it"),
        "{}",
        stdout(&output)
    );
}

/// Errors outside any file are in the chosen language (Chinese by default), name what the user
/// can act on (a missing folder, not a temporary file; a missing sources directory) and say how
/// to make a baseline (newcomer review 7, defects 4 and 5).
#[test]
fn top_level_errors_speak_the_chosen_language_and_say_what_to_do() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("nodir").join("x.json");
    let missing = missing.to_str().expect("utf-8");
    let park = "examples/sh-huangpu-park.yaml";
    let output = yimi(&["check", park, "-o", missing]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.starts_with("错误: 无法写入 `"), "{text}");
    assert!(text.contains("nodir` 不存在;请先创建它"), "{text}");
    assert!(
        !text.contains(".x.json.") && !text.contains("os error"),
        "{text}"
    );
    let output = yimi(&["check", park, "-o", missing, "--lang", "en"]);
    let text = stderr(&output);
    assert!(
        text.contains("nodir` does not exist; create it first"),
        "{text}"
    );
    assert!(!text.contains(".x.json."), "{text}");

    let copy = dir.path().join("p.yaml");
    std::fs::copy(park, &copy).expect("copied");
    let copy = copy.to_str().expect("utf-8");
    let text = stderr(&yimi(&["check", copy, "-o", copy]));
    assert!(text.contains("是输入文件之一,不能用报告覆盖它"), "{text}");

    let nowhere = dir.path().join("nowhere");
    let nowhere = nowhere.to_str().expect("utf-8");
    let output = yimi(&["check", park, "--sources", nowhere, "--format", "plain"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!("无法登记来源:`{nowhere}` 不存在")),
        "{}",
        stderr(&output)
    );

    let not_a_report = dir.path().join("bad.json");
    std::fs::write(&not_a_report, "{\"version\": 2}").expect("written");
    let how =
        "基线是此前一次检查的 JSON 报告,这样生成:`yimi check … --format json -o baseline.json`";
    // A baseline is refused as the waivers file is, with a code and a hint of what to do.
    for (baseline, code, said) in [
        (
            not_a_report.to_str().expect("utf-8"),
            "baseline::version",
            "用本版本重新生成基线:`yimi check … --format json -o baseline.json`",
        ),
        (nowhere, "io::read", how),
    ] {
        let output = yimi(&["check", park, "--baseline", baseline]);
        assert_eq!(output.status.code(), Some(2));
        let text = stderr(&output);
        assert!(text.starts_with(code) && text.contains(said), "{text}");
        assert!(
            text.contains("不存在") || text.contains("本版本读取第 1 版"),
            "{text}"
        );
        assert!(!text.contains("os error"), "{text}");
    }
    let output = yimi(&["check", "no-such-project.yaml", "--format", "plain"]);
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text.contains("无法读取 `no-such-project.yaml`:文件或文件夹不存在"),
        "{text}"
    );
}

/// Without `--format`, `-o` writes the format its file's extension names; `--format` still
/// decides when given, and an unknown extension gets the text report (newcomer review 7,
/// defect 8).
#[test]
fn the_output_file_s_extension_chooses_the_format_unless_format_is_given() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let park = "examples/sh-huangpu-park.yaml";
    for (name, starts) in [
        ("r.html", "<!DOCTYPE html>"),
        ("r.HTM", "<!DOCTYPE html>"),
        ("r.md", "# "),
        ("r.json", "{"),
        ("r.sarif", "{"),
        ("r.xml", "<?xml"),
        ("r.docx", "PK"),
        ("r.txt", "SH-068a"),
    ] {
        let path = dir.path().join(name);
        let output = yimi(&["check", park, "-o", path.to_str().expect("utf-8")]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        let written = std::fs::read(&path).expect("written");
        let text = String::from_utf8_lossy(&written);
        assert!(text.trim_start().starts_with(starts), "{name}: {text}");
    }
    let text = std::fs::read_to_string(dir.path().join("r.txt")).expect("written");
    assert!(text.contains("共 1 个文件"), "the text report: {text}");
    let sarif = dir.path().join("r.sarif");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sarif).expect("written")).expect("json");
    assert_eq!(json["version"], "2.1.0");
    let junit = std::fs::read_to_string(dir.path().join("r.xml")).expect("written");
    assert!(junit.contains("<testsuites"), "{junit}");
    // An explicit format wins over the extension.
    let given = dir.path().join("given.html");
    let output = yimi(&[
        "check",
        park,
        "--format",
        "json",
        "-o",
        given.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&given).expect("written")).expect("json");
    assert_eq!(json["format"], "yimi-report");
}

/// A symbolic link among the folders of a report's path inside the working directory (a
/// checkout can commit `linked -> ~/.ssh`) is refused like a link at the path itself, for `-o`
/// and `--report`, in both languages, however the path reaches the folder (`./`, `..`, absolute,
/// through a link to the working directory), and nothing is written where it leads; a relative
/// path out of the working directory, an absolute path to a real folder, a link the operator
/// names outside the working directory, and `/dev/null` are written (#12 E2).
#[cfg(unix)]
#[test]
fn reports_are_never_written_through_a_linked_folder_in_the_working_directory() {
    use std::os::unix::fs::FileTypeExt;
    use std::path::Path;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let outside = dir.path().join("outside");
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("sub")).expect("folders");
    std::fs::create_dir(&outside).expect("a folder");
    std::os::unix::fs::symlink(&outside, work.join("linked")).expect("a link");
    std::os::unix::fs::symlink(&outside, work.join("sub/linked")).expect("a link");
    std::os::unix::fs::symlink(&outside, dir.path().join("elsewhere")).expect("a link");
    let park = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sh-huangpu-park.yaml");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args(["check", park, "--as-of", "2025-06-30"])
            .args(args)
            .current_dir(&work)
            .env("NO_COLOR", "1")
            .output()
            .expect("yimi runs")
    };
    let below = work.join("linked/abs.json").to_string_lossy().into_owned();
    let abs_link = work.join("linked");
    for (path, link) in [
        ("linked/r.json", Path::new("linked")),
        ("./sub/linked/r.json", Path::new("./sub/linked")),
        ("sub/../linked/r.json", Path::new("sub/../linked")),
        ("../work/linked/r.json", Path::new("../work/linked")),
        (below.as_str(), abs_link.as_path()),
    ] {
        let target = outside.display();
        let link = link.display();
        for args in [
            vec!["--lang", "en", "-o", path],
            vec!["--lang", "en", "--report", &format!("html={path}")],
        ] {
            let output = run(&args);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{args:?}: {}",
                stderr(&output)
            );
            assert!(
                stderr(&output).contains(&format!(
                    "`{path}` goes through `{link}`, a symbolic link to `{target}`; refusing to write a report through it (write the report to a path without links, or resolve the link yourself"
                )),
                "{args:?}: {}",
                stderr(&output)
            );
        }
        let output = run(&["-o", path]);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains(&format!("经过 `{link}`,它是指向 `{target}` 的符号链接")),
            "{}",
            stderr(&output)
        );
    }
    // Below the working directory reached through a link to it (as `$PWD` may name it).
    let shell = dir.path().join("shell");
    std::os::unix::fs::symlink(&work, &shell).expect("a link");
    let named = shell.join("linked/r.json").to_string_lossy().into_owned();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_yimi"))
        .args([
            "check",
            park,
            "--as-of",
            "2025-06-30",
            "--lang",
            "en",
            "-o",
            &named,
        ])
        .current_dir(&work)
        .env("PWD", &shell)
        .output()
        .expect("yimi runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("a symbolic link to"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_dir(&outside).expect("the folder").count(),
        0,
        "something was written through a link"
    );
    // Paths the operator chose outside the working directory, and a real folder inside it.
    let real = work.join("sub/r.json").to_string_lossy().into_owned();
    let through_own_link = dir.path().join("elsewhere/own.json");
    let through_own_link = through_own_link.to_string_lossy().into_owned();
    for (path, written) in [
        ("sub/plain.json", work.join("sub/plain.json")),
        (real.as_str(), work.join("sub/r.json")),
        ("../up.json", dir.path().join("up.json")),
        ("../elsewhere/up.json", outside.join("up.json")),
        (through_own_link.as_str(), outside.join("own.json")),
    ] {
        let output = run(&["--lang", "en", "-o", path]);
        assert_eq!(output.status.code(), Some(0), "{path}: {}", stderr(&output));
        assert!(written.is_file(), "{path}: not written");
    }
    let output = run(&["--lang", "en", "-o", "/dev/null"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::metadata("/dev/null")
            .expect("/dev/null")
            .file_type()
            .is_char_device()
    );
}

/// Law review 8 / newcomer review 8 F3: a rule reading one value in two of its conditions
/// (JL-005b compares the delivery date where the flag is unknown and again where both dates are
/// stated) records the row once, and a flag the file may leave out is met by its silence: the
/// record says the file does not state it, not that something is missing (未提供).
#[test]
fn the_record_gives_each_comparison_once_and_a_flag_left_out_as_met() {
    for (lang, required, stated) in [
        ("zh", "不注明是否与住宅同步验收、同步交付使用", "文件未注明"),
        (
            "en",
            "no statement of whether it is accepted and handed over together with the housing",
            "the file does not state it",
        ),
    ] {
        let result = json_result("rules/tests/JL-005b/dates.yaml", "JL-005b", lang);
        assert_eq!(result["outcome"], "pass");
        let compared = result["compared"].as_array().expect("compared");
        assert_eq!(compared.len(), 2, "{compared:#?}");
        assert_ne!(compared.first(), compared.get(1));
        let flag = compared
            .iter()
            .find(|row| row["path"] == "facilities[0].delivered_with_housing")
            .expect("the flag's row");
        assert_eq!(flag["holds"], true);
        assert_eq!(flag["required"], required, "{flag:#}");
        assert_eq!(flag["stated"], stated, "{flag:#}");
    }
}

/// Newcomer review 9, F2 and F3: a Chinese name two values answer to (局部调整) lists both with
/// what each means, and the English meaning of a value reads on one line.
#[test]
fn a_name_of_two_values_lists_both() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("plan.yaml");
    std::fs::write(
        &file,
        "yimi: 1\nproject: {id: P, kind: plan, jurisdiction: CN/SH/Huangpu}\nplan: {plan_type: detailed, amendment_scope: 局部调整}\n",
    )
    .expect("written");
    let path = file.to_str().expect("utf-8 path");
    let zh = stdout(&yimi(&["check", path, "--format", "plain"]));
    assert!(
        zh.contains("是否想写以下之一:`partial_residential`(局部调整,涉及居住用地或儿童服务设施用地)、`partial_other`(局部调整,不涉及"),
        "{zh}"
    );
    let en = stdout(&yimi(&["check", path, "--format", "plain", "--lang", "en"]));
    assert!(
        en.contains("`partial_other` (A partial amendment that changes neither residential land nor land for children's facilities)"),
        "{en}"
    );
    assert!(!en.contains("\\u{a}"), "{en}");
}

/// A city plan whose targets name indicators no pack declares: a misspelt id and the
/// indicator's Chinese name; `{extra}` adds a target.
const PLAN_TARGETS: &str = "yimi: 1
project:
  id: SH-ETYH-2024-01
  name: 上海市儿童友好城市建设专项计划
  kind: plan
  jurisdiction: CN/SH
  concerns_children: true
  decision_date: 2024-03-01
plan:
  level: city
  plan_type: children
targets:
  - { indicator: child_friendly_school, value: 60, year: 2025 }
  - { indicator: 儿童友好公园数, value: 20, year: 2025 }
{extra}participation:
  - { date: 2023-12-15, method: children_council, children: 40, ages: \"8-14\", response_published: true }
";

/// An indicator id in `targets` that no pack declares is a located warning with the id meant
/// (by spelling, or by the indicator's name), zh and en; one only a pack of another place reads
/// is noted as not judged here. Before, both were silently ignored and a city plan committing to
/// 60 of the 100 schools Shanghai asks for passed (newcomer review 9 F4).
#[test]
fn unknown_indicator_ids_warn_with_the_id_meant() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("plan.yaml");
    let file = path.to_string_lossy().into_owned();
    std::fs::write(&path, PLAN_TARGETS.replace("{extra}", "")).expect("written");
    let zh = yimi(&["check", &file, "--format", "plain"]);
    let text = stdout(&zh);
    for expected in [
        format!(
            "{file}:13:18: warning[project::unknown-indicator]: 未知的指标编号 `child_friendly_school`,这条目标未作判定"
        ),
        "  建议: 是否想写 `child_friendly_schools`(儿童友好学校数)?".to_owned(),
        format!(
            "{file}:14:18: warning[project::unknown-indicator]: 未知的指标编号 `儿童友好公园数`,这条目标未作判定"
        ),
        "  建议: 是否想写 `child_friendly_parks`(儿童友好公园数)?".to_owned(),
    ] {
        assert!(
            text.lines().any(|line| line == expected),
            "{expected}\nin\n{text}"
        );
    }
    assert!(
        text.contains("通过,附建议 — 其中 1 条规则因材料不足未能判定 · 错误 0 · 警告 2"),
        "{text}"
    );
    let en = yimi(&["check", &file, "--format", "plain", "--lang", "en"]);
    let text = stdout(&en);
    for expected in [
        format!(
            "{file}:13:18: warning[project::unknown-indicator]: unknown indicator `child_friendly_school`, so this target is not judged"
        ),
        "  advice: did you mean `child_friendly_schools` (child-friendly schools)?".to_owned(),
        "  advice: did you mean `child_friendly_parks` (child-friendly parks)?".to_owned(),
    ] {
        assert!(
            text.lines().any(|line| line == expected),
            "{expected}\nin\n{text}"
        );
    }
    // Spelt as suggested, the plan is judged, and short of the city's 100 schools.
    std::fs::write(
        &path,
        PLAN_TARGETS
            .replace("{extra}", "")
            .replace("child_friendly_school,", "child_friendly_schools,"),
    )
    .expect("written");
    let fixed = yimi(&["check", &file, "--format", "plain"]);
    assert_eq!(fixed.status.code(), Some(1), "{}", stdout(&fixed));
    assert!(
        stdout(&fixed).contains("error[SH-T023]"),
        "{}",
        stdout(&fixed)
    );
    // An id a Jilin target reads is a real indicator, which a Shanghai plan may commit to
    // though nothing in Shanghai judges it: no finding about it.
    std::fs::write(
        &path,
        PLAN_TARGETS
            .replace("child_friendly_school,", "child_friendly_schools,")
            .replace("儿童友好公园数", "child_friendly_parks")
            .replace(
                "{extra}",
                "  - { indicator: vaccination_rate, value: 99, year: 2025 }\n",
            ),
    )
    .expect("written");
    let elsewhere = yimi(&["check", &file, "--format", "plain", "--lang", "en"]);
    let text = stdout(&elsewhere);
    assert!(!text.contains("unknown-indicator"), "{text}");
}

/// Thousands of unknown indicators are 20 warnings and one counting the rest, in every format:
/// before, each target was a warning with the 700-byte list of the ids the packs read, and
/// 20 000 of them wrote a 47 MB SARIF report (hostile review 15 X5). The list of ids is given
/// once, at the first target with no id close to its own.
#[test]
fn unknown_indicators_past_twenty_are_counted_in_one_warning() {
    const TARGETS: usize = 3000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("plan.yaml");
    let file = path.to_string_lossy().into_owned();
    let extra: String = (0..TARGETS)
        .map(|k| format!("  - {{ indicator: zz_unknown_{k}, value: 3.5, year: 2025 }}\n"))
        .collect();
    std::fs::write(&path, PLAN_TARGETS.replace("{extra}", &extra)).expect("written");
    // The two targets of the plan come first, then the generated ones.
    let hidden = TARGETS + 2 - 20;
    let plain = yimi(&["check", &file, "--format", "plain", "--lang", "en"]);
    let text = stdout(&plain);
    let warnings: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("warning[project::unknown-indicator]"))
        .collect();
    assert_eq!(warnings.len(), 21, "{text}");
    assert!(
        warnings.last().is_some_and(|line| line.ends_with(&format!(
            "warning[project::unknown-indicator]: … and {hidden} more like these (`project::unknown-indicator`), not listed"
        ))),
        "{warnings:?}"
    );
    // The count is placed at the first target not listed (line 13 is the first target).
    assert!(
        warnings
            .last()
            .is_some_and(|line| line.starts_with(&format!("{file}:{}:", 13 + 20))),
        "{warnings:?}"
    );
    let listings = text
        .matches("the indicators the packs that apply check: `")
        .count();
    assert_eq!(listings, 1, "{text}");
    // The summary and the totals count every finding, not the lines that show them: 20 listed
    // and 2 982 counted in one line are 3 002 warnings, not 21.
    let total = TARGETS + 2;
    let summaries: Vec<&str> = text
        .lines()
        .filter(|line| line.contains(" warnings"))
        .collect();
    assert!(
        summaries.len() >= 2
            && summaries
                .iter()
                .all(|line| line.contains(&format!(" {total} warnings"))),
        "{summaries:?}"
    );
    let human = yimi(&["check", &file, "--format", "human", "--lang", "en"]);
    assert!(
        stdout(&human).contains(&format!(" {total} warnings")),
        "{}",
        stdout(&human)
    );
    // Every format is bounded: no format grows with the number of unknown targets.
    for (format, bound) in [
        ("plain", 20_000),
        ("human", 30_000),
        ("json", 150_000),
        ("sarif", 400_000),
        ("html", 100_000),
        ("markdown", 60_000),
        ("junit", 20_000),
    ] {
        let out = yimi(&["check", &file, "--format", format, "--lang", "en"]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let size = out.stdout.len();
        assert!(size < bound, "{format}: {size} bytes");
        let text = stdout(&out);
        assert!(
            text.contains(&format!("{hidden} more like these")),
            "{format} does not count the rest"
        );
        assert!(
            !text.contains("zz_unknown_100"),
            "{format} lists a target past the cap"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&yimi(&["check", &file, "--format", "json"]).stdout)
            .expect("a JSON report");
    let listed = json["files"][0]["findings"]
        .as_array()
        .map_or(0, |findings| {
            findings
                .iter()
                .filter(|f| f["rule_id"] == "project::unknown-indicator")
                .count()
        });
    assert_eq!(listed, 21);
    assert_eq!(
        json["files"][0]["counts"]["warning"], total,
        "{}",
        json["files"][0]["counts"]
    );
    assert_eq!(json["summary"]["warnings"], total, "{}", json["summary"]);
}

/// `rules list` gives each target's indicator id, as a plan's `targets[].indicator` names it,
/// with its name, unit, comparator, threshold in that unit and year (examples/README sends
/// plan authors there for the ids; newcomer review 9 F1: the word `indicator` was not in it).
#[test]
fn rules_list_names_each_target_s_indicator() {
    let listed = yimi(&[
        "rules",
        "list",
        "--source",
        "shanghai-2023",
        "--format",
        "json",
    ]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let items: serde_json::Value = serde_json::from_str(&stdout(&listed)).expect("JSON");
    let items = items.as_array().expect("a list");
    let target = |id: &str| {
        items
            .iter()
            .find(|item| item["id"] == id)
            .unwrap_or_else(|| panic!("{id} is listed"))
    };
    let schools = target("SH-T023");
    assert_eq!(schools["kind"], "target");
    assert_eq!(schools["indicator"], "child_friendly_schools");
    assert_eq!(schools["indicator_label"], "儿童友好学校数");
    assert_eq!(schools["comparator"], "≥");
    assert_eq!(schools["threshold"], 100.0);
    assert_eq!(schools["year"], 2025);
    assert!(schools["unit"].is_null(), "a count has no unit: {schools}");
    let share = target("SH-T019");
    assert_eq!(share["indicator"], "inclusive_childcare_place_share");
    assert_eq!(
        (share["unit"].as_str(), share["threshold"].as_f64()),
        (Some("%"), Some(60.0))
    );
    assert!(
        target("SH-068a").get("indicator").is_none(),
        "a rule that is not a target has no indicator"
    );
    let table = yimi(&["rules", "list", "--source", "shanghai-2023"]);
    let line = stdout(&table)
        .lines()
        .find(|line| line.starts_with("SH-T023 "))
        .map(str::to_owned)
        .expect("SH-T023 in the table");
    assert!(line.ends_with("  [child_friendly_schools]"), "{line}");
}

/// The example rule `rules new` writes takes the strength the reading table gives its quote
/// (应当 is shall), so `rules lint` is clean on the tool's own output; an unregistered local
/// source is sent to `--sources` before any built-in source of a similar name (newcomer
/// review 9 F11: `strength should` on 应当, and "did you mean `jilin-2022`?" for jiaxing-2026).
#[test]
fn rules_new_writes_the_strength_its_quote_reads_as_and_points_at_sources() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("index.yaml"),
        "- id: jiaxing-2026\n  file: jiaxing-2026.txt\n  title: 嘉兴市儿童友好城市建设方案\n  issuer: 嘉兴市人民政府\n  date: 2026-03-01\n  jurisdiction: CN/ZJ/Jiaxing\n  level: city\n  status: in_force\n  original: jiaxing-2026.html\n  numbering: { item: arabic-dot }\n",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("jiaxing-2026.txt"),
        "嘉兴市儿童友好城市建设方案\n\n1. 涉及儿童的重大事项,决策前应当听取儿童及其监护人的意见,并反馈采纳情况。\n",
    )
    .expect("written");
    let sources = dir.path().to_string_lossy().into_owned();
    let rules = dir.path().join("rules").to_string_lossy().into_owned();
    let new = |extra: &[&str]| {
        let mut args = vec![
            "rules",
            "new",
            "--source",
            "jiaxing-2026",
            "--jurisdiction",
            "CN/ZJ/Jiaxing",
            &rules,
            "--lang",
            "en",
        ];
        args.extend_from_slice(extra);
        yimi(&args)
    };
    let unregistered = new(&[]);
    assert_eq!(unregistered.status.code(), Some(2));
    assert!(
        stderr(&unregistered).contains(
            "unknown source `jiaxing-2026`: register a local source with `--sources DIR` first"
        ),
        "{}",
        stderr(&unregistered)
    );
    let made = new(&["--sources", &sources]);
    assert!(made.status.success(), "{}", stderr(&made));
    let text = std::fs::read_to_string(dir.path().join("rules/jiaxing-2026.yimi"))
        .expect("the pack is written");
    assert!(
        text.contains("决策前应当听取儿童及其监护人的意见"),
        "{text}"
    );
    assert!(text.contains("  strength shall\n"), "{text}");
    let lint = yimi(&[
        "rules",
        "lint",
        &rules,
        "--sources",
        &sources,
        "--lang",
        "en",
    ]);
    assert!(
        lint.status.success() && stdout(&lint).contains("no errors, 0 warnings"),
        "{}{}",
        stdout(&lint),
        stderr(&lint)
    );
    let tested = yimi(&["rules", "test", &rules, "--sources", &sources]);
    assert!(tested.status.success(), "{}", stdout(&tested));
    // Coverage of the author's packs is of their sources, the built-in ones on asking (F12: some
    // 1 400 lines of them came before the author's own warning).
    let coverage = |extra: &[&str]| {
        let mut args = vec!["rules", "coverage", &rules, "--sources", &sources];
        args.extend_from_slice(extra);
        stdout(&yimi(&args))
    };
    let own = coverage(&[]);
    assert!(own.contains("jiaxing-2026"), "{own}");
    assert!(!own.contains("jilin-2022"), "{own}");
    let all = coverage(&["--all"]);
    assert!(
        all.contains("jiaxing-2026") && all.contains("jilin-2022"),
        "{all}"
    );
}

// ---- harden12b: hostile review 8 F9 (who may waive), F10 (baseline paths) ----

/// `--inline-waivers`: a project file's own waivers apply (the default), are set aside with one
/// note at `waivers` (ignore), or make the file invalid input with one message there (refuse),
/// in both languages; a waivers file given with `--waivers` applies whatever the value, and a
/// file without waivers of its own is checked alike under each.
#[test]
fn inline_waivers_apply_are_ignored_or_refused_as_asked() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let park = std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("the example");
    let lines = park.lines().count();
    let with = dir.path().join("with.yaml");
    std::fs::write(
        &with,
        format!("{park}waivers:\n  - rule: SH-068a\n    reason: 见批复 12 号\n"),
    )
    .expect("written");
    let with = with.to_str().expect("utf-8");
    let external = dir.path().join("waivers.yaml");
    std::fs::write(
        &external,
        "yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: 区绿化市容局批复 2026-7 号\n",
    )
    .expect("written");
    let external = external.to_str().expect("utf-8");
    let check = |args: &[&str]| {
        let mut all = vec!["check", "--as-of", "2025-06-30", "--format", "plain"];
        all.extend_from_slice(args);
        yimi(&all)
    };
    let at_waivers = format!("with.yaml:{}:1: ", lines + 1);
    // Apply: waived, by default and when asked.
    for args in [
        &[with, "--lang", "en"][..],
        &[with, "--lang", "en", "--inline-waivers", "apply"],
    ] {
        let output = check(args);
        let text = stdout(&output);
        assert!(text.contains("waived[SH-068a]"), "{text}");
        assert!(!text.contains("waiver::inline"), "{text}");
    }
    // Ignore: the finding counts, and one note says why, at `waivers`.
    for (lang, note) in [
        (
            "en",
            "the project file's 1 waiver of its own was not applied",
        ),
        ("zh", "项目文件自带的 1 条豁免未予适用"),
    ] {
        let output = check(&[with, "--lang", lang, "--inline-waivers", "ignore"]);
        let text = stdout(&output);
        assert_ne!(output.status.code(), Some(2), "{text}");
        assert!(text.contains("warning[SH-068a]"), "{text}");
        assert!(!text.contains("waived[SH-068a]"), "{text}");
        assert_eq!(text.matches("waiver::inline-ignored").count(), 1, "{text}");
        let line = text
            .lines()
            .find(|line| line.contains("waiver::inline-ignored"))
            .expect("the note");
        assert!(line.contains(&at_waivers) && line.contains(note), "{text}");
    }
    // Refuse: exit 2, one located message, nothing checked.
    for (lang, message) in [
        (
            "en",
            "the project file states 1 waiver of its own, which this check is set to refuse",
        ),
        (
            "zh",
            "项目文件自带 1 条豁免,而本次检查设定为不接受项目文件中的豁免",
        ),
    ] {
        let output = check(&[with, "--lang", lang, "--inline-waivers", "refuse"]);
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        let errors: Vec<&str> = text
            .lines()
            .filter(|line| line.contains("error["))
            .collect();
        assert_eq!(errors.len(), 1, "{text}");
        assert!(
            errors[0].contains(&format!(
                "{at_waivers}error[waiver::inline-refused]: {message}"
            )),
            "{text}"
        );
        assert!(!text.contains("SH-068a]"), "{text}");
    }
    // The authority's waivers file applies under each value; the file's own waiver is then
    // set aside (ignore) or refused (refuse) as before.
    let output = check(&[
        with,
        "--lang",
        "en",
        "--inline-waivers",
        "ignore",
        "--waivers",
        external,
    ]);
    let text = stdout(&output);
    assert!(text.contains("waived[SH-068a]"), "{text}");
    assert!(text.contains("区绿化市容局批复 2026-7 号"), "{text}");
    assert!(text.contains("waiver::inline-ignored"), "{text}");
    // A file without waivers of its own: the same report under every value.
    let plain = "examples/sh-huangpu-park.yaml";
    let reports: Vec<String> = ["apply", "ignore", "refuse"]
        .iter()
        .map(|value| {
            let output = check(&[
                plain,
                "--lang",
                "en",
                "--inline-waivers",
                value,
                "--waivers",
                external,
            ]);
            assert_eq!(output.status.code(), Some(0), "{value}");
            stdout(&output)
        })
        .collect();
    assert!(reports[0].contains("waived[SH-068a]"), "{}", reports[0]);
    assert!(reports.iter().all(|report| *report == reports[0]));
    // An unknown value is refused by the command line, naming the values.
    let output = check(&[plain, "--inline-waivers", "never"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("apply"), "{}", stderr(&output));
}

/// Hostile review 8 F10: a baseline matches the same files however they are reached — through
/// `..`, a linked folder, from another working directory, with the report written into another
/// folder — while a copy of the files elsewhere is new (fail safe). Outside a git repository
/// files are named from the baseline's folder.
#[test]
fn a_baseline_matches_the_same_files_through_dot_dot_links_and_other_directories() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let top = dir.path().canonicalize().expect("a real path");
    let det = top.join("det");
    std::fs::create_dir_all(det.join("sub")).expect("made");
    std::fs::create_dir_all(top.join("out")).expect("made");
    std::fs::copy("examples/sh-huangpu-park.yaml", det.join("a.yaml")).expect("copied");
    std::fs::copy("examples/sh-huangpu-park.yaml", det.join("sub/b.yaml")).expect("copied");
    let run = |cwd: &std::path::Path, args: &[&str]| {
        let plain = ["--as-of", "2025-06-30", "--lang", "en", "--format", "plain"];
        yimi_in(cwd, &[args, &plain[..]].concat())
    };
    let made = run(&top, &["check", "det", "--report", "json=bl.json"]);
    assert!(top.join("bl.json").is_file(), "{}", stderr(&made));
    // Written into another folder, from inside `det`.
    let made = run(&det, &["check", ".", "--report", "json=../out/bl.json"]);
    assert!(top.join("out/bl.json").is_file(), "{}", stderr(&made));
    #[cfg(unix)]
    std::os::unix::fs::symlink("det", top.join("detlink")).expect("linked");
    let sub = det.join("sub");
    let mut cases: Vec<(&std::path::Path, &str, &str)> = vec![
        (&top, "det/sub/../", "bl.json"),
        (&top, "det//.", "out/bl.json"),
        (&det, ".", "../bl.json"),
        (&sub, "..", "../../bl.json"),
        (&sub, "../", "../../out/bl.json"),
    ];
    #[cfg(unix)]
    cases.push((&top, "detlink", "bl.json"));
    #[cfg(unix)]
    cases.push((&sub, "../../detlink/sub/..", "../../out/bl.json"));
    for (cwd, target, baseline) in cases {
        let output = run(
            cwd,
            &["check", target, "--baseline", baseline, "--new-only"],
        );
        let text = stdout(&output);
        assert!(
            text.contains("against the baseline: 0 new, 8 already in it"),
            "{cwd:?} {target} {baseline}: {text}{}",
            stderr(&output)
        );
        assert_eq!(output.status.code(), Some(0), "{cwd:?} {target} {baseline}");
    }
    // The same content in another folder is other files: every finding is new.
    std::fs::create_dir_all(top.join("det2/sub")).expect("made");
    std::fs::copy(det.join("a.yaml"), top.join("det2/a.yaml")).expect("copied");
    std::fs::copy(det.join("sub/b.yaml"), top.join("det2/sub/b.yaml")).expect("copied");
    let output = run(&top, &["check", "det2", "--baseline", "bl.json"]);
    assert!(
        stdout(&output).contains("against the baseline: 8 new, 0 already in it"),
        "{}",
        stdout(&output)
    );
}

/// In a git repository files are named from its root: a baseline made at the root into
/// `.yimi/` matches a run from a sub-folder reading a copy of it outside the repository (as the
/// CI recipes read the base branch's baseline into a temporary folder).
#[test]
fn a_baseline_made_in_a_repository_matches_wherever_it_is_copied() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let top = dir.path().canonicalize().expect("a real path");
    let repo = top.join("repo");
    let projects = repo.join("projects");
    std::fs::create_dir_all(&projects).expect("made");
    std::fs::create_dir_all(repo.join(".git")).expect("a repository's marker");
    std::fs::create_dir_all(top.join("runner")).expect("made");
    std::fs::copy("examples/sh-huangpu-park.yaml", projects.join("park.yaml")).expect("copied");
    let run = |cwd: &std::path::Path, args: &[&str]| {
        yimi_in(
            cwd,
            &[args, &["--as-of", "2025-06-30", "--lang", "en"][..]].concat(),
        )
    };
    std::fs::create_dir_all(repo.join(".yimi")).expect("made");
    let made = run(
        &repo,
        &[
            "check",
            "projects/",
            "--format",
            "json",
            "-o",
            ".yimi/baseline.json",
        ],
    );
    assert!(
        repo.join(".yimi/baseline.json").is_file(),
        "{}",
        stderr(&made)
    );
    std::fs::copy(
        repo.join(".yimi/baseline.json"),
        top.join("runner/baseline.json"),
    )
    .expect("copied");
    for (cwd, target, baseline) in [
        (&repo, "projects/", "../runner/baseline.json"),
        (&projects, ".", "../../runner/baseline.json"),
        (&projects, "park.yaml", "../.yimi/baseline.json"),
    ] {
        let output = run(
            cwd,
            &[
                "check",
                target,
                "--baseline",
                baseline,
                "--new-only",
                "--format",
                "plain",
            ],
        );
        let text = stdout(&output);
        assert!(
            text.contains("against the baseline: 0 new, 4 already in it"),
            "{cwd:?} {target} {baseline}: {text}{}",
            stderr(&output)
        );
    }
}

/// Hostile review 9 R1: `approved_by` is shown beside every finding a waiver covers, as the
/// reason is; past 200 characters it is refused, located at it, in a waivers file and in a
/// project file alike (2.6 million characters made 312 MB of output for ten files).
/// R5: a reason of combining marks alone (no visible letter) is blank.
#[test]
fn a_long_approver_and_a_reason_of_combining_marks_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let park = std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("the example");
    let lines = park.lines().count();
    let long = "批".repeat(201);
    let waivers = dir.path().join("w.yaml");
    std::fs::write(
        &waivers,
        format!("yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: ok\n    approved_by: {long}\n"),
    )
    .expect("written");
    let output = yimi(&[
        "check",
        "examples/sh-huangpu-park.yaml",
        "--lang",
        "en",
        "--format",
        "plain",
        "--waivers",
        waivers.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("w.yaml:5:18: error[waiver::approver-too-long]: the waiver's `approved_by` is 201 characters long, more than 200"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains(&long));
    let inline = dir.path().join("inline.yaml");
    for (lang, message) in [
        ("en", "the waiver's `approved_by` is 201 characters long"),
        ("zh", "豁免的批准机关有 201 个字符,超过上限 200 个"),
    ] {
        std::fs::write(
            &inline,
            format!("{park}waivers:\n  - rule: SH-068a\n    reason: ok\n    approved_by: {long}\n"),
        )
        .expect("written");
        let output = yimi(&[
            "check",
            inline.to_str().expect("utf-8"),
            "--lang",
            lang,
            "--format",
            "plain",
        ]);
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            text.contains(&format!(
                "inline.yaml:{}:18: error[waiver::approver-too-long]: {message}",
                lines + 4
            )),
            "{text}"
        );
    }
    // Exactly 200 characters still waives.
    std::fs::write(
        &inline,
        format!(
            "{park}waivers:\n  - rule: SH-068a\n    reason: ok\n    approved_by: {}\n",
            "批".repeat(200)
        ),
    )
    .expect("written");
    let output = yimi(&[
        "check",
        inline.to_str().expect("utf-8"),
        "--format",
        "plain",
    ]);
    assert!(
        stdout(&output).contains("waived[SH-068a]"),
        "{}",
        stdout(&output)
    );
    // Combining marks alone say nothing.
    std::fs::write(
        &inline,
        format!("{park}waivers:\n  - rule: SH-068a\n    reason: \"\\u0345\\u0345\\u0345\"\n"),
    )
    .expect("written");
    let output = yimi(&[
        "check",
        inline.to_str().expect("utf-8"),
        "--lang",
        "en",
        "--format",
        "plain",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("error[waiver::no-reason]"),
        "{}",
        stdout(&output)
    );
}

/// Hostile review 9 R6: errors and warnings about a waivers file or a rule pack carry no CI log
/// command in plain or human output (`##vso[` anywhere, `##[`, a line starting with `::`), as a
/// project file's do not.
#[test]
fn waivers_and_pack_diagnostics_carry_no_ci_commands() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bad_scope = dir.path().join("scope.yaml");
    std::fs::write(
        &bad_scope,
        "yimi: 1\nwaivers:\n  - rule: SH-068a\n    scope: \"##vso[task.x]\"\n    reason: ok\n",
    )
    .expect("written");
    let unknown = dir.path().join("unknown.yaml");
    std::fs::write(
        &unknown,
        "yimi: 1\nwaivers:\n  - rule: \"SH-06::x ##vso[y] ##[error]z\"\n    reason: ok\n",
    )
    .expect("written");
    let pack = dir.path().join("pack");
    std::fs::create_dir_all(&pack).expect("made");
    std::fs::write(
        pack.join("loc.yimi"),
        "rule LOC-001 \"t ##vso[task.x]\" {  domainn policy\n::error::forged\n",
    )
    .expect("written");
    let cases: [(&str, &std::path::Path); 3] = [
        ("--waivers", &bad_scope),
        ("--waivers", &unknown),
        ("--rules", &pack),
    ];
    for (option, path) in cases {
        for format in ["plain", "human"] {
            let output = yimi(&[
                "check",
                "examples/sh-huangpu-park.yaml",
                "--lang",
                "en",
                "--format",
                format,
                option,
                path.to_str().expect("utf-8"),
            ]);
            let text = format!("{}{}", stderr(&output), stdout(&output));
            assert!(
                text.contains("vso["),
                "{option} {format}: the text is shown\n{text}"
            );
            for line in text.lines() {
                assert!(
                    !line.contains("##vso[") && !line.contains("##["),
                    "{option} {format}: {line}"
                );
                assert!(
                    !line.trim_start().starts_with("::"),
                    "{option} {format}: {line}"
                );
            }
        }
    }
}

/// Newcomer review 9 F7: a waiver approved after the date judged at did not exist then: it does
/// not apply, and a note at its `approved_on` (in a waivers file: at the project) says so,
/// graded as the finding it would have covered; approved on or before that date, it applies.
#[test]
fn a_waiver_approved_after_the_date_judged_does_not_apply() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let park = std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("the example");
    let lines = park.lines().count();
    let inline = dir.path().join("inline.yaml");
    for (approved_on, waived) in [("2099-01-01", false), ("2025-06-30", true)] {
        std::fs::write(
            &inline,
            format!("{park}waivers:\n  - rule: SH-068a\n    reason: 见批复 12 号\n    approved_on: {approved_on}\n"),
        )
        .expect("written");
        for (lang, note) in [
            (
                "en",
                "the waiver of `SH-068a` is approved on 2099-01-01, after the date judged at (2025-06-30): it does not apply yet",
            ),
            (
                "zh",
                "规则 `SH-068a` 的豁免批准于 2099-01-01,晚于判断日期 2025-06-30:尚不适用",
            ),
        ] {
            let output = yimi(&[
                "check",
                inline.to_str().expect("utf-8"),
                "--as-of",
                "2025-06-30",
                "--lang",
                lang,
                "--format",
                "plain",
            ]);
            let text = stdout(&output);
            assert_eq!(
                text.contains("waived[SH-068a]"),
                waived,
                "{approved_on}\n{text}"
            );
            if waived {
                assert!(!text.contains("waiver::not-yet-approved"), "{text}");
            } else {
                assert!(text.contains("warning[SH-068a]"), "{text}");
                assert!(
                    text.contains(&format!(
                        "inline.yaml:{}:18: warning[waiver::not-yet-approved]: {note}",
                        lines + 4
                    )),
                    "{text}"
                );
            }
        }
    }
}

/// Hostile review 9 R7: with standard output closed (`>&-`) a report goes nowhere, so a command
/// that prints one refuses to run (exit 2, a message on standard error, in the language asked
/// for) instead of exiting 0 with no report. `> /dev/null` still discards output, and a command
/// that writes to a file (`-o`) or prints nothing there runs.
#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_exit_2_with_a_message() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sh-huangpu-park.yaml");
    let run = |redirected: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {redirected}"))
            .arg(env!("CARGO_BIN_EXE_yimi"))
            .arg(&project)
            .current_dir(dir.path())
            .output()
            .expect("sh runs")
    };
    for (redirected, message) in [
        (
            "check \"$1\" --format plain --lang en >&-",
            "error: standard output is closed (as by `>&-`), so the report would go nowhere: redirect standard output to a file, or give `-o FILE`",
        ),
        (
            "check \"$1\" >&-",
            "错误: 标准输出已关闭(如 `>&-`),报告无处可写",
        ),
        (
            "rules list --lang en >&-",
            "error: standard output is closed",
        ),
        (
            "explain SH-068a --lang en >&-",
            "error: standard output is closed",
        ),
        // `schema` has no `--lang`: it speaks the default language, as `check` without one.
        ("schema >&-", "错误: 标准输出已关闭(如 `>&-`),报告无处可写"),
        ("completions bash >&-", "错误: 标准输出已关闭"),
        ("--version >&-", "error: standard output is closed"),
    ] {
        let output = run(redirected);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{redirected}\n{text}");
        assert!(text.starts_with(message), "{redirected}\n{text}");
    }
    // Standard error closed too: still exit 2.
    assert_eq!(run("check \"$1\" >&- 2>&-").status.code(), Some(2));
    for redirected in [
        "check \"$1\" --format plain > /dev/null",
        "check \"$1\" -o out.json >&-",
        "schema -o schema.json >&-",
    ] {
        let output = run(redirected);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{redirected}\n{}",
            stderr(&output)
        );
    }
    let written =
        std::fs::read_to_string(dir.path().join("out.json")).expect("the report is written");
    assert!(written.contains("\"SH-068a\""), "{written}");
    assert!(dir.path().join("schema.json").is_file());
}

/// Newcomer review 9 F15: a baseline whose files none of the run's files match (a renamed tree,
/// outside a repository) made every finding new with no word why. A warning, located at the
/// baseline, names a file it holds and how this run names its files, with a hint; a run that
/// matches it (the same paths, or from inside the folder) gets none.
#[test]
fn a_baseline_that_names_none_of_the_run_s_files_is_warned_about() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sh-huangpu-park.yaml");
    for folder in ["projects", "renamed"] {
        std::fs::create_dir(dir.path().join(folder)).expect("made");
        std::fs::copy(&example, dir.path().join(folder).join("park.yaml")).expect("copied");
    }
    let run = |args: &[&str], from: &str| {
        yimi_in(
            &dir.path().join(from),
            &[args, &["--as-of", "2025-06-30"][..]].concat(),
        )
    };
    let made = run(
        &["check", "projects", "--format", "json", "-o", "base.json"],
        ".",
    );
    assert!(dir.path().join("base.json").is_file(), "{}", stderr(&made));
    let renamed = run(
        &[
            "check",
            "renamed",
            "--baseline",
            "base.json",
            "--lang",
            "en",
            "--format",
            "plain",
        ],
        ".",
    );
    let help = "  help: check the files the baseline was made from (a baseline names its files relative to the repository's root inside a git repository, and outside one relative to the folder the baseline was written to), or make the baseline again from here\n";
    assert_eq!(
        stderr(&renamed),
        format!(
            "base.json: warning[baseline::no-file-matched]: the baseline's fingerprints name files such as `projects/park.yaml`, none of them a file this run checks (such as `renamed/park.yaml`), so every finding counts as new\n{help}"
        )
    );
    let zh = run(&["check", "renamed", "--baseline", "base.json"], ".");
    assert!(
        stderr(&zh)
            .contains("基线的指纹所记的文件(如 `projects/park.yaml`)没有一个是本次检查的文件"),
        "{}",
        stderr(&zh)
    );
    // A report of an earlier build says only the names its files were given under.
    let report = std::fs::read_to_string(dir.path().join("base.json")).expect("the report");
    let older: String = report
        .lines()
        .filter(|line| !line.contains("\"fingerprint_path\""))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(older, report);
    std::fs::write(dir.path().join("older.json"), older).expect("written");
    let plain = ["--lang", "en", "--format", "plain"];
    let renamed = run(
        &[
            &["check", "renamed", "--baseline", "older.json"][..],
            &plain,
        ]
        .concat(),
        ".",
    );
    assert_eq!(
        stderr(&renamed),
        format!(
            "older.json: warning[baseline::no-file-matched]: the baseline names files such as `projects/park.yaml`, but none this run checks: this run names its files as `renamed/park.yaml`, so every finding counts as new\n{help}"
        )
    );
    for (args, from) in [
        (&["check", "projects", "--baseline", "base.json"][..], "."),
        (
            &["check", "./projects/park.yaml", "--baseline", "base.json"][..],
            ".",
        ),
        (
            &["check", ".", "--baseline", "../base.json"][..],
            "projects",
        ),
    ] {
        let args = [args, &["--lang", "en", "--format", "plain"][..]].concat();
        let output = run(&args, from);
        assert!(
            !stderr(&output).contains("no-file-matched"),
            "{args:?} from {from}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).contains("[in baseline]"),
            "{args:?}: {}",
            stdout(&output)
        );
    }
}

/// Newcomer review 16 N4: a baseline made in a repository, applied to a copy of its folder outside
/// it that is given under the same relative name, matched by that name, though no fingerprint
/// could match (they name the copy relative to the baseline's folder): every finding was new,
/// without a word. The baseline says how its fingerprints name its files; the warning is held to
/// those names, and the run in the repository itself gets none.
#[test]
fn a_copy_of_a_repository_s_folder_under_the_same_name_is_warned_about() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let repo = dir.path().join("repo");
    let copy = dir.path().join("copy");
    for folder in [&repo, &copy] {
        std::fs::create_dir_all(folder.join("projects")).expect("made");
        std::fs::copy(
            "examples/sh-huangpu-park.yaml",
            folder.join("projects/park.yaml"),
        )
        .expect("copied");
    }
    std::fs::create_dir_all(repo.join(".git")).expect("a repository's marker");
    std::fs::create_dir_all(repo.join(".yimi")).expect("made");
    let plain = ["--as-of", "2025-06-30", "--lang", "en", "--format", "plain"];
    let made = yimi_in(
        &repo,
        &[
            "check",
            "projects",
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
            "-o",
            ".yimi/baseline.json",
        ],
    );
    let report =
        std::fs::read_to_string(repo.join(".yimi/baseline.json")).expect("the baseline is written");
    assert!(
        report.contains("\"fingerprint_path\": \"projects/park.yaml\""),
        "{}\n{report}",
        stderr(&made)
    );
    let in_repo = yimi_in(
        &repo,
        &[
            &["check", "projects", "--baseline", ".yimi/baseline.json"][..],
            &plain,
        ]
        .concat(),
    );
    assert_eq!(stderr(&in_repo), "");
    assert!(stdout(&in_repo).contains("0 new"), "{}", stdout(&in_repo));
    let copied = yimi_in(
        &copy,
        &[
            &[
                "check",
                "projects",
                "--baseline",
                "../repo/.yimi/baseline.json",
            ][..],
            &plain,
        ]
        .concat(),
    );
    assert!(
        stdout(&copied).contains("0 already in it"),
        "{}",
        stdout(&copied)
    );
    assert_eq!(
        stderr(&copied),
        "../repo/.yimi/baseline.json: warning[baseline::no-file-matched]: the baseline's fingerprints name files such as `projects/park.yaml`, none of them a file this run checks: this run's `projects/park.yaml` would be `../../copy/projects/park.yaml` in the baseline's fingerprints, so every finding counts as new\n  help: check the files the baseline was made from (a baseline names its files relative to the repository's root inside a git repository, and outside one relative to the folder the baseline was written to), or make the baseline again from here\n"
    );
}

/// Hostile review 9 R8 and 15 X1: a waivers file's `project:` trusts the id a file declares. When
/// two files of one run declare an id that a waiver names, the waiver applies to neither, and each
/// gets an error at its `project.id` naming the other, counted (the run fails, exit 1); files with
/// ids no waiver names get none.
#[test]
fn two_files_declaring_a_waived_project_id_get_none_of_its_waivers() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sh-huangpu-park.yaml");
    let text = std::fs::read_to_string(&example).expect("the example");
    std::fs::write(dir.path().join("a.yaml"), &text).expect("written");
    std::fs::write(dir.path().join("b.yaml"), &text).expect("written");
    let id_line = text
        .lines()
        .position(|line| line.starts_with("  id: "))
        .expect("the example has a project id")
        + 1;
    let id = text
        .lines()
        .nth(id_line - 1)
        .and_then(|line| line.strip_prefix("  id: "))
        .expect("the id")
        .to_owned();
    let waivers = dir.path().join("w.yaml");
    let run = |waived: &str, files: &[&str]| {
        std::fs::write(
            &waivers,
            format!(
                "yimi: 1\nwaivers:\n  - project: {waived}\n    rule: SH-068a\n    reason: ok\n"
            ),
        )
        .expect("written");
        let options = ["--waivers", "w.yaml", "--format", "plain"];
        let plain = ["--lang", "en", "--as-of", "2025-06-30"];
        yimi_in(
            dir.path(),
            &[&["check"][..], files, &options, &plain].concat(),
        )
    };
    let output = run(&id, &["a.yaml", "b.yaml"]);
    let text = stdout(&output);
    for (file, other) in [("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")] {
        assert!(
            text.contains(&format!(
                "{file}:{id_line}:7: error[waiver::shared-project-id]: 2 files of this run declare the project id `{id}` (also `{other}`): the waivers file's 1 waiver for that id was applied to none of them"
            )),
            "{text}"
        );
    }
    assert_eq!(
        text.matches("error[waiver::shared-project-id]").count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches(" 0 waived)").count(), 2, "{text}");
    assert_eq!(output.status.code(), Some(1), "{text}");
    // Either file alone gets the waiver (the rule waived, nothing about the id).
    let alone = run(&id, &["a.yaml"]);
    assert!(stdout(&alone).contains(" 1 waived)"), "{}", stdout(&alone));
    assert!(!stdout(&alone).contains("shared-project-id"));
    let output = run("OTHER-ID", &["a.yaml", "b.yaml"]);
    assert!(
        !stdout(&output).contains("shared-project-id"),
        "{}",
        stdout(&output)
    );
}

/// Hostile review 15 X1, as `borrow.sh` of the review's reproductions runs it: the base branch's
/// waivers file waives three findings of `projects/legacy.yaml` by its project id; a pull request
/// adds another estate declaring that id. Checked with the CI recipe's options (base-branch
/// waivers, `--inline-waivers ignore`, the base branch's baseline, `--new-only`, SARIF and JUnit
/// reports), the new file borrowed the waivers and the gate passed (exit 0, "0 warnings", nothing
/// in JUnit). Now neither file gets them, the gate fails, and every format counts the error:
/// whichever of the two files sorts first. A waiver pinned to its file with `file:` (as the
/// baseline names it, or as the run was given it) covers that file only, whoever shares its id.
#[test]
fn a_new_file_declaring_a_waived_project_id_does_not_borrow_the_waivers_in_the_ci_gate() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/jl-changchun-residential.yaml");
    let text = std::fs::read_to_string(&example).expect("the example");
    assert!(text.contains("  id: JL-CC-2026-0088\n") && text.contains("places: 40"));
    let other_estate = text
        .replace("name: 长春净月某新建居住区", "name: 另一个小区")
        .replace("places: 40", "places: 1");
    let waivers = |pin: &str| {
        let mut text = String::from("yimi: 1\nwaivers:\n");
        for (rule, reason) in [
            ("JL-005a", "二期交付"),
            ("JL-005b", "二期交付"),
            ("JL-006c", "另行报批"),
        ] {
            text.push_str(&format!(
                "  - {{ project: JL-CC-2026-0088,{pin} rule: {rule}, reason: {reason}, approved_by: 规划科, approved_on: 2026-03-01 }}\n"
            ));
        }
        text
    };
    for (new_name, pin) in [
        ("new.yaml", ""),
        ("a-new.yaml", ""),
        ("new.yaml", " file: projects/legacy.yaml,"),
        ("a-new.yaml", " file: ./projects//legacy.yaml,"),
    ] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let repo = dir.path().join("r");
        // A repository's root is where `.git` is: baselines and pins name files from there.
        std::fs::create_dir_all(repo.join(".git")).expect("repository");
        std::fs::create_dir_all(repo.join("projects")).expect("projects");
        std::fs::write(repo.join("projects/legacy.yaml"), &text).expect("written");
        std::fs::write(dir.path().join("waivers.yaml"), waivers(pin)).expect("written");
        let yimi_in_repo =
            |args: &[&str]| yimi_in(&repo, &[args, &["--as-of", "2026-12-07"][..]].concat());
        // The base branch: the office's file, its findings waived, is the baseline.
        let base = yimi_in_repo(&[
            "check",
            "projects/",
            "--format",
            "json",
            "-o",
            "../baseline.json",
            "--waivers",
            "../waivers.yaml",
        ]);
        assert_eq!(base.status.code(), Some(0), "{}", stderr(&base));
        // The pull request.
        std::fs::write(repo.join("projects").join(new_name), &other_estate).expect("written");
        let gate = yimi_in_repo(&[
            "check",
            "projects/",
            "--waivers",
            "../waivers.yaml",
            "--inline-waivers",
            "ignore",
            "--strict-evidence",
            "--format",
            "plain",
            "--baseline",
            "../baseline.json",
            "--new-only",
            "--report",
            "sarif=yimi.sarif",
            "--report",
            "junit=yimi.junit.xml",
            "--lang",
            "en",
        ]);
        let plain = stdout(&gate);
        let case = format!("{new_name}{pin}: {plain}{}", stderr(&gate));
        // The new estate fails either way: its own findings are new and unwaived.
        assert_eq!(gate.status.code(), Some(1), "{case}");
        let new_line = plain
            .lines()
            .find(|line| line.starts_with(&format!("projects/{new_name} — ")))
            .unwrap_or_else(|| panic!("{case}"));
        assert!(new_line.contains("0 waived"), "{case}");
        let legacy_line = plain
            .lines()
            .find(|line| line.starts_with("projects/legacy.yaml — "))
            .unwrap_or_else(|| panic!("{case}"));
        let junit = std::fs::read_to_string(repo.join("yimi.junit.xml")).expect("junit");
        let sarif = std::fs::read_to_string(repo.join("yimi.sarif")).expect("sarif");
        if pin.is_empty() {
            for file in [new_name, "legacy.yaml"] {
                assert!(
                    plain.contains(&format!(
                        "projects/{file}:6:7: error[waiver::shared-project-id]: [new] 2 files of this run declare the project id `JL-CC-2026-0088`"
                    )),
                    "{case}"
                );
            }
            assert!(
                plain.contains(
                    "the waivers file's 3 waivers for that id were applied to none of them"
                ),
                "{case}"
            );
            assert!(
                legacy_line.starts_with("projects/legacy.yaml — fail"),
                "{case}"
            );
            assert!(legacy_line.contains("0 waived"), "{case}");
            // 3 + 1 errors a file: its rules' and the shared id.
            assert!(new_line.contains("4 errors"), "{case}");
            assert!(legacy_line.contains("4 errors"), "{case}");
            assert!(
                plain.contains(
                    "2 files: 2 fail, 0 incomplete, 0 pass with advice, 0 pass, 0 invalid; 8 errors"
                ),
                "{case}"
            );
            assert_eq!(
                junit
                    .matches(r#"<failure type="waiver::shared-project-id""#)
                    .count(),
                2,
                "{junit}"
            );
            assert_eq!(
                sarif
                    .matches(r#""ruleId": "waiver::shared-project-id""#)
                    .count(),
                2,
                "{sarif}"
            );
        } else {
            assert!(!plain.contains("shared-project-id"), "{case}");
            assert!(!junit.contains("shared-project-id"), "{junit}");
            assert!(
                legacy_line.starts_with("projects/legacy.yaml — pass"),
                "{case}"
            );
            assert!(legacy_line.contains("3 waived"), "{case}");
        }
    }
}

/// Hostile review 14 H7: a given pack that declares a built-in pack's id took that pack's rules
/// out of `check` without a word (every Jilin project passed with 0 rules).
#[test]
fn a_pack_declaring_a_builtin_id_is_refused_by_check_and_warned_by_lint() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("rules dir");
    let pack = rules.join("local.yimi");
    std::fs::write(
        &pack,
        "pack jilin-2022 {\n  source       jilin-2022\n  jurisdiction CN/JL\n  version      \"2026.9\"\n}\n",
    )
    .expect("pack");
    let rules = rules.to_str().expect("utf-8");
    let project = "examples/jl-changchun-residential.yaml";
    for (lang, words) in [
        ("en", "declares the id of the built-in pack `jilin-2022`"),
        ("zh", "内置规则包 `jilin-2022`"),
    ] {
        let output = yimi(&["check", project, "--rules", rules, "--lang", lang]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let text = stderr(&output);
        assert!(text.contains(words), "{text}");
        assert!(text.contains("local.yimi:1:6"), "{text}");
        assert!(text.contains("--no-builtin"), "{text}");
        assert_eq!(text.matches("rules::replaces-builtin").count(), 1, "{text}");
    }
    // Against the user's own copy only, it is what the user asked for.
    let own = yimi(&["check", project, "--rules", rules, "--no-builtin"]);
    assert_ne!(own.status.code(), Some(2), "{}", stderr(&own));
    // The pack author's lint and test of an edited copy keep working, with a warning.
    for command in ["lint", "test"] {
        let output = yimi(&["rules", command, rules, "--lang", "en"]);
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(output.status.success(), "{all}");
        // `rules test` prints its cases, not the load's warnings; lint is where they are read.
        if command == "lint" {
            assert!(
                all.contains("replaces the built-in pack `jilin-2022`"),
                "{all}"
            );
        }
    }
    // An exact copy of a built-in pack changes nothing and is taken quietly.
    let copy = yimi(&[
        "check",
        project,
        "--rules",
        "rules/jilin-2022.yimi",
        "--lang",
        "en",
    ]);
    assert_eq!(copy.status.code(), Some(1), "{}", stderr(&copy));
    assert!(
        !stderr(&copy).contains("replaces-builtin"),
        "{}",
        stderr(&copy)
    );
}

/// Hostile review 14 H10: a decision date after the day of the check is a planned date. Believed,
/// `decision_date: 2099-12-31` took Yuzhong's plan, in force on the day of the check, out of force
/// (its two errors became advice) and a waiver approved after the check applied. The project is
/// judged at the day of the check, and the report says why.
#[test]
fn a_decision_date_after_the_check_is_not_judged_at() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example =
        std::fs::read_to_string("examples/yz-qixinggang-renewal.yaml").expect("the example");
    assert!(example.contains("decision_date: 2026-07-15"));
    let later = example.replace("decision_date: 2026-07-15", "decision_date: 2099-12-31");
    let file = dir.path().join("later.yaml");
    std::fs::write(&file, &later).expect("written");
    let file = file.to_str().expect("utf-8");
    for (lang, judged) in [
        (
            "en",
            "2026-12-07 (the date set for the check; the decision date 2099-12-31 is later)",
        ),
        (
            "zh",
            "2026-12-07(为本次检查指定的日期;项目决策日期 2099-12-31 晚于此日)",
        ),
    ] {
        let output = yimi(&[
            "check",
            file,
            "--as-of",
            "2026-12-07",
            "--strict-evidence",
            "--inline-waivers",
            "ignore",
            "--format",
            "plain",
            "--lang",
            lang,
        ]);
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert!(text.contains("error[YZ-014d]"), "{text}");
        assert!(text.contains(judged), "{text}");
    }
    let json = yimi(&["check", file, "--as-of", "2026-12-07", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(
        report["files"][0]["judged_at"],
        serde_json::json!({"date": "2026-12-07", "basis": "given", "decision_date": "2099-12-31"})
    );
    // A decision date before the day of the check is judged at, as before, and named alone.
    let past = yimi(&[
        "check",
        "examples/yz-qixinggang-renewal.yaml",
        "--as-of",
        "2026-12-07",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&past)).expect("JSON");
    assert_eq!(
        report["files"][0]["judged_at"],
        serde_json::json!({"date": "2026-07-15", "basis": "decision_date"})
    );
    // A waiver approved after the day of the check is not approved yet, whatever date is written.
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "yimi: 1\nwaivers:\n  - rule: YZ-014d\n    reason: 见批复 12 号\n    approved_on: 2027-01-01\n",
    )
    .expect("written");
    let output = yimi(&[
        "check",
        file,
        "--as-of",
        "2026-12-07",
        "--waivers",
        waivers.to_str().expect("utf-8"),
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    let text = stdout(&output);
    assert!(text.contains("error[YZ-014d]"), "{text}");
    assert!(text.contains("waiver::not-yet-approved"), "{text}");
    assert!(!text.contains("waived[YZ-014d]"), "{text}");
}

/// Hostile review 14 H3: a file that calls a lowered allowance `unchanged` (RA-045b then had
/// nothing to check), or a room `on_site` that it puts in another community, contradicts
/// itself; believing the flag hid the finding. One located error, exit 2, in both languages.
#[test]
fn a_record_that_contradicts_itself_is_refused_at_the_flag() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let frozen =
        std::fs::read_to_string("rules/tests/RA-045/fail-frozen.yaml").expect("the fixture");
    let cut = frozen.replace(
        "value: 2200, previous_value: 2200",
        "value: 1800, previous_value: 2200, unchanged: true",
    );
    assert_ne!(cut, frozen, "the fixture states value and previous_value");
    let file = dir.path().join("cut.yaml");
    std::fs::write(&file, &cut).expect("written");
    let file = file.to_str().expect("utf-8");
    for (lang, words) in [
        (
            "en",
            "error[project::contradiction]: `unchanged: true`, but `value` 1800 differs from `previous_value` 2200",
        ),
        (
            "zh",
            "`unchanged: true`,但 `value` 1800 与 `previous_value` 2200 不同",
        ),
    ] {
        let output = yimi(&["check", file, "--lang", lang, "--format", "plain"]);
        let text = format!("{}{}", stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains(words), "{text}");
        assert!(text.contains("cut.yaml:"), "{text}");
    }
    // The same values without the flag, or equal values with it, are read as written.
    assert_ne!(
        yimi(&["check", "rules/tests/RA-045/fail-frozen.yaml"])
            .status
            .code(),
        Some(2)
    );
    let room = std::fs::read_to_string("rules/tests/SH-040a/room-existing.yaml").expect("fixture");
    let far = room.replace(
        "on_site: true, walking_distance_m: 120",
        "on_site: true, walking_distance_m: 25000, same_community: false",
    );
    assert_ne!(far, room);
    let file = dir.path().join("far.yaml");
    std::fs::write(&file, &far).expect("written");
    let output = yimi(&["check", file.to_str().expect("utf-8"), "--lang", "en"]);
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("`on_site: true`, but `same_community: false`"),
        "{text}"
    );
    // A room across the campus (120 m) is on site.
    assert_ne!(
        yimi(&["check", "rules/tests/SH-040a/room-existing.yaml"])
            .status
            .code(),
        Some(2)
    );
}

/// Writes `text` as `name` in `dir` and checks it with `args`, in English plain output.
fn check_written(
    dir: &std::path::Path,
    name: &str,
    text: &str,
    args: &[&str],
) -> (Option<i32>, String) {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("written");
    let file = file.to_str().expect("utf-8");
    let mut all = vec!["check", file, "--format", "plain"];
    if !args.contains(&"--lang") {
        all.extend(["--lang", "en"]);
    }
    all.extend_from_slice(args);
    let output = yimi(&all);
    (
        output.status.code(),
        format!("{}{}", stdout(&output), stderr(&output)),
    )
}

/// Hostile review 15 X6 and X10: a flag that the distance or speed stated beside it makes
/// implausible is not refused but not believed — a located warning at the flag, and the flag
/// read as not stated, so the rules that read it are undecided, never passed on it. Before,
/// `same_community: true` 25 km away made JL-005a pass, two facilities 30 km away turned the
/// Yangzhou example from fail to pass under the CI recipe's options, a school gate on a
/// "pedestrian" way with a 60 km/h limit was exempt from SH-061, and a 150 ha park's play area
/// 1.2 km along its paths was refused as a contradiction (exit 2).
#[test]
fn implausible_flags_are_warned_at_and_not_believed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let gate = ["--strict-evidence", "--inline-waivers", "ignore"];
    let read = |path: &str| std::fs::read_to_string(path).expect("the fixture");
    // A childcare centre "in the same community" 25 km away.
    let residential = read("examples/jl-changchun-residential.yaml");
    let far = residential.replace(
        "participation:",
        "surroundings:\n  existing_facilities:\n    - { kind: childcare_centre, name: 远处托育中心, same_community: true, walking_distance_m: 25000, places: 20 }\nparticipation:",
    );
    assert_ne!(far, residential);
    let (code, text) = check_written(dir.path(), "samecomm-far.yaml", &far, &gate);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("warning[project::implausible]: `same_community: true`, but `walking_distance_m` is 25000 m: no community spans that far (it is believed up to 5000 m), so it is not believed"),
        "{text}"
    );
    assert!(
        text.contains("error[JL-005a]: cannot decide")
            && text.contains("`surroundings.existing_facilities[0].same_community`"),
        "JL-005a is undecided, not passed: {text}"
    );
    // Within 5 km the flag is believed, and the centre's 20 places make up the 54.
    let near = far.replace("walking_distance_m: 25000", "walking_distance_m: 900");
    let (_, text) = check_written(dir.path(), "samecomm-near.yaml", &near, &gate);
    assert!(!text.contains("implausible"), "{text}");
    assert!(!text.contains("[JL-005a]"), "JL-005a passes: {text}");
    // The Yangzhou example fails; "same community" facilities 30 km away do not make it pass.
    let yz = read("examples/yz-qixinggang-renewal.yaml");
    let yz_far = yz.replace(
        "    - { kind: childcare_centre, name: 邻近街道托育中心, walking_distance_m: 1200, same_community: false }",
        "    - { kind: childcare_centre, name: 邻近街道托育中心, walking_distance_m: 30000, same_community: true }\n    - { kind: children_sports_area, name: 远处运动场, walking_distance_m: 30000, same_community: true }",
    );
    assert_ne!(yz_far, yz);
    let (code, text) = check_written(dir.path(), "yz-far.yaml", &yz_far, &gate);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(
        text.matches("warning[project::implausible]").count(),
        2,
        "{text}"
    );
    for rule in ["YZ-014d", "YZ-017c"] {
        assert!(text.contains(&format!("error[{rule}]")), "{rule}: {text}");
    }
    // A "pedestrian" way with a 60 km/h limit is judged as a road.
    let gate_fixture = read("rules/tests/SH-061a/fail.yaml");
    let ped60 = gate_fixture.replace(
        "road_class: secondary, traffic_calming: []",
        "road_class: pedestrian, speed_limit_kmh: 60, crosswalk_within_50m: false, traffic_calming: []",
    );
    assert_ne!(ped60, gate_fixture);
    let lapsed = ["--as-of", "2026-12-07", "--lapsed", "binding"];
    let (code, text) = check_written(dir.path(), "ped60.yaml", &ped60, &lapsed);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("warning[project::implausible]: `road_class: pedestrian` (no motor vehicles), but `speed_limit_kmh` is 60, above walking pace (it is believed up to 10 km/h), so the way is not believed to be pedestrian"),
        "{text}"
    );
    assert!(
        text.contains("warning[SH-061a]"),
        "SH-061a judges the road: {text}"
    );
    // At walking pace the way is a footpath, exempt.
    let walking = ped60.replace("speed_limit_kmh: 60", "speed_limit_kmh: 5");
    let (_, text) = check_written(dir.path(), "ped5.yaml", &walking, &lapsed);
    assert!(!text.contains("implausible"), "{text}");
    assert!(!text.contains("[SH-061a]"), "{text}");
    // A 150 ha park keeps its play area 1.2 km along its paths: on its site, checked normally.
    let park = read("rules/tests/existing/park-play.yaml");
    let big = park
        .replace("site: { area_m2: 50000 }", "site: { area_m2: 1500000 }")
        .replace(
            "park: { category: community }",
            "park: { category: comprehensive }",
        )
        .replace(
            "on_site: true }",
            "on_site: true, walking_distance_m: 1200 }",
        );
    assert_ne!(big, park);
    let in_shanghai = ["--jurisdiction", "CN/SH"];
    let (code, text) = check_written(dir.path(), "bigpark.yaml", &big, &in_shanghai);
    assert_eq!(code, Some(0), "{text}");
    assert!(!text.contains("project::"), "{text}");
    // The same walk on a 5 ha park (reach 2 × 316 m + 1000 m) is not believed; without an area,
    // 5 km is.
    let small = big.replace("site: { area_m2: 1500000 }", "site: { area_m2: 50000 }");
    let small = small.replace("walking_distance_m: 1200", "walking_distance_m: 2000");
    let (code, text) = check_written(dir.path(), "smallpark.yaml", &small, &in_shanghai);
    assert_ne!(code, Some(2), "{text}");
    assert!(
        text.contains("warning[project::implausible]: `on_site: true`, but `walking_distance_m` is 2000 m, farther than a site of 50000 m² (`site.area_m2`) reaches (it is believed up to 1632 m), so it is not believed"),
        "{text}"
    );
    let unstated = small.replace("site: { area_m2: 50000 }\n", "");
    let (_, text) = check_written(dir.path(), "nosite.yaml", &unstated, &in_shanghai);
    assert!(!text.contains("implausible"), "{text}");
    let unstated_far = unstated.replace("walking_distance_m: 2000", "walking_distance_m: 6000");
    let (code, text) = check_written(dir.path(), "nosite-far.yaml", &unstated_far, &in_shanghai);
    assert_ne!(code, Some(2), "{text}");
    assert!(
        text.contains(
            "farther than a site reaches (without `site.area_m2` it is believed up to 5000 m)"
        ),
        "{text}"
    );
    // In Chinese too.
    let (_, text) = check_written(dir.path(), "samecomm-far-zh.yaml", &far, &["--lang", "zh"]);
    assert!(
        text.contains(
            "`same_community: true`,但 `walking_distance_m` 为 25000 米:没有哪个社区跨越这么远"
        ),
        "{text}"
    );
}

/// Hostile review 15 X12: an impact assessment dated 2099-06-01 and a survey dated 2099-02-10,
/// before a decision date later still, counted as done (JL-002a and JL-002b passed). Dated after
/// the day of the check, they have not happened: a warning at each date, and the item read as
/// not stated, so the rules are undecided. Planned dates (a decision, a delivery) are not touched.
#[test]
fn evidence_and_hearings_dated_after_the_check_are_not_done() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example =
        std::fs::read_to_string("examples/jl-changchun-residential.yaml").expect("the example");
    let future = example
        .replace("decision_date: 2026-04-15", "decision_date: 2099-12-31")
        .replace(
            "{ date: 2026-02-10, method: survey",
            "{ date: 2099-02-10, method: survey",
        )
        .replace(
            "title: 儿童影响评价报告, date: 2026-03-01",
            "title: 儿童影响评价报告, date: 2099-06-01",
        );
    assert_eq!(future.matches("2099-").count(), 3, "{future}");
    let day = [
        "--as-of",
        "2026-12-07",
        "--strict-evidence",
        "--inline-waivers",
        "ignore",
    ];
    let (code, text) = check_written(dir.path(), "future-ev.yaml", &future, &day);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("warning[project::dated-after-check]: `evidence[0].date` is 2099-06-01, after the day of the check (2026-12-07): a document not yet issued shows nothing done, so this date is read as not stated"),
        "{text}"
    );
    assert!(
        text.contains("warning[project::dated-after-check]: `participation[0].date` is 2099-02-10, after the day of the check (2026-12-07): a hearing not yet held has heard no one, so this date is read as not stated"),
        "{text}"
    );
    for rule in ["JL-002a", "JL-002b"] {
        assert!(
            text.lines()
                .any(|line| line.contains(&format!("[{rule}]: cannot decide"))),
            "{rule} is undecided, not passed: {text}"
        );
    }
    // The housing's and the centre's delivery dates (2028) are plans: no warning at them.
    assert_eq!(text.matches("dated-after-check").count(), 2, "{text}");
    // A date after the day of the check counts as no date: the items stay, and the rules
    // decide as they do for the same items written without dates (stating a date must never
    // overturn a decided outcome: tests/properties.rs found the items' forgetting doing so).
    let undated = future
        .replace("{ date: 2099-02-10, method: survey", "{ method: survey")
        .replace(
            "title: 儿童影响评价报告, date: 2099-06-01",
            "title: 儿童影响评价报告",
        );
    let (undated_code, undated_text) = check_written(dir.path(), "undated-ev.yaml", &undated, &day);
    assert_eq!(undated_code, code, "{undated_text}");
    let rule_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| line.contains("[JL-"))
            .map(|line| {
                line.split_once(": ")
                    .map_or("", |(_, rest)| rest)
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(
        rule_lines(&text),
        rule_lines(&undated_text),
        "{text}\n{undated_text}"
    );
    // Checked on a day after them, the same dates are done and the rules decide.
    let (_, text) = check_written(
        dir.path(),
        "future-ev-later.yaml",
        &future,
        &["--as-of", "2099-12-31"],
    );
    assert!(!text.contains("dated-after-check"), "{text}");
    assert!(!text.contains("[JL-002a]"), "JL-002a passes: {text}");
    // In Chinese too.
    let (_, text) = check_written(
        dir.path(),
        "future-ev-zh.yaml",
        &future,
        &["--as-of", "2026-12-07", "--lang", "zh"],
    );
    assert!(
        text.contains(
            "`evidence[0].date` 为 2099-06-01,晚于检查之日 2026-12-07:尚未形成的材料不能证明已经做到"
        ),
        "{text}"
    );
}

/// A folder's project files are taken by their extension in any case, as a zip's are on the
/// server, and a name that looks like one but is not taken (blanks or a dot after the
/// extension, an invisible or look-alike character in it) is said, not skipped without a word
/// (hostile review 14 H8, 15 X7).
#[test]
fn project_file_names_in_any_case_are_checked_and_look_alikes_are_said() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = std::fs::read_to_string("examples/jl-changchun-residential.yaml").expect("read");
    for name in [
        "a.YAML",
        "e.Yml",
        "f.yaml ",
        "h.yml.",
        "notes.txt",
        // Hostile review 15 X7: invisible and look-alike characters in the extension.
        "i.yaml\u{200b}",
        "j.y\u{430}ml",
        "k.\u{ff59}aml",
        "l.yam\u{4cf}",
        "m.yaml\u{a0}",
    ] {
        std::fs::write(dir.path().join(name), &example).expect("written");
    }
    let folder = dir.path().display().to_string();
    let output = yimi(&["check", "--lang", "en", "--format", "plain", &folder]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("2 files: 2 fail"), "{text}");
    assert!(
        text.contains("a.YAML — fail") && text.contains("e.Yml — fail"),
        "{text}"
    );
    // Each said, with what passes for a blank or for nothing written out.
    for name in [
        "f.yaml\\u{20}:",
        "h.yml.:",
        "i.yaml\\u{200b}:",
        "j.y\\u{430}ml:",
        "k.\\u{ff59}aml:",
        "l.yam\\u{4cf}:",
        "m.yaml\\u{a0}:",
    ] {
        assert!(
            text.contains(&format!(
                "{name} warning[io::skipped-name]: named like a project file"
            )),
            "{name}\n{text}"
        );
    }
    assert!(!text.contains("notes.txt"), "{text}");
}

/// Two file names that differ only in bytes that are not UTF-8 are two files to a baseline, and
/// are shown apart, quoted as git quotes them (hostile review 14 H13: both were `a�.yaml`).
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_kept_apart_by_a_baseline() {
    use std::os::unix::ffi::OsStrExt as _;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let projects = dir.path().join("projects");
    std::fs::create_dir(&projects).expect("made");
    let example = std::fs::read_to_string("examples/jl-changchun-residential.yaml").expect("read");
    let named = |bytes: &[u8]| projects.join(std::ffi::OsStr::from_bytes(bytes));
    std::fs::write(named(b"a\xff.yaml"), &example).expect("written");
    let baseline = dir.path().join("base.json");
    let (folder, base) = (
        projects.display().to_string(),
        baseline.display().to_string(),
    );
    let made = yimi(&["check", &folder, "--format", "json", "-o", &base]);
    assert_eq!(made.status.code(), Some(1), "{made:?}");
    std::fs::remove_file(named(b"a\xff.yaml")).expect("removed");
    std::fs::write(named(b"a\xfe.yaml"), &example).expect("written");
    let output = yimi(&[
        "check",
        &folder,
        "--baseline",
        &base,
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("projects/a\\xfe.yaml\" — fail"), "{text}");
    assert!(text.contains("0 already in it"), "{text}");
    assert!(!text.contains('\u{fffd}'), "{text}");
}

// ---- fixnew16: newcomer review 16 ----

/// N2: a waivers file kept in the checked folder and given with `--waivers` is not checked as a
/// project (it failed the run with `project::missing`, exit 2); a waivers file the run was not
/// told of is one located error that says what it is and how to pass it, not "add `project:`".
#[test]
fn a_waivers_file_in_the_checked_folder_is_not_a_project() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = std::fs::read_to_string("examples/sh-huangpu-park.yaml").expect("read");
    std::fs::write(dir.path().join("a.yaml"), &example).expect("written");
    std::fs::write(
        dir.path().join("w.yaml"),
        "yimi: 1\n# kept beside the projects\nwaivers:\n  - rule: SH-068a\n    reason: 区绿化市容局批复 2026-7 号\n",
    )
    .expect("written");
    let folder = dir.path().display().to_string();
    let waivers = dir.path().join("w.yaml").display().to_string();
    let given = yimi(&[
        "check",
        &folder,
        "--waivers",
        &waivers,
        "--format",
        "plain",
        "--lang",
        "en",
    ]);
    let (out, err) = (stdout(&given), stderr(&given));
    assert_ne!(given.status.code(), Some(2), "{out}{err}");
    // Named only where a finding says which waiver waived it, never as a file checked.
    let named: Vec<&str> = out
        .lines()
        .chain(err.lines())
        .filter(|line| line.contains("w.yaml"))
        .collect();
    assert!(
        !named.is_empty()
            && named
                .iter()
                .all(|line| line.contains(&format!("waived ({waivers}:4): "))),
        "{out}{err}"
    );
    assert!(!out.contains("waivers-file"), "{out}");
    assert!(out.contains("a.yaml"), "{out}");
    assert!(out.contains("1 file:"), "{out}");
    // Not given: one error at `waivers:` that names the flag.
    let missed = yimi(&["check", &folder, "--format", "plain", "--lang", "en"]);
    let out = stdout(&missed);
    assert_eq!(missed.status.code(), Some(2), "{out}");
    assert!(
        out.contains("w.yaml:3:1: error[project::waivers-file]: this is a waivers file"),
        "{out}"
    );
    assert!(out.contains("pass it with `--waivers FILE`"), "{out}");
    assert!(!out.contains("project::missing"), "{out}");
}

/// N1: a warning printed about a project file counts, whichever code it has: a misspelt key is
/// in the totals, makes the verdict pass with advice, fails `--fail-on warning` and is a JUnit
/// case, as `project::no-residents` was and `project::unknown-key` was not ("0 warnings" under
/// the printed warning, exit 0).
#[test]
fn every_printed_file_warning_counts_toward_the_totals_and_the_gate() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = std::fs::read_to_string("examples/sh-yangpu-riverside-park.yaml").expect("read");
    let clean = dir.path().join("clean.yaml");
    std::fs::write(&clean, &example).expect("written");
    let typo = dir.path().join("typo.yaml");
    std::fs::write(
        &typo,
        example.replacen("\nproject:\n", "\nproject:\n  nmae: 错拼\n", 1),
    )
    .expect("written");
    let (clean, typo) = (clean.display().to_string(), typo.display().to_string());
    let json = |path: &str| {
        let output = yimi(&[
            "check",
            path,
            "--format",
            "json",
            "--fail-on",
            "warning",
            "--as-of",
            "2026-12-07",
        ]);
        let value: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("a JSON report");
        (output.status.code(), value)
    };
    let (clean_code, clean_json) = json(&clean);
    let (typo_code, typo_json) = json(&typo);
    let warnings = |value: &serde_json::Value| value["files"][0]["counts"]["warning"].as_u64();
    assert!(
        stdout(&yimi(&[
            "check",
            &typo,
            "--format",
            "plain",
            "--as-of",
            "2026-12-07"
        ]))
        .contains("warning[project::unknown-key]"),
        "the warning is printed"
    );
    assert_eq!(
        warnings(&typo_json),
        warnings(&clean_json).map(|n| n + 1),
        "{typo_json}"
    );
    assert_eq!(clean_json["files"][0]["verdict"], "pass");
    assert_eq!(typo_json["files"][0]["verdict"], "pass_with_advice");
    assert_eq!((clean_code, typo_code), (Some(0), Some(1)));
    let junit = stdout(&yimi(&[
        "check",
        &typo,
        "--format",
        "junit",
        "--as-of",
        "2026-12-07",
    ]));
    assert!(
        junit.contains("<testcase name=\"project::unknown-key\" classname=\"yimi.file\""),
        "{junit}"
    );
}

/// N3: a finding waived from a waivers file stays at its own place and path (it moved to
/// `project.id`, with the path `project.id.rule`, which no file has); one waived in the file
/// keeps its place too, with the waiver beside it as a second place.
#[test]
fn a_waived_finding_keeps_its_own_place() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let waivers = dir.path().join("w.yaml");
    std::fs::write(
        &waivers,
        "yimi: 1\nwaivers:\n  - rule: JL-005b\n    reason: 托育中心与二期住宅同步交付\n",
    )
    .expect("written");
    let waivers = waivers.display().to_string();
    let file = "examples/jl-changchun-residential.yaml";
    let report = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["check", file, "--format", "json"];
        all.extend(args);
        serde_json::from_slice(&yimi(&all).stdout).expect("a JSON report")
    };
    let result = |value: &serde_json::Value| {
        value["files"][0]["findings"]
            .as_array()
            .and_then(|results| results.iter().find(|r| r["rule_id"] == "JL-005b").cloned())
            .expect("JL-005b")
    };
    let unwaived = result(&report(&[]));
    let waived = result(&report(&["--waivers", &waivers]));
    assert_eq!(waived["outcome"], "waived", "{waived}");
    for key in ["path", "line", "column"] {
        assert_eq!(waived[key], unwaived[key], "{key}: {waived}");
    }
    assert_eq!(unwaived["path"], "facilities[0].delivered_with_housing");
    // SARIF: the same place, and no related location in this file for a waivers file's waiver.
    let sarif = yimi(&["check", file, "--format", "sarif", "--waivers", &waivers]);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    let waived_result = sarif["runs"][0]["results"]
        .as_array()
        .and_then(|results| results.iter().find(|r| r["ruleId"] == "JL-005b").cloned())
        .expect("JL-005b in SARIF");
    let region = &waived_result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], unwaived["line"], "{waived_result}");
    // Where the waiver is, for a waivers file's: JSON's `waiver`, SARIF's external suppression at
    // its entry, the label in the other formats; a waiver in the file names no other file.
    assert_eq!(waived["waiver"]["file"], waivers.as_str(), "{waived}");
    assert_eq!(waived["waiver"]["line"], 3, "{waived}");
    let suppression = &waived_result["suppressions"][0];
    assert_eq!(suppression["kind"], "external", "{suppression}");
    assert_eq!(
        suppression["location"]["physicalLocation"]["region"]["startLine"], 3,
        "{suppression}"
    );
    let plain = yimi(&[
        "check",
        file,
        "--format",
        "plain",
        "--lang",
        "en",
        "--waivers",
        &waivers,
    ]);
    assert!(
        stdout(&plain).contains(&format!("waived ({waivers}:3): 托育中心与二期住宅同步交付")),
        "{}",
        stdout(&plain)
    );
    let inline = std::fs::read_to_string(file).expect("the example")
        + "waivers:\n  - rule: JL-005b\n    reason: 托育中心与二期住宅同步交付\n";
    let inline_file = dir.path().join("inline.yaml");
    std::fs::write(&inline_file, inline).expect("written");
    let inline_file = inline_file.display().to_string();
    let inline_report: serde_json::Value =
        serde_json::from_slice(&yimi(&["check", &inline_file, "--format", "json"]).stdout)
            .expect("a JSON report");
    let inline_waived = result(&inline_report);
    assert_eq!(inline_waived["outcome"], "waived", "{inline_waived}");
    assert!(inline_waived["waiver"]["file"].is_null(), "{inline_waived}");
    assert!(inline_waived["waiver"]["line"].is_null(), "{inline_waived}");
}

/// N9: a waiver pinned by `file:` to a file that does not exist (a typo) is warned about at the
/// pin, with the checked file it probably means; the finding still counts. A pin to a file that
/// exists but is not in this run (a hook that checks some files only) is not.
#[test]
fn a_waiver_pinned_to_no_file_is_warned_about() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let waivers = dir.path().join("w.yaml");
    let write = |pin: &str| {
        std::fs::write(
            &waivers,
            format!(
                "yimi: 1\nwaivers:\n  - rule: JL-005b\n    file: {pin}\n    reason: 托育中心与二期住宅同步交付\n"
            ),
        )
        .expect("written");
    };
    let shown = waivers.display().to_string();
    let run = || {
        yimi(&[
            "check",
            "examples/jl-changchun-residential.yaml",
            "--waivers",
            &shown,
            "--format",
            "plain",
            "--lang",
            "en",
        ])
    };
    write("examples/jl-changchun-residentail.yaml");
    let typo = run();
    let err = stderr(&typo);
    assert!(
        err.contains(&format!("{shown}:4:11: warning[waiver::unknown-file]: the waiver's `file:` `examples/jl-changchun-residentail.yaml` names no file this run checks")),
        "{err}"
    );
    assert!(
        err.contains("did you mean `examples/jl-changchun-residential.yaml`?"),
        "{err}"
    );
    assert!(
        stdout(&typo).contains("error[JL-005b]"),
        "{}",
        stdout(&typo)
    );
    // The warning is at the `file:` value as the waivers file was read, not at the first text
    // `file:` after the waiver's line (here inside its reason, written before the pin).
    std::fs::write(
        &waivers,
        "yimi: 1\nwaivers:\n  - rule: JL-005b\n    reason: \"see file: annex 3\"\n    file: examples/jl-changchun-residentail.yaml\n",
    )
    .expect("written");
    let reordered = stderr(&run());
    assert!(
        reordered.contains(&format!("{shown}:5:11: warning[waiver::unknown-file]")),
        "{reordered}"
    );
    // Another file that exists: no warning.
    write("examples/sh-huangpu-park.yaml");
    let other = run();
    assert!(
        !stderr(&other).contains("waiver::unknown-file"),
        "{}",
        stderr(&other)
    );
    // The file itself: applied, no warning.
    write("examples/jl-changchun-residential.yaml");
    let pinned = run();
    assert!(
        !stderr(&pinned).contains("waiver::unknown-file"),
        "{}",
        stderr(&pinned)
    );
    assert!(
        stdout(&pinned).contains("waived[JL-005b]"),
        "{}",
        stdout(&pinned)
    );
}

/// N6: `explain` of an id that a pack in `./rules` declares says to add `--rules rules/` (it
/// sent the author to `rules list`, which does not read `./rules` either), and `rules` commands
/// refuse with the prefix of the language asked for, as `explain` does.
#[test]
fn explain_points_to_the_packs_in_the_local_rules_folder() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let run = |args: &[&str]| yimi_in(dir.path(), args);
    let made = run(&[
        "rules",
        "new",
        "--source",
        "jilin-2022",
        "--jurisdiction",
        "CN/JL/Changchun",
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let pack = std::fs::read_to_string(dir.path().join("rules/jilin-2022-changchun.yimi"))
        .expect("the pack");
    let id = pack
        .lines()
        .find_map(|line| line.trim_start_matches("# ").strip_prefix("rule "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a rule id");
    let refused = run(&["explain", id]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused),
        format!(
            "错误: 没有编号为 `{id}` 的规则或指标;它在 `./rules` 的规则包中:加上 `--rules rules/`\n"
        )
    );
    let found = run(&["explain", id, "--rules", "rules/"]);
    assert_eq!(found.status.code(), Some(0), "{}", stderr(&found));
    let typo = run(&["explain", "NO-SUCH-9"]);
    assert!(
        stderr(&typo).contains("`yimi rules list` 列出全部规则编号"),
        "{}",
        stderr(&typo)
    );
    let list = run(&["rules", "list", "--domain", "servic", "--lang", "zh"]);
    assert_eq!(list.status.code(), Some(2));
    assert!(stderr(&list).starts_with("错误: "), "{}", stderr(&list));
    // `rules list` without packs lists the built-in ones and says that `./rules` is not read.
    let built_in = run(&["rules", "list", "--lang", "en"]);
    assert_eq!(built_in.status.code(), Some(0), "{}", stderr(&built_in));
    assert!(!stdout(&built_in).contains(id), "{}", stdout(&built_in));
    assert_eq!(
        stderr(&built_in),
        "note: the packs in `./rules` are not listed; `yimi rules list rules/` lists them with the built-in packs\n"
    );
    let local = run(&["rules", "list", "rules/", "--lang", "en"]);
    assert_eq!(local.status.code(), Some(0), "{}", stderr(&local));
    assert!(stdout(&local).contains(id), "{}", stdout(&local));
    assert_eq!(stderr(&local), "");
}

/// N6: in a folder whose `./rules` holds only what is built in (yimi's own repository),
/// `rules list` has nothing to point at.
#[test]
fn rules_list_is_quiet_when_the_local_packs_are_the_built_in_ones() {
    let listed = yimi_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["rules", "list"],
    );
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    assert!(stdout(&listed).contains("JL-005a"), "{}", stdout(&listed));
    assert_eq!(stderr(&listed), "");
}

/// N12 b, c: the errors of an invalid file come in document order (a missing key at `project:`
/// came after a wrong value below it), and its summary line counts them (it said "0 errors"
/// beside "invalid").
#[test]
fn an_invalid_file_lists_its_errors_in_order_and_counts_them() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "yimi: 1\nproject:\n  jurisdiction: CN/SH/Pudong\n  kind: castle\n",
    )
    .expect("written");
    let shown = path.display().to_string();
    let output = yimi(&["check", &shown, "--format", "plain", "--lang", "en"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    let places: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with(shown.as_str()) && line.contains(": error["))
        .collect();
    assert_eq!(places.len(), 2, "{text}");
    assert!(
        places[0].contains("bad.yaml:2:1: error[project::missing]"),
        "{text}"
    );
    assert!(
        places[1].contains("bad.yaml:4:9: error[project::enum]"),
        "{text}"
    );
    assert!(
        text.contains("— invalid") && text.contains("2 errors"),
        "{text}"
    );
    assert!(!text.contains("0 errors"), "{text}");
}

/// New-user review 20 N15: the template `yimi init` writes has `jurisdiction:` empty, and the
/// help says to fill it in; a file without the key is told to add it.
#[test]
fn an_empty_jurisdiction_is_to_be_filled_in_a_missing_one_added() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let template = dir.path().join("new.yaml");
    let init = yimi(&["init", "--lang", "en"]);
    assert!(init.status.success(), "{}", stderr(&init));
    std::fs::write(&template, &init.stdout).expect("written");
    let empty = yimi(&["check", "--lang", "en", template.to_str().expect("utf-8")]);
    let text = stdout(&empty) + &stderr(&empty);
    assert!(text.contains("`jurisdiction` is empty"), "{text}");
    assert!(text.contains("fill in `jurisdiction:`"), "{text}");
    let missing = yimi(&[
        "check",
        "--lang",
        "en",
        "tests/fixtures/projects/no-jurisdiction.yaml",
    ]);
    let text = stdout(&missing) + &stderr(&missing);
    assert!(text.contains("`jurisdiction` is missing here"), "{text}");
    assert!(text.contains("under `project:`"), "{text}");
}

/// With `-o`, a person at a terminal is told what was written and what the exit code stands
/// for; a pipe (a CI log) is told nothing (new-user review 20 N13). The terminal is `script`'s
/// pseudo-terminal (util-linux, on every Debian and Ubuntu system).
#[test]
fn a_report_written_to_a_file_is_summed_up_on_a_terminal_only() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for example in [
        "jl-changchun-residential.yaml",
        "sh-yangpu-riverside-park.yaml",
    ] {
        std::fs::copy(
            std::path::Path::new("examples").join(example),
            dir.path().join(example),
        )
        .expect("the example is copied");
    }
    std::fs::write(dir.path().join("broken.yaml"), "kind: [\n").expect("written");
    let report = dir.path().join("report.json");
    let command = format!(
        "'{}' check '{}' -o '{}' --lang en --as-of 2026-11-23",
        env!("CARGO_BIN_EXE_yimi"),
        dir.path().display(),
        report.display()
    );
    let on_terminal = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .expect("script runs");
    let shown = stdout(&on_terminal);
    let expected = format!(
        "wrote `{}`: 3 files, 1 with findings at or above `--fail-on error`, 1 that could not be checked",
        report.display()
    );
    assert!(shown.contains(&expected), "{shown}");
    // The counts are the report's.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("the report")).expect("JSON");
    assert_eq!(json["summary"]["files"], 3, "{json}");
    assert_eq!(json["summary"]["fail"], 1, "{json}");
    assert_eq!(json["summary"]["invalid"], 1, "{json}");

    let piped = yimi(&[
        "check",
        &dir.path().display().to_string(),
        "-o",
        &report.display().to_string(),
        "--lang",
        "en",
    ]);
    assert_eq!(piped.status.code(), Some(2));
    assert!(!stderr(&piped).contains("wrote"), "{}", stderr(&piped));
    assert!(stdout(&piped).is_empty(), "{}", stdout(&piped));
}
