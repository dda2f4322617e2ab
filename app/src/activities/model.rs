//! The activities feature's view types (serde; browser and server alike).

use serde::{Deserialize, Serialize};

/// The kinds of activity (value, label).
pub const KIND_OPTIONS: [(&str, &str); 4] =
    [("training", "培训"), ("cinema", "观影"), ("sports", "文体"), ("other", "其他")];

/// A session as members see it on 服务.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionCard {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub kind_label: String,
    pub picture_url: Option<String>,
    pub unit_name: String,
    pub place: String,
    /// `2026-12-05 14:00–16:00`.
    pub when: String,
    /// `报名：2026-12-01 至 2026-12-04`.
    pub signup_window: String,
    pub capacity: i64,
    pub confirmed: i64,
    pub waiting: i64,
    /// Whether this member may sign up now (a full session puts them in line).
    pub can_sign_up: bool,
    /// Why not, or the state (名额已满，可排队候补 …).
    pub status: String,
    /// The member's live sign-up, if any.
    pub my_signup: Option<i64>,
}

/// One of the member's sign-ups (我的活动).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SignUpCard {
    pub id: i64,
    pub title: String,
    pub place: String,
    pub when: String,
    /// 已报名 / 候补第 N 位 / 已取消 / 已签到.
    pub status: String,
    /// Moved up from the waiting list: when (the notice on 我的).
    pub promoted: Option<String>,
    pub upcoming: bool,
}

/// A sign-up's own page: the check-in QR code while it holds a seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SignUpView {
    pub id: i64,
    pub title: String,
    pub place: String,
    pub when: String,
    pub status: String,
    pub confirmed: bool,
    pub can_cancel: bool,
    pub checked_in: Option<String>,
    pub promoted: Option<String>,
    pub qr_svg: Option<String>,
    pub typed_code: Option<String>,
    pub code: Option<String>,
}

/// A session in the officials' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionRow {
    pub id: i64,
    pub place: String,
    pub when: String,
    pub capacity: i64,
    pub confirmed: i64,
    pub waiting: i64,
    pub checked_in: i64,
}

/// An activity with its sessions, as officials list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityRow {
    pub id: i64,
    pub title: String,
    pub unit_name: String,
    pub kind_label: String,
    pub withdrawn: bool,
    pub sessions: Vec<SessionRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivitiesAdminView {
    pub units: Vec<(String, String)>,
    pub activities: Vec<ActivityRow>,
}

/// One line of the attendance list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttendanceLine {
    pub seat: Option<i64>,
    pub name: String,
    pub phone: String,
    pub unit_name: String,
    pub status: String,
    pub checked_in: Option<String>,
}

/// A session's door page: the scanner and the attendance list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttendanceView {
    pub session_id: i64,
    pub title: String,
    pub place: String,
    pub when: String,
    pub capacity: i64,
    pub checked_in: i64,
    pub public_key: String,
    pub lines: Vec<AttendanceLine>,
}

/// What a check-in answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckInReceipt {
    pub signup_id: i64,
    pub member_name: String,
    pub notice: String,
}
