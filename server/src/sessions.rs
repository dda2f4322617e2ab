//! Sessions in the database, on either engine (tower-sessions' sqlx stores).
//! On SQLite, loads go to the reader pool and writes to the single writer,
//! like every other query.
//!
//! Loads are also cached in this process for `CACHE_FOR` (moka): a member
//! voting or reading sends a burst of requests, and each used to load the
//! same record from the database again. Saves and deletes go to the
//! database first and then to the cache, so this process never serves a
//! stale record. A delete (sign-out) is also announced to the other
//! processes on PostgreSQL (store::changes), which drop their copy at once;
//! `CACHE_FOR` only bounds how long a missed announcement could matter.

use std::time::Duration;

use async_trait::async_trait;
use moka::sync::Cache;
use store::Store;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// How long a loaded session record is reused without asking the database.
const CACHE_FOR: Duration = Duration::from_secs(10);
/// Records kept at most (a record is a few hundred bytes).
const CACHE_CAPACITY: u64 = 200_000;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    engine: Engine,
    cache: Cache<Id, Record>,
    store: Store,
}

#[derive(Clone, Debug)]
enum Engine {
    Sqlite { read: SqliteStore, write: SqliteStore },
    Postgres(PostgresStore),
}

impl DbSessionStore {
    /// Wraps the store's pools and creates the session table if missing.
    pub async fn new(store: &Store) -> Result<Self, sqlx::Error> {
        let engine = match store {
            Store::Sqlite { read, write } => {
                let write = SqliteStore::new(write.clone());
                write.migrate().await?;
                Engine::Sqlite { read: SqliteStore::new(read.clone()), write }
            }
            Store::Postgres { pool } => {
                let store = PostgresStore::new(pool.clone());
                store.migrate().await?;
                Engine::Postgres(store)
            }
        };
        let cache = Cache::builder().max_capacity(CACHE_CAPACITY).time_to_live(CACHE_FOR).build();
        Ok(Self { engine, cache, store: store.clone() })
    }

    /// Drops this process's copy of session `id` (another process deleted it).
    pub fn forget(&self, id: &str) {
        if let Ok(id) = id.parse::<Id>() {
            self.cache.invalidate(&id);
        }
    }

    /// Drops every copy (announcements may have been missed).
    pub fn forget_all(&self) {
        self.cache.invalidate_all();
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match &self.engine {
            Engine::Sqlite { write, .. } => write.create(record).await?,
            Engine::Postgres(store) => store.create(record).await?,
        }
        self.cache.insert(record.id, record.clone());
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // Forget first: should the write fail, no stale copy stays behind.
        self.cache.invalidate(&record.id);
        match &self.engine {
            Engine::Sqlite { write, .. } => write.save(record).await?,
            Engine::Postgres(store) => store.save(record).await?,
        }
        self.cache.insert(record.id, record.clone());
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.cache.get(id) {
            if record.expiry_date > OffsetDateTime::now_utc() {
                crate::metrics::cache_lookup("sessions", true);
                return Ok(Some(record));
            }
            self.cache.invalidate(id);
        }
        crate::metrics::cache_lookup("sessions", false);
        let record = match &self.engine {
            Engine::Sqlite { read, .. } => read.load(id).await?,
            Engine::Postgres(store) => store.load(id).await?,
        };
        if let Some(record) = &record {
            self.cache.insert(*id, record.clone());
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.cache.invalidate(id);
        match &self.engine {
            Engine::Sqlite { write, .. } => write.delete(id).await?,
            Engine::Postgres(store) => store.delete(id).await?,
        }
        self.store.announce(&store::Change::Session(id.to_string())).await;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match &self.engine {
            Engine::Sqlite { write, .. } => write.delete_expired().await,
            Engine::Postgres(store) => store.delete_expired().await,
        }
    }
}
