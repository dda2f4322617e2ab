//! Members' accounts as the pages and the JSON API see them: who is signed
//! in, and the server functions for codes, registration, sign-in and out.
//! The rules live in `services::accounts` (server only).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Helpers shared by the server functions and the HTML form handlers.
    use super::*;
    use crate::accounts::service::Accounts;
    use crate::accounts::session;

    pub async fn member_view(accounts: &Accounts, id: store::MemberId) -> Result<Option<MemberView>, AppError> {
        let store = accounts.store();
        let Some(member) = store.member_by_id(id).await.map_err(|e| AppError::from_store("member_view", e))? else {
            return Ok(None);
        };
        let actor = store.actor(id).await.map_err(|e| AppError::from_store("member_view", e))?;
        Ok(Some(MemberView {
            name: member.name.to_string(),
            phone_masked: member.phone.masked(),
            unit_name: member.unit_name,
            certified: member.certified_member_no.is_some(),
            member_no: member.certified_member_no,
            is_official: actor.is_official(),
        }))
    }

    pub fn code_sent(notice: String, phone: &domain::Phone) -> CodeSent {
        CodeSent {
            notice,
            phone_masked: phone.masked(),
            resend_after_secs: crate::accounts::service::RESEND_AFTER_SECS,
        }
    }

    /// For sign-in and reset codes the notice never says whether the phone
    /// is a member's (no code is sent to strangers, but the page looks the same).
    pub fn sent_if_member(phone: &domain::Phone) -> String {
        format!("如果 {} 是已注册会员的手机号，验证码已发送，5 分钟内有效", phone.masked())
    }

    /// Where to go after signing in: `next` when it is a path on this site
    /// (`ui::forms::is_local_path`), else 我的.
    pub fn next_page(next: Option<&str>) -> String {
        let next = next.unwrap_or_default();
        if crate::ui::forms::is_local_path(next) {
            next.chars().take(200).collect()
        } else {
            "/me".to_owned()
        }
    }

    pub async fn current_member(
        accounts: &Accounts,
        session: &tower_sessions::Session,
    ) -> Result<Option<MemberView>, AppError> {
        match session::member(accounts.store(), session).await? {
            Some(id) => member_view(accounts, id).await,
            None => Ok(None),
        }
    }
}

/// The signed-in member, or `None`.
#[server(prefix = "/api", endpoint = "me", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_current_member() -> Result<Option<MemberView>, AppError> {
    let accounts = crate::context::accounts()?;
    let session = crate::context::session().await?;
    ssr::current_member(&accounts, &session).await
}

/// Sends a registration code to `phone`.
#[server(prefix = "/api", endpoint = "auth/register-code")]
pub async fn send_register_code(phone: String) -> Result<CodeSent, AppError> {
    let accounts = crate::context::accounts()?;
    let phone = accounts.send_code(&phone, store::SmsPurpose::Register).await?;
    Ok(ssr::code_sent(format!("验证码已发送至 {}，5 分钟内有效", phone.masked()), &phone))
}

/// Registers and signs in.
#[server(prefix = "/api", endpoint = "auth/register")]
pub async fn register(
    phone: String,
    code: String,
    name: String,
    password: String,
    unit: String,
) -> Result<MemberView, AppError> {
    let accounts = crate::context::accounts()?;
    let input = crate::accounts::service::RegisterInput { phone, code, name, password, unit };
    let id = accounts.register(&input).await?;
    crate::accounts::session::sign_in(accounts.store(), &crate::context::session().await?, id, false).await?;
    crate::context::go_to("/me");
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Signs in with phone and password; `remember` keeps the session for 30
/// days; a browser then goes to `next` (a path on this site) or 我的.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(
    phone: String,
    password: String,
    remember: Option<String>,
    next: Option<String>,
) -> Result<MemberView, AppError> {
    let accounts = crate::context::accounts()?;
    let id = accounts.login_with_password(&phone, &password).await?;
    crate::accounts::session::sign_in(accounts.store(), &crate::context::session().await?, id, remember.is_some())
        .await?;
    crate::context::go_to(&ssr::next_page(next.as_deref()));
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Signs out (a POST: no state change on GET).
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::accounts::session::sign_out(&crate::context::session().await?).await?;
    crate::context::go_to("/");
    Ok(())
}

/// Signs out on every phone and browser (退出所有设备): the member's session
/// epoch moves on, so every session signed in before ends — in every server
/// process at once (store::changes) — and this one is deleted too.
#[server(prefix = "/api", endpoint = "auth/logout-everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    let accounts = crate::context::accounts()?;
    let session = crate::context::session().await?;
    if let Some(id) = crate::accounts::session::member(accounts.store(), &session).await? {
        accounts.end_all_sessions(id).await?;
    }
    crate::accounts::session::sign_out(&session).await?;
    crate::context::go_to("/");
    Ok(())
}

/// Sends a sign-in code. The answer is the same for members and strangers
/// (strangers get no SMS), so it never tells who is registered.
#[server(prefix = "/api", endpoint = "auth/login-code")]
pub async fn send_login_code(phone: String) -> Result<CodeSent, AppError> {
    let accounts = crate::context::accounts()?;
    let phone = accounts.send_code(&phone, store::SmsPurpose::Login).await?;
    Ok(ssr::code_sent(ssr::sent_if_member(&phone), &phone))
}

/// Signs in with an SMS code (which also lifts a password lockout).
#[server(prefix = "/api", endpoint = "auth/login-sms")]
pub async fn login_with_code(phone: String, code: String, remember: Option<String>) -> Result<MemberView, AppError> {
    let accounts = crate::context::accounts()?;
    let id = accounts.login_with_code(&phone, &code).await?;
    crate::accounts::session::sign_in(accounts.store(), &crate::context::session().await?, id, remember.is_some())
        .await?;
    crate::context::go_to("/me");
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Sends a password-reset code (same answer for members and strangers).
#[server(prefix = "/api", endpoint = "auth/reset-code")]
pub async fn send_reset_code(phone: String) -> Result<CodeSent, AppError> {
    let accounts = crate::context::accounts()?;
    let phone = accounts.send_code(&phone, store::SmsPurpose::Reset).await?;
    Ok(ssr::code_sent(ssr::sent_if_member(&phone), &phone))
}

/// Sets a new password with a reset code; every session of the member ends
/// (sign in again with the new password).
#[server(prefix = "/api", endpoint = "auth/reset")]
pub async fn reset_password(phone: String, code: String, password: String) -> Result<(), AppError> {
    let accounts = crate::context::accounts()?;
    accounts.reset_password(&phone, &code, &password).await?;
    crate::context::go_to("/login?reset=1");
    Ok(())
}

/// Sends a code to the new phone of the signed-in member (401 signed out).
#[server(prefix = "/api", endpoint = "me/phone-code")]
pub async fn send_phone_change_code(phone: String) -> Result<CodeSent, AppError> {
    let accounts = crate::context::accounts()?;
    crate::accounts::session::member(accounts.store(), &crate::context::session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let phone = accounts.send_code(&phone, store::SmsPurpose::ChangePhone).await?;
    Ok(ssr::code_sent(format!("验证码已发送至新手机号 {}，5 分钟内有效", phone.masked()), &phone))
}

/// Moves the signed-in member to the new phone, proven by its code; this
/// session stays, every other one ends.
#[server(prefix = "/api", endpoint = "me/phone")]
pub async fn change_phone(phone: String, code: String) -> Result<MemberView, AppError> {
    let accounts = crate::context::accounts()?;
    let session = crate::context::session().await?;
    let member = crate::accounts::session::member(accounts.store(), &session)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    accounts.change_phone(member, &phone, &code).await?;
    crate::accounts::session::refresh_epoch(accounts.store(), &session, member).await?;
    crate::context::go_to("/me");
    ssr::member_view(&accounts, member).await?.ok_or(AppError::Internal)
}
