//! The Origin check: a state-changing request (anything but GET, HEAD,
//! OPTIONS) must come from a page of this site. Together with `SameSite=Lax`
//! cookies this stops cross-site form posts (CSRF) without tokens in forms,
//! so plain HTML forms keep working with JavaScript off.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The message shown when the check fails (403).
pub const REFUSED: &str = "请求来源校验失败：请在本站页面内提交，或刷新页面后重试。";

pub async fn require_same_origin(
    State(public_origin): State<Option<String>>,
    request: Request,
    next: Next,
) -> Response {
    // Bearer requests and registered apps' calls carry no cookie
    // (server/src/apps.rs): there is nothing for a foreign page to ride on.
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || request.extensions().get::<crate::apps::NoAmbientCredentials>().is_some()
    {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    if is_same_origin(text(header::ORIGIN), text(header::REFERER), text(header::HOST), public_origin.as_deref()) {
        next.run(request).await
    } else {
        tracing::info!(origin = ?text(header::ORIGIN), referer = ?text(header::REFERER), "refused cross-origin request");
        (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], REFUSED).into_response()
    }
}

/// True when the request's `Origin` (or, from old browsers that omit it on
/// same-origin posts, the origin of its `Referer`) is this site: the
/// configured public origin, or else the `Host` the request was sent to.
pub fn is_same_origin(
    origin: Option<&str>,
    referer: Option<&str>,
    host: Option<&str>,
    public_origin: Option<&str>,
) -> bool {
    let claimed = match origin {
        Some(origin) => origin.to_owned(),
        None => match referer.and_then(origin_of_url) {
            Some(origin) => origin,
            None => return false,
        },
    };
    match public_origin {
        Some(public) => claimed.eq_ignore_ascii_case(public),
        None => match (authority_of_origin(&claimed), host) {
            (Some(authority), Some(host)) => authority.eq_ignore_ascii_case(host),
            _ => false,
        },
    }
}

/// `https://a.b:8443/x?y` → `https://a.b:8443`.
fn origin_of_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// `http://127.0.0.1:3000` → `127.0.0.1:3000`; `null` and garbage → None.
fn authority_of_origin(origin: &str) -> Option<&str> {
    let (scheme, authority) = origin.split_once("://")?;
    let valid = matches!(scheme, "http" | "https") && !authority.is_empty() && !authority.contains('/');
    valid.then_some(authority)
}

#[cfg(test)]
mod tests {
    use super::is_same_origin;

    #[test]
    fn a_post_from_the_same_host_passes() {
        assert!(is_same_origin(Some("http://127.0.0.1:3000"), None, Some("127.0.0.1:3000"), None));
    }

    #[test]
    fn a_post_from_another_site_or_port_is_refused() {
        assert!(!is_same_origin(Some("https://evil.example"), None, Some("127.0.0.1:3000"), None));
        assert!(!is_same_origin(Some("http://127.0.0.1:3001"), None, Some("127.0.0.1:3000"), None));
        assert!(!is_same_origin(Some("null"), None, Some("127.0.0.1:3000"), None));
    }

    #[test]
    fn without_origin_the_referer_decides_and_without_both_the_post_is_refused() {
        assert!(is_same_origin(None, Some("http://127.0.0.1:3000/me?x=1"), Some("127.0.0.1:3000"), None));
        assert!(!is_same_origin(None, Some("http://evil.example/127.0.0.1:3000"), Some("127.0.0.1:3000"), None));
        assert!(!is_same_origin(None, None, Some("127.0.0.1:3000"), None));
    }

    #[test]
    fn behind_a_proxy_the_public_origin_is_what_counts() {
        let public = Some("https://hui.example.org");
        assert!(is_same_origin(Some("https://hui.example.org"), None, Some("10.0.0.5:3000"), public));
        assert!(!is_same_origin(Some("http://10.0.0.5:3000"), None, Some("10.0.0.5:3000"), public));
    }
}
