//! The benefit rules on typed inputs: who may claim what and when, the
//! officials' benefit and partner forms, redemption at the partner.

use domain::CivilDate;
use store::protect::DataKey;
use store::{Actor, Benefit, ClaimRefusal, ClaimantFacts, MemberId, Redemption, Store};

use super::codes::{CodeKey, CodeKind, Entered};
use super::model::{BenefitCard, BenefitRow, ClaimCard, ClaimView, PartnerView, RedeemReceipt, ServicesView};
use crate::clock::date_time_in_shanghai;
use crate::error::AppError;
use crate::newsroom::model::masked_name;

fn store_error(context: &'static str) -> impl Fn(store::StoreError) -> AppError {
    move |e| AppError::from_store(context, e)
}

/// The most a benefit can offer: a province's million certified members,
/// with room.
const MAX_QUOTA: i32 = 10_000_000;

/// `2026-12-01 至 2026-12-31` (the closing time is the midnight after the
/// last day).
pub fn window(b: &Benefit) -> String {
    format!("{} 至 {}", CivilDate::in_shanghai(b.opens_at).iso(), CivilDate::in_shanghai(b.closes_at - 1).iso())
}

/// The benefit's conditions in words, as the member reads them.
pub fn rules(b: &Benefit) -> Vec<String> {
    let mut rules = vec![format!("{}及下级工会的实名认证会员", b.unit_name)];
    if b.birthday_month {
        rules.push("生日当月可领".to_owned());
    }
    if let Some(since) = &b.member_since {
        rules.push(format!("{since} 及以前认证的会员"));
    }
    rules.push(if b.once_per_year { "每人每年限领一次" } else { "每人限领一次" }.to_owned());
    match b.quota_per_day {
        Some(per_day) => rules.push(format!("共 {} 份，每天 {per_day} 份", b.quota)),
        None => rules.push(format!("共 {} 份", b.quota)),
    }
    rules
}

/// Whether a member with `facts` may claim `b` at `now`: the claim's
/// period (the Shanghai year for once-a-year benefits, else 0), or the
/// status and the reason to show. `in_subtree`: the member's unit is the
/// benefit's unit or below it.
pub fn judge(b: &Benefit, facts: &ClaimantFacts, in_subtree: bool, now: i64) -> Result<i32, (u16, String)> {
    let today = CivilDate::in_shanghai(now);
    let Some(certified_at) = facts.certified_at else {
        return Err((403, "完成实名认证后即可领取会员福利".to_owned()));
    };
    if !in_subtree {
        return Err((403, format!("此福利面向{}及下级工会的会员", b.unit_name)));
    }
    if b.withdrawn_at.is_some() {
        return Err((409, "此福利已撤下".to_owned()));
    }
    if now < b.opens_at {
        return Err((409, format!("{} 开始领取", CivilDate::in_shanghai(b.opens_at).iso())));
    }
    if now >= b.closes_at {
        return Err((409, "领取已结束".to_owned()));
    }
    if b.birthday_month {
        let month = facts.birth_date.as_deref().and_then(|d| d.get(5..7)).and_then(|m| m.parse::<u32>().ok());
        match month {
            Some(month) if month == today.month() => {}
            Some(month) => return Err((403, format!("生日当月才能领取，您的生日在 {month} 月"))),
            None => return Err((403, "生日当月才能领取，名册中没有您的出生日期".to_owned())),
        }
    }
    if let Some(since) = &b.member_since {
        if CivilDate::in_shanghai(certified_at).iso().as_str() > since.as_str() {
            return Err((403, format!("限 {since} 及以前认证的会员领取")));
        }
    }
    Ok(if b.once_per_year { today.year() as i32 } else { 0 })
}

fn card(b: &Benefit, verdict: Result<i32, (u16, String)>, my_claim: Option<i64>) -> BenefitCard {
    let left = (i64::from(b.quota) - b.claimed).max(0);
    let (can_claim, status) = match (my_claim, verdict) {
        (Some(_), _) => (false, "已领取".to_owned()),
        (None, Err((_, why))) => (false, why),
        (None, Ok(_)) if left == 0 => (false, "名额已领完".to_owned()),
        (None, Ok(_)) => (true, format!("剩余 {left} 份")),
    };
    BenefitCard {
        id: b.id,
        title: b.title.clone(),
        description: b.description.clone(),
        picture_url: b.picture_url.clone(),
        unit_name: b.unit_name.clone(),
        partner_name: b.partner_name.clone(),
        rules: rules(b),
        window: window(b),
        left,
        can_claim,
        status,
        my_claim,
    }
}

/// The 服务 tab for `member` (or a visitor): benefits of their unit and
/// the units above it, and their claims.
pub async fn services(store: &Store, member: Option<MemberId>, now: i64) -> Result<ServicesView, AppError> {
    let err = store_error("services");
    let Some(member) = member else {
        return Ok(ServicesView::default());
    };
    let found = store.member_by_id(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let claims = store.member_claims(member).await.map_err(&err)?;
    let benefits = store.benefits_for_unit(facts.unit_id, now).await.map_err(&err)?;
    let cards = benefits
        .iter()
        .filter(|b| now >= b.opens_at - 30 * 86_400) // announced a month ahead at most
        .map(|b| {
            let verdict = judge(b, &facts, true, now);
            let period = if b.once_per_year { CivilDate::in_shanghai(now).year() as i32 } else { 0 };
            let mine = claims.iter().find(|c| c.benefit_id == b.id && c.period == period).map(|c| c.id);
            card(b, verdict, mine)
        })
        .collect();
    Ok(ServicesView {
        signed_in: true,
        certified: found.certified_member_no.is_some(),
        unit_name: found.unit_name,
        benefits: cards,
        claims: claims
            .into_iter()
            .map(|c| ClaimCard {
                id: c.id,
                benefit_title: c.benefit_title,
                partner_name: c.partner_name,
                claimed: date_time_in_shanghai(c.created_at),
                redeemed: c.redeemed_at.map(date_time_in_shanghai),
            })
            .collect(),
    })
}

/// Member `member` claims benefit `id`: the claim's id. Every refusal says
/// why in Chinese under a fitting status; nothing is stored then.
pub async fn claim(store: &Store, member: MemberId, id: i64, now: i64) -> Result<i64, AppError> {
    let err = store_error("claim");
    let no_such = || AppError::rejected(404, "", "没有这项福利");
    let benefit = store.benefit(id).await.map_err(&err)?.ok_or_else(no_such)?;
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let in_subtree = store.unit_within(facts.unit_id, benefit.unit_id).await.map_err(&err)?;
    let period =
        judge(&benefit, &facts, in_subtree, now).map_err(|(status, why)| AppError::rejected(status, "", why))?;
    let day = CivilDate::in_shanghai(now).iso();
    let new = store::NewClaim { benefit: id, member, unit_id: facts.unit_id, period, day: &day, now };
    match store.claim_benefit(&new).await.map_err(&err)? {
        Ok(claim) => Ok(claim),
        Err(ClaimRefusal::AlreadyClaimed(_)) => Err(AppError::rejected(
            409,
            "",
            if benefit.once_per_year { "您今年已领取过这项福利" } else { "您已领取过这项福利" },
        )),
        Err(ClaimRefusal::SoldOut) => Err(AppError::rejected(409, "", "名额已领完")),
        Err(ClaimRefusal::SoldOutToday) => Err(AppError::rejected(409, "", "今天的名额已领完，请明天再来")),
    }
}

/// Claim `id` of `member` with its QR code (404 for anyone else's).
pub async fn claim_view(store: &Store, key: &DataKey, member: MemberId, id: i64) -> Result<ClaimView, AppError> {
    let claim = store
        .claim(id)
        .await
        .map_err(store_error("claim_view"))?
        .filter(|c| c.member_id == member.0)
        .ok_or_else(|| AppError::rejected(404, "", "没有这张领取凭证"))?;
    let benefit =
        store.benefit(claim.benefit_id).await.map_err(store_error("claim_view"))?.ok_or(AppError::Internal)?;
    let codes = CodeKey::from_data_key(key);
    let code = codes.sign(CodeKind::BenefitClaim, claim.id, claim.benefit_id);
    let qr_svg = qr_svg(&code)?;
    Ok(ClaimView {
        id: claim.id,
        benefit_title: claim.benefit_title,
        partner_name: claim.partner_name,
        description: benefit.description,
        member_name: masked_name(&claim.member_name),
        typed_code: codes.typed(CodeKind::BenefitClaim, claim.id, claim.benefit_id),
        code,
        qr_svg,
        claimed: date_time_in_shanghai(claim.created_at),
        redeemed: claim.redeemed_at.map(date_time_in_shanghai),
    })
}

/// `text` as an SVG QR code (level M), without the XML declaration so it
/// can sit inside the page.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).map_err(|error| {
        tracing::error!(%error, "QR code");
        AppError::Internal
    })?;
    let image = qr.render::<svg::Color>().min_dimensions(220, 220).quiet_zone(true).build();
    Ok(image.find("<svg").map(|at| image[at..].to_owned()).unwrap_or(image))
}

/// Partner `partner` redeems what they scanned or typed.
pub async fn redeem(
    store: &Store,
    key: &DataKey,
    partner: i64,
    entered: &str,
    now: i64,
) -> Result<RedeemReceipt, AppError> {
    let not_a_code = || AppError::rejected(400, "code", "这不是有效的领取码，请重新扫码或核对后输入");
    let codes = CodeKey::from_data_key(key);
    let (claim, benefit) = match Entered::parse(entered).ok_or_else(not_a_code)? {
        Entered::Signed(code) => codes.verify(CodeKind::BenefitClaim, &code).ok_or_else(not_a_code)?,
        Entered::Typed { first, digits } => {
            let found = store.claim(first).await.map_err(store_error("redeem"))?.ok_or_else(not_a_code)?;
            if !codes.check_typed(CodeKind::BenefitClaim, found.id, found.benefit_id, &digits) {
                return Err(not_a_code());
            }
            (found.id, found.benefit_id)
        }
    };
    match store.redeem_claim(partner, claim, benefit, now).await.map_err(store_error("redeem"))? {
        Redemption::Redeemed(c) => Ok(RedeemReceipt {
            claim_id: c.id,
            member_name: masked_name(&c.member_name),
            notice: format!("核销成功：{}（{}）", c.benefit_title, masked_name(&c.member_name)),
            benefit_title: c.benefit_title,
        }),
        Redemption::AlreadyRedeemed(at) => Err(AppError::rejected(
            409,
            "code",
            format!("这张领取码已于 {} 核销过，不能重复使用", date_time_in_shanghai(at)),
        )),
        Redemption::NotFound => Err(AppError::rejected(404, "code", "这张领取码不是本店的福利")),
    }
}

/// What an official types to create a benefit.
pub struct BenefitForm<'a> {
    pub unit: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub partner: &'a str,
    pub birthday_month: bool,
    pub member_since: &'a str,
    pub once_per_year: bool,
    pub quota: &'a str,
    pub quota_per_day: &'a str,
    pub opens: &'a str,
    pub closes: &'a str,
}

fn count(raw: &str, field: &str, what: &str) -> Result<i32, AppError> {
    let raw = raw.trim();
    raw.parse::<i32>()
        .ok()
        .filter(|n| (1..=MAX_QUOTA).contains(n))
        .ok_or_else(|| AppError::rejected(400, field, format!("{what}请填写 1 到 {MAX_QUOTA} 之间的整数")))
}

fn date(raw: &str, field: &str) -> Result<CivilDate, AppError> {
    CivilDate::parse_iso(raw.trim()).ok_or_else(|| AppError::rejected(400, field, "请填写日期，如 2026-12-01"))
}

/// Creates a benefit from the official's form (audited by the store).
pub async fn create(store: &Store, actor: &Actor, form: &BenefitForm<'_>, now: i64) -> Result<i64, AppError> {
    let title = form.title.trim();
    if !(2..=40).contains(&title.chars().count()) {
        return Err(AppError::rejected(400, "title", "名称请填写 2 到 40 个字"));
    }
    let description = form.description.trim();
    if description.is_empty() || description.chars().count() > 500 {
        return Err(AppError::rejected(400, "description", "说明请填写，最多 500 字"));
    }
    let partner: i64 = form.partner.trim().parse().map_err(|_| AppError::rejected(400, "partner", "请选择合作商户"))?;
    let quota = count(form.quota, "quota", "名额")?;
    let quota_per_day = match form.quota_per_day.trim() {
        "" => None,
        raw => Some(count(raw, "quota_per_day", "每日名额")?),
    };
    if quota_per_day.is_some_and(|d| d > quota) {
        return Err(AppError::rejected(400, "quota_per_day", "每日名额不能多于总名额"));
    }
    let opens = date(form.opens, "opens")?;
    let closes = date(form.closes, "closes")?;
    if closes.iso() < opens.iso() {
        return Err(AppError::rejected(400, "closes", "截止日期不能早于开始日期"));
    }
    // The last day counts whole: claims close at the midnight after it.
    let closes_at = closes.midnight_in_shanghai() + 86_400;
    if closes_at <= now {
        return Err(AppError::rejected(400, "closes", "截止日期已过"));
    }
    let member_since = match form.member_since.trim() {
        "" => None,
        raw => Some(date(raw, "member_since")?.iso()),
    };
    let new = store::NewBenefit {
        unit_code: form.unit.trim(),
        title,
        description,
        partner_id: partner,
        birthday_month: form.birthday_month,
        member_since: member_since.as_deref(),
        once_per_year: form.once_per_year,
        quota,
        quota_per_day,
        opens_at: opens.midnight_in_shanghai(),
        closes_at,
    };
    store
        .create_benefit(actor, &new, now)
        .await
        .map_err(store_error("create_benefit"))?
        .ok_or_else(|| AppError::rejected(403, "unit", "只能为您管理的单位、用您管理范围内的商户发布福利"))
}

/// Creates partner `name` with sign-in `login` and `password`.
pub async fn create_partner(
    store: &Store,
    actor: &Actor,
    unit: &str,
    name: &str,
    login: &str,
    password: &str,
    now: i64,
) -> Result<i64, AppError> {
    let name = name.trim();
    if !(2..=40).contains(&name.chars().count()) {
        return Err(AppError::rejected(400, "name", "商户名称请填写 2 到 40 个字"));
    }
    let login = login.trim().to_ascii_lowercase();
    let login_ok = (3..=32).contains(&login.len())
        && login.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !login_ok {
        return Err(AppError::rejected(400, "login", "登录名用 3 到 32 个英文字母、数字、- 或 _"));
    }
    let password = domain::Password::parse(password).map_err(|e| AppError::rejected(400, "password", e.to_string()))?;
    let hash = crate::accounts::service::hash_password(password).await?;
    match store.create_partner(actor, unit.trim(), name, &login, &hash, now).await {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(AppError::rejected(403, "unit", "只能在您管理的单位下添加商户")),
        Err(store::StoreError::Database(e)) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => {
            Err(AppError::rejected(409, "login", "这个登录名已被使用"))
        }
        Err(e) => Err(AppError::from_store("create_partner", e)),
    }
}

/// A partner signing in: their id, or why not (same answer for an unknown
/// login and a wrong password; five wrong tries lock it for 15 minutes).
pub async fn partner_sign_in(store: &Store, login: &str, password: &str, now: i64) -> Result<(i64, String), AppError> {
    let wrong = || AppError::rejected(401, "password", "登录名或密码不正确");
    let found =
        store.partner_credentials(login.trim().to_ascii_lowercase().as_str()).await.map_err(store_error("partner"))?;
    if let Some(until) = found.as_ref().and_then(|f| f.locked_until).filter(|until| *until > now) {
        return Err(AppError::rejected(
            429,
            "password",
            format!("密码错误次数过多，请于 {} 后再试", crate::clock::wall_clock_in_shanghai(until)),
        ));
    }
    let ok =
        crate::accounts::service::verify_password(password.to_owned(), found.as_ref().map(|f| f.password_hash.clone()))
            .await?;
    let Some(found) = found else { return Err(wrong()) };
    store.record_partner_sign_in(found.id, ok, now + 15 * 60).await.map_err(store_error("partner"))?;
    if ok {
        Ok((found.id, found.name))
    } else {
        Err(wrong())
    }
}

pub fn partner_view(p: store::Partner) -> PartnerView {
    PartnerView { id: p.id, name: p.name, login: p.login, unit_name: p.unit_name }
}

pub async fn benefit_row(store: &Store, b: Benefit) -> Result<BenefitRow, AppError> {
    let by_unit = store
        .benefit_claims_by_unit(b.id)
        .await
        .map_err(store_error("benefit_row"))?
        .into_iter()
        .map(|u| (u.unit_name, u.claimed, u.redeemed))
        .collect();
    Ok(BenefitRow {
        id: b.id,
        title: b.title.clone(),
        unit_name: b.unit_name.clone(),
        partner_name: b.partner_name.clone(),
        picture_url: b.picture_url.clone(),
        rules: rules(&b),
        window: window(&b),
        quota: b.quota.into(),
        claimed: b.claimed,
        redeemed: b.redeemed,
        withdrawn: b.withdrawn_at.is_some(),
        by_unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02 10:00 in Shanghai.
    const NOW: i64 = 1_796_176_800;

    fn cake() -> Benefit {
        Benefit {
            id: 1,
            unit_id: 2,
            unit_code: "3713".into(),
            unit_name: "临沂市总工会".into(),
            title: "生日送蛋糕".into(),
            description: "生日当月领取蛋糕一个。".into(),
            picture_url: None,
            partner_id: 1,
            partner_name: "好利来临沂店".into(),
            birthday_month: true,
            member_since: None,
            once_per_year: true,
            quota: 100,
            quota_per_day: None,
            opens_at: NOW - 86_400,
            closes_at: NOW + 30 * 86_400,
            withdrawn_at: None,
            claimed: 0,
            redeemed: 0,
        }
    }

    fn born(date: &str) -> ClaimantFacts {
        ClaimantFacts { unit_id: 9, certified_at: Some(NOW - 400 * 86_400), birth_date: Some(date.into()) }
    }

    #[test]
    fn a_birthday_benefit_is_for_this_months_birthdays_once_this_year() {
        assert_eq!(judge(&cake(), &born("1990-12-24"), true, NOW), Ok(2026));
        let (status, why) = judge(&cake(), &born("1990-08-24"), true, NOW).unwrap_err();
        assert_eq!(status, 403);
        assert!(why.contains("8 月"), "{why}");
    }

    #[test]
    fn an_uncertified_member_or_one_outside_the_subtree_is_told_why() {
        let mut facts = born("1990-12-24");
        assert!(judge(&cake(), &facts, false, NOW).unwrap_err().1.contains("临沂市总工会"));
        facts.certified_at = None;
        assert!(judge(&cake(), &facts, true, NOW).unwrap_err().1.contains("实名认证"));
    }

    #[test]
    fn the_claim_window_and_the_member_since_date_hold() {
        let mut b = cake();
        b.birthday_month = false;
        b.once_per_year = false;
        assert_eq!(judge(&b, &born("1990-08-24"), true, NOW), Ok(0));
        b.opens_at = NOW + 3600;
        assert_eq!(judge(&b, &born("1990-08-24"), true, NOW).unwrap_err().0, 409);
        b.opens_at = NOW - 86_400;
        b.member_since = Some("2025-01-01".into());
        // certified 400 days before 2026-12-02: 2025-10-28, after 2025-01-01.
        assert!(judge(&b, &born("1990-08-24"), true, NOW).unwrap_err().1.contains("2025-01-01"));
        b.member_since = Some("2025-12-31".into());
        assert_eq!(judge(&b, &born("1990-08-24"), true, NOW), Ok(0));
        b.closes_at = NOW;
        assert_eq!(judge(&b, &born("1990-08-24"), true, NOW).unwrap_err().1, "领取已结束");
    }

    #[test]
    fn the_rules_read_as_the_member_needs_them() {
        let mut b = cake();
        b.quota_per_day = Some(10);
        let rules = rules(&b).join("；");
        assert!(
            rules.contains("生日当月可领")
                && rules.contains("每人每年限领一次")
                && rules.contains("共 100 份，每天 10 份")
        );
        assert_eq!(window(&b), "2026-12-01 至 2027-01-01");
    }
}
