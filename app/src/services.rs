//! Server-side services (feature `ssr`): the rules behind server functions
//! and form posts. They reach the database through `store::Store`.

pub mod accounts;
pub mod admin;
pub mod campaigns;
pub mod card;
pub mod certification;
pub mod stats;
pub mod voting;
pub mod clock;
pub mod fraud;
pub mod imports;
pub mod session;
pub mod sms;

pub use accounts::{Accounts, RegisterInput};

/// The client's address as the server determined it (the peer, or the
/// proxy's X-Forwarded-For entry when trusted); a request extension.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

/// The Content-Security-Policy of pages, with `{nonce}` where each render's
/// nonce goes (server/src/csp.rs builds it from the configuration; the shell
/// fills it in and sends it with the page).
#[derive(Clone, Debug)]
pub struct PagePolicy(pub std::sync::Arc<str>);

impl PagePolicy {
    pub fn with_nonce(&self, nonce: &str) -> String {
        self.0.replace("{nonce}", nonce)
    }
}

/// The origin browsers see (`GONGHUI_PUBLIC_ORIGIN`), put in context by the
/// server; `None` means "the Host the request came to".
#[derive(Clone, Debug, Default)]
pub struct PublicOrigin(pub Option<String>);

impl PublicOrigin {
    /// `https://hui.example.org`, or `http://{Host}` of the current request.
    pub async fn resolve(&self) -> String {
        if let Some(origin) = &self.0 {
            return origin.clone();
        }
        let host = leptos_axum::extract::<http::HeaderMap>()
            .await
            .ok()
            .and_then(|h| h.get(http::header::HOST).and_then(|v| v.to_str().ok()).map(str::to_owned))
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        format!("http://{host}")
    }
}
