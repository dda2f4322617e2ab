//! The voting feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use serde::{Deserialize, Serialize};

/// The awards a works contest gives (the database's CHECK lists the same).
pub const AWARDS: [&str; 4] = ["一等奖", "二等奖", "三等奖", "优秀奖"];

/// What a vote answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoteReceipt {
    pub candidate: String,
    /// Votes the member has left today in this campaign.
    pub remaining_today: i64,
    /// The same request (idempotency key) arrived before: counted once.
    pub replayed: bool,
}

/// One line of the leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Standing {
    pub rank: usize,
    pub number: i32,
    pub name: String,
    pub unit_name: String,
    pub title: String,
    pub votes: i64,
    /// A works contest's gallery thumbnail.
    pub thumb_url: Option<String>,
    /// The award, once the awards are published.
    pub award: Option<String>,
}

/// A campaign in the list of campaigns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CampaignCard {
    pub slug: String,
    /// A contest of members' works (网络展): entries with pictures, a gallery.
    pub works: bool,
    /// Voting has ended (公示 or closed): awards may be published.
    pub voting_over: bool,
    /// In 报名: members may sign up.
    pub signing_up: bool,
    pub title: String,
    pub unit_name: String,
    pub phase: String,
    pub voting: bool,
    pub period: String,
}

/// A campaign's page: its rules and leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CampaignView {
    pub card: CampaignCard,
    pub description: String,
    pub rules: Vec<String>,
    pub standings: Vec<Standing>,
    /// The search that filtered the standings, if any.
    pub query: Option<String>,
    /// Votes the signed-in member has left today (`None` signed out).
    pub remaining_today: Option<i64>,
    pub share_url: String,
    pub cover_url: Option<String>,
    /// Absolute, for Open Graph: the cover, else the campaign's card
    /// (`/v/{slug}/card.png`), so a shared link always shows a picture.
    pub og_image: Option<String>,
    /// The picture's width and height when known (the card's; not a cover's).
    pub og_image_size: Option<(u32, u32)>,
    /// Votes voided by officials, with their reasons (public, like the results).
    pub voids: Vec<VoidView>,
}

/// A candidate's share page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CandidateView {
    pub campaign: CampaignCard,
    /// The candidate's photo (a path on this site), if uploaded.
    pub photo_url: Option<String>,
    /// Absolute, for Open Graph (chat apps show it in the link preview):
    /// the photo, else the candidate's poster (`…/poster.png`).
    pub og_image: Option<String>,
    /// The picture's width and height when known (the poster's; not a photo's).
    pub og_image_size: Option<(u32, u32)>,
    pub standing: Standing,
    /// Sanitised when saved (ammonia).
    pub story_html: String,
    pub remaining_today: Option<i64>,
    pub share_url: String,
    /// A fresh idempotency key for this page's vote form: a double tap or a
    /// resent form counts once.
    pub vote_key: String,
}

/// A minute in which a candidate got far more votes than usual.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Burst {
    pub candidate_id: i64,
    pub number: i32,
    pub name: String,
    /// The minute's start (Unix seconds), for voiding that minute.
    pub minute_start: i64,
    pub at: String,
    pub votes: i64,
    /// The candidate's median votes per active minute.
    pub baseline: i64,
}

/// Many accounts voting from one client address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SharedAddress {
    pub ip: String,
    pub accounts: i64,
    pub votes: i64,
    /// (member id, masked phone, votes), most votes first.
    pub members: Vec<(i64, String, i64)>,
}

/// A candidate whose votes come mostly at night.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NightSpike {
    pub candidate_id: i64,
    pub number: i32,
    pub name: String,
    pub night_votes: i64,
    pub votes: i64,
}

/// A void, as officials and the public results list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidView {
    pub id: i64,
    /// Which votes, in words.
    pub what: String,
    pub reason: String,
    pub votes: i64,
    pub at: String,
    pub undone: bool,
}

/// The anti-fraud view of one campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FraudReport {
    pub bursts: Vec<Burst>,
    pub addresses: Vec<SharedAddress>,
    pub night: Vec<NightSpike>,
    pub voids: Vec<VoidView>,
}

/// One line of a campaign's results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResultRow {
    pub rank: usize,
    pub number: i32,
    pub name: String,
    pub unit_name: String,
    pub votes: i64,
    pub expert_score: Option<i64>,
    /// Tenths of a point; `None` until the panel has scored the candidate.
    pub final_tenths: Option<i64>,
}

/// A candidate of any status, for officials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CandidateRow {
    pub id: i64,
    pub photo_url: Option<String>,
    pub number: Option<i32>,
    pub name: String,
    pub unit_name: String,
    pub title: String,
    /// 待审核, 已通过 or 已驳回.
    pub status: String,
    pub pending: bool,
    pub story_html: String,
    pub approved: bool,
    /// The award given (published or not).
    pub award: Option<String>,
}

impl ResultRow {
    pub fn final_text(&self) -> String {
        self.final_tenths.map(|t| format!("{}.{}", t / 10, t % 10)).unwrap_or_else(|| "—".to_owned())
    }
}
