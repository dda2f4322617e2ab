//! 登录 and 我的.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::accounts::api::{load_current_member, Login, Logout, LogoutEverywhere};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Check, Field, FormBanner};

#[component]
pub fn LoginPage() -> impl IntoView {
    let posted = use_posted_form();
    view! {
        <Title text="登录"/>
        <section class="card">
            <h1>"登录"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    let form = posted.clone().unwrap_or_default();
                    let reset = crate::accounts::pages::code_flows::reset_notice();
                    // Where the member was going (a vote page), kept through a failed try.
                    let next = Some(form.value("next"))
                        .filter(|n| !n.is_empty())
                        .or_else(|| leptos_router::hooks::use_query_map().read_untracked().get("next"))
                        .unwrap_or_default();
                    view! {
                        {reset.map(|n| view! { <p class="banner banner-notice" role="status">{n}</p> })}
                        <FormBanner posted/>
                        <form method="post" action={action::<Login>()} class="form" novalidate>
                            {(!next.is_empty()).then(|| view! { <input type="hidden" name="next" value=next.clone()/> })}
                            <Field label="手机号" name="phone" input_type="tel" autocomplete="username" inputmode="numeric"
                                maxlength=20 value=form.value("phone") error=form.error_for("phone") check=Check::Phone/>
                            <Field label="密码" name="password" input_type="password" autocomplete="current-password"
                                maxlength=64 error=form.error_for("password")/>
                            <label class="check">
                                <input type="checkbox" name="remember" value="1" checked=!form.value("remember").is_empty()/>
                                "30 天内自动登录"
                            </label>
                            <button type="submit" class="primary">"登录"</button>
                        </form>
                    }
                })}
            </Loading>
        </section>
        <p class="below-card">
            <A href="/login/sms">"短信验证码登录"</A> " · " <A href="/reset">"忘记密码"</A>
        </p>
        <p class="below-card">"还没有账号？" <A href="/register">"注册会员"</A></p>
    }
}

#[component]
pub fn MePage() -> impl IntoView {
    let member = Resource::new(|| (), |_| load_current_member());
    let request = Resource::new(|| (), |_| crate::certification::api::load_my_request());
    let notices = Resource::new(|| (), |_| crate::newsroom::api::load_story_notices());
    view! {
        <Title text="我的"/>
        <Loading>
            {move || Suspend::new(async move {
                let request = request.await.ok().flatten();
                let notices = notices.await.unwrap_or_default();
                match member.await {
                    Ok(Some(member)) => view! {
                        {member.is_official.then(|| view! {
                            <A href="/admin" attr:class="card admin-link">"管理：会员与管理员 ›"</A>
                        })}
                        <section class="card profile">
                            <h1>{member.name}</h1>
                            <dl class="facts">
                                <dt>"手机号"</dt><dd>{member.phone_masked}</dd>
                                <dt>"所在工会"</dt><dd>{member.unit_name}</dd>
                                <dt>"实名认证"</dt>
                                <dd>
                                    {match member.member_no.clone() {
                                        Some(no) => format!("已认证 · 会员编号 {no}"),
                                        None => match &request {
                                            Some(r) if r.pending => "未认证 · 人工审核中".to_owned(),
                                            Some(_) => "未认证 · 人工审核未通过".to_owned(),
                                            None => "未认证".to_owned(),
                                        },
                                    }}
                                </dd>
                            </dl>
                        </section>
                        {(!notices.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="notices-heading">
                                <h2 id="notices-heading">"稿件审核动态"</h2>
                                <ul class="plain-list">
                                    {notices.into_iter().map(|n| view! {
                                        <li>
                                            <p>{n.text}<span class="muted">{format!(" · {}", n.at)}</span></p>
                                            {n.comment.map(|c| view! { <p class="muted">{format!("审核意见：{c}")}</p> })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        <crate::activities::pages::member::MySignUps/>
                        {member.certified.then(|| view! {
                            <A href="/card" attr:class="card admin-link">"惠员卡 ›"</A>
                            <A href="/services#mine" attr:class="card admin-link">"我的福利 ›"</A>
                            <A href="/desk" attr:class="card admin-link">"信息员：报送本单位的新闻 ›"</A>
                        })}
                        {(!member.certified).then(|| view! {
                            <A href="/certify" attr:class="card admin-link">"实名认证：凭姓名和身份证号验证会员身份 ›"</A>
                        })}
                        <A href="/me/phone" attr:class="card admin-link">"更换手机号 ›"</A>
                        <form method="post" action={action::<Logout>()} class="card">
                            <button type="submit" class="secondary wide">"退出登录"</button>
                            <button type="submit" class="link-button wide" formaction={action::<LogoutEverywhere>()}>
                                "退出所有设备（手机丢失时使用）"
                            </button>
                        </form>
                    }
                    .into_any(),
                    Ok(None) => view! {
                        <section class="card">
                            <h1>"我的"</h1>
                            <p>"登录后可查看会员信息、参加投票和领取会员服务。"</p>
                            <div class="actions">
                                <A href="/login" attr:class="button-link">"登录"</A>
                                <A href="/register" attr:class="button-link secondary">"注册会员"</A>
                            </div>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
