//! 首页: the union's welcome and its directory of units.

use domain::{UnitMatch, UnitNode};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

use crate::home::api::{load_unit_directory, UnitDirectory};
use crate::ui::components::Loading;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q");
    let directory = Resource::new(q, load_unit_directory);
    view! {
        <Title text=""/>
        <section class="card welcome">
            <h1>"会员之家"</h1>
            <p>"注册并完成实名认证后，即可参加评选投票、领取会员普惠服务。"</p>
        </section>
        <crate::newsroom::pages::articles::FeedSection/>
        <A href="/gongshi" attr:class="card admin-link">"各单位注册认证公示 ›"</A>
        <section class="card" aria-labelledby="units-heading">
            <h2 id="units-heading">"本会组织"</h2>
            // A plain GET form: without JavaScript the browser loads /?q=…
            // and the server renders the results; once hydrated, the router
            // submits it without reloading the page.
            <Form method="GET" action="/" attr:class="search" attr:role="search">
                <label for="unit-q" class="visually-hidden">"搜索单位"</label>
                <input
                    id="unit-q"
                    type="search"
                    name="q"
                    placeholder="输入单位名称或代码"
                    maxlength="40"
                    enterkeyhint="search"
                    value=move || q().unwrap_or_default()
                />
                <button type="submit">"搜索"</button>
            </Form>
            <Loading>
                {move || Suspend::new(async move {
                    match directory.await {
                        Ok(directory) => view! { <Directory directory/> }.into_any(),
                        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Loading>
        </section>
    }
}

#[component]
fn Directory(directory: UnitDirectory) -> impl IntoView {
    match directory.query {
        Some(query) => view! { <SearchResults query matches=directory.matches/> }.into_any(),
        None => {
            let counts = directory.counts;
            let empty = directory.tree.is_empty();
            view! {
                <ul class="stats" aria-label="单位数量">
                    <li><strong>{counts.city}</strong><span>"市级工会"</span></li>
                    <li><strong>{counts.county}</strong><span>"县区级工会"</span></li>
                    <li><strong>{counts.grassroots}</strong><span>"基层工会"</span></li>
                </ul>
                {empty.then(|| view! { <p class="muted">"还没有导入单位。"</p> })}
                <ul class="unit-tree">
                    {directory.tree.into_iter().map(|node| view! { <UnitBranch node/> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}

/// One unit and, folded in a `<details>` (which opens and closes without
/// JavaScript), its sub-units.
#[component]
fn UnitBranch(node: UnitNode) -> impl IntoView {
    let level = node.level.label();
    if node.children.is_empty() {
        return view! {
            <li class="unit">
                <span class="unit-name">{node.name}</span>
                <span class="badge">{level}</span>
            </li>
        }
        .into_any();
    }
    let below = node.size() - 1;
    view! {
        <li class="unit">
            <details>
                <summary>
                    <span class="unit-name">{node.name}</span>
                    <span class="badge">{format!("{below} 个下级单位")}</span>
                </summary>
                <ul>
                    {node.children.into_iter().map(|node| view! { <UnitBranch node/> }).collect_view()}
                </ul>
            </details>
        </li>
    }
    .into_any()
}

#[component]
fn SearchResults(query: String, matches: Vec<UnitMatch>) -> impl IntoView {
    let summary = if matches.is_empty() {
        format!("没有找到包含“{query}”的单位，请换个关键词试试。")
    } else if matches.len() >= crate::home::api::MAX_MATCHES {
        format!("“{query}”的结果较多，仅显示前 {} 个，请输入更完整的名称。", matches.len())
    } else {
        format!("找到 {} 个包含“{query}”的单位", matches.len())
    };
    view! {
        <p class="result-summary" role="status">{summary}</p>
        <ul class="unit-results">
            {matches
                .into_iter()
                .map(|m| {
                    view! {
                        <li class="unit">
                            <span class="unit-name">{m.name}</span>
                            <span class="badge">{m.level.label()}</span>
                            <span class="unit-path">{m.path.join(" › ")}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <A href="/" attr:class="button-link">"查看全部单位"</A>
    }
}
