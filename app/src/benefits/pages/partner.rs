//! 商户核销 (`/partner`): a partner merchant signs in with the login an
//! official gave them, then redeems members' codes. Without JavaScript the
//! code is typed (or pasted) into a form; with it, `/scanner.js` reads QR
//! codes with the camera (`BarcodeDetector` where the browser has it),
//! checks each code's ed25519 signature against the public key in the page
//! with no network, and redeems it online — or keeps it and redeems it when
//! the network is back (the server still counts it once).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::benefits::api::{load_partner_page, PartnerSignIn, PartnerSignOut, RedeemCode};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner};

#[component]
pub fn PartnerPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_partner_page());
    let posted = use_posted_form();
    view! {
        <Title text="商户核销"/>
        <h1 class="page-title">"商户核销"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(page) if !page.signed_in => view! {
                        <section class="card">
                            <p class="muted">"合作商户使用工会发放的登录名和密码登录，核销会员出示的福利领取码。"</p>
                            <FormBanner posted=posted.clone()/>
                            <form method="post" action={action::<PartnerSignIn>()} class="form" novalidate>
                                <Field label="商户登录名" name="login" autocomplete="username" value=form.value("login") error=form.error_for("login")/>
                                <Field label="密码" name="password" input_type="password" autocomplete="current-password" error=form.error_for("password")/>
                                <button type="submit" class="primary">"登录"</button>
                            </form>
                        </section>
                    }
                    .into_any(),
                    Ok(page) => view! {
                        <section class="card scanner" id="scanner" data-public-key=page.public_key.clone()>
                            <p class="muted">{format!("{}，请扫描会员的领取码，或输入会员报出的核销码。", page.name)}</p>
                            <FormBanner posted=posted.clone()/>
                            <div class="scan-camera" hidden>
                                <video id="scan-video" playsinline muted></video>
                            </div>
                            <button type="button" id="scan-start" class="primary" hidden>"扫码核验"</button>
                            <p id="scan-result" class="scan-result" role="status" aria-live="polite"></p>
                            <p id="scan-queue" class="muted" aria-live="polite"></p>
                            <form method="post" action={action::<RedeemCode>()} class="form" id="redeem-form" novalidate>
                                <Field label="领取码或核销码" name="code" autocomplete="off" value=form.value("code") error=form.error_for("code") hint="核销码形如 123-45678901"/>
                                <button type="submit" class="primary">"核销"</button>
                            </form>
                        </section>
                        <section class="card" aria-labelledby="pb-heading">
                            <h2 id="pb-heading">"本店福利"</h2>
                            <table class="figures">
                                <thead><tr><th>"福利"</th><th>"已领取"</th><th>"已核销"</th></tr></thead>
                                <tbody>
                                    {page.benefits.into_iter().map(|(_, title, claimed, redeemed)| view! {
                                        <tr><td>{title}</td><td>{claimed}</td><td>{redeemed}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                        <section class="card" aria-labelledby="pr-heading">
                            <h2 id="pr-heading">"最近核销"</h2>
                            {page.recent.is_empty().then(|| view! { <p class="muted">"还没有核销记录。"</p> })}
                            <ul class="plain-list">
                                {page.recent.into_iter().map(|(title, member, when)| view! {
                                    <li>{title}<span class="muted">{format!(" · {member} · {when}")}</span></li>
                                }).collect_view()}
                            </ul>
                            <form method="post" action={action::<PartnerSignOut>()} class="inline-form">
                                <button type="submit" class="link-button">"退出登录"</button>
                            </form>
                        </section>
                        <script src="/scanner.js" defer=true nonce=leptos::nonce::use_nonce()></script>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
