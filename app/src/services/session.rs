//! Who is signed in, held in the database-backed session (tower-sessions).
//!
//! A session names the member and the member's session epoch at sign-in; a
//! password reset or phone change moves the epoch on, which signs the member
//! out everywhere else (tower-sessions cannot list a member's sessions).

use store::{MemberId, Store};
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, Session};

use crate::error::AppError;

const MEMBER_KEY: &str = "member_id";
const EPOCH_KEY: &str = "member_epoch";
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

/// The signed-in member, if the session is still current for them.
pub async fn member(store: &Store, session: &Session) -> Result<Option<MemberId>, AppError> {
    let Some(id) = session.get::<i64>(MEMBER_KEY).await.ok().flatten().map(MemberId) else { return Ok(None) };
    let signed_in_epoch = session.get::<i64>(EPOCH_KEY).await.ok().flatten().unwrap_or_default();
    let current = store.session_epoch(id).await.map_err(|e| AppError::from_store("session", e))?;
    Ok((current == Some(signed_in_epoch)).then_some(id))
}

/// Keeps this session current after the member changed what moves the
/// epoch (their phone), so only their other sessions end.
pub async fn refresh_epoch(store: &Store, session: &Session, id: MemberId) -> Result<(), AppError> {
    let epoch = store.session_epoch(id).await.map_err(|e| AppError::from_store("session", e))?.unwrap_or_default();
    session.insert(EPOCH_KEY, epoch).await.map_err(unavailable)
}

/// Ends the session: the record is deleted and the cookie cleared.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(unavailable)
}
