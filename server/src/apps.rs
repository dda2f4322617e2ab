//! Union apps at the door (issue 15): bearer tokens and CORS, before the
//! Origin check and the session layer.
//!
//! - `Authorization: Bearer <token>` on any request: the token must be
//!   current (else 401 JSON, nothing runs); the request then carries no
//!   cookie (its member is the token's, `app::apps::service::Bearer`) and is
//!   exempt from the Origin check — a bearer is no ambient credential a
//!   foreign page could ride on, and a browser sends one only from script.
//! - `/api/*` with an `Origin` other than this site's: only origins of
//!   registered apps (super admin, `/admin/apps`) pass; others get 403 JSON.
//!   A passing request also loses its cookie (apps authenticate with
//!   tokens), so it is exempt from the Origin check too. Preflights are
//!   answered here and cached by the browser for `PREFLIGHT_MAX_AGE`.
//!   No `Access-Control-Allow-Credentials`: cookies never cross origins.
//! - `POST /api/app/session` (signing an app in) likewise loses its cookie,
//!   sets none and needs no Origin.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Browsers cache a preflight this long (Chromium caps it at 2 h; 10 min
/// keeps a revoked origin's window short while sparing a round trip per call).
const PREFLIGHT_MAX_AGE: &str = "600";

/// Put in a request's extensions when it carries no ambient credential
/// (bearer token, or a registered app's cross-origin call without cookies):
/// the Origin check lets it through.
#[derive(Clone, Copy, Debug)]
pub struct NoAmbientCredentials;

fn json_error(status: StatusCode, message: &str) -> Response {
    let body =
        app::error::AppError::Rejected { status: status.as_u16(), field: String::new(), message: message.into() };
    let body = serde_json::to_string(&body).unwrap_or_default();
    let mut response = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
    }
    response
}

fn text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = text(headers, header::AUTHORIZATION)?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub async fn bearer_and_cors(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let is_api = request.uri().path().starts_with("/api/");
    let origin = text(headers, header::ORIGIN).map(str::to_owned);
    let foreign = origin.filter(|o| {
        !crate::origin::is_same_origin(
            Some(o),
            None,
            text(headers, header::HOST),
            state.config.public_origin.as_deref(),
        )
    });
    let mut allowed_origin = None;
    if let (true, Some(origin)) = (is_api, foreign) {
        let registered = match app::apps::service::registered_origins(&state.store).await {
            Ok(origins) => origins.contains(&origin.to_ascii_lowercase()),
            Err(error) => {
                tracing::warn!(%error, "registered origins");
                return json_error(StatusCode::SERVICE_UNAVAILABLE, "服务暂时不可用，请稍后再试");
            }
        };
        if !registered {
            tracing::info!(origin, "refused an unregistered origin");
            return json_error(StatusCode::FORBIDDEN, "此来源未登记为接入 App，不能调用接口");
        }
        if request.method() == Method::OPTIONS {
            return preflight(&origin);
        }
        allowed_origin = Some(origin);
    }
    // Signing an app in (`/api/app/session`) answers a token and never
    // starts a cookie session, so it needs no Origin: native apps send none.
    let mut exempt = allowed_origin.is_some() || request.uri().path() == "/api/app/session";
    if let Some(token) = bearer_token(request.headers()) {
        match app::apps::service::member_of_token(&state.store, token).await {
            Ok(Some(bearer)) => {
                request.extensions_mut().insert(bearer);
                exempt = true;
            }
            Ok(None) => {
                let mut refusal = json_error(StatusCode::UNAUTHORIZED, "登录已失效，请重新登录");
                with_cors(&mut refusal, allowed_origin.as_deref());
                return refusal;
            }
            Err(error) => {
                let error = app::error::AppError::from_store("bearer", error);
                return json_error(error.status(), &error.to_string());
            }
        }
    }
    if exempt {
        request.headers_mut().remove(header::COOKIE);
        request.extensions_mut().insert(NoAmbientCredentials);
    }
    let mut response = next.run(request).await;
    if exempt {
        // The session layer may have started a session (a sign-in through
        // the API): an app has no use for its cookie.
        response.headers_mut().remove(header::SET_COOKIE);
    }
    with_cors(&mut response, allowed_origin.as_deref());
    response
}

fn with_cors(response: &mut Response, origin: Option<&str>) {
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(value) = origin.and_then(|o| HeaderValue::from_str(o).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        // Form posts answer where a browser would go next; apps may read it.
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Location"));
    }
}

fn preflight(origin: &str) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
    headers
        .insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, content-type, accept"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(PREFLIGHT_MAX_AGE));
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    response
}
