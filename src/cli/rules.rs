//! `yimi explain` and `yimi rules list|lint|test|coverage`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{
    Color, CoverageFormat, ExplainArgs, ListFormat, RulesCommand, emit, fail_with, load_rules,
    refuse, style,
};
use crate::base::i18n::Lang;
use crate::report;
use crate::rules::ir::RuleSet;
use crate::rules::load::RuleOptions;

pub(super) fn explain(args: &ExplainArgs) -> ExitCode {
    let loaded = match load_rules(&args.rules.options(), args.lang) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match crate::authoring::explain::explain(&loaded.set, loaded.corpus(), &args.rule, args.lang) {
        Ok(text) => emit(&text, None, &[]),
        Err(message) => refuse(&message.to_string()),
    }
}

/// The rule paths `rules lint/test` use when none are given: `rules/` in the current directory.
fn default_rule_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    if !paths.is_empty() {
        return (paths.to_vec(), true);
    }
    let local = PathBuf::from("rules");
    if local.is_dir() {
        (vec![local], true)
    } else {
        (Vec::new(), false)
    }
}

/// What `rules lint/coverage/test` load: the given packs (or `./rules`) beside the built-in ones.
fn pack_options(paths: &[PathBuf], sources: Vec<PathBuf>) -> RuleOptions {
    let (paths, _) = default_rule_paths(paths);
    RuleOptions {
        no_builtin: false,
        paths,
        sources,
        builtin_dir: None,
    }
}

pub(super) fn rules(command: RulesCommand) -> ExitCode {
    match command {
        RulesCommand::List {
            source,
            domain,
            format,
            lang,
            rules,
        } => {
            let loaded = match load_rules(&rules.options(), lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let text = list(
                &loaded.set,
                source.as_deref(),
                domain.as_deref(),
                format,
                lang,
            );
            emit(&text, None, &[])
        }
        RulesCommand::Lint {
            paths,
            lang,
            sources,
        } => {
            let options = pack_options(&paths, sources);
            let loaded = match crate::authoring::lint::load_linted(&options) {
                Ok(loaded) => loaded,
                Err(errors) => return fail_with(&errors, lang),
            };
            let style = style(lang, Color::Auto, std::io::stdout().is_terminal());
            let mut out = String::new();
            let warnings: Vec<_> = loaded.warnings.iter().collect();
            report::human::diagnostics(&mut out, &warnings, false, &style);
            let (packs, rules) = (loaded.set.packs.len(), loaded.set.rules.len());
            let warnings = loaded.warnings.len();
            out.push_str(&match lang {
                Lang::Zh => {
                    format!("{packs} 个规则包,{rules} 条规则和目标:没有错误,{warnings} 个警告\n")
                }
                Lang::En => format!(
                    "{packs} packs, {rules} rules and targets: no errors, {warnings} warning{}\n",
                    if warnings == 1 { "" } else { "s" }
                ),
            });
            emit(&out, None, &[])
        }
        RulesCommand::Coverage {
            source,
            format,
            lang,
            paths,
            sources,
        } => {
            let options = pack_options(&paths, sources);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let coverage = crate::authoring::coverage::coverage(
                &loaded.set,
                loaded.corpus(),
                lang,
                source.as_deref(),
            );
            let text = match format {
                CoverageFormat::Table => crate::authoring::coverage::table(&coverage, lang, true),
                CoverageFormat::Markdown => crate::authoring::coverage::markdown(&coverage, lang),
                CoverageFormat::Json => format!(
                    "{}\n",
                    serde_json::to_string_pretty(&coverage).unwrap_or_default()
                ),
            };
            let code = emit(&text, None, &[]);
            if code != ExitCode::SUCCESS {
                return code;
            }
            // Unclassified items and unaccounted sentences are unfinished work: say so in the exit
            // code, as tests do.
            if coverage
                .iter()
                .any(|source| source.unclassified > 0 || source.unaccounted > 0)
            {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        RulesCommand::Test {
            paths,
            lang,
            sources,
        } => {
            // Without paths: the packs in `./rules` if there is one, else the built-in packs.
            let options = pack_options(&paths, sources);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let set = &loaded.set;
            // The packs given on the command line, or the built-in ones when none are.
            let only_given = !options.paths.is_empty();
            let runs = crate::authoring::testing::run_all(set, |pack| {
                let from_file = set.packs.get(pack).is_some_and(|pack| !pack.builtin);
                (from_file || !only_given)
                    .then(|| crate::authoring::testing::fixtures_of(set, pack))
                    .flatten()
            });
            let mut out = String::new();
            let mut failed = 0;
            for run in &runs {
                let status = match &run.failure {
                    None => "ok".to_owned(),
                    Some(failure) => {
                        failed += 1;
                        format!("FAILED: {}", failure.get(lang))
                    }
                };
                out.push_str(&format!(
                    "test {} {} {} ... {status}\n",
                    run.rule,
                    run.expect.as_str(),
                    run.fixture
                ));
            }
            let passed = runs.len() - failed;
            let verdict = if failed == 0 { "ok" } else { "FAILED" };
            out.push_str(&format!(
                "\ntest result: {verdict}. {passed} passed; {failed} failed\n"
            ));
            let code = emit(&out, None, &[]);
            if code != ExitCode::SUCCESS {
                return code;
            }
            if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn list(
    set: &RuleSet,
    source: Option<&str>,
    domain: Option<&str>,
    format: ListFormat,
    lang: Lang,
) -> String {
    let rules: Vec<_> = set
        .rules
        .iter()
        .filter(|rule| source.is_none_or(|source| rule.cite.source == source))
        .filter(|rule| domain.is_none_or(|domain| rule.domain.as_str() == domain))
        .collect();
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rules
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "kind": if matches!(rule.check, crate::rules::ir::Check::Target(_)) { "target" } else { "rule" },
                        "pack": set.packs.get(rule.pack).map(|pack| pack.id.as_str()),
                        "title": rule.title.get(lang),
                        "domain": rule.domain,
                        "strength": rule.strength,
                        "source": rule.cite.source,
                        "clause": rule.cite.clause,
                        "quote": rule.cite.quote,
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            )
        }
        ListFormat::Table => {
            let mut out = String::new();
            for rule in rules {
                out.push_str(&format!(
                    "{:<10} {:<7} {:<12} {:>4} {}\n",
                    rule.id,
                    rule.strength.as_str(),
                    rule.domain.as_str(),
                    format!("§{}", rule.cite.clause),
                    rule.title.get(lang)
                ));
            }
            out
        }
    }
}
