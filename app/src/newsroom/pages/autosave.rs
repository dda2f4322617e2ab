//! Autosave for the 报送单 (an island): once its WASM has loaded, every 20 s
//! it saves what changed as a draft through the same server function the
//! 保存草稿 button posts to, and gives the form the draft's id so the next
//! save — and 报送 — is that draft. Without JavaScript the button does it.

use leptos::prelude::*;

/// A Chinese correspondent types a few hundred characters a minute on a
/// phone; 20 s loses at most a sentence or two and is 3 requests a minute.
#[cfg(feature = "hydrate")]
const AUTOSAVE_MS: u64 = 20_000;

/// The form's fields as the save takes them, read from the page.
#[cfg(feature = "hydrate")]
#[derive(Clone, Debug, Default, PartialEq)]
struct Typed {
    id: Option<i64>,
    title: String,
    body: String,
    excerpt: String,
    kind: String,
    event_date: String,
    outward: bool,
    assets: Vec<i64>,
    call: String,
}

#[cfg(feature = "hydrate")]
fn read(form_id: &str) -> Option<Typed> {
    use wasm_bindgen::JsValue;
    let form = web_sys::window()?.document()?.get_element_by_id(form_id)?;
    let field = |name: &str| -> Option<JsValue> {
        form.query_selector(&format!("[name=\"{name}\"]")).ok().flatten().map(JsValue::from)
    };
    let value = |name: &str| {
        field(name)
            .and_then(|f| js_sys::Reflect::get(&f, &"value".into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let checked =
        |f: &JsValue| js_sys::Reflect::get(f, &"checked".into()).ok().and_then(|c| c.as_bool()).unwrap_or(false);
    let mut assets = Vec::new();
    if let Ok(boxes) = form.query_selector_all("input[name=\"assets[]\"]:checked") {
        for i in 0..boxes.length() {
            let id =
                boxes.item(i).and_then(|b| js_sys::Reflect::get(&b, &"value".into()).ok()).and_then(|v| v.as_string());
            if let Some(id) = id.and_then(|v| v.parse().ok()) {
                assets.push(id);
            }
        }
    }
    Some(Typed {
        id: value("id").parse().ok(),
        title: value("title"),
        body: value("body"),
        excerpt: value("excerpt"),
        kind: value("kind"),
        event_date: value("event_date"),
        outward: field("outward").is_some_and(|f| checked(&f)),
        assets,
        call: value("call"),
    })
}

/// Gives the form the draft's id (a hidden field), once.
#[cfg(feature = "hydrate")]
fn remember(form_id: &str, id: i64) {
    let Some(form) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(form_id)) else {
        return;
    };
    if form.query_selector("[name=\"id\"]").ok().flatten().is_none() {
        let _ = form.insert_adjacent_html("afterbegin", &format!(r#"<input type="hidden" name="id" value="{id}">"#));
    }
}

#[island]
pub fn Autosave(form_id: String) -> impl IntoView {
    let status = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let last = StoredValue::new(read(&form_id));
        let tick = move || {
            let form_id = form_id.clone();
            let Some(typed) = read(&form_id) else { return };
            let unchanged = last.with_value(|l| l.as_ref() == Some(&typed));
            if unchanged || (typed.title.trim().is_empty() && typed.body.trim().is_empty()) {
                return;
            }
            last.set_value(Some(typed.clone()));
            leptos::task::spawn_local(async move {
                let saved = crate::newsroom::api::save_draft(
                    typed.id,
                    typed.title,
                    typed.body,
                    Some(typed.excerpt),
                    Some(typed.kind),
                    Some(typed.event_date),
                    typed.outward.then(|| "1".to_owned()),
                    Some(typed.assets),
                    Some(typed.call),
                )
                .await;
                match saved {
                    Ok(saved) => {
                        remember(&form_id, saved.id);
                        status.set(format!("已自动{}", saved.notice.trim_start_matches('已')));
                    }
                    Err(error) => status.set(format!("自动保存未成功：{error}")),
                }
            });
        };
        let handle = set_interval_with_handle(tick, std::time::Duration::from_millis(AUTOSAVE_MS)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &form_id;
    view! { <p class="field-message autosave" role="status">{move || status.get()}</p> }
}
