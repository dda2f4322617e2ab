//! The newsroom desk's stories and their review (issue 12, first slice).
//!
//! 先审后发 is held by the database (see the newsroom migration's triggers):
//! a decision is only taken on the story's current version while it is under
//! review, approvals go step by step, one step per person, and a story only
//! becomes `ready` when every step of its chain approved that version. The
//! methods here take a decision and move the story in one transaction; a
//! refusal by the database comes back as a `DecisionError`, never as a
//! half-done decision.

use crate::BeginWrite;
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
    /// The call for stories (征集) it answers.
    pub call: Option<i64>,
    /// Assets from the library (素材库) it carries, in order.
    pub assets: &'a [i64],
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

    /// Saves a draft with its attachments (assets the author may use: their
    /// own uploads, their unit's, or shared down from a unit above), in one
    /// transaction; its id. `None` (nothing saved) when an asset is not one
    /// they may use.
    pub async fn insert_story_draft(&self, story: &NewStory<'_>, now: i64) -> Result<Option<i64>, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO stories (desk_unit_id, origin_unit_id, author_id, title, body_md, body_html, excerpt, \
                     kind, event_date, outward, call_id, steps, status, created_at, updated_at) \
                 SELECT id, id, $2, $3, $4, $5, $6, $7, $8, $9, $11, 3, 'draft', $10, $10 FROM units WHERE code = $1 \
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
            .bind(story.call)
            .fetch_one(&mut *tx)
            .await?;
            if !crate::assets::attach_in_tx!(tx, story.author.0, id, story.assets)? {
                return Ok(None);
            }
            tx.commit().await?;
            Ok(Some(id))
        })
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
            let mut tx = pool.begin_write().await.map_err(StoreError::from)?;
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
            if status == StoryStatus::Ready {
                // 采用 by this desk, with the 稿酬 its rates give now.
                let (origin, desk, kind): (i64, i64, String) = sqlx::query_as(
                    "SELECT origin_unit_id, desk_unit_id, kind FROM stories WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let level = if origin == desk { "own" } else { "parent" };
                let fen: Option<(i64,)> = sqlx::query_as(crate::desk::RATE_SQL)
                    .bind(origin)
                    .bind(&kind)
                    .bind(level)
                    .fetch_optional(&mut *tx)
                    .await?;
                let fen = fen.map_or(0, |(f,)| f);
                sqlx::query(
                    "INSERT INTO adoptions (story_id, author_id, origin_unit, by_unit, level, kind, fen, at) \
                     SELECT id, author_id, origin_unit_id, desk_unit_id, $2, kind, $3, $4 FROM stories WHERE id = $1 \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(level)
                .bind(fen)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let label = match decision {
                Decision::Approve => "通过",
                Decision::Return => "退回修改",
                Decision::Hold => "待用",
                Decision::Reject => "退稿",
            };
            let detail = format!("第 {step} 步 · 第 {version} 稿 · {label}{}", if comment.is_empty() { String::new() } else { format!(" · {comment}") });
            crate::audit_in_tx!(&mut *tx, reviewer, "稿件审核", &format!("稿件 #{id}"), &detail, now)?;
            // Decided: whoever had taken it up no longer holds it (the next
            // step's reviewer must not wait for the lock to expire).
            sqlx::query("DELETE FROM story_locks WHERE story_id = $1").bind(id).execute(&mut *tx).await?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(status)
        })
    }
}

/// A member's application to be their unit's correspondent (信息员登记表),
/// every field already checked.
pub struct NewCorrespondent<'a> {
    pub member: MemberId,
    pub name: &'a str,
    /// `男` or `女`.
    pub gender: &'a str,
    /// `YYYY-MM`.
    pub birth_month: &'a str,
    pub education: &'a str,
    pub union_post: &'a str,
    pub job_title: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub id_number: &'a domain::IdNumber,
    pub interests: &'a str,
    /// The unit's own channels, each may be empty: website, WeChat official
    /// account name and id, Weibo, newspaper, magazine, other.
    pub channels: [&'a str; 7],
    pub intro: &'a str,
}

/// A correspondent's record as officials list it (ID number masked).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CorrespondentListing {
    pub id: i64,
    pub status: String,
    pub name: String,
    pub gender: String,
    pub birth_month: String,
    pub education: String,
    pub union_post: String,
    pub job_title: String,
    pub phone: String,
    pub email: String,
    pub id_masked: String,
    pub interests: String,
    pub unit_name: String,
    pub reason: Option<String>,
    pub created_at: i64,
}

/// A member's own latest correspondent record.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OwnCorrespondent {
    pub id: i64,
    pub status: String,
    pub unit_name: String,
    pub reason: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The member already is (or asked to be) their unit's correspondent.
    #[error("already a correspondent of this unit, or waiting")]
    AlreadyLive,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Files a correspondent application for the member's own unit. The
    /// partial unique index keeps one live record per member and unit.
    pub async fn apply_correspondent(
        &self,
        c: &NewCorrespondent<'_>,
        key: &crate::protect::DataKey,
        now: i64,
    ) -> Result<i64, ApplyError> {
        let inserted: Result<i64, sqlx::Error> = on_writer!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO correspondents (member_id, unit_id, status, name, gender, birth_month, education, \
                         union_post, job_title, phone, email, id_sealed, id_index, id_masked, interests, website, \
                         wechat_name, wechat_id, weibo, newspaper, magazine, other_channel, intro, created_at) \
                     SELECT id, unit_id, 'pending', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                         $16, $17, $18, $19, $20, $21, $22 FROM members WHERE id = $1 RETURNING id",
                )
                .bind(c.member.0)
                .bind(c.name)
                .bind(c.gender)
                .bind(c.birth_month)
                .bind(c.education)
                .bind(c.union_post)
                .bind(c.job_title)
                .bind(c.phone)
                .bind(c.email)
                .bind(key.seal(c.id_number.expose()))
                .bind(key.blind_index(c.id_number.expose()))
                .bind(c.id_number.masked())
                .bind(c.interests)
                .bind(c.channels[0])
                .bind(c.channels[1])
                .bind(c.channels[2])
                .bind(c.channels[3])
                .bind(c.channels[4])
                .bind(c.channels[5])
                .bind(c.channels[6])
                .bind(c.intro)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO correspondent_changes (correspondent_id, actor_id, what, at) VALUES ($1, $2, '申请', $3)")
                    .bind(id)
                    .bind(c.member.0)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(id)
            }
            .await
        });
        match inserted {
            Ok(id) => Ok(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(ApplyError::AlreadyLive),
            Err(e) => Err(StoreError::from(e).into()),
        }
    }

    /// The member's latest correspondent record, if any.
    pub async fn own_correspondent(&self, member: MemberId) -> Result<Option<OwnCorrespondent>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, c.status, u.name AS unit_name, c.reason FROM correspondents c \
                 JOIN units u ON u.id = c.unit_id WHERE c.member_id = $1 ORDER BY c.id DESC LIMIT 1",
            )
            .bind(member.0)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Correspondent records of units in `actor`'s reach with `status`,
    /// oldest first.
    pub async fn correspondents_in_reach(
        &self,
        actor: &crate::Actor,
        status: &str,
    ) -> Result<Vec<CorrespondentListing>, StoreError> {
        let sql = format!(
            "{} SELECT c.id, c.status, c.name, c.gender, c.birth_month, c.education, c.union_post, c.job_title, \
                 c.phone, c.email, c.id_masked, c.interests, u.name AS unit_name, c.reason, c.created_at \
             FROM correspondents c JOIN units u ON u.id = c.unit_id \
             WHERE c.unit_id IN (SELECT id FROM scope) AND c.status = $2 ORDER BY c.id",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(actor.member_id.0).bind(status).fetch_all(pool).await?
        }))
    }

    /// Approves or refuses pending application `id` of a unit in `actor`'s
    /// reach, with the change kept and audited in the same transaction.
    /// `false` when there is no such pending application in reach.
    pub async fn decide_correspondent(
        &self,
        actor: &crate::Actor,
        id: i64,
        approve: bool,
        reason: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} UPDATE correspondents SET status = $3, reason = $4, decided_by = $1, decided_at = $5 \
             WHERE id = $2 AND status = 'pending' AND unit_id IN (SELECT id FROM scope) RETURNING name",
            crate::officials::scope_cte(actor)
        );
        let (status, what) = if approve { ("approved", "通过") } else { ("refused", "未通过") };
        let decided: Result<bool, sqlx::Error> = on_writer!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                let name: Option<(String,)> = sqlx::query_as(&sql)
                    .bind(actor.member_id.0)
                    .bind(id)
                    .bind(status)
                    .bind(if approve { None } else { Some(reason) })
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((name,)) = name else { return Ok(false) };
                sqlx::query("INSERT INTO correspondent_changes (correspondent_id, actor_id, what, at) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(actor.member_id.0)
                    .bind(what)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                crate::audit_in_tx!(&mut *tx, actor.member_id, "审核信息员", &format!("{name}（{what}）"), reason, now)?;
                tx.commit().await?;
                Ok(true)
            }
            .await
        });
        Ok(decided?)
    }
}

/// A newsroom role on a unit's subtree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewsroomRole {
    /// 责任编辑: writes, and takes the first step of a longer chain (初审).
    Editor,
    /// 复审: the middle step of a three-step chain.
    Second,
    /// 终审: the last step of every chain.
    Final,
}

impl NewsroomRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Second => "second",
            Self::Final => "final",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "editor" => Some(Self::Editor),
            "second" => Some(Self::Second),
            "final" => Some(Self::Final),
            _ => None,
        }
    }

    /// The role that takes step `step` of a chain of `steps`: the last step
    /// is 终审, the first of a longer chain 初审 (the editor), the middle 复审.
    pub fn for_step(step: i64, steps: i64) -> Self {
        if step >= steps {
            Self::Final
        } else if step == 1 {
            Self::Editor
        } else {
            Self::Second
        }
    }
}

/// A story as its author's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoryListing {
    pub id: i64,
    pub title: String,
    pub body_md: String,
    pub excerpt: String,
    pub kind: String,
    pub event_date: String,
    pub outward: bool,
    pub status: String,
    pub version: i64,
    pub late: bool,
    pub updated_at: i64,
    /// The latest decision's comment (the reason for a return or rejection).
    pub last_comment: Option<String>,
}

/// A story waiting for a reviewer's step.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedStory {
    pub id: i64,
    pub title: String,
    pub body_html: String,
    pub desk_unit_name: String,
    pub author_name: String,
    pub version: i64,
    pub steps: i64,
    pub next_step: i64,
    pub late: bool,
    pub submitted_at: i64,
    /// When it reached this step: its last approval, else its (re)submission.
    pub waiting_since: i64,
    /// Another reviewer who took it up (审核中) and whose lock holds.
    pub locked_by: Option<String>,
}

impl Store {
    /// Gives `member` role `role` on unit `unit_code`'s subtree, when the unit
    /// is in `actor`'s reach; audited. `false` when it is not.
    pub async fn grant_newsroom_role(
        &self,
        actor: &crate::Actor,
        member: MemberId,
        unit_code: &str,
        role: NewsroomRole,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} INSERT INTO newsroom_roles (member_id, unit_id, role, granted_by, granted_at) \
             SELECT $2, id, $4, $1, $5 FROM units WHERE code = $3 AND id IN (SELECT id FROM scope) \
             ON CONFLICT (member_id, unit_id, role) DO NOTHING",
            crate::officials::scope_cte(actor)
        );
        let granted: Result<bool, sqlx::Error> = on_writer!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                let (in_reach,): (bool,) = sqlx::query_as(&format!(
                    "{} SELECT EXISTS (SELECT 1 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope))",
                    crate::officials::scope_cte(actor)
                ))
                .bind(actor.member_id.0)
                .bind(unit_code)
                .fetch_one(&mut *tx)
                .await?;
                if !in_reach {
                    return Ok(false);
                }
                sqlx::query(&sql)
                    .bind(actor.member_id.0)
                    .bind(member.0)
                    .bind(unit_code)
                    .bind(role.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let target = format!("会员 #{} · {unit_code} · {}", member.0, role.as_str());
                crate::audit_in_tx!(&mut *tx, actor.member_id, "任命新闻审核角色", &target, "", now)?;
                tx.commit().await?;
                Ok(true)
            }
            .await
        });
        Ok(granted?)
    }

    /// Whether `member` is an approved correspondent of unit `unit_code`, or
    /// its editor (责任编辑 on it or a unit above it).
    pub async fn may_write_for(&self, member: MemberId, unit_code: &str) -> Result<bool, StoreError> {
        let (yes,): (bool,) = on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE up (id, parent_id) AS ( \
                     SELECT id, parent_id FROM units WHERE code = $2 \
                     UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) \
                 SELECT EXISTS (SELECT 1 FROM correspondents c JOIN units u ON u.id = c.unit_id \
                                WHERE c.member_id = $1 AND u.code = $2 AND c.status = 'approved') \
                     OR EXISTS (SELECT 1 FROM newsroom_roles r \
                                WHERE r.member_id = $1 AND r.role = 'editor' AND r.unit_id IN (SELECT id FROM up))",
            )
            .bind(member.0)
            .bind(unit_code)
            .fetch_one(pool)
            .await?
        });
        Ok(yes)
    }

    /// The author's stories, newest first.
    pub async fn stories_of(&self, author: MemberId) -> Result<Vec<StoryListing>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT s.id, s.title, s.body_md, s.excerpt, s.kind, s.event_date, s.outward, s.status, s.version, \
                     s.late, s.updated_at, \
                     (SELECT d.comment FROM story_decisions d WHERE d.story_id = s.id ORDER BY d.id DESC LIMIT 1) \
                         AS last_comment \
                 FROM stories s WHERE s.author_id = $1 ORDER BY s.id DESC",
            )
            .bind(author.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Replaces the text of `author`'s returned story `id` (before it is
    /// submitted again). `false` when it is not theirs or not returned.
    #[allow(clippy::too_many_arguments)]
    pub async fn revise_story(
        &self,
        author: MemberId,
        id: i64,
        title: &str,
        body_md: &str,
        body_html: &str,
        excerpt: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let changed = on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // The returned version's text, for the reviewer's diff.
            sqlx::query(
                "INSERT INTO story_versions (story_id, version, title, body_md) \
                 SELECT id, version, title, body_md FROM stories \
                 WHERE id = $2 AND author_id = $1 AND status = 'returned' ON CONFLICT DO NOTHING",
            )
            .bind(author.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let changed = sqlx::query(
                "UPDATE stories SET title = $3, body_md = $4, body_html = $5, excerpt = $6, updated_at = $7 \
                 WHERE id = $2 AND author_id = $1 AND status = 'returned'",
            )
            .bind(author.0)
            .bind(id)
            .bind(title)
            .bind(body_md)
            .bind(body_html)
            .bind(excerpt)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            changed
        });
        Ok(changed == 1)
    }

    /// Stories waiting for a step `reviewer` may take: their desk is in the
    /// subtree of a unit where the reviewer holds the role for that step, and
    /// the reviewer approved no earlier step of the same version (one person,
    /// one step). Oldest first.
    /// `now`: locks that expired by then are no one's.
    pub async fn review_queue(&self, reviewer: MemberId, now: i64) -> Result<Vec<QueuedStory>, StoreError> {
        self.waiting_for(reviewer, None, now).await
    }

    /// Story `id` when it waits for a step `reviewer` may take (the review
    /// queue's rule, for one story: what a decision checks).
    pub async fn waiting_for_reviewer(
        &self,
        reviewer: MemberId,
        id: i64,
        now: i64,
    ) -> Result<Option<QueuedStory>, StoreError> {
        Ok(self.waiting_for(reviewer, Some(id), now).await?.into_iter().next())
    }

    async fn waiting_for(
        &self,
        reviewer: MemberId,
        story: Option<i64>,
        now: i64,
    ) -> Result<Vec<QueuedStory>, StoreError> {
        let stories: Vec<QueuedStory> = on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE reach (id, role) AS ( \
                     SELECT unit_id, role FROM newsroom_roles WHERE member_id = $1 \
                     UNION SELECT u.id, r.role FROM units u JOIN reach r ON u.parent_id = r.id), \
                 waiting AS ( \
                     SELECT s.*, 1 + (SELECT COUNT(*) FROM story_decisions d \
                         WHERE d.story_id = s.id AND d.version = s.version AND d.decision = 'approve') AS next_step \
                     FROM stories s WHERE s.status = 'in_review' AND ($2 IS NULL OR s.id = $2)) \
                 SELECT w.id, w.title, w.body_html, u.name AS desk_unit_name, m.name AS author_name, w.version, \
                     w.steps, w.next_step, w.late, w.submitted_at, \
                     COALESCE((SELECT MAX(d.at) FROM story_decisions d WHERE d.story_id = w.id AND d.version = w.version), \
                         w.updated_at) AS waiting_since, \
                     (SELECT lm.name FROM story_locks l JOIN members lm ON lm.id = l.member_id \
                      WHERE l.story_id = w.id AND l.member_id <> $1 AND l.expires_at > $3) AS locked_by \
                 FROM waiting w JOIN units u ON u.id = w.desk_unit_id JOIN members m ON m.id = w.author_id \
                 WHERE w.author_id <> $1 AND EXISTS (SELECT 1 FROM reach r WHERE r.id = w.desk_unit_id AND r.role = \
                     CASE WHEN w.next_step >= w.steps THEN 'final' WHEN w.next_step = 1 THEN 'editor' ELSE 'second' END) \
                 AND NOT EXISTS (SELECT 1 FROM story_decisions d WHERE d.story_id = w.id AND d.version = w.version \
                     AND d.reviewer_id = $1 AND d.decision = 'approve') \
                 ORDER BY w.submitted_at, w.id",
            )
            .bind(reviewer.0)
            .bind(story)
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        Ok(stories)
    }
}

/// A decision on one of an author's stories, for the author's 我的.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoryNotice {
    pub title: String,
    pub decision: String,
    pub step: i64,
    pub steps: i64,
    pub comment: String,
    pub at: i64,
}

impl Store {
    /// The latest `limit` decisions on `author`'s stories, newest first.
    pub async fn story_notices(&self, author: MemberId, limit: i64) -> Result<Vec<StoryNotice>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT s.title, d.decision, d.step, s.steps, d.comment, d.at FROM story_decisions d \
                 JOIN stories s ON s.id = d.story_id WHERE s.author_id = $1 ORDER BY d.id DESC LIMIT $2",
            )
            .bind(author.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}
