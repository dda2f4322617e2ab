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
    let (found, candidate) = match campaign_candidate(&state, &campaign, &number).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (number, origin) = (candidate.number, origin_of(&state, &headers));
    let link = format!("{origin}/v/{}/{number}", found.slug);
    let Ok(qr) = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let image = qr.render::<svg::Color>().min_dimensions(180, 180).quiet_zone(true).build();
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")], image).into_response()
}

/// `GET /v/{campaign}/{number}/poster.svg`: a phone-sized poster (750×1334)
/// of the candidate with the page's QR code, to save and send in a chat.
/// SVG, drawn by the phone with its own fonts (a PNG would need a CJK font on
/// the server).
pub async fn candidate_poster(
    State(state): State<AppState>,
    Path((campaign, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (found, candidate) = match campaign_candidate(&state, &campaign, &number).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (number, origin) = (candidate.number, origin_of(&state, &headers));
    let link = format!("{origin}/v/{}/{number}", found.slug);
    let Ok(qr) = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let qr = qr.render::<svg::Color>().min_dimensions(320, 320).quiet_zone(true).build();
    let qr = place_svg(&qr, r#"x="215" y="860" width="320" height="320""#);
    let poster = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334" viewBox="0 0 750 1334" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif">
<rect width="750" height="1334" fill="#fdecef"/>
<rect width="750" height="420" fill="#c8102e"/>
<text x="375" y="120" fill="#ffffff" font-size="40" text-anchor="middle">{campaign}</text>
<text x="375" y="300" fill="#ffffff" font-size="150" font-weight="700" text-anchor="middle">{number:02}</text>
<text x="375" y="370" fill="#ffffff" font-size="34" text-anchor="middle">号候选人</text>
<text x="375" y="560" fill="#1f1f1f" font-size="88" font-weight="700" text-anchor="middle">{name}</text>
<text x="375" y="650" fill="#5c5c5c" font-size="34" text-anchor="middle">{unit}</text>
<text x="375" y="710" fill="#5c5c5c" font-size="34" text-anchor="middle">{title}</text>
<text x="375" y="810" fill="#a00d25" font-size="38" text-anchor="middle">长按识别二维码，为TA投票</text>
{qr}
<text x="375" y="1260" fill="#5c5c5c" font-size="26" text-anchor="middle">{union}</text>
</svg>"##,
        campaign = xml(&found.title),
        name = xml(&candidate.name),
        unit = xml(&candidate.unit_name),
        title = xml(&candidate.title),
        union = xml(&found.unit_name),
    );
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")], poster).into_response()
}

/// Campaign `slug` and its approved candidate `number`, or the response
/// to send instead (404, or the store's trouble).
async fn campaign_candidate(
    state: &AppState,
    slug: &str,
    number: &str,
) -> Result<(store::Campaign, store::Candidate), Response> {
    let trouble = |error| app::error::AppError::from_store("candidate", error).status().into_response();
    let found = state
        .store
        .campaign_by_slug(slug)
        .await
        .map_err(trouble)?
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let number: i32 = number.parse().map_err(|_| StatusCode::NOT_FOUND.into_response())?;
    let candidate = state
        .store
        .candidates(found.id)
        .await
        .map_err(trouble)?
        .into_iter()
        .find(|c| c.number == number)
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    Ok((found, candidate))
}

/// The origin links in QR codes point at: the configured public origin, or
/// the one this request came to.
pub(crate) fn origin_of(state: &AppState, headers: &HeaderMap) -> String {
    match &state.config.public_origin {
        Some(origin) => origin.clone(),
        None => {
            format!("http://{}", headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:3000"))
        }
    }
}

/// An SVG document as an element inside another: the XML declaration
/// dropped and its own size attributes replaced by `placement` (an element
/// may not repeat an attribute, or the poster would not parse).
fn place_svg(svg: &str, placement: &str) -> String {
    let svg = svg.find("<svg").map_or(svg, |at| &svg[at..]);
    let end = svg.find('>').unwrap_or(svg.len());
    let (open, rest) = svg.split_at(end);
    let attributes: Vec<&str> = open["<svg".len()..]
        .split_whitespace()
        .filter(|a| {
            !a.starts_with("width=") && !a.starts_with("height=") && !a.starts_with("x=") && !a.starts_with("y=")
        })
        .collect();
    format!("<svg {placement} {}{rest}", attributes.join(" "))
}

/// Text safe inside SVG (XML) elements and double-quoted attributes.
fn xml(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// `GET /media/{kind}/{id}`: a campaign's cover or a candidate's photo.
/// Public; the URL changes when the picture does (`?v=`), so it caches long.
pub async fn media(State(state): State<AppState>, Path((kind, id)): Path<(String, i64)>) -> Response {
    let Some(kind) = store::MediaKind::parse(&kind) else { return StatusCode::NOT_FOUND.into_response() };
    match state.store.media(kind, id).await {
        Ok(Some((content_type, bytes))) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_owned()),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => app::error::AppError::from_store("media", error).status().into_response(),
    }
}
