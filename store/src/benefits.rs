//! 惠员福利: benefits, their partner merchants, claims and redemptions.
//!
//! The quotas are the database's: a claim takes the benefit's next slot and
//! the day's next slot inside one `INSERT … SELECT` that only inserts while
//! a slot is left, and unique indexes stop two claims from sharing a slot
//! (or a member from claiming twice in a period), whichever process asks.
//! A trigger refuses a slot beyond the quota even from a hand-written insert.
//! On PostgreSQL the claims of one benefit queue on an advisory lock, and
//! within a process in memory before it (`queue`), so a burst of claims
//! does not hold every pool connection while it waits.

use crate::officials::{scope_cte, UNIT_AND_ABOVE};
use crate::queue::{turn, Queue};
use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// A partner merchant as officials list them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Partner {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub unit_name: String,
}

/// What a partner's sign-in needs (the hash never leaves the server).
#[derive(Clone, sqlx::FromRow)]
pub struct PartnerCredentials {
    pub id: i64,
    pub name: String,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<i64>,
}

impl std::fmt::Debug for PartnerCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerCredentials").field("id", &self.id).field("name", &self.name).finish_non_exhaustive()
    }
}

/// A benefit with its tallies.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Benefit {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub title: String,
    pub description: String,
    pub picture_url: Option<String>,
    pub partner_id: i64,
    pub partner_name: String,
    pub birthday_month: bool,
    /// `YYYY-MM-DD`: certified on or before this day.
    pub member_since: Option<String>,
    pub once_per_year: bool,
    pub quota: i32,
    pub quota_per_day: Option<i32>,
    pub opens_at: i64,
    pub closes_at: i64,
    pub withdrawn_at: Option<i64>,
    pub claimed: i64,
    pub redeemed: i64,
}

/// A benefit to create (already checked by the service).
pub struct NewBenefit<'a> {
    pub unit_code: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub partner_id: i64,
    pub birthday_month: bool,
    pub member_since: Option<&'a str>,
    pub once_per_year: bool,
    pub quota: i32,
    pub quota_per_day: Option<i32>,
    pub opens_at: i64,
    pub closes_at: i64,
}

/// A stored claim, with what the member's and the partner's pages show.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub benefit_id: i64,
    pub benefit_title: String,
    pub partner_name: String,
    pub member_id: i64,
    pub member_name: String,
    pub period: i32,
    pub slot: i32,
    pub created_at: i64,
    pub redeemed_at: Option<i64>,
}

/// What a member's eligibility is judged on.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimantFacts {
    pub unit_id: i64,
    pub certified_at: Option<i64>,
    /// `YYYY-MM-DD` from the roster (NULL when not certified).
    pub birth_date: Option<String>,
}

/// A claim to take.
pub struct NewClaim<'a> {
    pub benefit: i64,
    pub member: MemberId,
    pub unit_id: i64,
    /// The Shanghai year for once-a-year benefits, 0 otherwise.
    pub period: i32,
    /// The Shanghai day, `YYYY-MM-DD`.
    pub day: &'a str,
    pub now: i64,
}

/// Why a claim was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// The member already holds a claim for this period (their claim's id).
    AlreadyClaimed(i64),
    SoldOut,
    SoldOutToday,
}

/// How a redemption went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Redemption {
    Redeemed(Claim),
    /// Redeemed before, at this time.
    AlreadyRedeemed(i64),
    /// No such claim of a benefit this partner serves.
    NotFound,
}

/// Claims per unit of a benefit.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UnitClaims {
    pub unit_name: String,
    pub claimed: i64,
    pub redeemed: i64,
}

const SELECT_BENEFIT: &str =
    "SELECT b.id, b.unit_id, u.code AS unit_code, u.name AS unit_name, b.title, b.description, \
     b.picture_url, b.partner_id, p.name AS partner_name, b.birthday_month, b.member_since, b.once_per_year, b.quota, \
     b.quota_per_day, b.opens_at, b.closes_at, b.withdrawn_at, \
     (SELECT CAST(COALESCE(MAX(slot), 0) AS BIGINT) FROM benefit_claims c WHERE c.benefit_id = b.id) AS claimed, \
     (SELECT COUNT(*) FROM benefit_claims c WHERE c.benefit_id = b.id AND c.redeemed_at IS NOT NULL) AS redeemed \
     FROM benefits b JOIN units u ON u.id = b.unit_id JOIN partners p ON p.id = b.partner_id";

const SELECT_CLAIM: &str = "SELECT c.id, c.benefit_id, b.title AS benefit_title, p.name AS partner_name, c.member_id, \
     m.name AS member_name, c.period, c.slot, c.created_at, c.redeemed_at \
     FROM benefit_claims c JOIN benefits b ON b.id = c.benefit_id JOIN partners p ON p.id = b.partner_id \
     JOIN members m ON m.id = c.member_id";

/// Takes the benefit's next slot and the day's next slot, only while both
/// are within the quotas; returns nothing when either is used up.
const INSERT_CLAIM: &str = "INSERT INTO benefit_claims \
     (benefit_id, member_id, unit_id, period, slot, day, day_slot, created_at) \
     SELECT b.id, $2, $3, $4, t.n + 1, $5, d.n + 1, $6 FROM benefits b, \
     (SELECT COALESCE(MAX(slot), 0) AS n FROM benefit_claims WHERE benefit_id = $1) t, \
     (SELECT COALESCE(MAX(day_slot), 0) AS n FROM benefit_claims WHERE benefit_id = $1 AND day = $5) d \
     WHERE b.id = $1 AND t.n < b.quota AND (b.quota_per_day IS NULL OR d.n < b.quota_per_day) \
     RETURNING id";

macro_rules! bind_claim {
    ($query:expr, $claim:expr) => {
        $query
            .bind($claim.benefit)
            .bind($claim.member.0)
            .bind($claim.unit_id)
            .bind($claim.period)
            .bind($claim.day)
            .bind($claim.now)
    };
}

/// How often a PostgreSQL claim retries after losing a slot to a claim
/// another process took at the same moment (the advisory lock orders the
/// processes' claims, so this is rare).
const CLAIM_ATTEMPTS: usize = 20;

impl Store {
    /// Creates partner `name` with sign-in `login` under `unit` (in the
    /// actor's reach; audited). `Ok(None)`: the unit is outside it;
    /// `Err` on a taken login is a unique violation (`is_unique_violation`).
    pub async fn create_partner(
        &self,
        actor: &Actor,
        unit: &str,
        name: &str,
        login: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "{} INSERT INTO partners (unit_id, name, login, password_hash, created_by, created_at) \
             SELECT id, $3, $4, $5, $1, $6 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) RETURNING id",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(unit)
                .bind(name)
                .bind(login)
                .bind(password_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((id,)) = id {
                audit_in_tx!(&mut *tx, actor.member_id, "新增合作商户", &format!("商户 #{id}"), &format!("{name}（登录名 {login}）"), now)?;
            }
            tx.commit().await?;
            Ok(id.map(|(id,)| id))
        })
    }

    /// Partners under units in the actor's reach, newest first.
    pub async fn partners_in_scope(&self, actor: &Actor) -> Result<Vec<Partner>, StoreError> {
        let sql = format!(
            "{} SELECT p.id, p.name, p.login, u.name AS unit_name FROM partners p JOIN units u ON u.id = p.unit_id \
             WHERE p.unit_id IN (SELECT id FROM scope) ORDER BY p.id DESC",
            scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?)
    }

    pub async fn partner_credentials(&self, login: &str) -> Result<Option<PartnerCredentials>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT id, name, password_hash, failed_logins, locked_until FROM partners WHERE login = $1",
            )
            .bind(login)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Records a partner's sign-in: a success clears the failures; the
    /// fifth failure in a row locks the sign-in until `lock_until`.
    pub async fn record_partner_sign_in(
        &self,
        partner: i64,
        succeeded: bool,
        lock_until: i64,
    ) -> Result<(), StoreError> {
        let sql = if succeeded {
            "UPDATE partners SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND $2 >= 0"
        } else {
            "UPDATE partners SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= 5 THEN $2 ELSE locked_until END WHERE id = $1"
        };
        on_writer!(self, pool => sqlx::query(sql).bind(partner).bind(lock_until).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Creates a benefit of `unit` served by `partner_id` (both in the
    /// actor's reach; audited). `Ok(None)` when either is outside it.
    pub async fn create_benefit(
        &self,
        actor: &Actor,
        new: &NewBenefit<'_>,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "{} INSERT INTO benefits (unit_id, title, description, partner_id, birthday_month, member_since, \
             once_per_year, quota, quota_per_day, opens_at, closes_at, created_by, created_at) \
             SELECT u.id, $3, $4, p.id, $5, $6, $7, $8, $9, $10, $11, $1, $12 FROM units u, partners p \
             WHERE u.code = $2 AND u.id IN (SELECT id FROM scope) AND p.id = $13 AND p.unit_id IN (SELECT id FROM scope) \
             RETURNING id",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(new.unit_code)
                .bind(new.title)
                .bind(new.description)
                .bind(new.birthday_month)
                .bind(new.member_since)
                .bind(new.once_per_year)
                .bind(new.quota)
                .bind(new.quota_per_day)
                .bind(new.opens_at)
                .bind(new.closes_at)
                .bind(now)
                .bind(new.partner_id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((id,)) = id {
                let detail = format!("{}，名额 {}", new.title, new.quota);
                audit_in_tx!(&mut *tx, actor.member_id, "发布福利", &format!("福利 #{id}"), &detail, now)?;
            }
            tx.commit().await?;
            Ok(id.map(|(id,)| id))
        })
    }

    /// Withdraws benefit `id` (in the actor's reach; audited): members can
    /// no longer claim it; claims already taken stay redeemable.
    pub async fn withdraw_benefit(&self, actor: &Actor, id: i64, now: i64) -> Result<bool, StoreError> {
        let sql = format!(
            "{} UPDATE benefits SET withdrawn_at = $3 WHERE id = $2 AND withdrawn_at IS NULL \
             AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(&sql).bind(actor.member_id.0).bind(id).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            if done {
                audit_in_tx!(&mut *tx, actor.member_id, "撤下福利", &format!("福利 #{id}"), "", now)?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    pub async fn benefit(&self, id: i64) -> Result<Option<Benefit>, StoreError> {
        let sql = format!("{SELECT_BENEFIT} WHERE b.id = $1");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// Benefits of units in the actor's reach, newest first.
    pub async fn benefits_in_scope(&self, actor: &Actor) -> Result<Vec<Benefit>, StoreError> {
        let sql = format!(
            "{} {SELECT_BENEFIT} WHERE b.unit_id IN (SELECT id FROM scope) ORDER BY b.id DESC LIMIT 200",
            scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?)
    }

    /// Benefits a member of `unit_id` may see: offered by that unit or any
    /// unit above it, not withdrawn, not closed before `now`; soonest
    /// closing first.
    pub async fn benefits_for_unit(&self, unit_id: i64, now: i64) -> Result<Vec<Benefit>, StoreError> {
        let sql = format!(
            "{UNIT_AND_ABOVE} {SELECT_BENEFIT} WHERE b.unit_id IN (SELECT id FROM path) AND b.withdrawn_at IS NULL AND b.closes_at > $2 \
             ORDER BY b.closes_at, b.id LIMIT 100"
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(unit_id).bind(now).fetch_all(pool).await)?)
    }

    /// Whether unit `unit_id` is `ancestor` or below it.
    pub async fn unit_within(&self, unit_id: i64, ancestor: i64) -> Result<bool, StoreError> {
        let sql = format!("{UNIT_AND_ABOVE} SELECT COUNT(*) FROM path WHERE id = $2");
        let (n,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(&sql)
            .bind(unit_id)
            .bind(ancestor)
            .fetch_one(pool)
            .await
        })?;
        Ok(n > 0)
    }

    /// The member's unit, certification time and roster birth date.
    pub async fn claimant_facts(&self, member: MemberId) -> Result<Option<ClaimantFacts>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT m.unit_id, m.certified_at, r.birth_date FROM members m \
                 LEFT JOIN roster_entries r ON r.id = m.roster_entry_id WHERE m.id = $1",
            )
            .bind(member.0)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Takes a claim within the quotas (see the module's note).
    pub async fn claim_benefit(&self, claim: &NewClaim<'_>) -> Result<Result<i64, ClaimRefusal>, StoreError> {
        if let Some(earlier) = self.claim_of(claim.benefit, claim.member, claim.period).await? {
            return Ok(Err(ClaimRefusal::AlreadyClaimed(earlier)));
        }
        // Most claims after a benefit runs out arrive when it has run out:
        // answer them from a reader without queueing for the slots.
        if let Some(refusal) = self.quota_refusal(claim.benefit, claim.day).await? {
            return Ok(Err(refusal));
        }
        for _ in 0..CLAIM_ATTEMPTS {
            let attempt: Result<Option<(i64,)>, sqlx::Error> = match self {
                Store::Sqlite { write, .. } => {
                    bind_claim!(sqlx::query_as(INSERT_CLAIM), claim).fetch_optional(write).await
                }
                Store::Postgres { pool } => {
                    let _turn = turn(Queue::BenefitClaims, claim.benefit).await;
                    // Most of a burst waits here while the quota runs out:
                    // once it has, each answers from one indexed read
                    // instead of a transaction of four round trips under
                    // the lock (1 000 claims for 100 slots: ~900 of them;
                    // under load the transactions took past the 10 s
                    // request timeout).
                    if let Some(refusal) = self.quota_refusal(claim.benefit, claim.day).await? {
                        return Ok(Err(refusal));
                    }
                    async {
                        let mut tx = pool.begin_write().await?;
                        // Claims of one benefit queue here instead of racing
                        // for the same slot and retrying.
                        sqlx::query("SELECT pg_advisory_xact_lock(7, $1::int4)")
                            .bind(claim.benefit as i32)
                            .execute(&mut *tx)
                            .await?;
                        let id = bind_claim!(sqlx::query_as(INSERT_CLAIM), claim).fetch_optional(&mut *tx).await?;
                        tx.commit().await?;
                        Ok(id)
                    }
                    .await
                }
            };
            match attempt {
                Ok(Some((id,))) => return Ok(Ok(id)),
                Ok(None) => {
                    return Ok(Err(self
                        .quota_refusal(claim.benefit, claim.day)
                        .await?
                        .unwrap_or(ClaimRefusal::SoldOut)))
                }
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    if let Some(earlier) = self.claim_of(claim.benefit, claim.member, claim.period).await? {
                        return Ok(Err(ClaimRefusal::AlreadyClaimed(earlier)));
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Corrupt("a claim kept losing its slot".into()))
    }

    /// The member's claim of `benefit` in `period`, if any (from the writer
    /// on SQLite, so a claim just taken is seen).
    async fn claim_of(&self, benefit: i64, member: MemberId, period: i32) -> Result<Option<i64>, StoreError> {
        let found: Option<(i64,)> = on_writer!(self, pool => {
            sqlx::query_as("SELECT id FROM benefit_claims WHERE benefit_id = $1 AND member_id = $2 AND period = $3")
                .bind(benefit)
                .bind(member.0)
                .bind(period)
                .fetch_optional(pool)
                .await
        })?;
        Ok(found.map(|(id,)| id))
    }

    /// Whether the benefit's quota or the day's is used up. Slots are dense
    /// (1, 2, … and never given back), so the highest slot is the count: one
    /// step down each unique index instead of counting up to the quota's
    /// rows on every refused claim.
    async fn quota_refusal(&self, benefit: i64, day: &str) -> Result<Option<ClaimRefusal>, StoreError> {
        let (quota, per_day, taken, today): (i32, Option<i32>, i32, i32) = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT b.quota, b.quota_per_day, \
                 (SELECT COALESCE(MAX(slot), 0) FROM benefit_claims WHERE benefit_id = b.id), \
                 (SELECT COALESCE(MAX(day_slot), 0) FROM benefit_claims WHERE benefit_id = b.id AND day = $2) \
                 FROM benefits b WHERE b.id = $1",
            )
            .bind(benefit)
            .bind(day)
            .fetch_one(pool)
            .await
        })?;
        Ok(if taken >= quota {
            Some(ClaimRefusal::SoldOut)
        } else if per_day.is_some_and(|p| today >= p) {
            Some(ClaimRefusal::SoldOutToday)
        } else {
            None
        })
    }

    pub async fn claim(&self, id: i64) -> Result<Option<Claim>, StoreError> {
        let sql = format!("{SELECT_CLAIM} WHERE c.id = $1");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// The member's claims, newest first.
    pub async fn member_claims(&self, member: MemberId) -> Result<Vec<Claim>, StoreError> {
        let sql = format!("{SELECT_CLAIM} WHERE c.member_id = $1 ORDER BY c.id DESC LIMIT 100");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(member.0).fetch_all(pool).await)?)
    }

    /// Redeems claim `claim` of benefit `benefit` for `partner`, once: a
    /// second redemption answers the time of the first.
    pub async fn redeem_claim(
        &self,
        partner: i64,
        claim: i64,
        benefit: i64,
        now: i64,
    ) -> Result<Redemption, StoreError> {
        let updated = on_writer!(self, pool => {
            sqlx::query(
                "UPDATE benefit_claims SET redeemed_at = $4, redeemed_by = $1 WHERE id = $2 AND benefit_id = $3 \
                 AND redeemed_at IS NULL AND benefit_id IN (SELECT id FROM benefits WHERE partner_id = $1)",
            )
            .bind(partner)
            .bind(claim)
            .bind(benefit)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        let sql = format!("{SELECT_CLAIM} WHERE c.id = $1 AND c.benefit_id = $2 AND b.partner_id = $3");
        let found: Option<Claim> = on_writer!(self, pool => sqlx::query_as(&sql).bind(claim).bind(benefit).bind(partner).fetch_optional(pool).await)?;
        Ok(match found {
            None => Redemption::NotFound,
            Some(found) if updated == 1 => Redemption::Redeemed(found),
            Some(found) => Redemption::AlreadyRedeemed(found.redeemed_at.unwrap_or(now)),
        })
    }

    /// The benefits partner `partner` serves, newest first.
    pub async fn partner_benefits(&self, partner: i64) -> Result<Vec<Benefit>, StoreError> {
        let sql = format!("{SELECT_BENEFIT} WHERE b.partner_id = $1 ORDER BY b.id DESC LIMIT 100");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(partner).fetch_all(pool).await)?)
    }

    /// The newest redemptions at partner `partner`.
    pub async fn partner_redemptions(&self, partner: i64, limit: i64) -> Result<Vec<Claim>, StoreError> {
        let sql = format!("{SELECT_CLAIM} WHERE c.redeemed_by = $1 ORDER BY c.redeemed_at DESC LIMIT $2");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(partner).bind(limit).fetch_all(pool).await)?)
    }

    /// Claims of benefit `benefit` per unit of the claimants.
    pub async fn benefit_claims_by_unit(&self, benefit: i64) -> Result<Vec<UnitClaims>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT u.name AS unit_name, COUNT(*) AS claimed, COUNT(c.redeemed_at) AS redeemed \
                 FROM benefit_claims c JOIN units u ON u.id = c.unit_id WHERE c.benefit_id = $1 \
                 GROUP BY u.code, u.name ORDER BY claimed DESC, u.code",
            )
            .bind(benefit)
            .fetch_all(pool)
            .await
        })?)
    }
}
