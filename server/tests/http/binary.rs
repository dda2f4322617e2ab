//! The `gonghui` binary on its own: it creates its SQLite database, loads the
//! demo union, serves, and stops cleanly on SIGTERM.

use std::time::Duration;

use crate::support::RunningServer;

#[tokio::test]
async fn the_binary_starts_on_a_new_database_with_demo_data_and_stops_on_sigterm() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("data/gonghui.db");
    let mut server = RunningServer::start(&format!("sqlite://{}", database.display()), &[]);

    let client = reqwest::Client::new();
    assert_eq!(client.get(server.url("/healthz")).send().await.unwrap().status().as_u16(), 200);
    let home = client.get(server.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("济南市总工会"), "demo data loaded on first start");
    assert!(database.exists(), "the database folder and file were created");

    let status = server.terminate(Duration::from_secs(10));
    assert!(status.success(), "a clean exit after SIGTERM, got {status}");
}

#[tokio::test]
async fn without_demo_data_a_new_portal_starts_empty_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/g.db", folder.path().display());
    let server = RunningServer::start(&url, &[("GONGHUI_DEMO_DATA", "false")]);

    let home = reqwest::get(server.url("/")).await.unwrap().text().await.unwrap();

    assert!(home.contains("还没有导入单位"), "an empty directory says so");
    assert!(!home.contains("济南市总工会"));
}

#[tokio::test]
async fn readiness_waits_for_every_migration_while_liveness_only_asks_the_database() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/g.db", folder.path().display());
    let server = RunningServer::start(&url, &[]);
    let client = reqwest::Client::new();
    assert_eq!(client.get(server.url("/readyz")).send().await.unwrap().status().as_u16(), 200);

    // As if another version's migration had not run yet.
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await.unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&mut conn)
        .await
        .unwrap();
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    assert!(ready.text().await.unwrap().contains("数据库迁移未完成"));
    assert_eq!(client.get(server.url("/healthz")).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn a_big_screen_listening_for_events_does_not_keep_a_stopping_server_alive() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/g.db", folder.path().display());
    let mut server = RunningServer::start(&url, &[]);
    let events = reqwest::get(server.url("/screen/events")).await.unwrap();
    assert_eq!(events.status(), 200, "the stream is open");

    // Graceful shutdown waits for requests under way; the stream must end.
    let status = server.terminate(Duration::from_secs(10));
    assert!(status.success(), "a clean exit after SIGTERM with a screen listening, got {status}");
    drop(events);
}
