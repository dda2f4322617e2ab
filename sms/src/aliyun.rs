//! Aliyun SMS (dysmsapi, API version 2017-05-25), action SendSms, signed with
//! Alibaba Cloud's signature method V3 (ACS3-HMAC-SHA256), as specified in
//! "Request syntax and signature method V3" (Alibaba Cloud SDK documentation,
//! help topic `sdk/product-overview/v3-request-structure-and-signature`).
//!
//! SendSms is an RPC-style API: its parameters travel in the query string of
//! a `POST /` with an empty body, and the signature covers the method, the
//! path, the canonical query, the `host` and `x-acs-*` headers and the body's
//! SHA-256.

use std::fmt;

use rand::Rng;
use serde::Deserialize;

use crate::endpoint::Endpoint;
use crate::secret::Secret;
use crate::signing::{hex, hmac_sha256, sha256_hex};
use crate::{http_client, mainland_mobile, masked, transport, ConfigError, SmsError, SmsFuture, SmsGateway};

const ACTION: &str = "SendSms";
const API_VERSION: &str = "2017-05-25";
const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Sends codes through Aliyun SMS.
pub struct Aliyun {
    endpoint: Endpoint,
    access_key_id: String,
    access_key_secret: Secret,
    sign_name: String,
    template_code: String,
    http: reqwest::Client,
}

impl Aliyun {
    /// dysmsapi has one endpoint for the mainland; it is not per region.
    pub const ENDPOINT: &'static str = "https://dysmsapi.aliyuncs.com";

    /// A gateway for an AccessKey pair, an approved sign name (签名, e.g.
    /// `某某市总工会`) and an approved verification-code template
    /// (`SMS_123456789`) whose one variable is `${code}`.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        sign_name: impl Into<String>,
        template_code: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Ok(Aliyun {
            endpoint: Endpoint::parse(Self::ENDPOINT)?,
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            sign_name: sign_name.into(),
            template_code: template_code.into(),
            http: http_client()?,
        })
    }

    /// Sends to another endpoint: https, or http to this machine (tests).
    pub fn with_endpoint(mut self, endpoint: &str) -> Result<Self, ConfigError> {
        self.endpoint = Endpoint::parse(endpoint)?;
        Ok(self)
    }

    #[tracing::instrument(name = "sms_send_code", skip_all, fields(gateway = "aliyun", phone = %masked(phone)))]
    async fn send(&self, phone: &str, code: &str) -> Result<(), SmsError> {
        let phone = mainland_mobile(phone)?;
        let template_param = serde_json::json!({ "code": code }).to_string();
        let query = [
            ("PhoneNumbers", phone),
            ("SignName", self.sign_name.as_str()),
            ("TemplateCode", self.template_code.as_str()),
            ("TemplateParam", template_param.as_str()),
        ];
        let date = acs_date(time::OffsetDateTime::now_utc());
        let nonce = hex(&rand::rng().random::<[u8; 16]>());
        let signed = Acs3Request {
            method: "POST",
            host: self.endpoint.host(),
            action: ACTION,
            version: API_VERSION,
            date: &date,
            nonce: &nonce,
            query: &query,
            body: b"",
        };
        let response = self
            .http
            .post(self.endpoint.url_with_query(&signed.canonical_query()))
            .header("host", signed.host)
            .header("accept", "application/json")
            .header("x-acs-action", signed.action)
            .header("x-acs-version", signed.version)
            .header("x-acs-date", signed.date)
            .header("x-acs-signature-nonce", signed.nonce)
            .header("x-acs-content-sha256", signed.hashed_payload())
            .header("authorization", signed.authorization(&self.access_key_id, &self.access_key_secret))
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport)?;
        // Business refusals (isv.*) come with 200, signature and key refusals
        // with 4xx; both carry the same {"Code", "Message"} JSON.
        let answer: Answer = serde_json::from_slice(&body)
            .map_err(|_| SmsError::Transport(format!("HTTP {status} without the gateway's JSON answer")))?;
        if answer.code == "OK" {
            tracing::info!(target: "sms", biz_id = %answer.biz_id, "code sent");
            return Ok(());
        }
        tracing::warn!(target: "sms", code = %answer.code, message = %answer.message, %status, "Aliyun refused the code");
        Err(error_for(&answer.code, &answer.message))
    }
}

impl SmsGateway for Aliyun {
    fn send_code<'a>(&'a self, phone: &'a str, code: &'a str) -> SmsFuture<'a> {
        Box::pin(self.send(phone, code))
    }

    fn name(&self) -> &'static str {
        "aliyun"
    }
}

impl fmt::Debug for Aliyun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aliyun")
            .field("endpoint", &self.endpoint.url().as_str())
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("sign_name", &self.sign_name)
            .field("template_code", &self.template_code)
            .finish_non_exhaustive()
    }
}

/// SendSms's answer; `Code` is "OK" or the reason it was refused.
#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
    #[serde(rename = "BizId", default)]
    biz_id: String,
}

/// Sorts dysmsapi's codes into the kinds a union acts on (codes from the SMS
/// "API错误码" list, help.aliyun.com document 101346).
fn error_for(code: &str, message: &str) -> SmsError {
    match code {
        // Per number and sign: 1 a minute, 5 an hour, 10 a day by default.
        "isv.BUSINESS_LIMIT_CONTROL" => SmsError::Throttled,
        // The account's own daily/monthly totals set in the console, and an
        // account without balance (业务停机 stops even a prepaid package).
        "isv.DAY_LIMIT_CONTROL" | "isv.MONTH_LIMIT_CONTROL" | "isv.AMOUNT_NOT_ENOUGH" | "isv.OUT_OF_SERVICE" => {
            SmsError::QuotaExceeded
        }
        "isv.MOBILE_NUMBER_ILLEGAL" => SmsError::InvalidNumber,
        "isv.SMS_TEMPLATE_ILLEGAL"
        | "isv.TEMPLATE_MISSING_PARAMETERS"
        | "isv.SMS_SIGNATURE_ILLEGAL"
        | "isv.SMS_SIGN_ILLEGAL"
        | "isv.SIGN_STATE_ILLEGAL"
        | "isv.SMS_SIGNATURE_SCENE_ILLEGAL" => SmsError::TemplateNotApproved,
        _ => SmsError::Refused { code: code.to_owned(), message: message.to_owned() },
    }
}

/// `x-acs-date`: ISO 8601 in UTC to the second, `2023-10-26T10:22:32Z`. The
/// gateway refuses a date more than 15 minutes off its clock.
fn acs_date(now: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// RFC 3986 percent-encoding as V3 specifies it: letters, digits and `-_.~`
/// stay, every other byte of the UTF-8 becomes `%XX` (space is `%20`, `*` is
/// `%2A`, never `+`).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One request's signing inputs, in the document's terms.
struct Acs3Request<'a> {
    method: &'a str,
    host: &'a str,
    action: &'a str,
    version: &'a str,
    date: &'a str,
    nonce: &'a str,
    query: &'a [(&'a str, &'a str)],
    body: &'a [u8],
}

impl Acs3Request<'_> {
    /// Parameters sorted by name, names and values percent-encoded, joined
    /// with `=` and `&`. The same string is sent as the URL's query, so what
    /// the gateway decodes and re-encodes is what was signed.
    fn canonical_query(&self) -> String {
        let mut pairs: Vec<(String, String)> =
            self.query.iter().map(|(name, value)| (percent_encode(name), percent_encode(value))).collect();
        pairs.sort();
        pairs.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("&")
    }

    /// `HashedRequestPayload`, also sent as `x-acs-content-sha256`.
    fn hashed_payload(&self) -> String {
        sha256_hex(self.body)
    }

    /// `host` and every `x-acs-*` header we send, lowercase, in alphabetical
    /// order (the order below is already alphabetical).
    fn signed_headers(&self) -> [(&'static str, String); 6] {
        [
            ("host", self.host.to_owned()),
            ("x-acs-action", self.action.to_owned()),
            ("x-acs-content-sha256", self.hashed_payload()),
            ("x-acs-date", self.date.to_owned()),
            ("x-acs-signature-nonce", self.nonce.to_owned()),
            ("x-acs-version", self.version.to_owned()),
        ]
    }

    fn signed_header_names(&self) -> String {
        self.signed_headers().iter().map(|(name, _)| *name).collect::<Vec<_>>().join(";")
    }

    /// Method, CanonicalURI (`/` for RPC APIs), CanonicalQueryString,
    /// CanonicalHeaders (each `name:value\n`), SignedHeaders and
    /// HashedRequestPayload, one per line.
    fn canonical_request(&self) -> String {
        let canonical_headers: String =
            self.signed_headers().iter().map(|(name, value)| format!("{name}:{}\n", value.trim())).collect();
        format!(
            "{}\n/\n{}\n{}\n{}\n{}",
            self.method,
            self.canonical_query(),
            canonical_headers,
            self.signed_header_names(),
            self.hashed_payload()
        )
    }

    fn string_to_sign(&self) -> String {
        format!("{ALGORITHM}\n{}", sha256_hex(self.canonical_request().as_bytes()))
    }

    /// HMAC-SHA256 keyed with the AccessKey secret itself (no derivation, no
    /// `&` suffix as in the older V1), hex-encoded.
    fn signature(&self, secret: &Secret) -> String {
        hex(&hmac_sha256(secret.expose().as_bytes(), self.string_to_sign().as_bytes()))
    }

    fn authorization(&self, access_key_id: &str, secret: &Secret) -> String {
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_header_names(),
            self.signature(secret)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the V3 document ("Fixed parameter values"):
    /// ECS RunInstances in cn-shanghai, with its published intermediate hash
    /// and signature.
    fn documented_example() -> Acs3Request<'static> {
        Acs3Request {
            method: "POST",
            host: "ecs.cn-shanghai.aliyuncs.com",
            action: "RunInstances",
            version: "2014-05-26",
            date: "2023-10-26T10:22:32Z",
            nonce: "3156853299f313e23d1673dc12e1703d",
            query: &[("RegionId", "cn-shanghai"), ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd")],
            body: b"",
        }
    }

    #[test]
    fn the_documented_example_gives_the_documented_canonical_request() {
        assert_eq!(
            documented_example().canonical_request(),
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            documented_example().string_to_sign(),
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
    }

    #[test]
    fn the_documented_example_gives_the_documented_authorization() {
        let secret = Secret::new("YourAccessKeySecret");
        assert_eq!(
            documented_example().authorization("YourAccessKeyId", &secret),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
             SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn percent_encoding_follows_rfc_3986_not_form_encoding() {
        assert_eq!(percent_encode("a b*c~d-e_f.g"), "a%20b%2Ac~d-e_f.g");
        assert_eq!(percent_encode(r#"{"code":"123456"}"#), "%7B%22code%22%3A%22123456%22%7D");
        assert_eq!(percent_encode("工会"), "%E5%B7%A5%E4%BC%9A");
    }

    #[test]
    fn the_acs_date_is_utc_to_the_second() {
        let date = time::OffsetDateTime::from_unix_timestamp(1_698_315_752).unwrap();
        assert_eq!(acs_date(date), "2023-10-26T10:22:32Z");
    }

    #[test]
    fn the_documented_sms_codes_become_the_kinds_a_union_acts_on() {
        let cases = [
            ("isv.BUSINESS_LIMIT_CONTROL", SmsError::Throttled),
            ("isv.DAY_LIMIT_CONTROL", SmsError::QuotaExceeded),
            ("isv.AMOUNT_NOT_ENOUGH", SmsError::QuotaExceeded),
            ("isv.MOBILE_NUMBER_ILLEGAL", SmsError::InvalidNumber),
            ("isv.SMS_TEMPLATE_ILLEGAL", SmsError::TemplateNotApproved),
            ("isv.SMS_SIGNATURE_ILLEGAL", SmsError::TemplateNotApproved),
            ("isv.TEMPLATE_MISSING_PARAMETERS", SmsError::TemplateNotApproved),
        ];
        for (code, kind) in cases {
            assert_eq!(error_for(code, "m"), kind, "{code}");
        }
        assert_eq!(
            error_for("SignatureDoesNotMatch", "Specified signature is not matched"),
            SmsError::Refused {
                code: "SignatureDoesNotMatch".into(),
                message: "Specified signature is not matched".into()
            }
        );
    }

    #[test]
    fn the_debug_output_shows_no_secret() {
        let gateway = Aliyun::new("LTAI5tExampleId", "the-real-secret", "某市总工会", "SMS_1").unwrap();
        let debug = format!("{gateway:?}");
        assert!(!debug.contains("the-real-secret"), "{debug}");
        assert!(debug.contains("LTAI5tExampleId") && debug.contains("redacted"), "{debug}");
    }
}
