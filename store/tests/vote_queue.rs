//! Group-committed votes keep every rule a single vote keeps, on SQLite and
//! on PostgreSQL: daily and per-candidate limits, one count per key, and an
//! answer for every vote that matches what was stored.

use std::sync::Arc;

use domain::member::{MemberName, Phone};
use domain::UnitCode;
use store::{CastVote, MemberId, NewCampaign, NewCandidate, QueuedVote, Store, VoteError, VoteQueue};

macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $scenario() {
                super::$scenario(store::testing::TestDb::sqlite().await.store().clone()).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $scenario() {
                let Some(db) = store::testing::TestDb::postgres().await else { return };
                super::$scenario(db.store().clone()).await
            })*
        }
    };
}

on_both_engines!(
    a_burst_from_many_members_stores_each_within_their_limits_and_answers_truthfully,
    a_key_sent_twice_in_one_burst_counts_once_and_both_answers_agree,
);

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 20_700;
const MEMBERS: usize = 20;

/// A campaign (3 votes a day, 2 per candidate) with two candidates, and
/// `MEMBERS` members. Returns the campaign and the candidate ids.
async fn seed(store: &Store) -> (Arc<store::Campaign>, Vec<i64>, Vec<MemberId>) {
    let tree = store::testing::unit_tree(&[
        ("37", "", "山东省总工会", "province"),
        ("37010201", "37", "机械厂工会", "grassroots"),
    ]);
    store.import_units(&tree).await.expect("units");
    let unit = UnitCode::parse("37010201").expect("code");
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let phone = Phone::parse(&format!("1390000{i:04}")).expect("phone");
        let name = MemberName::parse("测试会员").expect("name");
        members.push(store.insert_member(&phone, &name, &unit, "not-a-real-hash", NOW).await.expect("member"));
    }
    let campaign =
        NewCampaign { votes_per_day: 3, votes_per_candidate: 2, ..NewCampaign::voting_now("burst", "37", NOW) };
    let id = store.insert_campaign(&campaign, NOW).await.expect("campaign");
    let candidates =
        [1, 2].map(|n| NewCandidate { number: n, name: "候选人", unit_code: "37010201", title: "", story_html: "" });
    store.insert_candidates(id, &candidates, NOW).await.expect("candidates");
    let campaign = Arc::new(store.campaign_by_slug("burst").await.expect("read").expect("campaign"));
    let ids = store.candidates(id).await.expect("candidates").iter().map(|c| c.id).collect();
    (campaign, ids, members)
}

fn vote(campaign: &Arc<store::Campaign>, candidate: i64, member: MemberId, key: String) -> QueuedVote {
    QueuedVote {
        campaign: campaign.clone(),
        candidate_id: candidate,
        member,
        day: DAY,
        idempotency_key: key,
        ip: None,
        now: NOW,
    }
}

async fn a_burst_from_many_members_stores_each_within_their_limits_and_answers_truthfully(store: Store) {
    let (campaign, candidates, members) = seed(&store).await;
    let queue = VoteQueue::start(store.clone());
    // Each member sends 5 votes at once: 3 for candidate 1, 2 for candidate 2.
    let mut sent = Vec::new();
    for member in &members {
        for (j, candidate) in [0, 0, 0, 1, 1].into_iter().enumerate() {
            let queue = queue.clone();
            let v = vote(&campaign, candidates[candidate], *member, format!("k{}-{j}", member.0));
            sent.push((member.0, candidate, tokio::spawn(async move { queue.cast(v).await })));
        }
    }
    let mut slots = std::collections::HashMap::<i64, Vec<i64>>::new();
    let mut accepted_per_candidate = [0i64; 2];
    for (member, candidate, answer) in sent {
        match answer.await.expect("task") {
            Ok(CastVote { day_slot, replayed: false }) => {
                slots.entry(member).or_default().push(day_slot);
                accepted_per_candidate[candidate] += 1;
            }
            Ok(CastVote { replayed: true, .. }) => panic!("no key was sent twice"),
            Err(VoteError::DailyLimit | VoteError::CandidateLimit) => {}
            Err(other) => panic!("unexpected answer: {other}"),
        }
    }
    // Every member got exactly their 3 votes a day, in slots 1, 2 and 3.
    for member in &members {
        let mut got = slots.remove(&member.0).unwrap_or_default();
        got.sort();
        assert_eq!(got, vec![1, 2, 3], "member {}", member.0);
    }
    // What was acknowledged is what is stored, per candidate, and no
    // candidate got more than 2 of anyone's votes.
    let tallies = store.vote_tallies(campaign.id).await.expect("tallies");
    for (i, id) in candidates.iter().enumerate() {
        let stored = tallies.iter().find(|(c, _)| c == id).map(|(_, n)| *n).unwrap_or(0);
        assert_eq!(stored, accepted_per_candidate[i], "candidate {}", i + 1);
        assert!(stored <= 2 * MEMBERS as i64);
    }
}

async fn a_key_sent_twice_in_one_burst_counts_once_and_both_answers_agree(store: Store) {
    let (campaign, candidates, members) = seed(&store).await;
    let queue = VoteQueue::start(store.clone());
    let mut sent = Vec::new();
    for member in &members {
        for _ in 0..2 {
            let queue = queue.clone();
            let v = vote(&campaign, candidates[0], *member, format!("same-{}", member.0));
            sent.push(tokio::spawn(async move { queue.cast(v).await }));
        }
    }
    let mut answers = Vec::new();
    for answer in sent {
        answers.push(answer.await.expect("task").expect("both count as done"));
    }
    for pair in answers.chunks(2) {
        assert_eq!(pair[0].day_slot, 1);
        assert_eq!(pair[1].day_slot, 1);
        assert_eq!(pair.iter().filter(|a| a.replayed).count(), 1, "one stored, one replay: {pair:?}");
    }
    let tallies = store.vote_tallies(campaign.id).await.expect("tallies");
    assert_eq!(tallies.iter().map(|(_, n)| n).sum::<i64>(), MEMBERS as i64);
}
