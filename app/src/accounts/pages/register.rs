//! 注册: phone → SMS code → name, password, unit → signed in.
//!
//! Two stages on one address, each a form with exactly one submit button (so
//! Enter always does the obvious thing): first the phone (and the unit, which
//! an invite link fills in), then the code and the rest. See `forms.rs` for
//! how posting works with and without JavaScript.

use domain::UnitNode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::accounts::api::{Register, SendRegisterCode};
use crate::home::api::load_unit_directory;
use crate::ui::forms::{action, checks, use_posted_form, Field, FormBanner, PostedForm};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let posted = use_posted_form();
    let query = use_query_map();
    let directory = Resource::new(|| (), |_| load_unit_directory(None));
    view! {
        <Title text="注册"/>
        <section class="card">
            <h1>"注册会员"</h1>
            <Suspense fallback=|| view! { <p class="muted">"正在加载…"</p> }>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    let tree = directory.await.map(|d| d.tree).unwrap_or_default();
                    let invited_unit = query.read_untracked().get("unit").unwrap_or_default();
                    view! { <RegisterForms posted tree invited_unit/> }
                })}
            </Suspense>
        </section>
        <p class="below-card">"已有账号？" <A href="/login">"直接登录"</A></p>
    }
}

#[component]
fn RegisterForms(posted: Option<PostedForm>, tree: Vec<UnitNode>, invited_unit: String) -> impl IntoView {
    let form = posted.clone().unwrap_or_default();
    // The second stage shows once a code was sent, and stays while the
    // member corrects the rest of the form.
    let code_stage =
        form.notice.is_some() || (form.posted_to(action::<Register>()) && form.error_for("phone").is_none());
    let unit = Some(form.value("unit")).filter(|u| !u.is_empty()).unwrap_or(invited_unit);
    let unit_error = form.error_for("unit");
    let phone = form.value("phone");
    if !code_stage {
        return view! {
            <FormBanner posted/>
            <form method="post" action={action::<SendRegisterCode>()} class="form" novalidate>
                <Field label="手机号" name="phone" input_type="tel" autocomplete="tel" inputmode="numeric"
                    maxlength=20 value=phone error=form.error_for("phone")
                    check=checks::phone hint="用于登录和接收验证码"/>
                <UnitPicker tree selected=unit error=unit_error/>
                <button type="submit" class="primary">"获取验证码"</button>
            </form>
        }
        .into_any();
    }
    view! {
        <FormBanner posted/>
        <form method="post" action={action::<Register>()} class="form" novalidate>
            <Field label="手机号" name="phone" input_type="tel" autocomplete="tel" inputmode="numeric"
                maxlength=20 value=phone.clone() error=form.error_for("phone")
                check=checks::phone/>
            <Field label="短信验证码" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength=8
                value=form.value("code") error=form.error_for("code")
                check=checks::code hint="6 位数字，5 分钟内有效"/>
            <Field label="姓名" name="name" autocomplete="name" maxlength=20 value=form.value("name")
                error=form.error_for("name") check=checks::name
                hint="请填写真实姓名，实名认证时需与会员名册一致"/>
            <Field label="设置密码" name="password" input_type="password" autocomplete="new-password" maxlength=64
                error=form.error_for("password") check=checks::password
                hint="至少 8 位，不要用生日、手机号或连续数字"/>
            <UnitPicker tree selected=unit.clone() error=unit_error/>
            <button type="submit" class="primary">"注册"</button>
        </form>
        <form method="post" action={action::<SendRegisterCode>()} class="form-inline">
            <input type="hidden" name="phone" value=phone/>
            <input type="hidden" name="unit" value=unit/>
            <span class="muted">"没有收到验证码？"</span>
            <button type="submit" class="link-button">"重新获取"</button>
        </form>
    }
    .into_any()
}

/// The member's grassroots union: a native `<select>` grouped by the county
/// (or city) above it — it works in every webview, with or without JavaScript.
#[component]
fn UnitPicker(tree: Vec<UnitNode>, selected: String, error: Option<String>) -> impl IntoView {
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    fn collect(node: &UnitNode, path: &str, groups: &mut Vec<(String, Vec<(String, String)>)>) {
        let label = if path.is_empty() { node.name.clone() } else { format!("{path} · {}", node.name) };
        let leaves: Vec<(String, String)> =
            node.children.iter().filter(|c| c.children.is_empty()).map(|c| (c.code.clone(), c.name.clone())).collect();
        if !leaves.is_empty() {
            groups.push((label.clone(), leaves));
        }
        for child in node.children.iter().filter(|c| !c.children.is_empty()) {
            collect(child, &node.name, groups);
        }
    }
    for node in &tree {
        collect(node, "", &mut groups);
    }
    let has_error = error.is_some();
    // Once hydrated, a search box above the list hides the units whose name
    // does not contain what was typed (a province has thousands). Without
    // JavaScript the box stays hidden (CSS `.js-only`) and the grouped list
    // works as it is.
    let filter = RwSignal::new(String::new());
    let shows = move |name: &str| {
        let typed = filter.read();
        let typed = typed.trim();
        typed.is_empty() || name.contains(typed)
    };
    view! {
        <div class="field" class:has-error=has_error>
            <label for="f-unit">"所在工会"</label>
            <input
                type="search"
                class="js-only unit-filter"
                placeholder="输入名称查找工会"
                aria-label="查找工会"
                aria-controls="f-unit"
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <select id="f-unit" name="unit" aria-invalid=if has_error { "true" } else { "false" } aria-describedby="f-unit-message">
                <option value="">"请选择您所在的基层工会"</option>
                {groups
                    .into_iter()
                    .map(|(label, units)| {
                        let selected = selected.clone();
                        let names: Vec<String> = units.iter().map(|(_, name)| name.clone()).collect();
                        let group_hidden = move || !names.iter().any(|n| shows(n));
                        view! {
                            <optgroup label=label hidden=group_hidden>
                                {units
                                    .into_iter()
                                    .map(|(code, name)| {
                                        let is_selected = code == selected;
                                        let hidden_name = name.clone();
                                        view! {
                                            <option value=code selected=is_selected hidden=move || !shows(&hidden_name)>
                                                {name}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </optgroup>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-message" id="f-unit-message">{error.unwrap_or_else(|| "可在列表中按单位名称查找".to_owned())}</p>
        </div>
    }
}
