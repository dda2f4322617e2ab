//! `/metrics` in the Prometheus text format, and the access log.
//!
//! The `metrics` facade records from any crate (the store's vote batches,
//! the accounts' SMS, the caches); one Prometheus recorder per process
//! renders it. `/metrics` answers only clients whose address is listed in
//! `GONGHUI_METRICS_FROM` (default: this machine), as determined like every
//! client address (the peer, or a trusted proxy's `X-Forwarded-For`) — so
//! behind nginx an outside client is refused even though nginx connects
//! from 127.0.0.1.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Request latency buckets, in seconds: a page renders in ~1–20 ms here, a
/// vote is acknowledged in ~5–40 ms under load, and the request timeout is
/// 15 s (PERFORMANCE.md).
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0];
/// Votes per batch: one when quiet, up to `MAX_BATCH` (store::vote_queue) under load.
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];

/// The process's recorder, installed on first use. Histograms are drained
/// into their buckets every 5 s (and at each scrape).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full("gonghui_vote_batch_size".into()), BATCH_BUCKETS))
            .expect("non-empty buckets")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed");
        }
        let upkeep = handle.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            upkeep.run_upkeep();
        });
        handle
    })
}

/// Counts and times every request by its route pattern (`/v/{campaign}`,
/// `/api/vote`; "other" for static files and 404s), and writes the access
/// log line with the client's address (info level, target `gonghui::access`).
/// Signed-out pages answered by the page cache never get here: the cache
/// counts its own hits (`gonghui_cache_requests_total{cache="pages"}`).
pub async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let route = route.unwrap_or_else(|| "other".to_owned());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let client = request.extensions().get::<app::context::ClientIp>().and_then(|c| c.0);
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    metrics::counter!("gonghui_http_requests_total", "route" => route.clone(), "method" => method.to_string(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("gonghui_http_request_duration_seconds", "route" => route).record(seconds);
    let client = client.map(|ip| ip.to_string()).unwrap_or_default();
    tracing::info!(target: "gonghui::access", %client, %method, %path, status, ms = (seconds * 1000.0).round(), "request");
    response
}

/// Counts a lookup in one of the process's caches.
pub fn cache_lookup(cache: &'static str, hit: bool) {
    metrics::counter!("gonghui_cache_requests_total", "cache" => cache, "result" => if hit { "hit" } else { "miss" })
        .increment(1);
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>, request: Request) -> Response {
    let client = request.extensions().get::<app::context::ClientIp>().and_then(|c| c.0);
    if !client.is_some_and(|ip| crate::addresses::listed(&state.config.metrics_from, ip)) {
        return (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "禁止访问\n")
            .into_response();
    }
    // Gauges are sampled now rather than kept current on every change.
    for pool in state.store.pool_stats() {
        metrics::gauge!("gonghui_db_connections", "pool" => pool.name, "state" => "in_use")
            .set((pool.size as f64) - (pool.idle as f64));
        metrics::gauge!("gonghui_db_connections", "pool" => pool.name, "state" => "idle").set(pool.idle as f64);
    }
    metrics::gauge!("gonghui_vote_queue_depth").set(state.vote_queue.depth() as f64);
    let handle = handle();
    handle.run_upkeep();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        handle.render(),
    )
        .into_response()
}
