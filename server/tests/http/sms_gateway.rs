//! Verification codes through a real gateway's protocol: the server is
//! configured for Tencent Cloud SMS and pointed at a fake SendSms endpoint
//! this test starts (the signature itself is checked by the `sms` crate's
//! own fake-gateway tests, against Tencent's documented example).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::routing::post;
use axum::Json;
use serde_json::{json, Value};
use store::testing::TestDb;

use crate::support::{form_post, make_admin, Person, RunningServer, PASSWORD};

on_both_engines_with_db!(
    a_member_registers_with_the_code_the_gateway_delivered,
    when_the_gateway_refuses_the_member_may_retry_and_the_super_admin_reads_why_in_chinese,
);

/// A Tencent SendSms endpoint: records (phone, code) and answers `Ok`, or,
/// once `out_of_credit` is set, the code for an empty SMS package.
#[derive(Clone, Default)]
struct FakeTencent {
    sent: Arc<Mutex<Vec<(String, String)>>>,
    out_of_credit: Arc<AtomicBool>,
}

impl FakeTencent {
    async fn start(&self) -> String {
        let fake = self.clone();
        let app = axum::Router::new().route(
            "/",
            post(move |headers: axum::http::HeaderMap, Json(body): Json<Value>| {
                let fake = fake.clone();
                async move {
                    assert_eq!(headers["x-tc-action"], "SendSms");
                    assert!(headers["authorization"]
                        .to_str()
                        .unwrap()
                        .starts_with("TC3-HMAC-SHA256 Credential=test-id/"));
                    let phone = body["PhoneNumberSet"][0].as_str().unwrap().to_owned();
                    let code = body["TemplateParamSet"][0].as_str().unwrap().to_owned();
                    assert_eq!(body["TemplateId"], "1234567");
                    assert_eq!(body["SignName"], "山东省总工会");
                    let (status, message) = if fake.out_of_credit.load(Ordering::SeqCst) {
                        ("FailedOperation.InsufficientBalanceInSmsPackage", "insufficient balance in SMS package")
                    } else {
                        fake.sent.lock().unwrap().push((phone.clone(), code));
                        ("Ok", "send success")
                    };
                    Json(json!({"Response": {
                        "SendStatusSet": [{"SerialNo": "5000:1", "PhoneNumber": phone, "Fee": 1,
                                            "SessionContext": "", "Code": status, "Message": message, "IsoCode": "CN"}],
                        "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{address}")
    }

    fn code_for(&self, phone: &str) -> String {
        let sent = self.sent.lock().unwrap();
        sent.iter().rev().find(|(p, _)| p.ends_with(phone)).map(|(_, c)| c.clone()).expect("a code was sent")
    }
}

fn tencent_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GONGHUI_SMS_PROVIDER", "tencent".into()),
        ("GONGHUI_SMS_KEY_ID", "test-id".into()),
        ("GONGHUI_SMS_KEY_SECRET", "test-secret".into()),
        ("GONGHUI_SMS_APP_ID", "1400000000".into()),
        ("GONGHUI_SMS_SIGN_NAME", "山东省总工会".into()),
        ("GONGHUI_SMS_TEMPLATE", "1234567".into()),
        ("GONGHUI_SMS_ENDPOINT", endpoint.into()),
    ]
}

async fn register_through(person: &Person, fake: &FakeTencent, phone: &str) -> (u16, String) {
    let (status, html) =
        person.post("/register", "/api/auth/register-code", &[("phone", phone), ("unit", "37010201")]).await;
    if status != 200 {
        return (status, html);
    }
    let code = fake.code_for(phone);
    let form = [("phone", phone), ("code", &code), ("name", "赵会员"), ("password", PASSWORD), ("unit", "37010201")];
    person.post("/register", "/api/auth/register", &form).await
}

async fn a_member_registers_with_the_code_the_gateway_delivered(db: TestDb) {
    let fake = FakeTencent::default();
    let env = tencent_env(&fake.start().await);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = RunningServer::start(db.url(), &env);
    let member = Person::new(&server);
    let (status, html) = register_through(&member, &fake, "13600000001").await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(fake.sent.lock().unwrap()[0].0, "+8613600000001", "sent in E.164 as Tencent wants");
}

async fn when_the_gateway_refuses_the_member_may_retry_and_the_super_admin_reads_why_in_chinese(db: TestDb) {
    let fake = FakeTencent::default();
    let env = tencent_env(&fake.start().await);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = RunningServer::start(db.url(), &env);
    let admin = Person::new(&server);
    assert_eq!(register_through(&admin, &fake, "13800000001").await.0, 303);
    make_admin(db.url(), "13800000001");

    fake.out_of_credit.store(true, Ordering::SeqCst);
    let member = Person::new(&server);
    let (status, html) =
        member.post("/register", "/api/auth/register-code", &[("phone", "13600000002"), ("unit", "37010201")]).await;
    assert_eq!(status, 503);
    assert!(html.contains("验证码发送失败，请稍后再试"), "{html}");
    assert!(!html.contains("余额"), "the member is not told about the union's account");

    // The refusal is on the super admin's page, in Chinese, without the number.
    let (_, page) = admin.get("/admin").await;
    assert!(page.contains("短信验证码发送失败（近 7 天）"), "{page}");
    assert!(page.contains("短信额度已用完或账户余额不足"), "{page}");
    assert!(page.contains("腾讯云短信 · 1 次"), "{page}");
    assert!(!page.contains("13600000002"));

    // The unsent code was taken back: once the account is topped up, the
    // member asks again at once (no "wait 60 s").
    fake.out_of_credit.store(false, Ordering::SeqCst);
    let response = form_post(&member.http, &server.base, "/register", "/api/auth/register-code")
        .form(&[("phone", "13600000002"), ("unit", "37010201")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(fake.code_for("13600000002").len(), 6);
}
