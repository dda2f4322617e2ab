//! Verification codes by SMS, through the two gateways unions in mainland China
//! use: Aliyun SMS (dysmsapi 2017-05-25) and Tencent Cloud SMS (API 3.0,
//! 2021-01-11). Each gateway signs its requests itself, from the algorithm its
//! vendor documents (ACS3-HMAC-SHA256 and TC3-HMAC-SHA256), instead of pulling
//! in two vendor SDKs for one API call each.
//!
//! A code goes out through a template the gateway has approved, with one
//! parameter: the code. What can go wrong is sorted into the kinds that matter
//! to a union ([`SmsError`]), each with a sentence for the officials' admin page
//! and one for the member waiting for the code.
//!
//! [`from_env`] picks the gateway from `GONGHUI_SMS_*` variables.

mod aliyun;
mod config;
mod endpoint;
mod error;
mod secret;
mod signing;
mod tencent;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use aliyun::Aliyun;
pub use config::{from_env, ConfigError};
pub use error::SmsError;
pub use tencent::Tencent;

/// How long one request to a gateway may take, connection included. A member
/// waits for the sign-up page while we wait for the gateway; both gateways
/// answer in well under a second when they are well, so 5 s is a hung gateway,
/// not a slow one.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Connecting is the part that hangs when a route or a firewall drops packets;
/// it gets 3 of the 5 seconds.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// What sending a code returns; boxed so the trait stays object-safe (the
/// server holds a `Box<dyn SmsGateway>` chosen at start).
pub type SmsFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// A gateway that sends a verification code through an approved template.
pub trait SmsGateway: Send + Sync {
    /// Sends `code` (6 digits) to `phone`, an 11-digit mainland mobile number
    /// such as `13800138000` (a `+86` prefix is accepted and dropped).
    fn send_code<'a>(&'a self, phone: &'a str, code: &'a str) -> SmsFuture<'a>;

    /// The gateway's name for logs and the admin page: `aliyun` or `tencent`.
    fn name(&self) -> &'static str;
}

/// The 11 digits of a mainland mobile number, from `13800138000`,
/// `+8613800138000`, `8613800138000` or `008613800138000`. Anything else is
/// refused here, before a paid request: both gateways charge for a message
/// they accept and refuse a malformed number anyway.
fn mainland_mobile(phone: &str) -> Result<&str, SmsError> {
    let phone = phone.trim();
    let digits = ["+86", "0086", "86"]
        .iter()
        .find_map(|prefix| phone.strip_prefix(prefix).filter(|rest| rest.len() == 11))
        .unwrap_or(phone);
    // Mainland mobile numbers are 11 digits and begin with 1 (13x–19x).
    if digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(SmsError::InvalidNumber)
    }
}

/// `138****8000`: enough to tell members apart in a log line without writing
/// their numbers into it.
fn masked(phone: &str) -> String {
    match (phone.get(..3), phone.get(7..)) {
        (Some(head), Some(tail)) if phone.len() == 11 => format!("{head}****{tail}"),
        _ => "***".to_owned(),
    }
}

/// One client per gateway: it keeps the TLS connection to the gateway open
/// between codes, which saves a handshake (two round trips) per code.
fn http_client() -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("gonghui-sms/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError::HttpClient(e.to_string()))
}

/// A failed exchange, without the URL: Aliyun's URL carries the phone number
/// in its query string, and this text reaches logs and the admin page.
fn transport(error: reqwest::Error) -> SmsError {
    let error = error.without_url();
    let what = if error.is_timeout() {
        format!("no answer within {} s", REQUEST_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        "the exchange failed".to_owned()
    };
    // reqwest's own text is generic ("error sending request"); the causes
    // below it say what an official can act on ("Connection refused",
    // "dns error"). None of them carries the URL.
    let mut detail = format!("{what}: {error}");
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        detail.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    SmsError::Transport(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mainland_number_is_sent_as_its_eleven_digits_with_or_without_the_country_code() {
        for phone in ["13800138000", "+8613800138000", "8613800138000", "008613800138000", " 13800138000 "] {
            assert_eq!(mainland_mobile(phone), Ok("13800138000"), "{phone}");
        }
    }

    #[test]
    fn a_number_that_is_not_a_mainland_mobile_is_refused_before_any_request() {
        for phone in ["", "1380013800", "138001380001", "23800138000", "1380013800a", "+85291234567", "+1 4155550100"] {
            assert_eq!(mainland_mobile(phone), Err(SmsError::InvalidNumber), "{phone}");
        }
    }

    #[test]
    fn a_masked_number_keeps_only_its_first_three_and_last_four_digits() {
        assert_eq!(masked("13800138000"), "138****8000");
        assert_eq!(masked("12"), "***");
    }
}
