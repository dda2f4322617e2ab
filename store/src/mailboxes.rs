//! 信箱: letters to the union (工会信箱), to its lawyers (律师邮箱) and
//! suggestions (说吧); their handling — assignment, transfer up or down the
//! tree, the answer, the writer's rating, publication as a public Q&A — and
//! the working-day calendar their deadlines are counted on.
//!
//! Who may handle a letter: officials whose reach holds the letter's
//! current unit, its assignee, and for 律师邮箱 the lawyers of that unit.
//! Every handler's action is audited in the same transaction.

use crate::engagement::NewAlert;
use crate::officials::{scope_cte, UNIT_AND_ABOVE};
use crate::protect::DataKey;
use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// A letter with what its pages show; the body still sealed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub kind: String,
    pub member_id: i64,
    pub member_name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub parent_id: Option<i64>,
    pub subject: String,
    pub body_sealed: String,
    pub anonymous: bool,
    pub may_publish: bool,
    pub watched_words: String,
    pub assigned_to: Option<i64>,
    pub assignee_name: Option<String>,
    pub deadline: String,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub rating: Option<i32>,
    pub public_question: Option<String>,
    pub published_at: Option<i64>,
    pub photos: i64,
    pub created_at: i64,
}

/// One step of a letter's trail.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LetterEvent {
    pub action: String,
    pub actor_name: Option<String>,
    pub from_unit: Option<String>,
    pub to_unit: Option<String>,
    pub note: String,
    pub at: i64,
}

/// A published question and its answer; the page decides what of the
/// writer to show.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PublicLetter {
    pub id: i64,
    pub kind: String,
    pub unit_name: String,
    pub writer: String,
    pub anonymous: bool,
    pub public_question: String,
    pub answer: String,
    pub published_at: i64,
}

/// A letter to store, already checked (and its words already matched).
pub struct NewLetter<'a> {
    pub kind: &'a str,
    pub member: MemberId,
    pub unit_id: i64,
    pub subject: &'a str,
    pub body: &'a str,
    pub anonymous: bool,
    pub may_publish: bool,
    pub watched_words: &'a str,
    pub deadline: &'a str,
    pub alerts: &'a [NewAlert],
    pub day: &'a str,
}

/// A handler's answer: with `public_question` set (the question with the
/// personal details taken out) it is published as a public Q&A.
pub struct Answer<'a> {
    pub text: &'a str,
    pub public_question: Option<&'a str>,
}

const SELECT_LETTER: &str = "SELECT l.id, l.kind, l.member_id, m.name AS member_name, l.unit_id, u.code AS unit_code, \
     u.name AS unit_name, u.parent_id, l.subject, l.body_sealed, l.anonymous, l.may_publish, l.watched_words, \
     l.assigned_to, a.name AS assignee_name, l.deadline, l.answer, l.answered_at, l.rating, l.public_question, \
     l.published_at, CAST((SELECT COUNT(*) FROM letter_photos p WHERE p.letter_id = l.id) AS BIGINT) AS photos, l.created_at \
     FROM letters l JOIN members m ON m.id = l.member_id JOIN units u ON u.id = l.unit_id \
     LEFT JOIN members a ON a.id = l.assigned_to";

/// The letters member `$1` may handle: in reach as an official, assigned to
/// them, or 律师邮箱 letters of a unit they are a lawyer of.
fn handled_by(actor: &Actor) -> String {
    format!(
        "{} {SELECT_LETTER} WHERE (l.unit_id IN (SELECT id FROM scope) OR l.assigned_to = $1 \
         OR (l.kind = 'legal' AND l.unit_id IN (SELECT unit_id FROM mailbox_lawyers WHERE member_id = $1)))",
        scope_cte(actor)
    )
}

/// A unit id or none, typed for binding.
fn unit_ref(unit: Option<i64>) -> Option<i64> {
    unit
}

/// One step of a letter's trail, inside the caller's transaction.
macro_rules! letter_event {
    ($tx:expr, $letter:expr, $action:expr, $actor:expr, $from:expr, $to:expr, $note:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO letter_events (letter_id, action, actor_id, from_unit, to_unit, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($letter)
        .bind($action)
        .bind($actor.map(|a: MemberId| a.0))
        .bind(unit_ref($from))
        .bind(unit_ref($to))
        .bind($note)
        .bind($now)
        .execute($tx)
        .await
    };
}

impl Store {
    /// The calendar's exceptions: (day, working, name), by day.
    pub async fn work_calendar(&self) -> Result<Vec<(String, bool, String)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT day, working, name FROM work_calendar ORDER BY day").fetch_all(pool).await?
        }))
    }

    /// Sets (or replaces) day `day`'s exception. Audited.
    pub async fn set_calendar_day(
        &self,
        actor: MemberId,
        day: &str,
        working: bool,
        name: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO work_calendar (day, working, name, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (day) DO UPDATE SET working = $2, name = $3, updated_by = $4, updated_at = $5",
            )
            .bind(day)
            .bind(working)
            .bind(name)
            .bind(actor.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let what = format!("{name}（{}）", if working { "上班" } else { "放假" });
            audit_in_tx!(&mut *tx, actor, "修改工作日历", day, &what, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Removes day `day`'s exception (it is an ordinary day again). Audited.
    pub async fn remove_calendar_day(&self, actor: MemberId, day: &str, now: i64) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("DELETE FROM work_calendar WHERE day = $1").bind(day).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_in_tx!(&mut *tx, actor, "修改工作日历", day, "恢复为平常日", now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Unit `unit_id` and the units above it, nearest first: (id, code, name).
    pub async fn unit_path(&self, unit_id: i64) -> Result<Vec<(i64, String, String)>, StoreError> {
        let sql = format!(
            "{UNIT_AND_ABOVE} SELECT u.id, u.code, u.name FROM units u JOIN path ON path.id = u.id ORDER BY LENGTH(u.code) DESC"
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(unit_id).fetch_all(pool).await?))
    }

    /// The units directly below unit `unit_id`: (code, name), by code.
    pub async fn child_units(&self, unit_id: i64) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT code, name FROM units WHERE parent_id = $1 ORDER BY code").bind(unit_id).fetch_all(pool).await?
        }))
    }

    /// The unit with `code`: (id, code, name).
    pub async fn unit_path_by_code(&self, code: &str) -> Result<Option<(i64, String, String)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT id, code, name FROM units WHERE code = $1").bind(code).fetch_optional(pool).await?
        }))
    }

    /// Whether `member` is an official of a top unit (one without a parent).
    pub async fn is_top_official(&self, member: MemberId) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT COUNT(*) FROM officials o JOIN units u ON u.id = o.unit_id WHERE o.member_id = $1 AND u.parent_id IS NULL",
            )
            .bind(member.0)
            .fetch_one(pool)
            .await?
        });
        Ok(n > 0)
    }

    /// Unit `unit_id`'s answer deadline for `kind` letters, in working days
    /// (5 unless its officials set another).
    pub async fn mailbox_deadline_days(&self, unit_id: i64, kind: &str) -> Result<i32, StoreError> {
        let found: Option<(i32,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT deadline_days FROM mailbox_settings WHERE unit_id = $1 AND kind = $2")
                .bind(unit_id)
                .bind(kind)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.map_or(5, |(d,)| d))
    }

    /// Sets unit `unit_code`'s deadline for `kind` letters (in reach; audited).
    pub async fn set_mailbox_deadline(
        &self,
        actor: &Actor,
        unit_code: &str,
        kind: &str,
        days: i32,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} INSERT INTO mailbox_settings (unit_id, kind, deadline_days) \
             SELECT id, $3, $4 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) \
             ON CONFLICT (unit_id, kind) DO UPDATE SET deadline_days = $4",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(&sql).bind(actor.member_id.0).bind(unit_code).bind(kind).bind(days)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_in_tx!(&mut *tx, actor.member_id, "设置信箱办理时限", unit_code, &format!("{kind}：{days} 个工作日"), now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Makes the member with `phone` a lawyer of unit `unit_code`'s 律师邮箱
    /// (in reach; audited). False when no such member or unit in reach.
    pub async fn add_lawyer(&self, actor: &Actor, unit_code: &str, phone: &str, now: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "{} INSERT INTO mailbox_lawyers (member_id, unit_id, added_by, added_at) \
             SELECT m.id, u.id, $1, $4 FROM members m, units u WHERE m.phone = $3 AND u.code = $2 \
             AND u.id IN (SELECT id FROM scope) ON CONFLICT (member_id, unit_id) DO NOTHING",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(&sql).bind(actor.member_id.0).bind(unit_code).bind(phone).bind(now)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_in_tx!(&mut *tx, actor.member_id, "添加信箱律师", unit_code, phone, now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Whether `member` is a lawyer of unit `unit_id`.
    pub async fn is_lawyer_of(&self, member: MemberId, unit_id: i64) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM mailbox_lawyers WHERE member_id = $1 AND unit_id = $2")
                .bind(member.0)
                .bind(unit_id)
                .fetch_one(pool)
                .await?
        });
        Ok(n > 0)
    }

    /// Whether `member` is a lawyer of any unit.
    pub async fn is_lawyer(&self, member: MemberId) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM mailbox_lawyers WHERE member_id = $1").bind(member.0).fetch_one(pool).await?
        });
        Ok(n > 0)
    }

    /// Stores a letter, its photo (sealed), its first trail step and its
    /// 舆情 alerts in one transaction; its id.
    pub async fn write_letter(&self, new: &NewLetter<'_>, key: &DataKey, now: i64) -> Result<i64, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO letters (kind, member_id, unit_id, first_unit_id, subject, body_sealed, anonymous, \
                 may_publish, watched_words, deadline, created_at) VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10) \
                 RETURNING id",
            )
            .bind(new.kind)
            .bind(new.member.0)
            .bind(new.unit_id)
            .bind(new.subject)
            .bind(key.seal(new.body))
            .bind(new.anonymous)
            .bind(new.may_publish)
            .bind(new.watched_words)
            .bind(new.deadline)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO letter_events (letter_id, action, actor_id, from_unit, to_unit, note, at) \
                 VALUES ($1, 'written', $2, NULL, $3, '', $4)",
            )
            .bind(id)
            .bind(new.member.0)
            .bind(new.unit_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            for alert in new.alerts {
                sqlx::query("INSERT INTO watch_alerts (unit_id, word, tier, letter_id, day, at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(alert.unit_id)
                    .bind(&alert.word)
                    .bind(&alert.tier)
                    .bind(id)
                    .bind(new.day)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn letter(&self, id: i64) -> Result<Option<Letter>, StoreError> {
        let sql = format!("{SELECT_LETTER} WHERE l.id = $1");
        Ok(on_writer!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A member's own letters, newest first.
    pub async fn member_letters(&self, member: MemberId) -> Result<Vec<Letter>, StoreError> {
        let sql = format!("{SELECT_LETTER} WHERE l.member_id = $1 ORDER BY l.id DESC LIMIT 100");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(member.0).fetch_all(pool).await?))
    }

    /// The letters `actor` may handle: unanswered first, the earliest
    /// deadline first among them, then the latest answered.
    pub async fn letters_for_handler(&self, actor: &Actor) -> Result<Vec<Letter>, StoreError> {
        let sql = format!(
            "{} ORDER BY CASE WHEN l.answered_at IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN l.answered_at IS NULL THEN l.deadline END, l.id DESC LIMIT 200",
            handled_by(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await?))
    }

    /// Letter `id` if `actor` may handle it.
    pub async fn letter_for_handler(&self, actor: &Actor, id: i64) -> Result<Option<Letter>, StoreError> {
        let sql = format!("{} AND l.id = $2", handled_by(actor));
        Ok(on_writer!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(id).fetch_optional(pool).await?))
    }

    /// Letter `id`'s trail, oldest first.
    pub async fn letter_events(&self, id: i64) -> Result<Vec<LetterEvent>, StoreError> {
        Ok(on_writer!(self, pool => {
            sqlx::query_as(
                "SELECT e.action, m.name AS actor_name, f.name AS from_unit, t.name AS to_unit, e.note, e.at \
                 FROM letter_events e LEFT JOIN members m ON m.id = e.actor_id \
                 LEFT JOIN units f ON f.id = e.from_unit LEFT JOIN units t ON t.id = e.to_unit \
                 WHERE e.letter_id = $1 ORDER BY e.id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The writer attaches a photo to their unanswered letter `id`, sealed:
    /// false when it has 3 already (the primary key) or is answered.
    pub async fn attach_letter_photo(
        &self,
        member: MemberId,
        id: i64,
        content_type: &str,
        bytes: &[u8],
        key: &DataKey,
    ) -> Result<bool, StoreError> {
        let attempt = on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO letter_photos (letter_id, n, content_type, sealed) \
                 SELECT l.id, (SELECT COUNT(*) FROM letter_photos p WHERE p.letter_id = l.id) + 1, $3, $4 \
                 FROM letters l WHERE l.id = $1 AND l.member_id = $2 AND l.answered_at IS NULL",
            )
            .bind(id)
            .bind(member.0)
            .bind(content_type)
            .bind(key.seal_bytes(bytes))
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        });
        match attempt {
            Ok(rows) => Ok(rows == 1),
            // The fourth photo (n = 4) or two at once (the same n).
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() || e.is_check_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Photo `n` of letter `id`, opened: (bytes, content type).
    pub async fn letter_photo(&self, id: i64, n: i32, key: &DataKey) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let row: Option<(Vec<u8>, String)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT sealed, content_type FROM letter_photos WHERE letter_id = $1 AND n = $2")
                .bind(id)
                .bind(n)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(sealed, kind)| Ok((key.open_bytes(&sealed).map_err(|e| StoreError::Corrupt(e.to_string()))?, kind)))
            .transpose()
    }

    /// Assigns unanswered letter `id` to member `to` (the caller checked the
    /// letter is in `actor`'s reach and `to` may handle it). Audited.
    pub async fn assign_letter(
        &self,
        actor: &Actor,
        id: i64,
        to: MemberId,
        to_name: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("UPDATE letters SET assigned_to = $2 WHERE id = $1 AND answered_at IS NULL")
                .bind(id).bind(to.0).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                letter_event!(&mut *tx, id, "assigned", Some(actor.member_id), None, None, to_name, now)?;
                audit_in_tx!(&mut *tx, actor.member_id, "分派来信", &format!("来信 #{id}"), to_name, now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Moves unanswered letter `id` from unit `from` to unit `to` with a
    /// note; the assignment is cleared (the new unit assigns its own).
    /// Audited. False when it was answered or moved meanwhile.
    pub async fn transfer_letter(
        &self,
        actor: &Actor,
        id: i64,
        from: i64,
        to: i64,
        note: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("UPDATE letters SET unit_id = $3, assigned_to = NULL WHERE id = $1 AND unit_id = $2 AND answered_at IS NULL")
                .bind(id).bind(from).bind(to).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                letter_event!(&mut *tx, id, "transferred", Some(actor.member_id), Some(from), Some(to), note, now)?;
                audit_in_tx!(&mut *tx, actor.member_id, "转办来信", &format!("来信 #{id}"), note, now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Answers letter `id` once (the caller checked `by` may). Audited.
    pub async fn answer_letter(
        &self,
        by: MemberId,
        id: i64,
        answer: &Answer<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE letters SET answer = $2, answered_by = $3, answered_at = $4, public_question = $5, \
                 published_at = CASE WHEN $5 IS NULL THEN NULL ELSE $4 END \
                 WHERE id = $1 AND answered_at IS NULL AND ($5 IS NULL OR may_publish)",
            )
            .bind(id)
            .bind(answer.text)
            .bind(by.0)
            .bind(now)
            .bind(answer.public_question)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if done {
                letter_event!(&mut *tx, id, "answered", Some(by), None, None, "", now)?;
                if answer.public_question.is_some() {
                    letter_event!(&mut *tx, id, "published", Some(by), None, None, "", now)?;
                }
                audit_in_tx!(&mut *tx, by, "答复来信", &format!("来信 #{id}"), if answer.public_question.is_some() { "并公开" } else { "" }, now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// The writer rates the answer of their letter `id`, once.
    pub async fn rate_letter(&self, member: MemberId, id: i64, rating: i32, now: i64) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE letters SET rating = $3, rated_at = $4 WHERE id = $1 AND member_id = $2 \
                 AND answered_at IS NOT NULL AND rating IS NULL",
            )
            .bind(id).bind(member.0).bind(rating).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                letter_event!(&mut *tx, id, "rated", Some(member), None, None, "", now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Published Q&As of `kind` (all kinds when empty), newest first.
    pub async fn public_letters(&self, kind: &str) -> Result<Vec<PublicLetter>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT l.id, l.kind, u.name AS unit_name, m.name AS writer, l.anonymous, l.public_question, l.answer, \
                 l.published_at FROM letters l JOIN units u ON u.id = l.unit_id JOIN members m ON m.id = l.member_id WHERE l.published_at IS NOT NULL AND ($1 = '' OR l.kind = $1) \
                 ORDER BY l.published_at DESC LIMIT 100",
            )
            .bind(kind)
            .fetch_all(pool)
            .await?
        }))
    }
}
