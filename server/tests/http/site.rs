//! The real server (the `gonghui` binary), on a fresh database per test,
//! over real HTTP. Scenarios that touch the database run on SQLite and on
//! PostgreSQL.

use std::time::Duration;

use crate::support::RunningServer;
use store::testing::TestDb;

/// The binary on one test database (demo data loaded at start), with a client.
struct TestServer {
    server: RunningServer,
    base: String,
    client: reqwest::Client,
    db: TestDb,
}

impl TestServer {
    async fn start(db: TestDb) -> Self {
        let server = RunningServer::start(db.url(), &[]);
        let base = server.base.clone();
        let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        Self { server, base, client, db }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self.client.get(self.url(path)).send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $scenario() {
                super::$scenario(super::TestServer::start(store::testing::TestDb::sqlite().await).await).await
            })*
        }
        mod postgres {
            $(#[tokio::test] async fn $scenario() {
                let Some(db) = store::testing::TestDb::postgres().await else { return };
                super::$scenario(super::TestServer::start(db).await).await
            })*
        }
    };
}

on_both_engines!(
    health_is_ok_while_the_database_answers,
    the_home_page_shows_the_demo_union_and_its_units_without_javascript,
    a_search_is_answered_by_the_server_with_matching_units_and_their_ancestors,
    the_units_api_answers_json_at_its_documented_endpoint,
);

async fn health_is_ok_while_the_database_answers(server: TestServer) {
    let (status, body) = server.get("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("ready: migration 2026"), "{body}");
}

async fn the_home_page_shows_the_demo_union_and_its_units_without_javascript(server: TestServer) {
    let (status, html) = server.get("/").await;

    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="zh-CN""#), "Chinese document");
    assert!(html.contains("viewport-fit=cover"), "safe-area aware viewport");
    assert!(html.contains("山东省总工会"), "the union's name in the header");
    for tab in ["首页", "投票", "服务", "我的"] {
        assert!(html.contains(&format!("<span>{tab}</span>")), "tab {tab}");
    }
    // Every unit of the demo tree is in the HTML itself, not fetched later.
    for unit in ["济南市总工会", "历下区总工会", "历下区机械厂工会", "临沂市总工会"] {
        assert!(html.contains(unit), "{unit} rendered on the server");
    }
    assert!(html.contains("<strong>55</strong>"), "55 grassroots unions counted");
}

async fn a_search_is_answered_by_the_server_with_matching_units_and_their_ancestors(server: TestServer) {
    let (status, html) = server.get("/?q=%E7%94%B5%E5%8A%9B").await; // 电力: no such unit
    assert_eq!(status, 200);
    assert!(html.contains("没有找到包含“电力”的单位"), "an empty result says so");

    let (status, html) = server.get("/?q=%E5%8E%86%E4%B8%8B%E5%8C%BA%E4%BE%9B%E7%94%B5").await; // 历下区供电
    assert_eq!(status, 200);
    assert!(html.contains("找到 1 个包含“历下区供电”的单位"), "{html}");
    assert!(html.contains("山东省总工会 › 济南市总工会 › 历下区总工会"), "the ancestors are shown");
    assert!(!html.contains("历下区机械厂工会"), "non-matching units are not listed");
}

async fn the_units_api_answers_json_at_its_documented_endpoint(server: TestServer) {
    let response = server.client.get(server.url("/api/units")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["counts"], serde_json::json!({ "city": 4, "county": 11, "grassroots": 55 }));
    assert_eq!(body["tree"].as_array().unwrap().len(), 4, "the four cities under the province");

    let body: serde_json::Value =
        server.client.get(server.url("/api/units?q=370112")).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["query"], "370112");
    assert_eq!(body["matches"].as_array().unwrap().len(), 6, "历城区 and its five grassroots unions");

    let union: serde_json::Value =
        server.client.get(server.url("/api/union")).send().await.unwrap().json().await.unwrap();
    assert_eq!(union, serde_json::json!({ "name": "山东省总工会" }));
}

#[tokio::test]
async fn an_unknown_address_gets_the_chinese_404_page() {
    let server = TestServer::start(TestDb::sqlite().await).await;
    let (status, html) = server.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("页面不存在"));
    assert!(html.contains("返回首页"));
    assert!(html.contains("山东省总工会"), "the shell (header) is still there");
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_before_it_reaches_any_handler() {
    let server = TestServer::start(TestDb::sqlite().await).await;
    let foreign = server.client.post(server.url("/")).header("Origin", "https://evil.example").send().await.unwrap();
    assert_eq!(foreign.status().as_u16(), 403);
    assert!(foreign.text().await.unwrap().contains("请求来源校验失败"));

    let missing = server.client.post(server.url("/")).send().await.unwrap();
    assert_eq!(missing.status().as_u16(), 403, "no Origin and no Referer is refused too");

    // The same request from the site itself passes the check (and then meets
    // the router: nothing accepts POST at /).
    let same = server.client.post(server.url("/")).header("Origin", server.base.clone()).send().await.unwrap();
    assert_ne!(same.status().as_u16(), 403);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    // A small limit keeps the whole request in the socket buffers, so the
    // client reads the 413 instead of racing the server's early close.
    let db = TestDb::sqlite().await;
    let server = RunningServer::start(db.url(), &[("GONGHUI_BODY_LIMIT_BYTES", "1000")]);
    let response = reqwest::Client::new()
        .post(server.url("/api/auth/login"))
        .header("Origin", server.base.clone())
        .form(&[("phone", "13800138000"), ("password", &"x".repeat(4000))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
}

#[tokio::test]
async fn pages_are_sent_brotli_compressed_to_browsers_that_accept_it() {
    let server = TestServer::start(TestDb::sqlite().await).await;
    let response = server.client.get(server.url("/")).header("Accept-Encoding", "br, gzip").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    let gzip = server.client.get(server.url("/")).header("Accept-Encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let server = TestServer::start(TestDb::sqlite().await).await;
    let response = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["referrer-policy"], "strict-origin-when-cross-origin");
}

#[tokio::test]
async fn when_postgresql_loses_the_database_health_and_pages_answer_503_in_chinese() {
    let Some(db) = TestDb::postgres().await else { return };
    let server = TestServer::start(db).await;
    assert_eq!(server.get("/healthz").await.0, 200);

    server.db.drop_database_now().await;

    let (status, body) = server.get("/healthz").await;
    assert_eq!((status, body.as_str()), (503, "数据库暂时不可用\n"));
    let (status, html) = server.get("/").await;
    assert_eq!(status, 503);
    assert!(html.contains("服务暂时不可用，请稍后再试"), "{html}");
}

#[tokio::test]
async fn the_dev_sms_inbox_is_a_page_in_dev_and_absent_in_prod() {
    let db = TestDb::sqlite().await;
    let dev = RunningServer::start(db.url(), &[]);
    let client = reqwest::Client::new();
    client
        .post(dev.url("/api/auth/register-code"))
        .header("Origin", dev.base.clone())
        .form(&[("phone", "13800138000")])
        .send()
        .await
        .unwrap();
    let page =
        client.get(dev.url("/dev/sms")).header("Accept", "text/html").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("开发短信收件箱") && page.contains("13800138000") && page.contains("您的验证码是"));

    let other = TestDb::sqlite().await;
    let prod = RunningServer::start(other.url(), &[("GONGHUI_ENV", "prod")]);
    assert_eq!(client.get(prod.url("/dev/sms")).send().await.unwrap().status().as_u16(), 404);
}
