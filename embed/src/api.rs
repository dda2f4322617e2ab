//! The server's JSON /api as the bundle calls it: where it is, the bearer
//! token, and its errors.
//!
//! Every request sends `Accept: application/json` (the server then answers a
//! server function's `Ok` value or its `AppError` as JSON instead of a page)
//! and `credentials: omit`: the bundle is signed in by its bearer token only,
//! never by a cookie a same-origin webview might also hold.

use std::cell::RefCell;
use std::fmt;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use web_sys::RequestCredentials;

/// Where the token lives between starts (localStorage).
const TOKEN_KEY: &str = "gonghui.token";
const EXPIRES_KEY: &str = "gonghui.token.expires";

/// What went wrong, as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// Something the member can fix: shown next to `field`, or above the
    /// form when `field` is empty (`app::error::AppError::Rejected`).
    Rejected {
        status: u16,
        field: String,
        message: String,
    },
    /// The token was refused (expired, revoked) or the server saw nobody
    /// signed in: the token is dropped and sign-in shown.
    SignedOut,
    Unavailable,
    Internal,
    /// The server could not be reached (offline, or blocked).
    Network,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Rejected { message, .. } => message,
            Self::SignedOut => "登录已失效，请重新登录",
            Self::Unavailable => "服务暂时不可用，请稍后再试",
            Self::Internal => "系统出了点问题，请稍后再试",
            Self::Network => "网络连接失败，请检查网络后重试",
        })
    }
}

impl ApiError {
    /// The message for form field `field`, if this error is about it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            Self::Rejected { field: f, message, .. } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The message shown above a form whose fields are `fields`: errors not
    /// tied to one of them.
    pub fn general_message(&self, fields: &[&str]) -> Option<String> {
        match self {
            Self::Rejected { field, .. } if fields.contains(&field.as_str()) => None,
            other => Some(other.to_string()),
        }
    }
}

/// `app::error::AppError` as the server serialises it (externally tagged).
#[derive(Deserialize)]
enum ServerError {
    Rejected { status: u16, field: String, message: String },
    Unavailable,
    Internal,
    Network,
}

/// The bearer check's own refusal: `{"error":"…","code":"token_invalid"}`.
#[derive(Deserialize)]
struct TokenRefusal {
    code: String,
}

thread_local! {
    static ORIGIN: String = find_origin();
    /// Called when the server refuses the token (set by the app at start).
    static ON_SIGNED_OUT: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// The API's origin: `window.GONGHUI_API_ORIGIN` when the host set it before
/// the bundle loaded, else `GONGHUI_API_ORIGIN` at build time, else empty
/// (the same origin as the bundle). Without a trailing slash.
fn find_origin() -> String {
    let from_host = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("GONGHUI_API_ORIGIN"))
        .ok()
        .and_then(|v| v.as_string());
    from_host
        .unwrap_or_else(|| option_env!("GONGHUI_API_ORIGIN").unwrap_or_default().to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// `path` (starting with `/`) on the API's server.
pub fn url(path: &str) -> String {
    ORIGIN.with(|origin| format!("{origin}{path}"))
}

/// `path` on the API's server as an absolute URL (for sharing and opening
/// outside the webview, where a relative one means nothing).
pub fn absolute_url(path: &str) -> String {
    let url = url(path);
    if url.starts_with('/') {
        let here = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        format!("{here}{url}")
    } else {
        url
    }
}

pub fn on_signed_out(callback: impl Fn() + 'static) {
    ON_SIGNED_OUT.with(|c| *c.borrow_mut() = Some(Box::new(callback)));
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        // A full or disabled storage only costs the next start a sign-in.
        let _ = s.set_item(key, value);
    }
}

pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

pub fn token() -> Option<String> {
    stored(TOKEN_KEY).filter(|t| !t.is_empty())
}

/// The stored token's expiry (Unix seconds), if known.
pub fn token_expires_at() -> Option<i64> {
    stored(EXPIRES_KEY)?.parse().ok()
}

pub fn keep_token(token: &str, expires_at: i64) {
    store(TOKEN_KEY, token);
    store(EXPIRES_KEY, &expires_at.to_string());
}

pub fn drop_token() {
    forget(TOKEN_KEY);
    forget(EXPIRES_KEY);
}

fn prepare(builder: RequestBuilder) -> RequestBuilder {
    let builder = builder.header("Accept", "application/json").credentials(RequestCredentials::Omit);
    match token() {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let authed = token().is_some();
    let response = request.map_err(|_| ApiError::Internal)?.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let error = match serde_json::from_str::<ServerError>(&body) {
        Ok(ServerError::Rejected { status, field, message }) => ApiError::Rejected { status, field, message },
        Ok(ServerError::Unavailable) => ApiError::Unavailable,
        Ok(ServerError::Internal) => ApiError::Internal,
        Ok(ServerError::Network) => ApiError::Network,
        Err(_) if status == 503 => ApiError::Unavailable,
        Err(_) => ApiError::Internal,
    };
    // A 401 to a request that carried the token means the token is no good
    // any more (the bearer check's `token_invalid`, or "请先登录" from a
    // server function that saw nobody). A 401 without a token is a wrong
    // password or code: shown next to its field.
    let token_refused = serde_json::from_str::<TokenRefusal>(&body).is_ok_and(|r| r.code == "token_invalid");
    if status == 401 && (authed || token_refused) {
        drop_token();
        ON_SIGNED_OUT.with(|c| {
            if let Some(callback) = c.borrow().as_ref() {
                callback();
            }
        });
        return Err(ApiError::SignedOut);
    }
    Err(error)
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    serde_json::from_str(&text).map_err(|_| ApiError::Internal)
}

/// A GET server function: `/api/{endpoint}?{query}`.
pub async fn get<T: DeserializeOwned>(endpoint: &str, query: &[(&str, &str)]) -> Result<T, ApiError> {
    let builder = prepare(Request::get(&url(&format!("/api/{endpoint}")))).query(query.iter().copied());
    json(send(builder.build()).await?).await
}

/// A POST server function: its arguments as a urlencoded form.
pub async fn post_form<T: DeserializeOwned>(endpoint: &str, fields: &[(&str, &str)]) -> Result<T, ApiError> {
    let form = web_sys::UrlSearchParams::new().map_err(|_| ApiError::Internal)?;
    for (name, value) in fields {
        form.append(name, value);
    }
    let body = String::from(form.to_string());
    let builder = prepare(Request::post(&url(&format!("/api/{endpoint}"))))
        .header("Content-Type", "application/x-www-form-urlencoded");
    json(send(builder.body(body)).await?).await
}

/// A POST with a JSON body (the app-session endpoints).
pub async fn post_json<T: DeserializeOwned>(endpoint: &str, body: &serde_json::Value) -> Result<T, ApiError> {
    let builder = prepare(Request::post(&url(&format!("/api/{endpoint}"))));
    json(send(builder.json(body)).await?).await
}

/// A POST whose answer is not read (ending the session).
pub async fn post_empty(endpoint: &str) -> Result<(), ApiError> {
    send(prepare(Request::post(&url(&format!("/api/{endpoint}")))).build()).await.map(|_| ())
}

/// Text from a path outside /api (the card's QR SVG), with the bearer.
pub async fn get_text(path: &str) -> Result<String, ApiError> {
    let response = send(prepare(Request::get(&url(path))).build()).await?;
    response.text().await.map_err(|_| ApiError::Network)
}
