//! `GET /admin/certify/{id}/photo`: a manual certification request's
//! union-card photo, for officials whose reach covers the request's unit.
//! Never cached: it is personal data, decrypted for this response only.

use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::AppState;

pub async fn request_photo(State(state): State<AppState>, Path(id): Path<i64>, request: Request) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let actor = match app::officials::service::official(&state.store, &session).await {
        Ok(actor) => actor,
        Err(error) => return error.status().into_response(),
    };
    match state.store.certify_request_photo(&actor, id, &state.data_key).await {
        Ok(Some((bytes, content_type))) => private_image(bytes, content_type),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => app::error::AppError::from_store("request_photo", error).status().into_response(),
    }
}

/// A picture that is personal data, opened for this response only: never
/// cached, and nothing in it may run (a crafted file is not a page).
pub fn private_image(bytes: Vec<u8>, content_type: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
