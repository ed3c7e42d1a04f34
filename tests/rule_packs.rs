//! Self-tests of the built-in packs: every test beside every rule passes, every rule is tested
//! both ways, speaks both languages, and every pack file is embedded.

mod common;

use std::path::PathBuf;

use yimi::engine::Outcome;
use yimi::rules::ir::Check;

#[test]
fn every_test_beside_every_rule_passes() {
    let loaded = common::builtin();
    let runs = yimi::authoring::testing::run_all(&loaded.set, |_| {
        Some(yimi::authoring::testing::Fixtures::Dir(PathBuf::from(
            "rules",
        )))
    });
    assert!(
        runs.len() >= 40,
        "the built-in packs carry their tests ({} found)",
        runs.len()
    );
    let failures: Vec<String> = runs
        .iter()
        .filter_map(|run| {
            run.failure.as_ref().map(|failure| {
                format!(
                    "{} {} {}: {}",
                    run.rule,
                    run.expect.as_str(),
                    run.fixture,
                    failure.en
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "failing rule tests:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_embedded_fixtures_are_the_ones_on_disk() {
    // An installed yimi tests and explains its packs from the copies compiled in.
    let loaded = common::builtin();
    let runs = yimi::authoring::testing::run_all(&loaded.set, |pack| {
        yimi::authoring::testing::fixtures_of(&loaded.set, pack)
    });
    assert!(runs.iter().all(|run| run.failure.is_none()), "{runs:#?}");
    for rule in &loaded.set.rules {
        for test in &rule.tests {
            let embedded = yimi::rules::load::builtin_fixture(&test.file)
                .unwrap_or_else(|| panic!("{} is not embedded", test.file));
            let on_disk =
                std::fs::read_to_string(PathBuf::from("rules").join(&test.file)).expect("on disk");
            assert_eq!(embedded, on_disk, "{}", test.file);
        }
    }
}

#[test]
fn every_rule_has_a_passing_and_a_failing_test() {
    for rule in &common::builtin().set.rules {
        let has = |outcome: Outcome| rule.tests.iter().any(|test| test.expect == outcome);
        assert!(has(Outcome::Pass), "{} has no passing test", rule.id);
        assert!(has(Outcome::Fail), "{} has no failing test", rule.id);
    }
}

#[test]
fn every_rule_speaks_both_languages() {
    for rule in &common::builtin().set.rules {
        assert_ne!(
            rule.title.zh, rule.title.en,
            "{} needs an English title",
            rule.id
        );
        if let Check::Criterion(criterion) = &*rule.check {
            let message = criterion
                .message
                .as_ref()
                .unwrap_or_else(|| panic!("{} has no message", rule.id));
            assert!(message.en.is_some(), "{} needs an English message", rule.id);
            if let Some(hint) = &rule.hint {
                assert!(hint.en.is_some(), "{} needs an English hint", rule.id);
            }
        }
    }
}

/// Issue #13: a person reads a parameter by what it is, never by its name in the rules, in
/// both languages (the refinement sentence, `explain`, the record).
#[test]
fn every_parameter_has_a_label_in_both_languages() {
    let params = &common::builtin().set.params;
    assert!(!params.is_empty());
    for param in params {
        let label = &param.label;
        assert!(
            !label.zh.trim().is_empty() && !label.en.trim().is_empty(),
            "parameter `{}` has no label",
            param.name
        );
        assert_ne!(
            label.zh, label.en,
            "parameter `{}` needs an English label",
            param.name
        );
        assert!(
            label.zh != param.name && label.en != param.name,
            "parameter `{}` is labelled by its name",
            param.name
        );
    }
}

/// Issue #13 §2: the official reads what to change in the project, not only how to edit the
/// file, for every rule and target that can fail.
#[test]
fn every_rule_and_target_advises_in_both_languages() {
    let without: Vec<&str> = common::builtin()
        .set
        .rules
        .iter()
        .filter(|rule| {
            rule.advice
                .as_ref()
                .is_none_or(|advice| advice.en.is_none())
        })
        .map(|rule| rule.id.as_str())
        .collect();
    assert_eq!(
        without,
        Vec::<&str>::new(),
        "rules and targets without advice in both languages"
    );
}

/// Newcomer review 8 F7: the engine says when a finding only advises (a draft, a period ended)
/// and why; advice that says so itself contradicts `--drafts binding` beside an error.
#[test]
fn no_advice_states_the_force_of_its_source() {
    let force = [
        "仅供参考",
        "征求意见稿",
        "正式印发",
        "consultation draft",
        "until it is issued",
    ];
    let literals = |parts: &[yimi::rules::ir::Part]| {
        parts
            .iter()
            .filter_map(|part| match part {
                yimi::rules::ir::Part::Literal(text) => Some(text.clone()),
                yimi::rules::ir::Part::Expr(_) => None,
            })
            .collect::<String>()
    };
    let stating: Vec<&str> = common::builtin()
        .set
        .rules
        .iter()
        .filter(|rule| {
            rule.advice.as_ref().is_some_and(|advice| {
                let text =
                    literals(&advice.zh) + &advice.en.as_deref().map(literals).unwrap_or_default();
                force.iter().any(|word| text.contains(word))
            })
        })
        .map(|rule| rule.id.as_str())
        .collect();
    assert_eq!(
        stating,
        Vec::<&str>::new(),
        "advice that states its source's force"
    );
}

#[test]
fn every_pack_file_is_embedded() {
    let mut on_disk: Vec<String> = std::fs::read_dir("rules")
        .expect("rules/")
        .filter_map(|entry| {
            entry
                .ok()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
        })
        .filter(|name| name.ends_with(".yimi"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = yimi::rules::load::BUILTIN
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    for (name, text) in yimi::rules::load::BUILTIN {
        let on_disk = std::fs::read_to_string(PathBuf::from("rules").join(name)).expect("readable");
        assert_eq!(&on_disk, text, "{name} is embedded as it is on disk");
    }
}

#[test]
fn each_pack_cites_its_own_source() {
    let set = &common::builtin().set;
    for rule in &set.rules {
        let pack = &set.packs[rule.pack];
        assert_eq!(
            rule.cite.source, pack.source,
            "{} cites another pack's source",
            rule.id
        );
    }
}

#[test]
fn the_built_in_packs_are_lint_clean() {
    let options = yimi::rules::load::RuleOptions {
        builtin_dir: Some(PathBuf::from("rules")),
        ..Default::default()
    };
    let loaded = yimi::authoring::lint::load_linted(&options).expect("the built-in packs load");
    let warnings: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.code, w.message.en))
        .collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
}

/// Every quote is found in its clause, and changing any one of its first, middle or last
/// characters (or dropping one) makes it a quote the checker refuses.
#[test]
fn every_quote_is_verbatim_and_a_one_character_change_is_caught() {
    let corpus = yimi::sources::corpus::Corpus::builtin();
    let mut checked = 0;
    for rule in &common::builtin().set.rules {
        let cite = &rule.cite;
        let source = corpus
            .get(&cite.source)
            .unwrap_or_else(|| panic!("{}: source {}", rule.id, cite.source));
        let clause = source
            .clause(&cite.clause)
            .unwrap_or_else(|| panic!("{}: clause {}", rule.id, cite.clause));
        assert!(
            source.locate_quote(clause, &cite.quote).is_some(),
            "{}: the quote is not in §{}",
            rule.id,
            cite.clause
        );
        let chars: Vec<char> = cite.quote.chars().collect();
        let positions: Vec<usize> = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| i)
            .collect();
        let (Some(&first), Some(&last)) = (positions.first(), positions.last()) else {
            panic!("{}: an empty quote", rule.id)
        };
        let middle = positions.get(positions.len() / 2).copied().unwrap_or(first);
        for at in [first, middle, last] {
            let mut replaced = chars.clone();
            replaced[at] = if chars[at] == '囗' { '口' } else { '囗' };
            let replaced: String = replaced.into_iter().collect();
            assert_eq!(
                source.locate_quote(clause, &replaced),
                None,
                "{}: `{replaced}` is accepted",
                rule.id
            );
        }
        if positions.len() > 2 {
            let dropped: String = chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != middle)
                .map(|(_, c)| c)
                .collect();
            assert_eq!(
                source.locate_quote(clause, &dropped),
                None,
                "{}: `{dropped}` is accepted",
                rule.id
            );
        }
        checked += 1;
    }
    assert!(checked > 250, "all five packs are checked");
}

/// Coverage of yuzhong-2024 by a local pack of `text` alone.
fn yuzhong_coverage(text: &str) -> yimi::authoring::coverage::SourceCoverage {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("local.yimi");
    std::fs::write(&path, text).expect("write the pack");
    let options = yimi::rules::load::RuleOptions {
        no_builtin: true,
        paths: vec![path],
        ..yimi::rules::load::RuleOptions::default()
    };
    let loaded = yimi::rules::load::load(&options).unwrap_or_else(|errors| panic!("{errors:#?}"));
    let mut coverage = yimi::authoring::coverage::coverage(
        &loaded.set,
        loaded.corpus(),
        yimi::base::i18n::Lang::En,
        Some("yuzhong-2024"),
    );
    coverage.pop().expect("yuzhong-2024 is covered")
}

const LOCAL_YUZHONG: &str =
    "pack local-yz {\n  source yuzhong-2024\n  jurisdiction CN/CQ/Yuzhong\n}\n";

fn sentences_of_clause(
    coverage: &yimi::authoring::coverage::SourceCoverage,
    clause: &str,
) -> Vec<(String, String)> {
    let clause = coverage
        .clauses
        .iter()
        .find(|c| c.clause == clause)
        .unwrap_or_else(|| panic!("§{clause} is listed"));
    clause
        .sentences
        .iter()
        .map(|sentence| {
            let class = serde_json::to_value(&sentence.class).expect("serialises");
            let class = class["class"].as_str().unwrap_or_default().to_owned();
            (sentence.text.chars().take(8).collect(), class)
        })
        .collect()
}

#[test]
fn coverage_is_per_normative_sentence_and_a_note_may_name_one_sentence() {
    // §26 is yuzhong's example of a binding sentence lost when coverage was per clause.
    let note = "not_checkable §26 sentence \"儿童用房装修装饰应符合\" \"装修的要求是定性的\" en \"the decoration requirement is qualitative\"\n";
    let coverage = yuzhong_coverage(&format!("{LOCAL_YUZHONG}{note}"));
    let sentences = sentences_of_clause(&coverage, "26");
    // The heading `(26)强化残疾儿童康复服务。` is not a sentence to account for, nor is the
    // attribution `(牵头单位:区残联、区卫健委)`. A sentence that directs work with a bare verb
    // (建立健全……制度, 适当扩大……范围,提高救助标准) is normative although it has no modal word.
    assert_eq!(
        sentences,
        [
            ("建立健全残疾儿童".to_owned(), "unclassified".to_owned()),
            ("建立儿童残疾筛查".to_owned(), "unclassified".to_owned()),
            ("鼓励公办机构开展".to_owned(), "unclassified".to_owned()),
            ("相关机构因地制宜".to_owned(), "unclassified".to_owned()),
            ("儿童用房装修装饰".to_owned(), "not_checkable".to_owned()),
            ("适当扩大残疾儿童".to_owned(), "unclassified".to_owned()),
            ("到2026年,建".to_owned(), "unclassified".to_owned()),
        ]
    );
    assert_eq!(coverage.unaccounted, coverage.sentences - 1);
    // A note on the whole clause accounts for every sentence of it, and the clause is classified.
    let whole =
        "not_checkable §26 \"康复服务是政府工作\" en \"rehabilitation is government work\"\n";
    let coverage = yuzhong_coverage(&format!("{LOCAL_YUZHONG}{whole}"));
    assert!(
        sentences_of_clause(&coverage, "26")
            .iter()
            .all(|(_, class)| class == "not_checkable")
    );
    assert_eq!(coverage.not_checkable, 1);
}

#[test]
fn a_sentence_note_over_several_clauses_finds_each_sentence_in_its_own_clause() {
    // The first sentence is in §26, the second clause listed; the second is in §25.
    let note = "not_checkable §25, §26 sentence \"儿童用房装修装饰应符合\" sentence \"合理设置儿童医院\" \"定性的要求\" en \"qualitative requirements\"\n";
    let coverage = yuzhong_coverage(&format!("{LOCAL_YUZHONG}{note}"));
    let classified = |clause: &str| {
        sentences_of_clause(&coverage, clause)
            .into_iter()
            .filter(|(_, class)| class == "not_checkable")
            .map(|(text, _)| text)
            .collect::<Vec<_>>()
    };
    assert_eq!(classified("26"), ["儿童用房装修装饰"]);
    assert_eq!(classified("25"), ["合理设置儿童医院"]);
    // A note that names sentences classifies no clause as a whole.
    assert_eq!(coverage.not_checkable, 0);
    assert_eq!(coverage.unaccounted, coverage.sentences - 2);
}

#[test]
fn a_rule_may_encode_part_of_a_sentence_and_a_note_the_rest() {
    // Yuzhong §11's second sentence: its trail half is checkable, its culture half is not.
    let rule = r#"rule L-011 "郊野公园设置儿童主题步道" en "Country parks have children's trails" {
  domain   space
  strength should
  cite     yuzhong-2024 §11 "推动公园中儿童主题类郊野步道、自然营地及各类设施建设"
  applies  project.kind == park
  require  any(facilities, f => f.kind == walking_trail)
  at       facilities
  message  "没有步道" en "no trail"
}
"#;
    let rest = "not_checkable §11 sentence \"注重挖掘公园文化特色,使公园成为历史文化、红色文化、母城文化的展示与体验基地\" \"文化特色没有可检查的标准\" en \"cultural character has no checkable standard\"\n";
    let sentence = |coverage: &yimi::authoring::coverage::SourceCoverage| {
        coverage
            .clauses
            .iter()
            .find(|clause| clause.clause == "11")
            .and_then(|clause| {
                clause
                    .sentences
                    .iter()
                    .find(|sentence| sentence.text.starts_with("推动公园中"))
                    .cloned()
            })
            .expect("§11's trail sentence is listed")
    };
    let encoded = sentence(&yuzhong_coverage(&format!("{LOCAL_YUZHONG}{rule}{rest}")));
    assert_eq!(
        serde_json::to_value(&encoded.class).expect("serialises")["rules"],
        serde_json::json!(["L-011"])
    );
    assert_eq!(
        encoded.rest_not_checkable.as_deref(),
        Some("cultural character has no checkable standard")
    );
    assert_eq!(encoded.rest_unaccounted, None);
    // Without the note the rule alone encodes the sentence, and its rest, which binds too, is
    // flagged: a coverage warning, located, with what to write.
    let coverage = yuzhong_coverage(&format!("{LOCAL_YUZHONG}{rule}"));
    let alone = sentence(&coverage);
    assert_eq!(alone.rest_not_checkable, None);
    let rest = alone
        .rest_unaccounted
        .as_deref()
        .expect("the rest is flagged");
    assert!(rest.contains("注重挖掘公园文化特色"), "{rest}");
    assert!(!rest.contains("推动公园中儿童主题类郊野步道"), "{rest}");
    assert_eq!(coverage.partial, 1);
    let warnings = yimi::authoring::coverage::warnings(
        std::slice::from_ref(&coverage),
        yimi::base::i18n::Lang::En,
    );
    assert!(
        warnings.starts_with(&format!(
            "yuzhong-2024:{}: warning[coverage::partial-sentence]: only part of this sentence of §11 is encoded (rule L-011)",
            alone.line
        )),
        "{warnings}"
    );
    assert!(
        warnings.contains("help: widen a rule's quote to take it in, write a rule for it, or add `not_checkable §11 sentence"),
        "{warnings}"
    );
    // A whole-clause note is not a reason for the rest of an encoded sentence.
    let whole = "not_checkable §11 \"公园建设是政府工作\" en \"parks are government work\"\n";
    let whole = sentence(&yuzhong_coverage(&format!("{LOCAL_YUZHONG}{rule}{whole}")));
    assert_eq!(whole.rest_not_checkable, None);
    assert!(whole.rest_unaccounted.is_some());
}

#[test]
fn every_item_and_every_normative_sentence_of_every_source_is_accounted_for() {
    let loaded = common::builtin();
    let coverage = yimi::authoring::coverage::coverage(
        &loaded.set,
        loaded.corpus(),
        yimi::base::i18n::Lang::En,
        None,
    );
    assert_eq!(coverage.len(), 5, "the five built-in sources");
    let mut unaccounted = Vec::new();
    for source in &coverage {
        assert!(
            source.sentences > 30,
            "{}: normative sentences are found ({})",
            source.source,
            source.sentences
        );
        for clause in &source.clauses {
            let unclassified = |class: &yimi::authoring::coverage::Class| {
                *class == yimi::authoring::coverage::Class::Unclassified
            };
            if clause.kind == "item" && unclassified(&clause.class) {
                unaccounted.push(format!("{} §{} (item)", source.source, clause.clause));
            }
            for sentence in clause.sentences.iter().filter(|s| unclassified(&s.class)) {
                unaccounted.push(format!(
                    "{}:{} §{} {}",
                    source.source, sentence.line, clause.clause, sentence.text
                ));
            }
        }
    }
    assert!(
        unaccounted.is_empty(),
        "encode these or classify them `not_checkable` with a reason:\n{}",
        unaccounted.join("\n")
    );
}

/// Every built-in pack accounts for its sentences in full: no sentence a rule encodes in part
/// leaves a binding rest that no quote takes in and no sentence note classifies
/// (`coverage::partial-sentence`), so that none comes back (issue #11: 0 unaccounted in all
/// five packs).
#[test]
fn no_built_in_pack_encodes_a_sentence_only_in_part() {
    let loaded = common::builtin();
    let coverage = yimi::authoring::coverage::coverage(
        &loaded.set,
        loaded.corpus(),
        yimi::base::i18n::Lang::Zh,
        None,
    );
    assert_eq!(coverage.len(), 5, "the five built-in sources");
    for covered in &coverage {
        let source = &covered.source;
        let partial: Vec<String> = covered
            .clauses
            .iter()
            .flat_map(|clause| {
                clause.sentences.iter().filter_map(move |sentence| {
                    sentence.rest_unaccounted.as_ref().map(|rest| {
                        format!("{source}:{} §{} 「{rest}」", sentence.line, clause.clause)
                    })
                })
            })
            .collect();
        assert_eq!(covered.partial, partial.len(), "{source}");
        assert!(
            partial.is_empty(),
            "widen a quote, write a rule or add a sentence note for:\n{}",
            partial.join("\n")
        );
        assert!(covered.rules > 0, "{source} is encoded, not empty");
    }
}

#[test]
fn a_failed_target_gives_its_advice_about_the_plan_then_the_edit_to_the_file() {
    let loaded = common::builtin();
    let files = common::check(&[PathBuf::from("rules/tests/SH-T015/fail.yaml")]);
    let Some(yimi::engine::checked::Checked::Assessed { assessment, .. }) =
        files.first().map(|file| &file.result)
    else {
        panic!("the fixture is assessed");
    };
    let result = assessment
        .results
        .iter()
        .find(|result| loaded.set.rules.get(result.rule).map(|r| r.id.as_str()) == Some("SH-T015a"))
        .expect("SH-T015a is judged");
    assert_eq!(result.outcome, Outcome::Fail);
    let hint = result.hint.as_ref().expect("a failed target has help");
    let (advice, edit) = hint.zh.split_once('\n').expect("two lines");
    assert_eq!(
        advice,
        "在规划中载明:到2025年平均每个少先队大队至少有1名校外辅导员"
    );
    assert!(edit.starts_with("项目文件:把目标值调整到"), "{edit}");
    assert!(
        hint.en.contains("\nIn the file: raise the target"),
        "{}",
        hint.en
    );
}

/// The result of the built-in rule `rule` on the project file at `path`.
fn result_of(rule: &str, path: &str) -> yimi::engine::assessment::RuleResult {
    let loaded = common::builtin();
    let files = common::check(&[PathBuf::from(path)]);
    let Some(yimi::engine::checked::Checked::Assessed { assessment, .. }) =
        files.first().map(|file| &file.result)
    else {
        panic!("{path} is assessed");
    };
    assessment
        .results
        .iter()
        .find(|result| loaded.set.rules.get(result.rule).map(|r| r.id.as_str()) == Some(rule))
        .unwrap_or_else(|| panic!("{rule} is judged on {path}"))
        .clone()
}

#[test]
fn a_failure_gives_each_size_with_its_label_whichever_of_them_is_stated() {
    // SY-015f applies to a place over either limit, so a failure may know only one size: the
    // message once read "a public place of not stated with 15000 persons visitors a day".
    let result = result_of("SY-015f", "rules/tests/SY-015f/fail.yaml");
    assert_eq!(result.outcome, Outcome::Fail);
    let message = result.message.expect("a failure has a message");
    assert!(
        message
            .en
            .contains("(floor area: not stated; visitors a day: 15000 persons)"),
        "{}",
        message.en
    );
    assert!(
        message.zh.contains("(建筑面积:未提供;日均客流:15000 人)"),
        "{}",
        message.zh
    );
}

/// Whether every value a message leaves unknown (`not stated`, `未提供`, as the renderer prints
/// it) ends its phrase: a unit or a noun after it (`not stated min`, `未提供 的公共场所`) reads as
/// if "not stated" were the figure.
fn unknowns_end_their_phrase(text: &str, unknown: &str, opens: &[char], ends: &[char]) -> bool {
    text.match_indices(unknown).all(|(at, _)| {
        let before = text.get(..at).and_then(|head| head.chars().next_back());
        let after = text
            .get(at + unknown.len()..)
            .and_then(|tail| tail.chars().next());
        // 未提供 is also a verb in a rule's own words (学校未提供课后服务): only the value the
        // renderer puts after a label, a space or an opening bracket is one.
        let is_value = opens.is_empty() || before.is_some_and(|c| opens.contains(&c));
        !is_value || after.is_none_or(|c| ends.contains(&c))
    })
}

#[test]
fn no_failure_message_reads_an_unknown_value_as_a_figure() {
    let loaded = common::builtin();
    let files = common::check(&[PathBuf::from("rules/tests"), PathBuf::from("examples")]);
    let mut failures = 0;
    let mut bad = Vec::new();
    for file in &files {
        let yimi::engine::checked::Checked::Assessed { assessment, .. } = &file.result else {
            continue;
        };
        for result in &assessment.results {
            let Some(message) = result.message.as_deref() else {
                continue;
            };
            if result.outcome != Outcome::Fail {
                continue;
            }
            failures += 1;
            let en =
                unknowns_end_their_phrase(&message.en, "not stated", &[], &[')', ';', ',', '.']);
            let zh = unknowns_end_their_phrase(
                &message.zh,
                "未提供",
                &[' ', ':', ':', '(', '('],
                &[')', ')', ';', ';', ',', ',', '、', '。'],
            );
            if !(en && zh) {
                let rule = loaded.set.rules.get(result.rule).map(|r| r.id.as_str());
                bad.push(format!(
                    "{:?} on {}: {} / {}",
                    rule, file.path, message.zh, message.en
                ));
            }
        }
    }
    assert!(
        failures > 100,
        "the fixtures fail rules ({failures} failures)"
    );
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The check itself sees the old wording.
    assert!(!unknowns_end_their_phrase(
        "a public place of not stated with 15000 persons visitors a day",
        "not stated",
        &[],
        &[')', ';', ',', '.'],
    ));
    assert!(!unknowns_end_their_phrase(
        "(调整前 未提供 分钟,调整后 未提供 分钟)",
        "未提供",
        &[' ', ':', ':', '(', '('],
        &[')', ')', ';', ';', ',', ',', '、', '。'],
    ));
}

#[test]
fn an_undecided_disease_list_says_that_items_are_not_read_and_which_conditions_exist() {
    // The policy lists the diseases only as text in `items`: SY-008b judges `conditions`, so the
    // consultant must be told that the text decides nothing, and what to write instead.
    let result = result_of("SY-008b", "rules/tests/SY-008b/text-only.yaml");
    assert_eq!(result.outcome, Outcome::InsufficientEvidence);
    let hint = result.hint.expect("an undecided rule says what to state");
    assert!(
        hint.zh
            .contains("items 中按政策原文写的病种名称只供阅读,不据以判定"),
        "{}",
        hint.zh
    );
    assert!(
        hint.en
            .contains("items are for people to read and decide nothing"),
        "{}",
        hint.en
    );
    // Every value `conditions` takes is named, so the hint keeps up with the model.
    let Some((_, policy)) = yimi::project::types::project_type().field("policy") else {
        panic!("the model has policy");
    };
    let yimi::project::types::Ty::Record(policy) = &policy.ty else {
        panic!("policy is a mapping");
    };
    let Some((_, provisions)) = policy.field("provisions") else {
        panic!("policy has provisions");
    };
    let yimi::project::types::Ty::List(provision) = &provisions.ty else {
        panic!("provisions is a list");
    };
    let yimi::project::types::Ty::Record(provision) = provision.as_ref() else {
        panic!("a provision is a mapping");
    };
    let Some((_, conditions)) = provision.field("conditions") else {
        panic!("a provision has conditions");
    };
    let yimi::project::types::Ty::List(condition) = &conditions.ty else {
        panic!("conditions is a list");
    };
    let yimi::project::types::Ty::Enum(condition) = condition.as_ref() else {
        panic!("a condition is one of a list");
    };
    assert!(condition.variants.len() >= 2);
    for variant in &condition.variants {
        assert!(
            hint.zh.contains(&variant.name),
            "{} in {}",
            variant.name,
            hint.zh
        );
        assert!(
            hint.en.contains(&variant.name),
            "{} in {}",
            variant.name,
            hint.en
        );
    }
}

/// An absolute count a source sets for its whole area (100 child-friendly schools, 500 summer care
/// classes a year) is that area's total: it judges the plan of the source's own level, never a
/// district's or sub-district's plan stating its share (issue #11, class 9; law review 8, F7). So
/// every floor on a plain count in the built-in packs reads `plan.level` (in `unless` or
/// `applies`), except averages per unit, which hold at every level.
#[test]
fn every_target_of_an_area_total_or_aggregate_names_the_level_it_binds() {
    // A count, a share below 100 %, a ratio per 1000, a growth rate or a rate ceiling set for the
    // whole area is its total or its aggregate: a part may fall short of it while the whole meets
    // it, so each is conditioned on `plan.level` (law reviews 8 F7 and 9 G1). What every part must
    // reach for the whole to reach it holds at every level: a coverage of 100 %, a ceiling of zero,
    // and a standard per unit (每个服务站每年不少于4次, 每学期每校≥2次).
    const PER_UNIT: [&str; 2] = ["YZ-T029c", "YZ-T029d"];
    let loaded = common::builtin();
    let set = &loaded.set;
    let mut unconditioned = Vec::new();
    let mut per_unit_seen = Vec::new();
    for rule in &set.rules {
        let Check::Target(target) = &*rule.check else {
            continue;
        };
        let Some(indicator) = set.indicators.get(target.indicator) else {
            continue;
        };
        use yimi::rules::ir::Comparator;
        let whole_coverage = matches!(target.comparator, Comparator::AtLeast)
            && indicator.unit.as_deref() == Some("%")
            && (target.threshold - 1.0).abs() < 1e-9;
        let zero_ceiling = matches!(target.comparator, Comparator::AtMost | Comparator::Below)
            && target.threshold == 0.0;
        if PER_UNIT.contains(&rule.id.as_str()) {
            per_unit_seen.push(rule.id.clone());
            continue;
        }
        if whole_coverage || zero_ceiling {
            continue;
        }
        let mut reads_level = false;
        for expr in target.applies.iter().chain(&target.unless) {
            expr.visit(&mut |expr| {
                if let yimi::rules::ir::Expr::Field { index, record, .. } = expr
                    && record.name == "Plan"
                    && record.fields.get(*index).is_some_and(|f| f.name == "level")
                {
                    reads_level = true;
                }
            });
        }
        if !reads_level {
            unconditioned.push(rule.id.clone());
        }
    }
    assert!(
        unconditioned.is_empty(),
        "targets that would judge a lower level's plan against the whole area's total or aggregate: {unconditioned:?}"
    );
    per_unit_seen.sort();
    let mut expected: Vec<String> = PER_UNIT.iter().map(|id| (*id).to_owned()).collect();
    expected.sort();
    assert_eq!(
        per_unit_seen, expected,
        "the per-unit standards excepted are targets of the built-in packs"
    );
}

/// Newcomer review 8 F6: a rate equal to the average it is compared with read "0 below it";
/// the message now says it is equal, which is not above.
#[test]
fn a_rate_equal_to_the_average_reads_as_equal_not_as_below() {
    for (rule, path) in [
        ("YZ-018d", "rules/tests/YZ-018d/fail.yaml"),
        ("YZ-018e", "rules/tests/YZ-018e/fail.yaml"),
    ] {
        let result = result_of(rule, path);
        assert_eq!(result.outcome, Outcome::Fail, "{rule}");
        let message = result.message.expect("a failure has a message");
        assert!(
            message
                .zh
                .contains("与全市平均持平、不算高于的 1 项,低于全市平均的 0 项"),
            "{rule}: {}",
            message.zh
        );
        assert!(
            message
                .en
                .contains("equal to the average, not above it: 1; below it: 0"),
            "{rule}: {}",
            message.en
        );
        assert!(!message.zh.contains("低 0"), "{rule}: {}", message.zh);
    }
}

/// A child-toilet finding points at the count it judged: the stated `child_toilet_stalls: 0`
/// itself, or, for a toilet that states no count, the count's place in that toilet (resolved to
/// the toilet's mapping when reported), never at the whole `facilities` list.
#[test]
fn a_toilet_finding_points_at_the_count_it_judged() {
    for (rule, fixture, at, exact) in [
        (
            "JL-019a",
            "rules/tests/JL-019a/zero-counts.yaml",
            "facilities[0].child_toilet_stalls",
            true,
        ),
        (
            "JL-019b",
            "rules/tests/JL-019a/zero-counts.yaml",
            "facilities[0].child_washbasins",
            true,
        ),
        (
            "SY-015d",
            "rules/tests/SY-015d/zero-counts.yaml",
            "facilities[0].child_toilet_stalls",
            true,
        ),
        (
            "SY-015e",
            "rules/tests/SY-015d/zero-counts.yaml",
            "facilities[0].child_washbasins",
            true,
        ),
        (
            "JL-019a",
            "rules/tests/JL-019a/fail.yaml",
            "facilities[0].child_toilet_stalls",
            false,
        ),
    ] {
        let result = result_of(rule, fixture);
        assert_eq!(result.outcome, Outcome::Fail, "{rule} on {fixture}");
        let paths: Vec<String> = result.locations.iter().map(ToString::to_string).collect();
        assert_eq!(paths, [at], "{rule} on {fixture}");
        let project = yimi::project::load_path(
            std::path::Path::new(fixture),
            yimi::project::LoadLimits::default(),
        )
        .expect("loads");
        let location = project.tree.locate(result.locations.first().unwrap());
        assert_eq!(location.exact, exact, "{rule} on {fixture}");
        if !exact {
            // The toilet's own mapping, where the count belongs.
            let toilet = project
                .tree
                .at(&yimi::project::yaml::YamlPath::root()
                    .key("facilities")
                    .index(0))
                .unwrap();
            assert_eq!(location.span, toilet.span);
        }
    }
}

/// Law review 9, G16: a count target undecided for want of the plan's level does not advise the
/// plan, most likely a district's, to commit to the whole city's count: it says first that whose
/// plan it is decides.
#[test]
fn an_undecided_count_target_says_whose_plan_decides_before_its_advice() {
    let result = result_of("SH-T023", "rules/tests/levels/shanghai-level-unstated.yaml");
    assert_eq!(result.outcome, Outcome::InsufficientEvidence);
    let hint = result.hint.expect("a hint");
    assert!(
        hint.zh
            .starts_with("本条是否判定本规划,取决于文件未注明的事项(如规划层级"),
        "{}",
        hint.zh
    );
    assert!(
        hint.en
            .starts_with("whether the target judges this plan depends on"),
        "{}",
        hint.en
    );
    assert!(
        hint.zh
            .contains("如判定:在规划中载明:到2025年建设100所儿童友好学校")
    );
}
