//! 信息员 (/desk): a certified member fills in the 信息员登记表 and sees where
//! it stands. A plain form post; the fields that can check themselves do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::newsroom::api::{load_desk, ApplyCorrespondent, DeskView, EDUCATION};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Check, Field, FormBanner, PostedForm, TextArea};

#[component]
pub fn DeskPage() -> impl IntoView {
    let desk = Resource::new(|| (), |_| load_desk());
    let posted = use_posted_form();
    view! {
        <Title text="信息员"/>
        <section class="card">
            <h1>"信息员"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    match desk.await {
                        Ok(desk) => view! { <DeskBody desk posted/> }.into_any(),
                        Err(error) => view! {
                            <p class="error" role="alert">{error.to_string()}</p>
                            <A href="/login?next=/desk" attr:class="button-link">"登录"</A>
                        }
                        .into_any(),
                    }
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/me">"返回我的"</A></p>
    }
}

#[component]
fn DeskBody(desk: DeskView, posted: Option<PostedForm>) -> impl IntoView {
    if !desk.certified {
        return view! {
            <p>"信息员负责向工会报送本单位的新闻、经验和先进典型。成为信息员需先完成实名认证。"</p>
            <A href="/certify" attr:class="button-link">"去实名认证"</A>
        }
        .into_any();
    }
    let status = desk.own.as_ref().map(|o| o.status.as_str()).unwrap_or("");
    match status {
        "approved" => {
            let unit = desk.own.as_ref().map(|o| o.unit_name.clone()).unwrap_or_default();
            view! {
                <FormBanner posted/>
                <p class="banner banner-notice" role="status">{format!("您是{unit}的信息员。")}</p>
                <p class="muted">"稿件报送与审核（先审后发）正在建设中。"</p>
            }
            .into_any()
        }
        "pending" => view! {
            <FormBanner posted/>
            <p class="banner banner-notice" role="status">"登记表已提交，正在等待所在工会审核。审核结果会显示在这里。"</p>
        }
        .into_any(),
        _ => {
            let refused = desk.own.as_ref().filter(|o| o.status == "refused").and_then(|o| o.reason.clone());
            view! {
                {refused.map(|reason| view! {
                    <p class="banner banner-error" role="alert">{format!("您的登记表未通过：{reason}。您可以修改后重新提交。")}</p>
                })}
                <p>{format!("填写信息员登记表，报名成为{}的信息员。", desk.unit_name)}</p>
                <ApplicationForm posted/>
            }
            .into_any()
        }
    }
}

/// The 信息员登记表.
#[component]
fn ApplicationForm(posted: Option<PostedForm>) -> impl IntoView {
    let form = posted.clone().unwrap_or_default();
    let v = |name: &str| form.value(name);
    let e = |name: &str| form.error_for(name);
    let choice = |label: &'static str, name: &'static str, options: Vec<&'static str>, placeholder: &'static str| {
        let selected = form.value(name);
        let error = form.error_for(name);
        let invalid = error.is_some();
        let id = format!("f-{name}");
        let message = format!("{id}-message");
        view! {
            <div class="field" class:has-error=invalid>
                <label for=id.clone()>{label}</label>
                <select id=id name=name aria-describedby=message.clone() aria-invalid=if invalid { "true" } else { "false" }>
                    <option value="">{placeholder}</option>
                    {options.into_iter().map(|o| view! { <option value=o selected=selected == o>{o}</option> }).collect_view()}
                </select>
                <p class="field-message" id=message>{error.unwrap_or_default()}</p>
            </div>
        }
    };
    let area = |label: &'static str, name: &'static str, max: u32, hint: &'static str| {
        let error = form.error_for(name);
        let invalid = error.is_some();
        let id = format!("f-{name}");
        let message = format!("{id}-message");
        view! {
            <div class="field" class:has-error=invalid>
                <label for=id.clone()>{label}</label>
                <TextArea id=id name=name rows=3 maxlength=max described_by=message.clone() value=form.value(name)/>
                <p class="field-message" id=message>{error.unwrap_or_else(|| hint.to_owned())}</p>
            </div>
        }
    };
    view! {
        <FormBanner posted=posted.clone()/>
        <form method="post" action={action::<ApplyCorrespondent>()} class="form" novalidate>
            <Field label="姓名" name="name" autocomplete="name" maxlength=20 value=v("name") error=e("name") check=Check::Name/>
            {choice("性别", "gender", vec!["男", "女"], "请选择")}
            <Field label="出生年月" name="birth_month" input_type="month" value=v("birth_month") error=e("birth_month")
                placeholder="1985-06" hint="例如 1985-06"/>
            {choice("学历", "education", EDUCATION.to_vec(), "请选择学历")}
            <Field label="工会职务" name="union_post" maxlength=30 value=v("union_post") error=e("union_post")
                hint="例如：宣传委员"/>
            <Field label="职称" name="job_title" maxlength=30 value=v("job_title") error=e("job_title") hint="没有可不填"/>
            <Field label="手机号" name="phone" input_type="tel" inputmode="numeric" autocomplete="tel" maxlength=20
                value=v("phone") error=e("phone") check=Check::Phone/>
            <Field label="电子邮箱" name="email" input_type="email" autocomplete="email" maxlength=60
                value=v("email") error=e("email")/>
            <Field label="身份证号" name="id_number" autocomplete="off" maxlength=22 value=v("id_number")
                error=e("id_number") check=Check::IdNumber hint="加密保存，页面上只显示部分号码"/>
            {area("兴趣特长", "interests", 200, "例如：摄影、写作、短视频")}
            <fieldset class="channels">
                <legend>"本单位宣传渠道（没有的不填）"</legend>
                <Field label="网站" name="website" maxlength=100 value=v("website") error=e("website")/>
                <Field label="微信公众号名称" name="wechat_name" maxlength=40 value=v("wechat_name") error=e("wechat_name")/>
                <Field label="微信公众号" name="wechat_id" maxlength=40 value=v("wechat_id") error=e("wechat_id")/>
                <Field label="微博" name="weibo" maxlength=40 value=v("weibo") error=e("weibo")/>
                <Field label="报纸" name="newspaper" maxlength=40 value=v("newspaper") error=e("newspaper")/>
                <Field label="杂志" name="magazine" maxlength=40 value=v("magazine") error=e("magazine")/>
                <Field label="其他" name="other_channel" maxlength=60 value=v("other_channel") error=e("other_channel")/>
            </fieldset>
            {area("单位宣传工作简介", "intro", 500, "不超过 500 字，可不填")}
            <button type="submit" class="primary wide">"提交登记表"</button>
        </form>
    }
}
