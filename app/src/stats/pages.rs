//! 注册认证统计 (officials: their unit and each child unit, sortable, with a
//! bar chart and CSV export) and 公示 (public: one level's units ranked by
//! certification rate). Sorting, drilling down and choosing a level are plain
//! links, so everything works without JavaScript.

use domain::stats::{SortKey, UnitStats};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::stats::api::{load_dashboard, load_ranking, Dashboard, Ranking};
use crate::ui::components::Loading;

fn encode(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("unit"), q.get("sort"), q.get("dir"))
    };
    let dashboard = Resource::new(args, |(unit, sort, dir)| load_dashboard(unit, sort, dir));
    view! {
        <Title text="注册认证统计"/>
        <Loading>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard/> }.into_any(),
                    Err(error) => view! {
                        <section class="card">
                            <h1>"注册认证统计"</h1>
                            <p class="error" role="alert">{error.to_string()}</p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard { focus, children, sort, ascending, trail } = dashboard;
    let unit = encode(&focus.code);
    let header = {
        let unit = unit.clone();
        move |key: SortKey, label: &'static str| {
            // The current column flips direction; a new one starts descending
            // (largest first), except the name, which reads A→Z.
            let asc = if key == sort { !ascending } else { key == SortKey::Name };
            let href =
                format!("/admin/stats?unit={unit}&sort={}&dir={}", key.as_str(), if asc { "asc" } else { "desc" });
            let mark = if key == sort {
                if ascending {
                    " ▲"
                } else {
                    " ▼"
                }
            } else {
                ""
            };
            let aria = if key == sort {
                if ascending {
                    "ascending"
                } else {
                    "descending"
                }
            } else {
                "none"
            };
            view! { <th scope="col" aria-sort=aria><a href=href>{label}{mark}</a></th> }
        }
    };
    let total = focus.counts;
    let crumbs = trail.len();
    view! {
        <section class="card">
            <h1>"注册认证统计"</h1>
            <nav aria-label="单位层级" class="trail">
                {trail.into_iter().enumerate().map(|(i, (code, name))| {
                    let last = i + 1 == crumbs;
                    view! {
                        {(i > 0).then_some(" › ")}
                        {if last {
                            view! { <strong>{name}</strong> }.into_any()
                        } else {
                            view! { <a href=format!("/admin/stats?unit={}", encode(&code))>{name}</a> }.into_any()
                        }}
                    }
                }).collect_view()}
            </nav>
            <ul class="stats" aria-label="本单位合计（含下级单位）">
                <li><strong>{total.roster}</strong>"名册人数"</li>
                <li><strong>{total.registered}</strong>"已注册"</li>
                <li><strong>{total.certified}</strong>"已认证"</li>
                <li><strong>{total.rate_text()}</strong>"认证率"</li>
            </ul>
            <p class="muted">"认证率 = 已认证人数 ÷ 名册人数；各单位均含其下级单位。"</p>
            <p class="actions"><a href=format!("/admin/stats.csv?unit={unit}") download="">"导出 CSV"</a></p>
        </section>
        {(!children.is_empty()).then(|| view! { <ChildUnits children header/> })}
    }
}

/// The child units' chart and sortable table. `header` draws a column's
/// sorting link.
#[component]
fn ChildUnits<H, V>(children: Vec<UnitStats>, header: H) -> impl IntoView
where
    H: Fn(SortKey, &'static str) -> V + 'static,
    V: IntoView + 'static,
{
    view! {
            <section class="card" aria-labelledby="children-heading">
                <h2 id="children-heading">"下级单位"</h2>
                {view! { <RateChart rows=children.clone()/> }.into_any()}
                <div class="table-scroll">
                    <table class="numbers">
                        <thead>
                            <tr>
                                {header(SortKey::Name, "单位")}
                                {header(SortKey::Roster, "名册")}
                                {header(SortKey::Registered, "已注册")}
                                {header(SortKey::Certified, "已认证")}
                                {header(SortKey::Rate, "认证率")}
                            </tr>
                        </thead>
                        <tbody>
                            {children.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/admin/stats?unit={}", encode(&row.code))>{row.name.clone()}</a></th>
                                    <td>{row.counts.roster}</td>
                                    <td>{row.counts.registered}</td>
                                    <td>{row.counts.certified}</td>
                                    <td>{row.counts.rate_text()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
    }
    .into_any()
}

/// A horizontal bar per unit, its length the certification rate: drawn as
/// SVG on the server, so it shows without JavaScript and prints sharply.
#[component]
fn RateChart(rows: Vec<UnitStats>) -> impl IntoView {
    const ROW: usize = 26;
    const LABEL: f64 = 128.0;
    const BAR: f64 = 150.0;
    let height = rows.len() * ROW + 8;
    let summary = rows.iter().map(|r| format!("{} {}", r.name, r.counts.rate_text())).collect::<Vec<_>>().join("，");
    view! {
        <svg class="chart" viewBox=format!("0 0 320 {height}") width="100%" role="img" aria-label=format!("各单位认证率：{summary}")>
            {rows.into_iter().enumerate().map(|(i, row)| {
                let y = (i * ROW + 4) as f64;
                let per_mille = row.counts.certified_per_mille().unwrap_or(0);
                let width = BAR * per_mille as f64 / 1000.0;
                let name: String = row.name.chars().take(8).collect();
                view! {
                    <text x="0" y=y + 15.0 class="chart-label">{name}</text>
                    <rect x=LABEL y=y width=BAR height="18" class="chart-track"/>
                    <rect x=LABEL y=y width=width height="18" class="chart-bar"/>
                    <text x=LABEL + BAR + 4.0 y=y + 15.0 class="chart-value">{row.counts.rate_text()}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// The levels a 公示 can rank.
const LEVELS: [(&str, &str); 3] = [("city", "市级"), ("county", "县（区）级"), ("grassroots", "基层")];

#[component]
pub fn GongshiPage() -> impl IntoView {
    let query = use_query_map();
    let level = move || query.read().get("level");
    let ranking = Resource::new(level, load_ranking);
    view! {
        <Title text="注册认证公示"/>
        <section class="card">
            <h1>"注册认证公示"</h1>
            <p class="muted">"按实名认证率排名（已认证人数 ÷ 名册人数，含下级单位）。"</p>
            <Loading>
                {move || Suspend::new(async move {
                    match ranking.await {
                        Ok(ranking) => view! { <RankingView ranking/> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Loading>
        </section>
    }
}

#[component]
fn RankingView(ranking: Ranking) -> impl IntoView {
    let Ranking { level, rows, computed_at } = ranking;
    view! {
        <nav class="level-tabs" aria-label="单位级别">
            {LEVELS.into_iter().map(|(key, label)| {
                let current = key == level;
                view! {
                    <a href=format!("/gongshi?level={key}") class:current=current aria-current=current.then_some("page")>{label}</a>
                }
            }).collect_view()}
        </nav>
        <p class="muted">{format!("统计时间 {computed_at}（每分钟更新）")}</p>
        {rows.is_empty().then(|| view! { <p class="muted">"这一级还没有单位。"</p> })}
        <div class="table-scroll">
            <table class="numbers ranking">
                <thead>
                    <tr><th scope="col">"排名"</th><th scope="col">"单位"</th><th scope="col">"名册"</th><th scope="col">"已认证"</th><th scope="col">"认证率"</th></tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, row)| view! {
                        <tr>
                            <td>{if row.counts.roster > 0 { (i + 1).to_string() } else { "—".to_owned() }}</td>
                            <th scope="row">{row.name.clone()}</th>
                            <td>{row.counts.roster}</td>
                            <td>{row.counts.certified}</td>
                            <td>{row.counts.rate_text()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
