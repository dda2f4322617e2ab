//! 注册认证统计 (officials) and 公示 (public): roster members, registered and
//! certified per unit, with subtrees summed. The rules are in
//! `services::stats`; the sums in `domain::stats`.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

/// The dashboard of `unit` (default: the official's own unit) sorted by
/// `sort` (`name`, `roster`, `registered`, `certified`, `rate`).
#[server(prefix = "/api", endpoint = "admin/stats", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_dashboard(
    unit: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
) -> Result<Dashboard, AppError> {
    let accounts = crate::context::accounts()?;
    let store = accounts.store();
    let actor = crate::officials::service::official(store, &crate::context::session().await?).await?;
    let sort = domain::stats::SortKey::parse(sort.as_deref().unwrap_or(""));
    crate::stats::service::dashboard(store, &actor, unit.as_deref(), sort, dir.as_deref() == Some("asc")).await
}

/// The 公示 ranking of the units at `level` (default `county`); public, at
/// most a minute stale.
#[server(prefix = "/api", endpoint = "gongshi", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_ranking(level: Option<String>) -> Result<Ranking, AppError> {
    let level = match level.as_deref().filter(|l| !l.is_empty()) {
        None => domain::UnitLevel::County,
        Some(raw) => domain::UnitLevel::parse(raw).map_err(|_| AppError::rejected(400, "level", "没有这个单位级别"))?,
    };
    let accounts = crate::context::accounts()?;
    crate::stats::service::ranking(accounts.store(), level).await
}
