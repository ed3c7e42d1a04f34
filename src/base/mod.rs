//! What every step shares: located diagnostics, text in two languages, "did you mean", walking
//! directories for input files and reading them with a bound.

pub mod diagnostic;
pub mod i18n;
pub mod read;
pub mod suggest;
pub mod walk;
