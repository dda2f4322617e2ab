//! 学吧 (`/services/lessons`): the member's courses with their progress; a
//! lesson (`/services/lessons/{id}`) with its text, a 学完了 button and the
//! quiz (radio buttons, a plain form); and the officials' 课程管理
//! (`/admin/lessons`) with completion per unit.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::lessons::api::{
    load_courses, load_lesson, load_lessons_admin, AddLesson, AnswerQuiz, CreateCourse, MarkRead,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm, TextArea, UnitSelect};

#[component]
pub fn CoursesPage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| load_courses());
    view! {
        <Title text="学吧"/>
        <h1 class="page-title">"学吧 · 工会知识微课堂"</h1>
        <Loading>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(courses) if courses.is_empty() => view! {
                        <p class="card muted">"登录后可学习本会及上级工会开设的课程。"</p>
                    }
                    .into_any(),
                    Ok(courses) => courses.into_iter().map(|c| view! {
                        <section class="card" id=format!("course-{}", c.id)>
                            <h2>{c.title.clone()}</h2>
                            <p class="muted">{format!("{} · 已通过 {}/{} 课", c.unit_name, c.passed, c.lessons.len())}</p>
                            <p>{c.summary.clone()}</p>
                            <ol class="wish-steps">
                                {c.lessons.into_iter().map(|(id, title, state)| view! {
                                    <li><a href=format!("/services/lessons/{id}")>{title}</a>" "<span class="badge">{state}</span></li>
                                }).collect_view()}
                            </ol>
                        </section>
                    }).collect_view().into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let lesson = Resource::new(move || params.read().get("id").unwrap_or_default(), load_lesson);
    let posted = use_posted_form();
    view! {
        <Title text="学吧"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let chosen = posted.clone().unwrap_or_default();
                match lesson.await {
                    Ok(l) => {
                        let id = l.id.to_string();
                        view! {
                            <article class="card article">
                                <p class="muted">{l.course_title.clone()}</p>
                                <h1>{l.title.clone()}</h1>
                                {l.media.clone().map(|(kind, src)| if kind == "video" {
                                    view! { <video class="article-video" src=src controls=true preload="metadata" playsinline=true width="328"></video> }.into_any()
                                } else {
                                    view! { <audio class="article-audio" src=src controls=true preload="none"></audio> }.into_any()
                                })}
                                <div class="article-body" inner_html=l.body_html.clone()></div>
                                {(!l.read).then(|| view! {
                                    <form method="post" action={action::<MarkRead>()} class="inline-form">
                                        <input type="hidden" name="id" value=id.clone()/>
                                        <button type="submit" class="secondary">"学完了"</button>
                                    </form>
                                })}
                            </article>
                            <section class="card" aria-labelledby="quiz-heading">
                                <h2 id="quiz-heading">"课后小测"</h2>
                                <FormBanner posted=posted.clone()/>
                                {l.passed.clone().map(|at| view! { <p class="banner banner-notice" role="status">{format!("已于 {at} 通过本课")}</p> })}
                                <form method="post" action={action::<AnswerQuiz>()} class="form quiz">
                                    <input type="hidden" name="id" value=id.clone()/>
                                    {l.questions.iter().enumerate().map(|(i, (prompt, options))| {
                                        let n = i + 1;
                                        let picked = chosen.value(&format!("answers[{n}]"));
                                        view! {
                                            <fieldset class="field">
                                                <legend>{format!("{n}. {prompt}")}</legend>
                                                {options.iter().enumerate().map(|(j, option)| {
                                                    let value = (j + 1).to_string();
                                                    let checked = picked == value;
                                                    view! {
                                                        <label class="check">
                                                            <input type="radio" name=format!("answers[{n}]") value=value checked=checked/>
                                                            {option.clone()}
                                                        </label>
                                                    }
                                                }).collect_view()}
                                            </fieldset>
                                        }
                                    }).collect_view()}
                                    <button type="submit" class="primary">"交卷"</button>
                                </form>
                                {l.next_lesson.map(|next| view! { <p><a href=format!("/services/lessons/{next}")>"下一课 ›"</a></p> })}
                            </section>
                            <p class="below-card"><a href="/services/lessons">"‹ 学吧"</a></p>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

/// The lesson fields, in the new-course form and in each course's add form
/// (ids carry `prefix`, one per form, so they stay unique on the page).
#[component]
fn LessonFields(form: PostedForm, prefix: String, media: Vec<(String, String)>) -> impl IntoView {
    let id = |name: &str| format!("{prefix}{name}");
    let error = |name: &str| form.error_for(name);
    view! {
        <div class="field" class:has-error=error("title").is_some()>
            <label for=id("title")>"课时名称"</label>
            <input id=id("title") name="title" maxlength="40" value=form.value("title") aria-describedby=id("title-message")/>
            <p class="field-message" id=id("title-message")>{error("title")}</p>
        </div>
        <div class="field" class:has-error=error("body").is_some()>
            <label for=id("body")>"正文（支持 Markdown）"</label>
            <TextArea name="body" id=id("body") rows=6 maxlength=5000 value=form.value("body") described_by=id("body-message")/>
            <p class="field-message" id=id("body-message")>{error("body")}</p>
        </div>
        <div class="field" class:has-error=error("quiz").is_some()>
            <label for=id("quiz")>"课后小测（每行一题：题目｜选项一｜选项二｜…｜正确选项序号，3 到 5 题）"</label>
            <TextArea name="quiz" id=id("quiz") rows=5 maxlength=3000 value=form.value("quiz") described_by=id("quiz-message")/>
            <p class="field-message" id=id("quiz-message")>{error("quiz")}</p>
        </div>
        <div class="field" class:has-error=error("media").is_some()>
            <label for=id("media")>"音频或视频（素材库，可不选）"</label>
            <select id=id("media") name="media" aria-describedby=id("media-message")>
                <option value="">"不配音视频"</option>
                {media.into_iter().map(|(token, label)| {
                    let chosen = form.value("media") == token;
                    view! { <option value=token selected=chosen>{label}</option> }
                }).collect_view()}
            </select>
            <p class="field-message" id=id("media-message")>{error("media")}</p>
        </div>
    }
}

#[component]
pub fn LessonsAdminPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_lessons_admin());
    let posted = use_posted_form();
    view! {
        <Title text="课程管理"/>
        <h1 class="page-title">"学吧 · 课程管理"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match page.await {
                    Ok(page) => {
                        let create = posted.clone().filter(|p| p.posted_to(&action::<CreateCourse>()));
                        let form = create.clone().unwrap_or_default();
                        let chosen = form.value("unit");
                        view! {
                            <section class="card" aria-labelledby="new-course">
                                <h2 id="new-course">"开设课程"</h2>
                                <FormBanner posted=create/>
                                <form method="post" action={action::<CreateCourse>()} class="form" novalidate>
                                    <UnitSelect units=page.units.clone() id="c-unit" chosen=chosen.clone()/>
                                    <Field label="课程名称" name="course_title" id_prefix="c-" maxlength=40 value=form.value("course_title") error=form.error_for("course_title")/>
                                    <Field label="简介" name="summary" id_prefix="c-" maxlength=200 value=form.value("summary") error=form.error_for("summary")/>
                                    <LessonFields form=form.clone() prefix="c-".to_owned() media=page.media.clone()/>
                                    <button type="submit" class="primary">"开设课程"</button>
                                </form>
                            </section>
                            {page.courses.into_iter().map(|(id, title, unit, lessons, completion)| {
                                let media = page.media.clone();
                                let add = posted.clone().filter(|p| p.posted_to(&action::<AddLesson>()) && p.value("course") == id.to_string());
                                let add_form = add.clone().unwrap_or_default();
                                let open = add.is_some();
                                view! {
                                    <article class="card" id=format!("course-{id}")>
                                        <h2>{title}</h2>
                                        <p class="muted">{format!("{unit} · {lessons} 课")}</p>
                                        <table class="figures">
                                            <thead><tr><th>"单位"</th><th>"学习人数"</th><th>"全部通过"</th></tr></thead>
                                            <tbody>
                                                {completion.into_iter().map(|(u, learners, finished)| view! {
                                                    <tr><td>{u}</td><td>{learners}</td><td>{finished}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        <details open=open>
                                            <summary>"新增课时"</summary>
                                            <FormBanner posted=add/>
                                            <form method="post" action={action::<AddLesson>()} class="form" novalidate>
                                                <input type="hidden" name="course" value=id.to_string()/>
                                                <LessonFields form=add_form prefix=format!("l{id}-") media=media.clone()/>
                                                <button type="submit" class="primary">"新增课时"</button>
                                            </form>
                                        </details>
                                    </article>
                                }
                            }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
