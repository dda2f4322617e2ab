//! Registration, sign-in and sessions through the real binary, on SQLite and
//! PostgreSQL: the plain HTML form posts (what works without JavaScript) and
//! the JSON API under /api/auth.

use std::time::Duration;

use crate::support::RunningServer;
use store::testing::TestDb;

const PHONE: &str = "13800138000";
const UNIT: &str = "37010201"; // 历下区机械厂工会 in the demo tree
const PASSWORD: &str = "qilu-gongjiang-2019";

/// A browser: keeps cookies, does not follow redirects, sends our Origin.
struct Browser {
    server: RunningServer,
    http: reqwest::Client,
    _db: TestDb,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookie: Vec<String>,
    html: String,
}

impl Browser {
    async fn open(db: TestDb, env: &[(&str, &str)]) -> Self {
        let server = RunningServer::start(db.url(), env);
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Self { server, http, _db: db }
    }

    async fn post(&self, page: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let response =
            crate::support::form_post(&self.http, &self.server.base, page, action).form(form).send().await.unwrap();
        Page::read(response).await
    }

    async fn get(&self, path: &str) -> Page {
        Page::read(self.http.get(self.server.url(path)).send().await.unwrap()).await
    }

    /// The newest code the development SMS sender "sent" to `phone`.
    async fn latest_code(&self, phone: &str) -> Option<String> {
        crate::support::latest_code(&self.http, &self.server.base, phone).await
    }

    async fn sms_count(&self) -> usize {
        let inbox: serde_json::Value =
            self.http.get(self.server.url("/dev/sms")).send().await.unwrap().json().await.unwrap();
        inbox.as_array().unwrap().len()
    }

    async fn send_code(&self, phone: &str) -> Page {
        self.post("/register", "/api/auth/register-code", &[("phone", phone), ("unit", UNIT)]).await
    }

    async fn register(&self, phone: &str, code: &str, name: &str, password: &str, unit: &str) -> Page {
        self.post(
            "/register",
            "/api/auth/register",
            &[("phone", phone), ("code", code), ("name", name), ("password", password), ("unit", unit)],
        )
        .await
    }

    /// Registers PHONE with a fresh code and returns the code used.
    async fn register_member(&self) -> String {
        assert_eq!(self.send_code(PHONE).await.status, 200);
        let code = self.latest_code(PHONE).await.expect("a code was sent");
        let page = self.register(PHONE, &code, "张三", PASSWORD, UNIT).await;
        assert_eq!((page.status, page.location.as_deref()), (303, Some("/me")), "{}", page.html);
        code
    }

    /// Moves every code sent so far `secs` into the past.
    async fn age_codes(&self, secs: i64) {
        crate::support::age_sms_codes(self._db.url(), secs).await;
    }

    async fn login(&self, phone: &str, password: &str) -> Page {
        self.post("/login", "/api/auth/login", &[("phone", phone), ("password", password)]).await
    }
}

impl Page {
    async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
        let set_cookie =
            response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        Self { status, location, set_cookie, html: response.text().await.unwrap() }
    }

    /// The message under form field `name`.
    fn message_for(&self, name: &str) -> String {
        let marker = format!(r#"id="f-{name}-message""#);
        let start = self.html.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
        let rest = &self.html[start..];
        let text = &rest[rest.find('>').unwrap() + 1..];
        text[..text.find('<').unwrap()].trim().to_owned()
    }
}

macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => { on_both_engines!(@in sqlite, postgres; $($scenario),*); };
    (@in $sqlite:ident, $postgres:ident; $($scenario:ident),*) => {
        mod $sqlite {
            $(#[tokio::test] async fn $scenario() {
                super::$scenario(super::Browser::open(store::testing::TestDb::sqlite().await, &[]).await).await
            })*
        }
        mod $postgres {
            $(#[tokio::test] async fn $scenario() {
                let Some(db) = store::testing::TestDb::postgres().await else { return };
                super::$scenario(super::Browser::open(db, &[]).await).await
            })*
        }
    };
}

/// Oversized input and expiry, in their own modules.
macro_rules! on_both_engines_oversized {
    ($($scenario:ident),* $(,)?) => { on_both_engines!(@in sqlite_limits, postgres_limits; $($scenario),*); };
}

/// Sessions across devices, in their own modules.
macro_rules! on_both_engines_sessions {
    ($($scenario:ident),* $(,)?) => { on_both_engines!(@in sqlite_sessions, postgres_sessions; $($scenario),*); };
}

/// The code-proven flows, in their own modules.
macro_rules! on_both_engines_more {
    ($($scenario:ident),* $(,)?) => { on_both_engines!(@in sqlite_code_flows, postgres_code_flows; $($scenario),*); };
}

on_both_engines!(
    a_member_registers_with_an_sms_code_and_sees_their_profile,
    a_malformed_phone_is_refused_next_to_the_field_and_no_sms_is_sent,
    a_registered_phone_cannot_register_again,
    wrong_codes_count_down_and_the_fifth_kills_the_code,
    a_code_sent_earlier_stops_working_once_a_newer_one_is_sent,
    a_phone_typed_in_full_width_digits_registers_and_signs_in,
    wrong_tries_count_per_phone_so_an_older_code_or_a_new_one_buys_no_more_guesses,
    a_weak_password_is_refused_without_using_up_the_code,
    a_unit_that_does_not_exist_is_refused,
    an_unknown_phone_and_a_wrong_password_get_the_same_answer,
    five_wrong_passwords_lock_sign_in_with_a_time_to_retry,
    an_unknown_phone_locks_after_as_many_wrong_passwords_and_answers_alike,
    signing_out_ends_the_session,
);

async fn a_member_registers_with_an_sms_code_and_sees_their_profile(browser: Browser) {
    let sent = browser.send_code(PHONE).await;
    assert_eq!(sent.status, 200);
    assert!(sent.html.contains("验证码已发送至 138****8000"), "{}", sent.html);
    let code = browser.latest_code(PHONE).await.expect("code in the dev inbox");
    assert_eq!(code.len(), 6);

    let registered = browser.register(PHONE, &code, "张三", PASSWORD, UNIT).await;

    assert_eq!((registered.status, registered.location.as_deref()), (303, Some("/me")));
    let cookie = registered.set_cookie.iter().find(|c| c.starts_with("gonghui_session=")).expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Max-Age"), "not remembered: a browser-session cookie ({cookie})");
    let me = browser.get("/me").await;
    assert!(me.html.contains("<h1>张三</h1>"), "{}", me.html);
    assert!(me.html.contains("138****8000") && !me.html.contains(PHONE), "the phone is masked");
    assert!(me.html.contains("历下区机械厂工会"));
}

async fn a_malformed_phone_is_refused_next_to_the_field_and_no_sms_is_sent(browser: Browser) {
    for (phone, message) in [("1380013800", "手机号应为 11 位数字，以 1 开头"), ("", "请输入手机号")]
    {
        let page = browser.send_code(phone).await;
        assert_eq!(page.status, 400);
        assert_eq!(page.message_for("phone"), message);
        assert!(page.html.contains(&format!(r#"value="{phone}""#)), "what was typed is kept");
    }
    assert_eq!(browser.sms_count().await, 0);
}

async fn a_registered_phone_cannot_register_again(browser: Browser) {
    browser.register_member().await;
    let again = browser.send_code(PHONE).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.message_for("phone"), "该手机号已注册，请直接登录");
    assert_eq!(browser.sms_count().await, 1, "no second code was sent");
}

async fn wrong_codes_count_down_and_the_fifth_kills_the_code(browser: Browser) {
    browser.send_code(PHONE).await;
    let code = browser.latest_code(PHONE).await.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let page = browser.register(PHONE, wrong, "张三", PASSWORD, UNIT).await;
        assert_eq!(page.status, 400);
        assert_eq!(page.message_for("code"), format!("验证码不正确，还可以再试 {left} 次"));
    }
    let fifth = browser.register(PHONE, wrong, "张三", PASSWORD, UNIT).await;
    assert_eq!(fifth.status, 429);
    assert_eq!(fifth.message_for("code"), "验证码输错次数过多，已失效，请 1 小时后重新获取");

    let right_but_dead = browser.register(PHONE, &code, "张三", PASSWORD, UNIT).await;
    assert_eq!(right_but_dead.status, 400);
    assert_eq!(right_but_dead.message_for("code"), "验证码已失效，请重新获取");
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 401, "no account was created");
}

async fn a_code_sent_earlier_stops_working_once_a_newer_one_is_sent(browser: Browser) {
    browser.send_code(PHONE).await;
    let first = browser.latest_code(PHONE).await.unwrap();
    browser.age_codes(61).await;
    assert_eq!(browser.send_code(PHONE).await.status, 200);
    let second = browser.latest_code(PHONE).await.unwrap();
    if first != second {
        let old = browser.register(PHONE, &first, "张三", PASSWORD, UNIT).await;
        assert_eq!(old.status, 400, "the first code died when the second was sent");
        assert_eq!(browser.login(PHONE, PASSWORD).await.status, 401, "no account was created");
    }
    let page = browser.register(PHONE, &second, "张三", PASSWORD, UNIT).await;
    assert_eq!(page.status, 303, "{}", page.html);
}

async fn wrong_tries_count_per_phone_so_an_older_code_or_a_new_one_buys_no_more_guesses(browser: Browser) {
    browser.send_code(PHONE).await;
    let first = browser.latest_code(PHONE).await.unwrap();
    browser.age_codes(61).await;
    browser.send_code(PHONE).await;
    let second = browser.latest_code(PHONE).await.unwrap();
    let wrong = ["000000", "111111", "222222"].into_iter().find(|w| *w != first && *w != second).unwrap();
    for _ in 0..4 {
        assert_eq!(browser.register(PHONE, wrong, "张三", PASSWORD, UNIT).await.status, 400);
    }
    let fifth = browser.register(PHONE, wrong, "张三", PASSWORD, UNIT).await;
    assert_eq!(fifth.status, 429);

    // The code sent earlier is no way round the limit…
    let older = browser.register(PHONE, &first, "张三", PASSWORD, UNIT).await;
    assert_eq!(older.status, 400);
    assert_eq!(older.message_for("code"), "验证码已失效，请重新获取");
    // …and neither is asking for a new one within the hour.
    browser.age_codes(61).await;
    let sms_before = browser.sms_count().await;
    let again = browser.send_code(PHONE).await;
    assert_eq!(again.status, 429);
    assert_eq!(again.message_for("phone"), "验证码输错次数过多，已失效，请 1 小时后重新获取");
    assert_eq!(browser.sms_count().await, sms_before, "no code was sent");
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 401, "no account was created");

    // An hour later the member may try again.
    browser.age_codes(3600).await;
    browser.register_member().await;
}

async fn a_phone_typed_in_full_width_digits_registers_and_signs_in(browser: Browser) {
    // What a Chinese input method types for 13800138000.
    let full_width = "１３８００１３８０００";
    assert_eq!(browser.send_code(full_width).await.status, 200);
    let code = browser.latest_code(PHONE).await.expect("the code went to the ASCII number");
    let page = browser.register(full_width, &code, "张三", PASSWORD, UNIT).await;
    assert_eq!(page.status, 303, "{}", page.html);
    let signed_in = browser.login("＋８６ １３８００１３８０００", PASSWORD).await;
    assert_eq!((signed_in.status, signed_in.location.as_deref()), (303, Some("/me")));
}

async fn a_weak_password_is_refused_without_using_up_the_code(browser: Browser) {
    browser.send_code(PHONE).await;
    let code = browser.latest_code(PHONE).await.unwrap();
    for (password, message) in
        [("abc123", "密码至少 8 位"), ("12345678", "密码太简单，容易被猜到，请换一个（可以混合字母、数字和符号）")]
    {
        let page = browser.register(PHONE, &code, "张三", password, UNIT).await;
        assert_eq!(page.status, 400);
        assert_eq!(page.message_for("password"), message);
        assert!(!page.html.contains(password), "a password is never echoed back");
    }
    let page = browser.register(PHONE, &code, "张三", PASSWORD, UNIT).await;
    assert_eq!(page.status, 303, "the same code still works: {}", page.html);
}

async fn a_unit_that_does_not_exist_is_refused(browser: Browser) {
    browser.send_code(PHONE).await;
    let code = browser.latest_code(PHONE).await.unwrap();
    let page = browser.register(PHONE, &code, "张三", PASSWORD, "99999999").await;
    assert_eq!(page.status, 400);
    assert_eq!(page.message_for("unit"), "所选工会不存在，请重新选择");
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 401, "no account was created");
}

async fn an_unknown_phone_and_a_wrong_password_get_the_same_answer(browser: Browser) {
    browser.register_member().await;
    let wrong_password = browser.login(PHONE, "not-the-password").await;
    let unknown_phone = browser.login("13900000000", "not-the-password").await;
    assert_eq!(wrong_password.status, 401);
    assert_eq!(unknown_phone.status, 401);
    assert_eq!(wrong_password.message_for("password"), "手机号或密码不正确");
    assert_eq!(unknown_phone.message_for("password"), wrong_password.message_for("password"));

    let right = browser.login(PHONE, PASSWORD).await;
    assert_eq!((right.status, right.location.as_deref()), (303, Some("/me")));
}

async fn five_wrong_passwords_lock_sign_in_with_a_time_to_retry(browser: Browser) {
    browser.register_member().await;
    for _ in 0..4 {
        assert_eq!(browser.login(PHONE, "not-the-password").await.status, 401);
    }
    let fifth = browser.login(PHONE, "not-the-password").await;
    assert_eq!(fifth.status, 429);
    assert!(
        fifth.message_for("password").starts_with("密码错误次数过多，已暂时锁定，请在 "),
        "{}",
        fifth.message_for("password")
    );
    let right_while_locked = browser.login(PHONE, PASSWORD).await;
    assert_eq!(right_while_locked.status, 429, "even the right password waits out the lock");
}

async fn an_unknown_phone_locks_after_as_many_wrong_passwords_and_answers_alike(browser: Browser) {
    browser.register_member().await;
    let unknown = "13900000000";
    let mut answers = Vec::new();
    for phone in [PHONE, unknown] {
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(browser.login(phone, "not-the-password").await.status);
        }
        let locked = browser.login(phone, "not-the-password").await;
        answers.push((
            statuses,
            locked.status,
            locked.message_for("password").split("请在").next().unwrap().to_owned(),
        ));
    }
    assert_eq!(answers[0], answers[1], "a registered and an unknown phone cannot be told apart");
    assert_eq!(answers[0].0, vec![401, 401, 401, 401, 429]);
    assert_eq!(answers[0].1, 429);
}

async fn signing_out_ends_the_session(browser: Browser) {
    browser.register_member().await;
    assert!(browser.get("/me").await.html.contains("<h1>张三</h1>"));
    assert_eq!(browser.get("/api/auth/logout").await.status, 405, "no state change on GET: only POST signs out");
    assert!(browser.get("/me").await.html.contains("<h1>张三</h1>"));

    let out = browser.post("/me", "/api/auth/logout", &[]).await;

    assert_eq!((out.status, out.location.as_deref()), (303, Some("/")));
    assert!(browser.get("/me").await.html.contains("登录后可查看会员信息"));
}

async fn a_second_code_within_a_minute_is_refused(browser: Browser) {
    assert_eq!(browser.send_code(PHONE).await.status, 200);
    let again = browser.send_code(PHONE).await;
    assert_eq!(again.status, 429);
    assert!(again.message_for("phone").starts_with("验证码已发送，请 "), "{}", again.message_for("phone"));
    assert_eq!(browser.sms_count().await, 1);
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in_and_remember_me_keeps_it_for_30_days() {
    let browser = Browser::open(TestDb::sqlite().await, &[("GONGHUI_SECURE_COOKIES", "true")]).await;
    browser.send_code(PHONE).await;
    let code = browser.latest_code(PHONE).await.unwrap();
    let registered = browser.register(PHONE, &code, "张三", PASSWORD, UNIT).await;
    let first = registered.set_cookie.iter().find(|c| c.starts_with("gonghui_session=")).unwrap().clone();
    assert!(first.contains("Secure"), "GONGHUI_SECURE_COOKIES=true marks it Secure: {first}");

    let again =
        browser.post("/login", "/api/auth/login", &[("phone", PHONE), ("password", PASSWORD), ("remember", "1")]).await;
    let second = again.set_cookie.iter().find(|c| c.starts_with("gonghui_session=")).unwrap().clone();

    let id = |cookie: &str| cookie.split(';').next().unwrap().to_owned();
    assert_ne!(id(&first), id(&second), "a new session id at sign-in");
    assert!(second.contains("Max-Age=2592000"), "remembered for 30 days: {second}");
}

#[tokio::test]
async fn the_json_api_signs_in_and_answers_errors_as_json() {
    let browser = Browser::open(TestDb::sqlite().await, &[]).await;
    browser.register_member().await;
    let api = |path: &str| browser.server.url(path);

    let wrong = browser
        .http
        .post(api("/api/auth/login"))
        .header("Origin", browser.server.base.clone())
        .form(&[("phone", PHONE), ("password", "nope-nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let body: serde_json::Value = wrong.json().await.unwrap();
    assert_eq!(body["Rejected"]["message"], "手机号或密码不正确");

    let right = browser
        .http
        .post(api("/api/auth/login"))
        .header("Origin", browser.server.base.clone())
        .form(&[("phone", PHONE), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status().as_u16(), 200);
    let me: serde_json::Value = browser.http.get(api("/api/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        me,
        serde_json::json!({"name": "张三", "phone_masked": "138****8000", "unit_name": "历下区机械厂工会", "certified": false, "member_no": null, "is_official": false})
    );
}

/// Asks for a code on `page` (its form posts to `action`).
async fn code_for(browser: &Browser, page: &str, action: &str, phone: &str) -> String {
    let sent = browser.post(page, action, &[("phone", phone)]).await;
    assert_eq!(sent.status, 200, "{}", sent.html);
    browser.latest_code(phone).await.expect("code sent")
}

on_both_engines_more!(
    a_member_signs_in_with_an_sms_code_which_also_lifts_a_lockout,
    a_code_sign_in_for_a_stranger_looks_the_same_and_sends_nothing,
    a_forgotten_password_is_reset_with_a_code,
    a_member_moves_to_a_new_phone_proven_by_a_code_sent_to_it,
);

async fn a_member_signs_in_with_an_sms_code_which_also_lifts_a_lockout(browser: Browser) {
    browser.register_member().await;
    browser.post("/me", "/api/auth/logout", &[]).await;
    for _ in 0..5 {
        browser.login(PHONE, "not-the-password").await;
    }
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 429, "locked");
    let code = code_for(&browser, "/login/sms", "/api/auth/login-code", PHONE).await;

    let wrong = browser.post("/login/sms", "/api/auth/login-sms", &[("phone", PHONE), ("code", "12345")]).await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.message_for("code"), "验证码应为 6 位数字");
    let page = browser.post("/login/sms", "/api/auth/login-sms", &[("phone", PHONE), ("code", &code)]).await;

    assert_eq!((page.status, page.location.as_deref()), (303, Some("/me")));
    assert!(browser.get("/me").await.html.contains("<h1>张三</h1>"));
    browser.post("/me", "/api/auth/logout", &[]).await;
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 303, "the lockout is lifted");
}

async fn a_code_sign_in_for_a_stranger_looks_the_same_and_sends_nothing(browser: Browser) {
    browser.register_member().await;
    let member = browser.post("/login/sms", "/api/auth/login-code", &[("phone", PHONE)]).await;
    let stranger = browser.post("/login/sms", "/api/auth/login-code", &[("phone", "13900000000")]).await;
    assert_eq!((member.status, stranger.status), (200, 200));
    let notice = |html: &str| html.contains("是已注册会员的手机号，验证码已发送");
    assert!(notice(&member.html) && notice(&stranger.html));
    assert!(browser.latest_code("13900000000").await.is_none(), "no SMS to a stranger");
}

async fn a_forgotten_password_is_reset_with_a_code(browser: Browser) {
    browser.register_member().await;
    browser.post("/me", "/api/auth/logout", &[]).await;
    let code = code_for(&browser, "/reset", "/api/auth/reset-code", PHONE).await;

    let weak =
        browser.post("/reset", "/api/auth/reset", &[("phone", PHONE), ("code", &code), ("password", "1234")]).await;
    assert_eq!(weak.status, 400);
    assert_eq!(weak.message_for("password"), "密码至少 8 位");
    let done = browser
        .post("/reset", "/api/auth/reset", &[("phone", PHONE), ("code", &code), ("password", "a-new-pass-2026")])
        .await;

    assert_eq!((done.status, done.location.as_deref()), (303, Some("/login?reset=1")));
    assert!(browser.get("/login?reset=1").await.html.contains("密码已重置，请用新密码登录。"));
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 401, "the old password no longer works");
    assert_eq!(browser.login(PHONE, "a-new-pass-2026").await.status, 303);
}

async fn a_member_moves_to_a_new_phone_proven_by_a_code_sent_to_it(browser: Browser) {
    browser.register_member().await;
    let taken = browser.post("/me/phone", "/api/me/phone-code", &[("phone", PHONE)]).await;
    assert_eq!(taken.status, 409);
    assert_eq!(taken.message_for("phone"), "该手机号已被其他会员使用");

    let code = code_for(&browser, "/me/phone", "/api/me/phone-code", "13700137000").await;
    let moved = browser.post("/me/phone", "/api/me/phone", &[("phone", "13700137000"), ("code", &code)]).await;

    assert_eq!((moved.status, moved.location.as_deref()), (303, Some("/me")));
    assert!(browser.get("/me").await.html.contains("137****7000"));
    browser.post("/me", "/api/auth/logout", &[]).await;
    assert_eq!(browser.login(PHONE, PASSWORD).await.status, 401, "the old number no longer signs in");
    assert_eq!(browser.login("13700137000", PASSWORD).await.status, 303);
}

async fn changing_the_phone_needs_a_signed_in_member(browser: Browser) {
    let page = browser.post("/me/phone", "/api/me/phone-code", &[("phone", "13700137000")]).await;
    assert_eq!(page.status, 401);
    assert!(page.html.contains("请先登录"));
    assert_eq!(browser.sms_count().await, 0);
}

#[tokio::test]
async fn one_address_posting_too_fast_is_slowed_down_with_429_and_a_wait() {
    let browser = Browser::open(TestDb::sqlite().await, &[("GONGHUI_ACCOUNT_POSTS_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        assert_eq!(browser.login(PHONE, "whatever-it-is").await.status, 401);
    }
    let response = browser
        .http
        .post(browser.server.url("/api/auth/register-code"))
        .header("Origin", browser.server.base.clone())
        .form(&[("phone", PHONE)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429, "the JSON twins share the limit");
    let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert!(response.text().await.unwrap().starts_with("操作太频繁，请"));
    assert_eq!(browser.sms_count().await, 0, "nothing was sent");
    assert_eq!(browser.get("/login").await.status, 200, "reading pages is not limited");
}

on_both_engines_oversized!(
    oversized_fields_are_refused_with_a_message_and_change_nothing,
    an_expired_code_is_refused,
    a_second_code_within_a_minute_is_refused,
    changing_the_phone_needs_a_signed_in_member,
);

async fn oversized_fields_are_refused_with_a_message_and_change_nothing(browser: Browser) {
    browser.send_code(PHONE).await;
    let code = browser.latest_code(PHONE).await.unwrap();
    let long_name = "张".repeat(10_000);
    let page = browser.register(PHONE, &code, &long_name, PASSWORD, UNIT).await;
    assert_eq!(page.status, 400);
    assert_eq!(page.message_for("name"), "姓名应为 2–20 个字");
    assert!(page.html.contains(&"张".repeat(100)) && !page.html.contains(&"张".repeat(101)), "echoed, but cut at 100");
    let long_phone = "1".repeat(5_000);
    let page = browser.register(&long_phone, &code, "张三", PASSWORD, UNIT).await;
    assert_eq!(page.status, 400);
    assert_eq!(page.message_for("phone"), "手机号应为 11 位数字，以 1 开头");
    let page = browser.register(PHONE, &code, "张三", &"x".repeat(65), UNIT).await;
    assert_eq!(page.message_for("password"), "密码不能超过 64 位");
    assert_eq!(browser.register(PHONE, &code, "张三", PASSWORD, UNIT).await.status, 303, "the code survived it all");
}

async fn an_expired_code_is_refused(browser: Browser) {
    browser.send_code(PHONE).await;
    let code = browser.latest_code(PHONE).await.unwrap();
    // Five minutes pass (moved in the database: the server's clock is real).
    sqlx::any::install_default_drivers();
    let mut db = <sqlx::AnyConnection as sqlx::Connection>::connect(browser._db.url()).await.unwrap();
    sqlx::query("UPDATE sms_codes SET expires_at = expires_at - 301").execute(&mut db).await.unwrap();

    let page = browser.register(PHONE, &code, "张三", PASSWORD, UNIT).await;

    assert_eq!(page.status, 400);
    assert_eq!(page.message_for("code"), "验证码已失效，请重新获取");
}

on_both_engines_sessions!(a_password_reset_or_phone_change_signs_the_member_out_everywhere_else);

async fn a_password_reset_or_phone_change_signs_the_member_out_everywhere_else(browser: Browser) {
    browser.register_member().await;
    let phone_browser = crate::support::Person::new(&browser.server); // the member's other device
    let (status, _) =
        phone_browser.post("/login", "/api/auth/login", &[("phone", PHONE), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    assert!(phone_browser.get("/me").await.1.contains("<h1>张三</h1>"));

    // A phone change on this device keeps this session and ends the other.
    let code = code_for(&browser, "/me/phone", "/api/me/phone-code", "13700137000").await;
    browser.post("/me/phone", "/api/me/phone", &[("phone", "13700137000"), ("code", &code)]).await;
    assert!(browser.get("/me").await.html.contains("<h1>张三</h1>"), "this device stays signed in");
    assert!(phone_browser.get("/me").await.1.contains("登录后可查看会员信息"), "the other device is signed out");

    // A password reset ends every session, this one included.
    let (status, _) =
        phone_browser.post("/login", "/api/auth/login", &[("phone", "13700137000"), ("password", PASSWORD)]).await;
    assert_eq!(status, 303);
    let code = code_for(&browser, "/reset", "/api/auth/reset-code", "13700137000").await;
    browser
        .post(
            "/reset",
            "/api/auth/reset",
            &[("phone", "13700137000"), ("code", &code), ("password", "a-new-pass-2026")],
        )
        .await;
    assert!(phone_browser.get("/me").await.1.contains("登录后可查看会员信息"));
    assert!(browser.get("/me").await.html.contains("登录后可查看会员信息"));
}
