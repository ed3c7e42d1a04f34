//! Grading: how serious a result is (strength × outcome) and the screening verdict of a project.

use crate::base::i18n::Text;
use crate::rules::ir::Strength;
use crate::rules::outcome::Outcome;

/// How serious a finding is: strength × outcome.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    clap::ValueEnum,
    schemars::JsonSchema,
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
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 通过: nothing found.
    Pass,
    /// 通过,附建议: only warnings and advice.
    PassWithAdvice,
    /// 需补充材料: evidence is missing for a `shall` rule, or no rule that applies was decided
    /// while some could not be.
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

/// What a verdict rests on: of the rules that apply, how many were decided (passed or failed),
/// how many held only because there was nothing to check (an empty list, a requirement scaled
/// by a stated 0: `engine::vacuity`), and how many could not be decided for lack of evidence.
/// SPEC §2 read literally lets undecided `should` and `may` rules leave a file "pass with
/// advice"; `verdict` departs from that when nothing was decided (missing is not zero, nor is
/// nothing compliance: a pass needs at least one checked fact), and the basis is said beside the
/// verdict so that a file that states almost nothing never reads as approved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Basis {
    /// Rules (and targets) that passed or failed on a stated fact.
    pub decided: usize,
    /// Rules (and targets) left undecided for lack of evidence.
    pub undecided: usize,
    /// Rules that held only because there was nothing to check: not counted as decided.
    pub vacuous: usize,
}

impl Basis {
    /// What a report says beside the verdict: how many rules were left undecided, how many held
    /// with nothing to check, and, when no rule that applies was decided, that the verdict rests
    /// on no checked fact. `None` when every rule that applies was decided and at least one was.
    pub fn note(self) -> Option<Text> {
        let mut parts: Vec<Text> = Vec::new();
        let undecided = self.undecided;
        if undecided > 0 {
            let rules = if undecided == 1 { "rule" } else { "rules" };
            parts.push(Text {
                zh: format!("其中 {undecided} 条规则因材料不足未能判定"),
                en: format!("{undecided} {rules} undecided for lack of evidence"),
            });
        }
        let vacuous = self.vacuous;
        if vacuous > 0 {
            let (rules, hold) = if vacuous == 1 {
                ("rule", "holds")
            } else {
                ("rules", "hold")
            };
            parts.push(Text {
                zh: format!("{vacuous} 条规则无可检查的对象(列表为空或规模为 0),未计为已判定"),
                en: format!(
                    "{vacuous} {rules} {hold} only because there was nothing to check (an empty list or a scale of 0), not counted as decided"
                ),
            });
        }
        if self.decided == 0 {
            parts.push(Text::new(
                "没有一条适用的规则得到判定,本结论不基于任何经核查的事实",
                "no applicable rule was decided: this verdict rests on no checked fact",
            ));
        }
        let first = parts.first()?.clone();
        Some(parts.iter().skip(1).fold(first, |joined, part| Text {
            zh: format!("{};{}", joined.zh, part.zh),
            en: format!("{}; {}", joined.en, part.en),
        }))
    }
}

impl Verdict {
    /// The verdict as every report's verdict line states it: the label, and beside it what it
    /// rests on when rules were left undecided or none was decided.
    pub fn stated(self, basis: Basis) -> Text {
        let label = self.label();
        match basis.note() {
            None => label,
            Some(note) => Text {
                zh: format!("{} — {}", label.zh, note.zh),
                en: format!("{} — {}", label.en, note.en),
            },
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

/// The verdict from each result's rule strength, outcome, level and whether it held only
/// vacuously, and the levels of findings about the file as a whole. When no rule that applies
/// was decided and at least one could not be, or held only because there was nothing to check,
/// the verdict is `Incomplete` whatever the rules' strengths: a file that states only its id,
/// kind and jurisdiction leaves every rule undecided, and if those rules are all `should`, SPEC
/// §2 read literally would pass it with advice; a file that states 0 residents and no facilities
/// meets every rule scaled by them without a fact being checked. A pass needs at least one
/// checked fact.
pub fn verdict(
    results: impl Iterator<Item = (Option<Strength>, Outcome, Option<Level>, bool)> + Clone,
    file_levels: impl Iterator<Item = Level>,
) -> Verdict {
    let worst_file_level = file_levels.max();
    let failed_shall = results.clone().any(|(strength, outcome, _, _)| {
        outcome == Outcome::Fail && strength == Some(Strength::Shall)
    });
    if failed_shall || worst_file_level == Some(Level::Error) {
        return Verdict::Fail;
    }
    if results.clone().any(|(strength, outcome, _, _)| {
        outcome == Outcome::InsufficientEvidence && strength == Some(Strength::Shall)
    }) {
        return Verdict::Incomplete;
    }
    let basis = results
        .clone()
        .fold(Basis::default(), |mut basis, (_, outcome, _, vacuous)| {
            basis.count(outcome, vacuous);
            basis
        });
    if basis.decided == 0 && (basis.undecided > 0 || basis.vacuous > 0) {
        return Verdict::Incomplete;
    }
    if results.clone().any(|(_, _, level, _)| level.is_some()) || worst_file_level.is_some() {
        return Verdict::PassWithAdvice;
    }
    Verdict::Pass
}

impl Basis {
    /// Counts one result: a pass that held only vacuously is not decided.
    pub fn count(&mut self, outcome: Outcome, vacuous: bool) {
        match outcome {
            Outcome::Pass if vacuous => self.vacuous += 1,
            Outcome::Pass | Outcome::Fail => self.decided += 1,
            Outcome::InsufficientEvidence => self.undecided += 1,
            Outcome::NotApplicable | Outcome::Waived => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Basis, Level, Verdict, verdict};
    use crate::rules::ir::Strength;
    use crate::rules::outcome::Outcome;

    #[test]
    fn nothing_decided_and_something_missing_is_incomplete_whatever_the_strengths() {
        let undecided_should = (
            Some(Strength::Should),
            Outcome::InsufficientEvidence,
            Some(Level::Advice),
            false,
        );
        let not_applicable = (Some(Strength::Shall), Outcome::NotApplicable, None, false);
        let passed = (Some(Strength::Should), Outcome::Pass, None, false);
        // Only undecided `should` rules: missing is not zero.
        assert_eq!(
            verdict(
                [undecided_should, not_applicable].into_iter(),
                [].into_iter()
            ),
            Verdict::Incomplete
        );
        // One checked fact: the undecided `should` rules leave advice, as SPEC §2 says.
        assert_eq!(
            verdict([undecided_should, passed].into_iter(), [].into_iter()),
            Verdict::PassWithAdvice
        );
        // A file-level error still fails the file.
        assert_eq!(
            verdict([undecided_should].into_iter(), [Level::Error].into_iter()),
            Verdict::Fail
        );
        // No rule applies at all: nothing is missing either.
        assert_eq!(
            verdict([not_applicable].into_iter(), [].into_iter()),
            Verdict::Pass
        );
    }

    #[test]
    fn a_verdict_says_beside_it_what_it_rests_on() {
        let stated = |decided, undecided| {
            Verdict::PassWithAdvice.stated(Basis {
                decided,
                undecided,
                vacuous: 0,
            })
        };
        // Every rule that applies decided: the label alone.
        assert_eq!(stated(3, 0).zh, "通过,附建议");
        assert_eq!(stated(3, 0).en, "pass with advice");
        // Some undecided: how many, beside the verdict.
        assert_eq!(
            stated(3, 12).zh,
            "通过,附建议 — 其中 12 条规则因材料不足未能判定"
        );
        assert_eq!(
            stated(3, 1).en,
            "pass with advice — 1 rule undecided for lack of evidence"
        );
        // Nothing decided: the verdict rests on no checked fact, whether rules were undecided or
        // none applied.
        assert_eq!(
            stated(0, 2).en,
            "pass with advice — 2 rules undecided for lack of evidence; no applicable rule was decided: this verdict rests on no checked fact"
        );
        assert_eq!(
            Verdict::Pass.stated(Basis::default()).zh,
            "通过 — 没有一条适用的规则得到判定,本结论不基于任何经核查的事实"
        );
        // The same for every verdict: a file with missing material is told how much.
        assert_eq!(
            Verdict::Incomplete
                .stated(Basis {
                    decided: 1,
                    undecided: 4,
                    vacuous: 0,
                })
                .en,
            "incomplete: evidence needed — 4 rules undecided for lack of evidence"
        );
    }

    #[test]
    fn a_rule_that_held_with_nothing_to_check_is_not_a_checked_fact() {
        let vacuous_pass = (Some(Strength::Shall), Outcome::Pass, None, true);
        let passed = (Some(Strength::Shall), Outcome::Pass, None, false);
        // Only vacuous passes (0 residents, no facilities): nothing was checked.
        assert_eq!(
            verdict([vacuous_pass, vacuous_pass].into_iter(), [].into_iter()),
            Verdict::Incomplete
        );
        // One fact checked beside them: a pass, with the vacuous ones said beside the verdict.
        assert_eq!(
            verdict([vacuous_pass, passed].into_iter(), [].into_iter()),
            Verdict::Pass
        );
        let basis = Basis {
            decided: 1,
            undecided: 0,
            vacuous: 2,
        };
        assert_eq!(
            Verdict::Pass.stated(basis).zh,
            "通过 — 2 条规则无可检查的对象(列表为空或规模为 0),未计为已判定"
        );
        assert_eq!(
            Verdict::Incomplete
                .stated(Basis {
                    decided: 0,
                    undecided: 1,
                    vacuous: 1,
                })
                .en,
            "incomplete: evidence needed — 1 rule undecided for lack of evidence; 1 rule holds only because there was nothing to check (an empty list or a scale of 0), not counted as decided; no applicable rule was decided: this verdict rests on no checked fact"
        );
        let mut counted = Basis::default();
        counted.count(Outcome::Pass, true);
        counted.count(Outcome::Pass, false);
        counted.count(Outcome::Fail, false);
        assert_eq!(
            counted,
            Basis {
                decided: 2,
                undecided: 0,
                vacuous: 1,
            }
        );
    }
}
