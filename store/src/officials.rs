//! Officials (管理员) and what they may see: a unit official acts on the
//! unit's whole subtree; a super admin on the whole tree.

use domain::{Phone, UnitCode};

use crate::{on_reader, on_writer, MemberId, Store, StoreError};

/// Who is acting, with the reach of their powers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub member_id: MemberId,
    pub is_super_admin: bool,
    /// The units this member is an official of (code, name).
    pub units: Vec<(String, String)>,
}

impl Actor {
    pub fn is_official(&self) -> bool {
        self.is_super_admin || !self.units.is_empty()
    }
}

/// A member as an official's list shows them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberListing {
    pub id: i64,
    pub phone: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub created_at: i64,
}

/// One audit-log entry.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub actor_name: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub created_at: i64,
}

/// The units an actor reaches, as a recursive CTE named `scope(id)`: the
/// units they are an official of and everything below them, or every unit
/// for a super admin. `$1` is the actor's member id.
pub(crate) fn scope_cte(actor: &Actor) -> &'static str {
    if actor.is_super_admin {
        "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE $1 >= 0)"
    } else {
        "WITH RECURSIVE scope(id) AS (\
           SELECT unit_id FROM officials WHERE member_id = $1 \
           UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)"
    }
}

/// Unit `$1` and every unit above it, as a recursive CTE named `path(id)`:
/// what a member of `$1` is offered (benefits, activities, courses).
pub(crate) const UNIT_AND_ABOVE: &str = "WITH RECURSIVE path(id) AS (SELECT $1 UNION SELECT u.parent_id FROM units u \
     JOIN path ON u.id = path.id WHERE u.parent_id IS NOT NULL)";

impl Store {
    /// Makes the member with `phone` a super admin; false if no such member.
    pub async fn make_super_admin(&self, phone: &Phone) -> Result<bool, StoreError> {
        let updated = on_writer!(self, pool => {
            sqlx::query("UPDATE members SET is_super_admin = TRUE WHERE phone = $1")
                .bind(phone.as_ref())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(updated == 1)
    }

    /// The actor a signed-in member is.
    pub async fn actor(&self, member_id: MemberId) -> Result<Actor, StoreError> {
        let (is_super_admin,): (bool,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT is_super_admin FROM members WHERE id = $1").bind(member_id.0).fetch_one(pool).await
        })?;
        let units: Vec<(String, String)> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT u.code, u.name FROM officials o JOIN units u ON u.id = o.unit_id WHERE o.member_id = $1 ORDER BY u.code",
            )
            .bind(member_id.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(Actor { member_id, is_super_admin, units })
    }

    /// Whether `unit` is within the actor's reach.
    pub async fn unit_in_scope(&self, actor: &Actor, unit: &UnitCode) -> Result<bool, StoreError> {
        let sql =
            format!("{} SELECT COUNT(*) FROM units WHERE code = $2 AND id IN (SELECT id FROM scope)", scope_cte(actor));
        let (count,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(actor.member_id.0).bind(unit.as_ref()).fetch_one(pool).await
        })?;
        Ok(count > 0)
    }

    /// The units in the actor's reach (code, name, level), by code.
    pub async fn units_in_scope(&self, actor: &Actor) -> Result<Vec<(String, String, String)>, StoreError> {
        let sql = format!(
            "{} SELECT code, name, level FROM units WHERE id IN (SELECT id FROM scope) ORDER BY code",
            scope_cte(actor)
        );
        let rows = on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Members of the units in the actor's reach, newest first, filtered by a
    /// name fragment or phone digits; returns one page and the total.
    pub async fn members_in_scope(
        &self,
        actor: &Actor,
        search: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<MemberListing>, i64), StoreError> {
        let pattern = format!("%{}%", search.replace(['%', '_', '\\'], ""));
        let filter = "m.unit_id IN (SELECT id FROM scope) AND (m.name LIKE $2 OR m.phone LIKE $2)";
        let list_sql = format!(
            "{} SELECT m.id, m.phone, m.name, u.code AS unit_code, u.name AS unit_name, m.created_at \
             FROM members m JOIN units u ON u.id = m.unit_id WHERE {filter} ORDER BY m.id DESC LIMIT $3 OFFSET $4",
            scope_cte(actor)
        );
        let count_sql = format!("{} SELECT COUNT(*) FROM members m WHERE {filter}", scope_cte(actor));
        let rows: Vec<MemberListing> = on_reader!(self, pool => {
            sqlx::query_as(&list_sql).bind(actor.member_id.0).bind(&pattern).bind(limit).bind(offset).fetch_all(pool).await
        })?;
        let (total,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as(&count_sql).bind(actor.member_id.0).bind(&pattern).fetch_one(pool).await
        })?;
        Ok((rows, total))
    }

    /// Appoints `member` official of `unit` (idempotent).
    pub async fn appoint_official(
        &self,
        member: MemberId,
        unit: &UnitCode,
        appointed_by: MemberId,
        now: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO officials (member_id, unit_id, appointed_by, created_at) \
                 SELECT $1, id, $3, $4 FROM units WHERE code = $2 ON CONFLICT (member_id, unit_id) DO NOTHING",
            )
            .bind(member.0)
            .bind(unit.as_ref())
            .bind(appointed_by.0)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The newest audit entries: all of them for a super admin, the actor's
    /// own otherwise.
    pub async fn audit_entries(&self, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!(
            "SELECT m.name AS actor_name, a.action, a.target, a.detail, a.created_at FROM audit_log a \
             LEFT JOIN members m ON m.id = a.actor_id WHERE {} ORDER BY a.id DESC LIMIT $2",
            if actor.is_super_admin { "$1 >= 0" } else { "a.actor_id = $1" }
        );
        let rows =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }
}
