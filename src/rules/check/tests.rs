use super::citations::clause_excerpt;
use super::*;
use crate::base::diagnostic::SourceFile;

fn errors_of(rule_body: &str) -> Vec<Diagnostic> {
    let text = format!(
        "pack local {{\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}}\n\n\
         rule LOCAL-1 \"公园\" {{\n  domain space\n  strength should\n  \
         cite shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n{rule_body}}}\n"
    );
    let file = SourceFile::new("t.yimi", text);
    let (tree, parse_errors) = crate::rules::parse::parse_file(&file);
    assert!(parse_errors.is_empty(), "{parse_errors:#?}");
    let input = Input {
        tree,
        builtin: false,
        base_dir: None,
    };
    check(vec![input], Corpus::builtin()).1
}

fn underlined(diagnostic: &Diagnostic) -> &str {
    diagnostic
        .file
        .text
        .get(diagnostic.primary_span())
        .unwrap_or_default()
}

#[test]
fn a_let_that_fails_is_reported_once_not_at_every_use() {
    let errors = errors_of("  let play = count(facilities) + extra\n  require play >= 1\n");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(underlined(&errors[0]), "extra");
}

#[test]
fn a_let_using_a_later_let_is_a_forward_reference() {
    let errors = errors_of("  let a = b + 1\n  let b = a + 1\n  require a >= 1\n");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "rules::let-order");
    assert_eq!(underlined(&errors[0]), "b");
    // A let naming itself is the same mistake.
    let errors = errors_of("  let a = a + 1\n  require a >= 1\n");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "rules::let-order");
}

#[test]
fn a_clause_excerpt_is_one_line_and_marks_only_real_cuts() {
    assert_eq!(clause_excerpt("67)规划建设。\n"), "67)规划建设。");
    assert_eq!(
        clause_excerpt(&"字".repeat(81)),
        format!("{}…", "字".repeat(80))
    );
}
