//! `from_env`: which gateway the `GONGHUI_SMS_*` variables describe, and a
//! refusal that names what is wrong.

use std::collections::HashMap;

use sms::{from_env, ConfigError};

use crate::fake::{Delivery, CODE, PHONE};
use crate::{aliyun, tencent};

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| map.get(name).cloned()
}

fn aliyun_vars(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GONGHUI_SMS_PROVIDER", "aliyun".into()),
        ("GONGHUI_SMS_KEY_ID", aliyun::KEY_ID.into()),
        // A trailing newline, as a secret pasted into an env file often has.
        ("GONGHUI_SMS_KEY_SECRET", format!("{}\n", aliyun::SECRET)),
        ("GONGHUI_SMS_SIGN_NAME", aliyun::SIGN_NAME.into()),
        ("GONGHUI_SMS_TEMPLATE", aliyun::TEMPLATE.into()),
        ("GONGHUI_SMS_ENDPOINT", endpoint.into()),
    ]
}

fn tencent_vars(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GONGHUI_SMS_PROVIDER", "tencent".into()),
        ("GONGHUI_SMS_KEY_ID", tencent::SECRET_ID.into()),
        ("GONGHUI_SMS_KEY_SECRET", tencent::SECRET_KEY.into()),
        ("GONGHUI_SMS_SIGN_NAME", tencent::SIGN_NAME.into()),
        ("GONGHUI_SMS_TEMPLATE", tencent::TEMPLATE.into()),
        ("GONGHUI_SMS_APP_ID", tencent::APP_ID.into()),
        ("GONGHUI_SMS_REGION", "ap-nanjing".into()),
        ("GONGHUI_SMS_ENDPOINT", endpoint.into()),
    ]
}

fn without(all: &[(&'static str, String)], left_out: &[&str]) -> Vec<(&'static str, String)> {
    all.iter().filter(|(name, _)| !left_out.contains(name)).cloned().collect()
}

fn from(pairs: &[(&'static str, String)]) -> Result<Option<Box<dyn sms::SmsGateway>>, ConfigError> {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    from_env(vars(&borrowed))
}

#[test]
fn without_a_provider_there_is_no_gateway() {
    assert!(from_env(vars(&[])).unwrap().is_none());
    assert!(from_env(vars(&[("GONGHUI_SMS_PROVIDER", "  ")])).unwrap().is_none());
}

#[test]
fn an_unknown_provider_is_refused_by_name() {
    let error = from_env(vars(&[("GONGHUI_SMS_PROVIDER", "huawei")])).err().unwrap();

    assert_eq!(error, ConfigError::UnknownProvider("huawei".into()));
    assert!(error.to_string().contains("GONGHUI_SMS_PROVIDER"), "{error}");
}

#[test]
fn every_missing_aliyun_variable_is_named_at_once() {
    let error = from_env(vars(&[("GONGHUI_SMS_PROVIDER", "aliyun")])).err().unwrap();

    assert_eq!(
        error,
        ConfigError::Missing {
            provider: "aliyun",
            names: vec![
                "GONGHUI_SMS_KEY_ID",
                "GONGHUI_SMS_KEY_SECRET",
                "GONGHUI_SMS_SIGN_NAME",
                "GONGHUI_SMS_TEMPLATE"
            ],
        }
    );
    assert_eq!(
        error.to_string(),
        "GONGHUI_SMS_PROVIDER=aliyun needs GONGHUI_SMS_KEY_ID, GONGHUI_SMS_KEY_SECRET, GONGHUI_SMS_SIGN_NAME, \
         GONGHUI_SMS_TEMPLATE set"
    );
}

#[test]
fn tencent_needs_its_app_id() {
    let error =
        from(&without(&tencent_vars("https://sms.tencentcloudapi.com"), &["GONGHUI_SMS_APP_ID"])).err().unwrap();

    assert_eq!(error, ConfigError::Missing { provider: "tencent", names: vec!["GONGHUI_SMS_APP_ID"] });
}

#[test]
fn a_blank_variable_counts_as_missing() {
    let mut pairs = aliyun_vars("https://dysmsapi.aliyuncs.com");
    pairs.retain(|(name, _)| *name != "GONGHUI_SMS_SIGN_NAME");
    pairs.push(("GONGHUI_SMS_SIGN_NAME", "   ".into()));

    let error = from(&pairs).err().unwrap();

    assert_eq!(error, ConfigError::Missing { provider: "aliyun", names: vec!["GONGHUI_SMS_SIGN_NAME"] });
}

#[test]
fn plain_http_to_another_machine_is_refused() {
    let error = from(&aliyun_vars("http://dysmsapi.aliyuncs.com")).err().unwrap();

    assert!(matches!(error, ConfigError::BadEndpoint { .. }), "{error:?}");
    assert!(error.to_string().contains("GONGHUI_SMS_ENDPOINT"), "{error}");
}

#[test]
fn a_region_that_is_not_a_region_name_is_refused() {
    let mut pairs = without(&tencent_vars("https://sms.tencentcloudapi.com"), &["GONGHUI_SMS_REGION"]);
    pairs.push(("GONGHUI_SMS_REGION", "ap guangzhou\r\nX-Evil: 1".into()));

    let error = from(&pairs).err().unwrap();

    assert!(matches!(error, ConfigError::BadRegion(_)), "{error:?}");
}

#[test]
fn no_error_shows_a_secret() {
    let pairs = without(&aliyun_vars("ftp://127.0.0.1"), &["GONGHUI_SMS_SIGN_NAME"]);
    let error = from(&pairs).err().unwrap();
    assert!(!format!("{error} {error:?}").contains(aliyun::SECRET));

    let error = from(&aliyun_vars("ftp://127.0.0.1")).err().unwrap();
    assert!(!format!("{error} {error:?}").contains(aliyun::SECRET));
}

#[tokio::test]
async fn the_aliyun_variables_make_a_gateway_that_sends_through_the_configured_endpoint() {
    let server = aliyun::start(aliyun::Answer::Accept).await;
    let gateway = from(&aliyun_vars(&server.url)).unwrap().unwrap();

    let sent = gateway.send_code(PHONE, CODE).await;

    assert_eq!(gateway.name(), "aliyun");
    assert_eq!(sent, Ok(()));
    assert_eq!(
        server.fake.record.deliveries(),
        vec![Delivery {
            phone: PHONE.into(),
            sign_name: aliyun::SIGN_NAME.into(),
            template: aliyun::TEMPLATE.into(),
            param: r#"{"code":"123456"}"#.into(),
        }]
    );
}

#[tokio::test]
async fn the_tencent_variables_make_a_gateway_that_sends_through_the_configured_endpoint_and_region() {
    let server = tencent::start(tencent::Answer::Accept).await;
    let gateway = from(&tencent_vars(&server.url)).unwrap().unwrap();

    let sent = gateway.send_code(PHONE, CODE).await;

    assert_eq!(gateway.name(), "tencent");
    assert_eq!(sent, Ok(()));
    assert_eq!(
        server.fake.record.deliveries(),
        vec![Delivery {
            phone: "+8613800138000".into(),
            sign_name: tencent::SIGN_NAME.into(),
            template: tencent::TEMPLATE.into(),
            param: CODE.into(),
        }]
    );
    assert_eq!(*server.fake.regions.lock().unwrap(), ["ap-nanjing"]);
}
