//! The member's side of 活动: the sessions on 服务 with their sign-up
//! buttons, a sign-up's page (`/services/activities/{id}`: the check-in QR
//! code, the place in line, cancelling) and 我的活动 on 我的. Plain forms.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::activities::api::{load_my_signups, load_sessions, load_signup, CancelSignUp, SignUp, SignUpCard};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner};

/// 活动报名 on 服务: the sessions of the member's unit and those above it.
#[component]
pub fn UpcomingSessions() -> impl IntoView {
    let sessions = Resource::new(|| (), |_| load_sessions());
    let posted = use_posted_form();
    view! {
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let sessions = sessions.await.unwrap_or_default();
                if sessions.is_empty() {
                    return ().into_any();
                }
                view! {
                    <h2 class="page-title" id="activities">"活动报名"</h2>
                    {sessions.into_iter().map(|s| {
                        let id = s.id.to_string();
                        let refused = posted
                            .clone()
                            .filter(|p| p.posted_to(&action::<SignUp>()) && p.value("id") == id)
                            .and_then(|p| p.general_error());
                        view! {
                            <article class="card benefit" id=format!("session-{}", s.id)>
                                {s.picture_url.clone().map(|src| view! {
                                    <img class="benefit-picture" src=src alt="" loading="lazy" width="328" height="164"/>
                                })}
                                <h2>{s.title.clone()}<span class="badge">{s.kind_label.clone()}</span></h2>
                                <p class="muted">{format!("{} · {}", s.unit_name, s.place)}</p>
                                <p>{s.description.clone()}</p>
                                <ul class="rules benefit-rules">
                                    <li>{format!("时间：{}", s.when)}</li>
                                    <li>{s.signup_window.clone()}</li>
                                    <li>{format!("名额 {}，已报名 {}", s.capacity, s.confirmed)}</li>
                                </ul>
                                {refused.map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
                                {match (s.my_signup, s.can_sign_up) {
                                    (Some(mine), _) => view! {
                                        <A href=format!("/services/activities/{mine}") attr:class="button-link">{format!("{} · 查看", s.status)}</A>
                                    }
                                    .into_any(),
                                    (None, true) => view! {
                                        <form method="post" action={action::<SignUp>()} class="inline-form">
                                            <input type="hidden" name="id" value=id.clone()/>
                                            <button type="submit" class="primary">"报名"</button>
                                            <span class="muted">{s.status.clone()}</span>
                                        </form>
                                    }
                                    .into_any(),
                                    (None, false) => view! { <p class="badge">{s.status.clone()}</p> }.into_any(),
                                }}
                            </article>
                        }
                    }).collect_view()}
                }
                .into_any()
            })}
        </Loading>
    }
}

/// 我的活动: the member's sign-ups, with a notice for those that moved up
/// from the waiting list. `upcoming_only` for the 惠员卡.
#[component]
pub fn MySignUps(#[prop(optional)] upcoming_only: bool) -> impl IntoView {
    let signups = Resource::new(|| (), |_| load_my_signups());
    view! {
        <Loading>
            {move || Suspend::new(async move {
                let signups: Vec<SignUpCard> =
                    signups.await.unwrap_or_default().into_iter().filter(|g| !upcoming_only || g.upcoming).collect();
                if signups.is_empty() {
                    return ().into_any();
                }
                let promoted: Vec<_> = signups.iter().filter(|g| g.upcoming && g.promoted.is_some()).cloned().collect();
                view! {
                    <section class="card" aria-labelledby="my-activities">
                        <h2 id="my-activities">{if upcoming_only { "近期活动" } else { "我的活动" }}</h2>
                        {promoted.into_iter().map(|g| view! {
                            <p class="banner banner-notice" role="status">
                                {format!("候补成功：{}（{}）已为您保留名额", g.title, g.when)}
                            </p>
                        }).collect_view()}
                        <ul class="plain-list">
                            {signups.into_iter().map(|g| view! {
                                <li>
                                    <a href=format!("/services/activities/{}", g.id)>{g.title}</a>
                                    <span class="muted">{format!(" · {} · {}", g.when, g.place)}</span>
                                    <span class="badge">{g.status}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
                .into_any()
            })}
        </Loading>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let params = use_params_map();
    let signup = Resource::new(move || params.read().get("id").unwrap_or_default(), load_signup);
    let posted = use_posted_form();
    view! {
        <Title text="活动报名"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match signup.await {
                    Ok(g) => view! {
                        <section class="card e-card" aria-label="活动报名">
                            <p class="e-card-union">{g.place.clone()}</p>
                            <h1>{g.title.clone()}</h1>
                            <p>{g.when.clone()}</p>
                            <FormBanner posted/>
                            <p class="badge live">{g.status.clone()}</p>
                            {g.promoted.clone().map(|at| view! {
                                <p class="banner banner-notice" role="status">{format!("已于 {at} 从候补转为正式报名")}</p>
                            })}
                            {g.qr_svg.clone().map(|svg| view! {
                                <div class="e-card-qr claim-qr" role="img" aria-label="签到二维码" inner_html=svg></div>
                                <p class="muted">"入场时请向工作人员出示此二维码签到；无法扫码时请报出签到码。"</p>
                                <p class="typed-code"><span class="muted">"签到码 "</span><strong>{g.typed_code.clone()}</strong></p>
                            })}
                            {g.checked_in.clone().map(|at| view! { <p class="banner banner-notice" role="status">{format!("已于 {at} 签到")}</p> })}
                            {g.can_cancel.then(|| view! {
                                <form method="post" action={action::<CancelSignUp>()} class="inline-form">
                                    <input type="hidden" name="id" value=g.id.to_string()/>
                                    <button type="submit" class="secondary">"取消报名"</button>
                                </form>
                            })}
                        </section>
                        <p class="below-card"><a href="/me">"‹ 我的活动"</a></p>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <section class="card">
                            <h1>"活动报名"</h1>
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
