//! Invite links and their QR codes: every unit's link opens /register with
//! that unit chosen, so a poster on a workshop wall or a picture in a chat
//! group brings members straight into the right union.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::UnitCode;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::AppState;

/// `GET /u/{code}/qr.svg`: the QR code of the unit's invite link.
pub async fn invite_qr(State(state): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let Ok(code) = UnitCode::parse(code.trim_end_matches(".svg")) else { return StatusCode::NOT_FOUND.into_response() };
    match state.store.unit_exists(&code).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return app::error::AppError::from_store("invite_qr", error).status().into_response(),
    }
    let link = invite_link(state.config.public_origin.as_deref(), &headers, &code);
    // Level M survives a little smudging on a printed poster.
    let Ok(qr) = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let image = qr.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).build();
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], image).into_response()
}

/// The absolute invite link: the configured public origin, or the origin
/// this request came to.
pub fn invite_link(public_origin: Option<&str>, headers: &HeaderMap, code: &UnitCode) -> String {
    let origin = match public_origin {
        Some(origin) => origin.to_owned(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:3000");
            format!("http://{host}")
        }
    };
    format!("{origin}/register?unit={code}")
}
