//! Fresh databases for tests: a SQLite file in a temporary folder, or a new
//! PostgreSQL database on the server named by `GONGHUI_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), dropped when the test ends.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{Connection, PgConnection};

use crate::{Store, StoreOptions};

pub const DEFAULT_TEST_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Test databases older than this are leftovers of killed runs; the next run
/// drops them so the shared server does not fill up.
const STALE_AFTER_SECS: u64 = 3600;

/// A database that exists for one test.
pub struct TestDb {
    store: Store,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(#[allow(dead_code)] tempfile::TempDir),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh, migrated SQLite database in its own temporary folder.
    pub async fn sqlite() -> Self {
        let folder = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}/gonghui.db", folder.path().display());
        let store = Store::connect(&url, &StoreOptions::default()).await.expect("open SQLite");
        Self { store, url, cleanup: Cleanup::Folder(folder) }
    }

    /// A fresh, migrated PostgreSQL database, or `None` (with a notice on
    /// stderr) when no server answers. With `CI=true` or
    /// `GONGHUI_REQUIRE_PG=1` an unreachable server fails the test instead:
    /// CI must never pass by skipping.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("GONGHUI_TEST_PG").unwrap_or_else(|_| DEFAULT_TEST_PG.to_owned());
        let mut admin = match PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(error) => {
                let required = std::env::var("CI").is_ok_and(|v| v == "true")
                    || std::env::var("GONGHUI_REQUIRE_PG").is_ok_and(|v| v == "1");
                assert!(!required, "PostgreSQL at {admin_url} is required here but unreachable: {error}");
                eprintln!("SKIPPED: PostgreSQL at {admin_url} is unreachable ({error}); set GONGHUI_TEST_PG");
                return None;
            }
        };
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_secs();
        drop_stale_databases(&mut admin, now).await;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!("gonghui_test_{now}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create test database");
        let url = replace_database(&admin_url, &name);
        let store = Store::connect(&url, &StoreOptions { pg_max_connections: 8, ..StoreOptions::default() })
            .await
            .expect("open PostgreSQL");
        Some(Self { store, url, cleanup: Cleanup::PgDatabase { admin_url, name } })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `sql` as is on the database, past every method of the store: for
    /// tests that try what no handler does (the database must still refuse).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match &self.store {
            Store::Sqlite { write, .. } => sqlx::query(sql).execute(write).await.map(|r| r.rows_affected()),
            Store::Postgres { pool } => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()),
        }
    }

    /// The `DATABASE_URL` of this database, for starting a server on it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Drops a PostgreSQL test database now, under the server's feet (to test
    /// how the server copes with a vanished database).
    pub async fn drop_database_now(&self) {
        if let Cleanup::PgDatabase { admin_url, name } = &self.cleanup {
            drop_database(admin_url, name).await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::PgDatabase { admin_url, name } = &self.cleanup {
            // Drop runs inside the test's runtime, which cannot block on
            // itself: drop the database from a thread with its own runtime.
            let (admin_url, name) = (admin_url.clone(), name.clone());
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(drop_database(&admin_url, &name));
                }
            })
            .join();
        }
    }
}

async fn drop_database(admin_url: &str, name: &str) {
    if let Ok(mut admin) = PgConnection::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
    }
}

async fn drop_stale_databases(admin: &mut PgConnection, now: u64) {
    let names: Vec<(String,)> = sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'gonghui_test_%'")
        .fetch_all(&mut *admin)
        .await
        .unwrap_or_default();
    for (name,) in names {
        let created = name.split('_').nth(2).and_then(|s| s.parse::<u64>().ok()).unwrap_or(now);
        if now.saturating_sub(created) > STALE_AFTER_SECS {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut *admin).await;
        }
    }
}

/// `postgres://u@h:5432/postgres?x=y` with the database `name` instead.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let without_db = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{without_db}/{name}?{query}"),
        None => format!("{without_db}/{name}"),
    }
}

/// A unit tree from `(code, parent code, name, level)` rows, as a units file
/// would give them; panics if the rows do not make a tree.
pub fn unit_tree(rows: &[(&str, &str, &str, &str)]) -> domain::UnitTree {
    let rows: Vec<domain::UnitRow> = rows
        .iter()
        .enumerate()
        .map(|(i, (code, parent, name, level))| domain::UnitRow {
            line: i + 2,
            code: (*code).into(),
            parent_code: (*parent).into(),
            name: (*name).into(),
            level: (*level).into(),
        })
        .collect();
    domain::UnitTree::from_rows(&rows).expect("test tree is valid")
}

/// Runs each named `async fn scenario(db: TestDb)` once on a fresh SQLite
/// database and once on a fresh PostgreSQL one (skipped with a notice when
/// no server answers, outside CI): `store::on_both_engines!(a, b);`.
#[macro_export]
macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $scenario() { super::$scenario($crate::testing::TestDb::sqlite().await).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $scenario() {
                let Some(db) = $crate::testing::TestDb::postgres().await else { return };
                super::$scenario(db).await
            })*
        }
    };
}
