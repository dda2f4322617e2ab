//! Choosing the gateway from `GONGHUI_SMS_*` variables.
//!
//! | variable                 | aliyun                  | tencent                      |
//! |--------------------------|-------------------------|------------------------------|
//! | `GONGHUI_SMS_PROVIDER`   | `aliyun`                | `tencent`                    |
//! | `GONGHUI_SMS_KEY_ID`     | AccessKey ID            | SecretId                     |
//! | `GONGHUI_SMS_KEY_SECRET` | AccessKey secret        | SecretKey                    |
//! | `GONGHUI_SMS_SIGN_NAME`  | 签名                    | 签名                         |
//! | `GONGHUI_SMS_TEMPLATE`   | template code `SMS_…`   | template ID                  |
//! | `GONGHUI_SMS_APP_ID`     | —                       | SmsSdkAppId (required)       |
//! | `GONGHUI_SMS_REGION`     | — (one endpoint)        | optional, `ap-guangzhou`     |
//! | `GONGHUI_SMS_ENDPOINT`   | optional                | optional                     |
//!
//! Without `GONGHUI_SMS_PROVIDER` there is no gateway (`Ok(None)`): the server
//! keeps its development sender.

use crate::{Aliyun, SmsGateway, Tencent};

const PROVIDER: &str = "GONGHUI_SMS_PROVIDER";
const KEY_ID: &str = "GONGHUI_SMS_KEY_ID";
const KEY_SECRET: &str = "GONGHUI_SMS_KEY_SECRET";
const SIGN_NAME: &str = "GONGHUI_SMS_SIGN_NAME";
const TEMPLATE: &str = "GONGHUI_SMS_TEMPLATE";
const APP_ID: &str = "GONGHUI_SMS_APP_ID";
const REGION: &str = "GONGHUI_SMS_REGION";
const ENDPOINT: &str = "GONGHUI_SMS_ENDPOINT";

/// Why the SMS configuration cannot be used. Names variables and endpoints,
/// never a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("GONGHUI_SMS_PROVIDER is {0:?}; it must be aliyun or tencent")]
    UnknownProvider(String),
    /// Every required variable that is unset or blank, so one deploy fixes all.
    #[error("GONGHUI_SMS_PROVIDER={provider} needs {} set", .names.join(", "))]
    Missing { provider: &'static str, names: Vec<&'static str> },
    #[error("the SMS endpoint (GONGHUI_SMS_ENDPOINT) {endpoint:?} {reason}")]
    BadEndpoint { endpoint: String, reason: &'static str },
    #[error("GONGHUI_SMS_REGION {0:?} is not a region name such as ap-guangzhou")]
    BadRegion(String),
    #[error("the HTTPS client for the SMS gateway could not be set up: {0}")]
    HttpClient(String),
}

/// The gateway the variables describe, `Ok(None)` when
/// `GONGHUI_SMS_PROVIDER` is unset or blank. `vars` reads one variable; the
/// server passes `|name| std::env::var(name).ok()`, tests pass a map. Values
/// are trimmed: a secret pasted with a trailing newline signs wrongly, and
/// both vendors say keys have no surrounding spaces.
pub fn from_env(vars: impl Fn(&str) -> Option<String>) -> Result<Option<Box<dyn SmsGateway>>, ConfigError> {
    let var = |name: &str| vars(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
    let Some(provider) = var(PROVIDER) else {
        if var(KEY_ID).is_some() {
            tracing::warn!("{KEY_ID} is set but {PROVIDER} is not: no SMS gateway is used");
        }
        return Ok(None);
    };
    let endpoint = var(ENDPOINT);
    match provider.to_ascii_lowercase().as_str() {
        "aliyun" => {
            let [key_id, key_secret, sign_name, template] =
                required("aliyun", &var, [KEY_ID, KEY_SECRET, SIGN_NAME, TEMPLATE])?;
            let mut gateway = Aliyun::new(key_id, key_secret, sign_name, template)?;
            if let Some(endpoint) = endpoint {
                gateway = gateway.with_endpoint(&endpoint)?;
            }
            Ok(Some(Box::new(gateway)))
        }
        "tencent" => {
            let [key_id, key_secret, sign_name, template, app_id] =
                required("tencent", &var, [KEY_ID, KEY_SECRET, SIGN_NAME, TEMPLATE, APP_ID])?;
            let mut gateway = Tencent::new(key_id, key_secret, app_id, sign_name, template)?;
            if let Some(region) = var(REGION) {
                // The region goes into a header: ap-guangzhou, ap-beijing, ap-nanjing.
                if !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                    return Err(ConfigError::BadRegion(region));
                }
                gateway = gateway.with_region(region);
            }
            if let Some(endpoint) = endpoint {
                gateway = gateway.with_endpoint(&endpoint)?;
            }
            Ok(Some(Box::new(gateway)))
        }
        _ => Err(ConfigError::UnknownProvider(provider)),
    }
}

fn required<const N: usize>(
    provider: &'static str,
    var: &impl Fn(&str) -> Option<String>,
    names: [&'static str; N],
) -> Result<[String; N], ConfigError> {
    let values = names.map(var);
    let missing: Vec<&'static str> =
        names.iter().zip(&values).filter(|(_, value)| value.is_none()).map(|(name, _)| *name).collect();
    if missing.is_empty() {
        Ok(values.map(Option::unwrap_or_default))
    } else {
        Err(ConfigError::Missing { provider, names: missing })
    }
}
