//! Voided votes (刷票 found by officials) and the figures the anti-fraud view
//! reads. A void never touches a vote row: tallies leave out the votes an
//! active void selects, and undoing the void brings them back.

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, MemberId, Store, StoreError};

/// The condition a vote `v` must meet to count: no active void of its
/// campaign selects it.
pub(crate) const LIVE_VOTE: &str = "NOT EXISTS (SELECT 1 FROM vote_voids w WHERE w.campaign_id = v.campaign_id \
     AND w.undone_at IS NULL AND (w.member_id = v.member_id OR w.candidate_id = v.candidate_id \
     OR (v.created_at >= w.from_at AND v.created_at < w.to_at)))";

/// Which votes a void takes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoidSelection {
    /// Every vote of one account.
    Member(i64),
    /// Every vote for one candidate.
    Candidate(i64),
    /// Every vote cast in `[from, to)` (Unix seconds).
    Range(i64, i64),
}

/// A void as officials and the public results page list it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct VoidRecord {
    pub id: i64,
    pub member_phone: Option<String>,
    pub candidate_number: Option<i32>,
    pub candidate_name: Option<String>,
    pub from_at: Option<i64>,
    pub to_at: Option<i64>,
    pub reason: String,
    pub created_at: i64,
    pub undone_at: Option<i64>,
    /// Votes it selects.
    pub votes: i64,
}

impl Store {
    /// Voids the selected votes of a campaign with `reason`; audited in the
    /// same transaction. Returns the void's id and how many votes it took out
    /// (including ones already out under another void).
    pub async fn void_votes(
        &self,
        campaign_id: i64,
        selection: VoidSelection,
        reason: &str,
        actor: MemberId,
        now: i64,
    ) -> Result<(i64, i64), StoreError> {
        let (member, candidate, from, to) = match selection {
            VoidSelection::Member(m) => (Some(m), None, None, None),
            VoidSelection::Candidate(c) => (None, Some(c), None, None),
            VoidSelection::Range(f, t) => (None, None, Some(f), Some(t)),
        };
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO vote_voids (campaign_id, member_id, candidate_id, from_at, to_at, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(campaign_id)
            .bind(member)
            .bind(candidate)
            .bind(from)
            .bind(to)
            .bind(reason)
            .bind(actor.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let (votes,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM votes v WHERE {SELECTED_BY_VOID}"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            audit_in_tx!(&mut *tx, actor, "作废选票", format!("活动 #{campaign_id}，作废记录 #{id}，{votes} 票"), reason, now)?;
            tx.commit().await?;
            Ok((id, votes))
        })
    }

    /// Undoes an active void of the campaign; false when there is none.
    pub async fn undo_void(
        &self,
        campaign_id: i64,
        void_id: i64,
        actor: MemberId,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let undone = sqlx::query(
                "UPDATE vote_voids SET undone_by = $3, undone_at = $4 WHERE id = $1 AND campaign_id = $2 AND undone_at IS NULL",
            )
            .bind(void_id)
            .bind(campaign_id)
            .bind(actor.0)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if undone == 1 {
                audit_in_tx!(&mut *tx, actor, "撤销作废", format!("活动 #{campaign_id}，作废记录 #{void_id}"), "", now)?;
            }
            tx.commit().await?;
            Ok(undone == 1)
        })
    }

    /// The campaign's voids, newest first, with how many votes each selects.
    pub async fn voids(&self, campaign_id: i64) -> Result<Vec<VoidRecord>, StoreError> {
        let sql = format!(
            "SELECT w.id, m.phone AS member_phone, c.number AS candidate_number, c.name AS candidate_name, w.from_at, w.to_at, \
             w.reason, w.created_at, w.undone_at, (SELECT COUNT(*) FROM votes v WHERE {SELECTED_BY_VOID_W}) AS votes \
             FROM vote_voids w LEFT JOIN members m ON m.id = w.member_id LEFT JOIN candidates c ON c.id = w.candidate_id \
             WHERE w.campaign_id = $1 ORDER BY w.id DESC"
        );
        let rows = on_reader!(self, pool => sqlx::query_as(&sql).bind(campaign_id).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Live votes per candidate per minute since `since`: (candidate id,
    /// minute as Unix seconds / 60, votes).
    pub async fn vote_minutes(&self, campaign_id: i64, since: i64) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT v.candidate_id, v.created_at / 60 AS minute, COUNT(*) FROM votes v \
             WHERE v.campaign_id = $1 AND v.created_at >= $2 AND {LIVE_VOTE} GROUP BY v.candidate_id, v.created_at / 60"
        );
        let rows = on_reader!(self, pool => sqlx::query_as(&sql).bind(campaign_id).bind(since).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Client addresses from which at least `min_accounts` accounts voted
    /// since `since` (live votes): (address, accounts, votes), most first.
    pub async fn shared_addresses(
        &self,
        campaign_id: i64,
        since: i64,
        min_accounts: i64,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let sql = format!(
            "SELECT v.ip, COUNT(DISTINCT v.member_id) AS accounts, COUNT(*) AS votes FROM votes v \
             WHERE v.campaign_id = $1 AND v.created_at >= $2 AND v.ip IS NOT NULL AND {LIVE_VOTE} \
             GROUP BY v.ip HAVING COUNT(DISTINCT v.member_id) >= $3 ORDER BY accounts DESC, votes DESC LIMIT 20"
        );
        let rows = on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(campaign_id).bind(since).bind(min_accounts).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The accounts that voted from `ip` since `since`: (member id, phone, votes).
    pub async fn accounts_at_address(
        &self,
        campaign_id: i64,
        ip: &str,
        since: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        let rows = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT m.id, m.phone, COUNT(*) FROM votes v JOIN members m ON m.id = v.member_id \
                 WHERE v.campaign_id = $1 AND v.ip = $2 AND v.created_at >= $3 GROUP BY m.id, m.phone ORDER BY COUNT(*) DESC LIMIT 50",
            )
            .bind(campaign_id)
            .bind(ip)
            .bind(since)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows)
    }
}

/// Votes `v` selected by the void `$1` (whether or not it is undone).
const SELECTED_BY_VOID: &str = "EXISTS (SELECT 1 FROM vote_voids w WHERE w.id = $1 AND w.campaign_id = v.campaign_id \
     AND (w.member_id = v.member_id OR w.candidate_id = v.candidate_id OR (v.created_at >= w.from_at AND v.created_at < w.to_at)))";
/// The same, for a void `w` already in the query.
const SELECTED_BY_VOID_W: &str = "v.campaign_id = w.campaign_id \
     AND (w.member_id = v.member_id OR w.candidate_id = v.candidate_id OR (v.created_at >= w.from_at AND v.created_at < w.to_at))";
