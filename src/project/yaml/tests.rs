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
fn alias_bomb_hits_the_value_limit() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut previous = 'a';
    for name in 'b'..='j' {
        text.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        previous = name;
    }
    let error = parse_str(&text).unwrap_err();
    assert_eq!(error.code, "yaml::too-many-values");
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
