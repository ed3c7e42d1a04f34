//! Running the tests written beside rules: each names a project fixture and the outcome the
//! rule must give on it (and, for missing evidence, exactly which fields it must ask for).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::base::i18n::Text;
use crate::engine::{self, Outcome, Prepared};
use crate::project::{self, LoadLimits};
use crate::rules::ir::{RefinementTest, Rule, RuleSet};
use crate::tr;

/// The result of one test.
#[derive(Debug)]
pub struct TestRun {
    /// The rule's id.
    pub rule: String,
    /// The parameter, when the test is a refinement's (the rule is then evaluated with the
    /// refinement in effect).
    pub refines: Option<String>,
    /// Where the test is written: `pack.yimi:LINE:COLUMN`.
    pub at: String,
    /// The expected outcome.
    pub expect: Outcome,
    /// The fixture as written in the rule.
    pub fixture: String,
    /// `None` when the test passed; otherwise what went wrong.
    pub failure: Option<Text>,
}

/// Where a pack's fixtures are.
#[derive(Clone, Debug)]
pub enum Fixtures {
    /// In this directory (the pack file's).
    Dir(PathBuf),
    /// Embedded in the binary (the built-in packs).
    Embedded,
}

/// Runs every test of every rule; `fixtures` says where a pack's fixtures are (`None` skips it).
/// Each test evaluates its own rule only, so the time grows with the number of tests, not with
/// the tests times the rules.
pub fn run_all(set: &RuleSet, fixtures: impl Fn(usize) -> Option<Fixtures>) -> Vec<TestRun> {
    let mut runs = Vec::new();
    let mut places = PackPlaces::new(set);
    for (index, rule) in set.rules.iter().enumerate() {
        let Some(place) = fixtures(rule.pack) else {
            continue;
        };
        let prepared = places.prepared(rule.pack);
        for test in &rule.tests {
            runs.push(run_one(set, index, prepared, &place, rule.pack, test));
        }
    }
    // A refinement's tests evaluate their rule in the refining pack's jurisdiction, where the
    // refinement is in effect, as `yimi check` evaluates a project there.
    for param in &set.params {
        for refinement in &param.refinements {
            let Some(place) = fixtures(refinement.pack) else {
                continue;
            };
            let prepared = places.prepared(refinement.pack);
            for RefinementTest { rule, test } in &refinement.tests {
                let index = set.rules.iter().position(|candidate| &candidate.id == rule);
                let mut run = match index {
                    Some(index) => run_one(set, index, prepared, &place, refinement.pack, test),
                    None => TestRun {
                        rule: rule.clone(),
                        refines: None,
                        at: location(set, refinement.pack, &test.span),
                        expect: test.expect,
                        fixture: test.file.clone(),
                        failure: Some(tr!("规则没有运行", "the rule did not run")),
                    },
                };
                run.refines = Some(param.name.clone());
                runs.push(run);
            }
        }
    }
    runs
}

/// `pack.yimi:LINE:COLUMN` of a span in a pack's file.
fn location(set: &RuleSet, pack: usize, span: &std::ops::Range<usize>) -> String {
    let Some(pack) = set.packs.get(pack) else {
        return String::new();
    };
    let (line, column) = pack.file.line_col(span.start);
    format!("{}:{line}:{column}", pack.file.name)
}

/// For each pack, the packs and parameters in effect in its own jurisdiction — where its rules
/// are tested, whatever a fixture says — prepared once, when first asked for.
#[derive(Debug)]
pub struct PackPlaces<'s> {
    set: &'s RuleSet,
    prepared: Vec<Option<Option<Prepared>>>,
}

impl<'s> PackPlaces<'s> {
    /// Nothing prepared yet.
    pub fn new(set: &'s RuleSet) -> Self {
        PackPlaces {
            set,
            prepared: (0..set.packs.len()).map(|_| None).collect(),
        }
    }

    /// The jurisdiction of `pack` prepared; `None` when no pack applies there (a pack always
    /// applies in its own jurisdiction, so only for a pack that does not exist).
    pub fn prepared(&mut self, pack: usize) -> Option<&Prepared> {
        let set = self.set;
        let slot = self.prepared.get_mut(pack)?;
        slot.get_or_insert_with(|| {
            let jurisdiction = set.packs.get(pack)?.jurisdiction.clone();
            engine::prepare(set, jurisdiction).ok()
        })
        .as_ref()
    }
}

/// The fixtures of the built-in packs come from the binary; those of packs from files, from beside them.
pub fn fixtures_of(set: &RuleSet, pack: usize) -> Option<Fixtures> {
    let pack = set.packs.get(pack)?;
    if pack.builtin {
        return Some(Fixtures::Embedded);
    }
    Path::new(&pack.file.name)
        .parent()
        .map(|dir| Fixtures::Dir(dir.to_path_buf()))
}

/// Loads a fixture.
pub fn load_fixture(place: &Fixtures, file: &str) -> Result<crate::project::Project, Text> {
    let loaded = match place {
        // The checker refused any other fixture; refused again here, so no caller reads one.
        Fixtures::Dir(dir) => match crate::rules::check::fixture_path(dir, file) {
            Ok(path) => project::load_path(&path, LoadLimits::default()),
            Err((_, message, _, _)) => return Err(message),
        },
        Fixtures::Embedded => match crate::rules::builtin::builtin_fixture(file) {
            Some(text) => project::load_bytes(file, text.as_bytes(), LoadLimits::default()),
            None => {
                return Err(tr!(
                    "测试文件 `{file}` 没有内置",
                    "fixture `{file}` is not embedded"
                ));
            }
        },
    };
    loaded.map_err(|errors| {
        let first = errors
            .first()
            .map(|e| e.message.en.clone())
            .unwrap_or_default();
        tr!(
            "测试文件无法加载:{first}",
            "the fixture does not load: {first}"
        )
    })
}

/// Fixtures loaded by the lints, by pack and name: each lint of a rule reads its fixtures, and a
/// pack's rules often share theirs (20 000 rules sharing two fixtures read them 80 000 times;
/// #12). A few are kept, small ones only, so memory does not grow with the fixtures a pack names.
#[derive(Debug, Default)]
pub struct FixtureCache {
    loaded: HashMap<(usize, String), Result<crate::project::Project, Text>>,
    bytes: usize,
}

/// The most fixtures a [`FixtureCache`] keeps, and the most bytes of their files.
const CACHED_FIXTURES: usize = 16;
const CACHED_FIXTURE_BYTES: usize = 4 << 20;

impl FixtureCache {
    /// Fixture `file` of the pack at `pack`, whose fixtures are at `place`.
    pub fn load(
        &mut self,
        pack: usize,
        place: &Fixtures,
        file: &str,
    ) -> Result<crate::project::Project, Text> {
        let key = (pack, file.to_owned());
        if let Some(found) = self.loaded.get(&key) {
            return found.clone();
        }
        let loaded = load_fixture(place, file);
        let bytes = loaded.as_ref().map_or(0, |project| project.file.text.len());
        if self.loaded.len() >= CACHED_FIXTURES || self.bytes + bytes > CACHED_FIXTURE_BYTES {
            self.loaded.clear();
            self.bytes = 0;
        }
        if bytes <= CACHED_FIXTURE_BYTES {
            self.bytes += bytes;
            self.loaded.insert(key, loaded.clone());
        }
        loaded
    }
}

/// The result the rule gives on a fixture (checked as if in the rule's pack's jurisdiction).
pub fn evaluate(
    set: &RuleSet,
    rule: &Rule,
    place: &Fixtures,
    file: &str,
) -> Result<crate::engine::RuleResult, Text> {
    evaluate_in(set, rule, rule.pack, place, file)
}

/// The result the rule gives on a fixture checked as if in the jurisdiction of `pack` (a
/// refining pack, for a refinement's fixture: the refinement is then in effect).
pub fn evaluate_in(
    set: &RuleSet,
    rule: &Rule,
    pack: usize,
    place: &Fixtures,
    file: &str,
) -> Result<crate::engine::RuleResult, Text> {
    let project = load_fixture(place, file)?;
    let index = set
        .rules
        .iter()
        .position(|candidate| candidate.id == rule.id)
        .ok_or_else(|| tr!("规则没有运行", "the rule did not run"))?;
    let mut places = PackPlaces::new(set);
    let prepared = places.prepared(pack);
    result_on(set, index, prepared, &project)
}

/// The result of the rule at `index` on a loaded fixture, in `prepared`'s jurisdiction.
fn result_on(
    set: &RuleSet,
    index: usize,
    prepared: Option<&Prepared>,
    project: &crate::project::Project,
) -> Result<crate::engine::RuleResult, Text> {
    let prepared = prepared.ok_or_else(|| {
        tr!(
            "测试文件无法评价:没有适用的规则包",
            "the fixture cannot be assessed: no pack applies"
        )
    })?;
    engine::assess_rule(set, project, prepared, engine::Options::default(), index)
        .ok_or_else(|| tr!("规则没有运行", "the rule did not run"))
}

fn run_one(
    set: &RuleSet,
    index: usize,
    prepared: Option<&Prepared>,
    place: &Fixtures,
    written_in: usize,
    test: &crate::rules::ir::RuleTest,
) -> TestRun {
    let failure = check_one(set, index, prepared, place, test);
    TestRun {
        rule: set
            .rules
            .get(index)
            .map(|rule| rule.id.clone())
            .unwrap_or_default(),
        refines: None,
        at: location(set, written_in, &test.span),
        expect: test.expect,
        fixture: test.file.clone(),
        failure,
    }
}

fn check_one(
    set: &RuleSet,
    index: usize,
    prepared: Option<&Prepared>,
    place: &Fixtures,
    test: &crate::rules::ir::RuleTest,
) -> Option<Text> {
    let project = match load_fixture(place, &test.file) {
        Ok(project) => project,
        Err(failure) => return Some(failure),
    };
    // The rule is tested wherever its pack applies, whatever the fixture says.
    let result = match result_on(set, index, prepared, &project) {
        Ok(result) => result,
        Err(failure) => return Some(failure),
    };
    if result.outcome != test.expect {
        let (expected, got) = (test.expect.as_str(), result.outcome.as_str());
        let missing: Vec<String> = result
            .missing
            .iter()
            .filter(|m| !m.alternative)
            .map(|m| m.path.to_string())
            .collect();
        let missing = if missing.is_empty() {
            String::new()
        } else {
            format!(" [{}]", missing.join(", "))
        };
        return Some(tr!(
            "应为 {expected},实际为 {got}{missing}",
            "expected {expected}, got {got}{missing}"
        ));
    }
    if test.expect == Outcome::InsufficientEvidence {
        // The keys the file is silent on; an element a stated list lacks, named beside them as
        // another way to meet the rule, is not a key left out.
        let mut named: Vec<String> = result
            .missing
            .iter()
            .filter(|m| !m.alternative)
            .map(|m| m.path.to_string())
            .collect();
        let mut expected = test.missing.clone();
        named.sort();
        expected.sort();
        if named != expected {
            let (named, expected) = (named.join(", "), expected.join(", "));
            return Some(tr!(
                "缺少的字段应为 [{expected}],实际为 [{named}]",
                "expected missing [{expected}], got [{named}]"
            ));
        }
    }
    None
}

/// A value of a fixture whose absence leaves the rule at `index` undecided, if there is one: the
/// probe behind the lint that asks for an `insufficient_evidence` test. Each stated value of the
/// rule's passing and failing fixtures is removed in turn and the rule — only it — evaluated
/// again in `prepared` (its pack's jurisdiction), so linting grows with the rules, not with their
/// square.
pub fn undecided_without(
    set: &RuleSet,
    index: usize,
    prepared: &Prepared,
    load: &mut dyn FnMut(&str) -> Result<crate::project::Project, Text>,
) -> Option<String> {
    let rule = set.rules.get(index)?;
    for test in rule
        .tests
        .iter()
        .filter(|test| matches!(test.expect, Outcome::Pass | Outcome::Fail))
    {
        let Ok(project) = load(&test.file) else {
            continue;
        };
        let mut slots = Vec::new();
        stated_slots(
            &project.data,
            crate::project::types::project_type(),
            &mut Vec::new(),
            String::new(),
            &mut slots,
        );
        for (steps, shown) in slots {
            let mut probe = project.clone();
            if !remove(&mut probe.data, &steps) {
                continue;
            }
            if engine::assess_rule(set, &probe, prepared, engine::Options::default(), index)
                .is_some_and(|result| result.outcome == Outcome::InsufficientEvidence)
            {
                return Some(shown);
            }
        }
    }
    None
}

/// A step down the data: a record's field, or a list's item.
#[derive(Clone, Copy)]
enum Step {
    Field(usize),
    Item(usize),
}

/// Every stated optional value under `slots`, with its path as written in a file.
fn stated_slots(
    slots: &[Option<crate::project::Data>],
    record: &crate::project::types::RecordTy,
    steps: &mut Vec<Step>,
    shown: String,
    out: &mut Vec<(Vec<Step>, String)>,
) {
    use crate::project::Data;
    use crate::project::types::Ty;
    for (position, (slot, field)) in slots.iter().zip(&record.fields).enumerate() {
        let Some(value) = slot else {
            continue;
        };
        let name = if shown.is_empty() {
            field.name.clone()
        } else {
            format!("{shown}.{}", field.name)
        };
        steps.push(Step::Field(position));
        if !field.required {
            out.push((steps.clone(), name.clone()));
        }
        match (value, &field.ty) {
            (Data::Record(inner), Ty::Record(ty)) => stated_slots(inner, ty, steps, name, out),
            (Data::List(items), Ty::List(item_ty)) => {
                if let Ty::Record(ty) = item_ty.as_ref() {
                    for (item, data) in items.iter().enumerate() {
                        if let Data::Record(inner) = data {
                            steps.push(Step::Item(item));
                            stated_slots(inner, ty, steps, format!("{name}[{item}]"), out);
                            steps.pop();
                        }
                    }
                }
            }
            _ => {}
        }
        steps.pop();
    }
}

/// Clears the value at `steps`; whether there was one.
fn remove(slots: &mut [Option<crate::project::Data>], steps: &[Step]) -> bool {
    use crate::project::Data;
    let Some((Step::Field(first), rest)) = steps.split_first() else {
        return false;
    };
    let Some(slot) = slots.get_mut(*first) else {
        return false;
    };
    if rest.is_empty() {
        return slot.take().is_some();
    }
    match (slot.as_mut(), rest) {
        (Some(Data::Record(inner)), _) => remove(inner, rest),
        (Some(Data::List(items)), [Step::Item(item), deeper @ ..]) => match items.get_mut(*item) {
            Some(Data::Record(inner)) => remove(inner, deeper),
            _ => false,
        },
        _ => false,
    }
}
