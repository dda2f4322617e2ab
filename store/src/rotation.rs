//! `gonghui rotate-data-key`: every sealed value sealed again, and every
//! blind index computed again, under the current data key, while the server
//! keeps running on both keys (protect::DataKey::with_previous).
//!
//! Rows go in batches of `BATCH`, each batch one transaction; a row is
//! rewritten only if its sealed value is still the one read (a member who
//! changed it meanwhile wrote it under the current key already). Running it
//! again is harmless: what already opens with the current key is skipped, so
//! an interrupted rotation resumes where it stopped.

use sqlx::Row;

use crate::protect::{DataKey, ProtectError};
use crate::BeginWrite;
use crate::{on_reader, on_writer, Store, StoreError};

/// Rows per transaction: short enough that SQLite's one writer is held for
/// a few milliseconds at a time, so votes and sign-ins go on meanwhile.
const BATCH: i64 = 200;

/// A table with an integer `id` and sealed columns, each with the column of
/// its blind index if it has one.
struct Sealed {
    table: &'static str,
    columns: &'static [Column],
}

#[derive(Clone, Copy)]
struct Column {
    name: &'static str,
    index: Option<&'static str>,
    bytes: bool,
}

const fn text(name: &'static str, index: Option<&'static str>) -> Column {
    Column { name, index, bytes: false }
}

/// Every sealed column there is (besides letter_photos.sealed and
/// pending_imports.content, below). A new `…sealed` column in a migration
/// fails `every_sealed_column_in_the_migrations_is_rotated` until it is here.
const TABLES: &[Sealed] = &[
    Sealed {
        table: "roster_entries",
        columns: &[text("id_sealed", Some("id_index")), text("phone_sealed", Some("phone_index"))],
    },
    Sealed {
        table: "certify_requests",
        columns: &[text("id_sealed", Some("id_index")), Column { name: "photo_sealed", index: None, bytes: true }],
    },
    Sealed { table: "correspondents", columns: &[text("id_sealed", Some("id_index"))] },
    Sealed { table: "letters", columns: &[text("body_sealed", None)] },
    Sealed { table: "outward_channels", columns: &[text("secret_sealed", None)] },
];

/// What a rotation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RotationSummary {
    /// Values looked at.
    pub checked: u64,
    /// Values sealed again under the current key.
    pub resealed: u64,
}

enum Value {
    Text(Option<String>),
    Bytes(Vec<u8>),
}

fn unsealable(table: &str, id: &str, error: ProtectError) -> StoreError {
    StoreError::Corrupt(format!("{table} {id}: {error} (neither the current nor the previous key opens it)"))
}

impl Store {
    /// Seals everything again under `key`'s current key (see the module).
    /// `progress` hears each table's name and the values done so far.
    pub async fn rotate_data_key(
        &self,
        key: &DataKey,
        mut progress: impl FnMut(&str, u64),
    ) -> Result<RotationSummary, StoreError> {
        let mut summary = RotationSummary::default();
        for table in TABLES {
            self.rotate_table(key, table, &mut summary).await?;
            progress(table.table, summary.checked);
        }
        self.rotate_letter_photos(key, &mut summary).await?;
        progress("letter_photos", summary.checked);
        self.rotate_pending_imports(key, &mut summary).await?;
        progress("pending_imports", summary.checked);
        Ok(summary)
    }

    async fn rotate_table(
        &self,
        key: &DataKey,
        table: &Sealed,
        summary: &mut RotationSummary,
    ) -> Result<(), StoreError> {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let select =
            format!("SELECT id, {} FROM {} WHERE id > $1 ORDER BY id LIMIT {BATCH}", names.join(", "), table.table);
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, Vec<Value>)> = on_reader!(self, pool => {
                let rows = sqlx::query(&select).bind(after).fetch_all(pool).await?;
                rows.iter()
                    .map(|row| {
                        let values = table
                            .columns
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                Ok(if c.bytes { Value::Bytes(row.try_get(i + 1)?) } else { Value::Text(row.try_get(i + 1)?) })
                            })
                            .collect::<Result<Vec<_>, sqlx::Error>>()?;
                        Ok((row.try_get(0)?, values))
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            })?;
            let Some(last) = rows.last().map(|(id, _)| *id) else { return Ok(()) };
            after = last;
            // (id, old values, new values, new indexes) of the rows to rewrite.
            let mut changes = Vec::new();
            for (id, values) in rows {
                let mut fresh = Vec::new();
                let mut stale = false;
                for (column, value) in table.columns.iter().zip(&values) {
                    summary.checked += 1;
                    match value {
                        Value::Text(None) => fresh.push((Value::Text(None), column.index.map(|_| None))),
                        Value::Text(Some(sealed)) => {
                            let (plain, old) = key
                                .open_for_rotation(sealed)
                                .map_err(|e| unsealable(table.table, &id.to_string(), e))?;
                            stale |= old;
                            let index = column.index.map(|_| Some(key.blind_index(&plain)));
                            fresh.push((Value::Text(Some(if old { key.seal(&plain) } else { sealed.clone() })), index));
                        }
                        Value::Bytes(sealed) => {
                            let (plain, old) = key
                                .open_bytes_for_rotation(sealed)
                                .map_err(|e| unsealable(table.table, &id.to_string(), e))?;
                            stale |= old;
                            fresh.push((Value::Bytes(if old { key.seal_bytes(&plain) } else { sealed.clone() }), None));
                        }
                    }
                }
                if stale {
                    summary.resealed += 1;
                    changes.push((id, values, fresh));
                }
            }
            if changes.is_empty() {
                continue;
            }
            // SET every sealed column and index; WHERE the first sealed
            // column is still what was read.
            let mut sets = Vec::new();
            for column in table.columns {
                sets.push(column.name.to_owned());
                if let Some(index) = column.index {
                    sets.push(index.to_owned());
                }
            }
            let assignments: Vec<String> = sets.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
            let update = format!(
                "UPDATE {} SET {} WHERE id = ${} AND {} = ${}",
                table.table,
                assignments.join(", "),
                sets.len() + 1,
                table.columns[0].name,
                sets.len() + 2
            );
            on_writer!(self, pool => {
                let mut tx = pool.begin_write().await?;
                for (id, old, fresh) in &changes {
                    let mut query = sqlx::query(&update);
                    for (value, index) in fresh {
                        query = match value {
                            Value::Text(text) => query.bind(text.clone()),
                            Value::Bytes(bytes) => query.bind(bytes.clone()),
                        };
                        if let Some(index) = index {
                            query = query.bind(index.clone());
                        }
                    }
                    query = query.bind(*id);
                    query = match &old[0] {
                        Value::Text(text) => query.bind(text.clone()),
                        Value::Bytes(bytes) => query.bind(bytes.clone()),
                    };
                    query.execute(&mut *tx).await?;
                }
                tx.commit().await.map(|()| changes.len())
            })?;
        }
    }

    async fn rotate_letter_photos(&self, key: &DataKey, summary: &mut RotationSummary) -> Result<(), StoreError> {
        let mut after = (0i64, 0i64);
        loop {
            let rows: Vec<(i64, i64, Vec<u8>)> = on_reader!(self, pool => {
                sqlx::query_as(
                    "SELECT letter_id, n, sealed FROM letter_photos WHERE letter_id > $1 OR (letter_id = $1 AND n > $2) \
                     ORDER BY letter_id, n LIMIT 50",
                )
                .bind(after.0)
                .bind(after.1)
                .fetch_all(pool)
                .await
            })?;
            let Some((letter, n, _)) = rows.last() else { return Ok(()) };
            after = (*letter, *n);
            let mut changes = Vec::new();
            for (letter, n, sealed) in rows {
                summary.checked += 1;
                let (plain, old) = key
                    .open_bytes_for_rotation(&sealed)
                    .map_err(|e| unsealable("letter_photos", &format!("{letter}/{n}"), e))?;
                if old {
                    summary.resealed += 1;
                    changes.push((letter, n, sealed, key.seal_bytes(&plain)));
                }
            }
            on_writer!(self, pool => {
                let mut tx = pool.begin_write().await?;
                for (letter, n, old, fresh) in &changes {
                    sqlx::query("UPDATE letter_photos SET sealed = $1 WHERE letter_id = $2 AND n = $3 AND sealed = $4")
                        .bind(fresh)
                        .bind(letter)
                        .bind(n)
                        .bind(old)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await.map(|()| changes.len())
            })?;
        }
    }

    /// Uploads waiting for confirmation (an hour at most): few rows.
    async fn rotate_pending_imports(&self, key: &DataKey, summary: &mut RotationSummary) -> Result<(), StoreError> {
        let rows: Vec<(String, String)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT token, content FROM pending_imports").fetch_all(pool).await
        })?;
        for (token, sealed) in rows {
            summary.checked += 1;
            let (plain, old) = key.open_for_rotation(&sealed).map_err(|e| unsealable("pending_imports", &token, e))?;
            if old {
                summary.resealed += 1;
                on_writer!(self, pool => {
                    sqlx::query("UPDATE pending_imports SET content = $1 WHERE token = $2 AND content = $3")
                        .bind(key.seal(&plain))
                        .bind(&token)
                        .bind(&sealed)
                        .execute(pool)
                        .await
                        .map(|r| r.rows_affected())
                })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sealed_column_in_the_migrations_is_rotated() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
        let mut rotated: Vec<String> =
            TABLES.iter().flat_map(|t| t.columns.iter().map(move |c| format!("{}.{}", t.table, c.name))).collect();
        rotated.push("letter_photos.sealed".into());
        for entry in std::fs::read_dir(folder).unwrap() {
            let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut table = String::new();
            for line in sql.lines().map(str::trim) {
                if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                    table = rest.split_whitespace().next().unwrap_or_default().to_owned();
                }
                let column = line.split_whitespace().next().unwrap_or_default();
                if column.ends_with("sealed") && !line.starts_with("--") {
                    let name = format!("{table}.{column}");
                    assert!(
                        rotated.contains(&name),
                        "{name} is sealed but `gonghui rotate-data-key` would not rotate it"
                    );
                }
            }
        }
    }
}
