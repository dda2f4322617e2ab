//! One write path: every form on every page posts to a server function
//! under `/api/` (so it has its JSON twin by construction), and no page
//! address takes a POST. The test walks the router's table of pages, as a
//! signed-out visitor and as a super admin, plus the second stages of the
//! code flows, and checks each form and each button's `formaction`.

use std::collections::BTreeSet;

use axum::http::Method;
use scraper::{Html, Selector};
use store::testing::TestDb;

use crate::support::{make_admin, Person, RunningServer};

/// A page address with its parameters filled from the demo data.
fn fill(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment.trim_start_matches(':').trim_matches(|c| c == '{' || c == '}') {
            _ if !segment.starts_with(':') && !segment.starts_with('{') => segment.to_owned(),
            "campaign" => server::demo::DEMO_CAMPAIGN_SLUG.to_owned(),
            "number" | "id" => "1".to_owned(),
            "code" => "37".to_owned(),
            "token" => "not-a-token".to_owned(),
            other => panic!("no demo value for the route parameter {other} in {path}"),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every post target on `html`: forms' actions and buttons' formactions.
fn post_targets(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let forms = Selector::parse(r#"form[method="post"]"#).unwrap();
    let buttons = Selector::parse("button[formaction], input[formaction]").unwrap();
    let mut targets: Vec<String> =
        document.select(&forms).map(|f| f.value().attr("action").unwrap_or("(none)").to_owned()).collect();
    targets.extend(document.select(&buttons).filter_map(|b| b.value().attr("formaction").map(str::to_owned)));
    targets
}

#[tokio::test]
async fn every_form_posts_to_a_server_function_and_no_page_takes_a_post() {
    let db = TestDb::sqlite().await;
    // With the demo's people, so article pages (and their staff's forms) exist.
    let server = RunningServer::start(db.url(), &[("GONGHUI_DEMO_PEOPLE", "true")]);
    let (pages, functions) = server::route_table();
    let writes: BTreeSet<String> =
        functions.iter().filter(|(_, method)| *method == Method::POST).map(|(path, _)| path.clone()).collect();
    assert!(writes.len() >= 30, "the server functions are registered: {writes:?}");

    let visitor = Person::new(&server);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");

    let mut seen: Vec<(String, String)> = Vec::new();
    for page in &pages {
        let address = fill(page);
        for person in [&visitor, &admin] {
            let (_, html) = person.get(&address).await;
            seen.extend(post_targets(&html).into_iter().map(|t| (address.clone(), t)));
        }
        // A page address takes no POST: writes go to /api only.
        let (status, _) = admin.post(&address, &address, &[]).await;
        assert_eq!(status, 405, "POST {address}");
    }
    // The code flows' second stages appear after a code was sent.
    for (page, send, phone) in [
        ("/register", "/api/auth/register-code", "13900000011"),
        ("/login/sms", "/api/auth/login-code", "13900000012"),
        ("/reset", "/api/auth/reset-code", "13900000013"),
        ("/me/phone", "/api/me/phone-code", "13900000014"),
    ] {
        let (status, html) = admin.post(page, send, &[("phone", phone), ("unit", "37010201")]).await;
        assert_eq!(status, 200, "{page}: {html}");
        seen.extend(post_targets(&html).into_iter().map(|t| (page.to_owned(), t)));
    }

    // Each target is a server function with the form's page in its query
    // (`?page=/register`: where its outcome is shown).
    let path = |target: &str| target.split('?').next().unwrap_or_default().to_owned();
    let stray: Vec<&(String, String)> = seen.iter().filter(|(_, target)| !writes.contains(&path(target))).collect();
    assert!(stray.is_empty(), "forms posting to something that is not a server function: {stray:?}");
    let unnamed: Vec<&(String, String)> = seen
        .iter()
        .filter(|(page, target)| {
            let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
            !form_urlencoded::parse(query.as_bytes()).any(|(name, value)| name == "page" && value == page.as_str())
        })
        .collect();
    assert!(unnamed.is_empty(), "forms that do not name their page: {unnamed:?}");
    let actions: BTreeSet<String> = seen.iter().map(|(_, t)| path(t)).collect();
    // Signed out and as an admin, the pages hold these forms at least:
    // register (both stages), password and code sign-in, reset, phone change,
    // sign-out, certification (both), appointments, the campaign form,
    // nomination and pictures, the roster and units uploads, expert scores.
    assert!(actions.len() >= 20, "{actions:?}");
}
