//! The officials' pages' data and server functions.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;
/// Members shown per page of the officials' list.
pub const PAGE_SIZE: i64 = 20;

#[server(prefix = "/api", endpoint = "admin/overview", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_admin_overview(q: Option<String>, page: Option<i64>) -> Result<AdminOverview, AppError> {
    use crate::clock::date_time_in_shanghai;
    let accounts = crate::context::accounts()?;
    let store = accounts.store();
    let actor = crate::officials::service::official(store, &crate::context::session().await?).await?;
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
    let sms_failures = if actor.is_super_admin {
        // The last 7 days: long enough to span a weekend nobody looked.
        let since = crate::clock::now() - 7 * 24 * 3600;
        store
            .sms_failures_since(since)
            .await
            .map_err(|e| AppError::from_store("admin_overview", e))?
            .into_iter()
            .map(|(gateway, detail, count, last)| crate::officials::model::SmsFailureRow {
                gateway,
                detail,
                count,
                last_at: date_time_in_shanghai(last),
            })
            .collect()
    } else {
        Vec::new()
    };
    let origin = crate::context::services()?.public_origin.resolve().await;
    Ok(AdminOverview {
        origin,
        sms_failures,
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
    let accounts = crate::context::accounts()?;
    let actor = crate::officials::service::official(accounts.store(), &crate::context::session().await?).await?;
    crate::officials::service::appoint(accounts.store(), &actor, &phone, &unit, None).await
}

/// Checks a units file (super admins; multipart `file`, CSV: code, name,
/// parent code) and answers the checked text for `admin/units/import`.
#[server(prefix = "/api", endpoint = "admin/units/preview", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn preview_units(data: leptos::server_fn::codec::MultipartData) -> Result<UnitsPreview, AppError> {
    let upload = crate::context::Upload::read(data, "file").await?;
    let (store, _) = super_admin().await?;
    let file = upload.file.ok_or_else(|| AppError::rejected(400, "file", "请选择要上传的文件"))?;
    let notice = crate::officials::units_import::preview(&store, &file).await?;
    Ok(UnitsPreview { notice, csv: String::from_utf8_lossy(&file).into_owned() })
}

/// Imports a checked units file `csv` (super admins; checked again, audited).
#[server(prefix = "/api", endpoint = "admin/units/import")]
pub async fn import_units(csv: String) -> Result<String, AppError> {
    let (store, actor) = super_admin().await?;
    crate::officials::units_import::import(&store, &actor, csv.as_bytes()).await
}

#[cfg(feature = "ssr")]
async fn super_admin() -> Result<(store::Store, store::Actor), AppError> {
    let store = crate::context::store()?;
    let actor = crate::officials::service::official(&store, &crate::context::session().await?).await?;
    if actor.is_super_admin {
        Ok((store, actor))
    } else {
        Err(AppError::rejected(403, "", "只有超级管理员可以导入单位"))
    }
}

/// Whether the signed-in member may import units (super admins only).
#[server(prefix = "/api", endpoint = "admin/units-access", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_units_admin() -> Result<(), AppError> {
    let accounts = crate::context::accounts()?;
    let actor = crate::officials::service::official(accounts.store(), &crate::context::session().await?).await?;
    if actor.is_super_admin {
        Ok(())
    } else {
        Err(AppError::rejected(403, "", "只有超级管理员可以导入单位"))
    }
}

/// The progress of the signed-in official's import `job` (`None` when there
/// is no such job of theirs).
#[server(prefix = "/api", endpoint = "admin/roster/progress", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_import_progress(job: String) -> Result<Option<ImportProgress>, AppError> {
    let accounts = crate::context::accounts()?;
    let actor = crate::officials::service::official(accounts.store(), &crate::context::session().await?).await?;
    let jobs = crate::context::services()?.imports.clone();
    Ok(jobs.progress(accounts.store(), &job, actor.member_id).await?.map(|p| ImportProgress {
        total: p.total,
        done: p.done,
        outcome: p.outcome,
    }))
}
