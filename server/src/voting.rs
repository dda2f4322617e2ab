//! `GET /v/{campaign}/{number}/qr.svg`: the QR code of a candidate's share
//! page, for posters and for saving into a chat; the candidate's poster
//! (`poster.svg`, `poster.png`) and the campaign's link-preview card
//! (`/v/{campaign}/card.svg`, `card.png`).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::posters::{fitted_size, qr_element, svg_response, text_lines, wrap, xml, FONT_FAMILY};
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
/// of the candidate with the page's QR code, to save and send in a chat;
/// drawn by the phone with its own fonts.
pub async fn candidate_poster(
    State(state): State<AppState>,
    Path((campaign, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match candidate_poster_svg(&state, &campaign, &number, &headers).await {
        Ok((svg, _)) => svg_response(svg),
        Err(response) => response,
    }
}

/// `GET /v/{campaign}/{number}/poster.png`: the same poster as PNG — what a
/// long press saves in chat apps' webviews, and the page's `og:image` when
/// the candidate has no photo. The SVG (302) when it cannot be drawn.
pub async fn candidate_poster_png(
    State(state): State<AppState>,
    Path((campaign, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match candidate_poster_svg(&state, &campaign, &number, &headers).await {
        Ok((svg, svg_address)) => state.posters.respond(svg, crate::posters::POSTER, &svg_address).await,
        Err(response) => response,
    }
}

/// The candidate poster's SVG text (what both routes answer) and the SVG's
/// address; 404 for an unknown campaign or candidate.
async fn candidate_poster_svg(
    state: &AppState,
    campaign: &str,
    number: &str,
    headers: &HeaderMap,
) -> Result<(String, String), Response> {
    let (found, candidate) = campaign_candidate(state, campaign, number).await?;
    let (number, origin) = (candidate.number, origin_of(state, headers));
    let link = format!("{origin}/v/{}/{number}", found.slug);
    let qr = qr_element(&link, 215, 860, 320).ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    // A campaign's title may run to 60 characters: two lines of 16 at 40 px.
    let campaign_lines = wrap(&found.title, 32, 2);
    let campaign_y = if campaign_lines.len() > 1 { 95 } else { 120 };
    let campaign_title = text_lines(&campaign_lines, 375, campaign_y, 50, r##"fill="#ffffff" font-size="40""##);
    let one_line = |text: &str| wrap(text, 36, 1).pop().unwrap_or_default();
    let poster = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334" viewBox="0 0 750 1334" font-family="{FONT_FAMILY}">
<rect width="750" height="1334" fill="#fdecef"/>
<rect width="750" height="420" fill="#c8102e"/>
{campaign_title}
<text x="375" y="300" fill="#ffffff" font-size="150" font-weight="700" text-anchor="middle">{number:02}</text>
<text x="375" y="370" fill="#ffffff" font-size="34" text-anchor="middle">号候选人</text>
<text x="375" y="560" fill="#1f1f1f" font-size="{name_size}" font-weight="700" text-anchor="middle">{name}</text>
<text x="375" y="650" fill="#5c5c5c" font-size="34" text-anchor="middle">{unit}</text>
<text x="375" y="710" fill="#5c5c5c" font-size="34" text-anchor="middle">{title}</text>
<text x="375" y="810" fill="#a00d25" font-size="38" text-anchor="middle">长按识别二维码，为TA投票</text>
{qr}
<text x="375" y="1260" fill="#5c5c5c" font-size="26" text-anchor="middle">{union}</text>
</svg>"##,
        name_size = fitted_size(&candidate.name, 88, 650),
        name = xml(&candidate.name),
        unit = xml(&one_line(&candidate.unit_name)),
        title = xml(&one_line(&candidate.title)),
        union = xml(&found.unit_name),
    );
    Ok((poster, format!("/v/{}/{number}/poster.svg", found.slug)))
}

/// `GET /v/{campaign}/card.svg`: the campaign as a link-preview card
/// (1200×630): its title, the union running it, the voting days and the QR
/// code of its page.
pub async fn campaign_card(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    headers: HeaderMap,
) -> Response {
    match campaign_card_svg(&state, &campaign, &headers).await {
        Ok((svg, _)) => svg_response(svg),
        Err(response) => response,
    }
}

/// `GET /v/{campaign}/card.png`: the card as PNG, the campaign page's
/// `og:image` when it has no cover. The SVG (302) when it cannot be drawn.
pub async fn campaign_card_png(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    headers: HeaderMap,
) -> Response {
    match campaign_card_svg(&state, &campaign, &headers).await {
        Ok((svg, svg_address)) => state.posters.respond(svg, crate::posters::CARD, &svg_address).await,
        Err(response) => response,
    }
}

async fn campaign_card_svg(state: &AppState, slug: &str, headers: &HeaderMap) -> Result<(String, String), Response> {
    let voting = app::voting::service::campaign_for_voting(&state.store, slug)
        .await
        .map_err(|error| error.status().into_response())?;
    let found = &*voting.0;
    let link = format!("{}/v/{}", origin_of(state, headers), found.slug);
    let qr = qr_element(&link, 860, 120, 300).ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    // Eleven characters a line at 60 px in the 780 px red panel, three lines.
    let title_lines = wrap(&found.title, 22, 3);
    let title_y = 270 - 40 * (title_lines.len() as u32 - 1).min(2);
    let title = text_lines(&title_lines, 390, title_y, 80, r##"fill="#ffffff" font-size="60" font-weight="700""##);
    // Voting runs from its first day to the day before publicity starts
    // (Shanghai midnights).
    let (first, last) = (
        domain::CivilDate::in_shanghai(found.schedule.voting_starts),
        domain::CivilDate::in_shanghai(found.schedule.publicity_starts - 1),
    );
    let last_year = if last.year() == first.year() { String::new() } else { format!("{}年", last.year()) };
    let days = format!(
        "投票时间：{}年{}月{}日 — {last_year}{}月{}日",
        first.year(),
        first.month(),
        first.day(),
        last.month(),
        last.day()
    );
    let svg = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630" font-family="{FONT_FAMILY}">
<rect width="1200" height="630" fill="#fdecef"/>
<rect width="780" height="630" fill="#c8102e"/>
<text x="390" y="110" fill="#ffffff" fill-opacity="0.9" font-size="{union_size}" text-anchor="middle">{union}</text>
{title}
<text x="390" y="540" fill="#ffffff" font-size="30" text-anchor="middle">{days}</text>
{qr}
<text x="1010" y="480" fill="#a00d25" font-size="32" text-anchor="middle">扫码参与投票</text>
</svg>"##,
        union_size = fitted_size(&found.unit_name, 36, 680),
        union = xml(&found.unit_name),
        days = xml(&days),
    );
    Ok((svg, format!("/v/{}/card.svg", found.slug)))
}

/// Campaign `slug` and its approved candidate `number`, or the response
/// to send instead (404, or the store's trouble). Read through the share
/// pages' cache (a few seconds old at most): a shared link's QR code and
/// poster are fetched by everyone who opens it.
async fn campaign_candidate(
    state: &AppState,
    slug: &str,
    number: &str,
) -> Result<(std::sync::Arc<store::Campaign>, store::Candidate), Response> {
    let voting = app::voting::service::campaign_for_voting(&state.store, slug)
        .await
        .map_err(|error| error.status().into_response())?;
    let number: i32 = number.parse().map_err(|_| StatusCode::NOT_FOUND.into_response())?;
    let candidate =
        voting.1.iter().find(|c| c.number == number).cloned().ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    Ok((voting.0.clone(), candidate))
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
