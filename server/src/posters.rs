//! Share posters as PNG, and the article poster.
//!
//! The share posters (a candidate's, an article's, a campaign's card) are
//! drawn as SVG text here and in `voting.rs`; chat apps and app webviews will
//! not save an SVG from a long press, nor show one as a link preview
//! (`og:image`), so each also has a `.png` twin, rendered by the `poster`
//! crate from the same SVG text.
//!
//! A render costs ≈ 21 ms of CPU in a release build (≈ 400 ms in debug) and
//! a 750×1334 canvas is 4 MB of pixels while it lasts, so: renders run on
//! the blocking pool (`spawn_blocking`), at most one per core at a time, and
//! each PNG is kept 10 minutes keyed by a hash of the SVG text it came from
//! (a shared link's poster is fetched by every phone that opens the chat,
//! and by the chat app's preview crawler). Keying by the text means an
//! official's edit (a name, a title) draws a new poster at once, with no
//! version to bump. Where no PNG can be drawn — no CJK font installed, or a
//! render failed — the PNG address redirects to the SVG: a share link that
//! answers 503 is worse than one that answers SVG.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::AppState;

/// PNG posters kept: ≈ 40 KB each (a campaign card ≈ 30 KB), so 500 is
/// ≈ 20 MB — every candidate of a few large campaigns and the day's articles.
const CACHED_POSTERS: u64 = 500;

/// How long a rendered PNG is kept. Browsers and proxies keep it an hour
/// (`Cache-Control`); here it only has to outlive a burst of shares.
const CACHED_FOR: Duration = Duration::from_secs(10 * 60);

/// What every share poster asks for: the phones' own CJK faces first (the
/// SVG is drawn by the phone), then the server's (the PNG; see `poster`).
pub(crate) const FONT_FAMILY: &str = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";

/// The share posters' size, a phone screen at 2× (750×1334).
pub(crate) const POSTER: (u32, u32) = (750, 1334);

/// A link preview's size (Open Graph's recommended 1.91:1).
pub(crate) const CARD: (u32, u32) = (1200, 630);

/// The one font database of the process: `Renderer::new` reads the font
/// directories and holds the CJK files in memory (5 MB for WenQuanYi Micro
/// Hei, up to 64 MB with Noto CJK), so it is built once, not per router.
static RENDERER: OnceLock<Arc<poster::Renderer>> = OnceLock::new();

/// Set once a warning about posters falling back to SVG has been logged:
/// a missing font would otherwise log on every share.
static WARNED: AtomicBool = AtomicBool::new(false);

/// Renders share posters to PNG and keeps the results (one per router).
#[derive(Clone)]
pub struct Posters {
    renderer: Arc<poster::Renderer>,
    /// PNG (or `None`: could not be drawn) by the hash of its SVG and size.
    rendered: moka::sync::Cache<u64, Option<Bytes>>,
    /// Renders under way at most: one per core.
    renders: Arc<tokio::sync::Semaphore>,
    /// Keys the hashes per process, so nobody can aim two posters' texts
    /// at one cache entry.
    keys: std::hash::RandomState,
}

impl Default for Posters {
    fn default() -> Self {
        Self::new()
    }
}

impl Posters {
    /// The process's renderer (built, and its font logged, the first time)
    /// and an empty cache.
    pub fn new() -> Self {
        let renderer = RENDERER.get_or_init(load_renderer).clone();
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            renderer,
            rendered: moka::sync::Cache::builder().max_capacity(CACHED_POSTERS).time_to_live(CACHED_FOR).build(),
            renders: Arc::new(tokio::sync::Semaphore::new(cores)),
            keys: std::hash::RandomState::new(),
        }
    }

    /// `svg` as a `width`×`height` PNG, kept or rendered now; `None` when it
    /// cannot be drawn (logged).
    pub async fn png(&self, svg: String, (width, height): (u32, u32)) -> Option<Bytes> {
        // Every poster has Chinese text: without a CJK face it would be boxes.
        if !self.renderer.has_cjk() {
            return None;
        }
        let key = self.keys.hash_one((svg.as_str(), width, height));
        let kept = self.rendered.get(&key);
        crate::metrics::cache_lookup("posters", kept.is_some());
        if let Some(kept) = kept {
            return kept;
        }
        let _turn = self.renders.acquire().await.ok()?;
        let (renderer, rendered) = (self.renderer.clone(), self.rendered.clone());
        // `get_with` draws a poster once when several requests for it arrive
        // together (a link just posted in a busy group); the others wait.
        let drawn = tokio::task::spawn_blocking(move || {
            rendered.get_with(key, || match renderer.render_png(&svg, width, height) {
                Ok(png) => Some(Bytes::from(png)),
                Err(error) => {
                    warn_once(&error);
                    None
                }
            })
        })
        .await;
        drawn.unwrap_or_else(|error| {
            tracing::error!(%error, "a poster render stopped");
            None
        })
    }

    /// The PNG of `svg` as a response (`image/png`, an hour in caches),
    /// or a redirect to `svg_address` when it cannot be drawn.
    pub async fn respond(&self, svg: String, size: (u32, u32), svg_address: &str) -> Response {
        match self.png(svg, size).await {
            Some(png) => ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "public, max-age=3600")], png)
                .into_response(),
            // Not kept anywhere: once a font is installed the PNG is served.
            None => (StatusCode::FOUND, [(header::LOCATION, svg_address), (header::CACHE_CONTROL, "no-store")])
                .into_response(),
        }
    }
}

fn load_renderer() -> Arc<poster::Renderer> {
    let started = std::time::Instant::now();
    let renderer = poster::Renderer::new();
    let ms = started.elapsed().as_millis();
    match renderer.cjk_family() {
        Some(family) => tracing::info!(family, ms, "share posters are drawn as PNG with this CJK font"),
        None => {
            WARNED.store(true, Ordering::Relaxed);
            tracing::warn!(
                dirs = ?poster::font_dirs_from_env(),
                "no CJK font found: share posters are answered as SVG only (install fonts-wqy-microhei, or name a \
                 directory in {})",
                poster::FONT_DIRS_VAR
            );
        }
    }
    Arc::new(renderer)
}

fn warn_once(error: &poster::PosterError) {
    if WARNED.swap(true, Ordering::Relaxed) {
        tracing::debug!(%error, "a poster could not be drawn as PNG");
    } else {
        tracing::warn!(%error, "a poster could not be drawn as PNG: answering with its SVG (logged once)");
    }
}

/// An SVG poster as a response.
pub(crate) fn svg_response(svg: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")], svg).into_response()
}

/// The QR code of `link` as an element of a poster, `size` px square at
/// (`x`, `y`); `None` if the link is too long for a QR code.
pub(crate) fn qr_element(link: &str, x: u32, y: u32, size: u32) -> Option<String> {
    let qr = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok()?;
    let qr = qr.render::<svg::Color>().min_dimensions(size, size).quiet_zone(true).build();
    Some(place_svg(&qr, &format!(r#"x="{x}" y="{y}" width="{size}" height="{size}""#)))
}

/// An SVG document as an element inside another: the XML declaration
/// dropped and its own size attributes replaced by `placement` (an element
/// may not repeat an attribute, or the poster would not parse).
pub(crate) fn place_svg(svg: &str, placement: &str) -> String {
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
pub(crate) fn xml(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// How wide `c` is drawn, in half-ems: ASCII is about half a CJK character.
fn half_ems(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Punctuation a Chinese line may not start with (it stays on the line before).
fn closes(c: char) -> bool {
    "，。、：；！？）》」』”’…,.;:!?)".contains(c)
}

/// `text` broken into at most `lines` lines of `width` half-ems (a CJK
/// character is 2, ASCII 1: Chinese has no spaces to break at), the last
/// one ending in … when the text does not fit. Line breaks and runs of
/// spaces in `text` count as one space.
pub(crate) fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut wrapped: Vec<String> = Vec::new();
    let (mut line, mut used) = (String::new(), 0);
    for c in text.chars() {
        if used + half_ems(c) > width && !line.is_empty() && !closes(c) {
            wrapped.push(std::mem::take(&mut line));
            used = 0;
            if c == ' ' {
                continue;
            }
        }
        line.push(c);
        used += half_ems(c);
    }
    if !line.is_empty() {
        wrapped.push(line);
    }
    if wrapped.len() > lines {
        wrapped.truncate(lines);
        if let Some(last) = wrapped.last_mut() {
            while !last.is_empty() && last.chars().map(half_ems).sum::<usize>() + 2 > width {
                last.pop();
            }
            *last = format!("{}…", last.trim_end());
        }
    }
    wrapped
}

/// The font size at most `preferred` px that fits `text` on one line of
/// `width` px (a name of ten characters on a poster made for three).
pub(crate) fn fitted_size(text: &str, preferred: u32, width: u32) -> u32 {
    let half_ems: usize = text.chars().map(half_ems).sum();
    let fits = (width as usize * 2).checked_div(half_ems).unwrap_or(preferred as usize);
    preferred.min(fits as u32).max(12)
}

/// `lines` as `<text>` elements centred on `x`, the first at `y`, then
/// every `step` px.
pub(crate) fn text_lines(lines: &[String], x: u32, y: u32, step: u32, attributes: &str) -> String {
    lines
        .iter()
        .zip(0..)
        .map(|(line, n)| {
            format!(r#"<text x="{x}" y="{}" text-anchor="middle" {attributes}>{}</text>"#, y + n * step, xml(line))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(serde::Deserialize)]
pub struct ShareQuery {
    s: Option<String>,
}

/// `GET /a/{id}/poster.svg?s=`: a phone-sized poster (750×1334) of an
/// article — its channel, title, summary and the QR code of its link (with
/// the sharer's tag, as `/a/{id}/qr.svg`) — to save and send in a chat.
pub async fn article_poster(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ShareQuery>,
    headers: HeaderMap,
) -> Response {
    match article_poster_svg(&state, id, query.s, &headers).await {
        Ok((svg, _)) => svg_response(svg),
        Err(response) => response,
    }
}

/// `GET /a/{id}/poster.png?s=`: the same poster as PNG, for a long press
/// and for link previews (`og:image`); the SVG when it cannot be drawn.
pub async fn article_poster_png(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ShareQuery>,
    headers: HeaderMap,
) -> Response {
    match article_poster_svg(&state, id, query.s, &headers).await {
        Ok((svg, tag)) => {
            let svg_address = match tag {
                Some(tag) => format!("/a/{id}/poster.svg?s={tag}"),
                None => format!("/a/{id}/poster.svg"),
            };
            state.posters.respond(svg, POSTER, &svg_address).await
        }
        Err(response) => response,
    }
}

/// The article poster's SVG and the share tag it carries; 404 unless the
/// article is published (not scheduled) and not withdrawn — what anyone may
/// read on its page. The poster is public and cached by anyone on the way,
/// so it never depends on who asks (a scheduled article's staff get none).
async fn article_poster_svg(
    state: &AppState,
    id: i64,
    tag: Option<String>,
    headers: &HeaderMap,
) -> Result<(String, Option<String>), Response> {
    let trouble = |error| app::error::AppError::from_store("article poster", error).status().into_response();
    let article = state
        .store
        .article(id)
        .await
        .map_err(trouble)?
        .filter(|a| a.withdrawn_at.is_none() && a.publish_at <= app::clock::now())
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let union = state.store.root_unit_name().await.map_err(trouble)?.unwrap_or_default();
    let tag = app::newsroom::publishing::share_tag(tag);
    let origin = crate::voting::origin_of(state, headers);
    let link = match &tag {
        Some(tag) => format!("{origin}/a/{id}?s={tag}"),
        None => format!("{origin}/a/{id}"),
    };
    let qr = qr_element(&link, 225, 860, 300).ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    // 13 characters a line at 48 px (624 of the 750 px), four lines at most,
    // centred between the channel's name and the date.
    let title = wrap(&article.title, 26, 4);
    let title_y = 355 - 34 * (title.len().max(1) as u32 - 1);
    let title = text_lines(&title, 375, title_y, 68, r##"fill="#ffffff" font-size="48" font-weight="700""##);
    // The summary, unless it only repeats the title: 20 characters a line at 30 px.
    let summary = if article.excerpt.trim() == article.title.trim() { "" } else { article.excerpt.as_str() };
    let summary = text_lines(&wrap(summary, 40, 4), 375, 640, 46, r##"fill="#3c3c3c" font-size="30""##);
    let when = domain::CivilDate::in_shanghai(article.publish_at);
    // The province's channel is the union itself: its name once, on top.
    let union = if union == article.channel_name { String::new() } else { union };
    let svg = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334" viewBox="0 0 750 1334" font-family="{FONT_FAMILY}">
<rect width="750" height="1334" fill="#fdecef"/>
<rect width="750" height="560" fill="#c8102e"/>
<text x="375" y="130" fill="#ffffff" font-size="{channel_size}" text-anchor="middle">{channel}</text>
<rect x="315" y="165" width="120" height="4" fill="#ffffff" fill-opacity="0.6"/>
{title}
<text x="375" y="525" fill="#ffffff" fill-opacity="0.85" font-size="26" text-anchor="middle">{year}年{month}月{day}日</text>
{summary}
{qr}
<text x="375" y="1210" fill="#a00d25" font-size="34" text-anchor="middle">长按识别二维码，阅读全文</text>
<text x="375" y="1285" fill="#5c5c5c" font-size="26" text-anchor="middle">{union}</text>
</svg>"##,
        channel_size = fitted_size(&article.channel_name, 40, 650),
        channel = xml(&article.channel_name),
        year = when.year(),
        month = when.month(),
        day = when.day(),
        union = xml(&union),
    );
    Ok((svg, tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_title_wraps_every_thirteen_characters() {
        let lines = wrap("省总工会部署冬季送温暖活动确保困难职工温暖过冬", 26, 4);
        assert_eq!(lines, ["省总工会部署冬季送温暖活动", "确保困难职工温暖过冬"]);
    }

    #[test]
    fn text_beyond_the_last_line_ends_in_an_ellipsis_within_the_width() {
        let text = "一二三四五六七八九十".repeat(8);
        let lines = wrap(&text, 26, 4);
        assert_eq!(lines.len(), 4);
        assert!(lines[3].ends_with('…'), "{lines:?}");
        assert!(lines[3].chars().map(half_ems).sum::<usize>() <= 26, "{lines:?}");
    }

    #[test]
    fn a_line_never_starts_with_closing_punctuation_and_ascii_takes_half_the_room() {
        let lines = wrap("一二三四五六七八九十一二三，好", 26, 4);
        assert_eq!(lines, ["一二三四五六七八九十一二三，", "好"]);
        assert_eq!(wrap("2026 年 safety week 开幕", 26, 4), ["2026 年 safety week 开幕"]);
        assert_eq!(wrap("", 26, 4), Vec::<String>::new());
    }

    #[test]
    fn a_long_name_gets_a_smaller_font_and_a_short_one_keeps_its_own() {
        assert_eq!(fitted_size("张三", 88, 650), 88);
        assert_eq!(fitted_size("阿卜杜热合曼·买买提", 88, 650), 65);
    }

    #[test]
    fn a_placed_svg_carries_its_size_attributes_once() {
        let qr = qr_element("http://127.0.0.1/a/1", 10, 20, 300).unwrap();
        let open = &qr[..qr.find('>').unwrap()];
        assert!(open.starts_with(r#"<svg x="10" y="20" width="300" height="300""#), "{open}");
        assert_eq!(open.matches("width=").count(), 1, "{open}");
    }
}
