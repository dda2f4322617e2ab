//! 评选投票 as pages and the JSON API see it: campaigns, candidates, the
//! leaderboard and `POST /api/vote`. The rules are in `services::voting`.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::clock::{date_time_in_shanghai, now, shanghai_day};
    use store::{Campaign, Store};

    pub fn card(c: &Campaign) -> CampaignCard {
        let phase = c.schedule.phase_at(now());
        CampaignCard {
            slug: c.slug.clone(),
            works: c.works,
            voting_over: matches!(phase, domain::campaign::Phase::Publicity | domain::campaign::Phase::Closed),
            title: c.title.clone(),
            unit_name: c.unit_name.clone(),
            phase: phase.label().to_owned(),
            voting: phase == domain::campaign::Phase::Voting,
            signing_up: phase == domain::campaign::Phase::SignUp,
            period: format!(
                "投票时间：{} 至 {}",
                date_time_in_shanghai(c.schedule.voting_starts),
                date_time_in_shanghai(c.schedule.publicity_starts)
            ),
        }
    }

    /// The signed-in member's votes left today, or `None` signed out.
    pub async fn remaining(store: &Store, c: &Campaign) -> Result<Option<i64>, AppError> {
        let session = crate::context::session().await?;
        let Some(member) = crate::accounts::session::member(store, &session).await? else { return Ok(None) };
        let used = store
            .votes_on_day(c.id, member, shanghai_day(now()))
            .await
            .map_err(|e| AppError::from_store("remaining", e))?;
        Ok(Some((c.votes_per_day - used).max(0)))
    }

    pub async fn origin() -> String {
        match crate::context::services() {
            Ok(services) => services.public_origin.resolve().await,
            Err(_) => crate::context::PublicOrigin::default().resolve().await,
        }
    }

    /// The leaderboard of `campaign` filtered by `q` (a number or part of a
    /// name), and the query as used.
    pub async fn standings(
        store: &Store,
        campaign: &Campaign,
        q: Option<String>,
    ) -> Result<(Vec<Standing>, Option<String>), AppError> {
        let board = crate::voting::service::leaderboard(store, campaign).await?;
        let query = q.map(|q| q.trim().chars().take(20).collect::<String>()).filter(|q| !q.is_empty());
        let standings = board
            .iter()
            .filter(|s| match &query {
                Some(q) => s.number.to_string() == *q || s.name.contains(q.as_str()),
                None => true,
            })
            .cloned()
            .collect();
        Ok((standings, query))
    }

    /// A path segment as typed, limited to what campaign slugs and
    /// candidate numbers are made of (anything else cannot name one anyway).
    pub fn path_segment(segment: &str) -> String {
        segment.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(64).collect()
    }

    pub fn store() -> Result<Store, AppError> {
        Ok(crate::context::accounts()?.store().clone())
    }

    /// Campaign `slug` and the signed-in official, whose reach must include
    /// the campaign's unit.
    pub async fn campaign_for_official(store: &Store, slug: &str) -> Result<(Campaign, store::Actor), AppError> {
        let actor = crate::officials::service::official(store, &crate::context::session().await?).await?;
        let campaign = crate::voting::service::campaign_in_reach(store, &actor, slug).await?;
        Ok((campaign, actor))
    }
}

/// Campaigns not yet closed.
#[server(prefix = "/api", endpoint = "campaigns", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_campaigns() -> Result<Vec<CampaignCard>, AppError> {
    let store = ssr::store()?;
    let campaigns =
        store.open_campaigns(crate::clock::now()).await.map_err(|e| AppError::from_store("campaigns", e))?;
    Ok(campaigns.iter().map(ssr::card).collect())
}

/// The campaigns an official manages: every campaign of a unit in their
/// reach, closed ones included. Officials only (401 signed out, 403 members).
#[server(prefix = "/api", endpoint = "admin/campaigns", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_admin_campaigns() -> Result<Vec<CampaignCard>, AppError> {
    let store = ssr::store()?;
    let actor = crate::officials::service::official(&store, &crate::context::session().await?).await?;
    let campaigns = store.campaigns_in_scope(&actor).await.map_err(|e| AppError::from_store("admin_campaigns", e))?;
    Ok(campaigns.iter().map(ssr::card).collect())
}

/// A campaign with its leaderboard (a few seconds stale at most), filtered
/// by `q` (a number or part of a name) when given.
#[server(prefix = "/api", endpoint = "campaign", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_campaign(slug: String, q: Option<String>) -> Result<CampaignView, AppError> {
    let store = ssr::store()?;
    let voting = crate::voting::service::campaign_for_voting(&store, &slug).await?;
    let campaign = &*voting.0;
    let (standings, query) = ssr::standings(&store, campaign, q).await?;
    let mut rules = vec![
        campaign.voter_rule.label().to_owned(),
        format!(
            "每人每天最多投 {} 票，同一{}每天最多 {} 票",
            campaign.votes_per_day,
            if campaign.works { "件作品" } else { "位候选人" },
            campaign.votes_per_candidate
        ),
    ];
    // The gallery is server-rendered (no live island): it says so.
    rules.push(if campaign.works { "刷新页面可看到最新票数" } else { "票数每隔几秒更新一次" }.to_owned());
    let origin = ssr::origin().await;
    // A link preview shows the cover, else the campaign's card (1200×630,
    // drawn by the server): never a blank square in a chat.
    let (og_image, og_image_size) = match &campaign.cover_url {
        Some(cover) => (format!("{origin}{cover}"), None),
        None => (format!("{origin}/v/{}/card.png", campaign.slug), Some((1200, 630))),
    };
    Ok(CampaignView {
        og_image: Some(og_image),
        og_image_size,
        cover_url: campaign.cover_url.clone(),
        share_url: format!("{origin}/v/{}", campaign.slug),
        remaining_today: ssr::remaining(&store, campaign).await?,
        card: ssr::card(campaign),
        description: campaign.description.clone(),
        rules,
        standings,
        query,
        voids: crate::voting::fraud::public_voids(&store, campaign).await?.to_vec(),
    })
}

/// Just the leaderboard of campaign `slug` (filtered by `q` as in
/// `campaign`): what an open leaderboard asks for every few seconds.
#[server(prefix = "/api", endpoint = "campaign/standings", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_standings(slug: String, q: Option<String>) -> Result<Vec<Standing>, AppError> {
    let store = ssr::store()?;
    let voting = crate::voting::service::campaign_for_voting(&store, &slug).await?;
    Ok(ssr::standings(&store, &voting.0, q).await?.0)
}

/// A candidate's page: standing, story, and a fresh key for voting.
#[server(prefix = "/api", endpoint = "candidate", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_candidate(slug: String, number: String) -> Result<CandidateView, AppError> {
    use rand::Rng;
    let store = ssr::store()?;
    let voting = crate::voting::service::campaign_for_voting(&store, &slug).await?;
    let (campaign, candidates) = (&*voting.0, &voting.1);
    let missing = || AppError::rejected(404, "", "本次评选中没有这位候选人");
    let number: i32 = number.trim().parse().map_err(|_| missing())?;
    let board = crate::voting::service::leaderboard(&store, campaign).await?;
    let standing = board.iter().find(|s| s.number == number).cloned().ok_or_else(missing)?;
    let stored = candidates.iter().find(|c| c.number == number);
    let story_html = stored.map(|c| c.story_html.clone()).unwrap_or_default();
    let photo_url = stored.and_then(|c| c.photo_url.clone());
    let key: [u8; 16] = rand::rng().random();
    let origin = ssr::origin().await;
    // A link preview shows the candidate's photo, else their poster (750×1334,
    // drawn by the server), which names them — not the campaign's cover.
    let (og_image, og_image_size) = match &photo_url {
        Some(photo) => (format!("{origin}{photo}"), None),
        None => (format!("{origin}/v/{}/{number}/poster.png", campaign.slug), Some((750, 1334))),
    };
    Ok(CandidateView {
        og_image: Some(og_image),
        og_image_size,
        photo_url,
        share_url: format!("{}/v/{}/{}", ssr::origin().await, campaign.slug, number),
        remaining_today: ssr::remaining(&store, campaign).await?,
        campaign: ssr::card(campaign),
        standing,
        story_html,
        vote_key: key.iter().map(|b| format!("{b:02x}")).collect(),
    })
}

/// One vote for candidate `number` of campaign `campaign`. `key` is the
/// client's idempotency key: the same key counts once and answers the same.
#[server(prefix = "/api", endpoint = "vote")]
pub async fn vote(campaign: String, number: String, key: String) -> Result<VoteReceipt, AppError> {
    let store = ssr::store()?;
    let session = crate::context::session().await?;
    let member = crate::accounts::session::member(&store, &session)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录再投票"))?;
    let services = crate::context::services()?;
    let ip = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::context::ClientIp>().and_then(|c| c.0));
    let desk =
        crate::voting::service::VoteDesk { store: &store, queue: &services.vote_queue, limiter: &services.votes };
    let ballot = crate::voting::service::Ballot { member, campaign: &campaign, number: &number, key: &key, ip };
    let receipt = crate::voting::service::vote(desk, ballot).await?;
    // A browser's post comes back to the candidate's page, which then says so.
    crate::context::go_to(&format!("/v/{}/{}?voted=1", ssr::path_segment(&campaign), ssr::path_segment(&number)));
    Ok(receipt)
}

/// The signals and voids of campaign `slug`, for officials whose reach
/// includes the campaign's unit (403 otherwise).
#[server(prefix = "/api", endpoint = "admin/campaigns/fraud", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_fraud_report(slug: String) -> Result<(CampaignCard, FraudReport), AppError> {
    let store = ssr::store()?;
    let (campaign, _) = ssr::campaign_for_official(&store, &slug).await?;
    let report = crate::voting::fraud::report(&store, &campaign).await?;
    Ok((ssr::card(&campaign), report))
}

/// Voids votes of campaign `slug`: `how` is `member`, `candidate` or
/// `range` and `value` a member id, candidate id or `from-to`; `reason` is
/// published with the results.
#[server(prefix = "/api", endpoint = "admin/campaigns/void")]
pub async fn void_votes(slug: String, how: String, value: String, reason: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::fraud::void(&store, &campaign, actor.member_id, &how, &value, &reason).await
}

/// Undoes void `id` of campaign `slug`.
#[server(prefix = "/api", endpoint = "admin/campaigns/undo-void")]
pub async fn undo_void(slug: String, id: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::fraud::undo(&store, &campaign, actor.member_id, &id).await
}

/// The results of campaign `slug` for its officials: `(card, expert weight %, rows)`.
#[server(prefix = "/api", endpoint = "admin/campaigns/results", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_results(slug: String) -> Result<(CampaignCard, i64, Vec<ResultRow>), AppError> {
    let store = ssr::store()?;
    let (campaign, _) = ssr::campaign_for_official(&store, &slug).await?;
    let rows = crate::voting::service::results(&store, &campaign).await?;
    Ok((ssr::card(&campaign), campaign.expert_weight_pct, rows))
}

/// Campaign `slug`'s candidates (all statuses) and the units an official
/// may nominate from (code, name).
#[server(prefix = "/api", endpoint = "admin/campaigns/candidates", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_candidates_admin(
    slug: String,
) -> Result<(CampaignCard, Vec<CandidateRow>, Vec<(String, String)>), AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    let rows = store
        .all_candidates(campaign.id)
        .await
        .map_err(|e| AppError::from_store("candidates", e))?
        .into_iter()
        .map(|c| CandidateRow {
            pending: c.status == "pending",
            approved: c.status == "approved",
            award: c.award.clone(),
            status: match c.status.as_str() {
                "pending" => "待审核",
                "approved" => "已通过",
                _ => "已驳回",
            }
            .to_owned(),
            id: c.id,
            photo_url: c.photo_url,
            number: c.number,
            name: c.name,
            unit_name: c.unit_name,
            title: c.title,
            story_html: c.story_html,
        })
        .collect();
    let units = store
        .units_in_scope(&actor)
        .await
        .map_err(|e| AppError::from_store("candidates", e))?
        .into_iter()
        .map(|(code, name, _)| (code, name))
        .collect();
    Ok((ssr::card(&campaign), rows, units))
}

/// Creates a campaign (officials; `unit` in their reach). The fields are the
/// new-campaign form's (docs/API.md); answers the campaign's slug.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/campaigns/new")]
pub async fn create_campaign(
    title: String,
    description: String,
    unit: String,
    slug: String,
    signup_starts: String,
    review_starts: String,
    voting_starts: String,
    publicity_starts: String,
    closes: String,
    voter_rule: String,
    votes_per_day: String,
    votes_per_candidate: String,
    expert_weight_pct: String,
    kind: Option<String>,
) -> Result<String, AppError> {
    let store = ssr::store()?;
    let actor = crate::officials::service::official(&store, &crate::context::session().await?).await?;
    let form = crate::voting::campaigns::CampaignForm {
        title,
        description,
        unit,
        slug,
        signup_starts,
        review_starts,
        voting_starts,
        publicity_starts,
        closes,
        voter_rule,
        votes_per_day,
        votes_per_candidate,
        expert_weight_pct,
        kind: kind.unwrap_or_default(),
    };
    let slug = crate::voting::campaigns::create(&store, &actor, &form).await?;
    crate::context::go_to(&format!("/admin/campaigns/{slug}/candidates"));
    Ok(slug)
}

/// Nominates a candidate of campaign `slug` (approved and numbered at once).
#[server(prefix = "/api", endpoint = "admin/campaigns/nominate")]
pub async fn nominate_candidate(
    slug: String,
    name: String,
    unit: String,
    title: String,
    story: String,
) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    let nomination = crate::voting::campaigns::Nomination { name, unit, title, story };
    crate::voting::campaigns::nominate(&store, &campaign, &actor, &nomination).await
}

/// Approves a member's pending sign-up `id` of campaign `slug` (numbering it).
#[server(prefix = "/api", endpoint = "admin/campaigns/signups/approve")]
pub async fn approve_sign_up(slug: String, id: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::campaigns::review(&store, &campaign, &actor, &id, true).await
}

/// Rejects a member's pending sign-up `id` of campaign `slug`.
#[server(prefix = "/api", endpoint = "admin/campaigns/signups/reject")]
pub async fn reject_sign_up(slug: String, id: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::campaigns::review(&store, &campaign, &actor, &id, false).await
}

/// Sets the cover picture of campaign `slug` (officials): multipart with
/// `slug` and `photo` (JPEG/PNG/WebP by content, at most 8 MB). Audited.
#[server(prefix = "/api", endpoint = "admin/campaigns/cover", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_cover(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, upload.field("slug")).await?;
    crate::voting::campaigns::upload_picture(&store, &campaign, &actor, None, upload.file.as_deref()).await
}

/// Sets the photo of candidate `id` of campaign `slug` (officials):
/// multipart with `slug`, `id` and `photo`. Audited.
#[server(prefix = "/api", endpoint = "admin/campaigns/photo", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_candidate_photo(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, upload.field("slug")).await?;
    let candidate = Some(upload.field("id"));
    crate::voting::campaigns::upload_picture(&store, &campaign, &actor, candidate, upload.file.as_deref()).await
}

/// A certified member signs up for campaign `slug` during 报名.
#[server(prefix = "/api", endpoint = "campaigns/signup")]
pub async fn sign_up(slug: String, title: String, story: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let member = crate::accounts::session::member(&store, &crate::context::session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let campaign = crate::voting::service::campaign(&store, &slug).await?;
    crate::voting::campaigns::sign_up(&store, &campaign, member, &title, &story, None).await
}

/// A certified member enters a work in works contest `slug` during 报名:
/// multipart with `slug`, `title` (the work's), `story` (about it) and
/// `photo` (JPEG/PNG/WebP, by content).
#[server(prefix = "/api", endpoint = "campaigns/entry", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn submit_entry(data: leptos::server_fn::codec::MultipartData) -> Result<String, AppError> {
    let upload = crate::context::Upload::read(data, "photo").await?;
    let store = ssr::store()?;
    let member = crate::accounts::session::member(&store, &crate::context::session().await?)
        .await?
        .ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let campaign = crate::voting::service::campaign(&store, upload.field("slug")).await?;
    let picture = Some(upload.file.as_deref().unwrap_or_default());
    crate::voting::campaigns::sign_up(&store, &campaign, member, upload.field("title"), upload.field("story"), picture)
        .await
}

/// Gives approved candidate `id` of campaign `slug` an award (`award`:
/// 一等奖, 二等奖, 三等奖, 优秀奖, or empty to take it back) until the
/// awards are published. Audited.
#[server(prefix = "/api", endpoint = "admin/campaigns/award")]
pub async fn set_award(slug: String, id: String, award: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::campaigns::set_award(&store, &campaign, &actor, &id, &award).await
}

/// Publishes campaign `slug`'s awards once voting has ended. Audited.
#[server(prefix = "/api", endpoint = "admin/campaigns/awards/publish")]
pub async fn publish_awards(slug: String) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::campaigns::publish_awards(&store, &campaign, &actor).await
}

/// The expert panel's scores of campaign `slug`: candidate number → score
/// (0–100, or empty to clear); sent as `scores[7]=90`.
#[server(prefix = "/api", endpoint = "admin/campaigns/scores")]
pub async fn save_expert_scores(
    slug: String,
    scores: std::collections::BTreeMap<String, String>,
) -> Result<String, AppError> {
    let store = ssr::store()?;
    let (campaign, actor) = ssr::campaign_for_official(&store, &slug).await?;
    crate::voting::service::save_expert_scores(&store, &campaign, actor.member_id, &scores).await
}
