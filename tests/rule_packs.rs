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
        if let Check::Criterion(criterion) = &rule.check {
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
