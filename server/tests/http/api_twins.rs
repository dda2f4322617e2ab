//! The writes that had only an HTML form now have their `/api` twin too, so
//! an app webview or the client-only bundle can do them (issue 11): SMS
//! sign-in, password reset, phone change, creating a campaign, nominating,
//! signing up, reviewing a sign-up, expert scores. Each answers JSON, with
//! the same rules and messages as its form. SQLite and PostgreSQL.

use store::testing::TestDb;

use crate::support::{age_sms_codes, latest_code, make_admin, CampaignForm, Person, RunningServer, PASSWORD};

impl Person {
    /// `POST /api/{endpoint}` (urlencoded, as server functions take it): status and JSON.
    async fn api(&self, endpoint: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Origin", self.base.clone())
            .form(form)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap_or_default())
    }
}

fn message(body: &serde_json::Value) -> &str {
    body["Rejected"]["message"].as_str().unwrap_or_default()
}

on_both_engines_with_db!(
    @more a_member_signs_in_by_sms_resets_the_password_and_changes_phone_through_the_api,
    an_official_runs_a_campaign_through_the_api,
);

async fn a_member_signs_in_by_sms_resets_the_password_and_changes_phone_through_the_api(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    Person::new(&server).register("13900000001", "张三", "37010201").await;
    let app = Person::new(&server);

    // SMS sign-in.
    let (status, sent) = app.api("auth/login-code", &[("phone", "13900000001")]).await;
    assert_eq!((status, sent["phone_masked"].as_str()), (200, Some("139****0001")), "{sent}");
    let code = latest_code(&app.http, &app.base, "13900000001").await.unwrap();
    let (status, _) = app.api("auth/login-sms", &[("phone", "13900000001"), ("code", "000000")]).await;
    assert!(status == 400 || code == "000000", "a wrong code is refused");
    let (status, me) = app.api("auth/login-sms", &[("phone", "13900000001"), ("code", &code)]).await;
    assert_eq!((status, me["name"].as_str()), (200, Some("张三")), "{me}");

    // A new password with a reset code; the old one no longer works.
    assert_eq!(app.api("auth/reset-code", &[("phone", "13900000001")]).await.0, 200);
    let code = latest_code(&app.http, &app.base, "13900000001").await.unwrap();
    let (status, body) =
        app.api("auth/reset", &[("phone", "13900000001"), ("code", &code), ("password", "12345678")]).await;
    assert_eq!((status, message(&body)), (400, "密码太简单，容易被猜到，请换一个（可以混合字母、数字和符号）"));
    let (status, _) =
        app.api("auth/reset", &[("phone", "13900000001"), ("code", &code), ("password", "Taishan-Dawn-77")]).await;
    assert_eq!(status, 200);
    let (status, _) = app.api("auth/login", &[("phone", "13900000001"), ("password", PASSWORD)]).await;
    assert_eq!(status, 401);
    let (status, _) = app.api("auth/login", &[("phone", "13900000001"), ("password", "Taishan-Dawn-77")]).await;
    assert_eq!(status, 200);

    // A new phone, proven by a code sent to it.
    let (status, body) = Person::new(&server).api("me/phone-code", &[("phone", "13900000002")]).await;
    assert_eq!((status, message(&body)), (401, "请先登录"));
    assert_eq!(app.api("me/phone-code", &[("phone", "13900000002")]).await.0, 200);
    let code = latest_code(&app.http, &app.base, "13900000002").await.unwrap();
    let (status, me) = app.api("me/phone", &[("phone", "13900000002"), ("code", &code)]).await;
    assert_eq!((status, me["phone_masked"].as_str()), (200, Some("139****0002")), "{me}");
    age_sms_codes(db.url(), 61).await;
    let (status, _) = app.api("auth/login", &[("phone", "13900000002"), ("password", "Taishan-Dawn-77")]).await;
    assert_eq!(status, 200, "the member signs in with the new phone");
}

async fn an_official_runs_a_campaign_through_the_api(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let campaign = CampaignForm::lixia("lixia-api");
    let (status, body) = admin.api("admin/campaigns/new", &campaign.fields()).await;
    assert_eq!((status, body.as_str()), (200, Some("lixia-api")), "{body}");
    let campaign = campaign.with("slug", "Bad Slug");
    let (status, body) = admin.api("admin/campaigns/new", &campaign.fields()).await;
    assert_eq!(status, 400);
    assert!(message(&body).starts_with("链接名应为 3–40 个小写字母、数字或“-”"), "{body}");
    let (status, body) = Person::new(&server).api("admin/campaigns/new", &campaign.fields()).await;
    assert_eq!((status, message(&body)), (401, "请先登录"));

    let nominee =
        [("slug", "lixia-api"), ("name", "赵师傅"), ("unit", "37010203"), ("title", "电工"), ("story", "二十年坚守")];
    let (status, body) = admin.api("admin/campaigns/nominate", &nominee).await;
    assert_eq!((status, body.as_str()), (200, Some("已提名 01 号候选人 赵师傅")), "{body}");

    // A certified member signs up; the official approves it; scores follow.
    let member = Person::new(&server);
    member.register("13900000001", "夏国子", "37010201").await;
    let roster =
        "unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH9,夏国子,男,1965-08-29,370103196508295838,\n";
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.as_bytes().to_vec()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    let (status, _) = member.api("me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    assert_eq!(status, 200);
    let (status, body) =
        member.api("campaigns/signup", &[("slug", "lixia-api"), ("title", "钳工"), ("story", "")]).await;
    assert_eq!((status, message(&body)), (400, "请填写事迹简介"));
    let (status, body) =
        member.api("campaigns/signup", &[("slug", "lixia-api"), ("title", "钳工"), ("story", "三十年如一日")]).await;
    assert_eq!((status, body.as_str()), (200, Some("报名已提交，审核通过后将获得候选人编号")), "{body}");
    let (_, rows) = admin
        .http
        .get(server.url("/api/admin/campaigns/candidates?slug=lixia-api"))
        .send()
        .await
        .map(|r| (0, r))
        .unwrap();
    let rows: serde_json::Value = rows.json().await.unwrap();
    let pending = rows[1].as_array().unwrap().iter().find(|c| c["pending"] == true).expect("the sign-up waits");
    let id = pending["id"].to_string();
    let (status, body) = member.api("admin/campaigns/signups/approve", &[("slug", "lixia-api"), ("id", &id)]).await;
    assert_eq!(status, 403, "a member cannot review: {body}");
    let (status, body) = admin.api("admin/campaigns/signups/approve", &[("slug", "lixia-api"), ("id", &id)]).await;
    assert_eq!((status, body.as_str()), (200, Some("已通过报名，候选人已编号")));
    let (status, _) = admin.api("admin/campaigns/signups/reject", &[("slug", "lixia-api"), ("id", &id)]).await;
    assert_eq!(status, 404, "already decided");

    let (status, body) =
        admin.api("admin/campaigns/scores", &[("slug", "lixia-api"), ("scores[1]", "88"), ("scores[2]", "101")]).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) =
        admin.api("admin/campaigns/scores", &[("slug", "lixia-api"), ("scores[1]", "88"), ("scores[2]", "92")]).await;
    assert_eq!(status, 200);
    let results: serde_json::Value = admin
        .http
        .get(server.url("/api/admin/campaigns/results?slug=lixia-api"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let scores: Vec<i64> = results[2].as_array().unwrap().iter().filter_map(|r| r["expert_score"].as_i64()).collect();
    assert_eq!(scores.len(), 2, "{results}");
    assert!(scores.contains(&88) && scores.contains(&92));
}
