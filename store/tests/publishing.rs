//! Publishing on SQLite and PostgreSQL: only reviewed stories become
//! articles (the database says so), a feed shows each article once however
//! many channels it is on, likes are exact under concurrent toggles, a
//! visitor's views count once a day, and the propagation tree credits the
//! sharer's unit and the resharer's.

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::testing::TestDb;
use store::{Decision, MemberId, NewStory, NewView, Publishing, Store};

store::on_both_engines!(
    only_a_reviewed_story_becomes_an_article_whoever_writes,
    a_feed_shows_each_article_once_pinned_first_and_scheduled_ones_in_their_time,
    concurrent_likes_from_many_members_are_counted_exactly,
    a_visitor_counts_once_a_day_and_shares_are_credited_to_units_two_levels_deep,
);

const NOW: i64 = 1_794_300_000;

struct Seeded {
    author: MemberId,
    reviewer: MemberId,
    members: Vec<MemberId>,
}

/// Province → city → grassroots (and a second city); one-step chains.
async fn seed(store: &Store, extra_members: usize) -> Seeded {
    let tree = store::testing::unit_tree(&[
        ("37", "", "山东省总工会", "province"),
        ("3701", "37", "济南市总工会", "city"),
        ("37010201", "3701", "机械厂工会", "grassroots"),
        ("3713", "37", "临沂市总工会", "city"),
    ]);
    store.import_units(&tree).await.expect("units");
    let mut people = Vec::new();
    for i in 0..(2 + extra_members) {
        let phone = Phone::parse(&format!("139{i:08}")).expect("phone");
        let name = MemberName::parse("会员甲").expect("name");
        let unit = UnitCode::parse(if i % 2 == 0 { "37010201" } else { "3713" }).expect("code");
        people.push(store.insert_member(&phone, &name, &unit, "not-a-real-hash", NOW).await.expect("member"));
    }
    store.make_super_admin(&Phone::parse("13900000001").unwrap()).await.unwrap();
    for unit in ["37", "3701", "37010201", "3713"] {
        store.set_review_chain(unit, 1).await.expect("chain");
    }
    Seeded { author: people[0], reviewer: people[1], members: people[2..].to_vec() }
}

async fn story(store: &Store, s: &Seeded, unit: &str, title: &str) -> i64 {
    let new = NewStory {
        desk_unit_code: unit,
        author: s.author,
        title,
        body_md: "正文。",
        body_html: "<p>正文。</p>",
        excerpt: "正文。",
        kind: "news",
        event_date: "2026-11-09",
        outward: true,
        call: None,
        assets: &[],
    };
    let id = store.insert_story_draft(&new, NOW).await.expect("draft").expect("no assets");
    assert!(store.submit_story(id, 1, false, NOW).await.expect("submit"));
    id
}

async fn published(store: &Store, s: &Seeded, unit: &str, title: &str, at: i64, pinned: bool) -> i64 {
    let id = story(store, s, unit, title).await;
    store.decide_story(id, 1, 1, s.reviewer, Decision::Approve, "", NOW).await.expect("approve");
    store
        .publish_story(Publishing { story: id, by: s.reviewer, publish_at: at, pinned, now: NOW })
        .await
        .expect("publish")
}

async fn only_a_reviewed_story_becomes_an_article_whoever_writes(db: TestDb) {
    let store = db.store();
    let s = seed(store, 0).await;
    let id = story(store, &s, "3701", "未审的稿件").await;
    let refused =
        store.publish_story(Publishing { story: id, by: s.reviewer, publish_at: NOW, pinned: false, now: NOW }).await;
    assert!(matches!(refused, Err(store::PublishError::NotReady)), "the store refuses");
    // Even raw SQL cannot put an unreviewed story on a channel.
    let raw = "INSERT INTO articles (unit_id, story_id, kind, title, body_html, excerpt, outward, published_by, \
               publish_at, created_at, updated_at) \
               SELECT desk_unit_id, id, 'story', title, body_html, excerpt, outward, author_id, 0, 0, 0 FROM stories WHERE id = $1";
    let inserted = match store {
        Store::Sqlite { write, .. } => sqlx::query(raw).bind(id).execute(write).await.map(|_| ()),
        Store::Postgres { pool } => sqlx::query(raw).bind(id).execute(pool).await.map(|_| ()),
    };
    assert!(inserted.unwrap_err().to_string().contains("先审后发"));
    store.decide_story(id, 1, 1, s.reviewer, Decision::Approve, "", NOW).await.expect("approve");
    let member = s.author;
    let by_author =
        store.publish_story(Publishing { story: id, by: member, publish_at: NOW, pinned: false, now: NOW }).await;
    assert!(matches!(by_author, Err(store::PublishError::NotStaff)), "an author without a role does not publish");
    store
        .publish_story(Publishing { story: id, by: s.reviewer, publish_at: NOW, pinned: false, now: NOW })
        .await
        .unwrap();
    let again =
        store.publish_story(Publishing { story: id, by: s.reviewer, publish_at: NOW, pinned: false, now: NOW }).await;
    assert!(matches!(again, Err(store::PublishError::NotReady)), "once");
}

async fn a_feed_shows_each_article_once_pinned_first_and_scheduled_ones_in_their_time(db: TestDb) {
    let store = db.store();
    let s = seed(store, 0).await;
    let old = published(store, &s, "37", "省里的旧闻", NOW - 300, true).await;
    let city = published(store, &s, "3701", "市里的新闻", NOW - 200, false).await;
    let linyi = published(store, &s, "3713", "临沂的新闻", NOW - 100, false).await;
    let later = published(store, &s, "3701", "明天的新闻", NOW + 86_400, false).await;
    // The city's article republished on the grassroots channel too.
    assert!(store.republish(s.reviewer, city, "37010201", NOW).await.unwrap());
    assert!(store.republish(s.reviewer, city, "37010201", NOW).await.unwrap(), "a second time changes nothing");
    let grassroots = store.unit_id_of("37010201").await.unwrap();
    let ids = |cards: Vec<store::ArticleCard>| cards.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let feed = ids(store.feed(grassroots, NOW, 10, 0).await.unwrap());
    assert_eq!(feed, vec![old, city], "pinned first, then newest; once; not Linyi's; not tomorrow's");
    assert_eq!(ids(store.feed(None, NOW, 10, 0).await.unwrap()), vec![old], "visitors: the province");
    let tomorrow = ids(store.feed(grassroots, NOW + 2 * 86_400, 10, 0).await.unwrap());
    assert_eq!(tomorrow, vec![old, later, city]);
    assert_eq!(ids(store.feed(grassroots, NOW, 1, 1).await.unwrap()), vec![city], "paged");
    assert_eq!(ids(store.channel("3713", NOW, 10, 0).await.unwrap()), vec![linyi]);
    assert!(store.withdraw_article(s.reviewer, city, "有误", NOW).await.unwrap());
    assert_eq!(ids(store.feed(grassroots, NOW, 10, 0).await.unwrap()), vec![old], "withdrawn: gone everywhere");
    assert!(!store.republish(s.reviewer, city, "3713", NOW).await.unwrap(), "and not republished");
}

async fn concurrent_likes_from_many_members_are_counted_exactly(db: TestDb) {
    let store = db.store();
    let s = seed(store, 40).await;
    let id = published(store, &s, "37", "热门文章", NOW, false).await;
    // Every member likes; every third takes it back; all at once.
    let mut tasks = Vec::new();
    for (n, member) in s.members.iter().copied().enumerate() {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            assert!(store.toggle_like(member, id, NOW).await.unwrap());
            if n % 3 == 0 {
                assert!(!store.toggle_like(member, id, NOW).await.unwrap());
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let expected = s.members.len() - s.members.len().div_ceil(3);
    assert_eq!(store.article_counts(id).await.unwrap().likes, expected as i64);
    assert!(store.likes(s.members[1], id).await.unwrap() && !store.likes(s.members[0], id).await.unwrap());
}

async fn a_visitor_counts_once_a_day_and_shares_are_credited_to_units_two_levels_deep(db: TestDb) {
    let store = db.store();
    let s = seed(store, 2).await;
    let id = published(store, &s, "37", "大家转发的文章", NOW, false).await;
    // A Jinan member shares; a Linyi member arrives by it and reshares.
    let jinan = store.share_tag(s.members[0], id, None, &"a".repeat(32), NOW).await.unwrap();
    let linyi = store.share_tag(s.members[1], id, Some(&jinan), &"b".repeat(32), NOW).await.unwrap();
    assert_eq!(
        store.share_tag(s.members[0], id, None, &"c".repeat(32), NOW).await.unwrap(),
        jinan,
        "one tag per member"
    );
    let view = |visitor: &str, day: i64, tag: Option<&String>| NewView {
        article: id,
        day,
        visitor: visitor.to_owned(),
        tag: tag.cloned(),
        at: NOW,
    };
    store
        .append_views(&[
            view("v1", 1, Some(&jinan)),
            view("v1", 1, Some(&jinan)),
            view("v2", 1, Some(&jinan)),
            view("v1", 2, Some(&jinan)),
            view("v3", 1, Some(&linyi)),
            view("v4", 1, None),
        ])
        .await
        .unwrap();
    store.append_views(&[view("v2", 1, None)]).await.unwrap();
    let counts = store.article_counts(id).await.unwrap();
    assert_eq!((counts.views, counts.shares), (5, 2), "v1 once a day, v2 once; both tags brought views");
    let tree: Vec<(String, String, i64)> =
        store.propagation(id).await.unwrap().into_iter().map(|r| (r.unit_name, r.via_unit, r.views)).collect();
    assert_eq!(
        tree,
        vec![("机械厂工会".to_owned(), String::new(), 3), ("机械厂工会".to_owned(), "临沂市总工会".to_owned(), 1)]
    );
}
