//! Officials' figures: the quarterly 通报 (/admin/newsroom, with a printable
//! A4 page and a CSV), the 稿酬 ledger and rate table
//! (/admin/newsroom/ledger) and calls for stories (/admin/newsroom/calls).
//! Unit and quarter are picked with a plain GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::newsroom::api::{
    load_calls, load_ledger, load_quarter_report, CreateStoryCall, FigureLine, QuarterReport, SetPaymentRate, KINDS,
    LEVELS,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, TextArea};

fn picked() -> impl Fn() -> (Option<String>, Option<String>) + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        (q.get("unit"), q.get("quarter"))
    }
}

fn query_string(unit: &str, quarter: &str) -> String {
    format!("unit={}&quarter={quarter}", crate::ui::forms::url_encode(unit))
}

/// The unit and quarter picker (GET: the page is bookmarkable).
#[component]
fn Picker(report_path: &'static str, unit: String, quarter: String, reach: Vec<(String, String)>) -> impl IntoView {
    view! {
        <form method="get" action=report_path class="form picker-form">
            <div class="field">
                <label for="f-unit">"单位（含下级）"</label>
                <select id="f-unit" name="unit">
                    {reach.into_iter().map(|(code, name)| {
                        let selected = code == unit;
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Field label="季度" name="quarter" value=quarter maxlength=7 hint="例如 2026Q4"/>
            <button type="submit" class="secondary">"查看"</button>
        </form>
    }
}

fn figure_cells(line: &FigureLine) -> impl IntoView {
    view! {
        <td>{line.submitted}</td>
        <td>{line.late}</td>
        <td>{line.adopted_own}</td>
        <td>{line.adopted_parent}</td>
        <td>{line.adopted_outside}</td>
        <td>{line.held}</td>
        <td>{line.rejected}</td>
        <td>{line.reported_up}</td>
        <td>{line.pay.clone()}</td>
    }
}

/// The 通报's tables (shared by the page and its print version).
#[component]
fn ReportTables(report: QuarterReport) -> impl IntoView {
    let head = || {
        view! {
            <th>"报送"</th><th>"迟报"</th><th>"本级采用"</th><th>"上级采用"</th><th>"外媒采用"</th>
            <th>"待用"</th><th>"退稿"</th><th>"报送上级"</th><th>"稿酬（元）"</th>
        }
    };
    view! {
        <h2>"各单位"</h2>
        <div class="table-scroll">
            <table class="figures">
                <thead><tr><th>"单位"</th>{head()}</tr></thead>
                <tbody>
                    {report.units.iter().map(|l| view! { <tr><th scope="row">{l.name.clone()}</th>{figure_cells(l)}</tr> }).collect_view()}
                    <tr class="total"><th scope="row">"合计"</th>{figure_cells(&report.total)}</tr>
                </tbody>
            </table>
        </div>
        <h2>"信息员"</h2>
        {report.people.is_empty().then(|| view! { <p class="muted">"本季度还没有稿件。"</p> })}
        <div class="table-scroll">
            <table class="figures">
                <thead><tr><th>"信息员"</th><th>"单位"</th>{head()}</tr></thead>
                <tbody>
                    {report.people.iter().map(|l| view! {
                        <tr><th scope="row">{l.name.clone()}</th><td>{l.unit_name.clone()}</td>{figure_cells(l)}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>{format!("{}年度优秀信息员（按采用篇数）", &report.quarter[..4])}</h2>
        {report.best.is_empty().then(|| view! { <p class="muted">"今年还没有采用的稿件。"</p> })}
        <ol class="ranking">
            {report.best.iter().map(|b| view! { <li>{format!("{} · {} · 采用 {} 篇", b.name, b.unit_name, b.adopted)}</li> }).collect_view()}
        </ol>
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let picked = picked();
    let report = Resource::new(picked, |(unit, quarter)| load_quarter_report(unit, quarter));
    view! {
        <Title text="信息工作通报"/>
        <h1 class="page-title">"信息工作通报"</h1>
        <Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => {
                        let query = query_string(&report.unit_code, &report.quarter);
                        view! {
                            <section class="card">
                                <Picker report_path="/admin/newsroom" unit=report.unit_code.clone() quarter=report.quarter.clone() reach=report.reach.clone()/>
                                <p class="muted">{format!("{} · {}", report.unit_name, report.quarter_label)}</p>
                                <p class="actions">
                                    <a href=format!("/admin/newsroom?{}", query_string(&report.unit_code, &report.previous))>"‹ 上一季度"</a>
                                    {report.next.clone().map(|n| view! { " " <a href=format!("/admin/newsroom?{}", query_string(&report.unit_code, &n))>"下一季度 ›"</a> })}
                                </p>
                                <p class="actions">
                                    <a href=format!("/admin/newsroom/report.csv?{query}") download="">"导出 CSV"</a>
                                    " "
                                    <a href=format!("/admin/newsroom/print?{query}")>"打印版"</a>
                                    " "
                                    <a href=format!("/admin/newsroom/ledger?{query}")>"稿酬"</a>
                                    " "
                                    <A href="/admin/newsroom/calls">"征稿"</A>
                                </p>
                            </section>
                            <section class="card"><ReportTables report/></section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin">"返回管理"</A></p>
    }
}

/// The 通报 for paper: A4, the union's name and the quarter as the title,
/// nothing of the site around it (print styles hide the header and tabs).
#[component]
pub fn ReportPrintPage() -> impl IntoView {
    let picked = picked();
    let report = Resource::new(picked, |(unit, quarter)| load_quarter_report(unit, quarter));
    view! {
        <Title text="信息工作通报（打印）"/>
        <Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! {
                        <article class="print-sheet">
                            <h1>{format!("{}{}信息工作通报", report.unit_name, report.quarter_label)}</h1>
                            <ReportTables report/>
                        </article>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn LedgerPage() -> impl IntoView {
    let picked = picked();
    let ledger = Resource::new(picked, |(unit, quarter)| load_ledger(unit, quarter));
    let posted = use_posted_form();
    view! {
        <Title text="稿酬"/>
        <h1 class="page-title">"稿酬"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match ledger.await {
                    Ok(ledger) => {
                        let query = query_string(&ledger.unit_code, &ledger.quarter);
                        let kind = form.value("kind");
                        let level = form.value("level");
                        view! {
                            <FormBanner posted/>
                            <section class="card">
                                <p>{format!("{} · {}", ledger.unit_name, ledger.quarter_label)}</p>
                                <p class="actions"><a href=format!("/admin/newsroom/ledger.csv?{query}") download="">"导出稿酬明细 CSV"</a></p>
                                <div class="table-scroll">
                                    <table class="figures">
                                        <thead><tr>
                                            {crate::newsroom::api::LEDGER_COLUMNS.iter().map(|h| view! { <th>{*h}</th> }).collect_view()}
                                        </tr></thead>
                                        <tbody>
                                            {ledger.rows.iter().map(|row| {
                                                let total = row.get(2).is_some_and(|c| c == "小计") || row.first().is_some_and(|c| c == "合计");
                                                view! { <tr class:total=total>{row.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                            <section class="card">
                                <h2>"稿酬标准（本单位）"</h2>
                                {ledger.rates.is_empty().then(|| view! { <p class="muted">"本单位还没有设置，按上级单位的标准计算；都没有则为 0。"</p> })}
                                <ul class="plain-list">
                                    {ledger.rates.iter().map(|r| view! { <li>{format!("{} · {} · {} 元", r.kind_label, r.level_label, r.yuan)}</li> }).collect_view()}
                                </ul>
                                <form method="post" action={action::<SetPaymentRate>()} class="form" novalidate>
                                    <input type="hidden" name="unit" value=ledger.unit_code.clone()/>
                                    <div class="field" class:has-error=form.error_for("kind").is_some()>
                                        <label for="f-kind">"稿件类型"</label>
                                        <select id="f-kind" name="kind">
                                            {KINDS.iter().map(|(k, l)| view! { <option value=*k selected=kind == *k>{*l}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field" class:has-error=form.error_for("level").is_some()>
                                        <label for="f-level">"采用级别"</label>
                                        <select id="f-level" name="level">
                                            {LEVELS.iter().map(|(k, l)| view! { <option value=*k selected=level == *k>{*l}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <Field label="金额（元）" name="amount" inputmode="decimal" maxlength=10 value=form.value("amount") error=form.error_for("amount") hint="已采用的稿件按当时的标准计算，改动不影响"/>
                                    <button type="submit" class="primary">"保存标准"</button>
                                </form>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin/newsroom">"返回通报"</A></p>
    }
}

#[component]
pub fn CallsPage() -> impl IntoView {
    let calls = Resource::new(|| (), |_| load_calls());
    let report = Resource::new(|| (), |_| load_quarter_report(None, None));
    let posted = use_posted_form();
    view! {
        <Title text="征稿"/>
        <h1 class="page-title">"征稿"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                let reach = report.await.map(|r| r.reach).unwrap_or_default();
                let calls = calls.await.unwrap_or_default();
                view! {
                    <section class="card">
                        <FormBanner posted/>
                        <form method="post" action={action::<CreateStoryCall>()} class="form" novalidate>
                            <div class="field">
                                <label for="f-unit">"发布单位"</label>
                                <select id="f-unit" name="unit">
                                    {reach.iter().map(|(c, n)| view! { <option value=c.clone()>{n.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <Field label="征稿主题" name="topic" maxlength=60 value=form.value("topic") error=form.error_for("topic") hint="例如：防汛一线的工会人"/>
                            <div class="field" class:has-error=form.error_for("details").is_some()>
                                <label for="f-details">"征稿说明（可不填）"</label>
                                <TextArea id="f-details".to_owned() name="details" rows=3 maxlength=1000 value=form.value("details")/>
                                <p class="field-message">{form.error_for("details").unwrap_or_default()}</p>
                            </div>
                            <Field label="截止日期" name="deadline" input_type="date" value=form.value("deadline") error=form.error_for("deadline")/>
                            <fieldset class="field picker">
                                <legend>"面向单位（不选则面向发布单位及全部下级）"</legend>
                                <ul class="unit-picker">
                                    {reach.iter().map(|(c, n)| view! {
                                        <li><label><input type="checkbox" name="targets[]" value=c.clone()/>{n.clone()}</label></li>
                                    }).collect_view()}
                                </ul>
                            </fieldset>
                            <button type="submit" class="primary wide">"发布征稿"</button>
                        </form>
                    </section>
                    {calls.into_iter().map(|(call, targets)| {
                        let answered = targets.iter().filter(|t| t.answers > 0).count();
                        view! {
                            <section class="card" id=format!("call-{}", call.id)>
                                <h2>{call.topic.clone()}</h2>
                                <p class="muted">{format!("{} · 截止 {} · {} / {} 个单位已投稿", call.unit_name, call.deadline, answered, targets.len())}</p>
                                <ul class="plain-list">
                                    {targets.into_iter().map(|t| view! {
                                        <li class:muted=t.answers == 0>{if t.answers > 0 { format!("{} · 已投稿 {} 篇", t.unit_name, t.answers) } else { format!("{} · 未投稿", t.unit_name) }}</li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }
                    }).collect_view()}
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin/newsroom">"返回通报"</A></p>
    }
}
