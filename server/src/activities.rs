//! `GET /admin/activities/{session}/attendance.csv`: a session's sign-ups
//! for its officials (their reach only), as Excel opens them (UTF-8 with a
//! byte-order mark). Phones are masked here as on screen.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::stats::{csv_download, plain};
use crate::AppState;

pub async fn attendance_csv(State(state): State<AppState>, Path(session): Path<String>, request: Request) -> Response {
    let Some(browser) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let actor = match app::officials::service::official(&state.store, &browser).await {
        Ok(actor) => actor,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let Ok(id) = session.trim_end_matches(".csv").parse::<i64>() else {
        return plain(StatusCode::NOT_FOUND, "没有这场活动".to_owned());
    };
    let page = match app::activities::service::attendance(&state.store, &state.data_key, &actor, id).await {
        Ok(page) => page,
        Err(error) => return plain(error.status(), error.to_string()),
    };
    let rows = page.lines.into_iter().map(|l| {
        vec![
            l.seat.map(|s| s.to_string()).unwrap_or_default(),
            l.name,
            l.phone,
            l.unit_name,
            l.status,
            l.checked_in.unwrap_or_default(),
        ]
    });
    csv_download(&format!("attendance-{id}.csv"), &["座位", "姓名", "手机", "单位", "状态", "签到时间"], rows)
}
