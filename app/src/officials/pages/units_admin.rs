//! 单位导入 (super admin): upload a units CSV, see every problem or a
//! preview of what will change, then confirm. Works without JavaScript: the
//! confirmation carries the checked file back in a hidden field.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::officials::api::{ImportUnits, PreviewUnits};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, CsvUploadForm, FormBanner, TextArea};

#[component]
pub fn UnitsAdminPage() -> impl IntoView {
    let posted = use_posted_form();
    let access = Resource::new(|| (), |_| crate::officials::api::check_units_admin());
    view! {
        <Title text="导入单位"/>
        <section class="card">
            <h1>"导入单位"</h1>
            <p class="muted">
                "上传 CSV 文件（UTF-8 编码），列为 " <code>"code,parent_code,name,level"</code> "。"
                "已有单位按代码更新，新单位将新增；全部检查通过后才会保存。"
            </p>
            <Loading>
                {move || Suspend::new(async move {
                    if let Err(error) = access.await {
                        return view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any();
                    }
                    let posted = posted.await;
                    let form = posted.clone().unwrap_or_default();
                    let problems: Vec<String> = form
                        .error_for("file")
                        .map(|e| e.lines().map(str::to_owned).collect())
                        .unwrap_or_default();
                    let checked_csv = form.value("csv");
                    let ready = form.notice.is_some() && !checked_csv.is_empty() && form.posted_to(&action::<PreviewUnits>());
                    view! {
                        <FormBanner posted/>
                        {(!problems.is_empty()).then(|| view! {
                            <div class="banner banner-error" role="alert">
                                <p>"文件有以下问题，未做任何修改："</p>
                                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                            </div>
                        })}
                        {ready.then(|| view! {
                            <form method="post" action={action::<ImportUnits>()} class="form">
                                <TextArea name="csv" hidden=true value=checked_csv.clone()/>
                                <button type="submit" class="primary">"确认导入"</button>
                            </form>
                        })}
                        <CsvUploadForm action={action::<PreviewUnits>()} label="单位文件（CSV）"/>
                    }
                    .into_any()
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}
