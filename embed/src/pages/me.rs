//! 我的: who is signed in, links to 实名认证 and 惠员卡, 核验惠员卡 by
//! scanning, and 退出登录.

use leptos::prelude::*;

use crate::api;
use crate::route::href;
use crate::session::use_session;
use crate::types::CardCheck;

#[component]
pub fn MePage() -> impl IntoView {
    let session = use_session();
    let leaving = RwSignal::new(false);
    let sign_out = move |_| {
        leaving.set(true);
        leptos::task::spawn_local(async move { session.end().await });
    };
    move || {
        session.member().map(|member| {
            let certified = member.certified;
            view! {
                <section class="card profile">
                    <h1>{member.name}</h1>
                    <dl class="facts">
                        <dt>"手机号"</dt><dd>{member.phone_masked}</dd>
                        <dt>"所在工会"</dt><dd>{member.unit_name}</dd>
                        <dt>"实名认证"</dt>
                        <dd>{match member.member_no {
                            Some(no) => format!("已认证 · 会员编号 {no}"),
                            None => "未认证".to_owned(),
                        }}</dd>
                    </dl>
                </section>
                {certified.then(|| view! { <a href=href("/card") class="card admin-link">"惠员卡 ›"</a> })}
                {(!certified).then(|| view! {
                    <a href=href("/certify") class="card admin-link">"实名认证：凭姓名和身份证号验证会员身份 ›"</a>
                })}
                <CheckCard/>
                <section class="card">
                    <button type="button" class="secondary wide" disabled=move || leaving.get() on:click=sign_out>"退出登录"</button>
                    {crate::host::can_close().then(|| view! {
                        <button type="button" class="link-button wide" on:click=|_| crate::host::close()>"返回 App"</button>
                    })}
                </section>
            }
        })
    }
}

/// 核验惠员卡: scans another member's card QR (a link ending in
/// `/card/check/{token}`) and shows what `/api/card/check` says of it.
#[component]
fn CheckCard() -> impl IntoView {
    let result = RwSignal::new(None::<Result<CardCheck, String>>);
    let scan = move |_| {
        leptos::task::spawn_local(async move {
            let checked = match crate::host::scan_qr().await {
                Ok(text) => match text.rsplit_once("/card/check/") {
                    Some((_, token)) => {
                        let token = token.split(['?', '#']).next().unwrap_or_default();
                        api::get::<CardCheck>("card/check", &[("token", token)]).await.map_err(|e| e.to_string())
                    }
                    None => Err("这不是惠员卡的二维码".to_owned()),
                },
                Err(message) => Err(message),
            };
            result.set(Some(checked));
        });
    };
    view! {
        <section class="card">
            <h2>"核验惠员卡"</h2>
            <p class="muted">"扫描会员出示的惠员卡二维码，查看是否有效。"</p>
            <button type="button" class="secondary wide" on:click=scan>"扫码核验"</button>
            {move || result.get().map(|r| match r {
                Ok(check) => view! {
                    <p class=if check.valid { "banner banner-notice" } else { "banner banner-error" } role="status">{check.verdict}</p>
                    <dl class="facts">
                        <dt>"姓名"</dt><dd>{check.name_masked}</dd>
                        <dt>"会员编号"</dt><dd>{check.member_no}</dd>
                        <dt>"所在工会"</dt><dd>{check.unit_name}</dd>
                    </dl>
                }
                .into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </section>
    }
}
