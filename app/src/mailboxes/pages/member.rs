//! The member's 信箱: writing a letter, their letters, one letter's page
//! (also the handler's working page), and the public Q&A.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::mailboxes::api::{
    load_letter, load_mail, load_public_qa, AnswerLetter, AssignLetter, AttachLetterPhoto, LetterCard, LetterView,
    RateLetter, TransferLetter, WriteLetter, MAILBOXES, RATINGS,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm, TextArea};

/// A letter in a list: subject, mailbox, unit, status and deadline.
#[component]
pub fn LetterSummary(letter: LetterCard) -> impl IntoView {
    let overdue = letter.overdue_days > 0;
    view! {
        <a class="article-card" class:overdue=overdue href=format!("/services/mail/{}", letter.id)>
            <span class="article-text">
                <strong>{letter.subject.clone()}</strong>
                <span class="muted">{format!("{} · {} · {}", letter.kind_name, letter.unit_name, letter.written_at)}</span>
                <span class:error=overdue>
                    {if letter.answered { letter.status.clone() } else { format!("{} · {} 前答复", letter.status, letter.deadline) }}
                </span>
                {(!letter.watched_words.is_empty()).then(|| view! { <span class="badge">{format!("关注词：{}", letter.watched_words)}</span> })}
            </span>
        </a>
    }
}

#[component]
pub fn MailPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_mail());
    let posted = use_posted_form();
    view! {
        <Title text="信箱"/>
        <h1 class="page-title">"工会信箱"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(view) if !view.signed_in => view! {
                        <p class="card">"登录后可以给工会写信、向律师咨询或提建议。 " <a href="/login?next=/services/mail">"去登录 ›"</a></p>
                        <p class="below-card"><a href="/services/faq">"看看大家问过的问题 ›"</a></p>
                    }
                    .into_any(),
                    Ok(view) => {
                        let kind = form.value("kind");
                        let kind = if kind.is_empty() { "union".to_owned() } else { kind };
                        let unit = form.value("unit");
                        view! {
                            <section class="card" aria-labelledby="write">
                                <h2 id="write">"写信"</h2>
                                <FormBanner posted=posted.clone()/>
                                <form method="post" action={action::<WriteLetter>()} class="form" novalidate>
                                    <fieldset class="field" class:has-error=form.error_for("kind").is_some()>
                                        <legend>"信箱"</legend>
                                        {MAILBOXES.iter().map(|(k, name, what)| view! {
                                            <label class="check">
                                                <input type="radio" name="kind" value=*k checked=kind == *k/>
                                                <span><strong>{*name}</strong><span class="muted">{format!("：{what}")}</span></span>
                                            </label>
                                        }).collect_view()}
                                        <p class="field-message">{form.error_for("kind")}</p>
                                    </fieldset>
                                    <div class="field" class:has-error=form.error_for("unit").is_some()>
                                        <label for="l-unit">"写给"</label>
                                        <select id="l-unit" name="unit">
                                            {view.units.iter().map(|(code, name)| {
                                                let selected = *code == unit;
                                                view! { <option value=code.clone() selected=selected>{name.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                        <p class="field-message">{form.error_for("unit")}</p>
                                    </div>
                                    <Field label="标题" name="subject" id_prefix="l-" maxlength=40 value=form.value("subject") error=form.error_for("subject") placeholder="如：单位拖欠工资三个月"/>
                                    <div class="field" class:has-error=form.error_for("body").is_some()>
                                        <label for="l-body">"内容"</label>
                                        <TextArea name="body" id="l-body" rows=6 maxlength=2000 value=form.value("body") described_by="l-body-message"/>
                                        <p class="field-message" id="l-body-message">{form.error_for("body")}</p>
                                    </div>
                                    <label class="check"><input type="checkbox" name="anonymous" value="1" checked=form.value("anonymous") == "1"/>"对外匿名（公开答复时不显示我的姓名）"</label>
                                    <label class="check"><input type="checkbox" name="consent" value="1" checked=form.value("consent") == "1"/>"同意隐去个人信息后公开答复，帮助有同样问题的会员"</label>
                                    <p class="muted">"来信将在办理时限内（一般 5 个工作日，节假日顺延）答复。写好后可以添加照片。"</p>
                                    <button type="submit" class="primary">"寄出"</button>
                                </form>
                            </section>
                            <section class="card" aria-labelledby="my-letters">
                                <h2 id="my-letters">"我的来信"</h2>
                                {view.letters.is_empty().then(|| view! { <p class="muted">"还没有写过信。"</p> })}
                                <ul class="plain-list">
                                    {view.letters.into_iter().map(|l| view! { <li><LetterSummary letter=l/></li> }).collect_view()}
                                </ul>
                            </section>
                            <p class="below-card"><a href="/services/faq">"公开问答（法吧）›"</a></p>
                            {view.handles.then(|| view! { <p class="below-card"><a href="/admin/mail">"来信办理 ›"</a></p> })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn LetterPage() -> impl IntoView {
    let params = use_params_map();
    let letter = Resource::new(move || params.read().get("id").unwrap_or_default(), load_letter);
    let posted = use_posted_form();
    view! {
        <Title text="来信"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match letter.await {
                    Ok(view) => letter_view(view, posted).into_any(),
                    Err(error) => view! {
                        <p class="card error" role="alert">{error.to_string()}</p>
                        <p class="below-card"><a href="/services/mail">"‹ 信箱"</a></p>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

fn letter_view(view: LetterView, posted: Option<PostedForm>) -> impl IntoView {
    let form = posted.clone().unwrap_or_default();
    let c = view.card.clone();
    let id = c.id.to_string();
    let overdue = c.overdue_days > 0;
    view! {
        <article class="card">
            <p class="muted">{format!("{} · 写给{} · {}", c.kind_name, c.unit_name, c.written_at)}</p>
            <h1>{c.subject.clone()}</h1>
            <p class="letter-body">{view.body.clone()}</p>
            {(!view.photos.is_empty()).then(|| view! {
                <div class="letter-photos">
                    {view.photos.iter().map(|src| view! { <a href=src.clone()><img src=src.clone() alt="来信照片" width="96" height="96" loading="lazy"/></a> }).collect_view()}
                </div>
            })}
            <p class:error=overdue>
                <strong>{c.status.clone()}</strong>
                {(!c.answered).then(|| format!(" · 答复期限 {}", c.deadline))}
            </p>
            <FormBanner posted=posted.clone()/>
            {view.answer.clone().map(|answer| view! {
                <section class="answer" aria-labelledby="answer">
                    <h2 id="answer">"答复"</h2>
                    <p class="letter-body">{answer}</p>
                    <p class="muted">{view.answered_at.clone().unwrap_or_default()}{view.published.then_some(" · 已公开到问答")}</p>
                </section>
            })}
            {(view.is_writer && view.answer.is_some() && view.rating.is_none()).then(|| view! {
                <form method="post" action={action::<RateLetter>()} class="form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <fieldset class="field">
                        <legend>"您对答复满意吗？"</legend>
                        {RATINGS.iter().map(|(v, label)| view! {
                            <label class="check"><input type="radio" name="rating" value=v.to_string()/>{*label}</label>
                        }).collect_view()}
                        <p class="field-message">{form.error_for("rating")}</p>
                    </fieldset>
                    <button type="submit" class="primary">"评价"</button>
                </form>
            })}
            {(view.is_writer && !c.answered && view.photos.len() < 3).then(|| view! {
                <form method="post" action={action::<AttachLetterPhoto>()} enctype="multipart/form-data" class="picture-form">
                    <input type="hidden" name="id" value=id.clone()/>
                    <label for="letter-photo">"添加照片（最多 3 张）"</label>
                    <input id="letter-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp"/>
                    <p class="field-message">{form.error_for("photo")}</p>
                    <button type="submit">"上传"</button>
                </form>
            })}
            <h2>"办理经过"</h2>
            <ol class="wish-steps">
                {view.trail.iter().map(|(what, at, note)| view! {
                    <li>
                        <strong>{what.clone()}</strong><span class="muted">{format!(" {at}")}</span>
                        {(!note.is_empty()).then(|| view! { <span class="muted">{format!("（{note}）")}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </article>
        {view.handler.clone().map(|tools| handler_forms(&view, tools, &form))}
        <p class="below-card"><a href=if view.handler.is_some() { "/admin/mail" } else { "/services/mail" }>"‹ 返回"</a></p>
    }
}

fn handler_forms(view: &LetterView, tools: crate::mailboxes::api::HandlerTools, form: &PostedForm) -> impl IntoView {
    let id = view.card.id.to_string();
    let open = !view.card.answered;
    view! {
        <section class="card" aria-labelledby="handle">
            <h2 id="handle">"办理"</h2>
            <p class="muted">{format!("来信人：{}", tools.writer)}</p>
            {view.card.assignee.clone().map(|a| view! { <p class="muted">{format!("承办人：{a}")}</p> })}
            {(!view.card.watched_words.is_empty()).then(|| view! { <p class="badge">{format!("含关注词：{}（已计入舆情）", view.card.watched_words)}</p> })}
            {open.then(|| view! {
                <form method="post" action={action::<AnswerLetter>()} class="form" novalidate>
                    <input type="hidden" name="id" value=id.clone()/>
                    <div class="field" class:has-error=form.error_for("answer").is_some()>
                        <label for="a-answer">"答复"</label>
                        <TextArea name="answer" id="a-answer" rows=5 maxlength=3000 value=form.value("answer") described_by="a-answer-message"/>
                        <p class="field-message" id="a-answer-message">{form.error_for("answer")}</p>
                    </div>
                    {tools.may_publish.then(|| view! {
                        <label class="check"><input type="checkbox" name="publish" value="1"/>"公开到问答（来信人已同意）"</label>
                        <div class="field" class:has-error=form.error_for("public_question").is_some()>
                            <label for="a-question">"公开的问题（已自动隐去姓名和号码，请再检查）"</label>
                            <TextArea name="public_question" id="a-question" rows=4 maxlength=2000 value=tools.public_question.clone() described_by="a-question-message"/>
                            <p class="field-message" id="a-question-message">{form.error_for("public_question")}</p>
                        </div>
                    })}
                    <button type="submit" class="primary">"答复"</button>
                </form>
            })}
            {(open && tools.may_transfer).then(|| view! {
                <form method="post" action={action::<AssignLetter>()} class="form" novalidate>
                    <input type="hidden" name="id" value=id.clone()/>
                    <Field label="分派给（手机号）" name="phone" id_prefix="as-" inputmode="tel" error=form.error_for("phone") hint="来信单位的管理员，律师邮箱也可以是该单位的律师"/>
                    <button type="submit">"分派"</button>
                </form>
                <form method="post" action={action::<TransferLetter>()} class="form" novalidate>
                    <input type="hidden" name="id" value=id.clone()/>
                    <div class="field" class:has-error=form.error_for("to").is_some()>
                        <label for="t-to">"转办至"</label>
                        <select id="t-to" name="to">
                            {tools.transfer_to.iter().map(|(code, name)| view! { <option value=code.clone()>{name.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field-message">{form.error_for("to")}</p>
                    </div>
                    <Field label="转办说明" name="note" id_prefix="t-" maxlength=200 error=form.error_for("note")/>
                    <button type="submit">"转办"</button>
                </form>
            })}
        </section>
    }
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let query = use_query_map();
    let kind = move || query.read().get("kind").unwrap_or_default();
    let rows = Resource::new(kind, load_public_qa);
    view! {
        <Title text="公开问答"/>
        <h1 class="page-title">"公开问答 · 法吧"</h1>
        <nav class="tabs" aria-label="信箱">
            <a href="/services/faq">"全部"</a>
            {MAILBOXES.iter().map(|(k, name, _)| view! { <a href=format!("/services/faq?kind={k}")>{*name}</a> }).collect_view()}
        </nav>
        <Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        {rows.is_empty().then(|| view! { <p class="card muted">"还没有公开的问答。"</p> })}
                        {rows.into_iter().map(|qa| view! {
                            <article class="card" id=format!("qa-{}", qa.id)>
                                <p class="muted">{format!("{} · {} · {} · {}", qa.kind_name, qa.unit_name, qa.writer, qa.published)}</p>
                                <h2>"问"</h2>
                                <p class="letter-body">{qa.question}</p>
                                <h2>"答"</h2>
                                <p class="letter-body">{qa.answer}</p>
                            </article>
                        }).collect_view()}
                        <p class="below-card"><a href="/services/mail">"我也要写信 ›"</a></p>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
