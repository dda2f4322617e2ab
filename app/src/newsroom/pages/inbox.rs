//! 收件箱 (`/desk/inbox`): what reached the units a member staffs —
//! articles sent down (下发, each with one-click 转载) and stories units
//! below reported up (报送) — and, for officials, what they sent down with
//! who opened and who republished it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::newsroom::api::{load_inbox, RepublishArticle};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner};

#[component]
pub fn InboxPage() -> impl IntoView {
    let inbox = Resource::new(|| (), |_| load_inbox());
    let posted = use_posted_form();
    view! {
        <Title text="收件箱"/>
        <h1 class="page-title">"下发与报送"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match inbox.await {
                    Ok(inbox) => view! {
                        <FormBanner posted/>
                        <section class="card" aria-labelledby="in-heading">
                            <h2 id="in-heading">"收到的"</h2>
                            {inbox.items.is_empty().then(|| view! { <p class="muted">"没有收到下发的文章或报送的稿件。"</p> })}
                            <ul class="plain-list inbox">
                                {inbox.items.into_iter().map(|item| {
                                    let label = if item.distributed { "下发" } else { "报送" };
                                    let link = if item.distributed { format!("/a/{}", item.id) } else { "/desk/review".to_owned() };
                                    view! {
                                        <li class="inbox-item">
                                            <p class="muted">{format!("{label} · {} → {} · {}", item.from_name, item.unit_name, item.when)}</p>
                                            <p><a href=link>{item.title.clone()}</a></p>
                                            {(!item.note.is_empty()).then(|| view! { <p class="muted">{format!("说明：{}", item.note)}</p> })}
                                            {match (item.distributed, item.republished) {
                                                (true, true) => view! { <p class="badge">"已转载"</p> }.into_any(),
                                                (true, false) => view! {
                                                    <form method="post" action={action::<RepublishArticle>()} class="inline-form">
                                                        <input type="hidden" name="id" value=item.id.to_string()/>
                                                        <input type="hidden" name="unit" value=item.unit_code.clone()/>
                                                        <button type="submit" class="secondary">{format!("一键转载到{}", item.unit_name)}</button>
                                                    </form>
                                                }.into_any(),
                                                _ => ().into_any(),
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                        {(!inbox.sent.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="out-heading">
                                <h2 id="out-heading">"下发的"</h2>
                                {inbox.sent.into_iter().map(|d| {
                                    let opened = d.targets.iter().filter(|t| t.1.is_some()).count();
                                    let republished = d.targets.iter().filter(|t| t.2.is_some()).count();
                                    view! {
                                        <details class="distribution">
                                            <summary>
                                                <a href=format!("/a/{}", d.article_id)>{d.title.clone()}</a>
                                                {format!(" · {} · {} 个单位 · 已查看 {opened} · 已转载 {republished}", d.when, d.targets.len())}
                                            </summary>
                                            <table class="figures">
                                                <thead><tr><th>"单位"</th><th>"查看"</th><th>"转载"</th></tr></thead>
                                                <tbody>
                                                    {d.targets.into_iter().map(|(unit, opened, republished)| view! {
                                                        <tr>
                                                            <td>{unit}</td>
                                                            <td>{opened.unwrap_or_else(|| "未查看".to_owned())}</td>
                                                            <td>{republished.unwrap_or_else(|| "—".to_owned())}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </details>
                                    }
                                }).collect_view()}
                            </section>
                        })}
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
