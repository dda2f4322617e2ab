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
    Ok(CodeSent { phone_masked: phone.masked(), resend_after_secs: crate::accounts::service::RESEND_AFTER_SECS })
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
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Signs in with phone and password; `remember` keeps the session for 30 days.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(phone: String, password: String, remember: Option<String>) -> Result<MemberView, AppError> {
    let accounts = crate::context::accounts()?;
    let id = accounts.login_with_password(&phone, &password).await?;
    crate::accounts::session::sign_in(accounts.store(), &crate::context::session().await?, id, remember.is_some())
        .await?;
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Signs out (a POST: no state change on GET).
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::accounts::session::sign_out(&crate::context::session().await?).await
}
