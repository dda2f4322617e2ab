//! Entry point of the browser bundle. The page already works as server-rendered
//! HTML; only its islands (`#[island]` in `app`) come alive in the browser.
//! The loader in `app::shell` imports this bundle only on pages that have
//! islands, calls `hydrate`, then each island's exported function, then marks
//! `<body data-hydrated="true">` for the end-to-end tests.

// The islands are `app`'s exported functions: nothing here calls into
// `app`, so without this the linker would leave the crate (and every
// island) out of the bundle.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
