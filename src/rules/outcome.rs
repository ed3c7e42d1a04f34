//! The five outcomes a rule can have on a project. The engine produces them; rule tests written
//! beside the packs expect them, so they belong to the checked rules, below the engine.

use crate::base::i18n::Text;

/// The outcome of one rule on one project.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The requirement holds.
    Pass,
    /// The requirement does not hold.
    Fail,
    /// The rule does not apply (or an exception does).
    NotApplicable,
    /// The file does not state what would decide the rule.
    InsufficientEvidence,
    /// A failure or missing evidence covered by an approved waiver.
    Waived,
}

impl Outcome {
    /// All outcomes in report order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Fail,
        Outcome::InsufficientEvidence,
        Outcome::Waived,
        Outcome::Pass,
        Outcome::NotApplicable,
    ];

    /// As written in rule tests and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not_applicable",
            Outcome::InsufficientEvidence => "insufficient_evidence",
            Outcome::Waived => "waived",
        }
    }

    /// In words.
    pub fn label(self) -> Text {
        match self {
            Outcome::Pass => Text::new("符合", "pass"),
            Outcome::Fail => Text::new("不符合", "fail"),
            Outcome::NotApplicable => Text::new("不适用", "not applicable"),
            Outcome::InsufficientEvidence => Text::new("证据不足", "insufficient evidence"),
            Outcome::Waived => Text::new("已豁免", "waived"),
        }
    }
}
