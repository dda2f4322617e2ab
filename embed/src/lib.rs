//! Gonghui's member portal as a client-only bundle for union-app webviews
//! (`make embed` → target/embed/). It renders in the browser with Leptos
//! (`csr`) and talks to the server's JSON /api with a bearer token
//! (src/api.rs); the host app may vouch for its user (src/host.rs) so the
//! member never signs in twice. Pages look like the portal: they use
//! style/gonghui.css and the server-rendered pages' class names.

mod api;
mod host;
mod pages;
mod route;
mod session;
mod types;
mod ui;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::route::{use_route, Route};
use crate::session::{Auth, Session};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let session = Session(RwSignal::new(Auth::Starting), RwSignal::new(None));
    provide_context(session);
    api::on_signed_out(move || session.0.set(Auth::SignedOut));
    leptos::task::spawn_local(session::start(session));
    let route = use_route();
    view! {
        <ui::SiteHeader/>
        <main id="main" class="page">
            {move || match (session.0.get(), route.get()) {
                (Auth::Starting, _) => view! { <p class="muted">"正在加载…"</p> }.into_any(),
                (Auth::SignedOut, Route::SignInSms) => view! { <pages::signin::SmsSignInPage/> }.into_any(),
                (Auth::SignedOut, Route::Register) => view! { <pages::register::RegisterPage/> }.into_any(),
                (Auth::SignedOut, _) => view! { <pages::signin::SignInPage/> }.into_any(),
                (Auth::SignedIn(_), route) => page(route),
            }}
        </main>
        {move || matches!(session.0.get(), Auth::SignedIn(_)).then(|| view! { <ui::TabBar route/> })}
    }
}

fn page(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <pages::home::HomePage/> }.into_any(),
        Route::Vote => view! { <pages::vote::CampaignsPage/> }.into_any(),
        Route::Campaign(slug) => view! { <pages::vote::CampaignPage slug/> }.into_any(),
        Route::Services => view! { <pages::services::ServicesPage/> }.into_any(),
        Route::Me => view! { <pages::me::MePage/> }.into_any(),
        Route::Certify => view! { <pages::certify::CertifyPage/> }.into_any(),
        Route::Card => view! { <pages::card::CardPage/> }.into_any(),
        // Signed in already: the sign-in pages lead to 我的.
        Route::SignIn | Route::SignInSms | Route::Register => view! { <pages::me::MePage/> }.into_any(),
        Route::NotFound => view! {
            <section class="card">
                <h1>"页面不存在"</h1>
                <a class="button-link" href=route::href("/")>"回到首页"</a>
            </section>
        }
        .into_any(),
    }
}
