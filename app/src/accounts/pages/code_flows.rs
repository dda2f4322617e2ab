//! Flows proven by an SMS code: sign in by code, reset the password, change
//! the phone number. Each is two stages on one address, like 注册: first the
//! phone, then the code (and whatever else the flow needs).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::accounts::api::{
    ChangePhone, LoginWithCode, ResetPassword, SendLoginCode, SendPhoneChangeCode, SendResetCode,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Check, Field, FormBanner, PostedForm};

/// What the second stage adds beyond phone and code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extra {
    Remember,
    NewPassword,
    Nothing,
}

#[component]
fn CodeStages(
    /// Where the phone goes for a code, and where phone and code go.
    send_action: String,
    final_action: String,
    phone_label: &'static str,
    phone_hint: &'static str,
    submit_label: &'static str,
    extra: Extra,
    posted: Option<PostedForm>,
) -> impl IntoView {
    let form = posted.clone().unwrap_or_default();
    let second_stage = form.notice.is_some() || (form.posted_to(&final_action) && form.error_for("phone").is_none());
    let phone = form.value("phone");
    if !second_stage {
        return view! {
            <FormBanner posted/>
            <form method="post" action=send_action class="form" novalidate>
                <Field label=phone_label name="phone" input_type="tel" autocomplete="tel" inputmode="numeric" maxlength=20
                    value=phone error=form.error_for("phone") check=Check::Phone hint=phone_hint/>
                <button type="submit" class="primary">"获取验证码"</button>
            </form>
        }
        .into_any();
    }
    let extra_fields = match extra {
        Extra::Remember => view! {
            <label class="check">
                <input type="checkbox" name="remember" value="1" checked=!form.value("remember").is_empty()/>
                "30 天内自动登录"
            </label>
        }
        .into_any(),
        Extra::NewPassword => view! {
            <Field label="新密码" name="password" input_type="password" autocomplete="new-password" maxlength=64
                error=form.error_for("password") check=Check::Password hint="至少 8 位，不要用生日、手机号或连续数字"/>
        }
        .into_any(),
        Extra::Nothing => ().into_any(),
    };
    view! {
        <FormBanner posted/>
        <form method="post" action=final_action class="form" novalidate>
            <Field label=phone_label name="phone" input_type="tel" autocomplete="tel" inputmode="numeric" maxlength=20
                value=phone.clone() error=form.error_for("phone") check=Check::Phone/>
            <Field label="短信验证码" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength=8
                value=form.value("code") error=form.error_for("code") check=Check::Code hint="6 位数字，5 分钟内有效"/>
            {extra_fields}
            <button type="submit" class="primary">{submit_label}</button>
        </form>
        <form method="post" action=send_action class="form-inline">
            <input type="hidden" name="phone" value=phone/>
            <span class="muted">"没有收到验证码？"</span>
            <button type="submit" class="link-button">"重新获取"</button>
        </form>
    }
    .into_any()
}

#[component]
pub fn SmsLoginPage() -> impl IntoView {
    let posted = use_posted_form();
    view! {
        <Title text="短信验证码登录"/>
        <section class="card">
            <h1>"短信验证码登录"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    view! {
                        <CodeStages send_action={action::<SendLoginCode>()} final_action={action::<LoginWithCode>()}
                            phone_label="手机号" phone_hint="注册时使用的手机号"
                            submit_label="登录" extra=Extra::Remember posted/>
                    }
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/login">"用密码登录"</A></p>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let posted = use_posted_form();
    view! {
        <Title text="找回密码"/>
        <section class="card">
            <h1>"找回密码"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    view! {
                        <CodeStages send_action={action::<SendResetCode>()} final_action={action::<ResetPassword>()}
                            phone_label="手机号" phone_hint="注册时使用的手机号"
                            submit_label="设置新密码" extra=Extra::NewPassword posted/>
                    }
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/login">"返回登录"</A></p>
    }
}

#[component]
pub fn ChangePhonePage() -> impl IntoView {
    let posted = use_posted_form();
    view! {
        <Title text="更换手机号"/>
        <section class="card">
            <h1>"更换手机号"</h1>
            <p class="muted">"验证码将发送到新手机号，验证后用新手机号登录。"</p>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    view! {
                        <CodeStages send_action={action::<SendPhoneChangeCode>()} final_action={action::<ChangePhone>()}
                            phone_label="新手机号" phone_hint="更换后用于登录和接收验证码"
                            submit_label="确认更换" extra=Extra::Nothing posted/>
                    }
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/me">"返回我的"</A></p>
    }
}

/// The notice the login page shows after a password reset (`/login?reset=1`).
pub fn reset_notice() -> Option<String> {
    let query = use_query_map();
    query.read_untracked().get("reset").map(|_| "密码已重置，请用新密码登录。".to_owned())
}
