//! What a member types when registering and signing in: a mainland mobile
//! number, an SMS code, a password, a name.

use serde::{Deserialize, Serialize};

/// What is wrong with one field of a member's form; the text is shown next
/// to the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MemberFieldError {
    #[error("请输入手机号")]
    EmptyPhone,
    #[error("手机号应为 11 位数字，以 1 开头")]
    MalformedPhone,
    #[error("请输入短信验证码")]
    EmptyCode,
    #[error("验证码应为 6 位数字")]
    MalformedCode,
    #[error("密码至少 8 位")]
    PasswordTooShort,
    #[error("密码不能超过 64 位")]
    PasswordTooLong,
    #[error("密码太简单，容易被猜到，请换一个（可以混合字母、数字和符号）")]
    PasswordTooCommon,
    #[error("请输入姓名")]
    EmptyName,
    #[error("姓名应为 2–20 个字")]
    NameLength,
    #[error("姓名只能包含汉字、字母、间隔号（·）和空格")]
    NameCharacters,
}

/// Full-width digits, plus sign, hyphen and letters (Ｘ) as Chinese input
/// methods type them (`１３９１２３４５６７８`) become their ASCII selves:
/// U+FF01–U+FF5E map one to one onto U+0021–U+007E.
pub fn half_width(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// A mainland China mobile number: 11 digits, `1` then `3`–`9`. Full-width
/// characters are read as their ASCII selves; spaces, dashes and a leading
/// `+86`/`86` (as contact cards copy them) are dropped.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Masked (`Phone("138****8000")`): a phone reaches logs through tracing
/// spans and error messages, and a log is no place for a member's number.
impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Phone").field(&self.masked()).finish()
    }
}

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, MemberFieldError> {
        let digits: String = half_width(raw).chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
        if digits.is_empty() {
            return Err(MemberFieldError::EmptyPhone);
        }
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11))
            .unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(Self(digits.to_owned()))
        } else {
            Err(MemberFieldError::MalformedPhone)
        }
    }

    /// `138****1234`: what screens show.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

string_newtype!(Phone, MemberFieldError);

/// A 6-digit SMS verification code as typed (spaces dropped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct SmsCode(String);

impl SmsCode {
    pub fn parse(raw: &str) -> Result<Self, MemberFieldError> {
        let digits: String = half_width(raw).chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(MemberFieldError::EmptyCode);
        }
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(MemberFieldError::MalformedCode)
        }
    }
}

string_newtype!(SmsCode, MemberFieldError);

/// Shortest password we accept (NIST SP 800-63B's minimum).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest: argon2 hashes anything, but a cap stops megabyte "passwords".
pub const MAX_PASSWORD_CHARS: usize = 64;

/// Passwords from the top of leaked-password lists (Chinese sites' included),
/// refused outright; compared case-insensitively.
const COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "11111111",
    "88888888",
    "66666666",
    "00000000",
    "password",
    "password1",
    "passw0rd",
    "iloveyou",
    "qwertyui",
    "qwertyuiop",
    "asdfghjk",
    "zxcvbnm1",
    "1q2w3e4r",
    "1qaz2wsx",
    "a1234567",
    "a12345678",
    "abc12345",
    "abcd1234",
    "aa123456",
    "woaini1314",
    "5201314520",
    "147258369",
    "123123123",
    "11223344",
    "12344321",
    "qq123456",
    "admin123",
];

/// A password a member chose: 8–64 characters, not all one character, not
/// a well-known one. Never serialised, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, MemberFieldError> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(MemberFieldError::PasswordTooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(MemberFieldError::PasswordTooLong);
        }
        let first = raw.chars().next();
        let one_character = raw.chars().all(|c| Some(c) == first);
        let lower = raw.to_lowercase();
        if one_character || COMMON_PASSWORDS.contains(&lower.as_str()) || is_digit_run(&lower) {
            return Err(MemberFieldError::PasswordTooCommon);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret itself, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// `23456789`, `98765432`: consecutive digits up or down.
fn is_digit_run(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().all(u8::is_ascii_digit)
        && (b.windows(2).all(|w| w[1] == w[0] + 1) || b.windows(2).all(|w| w[0] == w[1] + 1))
}

/// A member's name as registered: 2–20 characters of Han, Latin letters, the
/// middle dot of minority and foreign names (·), and single spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct MemberName(String);

impl MemberName {
    pub fn parse(raw: &str) -> Result<Self, MemberFieldError> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ").replace(['•', '・', '.'], "·");
        if name.is_empty() {
            return Err(MemberFieldError::EmptyName);
        }
        let count = name.chars().count();
        if !(2..=20).contains(&count) {
            return Err(MemberFieldError::NameLength);
        }
        let allowed = |c: char| c == '·' || c == ' ' || c.is_ascii_alphabetic() || is_han(c);
        if !name.chars().all(allowed) {
            return Err(MemberFieldError::NameCharacters);
        }
        Ok(Self(name))
    }
}

string_newtype!(MemberName, MemberFieldError);

impl MemberName {
    /// `刘*`, `夏**`: the surname only, for pages anyone may see.
    pub fn masked(&self) -> String {
        let mut chars = self.0.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        first + &"*".repeat(chars.count())
    }
}

/// CJK Unified Ideographs and Extension A (rare characters in names are
/// mostly there; Extension B+ added below for the few beyond).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_phone_never_prints_whole_in_debug_output() {
        let phone = Phone::parse("13800138000").unwrap();
        assert_eq!(format!("{phone:?}"), r#"Phone("138****8000")"#);
        assert_eq!(phone.as_ref(), "13800138000", "the number itself is intact");
    }

    #[test]
    fn a_phone_copied_with_country_code_and_spaces_is_understood() {
        assert_eq!(Phone::parse("+86 138 0013 8000").unwrap().as_ref(), "13800138000");
        assert_eq!(Phone::parse("8613800138000").unwrap().as_ref(), "13800138000");
        assert_eq!(Phone::parse("138-0013-8000").unwrap().masked(), "138****8000");
    }

    #[test]
    fn a_phone_and_a_code_typed_in_full_width_digits_are_understood() {
        assert_eq!(Phone::parse("１３９１２３４５６７８").unwrap().as_ref(), "13912345678");
        assert_eq!(Phone::parse("＋８６ １３９－１２３４－５６７８").unwrap().as_ref(), "13912345678");
        assert_eq!(SmsCode::parse("１２３４５６").unwrap().as_ref(), "123456");
    }

    #[test]
    fn malformed_phones_are_refused_with_a_chinese_message() {
        for bad in ["1380013800", "138001380001", "12800138000", "23800138000", "1380013800x"] {
            assert_eq!(Phone::parse(bad), Err(MemberFieldError::MalformedPhone), "{bad}");
        }
        assert_eq!(Phone::parse("  ").unwrap_err().to_string(), "请输入手机号");
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert_eq!(Password::parse("abc123"), Err(MemberFieldError::PasswordTooShort));
        assert_eq!(Password::parse("12345678"), Err(MemberFieldError::PasswordTooCommon));
        assert_eq!(Password::parse("Password"), Err(MemberFieldError::PasswordTooCommon));
        assert_eq!(Password::parse("aaaaaaaaaa"), Err(MemberFieldError::PasswordTooCommon));
        assert_eq!(Password::parse("98765432"), Err(MemberFieldError::PasswordTooCommon));
        assert!(Password::parse("齐鲁工匠2019!").is_ok());
        assert_eq!(format!("{:?}", Password::parse("齐鲁工匠2019!").unwrap()), "Password(***)");
    }

    #[test]
    fn a_masked_name_keeps_only_the_surname() {
        assert_eq!(MemberName::parse("刘敏").unwrap().masked(), "刘*");
        assert_eq!(MemberName::parse("夏国子").unwrap().masked(), "夏**");
    }

    #[test]
    fn names_keep_the_middle_dot_and_refuse_digits() {
        assert_eq!(MemberName::parse(" 阿依古丽.买买提 ").unwrap().as_ref(), "阿依古丽·买买提");
        assert_eq!(MemberName::parse("张"), Err(MemberFieldError::NameLength));
        assert_eq!(MemberName::parse("张三1"), Err(MemberFieldError::NameCharacters));
    }

    proptest! {
        #[test]
        fn every_valid_mobile_number_parses_to_itself_and_masks_to_eleven_characters(
            second in 3u8..=9, rest in "[0-9]{9}"
        ) {
            let raw = format!("1{second}{rest}");
            let phone = Phone::parse(&raw).unwrap();
            prop_assert_eq!(phone.as_ref(), raw.as_str());
            let masked = phone.masked();
            prop_assert_eq!(masked.chars().count(), 11);
            prop_assert_eq!(&masked[3..7], "****");
        }

        #[test]
        fn phone_parse_never_accepts_anything_but_eleven_digits(raw in "\\PC{0,16}") {
            if let Ok(phone) = Phone::parse(&raw) {
                prop_assert_eq!(phone.as_ref().len(), 11);
                prop_assert!(phone.as_ref().bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn sms_code_parse_accepts_exactly_six_digits(raw in "[0-9 ]{0,9}") {
            let digits: String = raw.chars().filter(|c| *c != ' ').collect();
            prop_assert_eq!(SmsCode::parse(&raw).is_ok(), digits.len() == 6);
        }

        #[test]
        fn password_parse_respects_the_length_bounds(raw in "[a-zA-Z0-9!@#]{0,80}") {
            let n = raw.chars().count();
            if let Ok(p) = Password::parse(&raw) {
                prop_assert!((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n));
                prop_assert_eq!(p.expose(), raw.as_str());
            } else {
                // Refused only for a reason the rules name.
                prop_assert!(!(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) || Password::parse(&raw) == Err(MemberFieldError::PasswordTooCommon));
            }
        }
    }
}
