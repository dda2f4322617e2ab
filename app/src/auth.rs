//! Members' accounts as the pages and the JSON API see them: who is signed
//! in, and the server functions for codes, registration, sign-in and out.
//! The rules live in `services::accounts` (server only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The signed-in member, as shown on 我的. The phone is masked here already:
/// the full number never travels to the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub name: String,
    pub phone_masked: String,
    pub unit_name: String,
    /// 实名认证: linked to a roster entry.
    pub certified: bool,
    /// The roster's member number (会员编号), once certified.
    pub member_no: Option<String>,
    /// An official or super admin: 我的 links to 管理.
    pub is_official: bool,
}

/// What a code request answers: where the code went and when to ask again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub phone_masked: String,
    pub resend_after_secs: i64,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! Helpers shared by the server functions and the HTML form handlers.
    use super::*;
    use crate::services::session;
    use crate::services::Accounts;

    pub fn accounts() -> Result<Accounts, AppError> {
        use_context::<Accounts>().ok_or(AppError::Internal)
    }

    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>().await.map_err(|error| {
            tracing::error!(%error, "no session layer");
            AppError::Internal
        })
    }

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

    pub async fn current_member(accounts: &Accounts, session: &tower_sessions::Session) -> Result<Option<MemberView>, AppError> {
        match session::member(accounts.store(), session).await? {
            Some(id) => member_view(accounts, id).await,
            None => Ok(None),
        }
    }
}

/// The signed-in member, or `None`.
#[server(prefix = "/api", endpoint = "me", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_current_member() -> Result<Option<MemberView>, AppError> {
    let accounts = ssr::accounts()?;
    let session = ssr::session().await?;
    ssr::current_member(&accounts, &session).await
}

/// Sends a registration code to `phone`.
#[server(prefix = "/api", endpoint = "auth/register-code")]
pub async fn send_register_code(phone: String) -> Result<CodeSent, AppError> {
    let accounts = ssr::accounts()?;
    let phone = accounts.send_code(&phone, store::SmsPurpose::Register).await?;
    Ok(CodeSent { phone_masked: phone.masked(), resend_after_secs: crate::services::accounts::RESEND_AFTER_SECS })
}

/// Registers and signs in.
#[server(prefix = "/api", endpoint = "auth/register")]
pub async fn register(phone: String, code: String, name: String, password: String, unit: String) -> Result<MemberView, AppError> {
    let accounts = ssr::accounts()?;
    let input = crate::services::RegisterInput { phone, code, name, password, unit };
    let id = accounts.register(&input).await?;
    crate::services::session::sign_in(accounts.store(), &ssr::session().await?, id, false).await?;
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Signs in with phone and password; `remember` keeps the session for 30 days.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn login(phone: String, password: String, remember: Option<String>) -> Result<MemberView, AppError> {
    let accounts = ssr::accounts()?;
    let id = accounts.login_with_password(&phone, &password).await?;
    crate::services::session::sign_in(accounts.store(), &ssr::session().await?, id, remember.is_some()).await?;
    ssr::member_view(&accounts, id).await?.ok_or(AppError::Internal)
}

/// Signs out (a POST: no state change on GET).
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::services::session::sign_out(&ssr::session().await?).await
}

/// 实名认证 with name and ID number; answers the roster's member number.
#[server(prefix = "/api", endpoint = "me/certify")]
pub async fn certify(name: String, id_number: String) -> Result<String, AppError> {
    let accounts = ssr::accounts()?;
    let member = crate::services::session::member(accounts.store(), &ssr::session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let key = use_context::<store::protect::DataKey>().ok_or(AppError::Internal)?;
    crate::services::certification::certify(accounts.store(), &key, member, &name, &id_number).await
}
