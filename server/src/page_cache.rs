//! A two-second cache of the share pages as signed-out visitors get them.
//!
//! A candidate's link shared in a chat group is opened by thousands of
//! people within minutes, most of them not signed in; each view rendered
//! the whole page server-side (about half a millisecond of CPU, measured by
//! `gonghui-bench reads`). Their pages are identical for everyone for a few
//! seconds (the leaderboard itself is counted at most every 3 s), so the
//! finished response — already compressed, headers included — is reused
//! for `FRESH_FOR`. Anything personal is never cached: requests carrying a
//! session cookie pass straight through, and so does any response that is
//! not a plain 200 or that sets a cookie.
//!
//! An official's change to a campaign (candidates, photos, voids) made in
//! this process shows at once: the key includes
//! `app::voting::caches::campaign_edits()`.
//!
//! Article pages (`/a/…`, issue 13) are cached the same way, and so are
//! the signed-out 首页 (the province's channel) and channel pages; an
//! article page that counted a view says so (`x-gonghui-view`), and every
//! answer from the cache counts one too (its visitor and share tag), so a
//! cached page is exactly as counted as a rendered one.
//!
//! moka does the bounded, expiring storage; what is here is only the rule
//! of what may be shared.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use moka::sync::Cache;

const FRESH_FOR: Duration = Duration::from_secs(2);
/// Pages are a few KB; anything larger is not worth holding.
const MAX_BODY: usize = 256 * 1024;

#[derive(Clone)]
pub struct PageCache {
    pages: Cache<(String, &'static str, u64), (HeaderMap, Bytes)>,
    /// Counts the views of article pages answered from the cache.
    views: Option<Views>,
}

/// What counting a view needs.
#[derive(Clone)]
pub struct Views {
    pub store: store::Store,
    pub publishing: app::newsroom::publishing::Publishing,
    pub proxies: crate::rate_limit::Proxies,
}

impl PageCache {
    pub fn new(views: Option<Views>) -> Self {
        Self { pages: Cache::builder().max_capacity(10_000).time_to_live(FRESH_FOR).build(), views }
    }
}

/// The header an article page carries when rendering it counted a view.
pub const COUNTED_VIEW: &str = "x-gonghui-view";

/// Only public pages — share pages (`/v/…`), articles (`/a/…`), channels
/// (`/c/…`) and 首页 — read by someone not signed in.
fn shareable(request: &Request, session_cookie: &str) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && (path.starts_with("/v/") || path.starts_with("/a/") || path.starts_with("/c/") || path == "/")
        && !path.ends_with(".svg")
        && !path.ends_with(".xml")
        && !path.ends_with(".json")
        && !request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .any(|c| c.to_str().map_or(true, |c| c.contains(session_cookie)))
}

/// The encoding the compression layer will pick for this request.
fn encoding(request: &Request) -> &'static str {
    let accepts = request.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accepts.contains("br") {
        "br"
    } else if accepts.contains("gzip") {
        "gzip"
    } else {
        "identity"
    }
}

pub async fn serve(
    axum::extract::State(cache): axum::extract::State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    if !shareable(&request, crate::SESSION_COOKIE) {
        return next.run(request).await;
    }
    let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/").to_owned();
    // A change an official makes in this process shows at once (other
    // processes: within `FRESH_FOR`).
    let edits = app::voting::caches::campaign_edits().wrapping_add(app::newsroom::publishing::edits() << 32);
    let key = (path, encoding(&request), edits);
    let cached = cache.pages.get(&key);
    crate::metrics::cache_lookup("pages", cached.is_some());
    if let Some((headers, body)) = cached {
        let view = match (&cache.views, headers.get(COUNTED_VIEW)) {
            (Some(views), Some(id)) => viewed(views, &request, id),
            _ => None,
        };
        if let (Some(views), Some((id, address, browser, tag))) = (&cache.views, view) {
            views.publishing.count_view(&views.store, id, &address, &browser, tag).await;
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = headers;
        return response;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if bytes.len() <= MAX_BODY {
                cache.pages.insert(key, (parts.headers.clone(), bytes.clone()));
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        // The page failed while streaming (already logged where it failed).
        Err(_) => Response::from_parts(parts, Body::empty()),
    }
}

/// The view a cached article page stands for: the article, and the same
/// visitor facts and share tag `app::newsroom::api::load_article` uses.
fn viewed(
    views: &Views,
    request: &Request,
    id: &axum::http::HeaderValue,
) -> Option<(i64, String, String, Option<String>)> {
    let id = id.to_str().ok()?.parse::<i64>().ok()?;
    let address = crate::rate_limit::client_ip(request, &views.proxies).map(|ip| ip.to_string()).unwrap_or_default();
    let browser =
        request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let tag = request
        .uri()
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "s").map(|(_, v)| v.into_owned()));
    Some((id, address, browser, app::newsroom::publishing::share_tag(tag)))
}
