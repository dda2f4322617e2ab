//! The Chinese working-day calendar (工作日): Monday to Friday, except the
//! official holidays (法定节假日) the State Council announces each year and
//! the make-up working days (调休) that move weekends, often a Saturday or
//! Sunday next to a holiday. Letters to the union are due a number of working
//! days after they arrive, counted on this calendar.
//!
//! The exceptions are data (a table officials keep up to date each year);
//! this module only counts.

use std::collections::BTreeMap;

use crate::calendar::CivilDate;

/// Working days with the year's exceptions: `true` for a 调休 working day
/// on a weekend, `false` for a holiday on a weekday (or any day off).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    exceptions: BTreeMap<CivilDate, bool>,
}

impl WorkCalendar {
    pub fn new(exceptions: impl IntoIterator<Item = (CivilDate, bool)>) -> Self {
        Self { exceptions: exceptions.into_iter().collect() }
    }

    pub fn is_working_day(&self, day: CivilDate) -> bool {
        self.exceptions.get(&day).copied().unwrap_or(!day.is_weekend())
    }

    /// The day by whose end something received on `received` is due:
    /// `days` working days later, the day of receipt not counted (a letter
    /// that arrives on a Friday evening and is due in 1 working day is due
    /// on Monday). 0 days: the day itself.
    pub fn deadline(&self, received: CivilDate, days: u32) -> CivilDate {
        let mut day = received;
        let mut left = days;
        // A year of holidays never holds more than ~115 days off, so the
        // bound only stops a malformed calendar (every day off) from looping.
        for _ in 0..(days as usize * 7 + 400) {
            if left == 0 {
                break;
            }
            day = day.next();
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 when `to` is
    /// not later): how many working days a letter is overdue.
    pub fn working_days_between(&self, from: CivilDate, to: CivilDate) -> u32 {
        let mut day = from;
        let mut count = 0;
        while day < to {
            day = day.next();
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

/// The 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知): every
/// holiday weekday and every 调休 working day, with its name. Seeded into
/// the calendar table; officials add later years as they are announced.
pub const SCHEDULE_2026: &[(&str, bool, &str)] = &[
    ("2026-01-01", false, "元旦"),
    ("2026-01-02", false, "元旦"),
    ("2026-01-04", true, "元旦调休上班"),
    ("2026-02-14", true, "春节调休上班"),
    ("2026-02-16", false, "春节"),
    ("2026-02-17", false, "春节"),
    ("2026-02-18", false, "春节"),
    ("2026-02-19", false, "春节"),
    ("2026-02-20", false, "春节"),
    ("2026-02-23", false, "春节"),
    ("2026-02-28", true, "春节调休上班"),
    ("2026-04-06", false, "清明节"),
    ("2026-05-01", false, "劳动节"),
    ("2026-05-04", false, "劳动节"),
    ("2026-05-05", false, "劳动节"),
    ("2026-05-09", true, "劳动节调休上班"),
    ("2026-06-19", false, "端午节"),
    ("2026-09-20", true, "国庆节调休上班"),
    ("2026-09-25", false, "中秋节"),
    ("2026-10-01", false, "国庆节"),
    ("2026-10-02", false, "国庆节"),
    ("2026-10-05", false, "国庆节"),
    ("2026-10-06", false, "国庆节"),
    ("2026-10-07", false, "国庆节"),
    ("2026-10-10", true, "国庆节调休上班"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn date(iso: &str) -> CivilDate {
        CivilDate::parse_iso(iso).unwrap()
    }

    fn calendar_2026() -> WorkCalendar {
        WorkCalendar::new(SCHEDULE_2026.iter().map(|(d, w, _)| (date(d), *w)))
    }

    #[test]
    fn an_ordinary_week_skips_the_weekend() {
        let c = calendar_2026();
        // Thursday 3 December 2026 + 5 working days: Fri 4, Mon 7 … Thu 10.
        assert_eq!(c.deadline(date("2026-12-03"), 5), date("2026-12-10"));
        // Friday evening + 1: Monday.
        assert_eq!(c.deadline(date("2026-12-04"), 1), date("2026-12-07"));
        assert_eq!(c.deadline(date("2026-12-04"), 0), date("2026-12-04"));
    }

    #[test]
    fn the_national_day_week_is_skipped_and_its_make_up_saturday_counts() {
        let c = calendar_2026();
        // Wednesday 30 September: 1–7 October off (8 and 9 are a Thursday and
        // a Friday, working), Saturday 10 October is a 调休 working day.
        // 5 working days: 8, 9, 10, 12, 13.
        assert_eq!(c.deadline(date("2026-09-30"), 5), date("2026-10-13"));
        assert!(c.is_working_day(date("2026-10-10")));
        assert!(!c.is_working_day(date("2026-10-05")));
    }

    #[test]
    fn a_make_up_sunday_before_the_holiday_counts_too() {
        let c = calendar_2026();
        // Friday 18 September + 2: Sunday 20 (调休) and Monday 21.
        assert_eq!(c.deadline(date("2026-09-18"), 2), date("2026-09-21"));
        // Without the calendar the same letter would be due on Tuesday.
        assert_eq!(WorkCalendar::default().deadline(date("2026-09-18"), 2), date("2026-09-22"));
    }

    #[test]
    fn the_spring_festival_holiday_pushes_a_deadline_past_it() {
        let c = calendar_2026();
        // Thursday 12 February + 5: 13, 14 (Saturday, 调休), then the
        // holiday 15–23, then 24, 25, 26.
        assert_eq!(c.deadline(date("2026-02-12"), 5), date("2026-02-26"));
    }

    #[test]
    fn overdue_days_count_only_working_days() {
        let c = calendar_2026();
        assert_eq!(c.working_days_between(date("2026-12-04"), date("2026-12-07")), 1);
        assert_eq!(c.working_days_between(date("2026-12-07"), date("2026-12-04")), 0);
        assert_eq!(c.working_days_between(date("2026-09-30"), date("2026-10-08")), 1);
    }

    #[test]
    fn every_seeded_exception_is_a_real_date_that_differs_from_the_plain_week() {
        for (day, working, name) in SCHEDULE_2026 {
            let d = date(day);
            assert_eq!(d.is_weekend(), *working, "{day} {name}: a 调休 day is a weekend, a holiday a weekday");
        }
    }
}
