//! 服务: the 惠员福利 the member may claim (`/api/services`); claiming,
//! activities and the mailbox open on the portal outside the webview.

use leptos::prelude::*;

use crate::api;
use crate::host;
use crate::types::Services;
use crate::ui::error_card;

#[component]
pub fn ServicesPage() -> impl IntoView {
    let services = LocalResource::new(|| api::get::<Services>("services", &[]));
    let open_portal = move |_| host::open_external(&api::absolute_url("/services"));
    view! {
        <h1 class="page-title">"会员服务"</h1>
        {move || match services.get() {
            None => crate::ui::loading(),
            Some(Err(e)) => error_card(&e),
            Some(Ok(s)) if s.benefits.is_empty() => view! { <p class="card muted">"目前没有可领取的福利。"</p> }.into_any(),
            Some(Ok(s)) => s.benefits.into_iter().map(|b| view! {
                <section class="card benefit">
                    <h2>{b.title}</h2>
                    <p class="muted">{format!("{} · {}", b.partner_name, b.window)}</p>
                    <p class=if b.can_claim { "badge live" } else { "badge" }>{if b.can_claim { "可领取".to_owned() } else { b.status }}</p>
                </section>
            }).collect_view().into_any(),
        }}
        <section class="card">
            <p class="muted">"领取福利、报名活动、职工信箱等服务在工会网站办理。"</p>
            <button type="button" class="secondary wide" on:click=open_portal>"打开工会网站的服务页"</button>
        </section>
    }
}
