//! What an operator runs the portal with: /metrics (Prometheus text) for
//! the allowed addresses only, and client addresses believed from our own
//! proxy only.

use crate::support::{Person, RunningServer};
use store::testing::TestDb;

on_both_engines_with_db!(
    metrics_count_requests_by_route_and_show_the_pools_and_the_vote_queue,
    metrics_are_refused_to_addresses_not_listed,
    a_forwarded_address_is_believed_only_from_a_trusted_proxy,
);

async fn metrics_count_requests_by_route_and_show_the_pools_and_the_vote_queue(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let visitor = Person::new(&server);
    for _ in 0..3 {
        assert_eq!(visitor.get("/healthz").await.0, 200);
    }
    assert_eq!(visitor.get("/no-such-page").await.0, 404);
    let response = reqwest::get(server.url("/metrics")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    let line = |prefix: &str| text.lines().find(|l| l.starts_with(prefix)).map(str::to_owned);
    let health = line(r#"gonghui_http_requests_total{route="/healthz",method="GET",status="200"}"#)
        .unwrap_or_else(|| panic!("no /healthz count in\n{text}"));
    assert!(health.ends_with(" 3"), "{health}");
    assert!(line(r#"gonghui_http_requests_total{route="other",method="GET",status="404"}"#).is_some(), "{text}");
    assert!(text.contains(r#"gonghui_http_request_duration_seconds_bucket{route="/healthz",le="0.005"}"#), "{text}");
    assert!(text.contains("gonghui_db_connections{pool="), "{text}");
    assert!(line("gonghui_vote_queue_depth 0").is_some(), "{text}");
}

async fn metrics_are_refused_to_addresses_not_listed(db: TestDb) {
    let server = RunningServer::start(db.url(), &[("GONGHUI_METRICS_FROM", "10.0.0.0/8")]);
    let response = reqwest::get(server.url("/metrics")).await.unwrap();
    assert_eq!(response.status(), 403);
    assert!(!response.text().await.unwrap().contains("gonghui_"));
}

async fn a_forwarded_address_is_believed_only_from_a_trusted_proxy(db: TestDb) {
    let http = reqwest::Client::new();
    // We connect from 127.0.0.1, the default trusted proxy: the header is
    // believed, and the outside address it names may not read metrics.
    let behind_proxy = RunningServer::start(db.url(), &[("GONGHUI_TRUST_PROXY", "true")]);
    let forwarded = http.get(behind_proxy.url("/metrics")).header("X-Forwarded-For", "203.0.113.9").send().await;
    assert_eq!(forwarded.unwrap().status(), 403);
    // A proxy list without us: the header is anybody's claim and ignored.
    let elsewhere =
        RunningServer::start(db.url(), &[("GONGHUI_TRUST_PROXY", "true"), ("GONGHUI_TRUSTED_PROXIES", "10.9.9.9")]);
    let spoofed = http.get(elsewhere.url("/metrics")).header("X-Forwarded-For", "10.0.0.1, 127.0.0.1").send().await;
    let spoofed = spoofed.unwrap();
    assert_eq!(spoofed.status(), 200, "the peer 127.0.0.1 is allowed; the header did not change who we are");
    // And a bad list is refused at start, naming the variable.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gonghui"))
        .arg("serve")
        .env("DATABASE_URL", db.url())
        .env("GONGHUI_METRICS_FROM", "127.0.0.1,localhost")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("GONGHUI_METRICS_FROM"));
}
