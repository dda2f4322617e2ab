//! 评选投票: who may vote, when, how often; the leaderboard.
//!
//! The limits per member per day are enforced by the database (see
//! store::campaigns); here are the rules a request is checked against first
//! and the Chinese answers, plus in-process rate limits per account and per
//! address against scripted voting (刷票).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use domain::campaign::{IdempotencyKey, Phase, VoterRule};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use store::{Campaign, CastVote, MemberId, QueuedVote, Store, VoteError, VoteQueue};

use crate::clock::{date_time_in_shanghai, now, shanghai_day};
use crate::error::AppError;
use crate::voting::caches::{self, VotingData};
use crate::voting::model::{Standing, VoteReceipt};

/// Per-account and per-address limits on vote requests. A person votes a few
/// times a day; a script votes many times a second. The address limit is
/// generous: a factory's members often share one address.
#[derive(Clone)]
pub struct VoteLimiter {
    accounts: Arc<DefaultKeyedRateLimiter<i64>>,
    addresses: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl VoteLimiter {
    pub fn new(per_account_per_minute: u32, per_address_per_minute: u32) -> Self {
        let quota = |n: u32| {
            let n = NonZeroU32::new(n.max(1)).expect("at least 1");
            Quota::per_minute(n).allow_burst(n)
        };
        Self {
            accounts: Arc::new(RateLimiter::keyed(quota(per_account_per_minute))),
            addresses: Arc::new(RateLimiter::keyed(quota(per_address_per_minute))),
        }
    }

    /// Whether this request is within the member's and the address's rates.
    /// (A bool, not an `AppError`: making one sets the response's status,
    /// and a refused replay still answers 200.)
    fn allows(&self, member: MemberId, ip: Option<IpAddr>) -> bool {
        self.accounts.check_key(&member.0).is_ok() && ip.is_none_or(|ip| self.addresses.check_key(&ip).is_ok())
    }

    /// Forgets keys idle long enough to be full again (memory bound).
    pub fn forget_idle(&self) {
        self.accounts.retain_recent();
        self.addresses.retain_recent();
    }
}

impl Default for VoteLimiter {
    fn default() -> Self {
        Self::new(30, 600)
    }
}

pub async fn campaign(store: &Store, slug: &str) -> Result<Campaign, AppError> {
    store
        .campaign_by_slug(slug)
        .await
        .map_err(|e| AppError::from_store("campaign", e))?
        .ok_or_else(|| AppError::rejected(404, "", "没有这个投票活动"))
}

/// Campaign `slug`, if its unit is within the official's reach (403 if not).
pub async fn campaign_in_reach(store: &Store, actor: &store::Actor, slug: &str) -> Result<Campaign, AppError> {
    let found = campaign(store, slug).await?;
    let unit = domain::UnitCode::parse(&found.unit_code).map_err(|_| AppError::Internal)?;
    if !store.unit_in_scope(actor, &unit).await.map_err(|e| AppError::from_store("campaign", e))? {
        return Err(AppError::rejected(403, "", "只能管理本单位及下级单位的投票活动"));
    }
    Ok(found)
}

/// What taking a vote works with: the store, the group-commit queue and the
/// request-rate limits.
#[derive(Clone, Copy)]
pub struct VoteDesk<'a> {
    pub store: &'a Store,
    pub queue: &'a VoteQueue,
    pub limiter: &'a VoteLimiter,
}

/// One vote as a request carries it, before it is checked.
#[derive(Clone, Copy, Debug)]
pub struct Ballot<'a> {
    pub member: MemberId,
    /// The campaign's slug.
    pub campaign: &'a str,
    /// The candidate's number, as typed or linked.
    pub number: &'a str,
    /// The client's idempotency key.
    pub key: &'a str,
    pub ip: Option<IpAddr>,
}

/// Takes `ballot` at `desk`: the member's vote for a candidate of a campaign.
pub async fn vote(desk: VoteDesk<'_>, ballot: Ballot<'_>) -> Result<VoteReceipt, AppError> {
    let VoteDesk { store, queue, limiter } = desk;
    let Ballot { member, campaign: slug, number, key, ip } = ballot;
    let key =
        IdempotencyKey::parse(key).ok_or_else(|| AppError::rejected(400, "", "投票请求无效，请刷新页面后再投"))?;
    let voting = campaign_for_voting(store, slug).await?;
    let (campaign, candidates) = (&*voting.0, &voting.1);
    if !limiter.allows(member, ip) {
        // Replays are free: a phone resending after a lost answer gets the
        // stored answer even when its rate is spent. Looked up only here, so
        // the hot path pays no extra query.
        let stored = store.vote_by_key(member, key.as_ref()).await.map_err(|e| AppError::from_store("vote", e))?;
        let asked = number.trim().parse::<i32>().ok();
        let replayed = stored
            .and_then(|(candidate_id, slot)| candidates.iter().find(|c| c.id == candidate_id).map(|c| (c, slot)))
            .filter(|(c, _)| Some(c.number) == asked);
        return match replayed {
            Some((candidate, slot)) => Ok(VoteReceipt {
                candidate: candidate.name.clone(),
                remaining_today: (campaign.votes_per_day - i64::from(slot)).max(0),
                replayed: true,
            }),
            None => Err(AppError::rejected(429, "", "投票太频繁，请稍后再试")),
        };
    }
    let now = now();
    match campaign.schedule.phase_at(now) {
        Phase::Voting => {}
        Phase::NotStarted | Phase::SignUp | Phase::Review => {
            let starts = date_time_in_shanghai(campaign.schedule.voting_starts);
            return Err(AppError::rejected(403, "", format!("投票尚未开始，将于 {starts} 开始")));
        }
        Phase::Publicity | Phase::Closed => {
            let ended = date_time_in_shanghai(campaign.schedule.publicity_starts);
            return Err(AppError::rejected(403, "", format!("投票已于 {ended} 结束")));
        }
    }
    let candidate =
        number.trim().parse::<i32>().ok().and_then(|n| candidates.iter().find(|c| c.number == n)).ok_or_else(|| {
            AppError::rejected(
                404,
                "",
                format!("本次评选中没有 {} 号候选人", number.trim().chars().take(8).collect::<String>()),
            )
        })?;
    check_voter(store, campaign, member).await?;
    let cast = queue
        .cast(QueuedVote {
            campaign: voting.0.clone(),
            candidate_id: candidate.id,
            member,
            day: shanghai_day(now),
            idempotency_key: key.as_ref().to_owned(),
            ip: ip.map(|ip| ip.to_string()),
            now,
        })
        .await;
    match cast {
        Ok(CastVote { day_slot, replayed }) => Ok(VoteReceipt {
            candidate: candidate.name.clone(),
            remaining_today: (campaign.votes_per_day - day_slot).max(0),
            replayed,
        }),
        Err(VoteError::DailyLimit) => {
            Err(AppError::rejected(429, "", format!("您今天的 {} 票已经投完，明天再来吧", campaign.votes_per_day)))
        }
        Err(VoteError::CandidateLimit) => Err(AppError::rejected(
            429,
            "",
            format!(
                "每人每天最多为同一位候选人投 {} 票，今天已为 {} 投满，可以为其他候选人投票",
                campaign.votes_per_candidate, candidate.name
            ),
        )),
        Err(VoteError::KeyReused) => Err(AppError::rejected(409, "", "投票请求无效，请刷新页面后再投")),
        Err(VoteError::Store(e)) => Err(AppError::from_store("vote", e)),
    }
}

/// Whether `member` may vote in `campaign` under its voter rule.
async fn check_voter(store: &Store, campaign: &Campaign, member: MemberId) -> Result<(), AppError> {
    if campaign.voter_rule == VoterRule::Registered {
        return Ok(());
    }
    let found =
        store.member_by_id(member).await.map_err(|e| AppError::from_store("vote", e))?.ok_or(AppError::Internal)?;
    if found.certified_member_no.is_none() {
        return Err(AppError::rejected(403, "", "本次投票仅限完成实名认证的会员。请先在“我的”中完成实名认证"));
    }
    if campaign.voter_rule == VoterRule::CertifiedInSubtree
        && !store.member_in_campaign_subtree(campaign.id, member).await.map_err(|e| AppError::from_store("vote", e))?
    {
        return Err(AppError::rejected(403, "", format!("本次投票仅限{}及下级单位的会员", campaign.unit_name)));
    }
    Ok(())
}

/// Campaign `slug` and its approved candidates, at most
/// `VOTING_DATA_MAX_AGE` old: what votes and the share pages read on every
/// request, so one trip to the database per campaign every few seconds.
pub async fn campaign_for_voting(store: &Store, slug: &str) -> Result<VotingData, AppError> {
    let cached = caches::voting().get(slug);
    metrics::counter!("gonghui_cache_requests_total", "cache" => "campaigns", "result" => if cached.is_some() { "hit" } else { "miss" })
        .increment(1);
    if let Some(data) = cached {
        return Ok(data);
    }
    let found = campaign(store, slug).await?;
    let candidates = store.candidates(found.id).await.map_err(|e| AppError::from_store("vote", e))?;
    let data = Arc::new((Arc::new(found), candidates));
    caches::voting().insert(slug.to_owned(), data.clone());
    Ok(data)
}

/// The campaign's candidates ranked by votes (ties share a rank; then by
/// number), at most `caches::TALLY_MAX_AGE` old.
pub async fn leaderboard(store: &Store, campaign: &Campaign) -> Result<Arc<Vec<Standing>>, AppError> {
    if let Some(board) = caches::tallies().get(&campaign.id) {
        return Ok(board);
    }
    let candidates = store.candidates(campaign.id).await.map_err(|e| AppError::from_store("leaderboard", e))?;
    let tallies: HashMap<i64, i64> = store
        .vote_tallies(campaign.id)
        .await
        .map_err(|e| AppError::from_store("leaderboard", e))?
        .into_iter()
        .collect();
    let mut rows: Vec<Standing> = candidates
        .into_iter()
        .map(|c| Standing {
            rank: 0,
            number: c.number,
            votes: tallies.get(&c.id).copied().unwrap_or(0),
            name: c.name,
            unit_name: c.unit_name,
            title: c.title,
            thumb_url: c.thumb_url,
            award: c.award.filter(|_| campaign.awards_published_at.is_some()),
        })
        .collect();
    rows.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.number.cmp(&b.number)));
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && rows[i].votes == rows[i - 1].votes { rows[i - 1].rank } else { i + 1 };
    }
    let board = Arc::new(rows);
    caches::tallies().insert(campaign.id, board.clone());
    Ok(board)
}

/// A candidate's story as it may be shown: ammonia's allow-list keeps
/// paragraphs, emphasis, lists and links (with rel=noopener), and drops
/// scripts, styles, event handlers and anything else.
pub fn sanitize_story(html: &str) -> String {
    ammonia::clean(html)
}

/// The results as officials publish and export them: live votes counted now
/// (not the cached leaderboard), the panel's scores and the final score,
/// ranked by final score (by votes while it is incomplete).
pub async fn results(store: &Store, campaign: &Campaign) -> Result<Vec<crate::voting::model::ResultRow>, AppError> {
    use domain::campaign::final_score_tenths;
    let err = |e| AppError::from_store("results", e);
    let candidates = store.candidates(campaign.id).await.map_err(err)?;
    let tallies: HashMap<i64, i64> = store.vote_tallies(campaign.id).await.map_err(err)?.into_iter().collect();
    let top = tallies.values().copied().max().unwrap_or(0);
    let mut rows: Vec<crate::voting::model::ResultRow> = candidates
        .into_iter()
        .map(|c| {
            let votes = tallies.get(&c.id).copied().unwrap_or(0);
            let expert = c.expert_score.map(i64::from);
            crate::voting::model::ResultRow {
                rank: 0,
                number: c.number,
                name: c.name,
                unit_name: c.unit_name,
                votes,
                expert_score: expert,
                final_tenths: final_score_tenths(campaign.expert_weight_pct, expert, votes, top),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.final_tenths.cmp(&a.final_tenths).then(b.votes.cmp(&a.votes)).then(a.number.cmp(&b.number)));
    for i in 0..rows.len() {
        let same = i > 0 && rows[i].final_tenths == rows[i - 1].final_tenths && rows[i].votes == rows[i - 1].votes;
        rows[i].rank = if same { rows[i - 1].rank } else { i + 1 };
    }
    Ok(rows)
}

/// Saves the panel's scores from a form: `score_{number}` fields, each
/// empty (no score yet) or a whole number 0–100. Nothing is saved unless
/// every field is right.
pub async fn save_expert_scores(
    store: &Store,
    campaign: &Campaign,
    actor: MemberId,
    scores_typed: &std::collections::BTreeMap<String, String>,
) -> Result<String, AppError> {
    let numbers: Vec<i32> = store
        .candidates(campaign.id)
        .await
        .map_err(|e| AppError::from_store("scores", e))?
        .iter()
        .map(|c| c.number)
        .collect();
    // Candidate number → the score as typed, in number order.
    let mut typed: Vec<(i32, &String)> =
        scores_typed.iter().filter_map(|(number, value)| Some((number.trim().parse().ok()?, value))).collect();
    typed.sort();
    let mut scores = Vec::new();
    for (number, value) in typed {
        if !numbers.contains(&number) {
            continue;
        }
        let value = value.trim();
        let score = if value.is_empty() {
            None
        } else {
            match value.parse::<i64>() {
                Ok(s) if (0..=100).contains(&s) => Some(s),
                _ => {
                    return Err(AppError::rejected(
                        400,
                        "",
                        format!("{number:02} 号的专家评分应为 0–100 的整数，未做任何修改"),
                    ))
                }
            }
        };
        scores.push((number, score));
    }
    store.set_expert_scores(campaign.id, &scores, actor, now()).await.map_err(|e| AppError::from_store("scores", e))?;
    Ok(format!("已保存 {} 位候选人的专家评分", scores.iter().filter(|(_, s)| s.is_some()).count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_keeps_its_text_and_loses_scripts_and_handlers() {
        let clean = sanitize_story(
            r#"<p onclick="steal()">三十年<b>如一日</b></p><script>alert(1)</script><img src=x onerror=alert(1)>"#,
        );
        assert_eq!(clean, r#"<p>三十年<b>如一日</b></p><img src="x">"#);
    }
}
