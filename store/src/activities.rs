//! 活动: activities, their sessions, sign-ups with a waiting list, and
//! check-in at the door.
//!
//! A sign-up takes the lowest free seat of its session, or the next place
//! in line when every seat is taken; unique indexes stop two sign-ups from
//! sharing a seat or a member from signing up twice, and a trigger refuses
//! a seat beyond the capacity. A cancellation frees its seat and gives it to
//! the first in line in the same transaction. On PostgreSQL the sign-ups and
//! cancellations of one session queue on an advisory lock, so processes
//! never race for the same seat; within a process they queue in memory
//! first (`queue`), so a burst does not drain the pool.

use crate::officials::{scope_cte, UNIT_AND_ABOVE};
use crate::queue::{turn, Queue};
use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// On PostgreSQL, takes the session's transaction-scoped advisory lock.
macro_rules! lock_session {
    ($store:expr, $tx:expr, $session:expr) => {
        if matches!($store, Store::Postgres { .. }) {
            sqlx::query("SELECT pg_advisory_xact_lock(8, $1::int4)").bind($session as i32).execute($tx).await?;
        }
    };
}

/// An activity to create, with its first session.
pub struct NewActivity<'a> {
    pub unit_code: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub kind: &'a str,
    pub member_since: Option<&'a str>,
}

/// A session to add.
#[derive(Clone, Copy, Debug)]
pub struct NewSession<'a> {
    pub place: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i32,
    pub signup_opens: i64,
    pub signup_closes: i64,
}

/// A session with its activity and its counts.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivitySession {
    pub id: i64,
    pub activity_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub picture_url: Option<String>,
    pub member_since: Option<String>,
    pub withdrawn_at: Option<i64>,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i32,
    pub signup_opens: i64,
    pub signup_closes: i64,
    pub confirmed: i64,
    pub waiting: i64,
    pub checked_in: i64,
}

/// A sign-up with what its pages show.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SignUp {
    pub id: i64,
    pub session_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub member_phone: String,
    pub unit_name: String,
    pub status: String,
    pub seat: Option<i32>,
    pub queue_no: i32,
    pub created_at: i64,
    pub promoted_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub checked_in_at: Option<i64>,
    pub title: String,
    pub place: String,
    pub starts_at: i64,
}

/// How a sign-up went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignUpOutcome {
    /// A seat: the sign-up's id.
    Confirmed(i64),
    /// In line: the sign-up's id and how many are ahead of it.
    Waiting(i64, i64),
    /// The member already holds a live sign-up (its id).
    Already(i64),
}

/// How a check-in went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckIn {
    Done(Box<SignUp>),
    /// Checked in before, at this time.
    Already(i64),
    /// On the waiting list or cancelled: no seat to check in to.
    NoSeat,
    /// No such sign-up of a session in the actor's reach.
    NotFound,
}

const SELECT_SESSION: &str =
    "SELECT s.id, s.activity_id, a.unit_id, u.name AS unit_name, a.title, a.description, a.kind, \
     a.picture_url, a.member_since, a.withdrawn_at, s.place, s.starts_at, s.ends_at, s.capacity, s.signup_opens, \
     s.signup_closes, \
     (SELECT COUNT(*) FROM activity_signups g WHERE g.session_id = s.id AND g.status = 'confirmed') AS confirmed, \
     (SELECT COUNT(*) FROM activity_signups g WHERE g.session_id = s.id AND g.status = 'waiting') AS waiting, \
     (SELECT COUNT(*) FROM activity_signups g WHERE g.session_id = s.id AND g.checked_in_at IS NOT NULL) AS checked_in \
     FROM activity_sessions s JOIN activities a ON a.id = s.activity_id JOIN units u ON u.id = a.unit_id";

const SELECT_SIGNUP: &str = "SELECT g.id, g.session_id, g.member_id, m.name AS member_name, m.phone AS member_phone, \
     u.name AS unit_name, g.status, g.seat, g.queue_no, g.created_at, g.promoted_at, g.cancelled_at, g.checked_in_at, \
     a.title, s.place, s.starts_at \
     FROM activity_signups g JOIN members m ON m.id = g.member_id JOIN units u ON u.id = g.unit_id \
     JOIN activity_sessions s ON s.id = g.session_id JOIN activities a ON a.id = s.activity_id";

impl Store {
    /// Creates an activity of `unit` (in the actor's reach) with its first
    /// session; audited. `Ok(None)` when the unit is outside the reach.
    pub async fn create_activity(
        &self,
        actor: &Actor,
        new: &NewActivity<'_>,
        session: &NewSession<'_>,
        now: i64,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let sql = format!(
            "{} INSERT INTO activities (unit_id, title, description, kind, member_since, created_by, created_at) \
             SELECT id, $3, $4, $5, $6, $1, $7 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) RETURNING id",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(new.unit_code)
                .bind(new.title)
                .bind(new.description)
                .bind(new.kind)
                .bind(new.member_since)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((id,)) = id else { return Ok(None) };
            let (session_id,): (i64,) = sqlx::query_as(INSERT_SESSION)
                .bind(id)
                .bind(session.place)
                .bind(session.starts_at)
                .bind(session.ends_at)
                .bind(session.capacity)
                .bind(session.signup_opens)
                .bind(session.signup_closes)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            audit_in_tx!(&mut *tx, actor.member_id, "发布活动", &format!("活动 #{id}"), &format!("{}，{} 人", new.title, session.capacity), now)?;
            tx.commit().await?;
            Ok(Some((id, session_id)))
        })
    }

    /// Adds a session to activity `activity` (in the actor's reach; audited).
    pub async fn add_session(
        &self,
        actor: &Actor,
        activity: i64,
        session: &NewSession<'_>,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let check = format!(
            "{} SELECT COUNT(*) FROM activities WHERE id = $2 AND withdrawn_at IS NULL AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (n,): (i64,) = sqlx::query_as(&check).bind(actor.member_id.0).bind(activity).fetch_one(&mut *tx).await?;
            if n == 0 {
                return Ok(None);
            }
            let (id,): (i64,) = sqlx::query_as(INSERT_SESSION)
                .bind(activity)
                .bind(session.place)
                .bind(session.starts_at)
                .bind(session.ends_at)
                .bind(session.capacity)
                .bind(session.signup_opens)
                .bind(session.signup_closes)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            audit_in_tx!(&mut *tx, actor.member_id, "增加场次", &format!("活动 #{activity}"), &format!("场次 #{id}，{} 人", session.capacity), now)?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Withdraws activity `id` (in the actor's reach; audited).
    pub async fn withdraw_activity(&self, actor: &Actor, id: i64, now: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "{} UPDATE activities SET withdrawn_at = $3 WHERE id = $2 AND withdrawn_at IS NULL \
             AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(&sql).bind(actor.member_id.0).bind(id).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_in_tx!(&mut *tx, actor.member_id, "取消活动", &format!("活动 #{id}"), "", now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    pub async fn activity_session(&self, id: i64) -> Result<Option<ActivitySession>, StoreError> {
        let sql = format!("{SELECT_SESSION} WHERE s.id = $1");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// Sessions of activities in the actor's reach, newest activity first.
    pub async fn sessions_in_scope(&self, actor: &Actor) -> Result<Vec<ActivitySession>, StoreError> {
        let sql = format!(
            "{} {SELECT_SESSION} WHERE a.unit_id IN (SELECT id FROM scope) ORDER BY a.id DESC, s.starts_at LIMIT 300",
            scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?)
    }

    /// Sessions a member of `unit_id` may see: of activities of that unit or
    /// any above it, not withdrawn, not over; soonest first.
    pub async fn sessions_for_unit(&self, unit_id: i64, now: i64) -> Result<Vec<ActivitySession>, StoreError> {
        let sql = format!(
            "{UNIT_AND_ABOVE} {SELECT_SESSION} WHERE a.unit_id IN (SELECT id FROM path) AND a.withdrawn_at IS NULL AND s.ends_at > $2 \
             ORDER BY s.starts_at, s.id LIMIT 100"
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(unit_id).bind(now).fetch_all(pool).await)?)
    }

    /// Signs `member` (of unit `unit_id`) up for session `session`: a seat
    /// if one is free, else the next place in line.
    pub async fn sign_up_session(
        &self,
        session: i64,
        member: MemberId,
        unit_id: i64,
        now: i64,
    ) -> Result<SignUpOutcome, StoreError> {
        let _turn = turn(Queue::SessionSeats, session).await;
        for _ in 0..SEAT_ATTEMPTS {
            let attempt: Result<SignUpOutcome, sqlx::Error> = on_writer!(self, pool => {
                async {
                    let mut tx = pool.begin_write().await?;
                    lock_session!(self, &mut *tx, session);
                    let live: Option<(i64,)> = sqlx::query_as(
                        "SELECT id FROM activity_signups WHERE session_id = $1 AND member_id = $2 AND status <> 'cancelled'",
                    )
                    .bind(session)
                    .bind(member.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some((id,)) = live {
                        return Ok(SignUpOutcome::Already(id));
                    }
                    let (capacity,): (i32,) = sqlx::query_as("SELECT capacity FROM activity_sessions WHERE id = $1")
                        .bind(session)
                        .fetch_one(&mut *tx)
                        .await?;
                    let taken: Vec<(i32,)> = sqlx::query_as(
                        "SELECT seat FROM activity_signups WHERE session_id = $1 AND seat IS NOT NULL ORDER BY seat",
                    )
                    .bind(session)
                    .fetch_all(&mut *tx)
                    .await?;
                    let free = lowest_free_seat(taken.iter().map(|(s,)| *s), capacity);
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO activity_signups (session_id, member_id, unit_id, status, seat, queue_no, created_at) \
                         SELECT $1, $2, $3, $4, $5, COALESCE(MAX(queue_no), 0) + 1, $6 FROM activity_signups \
                         WHERE session_id = $1 RETURNING id",
                    )
                    .bind(session)
                    .bind(member.0)
                    .bind(unit_id)
                    .bind(if free.is_some() { "confirmed" } else { "waiting" })
                    .bind(free)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    let outcome = match free {
                        Some(_) => SignUpOutcome::Confirmed(id),
                        None => {
                            let (ahead,): (i64,) = sqlx::query_as(
                                "SELECT COUNT(*) FROM activity_signups WHERE session_id = $1 AND status = 'waiting' AND id <> $2 \
                                 AND queue_no < (SELECT queue_no FROM activity_signups WHERE id = $2)",
                            )
                            .bind(session)
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                            SignUpOutcome::Waiting(id, ahead)
                        }
                    };
                    tx.commit().await?;
                    Ok(outcome)
                }
                .await
            });
            match attempt {
                Ok(outcome) => return Ok(outcome),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Corrupt("a sign-up kept losing its seat".into()))
    }

    /// Cancels the member's sign-up `id`; its seat goes to the first in
    /// line. Answers whether it was cancelled, and the sign-up that moved up.
    pub async fn cancel_signup(&self, id: i64, member: MemberId, now: i64) -> Result<(bool, Option<i64>), StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let found: Option<(i64,)> = sqlx::query_as("SELECT session_id FROM activity_signups WHERE id = $1 AND member_id = $2")
                .bind(id)
                .bind(member.0)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((session,)) = found else { return Ok((false, None)) };
            // Locked before reading the seat: a waiting sign-up may be moving
            // up this moment, and its new seat must pass on, not vanish.
            lock_session!(self, &mut *tx, session);
            let live: Option<(Option<i32>,)> =
                sqlx::query_as("SELECT seat FROM activity_signups WHERE id = $1 AND status <> 'cancelled'")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((seat,)) = live else { return Ok((false, None)) };
            sqlx::query("UPDATE activity_signups SET status = 'cancelled', seat = NULL, cancelled_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let mut promoted = None;
            if let Some(seat) = seat {
                let next: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM activity_signups WHERE session_id = $1 AND status = 'waiting' ORDER BY queue_no LIMIT 1",
                )
                .bind(session)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((next,)) = next {
                    sqlx::query(
                        "UPDATE activity_signups SET status = 'confirmed', seat = $2, promoted_at = $3 WHERE id = $1",
                    )
                    .bind(next)
                    .bind(seat)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    promoted = Some(next);
                }
            }
            tx.commit().await?;
            Ok((true, promoted))
        })
    }

    pub async fn signup(&self, id: i64) -> Result<Option<SignUp>, StoreError> {
        let sql = format!("{SELECT_SIGNUP} WHERE g.id = $1");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// How many wait ahead of waiting sign-up `id`.
    pub async fn waiting_ahead(&self, id: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT COUNT(*) FROM activity_signups w JOIN activity_signups me ON me.id = $1 \
                 WHERE w.session_id = me.session_id AND w.status = 'waiting' AND w.queue_no < me.queue_no",
            )
            .bind(id)
            .fetch_one(pool)
            .await
        })?;
        Ok(n)
    }

    /// The member's sign-ups, newest session first.
    pub async fn member_signups(&self, member: MemberId) -> Result<Vec<SignUp>, StoreError> {
        let sql = format!("{SELECT_SIGNUP} WHERE g.member_id = $1 ORDER BY s.starts_at DESC, g.id DESC LIMIT 100");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(member.0).fetch_all(pool).await)?)
    }

    /// The live sign-ups of session `session`, seats first then the line.
    pub async fn session_signups(&self, session: i64) -> Result<Vec<SignUp>, StoreError> {
        let sql = format!(
            "{SELECT_SIGNUP} WHERE g.session_id = $1 AND g.status <> 'cancelled' \
             ORDER BY CASE WHEN g.status = 'confirmed' THEN 0 ELSE 1 END, g.seat, g.queue_no"
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(session).fetch_all(pool).await)?)
    }

    /// Whether session `session`'s activity is in the actor's reach.
    pub async fn session_in_scope(&self, actor: &Actor, session: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "{} SELECT COUNT(*) FROM activity_sessions s JOIN activities a ON a.id = s.activity_id \
             WHERE s.id = $2 AND a.unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        let (n,): (i64,) =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(session).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// Checks sign-up `signup` of session `session` in at the door, once.
    pub async fn check_in(&self, actor: &Actor, signup: i64, session: i64, now: i64) -> Result<CheckIn, StoreError> {
        if !self.session_in_scope(actor, session).await? {
            return Ok(CheckIn::NotFound);
        }
        let updated = on_writer!(self, pool => {
            sqlx::query(
                "UPDATE activity_signups SET checked_in_at = $3, checked_in_by = $4 \
                 WHERE id = $1 AND session_id = $2 AND status = 'confirmed' AND checked_in_at IS NULL",
            )
            .bind(signup)
            .bind(session)
            .bind(now)
            .bind(actor.member_id.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        let sql = format!("{SELECT_SIGNUP} WHERE g.id = $1 AND g.session_id = $2");
        let found: Option<SignUp> =
            on_writer!(self, pool => sqlx::query_as(&sql).bind(signup).bind(session).fetch_optional(pool).await)?;
        Ok(match found {
            None => CheckIn::NotFound,
            Some(found) if updated == 1 => CheckIn::Done(Box::new(found)),
            Some(found) => match found.checked_in_at {
                Some(at) => CheckIn::Already(at),
                None => CheckIn::NoSeat,
            },
        })
    }
}

const INSERT_SESSION: &str = "INSERT INTO activity_sessions \
     (activity_id, place, starts_at, ends_at, capacity, signup_opens, signup_closes, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

/// How often a sign-up retries after losing a seat to a simultaneous one
/// (only without the PostgreSQL lock's ordering; SQLite has one writer).
const SEAT_ATTEMPTS: usize = 10;

/// The lowest seat in 1..=capacity not in `taken` (sorted), if any.
fn lowest_free_seat(taken: impl Iterator<Item = i32>, capacity: i32) -> Option<i32> {
    let mut expected = 1;
    for seat in taken {
        if seat > expected {
            break;
        }
        expected = seat + 1;
    }
    (expected <= capacity).then_some(expected)
}

#[cfg(test)]
mod tests {
    use super::lowest_free_seat;

    #[test]
    fn the_lowest_free_seat_fills_gaps_first_and_none_when_full() {
        assert_eq!(lowest_free_seat([].into_iter(), 3), Some(1));
        assert_eq!(lowest_free_seat([1, 2].into_iter(), 3), Some(3));
        assert_eq!(lowest_free_seat([1, 3].into_iter(), 3), Some(2));
        assert_eq!(lowest_free_seat([1, 2, 3].into_iter(), 3), None);
    }
}
