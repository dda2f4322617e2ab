//! How forms work here, with and without JavaScript.
//!
//! Every form is a plain `<form method="post">` to a server function under
//! `/api/` (one per button: `formaction` where a form has two), so every
//! form has its API twin by construction. A browser's post (it asks for
//! `text/html`) goes through the server's one generic form handler
//! (server/src/form_posts.rs), which runs that server function and then
//! answers as a page: 303 to where the function says (or back to the page),
//! or the page again with what was typed, the function's notice and the
//! message next to the field, under a fitting status (400, 401, 409, 429).
//! That state reaches the page through `PostedForm` in context, and reaches
//! the hydrating browser through a blocking resource, so the hydrated page
//! matches the server's HTML exactly.
//!
//! Once hydrated, fields check themselves as the member leaves them, with the
//! same `domain` parsers the server uses, so most mistakes never need a round trip.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A form as the server received it, with the outcome to show.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedForm {
    /// The fields as typed, to fill the form again. Passwords are never kept.
    pub values: Vec<(String, String)>,
    pub error: Option<AppError>,
    /// A success message that keeps the member on the page (e.g. "code sent").
    pub notice: Option<String>,
    /// The server function's path the form was posted to
    /// (`/api/auth/register-code`): pages with several forms tell by it
    /// which one to show the outcome in.
    pub action: String,
    /// The page (path and query) this outcome is shown on. The browser's
    /// address bar still says `action`; the shell's loader puts this back
    /// in it before hydration (`history.replaceState`), so the client
    /// router sees the page, and a reload is a GET of it.
    pub page: String,
}

impl PostedForm {
    pub fn value(&self, name: &str) -> String {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn error_for(&self, field: &str) -> Option<String> {
        self.error.as_ref().and_then(|e| e.message_for(field))
    }

    /// Whether this is the outcome of posting to `action` (an `/api/…` path).
    pub fn posted_to(&self, action: &str) -> bool {
        self.action == action
    }

    pub fn general_error(&self) -> Option<String> {
        self.error.as_ref().and_then(AppError::general_message)
    }
}

/// The posted form this page is being rendered for, if any. On the server it
/// comes from context (set by the form handler); in the browser, from the
/// serialised resource; after client-side navigation it is `None`.
pub fn use_posted_form() -> Resource<Option<PostedForm>> {
    let posted = use_context::<PostedForm>();
    Resource::new_blocking(
        || (),
        move |_| {
            let posted = posted.clone();
            async move { posted }
        },
    )
}

/// The address a form posts to: server function `F`'s path under `/api/`.
/// Forms name their server function's type, so each form has its API twin
/// by construction (and a renamed function cannot leave a form behind).
pub fn action<F: leptos::server_fn::ServerFn>() -> &'static str {
    F::PATH
}

/// A field's browser-side check: the message for what was typed, if wrong.
pub type FieldCheck = fn(&str) -> Result<(), String>;

/// A labelled input with its message below it. `check` runs in the browser
/// when the member leaves the field (after hydration); the server checks
/// again on submit whatever the browser did.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] check: Option<FieldCheck>,
    /// Keeps element ids unique when two forms on one page share field names.
    #[prop(optional)]
    id_prefix: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let message = RwSignal::new(error);
    let id = format!("f-{id_prefix}{name}");
    let message_id = format!("{id}-message");
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(check) = check {
            message.set(check(&event_target_value(&ev)).err());
        }
    };
    let on_input = move |_| {
        if message.with_untracked(Option::is_some) {
            message.set(None);
        }
    };
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <div class="field-row">
                <input
                    id=id
                    name=name
                    type=input_type
                    value=value
                    autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                    inputmode=(!inputmode.is_empty()).then_some(inputmode)
                    maxlength=maxlength
                    placeholder=(!placeholder.is_empty()).then_some(placeholder)
                    aria-invalid=move || if message.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=message_id.clone()
                    on:change=on_change
                    on:input=on_input
                />
                {children.map(|c| c())}
            </div>
            <p class="field-message" id=message_id aria-live="polite">
                {move || message.get().unwrap_or_else(|| hint.to_owned())}
            </p>
        </div>
    }
}

/// The only way our views put text into a `<textarea>`. Leptos 0.8 writes a
/// textarea's children into the HTML unescaped (its raw-text elements:
/// `textarea`, `script`, `style`, `noscript`; upstream PR #4730 escaped them,
/// #4819 reverted it as it broke hydration), so `<textarea>{value}</textarea>`
/// lets a value like `</textarea><img onerror=…>` out as markup. Here the
/// text is escaped and set as the element's inner HTML, which a textarea
/// parses back as plain text (RCDATA) — on the server's page and, should the
/// client ever build it, in the browser alike; hydration leaves it alone.
/// `tests/raw_text.rs` renders every form with hostile values to keep it so.
#[component]
pub fn TextArea(
    name: &'static str,
    #[prop(optional)] value: String,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] described_by: Option<String>,
    #[prop(optional)] hidden: bool,
) -> impl IntoView {
    let escaped = html_escape::encode_text(&value).into_owned();
    view! {
        <textarea
            id=id
            name=name
            rows=rows
            maxlength=maxlength
            aria-describedby=described_by
            hidden=hidden
            aria-hidden=hidden.then_some("true")
            inner_html=escaped
        ></textarea>
    }
}

/// A message above a form: an error not tied to one field, or a notice.
#[component]
pub fn FormBanner(posted: Option<PostedForm>) -> impl IntoView {
    let posted = posted.unwrap_or_default();
    let error = posted.general_error();
    let notice = posted.notice.clone();
    view! {
        {error.map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        {notice.map(|n| view! { <p class="banner banner-notice" role="status">{n}</p> })}
    }
}

/// A CSV upload form (multipart, works without JavaScript) to a multipart
/// server function, used by the units and roster imports.
#[component]
pub fn CsvUploadForm(action: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="form">
            <div class="field">
                <label for="f-file">{label}</label>
                <input id="f-file" type="file" name="file" accept=".csv,text/csv" required=true/>
            </div>
            <button type="submit" class="secondary">"上传并检查"</button>
        </form>
    }
}

/// The browser-side checks fields run on leaving them: the same `domain`
/// parsers the server runs, so both sides say the same thing.
pub mod checks {
    pub fn phone(raw: &str) -> Result<(), String> {
        domain::Phone::parse(raw).map(|_| ()).map_err(|e| e.to_string())
    }
    pub fn code(raw: &str) -> Result<(), String> {
        domain::SmsCode::parse(raw).map(|_| ()).map_err(|e| e.to_string())
    }
    pub fn name(raw: &str) -> Result<(), String> {
        domain::MemberName::parse(raw).map(|_| ()).map_err(|e| e.to_string())
    }
    pub fn id_number(raw: &str) -> Result<(), String> {
        domain::IdNumber::parse(raw, today()).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Today in Shanghai by this device's clock (the server checks again by its own).
    fn today() -> domain::CivilDate {
        #[cfg(feature = "hydrate")]
        let now = (js_sys::Date::now() / 1000.0) as i64;
        #[cfg(not(feature = "hydrate"))]
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        domain::CivilDate::in_shanghai(now)
    }
    pub fn password(raw: &str) -> Result<(), String> {
        domain::Password::parse(raw).map(|_| ()).map_err(|e| e.to_string())
    }
}
