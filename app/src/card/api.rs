//! 惠员卡 pages' data: the member's own card, and a scanned card's check.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

/// The signed-in member's card: 401 signed out, 403 not certified yet.
#[server(prefix = "/api", endpoint = "me/card", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_card() -> Result<CardView, AppError> {
    let accounts = crate::context::accounts()?;
    let session = crate::context::session().await?;
    let store = accounts.store();
    let member = crate::accounts::session::member(store, &session)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let found =
        store.member_by_id(member).await.map_err(|e| AppError::from_store("card", e))?.ok_or(AppError::Internal)?;
    let member_no =
        found.certified_member_no.ok_or_else(|| AppError::rejected(403, "", "完成实名认证后即可领取惠员卡"))?;
    let union_name = store.root_unit_name().await.map_err(|e| AppError::from_store("card", e))?.unwrap_or_default();
    Ok(CardView { name: found.name.to_string(), member_no, unit_name: found.unit_name, union_name })
}

/// What a scanned card QR code says (anyone may ask; details are masked).
#[server(prefix = "/api", endpoint = "card/check", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_card(token: String) -> Result<CardCheckView, AppError> {
    let accounts = crate::context::accounts()?;
    let key = crate::context::services()?.data_key.clone();
    crate::card::service::check_card(accounts.store(), &key, &token).await
}
