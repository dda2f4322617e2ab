//! 惠员卡: the member's e-card with its verification QR code, and the page
//! a scan of that code opens.

use leptos::prelude::*;

use crate::ui::components::Loading;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::card::api::{check_card, load_card};

#[component]
pub fn CardPage() -> impl IntoView {
    let card = Resource::new(|| (), |_| load_card());
    let services = Resource::new(|| (), |_| crate::benefits::api::load_services());
    let posted = crate::ui::forms::use_posted_form();
    view! {
        <Title text="惠员卡"/>
        <Loading>
            {move || Suspend::new(async move {
                match card.await {
                    Ok(card) => view! {
                        <section class="card e-card" aria-label="惠员卡">
                            <p class="e-card-union">{card.union_name}</p>
                            <h1>"惠员卡"</h1>
                            <dl class="facts">
                                <dt>"姓名"</dt><dd>{card.name}</dd>
                                <dt>"会员编号"</dt><dd>{card.member_no}</dd>
                                <dt>"所在工会"</dt><dd>{card.unit_name}</dd>
                            </dl>
                            <img class="e-card-qr" src="/card/qr.svg" width="200" height="200" alt="惠员卡核验二维码"/>
                            <p class="muted">"出示二维码供商户或工会扫码核验；二维码 30 分钟内有效，刷新页面可更新。"</p>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <section class="card">
                            <h1>"惠员卡"</h1>
                            <p class="error" role="alert">{error.to_string()}</p>
                            <A href="/certify" attr:class="button-link">"去实名认证"</A>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let Ok(services) = services.await else { return ().into_any() };
                let claimable: Vec<_> = services.benefits.into_iter().filter(|b| b.can_claim).collect();
                let unused: Vec<_> = services.claims.into_iter().filter(|c| c.redeemed.is_none()).collect();
                if claimable.is_empty() && unused.is_empty() {
                    return view! { <crate::activities::pages::member::MySignUps upcoming_only=true/> }.into_any();
                }
                view! {
                    <crate::activities::pages::member::MySignUps upcoming_only=true/>
                    {(!unused.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="card-unused">
                            <h2 id="card-unused">"待使用的福利"</h2>
                            <ul class="plain-list">
                                {unused.into_iter().map(|c| view! {
                                    <li><a href=format!("/services/claims/{}", c.id)>{c.benefit_title}</a>
                                    <span class="muted">{format!(" · {}", c.partner_name)}</span></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {(!claimable.is_empty()).then(|| view! {
                        <h2 class="page-title">"可领取的福利"</h2>
                        {claimable.into_iter().map(|b| view! {
                            <crate::benefits::pages::member::BenefitItem benefit=b posted=posted.clone()/>
                        }).collect_view()}
                    })}
                }
                .into_any()
            })}
        </Loading>
    }
}

#[component]
pub fn CardCheckPage() -> impl IntoView {
    let params = use_params_map();
    let check = Resource::new(move || params.read().get("token").unwrap_or_default(), check_card);
    view! {
        <Title text="惠员卡核验"/>
        <section class="card">
            <h1>"惠员卡核验"</h1>
            <Suspense fallback=|| view! { <p class="muted">"正在核验…"</p> }>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(c) => view! {
                            <p class=if c.valid { "banner banner-notice" } else { "banner banner-error" } role="status">{c.verdict}</p>
                            <dl class="facts">
                                <dt>"姓名"</dt><dd>{c.name_masked}</dd>
                                <dt>"会员编号"</dt><dd>{c.member_no}</dd>
                                <dt>"所在工会"</dt><dd>{c.unit_name}</dd>
                                <dt>"二维码生成"</dt><dd>{c.issued}</dd>
                            </dl>
                        }
                        .into_any(),
                        Err(error) => view! { <p class="banner banner-error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
