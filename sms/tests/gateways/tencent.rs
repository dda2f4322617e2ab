//! Tencent Cloud SMS against a fake API 3.0 endpoint that verifies
//! TC3-HMAC-SHA256 as the "Signature v3" document describes it and answers as
//! SendSms does: `Response.SendStatusSet` per number, or `Response.Error` for
//! a request refused as a whole.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use sms::{SmsError, SmsGateway, Tencent};

use crate::fake::{self, Delivery, Record, CODE, PHONE};

pub const SECRET_ID: &str = "AKIDFakeSecretId";
pub const SECRET_KEY: &str = "fake-secret-key";
pub const APP_ID: &str = "1400006666";
pub const SIGN_NAME: &str = "某市总工会";
pub const TEMPLATE: &str = "449739";

/// How the fake answers a request whose signature it accepted.
#[derive(Clone, Copy)]
pub enum Answer {
    Accept,
    /// A code in the number's SendStatus (HTTP 200).
    RefuseNumber(&'static str),
    /// A code in Response.Error (HTTP 200 too).
    RefuseRequest(&'static str),
    Hang,
    NotJson,
}

pub struct FakeSmsApi {
    answer: Answer,
    pub regions: Mutex<Vec<String>>,
    pub record: Record,
}

pub struct Started {
    pub url: String,
    pub fake: Arc<FakeSmsApi>,
}

pub async fn start(answer: Answer) -> Started {
    let fake = Arc::new(FakeSmsApi { answer, regions: Mutex::default(), record: Record::default() });
    let url = fake::serve(Router::new().route("/", post(send_sms)).with_state(fake.clone())).await;
    Started { url, fake }
}

fn gateway(url: &str, secret_key: &str) -> Tencent {
    Tencent::new(SECRET_ID, secret_key, APP_ID, SIGN_NAME, TEMPLATE).unwrap().with_endpoint(url).unwrap()
}

fn error(code: &str, message: &str) -> Response {
    let body = json!({
        "Response": {
            "Error": { "Code": code, "Message": message },
            "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6",
        }
    });
    Json(body).into_response()
}

fn send_status(phone: &str, code: &str, message: &str) -> Response {
    let body = json!({
        "Response": {
            "SendStatusSet": [{
                "SerialNo": "5000:1045710669157053657849499619",
                "PhoneNumber": phone,
                "Fee": 1,
                "SessionContext": "",
                "Code": code,
                "Message": message,
                "IsoCode": "CN",
            }],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
        }
    });
    Json(body).into_response()
}

/// `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b, Signature=hex`
struct Authorization {
    secret_id: String,
    date: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.strip_prefix("TC3-HMAC-SHA256 ")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(", ") {
        let (name, value) = part.split_once('=')?;
        match name {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(value.to_owned()),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let (secret_id, date, service, terminator) = (scope.next()?, scope.next()?, scope.next()?, scope.next()?);
    if terminator != "tc3_request" || scope.next().is_some() {
        return None;
    }
    Some(Authorization {
        secret_id: secret_id.to_owned(),
        date: date.to_owned(),
        service: service.to_owned(),
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

async fn send_sms(State(fake): State<Arc<FakeSmsApi>>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    fake.record.count_request();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();

    // 1. The Authorization header and a SecretId we know.
    let Some(authorization) = parse_authorization(&header("authorization")) else {
        return error("AuthFailure.InvalidAuthorization", "Authorization 不符合腾讯云标准。");
    };
    if authorization.secret_id != SECRET_ID {
        return error("AuthFailure.SecretIdNotFound", "密钥不存在。");
    }
    // 2. The timestamp within five minutes, the scope's date its UTC date,
    //    the scope's service the one this host serves.
    let Ok(timestamp) = header("x-tc-timestamp").parse::<i64>() else {
        return error("MissingParameter", "X-TC-Timestamp 缺失。");
    };
    if (fake::now_unix() - timestamp).abs() > 5 * 60 {
        return error("AuthFailure.SignatureExpire", "签名过期。");
    }
    let (year, month, day) = fake::utc_date_of(timestamp);
    let date = format!("{year:04}-{month:02}-{day:02}");
    if authorization.date != date || authorization.service != "sms" {
        return error("AuthFailure.SignatureFailure", "签名错误（凭证范围）。");
    }
    // 3. content-type and host must be signed.
    if !["content-type", "host"].iter().all(|h| authorization.signed_headers.iter().any(|s| s == h)) {
        return error("AuthFailure.SignatureFailure", "签名错误（content-type 与 host 须参与签名）。");
    }
    // 4. The signature: canonical request, string to sign, derived key.
    let canonical_headers: String = authorization
        .signed_headers
        .iter()
        .map(|name| format!("{name}:{}\n", header(name).trim().to_lowercase()))
        .collect();
    let canonical_request = format!(
        "POST\n{}\n{}\n{canonical_headers}\n{}\n{}",
        uri.path(),
        uri.query().unwrap_or(""),
        authorization.signed_headers.join(";"),
        fake::sha256_hex(&body)
    );
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{}",
        fake::sha256_hex(canonical_request.as_bytes())
    );
    let secret_date = fake::hmac_sha256(format!("TC3{SECRET_KEY}").as_bytes(), date.as_bytes());
    let secret_service = fake::hmac_sha256(&secret_date, b"sms");
    let secret_signing = fake::hmac_sha256(&secret_service, b"tc3_request");
    let expected = fake::to_hex(&fake::hmac_sha256(&secret_signing, string_to_sign.as_bytes()));
    if authorization.signature != expected {
        return error(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        );
    }
    // 5. The action, version and region.
    if header("x-tc-action") != "SendSms" {
        return error("InvalidAction", "接口不存在。");
    }
    if header("x-tc-version") != "2021-01-11" {
        return error("NoSuchVersion", "接口版本不存在。");
    }
    if header("x-tc-region").is_empty() {
        return error("MissingParameter", "Region 缺失。");
    }
    fake.regions.lock().unwrap().push(header("x-tc-region"));
    // 6. The parameters.
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return error("FailedOperation.JsonParseFail", "解析请求包体时候失败。");
    };
    let text = |value: &Value| value.as_str().unwrap_or("").to_owned();
    if text(&request["SmsSdkAppId"]) != APP_ID {
        return error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId 不存在。");
    }
    let phone = text(&request["PhoneNumberSet"][0]);
    if request["PhoneNumberSet"].as_array().map(Vec::len) != Some(1) || !phone.starts_with("+86") {
        return error("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误。");
    }

    match fake.answer {
        Answer::Accept => {
            fake.record.deliver(Delivery {
                phone,
                sign_name: text(&request["SignName"]),
                template: text(&request["TemplateId"]),
                param: text(&request["TemplateParamSet"][0]),
            });
            send_status(&text(&request["PhoneNumberSet"][0]), "Ok", "send success")
        }
        Answer::RefuseNumber(code) => send_status(&phone, code, "refused by the fake"),
        Answer::RefuseRequest(code) => error(code, "refused by the fake"),
        Answer::Hang => {
            tokio::time::sleep(fake::HANG).await;
            send_status(&phone, "Ok", "too late")
        }
        Answer::NotJson => (StatusCode::BAD_GATEWAY, "<html><body>502 Bad Gateway</body></html>").into_response(),
    }
}

#[tokio::test]
async fn a_good_request_delivers_the_code_to_the_number_through_the_template() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET_KEY).send_code(PHONE, CODE).await;

    assert_eq!(sent, Ok(()));
    assert_eq!(
        server.fake.record.deliveries(),
        vec![Delivery {
            phone: "+8613800138000".to_owned(),
            sign_name: SIGN_NAME.to_owned(),
            template: TEMPLATE.to_owned(),
            param: CODE.to_owned(),
        }]
    );
    assert_eq!(*server.fake.regions.lock().unwrap(), ["ap-guangzhou"]);
}

#[tokio::test]
async fn a_number_given_with_the_country_code_gets_it_once() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET_KEY).send_code("+8613800138000", CODE).await;

    assert_eq!(sent, Ok(()));
    assert_eq!(server.fake.record.deliveries()[0].phone, "+8613800138000");
}

#[tokio::test]
async fn the_configured_region_is_sent() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET_KEY).with_region("ap-beijing").send_code(PHONE, CODE).await;

    assert_eq!(sent, Ok(()));
    assert_eq!(*server.fake.regions.lock().unwrap(), ["ap-beijing"]);
}

#[tokio::test]
async fn a_request_signed_with_a_wrong_secret_is_refused_and_the_officials_are_sent_to_the_key() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, "not-the-secret-key").send_code(PHONE, CODE).await;

    let error = sent.unwrap_err();
    assert!(matches!(&error, SmsError::Refused { code, .. } if code == "AuthFailure.SignatureFailure"), "{error:?}");
    assert!(error.for_officials().contains("GONGHUI_SMS_KEY_SECRET"), "{}", error.for_officials());
    assert_eq!(error.for_members(), "验证码发送失败，请稍后再试");
    assert!(server.fake.record.deliveries().is_empty());
}

#[tokio::test]
async fn each_documented_refusal_becomes_the_kind_the_union_acts_on_wherever_the_api_puts_it() {
    let cases = [
        ("LimitExceeded.PhoneNumberDailyLimit", SmsError::Throttled),
        ("LimitExceeded.PhoneNumberThirtySecondLimit", SmsError::Throttled),
        ("LimitExceeded.PhoneNumberOneHourLimit", SmsError::Throttled),
        ("LimitExceeded.DeliveryFrequencyLimit", SmsError::Throttled),
        ("FailedOperation.InsufficientBalanceInSmsPackage", SmsError::QuotaExceeded),
        ("LimitExceeded.AppDailyLimit", SmsError::QuotaExceeded),
        ("InvalidParameterValue.IncorrectPhoneNumber", SmsError::InvalidNumber),
        ("FailedOperation.PhoneNumberInBlacklist", SmsError::InvalidNumber),
        ("FailedOperation.TemplateIncorrectOrUnapproved", SmsError::TemplateNotApproved),
        ("FailedOperation.SignatureIncorrectOrUnapproved", SmsError::TemplateNotApproved),
        (
            "FailedOperation.ContainSensitiveWord",
            SmsError::Refused {
                code: "FailedOperation.ContainSensitiveWord".into(),
                message: "refused by the fake".into(),
            },
        ),
    ];
    for (code, kind) in cases {
        for answer in [Answer::RefuseNumber(code), Answer::RefuseRequest(code)] {
            let server = start(answer).await;

            let sent = gateway(&server.url, SECRET_KEY).send_code(PHONE, CODE).await;

            assert_eq!(sent, Err(kind.clone()), "{code}");
        }
    }
}

#[tokio::test]
async fn a_gateway_that_does_not_answer_within_five_seconds_is_a_transport_error() {
    let server = start(Answer::Hang).await;
    let started = Instant::now();

    let sent = gateway(&server.url, SECRET_KEY).send_code(PHONE, CODE).await;

    assert!(matches!(&sent, Err(SmsError::Transport(_))), "{sent:?}");
    assert!(started.elapsed() < fake::HANG / 2, "gave up after {:?}", started.elapsed());
    assert_eq!(server.fake.record.requests(), 1);
}

#[tokio::test]
async fn a_gateway_that_is_not_listening_is_a_transport_error() {
    let url = fake::nobody_listening().await;

    let sent = gateway(&url, SECRET_KEY).send_code(PHONE, CODE).await;

    assert!(matches!(&sent, Err(SmsError::Transport(_))), "{sent:?}");
}

#[tokio::test]
async fn an_answer_that_is_not_the_gateways_json_is_a_transport_error() {
    let server = start(Answer::NotJson).await;

    let sent = gateway(&server.url, SECRET_KEY).send_code(PHONE, CODE).await;

    let Err(SmsError::Transport(detail)) = sent else { panic!("{sent:?}") };
    assert!(detail.contains("502"), "{detail}");
}

#[tokio::test]
async fn a_malformed_number_is_refused_without_a_paid_request() {
    let server = start(Answer::Accept).await;

    let sent = gateway(&server.url, SECRET_KEY).send_code("+85291234567", CODE).await;

    assert_eq!(sent, Err(SmsError::InvalidNumber));
    assert_eq!(server.fake.record.requests(), 0);
}
