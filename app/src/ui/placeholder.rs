//! The 404 page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

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
