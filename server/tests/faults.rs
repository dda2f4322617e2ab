//! Crash safety: a server killed (SIGKILL) in the middle of a vote burst
//! loses no acknowledged vote and, once members resend what got no answer,
//! counts every vote exactly once. SQLite (its WAL survives a process crash)
//! and PostgreSQL.

#[macro_use]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use store::testing::TestDb;
use support::{Person, RunningServer};

const CAMPAIGN: &str = server::demo::DEMO_CAMPAIGN_SLUG;
const MEMBERS: usize = 20;
const VOTES_EACH: usize = 10;

const GENEROUS: [(&str, &str); 3] = [
    ("GONGHUI_ACCOUNT_POSTS_PER_MINUTE", "10000"),
    ("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT", "10000"),
    ("GONGHUI_VOTES_PER_MINUTE_PER_ADDRESS", "100000"),
];

/// One vote through the JSON API: `Some(replayed)` when acknowledged.
async fn vote(http: &reqwest::Client, base: &str, number: usize, key: &str) -> Option<bool> {
    let response = http
        .post(format!("{base}/api/vote"))
        .header("Origin", base)
        .form(&[("campaign", CAMPAIGN), ("number", &number.to_string()), ("key", key)])
        .send()
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    let body: serde_json::Value = response.json().await.ok()?;
    body["replayed"].as_bool()
}

on_both_engines_with_db!(@in sqlite_crash, postgres_crash; a_server_killed_mid_burst_keeps_every_acknowledged_vote_exactly_once);

async fn a_server_killed_mid_burst_keeps_every_acknowledged_vote_exactly_once(db: TestDb) {
    let mut first = RunningServer::start(db.url(), &GENEROUS);
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let person = Person::new(&first);
        person.register(&format!("1390000{i:04}"), "投票人", "37010201").await;
        members.push(person.http.clone());
    }

    // Every member votes for ten candidates at once; the server dies once
    // some of the votes have been answered.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (m, http) in members.iter().enumerate() {
        for n in 1..=VOTES_EACH {
            let (http, base, acked) = (http.clone(), first.base.clone(), acknowledged.clone());
            tasks.push(tokio::spawn(async move {
                let key = format!("crash-{m:02}-{n:02}");
                let answer = vote(&http, &base, n, &key).await;
                if answer.is_some() {
                    acked.fetch_add(1, Ordering::SeqCst);
                }
                (m, n, key, answer)
            }));
        }
    }
    let total = MEMBERS * VOTES_EACH;
    while acknowledged.load(Ordering::SeqCst) < total / 5 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    first.child.kill().expect("SIGKILL");
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    let acked: Vec<&(usize, usize, String, Option<bool>)> = outcomes.iter().filter(|o| o.3.is_some()).collect();
    assert!(acked.len() >= total / 5 && acked.len() <= total);
    eprintln!("{} of {total} votes acknowledged before the kill", acked.len());

    // Restarted on the same database; sessions live there too. Members
    // resend every vote (as a client does when it got no answer, and here
    // also the answered ones): each is counted exactly once.
    let second = RunningServer::start(db.url(), &GENEROUS);
    for (m, n, key, answer) in &outcomes {
        let again = vote(&members[*m], &second.base, *n, key).await;
        assert!(again.is_some(), "vote {key} answered after the restart");
        if answer.is_some() {
            assert_eq!(again, Some(true), "an acknowledged vote {key} was stored before the crash");
        }
    }
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db.url()).await.unwrap();
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM votes WHERE idempotency_key LIKE 'crash-%'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored as usize, total, "every vote exactly once ({} acknowledged before the kill)", acked.len());
}
