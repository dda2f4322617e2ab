//! Time as the rules need it: the clock (Unix seconds), and day boundaries
//! and wall-clock times in Asia/Shanghai — computed by `domain::calendar`,
//! the one place for calendar arithmetic.

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// The Unix time of the most recent midnight in Shanghai.
pub fn start_of_today_in_shanghai(now: i64) -> i64 {
    domain::CivilDate::in_shanghai(now).midnight_in_shanghai()
}

pub use domain::calendar::{date_time_in_shanghai, shanghai_day, wall_clock_in_shanghai};

/// Today's date in Shanghai: the latest birth date an ID number may hold.
pub fn today_in_shanghai() -> domain::CivilDate {
    domain::CivilDate::in_shanghai(now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_day_starts_at_midnight_in_shanghai() {
        let midnight = 1_795_276_800; // 2026-11-22 00:00 in Shanghai (16:00 UTC the day before)
        assert_eq!(shanghai_day(midnight) - shanghai_day(midnight - 1), 1);
        assert_eq!(shanghai_day(midnight), shanghai_day(midnight + 86_399));
    }

    #[test]
    fn the_day_starts_at_midnight_in_shanghai_not_in_utc() {
        // 2026-11-21 16:30 UTC is 2026-11-22 00:30 in Shanghai.
        let at = 1_795_278_600;
        assert_eq!(wall_clock_in_shanghai(at), "00:30");
        assert_eq!(start_of_today_in_shanghai(at), at - 30 * 60);
        assert_eq!(wall_clock_in_shanghai(start_of_today_in_shanghai(at)), "00:00");
        assert_eq!(date_time_in_shanghai(at), "2026-11-22 00:30");
        assert_eq!(date_time_in_shanghai(951_782_400), "2000-02-29 08:00", "a leap day");
    }
}
