//! 评选投票: the open campaigns, and one campaign's candidates each with a
//! vote button, the member's votes left today and 分享拉票.

use leptos::prelude::*;

use crate::api;
use crate::host::{self, Shared};
use crate::route::href;
use crate::types::{Campaign, CampaignCard, Standing, VoteReceipt};
use crate::ui::error_card;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let campaigns = LocalResource::new(|| api::get::<Vec<CampaignCard>>("campaigns", &[]));
    move || match campaigns.get() {
        None => crate::ui::loading(),
        Some(Err(e)) => error_card(&e),
        Some(Ok(list)) if list.is_empty() => {
            view! { <section class="card"><h1>"投票"</h1><p>"目前没有进行中的评选投票活动。"</p></section> }.into_any()
        }
        Some(Ok(list)) => view! {
            <h1 class="page-title">"评选投票"</h1>
            {list.into_iter().map(|c| view! {
                <a class="card campaign-card" href=href(&format!("/v/{}", c.slug))>
                    <span class="badge" class:live=c.voting>{c.phase}</span>
                    <h2>{c.title}</h2>
                    <p class="muted">{c.unit_name}</p>
                    <p class="muted">{c.period}</p>
                </a>
            }).collect_view()}
        }
        .into_any(),
    }
}

/// A fresh idempotency key (32 hex characters) for one press of a vote button:
/// a retried request counts once.
fn vote_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[component]
pub fn CampaignPage(slug: String) -> impl IntoView {
    let campaign = {
        let slug = slug.clone();
        LocalResource::new(move || {
            let slug = slug.clone();
            async move { api::get::<Campaign>("campaign", &[("slug", &slug)]).await }
        })
    };
    move || match campaign.get() {
        None => crate::ui::loading(),
        Some(Err(e)) => error_card(&e),
        Some(Ok(c)) => campaign_view(slug.clone(), c),
    }
}

fn campaign_view(slug: String, campaign: Campaign) -> AnyView {
    let Campaign { card, description, rules, standings, remaining_today, share_url } = campaign;
    let remaining = RwSignal::new(remaining_today);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let voting = card.voting;
    view! {
        <p class="below-card crumbs"><a href=href("/vote")>"‹ 评选投票"</a></p>
        <section class="card">
            <span class="badge" class:live=card.voting>{card.phase.clone()}</span>
            <h1>{card.title.clone()}</h1>
            <p class="muted">{card.period.clone()}</p>
            <p>{description}</p>
            <ul class="plain-list rules">{rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            {move || remaining.get().map(|n| view! {
                <p class="banner banner-notice remaining" role="status">
                    {if n > 0 { format!("您今天还可以投 {n} 票") } else { "您今天的票已投完，明天再来".to_owned() }}
                </p>
            })}
        </section>
        {move || notice.get().map(|n| view! { <p class="banner banner-notice" role="status">{n}</p> })}
        {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        <section class="card" aria-labelledby="board-heading">
            <h2 id="board-heading">"候选人"</h2>
            {standings.is_empty().then(|| view! { <p class="muted">"还没有候选人。"</p> })}
            <ol class="board">
                {standings.into_iter().map(|s| view! {
                    <Candidate slug=slug.clone() share_url=share_url.clone() standing=s voting remaining notice error/>
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn Candidate(
    slug: String,
    share_url: String,
    standing: Standing,
    voting: bool,
    remaining: RwSignal<Option<i64>>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let Standing { rank, number, name, unit_name, votes } = standing;
    let votes = RwSignal::new(votes);
    let busy = RwSignal::new(false);
    let vote = {
        let (slug, name) = (slug.clone(), name.clone());
        move |_| {
            let (slug, name) = (slug.clone(), name.clone());
            busy.set(true);
            leptos::task::spawn_local(async move {
                let number = number.to_string();
                let key = vote_key();
                let fields = [("campaign", slug.as_str()), ("number", number.as_str()), ("key", key.as_str())];
                match api::post_form::<VoteReceipt>("vote", &fields).await {
                    Ok(receipt) => {
                        if !receipt.replayed {
                            votes.update(|v| *v += 1);
                        }
                        remaining.set(Some(receipt.remaining_today));
                        notice.set(Some(format!("已为 {number:0>2} 号 {name} 投票")));
                        error.set(None);
                    }
                    Err(e) => {
                        error.set(Some(e.to_string()));
                        notice.set(None);
                    }
                }
                busy.set(false);
            });
        }
    };
    // The candidate's share page on the server (`{campaign share url}/{number}`)
    // and the poster it draws: chat apps preview both.
    let candidate_url = format!("{share_url}/{number}");
    let poster = api::absolute_url(&format!("/v/{slug}/{number}/poster.png"));
    let share = {
        let name = name.clone();
        move |_| {
            let (title, url, poster) = (format!("请为 {name} 投上一票"), candidate_url.clone(), poster.clone());
            leptos::task::spawn_local(async move {
                match host::share(&title, &url, Some(&poster)).await {
                    Shared::Sheet => {}
                    Shared::Copied => notice.set(Some("链接已复制".to_owned())),
                    Shared::Failed => notice.set(Some(format!("请复制链接发送给好友：{url}"))),
                }
            });
        }
    };
    let no_votes_left = move || remaining.get().is_some_and(|n| n <= 0);
    view! {
        <li class="candidate-row">
            // The row's rule goes under the buttons, which belong to it
            // (style/gonghui.css has no such row: inline, not a new stylesheet).
            <div class="board-row" style="border-bottom:0">
                <span class="rank">{rank}</span>
                <span class="who">
                    <strong>{format!("{number:02} 号 {name}")}</strong>
                    <span class="muted">{unit_name}</span>
                </span>
                <span class="votes">{move || format!("{} 票", votes.get())}</span>
            </div>
            <div class="actions" style="padding-bottom:12px;border-bottom:1px solid var(--line)">
                {voting.then(|| view! {
                    <button type="button" class="primary" on:click=vote
                        disabled=move || busy.get() || no_votes_left()>"投票"</button>
                })}
                <button type="button" class="secondary" on:click=share>"分享拉票"</button>
            </div>
        </li>
    }
}
