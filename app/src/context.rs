//! What every server function and form handler finds in Leptos context on
//! the server (feature `ssr`), put there by `server::AppState`: request
//! facts (client address, public origin, the page policy) and the shared
//! handles (accounts, session) the features' APIs start from.

use crate::accounts::service::Accounts;
use crate::error::AppError;
use leptos::prelude::use_context;

/// Everything the server functions and form handlers work with, put in
/// context once per request by the server (`server::AppState`): one object
/// instead of a context per handle. Behind one `Arc`: `use_context` clones
/// it on every call, several times a request, and a field-by-field clone of
/// the handles (moka caches, pools, limiters) showed in the vote path's
/// profile (issue 16's before/after run).
#[derive(Clone)]
pub struct Services(std::sync::Arc<ServiceHandles>);

impl Services {
    pub fn new(handles: ServiceHandles) -> Self {
        Self(std::sync::Arc::new(handles))
    }
}

impl std::ops::Deref for Services {
    type Target = ServiceHandles;
    fn deref(&self) -> &ServiceHandles {
        &self.0
    }
}

/// The handles `Services` shares.
pub struct ServiceHandles {
    pub store: store::Store,
    /// The account rules, with the SMS gateway.
    pub accounts: Accounts,
    /// Seals ID numbers and roster phones (never leaves the server).
    pub data_key: store::protect::DataKey,
    /// Roster imports running in the background, with their progress.
    pub imports: crate::certification::imports::ImportJobs,
    /// Per-account and per-address limits on votes.
    pub votes: crate::voting::service::VoteLimiter,
    /// Writes votes that arrive together in one statement (group commit).
    pub vote_queue: store::VoteQueue,
    pub public_origin: PublicOrigin,
    /// The asset library's blob storage and upload limits.
    pub media: crate::newsroom::media::Media,
    /// Views queued for batch writing, watchlists and tallies per process.
    pub publishing: crate::newsroom::publishing::Publishing,
}

/// This request's services (500 if the server forgot to provide them).
pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or(AppError::Internal)
}

/// The account rules with the store and the SMS gateway.
pub fn accounts() -> Result<Accounts, AppError> {
    Ok(services()?.accounts.clone())
}

/// The database.
pub fn store() -> Result<store::Store, AppError> {
    Ok(services()?.store.clone())
}

/// The request's session (tower-sessions).
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>().await.map_err(|error| {
        tracing::error!(%error, "no session layer");
        AppError::Internal
    })
}

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

/// Where a browser's form post goes next when this server function succeeds
/// (a path on this site). The answer carries it as `Location`; the generic
/// form handler (server/src/form_posts.rs) turns it into a 303, JSON callers
/// may follow it or not. Without it the browser goes back to the form's page.
pub fn go_to(path: &str) {
    match (http::HeaderValue::from_str(path), use_context::<leptos_axum::ResponseOptions>()) {
        (Ok(value), Some(response)) => response.insert_header(http::header::LOCATION, value),
        _ => tracing::error!(path, "no response to set the next page on"),
    }
}

/// A multipart form as a server function receives it: its text fields and
/// the bytes of its one file field.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub file: Option<Vec<u8>>,
}

impl Upload {
    /// Reads `data`; the part named `file_field` is the file (absent or
    /// empty: `None`). The server's body limit already capped the size.
    pub async fn read(data: leptos::server_fn::codec::MultipartData, file_field: &str) -> Result<Self, AppError> {
        let unreadable = || AppError::rejected(400, file_field, "上传的内容无法读取，请重新选择文件");
        let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
        let mut upload = Upload::default();
        while let Some(part) = multipart.next_field().await.map_err(|_| unreadable())? {
            let name = part.name().unwrap_or_default().to_owned();
            if name == file_field {
                let bytes = part.bytes().await.map_err(|_| unreadable())?;
                upload.file = (!bytes.is_empty()).then(|| bytes.to_vec());
            } else {
                let text = part.text().await.map_err(|_| unreadable())?;
                upload.fields.push((name, text));
            }
        }
        Ok(upload)
    }

    /// Text field `name` ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

/// The store and the signed-in member (401 `请先登录` when signed out).
pub async fn signed_in() -> Result<(store::Store, store::MemberId), AppError> {
    let store = store()?;
    let member = crate::accounts::session::member(&store, &session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    Ok((store, member))
}

/// The store and the signed-in official (401 signed out, 403 not an official).
pub async fn official() -> Result<(store::Store, store::Actor), AppError> {
    let store = store()?;
    let actor = crate::officials::service::official(&store, &session().await?).await?;
    Ok((store, actor))
}
