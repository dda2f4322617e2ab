//! Entry point of the browser bundle. The page already works as server-rendered
//! HTML; hydration attaches the event handlers and then marks `<body>` with
//! `data-hydrated` so end-to-end tests (and curious developers) can tell.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    app::mark_hydrated();
}
