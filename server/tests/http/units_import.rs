//! The super admin's units import (/admin/units): every bad file is refused
//! with its problems listed and nothing changed; a good one previews, then
//! imports on confirmation, audited. SQLite and PostgreSQL.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

const HEADER: &str = "code,parent_code,name,level\n";

/// The demo tree (71 units) plus `extra` rows.
fn demo_plus(extra: &str) -> Vec<u8> {
    let mut file = std::fs::read("../demo/units.csv").unwrap();
    file.extend_from_slice(extra.as_bytes());
    file
}

async fn upload(person: &Person, file: Vec<u8>) -> (u16, String) {
    person.upload("/admin/units", "/api/admin/units/preview", file).await
}

async fn unit_count(person: &Person) -> u64 {
    let body: serde_json::Value =
        person.http.get(format!("{}/api/units", person.base)).send().await.unwrap().json().await.unwrap();
    let c = &body["counts"];
    1 + c["city"].as_u64().unwrap() + c["county"].as_u64().unwrap() + c["grassroots"].as_u64().unwrap()
}

/// What the hidden confirmation field carries (HTML-escaped text).
fn hidden_csv(html: &str) -> String {
    let start = html.find(r#"<textarea name="csv""#).expect("confirmation form");
    let rest = &html[html[start..].find('>').unwrap() + start + 1..];
    let text = &rest[..rest.find("</textarea>").unwrap()];
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'")
}

async fn super_admin(server: &RunningServer, db: &TestDb) -> Person {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    admin
}

on_both_engines_with_db!(
    a_good_file_is_previewed_then_imported_on_confirmation_and_audited,
    every_bad_file_is_refused_with_its_problems_and_changes_nothing,
    only_a_super_admin_may_import_units,
);

async fn a_good_file_is_previewed_then_imported_on_confirmation_and_audited(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin(&server, &db).await;
    let mut file = b"\xEF\xBB\xBF".to_vec(); // Excel's byte-order mark is fine
    file.extend(demo_plus("370199,370100,济南市新区总工会,county\n37019901,370199,新区物流园工会,grassroots\n"));

    let (status, preview) = upload(&admin, file).await;

    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("检查通过：共 73 个单位，将新增 2 个、更新 0 个。请确认导入。"), "{preview}");
    assert_eq!(unit_count(&admin).await, 71, "nothing saved before confirmation");

    let csv = hidden_csv(&preview);
    let (status, done) = admin.post("/admin/units", "/api/admin/units/import", &[("csv", &csv)]).await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("导入完成：新增 2 个，更新 0 个单位。"), "{done}");
    assert_eq!(unit_count(&admin).await, 73);
    let (_, admin_page) = admin.get("/admin").await;
    assert!(admin_page.contains("导入单位：新增 2 个，更新 0 个"), "audited");
}

async fn every_bad_file_is_refused_with_its_problems_and_changes_nothing(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin(&server, &db).await;
    let gbk_name = [0xC9u8, 0xBD, 0xB6, 0xAB, 0xCA, 0xA1, 0xD7, 0xDC, 0xB9, 0xA4, 0xBB, 0xE1]; // 山东省总工会
    let mut gbk = format!("{HEADER}37,,").into_bytes();
    gbk.extend_from_slice(&gbk_name);
    gbk.extend_from_slice(b",province\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("unknown parent", demo_plus("37019901,999999,某工会,grassroots\n"), "第 73 行：上级单位 999999 不存在"),
        ("duplicate code", demo_plus("370102,370100,重复区总工会,county\n"), "第 73 行：单位代码 370102 与第 4 行重复"),
        (
            "cycle",
            demo_plus("A1,B1,甲工会,grassroots\nB1,A1,乙工会,grassroots\n"),
            "第 73 行：单位 A1 的上级关系形成了循环",
        ),
        ("GBK", gbk, "文件不是 UTF-8 编码"),
        ("missing columns", "code,name\n37,山东省总工会\n".as_bytes().to_vec(), "文件缺少这些列：parent_code、level"),
        (
            "another root",
            format!("{HEADER}38,,河北省总工会,province\n").into_bytes(),
            "与现有的最上级单位 37（山东省总工会）不同",
        ),
    ];
    for (what, file, message) in cases {
        let (status, html) = upload(&admin, file).await;
        assert_eq!(status, 400, "{what}");
        assert!(html.contains("文件有以下问题，未做任何修改"), "{what}");
        assert!(html.contains(message), "{what}: expected {message} in {html}");
        assert!(!html.contains("确认导入"), "{what}: no confirmation offered");
    }
    assert_eq!(unit_count(&admin).await, 71, "nothing changed");
}

async fn only_a_super_admin_may_import_units(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let member = Person::new(&server);
    member.register("13800000002", "李会员", "37010202").await;
    let (status, html) = upload(&member, demo_plus("")).await;
    assert_eq!(status, 403);
    assert!(html.contains("您没有管理权限"));
    let (status, _) = upload(&Person::new(&server), demo_plus("")).await;
    assert_eq!(status, 401);
    let (status, html) = member.get("/admin/units").await;
    assert_eq!(status, 403, "the page itself says no");
    assert!(html.contains("您没有管理权限"));
}
