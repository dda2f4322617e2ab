//! `GET /a/{id}/qr.svg`: an article's QR code; and
//! `GET /admin/newsroom/report.csv` and `/admin/newsroom/ledger.csv`
//! (`?unit=CODE&quarter=2026Q4`): the quarterly 通报 and the 稿酬 ledger of
//! a subtree as CSV with a byte-order mark (Excel's cue for UTF-8), for
//! officials, within their reach.

use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::stats::{csv_download, plain};
use crate::AppState;

#[derive(serde::Deserialize)]
pub struct FiguresQuery {
    unit: Option<String>,
    quarter: Option<String>,
}

async fn period(
    state: &AppState,
    query: &FiguresQuery,
    session: Option<Session>,
) -> Result<app::newsroom::figures::Period, Response> {
    let Some(session) = session else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    let actor = app::officials::service::official(&state.store, &session)
        .await
        .map_err(|e| plain(e.status(), e.to_string()))?;
    let now = app::clock::now();
    app::newsroom::figures::period(&state.store, &actor, query.unit.as_deref(), query.quarter.as_deref(), now)
        .await
        .map_err(|e| plain(e.status(), e.to_string()))
}

pub async fn report_csv(
    State(state): State<AppState>,
    Query(query): Query<FiguresQuery>,
    request: Request,
) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let period = match period(&state, &query, session).await {
        Ok(period) => period,
        Err(response) => return response,
    };
    let report = match app::newsroom::figures::quarter_report(&state.store, &period, app::clock::now()).await {
        Ok(report) => report,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    csv_download(
        &format!("tongbao-{}-{}.csv", period.unit_code, period.quarter.code()),
        &app::newsroom::figures::REPORT_HEADER,
        app::newsroom::figures::report_rows(&report),
    )
}

pub async fn ledger_csv(
    State(state): State<AppState>,
    Query(query): Query<FiguresQuery>,
    request: Request,
) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let period = match period(&state, &query, session).await {
        Ok(period) => period,
        Err(response) => return response,
    };
    let entries = match app::newsroom::figures::ledger(&state.store, &period).await {
        Ok(entries) => entries,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    csv_download(
        &format!("gaochou-{}-{}.csv", period.unit_code, period.quarter.code()),
        &app::newsroom::figures::LEDGER_HEADER,
        app::newsroom::figures::ledger_rows(&entries),
    )
}

#[derive(serde::Deserialize)]
pub struct QrQuery {
    s: Option<String>,
}

/// The QR code of article `id`'s share link (with the sharer's tag, when
/// it is one of ours: 32 hex characters), for saving into a chat. Nothing
/// but this site's article links can be encoded here.
pub async fn article_qr(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Query(query): Query<QrQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    use qrcode::render::svg;
    let origin = crate::voting::origin_of(&state, &headers);
    let link = match app::newsroom::publishing::share_tag(query.s) {
        Some(tag) => format!("{origin}/a/{id}?s={tag}"),
        None => format!("{origin}/a/{id}"),
    };
    let Ok(qr) = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let image = qr.render::<svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        image,
    )
        .into_response()
}

/// Articles a feed carries: the newest 50.
const FEED_ENTRIES: i64 = 50;

async fn syndicated(state: &AppState, code: &str) -> Result<(String, Vec<store::Article>), Response> {
    let unavailable = |e: store::StoreError| {
        tracing::error!(error = %e, "feed");
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    };
    let name = state
        .store
        .unit_name_of(code)
        .await
        .map_err(unavailable)?
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let articles = state.store.syndicated(code, app::clock::now(), FEED_ENTRIES).await.map_err(unavailable)?;
    Ok((name, articles))
}

/// `GET /c/{code}/atom.xml`: the channel's outward articles as Atom.
pub async fn atom_feed(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    match syndicated(&state, &code).await {
        Ok((name, articles)) => {
            let origin = crate::voting::origin_of(&state, &headers);
            let body = app::newsroom::syndication::atom(&origin, &code, &name, &articles);
            (
                [
                    (axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                    (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
                ],
                body,
            )
                .into_response()
        }
        Err(response) => response,
    }
}

/// `GET /c/{code}/feed.json`: the same as JSON Feed 1.1.
pub async fn json_feed(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    match syndicated(&state, &code).await {
        Ok((name, articles)) => {
            let origin = crate::voting::origin_of(&state, &headers);
            let body = app::newsroom::syndication::json_feed(&origin, &code, &name, &articles);
            (
                [
                    (axum::http::header::CONTENT_TYPE, "application/feed+json; charset=utf-8"),
                    (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
                ],
                body,
            )
                .into_response()
        }
        Err(response) => response,
    }
}

/// How often the big screen gets a new rendering.
const SCREEN_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// `GET /screen/events`: server-sent events for the big screen (`/screen`),
/// each the screen's HTML re-rendered from figures at most 30 s old (the
/// rankings' cache), every 5 s for as long as the screen is open.
pub async fn screen_events(
    State(state): State<AppState>,
) -> axum::response::sse::Sse<
    impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
> {
    let stream = futures_util::stream::unfold(state, |state| async move {
        tokio::time::sleep(SCREEN_EVERY).await;
        let html = match app::newsroom::rankings::screen(&state.store).await {
            Ok(view) => app::newsroom::pages::rankings::screen_html(view),
            Err(error) => {
                tracing::warn!(%error, "screen");
                String::new()
            }
        };
        Some((Ok(axum::response::sse::Event::default().event("message").data(html)), state))
    });
    let stream = futures_util::StreamExt::take_until(stream, Box::pin(crate::until_stopping()));
    axum::response::sse::Sse::new(stream).keep_alive(axum::response::sse::KeepAlive::default())
}
