//! 居民身份证号码 (resident ID number), GB 11643-1999: a 6-digit address
//! code, the birth date (YYYYMMDD), a 3-digit sequence (odd for men, even for
//! women) and an ISO 7064 MOD 11-2 check character (0–9 or X).
//!
//! An ID number is personal data: it is never serialised, its `Debug` shows
//! only the masked form, and screens show `masked()`. Storage encrypts it
//! (certification issue); this type only guarantees it is well-formed.

use std::fmt;

use crate::CivilDate;

/// ISO 7064 MOD 11-2 weights for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder 0–10.
const CHECK: [u8; 11] = *b"10X98765432";
/// Province-level codes (first two digits) in GB/T 2260, plus 71 台湾,
/// 81 香港, 82 澳门 as issued on mainland-style numbers.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
    64, 65, 71, 81, 82, 83,
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("请输入身份证号")]
    Empty,
    #[error("身份证号应为 18 位")]
    Length,
    #[error("身份证号格式不对：前 17 位应为数字，最后一位为数字或 X")]
    Characters,
    #[error("身份证号的地区代码不正确")]
    Region,
    #[error("身份证号中的出生日期不正确")]
    BirthDate,
    /// A real date that has not come yet (in Shanghai): the number was
    /// mistyped or made up.
    #[error("身份证号中的出生日期 {0} 晚于今天，请核对")]
    FutureBirthDate(CivilDate),
    #[error("身份证号校验位不正确，请逐位核对")]
    CheckDigit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// A well-formed 18-character ID number, upper-case `X`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    /// Spaces are dropped (numbers are often typed in groups); a lower-case
    /// `x` is accepted as `X`. The birth date must be a real date not after
    /// `today` (the caller's today in Shanghai: the parser keeps no clock, so
    /// it runs the same in the browser and on the server).
    pub fn parse(raw: &str, today: CivilDate) -> Result<Self, IdNumberError> {
        let id: String = crate::member::half_width(raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if id.is_empty() {
            return Err(IdNumberError::Empty);
        }
        if id.chars().count() != 18 {
            return Err(IdNumberError::Length);
        }
        let bytes = id.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(IdNumberError::Characters);
        }
        let province = (bytes[0] - b'0') * 10 + (bytes[1] - b'0');
        if !PROVINCES.contains(&province) {
            return Err(IdNumberError::Region);
        }
        let number = |range: std::ops::Range<usize>| id[range].parse::<u32>().expect("digits");
        let Some(born) = CivilDate::new(number(6..10), number(10..12), number(12..14)) else {
            return Err(IdNumberError::BirthDate);
        };
        if bytes[17] != check_character(&bytes[..17]) {
            return Err(IdNumberError::CheckDigit);
        }
        if born > today {
            return Err(IdNumberError::FutureBirthDate(born));
        }
        Ok(Self(id))
    }

    /// `3701**********123X`: the first four and last four characters.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }

    /// (year, month, day) of birth.
    pub fn birth_date(&self) -> (u32, u32, u32) {
        let n = |r: std::ops::Range<usize>| self.0[r].parse().expect("checked digits");
        (n(6..10), n(10..12), n(12..14))
    }

    /// A number this server checked before it was sealed (a stored roster
    /// entry or request): the future-date rule held on the day it was stored.
    pub fn parse_stored(raw: &str) -> Result<Self, IdNumberError> {
        Self::parse(raw, CivilDate::LATEST)
    }

    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The number itself, for encryption and keyed hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // From shared/fixtures/roster.csv (synthetic people, valid numbers).
    const VALID: &str = "370103196508295838";

    /// The day these tests pretend it is.
    fn today() -> CivilDate {
        CivilDate::new(2026, 12, 1).unwrap()
    }

    #[test]
    fn a_birth_date_after_today_is_refused_naming_the_date() {
        // Well-formed, with a correct check character, born 2026-12-31.
        let born_new_years_eve = "371302202612310106";
        let error = IdNumber::parse(born_new_years_eve, today()).unwrap_err();
        assert_eq!(error, IdNumberError::FutureBirthDate(CivilDate::new(2026, 12, 31).unwrap()));
        assert_eq!(error.to_string(), "身份证号中的出生日期 2026年12月31日 晚于今天，请核对");
        // On that day the same number is fine.
        assert!(IdNumber::parse(born_new_years_eve, CivilDate::new(2026, 12, 31).unwrap()).is_ok());
    }

    #[test]
    fn a_number_typed_in_full_width_characters_is_understood() {
        assert_eq!(IdNumber::parse("３７０１０３１９６５０８２９５８３８", today()).unwrap().expose(), VALID);
    }

    #[test]
    fn the_standards_own_example_born_in_1880_is_accepted() {
        let id = IdNumber::parse("440524188001010014", today()).unwrap();
        assert_eq!(id.birth_date(), (1880, 1, 1));
    }

    #[test]
    fn a_valid_number_parses_and_tells_birth_date_and_gender() {
        let id = IdNumber::parse(VALID, today()).unwrap();
        assert_eq!(id.birth_date(), (1965, 8, 29));
        assert_eq!(id.gender(), Gender::Male);
        assert_eq!(id.masked(), "3701**********5838");
        assert_eq!(format!("{id:?}"), "IdNumber(3701**********5838)", "Debug never shows the number");
    }

    #[test]
    fn a_lower_case_x_and_spaces_are_accepted() {
        let first17 = b"11010519491231002";
        let with_x = format!("{}x", std::str::from_utf8(first17).unwrap());
        assert_eq!(check_character(first17), b'X');
        assert_eq!(IdNumber::parse(&format!(" {} ", with_x), today()).unwrap().expose(), with_x.to_uppercase());
        assert!(IdNumber::parse("370103 19650829 5838", today()).is_ok());
    }

    #[test]
    fn each_kind_of_mistake_has_its_own_message() {
        assert_eq!(IdNumber::parse("", today()), Err(IdNumberError::Empty));
        assert_eq!(IdNumber::parse("37010319650829583", today()), Err(IdNumberError::Length));
        assert_eq!(IdNumber::parse("37010319650829583A", today()), Err(IdNumberError::Characters));
        assert_eq!(IdNumber::parse("990103196508295838", today()), Err(IdNumberError::Region));
        assert_eq!(IdNumber::parse("370103196502305838", today()), Err(IdNumberError::BirthDate), "30 February");
        assert_eq!(IdNumber::parse("370103196508295839", today()), Err(IdNumberError::CheckDigit));
        assert_eq!(IdNumberError::CheckDigit.to_string(), "身份证号校验位不正确，请逐位核对");
    }

    #[test]
    fn every_number_in_the_fixture_roster_is_valid() {
        let roster = include_str!("../../demo/roster.csv");
        let mut count = 0;
        for line in roster.lines().skip(1) {
            let id = line.split(',').nth(5).unwrap();
            assert!(IdNumber::parse(id, today()).is_ok(), "{id}");
            count += 1;
        }
        assert_eq!(count, 200);
    }

    proptest! {
        #[test]
        fn a_number_with_its_computed_check_character_always_parses(
            province in proptest::sample::select(PROVINCES.to_vec()),
            rest_of_region in 0u32..10_000,
            year in 1800u32..=2025, month in 1u32..=12, day in 1u32..=28, sequence in 0u32..1000,
        ) {
            let first17 = format!("{province:02}{rest_of_region:04}{year:04}{month:02}{day:02}{sequence:03}");
            let id = format!("{first17}{}", check_character(first17.as_bytes()) as char);
            let parsed = IdNumber::parse(&id, today()).unwrap();
            prop_assert_eq!(parsed.birth_date(), (year, month, day));
            prop_assert_eq!(parsed.gender() == Gender::Male, sequence % 2 == 1);
            prop_assert_eq!(parsed.masked().len(), 18);
        }

        #[test]
        fn changing_any_one_digit_breaks_the_check(position in 0usize..17, delta in 1u8..10) {
            let mut bytes = VALID.as_bytes().to_vec();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            // MOD 11-2 catches every single-digit change; some changes also
            // break the region or the date first, which is refused too.
            prop_assert!(IdNumber::parse(&changed, today()).is_err());
        }
    }
}
