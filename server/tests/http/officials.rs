//! Officials act only inside their part of the tree, and what they do is in
//! the audit log. Real binary, SQLite and PostgreSQL.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(a_county_official_sees_their_county_and_not_the_neighbouring_one);

async fn a_county_official_sees_their_county_and_not_the_neighbouring_one(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await; // 历下区机械厂工会
    Person::new(&server).register("13800000002", "李历下", "37010202").await; // 历下区供电公司工会
    Person::new(&server).register("13800000003", "张市中", "37010301").await; // 市中区机械厂工会
    let official = Person::new(&server);
    official.register("13800000004", "赵区长", "37010203").await; // 历下区第一中学工会
    make_admin(db.url(), "13800000001");

    // Nobody holds office yet but the super admin.
    assert_eq!(official.get("/admin").await.0, 403);
    assert!(official.get("/admin").await.1.contains("您没有管理权限"));
    assert_eq!(Person::new(&server).get("/admin").await.0, 401, "signed out: sign in first");

    let (status, html) =
        admin.post("/admin", "/api/admin/officials", &[("phone", "13800000004"), ("unit", "370102")]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已任命 赵区长 为单位 370102 的管理员"));

    let (status, html) = official.get("/admin").await;
    assert_eq!(status, 200);
    assert!(html.contains("历下区总工会"), "the office is named");
    for name in ["王管理", "李历下", "赵区长"] {
        assert!(html.contains(name), "{name} is in 历下区");
    }
    assert!(!html.contains("张市中"), "市中区 is the neighbouring county");
    assert!(html.contains("会员（共 3 人）"));
    let (_, search) = official.get("/admin?q=%E6%9D%8E").await; // 李
    assert!(search.contains("李历下") && !search.contains("王管理"));

    // Appointing outside the subtree is refused, and nothing is recorded.
    let (status, html) =
        official.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "370103")]).await;
    assert_eq!(status, 403);
    assert!(html.contains("只能任命本单位及下级单位的管理员"));
    let (_, html) =
        official.post("/admin", "/api/admin/officials", &[("phone", "13800000009"), ("unit", "37010202")]).await;
    assert!(html.contains("该手机号尚未注册会员"));

    // The super admin sees everyone and the audit log of the appointment.
    let (_, html) = admin.get("/admin").await;
    assert!(html.contains("张市中") && html.contains("会员（共 4 人）"));
    assert!(html.contains("任命管理员") && html.contains("赵区长（138****0004）"), "{html}");
}

#[tokio::test]
async fn every_unit_has_an_invite_link_and_a_qr_code_that_opens_registration_with_it_chosen() {
    let db = TestDb::sqlite().await;
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");

    let (status, html) = admin.get("/admin?invite=37010202").await;
    assert_eq!(status, 200);
    let link = format!("{}/register?unit=37010202", server.base);
    assert!(html.contains(&link), "the absolute invite link is shown");
    assert!(html.contains(r#"src="/u/37010202/qr.svg""#));

    let qr = reqwest::get(server.url("/u/37010202/qr.svg")).await.unwrap();
    assert_eq!(qr.status().as_u16(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    let svg = qr.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("<path"), "an SVG with modules drawn");
    let other = reqwest::get(server.url("/u/37010203/qr.svg")).await.unwrap().text().await.unwrap();
    assert_ne!(svg, other, "each unit's code differs");
    assert_eq!(reqwest::get(server.url("/u/99999999/qr.svg")).await.unwrap().status().as_u16(), 404);

    // The link itself opens registration with the unit chosen.
    let (_, register) = Person::new(&server).get("/register?unit=37010202").await;
    assert!(register.contains(r#"<option value="37010202" selected"#), "{register}");
}
