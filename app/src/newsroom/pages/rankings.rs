//! 平台实时排名 (`/rank`), 工会新声 (`/desk/digest`) and the big screen
//! (`/screen`, 1920×1080 for a hall). The screen is server HTML; its one
//! island (`LiveScreen`) listens to `/screen/events` (server-sent events:
//! the screen's HTML, re-rendered every 5 s) and swaps it in, so the page
//! never reloads. Without JavaScript, `/screen?refresh=30` reloads itself.

use leptos::prelude::*;
use leptos_meta::{Meta, Stylesheet, Title};
use leptos_router::hooks::use_query_map;

use crate::newsroom::api::{load_digest, load_rank, load_screen, PublishDigest, RankingView, ScreenNode, ScreenView};
use crate::newsroom::model::{PERIODS, RANK_BY};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner};

#[component]
pub fn RankPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("unit"), q.get("period"), q.get("sort"))
    };
    let ranking = Resource::new(args, |(unit, period, sort)| load_rank(unit, period, sort));
    view! {
        <Title text="实时排名"/>
        <h1 class="page-title">"平台实时排名"</h1>
        <Loading>
            {move || Suspend::new(async move {
                match ranking.await {
                    Ok(r) => view! { <RankTable r/> }.into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
fn RankTable(r: RankingView) -> impl IntoView {
    let link = |unit: &str, period: &str, sort: &str| format!("/rank?unit={unit}&period={period}&sort={sort}");
    let (unit, period, sort) = (r.unit_code.clone(), r.period.clone(), r.sort.clone());
    view! {
        <section class="card">
            <p class="crumbs muted">
                {r.crumbs.iter().map(|(c, n)| view! { <a href=link(c, &period, &sort)>{n.clone()}</a>" › " }).collect_view()}
                <strong>{r.unit_name.clone()}</strong>
            </p>
            <nav class="segmented" aria-label="时间范围">
                {PERIODS.iter().map(|(k, label)| view! {
                    <a href=link(&unit, k, &sort) aria-current=(*k == period).then_some("page")>{*label}</a>
                }).collect_view()}
            </nav>
            <p class="muted">{format!("合计：发稿 {} · 阅读 {} · 有效分享 {} · 报送被采用 {}（{} 统计）", r.total.published, r.total.reads, r.total.shares, r.total.adopted, r.computed_at)}</p>
            <div class="table-scroll"><table class="figures rank">
                <thead>
                    <tr>
                        <th>"名次"</th>
                        <th>"单位"</th>
                        {RANK_BY.iter().map(|(k, label)| view! {
                            <th><a href=link(&unit, &period, k) aria-current=(*k == sort).then_some("true")>{*label}</a></th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {r.rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.rank}</td>
                            <td>{if row.has_children {
                                view! { <a href=link(&row.code, &period, &sort)>{row.name.clone()}</a> }.into_any()
                            } else {
                                view! { <span>{row.name.clone()}</span> }.into_any()
                            }}</td>
                            <td>{row.reads}</td>
                            <td>{row.published}</td>
                            <td>{row.shares}</td>
                            <td>{row.adopted}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <p class="muted">"阅读按每位访客每天计一次；分享指带来过阅读的分享链接；采用指报送上级或外部媒体后被采用的稿件；各单位数字含其全部下级单位。"</p>
        </section>
    }
}

/// `/desk/digest`: 工会新声 — pick the day's articles from the units below,
/// order them, give each a line, publish as an article.
#[component]
pub fn DigestPage() -> impl IntoView {
    let query = use_query_map();
    let digest = Resource::new(move || query.read().get("unit"), load_digest);
    let posted = use_posted_form();
    view! {
        <Title text="工会新声"/>
        <h1 class="page-title">"编发工会新声"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match digest.await {
                    Ok(d) => view! {
                        <section class="card">
                            <form method="get" action="/desk/digest" class="search">
                                <label for="d-unit" class="visually-hidden">"频道"</label>
                                <select id="d-unit" name="unit">
                                    {d.units.iter().map(|(c, n)| view! { <option value=c.clone() selected=*c == d.unit_code>{n.clone()}</option> }).collect_view()}
                                </select>
                                <button type="submit">"切换"</button>
                            </form>
                            <p class="muted">{format!("{} 下级单位今天发布的文章：勾选、排序（数字小的在前），写一句摘要，发布为本频道的一篇文章。", d.date)}</p>
                        </section>
                        <FormBanner posted/>
                        {d.candidates.is_empty().then(|| view! { <p class="card muted">"今天下级单位还没有发布文章。"</p> })}
                        {(!d.candidates.is_empty()).then(|| view! {
                            <form method="post" action={action::<PublishDigest>()} class="card form" novalidate>
                                <input type="hidden" name="unit" value=d.unit_code.clone()/>
                                <p class="field-message">{form.error_for("picked").or(form.error_for("summaries"))}</p>
                                <ol class="plain-list digest-picker">
                                    {d.candidates.iter().enumerate().map(|(n, c)| view! {
                                        <li class="digest-item">
                                            <input type="hidden" name="ids[]" value=c.id.to_string()/>
                                            <label class="check">
                                                <input type="checkbox" name="picked[]" value=c.id.to_string()/>
                                                {format!("{}（{}）", c.title, c.channel_name)}
                                            </label>
                                            <label>"顺序 "<input type="number" name="orders[]" min="1" max="99" value=(n + 1).to_string() class="short"/></label>
                                            <label>"摘要 "<input name="summaries[]" maxlength="60" placeholder="一句话摘要（可不填）"/></label>
                                        </li>
                                    }).collect_view()}
                                </ol>
                                <button type="submit" class="primary wide">"发布工会新声"</button>
                            </form>
                        })}
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

/// `/screen`: the big screen.
#[component]
pub fn ScreenPage() -> impl IntoView {
    let screen = Resource::new(|| (), |_| load_screen());
    let refresh = use_query_map().read_untracked().get("refresh").and_then(|r| r.parse::<u32>().ok());
    view! {
        <Title text="大屏"/>
        // The screen's own styles: a hall screen's, not a phone's bundle.
        <Stylesheet href="/screen.css"/>
        {refresh.map(|secs| view! { <Meta http_equiv="refresh" content=secs.max(10).to_string()/> })}
        <Loading>
            {move || Suspend::new(async move {
                match screen.await {
                    Ok(view) => {
                        let body = view! { <ScreenBody view/> }.into_any();
                        view! {
                            <div class="screen" id="screen">{body}</div>
                            <LiveScreen url="/screen/events".to_owned()/>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

/// What is inside `#screen`; the event stream sends it re-rendered.
#[component]
pub fn ScreenBody(view: ScreenView) -> impl IntoView {
    let ScreenView { union_name, today, month, ranking, tree, campaign, certification, computed_at } = view;
    let top = ranking.first().map_or(1, |r| r.reads.max(1));
    // Each part erased to AnyView: one nested type for the whole screen
    // overflowed the compiler's query depth in the browser build.
    let head = view! {
        <header class="screen-head">
            <h1>{format!("{union_name} · 新闻宣传与服务大屏")}</h1>
            <p>{format!("更新于 {computed_at}")}</p>
        </header>
    }
    .into_any();
    let kpis = view! {
        <section class="screen-kpis" aria-label="今日与本月">
            <div><strong>{today.published}</strong><span>"今日发稿"</span></div>
            <div><strong>{today.reads}</strong><span>"今日阅读"</span></div>
            <div><strong>{month.published}</strong><span>"本月发稿"</span></div>
            <div><strong>{month.reads}</strong><span>"本月阅读"</span></div>
            <div><strong>{today.shares}</strong><span>"今日有效分享"</span></div>
        </section>
    }
    .into_any();
    let rank = view! {
        <section class="screen-rank" aria-labelledby="s-rank">
            <h2 id="s-rank">"今日实时排名（阅读）"</h2>
            <ol>
                {ranking.into_iter().map(|r| {
                    let width = format!("width:{}%", r.reads * 100 / top);
                    view! {
                        <li>
                            <span class="who">{r.name}</span>
                            <span class="bar"><span style=width></span></span>
                            <span class="num">{r.reads}</span>
                        </li>
                    }
                    .into_any()
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any();
    let tree = view! {
        <section class="screen-tree" aria-labelledby="s-tree">
            <h2 id="s-tree">"各级工会今日活跃度"</h2>
            <div class="tree-cities">
                {tree.into_iter().map(|city| view! { <CityBlock city/> }.into_any()).collect_view()}
            </div>
            <p class="legend">"颜色越深，今日阅读越多：" <i class="heat-0"></i>"无 " <i class="heat-1"></i>"1+ " <i class="heat-2"></i>"10+ " <i class="heat-3"></i>"100+ " <i class="heat-4"></i>"1000+"</p>
        </section>
    }
    .into_any();
    let vote = match campaign {
        Some((title, top)) => view! {
            <section class="screen-vote" aria-labelledby="s-vote">
                <h2 id="s-vote">{title}</h2>
                <ol>{top.into_iter().map(|(name, unit, votes)| view! { <li><span class="who">{format!("{name} · {unit}")}</span><span class="num">{format!("{votes} 票")}</span></li> }.into_any()).collect_view()}</ol>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="screen-vote" aria-labelledby="s-vote"><h2 id="s-vote">"评选投票"</h2><p>"目前没有进行中的投票"</p></section>
        }
        .into_any(),
    };
    let cert = view! {
        <section class="screen-cert" aria-labelledby="s-cert">
            <h2 id="s-cert">"各市实名认证率"</h2>
            <ol>
                {certification.into_iter().map(|(name, rate, per_mille)| view! {
                    <li>
                        <span class="who">{name}</span>
                        <span class="bar"><span style=format!("width:{}%", per_mille / 10)></span></span>
                        <span class="num">{rate}</span>
                    </li>
                }
                .into_any()).collect_view()}
            </ol>
        </section>
    }
    .into_any();
    view! { {head}{kpis}{rank}{tree}{vote}{cert} }
}

#[component]
fn CityBlock(city: ScreenNode) -> impl IntoView {
    view! {
        <div class=format!("city heat-{}", city.heat)>
            <h3>{city.name.clone()}<small>{format!(" {}", city.reads)}</small></h3>
            <div class="counties">
                {city.children.into_iter().map(|county| view! {
                    <div class=format!("county heat-{}", county.heat) title=format!("{}：{}", county.name, county.reads)>
                        <span>{county.name.clone()}</span>
                        <span class="grassroots">
                            {county.children.into_iter().map(|g| view! { <i class=format!("heat-{}", g.heat) title=g.name.clone()></i> }).collect_view()}
                        </span>
                    </div>
                }).collect_view()}
            </div>
        </div>
    }
}

/// Renders the screen's inside as HTML (for the event stream).
#[cfg(feature = "ssr")]
pub fn screen_html(view: ScreenView) -> String {
    let owner = Owner::new();
    owner.with(|| leptos::tachys::view::RenderHtml::to_html(view! { <ScreenBody view/> }))
}

/// Listens to the screen's event stream and swaps each new rendering in
/// (an island: the only part of the screen that ships WASM).
#[island]
fn LiveScreen(url: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        if let Ok(source) = web_sys::EventSource::new(&url) {
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let html = event.data().as_string().unwrap_or_default();
                let target = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("screen"));
                if let (Some(target), false) = (target, html.is_empty()) {
                    target.set_inner_html(&html);
                }
            });
            source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // The page lives as long as the screen: the handler too.
            on_message.forget();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &url;
    view! { <span class="live-dot" aria-hidden="true"></span> }
}
