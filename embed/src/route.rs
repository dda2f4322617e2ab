//! The bundle's pages, addressed by the URL's hash (`#/card`, `#/v/slug`):
//! the static folder then works under any path a host serves it from, and
//! a reload never asks the server for a page it does not have.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Vote,
    Campaign(String),
    Services,
    Me,
    Certify,
    Card,
    SignIn,
    SignInSms,
    Register,
    NotFound,
}

impl Route {
    fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Self::Home,
            ["vote"] => Self::Vote,
            ["v", slug] => Self::Campaign((*slug).to_owned()),
            ["services"] => Self::Services,
            ["me"] => Self::Me,
            ["certify"] => Self::Certify,
            ["card"] => Self::Card,
            ["login"] => Self::SignIn,
            ["login", "sms"] => Self::SignInSms,
            ["register"] => Self::Register,
            _ => Self::NotFound,
        }
    }

    /// The tab of the bottom bar this page belongs to.
    pub fn tab(&self) -> &'static str {
        match self {
            Self::Home | Self::NotFound => "home",
            Self::Vote | Self::Campaign(_) => "vote",
            Self::Services => "services",
            _ => "me",
        }
    }
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The current page, following `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&current_hash()));
    let on_change = Closure::<dyn Fn()>::new(move || {
        set_route.set(Route::parse(&current_hash()));
        // A new page starts at its top, as a link to a new page would.
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    }
    // Lives as long as the page: the app is never unmounted.
    on_change.forget();
    route
}

/// Goes to page `path` (`/card`).
pub fn go(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(path);
    }
}

/// The `href` of page `path`.
pub fn href(path: &str) -> String {
    format!("#{path}")
}
