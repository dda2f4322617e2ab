//! The share button every share page has (campaigns, candidates, articles):
//! the link is printed for everyone (long-press to copy in any webview);
//! once hydrated, a button opens the system share sheet or copies it.

use leptos::prelude::*;

/// The link to share, visible and selectable everywhere; once the island's
/// WASM has loaded, a button shares it (Web Share API) or copies it.
#[island]
pub fn ShareButton(url: String, title: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let (share_url, share_title) = (url.clone(), title);
    let on_click = move |_| {
        if share_or_copy(&share_url, &share_title) {
            copied.set(true);
        }
    };
    view! {
        <p class="share-link"><span class="muted">"链接："</span><span class="link-text">{url}</span></p>
        {move || hydrated.get().then(|| view! {
            <button type="button" class="secondary" on:click=on_click.clone()>
                {move || if copied.get() { "链接已复制" } else { "分享给好友" }}
            </button>
        })}
    }
}

/// A share page's Open Graph picture: `og:image` (an absolute URL) and,
/// when known, its `og:image:width` and `og:image:height`, which let chat
/// apps lay the preview out before fetching the picture.
#[component]
pub fn OgImage(url: Option<String>, size: Option<(u32, u32)>) -> impl IntoView {
    use leptos_meta::Meta;
    url.map(|url| {
        view! {
            <Meta property="og:image" content=url/>
            {size.map(|(width, height)| view! {
                <Meta property="og:image:width" content=width.to_string()/>
                <Meta property="og:image:height" content=height.to_string()/>
            })}
        }
    })
}

/// Opens the system share sheet where the browser has one (returns false),
/// else copies `url` to the clipboard (returns true).
fn share_or_copy(url: &str, title: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let Some(window) = web_sys::window() else { return false };
        let navigator: JsValue = window.navigator().into();
        let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &JsValue::from_str(name)).ok();
        if let Some(share) = get(&navigator, "share").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
            let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
            let _ = share.call1(&navigator, &data);
            return false;
        }
        if let Some(clipboard) = get(&navigator, "clipboard").filter(|c| !c.is_undefined()) {
            if let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
                let _ = write.call1(&clipboard, &url.into());
                return true;
            }
        }
        false
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (url, title);
        false
    }
}
