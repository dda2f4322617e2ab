//! 平台实时排名, 工会新声 and 大屏 as pages and the JSON API see them.

use crate::error::AppError;
use leptos::prelude::*;

use super::{DigestView, RankingView, ScreenView};

/// The ranking of unit `unit`'s child units (default: the root's; signed-in
/// officials start at their own unit) for `period` (day, week, month,
/// quarter) by `sort` (reads, published, shares, adopted). Public, like 公示.
#[server(prefix = "/api", endpoint = "rank", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_rank(
    unit: Option<String>,
    period: Option<String>,
    sort: Option<String>,
) -> Result<RankingView, AppError> {
    let store = crate::context::store()?;
    let period = period.unwrap_or_else(|| "day".to_owned());
    let figures = crate::newsroom::rankings::figures(&store, &period).await?;
    let unit = match unit {
        Some(u) => Some(u),
        None => {
            let session = crate::context::session().await?;
            match crate::accounts::session::member(&store, &session).await? {
                Some(member) => {
                    let actor = store.actor(member).await.map_err(|e| AppError::from_store("rank", e))?;
                    actor.units.first().map(|(code, _)| code.clone())
                }
                None => None,
            }
        }
    };
    Ok(figures.ranking(unit.as_deref(), &period, sort.as_deref().unwrap_or("reads")))
}

/// The day's articles of the units below `unit` (a channel the editor
/// staffs; default the first), to pick for 工会新声.
#[server(prefix = "/api", endpoint = "newsroom/digest", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_digest(unit: Option<String>) -> Result<DigestView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let err = |e| AppError::from_store("digest", e);
    let staffed = store.staffed_units(member).await.map_err(err)?;
    // Channels with units below them (a grassroots union has none).
    let grassroots: std::collections::HashSet<String> = store
        .units()
        .await
        .map_err(err)?
        .into_iter()
        .filter(|u| u.level == domain::UnitLevel::Grassroots)
        .map(|u| u.code.to_string())
        .collect();
    let units: Vec<(String, String)> = staffed.into_iter().filter(|(code, _)| !grassroots.contains(code)).collect();
    if units.is_empty() {
        return Err(AppError::rejected(403, "", "只有上级单位的编辑可以编发工会新声"));
    }
    let unit_code = unit.filter(|u| units.iter().any(|(c, _)| c == u)).unwrap_or_else(|| units[0].0.clone());
    let now = crate::clock::now();
    let ((from, to), _) = crate::newsroom::rankings::period_bounds("day", now);
    let candidates = store
        .articles_below(&unit_code, from, to)
        .await
        .map_err(err)?
        .into_iter()
        .map(super::articles::ssr::card)
        .collect();
    Ok(DigestView { units, unit_code, date: crate::clock::today_in_shanghai().iso(), candidates })
}

/// Publishes 工会新声 on unit `unit`'s channel: of the offered articles
/// (`ids[]`, with `orders[]` and `summaries[]` in the same order), the
/// `picked[]` ones, by order, each with its one-line summary. Goes to it.
#[server(prefix = "/api", endpoint = "newsroom/digest/publish")]
pub async fn publish_digest(
    unit: String,
    ids: Option<Vec<String>>,
    picked: Option<Vec<String>>,
    orders: Option<Vec<String>>,
    summaries: Option<Vec<String>>,
) -> Result<i64, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let (ids, picked) = (ids.unwrap_or_default(), picked.unwrap_or_default());
    let (orders, summaries) = (orders.unwrap_or_default(), summaries.unwrap_or_default());
    let mut lines = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        if !picked.contains(id) {
            continue;
        }
        let id: i64 = id.parse().map_err(|_| AppError::rejected(400, "picked", "所选文章无效"))?;
        let order: i64 = orders.get(n).and_then(|o| o.trim().parse().ok()).unwrap_or(n as i64 + 1);
        let summary = summaries.get(n).map(|s| s.trim().to_owned()).unwrap_or_default();
        if summary.chars().count() > 60 {
            return Err(AppError::rejected(400, "summaries", "每条摘要不超过 60 字"));
        }
        let article = crate::newsroom::publishing::live_article(&store, id).await?;
        lines.push((order, id, article.title, article.channel_name, summary));
    }
    if lines.is_empty() {
        return Err(AppError::rejected(400, "picked", "请至少选择一篇文章"));
    }
    lines.sort_by_key(|(order, id, ..)| (*order, *id));
    let esc = |s: &str| html_escape::encode_text(s).into_owned();
    let mut html = String::from("<ol class=\"digest\">");
    for (_, id, title, channel, summary) in &lines {
        html.push_str(&format!("<li><a href=\"/a/{id}\">{}</a>（{}）", esc(title), esc(channel)));
        if !summary.is_empty() {
            html.push_str(&format!("：{}", esc(summary)));
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    let name =
        store.unit_name_of(unit.trim()).await.map_err(|e| AppError::from_store("digest", e))?.unwrap_or_default();
    let title = format!("工会新声 · {} · {name}", crate::clock::today_in_shanghai().iso());
    let excerpt: String = lines.iter().map(|l| l.2.as_str()).collect::<Vec<_>>().join("；").chars().take(120).collect();
    let id = store
        .publish_digest(member, unit.trim(), &title, &html, &excerpt, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("digest", e))?
        .ok_or_else(|| AppError::rejected(403, "unit", "只能在您负责的单位频道发布"))?;
    crate::newsroom::publishing::edited();
    crate::context::go_to(&format!("/a/{id}"));
    Ok(id)
}

/// 大屏: today's and this month's figures, the cities ranked by today's
/// reads, the tree coloured by activity, the campaign voting now and the
/// cities' certification rates. Public (a hall screen signs in to nothing).
#[server(prefix = "/api", endpoint = "screen", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_screen() -> Result<ScreenView, AppError> {
    crate::newsroom::rankings::screen(&crate::context::store()?).await
}
