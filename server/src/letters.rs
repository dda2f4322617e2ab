//! `GET /services/mail/{id}/photo/{n}`: a photo attached to a letter, for
//! its writer and the letter's handlers only. Never cached: personal data,
//! opened for this response only.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
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
    // Whoever may read the letter may see its photos.
    if let Err(error) = app::mailboxes::service::may_read(&state.store, member, id).await {
        return error.status().into_response();
    }
    match state.store.letter_photo(id, n, &state.data_key).await {
        Ok(Some((bytes, content_type))) => crate::review::private_image(bytes, content_type),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => app::error::AppError::from_store("letter_photo", error).status().into_response(),
    }
}
