//! Evaluation: one loaded project against the checked rules — select packs, evaluate each rule in
//! three-valued logic, apply waivers, grade results and give the verdict.

pub mod assessment;
pub mod checked;
pub mod eval;
pub mod force;
pub mod indicators;
pub mod record;
pub mod undone;
pub mod vacuity;
pub mod verdict;
pub mod waivers;

pub use crate::rules::outcome::Outcome;
pub use assessment::{
    AppliedWaiver, Assessment, FileFinding, Missing, Options, Prepared, RuleResult, SelectError,
    assess, assess_rule, parameter_values, prepare, select_packs,
};
pub use vacuity::{Nothing, Vacuity};
pub use verdict::{Basis, Level, Verdict};
