//! Hostile text typed into a form comes back as text, never as markup, and
//! every page carries a Content-Security-Policy whose nonce is on each of its
//! scripts (and on nothing else).
//!
//! Leptos 0.8 writes the children of raw-text elements (`textarea`, `script`,
//! `style`, `noscript`) unescaped. Every form that shows a typed value again
//! in a textarea is rendered here with a value that closes the textarea and
//! adds an image with an `onerror` handler; the page is parsed as a browser
//! would (html5ever) and must hold no element with an event-handler
//! attribute, no script without the nonce, and the textarea must hold exactly
//! what was typed. `app/tests/raw_text_elements.rs` keeps new views on the
//! one textarea component.

use crate::support::{make_admin, Person, RunningServer};
use scraper::{Html, Selector};
use store::testing::TestDb;

/// Closes the textarea, then tries an image handler and a script.
const HOSTILE: &str = "</textarea><img src=x onerror=document.title=1337><script>document.title=1337</script>";
/// Short enough for a unit name (60 characters at most).
const HOSTILE_NAME: &str = "</textarea><img src=x onerror=alert(1)>";

/// A page as a browser gets it: status, its policy header, the parsed document.
struct Page {
    status: u16,
    policy: Option<String>,
    document: Html,
    html: String,
}

impl Person {
    async fn page_post(&self, page: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let response = crate::support::form_post(&self.http, &self.base, page, action).form(form).send().await.unwrap();
        read(response).await
    }

    async fn page_get(&self, path: &str) -> Page {
        read(self.http.get(format!("{}{path}", self.base)).send().await.unwrap()).await
    }

    async fn page_upload(&self, page: &str, action: &str, file: Vec<u8>) -> Page {
        let part = reqwest::multipart::Part::bytes(file).file_name("upload.csv").mime_str("text/csv").unwrap();
        let response = crate::support::form_post(&self.http, &self.base, page, action)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        read(response).await
    }
}

async fn read(response: reqwest::Response) -> Page {
    let status = response.status().as_u16();
    let policy = response.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned());
    let html = response.text().await.unwrap();
    Page { status, policy, document: Html::parse_document(&html), html }
}

impl Page {
    /// Nothing in the page runs but our own nonce'd scripts.
    fn assert_inert(&self) {
        let policy = self.policy.as_deref().unwrap_or_else(|| panic!("no Content-Security-Policy on {}", self.html));
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {policy}"));
        assert!(nonce.len() >= 16, "a nonce of at least 128 bits: {nonce}");
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'",
            "'wasm-unsafe-eval'",
        ] {
            assert!(policy.contains(directive), "{directive} in {policy}");
        }
        let everything = Selector::parse("*").unwrap();
        for element in self.document.select(&everything) {
            let value = element.value();
            for (name, _) in value.attrs() {
                assert!(
                    !name.starts_with("on"),
                    "an event handler attribute {name} on <{}>: {}",
                    value.name(),
                    self.html
                );
            }
            if value.name() == "script" {
                assert_eq!(value.attr("nonce"), Some(nonce), "a script without this render's nonce: {}", self.html);
            }
            assert!(!(value.name() == "img" && value.attr("src") == Some("x")), "an injected image: {}", self.html);
        }
    }

    /// The text of the textarea named `name`, as the browser shows it.
    fn textarea(&self, name: &str) -> String {
        let selector = Selector::parse(&format!(r#"textarea[name="{name}"]"#)).unwrap();
        let found =
            self.document.select(&selector).next().unwrap_or_else(|| panic!("no textarea {name}: {}", self.html));
        found.text().collect()
    }
}

on_both_engines_with_db!(typed_text_comes_back_into_every_textarea_as_text_and_every_page_runs_only_nonced_scripts);

async fn typed_text_comes_back_into_every_textarea_as_text_and_every_page_runs_only_nonced_scripts(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let admin = Person::new(&server);
    admin.register("13800000001", "王管理", "37010201").await;
    make_admin(db.url(), "13800000001");

    // Pages anyone opens carry the policy too.
    for path in ["/", "/login", "/register", "/vote", "/no-such-page"] {
        Person::new(&server).page_get(path).await.assert_inert();
    }

    // The units import preview: the checked file goes back in a hidden textarea.
    let mut file = std::fs::read("../demo/units.csv").unwrap();
    file.extend_from_slice(
        format!("370199,370100,济南市新区总工会,county\n37019901,370199,{HOSTILE_NAME},grassroots\n").as_bytes(),
    );
    let preview = admin.page_upload("/admin/units", "/api/admin/units/preview", file.clone()).await;
    assert_eq!(preview.status, 200, "{}", preview.html);
    preview.assert_inert();
    // A browser reads CR LF in a textarea as LF (and sends CR LF back).
    let typed = String::from_utf8(file).unwrap().replace("\r\n", "\n");
    assert_eq!(preview.textarea("csv"), typed, "the hidden field carries the file exactly");

    // A new campaign with a mistake elsewhere: the description comes back.
    let new_campaign = admin
        .page_post(
            "/admin/campaigns/new",
            "/api/admin/campaigns/new",
            &[("title", ""), ("description", HOSTILE), ("unit", "37")],
        )
        .await;
    assert_eq!(new_campaign.status, 400);
    new_campaign.assert_inert();
    assert_eq!(new_campaign.textarea("description"), HOSTILE);

    // A nomination without a name: the story comes back.
    let slug = server::demo::DEMO_CAMPAIGN_SLUG;
    let nomination = admin
        .page_post(
            &format!("/admin/campaigns/{slug}/candidates"),
            "/api/admin/campaigns/nominate",
            &[("slug", slug), ("name", ""), ("unit", "37"), ("title", "钳工"), ("story", HOSTILE)],
        )
        .await;
    assert_eq!(nomination.status, 400);
    nomination.assert_inert();
    assert_eq!(nomination.textarea("story"), HOSTILE);

    // A rejection whose reason is too long: the reason comes back (its first
    // 100 characters, as every typed value).
    let member = Person::new(&server);
    member.register("13900000001", "陈新会", "37010201").await;
    let png = crate::support::png();
    let form = reqwest::multipart::Form::new()
        .text("name", "陈新会")
        .text("id_number", "370102199001011231")
        .part("photo", reqwest::multipart::Part::bytes(png).file_name("card.png").mime_str("image/png").unwrap());
    let sent = crate::support::form_post(&member.http, &server.base, "/certify", "/api/me/certify-request/send")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 303);
    let queue = admin.page_get("/admin/certify").await;
    let start = queue.html.find(r#"id="request-"#).expect("a request") + r#"id="request-"#.len();
    let id: String = queue.html[start..].chars().take_while(char::is_ascii_digit).collect();
    let long_reason = format!("{HOSTILE}{}", "看".repeat(150));
    let rejection = admin
        .page_post("/admin/certify", "/api/admin/certify-requests/reject", &[("id", &id), ("reason", &long_reason)])
        .await;
    assert_eq!(rejection.status, 400, "{}", rejection.html);
    rejection.assert_inert();
    assert_eq!(rejection.textarea("reason"), long_reason.chars().take(100).collect::<String>());
}

/// leptos_axum's file handler took the response headers of whatever page the
/// worker thread had rendered last (see `static_file_or_not_found`): under
/// page views mixed with bundle downloads, a third of the pages went out
/// without their policy, and their scripts were blocked.
#[tokio::test]
async fn every_page_keeps_its_policy_while_the_bundle_downloads_alongside() {
    let db = TestDb::sqlite().await;
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/gonghui_bg.wasm"), vec![7u8; 300_000]).unwrap();
    let server = RunningServer::start(db.url(), &[("GONGHUI_SITE_ROOT", site.path().to_str().unwrap())]);
    let http = reqwest::Client::new();
    let mut pages = Vec::new();
    let mut files = Vec::new();
    for i in 0..120 {
        let (client, base) = (http.clone(), server.base.clone());
        pages.push(tokio::spawn(async move {
            let response = client.get(format!("{base}/register?n={i}")).send().await.unwrap();
            let policy = response.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned());
            response.bytes().await.unwrap();
            policy.unwrap_or_default()
        }));
        let (client, base) = (http.clone(), server.base.clone());
        files.push(tokio::spawn(async move {
            let response = client.get(format!("{base}/pkg/gonghui_bg.wasm")).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap().len()
        }));
    }
    let mut without = 0;
    for page in pages {
        if !page.await.unwrap().contains("'nonce-") {
            without += 1;
        }
    }
    for file in files {
        assert_eq!(file.await.unwrap(), 300_000);
    }
    assert_eq!(without, 0, "pages sent without their nonce policy");
}
