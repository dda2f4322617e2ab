//! The member roster, with ID numbers and phones sealed at rest.

use std::collections::{HashMap, HashSet};

use domain::RosterEntry;

use crate::officials::scope_cte;
use crate::protect::DataKey;
use crate::BeginWrite;
use crate::{on_reader, on_writer, Actor, MemberId, Store, StoreError};

/// What a roster import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RosterImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

/// Why an import was refused as a whole.
#[derive(Debug, thiserror::Error)]
pub enum RosterImportError {
    /// A phone in the file belongs to another person already in the roster
    /// (file lines given).
    #[error("phones already used by other roster entries on lines {0:?}")]
    PhoneTaken(Vec<usize>),
    #[error("unit {0} does not exist")]
    UnknownUnit(String),
    /// People already on the roster of a unit outside the importer's reach
    /// (file line, that unit's name): an import may not move them.
    #[error("roster entries outside the importer's reach on lines {0:?}")]
    OutsideReach(Vec<(usize, String)>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for RosterImportError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// The units an import may write to: an official's reach (unit ids), or
/// every unit (a super admin, the command line, the demo data).
#[derive(Clone, Debug)]
pub enum Reach {
    Everything,
    Units(HashSet<i64>),
}

impl Reach {
    fn contains(&self, unit_id: i64) -> bool {
        match self {
            Reach::Everything => true,
            Reach::Units(units) => units.contains(&unit_id),
        }
    }
}

/// Blind indexes looked up per statement when checking a file's people
/// against the roster (well under both engines' bind-parameter limits).
const LOOKUP_BATCH: usize = 500;

/// How often an import reports its progress, in entries.
pub const PROGRESS_EVERY: usize = 500;

const UPSERT: &str = "INSERT INTO roster_entries \
     (unit_id, member_no, name, gender, birth_date, id_sealed, id_index, phone_sealed, phone_index, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
     ON CONFLICT (id_index) DO UPDATE SET unit_id = excluded.unit_id, member_no = excluded.member_no, \
     name = excluded.name, gender = excluded.gender, birth_date = excluded.birth_date, \
     phone_sealed = excluded.phone_sealed, phone_index = excluded.phone_index, updated_at = excluded.updated_at";

impl Store {
    /// Adds new people and updates known ones (matched by ID number), all in
    /// one transaction: any refusal leaves the roster as it was.
    pub async fn import_roster(
        &self,
        entries: &[RosterEntry],
        key: &DataKey,
        reach: &Reach,
        now: i64,
    ) -> Result<RosterImportSummary, RosterImportError> {
        self.import_roster_with_progress(entries, key, reach, now, |_| {}).await
    }

    /// What an import by `actor` may write to.
    pub async fn reach(&self, actor: &Actor) -> Result<Reach, StoreError> {
        if actor.is_super_admin {
            return Ok(Reach::Everything);
        }
        let sql = format!("{} SELECT id FROM scope", scope_cte(actor));
        let ids: Vec<(i64,)> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?;
        Ok(Reach::Units(ids.into_iter().map(|(id,)| id).collect()))
    }

    /// Of these people (by ID number), those already on the roster of a unit
    /// outside the actor's reach: ID number → that unit's name. For the
    /// preview; the import checks again inside its transaction.
    pub async fn roster_entries_outside_reach(
        &self,
        actor: &Actor,
        key: &DataKey,
        id_numbers: &[&domain::IdNumber],
    ) -> Result<HashMap<String, String>, StoreError> {
        let mut outside = HashMap::new();
        if actor.is_super_admin {
            return Ok(outside);
        }
        for batch in id_numbers.chunks(LOOKUP_BATCH) {
            // Both indexes while a key rotation runs (protect::DataKey).
            let indexes: HashMap<String, &str> = batch
                .iter()
                .flat_map(|id| key.blind_indexes(id.expose()).into_iter().map(move |index| (index, id.expose())))
                .collect();
            let placeholders: Vec<String> = (0..indexes.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "{} SELECT r.id_index, u.name FROM roster_entries r JOIN units u ON u.id = r.unit_id \
                 WHERE r.id_index IN ({}) AND r.unit_id NOT IN (SELECT id FROM scope)",
                scope_cte(actor),
                placeholders.join(", ")
            );
            let rows: Vec<(String, String)> = on_reader!(self, pool => {
                let mut query = sqlx::query_as(&sql).bind(actor.member_id.0);
                for index in indexes.keys() {
                    query = query.bind(index.as_str());
                }
                query.fetch_all(pool).await
            })?;
            for (index, unit_name) in rows {
                if let Some(id) = indexes.get(&index) {
                    outside.insert((*id).to_owned(), unit_name);
                }
            }
        }
        Ok(outside)
    }

    /// `import_roster`, calling `progress` with the number of entries written
    /// so far every `PROGRESS_EVERY` entries (a large roster takes seconds).
    /// A person already on the roster is updated only while their current
    /// unit is in `reach` (the new unit was checked by the caller): otherwise
    /// nothing is imported.
    #[tracing::instrument(skip_all, fields(entries = entries.len()))]
    pub async fn import_roster_with_progress(
        &self,
        entries: &[RosterEntry],
        key: &DataKey,
        reach: &Reach,
        now: i64,
        progress: impl Fn(usize) + Send + Sync,
    ) -> Result<RosterImportSummary, RosterImportError> {
        let units: Vec<(i64, String)> =
            on_reader!(self, pool => sqlx::query_as("SELECT id, code FROM units").fetch_all(pool).await)?;
        let unit_ids: HashMap<String, i64> = units.into_iter().map(|(id, code)| (code, id)).collect();
        let mut summary = RosterImportSummary::default();
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster_entries").fetch_one(&mut *tx).await?;
            let mut taken = Vec::new();
            let mut outside = Vec::new();
            for (done, entry) in entries.iter().enumerate() {
                if done % PROGRESS_EVERY == 0 {
                    progress(done);
                }
                let unit_id = *unit_ids
                    .get(entry.unit.as_ref())
                    .ok_or_else(|| RosterImportError::UnknownUnit(entry.unit.to_string()))?;
                let id_index = key.blind_index(entry.id_number.expose());
                let phone_index = entry.phone.as_ref().map(|p| key.blind_index(p.as_ref()));
                if key.is_rotating() {
                    // An entry (or phone) still indexed under the previous key
                    // moves to the current one first, so the lookup below and
                    // the upsert's conflict target find it.
                    let mut values: Vec<(&str, Vec<String>)> = vec![("id_index", key.blind_indexes(entry.id_number.expose()))];
                    if let Some(phone) = &entry.phone {
                        values.push(("phone_index", key.blind_indexes(phone.as_ref())));
                    }
                    for (column, indexes) in values {
                        if let [current, previous] = indexes.as_slice() {
                            sqlx::query(&format!("UPDATE roster_entries SET {column} = $1 WHERE {column} = $2"))
                                .bind(current)
                                .bind(previous)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                }
                // The person's own entry (its current unit) and whoever holds
                // the phone, in one lookup.
                let holders: Vec<(String, Option<String>, i64, String)> = sqlx::query_as(
                    "SELECT r.id_index, r.phone_index, r.unit_id, u.name FROM roster_entries r JOIN units u ON u.id = r.unit_id \
                     WHERE r.id_index = $1 OR r.phone_index = $2",
                )
                .bind(&id_index)
                .bind(&phone_index)
                .fetch_all(&mut *tx)
                .await?;
                if let Some((_, _, _, unit_name)) = holders.iter().find(|h| h.0 == id_index && !reach.contains(h.2)) {
                    outside.push((entry.line, unit_name.clone()));
                    continue;
                }
                if phone_index.is_some() && holders.iter().any(|h| h.1 == phone_index && h.0 != id_index) {
                    taken.push(entry.line);
                    continue;
                }
                let (y, m, d) = entry.birth_date;
                sqlx::query(UPSERT)
                    .bind(unit_id)
                    .bind(&entry.member_no)
                    .bind(entry.name.as_ref())
                    .bind(match entry.gender { domain::Gender::Male => "male", domain::Gender::Female => "female" })
                    .bind(format!("{y:04}-{m:02}-{d:02}"))
                    .bind(key.seal(entry.id_number.expose()))
                    .bind(&id_index)
                    .bind(entry.phone.as_ref().map(|p| key.seal(p.as_ref())))
                    .bind(&phone_index)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            if !outside.is_empty() {
                tx.rollback().await?;
                return Err(RosterImportError::OutsideReach(outside));
            }
            if !taken.is_empty() {
                tx.rollback().await?;
                return Err(RosterImportError::PhoneTaken(taken));
            }
            let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster_entries").fetch_one(&mut *tx).await?;
            tx.commit().await?;
            summary.inserted = u64::try_from(after - before).unwrap_or(0);
            summary.updated = entries.len() as u64 - summary.inserted;
        });
        Ok(summary)
    }

    pub async fn roster_count(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            on_reader!(self, pool => sqlx::query_as("SELECT COUNT(*) FROM roster_entries").fetch_one(pool).await)?;
        Ok(count)
    }

    /// Keeps an uploaded file (sealed: it holds ID numbers) until its
    /// uploader confirms it.
    pub async fn save_pending_import(
        &self,
        token: &str,
        actor: MemberId,
        kind: &str,
        content: &str,
        key: &DataKey,
        now: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("INSERT INTO pending_imports (token, actor_id, kind, content, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token)
                .bind(actor.0)
                .bind(kind)
                .bind(key.seal(content))
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Takes (and deletes) a pending upload of `actor`'s, if it is still there.
    pub async fn take_pending_import(
        &self,
        token: &str,
        actor: MemberId,
        kind: &str,
        key: &DataKey,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = on_writer!(self, pool => {
            sqlx::query_as("DELETE FROM pending_imports WHERE token = $1 AND actor_id = $2 AND kind = $3 RETURNING content")
                .bind(token)
                .bind(actor.0)
                .bind(kind)
                .fetch_optional(pool)
                .await
        })?;
        match row {
            Some((sealed,)) => key.open(&sealed).map(Some).map_err(|e| StoreError::Corrupt(e.to_string())),
            None => Ok(None),
        }
    }
}

/// Links member `$1` to roster entry `$2` at `$3` and moves them to its
/// unit, unless already certified; the unique index on `roster_entry_id`
/// refuses a second account. Automatic and manual certification share it.
pub(crate) const CERTIFY_MEMBER: &str = "UPDATE members SET roster_entry_id = $2, certified_at = $3, \
     unit_id = (SELECT unit_id FROM roster_entries WHERE id = $2) WHERE id = $1 AND roster_entry_id IS NULL";

/// A roster entry found by ID number, for certification.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterMatch {
    pub entry_id: i64,
    pub name: String,
    pub member_no: String,
    pub unit_name: String,
    /// The account already certified with this entry, if any.
    pub certified_member: Option<i64>,
}

/// Why a certification could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum CertifyError {
    #[error("the roster entry already certifies another account")]
    TakenByOther,
    #[error("the member is already certified")]
    AlreadyCertified,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// The roster entry with this ID number (found by its blind index).
    pub async fn roster_entry_by_id_number(
        &self,
        key: &DataKey,
        id_number: &domain::IdNumber,
    ) -> Result<Option<RosterMatch>, StoreError> {
        // The current key's index, and during a rotation the previous key's.
        let indexes = key.blind_indexes(id_number.expose());
        let previous = indexes.get(1).unwrap_or(&indexes[0]).clone();
        let row = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT r.id AS entry_id, r.name, r.member_no, u.name AS unit_name, m.id AS certified_member \
                 FROM roster_entries r JOIN units u ON u.id = r.unit_id \
                 LEFT JOIN members m ON m.roster_entry_id = r.id WHERE r.id_index IN ($1, $2)",
            )
            .bind(&indexes[0])
            .bind(&previous)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Failed certification attempts of `member` since `since`.
    pub async fn failed_certifications_since(&self, member: MemberId, since: i64) -> Result<i64, StoreError> {
        let (count,): (i64,) = on_writer!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM certify_attempts WHERE member_id = $1 AND at >= $2")
                .bind(member.0)
                .bind(since)
                .fetch_one(pool)
                .await
        })?;
        Ok(count)
    }

    pub async fn record_failed_certification(&self, member: MemberId, at: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("INSERT INTO certify_attempts (member_id, at) VALUES ($1, $2)")
                .bind(member.0)
                .bind(at)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Links a member to a roster entry and moves them to its unit. The
    /// unique index decides when two accounts race for one entry.
    pub async fn certify_member(&self, member: MemberId, entry_id: i64, now: i64) -> Result<(), CertifyError> {
        let updated: Result<u64, sqlx::Error> = on_writer!(self, pool => {
            sqlx::query(CERTIFY_MEMBER)
            .bind(member.0)
            .bind(entry_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        });
        match updated {
            Ok(1) => Ok(()),
            Ok(_) => Err(CertifyError::AlreadyCertified),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(CertifyError::TakenByOther),
            Err(e) => Err(CertifyError::Store(e.into())),
        }
    }
}
