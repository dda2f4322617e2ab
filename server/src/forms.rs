//! The HTML form posts (see app/src/forms.rs for the pattern): each runs the
//! same service as its JSON server function, then redirects on success or
//! renders the page again with the outcome, under a status that fits.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::provide_context;
use tower_sessions::Session;

use app::accounts::service::RegisterInput;
use app::accounts::session;
use app::error::AppError;
use app::officials::service as admin;
use app::ui::forms::PostedForm;
use store::SmsPurpose;

use crate::AppState;

type Fields = Vec<(String, String)>;

/// The most characters of one typed value shown again on the page.
const ECHO_CHARS: usize = 100;

/// Fields never sent back to the page.
const SECRET_FIELDS: &[&str] = &["password"];

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

enum Outcome {
    Redirect(&'static str),
    RedirectTo(String),
    Notice(String),
    Error(AppError),
}

/// `POST /register`: `intent=send_code` (phone, unit) or `intent=register`.
pub async fn post_register(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = if field(&fields, "intent") == "send_code" {
        match state.accounts.send_code(field(&fields, "phone"), SmsPurpose::Register).await {
            Ok(phone) => Outcome::Notice(format!("验证码已发送至 {}，5 分钟内有效", phone.masked())),
            Err(error) => Outcome::Error(error),
        }
    } else {
        let input = RegisterInput {
            phone: field(&fields, "phone").to_owned(),
            code: field(&fields, "code").to_owned(),
            name: field(&fields, "name").to_owned(),
            password: field(&fields, "password").to_owned(),
            unit: field(&fields, "unit").to_owned(),
        };
        match state.accounts.register(&input).await {
            Ok(id) => match session::sign_in(&state.store, &session, id, false).await {
                Ok(()) => Outcome::Redirect("/me"),
                Err(error) => Outcome::Error(error),
            },
            Err(error) => Outcome::Error(error),
        }
    };
    respond(&state, parts, fields, outcome, "/register").await
}

/// `POST /login`: phone, password, remember.
pub async fn post_login(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = match state.accounts.login_with_password(field(&fields, "phone"), field(&fields, "password")).await {
        Ok(id) => match session::sign_in(&state.store, &session, id, !field(&fields, "remember").is_empty()).await {
            Ok(()) => Outcome::RedirectTo(next_page(field(&fields, "next"))),
            Err(error) => Outcome::Error(error),
        },
        Err(error) => Outcome::Error(error),
    };
    respond(&state, parts, fields, outcome, "/login").await
}

/// Where to go after signing in: `next` when it is a path on this site
/// (never another host: `//evil.example` and `/\\evil` are refused; only
/// printable ASCII, as a Location header needs), else 我的.
fn next_page(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.chars().all(|c| c.is_ascii_graphic());
    if local {
        next.chars().take(200).collect()
    } else {
        "/me".to_owned()
    }
}

/// `POST /logout`.
pub async fn post_logout(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = match session::sign_out(&session).await {
        Ok(()) => Outcome::Redirect("/"),
        Err(error) => Outcome::Error(error),
    };
    respond(&state, parts, fields, outcome, "/me").await
}

/// For sign-in and reset codes the notice never says whether the phone is a
/// member's (no code is sent to strangers, but the page looks the same).
fn sent_if_member(phone: &domain::Phone) -> String {
    format!("如果 {} 是已注册会员的手机号，验证码已发送，5 分钟内有效", phone.masked())
}

/// `POST /login/sms`: `intent=send_code` (phone) or `intent=login` (phone, code, remember).
pub async fn post_sms_login(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = if field(&fields, "intent") == "send_code" {
        match state.accounts.send_code(field(&fields, "phone"), SmsPurpose::Login).await {
            Ok(phone) => Outcome::Notice(sent_if_member(&phone)),
            Err(error) => Outcome::Error(error),
        }
    } else {
        match state.accounts.login_with_code(field(&fields, "phone"), field(&fields, "code")).await {
            Ok(id) => {
                match session::sign_in(&state.store, &session, id, !field(&fields, "remember").is_empty()).await {
                    Ok(()) => Outcome::Redirect("/me"),
                    Err(error) => Outcome::Error(error),
                }
            }
            Err(error) => Outcome::Error(error),
        }
    };
    respond(&state, parts, fields, outcome, "/login/sms").await
}

/// `POST /reset`: `intent=send_code` (phone) or `intent=reset` (phone, code, password).
pub async fn post_reset(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, _session)) = read_form(request).await else { return bad_form() };
    let outcome = if field(&fields, "intent") == "send_code" {
        match state.accounts.send_code(field(&fields, "phone"), SmsPurpose::Reset).await {
            Ok(phone) => Outcome::Notice(sent_if_member(&phone)),
            Err(error) => Outcome::Error(error),
        }
    } else {
        match state
            .accounts
            .reset_password(field(&fields, "phone"), field(&fields, "code"), field(&fields, "password"))
            .await
        {
            Ok(_) => Outcome::Redirect("/login?reset=1"),
            Err(error) => Outcome::Error(error),
        }
    };
    respond(&state, parts, fields, outcome, "/reset").await
}

/// `POST /me/phone`: `intent=send_code` (the new phone) or `intent=change` (phone, code).
pub async fn post_change_phone(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = match session::member(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(None) => {
            Outcome::Error(AppError::Rejected { status: 401, field: String::new(), message: "请先登录".into() })
        }
        Ok(Some(_)) if field(&fields, "intent") == "send_code" => {
            match state.accounts.send_code(field(&fields, "phone"), SmsPurpose::ChangePhone).await {
                Ok(phone) => Outcome::Notice(format!("验证码已发送至新手机号 {}，5 分钟内有效", phone.masked())),
                Err(error) => Outcome::Error(error),
            }
        }
        Ok(Some(member)) => {
            match state.accounts.change_phone(member, field(&fields, "phone"), field(&fields, "code")).await {
                // This session stays; the member's other sessions end.
                Ok(_) => match session::refresh_epoch(&state.store, &session, member).await {
                    Ok(()) => Outcome::Redirect("/me"),
                    Err(error) => Outcome::Error(error),
                },
                Err(error) => Outcome::Error(error),
            }
        }
    };
    respond(&state, parts, fields, outcome, "/me/phone").await
}

/// `POST /admin/units` (super admin): a multipart upload (`file`) is checked
/// and previewed; `intent=confirm` with the checked `csv` text imports it.
pub async fn post_units_import(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(session) = parts.extensions.get::<Session>().cloned() else { return bad_form() };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (intent, csv) = if let Ok(boundary) = multer::parse_boundary(&content_type) {
        match read_uploaded_file(body, boundary).await {
            Some(bytes) => ("preview", bytes),
            None => return bad_form(),
        }
    } else {
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else { return bad_form() };
        let Ok(fields) = serde_urlencoded::from_bytes::<Fields>(&bytes) else { return bad_form() };
        ("confirm", field(&fields, "csv").as_bytes().to_vec())
    };
    let outcome = match admin::official(&state.store, &session).await {
        Ok(actor) if actor.is_super_admin => units_import(&state, &actor, intent, &csv).await,
        Ok(_) => Outcome::Error(AppError::Rejected {
            status: 403,
            field: String::new(),
            message: "只有超级管理员可以导入单位".into(),
        }),
        Err(error) => Outcome::Error(error),
    };
    // The checked text goes back to the page for the confirmation step.
    let text = String::from_utf8(csv).unwrap_or_default();
    let fields = vec![("intent".to_owned(), intent.to_owned()), ("csv".to_owned(), text)];
    respond(&state, parts, fields, outcome, "/admin/units").await
}

async fn read_uploaded_file(body: Body, boundary: String) -> Option<Vec<u8>> {
    read_multipart(body, boundary, "file").await?.1
}

/// A multipart form's text fields, and the bytes of its one file field
/// `file_field` (`None` when absent). `None` when the body is not readable.
async fn read_multipart(body: Body, boundary: String, file_field: &str) -> Option<(Fields, Option<Vec<u8>>)> {
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let (mut fields, mut file) = (Fields::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(part)) => {
                let name = part.name().unwrap_or_default().to_owned();
                if name == file_field {
                    file = Some(part.bytes().await.ok()?.to_vec());
                } else {
                    fields.push((name, part.text().await.ok()?));
                }
            }
            Ok(None) => return Some((fields, file)),
            Err(_) => return None,
        }
    }
}

async fn units_import(state: &AppState, actor: &store::Actor, intent: &str, csv: &[u8]) -> Outcome {
    use app::officials::units_import;
    notice_or_error(if intent == "confirm" {
        units_import::import(&state.store, actor, csv).await
    } else {
        units_import::preview(&state.store, csv).await
    })
}

/// `POST /admin/roster` (any official): a multipart upload (`file`) is
/// checked against the rules and the official's reach, kept sealed, and
/// previewed with every problem listed; `intent=confirm` with its `token`
/// imports the good rows in one transaction (audited).
pub async fn post_roster_import(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(session) = parts.extensions.get::<Session>().cloned() else { return bad_form() };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (upload, token) = match multer::parse_boundary(&content_type) {
        Ok(boundary) => match read_uploaded_file(body, boundary).await {
            Some(bytes) => (Some(bytes), String::new()),
            None => return bad_form(),
        },
        Err(_) => {
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else { return bad_form() };
            let Ok(fields) = serde_urlencoded::from_bytes::<Fields>(&bytes) else { return bad_form() };
            (None, field(&fields, "token").to_owned())
        }
    };
    let (outcome, values) = match admin::official(&state.store, &session).await {
        Ok(actor) => match upload {
            Some(bytes) => roster_preview(&state, &actor, &bytes).await,
            None => (roster_confirm(&state, &actor, &token).await, Vec::new()),
        },
        Err(error) => (Outcome::Error(error), Vec::new()),
    };
    respond(&state, parts, values, outcome, "/admin/roster").await
}

async fn roster_preview(state: &AppState, actor: &store::Actor, bytes: &[u8]) -> (Outcome, Fields) {
    match app::certification::roster::preview(&state.services(), actor, bytes).await {
        Ok(preview) => {
            let values =
                vec![("problems".to_owned(), preview.problems.join("\n")), ("token".to_owned(), preview.token)];
            (Outcome::Notice(preview.notice), values)
        }
        Err((error, problems)) => (Outcome::Error(error), vec![("problems".to_owned(), problems.join("\n"))]),
    }
}

async fn roster_confirm(state: &AppState, actor: &store::Actor, token: &str) -> Outcome {
    use app::certification::roster::{confirm, Confirmed};
    match confirm(&state.services(), actor, token).await {
        Ok(Confirmed::Done(notice)) => Outcome::Notice(notice),
        // A large roster imports in the background; its page shows the progress.
        Ok(Confirmed::Background { job }) => Outcome::RedirectTo(format!("/admin/roster?job={job}")),
        Err(error) => Outcome::Error(error),
    }
}

/// `POST /certify`: name, id_number (signed in).
pub async fn post_certify(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = match session::member(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(None) => {
            Outcome::Error(AppError::Rejected { status: 401, field: String::new(), message: "请先登录".into() })
        }
        Ok(Some(member)) => {
            let certified = app::certification::service::certify(
                &state.store,
                &state.data_key,
                member,
                field(&fields, "name"),
                field(&fields, "id_number"),
            )
            .await;
            match certified {
                Ok(_) => Outcome::Redirect("/me"),
                Err(error) => Outcome::Error(error),
            }
        }
    };
    respond(&state, parts, fields, outcome, "/certify").await
}

/// `POST /certify/request` (multipart, signed in): name, id_number and the
/// union-card `photo`, for manual review. Redirects to /certify, which then
/// shows the request as waiting.
pub async fn post_certify_request(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(session) = parts.extensions.get::<Session>().cloned() else { return bad_form() };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let Ok(boundary) = multer::parse_boundary(&content_type) else { return bad_form() };
    let Some((mut fields, photo)) = read_multipart(body, boundary, "photo").await else { return bad_form() };
    let outcome = match session::member(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(None) => {
            Outcome::Error(AppError::Rejected { status: 401, field: String::new(), message: "请先登录".into() })
        }
        Ok(Some(member)) => {
            let sent = app::certification::service::request_review(
                &state.store,
                &state.data_key,
                member,
                field(&fields, "name"),
                field(&fields, "id_number"),
                photo.as_deref(),
            )
            .await;
            match sent {
                Ok(()) => Outcome::Redirect("/certify"),
                Err(error) => Outcome::Error(error),
            }
        }
    };
    // The page tells its two forms apart by this.
    fields.retain(|(name, _)| name != "intent");
    fields.push(("intent".to_owned(), "review".to_owned()));
    respond(&state, parts, fields, outcome, "/certify").await
}

/// `POST /admin/certify` (officials): `intent` = `approve` (id, member_no),
/// `reject` (id, reason) or `reveal` (id: show the full ID number, audited).
pub async fn post_review(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, mut fields, session)) = read_form(request).await else { return bad_form() };
    // Only the server puts a revealed number on the page.
    fields.retain(|(name, _)| name != "revealed");
    let outcome = match admin::official(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(actor) => {
            use app::certification::service as c;
            let id: i64 = field(&fields, "id").parse().unwrap_or(-1);
            let decided = match field(&fields, "intent") {
                "approve" => c::approve(&state.store, &state.data_key, &actor, id, field(&fields, "member_no")).await,
                "reject" => c::reject(&state.store, &actor, id, field(&fields, "reason")).await,
                "reveal" => match c::reveal_id_number(&state.store, &state.data_key, &actor, id).await {
                    Ok(plain) => {
                        fields.push(("revealed".to_owned(), plain));
                        Ok("完整身份证号已显示，本次查看已记入操作日志".to_owned())
                    }
                    Err(error) => Err(error),
                },
                _ => Err(AppError::Rejected {
                    status: 400, field: String::new(), message: "无法识别的操作".into()
                }),
            };
            match decided {
                Ok(notice) => Outcome::Notice(notice),
                Err(error) => Outcome::Error(error),
            }
        }
    };
    respond(&state, parts, fields, outcome, "/admin/certify").await
}

/// `POST /v/{campaign}/{number}` (signed in): `key`, the page's idempotency
/// key. 303 back to the page with `?voted=1`; otherwise the page again with
/// the reason (401 signed out, 403 outside the voting window or not allowed
/// to vote, 404 no such candidate, 429 no votes left).
pub async fn post_vote(
    State(state): State<AppState>,
    axum::extract::Path((campaign, number)): axum::extract::Path<(String, String)>,
    request: Request,
) -> Response {
    let ip = request.extensions().get::<app::context::ClientIp>().and_then(|c| c.0);
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let page = format!("/v/{}/{}", urlencoding_path(&campaign), urlencoding_path(&number));
    let outcome = match session::member(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(None) => {
            Outcome::Error(AppError::Rejected {
                status: 401, field: String::new(), message: "请先登录再投票".into()
            })
        }
        Ok(Some(member)) => {
            use app::voting::service::{vote, Ballot, VoteDesk};
            let desk = VoteDesk { store: &state.store, queue: &state.vote_queue, limiter: &state.votes };
            let ballot = Ballot { member, campaign: &campaign, number: &number, key: field(&fields, "key"), ip };
            match vote(desk, ballot).await {
                Ok(_) => Outcome::RedirectTo(format!("{page}?voted=1")),
                Err(error) => Outcome::Error(error),
            }
        }
    };
    respond(&state, parts, Vec::new(), outcome, &page).await
}

/// `POST /admin/campaigns/{slug}/fraud` (officials of the campaign's unit or
/// above): `intent=void` with `how` (`member`, `candidate`, `range`),
/// `value`, `reason`; or `intent=undo` with the void's `id`. Audited.
pub async fn post_fraud(
    State(state): State<AppState>,
    axum::extract::Path(campaign): axum::extract::Path<String>,
    request: Request,
) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let page = format!("/admin/campaigns/{}/fraud", urlencoding_path(&campaign));
    let outcome = notice_or_error(
        async {
            use app::voting::fraud;
            let (actor, found) = campaign_official(&state, &session, &campaign).await?;
            if field(&fields, "intent") == "undo" {
                fraud::undo(&state.store, &found, actor.member_id, field(&fields, "id")).await
            } else {
                let (how, value, reason) = (field(&fields, "how"), field(&fields, "value"), field(&fields, "reason"));
                fraud::void(&state.store, &found, actor.member_id, how, value, reason).await
            }
        }
        .await,
    );
    respond(&state, parts, Vec::new(), outcome, &page).await
}

/// `POST /admin/campaigns/{slug}/results` (officials): `score_{number}`
/// fields, the expert panel's scores (0–100, or empty). Audited.
pub async fn post_results(
    State(state): State<AppState>,
    axum::extract::Path(campaign): axum::extract::Path<String>,
    request: Request,
) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let page = format!("/admin/campaigns/{}/results", urlencoding_path(&campaign));
    let outcome = notice_or_error(
        async {
            let (actor, found) = campaign_official(&state, &session, &campaign).await?;
            app::voting::service::save_expert_scores(&state.store, &found, actor.member_id, &fields).await
        }
        .await,
    );
    respond(&state, parts, fields, outcome, &page).await
}

/// `POST /admin/campaigns/new` (officials): the campaign form (see
/// services::campaigns::create). 303 to the new campaign's candidates page.
pub async fn post_new_campaign(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = match admin::official(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(actor) => match app::voting::campaigns::create(&state.store, &actor, &fields).await {
            Ok(slug) => Outcome::RedirectTo(format!("/admin/campaigns/{slug}/candidates")),
            Err(error) => Outcome::Error(error),
        },
    };
    respond(&state, parts, fields, outcome, "/admin/campaigns/new").await
}

/// `POST /admin/campaigns/{slug}/candidates` (officials): `intent=nominate`
/// (name, unit, title, story), or `approve` / `reject` with a sign-up's `id`.
pub async fn post_candidates(
    State(state): State<AppState>,
    axum::extract::Path(campaign): axum::extract::Path<String>,
    request: Request,
) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let page = format!("/admin/campaigns/{}/candidates", urlencoding_path(&campaign));
    let outcome = notice_or_error(
        async {
            use app::voting::campaigns;
            let (actor, found) = campaign_official(&state, &session, &campaign).await?;
            match field(&fields, "intent") {
                "nominate" => campaigns::nominate(&state.store, &found, &actor, &fields).await,
                intent => {
                    campaigns::review(&state.store, &found, &actor, field(&fields, "id"), intent == "approve").await
                }
            }
        }
        .await,
    );
    respond(&state, parts, fields, outcome, &page).await
}

/// `POST /v/{slug}/signup` (signed in, during 报名): title, story.
pub async fn post_signup(
    State(state): State<AppState>,
    axum::extract::Path(campaign): axum::extract::Path<String>,
    request: Request,
) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let page = format!("/v/{}", urlencoding_path(&campaign));
    let outcome = match session::member(&state.store, &session).await {
        Err(error) => Outcome::Error(error),
        Ok(None) => {
            Outcome::Error(AppError::Rejected { status: 401, field: String::new(), message: "请先登录".into() })
        }
        Ok(Some(member)) => match app::voting::service::campaign(&state.store, &campaign).await {
            Err(error) => Outcome::Error(error),
            Ok(found) => match app::voting::campaigns::sign_up(&state.store, &found, member, &fields).await {
                Ok(notice) => Outcome::Notice(notice),
                Err(error) => Outcome::Error(error),
            },
        },
    };
    respond(&state, parts, fields, outcome, &page).await
}

/// `POST /admin/campaigns/{slug}/cover` and
/// `POST /admin/campaigns/{slug}/candidates/{id}/photo` (officials):
/// multipart with `photo` (JPEG/PNG/WebP by content, ≤ 8 MB). Audited.
pub async fn post_picture(
    State(state): State<AppState>,
    axum::extract::Path(params): axum::extract::Path<Vec<(String, String)>>,
    request: Request,
) -> Response {
    let param = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let campaign = param("campaign").unwrap_or_default();
    let candidate = param("id");
    let (parts, body) = request.into_parts();
    let Some(session) = parts.extensions.get::<Session>().cloned() else { return bad_form() };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let Ok(boundary) = multer::parse_boundary(&content_type) else { return bad_form() };
    let Some((_, photo)) = read_multipart(body, boundary, "photo").await else { return bad_form() };
    let page = format!("/admin/campaigns/{}/candidates", urlencoding_path(&campaign));
    let outcome = notice_or_error(
        async {
            let (actor, found) = campaign_official(&state, &session, &campaign).await?;
            app::voting::campaigns::upload_picture(&state.store, &found, &actor, candidate.as_deref(), photo.as_deref())
                .await
        }
        .await,
    );
    respond(&state, parts, Vec::new(), outcome, &page).await
}

/// The signed-in official and campaign `slug`, which must be in their reach.
async fn campaign_official(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<(store::Actor, store::Campaign), AppError> {
    let actor = admin::official(&state.store, session).await?;
    let campaign = app::voting::service::campaign_in_reach(&state.store, &actor, slug).await?;
    Ok((actor, campaign))
}

/// A service's answer as the page shows it: its notice, or why not.
fn notice_or_error(answer: Result<String, AppError>) -> Outcome {
    match answer {
        Ok(notice) => Outcome::Notice(notice),
        Err(error) => Outcome::Error(error),
    }
}

/// A path segment as typed, limited to what campaign slugs and candidate
/// numbers are made of (anything else cannot name one anyway).
fn urlencoding_path(segment: &str) -> String {
    segment.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(64).collect()
}

/// `POST /admin/officials`: phone, unit. Shown again on /admin.
pub async fn post_appoint(State(state): State<AppState>, request: Request) -> Response {
    let Some((parts, fields, session)) = read_form(request).await else { return bad_form() };
    let outcome = match admin::official(&state.store, &session).await {
        Ok(actor) => {
            match admin::appoint(&state.store, &actor, field(&fields, "phone"), field(&fields, "unit"), None).await {
                Ok(notice) => Outcome::Notice(notice),
                Err(error) => Outcome::Error(error),
            }
        }
        Err(error) => Outcome::Error(error),
    };
    respond(&state, parts, fields, outcome, "/admin").await
}

async fn read_form(request: Request) -> Option<(axum::http::request::Parts, Fields, Session)> {
    let (parts, body) = request.into_parts();
    // The body limit layer already capped the size.
    let bytes = axum::body::to_bytes(body, usize::MAX).await.ok()?;
    let fields: Fields = serde_urlencoded::from_bytes(&bytes).ok()?;
    let session = parts.extensions.get::<Session>().cloned()?;
    Some((parts, fields, session))
}

fn bad_form() -> Response {
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "表单内容无法读取，请返回重试。")
        .into_response()
}

/// Redirects, or renders `page` as a GET with the posted form in context.
async fn respond(
    state: &AppState,
    mut parts: axum::http::request::Parts,
    fields: Fields,
    outcome: Outcome,
    page: &str,
) -> Response {
    let (status, posted) = match outcome {
        // 303: the browser follows with a GET, so a reload never re-posts.
        Outcome::Redirect(to) => return Redirect::to(to).into_response(),
        Outcome::RedirectTo(to) => return Redirect::to(&to).into_response(),
        Outcome::Notice(notice) => {
            (StatusCode::OK, PostedForm { values: Vec::new(), error: None, notice: Some(notice) })
        }
        Outcome::Error(error) => (error.status(), PostedForm { values: Vec::new(), error: Some(error), notice: None }),
    };
    let posted = PostedForm {
        values: fields
            .into_iter()
            .filter(|(name, _)| !SECRET_FIELDS.contains(&name.as_str()))
            // Typed values are shown again, but not a megabyte of them; the
            // import pages' checked text and problem lists are kept whole.
            .map(|(name, value)| {
                let whole = matches!(name.as_str(), "csv" | "problems");
                let value = if whole { value } else { value.chars().take(ECHO_CHARS).collect() };
                (name, value)
            })
            .collect(),
        ..posted
    };
    // Render the page at the same address as a GET, with the session and
    // cookies of this request, and the posted form in context.
    parts.method = Method::GET;
    parts.uri = page.parse().unwrap_or_else(|_| axum::http::Uri::from_static("/"));
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let request = Request::from_parts(parts, Body::empty());
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
