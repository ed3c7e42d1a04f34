use super::*;

fn source(text: &str, numbering: Numbering) -> Result<Source, CorpusError> {
    Source::new(entry_of(numbering), text.to_owned(), Path::new("test.txt"))
}

fn entry_of(numbering: Numbering) -> Entry {
    Entry {
        id: "test".to_owned(),
        file: "test.txt".to_owned(),
        title: "测试".to_owned(),
        issuer: "测试".to_owned(),
        number: None,
        date: "2024-01-01".to_owned(),
        jurisdiction: "CN".to_owned(),
        level: Level::City,
        status: Status::Draft,
        in_force_until: None,
        continued_by: None,
        original: "test.txt".to_owned(),
        numbering,
        fragment_markers: None,
        notes: None,
        corrections: Vec::new(),
    }
}

fn full() -> Numbering {
    Numbering {
        part: Some(MarkerStyle::CnDun),
        section: Some(MarkerStyle::CnParen),
        heading: Some(MarkerStyle::ArabicDot),
        item: Some(MarkerStyle::ArabicParen),
    }
}

#[test]
fn arabic_dot_needs_a_dot_that_no_digit_follows() {
    let dot = MarkerStyle::ArabicDot;
    assert_eq!(dot.matches("1.强化"), Some((2, "1".to_owned())));
    assert_eq!(dot.matches("1 .开展"), Some((3, "1".to_owned())));
    assert_eq!(dot.matches("12．建设"), Some((5, "12".to_owned())));
    assert_eq!(dot.matches("2024年,到"), None);
    assert_eq!(dot.matches("4.5个托位"), None);
    assert_eq!(dot.matches(".5"), None);
    assert_eq!(dot.matches("一、总体"), None);
}

#[test]
fn other_styles_accept_ascii_and_full_width() {
    assert_eq!(
        MarkerStyle::CnParen.matches("（一）实施"),
        Some(("（一）".len(), "一".to_owned()))
    );
    assert_eq!(
        MarkerStyle::CnParen.matches("(一)"),
        Some((5, "一".to_owned()))
    );
    assert_eq!(MarkerStyle::CnParen.matches("()"), None);
    assert_eq!(
        MarkerStyle::CnDun.matches("十二、"),
        Some((9, "十二".to_owned()))
    );
    assert_eq!(MarkerStyle::CnDun.matches("、"), None);
    assert_eq!(
        MarkerStyle::ArabicCloseParen.matches("68）推进"),
        Some(("68）".len(), "68".to_owned()))
    );
    assert_eq!(
        MarkerStyle::ArabicParen.matches("(16)提供"),
        Some((4, "16".to_owned()))
    );
    assert_eq!(MarkerStyle::ArabicParen.matches("(2024—2026年)"), None);
    assert_eq!(MarkerStyle::ArabicParen.matches("(Il)"), None);
}

#[test]
fn ranges_nest_and_own_ranges_stop_at_the_next_marker() -> Result<(), CorpusError> {
    let text = "前言\n一、甲\n(一)乙。说明\n1.丙\n(1)丁\n正文\n(2)戊\n2.己\n(3)庚\n二、辛\n";
    let source = source(text, full())?;
    let ids: Vec<&str> = source.clauses().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["一", "一.(一)", "h1", "1", "2", "h2", "3", "二"]);
    let h1 = source.clause("h1").ok_or_else(|| missing("h1"))?;
    assert_eq!(source.text_of(h1), "1.丙\n(1)丁\n正文\n(2)戊\n");
    assert_eq!(source.own_text_of(h1), "1.丙\n");
    let item1 = source.clause("1").ok_or_else(|| missing("1"))?;
    assert_eq!(source.text_of(item1), "(1)丁\n正文\n");
    let ancestors: Vec<&str> = source
        .ancestors(item1)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ancestors, ["一", "一.(一)", "h1"]);
    let section = source
        .clause("一.（一）")
        .ok_or_else(|| missing("一.（一）"))?;
    assert_eq!(section.title, "乙");
    assert_eq!(section.label, "(一)");
    assert_eq!(source.text_of(section).lines().last(), Some("(3)庚"));
    let part2 = source.clause("二").ok_or_else(|| missing("二"))?;
    assert_eq!(source.text_of(part2), "二、辛\n");
    assert_eq!(source.line_of(part2.range.start), 10);
    assert_eq!(source.line_of(0), 1);
    Ok(())
}

#[test]
fn lookups_accept_markers_as_written() -> Result<(), CorpusError> {
    let source = source("一、甲\n1.乙\n(16)丙\n", full())?;
    for written in ["16", "(16)", "（16）", " (16) "] {
        assert_eq!(source.clause(written).map(|c| c.id.as_str()), Some("16"));
    }
    assert_eq!(source.clause("1.").map(|c| c.id.as_str()), Some("h1"));
    assert_eq!(source.clause("17"), None);
    assert_eq!(source.clause(""), None);
    assert_eq!(source.suggest_clause("h2"), Some("h1"));
    Ok(())
}

/// The clause index finds what a scan of the clauses in document order found: the canonical id,
/// then the normalised id, then an item's marker, then a heading's.
#[test]
fn lookups_by_index_find_what_a_scan_finds() {
    fn scanned<'a>(source: &'a Source, id: &str) -> Option<&'a Clause> {
        let clauses = source.clauses();
        if let Some(clause) = clauses.iter().find(|c| c.id == id) {
            return Some(clause);
        }
        let wanted = normalize_id(id);
        if wanted.is_empty() {
            return None;
        }
        clauses
            .iter()
            .find(|c| normalize_id(&c.id) == wanted)
            .or_else(|| {
                [ClauseKind::Item, ClauseKind::Heading]
                    .into_iter()
                    .find_map(|kind| {
                        clauses
                            .iter()
                            .find(|c| c.kind == kind && normalize_id(&c.label) == wanted)
                    })
            })
    }
    let mut looked_up = 0;
    for source in Corpus::builtin().sources() {
        for clause in source.clauses() {
            let full_width = clause.label.replace('(', "（").replace(')', "）");
            for written in [
                clause.id.clone(),
                clause.label.clone(),
                format!(" {} ", clause.label),
                full_width,
                format!("{}0", clause.id),
                String::new(),
                " ".to_owned(),
            ] {
                assert_eq!(
                    source.clause(&written).map(|c| c.id.as_str()),
                    scanned(source, &written).map(|c| c.id.as_str()),
                    "{}: `{written}`",
                    source.id
                );
                looked_up += 1;
            }
        }
    }
    assert!(
        looked_up > 1000,
        "every clause of the five sources: {looked_up}"
    );
}

#[test]
fn duplicate_clause_ids_are_errors_with_a_line() {
    let error = source("(1)甲\n(2)乙\n(1)丙\n", full()).err();
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("at line 3"), "{message}");
    assert!(message.contains("duplicate item `1`"), "{message}");
}

#[test]
fn quotes_ignore_whitespace_only() -> Result<(), CorpusError> {
    let source = source("(1)甲乙，\n丙丁。\n(2)戊\n", full())?;
    let item = source.clause("1").ok_or_else(|| missing("1"))?;
    let range = source
        .locate_quote(item, "乙， 丙")
        .ok_or_else(|| missing("quote"))?;
    assert_eq!(source.text.get(range), Some("乙，\n丙"));
    assert_eq!(source.locate_quote(item, "乙,丙"), None);
    assert_eq!(source.locate_quote(item, "戊"), None);
    assert_eq!(source.locate_quote(item, "  "), None);
    Ok(())
}

/// An item whose heading its text repeats (`(56)建设通学路。建设通学路,…`): a quote of the
/// heading's words is placed in the text, where the duty is; a heading the text does not repeat,
/// or words only the heading holds, keep the first occurrence.
#[test]
fn quotes_prefer_the_text_to_a_heading_that_repeats_it() -> Result<(), CorpusError> {
    let source = source(
        "(1)建设通学路。建设通学路,试点斑马线。\n(2)加强保护。加强儿童保护。\n(3) 建设 通学路。\n建设通学路,推行学径。\n",
        full(),
    )?;
    let item = |id: &str| source.clause(id).ok_or_else(|| missing(id));
    let text_at = |range: Option<Range<usize>>| range.map(|range| range.start);
    let one = item("1")?;
    let own = source.own_text_of(one);
    let in_text = one.own_range.start + own.rfind("建设通学路").ok_or_else(|| missing("text"))?;
    // The whole heading, and a part of it, land in the text.
    assert_eq!(
        text_at(source.locate_quote(one, "建设通学路")),
        Some(in_text)
    );
    assert_eq!(
        text_at(source.locate_quote(one, "通学路")),
        Some(in_text + "建设".len())
    );
    // Words that run past the heading's full stop are where they are.
    let with_stop = source.locate_quote(one, "通学路。建设");
    assert_eq!(
        text_at(with_stop),
        Some(one.own_range.start + "(1)建设".len())
    );
    // (2)'s text says 加强儿童保护, not its heading 加强保护: the heading keeps its words.
    let two = item("2")?;
    assert_eq!(
        text_at(source.locate_quote(two, "加强")),
        Some(two.own_range.start + "(2)".len())
    );
    // Whitespace in the heading and a text on the next line do not matter.
    let three = item("3")?;
    let range = source
        .locate_quote(three, "建设通学路")
        .ok_or_else(|| missing("quote"))?;
    assert_eq!(source.text.get(range.clone()), Some("建设通学路"));
    assert!(source.line_of(range.start) > source.line_of(three.own_range.start));
    Ok(())
}

/// Clauses searched together find, for each quote, the first clause in the order given that
/// `locate_quote` finds it in: never across two clauses, a clause named twice once.
#[test]
fn quotes_in_several_clauses_find_the_first_clause_that_holds_them() -> Result<(), CorpusError> {
    let source = source(
        "(1)甲乙
(2)丙丁
(3)乙丙
",
        full(),
    )?;
    let item = |id: &str| source.clause(id).ok_or_else(|| missing(id));
    let (one, two, three) = (item("1")?, item("2")?, item("3")?);
    let mut quotes = source.quotes_in(&[three, one, one, two]);
    assert_eq!(quotes.first_holding("乙"), Some(0));
    assert_eq!(quotes.first_holding(" 甲 乙"), Some(1));
    assert_eq!(quotes.first_holding("丁"), Some(3));
    // `乙丙` is in (3); `乙` ends (1) and `丙` starts (2), which is not a quote of either.
    let mut apart = source.quotes_in(&[one, two]);
    assert_eq!(apart.first_holding("乙丙"), None);
    assert_eq!(apart.first_holding("乙 丙"), None);
    assert_eq!(apart.first_holding("  "), None);
    for quote in ["甲", "乙", "丙", "丁", "乙丙", "甲乙"] {
        let expected = [three, one, two]
            .iter()
            .position(|clause| source.locate_quote(clause, quote).is_some());
        let mut quotes = source.quotes_in(&[three, one, two]);
        assert_eq!(quotes.first_holding(quote), expected, "{quote}");
    }
    Ok(())
}

/// Many quotes looked up in many long clauses scan the joined text only for the first few, then
/// use its index: the work does not grow with clauses × quotes.
#[test]
fn quotes_in_many_long_clauses_are_indexed_after_a_few_scans() -> Result<(), CorpusError> {
    const CLAUSES: usize = 400;
    let text: String = (1..=CLAUSES)
        .map(|i| format!("({i}){}第{i}句。\n", "字".repeat(20)))
        .collect();
    let source = source(&text, full())?;
    let clauses: Vec<&Clause> = source.clauses().iter().collect();
    assert_eq!(clauses.len(), CLAUSES);
    let mut quotes = source.quotes_in(&clauses);
    for i in 1..=CLAUSES {
        assert_eq!(quotes.first_holding(&format!("第{i}句")), Some(i - 1));
    }
    assert_eq!(quotes.first_holding("第0句"), None);
    assert!(quotes.scans() <= 16, "{} scans", quotes.scans());
    Ok(())
}

#[test]
fn numbering_styles_must_differ() {
    let numbering = Numbering {
        heading: Some(MarkerStyle::ArabicDot),
        item: Some(MarkerStyle::ArabicDot),
        ..Numbering::default()
    };
    assert!(numbering.check().is_err());
    assert!(Numbering::default().check().is_err());
    assert!(full().check().is_ok());
}

#[test]
fn dates_may_be_partial_but_well_formed() {
    for good in ["2023-09-14", "2025-01", "2025"] {
        assert!(is_valid_date(good), "{good}");
    }
    for bad in ["2023914", "2023-9-14", "2023-13-01", "2023-01-32", "23", ""] {
        assert!(!is_valid_date(bad), "{bad}");
    }
}

#[test]
fn yaml_paths_are_made_readable() {
    assert_eq!(
        readable_yaml_path(".[0]: unknown field `colour`"),
        "source 1: unknown field `colour`"
    );
    assert_eq!(
        readable_yaml_path(".[2].numbering.item: unknown variant `x`"),
        "source 3, `numbering.item`: unknown variant `x`"
    );
    assert_eq!(readable_yaml_path("did not find key"), "did not find key");
}

#[test]
fn manifest_places_are_found_by_entry_and_key() {
    let manifest = "- id: a\n  file: a.txt\n- id: a\n  file: \"b\\e.txt\"\n  corrections:\n    - {cleaned_line: 9}\n    - cleaned_line:   99\n";
    let places = ManifestPlaces::of(manifest);
    assert_eq!(places.value(0, "id"), Some((1, 7)));
    assert_eq!(places.value(1, "id"), Some((3, 7)));
    assert_eq!(places.value(1, "file"), Some((4, 9)));
    assert_eq!(places.value(2, "file"), None);
    assert_eq!(places.correction(1, 0, "cleaned_line"), Some((6, 22)));
    assert_eq!(places.correction(1, 1, "cleaned_line"), Some((7, 23)));
    assert_eq!(places.correction(0, 0, "cleaned_line"), None);
}

fn missing(what: &str) -> CorpusError {
    CorpusError::NotEmbedded {
        file: what.to_owned(),
    }
}

/// A manifest of one source with `extra` lines, its text a single item.
fn manifest_with(extra: &str) -> Result<Corpus, CorpusError> {
    let manifest = format!(
        "- id: plan\n  file: plan.txt\n  title: 计划\n  issuer: 某区\n  number: null\n  date: 2023-09-14\n  jurisdiction: CN/SH\n  level: district\n  status: in_force\n  original: plan.txt\n  numbering: {{ item: arabic-close-paren }}\n{extra}"
    );
    Corpus::parse(
        &manifest,
        Path::new("index.yaml"),
        |file: &str| PathBuf::from(file),
        |_| Ok("1)第一条。\n".to_owned()),
    )
}

#[test]
fn a_period_of_force_is_a_full_date_after_issue_and_a_continuation_says_what() {
    let message = |extra: &str| match manifest_with(extra) {
        Ok(_) => String::new(),
        Err(error) => error.to_string(),
    };
    assert_eq!(message("  in_force_until: 2025-12-31\n"), "");
    assert_eq!(
        message("  in_force_until: 2025-12-31\n  continued_by: 后续行动方案\n"),
        ""
    );
    assert!(
        message("  in_force_until: 2025\n")
            .contains("in_force_until `2025` is not a YYYY-MM-DD date")
    );
    assert!(
        message("  in_force_until: 2023-09-13\n")
            .contains("on or after the date of issue `2023-09-14`")
    );
    assert!(message("  continued_by: \"  \"\n").contains("continued_by is empty"));
}

#[test]
fn a_manifest_is_held_to_the_project_limits() {
    use super::check_manifest_bounds;
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let (line, column, message) = check_manifest_bounds(&deep).unwrap_err();
    assert_eq!((line, column), (1, 65));
    assert_eq!(
        message.en,
        "lists and mappings are nested more than 64 deep (a manifest never needs nesting this deep)"
    );
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let previous = level - 1;
        let aliases = vec![format!("*a{previous}"); 10].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{aliases}]\n"));
    }
    // Refused at the alias that re-uses more values than the file writes out (and 1 000): the
    // ninth alias of the third level (110 + 9 × 111 values), long before the 200 000 values the
    // bomb would stand for.
    let (line, column, message) = check_manifest_bounds(&bomb).unwrap_err();
    assert_eq!((line, column), (3, 50));
    assert_eq!(
        message.en,
        "aliases expand too far: up to alias `*a1` they re-use 1109 values, and the file writes \
         out only 17 before it; aliases may re-use no more values than the file writes out (or \
         1000, if that is more): write the list or mapping out, or drop the anchor `&a1`"
    );
    assert!(
        message.zh.starts_with("别名展开过多:到别名 `*a1` 为止"),
        "{}",
        message.zh
    );
    // Values written out count too: 200 000 of them are refused at the one past the limit.
    let many = format!("[{}]", vec!["x"; 200_000].join(","));
    let (line, column, message) = check_manifest_bounds(&many).unwrap_err();
    assert_eq!((line, column), (1, 400_000));
    assert_eq!(
        message.en,
        "more than 200000 values, counting every expansion of an alias"
    );
    assert!(message.zh.starts_with("值超过 200000 个"), "{}", message.zh);
    assert!(check_manifest_bounds("- id: x\n  title: y\n").is_ok());
}

/// An alias to one long text is one value, but the deserializer copies the text for each alias:
/// 299 entries naming a text of 100 000 characters three times each held 276 MB for a 368 KB
/// manifest (hostile review 8, F7). Aliases may re-use no more text than the manifest writes out
/// before them, or 64 KiB: the project reader's rule, the same type.
#[test]
fn a_manifest_alias_may_not_copy_more_text_than_the_file_writes() {
    use super::check_manifest_bounds;
    let long = "题".repeat(100_000);
    let entry = |title: &str| {
        format!(
            "- {{id: s, file: a.txt, title: {title}, issuer: *t, notes: *t, date: 2024-01-01}}\n"
        )
    };
    let mut bomb = format!("- {{id: s0, title: &t \"{long}\"}}\n");
    for _ in 0..299 {
        bomb.push_str(&entry("*t"));
    }
    let (line, column, message) = check_manifest_bounds(&bomb).unwrap_err();
    // The text is written once (300 000 bytes and the first entry's keys): the second alias,
    // `issuer: *t` of the first entry naming it, is the first to pass it.
    assert_eq!((line, column), (2, 43));
    assert!(
        message.en.starts_with(
            "aliases expand too far: up to alias `*t` they re-use 600000 bytes of text, and the file writes out only 3000"
        ),
        "{}",
        message.en
    );
    assert!(
        message.en.ends_with(
            "aliases may re-use no more text than the file writes out (or 65536 bytes, if that is more): write the long text once, or drop the anchor `&t`"
        ),
        "{}",
        message.en
    );
    assert!(
        message
            .zh
            .starts_with("别名展开过多:到别名 `*t` 为止,别名重复使用了 600000 字节的文本"),
        "{}",
        message.zh
    );
    // A short text may be named many times: up to 64 KiB of copies, whatever the file writes
    // (600 entries naming 24 bytes three times: 43 200 bytes).
    let mut shared = String::from("- {id: s0, title: &t \"儿童友好城市建设\"}\n");
    for _ in 0..600 {
        shared.push_str(&entry("*t"));
    }
    assert!(check_manifest_bounds(&shared).is_ok());
}

#[test]
fn sentences_end_at_full_stops_and_line_ends_without_the_marker() -> Result<(), CorpusError> {
    let text = "一、实施保障\n(一)甲。乙\n(1)第一句应当做。第二句,可以做!\n第三句?\n";
    let source = source(text, full())?;
    let sentences = |id: &str| -> Vec<(&str, bool)> {
        source.clause(id).map_or_else(Vec::new, |clause| {
            source
                .sentences_of(clause)
                .into_iter()
                .filter_map(|s| Some((source.text.get(s.range)?, s.ends_line)))
                .collect()
        })
    };
    assert_eq!(sentences("一"), [("实施保障", true)]);
    assert_eq!(sentences("一.(一)"), [("甲。", false), ("乙", true)]);
    // The marker `(1)` is not part of the first sentence; byte ranges fall on Chinese characters.
    assert_eq!(
        sentences("1"),
        [
            ("第一句应当做。", false),
            ("第二句,可以做!", false),
            ("第三句?", false)
        ]
    );
    Ok(())
}

#[test]
fn wrong_types_in_a_manifest_are_worded_in_both_languages_at_their_column() {
    let corrections = |value: &str| {
        format!(
            "  corrections:\n    - original_line: {value}\n      cleaned_line: 1\n      original: a\n      corrected: b\n      note: c\n"
        )
    };
    let Err(error) = manifest_with(&corrections("99999999999999999999999")) else {
        panic!("a line number past usize is refused");
    };
    assert_eq!(
        error.place().map(|(_, line, column)| (line, column)),
        Some((13, 22))
    );
    let text = error.text();
    assert!(
        text.en.ends_with(": source 1, `corrections[0].original_line`: expected a line number (a whole number from 1), found the number `99999999999999999999999`, too large (rules/README.md lists every field)"),
        "{}",
        text.en
    );
    assert!(
        text.zh.contains("第 1 个来源的 `corrections[0].original_line`应为从 1 起的行号(整数),这里是数 `99999999999999999999999` 太大"),
        "{}",
        text.zh
    );
    for (value, en, zh) in [
        ("-1", "found the number `-1`", "这里是数 `-1`"),
        ("[1]", "found a list", "这里是一个列表"),
        ("x", "found the text `x`", "这里是文本 `x`"),
    ] {
        let Err(error) = manifest_with(&corrections(value)) else {
            panic!("{value} is refused");
        };
        let text = error.text();
        assert!(text.en.contains(en), "{}", text.en);
        assert!(text.zh.contains(zh), "{}", text.zh);
        assert!(
            !text.en.contains("usize") && !text.zh.contains("usize"),
            "{}",
            text.en
        );
    }
    // Nesting past the limit is worded in both languages too, at its place.
    let deep = format!("  notes: {}1{}\n", "[".repeat(70), "]".repeat(70));
    let Err(error) = manifest_with(&deep) else {
        panic!("deep nesting is refused");
    };
    // The list of sources and the entry are two levels: the 63rd bracket opens the 65th.
    assert_eq!(
        error.place().map(|(_, line, column)| (line, column)),
        Some((12, 72))
    );
    let text = error.text();
    assert!(text.zh.contains("列表和映射嵌套超过 64 层"), "{}", text.zh);
    assert!(!text.zh.contains("nested"), "{}", text.zh);
    assert!(text.en.contains("nested more than 64 deep"), "{}", text.en);
}

/// A manifest value of the right type but not valid (a source id with capitals, a date that is
/// not one) is worded in both languages and located at the value, as a type error is (#12).
#[test]
fn invalid_manifest_values_are_worded_in_both_languages_at_the_value() {
    let manifest = |id: &str, date: &str, extra: &str| {
        format!(
            "- id: plan\n  file: plan.txt\n  title: 计划\n  issuer: 某区\n  date: 2023-09-14\n  jurisdiction: CN/SH\n  level: district\n  status: in_force\n  original: plan.txt\n  numbering: {{ item: arabic-close-paren }}\n- id: {id}\n  file: b.txt\n  title: 乙\n  issuer: 某区\n  date:   {date}\n  jurisdiction: CN/SH\n  level: district\n  status: in_force\n  original: b.txt\n  numbering: {{ item: arabic-close-paren }}\n{extra}"
        )
    };
    let failing = |text: String| match Corpus::parse(
        &text,
        Path::new("index.yaml"),
        |file: &str| PathBuf::from(file),
        |_| Ok("1)第一条。\n".to_owned()),
    ) {
        Ok(_) => panic!("refused: {text}"),
        Err(error) => (
            error.place().map(|(_, line, column)| (line, column)),
            error.text(),
        ),
    };
    let (place, text) = failing(manifest("Plan_B", "2024-01-01", ""));
    assert_eq!(place, Some((11, 7)));
    assert_eq!(
        text.en,
        "invalid `index.yaml` at line 11: source id `Plan_B` must be lowercase letters, digits and `-`"
    );
    assert_eq!(
        text.zh,
        "`index.yaml` 第 11 行有误:来源 id `Plan_B` 只能由小写字母、数字和 `-` 组成"
    );
    let (place, text) = failing(manifest("b", "2024-13-01", ""));
    assert_eq!(place, Some((15, 11)));
    assert!(
        text.en
            .ends_with("source `b`: date `2024-13-01` is not YYYY-MM-DD (or YYYY-MM, YYYY when the day is unknown)"),
        "{}",
        text.en
    );
    assert!(
        text.zh.ends_with(
            "来源 `b`:日期 `2024-13-01` 不是 YYYY-MM-DD(不知道日时写 YYYY-MM,不知道月时写 YYYY)"
        ),
        "{}",
        text.zh
    );
    // A duplicate is shown where it is registered again, not where it was first.
    let (place, text) = failing(manifest("plan", "2024", ""));
    assert_eq!(place, Some((11, 7)));
    assert!(text.zh.ends_with("来源 id `plan` 重复登记"), "{}", text.zh);
    let (place, text) = failing(manifest("b", "2024", "  in_force_until: 2023-01-01\n"));
    assert_eq!(place, Some((21, 19)));
    assert!(
        text.zh.contains("应为不早于印发日期 `2024` 的"),
        "{}",
        text.zh
    );
    let (place, text) = failing(manifest("b", "2024", "  continued_by: \"  \"\n"));
    assert_eq!(place, Some((21, 17)));
    assert!(text.zh.contains("continued_by 为空"), "{}", text.zh);
    // No English is left in the Chinese, nor Chinese in the English.
    for (_, text) in [
        failing(manifest("Plan_B", "2024", "")),
        failing(manifest("b", "x", "")),
    ] {
        assert!(
            !text.zh.contains("must") && !text.zh.contains(" is not "),
            "{}",
            text.zh
        );
        assert!(
            !text.en.contains("来源") && !text.en.contains("日期"),
            "{}",
            text.en
        );
    }
}

/// A note naming a part, a section of it and an item of that section indexes the part's text
/// once, not once per level (#12 D4: three levels over a long text tripled the index), and
/// each quote still goes to the first clause named that holds it.
#[test]
fn quotes_in_nested_clauses_index_each_byte_once() -> Result<(), CorpusError> {
    let body = "甲乙丙丁".repeat(20_000);
    let text = format!("前言\n一、总则\n(一)范围\n(1)首项{body}\n(2)次项\n二、附则\n");
    let source = source(&text, full())?;
    let clause = |id: &str| source.clause(id).ok_or_else(|| missing(id));
    let (part, section, item, other) = (
        clause("一")?,
        clause("一.(一)")?,
        clause("1")?,
        clause("2")?,
    );
    let alone = source.quotes_in(&[part]).indexed_len();
    assert!(alone > body.len(), "{alone}");
    for named in [
        vec![part, section, item],
        vec![item, section, part],
        vec![section, item, other, part, item],
    ] {
        assert_eq!(source.quotes_in(&named).indexed_len(), alone);
    }
    // Outer clauses named first: the part holds everything, so it is first for every quote.
    let mut quotes = source.quotes_in(&[part, section, item]);
    assert_eq!(quotes.first_holding("首项"), Some(0));
    assert_eq!(quotes.first_holding("总则"), Some(0));
    // An inner clause named first takes what it holds; the part what only it holds.
    let mut quotes = source.quotes_in(&[item, section, part]);
    assert_eq!(quotes.first_holding("首项甲乙"), Some(0));
    assert_eq!(quotes.first_holding("范围"), Some(1));
    assert_eq!(quotes.first_holding("次项"), Some(1));
    assert_eq!(quotes.first_holding("总则"), Some(2));
    assert_eq!(quotes.first_holding("附则"), None);
    // Clauses apart are both joined.
    let both = source.quotes_in(&[item, other]).indexed_len();
    assert_eq!(
        both,
        source.quotes_in(&[item]).indexed_len() + source.quotes_in(&[other]).indexed_len()
    );
    Ok(())
}

#[test]
fn a_manifest_date_must_be_a_day_of_its_month() {
    assert!(is_valid_date("2024-02-29"), "a leap day");
    assert!(is_valid_date("2022-01-31"));
    assert!(is_valid_date("2022-02"));
    assert!(is_valid_date("2022"));
    for impossible in [
        "2022-02-29",
        "2022-02-30",
        "2022-04-31",
        "2100-02-29",
        "2022-13-01",
    ] {
        assert!(!is_valid_date(impossible), "{impossible}");
    }
}

/// The text without whitespace maps each of its bytes to where its character starts in the
/// source, and each place of the source to where the text from there on begins, as an offset a
/// byte did (`origin[i]`, and the count of bytes whose origin is before the place), while it
/// keeps one pair of offsets a run between whitespace instead of 8 bytes a byte.
#[test]
fn the_text_without_whitespace_maps_places_as_an_offset_a_byte_did() {
    for source in [
        "",
        " ",
        "甲乙 丙\n丁\t 戊己",
        "  a b  c\r\nde f ",
        "第1项应当设置。\n\n  第2项 应当\u{3000}评估。",
        "x",
    ] {
        let stripped = WithoutWhitespace::of(source);
        let mut text = String::new();
        let mut origin = Vec::new();
        for (at, c) in source.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            text.push(c);
            origin.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
        assert_eq!(stripped.text, text, "{source:?}");
        for (i, &at) in origin.iter().enumerate() {
            assert_eq!(stripped.origin(i), Some(at), "{source:?} byte {i}");
        }
        assert_eq!(stripped.origin(origin.len()), None, "{source:?}");
        for at in 0..=source.len() + 1 {
            assert_eq!(
                stripped.index_of(at),
                origin.partition_point(|&origin| origin < at),
                "{source:?} at {at}"
            );
        }
        let runs = source
            .split(char::is_whitespace)
            .filter(|run| !run.is_empty())
            .count();
        assert_eq!(stripped.runs.len(), runs, "{source:?}");
    }
}

/// Segmenting finds a duplicate id in a map, not by a scan of the clauses before it: the scan
/// made a text of 40 000 items take seconds to load, and 200 000 would take minutes (#12). The
/// duplicate is still reported with the line of the first.
#[test]
fn segmenting_many_items_finds_duplicates_without_a_scan() {
    let mut text: String = (1..=200_000)
        .map(|n| format!("{n}.第{n}项应当落实。\n"))
        .collect();
    let numbering = Numbering {
        item: Some(MarkerStyle::ArabicDot),
        ..Numbering::default()
    };
    let clauses = segment(&text, &line_starts(&text), &numbering).expect("no duplicates");
    assert_eq!(clauses.len(), 200_000);
    assert_eq!(
        clauses.last().map(|clause| clause.id.as_str()),
        Some("200000")
    );
    text.push_str("7.第7项又一次。\n");
    let (_, message) = segment(&text, &line_starts(&text), &numbering).expect_err("a duplicate");
    assert!(
        message.en.contains("the first is at line 7"),
        "{}",
        message.en
    );
}

/// Notes on one long clause (or on it and the clauses in it) share the index of the source's
/// text with each other and with citations: each note copied and indexed the clause again, so a
/// pack of many notes on a long source took time and memory in notes × text (#12).
#[test]
fn notes_on_one_long_clause_share_one_index() -> Result<(), CorpusError> {
    let items: String = (1..=2000)
        .map(|i| format!("({i})第{i}句应当落实第{i}项。\n"))
        .collect();
    let text = format!("一、总则\n{items}");
    let source = source(&text, full())?;
    let part = source.clause("一").ok_or_else(|| missing("一"))?;
    let item = source.clause("51").ok_or_else(|| missing("51"))?;
    for named in [vec![part], vec![part, item], vec![item, part]] {
        let item_first = named
            .first()
            .is_some_and(|first| std::ptr::eq(*first, item));
        let mut quotes = source.quotes_in(&named);
        for i in (1..=2000).step_by(50) {
            let holder = quotes.first_holding(&format!("第{i}句应当落实第{i}项"));
            // The item holds its own sentence; the part, named after it, the others.
            assert_eq!(holder, Some(usize::from(item_first && i != 51)), "{i}");
        }
        assert_eq!(quotes.first_holding("第2001句"), None);
        assert_eq!(quotes.indexed_len(), quotes_in_one(&source, part));
    }
    for i in (1..=2000).step_by(50) {
        let quote = format!("第{i}句应当落实第{i}项");
        assert!(source.locate_quote(part, &quote).is_some(), "{quote}");
    }
    assert_eq!(source.quote_indexes.indexed(), 1, "one index of the part");
    Ok(())
}

fn quotes_in_one(source: &Source, clause: &Clause) -> usize {
    source.quotes_in(&[clause]).indexed_len()
}

/// A source text's lines are those of every other text (`base::diagnostic::line_starts`): a
/// `\r\n` or a `\r` alone ends a line as `\n` does. The line index counted only `\n`, so a text
/// saved with CR line ends had no clause after its first line and every place on line 1.
/// Each kind of line end gives the same clauses, sentences, lines and columns (in characters,
/// on a Chinese line), and the same errors at the same places.
#[test]
fn every_kind_of_line_end_gives_the_same_clauses_and_places() -> Result<(), CorpusError> {
    let lf = "前言\n一、总体要求\n(一)建设儿童友好城市。到2025年\n新建居住区配建托育设施\n1.丙\n(1)丁\n正文\n二、辛\n";
    // Each clause: id, title, line, sentences, whether a line end ends the last sentence.
    type Seen = Vec<(String, String, usize, Vec<String>, bool)>;
    let seen = |text: &str| -> Result<Seen, CorpusError> {
        let source = source(text, full())?;
        Ok(source
            .clauses()
            .iter()
            .map(|clause| {
                let sentences = source.sentences_of(clause);
                let ends_line = sentences.iter().map(|s| s.ends_line).collect::<Vec<_>>();
                (
                    clause.id.clone(),
                    clause.title.clone(),
                    source.line_of(clause.range.start),
                    sentences
                        .iter()
                        .map(|s| source.text[s.range.clone()].to_owned())
                        .collect(),
                    ends_line.last().copied().unwrap_or(false),
                )
            })
            .collect())
    };
    let expected = seen(lf)?;
    let section = expected
        .iter()
        .find(|(id, ..)| id == "一.(一)")
        .ok_or_else(|| missing("一.(一)"))?;
    assert_eq!(section.2, 3);
    assert_eq!(
        section.3,
        ["建设儿童友好城市。", "到2025年", "新建居住区配建托育设施"]
    );
    let duplicate = "前言\n一、总则\n1.第一项\n  1.第一项又一次\n";
    let correction = Correction {
        original_line: 3,
        cleaned_line: 3,
        original: "壹".to_owned(),
        corrected: "第一项".to_owned(),
        note: "OCR".to_owned(),
    };
    for ends in ["\r\n", "\r"] {
        let text = lf.replace('\n', ends);
        assert_eq!(seen(&text)?, expected, "{text:?}");
        // A duplicate marker is placed at its line and column, and the first named by its line.
        let Err(CorpusError::Invalid {
            line,
            column,
            message,
            ..
        }) = source(&duplicate.replace('\n', ends), full())
        else {
            panic!("a duplicate item is refused ({ends:?})");
        };
        assert_eq!((line, column), (Some(4), Some(3)), "{ends:?}");
        assert!(
            message.en.contains("the first is at line 3"),
            "{}",
            message.en
        );
        // A correction names its line as an editor counts lines.
        let mut entry_text = "前言\n一、总则\n1.第一项\n".replace('\n', ends);
        let corrected = |text: &str, line: usize| {
            let mut with = Correction {
                cleaned_line: line,
                ..correction.clone()
            };
            with.original_line = line;
            let mut entry = entry_of(full());
            entry.corrections = vec![with];
            Source::new(entry, text.to_owned(), Path::new("test.txt"))
        };
        assert!(corrected(&entry_text, 3).is_ok(), "{ends:?}");
        // Line 4 is the empty one after the last line break; line 5 is past the end.
        let Err(CorpusError::Invalid { message, .. }) = corrected(&entry_text, 5) else {
            panic!("a correction past the end is refused ({ends:?})");
        };
        assert!(message.en.contains("(3 lines)"), "{}", message.en);
        entry_text.push_str("二、第一项");
        assert!(corrected(&entry_text, 4).is_ok(), "{ends:?}");
    }
    Ok(())
}
