//! Bearer tokens, host assertions and registered origins (server only).
//!
//! **Tokens** are 256 random bits (URL-safe base64, 43 characters); the
//! database keeps their SHA-256 only. A token is bound to the member's
//! session epoch at issue, exactly like a cookie session, so 退出所有设备,
//! a password reset or a phone change elsewhere ends it. It lasts
//! `TOKEN_LIFETIME_SECS` (30 days, the "remember me" of cookies); an app
//! refreshes it before then for a new one, which ends the old.
//!
//! **Assertions**: an app that signed its user in already hands the member
//! over with `base64url(payload) "." base64url(ed25519 signature of the
//! first part)`, payload `{"app","phone","exp","nonce"}`. Only the app holds
//! the private key (the server keeps the public one, so a leak of our
//! database forges nothing); `exp` at most 5 minutes ahead; each nonce once.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::{HostApp, MemberId, Store, StoreError};

use crate::error::AppError;

/// 30 days, like a remembered cookie session.
pub const TOKEN_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// An assertion may be valid for at most 5 minutes: long enough for a slow
/// network, short enough that a leaked one is soon worthless.
pub const ASSERTION_MAX_SECS: i64 = 300;
/// Clocks of phones' app servers and ours disagree a little.
const CLOCK_SKEW_SECS: i64 = 30;
/// How long a token found current is trusted without asking the database
/// (as cookie sessions: a member voting sends a burst of requests). Ending a
/// token, an epoch move or 退出所有设备 drops the copies at once, in every
/// process (store::changes).
const VERIFIED_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// A request signed in with a bearer token: put in the request's extensions
/// by the server's bearer layer, read by `accounts::session::member`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bearer {
    pub member: MemberId,
    /// The token's SHA-256 (hex), to end or refresh it.
    pub token_hash: String,
}

/// The bearer of the request being handled, if it came with a token. Asked
/// on every signed-in request (`accounts::session::member`): it borrows the
/// request's parts instead of cloning them (headers and all) to look.
pub fn current_bearer() -> Option<Bearer> {
    leptos::prelude::with_context::<http::request::Parts, _>(|parts| parts.extensions.get::<Bearer>().cloned())
        .flatten()
}

pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    use rand::Rng;
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Issues a token for `member` (handed over by `app`, or signed in directly).
pub async fn issue(store: &Store, member: MemberId, app: Option<i64>) -> Result<(String, i64), AppError> {
    let token = new_token();
    let now = crate::clock::now();
    let expires_at = now + TOKEN_LIFETIME_SECS;
    store
        .insert_app_token(&hash(&token), member, app, now, expires_at)
        .await
        .map_err(|e| AppError::from_store("token", e))?;
    Ok((token, expires_at))
}

fn verified() -> &'static moka::sync::Cache<String, (i64, i64)> {
    static CACHE: std::sync::OnceLock<moka::sync::Cache<String, (i64, i64)>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| moka::sync::Cache::builder().max_capacity(200_000).time_to_live(VERIFIED_FOR).build())
}

/// Forgets one token found current (it ended here or in another process).
pub fn forget_token(token_hash: &str) {
    verified().invalidate(token_hash);
}

/// Forgets every token found current (an epoch moved somewhere).
pub fn forget_verified_tokens() {
    verified().invalidate_all();
}

/// Whose token this is, if it is known, unexpired and its member's epoch has
/// not moved since it was issued.
pub async fn member_of_token(store: &Store, token: &str) -> Result<Option<Bearer>, StoreError> {
    let token_hash = hash(token);
    let now = crate::clock::now();
    if let Some((member, expires_at)) = verified().get(&token_hash) {
        if expires_at > now {
            return Ok(Some(Bearer { member: MemberId(member), token_hash }));
        }
    }
    let Some(row) = store.app_token(&token_hash).await? else { return Ok(None) };
    if row.expires_at <= now || row.epoch != row.current_epoch {
        return Ok(None);
    }
    verified().insert(token_hash.clone(), (row.member.0, row.expires_at));
    Ok(Some(Bearer { member: row.member, token_hash }))
}

/// Ends a token everywhere.
pub async fn end(store: &Store, token_hash: &str) -> Result<(), AppError> {
    forget_token(token_hash);
    store.delete_app_token(token_hash, crate::clock::now()).await.map_err(|e| AppError::from_store("token", e))?;
    store.announce(&store::Change::Token(token_hash.to_owned())).await;
    Ok(())
}

#[derive(Deserialize)]
struct Payload {
    app: String,
    phone: String,
    exp: i64,
    nonce: String,
}

fn refused(message: &str) -> AppError {
    AppError::rejected(401, "assertion", message)
}

/// Checks an assertion from `app_code` and records its nonce: the member's
/// phone, or why not (401, nothing changed but the nonce of a good one).
pub async fn accept_assertion(
    store: &Store,
    app_code: &str,
    assertion: &str,
) -> Result<(HostApp, domain::Phone), AppError> {
    let app = store
        .active_host_app(app_code.trim())
        .await
        .map_err(|e| AppError::from_store("assertion", e))?
        .ok_or_else(|| AppError::rejected(403, "app", "此 App 未登记或已停用"))?;
    let now = crate::clock::now();
    let payload = verify_signature(&app, assertion)?;
    if payload.app != app.code {
        return Err(refused("登录凭证不是签发给此 App 的"));
    }
    if payload.exp <= now - CLOCK_SKEW_SECS {
        return Err(refused("登录凭证已过期，请重新打开页面"));
    }
    if payload.exp > now + ASSERTION_MAX_SECS + CLOCK_SKEW_SECS {
        return Err(refused("登录凭证有效期过长（最多 5 分钟）"));
    }
    if !(16..=128).contains(&payload.nonce.len()) {
        return Err(refused("登录凭证的随机数长度应为 16–128 个字符"));
    }
    let phone = domain::Phone::parse(&payload.phone).map_err(|_| refused("登录凭证中的手机号无效"))?;
    let fresh = store
        .use_assertion_nonce(app.id, &payload.nonce, payload.exp.max(now) + CLOCK_SKEW_SECS, now)
        .await
        .map_err(|e| AppError::from_store("assertion", e))?;
    if !fresh {
        return Err(refused("登录凭证已被使用过，请重新获取"));
    }
    Ok((app, phone))
}

fn verify_signature(app: &HostApp, assertion: &str) -> Result<Payload, AppError> {
    let malformed = || refused("登录凭证格式不正确");
    let (payload_part, signature_part) = assertion.trim().split_once('.').ok_or_else(malformed)?;
    let key = public_key(&app.public_key).ok_or(AppError::Internal)?;
    let signature = URL_SAFE_NO_PAD.decode(signature_part).map_err(|_| malformed())?;
    let signature = Signature::from_slice(&signature).map_err(|_| malformed())?;
    key.verify(payload_part.as_bytes(), &signature).map_err(|_| refused("登录凭证签名无效"))?;
    let payload = URL_SAFE_NO_PAD.decode(payload_part).map_err(|_| malformed())?;
    serde_json::from_slice(&payload).map_err(|_| malformed())
}

/// A base64 ed25519 public key, if it is one.
pub fn public_key(text: &str) -> Option<VerifyingKey> {
    let bytes = STANDARD.decode(text.trim()).ok()?;
    VerifyingKey::from_bytes(&bytes.try_into().ok()?).ok()
}

/// An origin as apps register it: `https://host[:port]` or `http://…`
/// (for development), lower-case, no path; or `null` (file:// bundles).
pub fn parse_origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
    if text == "null" {
        return Some(text);
    }
    let (scheme, authority) = text.split_once("://")?;
    let valid = matches!(scheme, "http" | "https")
        && !authority.is_empty()
        && authority.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then_some(text)
}

/// The origins of every active app, as CORS checks them. Read at most once
/// per `ORIGINS_FOR` per process; a change drops it at once (store::changes).
pub async fn registered_origins(
    store: &Store,
) -> Result<std::sync::Arc<std::collections::HashSet<String>>, StoreError> {
    if let Some(origins) = origins_cache().get(&()) {
        return Ok(origins);
    }
    let apps = store.host_apps().await?;
    let origins: std::collections::HashSet<String> = apps
        .iter()
        .filter(|a| a.revoked_at.is_none())
        .flat_map(|a| a.origin_list().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let origins = std::sync::Arc::new(origins);
    origins_cache().insert((), origins.clone());
    Ok(origins)
}

/// 30 s: a missed announcement is healed within that.
const ORIGINS_FOR: std::time::Duration = std::time::Duration::from_secs(30);

type Origins = std::sync::Arc<std::collections::HashSet<String>>;

fn origins_cache() -> &'static moka::sync::Cache<(), Origins> {
    static CACHE: std::sync::OnceLock<moka::sync::Cache<(), Origins>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| moka::sync::Cache::builder().max_capacity(1).time_to_live(ORIGINS_FOR).build())
}

/// Forgets the registered origins (an app was added or revoked).
pub fn forget_origins() {
    origins_cache().invalidate_all();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_kept_lower_case_without_a_path_and_garbage_is_refused() {
        assert_eq!(parse_origin("HTTPS://App.Example.org/"), Some("https://app.example.org".into()));
        assert_eq!(parse_origin("http://127.0.0.1:8081"), Some("http://127.0.0.1:8081".into()));
        assert_eq!(parse_origin("null"), Some("null".into()));
        assert_eq!(parse_origin("https://a.example/x"), None);
        assert_eq!(parse_origin("ftp://a.example"), None);
        assert_eq!(parse_origin("*"), None);
    }

    #[test]
    fn a_token_is_stored_as_its_sha256() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in URL-safe base64");
    }

    #[test]
    fn a_signature_over_another_payload_or_with_another_key_is_refused() {
        use ed25519_dalek::{Signer, SigningKey};
        let key = SigningKey::from_bytes(&[7; 32]);
        let app = HostApp {
            id: 1,
            code: "taian".into(),
            name: "泰安e站".into(),
            origins: String::new(),
            public_key: STANDARD.encode(key.verifying_key().as_bytes()),
            created_at: 0,
            revoked_at: None,
        };
        let payload =
            URL_SAFE_NO_PAD.encode(r#"{"app":"taian","phone":"13800138000","exp":1,"nonce":"0123456789abcdef"}"#);
        let signed = |key: &SigningKey, part: &str| {
            format!("{part}.{}", URL_SAFE_NO_PAD.encode(key.sign(part.as_bytes()).to_bytes()))
        };
        assert_eq!(verify_signature(&app, &signed(&key, &payload)).map(|p| p.phone), Ok("13800138000".into()));
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(verify_signature(&app, &signed(&other, &payload)).is_err());
        let tampered = format!("{}{}", &signed(&key, &payload)[..4], &signed(&key, &payload)[5..]);
        assert!(verify_signature(&app, &tampered).is_err());
        assert!(verify_signature(&app, "no-dot").is_err());
    }
}
