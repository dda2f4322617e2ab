//! 实名认证 for the member: name and ID number against the roster, or a
//! union-card photo for manual review.

use crate::accounts::api::load_current_member;
use crate::certification::api::{Certify, RequestReview};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Check, Field, FormBanner, PostedForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn CertifyPage() -> impl IntoView {
    let posted = use_posted_form();
    let member = Resource::new(|| (), |_| load_current_member());
    let request = Resource::new(|| (), |_| crate::certification::api::load_my_request());
    view! {
        <Title text="实名认证"/>
        <section class="card">
            <h1>"实名认证"</h1>
            <p class="muted">"填写会员名册上的姓名和身份证号，核对一致即完成认证。身份证号加密保存，页面上只显示部分号码。"</p>
            <Loading>
                {move || Suspend::new(async move {
                    match member.await {
                        Ok(Some(m)) if m.certified => {
                            return view! {
                                <p class="banner banner-notice" role="status">
                                    {format!("您已完成实名认证，会员编号 {}", m.member_no.unwrap_or_default())}
                                </p>
                            }
                            .into_any()
                        }
                        Ok(Some(_)) => {}
                        _ => return view! {
                            <p class="error" role="alert">"请先登录"</p>
                            <A href="/login" attr:class="button-link">"登录"</A>
                        }
                        .into_any(),
                    }
                    let request = request.await.ok().flatten();
                    if let Some(r) = request.as_ref().filter(|r| r.pending) {
                        return view! {
                            <p class="banner banner-notice" role="status">
                                {format!("您的人工审核申请已于 {} 提交，正在等待所在工会审核。审核结果会显示在这里。", r.submitted)}
                            </p>
                        }
                        .into_any();
                    }
                    let posted = posted.await;
                    let form = posted.clone().unwrap_or_default();
                    let manual = form.posted_to(&action::<RequestReview>());
                    let (auto_form, manual_form) = if manual { (PostedForm::default(), form) } else { (form.clone(), form) };
                    // The manual request opens by itself once the roster did
                    // not match, or when its own post needs fixing.
                    let open_manual = manual || auto_form.error_for("id_number").is_some() || auto_form.error_for("name").is_some();
                    let manual_values = manual_form.clone();
                    view! {
                        {request.and_then(|r| r.rejected_reason).map(|reason| view! {
                            <p class="banner banner-error" role="alert">
                                {format!("您的人工审核申请未通过：{reason}。您可以核对后再次认证或重新申请。")}
                            </p>
                        })}
                        {(!manual).then(|| view! { <FormBanner posted=posted.clone()/> })}
                        <form method="post" action={action::<Certify>()} class="form" novalidate>
                            <Field label="姓名" name="name" autocomplete="name" maxlength=20 value=auto_form.value("name")
                                error=auto_form.error_for("name") check=Check::Name/>
                            <Field label="身份证号" name="id_number" autocomplete="off" maxlength=22
                                value=auto_form.value("id_number") error=auto_form.error_for("id_number") check=Check::IdNumber
                                hint="18 位，末位可能是 X"/>
                            <button type="submit" class="primary">"提交认证"</button>
                        </form>
                        <details class="manual" open=open_manual>
                            <summary>"名册核对不上？申请人工审核"</summary>
                            <p class="muted">"上传工会会员证（或工作证）的照片，由所在工会核实后完成认证。照片加密保存，只有您所在工会的管理员能看到。"</p>
                            {manual.then(|| view! { <FormBanner posted=posted.clone()/> })}
                            <form method="post" action={action::<RequestReview>()} enctype="multipart/form-data" class="form" novalidate>
                                <Field label="姓名" name="name" id_prefix="m-" autocomplete="name" maxlength=20
                                    value=manual_values.value("name") error=manual.then(|| manual_values.error_for("name")).flatten()
                                    check=Check::Name/>
                                <Field label="身份证号" name="id_number" id_prefix="m-" autocomplete="off" maxlength=22
                                    value=manual_values.value("id_number")
                                    error=manual.then(|| manual_values.error_for("id_number")).flatten() check=Check::IdNumber/>
                                <PhotoField error=manual.then(|| manual_values.error_for("photo")).flatten()/>
                                <button type="submit" class="secondary">"提交人工审核"</button>
                            </form>
                        </details>
                    }
                    .into_any()
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/me">"返回我的"</A></p>
    }
}

/// The union-card photo input, with its message.
#[component]
fn PhotoField(error: Option<String>) -> impl IntoView {
    let has_error = error.is_some();
    view! {
        <div class="field" class:has-error=has_error>
            <label for="f-photo">"工会会员证照片"</label>
            <input id="f-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp"
                aria-invalid=if has_error { "true" } else { "false" } aria-describedby="f-photo-message"/>
            <p class="field-message" id="f-photo-message" aria-live="polite">
                {error.unwrap_or_else(|| "JPG、PNG 或 WebP，不超过 8 MB".to_owned())}
            </p>
        </div>
    }
}
