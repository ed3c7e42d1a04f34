//! Error messages for bad input and bad rules, asserted by what they underline and what they
//! suggest — not by byte offsets (cedar's style).

mod common;

use std::sync::Arc;

use yimi::base::diagnostic::{Diagnostic, SourceFile};
use yimi::project::{self, LoadLimits};
use yimi::rules::load::{self, RuleOptions};

fn load_project(text: &str) -> Result<project::Project, Vec<Diagnostic>> {
    project::load_bytes("p.yaml", text.as_bytes(), LoadLimits::default())
}

fn load_rules(text: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("local.yimi");
    std::fs::write(&path, text).expect("the rule file is written");
    let options = RuleOptions {
        paths: vec![path],
        ..RuleOptions::default()
    };
    match load::load(&options) {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    }
}

fn help(diagnostic: &Diagnostic) -> &str {
    diagnostic.help.as_ref().map_or("", |help| help.en.as_str())
}

const HEADER: &str = "pack local {\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}\n";

fn rule_with(lines: &str) -> String {
    format!(
        "{HEADER}\nrule LOCAL-1 \"本地规则\" {{\n  domain space\n  strength should\n  cite shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n{lines}\n}}\n"
    )
}

#[test]
fn a_misspelled_top_level_key_warns_and_names_the_right_one() {
    let project = load_project(
        "yimi: 1\nproject: {id: a, kind: park, jurisdiction: CN/SH}\npolulation:\n  residents: 3\n",
    )
    .expect("loads");
    let [warning] = project.warnings.as_slice() else {
        panic!("{:?}", project.warnings)
    };
    assert_eq!(common::underlined(warning), "polulation");
    assert_eq!(help(warning), "did you mean `population`?");
}

#[test]
fn a_yaml_syntax_error_is_located_after_chinese_text() {
    let errors = load_project("yimi: 1\nproject:\n  name: 张江某地块: 住宅\n").unwrap_err();
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "yaml::syntax");
    assert_eq!(error.line_col(), (3, 14));
    assert_eq!(common::underlined(error), ":");
    assert_eq!(
        help(error),
        "one `key: value` per line; quote text that contains a colon"
    );
}

#[test]
fn an_unknown_path_in_a_rule_is_underlined_with_a_suggestion() {
    let errors = load_rules(&rule_with(
        "  applies project.kind == park and site.area >= 3000 m2\n  require true",
    ));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::unknown-path");
    assert_eq!(common::underlined(error), "site.area");
    assert_eq!(help(error), "did you mean `site.area_m2`?");
}

#[test]
fn an_unknown_enum_value_in_a_rule_names_the_field_a_rule_author_knows_not_the_model_type() {
    let errors = load_rules(&rule_with(
        "  require any(facilities, f => f.kind == playarea)",
    ));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::unknown-path");
    assert_eq!(common::underlined(error), "playarea");
    assert_eq!(
        error.message.zh,
        "`playarea` 不是设施类型(`facilities[].kind`)的取值"
    );
    assert_eq!(
        error.message.en,
        "`playarea` is not a value of the kind of facility (`facilities[].kind`)"
    );
    let hint = error.help.as_ref().expect("a help");
    assert!(
        hint.zh
            .starts_with("是否想写 `play_area`?可用的取值:`childcare_centre`, "),
        "{}",
        hint.zh
    );
    assert!(
        hint.en
            .starts_with("did you mean `play_area`? allowed values: `childcare_centre`, "),
        "{}",
        hint.en
    );
    assert!(hint.en.ends_with(", `other`"), "{}", hint.en);
    // No error or help names a type of the model's code.
    for text in [&error.message.zh, &error.message.en, &hint.zh, &hint.en] {
        assert!(!text.contains("FacilityKind"), "{text}");
    }
    // Nothing like it: only the allowed values.
    let errors = load_rules(&rule_with(
        "  applies project.kind == zzzzzzzz\n  require true",
    ));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(
        error.message.en,
        "`zzzzzzzz` is not a value of the kind of project (`project.kind`)"
    );
    assert!(
        help(error).starts_with("allowed values: `residential`, "),
        "{}",
        help(error)
    );
}

#[test]
fn an_unknown_field_lists_the_fields_of_what_the_rule_wrote() {
    let errors = load_rules(&rule_with(
        "  require any(facilities, f => f.zzzzzzzz >= 1 places)",
    ));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(common::underlined(error), "f.zzzzzzzz");
    let help = error.help.as_ref().expect("a help");
    assert!(help.en.starts_with("fields of `f`: `id`, "), "{}", help.en);
    assert!(help.zh.starts_with("`f` 的字段:`id`, "), "{}", help.zh);
}

#[test]
fn comparing_square_metres_with_persons_is_a_unit_error() {
    let errors = load_rules(&rule_with(
        "  applies site.area_m2 >= 3000 persons\n  require true",
    ));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::unit-mismatch");
    assert_eq!(common::underlined(error), "site.area_m2 >= 3000 persons");
    assert!(
        error.message.en.contains("is area (m²)"),
        "{}",
        error.message.en
    );
    assert!(
        error.message.en.contains("is number of persons"),
        "{}",
        error.message.en
    );
}

#[test]
fn a_bare_number_against_a_quantity_suggests_its_unit() {
    let errors = load_rules(&rule_with("  applies site.area_m2 >= 3000\n  require true"));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(help(error), "give the number a unit, e.g. `3000 m2`");
}

#[test]
fn every_syntax_error_in_a_file_is_reported() {
    let text = format!(
        "{HEADER}\nrule A \"a\" {{\n  require x >=\n}}\n\nrule B \"b\" {{\n  requre true\n}}\n"
    );
    let errors = load_rules(&text);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(common::underlined(&errors[0]), "}");
    assert!(
        errors[0]
            .message
            .en
            .starts_with("syntax error: expected an expression"),
        "{}",
        errors[0].message.en
    );
    assert_eq!(common::underlined(&errors[1]), "r");
    assert!(
        errors[1].message.en.ends_with("found `requre`"),
        "{}",
        errors[1].message.en
    );
}

#[test]
fn a_syntax_error_after_chinese_text_is_underlined_at_the_right_character() {
    let errors = load_rules(&rule_with(
        "  message \"公园面积 {site.area_m2 平方米\"\n  require true",
    ));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::template");
    assert_eq!(common::underlined(error), "{");
}

#[test]
fn a_quote_changed_by_one_character_is_refused() {
    let errors = load_rules(
        &rule_with("  require true").replace("优先满足儿童活动需求", "优先满足儿童的活动需求"),
    );
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::quote-not-found");
    assert_eq!(
        common::underlined(error),
        "3000平方米以上的公园绿地优先满足儿童的活动需求"
    );
    // The help shows the passage of the long clause the quote was taken from, not its start,
    // and no more of it than the quote stands for.
    assert!(
        help(error).ends_with(
            "the closest passage of the clause: …3000平方米以上的公园绿地优先满足儿童活动需求…"
        ),
        "{}",
        help(error)
    );
}

#[test]
fn a_duplicate_rule_id_names_the_first_definition() {
    let errors = load_rules(&rule_with("  require true").replace("LOCAL-1", "SH-068a"));
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::duplicate-id");
    assert_eq!(common::underlined(error), "SH-068a");
    assert!(
        error
            .message
            .en
            .contains("<builtin>/rules/shanghai-2023.yimi:"),
        "{}",
        error.message.en
    );
}

#[test]
fn a_refinement_may_not_loosen_a_parameter() {
    let text = "pack changchun {\n  source jilin-2022\n  jurisdiction CN/JL/Changchun\n}\n\nrefine childcare_places_per_1000 {\n  value at_least 4 places/kpop\n  cite jilin-2022 §5 \"推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施\"\n}\n";
    let errors = load_rules(text);
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::refine-looser");
    assert_eq!(common::underlined(error), "4 places/kpop");
    assert_eq!(
        help(error),
        "a local pack may set `childcare_places_per_1000` to 4.5 places per 1000 people or more, never below what the wider pack asks"
    );
}

#[test]
fn a_refinement_from_a_pack_that_is_not_more_local_is_refused() {
    let text = "pack shanghai-local {\n  source shanghai-2023\n  jurisdiction CN/SH\n}\n\nrefine childcare_places_per_1000 {\n  value at_least 5 places/kpop\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n}\n";
    let errors = load_rules(text);
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::refine-scope");
    assert_eq!(common::underlined(error), "childcare_places_per_1000");
}

#[test]
fn an_unknown_source_and_clause_suggest_the_registered_ones() {
    let errors = load_rules(
        &rule_with("  require true").replace("cite shanghai-2023 §68", "cite shanghai-2023 §68a"),
    );
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::unknown-clause");
    assert_eq!(common::underlined(error), "§68a");
    assert_eq!(help(error), "did you mean `§68`?");
    let errors = load_rules(&HEADER.replace("source shanghai-2023", "source shanghai-2032"));
    assert_eq!(help(&errors[0]), "did you mean `shanghai-2023`?");
}

#[test]
fn a_rule_file_that_is_not_utf8_is_located() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("gbk.yimi");
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend(b"# \xb9\xab\xd4\xb0\n");
    std::fs::write(&path, bytes).expect("written");
    let options = RuleOptions {
        paths: vec![path],
        ..RuleOptions::default()
    };
    let errors = load::load(&options).unwrap_err();
    assert_eq!(errors[0].code, "io::utf8");
    assert_eq!(errors[0].line_col(), (5, 3));
}

#[test]
fn diagnostics_point_into_the_file_they_name() {
    // Every label of every fixture's diagnostics lies within its own file's text.
    for entry in std::fs::read_dir("tests/fixtures/projects").expect("fixtures") {
        let path = entry.expect("entry").path();
        if let Err(errors) = project::load_path(&path, LoadLimits::default()) {
            for error in errors {
                let file: &Arc<SourceFile> = &error.file;
                for label in &error.labels {
                    assert!(
                        file.text.get(label.span.clone()).is_some(),
                        "{}: {:?} is not inside the text",
                        path.display(),
                        label.span
                    );
                }
            }
        }
    }
}

#[test]
fn sibling_jurisdictions_may_declare_the_same_parameter_but_one_chain_may_not() {
    // Rui'an may have its own childcare parameter beside Jilin's.
    let sibling = "pack ruian-local {\n  source ruian-2022\n  jurisdiction CN/ZJ/Wenzhou/Ruian\n}\n\nparam childcare_places_per_1000 {\n  label \"每千名常住人口的托位数\" en \"childcare places per 1000 residents\"\n  value at_least 4.5 places/kpop\n  cite ruian-2022 §(16) \"提供普惠托育和婴幼儿照护服务\"\n}\n";
    let errors = load_rules(sibling);
    assert!(
        errors.iter().all(|e| e.code != "rules::duplicate-param"),
        "{errors:#?}"
    );
    // A Changchun pack must refine Jilin's, not declare its own.
    let nested = "pack changchun {\n  source jilin-2022\n  jurisdiction CN/JL/Changchun\n}\n\nparam childcare_places_per_1000 {\n  label \"每千名常住人口的托位数\" en \"childcare places per 1000 residents\"\n  value at_least 5 places/kpop\n  cite jilin-2022 §5 \"推动新建居住区建设与常住人口规模相适应的婴幼儿照护服务设施\"\n}\n";
    let errors = load_rules(nested);
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.code, "rules::duplicate-param");
    assert_eq!(
        help(error),
        "a more local pack tightens it with `refine childcare_places_per_1000`"
    );
}

fn lint_warnings(text: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("local.yimi");
    std::fs::write(&path, text).expect("written");
    let options = RuleOptions {
        paths: vec![path],
        ..RuleOptions::default()
    };
    let loaded =
        yimi::authoring::lint::load_linted(&options).unwrap_or_else(|errors| panic!("{errors:#?}"));
    loaded.warnings
}

#[test]
fn a_strength_against_the_wording_is_a_warning_unless_a_reason_is_given() {
    let rule = rule_with("  require true").replace("strength should", "strength shall");
    let warnings = lint_warnings(&rule);
    let strength: Vec<&Diagnostic> = warnings
        .iter()
        .filter(|w| w.code == "lint::strength")
        .collect();
    let [warning] = strength.as_slice() else {
        panic!("{warnings:#?}")
    };
    assert_eq!(common::underlined(warning), "shall");
    assert!(
        warning
            .message
            .en
            .contains("`优先` (priority) reads as `should` in the reading table"),
        "{}",
        warning.message.en
    );
    let reasoned = rule.replace(
        "strength shall",
        "strength shall because \"上位法已作强制规定\"",
    );
    assert!(
        lint_warnings(&reasoned)
            .iter()
            .all(|w| w.code != "lint::strength")
    );
}

#[test]
fn a_bare_imperative_read_as_a_duty_is_a_warning_unless_a_reason_is_given() {
    // 引入 has no modal word: the reading table reads it as `should`, whatever the pack wrote.
    let rule = rule_with("  require true")
        .replace("strength should", "strength shall")
        .replace(
            "shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"",
            "shanghai-2023 §3 \"在城市发展重大规划、政策、项目决策中引入儿童影响评价\"",
        );
    let warnings = lint_warnings(&rule);
    let [warning] = warnings
        .iter()
        .filter(|w| w.code == "lint::strength")
        .collect::<Vec<_>>()[..]
    else {
        panic!("{warnings:#?}")
    };
    assert!(
        warning
            .message
            .en
            .contains("it has no modal word, which reads as `should` in the reading table"),
        "{}",
        warning.message.en
    );
    let reasoned = rule.replace(
        "strength shall",
        "strength shall because \"本地规定为必经程序\" en \"the local rules make it a required step\"",
    );
    assert!(
        lint_warnings(&reasoned)
            .iter()
            .all(|w| w.code != "lint::strength")
    );
}

#[test]
fn a_clause_about_a_mechanism_must_say_whom_it_binds_and_government_binds_only_plans() {
    // §12 asks for a participation mechanism: whom does it bind?
    let mechanism = rule_with("  applies project.concerns_children == true\n  require true")
        .replace(
            "shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"",
            "shanghai-2023 §12 \"构建儿童建言引导、征集、反馈、宣传一体的长效参与机制\"",
        );
    let codes = |text: &str| -> Vec<(String, String)> {
        lint_warnings(text)
            .iter()
            .filter(|w| w.code == "lint::addressee")
            .map(|w| (common::underlined(w).to_owned(), w.message.en.clone()))
            .collect()
    };
    let unsaid = codes(&mechanism);
    assert_eq!(unsaid.len(), 1, "{unsaid:?}");
    assert_eq!(unsaid[0].0, "LOCAL-1");
    assert!(
        unsaid[0].1.contains("a clause about a `机制`"),
        "{unsaid:?}"
    );
    // Addressed to government but applying to any project that concerns children.
    let government = mechanism.replace(
        "  strength should\n",
        "  strength should\n  addressee government\n",
    );
    let too_wide = codes(&government);
    assert_eq!(too_wide.len(), 1, "{too_wide:?}");
    assert_eq!(too_wide[0].0, "government");
    assert!(
        too_wide[0].1.contains("yet it may apply to a `"),
        "{too_wide:?}"
    );
    // Limited to the plans and policies that set the mechanism up: no warning.
    let limited = government.replace(
        "applies project.concerns_children == true",
        "applies project.kind in [plan, policy] and project.concerns_children == true",
    );
    assert_eq!(codes(&limited), Vec::new());
    // Said to bind each project, yet applying to a project of any kind: the government's
    // mechanism would read as a duty of every project.
    let project = mechanism.replace(
        "  strength should\n",
        "  strength should\n  addressee project\n",
    );
    let every = codes(&project);
    assert_eq!(every.len(), 1, "{every:?}");
    assert_eq!(every[0].0, "project");
    assert!(
        every[0].1.contains("yet it says it binds each project"),
        "{every:?}"
    );
    // A kind of place that sets such a mechanism up itself (a school's committee) may be bound.
    let place = project.replace(
        "applies project.concerns_children == true",
        "applies project.kind in [school] and project.concerns_children == true",
    );
    assert_eq!(codes(&place), Vec::new());
}

#[test]
fn a_target_addressed_to_government_is_not_too_wide_since_targets_judge_only_plans() {
    // A target about a mechanism, with an `applies` that would let any project in.
    let target = |addressee: &str| {
        format!(
            "{HEADER}\nindicator local_share \"本地指标\" en \"a local share\" unit %\ntarget LOCAL-T1 \"本地目标\" {{\n  indicator local_share\n  threshold at_least 50 %\n  year 2025\n  domain rights\n  strength should\n{addressee}  applies project.concerns_children == true\n  cite shanghai-2023 §12 \"构建儿童建言引导、征集、反馈、宣传一体的长效参与机制\"\n}}\n"
        )
    };
    let codes = |text: &str| -> Vec<(String, String)> {
        lint_warnings(text)
            .iter()
            .filter(|w| w.code == "lint::addressee")
            .map(|w| (common::underlined(w).to_owned(), w.message.en.clone()))
            .collect()
    };
    // Unsaid, it is asked whom it binds, as a rule is.
    let unsaid = codes(&target(""));
    assert_eq!(unsaid.len(), 1, "{unsaid:?}");
    assert_eq!(unsaid[0].0, "LOCAL-T1");
    assert!(
        unsaid[0].1.contains("a clause about a `机制`"),
        "{unsaid:?}"
    );
    // Addressed to government: a target judges only plans and policies, so however wide its
    // `applies`, it never binds a project that builds or runs a place.
    assert_eq!(codes(&target("  addressee government\n")), Vec::new());
}

#[test]
fn rules_without_tests_both_ways_and_unused_parameters_are_warnings() {
    let text = format!(
        "{}\nparam nobody_reads_this {{\n  label \"无人读取\" en \"read by nobody\"\n  value at_least 1 places\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n}}\n",
        rule_with("  require true")
    );
    let warnings = lint_warnings(&text);
    let codes: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.code, common::underlined(w)))
        .collect();
    assert!(codes.contains(&("lint::untested", "LOCAL-1")), "{codes:?}");
    assert!(
        codes.contains(&("lint::unused-param", "nobody_reads_this")),
        "{codes:?}"
    );
}
