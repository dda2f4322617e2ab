//! The desk beyond review, on SQLite and PostgreSQL: 稿酬 earned at the
//! rate of the day, 报送上级 into the parent's chain, the quarter's figures
//! (通报) against counts this test keeps itself, 对外宣传 否 held by the
//! database, the year's ranking, and which assets a story may carry.

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::testing::TestDb;
use store::{
    AdoptionLevel, AssetKind, Decision, FigureRow, FiguresBy, MemberId, NewAsset, NewStory, ReportError, Store,
    StoryStatus,
};

store::on_both_engines!(
    adoptions_earn_the_rate_of_their_day_and_later_rate_changes_do_not_touch_them,
    a_story_reported_up_enters_the_parents_chain_and_earns_the_parent_rate_there,
    the_quarter_figures_match_the_counts_kept_by_the_test,
    an_outside_medium_never_receives_a_story_marked_not_for_outside_use,
    the_best_correspondents_rank_by_adoptions_and_ties_go_to_the_earlier,
    a_story_carries_only_assets_its_author_may_use,
    a_decision_frees_the_story_for_the_next_steps_reviewer,
);

/// 2026-11-10 in Shanghai: inside 2026Q4.
const NOW: i64 = 1_794_300_000;

struct Seeded {
    /// Correspondents of the two grassroots unions (two in the first).
    authors: [MemberId; 3],
    /// Reviewers; `editor` is 责任编辑 on the city.
    reviewers: [MemberId; 3],
    official: store::Actor,
}

/// Province → city → two grassroots unions; one-step chains at the
/// grassroots and the city so a test moves stories quickly.
async fn seed(store: &Store) -> Seeded {
    let tree = store::testing::unit_tree(&[
        ("37", "", "山东省总工会", "province"),
        ("3701", "37", "济南市总工会", "city"),
        ("37010201", "3701", "机械厂工会", "grassroots"),
        ("37010202", "3701", "纺织厂工会", "grassroots"),
    ]);
    store.import_units(&tree).await.expect("units");
    let mut people = Vec::new();
    for (i, unit) in ["37010201", "37010201", "37010202", "3701", "3701", "37", "3701"].into_iter().enumerate() {
        let phone = Phone::parse(&format!("1390000{i:04}")).expect("phone");
        let name =
            MemberName::parse(&format!("新闻人{}", ["甲", "乙", "丙", "丁", "戊", "己", "庚"][i])).expect("name");
        let unit = UnitCode::parse(unit).expect("code");
        people.push(store.insert_member(&phone, &name, &unit, "not-a-real-hash", NOW).await.expect("member"));
    }
    let city = UnitCode::parse("3701").expect("code");
    store.appoint_official(people[6], &city, people[6], NOW).await.expect("official");
    let official = store.actor(people[6]).await.expect("actor");
    for (member, role) in [(people[3], store::NewsroomRole::Editor), (people[4], store::NewsroomRole::Final)] {
        assert!(store.grant_newsroom_role(&official, member, "3701", role, NOW).await.expect("role"));
    }
    store.set_review_chain("37010201", 1).await.expect("chain");
    store.set_review_chain("37010202", 1).await.expect("chain");
    store.set_review_chain("3701", 2).await.expect("chain");
    Seeded { authors: [people[0], people[1], people[2]], reviewers: [people[3], people[4], people[5]], official }
}

async fn story(store: &Store, author: MemberId, unit: &str, kind: &str, outward: bool, at: i64) -> i64 {
    let new = NewStory {
        desk_unit_code: unit,
        author,
        title: "技能比武",
        body_md: "本周举办技能比武。",
        body_html: "<p>本周举办技能比武。</p>",
        excerpt: "本周举办技能比武。",
        kind,
        event_date: "2026-11-09",
        outward,
        call: None,
        assets: &[],
    };
    let id = store.insert_story_draft(&new, at).await.expect("draft").expect("no assets");
    let steps = store.review_chain_steps(unit).await.expect("steps");
    assert!(store.submit_story(id, steps, false, at).await.expect("submit"));
    id
}

/// Approves every step of story `id`'s current version (reviewers in turn).
async fn adopt(store: &Store, id: i64, reviewers: &[MemberId], at: i64) {
    let state = store.story_state(id).await.unwrap().unwrap();
    for step in 1..=state.steps {
        let status = store
            .decide_story(id, state.version, step, reviewers[(step - 1) as usize], Decision::Approve, "", at)
            .await
            .expect("approve");
        assert_eq!(status == StoryStatus::Ready, step == state.steps);
    }
}

async fn adoptions_earn_the_rate_of_their_day_and_later_rate_changes_do_not_touch_them(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    assert!(store.set_payment_rate(&s.official, "3701", "news", AdoptionLevel::Own, 5_000, NOW).await.unwrap());
    let first = story(store, s.authors[0], "37010201", "news", true, NOW).await;
    adopt(store, first, &s.reviewers, NOW + 60).await;
    // The city raises its rate; the grassroots union's own table would win,
    // but it has none, so the city's applies to stories adopted from now on.
    assert!(store.set_payment_rate(&s.official, "3701", "news", AdoptionLevel::Own, 8_000, NOW + 120).await.unwrap());
    let second = story(store, s.authors[0], "37010201", "news", true, NOW + 180).await;
    adopt(store, second, &s.reviewers, NOW + 240).await;
    let theory = story(store, s.authors[0], "37010201", "theory", true, NOW + 300).await;
    adopt(store, theory, &s.reviewers, NOW + 360).await;

    let (from, to) = domain::Quarter::containing(NOW).bounds();
    let ledger = store.payment_ledger("37", from, to).await.unwrap();
    let earned: Vec<(i64, i64)> = ledger.iter().map(|e| (e.story_id, e.fen)).collect();
    assert_eq!(earned, vec![(first, 5_000), (second, 8_000), (theory, 0)], "no theory rate anywhere: 0");
    assert!(ledger.iter().all(|e| e.level == "own" && e.adopted_by == "机械厂工会"));
    let rates = store.payment_rates("3701").await.unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!(rates[0].fen, 8_000);
    // Out of the official's reach: refused, nothing set.
    assert!(!store.set_payment_rate(&s.official, "37", "news", AdoptionLevel::Own, 1, NOW).await.unwrap());
    assert!(store.payment_rates("37").await.unwrap().is_empty());
}

async fn a_story_reported_up_enters_the_parents_chain_and_earns_the_parent_rate_there(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    assert!(store.set_payment_rate(&s.official, "3701", "news", AdoptionLevel::Own, 3_000, NOW).await.unwrap());
    assert!(store.set_payment_rate(&s.official, "3701", "news", AdoptionLevel::Parent, 10_000, NOW).await.unwrap());
    let id = story(store, s.authors[0], "37010201", "news", true, NOW).await;
    // Not adopted yet: nothing to send up.
    assert!(matches!(store.report_story_up(s.reviewers[0], id, NOW).await, Err(ReportError::NotReady)));
    adopt(store, id, &s.reviewers[2..], NOW + 10).await;
    // Only an editor over the desk sends it up.
    assert!(matches!(store.report_story_up(s.reviewers[1], id, NOW + 20).await, Err(ReportError::NotEditor)));
    assert_eq!(store.report_story_up(s.reviewers[0], id, NOW + 20).await.unwrap(), "济南市总工会");
    let state = store.story_state(id).await.unwrap().unwrap();
    assert_eq!((state.status, state.version, state.steps), (StoryStatus::InReview, 2, 2), "the city's two steps");
    // The city's chain: the editor's 初审 and the final reviewer's 终审.
    adopt(store, id, &s.reviewers[..2], NOW + 30).await;
    let (from, to) = domain::Quarter::containing(NOW).bounds();
    let ledger = store.payment_ledger("3701", from, to).await.unwrap();
    let earned: Vec<(&str, &str, i64)> =
        ledger.iter().map(|e| (e.level.as_str(), e.adopted_by.as_str(), e.fen)).collect();
    assert_eq!(earned, vec![("own", "机械厂工会", 3_000), ("parent", "济南市总工会", 10_000)]);
    let units = store.quarter_figures("3701", from, to, FiguresBy::Unit).await.unwrap();
    let plant = units.iter().find(|r| r.key == "37010201").expect("the plant's row");
    assert_eq!((plant.adopted_own, plant.adopted_parent, plant.reported_up, plant.fen), (1, 1, 1, 13_000));
}

/// Adds a row's figures to the expected row of its key.
fn count(expected: &mut Vec<FigureRow>, key: &str, add: impl Fn(&mut FigureRow)) {
    if !expected.iter().any(|r| r.key == key) {
        expected.push(FigureRow { key: key.to_owned(), ..FigureRow::default() });
    }
    add(expected.iter_mut().find(|r| r.key == key).expect("just added"));
}

async fn the_quarter_figures_match_the_counts_kept_by_the_test(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    assert!(store.set_payment_rate(&s.official, "3701", "model", AdoptionLevel::Own, 2_500, NOW).await.unwrap());
    let (from, to) = domain::Quarter::containing(NOW).bounds();
    let mut by_unit: Vec<FigureRow> = Vec::new();
    let mut by_author: Vec<FigureRow> = Vec::new();
    // 24 stories: every third adopted, every fourth held, every fifth
    // rejected (else left in review); some submitted before the quarter.
    for n in 0..24i64 {
        let author = n as usize % 3;
        let unit = if author == 2 { "37010202" } else { "37010201" };
        let at = if n % 7 == 0 { from - 86_400 * (n + 1) } else { from + 3_600 * n };
        let kind = if n % 2 == 0 { "model" } else { "news" };
        let id = story(store, s.authors[author], unit, kind, true, at).await;
        let decided = at + 600;
        let in_quarter = |t: i64| (from..to).contains(&t);
        let key = s.authors[author].0.to_string();
        let keys = [(&mut by_unit, unit.to_owned()), (&mut by_author, key)];
        let outcome = if n % 3 == 0 {
            adopt(store, id, &s.reviewers[2..], decided).await;
            Some("adopted")
        } else if n % 4 == 0 {
            store.decide_story(id, 1, 1, s.reviewers[2], Decision::Hold, "", decided).await.unwrap();
            Some("held")
        } else if n % 5 == 0 {
            store.decide_story(id, 1, 1, s.reviewers[2], Decision::Reject, "不适合", decided).await.unwrap();
            Some("rejected")
        } else {
            None
        };
        for (rows, key) in keys {
            if in_quarter(at) {
                count(rows, &key, |r| r.submitted += 1);
            }
            if in_quarter(decided) {
                match outcome {
                    Some("adopted") => count(rows, &key, |r| {
                        r.adopted_own += 1;
                        r.fen += if kind == "model" { 2_500 } else { 0 };
                    }),
                    Some("held") => count(rows, &key, |r| r.held += 1),
                    Some("rejected") => count(rows, &key, |r| r.rejected += 1),
                    _ => {}
                }
            }
        }
    }
    let strip = |rows: Vec<FigureRow>| -> Vec<(String, [i64; 6])> {
        let mut rows: Vec<_> = rows
            .into_iter()
            .map(|r| (r.key, [r.submitted, r.adopted_own, r.held, r.rejected, r.late, r.fen]))
            .collect();
        rows.sort();
        rows
    };
    let units = store.quarter_figures("3701", from, to, FiguresBy::Unit).await.unwrap();
    assert_eq!(strip(units), strip(by_unit.clone()));
    let people = store.quarter_figures("3701", from, to, FiguresBy::Correspondent).await.unwrap();
    assert_eq!(strip(people), strip(by_author));
    // One grassroots union's subtree holds only its own row.
    let one = store.quarter_figures("37010202", from, to, FiguresBy::Unit).await.unwrap();
    assert_eq!(strip(one), strip(by_unit.into_iter().filter(|r| r.key == "37010202").collect()));
}

async fn an_outside_medium_never_receives_a_story_marked_not_for_outside_use(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    let inward = story(store, s.authors[0], "37010201", "news", false, NOW).await;
    adopt(store, inward, &s.reviewers[2..], NOW + 10).await;
    assert!(!store.story_may_go_outside(inward).await.unwrap());
    assert!(store.record_outside_adoption(s.reviewers[0], inward, "齐鲁晚报", NOW + 20).await.is_err());
    let raw = db
        .execute_raw(&format!(
            "INSERT INTO adoptions (story_id, author_id, origin_unit, medium, level, kind, fen, at) \
             SELECT id, author_id, origin_unit_id, '齐鲁晚报', 'outside', kind, 0, 1 FROM stories WHERE id = {inward}"
        ))
        .await;
    assert!(raw.is_err(), "the database itself refuses it");

    let outward = story(store, s.authors[0], "37010201", "news", true, NOW).await;
    adopt(store, outward, &s.reviewers[2..], NOW + 10).await;
    assert!(store.record_outside_adoption(s.reviewers[0], outward, "齐鲁晚报", NOW + 20).await.unwrap());
    assert!(
        !store.record_outside_adoption(s.reviewers[0], outward, "齐鲁晚报", NOW + 30).await.unwrap(),
        "once per medium"
    );
    assert!(
        !store.record_outside_adoption(s.reviewers[1], outward, "大众日报", NOW + 30).await.unwrap(),
        "editors only"
    );
}

async fn the_best_correspondents_rank_by_adoptions_and_ties_go_to_the_earlier(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    // 甲 and 丙 both have two adoptions; 丙 reached two first. 乙 has one.
    for (author, unit, at) in
        [(0, "37010201", 100), (2, "37010202", 110), (2, "37010202", 120), (1, "37010201", 130), (0, "37010201", 140)]
    {
        let id = story(store, s.authors[author], unit, "news", true, NOW + at).await;
        adopt(store, id, &s.reviewers[2..], NOW + at).await;
    }
    let (from, to) = domain::calendar::year_bounds(2026);
    let ranked = store.best_correspondents("37", from, to, 10).await.unwrap();
    let order: Vec<(i64, i64)> = ranked.iter().map(|r| (r.author_id, r.adopted)).collect();
    assert_eq!(order, vec![(s.authors[2].0, 2), (s.authors[0].0, 2), (s.authors[1].0, 1)]);
}

async fn a_story_carries_only_assets_its_author_may_use(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    let asset = |token: &'static str, unit: &'static str, by: MemberId, shared_down: bool| NewAsset {
        token,
        unit_code: unit,
        kind: AssetKind::Photo,
        title: "比武现场",
        tags: "技能",
        file_name: "a.jpg",
        content_type: "image/jpeg",
        size_bytes: 1000,
        width: Some(4),
        height: Some(3),
        blob_key: token,
        thumbs: "",
        shared_down,
        uploaded_by: by,
    };
    let own = store.insert_asset(&asset("t-own", "37010201", s.authors[1], false), NOW).await.unwrap();
    let other = store.insert_asset(&asset("t-other", "37010202", s.authors[2], false), NOW).await.unwrap();
    let city_shared = store.insert_asset(&asset("t-city", "3701", s.reviewers[0], true), NOW).await.unwrap();
    let city_kept = store.insert_asset(&asset("t-kept", "3701", s.reviewers[0], false), NOW).await.unwrap();
    let draft = |assets: &'static [i64]| NewStory {
        desk_unit_code: "37010201",
        author: s.authors[0],
        title: "技能比武",
        body_md: "正文",
        body_html: "<p>正文</p>",
        excerpt: "正文",
        kind: "news",
        event_date: "2026-11-09",
        outward: true,
        call: None,
        assets,
    };
    let stored = |ids: Vec<i64>| -> &'static [i64] { Box::leak(ids.into_boxed_slice()) };
    for refused in [other, city_kept] {
        assert_eq!(store.insert_story_draft(&draft(stored(vec![own, refused])), NOW).await.unwrap(), None);
    }
    assert!(store.stories_of(s.authors[0]).await.unwrap().is_empty(), "nothing saved when an asset is refused");
    let id = store.insert_story_draft(&draft(stored(vec![city_shared, own])), NOW).await.unwrap().expect("saved");
    let attached: Vec<i64> = store.story_assets(id).await.unwrap().iter().map(|a| a.id).collect();
    assert_eq!(attached, vec![city_shared, own], "in the order chosen");
    let library: Vec<i64> =
        store.asset_library("37010201", "", 0, i64::MAX, 10).await.unwrap().iter().map(|a| a.id).collect();
    assert_eq!(library.len(), 2);
    assert!(library.contains(&own) && library.contains(&city_shared));
    let found = store.asset_library("37010201", "技能", 0, i64::MAX, 10).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(store.asset_library("37010201", "防汛", 0, i64::MAX, 10).await.unwrap().is_empty());
}

async fn a_decision_frees_the_story_for_the_next_steps_reviewer(db: TestDb) {
    let store = db.store();
    let s = seed(store).await;
    store.set_review_chain("37010201", 2).await.unwrap();
    let id = story(store, s.authors[0], "37010201", "news", true, NOW).await;
    // 初审 takes it up: the 终审 reviewer sees who has it.
    assert_eq!(store.lock_story(s.reviewers[0], id, NOW, NOW + 900).await.unwrap(), None);
    let held = store.story_lock_holder(s.reviewers[1], id, NOW + 1).await.unwrap();
    assert_eq!(held.map(|(_, until)| until), Some(NOW + 900));
    assert!(store.lock_story(s.reviewers[1], id, NOW + 1, NOW + 901).await.unwrap().is_some(), "taken");
    // Approved: the lock goes with the decision; the next step need not wait.
    store.decide_story(id, 1, 1, s.reviewers[0], Decision::Approve, "", NOW + 2).await.unwrap();
    assert_eq!(store.story_lock_holder(s.reviewers[1], id, NOW + 3).await.unwrap(), None);
    // An abandoned lock frees itself when it expires.
    assert_eq!(store.lock_story(s.reviewers[1], id, NOW + 3, NOW + 903).await.unwrap(), None);
    assert!(store.story_lock_holder(s.reviewers[0], id, NOW + 902).await.unwrap().is_some());
    assert_eq!(store.story_lock_holder(s.reviewers[0], id, NOW + 903).await.unwrap(), None);
}
