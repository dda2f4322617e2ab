//! Every mailbox server function: the /api surface of 信箱 (docs/API.md).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这封来信"))
}

/// 信箱: where the signed-in member may write, and their letters.
#[server(prefix = "/api", endpoint = "mail", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_mail() -> Result<MailView, AppError> {
    let store = crate::context::store()?;
    let viewer = crate::accounts::session::member(&store, &crate::context::session().await?).await?;
    crate::mailboxes::service::mail(&store, viewer).await
}

/// One letter, for its writer or a handler (404 for anyone else).
#[server(prefix = "/api", endpoint = "mail/letter", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_letter(id: String) -> Result<LetterView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let key = crate::context::services()?.data_key.clone();
    crate::mailboxes::service::letter(&store, &key, member, parse_id(&id)?).await
}

/// The public Q&A (法吧 FAQ) of mailbox `kind` (all when empty).
#[server(prefix = "/api", endpoint = "mail/faq", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_public_qa(kind: String) -> Result<Vec<PublicQa>, AppError> {
    crate::mailboxes::service::public_qa(&crate::context::store()?, &kind).await
}

/// A signed-in member writes to mailbox `kind` (union, legal, suggestion)
/// of `unit` (their own or one above it). `anonymous` ("1"): not named to
/// the public; `consent` ("1"): the answer may be published as a Q&A.
#[server(prefix = "/api", endpoint = "mail/write")]
pub async fn write_letter(
    kind: String,
    unit: String,
    subject: String,
    body: String,
    anonymous: Option<String>,
    consent: Option<String>,
) -> Result<i64, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let services = crate::context::services()?;
    let writing = crate::mailboxes::service::Writing {
        kind: &kind,
        unit_code: &unit,
        subject: &subject,
        body: &body,
        anonymous: anonymous.is_some_and(|v| v == "1"),
        may_publish: consent.is_some_and(|v| v == "1"),
    };
    let id = crate::mailboxes::service::write(
        &store,
        &services.publishing,
        &services.data_key,
        member,
        &writing,
        crate::clock::now(),
    )
    .await?;
    crate::context::go_to(&format!("/services/mail/{id}"));
    Ok(id)
}

/// The writer attaches a photo (multipart: `id`, `photo`; JPEG/PNG/WebP by
/// content, up to 3 per letter) to their unanswered letter.
#[server(prefix = "/api", endpoint = "mail/photo", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn attach_letter_photo(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let (store, member) = crate::context::signed_in().await?;
    let id = parse_id(upload.field("id"))?;
    let content_type = crate::certification::service::check_photo(upload.file.as_deref()).map_err(|e| {
        if e.status_code() == 400 {
            AppError::rejected(400, "photo", "请选择照片")
        } else {
            e
        }
    })?;
    let key = crate::context::services()?.data_key.clone();
    let attached = store
        .attach_letter_photo(member, id, content_type, upload.file.as_deref().unwrap_or_default(), &key)
        .await
        .map_err(|e| AppError::from_store("attach_letter_photo", e))?;
    if !attached {
        return Err(AppError::rejected(409, "photo", "每封来信最多 3 张照片，且答复后不能再添加"));
    }
    Ok("照片已添加".to_owned())
}

/// The writer rates the answer: `rating` 1 满意, 2 基本满意, 3 不满意 (once).
#[server(prefix = "/api", endpoint = "mail/rate")]
pub async fn rate_letter(id: String, rating: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::rate(&store, member, parse_id(&id)?, &rating, crate::clock::now()).await
}

/// 来信办理: the handler's letters and the overdue letters below them.
#[server(prefix = "/api", endpoint = "admin/mail", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_mail_admin() -> Result<MailAdminView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::admin(&store, member).await
}

/// Assigns letter `id` to the member with `phone` (an official over its
/// unit, or the unit's lawyer for 律师邮箱). Audited.
#[server(prefix = "/api", endpoint = "admin/mail/assign")]
pub async fn assign_letter(id: String, phone: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::assign(&store, member, parse_id(&id)?, &phone, crate::clock::now()).await
}

/// Transfers letter `id` to unit `to` (the unit above, or one in reach)
/// with a `note`. Audited.
#[server(prefix = "/api", endpoint = "admin/mail/transfer")]
pub async fn transfer_letter(id: String, to: String, note: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::transfer(&store, member, parse_id(&id)?, &to, &note, crate::clock::now()).await
}

/// Answers letter `id`; `publish` ("1") with `public_question` publishes
/// it as a Q&A when the writer consented. Audited.
#[server(prefix = "/api", endpoint = "admin/mail/answer")]
pub async fn answer_letter(
    id: String,
    answer: String,
    publish: Option<String>,
    public_question: Option<String>,
) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::answer(
        &store,
        member,
        parse_id(&id)?,
        &answer,
        publish.is_some_and(|v| v == "1"),
        public_question.as_deref().unwrap_or_default(),
        crate::clock::now(),
    )
    .await
}

/// Sets working-day calendar day `day`: `working` "1" (调休上班) or "0"
/// (放假), with its `name`. Province officials and super admins. Audited.
#[server(prefix = "/api", endpoint = "admin/mail/calendar")]
pub async fn set_calendar_day(day: String, working: String, name: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::set_calendar_day(&store, member, &day, &working, &name, crate::clock::now()).await
}

/// Makes calendar day `day` an ordinary day again. Audited.
#[server(prefix = "/api", endpoint = "admin/mail/calendar/remove")]
pub async fn remove_calendar_day(day: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::mailboxes::service::remove_calendar_day(&store, member, &day, crate::clock::now()).await
}

/// Sets unit `unit`'s deadline for mailbox `kind` to `days` working days. Audited.
#[server(prefix = "/api", endpoint = "admin/mail/deadline")]
pub async fn set_mail_deadline(unit: String, kind: String, days: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::mailboxes::service::set_deadline(&store, &actor, &unit, &kind, &days, crate::clock::now()).await
}

/// Adds the member with `phone` as a lawyer of unit `unit`'s 律师邮箱. Audited.
#[server(prefix = "/api", endpoint = "admin/mail/lawyer")]
pub async fn add_mail_lawyer(unit: String, phone: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::mailboxes::service::add_lawyer(&store, &actor, &unit, &phone, crate::clock::now()).await
}
