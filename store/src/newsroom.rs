//! The newsroom desk's stories and their review (issue 12, first slice).
//!
//! 先审后发 is held by the database (see the newsroom migration's triggers):
//! a decision is only taken on the story's current version while it is under
//! review, approvals go step by step, one step per person, and a story only
//! becomes `ready` when every step of its chain approved that version. The
//! methods here take a decision and move the story in one transaction; a
//! refusal by the database comes back as a `DecisionError`, never as a
//! half-done decision.

use crate::{on_reader, on_writer, MemberId, Store, StoreError};

/// Where a story stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoryStatus {
    Draft,
    InReview,
    /// 退回修改: back with the correspondent, who changes and resubmits it.
    Returned,
    /// 待用: kept for later.
    Held,
    /// 退稿.
    Rejected,
    /// Every step approved it (采用): it may be published.
    Ready,
    Published,
}

impl StoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Returned => "returned",
            Self::Held => "held",
            Self::Rejected => "rejected",
            Self::Ready => "ready",
            Self::Published => "published",
        }
    }

    fn parse(raw: &str) -> Result<Self, StoreError> {
        Ok(match raw {
            "draft" => Self::Draft,
            "in_review" => Self::InReview,
            "returned" => Self::Returned,
            "held" => Self::Held,
            "rejected" => Self::Rejected,
            "ready" => Self::Ready,
            "published" => Self::Published,
            other => return Err(StoreError::Corrupt(format!("story status {other}"))),
        })
    }
}

/// A reviewer's decision on one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// 退回修改, with comments.
    Return,
    /// 待用.
    Hold,
    /// 退稿, with a reason.
    Reject,
}

impl Decision {
    fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Return => "return",
            Self::Hold => "hold",
            Self::Reject => "reject",
        }
    }
}

/// A story as written, before it is submitted.
pub struct NewStory<'a> {
    pub desk_unit_code: &'a str,
    pub author: MemberId,
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    pub excerpt: &'a str,
    /// `news`, `theory`, `experience`, `model` or `other`.
    pub kind: &'a str,
    /// `YYYY-MM-DD`.
    pub event_date: &'a str,
    /// May be used outside the union (对外宣传).
    pub outward: bool,
}

/// A story's review state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryState {
    pub id: i64,
    pub status: StoryStatus,
    pub version: i64,
    pub steps: i64,
    /// The step waiting for a decision (1 after submission), when in review.
    pub next_step: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    /// Not under review, not its current version, a step outside its chain,
    /// or a step whose previous step has not approved yet.
    #[error("the story is not waiting for this step")]
    NotThisStep,
    /// The same person already approved another step of this version, or
    /// this step is already approved.
    #[error("one person approves one step, once")]
    AlreadyApproved,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for DecisionError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::AlreadyApproved,
            // The triggers' refusals: SQLite's RAISE(ABORT) and PostgreSQL's
            // RAISE EXCEPTION (P0001) both carry the 先审后发 message.
            sqlx::Error::Database(db) if db.message().contains("先审后发") => Self::NotThisStep,
            _ => Self::Store(error.into()),
        }
    }
}

impl Store {
    /// Sets how many review steps (1–3) unit `unit_code`'s stories pass.
    pub async fn set_review_chain(&self, unit_code: &str, steps: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO review_chains (unit_id, steps) VALUES ((SELECT id FROM units WHERE code = $1), $2) \
                 ON CONFLICT (unit_id) DO UPDATE SET steps = excluded.steps",
            )
            .bind(unit_code)
            .bind(steps)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The review chain unit `unit_code` works with: its own, else its
    /// nearest ancestor's, else 三审 (3).
    pub async fn review_chain_steps(&self, unit_code: &str) -> Result<i64, StoreError> {
        let steps: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE up (id, parent_id, depth) AS ( \
                     SELECT id, parent_id, 0 FROM units WHERE code = $1 \
                     UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id) \
                 SELECT c.steps FROM up JOIN review_chains c ON c.unit_id = up.id ORDER BY up.depth LIMIT 1",
            )
            .bind(unit_code)
            .fetch_optional(pool)
            .await?
        });
        Ok(steps.map_or(3, |(s,)| s))
    }

    /// Saves a draft; its id.
    pub async fn insert_story_draft(&self, story: &NewStory<'_>, now: i64) -> Result<i64, StoreError> {
        let (id,): (i64,) = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO stories (desk_unit_id, author_id, title, body_md, body_html, excerpt, kind, event_date, \
                     outward, steps, status, created_at, updated_at) \
                 VALUES ((SELECT id FROM units WHERE code = $1), $2, $3, $4, $5, $6, $7, $8, $9, 3, 'draft', $10, $10) \
                 RETURNING id",
            )
            .bind(story.desk_unit_code)
            .bind(story.author.0)
            .bind(story.title)
            .bind(story.body_md)
            .bind(story.body_html)
            .bind(story.excerpt)
            .bind(story.kind)
            .bind(story.event_date)
            .bind(story.outward)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    /// Submits draft or returned story `id` for review through a chain of
    /// `steps`; a returned story comes back as its next version, so the
    /// approvals of the last one no longer count. `late`: submitted more than
    /// three days after its event. `false` when the story was not a draft or
    /// returned.
    pub async fn submit_story(&self, id: i64, steps: i64, late: bool, now: i64) -> Result<bool, StoreError> {
        let done = on_writer!(self, pool => {
            sqlx::query(
                "UPDATE stories SET \
                     version = CASE WHEN status = 'returned' THEN version + 1 ELSE version END, \
                     steps = CASE WHEN status = 'draft' THEN $2 ELSE steps END, \
                     status = 'in_review', late = $3, submitted_at = COALESCE(submitted_at, $4), updated_at = $4 \
                 WHERE id = $1 AND status IN ('draft', 'returned')",
            )
            .bind(id)
            .bind(steps)
            .bind(late)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Story `id`'s review state, `None` when there is no such story.
    pub async fn story_state(&self, id: i64) -> Result<Option<StoryState>, StoreError> {
        let row: Option<(String, i64, i64, i64)> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT s.status, s.version, s.steps, \
                     (SELECT COUNT(*) FROM story_decisions d \
                      WHERE d.story_id = s.id AND d.version = s.version AND d.decision = 'approve') \
                 FROM stories s WHERE s.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        let Some((status, version, steps, approved)) = row else { return Ok(None) };
        let status = StoryStatus::parse(&status)?;
        let next_step = (status == StoryStatus::InReview).then_some(approved + 1);
        Ok(Some(StoryState { id, status, version, steps, next_step }))
    }

    /// Reviewer `reviewer` decides step `step` of story `id`'s version
    /// `version`, and the story moves on, in one transaction: approving the
    /// last step makes it ready, approving another keeps it in review for
    /// the next; returning, holding and rejecting end this round. The new
    /// status.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_story(
        &self,
        id: i64,
        version: i64,
        step: i64,
        reviewer: MemberId,
        decision: Decision,
        comment: &str,
        now: i64,
    ) -> Result<StoryStatus, DecisionError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin().await.map_err(StoreError::from)?;
            sqlx::query(
                "INSERT INTO story_decisions (story_id, version, step, reviewer_id, decision, comment, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(version)
            .bind(step)
            .bind(reviewer.0)
            .bind(decision.as_str())
            .bind(comment)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let (steps,): (i64,) =
                sqlx::query_as("SELECT steps FROM stories WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
            let status = match decision {
                Decision::Approve if step == steps => StoryStatus::Ready,
                Decision::Approve => StoryStatus::InReview,
                Decision::Return => StoryStatus::Returned,
                Decision::Hold => StoryStatus::Held,
                Decision::Reject => StoryStatus::Rejected,
            };
            sqlx::query("UPDATE stories SET status = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(status.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(status)
        })
    }
}
