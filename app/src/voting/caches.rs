//! This process's short-lived copies of campaign data, so a vote or a share
//! page does not query what changed a few seconds ago at most (moka: bounded,
//! expiring, lock-free reads). An official's change in this process drops
//! them at once (`forget_campaign`); other processes see it within the ages
//! below.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use moka::sync::Cache;
use store::Campaign;

use crate::voting::model::{Standing, VoidView};

/// How stale a leaderboard (and the voids it leaves out) may be: tallies are
/// counted from the vote rows at most this often per campaign and process,
/// never kept in a counter row that every vote would update.
pub const TALLY_MAX_AGE: Duration = Duration::from_secs(3);

/// How long a process reuses a campaign's rules and candidate list for
/// votes: they change rarely, and each vote then makes two trips to the
/// database fewer.
pub const VOTING_DATA_MAX_AGE: Duration = Duration::from_secs(5);

/// A campaign and its approved candidates.
pub type VotingData = Arc<(Arc<Campaign>, Vec<store::Candidate>)>;

struct Caches {
    tallies: Cache<i64, Arc<Vec<Standing>>>,
    voids: Cache<i64, Arc<Vec<VoidView>>>,
    /// By slug. Bounded: unknown slugs never get here (they are 404 first).
    voting: Cache<String, VotingData>,
}

fn caches() -> &'static Caches {
    static CACHES: OnceLock<Caches> = OnceLock::new();
    CACHES.get_or_init(|| Caches {
        tallies: Cache::builder().max_capacity(10_000).time_to_live(TALLY_MAX_AGE).build(),
        voids: Cache::builder().max_capacity(10_000).time_to_live(TALLY_MAX_AGE).build(),
        voting: Cache::builder()
            .max_capacity(1000)
            .time_to_live(VOTING_DATA_MAX_AGE)
            .support_invalidation_closures()
            .build(),
    })
}

pub fn tallies() -> &'static Cache<i64, Arc<Vec<Standing>>> {
    &caches().tallies
}

pub fn voids() -> &'static Cache<i64, Arc<Vec<VoidView>>> {
    &caches().voids
}

pub fn voting() -> &'static Cache<String, VotingData> {
    &caches().voting
}

/// Counts campaign changes made in this process; caches of whole pages
/// (server::page_cache) key on it, so an official's change shows at once.
static CAMPAIGN_EDITS: AtomicU64 = AtomicU64::new(0);

pub fn campaign_edits() -> u64 {
    CAMPAIGN_EDITS.load(Ordering::Relaxed)
}

/// After an official changed a campaign (a void, a new candidate, a
/// picture…): drops this process's copies at once, so the official sees the
/// effect, and tells the other processes to drop theirs (store::changes).
pub async fn campaign_changed(store: &store::Store, campaign_id: i64) {
    forget_campaign(campaign_id);
    store.announce(&store::Change::Campaign(campaign_id)).await;
}

/// Drops every campaign copy (the change listener reconnected and may have
/// missed announcements).
pub fn forget_all_campaigns() {
    CAMPAIGN_EDITS.fetch_add(1, Ordering::Relaxed);
    tallies().invalidate_all();
    voids().invalidate_all();
    voting().invalidate_all();
}

/// Drops this process's copies of a campaign's data.
pub fn forget_campaign(campaign_id: i64) {
    CAMPAIGN_EDITS.fetch_add(1, Ordering::Relaxed);
    tallies().invalidate(&campaign_id);
    voids().invalidate(&campaign_id);
    // Only fails when closures were not enabled on the builder (they are).
    let _ = voting().invalidate_entries_if(move |_, data| data.0.id == campaign_id);
}
