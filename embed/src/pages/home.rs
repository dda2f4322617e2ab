//! 首页: the member's news feed (`/api/feed`). An article opens on the
//! portal outside the webview (its page has the comments, likes and media).

use leptos::prelude::*;

use crate::api;
use crate::host;
use crate::types::Feed;
use crate::ui::error_card;

#[component]
pub fn HomePage() -> impl IntoView {
    let feed = LocalResource::new(|| api::get::<Feed>("feed", &[]));
    move || match feed.get() {
        None => crate::ui::loading(),
        Some(Err(e)) => error_card(&e),
        Some(Ok(feed)) => {
            let empty = feed.cards.is_empty();
            view! {
                <section class="feed" aria-labelledby="feed-heading">
                    <h2 id="feed-heading" class="page-title">{feed.heading}</h2>
                    {empty.then(|| view! { <p class="card muted">"还没有发布的文章。"</p> })}
                    <ul class="article-list">
                        {feed.cards.into_iter().map(|card| {
                            let url = api::absolute_url(&format!("/a/{}", card.id));
                            view! {
                                <li>
                                    <a class="card article-card" href=url.clone()
                                        on:click=move |ev| { ev.prevent_default(); host::open_external(&url); }>
                                        <span class="article-text">
                                            <strong>{card.title}</strong>
                                            <span class="muted excerpt">{card.excerpt}</span>
                                            <span class="muted">{format!("{} · {}", card.channel_name, card.when)}</span>
                                        </span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
    }
}
