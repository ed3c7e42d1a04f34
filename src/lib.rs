//! yimi: a compliance checker for children's impact assessment (儿童影响评价).
//!
//! See `ARCHITECTURE.md` for the bird's-eye view.

pub mod corpus;
pub mod date;
pub mod diagnostic;
pub mod i18n;
pub mod model;
pub mod project;
pub mod suggest;
pub mod types;
pub mod units;
pub mod yaml;
