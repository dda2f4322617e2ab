//! Aliyun SMS against a fake dysmsapi that verifies signature V3
//! (ACS3-HMAC-SHA256) as the V3 document describes it and answers as SendSms
//! does: `{"Code": "OK", ...}` or a refusal code.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::json;
use sms::{Aliyun, SmsError, SmsGateway};

use crate::fake::{self, Delivery, Record, CODE, PHONE};

pub const KEY_ID: &str = "LTAI5tFakeKeyId";
pub const SECRET: &str = "fake-access-key-secret";
pub const SIGN_NAME: &str = "某市总工会";
pub const TEMPLATE: &str = "SMS_154950909";

/// How the fake answers a request whose signature it accepted.
#[derive(Clone, Copy)]
pub enum Answer {
    Accept,
    /// SendSms's business refusals come with HTTP 200 and the code.
    Refuse(&'static str),
    Hang,
    /// A proxy's error page instead of the API.
    NotJson,
}

pub struct FakeDysmsapi {
    answer: Answer,
    nonces: Mutex<HashSet<String>>,
    pub record: Record,
}

pub struct Started {
    pub url: String,
    pub fake: Arc<FakeDysmsapi>,
}

pub async fn start(answer: Answer) -> Started {
    let fake = Arc::new(FakeDysmsapi { answer, nonces: Mutex::default(), record: Record::default() });
    let url = fake::serve(Router::new().route("/", any(send_sms)).with_state(fake.clone())).await;
    Started { url, fake }
}

fn gateway(url: &str, secret: &str) -> Aliyun {
    Aliyun::new(KEY_ID, secret, SIGN_NAME, TEMPLATE).unwrap().with_endpoint(url).unwrap()
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({
        "RequestId": "C0A0BE93-B44F-4350-BCC8-B677F78C3802",
        "HostId": "dysmsapi.aliyuncs.com",
        "Code": code,
        "Message": message,
    });
    (status, Json(body)).into_response()
}

/// The Authorization header's three parts.
struct Authorization {
    key_id: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix("ACS3-HMAC-SHA256 ")?;
    let mut key_id = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (name, value) = part.trim().split_once('=')?;
        match name {
            "Credential" => key_id = Some(value.to_owned()),
            "SignedHeaders" => signed_headers = Some(value.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(value.to_owned()),
            _ => return None,
        }
    }
    Some(Authorization { key_id: key_id?, signed_headers: signed_headers?, signature: signature? })
}

/// The canonical query as the server rebuilds it from what arrived: decode
/// each pair, sort by name, encode again per RFC 3986.
fn canonical_query(raw: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (fake::percent_decode(name), fake::percent_decode(value))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(n, v)| format!("{}={}", fake::rfc3986(n), fake::rfc3986(v))).collect::<Vec<_>>().join("&")
}

fn query_params(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(n, v)| (fake::percent_decode(n), fake::percent_decode(v)))
        .collect()
}

/// "2023-10-26T10:22:32Z" to Unix seconds.
fn parse_acs_date(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let n = |range: std::ops::Range<usize>| date.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hour, minute, second) = (n(11..13)?, n(14..16)?, n(17..19)?);
    let days = fake::days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

async fn send_sms(
    State(fake): State<Arc<FakeDysmsapi>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    fake.record.count_request();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();

    // 1. The Authorization header, and a key we know.
    let Some(authorization) = parse_authorization(&header("authorization")) else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards.",
        );
    };
    if authorization.key_id != KEY_ID {
        return refusal(StatusCode::NOT_FOUND, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    // 2. Every common header is signed: host and each x-acs-* header sent.
    let mut must_sign: Vec<String> =
        headers.keys().map(|k| k.as_str().to_owned()).filter(|k| k.starts_with("x-acs-")).collect();
    must_sign.push("host".to_owned());
    for required in ["x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"] {
        if header(required).is_empty() {
            return refusal(StatusCode::BAD_REQUEST, "MissingParameter", &format!("{required} is mandatory"));
        }
    }
    if must_sign.iter().any(|h| !authorization.signed_headers.contains(h)) {
        return refusal(StatusCode::BAD_REQUEST, "IncompleteSignature", "A common header is not signed.");
    }
    // 3. The body's digest, the date (15 minutes either way), a fresh nonce.
    if header("x-acs-content-sha256") != fake::sha256_hex(&body) {
        return refusal(StatusCode::BAD_REQUEST, "SignatureDoesNotMatch", "x-acs-content-sha256 is not the body's.");
    }
    match parse_acs_date(&header("x-acs-date")) {
        Some(date) if (fake::now_unix() - date).abs() <= 15 * 60 => {}
        _ => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            )
        }
    }
    if !fake.nonces.lock().unwrap().insert(header("x-acs-signature-nonce")) {
        return refusal(StatusCode::BAD_REQUEST, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }
    // 4. The signature over the canonical request.
    let raw_query = uri.query().unwrap_or("");
    let mut signed_names = authorization.signed_headers.clone();
    signed_names.sort();
    let canonical_headers: String =
        signed_names.iter().map(|name| format!("{name}:{}\n", header(name).trim())).collect();
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical_headers}\n{}\n{}",
        uri.path(),
        canonical_query(raw_query),
        signed_names.join(";"),
        fake::sha256_hex(&body)
    );
    let string_to_sign = format!("ACS3-HMAC-SHA256\n{}", fake::sha256_hex(canonical_request.as_bytes()));
    let expected = fake::to_hex(&fake::hmac_sha256(SECRET.as_bytes(), string_to_sign.as_bytes()));
    if authorization.signature != expected {
        return refusal(
            StatusCode::BAD_REQUEST,
            "SignatureDoesNotMatch",
            &format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        );
    }
    // 5. The action.
    if header("x-acs-action") != "SendSms" || header("x-acs-version") != "2017-05-25" {
        return refusal(StatusCode::NOT_FOUND, "InvalidAction.NotFound", "Specified api is not found.");
    }
    let params = query_params(raw_query);
    let param = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
    if !(param("PhoneNumbers").len() == 11 && param("PhoneNumbers").bytes().all(|b| b.is_ascii_digit())) {
        return refusal(StatusCode::OK, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
    }
    if serde_json::from_str::<serde_json::Value>(&param("TemplateParam")).is_err() {
        return refusal(StatusCode::OK, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
    }

    match fake.answer {
        Answer::Accept => {
            fake.record.deliver(Delivery {
                phone: param("PhoneNumbers"),
                sign_name: param("SignName"),
                template: param("TemplateCode"),
                param: param("TemplateParam"),
            });
            let body = json!({
                "Code": "OK",
                "Message": "OK",
                "BizId": "900619746936498440^0",
                "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
            });
            Json(body).into_response()
        }
        Answer::Refuse(code) => refusal(StatusCode::OK, code, "refused by the fake"),
        Answer::Hang => {
            tokio::time::sleep(fake::HANG).await;
            refusal(StatusCode::OK, "OK", "too late")
        }
        Answer::NotJson => (StatusCode::BAD_GATEWAY, "<html><body>502 Bad Gateway</body></html>").into_response(),
    }
}

#[tokio::test]
async fn a_good_request_delivers_the_code_to_the_number_through_the_template() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET).send_code(PHONE, CODE).await;

    assert_eq!(sent, Ok(()));
    assert_eq!(
        server.fake.record.deliveries(),
        vec![Delivery {
            phone: PHONE.to_owned(),
            sign_name: SIGN_NAME.to_owned(),
            template: TEMPLATE.to_owned(),
            param: r#"{"code":"123456"}"#.to_owned(),
        }]
    );
}

#[tokio::test]
async fn a_number_with_the_country_code_is_sent_as_its_eleven_digits() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET).send_code("+8613800138000", CODE).await;

    assert_eq!(sent, Ok(()));
    assert_eq!(server.fake.record.deliveries()[0].phone, PHONE);
}

#[tokio::test]
async fn every_request_carries_a_fresh_nonce() {
    let server = start(Answer::Accept).await;
    let gateway = gateway(&server.url, SECRET);

    let first = gateway.send_code(PHONE, CODE).await;
    let second = gateway.send_code("13900139000", "654321").await;

    assert_eq!((first, second), (Ok(()), Ok(())));
    assert_eq!(server.fake.record.deliveries().len(), 2);
}

#[tokio::test]
async fn a_request_signed_with_a_wrong_secret_is_refused_and_the_officials_are_sent_to_the_key() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, "not-the-secret").send_code(PHONE, CODE).await;

    let error = sent.unwrap_err();
    assert!(matches!(&error, SmsError::Refused { code, .. } if code == "SignatureDoesNotMatch"), "{error:?}");
    assert!(error.for_officials().contains("GONGHUI_SMS_KEY_SECRET"), "{}", error.for_officials());
    assert_eq!(error.for_members(), "验证码发送失败，请稍后再试");
    assert!(server.fake.record.deliveries().is_empty());
}

#[tokio::test]
async fn each_documented_refusal_becomes_the_kind_the_union_acts_on() {
    let cases = [
        ("isv.BUSINESS_LIMIT_CONTROL", SmsError::Throttled),
        ("isv.DAY_LIMIT_CONTROL", SmsError::QuotaExceeded),
        ("isv.MONTH_LIMIT_CONTROL", SmsError::QuotaExceeded),
        ("isv.AMOUNT_NOT_ENOUGH", SmsError::QuotaExceeded),
        ("isv.OUT_OF_SERVICE", SmsError::QuotaExceeded),
        ("isv.MOBILE_NUMBER_ILLEGAL", SmsError::InvalidNumber),
        ("isv.SMS_TEMPLATE_ILLEGAL", SmsError::TemplateNotApproved),
        ("isv.SMS_SIGNATURE_ILLEGAL", SmsError::TemplateNotApproved),
        ("isv.TEMPLATE_MISSING_PARAMETERS", SmsError::TemplateNotApproved),
        ("isv.SMS_SIGNATURE_SCENE_ILLEGAL", SmsError::TemplateNotApproved),
        (
            "isv.SMS_CONTENT_ILLEGAL",
            SmsError::Refused { code: "isv.SMS_CONTENT_ILLEGAL".into(), message: "refused by the fake".into() },
        ),
    ];
    for (code, kind) in cases {
        let server = start(Answer::Refuse(code)).await;

        let sent = gateway(&server.url, SECRET).send_code(PHONE, CODE).await;

        assert_eq!(sent, Err(kind), "{code}");
    }
}

#[tokio::test]
async fn a_gateway_that_does_not_answer_within_five_seconds_is_a_transport_error() {
    let server = start(Answer::Hang).await;
    let started = Instant::now();

    let sent = gateway(&server.url, SECRET).send_code(PHONE, CODE).await;

    assert!(matches!(&sent, Err(SmsError::Transport(_))), "{sent:?}");
    assert!(started.elapsed() < fake::HANG / 2, "gave up after {:?}", started.elapsed());
    assert_eq!(server.fake.record.requests(), 1);
}

#[tokio::test]
async fn a_gateway_that_is_not_listening_is_a_transport_error() {
    let url = fake::nobody_listening().await;

    let sent = gateway(&url, SECRET).send_code(PHONE, CODE).await;

    assert!(matches!(&sent, Err(SmsError::Transport(_))), "{sent:?}");
}

#[tokio::test]
async fn an_answer_that_is_not_the_gateways_json_is_a_transport_error_without_the_number() {
    let server = start(Answer::NotJson).await;

    let sent = gateway(&server.url, SECRET).send_code(PHONE, CODE).await;

    let Err(SmsError::Transport(detail)) = sent else { panic!("{sent:?}") };
    assert!(detail.contains("502"), "{detail}");
    assert!(!detail.contains(PHONE), "{detail}");
}

#[tokio::test]
async fn a_malformed_number_is_refused_without_a_paid_request() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET).send_code("1380013800", CODE).await;

    assert_eq!(sent, Err(SmsError::InvalidNumber));
    assert_eq!(server.fake.record.requests(), 0);
}
