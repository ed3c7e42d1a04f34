//! What a syntax error says was expected: the grammar's rules named as a rule author writes
//! them (keywords in backticks, kinds of token in words).

use super::Rule;
use crate::base::i18n::Text;

pub(super) fn is_keyword(grammar_rule: Rule) -> bool {
    keyword_text(grammar_rule).is_some()
}

pub(super) fn keyword_text(grammar_rule: Rule) -> Option<&'static str> {
    Some(match grammar_rule {
        Rule::kw_pack => "pack",
        Rule::kw_source => "source",
        Rule::kw_jurisdiction => "jurisdiction",
        Rule::kw_version => "version",
        Rule::kw_param => "param",
        Rule::kw_refine => "refine",
        Rule::kw_value => "value",
        Rule::kw_basis => "basis",
        Rule::kw_label => "label",
        Rule::kw_indicator => "indicator",
        Rule::kw_unit => "unit",
        Rule::kw_none => "none",
        Rule::kw_target => "target",
        Rule::kw_threshold => "threshold",
        Rule::kw_year => "year",
        Rule::kw_every => "every",
        Rule::kw_rule => "rule",
        Rule::kw_domain => "domain",
        Rule::kw_strength => "strength",
        Rule::kw_addressee => "addressee",
        Rule::kw_cite => "cite",
        Rule::kw_applies => "applies",
        Rule::kw_unless => "unless",
        Rule::kw_let => "let",
        Rule::kw_require => "require",
        Rule::kw_at => "at",
        Rule::kw_message => "message",
        Rule::kw_hint => "hint",
        Rule::kw_advice => "advice",
        Rule::kw_doc => "doc",
        Rule::kw_test => "test",
        Rule::kw_missing => "missing",
        Rule::kw_not_checkable => "not_checkable",
        Rule::kw_sentence => "sentence",
        Rule::kw_en => "en",
        Rule::kw_because => "because",
        _ => return None,
    })
}

/// Says what pest expected, in words a rule author knows.
pub(super) fn describe_expected(positives: &[Rule]) -> Text {
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let mut push = |z: &str, e: &str| {
        if !en.iter().any(|x| x == e) {
            zh.push(z.to_owned());
            en.push(e.to_owned());
        }
    };
    // Where an expression may start, its first tokens (a name, a number, a string) are all just
    // "an expression" to the author.
    let expression_may_start = positives.iter().any(|positive| {
        matches!(
            positive,
            Rule::expr
                | Rule::primary
                | Rule::paren
                | Rule::call
                | Rule::path
                | Rule::list
                | Rule::boolean
                | Rule::date
                | Rule::quantity
                | Rule::op_not
                | Rule::op_neg
        )
    });
    for grammar_rule in positives {
        if expression_may_start
            && matches!(
                grammar_rule,
                Rule::ident | Rule::name | Rule::number | Rule::integer | Rule::string | Rule::text
            )
        {
            continue;
        }
        if let Some(keyword) = keyword_text(*grammar_rule) {
            push(&format!("`{keyword}`"), &format!("`{keyword}`"));
            continue;
        }
        match grammar_rule {
            Rule::expr
            | Rule::primary
            | Rule::paren
            | Rule::call
            | Rule::path
            | Rule::list
            | Rule::boolean
            | Rule::date
            | Rule::quantity => {
                push("表达式", "an expression");
            }
            Rule::op_not | Rule::op_neg => push("表达式", "an expression"),
            Rule::op_and
            | Rule::op_or
            | Rule::op_eq
            | Rule::op_ne
            | Rule::op_ge
            | Rule::op_le
            | Rule::op_gt
            | Rule::op_lt
            | Rule::op_add
            | Rule::op_sub
            | Rule::op_mul
            | Rule::op_div
            | Rule::op_in
            | Rule::op_not_in => {
                push("运算符", "an operator");
            }
            Rule::string | Rule::text => push("带引号的字符串 `\"…\"`", "a quoted string `\"…\"`"),
            Rule::name | Rule::ident => push("名称", "a name"),
            Rule::rule_id => push("规则编号(如 `SH-068`)", "a rule id such as `SH-068`"),
            Rule::clause_ref => push("条款(如 `§68`)", "a clause such as `§68`"),
            Rule::number | Rule::integer => push("数字", "a number"),
            Rule::unit | Rule::unit_spec => push("单位(如 `m2`)", "a unit such as `m2`"),
            Rule::jurisdiction => push(
                "行政区划路径(如 `CN/SH`)",
                "a jurisdiction path such as `CN/SH`",
            ),
            Rule::bound => push("`at_least` 或 `at_most`", "`at_least` or `at_most`"),
            Rule::comparator => push(
                "`at_least`、`above`、`at_most` 或 `below`",
                "`at_least`, `above`, `at_most` or `below`",
            ),
            Rule::lambda => push("`变量 => 表达式`", "`variable => expression`"),
            Rule::data_path => push(
                "项目文件中的路径(如 `site.area_m2`)",
                "a path such as `site.area_m2`",
            ),
            Rule::EOI => push("文件结束", "the end of the item"),
            _ => push("其他内容", "something else"),
        }
    }
    if en.is_empty() {
        return Text::new("其他内容", "something else");
    }
    let join = |items: &[String], or: &str| match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{or}{last}", init.join(", ")),
    };
    let zh_list = match zh.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} 或 {last}", init.join("、")),
    };
    Text::new(zh_list, join(&en, " or "))
}
