//! `GET /admin/stats.csv?unit=CODE`: the dashboard's figures as CSV, for
//! officials (their reach only). UTF-8 with a byte-order mark, because that
//! is how Excel — what officials open it with — recognises UTF-8 Chinese.

use axum::extract::{Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::stats::{SortKey, UnitStats};
use tower_sessions::Session;

use crate::AppState;

/// A refusal as plain Chinese text under its status (a download link has no
/// page to show it on).
pub(crate) fn plain(status: StatusCode, message: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

/// Writes `rows` after `header` as CSV with a UTF-8 byte-order mark, served
/// as a private download named `file`.
pub(crate) fn csv_download(file: &str, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Response {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let written = out.write_record(header).and_then(|()| rows.into_iter().try_for_each(|row| out.write_record(&row)));
    let Some(bytes) = written.ok().and_then(|()| out.into_inner().ok()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
pub struct StatsQuery {
    unit: Option<String>,
}

pub async fn stats_csv(State(state): State<AppState>, Query(query): Query<StatsQuery>, request: Request) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let actor = match app::officials::service::official(&state.store, &session).await {
        Ok(actor) => actor,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let dashboard =
        match app::stats::service::dashboard(&state.store, &actor, query.unit.as_deref(), SortKey::Name, true).await {
            Ok(dashboard) => dashboard,
            Err(error) => return plain(error.status(), error.to_string()),
        };
    let row = |s: &UnitStats| {
        let c = s.counts;
        vec![
            s.code.clone(),
            s.name.clone(),
            c.roster.to_string(),
            c.registered.to_string(),
            c.certified.to_string(),
            c.rate_text(),
        ]
    };
    let rows = std::iter::once(&dashboard.focus).chain(&dashboard.children).map(row);
    csv_download(
        &format!("stats-{}.csv", dashboard.focus.code),
        &["单位代码", "单位名称", "名册人数", "已注册", "已认证", "认证率"],
        rows,
    )
}

/// `GET /admin/campaigns/{slug}/results.csv`: a campaign's results with the
/// expert panel's scores and the final scores, for its officials.
pub async fn results_csv(
    State(state): State<AppState>,
    axum::extract::Path(campaign): axum::extract::Path<String>,
    request: Request,
) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let actor = match app::officials::service::official(&state.store, &session).await {
        Ok(actor) => actor,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let found = match app::voting::service::campaign_in_reach(&state.store, &actor, &campaign).await {
        Ok(found) => found,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let rows = match app::voting::service::results(&state.store, &found).await {
        Ok(rows) => rows,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let lines = rows.iter().map(|r| {
        vec![
            r.rank.to_string(),
            r.number.to_string(),
            r.name.clone(),
            r.unit_name.clone(),
            r.votes.to_string(),
            r.expert_score.map(|s| s.to_string()).unwrap_or_default(),
            r.final_text(),
        ]
    });
    csv_download(
        &format!("results-{}.csv", found.slug),
        &["排名", "编号", "姓名", "单位", "网络票数", "专家评分", "综合得分"],
        lines,
    )
}
