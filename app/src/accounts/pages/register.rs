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
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Check, Field, FormBanner, PostedForm};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let posted = use_posted_form();
    let query = use_query_map();
    let directory = Resource::new(|| (), |_| load_unit_directory(None));
    view! {
        <Title text="注册"/>
        <section class="card">
            <h1>"注册会员"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    let tree = directory.await.map(|d| d.tree).unwrap_or_default();
                    let invited_unit = query.read_untracked().get("unit").unwrap_or_default();
                    view! { <RegisterForms posted tree invited_unit/> }
                })}
            </Loading>
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
        form.notice.is_some() || (form.posted_to(&action::<Register>()) && form.error_for("phone").is_none());
    let unit = Some(form.value("unit")).filter(|u| !u.is_empty()).unwrap_or(invited_unit);
    let unit_error = form.error_for("unit");
    let phone = form.value("phone");
    if !code_stage {
        return view! {
            <FormBanner posted/>
            <form method="post" action={action::<SendRegisterCode>()} class="form" novalidate>
                <Field label="手机号" name="phone" input_type="tel" autocomplete="tel" inputmode="numeric"
                    maxlength=20 value=phone error=form.error_for("phone")
                    check=Check::Phone hint="用于登录和接收验证码"/>
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
                check=Check::Phone/>
            <Field label="短信验证码" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength=8
                value=form.value("code") error=form.error_for("code")
                check=Check::Code hint="6 位数字，5 分钟内有效"/>
            <Field label="姓名" name="name" autocomplete="name" maxlength=20 value=form.value("name")
                error=form.error_for("name") check=Check::Name
                hint="请填写真实姓名，实名认证时需与会员名册一致"/>
            <Field label="设置密码" name="password" input_type="password" autocomplete="new-password" maxlength=64
                error=form.error_for("password") check=Check::Password
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
    view! {
        <div class="field" class:has-error=has_error>
            <label for="f-unit">"所在工会"</label>
            <UnitFilter/>
            <select id="f-unit" name="unit" aria-invalid=if has_error { "true" } else { "false" } aria-describedby="f-unit-message">
                <option value="">"请选择您所在的基层工会"</option>
                {groups
                    .into_iter()
                    .map(|(label, units)| {
                        let selected = selected.clone();
                        view! {
                            <optgroup label=label>
                                {units
                                    .into_iter()
                                    .map(|(code, name)| {
                                        let is_selected = code == selected;
                                        view! { <option value=code selected=is_selected>{name}</option> }
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

/// The search box above the unit list (an island): once its WASM has loaded,
/// typing hides the units whose name does not contain the text (a province
/// has thousands), and the groups left empty. It works on the list the
/// server rendered, so the tree is not sent twice. Without JavaScript the
/// box stays hidden (CSS `.js-only`) and the grouped list works as it is.
#[island]
fn UnitFilter() -> impl IntoView {
    let on_input = move |ev: leptos::ev::Event| narrow_units(event_target_value(&ev).trim());
    view! {
        <input
            type="search"
            class="js-only unit-filter"
            placeholder="输入名称查找工会"
            aria-label="查找工会"
            aria-controls="f-unit"
            on:input=on_input
        />
    }
}

/// Hides the options of `#f-unit` that do not contain `typed`, and groups
/// with none left (browser only).
fn narrow_units(typed: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let elements = |root: &web_sys::Element, selector: &str| -> Vec<web_sys::Element> {
            let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
            (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok()).collect()
        };
        let show = |element: &web_sys::Element, shown: bool| {
            let _ = if shown { element.remove_attribute("hidden") } else { element.set_attribute("hidden", "") };
        };
        let Some(list) = document().get_element_by_id("f-unit") else { return };
        for group in elements(&list, "optgroup") {
            let mut any = false;
            for option in elements(&group, "option") {
                let shown = typed.is_empty() || option.text_content().unwrap_or_default().contains(typed);
                show(&option, shown);
                any |= shown;
            }
            show(&group, any);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = typed;
}
