use super::*;

fn parse_str(text: &str) -> Result<(Arc<SourceFile>, Node), Diagnostic> {
    let file = SourceFile::new("t.yaml", text.to_owned());
    parse(&file, Limits::default()).map(|node| (file, node))
}

fn underlined(diagnostic: &Diagnostic) -> &str {
    &diagnostic.file.text[diagnostic.primary_span()]
}

#[test]
fn spans_are_bytes_after_chinese_text() {
    let (file, root) = parse_str("项目: {名称: 张江某地块, 面积: 85000}\n备注: 是\n").unwrap();
    let path = YamlPath::root().key("项目").key("面积");
    let location = root.locate(&path);
    assert!(location.exact);
    assert_eq!(&file.text[location.span], "85000");
    assert_eq!(&file.text[root.get("备注").unwrap().span.clone()], "是");
}

#[test]
fn byte_order_mark_is_skipped_and_spans_still_fit() {
    let (file, root) = parse_str("\u{feff}名称: 张江\n").unwrap();
    let node = root.get("名称").expect("the key has no BOM in it");
    assert_eq!(&file.text[node.span.clone()], "张江");
}

#[test]
fn missing_values_point_at_the_mapping_they_belong_to() {
    let (file, root) =
        parse_str("site:\n  green_area_m2: 3\nfacilities:\n  - kind: play_area\n").unwrap();
    let missing = root.locate(&YamlPath::root().key("site").key("area_m2"));
    assert!(!missing.exact);
    assert_eq!(&file.text[missing.span], "site");
    let list = root.locate(&YamlPath::root().key("facilities"));
    assert!(list.exact);
    assert_eq!(
        &file.text[list.span], "facilities",
        "a list is pointed at by its key"
    );
    let item = root.locate(&YamlPath::root().key("facilities").index(0).key("places"));
    assert_eq!(&file.text[item.span], "kind: play_area");
    assert_eq!(root.locate(&YamlPath::root().key("population")).span, 0..0);
    let (commented, root) = parse_str("# 注释\nsite: {}\n").unwrap();
    let missing = root.locate(&YamlPath::root().key("population"));
    assert_eq!(
        &commented.text[missing.span.start..],
        "site: {}\n",
        "not on the comment line"
    );
}

#[test]
fn scalars_follow_the_core_schema() {
    let (_, root) =
        parse_str("a: 12\nb: 1.5\nc: '12'\nd: yes\ne: ~\nf: 2025-03-01\ng: 1,200\nh: true\n")
            .unwrap();
    let value = |k: &str| root.get(k).unwrap().value.clone();
    assert_eq!(value("a"), Value::Int(12));
    assert_eq!(value("b"), Value::Float(1.5));
    assert_eq!(
        value("c"),
        Value::Str {
            text: "12".into(),
            plain: false
        }
    );
    assert_eq!(
        value("d"),
        Value::Str {
            text: "yes".into(),
            plain: true
        }
    );
    assert_eq!(value("e"), Value::Null);
    assert_eq!(
        value("f"),
        Value::Str {
            text: "2025-03-01".into(),
            plain: true
        }
    );
    assert_eq!(
        value("g"),
        Value::Str {
            text: "1,200".into(),
            plain: true
        }
    );
    assert_eq!(value("h"), Value::Bool(true));
}

#[test]
fn duplicate_keys_point_at_both() {
    let error = parse_str("名称: a\n面积: 1\n名称: b\n").unwrap_err();
    assert_eq!(error.code, "yaml::duplicate-key");
    assert_eq!(underlined(&error), "名称");
    assert_eq!(error.line_col(), (3, 1));
    assert_eq!(error.labels[1].span, 0.."名称".len());
}

#[test]
fn tabs_are_underlined_where_they_are() {
    let error = parse_str("a: 1\n\tb: 2\n").unwrap_err();
    assert_eq!(error.code, "yaml::tab");
    assert_eq!(underlined(&error), "\t");
    assert_eq!(error.line_col(), (2, 1));
}

#[test]
fn unclosed_quote_after_chinese_text_is_located() {
    let error = parse_str("名称: 张江\n说明: \"未闭合\n").unwrap_err();
    assert_eq!(error.code, "yaml::syntax");
    assert_eq!(underlined(&error), "\"");
    assert_eq!(error.line_col(), (2, 5));
}

#[test]
fn empty_and_comment_only_files_are_errors() {
    assert_eq!(parse_str("").unwrap_err().code, "yaml::empty");
    assert_eq!(parse_str("# 只有注释\n").unwrap_err().code, "yaml::empty");
}

#[test]
fn second_document_is_an_error() {
    let error = parse_str("a: 1\n---\nb: 2\n").unwrap_err();
    assert_eq!(error.code, "yaml::several-documents");
    assert_eq!(error.line_col().0, 2);
}

#[test]
fn an_alias_bomb_is_refused_at_the_alias_that_passes_the_cap() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut previous = 'a';
    for name in 'b'..='j' {
        text.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        previous = name;
    }
    let error = parse_str(&text).unwrap_err();
    assert_eq!(error.code, "yaml::alias-expansion");
    // `a` is 10 values, `b` 91 and `c` 820: line 3 re-uses 90 + 819 = 909, and the first copy
    // of `c`, on line 4, passes 1 000 (the file writes out only 18 values before it).
    assert_eq!(underlined(&error), "*c");
    assert_eq!(error.line_col(), (4, 8));
    assert!(
        error.message.en.contains("re-use 1729 values") && error.message.en.contains("only 18"),
        "{}",
        error.message.en
    );
}

/// The hostile review's file (F1), smaller: one list written once and re-used by every
/// facility. 600 values written out, so the second copy (1 202 re-used) passes the cap.
#[test]
fn a_wide_alias_expansion_is_refused_in_both_languages() {
    let list = vec!["q"; 600].join(", ");
    let mut text = format!("yimi: 1\nx-list: &list [{list}]\nfacilities:\n");
    for _ in 0..190 {
        text.push_str("  - {kind: public_toilet, includes: *list}\n");
    }
    let error = parse_str(&text).unwrap_err();
    assert_eq!(error.code, "yaml::alias-expansion");
    assert_eq!(underlined(&error), "*list");
    assert_eq!(error.line_col(), (5, 37), "the second use of the anchor");
    assert!(
        error
            .message
            .en
            .contains("up to alias `*list` they re-use 1202 values"),
        "{}",
        error.message.en
    );
    assert!(
        error.message.zh.contains("别名 `*list`") && error.message.zh.contains("1202 个值"),
        "{}",
        error.message.zh
    );
    let help = error.help.as_ref().expect("a hint");
    assert!(
        help.en
            .contains("write the list or mapping out, or drop the anchor `&list`")
    );
    assert!(help.zh.contains("删除锚点 `&list`"), "{}", help.zh);
}

#[test]
fn a_small_anchor_used_three_times_is_kept_and_counted() {
    let file = SourceFile::new(
        "t.yaml",
        "x: &m {a: 1, b: 2}\ny: *m\nz: *m\nw: *m\n".to_owned(),
    );
    let parsed = parse_counted(&file, Limits::default()).unwrap();
    for key in ["x", "y", "z", "w"] {
        assert_eq!(
            parsed.root.get(key).unwrap().get("b").unwrap().value,
            Value::Int(2)
        );
    }
    // The root, four keys, and four copies of a mapping of five values (itself, two keys, two
    // numbers).
    assert_eq!(parsed.values, 1 + 4 + 4 * 5);
}

#[test]
fn aliases_may_reuse_the_floor_or_as_many_values_as_are_written_out() {
    let uses = |count: usize| vec!["*a"; count].join(", ");
    let at_floor = format!("a: &a x\nb: [{}]\n", uses(ALIAS_REUSE_FLOOR));
    assert_eq!(
        parse_counted(&SourceFile::new("t.yaml", at_floor), Limits::default())
            .unwrap()
            .values,
        5 + ALIAS_REUSE_FLOOR
    );
    let past_floor = format!("a: &a x\nb: [{}]\n", uses(ALIAS_REUSE_FLOOR + 1));
    assert_eq!(
        parse_str(&past_floor).unwrap_err().code,
        "yaml::alias-expansion"
    );
    // 2 000 values written out before the aliases: 1 500 copies are fewer.
    let written = vec!["w"; 2_000].join(", ");
    let many = format!("w: [{written}]\na: &a x\nb: [{}]\n", uses(1_500));
    assert!(parse_str(&many).is_ok());
}

/// Hostile review 8 F7: an alias to one long text is one value, but each copy holds the text
/// again (a 7.5 MB file took more than 20 GB). Aliases may re-use no more text than the file
/// writes out before them, or [`ALIAS_REUSE_TEXT_FLOOR`] bytes; counted in bytes, so Chinese
/// text is weighed by what it holds.
#[test]
fn aliases_may_reuse_no_more_text_than_is_written_out() {
    let long = "名".repeat(30_000); // 90 000 bytes
    // The name and one copy: 90 000 bytes re-used, as many as written out.
    let once = format!("name: &n \"{long}\"\nsite: *n\n");
    assert!(parse_str(&once).is_ok());
    let mut text = format!("name: &n \"{long}\"\nsites:\n");
    for _ in 0..3 {
        text.push_str("  - {id: *n}\n");
    }
    let error = parse_str(&text).unwrap_err();
    assert_eq!(error.code, "yaml::alias-expansion");
    assert_eq!(
        error.line_col(),
        (4, 10),
        "the second copy passes what was written"
    );
    assert!(
        error
            .message
            .en
            .contains("they re-use 180000 bytes of text, and the file writes out only 90"),
        "{}",
        error.message.en
    );
    assert!(
        error.message.zh.contains("180000 字节的文本"),
        "{}",
        error.message.zh
    );
    assert!(
        error
            .help
            .as_ref()
            .is_some_and(|help| help.en.contains("write the long text once")),
    );
    // A short text re-used often stays under the floor of 64 KiB.
    let mut small = String::from("name: &n \"儿童友好\"\nsites:\n");
    for _ in 0..500 {
        small.push_str("  - {id: *n}\n");
    }
    assert!(
        parse_str(&small).is_ok(),
        "500 × 12 bytes is below the floor"
    );
    const { assert!(500 * 12 < ALIAS_REUSE_TEXT_FLOOR) };
}

#[test]
fn values_past_the_limit_are_refused_without_aliases() {
    let written = vec!["w"; 100].join(", ");
    let file = SourceFile::new("t.yaml", format!("w: [{written}]\n"));
    let limits = Limits {
        max_nodes: 50,
        ..Limits::default()
    };
    let error = parse(&file, limits).unwrap_err();
    assert_eq!(error.code, "yaml::too-many-values");
    assert_eq!(error.line_col(), (1, 1 + 4 + 3 * 47), "the 51st value");
}

/// A file over 256 KiB is scanned for flow separators only when it holds more `,` and `:` than
/// the limit in all: one of exactly one past the limit, all inside brackets, is still refused at
/// the separator past the limit (the YAML reader's own count would stop earlier, at the value
/// past the limit), and one of as many as the limit, most in a comment, is read.
#[test]
fn a_long_file_one_separator_past_the_limit_is_refused_at_that_separator() {
    let limits = Limits {
        max_nodes: 1000,
        ..Limits::default()
    };
    let padding = format!("# {}\n", "x".repeat(300 * 1024));
    // 1 002 values, 1 001 commas, no other `,` or `:`.
    let over = format!("{padding}[{}]\n", vec!["a"; 1002].join(","));
    assert_eq!(
        over.bytes().filter(|&b| b == b',' || b == b':').count(),
        1001
    );
    let error = parse(&SourceFile::new("t.yaml", over), limits).unwrap_err();
    assert_eq!(error.code, "yaml::too-many-values");
    assert_eq!(error.line_col(), (2, 1 + 2 * 1001), "the 1 001st comma");
    let within = format!("{padding}# {}\nw: [a, b]\n", ",".repeat(998));
    assert_eq!(
        within.bytes().filter(|&b| b == b',' || b == b':').count(),
        1000
    );
    assert!(parse(&SourceFile::new("t.yaml", within), limits).is_ok());
}

#[test]
fn deep_nesting_hits_the_depth_limit() {
    let text: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(parse_str(&text).unwrap_err().code, "yaml::too-deep");
    // The YAML reader stops at its own limit while looking ahead through the brackets; the
    // message is still the documented one, at the bracket that opens level 65.
    let flow = format!("a: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let error = parse_str(&flow).unwrap_err();
    assert_eq!(error.code, "yaml::too-deep");
    assert_eq!(error.labels[0].span, 3 + 64..3 + 65);
    // Brackets inside quotes and comments do not count.
    let flow = format!(
        "# [[[[\nb: '[[{{it''s'\nc: \"[\\\"\"\na: {}1\n",
        "[".repeat(10_000)
    );
    let error = parse_str(&flow).unwrap_err();
    assert_eq!(error.code, "yaml::too-deep");
    let start = flow.find("a: ").unwrap() + 3;
    assert_eq!(error.labels[0].span, start + 64..start + 65);
}

#[test]
fn aliases_copy_the_anchored_value() {
    let (_, root) = parse_str("x: &g {kind: play_area}\ny: *g\n").unwrap();
    assert_eq!(
        root.get("y").unwrap().get("kind").unwrap().value,
        Value::Str {
            text: "play_area".into(),
            plain: true
        }
    );
}

#[test]
fn paths_display_like_rule_paths() {
    let path = YamlPath::root().key("facilities").index(2).key("places");
    assert_eq!(path.to_string(), "facilities[2].places");
}

#[test]
fn a_tab_after_a_colon_is_underlined() {
    let error = parse_str("名称: 张江\nkind:\tpark\n").unwrap_err();
    assert_eq!(error.code, "yaml::tab");
    assert_eq!(underlined(&error), "\t");
    assert_eq!(error.line_col(), (2, 6));
}

#[test]
fn an_unclosed_bracket_is_underlined_not_the_next_line() {
    let error = parse_str("计划:\n  内容: [儿童友好, 公园\nsite:\n  a: 1\n").unwrap_err();
    assert_eq!(error.code, "yaml::syntax");
    assert_eq!(underlined(&error), "[");
    assert_eq!(error.line_col(), (2, 7));
    assert!(
        error.message.en.contains("unclosed `[`"),
        "{}",
        error.message.en
    );
    // At the end of the file too.
    let error = parse_str("a:\n  - { id: 一, kind: park\n").unwrap_err();
    assert_eq!(underlined(&error), "{");
    assert_eq!(error.line_col(), (2, 5));
}

#[test]
fn a_key_without_a_colon_is_underlined_on_its_own_line() {
    let error =
        parse_str("project:\n  id: X\n  name 公园\n  # 注释\n\n  kind: park\n").unwrap_err();
    assert_eq!(underlined(&error), "name 公园");
    assert_eq!(error.line_col(), (3, 3));
}

#[test]
fn an_undefined_alias_is_named() {
    let error = parse_str("a: 1\nb: *kind\n").unwrap_err();
    assert_eq!(error.code, "yaml::alias");
    assert_eq!(underlined(&error), "*kind");
    assert!(error.message.en.contains("`*kind`"), "{}", error.message.en);
}

#[test]
fn a_tab_that_indents_the_first_key_of_a_mapping_is_underlined() {
    let error = parse_str("project:\n\tid: X\n  name: 公园\n").unwrap_err();
    assert_eq!(error.code, "yaml::tab");
    assert_eq!(underlined(&error), "\t");
    assert_eq!(error.line_col(), (2, 1));
}

#[test]
fn a_reserved_character_at_the_start_is_explained() {
    let error = parse_str("名称: 张江\n@key: 1\n").unwrap_err();
    assert_eq!(underlined(&error), "@");
    assert_eq!(error.line_col(), (2, 1));
    assert!(error.help.is_some());
}

#[test]
fn an_alias_copy_remembers_where_it_is_used() {
    let (file, root) = parse_str("x: &g 滨江\ny: *g\n").unwrap();
    let y = root.get("y").unwrap();
    assert_eq!(&file.text[y.span.clone()], "滨江");
    assert_eq!(&file.text[y.alias.clone().unwrap()], "*g");
    assert_eq!(root.get("x").unwrap().alias, None);
}

#[test]
fn a_duplicate_in_a_large_mapping_points_at_both() {
    // Past `SMALL_MAPPING` keys the duplicate is found by sorting, not by pairs.
    let mut text: String = (0..40).map(|i| format!("键{i}: {i}\n")).collect();
    text.push_str("键7: again\n");
    let error = parse_str(&text).unwrap_err();
    assert_eq!(error.code, "yaml::duplicate-key");
    assert_eq!(underlined(&error), "键7");
    assert_eq!(error.line_col(), (41, 1));
    let first = text.find("键7:").unwrap();
    assert_eq!(error.labels[1].span, first..first + "键7".len());
}

#[test]
fn a_key_written_three_times_is_reported_at_its_second_place() {
    let text = "a: 1\nb: 2\na: 3\nc: 4\na: 5\nb: 6\n";
    let error = parse_str(text).unwrap_err();
    assert_eq!(error.code, "yaml::duplicate-key");
    assert_eq!(error.line_col(), (3, 1));
    assert_eq!(error.labels[1].span, 0..1);
}

#[test]
fn a_mapping_of_many_keys_is_checked_for_duplicates() {
    // 60 000 keys: pairwise comparison would be 1.8 billion comparisons.
    let mut text: String = (0..60_000).map(|i| format!("k{i}: {i}\n")).collect();
    let (_, root) = parse_str(&text).unwrap();
    assert!(matches!(&root.value, Value::Map(entries) if entries.len() == 60_000));
    text.push_str("k59998: 1\n");
    let error = parse_str(&text).unwrap_err();
    assert_eq!(error.code, "yaml::duplicate-key");
    assert_eq!(error.line_col(), (60_001, 1));
}

#[test]
fn spans_stay_right_along_one_long_line_of_chinese_text() {
    // Every value on one line, past several of `SourceFile`'s character marks.
    let entries: Vec<String> = (0..200).map(|i| format!("名{i}: 值{i}文本")).collect();
    let text = format!("{{{}}}\n", entries.join(", "));
    let (file, root) = parse_str(&text).unwrap();
    for i in 0..200 {
        let entry = root.entry(&format!("名{i}")).unwrap();
        assert_eq!(&file.text[entry.key_span.clone()], format!("名{i}"));
        assert_eq!(&file.text[entry.value.span.clone()], format!("值{i}文本"));
    }
}

#[test]
fn spans_stay_right_with_crlf_line_ends_and_a_byte_order_mark() {
    let text = "\u{feff}名称: 张江\r\n列表:\r\n  - 第一\r\n  - \"第二\"\r\n面积: 85000\r\n";
    let (file, root) = parse_str(text).unwrap();
    assert_eq!(&file.text[root.get("名称").unwrap().span.clone()], "张江");
    let list = root.get("列表").unwrap();
    let Value::Seq(items) = &list.value else {
        panic!("a list");
    };
    assert_eq!(&file.text[items[0].span.clone()], "第一");
    assert_eq!(&file.text[items[1].span.clone()], "\"第二\"");
    assert_eq!(&file.text[root.get("面积").unwrap().span.clone()], "85000");
}

#[test]
fn characters_are_counted_forward_and_back_across_lines() {
    let file = SourceFile::new("t.yaml", "ab\n张江x\n".repeat(200));
    let text = file.text.clone();
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    for (index, &offset) in offsets.iter().enumerate().step_by(7) {
        assert_eq!(file.offset_of_char(index), (offset, index));
        assert_eq!(file.advance_chars(0, index), (offset, index));
        assert_eq!(
            file.retreat_chars(text.len(), offsets.len() - 1 - index),
            offset
        );
    }
    // Past the end: the end, and the characters there are.
    let total = offsets.len() - 1;
    assert_eq!(file.advance_chars(0, total + 5), (text.len(), total));
    assert_eq!(file.offset_of_char(total + 5), (text.len(), total));
}

#[test]
fn a_marker_s_character_index_and_its_line_and_column_give_the_same_offset() {
    // The builder converts markers by their index; lines and columns say the same place in
    // every construct project files use, Chinese text, CRLF and a one-line file included.
    let texts = [
        "名称: 张江某地块 # 注释，中文\n面积: 85000\n列表:\n  - 第一\n  - \"第二\\u00e9\"\n",
        "项目: {名称: 张江, 面积: 85000, 设施: [一, 二, '三''四']}\n",
        "说明: |\n  第一行\n  第二行\n折叠: >-\n  甲\n  乙\n下一个: 是\n",
        "名称: 张江\r\n列表:\r\n  - 一\r\n  - \"二\"\r\n",
        "长文本: 这是一段\n  跨行的 普通 文本\n  继续\n结束: 1\n",
        "a: &锚 {x: 1}\nb: *锚\n",
    ];
    for text in texts {
        let file = SourceFile::new("t.yaml", text.to_owned());
        let mut parser = Parser::new_from_str(text);
        while let Some(Ok((_, span))) = parser.next_event() {
            for marker in [span.start, span.end] {
                let by_line = file.offset_of(marker.line().saturating_sub(1), marker.col());
                let (by_index, _) = file.advance_chars(0, marker.index());
                assert_eq!(by_index, by_line, "{text:?} at {marker:?}");
            }
        }
    }
}

/// A quoted value's span ends at its closing quote, not at the end of the line: the underline of a
/// finding about it, and the value its message quotes, leave out the blanks and the comment after
/// it. Both readers agree, after Chinese text; the full reader past escaped quotes too (the
/// block-style reader leaves a double-quoted escape to it).
#[test]
fn a_quoted_value_ends_at_its_closing_quote() {
    let text =
        "名称: \"张江 某地块\"   # 注释 \"引号\"\n备注: '它''s'  # x\n列表:\n  - \"甲\"  # 乙\n";
    let file = SourceFile::new("t.yaml", text.to_owned());
    let fast = parse_counted_fast(&file, Limits::default()).expect("block style, read fast");
    let full = parse_counted_saphyr(&file, Limits::default()).expect("valid YAML");
    for root in [&fast.root, &full.root] {
        let name = root.get("名称").expect("written");
        assert_eq!(&text[name.span.clone()], "\"张江 某地块\"");
        let note = root.get("备注").expect("written");
        assert_eq!(&text[note.span.clone()], "'它''s'");
        let item = root.locate(&YamlPath::root().key("列表").index(0));
        assert_eq!(&text[item.span], "\"甲\"");
    }
    let escaped = "名称: \"张江 \\\"某\\\" 地块\"   # 注释 \"引号\"\n";
    let (file, root) = parse_str(escaped).expect("valid YAML");
    let name = root.get("名称").expect("written");
    assert_eq!(&file.text[name.span.clone()], "\"张江 \\\"某\\\" 地块\"");
}

#[test]
fn the_closing_quote_is_found_past_escapes_and_not_past_the_end() {
    assert_eq!(after_closing_quote("\"a\\\"b\" # \"c\"", 0, 12), Some(6));
    assert_eq!(after_closing_quote("'a''b' # 'c'", 0, 12), Some(6));
    assert_eq!(after_closing_quote("\"unclosed", 0, 9), None);
    assert_eq!(after_closing_quote("\"a\"", 0, 2), None);
    assert_eq!(after_closing_quote("plain", 0, 5), None);
    assert_eq!(after_closing_quote("\"a\"", 5, 9), None);
}
