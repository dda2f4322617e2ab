//! The benefits feature's view types: what its server functions answer and
//! its pages show (serde; compiled for the browser and the server alike).

use serde::{Deserialize, Serialize};

/// A benefit as a member sees it on 服务 and the 惠员卡.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BenefitCard {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub picture_url: Option<String>,
    pub unit_name: String,
    pub partner_name: String,
    /// The eligibility and limits in words (生日当月可领, 每人每年一次 …).
    pub rules: Vec<String>,
    /// `2026-12-01 至 2026-12-31`.
    pub window: String,
    pub left: i64,
    /// Whether this member may claim it now.
    pub can_claim: bool,
    /// Why not, when not (or the state: 已领取).
    pub status: String,
    /// The member's claim in the current period, if any.
    pub my_claim: Option<i64>,
}

/// The 服务 tab.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServicesView {
    pub signed_in: bool,
    pub certified: bool,
    pub unit_name: String,
    pub benefits: Vec<BenefitCard>,
    pub claims: Vec<ClaimCard>,
}

/// One of the member's claims, in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimCard {
    pub id: i64,
    pub benefit_title: String,
    pub partner_name: String,
    pub claimed: String,
    pub redeemed: Option<String>,
}

/// A claim's page: the redemption QR code and the code to type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimView {
    pub id: i64,
    pub benefit_title: String,
    pub partner_name: String,
    pub description: String,
    pub member_name: String,
    /// The signed code the QR carries (checked offline by the scanner).
    pub code: String,
    /// The short code a partner types when there is no camera (online only).
    pub typed_code: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
    pub claimed: String,
    pub redeemed: Option<String>,
}

/// A partner merchant, as officials list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartnerView {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub unit_name: String,
}

/// A benefit with its figures, as officials list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BenefitRow {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub partner_name: String,
    pub picture_url: Option<String>,
    pub rules: Vec<String>,
    pub window: String,
    pub quota: i64,
    pub claimed: i64,
    pub redeemed: i64,
    pub withdrawn: bool,
    /// Per unit of the claimants: (unit, claimed, redeemed).
    pub by_unit: Vec<(String, i64, i64)>,
}

/// The officials' benefits page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BenefitsAdminView {
    /// Units in reach (code, name).
    pub units: Vec<(String, String)>,
    pub partners: Vec<PartnerView>,
    pub benefits: Vec<BenefitRow>,
}

/// The partner's page: signed in or not, their benefits and redemptions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartnerPageView {
    pub signed_in: bool,
    pub name: String,
    /// The ed25519 public key (base64url) the scanner checks codes with.
    pub public_key: String,
    /// (benefit id, title, claimed, redeemed)
    pub benefits: Vec<(i64, String, i64, i64)>,
    /// (benefit title, member, when)
    pub recent: Vec<(String, String, String)>,
}

/// What a redemption answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RedeemReceipt {
    pub claim_id: i64,
    pub benefit_title: String,
    pub member_name: String,
    /// What the scanner shows (the form handler's notice).
    pub notice: String,
}
