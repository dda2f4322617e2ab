//! Backups of the SQLite database while the server runs, and restoring one
//! (`gonghui backup`, `gonghui restore`). PostgreSQL is backed up with its
//! own tools (`pg_dump`/`pg_restore`, docs/DEPLOY.md).
//!
//! Why this is enough: `VACUUM INTO` copies the database as one read
//! transaction sees it. In WAL mode a reader neither waits for nor blocks the
//! writer, so the server goes on taking votes, and the copy holds exactly
//! the transactions committed before the backup's snapshot — every vote
//! acknowledged before the backup began, since a vote is acknowledged only
//! after the transaction holding it commits (the vote queue's group commit).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Connection, SqliteConnection};

use crate::{Store, StoreError};

/// What a checked backup holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupFacts {
    /// The latest migration applied to it.
    pub migration: i64,
    pub members: i64,
    pub votes: i64,
}

fn failed(what: impl Into<String>) -> StoreError {
    StoreError::Backup(what.into())
}

/// The file path of a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Result<PathBuf, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(|_| StoreError::UnsupportedUrl)?;
    Ok(options.get_filename().to_path_buf())
}

/// The latest migration this binary knows (a backup from a newer binary
/// cannot be restored by it).
fn latest_known_migration() -> i64 {
    sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).max().unwrap_or(0)
}

impl Store {
    /// Writes a consistent copy of the running database to `path`, which
    /// must not exist yet (SQLite; see the module's note).
    pub async fn backup_to(&self, path: &Path) -> Result<(), StoreError> {
        let Store::Sqlite { read, .. } = self else {
            return Err(failed("PostgreSQL 请用 pg_dump 备份（见 docs/DEPLOY.md）"));
        };
        if path.exists() {
            return Err(failed(format!("{} 已存在，不会覆盖", path.display())));
        }
        let target = path.to_str().ok_or_else(|| failed("备份文件的路径须为 UTF-8"))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(read).await?;
        Ok(())
    }
}

/// Opens `backup` read-only and checks it: SQLite's own integrity check,
/// a Gonghui schema no newer than this binary's, and what it holds.
pub async fn check_backup(backup: &Path) -> Result<BackupFacts, StoreError> {
    if !backup.is_file() {
        return Err(failed(format!("找不到备份文件 {}", backup.display())));
    }
    let options = SqliteConnectOptions::new().filename(backup).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| failed(format!("{} 不是 SQLite 数据库：{e}", backup.display())))?;
    let integrity: Result<(String,), _> = sqlx::query_as("PRAGMA integrity_check").fetch_one(&mut conn).await;
    match integrity {
        Ok((verdict,)) if verdict == "ok" => {}
        Ok((verdict,)) => return Err(failed(format!("备份文件已损坏：{verdict}"))),
        Err(e) => return Err(failed(format!("备份文件无法读取：{e}"))),
    }
    let migration: Result<(Option<i64>,), _> =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut conn).await;
    let migration = match migration {
        Ok((Some(version),)) => version,
        _ => return Err(failed("这不是工会会员服务的数据库（没有迁移记录）")),
    };
    if migration > latest_known_migration() {
        return Err(failed(format!("备份来自更新的版本（迁移 {migration}），请用同一版本或更新的程序恢复")));
    }
    let (members,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members").fetch_one(&mut conn).await?;
    let (votes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM votes").fetch_one(&mut conn).await?;
    conn.close().await?;
    Ok(BackupFacts { migration, members, votes })
}

/// Checks `backup` and puts it in place of the SQLite database of
/// `target_url`, which must be stopped. An existing database is replaced
/// only with `overwrite`. The copy is written beside the target, flushed to
/// disk and renamed over it, so a crash leaves the old database or the new
/// one, never half of one; the old database's WAL and shared-memory files
/// go with it (they belong to the old file).
pub async fn restore_sqlite(backup: &Path, target_url: &str, overwrite: bool) -> Result<BackupFacts, StoreError> {
    let facts = check_backup(backup).await?;
    let target = sqlite_path(target_url)?;
    if target.exists() && !overwrite {
        return Err(failed(format!("{} 已有数据库；确认要替换请加 --overwrite（先停止服务）", target.display())));
    }
    if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(StoreError::CreateFolder)?;
    }
    let staging = target.with_extension("restoring");
    let io = |e: std::io::Error| failed(format!("写入 {} 失败：{e}", staging.display()));
    std::fs::copy(backup, &staging).map_err(io)?;
    std::fs::File::open(&staging).and_then(|f| f.sync_all()).map_err(io)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed(format!("无法删除旧的 {}：{e}", PathBuf::from(side).display()))),
        }
    }
    std::fs::rename(&staging, &target).map_err(io)?;
    if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
        // The rename itself is durable once the folder is flushed.
        std::fs::File::open(folder).and_then(|f| f.sync_all()).map_err(io)?;
    }
    // The copy is a plain rollback-journal file (VACUUM INTO); the server
    // turns WAL back on when it opens it. Check it opens here and now.
    let options = SqliteConnectOptions::new().filename(&target).journal_mode(SqliteJournalMode::Wal);
    SqliteConnection::connect_with(&options).await?.close().await?;
    Ok(facts)
}
