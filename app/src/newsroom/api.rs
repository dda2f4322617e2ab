//! The newsroom as pages and the JSON API see it. The rules are in
//! `newsroom::service`.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;

    pub async fn member() -> Result<(store::Store, store::MemberId), AppError> {
        let store = crate::context::store()?;
        let member = crate::accounts::session::member(&store, &crate::context::session().await?)
            .await?
            .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
        Ok((store, member))
    }

    pub async fn official() -> Result<(store::Store, store::Actor), AppError> {
        let store = crate::context::store()?;
        let actor = crate::officials::service::official(&store, &crate::context::session().await?).await?;
        Ok((store, actor))
    }
}

/// The signed-in member's way into the desk: certified or not, and their
/// correspondent record.
#[server(prefix = "/api", endpoint = "newsroom/desk", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_desk() -> Result<DeskView, AppError> {
    let (store, member) = ssr::member().await?;
    let me =
        store.member_by_id(member).await.map_err(|e| AppError::from_store("desk", e))?.ok_or(AppError::Internal)?;
    let own = store.own_correspondent(member).await.map_err(|e| AppError::from_store("desk", e))?;
    Ok(DeskView {
        certified: me.certified_member_no.is_some(),
        unit_name: me.unit_name,
        own: own.map(|o| OwnCorrespondentView { status: o.status, unit_name: o.unit_name, reason: o.reason }),
    })
}

/// A certified member applies to be their unit's correspondent with the
/// fields of the 信息员登记表 (docs/API.md). Answers the notice.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "newsroom/correspondents/apply")]
pub async fn apply_correspondent(
    name: String,
    gender: String,
    birth_month: String,
    education: String,
    union_post: String,
    job_title: String,
    phone: String,
    email: String,
    id_number: String,
    interests: String,
    website: Option<String>,
    wechat_name: Option<String>,
    wechat_id: Option<String>,
    weibo: Option<String>,
    newspaper: Option<String>,
    magazine: Option<String>,
    other_channel: Option<String>,
    intro: Option<String>,
) -> Result<String, AppError> {
    let (store, member) = ssr::member().await?;
    let key = crate::context::services()?.data_key;
    let form = crate::newsroom::service::Application {
        name,
        gender,
        birth_month,
        education,
        union_post,
        job_title,
        phone,
        email,
        id_number,
        interests,
        website: website.unwrap_or_default(),
        wechat_name: wechat_name.unwrap_or_default(),
        wechat_id: wechat_id.unwrap_or_default(),
        weibo: weibo.unwrap_or_default(),
        newspaper: newspaper.unwrap_or_default(),
        magazine: magazine.unwrap_or_default(),
        other_channel: other_channel.unwrap_or_default(),
        intro: intro.unwrap_or_default(),
    };
    crate::newsroom::service::apply(&store, &key, member, &form).await
}

/// Pending correspondent applications of units in the official's reach.
#[server(prefix = "/api", endpoint = "admin/correspondents", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_applications() -> Result<Vec<CorrespondentRow>, AppError> {
    let (store, actor) = ssr::official().await?;
    let rows =
        store.correspondents_in_reach(&actor, "pending").await.map_err(|e| AppError::from_store("applications", e))?;
    Ok(rows
        .into_iter()
        .map(|r| CorrespondentRow {
            id: r.id,
            name: r.name,
            gender: r.gender,
            birth_month: r.birth_month,
            education: r.education,
            union_post: r.union_post,
            job_title: r.job_title,
            phone_masked: domain::Phone::parse(&r.phone).map(|p| p.masked()).unwrap_or_default(),
            email: r.email,
            id_masked: r.id_masked,
            interests: r.interests,
            unit_name: r.unit_name,
            submitted: crate::clock::date_time_in_shanghai(r.created_at),
        })
        .collect())
}

/// Approves application `id` (officials of its unit or above). Audited.
#[server(prefix = "/api", endpoint = "admin/correspondents/approve")]
pub async fn approve_correspondent(id: i64) -> Result<String, AppError> {
    let (store, actor) = ssr::official().await?;
    crate::newsroom::service::decide(&store, &actor, id, true, "").await
}

/// Refuses application `id` with a `reason` the member reads. Audited.
#[server(prefix = "/api", endpoint = "admin/correspondents/refuse")]
pub async fn refuse_correspondent(id: i64, reason: String) -> Result<String, AppError> {
    let (store, actor) = ssr::official().await?;
    crate::newsroom::service::decide(&store, &actor, id, false, &reason).await
}
