//! `yimi explain RULE`: what a rule requires, the clause it cites shown in its place in the
//! source, the parameters it uses with their provenance, and its examples.
//!
//! Text from packs, sources and fixtures, which may be a local pack's, is quoted through
//! [`one_line`] (a title holding `\n` cannot start a line of its own), and the CLI passes the
//! whole through `report::escape::terminal_text`.

use crate::authoring::testing::Fixtures;
use crate::base::i18n::Lang;
use crate::base::suggest::did_you_mean;
use crate::engine::Outcome;
use crate::project::units;
use crate::report::escape::terminal_line as one_line;
use crate::rules::ir::{Bound, Check, Rule, RuleSet};
use crate::sources::corpus::Corpus;

/// The rule `id` names: the rule of that id, else the one rule whose id differs from it only in
/// case (`jl-005a` for `JL-005a`: ids are read off a printed report, and a case slip should not be
/// a dead end). `Err` is the message saying there is none, in `lang`, with the ids it may have
/// meant.
pub fn find<'a>(set: &'a RuleSet, id: &str, lang: Lang) -> Result<&'a Rule, String> {
    if let Some(rule) = set.rule(id) {
        return Ok(rule);
    }
    let folded: Vec<&Rule> = set
        .rules
        .iter()
        .filter(|rule| rule.id.to_lowercase() == id.to_lowercase())
        .collect();
    if let [rule] = folded.as_slice() {
        return Ok(rule);
    }
    // Two ids that differ only in case (a local pack may add one): name both rather than pick.
    let suggestions: Vec<&str> = if folded.is_empty() {
        did_you_mean(id, set.rules.iter().map(|rule| rule.id.as_str()))
            .into_iter()
            .collect()
    } else {
        folded.iter().map(|rule| rule.id.as_str()).collect()
    };
    let quoted = |separator: &str| {
        suggestions
            .iter()
            .map(|found| format!("`{found}`"))
            .collect::<Vec<_>>()
            .join(separator)
    };
    // The command that lists the ids is the CLI's to add: `yimi serve` links its own list.
    Err(match (lang, suggestions.is_empty()) {
        (Lang::Zh, true) => format!("没有编号为 `{id}` 的规则或指标"),
        (Lang::Zh, false) => format!("没有编号为 `{id}` 的规则或指标(是否想写 {}?)", quoted("或")),
        (Lang::En, true) => format!("no rule or target `{id}`"),
        (Lang::En, false) => format!(
            "no rule or target `{id}` (did you mean {}?)",
            quoted(" or ")
        ),
    })
}

/// The explanation of `id` (matched as [`find`] matches it), or a message in `lang` saying
/// there is no such rule.
pub fn explain(set: &RuleSet, corpus: &Corpus, id: &str, lang: Lang) -> Result<String, String> {
    let rule = find(set, id, lang)?;
    let zh = lang == Lang::Zh;
    let words = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let mut out = String::new();
    out.push_str(&format!(
        "{}  {}\n",
        rule.id,
        one_line(rule.title.get(lang))
    ));
    let pack = set.packs.get(rule.pack);
    out.push_str(&format!(
        "{}: {} · {}: {} · {}: {} ({})\n",
        words("强度", "strength"),
        if zh {
            format!("{} ({})", rule.strength.label().zh, rule.strength.as_str())
        } else {
            rule.strength.as_str().to_owned()
        },
        words("领域", "domain"),
        rule.domain.label().get(lang),
        words("规则包", "pack"),
        pack.map_or("?", |pack| pack.id.as_str()),
        pack.map_or_else(String::new, |pack| pack.jurisdiction.to_string()),
    ));
    out.push_str(&strength_basis(rule, lang));
    if let Some(addressee) = rule.addressee {
        out.push_str(&format!(
            "{}: {} (`{}`)\n",
            words("约束对象", "Binds"),
            addressee.label().get(lang),
            addressee.as_str()
        ));
    }
    out.push('\n');
    // The clause in context.
    if let Some(source) = corpus.get(&rule.cite.source)
        && let Some(clause) = source.clause(&rule.cite.clause)
    {
        out.push_str(&format!(
            "{} {} §{} — {}\n",
            words("依据", "Clause"),
            source.id,
            one_line(&clause.id),
            one_line(&source.title)
        ));
        let draft = source.status == crate::sources::corpus::Status::Draft;
        let until = source.in_force_until.as_deref();
        let status = match (draft, until, zh) {
            (true, Some(until), true) => format!(
                "征求意见稿({}),拟定实施期至 {until};其规则仅供参考,除非审查机关已声明该稿具有约束力(`drafts` 设置);对其后决策的项目,按已期满文件处理(`lapsed` 设置)",
                source.date
            ),
            (true, None, true) => format!(
                "征求意见稿({});其规则仅供参考,除非审查机关已声明该稿具有约束力(`drafts` 设置)",
                source.date
            ),
            (true, Some(until), false) => format!(
                "consultation draft ({}), proposed to run until {until}; its rules only advise unless the reviewing office has declared the draft binding (the `drafts` setting); for projects decided later it is treated as a document past its period (the `lapsed` setting)",
                source.date
            ),
            (true, None, false) => format!(
                "consultation draft ({}); its rules only advise unless the reviewing office has declared the draft binding (the `drafts` setting)",
                source.date
            ),
            (false, Some(until), true) => format!(
                "{} 印发,实施期至 {until};对其后决策的项目仅供参考,除非审查机关仍按其要求审查(`lapsed` 设置)",
                source.date
            ),
            (false, None, true) => format!("{} 印发,未规定实施期限", source.date),
            (false, Some(until), false) => format!(
                "issued {}, in force until {until}; advisory for projects decided later unless the reviewing office still applies it as binding (the `lapsed` setting)",
                source.date
            ),
            (false, None, false) => format!("issued {}, no end of force stated", source.date),
        };
        let continued = match (&source.continued_by, zh) {
            (Some(by), true) => format!(";由{by}延续"),
            (Some(by), false) => format!("; continued by {by}"),
            (None, _) => String::new(),
        };
        out.push_str(&format!(
            "  {}: {}\n",
            words("效力", "Force"),
            one_line(&format!("{status}{continued}"))
        ));
        let chain: Vec<String> = source
            .ancestors(clause)
            .into_iter()
            .map(|ancestor| one_line(&format!("{}{}", ancestor.label, ancestor.title)).into_owned())
            .collect();
        if !chain.is_empty() {
            out.push_str(&format!("  {}\n", chain.join(" › ")));
        }
        let text = source.own_text_of(clause);
        let marked = match source.locate_quote(clause, &rule.cite.quote) {
            Some(range) => {
                let start = range.start.saturating_sub(clause.own_range.start);
                let end = range.end.saturating_sub(clause.own_range.start);
                match (text.get(..start), text.get(start..end), text.get(end..)) {
                    (Some(before), Some(quote), Some(after)) => {
                        format!("{before}【{quote}】{after}")
                    }
                    _ => text.to_owned(),
                }
            }
            None => text.to_owned(),
        };
        for line in marked.lines().filter(|line| !line.trim().is_empty()) {
            out.push_str(&format!("  {}\n", one_line(line.trim())));
        }
        out.push('\n');
    }
    out.push_str(&format!("{}\n", words("要求", "Requirement")));
    for (field, text) in &rule.written {
        let label = match (*field, zh) {
            ("applies", true) => "适用",
            ("unless", true) => "例外",
            ("let", true) => "令",
            ("require", true) => "要求",
            ("threshold", true) => "目标",
            (field, _) => field,
        };
        // A condition may span lines; each is shown as written, none made a line of its own.
        let lines: Vec<_> = text.lines().map(one_line).collect();
        out.push_str(&format!("  {} {}\n", pad(label, 8), lines.join("\n")));
    }
    if let Check::Target(target) = &*rule.check
        && let Some(indicator) = set.indicators.get(target.indicator)
    {
        let year = match (target.every_year, lang) {
            (true, Lang::Zh) => format!("至 {} 年的每一年", target.year),
            (true, Lang::En) => format!("every year up to {}", target.year),
            (false, Lang::Zh) => format!("年份 {}", target.year),
            (false, Lang::En) => format!("year {}", target.year),
        };
        out.push_str(&format!(
            "  {} {} ({}) · {year}\n",
            words("指标", "indicator"),
            indicator.id,
            one_line(indicator.label.get(lang)),
        ));
        out.push_str(&format!(
            "  {}\n",
            words(
                "只对 kind 为 plan 或 policy 的提交检查",
                "checked only against submissions of kind plan or policy"
            )
        ));
    }
    if let Check::Criterion(criterion) = &*rule.check {
        let params = criterion.params();
        if !params.is_empty() {
            out.push_str(&format!("\n{}\n", words("参数", "Parameters")));
            for index in params {
                let Some(param) = set.params.get(index) else {
                    continue;
                };
                // The value is shown as a value: its bound says which way a local pack may move
                // it, not how the project compares with it, so it is said apart from the value,
                // and the conditions that read the value are named.
                let value = units::format_quantity(param.value, param.dim, param.unit, zh);
                let reference = format!("param.{}", param.name);
                let mut used_in: Vec<&str> = Vec::new();
                for (field, text) in &rule.written {
                    let label = match (*field, zh) {
                        ("applies", true) => "适用",
                        ("unless", true) => "例外",
                        ("let", true) => "令",
                        ("require", true) => "要求",
                        (field, _) => field,
                    };
                    if mentions(text, &reference) && !used_in.contains(&label) {
                        used_in.push(label);
                    }
                }
                let used_in = if used_in.is_empty() {
                    String::new()
                } else if zh {
                    format!("(用于:{})", used_in.join("、"))
                } else {
                    format!(" (used in: {})", used_in.join(", "))
                };
                // Named as a person calls it; the name a rule writes it by beside it.
                out.push_str(&format!(
                    "  {} = {value}{used_in}\n    {}: {reference}\n",
                    one_line(param.label.get(lang)),
                    words("规则中写作", "written in rules as")
                ));
                out.push_str(&format!(
                    "    {}\n",
                    match param.bound {
                        Bound::AtLeast => words(
                            "更地方的规则包只能调高此值",
                            "a more local pack may only raise it"
                        ),
                        Bound::AtMost => words(
                            "更地方的规则包只能调低此值",
                            "a more local pack may only lower it"
                        ),
                    }
                ));
                out.push_str(&format!(
                    "    {}: {} §{}「{}」\n",
                    words("出处", "source"),
                    param.cite.source,
                    param.cite.clause,
                    one_line(&param.cite.quote)
                ));
                if let Some(basis) = &param.basis {
                    out.push_str(&format!(
                        "    {}: {}\n",
                        words("取值依据", "basis"),
                        one_line(basis.get(lang))
                    ));
                }
                for refinement in &param.refinements {
                    let pack = set
                        .packs
                        .get(refinement.pack)
                        .map_or("?", |pack| pack.id.as_str());
                    let value = units::format_quantity(refinement.value, param.dim, param.unit, zh);
                    out.push_str(&format!(
                        "    {} {pack}: {value}\n",
                        words("收紧于", "refined by")
                    ));
                    out.push_str(&format!(
                        "      {}: {} §{}「{}」\n",
                        words("出处", "source"),
                        one_line(&refinement.cite.source),
                        one_line(&refinement.cite.clause),
                        one_line(&refinement.cite.quote)
                    ));
                    if let Some(basis) = &refinement.basis {
                        out.push_str(&format!(
                            "      {}: {}\n",
                            words("取值依据", "basis"),
                            one_line(basis.get(lang))
                        ));
                    }
                    refinement_tests(&mut out, set, rule, refinement, lang);
                }
            }
        }
    }
    if let Some(advice) = &rule.advice {
        // Explain has no project: a value filled in when a project fails is named in words.
        let lets = match &*rule.check {
            Check::Criterion(criterion) => &criterion.lets[..],
            Check::Target(_) => &[],
        };
        let text = crate::engine::record::template_in_words(advice, lets)
            .get(lang)
            .to_owned();
        out.push_str(&format!(
            "\n{}\n  {}\n",
            words("整改建议", "Advice when it fails"),
            one_line(&text)
        ));
    }
    if let Some(doc) = &rule.doc {
        out.push_str(&format!("\n{}\n", words("说明", "Notes")));
        for line in doc.get(lang).lines() {
            out.push_str(&format!("  {}\n", one_line(line)));
        }
    }
    if !rule.tests.is_empty() {
        out.push_str(&format!("\n{}\n", words("规则测试", "Rule tests")));
        for test in &rule.tests {
            out.push_str(&format!(
                "  {} {}\n",
                pad(test.expect.as_str(), 22),
                one_line(&test.file)
            ));
        }
        let place = crate::authoring::testing::fixtures_of(set, rule.pack);
        for (outcome, heading) in [
            (Outcome::Pass, words("符合的示例", "A passing example")),
            (Outcome::Fail, words("不符合的示例", "A failing example")),
        ] {
            let (Some(test), Some(place)) = (
                rule.tests.iter().find(|test| test.expect == outcome),
                &place,
            ) else {
                continue;
            };
            out.push_str(&format!("\n{heading} ({})\n", one_line(&test.file)));
            let text = match place {
                Fixtures::Embedded => {
                    crate::rules::builtin::builtin_fixture(&test.file).map(str::to_owned)
                }
                Fixtures::Dir(dir) => crate::rules::check::fixture_path(dir, &test.file)
                    .ok()
                    .and_then(|path| std::fs::read_to_string(path).ok()),
            };
            for line in text.unwrap_or_default().lines().take(24) {
                out.push_str(&format!("  │ {}\n", one_line(line)));
            }
            let result = crate::authoring::testing::evaluate(set, rule, place, &test.file);
            if let Err(reason) = &result {
                out.push_str(&format!("  → {}\n", one_line(reason.get(lang))));
            }
            if let Ok(result) = result {
                let separator = if zh { ":" } else { ": " };
                let message = result
                    .message
                    .as_ref()
                    .map(|message| format!("{separator}{}", one_line(message.get(lang))))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  → {}{message}\n",
                    result.outcome.label().get(lang)
                ));
            }
        }
    }
    Ok(out)
}

/// The tests of a refinement that evaluate `rule`, each with the outcome it gives with the
/// refinement in effect (in the refining pack's jurisdiction).
fn refinement_tests(
    out: &mut String,
    set: &RuleSet,
    rule: &crate::rules::ir::Rule,
    refinement: &crate::rules::ir::Refinement,
    lang: Lang,
) {
    let tests: Vec<_> = refinement
        .tests
        .iter()
        .filter(|test| test.rule == rule.id)
        .map(|test| &test.test)
        .collect();
    if tests.is_empty() {
        return;
    }
    let zh = lang == Lang::Zh;
    out.push_str(&format!(
        "      {}\n",
        if zh {
            "收紧的测试(按收紧后的取值评价)"
        } else {
            "tests of the refinement (evaluated at the refined value)"
        }
    ));
    let place = crate::authoring::testing::fixtures_of(set, refinement.pack);
    for test in tests {
        let outcome = place.as_ref().map(|place| {
            crate::authoring::testing::evaluate_in(set, rule, refinement.pack, place, &test.file)
        });
        // A test without an outcome says why (its fixture does not load, say).
        let got = match outcome {
            Some(Ok(result)) => format!(" → {}", result.outcome.label().get(lang)),
            Some(Err(reason)) => format!(" → {}", one_line(reason.get(lang))),
            None => String::new(),
        };
        out.push_str(&format!(
            "        {} {}{got}\n",
            pad(test.expect.as_str(), 22),
            one_line(&test.file)
        ));
    }
}

/// Pads to a display width, counting a Chinese character as two columns.
fn pad(text: &str, width: usize) -> String {
    let shown = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// Why the rule has its strength, as a sentence an official reads: the strength in words, then
/// the row of the reading table its quote falls in (with the word of the clause that put it
/// there), or the reason the rule gives for departing from it.
fn strength_basis(rule: &crate::rules::ir::Rule, lang: Lang) -> String {
    let strength = rule.strength.label();
    if let Some(reason) = &rule.strength_reason {
        return match lang {
            Lang::Zh => format!(
                "强度依据:读作“{}”,因为{}\n",
                strength.zh,
                one_line(&reason.zh)
            ),
            Lang::En => format!(
                "Strength: read as “{}” because {}\n",
                strength.en,
                one_line(&reason.en)
            ),
        };
    }
    let reading = super::reading::read(&rule.cite.quote);
    let row = reading.row;
    // Only a word of the clause is quoted: a row found otherwise (a definite figure) is not.
    let word = reading.word.filter(|word| row.words.contains(word));
    match (lang, word) {
        (Lang::Zh, Some(word)) => format!(
            "强度依据:读作“{}”。条文中的「{word}」属解读表的“{}”一类:{}\n",
            strength.zh, row.name.zh, row.why.zh
        ),
        (Lang::Zh, None) => format!(
            "强度依据:读作“{}”。按解读表,条文属“{}”一类:{}\n",
            strength.zh, row.name.zh, row.why.zh
        ),
        (Lang::En, Some(word)) => format!(
            "Strength: read as “{}”. The reading table puts the clause's 「{word}」 under “{}”: {}\n",
            strength.en, row.name.en, row.why.en
        ),
        (Lang::En, None) => format!(
            "Strength: read as “{}”. The reading table puts the clause under “{}”: {}\n",
            strength.en, row.name.en, row.why.en
        ),
    }
}

/// Whether `text` reads `reference` (`param.NAME`) itself, not a longer name it begins.
fn mentions(text: &str, reference: &str) -> bool {
    text.match_indices(reference).any(|(at, found)| {
        !text
            .get(at + found.len()..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}
