//! The asset library (素材库): uploads (streamed, judged by content) and
//! the library a story's author picks from.

use crate::error::AppError;
use leptos::prelude::*;

use super::AssetView;

#[cfg(feature = "ssr")]
pub(crate) fn asset_view(a: store::Asset) -> AssetView {
    let url = format!("/m/{}", a.token);
    let photo = a.kind == "photo";
    AssetView {
        thumb: photo.then(|| format!("{url}/320")),
        srcset: photo.then(|| format!("{url}/320 320w, {url}/960 960w")),
        url,
        id: a.id,
        kind: a.kind,
        title: a.title,
        tags: a.tags,
        unit_name: a.unit_name,
        file_name: a.file_name,
        content_type: a.content_type,
        size: super::size_label(a.size_bytes),
        uploaded: crate::clock::date_time_in_shanghai(a.created_at),
    }
}

/// The assets of a list of stories (one query's answer) as views, by story.
#[cfg(feature = "ssr")]
pub(crate) fn views_by_story(attached: Vec<store::StoryAsset>) -> std::collections::HashMap<i64, Vec<AssetView>> {
    let mut by_story: std::collections::HashMap<i64, Vec<AssetView>> = std::collections::HashMap::new();
    for a in attached {
        by_story.entry(a.story_id).or_default().push(asset_view(a.asset));
    }
    by_story
}

/// A correspondent or editor uploads pictures, audio, video or documents
/// (multipart: `file`, repeatable; `title`, `tags`, `shared_down`) to their
/// unit's library. Each file is streamed to disk and judged by its content;
/// over its kind's limit it is refused (413) before it is stored whole.
/// The notice.
#[server(prefix = "/api", endpoint = "newsroom/assets/upload", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_assets(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let media = crate::context::services()?.media.clone();
    let unit = crate::newsroom::service::desk_of(&store, member).await?;
    let (fields, files) = crate::newsroom::media::receive(&media, data, "file").await?;
    crate::newsroom::service::store_assets(&store, &media, member, &unit, &fields, files).await
}

/// The library as the signed-in correspondent's unit sees it: its own
/// assets and those shared down from above, matching `q` in title or tags,
/// uploaded between `from` and `to` (`YYYY-MM-DD`, both optional), newest first.
#[server(prefix = "/api", endpoint = "newsroom/assets", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_assets(
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Vec<AssetView>, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let unit = crate::newsroom::service::desk_of(&store, member).await?;
    let day = |raw: &Option<String>| raw.as_deref().and_then(domain::CivilDate::parse_iso);
    let from = day(&from).map_or(0, |d| d.midnight_in_shanghai());
    let to = day(&to).map_or(i64::MAX, |d| d.midnight_in_shanghai() + 86_400);
    let query: String = q.unwrap_or_default().trim().chars().take(40).collect();
    let assets =
        store.asset_library(&unit, &query, from, to, 60).await.map_err(|e| AppError::from_store("assets", e))?;
    Ok(assets.into_iter().map(asset_view).collect())
}
