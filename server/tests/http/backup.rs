//! `gonghui backup` and `gonghui restore` on SQLite (issue 16): a backup
//! taken while members vote holds every vote acknowledged before it began
//! and restores into a fresh server; a damaged or foreign file, an existing
//! database and an existing backup file are refused with nothing replaced.

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{Person, RunningServer, PASSWORD, TEST_DATA_KEY};

const CAMPAIGN: &str = "qilu-gongjiang-2026";

/// Runs `gonghui <args>` against the database at `url`.
fn gonghui(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gonghui"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("GONGHUI_DATA_KEY", TEST_DATA_KEY)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run gonghui")
}

async fn idempotency_keys(url: &str) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await.unwrap();
    let rows: Vec<(String,)> = sqlx::query_as("SELECT idempotency_key FROM votes").fetch_all(&mut conn).await.unwrap();
    rows.into_iter().map(|(k,)| k).collect()
}

#[tokio::test]
async fn a_backup_taken_during_a_vote_burst_restores_every_vote_acknowledged_before_it() {
    let folder = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}/live.db", folder.path().display());
    let limits = [
        ("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT", "1000"),
        ("GONGHUI_VOTES_PER_MINUTE_PER_ADDRESS", "100000"),
        ("GONGHUI_ACCOUNT_POSTS_PER_MINUTE", "100000"),
    ];
    let server = RunningServer::start(&live, &limits);

    // 40 voters: one registered through the pages, the rest copies of its
    // password hash (registration is tested elsewhere), all signed in.
    let first = Person::new(&server);
    first.register("13900000000", "投票会员", "37010201").await;
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&live).await.unwrap();
    let (hash, unit): (String, i64) =
        sqlx::query_as("SELECT password_hash, unit_id FROM members WHERE phone = '13900000000'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    for i in 1..40 {
        sqlx::query(&format!(
            "INSERT INTO members (phone, name, password_hash, unit_id, created_at) VALUES ('139{i:08}', '投票会员', $1, {unit}, 1)"
        ))
        .bind(&hash)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let mut voters = vec![first];
    for i in 1..40 {
        let voter = Person::new(&server);
        let (status, _) =
            voter.post("/login", "/api/auth/login", &[("phone", &format!("139{i:08}")), ("password", PASSWORD)]).await;
        assert_eq!(status, 303);
        voters.push(voter);
    }

    // The burst: each voter casts 10 votes (2 for each of 5 candidates),
    // 50 ms apart; every acknowledgement is timed.
    let acknowledged: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let mut tasks = Vec::new();
    for (v, voter) in voters.into_iter().enumerate() {
        let acknowledged = acknowledged.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                let key = format!("backup-{v:02}-{n:02}-key");
                let number = (n % 5 + 1).to_string();
                let response = voter
                    .http
                    .post(format!("{}/api/vote", voter.base))
                    .header("Origin", voter.base.clone())
                    .form(&[("campaign", CAMPAIGN), ("number", number.as_str()), ("key", key.as_str())])
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 200, "{}", response.text().await.unwrap_or_default());
                acknowledged.lock().unwrap().push((key, Instant::now()));
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }
    // Once a quarter of the votes are in, back up while the rest arrive.
    while acknowledged.lock().unwrap().len() < 100 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let backup = folder.path().join("backup.db");
    let backup_path = backup.to_str().unwrap().to_owned();
    let began = Instant::now();
    let live_url = live.clone();
    let out = tokio::task::spawn_blocking(move || gonghui(&live_url, &["backup", &backup_path])).await.unwrap();
    assert!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已备份到"));
    for task in tasks {
        task.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert_eq!(acknowledged.len(), 400);
    let before: Vec<&String> = acknowledged.iter().filter(|(_, at)| *at < began).map(|(k, _)| k).collect();
    let after = acknowledged.len() - before.len();
    assert!(
        before.len() >= 100 && after > 0,
        "the backup ran during the burst: {} before, {after} after",
        before.len()
    );

    // A second backup to the same file is refused: it would overwrite one.
    let out = gonghui(&live, &["backup", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));

    // Restored into a fresh database, every vote acknowledged before the
    // backup began is there, and nothing that the live database lacks.
    let restored = format!("sqlite://{}/restored/gonghui.db", folder.path().display());
    let out = gonghui(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "restore: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已从"));
    let kept = idempotency_keys(&restored).await;
    for key in &before {
        assert!(kept.contains(key), "vote {key}, acknowledged before the backup began, was restored");
    }
    let everything = idempotency_keys(&live).await;
    assert!(kept.iter().all(|k| everything.contains(k)));
    let fresh = RunningServer::start(&restored, &[]);
    let page = reqwest::get(fresh.url(&format!("/v/{CAMPAIGN}"))).await.unwrap();
    assert_eq!(page.status().as_u16(), 200, "a fresh server serves the restored campaign");

    // Refused, with nothing replaced: a file that is no database, and an
    // existing database without --overwrite.
    let junk = folder.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just bytes").unwrap();
    let out = gonghui(&restored, &["restore", junk.to_str().unwrap(), "--overwrite"]);
    assert!(!out.status.success());
    let out = gonghui(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--overwrite"));
    assert_eq!(idempotency_keys(&restored).await.len(), kept.len(), "the restored database is untouched");
}

/// Whether `tool` runs here (PostgreSQL's client tools come from Debian's
/// `postgresql-client`, installed beside the server).
fn available(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn a_postgresql_database_dumped_with_pg_dump_restores_with_pg_restore() {
    if !available("pg_dump") || !available("pg_restore") {
        eprintln!("skipped: pg_dump/pg_restore are not installed (Debian package postgresql-client)");
        return;
    }
    let Some(source) = store::testing::TestDb::postgres().await else { return };
    let Some(target) = store::testing::TestDb::postgres().await else { return };
    let limits = [("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT", "1000")];
    let server = RunningServer::start(source.url(), &limits);
    let voter = Person::new(&server);
    voter.register("13900000000", "投票会员", "37010201").await;
    for n in 1..=4 {
        let (status, _) = voter
            .post(
                &format!("/v/{CAMPAIGN}/{n}"),
                "/api/vote",
                &[("campaign", CAMPAIGN), ("number", &n.to_string()), ("key", &format!("pg-dump-vote-{n:04}"))],
            )
            .await;
        assert_eq!(status, 303);
    }
    drop(server);

    // docs/DEPLOY.md's procedure: a custom-format dump, restored over the
    // (migrated, empty) target with --clean.
    let dump = tempfile::tempdir().unwrap();
    let file = dump.path().join("gonghui.dump");
    let out = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file", file.to_str().unwrap(), source.url()])
        .output()
        .unwrap();
    assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new("pg_restore")
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            target.url(),
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "pg_restore: {}", String::from_utf8_lossy(&out.stderr));

    let mut keys = idempotency_keys(target.url()).await;
    keys.sort();
    assert_eq!(keys, (1..=4).map(|n| format!("pg-dump-vote-{n:04}")).collect::<Vec<_>>());
    let restored = RunningServer::start(target.url(), &[]);
    let (status, _) = Person::new(&restored).get(&format!("/v/{CAMPAIGN}")).await;
    assert_eq!(status, 200, "a server on the restored database serves");
    let signed_in = Person::new(&restored);
    let (status, _) =
        signed_in.post("/login", "/api/auth/login", &[("phone", "13900000000"), ("password", PASSWORD)]).await;
    assert_eq!(status, 303, "the member signs in on the restored database");
}
