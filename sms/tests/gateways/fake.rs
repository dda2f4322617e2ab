//! What both fake gateways share: a server on 127.0.0.1:0, a record of what
//! they were sent, and the hash primitives their verifiers are built from.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Fixed phone and code the tests send.
pub const PHONE: &str = "13800138000";
pub const CODE: &str = "123456";

/// A message the fake gateway accepted, as the gateway would hand it to the
/// carrier: which number, under which sign and template, with which parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub phone: String,
    pub sign_name: String,
    pub template: String,
    pub param: String,
}

/// What reached the fake: every request (signed well or not) and every
/// message it accepted.
#[derive(Default)]
pub struct Record {
    requests: AtomicUsize,
    deliveries: Mutex<Vec<Delivery>>,
}

impl Record {
    pub fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn deliver(&self, delivery: Delivery) {
        self.deliveries.lock().unwrap().push(delivery);
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.deliveries.lock().unwrap().clone()
    }
}

/// Serves `router` on a free port of 127.0.0.1 and returns its base URL.
pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

/// A URL where nothing listens: a port the OS just gave us and took back.
pub async fn nobody_listening() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// Longer than the crate's 5 s timeout, short enough that a test that forgot
/// its timeout still ends.
pub const HANG: Duration = Duration::from_secs(30);

pub fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

pub fn sha256_hex(data: &[u8]) -> String {
    to_hex(&Sha256::digest(data))
}

pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `%XX` back to bytes, then UTF-8.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// RFC 3986: unreserved characters as they are, everything else `%XX` in
/// uppercase hex.
pub fn rfc3986(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The UTC date of a Unix time, by the civil-from-days algorithm (Howard
/// Hinnant's), so the fakes do not share the crate's date code.
pub fn utc_date_of(unix: i64) -> (i64, u32, u32) {
    let days = unix.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (the inverse of `utc_date_of`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[test]
fn the_fakes_date_arithmetic_agrees_with_the_tencent_document() {
    // 1551113065 is 2019-02-25 in UTC (the document's example).
    assert_eq!(utc_date_of(1_551_113_065), (2019, 2, 25));
    assert_eq!(utc_date_of(951_782_400), (2000, 2, 29));
    assert_eq!(days_from_civil(2019, 2, 25), 1_551_113_065 / 86_400);
    assert_eq!(days_from_civil(1970, 1, 1), 0);
}
