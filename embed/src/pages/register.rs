//! 注册会员: phone, SMS code, name, password and grassroots unit through
//! `/api/auth/register`; registering gives no token, so the bundle signs in
//! with the new password right after.

use leptos::prelude::*;
use serde_json::json;

use crate::api::{self, ApiError};
use crate::route::href;
use crate::session::use_session;
use crate::types::{UnitDirectory, UnitNode};
use crate::ui::{Field, FormBanner, Notice};

const FIELDS: &[&str] = &["phone", "code", "name", "password", "unit"];

#[component]
pub fn RegisterPage() -> impl IntoView {
    let session = use_session();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let units = LocalResource::new(|| api::get::<UnitDirectory>("units", &[]));
    let send_code = move |_| crate::ui::send_code("auth/register-code", phone, busy, notice, error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let phone = phone.get_untracked().trim().to_owned();
            let (password, code, name, unit) =
                (password.get_untracked(), code.get_untracked(), name.get_untracked(), unit.get_untracked());
            let fields = [
                ("phone", phone.as_str()),
                ("code", code.trim()),
                ("name", name.trim()),
                ("password", password.as_str()),
                ("unit", unit.as_str()),
            ];
            let registered = api::post_form::<serde_json::Value>("auth/register", &fields).await;
            let signed_in = match registered {
                Ok(_) => session.open(json!({ "phone": phone, "password": password })).await,
                Err(e) => Err(e),
            };
            if let Err(e) = signed_in {
                error.set(Some(e));
            }
            busy.set(false);
        });
    };
    let unit_message = move || error.with(|e| e.as_ref().and_then(|e| e.message_for("unit")));
    view! {
        <section class="card">
            <h1>"注册会员"</h1>
            <Notice notice/>
            <FormBanner error fields=FIELDS/>
            <form class="form" novalidate on:submit=submit>
                <Field label="手机号" name="phone" value=phone error input_type="tel" autocomplete="tel" inputmode="numeric"/>
                <button type="button" class="secondary" disabled=move || busy.get() on:click=send_code>"获取验证码"</button>
                <Field label="验证码" name="code" value=code error autocomplete="one-time-code" inputmode="numeric"/>
                <Field label="姓名" name="name" value=name error autocomplete="name"/>
                <Field label="密码" name="password" value=password error input_type="password" autocomplete="new-password"
                    hint="至少 8 位"/>
                <div class="field" class:has-error=move || unit_message().is_some()>
                    <label for="f-unit">"所在工会"</label>
                    <select id="f-unit" name="unit" aria-describedby="f-unit-message"
                        on:change=move |ev| unit.set(event_target_value(&ev))>
                        <option value="">"请选择您所在的基层工会"</option>
                        {move || units.get().map(|answer| match answer {
                            Ok(directory) => grassroots_groups(&directory.tree)
                                .into_iter()
                                .map(|(label, units)| view! {
                                    <optgroup label=label>
                                        {units.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                                    </optgroup>
                                })
                                .collect_view()
                                .into_any(),
                            Err(_) => ().into_any(),
                        })}
                    </select>
                    <p class="field-message" id="f-unit-message">
                        {move || unit_message().unwrap_or_else(|| "按上级工会分组列出".to_owned())}
                    </p>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>"注册并登录"</button>
            </form>
        </section>
        <p class="below-card">"已有账号？" <a href=href("/login")>"登录"</a></p>
    }
}

/// The units a member can belong to (the leaves), grouped under their
/// parent's path, as the portal's register page lists them.
fn grassroots_groups(tree: &[UnitNode]) -> Vec<(String, Vec<(String, String)>)> {
    fn collect(node: &UnitNode, path: &str, groups: &mut Vec<(String, Vec<(String, String)>)>) {
        let label = if path.is_empty() { node.name.clone() } else { format!("{path} · {}", node.name) };
        let leaves: Vec<(String, String)> =
            node.children.iter().filter(|c| c.children.is_empty()).map(|c| (c.code.clone(), c.name.clone())).collect();
        if !leaves.is_empty() {
            groups.push((label, leaves));
        }
        for child in node.children.iter().filter(|c| !c.children.is_empty()) {
            collect(child, &node.name, groups);
        }
    }
    let mut groups = Vec::new();
    for node in tree {
        collect(node, "", &mut groups);
    }
    groups
}
