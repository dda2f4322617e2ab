//! 信息员审核 (/admin/correspondents): officials approve or refuse the
//! applications of units in their reach. Plain form posts; no island.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::newsroom::api::{load_applications, ApproveCorrespondent, CorrespondentRow, RefuseCorrespondent};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner, PostedForm, TextArea};

#[component]
pub fn CorrespondentsAdminPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| load_applications());
    let posted = use_posted_form();
    view! {
        <Title text="信息员审核"/>
        <h1 class="page-title">"信息员审核"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match rows.await {
                    Ok(rows) => view! {
                        <FormBanner posted/>
                        {rows.is_empty().then(|| view! { <p class="card muted">"没有待审核的信息员登记表。"</p> })}
                        {rows.into_iter().map(|row| view! { <ApplicationCard row form=form.clone()/> }).collect_view()}
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
