//! Inside the union apps (issue 15): a registered app hands a member over
//! with a signed assertion and gets a bearer token that works on the API
//! until the member signs out everywhere; password and code sign-ins with
//! tokens that refresh and end; CORS only for registered origins; and every
//! bad assertion, ended token and unknown origin refused with a JSON error
//! that changes nothing. SQLite and PostgreSQL.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use store::testing::TestDb;

use crate::support::{make_admin, Person, RunningServer, PASSWORD};

on_both_engines_with_db!(
    @more a_host_app_hands_its_member_over_and_the_token_works_until_they_sign_out_everywhere,
    every_bad_assertion_is_refused_with_a_json_error_and_changes_nothing,
    password_and_code_sign_ins_give_tokens_that_refresh_and_end,
    only_registered_origins_may_call_the_api_and_they_carry_no_cookie,
    only_a_super_admin_registers_apps_and_every_change_is_audited,
);

/// The demo host's origin (nothing listens there: CORS is about the header).
const HOST_ORIGIN: &str = "http://127.0.0.1:8099";
const MEMBER: &str = "13900000021";

fn app_key() -> SigningKey {
    SigningKey::from_bytes(&[21; 32])
}

/// The assertion a host app signs: `base64url(payload).base64url(signature)`.
fn assertion(key: &SigningKey, app: &str, phone: &str, exp: i64, nonce: &str) -> String {
    let payload = URL_SAFE_NO_PAD.encode(json!({ "app": app, "phone": phone, "exp": exp, "nonce": nonce }).to_string());
    format!("{payload}.{}", URL_SAFE_NO_PAD.encode(key.sign(payload.as_bytes()).to_bytes()))
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn message(body: &Value) -> &str {
    body["Rejected"]["message"].as_str().unwrap_or_default()
}

/// A super admin (signed in) who has registered the app `taian` for
/// HOST_ORIGIN and file:// bundles.
async fn super_admin_with_app(server: &RunningServer, db: &TestDb) -> Person {
    let admin = Person::new(server);
    admin.register("13900000020", "管理员", "37010201").await;
    make_admin(db.url(), "13900000020");
    let form = [
        ("code", "taian"),
        ("name", "泰安e站"),
        ("origins", &format!("{HOST_ORIGIN}\nnull")),
        ("public_key", &STANDARD.encode(app_key().verifying_key().as_bytes())),
    ];
    let (status, location) = admin.post_for_location("/admin/apps", "/api/admin/apps/new", &form).await;
    assert_eq!((status, location.as_str()), (303, "/admin/apps"));
    admin
}

/// An app's call: JSON in, JSON out, from `origin` when given, with `token`.
async fn call(
    server: &RunningServer,
    endpoint: &str,
    body: Option<Value>,
    token: Option<&str>,
    origin: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let http = reqwest::Client::new();
    let mut request = match &body {
        Some(body) => http.post(server.url(endpoint)).json(body),
        None => http.get(server.url(endpoint)),
    }
    .header("Accept", "application/json");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    (status, headers, response.json().await.unwrap_or_default())
}

async fn handed_over(server: &RunningServer, assertion: &str) -> (u16, Value) {
    let body = json!({ "app": "taian", "assertion": assertion });
    let (status, _, answer) = call(server, "/api/app/session", Some(body), None, Some(HOST_ORIGIN)).await;
    (status, answer)
}

async fn a_host_app_hands_its_member_over_and_the_token_works_until_they_sign_out_everywhere(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    super_admin_with_app(&server, &db).await;
    let member = Person::new(&server);
    member.register(MEMBER, "李四", "37010201").await;

    let (status, session) =
        handed_over(&server, &assertion(&app_key(), "taian", MEMBER, now() + 120, "nonce-0000000001")).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["member"]["name"], "李四");
    assert!(session["expires_at"].as_i64().unwrap() > now() + 29 * 24 * 3600, "a token lasts 30 days");
    let token = session["token"].as_str().unwrap().to_owned();

    // The token alone (no cookie, no Origin) is the member on the API…
    let (status, _, me) = call(&server, "/api/me", None, Some(&token), None).await;
    assert_eq!((status, me["name"].as_str()), (200, Some("李四")), "{me}");
    // …and on its writes: a state change without Origin passes, as an app's does.
    let (status, _, campaigns) = call(&server, "/api/campaigns", None, Some(&token), Some(HOST_ORIGIN)).await;
    assert_eq!(status, 200, "{campaigns}");

    // 退出所有设备 in the browser ends the app's token too.
    let (status, _) = member.post("/me", "/api/auth/logout-everywhere", &[]).await;
    assert_eq!(status, 303);
    let (status, headers, refusal) = call(&server, "/api/me", None, Some(&token), None).await;
    assert_eq!(status, 401, "{refusal}");
    assert_eq!(message(&refusal), "登录已失效，请重新登录");
    assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
}

async fn every_bad_assertion_is_refused_with_a_json_error_and_changes_nothing(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    super_admin_with_app(&server, &db).await;
    Person::new(&server).register(MEMBER, "李四", "37010201").await;
    let key = app_key();

    let good = assertion(&key, "taian", MEMBER, now() + 120, "nonce-0000000002");
    assert_eq!(handed_over(&server, &good).await.0, 200);
    let cases = [
        (good, 401, "登录凭证已被使用过，请重新获取"),
        (assertion(&key, "taian", MEMBER, now() - 120, "nonce-0000000003"), 401, "登录凭证已过期，请重新打开页面"),
        (assertion(&key, "taian", MEMBER, now() + 3600, "nonce-0000000004"), 401, "登录凭证有效期过长（最多 5 分钟）"),
        (
            assertion(&SigningKey::from_bytes(&[9; 32]), "taian", MEMBER, now() + 120, "nonce-0000000005"),
            401,
            "登录凭证签名无效",
        ),
        (assertion(&key, "linyi", MEMBER, now() + 120, "nonce-0000000006"), 401, "登录凭证不是签发给此 App 的"),
        (assertion(&key, "taian", MEMBER, now() + 120, "short"), 401, "登录凭证的随机数长度应为 16–128 个字符"),
        ("not-an-assertion".to_owned(), 401, "登录凭证格式不正确"),
        (
            assertion(&key, "taian", "13900000099", now() + 120, "nonce-0000000007"),
            403,
            "该手机号还没有注册工会会员账号，请先注册",
        ),
    ];
    for (assertion, status, text) in cases {
        let (got, body) = handed_over(&server, &assertion).await;
        assert_eq!((got, message(&body)), (status, text), "{body}");
        assert!(body.get("Ok").is_none() && body["token"].is_null(), "no token: {body}");
    }
    let body =
        json!({ "app": "nobody", "assertion": assertion(&key, "nobody", MEMBER, now() + 120, "nonce-0000000008") });
    let (status, _, refusal) = call(&server, "/api/app/session", Some(body), None, None).await;
    assert_eq!((status, message(&refusal)), (403, "此 App 未登记或已停用"));
    // Nothing else was issued: exactly the one good hand-off holds a token.
    let store = store::Store::connect(db.url(), &Default::default()).await.unwrap();
    let member = store.credentials_by_phone(&domain::Phone::parse(MEMBER).unwrap()).await.unwrap().unwrap().member.id;
    assert_eq!(store.app_token_count(member).await.unwrap(), 1);
}

async fn password_and_code_sign_ins_give_tokens_that_refresh_and_end(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    Person::new(&server).register(MEMBER, "李四", "37010201").await;

    let (status, _, wrong) =
        call(&server, "/api/app/session", Some(json!({ "phone": MEMBER, "password": "wrong-password-1" })), None, None)
            .await;
    assert_eq!(status, 401, "{wrong}");
    assert_eq!(wrong["Rejected"]["field"], "password");
    let (status, _, empty) = call(&server, "/api/app/session", Some(json!({})), None, None).await;
    assert_eq!((status, message(&empty)), (400, "请提供手机号和密码、手机号和验证码，或 App 的登录凭证"));

    let (status, _, session) =
        call(&server, "/api/app/session", Some(json!({ "phone": MEMBER, "password": PASSWORD })), None, None).await;
    assert_eq!(status, 200, "{session}");
    let first = session["token"].as_str().unwrap().to_owned();

    // A refresh gives a new token and ends the old one.
    let (status, _, refreshed) = call(&server, "/api/app/session/refresh", Some(json!({})), Some(&first), None).await;
    assert_eq!(status, 200, "{refreshed}");
    let second = refreshed["token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(call(&server, "/api/me", None, Some(&first), None).await.0, 401);
    assert_eq!(call(&server, "/api/me", None, Some(&second), None).await.2["name"], "李四");

    // SMS code sign-in works the same way.
    let http = reqwest::Client::new();
    let sent = http
        .post(server.url("/api/auth/login-code"))
        .header("Origin", server.base.clone())
        .form(&[("phone", MEMBER)])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 200);
    let code = crate::support::latest_code(&http, &server.base, MEMBER).await.unwrap();
    let (status, _, by_code) =
        call(&server, "/api/app/session", Some(json!({ "phone": MEMBER, "code": code })), None, None).await;
    assert_eq!(status, 200, "{by_code}");

    // Signing out in the app ends that token only.
    let (status, _, _) = call(&server, "/api/app/session/end", Some(json!({})), Some(&second), None).await;
    assert_eq!(status, 200);
    let (status, _, refusal) = call(&server, "/api/app/session/end", Some(json!({})), Some(&second), None).await;
    assert_eq!((status, message(&refusal)), (401, "登录已失效，请重新登录"), "an ended token cannot be used again");
    assert_eq!(call(&server, "/api/me", None, by_code["token"].as_str(), None).await.0, 200);
    let (status, _, unsigned) =
        call(&server, "/api/app/session/refresh", Some(json!({})), None, Some(&server.base)).await;
    assert_eq!((status, message(&unsigned)), (401, "请用 Authorization: Bearer 携带登录令牌"));
}

async fn only_registered_origins_may_call_the_api_and_they_carry_no_cookie(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin_with_app(&server, &db).await;
    let http = reqwest::Client::new();
    let preflight = |origin: &str| {
        http.request(reqwest::Method::OPTIONS, server.url("/api/me"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .send()
    };

    let allowed = preflight(HOST_ORIGIN).await.unwrap();
    assert_eq!(allowed.status().as_u16(), 204);
    let header = |name: &str| allowed.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("access-control-allow-origin"), HOST_ORIGIN);
    assert!(header("access-control-allow-headers").contains("authorization"));
    assert_eq!(header("access-control-max-age"), "600", "browsers cache the preflight");
    assert!(allowed.headers().get("access-control-allow-credentials").is_none(), "cookies never cross origins");

    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    assert!(refused.headers().get("access-control-allow-origin").is_none());
    let body: Value = refused.json().await.unwrap();
    assert_eq!(message(&body), "此来源未登记为接入 App，不能调用接口");
    let (status, _, _) = call(&server, "/api/campaigns", None, None, Some("https://evil.example")).await;
    assert_eq!(status, 403, "a plain GET from an unknown origin too");

    // A bundle opened from a file (Origin: null) works because `null` is registered.
    let (status, headers, _) = call(&server, "/api/campaigns", None, None, Some("null")).await;
    assert_eq!((status, headers["access-control-allow-origin"].to_str().unwrap()), (200, "null"));

    // A registered origin's call carries no cookie: the admin's own browser
    // session does not make it an admin's call.
    let response = admin
        .http
        .get(server.url("/api/admin/apps"))
        .header("Origin", HOST_ORIGIN)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401, "signed out without its cookie");
    let (status, _) = admin.get("/admin/apps").await;
    assert_eq!(status, 200, "the admin's own session is untouched");

    // Stopping the app takes its origins out of CORS and ends its tokens.
    Person::new(&server).register(MEMBER, "李四", "37010201").await;
    let (_, session) =
        handed_over(&server, &assertion(&app_key(), "taian", MEMBER, now() + 120, "nonce-0000000009")).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let page = admin.get("/admin/apps").await.1;
    let id: String =
        page[page.find(r#"name="id" value=""#).unwrap() + 17..].chars().take_while(char::is_ascii_digit).collect();
    let (status, _) = admin.post_for_location("/admin/apps", "/api/admin/apps/revoke", &[("id", &id)]).await;
    assert_eq!(status, 303);
    assert_eq!(preflight(HOST_ORIGIN).await.unwrap().status().as_u16(), 403);
    assert_eq!(call(&server, "/api/me", None, Some(&token), None).await.0, 401);
    assert!(admin.get("/admin/apps").await.1.contains("已停用"));
    assert!(admin.get("/admin").await.1.contains("停用接入 App：泰安e站（taian）"), "audited");
}

/// Posts the 登记 App form as `person`'s browser does: status and page.
async fn register(person: &Person, form: Vec<(&'static str, String)>) -> (u16, String) {
    let form: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
    person.post("/admin/apps", "/api/admin/apps/new", &form).await
}

async fn only_a_super_admin_registers_apps_and_every_change_is_audited(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin_with_app(&server, &db).await;
    let member = Person::new(&server);
    member.register(MEMBER, "李四", "37010201").await;
    let key = STANDARD.encode(app_key().verifying_key().as_bytes());
    let form = |code: &'static str, origins: &'static str, key: &str| {
        vec![
            ("code", code.to_owned()),
            ("name", "临沂频道".to_owned()),
            ("origins", origins.to_owned()),
            ("public_key", key.to_owned()),
        ]
    };
    let (status, page) = register(&member, form("linyi", "https://linyi.example", &key)).await;
    assert_eq!(status, 403, "{page}");
    let cases = [
        (
            form("linyi", "https://linyi.example/app", &key),
            400,
            "“https://linyi.example/app”不是来源：应为 https://域名[:端口]，或 null",
        ),
        (form("linyi", "https://linyi.example", "bm90IGEga2V5"), 400, "公钥应为 Ed25519 公钥（32 字节）的 Base64"),
        (form("Linyi App!", "https://linyi.example", &key), 400, "App 标识应为 2–32 个小写字母、数字或连字符"),
        (form("taian", "https://linyi.example", &key), 409, "这个 App 标识已被使用"),
    ];
    for (form, status, text) in cases {
        let (got, page) = register(&admin, form).await;
        assert_eq!(got, status, "{text}");
        assert!(page.contains(text), "{text}");
    }
    let (_, apps) = admin.get("/admin/apps").await;
    assert!(!apps.contains("临沂频道"), "nothing was registered");

    let (status, _) = register(&admin, form("linyi", "https://linyi.example\nhttps://linyi.example/", &key)).await;
    assert_eq!(status, 303);
    let (_, apps) = admin.get("/admin/apps").await;
    assert!(apps.contains("临沂频道") && apps.contains("来源：https://linyi.example<"), "one origin, kept once");
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("登记接入 App：临沂频道（linyi）"), "audited");
}
