//! 帮吧 (`/services/wishes`): approved wishes without names, a form for a
//! certified member's own wish, and their wishes; a wish's page
//! (`/services/wishes/{id}`) with its progress and the claim button; and
//! the officials' 微心愿管理 (`/admin/wishes`): review, posting on a
//! member's behalf, registering an outside donor, confirming with a photo.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, TextArea};
use crate::wishes::api::{
    load_wish, load_wishes, load_wishes_admin, ApproveWish, ClaimWish, ClaimWishFor, ConfirmWish, PostWish,
    PostWishFor, RejectWish, WishCard, MAX_WISH_YUAN,
};

#[component]
fn WishSummary(wish: WishCard) -> impl IntoView {
    view! {
        <a class="article-card" href=format!("/services/wishes/{}", wish.id)>
            <span class="article-text">
                <strong>{wish.title.clone()}</strong>
                <span class="muted">{format!("{} · {} 元 · {}", wish.unit_name, wish.value_yuan, wish.stage_label)}</span>
            </span>
        </a>
    }
}

#[component]
pub fn WishesPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_wishes());
    let posted = use_posted_form();
    view! {
        <Title text="微心愿"/>
        <h1 class="page-title">"微心愿 · 帮吧"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(view) => view! {
                        <p class="below-card muted">"困难职工的小心愿，由爱心会员和社会爱心人士认领实现。心愿公开时不显示本人姓名。"</p>
                        <section class="card" aria-labelledby="open-wishes">
                            <h2 id="open-wishes">"心愿墙"</h2>
                            {view.wishes.is_empty().then(|| view! { <p class="muted">"暂时没有公开的心愿。"</p> })}
                            <ul class="plain-list">
                                {view.wishes.into_iter().map(|w| view! { <li><WishSummary wish=w/></li> }).collect_view()}
                            </ul>
                        </section>
                        {(!view.mine.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="my-wishes">
                                <h2 id="my-wishes">"我的心愿"</h2>
                                <ul class="plain-list">
                                    {view.mine.into_iter().map(|w| view! { <li><WishSummary wish=w/></li> }).collect_view()}
                                </ul>
                            </section>
                        })}
                        {view.certified.then(|| view! {
                            <section class="card" aria-labelledby="new-wish">
                                <h2 id="new-wish">"许一个心愿"</h2>
                                <FormBanner posted=posted.clone()/>
                                <form method="post" action={action::<PostWish>()} class="form" novalidate>
                                    <Field label="心愿" name="title" maxlength=40 value=form.value("title") error=form.error_for("title") placeholder="如：给孩子买一个新书包"/>
                                    <div class="field" class:has-error=form.error_for("reason").is_some()>
                                        <label for="w-reason">"原因"</label>
                                        <TextArea name="reason" id="w-reason" rows=3 maxlength=500 value=form.value("reason") described_by="w-reason-message"/>
                                        <p class="field-message" id="w-reason-message">{form.error_for("reason")}</p>
                                    </div>
                                    <Field label="价值（元）" name="value" inputmode="numeric" value=form.value("value") error=form.error_for("value") hint=const_format_hint()/>
                                    <button type="submit" class="primary">"提交审核"</button>
                                </form>
                            </section>
                        })}
                        {(view.signed_in && !view.certified).then(|| view! {
                            <p class="card muted">"完成实名认证的会员可以发布心愿。 " <a href="/certify">"去认证 ›"</a></p>
                        })}
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

fn const_format_hint() -> &'static str {
    const _: () = assert!(MAX_WISH_YUAN == 500, "the hint below names the limit");
    "不超过 500 元"
}

#[component]
pub fn WishPage() -> impl IntoView {
    let params = use_params_map();
    let wish = Resource::new(move || params.read().get("id").unwrap_or_default(), load_wish);
    let posted = use_posted_form();
    view! {
        <Title text="微心愿"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match wish.await {
                    Ok(w) => view! {
                        <article class="card">
                            <p class="muted">{format!("{} · 价值 {} 元", w.unit_name, w.value_yuan)}</p>
                            <h1>{w.title.clone()}</h1>
                            <p>{w.reason.clone()}</p>
                            <FormBanner posted/>
                            <ol class="wish-steps">
                                {w.steps.iter().map(|(step, at)| view! { <li><strong>{step.clone()}</strong><span class="muted">{format!(" {at}")}</span></li> }).collect_view()}
                            </ol>
                            <p class="badge live">{w.stage_label.clone()}</p>
                            {w.donor.clone().map(|d| view! { <p>{format!("认领人：{d}")}</p> })}
                            {(!w.review_note.is_empty()).then(|| view! { <p class="muted">{format!("审核意见：{}", w.review_note)}</p> })}
                            {w.photo_url.clone().map(|src| view! { <img class="benefit-picture" src=src alt="心愿实现的照片" loading="lazy" width="328" height="164"/> })}
                            {w.can_claim.then(|| view! {
                                <form method="post" action={action::<ClaimWish>()} class="inline-form">
                                    <input type="hidden" name="id" value=w.id.to_string()/>
                                    <button type="submit" class="primary">"我来认领"</button>
                                </form>
                            })}
                            {(w.stage == 1 && !w.can_claim).then(|| view! { <p class="muted"><a href="/login?next=/services/wishes">"登录后认领 ›"</a></p> })}
                        </article>
                        <p class="below-card"><a href="/services/wishes">"‹ 心愿墙"</a></p>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn WishesAdminPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| load_wishes_admin());
    let posted = use_posted_form();
    view! {
        <Title text="微心愿管理"/>
        <h1 class="page-title">"微心愿管理"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let on_behalf = posted.clone().filter(|p| p.posted_to(&action::<PostWishFor>()));
                let form = on_behalf.clone().unwrap_or_default();
                let other = posted.clone().filter(|p| !p.posted_to(&action::<PostWishFor>()));
                match rows.await {
                    Ok(rows) => view! {
                        <FormBanner posted=other/>
                        {rows.is_empty().then(|| view! { <p class="card muted">"您管理的单位还没有心愿。"</p> })}
                        {rows.into_iter().map(|row| {
                            let w = row.card;
                            let id = w.id.to_string();
                            view! {
                                <article class="card request" id=format!("wish-{}", w.id)>
                                    <p class="muted">{format!("{} · {} · {} 元 · {}", row.member_name, w.unit_name, w.value_yuan, w.stage_label)}</p>
                                    <h2>{w.title.clone()}</h2>
                                    <p>{w.reason.clone()}</p>
                                    {w.donor.clone().map(|d| view! { <p>{format!("认领人：{d}")}</p> })}
                                    {(w.stage == 0).then(|| view! {
                                        <form method="post" action={action::<ApproveWish>()} class="form">
                                            <input type="hidden" name="id" value=id.clone()/>
                                            <Field label="审核意见（退回时必填）" name="note" id_prefix="wn-" maxlength=200/>
                                            <div class="actions">
                                                <button type="submit" class="primary">"通过"</button>
                                                <button type="submit" class="secondary" formaction={action::<RejectWish>()}>"退回"</button>
                                            </div>
                                        </form>
                                    })}
                                    {(w.stage == 1).then(|| view! {
                                        <form method="post" action={action::<ClaimWishFor>()} class="form">
                                            <input type="hidden" name="id" value=id.clone()/>
                                            <Field label="社会爱心人士或单位" name="donor" id_prefix="wd-" maxlength=40/>
                                            <button type="submit">"登记认领"</button>
                                        </form>
                                    })}
                                    {(w.stage == 2).then(|| view! {
                                        <form method="post" action={action::<ConfirmWish>()} enctype="multipart/form-data" class="picture-form">
                                            <input type="hidden" name="id" value=id.clone()/>
                                            <label for=format!("wp-{id}")>"心愿实现的照片"</label>
                                            <input id=format!("wp-{id}") type="file" name="photo" accept="image/jpeg,image/png,image/webp"/>
                                            <button type="submit" class="primary">"确认已实现"</button>
                                        </form>
                                    })}
                                </article>
                            }
                        }).collect_view()}
                        <section class="card" aria-labelledby="on-behalf">
                            <h2 id="on-behalf">"代困难职工发布心愿"</h2>
                            <FormBanner posted=on_behalf/>
                            <form method="post" action={action::<PostWishFor>()} class="form" novalidate>
                                <Field label="会员手机号" name="phone" id_prefix="wf-" inputmode="tel" value=form.value("phone") error=form.error_for("phone")/>
                                <Field label="心愿" name="title" id_prefix="wf-" maxlength=40 value=form.value("title") error=form.error_for("title")/>
                                <div class="field" class:has-error=form.error_for("reason").is_some()>
                                    <label for="wf-reason">"原因"</label>
                                    <TextArea name="reason" id="wf-reason" rows=3 maxlength=500 value=form.value("reason") described_by="wf-reason-message"/>
                                    <p class="field-message" id="wf-reason-message">{form.error_for("reason")}</p>
                                </div>
                                <Field label="价值（元）" name="value" id_prefix="wf-" inputmode="numeric" value=form.value("value") error=form.error_for("value") hint="不超过 500 元"/>
                                <button type="submit" class="primary">"代为发布"</button>
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
