//! Time as the rules need it: Unix seconds, and day boundaries and wall-clock
//! times in Asia/Shanghai (UTC+8 all year: China has no daylight saving).

const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;
const DAY_SECS: i64 = 24 * 3600;

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// The Unix time of the most recent midnight in Shanghai.
pub fn start_of_today_in_shanghai(now: i64) -> i64 {
    let local = now + SHANGHAI_OFFSET_SECS;
    local - local.rem_euclid(DAY_SECS) - SHANGHAI_OFFSET_SECS
}

/// The day number in Shanghai (days since 1970-01-01 there): a member's
/// daily vote allowance starts again when it changes, at local midnight.
pub fn shanghai_day(at: i64) -> i64 {
    (at + SHANGHAI_OFFSET_SECS).div_euclid(DAY_SECS)
}

/// `HH:MM` in Shanghai, for "try again at …" messages.
pub fn wall_clock_in_shanghai(at: i64) -> String {
    let seconds_into_day = (at + SHANGHAI_OFFSET_SECS).rem_euclid(DAY_SECS);
    format!("{:02}:{:02}", seconds_into_day / 3600, seconds_into_day % 3600 / 60)
}

/// `YYYY-MM-DD HH:MM` in Shanghai, for lists and logs.
pub fn date_time_in_shanghai(at: i64) -> String {
    let date = domain::CivilDate::in_shanghai(at);
    let secs = (at + SHANGHAI_OFFSET_SECS).rem_euclid(DAY_SECS);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", date.year(), date.month(), date.day(), secs / 3600, secs % 3600 / 60)
}

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
