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
