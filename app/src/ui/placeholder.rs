//! Tabs whose features arrive in later issues, and the 404 page. Each says
//! plainly what is coming instead of showing an empty screen.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
fn ComingSoon(title: &'static str, lead: &'static str, items: &'static [&'static str]) -> impl IntoView {
    view! {
        <Title text=title/>
        <section class="card">
            <h1>{title}</h1>
            <p>{lead}</p>
            <ul class="plain-list">{items.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ul>
        </section>
    }
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    view! {
        <ComingSoon
            title="服务"
            lead="会员服务即将开放。"
            items=&["惠员卡：实名认证后领取电子会员卡。", "会员普惠：节日慰问、优惠活动。", "工会资讯：本会新闻与通知。"]
        />
    }
}

/// Shown for any unknown address, with HTTP status 404 on the first load.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="页面不存在"/>
        <section class="card">
            <h1>"页面不存在"</h1>
            <p>"您要找的页面不存在或已被移除，请检查链接是否完整。"</p>
            <A href="/" attr:class="button-link">"返回首页"</A>
        </section>
    }
}
