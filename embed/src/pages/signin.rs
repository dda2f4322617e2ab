//! 登录: phone and password, or phone and an SMS code; both are exchanged
//! for a token at `POST /api/app/session`.

use leptos::prelude::*;
use serde_json::json;

use crate::api::ApiError;
use crate::route::href;
use crate::session::use_session;
use crate::ui::{Field, FormBanner, Notice};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = json!({ "phone": phone.get_untracked().trim(), "password": password.get_untracked() });
            if let Err(e) = session.open(body).await {
                error.set(Some(e));
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card">
            <h1>"登录"</h1>
            <Notice notice=session.1/>
            <FormBanner error fields=&["phone", "password"]/>
            <form class="form" novalidate on:submit=submit>
                <Field label="手机号" name="phone" value=phone error input_type="tel" autocomplete="username" inputmode="numeric"/>
                <Field label="密码" name="password" value=password error input_type="password" autocomplete="current-password"/>
                <button type="submit" class="primary" disabled=move || busy.get()>"登录"</button>
            </form>
        </section>
        <p class="below-card"><a href=href("/login/sms")>"短信验证码登录"</a></p>
        <p class="below-card">"还没有账号？" <a href=href("/register")>"注册会员"</a></p>
    }
}

#[component]
pub fn SmsSignInPage() -> impl IntoView {
    let session = use_session();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send_code = move |_| crate::ui::send_code("auth/login-code", phone, busy, notice, error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let body = json!({ "phone": phone.get_untracked().trim(), "code": code.get_untracked().trim() });
            if let Err(e) = session.open(body).await {
                error.set(Some(e));
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card">
            <h1>"短信验证码登录"</h1>
            <Notice notice/>
            <FormBanner error fields=&["phone", "code"]/>
            <form class="form" novalidate on:submit=submit>
                <Field label="手机号" name="phone" value=phone error input_type="tel" autocomplete="username" inputmode="numeric"/>
                <button type="button" class="secondary" disabled=move || busy.get() on:click=send_code>"获取验证码"</button>
                <Field label="验证码" name="code" value=code error autocomplete="one-time-code" inputmode="numeric"/>
                <button type="submit" class="primary" disabled=move || busy.get()>"登录"</button>
            </form>
        </section>
        <p class="below-card"><a href=href("/login")>"密码登录"</a></p>
    }
}
