//! Every activities server function: the /api surface of 活动 (docs/API.md).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
fn parse_id(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::rejected(404, "", format!("没有这{what}")))
}

/// Sessions the signed-in member can see (their unit's and every unit's
/// above it), with whether they may sign up; empty for visitors.
#[server(prefix = "/api", endpoint = "activities", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_sessions() -> Result<Vec<SessionCard>, AppError> {
    let store = crate::context::store()?;
    match crate::accounts::session::member(&store, &crate::context::session().await?).await? {
        Some(member) => crate::activities::service::sessions_for(&store, member, crate::clock::now()).await,
        None => Ok(Vec::new()),
    }
}

/// The signed-in member signs up for session `id`: a seat, or the next
/// place in line when it is full (the answer says which). 401 signed out;
/// 403 not certified or outside the unit; 409 signed up already, not open,
/// closed.
#[server(prefix = "/api", endpoint = "activities/signup")]
pub async fn sign_up(id: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let (signup, notice) =
        crate::activities::service::sign_up(&store, member, parse_id(&id, "场活动")?, crate::clock::now()).await?;
    crate::context::go_to(&format!("/services/activities/{signup}"));
    Ok(notice)
}

/// The member cancels their sign-up `id`; the first in line moves up.
#[server(prefix = "/api", endpoint = "activities/cancel")]
pub async fn cancel_sign_up(id: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::activities::service::cancel(&store, member, parse_id(&id, "条报名")?, crate::clock::now()).await
}

/// The member's sign-ups (我的活动), newest first.
#[server(prefix = "/api", endpoint = "me/activities", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_my_signups() -> Result<Vec<SignUpCard>, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::activities::service::my_signups(&store, member, crate::clock::now()).await
}

/// The member's sign-up `id`: its state and, while it holds a seat, the
/// check-in code (`HD1.{signup}.{session}.{signature}`) and the typed one.
#[server(prefix = "/api", endpoint = "activities/my-signup", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_signup(id: String) -> Result<SignUpView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let key = crate::context::services()?.data_key.clone();
    crate::activities::service::signup_view(&store, &key, member, parse_id(&id, "条报名")?, crate::clock::now()).await
}

/// The officials' page: units in reach and their activities with sessions.
#[server(prefix = "/api", endpoint = "admin/activities", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_activities_admin() -> Result<ActivitiesAdminView, AppError> {
    let (store, actor) = crate::context::official().await?;
    let units = store
        .units_in_scope(&actor)
        .await
        .map_err(|e| AppError::from_store("activities_admin", e))?
        .into_iter()
        .map(|(c, n, _)| (c, n))
        .collect();
    let activities = crate::activities::service::activities_admin(&store, &actor).await?;
    Ok(ActivitiesAdminView { units, activities })
}

/// Creates an activity of `unit` with its first session: `kind` one of
/// training / cinema / sports / other; `date` `YYYY-MM-DD`, `starts` and
/// `ends` `HH:MM` (Shanghai); `capacity` 1–100 000; `signup_opens`,
/// `signup_closes` dates (both included, closing by the start);
/// `member_since` optional. Audited.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/activities/create")]
pub async fn create_activity(
    unit: String,
    title: String,
    description: String,
    kind: String,
    member_since: String,
    place: String,
    date: String,
    starts: String,
    ends: String,
    capacity: String,
    signup_opens: String,
    signup_closes: String,
) -> Result<i64, AppError> {
    let (store, actor) = crate::context::official().await?;
    let session = crate::activities::service::SessionForm {
        place: &place,
        date: &date,
        starts: &starts,
        ends: &ends,
        capacity: &capacity,
        signup_opens: &signup_opens,
        signup_closes: &signup_closes,
    };
    let (activity, _) = crate::activities::service::create(
        &store,
        &actor,
        &unit,
        &title,
        &description,
        &kind,
        &member_since,
        &session,
        crate::clock::now(),
    )
    .await?;
    crate::context::go_to(&format!("/admin/activities#activity-{activity}"));
    Ok(activity)
}

/// Adds a session to activity `activity` (same fields as the first). Audited.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/activities/sessions")]
pub async fn add_session(
    activity: String,
    place: String,
    date: String,
    starts: String,
    ends: String,
    capacity: String,
    signup_opens: String,
    signup_closes: String,
) -> Result<i64, AppError> {
    let (store, actor) = crate::context::official().await?;
    let form = crate::activities::service::SessionForm {
        place: &place,
        date: &date,
        starts: &starts,
        ends: &ends,
        capacity: &capacity,
        signup_opens: &signup_opens,
        signup_closes: &signup_closes,
    };
    let now = crate::clock::now();
    let session = crate::activities::service::parse_session(&form, now)?;
    let activity = parse_id(&activity, "个活动")?;
    let id = store
        .add_session(&actor, activity, &session, now)
        .await
        .map_err(|e| AppError::from_store("add_session", e))?
        .ok_or_else(|| AppError::rejected(404, "", "没有这个活动，或它不在您的管理范围，或已取消"))?;
    crate::context::go_to(&format!("/admin/activities#activity-{activity}"));
    Ok(id)
}

/// Cancels activity `id` (no new sign-ups; it leaves members' lists). Audited.
#[server(prefix = "/api", endpoint = "admin/activities/withdraw")]
pub async fn withdraw_activity(id: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let done = store
        .withdraw_activity(&actor, parse_id(&id, "个活动")?, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("withdraw_activity", e))?;
    if !done {
        return Err(AppError::rejected(404, "", "没有这个活动，或它不在您的管理范围，或已取消"));
    }
    Ok("活动已取消".to_owned())
}

/// Session `id`'s door page: the attendance list and the scanner's key.
#[server(prefix = "/api", endpoint = "admin/activities/attendance", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_attendance(id: String) -> Result<AttendanceView, AppError> {
    let (store, actor) = crate::context::official().await?;
    let key = crate::context::services()?.data_key.clone();
    crate::activities::service::attendance(&store, &key, &actor, parse_id(&id, "场活动")?).await
}

/// An official checks a member in at session `session`'s door with the
/// scanned or typed `code`; once: a second check-in is refused (409) with
/// the time of the first, so a code synced twice never counts twice.
#[server(prefix = "/api", endpoint = "admin/activities/checkin")]
pub async fn check_in(session: String, code: String) -> Result<CheckInReceipt, AppError> {
    let (store, actor) = crate::context::official().await?;
    let key = crate::context::services()?.data_key.clone();
    let session = parse_id(&session, "场活动")?;
    crate::activities::service::check_in(&store, &key, &actor, session, &code, crate::clock::now()).await
}
