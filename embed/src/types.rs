//! The answers of the server's JSON /api that the bundle reads, as serde
//! types. They mirror `app`'s view types field for field (named below), but
//! only the fields shown here: serde ignores the rest, so a field the server
//! adds never breaks an installed app. Defined here rather than taken from
//! `app` because `app` enables Leptos' `islands` feature and pulls every page
//! into the wasm32 build; these few types are cheaper than that.

use serde::{Deserialize, Serialize};

/// `app::accounts::model::MemberView` (`/api/me`, and inside a session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub phone_masked: String,
    pub unit_name: String,
    pub certified: bool,
    pub member_no: Option<String>,
}

/// `POST /api/app/session` (and `/refresh`): a bearer token for this app.
#[derive(Clone, Debug, Deserialize)]
pub struct AppSession {
    pub token: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub member: Member,
}

/// `app::accounts::model::CodeSent`.
#[derive(Clone, Debug, Deserialize)]
pub struct CodeSent {
    pub notice: String,
}

/// `app::card::model::CardView` (`/api/me/card`); stored for offline display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub name: String,
    pub member_no: String,
    pub unit_name: String,
    pub union_name: String,
}

/// `app::card::model::CardCheckView` (`/api/card/check`).
#[derive(Clone, Debug, Deserialize)]
pub struct CardCheck {
    pub valid: bool,
    pub verdict: String,
    pub name_masked: String,
    pub member_no: String,
    pub unit_name: String,
}

/// `app::voting::model::CampaignCard`.
#[derive(Clone, Debug, Deserialize)]
pub struct CampaignCard {
    pub slug: String,
    pub title: String,
    pub unit_name: String,
    pub phase: String,
    pub voting: bool,
    pub period: String,
}

/// `app::voting::model::Standing`.
#[derive(Clone, Debug, Deserialize)]
pub struct Standing {
    pub rank: usize,
    pub number: i32,
    pub name: String,
    pub unit_name: String,
    pub votes: i64,
}

/// `app::voting::model::CampaignView` (`/api/campaign`).
#[derive(Clone, Debug, Deserialize)]
pub struct Campaign {
    pub card: CampaignCard,
    pub description: String,
    pub rules: Vec<String>,
    pub standings: Vec<Standing>,
    /// Votes the member has left today; `None` when the server did not see
    /// a signed-in member.
    pub remaining_today: Option<i64>,
    /// The campaign's share page, absolute.
    pub share_url: String,
}

/// `app::voting::model::VoteReceipt` (`POST /api/vote`).
#[derive(Clone, Debug, Deserialize)]
pub struct VoteReceipt {
    pub remaining_today: i64,
    /// The same idempotency key arrived before: counted once.
    pub replayed: bool,
}

/// `app::home::model::UnionProfile` (`/api/union`).
#[derive(Clone, Debug, Deserialize)]
pub struct UnionProfile {
    pub name: String,
}

/// `domain::UnitNode`: `/api/units` answers the tree.
#[derive(Clone, Debug, Deserialize)]
pub struct UnitNode {
    pub code: String,
    pub name: String,
    pub children: Vec<UnitNode>,
}

/// `app::home::model::UnitDirectory`.
#[derive(Clone, Debug, Deserialize)]
pub struct UnitDirectory {
    pub tree: Vec<UnitNode>,
}

/// `app::newsroom::model::ArticleCardView`.
#[derive(Clone, Debug, Deserialize)]
pub struct ArticleCard {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub channel_name: String,
    pub when: String,
}

/// `app::newsroom::model::FeedView` (`/api/feed`).
#[derive(Clone, Debug, Deserialize)]
pub struct Feed {
    pub heading: String,
    pub cards: Vec<ArticleCard>,
}

/// `app::benefits::model::BenefitCard`.
#[derive(Clone, Debug, Deserialize)]
pub struct Benefit {
    pub title: String,
    pub partner_name: String,
    pub window: String,
    pub status: String,
    pub can_claim: bool,
}

/// `app::benefits::model::ServicesView` (`/api/services`).
#[derive(Clone, Debug, Deserialize)]
pub struct Services {
    pub benefits: Vec<Benefit>,
}
