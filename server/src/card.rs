//! `GET /card/qr.svg`: the signed-in, certified member's card QR code — a
//! fresh signed verification link every time (never cached). Apps fetch
//! it as `GET /api/me/card/qr.svg` with their bearer token.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use tower_sessions::Session;

use crate::AppState;

pub async fn card_qr(State(state): State<AppState>, request: Request) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let bearer = request.extensions().get::<app::apps::service::Bearer>().map(|b| b.member);
    let signed_in = match bearer {
        Some(member) => Ok(Some(member)),
        None => app::accounts::session::member(&state.store, &session).await,
    };
    let member = match signed_in {
        Ok(Some(member)) => member,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => return error.status().into_response(),
    };
    match state.store.member_by_id(member).await {
        Ok(Some(m)) if m.certified_member_no.is_some() => {}
        Ok(_) => return StatusCode::FORBIDDEN.into_response(),
        Err(error) => return app::error::AppError::from_store("card_qr", error).status().into_response(),
    }
    let token = app::card::service::card_token(&state.data_key, member, app::clock::now());
    let origin = match &state.config.public_origin {
        Some(origin) => origin.clone(),
        None => {
            let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:3000");
            format!("http://{host}")
        }
    };
    let link = format!("{origin}/card/check/{token}");
    let Ok(qr) = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let image = qr.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], image).into_response()
}
