//! 先审后发 is held by the database, on SQLite and on PostgreSQL: a story is
//! ready only after every step of its chain approved its current version,
//! in order, each step by a different person — whether the store's methods
//! are used or raw SQL tries to skip a step.

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::testing::TestDb;
use store::{Decision, DecisionError, MemberId, NewStory, Store, StoryStatus};

store::on_both_engines!(
    a_story_passes_three_steps_by_three_people_and_is_then_ready,
    skipping_a_step_is_refused_by_the_database_even_in_raw_sql,
    one_person_cannot_approve_two_steps_of_a_story,
    a_returned_story_comes_back_as_a_new_version_that_needs_every_step_again,
    a_unit_without_a_chain_reviews_through_its_nearest_ancestors,
);

const NOW: i64 = 1_796_000_000;

/// The province, a city and a grassroots union; an author and three reviewers.
async fn seed(store: &Store) -> (MemberId, [MemberId; 3]) {
    let tree = store::testing::unit_tree(&[
        ("37", "", "山东省总工会", "province"),
        ("3701", "37", "济南市总工会", "city"),
        ("37010201", "3701", "机械厂工会", "grassroots"),
    ]);
    store.import_units(&tree).await.expect("units");
    let unit = UnitCode::parse("37010201").expect("code");
    let mut people = Vec::new();
    for i in 0..4 {
        let phone = Phone::parse(&format!("1390000{i:04}")).expect("phone");
        let name = MemberName::parse("新闻人").expect("name");
        people.push(store.insert_member(&phone, &name, &unit, "not-a-real-hash", NOW).await.expect("member"));
    }
    (people[0], [people[1], people[2], people[3]])
}

async fn submitted_story(store: &Store, author: MemberId, steps: i64) -> i64 {
    let story = NewStory {
        desk_unit_code: "37010201",
        author,
        title: "机械厂开展技能比武",
        body_md: "本周，机械厂工会举办技能比武。",
        body_html: "<p>本周，机械厂工会举办技能比武。</p>",
        excerpt: "本周，机械厂工会举办技能比武。",
        kind: "news",
        event_date: "2026-11-30",
        outward: true,
        call: None,
        assets: &[],
    };
    let id = store.insert_story_draft(&story, NOW).await.expect("draft").expect("no assets to refuse");
    assert!(store.submit_story(id, steps, false, NOW).await.expect("submit"));
    id
}

async fn status(store: &Store, id: i64) -> StoryStatus {
    store.story_state(id).await.expect("state").expect("story").status
}

async fn a_story_passes_three_steps_by_three_people_and_is_then_ready(db: TestDb) {
    let store = db.store();
    let (author, reviewers) = seed(store).await;
    let id = submitted_story(store, author, 3).await;
    for (step, reviewer) in (1..=3).zip(reviewers) {
        let state = store.story_state(id).await.unwrap().unwrap();
        assert_eq!((state.status, state.next_step), (StoryStatus::InReview, Some(step)));
        let after = store.decide_story(id, 1, step, reviewer, Decision::Approve, "", NOW + step).await.unwrap();
        assert_eq!(after, if step == 3 { StoryStatus::Ready } else { StoryStatus::InReview });
    }
    assert_eq!(status(store, id).await, StoryStatus::Ready);
    // Each reviewer's decision is in the audit log under their name.
    for reviewer in reviewers {
        let actor = store.actor(reviewer).await.unwrap();
        let entries = store.audit_entries(&actor, 10).await.unwrap();
        assert!(entries.iter().any(|e| e.action == "稿件审核" && e.target == format!("稿件 #{id}")), "{entries:?}");
    }
}

async fn skipping_a_step_is_refused_by_the_database_even_in_raw_sql(db: TestDb) {
    let store = db.store();
    let (author, [first, second, third]) = seed(store).await;
    let id = submitted_story(store, author, 3).await;

    // Through the store: step 2 before step 1, and a step beyond the chain.
    let early = store.decide_story(id, 1, 2, second, Decision::Approve, "", NOW).await;
    assert!(matches!(early, Err(DecisionError::NotThisStep)), "{early:?}");
    store.decide_story(id, 1, 1, first, Decision::Approve, "", NOW).await.unwrap();

    // Past the store: straight to ready with one approval of three…
    let skip = db.execute_raw(&format!("UPDATE stories SET status = 'ready' WHERE id = {id}")).await;
    assert!(skip.is_err(), "the database let a story skip two review steps");
    // …or to published; or shortening the chain it was submitted to.
    assert!(db.execute_raw(&format!("UPDATE stories SET status = 'published' WHERE id = {id}")).await.is_err());
    assert!(db.execute_raw(&format!("UPDATE stories SET steps = 1 WHERE id = {id}")).await.is_err());
    // …or writing the missing approvals out of order, or for a step the chain does not have.
    let out_of_order = format!(
        "INSERT INTO story_decisions (story_id, version, step, reviewer_id, decision, at) VALUES ({id}, 1, 3, {}, 'approve', {NOW})",
        third.0
    );
    assert!(db.execute_raw(&out_of_order).await.is_err());
    // …or a ready story inserted as such.
    let born_ready = format!(
        "INSERT INTO stories (desk_unit_id, author_id, title, body_md, body_html, excerpt, kind, event_date, outward, steps, status, created_at, updated_at) \
         SELECT desk_unit_id, author_id, title, body_md, body_html, excerpt, kind, event_date, outward, 1, 'ready', created_at, updated_at \
         FROM stories WHERE id = {id}"
    );
    assert!(db.execute_raw(&born_ready).await.is_err());
    // …or rewriting an approval that is already there.
    assert!(db.execute_raw(&format!("UPDATE story_decisions SET step = 3 WHERE story_id = {id}")).await.is_err());
    assert!(db.execute_raw(&format!("DELETE FROM story_decisions WHERE story_id = {id}")).await.is_err());

    let state = store.story_state(id).await.unwrap().unwrap();
    assert_eq!((state.status, state.steps, state.next_step), (StoryStatus::InReview, 3, Some(2)), "nothing changed");
}

async fn one_person_cannot_approve_two_steps_of_a_story(db: TestDb) {
    let store = db.store();
    let (author, [first, second, _]) = seed(store).await;
    let id = submitted_story(store, author, 3).await;
    store.decide_story(id, 1, 1, first, Decision::Approve, "", NOW).await.unwrap();
    let again = store.decide_story(id, 1, 2, first, Decision::Approve, "", NOW).await;
    assert!(matches!(again, Err(DecisionError::AlreadyApproved)), "{again:?}");
    let twice = store.decide_story(id, 1, 1, second, Decision::Approve, "", NOW).await;
    assert!(matches!(twice, Err(DecisionError::AlreadyApproved)), "a step is approved once: {twice:?}");
    assert_eq!(store.story_state(id).await.unwrap().unwrap().next_step, Some(2));
}

async fn a_returned_story_comes_back_as_a_new_version_that_needs_every_step_again(db: TestDb) {
    let store = db.store();
    let (author, [first, second, third]) = seed(store).await;
    let id = submitted_story(store, author, 3).await;
    store.decide_story(id, 1, 1, first, Decision::Approve, "", NOW).await.unwrap();
    let returned = store.decide_story(id, 1, 2, second, Decision::Return, "补充时间和地点", NOW).await.unwrap();
    assert_eq!(returned, StoryStatus::Returned);
    let late = store.decide_story(id, 1, 2, second, Decision::Approve, "", NOW).await;
    assert!(matches!(late, Err(DecisionError::NotThisStep)), "no decision while it is back with the author");

    assert!(store.submit_story(id, 3, false, NOW + 60).await.unwrap());
    let state = store.story_state(id).await.unwrap().unwrap();
    assert_eq!((state.version, state.next_step), (2, Some(1)), "the first approval was for version 1");
    let stale = store.decide_story(id, 1, 2, second, Decision::Approve, "", NOW + 61).await;
    assert!(matches!(stale, Err(DecisionError::NotThisStep)), "version 1 is no longer under review");
    for (step, reviewer) in (1..=3).zip([first, second, third]) {
        store.decide_story(id, 2, step, reviewer, Decision::Approve, "", NOW + 100 + step).await.unwrap();
    }
    assert_eq!(status(store, id).await, StoryStatus::Ready);
}

async fn a_unit_without_a_chain_reviews_through_its_nearest_ancestors(db: TestDb) {
    let store = db.store();
    seed(store).await;
    assert_eq!(store.review_chain_steps("37010201").await.unwrap(), 3, "三审 unless a unit says otherwise");
    store.set_review_chain("3701", 2).await.unwrap();
    assert_eq!(store.review_chain_steps("37010201").await.unwrap(), 2, "the city's chain");
    store.set_review_chain("37010201", 1).await.unwrap();
    assert_eq!(store.review_chain_steps("37010201").await.unwrap(), 1, "its own");
    assert_eq!(store.review_chain_steps("37").await.unwrap(), 3);
}
