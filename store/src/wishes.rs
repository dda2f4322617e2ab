//! 微心愿 (帮吧): wishes, their review, the one donor who claims each, and
//! the official's confirmation with a photo.

use crate::officials::scope_cte;
use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// A wish with its donor, as every page needs it (pages decide what to show).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Wish {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub member_id: i64,
    pub member_name: String,
    pub posted_by: i64,
    pub title: String,
    pub reason: String,
    pub value_yuan: i32,
    pub status: String,
    pub review_note: String,
    pub reviewed_at: Option<i64>,
    pub fulfilled_at: Option<i64>,
    pub photo_url: Option<String>,
    pub created_at: i64,
    pub donor_member_id: Option<i64>,
    pub donor_name: Option<String>,
    pub claimed_at: Option<i64>,
}

/// A wish to post.
pub struct NewWish<'a> {
    pub unit_id: i64,
    pub member: MemberId,
    pub posted_by: MemberId,
    pub title: &'a str,
    pub reason: &'a str,
    pub value_yuan: i32,
}

const SELECT_WISH: &str = "SELECT w.id, w.unit_id, u.name AS unit_name, w.member_id, m.name AS member_name, w.posted_by, \
     w.title, w.reason, w.value_yuan, w.status, w.review_note, w.reviewed_at, w.fulfilled_at, w.photo_url, w.created_at, \
     c.donor_member_id, c.donor_name, c.claimed_at \
     FROM wishes w JOIN units u ON u.id = w.unit_id JOIN members m ON m.id = w.member_id \
     LEFT JOIN wish_claims c ON c.wish_id = w.id";

impl Store {
    /// Posts a wish (pending review); its id.
    pub async fn post_wish(&self, new: &NewWish<'_>, now: i64) -> Result<i64, StoreError> {
        let (id,): (i64,) = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO wishes (unit_id, member_id, posted_by, title, reason, value_yuan, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id",
            )
            .bind(new.unit_id)
            .bind(new.member.0)
            .bind(new.posted_by.0)
            .bind(new.title)
            .bind(new.reason)
            .bind(new.value_yuan)
            .bind(now)
            .fetch_one(pool)
            .await
        })?;
        Ok(id)
    }

    pub async fn wish(&self, id: i64) -> Result<Option<Wish>, StoreError> {
        let sql = format!("{SELECT_WISH} WHERE w.id = $1");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// Approved wishes, the unclaimed first, newest first within.
    pub async fn public_wishes(&self, limit: i64) -> Result<Vec<Wish>, StoreError> {
        let sql = format!(
            "{SELECT_WISH} WHERE w.status = 'approved' \
             ORDER BY CASE WHEN c.wish_id IS NULL THEN 0 WHEN w.fulfilled_at IS NULL THEN 1 ELSE 2 END, w.id DESC LIMIT $1"
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)?)
    }

    /// Wishes a member posted, or that were posted for them.
    pub async fn member_wishes(&self, member: MemberId) -> Result<Vec<Wish>, StoreError> {
        let sql = format!("{SELECT_WISH} WHERE w.member_id = $1 OR w.posted_by = $1 ORDER BY w.id DESC LIMIT 50");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(member.0).fetch_all(pool).await)?)
    }

    /// Wishes of units in the actor's reach, pending first.
    pub async fn wishes_in_scope(&self, actor: &Actor) -> Result<Vec<Wish>, StoreError> {
        let sql = format!(
            "{} {SELECT_WISH} WHERE w.unit_id IN (SELECT id FROM scope) \
             ORDER BY CASE WHEN w.status = 'pending' THEN 0 ELSE 1 END, w.id DESC LIMIT 200",
            scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?)
    }

    /// Approves or rejects pending wish `id` (in the actor's reach; audited).
    pub async fn review_wish(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        note: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} UPDATE wishes SET status = $3, review_note = $4, reviewed_by = $1, reviewed_at = $5 \
             WHERE id = $2 AND status = 'pending' AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(&sql)
                .bind(actor.member_id.0)
                .bind(id)
                .bind(if approve { "approved" } else { "rejected" })
                .bind(note)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if done {
                let action = if approve { "通过微心愿" } else { "退回微心愿" };
                audit_in_tx!(&mut *tx, actor.member_id, action, &format!("微心愿 #{id}"), note, now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// Claims approved wish `id` for donor `donor_name` (a member, or an
    /// outside donor an official names). One donor per wish: the claim's
    /// primary key is the wish. Answers whether this claim took it.
    pub async fn claim_wish(
        &self,
        id: i64,
        donor: Option<MemberId>,
        donor_name: &str,
        claimed_by: MemberId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let inserted = on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO wish_claims (wish_id, donor_member_id, donor_name, claimed_by, claimed_at) \
                 SELECT id, $2, $3, $4, $5 FROM wishes WHERE id = $1 AND status = 'approved' \
                 ON CONFLICT (wish_id) DO NOTHING",
            )
            .bind(id)
            .bind(donor.map(|d| d.0))
            .bind(donor_name)
            .bind(claimed_by.0)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(inserted == 1)
    }

    /// Confirms claimed wish `id` fulfilled (in the actor's reach; audited);
    /// the photo is set with `put_media` beforehand.
    pub async fn confirm_wish(&self, actor: &Actor, id: i64, now: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "{} UPDATE wishes SET fulfilled_at = $3, confirmed_by = $1 WHERE id = $2 AND fulfilled_at IS NULL \
             AND status = 'approved' AND photo_url IS NOT NULL AND id IN (SELECT wish_id FROM wish_claims) \
             AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(&sql).bind(actor.member_id.0).bind(id).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_in_tx!(&mut *tx, actor.member_id, "确认微心愿已实现", &format!("微心愿 #{id}"), "", now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }
}
