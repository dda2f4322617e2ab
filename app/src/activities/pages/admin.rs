//! 活动管理 (`/admin/activities`): an official creates activities with
//! their sessions for their subtree, adds sessions, cancels an activity and
//! opens a session's door page (`door.rs`).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::activities::api::{load_activities_admin, AddSession, CreateActivity, WithdrawActivity};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm, TextArea, UnitSelect};

/// The session fields, shared by the new-activity and add-session forms.
#[component]
fn SessionFields(form: PostedForm, prefix: &'static str) -> impl IntoView {
    view! {
        <Field label="地点" name="place" id_prefix=prefix maxlength=60 value=form.value("place") error=form.error_for("place")/>
        <Field label="日期" name="date" id_prefix=prefix input_type="date" value=form.value("date") error=form.error_for("date")/>
        <Field label="开始时间" name="starts" id_prefix=prefix input_type="time" value=form.value("starts") error=form.error_for("starts")/>
        <Field label="结束时间" name="ends" id_prefix=prefix input_type="time" value=form.value("ends") error=form.error_for("ends")/>
        <Field label="名额" name="capacity" id_prefix=prefix inputmode="numeric" value=form.value("capacity") error=form.error_for("capacity")/>
        <Field label="报名开始日期" name="signup_opens" id_prefix=prefix input_type="date" value=form.value("signup_opens") error=form.error_for("signup_opens")/>
        <Field label="报名截止日期（含当天）" name="signup_closes" id_prefix=prefix input_type="date" value=form.value("signup_closes") error=form.error_for("signup_closes")/>
    }
}

#[component]
pub fn ActivitiesAdminPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_activities_admin());
    let posted = use_posted_form();
    view! {
        <Title text="活动管理"/>
        <h1 class="page-title">"活动管理"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match page.await {
                    Ok(page) => {
                        let create = posted.clone().filter(|p| p.posted_to(&action::<CreateActivity>()));
                        let form = create.clone().unwrap_or_default();
                        let other = posted.clone().filter(|p| !p.posted_to(&action::<CreateActivity>()));
                        let chosen = form.value("unit");
                        let kind = form.value("kind");
                        view! {
                            <FormBanner posted=other.clone()/>
                            <section class="card" aria-labelledby="new-activity">
                                <h2 id="new-activity">"发布活动"</h2>
                                <FormBanner posted=create/>
                                <form method="post" action={action::<CreateActivity>()} class="form" novalidate>
                                    <UnitSelect units=page.units.clone() id="a-unit" chosen=chosen.clone()/>
                                    <Field label="活动名称" name="title" id_prefix="a-" maxlength=40 value=form.value("title") error=form.error_for("title") placeholder="如：职工1元观影"/>
                                    <div class="field" class:has-error=form.error_for("kind").is_some()>
                                        <label for="a-kind">"类别"</label>
                                        <select id="a-kind" name="kind">
                                            {crate::activities::model::KIND_OPTIONS.iter().map(|(k, l)| {
                                                let selected = *k == kind;
                                                view! { <option value=*k selected=selected>{*l}</option> }
                                            }).collect_view()}
                                        </select>
                                        <p class="field-message">{form.error_for("kind")}</p>
                                    </div>
                                    <div class="field" class:has-error=form.error_for("description").is_some()>
                                        <label for="a-description">"说明"</label>
                                        <TextArea name="description" id="a-description" rows=3 maxlength=1000 value=form.value("description") described_by="a-description-message"/>
                                        <p class="field-message" id="a-description-message">{form.error_for("description")}</p>
                                    </div>
                                    <SessionFields form=form.clone() prefix="a-"/>
                                    <Field label="限此日期及以前认证的会员（可不填）" name="member_since" id_prefix="a-" input_type="date" value=form.value("member_since") error=form.error_for("member_since")/>
                                    <button type="submit" class="primary">"发布活动"</button>
                                </form>
                            </section>
                            {page.activities.into_iter().map(|a| {
                                let add = other.clone().filter(|p| p.posted_to(&action::<AddSession>()) && p.value("activity") == a.id.to_string());
                                let add_form = add.clone().unwrap_or_default();
                                let open = add.is_some();
                                view! {
                                    <article class="card" id=format!("activity-{}", a.id)>
                                        <h2>{a.title.clone()}<span class="badge">{a.kind_label.clone()}</span>
                                            {a.withdrawn.then(|| view! { <span class="badge">"已取消"</span> })}</h2>
                                        <p class="muted">{a.unit_name.clone()}</p>
                                        <ul class="plain-list">
                                            {a.sessions.into_iter().map(|s| view! {
                                                <li>
                                                    <a href=format!("/admin/activities/{}", s.id)>{format!("{} · {}", s.when, s.place)}</a>
                                                    <span class="muted">{format!(" · 报名 {}/{} · 候补 {} · 签到 {}", s.confirmed, s.capacity, s.waiting, s.checked_in)}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        {(!a.withdrawn).then(|| view! {
                                            <details open=open>
                                                <summary>"增加场次"</summary>
                                                <form method="post" action={action::<AddSession>()} class="form" novalidate>
                                                    <input type="hidden" name="activity" value=a.id.to_string()/>
                                                    <SessionFields form=add_form.clone() prefix="s-"/>
                                                    <button type="submit" class="primary">"增加场次"</button>
                                                </form>
                                            </details>
                                            <form method="post" action={action::<WithdrawActivity>()} class="inline-form">
                                                <input type="hidden" name="id" value=a.id.to_string()/>
                                                <button type="submit" class="secondary">"取消活动"</button>
                                            </form>
                                        })}
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
