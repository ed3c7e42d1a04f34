//! Grading: how serious a result is (strength × outcome) and the screening verdict of a project.

use crate::base::i18n::Text;
use crate::rules::ir::Strength;
use crate::rules::outcome::Outcome;

/// How serious a finding is: strength × outcome.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// For information (an optional rule not decided).
    Advice,
    /// Should be addressed.
    Warning,
    /// Must be addressed before the decision.
    Error,
}

impl Level {
    /// In words.
    pub fn label(self) -> Text {
        match self {
            Level::Error => Text::new("错误", "error"),
            Level::Warning => Text::new("警告", "warning"),
            Level::Advice => Text::new("建议", "advice"),
        }
    }

    /// As written in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Advice => "advice",
        }
    }
}

/// The screening verdict for a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 通过: nothing found.
    Pass,
    /// 通过,附建议: only warnings and advice.
    PassWithAdvice,
    /// 需补充材料: evidence is missing for a `shall` rule.
    Incomplete,
    /// 需修改: a `shall` rule fails.
    Fail,
}

impl Verdict {
    /// In words, as an official writes it.
    pub fn label(self) -> Text {
        match self {
            Verdict::Pass => Text::new("通过", "pass"),
            Verdict::PassWithAdvice => Text::new("通过,附建议", "pass with advice"),
            Verdict::Incomplete => Text::new("需补充材料", "incomplete: evidence needed"),
            Verdict::Fail => Text::new("需修改", "fail: changes needed"),
        }
    }

    /// As written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::PassWithAdvice => "pass_with_advice",
            Verdict::Incomplete => "incomplete",
            Verdict::Fail => "fail",
        }
    }
}

pub fn level(strength: Strength, outcome: Outcome, strict_evidence: bool) -> Option<Level> {
    match (outcome, strength) {
        (Outcome::Fail, Strength::Shall) => Some(Level::Error),
        (Outcome::Fail, Strength::Should) => Some(Level::Warning),
        (Outcome::Fail, Strength::May) => Some(Level::Advice),
        (Outcome::InsufficientEvidence, Strength::Shall) => Some(if strict_evidence {
            Level::Error
        } else {
            Level::Warning
        }),
        (Outcome::InsufficientEvidence, _) => Some(Level::Advice),
        (Outcome::Pass | Outcome::NotApplicable | Outcome::Waived, _) => None,
    }
}

/// The verdict from each result's rule strength, outcome and level, and the levels of findings
/// about the file as a whole.
pub fn verdict(
    results: impl Iterator<Item = (Option<Strength>, Outcome, Option<Level>)> + Clone,
    file_levels: impl Iterator<Item = Level>,
) -> Verdict {
    let worst_file_level = file_levels.max();
    let failed_shall = results.clone().any(|(strength, outcome, _)| {
        outcome == Outcome::Fail && strength == Some(Strength::Shall)
    });
    if failed_shall || worst_file_level == Some(Level::Error) {
        return Verdict::Fail;
    }
    if results.clone().any(|(strength, outcome, _)| {
        outcome == Outcome::InsufficientEvidence && strength == Some(Strength::Shall)
    }) {
        return Verdict::Incomplete;
    }
    if results.clone().any(|(_, _, level)| level.is_some()) || worst_file_level.is_some() {
        return Verdict::PassWithAdvice;
    }
    Verdict::Pass
}
