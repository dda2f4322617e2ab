//! 刷票 signals for officials, from the last day's live votes:
//!
//! - bursts: a minute in which a candidate got many times its own usual
//!   per-minute votes (the median of its active minutes);
//! - shared addresses: many accounts voting from one client address (a
//!   factory's members may share one, so officials judge, nothing is automatic);
//! - night spikes: a candidate whose votes come mostly between 00:00 and
//!   06:00 in Shanghai.
//!
//! Officials then void votes (by account, candidate or time range) with a
//! reason the public results show; voids are audited and can be undone.

use std::collections::HashMap;

use store::{Campaign, Store, VoidSelection};

use crate::clock::{date_time_in_shanghai, now};
use crate::error::AppError;
use crate::voting::model::{Burst, FraudReport, NightSpike, SharedAddress, VoidView};

/// The window the signals look at.
pub const WINDOW_SECS: i64 = 24 * 3600;
/// A burst minute has at least this many votes…
pub const BURST_MIN_VOTES: i64 = 10;
/// …and at least this many times the candidate's median minute.
pub const BURST_FACTOR: i64 = 5;
/// Accounts from one address worth a look.
pub const SHARED_ADDRESS_ACCOUNTS: i64 = 10;
/// A night spike: at least this many night votes, over this share (%).
pub const NIGHT_MIN_VOTES: i64 = 20;
pub const NIGHT_SHARE_PCT: i64 = 40;

fn median(values: &mut [i64]) -> i64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

/// The signals for a campaign, computed now.
pub async fn report(store: &Store, campaign: &Campaign) -> Result<FraudReport, AppError> {
    let since = now() - WINDOW_SECS;
    let err = |e| AppError::from_store("fraud", e);
    let candidates: HashMap<i64, (i32, String)> =
        store.candidates(campaign.id).await.map_err(err)?.into_iter().map(|c| (c.id, (c.number, c.name))).collect();
    let minutes = store.vote_minutes(campaign.id, since).await.map_err(err)?;
    let mut per_candidate: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (candidate, minute, votes) in minutes {
        per_candidate.entry(candidate).or_default().push((minute, votes));
    }
    let mut bursts = Vec::new();
    let mut night = Vec::new();
    for (candidate, rows) in &per_candidate {
        let Some((number, name)) = candidates.get(candidate) else { continue };
        let baseline = median(&mut rows.iter().map(|(_, v)| *v).collect::<Vec<_>>()).max(1);
        for (minute, votes) in rows {
            if *votes >= BURST_MIN_VOTES && *votes >= BURST_FACTOR * baseline {
                bursts.push(Burst {
                    candidate_id: *candidate,
                    number: *number,
                    name: name.clone(),
                    minute_start: minute * 60,
                    at: date_time_in_shanghai(minute * 60),
                    votes: *votes,
                    baseline,
                });
            }
        }
        let total: i64 = rows.iter().map(|(_, v)| v).sum();
        let at_night: i64 =
            rows.iter().filter(|(m, _)| domain::calendar::is_night_in_shanghai(m * 60)).map(|(_, v)| v).sum();
        if at_night >= NIGHT_MIN_VOTES && at_night * 100 > NIGHT_SHARE_PCT * total {
            night.push(NightSpike {
                candidate_id: *candidate,
                number: *number,
                name: name.clone(),
                night_votes: at_night,
                votes: total,
            });
        }
    }
    bursts.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.minute_start.cmp(&b.minute_start)));
    night.sort_by_key(|n| std::cmp::Reverse(n.night_votes));
    let mut addresses = Vec::new();
    for (ip, accounts, votes) in
        store.shared_addresses(campaign.id, since, SHARED_ADDRESS_ACCOUNTS).await.map_err(err)?
    {
        let members = store
            .accounts_at_address(campaign.id, &ip, since)
            .await
            .map_err(err)?
            .into_iter()
            .map(|(id, phone, votes)| (id, domain::Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default(), votes))
            .collect();
        addresses.push(SharedAddress { ip, accounts, votes, members });
    }
    Ok(FraudReport { bursts, addresses, night, voids: voids(store, campaign).await? })
}

/// The campaign's voids in force, shown with their public reasons on the
/// campaign page; as fresh as the tallies they explain (`TALLY_MAX_AGE`).
pub async fn public_voids(store: &Store, campaign: &Campaign) -> Result<std::sync::Arc<Vec<VoidView>>, AppError> {
    if let Some(voids) = crate::voting::caches::voids().get(&campaign.id) {
        return Ok(voids);
    }
    let voids =
        std::sync::Arc::new(voids(store, campaign).await?.into_iter().filter(|v| !v.undone).collect::<Vec<_>>());
    crate::voting::caches::voids().insert(campaign.id, voids.clone());
    Ok(voids)
}

/// The campaign's voids as lists show them (phones masked).
pub async fn voids(store: &Store, campaign: &Campaign) -> Result<Vec<VoidView>, AppError> {
    let rows = store.voids(campaign.id).await.map_err(|e| AppError::from_store("voids", e))?;
    Ok(rows
        .into_iter()
        .map(|w| {
            let what = match (&w.member_phone, &w.candidate_name, w.from_at, w.to_at) {
                (Some(phone), _, _, _) => {
                    format!("账号 {} 的全部选票", domain::Phone::parse(phone).map(|p| p.masked()).unwrap_or_default())
                }
                (_, Some(name), _, _) => format!("{:02} 号 {name} 的全部得票", w.candidate_number.unwrap_or_default()),
                (_, _, Some(from), Some(to)) => {
                    format!("{} 至 {} 之间投出的选票", date_time_in_shanghai(from), date_time_in_shanghai(to))
                }
                _ => "选票".to_owned(),
            };
            VoidView {
                id: w.id,
                what,
                reason: w.reason,
                votes: w.votes,
                at: date_time_in_shanghai(w.created_at),
                undone: w.undone_at.is_some(),
            }
        })
        .collect())
}

/// Voids votes of `campaign` chosen by `how` (`member`, `candidate`,
/// `range`) and its `value` (a member or candidate id, or `from-to` Unix
/// seconds), with `reason`. Returns the notice.
pub async fn void(
    store: &Store,
    campaign: &Campaign,
    actor: store::MemberId,
    how: &str,
    value: &str,
    reason: &str,
) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::rejected(400, "reason", "请填写作废原因（不超过 200 字），它会在结果公示中公开"));
    }
    let bad = || AppError::rejected(400, "", "要作废的选票无法识别，请刷新页面后重试");
    let selection = match how {
        "member" => VoidSelection::Member(value.parse().map_err(|_| bad())?),
        "candidate" => VoidSelection::Candidate(value.parse().map_err(|_| bad())?),
        "range" => {
            let (from, to) = value.split_once('-').ok_or_else(bad)?;
            let (from, to): (i64, i64) = (from.parse().map_err(|_| bad())?, to.parse().map_err(|_| bad())?);
            if from >= to {
                return Err(bad());
            }
            VoidSelection::Range(from, to)
        }
        _ => return Err(bad()),
    };
    if let VoidSelection::Candidate(id) = selection {
        let known = store.candidates(campaign.id).await.map_err(|e| AppError::from_store("void", e))?;
        if !known.iter().any(|c| c.id == id) {
            return Err(bad());
        }
    }
    let (_, votes) = store
        .void_votes(campaign.id, selection, reason, actor, now())
        .await
        .map_err(|e| AppError::from_store("void", e))?;
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok(format!("已作废 {votes} 票，原因将在结果中公示"))
}

pub async fn undo(
    store: &Store,
    campaign: &Campaign,
    actor: store::MemberId,
    void_id: &str,
) -> Result<String, AppError> {
    let id: i64 = void_id.parse().map_err(|_| AppError::rejected(400, "", "作废记录无法识别"))?;
    let undone =
        store.undo_void(campaign.id, id, actor, now()).await.map_err(|e| AppError::from_store("undo_void", e))?;
    if !undone {
        return Err(AppError::rejected(404, "", "这条作废记录不存在或已撤销"));
    }
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok("已撤销作废，这些选票重新计入".to_owned())
}
