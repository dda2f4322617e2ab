//! Per-IP limits on the account routes (register, sign in, SMS codes, reset,
//! phone change, certification; their HTML form posts and their /api twins),
//! against scripted registration, SMS bombing and guessing ID numbers from
//! one address.
//!
//! The numbers allow a union event where a whole workshop registers on the
//! factory Wi-Fi behind one address: a burst of 30 posts, then one every 2 s
//! (30 a minute). Per-phone limits (60 s between codes, 10 codes a day, the
//! password lockout) are in the database and hold across processes; these
//! per-IP ones are per process, which is what an IP limit needs to blunt a
//! flood.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Paths whose POSTs are limited.
const LIMITED: &[&str] = &["/api/auth/", "/api/me/", "/api/app/"];

#[derive(Clone)]
pub struct AccountLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Whose X-Forwarded-For is believed (see `client_ip`).
    proxies: Proxies,
}

/// The proxies whose `X-Forwarded-For` is believed; `None`: nobody's (no
/// proxy in front, `GONGHUI_TRUST_PROXY` off).
pub type Proxies = Option<Arc<[String]>>;

impl AccountLimiter {
    pub fn new(per_minute: u32, proxies: Proxies) -> Self {
        let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least 1");
        let limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(per_minute)));
        Self { limiter, proxies }
    }

    /// Forgets addresses idle long enough to be full again (memory bound).
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

pub async fn limit_account_posts(State(limits): State<AccountLimiter>, mut request: Request, next: Next) -> Response {
    // Every handler and server function may ask who the client is.
    let client = client_ip(&request, &limits.proxies);
    request.extensions_mut().insert(app::context::ClientIp(client));
    let path = request.uri().path();
    let limited = request.method() == Method::POST
        && LIMITED.iter().any(|p| path == *p || (p.ends_with('/') && path.starts_with(p)));
    if !limited {
        return next.run(request).await;
    }
    let Some(ip) = client_ip(&request, &limits.proxies) else {
        return next.run(request).await;
    };
    match limits.limiter.check_key(&ip) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
            tracing::info!(%ip, path, "account rate limit");
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("操作太频繁，请 {wait} 秒后再试。"),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

pub(crate) fn client_ip(request: &Request, proxies: &Proxies) -> Option<IpAddr> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    // Only a request that came through one of our proxies: anyone else
    // could write any address into the header.
    if let (Some(proxies), Some(peer)) = (proxies, peer) {
        if crate::addresses::listed(proxies, peer) {
            // The rightmost entry is the one our proxy added: the address it saw.
            let forwarded = request.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
            if let Some(ip) = forwarded
                .and_then(|v| v.rsplit(',').map(str::trim).find(|s| !s.is_empty()))
                .and_then(|s| s.parse().ok())
            {
                return Some(ip);
            }
        }
    }
    peer
}
