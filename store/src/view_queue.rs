//! Article views are appended in batches, as votes are (`vote_queue.rs`):
//! the article page hands its view to this queue and answers at once; one
//! task writes whatever has gathered while its previous statement ran, up to
//! `MAX_BATCH` rows in one `INSERT … ON CONFLICT DO NOTHING`. So a page view
//! costs the page no database write, and a burst of 10 000 views is ten
//! statements, not 10 000 transactions on SQLite's one writer.
//!
//! A view is not acknowledged to anyone, so it needs no reply; it is kept
//! across a failed statement (retried with back-off, 0.1 s doubling to 5 s)
//! and lost only if the process dies with views still in memory (at most
//! `QUEUE_DEPTH`). Senders wait when the queue is full (bounded memory).

use std::time::Duration;

use tokio::sync::mpsc;

use crate::engagement::NewView;
use crate::Store;

/// Rows per statement (5 binds a row; see `Store::append_views`).
const MAX_BATCH: usize = 2000;
/// Views waiting beyond this make the pages that send them wait.
const QUEUE_DEPTH: usize = 20_000;

/// The sending side; clone it freely. The writing task ends (after writing
/// what it holds) when the last clone is dropped.
#[derive(Clone, Debug)]
pub struct ViewQueue {
    sender: mpsc::Sender<NewView>,
}

impl ViewQueue {
    /// Starts the writing task on the current tokio runtime.
    pub fn start(store: Store) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE_DEPTH);
        tokio::spawn(write_views(store, receiver));
        Self { sender }
    }

    /// Queues one view.
    pub async fn record(&self, view: NewView) {
        if self.sender.send(view).await.is_err() {
            tracing::error!("the view writer stopped; a view was not counted");
        }
    }
}

async fn write_views(store: Store, mut receiver: mpsc::Receiver<NewView>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = receiver.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let mut wait = Duration::from_millis(100);
        while let Err(error) = store.append_views(&batch).await {
            tracing::warn!(%error, views = batch.len(), "writing views failed; retrying");
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(5));
        }
        batch.clear();
    }
}
