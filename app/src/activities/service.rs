//! The activity rules on typed inputs: who may sign up when, the officials'
//! forms, the sign-up's check-in code and the check-in at the door.

use domain::CivilDate;
use store::protect::DataKey;
use store::{ActivitySession, Actor, CheckIn, ClaimantFacts, MemberId, SignUp, SignUpOutcome, Store};

use super::model::{
    ActivityRow, AttendanceLine, AttendanceView, CheckInReceipt, SessionCard, SessionRow, SignUpCard, SignUpView,
};
use crate::benefits::codes::{CodeKey, CodeKind, Entered};
use crate::clock::{date_time_in_shanghai, wall_clock_in_shanghai};
use crate::error::AppError;
use crate::newsroom::model::masked_name;

fn store_error(context: &'static str) -> impl Fn(store::StoreError) -> AppError {
    move |e| AppError::from_store(context, e)
}

use super::model::KIND_OPTIONS as KINDS;

pub fn kind_label(kind: &str) -> String {
    KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| (*l).to_owned()).unwrap_or_default()
}

/// `2026-12-05 14:00–16:00` (Shanghai).
pub fn when(s: &ActivitySession) -> String {
    format!("{}–{}", date_time_in_shanghai(s.starts_at), wall_clock_in_shanghai(s.ends_at))
}

fn signup_window(s: &ActivitySession) -> String {
    format!(
        "报名：{} 至 {}",
        CivilDate::in_shanghai(s.signup_opens).iso(),
        CivilDate::in_shanghai(s.signup_closes - 1).iso()
    )
}

/// Whether a member with `facts` may sign up for `s` at `now` (a full
/// session still takes them, in line), or the status and reason to show.
pub fn judge(s: &ActivitySession, facts: &ClaimantFacts, in_subtree: bool, now: i64) -> Result<(), (u16, String)> {
    let Some(certified_at) = facts.certified_at else {
        return Err((403, "完成实名认证后即可报名参加工会活动".to_owned()));
    };
    if !in_subtree {
        return Err((403, format!("此活动面向{}及下级工会的会员", s.unit_name)));
    }
    if s.withdrawn_at.is_some() {
        return Err((409, "此活动已取消".to_owned()));
    }
    if now < s.signup_opens {
        return Err((409, format!("{} 开始报名", CivilDate::in_shanghai(s.signup_opens).iso())));
    }
    if now >= s.signup_closes || now >= s.starts_at {
        return Err((409, "报名已截止".to_owned()));
    }
    if let Some(since) = &s.member_since {
        if CivilDate::in_shanghai(certified_at).iso().as_str() > since.as_str() {
            return Err((403, format!("限 {since} 及以前认证的会员报名")));
        }
    }
    Ok(())
}

fn status_of(g: &SignUp, ahead: Option<i64>) -> String {
    match (g.status.as_str(), g.checked_in_at) {
        (_, Some(_)) => "已签到".to_owned(),
        ("confirmed", _) => "已报名".to_owned(),
        ("waiting", _) => format!("候补第 {} 位", ahead.unwrap_or(0) + 1),
        _ => "已取消".to_owned(),
    }
}

/// Sessions of the member's unit and the units above it, with their state.
pub async fn sessions_for(store: &Store, member: MemberId, now: i64) -> Result<Vec<SessionCard>, AppError> {
    let err = store_error("sessions_for");
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let sessions = store.sessions_for_unit(facts.unit_id, now).await.map_err(&err)?;
    let mine = store.member_signups(member).await.map_err(&err)?;
    Ok(sessions
        .into_iter()
        .map(|s| {
            let my = mine.iter().find(|g| g.session_id == s.id && g.status != "cancelled");
            let full = s.confirmed >= i64::from(s.capacity);
            let (can_sign_up, status) = match (my, judge(&s, &facts, true, now)) {
                (Some(g), _) => (false, status_of(g, None).replace("候补第 1 位", "候补中")),
                (None, Err((_, why))) => (false, why),
                (None, Ok(())) if full => (true, format!("名额已满，可排队候补（已有 {} 人候补）", s.waiting)),
                (None, Ok(())) => (true, format!("剩余 {} 个名额", i64::from(s.capacity) - s.confirmed)),
            };
            SessionCard {
                id: s.id,
                title: s.title.clone(),
                description: s.description.clone(),
                kind_label: kind_label(&s.kind),
                picture_url: s.picture_url.clone(),
                unit_name: s.unit_name.clone(),
                place: s.place.clone(),
                when: when(&s),
                signup_window: signup_window(&s),
                capacity: s.capacity.into(),
                confirmed: s.confirmed,
                waiting: s.waiting,
                can_sign_up,
                status,
                my_signup: my.map(|g| g.id),
            }
        })
        .collect())
}

/// Member `member` signs up for session `id`: the sign-up's id and a
/// notice (a seat, or a place in line).
pub async fn sign_up(store: &Store, member: MemberId, id: i64, now: i64) -> Result<(i64, String), AppError> {
    let err = store_error("sign_up");
    let session =
        store.activity_session(id).await.map_err(&err)?.ok_or_else(|| AppError::rejected(404, "", "没有这场活动"))?;
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let in_subtree = store.unit_within(facts.unit_id, session.unit_id).await.map_err(&err)?;
    judge(&session, &facts, in_subtree, now).map_err(|(status, why)| AppError::rejected(status, "", why))?;
    match store.sign_up_session(id, member, facts.unit_id, now).await.map_err(&err)? {
        SignUpOutcome::Confirmed(signup) => Ok((signup, format!("报名成功：{}，{}", session.title, when(&session)))),
        SignUpOutcome::Waiting(signup, ahead) => {
            Ok((signup, format!("名额已满，您在候补第 {} 位；有人取消时自动递补，届时会在“我的”提示", ahead + 1)))
        }
        SignUpOutcome::Already(_) => Err(AppError::rejected(409, "", "您已报名这场活动")),
    }
}

/// Cancels the member's sign-up `id` (before the session starts).
pub async fn cancel(store: &Store, member: MemberId, id: i64, now: i64) -> Result<String, AppError> {
    let err = store_error("cancel_signup");
    let found = store.signup(id).await.map_err(&err)?.filter(|g| g.member_id == member.0);
    let Some(found) = found else { return Err(AppError::rejected(404, "", "没有这条报名")) };
    if now >= found.starts_at {
        return Err(AppError::rejected(409, "", "活动已开始，不能取消"));
    }
    let (cancelled, _) = store.cancel_signup(id, member, now).await.map_err(&err)?;
    if !cancelled {
        return Err(AppError::rejected(409, "", "这条报名已取消"));
    }
    Ok("已取消报名，名额已让给候补的会员".to_owned())
}

/// The member's sign-ups (我的活动), newest first.
pub async fn my_signups(store: &Store, member: MemberId, now: i64) -> Result<Vec<SignUpCard>, AppError> {
    let err = store_error("my_signups");
    let mut out = Vec::new();
    for g in store.member_signups(member).await.map_err(&err)? {
        let ahead = if g.status == "waiting" { Some(store.waiting_ahead(g.id).await.map_err(&err)?) } else { None };
        out.push(SignUpCard {
            id: g.id,
            status: status_of(&g, ahead),
            promoted: g.promoted_at.filter(|_| g.status == "confirmed").map(date_time_in_shanghai),
            upcoming: g.starts_at > now && g.status != "cancelled",
            when: date_time_in_shanghai(g.starts_at),
            title: g.title,
            place: g.place,
        });
    }
    Ok(out)
}

/// The member's sign-up `id` with its check-in code while it holds a seat.
pub async fn signup_view(
    store: &Store,
    key: &DataKey,
    member: MemberId,
    id: i64,
    now: i64,
) -> Result<SignUpView, AppError> {
    let err = store_error("signup_view");
    let g = store
        .signup(id)
        .await
        .map_err(&err)?
        .filter(|g| g.member_id == member.0)
        .ok_or_else(|| AppError::rejected(404, "", "没有这条报名"))?;
    let session = store.activity_session(g.session_id).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let ahead = if g.status == "waiting" { Some(store.waiting_ahead(g.id).await.map_err(&err)?) } else { None };
    let confirmed = g.status == "confirmed";
    let codes = CodeKey::from_data_key(key);
    let show_code = confirmed && g.checked_in_at.is_none();
    let code = show_code.then(|| codes.sign(CodeKind::CheckIn, g.id, g.session_id));
    let qr_svg = match &code {
        Some(code) => Some(crate::benefits::service::qr_svg(code)?),
        None => None,
    };
    Ok(SignUpView {
        id: g.id,
        title: g.title.clone(),
        place: g.place.clone(),
        when: when(&session),
        status: status_of(&g, ahead),
        confirmed,
        can_cancel: g.status != "cancelled" && now < g.starts_at,
        checked_in: g.checked_in_at.map(date_time_in_shanghai),
        promoted: g.promoted_at.filter(|_| confirmed).map(date_time_in_shanghai),
        typed_code: show_code.then(|| codes.typed(CodeKind::CheckIn, g.id, g.session_id)),
        qr_svg,
        code,
    })
}

/// What an official types to create an activity and its first session, or
/// to add a session.
pub struct SessionForm<'a> {
    pub place: &'a str,
    pub date: &'a str,
    pub starts: &'a str,
    pub ends: &'a str,
    pub capacity: &'a str,
    pub signup_opens: &'a str,
    pub signup_closes: &'a str,
}

/// `HH:MM` → seconds after midnight.
fn clock_time(raw: &str, field: &str) -> Result<i64, AppError> {
    let bad = || AppError::rejected(400, field, "请填写时间，如 14:30");
    let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

fn date(raw: &str, field: &str) -> Result<CivilDate, AppError> {
    CivilDate::parse_iso(raw.trim()).ok_or_else(|| AppError::rejected(400, field, "请填写日期，如 2026-12-05"))
}

/// The session a form describes, checked: place, a time that ends after it
/// starts and is not past, 1–100 000 seats, a sign-up window that opens
/// before it closes and closes no later than the start.
pub fn parse_session<'a>(form: &SessionForm<'a>, now: i64) -> Result<store::NewSession<'a>, AppError> {
    let place = form.place.trim();
    if !(2..=60).contains(&place.chars().count()) {
        return Err(AppError::rejected(400, "place", "地点请填写 2 到 60 个字"));
    }
    let day = date(form.date, "date")?.midnight_in_shanghai();
    let starts_at = day + clock_time(form.starts, "starts")?;
    let ends_at = day + clock_time(form.ends, "ends")?;
    if ends_at <= starts_at {
        return Err(AppError::rejected(400, "ends", "结束时间要晚于开始时间"));
    }
    if starts_at <= now {
        return Err(AppError::rejected(400, "date", "活动时间已过"));
    }
    let capacity: i32 = form
        .capacity
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=100_000).contains(n))
        .ok_or_else(|| AppError::rejected(400, "capacity", "名额请填写 1 到 100000 之间的整数"))?;
    let signup_opens = date(form.signup_opens, "signup_opens")?.midnight_in_shanghai();
    // The closing day counts whole, but sign-up never runs past the start.
    let signup_closes = (date(form.signup_closes, "signup_closes")?.midnight_in_shanghai() + 86_400).min(starts_at);
    if signup_closes <= signup_opens {
        return Err(AppError::rejected(400, "signup_closes", "报名截止要晚于报名开始，且不晚于活动开始"));
    }
    Ok(store::NewSession { place, starts_at, ends_at, capacity, signup_opens, signup_closes })
}

/// Creates an activity with its first session (audited by the store).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    store: &Store,
    actor: &Actor,
    unit: &str,
    title: &str,
    description: &str,
    kind: &str,
    member_since: &str,
    session: &SessionForm<'_>,
    now: i64,
) -> Result<(i64, i64), AppError> {
    let title = title.trim();
    if !(2..=40).contains(&title.chars().count()) {
        return Err(AppError::rejected(400, "title", "名称请填写 2 到 40 个字"));
    }
    let description = description.trim();
    if description.is_empty() || description.chars().count() > 1000 {
        return Err(AppError::rejected(400, "description", "说明请填写，最多 1000 字"));
    }
    if !KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(AppError::rejected(400, "kind", "请选择活动类别"));
    }
    let member_since = match member_since.trim() {
        "" => None,
        raw => Some(date(raw, "member_since")?.iso()),
    };
    let session = parse_session(session, now)?;
    let new =
        store::NewActivity { unit_code: unit.trim(), title, description, kind, member_since: member_since.as_deref() };
    store
        .create_activity(actor, &new, &session, now)
        .await
        .map_err(store_error("create_activity"))?
        .ok_or_else(|| AppError::rejected(403, "unit", "只能为您管理的单位发布活动"))
}

pub async fn activities_admin(store: &Store, actor: &Actor) -> Result<Vec<ActivityRow>, AppError> {
    let sessions = store.sessions_in_scope(actor).await.map_err(store_error("activities_admin"))?;
    let mut rows: Vec<ActivityRow> = Vec::new();
    for s in sessions {
        let row = SessionRow {
            id: s.id,
            place: s.place.clone(),
            when: when(&s),
            capacity: s.capacity.into(),
            confirmed: s.confirmed,
            waiting: s.waiting,
            checked_in: s.checked_in,
        };
        match rows.last_mut().filter(|r| r.id == s.activity_id) {
            Some(last) => last.sessions.push(row),
            None => rows.push(ActivityRow {
                id: s.activity_id,
                title: s.title.clone(),
                unit_name: s.unit_name.clone(),
                kind_label: kind_label(&s.kind),
                withdrawn: s.withdrawn_at.is_some(),
                sessions: vec![row],
            }),
        }
    }
    Ok(rows)
}

/// Session `id`'s door page for an official in reach (404 otherwise).
pub async fn attendance(store: &Store, key: &DataKey, actor: &Actor, id: i64) -> Result<AttendanceView, AppError> {
    let err = store_error("attendance");
    let not_found = || AppError::rejected(404, "", "没有这场活动，或它不在您的管理范围");
    if !store.session_in_scope(actor, id).await.map_err(&err)? {
        return Err(not_found());
    }
    let s = store.activity_session(id).await.map_err(&err)?.ok_or_else(not_found)?;
    let signups = store.session_signups(id).await.map_err(&err)?;
    let mut lines = Vec::new();
    for (i, g) in signups.iter().enumerate() {
        let ahead =
            (g.status == "waiting").then(|| signups[..i].iter().filter(|w| w.status == "waiting").count() as i64);
        lines.push(AttendanceLine {
            seat: g.seat.map(i64::from),
            name: g.member_name.clone(),
            phone: domain::Phone::parse(&g.member_phone).map(|p| p.masked()).unwrap_or_default(),
            unit_name: g.unit_name.clone(),
            status: status_of(g, ahead),
            checked_in: g.checked_in_at.map(date_time_in_shanghai),
        });
    }
    Ok(AttendanceView {
        session_id: s.id,
        title: s.title.clone(),
        place: s.place.clone(),
        when: when(&s),
        capacity: s.capacity.into(),
        checked_in: s.checked_in,
        public_key: CodeKey::from_data_key(key).public_key(),
        lines,
    })
}

/// An official checks in what they scanned or typed at session `session`'s door.
pub async fn check_in(
    store: &Store,
    key: &DataKey,
    actor: &Actor,
    session: i64,
    entered: &str,
    now: i64,
) -> Result<CheckInReceipt, AppError> {
    let not_a_code = || AppError::rejected(400, "code", "这不是有效的签到码，请重新扫码或核对后输入");
    let codes = CodeKey::from_data_key(key);
    let (signup, for_session) = match Entered::parse(entered).ok_or_else(not_a_code)? {
        Entered::Signed(code) => codes.verify(CodeKind::CheckIn, &code).ok_or_else(not_a_code)?,
        Entered::Typed { first, digits } => {
            if !codes.check_typed(CodeKind::CheckIn, first, session, &digits) {
                return Err(not_a_code());
            }
            (first, session)
        }
    };
    if for_session != session {
        return Err(AppError::rejected(409, "code", "这是另一场活动的签到码"));
    }
    match store.check_in(actor, signup, session, now).await.map_err(store_error("check_in"))? {
        CheckIn::Done(g) => Ok(CheckInReceipt {
            signup_id: g.id,
            member_name: masked_name(&g.member_name),
            notice: format!(
                "签到成功：{}（{}，座位 {}）",
                masked_name(&g.member_name),
                g.unit_name,
                g.seat.unwrap_or_default()
            ),
        }),
        CheckIn::Already(at) => {
            Err(AppError::rejected(409, "code", format!("已于 {} 签到，不重复计数", date_time_in_shanghai(at))))
        }
        CheckIn::NoSeat => Err(AppError::rejected(409, "code", "这位会员在候补名单上或已取消，没有座位")),
        CheckIn::NotFound => Err(AppError::rejected(404, "code", "没有这条报名，或这场活动不在您的管理范围")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_176_800; // 2026-12-02 10:00 in Shanghai

    #[test]
    fn a_session_form_is_read_in_shanghai_time_and_its_window_ends_by_the_start() {
        let form = SessionForm {
            place: "临沂万达影城 3 号厅",
            date: "2026-12-05",
            starts: "14:00",
            ends: "16:00",
            capacity: "120",
            signup_opens: "2026-12-01",
            signup_closes: "2026-12-05",
        };
        let s = parse_session(&form, NOW).unwrap();
        assert_eq!(s.starts_at, NOW + 3 * 86_400 + 4 * 3600, "2026-12-05 14:00 in Shanghai");
        assert_eq!(s.ends_at - s.starts_at, 7200);
        assert_eq!(s.signup_closes, s.starts_at, "the closing day counts, but never past the start");
        let late = SessionForm { ends: "13:00", ..form };
        assert_eq!(parse_session(&late, NOW).unwrap_err().message_for("ends").unwrap(), "结束时间要晚于开始时间");
        let past = SessionForm { date: "2026-12-01", ends: "16:00", ..late };
        assert!(parse_session(&past, NOW).unwrap_err().message_for("date").is_some());
        let odd = SessionForm { date: "2026-12-05", starts: "25:00", ..past };
        assert!(parse_session(&odd, NOW).unwrap_err().message_for("starts").is_some());
    }
}
