//! The asset library's storage and `GET /m/{token}[/{width}]`: media served
//! from local disk or S3 with byte ranges (a phone seeking in a video asks
//! for `Range: bytes=…`) and long cache lifetimes (an address never changes
//! its content: a new upload gets a new token).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use object_store::{path::Path as BlobPath, GetOptions, GetRange, ObjectStore};

use crate::{AppState, Config};

/// The storage the configuration names: S3 when a bucket is set, else the
/// media folder on local disk.
pub fn open(config: &Config) -> anyhow::Result<app::newsroom::media::Media> {
    // Spool files left by a crash mid-upload (a finished or failed upload
    // removes its own).
    if let Ok(entries) = std::fs::read_dir(config.media_dir.join("spool")) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let blobs: Arc<dyn ObjectStore> = match &config.s3 {
        Some(s3) => {
            let mut builder = object_store::aws::AmazonS3Builder::new()
                .with_bucket_name(&s3.bucket)
                .with_region(&s3.region)
                .with_access_key_id(&s3.access_key)
                .with_secret_access_key(&s3.secret_key);
            if let Some(endpoint) = &s3.endpoint {
                // Self-hosted stores (MinIO…) take path-style addresses and
                // are often reached over plain http inside the network.
                builder = builder
                    .with_endpoint(endpoint)
                    .with_virtual_hosted_style_request(false)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            Arc::new(builder.build()?)
        }
        None => {
            let dir = config.media_dir.join("store");
            std::fs::create_dir_all(&dir)?;
            Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&dir)?)
        }
    };
    Ok(app::newsroom::media::Media { blobs, spool: config.media_dir.join("spool"), limits: config.media_limits })
}

/// A year: every address names one unchanging file.
const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

pub async fn serve(State(state): State<AppState>, Path(token): Path<String>, headers: HeaderMap) -> Response {
    send(&state, &token, None, &headers).await
}

pub async fn serve_thumb(
    State(state): State<AppState>,
    Path((token, width)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    send(&state, &token, Some(&width), &headers).await
}

fn not_found() -> Response {
    crate::stats::plain(StatusCode::NOT_FOUND, "没有这个文件".to_owned())
}

async fn send(state: &AppState, token: &str, width: Option<&str>, headers: &HeaderMap) -> Response {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return not_found();
    }
    let asset = match state.store.asset_by_token(token).await {
        Ok(Some(asset)) => asset,
        Ok(None) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "asset lookup");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let (key, content_type) = match width {
        None => (asset.blob_key.clone(), asset.content_type.clone()),
        Some(width) => {
            let Some(key) = asset.thumbs.split(';').find_map(|t| t.strip_prefix(&format!("{width}="))) else {
                return not_found();
            };
            (key.to_owned(), "image/jpeg".to_owned())
        }
    };
    let etag = format!("\"{token}-{}\"", width.unwrap_or("0"));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let path = BlobPath::from(key.as_str());
    let size = match state.media.blobs.head(&path).await {
        Ok(meta) => meta.size,
        Err(object_store::Error::NotFound { .. }) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "media head");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    // One satisfiable range → 206; one beyond the end → 416; a malformed
    // header or several ranges → the whole file (RFC 9110 lets a server
    // ignore Range; players ask for one).
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|raw| http_range_header::parse_range_header(raw).ok())
        .map(|parsed| {
            parsed.validate(size).map(|ranges| (ranges.len() == 1).then(|| (*ranges[0].start(), *ranges[0].end())))
        });
    let (status, options, content_range) = match range {
        None | Some(Ok(None)) => (StatusCode::OK, GetOptions::default(), None),
        Some(Err(_)) => {
            return (StatusCode::RANGE_NOT_SATISFIABLE, [(header::CONTENT_RANGE, format!("bytes */{size}"))])
                .into_response()
        }
        Some(Ok(Some((start, end)))) => (
            StatusCode::PARTIAL_CONTENT,
            GetOptions { range: Some(GetRange::Bounded(start..end + 1)), ..GetOptions::default() },
            Some(format!("bytes {start}-{end}/{size}")),
        ),
    };
    let found = match state.media.blobs.get_opts(&path, options).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "media get");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let length = found.range.end - found.range.start;
    let mut response = Response::new(Body::from_stream(found.into_stream()));
    *response.status_mut() = status;
    let h = response.headers_mut();
    let value = |v: &str| HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, value(&content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_FOREVER));
    h.insert(header::ETAG, value(&etag));
    if let Some(range) = content_range {
        h.insert(header::CONTENT_RANGE, value(&range));
    }
    if asset.kind == "file" {
        // Documents are downloaded, never shown inline on our origin.
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    response
}
