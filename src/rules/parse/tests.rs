use super::*;

fn parse(text: &str) -> (RuleFile, Vec<Diagnostic>) {
    parse_file(&SourceFile::new("t.yimi", text.to_owned()))
}

fn underlined(diagnostic: &Diagnostic) -> &str {
    &diagnostic.file.text[diagnostic.primary_span()]
}

const RULE: &str = r#"
pack shanghai-2023 {
  source shanghai-2023
  jurisdiction CN/SH
  version "2025.1"
}

rule SH-068 "3000平方米以上的公园绿地优先满足儿童活动需求" en "Parks of 3000 m² or more put children's play first" {
  domain   space
  strength should
  cite     shanghai-2023 §68 "3000平方米以上的公园绿地优先满足儿童活动需求"
  applies  project.kind == park and site.area_m2 >= 3000 m2
  unless   park.category == protective_green
  let play = filter(facilities, f => f.kind == play_area)
  require  count(play) >= 1
  message  "公园绿地 {site.area_m2},未设置儿童活动场地" en "a park of {site.area_m2} has no play area"
  hint     "在 facilities 中增加 kind: play_area"
  test fail "tests/SH-068/fail.yaml"
  test insufficient_evidence "tests/SH-068/missing.yaml" missing [site.area_m2]
}
"#;

#[test]
fn a_rule_parses_into_a_tree() {
    let (file, errors) = parse(RULE);
    assert!(errors.is_empty(), "{errors:?}");
    let [Item::Pack(pack), Item::Rule(rule)] = file.items.as_slice() else {
        panic!("{:?}", file.items)
    };
    assert_eq!(pack.jurisdiction.as_ref().unwrap().node, "CN/SH");
    assert_eq!(rule.id.node, "SH-068");
    assert_eq!(
        rule.title.en.as_ref().unwrap().node,
        "Parks of 3000 m² or more put children's play first"
    );
    assert_eq!(rule.common.cite.as_ref().unwrap().clause.node, "68");
    assert_eq!(rule.lets.len(), 1);
    assert_eq!(rule.common.tests[1].missing[0].node, "site.area_m2");
    let applies = rule.applies.as_ref().unwrap();
    let ExprKind::Binary(BinaryOp::And, left, right) = &applies.kind else {
        panic!("{applies:?}")
    };
    assert_eq!(&file.file.text[left.span.clone()], "project.kind == park");
    let ExprKind::Binary(BinaryOp::Ge, _, quantity) = &right.kind else {
        panic!()
    };
    assert_eq!(&file.file.text[quantity.span.clone()], "3000 m2");
}

#[test]
fn not_binds_looser_than_comparison_and_tighter_than_and() {
    let (file, errors) = parse("rule X \"t\" {\n  require not a == b and c\n}\n");
    assert!(errors.is_empty(), "{errors:?}");
    let Item::Rule(rule) = &file.items[0] else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::And, left, _) = &rule.require[0].kind else {
        panic!()
    };
    assert!(
        matches!(&left.kind, ExprKind::Unary(UnaryOp::Not, inner) if matches!(inner.kind, ExprKind::Binary(BinaryOp::Eq, ..)))
    );
}

#[test]
fn a_number_at_the_end_of_a_line_does_not_swallow_the_next_keyword() {
    let (file, errors) =
        parse("target T \"t\" {\n  year 2025\n  strength shall\n  threshold at_least 60 %\n}\n");
    assert!(errors.is_empty(), "{errors:?}");
    let Item::Target(target) = &file.items[0] else {
        panic!()
    };
    assert_eq!(target.year.as_ref().unwrap().node, 2025);
    assert_eq!(target.common.strength.as_ref().unwrap().node, "shall");
    assert_eq!(
        target
            .threshold
            .as_ref()
            .unwrap()
            .1
            .unit
            .as_ref()
            .unwrap()
            .node,
        "%"
    );
}

#[test]
fn errors_in_several_items_are_all_reported() {
    let (file, errors) = parse(
        "rule A \"t\" {\n  require x >=\n}\n\nrule B \"t\" {\n  domian space\n}\n\nrule C \"t\" {\n  require y\n}\n",
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(file.items.len(), 1);
    assert_eq!(underlined(&errors[0]), "}");
    assert!(
        errors[0].message.en.contains("expected an expression"),
        "{}",
        errors[0].message.en
    );
    assert_eq!(underlined(&errors[1]), "d");
    assert!(
        errors[1].message.en.contains("`domain`"),
        "{}",
        errors[1].message.en
    );
    assert!(
        errors[1].message.en.contains("found `domian`"),
        "{}",
        errors[1].message.en
    );
}

#[test]
fn error_positions_are_bytes_after_chinese_text() {
    let (_, errors) = parse("rule A \"中文标题很长\" {\n  message \"未闭合\n}\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "rules::unclosed-string");
    assert_eq!(errors[0].line_col(), (2, 11));
    assert_eq!(underlined(&errors[0]), "\"");
}

#[test]
fn template_expressions_keep_file_offsets() {
    let file = SourceFile::new("t.yimi", "message \"面积 {site.area_m2} 平方米\"");
    let start = file.text.find("site").unwrap();
    let expr = parse_template_expr(&file, start, "site.area_m2").unwrap();
    assert_eq!(&file.text[expr.span.clone()], "site.area_m2");
}

#[test]
fn a_misspelt_item_keyword_is_its_own_error_and_the_pack_still_parses() {
    let (tree, errors) = parse(&format!(
        "{RULE}\nrules X-1 \"标题\" {{\n  domain space\n}}\n"
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(underlined(&errors[0]), "rules");
    let help = errors[0].help.as_ref().expect("a help line");
    assert!(help.en.contains("did you mean `rule`"), "{}", help.en);
    assert!(tree.items.iter().any(|item| matches!(item, Item::Pack(_))));
}

#[test]
fn a_missing_closing_brace_is_reported_at_the_opening_one() {
    let text = format!(
        "{RULE}\nrule X-1 \"标题 {{x}}\" {{\n  domain space\n  require true\n\nrule X-2 \"b\" {{\n  require true\n}}\n"
    );
    let (_, errors) = parse(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let brace = text
        .find("\" {\n  domain space\n  require true\n\n")
        .unwrap()
        + 2;
    assert_eq!(errors[0].primary_span(), brace..brace + 1);
    assert!(
        errors[0].message.en.contains("no matching"),
        "{}",
        errors[0].message.en
    );
}

#[test]
fn full_width_punctuation_is_named() {
    let (_, errors) = parse(&format!(
        "{RULE}\nrule X-1 \"t\" {{\n  require any(facilities, f => true）\n}}\n"
    ));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let help = errors[0].help.as_ref().expect("a help line");
    assert!(help.en.contains("full-width"), "{}", help.en);
}

#[test]
fn nesting_is_counted_outside_strings_and_comments_only() {
    let deep = "(".repeat(MAX_EXPR_DEPTH + 1);
    assert_eq!(too_deep_to_parse(&deep), Some(MAX_EXPR_DEPTH));
    assert_eq!(too_deep_to_parse(&"(".repeat(MAX_EXPR_DEPTH)), None);
    assert_eq!(too_deep_to_parse(&format!("\"{deep}\" # {deep}\n")), None);
    assert_eq!(too_deep_to_parse(&format!("\"a\\\"{deep}\"")), None);
    // `not in` is an infix operator, not one more prefix.
    let not_in = vec!["x not in y"; 100].join(" and ");
    assert_eq!(too_deep_to_parse(&not_in), None);
    // Prefixes in a row count; an operand ends the row.
    let prefixes = "not ".repeat(MAX_EXPR_DEPTH + 1);
    assert_eq!(too_deep_to_parse(&prefixes), Some(4 * MAX_EXPR_DEPTH));
    assert_eq!(too_deep_to_parse(&vec!["not x"; 100].join(" and ")), None);
    assert_eq!(too_deep_to_parse(&vec!["-1"; 100].join(" - ")), None);
    assert!(too_deep_to_parse(&format!("require {}1", "- ".repeat(MAX_EXPR_DEPTH + 1))).is_some());
}

#[test]
fn a_tree_deeper_than_the_limit_is_refused_where_it_passes_it() {
    let rule = |require: &str| {
        format!("rule X \"t\" {{\n  domain space\n  strength should\n  require {require}\n}}\n")
    };
    // Each `and` adds a level over the first operand: the one that passes the limit is
    // underlined.
    let chain = vec!["true"; 4_400].join(" and ");
    let (_, errors) = parse(&rule(&chain));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "limits::rule-depth");
    assert_eq!(underlined(&errors[0]), "and");
    let (line, column) = errors[0].line_col();
    // `true and ` is nine characters; the 64th `and` makes the 65th level.
    assert_eq!((line, column), (4, 16 + 9 * (MAX_EXPR_DEPTH - 1)));
    // Just within the limit, the same chain parses.
    let (file, errors) = parse(&rule(&vec!["true"; MAX_EXPR_DEPTH].join(" and ")));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(file.items.len(), 1);
    for require in [
        format!("{}true{}", "(".repeat(3_300), ")".repeat(3_300)),
        format!("{}true", "not ".repeat(5_000)),
        format!("{}1 > 0", "- ".repeat(5_000)),
    ] {
        let (_, errors) = parse(&rule(&require));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "limits::rule-depth");
    }
}

#[test]
fn an_internal_error_in_a_later_item_is_located_in_that_item() {
    // A grammar invariant cannot fail from text, so the converter is handed a parse of the wrong
    // rule (an expression where an item belongs): the error must underline that expression where
    // it stands in the file, its item's offset added once.
    let file = SourceFile::new("t.yimi", RULE.to_owned());
    let chunks = item_chunks(&file.text);
    let rule = chunks.last().cloned().expect("the rule is the last item");
    let expression = "count(play) >= 1";
    let within = file.text[rule.clone()]
        .find(expression)
        .expect("in the rule");
    let converter = Converter {
        file: &file,
        base: rule.start + within,
    };
    let pairs = YimiParser::parse(Rule::template_entry, expression).expect("an expression");
    let Err(error) = converter.entry(pairs) else {
        panic!("an expression is not an item")
    };
    assert_eq!(error.code, "rules::internal");
    assert_eq!(underlined(&error), expression);
    let line = RULE[..rule.start + within].matches('\n').count() + 1;
    assert_eq!(error.line_col(), (line, "  require  ".len() + 1));
}
