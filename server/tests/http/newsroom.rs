//! 信息员: a certified member files the 信息员登记表; an official of the unit
//! (or above) approves or refuses it; an official elsewhere cannot see or
//! decide it. Every mistake is answered next to its field, nothing saved.

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    @more a_certified_member_applies_to_be_a_correspondent_and_an_official_of_the_unit_decides,
    a_story_is_returned_once_resubmitted_and_passes_three_reviewers_before_it_is_ready
);

/// The message under field `field` on a re-rendered form page.
fn message(html: &str, field: &str) -> String {
    let marker = format!(r#"id="f-{field}-message""#);
    let rest = &html[html.find(&marker).unwrap_or_else(|| panic!("no {field} message: {html}")) + marker.len()..];
    rest[rest.find('>').unwrap() + 1..rest.find('<').unwrap()].trim().to_owned()
}

fn application(email: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("name", "夏国子"),
        ("gender", "男"),
        ("birth_month", "1965-08"),
        ("education", "大专"),
        ("union_post", "宣传委员"),
        ("job_title", ""),
        ("phone", "13900000001"),
        ("email", email),
        ("id_number", "370103196508295838"),
        ("interests", "摄影、写作"),
        ("wechat_name", "机械厂工会"),
        ("intro", "每月一期厂报。"),
    ]
}

async fn a_certified_member_applies_to_be_a_correspondent_and_an_official_of_the_unit_decides(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    // An official of 市中区, outside the member's 历下区.
    let elsewhere = Person::new(&server);
    elsewhere.register("13800000003", "市中区", "37010301").await;
    admin.post("/admin", "/api/admin/officials", &[("phone", "13800000003"), ("unit", "370103")]).await;

    let member = Person::new(&server);
    member.register("13900000001", "夏国子", "37010201").await;
    let apply = |form: Vec<(&'static str, &'static str)>| {
        let member = &member;
        async move { member.post("/desk", "/api/newsroom/correspondents/apply", &form).await }
    };
    let (status, html) = apply(application("xia@example.com")).await;
    assert_eq!(status, 403, "certification first");
    assert!(html.contains("成为信息员需先完成实名认证"), "{html}");

    let roster = "unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH9,夏国子,男,1965-08-29,370103196508295838,\n";
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.as_bytes().to_vec()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    let certified =
        member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    assert_eq!(certified.0, 303);
    assert!(member.get("/me").await.1.contains("信息员：报送本单位的新闻"), "我的 leads to the desk");

    // Each mistake next to its field; what was typed is kept; nothing saved.
    let (status, html) = apply(application("not-an-email")).await;
    assert_eq!((status, message(&html, "email").as_str()), (400, "请填写有效的电子邮箱，例如 name@example.com"));
    assert!(html.contains(r#"value="宣传委员""#), "typed values kept");
    let mut no_gender = application("xia@example.com");
    no_gender[1] = ("gender", "");
    assert_eq!(apply(no_gender).await.0, 400);
    let mut future = application("xia@example.com");
    future[2] = ("birth_month", "2999-01");
    let (status, html) = apply(future).await;
    assert_eq!((status, message(&html, "birth_month").as_str()), (400, "请选择出生年月，例如 1985-06"));
    assert!(elsewhere.get("/admin/correspondents").await.1.contains("没有待审核的信息员登记表"));
    assert!(admin.get("/admin/correspondents").await.1.contains("没有待审核的信息员登记表"), "nothing was saved");

    let (status, html) = apply(application("xia@example.com")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("登记表已提交，正在等待所在工会审核"), "{html}");
    assert_eq!(apply(application("xia@example.com")).await.0, 409, "one application at a time");

    // The official outside the unit's tree sees nothing and decides nothing.
    let (_, list) = admin.get("/admin/correspondents").await;
    let start = list.find(r#"id="correspondent-"#).expect("the application") + r#"id="correspondent-"#.len();
    let id: String = list[start..].chars().take_while(char::is_ascii_digit).collect();
    assert!(list.contains("3701**********5838") && !list.contains("370103196508295838"), "the ID number is masked");
    assert!(!elsewhere.get("/admin/correspondents").await.1.contains("夏国子"));
    let (status, _) =
        elsewhere.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    assert_eq!(status, 404);

    // A refusal needs a reason; then the official of the unit's tree approves.
    let (status, html) =
        admin.post("/admin/correspondents", "/api/admin/correspondents/refuse", &[("id", &id), ("reason", "")]).await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写不通过的原因"), "{html}");
    let (status, html) = admin.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    assert_eq!(status, 200);
    assert!(html.contains("已通过，该会员成为信息员"), "{html}");
    assert!(member.get("/desk").await.1.contains("您是历下区机械厂工会的信息员。"));
    let (status, _) = admin.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    assert_eq!(status, 404, "decided once");
}

/// A certified, approved correspondent of 历下区机械厂工会 and a super admin.
async fn correspondent(server: &RunningServer, db: &TestDb) -> (Person, Person) {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let member = Person::new(server);
    member.register("13900000001", "夏国子", "37010201").await;
    let roster = "unit_code,member_no,name,gender,birth_date,id_number,phone\n37010201,GH9,夏国子,男,1965-08-29,370103196508295838,\n";
    let (_, preview) = admin.upload("/admin/roster", "/api/admin/roster/preview", roster.as_bytes().to_vec()).await;
    let at = preview.find(r#"name="token" value=""#).unwrap() + r#"name="token" value=""#.len();
    admin.post("/admin/roster", "/api/admin/roster/confirm", &[("token", &preview[at..at + 32])]).await;
    member.post("/certify", "/api/me/certify", &[("name", "夏国子"), ("id_number", "370103196508295838")]).await;
    let (status, _) = member.post("/desk", "/api/newsroom/correspondents/apply", &application("xia@example.com")).await;
    assert_eq!(status, 200);
    let (_, list) = admin.get("/admin/correspondents").await;
    let start = list.find(r#"id="correspondent-"#).unwrap() + r#"id="correspondent-"#.len();
    let id: String = list[start..].chars().take_while(char::is_ascii_digit).collect();
    admin.post("/admin/correspondents", "/api/admin/correspondents/approve", &[("id", &id)]).await;
    (admin, member)
}

/// The story ids and versions waiting on `person`'s review page.
async fn queue(person: &Person) -> Vec<(String, String)> {
    let (status, html) = person.get("/desk/review").await;
    assert_eq!(status, 200);
    html.match_indices(r#"id="review-"#)
        .map(|(i, m)| {
            let id: String = html[i + m.len()..].chars().take_while(char::is_ascii_digit).collect();
            let card = &html[i..];
            let at = card.find(r#"name="version" value=""#).unwrap() + r#"name="version" value=""#.len();
            (id, card[at..].chars().take_while(char::is_ascii_digit).collect())
        })
        .collect()
}

async fn a_story_is_returned_once_resubmitted_and_passes_three_reviewers_before_it_is_ready(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, member) = correspondent(&server, &db).await;
    // 三审: three people of 历下区 (the correspondent's district) review.
    let mut reviewers = Vec::new();
    for (phone, role) in [("13700000001", "editor"), ("13700000002", "second"), ("13700000003", "final")] {
        let reviewer = Person::new(&server);
        reviewer.register(phone, "审稿人", "37010202").await;
        let (status, html) = admin
            .post(
                "/admin/correspondents",
                "/api/admin/newsroom/roles",
                &[("phone", phone), ("unit", "370102"), ("role", role)],
            )
            .await;
        assert_eq!(status, 200, "{html}");
        reviewers.push(reviewer);
    }
    let (status, html) = admin
        .post(
            "/admin/correspondents",
            "/api/admin/newsroom/roles",
            &[("phone", "13700000001"), ("unit", "370102"), ("role", "")],
        )
        .await;
    assert_eq!((status, message(&html, "role-role").as_str()), (400, "请选择角色"), "the role is required");

    // A member who is neither a correspondent nor an editor cannot submit.
    let (status, _) = reviewers[1]
        .post(
            "/desk",
            "/api/newsroom/stories/submit",
            &[("title", "标题"), ("body", "正文"), ("kind", "news"), ("event_date", "2026-11-30")],
        )
        .await;
    assert_eq!(status, 403);

    let story = |title: &'static str| {
        vec![
            ("title", title),
            ("body", "本周，机械厂工会举办**技能比武**。\n\n<script>alert(1)</script>"),
            ("excerpt", ""),
            ("kind", "news"),
            ("event_date", "2026-11-30"),
            ("outward", "1"),
        ]
    };
    let (status, html) = member.post("/desk", "/api/newsroom/stories/submit", &story("")).await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写标题"), "{html}");
    let (status, html) = member.post("/desk", "/api/newsroom/stories/submit", &story("机械厂开展技能比武")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("稿件已报送，进入审核"), "{html}");
    assert!(html.contains("审核中 · 第 1 稿"), "{html}");

    // 初审 first: only the editor sees it; the rendered body keeps no script.
    let first = queue(&reviewers[0]).await;
    assert_eq!(first.len(), 1);
    assert!(queue(&reviewers[1]).await.is_empty() && queue(&reviewers[2]).await.is_empty());
    assert!(queue(&member).await.is_empty(), "an author does not review their own story");
    let (_, page) = reviewers[0].get("/desk/review").await;
    assert!(page.contains("<strong>技能比武</strong>") && !page.contains("alert(1)"), "{page}");
    assert!(page.contains("初审 · 已等待 0 分钟"), "the reviewer sees how long it has waited: {page}");
    let (id, version) = first[0].clone();
    let decide = |who: usize, what: &'static str, comment: &'static str, version: String| {
        let reviewer = &reviewers[who];
        let id = id.clone();
        async move {
            reviewer
                .post(
                    "/desk/review",
                    &format!("/api/newsroom/review/{what}"),
                    &[("id", &id), ("version", &version), ("comment", comment)],
                )
                .await
        }
    };
    assert_eq!(decide(0, "approve", "", version.clone()).await.0, 200);
    assert!(queue(&reviewers[0]).await.is_empty());
    assert_eq!(queue(&reviewers[1]).await.len(), 1, "then 复审");

    // 退回修改 needs a comment; the author sees it and sends a new version.
    let (status, html) = decide(1, "return", "", version.clone()).await;
    assert_eq!(status, 400);
    assert!(html.contains("请填写审核意见"), "{html}");
    let (status, html) = decide(1, "return", "请补充比武的时间和地点", version.clone()).await;
    assert_eq!(status, 200);
    assert!(html.contains("已退回修改"), "{html}");
    assert_eq!(decide(1, "approve", "", version.clone()).await.0, 404, "no longer under review");
    let (_, desk) = member.get("/desk").await;
    assert!(desk.contains("退回修改 · 第 1 稿") && desk.contains("审核意见：请补充比武的时间和地点"), "{desk}");
    let (_, me) = member.get("/me").await;
    assert!(
        me.contains("《机械厂开展技能比武》退回修改") && me.contains("审核意见：请补充比武的时间和地点"),
        "我的 tells: {me}"
    );
    let mut changed = story("机械厂十一月开展技能比武");
    changed.push(("id", id.as_str()));
    let (status, html) = member.post("/desk", "/api/newsroom/stories/resubmit", &changed).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("审核中 · 第 2 稿"), "{html}");

    // Version 2 passes all three steps again, each by its own reviewer.
    for (who, reviewer) in reviewers.iter().enumerate() {
        let waiting = queue(reviewer).await;
        assert_eq!(waiting, vec![(id.clone(), "2".to_owned())], "step {} waits for reviewer {who}", who + 1);
        let (status, html) = decide(who, "approve", "", "2".to_owned()).await;
        assert_eq!(status, 200, "{html}");
    }
    let (_, desk) = member.get("/desk").await;
    assert!(desk.contains("已采用 · 第 2 稿"), "{desk}");
    assert!(member.get("/me").await.1.contains("《机械厂十一月开展技能比武》已采用"), "and 我的 says so");
    assert!(queue(&reviewers[2]).await.is_empty());
}
