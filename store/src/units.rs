//! The union unit tree.

use domain::{Unit, UnitCode, UnitLevel, UnitName, UnitTree};

use crate::BeginWrite;
use crate::{on_reader, on_writer, Store, StoreError};

#[derive(sqlx::FromRow)]
struct UnitRecord {
    code: String,
    parent_code: Option<String>,
    name: String,
    level: String,
}

impl TryFrom<UnitRecord> for Unit {
    type Error = StoreError;
    fn try_from(r: UnitRecord) -> Result<Self, StoreError> {
        let corrupt = |e: domain::UnitFieldError| StoreError::Corrupt(format!("unit {}: {e}", r.code));
        Ok(Unit {
            code: UnitCode::parse(&r.code).map_err(corrupt)?,
            parent: r.parent_code.as_deref().map(UnitCode::parse).transpose().map_err(corrupt)?,
            name: UnitName::parse(&r.name).map_err(corrupt)?,
            level: UnitLevel::parse(&r.level).map_err(corrupt)?,
        })
    }
}

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnitImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

const SELECT_UNITS: &str = "SELECT u.code, p.code AS parent_code, u.name, u.level \
     FROM units u LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code";

// Parents come first in a `UnitTree`, so the sub-select always finds the
// parent's id. The `WHERE` on the update skips rows that did not change, so
// the summary can tell "updated" from "already so".
const UPSERT_UNIT: &str = "INSERT INTO units (code, parent_id, name, level) \
     VALUES ($1, (SELECT id FROM units WHERE code = $2), $3, $4) \
     ON CONFLICT (code) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name, level = excluded.level \
     WHERE units.parent_id IS DISTINCT FROM excluded.parent_id OR units.name <> excluded.name OR units.level <> excluded.level";

impl Store {
    /// Every unit, ordered by code (so siblings list in code order).
    #[tracing::instrument(skip(self))]
    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        let records: Vec<UnitRecord> = on_reader!(self, pool => sqlx::query_as(SELECT_UNITS).fetch_all(pool).await)?;
        records.into_iter().map(Unit::try_from).collect()
    }

    /// The root unit's name (the union this portal serves), if any unit exists.
    /// Every page's header shows it: one indexed row, not the whole tree.
    #[tracing::instrument(skip(self))]
    pub async fn root_unit_name(&self) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1").fetch_optional(pool).await
        })?;
        Ok(row.map(|(name,)| name))
    }

    pub async fn unit_exists(&self, code: &UnitCode) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT id FROM units WHERE code = $1").bind(code.as_ref()).fetch_optional(pool).await
        })?;
        Ok(row.is_some())
    }

    #[tracing::instrument(skip(self))]
    pub async fn unit_count(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            on_reader!(self, pool => sqlx::query_as("SELECT COUNT(*) FROM units").fetch_one(pool).await)?;
        Ok(count)
    }

    /// Inserts new units and updates changed ones, all in one transaction:
    /// either the whole tree lands or nothing does.
    #[tracing::instrument(skip(self, tree), fields(units = tree.units().len()))]
    pub async fn import_units(&self, tree: &UnitTree) -> Result<UnitImportSummary, StoreError> {
        let mut summary = UnitImportSummary::default();
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units").fetch_one(&mut *tx).await?;
            let mut changed = 0u64;
            for unit in tree.units() {
                let result = sqlx::query(UPSERT_UNIT)
                    .bind(unit.code.as_ref())
                    .bind(unit.parent.as_ref().map(|p| p.as_ref().to_owned()))
                    .bind(unit.name.as_ref())
                    .bind(unit.level.as_key())
                    .execute(&mut *tx)
                    .await?;
                changed += result.rows_affected();
            }
            let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units").fetch_one(&mut *tx).await?;
            tx.commit().await?;
            summary.inserted = u64::try_from(after - before).unwrap_or(0);
            summary.updated = changed.saturating_sub(summary.inserted);
        });
        Ok(summary)
    }
}
