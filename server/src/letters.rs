//! `GET /services/mail/{id}/photo/{n}`: a photo attached to a letter, for
//! its writer and the letter's handlers only. Never cached: personal data,
//! opened for this response only.

use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use crate::AppState;

pub async fn letter_photo(
    State(state): State<AppState>,
    Path((id, n)): Path<(i64, i32)>,
    request: Request,
) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let member = match app::accounts::session::member(&state.store, &session).await {
        Ok(Some(member)) => member,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => return error.status().into_response(),
    };
    // The letter's page decides who may see it; its photos follow.
    if let Err(error) = app::mailboxes::service::letter(&state.store, &state.data_key, member, id).await {
        return error.status().into_response();
    }
    match state.store.letter_photo(id, n, &state.data_key).await {
        Ok(Some((bytes, content_type))) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => app::error::AppError::from_store("letter_photo", error).status().into_response(),
    }
}
