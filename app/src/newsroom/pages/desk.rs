//! 信息员 (/desk): a certified member fills in the 信息员登记表 and sees where
//! it stands. A plain form post; the fields that can check themselves do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::newsroom::api::{
    load_assets, load_desk, load_my_stories, load_open_calls, ApplyCorrespondent, AppointCorrespondent, AssetView,
    CallView, DeskView, ResubmitStory, SaveDraft, StoryRow, SubmitStory, EDUCATION, KINDS,
};
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
                <p class="banner banner-notice" role="status">{format!("您是{unit}的信息员。")}</p>
                <p class="actions">
                    <A href="/desk/assets">"素材库 ›"</A>
                    " "
                    <A href="/desk/review">"审核稿件 ›"</A>
                </p>
                <Stories posted/>
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

/// The 信息员登记表: a member's own application, or (`appoint`) an
/// official's direct appointment of the member whose phone it names.
#[component]
pub fn ApplicationForm(posted: Option<PostedForm>, #[prop(optional)] appoint: bool) -> impl IntoView {
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
    let send_action = if appoint { action::<AppointCorrespondent>() } else { action::<ApplyCorrespondent>() };
    view! {
        // The officials' page shows its one banner above all its forms.
        {(!appoint).then(|| view! { <FormBanner posted=posted.clone()/> })}
        <form method="post" action=send_action class="form" novalidate>
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
            <button type="submit" class="primary wide">{if appoint { "任命为信息员" } else { "提交登记表" }}</button>
        </form>
    }
}

/// The correspondent's stories and the form for a new one.
#[component]
fn Stories(posted: Option<PostedForm>) -> impl IntoView {
    let stories = Resource::new(|| (), |_| load_my_stories());
    let library = Resource::new(|| (), |_| load_assets(None, None, None));
    let calls = Resource::new(|| (), |_| load_open_calls());
    let form = posted.clone().unwrap_or_default();
    // A post about a story on the list (its id) shows its outcome there, not in the new-story form.
    let resubmitting = !form.value("id").is_empty();
    // Copy, so the loading wrapper's children can be called again.
    let form = StoredValue::new(form);
    view! {
        <FormBanner posted=posted.clone()/>
        <Loading>
            {move || {
                let form = form.get_value();
                let posted = if resubmitting { None } else { Some(form.clone()).filter(|f| f.error.is_some()) };
                Suspend::new(async move {
                    let stories = stories.await.unwrap_or_default();
                    let library = library.await.unwrap_or_default();
                    let calls = calls.await.unwrap_or_default();
                    view! {
                        {calls.iter().map(|c| view! {
                            <p class="banner banner-notice">{format!("征稿：{}（{}，截止 {}）{}", c.topic, c.unit_name, c.deadline, c.details)}</p>
                        }).collect_view()}
                        <h2>"我的稿件"</h2>
                        {stories.is_empty().then(|| view! { <p class="muted">"还没有稿件。"</p> })}
                        <ul class="plain-list stories">
                            {stories.into_iter().map(|s| view! { <StoryItem story=s form=form.clone() library=library.clone()/> }).collect_view()}
                        </ul>
                        <h2>"写稿"</h2>
                        <StoryFields posted story=None library calls/>
                    }
                })
            }}
        </Loading>
    }
}

/// Attached pictures and files, small.
#[component]
pub fn AssetStrip(assets: Vec<AssetView>) -> impl IntoView {
    (!assets.is_empty()).then(|| {
        view! {
            <ul class="asset-strip">
                {assets.into_iter().map(|a| view! { <li><AssetThumb asset=a/></li> }).collect_view()}
            </ul>
        }
    })
}

/// A picture as a lazily loaded thumbnail linking to the whole; audio and
/// video as players (they load nothing before play); files as a link.
#[component]
pub fn AssetThumb(asset: AssetView) -> impl IntoView {
    match asset.kind.as_str() {
        "photo" => view! {
            <a href=asset.url.clone()>
                <img src=asset.thumb.clone() srcset=asset.srcset.clone() sizes="(max-width: 400px) 30vw, 160px"
                    alt=asset.title.clone() loading="lazy" width="96" height="72"/>
            </a>
        }
        .into_any(),
        "video" => {
            view! { <video src=asset.url.clone() controls=true preload="none" playsinline=true width="160"></video> }
                .into_any()
        }
        "audio" => view! { <audio src=asset.url.clone() controls=true preload="none"></audio> }.into_any(),
        _ => view! { <a href=asset.url.clone()>{format!("📄 {}（{}）", asset.title, asset.size)}</a> }.into_any(),
    }
}

#[component]
fn StoryItem(story: StoryRow, form: PostedForm, library: Vec<AssetView>) -> impl IntoView {
    let returned = story.status == "returned";
    let draft = story.status == "draft";
    let mine = (form.posted_to(&action::<ResubmitStory>())
        || form.posted_to(&action::<SubmitStory>())
        || form.posted_to(&action::<SaveDraft>()))
        && form.value("id") == story.id.to_string()
        && form.error.is_some();
    let comment = story.comment.clone();
    view! {
        <li class="card story-item" id=format!("story-{}", story.id)>
            <p><strong>{story.title.clone()}</strong></p>
            <p class="muted">
                {format!("{} · 第 {} 稿 · {}", story.status_label, story.version, story.updated)}
                {story.late.then_some(" · 迟报")}
            </p>
            {comment.map(|c| view! { <p class="banner banner-error">{format!("审核意见：{c}")}</p> })}
            <AssetStrip assets=story.assets.clone()/>
            {(returned || draft).then(|| view! {
                <details open=mine || draft>
                    <summary>{if draft { "继续编辑草稿" } else { "修改后重新报送" }}</summary>
                    <StoryFields posted=mine.then_some(form.clone()) story=Some(story.clone()) library calls=Vec::new()/>
                </details>
            })}
        </li>
    }
}

/// The 报送单: a new story, or a returned one to change and send again.
#[component]
fn StoryFields(
    posted: Option<PostedForm>,
    story: Option<StoryRow>,
    library: Vec<AssetView>,
    calls: Vec<CallView>,
) -> impl IntoView {
    let form = posted.unwrap_or_default();
    let typed = !form.values.is_empty();
    let value = |name: &str, stored: &str| if typed { form.value(name) } else { stored.to_owned() };
    let s = story.clone();
    let get = move |f: fn(&StoryRow) -> String| s.as_ref().map(f).unwrap_or_default();
    let title = value("title", &get(|s| s.title.clone()));
    let body = value("body", &get(|s| s.body.clone()));
    let excerpt = value("excerpt", &get(|s| s.excerpt.clone()));
    let kind = value("kind", &get(|s| s.kind.clone()));
    let event_date = value("event_date", &get(|s| s.event_date.clone()));
    let outward = if typed { !form.value("outward").is_empty() } else { story.as_ref().is_none_or(|s| s.outward) };
    let prefix = story.as_ref().map(|s| format!("s{}-", s.id)).unwrap_or_default();
    let id = |name: &str| format!("f-{prefix}{name}");
    let message = |name: &str| form.error_for(name);
    let (action, story_id) = match &story {
        Some(s) if s.status == "returned" => (action::<ResubmitStory>(), Some(s.id.to_string())),
        Some(s) => (action::<SubmitStory>(), Some(s.id.to_string())),
        None => (action::<SubmitStory>(), None),
    };
    // Returned stories go straight back to review; new ones and drafts may
    // be kept as drafts first.
    let may_save = story.as_ref().is_none_or(|s| s.status == "draft");
    let body_error = message("body");
    let body_invalid = body_error.is_some();
    let kind_error = message("kind");
    let kind_invalid = kind_error.is_some();
    let (body_id, kind_id) = (id("body"), id("kind"));
    let call_error = message("call");
    let assets_error = message("assets");
    let assets_invalid = assets_error.is_some();
    let attached: Vec<i64> = story.as_ref().map(|s| s.assets.iter().map(|a| a.id).collect()).unwrap_or_default();
    let chosen_assets: Vec<String> =
        form.values.iter().filter(|(n, _)| n == "assets[]").map(|(_, v)| v.clone()).collect();
    let form_id = format!("story-form{}", story.as_ref().map(|s| format!("-{}", s.id)).unwrap_or_default());
    view! {
        <form method="post" action=action class="form" novalidate id=form_id.clone()>
            {story_id.map(|sid| view! { <input type="hidden" name="id" value=sid/> })}
            <div class="field" class:has-error=message("title").is_some()>
                <label for=id("title")>"标题"</label>
                <input id=id("title") name="title" maxlength="60" value=title/>
                <p class="field-message">{message("title").unwrap_or_default()}</p>
            </div>
            <div class="field" class:has-error=kind_invalid>
                <label for=kind_id.clone()>"稿件类型"</label>
                <select id=kind_id name="kind">
                    <option value="">"请选择"</option>
                    {KINDS.iter().map(|(k, label)| view! { <option value=*k selected=kind == *k>{*label}</option> }).collect_view()}
                </select>
                <p class="field-message">{kind_error.unwrap_or_default()}</p>
            </div>
            <div class="field" class:has-error=message("event_date").is_some()>
                <label for=id("event_date")>"事件发生日期"</label>
                <input id=id("event_date") name="event_date" type="date" value=event_date/>
                <p class="field-message">{message("event_date").unwrap_or_else(|| "新闻请在事件发生后三天内报送".to_owned())}</p>
            </div>
            <div class="field" class:has-error=body_invalid>
                <label for=body_id.clone()>"正文"</label>
                <TextArea id=body_id name="body" rows=10 maxlength=20000 value=body/>
                <p class="field-message">{body_error.unwrap_or_else(|| "支持 Markdown：空一行分段，**加粗**，- 列表".to_owned())}</p>
            </div>
            <div class="field" class:has-error=message("excerpt").is_some()>
                <label for=id("excerpt")>"正文摘选（可不填，将自动摘取正文开头）"</label>
                <TextArea id=id("excerpt") name="excerpt" rows=2 maxlength=300 value=excerpt/>
                <p class="field-message">{message("excerpt").unwrap_or_default()}</p>
            </div>
            <label class="check">
                <input type="checkbox" name="outward" value="1" checked=outward/>
                "可用于对外宣传"
            </label>
            {(!calls.is_empty()).then(|| {
                let chosen = form.value("call");
                view! {
                    <div class="field" class:has-error=call_error.is_some()>
                        <label for=id("call")>"回应征稿（可不选）"</label>
                        <select id=id("call") name="call">
                            <option value="">"不回应征稿"</option>
                            {calls.iter().map(|c| {
                                let value = c.id.to_string();
                                view! { <option value=value.clone() selected=chosen == value>{c.topic.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-message">{call_error.clone().unwrap_or_default()}</p>
                    </div>
                }
            })}
            <fieldset class="field picker" class:has-error=assets_invalid>
                <legend>"附图片、音视频（从素材库选择）"</legend>
                {library.is_empty().then(|| view! { <p class="muted">"素材库还没有素材。"</p> })}
                <ul class="asset-picker">
                    {library.into_iter().map(|a| {
                        let value = a.id.to_string();
                        let checked = attached.contains(&a.id) || chosen_assets.contains(&value);
                        view! {
                            <li><label>
                                <input type="checkbox" name="assets[]" value=value checked=checked/>
                                <AssetThumb asset=a.clone()/>
                                <span>{a.title.clone()}</span>
                            </label></li>
                        }
                    }).collect_view()}
                </ul>
                <p class="field-message">{assets_error.unwrap_or_else(|| "先在素材库上传，再回来勾选".to_owned())}</p>
                <A href="/desk/assets">"去素材库上传 ›"</A>
            </fieldset>
            <button type="submit" class="primary wide">"报送"</button>
            {may_save.then(|| view! {
                <button type="submit" class="secondary wide" formaction={crate::ui::forms::action::<SaveDraft>()}>"保存草稿"</button>
                <super::autosave::Autosave form_id=form_id.clone()/>
            })}
        </form>
    }
}
