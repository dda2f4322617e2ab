//! Gonghui's Leptos app, shared by the server (feature `ssr`: renders HTML and
//! answers server functions) and the browser bundle (feature `hydrate`).
//!
//! Every page renders complete on the server (`SsrMode::Async`) so it works
//! with JavaScript off — old phones and app webviews — and hydration then
//! makes navigation and forms feel instant.

pub mod accounts;
pub mod activities;
pub mod apps;
pub mod benefits;
pub mod card;
pub mod certification;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod context;
pub mod error;
pub mod home;
pub mod lessons;
pub mod mailboxes;
pub mod newsroom;
pub mod officials;
#[cfg(feature = "ssr")]
pub mod openapi;
#[cfg(feature = "ssr")]
pub mod random;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
pub mod stats;
pub mod ui;
pub mod voting;
pub mod wishes;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode, StaticSegment};

pub use domain;

use crate::accounts::pages::account::{LoginPage, MePage};
use crate::accounts::pages::code_flows::{ChangePhonePage, ResetPage, SmsLoginPage};
use crate::accounts::pages::register::RegisterPage;
use crate::benefits::pages::member::{ClaimPage, ServicesPage};
use crate::card::pages::{CardCheckPage, CardPage};
use crate::certification::pages::{certify::CertifyPage, review::ReviewPage, roster_admin::RosterAdminPage};
use crate::home::pages::HomePage;
use crate::newsroom::pages::{correspondents::CorrespondentsAdminPage, desk::DeskPage, review::ReviewQueuePage};
use crate::officials::pages::{admin::AdminPage, units_admin::UnitsAdminPage};
use crate::stats::pages::{GongshiPage, StatsPage};
use crate::ui::components::{SiteHeader, TabBar};
use crate::ui::placeholder::NotFound;
use crate::voting::pages::campaign_admin::{CandidatesAdminPage, NewCampaignPage};
use crate::voting::pages::fraud::{CampaignsAdminPage, FraudPage, ResultsPage};
use crate::voting::pages::public::{CampaignPage, CandidatePage, VotePage};

/// The union's accent colour (union red). White text on it has a contrast of
/// 5.9:1, above WCAG AA's 4.5:1.
pub const THEME_COLOR: &str = "#c8102e";

/// The HTML document around the app, rendered only on the server. Sends the
/// page's Content-Security-Policy with this render's nonce, the one Leptos
/// puts on its own inline scripts and we put on the hydration script.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(policy), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<context::PagePolicy>(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = http::HeaderValue::from_str(&policy.with_nonce(&nonce.to_string())) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                // viewport-fit=cover lets the page reach under notches; the CSS
                // pads with env(safe-area-inset-*) so nothing hides there.
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content=THEME_COLOR/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <link rel="stylesheet" href=format!("/{}/{}", options.site_pkg_dir, bundle().css)/>
                <HydrateWhenIdle options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Loads the browser bundle only where a page has islands (its interactive
/// parts: the vote box, the live leaderboard, share buttons, self-checking
/// fields, the unit search), and only once the browser is idle: the page is
/// complete HTML and every form posts without JavaScript. Pages without an
/// island — the officials' pages, the lists, 公示 — load no WASM at all.
///
/// Leptos' own islands loader (`island_script.js`) does the same walk but
/// always imports the bundle and adds two preload hints; Lighthouse mobile
/// measured LCP 3.6–3.8 s with the preloads, the WASM arriving ahead of the
/// page's own image (docs/PERFORMANCE.md). `<body data-hydrated="true">`
/// marks the end (end-to-end tests wait for it); our islands take no
/// children and do not nest, so each `leptos-island` is hydrated by its own
/// exported function.
#[component]
fn HydrateWhenIdle(options: LeptosOptions) -> impl IntoView {
    let pkg = options.site_pkg_dir.to_string();
    let bundle = bundle();
    let (js, wasm) = (bundle.js, bundle.wasm);
    // A form's outcome is rendered at the server function's address (the
    // post went there); the page's own address goes back in the address bar,
    // so a reload is a GET of the page. JSON-quoted, and `<` escaped so no
    // path can close the script.
    let back_to_page = use_context::<crate::ui::forms::PostedForm>()
        .filter(|posted| posted.page.starts_with('/'))
        .map(|posted| {
            let quoted = format!("\"{}\"", posted.page.escape_default()).replace('<', "\\u003c");
            format!("history.replaceState(null,'',{quoted});")
        })
        .unwrap_or_default();
    let script = format!(
        "{back_to_page}(()=>{{const done=()=>document.body.setAttribute('data-hydrated','true');\
         const islands=[...document.querySelectorAll('leptos-island')];if(!islands.length){{done();return}}\
         const go=()=>import('/{pkg}/{js}').then(m=>m.default({{module_or_path:'/{pkg}/{wasm}'}}).then(async()=>{{\
         m.hydrate();for(const el of islands){{const f=m[el.dataset.component];if(f)await f(el)}}done()}}));\
         if('requestIdleCallback' in window){{window.requestIdleCallback(go,{{timeout:2000}})}}else{{setTimeout(go,0)}}}})()"
    );
    // The service worker (/sw.js): the 惠员卡 and an offline page without a
    // network (server/src/offline.rs); registered from every page, in this
    // one nonced script.
    let script = format!(
        "{script};if('serviceWorker' in navigator){{navigator.serviceWorker.register('/sw.js').catch(()=>{{}})}}"
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The bundle's file names (the server puts them in context).
fn bundle() -> Bundle {
    use_context::<Bundle>().unwrap_or_default()
}

/// The browser bundle's file names under `/pkg/` (content-hashed by
/// scripts/build-bundle.sh, named in `pkg/bundle.json`) and the build's
/// version, which names the service worker's cache. Read once at start; the
/// plain names when the bundle is built without hashes (`make watch`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Bundle {
    pub js: String,
    pub wasm: String,
    pub css: String,
    pub version: String,
}

impl Default for Bundle {
    fn default() -> Self {
        Self {
            js: "gonghui.js".into(),
            wasm: "gonghui_bg.wasm".into(),
            css: "gonghui.css".into(),
            version: "unhashed".into(),
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| if page.is_empty() { "工会会员服务".to_owned() } else { format!("{page} · 工会会员服务") }/>
        <Router>
            <a class="skip-link" href="#main">"跳到正文"</a>
            <SiteHeader/>
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("vote") view=VotePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("services") view=ServicesPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("me") view=MePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/sms") view=SmsLoginPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("reset") view=ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/me/phone") view=ChangePhonePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/units") view=UnitsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/roster") view=RosterAdminPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("certify") view=CertifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/certify") view=ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/stats") view=StatsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("gongshi") view=GongshiPage ssr=SsrMode::Async/>
                    <Route path=path!("/v/:campaign") view=CampaignPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/campaigns") view=CampaignsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/campaigns/new") view=NewCampaignPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/campaigns/:campaign/candidates") view=CandidatesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/campaigns/:campaign/fraud") view=FraudPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/campaigns/:campaign/results") view=ResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/v/:campaign/:number") view=CandidatePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("card") view=CardPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("desk") view=DeskPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/review") view=ReviewQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/correspondents") view=CorrespondentsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/assets") view=crate::newsroom::pages::assets::AssetsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/newsroom") view=crate::newsroom::pages::figures::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/newsroom/print") view=crate::newsroom::pages::figures::ReportPrintPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/newsroom/ledger") view=crate::newsroom::pages::figures::LedgerPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/newsroom/calls") view=crate::newsroom::pages::figures::CallsPage ssr=SsrMode::Async/>
                    <Route path=path!("/a/:id") view=crate::newsroom::pages::articles::ArticlePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:code") view=crate::newsroom::pages::articles::ChannelPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/articles/:id") view=crate::newsroom::pages::articles::TrackingPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/inbox") view=crate::newsroom::pages::inbox::InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/comments") view=crate::newsroom::pages::moderation::CommentsAdminPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("rank") view=crate::newsroom::pages::rankings::RankPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("screen") view=crate::newsroom::pages::rankings::ScreenPage ssr=SsrMode::Async/>
                    <Route path=path!("/desk/digest") view=crate::newsroom::pages::rankings::DigestPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/outward") view=crate::newsroom::pages::outward::OutwardPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/apps") view=crate::apps::pages::AppsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/watchwords") view=crate::newsroom::pages::moderation::WatchwordsPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/claims/:id") view=ClaimPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/activities/:id") view=crate::activities::pages::member::SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/activities") view=crate::activities::pages::admin::ActivitiesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/activities/:id") view=crate::activities::pages::door::AttendancePage ssr=SsrMode::Async/>
                    <Route path=path!("/services/wishes") view=crate::wishes::pages::WishesPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/wishes/:id") view=crate::wishes::pages::WishPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/wishes") view=crate::wishes::pages::WishesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/lessons") view=crate::lessons::pages::CoursesPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/lessons/:id") view=crate::lessons::pages::LessonPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/lessons") view=crate::lessons::pages::LessonsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/mail") view=crate::mailboxes::pages::member::MailPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/mail/:id") view=crate::mailboxes::pages::member::LetterPage ssr=SsrMode::Async/>
                    <Route path=path!("/services/faq") view=crate::mailboxes::pages::member::FaqPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail") view=crate::mailboxes::pages::admin::MailAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/benefits") view=crate::benefits::pages::admin::BenefitsAdminPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("partner") view=crate::benefits::pages::partner::PartnerPage ssr=SsrMode::Async/>
                    <Route path=path!("/card/check/:token") view=CardCheckPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <TabBar/>
        </Router>
    }
}
