//! Every wishes server function: the /api surface of 微心愿 (docs/API.md).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这个心愿"))
}

/// 帮吧: approved wishes (no names), and the signed-in member's own.
#[server(prefix = "/api", endpoint = "wishes", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_wishes() -> Result<WishesView, AppError> {
    let store = crate::context::store()?;
    let viewer = crate::accounts::session::member(&store, &crate::context::session().await?).await?;
    crate::wishes::service::wishes(&store, viewer).await
}

/// One wish's page: approved ones for anyone, pending or rejected ones for
/// their own member only.
#[server(prefix = "/api", endpoint = "wish", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_wish(id: String) -> Result<WishCard, AppError> {
    let store = crate::context::store()?;
    let viewer = crate::accounts::session::member(&store, &crate::context::session().await?).await?;
    let wish = store.wish(parse_id(&id)?).await.map_err(|e| AppError::from_store("wish", e))?;
    let visible =
        |w: &store::Wish| w.status == "approved" || viewer.is_some_and(|v| v.0 == w.member_id || v.0 == w.posted_by);
    match wish.filter(visible) {
        Some(w) => Ok(crate::wishes::service::card(&w, viewer)),
        None => Err(AppError::rejected(404, "", "没有这个心愿")),
    }
}

/// A certified member posts a wish: `title` (what), `reason` (why),
/// `value` (yuan, ≤ 500). It waits for an official's review.
#[server(prefix = "/api", endpoint = "wishes/post")]
pub async fn post_wish(title: String, reason: String, value: String) -> Result<i64, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let id = crate::wishes::service::post(&store, member, None, &title, &reason, &value, crate::clock::now()).await?;
    crate::context::go_to(&format!("/services/wishes/{id}"));
    Ok(id)
}

/// A signed-in member claims approved wish `id` (one donor per wish: 409
/// when someone was first; never one's own).
#[server(prefix = "/api", endpoint = "wishes/claim")]
pub async fn claim_wish(id: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::wishes::service::claim(&store, member, parse_id(&id)?, crate::clock::now()).await
}

/// Officials: the wishes of their reach, pending first.
#[server(prefix = "/api", endpoint = "admin/wishes", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_wishes_admin() -> Result<Vec<WishAdminRow>, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::wishes::service::admin_rows(&store, &actor).await
}

/// Officials post a wish on behalf of the certified member with `phone`.
#[server(prefix = "/api", endpoint = "admin/wishes/post")]
pub async fn post_wish_for(phone: String, title: String, reason: String, value: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let id = crate::wishes::service::post(
        &store,
        actor.member_id,
        Some(&phone),
        &title,
        &reason,
        &value,
        crate::clock::now(),
    )
    .await?;
    store
        .audit(Some(actor.member_id), "代发微心愿", &format!("微心愿 #{id}"), title.trim(), None, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("post_wish_for", e))?;
    Ok("已代为发布心愿，等待审核".to_owned())
}

#[cfg(feature = "ssr")]
async fn review(id: String, note: String, approve: bool) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let note = note.trim();
    if !approve && note.is_empty() {
        return Err(AppError::rejected(400, "note", "退回时请写明原因"));
    }
    let done = store
        .review_wish(&actor, parse_id(&id)?, approve, note, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("review_wish", e))?;
    if !done {
        return Err(AppError::rejected(409, "", "这个心愿不在您的管理范围，或已审核过"));
    }
    Ok(if approve { "已通过，心愿已公开（不显示姓名）" } else { "已退回" }.to_owned())
}

/// Approves pending wish `id` (its unit in the official's reach). Audited.
#[server(prefix = "/api", endpoint = "admin/wishes/approve")]
pub async fn approve_wish(id: String, note: String) -> Result<String, AppError> {
    review(id, note, true).await
}

/// Rejects pending wish `id` with a `note` the member sees. Audited.
#[server(prefix = "/api", endpoint = "admin/wishes/reject")]
pub async fn reject_wish(id: String, note: String) -> Result<String, AppError> {
    review(id, note, false).await
}

/// Registers outside donor `donor` (a person or a company) for wish `id`. Audited.
#[server(prefix = "/api", endpoint = "admin/wishes/claim")]
pub async fn claim_wish_for(id: String, donor: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::wishes::service::claim_for(&store, &actor, parse_id(&id)?, &donor, crate::clock::now()).await
}

/// Confirms claimed wish `id` fulfilled, with a photo (multipart: `id`,
/// `photo`; JPEG/PNG/WebP by content). Audited.
#[server(prefix = "/api", endpoint = "admin/wishes/confirm", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn confirm_wish(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let (store, actor) = crate::context::official().await?;
    let id = parse_id(upload.field("id"))?;
    let err = |e| AppError::from_store("confirm_wish", e);
    let wish = store.wishes_in_scope(&actor).await.map_err(err)?.into_iter().find(|w| w.id == id);
    let Some(wish) = wish.filter(|w| w.claimed_at.is_some() && w.fulfilled_at.is_none()) else {
        return Err(AppError::rejected(409, "", "只能确认您管理范围内已认领、未实现的心愿"));
    };
    let content_type = crate::certification::service::check_photo(upload.file.as_deref())
        .map_err(|_| AppError::rejected(400, "photo", "请上传心愿实现的照片（JPEG、PNG 或 WebP）"))?;
    let now = crate::clock::now();
    store
        .put_media(store::MediaKind::Wish, id, content_type, upload.file.as_deref().unwrap_or_default(), now)
        .await
        .map_err(err)?;
    if !store.confirm_wish(&actor, id, now).await.map_err(err)? {
        return Err(AppError::rejected(409, "", "这个心愿已确认过"));
    }
    Ok(format!("已确认“{}”心愿实现", wish.title))
}
