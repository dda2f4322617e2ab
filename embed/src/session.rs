//! Who is signed in: the host's assertion, a stored token, or the sign-in
//! page — so a member signed in to the union app never signs in twice.

use leptos::prelude::*;
use serde_json::json;

use crate::api::{self, ApiError};
use crate::types::{AppSession, Member};

/// The member as last seen, kept so a start without network still opens
/// (the offline 惠员卡 needs no server).
const MEMBER_KEY: &str = "gonghui.member";

/// Refresh a token with less than this left (seconds): 7 of its 30 days
/// (docs/EMBED.md), so a member who opens the app weekly never signs in again.
const REFRESH_WITHIN_SECS: i64 = 7 * 24 * 60 * 60;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    Starting,
    SignedOut,
    SignedIn(Member),
}

/// The app-wide sign-in state (provided as context by `App`), and why the
/// host's hand-off was refused, for the sign-in page to say (e.g. 该手机号
/// 还没有注册工会会员账号，请先注册).
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Auth>, pub RwSignal<Option<String>>);

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    pub fn member(&self) -> Option<Member> {
        match self.0.get() {
            Auth::SignedIn(member) => Some(member),
            _ => None,
        }
    }

    pub fn signed_in(&self, member: Member) {
        api::store(MEMBER_KEY, &serde_json::to_string(&member).unwrap_or_default());
        self.0.set(Auth::SignedIn(member));
    }

    /// Forgets the token and everything stored for this member (their
    /// offline card too: the next person on this phone must not see it).
    pub fn signed_out(&self) {
        api::drop_token();
        api::forget(MEMBER_KEY);
        crate::pages::card::forget_offline_card();
        self.0.set(Auth::SignedOut);
    }

    /// Exchanges proof of who the member is (`body`: phone and password,
    /// phone and SMS code, or a host's assertion) for a token.
    pub async fn open(&self, body: serde_json::Value) -> Result<(), ApiError> {
        let session: AppSession = api::post_json("app/session", &body).await?;
        api::keep_token(&session.token, session.expires_at);
        self.signed_in(session.member);
        Ok(())
    }

    /// Asks the server to end the token's session, then forgets it either way.
    pub async fn end(&self) {
        let _ = api::post_empty("app/session/end").await;
        self.signed_out();
    }

    /// The current member again (after 实名认证 changed them).
    pub async fn reload(&self) {
        if let Ok(Some(member)) = api::get::<Option<Member>>("me", &[]).await {
            self.signed_in(member);
        }
    }
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// How the bundle starts: the host's assertion first, then a stored token,
/// else signed out.
pub async fn start(session: Session) {
    if let Some((app, assertion)) = crate::host::assertion().await {
        match session.open(json!({ "app": app, "assertion": assertion })).await {
            Ok(()) => return,
            // Offline with a token from before: carry on with it below.
            Err(ApiError::Network) => {}
            // A refused assertion (no member with that phone, app stopped):
            // fall back to a token or the sign-in page, saying why.
            Err(e) => session.1.set(Some(e.to_string())),
        }
    }
    let Some(_) = api::token() else {
        session.signed_out();
        return;
    };
    let expires_at = api::token_expires_at().unwrap_or(i64::MAX);
    if expires_at <= now_secs() {
        session.signed_out();
        return;
    }
    if expires_at - now_secs() < REFRESH_WITHIN_SECS {
        if let Ok(fresh) = api::post_json::<AppSession>("app/session/refresh", &json!({})).await {
            api::keep_token(&fresh.token, fresh.expires_at);
        }
    }
    match api::get::<Option<Member>>("me", &[]).await {
        Ok(Some(member)) => session.signed_in(member),
        Ok(None) | Err(ApiError::SignedOut) => session.signed_out(),
        // No network (or the server is down): the member as last seen, so
        // the card still shows; every page says when it cannot load.
        Err(_) => match api::stored(MEMBER_KEY).and_then(|m| serde_json::from_str(&m).ok()) {
            Some(member) => session.0.set(Auth::SignedIn(member)),
            None => session.signed_out(),
        },
    }
}
