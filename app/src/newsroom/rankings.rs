//! 平台实时排名 (server only): each unit's publishing figures — articles
//! published, reads, effective shares, reported stories adopted above —
//! summed over its subtree for today, this week, month or quarter
//! (Shanghai), and its child units ranked. One query per period counts
//! every unit's own figures (`Store::activity_by_unit`); the sums up the
//! tree are done here. Kept 30 s per period and process: "live" on a hall
//! screen that refreshes every 5–10 s, and a quarter over 4 million views
//! is counted twice a minute at most.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use store::{Activity, Store};

use crate::error::AppError;
use crate::newsroom::model::{heat, RankRow, RankingView, ScreenNode, ScreenView, PERIODS, RANK_BY};

const CACHE_FOR: Duration = Duration::from_secs(30);

/// The period `key` containing `now`: (from, to) in Unix seconds and in
/// Shanghai days.
pub fn period_bounds(key: &str, now: i64) -> ((i64, i64), (i64, i64)) {
    let today = domain::calendar::shanghai_day(now);
    let midnight = |day: i64| day * 86_400 - 8 * 3_600;
    let from_day = match key {
        // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
        "week" => today - (today + 3).rem_euclid(7),
        "month" => {
            let date = domain::CivilDate::in_shanghai(now);
            let first = domain::CivilDate::new(date.year(), date.month(), 1).unwrap_or(date);
            domain::calendar::shanghai_day(first.midnight_in_shanghai())
        }
        "quarter" => domain::calendar::shanghai_day(domain::calendar::Quarter::containing(now).bounds().0),
        _ => today,
    };
    ((midnight(from_day), midnight(today + 1)), (from_day, today + 1))
}

/// Every unit's subtree figures for period `key`: (code → (name, level,
/// parent, figures)), from the cache when it is at most 30 s old.
pub async fn figures(store: &Store, key: &str) -> Result<Arc<Figures>, AppError> {
    static CACHE: OnceLock<moka::sync::Cache<String, Arc<Figures>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| moka::sync::Cache::builder().max_capacity(8).time_to_live(CACHE_FOR).build());
    if let Some(found) = cache.get(key) {
        return Ok(found);
    }
    let err = |e| AppError::from_store("rankings", e);
    let now = crate::clock::now();
    let (seconds, days) = period_bounds(key, now);
    let own: HashMap<String, Activity> =
        store.activity_by_unit(seconds, days).await.map_err(err)?.into_iter().collect();
    let units = store.units().await.map_err(err)?;
    let mut totals: HashMap<String, Activity> = HashMap::new();
    let parent_of: HashMap<String, Option<String>> =
        units.iter().map(|u| (u.code.to_string(), u.parent.as_ref().map(ToString::to_string))).collect();
    for (code, activity) in &own {
        // Each unit's own figures count for it and every unit above it.
        let mut at = Some(code.clone());
        while let Some(code) = at {
            let total = totals.entry(code.clone()).or_default();
            total.published += activity.published;
            total.reads += activity.reads;
            total.shares += activity.shares;
            total.adopted += activity.adopted;
            at = parent_of.get(&code).cloned().flatten();
        }
    }
    let figures = Arc::new(Figures {
        units: units
            .into_iter()
            .map(|u| (u.code.to_string(), (u.name.to_string(), u.parent.map(|p| p.to_string()))))
            .collect(),
        totals,
        computed_at: crate::clock::date_time_in_shanghai(now),
    });
    cache.insert(key.to_owned(), figures.clone());
    Ok(figures)
}

/// Every unit's subtree figures for one period.
pub struct Figures {
    /// Code → (name, parent code), in code order.
    pub units: Vec<(String, (String, Option<String>))>,
    pub totals: HashMap<String, Activity>,
    pub computed_at: String,
}

impl Figures {
    fn row(&self, code: &str, name: &str) -> RankRow {
        let a = self.totals.get(code).copied().unwrap_or_default();
        RankRow {
            rank: 0,
            code: code.to_owned(),
            name: name.to_owned(),
            published: a.published,
            reads: a.reads,
            shares: a.shares,
            adopted: a.adopted,
            has_children: self.units.iter().any(|(_, (_, p))| p.as_deref() == Some(code)),
        }
    }

    /// The children of `unit` (the root when `None` or unknown), ranked by
    /// `sort`; ties by code.
    pub fn ranking(&self, unit: Option<&str>, period: &str, sort: &str) -> RankingView {
        let root = self.units.iter().find(|(_, (_, p))| p.is_none());
        let (code, name) = unit
            .and_then(|u| self.units.iter().find(|(c, _)| c == u))
            .or(root)
            .map(|(c, (n, _))| (c.clone(), n.clone()))
            .unwrap_or_default();
        let sort = RANK_BY.iter().find(|(k, _)| *k == sort).map_or("reads", |(k, _)| k);
        let period = PERIODS.iter().find(|(k, _)| *k == period).map_or("day", |(k, _)| k);
        let mut rows: Vec<RankRow> = self
            .units
            .iter()
            .filter(|(_, (_, p))| p.as_deref() == Some(code.as_str()))
            .map(|(c, (n, _))| self.row(c, n))
            .collect();
        let key = |r: &RankRow| match sort {
            "published" => r.published,
            "shares" => r.shares,
            "adopted" => r.adopted,
            _ => r.reads,
        };
        rows.sort_by(|a, b| key(b).cmp(&key(a)).then(a.code.cmp(&b.code)));
        for (i, row) in rows.iter_mut().enumerate() {
            row.rank = i + 1;
        }
        let mut crumbs = Vec::new();
        let mut at = self.units.iter().find(|(c, _)| *c == code).and_then(|(_, (_, p))| p.clone());
        while let Some(parent) = at {
            let found = self.units.iter().find(|(c, _)| *c == parent);
            at = found.and_then(|(_, (_, p))| p.clone());
            if let Some((c, (n, _))) = found {
                crumbs.insert(0, (c.clone(), n.clone()));
            }
        }
        RankingView {
            total: self.row(&code, &name),
            unit_code: code,
            unit_name: name,
            crumbs,
            period: period.to_owned(),
            sort: sort.to_owned(),
            rows,
            computed_at: self.computed_at.clone(),
        }
    }
}

/// 大屏: today's and this month's figures, the cities ranked by today's
/// reads, the tree coloured by activity, the campaign voting now and the
/// cities' certification rates. No request context: the server's event
/// stream calls it too.
pub async fn screen(store: &Store) -> Result<ScreenView, AppError> {
    let today = figures(store, "day").await?;
    let month = figures(store, "month").await?;
    let board = today.ranking(None, "day", "reads");
    let month_total = month.ranking(None, "month", "reads").total;
    let node = |code: &str, name: &str, children: Vec<ScreenNode>| {
        let reads = today.totals.get(code).map_or(0, |a| a.reads);
        ScreenNode { name: name.to_owned(), heat: heat(reads), reads, children }
    };
    let children_of = |code: &str| -> Vec<(String, String)> {
        today
            .units
            .iter()
            .filter(|(_, (_, p))| p.as_deref() == Some(code))
            .map(|(c, (n, _))| (c.clone(), n.clone()))
            .collect()
    };
    let tree = children_of(&board.unit_code)
        .into_iter()
        .map(|(city, city_name)| {
            let counties = children_of(&city)
                .into_iter()
                .map(|(county, county_name)| {
                    let grassroots = children_of(&county).into_iter().map(|(c, n)| node(&c, &n, Vec::new())).collect();
                    node(&county, &county_name, grassroots)
                })
                .collect();
            node(&city, &city_name, counties)
        })
        .collect();
    let now = crate::clock::now();
    let open = store.open_campaigns(now).await.map_err(|e| AppError::from_store("screen", e))?;
    let campaign = match open.iter().find(|c| c.schedule.phase_at(now) == domain::campaign::Phase::Voting) {
        Some(c) => {
            let board = crate::voting::service::leaderboard(store, c).await?;
            Some((
                c.title.clone(),
                board.iter().take(5).map(|s| (s.name.clone(), s.unit_name.clone(), s.votes)).collect(),
            ))
        }
        None => None,
    };
    let certification = crate::stats::service::ranking(store, domain::UnitLevel::City)
        .await?
        .rows
        .into_iter()
        .map(|r| (r.name, r.counts.rate_text(), r.counts.certified_per_mille().unwrap_or(0)))
        .collect();
    Ok(ScreenView {
        union_name: board.unit_name.clone(),
        today: board.total.clone(),
        month: month_total,
        ranking: board.rows,
        tree,
        campaign,
        certification,
        computed_at: today.computed_at.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::period_bounds;

    #[test]
    fn periods_start_at_shanghai_midnight_on_monday_the_first_and_the_quarter() {
        // Wednesday 2026-11-11 10:00 in Shanghai (02:00 UTC).
        let now = 1_794_362_400;
        let start = |key| domain::calendar::date_time_in_shanghai(period_bounds(key, now).0 .0);
        assert_eq!(start("day"), "2026-11-11 00:00");
        assert_eq!(start("week"), "2026-11-09 00:00");
        assert_eq!(start("month"), "2026-11-01 00:00");
        assert_eq!(start("quarter"), "2026-10-01 00:00");
        assert_eq!(domain::calendar::date_time_in_shanghai(period_bounds("day", now).0 .1), "2026-11-12 00:00");
    }
}
