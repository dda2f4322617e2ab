//! 来信办理 (`/admin/mail`): the handler's letters (overdue first, then by
//! deadline), the overdue letters of the units below (逾期督办), each unit's
//! deadlines, its lawyers, and the working-day calendar.

use leptos::prelude::*;
use leptos_meta::Title;

use super::member::LetterSummary;
use crate::mailboxes::api::{
    load_mail_admin, AddMailLawyer, RemoveCalendarDay, SetCalendarDay, SetMailDeadline, MAILBOXES,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, UnitSelect};

#[component]
pub fn MailAdminPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_mail_admin());
    let posted = use_posted_form();
    view! {
        <Title text="来信办理"/>
        <h1 class="page-title">"来信办理"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(view) => {
                        let first_unit = view.units.first().map(|(c, _)| c.clone()).unwrap_or_default();
                        view! {
                            <FormBanner posted=posted.clone()/>
                            <section class="card" aria-labelledby="letters">
                                <h2 id="letters">"待办与已办"</h2>
                                {view.letters.is_empty().then(|| view! { <p class="muted">"没有需要您办理的来信。"</p> })}
                                <ul class="plain-list">
                                    {view.letters.into_iter().map(|l| view! { <li><LetterSummary letter=l/></li> }).collect_view()}
                                </ul>
                            </section>
                            {(!view.escalated.is_empty()).then(|| view! {
                                <section class="card" aria-labelledby="escalated">
                                    <h2 id="escalated">"逾期督办（下级单位）"</h2>
                                    <p class="muted">"下级单位超过办理时限仍未答复的来信，答复前一直显示在这里。"</p>
                                    <ul class="plain-list">
                                        {view.escalated.into_iter().map(|l| view! { <li><LetterSummary letter=l/></li> }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {view.is_official.then(|| view! {
                                <section class="card" aria-labelledby="deadlines">
                                    <h2 id="deadlines">"办理时限"</h2>
                                    <form method="post" action={action::<SetMailDeadline>()} class="form" novalidate>
                                        <UnitSelect units=view.units.clone() id="d-unit" chosen=first_unit.clone()/>
                                        <div class="field">
                                            <label for="d-kind">"信箱"</label>
                                            <select id="d-kind" name="kind">
                                                {MAILBOXES.iter().map(|(k, name, _)| view! { <option value=*k>{*name}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <Field label="工作日" name="days" id_prefix="d-" inputmode="numeric" value="5".to_owned() error=form.error_for("days") hint="默认 5 个工作日，节假日顺延"/>
                                        <button type="submit">"保存"</button>
                                    </form>
                                </section>
                                <section class="card" aria-labelledby="lawyers">
                                    <h2 id="lawyers">"律师邮箱的律师"</h2>
                                    <form method="post" action={action::<AddMailLawyer>()} class="form" novalidate>
                                        <UnitSelect units=view.units.clone() id="lw-unit" chosen=first_unit.clone()/>
                                        <Field label="律师手机号" name="phone" id_prefix="lw-" inputmode="tel" error=form.error_for("phone")/>
                                        <button type="submit">"添加"</button>
                                    </form>
                                </section>
                            })}
                            <section class="card" aria-labelledby="calendar">
                                <h2 id="calendar">"工作日历"</h2>
                                <p class="muted">"周一至周五上班，下列日子除外（法定节假日和调休上班日）。"</p>
                                <table class="figures">
                                    <thead><tr><th scope="col">"日期"</th><th scope="col">"安排"</th></tr></thead>
                                    <tbody>
                                        {view.calendar.iter().map(|d| view! {
                                            <tr>
                                                <td>{format!("{} {}", d.day, d.weekday)}</td>
                                                <td>{format!("{}（{}）", d.name, if d.working { "上班" } else { "放假" })}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {view.may_edit_calendar.then(|| view! {
                                    <form method="post" action={action::<SetCalendarDay>()} class="form" novalidate>
                                        <Field label="日期" name="day" id_prefix="c-" input_type="date" value=form.value("day") error=form.error_for("day")/>
                                        <fieldset class="field">
                                            <legend>"安排"</legend>
                                            <label class="check"><input type="radio" name="working" value="0" checked=true/>"放假"</label>
                                            <label class="check"><input type="radio" name="working" value="1"/>"调休上班"</label>
                                            <p class="field-message">{form.error_for("working")}</p>
                                        </fieldset>
                                        <Field label="名称" name="name" id_prefix="c-" maxlength=20 value=form.value("name") error=form.error_for("name") placeholder="如：春节、春节调休上班"/>
                                        <div class="actions">
                                            <button type="submit" class="primary">"保存"</button>
                                            <button type="submit" class="secondary" formaction={action::<RemoveCalendarDay>()}>"恢复为平常日"</button>
                                        </div>
                                    </form>
                                })}
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
