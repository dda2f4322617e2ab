//! 素材库 (/desk/assets): upload pictures, audio, video and documents to the
//! unit's library, and find them again by title, tag and date. The search
//! is a plain GET form; the upload a multipart post, streamed on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::desk::AssetThumb;
use crate::newsroom::api::{load_assets, UploadAssets};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner};

#[component]
pub fn AssetsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        let q = query.read();
        (q.get("q"), q.get("from"), q.get("to"))
    };
    let assets = Resource::new(search, |(q, from, to)| load_assets(q, from, to));
    let posted = use_posted_form();
    let (q, from, to) = search();
    view! {
        <Title text="素材库"/>
        <section class="card">
            <h1>"素材库"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    let form = posted.clone().unwrap_or_default();
                    let file_error = form.error_for("file");
                    let file_invalid = file_error.is_some();
                    view! {
                        <FormBanner posted=posted.clone()/>
                        <form method="post" action={action::<UploadAssets>()} enctype="multipart/form-data" class="form" novalidate>
                            <div class="field" class:has-error=file_invalid>
                                <label for="f-file">"选择图片、音频、视频或文档（可多选）"</label>
                                <input id="f-file" type="file" name="file" multiple=true
                                    accept="image/jpeg,image/png,image/webp,audio/*,video/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"/>
                                <p class="field-message">{file_error.unwrap_or_else(|| "图片 15 MB、音频 50 MB、视频 300 MB、文档 20 MB 以内；照片的位置信息会被去除".to_owned())}</p>
                            </div>
                            <Field label="标题（可不填，默认用文件名）" name="title" maxlength=60 value=form.value("title") error=form.error_for("title")/>
                            <Field label="标签（可不填）" name="tags" maxlength=60 value=form.value("tags") error=form.error_for("tags") hint="例如：劳模 防汛 2026"/>
                            <label class="check">
                                <input type="checkbox" name="shared_down" value="1"/>
                                "允许下级单位使用"
                            </label>
                            <button type="submit" class="primary wide">"上传"</button>
                        </form>
                    }
                })}
            </Loading>
        </section>
        <section class="card">
            <h2>"查找素材"</h2>
            <form method="get" action="/desk/assets" class="form">
                <Field label="标题或标签" name="q" maxlength=40 value=q.unwrap_or_default()/>
                <Field label="上传日期从" name="from" input_type="date" value=from.unwrap_or_default()/>
                <Field label="到" name="to" input_type="date" value=to.unwrap_or_default()/>
                <button type="submit" class="secondary">"查找"</button>
            </form>
            <Loading>
                {move || Suspend::new(async move {
                    match assets.await {
                        Ok(list) => view! {
                            {list.is_empty().then(|| view! { <p class="muted">"没有找到素材。"</p> })}
                            <ul class="plain-list asset-list">
                                {list.into_iter().map(|a| view! {
                                    <li class="asset-row">
                                        <AssetThumb asset=a.clone()/>
                                        <div>
                                            <p><strong>{a.title.clone()}</strong></p>
                                            <p class="muted">{format!("{} · {} · {}", a.unit_name, a.size, a.uploaded)}</p>
                                            {(!a.tags.is_empty()).then(|| view! { <p class="muted">{format!("标签：{}", a.tags)}</p> })}
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/desk">"返回信息员"</A></p>
    }
}
