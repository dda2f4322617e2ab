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

    /// Whether this is the outcome of posting to `action` (an `/api/…`
    /// address, as `action::<F>()` gives it).
    pub fn posted_to(&self, action: &str) -> bool {
        self.action == action.split('?').next().unwrap_or_default()
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

/// A path on this site, safe to send a browser to: never `//other.host` or
/// `/\\other.host` (browsers read both as another host), printable ASCII as
/// a `Location` header needs, at most 400 characters. Sign-in's `next` and
/// the form handler's pages both go through it.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 400
        && path.chars().all(|c| c.is_ascii_graphic())
}

/// The address a form posts to: server function `F`'s path under `/api/`,
/// with the page the form is on (`?page=/register`). Forms name their server
/// function's type, so each form has its API twin by construction (and a
/// renamed function cannot leave a form behind).
///
/// The page goes along because a form's outcome is shown at the function's
/// address (that is where the browser posted): a second post from there
/// would otherwise name `/api/…` as its Referer, not a page. On the server
/// the page is the address being rendered (for a re-rendered outcome, the
/// form's page again); in the browser (islands) it is left out, and the
/// Referer serves.
pub fn action<F: leptos::server_fn::ServerFn>() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        let page = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("page", page).finish();
        return format!("{}?{query}", F::PATH);
    }
    F::PATH.to_owned()
}

/// `value` percent-encoded for a query string.
pub fn url_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The browser-side check a field runs when the member leaves it: the same
/// `domain` parser the server runs, so both sides say the same thing.
/// An enum, not a function, because it travels to the browser as an
/// island's prop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    Phone,
    Code,
    Name,
    IdNumber,
    Password,
}

impl Check {
    /// The message for what was typed, if it is wrong.
    pub fn run(self, raw: &str) -> Result<(), String> {
        match self {
            Self::Phone => checks::phone(raw),
            Self::Code => checks::code(raw),
            Self::Name => checks::name(raw),
            Self::IdNumber => checks::id_number(raw),
            Self::Password => checks::password(raw),
        }
    }
}

/// A labelled input with its message below it. With a `check`, it is an
/// island: once its WASM has loaded it checks itself when the member leaves
/// it (the server checks again on submit whatever the browser did). Without
/// one it is plain HTML, so pages whose fields have no check — the
/// officials' forms — load no WASM at all.
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
    #[prop(optional)] check: Option<Check>,
    /// Keeps element ids unique when two forms on one page share field names.
    #[prop(optional)]
    id_prefix: &'static str,
) -> impl IntoView {
    let input = FieldInput {
        label: label.to_owned(),
        name: name.to_owned(),
        input_type: input_type.to_owned(),
        value,
        error,
        autocomplete: autocomplete.to_owned(),
        inputmode: inputmode.to_owned(),
        maxlength,
        placeholder: placeholder.to_owned(),
        hint: hint.to_owned(),
        id: format!("f-{id_prefix}{name}"),
    };
    match check {
        Some(check) => view! { <CheckedField input check/> }.into_any(),
        None => field_view(input, None).into_any(),
    }
}

/// What a field shows; serialisable, as the island's prop.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldInput {
    pub label: String,
    pub name: String,
    pub input_type: String,
    pub value: String,
    pub error: Option<String>,
    pub autocomplete: String,
    pub inputmode: String,
    pub maxlength: Option<u32>,
    pub placeholder: String,
    pub hint: String,
    pub id: String,
}

/// A field that checks itself in the browser (an island).
#[island]
fn CheckedField(input: FieldInput, check: Check) -> impl IntoView {
    field_view(input, Some(check))
}

fn field_view(input: FieldInput, check: Option<Check>) -> impl IntoView {
    let FieldInput { label, name, input_type, value, error, autocomplete, inputmode, maxlength, placeholder, hint, id } =
        input;
    let message = RwSignal::new(error);
    let message_id = format!("{id}-message");
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(check) = check {
            message.set(check.run(&event_target_value(&ev)).err());
        }
    };
    let on_input = move |_| {
        if message.with_untracked(Option::is_some) {
            message.set(None);
        }
    };
    let some = |text: String| (!text.is_empty()).then_some(text);
    view! {
        <div class="field" class:has-error=move || message.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <div class="field-row">
                <input
                    id=id
                    name=name
                    type=input_type
                    value=value
                    autocomplete=some(autocomplete)
                    inputmode=some(inputmode)
                    maxlength=maxlength
                    placeholder=some(placeholder)
                    aria-invalid=move || if message.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=message_id.clone()
                    on:change=on_change
                    on:input=on_input
                />
            </div>
            <p class="field-message" id=message_id aria-live="polite">
                {move || message.get().unwrap_or_else(|| hint.clone())}
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

/// The `unit` select of an official's form: the units in their reach
/// (code, name), `chosen` selected.
#[component]
pub fn UnitSelect(units: Vec<(String, String)>, id: &'static str, chosen: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>"单位"</label>
            <select id=id name="unit">
                {units.into_iter().map(|(code, name)| {
                    let selected = code == chosen;
                    view! { <option value=code selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </div>
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
pub fn CsvUploadForm(action: String, label: &'static str) -> impl IntoView {
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

/// The checks behind `Check`.
mod checks {
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
