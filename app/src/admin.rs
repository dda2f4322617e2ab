//! The officials' pages' data and server functions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Members shown per page of the officials' list.
pub const PAGE_SIZE: i64 = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub name: String,
    pub phone_masked: String,
    pub unit_name: String,
    pub registered_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub is_super_admin: bool,
    /// The units the official holds office in (names).
    pub offices: Vec<String>,
    pub query: String,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub members: Vec<MemberRow>,
    /// Units the official may appoint officials for: (code, name).
    pub units: Vec<(String, String)>,
    pub audit: Vec<AuditRow>,
    /// The site's origin, for absolute invite links.
    pub origin: String,
}

#[server(prefix = "/api", endpoint = "admin/overview", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_admin_overview(q: Option<String>, page: Option<i64>) -> Result<AdminOverview, AppError> {
    use crate::services::clock::date_time_in_shanghai;
    let accounts = crate::auth::ssr::accounts()?;
    let store = accounts.store();
    let actor = crate::services::admin::official(store, &crate::auth::ssr::session().await?).await?;
    let query: String = q.unwrap_or_default().trim().chars().take(20).collect();
    let page = page.unwrap_or(1).max(1);
    let (rows, total) = store
        .members_in_scope(&actor, &query, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await
        .map_err(|e| AppError::from_store("admin_overview", e))?;
    let members = rows
        .into_iter()
        .map(|r| MemberRow {
            name: r.name,
            phone_masked: domain::Phone::parse(&r.phone).map(|p| p.masked()).unwrap_or_default(),
            unit_name: r.unit_name,
            registered_on: date_time_in_shanghai(r.created_at),
        })
        .collect();
    let units = store
        .units_in_scope(&actor)
        .await
        .map_err(|e| AppError::from_store("admin_overview", e))?
        .into_iter()
        .map(|(code, name, _)| (code, name))
        .collect();
    let audit = store
        .audit_entries(&actor, 20)
        .await
        .map_err(|e| AppError::from_store("admin_overview", e))?
        .into_iter()
        .map(|a| AuditRow {
            at: date_time_in_shanghai(a.created_at),
            actor: a.actor_name.unwrap_or_else(|| "系统".into()),
            action: a.action,
            target: a.target,
        })
        .collect();
    let origin = use_context::<crate::services::PublicOrigin>().unwrap_or_default().resolve().await;
    Ok(AdminOverview {
        origin,
        is_super_admin: actor.is_super_admin,
        offices: actor.units.into_iter().map(|(_, n)| n).collect(),
        query,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        total,
        members,
        units,
        audit,
    })
}

/// Appoints the member with `phone` as an official of `unit`.
#[server(prefix = "/api", endpoint = "admin/officials")]
pub async fn appoint_official(phone: String, unit: String) -> Result<String, AppError> {
    let accounts = crate::auth::ssr::accounts()?;
    let actor = crate::services::admin::official(accounts.store(), &crate::auth::ssr::session().await?).await?;
    crate::services::admin::appoint(accounts.store(), &actor, &phone, &unit, None).await
}

/// Whether the signed-in member may import units (super admins only).
#[server(prefix = "/api", endpoint = "admin/units-access", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_units_admin() -> Result<(), AppError> {
    let accounts = crate::auth::ssr::accounts()?;
    let actor = crate::services::admin::official(accounts.store(), &crate::auth::ssr::session().await?).await?;
    if actor.is_super_admin {
        Ok(())
    } else {
        Err(AppError::rejected(403, "", "只有超级管理员可以导入单位"))
    }
}

/// A background roster import, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub total: usize,
    pub done: usize,
    /// Set once finished: the notice, or why nothing was imported.
    pub outcome: Option<Result<String, String>>,
}

/// The progress of the signed-in official's import `job` (`None` when there
/// is no such job, or its outcome was already shown).
#[server(prefix = "/api", endpoint = "admin/roster/progress", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_import_progress(job: String) -> Result<Option<ImportProgress>, AppError> {
    let accounts = crate::auth::ssr::accounts()?;
    let actor = crate::services::admin::official(accounts.store(), &crate::auth::ssr::session().await?).await?;
    let jobs = use_context::<crate::services::imports::ImportJobs>().ok_or(AppError::Internal)?;
    Ok(jobs
        .progress(&job, actor.member_id)
        .map(|p| ImportProgress { total: p.total, done: p.done, outcome: p.outcome }))
}
