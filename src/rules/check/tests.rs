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

#[test]
fn a_clause_excerpt_reads_no_more_of_the_clause_than_it_shows() {
    // Words are joined by one space, whatever white space was between them.
    assert_eq!(clause_excerpt("  甲 \n\t乙\u{3000}丙  \n"), "甲 乙 丙");
    // A clause without white space is cut at 80 characters like any other.
    let long = format!("1.标题。{}", "应".repeat(100_000));
    assert_eq!(
        clause_excerpt(&long),
        format!("1.标题。{}…", "应".repeat(75))
    );
    // A run of white space longer than is read ends the excerpt, saying there may be more.
    let spaced = format!("甲{}乙", " ".repeat(5000));
    assert_eq!(clause_excerpt(&spaced), "甲…");
    assert_eq!(clause_excerpt(&" ".repeat(5000)), "…");
    assert_eq!(clause_excerpt(&format!("甲{}", " ".repeat(1000))), "甲");
}

/// The closest passage of a clause is looked for only for the first 20 wrong quotes of a file
/// (each search slides over the whole clause); past them the help shows how the clause begins,
/// in both languages.
#[test]
fn past_the_twentieth_wrong_quote_the_help_shows_how_the_clause_begins() {
    let rules: String = (1..=22)
        .map(|n| {
            format!(
                "rule LOCAL-{n} \"公园\" {{\n  domain space\n  strength should\n  \
                 cite shanghai-2023 §68 \"公园绿地优先满足第{n}类需求\"\n  \
                 require site.area_m2 >= 3000 m2\n}}\n\n"
            )
        })
        .collect();
    let text = format!(
        "pack local {{\n  source shanghai-2023\n  jurisdiction CN/SH/Pudong\n}}\n\n{rules}"
    );
    let file = SourceFile::new("t.yimi", text);
    let (tree, parse_errors) = crate::rules::parse::parse_file(&file);
    assert!(parse_errors.is_empty(), "{parse_errors:#?}");
    let input = Input {
        tree,
        builtin: false,
        base_dir: None,
    };
    let errors = check(vec![input], Corpus::builtin()).1;
    let helps: Vec<&Text> = errors
        .iter()
        .filter(|error| error.code == "rules::quote-not-found")
        .filter_map(|error| error.help.as_ref())
        .collect();
    assert_eq!(helps.len(), 22, "{errors:#?}");
    for (at, help) in helps.iter().enumerate() {
        let closest = at < 20;
        assert_eq!(
            help.en.contains("the closest passage of the clause: "),
            closest,
            "quote {}: {}",
            at + 1,
            help.en
        );
        assert_eq!(
            help.zh.contains("条款中最接近的一段是:"),
            closest,
            "{}",
            help.zh
        );
        assert_eq!(
            help.en.contains("the clause begins: "),
            !closest,
            "{}",
            help.en
        );
        assert_eq!(help.zh.contains("条款开头为:"), !closest, "{}", help.zh);
    }
    // The clause's opening, cut at 80 characters on one line.
    let begins = &helps[21].en;
    let excerpt = begins
        .split("the clause begins: ")
        .nth(1)
        .unwrap_or_default();
    assert!(excerpt.starts_with("68)"), "{begins}");
    assert!(!excerpt.contains('\n'), "{begins}");
    assert!(excerpt.chars().count() <= 81, "{begins}");
}
