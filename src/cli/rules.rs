//! `yimi explain` and `yimi rules list|lint|test|coverage`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{
    Color, CoverageFormat, ExplainArgs, ListFormat, RulesCommand, emit, fail_with, load_rules,
    refuse_in, style,
};
use crate::base::i18n::Lang;
use crate::report;
use crate::report::escape::{OutputKind, ci_commands, terminal_line, terminal_text};
use crate::rules::ir::RuleSet;
use crate::rules::load::RuleOptions;

pub(super) fn explain(args: &ExplainArgs) -> ExitCode {
    let loaded = match load_rules(&args.rules.options(), args.lang) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match crate::authoring::explain::explain(&loaded.set, loaded.corpus(), &args.rule, args.lang) {
        Ok(text) => emit(&terminal_text(&text), None, &[]),
        Err(message) => {
            // A pack author's own rules in `./rules` are read by `rules lint|test|fmt` but not
            // here unless asked (newcomer review 16 N6): when they hold the id, say how.
            let local = args.rules.rules.is_empty()
                && std::path::Path::new("rules").is_dir()
                && load_rules_quietly(&pack_options(&[], args.rules.sources.clone())).is_some_and(
                    |set| crate::authoring::explain::find(&set, &args.rule, args.lang).is_ok(),
                );
            let list = match (args.lang, local) {
                (Lang::Zh, true) => ";它在 `./rules` 的规则包中:加上 `--rules rules/`",
                (Lang::En, true) => "; it is in a pack in `./rules`: add `--rules rules/`",
                (Lang::Zh, false) => ";`yimi rules list` 列出全部规则编号",
                (Lang::En, false) => "; `yimi rules list` lists the rule ids",
            };
            refuse_in(args.lang, &format!("{message}{list}"))
        }
    }
}

/// The rules `options` load, or `None` when they do not load (nothing is printed).
fn load_rules_quietly(options: &RuleOptions) -> Option<RuleSet> {
    crate::rules::load::load(options)
        .ok()
        .map(|loaded| loaded.set)
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
        // An edited copy of a built-in pack is what a pack author lints and tests.
        replace_builtin: true,
    }
}

pub(super) fn rules(command: RulesCommand) -> ExitCode {
    match command {
        RulesCommand::List {
            source,
            domain,
            format,
            lang,
            paths,
            rules,
        } => {
            // Positional paths, as every `rules` command takes them; `--rules` is the older form.
            let mut options = rules.options();
            let asked_for_packs = !paths.is_empty() || !options.paths.is_empty();
            options.paths.extend(paths);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            if let Some(why) = empty_filter(&loaded.set, source.as_deref(), domain.as_deref()) {
                return refuse_in(lang, why.get(lang));
            }
            let listed =
                |set: &RuleSet| list(set, source.as_deref(), domain.as_deref(), format, lang);
            let text = listed(&loaded.set);
            // A pack author's own rules in `./rules` are read by `rules lint|test|fmt` but not
            // here unless asked (newcomer review 16 N6): when they would change the list, say so,
            // on stderr so that the list itself stays what was asked for.
            if !asked_for_packs
                && !options.no_builtin
                && std::path::Path::new("rules").is_dir()
                && load_rules_quietly(&pack_options(&[], options.sources.clone()))
                    .is_some_and(|local| listed(&local) != text)
            {
                eprintln!(
                    "{}",
                    crate::tr!(
                        "提示: `./rules` 中的规则包未列入;`yimi rules list rules/` 连同内置规则包一并列出",
                        "note: the packs in `./rules` are not listed; `yimi rules list rules/` lists them with the built-in packs"
                    )
                    .get(lang)
                );
            }
            emit(&guard(format == ListFormat::Json, &text), None, &[])
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
            // The diagnostics are escaped as `check` escapes them; only CI commands are left.
            let mut out = ci_commands(OutputKind::Terminal, &out).into_owned();
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
            all,
            sources,
        } => {
            let given = !paths.is_empty();
            let options = pack_options(&paths, sources);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            if let Some(only) = source.as_deref()
                && let Some(why) = crate::authoring::coverage::source_not_covered(
                    &loaded.set,
                    loaded.corpus(),
                    only,
                )
            {
                return refuse_in(lang, why.get(lang));
            }
            let mut coverage = crate::authoring::coverage::coverage(
                &loaded.set,
                loaded.corpus(),
                lang,
                source.as_deref(),
            );
            // An author who names their packs wants their sources' coverage, not some 1 400
            // lines of the built-in ones before their own warning: those are left out unless
            // asked for (`--all`) or no pack of the paths is a local one.
            let own: Vec<&str> = loaded
                .set
                .packs
                .iter()
                .filter(|pack| !pack.builtin)
                .map(|pack| pack.source.as_str())
                .collect();
            if given && !all && source.is_none() && !own.is_empty() {
                coverage.retain(|covered| own.contains(&covered.source.as_str()));
            }
            let text = match format {
                CoverageFormat::Table => guard(
                    false,
                    &format!(
                        "{}{}",
                        crate::authoring::coverage::table(&coverage, lang, true),
                        crate::authoring::coverage::warnings(&coverage, lang)
                    ),
                ),
                CoverageFormat::Markdown => ci_commands(
                    OutputKind::Markdown,
                    &crate::authoring::coverage::markdown(&coverage, lang),
                )
                .into_owned(),
                CoverageFormat::Json => guard(
                    true,
                    &format!(
                        "{}\n",
                        serde_json::to_string_pretty(&coverage).unwrap_or_default()
                    ),
                ),
            };
            let code = emit(&text, None, &[]);
            if code != ExitCode::SUCCESS {
                return code;
            }
            // Unclassified items, unaccounted sentences and the binding rest of a sentence
            // encoded only in part are unfinished work: say so in the exit code, as tests do.
            if coverage.iter().any(|source| {
                source.unclassified > 0 || source.unaccounted > 0 || source.partial > 0
            }) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        RulesCommand::Fmt { check, paths, lang } => fmt(check, &paths, lang),
        RulesCommand::New {
            source,
            jurisdiction,
            id,
            dir,
            sources,
            lang,
        } => {
            let options = RuleOptions {
                no_builtin: false,
                paths: Vec::new(),
                sources: sources.clone(),
                builtin_dir: None,
                replace_builtin: false,
            };
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let dir = dir.unwrap_or_else(|| PathBuf::from("rules"));
            let scaffold = match crate::authoring::scaffold::scaffold(
                &loaded.set,
                loaded.corpus(),
                &source,
                &jurisdiction,
                id.as_deref(),
                &dir,
            ) {
                Ok(scaffold) => scaffold,
                Err(why) => return refuse_in(lang, why.get(lang)),
            };
            if let Err(why) = crate::authoring::scaffold::write(&scaffold) {
                return refuse_in(lang, why.get(lang));
            }
            // The paths come from the command line: shown as any quoted input is.
            let shown =
                |path: &std::path::Path| terminal_line(&path.display().to_string()).into_owned();
            let mut out = String::new();
            for (path, _) in &scaffold.files {
                out.push_str(&format!("{}\n", shown(path)));
            }
            let sources: String = sources
                .iter()
                .map(|dir| format!(" --sources {}", shown(dir)))
                .collect();
            let dir = shown(&dir);
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "\n下一步:把示例规则改写为来源的条款,然后运行 `yimi rules test {dir}{sources}`\n"
                ),
                Lang::En => format!(
                    "\nnext: rewrite the example rule for the source's clauses, then run `yimi rules test {dir}{sources}`\n"
                ),
            });
            emit(&terminal_text(&out), None, &[])
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
                // A failure says where its test is written, as a compiler locates an error.
                let status = match &run.failure {
                    None => "ok".to_owned(),
                    Some(failure) => {
                        failed += 1;
                        format!(
                            "FAILED: {}\n  --> {}",
                            terminal_line(failure.get(lang)),
                            terminal_line(&run.at)
                        )
                    }
                };
                let refines = run
                    .refines
                    .as_ref()
                    .map(|param| format!(" (refine {})", terminal_line(param)))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "test {}{refines} {} {} ... {status}\n",
                    run.rule,
                    run.expect.as_str(),
                    terminal_line(&run.fixture)
                ));
            }
            let passed = runs.len() - failed;
            let verdict = if failed == 0 { "ok" } else { "FAILED" };
            out.push_str(&format!(
                "\ntest result: {verdict}. {passed} passed; {failed} failed\n"
            ));
            let code = emit(&terminal_text(&out), None, &[]);
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

/// Text that quotes packs, guarded for where it is printed: JSON with its hidden characters as
/// `\uXXXX`, text line by line (see `report::escape`); neither starts a CI command.
fn guard(json: bool, text: &str) -> String {
    if json {
        ci_commands(OutputKind::Json, text).into_owned()
    } else {
        terminal_text(text).into_owned()
    }
}

fn fmt(check: bool, paths: &[PathBuf], lang: Lang) -> ExitCode {
    let (paths, found) = default_rule_paths(paths);
    if !found {
        return refuse_in(
            lang,
            match lang {
                Lang::Zh => "没有给出规则包,当前目录下也没有 `rules/`:请给出 `*.yimi` 文件或目录",
                Lang::En => {
                    "no rule packs given and no `rules/` here: give `*.yimi` files or directories"
                }
            },
        );
    }
    let run = crate::authoring::fmt::format_paths(&paths, check);
    let code = emit(&run.diff, None, &[]);
    if code != ExitCode::SUCCESS {
        return code;
    }
    let changed = run.changed.len();
    let unchanged = run.unchanged;
    let summary = match (lang, check) {
        (Lang::Zh, true) => format!("{changed} 个规则文件需要格式化,{unchanged} 个已是规范格式"),
        (Lang::Zh, false) => format!("已格式化 {changed} 个规则文件,{unchanged} 个无需改动"),
        (Lang::En, true) => {
            format!("{changed} rule files would be reformatted, {unchanged} already formatted")
        }
        (Lang::En, false) => {
            format!("{changed} rule files reformatted, {unchanged} left unchanged")
        }
    };
    if changed + unchanged > 0 {
        stderr_line!("{summary}");
    }
    if !run.errors.is_empty() {
        return fail_with(&run.errors, lang);
    }
    if check && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Why `--source` or `--domain` would list nothing: a name no loaded rule has, with the closest.
fn empty_filter(
    set: &RuleSet,
    source: Option<&str>,
    domain: Option<&str>,
) -> Option<crate::base::i18n::Text> {
    let any = set.rules.iter().any(|rule| {
        source.is_none_or(|source| rule.cite.source == source)
            && domain.is_none_or(|domain| rule.domain.as_str() == domain)
    });
    if any {
        return None;
    }
    let mut sources: Vec<&str> = set
        .rules
        .iter()
        .map(|rule| rule.cite.source.as_str())
        .collect();
    let mut domains: Vec<&str> = set.rules.iter().map(|rule| rule.domain.as_str()).collect();
    for names in [&mut sources, &mut domains] {
        names.sort_unstable();
        names.dedup();
    }
    let unknown = |kind_zh: &str, kind_en: &str, name: &str, known: &[&str]| {
        let list = known.join(", ");
        match crate::base::suggest::did_you_mean(name, known.iter().copied()) {
            Some(found) => crate::tr!(
                "没有规则引用{kind_zh} `{name}`;是否想写 `{found}`?",
                "no rule has the {kind_en} `{name}`; did you mean `{found}`?"
            ),
            None => crate::tr!(
                "没有规则引用{kind_zh} `{name}`;已加载的有:{list}",
                "no rule has the {kind_en} `{name}`; the loaded ones: {list}"
            ),
        }
    };
    if let Some(source) = source.filter(|source| !sources.contains(source)) {
        return Some(unknown("来源", "source", source, &sources));
    }
    if let Some(domain) = domain.filter(|domain| !domains.contains(domain)) {
        return Some(unknown("领域", "domain", domain, &domains));
    }
    let (source, domain) = (source.unwrap_or_default(), domain.unwrap_or_default());
    Some(crate::tr!(
        "来源 `{source}` 中没有领域 `{domain}` 的规则",
        "no rule of `{source}` has the domain `{domain}`"
    ))
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
                    let mut item = serde_json::json!({
                        "id": rule.id,
                        "kind": if matches!(*rule.check, crate::rules::ir::Check::Target(_)) { "target" } else { "rule" },
                        "pack": set.packs.get(rule.pack).map(|pack| pack.id.as_str()),
                        "title": rule.title.get(lang),
                        "domain": rule.domain,
                        "strength": rule.strength,
                        "source": rule.cite.source,
                        "clause": rule.cite.clause,
                        "quote": rule.cite.quote,
                    });
                    // A plan names a target by its indicator id in `targets`: the list is where
                    // plan authors are sent to find them (examples/README.md).
                    if let (Some(target), Some(object)) = (target_of(set, rule, lang), item.as_object_mut()) {
                        object.extend(target);
                    }
                    item
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
                let indicator = match &*rule.check {
                    crate::rules::ir::Check::Target(target) => set
                        .indicators
                        .get(target.indicator)
                        .map(|indicator| format!("  [{}]", indicator.id))
                        .unwrap_or_default(),
                    crate::rules::ir::Check::Criterion(_) => String::new(),
                };
                out.push_str(&format!(
                    "{:<10} {:<7} {:<12} {:>4} {}{indicator}\n",
                    rule.id,
                    rule.strength.as_str(),
                    rule.domain.as_str(),
                    format!("§{}", rule.cite.clause),
                    terminal_line(rule.title.get(lang))
                ));
            }
            out
        }
    }
}

/// A target's indicator (its id, as `targets[].indicator` names it, label and unit), comparator,
/// threshold in the indicator's unit and year, as fields of `rules list --format json`.
fn target_of(
    set: &RuleSet,
    rule: &crate::rules::ir::Rule,
    lang: Lang,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let crate::rules::ir::Check::Target(target) = &*rule.check else {
        return None;
    };
    let indicator = set.indicators.get(target.indicator)?;
    let unit = indicator.unit.as_deref().filter(|unit| *unit != "none");
    // In the unit plans state values in (60 for 60 %), without the division's last-digit noise.
    let threshold = (target.threshold / indicator.scale * 1e9).round() / 1e9;
    let serde_json::Value::Object(fields) = serde_json::json!({
        "indicator": indicator.id,
        "indicator_label": indicator.label.get(lang),
        "unit": unit,
        "comparator": target.comparator.symbol(),
        "threshold": threshold,
        "year": target.year,
    }) else {
        return None;
    };
    Some(fields)
}
