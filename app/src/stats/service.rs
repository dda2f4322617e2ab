//! 注册认证统计 for officials (their reach only) and the public 公示 ranking.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use moka::sync::Cache;

use domain::stats::{sort_stats, subtree_totals, SortKey, UnitStats};
use domain::UnitLevel;
use store::{Actor, Store};

use crate::error::AppError;
use crate::stats::model::{Dashboard, Ranking};

/// Every unit with its subtree's counts, in code order.
pub async fn all_unit_stats(store: &Store) -> Result<Vec<UnitStats>, AppError> {
    let units = store.units().await.map_err(|e| AppError::from_store("stats", e))?;
    let own: HashMap<String, domain::stats::Counts> =
        store.own_unit_counts().await.map_err(|e| AppError::from_store("stats", e))?.into_iter().collect();
    let tree: Vec<(String, Option<String>)> =
        units.iter().map(|u| (u.code.to_string(), u.parent.as_ref().map(ToString::to_string))).collect();
    let totals = subtree_totals(&tree, &own);
    Ok(units
        .into_iter()
        .map(|u| {
            let code = u.code.to_string();
            let counts = totals.get(&code).copied().unwrap_or_default();
            UnitStats { code, name: u.name.to_string(), level: u.level.as_key().to_owned(), counts }
        })
        .collect())
}

/// The dashboard of `unit` (default: the actor's first office, or the root
/// for a super admin) and its child units, sorted. 403 outside the reach.
pub async fn dashboard(
    store: &Store,
    actor: &Actor,
    unit: Option<&str>,
    sort: SortKey,
    ascending: bool,
) -> Result<Dashboard, AppError> {
    let stats = all_unit_stats(store).await?;
    let units = store.units().await.map_err(|e| AppError::from_store("stats", e))?;
    let parent_of: HashMap<String, Option<String>> =
        units.iter().map(|u| (u.code.to_string(), u.parent.as_ref().map(ToString::to_string))).collect();
    let reach: std::collections::HashSet<String> = store
        .units_in_scope(actor)
        .await
        .map_err(|e| AppError::from_store("stats", e))?
        .into_iter()
        .map(|(c, _, _)| c)
        .collect();
    let focus_code = match unit.filter(|u| !u.trim().is_empty()) {
        Some(code) => code.trim().to_owned(),
        None => actor
            .units
            .first()
            .map(|(code, _)| code.clone())
            .or_else(|| units.iter().find(|u| u.parent.is_none()).map(|u| u.code.to_string()))
            .ok_or_else(|| AppError::rejected(404, "", "还没有任何单位"))?,
    };
    if !reach.contains(&focus_code) {
        return Err(AppError::rejected(403, "unit", "只能查看本单位及下级单位的统计"));
    }
    let by_code: HashMap<&str, &UnitStats> = stats.iter().map(|s| (s.code.as_str(), s)).collect();
    let focus =
        (*by_code.get(focus_code.as_str()).ok_or_else(|| AppError::rejected(404, "unit", "单位不存在"))?).clone();
    let mut children: Vec<UnitStats> = stats
        .iter()
        .filter(|s| parent_of.get(&s.code).cloned().flatten().as_deref() == Some(focus_code.as_str()))
        .cloned()
        .collect();
    sort_stats(&mut children, sort, ascending);
    // The way up from the focus to the top of the reach, for navigation.
    let mut trail = Vec::new();
    let mut at = Some(focus_code.clone());
    while let Some(code) = at.filter(|c| reach.contains(c)) {
        trail.push((code.clone(), by_code.get(code.as_str()).map(|s| s.name.clone()).unwrap_or_default()));
        at = parent_of.get(&code).cloned().flatten();
    }
    trail.reverse();
    Ok(Dashboard { focus, children, sort, ascending, trail })
}

/// How stale the public ranking may be: it is computed at most once a
/// minute per level, however many people open the page.
pub const RANKING_MAX_AGE: Duration = Duration::from_secs(60);

/// The 公示 ranking of every unit at `level` by certification rate (units
/// without a roster last), from a per-process cache at most a minute old.
pub async fn ranking(store: &Store, level: UnitLevel) -> Result<Ranking, AppError> {
    // Three levels: a tiny cache, expiring on its own (moka).
    static CACHE: OnceLock<Cache<UnitLevel, Ranking>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Cache::builder().max_capacity(8).time_to_live(RANKING_MAX_AGE).build());
    if let Some(ranking) = cache.get(&level) {
        return Ok(ranking);
    }
    let mut rows: Vec<UnitStats> =
        all_unit_stats(store).await?.into_iter().filter(|s| s.level == level.as_key()).collect();
    sort_stats(&mut rows, SortKey::Rate, false);
    let ranking = Ranking {
        level: level.as_key().to_owned(),
        rows,
        computed_at: crate::clock::date_time_in_shanghai(crate::clock::now()),
    };
    cache.insert(level, ranking.clone());
    Ok(ranking)
}
