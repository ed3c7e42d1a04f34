//! Law in time: which packs bind a project, given its sources' standing on the date the
//! project is judged at. A project is judged by the documents in force at its decision date; a
//! draft advises unless an office adopts it; a plan whose stated period has ended advises
//! unless something continues it or the office says it still binds; a document issued after
//! the decision does not judge it at all.

use crate::base::i18n::Text;
use crate::project::date::Date;
use crate::rules::ir::{Force, RuleSet};

/// What to do with drafts (征求意见稿).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Drafts {
    /// Their findings are advice (the default).
    #[default]
    Advisory,
    /// Their rules bind, for an office that has adopted the draft.
    Binding,
    /// They are not applied.
    Off,
}

/// What to do with documents whose stated period has ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lapsed {
    /// Their findings are advice (the default).
    #[default]
    Advisory,
    /// Their rules still bind, for an office that keeps applying them.
    Binding,
}

/// Where the date a project is judged at comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// `project.decision_date`.
    DecisionDate,
    /// `--as-of` on the command line.
    Given,
    /// The day the check ran.
    Today,
}

impl DateBasis {
    /// In words.
    pub fn label(self) -> Text {
        match self {
            DateBasis::DecisionDate => Text::new("项目决策日期", "the project's decision date"),
            DateBasis::Given => Text::new("为本次检查指定的日期", "the date set for the check"),
            DateBasis::Today => Text::new("检查当天", "the day of the check"),
        }
    }
}

/// The date a project is judged at, and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JudgedAt {
    /// The date.
    pub date: Date,
    /// Where it comes from.
    pub basis: DateBasis,
}

/// A source's standing on the date a project is judged at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Issued, and within its stated period (or it states none).
    InForce,
    /// A consultation draft.
    Draft,
    /// Issued after the date: it does not judge the project.
    NotYetIssued,
    /// Its stated period ended before the date.
    PeriodEnded,
    /// Its stated period ended, and the manifest says what continues it.
    Continued,
    /// A consultation draft whose proposed period ended before the date: a draft that was
    /// never adopted within its own period does not bind later projects, even where the
    /// office adopted it (`drafts binding`); like an issued plan, it follows `lapsed`.
    DraftPeriodEnded,
    /// No date to judge at (a library caller gave none): taken as in force.
    Undated,
}

impl Standing {
    /// In words.
    pub fn label(self) -> Text {
        match self {
            Standing::InForce => Text::new("现行有效", "in force"),
            Standing::Draft => Text::new("征求意见稿", "draft"),
            Standing::NotYetIssued => Text::new("决策时尚未印发", "not yet issued at the decision"),
            Standing::PeriodEnded => Text::new("实施期已届满", "period ended"),
            Standing::Continued => Text::new("实施期届满后继续适用", "continued after its period"),
            Standing::DraftPeriodEnded => {
                Text::new("征求意见稿,实施期已届满", "draft, period ended")
            }
            Standing::Undated => Text::new("未核对日期", "date not checked"),
        }
    }
}

/// What a pack's rules do for a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Findings are graded by the rules' strength.
    Binding,
    /// Findings are advice, whatever the rules' strength (仅供参考).
    Advisory,
    /// Not applied.
    NotApplied,
}

impl Effect {
    /// In words.
    pub fn label(self) -> Text {
        match self {
            Effect::Binding => Text::new("适用", "binding"),
            Effect::Advisory => Text::new("仅供参考", "advisory only"),
            Effect::NotApplied => Text::new("不适用", "not applied"),
        }
    }
}

/// One pack whose jurisdiction covers the project, and what it does for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackStanding {
    /// Index into [`RuleSet::packs`].
    pub pack: usize,
    /// Its source's standing on the date.
    pub standing: Standing,
    /// What its rules do.
    pub effect: Effect,
    /// The date judged at falls in the year or month the source is dated to, before the last
    /// day of it: whether it had been issued is not known, so it advises even where it would
    /// bind (law review 9, G24).
    pub issue_uncertain: bool,
}

/// The standing of a source on `at` (`None`: no date to judge at).
pub fn standing(force: &Force, at: Option<Date>) -> Standing {
    let Some(at) = at else {
        return if force.draft {
            Standing::Draft
        } else {
            Standing::Undated
        };
    };
    if force.from.is_some_and(|from| at < from) {
        return Standing::NotYetIssued;
    }
    if force.draft {
        return match force.until {
            Some(until) if at > until => Standing::DraftPeriodEnded,
            _ => Standing::Draft,
        };
    }
    match force.until {
        Some(until) if at > until && force.continued_by.is_some() => Standing::Continued,
        Some(until) if at > until => Standing::PeriodEnded,
        _ => Standing::InForce,
    }
}

/// What a pack of that standing does, under the office's choices.
pub fn effect(standing: Standing, drafts: Drafts, lapsed: Lapsed) -> Effect {
    match (standing, drafts, lapsed) {
        (Standing::InForce | Standing::Continued | Standing::Undated, _, _) => Effect::Binding,
        (Standing::NotYetIssued, _, _) => Effect::NotApplied,
        (Standing::Draft, Drafts::Advisory, _) => Effect::Advisory,
        (Standing::Draft, Drafts::Binding, _) => Effect::Binding,
        (Standing::Draft, Drafts::Off, _) => Effect::NotApplied,
        (Standing::DraftPeriodEnded, Drafts::Off, _) => Effect::NotApplied,
        (Standing::PeriodEnded | Standing::DraftPeriodEnded, _, Lapsed::Advisory) => {
            Effect::Advisory
        }
        (Standing::PeriodEnded | Standing::DraftPeriodEnded, _, Lapsed::Binding) => Effect::Binding,
    }
}

/// The standing and effect on `at` of the pack at index `pack`, whose source's force is `force`.
pub fn pack_standing(
    pack: usize,
    force: &Force,
    at: Option<Date>,
    drafts: Drafts,
    lapsed: Lapsed,
) -> PackStanding {
    let standing = standing(force, at);
    let issue_uncertain = standing != Standing::NotYetIssued
        && matches!((at, force.issued_by), (Some(at), Some(by)) if at < by);
    let effect = match effect(standing, drafts, lapsed) {
        // 不溯及既往: a document is not applied as law to a decision it may predate.
        Effect::Binding if issue_uncertain => Effect::Advisory,
        effect => effect,
    };
    PackStanding {
        pack,
        standing,
        effect,
        issue_uncertain,
    }
}

/// The standing and effect of each pack in `packs` on `at`.
pub fn standings(
    set: &RuleSet,
    packs: &[usize],
    at: Option<Date>,
    drafts: Drafts,
    lapsed: Lapsed,
) -> Vec<PackStanding> {
    packs
        .iter()
        .filter_map(|&pack| {
            let force = &set.packs.get(pack)?.force;
            Some(pack_standing(pack, force, at, drafts, lapsed))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    fn plan(draft: bool, continued: bool) -> Force {
        Force {
            draft,
            issued_by: None,
            from: Some(date("2023-09-14")),
            until: Some(date("2025-12-31")),
            continued_by: continued.then(|| "a successor plan".to_owned()),
        }
    }

    #[test]
    fn a_plan_judges_within_its_period_and_advises_after_it() {
        let force = plan(false, false);
        assert_eq!(
            standing(&force, Some(date("2023-09-13"))),
            Standing::NotYetIssued
        );
        assert_eq!(
            standing(&force, Some(date("2023-09-14"))),
            Standing::InForce
        );
        assert_eq!(
            standing(&force, Some(date("2025-12-31"))),
            Standing::InForce
        );
        assert_eq!(
            standing(&force, Some(date("2026-01-01"))),
            Standing::PeriodEnded
        );
        assert_eq!(
            standing(&plan(false, true), Some(date("2026-01-01"))),
            Standing::Continued
        );
        assert_eq!(standing(&force, None), Standing::Undated);
    }

    #[test]
    fn drafts_advise_unless_adopted_and_lapsed_plans_unless_kept() {
        let draft = standing(&plan(true, false), Some(date("2024-01-01")));
        assert_eq!(draft, Standing::Draft);
        assert_eq!(
            effect(draft, Drafts::Advisory, Lapsed::Advisory),
            Effect::Advisory
        );
        assert_eq!(
            effect(draft, Drafts::Binding, Lapsed::Advisory),
            Effect::Binding
        );
        assert_eq!(
            effect(draft, Drafts::Off, Lapsed::Binding),
            Effect::NotApplied
        );
        let ended = Standing::PeriodEnded;
        assert_eq!(
            effect(ended, Drafts::Binding, Lapsed::Advisory),
            Effect::Advisory
        );
        assert_eq!(
            effect(ended, Drafts::Advisory, Lapsed::Binding),
            Effect::Binding
        );
        assert_eq!(
            effect(Standing::NotYetIssued, Drafts::Binding, Lapsed::Binding),
            Effect::NotApplied
        );
    }

    #[test]
    fn a_draft_past_its_period_follows_lapsed_even_when_adopted() {
        let draft = plan(true, false);
        assert_eq!(standing(&draft, Some(date("2025-12-31"))), Standing::Draft);
        let late = standing(&draft, Some(date("2026-01-01")));
        assert_eq!(late, Standing::DraftPeriodEnded);
        assert_eq!(late.label().en, "draft, period ended");
        assert_eq!(
            effect(late, Drafts::Binding, Lapsed::Advisory),
            Effect::Advisory
        );
        assert_eq!(
            effect(late, Drafts::Advisory, Lapsed::Binding),
            Effect::Binding
        );
        assert_eq!(
            effect(late, Drafts::Off, Lapsed::Binding),
            Effect::NotApplied
        );
        assert_eq!(standing(&draft, None), Standing::Draft);
    }

    /// Law review 9, G24: a source dated by its year only (shangyu-2025, `date: "2025"`) may have
    /// been issued on any day of it; a decision earlier in that year is not judged by it as law,
    /// even by an office that adopted the draft. From the year's last day it is as any other.
    #[test]
    fn a_source_dated_by_its_year_only_advises_until_the_years_end() {
        let force = Force {
            draft: true,
            from: Some(date("2025-01-01")),
            issued_by: Some(date("2025-12-31")),
            until: Some(date("2027-12-31")),
            continued_by: None,
        };
        let on = |day: &str| {
            pack_standing(
                0,
                &force,
                Some(date(day)),
                Drafts::Binding,
                Lapsed::Advisory,
            )
        };
        let january = on("2025-01-02");
        assert_eq!(january.standing, Standing::Draft);
        assert!(january.issue_uncertain);
        assert_eq!(january.effect, Effect::Advisory);
        let last_day = on("2025-12-31");
        assert!(!last_day.issue_uncertain);
        assert_eq!(last_day.effect, Effect::Binding);
        let before = on("2024-12-31");
        assert_eq!(before.standing, Standing::NotYetIssued);
        assert!(!before.issue_uncertain);
        assert_eq!(
            force.period(crate::base::i18n::Lang::En),
            "date of issue not known: 2025 – 2027-12-31"
        );
        // Off stays off.
        let off = pack_standing(
            0,
            &force,
            Some(date("2025-01-02")),
            Drafts::Off,
            Lapsed::Advisory,
        );
        assert_eq!(off.effect, Effect::NotApplied);
    }
}
