//! 服务 (`/services`): what the member can use now — benefits of their unit
//! and every unit above it, each with a claim button (a plain form post) —
//! and their claims; a claim's page (`/services/claims/{id}`) shows the QR
//! code the partner scans and the short code to type.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::benefits::api::{load_claim, load_services, BenefitCard, ClaimBenefit, ClaimCard};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner, PostedForm};

/// One benefit with its claim button (or why it cannot be claimed), for
/// 服务 and the 惠员卡.
#[component]
pub fn BenefitItem(benefit: BenefitCard, posted: Option<PostedForm>) -> impl IntoView {
    let id = benefit.id.to_string();
    // The outcome of a claim that was refused shows on its own card.
    let refused = posted
        .filter(|p| p.posted_to(&crate::ui::forms::action::<ClaimBenefit>()) && p.value("id") == id)
        .and_then(|p| p.general_error());
    view! {
        <article class="card benefit" id=format!("benefit-{}", benefit.id)>
            {benefit.picture_url.clone().map(|src| view! {
                <img class="benefit-picture" src=src alt="" loading="lazy" width="328" height="164"/>
            })}
            <h2>{benefit.title.clone()}</h2>
            <p class="muted">{format!("{} · 合作商户：{}", benefit.unit_name, benefit.partner_name)}</p>
            <p>{benefit.description.clone()}</p>
            <ul class="rules benefit-rules">
                {benefit.rules.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                <li>{format!("领取时间：{}", benefit.window)}</li>
            </ul>
            {refused.map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            {match (benefit.my_claim, benefit.can_claim) {
                (Some(claim), _) => view! {
                    <A href=format!("/services/claims/{claim}") attr:class="button-link">"已领取 · 出示领取码"</A>
                }
                .into_any(),
                (None, true) => view! {
                    <form method="post" action={action::<ClaimBenefit>()} class="inline-form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="primary">"立即领取"</button>
                        <span class="muted">{benefit.status.clone()}</span>
                    </form>
                }
                .into_any(),
                (None, false) => view! { <p class="badge">{benefit.status.clone()}</p> }.into_any(),
            }}
        </article>
    }
}

#[component]
fn ClaimList(claims: Vec<ClaimCard>) -> impl IntoView {
    view! {
        <ul class="plain-list">
            {claims.into_iter().map(|c| view! {
                <li>
                    <a href=format!("/services/claims/{}", c.id)>{c.benefit_title}</a>
                    <span class="muted">{format!(" · {} · 领取于 {}", c.partner_name, c.claimed)}</span>
                    {match c.redeemed {
                        Some(at) => view! { <span class="badge">{format!("已核销 {at}")}</span> }.into_any(),
                        None => view! { <span class="badge live">"待使用"</span> }.into_any(),
                    }}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let services = Resource::new(|| (), |_| load_services());
    let posted = use_posted_form();
    view! {
        <Title text="服务"/>
        <h1 class="page-title">"服务"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match services.await {
                    Ok(view) if !view.signed_in => view! {
                        <section class="card">
                            <h2>"会员福利"</h2>
                            <p>"实名认证的工会会员可领取本会及上级工会提供的福利：生日蛋糕、1元观影、健康体检等。"</p>
                            <p class="actions">
                                <a class="button-link" href="/login?next=/services">"登录"</a>
                                <a href="/register">"注册"</a>
                            </p>
                        </section>
                        <a class="card admin-link" href="/services/wishes">"微心愿 · 帮吧：认领困难职工的小心愿 ›"</a>
                        <a class="card admin-link" href="/services/mail">"工会信箱 · 律师邮箱 · 说吧 ›"</a>
                        <a class="card admin-link" href="/services/faq">"公开问答 · 法吧 ›"</a>
                    }
                    .into_any(),
                    Ok(view) => {
                        let open = view.benefits.iter().filter(|b| b.can_claim).count();
                        view! {
                            {(!view.certified).then(|| view! {
                                <p class="card banner banner-notice">
                                    "完成实名认证后即可领取会员福利。 " <a href="/certify">"去认证 ›"</a>
                                </p>
                            })}
                            <p class="below-card muted">{format!("{} · 可领取福利 {open} 项", view.unit_name)}</p>
                            {view.benefits.is_empty().then(|| view! { <p class="card muted">"目前没有面向您所在工会的福利。"</p> })}
                            {view.benefits.into_iter().map(|b| view! { <BenefitItem benefit=b posted=posted.clone()/> }).collect_view()}
                            <crate::activities::pages::member::UpcomingSessions/>
                            <a class="card admin-link" href="/services/wishes">"微心愿 · 帮吧：认领困难职工的小心愿 ›"</a>
                            <a class="card admin-link" href="/services/lessons">"学吧 · 工会知识微课堂 ›"</a>
                            <a class="card admin-link" href="/services/mail">"工会信箱 · 律师邮箱 · 说吧：写信、咨询、提建议 ›"</a>
                            <section class="card" id="mine" aria-labelledby="mine-heading">
                                <h2 id="mine-heading">"我的福利"</h2>
                                {view.claims.is_empty().then(|| view! { <p class="muted">"还没有领取过福利。"</p> })}
                                <ClaimList claims=view.claims/>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <FormBanner posted/>
                        <p class="card error" role="alert">{error.to_string()}</p>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let claim = Resource::new(move || params.read().get("id").unwrap_or_default(), load_claim);
    view! {
        <Title text="领取凭证"/>
        <Loading>
            {move || Suspend::new(async move {
                match claim.await {
                    Ok(c) => view! {
                        <section class="card e-card" aria-label="领取凭证">
                            <p class="e-card-union">{c.partner_name.clone()}</p>
                            <h1>{c.benefit_title.clone()}</h1>
                            {match c.redeemed.clone() {
                                Some(at) => view! {
                                    <p class="banner banner-notice" role="status">{format!("已于 {at} 核销")}</p>
                                }
                                .into_any(),
                                None => view! {
                                    <div class="e-card-qr claim-qr" role="img" aria-label="领取码二维码" inner_html=c.qr_svg.clone()></div>
                                    <p class="muted">"请向商户出示此二维码；商户无法扫码时，请报出下面的核销码。"</p>
                                    <p class="typed-code"><span class="muted">"核销码 "</span><strong>{c.typed_code.clone()}</strong></p>
                                }
                                .into_any(),
                            }}
                            <dl class="facts">
                                <dt>"会员"</dt><dd>{c.member_name.clone()}</dd>
                                <dt>"领取时间"</dt><dd>{c.claimed.clone()}</dd>
                            </dl>
                            <p>{c.description.clone()}</p>
                        </section>
                        <p class="below-card"><a href="/services#mine">"‹ 我的福利"</a></p>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <section class="card">
                            <h1>"领取凭证"</h1>
                            <p class="error" role="alert">{error.to_string()}</p>
                            <A href="/services" attr:class="button-link">"返回服务"</A>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}
