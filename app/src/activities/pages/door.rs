//! A session's door page (`/admin/activities/{session}`): the scanner that
//! checks members in — offline too: `public/scanner.js` checks the code's
//! signature with the public key and keeps it until the network is back —,
//! the typed code form that works without JavaScript, and the attendance
//! list with its CSV (`/admin/activities/{session}/attendance.csv`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::activities::api::{load_attendance, CheckIn};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner};

#[component]
pub fn AttendancePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(move || params.read().get("id").unwrap_or_default(), load_attendance);
    let posted = use_posted_form();
    view! {
        <Title text="活动签到"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match page.await {
                    Ok(page) => view! {
                        <h1 class="page-title">{page.title.clone()}</h1>
                        <section class="card scanner" id="scanner" data-public-key=page.public_key.clone()
                            data-prefix="HD1" data-endpoint={CheckIn::PATH}>
                            <p class="muted">{format!("{} · {} · 已签到 {} / {}", page.when, page.place, page.checked_in, page.capacity)}</p>
                            <FormBanner posted=posted.clone()/>
                            <div class="scan-camera" hidden>
                                <video id="scan-video" playsinline muted></video>
                            </div>
                            <button type="button" id="scan-start" class="primary" hidden>"扫码签到"</button>
                            <p id="scan-result" class="scan-result" role="status" aria-live="polite"></p>
                            <p id="scan-queue" class="muted" aria-live="polite"></p>
                            <form method="post" action={action::<CheckIn>()} class="form" id="redeem-form" novalidate>
                                <input type="hidden" name="session" value=page.session_id.to_string()/>
                                <Field label="签到码" name="code" autocomplete="off" value=form.value("code") error=form.error_for("code") hint="会员报出的签到码，形如 12-34567890"/>
                                <button type="submit" class="primary">"签到"</button>
                            </form>
                        </section>
                        <section class="card" aria-labelledby="att-heading">
                            <h2 id="att-heading">"报名名单"</h2>
                            <p><a href=format!("/admin/activities/{}/attendance.csv", page.session_id)>"下载名单（CSV）"</a></p>
                            <div class="table-scroll">
                                <table class="figures">
                                    <thead><tr><th>"座位"</th><th>"姓名"</th><th>"手机"</th><th>"单位"</th><th>"状态"</th></tr></thead>
                                    <tbody>
                                        {page.lines.into_iter().map(|l| view! {
                                            <tr>
                                                <td>{l.seat.map(|s| s.to_string()).unwrap_or_default()}</td>
                                                <td>{l.name}</td>
                                                <td>{l.phone}</td>
                                                <td>{l.unit_name}</td>
                                                <td>{l.checked_in.map(|at| format!("已签到 {at}")).unwrap_or(l.status)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                        <p class="below-card"><a href="/admin/activities">"‹ 活动管理"</a></p>
                        <script src="/scanner.js" defer=true nonce=leptos::nonce::use_nonce()></script>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
