//! Manual certification (人工审核): the member's request status, and the
//! officials' review queue with its decisions. The rules live in
//! `services::certification`.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;

    pub fn key() -> Result<store::protect::DataKey, AppError> {
        crate::context::services().map(|s| s.data_key.clone())
    }
}

/// The signed-in member's latest manual request, if any (`None` signed out).
#[server(prefix = "/api", endpoint = "me/certify-request", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_my_request() -> Result<Option<RequestView>, AppError> {
    use store::RequestStatus;
    let accounts = crate::context::accounts()?;
    let Some(member) = crate::accounts::session::member(accounts.store(), &crate::context::session().await?).await?
    else {
        return Ok(None);
    };
    let latest =
        accounts.store().latest_certify_request(member).await.map_err(|e| AppError::from_store("my_request", e))?;
    Ok(latest.and_then(|r| match r.status {
        RequestStatus::Pending | RequestStatus::Rejected => Some(RequestView {
            pending: r.status == RequestStatus::Pending,
            rejected_reason: r.reason,
            submitted: crate::clock::date_time_in_shanghai(r.created_at),
        }),
        RequestStatus::Approved | RequestStatus::Withdrawn => None,
    }))
}

/// The pending requests in the official's reach, oldest first (at most 50).
#[server(prefix = "/api", endpoint = "admin/certify-requests", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_review_queue() -> Result<Vec<QueueRow>, AppError> {
    let (store, actor) = crate::context::official().await?;
    let rows = store.pending_certify_requests(&actor, 50).await.map_err(|e| AppError::from_store("review_queue", e))?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (roster_hint, conflict) = match (&r.roster_name, r.roster_taken) {
                (Some(_), true) => ("名册中有此身份证号，但已被其他账号认证".to_owned(), true),
                (Some(n), false) if *n == r.name => ("名册中有此身份证号，姓名一致".to_owned(), false),
                (Some(n), false) => (format!("名册中有此身份证号，名册姓名为“{n}”"), false),
                (None, _) => ("名册中没有此身份证号：通过后将加入名册".to_owned(), false),
            };
            QueueRow {
                id: r.id,
                phone_masked: domain::Phone::parse(&r.phone).map(|p| p.masked()).unwrap_or_default(),
                name: r.name,
                id_masked: r.id_masked,
                unit_name: r.unit_name,
                submitted: crate::clock::date_time_in_shanghai(r.created_at),
                roster_hint,
                conflict,
            }
        })
        .collect())
}

/// Approves request `id` (`member_no` for a person new to the roster; empty
/// generates one). Answers the notice.
#[server(prefix = "/api", endpoint = "admin/certify-requests/approve")]
pub async fn approve_request(id: i64, member_no: Option<String>) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::certification::service::approve(&store, &ssr::key()?, &actor, id, member_no.as_deref().unwrap_or("")).await
}

/// Rejects request `id` with a reason the member reads.
#[server(prefix = "/api", endpoint = "admin/certify-requests/reject")]
pub async fn reject_request(id: i64, reason: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::certification::service::reject(&store, &actor, id, &reason).await
}

/// The full ID number of pending request `id` (a POST: every display is
/// written to the audit log).
#[server(prefix = "/api", endpoint = "admin/certify-requests/reveal-id")]
pub async fn reveal_request_id(id: i64) -> Result<RevealedId, AppError> {
    let (store, actor) = crate::context::official().await?;
    let revealed = crate::certification::service::reveal_id_number(&store, &ssr::key()?, &actor, id).await?;
    Ok(RevealedId { notice: "完整身份证号已显示，本次查看已记入操作日志".to_owned(), revealed })
}

/// 实名认证 with name and ID number; answers the roster's member number.
#[server(prefix = "/api", endpoint = "me/certify")]
pub async fn certify(name: String, id_number: String) -> Result<String, AppError> {
    let accounts = crate::context::accounts()?;
    let member = crate::accounts::session::member(accounts.store(), &crate::context::session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let key = crate::context::services().map(|s| s.data_key.clone())?;
    let member_no = crate::certification::service::certify(accounts.store(), &key, member, &name, &id_number).await?;
    crate::context::go_to("/me");
    Ok(member_no)
}

/// Asks for manual certification (人工审核): multipart with `name`,
/// `id_number` and the union-card `photo` (JPEG/PNG/WebP by content). A
/// browser then sees /certify, which shows the request as waiting.
#[server(prefix = "/api", endpoint = "me/certify-request/send", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn request_review(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let accounts = crate::context::accounts()?;
    let member = crate::accounts::session::member(accounts.store(), &crate::context::session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let (name, id_number) = (upload.field("name"), upload.field("id_number"));
    let photo = upload.file.as_deref();
    crate::certification::service::request_review(accounts.store(), &ssr::key()?, member, name, id_number, photo)
        .await?;
    crate::context::go_to("/certify");
    Ok(())
}

/// Checks a roster file (multipart `file`, CSV) against the rules and the
/// official's reach and keeps it sealed for confirmation; every problem is
/// listed. Confirm with the answer's `token`.
#[server(prefix = "/api", endpoint = "admin/roster/preview", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn preview_roster(data: leptos::server_fn::codec::MultipartData) -> Result<RosterPreview, AppError> {
    let upload = crate::context::Upload::read(data, "file").await?;
    let (_, actor) = crate::context::official().await?;
    let services = crate::context::services()?;
    let file = upload.file.ok_or_else(|| AppError::rejected(400, "file", "请选择要上传的文件"))?;
    let preview = crate::certification::roster::preview(&services, &actor, &file).await.map_err(|(e, _)| e)?;
    Ok(RosterPreview { notice: preview.notice, token: preview.token, problems: preview.problems })
}

/// Imports the checked file `token` (the uploader's own, once) in one
/// transaction, audited; answers the notice. A large roster imports in the
/// background: the answer is then empty and a browser goes to its progress
/// page (`/admin/roster?job=…`, `admin/roster/progress`).
#[server(prefix = "/api", endpoint = "admin/roster/confirm")]
pub async fn confirm_roster(token: String) -> Result<Option<String>, AppError> {
    use crate::certification::roster::{confirm, Confirmed};
    let (_, actor) = crate::context::official().await?;
    match confirm(&crate::context::services()?, &actor, &token).await? {
        Confirmed::Done(notice) => Ok(Some(notice)),
        Confirmed::Background { job } => {
            crate::context::go_to(&format!("/admin/roster?job={job}"));
            Ok(None)
        }
    }
}
