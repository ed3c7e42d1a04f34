//! What every step shares: stopping work nobody waits for, located diagnostics, text in two languages, "did you mean", walking
//! directories for input files and reading them with a bound.

pub mod alias;
pub mod allocator;
pub mod cancel;
pub mod diagnostic;
pub mod flow;
pub mod i18n;
pub mod printable;
pub mod read;
pub mod strtab;
pub mod suggest;
pub mod walk;

/// The number of days in `month` (1–12) of `year` in the Gregorian calendar, so that a date
/// such as `2022-02-30` is refused wherever dates are read (projects and the sources manifest).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
