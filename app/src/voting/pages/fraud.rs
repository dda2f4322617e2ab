//! 防刷票: an official's view of one campaign's suspicious voting, with
//! forms to void votes (with a public reason) and to undo a void. Plain
//! forms posting to /admin/campaigns/{slug}/fraud.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner};
use crate::voting::api::{load_admin_campaigns, load_fraud_report, FraudReport, SaveExpertScores, UndoVoid, VoidVotes};

/// The campaigns an official can open the anti-fraud view of.
#[component]
pub fn CampaignsAdminPage() -> impl IntoView {
    let campaigns = Resource::new(|| (), |_| load_admin_campaigns());
    view! {
        <Title text="投票活动"/>
        <section class="card">
            <h1>"投票活动"</h1>
            <p class="muted">"查看投票异常（突增、同一网络地址多账号、夜间集中投票），作废刷票选票并公示原因。"</p>
            <p class="actions"><a href="/admin/campaigns/new">"新建投票活动 ›"</a></p>
            <Loading>
                {move || Suspend::new(async move {
                    match campaigns.await {
                        Ok(list) => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|c| view! {
                                    <li>
                                        <p>{format!("{}（{}）", c.title, c.phase)}</p>
                                        <p class="actions">
                                            <a href=format!("/admin/campaigns/{}/candidates", c.slug)>"候选人 ›"</a>
                                            <a href=format!("/admin/campaigns/{}/fraud", c.slug)>"防刷票 ›"</a>
                                            <a href=format!("/admin/campaigns/{}/results", c.slug)>"结果与专家评分 ›"</a>
                                        </p>
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
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}

#[component]
pub fn FraudPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("campaign").unwrap_or_default();
    let report = Resource::new(slug, load_fraud_report);
    let posted = use_posted_form();
    view! {
        <Title text="防刷票"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match report.await {
                    Ok((card, report)) => {
                        let slug = card.slug.clone();
                        view! {
                            <section class="card">
                                <h1>"防刷票"</h1>
                                <p>{card.title}</p>
                                <p class="muted">"近 24 小时的异常信号。同一网络地址可能是单位的共享网络，请核实后再作废。作废原因会在投票页公示，可随时撤销。"</p>
                                <FormBanner posted/>
                            </section>
                            <Signals report slug/>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <section class="card"><h1>"防刷票"</h1><p class="error" role="alert">{error.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin/campaigns">"返回投票活动"</A></p>
    }
}

/// A void form: which votes (`how`, `value`), a reason, a button.
#[component]
fn VoidForm(slug: String, how: &'static str, value: String, label: String) -> impl IntoView {
    let id = format!("reason-{how}-{}", value.replace(['.', ':', '-'], "_"));
    view! {
        <form method="post" action={action::<VoidVotes>()} class="form void-form">
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="how" value=how/>
            <input type="hidden" name="value" value=value/>
            <label for=id.clone()>"作废原因（公开）"</label>
            <input id=id name="reason" maxlength="200" required=true/>
            <button type="submit" class="secondary">{label}</button>
        </form>
    }
}

#[component]
fn Signals(report: FraudReport, slug: String) -> impl IntoView {
    let FraudReport { bursts, addresses, night, voids } = report;
    let a = slug.clone();
    let b = slug.clone();
    let c = slug.clone();
    view! {
        <section class="card" aria-labelledby="bursts-heading">
            <h2 id="bursts-heading">"票数突增"</h2>
            {bursts.is_empty().then(|| view! { <p class="muted">"没有发现。"</p> })}
            {bursts.into_iter().map(|x| view! {
                <div class="signal">
                    <p>{format!("{:02} 号 {}：{} 一分钟内 {} 票（平时每分钟约 {} 票）", x.number, x.name, x.at, x.votes, x.baseline)}</p>
                    <VoidForm slug=a.clone() how="range" value=format!("{}-{}", x.minute_start, x.minute_start + 60) label="作废这一分钟的选票".to_owned()/>
                </div>
            }).collect_view()}
        </section>
        <section class="card" aria-labelledby="addresses-heading">
            <h2 id="addresses-heading">"同一网络地址多账号"</h2>
            {addresses.is_empty().then(|| view! { <p class="muted">"没有发现。"</p> })}
            {addresses.into_iter().map(|x| view! {
                <div class="signal">
                    <p>{format!("{}：{} 个账号投了 {} 票", x.ip, x.accounts, x.votes)}</p>
                    <ul class="plain-list">
                        {x.members.into_iter().map(|(id, phone, votes)| view! {
                            <li>
                                {format!("{phone}：{votes} 票")}
                                <VoidForm slug=b.clone() how="member" value=id.to_string() label="作废此账号的选票".to_owned()/>
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </section>
        <section class="card" aria-labelledby="night-heading">
            <h2 id="night-heading">"夜间集中投票"</h2>
            {night.is_empty().then(|| view! { <p class="muted">"没有发现。"</p> })}
            {night.into_iter().map(|x| view! {
                <div class="signal">
                    <p>{format!("{:02} 号 {}：{} 票中 {} 票投于 0–6 点", x.number, x.name, x.votes, x.night_votes)}</p>
                    <VoidForm slug=c.clone() how="candidate" value=x.candidate_id.to_string() label="作废该候选人的全部得票".to_owned()/>
                </div>
            }).collect_view()}
        </section>
        <section class="card" aria-labelledby="voids-heading">
            <h2 id="voids-heading">"作废记录"</h2>
            {voids.is_empty().then(|| view! { <p class="muted">"还没有作废过选票。"</p> })}
            <ul class="plain-list">
                {voids.into_iter().map(|v| view! {
                    <li class:undone=v.undone>
                        <p>{format!("{}：{}（{} 票）— {}", v.at, v.what, v.votes, v.reason)}</p>
                        {if v.undone {
                            view! { <p class="muted">"已撤销"</p> }.into_any()
                        } else {
                            view! {
                                <form method="post" action={action::<UndoVoid>()} class="inline-form">
                                    <input type="hidden" name="slug" value=slug.clone()/>
                                    <input type="hidden" name="id" value=v.id.to_string()/>
                                    <button type="submit" class="link-button">"撤销作废"</button>
                                </form>
                            }
                            .into_any()
                        }}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// 结果与专家评分: the results ranked by final score, the panel's scores as
/// one form, and the CSV export.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("campaign").unwrap_or_default();
    let results = Resource::new(slug, crate::voting::api::load_results);
    let posted = use_posted_form();
    view! {
        <Title text="投票结果"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match results.await {
                    Ok((card, weight, rows)) => {
                        let csv = format!("/admin/campaigns/{}/results.csv", card.slug);
                        let slug = card.slug.clone();
                        view! {
                            <section class="card">
                                <h1>"投票结果"</h1>
                                <p>{card.title}</p>
                                <p class="muted">{format!(
                                    "综合得分 = 专家评分 × {weight}% + 网络得票（以最高票为 100 分）× {}%。网络票数已除去作废选票。",
                                    100 - weight
                                )}</p>
                                <p class="actions"><a href=csv download="">"导出 CSV"</a></p>
                                <FormBanner posted/>
                            </section>
                            <form method="post" action={action::<SaveExpertScores>()} class="card">
                                <input type="hidden" name="slug" value=slug/>
                                <div class="table-scroll">
                                    <table class="numbers">
                                        <thead><tr>
                                            <th scope="col">"排名"</th><th scope="col">"候选人"</th><th scope="col">"票数"</th>
                                            <th scope="col">"专家评分"</th><th scope="col">"综合"</th>
                                        </tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|r| {
                                                // Sent as scores[7]=90; the service names its field score_7.
                                                let field = format!("scores[{}]", r.number);
                                                let typed = form.values.iter().any(|(n, _)| *n == field);
                                                let value = if typed { form.value(&field) } else { r.expert_score.map(|s| s.to_string()).unwrap_or_default() };
                                                let invalid = form.error_for(&format!("score_{}", r.number)).is_some();
                                                view! {
                                                    <tr>
                                                        <td>{r.rank}</td>
                                                        <th scope="row">{format!("{:02} 号 {}", r.number, r.name)}</th>
                                                        <td>{r.votes}</td>
                                                        <td>
                                                            <input class="score" name=field.clone() value=value inputmode="numeric" maxlength="3"
                                                                aria-label=format!("{:02} 号专家评分", r.number) aria-invalid=if invalid { "true" } else { "false" }/>
                                                        </td>
                                                        <td>{r.final_text()}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <button type="submit" class="primary wide">"保存专家评分"</button>
                            </form>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <section class="card"><h1>"投票结果"</h1><p class="error" role="alert">{error.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin/campaigns">"返回投票活动"</A></p>
    }
}
