//! The newsroom desk beyond review: 报送上级, outside adoptions, 稿酬 rates
//! and ledgers, the quarterly 通报, 优秀信息员, calls for stories (征集),
//! edit locks and earlier versions.

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// Who adopted a story, for its 稿酬: its own unit's desk, a desk above it
/// (after 报送上级), or an outside medium.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdoptionLevel {
    Own,
    Parent,
    Outside,
}

impl AdoptionLevel {
    pub const ALL: [Self; 3] = [Self::Own, Self::Parent, Self::Outside];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Parent => "parent",
            Self::Outside => "outside",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }
}

/// The rate (fen) for a story of kind `$2` from unit `$1` adopted at level
/// `$3`: the nearest unit at or above `$1` that set one (none: 0).
pub(crate) const RATE_SQL: &str = "WITH RECURSIVE up (id, parent_id, depth) AS ( \
         SELECT id, parent_id, 0 FROM units WHERE id = $1 \
         UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id) \
     SELECT r.fen FROM up JOIN payment_rates r ON r.unit_id = up.id \
     WHERE r.kind = $2 AND r.level = $3 ORDER BY up.depth LIMIT 1";

/// One row of a quarter's figures (通报): a unit's, or a correspondent's.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct FigureRow {
    /// The unit's code, or the correspondent's member id as text.
    pub key: String,
    /// The unit's name, or the correspondent's name.
    pub name: String,
    /// The correspondent's unit (empty in unit rows).
    pub unit_name: String,
    pub submitted: i64,
    pub late: i64,
    pub adopted_own: i64,
    pub adopted_parent: i64,
    pub adopted_outside: i64,
    pub held: i64,
    pub rejected: i64,
    pub reported_up: i64,
    /// 稿酬 earned (fen).
    pub fen: i64,
}

/// How to group a quarter's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FiguresBy {
    Unit,
    Correspondent,
}

/// One adoption in a 稿酬 ledger.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerEntry {
    pub author_id: i64,
    pub author_name: String,
    pub unit_name: String,
    pub story_id: i64,
    pub title: String,
    pub kind: String,
    pub level: String,
    /// The desk's unit name, or the outside medium.
    pub adopted_by: String,
    pub fen: i64,
    pub at: i64,
}

/// A rate of a unit's 稿酬 table.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PaymentRate {
    pub kind: String,
    pub level: String,
    pub fen: i64,
}

/// A place in the year's 优秀信息员 ranking.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RankedCorrespondent {
    pub author_id: i64,
    pub name: String,
    pub unit_name: String,
    pub adopted: i64,
    /// When they reached their count (ties go to the earlier).
    pub reached_at: i64,
}

/// A call for stories (征集), with whether the viewer's unit answered.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoryCall {
    pub id: i64,
    pub unit_name: String,
    pub topic: String,
    pub details: String,
    pub deadline: String,
    pub created_at: i64,
}

/// A target unit of a call and how many stories it sent in answer.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CallTarget {
    pub unit_code: String,
    pub unit_name: String,
    pub answers: i64,
}

/// Why a story could not be reported up.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Not adopted at its desk (ready), or already sent up from it.
    #[error("the story is not ready at this desk")]
    NotReady,
    /// The reporter is not an editor over the story's desk.
    #[error("not an editor of this desk")]
    NotEditor,
    /// The desk is the tree's root.
    #[error("no unit above")]
    NoParent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReportError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::NotReady,
            _ => Self::Store(error.into()),
        }
    }
}

/// The SQL of a quarter's figures over unit `$1`'s subtree, times in
/// [`$2`, `$3`), grouped by origin unit or by author. Every source of a
/// count is one branch of a UNION ALL, so each is read once with its own
/// index (stories by origin and submission, adoptions by origin and time,
/// final decisions by time, reports by desk and time).
fn figures_sql(by: FiguresBy) -> String {
    let (key, name, unit_name, join) = match by {
        FiguresBy::Unit => ("u.code", "u.name", "''", "JOIN units u ON u.id = f.unit_id"),
        FiguresBy::Correspondent => (
            "CAST(m.id AS TEXT)",
            "m.name",
            "u.name",
            "JOIN members m ON m.id = f.author_id JOIN units u ON u.id = f.unit_id",
        ),
    };
    // A unit's row counts the reports its desk sent; a correspondent's row
    // stays under their own unit whichever desk sent their story up.
    let report_unit = match by {
        FiguresBy::Unit => "r.from_unit",
        FiguresBy::Correspondent => "s.origin_unit_id",
    };
    let group = match by {
        FiguresBy::Unit => "u.id, u.code, u.name",
        FiguresBy::Correspondent => "m.id, m.name, u.name",
    };
    format!(
        "WITH RECURSIVE sub (id) AS ( \
             SELECT id FROM units WHERE code = $1 \
             UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id), \
         f (unit_id, author_id, submitted, late, own, parent, outside, held, rejected, reported, fen) AS ( \
             SELECT origin_unit_id, author_id, 1, CASE WHEN late THEN 1 ELSE 0 END, 0, 0, 0, 0, 0, 0, 0 \
             FROM stories WHERE submitted_at >= $2 AND submitted_at < $3 AND origin_unit_id IN (SELECT id FROM sub) \
             UNION ALL \
             SELECT origin_unit, author_id, 0, 0, CASE WHEN level = 'own' THEN 1 ELSE 0 END, \
                 CASE WHEN level = 'parent' THEN 1 ELSE 0 END, CASE WHEN level = 'outside' THEN 1 ELSE 0 END, \
                 0, 0, 0, fen \
             FROM adoptions WHERE at >= $2 AND at < $3 AND origin_unit IN (SELECT id FROM sub) \
             UNION ALL \
             SELECT s.origin_unit_id, s.author_id, 0, 0, 0, 0, 0, CASE WHEN d.decision = 'hold' THEN 1 ELSE 0 END, \
                 CASE WHEN d.decision = 'reject' THEN 1 ELSE 0 END, 0, 0 \
             FROM story_decisions d JOIN stories s ON s.id = d.story_id \
             WHERE d.decision IN ('hold', 'reject') AND d.at >= $2 AND d.at < $3 \
                 AND s.origin_unit_id IN (SELECT id FROM sub) \
             UNION ALL \
             SELECT {report_unit}, s.author_id, 0, 0, 0, 0, 0, 0, 0, 1, 0 \
             FROM story_reports r JOIN stories s ON s.id = r.story_id \
             WHERE r.at >= $2 AND r.at < $3 AND r.from_unit IN (SELECT id FROM sub)) \
         SELECT {key} AS key, {name} AS name, {unit_name} AS unit_name, \
             CAST(SUM(f.submitted) AS BIGINT) AS submitted, CAST(SUM(f.late) AS BIGINT) AS late, CAST(SUM(f.own) AS BIGINT) AS adopted_own, \
             CAST(SUM(f.parent) AS BIGINT) AS adopted_parent, CAST(SUM(f.outside) AS BIGINT) AS adopted_outside, CAST(SUM(f.held) AS BIGINT) AS held, \
             CAST(SUM(f.rejected) AS BIGINT) AS rejected, CAST(SUM(f.reported) AS BIGINT) AS reported_up, CAST(SUM(f.fen) AS BIGINT) AS fen \
         FROM f {join} GROUP BY {group} ORDER BY {key}"
    )
}

impl Store {
    /// A quarter's figures (通报) over unit `unit_code`'s subtree, `from`
    /// inclusive to `to` exclusive (unix seconds), one row per unit or per
    /// correspondent with anything to count.
    pub async fn quarter_figures(
        &self,
        unit_code: &str,
        from: i64,
        to: i64,
        by: FiguresBy,
    ) -> Result<Vec<FigureRow>, StoreError> {
        let sql = figures_sql(by);
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(unit_code).bind(from).bind(to).fetch_all(pool).await?
        }))
    }

    /// The 稿酬 ledger of unit `unit_code`'s subtree for [`from`, `to`): every
    /// adoption with what it earned, by correspondent and time.
    pub async fn payment_ledger(&self, unit_code: &str, from: i64, to: i64) -> Result<Vec<LedgerEntry>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE sub (id) AS ( \
                     SELECT id FROM units WHERE code = $1 \
                     UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) \
                 SELECT a.author_id, m.name AS author_name, ou.name AS unit_name, a.story_id, s.title, a.kind, \
                     a.level, COALESCE(bu.name, a.medium) AS adopted_by, a.fen, a.at \
                 FROM adoptions a JOIN members m ON m.id = a.author_id JOIN stories s ON s.id = a.story_id \
                 JOIN units ou ON ou.id = a.origin_unit LEFT JOIN units bu ON bu.id = a.by_unit \
                 WHERE a.at >= $2 AND a.at < $3 AND a.origin_unit IN (SELECT id FROM sub) \
                 ORDER BY m.name, a.author_id, a.at, a.id",
            )
            .bind(unit_code)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The year's 优秀信息员 ranking over `unit_code`'s subtree: most
    /// adoptions in [`from`, `to`) first, ties to whoever reached the count
    /// earlier.
    pub async fn best_correspondents(
        &self,
        unit_code: &str,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RankedCorrespondent>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE sub (id) AS ( \
                     SELECT id FROM units WHERE code = $1 \
                     UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) \
                 SELECT a.author_id, m.name, MIN(u.name) AS unit_name, COUNT(*) AS adopted, MAX(a.at) AS reached_at \
                 FROM adoptions a JOIN members m ON m.id = a.author_id JOIN units u ON u.id = a.origin_unit \
                 WHERE a.at >= $2 AND a.at < $3 AND a.origin_unit IN (SELECT id FROM sub) \
                 GROUP BY a.author_id, m.name ORDER BY adopted DESC, reached_at, a.author_id LIMIT $4",
            )
            .bind(unit_code)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Unit `unit_code`'s own 稿酬 rates (a unit without its own uses the
    /// nearest unit above that has them).
    pub async fn payment_rates(&self, unit_code: &str) -> Result<Vec<PaymentRate>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT r.kind, r.level, r.fen FROM payment_rates r JOIN units u ON u.id = r.unit_id \
                 WHERE u.code = $1 ORDER BY r.kind, r.level",
            )
            .bind(unit_code)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Sets unit `unit_code`'s rate for `kind` adopted at `level` to `fen`,
    /// when the unit is in the actor's reach; audited. Adoptions already made
    /// keep what they earned. `false` out of reach.
    pub async fn set_payment_rate(
        &self,
        actor: &Actor,
        unit_code: &str,
        kind: &str,
        level: AdoptionLevel,
        fen: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done: Result<bool, sqlx::Error> = on_writer!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                let set = sqlx::query(&format!(
                    "{} INSERT INTO payment_rates (unit_id, kind, level, fen, set_by, set_at) \
                     SELECT id, $3, $4, $5, $1, $6 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) \
                     ON CONFLICT (unit_id, kind, level) DO UPDATE SET fen = excluded.fen, \
                         set_by = excluded.set_by, set_at = excluded.set_at",
                    crate::officials::scope_cte(actor)
                ))
                .bind(actor.member_id.0)
                .bind(unit_code)
                .bind(kind)
                .bind(level.as_str())
                .bind(fen)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if set == 0 {
                    return Ok(false);
                }
                let target = format!("{unit_code} · {kind} · {}", level.as_str());
                audit_in_tx!(&mut *tx, actor.member_id, "设置稿酬标准", &target, &format!("{fen} 分"), now)?;
                tx.commit().await?;
                Ok(true)
            }
            .await
        });
        Ok(done?)
    }

    /// 报送上级: an editor over story `id`'s desk sends the story, adopted
    /// there, to the parent unit's desk, where it enters that chain as its
    /// next version (the earlier decisions stay its history). Audited.
    pub async fn report_story_up(&self, editor: MemberId, id: i64, now: i64) -> Result<String, ReportError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await.map_err(StoreError::from)?;
            let row: Option<(String, i64, Option<i64>, String)> = sqlx::query_as(
                "SELECT s.status, s.desk_unit_id, u.parent_id, s.title FROM stories s \
                 JOIN units u ON u.id = s.desk_unit_id WHERE s.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((status, desk, parent, title)) = row else { return Err(ReportError::NotReady) };
            if status != "ready" {
                return Err(ReportError::NotReady);
            }
            let (is_editor,): (bool,) = sqlx::query_as(
                "WITH RECURSIVE up (id, parent_id) AS ( \
                     SELECT id, parent_id FROM units WHERE id = $2 \
                     UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) \
                 SELECT EXISTS (SELECT 1 FROM newsroom_roles r WHERE r.member_id = $1 AND r.role = 'editor' \
                     AND r.unit_id IN (SELECT id FROM up))",
            )
            .bind(editor.0)
            .bind(desk)
            .fetch_one(&mut *tx)
            .await?;
            if !is_editor {
                return Err(ReportError::NotEditor);
            }
            let Some(parent) = parent else { return Err(ReportError::NoParent) };
            let steps: Option<(i64,)> = sqlx::query_as(
                "WITH RECURSIVE up (id, parent_id, depth) AS ( \
                     SELECT id, parent_id, 0 FROM units WHERE id = $1 \
                     UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id) \
                 SELECT c.steps FROM up JOIN review_chains c ON c.unit_id = up.id ORDER BY up.depth LIMIT 1",
            )
            .bind(parent)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO story_reports (story_id, from_unit, to_unit, by_member, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(desk)
                .bind(parent)
                .bind(editor.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE stories SET desk_unit_id = $2, steps = $3, version = version + 1, status = 'in_review', \
                     updated_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(parent)
            .bind(steps.map_or(3, |(s,)| s))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM story_locks WHERE story_id = $1").bind(id).execute(&mut *tx).await?;
            let (parent_name,): (String,) =
                sqlx::query_as("SELECT name FROM units WHERE id = $1").bind(parent).fetch_one(&mut *tx).await?;
            audit_in_tx!(&mut *tx, editor, "报送上级", &format!("稿件 #{id} {title}"), &parent_name, now)?;
            tx.commit().await.map_err(StoreError::from)?;
            Ok(parent_name)
        })
    }

    /// An editor over story `id`'s desk records that outside medium `medium`
    /// adopted it (外媒采用), earning the outside rate. The database refuses
    /// it for a story marked 对外宣传 否. `Ok(false)`: not adopted here yet,
    /// not the editor's, or already recorded for that medium.
    pub async fn record_outside_adoption(
        &self,
        editor: MemberId,
        id: i64,
        medium: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done: Result<bool, sqlx::Error> = on_writer!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                let row: Option<(i64, String, String)> = sqlx::query_as(
                    "WITH RECURSIVE up (id, parent_id) AS ( \
                         SELECT u.id, u.parent_id FROM units u JOIN stories s ON s.desk_unit_id = u.id WHERE s.id = $2 \
                         UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) \
                     SELECT s.origin_unit_id, s.kind, s.title FROM stories s \
                     WHERE s.id = $2 AND s.status IN ('ready', 'published') AND EXISTS ( \
                         SELECT 1 FROM newsroom_roles r WHERE r.member_id = $1 AND r.role = 'editor' \
                         AND r.unit_id IN (SELECT id FROM up))",
                )
                .bind(editor.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((origin, kind, title)) = row else { return Ok(false) };
                let fen: Option<(i64,)> =
                    sqlx::query_as(RATE_SQL).bind(origin).bind(&kind).bind("outside").fetch_optional(&mut *tx).await?;
                let fen = fen.map_or(0, |(f,)| f);
                let added = sqlx::query(
                    "INSERT INTO adoptions (story_id, author_id, origin_unit, by_unit, medium, level, kind, fen, at) \
                     SELECT id, author_id, origin_unit_id, NULL, $2, 'outside', kind, $3, $4 FROM stories WHERE id = $1 \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(medium)
                .bind(fen)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if added == 1 {
                    audit_in_tx!(&mut *tx, editor, "记录外媒采用", &format!("稿件 #{id} {title}"), medium, now)?;
                }
                tx.commit().await?;
                Ok(added == 1)
            }
            .await
        });
        Ok(done?)
    }

    /// Issues a call for stories (征集) from unit `unit_code` (in the actor's
    /// reach) to the given target units (each in reach; the unit's whole
    /// subtree when `targets` is empty). Audited; the call's id, `None` out
    /// of reach.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_story_call(
        &self,
        actor: &Actor,
        unit_code: &str,
        topic: &str,
        details: &str,
        deadline: &str,
        targets: &[String],
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let scope = crate::officials::scope_cte(actor);
        let made: Result<Option<i64>, sqlx::Error> = on_writer!(self, pool => {
            async {
                let mut tx = pool.begin_write().await?;
                let call: Option<(i64,)> = sqlx::query_as(&format!(
                    "{scope} INSERT INTO story_calls (unit_id, topic, details, deadline, created_by, created_at) \
                     SELECT id, $3, $4, $5, $1, $6 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) \
                     RETURNING id"
                ))
                .bind(actor.member_id.0)
                .bind(unit_code)
                .bind(topic)
                .bind(details)
                .bind(deadline)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((call,)) = call else { return Ok(None) };
                if targets.is_empty() {
                    sqlx::query(
                        "WITH RECURSIVE sub (id) AS ( \
                             SELECT id FROM units WHERE code = $2 \
                             UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) \
                         INSERT INTO story_call_targets (call_id, unit_id) SELECT $1, id FROM sub",
                    )
                    .bind(call)
                    .bind(unit_code)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    for target in targets {
                        let added = sqlx::query(&format!(
                            "{scope} INSERT INTO story_call_targets (call_id, unit_id) \
                             SELECT $2, id FROM units WHERE code = $3 AND id IN (SELECT id FROM scope) \
                             ON CONFLICT DO NOTHING"
                        ))
                        .bind(actor.member_id.0)
                        .bind(call)
                        .bind(target)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if added == 0 {
                            return Ok(None);
                        }
                    }
                }
                audit_in_tx!(&mut *tx, actor.member_id, "发布征稿", &format!("征集 #{call} {topic}"), deadline, now)?;
                tx.commit().await?;
                Ok(Some(call))
            }
            .await
        });
        Ok(made?)
    }

    /// Calls whose targets include unit `unit_code`, open on `today`
    /// (`YYYY-MM-DD`: deadline not passed), newest first.
    pub async fn open_calls_for(&self, unit_code: &str, today: &str) -> Result<Vec<StoryCall>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, u.name AS unit_name, c.topic, c.details, c.deadline, c.created_at \
                 FROM story_calls c JOIN units u ON u.id = c.unit_id \
                 JOIN story_call_targets t ON t.call_id = c.id JOIN units tu ON tu.id = t.unit_id \
                 WHERE tu.code = $1 AND c.deadline >= $2 ORDER BY c.id DESC",
            )
            .bind(unit_code)
            .bind(today)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Calls issued by units in the actor's reach, newest first.
    pub async fn calls_in_reach(&self, actor: &Actor) -> Result<Vec<StoryCall>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "{} SELECT c.id, u.name AS unit_name, c.topic, c.details, c.deadline, c.created_at \
                 FROM story_calls c JOIN units u ON u.id = c.unit_id WHERE c.unit_id IN (SELECT id FROM scope) \
                 ORDER BY c.id DESC",
                crate::officials::scope_cte(actor)
            ))
            .bind(actor.member_id.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Call `id`'s target units with how many stories each submitted in
    /// answer (0: not answered), when the call's unit is in the actor's reach.
    pub async fn call_targets(&self, actor: &Actor, id: i64) -> Result<Option<Vec<CallTarget>>, StoreError> {
        let in_reach: (bool,) = on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "{} SELECT EXISTS (SELECT 1 FROM story_calls WHERE id = $2 AND unit_id IN (SELECT id FROM scope))",
                crate::officials::scope_cte(actor)
            ))
            .bind(actor.member_id.0)
            .bind(id)
            .fetch_one(pool)
            .await?
        });
        if !in_reach.0 {
            return Ok(None);
        }
        Ok(Some(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT u.code AS unit_code, u.name AS unit_name, \
                     (SELECT COUNT(*) FROM stories s WHERE s.call_id = t.call_id AND s.origin_unit_id = t.unit_id \
                      AND s.status <> 'draft') AS answers \
                 FROM story_call_targets t JOIN units u ON u.id = t.unit_id WHERE t.call_id = $1 ORDER BY u.code",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        })))
    }

    /// Takes (or renews) the edit lock of story `id` for `member` until
    /// `expires_at`, unless someone else holds an unexpired one: then their
    /// name and the lock's expiry.
    pub async fn lock_story(
        &self,
        member: MemberId,
        id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<Option<(String, i64)>, StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO story_locks (story_id, member_id, expires_at) VALUES ($1, $2, $4) \
                 ON CONFLICT (story_id) DO UPDATE SET member_id = excluded.member_id, expires_at = excluded.expires_at \
                 WHERE story_locks.member_id = excluded.member_id OR story_locks.expires_at <= $3",
            )
            .bind(id)
            .bind(member.0)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        self.story_lock_holder(member, id, now).await
    }

    /// Someone other than `member` editing story `id` now: their name and
    /// the lock's expiry.
    pub async fn story_lock_holder(
        &self,
        member: MemberId,
        id: i64,
        now: i64,
    ) -> Result<Option<(String, i64)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT m.name, l.expires_at FROM story_locks l JOIN members m ON m.id = l.member_id \
                 WHERE l.story_id = $1 AND l.member_id <> $2 AND l.expires_at > $3",
            )
            .bind(id)
            .bind(member.0)
            .bind(now)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The text of story `id`'s version `version`, when an earlier version
    /// was kept (title, Markdown).
    pub async fn story_version(&self, id: i64, version: i64) -> Result<Option<(String, String)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT title, body_md FROM story_versions WHERE story_id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .fetch_optional(pool)
                .await?
        }))
    }
}

impl Store {
    /// Whether story `id` may be used outside the union (对外宣传 可).
    pub async fn story_may_go_outside(&self, id: i64) -> Result<bool, StoreError> {
        let row: Option<(bool,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT outward FROM stories WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        Ok(row.is_some_and(|(o,)| o))
    }

    /// Stories `author` saved since `since` (the per-account submission limit).
    pub async fn stories_saved_since(&self, author: MemberId, since: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM stories WHERE author_id = $1 AND created_at >= $2")
                .bind(author.0)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// Assets `member` uploaded since `since` (the per-account upload limit).
    pub async fn assets_uploaded_since(&self, member: MemberId, since: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM assets WHERE uploaded_by = $1 AND created_at >= $2")
                .bind(member.0)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }
}

/// A story adopted (ready) at a desk in an editor's reach.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AdoptedStory {
    pub id: i64,
    pub title: String,
    pub desk_unit_name: String,
    pub author_name: String,
    pub outward: bool,
    pub has_parent: bool,
    /// The member is 责任编辑 over the desk (报送上级, 外媒采用); a 终审
    /// reviewer who is not sees the story to publish it.
    pub is_editor: bool,
}

impl Store {
    /// Stories adopted at desks where `editor` is 责任编辑 or 终审 (on the
    /// desk's unit or above), newest first: what they may publish, and (as
    /// 责任编辑) report up.
    pub async fn adopted_for_editor(&self, editor: MemberId, limit: i64) -> Result<Vec<AdoptedStory>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE reach (id, editor) AS ( \
                     SELECT unit_id, role = 'editor' FROM newsroom_roles WHERE member_id = $1 AND role IN ('editor', 'final') \
                     UNION SELECT u.id, r.editor FROM units u JOIN reach r ON u.parent_id = r.id) \
                 SELECT s.id, s.title, u.name AS desk_unit_name, m.name AS author_name, s.outward, \
                     u.parent_id IS NOT NULL AS has_parent, \
                     EXISTS (SELECT 1 FROM reach e WHERE e.id = s.desk_unit_id AND e.editor) AS is_editor \
                 FROM stories s JOIN units u ON u.id = s.desk_unit_id JOIN members m ON m.id = s.author_id \
                 WHERE s.status = 'ready' AND s.desk_unit_id IN (SELECT id FROM reach) \
                 ORDER BY s.updated_at DESC, s.id DESC LIMIT $2",
            )
            .bind(editor.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}

impl Store {
    /// Story `id`'s current title and Markdown.
    pub async fn story_text(&self, id: i64) -> Result<(String, String), StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT title, body_md FROM stories WHERE id = $1").bind(id).fetch_one(pool).await?
        }))
    }
}

impl Store {
    /// Replaces the text and attachments of `story.author`'s draft `id`, in
    /// one transaction. `Ok(false)`: not their draft, or an asset they may
    /// not use (nothing changed then).
    pub async fn update_draft(&self, id: i64, story: &crate::NewStory<'_>, now: i64) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE stories SET title = $3, body_md = $4, body_html = $5, excerpt = $6, kind = $7, event_date = $8, \
                     outward = $9, call_id = $10, updated_at = $11 \
                 WHERE id = $1 AND author_id = $2 AND status = 'draft'",
            )
            .bind(id)
            .bind(story.author.0)
            .bind(story.title)
            .bind(story.body_md)
            .bind(story.body_html)
            .bind(story.excerpt)
            .bind(story.kind)
            .bind(story.event_date)
            .bind(story.outward)
            .bind(story.call)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM story_assets WHERE story_id = $1").bind(id).execute(&mut *tx).await?;
            if !crate::assets::attach_in_tx!(tx, story.author.0, id, story.assets)? {
                return Ok(false);
            }
            tx.commit().await?;
            Ok(true)
        })
    }
}
