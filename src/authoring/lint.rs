//! Warnings for rule authors about packs that load but are probably not what was meant: a
//! strength that does not match the quote's wording, parameters nothing reads, rules without
//! tests both ways. `yimi rules lint` shows them; the built-in packs have none.

use super::reading::read;
use super::testing::PackPlaces;
use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::Text;
use crate::engine::Outcome;
use crate::project::units;
use crate::rules::ast::Span;
use crate::rules::ir::{Addressee, Check, Rule, RuleSet};
use crate::rules::load::{Loaded, RuleOptions, load_from_text_with};
use crate::tr;

/// Loads packs from their text and lints them (the lints come with the errors of other files
/// too). The lints evaluate rules on their fixtures, which `check` must not pay for, so only
/// `yimi rules lint` asks for them.
pub fn load_linted(options: &RuleOptions) -> Result<Loaded, Vec<Diagnostic>> {
    load_from_text_with(options, &lint)
}

/// Lints a checked rule set.
pub fn lint(set: &RuleSet) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut places = PackPlaces::new(set);
    let mut fixtures = super::testing::FixtureCache::default();
    let as_alone = linted_alone(set);
    for (index, rule) in set.rules.iter().enumerate() {
        let Some(pack) = set.packs.get(rule.pack) else {
            continue;
        };
        if as_alone.get(rule.pack).copied().unwrap_or(false) {
            continue;
        }
        strength(rule, &pack.file, &mut warnings);
        advice(rule, &pack.file, &mut warnings);
        addressee(set, index, &mut places, &pack.file, &mut warnings);
        tests(
            set,
            index,
            &mut places,
            &mut fixtures,
            &pack.file,
            &mut warnings,
        );
        unloadable_fixtures(
            set,
            rule.pack,
            rule.tests.iter(),
            &mut fixtures,
            &mut warnings,
        );
    }
    for (param, declared) in set.params.iter().enumerate() {
        for refinement in 0..declared.refinements.len() {
            refinement_tests(
                set,
                param,
                refinement,
                &mut places,
                &mut fixtures,
                &mut warnings,
            );
        }
        for refinement in &declared.refinements {
            let tests = refinement.tests.iter().map(|test| &test.test);
            unloadable_fixtures(set, refinement.pack, tests, &mut fixtures, &mut warnings);
        }
    }
    let mut used = vec![false; set.params.len()];
    for rule in &set.rules {
        if let Check::Criterion(criterion) = &*rule.check {
            for index in criterion.params() {
                if let Some(flag) = used.get_mut(index) {
                    *flag = true;
                }
            }
        }
    }
    for (param, used) in set.params.iter().zip(used) {
        if used {
            continue;
        }
        let Some(pack) = set.packs.get(param.pack) else {
            continue;
        };
        let name = &param.name;
        warnings.push(
            Diagnostic::warning(
                "lint::unused-param",
                &pack.file,
                param.span.clone(),
                tr!(
                    "参数 `{name}` 没有被任何规则使用",
                    "parameter `{name}` is not used by any rule"
                ),
                tr!("未使用", "unused"),
            )
            .with_help(tr!(
                "在规则中用 `param.{name}` 引用它,或删除它",
                "use it as `param.{name}` in a rule, or delete it"
            )),
        );
    }
    warnings
}

/// For each pack, whether its rules' lints are known without linting them: a built-in pack
/// where no pack of the user's applies, beside packs of the user's. A rule's lints read the
/// rule, its fixtures and the packs and parameters in effect where its pack applies, so such a
/// rule lints as the built-in packs do alone, which is clean (`tests/rule_packs.rs` lints
/// them alone, and so does `rules lint` without packs). Linting them again was most of the time
/// of `rules lint` of a user's pack once the built-in packs came compiled.
fn linted_alone(set: &RuleSet) -> Vec<bool> {
    let users = || set.packs.iter().filter(|pack| !pack.builtin);
    if users().next().is_none() {
        return vec![false; set.packs.len()];
    }
    set.packs
        .iter()
        .map(|pack| {
            pack.builtin && !users().any(|user| user.jurisdiction.contains(&pack.jurisdiction))
        })
        .collect()
}

/// The fixtures of a pack's tests that do not load, each a warning where its test is, with the
/// reason `rules test` gives: otherwise a test whose only passing fixture is broken looked tested
/// to lint. The built-in packs' fixtures are tested by `cargo test` and not read again here.
fn unloadable_fixtures<'a>(
    set: &RuleSet,
    pack: usize,
    tests: impl Iterator<Item = &'a crate::rules::ir::RuleTest>,
    fixtures: &mut super::testing::FixtureCache,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(file) = set.packs.get(pack).map(|pack| &pack.file) else {
        return;
    };
    let Some(place @ super::testing::Fixtures::Dir(_)) = super::testing::fixtures_of(set, pack)
    else {
        return;
    };
    for test in tests {
        let Err(reason) = fixtures.load(pack, &place, &test.file) else {
            continue;
        };
        let (shown, why_zh, why_en) = (&test.file, &reason.zh, &reason.en);
        // The test's first line: a refinement's test span runs on to the next test.
        let span = file
            .text
            .get(test.span.clone())
            .and_then(|text| text.find('\n'))
            .map_or(test.span.clone(), |end| {
                test.span.start..test.span.start + end
            });
        warnings.push(
            Diagnostic::warning(
                "lint::fixture-does-not-load",
                file,
                span,
                tr!(
                    "测试文件 `{shown}` 无法加载,这个测试没有结果",
                    "test fixture `{shown}` does not load, so its test has no outcome"
                ),
                tr!("无法加载", "does not load"),
            )
            .with_help(tr!(
                "{why_zh};修正它,使 `yimi check` 能读取",
                "{why_en}; fix it so that `yimi check` reads it"
            )),
        );
    }
}

fn strength(
    rule: &Rule,
    file: &std::sync::Arc<crate::base::diagnostic::SourceFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    let reading = read(&rule.cite.quote);
    if reading.strength() == rule.strength || rule.strength_reason.is_some() {
        return;
    }
    let (written, read_as) = (rule.strength.as_str(), reading.strength().as_str());
    let (row_zh, row_en) = (reading.row.name.zh, reading.row.name.en);
    let (message, label) = match reading.word {
        Some(word) => (
            tr!(
                "强度 `{written}` 与引文措辞不符:「{word}」({row_zh})按解读表读作 `{read_as}`",
                "strength `{written}` does not match the quote's wording: `{word}` ({row_en}) reads as `{read_as}` in the reading table"
            ),
            Some((tr!("措辞「{word}」", "wording `{word}`"), word)),
        ),
        None => (
            tr!(
                "强度 `{written}` 与引文措辞不符:引文没有情态词,按解读表读作 `{read_as}`",
                "strength `{written}` does not match the quote's wording: it has no modal word, which reads as `{read_as}` in the reading table"
            ),
            None,
        ),
    };
    let mut warning = Diagnostic::warning(
        "lint::strength",
        file,
        rule.spans.strength.clone(),
        message,
        tr!("与措辞不符", "does not match the wording"),
    );
    if let Some((label, _)) = label {
        warning = warning.with_label(rule.spans.quote.clone(), label);
    }
    warnings.push(warning.with_help(tr!(
        "改为 `strength {read_as}`,或保留并说明理由:`strength {written} because \"…\" en \"…\"`(解读表见 rules/README.md)",
        "write `strength {read_as}`, or keep it and say why: `strength {written} because \"…\" en \"…\"` (the reading table is in rules/README.md)"
    )));
}

/// A rule's `advice` is what an official reads in the review opinion's 整改意见 column: what the
/// project must build, plan, consult on or document. Without it the column falls back to the
/// `hint`, the edit to the YAML file meant for the consultant; an advice that names a key of the
/// file is such an edit in the wrong place.
fn advice(
    rule: &Rule,
    file: &std::sync::Arc<crate::base::diagnostic::SourceFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    let id = &rule.id;
    let Some(advice) = &rule.advice else {
        warnings.push(
            Diagnostic::warning(
                "lint::advice",
                file,
                rule.spans.id.clone(),
                tr!(
                    "规则 `{id}` 没有整改意见(`advice`):审查意见书的「整改意见」一栏只能给出项目文件的改法",
                    "rule `{id}` has no `advice`: the review opinion's rectification column can only show the edit to the project file"
                ),
                tr!("没有 advice", "no advice"),
            )
            .with_help(tr!(
                "加上 `advice \"…\" en \"…\"`,说明项目要怎样做(建设、规划、征求意见或提交材料),如 `advice \"在小区内配建托育机构,使托位不少于 {{needed}}\"`;`hint` 留给咨询单位改项目文件(rules/README.md)",
                "add `advice \"…\" en \"…\"` saying what the project must do (build, plan, consult, document), e.g. `advice \"在小区内配建托育机构,使托位不少于 {{needed}}\" en \"provide childcare for at least {{needed}} in the estate\"`; the `hint` stays the consultant's edit to the file (rules/README.md)"
            )),
        );
        return;
    };
    let texts = [(advice.zh.as_slice(), true)]
        .into_iter()
        .chain(advice.en.as_deref().map(|en| (en, false)));
    let Some(key) = texts
        .flat_map(|(parts, chinese)| {
            parts.iter().filter_map(move |part| match part {
                crate::rules::ir::Part::Literal(text) => key_named_in(text, chinese),
                crate::rules::ir::Part::Expr(_) => None,
            })
        })
        .next()
    else {
        return;
    };
    let span = advice_field(file, &rule.span)
        .and_then(|field| {
            let text = file.text.get(field.clone())?;
            let at = text.find(key.as_str())?;
            Some(field.start + at..field.start + at + key.len())
        })
        .unwrap_or_else(|| rule.spans.id.clone());
    warnings.push(
        Diagnostic::warning(
            "lint::advice",
            file,
            span,
            tr!(
                "规则 `{id}` 的整改意见提到项目文件的键 `{key}`:它读起来像改 YAML 的说明,而不是对项目的意见",
                "the advice of rule `{id}` names the project file's key `{key}`: it reads as an edit to the YAML, not as advice about the project"
            ),
            tr!("项目文件的键", "a key of the project file"),
        )
        .with_help(tr!(
            "`advice` 说明项目要怎样做(如「在小区内配建托育机构」),官员在「整改意见」一栏读它;把项目文件的改法移到 `hint`",
            "say in `advice` what the project must do (e.g. \"provide a childcare centre in the estate\"), which an official reads in the rectification column; move the edit to the file to `hint`"
        )),
    );
}

/// A key of the project file that `text` names: a word with `_` or a dotted path
/// (`delivered_with_housing`, `site.area_m2`), or in Chinese text any top-level key of the file
/// (`participation`), which Chinese advice has no other reason to write in Latin letters.
fn key_named_in(text: &str, chinese: bool) -> Option<String> {
    let root = crate::project::types::project_type();
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|word| word.trim_matches('.'))
        .find(|word| {
            let identifier = word
                .split('.')
                // `e.g` is not a path: each part of one is a name of two letters or more.
                .all(|part| part.len() >= 2 && part.starts_with(|c: char| c.is_ascii_alphabetic()));
            identifier
                && (word.contains('_')
                    || word.contains('.')
                    || (chinese && root.field(word).is_some()))
        })
        .map(str::to_owned)
}

/// Where a rule's `advice` field is written: from its keyword to the end of the field (the next
/// line that starts another field).
fn advice_field(
    file: &crate::base::diagnostic::SourceFile,
    rule: &std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let text = file.text.get(rule.clone())?;
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        match start {
            None if trimmed.starts_with("advice ") || trimmed.starts_with("advice\t") => {
                start = Some(offset + (line.len() - trimmed.len()));
            }
            Some(begin) if !trimmed.starts_with("en ") && !trimmed.starts_with('"') => {
                return Some(rule.start + begin..rule.start + offset);
            }
            _ => {}
        }
        offset += line.len();
    }
    start.map(|begin| rule.start + begin..rule.end)
}

/// Words that name what a government sets up: a clause about them binds the plan or policy that
/// sets it up, so a rule citing one must say whom it binds.
pub(super) const GOVERNMENT_WORDS: &[&str] =
    &["机制", "制度", "体系", "保障标准", "服务水平", "统筹"];

/// Project kinds that set mechanisms up; every other kind is a project that builds or runs a place.
const GOVERNING_KINDS: &[&str] = &["plan", "policy"];

/// A rule must say whom a clause about a mechanism binds, and a rule for a clause addressed to
/// government must not apply to a project that builds or runs a place.
fn addressee(
    set: &RuleSet,
    index: usize,
    places: &mut PackPlaces<'_>,
    file: &std::sync::Arc<crate::base::diagnostic::SourceFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(rule) = set.rules.get(index) else {
        return;
    };
    let id = &rule.id;
    match rule.addressee {
        None => {
            let Some(word) = GOVERNMENT_WORDS
                .iter()
                .copied()
                .find(|word| rule.cite.quote.contains(word))
            else {
                return;
            };
            warnings.push(addressee_warning(
                file,
                rule.spans.id.clone(),
                Some((rule.spans.quote.clone(), word)),
                tr!(
                    "规则 `{id}` 引用的条文提到「{word}」,可能是对政府的要求,但规则没有写明约束对象",
                    "rule `{id}` cites a clause about a `{word}`, which may be addressed to government, but does not say whom it binds"
                ),
                tr!("未写明约束对象", "addressee not stated"),
                tr!(
                    "写 `addressee government`(规则只适用于设立该机制的规划或政策),或 `addressee project`(条文约束每个项目)",
                    "write `addressee government` (the rule then applies only to the plan or policy that sets it up) or `addressee project` (the clause binds each project)"
                ),
            ));
        }
        Some(Addressee::Government) => {
            let Some(&kind) = project_kinds_it_applies_to(set, index, places).0.first() else {
                return;
            };
            warnings.push(addressee_warning(
                file,
                rule.spans.addressee.clone(),
                None,
                tr!(
                    "规则 `{id}` 的条文约束政府,却可能适用于 `{kind}` 项目",
                    "rule `{id}` cites a clause addressed to government, yet it may apply to a `{kind}` project"
                ),
                tr!("约束政府", "addressed to government"),
                tr!(
                    "对政府的要求约束设立机制的规划或政策,不约束每个项目:在 `applies` 中限定 `project.kind in [plan, policy]`",
                    "a clause addressed to government binds the plan or policy that sets the mechanism up, not each project: limit `applies` to `project.kind in [plan, policy]`"
                ),
            ));
        }
        Some(Addressee::Project) => {
            // A mechanism binds whoever sets it up: a project that runs a kind of place may set
            // up its own (a school's parents' committee), but a rule that may apply to a project
            // of every kind reads a government's mechanism as a duty of each project.
            let word = "机制";
            if !rule.cite.quote.contains(word) {
                return;
            }
            let (may_apply, of) = project_kinds_it_applies_to(set, index, places);
            if of == 0 || may_apply.len() < of {
                return;
            }
            warnings.push(addressee_warning(
                file,
                rule.spans.addressee.clone(),
                Some((rule.spans.quote.clone(), word)),
                tr!(
                    "规则 `{id}` 引用的条文是关于「{word}」的,通常约束设立它的政府,但规则写明约束每个项目,且可能适用于任何类型的项目",
                    "rule `{id}` cites a clause about a `{word}`, which usually binds the government that sets it up, yet it says it binds each project and may apply to a project of any kind"
                ),
                tr!("约束每个项目", "binds each project"),
                tr!(
                    "写 `addressee government` 并在 `applies` 中限定 `project.kind in [plan, policy]`;若确由某类场所自行设立该机制,在 `applies` 中限定这类项目(如 `project.kind in [school]`)",
                    "write `addressee government` and limit `applies` to `project.kind in [plan, policy]`; if a kind of place sets the mechanism up itself, limit `applies` to that kind (e.g. `project.kind in [school]`)"
                ),
            ));
        }
    }
}

/// A `lint::addressee` warning at `span`, labelled `label`; when the word of the quote that
/// raised it is given, the quote is labelled with that word too.
fn addressee_warning(
    file: &std::sync::Arc<crate::base::diagnostic::SourceFile>,
    span: Span,
    quoted: Option<(Span, &str)>,
    message: Text,
    label: Text,
    help: Text,
) -> Diagnostic {
    let warning = Diagnostic::warning("lint::addressee", file, span, message, label);
    let warning = match quoted {
        Some((quote, word)) => warning.with_label(quote, tr!("「{word}」", "`{word}`")),
        None => warning,
    };
    warning.with_help(help)
}

/// The kinds of project that build or run a place for which the rule is not certainly
/// inapplicable, judged on a file that states only its kind, and how many such kinds there are
/// (0 when the rule cannot be probed).
fn project_kinds_it_applies_to(
    set: &RuleSet,
    index: usize,
    places: &mut PackPlaces<'_>,
) -> (Vec<&'static str>, usize) {
    probe_kinds(set, index, places).unwrap_or_default()
}

fn probe_kinds(
    set: &RuleSet,
    index: usize,
    places: &mut PackPlaces<'_>,
) -> Option<(Vec<&'static str>, usize)> {
    let rule = set.rules.get(index)?;
    if !matches!(*rule.check, Check::Criterion(_)) {
        return None;
    }
    let jurisdiction = set.packs.get(rule.pack)?.jurisdiction.to_string();
    let prepared = places.prepared(rule.pack)?;
    let crate::project::types::Ty::Enum(kinds) = &crate::project::types::project_type()
        .field("project")
        .and_then(|(_, field)| match &field.ty {
            crate::project::types::Ty::Record(record) => record.field("kind"),
            _ => None,
        })?
        .1
        .ty
    else {
        return None;
    };
    let building: Vec<&'static str> = kinds
        .variants
        .iter()
        .map(|variant| variant.name.as_str())
        .filter(|kind| !GOVERNING_KINDS.contains(kind))
        .collect();
    let of = building.len();
    let may_apply = building
        .into_iter()
        .filter(|kind| {
            let yaml = format!(
                "yimi: 1\nproject: {{id: lint, name: lint, kind: {kind}, jurisdiction: {jurisdiction}}}\n"
            );
            let Ok(probe) = crate::project::load_bytes("lint.yaml", yaml.as_bytes(), Default::default())
            else {
                return false;
            };
            crate::engine::assess_rule(set, &probe, prepared, crate::engine::Options::default(), index)
                .is_some_and(|result| result.outcome != Outcome::NotApplicable)
        })
        .collect();
    Some((may_apply, of))
}

fn tests(
    set: &RuleSet,
    index: usize,
    places: &mut PackPlaces<'_>,
    fixtures: &mut super::testing::FixtureCache,
    file: &std::sync::Arc<crate::base::diagnostic::SourceFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(rule) = set.rules.get(index) else {
        return;
    };
    let Some(missing) = without_pass_or_fail(rule.tests.iter().map(|test| test.expect)) else {
        undecided_untested(set, index, places, fixtures, file, warnings);
        return;
    };
    let id = &rule.id;
    warnings.push(
        Diagnostic::warning(
            "lint::untested",
            file,
            rule.spans.id.clone(),
            tr!("规则 `{id}` 缺少 {missing} 测试", "rule `{id}` has no {missing} test"),
            tr!("缺少测试", "missing tests"),
        )
        .with_help(tr!(
            "每条规则至少要有一个通过和一个不通过的测试:`test pass \"…yaml\"`、`test fail \"…yaml\"`",
            "give every rule at least one passing and one failing test: `test pass \"…yaml\"`, `test fail \"…yaml\"`"
        )),
    );
}

/// A refinement needs a passing and a failing test, like a rule, and one of its failing fixtures
/// must pass under the value the refinement replaces: a fixture that fails either way does not
/// show that the refinement changes anything.
fn refinement_tests(
    set: &RuleSet,
    param_index: usize,
    refinement_index: usize,
    places: &mut PackPlaces<'_>,
    fixtures: &mut super::testing::FixtureCache,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(param) = set.params.get(param_index) else {
        return;
    };
    let Some(refinement) = param.refinements.get(refinement_index) else {
        return;
    };
    let Some(pack) = set.packs.get(refinement.pack) else {
        return;
    };
    let name = &param.name;
    let mut warn = |message, label, help| {
        warnings.push(
            Diagnostic::warning(
                "lint::untested",
                &pack.file,
                refinement.span.clone(),
                message,
                label,
            )
            .with_help(help),
        );
    };
    let (wanted_zh, wanted_en) = outcome_wanted_at_the_wider_value(set, param_index);
    if let Some(missing) =
        without_pass_or_fail(refinement.tests.iter().map(|test| test.test.expect))
    {
        warn(
            tr!(
                "对 `{name}` 的收紧缺少 {missing} 测试",
                "the refinement of `{name}` has no {missing} test"
            ),
            tr!("缺少测试", "missing tests"),
            tr!(
                "每个收紧至少要有一个通过和一个不通过的测试;不通过的测试文件应在上级取值下{wanted_zh}、在收紧后的取值下不通过:`test fail \"…yaml\"`",
                "give every refinement at least one passing and one failing test; the failing fixture should {wanted_en} at the wider value and fail at the refined one: `test fail \"…yaml\"`"
            ),
        );
        return;
    }
    let Some(place) = super::testing::fixtures_of(set, refinement.pack) else {
        return;
    };
    let Some(prepared) = places.prepared(refinement.pack) else {
        return;
    };
    // The values in effect without this pack: what the refinement replaces.
    let wider_packs: Vec<usize> = prepared
        .packs
        .iter()
        .copied()
        .filter(|&other| other != refinement.pack)
        .collect();
    let Some(&wider_value) = crate::engine::parameter_values(set, &wider_packs).get(param_index)
    else {
        return;
    };
    let mut without = prepared.clone();
    if let Some(value) = without.params.get_mut(param_index) {
        *value = wider_value;
    }
    let shows_the_change = refinement
        .tests
        .iter()
        .filter(|test| test.test.expect == Outcome::Fail)
        .any(|test| {
            let Some(index) = set.rules.iter().position(|rule| rule.id == test.rule) else {
                return true;
            };
            let Ok(project) = fixtures.load(refinement.pack, &place, &test.test.file) else {
                // A fixture that does not load fails its test; that is said there.
                return true;
            };
            crate::engine::assess_rule(
                set,
                &project,
                &without,
                crate::engine::Options::default(),
                index,
            )
            .is_none_or(|result| result.outcome != Outcome::Fail)
        });
    if shows_the_change {
        return;
    }
    let (wider_zh, wider_en) = (
        units::format_quantity(wider_value, param.dim, param.unit, true),
        units::format_quantity(wider_value, param.dim, param.unit, false),
    );
    warn(
        tr!(
            "对 `{name}` 的收紧的不通过测试在上级取值 {wider_zh} 下同样不通过,没有一个测试表明收紧起了作用",
            "every failing test of the refinement of `{name}` fails at the wider value of {wider_en} too, so none shows what the refinement changes"
        ),
        tr!("收紧未经测试", "refinement not shown"),
        tr!(
            "加一个介于两个取值之间的测试文件:上级取值下{wanted_zh},收紧后不通过(`test fail \"…yaml\"`)",
            "add a fixture between the two values, which should {wanted_en} at the wider value and fail at the refined one (`test fail \"…yaml\"`)"
        ),
    );
}

/// What a fixture between the two values gets at the wider value, by where the rules read the
/// parameter: a parameter in `applies` or `unless` makes the rule not apply there, one in
/// `require` makes it pass.
fn outcome_wanted_at_the_wider_value(
    set: &RuleSet,
    param_index: usize,
) -> (&'static str, &'static str) {
    let (mut in_applicability, mut in_requirement) = (false, false);
    for rule in &set.rules {
        let Check::Criterion(criterion) = &*rule.check else {
            continue;
        };
        let reads = |exprs: &mut dyn Iterator<Item = &crate::rules::ir::Expr>| {
            let mut found = false;
            for expr in exprs {
                expr.visit_params(&mut |index| found |= index == param_index);
            }
            found
        };
        in_applicability |= reads(&mut criterion.applies.iter().chain(&criterion.unless));
        in_requirement |= reads(
            &mut criterion
                .require
                .iter()
                .chain(criterion.lets.iter().map(|(_, expr)| expr)),
        );
    }
    match (in_applicability, in_requirement) {
        (true, false) => ("不适用", "not apply"),
        (false, true) => ("通过", "pass"),
        _ => ("通过或不适用", "pass or not apply"),
    }
}

/// `pass`, `fail` or `pass, fail`: the outcomes no test expects of the two every rule and
/// refinement needs, if any.
fn without_pass_or_fail(expected: impl Iterator<Item = Outcome> + Clone) -> Option<String> {
    let missing: Vec<&str> = [(Outcome::Pass, "pass"), (Outcome::Fail, "fail")]
        .into_iter()
        .filter(|(outcome, _)| !expected.clone().any(|expect| expect == *outcome))
        .map(|(_, name)| name)
        .collect();
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// A rule that can be left undecided needs a test that it asks for the right fields.
fn undecided_untested(
    set: &RuleSet,
    index: usize,
    places: &mut PackPlaces<'_>,
    fixtures: &mut super::testing::FixtureCache,
    file: &std::sync::Arc<crate::base::diagnostic::SourceFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(rule) = set.rules.get(index) else {
        return;
    };
    if rule
        .tests
        .iter()
        .any(|test| test.expect == Outcome::InsufficientEvidence)
    {
        return;
    }
    // A target that some plans must state is undecided for a plan that does not say which it is.
    let bound_target = matches!(&*rule.check, Check::Target(target) if target.applies.is_some());
    let path = if bound_target {
        "targets".to_owned()
    } else {
        let Some(place) = super::testing::fixtures_of(set, rule.pack) else {
            return;
        };
        let Some(prepared) = places.prepared(rule.pack) else {
            return;
        };
        let pack = rule.pack;
        let mut load = |file: &str| fixtures.load(pack, &place, file);
        let Some(path) = super::testing::undecided_without(set, index, prepared, &mut load) else {
            return;
        };
        path
    };
    let id = &rule.id;
    warnings.push(
        Diagnostic::warning(
            "lint::untested",
            file,
            rule.spans.id.clone(),
            tr!(
                "规则 `{id}` 缺少 insufficient_evidence 测试:缺少 `{path}` 时无法判定",
                "rule `{id}` has no insufficient_evidence test, though it is undecided without `{path}`"
            ),
            tr!("缺少测试", "missing test"),
        )
        .with_help(tr!(
            "加一个缺少该字段的测试文件:`test insufficient_evidence \"…yaml\" missing [{path}]`",
            "add a fixture without it: `test insufficient_evidence \"…yaml\" missing [{path}]`"
        )),
    );
}

#[cfg(test)]
mod tests {

    /// Lints a pack of `rules` rules, each with a passing and a failing fixture and undecided
    /// without `site`; how many rules it evaluated.
    fn evaluations_to_lint(rules: usize) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let mut pack = String::from(
            "pack local-many {\n  source shanghai-2023\n  jurisdiction CN/SH/Huangpu\n  version \"1\"\n}\n",
        );
        for i in 0..rules {
            pack.push_str(&format!(
                "rule LOCAL-{i} \"公园绿地设置儿童活动场地\" {{\n  domain space\n  strength should\n  cite shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require site.area_m2 >= {} m2\n  test pass \"pass.yaml\"\n  test fail \"fail.yaml\"\n}}\n",
                3000 + i
            ));
        }
        let project = |area: u32| {
            format!(
                "yimi: 1\nproject: {{id: P-1, name: 公园, kind: park, jurisdiction: CN/SH/Huangpu}}\nsite: {{area_m2: {area}}}\n"
            )
        };
        std::fs::write(dir.path().join("many.yimi"), pack).unwrap();
        std::fs::write(dir.path().join("pass.yaml"), project(100_000)).unwrap();
        std::fs::write(dir.path().join("fail.yaml"), project(100)).unwrap();
        let options = crate::rules::load::RuleOptions {
            no_builtin: true,
            paths: vec![dir.path().join("many.yimi")],
            ..Default::default()
        };
        let before = crate::engine::assessment::RULE_EVALUATIONS.with(std::cell::Cell::get);
        let loaded = super::load_linted(&options).unwrap();
        let after = crate::engine::assessment::RULE_EVALUATIONS.with(std::cell::Cell::get);
        // Every rule gets the warning the probes are for.
        let untested = loaded
            .warnings
            .iter()
            .filter(|warning| warning.message.en.contains("undecided without `site`"))
            .count();
        assert_eq!(untested, rules);
        after - before
    }

    /// Each probe evaluates the rule under test only: linting grows with the number of rules.
    /// (Assessing every rule for each probe made 5 000 rules take 7.5 s and 20 000 take 117 s.)
    #[test]
    fn linting_evaluates_each_probe_s_rule_only() {
        let (small, large) = (evaluations_to_lint(20), evaluations_to_lint(40));
        assert_eq!(large, 2 * small, "not linear: {small} then {large}");
        // A few probes a rule (one per stated value until one leaves the rule undecided).
        assert!(small <= 20 * 10, "{small} evaluations for 20 rules");
    }
}
