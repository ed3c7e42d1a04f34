//! Evaluation semantics, data-driven: each case is a rule body, a project and the outcome with
//! exactly the fields it must name as missing. Missing is unknown, never zero or false; an
//! outcome decided despite a missing field does not ask for it.

use yimi::engine::Outcome;
use yimi::engine::checked::{self, CheckOptions, Checked};
use yimi::project::{self, LoadLimits};
use yimi::rules::load::{self, RuleOptions};

struct Case {
    name: &'static str,
    rule: &'static str,
    project: &'static str,
    outcome: Outcome,
    missing: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "false and unknown is false: the rule does not apply, nothing is asked",
        rule: "applies project.kind == park and site.area_m2 >= 3000 m2\n  require true",
        project: "project: {id: t, kind: school, jurisdiction: CN/SH}",
        outcome: Outcome::NotApplicable,
        missing: &[],
    },
    Case {
        name: "true or unknown is true: the requirement holds without the area",
        rule: "require site.area_m2 >= 100 m2 or park.category == pocket",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\npark: {category: pocket}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "unknown applicability with a requirement that holds anyway is a pass",
        rule: "applies site.area_m2 >= 3000 m2\n  require any(facilities, f => f.kind == play_area)",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area}]",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "a missing number is not zero",
        rule: "require population.residents >= 0 persons and population.residents < 1 persons",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}",
        outcome: Outcome::InsufficientEvidence,
        missing: &["population.residents"],
    },
    Case {
        name: "a count the model bounds below by zero is at least zero even when missing",
        rule: "require population.residents >= 0 persons",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "only the undecided conjunct is asked for",
        rule: "require school.special_ed_teachers >= 1 persons and school.students >= 1 persons",
        project: "project: {id: t, kind: school, jurisdiction: CN/SH}\nschool: {students: 300}",
        outcome: Outcome::InsufficientEvidence,
        missing: &["school.special_ed_teachers"],
    },
    Case {
        name: "a decided false conjunct fails whatever else is missing",
        rule: "require school.special_ed_teachers >= 1 persons and school.students >= 1 persons",
        project: "project: {id: t, kind: school, jurisdiction: CN/SH}\nschool: {special_ed_teachers: 0}",
        outcome: Outcome::Fail,
        missing: &[],
    },
    Case {
        name: "a sum is decided when the stated part already suffices",
        rule: "require sum(facilities, f => f.places) >= 54 places",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: childcare_centre, places: 80}, {kind: childcare_centre}]",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "a sum that may still reach the threshold asks for the missing part",
        rule: "require sum(facilities, f => f.places) >= 54 places",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: childcare_centre, places: 40}, {kind: childcare_centre}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities[1].places"],
    },
    Case {
        name: "an absent list is unknown, an empty list is stated",
        rule: "require any(facilities, f => f.kind == play_area)",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities"],
    },
    Case {
        name: "an empty list is stated: nothing in it",
        rule: "require any(facilities, f => f.kind == play_area)",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: []",
        outcome: Outcome::Fail,
        missing: &[],
    },
    Case {
        name: "uncertain membership of a filtered list is unknown, not absent",
        rule: "require count(filter(facilities, f => f.inclusive)) >= 1",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: childcare_centre}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities[0].inclusive"],
    },
    Case {
        name: "an exception that holds makes the rule not applicable",
        rule: "unless park.category == protective_green\n  require false",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\npark: {category: protective_green}",
        outcome: Outcome::NotApplicable,
        missing: &[],
    },
    Case {
        name: "an unknown exception over a failing requirement is asked for",
        rule: "unless park.category == protective_green\n  require false",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}",
        outcome: Outcome::InsufficientEvidence,
        missing: &["park.category"],
    },
    Case {
        name: "dates compare, and a missing decision date is asked for",
        rule: "require all(evidence, e => e.date <= project.decision_date)",
        project: "project: {id: t, kind: plan, jurisdiction: CN/SH}\nevidence: [{kind: child_impact_assessment, date: 2026-01-15}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["project.decision_date"],
    },
    Case {
        name: "present() is never unknown",
        rule: "require not present(site.area_m2)",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "ceil rounds up in whole places",
        rule: "require ceil(4.5 places/kpop * population.residents) == 55 places",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 12100}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "units convert: hectares and square metres",
        rule: "require site.area_m2 >= 1.2 ha",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nsite: {area_m2: 12000}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "a share in percent",
        rule: "require site.green_area_m2 / site.area_m2 >= 35 %",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nsite: {area_m2: 85000, green_area_m2: 30000}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "count_distinct counts each value once, across the lists a lambda gives",
        rule: "require count_distinct(facilities, f => f.age_groups) == 3",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, age_groups: [\"3-6\", \"3-6\"]}, {kind: play_area, age_groups: [\"0-3\", \"6-12\", \"3-6\"]}]",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "count_distinct of one value named twice is one",
        rule: "require count_distinct(facilities, f => f.age_groups) >= 2",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, age_groups: [\"3-6\", \"3-6\"]}]",
        outcome: Outcome::Fail,
        missing: &[],
    },
    Case {
        name: "count_distinct: a list not stated may hold new values, so the count is undecided",
        rule: "require count_distinct(facilities, f => f.age_groups) >= 2",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, age_groups: [\"3-6\"]}, {kind: play_area}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities[1].age_groups"],
    },
    Case {
        name: "count_distinct: values already counted decide it whatever the unstated ones are",
        rule: "require count_distinct(facilities, f => f.age_groups) >= 2",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, age_groups: [\"3-6\", \"0-3\"]}, {kind: play_area}]",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "count_distinct: an unstated scalar may be one more value, never more",
        rule: "require count_distinct(facilities, f => f.audience) <= 1",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, audience: public}, {kind: play_area}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities[1].audience"],
    },
    Case {
        name: "count_distinct: an unstated scalar cannot reach a bound two above",
        rule: "require count_distinct(facilities, f => f.audience) < 3",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, audience: public}, {kind: play_area}]",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "count_distinct: an element that may not be in a filtered list is asked about",
        rule: "require count_distinct(filter(facilities, f => f.barrier_free), f => f.kind) >= 2",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}\nfacilities: [{kind: play_area, barrier_free: true}, {kind: family_toilet}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities[1].barrier_free"],
    },
    Case {
        name: "count_distinct of a list without a lambda counts its elements",
        rule: "require count_distinct(plan.contents) == 2",
        project: "project: {id: t, kind: plan, jurisdiction: CN/SH}\nplan: {contents: [children_facility_land, children_facility_land, funding]}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "either of two things: the one the file is silent on, and the element a stated list lacks",
        rule: "require any(facilities, f => f.kind == kindergarten) or any(evidence, e => e.kind == guideline_compliance)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: childcare_centre}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["evidence", "facilities"],
    },
    Case {
        name: "a stated list that decides nothing alone is not asked for",
        rule: "require any(facilities, f => f.kind == kindergarten) and any(evidence, e => e.kind == guideline_compliance)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: kindergarten}]",
        outcome: Outcome::InsufficientEvidence,
        missing: &["evidence"],
    },
    Case {
        name: "count_distinct of a list not stated is undecided",
        rule: "require count_distinct(facilities, f => f.kind) >= 1",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH}",
        outcome: Outcome::InsufficientEvidence,
        missing: &["facilities"],
    },
    // Hostile review 16 Y6: days past what a date holds saturate on their own side (the sum
    // overflowed: a panic in a debug build, and in release a date far back read as far ahead).
    Case {
        name: "a date moved far back is before the date",
        rule: "require project.decision_date - 9007199254740992 d * 9007199254740992 < project.decision_date",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH, decision_date: 2026-01-01}",
        outcome: Outcome::Pass,
        missing: &[],
    },
    Case {
        name: "a date moved far ahead by negative days is not after the date",
        rule: "require project.decision_date + 9007199254740992 d * -9007199254740992 > project.decision_date",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH, decision_date: 2026-01-01}",
        outcome: Outcome::Fail,
        missing: &[],
    },
    Case {
        name: "a date moved far ahead is after the date",
        rule: "require project.decision_date + 9007199254740992 d * 9007199254740992 > project.decision_date",
        project: "project: {id: t, kind: park, jurisdiction: CN/SH, decision_date: 2026-01-01}",
        outcome: Outcome::Pass,
        missing: &[],
    },
];

#[test]
fn cases() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut failures = Vec::new();
    for (index, case) in CASES.iter().enumerate() {
        let pack = dir.path().join(format!("case{index}.yimi"));
        let rule = format!(
            "pack case{index} {{\n  source shanghai-2023\n  jurisdiction CN/SH\n}}\n\nrule CASE-{index} \"case\" {{\n  domain space\n  strength shall\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n  {}\n}}\n",
            case.rule
        );
        std::fs::write(&pack, rule).expect("written");
        let options = RuleOptions {
            no_builtin: true,
            paths: vec![pack],
            ..RuleOptions::default()
        };
        let loaded = load::load(&options)
            .unwrap_or_else(|errors| panic!("{}: the rule does not load: {errors:#?}", case.name));
        let text = format!("yimi: 1\n{}\n", case.project);
        let project = project::load_bytes("case.yaml", text.as_bytes(), LoadLimits::default())
            .unwrap_or_else(|errors| panic!("{}: {errors:#?}", case.name));
        let Checked::Assessed { assessment, .. } =
            checked::assess(project, &loaded.set, &CheckOptions::default())
        else {
            panic!("{}: not assessed", case.name)
        };
        let result = &assessment.results[0];
        let missing: Vec<String> = result.missing.iter().map(|m| m.path.to_string()).collect();
        if result.outcome != case.outcome || missing != case.missing {
            failures.push(format!(
                "{}: got {:?} {missing:?}, expected {:?} {:?}",
                case.name, result.outcome, case.outcome, case.missing
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The outcome of YZ-T017 (Yuzhong: at least 4.5 childcare places per 1000 by 2026) on a plan,
/// the missing paths it names, and the plan's verdict.
fn yuzhong_childcare_target(plan: &str) -> (Outcome, Vec<String>, yimi::engine::Verdict) {
    let text =
        format!("yimi: 1\nproject: {{id: t, kind: plan, jurisdiction: CN/CQ/Yuzhong}}\n{plan}\n");
    let project =
        project::load_bytes("plan.yaml", text.as_bytes(), LoadLimits::default()).expect("valid");
    let loaded = load::load(&RuleOptions::default()).expect("built-in packs");
    let Checked::Assessed { assessment, .. } =
        checked::assess(project, &loaded.set, &CheckOptions::default())
    else {
        panic!("not assessed")
    };
    let index = loaded
        .set
        .rules
        .iter()
        .position(|rule| rule.id == "YZ-T017")
        .expect("YZ-T017");
    let result = assessment
        .results
        .iter()
        .find(|result| result.rule == index)
        .expect("ran");
    let missing = result.missing.iter().map(|m| m.path.to_string()).collect();
    (result.outcome, missing, assessment.verdict)
}

#[test]
fn a_plan_beginning_after_a_target_year_is_judged_by_its_value() {
    let check = |plan: &str| yuzhong_childcare_target(plan).0;
    // A 2024–2030 plan that only reaches 4.5 in 2030 is late.
    assert_eq!(
        check(
            "plan: {level: district, start_year: 2024}\ntargets: [{indicator: childcare_places_per_1000, value: 4.5, year: 2030}]"
        ),
        Outcome::Fail
    );
    // A 2027–2030 plan cannot meet 2026; keeping at least 4.5 is what it can do.
    assert_eq!(
        check(
            "plan: {level: district, start_year: 2027}\ntargets: [{indicator: childcare_places_per_1000, value: 4.8, year: 2030}]"
        ),
        Outcome::Pass
    );
    assert_eq!(
        check(
            "plan: {level: district, start_year: 2027}\ntargets: [{indicator: childcare_places_per_1000, value: 4.0, year: 2030}]"
        ),
        Outcome::Fail
    );
}

#[test]
fn a_target_judges_what_a_plan_states_and_applies_decides_what_it_must_state() {
    // YZ-T017 applies to childcare sector plans.
    let check = |plan: &str| {
        let (outcome, missing, _) = yuzhong_childcare_target(plan);
        (outcome, missing)
    };
    let stated_low = "targets: [{indicator: childcare_places_per_1000, value: 4.0, year: 2026}]";
    // A stated commitment is judged even where the plan was not bound to state it.
    assert_eq!(
        check(&format!(
            "plan: {{level: district, plan_type: children}}\n{stated_low}"
        ))
        .0,
        Outcome::Fail
    );
    // The district's figure judges the district's plan: one that does not say whose it is and
    // falls short is undecided (law review 9, G1), naming its level.
    assert_eq!(
        check(stated_low),
        (
            Outcome::InsufficientEvidence,
            vec!["plan.level".to_string()]
        )
    );
    // Unstated: a childcare plan owes it, a children's plan does not, an untyped plan is undecided.
    assert_eq!(
        check("plan: {plan_type: sector, sector: childcare}"),
        (Outcome::InsufficientEvidence, vec!["targets".to_string()])
    );
    assert_eq!(
        check("plan: {plan_type: children}"),
        (Outcome::NotApplicable, vec![])
    );
    assert_eq!(
        check("plan: {level: district}"),
        (
            Outcome::InsufficientEvidence,
            vec![
                "plan.plan_type".to_string(),
                "plan.sector".to_string(),
                "targets".to_string()
            ]
        )
    );
}

#[test]
fn a_district_plan_below_the_childcare_target_fails_and_one_meeting_it_passes() {
    // A commitment for 2025, before the target's 2026, is judged by its value.
    let outcome = |value: &str, year: u32| {
        let (outcome, _, verdict) = yuzhong_childcare_target(&format!(
            "plan: {{level: district, plan_type: sector, sector: childcare}}\ntargets: [{{indicator: childcare_places_per_1000, value: {value}, year: {year}}}]"
        ));
        (outcome, verdict)
    };
    assert_eq!(outcome("3.5", 2025).0, Outcome::Fail);
    assert_eq!(outcome("3.5", 2025).1, yimi::engine::Verdict::Fail);
    assert_eq!(outcome("4.5", 2025).0, Outcome::Pass);
    assert_eq!(outcome("4.49", 2026).0, Outcome::Fail);
    assert_eq!(outcome("4.5", 2026).0, Outcome::Pass);
}

/// A requirement that holds only because there was nothing to check: where (the empty list or
/// the zero), or `None` when a stated fact decided it.
struct VacuousCase {
    name: &'static str,
    rule: &'static str,
    project: &'static str,
    outcome: Outcome,
    nothing: Option<(&'static str, yimi::engine::Nothing)>,
}

const VACUOUS_CASES: &[VacuousCase] = &[
    VacuousCase {
        name: "all over a stated empty list holds with nothing to check",
        rule: "require all(facilities, f => f.places >= 10 places)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: []",
        outcome: Outcome::Pass,
        nothing: Some(("facilities", yimi::engine::Nothing::EmptyList)),
    },
    VacuousCase {
        name: "all over a list with no item the filter keeps holds with nothing to check",
        rule: "require all(filter(facilities, f => f.kind == childcare_centre), f => f.places >= 10 places)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: kindergarten, places: 5}]",
        outcome: Outcome::Pass,
        nothing: Some(("facilities", yimi::engine::Nothing::EmptyList)),
    },
    VacuousCase {
        name: "all over items that each hold is a checked fact",
        rule: "require all(facilities, f => f.places >= 10 places)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: childcare_centre, places: 20}]",
        outcome: Outcome::Pass,
        nothing: None,
    },
    VacuousCase {
        name: "no item of an empty list is forbidden: not any holds with nothing to check",
        rule: "require not any(facilities, f => f.places > 100 places)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: []",
        outcome: Outcome::Pass,
        nothing: Some(("facilities", yimi::engine::Nothing::EmptyList)),
    },
    VacuousCase {
        name: "a requirement scaled by a stated 0 (through a let and ceil) requires nothing",
        rule: "let needed = ceil(4.5 places/kpop * population.residents)\n  require sum(facilities, f => f.places) >= needed",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 0}\nfacilities: []",
        outcome: Outcome::Pass,
        nothing: Some(("population.residents", yimi::engine::Nothing::ZeroScale)),
    },
    VacuousCase {
        name: "the bound on the left of <= is the requirement too",
        rule: "require 4.5 places/kpop * population.residents <= sum(facilities, f => f.places)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 0}\nfacilities: [{kind: childcare_centre, places: 3}]",
        outcome: Outcome::Pass,
        nothing: Some(("population.residents", yimi::engine::Nothing::ZeroScale)),
    },
    VacuousCase {
        name: "a requirement scaled by stated residents checks the places",
        rule: "let needed = ceil(4.5 places/kpop * population.residents)\n  require sum(facilities, f => f.places) >= needed",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 1000}\nfacilities: [{kind: childcare_centre, places: 5}]",
        outcome: Outcome::Pass,
        nothing: None,
    },
    VacuousCase {
        name: "a 0 the rule writes is a requirement, not a scale",
        rule: "require population.residents >= 0 persons",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 0}",
        outcome: Outcome::Pass,
        nothing: None,
    },
    VacuousCase {
        name: "a strict comparison asks for something even over a zero",
        rule: "require sum(facilities, f => f.places) > 4.5 places/kpop * population.residents",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 0}\nfacilities: [{kind: childcare_centre, places: 5}]",
        outcome: Outcome::Pass,
        nothing: None,
    },
    VacuousCase {
        name: "one checked conjunct makes the pass a checked fact",
        rule: "require all(facilities, f => f.places >= 10 places) and population.residents >= 100 persons",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 500}\nfacilities: []",
        outcome: Outcome::Pass,
        nothing: None,
    },
    VacuousCase {
        name: "a disjunction holds vacuously only when every operand that holds does",
        rule: "require all(facilities, f => f.places >= 10 places) or population.residents >= 100 persons",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}\npopulation: {residents: 500}\nfacilities: []",
        outcome: Outcome::Pass,
        nothing: None,
    },
    VacuousCase {
        name: "an unstated list is missing, not empty",
        rule: "require all(facilities, f => f.places >= 10 places)",
        project: "project: {id: t, kind: residential, jurisdiction: CN/SH}",
        outcome: Outcome::InsufficientEvidence,
        nothing: None,
    },
];

#[test]
fn a_requirement_over_nothing_holds_with_nothing_to_check() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut failures = Vec::new();
    for (index, case) in VACUOUS_CASES.iter().enumerate() {
        let pack = dir.path().join(format!("vacuous{index}.yimi"));
        let rule = format!(
            "pack vacuous{index} {{\n  source shanghai-2023\n  jurisdiction CN/SH\n}}\n\nrule VAC-{index} \"case\" {{\n  domain space\n  strength shall\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n  {}\n}}\n",
            case.rule
        );
        std::fs::write(&pack, rule).expect("written");
        let options = RuleOptions {
            no_builtin: true,
            paths: vec![pack],
            ..RuleOptions::default()
        };
        let loaded = load::load(&options)
            .unwrap_or_else(|errors| panic!("{}: the rule does not load: {errors:#?}", case.name));
        let text = format!("yimi: 1\n{}\n", case.project);
        let project = project::load_bytes("case.yaml", text.as_bytes(), LoadLimits::default())
            .unwrap_or_else(|errors| panic!("{}: {errors:#?}", case.name));
        let Checked::Assessed { assessment, .. } =
            checked::assess(project, &loaded.set, &CheckOptions::default())
        else {
            panic!("{}: not assessed", case.name)
        };
        let result = &assessment.results[0];
        let nothing = result
            .vacuous
            .as_deref()
            .map(|vacuity| (vacuity.path.to_string(), vacuity.nothing));
        let expected = case.nothing.map(|(path, kind)| (path.to_owned(), kind));
        if result.outcome != case.outcome || nothing != expected {
            failures.push(format!(
                "{}: got {:?} {nothing:?}, expected {:?} {expected:?}",
                case.name, result.outcome, case.outcome
            ));
        }
        // Nothing checked, nothing else undecided: the verdict rests on no fact.
        if expected.is_some() && assessment.verdict != yimi::engine::Verdict::Incomplete {
            failures.push(format!(
                "{}: verdict {:?}, expected incomplete",
                case.name, assessment.verdict
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn looking_for_nothing_to_check_never_puts_a_decided_rule_over_budget() {
    // The rule visits 6 elements (a filter over 3, then `all` over the 3 kept): within a budget of
    // 6 it passes. The second look at it (does it hold with nothing to check?) filters again;
    // charged to the rule, it made the pass "over budget", undecided.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = dir.path().join("budget.yimi");
    std::fs::write(
        &pack,
        "pack budget {\n  source shanghai-2023\n  jurisdiction CN/SH\n}\n\nrule BUDGET-1 \"case\" {\n  domain space\n  strength shall\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n  require all(filter(facilities, f => f.kind == childcare_centre), f => f.places >= 10 places)\n}\n",
    )
    .expect("written");
    let options = RuleOptions {
        no_builtin: true,
        paths: vec![pack],
        ..RuleOptions::default()
    };
    let loaded = load::load(&options).expect("the rule loads");
    let text = "yimi: 1\nproject: {id: t, kind: residential, jurisdiction: CN/SH}\nfacilities: [{kind: childcare_centre, places: 20}, {kind: childcare_centre, places: 30}, {kind: childcare_centre, places: 40}]\n";
    let project =
        project::load_bytes("case.yaml", text.as_bytes(), LoadLimits::default()).expect("valid");
    let check = CheckOptions {
        engine: yimi::engine::Options {
            step_budget: yimi::engine::eval::StepBudget(6),
            ..yimi::engine::Options::default()
        },
        ..CheckOptions::default()
    };
    let Checked::Assessed { assessment, .. } = checked::assess(project, &loaded.set, &check) else {
        panic!("not assessed")
    };
    let result = &assessment.results[0];
    assert_eq!(result.outcome, Outcome::Pass, "{:?}", result.message);
    assert!(result.vacuous.is_none());
}

#[test]
fn a_rule_that_does_not_apply_is_not_applicable_whatever_its_requirement_would_cost() {
    // The same requirement visits 6 elements, over a budget of 2; the rule applies only to plans.
    // A residential project is outside it: not applicable, decided, with neither its requirement
    // nor the `let` only the requirement reads evaluated. A plan it applies to is over budget.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = dir.path().join("budget.yimi");
    std::fs::write(
        &pack,
        "pack budget {\n  source shanghai-2023\n  jurisdiction CN/SH\n}\n\nrule BUDGET-2 \"case\" {\n  domain space\n  strength shall\n  cite shanghai-2023 §68 \"口袋公园优先配置儿童活动场地\"\n  applies project.kind == plan\n  let kept = filter(facilities, f => f.kind == childcare_centre)\n  require all(kept, f => f.places >= 10 places)\n}\n",
    )
    .expect("written");
    let options = RuleOptions {
        no_builtin: true,
        paths: vec![pack],
        ..RuleOptions::default()
    };
    let loaded = load::load(&options).expect("the rule loads");
    let check = CheckOptions {
        engine: yimi::engine::Options {
            step_budget: yimi::engine::eval::StepBudget(2),
            ..yimi::engine::Options::default()
        },
        ..CheckOptions::default()
    };
    let outcome = |kind: &str| {
        let text = format!(
            "yimi: 1\nproject: {{id: t, kind: {kind}, jurisdiction: CN/SH}}\nfacilities: [{{kind: childcare_centre, places: 20}}, {{kind: childcare_centre, places: 30}}, {{kind: childcare_centre, places: 40}}]\n"
        );
        let project = project::load_bytes("case.yaml", text.as_bytes(), LoadLimits::default())
            .expect("valid");
        let Checked::Assessed { assessment, .. } = checked::assess(project, &loaded.set, &check)
        else {
            panic!("not assessed")
        };
        let result = &assessment.results[0];
        (
            result.outcome,
            result.message.as_ref().map(|m| m.en.clone()),
        )
    };
    assert_eq!(outcome("residential"), (Outcome::NotApplicable, None));
    let (over, message) = outcome("plan");
    assert_eq!(over, Outcome::InsufficientEvidence);
    assert!(
        message.is_some_and(|message| message.contains("budget")),
        "a plan is judged, over budget"
    );
}
