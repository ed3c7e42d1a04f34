//! yimi: a compliance checker for children's impact assessment (儿童影响评价).
//!
//! See `ARCHITECTURE.md` for the bird's-eye view.

#![allow(
    clippy::result_large_err,
    reason = "diagnostics are built only on the cold error path; boxing every one would add noise, not speed"
)]

pub mod batch;
pub mod cli;
pub mod corpus;
pub mod date;
pub mod diagnostic;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod i18n;
pub mod init;
pub mod model;
pub mod project;
pub mod reference;
pub mod report;
pub mod rules;
pub mod suggest;
pub mod types;
pub mod units;
pub mod yaml;
