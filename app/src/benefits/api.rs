//! Every benefits server function: the /api surface of 惠员福利 (docs/API.md).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;

    /// The session key of a signed-in partner (a merchant is not a member:
    /// its sign-in lives beside a member's, never as one).
    pub const PARTNER_KEY: &str = "partner_id";

    pub async fn member() -> Result<Option<store::MemberId>, AppError> {
        let store = crate::context::store()?;
        crate::accounts::session::member(&store, &crate::context::session().await?).await
    }

    pub async fn partner() -> Result<Option<i64>, AppError> {
        let session = crate::context::session().await?;
        Ok(session.get::<i64>(PARTNER_KEY).await.ok().flatten())
    }

    pub fn id(raw: &str) -> Result<i64, AppError> {
        raw.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这项福利"))
    }
}

/// The 服务 tab: benefits the signed-in member can see (their unit's and
/// every unit's above it) and their claims; empty for visitors.
#[server(prefix = "/api", endpoint = "services", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_services() -> Result<ServicesView, AppError> {
    let member = ssr::member().await?;
    crate::benefits::service::services(&crate::context::store()?, member, crate::clock::now()).await
}

/// The signed-in member claims benefit `id`; the answer is the claim's id
/// (a browser goes on to its QR code). 401 signed out; 403 not eligible
/// (not certified, outside the unit, not their birthday month…); 409
/// already claimed, used up, not open.
#[server(prefix = "/api", endpoint = "benefits/claim")]
pub async fn claim_benefit(id: String) -> Result<i64, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let claim = crate::benefits::service::claim(&store, member, ssr::id(&id)?, crate::clock::now()).await?;
    crate::context::go_to(&format!("/services/claims/{claim}"));
    Ok(claim)
}

/// The member's claim `id`: its signed code, QR code and typed code.
#[server(prefix = "/api", endpoint = "benefits/my-claim", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_claim(id: String) -> Result<ClaimView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let key = crate::context::services()?.data_key.clone();
    let id = id.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这张领取凭证"))?;
    crate::benefits::service::claim_view(&store, &key, member, id).await
}

/// The officials' page: units, partners and benefits in reach, with figures.
#[server(prefix = "/api", endpoint = "admin/benefits", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_benefits_admin() -> Result<BenefitsAdminView, AppError> {
    let (store, actor) = crate::context::official().await?;
    let err = |e| AppError::from_store("benefits_admin", e);
    let units = store.units_in_scope(&actor).await.map_err(err)?.into_iter().map(|(c, n, _)| (c, n)).collect();
    let partners = store
        .partners_in_scope(&actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(crate::benefits::service::partner_view)
        .collect();
    let mut benefits = Vec::new();
    for b in store.benefits_in_scope(&actor).await.map_err(err)? {
        benefits.push(crate::benefits::service::benefit_row(&store, b).await?);
    }
    Ok(BenefitsAdminView { units, partners, benefits })
}

/// Adds partner merchant `name` under unit `unit` with its own sign-in
/// (`login`, `password`: the official passes both on). Audited.
#[server(prefix = "/api", endpoint = "admin/benefits/partners")]
pub async fn create_partner(unit: String, name: String, login: String, password: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::benefits::service::create_partner(&store, &actor, &unit, &name, &login, &password, crate::clock::now())
        .await?;
    Ok(format!("已添加商户“{}”，登录名 {}", name.trim(), login.trim().to_ascii_lowercase()))
}

/// Creates a benefit of unit `unit` (dates `YYYY-MM-DD` in Shanghai, both
/// days included; `birthday_month`, `once_per_year` checkboxes;
/// `member_since`, `quota_per_day` optional). Audited.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/benefits/create")]
pub async fn create_benefit(
    unit: String,
    title: String,
    description: String,
    partner: String,
    birthday_month: Option<String>,
    member_since: String,
    once_per_year: Option<String>,
    quota: String,
    quota_per_day: String,
    opens: String,
    closes: String,
) -> Result<i64, AppError> {
    let (store, actor) = crate::context::official().await?;
    let form = crate::benefits::service::BenefitForm {
        unit: &unit,
        title: &title,
        description: &description,
        partner: &partner,
        birthday_month: birthday_month.is_some_and(|v| !v.is_empty()),
        member_since: &member_since,
        once_per_year: once_per_year.is_some_and(|v| !v.is_empty()),
        quota: &quota,
        quota_per_day: &quota_per_day,
        opens: &opens,
        closes: &closes,
    };
    let id = crate::benefits::service::create(&store, &actor, &form, crate::clock::now()).await?;
    crate::context::go_to(&format!("/admin/benefits#benefit-{id}"));
    Ok(id)
}

/// Withdraws benefit `id`: no new claims; claims taken stay redeemable. Audited.
#[server(prefix = "/api", endpoint = "admin/benefits/withdraw")]
pub async fn withdraw_benefit(id: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let done = store
        .withdraw_benefit(&actor, ssr::id(&id)?, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("withdraw_benefit", e))?;
    if !done {
        return Err(AppError::rejected(404, "", "没有这项福利，或它不在您的管理范围，或已撤下"));
    }
    Ok("福利已撤下，已领取的仍可核销".to_owned())
}

/// Sets benefit `id`'s picture: multipart with `id` and `photo`
/// (JPEG/PNG/WebP by content, at most 8 MB). Audited.
#[server(prefix = "/api", endpoint = "admin/benefits/picture", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_benefit_picture(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let (store, actor) = crate::context::official().await?;
    let id = ssr::id(upload.field("id"))?;
    let err = |e| AppError::from_store("benefit_picture", e);
    let in_reach = store.benefits_in_scope(&actor).await.map_err(err)?.into_iter().any(|b| b.id == id);
    if !in_reach {
        return Err(AppError::rejected(404, "", "没有这项福利，或它不在您的管理范围"));
    }
    let content_type = crate::certification::service::check_photo(upload.file.as_deref())?;
    let now = crate::clock::now();
    store
        .put_media(store::MediaKind::Benefit, id, content_type, upload.file.as_deref().unwrap_or_default(), now)
        .await
        .map_err(err)?;
    store.audit(Some(actor.member_id), "上传图片", &format!("福利 #{id}"), "", None, now).await.map_err(err)?;
    Ok("已上传福利图片".to_owned())
}

/// The partner's page: whether a partner is signed in, their benefits,
/// the newest redemptions and the public key their scanner checks with.
#[server(prefix = "/api", endpoint = "partner/page", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_partner_page() -> Result<PartnerPageView, AppError> {
    let key = crate::context::services()?.data_key.clone();
    let public_key = crate::benefits::codes::CodeKey::from_data_key(&key).public_key();
    let Some(partner) = ssr::partner().await? else {
        return Ok(PartnerPageView { public_key, ..Default::default() });
    };
    let store = crate::context::store()?;
    let err = |e| AppError::from_store("partner_page", e);
    let benefits = store.partner_benefits(partner).await.map_err(err)?;
    let recent = store.partner_redemptions(partner, 20).await.map_err(err)?;
    let session = crate::context::session().await?;
    let name = session.get::<String>("partner_name").await.ok().flatten().unwrap_or_default();
    Ok(PartnerPageView {
        signed_in: true,
        name,
        public_key,
        benefits: benefits.into_iter().map(|b| (b.id, b.title, b.claimed, b.redeemed)).collect(),
        recent: recent
            .into_iter()
            .map(|c| {
                let when = c.redeemed_at.map(crate::clock::date_time_in_shanghai).unwrap_or_default();
                (c.benefit_title, crate::newsroom::model::masked_name(&c.member_name), when)
            })
            .collect(),
    })
}

/// A partner signs in with the login and password an official gave them
/// (under /api/auth/: the sign-in rate limits apply).
#[server(prefix = "/api", endpoint = "auth/partner-login")]
pub async fn partner_sign_in(login: String, password: String) -> Result<String, AppError> {
    let store = crate::context::store()?;
    let (id, name) = crate::benefits::service::partner_sign_in(&store, &login, &password, crate::clock::now()).await?;
    let session = crate::context::session().await?;
    let unavailable = |error: tower_sessions::session::Error| {
        tracing::error!(%error, "session store");
        AppError::Unavailable
    };
    session.cycle_id().await.map_err(unavailable)?;
    session.insert(ssr::PARTNER_KEY, id).await.map_err(unavailable)?;
    session.insert("partner_name", name.clone()).await.map_err(unavailable)?;
    crate::context::go_to("/partner");
    Ok(format!("{name}，欢迎"))
}

/// Signs the partner out on this device.
#[server(prefix = "/api", endpoint = "partner/logout")]
pub async fn partner_sign_out() -> Result<String, AppError> {
    let session = crate::context::session().await?;
    let _ = session.remove::<i64>(ssr::PARTNER_KEY).await;
    let _ = session.remove::<String>("partner_name").await;
    crate::context::go_to("/partner");
    Ok("已退出".to_owned())
}

/// The signed-in partner redeems `code`: a scanned signed code, or the
/// typed `{claim}-{8 digits}`. Once only: a second redemption is refused
/// (409) with the time of the first; a code of another merchant's benefit
/// is 404; a forged or mistyped one 400.
#[server(prefix = "/api", endpoint = "partner/redeem")]
pub async fn redeem_code(code: String) -> Result<RedeemReceipt, AppError> {
    let partner = ssr::partner().await?.ok_or_else(|| AppError::rejected(401, "", "请先以商户身份登录"))?;
    let store = crate::context::store()?;
    let key = crate::context::services()?.data_key.clone();
    crate::benefits::service::redeem(&store, &key, partner, &code, crate::clock::now()).await
}
