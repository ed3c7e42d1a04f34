//! What every step shares: located diagnostics, text in two languages, "did you mean".

pub mod diagnostic;
pub mod i18n;
pub mod suggest;
