//! 微心愿 over HTTP without JavaScript: a certified member posts a wish, an
//! official approves it, it shows without the person's name, a member
//! claims it (a second donor is refused), the official confirms it with a
//! photo; who may do what; bad input.

use crate::support::{make_admin, png, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    a_wish_is_posted_approved_claimed_once_and_confirmed_with_a_photo,
    who_may_see_review_and_claim_a_wish_is_a_matrix,
);

const REASON: &str = "孩子的书包已经破了，开学前想换一个新的。";

async fn people(server: &RunningServer, db: &TestDb, members: &[(&str, &str, &str)]) -> (Person, Vec<Person>) {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let mut out = Vec::new();
    for (phone, name, unit) in members {
        let person = Person::new(server);
        person.register(phone, name, unit).await;
        out.push(person);
    }
    // Certified as the roster would (certification is tested elsewhere).
    db.execute_raw(
        "INSERT INTO roster_entries (unit_id, member_no, name, gender, birth_date, id_sealed, id_index, created_at, updated_at) \
         SELECT unit_id, 'GH' || id, name, 'male', '1980-01-01', 'x', 'i' || id, 1, 1 FROM members",
    )
    .await
    .unwrap();
    db.execute_raw(
        "UPDATE members SET certified_at = 1, roster_entry_id = (SELECT r.id FROM roster_entries r WHERE r.id_index = 'i' || members.id)",
    )
    .await
    .unwrap();
    (admin, out)
}

async fn a_wish_is_posted_approved_claimed_once_and_confirmed_with_a_photo(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, members) = people(
        &server,
        &db,
        &[
            ("13600000001", "困难甲", "37010201"),
            ("13600000002", "爱心乙", "37131202"),
            ("13600000003", "爱心丙", "37010201"),
        ],
    )
    .await;
    let (needy, donor, late) = (&members[0], &members[1], &members[2]);

    let (status, html) = needy
        .post("/services/wishes", "/api/wishes/post", &[("title", "新书包"), ("reason", REASON), ("value", "5000")])
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("价值请填写 1 到 500 元的整数"));
    let (status, location) = needy
        .post_for_location(
            "/services/wishes",
            "/api/wishes/post",
            &[("title", "新书包"), ("reason", REASON), ("value", "120")],
        )
        .await;
    assert_eq!(status, 303);
    let id = location.rsplit('/').next().unwrap().to_owned();
    let (status, _) = donor.get(&location).await;
    assert_eq!(status, 404, "not public before review");
    let (_, page) = needy.get(&location).await;
    assert!(page.contains("待审核"), "its author follows it");

    let (status, html) = admin.post("/admin/wishes", "/api/admin/wishes/reject", &[("id", &id), ("note", "")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("退回时请写明原因"));
    let (status, _) = admin.post("/admin/wishes", "/api/admin/wishes/approve", &[("id", &id), ("note", "")]).await;
    assert_eq!(status, 200);

    let (_, wall) = Person::new(&server).get("/services/wishes").await;
    assert!(wall.contains("新书包") && !wall.contains("困难甲"), "public, without the name");
    let (status, html) = needy.post(&location, "/api/wishes/claim", &[("id", &id)]).await;
    assert_eq!(status, 409, "not one's own");
    assert!(html.contains("不能认领自己的心愿"));
    let (status, html) = donor.post(&location, "/api/wishes/claim", &[("id", &id)]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("感谢您认领"));
    let (status, html) = late.post(&location, "/api/wishes/claim", &[("id", &id)]).await;
    assert_eq!(status, 409);
    assert!(html.contains("已被其他爱心人士认领"));

    let (status, html) = admin
        .upload_parts("/admin/wishes", "/api/admin/wishes/confirm", &[("id", &id)], vec![("photo", "done.png", png())])
        .await;
    assert_eq!(status, 200, "{html}");
    let (_, page) = late.get(&location).await;
    assert!(
        page.contains("已实现") && page.contains("/media/wish/") && page.contains("爱*"),
        "progress, photo, donor masked"
    );
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("通过微心愿") && audit.contains("确认微心愿已实现"));
}

async fn who_may_see_review_and_claim_a_wish_is_a_matrix(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, members) =
        people(&server, &db, &[("13600000001", "困难甲", "37010201"), ("13600000002", "会员乙", "37131202")]).await;
    let (needy, other) = (&members[0], &members[1]);
    let linyi = Person::new(&server);
    linyi.register("13700000002", "周临沂", "371300").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13700000002"), ("unit", "371300")]).await;

    // An official posts for a member of their reach only.
    let form =
        |phone: &'static str| vec![("phone", phone), ("title", "过冬棉衣"), ("reason", REASON), ("value", "200")];
    let (status, _) = linyi.post("/admin/wishes", "/api/admin/wishes/post", &form("13600000001")).await;
    assert_eq!(status, 403, "济南's member is outside 临沂's reach");
    let (status, _) = other.post("/admin/wishes", "/api/admin/wishes/post", &form("13600000001")).await;
    assert_eq!(status, 403, "a member is no official");
    let (status, html) = admin.post("/admin/wishes", "/api/admin/wishes/post", &form("13600000001")).await;
    assert_eq!(status, 200, "{html}");

    // Review and outside donors: the wish's unit's reach only.
    let (_, page) = admin.get("/admin/wishes").await;
    let at = page.find("id=\"wish-").unwrap() + "id=\"wish-".len();
    let id = page[at..].split('"').next().unwrap().to_owned();
    assert_eq!(linyi.post("/admin/wishes", "/api/admin/wishes/approve", &[("id", &id), ("note", "")]).await.0, 409);
    let (_, linyi_page) = linyi.get("/admin/wishes").await;
    assert!(!linyi_page.contains("过冬棉衣"), "not listed outside the reach");
    assert_eq!(admin.post("/admin/wishes", "/api/admin/wishes/approve", &[("id", &id), ("note", "")]).await.0, 200);
    assert_eq!(
        linyi.post("/admin/wishes", "/api/admin/wishes/claim", &[("id", &id), ("donor", "临沂爱心企业")]).await.0,
        404
    );
    assert_eq!(Person::new(&server).post("/services/wishes", "/api/wishes/claim", &[("id", &id)]).await.0, 401);
    let (status, _) =
        admin.post("/admin/wishes", "/api/admin/wishes/claim", &[("id", &id), ("donor", "济南爱心企业")]).await;
    assert_eq!(status, 200);
    assert_eq!(other.post("/services/wishes", "/api/wishes/claim", &[("id", &id)]).await.0, 409, "one donor");
    assert_eq!(
        linyi
            .upload_parts("/admin/wishes", "/api/admin/wishes/confirm", &[("id", &id)], vec![("photo", "d.png", png())])
            .await
            .0,
        409,
        "confirmed by its unit's officials only"
    );
    let (_, mine) = needy.get("/services/wishes").await;
    assert!(mine.contains("我的心愿") && mine.contains("过冬棉衣"), "posted on their behalf, listed as theirs");
}
