//! 对外发布渠道 (`/admin/outward`): a unit's WeChat official account or
//! webhook (secrets sealed, never shown again), and the latest deliveries
//! with their state and the medium's reason.

use leptos::prelude::*;
use leptos_meta::Title;

use super::articles::DeliveryList;
use crate::newsroom::api::{load_outward, AddOutwardChannel};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner};

#[component]
pub fn OutwardPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_outward());
    let posted = use_posted_form();
    view! {
        <Title text="对外发布渠道"/>
        <h1 class="page-title">"对外发布渠道"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(page) => view! {
                        <FormBanner posted/>
                        <section class="card" aria-labelledby="channels-heading">
                            <h2 id="channels-heading">"渠道"</h2>
                            {page.channels.is_empty().then(|| view! { <p class="muted">"还没有渠道。"</p> })}
                            <ul class="plain-list">
                                {page.channels.into_iter().map(|c| view! {
                                    <li>{format!("{} · {} · {} · {}", c.unit_name, c.kind_label, c.name, c.endpoint)}</li>
                                }).collect_view()}
                            </ul>
                            <p class="muted">"各频道的 Atom 订阅地址为 /c/单位代码/atom.xml，JSON Feed 为 /c/单位代码/feed.json（只含“对外宣传：是”的文章）。"</p>
                        </section>
                        <section class="card" aria-labelledby="add-heading">
                            <h2 id="add-heading">"添加渠道"</h2>
                            <form method="post" action={action::<AddOutwardChannel>()} class="form" novalidate>
                                <div class="field">
                                    <label for="f-o-unit">"单位"</label>
                                    <select id="f-o-unit" name="unit">
                                        {page.units.into_iter().map(|(c, n)| view! { <option value=c.clone() selected=form.value("unit") == c>{n}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field" class:has-error=form.error_for("kind").is_some()>
                                    <label for="f-kind">"类型"</label>
                                    <select id="f-kind" name="kind">
                                        <option value="wechat" selected=form.value("kind") != "webhook">"微信公众号（AppID + AppSecret）"</option>
                                        <option value="webhook" selected=form.value("kind") == "webhook">"Webhook（其他媒体：签名推送）"</option>
                                    </select>
                                    <p class="field-message">{form.error_for("kind")}</p>
                                </div>
                                <Field label="名称" name="name" maxlength=30 value=form.value("name") error=form.error_for("name") hint="例如：临沂工会公众号"/>
                                <Field label="AppID 或接收地址" name="endpoint" maxlength=300 value=form.value("endpoint") error=form.error_for("endpoint")/>
                                <Field label="AppSecret 或签名密钥" name="secret" input_type="password" maxlength=128 error=form.error_for("secret") hint="加密保存，保存后不再显示"/>
                                <button type="submit" class="primary wide">"添加"</button>
                            </form>
                        </section>
                        <section class="card" aria-labelledby="deliveries-heading">
                            <h2 id="deliveries-heading">"发布记录"</h2>
                            {page.deliveries.is_empty().then(|| view! { <p class="muted">"还没有发布记录。"</p> })}
                            <DeliveryList deliveries=page.deliveries/>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
