//! Calendar dates (`2026-03-01`), checked for real days: `2025-02-30` is refused.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A day of the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    Format,
    /// The month is not 1–12.
    Month,
    /// The month has no such day (e.g. February 30).
    Day,
}

impl Date {
    /// A date from its parts, if the day exists.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month);
        }
        if day == 0 || day > crate::base::days_in_month(year, month) {
            return Err(DateError::Day);
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (ISO 8601, four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 10
            && bytes.get(4) == Some(&b'-')
            && bytes.get(7) == Some(&b'-')
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !well_formed {
            return Err(DateError::Format);
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            text.get(range)
                .and_then(|s| s.parse().ok())
                .ok_or(DateError::Format)
        };
        let year = i32::try_from(number(0..4)?).map_err(|_| DateError::Format)?;
        let month = u8::try_from(number(5..7)?).map_err(|_| DateError::Month)?;
        let day = u8::try_from(number(8..10)?).map_err(|_| DateError::Day)?;
        Date::new(year, month, day)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Days since 1970-01-01 (negative before), for differences and comparisons.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after this one; past the years an `i32` holds, the first or last day
    /// of those years' range on the same side (hostile review 16 Y6: the sum overflowed).
    #[must_use]
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch().saturating_add(days))
    }

    /// The date `days` after 1970-01-01; past the years an `i32` holds, a date of the first or
    /// last of them, on the side `days` is (a date far in the past was read as one far ahead).
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Beyond ±366 days a year for every year an `i32` holds, the year is clamped anyway;
        // within it, nothing below overflows.
        const FARTHEST: i64 = 366 * i32::MAX as i64;
        let days = days.clamp(-FARTHEST, FARTHEST);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)))
                .unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Today's date in China, from the system clock: the day of the check.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Date::in_china_at(seconds)
    }

    /// The date in China Standard Time (UTC+8, one zone for the whole country, no summer time)
    /// at `unix_seconds`. The documents' dates and the officials' calendar are Beijing dates;
    /// the UTC date would put a survey held this morning "after the day of the check" for the
    /// first eight hours of every day, and a machine's own zone (a CI runner's is UTC) would
    /// make a check's outcome depend on where it ran.
    pub fn in_china_at(unix_seconds: u64) -> Date {
        const CHINA_OFFSET_SECONDS: u64 = 8 * 3600;
        let days = unix_seconds.saturating_add(CHINA_OFFSET_SECONDS) / 86_400;
        Date::from_days_since_epoch(i64::try_from(days).unwrap_or(0))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateError::Format => "expected a date written YYYY-MM-DD",
            DateError::Month => "the month must be between 01 and 12",
            DateError::Day => "that month has no such day",
        })
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Date, DateError};

    #[test]
    fn refuses_days_that_do_not_exist() {
        assert_eq!(Date::parse("2025-02-30"), Err(DateError::Day));
        assert_eq!(Date::parse("2025-13-01"), Err(DateError::Month));
        assert_eq!(Date::parse("2025-2-3"), Err(DateError::Format));
        assert_eq!(Date::parse("2025年3月1日"), Err(DateError::Format));
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(Date::parse("2023-02-29"), Err(DateError::Day));
        assert_eq!(Date::parse("1900-02-29"), Err(DateError::Day));
        assert!(Date::parse("2000-02-29").is_ok());
    }

    #[test]
    fn day_numbers_round_trip_and_order() {
        let date = Date::parse("2026-03-01").unwrap();
        assert_eq!(
            date.days_since_epoch() - Date::parse("2026-02-28").unwrap().days_since_epoch(),
            1
        );
        assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert!(Date::parse("2025-11-20").unwrap() < date);
        assert_eq!(date.to_string(), "2026-03-01");
    }

    #[test]
    fn the_day_of_the_check_is_the_date_in_china() {
        // 2026-12-06 23:30 UTC is 07:30 on 2026-12-07 in Beijing.
        let late_evening_utc = 1_796_599_800;
        assert_eq!(
            Date::in_china_at(late_evening_utc).to_string(),
            "2026-12-07"
        );
        // 15:59:59 UTC is the last second of the Beijing day; 16:00 begins the next.
        let last_second = 1_796_572_799;
        assert_eq!(Date::in_china_at(last_second).to_string(), "2026-12-06");
        assert_eq!(Date::in_china_at(last_second + 1).to_string(), "2026-12-07");
        assert_eq!(Date::in_china_at(0).to_string(), "1970-01-01");
        assert_eq!(Date::in_china_at(u64::MAX), Date::in_china_at(u64::MAX - 1));
    }

    /// Hostile review 16 Y6: a rule adding days past what an `i64` of days or an `i32` of years
    /// holds gets a date at the end of the range on the side it went to, never an overflow (a
    /// panic in a debug build) nor a date far in the past read as one far ahead.
    #[test]
    fn days_past_the_range_saturate_on_their_own_side() {
        let date = Date::parse("2026-01-01").unwrap();
        for days in [i64::MAX, i64::MAX - 1, 1 << 62, 900_000_000_000] {
            let later = date.plus_days(days);
            assert!(later > date, "{days}: {later}");
            assert_eq!(later.year(), i32::MAX, "{days}");
            let earlier = date.plus_days(-days);
            assert!(earlier < date, "-{days}: {earlier}");
            assert_eq!(earlier.year(), i32::MIN, "-{days}");
        }
        assert!(date.plus_days(i64::MIN) < date);
        assert_eq!(Date::from_days_since_epoch(i64::MIN).year(), i32::MIN);
        assert_eq!(Date::from_days_since_epoch(i64::MAX).year(), i32::MAX);
        assert_eq!(date.plus_days(365).to_string(), "2027-01-01");
        assert_eq!(date.plus_days(-1).to_string(), "2025-12-31");
    }
}
