//! Background roster imports' progress, in the database so that every server
//! process can show it (the import runs in one of them).

use crate::{on_reader, on_writer, Engine, MemberId, Store, StoreError};

/// A job as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportJobRow {
    pub total: i64,
    pub done: i64,
    /// The notice or the error message, once it ended.
    pub outcome: Option<Result<String, String>>,
}

impl Store {
    pub async fn start_import_job(&self, token: &str, owner: MemberId, total: i64, now: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("INSERT INTO import_jobs (token, owner_id, total, started_at) VALUES ($1, $2, $3, $4)")
                .bind(token)
                .bind(owner.0)
                .bind(total)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records `done` entries imported (never moves backwards). Only while
    /// an import runs on PostgreSQL: on SQLite the one writer is the import's
    /// own transaction, and the only process is the one running it.
    pub async fn advance_import_job(&self, token: &str, done: i64) -> Result<(), StoreError> {
        if self.engine() != Engine::Postgres {
            return Ok(());
        }
        on_writer!(self, pool => {
            sqlx::query("UPDATE import_jobs SET done = $2 WHERE token = $1 AND done < $2 AND $2 <= total")
                .bind(token)
                .bind(done)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn finish_import_job(
        &self,
        token: &str,
        outcome: &Result<String, String>,
        now: i64,
    ) -> Result<(), StoreError> {
        let (succeeded, failed) = match outcome {
            Ok(notice) => (Some(notice.as_str()), None),
            Err(message) => (None, Some(message.as_str())),
        };
        on_writer!(self, pool => {
            sqlx::query("UPDATE import_jobs SET done = total, succeeded = $2, failed = $3, finished_at = $4 WHERE token = $1")
                .bind(token)
                .bind(succeeded)
                .bind(failed)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// `owner`'s job `token` (nobody else's).
    pub async fn import_job(&self, token: &str, owner: MemberId) -> Result<Option<ImportJobRow>, StoreError> {
        let row: Option<(i64, i64, Option<String>, Option<String>)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT total, done, succeeded, failed FROM import_jobs WHERE token = $1 AND owner_id = $2")
                .bind(token)
                .bind(owner.0)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.map(|(total, done, succeeded, failed)| ImportJobRow {
            total,
            done,
            outcome: match (succeeded, failed) {
                (Some(notice), _) => Some(Ok(notice)),
                (None, Some(message)) => Some(Err(message)),
                (None, None) => None,
            },
        }))
    }
}
