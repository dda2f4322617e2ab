//! Civil dates (year, month, day) and "today in Shanghai", for the rules that
//! compare a date with today: a birth date in an ID number may not lie in the
//! future. China keeps UTC+8 all year (no daylight saving), so Shanghai's
//! date is the UTC date of `unix seconds + 8 h`.
//!
//! Kept here, free of any clock, so the browser and the server parse alike:
//! each caller passes its own "now".

use std::fmt;

const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;
const DAY_SECS: i64 = 24 * 3600;

/// A real date of the proleptic Gregorian calendar, year 1 to 9999. Orders
/// as dates do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: u32,
    month: u32,
    day: u32,
}

impl CivilDate {
    /// Later than any date an ID number can hold (its year has 4 digits).
    pub const LATEST: CivilDate = CivilDate { year: 9999, month: 12, day: 31 };

    /// `None` unless it is a real date (30 February is not; 29 February is
    /// in leap years only).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Self> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Self { year, month, day })
    }

    /// The date in Shanghai at Unix time `unix_secs`.
    pub fn in_shanghai(unix_secs: i64) -> Self {
        let days = (unix_secs + SHANGHAI_OFFSET_SECS).div_euclid(DAY_SECS);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year: year.clamp(1, 9999) as u32, month: month as u32, day: day as u32 }
    }

    pub fn year(self) -> u32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }
    pub fn day(self) -> u32 {
        self.day
    }
}

/// `2026年12月31日`: how dates are written to members.
impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_date_turns_at_midnight_in_shanghai_not_in_utc() {
        // 2026-12-31 15:59:59 UTC is 23:59:59 in Shanghai; a second later it is 2027.
        let last_second = 1_798_732_799;
        assert_eq!(CivilDate::in_shanghai(last_second), CivilDate::new(2026, 12, 31).unwrap());
        assert_eq!(CivilDate::in_shanghai(last_second + 1), CivilDate::new(2027, 1, 1).unwrap());
    }

    #[test]
    fn only_real_dates_exist() {
        assert!(CivilDate::new(2024, 2, 29).is_some(), "2024 is a leap year");
        assert!(CivilDate::new(1900, 2, 29).is_none(), "1900 is not");
        assert!(CivilDate::new(2000, 2, 29).is_some(), "2000 is");
        assert!(CivilDate::new(1965, 4, 31).is_none());
        assert!(CivilDate::new(1965, 13, 1).is_none());
        assert!(CivilDate::new(1880, 1, 1).is_some(), "GB 11643's own example was born in 1880");
        assert_eq!(CivilDate::new(2026, 12, 31).unwrap().to_string(), "2026年12月31日");
    }

    proptest! {
        #[test]
        fn consecutive_days_give_consecutive_dates(day in -80_000i64..80_000) {
            let today = CivilDate::in_shanghai(day * DAY_SECS);
            let tomorrow = CivilDate::in_shanghai((day + 1) * DAY_SECS);
            prop_assert!(tomorrow > today);
            prop_assert!(CivilDate::new(today.year, today.month, today.day).is_some());
            let next_is_first = tomorrow.day == 1;
            prop_assert!(next_is_first || (tomorrow.year, tomorrow.month, tomorrow.day) == (today.year, today.month, today.day + 1));
        }
    }
}
