//! Tencent Cloud SMS (API 3.0, version 2021-01-11), action SendSms, signed
//! with TC3-HMAC-SHA256 as Tencent Cloud's "Signature v3" document specifies:
//! a canonical request over `content-type` and `host`, a string to sign with
//! the credential scope `{UTC date}/sms/tc3_request`, and a signing key derived
//! from the SecretKey through the date, the service and `tc3_request`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::endpoint::Endpoint;
use crate::secret::Secret;
use crate::signing::{hex, hmac_sha256, sha256_hex};
use crate::{http_client, mainland_mobile, masked, transport, ConfigError, SmsError, SmsFuture, SmsGateway};

const ACTION: &str = "SendSms";
const API_VERSION: &str = "2021-01-11";
const SERVICE: &str = "sms";
const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// Exactly the value signed: the document warns that a client adding its own
/// charset to the header breaks the signature, so we set it whole ourselves.
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Sends codes through Tencent Cloud SMS.
pub struct Tencent {
    endpoint: Endpoint,
    secret_id: String,
    secret_key: Secret,
    sdk_app_id: String,
    sign_name: String,
    template_id: String,
    region: String,
    http: reqwest::Client,
}

impl Tencent {
    pub const ENDPOINT: &'static str = "https://sms.tencentcloudapi.com";
    /// SMS is served from Guangzhou for the mainland (the region list of the
    /// SMS API has ap-guangzhou, ap-beijing and ap-nanjing).
    pub const REGION: &'static str = "ap-guangzhou";

    /// A gateway for a SecretId/SecretKey pair, the SMS application's
    /// SdkAppId (`1400006666`), an approved sign name and an approved
    /// verification-code template ID with one parameter.
    pub fn new(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        sdk_app_id: impl Into<String>,
        sign_name: impl Into<String>,
        template_id: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Ok(Tencent {
            endpoint: Endpoint::parse(Self::ENDPOINT)?,
            secret_id: secret_id.into(),
            secret_key: Secret::new(secret_key),
            sdk_app_id: sdk_app_id.into(),
            sign_name: sign_name.into(),
            template_id: template_id.into(),
            region: Self::REGION.to_owned(),
            http: http_client()?,
        })
    }

    /// Sends to another endpoint: https, or http to this machine (tests).
    pub fn with_endpoint(mut self, endpoint: &str) -> Result<Self, ConfigError> {
        self.endpoint = Endpoint::parse(endpoint)?;
        Ok(self)
    }

    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    #[tracing::instrument(name = "sms_send_code", skip_all, fields(gateway = "tencent", phone = %masked(phone)))]
    async fn send(&self, phone: &str, code: &str) -> Result<(), SmsError> {
        let phone = format!("+86{}", mainland_mobile(phone)?);
        let payload = serde_json::to_vec(&SendSms {
            phone_number_set: [&phone],
            sms_sdk_app_id: &self.sdk_app_id,
            sign_name: &self.sign_name,
            template_id: &self.template_id,
            template_param_set: [code],
        })
        .map_err(|e| SmsError::Transport(format!("the request could not be written: {e}")))?;
        let signed = Tc3Request {
            service: SERVICE,
            host: self.endpoint.host(),
            content_type: CONTENT_TYPE,
            timestamp: time::OffsetDateTime::now_utc().unix_timestamp(),
            payload: &payload,
        };
        let response = self
            .http
            .post(self.endpoint.url().clone())
            .header("host", signed.host)
            .header("content-type", signed.content_type)
            .header("authorization", signed.authorization(&self.secret_id, &self.secret_key))
            .header("x-tc-action", ACTION)
            .header("x-tc-version", API_VERSION)
            .header("x-tc-timestamp", signed.timestamp.to_string())
            .header("x-tc-region", &self.region)
            // Error messages in Chinese: they reach the officials' admin page.
            .header("x-tc-language", "zh-CN")
            .body(payload)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport)?;
        let answer: Answer = serde_json::from_slice(&body)
            .map_err(|_| SmsError::Transport(format!("HTTP {status} without the gateway's JSON answer")))?;
        // A request the API refuses as a whole (key, signature, parameters)
        // answers Response.Error; one it processes answers a status per number.
        let (code, message) = match (answer.response.error, answer.response.send_status_set.into_iter().next()) {
            (Some(error), _) => (error.code, error.message),
            (None, Some(status)) if status.code == "Ok" => {
                tracing::info!(target: "sms", serial_no = %status.serial_no, "code sent");
                return Ok(());
            }
            (None, Some(status)) => (status.code, status.message),
            (None, None) => {
                return Err(SmsError::Transport(format!("HTTP {status} with neither a status nor an error")))
            }
        };
        tracing::warn!(target: "sms", %code, %message, %status, "Tencent refused the code");
        Err(error_for(&code, &message))
    }
}

impl SmsGateway for Tencent {
    fn send_code<'a>(&'a self, phone: &'a str, code: &'a str) -> SmsFuture<'a> {
        Box::pin(self.send(phone, code))
    }

    fn name(&self) -> &'static str {
        "tencent"
    }
}

impl fmt::Debug for Tencent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tencent")
            .field("endpoint", &self.endpoint.url().as_str())
            .field("secret_id", &self.secret_id)
            .field("secret_key", &self.secret_key)
            .field("sdk_app_id", &self.sdk_app_id)
            .field("sign_name", &self.sign_name)
            .field("template_id", &self.template_id)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// SendSms's parameters, named as the API names them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendSms<'a> {
    phone_number_set: [&'a str; 1],
    sms_sdk_app_id: &'a str,
    sign_name: &'a str,
    template_id: &'a str,
    template_param_set: [&'a str; 1],
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Response")]
    response: AnswerBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AnswerBody {
    #[serde(default)]
    error: Option<CodeAndMessage>,
    #[serde(default)]
    send_status_set: Vec<SendStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CodeAndMessage {
    code: String,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendStatus {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    serial_no: String,
}

/// Sorts SMS API 3.0 codes into the kinds a union acts on (codes from the
/// SendSms error list of SMS API 2021-01-11).
fn error_for(code: &str, message: &str) -> SmsError {
    match code {
        // Per number: 30 s, 1 hour, 1 day, same content a day (console policy).
        "LimitExceeded.PhoneNumberThirtySecondLimit"
        | "LimitExceeded.PhoneNumberOneHourLimit"
        | "LimitExceeded.PhoneNumberDailyLimit"
        | "LimitExceeded.PhoneNumberSameContentDailyLimit"
        | "LimitExceeded.DeliveryFrequencyLimit" => SmsError::Throttled,
        // The package ran out, the application's daily total is reached, or
        // the account is suspended for arrears (the API spells it "Serivce").
        "FailedOperation.InsufficientBalanceInSmsPackage"
        | "LimitExceeded.AppDailyLimit"
        | "LimitExceeded.DailyLimit"
        | "UnauthorizedOperation.SerivceSuspendDueToArrears" => SmsError::QuotaExceeded,
        "InvalidParameterValue.IncorrectPhoneNumber" | "FailedOperation.PhoneNumberInBlacklist" => {
            SmsError::InvalidNumber
        }
        "FailedOperation.TemplateIncorrectOrUnapproved" | "FailedOperation.SignatureIncorrectOrUnapproved" => {
            SmsError::TemplateNotApproved
        }
        _ => SmsError::Refused { code: code.to_owned(), message: message.to_owned() },
    }
}

/// `2019-02-25`: the UTC date of the timestamp. The document warns that a
/// local (UTC+8) date breaks every request between 00:00 and 08:00 Beijing time.
fn utc_date(timestamp: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(timestamp).unwrap_or(time::OffsetDateTime::UNIX_EPOCH).date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// One request's signing inputs, in the document's terms.
struct Tc3Request<'a> {
    service: &'a str,
    host: &'a str,
    content_type: &'a str,
    timestamp: i64,
    payload: &'a [u8],
}

impl Tc3Request<'_> {
    const SIGNED_HEADERS: &'static str = "content-type;host";

    /// POST, CanonicalURI `/`, an empty query (always, for POST), the two
    /// headers lowercase as `key:value\n`, SignedHeaders and the payload's
    /// SHA-256.
    fn canonical_request(&self) -> String {
        format!(
            "POST\n/\n\ncontent-type:{}\nhost:{}\n\n{}\n{}",
            self.content_type.trim().to_ascii_lowercase(),
            self.host.trim().to_ascii_lowercase(),
            Self::SIGNED_HEADERS,
            sha256_hex(self.payload)
        )
    }

    fn credential_scope(&self) -> String {
        format!("{}/{}/tc3_request", utc_date(self.timestamp), self.service)
    }

    fn string_to_sign(&self) -> String {
        format!(
            "{ALGORITHM}\n{}\n{}\n{}",
            self.timestamp,
            self.credential_scope(),
            sha256_hex(self.canonical_request().as_bytes())
        )
    }

    /// SecretDate = HMAC("TC3" + SecretKey, date), SecretService =
    /// HMAC(SecretDate, service), SecretSigning = HMAC(SecretService,
    /// "tc3_request"); the signature is HMAC(SecretSigning, StringToSign) in hex.
    fn signature(&self, secret_key: &Secret) -> String {
        let secret_date =
            hmac_sha256(format!("TC3{}", secret_key.expose()).as_bytes(), utc_date(self.timestamp).as_bytes());
        let secret_service = hmac_sha256(&secret_date, self.service.as_bytes());
        let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
        hex(&hmac_sha256(&secret_signing, self.string_to_sign().as_bytes()))
    }

    fn authorization(&self, secret_id: &str, secret_key: &Secret) -> String {
        format!(
            "{ALGORITHM} Credential={secret_id}/{}, SignedHeaders={}, Signature={}",
            self.credential_scope(),
            Self::SIGNED_HEADERS,
            self.signature(secret_key)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Tencent Cloud's "Signature v3" document: CVM
    /// DescribeInstances in ap-guangzhou at 1551113065 (2019-02-25 UTC, past
    /// midnight in Beijing), with its published hashes and signature.
    const DOCUMENTED_PAYLOAD: &[u8] =
        br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn documented_example() -> Tc3Request<'static> {
        Tc3Request {
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            content_type: "application/json; charset=utf-8",
            timestamp: 1_551_113_065,
            payload: DOCUMENTED_PAYLOAD,
        }
    }

    #[test]
    fn the_documented_example_gives_the_documented_canonical_request_and_string_to_sign() {
        assert_eq!(
            documented_example().canonical_request(),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            documented_example().string_to_sign(),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
    }

    #[test]
    fn the_documented_example_gives_the_documented_signature() {
        let secret = Secret::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
        assert_eq!(
            documented_example().authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", &secret),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn the_scope_date_is_the_utc_date_not_beijings() {
        // 1551113065 is 2019-02-26 00:44:25 in Beijing and 2019-02-25 in UTC.
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
    }

    #[test]
    fn the_request_body_names_the_parameters_as_the_api_does() {
        let body = serde_json::to_string(&SendSms {
            phone_number_set: ["+8613800138000"],
            sms_sdk_app_id: "1400006666",
            sign_name: "某市总工会",
            template_id: "1110",
            template_param_set: ["123456"],
        })
        .unwrap();
        assert_eq!(
            body,
            r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"某市总工会","TemplateId":"1110","TemplateParamSet":["123456"]}"#
        );
    }

    #[test]
    fn the_documented_sms_codes_become_the_kinds_a_union_acts_on() {
        let cases = [
            ("LimitExceeded.PhoneNumberDailyLimit", SmsError::Throttled),
            ("LimitExceeded.PhoneNumberThirtySecondLimit", SmsError::Throttled),
            ("LimitExceeded.PhoneNumberOneHourLimit", SmsError::Throttled),
            ("FailedOperation.InsufficientBalanceInSmsPackage", SmsError::QuotaExceeded),
            ("InvalidParameterValue.IncorrectPhoneNumber", SmsError::InvalidNumber),
            ("FailedOperation.TemplateIncorrectOrUnapproved", SmsError::TemplateNotApproved),
            ("FailedOperation.SignatureIncorrectOrUnapproved", SmsError::TemplateNotApproved),
        ];
        for (code, kind) in cases {
            assert_eq!(error_for(code, "m"), kind, "{code}");
        }
        assert!(matches!(error_for("AuthFailure.SignatureFailure", "m"), SmsError::Refused { .. }));
    }

    #[test]
    fn the_debug_output_shows_no_secret() {
        let gateway = Tencent::new("AKIDexample", "the-real-secret", "1400006666", "某市总工会", "1110").unwrap();
        let debug = format!("{gateway:?}");
        assert!(!debug.contains("the-real-secret"), "{debug}");
        assert!(debug.contains("AKIDexample") && debug.contains("redacted"), "{debug}");
    }
}
