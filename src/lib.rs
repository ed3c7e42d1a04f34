//! yimi: a compliance checker for children's impact assessment (儿童影响评价).
//!
//! See `ARCHITECTURE.md` for the bird's-eye view.

pub mod corpus;
pub mod diagnostic;
pub mod i18n;
pub mod suggest;
pub mod yaml;
