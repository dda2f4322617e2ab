//! The authorization matrix: an official acts only within their subtree.
//! For every write an official can make, a county official (历下区, 370102)
//! tries it on something that belongs to the neighbouring county (市中区,
//! 370103) or to the province: each is refused with a status that says so,
//! and the database is as it was. Issue 10 found one that was not: a roster
//! row naming the official's own unit *moved* a person off the neighbour's
//! roster, because only the new unit was checked, not the row's current one.
//! SQLite and PostgreSQL.

use crate::support::{make_admin, png, CampaignForm, Person, RunningServer};
use store::testing::TestDb;

const ROSTER: &str = include_str!("../../../demo/roster.csv");
/// On the demo roster in 37010304 (市中区): outside 历下区's reach.
const NEIGHBOURS_ID: &str = "370103196508295838";
const NEIGHBOURS_PHONE: &str = "15100780963";
const PROVINCE_CAMPAIGN: &str = server::demo::DEMO_CAMPAIGN_SLUG;

async fn one(db: &TestDb, sql: &str) -> String {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (value,): (String,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
    value
}

/// Everything an official's write could have changed, as one text.
async fn snapshot(db: &TestDb) -> String {
    one(
        db,
        "SELECT \
           (SELECT COUNT(*) FROM roster_entries) || '|' || \
           (SELECT u.code FROM roster_entries r JOIN units u ON u.id = r.unit_id WHERE r.member_no = 'GH00000001') || '|' || \
           (SELECT COUNT(*) FROM members WHERE roster_entry_id IS NOT NULL) || '|' || \
           (SELECT COUNT(*) FROM certify_requests WHERE status = 'pending') || '|' || \
           (SELECT COUNT(*) FROM officials) || '|' || \
           (SELECT COUNT(*) FROM candidates) || '|' || \
           (SELECT COUNT(*) FROM media) || '|' || \
           (SELECT COUNT(*) FROM vote_voids) || '|' || \
           (SELECT COUNT(*) FROM candidates WHERE expert_score IS NOT NULL) || '|' || \
           (SELECT COUNT(*) FROM campaigns)",
    )
    .await
}

impl Person {
    async fn multipart(&self, page: &str, action: &str, form: reqwest::multipart::Form) -> (u16, String) {
        let response =
            crate::support::form_post(&self.http, &self.base, page, action).multipart(form).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

fn photo_form() -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .part("photo", reqwest::multipart::Part::bytes(png()).file_name("p.png").mime_str("image/png").unwrap())
}

on_both_engines_with_db!(@more a_county_official_changes_nothing_that_belongs_outside_their_county);

async fn a_county_official_changes_nothing_that_belongs_outside_their_county(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", ROSTER.as_bytes().to_vec()).await;
    let start = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    let (status, _) =
        admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[start..start + 32])]).await;
    assert_eq!(status, 200);
    let lixia = Person::new(&server);
    lixia.register("13800000002", "李区长", "37010202").await;
    let shizhong = Person::new(&server);
    shizhong.register("13800000003", "赵区长", "37010301").await;
    for (phone, unit) in [("13800000002", "370102"), ("13800000003", "370103")] {
        assert_eq!(admin.post("/admin", "/api/admin/officials", &[("phone", phone), ("unit", unit)]).await.0, 200);
    }
    // 历下区's own campaign, to nominate into.
    let campaign = CampaignForm::lixia("lixia-2026").with("expert_weight_pct", "0");
    let (status, html) = lixia.post("/admin/campaigns/new", "/api/admin/campaigns/new", &campaign.fields()).await;
    assert_eq!(status, 303, "{html}");
    // A member of 历下区 asks for manual review with the neighbour's ID number.
    let member = Person::new(&server);
    member.register("13900000001", "夏国子", "37010201").await;
    let form = photo_form().text("name", "夏国子").text("id_number", NEIGHBOURS_ID);
    assert_eq!(member.multipart("/certify", "/api/me/certify-request/send", form).await.0, 303);
    let (_, queue) = lixia.get("/admin/certify").await;
    let start = queue.find(r#"id="request-"#).expect("the request is in 历下区's queue") + r#"id="request-"#.len();
    let request: String = queue[start..].chars().take_while(char::is_ascii_digit).collect();

    let before = snapshot(&db).await;
    let roster_row = format!("unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH9,夏国子,男,,{NEIGHBOURS_ID},{NEIGHBOURS_PHONE}\n");
    let cases: Vec<(&str, (u16, String), u16, &str)> = vec![
        (
            "roster: a row naming 历下区 for a person on 市中区's roster",
            lixia.upload("/admin/roster", "/api/admin/roster/preview", roster_row.into_bytes()).await,
            400,
            "第 2 行：此人已在",
        ),
        (
            "certification: approving links the request to 市中区's roster entry",
            lixia
                .post("/admin/certify", "/api/admin/certify-requests/approve", &[("id", &request), ("member_no", "")])
                .await,
            403,
            "不在您的管理范围内",
        ),
        (
            "officials: appointing 市中区's member over a 历下区 unit",
            lixia.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "37010201")]).await,
            403,
            "该会员所在单位不在您的管理范围内",
        ),
        (
            "officials: appointing over 市中区's unit",
            lixia.post("/admin", "/api/admin/officials", &[("phone", "13900000001"), ("unit", "370103")]).await,
            403,
            "只能任命本单位及下级单位的管理员",
        ),
        (
            "candidates: nominating a 市中区 worker in 历下区's campaign",
            lixia
                .post(
                    "/admin/campaigns/lixia-2026/candidates",
                    "/api/admin/campaigns/nominate",
                    &[
                        ("slug", "lixia-2026"),
                        ("name", "赵工"),
                        ("unit", "37010301"),
                        ("title", "钳工"),
                        ("story", "事迹"),
                    ],
                )
                .await,
            403,
            "候选人所在单位应为",
        ),
        (
            "candidates: nominating in the province's campaign",
            lixia
                .post(
                    &format!("/admin/campaigns/{PROVINCE_CAMPAIGN}/candidates"),
                    "/api/admin/campaigns/nominate",
                    &[
                        ("slug", PROVINCE_CAMPAIGN),
                        ("name", "李工"),
                        ("unit", "37010201"),
                        ("title", "钳工"),
                        ("story", "事迹"),
                    ],
                )
                .await,
            403,
            "只能管理本单位及下级单位的投票活动",
        ),
        (
            "candidates: approving a sign-up of the province's campaign",
            lixia
                .post(
                    &format!("/admin/campaigns/{PROVINCE_CAMPAIGN}/candidates"),
                    "/api/admin/campaigns/signups/approve",
                    &[("slug", PROVINCE_CAMPAIGN), ("id", "1")],
                )
                .await,
            403,
            "只能管理本单位及下级单位的投票活动",
        ),
        (
            "pictures: the province campaign's cover",
            lixia
                .multipart(
                    &format!("/admin/campaigns/{PROVINCE_CAMPAIGN}/candidates"),
                    "/api/admin/campaigns/cover",
                    photo_form().text("slug", PROVINCE_CAMPAIGN),
                )
                .await,
            403,
            "只能管理本单位及下级单位的投票活动",
        ),
        (
            "pictures: a province candidate's photo",
            lixia
                .multipart(
                    &format!("/admin/campaigns/{PROVINCE_CAMPAIGN}/candidates"),
                    "/api/admin/campaigns/photo",
                    photo_form().text("slug", PROVINCE_CAMPAIGN).text("id", "1"),
                )
                .await,
            403,
            "只能管理本单位及下级单位的投票活动",
        ),
        (
            "votes: voiding the province campaign's votes",
            lixia
                .post(
                    &format!("/admin/campaigns/{PROVINCE_CAMPAIGN}/fraud"),
                    "/api/admin/campaigns/void",
                    &[("slug", PROVINCE_CAMPAIGN), ("how", "candidate"), ("value", "1"), ("reason", "刷票")],
                )
                .await,
            403,
            "只能管理本单位及下级单位的投票活动",
        ),
        (
            "results: the province campaign's expert scores",
            lixia
                .post(
                    &format!("/admin/campaigns/{PROVINCE_CAMPAIGN}/results"),
                    "/api/admin/campaigns/scores",
                    &[("slug", PROVINCE_CAMPAIGN), ("scores[1]", "90")],
                )
                .await,
            403,
            "只能管理本单位及下级单位的投票活动",
        ),
        (
            "units: importing the tree (super admin only)",
            lixia.upload("/admin/units", "/api/admin/units/preview", std::fs::read("../demo/units.csv").unwrap()).await,
            403,
            "只有超级管理员可以导入单位",
        ),
    ];
    let mut wrong = Vec::new();
    for (what, (status, html), expected, message) in &cases {
        if status != expected || !html.contains(message) {
            let shown = html.find("role=\"alert\"").map(|i| &html[i..(i + 300).min(html.len())]).unwrap_or("");
            wrong.push(format!("{what}: {status} (expected {expected} with “{message}”) {shown}"));
        }
    }
    assert!(wrong.is_empty(), "allowed or mis-answered:\n{}", wrong.join("\n"));
    assert_eq!(snapshot(&db).await, before, "nothing changed");
    assert_eq!(
        one(
            &db,
            "SELECT u.code FROM roster_entries r JOIN units u ON u.id = r.unit_id WHERE r.member_no = 'GH00000001'"
        )
        .await,
        "37010304"
    );

    // Whoever reaches both counties may: the super admin approves the request.
    let (status, html) = admin
        .post("/admin/certify", "/api/admin/certify-requests/approve", &[("id", &request), ("member_no", "")])
        .await;
    assert_eq!(status, 200, "{html}");

    // The campaigns list is an official's page: refused signed out and to
    // members, and 历下区 sees its own campaign, not the province's.
    let (status, html) = Person::new(&server).get("/admin/campaigns").await;
    assert_eq!(status, 401);
    assert!(!html.contains("/admin/campaigns/qilu"), "no admin links for visitors");
    let plain = Person::new(&server);
    plain.register("13900000002", "普通会员", "37010201").await;
    assert_eq!(plain.get("/admin/campaigns").await.0, 403);
    let (status, html) = lixia.get("/admin/campaigns").await;
    assert_eq!(status, 200);
    assert!(html.contains("/admin/campaigns/lixia-2026/candidates") && !html.contains(PROVINCE_CAMPAIGN), "{html}");
}
