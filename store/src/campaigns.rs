//! Campaigns, candidates and votes.
//!
//! The voting limits are the database's: a vote is one `INSERT … SELECT`
//! that takes the member's next daily slot and next per-candidate slot only
//! while both are within the campaign's limits, and unique indexes stop two
//! votes from sharing a slot. So the limits hold however many server
//! processes take votes at once. A vote is acknowledged only after its row
//! is committed.

use domain::campaign::{Schedule, VoterRule};

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, MemberId, Store, StoreError};

/// A campaign as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Campaign {
    pub id: i64,
    pub slug: String,
    pub unit_code: String,
    pub unit_name: String,
    pub title: String,
    pub description: String,
    pub cover_url: Option<String>,
    pub schedule: Schedule,
    pub voter_rule: VoterRule,
    pub votes_per_day: i64,
    pub votes_per_candidate: i64,
    /// The expert panel's weight in the final score, in percent.
    pub expert_weight_pct: i64,
    /// A contest of members' works (网络展: photos, calligraphy) rather
    /// than of people: entries carry a picture, the page is a gallery.
    pub works: bool,
    /// When the officials published the awards (works contests).
    pub awards_published_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct CampaignRecord {
    id: i64,
    slug: String,
    unit_code: String,
    unit_name: String,
    title: String,
    description: String,
    cover_url: Option<String>,
    signup_starts: i64,
    review_starts: i64,
    voting_starts: i64,
    publicity_starts: i64,
    closes: i64,
    voter_rule: String,
    votes_per_day: i32,
    votes_per_candidate: i32,
    expert_weight_pct: i32,
    kind: String,
    awards_published_at: Option<i64>,
}

impl TryFrom<CampaignRecord> for Campaign {
    type Error = StoreError;
    fn try_from(r: CampaignRecord) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("campaign {}: {what}", r.id));
        Ok(Campaign {
            schedule: Schedule::new(r.signup_starts, r.review_starts, r.voting_starts, r.publicity_starts, r.closes)
                .ok_or_else(|| corrupt("schedule"))?,
            voter_rule: VoterRule::parse(&r.voter_rule).ok_or_else(|| corrupt("voter rule"))?,
            id: r.id,
            slug: r.slug,
            unit_code: r.unit_code,
            unit_name: r.unit_name,
            title: r.title,
            description: r.description,
            cover_url: r.cover_url,
            votes_per_day: r.votes_per_day.into(),
            votes_per_candidate: r.votes_per_candidate.into(),
            expert_weight_pct: r.expert_weight_pct.into(),
            works: r.kind == "works",
            awards_published_at: r.awards_published_at,
        })
    }
}

/// A new campaign (officials, the demo loader, tests).
pub struct NewCampaign<'a> {
    pub slug: &'a str,
    pub unit_code: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub schedule: Schedule,
    pub voter_rule: VoterRule,
    pub votes_per_day: i64,
    pub votes_per_candidate: i64,
    pub expert_weight_pct: i64,
    pub created_by: Option<MemberId>,
    /// A works contest (see `Campaign::works`).
    pub works: bool,
}

impl<'a> NewCampaign<'a> {
    /// A campaign voting now, for tests and benchmarks: sign-up and review
    /// behind it, voting from 100 s ago until tomorrow, results the day
    /// after; anyone registered votes, 5 a day, 5 per candidate. Change what
    /// a test is about with struct update syntax (`..NewCampaign::voting_now(…)`).
    pub fn voting_now(slug: &'a str, unit_code: &'a str, now: i64) -> Self {
        Self {
            slug,
            unit_code,
            title: "测试评选",
            description: "",
            schedule: Schedule::new(now - 300, now - 200, now - 100, now + 86_400, now + 2 * 86_400)
                .expect("an ordered schedule"),
            voter_rule: VoterRule::Registered,
            votes_per_day: 5,
            votes_per_candidate: 5,
            expert_weight_pct: 0,
            created_by: None,
            works: false,
        }
    }
}

/// An approved candidate with the unit's name.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub number: i32,
    pub name: String,
    pub unit_name: String,
    pub title: String,
    pub photo_url: Option<String>,
    pub story_html: String,
    /// The expert panel's score (0–100), once given.
    pub expert_score: Option<i32>,
    /// A works contest's gallery thumbnail (320 px wide).
    pub thumb_url: Option<String>,
    /// 一等奖 … 优秀奖, once given (shown once published).
    pub award: Option<String>,
}

/// A candidate of any status, as officials manage them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CandidateEntry {
    pub id: i64,
    pub number: Option<i32>,
    pub name: String,
    pub unit_name: String,
    pub title: String,
    pub status: String,
    pub story_html: String,
    pub photo_url: Option<String>,
    pub award: Option<String>,
}

/// A new candidate; `story_html` must already be sanitised.
pub struct NewCandidate<'a> {
    pub number: i32,
    pub name: &'a str,
    pub unit_code: &'a str,
    pub title: &'a str,
    pub story_html: &'a str,
}

/// A vote to take. `day` is the Asia/Shanghai day number.
pub struct NewVote<'a> {
    pub campaign: &'a Campaign,
    pub candidate_id: i64,
    pub member: MemberId,
    pub day: i64,
    pub idempotency_key: &'a str,
    pub ip: Option<&'a str>,
    pub now: i64,
}

/// A stored vote: its daily slot tells how many votes remain that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CastVote {
    pub day_slot: i64,
    /// The same idempotency key was seen before: nothing new was counted.
    pub replayed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("no votes left today")]
    DailyLimit,
    #[error("no votes left today for this candidate")]
    CandidateLimit,
    /// The key was used before for a different candidate.
    #[error("idempotency key reused for another vote")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

const SELECT_CAMPAIGN: &str = "SELECT c.id, c.slug, u.code AS unit_code, u.name AS unit_name, c.title, c.description, \
     c.cover_url, c.signup_starts, c.review_starts, c.voting_starts, c.publicity_starts, c.closes, c.voter_rule, \
     c.votes_per_day, c.votes_per_candidate, c.expert_weight_pct, c.kind, c.awards_published_at FROM campaigns c JOIN units u ON u.id = c.unit_id";

/// How often a vote retries after losing a slot to a simultaneous vote of
/// the same member (each retry sees the other vote and takes the next slot).
const VOTE_ATTEMPTS: usize = 8;

impl Store {
    pub async fn insert_campaign(&self, c: &NewCampaign<'_>, now: i64) -> Result<i64, StoreError> {
        let s = c.schedule;
        let (id,): (i64,) = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO campaigns (slug, unit_id, title, description, signup_starts, review_starts, voting_starts, \
                 publicity_starts, closes, voter_rule, votes_per_day, votes_per_candidate, created_by, created_at, expert_weight_pct, kind) \
                 SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 FROM units WHERE code = $2 RETURNING id",
            )
            .bind(c.slug)
            .bind(c.unit_code)
            .bind(c.title)
            .bind(c.description)
            .bind(s.signup_starts)
            .bind(s.review_starts)
            .bind(s.voting_starts)
            .bind(s.publicity_starts)
            .bind(s.closes)
            .bind(c.voter_rule.as_key())
            .bind(c.votes_per_day as i32)
            .bind(c.votes_per_candidate as i32)
            .bind(c.created_by.map(|m| m.0))
            .bind(now)
            .bind(c.expert_weight_pct as i32)
            .bind(if c.works { "works" } else { "people" })
            .fetch_one(pool)
            .await
        })?;
        Ok(id)
    }

    /// Adds approved candidates (officials' nominations, the demo loader).
    pub async fn insert_candidates(
        &self,
        campaign_id: i64,
        candidates: &[NewCandidate<'_>],
        now: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for c in candidates {
                sqlx::query(
                    "INSERT INTO candidates (campaign_id, number, name, unit_id, title, story_html, status, created_at) \
                     SELECT $1, $2, $3, id, $5, $6, 'approved', $7 FROM units WHERE code = $4",
                )
                .bind(campaign_id)
                .bind(c.number)
                .bind(c.name)
                .bind(c.unit_code)
                .bind(c.title)
                .bind(c.story_html)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn campaign_by_slug(&self, slug: &str) -> Result<Option<Campaign>, StoreError> {
        let sql = format!("{SELECT_CAMPAIGN} WHERE c.slug = $1");
        let record: Option<CampaignRecord> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await)?;
        record.map(Campaign::try_from).transpose()
    }

    /// Every campaign not yet closed, newest voting first.
    pub async fn open_campaigns(&self, now: i64) -> Result<Vec<Campaign>, StoreError> {
        let sql = format!("{SELECT_CAMPAIGN} WHERE c.closes > $1 ORDER BY c.voting_starts DESC, c.id DESC");
        let records: Vec<CampaignRecord> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(now).fetch_all(pool).await)?;
        records.into_iter().map(Campaign::try_from).collect()
    }

    /// Every campaign of a unit in the actor's reach, closed ones included,
    /// newest voting first: the officials' list.
    pub async fn campaigns_in_scope(&self, actor: &crate::Actor) -> Result<Vec<Campaign>, StoreError> {
        let sql = format!(
            "{} {SELECT_CAMPAIGN} WHERE c.unit_id IN (SELECT id FROM scope) ORDER BY c.voting_starts DESC, c.id DESC",
            crate::officials::scope_cte(actor)
        );
        let records: Vec<CampaignRecord> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?;
        records.into_iter().map(Campaign::try_from).collect()
    }

    /// A campaign's approved candidates, by number.
    pub async fn candidates(&self, campaign_id: i64) -> Result<Vec<Candidate>, StoreError> {
        let rows = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, c.number, c.name, u.name AS unit_name, c.title, c.photo_url, c.story_html, c.expert_score, \
                 c.thumb_url, c.award FROM candidates c JOIN units u ON u.id = c.unit_id \
                 WHERE c.campaign_id = $1 AND c.status = 'approved' ORDER BY c.number",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// An official's nomination: approved at once, numbered after the
    /// campaign's last number; audited. Returns the number.
    pub async fn nominate_candidate(
        &self,
        campaign_id: i64,
        c: &NewCandidate<'_>,
        actor: MemberId,
        now: i64,
    ) -> Result<i32, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (number,): (i32,) = sqlx::query_as(
                "INSERT INTO candidates (campaign_id, number, name, unit_id, title, story_html, status, created_at) \
                 SELECT $1, (SELECT COALESCE(MAX(number), 0) + 1 FROM candidates WHERE campaign_id = $1), $2, id, $4, $5, 'approved', $6 \
                 FROM units WHERE code = $3 RETURNING number",
            )
            .bind(campaign_id)
            .bind(c.name)
            .bind(c.unit_code)
            .bind(c.title)
            .bind(c.story_html)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit_in_tx!(&mut *tx, actor, "提名候选人", format!("活动 #{campaign_id}，{number:02} 号 {}", c.name), "", now)?;
            tx.commit().await?;
            Ok(number)
        })
    }

    /// A member's own sign-up (报名), pending review: its id. None when the
    /// member already signed up for this campaign.
    pub async fn sign_up_candidate(
        &self,
        campaign_id: i64,
        member: MemberId,
        title: &str,
        story_html: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let inserted: Result<Option<(i64,)>, sqlx::Error> = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO candidates (campaign_id, name, unit_id, title, story_html, status, member_id, created_at) \
                 SELECT $1, name, unit_id, $3, $4, 'pending', id, $5 FROM members WHERE id = $2 RETURNING id",
            )
            .bind(campaign_id)
            .bind(member.0)
            .bind(title)
            .bind(story_html)
            .bind(now)
            .fetch_optional(pool)
            .await
        });
        match inserted {
            Ok(found) => Ok(found.map(|(id,)| id)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Gives approved candidate `candidate` of campaign `campaign_id` an
    /// award (None takes it back) before the awards are published. Audited.
    pub async fn set_award(
        &self,
        actor: MemberId,
        campaign_id: i64,
        candidate: i64,
        award: Option<&str>,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE candidates SET award = $3 WHERE id = $2 AND campaign_id = $1 AND status = 'approved' \
                 AND campaign_id IN (SELECT id FROM campaigns WHERE awards_published_at IS NULL)",
            )
            .bind(campaign_id)
            .bind(candidate)
            .bind(award)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                let target = format!("活动 #{campaign_id}，候选 #{candidate}");
                audit_in_tx!(&mut *tx, actor, "评定奖项", &target, award.unwrap_or("取消奖项"), now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Publishes campaign `campaign_id`'s awards, once. Audited.
    pub async fn publish_awards(&self, actor: MemberId, campaign_id: i64, now: i64) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("UPDATE campaigns SET awards_published_at = $2 WHERE id = $1 AND awards_published_at IS NULL")
                .bind(campaign_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if done {
                audit_in_tx!(&mut *tx, actor, "公布获奖名单", &format!("活动 #{campaign_id}"), "", now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Every candidate of a campaign, pending sign-ups first, for officials.
    pub async fn all_candidates(&self, campaign_id: i64) -> Result<Vec<CandidateEntry>, StoreError> {
        let rows = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, c.number, c.name, u.name AS unit_name, c.title, c.status, c.story_html, c.photo_url, c.award \
                 FROM candidates c JOIN units u ON u.id = c.unit_id WHERE c.campaign_id = $1 \
                 ORDER BY CASE c.status WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, c.number, c.id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }

    /// Approves (numbering it) or rejects a pending sign-up; audited. False
    /// when there is no such pending sign-up.
    pub async fn review_candidate(
        &self,
        campaign_id: i64,
        id: i64,
        approve: bool,
        actor: MemberId,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = if approve {
                sqlx::query(
                    "UPDATE candidates SET status = 'approved', \
                     number = (SELECT COALESCE(MAX(number), 0) + 1 FROM candidates WHERE campaign_id = $1) \
                     WHERE id = $2 AND campaign_id = $1 AND status = 'pending'",
                )
            } else {
                sqlx::query("UPDATE candidates SET status = 'rejected' WHERE id = $2 AND campaign_id = $1 AND status = 'pending'")
            }
            .bind(campaign_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 1 {
                let action = if approve { "通过报名" } else { "驳回报名" };
                audit_in_tx!(&mut *tx, actor, action, format!("活动 #{campaign_id}，候选人 #{id}"), "", now)?;
            }
            tx.commit().await?;
            Ok(changed == 1)
        })
    }

    /// Sets the expert panel's scores (`None` clears one) by candidate
    /// number; audited in the same transaction.
    pub async fn set_expert_scores(
        &self,
        campaign_id: i64,
        scores: &[(i32, Option<i64>)],
        actor: MemberId,
        now: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for (number, score) in scores {
                sqlx::query("UPDATE candidates SET expert_score = $3 WHERE campaign_id = $1 AND number = $2")
                    .bind(campaign_id)
                    .bind(number)
                    .bind(score.map(|s| s as i32))
                    .execute(&mut *tx)
                    .await?;
            }
            audit_in_tx!(&mut *tx, actor, "录入专家评分", format!("活动 #{campaign_id}，{} 位候选人", scores.len()), "", now)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Counted votes per candidate of a campaign (voided ones left out;
    /// candidates without votes absent).
    pub async fn vote_tallies(&self, campaign_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT v.candidate_id, COUNT(*) FROM votes v WHERE v.campaign_id = $1 AND {} GROUP BY v.candidate_id",
                crate::voids::LIVE_VOTE
            ))
                .bind(campaign_id)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows)
    }

    /// The member's votes in a campaign on `day`.
    pub async fn votes_on_day(&self, campaign_id: i64, member: MemberId, day: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM votes WHERE campaign_id = $1 AND member_id = $2 AND day = $3")
                .bind(campaign_id)
                .bind(member.0)
                .bind(day)
                .fetch_one(pool)
                .await
        })?;
        Ok(n)
    }

    /// Whether the member's unit is the campaign's unit or below it.
    pub async fn member_in_campaign_subtree(&self, campaign_id: i64, member: MemberId) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE sub(id) AS (SELECT unit_id FROM campaigns WHERE id = $1 \
                   UNION SELECT u.id FROM units u JOIN sub s ON u.parent_id = s.id) \
                 SELECT COUNT(*) FROM members WHERE id = $2 AND unit_id IN (SELECT id FROM sub)",
            )
            .bind(campaign_id)
            .bind(member.0)
            .fetch_one(pool)
            .await
        })?;
        Ok(n > 0)
    }

    /// Whether `unit` is the campaign's unit or below it.
    pub async fn unit_in_campaign_subtree(
        &self,
        campaign_id: i64,
        unit: &domain::UnitCode,
    ) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE sub(id) AS (SELECT unit_id FROM campaigns WHERE id = $1 \
                   UNION SELECT u.id FROM units u JOIN sub s ON u.parent_id = s.id) \
                 SELECT COUNT(*) FROM units WHERE code = $2 AND id IN (SELECT id FROM sub)",
            )
            .bind(campaign_id)
            .bind(unit.as_ref())
            .fetch_one(pool)
            .await
        })?;
        Ok(n > 0)
    }

    /// The vote `member` already cast with `key`, if any: (candidate id, day
    /// slot). Lets a replay be answered when the request itself would be refused
    /// for its rate (a phone resending after a lost answer).
    pub async fn vote_by_key(&self, member: MemberId, key: &str) -> Result<Option<(i64, i32)>, StoreError> {
        let row =
            on_reader!(self, pool => sqlx::query_as(VOTE_BY_KEY).bind(member.0).bind(key).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Takes one vote, or answers the earlier answer for a replayed key.
    pub async fn cast_vote(&self, vote: &NewVote<'_>) -> Result<CastVote, VoteError> {
        match self {
            Store::Sqlite { write, .. } => cast_vote_sqlite(write, vote).await,
            Store::Postgres { pool } => cast_vote_postgres(pool, vote).await,
        }
    }
}

/// Takes the member's next daily and per-candidate slots, only within the
/// campaign's limits; `None` when a limit is reached.
const INSERT_VOTE: &str = "INSERT INTO votes \
     (campaign_id, candidate_id, member_id, day, day_slot, candidate_slot, idempotency_key, ip, created_at) \
     SELECT $1, $2, $3, $4, d.n + 1, c.n + 1, $5, $6, $7 \
     FROM (SELECT COUNT(*) AS n FROM votes WHERE member_id = $3 AND campaign_id = $1 AND day = $4) d, \
          (SELECT COUNT(*) AS n FROM votes WHERE member_id = $3 AND candidate_id = $2 AND day = $4) c \
     WHERE d.n < $8 AND c.n < $9 RETURNING day_slot";
const VOTE_BY_KEY: &str = "SELECT candidate_id, day_slot FROM votes WHERE member_id = $1 AND idempotency_key = $2";
const VOTES_TODAY: &str = "SELECT COUNT(*) FROM votes WHERE campaign_id = $1 AND member_id = $2 AND day = $3";

/// The answer for a key seen before.
fn earlier_answer(vote: &NewVote<'_>, earlier: (i64, i32)) -> Result<CastVote, VoteError> {
    match earlier {
        (candidate, _) if candidate != vote.candidate_id => Err(VoteError::KeyReused),
        (_, slot) => Ok(CastVote { day_slot: slot.into(), replayed: true }),
    }
}

fn limit_error(vote: &NewVote<'_>, today: i64) -> VoteError {
    if today >= vote.campaign.votes_per_day {
        VoteError::DailyLimit
    } else {
        VoteError::CandidateLimit
    }
}

macro_rules! bind_vote {
    ($query:expr, $vote:expr) => {
        $query
            .bind($vote.campaign.id)
            .bind($vote.candidate_id)
            .bind($vote.member.0)
            .bind($vote.day)
            .bind($vote.idempotency_key)
            .bind($vote.ip)
            .bind($vote.now)
            .bind($vote.campaign.votes_per_day)
            .bind($vote.campaign.votes_per_candidate)
    };
}

/// SQLite: its one writer connection already runs one vote at a time, so
/// the vote is a single autocommitted statement — one trip to the writer
/// thread. The key is looked up only when the insert did not count (a
/// replay hits the key's unique index, or the limits leave nothing to insert).
async fn cast_vote_sqlite(pool: &sqlx::SqlitePool, vote: &NewVote<'_>) -> Result<CastVote, VoteError> {
    let inserted: Result<Option<(i32,)>, sqlx::Error> =
        bind_vote!(sqlx::query_as(INSERT_VOTE), vote).fetch_optional(pool).await;
    let unique_violation = match inserted {
        Ok(Some((slot,))) => return Ok(CastVote { day_slot: slot.into(), replayed: false }),
        Ok(None) => false,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => true,
        Err(e) => return Err(StoreError::from(e).into()),
    };
    let earlier: Option<(i64, i32)> = sqlx::query_as(VOTE_BY_KEY)
        .bind(vote.member.0)
        .bind(vote.idempotency_key)
        .fetch_optional(pool)
        .await
        .map_err(StoreError::from)?;
    if let Some(earlier) = earlier {
        return earlier_answer(vote, earlier);
    }
    if unique_violation {
        // Only the key can collide with one writer; reaching here means the
        // database changed under us.
        return Err(StoreError::Corrupt("a vote collided without a matching key".into()).into());
    }
    let (today,): (i64,) = sqlx::query_as(VOTES_TODAY)
        .bind(vote.campaign.id)
        .bind(vote.member.0)
        .bind(vote.day)
        .fetch_one(pool)
        .await
        .map_err(StoreError::from)?;
    Err(limit_error(vote, today))
}

/// PostgreSQL: several connections (and processes) take votes at once, so a
/// member's votes queue on a transaction-scoped advisory lock instead of
/// fighting over slots; a lost slot (another process without the lock
/// ordering, or a replayed key in flight) retries.
async fn cast_vote_postgres(pool: &sqlx::PgPool, vote: &NewVote<'_>) -> Result<CastVote, VoteError> {
    for _ in 0..VOTE_ATTEMPTS {
        let attempt: Result<Result<CastVote, VoteError>, sqlx::Error> = async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(vote.member.0).execute(&mut *tx).await?;
            let earlier: Option<(i64, i32)> = sqlx::query_as(VOTE_BY_KEY)
                .bind(vote.member.0)
                .bind(vote.idempotency_key)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(earlier) = earlier {
                return Ok(earlier_answer(vote, earlier));
            }
            let slot: Option<(i32,)> = bind_vote!(sqlx::query_as(INSERT_VOTE), vote).fetch_optional(&mut *tx).await?;
            let Some((slot,)) = slot else {
                let (today,): (i64,) = sqlx::query_as(VOTES_TODAY)
                    .bind(vote.campaign.id)
                    .bind(vote.member.0)
                    .bind(vote.day)
                    .fetch_one(&mut *tx)
                    .await?;
                return Ok(Err(limit_error(vote, today)));
            };
            tx.commit().await?;
            Ok(Ok(CastVote { day_slot: slot.into(), replayed: false }))
        }
        .await;
        match attempt {
            Ok(answer) => return answer,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(StoreError::from(e).into()),
        }
    }
    Err(StoreError::Corrupt("a vote kept losing its slot".into()).into())
}
