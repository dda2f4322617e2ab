//! In-process queues in front of PostgreSQL's advisory locks.
//!
//! A write that PostgreSQL orders with a transaction-scoped advisory lock
//! (claims of one benefit, sign-ups of one session) holds a pool connection
//! while it waits for the lock. A burst of N such writes therefore holds N
//! connections: a pool of 16 is drained at once and every request behind it
//! fails its 3 s acquire timeout with 503 — CI saw exactly that with 1 000
//! claims of one benefit through two processes. Queued here first, at most
//! one connection per process waits on each lock; the others wait in memory,
//! with no timeout, and take a connection only when their turn comes. The
//! advisory lock still orders the processes among themselves.

use tokio::sync::{Mutex, MutexGuard};

/// Striped rather than one lock per key: 64 mutexes in a static, never
/// allocated or cleaned up; two keys sharing a stripe only queue together.
static STRIPES: [Mutex<()>; 64] = [const { Mutex::const_new(()) }; 64];

/// What an advisory lock is taken for (its first key), so a benefit and a
/// session with the same id queue apart.
#[derive(Clone, Copy)]
pub(crate) enum Queue {
    BenefitClaims = 7,
    SessionSeats = 8,
}

/// Waits for the in-process turn of `id` in `queue`; hold the guard until
/// the transaction that takes the advisory lock has ended.
pub(crate) async fn turn(queue: Queue, id: i64) -> MutexGuard<'static, ()> {
    let stripe = (id as u64).wrapping_mul(2).wrapping_add(queue as u64) % STRIPES.len() as u64;
    STRIPES[stripe as usize].lock().await
}
