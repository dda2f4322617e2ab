//! Gonghui's server: the axum router as a library function, so any host
//! (the `gonghui` binary, tests, benchmarks, a platform wrapper) can mount it.

mod activities;
mod addresses;
mod apps;
mod card;
pub mod config;
mod csp;
mod data_key;
pub mod demo;
mod form_posts;
pub mod invite;
mod letters;
pub mod media;
mod metrics;
mod newsroom;
mod offline;
pub mod origin;
pub mod page_cache;
mod posters;
pub mod rate_limit;
mod review;
pub mod sessions;
mod stats;
mod voting;

use std::future::Future;
use std::sync::Arc;

use app::accounts::service::Accounts;
use app::accounts::sms::DevSms;
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use store::Store;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use config::{Config, RunEnv};

/// What every handler can reach. Behind one `Arc`: axum clones the state
/// into every `from_fn_with_state` layer and handler of every request, and
/// cloning and dropping the fields one by one (Leptos options, a dozen caches
/// and pools) was ~12 % of the server's CPU on the vote path (perf, issue 16's
/// before/after run: the votes had fallen 15–25 % against the pre-issue-16
/// build as the state grew).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// The handles `AppState` shares.
pub struct AppStateInner {
    pub leptos_options: LeptosOptions,
    /// The development SMS inbox; `None` in production.
    pub dev_sms: Option<DevSms>,
    pub config: Arc<Config>,
    /// Pages' Content-Security-Policy, `{nonce}` filled in per render.
    pub page_policy: app::context::PagePolicy,
    /// Share posters drawn as PNG: the process's one font database, the
    /// PNGs kept.
    pub posters: posters::Posters,
    /// The browser bundle's content-hashed names and the build's version.
    pub bundle: app::Bundle,
    /// What the server functions find in context, built once; the state's
    /// store, accounts, data key, limits, queues and media are read through
    /// it (Deref), so each handle is held once.
    services: app::context::Services,
}

impl AppStateInner {
    /// The handles the app's server functions work with, as one object.
    pub fn services(&self) -> app::context::Services {
        self.services.clone()
    }
}

impl std::ops::Deref for AppStateInner {
    type Target = app::context::ServiceHandles;
    fn deref(&self) -> &app::context::ServiceHandles {
        &self.services
    }
}

impl AppState {
    /// What the app's pages and server functions find in context: one list
    /// for every render (routes, form re-renders, the 404 page).
    pub(crate) fn provide_contexts(&self) {
        provide_context(self.services());
        provide_context(self.page_policy.clone());
        provide_context(self.bundle.clone());
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The name of the browser bundle's files: `/pkg/gonghui.<hash>.js`,
/// `/pkg/gonghui_bg.<hash>.wasm`, `/pkg/gonghui.<hash>.css` (the `frontend`
/// crate's lib name; the hashes are in `pkg/bundle.json`, see offline.rs).
pub const BUNDLE_NAME: &str = "gonghui";

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(BUNDLE_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(match config.env {
            RunEnv::Dev => Env::DEV,
            RunEnv::Prod => Env::PROD,
        })
        .build()
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gonghui_session";

/// How often expired sessions are deleted from the database.
const SESSION_SWEEP: std::time::Duration = std::time::Duration::from_secs(3600);

/// Builds the whole HTTP surface on `store`: pages (server-rendered),
/// `/api/*` server functions, form posts, `/healthz`, static files, and the
/// Chinese 404 page. Creates the session table if missing and starts the
/// sweep of expired sessions.
pub async fn app(config: Config, store: Store) -> anyhow::Result<Router> {
    let data_key = data_key::load(&config)?;
    metrics::handle();
    let sessions = sessions::DbSessionStore::new(&store).await?;
    tokio::spawn(sessions.clone().continuously_delete_expired(SESSION_SWEEP));
    // Changes announced by any process (PostgreSQL): drop this process's
    // copies of what changed (store::changes).
    let (listener, copies) = (store.clone(), sessions.clone());
    tokio::spawn(async move {
        let forget = move |change: store::Change| match change {
            store::Change::Session(id) => copies.forget(&id),
            store::Change::Epoch(_) => app::accounts::session::forget_verified_sessions(),
            store::Change::Campaign(id) => app::voting::caches::forget_campaign(id),
            store::Change::Token(hash) => app::apps::service::forget_token(&hash),
            store::Change::Apps => {
                app::apps::service::forget_origins();
                app::apps::service::forget_verified_tokens();
            }
            store::Change::Everything => {
                copies.forget_all();
                app::accounts::session::forget_verified_sessions();
                app::voting::caches::forget_all_campaigns();
                app::apps::service::forget_origins();
            }
        };
        if let Err(error) = listener.listen(forget).await {
            tracing::error!(%error, "the change listener stopped");
        }
    });
    let dev_sms = DevSms::default();
    // GONGHUI_SMS_PROVIDER (aliyun | tencent) and its keys; a half-made
    // configuration stops the start, naming what is missing.
    let gateway: Arc<dyn app::accounts::sms::SmsGateway> = match sms::from_env(|name| std::env::var(name).ok())? {
        Some(gateway) => {
            tracing::info!(gateway = gateway.name(), "verification codes go through the SMS gateway");
            Arc::from(gateway)
        }
        None => {
            if config.env == RunEnv::Prod {
                tracing::warn!(
                    "no SMS gateway is configured (GONGHUI_SMS_PROVIDER): codes are only written to the log"
                );
            }
            Arc::new(dev_sms.clone())
        }
    };
    let accounts = Accounts::new(store.clone(), gateway);
    let dev_sms = (config.env == RunEnv::Dev).then_some(dev_sms);
    let limits = rate_limit::AccountLimiter::new(config.account_posts_per_minute, proxies(&config));
    let idle = limits.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            idle.forget_idle();
        }
    });
    let media = media::open(&config)?;
    // 一键发布: one worker per process; deliveries are leased in the
    // database, so several processes share the work without sending twice.
    app::newsroom::outward::start(
        store.clone(),
        data_key.clone(),
        media.clone(),
        app::newsroom::outward::Settings {
            wechat_api: config.outward.wechat_api.clone(),
            poll: std::time::Duration::from_millis(config.outward.poll_ms),
            retry_base_secs: config.outward.retry_secs,
            allow_http: config.outward.allow_http,
            public_origin: config.public_origin.clone().unwrap_or_else(|| format!("http://{}", config.addr)),
        },
    );
    Ok(router(config, store, accounts, dev_sms, sessions, limits, data_key, media))
}

#[allow(clippy::too_many_arguments)] // the handles `app` builds, each once
fn router(
    config: Config,
    store: Store,
    accounts: Accounts,
    dev_sms: Option<DevSms>,
    sessions: sessions::DbSessionStore,
    limits: rate_limit::AccountLimiter,
    data_key: store::protect::DataKey,
    media: app::newsroom::media::Media,
) -> Router {
    let config = Arc::new(config);
    let services = app::context::Services::new(app::context::ServiceHandles {
        store: store.clone(),
        accounts: accounts.clone(),
        data_key,
        imports: Default::default(),
        votes: app::voting::service::VoteLimiter::new(
            config.votes_per_minute_per_account,
            config.votes_per_minute_per_address,
        ),
        vote_queue: store::VoteQueue::start(store.clone()),
        public_origin: app::context::PublicOrigin(config.public_origin.clone()),
        media,
        publishing: app::newsroom::publishing::Publishing::start(store.clone(), config.outward.allow_http),
    });
    let state = AppState(Arc::new(AppStateInner {
        leptos_options: leptos_options(&config),
        dev_sms,
        config: config.clone(),
        page_policy: app::context::PagePolicy(csp::page_policy(&config.frame_ancestors).into()),
        posters: posters::Posters::new(),
        bundle: offline::bundle(&config.site_root),
        services,
    }));
    let default_policy = HeaderValue::from_str(&csp::default_policy(&config.frame_ancestors)).expect("checked origins");
    // X-Frame-Options knows only one origin; where app webviews may frame
    // us, frame-ancestors says it (browsers then ignore X-Frame-Options).
    let frame_options = config.frame_ancestors.is_empty().then(|| HeaderValue::from_static("SAMEORIGIN"));
    let idle_votes = state.votes.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            idle_votes.forget_idle();
        }
    });
    let routes = generate_route_list(app::App);
    // Built once: every bundle download goes through it.
    let files = tower_http::services::ServeDir::new(&config.site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let context = {
        let state = state.clone();
        move || state.provide_contexts()
    };
    let shell_options = state.leptos_options.clone();
    // HttpOnly and SameSite=Lax always; Secure unless serving plain http in
    // development (GONGHUI_SECURE_COOKIES). No cookie is set until a member
    // signs in: anonymous readers get none.
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnSessionEnd);

    let body_limits = BodyLimits {
        body: config.body_limit,
        upload: config.upload_limit,
        media: usize::try_from(config.media_limits.body()).unwrap_or(usize::MAX),
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/api/openapi.json", get(openapi_json))
        .route("/admin/certify/{id}/photo", get(review::request_photo))
        .route("/services/mail/{id}/photo/{n}", get(letters::letter_photo))
        .route("/admin/stats.csv", get(stats::stats_csv))
        .route("/admin/campaigns/{campaign}/results.csv", get(stats::results_csv))
        .route("/v/{campaign}/{number}/qr.svg", get(voting::candidate_qr))
        .route("/v/{campaign}/{number}/poster.svg", get(voting::candidate_poster))
        .route("/v/{campaign}/{number}/poster.png", get(voting::candidate_poster_png))
        .route("/v/{campaign}/card.svg", get(voting::campaign_card))
        .route("/v/{campaign}/card.png", get(voting::campaign_card_png))
        .route("/media/{kind}/{id}", get(voting::media))
        .route("/m/{token}", get(media::serve))
        .route("/m/{token}/{width}", get(media::serve_thumb))
        .route("/a/{id}/qr.svg", get(newsroom::article_qr))
        .route("/a/{id}/poster.svg", get(posters::article_poster))
        .route("/a/{id}/poster.png", get(posters::article_poster_png))
        .route("/c/{code}/atom.xml", get(newsroom::atom_feed))
        .route("/screen/events", get(newsroom::screen_events))
        .route("/c/{code}/feed.json", get(newsroom::json_feed))
        .route("/admin/newsroom/report.csv", get(newsroom::report_csv))
        .route("/admin/newsroom/ledger.csv", get(newsroom::ledger_csv))
        .route("/admin/activities/{session}/attendance.csv", get(activities::attendance_csv))
        .route("/dev/sms", get(dev_sms_inbox))
        .route("/u/{code}/qr.svg", get(invite::invite_qr))
        .route("/card/qr.svg", get(card::card_qr))
        .route("/sw.js", get(offline::service_worker))
        .route("/api/me/card/qr.svg", get(card::card_qr))
        .leptos_routes_with_context(&state, routes, context.clone(), move || app::shell(shell_options.clone()))
        .fallback(move |state: State<AppState>, request: axum::extract::Request| {
            static_file_or_not_found(state, request, files.clone(), context.clone())
        })
        // Browsers' form posts to the server functions, answered as pages.
        .layer(axum::middleware::from_fn_with_state(state.clone(), form_posts::answer_as_page))
        .layer(axum::middleware::from_fn_with_state(body_limits, limit_body))
        .layer(session_layer)
        .layer(axum::middleware::from_fn(metrics::observe))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(axum::middleware::from_fn_with_state(config.request_timeout, time_limit))
                // Outside compression: cached share pages are kept compressed.
                .layer(axum::middleware::from_fn_with_state(
                    page_cache::PageCache::new(Some(page_cache::Views {
                        store: store.clone(),
                        publishing: state.publishing.clone(),
                        proxies: proxies(&config),
                    })),
                    page_cache::serve,
                ))
                // Brotli for browsers that ask (all current ones), gzip for
                // the rest. Static bundle files are precompressed at build
                // time and served as such (see file_and_error_handler).
                .layer(CompressionLayer::new().br(true).gzip(true).compress_when(compressible()))
                // Apps' bearer tokens and CORS first: they decide whether the
                // Origin check applies (server/src/apps.rs).
                .layer(axum::middleware::from_fn_with_state(state.clone(), apps::bearer_and_cors))
                .layer(axum::middleware::from_fn_with_state(config.public_origin.clone(), origin::require_same_origin))
                .layer(axum::middleware::from_fn_with_state(limits, rate_limit::limit_account_posts))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("strict-origin-when-cross-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, frame_options))
                .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, default_policy)),
        )
        .with_state(state)
}

/// Whose `X-Forwarded-For` the server believes (`GONGHUI_TRUST_PROXY`,
/// `GONGHUI_TRUSTED_PROXIES`).
fn proxies(config: &Config) -> rate_limit::Proxies {
    config.trust_proxy.then(|| config.trusted_proxies.clone().into())
}

/// The router's table: every page's path (axum style, `/v/{campaign}`) and
/// every server function's path and method. Tests walk it.
pub fn route_table() -> (Vec<String>, Vec<(String, axum::http::Method)>) {
    let pages = generate_route_list(app::App).iter().map(|r| r.path().to_owned()).collect();
    let functions =
        leptos::server_fn::axum::server_fn_paths().map(|(path, method)| (path.to_owned(), method)).collect();
    (pages, functions)
}

/// Request body limits: uploads (rosters, photos) may be large, everything
/// else keeps the small limit (413 beyond it).
#[derive(Clone, Copy)]
struct BodyLimits {
    body: usize,
    upload: usize,
    /// The asset library's uploads (video): streamed, never buffered.
    media: usize,
}

/// Whether `path` is a server function that takes files (multipart).
/// What is worth compressing: tower-http's default (not images, not gRPC or
/// event streams, over 32 bytes), nor audio, video or PDF — already
/// compressed, and brotli over a 300 MB video would hold a core.
fn compressible() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    tower_http::compression::DefaultPredicate::new()
        .and(NotForContentType::const_new("audio/"))
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("application/pdf"))
}

/// How long an upload of the asset library may take: 300 MB of video over a
/// phone's 3 Mbit/s uplink is ~14 minutes.
const STREAMED_UPLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// Cuts off a request still running after the configured time (408), so a
/// stuck query cannot pin a worker; streamed uploads get their own, longer,
/// time (tower-http's TimeoutLayer has one time for every path).
async fn time_limit(
    State(limit): State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let limit = if is_streamed_upload(request.uri().path()) { STREAMED_UPLOAD_TIME } else { limit };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// Uploads read as a stream by their server function (each file judged and
/// capped while it arrives): the form handler passes their bodies through
/// instead of reading them whole.
pub(crate) fn is_streamed_upload(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    path == app::newsroom::api::UploadAssets::PATH
}

fn is_upload(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    [
        app::certification::api::PreviewRoster::PATH,
        app::certification::api::RequestReview::PATH,
        app::officials::api::PreviewUnits::PATH,
        app::voting::api::UploadCover::PATH,
        app::voting::api::UploadCandidatePhoto::PATH,
    ]
    .contains(&path)
}

async fn limit_body(
    State(limits): State<BodyLimits>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tower::ServiceExt;
    let path = request.uri().path();
    let limit = if is_streamed_upload(path) {
        limits.media
    } else if is_upload(path) {
        limits.upload
    } else {
        limits.body
    };
    let inner = tower::service_fn(move |request: axum::http::Request<tower_http::body::Limited<axum::body::Body>>| {
        let next = next.clone();
        async move { Ok::<_, std::convert::Infallible>(next.run(request.map(axum::body::Body::new)).await) }
    });
    match tower_http::limit::RequestBodyLimit::new(inner, limit).oneshot(request).await {
        Ok(response) => response.map(axum::body::Body::new),
        Err(never) => match never {},
    }
}

/// Files from the site root (`/pkg/*`, icons, manifest), `.br`/`.gz`
/// siblings made at build time served to browsers that take them; anything
/// else is the Chinese 404 page, rendered by Leptos.
///
/// Not `leptos_axum::file_and_error_handler` for the files themselves: in
/// leptos_axum 0.8.10 it wraps each file in `Owner::new()`, a child of
/// whatever reactive owner the worker thread last had current — often
/// another request's page still being rendered — and then
/// `extend_response` *takes* that page's response headers (its
/// Content-Security-Policy among them) onto the file. Under concurrent page
/// and bundle requests 30 % of pages lost their policy that way.
async fn static_file_or_not_found(
    State(state): State<AppState>,
    request: axum::extract::Request,
    files: tower_http::services::ServeDir,
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> axum::response::Response {
    use tower::ServiceExt;
    if matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD) && request.uri().path() != "/" {
        let mut probe = axum::extract::Request::new(axum::body::Body::empty());
        *probe.method_mut() = request.method().clone();
        *probe.uri_mut() = request.uri().clone();
        *probe.headers_mut() = request.headers().clone();
        let Ok(mut served) = files.oneshot(probe).await;
        if served.status().is_success() || served.status() == StatusCode::NOT_MODIFIED {
            if let Some(lifetime) = offline::pkg_cache_control(request.uri().path()) {
                served.headers_mut().insert(header::CACHE_CONTROL, lifetime);
            }
            return served.map(axum::body::Body::new);
        }
    }
    let not_found = leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, app::shell);
    not_found(request.uri().clone(), State(state), request).await
}

/// `GET /dev/sms`: the development SMS inbox, newest first — a page for
/// people (when the browser asks for HTML), JSON for scripts and tests; 404
/// in production.
async fn dev_sms_inbox(State(state): State<AppState>, headers: axum::http::HeaderMap) -> axum::response::Response {
    let Some(sms) = &state.dev_sms else { return StatusCode::NOT_FOUND.into_response() };
    let messages = sms.messages();
    let wants_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !wants_html {
        return axum::Json(messages).into_response();
    }
    let escape = |s: &str| html_escape::encode_text(s).into_owned();
    let rows: String = messages
        .iter()
        .map(|m| {
            format!(
                "<li><b>{}</b> {}<br>{}</li>",
                escape(&m.phone),
                app::clock::date_time_in_shanghai(m.at),
                escape(&m.text)
            )
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>开发短信收件箱</title><h1>开发短信收件箱</h1><p>仅开发环境（GONGHUI_ENV=dev）可见；最新在前。</p><ul>{rows}</ul></html>"
    );
    axum::response::Html(page).into_response()
}

/// `/api/openapi.json`: every server function described for client
/// generators (app::openapi). Built once per process: it changes only with
/// the binary, and building it walks all ~170 functions' types.
async fn openapi_json() -> impl IntoResponse {
    static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        app::openapi::document(SESSION_COOKIE).to_json().expect("the OpenAPI document is plain JSON")
    });
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}

/// 200 when the database answers, 503 (with the reason in Chinese) when it
/// does not; load balancers take the process out of rotation on 503.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let text = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, text, "ok\n"),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, text, "数据库暂时不可用\n")
        }
    }
}

/// `/readyz`: ready to take traffic — the database answers and carries
/// every migration this binary has (a load balancer keeps a process out
/// until then; `/healthz` stays the cheap liveness check).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let text = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    match state.store.migration_state().await {
        Ok((applied, expected)) if applied == expected => {
            (StatusCode::OK, text, format!("ready: migration {applied}\n"))
        }
        Ok((applied, expected)) => {
            (StatusCode::SERVICE_UNAVAILABLE, text, format!("数据库迁移未完成：已到 {applied}，需要 {expected}\n"))
        }
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, text, "数据库暂时不可用\n".to_owned())
        }
    }
}

pub use data_key::load as load_data_key;

/// Checks a roster file for the `import-roster` subcommand: every unit in
/// the tree is in reach. Returns the good entries and the problems.
pub async fn check_roster_file_for_cli(
    store: &Store,
    bytes: &[u8],
) -> anyhow::Result<(Vec<domain::RosterEntry>, Vec<String>)> {
    let rows = app::spreadsheet::read_roster_file(bytes)?;
    let (entries, errors) = domain::check_roster(&rows, app::clock::today_in_shanghai());
    let units: std::collections::HashSet<String> =
        store.units().await?.into_iter().map(|u| u.code.to_string()).collect();
    let mut problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let mut good = Vec::new();
    for entry in entries {
        if units.contains(entry.unit.as_ref()) {
            good.push(entry);
        } else {
            problems.push(format!("第 {} 行：单位代码 {} 不存在", entry.line, entry.unit));
        }
    }
    Ok((good, problems))
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops
/// accepting, lets requests under way finish, and closes the database.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Connect info gives the rate limits the client's address.
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let shutdown = async move {
        shutdown.await;
        stopping().send_replace(true);
    };
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
    store.close().await;
    Ok(())
}

/// Set once the process begins to stop.
fn stopping() -> &'static tokio::sync::watch::Sender<bool> {
    static STOPPING: std::sync::OnceLock<tokio::sync::watch::Sender<bool>> = std::sync::OnceLock::new();
    STOPPING.get_or_init(|| tokio::sync::watch::channel(false).0)
}

/// Resolves when the process begins to stop: responses that would stream
/// for hours (the big screen's events) end then, or graceful shutdown would
/// wait for the screen to disconnect — and systemd would kill the process.
pub(crate) async fn until_stopping() {
    let mut stopping = stopping().subscribe();
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// Resolves on SIGTERM (what process managers send) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
