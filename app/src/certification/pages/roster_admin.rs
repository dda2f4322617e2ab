//! 名册导入: an official uploads their subtree's member roster, sees every
//! problem row and how many will be imported, then confirms. ID numbers and
//! phones are sealed from the moment the file is kept for confirmation.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::officials::api::{load_import_progress, ImportProgress};

use crate::certification::api::{ConfirmRoster, PreviewRoster};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, CsvUploadForm, FormBanner};

#[component]
pub fn RosterAdminPage() -> impl IntoView {
    let posted = use_posted_form();
    let access = Resource::new(|| (), |_| crate::officials::api::load_admin_overview(None, Some(1)));
    let job = move || use_query_map().read().get("job");
    let progress = Resource::new(job, |job| async move {
        match job {
            Some(job) => load_import_progress(job).await.ok().flatten().map(Some).ok_or(()),
            None => Ok(None),
        }
    });
    view! {
        <Title text="导入会员名册"/>
        <section class="card">
            <h1>"导入会员名册"</h1>
            <p class="muted">
                "上传 CSV 文件（UTF-8 编码），列为 " <code>"unit_code,member_no,name,gender,birth_date,id_number,phone"</code> "。"
                "只能导入您管理范围内单位的会员；已在名册中的会员（按身份证号）将被更新。"
            </p>
            <Loading>
                {move || Suspend::new(async move {
                    if let Err(error) = access.await {
                        return view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any();
                    }
                    let progress = progress.await;
                    let posted = posted.await;
                    let form = posted.clone().unwrap_or_default();
                    let problems: Vec<String> = form.value("problems").lines().map(str::to_owned).collect();
                    let file_error = form.error_for("file");
                    let token = form.value("token");
                    view! {
                        <ImportStatus progress/>
                        <FormBanner posted/>
                        {file_error.map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
                        {(!problems.is_empty()).then(|| view! {
                            <div class="banner banner-error">
                                <p>"以下各行有问题，不会导入："</p>
                                <ul class="problems">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                            </div>
                        })}
                        {(!token.is_empty()).then(|| view! {
                            <form method="post" action={action::<ConfirmRoster>()} class="form">
                                <input type="hidden" name="token" value=token.clone()/>
                                <button type="submit" class="primary">"确认导入"</button>
                            </form>
                        })}
                        <CsvUploadForm action={action::<PreviewRoster>()} label="名册文件（CSV）"/>
                    }
                    .into_any()
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}

/// A background import's progress: the page reloads itself every two
/// seconds (a meta refresh: no JavaScript needed) until the import ends.
#[component]
fn ImportStatus(progress: Result<Option<ImportProgress>, ()>) -> impl IntoView {
    match progress {
        Ok(None) => ().into_any(),
        Err(()) => view! { <p class="banner banner-notice" role="status">"没有找到这次导入（只有发起导入的管理员可以查看）。"</p> }
            .into_any(),
        Ok(Some(ImportProgress { outcome: Some(Ok(notice)), .. })) => {
            view! { <p class="banner banner-notice" role="status">{notice}</p> }.into_any()
        }
        Ok(Some(ImportProgress { outcome: Some(Err(error)), .. })) => {
            view! { <p class="banner banner-error" role="alert">{error}</p> }.into_any()
        }
        Ok(Some(ImportProgress { total, done, outcome: None })) => view! {
            <Meta http_equiv="refresh" content="2"/>
            <div class="banner banner-notice" role="status">
                <p>{format!("正在导入：已处理 {done} / {total} 人。页面会自动刷新，请勿重复提交。")}</p>
                <progress max=total value=done aria-label="导入进度"></progress>
            </div>
        }
        .into_any(),
    }
}
