//! 注册认证统计 (officials) and 公示 (public): roster members, registered and
//! certified per unit, with subtrees summed. The rules are in
//! `services::stats`; the sums in `domain::stats`.

use domain::stats::{SortKey, UnitStats};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One unit and its child units, as an official's dashboard shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub focus: UnitStats,
    pub children: Vec<UnitStats>,
    pub sort: SortKey,
    pub ascending: bool,
    /// From the top of the official's reach down to the focus: (code, name).
    pub trail: Vec<(String, String)>,
}

/// The public ranking of one level's units by certification rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranking {
    pub level: String,
    pub rows: Vec<UnitStats>,
    /// When these figures were counted (Asia/Shanghai).
    pub computed_at: String,
}

/// The dashboard of `unit` (default: the official's own unit) sorted by
/// `sort` (`name`, `roster`, `registered`, `certified`, `rate`).
#[server(prefix = "/api", endpoint = "admin/stats", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_dashboard(unit: Option<String>, sort: Option<String>, dir: Option<String>) -> Result<Dashboard, AppError> {
    let accounts = crate::auth::ssr::accounts()?;
    let store = accounts.store();
    let actor = crate::services::admin::official(store, &crate::auth::ssr::session().await?).await?;
    let sort = SortKey::parse(sort.as_deref().unwrap_or(""));
    crate::services::stats::dashboard(store, &actor, unit.as_deref(), sort, dir.as_deref() == Some("asc")).await
}

/// The 公示 ranking of the units at `level` (default `county`); public, at
/// most a minute stale.
#[server(prefix = "/api", endpoint = "gongshi", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_ranking(level: Option<String>) -> Result<Ranking, AppError> {
    let level = match level.as_deref().filter(|l| !l.is_empty()) {
        None => domain::UnitLevel::County,
        Some(raw) => domain::UnitLevel::parse(raw).map_err(|_| AppError::rejected(400, "level", "没有这个单位级别"))?,
    };
    let accounts = crate::auth::ssr::accounts()?;
    crate::services::stats::ranking(accounts.store(), level).await
}
