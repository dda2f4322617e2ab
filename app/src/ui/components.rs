//! The member shell: the header with the union's name and the bottom tab bar.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::home::api::load_union_profile;

/// The one loading wrapper around a page's data. Pages render with
/// `SsrMode::Async`, so the server sends the data in place and members never
/// see the fallback; it is there for a page rendered without its data yet.
#[component]
pub fn Loading(children: ChildrenFn) -> impl IntoView {
    view! { <Suspense fallback=|| view! { <p class="muted">"正在加载…"</p> }>{children()}</Suspense> }
}

/// The union's name across the top. The profile is a blocking resource so the
/// name is in the first HTML byte stream, on every page including the 404.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let profile = Resource::new_blocking(|| (), |_| load_union_profile());
    view! {
        <header class="site-header">
            <A href="/" attr:class="site-title">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <circle cx="12" cy="12" r="11" fill="currentColor" opacity="0.18"/>
                    <path d="M12 4l2.2 4.6 5 .7-3.6 3.5.9 5L12 15.4 7.5 17.8l.9-5L4.8 9.3l5-.7z" fill="currentColor"/>
                </svg>
                <Suspense fallback=|| view! { <span>"工会会员服务"</span> }>
                    {move || Suspend::new(async move {
                        let name = match profile.await {
                            Ok(p) => p.name,
                            Err(_) => "工会会员服务".to_owned(),
                        };
                        view! { <span>{name}</span> }
                    })}
                </Suspense>
            </A>
        </header>
    }
}

/// The four member tabs (首页 · 投票 · 服务 · 我的), fixed to the bottom of
/// the screen above the home indicator. `A` marks the current tab with
/// `aria-current="page"`, which the CSS highlights.
#[component]
pub fn TabBar() -> impl IntoView {
    view! {
        <nav class="tab-bar" aria-label="主导航">
            <A href="/" exact=true>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/></svg>
                <span>"首页"</span>
            </A>
            <A href="/vote">
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 13h16v7H4zM8 13l3-9h2l3 9M9.5 9h5"/></svg>
                <span>"投票"</span>
            </A>
            <A href="/services">
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h16v13H4zM9 7V4h6v3M4 12h16"/></svg>
                <span>"服务"</span>
            </A>
            <A href="/me">
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="8" r="4"/><path d="M4 21c1-4.5 4.5-6 8-6s7 1.5 8 6"/></svg>
                <span>"我的"</span>
            </A>
        </nav>
    }
}
