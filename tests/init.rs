//! `yimi init` templates load cleanly for every kind, in both languages.

mod common;

use yimi::base::i18n::Lang;
use yimi::project::{self, LoadLimits};

#[test]
fn every_template_loads_without_errors_or_warnings() {
    let kinds = yimi::authoring::template::kinds();
    assert!(kinds.len() >= 15, "{kinds:?}");
    for kind in kinds {
        for lang in [Lang::Zh, Lang::En] {
            let text = yimi::authoring::template::template(kind, lang).expect("a template");
            assert!(
                !text.contains("#?") && !text.contains("# ?"),
                "{kind}: a comment marker names no field:\n{text}"
            );
            let loaded =
                project::load_bytes("template.yaml", text.as_bytes(), LoadLimits::default())
                    .unwrap_or_else(|errors| {
                        panic!("the {kind} template does not load: {errors:#?}\n{text}")
                    });
            assert!(loaded.warnings.is_empty(), "{kind}: {:#?}", loaded.warnings);
            assert_eq!(loaded.enum_name(&["project", "kind"]), Some(kind));
        }
    }
}

#[test]
fn templates_leave_values_unstated_rather_than_zero() {
    let text = yimi::authoring::template::template("residential", Lang::Zh).expect("a template");
    let loaded =
        project::load_bytes("t.yaml", text.as_bytes(), LoadLimits::default()).expect("loads");
    assert_eq!(
        loaded.get(&["population", "residents"]),
        None,
        "an empty value is not stated, not zero"
    );
}

#[test]
fn unknown_kinds_have_no_template() {
    assert!(yimi::authoring::template::template("prak", Lang::Zh).is_none());
}

/// Every jurisdiction a built-in pack applies to.
const JURISDICTIONS: [&str; 5] = [
    "CN/SH",
    "CN/ZJ/Wenzhou/Ruian",
    "CN/JL",
    "CN/ZJ/Shaoxing/Shangyu",
    "CN/CQ/Yuzhong",
];

#[test]
fn every_template_lists_every_key_that_decides_a_rule_for_its_kind() {
    // A key that decides a rule for the kind but is not in the template is one the applicant does
    // not know to state, and the rule is left undecided (`project.new_build` once, for Jilin's
    // residential rules). The template is checked as it is: a rule that applies, or may apply,
    // to it reads only keys the template lists.
    let set = &common::builtin().set;
    let mut unlisted = Vec::new();
    // The facilities a template lists are commented out (an example is no fact), so a rule that
    // looks into a facility reads nothing on the template as it is: each template is also
    // checked with its example facilities uncommented, as an applicant who keeps them would.
    let templates = yimi::authoring::template::kinds()
        .into_iter()
        .flat_map(|kind| {
            let template = yimi::authoring::template::template(kind, Lang::En).expect("a template");
            let kept = with_example_facilities(&template);
            [(kind, template, true), (kind, kept, false)]
        });
    for (kind, template, unedited) in templates {
        let written = yimi::authoring::template::keys_written(&template);
        for jurisdiction in JURISDICTIONS {
            let text = in_jurisdiction(&template, jurisdiction);
            let loaded =
                project::load_bytes("template.yaml", text.as_bytes(), LoadLimits::default())
                    .unwrap_or_else(|errors| panic!("{kind}: {errors:#?}"));
            let checked = yimi::engine::checked::assess(
                loaded,
                set,
                &yimi::engine::checked::CheckOptions::default(),
            );
            let yimi::engine::checked::Checked::Assessed { assessment, .. } = checked else {
                panic!("the {kind} template for {jurisdiction} is assessed");
            };
            for result in &assessment.results {
                // A template states no fact an applicant has not written: nothing fails on it
                // (`traffic_calming: []` once said "none" and failed YZ-013c).
                // (With facilities kept, a list is stated and may fail: only missing keys count.)
                if unedited && result.outcome == yimi::engine::Outcome::Fail {
                    let id = set
                        .rules
                        .get(result.rule)
                        .map_or("?", |rule| rule.id.as_str());
                    unlisted.push(format!(
                        "{kind} {jurisdiction} {id}: fails on the unedited template"
                    ));
                }
                // What the rule lacks to be decided, when nothing but the template is known.
                let Some(rule) = set.rules.get(result.rule) else {
                    continue;
                };
                for missing in &result.missing {
                    let path: Vec<&str> = missing
                        .path
                        .segments
                        .iter()
                        .filter_map(|segment| match segment {
                            yimi::project::yaml::Segment::Key(key) => Some(key.as_str()),
                            yimi::project::yaml::Segment::Index(_) => None,
                        })
                        .collect();
                    let path = path.join(".");
                    if !written.contains(&path) {
                        unlisted.push(format!("{kind} {jurisdiction} {}: {path}", rule.id));
                    }
                }
                // `missing` names one way to decide the rule; a key of a facility that decides
                // it another way (`child_toilet_stalls` beside a toilet's `includes`) is never
                // named there, so every facility key read by a rule that applies or may apply
                // to the kept facilities must be listed too (JL-019a/b and SY-015d/e read
                // counts no template listed).
                if !unedited && result.outcome != yimi::engine::Outcome::NotApplicable {
                    for key in facility_keys_read(rule) {
                        let path = format!("facilities.{key}");
                        if !written.contains(&path) {
                            unlisted.push(format!("{kind} {jurisdiction} {}: {path}", rule.id));
                        }
                    }
                }
            }
        }
    }
    unlisted.sort();
    unlisted.dedup();
    assert!(
        unlisted.is_empty(),
        "{} unlisted:\n{}",
        unlisted.len(),
        unlisted.join("\n")
    );
}

/// The name of a facility's record type in the model.
const FACILITY: &str = "Facility";

/// The fields of a facility that `rule` reads anywhere in its criterion.
fn facility_keys_read(rule: &yimi::rules::ir::Rule) -> Vec<String> {
    use yimi::rules::ir::{Check, Expr};
    let Check::Criterion(criterion) = &*rule.check else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    let mut visit = |expr: &Expr| {
        if let Expr::Field { index, record, .. } = expr
            && record.name == FACILITY
            && let Some(field) = record.fields.get(*index)
        {
            keys.push(field.name.clone());
        }
    };
    for expr in criterion
        .lets
        .iter()
        .map(|(_, expr)| expr)
        .chain(&criterion.applies)
        .chain(&criterion.unless)
        .chain(&criterion.require)
    {
        expr.visit(&mut visit);
    }
    keys.sort();
    keys.dedup();
    keys
}

/// `template` with the example entries of its `facilities` list uncommented.
fn with_example_facilities(template: &str) -> String {
    let mut inside = false;
    let mut out = String::new();
    for line in template.lines() {
        if !line.starts_with('#') && !line.starts_with(' ') && !line.is_empty() {
            inside = line.starts_with("facilities:");
        }
        let entry = line
            .strip_prefix('#')
            .filter(|rest| inside && rest.starts_with(' '));
        match entry {
            Some(rest) => {
                out.push(' ');
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The unedited residential template in `jurisdiction`, assessed on `date`.
fn blank_residential(jurisdiction: &str, date: &str) -> yimi::engine::assessment::Assessment {
    let yimi::engine::checked::Checked::Assessed { assessment, .. } =
        blank_residential_checked(jurisdiction, date).result
    else {
        panic!("the residential template for {jurisdiction} is assessed");
    };
    assessment
}

/// The unedited residential template in `jurisdiction`, checked on `date` as a file to report.
fn blank_residential_checked(jurisdiction: &str, date: &str) -> yimi::engine::checked::CheckedFile {
    let template =
        yimi::authoring::template::template("residential", Lang::Zh).expect("a template");
    let text = in_jurisdiction(&template, jurisdiction);
    checked_text("template.yaml", &text, date)
}

/// A template with its jurisdiction filled in, as the applicant must (a template names none).
fn in_jurisdiction(template: &str, jurisdiction: &str) -> String {
    assert!(
        template.contains("\n  jurisdiction:  "),
        "a template leaves the jurisdiction empty"
    );
    template.replacen(
        "\n  jurisdiction:",
        &format!("\n  jurisdiction: {jurisdiction}"),
        1,
    )
}

fn checked_text(name: &str, text: &str, date: &str) -> yimi::engine::checked::CheckedFile {
    let loaded =
        project::load_bytes(name, text.as_bytes(), LoadLimits::default()).expect("the file loads");
    let options = yimi::engine::checked::CheckOptions {
        engine: yimi::engine::Options {
            as_of: Some(yimi::engine::force::JudgedAt {
                date: yimi::project::date::Date::parse(date).expect("a date"),
                basis: yimi::engine::force::DateBasis::Given,
            }),
            ..yimi::engine::Options::default()
        },
        ..yimi::engine::checked::CheckOptions::default()
    };
    yimi::engine::checked::CheckedFile {
        path: name.to_owned(),
        result: yimi::engine::checked::assess(loaded, &common::builtin().set, &options),
    }
}

#[test]
fn a_blank_template_is_not_read_as_having_no_facilities_gates_or_hazards() {
    // Silence is not "none": a residential project that states no facilities, school gates or
    // hazards leaves the rules on them undecided, naming the key, instead of not applicable (the
    // blank Shanghai template once got 0 undecided rules on them and a near-pass).
    let set = &common::builtin().set;
    let assessment = blank_residential("CN/SH", "2025-06-01");
    assert_ne!(assessment.verdict, yimi::engine::Verdict::Pass);
    let outcome = |id: &str| {
        let result = assessment
            .results
            .iter()
            .find(|result| set.rules.get(result.rule).is_some_and(|rule| rule.id == id))
            .unwrap_or_else(|| panic!("{id} is assessed"));
        let missing: Vec<String> = result.missing.iter().map(|m| m.path.to_string()).collect();
        (result.outcome, missing)
    };
    for (id, key) in [
        ("SH-035b", "facilities"),
        ("SH-058b", "surroundings.hazards"),
        ("SH-058c", "facilities"),
        ("SH-059b", "facilities"),
        ("SH-059c", "facilities"),
        ("SH-061a", "surroundings.school_gates"),
        ("SH-061b", "surroundings.school_gates"),
        ("SH-061c", "surroundings.school_gates"),
        ("SH-073a", "facilities"),
        ("SH-073b", "facilities"),
    ] {
        let (outcome, missing) = outcome(id);
        assert_eq!(outcome, yimi::engine::Outcome::InsufficientEvidence, "{id}");
        assert!(missing.iter().any(|path| path == key), "{id}: {missing:?}");
    }
    // Where a `shall` rule binds what the project leaves blank, what it needs is material.
    for jurisdiction in ["CN/CQ/Yuzhong", "CN/JL"] {
        assert_eq!(
            blank_residential(jurisdiction, "2025-06-01").verdict,
            yimi::engine::Verdict::Incomplete,
            "{jurisdiction}"
        );
    }
}

/// The text of a Word document: its body's XML without tags.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("a body"),
        &mut xml,
    )
    .expect("UTF-8");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn a_blank_template_never_reads_as_approved_in_any_format() {
    // SPEC §2 read literally would leave these "pass with advice": the blank Shanghai template's
    // 12 undecided rules are all `should`, and so are those of a Jilin park that states only its
    // id, kind and jurisdiction. Not a single rule that applies was decided, so the verdict is
    // 需补充材料 in every format, the totals count them as incomplete, and the line says that
    // nothing was checked.
    use yimi::report::Format;
    let files = [
        blank_residential_checked("CN/SH", "2025-06-01"),
        checked_text(
            "min-jl-park.yaml",
            "yimi: 1\nproject:\n  id: T-1\n  kind: park\n  jurisdiction: CN/JL\n",
            "2025-06-01",
        ),
    ];
    for file in &files {
        let yimi::engine::checked::Checked::Assessed { assessment, .. } = &file.result else {
            panic!("assessed");
        };
        assert_eq!(
            assessment.verdict,
            yimi::engine::Verdict::Incomplete,
            "{}",
            file.path
        );
    }
    let zh = "需补充材料 — 其中 12 条规则因材料不足未能判定;没有一条适用的规则得到判定,本结论不基于任何经核查的事实";
    let en = "incomplete: evidence needed — 12 rules undecided for lack of evidence; no applicable rule was decided: this verdict rests on no checked fact";
    for format in [Format::Human, Format::Plain, Format::Markdown, Format::Html] {
        for (lang, line) in [(Lang::Zh, zh), (Lang::En, en)] {
            let text = common::render(format, &files, lang);
            assert!(text.contains(line), "{format:?} {lang:?}:\n{text}");
            for pass in ["通过,附建议 —", "pass with advice —"] {
                assert!(!text.contains(pass), "{format:?} {lang:?}:\n{text}");
            }
        }
    }
    let docx = docx_text(&common::render_bytes(Format::Docx, &files, Lang::Zh));
    assert!(docx.contains(zh), "{docx}");
    assert!(!docx.contains("审查结论:通过"), "{docx}");
    assert!(docx.contains("需补充材料 2 · 通过,附建议 0"), "{docx}");
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, Lang::Zh)).expect("JSON");
    for file in json["files"].as_array().expect("files") {
        assert_eq!(file["verdict"], "incomplete");
        assert_eq!(file["verdict_label"], "需补充材料");
        assert_eq!(file["verdict_basis"]["decided"], 0);
    }
    let file = &json["files"][0];
    assert_eq!(
        file["verdict_basis"],
        serde_json::json!({ "decided": 0, "undecided": 12, "vacuous": 0 })
    );
    assert_eq!(
        file["verdict_note"],
        "其中 12 条规则因材料不足未能判定;没有一条适用的规则得到判定,本结论不基于任何经核查的事实"
    );
    assert_eq!(json["summary"]["incomplete"], 2, "{json}");
    assert_eq!(json["summary"]["pass_with_advice"], 0, "{json}");
}

/// The hostile review's F7 file: a new residential district in Changchun that states 0
/// residents, no facilities and one declaration. JL-005a (childcare places for the residents)
/// and JL-005b (childcare facilities handed over with the housing) held only because there was
/// nothing to check.
const NO_RESIDENTS: &str = "yimi: 1\nproject: {id: P, name: n, kind: residential, stage: planning, jurisdiction: CN/JL/Changchun, major: false, concerns_children: false, new_build: true, decision_date: 2026-04-15}\npopulation: {residents: 0}\nfacilities: []\nevidence: [{kind: guideline_compliance, guideline_id: residential_kindergarten_policy, title: t, date: 2026-01-01}]\n";

#[test]
fn nothing_to_check_is_no_checked_fact_in_any_format() {
    use yimi::report::Format;
    let files = [checked_text("v6.yaml", NO_RESIDENTS, "2026-04-15")];
    let yimi::engine::checked::Checked::Assessed { assessment, .. } = &files[0].result else {
        panic!("assessed");
    };
    // One checked fact (the declaration) and the warning on 0 residents: not a plain pass.
    assert_eq!(assessment.verdict, yimi::engine::Verdict::PassWithAdvice);
    let zh = "2 条规则无可检查的对象(列表为空或规模为 0),未计为已判定";
    let en = "2 rules hold only because there was nothing to check (an empty list or a scale of 0), not counted as decided";
    for format in [Format::Human, Format::Plain, Format::Markdown, Format::Html] {
        for (lang, line, word) in [
            (Lang::Zh, zh, "无可检查"),
            (Lang::En, en, "nothing to check"),
        ] {
            let text = common::render(format, &files, lang);
            assert!(text.contains(line), "{format:?} {lang:?}:\n{text}");
            assert!(text.contains(word), "{format:?} {lang:?}:\n{text}");
            assert!(
                text.contains("project::no-residents"),
                "{format:?}:\n{text}"
            );
        }
    }
    let plain = common::render(Format::Plain, &files, Lang::Zh);
    assert!(plain.contains("v6.yaml:3:25: 无可检查[JL-005a]"), "{plain}");
    assert!(plain.contains("v6.yaml:4:1: 无可检查[JL-005b]"), "{plain}");
    assert!(plain.contains("(符合 1,无可检查 2,"), "{plain}");
    let docx = docx_text(&common::render_bytes(Format::Docx, &files, Lang::Zh));
    assert!(docx.contains(zh), "{docx}");
    assert!(docx.contains("无可检查的对象 2"), "{docx}");
    let json: serde_json::Value =
        serde_json::from_str(&common::render(Format::Json, &files, Lang::Zh)).expect("JSON");
    let file = &json["files"][0];
    assert_eq!(
        file["verdict_basis"],
        serde_json::json!({ "decided": 1, "undecided": 0, "vacuous": 2 })
    );
    assert_eq!(file["counts"]["pass"], 1);
    assert_eq!(file["counts"]["vacuous"], 2);
    let result = |id: &str| {
        file["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|result| result["rule_id"] == id)
            .cloned()
            .expect("the rule ran")
    };
    assert_eq!(result("JL-005a")["outcome"], "pass");
    assert_eq!(result("JL-005a")["result"], "无可检查的对象");
    assert_eq!(
        result("JL-005a")["nothing_to_check"]["path"],
        "population.residents"
    );
    assert_eq!(result("JL-005a")["nothing_to_check"]["line"], 3);
    assert_eq!(result("JL-005b")["nothing_to_check"]["path"], "facilities");
    assert_eq!(result("JL-006c")["result"], "符合");
    assert!(result("JL-006c").get("nothing_to_check").is_none());
    let sarif: serde_json::Value =
        serde_json::from_str(&common::render(Format::Sarif, &files, Lang::En)).expect("SARIF");
    let informational: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|result| result["kind"] == "informational")
        .map(|result| result["ruleId"].as_str().expect("an id"))
        .collect();
    assert_eq!(informational, ["JL-005a", "JL-005b"]);
    let junit = common::render(Format::Junit, &files, Lang::En);
    assert_eq!(
        junit
            .matches("<skipped message=\"nothing_to_check: ")
            .count(),
        2,
        "{junit}"
    );
}

#[test]
fn nothing_to_check_is_said_beside_an_incomplete_verdict_too() {
    // Without the declaration JL-006c is undecided (`evidence` is not stated), so the file is
    // incomplete; the two rules that held with nothing to check are said beside it, and nothing
    // was decided.
    let text = NO_RESIDENTS.replace(
        "evidence: [{kind: guideline_compliance, guideline_id: residential_kindergarten_policy, title: t, date: 2026-01-01}]\n",
        "",
    );
    let files = [checked_text("v7.yaml", &text, "2026-04-15")];
    let json: serde_json::Value = serde_json::from_str(&common::render(
        yimi::report::Format::Json,
        &files,
        Lang::En,
    ))
    .expect("JSON");
    let file = &json["files"][0];
    assert_eq!(file["verdict"], "incomplete");
    assert_eq!(
        file["verdict_basis"],
        serde_json::json!({ "decided": 0, "undecided": 1, "vacuous": 2 })
    );
    assert_eq!(
        file["verdict_note"],
        "1 rule undecided for lack of evidence; 2 rules hold only because there was nothing to check (an empty list or a scale of 0), not counted as decided; no applicable rule was decided: this verdict rests on no checked fact"
    );
}

#[test]
fn a_key_missing_at_the_top_level_is_said_in_words_not_marked_on_the_first_line() {
    // The first line (`yimi: 1`) is not wrong: a report says where the missing section belongs,
    // as the record does, while a key missing inside a stated mapping still points at it.
    use yimi::report::Format;
    let files = [checked_text(
        "min-jl-park.yaml",
        "yimi: 1\nproject:\n  id: T-1\n  kind: park\n  jurisdiction: CN/JL\n",
        "2025-06-01",
    )];
    let plain = common::render(Format::Plain, &files, Lang::Zh);
    assert!(!plain.contains("min-jl-park.yaml:1:"), "{plain}");
    assert!(!plain.contains("1 | yimi: 1"), "{plain}");
    assert!(
        plain.contains("  缺少: facilities (应在文件顶层注明)"),
        "{plain}"
    );
    assert!(
        plain.contains("min-jl-park.yaml:2:1: advice[JL-002a]"),
        "{plain}"
    );
    let human = common::render(Format::Human, &files, Lang::Zh);
    assert!(!human.contains("[min-jl-park.yaml:1:"), "{human}");
    assert!(human.contains("[min-jl-park.yaml:2:1]"), "{human}");
    assert!(
        human.contains("缺少 `facilities`(项目提供的设施,每项一条):应在文件顶层注明"),
        "{human}"
    );
    assert!(human.contains("project:"), "{human}");
}

/// Newcomer review 8 F12/F18: a template states no fact the applicant has not chosen (a Jilin
/// user who kept `CN/SH` was checked against Shanghai; a pre-filled `concerns_children: true`
/// hid the derivation), offers the venue keys only to the venues rules ask them of, and lists
/// the toilet counts for a renewal, whose toilets the Jilin and Shangyu toilet rules judge.
#[test]
fn templates_prefill_no_fact_and_offer_the_keys_their_kind_is_asked() {
    for kind in yimi::authoring::template::kinds() {
        let text = yimi::authoring::template::template(kind, Lang::En).expect("a template");
        // The value as written (loading derives `concerns_children` for a kindergarten).
        for key in ["jurisdiction:", "concerns_children:"] {
            let value = text
                .lines()
                .find_map(|line| line.trim_start().strip_prefix(key))
                .map(|rest| rest.split('#').next().unwrap_or_default().trim());
            assert_eq!(value, Some(""), "{kind}: {key}");
        }
        let written = yimi::authoring::template::keys_written(&text);
        assert_eq!(
            written.contains("venue.type"),
            matches!(kind, "public_venue" | "sports_venue" | "scenic_area"),
            "{kind}"
        );
    }
    let renewal =
        yimi::authoring::template::template("urban_renewal", Lang::Zh).expect("a template");
    for key in ["child_toilet_stalls:", "child_washbasins:"] {
        assert!(renewal.contains(key), "{key}\n{renewal}");
    }
}
