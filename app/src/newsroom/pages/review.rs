//! 审核稿件 (/desk/review): the stories waiting for a step the member may
//! take (初审 / 复审 / 终审), each with its decisions. Plain form posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::newsroom::api::{load_review_queue, ApproveStory, HoldStory, RejectStory, ReturnStory, ReviewItem};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner, PostedForm, TextArea};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| load_review_queue());
    let posted = use_posted_form();
    view! {
        <Title text="审核稿件"/>
        <h1 class="page-title">"审核稿件"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match queue.await {
                    Ok(items) => view! {
                        <FormBanner posted/>
                        {items.is_empty().then(|| view! { <p class="card muted">"没有等待您审核的稿件。"</p> })}
                        {items.into_iter().map(|item| view! { <ReviewCard item form=form.clone()/> }).collect_view()}
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
            <div class="story" inner_html=item.body_html.clone()></div>
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
