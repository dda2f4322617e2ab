//! Who is signed in, held in the database-backed session (tower-sessions).
//!
//! A session names the member and the member's session epoch at sign-in; a
//! password reset or phone change moves the epoch on, which signs the member
//! out everywhere else (tower-sessions cannot list a member's sessions).
//!
//! Checking the epoch is a trip to the database, and a member voting sends
//! a burst of requests; so a session found current is trusted for
//! `VERIFIED_FOR` in this process (moka). A reset, phone change or
//! 退出所有设备 forgets every such entry in this process at once and is
//! announced to the other processes (store::changes), which forget theirs
//! on arrival; `VERIFIED_FOR` only bounds a missed announcement.

use store::{MemberId, Store};
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, Session};

use crate::error::AppError;

const MEMBER_KEY: &str = "member_id";
const EPOCH_KEY: &str = "member_epoch";
/// How long a session found current is trusted without asking again.
const VERIFIED_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// Session id → (member, epoch) found current. Keyed by the random session
/// id, so entries of different databases in one process never mix.
fn verified() -> &'static moka::sync::Cache<tower_sessions::session::Id, (i64, i64)> {
    static CACHE: std::sync::OnceLock<moka::sync::Cache<tower_sessions::session::Id, (i64, i64)>> =
        std::sync::OnceLock::new();
    CACHE.get_or_init(|| moka::sync::Cache::builder().max_capacity(200_000).time_to_live(VERIFIED_FOR).build())
}

/// Forgets every session this process found current: after an epoch moved
/// (rare), the next request of each session checks the database again.
pub fn forget_verified_sessions() {
    verified().invalidate_all();
    crate::apps::service::forget_verified_tokens();
}

/// "Remember me" keeps a member signed in for 30 days of inactivity.
const REMEMBER_FOR: Duration = Duration::days(30);

fn unavailable(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session store");
    AppError::Unavailable
}

/// Signs `id` in. The session id changes first, so an id planted before
/// sign-in (session fixation) is worthless afterwards.
pub async fn sign_in(store: &Store, session: &Session, id: MemberId, remember: bool) -> Result<(), AppError> {
    let epoch = store.session_epoch(id).await.map_err(|e| AppError::from_store("sign_in", e))?.unwrap_or_default();
    session.cycle_id().await.map_err(unavailable)?;
    session.insert(MEMBER_KEY, id.0).await.map_err(unavailable)?;
    session.insert(EPOCH_KEY, epoch).await.map_err(unavailable)?;
    session.set_expiry(Some(if remember { Expiry::OnInactivity(REMEMBER_FOR) } else { Expiry::OnSessionEnd }));
    Ok(())
}

/// The signed-in member, if the session is still current for them. A
/// request with a bearer token (apps, issue 15) is that token's member: the
/// server's bearer layer checked it, and such a request has no cookie.
pub async fn member(store: &Store, session: &Session) -> Result<Option<MemberId>, AppError> {
    if let Some(bearer) = crate::apps::service::current_bearer() {
        return Ok(Some(bearer.member));
    }
    let Some(id) = session.get::<i64>(MEMBER_KEY).await.ok().flatten().map(MemberId) else { return Ok(None) };
    let signed_in_epoch = session.get::<i64>(EPOCH_KEY).await.ok().flatten().unwrap_or_default();
    let session_id = session.id();
    if let Some(session_id) = &session_id {
        if verified().get(session_id) == Some((id.0, signed_in_epoch)) {
            return Ok(Some(id));
        }
    }
    let current = store.session_epoch(id).await.map_err(|e| AppError::from_store("session", e))?;
    let is_current = current == Some(signed_in_epoch);
    if let (true, Some(session_id)) = (is_current, session_id) {
        verified().insert(session_id, (id.0, signed_in_epoch));
    }
    Ok(is_current.then_some(id))
}

/// Keeps this session current after the member changed what moves the
/// epoch (their phone), so only their other sessions end.
pub async fn refresh_epoch(store: &Store, session: &Session, id: MemberId) -> Result<(), AppError> {
    forget_verified_sessions();
    crate::apps::service::forget_verified_tokens();
    if let Some(bearer) = crate::apps::service::current_bearer() {
        return store.refresh_app_token_epoch(&bearer.token_hash).await.map_err(|e| AppError::from_store("token", e));
    }
    let epoch = store.session_epoch(id).await.map_err(|e| AppError::from_store("session", e))?.unwrap_or_default();
    session.insert(EPOCH_KEY, epoch).await.map_err(unavailable)
}

/// Ends the session: the record is deleted and the cookie cleared.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(unavailable)
}
