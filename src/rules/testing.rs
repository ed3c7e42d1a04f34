//! Running the tests written beside rules: each names a project fixture and the outcome the
//! rule must give on it (and, for missing evidence, exactly which fields it must ask for).

use std::path::{Path, PathBuf};

use super::ir::{Rule, RuleSet};
use crate::batch::{self, BatchOptions, Checked};
use crate::engine::Outcome;
use crate::i18n::Text;
use crate::project::{self, LoadLimits};
use crate::tr;

/// The result of one test.
#[derive(Debug)]
pub struct TestRun {
    /// The rule's id.
    pub rule: String,
    /// The expected outcome.
    pub expect: Outcome,
    /// The fixture as written in the rule.
    pub fixture: String,
    /// `None` when the test passed; otherwise what went wrong.
    pub failure: Option<Text>,
}

/// Runs every test of every rule; `base` maps a rule's pack to the directory its fixtures are
/// relative to (`None` skips the pack, e.g. embedded packs without their repository).
pub fn run_all(set: &RuleSet, base: impl Fn(usize) -> Option<PathBuf>) -> Vec<TestRun> {
    let mut runs = Vec::new();
    for rule in &set.rules {
        let Some(dir) = base(rule.pack) else { continue };
        for test in &rule.tests {
            runs.push(run_one(set, rule, &dir.join(&test.file), test));
        }
    }
    runs
}

fn run_one(set: &RuleSet, rule: &Rule, path: &Path, test: &super::ir::RuleTest) -> TestRun {
    let failure = check_one(set, rule, path, test);
    TestRun {
        rule: rule.id.clone(),
        expect: test.expect,
        fixture: test.file.clone(),
        failure,
    }
}

fn check_one(set: &RuleSet, rule: &Rule, path: &Path, test: &super::ir::RuleTest) -> Option<Text> {
    let project = match project::load_path(path, LoadLimits::default()) {
        Ok(project) => project,
        Err(errors) => {
            let first = errors
                .first()
                .map(|e| e.message.en.clone())
                .unwrap_or_default();
            return Some(tr!(
                "测试文件无法加载:{first}",
                "the fixture does not load: {first}"
            ));
        }
    };
    // The rule is tested wherever its pack applies, whatever the fixture says.
    let jurisdiction = set
        .packs
        .get(rule.pack)
        .map(|pack| pack.jurisdiction.clone());
    let options = BatchOptions {
        jurisdiction,
        ..BatchOptions::default()
    };
    let assessment = match batch::assess(project, set, &options) {
        Checked::Assessed { assessment, .. } => assessment,
        Checked::Invalid(errors) => {
            let first = errors
                .first()
                .map(|e| e.message.en.clone())
                .unwrap_or_default();
            return Some(tr!(
                "测试文件无法评价:{first}",
                "the fixture cannot be assessed: {first}"
            ));
        }
    };
    let index = set
        .rules
        .iter()
        .position(|candidate| candidate.id == rule.id)?;
    let Some(result) = assessment
        .results
        .iter()
        .find(|result| result.rule == index)
    else {
        return Some(tr!("规则没有运行", "the rule did not run"));
    };
    if result.outcome != test.expect {
        let (expected, got) = (test.expect.as_str(), result.outcome.as_str());
        let missing: Vec<String> = result.missing.iter().map(|m| m.path.to_string()).collect();
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
        let mut named: Vec<String> = result.missing.iter().map(|m| m.path.to_string()).collect();
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
