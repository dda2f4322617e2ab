//! Civil dates (year, month, day) and time in Shanghai: the one place where
//! Gonghui does calendar arithmetic, on the `time` crate (already in the
//! tree for sessions, cookies and sqlx: one calendar crate, not two). China
//! keeps UTC+8 all year (no daylight saving), so a fixed offset is exact and
//! no time-zone database is needed.
//!
//! Kept here, free of any clock, so the browser and the server agree: each
//! caller passes its own "now" (Unix seconds).

use std::fmt;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Asia/Shanghai: UTC+8, all year.
const SHANGHAI: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("UTC+8 is a valid offset"),
};

/// The civil date and time in Shanghai at Unix time `unix_secs` (clamped
/// to the years 1 to 9999).
fn in_shanghai(unix_secs: i64) -> PrimitiveDateTime {
    let first = PrimitiveDateTime::new(Date::MIN, time::Time::MIDNIGHT);
    let floor = Date::from_calendar_date(1, Month::January, 1).map_or(first, |d| d.midnight());
    let ceiling = Date::from_calendar_date(9999, Month::December, 31).map_or(first, |d| d.midnight());
    let Ok(at) = OffsetDateTime::from_unix_timestamp(unix_secs) else {
        return if unix_secs < 0 { floor } else { ceiling };
    };
    match at.checked_to_offset(SHANGHAI) {
        Some(local) => PrimitiveDateTime::new(local.date(), local.time()).clamp(floor, ceiling),
        None => ceiling,
    }
}

/// A real date of the proleptic Gregorian calendar, year 1 to 9999. Orders
/// as dates do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate(Date);

impl CivilDate {
    /// Later than any date an ID number can hold (its year has 4 digits).
    pub const LATEST: CivilDate = CivilDate(match Date::from_calendar_date(9999, Month::December, 31) {
        Ok(date) => date,
        Err(_) => panic!("9999-12-31 is a date"),
    });

    /// `None` unless it is a real date (30 February is not; 29 February is
    /// in leap years only).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Self> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
        Date::from_calendar_date(year as i32, month, u8::try_from(day).ok()?).ok().map(Self)
    }

    /// A date as a date input sends it: `2026-12-01`.
    pub fn parse_iso(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        let shaped = raw.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return None;
        }
        Self::new(raw[..4].parse().ok()?, raw[5..7].parse().ok()?, raw[8..].parse().ok()?)
    }

    /// The date in Shanghai at Unix time `unix_secs`.
    pub fn in_shanghai(unix_secs: i64) -> Self {
        Self(in_shanghai(unix_secs).date())
    }

    /// The Unix time of this date's midnight in Shanghai.
    pub fn midnight_in_shanghai(self) -> i64 {
        self.0.midnight().assume_offset(SHANGHAI).unix_timestamp()
    }

    pub fn year(self) -> u32 {
        self.0.year() as u32
    }
    pub fn month(self) -> u32 {
        u8::from(self.0.month()).into()
    }
    pub fn day(self) -> u32 {
        self.0.day().into()
    }

    /// The day after (9999-12-31 stays itself).
    pub fn next(self) -> Self {
        Self(self.0.next_day().unwrap_or(self.0))
    }

    /// Saturday or Sunday: the days off when no holiday rule says otherwise.
    pub fn is_weekend(self) -> bool {
        matches!(self.0.weekday(), time::Weekday::Saturday | time::Weekday::Sunday)
    }

    /// 周一 … 周日, as the calendar page labels days.
    pub fn weekday_zh(self) -> &'static str {
        ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][self.0.weekday().number_days_from_monday() as usize]
    }

    /// `YYYY-MM-DD`, as forms and the database write dates.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

/// A calendar quarter (the 通报's period): Q1 is January to March.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: u32,
    quarter: u32,
}

impl Quarter {
    pub fn new(year: u32, quarter: u32) -> Option<Self> {
        ((1..=9998).contains(&year) && (1..=4).contains(&quarter)).then_some(Self { year, quarter })
    }

    /// `2026Q4` (or `2026-Q4`, lower case accepted).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().to_ascii_uppercase();
        let (year, quarter) = raw.split_once('Q')?;
        let year = year.trim_end_matches('-');
        if year.len() != 4 || quarter.len() != 1 {
            return None;
        }
        Self::new(year.parse().ok()?, quarter.parse().ok()?)
    }

    /// The quarter that Unix time `unix_secs` falls in, in Shanghai.
    pub fn containing(unix_secs: i64) -> Self {
        let date = CivilDate::in_shanghai(unix_secs);
        Self { year: date.year().min(9998), quarter: (date.month() - 1) / 3 + 1 }
    }

    pub fn year(self) -> u32 {
        self.year
    }

    pub fn number(self) -> u32 {
        self.quarter
    }

    /// Its first and the next quarter's first second (Shanghai midnights).
    pub fn bounds(self) -> (i64, i64) {
        let first = |year: u32, month: u32| CivilDate::new(year, month, 1).map_or(0, CivilDate::midnight_in_shanghai);
        let month = (self.quarter - 1) * 3 + 1;
        let end = if self.quarter == 4 { first(self.year + 1, 1) } else { first(self.year, month + 3) };
        (first(self.year, month), end)
    }

    /// The quarter before.
    pub fn previous(self) -> Self {
        if self.quarter == 1 {
            Self { year: self.year.saturating_sub(1).max(1), quarter: 4 }
        } else {
            Self { year: self.year, quarter: self.quarter - 1 }
        }
    }

    /// `2026Q4`.
    pub fn code(self) -> String {
        format!("{}Q{}", self.year, self.quarter)
    }
}

impl fmt::Display for Quarter {
    /// 2026年第四季度.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = ["一", "二", "三", "四"][(self.quarter - 1) as usize];
        write!(f, "{}年第{name}季度", self.year)
    }
}

/// Year `year`'s first and the next year's first second (Shanghai).
pub fn year_bounds(year: u32) -> (i64, i64) {
    let first = |year: u32| CivilDate::new(year, 1, 1).map_or(0, CivilDate::midnight_in_shanghai);
    (first(year), first(year + 1))
}

/// `2026年12月31日`: how dates are written to members.
impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year(), self.month(), self.day())
    }
}

/// The day number in Shanghai (days since 1970-01-01 there): a member's daily
/// allowances start again when it changes, at local midnight.
pub fn shanghai_day(unix_secs: i64) -> i64 {
    /// 1970-01-01 as a Julian day number.
    const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;
    i64::from(in_shanghai(unix_secs).date().to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
}

/// `HH:MM` in Shanghai at Unix time `unix_secs`.
pub fn wall_clock_in_shanghai(unix_secs: i64) -> String {
    let at = in_shanghai(unix_secs);
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// `YYYY-MM-DD HH:MM` in Shanghai at Unix time `unix_secs`.
pub fn date_time_in_shanghai(unix_secs: i64) -> String {
    let at = in_shanghai(unix_secs);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute())
}

/// Whether Unix time `unix_secs` falls between 00:00 and 06:00 in Shanghai.
pub fn is_night_in_shanghai(unix_secs: i64) -> bool {
    in_shanghai(unix_secs).hour() < 6
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
    fn times_read_in_shanghai() {
        // 2026-11-21 16:30 UTC is 2026-11-22 00:30 in Shanghai.
        let at = 1_795_278_600;
        assert_eq!(wall_clock_in_shanghai(at), "00:30");
        assert_eq!(date_time_in_shanghai(at), "2026-11-22 00:30");
        assert_eq!(date_time_in_shanghai(951_782_400), "2000-02-29 08:00", "a leap day");
        assert_eq!(CivilDate::parse_iso("2026-11-22").unwrap().midnight_in_shanghai(), at - 30 * 60);
        assert!(is_night_in_shanghai(at) && !is_night_in_shanghai(at + 6 * 3600));
        assert_eq!(CivilDate::parse_iso("2026-02-30"), None);
        assert_eq!(CivilDate::parse_iso("2026-2-3"), None);
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

    #[test]
    fn a_quarter_runs_from_shanghai_midnight_to_the_next_quarters() {
        let q4 = Quarter::parse("2026q4").unwrap();
        assert_eq!(q4, Quarter::parse("2026-Q4").unwrap());
        let (from, to) = q4.bounds();
        assert_eq!(from, CivilDate::new(2026, 10, 1).unwrap().midnight_in_shanghai());
        assert_eq!(to, CivilDate::new(2027, 1, 1).unwrap().midnight_in_shanghai());
        assert_eq!(Quarter::containing(to - 1), q4);
        assert_eq!(Quarter::containing(to).code(), "2027Q1");
        assert_eq!(q4.previous().code(), "2026Q3");
        assert_eq!(Quarter::parse("2027Q1").unwrap().previous(), q4);
        assert_eq!(q4.to_string(), "2026年第四季度");
        assert_eq!(Quarter::parse("2026Q5"), None);
        assert_eq!(Quarter::parse("26Q1"), None);
        assert_eq!(year_bounds(2026), (CivilDate::new(2026, 1, 1).unwrap().midnight_in_shanghai(), to));
    }

    proptest! {
        #[test]
        fn consecutive_days_give_consecutive_dates(day in -80_000i64..80_000) {
            let today = CivilDate::in_shanghai(day * 86_400);
            let tomorrow = CivilDate::in_shanghai((day + 1) * 86_400);
            prop_assert!(tomorrow > today);
            prop_assert!(CivilDate::new(today.year(), today.month(), today.day()).is_some());
            let next_is_first = tomorrow.day() == 1;
            prop_assert!(next_is_first || (tomorrow.year(), tomorrow.month(), tomorrow.day()) == (today.year(), today.month(), today.day() + 1));
            prop_assert_eq!(shanghai_day(day * 86_400 - 8 * 3600), day, "day numbers count Shanghai midnights");
            prop_assert_eq!(today.midnight_in_shanghai() <= day * 86_400, true);
        }
    }
}
