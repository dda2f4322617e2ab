//! The one generic handler for browsers' form posts (see app/src/ui/forms.rs).
//!
//! Every form posts to a server function under `/api/`. When the poster is a
//! browser navigating (it asks for `text/html`, as every browser's form
//! submission does; app code and scripts ask for JSON or nothing), this layer
//! runs the same server function as a JSON call and then answers as a page:
//!
//! - success with a next page (`app::context::go_to`, sent as `Location`):
//!   303 there, so a reload never posts again;
//! - success with something to show (a notice — the function's answer when
//!   it is a string, or its `notice` field — and the answer's other text
//!   fields, e.g. an import's checked text): the form's page again, 200;
//! - success with nothing to show: 303 back to the form's page;
//! - a mistake (`AppError`): the form's page again with what was typed
//!   (never a password) and the message next to its field, under the
//!   error's status (400, 401, 403, 404, 409, 429, 503).
//!
//! "The form's page" is the one the form's address names (`?page=…`, put
//! there by `app::ui::forms::action`), else the `Referer` the browser sent
//! (its path and query, when it is this site; the Origin check already
//! required that one of `Origin` and `Referer` is). Leptos' own handling of plain
//! form posts would redirect to the Referer with the error in the query
//! string and lose what was typed.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;

use app::error::AppError;
use app::ui::forms::PostedForm;

use crate::AppState;

/// The most characters of one typed value shown again on the page.
const ECHO_CHARS: usize = 100;

/// Fields never sent back to the page.
const SECRET_FIELDS: &[&str] = &["password"];

/// Fields kept whole when shown again: an import's checked text and its
/// list of problems can be long, and the confirmation step needs all of it.
const WHOLE_FIELDS: &[&str] = &["csv", "problems"];

/// The header server_fn puts on an error answer (its value is the path).
const SERVER_FN_ERROR: &str = "serverfnerror";

pub async fn answer_as_page(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.uri().path().starts_with("/api/") || !wants_page(request.headers())
    {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // Streamed uploads (video) go through as they arrive: nothing of them is
    // shown again, and holding hundreds of MB here is what they avoid.
    let (body, typed) = if crate::is_streamed_upload(parts.uri.path()) {
        (body, Vec::new())
    } else {
        // The body limit layer outside this one has already capped the size.
        let Ok(bytes) = to_bytes(body, usize::MAX).await else { return unreadable() };
        let Some(typed) = typed_fields(&parts.headers, &bytes).await else { return unreadable() };
        (Body::from(bytes), typed)
    };
    let page = page_in_query(&parts.uri).or_else(|| form_page(&parts.headers));
    let action = parts.uri.path().to_owned();
    let page_headers = parts.headers.clone();
    parts.headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::REFERER);
    // The session (shared: a sign-in just made shows), the client address…
    let page_extensions = parts.extensions.clone();
    let answer = next.run(Request::from_parts(parts, body)).await;

    let failed = answer.headers().contains_key(SERVER_FN_ERROR);
    let location = answer.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let status = answer.status();
    let Ok(body) = to_bytes(answer.into_body(), usize::MAX).await else { return unreadable() };
    let mut posted = PostedForm { values: echo(typed), action, ..PostedForm::default() };
    let status = if failed {
        let error = serde_json::from_slice::<AppError>(&body).unwrap_or_else(|_| {
            tracing::error!(status = %status, "a server function failed without an AppError");
            AppError::Internal
        });
        let status = error.status();
        posted.error = Some(error);
        status
    } else if let Some(location) = location.filter(|l| is_local(l)) {
        return Redirect::to(&location).into_response();
    } else {
        let (notice, values) = shown(&body);
        if notice.is_none() && values.is_empty() {
            return Redirect::to(page.as_deref().unwrap_or("/")).into_response();
        }
        posted.notice = notice;
        for (name, value) in values {
            posted.values.retain(|(n, _)| *n != name);
            posted.values.push((name, value));
        }
        StatusCode::OK
    };
    let Some(page) = page else { return bare_page(status, &posted) };
    posted.page = page.clone();
    render(&state, page_headers, page_extensions, &page, posted, status).await
}

/// A browser submitting a form asks for HTML; `fetch` from our pages and
/// API clients ask for JSON (or send no Accept at all).
fn wants_page(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// The fields as typed: the urlencoded body, or a multipart body's text
/// fields (its files are not shown again). `None` when unreadable.
async fn typed_fields(headers: &HeaderMap, bytes: &axum::body::Bytes) -> Option<Vec<(String, String)>> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return Some(form_urlencoded::parse(bytes).into_owned().collect());
    };
    let stream = futures_util::stream::once(std::future::ready(Ok::<_, std::io::Error>(bytes.clone())));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    while let Some(part) = multipart.next_field().await.ok()? {
        if part.file_name().is_some() {
            continue;
        }
        let name = part.name().unwrap_or_default().to_owned();
        fields.push((name, part.text().await.ok()?));
    }
    Some(fields)
}

/// What was typed, as the page may show it again.
fn echo(fields: Vec<(String, String)>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter(|(name, _)| !SECRET_FIELDS.contains(&name.as_str()))
        .map(|(name, value)| {
            let value =
                if WHOLE_FIELDS.contains(&name.as_str()) { value } else { value.chars().take(ECHO_CHARS).collect() };
            (name, value)
        })
        .collect()
}

/// The notice and the text fields of a server function's JSON answer: a
/// string is the notice; an object's `notice` is, and its other strings
/// (and lists of strings, one per line) are values for the page.
fn shown(body: &[u8]) -> (Option<String>, Vec<(String, String)>) {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::String(notice)) => (Some(notice), Vec::new()),
        Ok(serde_json::Value::Object(fields)) => {
            let mut notice = None;
            let mut values = Vec::new();
            for (name, value) in fields {
                let text = match value {
                    serde_json::Value::String(text) => text,
                    serde_json::Value::Array(items) => {
                        items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join("\n")
                    }
                    _ => continue,
                };
                if name == "notice" {
                    notice = Some(text);
                } else {
                    values.push((name, text));
                }
            }
            (notice, values)
        }
        _ => (None, Vec::new()),
    }
}

/// The page the form was on as its action names it (`?page=/register`,
/// see `app::ui::forms::action`).
fn page_in_query(uri: &axum::http::Uri) -> Option<String> {
    let (_, page) = form_urlencoded::parse(uri.query()?.as_bytes()).find(|(name, _)| name == "page")?;
    (is_local(&page) && !page.starts_with("/api/")).then(|| page.into_owned())
}

/// The path (and query) of the page the form was on, from the `Referer`
/// when it names this site (and is a page, not an outcome shown at a
/// server function's address).
fn form_page(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let uri: axum::http::Uri = referer.parse().ok()?;
    let same_host = uri.authority().is_some_and(|a| a.as_str() == host);
    let origin_matches = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|o| referer.starts_with(o) && referer[o.len()..].starts_with('/'));
    if !(same_host || origin_matches) {
        return None;
    }
    let path = uri.path_and_query()?.as_str().to_owned();
    (is_local(&path) && !path.starts_with("/api/")).then_some(path)
}

use app::ui::forms::is_local_path as is_local;

/// Renders `page` as a GET with this request's extensions (session, client
/// address) and headers, and the posted form in context.
async fn render(
    state: &AppState,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    page: &str,
    posted: PostedForm,
    status: StatusCode,
) -> Response {
    let mut request = Request::new(Body::empty());
    *request.uri_mut() = page.parse().unwrap_or_else(|_| axum::http::Uri::from_static("/"));
    *request.headers_mut() = headers;
    request.headers_mut().remove(header::CONTENT_TYPE);
    request.headers_mut().remove(header::CONTENT_LENGTH);
    *request.extensions_mut() = extensions;
    let (state, options) = (state.clone(), state.leptos_options.clone());
    let render = leptos_axum::render_app_async_with_context(
        move || {
            state.provide_contexts();
            provide_context(posted.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = render(request).await.into_response();
    *response.status_mut() = status;
    response
}

/// When the browser sent no page to go back to (a webview that strips the
/// Referer): the outcome on a page of its own.
fn bare_page(status: StatusCode, posted: &PostedForm) -> Response {
    let message = posted
        .error
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| posted.notice.clone())
        .unwrap_or_else(|| "已提交".to_owned());
    let page = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>工会</title>\
         <p role=\"alert\">{}</p><p><a href=\"/\">返回首页</a></p></html>",
        html_escape::encode_text(&message)
    );
    (status, Html(page)).into_response()
}

fn unreadable() -> Response {
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "表单内容无法读取，请返回重试。")
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_answer_is_the_notice() {
        assert_eq!(shown(r#""已任命""#.as_bytes()), (Some("已任命".to_owned()), vec![]));
    }

    #[test]
    fn an_objects_notice_and_text_fields_reach_the_page_and_lists_become_lines() {
        let (notice, values) =
            shown(r#"{"notice":"可导入 2 行","token":"t1","problems":["第 2 行","第 3 行"],"rows":2}"#.as_bytes());
        assert_eq!(notice.as_deref(), Some("可导入 2 行"));
        assert_eq!(
            values,
            vec![("problems".to_owned(), "第 2 行\n第 3 行".to_owned()), ("token".to_owned(), "t1".to_owned())]
        );
    }

    #[test]
    fn passwords_are_never_shown_again_and_long_values_are_cut() {
        let long = "长".repeat(500);
        let echoed = echo(vec![
            ("password".into(), "secret-123".into()),
            ("name".into(), long.clone()),
            ("csv".into(), long.clone()),
        ]);
        assert_eq!(echoed.len(), 2);
        assert_eq!(echoed[0].1.chars().count(), ECHO_CHARS);
        assert_eq!(echoed[1].1, long);
    }

    #[test]
    fn only_this_sites_pages_are_gone_back_to() {
        let headers = |referer: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static("hui.example.org"));
            h.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            h
        };
        assert_eq!(
            form_page(&headers("https://hui.example.org/login?next=/admin")).as_deref(),
            Some("/login?next=/admin")
        );
        assert_eq!(form_page(&headers("https://evil.example/login")), None);
        assert_eq!(
            form_page(&headers("https://hui.example.org/api/auth/register-code")),
            None,
            "an outcome, not a page"
        );
        let uri: axum::http::Uri = "/api/auth/register?page=%2Flogin%3Fnext%3D%2Fv%2Fx".parse().unwrap();
        assert_eq!(page_in_query(&uri).as_deref(), Some("/login?next=/v/x"));
        let uri: axum::http::Uri = "/api/auth/register?page=%2F%2Fevil.example".parse().unwrap();
        assert_eq!(page_in_query(&uri), None);
        assert!(!is_local("//evil.example/"));
        assert!(!is_local("/\\evil.example/"));
    }
}
