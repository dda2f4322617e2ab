//! `GET /admin/stats.csv?unit=CODE`: the dashboard's figures as CSV, for
//! officials (their reach only). UTF-8 with a byte-order mark, because that
//! is how Excel — what officials open it with — recognises UTF-8 Chinese.

use axum::extract::{Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::stats::{SortKey, UnitStats};
use tower_sessions::Session;

use crate::AppState;

#[derive(serde::Deserialize)]
pub struct StatsQuery {
    unit: Option<String>,
}

pub async fn stats_csv(State(state): State<AppState>, Query(query): Query<StatsQuery>, request: Request) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let plain = |status: StatusCode, message: String| {
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
    };
    let actor = match app::services::admin::official(&state.store, &session).await {
        Ok(actor) => actor,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let dashboard =
        match app::services::stats::dashboard(&state.store, &actor, query.unit.as_deref(), SortKey::Name, true).await {
            Ok(dashboard) => dashboard,
            Err(error) => return plain(error.status(), error.to_string()),
        };
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let row = |w: &mut csv::Writer<Vec<u8>>, s: &UnitStats| {
        let c = s.counts;
        w.write_record([
            s.code.clone(),
            s.name.clone(),
            c.roster.to_string(),
            c.registered.to_string(),
            c.certified.to_string(),
            c.rate_text(),
        ])
    };
    let written = out
        .write_record(["单位代码", "单位名称", "名册人数", "已注册", "已认证", "认证率"])
        .and_then(|()| row(&mut out, &dashboard.focus))
        .and_then(|()| dashboard.children.iter().try_for_each(|s| row(&mut out, s)));
    let Some(bytes) = written.ok().and_then(|()| out.into_inner().ok()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let file = format!("attachment; filename=\"stats-{}.csv\"", dashboard.focus.code);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
