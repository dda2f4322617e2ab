//! The apps feature's server functions: signing an app in (bearer tokens)
//! and the super admin's register of apps.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

/// Signs an app in and answers a bearer token (JSON body), with one of:
/// `phone` + `password`; `phone` + `code` (from `auth/login-code`); or
/// `app` + `assertion` (the host app's hand-off of a member it has signed
/// in). Wrong credentials answer as sign-in does (400/401/429); a bad
/// assertion 401, an unknown or revoked app 403.
#[server(prefix = "/api", endpoint = "app/session", input = leptos::server_fn::codec::Json)]
pub async fn app_session(
    phone: Option<String>,
    password: Option<String>,
    code: Option<String>,
    app: Option<String>,
    assertion: Option<String>,
) -> Result<AppToken, AppError> {
    let accounts = crate::context::accounts()?;
    let store = accounts.store();
    let (member, app) = match (phone, password, code, app, assertion) {
        (_, _, _, Some(app), Some(assertion)) => {
            let (app, phone) = crate::apps::service::accept_assertion(store, &app, &assertion).await?;
            let found = store.credentials_by_phone(&phone).await.map_err(|e| AppError::from_store("handoff", e))?;
            let member = found
                .ok_or_else(|| AppError::rejected(403, "assertion", "该手机号还没有注册工会会员账号，请先注册"))?;
            (member.member.id, Some(app.id))
        }
        (Some(phone), Some(password), _, _, _) => (accounts.login_with_password(&phone, &password).await?, None),
        (Some(phone), None, Some(code), _, _) => (accounts.login_with_code(&phone, &code).await?, None),
        _ => return Err(AppError::rejected(400, "", "请提供手机号和密码、手机号和验证码，或 App 的登录凭证")),
    };
    signed_in(member, app).await
}

#[cfg(feature = "ssr")]
async fn signed_in(member: store::MemberId, app: Option<i64>) -> Result<AppToken, AppError> {
    let accounts = crate::context::accounts()?;
    let (token, expires_at) = crate::apps::service::issue(accounts.store(), member, app).await?;
    let member = crate::accounts::api::ssr::member_view(&accounts, member).await?.ok_or(AppError::Internal)?;
    Ok(AppToken { token, expires_at, member })
}

/// The token this request came with, or 401.
#[cfg(feature = "ssr")]
fn bearer() -> Result<crate::apps::service::Bearer, AppError> {
    crate::apps::service::current_bearer()
        .ok_or_else(|| AppError::rejected(401, "", "请用 Authorization: Bearer 携带登录令牌"))
}

/// A new token for the one this request came with, which ends (an app
/// refreshes before `expires_at`; an ended token cannot be refreshed).
#[server(prefix = "/api", endpoint = "app/session/refresh")]
pub async fn refresh_app_session() -> Result<AppToken, AppError> {
    let bearer = bearer()?;
    let store = crate::context::store()?;
    crate::apps::service::end(&store, &bearer.token_hash).await?;
    signed_in(bearer.member, None).await
}

/// Ends the token this request came with (signing out in the app).
#[server(prefix = "/api", endpoint = "app/session/end")]
pub async fn end_app_session() -> Result<(), AppError> {
    let bearer = bearer()?;
    crate::apps::service::end(&crate::context::store()?, &bearer.token_hash).await
}

#[cfg(feature = "ssr")]
async fn super_admin() -> Result<(store::Store, store::Actor), AppError> {
    let (store, actor) = crate::context::official().await?;
    if !actor.is_super_admin {
        return Err(AppError::rejected(403, "", "只有超级管理员可以管理接入 App"));
    }
    Ok((store, actor))
}

/// Every registered app (super admins only).
#[server(prefix = "/api", endpoint = "admin/apps", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_host_apps() -> Result<HostAppsView, AppError> {
    let (store, _) = super_admin().await?;
    let apps = store.host_apps().await.map_err(|e| AppError::from_store("apps", e))?;
    Ok(HostAppsView {
        apps: apps
            .into_iter()
            .map(|a| HostAppView {
                id: a.id,
                code: a.code.clone(),
                name: a.name.clone(),
                origins: a.origin_list().map(str::to_owned).collect(),
                key_hint: format!("{}…", a.public_key.chars().take(12).collect::<String>()),
                registered: crate::clock::date_time_in_shanghai(a.created_at),
                active: a.revoked_at.is_none(),
            })
            .collect(),
    })
}

/// Registers an app: its id (`code`), name, origins one per line (`null`
/// for file:// bundles) and its ed25519 public key (base64). Audited.
#[server(prefix = "/api", endpoint = "admin/apps/new")]
pub async fn register_host_app(
    code: String,
    name: String,
    origins: String,
    public_key: String,
) -> Result<(), AppError> {
    let (store, actor) = super_admin().await?;
    let code = code.trim().to_ascii_lowercase();
    if !(2..=32).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::rejected(400, "code", "App 标识应为 2–32 个小写字母、数字或连字符"));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::rejected(400, "name", "请填写 App 名称（最多 40 个字）"));
    }
    let mut parsed = Vec::new();
    for line in origins.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let origin = crate::apps::service::parse_origin(line).ok_or_else(|| {
            AppError::rejected(400, "origins", format!("“{line}”不是来源：应为 https://域名[:端口]，或 null"))
        })?;
        if !parsed.contains(&origin) {
            parsed.push(origin);
        }
    }
    if parsed.is_empty() {
        return Err(AppError::rejected(400, "origins", "请至少填写一个来源"));
    }
    if crate::apps::service::public_key(&public_key).is_none() {
        return Err(AppError::rejected(400, "public_key", "公钥应为 Ed25519 公钥（32 字节）的 Base64"));
    }
    let now = crate::clock::now();
    match store.register_host_app(actor.member_id, &code, name, &parsed.join("\n"), public_key.trim(), now).await {
        Ok(_) => {}
        Err(store::RegisterAppError::CodeTaken) => {
            return Err(AppError::rejected(409, "code", "这个 App 标识已被使用"));
        }
        Err(store::RegisterAppError::Store(e)) => return Err(AppError::from_store("apps", e)),
    }
    crate::apps::service::forget_origins();
    store.announce(&store::Change::Apps).await;
    crate::context::go_to("/admin/apps");
    Ok(())
}

/// Stops an app: its origins leave CORS, its assertions are refused and the
/// members it handed over are signed out of it. Audited.
#[server(prefix = "/api", endpoint = "admin/apps/revoke")]
pub async fn revoke_host_app(id: i64) -> Result<(), AppError> {
    let (store, actor) = super_admin().await?;
    let revoked = store
        .revoke_host_app(actor.member_id, id, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("apps", e))?;
    if !revoked {
        return Err(AppError::rejected(404, "", "没有这个 App，或它已停用"));
    }
    crate::apps::service::forget_origins();
    crate::apps::service::forget_verified_tokens();
    store.announce(&store::Change::Apps).await;
    crate::context::go_to("/admin/apps");
    Ok(())
}
