//! 网络展 over HTTP without JavaScript: a works contest is a campaign of the
//! voting feature whose candidates are members' entries — submitted with a
//! picture during sign-up, approved, shown in a two-column gallery with
//! thumbnails, voted for with the campaign's rules, awarded and published.

use crate::support::{make_admin, png, CampaignForm, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(an_entry_is_submitted_with_its_picture_approved_voted_for_and_awarded,);

const PHOTO: &[u8] = include_bytes!("../../../demo/photos/library-320.jpg");
const SLUG: &str = "sheying-lixia";

/// Moves the contest's schedule so that it is now in `phase`'s window.
async fn move_to(db: &TestDb, phase: &str) {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (signup, review, voting, publicity, closes) = match phase {
        "voting" => (now - 300, now - 200, now - 100, now + 86_400, now + 2 * 86_400),
        _ => (now - 400, now - 300, now - 200, now - 100, now + 86_400),
    };
    db.execute_raw(&format!(
        "UPDATE campaigns SET signup_starts = {signup}, review_starts = {review}, voting_starts = {voting}, \
         publicity_starts = {publicity}, closes = {closes} WHERE slug = '{SLUG}'"
    ))
    .await
    .unwrap();
    // Each process keeps a campaign for up to 5 s (VOTING_DATA_MAX_AGE):
    // the move shows once that has passed, as a schedule edit would.
    tokio::time::sleep(std::time::Duration::from_millis(5_200)).await;
}

async fn award(who: &Person, id: &str, what: &str) -> (u16, String) {
    let page = format!("/admin/campaigns/{SLUG}/candidates");
    who.post(&page, "/api/admin/campaigns/award", &[("slug", SLUG), ("id", id), ("award", what)]).await
}

async fn an_entry_is_submitted_with_its_picture_approved_voted_for_and_awarded(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let official = Person::new(&server);
    official.register("13800000002", "李区长", "37010202").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000002"), ("unit", "370102")]).await;
    let linyi = Person::new(&server);
    linyi.register("13700000002", "周临沂", "371300").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13700000002"), ("unit", "371300")]).await;
    let author = Person::new(&server);
    author.register("13600000001", "摄影甲", "37010201").await;
    let voter = Person::new(&server);
    voter.register("13600000002", "观众乙", "37010203").await;
    // Certified as the roster would (certification is tested elsewhere).
    db.execute_raw(
        "INSERT INTO roster_entries (unit_id, member_no, name, gender, birth_date, id_sealed, id_index, created_at, updated_at) \
         SELECT unit_id, 'GH' || id, name, 'male', '1980-01-01', 'x', 'i' || id, 1, 1 FROM members WHERE phone = '13600000001'",
    )
    .await
    .unwrap();
    db.execute_raw(
        "UPDATE members SET certified_at = 1, roster_entry_id = (SELECT r.id FROM roster_entries r WHERE r.id_index = 'i' || members.id) \
         WHERE phone = '13600000001'",
    )
    .await
    .unwrap();

    let form = CampaignForm::lixia(SLUG).with("title", "历下区职工摄影作品网络展").with("kind", "works");
    let (status, html) = official.post("/admin/campaigns/new", "/api/admin/campaigns/new", &form.fields()).await;
    assert_eq!(status, 303, "{html}");
    let bad_kind = CampaignForm::lixia("other-2026").with("kind", "pets");
    let (status, html) = official.post("/admin/campaigns/new", "/api/admin/campaigns/new", &bad_kind.fields()).await;
    assert_eq!(status, 400);
    assert!(html.contains("请选择活动类型"));

    // An entry needs its picture, and a picture that is one.
    let page = format!("/v/{SLUG}");
    let (_, open) = author.get(&page).await;
    assert!(open.contains("投稿参展") && open.contains(r#"enctype="multipart/form-data""#), "{open}");
    let fields = [("slug", SLUG), ("title", "书香午后"), ("story", "午休时间，同事们在职工书屋里读书。")];
    let entry = |file: Option<Vec<u8>>| {
        let parts = file.map(|bytes| vec![("photo", "entry.jpg", bytes)]).unwrap_or_default();
        author.upload_parts(&page, "/api/campaigns/entry", &fields, parts)
    };
    let (status, html) = entry(None).await;
    assert_eq!(status, 400);
    assert!(html.contains("请选择作品图片"), "{html}");
    let (status, _) = entry(Some(b"<html>not a picture</html>".to_vec())).await;
    assert_eq!(status, 415);
    let (status, html) = entry(Some(png())).await;
    assert_eq!(status, 400, "a PNG header over noise does not decode");
    assert!(html.contains("这张图片无法读取"));
    let (status, html) =
        voter.upload_parts(&page, "/api/campaigns/entry", &fields, vec![("photo", "entry.jpg", PHOTO.to_vec())]).await;
    assert_eq!(status, 403, "entries come from certified members");
    assert!(html.contains("需先完成实名认证"));
    let (status, html) = entry(Some(PHOTO.to_vec())).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("作品已提交"));
    assert_eq!(entry(Some(PHOTO.to_vec())).await.0, 409, "one entry per member");

    // The official approves it: numbered 01, in the gallery with its thumbnail.
    let admin_page = format!("/admin/campaigns/{SLUG}/candidates");
    let (_, listing) = official.get(&admin_page).await;
    let at = listing
        .find(r#"action="/api/admin/campaigns/signups/approve"#)
        .unwrap_or_else(|| panic!("a pending entry: {listing}"));
    let start = listing[at..].find(r#"name="id" value=""#).unwrap() + at + r#"name="id" value=""#.len();
    let id: String = listing[start..].chars().take_while(char::is_ascii_digit).collect();
    let (status, _) =
        official.post(&admin_page, "/api/admin/campaigns/signups/approve", &[("slug", SLUG), ("id", &id)]).await;
    assert_eq!(status, 200);
    move_to(&db, "voting").await;
    let (_, gallery) = Person::new(&server).get(&page).await;
    assert!(gallery.contains("作品展厅") && gallery.contains(r#"class="board gallery""#), "{gallery}");
    assert!(gallery.contains("01 号《书香午后》") && gallery.contains("摄影甲 · 历下区机械厂工会"), "{gallery}");
    let thumb_at = gallery.find("/media/entry_thumb/").expect("a thumbnail");
    let thumb: String = gallery[thumb_at..].chars().take_while(|c| *c != '"').collect();
    let thumb = thumb.replace("&amp;", "&");
    let response = voter.http.get(format!("{}{thumb}", server.base)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xff\xd8\xff", "a JPEG");
    let (_, work) = Person::new(&server).get(&format!("{page}/1")).await;
    assert!(work.contains("《书香午后》") && work.contains("作者：摄影甲") && work.contains("作品说明"), "{work}");

    // Voting with the campaign's rules (1 a day for the same work).
    let work_page = format!("{page}/1");
    let vote = |key: &'static str| [("campaign", SLUG), ("number", "1"), ("key", key)];
    assert_eq!(voter.post(&work_page, "/api/vote", &vote("contest-key-000001")).await.0, 303);
    let (status, _) = voter.post(&work_page, "/api/vote", &vote("contest-key-000002")).await;
    assert_eq!(status, 429, "one vote a day for the same work");
    // Tallies are at most 3 s old (TALLY_MAX_AGE).
    tokio::time::sleep(std::time::Duration::from_millis(3_200)).await;
    let (_, gallery) = Person::new(&server).get(&page).await;
    assert!(gallery.contains("1 票"), "{gallery}");

    // Awards: given by the contest's officials, published after voting.
    assert_eq!(award(&linyi, &id, "一等奖").await.0, 403, "not 临沂's contest");
    assert_eq!(award(&official, &id, "特等奖").await.0, 400);
    assert_eq!(award(&official, &id, "一等奖").await.0, 200);
    let publish = || official.post(&admin_page, "/api/admin/campaigns/awards/publish", &[("slug", SLUG)]);
    let (status, html) = publish().await;
    assert_eq!(status, 409);
    assert!(html.contains("投票结束后才能公布获奖名单"));
    let (_, gallery) = Person::new(&server).get(&page).await;
    assert!(!gallery.contains("获奖作品"), "not before they are published");
    move_to(&db, "publicity").await;
    assert_eq!(publish().await.0, 200);
    assert_eq!(publish().await.0, 409, "once");
    assert_eq!(award(&official, &id, "二等奖").await.0, 409, "fixed once published");
    let (_, gallery) = Person::new(&server).get(&page).await;
    assert!(gallery.contains("获奖作品") && gallery.contains("一等奖"), "{gallery}");
    let (_, audit) = admin.get("/admin").await;
    assert!(audit.contains("评定奖项") && audit.contains("公布获奖名单"));
}
