//! 管理: an official's members (their subtree only), appointing officials,
//! and the audit log of what they did.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

use crate::officials::api::{load_admin_overview, AdminOverview, AppointOfficial};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm};

#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("q"), q.get("page").and_then(|p| p.parse::<i64>().ok()))
    };
    let overview = Resource::new(args, |(q, page)| load_admin_overview(q, page));
    let posted = use_posted_form();
    view! {
        <Title text="管理"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match overview.await {
                    Ok(overview) => view! { <Overview overview posted/> }.into_any(),
                    Err(error) => view! {
                        <section class="card">
                            <h1>"管理"</h1>
                            <p class="error" role="alert">{error.to_string()}</p>
                            <A href="/login" attr:class="button-link">"登录"</A>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
fn Overview(overview: AdminOverview, posted: Option<PostedForm>) -> impl IntoView {
    let form = posted.clone().unwrap_or_default();
    let AdminOverview {
        is_super_admin,
        offices,
        query,
        page,
        pages,
        total,
        members,
        units,
        audit,
        sms_failures,
        origin,
    } = overview;
    let invite_units = units.clone();
    let invite =
        use_query_map().read_untracked().get("invite").filter(|c| invite_units.iter().any(|(code, _)| code == c));
    let page_link = {
        let query = query.clone();
        move |p: i64| format!("/admin?q={}&page={p}", urlencode(&query))
    };
    let unit_error = form.error_for("unit");
    let unit_has_error = unit_error.is_some();
    let selected_unit = form.value("unit");
    view! {
        <section class="card">
            <h1>"管理"</h1>
            <p class="muted">
                {if is_super_admin {
                    "管理范围：全部单位（超级管理员）".to_owned()
                } else {
                    format!("管理范围：{}（含下级单位）", offices.join("、"))
                }}
            </p>
            <p class="actions">
                <A href="/admin/stats">"注册认证统计 ›"</A>
                <A href="/admin/certify">"认证审核 ›"</A>
                <A href="/admin/correspondents">"信息员审核 ›"</A>
                <A href="/admin/newsroom">"信息工作通报与稿酬 ›"</A>
                <A href="/admin/newsroom/calls">"征稿 ›"</A>
                <A href="/desk/review">"审核稿件与发布 ›"</A>
                <A href="/desk/inbox">"下发与报送 ›"</A>
                <A href="/desk/digest">"编发工会新声 ›"</A>
                <A href="/admin/comments">"评论审核 ›"</A>
                <A href="/admin/watchwords">"舆情监测 ›"</A>
                <A href="/admin/outward">"对外发布渠道 ›"</A>
                <A href="/rank">"实时排名 ›"</A>
                <A href="/screen">"大屏 ›"</A>
                <A href="/admin/benefits">"会员福利与合作商户 ›"</A>
                <A href="/admin/activities">"活动报名与签到 ›"</A>
                <A href="/admin/wishes">"微心愿审核与认领 ›"</A>
                <A href="/admin/lessons">"学吧课程与学习情况 ›"</A>
                <A href="/admin/mail">"来信办理与工作日历 ›"</A>
                <A href="/admin/campaigns">"投票活动与防刷票 ›"</A>
                <A href="/admin/roster">"导入会员名册 ›"</A>
                {is_super_admin.then(|| view! { <A href="/admin/units">"导入单位 ›"</A> })}
                {is_super_admin.then(|| view! { <A href="/admin/apps">"接入 App ›"</A> })}
            </p>
        </section>
        <section class="card" aria-labelledby="members-heading">
            <h2 id="members-heading">{format!("会员（共 {total} 人）")}</h2>
            <Form method="GET" action="/admin" attr:class="search" attr:role="search">
                <label for="member-q" class="visually-hidden">"按姓名或手机号搜索会员"</label>
                <input id="member-q" type="search" name="q" value=query.clone() placeholder="姓名或手机号" maxlength="20"/>
                <button type="submit">"搜索"</button>
            </Form>
            {members.is_empty().then(|| view! { <p class="muted">"没有找到会员。"</p> })}
            <ul class="member-list">
                {members
                    .into_iter()
                    .map(|m| view! {
                        <li>
                            <span class="unit-name">{m.name}</span>
                            <span class="badge">{m.phone_masked}</span>
                            <span class="unit-path">{m.unit_name} " · 注册于 " {m.registered_on}</span>
                        </li>
                    })
                    .collect_view()}
            </ul>
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label="分页">
                    {(page > 1).then(|| view! { <A href=page_link(page - 1)>"上一页"</A> })}
                    <span>{format!("第 {page} / {pages} 页")}</span>
                    {(page < pages).then(|| view! { <A href=page_link(page + 1)>"下一页"</A> })}
                </nav>
            })}
        </section>
        <section class="card" aria-labelledby="appoint-heading">
            <h2 id="appoint-heading">"任命管理员"</h2>
            <FormBanner posted/>
            <form method="post" action={action::<AppointOfficial>()} class="form" novalidate>
                <Field label="会员手机号" name="phone" input_type="tel" inputmode="numeric" maxlength=20
                    value=form.value("phone") error=form.error_for("phone")
                    hint="对方需先注册成为会员"/>
                <div class="field" class:has-error=unit_has_error>
                    <label for="f-unit">"管理单位"</label>
                    <select id="f-unit" name="unit" aria-describedby="f-unit-message">
                        <option value="">"请选择单位"</option>
                        {units
                            .into_iter()
                            .map(|(code, name)| {
                                let selected = code == selected_unit;
                                view! { <option value=code selected=selected>{name}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p class="field-message" id="f-unit-message">{unit_error.unwrap_or_else(|| "管理权限包含该单位的全部下级单位".into())}</p>
                </div>
                <button type="submit" class="primary">"任命"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="invite-heading">
            <h2 id="invite-heading">"邀请会员注册"</h2>
            <form method="get" action="/admin" class="search">
                <label for="invite-unit" class="visually-hidden">"选择单位"</label>
                <select id="invite-unit" name="invite">
                    {invite_units
                        .into_iter()
                        .map(|(code, name)| {
                            let selected = invite.as_deref() == Some(code.as_str());
                            view! { <option value=code selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit">"生成"</button>
            </form>
            {invite.map(|code| {
                let link = format!("{origin}/register?unit={code}");
                view! {
                    <figure class="invite">
                        <img src=format!("/u/{code}/qr.svg") width="240" height="240" alt="邀请注册二维码"/>
                        <figcaption>"长按二维码保存，或复制链接发到群聊："<br/><a href=link.clone()>{link.clone()}</a></figcaption>
                    </figure>
                }
            })}
        </section>
        {(!sms_failures.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="sms-heading">
                <h2 id="sms-heading">"短信验证码发送失败（近 7 天）"</h2>
                <p class="error" role="alert">"会员收不到验证码时无法注册和登录，请尽快处理。"</p>
                <ul class="member-list">
                    {sms_failures.into_iter().map(|f| view! {
                        <li>
                            <p><strong>{f.detail}</strong></p>
                            <p class="muted">{format!("{} · {} 次 · 最近一次 {}", gateway_name(&f.gateway), f.count, f.last_at)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">"操作记录"</h2>
            {audit.is_empty().then(|| view! { <p class="muted">"暂无记录。"</p> })}
            <ul class="plain-list">
                {audit
                    .into_iter()
                    .map(|a| view! {
                        <li><span class="unit-path">{format!("{} · {}", a.at, a.actor)}</span>{format!("{}：{}", a.action, a.target)}</li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The gateway's name as the officials know it.
fn gateway_name(gateway: &str) -> &str {
    match gateway {
        "aliyun" => "阿里云短信",
        "tencent" => "腾讯云短信",
        "dev" => "开发环境",
        other => other,
    }
}
