//! Uploaded media for the asset library (素材库): received as a stream into a
//! spool file (never whole in memory — a phone's video is hundreds of MB),
//! judged by its content, photos cleaned (EXIF orientation applied, every
//! EXIF field — GPS included — dropped by re-encoding) with their
//! thumbnails made once, then written to blob storage: local disk by
//! default, an S3-compatible store when configured (`object_store`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::{path::Path as BlobPath, ObjectStore};
use store::AssetKind;
use tokio::io::AsyncWriteExt;

use crate::error::AppError;

/// Where media goes and how large it may be.
#[derive(Clone)]
pub struct Media {
    pub blobs: Arc<dyn ObjectStore>,
    /// Uploads are streamed here first, then judged and stored.
    pub spool: PathBuf,
    pub limits: MediaLimits,
}

/// The largest upload of each kind (bytes), from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct MediaLimits {
    pub photo: u64,
    pub audio: u64,
    pub video: u64,
    pub file: u64,
    /// Files in one upload form.
    pub files_per_upload: usize,
}

impl Default for MediaLimits {
    /// A phone photo is 2–8 MB; a minute of 1080p phone video ~100 MB.
    fn default() -> Self {
        Self { photo: 15 << 20, audio: 50 << 20, video: 300 << 20, file: 20 << 20, files_per_upload: 9 }
    }
}

impl MediaLimits {
    pub fn of(&self, kind: AssetKind) -> u64 {
        match kind {
            AssetKind::Photo => self.photo,
            AssetKind::Audio => self.audio,
            AssetKind::Video => self.video,
            AssetKind::File => self.file,
        }
    }

    /// The most a whole upload form may carry (the server's body limit for it).
    pub fn body(&self) -> u64 {
        self.video.max(self.audio).max(self.photo).max(self.file) * 2 + (1 << 20)
    }
}

/// Thumbnail widths (px): a phone list (320) and a phone screen at 2–3×
/// pixel density (960).
pub const THUMB_WIDTHS: [u32; 2] = [320, 960];

/// A file received into the spool; removed when dropped.
pub struct Spooled {
    pub file_name: String,
    pub path: PathBuf,
    pub size: u64,
    pub kind: AssetKind,
    pub content_type: &'static str,
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What a file is, from its first bytes (never its name or the browser's
/// claim). `None`: a kind we do not take.
pub fn judge(head: &[u8]) -> Option<(AssetKind, &'static str)> {
    let found = infer::get(head)?;
    let mime = found.mime_type();
    let kind = match mime {
        "image/jpeg" | "image/png" | "image/webp" => AssetKind::Photo,
        "audio/mpeg" | "audio/m4a" | "audio/aac" | "audio/x-wav" | "audio/ogg" | "audio/x-flac" => AssetKind::Audio,
        "video/mp4" | "video/quicktime" | "video/webm" | "video/x-m4v" => AssetKind::Video,
        "application/pdf"
        | "application/msword"
        | "application/vnd.ms-excel"
        | "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => AssetKind::File,
        _ => return None,
    };
    Some((kind, mime))
}

fn kind_label(kind: AssetKind) -> &'static str {
    match kind {
        AssetKind::Photo => "图片",
        AssetKind::Audio => "音频",
        AssetKind::Video => "视频",
        AssetKind::File => "文件",
    }
}

fn megabytes(bytes: u64) -> u64 {
    bytes >> 20
}

/// The longest text field of an upload form (bytes of UTF-8), and all of
/// them together: the form has three short ones.
const TEXT_FIELD_BYTES: usize = 4096;
const TEXT_BYTES: usize = 16 * 1024;

/// How much of a file's start is judged: Office files (ZIP) name their kind
/// in the third local header, ~700 bytes in; 8 KiB covers them.
const HEAD_BYTES: usize = 8 * 1024;

/// Reads an upload form: its text fields and its files (parts named
/// `file_field`), each streamed to the spool chunk by chunk and refused
/// (413) as soon as it passes its kind's limit, before it is stored whole.
pub async fn receive(
    media: &Media,
    data: leptos::server_fn::codec::MultipartData,
    file_field: &str,
) -> Result<(Vec<(String, String)>, Vec<Spooled>), AppError> {
    let unreadable = || AppError::rejected(400, file_field, "上传的内容无法读取，请重新选择文件");
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let mut text_bytes = 0;
    tokio::fs::create_dir_all(&media.spool).await.map_err(|e| internal("spool", e))?;
    while let Some(mut part) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = part.name().unwrap_or_default().to_owned();
        if name != file_field {
            let mut text = Vec::new();
            while let Some(chunk) = part.chunk().await.map_err(|_| unreadable())? {
                text.extend_from_slice(&chunk);
                text_bytes += chunk.len();
                if text.len() > TEXT_FIELD_BYTES || text_bytes > TEXT_BYTES {
                    return Err(AppError::rejected(400, &name, "填写的内容太长"));
                }
            }
            fields.push((name, String::from_utf8(text).map_err(|_| unreadable())?));
            continue;
        }
        let file_name = part.file_name().unwrap_or_default().chars().take(120).collect::<String>();
        let path = media.spool.join(format!("{}.part", crate::random::token()));
        let mut spooled = Spooled { file_name, path, size: 0, kind: AssetKind::File, content_type: "" };
        let mut out = tokio::fs::File::create(&spooled.path).await.map_err(|e| internal("spool", e))?;
        let mut head: Vec<u8> = Vec::new();
        let mut limit = None;
        while let Some(chunk) = part.chunk().await.map_err(|_| unreadable())? {
            if limit.is_none() {
                head.extend_from_slice(&chunk[..chunk.len().min(HEAD_BYTES - head.len())]);
                if head.len() >= HEAD_BYTES {
                    limit = Some(judged(&head, media)?);
                    (spooled.kind, spooled.content_type) = limit.expect("just set").0;
                }
            }
            spooled.size += chunk.len() as u64;
            if let Some((_, max)) = limit {
                if spooled.size > max {
                    return Err(too_large(file_field, spooled.kind, max));
                }
            }
            out.write_all(&chunk).await.map_err(|e| internal("spool", e))?;
        }
        out.flush().await.map_err(|e| internal("spool", e))?;
        if spooled.size == 0 {
            continue; // no file chosen
        }
        if limit.is_none() {
            let ((kind, content_type), max) = judged(&head, media)?;
            (spooled.kind, spooled.content_type) = (kind, content_type);
            if spooled.size > max {
                return Err(too_large(file_field, kind, max));
            }
        }
        files.push(spooled);
        if files.len() > media.limits.files_per_upload {
            return Err(AppError::rejected(
                413,
                file_field,
                format!("一次最多上传 {} 个文件", media.limits.files_per_upload),
            ));
        }
    }
    Ok((fields, files))
}

fn judged(head: &[u8], media: &Media) -> Result<((AssetKind, &'static str), u64), AppError> {
    let found = judge(head).ok_or_else(|| {
        AppError::rejected(415, "file", "只能上传图片（JPEG/PNG/WebP）、音频、视频、PDF 或 Office 文档")
    })?;
    Ok((found, media.limits.of(found.0)))
}

fn too_large(field: &str, kind: AssetKind, max: u64) -> AppError {
    AppError::rejected(413, field, format!("{}不能超过 {} MB", kind_label(kind), megabytes(max)))
}

fn internal(what: &'static str, error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, what, "media");
    AppError::Internal
}

/// A photo as stored: re-encoded (no EXIF left), upright, with thumbnails.
pub struct CleanPhoto {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// (width, JPEG bytes) per [`THUMB_WIDTHS`].
    pub thumbs: Vec<(u32, Vec<u8>)>,
}

/// The largest photo side we decode (px): 12 000 × 12 000 covers 100 MP
/// cameras; a decompression bomb stops at the allocation limit.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 200 << 20;

/// Photos cleaned at once, server-wide: a decoded 12 MP photo and its copies
/// are ~100 MB, so two at a time bound a burst of uploads to ~200 MB.
static PHOTO_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// [`clean_photo`] on the blocking pool, at most two at a time.
pub async fn clean_photo_queued(path: PathBuf) -> Result<CleanPhoto, String> {
    let _permit = PHOTO_WORK.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || clean_photo(&path)).await.map_err(|e| e.to_string())?
}

/// Decodes the photo at `path`, turns it upright by its EXIF orientation and
/// re-encodes it (JPEG at quality 85, or PNG when it has transparency),
/// which leaves every EXIF field — the GPS position included — behind.
/// Blocking (CPU): call it from `spawn_blocking`.
pub fn clean_photo(path: &Path) -> Result<CleanPhoto, String> {
    let reader =
        image::ImageReader::open(path).map_err(|e| e.to_string())?.with_guessed_format().map_err(|e| e.to_string())?;
    clean(reader)
}

/// [`clean_photo`] of a photo already in memory (a contest entry).
pub fn clean_photo_bytes(bytes: &[u8]) -> Result<CleanPhoto, String> {
    let reader =
        image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    clean(reader)
}

fn clean<R: std::io::BufRead + std::io::Seek>(mut reader: image::ImageReader<R>) -> Result<CleanPhoto, String> {
    use image::{DynamicImage, ImageDecoder};
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut photo = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    photo.apply_orientation(orientation);
    let (width, height) = (photo.width(), photo.height());
    let (bytes, content_type) = if photo.color().has_alpha() {
        let mut out = std::io::Cursor::new(Vec::new());
        photo.write_to(&mut out, image::ImageFormat::Png).map_err(|e| e.to_string())?;
        (out.into_inner(), "image/png")
    } else {
        (jpeg(&photo, 85)?, "image/jpeg")
    };
    // Largest first, each from the one before: the 960 px from the photo,
    // the 320 px from the 960 px. `thumbnail` samples with integer sums — a
    // filtered resize of a 12 MP photo allocated ~50 MB of f32 rows more.
    let mut thumbs = Vec::new();
    let mut source = photo;
    for w in THUMB_WIDTHS.into_iter().rev() {
        if source.width() > w {
            let h = (u64::from(source.height()) * u64::from(w) / u64::from(source.width())).max(1) as u32;
            source = source.thumbnail_exact(w, h);
        }
        thumbs.push((w, jpeg(&source, 80)?));
    }
    thumbs.reverse();
    Ok(CleanPhoto { bytes, content_type, width, height, thumbs })
}

fn jpeg(photo: &image::DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let rgb = photo.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Writes `bytes` to blob `key`.
pub async fn put_bytes(media: &Media, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
    media.blobs.put(&BlobPath::from(key), bytes.into()).await.map_err(|e| internal("blob put", e))?;
    Ok(())
}

/// Streams the spooled file at `path` to blob `key` in parts (S3 multipart
/// above 10 MB), never holding it whole.
pub async fn put_file(media: &Media, key: &str, path: &Path) -> Result<(), AppError> {
    let mut file = tokio::fs::File::open(path).await.map_err(|e| internal("spool read", e))?;
    let mut writer = object_store::buffered::BufWriter::new(media.blobs.clone(), BlobPath::from(key));
    let copied = match tokio::io::copy(&mut file, &mut writer).await {
        Ok(_) => writer.shutdown().await,
        Err(error) => Err(error),
    };
    if let Err(error) = copied {
        // An S3 multipart upload left open keeps its parts (and their cost).
        let _ = writer.abort().await;
        return Err(internal("blob write", error));
    }
    Ok(())
}

/// Removes blobs `keys` (what an upload wrote before it failed).
pub async fn delete_all(media: &Media, keys: &[String]) {
    for key in keys {
        if let Err(error) = media.blobs.delete(&BlobPath::from(key.as_str())).await {
            tracing::warn!(%error, key, "could not remove a blob of a failed upload");
        }
    }
}
