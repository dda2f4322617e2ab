//! Manual certification (人工审核): a member whose details are not on the
//! roster sends a union-card photo; officials of the member's unit review it.
//! SQLite and PostgreSQL.

use crate::support::{make_admin, png, Person, RunningServer};
use store::testing::TestDb;

/// Valid ID numbers that are not on the demo roster.
const NEW_ID: &str = "370102199001011231";
const OTHER_ID: &str = "370102198512124567";

impl Person {
    async fn request_review(&self, name: &str, id: &str, photo: Option<(Vec<u8>, &str)>) -> (u16, String) {
        let mut form = reqwest::multipart::Form::new().text("name", name.to_owned()).text("id_number", id.to_owned());
        if let Some((bytes, mime)) = photo {
            form = form
                .part("photo", reqwest::multipart::Part::bytes(bytes).file_name("card.jpg").mime_str(mime).unwrap());
        }
        let response = crate::support::form_post(&self.http, &self.base, "/certify", "/api/me/certify-request/send")
            .multipart(form)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await.unwrap();
    n
}

/// The text of the field message under the input with this element id.
fn message(html: &str, input_id: &str) -> String {
    let marker = format!(r#"id="{input_id}-message""#);
    let rest = &html[html.find(&marker).unwrap_or_else(|| panic!("no {marker} in {html}")) + marker.len()..];
    rest[rest.find('>').unwrap() + 1..rest.find('<').unwrap()].trim().to_owned()
}

/// A server with a super admin, an official of 历下区总工会 (370102) and one
/// of 市中区总工会 (370103), and a member of 历下区机械厂工会 (under 370102).
struct Scene {
    server: RunningServer,
    official: Person,
    stranger: Person,
    member: Person,
}

async fn scene(db: &TestDb) -> Scene {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let official = Person::new(&server);
    official.register("13800000002", "李区长", "37010202").await;
    let stranger = Person::new(&server);
    stranger.register("13800000003", "赵区长", "37010301").await;
    for (phone, unit) in [("13800000002", "370102"), ("13800000003", "370103")] {
        let (status, html) = admin.post("/admin", "/api/admin/officials", &[("phone", phone), ("unit", unit)]).await;
        assert_eq!(status, 200, "{html}");
    }
    let member = Person::new(&server);
    member.register("13900000001", "陈新会", "37010201").await;
    Scene { server, official, stranger, member }
}

fn request_id(queue: &str) -> String {
    let start = queue.find(r#"id="request-"#).expect("a request in the queue") + r#"id="request-"#.len();
    queue[start..].chars().take_while(char::is_ascii_digit).collect()
}

on_both_engines_with_db!(
    @more a_rejected_request_can_be_sent_again_and_an_approval_certifies_the_member,
    a_photo_that_is_missing_not_an_image_or_too_large_is_refused_and_nothing_is_stored,
    an_id_number_certified_by_another_account_cannot_be_requested,
);

async fn a_rejected_request_can_be_sent_again_and_an_approval_certifies_the_member(db: TestDb) {
    let Scene { server: _server, official, stranger, member } = scene(&db).await;
    let (status, html) = member.request_review("陈新会", NEW_ID, Some((png(), "image/png"))).await;
    assert_eq!(status, 303, "{html}");
    let (_, page) = member.get("/certify").await;
    assert!(page.contains("正在等待所在工会审核"), "{page}");
    let (status, html) = member.request_review("陈新会", NEW_ID, Some((png(), "image/png"))).await;
    assert_eq!(status, 409);
    assert!(html.contains("您已有一份认证申请正在审核"));

    // An official of another district sees nothing and can decide nothing.
    let (status, queue) = stranger.get("/admin/certify").await;
    assert_eq!(status, 200);
    assert!(queue.contains("没有待审核的申请"), "{queue}");
    let (_, queue) = official.get("/admin/certify").await;
    let id = request_id(&queue);
    assert!(queue.contains("3701**********1231") && !queue.contains(NEW_ID), "masked only: {queue}");
    assert!(queue.contains("名册中没有此身份证号"));
    assert_eq!(stranger.get(&format!("/admin/certify/{id}/photo")).await.0, 404);
    let (status, html) =
        stranger.post("/admin/certify", "/api/admin/certify-requests/approve", &[("id", &id), ("member_no", "")]).await;
    assert_eq!(status, 404, "{html}");

    // The photo comes back as sent, for the official only, never cached.
    let photo = official.http.get(official.base.clone() + &format!("/admin/certify/{id}/photo")).send().await.unwrap();
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert_eq!(photo.headers()["cache-control"], "private, no-store");
    assert_eq!(photo.bytes().await.unwrap().to_vec(), png());
    assert_eq!(member.get(&format!("/admin/certify/{id}/photo")).await.0, 403);

    // Seeing the whole ID number takes a POST and leaves an audit entry.
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = '查看完整身份证号'";
    assert_eq!(count(&db, audited).await, 0);
    let (status, html) = official.post("/admin/certify", "/api/admin/certify-requests/reveal-id", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert!(html.contains(NEW_ID));
    assert_eq!(count(&db, audited).await, 1);

    // A rejection needs a reason, which the member then reads.
    let (status, html) =
        official.post("/admin/certify", "/api/admin/certify-requests/reject", &[("id", &id), ("reason", " ")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写驳回原因"), "{html}");
    let (status, _) = official
        .post(
            "/admin/certify",
            "/api/admin/certify-requests/reject",
            &[("id", &id), ("reason", "照片看不清，请重新拍摄")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = member.get("/certify").await;
    assert!(page.contains("您的人工审核申请未通过：照片看不清，请重新拍摄"), "{page}");
    let (status, _) =
        official.post("/admin/certify", "/api/admin/certify-requests/approve", &[("id", &id), ("member_no", "")]).await;
    assert_eq!(status, 404, "a decided request stays decided");

    // Sent again, and approved: certified, on the roster, card available.
    let (status, _) = member.request_review("陈新会", NEW_ID, Some((png(), "image/png"))).await;
    assert_eq!(status, 303);
    let (_, queue) = official.get("/admin/certify").await;
    let id = request_id(&queue);
    let (status, html) = official
        .post("/admin/certify", "/api/admin/certify-requests/approve", &[("id", &id), ("member_no", "bad no!")])
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("会员编号只能由字母"), "{html}");
    let (status, html) = official
        .post("/admin/certify", "/api/admin/certify-requests/approve", &[("id", &id), ("member_no", "GH-0815")])
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已通过认证申请，会员编号 GH-0815"));
    let (_, me) = member.get("/me").await;
    assert!(me.contains("已认证 · 会员编号 GH-0815"), "{me}");
    assert_eq!(member.get("/card").await.0, 200);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM roster_entries WHERE member_no = 'GH-0815'").await, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('通过人工认证', '驳回人工认证')").await, 2);

    // Neither the ID number nor the photo is stored in the clear.
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name || id_masked, id_sealed || id_index, target || detail FROM certify_requests, audit_log",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(rows.iter().all(|(a, b, c)| !a.contains(NEW_ID) && !b.contains(NEW_ID) && !c.contains(NEW_ID)));
    let photos: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT photo_sealed FROM certify_requests").fetch_all(&mut conn).await.unwrap();
    assert_eq!(photos.len(), 2);
    assert!(photos.iter().all(|(p,)| !p.windows(4).any(|w| w == b"IHDR")));
}

async fn a_photo_that_is_missing_not_an_image_or_too_large_is_refused_and_nothing_is_stored(db: TestDb) {
    let Scene { server: _server, member, .. } = scene(&db).await;
    let (status, html) = member.request_review("陈新会", NEW_ID, None).await;
    assert_eq!((status, message(&html, "f-photo").as_str()), (400, "请选择工会会员证（或工作证）的照片"));
    // A text file claiming to be a JPEG is judged by its content.
    let (status, html) =
        member.request_review("陈新会", NEW_ID, Some((b"not a photo at all".to_vec(), "image/jpeg"))).await;
    assert_eq!((status, message(&html, "f-photo").as_str()), (415, "请上传 JPG、PNG 或 WebP 格式的照片"));
    let mut huge = png();
    huge.resize(8 * 1024 * 1024 + 1, 0);
    let (status, html) = member.request_review("陈新会", NEW_ID, Some((huge, "image/png"))).await;
    assert_eq!((status, message(&html, "f-photo").as_str()), (413, "照片不能超过 8 MB，请重新拍摄或选择较小的照片"));
    let (status, html) = member.request_review("陈新会", "370102199001011232", Some((png(), "image/png"))).await;
    assert_eq!((status, message(&html, "f-m-id_number").as_str()), (400, "身份证号校验位不正确，请逐位核对"));
    // What was typed stays in the form.
    assert!(html.contains(r#"value="陈新会""#));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM certify_requests").await, 0);
}

async fn an_id_number_certified_by_another_account_cannot_be_requested(db: TestDb) {
    let Scene { server, official, member, .. } = scene(&db).await;
    member.request_review("陈新会", OTHER_ID, Some((png(), "image/png"))).await;
    let (_, queue) = official.get("/admin/certify").await;
    official
        .post(
            "/admin/certify",
            "/api/admin/certify-requests/approve",
            &[("id", &request_id(&queue)), ("member_no", "")],
        )
        .await;
    let (_, me) = member.get("/me").await;
    assert!(me.contains("已认证 · 会员编号 RG"), "{me}");

    let impostor = Person::new(&server);
    impostor.register("13900000002", "陈新会", "37010201").await;
    let (status, html) = impostor.request_review("陈新会", OTHER_ID, Some((png(), "image/png"))).await;
    assert_eq!(status, 409);
    assert!(html.contains("该身份证号已被其他账号认证"), "{html}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM certify_requests").await, 1);
}
