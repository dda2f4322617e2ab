//! Roster imports running in the background, so a 100 000-row file shows
//! its progress instead of holding one request open for half a minute.
//!
//! The registry is in this process's memory: the progress page must be
//! answered by the process running the import (one process per database in
//! the SQLite setup; behind a load balancer, use sticky sessions for
//! /admin/roster). The import itself is one transaction either way.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use store::MemberId;

/// How a finished import ended: the notice, or the error message.
pub type ImportOutcome = Result<String, String>;

#[derive(Clone)]
struct Job {
    owner: MemberId,
    total: usize,
    done: Arc<AtomicUsize>,
    outcome: Option<ImportOutcome>,
}

/// What the progress page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobProgress {
    pub total: usize,
    pub done: usize,
    pub outcome: Option<ImportOutcome>,
}

#[derive(Clone, Default)]
pub struct ImportJobs(Arc<Mutex<HashMap<String, Job>>>);

impl ImportJobs {
    /// Registers job `id` of `owner` over `total` entries; returns the
    /// counter the import advances.
    pub fn start(&self, id: &str, owner: MemberId, total: usize) -> Arc<AtomicUsize> {
        let done = Arc::new(AtomicUsize::new(0));
        let job = Job { owner, total, done: done.clone(), outcome: None };
        self.0.lock().expect("import jobs").insert(id.to_owned(), job);
        done
    }

    pub fn finish(&self, id: &str, outcome: ImportOutcome) {
        if let Some(job) = self.0.lock().expect("import jobs").get_mut(id) {
            job.done.store(job.total, Ordering::Relaxed);
            job.outcome = Some(outcome);
        }
    }

    /// The progress of `owner`'s job `id` (nobody else's). A finished job is
    /// forgotten once its outcome has been read.
    pub fn progress(&self, id: &str, owner: MemberId) -> Option<JobProgress> {
        let mut jobs = self.0.lock().expect("import jobs");
        let job = jobs.get(id).filter(|j| j.owner == owner)?.clone();
        if job.outcome.is_some() {
            jobs.remove(id);
        }
        Some(JobProgress {
            total: job.total,
            done: job.done.load(Ordering::Relaxed).min(job.total),
            outcome: job.outcome,
        })
    }
}
