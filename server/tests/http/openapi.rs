//! `/api/openapi.json`: app teams generate their clients from it, so every
//! server function must be in it with the method the router takes, and the
//! answers must carry their real fields.

use serde_json::Value;
use store::testing::TestDb;

use crate::support::RunningServer;

/// The document, as a client generator downloads it.
async fn fetch_document(server: &RunningServer) -> Value {
    let response = reqwest::get(server.url("/api/openapi.json")).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    response.json().await.unwrap()
}

/// `#/components/schemas/X` resolved, anything else as it is.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &document["components"]["schemas"][name],
        None => schema,
    }
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document_with_its_method() {
    let db = TestDb::sqlite().await;
    let server = RunningServer::start(db.url(), &[]);

    let document = fetch_document(&server).await;

    let version = document["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3.1."), "OpenAPI 3.1.x, not {version:?}");
    // The router's table holds every server function (the plain axum routes
    // under /api, like this document itself, are not server functions and
    // are not in it).
    let (_, functions) = server::route_table();
    assert!(functions.len() >= 100, "the server functions are registered: {}", functions.len());
    let mut missing = Vec::new();
    for (path, method) in &functions {
        let operation = &document["paths"][path][method.as_str().to_lowercase()];
        if operation.is_null() {
            missing.push(format!("{method} {path}"));
            continue;
        }
        // Each answers its 200 and the AppError statuses.
        for status in ["200", "400", "401", "403", "429", "503"] {
            assert!(!operation["responses"][status].is_null(), "{method} {path}: no {status}");
        }
    }
    assert!(
        missing.is_empty(),
        "server functions missing from /api/openapi.json (add them in app/src/openapi): {missing:?}"
    );
    let described = document["paths"].as_object().unwrap().len();
    assert_eq!(described, functions.len(), "the document describes only server functions");
}

#[tokio::test]
async fn the_openapi_document_carries_answer_fields_arguments_and_errors() {
    let db = TestDb::sqlite().await;
    let server = RunningServer::start(db.url(), &[]);

    let document = fetch_document(&server).await;

    // An answer type's fields, from its Rust struct.
    let card = &document["paths"]["/api/me/card"]["get"];
    assert_eq!((card["tags"][0].as_str(), card["operationId"].as_str()), (Some("card"), Some("card_load_card")));
    let answer = resolve(&document, &card["responses"]["200"]["content"]["application/json"]["schema"]);
    for field in ["name", "member_no", "unit_name", "union_name"] {
        assert!(!answer["properties"][field].is_null(), "CardView.{field} in {answer}");
    }
    // A GET function's arguments are query parameters.
    let check = &document["paths"]["/api/card/check"]["get"];
    assert_eq!(check["parameters"][0]["name"], "token", "{check}");
    assert_eq!(check["parameters"][0]["in"], "query", "{check}");
    // A form post's arguments are its urlencoded body.
    let login = &document["paths"]["/api/auth/login"]["post"]["requestBody"]["content"];
    let body = &login["application/x-www-form-urlencoded"]["schema"];
    assert_eq!(body["properties"]["phone"]["type"], "string", "{login}");
    // Errors are AppError, externally tagged.
    let rejected =
        resolve(&document, &document["components"]["responses"]["BadRequest"]["content"]["application/json"]["schema"]);
    assert!(rejected.to_string().contains("Rejected"), "{rejected}");
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["bearerAuth"]["scheme"], "bearer", "{schemes}");
    assert_eq!(schemes["cookieAuth"]["in"], "cookie", "{schemes}");
}
