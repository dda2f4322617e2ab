//! `GET /v/{campaign}/{number}/qr.svg`: the QR code of a candidate's share
//! page, for posters and for saving into a chat.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::AppState;

pub async fn candidate_qr(
    State(state): State<AppState>,
    Path((campaign, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let found = match state.store.campaign_by_slug(&campaign).await {
        Ok(Some(c)) => c,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return app::error::AppError::from_store("candidate_qr", error).status().into_response(),
    };
    let number: i32 = match number.parse() {
        Ok(n) => n,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    match state.store.candidates(found.id).await {
        Ok(list) if list.iter().any(|c| c.number == number) => {}
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return app::error::AppError::from_store("candidate_qr", error).status().into_response(),
    }
    let origin = match &state.config.public_origin {
        Some(origin) => origin.clone(),
        None => format!("http://{}", headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:3000")),
    };
    let link = format!("{origin}/v/{}/{number}", found.slug);
    let Ok(qr) = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let image = qr.render::<svg::Color>().min_dimensions(180, 180).quiet_zone(true).build();
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")], image).into_response()
}
