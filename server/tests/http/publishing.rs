//! Publishing over HTTP, as members and officials meet it without
//! JavaScript: an editor publishes an adopted story, it reaches a member's
//! feed once, a shared link is opened, liked, commented (held by a watched
//! word, approved, then visible), sent down to two units and republished by
//! one, and the tracking page shows the views by the sharing unit. Then the
//! watchlist tiers, corrections and withdrawals, who may do what, bad input,
//! and the demo's feed.

use std::time::Duration;

use crate::support::{make_admin, Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    @more a_published_story_is_read_shared_liked_commented_sent_down_republished_and_tracked,
    watched_words_block_hold_and_alert_and_the_alert_page_counts_them_per_day,
    a_correction_shows_with_its_time_and_a_withdrawn_article_leaves_every_feed,
    who_may_publish_moderate_send_down_and_track_is_a_matrix,
    every_wrong_field_is_refused_next_to_it_and_nothing_changes,
    the_demo_feed_has_a_dozen_articles_with_pictures_and_their_pages_are_complete,
    the_ranking_sums_each_units_subtree_and_ranks_its_children_by_what_is_asked,
    a_digest_gathers_the_days_articles_from_below_in_the_chosen_order,
    the_big_screen_is_complete_html_and_its_event_stream_sends_the_next_rendering
);

/// Story `title` by the member with `author_phone`, adopted at `desk`'s
/// desk: written, submitted to a one-step chain and approved, straight
/// through the store (the review itself is tested in newsroom.rs).
pub(crate) async fn adopted_story(db: &TestDb, desk: &str, author_phone: &str, title: &str) -> i64 {
    adopted_story_with(db, desk, author_phone, title, true, &[]).await
}

/// `adopted_story`, marked 对外宣传 or not, with library assets attached.
pub(crate) async fn adopted_story_with(
    db: &TestDb,
    desk: &str,
    author_phone: &str,
    title: &str,
    outward: bool,
    assets: &[i64],
) -> i64 {
    let store = store::Store::connect(db.url(), &Default::default()).await.unwrap();
    let member = |phone: &str| {
        let store = store.clone();
        let phone = domain::Phone::parse(phone).unwrap();
        async move { store.credentials_by_phone(&phone).await.unwrap().unwrap().member.id }
    };
    let author = member(author_phone).await;
    let reviewer = member("13800000001").await;
    let body = format!("{title}。职工们说，**这件事办到了心坎上**。");
    let html = format!("<p>{title}。职工们说，<strong>这件事办到了心坎上</strong>。</p>");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let id = store
        .insert_story_draft(
            &store::NewStory {
                desk_unit_code: desk,
                author,
                title,
                body_md: &body,
                body_html: &html,
                excerpt: title,
                kind: "news",
                event_date: "2026-11-30",
                outward,
                call: None,
                assets,
            },
            now,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(store.submit_story(id, 1, false, now).await.unwrap());
    store.decide_story(id, 1, 1, reviewer, store::Decision::Approve, "", now).await.unwrap();
    store.close().await;
    id
}

/// The super admin (13800000001), an editor of 济南市总工会's subtree
/// (13700000001) and a member of 历下区机械厂工会 (13600000001).
pub(crate) async fn newsroom(server: &RunningServer, db: &TestDb) -> (Person, Person, Person) {
    let admin = Person::new(server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");
    let editor = Person::new(server);
    editor.register("13700000001", "李编辑", "370100").await;
    let (status, html) = admin
        .post(
            "/admin/correspondents",
            "/api/admin/newsroom/roles",
            &[("phone", "13700000001"), ("unit", "370100"), ("role", "editor")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let member = Person::new(server);
    member.register("13600000001", "赵会员", "37010201").await;
    (admin, editor, member)
}

/// A browser without cookies, known by its User-Agent (so two of them from
/// this one address are two visitors).
fn visitor(agent: &str) -> reqwest::Client {
    reqwest::Client::builder().user_agent(agent).build().unwrap()
}

async fn read(client: &reqwest::Client, server: &RunningServer, path: &str) -> (u16, String) {
    let response = client.get(server.url(path)).header("Accept", "text/html").send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A form's fields as posted.
type Form<'a> = Vec<(&'a str, &'a str)>;

/// The main part of a page (without the serialised resources after it).
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

/// The article id a publish answer sent the browser to (`/a/{id}`).
fn article_id(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_owned()
}

/// Publishes story `story` as `person`; the article's id.
pub(crate) async fn publish(person: &Person, story: i64) -> String {
    let (status, location) =
        person.post_for_location("/desk/review", "/api/newsroom/publish", &[("id", &story.to_string())]).await;
    assert_eq!(status, 303, "published: {location}");
    article_id(&location)
}

/// Waits (up to 5 s) until `page` as `person` contains `text`: views are
/// written in batches, a moment after the page that counted them.
pub(crate) async fn eventually(person: &Person, page: &str, text: &str) -> String {
    let mut html = String::new();
    // Up to 10 s: background workers run late on a loaded machine.
    for _ in 0..100 {
        html = person.get(page).await.1;
        if html.contains(text) {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{page} never showed {text}: {}", &html[html.len().saturating_sub(3000)..]);
}

async fn a_published_story_is_read_shared_liked_commented_sent_down_republished_and_tracked(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, editor, member) = newsroom(&server, &db).await;
    let story = adopted_story(&db, "370100", "13700000001", "济南工会为环卫工人建暖心驿站").await;
    assert!(!member.get("/").await.1.contains("济南工会为环卫工人建暖心驿站"), "not before it is published");

    // One click on the review page publishes it on 济南市总工会's channel.
    let (_, review) = editor.get("/desk/review").await;
    assert!(review.contains("发布到频道"), "the adopted story offers publishing");
    let id = publish(&editor, story).await;
    let (status, _) = editor.post("/desk/review", "/api/newsroom/publish", &[("id", &story.to_string())]).await;
    assert_eq!(status, 409, "a story is published once");

    // The member's feed (their unit and every unit above) has it, once;
    // a signed-out visitor's (the province's channel) does not.
    let (_, feed) = member.get("/").await;
    assert_eq!(main_of(&feed).matches(&format!(r#"href="/a/{id}""#)).count(), 1, "{}", main_of(&feed));
    assert!(!read(&visitor("V0"), &server, "/").await.1.contains("济南工会为环卫工人建暖心驿站"));
    assert!(read(&visitor("V0"), &server, "/c/370100").await.1.contains("济南工会为环卫工人建暖心驿站"), "its channel");

    // The member's page carries their share link; two visitors open it.
    let (status, page) = member.get(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    let at =
        page.find(&format!("/a/{id}?s=")).expect("a share link with the member's tag") + format!("/a/{id}?s=").len();
    let tag: String = page[at..].chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(tag.len(), 32);
    let shared = format!("/a/{id}?s={tag}");
    for agent in ["V1", "V2", "V1"] {
        let (status, html) = read(&visitor(agent), &server, &shared).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<h1>济南工会为环卫工人建暖心驿站</h1>")
                && html.contains("<strong>这件事办到了心坎上</strong>")
        );
        assert!(
            html.contains(r#"<meta property="og:title" content="济南工会为环卫工人建暖心驿站">"#),
            "the Open Graph card"
        );
        assert!(html.contains(&format!(r#"src="/a/{id}/qr.svg?s={tag}""#)), "the QR code carries the same tag");
        assert!(html.contains(&format!("{shared}</span>")), "a signed-out reader passes the tag on");
        assert!(html.contains("登录后点赞、评论"));
    }
    let qr = visitor("V1").get(server.url(&format!("/a/{id}/qr.svg?s={tag}"))).send().await.unwrap();
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");

    // A like, then the same button takes it back.
    let like = [("id", id.as_str())];
    let (status, _) = member.post_for_location(&format!("/a/{id}"), "/api/articles/like", &like).await;
    assert_eq!(status, 303);
    assert!(member.get(&format!("/a/{id}")).await.1.contains("已赞 1"));
    member.post_for_location(&format!("/a/{id}"), "/api/articles/like", &like).await;
    assert!(member.get(&format!("/a/{id}")).await.1.contains("点赞 0"), "a second like is an unlike");
    member.post_for_location(&format!("/a/{id}"), "/api/articles/like", &like).await;

    // A comment with a watched word (spaced out) is held for the moderators:
    // its author sees it at once, others only once an official approves.
    let (status, html) = admin
        .post("/admin/watchwords", "/api/admin/watchwords/set", &[("unit", "37"), ("word", "欠薪"), ("tier", "hold")])
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已设置监测词“欠薪”：待审"), "the notice on the page");
    let comment = [("id", id.as_str()), ("body", "听说有工地 欠 薪，工会能帮忙问问吗？")];
    let (status, html) = member.post(&format!("/a/{id}"), "/api/articles/comment", &comment).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("评论已提交，需人工审核后才能显示"), "{html}");
    assert!(member.get(&format!("/a/{id}")).await.1.contains("审核中，仅您可见"));
    assert!(!read(&visitor("V1"), &server, &format!("/a/{id}")).await.1.contains("工会能帮忙问问吗"));
    let (_, queue) = admin.get("/admin/comments").await;
    assert!(queue.contains("含监测词：欠薪") && queue.contains("工会能帮忙问问吗"), "held and flagged");
    let at = queue.find(r#"id="comment-"#).unwrap() + r#"id="comment-"#.len();
    let comment_id: String = queue[at..].chars().take_while(char::is_ascii_digit).collect();
    let (status, _) = admin.post("/admin/comments", "/api/admin/comments/approve", &[("id", &comment_id)]).await;
    assert_eq!(status, 200);
    let (_, html) = read(&visitor("V3"), &server, &format!("/a/{id}")).await;
    assert!(html.contains("工会能帮忙问问吗") && html.contains("赵**"), "visible, the name masked");

    // 下发 to two districts with a note; one republishes it in one click.
    let (status, html) = admin
        .post(
            &format!("/a/{id}"),
            "/api/newsroom/articles/distribute",
            &[("id", &id), ("unit", "370100"), ("targets[]", "370102"), ("targets[]", "370103"), ("note", "请转载")],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已下发到 2 个单位"), "{html}");
    let (_, inbox) = editor.get("/desk/inbox").await;
    assert!(inbox.contains("下发 · 济南市总工会 → 历下区总工会") && inbox.contains("说明：请转载"), "{inbox}");
    editor.get(&format!("/a/{id}")).await;
    let (status, html) =
        editor.post("/desk/inbox", "/api/newsroom/articles/republish", &[("id", &id), ("unit", "370102")]).await;
    assert_eq!(status, 200, "{html}");
    let (_, sent) = admin.get("/desk/inbox").await;
    assert!(sent.contains("2 个单位 · 已查看 2 · 已转载 1"), "who received, opened, republished: {}", main_of(&sent));
    let (_, feed) = member.get("/").await;
    let cards = main_of(&feed).matches(&format!(r#"href="/a/{id}""#)).count();
    assert_eq!(cards, 1, "republished below, still once in the feed");
    assert!(read(&visitor("V0"), &server, "/c/370102").await.1.contains("济南工会为环卫工人建暖心驿站"));

    // Tracking: two visitors by the member's link (V1 counted once today),
    // credited to the member's unit; the rest came directly.
    let tracking =
        eventually(&editor, &format!("/desk/articles/{id}"), "历下区机械厂工会</strong>：2 次阅读（1 人分享）").await;
    assert!(tracking.contains("<strong>1</strong><span>有效分享</span>"), "{tracking}");
    assert!(
        tracking.contains("<strong>1</strong><span>点赞</span>")
            && tracking.contains("<strong>1</strong><span>评论</span>")
    );
    assert_eq!(member.get(&format!("/desk/articles/{id}")).await.0, 403, "tracking is for its staff");
}

async fn watched_words_block_hold_and_alert_and_the_alert_page_counts_them_per_day(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, editor, member) = newsroom(&server, &db).await;
    let story = adopted_story(&db, "370102", "13700000001", "历下区职工书屋开放").await;
    let id = publish(&editor, story).await;
    for (word, tier, whole) in
        [("垃圾广告", "block", ""), ("维权", "hold", ""), ("欠薪", "alert", ""), ("sb", "block", "1")]
    {
        let mut form = vec![("unit", "370100"), ("word", word), ("tier", tier)];
        if !whole.is_empty() {
            form.push(("whole_word", whole));
        }
        let (status, html) = admin.post("/admin/watchwords?unit=370100", "/api/admin/watchwords/set", &form).await;
        assert_eq!(status, 200, "{html}");
    }
    let page = format!("/a/{id}");
    let say = |body: &'static str| {
        let (member, page, id) = (&member, page.clone(), id.clone());
        async move { member.post(&page, "/api/articles/comment", &[("id", id.as_str()), ("body", body)]).await }
    };
    // Block: refused at once, naming the word — also full-width and spaced.
    for body in ["这是垃圾广告", "这是垃 圾·广 告", "骂人ＳＢ！"] {
        let (status, html) = say(body).await;
        assert_eq!(status, 400, "{body}");
        assert!(html.contains("评论含有不允许发布的词语"), "{html}");
    }
    // Whole-word: "sb" inside "usb" is not the word.
    let (status, html) = say("我的usb接口坏了").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("审核通过后其他人可见"), "not held: {html}");
    // Hold: to the queue, flagged; alert: queued as usual, counted.
    assert!(say("我要维 权").await.1.contains("需人工审核"));
    assert_eq!(say("有人欠薪了").await.0, 200);
    assert_eq!(say("又是欠薪").await.0, 200);
    let (_, queue) = admin.get("/admin/comments").await;
    assert!(queue.contains("含监测词：维权"), "{queue}");
    assert_eq!(queue.matches("含监测词").count(), 1, "only the held one is flagged");
    assert_eq!(queue.matches(r#"class="card request""#).count(), 4, "the refused ones were not stored");
    let (_, alerts) = admin.get("/admin/watchwords?unit=370100").await;
    let today = domain::CivilDate::in_shanghai(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64,
    )
    .iso();
    assert!(alerts.contains(&format!("<td>{today}</td><td>欠薪</td><td>预警</td><td>2</td>")), "{alerts}");
    assert!(alerts.contains(&format!("<td>{today}</td><td>维权</td><td>待审</td><td>1</td>")), "{alerts}");
    // The list applies below 济南市总工会, not to a channel beside it.
    let _ = editor;
}

async fn a_correction_shows_with_its_time_and_a_withdrawn_article_leaves_every_feed(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (_admin, editor, member) = newsroom(&server, &db).await;
    let story = adopted_story(&db, "370100", "13700000001", "济南职工运动会开幕").await;
    let id = publish(&editor, story).await;
    let (status, html) = editor
        .post(
            &format!("/a/{id}"),
            "/api/newsroom/articles/correct",
            &[
                ("id", &id),
                ("title", "济南职工运动会开幕"),
                ("body", "参赛职工 1 800 名。"),
                ("note", "参赛人数由 1 600 更正为 1 800"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    let (_, page) = member.get(&format!("/a/{id}")).await;
    assert!(page.contains("参赛职工 1 800 名") && !page.contains("这件事办到了心坎上"), "the corrected text");
    assert!(page.contains("更正（") && page.contains("）：参赛人数由 1 600 更正为 1 800"), "{page}");

    // A scheduled article shows from its time on, to its staff before.
    let later = adopted_story(&db, "370100", "13700000001", "明天发布的通知").await;
    let (status, location) = editor
        .post_for_location(
            "/desk/review",
            "/api/newsroom/publish",
            &[("id", &later.to_string()), ("when", "2099-01-01T08:00")],
        )
        .await;
    assert_eq!(status, 303);
    let scheduled = article_id(&location);
    assert!(!member.get("/").await.1.contains("明天发布的通知"));
    assert_eq!(member.get(&format!("/a/{scheduled}")).await.0, 404);
    assert!(editor.get(&format!("/a/{scheduled}")).await.1.contains("定时发布"));

    let (status, _) = editor
        .post(&format!("/a/{id}"), "/api/newsroom/articles/withdraw", &[("id", &id), ("reason", "内容有误")])
        .await;
    assert_eq!(status, 200);
    assert!(!member.get("/").await.1.contains("济南职工运动会开幕"), "out of the feed");
    let (status, page) = read(&visitor("V1"), &server, &format!("/a/{id}")).await;
    assert_eq!(status, 200, "the link still opens");
    let page = main_of(&page);
    assert!(page.contains("撤稿。内容有误") && !page.contains("参赛职工"), "and says so, without the text: {page}");
    let (status, _) = member.post(&format!("/a/{id}"), "/api/articles/like", &[("id", &id)]).await;
    assert_eq!(status, 409, "a withdrawn article takes no likes");
}

async fn who_may_publish_moderate_send_down_and_track_is_a_matrix(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, editor, member) = newsroom(&server, &db).await;
    // An official of 青岛 (beside 济南) and the member try everything.
    let outsider = Person::new(&server);
    outsider.register("13500000001", "钱官员", "370200").await;
    let (status, html) =
        admin.post("/admin", "/api/admin/officials", &[("phone", "13500000001"), ("unit", "370200")]).await;
    assert!(status == 200 || status == 303, "{status} {html}");
    let story = adopted_story(&db, "370100", "13700000001", "济南市总工会的稿件").await;
    for person in [&outsider, &member] {
        let (status, _) = person.post("/desk/review", "/api/newsroom/publish", &[("id", &story.to_string())]).await;
        assert_eq!(status, 403);
    }
    let id = publish(&editor, story).await;
    member.post(&format!("/a/{id}"), "/api/articles/comment", &[("id", &id), ("body", "写得好")]).await;
    let (_, queue) = admin.get("/admin/comments").await;
    let at = queue.find(r#"id="comment-"#).unwrap() + r#"id="comment-"#.len();
    let comment: String = queue[at..].chars().take_while(char::is_ascii_digit).collect();
    let attempts: [(&str, Form, u16); 7] = [
        ("/api/newsroom/articles/correct", vec![("id", &id), ("title", "改"), ("body", "改"), ("note", "改")], 403),
        ("/api/newsroom/articles/withdraw", vec![("id", &id), ("reason", "撤")], 403),
        ("/api/newsroom/articles/republish", vec![("id", &id), ("unit", "370102")], 403),
        ("/api/newsroom/articles/distribute", vec![("id", &id), ("unit", "370100")], 403),
        ("/api/admin/comments/approve", vec![("id", &comment)], 409),
        ("/api/admin/watchwords/set", vec![("unit", "370100"), ("word", "好"), ("tier", "block")], 403),
        ("/api/admin/watchwords/remove", vec![("unit", "370100"), ("word", "好")], 404),
    ];
    for (action, form, expected) in &attempts {
        let (status, _) = outsider.post(&format!("/a/{id}"), action, form).await;
        assert_eq!(status, *expected, "the outside official: {action}");
        let (status, _) = member.post(&format!("/a/{id}"), action, form).await;
        assert!(status == 403 || status == *expected, "the member: {action} {status}");
    }
    assert_eq!(outsider.get(&format!("/desk/articles/{id}")).await.0, 403);
    assert!(!outsider.get("/admin/comments").await.1.contains("写得好"), "not in the outsider's queue");
    // Nothing changed: the text, the comment still pending, no list words.
    let (_, page) = read(&visitor("V1"), &server, &format!("/a/{id}")).await;
    assert!(page.contains("济南市总工会的稿件") && !page.contains("撤稿") && !page.contains("写得好"));
    assert!(admin.get("/admin/comments").await.1.contains("写得好"));
    assert!(admin.get("/admin/watchwords?unit=370100").await.1.contains("还没有监测词"));
}

async fn every_wrong_field_is_refused_next_to_it_and_nothing_changes(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (admin, editor, member) = newsroom(&server, &db).await;
    let story = adopted_story(&db, "370100", "13700000001", "表格测试稿件").await;
    let (status, html) = editor
        .post("/desk/review", "/api/newsroom/publish", &[("id", &story.to_string()), ("when", "2020-01-01T08:00")])
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("请选择发布时间（不能早于现在），或留空立即发布"), "{html}");
    let id = publish(&editor, story).await;
    let long = "长".repeat(501);
    let table: [(&Person, &str, Form, &str); 7] = [
        (&member, "/api/articles/comment", vec![("id", &id), ("body", "  ")], "请写下评论内容"),
        (&member, "/api/articles/comment", vec![("id", &id), ("body", &long)], "评论不能超过 500 字"),
        (
            &editor,
            "/api/newsroom/articles/correct",
            vec![("id", &id), ("title", ""), ("body", "正文"), ("note", "说明")],
            "请填写标题（60 字以内）",
        ),
        (
            &editor,
            "/api/newsroom/articles/correct",
            vec![("id", &id), ("title", "标题"), ("body", "正文"), ("note", "")],
            "请写明更正了什么（200 字以内）",
        ),
        (&editor, "/api/newsroom/articles/withdraw", vec![("id", &id), ("reason", "")], "请填写撤稿原因（200 字以内）"),
        (
            &admin,
            "/api/admin/watchwords/set",
            vec![("unit", "37"), ("word", "，。！"), ("tier", "block")],
            "请填写要监测的词语",
        ),
        (
            &admin,
            "/api/admin/watchwords/set",
            vec![("unit", "37"), ("word", "工会"), ("tier", "ban")],
            "请选择处理方式",
        ),
    ];
    for (person, action, form, message) in &table {
        let (status, html) = person.post(&format!("/a/{id}"), action, form).await;
        assert_eq!(status, 400, "{action}");
        assert!(html.contains(message), "{action}: {message}");
        assert!(html.contains(r#"class="field-message""#), "next to the field");
    }
    let (_, page) = read(&visitor("V1"), &server, &format!("/a/{id}")).await;
    assert!(page.contains("表格测试稿件") && !page.contains("更正（") && !page.contains("撤稿"));
    assert!(admin.get("/admin/comments").await.1.contains("没有等待审核的评论"));
    assert!(admin.get("/admin/watchwords?unit=37").await.1.contains("还没有监测词"));
}

async fn the_demo_feed_has_a_dozen_articles_with_pictures_and_their_pages_are_complete(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_DEMO_PEOPLE", "true")]);
    let admin = Person::new(&server);
    let (status, _) =
        admin.post("/login", "/api/auth/login", &[("phone", "13800000000"), ("password", "gonghui-demo-2026")]).await;
    assert_eq!(status, 303);
    // A Linyi member's feed: Linyi's and the province's articles, pinned first.
    let linyi = Person::new(&server);
    linyi.register("13600000009", "孙会员", "37130201").await;
    let (_, feed) = linyi.get("/").await;
    assert!(
        feed.contains("置顶 · <!>省总工会部署冬季送温暖活动") || feed.contains("置顶 · 省总工会部署冬季送温暖活动"),
        "{feed}"
    );
    assert!(feed.contains("临沂市总工会惠员卡优惠节启动") && feed.contains("兰山区总工会为新就业形态劳动者建驿站"));
    assert!(!feed.contains("济南市总工会为一线职工送清凉"), "not Jinan's");
    let mut total = 0;
    for page in 1..=3 {
        let (_, html) = admin.get(&format!("/c/37?page={page}")).await;
        total += html.matches(r#"class="card article-card""#).count();
    }
    assert_eq!(total, 3, "the province's channel");
    let cover = feed.find(r#"class="article-cover""#).is_some() || feed.contains("/320\"");
    assert!(cover, "cards carry their pictures");
    // An article page: picture in phone sizes, the moderated comments, tracking for staff.
    let (status, html) = read(&visitor("V1"), &server, "/a/2").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"sizes="(max-width: 720px) 100vw, 720px""#) && html.contains(r#"loading="lazy""#));
    let src = html.find("srcset=\"/m/").map(|at| &html[at + 8..at + 8 + 35]).unwrap();
    let token = &src[3..35];
    let photo = visitor("V1").get(server.url(&format!("/m/{token}/320"))).send().await.unwrap();
    assert_eq!((photo.status().as_u16(), photo.headers()["content-type"].to_str().unwrap()), (200, "image/jpeg"));
    let (_, tracking) = admin.get("/desk/articles/2").await;
    assert!(tracking.contains("经 ") && tracking.contains("转发"), "the demo's propagation tree: {tracking}");
    let (_, queue) = admin.get("/admin/comments").await;
    assert!(queue.contains("含监测词：维权"), "a held demo comment waits");
}

/// The text of an HTML fragment, tags left out.
fn text_of(html: &str) -> String {
    let mut inside = false;
    html.chars()
        .filter(|c| match c {
            '<' => {
                inside = true;
                false
            }
            '>' => {
                inside = false;
                false
            }
            _ => !inside,
        })
        .collect()
}

async fn the_ranking_sums_each_units_subtree_and_ranks_its_children_by_what_is_asked(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (_admin, editor, _member) = newsroom(&server, &db).await;
    // Two articles on 历下区's desk, one on 市中区's: 历下 publishes more,
    // 市中 is read more (three readers against one).
    let mut ids = Vec::new();
    for (desk, title) in [("370102", "历下一"), ("370102", "历下二"), ("370103", "市中一")] {
        ids.push(publish(&editor, adopted_story(&db, desk, "13700000001", title).await).await);
    }
    for agent in ["R1", "R2", "R3"] {
        read(&visitor(agent), &server, &format!("/a/{}", ids[2])).await;
    }
    read(&visitor("R1"), &server, &format!("/a/{}", ids[0])).await;
    // The views are written in a batch; the ranking is then counted (and
    // kept 30 s), so wait for them first.
    eventually(&editor, &format!("/desk/articles/{}", ids[2]), "<strong>3</strong><span>阅读</span>").await;
    eventually(&editor, &format!("/desk/articles/{}", ids[0]), "<strong>1</strong><span>阅读</span>").await;
    let reader = Person::new(&server);
    let by_reads = reader.get("/rank?unit=370100&period=day&sort=reads").await.1;
    let rows = |html: &str| -> Vec<String> {
        main_of(html)
            .split("<tr>")
            .skip(2)
            .map(|row| row.split("</td>").map(text_of).take(6).collect::<Vec<_>>().join(","))
            .collect()
    };
    let top = rows(&by_reads);
    assert_eq!(&top[..2], ["1,市中区总工会,3,1,0,0", "2,历下区总工会,1,2,0,0"], "{top:?}");
    let by_published = rows(&reader.get("/rank?unit=370100&period=day&sort=published").await.1);
    assert_eq!(&by_published[..2], ["1,历下区总工会,1,2,0,0", "2,市中区总工会,3,1,0,0"]);
    let province = rows(&reader.get("/rank?period=quarter").await.1);
    assert_eq!(province[0], "1,济南市总工会,4,3,0,0", "the city sums its districts: {province:?}");
}

async fn a_digest_gathers_the_days_articles_from_below_in_the_chosen_order(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (_admin, editor, member) = newsroom(&server, &db).await;
    let first = publish(&editor, adopted_story(&db, "370102", "13700000001", "历下区的新闻").await).await;
    let second = publish(&editor, adopted_story(&db, "37010201", "13700000001", "机械厂的新闻").await).await;
    publish(&editor, adopted_story(&db, "370100", "13700000001", "市里自己的新闻").await).await;
    let (status, page) = editor.get("/desk/digest?unit=370100").await;
    assert_eq!(status, 200);
    let page = main_of(&page);
    assert!(
        page.contains("历下区的新闻") && page.contains("机械厂的新闻") && !page.contains("市里自己的新闻"),
        "{page}"
    );
    let (status, html) = editor
        .post(
            "/desk/digest",
            "/api/newsroom/digest/publish",
            &[("unit", "370100"), ("ids[]", &first), ("ids[]", &second)],
        )
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("请至少选择一篇文章"));
    let (status, location) = editor
        .post_for_location(
            "/desk/digest",
            "/api/newsroom/digest/publish",
            &[
                ("unit", "370100"),
                ("ids[]", &first),
                ("ids[]", &second),
                ("picked[]", &first),
                ("picked[]", &second),
                ("orders[]", "2"),
                ("orders[]", "1"),
                ("summaries[]", "书屋开放"),
                ("summaries[]", "技能比武<b>"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, digest) = member.get(&location).await;
    let digest = main_of(&digest);
    let (a, b) = (digest.find("机械厂的新闻").unwrap(), digest.find("历下区的新闻").unwrap());
    assert!(a < b, "in the chosen order");
    assert!(digest.contains("：技能比武&lt;b&gt;") && digest.contains("工会新声 · "), "{digest}");
    assert!(member.get("/").await.1.contains("工会新声 · "), "in the feed of members below");
    assert_eq!(member.get("/desk/digest").await.0, 403, "for editors above grassroots");
}

async fn the_big_screen_is_complete_html_and_its_event_stream_sends_the_next_rendering(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (_admin, editor, _member) = newsroom(&server, &db).await;
    publish(&editor, adopted_story(&db, "370102", "13700000001", "大屏上的新闻").await).await;
    let (status, html) = read(&visitor("S"), &server, "/screen").await;
    assert_eq!(status, 200);
    for text in [
        "新闻宣传与服务大屏",
        "<strong>1</strong><span>今日发稿</span>",
        "济南市总工会",
        "各市实名认证率",
        "2026年“齐鲁工匠”评选网络投票",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert!(html.contains("LiveScreen"), "the island that listens to the stream");
    assert!(
        !html.contains(r#"http-equiv="refresh""#)
            && read(&visitor("S"), &server, "/screen?refresh=30")
                .await
                .1
                .contains(r#"http-equiv="refresh" content="30""#),
        "reloads only when asked (no JavaScript)"
    );
    let mut events = visitor("S").get(server.url("/screen/events")).send().await.unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut received = String::new();
    while !received.contains("今日阅读") {
        let chunk = tokio::time::timeout(Duration::from_secs(15), events.chunk())
            .await
            .expect("an event within 15 s")
            .unwrap()
            .unwrap();
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        received.starts_with("event: message") || received.contains("data: <header class=\"screen-head\">"),
        "{received}"
    );
}
