//! 接入 App (`/admin/apps`, super admins): the union apps that embed the
//! portal — their origins (CORS) and the public key that checks their
//! hand-offs — registered and stopped here, every change audited.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::apps::api::{load_host_apps, RegisterHostApp, RevokeHostApp};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, TextArea};

#[component]
pub fn AppsAdminPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_host_apps());
    let posted = use_posted_form();
    view! {
        <Title text="接入 App"/>
        <h1 class="page-title">"接入 App"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(page) => view! {
                        <FormBanner posted/>
                        <section class="card" aria-labelledby="apps-heading">
                            <h2 id="apps-heading">"已登记的 App"</h2>
                            {page.apps.is_empty().then(|| view! { <p class="muted">"还没有登记 App。"</p> })}
                            <ul class="plain-list">
                                {page.apps.into_iter().map(|a| view! {
                                    <li>
                                        <strong>{a.name}</strong>
                                        <span class="muted">{format!(" · {} · {}", a.code, if a.active { "启用中" } else { "已停用" })}</span>
                                        <br/>
                                        <span class="muted">{format!("来源：{}", a.origins.join("、"))}</span>
                                        <br/>
                                        <span class="muted">{format!("公钥 {} · 登记于 {}", a.key_hint, a.registered)}</span>
                                        {a.active.then(|| view! {
                                            <form method="post" action={action::<RevokeHostApp>()} class="inline-form">
                                                <input type="hidden" name="id" value=a.id.to_string()/>
                                                <button type="submit" class="secondary">"停用"</button>
                                            </form>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section class="card" aria-labelledby="app-add-heading">
                            <h2 id="app-add-heading">"登记 App"</h2>
                            <p class="muted">"登记后，这些来源的网页可跨域调用 /api；App 用自己的 Ed25519 私钥签发登录凭证，会员无需再次登录。详见 docs/EMBED.md。"</p>
                            <form method="post" action={action::<RegisterHostApp>()} class="form" novalidate>
                                <Field label="App 标识" name="code" maxlength=32 value=form.value("code") error=form.error_for("code") hint="小写字母、数字或连字符，例如 taian-estation"/>
                                <Field label="名称" name="name" maxlength=40 value=form.value("name") error=form.error_for("name") hint="例如：泰安e站"/>
                                <div class="field" class:has-error=form.error_for("origins").is_some()>
                                    <label for="f-origins">"来源（每行一个）"</label>
                                    <TextArea name="origins" id="f-origins" rows=3 value=form.value("origins") described_by="f-origins-message"/>
                                    <p class="field-message" id="f-origins-message">
                                        {form.error_for("origins").unwrap_or_else(|| "例如 https://app.example.org；从本地文件打开的离线包填 null".to_owned())}
                                    </p>
                                </div>
                                <Field label="公钥（Base64）" name="public_key" maxlength=64 value=form.value("public_key") error=form.error_for("public_key") hint="Ed25519 公钥，32 字节"/>
                                <button type="submit" class="primary wide">"登记"</button>
                            </form>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
