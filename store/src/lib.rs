//! The database layer: one `Store`, two engines.
//!
//! SQLite is the embedded default (one machine: WAL mode, every write through a
//! single connection so writers never fight over the lock); PostgreSQL is the
//! scale-out engine shared by several stateless server processes. SQL is
//! written once in the portable subset both engines accept (`$1` binds,
//! `ON CONFLICT … DO UPDATE`), and each engine has its own migrations.

mod activities;
mod apps;
mod articles;
mod assets;
pub mod backup;
mod benefits;
mod campaigns;
pub mod changes;
mod desk;
mod engagement;
mod error;
mod import_jobs;
mod lessons;
mod mailboxes;
mod media;
mod members;
mod newsroom;
mod officials;
mod outward;
pub mod protect;
mod queue;
mod requests;
mod roster;
mod rotation;
mod stats;
#[cfg(feature = "testing")]
pub mod testing;
mod units;
mod view_queue;
mod voids;
mod vote_queue;
mod wishes;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use activities::{ActivitySession, CheckIn, NewActivity, NewSession, SignUp, SignUpOutcome};
pub use apps::{AppTokenRow, HostApp, RegisterAppError};
pub use articles::{
    Activity, Article, ArticleCard, Correction, Distribution, DistributionTarget, InboxEntry, PublishError, Publishing,
};
pub use assets::{Asset, AssetKind, NewAsset, StoryAsset};
pub use benefits::{
    Benefit, Claim, ClaimRefusal, ClaimantFacts, NewBenefit, NewClaim, Partner, PartnerCredentials, Redemption,
    UnitClaims,
};
pub use campaigns::{Campaign, Candidate, CandidateEntry, CastVote, NewCampaign, NewCandidate, NewVote, VoteError};
pub use changes::Change;
pub use desk::{
    AdoptedStory, AdoptionLevel, CallTarget, FigureRow, FiguresBy, LedgerEntry, PaymentRate, RankedCorrespondent,
    ReportError, StoryCall,
};
pub use engagement::{
    AlertCount, ArticleCounts, CommentRow, NewAlert, NewComment, NewView, PendingComment, PropagationRow,
    StoredWatchWord,
};
pub use error::StoreError;
pub use import_jobs::ImportJobRow;
pub use lessons::{Completion, Course, Lesson, NewLesson, Progress, Question};
pub use mailboxes::{Answer, Letter, LetterEvent, NewLetter, PublicLetter};
pub use media::MediaKind;
pub use members::{ActiveSmsCode, Credentials, InsertMemberError, Member, MemberId, SmsPurpose};
pub use newsroom::{
    ApplyError, CorrespondentListing, Decision, DecisionError, NewCorrespondent, NewStory, NewsroomRole,
    OwnCorrespondent, QueuedStory, StoryListing, StoryState, StoryStatus,
};
pub use officials::{Actor, AuditEntry, MemberListing};
pub use outward::{Delivery, DeliveryOutcome, OutwardChannel};
pub use requests::{NewRequest, OwnRequest, QueuedRequest, RequestStatus, ReviewError, SubmitError};
pub use roster::{CertifyError, Reach, RosterImportError, RosterImportSummary, RosterMatch};
pub use rotation::RotationSummary;
pub use units::UnitImportSummary;
pub use view_queue::ViewQueue;
pub use voids::{VoidRecord, VoidSelection};
pub use vote_queue::{QueuedVote, VoteQueue};
pub use wishes::{NewWish, Wish};

/// How long a request waits for a free connection before the store reports
/// itself unavailable. Short, so `/healthz` and pages answer 503 quickly when
/// PostgreSQL is down instead of hanging until the request timeout.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long SQLite waits on a lock held by another process (e.g. the
/// `gonghui import-units` subcommand while the server runs).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Readers for SQLite: WAL lets them run beside the writer; two cores here.
const SQLITE_READERS: u32 = 4;

/// Which database engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a `DATABASE_URL` names.
    pub fn of_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }
}

/// Connection settings that are not in the URL.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Most PostgreSQL connections this process holds.
    pub pg_max_connections: u32,
    /// When a SQLite commit is on disk (`Durability`).
    pub sqlite_durability: Durability,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { pg_max_connections: 16, sqlite_durability: Durability::PowerCut }
    }
}

/// A pool's connections (open, and of those idle).
#[derive(Clone, Copy, Debug)]
pub struct PoolStats {
    pub name: &'static str,
    pub size: u32,
    pub idle: usize,
}

/// When a SQLite commit counts as done.
///
/// `PowerCut` (SQLite's `synchronous=FULL`, the default): the WAL is
/// fsynced at every commit before the commit returns, so everything the server
/// has acknowledged survives a power cut or a kernel panic, not only a process
/// crash. The vote path commits a batch per transaction (store::vote_queue),
/// so the fsync is paid once per batch, not per vote — see the before/after in
/// docs/PERFORMANCE.md.
///
/// `ProcessCrash` (`synchronous=NORMAL`): fsync only at checkpoints; a crash
/// of the process loses nothing, a power cut may lose the last commits. Kept
/// for benchmarks and for hosts whose disk has a battery-backed cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Durability {
    #[default]
    PowerCut,
    ProcessCrash,
}

impl std::str::FromStr for Durability {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(Self::PowerCut),
            "normal" => Ok(Self::ProcessCrash),
            other => Err(format!("expected full or normal, not {other:?}")),
        }
    }
}

/// The database, on either engine. Cheap to clone (pools are shared).
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres { pool: PgPool },
}

/// Runs the same body against whichever engine's pool is current; `$pool` is
/// bound to the reading pool (SQLite) or the one pool (PostgreSQL).
macro_rules! on_reader {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite { read: $pool, .. } => $body,
            $crate::Store::Postgres { pool: $pool } => $body,
        }
    };
}
/// Like `on_reader!`, with SQLite's single writer connection.
macro_rules! on_writer {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite { write: $pool, .. } => $body,
            $crate::Store::Postgres { pool: $pool } => $body,
        }
    };
}
/// How a transaction that may write begins. SQLite: `BEGIN IMMEDIATE`, so it
/// holds the write lock from its first statement. A deferred one that reads
/// first and then writes fails at once with `SQLITE_BUSY` (no busy wait) when
/// another *process* committed in between — in one server process the single
/// writer connection serialises everything, but `gonghui import-roster` and
/// the other subcommands run beside the server (the e2e suite's parallel
/// roster imports hit exactly that). PostgreSQL: a plain `BEGIN`.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// One audit-log row inside the caller's transaction, so a decision and its
/// record commit together (on SQLite `Store::audit` would wait for the one
/// writer connection the transaction holds). Evaluates to the execute result.
macro_rules! audit_in_tx {
    ($tx:expr, $actor:expr, $action:expr, $target:expr, $detail:expr, $now:expr) => {
        sqlx::query("INSERT INTO audit_log (actor_id, action, target, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind($actor.0)
            .bind($action)
            .bind($target)
            .bind($detail)
            .bind($now)
            .execute($tx)
            .await
    };
}
pub(crate) use {audit_in_tx, on_reader, on_writer};

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), creating the
    /// SQLite file and its folder if missing, and applies migrations.
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let store = match Engine::of_url(url)? {
            Engine::Sqlite => Self::connect_sqlite(url, options.sqlite_durability).await?,
            Engine::Postgres => Self::connect_postgres(url, options).await?,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn connect_sqlite(url: &str, durability: Durability) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|_| StoreError::UnsupportedUrl)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::PowerCut => SqliteSynchronous::Full,
                Durability::ProcessCrash => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        if let Some(folder) = options.get_filename().parent() {
            if !folder.as_os_str().is_empty() {
                std::fs::create_dir_all(folder).map_err(StoreError::CreateFolder)?;
            }
        }
        // One writer: SQLite allows one writing transaction at a time, and
        // funnelling writes through one connection queues them in the pool
        // instead of failing with SQLITE_BUSY.
        // Neither pool pings a connection before lending it
        // (`test_before_acquire`): a SQLite connection is a file handle in
        // this process and cannot go stale, and the ping was one more hop to
        // sqlx's worker thread per query.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await?;
        // Readers open the file read-only, so a write sent to the wrong pool
        // fails loudly instead of racing the single writer.
        let read = SqlitePoolOptions::new()
            .max_connections(SQLITE_READERS)
            .test_before_acquire(false)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self::Sqlite { read, write })
    }

    async fn connect_postgres(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let connect = PgConnectOptions::from_str(url).map_err(|_| StoreError::UnsupportedUrl)?;
        let pool = PgPoolOptions::new()
            .max_connections(options.pg_max_connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(connect)
            .await?;
        Ok(Self::Postgres { pool })
    }

    /// Each pool's connections now, for /metrics.
    pub fn pool_stats(&self) -> Vec<PoolStats> {
        match self {
            Self::Sqlite { read, write } => vec![
                PoolStats { name: "sqlite_read", size: read.size(), idle: read.num_idle() },
                PoolStats { name: "sqlite_write", size: write.size(), idle: write.num_idle() },
            ],
            Self::Postgres { pool } => vec![PoolStats { name: "postgres", size: pool.size(), idle: pool.num_idle() }],
        }
    }

    pub fn engine(&self) -> Engine {
        match self {
            Self::Sqlite { .. } => Engine::Sqlite,
            Self::Postgres { .. } => Engine::Postgres,
        }
    }

    /// Applies any migration not yet applied (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Self::Postgres { pool } => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Answers when the database answers a trivial query (for `/healthz`).
    #[tracing::instrument(skip(self))]
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_reader!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Migrations applied and expected: (the database's latest successful
    /// one, the latest this binary carries). Equal when the schema is ready.
    pub async fn migration_state(&self) -> Result<(i64, i64), StoreError> {
        let (applied,): (Option<i64>,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(pool).await
        })?;
        let expected = match self {
            Self::Sqlite { .. } => sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).max(),
            Self::Postgres { .. } => sqlx::migrate!("./migrations/postgres").iter().map(|m| m.version).max(),
        };
        Ok((applied.unwrap_or(0), expected.unwrap_or(0)))
    }

    /// Closes every connection, waiting for queries under way (shutdown).
    pub async fn close(&self) {
        match self {
            Self::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Self::Postgres { pool } => pool.close().await,
        }
    }
}
