use super::*;

fn load(text: &str) -> Result<Project, Vec<Diagnostic>> {
    load_bytes("t.yaml", text.as_bytes(), LoadLimits::default())
}

fn underlined(diagnostic: &Diagnostic) -> &str {
    &diagnostic.file.text[diagnostic.primary_span()]
}

const MINIMAL: &str = "yimi: 1\nproject:\n  id: T-1\n  kind: park\n  jurisdiction: CN/SH\n";

#[test]
fn a_minimal_file_loads() {
    let project = load(MINIMAL).unwrap();
    assert!(project.warnings.is_empty());
    assert_eq!(project.text(&["project", "jurisdiction"]), Some("CN/SH"));
    assert_eq!(project.enum_name(&["project", "kind"]), Some("park"));
    assert_eq!(project.get(&["site", "area_m2"]), None);
}

#[test]
fn unknown_keys_warn_with_a_suggestion() {
    let project = load(&format!("{MINIMAL}polulation:\n  residents: 3\n")).unwrap();
    let [warning] = project.warnings.as_slice() else {
        panic!("{:?}", project.warnings)
    };
    assert_eq!(warning.code, "project::unknown-key");
    assert_eq!(underlined(warning), "polulation");
    assert_eq!(
        warning.help.as_ref().unwrap().en,
        "did you mean `population`?"
    );
}

#[test]
fn every_bad_value_is_reported_not_just_the_first() {
    let errors = load(&format!(
        "{MINIMAL}site:\n  area_m2: \"3000m2\"\npopulation:\n  residents: 1,200\nfacilities:\n  - kind: play_area\n    places: 四十\n  - kind: play_aera\n  - kind: playground\n"
    ))
    .unwrap_err();
    let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.code, underlined(e))).collect();
    assert_eq!(
        codes,
        [
            ("project::type", "\"3000m2\""),
            ("project::type", "1,200"),
            ("project::type", "四十"),
            ("project::enum", "play_aera"),
            ("project::enum", "playground")
        ]
    );
    assert_eq!(
        errors[0].help.as_ref().unwrap().en,
        "write the number alone, `3000`: the unit (m²) is given by the key"
    );
    assert_eq!(
        errors[1].help.as_ref().unwrap().en,
        "remove the thousands separators: write `1200`"
    );
    assert_eq!(
        errors[2].help.as_ref().unwrap().en,
        "write the number in digits, such as `40`"
    );
    assert!(
        errors[3]
            .help
            .as_ref()
            .unwrap()
            .en
            .starts_with("did you mean `play_area`")
    );
    assert!(
        errors[4]
            .help
            .as_ref()
            .unwrap()
            .en
            .starts_with("allowed values: `childcare_centre`")
    );
}

#[test]
fn negative_counts_and_impossible_dates_are_errors() {
    let errors = load(&format!(
        "{MINIMAL}  decision_date: 2025-02-30\nsite:\n  area_m2: -5\n"
    ))
    .unwrap_err();
    let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.code, underlined(e))).collect();
    assert_eq!(
        codes,
        [("project::date", "2025-02-30"), ("project::range", "-5")]
    );
}

#[test]
fn chinese_enum_values_suggest_the_name() {
    let errors = load("yimi: 1\nproject:\n  id: T-1\n  kind: 公园绿地\n").unwrap_err();
    assert_eq!(
        errors[0].help.as_ref().unwrap().en,
        "did you mean `park` (Park or public green space)?"
    );
}

#[test]
fn missing_required_keys_point_at_their_mapping() {
    let errors = load("yimi: 1\nproject:\n  name: 无编号\n  kind: park\n").unwrap_err();
    assert_eq!(errors[0].code, "project::missing");
    assert_eq!(underlined(&errors[0]), "project");
    assert!(
        errors[0]
            .message
            .en
            .starts_with("missing required key `id`")
    );
}

#[test]
fn wrong_version_and_wrong_top_level_are_errors() {
    assert_eq!(
        load("yimi: 2\nproject: {id: a, kind: park}\n").unwrap_err()[0].code,
        "project::version"
    );
    assert_eq!(
        load("- a\n- b\n").unwrap_err()[0].code,
        "project::not-a-mapping"
    );
    assert_eq!(
        load("just text\n").unwrap_err()[0].code,
        "project::not-a-mapping"
    );
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = b"yimi: 1\nproject:\n  name: ".to_vec();
    bytes.extend([0xd5, 0xc5]);
    bytes.extend(b"\n");
    let errors = load_bytes("gbk.yaml", &bytes, LoadLimits::default()).unwrap_err();
    assert_eq!(errors[0].code, "io::utf8");
    assert_eq!(errors[0].line_col(), (3, 9));
}

#[test]
fn jurisdictions_are_paths() {
    assert!(is_jurisdiction("CN"));
    assert!(is_jurisdiction("CN/ZJ/Wenzhou/Ruian"));
    assert!(!is_jurisdiction("CN/上海"));
    assert!(!is_jurisdiction("CN/"));
    assert!(!is_jurisdiction("SH"));
}

#[test]
fn quantities_are_held_in_base_units() {
    let project = load(&format!(
        "{MINIMAL}surroundings:\n  school_gates:\n    - speed_limit_kmh: 36\n"
    ))
    .unwrap();
    let Some(Data::Record(surroundings)) = project.get(&["surroundings"]) else {
        panic!()
    };
    let Some(Some(Data::List(gates))) = surroundings.first() else {
        panic!()
    };
    let Some(Data::Record(gate)) = gates.first() else {
        panic!()
    };
    let (index, _) = match &crate::project::types::project_type()
        .field("surroundings")
        .unwrap()
        .1
        .ty
    {
        Ty::Record(record) => match &record.fields[0].ty {
            Ty::List(item) => match item.as_ref() {
                Ty::Record(gate) => gate.field("speed_limit_kmh").unwrap(),
                _ => panic!(),
            },
            _ => panic!(),
        },
        _ => panic!(),
    };
    assert_eq!(gate[index], Some(Data::Num(10.0)));
}

#[test]
fn numbers_too_large_to_be_quantities_are_errors() {
    let errors = load(&format!("{MINIMAL}site:\n  area_m2: 1e400\n")).unwrap_err();
    assert_eq!(errors[0].code, "project::range");
    assert!(
        errors[0].message.en.contains("too large"),
        "{}",
        errors[0].message.en
    );
    let errors = load(&format!(
        "{MINIMAL}population:\n  residents: 123456789012345678901234567890\n"
    ))
    .unwrap_err();
    assert_eq!(errors[0].code, "project::range");
    assert_eq!(underlined(&errors[0]), "123456789012345678901234567890");
}

#[test]
fn a_quoted_number_is_told_to_drop_the_quotes() {
    let errors = load(&format!("{MINIMAL}site:\n  area_m2: \"12000\"\n")).unwrap_err();
    let help = errors[0].help.as_ref().expect("a help line");
    assert!(help.en.contains("without quotes"), "{}", help.en);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_being_opened() {
    let dir = std::env::temp_dir().join(format!("yimi-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("p.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opening the FIFO for reading would block this test forever.
    let errors = load_path(&fifo, LoadLimits::default()).unwrap_err();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(errors[0].code, "io::read");
    assert!(
        errors[0].message.en.contains("not a regular file"),
        "{}",
        errors[0].message.en
    );
}

#[test]
fn a_value_over_several_lines_is_not_quoted_in_the_message() {
    let errors = load(&format!(
        "{MINIMAL}facilities:\n  id: a\n  kind: play_area\n"
    ))
    .unwrap_err();
    assert_eq!(errors[0].code, "project::type");
    assert!(
        !errors[0].message.en.contains('\n'),
        "{}",
        errors[0].message.en
    );
}

#[test]
fn chinese_numerals_are_read_for_the_hint() {
    assert_eq!(chinese_numeral("四十"), Some(40));
    assert_eq!(chinese_numeral("二十"), Some(20));
    assert_eq!(chinese_numeral("十二"), Some(12));
    assert_eq!(chinese_numeral("一千二百"), Some(1200));
    assert_eq!(chinese_numeral("三万五千"), Some(35000));
    assert_eq!(chinese_numeral("两百零五"), Some(205));
    assert_eq!(chinese_numeral("四十个"), None);
    assert_eq!(chinese_numeral(""), None);
    let errors = load(&format!("{MINIMAL}site:\n  area_m2: 二十\n")).unwrap_err();
    let help = errors[0].help.as_ref().expect("a help line");
    assert!(help.en.contains("`20`"), "{}", help.en);
}

#[test]
fn a_wrong_value_used_through_an_alias_shows_both_places() {
    let errors = load(&format!("{MINIMAL}  name: &n 滨江\nsite:\n  area_m2: *n\n")).unwrap_err();
    assert_eq!(errors[0].code, "project::type");
    assert_eq!(underlined(&errors[0]), "滨江");
    let used = errors[0].labels.get(1).expect("a label at the alias");
    assert_eq!(&errors[0].file.text[used.span.clone()], "*n");
}

/// What a reader of `errors` sees, without the file each one carries.
fn seen(errors: &[Diagnostic]) -> Vec<(&'static str, String, String, Option<Text>)> {
    errors
        .iter()
        .map(|error| {
            (
                error.code,
                format!("{:?}", error.primary_span()),
                format!("{}/{}", error.message.zh, error.message.en),
                error.help.clone(),
            )
        })
        .collect()
}

#[test]
fn every_unknown_value_of_an_enumeration_lists_the_same_allowed_values() {
    let errors = load(&format!(
        "{MINIMAL}facilities:\n  - kind: zzqx\n  - kind: qqzz\n  - kind: zzqx\n"
    ))
    .unwrap_err();
    let helps: Vec<&Text> = errors
        .iter()
        .filter(|error| error.code == "project::enum")
        .filter_map(|error| error.help.as_ref())
        .collect();
    assert_eq!(helps.len(), 3, "{errors:?}");
    // Made once and shared, as it was made for each: every allowed value with what it means.
    assert!(
        helps[0].en.starts_with("allowed values: `") && helps[0].en.contains("`play_area` ("),
        "{}",
        helps[0].en
    );
    assert!(helps[0].zh.starts_with("可选值:`"), "{}", helps[0].zh);
    assert!(helps.iter().all(|help| *help == helps[0]));
}

#[test]
fn a_stopped_load_stops_checking_values_and_one_not_stopped_is_unchanged() {
    use crate::base::cancel::Stop;
    let mut text = format!("{MINIMAL}facilities:\n");
    for _ in 0..5_000 {
        text.push_str("  - kind: zzqx\n");
    }
    // Those listed and those counted past the cap.
    let unknown = |errors: &[Diagnostic]| {
        let counted: usize = errors
            .iter()
            .filter(|error| error.code == "project::too-many-errors")
            .filter_map(|error| {
                let rest = error.message.en.strip_prefix("the file has ")?;
                rest.split(' ').next()?.parse::<usize>().ok()
            })
            .sum();
        errors
            .iter()
            .filter(|error| error.code == "project::enum")
            .count()
            + counted
    };
    let plain = load(&text).unwrap_err();
    assert_eq!(unknown(&plain), 5_000);
    assert_eq!(plain.len(), MAX_LISTED_ERRORS + 1);
    // Run with a stop that is not set: the same errors, in the same order.
    let running = Stop::new(None);
    let same = running.run(|| load(&text)).unwrap_err();
    assert_eq!(seen(&same), seen(&plain));
    // Stopped before it starts: it looks at the stop every so many values and checks none
    // after it sees it, so fewer than that many unknown values are reported, not 5 000.
    let stopped = Stop::new(None);
    stopped.cancel();
    let partial = stopped.run(|| load(&text)).err().unwrap_or_default();
    assert!(
        unknown(&partial) < VALUES_BETWEEN_STOP_LOOKS,
        "{}",
        unknown(&partial)
    );
}

/// A file of `count` unknown values, `bad0`, `bad1`, … in document order, and nothing else wrong.
fn with_unknown_values(count: usize) -> String {
    let values: Vec<String> = (0..count).map(|i| format!("bad{i}")).collect();
    format!(
        "{MINIMAL}facilities:\n  - {{kind: public_toilet, includes: [{}]}}\n",
        values.join(", ")
    )
}

#[test]
fn past_the_cap_errors_are_counted_in_one_last_diagnostic() {
    let errors = load(&with_unknown_values(MAX_LISTED_ERRORS + 500)).unwrap_err();
    assert_eq!(errors.len(), MAX_LISTED_ERRORS + 1);
    // The first ones in document order are listed, each whole.
    let (listed, [last]) = errors.split_at(MAX_LISTED_ERRORS) else {
        panic!("{} errors", errors.len())
    };
    for (i, error) in listed.iter().enumerate() {
        assert_eq!(error.code, "project::enum");
        assert_eq!(underlined(error), format!("bad{i}"));
    }
    assert_eq!(last.code, "project::too-many-errors");
    assert_eq!(last.severity, crate::base::diagnostic::Severity::Error);
    // Located at the first error not listed.
    assert_eq!(underlined(last), format!("bad{MAX_LISTED_ERRORS}"));
    assert_eq!(
        last.message.en,
        "the file has 500 more errors; only the first 1000 are listed"
    );
    assert_eq!(
        last.message.zh,
        "文件还有 500 处错误未列出,只列出了前 1000 处"
    );
}

#[test]
fn at_the_cap_every_error_is_listed_and_none_counted() {
    let errors = load(&with_unknown_values(MAX_LISTED_ERRORS)).unwrap_err();
    assert_eq!(errors.len(), MAX_LISTED_ERRORS);
    assert!(errors.iter().all(|error| error.code == "project::enum"));
    let errors = load(&with_unknown_values(MAX_LISTED_ERRORS + 1)).unwrap_err();
    assert_eq!(errors.len(), MAX_LISTED_ERRORS + 1);
    let last = errors.last().unwrap();
    assert_eq!(last.code, "project::too-many-errors");
    assert_eq!(
        last.message.en,
        "the file has 1 more error; only the first 1000 are listed"
    );
}

#[test]
fn errors_of_every_kind_count_toward_the_cap_and_warnings_are_kept() {
    // Past the cap: a wrong type, an empty item, a number out of range; and an unknown key, a
    // warning, which the cap does not touch.
    let text = format!(
        "{}  - {{kind: play_area, places: 四十}}\n  -\nsite:\n  area_m2: -5\npolulation: 1\n",
        with_unknown_values(MAX_LISTED_ERRORS)
    );
    let errors = load(&text).unwrap_err();
    assert_eq!(errors.len(), MAX_LISTED_ERRORS + 2);
    let (closing, warning) = (&errors[MAX_LISTED_ERRORS], &errors[MAX_LISTED_ERRORS + 1]);
    assert_eq!(closing.code, "project::too-many-errors");
    assert_eq!(underlined(closing), "四十");
    assert_eq!(
        closing.message.en,
        "the file has 3 more errors; only the first 1000 are listed"
    );
    assert_eq!(warning.code, "project::unknown-key");
}

/// Hostile review 8 F3: a whole number written as a float is read through f64, so its text must
/// say exactly the number it is read as.
#[test]
fn a_float_written_for_a_whole_number_says_exactly_that_number() {
    for (text, value) in [
        ("12000.0", 12000.0),
        ("12000.", 12000.0),
        ("1.2e4", 12000.0),
        ("+1.2E+4", 12000.0),
        ("120000e-1", 12000.0),
        ("0.0", 0.0),
        ("-0.0", 0.0),
        ("007.000", 7.0),
        ("0.0e99999999999999999999", 0.0),
        ("0e-99999999999999999999", 0.0),
    ] {
        assert!(super::writes_exactly(text, value), "{text}");
    }
    for (text, value) in [
        ("12000.0000000000001", 12000.0),
        ("1e-400", 0.0),
        ("9007199254740993.0", 9007199254740992.0),
        ("1.2e4", 1200.0),
        ("5e20", 5e20),
        // Exponents past 64 bits (hostile review 9 R4).
        ("1e-99999999999999999999", 0.0),
        ("5e-9223372036854775809", 0.0),
        ("1.2e4000000000000000000000", f64::INFINITY),
    ] {
        assert!(!super::writes_exactly(text, value), "{text}");
    }
}

/// A plain number is read in decimal only: a zero before another digit or a base prefix is an odd
/// form (YAML readers disagree on it); `0`, `0.5`, `0e3`, `-0` are plain.
#[test]
fn numbers_not_in_plain_decimal_are_told_apart() {
    use super::{OddNumber, odd_number, without_leading_zeros};
    for plain in [
        "0", "0.5", "0e3", "-0", "+0.25", "12000", "1e3", ".5", "-12",
    ] {
        assert_eq!(odd_number(plain), None, "{plain}");
    }
    for (odd, form) in [
        ("012000", OddNumber::LeadingZero),
        ("-007", OddNumber::LeadingZero),
        ("00.5", OddNumber::LeadingZero),
        ("00", OddNumber::LeadingZero),
        ("0x1F", OddNumber::Radix(16)),
        ("0o17", OddNumber::Radix(8)),
        ("-0b1", OddNumber::Radix(2)),
    ] {
        assert_eq!(odd_number(odd), Some(form), "{odd}");
    }
    for (written, decimal) in [
        ("012000", "12000"),
        ("-007", "-7"),
        ("00.5", "0.5"),
        ("00", "0"),
        ("+012", "12"),
        ("012e3", "12e3"),
    ] {
        assert_eq!(without_leading_zeros(written), decimal, "{written}");
    }
}

/// Plain text that yimi's reader keeps as text and other readers take for a number (hostile
/// review 14 H9), with what they read; checked against PyYAML 6.0 on 42 000 generated scalars
/// (every one PyYAML reads as a number and yimi as text is found, with PyYAML's value, and none
/// PyYAML reads as text is said to be a YAML 1.1 number).
#[test]
fn text_that_other_readers_take_for_a_number_is_found() {
    use super::{OddNumber, read_as_number_elsewhere};
    for (text, form, value, yaml11) in [
        ("0b101", OddNumber::Radix(2), Some("5"), true),
        ("0B1", OddNumber::Radix(2), Some("1"), false),
        ("+0x1F", OddNumber::Radix(16), Some("31"), true),
        ("-0x1F", OddNumber::Radix(16), Some("-31"), true),
        ("0x1_F", OddNumber::Radix(16), Some("31"), true),
        ("+0o17", OddNumber::Radix(8), Some("15"), false),
        ("0O17", OddNumber::Radix(8), Some("15"), false),
        ("12_000", OddNumber::Separated, Some("12000"), true),
        ("-1_0", OddNumber::Separated, Some("-10"), true),
        ("1_000.5", OddNumber::Separated, Some("1000.5"), true),
        ("1_0.5e+3", OddNumber::Separated, Some("10.5e+3"), true),
        (".5_0", OddNumber::Separated, Some(".50"), true),
        ("0_17", OddNumber::LeadingZero, Some("15"), true),
        ("1:30", OddNumber::Sexagesimal, Some("90"), true),
        ("190:20:30", OddNumber::Sexagesimal, Some("685230"), true),
        ("-1:5", OddNumber::Sexagesimal, Some("-65"), true),
        ("0:30.5", OddNumber::Sexagesimal, Some("30.5"), true),
        ("1_2:30", OddNumber::Sexagesimal, Some("750"), true),
        // Past 128 bits: still refused, the number not named.
        (
            "99999999999999999999999999999999999999999:10",
            OddNumber::Sexagesimal,
            None,
            true,
        ),
    ] {
        let reading = read_as_number_elsewhere(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(reading.form, form, "{text}");
        assert_eq!(reading.value.as_deref(), value, "{text}");
        assert_eq!(reading.yaml11, yaml11, "{text}");
    }
    // Text to every reader: times within a text, ranges, dates, versions, codes, and the
    // near-misses of each form.
    for text in [
        "8:00-18:00",
        "开放时间 8:00",
        "2026-12-01",
        "v1.2.3",
        "1.2.3",
        "A-0b1",
        "0b102",
        "0x",
        "0b_",
        "12:60",
        "1:300",
        "01:30",
        "0:30",
        "1:",
        "0_9",
        "_1",
        "-.5_0",
        "1_0.e3",
        "1_0a",
        "JL-CC-2026-0088",
        "",
        "+",
        "-",
    ] {
        assert_eq!(read_as_number_elsewhere(text), None, "{text}");
    }
}

/// A value not believed is read as not stated, at the same place: a flag's slot is emptied and
/// its node becomes a null there; a list item becomes a record stating nothing, so the items
/// after it keep their places (hostile review 15 X6, X12).
#[test]
fn a_forgotten_value_reads_as_not_stated_where_it_was() {
    use crate::project::yaml::{Value, YamlPath};
    let mut project = load(&format!(
        "{MINIMAL}surroundings:\n  existing_facilities:\n    - {{ kind: play_area, same_community: true, walking_distance_m: 300 }}\n\
         evidence:\n  - {{ kind: child_impact_assessment, date: 2026-01-01 }}\n  - {{ kind: school_traffic_plan }}\n"
    ))
    .unwrap();
    let flag = YamlPath::root()
        .key("surroundings")
        .key("existing_facilities")
        .index(0)
        .key("same_community");
    let span = project.tree.at(&flag).map(|node| node.span.clone());
    project.forget(&flag);
    let Some(Data::List(items)) = project.get(&["surroundings", "existing_facilities"]) else {
        panic!("the list stays")
    };
    let Some(Data::Record(slots)) = items.first() else {
        panic!("the record stays")
    };
    assert_eq!(slots.iter().filter(|slot| slot.is_some()).count(), 2);
    let node = project.tree.at(&flag).expect("the key stays");
    assert_eq!(node.value, Value::Null);
    assert_eq!(Some(node.span.clone()), span);
    let first = YamlPath::root().key("evidence").index(0);
    project.forget(&first);
    let Some(Data::List(evidence)) = project.get(&["evidence"]) else {
        panic!("the list stays")
    };
    assert_eq!(evidence.len(), 2);
    assert!(
        matches!(evidence.first(), Some(Data::Record(slots)) if slots.iter().all(Option::is_none))
    );
    assert!(
        matches!(evidence.get(1), Some(Data::Record(slots)) if slots.iter().any(Option::is_some))
    );
    assert_eq!(
        project.tree.at(&first).map(|node| &node.value),
        Some(&Value::Null)
    );
    // A path the model does not have changes nothing.
    project.forget(&YamlPath::root().key("nonsense").index(3));
    assert!(project.get(&["evidence"]).is_some());
}

/// `Validator::record` looks for a key's field first just after the field of the key before:
/// that is the field a search from the first finds only because no two fields of a record share
/// a name, in the project model and in the waivers file's.
#[test]
fn no_two_fields_of_a_record_share_a_name() {
    fn walk(ty: &Ty, seen: &mut Vec<*const RecordTy>) {
        match ty {
            Ty::List(item) => walk(item, seen),
            Ty::Record(record) => {
                if seen.contains(&Arc::as_ptr(record)) {
                    return;
                }
                seen.push(Arc::as_ptr(record));
                for (at, field) in record.fields.iter().enumerate() {
                    assert!(
                        record.fields[..at]
                            .iter()
                            .all(|before| before.name != field.name),
                        "`{}` twice in a record",
                        field.name
                    );
                    walk(&field.ty, seen);
                }
            }
            _ => {}
        }
    }
    let mut seen = Vec::new();
    walk(&Ty::Record(Arc::clone(project_type())), &mut seen);
    walk(
        &Ty::Record(Arc::clone(crate::project::types::waivers_type())),
        &mut seen,
    );
    assert!(seen.len() > 5, "the walk reached the model's records");
}

/// Keys written in another order than the model's, out of order after one in order, or
/// repeated, load as the same values, and a required key left out is still missing.
#[test]
fn keys_in_any_order_load_the_same_values() {
    let in_order = "yimi: 1\nproject:\n  id: T-1\n  name: 公园\n  kind: park\n  jurisdiction: CN/SH\n\
                    population:\n  residents: 30\n  households: 12\n";
    let shuffled = "population:\n  households: 12\n  residents: 30\nproject:\n  jurisdiction: CN/SH\n\
                    \x20 kind: park\n  id: T-1\n  name: 公园\nyimi: 1\n";
    let (a, b) = (load(in_order).unwrap(), load(shuffled).unwrap());
    assert_eq!(format!("{:?}", a.data), format!("{:?}", b.data));
    for names in [
        &["project", "id"][..],
        &["project", "name"],
        &["project", "kind"],
        &["population", "residents"],
        &["population", "households"],
    ] {
        assert!(a.get(names).is_some(), "{names:?}");
        assert_eq!(format!("{:?}", a.get(names)), format!("{:?}", b.get(names)));
    }
    let errors = load("yimi: 1\nproject:\n  kind: park\n  jurisdiction: CN/SH\n").unwrap_err();
    assert!(
        errors
            .iter()
            .any(|error| error.code == "project::missing" && error.message.en.contains("`id`")),
        "{errors:?}"
    );
}
