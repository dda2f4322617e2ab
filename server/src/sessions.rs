//! Sessions in the database, on either engine (tower-sessions' sqlx stores).
//! On SQLite, loads (every request) go to the reader pool and writes to the
//! single writer, like every other query.

use async_trait::async_trait;
use store::Store;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum DbSessionStore {
    Sqlite { read: SqliteStore, write: SqliteStore },
    Postgres(PostgresStore),
}

impl DbSessionStore {
    /// Wraps the store's pools and creates the session table if missing.
    pub async fn new(store: &Store) -> Result<Self, sqlx::Error> {
        Ok(match store {
            Store::Sqlite { read, write } => {
                let write = SqliteStore::new(write.clone());
                write.migrate().await?;
                Self::Sqlite { read: SqliteStore::new(read.clone()), write }
            }
            Store::Postgres { pool } => {
                let store = PostgresStore::new(pool.clone());
                store.migrate().await?;
                Self::Postgres(store)
            }
        })
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite { write, .. } => write.create(record).await,
            Self::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite { write, .. } => write.save(record).await,
            Self::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite { read, .. } => read.load(id).await,
            Self::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite { write, .. } => write.delete(id).await,
            Self::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite { write, .. } => write.delete_expired().await,
            Self::Postgres(store) => store.delete_expired().await,
        }
    }
}
