//! 信息员审核 (/admin/correspondents): officials approve or refuse the
//! applications of units in their reach. Plain form posts; no island.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::desk::ApplicationForm;
use crate::newsroom::api::{
    load_applications, load_role_units, AppointCorrespondent, ApproveCorrespondent, CorrespondentRow,
    GrantNewsroomRole, RefuseCorrespondent, SetReviewChain,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm, TextArea};

#[component]
pub fn CorrespondentsAdminPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| load_applications());
    let units = Resource::new(|| (), |_| load_role_units());
    let posted = use_posted_form();
    view! {
        <Title text="信息员审核"/>
        <h1 class="page-title">"信息员审核"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                let roles_form =
                    if form.posted_to(&action::<GrantNewsroomRole>()) { form.clone() } else { PostedForm::default() };
                let units = units.await.unwrap_or_default();
                let appointing = form.posted_to(&action::<AppointCorrespondent>());
                let appoint_form = appointing.then(|| form.clone());
                match rows.await {
                    Ok(rows) => view! {
                        <FormBanner posted/>
                        {rows.is_empty().then(|| view! { <p class="card muted">"没有待审核的信息员登记表。"</p> })}
                        {rows.into_iter().map(|row| view! { <ApplicationCard row form=form.clone()/> }).collect_view()}
                        <RolesForm form=roles_form units=units.clone()/>
                        <ChainForm form=form.clone() units/>
                        <section class="card">
                            <details open=appointing>
                                <summary>"直接任命信息员"</summary>
                                <p class="muted">"为已实名认证的会员填写登记表，手机号为其注册手机号；提交即任命。"</p>
                                <ApplicationForm posted=appoint_form appoint=true/>
                            </details>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}

#[component]
fn ApplicationCard(row: CorrespondentRow, form: PostedForm) -> impl IntoView {
    let id = row.id.to_string();
    let mine = form.value("id") == id;
    let reason_error = mine.then(|| form.error_for("reason")).flatten();
    let reason_id = format!("reason-{}", row.id);
    let invalid = reason_error.is_some();
    view! {
        <article class="card request" id=format!("correspondent-{}", row.id)>
            <h2>{format!("{} · {}", row.name, row.unit_name)}</h2>
            <dl class="facts">
                <dt>"性别 / 出生年月"</dt><dd>{format!("{} / {}", row.gender, row.birth_month)}</dd>
                <dt>"学历"</dt><dd>{row.education.clone()}</dd>
                <dt>"工会职务 / 职称"</dt><dd>{format!("{} / {}", row.union_post, row.job_title)}</dd>
                <dt>"手机号"</dt><dd>{row.phone_masked.clone()}</dd>
                <dt>"电子邮箱"</dt><dd>{row.email.clone()}</dd>
                <dt>"身份证号"</dt><dd>{row.id_masked.clone()}</dd>
                <dt>"兴趣特长"</dt><dd>{row.interests.clone()}</dd>
                <dt>"提交时间"</dt><dd>{row.submitted.clone()}</dd>
            </dl>
            <form method="post" action={action::<ApproveCorrespondent>()} class="inline-form">
                <input type="hidden" name="id" value=id.clone()/>
                <button type="submit" class="primary">"通过"</button>
            </form>
            <form method="post" action={action::<RefuseCorrespondent>()} class="form">
                <input type="hidden" name="id" value=id/>
                <div class="field" class:has-error=invalid>
                    <label for=reason_id.clone()>"不通过的原因"</label>
                    <TextArea id=reason_id name="reason" maxlength=200 rows=2 value=if mine { form.value("reason") } else { String::new() }/>
                    {reason_error.map(|e| view! { <p class="field-message" role="alert">{e}</p> })}
                </div>
                <button type="submit" class="secondary">"不通过"</button>
            </form>
        </article>
    }
}

/// Newsroom roles: 责任编辑 (初审), 复审, 终审 on a unit's subtree.
#[component]
fn RolesForm(form: PostedForm, units: Vec<(String, String)>) -> impl IntoView {
    let unit = form.value("unit");
    let role = form.value("role");
    let unit_error = form.error_for("unit");
    let role_error = form.error_for("role");
    let (unit_invalid, role_invalid) = (unit_error.is_some(), role_error.is_some());
    let roles = [("editor", "责任编辑（初审）"), ("second", "复审"), ("final", "终审")];
    view! {
        <section class="card" aria-labelledby="roles-heading">
            <h2 id="roles-heading">"任命稿件审核人"</h2>
            <p class="muted">"三审制：初审（责任编辑）→ 复审 → 终审，每一级由不同的人审核；本单位未设审核人的，由上级单位审核。"</p>
            <form method="post" action={action::<GrantNewsroomRole>()} class="form" novalidate>
                <Field label="会员手机号" name="phone" input_type="tel" inputmode="numeric" maxlength=20 id_prefix="role-"
                    value=form.value("phone") error=form.error_for("phone") hint="对方需先注册成为会员"/>
                <div class="field" class:has-error=unit_invalid>
                    <label for="f-role-unit">"单位"</label>
                    <select id="f-role-unit" name="unit" aria-describedby="f-role-unit-message">
                        <option value="">"请选择单位"</option>
                        {units.into_iter().map(|(code, name)| {
                            let selected = code == unit;
                            view! { <option value=code selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-message" id="f-role-unit-message">{unit_error.unwrap_or_default()}</p>
                </div>
                <div class="field" class:has-error=role_invalid>
                    <label for="f-role-role">"角色"</label>
                    <select id="f-role-role" name="role" aria-describedby="f-role-role-message">
                        <option value="">"请选择角色"</option>
                        {roles.into_iter().map(|(key, label)| view! { <option value=key selected=role == key>{label}</option> }).collect_view()}
                    </select>
                    <p class="field-message" id="f-role-role-message">{role_error.unwrap_or_default()}</p>
                </div>
                <button type="submit" class="primary wide">"任命"</button>
            </form>
        </section>
    }
}

/// 审核流程: how many review steps a unit's stories pass (一审 to 三审).
#[component]
fn ChainForm(form: PostedForm, units: Vec<(String, String)>) -> impl IntoView {
    let mine = form.posted_to(&action::<SetReviewChain>());
    view! {
        <section class="card" aria-labelledby="chain-heading">
            <h2 id="chain-heading">"审核流程"</h2>
            <p class="muted">"默认三审；基层单位稿件较少时可改为二审或一审（终审人审核）。下级单位未单独设置的，按本单位的流程审核。"</p>
            <form method="post" action={action::<SetReviewChain>()} class="form" novalidate>
                <div class="field">
                    <label for="f-chain-unit">"单位"</label>
                    <select id="f-chain-unit" name="unit">
                        {units.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=mine && form.error_for("steps").is_some()>
                    <label for="f-chain-steps">"审核级数"</label>
                    <select id="f-chain-steps" name="steps">
                        <option value="3">"三审（初审 → 复审 → 终审）"</option>
                        <option value="2">"二审（初审 → 终审）"</option>
                        <option value="1">"一审（终审）"</option>
                    </select>
                    <p class="field-message">{mine.then(|| form.error_for("steps")).flatten()}</p>
                </div>
                <button type="submit" class="secondary wide">"保存审核流程"</button>
            </form>
        </section>
    }
}
