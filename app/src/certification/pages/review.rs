//! 认证审核: the manual certification requests of the official's units,
//! each with its union-card photo, approve (optionally with a member number)
//! or reject with a reason. Every form is a plain post to /admin/certify.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::certification::api::{load_review_queue, ApproveRequest, QueueRow, RejectRequest, RevealRequestId};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner, PostedForm, TextArea};

#[component]
pub fn ReviewPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| load_review_queue());
    let posted = use_posted_form();
    view! {
        <Title text="认证审核"/>
        <section class="card">
            <h1>"认证审核"</h1>
            <p class="muted">"名册核对不上的会员提交的人工审核申请。请对照会员证照片核实身份后通过，或填写原因驳回（会员会看到原因）。"</p>
        </section>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match queue.await {
                    Ok(rows) => {
                        let form = posted.clone().unwrap_or_default();
                        view! {
                            <FormBanner posted/>
                            {rows.is_empty().then(|| view! { <p class="card muted">"没有待审核的申请。"</p> })}
                            {rows.into_iter().map(|row| view! { <RequestCard row form=form.clone()/> }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <p class="card error" role="alert">{error.to_string()}</p>
                    }
                    .into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}

#[component]
fn RequestCard(row: QueueRow, form: PostedForm) -> impl IntoView {
    let id = row.id.to_string();
    // The posted form's messages and values belong to this card only.
    let mine = form.value("id") == id;
    // Only a successful reveal's answer puts the number here (a notice comes
    // with it); a value posted by the browser never shows.
    let revealed = (mine && form.posted_to(&action::<RevealRequestId>()) && form.notice.is_some())
        .then(|| form.value("revealed"))
        .filter(|v| !v.is_empty());
    let reason_error = mine.then(|| form.error_for("reason")).flatten();
    let member_no_error = mine.then(|| form.error_for("member_no")).flatten();
    let reason_value = if mine { form.value("reason") } else { String::new() };
    let heading = format!("{} · {}", row.name, row.unit_name);
    let photo = format!("/admin/certify/{}/photo", row.id);
    let reason_id = format!("reason-{}", row.id);
    let (reason_invalid, member_no_invalid) = (reason_error.is_some(), member_no_error.is_some());
    let no_id = format!("member-no-{}", row.id);
    view! {
        <article class="card request" id=format!("request-{}", row.id)>
            <h2>{heading}</h2>
            <dl class="facts">
                <dt>"身份证号"</dt>
                <dd>{revealed.clone().unwrap_or_else(|| row.id_masked.clone())}</dd>
                <dt>"手机号"</dt><dd>{row.phone_masked.clone()}</dd>
                <dt>"提交时间"</dt><dd>{row.submitted.clone()}</dd>
                <dt>"名册"</dt><dd class:error=row.conflict>{row.roster_hint.clone()}</dd>
            </dl>
            {revealed.is_none().then(|| view! {
                <form method="post" action={action::<RevealRequestId>()} class="inline-form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <button type="submit" class="link-button">"查看完整身份证号（将记入操作日志）"</button>
                </form>
            })}
            <a href=photo.clone() target="_blank" rel="noopener" class="photo-link">
                <img src=photo.clone() alt=format!("{} 的会员证照片", row.name) loading="lazy"/>
            </a>
            <form method="post" action={action::<ApproveRequest>()} class="form">
                <input type="hidden" name="id" value=id.clone()/>
                <div class="field" class:has-error=member_no_invalid>
                    <label for=no_id.clone()>"会员编号（名册中没有此人时使用，可不填）"</label>
                    <input id=no_id name="member_no" maxlength="20" autocomplete="off"/>
                    {member_no_error.map(|e| view! { <p class="field-message">{e}</p> })}
                </div>
                <button type="submit" class="primary" disabled=row.conflict>"通过认证"</button>
            </form>
            <form method="post" action={action::<RejectRequest>()} class="form">
                <input type="hidden" name="id" value=id/>
                <div class="field" class:has-error=reason_invalid>
                    <label for=reason_id.clone()>"驳回原因"</label>
                    <TextArea id=reason_id name="reason" maxlength=200 rows=2 value=reason_value/>
                    {reason_error.map(|e| view! { <p class="field-message" role="alert">{e}</p> })}
                </div>
                <button type="submit" class="secondary">"驳回"</button>
            </form>
        </article>
    }
}
