//! The shell (header, bottom tab bar) and the form pieces, in the markup
//! and class names of the server-rendered portal (app/src/ui), so
//! style/gonghui.css dresses both alike.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::route::{href, Route};
use crate::types::UnionProfile;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let name = LocalResource::new(|| async {
        api::get::<UnionProfile>("union", &[]).await.map(|p| p.name).unwrap_or_else(|_| "工会会员服务".to_owned())
    });
    view! {
        <header class="site-header">
            <a href=href("/") class="site-title">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <circle cx="12" cy="12" r="11" fill="currentColor" opacity="0.18"/>
                    <path d="M12 4l2.2 4.6 5 .7-3.6 3.5.9 5L12 15.4 7.5 17.8l.9-5L4.8 9.3l5-.7z" fill="currentColor"/>
                </svg>
                <span>{move || name.get().unwrap_or_else(|| "工会会员服务".to_owned())}</span>
            </a>
        </header>
    }
}

#[component]
pub fn TabBar(route: ReadSignal<Route>) -> impl IntoView {
    let current = move |tab: &'static str| move || (route.get().tab() == tab).then_some("page");
    view! {
        <nav class="tab-bar" aria-label="主导航">
            <a href=href("/") aria-current=current("home")>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z"/></svg>
                <span>"首页"</span>
            </a>
            <a href=href("/vote") aria-current=current("vote")>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 13h16v7H4zM8 13l3-9h2l3 9M9.5 9h5"/></svg>
                <span>"投票"</span>
            </a>
            <a href=href("/services") aria-current=current("services")>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h16v13H4zM9 7V4h6v3M4 12h16"/></svg>
                <span>"服务"</span>
            </a>
            <a href=href("/me") aria-current=current("me")>
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="12" cy="8" r="4"/><path d="M4 21c1-4.5 4.5-6 8-6s7 1.5 8 6"/></svg>
                <span>"我的"</span>
            </a>
        </nav>
    }
}

/// One labelled input with its message line (the portal's `Field`).
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    /// The form's last error: its message shows here when it names `name`.
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let id = format!("f-{name}");
    let message_id = format!("{id}-message");
    let message = move || error.with(|e| e.as_ref().and_then(|e| e.message_for(name)));
    let some = |text: &'static str| (!text.is_empty()).then_some(text);
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <div class="field-row">
                <input
                    id=id
                    name=name
                    type=input_type
                    autocomplete=some(autocomplete)
                    inputmode=some(inputmode)
                    aria-invalid=move || if message().is_some() { "true" } else { "false" }
                    aria-describedby=message_id.clone()
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        // Typing again clears this field's message.
                        if error.with_untracked(|e| e.as_ref().is_some_and(|e| e.message_for(name).is_some())) {
                            error.set(None);
                        }
                    }
                />
            </div>
            <p class="field-message" id=message_id aria-live="polite">{move || message().unwrap_or_else(|| hint.to_owned())}</p>
        </div>
    }
}

/// The form's error not tied to one of `fields`, above the form.
#[component]
pub fn FormBanner(error: RwSignal<Option<ApiError>>, fields: &'static [&'static str]) -> impl IntoView {
    move || {
        error.with(|e| e.as_ref().and_then(|e| e.general_message(fields))).map(|message| {
            view! { <p class="banner banner-error" role="alert">{message}</p> }
        })
    }
}

/// A notice (role=status) when there is one.
#[component]
pub fn Notice(notice: RwSignal<Option<String>>) -> impl IntoView {
    move || notice.get().map(|n| view! { <p class="banner banner-notice" role="status">{n}</p> })
}

/// A loaded page's error, as the portal shows one.
pub fn error_card(error: &ApiError) -> AnyView {
    view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any()
}

pub fn loading() -> AnyView {
    view! { <p class="muted">"正在加载…"</p> }.into_any()
}

/// Asks `endpoint` (`auth/register-code`, `auth/login-code`) to text a code
/// to `phone`: the server's notice on success, its error otherwise; `busy`
/// while the request runs. Shared by registration and SMS sign-in.
pub fn send_code(
    endpoint: &'static str,
    phone: RwSignal<String>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
) {
    busy.set(true);
    leptos::task::spawn_local(async move {
        match api::post_form::<crate::types::CodeSent>(endpoint, &[("phone", phone.get_untracked().trim())]).await {
            Ok(sent) => {
                notice.set(Some(sent.notice));
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
        busy.set(false);
    });
}
