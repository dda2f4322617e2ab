//! Roster imports running in the background, so a 100 000-row file shows
//! its progress instead of holding one request open for half a minute.
//!
//! A job is a row in the database (store::import_jobs), so behind a load
//! balancer any process can answer its progress page. The process running
//! the import counts in memory and, on PostgreSQL, writes the count to the
//! row every `WRITE_EVERY`; on SQLite the one writer is busy with the
//! import's own transaction, and the one process answers from memory. The
//! import itself is one transaction either way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::{MemberId, Store};

use crate::error::AppError;

/// How a finished import ended: the notice, or the error message.
pub type ImportOutcome = Result<String, String>;

/// How often a running import's count reaches the database: a phone polling
/// the page every 2 s sees it move, for one small UPDATE per half second.
const WRITE_EVERY: Duration = Duration::from_millis(500);

/// What the progress page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobProgress {
    pub total: usize,
    pub done: usize,
    pub outcome: Option<ImportOutcome>,
}

/// The counters of the imports this process is running.
#[derive(Clone, Default)]
pub struct ImportJobs(Arc<Mutex<HashMap<String, Arc<AtomicUsize>>>>);

impl ImportJobs {
    /// Registers job `id` of `owner` over `total` entries; returns the
    /// counter the import advances.
    pub async fn start(
        &self,
        store: &Store,
        id: &str,
        owner: MemberId,
        total: usize,
    ) -> Result<Arc<AtomicUsize>, AppError> {
        store
            .start_import_job(id, owner, total as i64, crate::clock::now())
            .await
            .map_err(|e| AppError::from_store("import_job", e))?;
        let done = Arc::new(AtomicUsize::new(0));
        self.0.lock().expect("import jobs").insert(id.to_owned(), done.clone());
        let (store, id, counter) = (store.clone(), id.to_owned(), Arc::downgrade(&done));
        tokio::spawn(async move {
            let mut written = 0;
            // Until the import drops its counter (it finished).
            while let Some(counter) = counter.upgrade() {
                let now = counter.load(Ordering::Relaxed);
                drop(counter);
                if now > written && store.advance_import_job(&id, now as i64).await.is_ok() {
                    written = now;
                }
                tokio::time::sleep(WRITE_EVERY).await;
            }
        });
        Ok(done)
    }

    pub async fn finish(&self, store: &Store, id: &str, outcome: ImportOutcome) {
        if let Err(error) = store.finish_import_job(id, &outcome, crate::clock::now()).await {
            tracing::error!(%error, "could not record how an import ended");
        }
        self.0.lock().expect("import jobs").remove(id);
    }

    /// The progress of `owner`'s job `id` (nobody else's), from whichever
    /// process asks.
    pub async fn progress(&self, store: &Store, id: &str, owner: MemberId) -> Result<Option<JobProgress>, AppError> {
        let Some(row) = store.import_job(id, owner).await.map_err(|e| AppError::from_store("import_job", e))? else {
            return Ok(None);
        };
        let here = self.0.lock().expect("import jobs").get(id).map(|done| done.load(Ordering::Relaxed));
        let total = row.total.max(0) as usize;
        let done = (row.done.max(0) as usize).max(here.unwrap_or(0)).min(total);
        Ok(Some(JobProgress { total, done, outcome: row.outcome }))
    }
}
