//! 舆情 and comment moderation as pages and the JSON API see them: the
//! officials' queue of pending comments, each unit's watched words, and the
//! alerts they raised, per word per day.

use crate::error::AppError;
use leptos::prelude::*;

use super::{PendingCommentView, WatchPageView};

/// Comments waiting on channels in the official's reach, held ones first.
#[server(prefix = "/api", endpoint = "admin/comments", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_pending_comments() -> Result<Vec<PendingCommentView>, AppError> {
    let (store, actor) = crate::context::official().await?;
    let rows = store.pending_comments(&actor, 100).await.map_err(|e| AppError::from_store("comments", e))?;
    Ok(rows
        .into_iter()
        .map(|c| PendingCommentView {
            id: c.id,
            article_id: c.article_id,
            article_title: c.article_title,
            channel_name: c.channel_name,
            author: super::masked_name(&c.author_name),
            body: c.body,
            held_words: c.held_words,
            when: crate::clock::date_time_in_shanghai(c.created_at),
        })
        .collect())
}

#[cfg(feature = "ssr")]
async fn decide(id: i64, approve: bool) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let done = store
        .decide_comment(&actor, id, approve, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("decide_comment", e))?;
    if !done {
        return Err(AppError::rejected(409, "", "这条评论不在您管理的频道，或已经处理过"));
    }
    crate::newsroom::publishing::edited();
    let services = crate::context::services()?;
    if let Ok(Some(article)) = store.comment_article_id(id).await {
        services.publishing.forget_counts(article);
    }
    Ok(if approve { "评论已通过，所有人可见" } else { "评论不予显示" }.to_owned())
}

/// Approves pending comment `id` (officials of its channel's unit or above).
#[server(prefix = "/api", endpoint = "admin/comments/approve")]
pub async fn approve_comment(id: i64) -> Result<String, AppError> {
    decide(id, true).await
}

/// Rejects pending comment `id`: only its author keeps seeing… nothing.
#[server(prefix = "/api", endpoint = "admin/comments/reject")]
pub async fn reject_comment(id: i64) -> Result<String, AppError> {
    decide(id, false).await
}

/// Unit `unit`'s watched words (default: the official's first unit) and
/// its alerts of the last 30 days, per day and word.
#[server(prefix = "/api", endpoint = "admin/watchwords", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_watchwords(unit: Option<String>) -> Result<WatchPageView, AppError> {
    use domain::watchwords::Tier;
    let (store, actor) = crate::context::official().await?;
    let err = |e| AppError::from_store("watchwords", e);
    let units: Vec<(String, String)> =
        store.units_in_scope(&actor).await.map_err(err)?.into_iter().map(|(code, name, _)| (code, name)).collect();
    let unit_code = unit
        .filter(|u| units.iter().any(|(code, _)| code == u))
        .or_else(|| units.first().map(|(code, _)| code.clone()))
        .unwrap_or_default();
    let label = |tier: &str| Tier::parse(tier).map(|t| t.label().to_owned()).unwrap_or_default();
    let words = store
        .watch_words_of(&actor, &unit_code)
        .await
        .map_err(err)?
        .into_iter()
        .map(|w| super::WatchWordView {
            tier_label: label(&w.tier),
            word: w.word,
            tier: w.tier,
            whole_word: w.whole_word,
        })
        .collect();
    let from = domain::CivilDate::in_shanghai(crate::clock::now() - 29 * 86_400).iso();
    let alerts = store
        .alert_counts(&actor, &unit_code, &from)
        .await
        .map_err(err)?
        .into_iter()
        .map(|a| (a.day, a.word, label(&a.tier), a.hits))
        .collect();
    Ok(WatchPageView { unit_code, units, words, alerts })
}

/// Adds `word` to unit `unit`'s watchlist (or changes it): `tier` is
/// `block` (refused, naming the word), `hold` (to the moderators, flagged)
/// or `alert` (a 舆情 alert); `whole_word` matches it only standing alone.
#[server(prefix = "/api", endpoint = "admin/watchwords/set")]
pub async fn set_watch_word(
    unit: String,
    word: String,
    tier: String,
    whole_word: Option<String>,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let checked = crate::newsroom::publishing::watch_word(&word, &tier, whole_word.is_some_and(|w| !w.is_empty()))?;
    let done = store
        .set_watch_word(
            &actor,
            unit.trim(),
            &checked.word,
            checked.tier.as_str(),
            checked.whole_word,
            crate::clock::now(),
        )
        .await
        .map_err(|e| AppError::from_store("set_watch_word", e))?;
    if !done {
        return Err(AppError::rejected(403, "unit", "只能设置您管理的单位的监测词"));
    }
    crate::context::services()?.publishing.forget_watchlists();
    Ok(format!("已设置监测词“{}”：{}", checked.word, checked.tier.label()))
}

/// Removes `word` from unit `unit`'s watchlist.
#[server(prefix = "/api", endpoint = "admin/watchwords/remove")]
pub async fn remove_watch_word(unit: String, word: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let done = store
        .remove_watch_word(&actor, unit.trim(), word.trim(), crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("remove_watch_word", e))?;
    if !done {
        return Err(AppError::rejected(404, "word", "没有这个监测词"));
    }
    crate::context::services()?.publishing.forget_watchlists();
    Ok(format!("已删除监测词“{}”", word.trim()))
}
