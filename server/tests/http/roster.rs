//! Officials import the member roster: problems listed per row, good rows
//! imported atomically on confirmation, ID numbers and phones never stored in
//! the clear. SQLite and PostgreSQL.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

const FIXTURE: &str = include_str!("../../../demo/roster.csv");

pub(crate) async fn upload(person: &Person, file: Vec<u8>) -> (u16, String) {
    person.upload("/admin/roster", "/api/admin/roster/preview", file).await
}

pub(crate) fn token_in(html: &str) -> String {
    let start = html.find(r#"name="token" value=""#).expect("a confirmation form") + r#"name="token" value=""#.len();
    html[start..start + 32].to_owned()
}

async fn confirm(person: &Person, token: &str) -> (u16, String) {
    person.post("/admin/roster", "/api/admin/roster/confirm", &[("token", token)]).await
}

/// A server whose roster holds the fixture, and a registered (not yet
/// certified) member 夏国子 — who is on that roster.
async fn roster_and_member(db: &TestDb) -> (RunningServer, Person) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin(&server, db).await;
    let (_, preview) = upload(&admin, FIXTURE.as_bytes().to_vec()).await;
    confirm(&admin, &token_in(&preview)).await;
    let member = Person::new(&server);
    member.register("13900000001", "夏国子", "37010201").await;
    (server, member)
}

pub(crate) async fn super_admin(server: &RunningServer, db: &TestDb) -> Person {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    admin
}

/// Every text the database holds about the roster, imports and the audit log.
async fn stored_text(db: &TestDb) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let mut texts = Vec::new();
    for sql in [
        "SELECT member_no || '|' || name || '|' || birth_date || '|' || id_sealed || '|' || id_index || '|' || \
         COALESCE(phone_sealed, '') || '|' || COALESCE(phone_index, '') FROM roster_entries",
        "SELECT content FROM pending_imports",
        "SELECT target || '|' || detail FROM audit_log",
    ] {
        let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap();
        texts.extend(rows.into_iter().map(|(t,)| t));
    }
    texts
}

on_both_engines_with_db!(
    the_fixture_roster_imports_on_confirmation_and_is_never_stored_in_the_clear,
    problem_rows_are_listed_and_only_good_rows_are_imported,
);

async fn the_fixture_roster_imports_on_confirmation_and_is_never_stored_in_the_clear(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin(&server, &db).await;

    let (status, preview) = upload(&admin, FIXTURE.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("检查完成：可导入 200 人。请确认导入。"), "{preview}");
    // While waiting for confirmation the file is kept sealed.
    let secrets: Vec<&str> = FIXTURE.lines().skip(1).flat_map(|l| l.split(',').skip(5)).collect();
    assert_eq!(secrets.len(), 400, "200 ID numbers and 200 phones");
    let leaks = |texts: &[String]| secrets.iter().filter(|s| texts.iter().any(|t| t.contains(*s))).count();
    assert_eq!(leaks(&stored_text(&db).await), 0);

    let token = token_in(&preview);
    let (status, done) = confirm(&admin, &token).await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("名册导入完成：新增 200 人，更新 0 人。"), "{done}");
    let stored = stored_text(&db).await;
    assert_eq!(stored.iter().filter(|t| t.contains("|男|") || t.starts_with("GH")).count(), 200);
    assert_eq!(leaks(&stored), 0, "no ID number or phone in the clear, anywhere");

    let (_, replay) = confirm(&admin, &token).await;
    assert!(replay.contains("这份文件已导入或已过期，请重新上传"), "a token works once");

    let renamed = FIXTURE.replacen("夏国子", "夏国强", 1);
    let (_, preview) = upload(&admin, renamed.into_bytes()).await;
    let (_, again) = confirm(&admin, &token_in(&preview)).await;
    assert!(again.contains("名册导入完成：新增 0 人，更新 200 人。"), "re-importing updates: {again}");
}

async fn problem_rows_are_listed_and_only_good_rows_are_imported(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin(&server, &db).await;
    let official = Person::new(&server);
    official.register("13800000004", "赵区长", "37010203").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000004"), ("unit", "370102")]).await; // 历下区

    let header = "\u{feff}unit_code,member_no,name,gender,birth_date,id_number,phone,备注\n";
    let file = format!(
        "{header}\
         37010201,GH1,王一,男,1965-08-29,370103196508295838,15100780963,ok\n\
         37010201,GH2,王二,男,,370103196508295839,,bad check digit\n\
         37010301,GH3,王三,男,,370902199412210298,,市中区 is outside 历下区\n\
         99999999,GH4,王四,女,,37131219690303234X,,unknown unit\n\
         37010202,GH5,王五,男,,370103196508295838,,duplicate ID\n"
    );
    let (status, preview) = upload(&official, file.into_bytes()).await;

    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("检查完成：可导入 1 人，4 处问题所在的行不会导入。"), "{preview}");
    for problem in [
        "第 3 行：身份证号校验位不正确，请逐位核对",
        "第 4 行：单位 37010301 不在您的管理范围内",
        "第 5 行：单位代码 99999999 不存在",
        "第 6 行：身份证号与第 2 行重复",
    ] {
        assert!(preview.contains(problem), "{problem}");
    }
    let (_, done) = confirm(&official, &token_in(&preview)).await;
    assert!(done.contains("名册导入完成：新增 1 人，更新 0 人。"), "{done}");

    let mut gbk = b"unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH1,".to_vec();
    gbk.extend_from_slice(&[0xCD, 0xF5, 0xD2, 0xBB]); // 王一 in GBK
    gbk.extend_from_slice(b",\xC4\xD0,,370103196508295838,\n"); // 男
    let (status, html) = upload(&official, gbk).await;
    assert_eq!(status, 400);
    assert!(html.contains("文件不是 UTF-8 编码"), "{}", &html[html.find("<main").unwrap_or(0)..]);
    let (status, html) = upload(&official, "unit_code,name\n37010201,王一\n".as_bytes().to_vec()).await;
    assert_eq!(status, 400);
    assert!(html.contains("文件缺少这些列：member_no、gender、birth_date、id_number、phone"), "{html}");
    let (status, html) = upload(&Person::new(&server), FIXTURE.as_bytes().to_vec()).await;
    assert_eq!(status, 401, "{html}");
}

on_both_engines_with_db!(
    @more a_member_certifies_with_name_and_id_number_and_each_mistake_is_explained,
    a_certified_member_gets_an_e_card_whose_qr_link_anyone_can_check,
);

async fn a_member_certifies_with_name_and_id_number_and_each_mistake_is_explained(db: TestDb) {
    let (server, member) = roster_and_member(&db).await;
    let certify = |name: &'static str, id: &'static str| {
        let member = &member;
        async move { member.post("/certify", "/api/me/certify", &[("name", name), ("id_number", id)]).await }
    };
    let message = |html: &str, field: &str| {
        let marker = format!(r#"id="f-{field}-message""#);
        let rest = &html[html.find(&marker).unwrap() + marker.len()..];
        rest[rest.find('>').unwrap() + 1..rest.find('<').unwrap()].trim().to_owned()
    };

    let (status, html) = certify("夏国子", "370103196508295839").await;
    assert_eq!((status, message(&html, "id_number").as_str()), (400, "身份证号校验位不正确，请逐位核对"));
    let (status, html) = certify("夏国子", "11010519491231002X").await;
    assert_eq!(status, 400);
    assert!(message(&html, "id_number").starts_with("会员名册中没有这个身份证号"));
    let (status, html) = certify("夏国强", "370103196508295838").await;
    assert_eq!((status, message(&html, "name").as_str()), (400, "姓名与会员名册不一致，请填写名册上的姓名"));
    assert!(html.contains(r#"value="370103196508295838""#), "what was typed is kept for correction");

    let (status, _) = certify("夏国子", "370103196508295838 ").await;
    assert_eq!(status, 303);
    let (_, me) = member.get("/me").await;
    assert!(me.contains("已认证 · 会员编号 GH00000001"), "{me}");
    assert!(me.contains("市中区人民医院工会"), "moved to the roster's unit");
    assert!(!me.contains("370103196508295838"), "the ID number is never shown");

    let other = Person::new(&server);
    other.register("13900000002", "夏国子", "37010201").await;
    let (status, html) =
        other.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    assert_eq!(status, 409);
    assert!(message(&html, "id_number").starts_with("该身份证号已被其他账号认证"));
    assert_eq!(
        Person::new(&server)
            .post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")])
            .await
            .0,
        401
    );
}

async fn a_certified_member_gets_an_e_card_whose_qr_link_anyone_can_check(db: TestDb) {
    let (server, member) = roster_and_member(&db).await;

    let (status, html) = member.get("/card").await;
    assert_eq!(status, 403);
    assert!(html.contains("完成实名认证后即可领取惠员卡"));
    member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;

    let (status, card) = member.get("/card").await;
    assert_eq!(status, 200);
    assert!(card.contains("夏国子") && card.contains("GH00000001") && card.contains("市中区人民医院工会"));
    let qr = member.http.get(format!("{}/card/qr.svg", member.base)).send().await.unwrap();
    assert_eq!((qr.status().as_u16(), qr.headers()["cache-control"].to_str().unwrap()), (200, "no-store"));
    assert!(qr.text().await.unwrap().contains("<svg"));
    assert_eq!(Person::new(&server).get("/card/qr.svg").await.0, 401);

    // What the QR code links to, signed with the server's key.
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM members WHERE phone = '13900000001'").fetch_one(&mut conn).await.unwrap();
    let key = store::protect::DataKey::from_hex(crate::support::TEST_DATA_KEY).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let token = app::card::service::card_token(&key, store::MemberId(id), now);
    let scanner = Person::new(&server);

    let (status, check) = scanner.get(&format!("/card/check/{token}")).await;
    assert_eq!(status, 200);
    assert!(check.contains("有效：已实名认证的工会会员"), "{check}");
    assert!(check.contains("夏**") && !check.contains("夏国子"), "the name is masked for the scanner");

    let stale = app::card::service::card_token(&key, store::MemberId(id), now - 31 * 60);
    assert!(scanner.get(&format!("/card/check/{stale}")).await.1.contains("二维码已过期"));
    let forged = format!("{}.{now}.{}", id + 1, token.rsplit('.').next().unwrap());
    let (status, html) = scanner.get(&format!("/card/check/{forged}")).await;
    assert_eq!(status, 400);
    assert!(html.contains("这不是有效的惠员卡二维码"));
}

on_both_engines_with_db!(@limits ten_failed_certifications_a_day_stop_probing_the_roster);

async fn ten_failed_certifications_a_day_stop_probing_the_roster(db: TestDb) {
    let (_server, member) = roster_and_member(&db).await;
    // A malformed ID number costs nothing.
    for _ in 0..3 {
        assert_eq!(
            member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "123")]).await.0,
            400
        );
    }
    // Valid numbers not on the roster do.
    for _ in 0..10 {
        let (status, _) = member
            .post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "11010519491231002X")])
            .await;
        assert_eq!(status, 400);
    }
    let (status, html) =
        member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    assert_eq!(status, 429, "even the right answer waits until tomorrow");
    assert!(html.contains("今天的认证尝试已达 10 次"));
}

/// A valid roster of `rows` people in 历下区机械厂工会 (no phones).
pub(crate) fn generated_roster(rows: usize) -> String {
    let (surnames, given) = ("王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平");
    let mut csv = String::from("unit_code,member_no,name,gender,birth_date,id_number,phone\n");
    for i in 0..rows {
        let (month, day, seq) = (1 + i % 12, 1 + (i / 12) % 28, 1 + i / 336);
        let first17 = format!("3701021980{month:02}{day:02}{seq:03}");
        let check = domain::id_number::check_character(first17.as_bytes()) as char;
        let gender = if seq % 2 == 1 { "男" } else { "女" };
        let name: String = [
            surnames.chars().nth(i % 10).unwrap(),
            given.chars().nth((i / 10) % 20).unwrap(),
            given.chars().nth((i / 200) % 20).unwrap(),
        ]
        .into_iter()
        .collect();
        csv.push_str(&format!("37010201,GHX{i:06},{name},{gender},1980-{month:02}-{day:02},{first17}{check},\n"));
    }
    csv
}

on_both_engines_with_db!(@in sqlite_large, postgres_large; a_large_roster_imports_in_the_background_and_its_page_shows_progress);

async fn a_large_roster_imports_in_the_background_and_its_page_shows_progress(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = super_admin(&server, &db).await;
    let (status, preview) = upload(&admin, generated_roster(3000).into_bytes()).await;
    assert_eq!(status, 200);
    assert!(preview.contains("检查完成：可导入 3000 人。请确认导入。"), "{preview}");
    let response = crate::support::form_post(&admin.http, &server.base, "/admin/roster", "/api/admin/roster/confirm")
        .form(&[("token", &token_in(&preview))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let job_page = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(job_page.starts_with("/admin/roster?job="), "{job_page}");
    // The page refreshes itself until the import ends, then says how it went.
    let started = std::time::Instant::now();
    let finished = loop {
        let (status, html) = admin.get(&job_page).await;
        assert_eq!(status, 200);
        if !html.contains("正在导入：已处理") {
            break html;
        }
        assert!(html.contains(r#"http-equiv="refresh""#) && html.contains("<progress"), "{html}");
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "still importing after a minute");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(finished.contains("名册导入完成：新增 3000 人，更新 0 人。"), "{finished}");
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster_entries").fetch_one(&mut conn).await.unwrap();
    assert_eq!(count, 3000);
    // Reading the page changes nothing (a GET): a later visit shows the same outcome.
    assert!(admin.get(&job_page).await.1.contains("名册导入完成：新增 3000 人，更新 0 人。"));
}
