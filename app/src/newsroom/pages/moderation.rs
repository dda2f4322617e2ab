//! 评论审核 (`/admin/comments`) and 舆情监测 (`/admin/watchwords`): the
//! officials' queue of pending comments (held ones first, with the words
//! that held them) and each unit's watched words with their alerts per
//! word per day. Plain form posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::newsroom::api::{
    load_pending_comments, load_watchwords, ApproveComment, RejectComment, RemoveWatchWord, SetWatchWord,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner};

#[component]
pub fn CommentsAdminPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| load_pending_comments());
    let posted = use_posted_form();
    view! {
        <Title text="评论审核"/>
        <h1 class="page-title">"评论审核"</h1>
        <p class="below-card"><a href="/admin/watchwords">"舆情监测词 ›"</a></p>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match queue.await {
                    Ok(items) => view! {
                        <FormBanner posted/>
                        {items.is_empty().then(|| view! { <p class="card muted">"没有等待审核的评论。"</p> })}
                        {items.into_iter().map(|c| view! {
                            <article class="card request" id=format!("comment-{}", c.id)>
                                <p class="muted">{format!("{} · {} · {}", c.channel_name, c.author, c.when)}</p>
                                <p><a href=format!("/a/{}", c.article_id)>{c.article_title.clone()}</a></p>
                                {(!c.held_words.is_empty()).then(|| view! {
                                    <p class="banner banner-error">{format!("含监测词：{}", c.held_words)}</p>
                                })}
                                <p class="comment-body">{c.body.clone()}</p>
                                <form method="post" action={action::<ApproveComment>()} class="inline-form">
                                    <input type="hidden" name="id" value=c.id.to_string()/>
                                    <button type="submit" class="primary">"通过"</button>
                                    <button type="submit" class="secondary" formaction={action::<RejectComment>()}>"不予显示"</button>
                                </form>
                            </article>
                        }).collect_view()}
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn WatchwordsPage() -> impl IntoView {
    let query = use_query_map();
    let unit = move || query.read().get("unit");
    let page = Resource::new(unit, load_watchwords);
    let posted = use_posted_form();
    view! {
        <Title text="舆情监测"/>
        <h1 class="page-title">"舆情监测"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(page) => {
                        let unit = page.unit_code.clone();
                        view! {
                            <section class="card">
                                <form method="get" action="/admin/watchwords" class="search">
                                    <label for="w-unit" class="visually-hidden">"单位"</label>
                                    <select id="w-unit" name="unit">
                                        {page.units.iter().map(|(c, n)| view! {
                                            <option value=c.clone() selected=*c == page.unit_code>{n.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                    <button type="submit">"查看"</button>
                                </form>
                                <p class="muted">"本单位的监测词也用于全部下级单位的频道。拦截：评论无法提交；待审：进入审核队列并标出；预警：照常审核，同时计入下方预警。"</p>
                            </section>
                            <section class="card">
                                <h2>"添加监测词"</h2>
                                <FormBanner posted/>
                                <form method="post" action={action::<SetWatchWord>()} class="form" novalidate>
                                    <input type="hidden" name="unit" value=unit.clone()/>
                                    <Field label="词语" name="word" maxlength=20 value=form.value("word") error=form.error_for("word")/>
                                    <div class="field" class:has-error=form.error_for("tier").is_some()>
                                        <label for="f-tier">"处理方式"</label>
                                        <select id="f-tier" name="tier">
                                            <option value="hold">"待审（进入审核并标出）"</option>
                                            <option value="alert">"预警（计入舆情预警）"</option>
                                            <option value="block">"拦截（不能提交）"</option>
                                        </select>
                                        <p class="field-message">{form.error_for("tier")}</p>
                                    </div>
                                    <label class="check"><input type="checkbox" name="whole_word" value="1"/>"整词匹配（不匹配更长词语中的一部分）"</label>
                                    <button type="submit" class="primary">"添加"</button>
                                </form>
                            </section>
                            <section class="card" aria-labelledby="words-heading">
                                <h2 id="words-heading">{format!("监测词（{}）", page.words.len())}</h2>
                                {page.words.is_empty().then(|| view! { <p class="muted">"还没有监测词。"</p> })}
                                <ul class="plain-list">
                                    {page.words.into_iter().map(|w| view! {
                                        <li class="watch-word">
                                            <strong>{w.word.clone()}</strong>
                                            {format!(" · {}{}", w.tier_label, if w.whole_word { " · 整词" } else { "" })}
                                            <form method="post" action={action::<RemoveWatchWord>()} class="inline-form">
                                                <input type="hidden" name="unit" value=unit.clone()/>
                                                <input type="hidden" name="word" value=w.word.clone()/>
                                                <button type="submit" class="link-button">"删除"</button>
                                            </form>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            <section class="card" aria-labelledby="alerts-heading">
                                <h2 id="alerts-heading">"近 30 天舆情预警"</h2>
                                {page.alerts.is_empty().then(|| view! { <p class="muted">"没有预警。"</p> })}
                                <table class="figures">
                                    <thead><tr><th>"日期"</th><th>"词语"</th><th>"方式"</th><th>"次数"</th></tr></thead>
                                    <tbody>
                                        {page.alerts.into_iter().map(|(day, word, tier, hits)| view! {
                                            <tr><td>{day}</td><td>{word}</td><td>{tier}</td><td>{hits}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
