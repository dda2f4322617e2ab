//! 审核稿件 (/desk/review): the stories waiting for a step the member may
//! take (初审 / 复审 / 终审), each with its decisions. Plain form posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::desk::AssetStrip;
use crate::newsroom::api::{
    load_adopted, load_review_queue, AdoptedItem, ApproveStory, HoldStory, PublishStory, RecordOutsideAdoption,
    RejectStory, ReportStoryUp, ReturnStory, ReviewItem, TakeStory,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner, PostedForm, TextArea};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| load_review_queue());
    let adopted = Resource::new(|| (), |_| load_adopted());
    let posted = use_posted_form();
    view! {
        <Title text="审核稿件"/>
        <h1 class="page-title">"审核稿件"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                let adopted = adopted.await.unwrap_or_default();
                match queue.await {
                    Ok(items) => view! {
                        <FormBanner posted/>
                        {items.is_empty().then(|| view! { <p class="card muted">"没有等待您审核的稿件。"</p> })}
                        {items.into_iter().map(|item| view! { <ReviewCard item form=form.clone()/> }).collect_view()}
                        {(!adopted.is_empty()).then(|| view! {
                            <h2 class="page-title">"已采用的稿件"</h2>
                            {adopted.into_iter().map(|item| view! { <AdoptedCard item form=form.clone()/> }).collect_view()}
                        })}
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/desk">"返回信息员"</A></p>
    }
}

#[component]
fn ReviewCard(item: ReviewItem, form: PostedForm) -> impl IntoView {
    let (id, version) = (item.id.to_string(), item.version.to_string());
    let mine = form.value("id") == id;
    let comment_error = mine.then(|| form.error_for("comment")).flatten();
    let comment_id = format!("comment-{}", item.id);
    let typed = if mine { form.value("comment") } else { String::new() };
    let hidden = move || {
        view! {
            <input type="hidden" name="id" value=id.clone()/>
            <input type="hidden" name="version" value=version.clone()/>
        }
    };
    view! {
        <article class="card request" id=format!("review-{}", item.id)>
            <p class="muted">{format!("{} · 已等待 {} · {} · {} · 第 {} 稿 · 报送于 {}", item.step_label, item.waiting, item.desk_unit_name, item.author_name, item.version, item.submitted)}
                {item.late.then_some(" · 迟报")}</p>
            <h2>{item.title.clone()}</h2>
            {(!item.changes.is_empty()).then(|| view! {
                <details class="diff" open=true>
                    <summary>"与退回前相比的修改"</summary>
                    <ul class="diff-lines">
                        {item.changes.iter().map(|c| {
                            let class = match c.tag.as_str() { "+" => "added", "-" => "removed", _ => "same" };
                            let mark = match c.tag.as_str() { "+" => "＋ ", "-" => "－ ", _ => "　 " };
                            view! { <li class=class>{format!("{mark}{}", c.text)}</li> }
                        }).collect_view()}
                    </ul>
                </details>
            })}
            <div class="story" inner_html=item.body_html.clone()></div>
            <AssetStrip assets=item.assets.clone()/>
            {match item.locked_by.clone() {
                Some(holder) => view! { <p class="banner banner-notice">{format!("{holder} 正在审核这篇稿件")}</p> }.into_any(),
                None => view! {
                    <form method="post" action={action::<TakeStory>()} class="inline-form">
                        <input type="hidden" name="id" value=item.id.to_string()/>
                        <button type="submit" class="secondary">"开始审核（锁定 15 分钟）"</button>
                    </form>
                }
                .into_any(),
            }}
            <form method="post" action={action::<ApproveStory>()} class="inline-form">
                {hidden()}
                <button type="submit" class="primary">"通过"</button>
            </form>
            <form method="post" action={action::<ReturnStory>()} class="form">
                {hidden()}
                <div class="field" class:has-error=comment_error.is_some()>
                    <label for=comment_id.clone()>"审核意见（退回修改、退稿时必填）"</label>
                    <TextArea id=comment_id name="comment" rows=2 maxlength=500 value=typed/>
                    {comment_error.clone().map(|e| view! { <p class="field-message" role="alert">{e}</p> })}
                </div>
                <button type="submit" class="secondary">"退回修改"</button>
                <button type="submit" class="secondary" formaction={action::<HoldStory>()}>"待用"</button>
                <button type="submit" class="secondary" formaction={action::<RejectStory>()}>"退稿"</button>
            </form>
        </article>
    }
}

/// A story adopted at a desk the editor covers: send it up, or record that
/// an outside medium used it.
#[component]
fn AdoptedCard(item: AdoptedItem, form: PostedForm) -> impl IntoView {
    let id = item.id.to_string();
    let mine = form.value("id") == id;
    let medium_error = mine.then(|| form.error_for("medium")).flatten();
    let medium_id = format!("medium-{}", item.id);
    view! {
        <article class="card" id=format!("adopted-{}", item.id)>
            <p class="muted">{format!("{} · {}", item.desk_unit_name, item.author_name)}</p>
            <h2>{item.title.clone()}</h2>
            <PublishForm id=item.id form=form.clone()/>
            {(item.has_parent && item.is_editor).then(|| view! {
                <form method="post" action={action::<ReportStoryUp>()} class="inline-form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <button type="submit" class="secondary">"报送上级"</button>
                </form>
            })}
            {if !item.is_editor {
                ().into_any()
            } else if item.outward {
                view! {
                    <form method="post" action={action::<RecordOutsideAdoption>()} class="form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <div class="field" class:has-error=medium_error.is_some()>
                            <label for=medium_id.clone()>"外部媒体采用（媒体名称）"</label>
                            <input id=medium_id name="medium" maxlength="40"/>
                            <p class="field-message">{medium_error.clone().unwrap_or_default()}</p>
                        </div>
                        <button type="submit" class="secondary">"记录采用"</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p class="muted">"对外宣传：否（不能用于外部媒体）"</p> }.into_any()
            }}
        </article>
    }
}

/// 发布: one click publishes the adopted story on its desk's channel; a
/// time (定时发布) and 置顶 are optional.
#[component]
fn PublishForm(id: i64, form: PostedForm) -> impl IntoView {
    let mine = form.posted_to(&action::<PublishStory>()) && form.value("id") == id.to_string();
    let when_error = mine.then(|| form.error_for("when")).flatten();
    let when_id = format!("when-{id}");
    view! {
        <form method="post" action={action::<PublishStory>()} class="form publish-form">
            <input type="hidden" name="id" value=id.to_string()/>
            <div class="field" class:has-error=when_error.is_some()>
                <label for=when_id.clone()>"定时发布（留空则立即发布）"</label>
                <input id=when_id type="datetime-local" name="when" value=if mine { form.value("when") } else { String::new() }/>
                <p class="field-message">{when_error.clone()}</p>
            </div>
            <label class="check"><input type="checkbox" name="pinned" value="1"/>"置顶"</label>
            <button type="submit" class="primary">"发布到频道"</button>
        </form>
    }
}
