//! Manual 实名认证 requests (人工审核) and their review by officials.
//!
//! Every read and change an official makes is limited to requests of units
//! in their reach (the same `scope` CTE as the member list), and every
//! decision is written to the audit log in the same transaction as the
//! decision itself.

use domain::IdNumber;

use crate::officials::scope_cte;
use crate::protect::DataKey;
use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// Where a member's latest request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    /// The member certified automatically while the request waited.
    Withdrawn,
}

impl RequestStatus {
    fn parse(raw: &str) -> Result<Self, StoreError> {
        match raw {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "rejected" => Ok(Self::Rejected),
            "withdrawn" => Ok(Self::Withdrawn),
            other => Err(StoreError::Corrupt(format!("certify request status {other}"))),
        }
    }
}

/// A member's own view of their latest request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnRequest {
    pub id: i64,
    pub status: RequestStatus,
    pub reason: Option<String>,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
}

/// A request as the review queue lists it (no plain ID number).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuedRequest {
    pub id: i64,
    pub name: String,
    pub id_masked: String,
    pub phone: String,
    pub unit_code: String,
    pub unit_name: String,
    pub created_at: i64,
    /// The roster's name for this ID number, when the roster has it.
    pub roster_name: Option<String>,
    /// Whether that roster entry already certifies another account.
    pub roster_taken: bool,
}

/// What a new request needs; the photo is already checked to be an image.
pub struct NewRequest<'a> {
    pub member: MemberId,
    pub name: &'a str,
    pub id_number: &'a IdNumber,
    pub photo: &'a [u8],
    pub photo_type: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the member already has a request under review")]
    AlreadyPending,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Not in the actor's reach, never existed, or already decided.
    #[error("no pending request with this id in reach")]
    NotPending,
    /// The ID number's roster entry already certifies another account.
    #[error("the roster entry certifies another account")]
    TakenByOther,
    #[error("the member is already certified")]
    AlreadyCertified,
    /// The ID number is on the roster of a unit outside the actor's reach
    /// (its name given): approving would move that unit's person.
    #[error("the roster entry belongs to {0}, outside the actor's reach")]
    EntryOutsideReach(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReviewError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

#[derive(sqlx::FromRow)]
struct OwnRecord {
    id: i64,
    status: String,
    reason: Option<String>,
    created_at: i64,
    reviewed_at: Option<i64>,
}

/// The pending request `$2` if it is in the reach of actor `$1`.
fn pending_in_reach(actor: &Actor) -> String {
    format!(
        "{} SELECT q.member_id, q.unit_id, u.code AS unit_code, q.name, q.id_sealed, q.id_masked \
         FROM certify_requests q JOIN units u ON u.id = q.unit_id \
         WHERE q.id = $2 AND q.status = 'pending' AND q.unit_id IN (SELECT id FROM scope)",
        scope_cte(actor)
    )
}

#[derive(sqlx::FromRow)]
struct DecisionRecord {
    member_id: i64,
    unit_id: i64,
    unit_code: String,
    name: String,
    id_sealed: String,
    id_masked: String,
}

impl Store {
    /// Files a request in the member's current unit. The partial unique index
    /// keeps one pending request per member, across server processes.
    pub async fn submit_certify_request(
        &self,
        request: NewRequest<'_>,
        key: &DataKey,
        now: i64,
    ) -> Result<i64, SubmitError> {
        let inserted: Result<(i64,), sqlx::Error> = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO certify_requests \
                 (member_id, unit_id, name, id_sealed, id_index, id_masked, photo_sealed, photo_type, status, created_at) \
                 SELECT id, unit_id, $2, $3, $4, $5, $6, $7, 'pending', $8 FROM members WHERE id = $1 RETURNING id",
            )
            .bind(request.member.0)
            .bind(request.name)
            .bind(key.seal(request.id_number.expose()))
            .bind(key.blind_index(request.id_number.expose()))
            .bind(request.id_number.masked())
            .bind(key.seal_bytes(request.photo))
            .bind(request.photo_type)
            .bind(now)
            .fetch_one(pool)
            .await
        });
        match inserted {
            Ok((id,)) => Ok(id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(SubmitError::AlreadyPending),
            Err(e) => Err(StoreError::from(e).into()),
        }
    }

    /// The member's most recent request, if any.
    pub async fn latest_certify_request(&self, member: MemberId) -> Result<Option<OwnRequest>, StoreError> {
        let record: Option<OwnRecord> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT id, status, reason, created_at, reviewed_at FROM certify_requests \
                 WHERE member_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(member.0)
            .fetch_optional(pool)
            .await
        })?;
        record
            .map(|r| {
                Ok(OwnRequest {
                    id: r.id,
                    status: RequestStatus::parse(&r.status)?,
                    reason: r.reason,
                    created_at: r.created_at,
                    reviewed_at: r.reviewed_at,
                })
            })
            .transpose()
    }

    /// Pending requests of units in the actor's reach, oldest first.
    pub async fn pending_certify_requests(&self, actor: &Actor, limit: i64) -> Result<Vec<QueuedRequest>, StoreError> {
        let sql = format!(
            "{} SELECT q.id, q.name, q.id_masked, m.phone, u.code AS unit_code, u.name AS unit_name, q.created_at, \
             r.name AS roster_name, (c.id IS NOT NULL AND c.id <> q.member_id) AS roster_taken \
             FROM certify_requests q JOIN members m ON m.id = q.member_id JOIN units u ON u.id = q.unit_id \
             LEFT JOIN roster_entries r ON r.id_index = q.id_index LEFT JOIN members c ON c.roster_entry_id = r.id \
             WHERE q.status = 'pending' AND q.unit_id IN (SELECT id FROM scope) ORDER BY q.id LIMIT $2",
            scope_cte(actor)
        );
        let rows =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// The union-card photo of a request in the actor's reach (any status):
    /// the bytes and their content type.
    pub async fn certify_request_photo(
        &self,
        actor: &Actor,
        id: i64,
        key: &DataKey,
    ) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let sql = format!(
            "{} SELECT photo_sealed, photo_type FROM certify_requests WHERE id = $2 AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        let row: Option<(Vec<u8>, String)> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(id).fetch_optional(pool).await)?;
        row.map(|(sealed, kind)| Ok((key.open_bytes(&sealed).map_err(|e| StoreError::Corrupt(e.to_string()))?, kind)))
            .transpose()
    }

    /// The plain ID number of a pending request in the actor's reach, for an
    /// official who asked to see it; the display is audited in the same
    /// transaction, so no display goes unrecorded.
    pub async fn reveal_certify_request_id(
        &self,
        actor: &Actor,
        id: i64,
        key: &DataKey,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let sql = format!(
            "{} SELECT q.id_sealed, q.name, q.id_masked FROM certify_requests q \
             WHERE q.id = $2 AND q.status = 'pending' AND q.unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        let plain = on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(String, String, String)> =
                sqlx::query_as(&sql).bind(actor.member_id.0).bind(id).fetch_optional(&mut *tx).await?;
            let Some((sealed, name, masked)) = row else { return Ok(None) };
            let plain = key.open(&sealed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            audit_in_tx!(&mut *tx, actor.member_id, "查看完整身份证号", format!("认证申请 #{id}，{name}（{masked}）"), "", now)?;
            tx.commit().await?;
            plain
        });
        Ok(Some(plain))
    }

    /// Approves a pending request: the member joins the roster (or is linked
    /// to the roster entry their ID number already has) and is certified.
    /// `member_no` is used for a new roster entry; empty means one is
    /// generated. Returns the certified member number.
    pub async fn approve_certify_request(
        &self,
        actor: &Actor,
        id: i64,
        member_no: &str,
        key: &DataKey,
        now: i64,
    ) -> Result<String, ReviewError> {
        let sql = pending_in_reach(actor);
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let request: DecisionRecord = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(ReviewError::NotPending)?;
            let id_number = IdNumber::parse_stored(&key.open(&request.id_sealed).map_err(|e| StoreError::Corrupt(e.to_string()))?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            // From the number itself, not the request's stored index: during a
            // key rotation the two rows may be indexed under different keys.
            let indexes = key.blind_indexes(id_number.expose());
            let previous_index = indexes.get(1).unwrap_or(&indexes[0]).clone();
            // The entry's current unit must be in reach too, not only the
            // request's: linking would move the person into the member's unit.
            let existing: Option<(i64, String, Option<i64>, i64, String)> = sqlx::query_as(&format!(
                "{} SELECT r.id, r.member_no, m.id, CAST(CASE WHEN r.unit_id IN (SELECT id FROM scope) THEN 1 ELSE 0 END AS BIGINT), \
                 u.name FROM roster_entries r JOIN units u ON u.id = r.unit_id \
                 LEFT JOIN members m ON m.roster_entry_id = r.id WHERE r.id_index IN ($2, $3)",
                scope_cte(actor)
            ))
            .bind(actor.member_id.0)
            .bind(&indexes[0])
            .bind(&previous_index)
            .fetch_optional(&mut *tx)
            .await?;
            let (entry_id, member_no) = match existing {
                Some((_, _, Some(holder), _, _)) if holder != request.member_id => return Err(ReviewError::TakenByOther),
                Some((_, _, _, 0, unit_name)) => return Err(ReviewError::EntryOutsideReach(unit_name)),
                Some((entry_id, no, _, _, _)) => (entry_id, no),
                None => {
                    let member_no = if member_no.is_empty() { format!("RG{id:08}") } else { member_no.to_owned() };
                    let (y, m, d) = id_number.birth_date();
                    let (entry_id,): (i64,) = sqlx::query_as(
                        "INSERT INTO roster_entries \
                         (unit_id, member_no, name, gender, birth_date, id_sealed, id_index, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                    )
                    .bind(request.unit_id)
                    .bind(&member_no)
                    .bind(&request.name)
                    .bind(match id_number.gender() { domain::Gender::Male => "male", domain::Gender::Female => "female" })
                    .bind(format!("{y:04}-{m:02}-{d:02}"))
                    .bind(key.seal(id_number.expose()))
                    .bind(&indexes[0])
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    (entry_id, member_no)
                }
            };
            let certified = sqlx::query(crate::roster::CERTIFY_MEMBER)
            .bind(request.member_id)
            .bind(entry_id)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match certified.map(|r| r.rows_affected()) {
                Ok(1) => {}
                Ok(_) => return Err(ReviewError::AlreadyCertified),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(ReviewError::TakenByOther),
                Err(e) => return Err(e.into()),
            }
            sqlx::query("UPDATE certify_requests SET status = 'approved', reviewer_id = $2, reviewed_at = $3 WHERE id = $1")
                .bind(id)
                .bind(actor.member_id.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let target = format!("认证申请 #{id}，{}（{}），单位 {}", request.name, request.id_masked, request.unit_code);
            audit_in_tx!(&mut *tx, actor.member_id, "通过人工认证", &target, format!("会员编号 {member_no}"), now)?;
            tx.commit().await?;
            Ok(member_no)
        })
    }

    /// Rejects a pending request with the reason the member will read.
    pub async fn reject_certify_request(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        now: i64,
    ) -> Result<(), ReviewError> {
        let sql = pending_in_reach(actor);
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let request: DecisionRecord = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(ReviewError::NotPending)?;
            sqlx::query(
                "UPDATE certify_requests SET status = 'rejected', reason = $2, reviewer_id = $3, reviewed_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(reason)
            .bind(actor.member_id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let target = format!("认证申请 #{id}，{}（{}），单位 {}", request.name, request.id_masked, request.unit_code);
            audit_in_tx!(&mut *tx, actor.member_id, "驳回人工认证", &target, reason, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Withdraws the member's pending request (they certified automatically).
    pub async fn withdraw_certify_requests(&self, member: MemberId, now: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("UPDATE certify_requests SET status = 'withdrawn', reviewed_at = $2 WHERE member_id = $1 AND status = 'pending'")
                .bind(member.0)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
