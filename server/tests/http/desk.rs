//! The desk over HTTP: photos are stored upright with their GPS position
//! gone and thumbnails made, media is served in ranges; an over-size video
//! is refused before it is stored; the 通报 and 稿酬 CSV files hold the
//! figures the test computes itself; and who may do what is a matrix.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    @more a_photo_is_stored_upright_without_its_gps_position_and_served_in_ranges,
    the_tongbao_and_gaochou_csv_hold_the_figures_the_test_computes,
    who_may_use_the_desk_is_a_matrix_of_people_and_requests,
    a_draft_is_kept_then_sent_and_a_story_taken_up_waits_for_its_reviewer,
    a_call_for_stories_shows_which_target_units_answered_and_editors_report_up,
    with_an_s3_store_configured_the_library_lives_there_and_is_served_in_ranges,
    the_demo_desk_is_alive_with_figures_pay_a_call_and_a_story_waiting_for_the_demo_admin,
    an_official_appoints_a_certified_member_of_their_reach_directly,
    every_wrong_field_is_refused_next_to_it_and_nothing_is_saved
);

/// A 40×20 JPEG whose EXIF says "rotate 90° clockwise" (orientation 6) and
/// carries a GPS position (latitude 36° N): what a phone camera writes.
fn phone_photo() -> Vec<u8> {
    let mut pixels = image::RgbImage::new(40, 20);
    for (x, _, p) in pixels.enumerate_pixels_mut() {
        *p = if x < 20 { image::Rgb([200, 30, 30]) } else { image::Rgb([30, 30, 200]) };
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg).encode_image(&pixels).unwrap();
    // TIFF (little endian): IFD0 with Orientation and a GPS IFD pointer; the
    // GPS IFD with GPSLatitudeRef "N" and GPSLatitude 36/1 0/1 0/1.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    // IFD0 at 8: 2 entries (2 + 24 + 4 bytes) → GPS IFD at 38.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, 6));
    tiff.extend(entry(0x8825, 4, 1, 38));
    tiff.extend(0u32.to_le_bytes());
    // GPS IFD at 38: 2 entries (2 + 24 + 4) → rationals at 68.
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, 68));
    tiff.extend(0u32.to_le_bytes());
    for (num, den) in [(36u32, 1u32), (0, 1), (0, 1)] {
        tiff.extend(num.to_le_bytes());
        tiff.extend(den.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// The super admin and a certified member of `unit` registered with `phone`.
async fn certified(server: &RunningServer, db: &TestDb, phone: &str, unit: &str) -> (Person, Person) {
    let admin = Person::new(server);
    let _ = admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let member = Person::new(server);
    member.register(phone, "夏国子", unit).await;
    let roster = format!(
        "unit_code,member_no,name,gender,birth_date,id_number,phone\n{unit},GH9,夏国子,男,1965-08-29,{ID_NUMBER},\n"
    );
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.into_bytes()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", ID_NUMBER)]).await;
    (admin, member)
}

const ID_NUMBER: &str = "370103196508295838";

/// The 登记表 of 夏国子 with `phone`.
fn application(phone: &str) -> Vec<(&'static str, String)> {
    [
        ("name", "夏国子"),
        ("gender", "男"),
        ("birth_month", "1965-08"),
        ("education", "大专"),
        ("union_post", "宣传委员"),
        ("job_title", ""),
        ("phone", phone),
        ("email", "xia@example.com"),
        ("id_number", ID_NUMBER),
        ("interests", "摄影"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn borrowed<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A correspondent of `unit`, approved, plus the super admin.
async fn correspondent(server: &RunningServer, db: &TestDb, phone: &str, unit: &str) -> (Person, Person) {
    let (admin, member) = certified(server, db, phone, unit).await;
    let form = application(phone);
    assert_eq!(member.post("/desk", "/api/newsroom/correspondents/apply", &borrowed(&form)).await.0, 200);
    let (_, list) = admin.get("/admin/correspondents").await;
    let start = list.find(r#"id="correspondent-"#).unwrap() + r#"id="correspondent-"#.len();
    let id: String = list[start..].chars().take_while(char::is_ascii_digit).collect();
    admin.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    (admin, member)
}

/// The first `/m/{token}` address on a page.
fn media_token(html: &str) -> String {
    let at = html.find("/m/").expect("a media address") + 3;
    html[at..at + 32].to_owned()
}

async fn a_photo_is_stored_upright_without_its_gps_position_and_served_in_ranges(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_VIDEO_LIMIT_MB", "1")]);
    let (_admin, member) = correspondent(&server, &db, "13900000001", "37010201").await;
    let photo = phone_photo();
    assert!(photo.windows(4).any(|w| w == b"Exif"), "the fixture carries EXIF");

    let (status, html) = member
        .upload_parts(
            "/desk/assets",
            "/api/newsroom/assets/upload",
            &[("tags", "技能 比武")],
            vec![("file", "IMG_0001.jpg", photo)],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已上传 1 个素材到素材库"), "{html}");
    let (_, library) = member.get("/desk/assets?q=比武").await;
    assert!(library.contains("IMG_0001"), "found by tag, titled by its file name: {library}");
    let token = media_token(&library);

    let original = member.http.get(server.url(&format!("/m/{token}"))).send().await.unwrap();
    assert_eq!(original.status(), 200);
    assert_eq!(original.headers()["content-type"], "image/jpeg");
    assert!(original.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let bytes = original.bytes().await.unwrap().to_vec();
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "no EXIF left, GPS with it");
    let stored = image::load_from_memory(&bytes).unwrap();
    assert_eq!((stored.width(), stored.height()), (20, 40), "turned upright by its orientation");
    let thumb = member.http.get(server.url(&format!("/m/{token}/320"))).send().await.unwrap();
    assert_eq!(thumb.status(), 200);
    assert!(image::load_from_memory(&thumb.bytes().await.unwrap()).is_ok(), "a thumbnail made at upload");
    assert_eq!(member.http.get(server.url(&format!("/m/{token}/77"))).send().await.unwrap().status(), 404);

    // A player seeking: bytes 10–19 of the file, and an impossible range.
    let part = member.http.get(server.url(&format!("/m/{token}"))).header("Range", "bytes=10-19").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"].to_str().unwrap(), format!("bytes 10-19/{}", bytes.len()));
    assert_eq!(part.bytes().await.unwrap().to_vec(), bytes[10..20].to_vec());
    let beyond = format!("bytes={}-", bytes.len() + 10);
    let past = member.http.get(server.url(&format!("/m/{token}"))).header("Range", beyond).send().await.unwrap();
    assert_eq!(past.status(), 416);
    let odd = member.http.get(server.url(&format!("/m/{token}"))).header("Range", "bytes=abc").send().await.unwrap();
    assert_eq!(odd.status(), 200, "a malformed Range is ignored: the whole file");

    // A 2 MB "video" where 1 MB is the limit: refused, nothing stored, the
    // spool left empty. A file that is no media at all: refused by content.
    let mut video = vec![0u8, 0, 0, 0x18];
    video.extend(b"ftypmp42");
    video.resize(2 << 20, 7);
    let (status, html) =
        member.upload_parts("/desk/assets", "/api/newsroom/assets/upload", &[], vec![("file", "v.mp4", video)]).await;
    assert_eq!(status, 413);
    assert!(html.contains("视频不能超过 1 MB"), "{html}");
    let (status, html) = member
        .upload_parts(
            "/desk/assets",
            "/api/newsroom/assets/upload",
            &[],
            vec![("file", "photo.jpg", b"<html><script>alert(1)</script></html>".repeat(20))],
        )
        .await;
    assert_eq!(status, 415, "{html}");
    let (_, library) = member.get("/desk/assets").await;
    assert_eq!(library.matches("class=\"asset-row\"").count(), 1, "only the photo is in the library");
    let spool = server.media.path().join("spool");
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0, "no spool file left behind");

    // The photo goes with a story; the reviewer sees it with the story.
    let (_, desk) = member.get("/desk").await;
    let value_at =
        desk.find(r#"name="assets[]" value=""#).expect("the picker on the 报送单") + r#"name="assets[]" value=""#.len();
    let asset_id: String = desk[value_at..].chars().take_while(char::is_ascii_digit).collect();
    let form = [
        ("title", "机械厂开展技能比武"),
        ("body", "本周举办技能比武。"),
        ("kind", "news"),
        ("event_date", "2026-11-30"),
        ("outward", "1"),
        ("assets[]", asset_id.as_str()),
    ];
    let (status, html) = member.post("/desk", "/api/newsroom/stories/submit", &form).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("/m/{token}/320")), "the story shows its photo: {html}");
    let mut foreign = form.to_vec();
    foreign[5] = ("assets[]", "999999");
    let (status, html) = member.post("/desk", "/api/newsroom/stories/submit", &foreign).await;
    assert_eq!(status, 400);
    assert!(html.contains("所选素材不可用"), "{html}");
}

/// Yuan with two decimals, as the CSV writes it.
fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

async fn the_tongbao_and_gaochou_csv_hold_the_figures_the_test_computes(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, member) = correspondent(&server, &db, "13900000001", "37010201").await;
    // A one-step chain at the plant's district, reviewed by the admin's
    // appointee; rates of 50 yuan for news and 80 for 典型 at the district.
    let reviewer = Person::new(&server);
    reviewer.register("13700000001", "审稿人", "37010202").await;
    let grant = [("phone", "13700000001"), ("unit", "370102"), ("role", "final")];
    assert_eq!(admin.post("/admin/correspondents", "/api/admin/newsroom/roles", &grant).await.0, 200);
    store::Store::connect(db.url(), &Default::default()).await.unwrap().set_review_chain("370102", 1).await.unwrap();
    for (kind, amount) in [("news", "50"), ("model", "80.5")] {
        let rate = [("unit", "370102"), ("kind", kind), ("level", "own"), ("amount", amount)];
        let (status, html) = admin.post("/admin/newsroom/ledger", "/api/admin/newsroom/rates/set", &rate).await;
        assert_eq!(status, 200, "{html}");
    }
    let bad = [("unit", "370102"), ("kind", "news"), ("level", "own"), ("amount", "五十")];
    assert_eq!(admin.post("/admin/newsroom/ledger", "/api/admin/newsroom/rates/set", &bad).await.0, 400);

    // Five stories: adopt news, news and 典型; hold one; leave one waiting.
    let kinds = ["news", "model", "news", "news", "other"];
    let mut expected_fen = 0;
    for (n, kind) in kinds.iter().enumerate() {
        let title = format!("稿件{n}");
        let form = [("title", title.as_str()), ("body", "正文。"), ("kind", kind), ("event_date", "2026-11-30")];
        assert_eq!(member.post("/desk", "/api/newsroom/stories/submit", &form).await.0, 200);
        let (_, page) = reviewer.get("/desk/review").await;
        let at = page.find(r#"id="review-"#).unwrap() + r#"id="review-"#.len();
        let id: String = page[at..].chars().take_while(char::is_ascii_digit).collect();
        let decision = match n {
            0..=2 => "approve",
            3 => "hold",
            _ => continue,
        };
        let (status, _) = reviewer
            .post("/desk/review", &format!("/api/newsroom/review/{decision}"), &[("id", &id), ("version", "1")])
            .await;
        assert_eq!(status, 200);
        if decision == "approve" {
            expected_fen += if *kind == "model" { 8_050 } else { 5_000 };
        }
    }

    let csv = admin.http.get(server.url("/admin/newsroom/report.csv?unit=370102")).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let plant = rows.iter().find(|r| r[0] == "历下区机械厂工会" && r[1].is_empty()).expect("the plant's row");
    // 报送 迟报 本级采用 上级采用 外媒采用 待用 退稿 报送上级 稿酬
    assert_eq!(plant[2..], ["5", "0", "3", "0", "0", "1", "0", "0", &yuan(expected_fen)].map(String::from));
    let total = rows.iter().find(|r| r[0] == "合计").unwrap();
    assert_eq!(total[2], "5");
    let person = rows.iter().find(|r| r[1] == "夏国子").expect("the correspondent's row");
    assert_eq!(person[4], "3");

    let ledger = admin.http.get(server.url("/admin/newsroom/ledger.csv?unit=370102")).send().await.unwrap();
    let bytes = ledger.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let entries: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "夏国子" && r[2] != "小计").collect();
    assert_eq!(entries.len(), 3);
    let sum: i64 = entries.iter().map(|r| (r[7].parse::<f64>().unwrap() * 100.0).round() as i64).sum();
    assert_eq!(sum, expected_fen);
    assert_eq!(rows.last().unwrap()[7], yuan(expected_fen), "the 合计");
    // A rate changed now does not change what was earned.
    let rate = [("unit", "370102"), ("kind", "news"), ("level", "own"), ("amount", "500")];
    admin.post("/admin/newsroom/ledger", "/api/admin/newsroom/rates/set", &rate).await;
    let again = admin.http.get(server.url("/admin/newsroom/ledger.csv?unit=370102")).send().await.unwrap();
    let again = again.text().await.unwrap();
    assert!(again.ends_with(&format!("{}\n", yuan(expected_fen))), "{again}");
    let (_, print) = admin.get("/admin/newsroom/print?unit=370102").await;
    assert!(print.contains("历下区总工会") && print.contains("信息工作通报"), "{print}");
}

/// A post of the matrix: path, form, and the status for each of the four people.
type Request = (&'static str, Vec<(&'static str, &'static str)>, [u16; 4]);

async fn who_may_use_the_desk_is_a_matrix_of_people_and_requests(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, writer) = correspondent(&server, &db, "13900000001", "37010201").await;
    // An official of 市中区 (370103) only; a plain certified-less member.
    let official = Person::new(&server);
    official.register("13800000003", "市中区", "37010301").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "370103")]).await;
    let plain = Person::new(&server);
    plain.register("13900000009", "普通会员", "37010201").await;
    let anonymous = Person::new(&server);

    let people: [(&str, &Person); 4] =
        [("writer", &writer), ("official", &official), ("plain", &plain), ("anonymous", &anonymous)];
    // (request, expected status for writer, official elsewhere, plain member, signed out)
    let gets: [(&str, [u16; 4]); 6] = [
        ("/api/newsroom/assets", [200, 403, 403, 401]),
        ("/api/admin/newsroom/report?unit=370103", [403, 200, 403, 401]),
        ("/api/admin/newsroom/report?unit=370102", [403, 403, 403, 401]),
        ("/admin/newsroom/report.csv?unit=370102", [403, 403, 403, 401]),
        ("/admin/newsroom/ledger.csv?unit=370103", [403, 200, 403, 401]),
        ("/api/admin/newsroom/ledger?unit=37", [403, 403, 403, 401]),
    ];
    for (path, expected) in gets {
        for ((who, person), want) in people.iter().zip(expected) {
            let status =
                person.http.get(server.url(path)).header("Accept", "application/json").send().await.unwrap().status();
            assert_eq!(status.as_u16(), want, "{who} GET {path}");
        }
    }
    let posts: [Request; 3] = [
        (
            "/api/admin/newsroom/rates/set",
            vec![("unit", "370102"), ("kind", "news"), ("level", "own"), ("amount", "50")],
            [403, 403, 403, 401],
        ),
        (
            "/api/admin/newsroom/calls",
            vec![("unit", "370102"), ("topic", "防汛"), ("deadline", "2099-01-01")],
            [403, 403, 403, 401],
        ),
        (
            "/api/newsroom/stories/submit",
            vec![("title", "标题"), ("body", "正文"), ("kind", "news"), ("event_date", "2026-11-30")],
            [200, 403, 403, 401],
        ),
    ];
    for (path, form, expected) in posts {
        for ((who, person), want) in people.iter().zip(expected) {
            let (status, html) = person.post("/desk", path, &form).await;
            assert_eq!(status, want, "{who} POST {path}: {html}");
        }
    }
    // The official of 市中区 may run a call for their own district.
    let call = [("unit", "370103"), ("topic", "防汛一线"), ("deadline", "2099-01-01")];
    assert_eq!(official.post("/admin/newsroom/calls", "/api/admin/newsroom/calls", &call).await.0, 200);
    // Nothing above was stored by a refused request.
    let (_, ledger) = admin.get("/admin/newsroom/ledger?unit=370102").await;
    assert!(ledger.contains("本单位还没有设置"), "{ledger}");
}

/// Two reviewers with the same role (初审) on 历下区, one-step chain.
async fn two_editors(server: &RunningServer, db: &TestDb, admin: &Person) -> (Person, Person) {
    let mut editors = Vec::new();
    for phone in ["13700000001", "13700000002"] {
        let editor = Person::new(server);
        editor.register(phone, "审稿人", "37010202").await;
        let grant = [("phone", phone), ("unit", "370102"), ("role", "final")];
        assert_eq!(admin.post("/admin/correspondents", "/api/admin/newsroom/roles", &grant).await.0, 200);
        editors.push(editor);
    }
    store::Store::connect(db.url(), &Default::default()).await.unwrap().set_review_chain("370102", 1).await.unwrap();
    let second = editors.pop().unwrap();
    (editors.pop().unwrap(), second)
}

async fn a_draft_is_kept_then_sent_and_a_story_taken_up_waits_for_its_reviewer(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, member) = correspondent(&server, &db, "13900000001", "37010201").await;
    let (first, second) = two_editors(&server, &db, &admin).await;

    // A draft with only a body: kept, not sent; nobody reviews it.
    let (status, html) =
        member.post("/desk", "/api/newsroom/stories/save", &[("title", ""), ("body", "先写几句。")]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("草稿已保存"), "{html}");
    assert!(html.contains("无标题草稿") && html.contains("草稿 · 第 1 稿"), "{html}");
    let at = html.find(r#"name="id" value=""#).expect("the draft's form") + r#"name="id" value=""#.len();
    let id: String = html[at..].chars().take_while(char::is_ascii_digit).collect();
    assert!(!first.get("/desk/review").await.1.contains("无标题草稿"), "a draft is not in review");
    // Sent incomplete: refused next to the field, still a draft.
    let incomplete = [
        ("id", id.as_str()),
        ("title", "技能比武"),
        ("body", "先写几句。"),
        ("kind", ""),
        ("event_date", "2026-11-30"),
    ];
    let (status, html) = member.post("/desk", "/api/newsroom/stories/submit", &incomplete).await;
    assert_eq!(status, 400);
    assert!(html.contains("请选择稿件类型"), "{html}");
    let complete = [
        ("id", id.as_str()),
        ("title", "技能比武"),
        ("body", "全文。"),
        ("kind", "news"),
        ("event_date", "2026-11-30"),
    ];
    let (status, html) = member.post("/desk", "/api/newsroom/stories/submit", &complete).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("审核中 · 第 1 稿") && !html.contains("草稿 · 第 1 稿"), "the draft itself went: {html}");
    assert_eq!(member.post("/desk", "/api/newsroom/stories/submit", &complete).await.0, 404, "sent once");

    // The first editor takes it up; the second sees who and cannot decide.
    let (status, html) = first.post("/desk/review", "/api/newsroom/review/take", &[("id", &id)]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("您正在审核这篇稿件"), "{html}");
    assert!(second.get("/desk/review").await.1.contains("审稿人 正在审核这篇稿件"));
    let approve = [("id", id.as_str()), ("version", "1")];
    let (status, html) = second.post("/desk/review", "/api/newsroom/review/approve", &approve).await;
    assert_eq!(status, 409, "{html}");
    assert_eq!(second.post("/desk/review", "/api/newsroom/review/take", &[("id", &id)]).await.0, 409);
    let (status, html) = first.post("/desk/review", "/api/newsroom/review/approve", &approve).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("终审通过"), "{html}");
}

async fn a_call_for_stories_shows_which_target_units_answered_and_editors_report_up(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, member) = correspondent(&server, &db, "13900000001", "37010201").await;
    let (editor, _) = two_editors(&server, &db, &admin).await;
    // The district calls its two grassroots unions (机械厂 answers, 供电公司 not).
    let call = [
        ("unit", "370102"),
        ("topic", "防汛一线的工会人"),
        ("deadline", "2099-07-31"),
        ("targets[]", "37010201"),
        ("targets[]", "37010202"),
    ];
    let (status, html) = admin.post("/admin/newsroom/calls", "/api/admin/newsroom/calls", &call).await;
    assert_eq!(status, 200, "{html}");
    let past = [("unit", "370102"), ("topic", "旧题"), ("deadline", "2000-01-01")];
    assert_eq!(admin.post("/admin/newsroom/calls", "/api/admin/newsroom/calls", &past).await.0, 400);
    let (_, desk) = member.get("/desk").await;
    assert!(desk.contains("征稿：防汛一线的工会人"), "{desk}");
    assert!(desk.contains(">防汛一线的工会人</option>"), "the 报送单 offers the call");
    let (_, calls) = admin.get("/admin/newsroom/calls").await;
    let start = calls.find(r#"id="call-"#).unwrap() + r#"id="call-"#.len();
    let call_id: String = calls[start..].chars().take_while(char::is_ascii_digit).collect();
    assert!(calls.contains("0 / 2 个单位已投稿"), "{calls}");
    let story = [
        ("title", "抗洪抢险中的工会人"),
        ("body", "全文。"),
        ("kind", "news"),
        ("event_date", "2026-11-30"),
        ("outward", "1"),
        ("call", call_id.as_str()),
    ];
    assert_eq!(member.post("/desk", "/api/newsroom/stories/submit", &story).await.0, 200);
    let (_, calls) = admin.get("/admin/newsroom/calls").await;
    assert!(calls.contains("1 / 2 个单位已投稿"), "{calls}");
    assert!(
        calls.contains("历下区机械厂工会 · 已投稿 1 篇") && calls.contains("历下区供电公司工会 · 未投稿"),
        "the unanswered unit shows"
    );

    // Adopted at the district, reported up to 济南市 by an editor there.
    let (_, page) = editor.get("/desk/review").await;
    let at = page.find(r#"id="review-"#).unwrap() + r#"id="review-"#.len();
    let id: String = page[at..].chars().take_while(char::is_ascii_digit).collect();
    editor.post("/desk/review", "/api/newsroom/review/approve", &[("id", &id), ("version", "1")]).await;
    let (status, _) = editor.post("/desk/review", "/api/newsroom/stories/report-up", &[("id", &id)]).await;
    assert_eq!(status, 403, "a 终审 is not the editor who reports up");
    let grant = [("phone", "13700000001"), ("unit", "370102"), ("role", "editor")];
    admin.post("/admin/correspondents", "/api/admin/newsroom/roles", &grant).await;
    let (_, page) = editor.get("/desk/review").await;
    assert!(page.contains(r#"id="adopted-"#), "the adopted story, to report up: {page}");
    let (status, html) = editor.post("/desk/review", "/api/newsroom/stories/report-up", &[("id", &id)]).await;
    assert_eq!(status, 200, "{html}");
    // The plant's desk adopted it (through the district's chain: the plant
    // has no reviewers of its own); up it goes to the district's desk.
    assert!(html.contains("已报送历下区总工会，进入其审核"), "the notice names the parent desk");
    assert!(html.contains("第 2 稿"), "it enters the district's chain as its next version");
    assert_eq!(editor.post("/desk/review", "/api/newsroom/stories/report-up", &[("id", &id)]).await.0, 409, "once");
    let csv = admin
        .http
        .get(server.url("/admin/newsroom/report.csv?unit=370102"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let plant = csv.lines().find(|l| l.starts_with("历下区机械厂工会,,")).expect("the plant's row");
    // 报送 迟报 本级采用 上级采用 外媒采用 待用 退稿 报送上级 稿酬
    assert_eq!(plant, "历下区机械厂工会,,1,0,1,0,0,0,0,1,0.00");
}

/// moto's S3 server (installed by `make test` into .tools/s3), started on a
/// free port; killed when dropped. `None` outside CI when it is missing.
struct S3Server {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn s3_server() -> Option<S3Server> {
    let binary = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/s3/bin/moto_server");
    if !binary.exists() {
        assert!(std::env::var("CI").is_err(), "moto_server is required in CI (make test installs it)");
        eprintln!("skipped: {} not found (make test installs it)", binary.display());
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start moto_server");
    let endpoint = format!("http://127.0.0.1:{port}");
    let server = S3Server { child, endpoint };
    for _ in 0..100 {
        if reqwest::get(&server.endpoint).await.is_ok() {
            return Some(server);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not answer within 10 s");
}

async fn with_an_s3_store_configured_the_library_lives_there_and_is_served_in_ranges(db: TestDb) {
    let Some(s3) = s3_server().await else { return };
    let http = reqwest::Client::new();
    assert!(http.put(format!("{}/gonghui-media", s3.endpoint)).send().await.unwrap().status().is_success());
    let server = RunningServer::start(
        db.url(),
        &[
            ("GONGHUI_S3_ENDPOINT", s3.endpoint.as_str()),
            ("GONGHUI_S3_BUCKET", "gonghui-media"),
            ("GONGHUI_S3_ACCESS_KEY", "test"),
            ("GONGHUI_S3_SECRET_KEY", "test"),
        ],
    );
    let (_admin, member) = correspondent(&server, &db, "13900000001", "37010201").await;
    let (status, html) = member
        .upload_parts("/desk/assets", "/api/newsroom/assets/upload", &[], vec![("file", "IMG_0002.jpg", phone_photo())])
        .await;
    assert_eq!(status, 200, "{}", &html[..200]);
    let (_, library) = member.get("/desk/assets").await;
    let token = media_token(&library);
    // In the bucket: the photo and its two thumbnails; nothing on local disk
    // but the (empty) spool.
    let listing =
        http.get(format!("{}/gonghui-media?list-type=2", s3.endpoint)).send().await.unwrap().text().await.unwrap();
    for key in [format!("a/{token}<"), format!("a/{token}-320<"), format!("a/{token}-960<")] {
        assert!(listing.contains(&format!("<Key>{key}")), "{key} in {listing}");
    }
    assert!(!server.media.path().join("store").exists(), "no local store when S3 is configured");
    let whole = member.http.get(server.url(&format!("/m/{token}"))).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(image::load_from_memory(&whole).unwrap().height(), 40, "upright, from the bucket");
    let part = member.http.get(server.url(&format!("/m/{token}"))).header("Range", "bytes=0-3").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().to_vec(), whole[..4].to_vec());
}

async fn the_demo_desk_is_alive_with_figures_pay_a_call_and_a_story_waiting_for_the_demo_admin(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_DEMO_PEOPLE", "true")]);
    let admin = Person::new(&server);
    let login = [("phone", "13800000000"), ("password", server::demo::DEMO_PASSWORD)];
    assert_eq!(admin.post("/login", "/api/auth/login", &login).await.0, 303);
    let csv =
        admin.http.get(server.url("/admin/newsroom/report.csv?unit=37")).send().await.unwrap().text().await.unwrap();
    // Seven stories of 供电公司: 劳模工作室带徒十年 adopted (50) and taken by
    // 大众日报 (200), and the published 安康杯 article adopted there (50).
    let row = csv.lines().find(|l| l.starts_with("历下区供电公司工会,,")).expect("the demo union's row");
    assert_eq!(row, "历下区供电公司工会,,7,0,2,0,1,1,1,0,300.00");
    let (_, calls) = admin.get("/admin/newsroom/calls").await;
    assert!(calls.contains("冬季送温暖一线故事"), "the demo call");
    let (_, queue) = admin.get("/desk/review").await;
    assert!(
        queue.contains("一线班组长讲述节能降耗新办法") && queue.contains("终审"),
        "waiting for the demo admin's 终审"
    );
}

async fn an_official_appoints_a_certified_member_of_their_reach_directly(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, member) = certified(&server, &db, "13900000001", "37010201").await;
    let elsewhere = Person::new(&server);
    elsewhere.register("13800000003", "市中区", "37010301").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "370103")]).await;
    let uncertified = Person::new(&server);
    uncertified.register("13900000002", "新会员", "37010201").await;
    let appoint = "/api/admin/correspondents/appoint";

    let form = application("13900000001");
    assert_eq!(elsewhere.post("/admin/correspondents", appoint, &borrowed(&form)).await.0, 403, "out of reach");
    let (status, html) = admin.post("/admin/correspondents", appoint, &borrowed(&application("13900000002"))).await;
    assert_eq!(status, 409, "certified first");
    assert!(html.contains("尚未完成实名认证"), "the reason is given");
    let (status, html) = admin.post("/admin/correspondents", appoint, &borrowed(&application("13900000009"))).await;
    assert_eq!(status, 400);
    assert!(html.contains("该手机号尚未注册会员"), "next to the phone");
    let (status, html) = admin.post("/admin/correspondents", appoint, &borrowed(&form)).await;
    assert_eq!(status, 200, "{}", &html[html.find("banner").unwrap_or(0)..][..200]);
    assert!(html.contains("已任命 139****0001 为历下区机械厂工会的信息员"));
    assert!(
        member.get("/desk").await.1.contains("您是历下区机械厂工会的信息员。"),
        "at once, no application to decide"
    );
    assert_eq!(admin.post("/admin/correspondents", appoint, &borrowed(&form)).await.0, 409, "once");
}

/// Who posts, from which page, to which action, what, the status, the message.
type BadInput<'a> = (&'a Person, &'static str, &'static str, Vec<(&'static str, String)>, u16, &'static str);

async fn every_wrong_field_is_refused_next_to_it_and_nothing_is_saved(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, member) = correspondent(&server, &db, "13900000001", "37010201").await;
    let long = |n: usize| "字".repeat(n);
    let (t61, e301, d1001, tags61) = (long(61), long(301), long(1001), long(61));
    let story = |field: &'static str, value: &str| {
        let mut form: Vec<(&'static str, String)> =
            [("title", "技能比武"), ("body", "正文。"), ("kind", "news"), ("event_date", "2026-11-30")]
                .into_iter()
                .map(|(k, v)| (k, v.to_owned()))
                .collect();
        form.retain(|(k, _)| *k != field);
        form.push((field, value.to_owned()));
        form
    };
    // (who, page, action, form, status, the message shown)
    let cases: Vec<BadInput> = vec![
        (&member, "/desk", "/api/newsroom/stories/submit", story("title", ""), 400, "请填写标题"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("title", &t61), 400, "标题不能超过 60 字"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("body", "  "), 400, "请填写正文"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("kind", "poem"), 400, "请选择稿件类型"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("event_date", "2999-01-01"), 400, "不能晚于今天"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("event_date", "昨天"), 400, "请选择事件发生日期"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("excerpt", &e301), 400, "正文摘选不能超过 300 字"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("call", "abc"), 400, "请选择征稿"),
        (&member, "/desk", "/api/newsroom/stories/submit", story("call", "999"), 400, "这个征稿已截止"),
        (&member, "/desk", "/api/newsroom/stories/save", story("title", &t61), 400, "标题不能超过 60 字"),
        (
            &member,
            "/desk/review",
            "/api/newsroom/stories/outside",
            vec![("id", "1".into()), ("medium", " ".into())],
            400,
            "请填写采用的媒体名称",
        ),
        (
            &admin,
            "/admin/newsroom/calls",
            "/api/admin/newsroom/calls",
            vec![("unit", "370102".into()), ("topic", "".into()), ("deadline", "2099-01-01".into())],
            400,
            "请填写征稿主题",
        ),
        (
            &admin,
            "/admin/newsroom/calls",
            "/api/admin/newsroom/calls",
            vec![
                ("unit", "370102".into()),
                ("topic", "防汛".into()),
                ("details", d1001.clone()),
                ("deadline", "2099-01-01".into()),
            ],
            400,
            "征稿说明不能超过 1000 字",
        ),
        (
            &admin,
            "/admin/newsroom/calls",
            "/api/admin/newsroom/calls",
            vec![("unit", "370102".into()), ("topic", "防汛".into()), ("deadline", "2099-02-30".into())],
            400,
            "请选择截止日期",
        ),
        (
            &admin,
            "/admin/newsroom/ledger",
            "/api/admin/newsroom/rates/set",
            vec![("unit", "370102".into()), ("kind", "poem".into()), ("level", "own".into()), ("amount", "50".into())],
            400,
            "请选择稿件类型",
        ),
        (
            &admin,
            "/admin/newsroom/ledger",
            "/api/admin/newsroom/rates/set",
            vec![("unit", "370102".into()), ("kind", "news".into()), ("level", "moon".into()), ("amount", "50".into())],
            400,
            "请选择采用级别",
        ),
        (
            &admin,
            "/admin/newsroom/ledger",
            "/api/admin/newsroom/rates/set",
            vec![("unit", "370102".into()), ("kind", "news".into()), ("level", "own".into()), ("amount", "-5".into())],
            400,
            "请填写金额",
        ),
        (
            &admin,
            "/admin/newsroom/ledger",
            "/api/admin/newsroom/rates/set",
            vec![
                ("unit", "370102".into()),
                ("kind", "news".into()),
                ("level", "own".into()),
                ("amount", "1.234".into()),
            ],
            400,
            "请填写金额",
        ),
    ];
    for (who, page, action, form, status, shown) in &cases {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (got, html) = who.post(page, action, &form).await;
        assert_eq!(got, *status, "{action} {form:?}");
        assert!(html.contains(shown), "{action} {form:?} shows {shown}");
    }
    let (status, html) = member
        .upload_parts(
            "/desk/assets",
            "/api/newsroom/assets/upload",
            &[("tags", tags61.as_str())],
            vec![("file", "a.jpg", phone_photo())],
        )
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("标签不能超过 60 字"), "the tags' message");
    // Nothing was saved by any of them.
    assert!(member.get("/desk").await.1.contains("还没有稿件。"), "no story, no draft");
    assert!(member.get("/desk/assets").await.1.contains("没有找到素材。"), "no asset");
    assert!(!admin.get("/admin/newsroom/calls").await.1.contains(r#"id="call-"#), "no call");
    assert!(admin.get("/admin/newsroom/ledger?unit=370102").await.1.contains("本单位还没有设置"), "no rate");
}
