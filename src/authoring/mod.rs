//! The rule author's and the project author's tools, which run rules through the engine: rule
//! tests beside the packs, lints, clause coverage, `explain`, the formatter, new packs, and
//! project templates.

pub mod coverage;
pub mod explain;
pub mod fmt;
pub mod lint;
pub mod reading;
pub mod scaffold;
pub mod template;
pub mod testing;
