//! Group commit for votes: requests that arrive together are written by one
//! statement.
//!
//! At 齐鲁工匠 volume (15.8 M votes) the cost of a vote was not SQL but the
//! trip to the database: on SQLite each statement is a hop to sqlx's worker
//! thread and back, on PostgreSQL a network round trip, and `perf` put about
//! half the server's time in the kernel switching threads. So one task takes
//! every vote waiting in the queue (up to `MAX_BATCH`, one per member) and
//! inserts them with a single `INSERT … SELECT` over a JSON array, each row
//! within its member's limits exactly as `Store::cast_vote` would. A vote is
//! acknowledged only after that statement has committed.
//!
//! Whatever the batch did not insert — a replayed key, a limit reached, or on
//! PostgreSQL a slot another process took first — goes through
//! `Store::cast_vote` one by one, which tells those cases apart. Votes of a
//! member already in the batch wait for the next one, so the slot counts in
//! one statement never need to see each other's rows.

use std::collections::{HashMap, HashSet};

use tokio::sync::{mpsc, oneshot};

use crate::campaigns::{CastVote, NewVote, VoteError};
use crate::{Campaign, MemberId, Store, StoreError};

/// Votes per statement: large enough that a burst costs a few trips, small
/// enough that one statement stays a few milliseconds.
const MAX_BATCH: usize = 512;
/// Votes waiting beyond this make senders wait (backpressure, bounded memory).
const QUEUE_DEPTH: usize = 8192;

/// A vote with everything owned, so it can wait in the queue.
#[derive(Clone, Debug)]
pub struct QueuedVote {
    pub campaign: std::sync::Arc<Campaign>,
    pub candidate_id: i64,
    pub member: MemberId,
    pub day: i64,
    pub idempotency_key: String,
    pub ip: Option<String>,
    pub now: i64,
}

impl QueuedVote {
    fn as_new_vote(&self) -> NewVote<'_> {
        NewVote {
            campaign: &self.campaign,
            candidate_id: self.candidate_id,
            member: self.member,
            day: self.day,
            idempotency_key: &self.idempotency_key,
            ip: self.ip.as_deref(),
            now: self.now,
        }
    }
}

type Reply = oneshot::Sender<Result<CastVote, VoteError>>;

/// Writing tasks on PostgreSQL: its connections run statements in parallel,
/// so batches need not wait for each other. SQLite has one writer: one task.
const POSTGRES_WRITERS: usize = 4;

/// The sending side; clone it freely. The writing tasks end when the last
/// clone is dropped.
#[derive(Clone, Debug)]
pub struct VoteQueue {
    /// One queue per writing task; a member's votes always take the same
    /// one, so two batches never hold votes of the same member.
    senders: Vec<mpsc::Sender<(QueuedVote, Reply)>>,
}

impl VoteQueue {
    /// Starts the writing tasks on the current tokio runtime.
    pub fn start(store: Store) -> Self {
        let writers = match store {
            Store::Sqlite { .. } => 1,
            Store::Postgres { .. } => POSTGRES_WRITERS,
        };
        let senders = (0..writers)
            .map(|_| {
                let (sender, receiver) = mpsc::channel(QUEUE_DEPTH / writers);
                tokio::spawn(write_votes(store.clone(), receiver));
                sender
            })
            .collect();
        Self { senders }
    }

    /// Votes waiting for a writing task (queued in the channels; the batch
    /// being written and the votes a task holds back are not counted).
    pub fn depth(&self) -> usize {
        self.senders.iter().map(|s| s.max_capacity() - s.capacity()).sum()
    }

    /// Casts `vote`, answering once it is committed (or refused).
    pub async fn cast(&self, vote: QueuedVote) -> Result<CastVote, VoteError> {
        let (reply, answer) = oneshot::channel();
        let gone = || VoteError::Store(StoreError::Corrupt("the vote writer stopped".into()));
        let sender = &self.senders[vote.member.0.rem_euclid(self.senders.len() as i64) as usize];
        sender.send((vote, reply)).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn write_votes(store: Store, mut receiver: mpsc::Receiver<(QueuedVote, Reply)>) {
    // Votes of members already in the previous batch, oldest first.
    let mut waiting: Vec<(QueuedVote, Reply)> = Vec::new();
    loop {
        if waiting.is_empty() {
            match receiver.recv().await {
                Some(first) => waiting.push(first),
                None => return,
            }
        }
        while waiting.len() < MAX_BATCH * 2 {
            match receiver.try_recv() {
                Ok(next) => waiting.push(next),
                Err(_) => break,
            }
        }
        let mut members = HashSet::new();
        let mut batch = Vec::new();
        let mut later = Vec::new();
        for entry in waiting.drain(..) {
            if batch.len() < MAX_BATCH && members.insert(entry.0.member) {
                batch.push(entry);
            } else {
                later.push(entry);
            }
        }
        waiting = later;
        write_batch(&store, batch).await;
    }
}

/// Writes one batch and answers every vote in it.
async fn write_batch(store: &Store, batch: Vec<(QueuedVote, Reply)>) {
    metrics::histogram!("gonghui_vote_batch_size").record(batch.len() as f64);
    let inserted: HashMap<i64, i64> = match store.insert_votes(batch.iter().map(|(v, _)| v)).await {
        Ok(inserted) => inserted.into_iter().collect(),
        Err(e) => {
            // One statement: nothing of the batch was written. Each vote
            // then gets its own answer (and its own error) below.
            tracing::warn!(error = %e, votes = batch.len(), "vote batch failed; casting one by one");
            HashMap::new()
        }
    };
    for (vote, reply) in batch {
        match inserted.get(&vote.member.0) {
            Some(slot) => {
                let _ = reply.send(Ok(CastVote { day_slot: *slot, replayed: false }));
            }
            // Replay, limit or lost slot: the one-by-one path tells which.
            // Off this task, so the next batch need not wait for it; a
            // member's next vote racing it is safe (unique slots).
            None => {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = reply.send(store.cast_vote(&vote.as_new_vote()).await);
                });
            }
        }
    }
}

/// One row per vote; SQLite's `json_each` and PostgreSQL's
/// `jsonb_to_recordset` read the same array, so the statement is prepared once.
fn votes_json<'a>(votes: impl Iterator<Item = &'a QueuedVote>) -> String {
    let mut out = String::from("[");
    for (i, v) in votes.enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Keys are checked to be [A-Za-z0-9_-] and addresses are IP literals,
        // but escape anyway: this string is SQL input.
        let key = json_string(&v.idempotency_key);
        let ip = v.ip.as_deref().map(json_string).unwrap_or_else(|| "null".into());
        out.push_str(&format!(
            r#"{{"campaign_id":{},"candidate_id":{},"member_id":{},"day":{},"idempotency_key":{key},"ip":{ip},"created_at":{},"per_day":{},"per_candidate":{}}}"#,
            v.campaign.id, v.candidate_id, v.member.0, v.day, v.now, v.campaign.votes_per_day, v.campaign.votes_per_candidate,
        ));
    }
    out.push(']');
    out
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The slot counts are the same as `INSERT_VOTE`'s; members in one batch are
/// distinct, so no row's count depends on another row of the same statement.
const INSERT_VOTES_SQLITE: &str = "INSERT OR IGNORE INTO votes \
     (campaign_id, candidate_id, member_id, day, day_slot, candidate_slot, idempotency_key, ip, created_at) \
     SELECT v.campaign_id, v.candidate_id, v.member_id, v.day, v.d + 1, v.c + 1, v.idempotency_key, v.ip, v.created_at \
     FROM (SELECT j.*, \
             (SELECT COUNT(*) FROM votes x WHERE x.member_id = j.member_id AND x.campaign_id = j.campaign_id AND x.day = j.day) AS d, \
             (SELECT COUNT(*) FROM votes x WHERE x.member_id = j.member_id AND x.candidate_id = j.candidate_id AND x.day = j.day) AS c \
           FROM (SELECT json_extract(value, '$.campaign_id') AS campaign_id, json_extract(value, '$.candidate_id') AS candidate_id, \
                        json_extract(value, '$.member_id') AS member_id, json_extract(value, '$.day') AS day, \
                        json_extract(value, '$.idempotency_key') AS idempotency_key, json_extract(value, '$.ip') AS ip, \
                        json_extract(value, '$.created_at') AS created_at, json_extract(value, '$.per_day') AS per_day, \
                        json_extract(value, '$.per_candidate') AS per_candidate \
                 FROM json_each($1)) j) v \
     WHERE v.d < v.per_day AND v.c < v.per_candidate \
     RETURNING member_id, day_slot";

const INSERT_VOTES_POSTGRES: &str = "INSERT INTO votes \
     (campaign_id, candidate_id, member_id, day, day_slot, candidate_slot, idempotency_key, ip, created_at) \
     SELECT v.campaign_id, v.candidate_id, v.member_id, v.day, v.d + 1, v.c + 1, v.idempotency_key, v.ip, v.created_at \
     FROM (SELECT j.*, \
             (SELECT COUNT(*) FROM votes x WHERE x.member_id = j.member_id AND x.campaign_id = j.campaign_id AND x.day = j.day) AS d, \
             (SELECT COUNT(*) FROM votes x WHERE x.member_id = j.member_id AND x.candidate_id = j.candidate_id AND x.day = j.day) AS c \
           FROM jsonb_to_recordset($1::jsonb) AS j(campaign_id BIGINT, candidate_id BIGINT, member_id BIGINT, day INTEGER, \
                idempotency_key TEXT, ip TEXT, created_at BIGINT, per_day BIGINT, per_candidate BIGINT)) v \
     WHERE v.d < v.per_day AND v.c < v.per_candidate \
     ON CONFLICT DO NOTHING \
     RETURNING member_id, day_slot";

impl Store {
    /// Inserts the votes (one per member) that fit their limits and whose
    /// keys and slots are free, in one autocommitted statement; returns
    /// (member, day slot) of each vote inserted. The others are untouched.
    pub async fn insert_votes<'a>(
        &self,
        votes: impl Iterator<Item = &'a QueuedVote>,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let json = votes_json(votes);
        let rows: Vec<(i64, i64)> = match self {
            Store::Sqlite { write, .. } => sqlx::query_as(INSERT_VOTES_SQLITE).bind(json).fetch_all(write).await?,
            Store::Postgres { pool } => {
                let rows: Vec<(i64, i32)> = sqlx::query_as(INSERT_VOTES_POSTGRES).bind(json).fetch_all(pool).await?;
                rows.into_iter().map(|(m, s)| (m, s.into())).collect()
            }
        };
        Ok(rows)
    }
}
