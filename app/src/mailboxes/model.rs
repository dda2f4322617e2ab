//! The mailboxes feature's view types (serde; browser and server alike).

use serde::{Deserialize, Serialize};

/// The three mailboxes: (key, name, what it is for).
pub const MAILBOXES: [(&str, &str, &str); 3] = [
    ("union", "工会信箱", "反映诉求、求助、投诉，写给您所在的工会或上级工会"),
    ("legal", "律师邮箱", "劳动合同、工资、工伤等法律问题，由工会律师答复"),
    ("suggestion", "说吧", "对工会工作的意见和建议"),
];

/// The name of mailbox `kind` ("" when unknown).
pub fn mailbox_name(kind: &str) -> &'static str {
    MAILBOXES.iter().find(|(k, _, _)| *k == kind).map_or("", |(_, name, _)| name)
}

/// The writer's rating of an answer: (value, label).
pub const RATINGS: [(i32, &str); 3] = [(1, "满意"), (2, "基本满意"), (3, "不满意")];

pub fn rating_label(rating: i32) -> &'static str {
    RATINGS.iter().find(|(v, _)| *v == rating).map_or("", |(_, l)| l)
}

/// A letter in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LetterCard {
    pub id: i64,
    pub kind_name: String,
    pub subject: String,
    pub unit_name: String,
    /// The Shanghai date by whose end it is due.
    pub deadline: String,
    pub status: String,
    pub answered: bool,
    /// Working days past the deadline, unanswered (0: not overdue).
    pub overdue_days: u32,
    pub written_at: String,
    /// For handlers: the watched words the letter contains.
    pub watched_words: String,
    pub assignee: Option<String>,
}

/// 信箱 for a member: where they may write and what they wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailView {
    pub signed_in: bool,
    /// Their unit and every unit above it (code, name), nearest first.
    pub units: Vec<(String, String)>,
    pub letters: Vec<LetterCard>,
    /// Whether they handle letters (an official or a lawyer).
    pub handles: bool,
}

/// One step of a letter's trail: (what happened, when, note).
pub type TrailStep = (String, String, String);

/// What a handler may do with a letter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HandlerTools {
    pub writer: String,
    /// Units it may be transferred to (code, name): the unit just above and
    /// the units just below.
    pub transfer_to: Vec<(String, String)>,
    pub may_transfer: bool,
    pub may_publish: bool,
    /// The question as the public would read it, personal details taken out.
    pub public_question: String,
}

/// One letter's page, for its writer or a handler.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LetterView {
    pub card: LetterCard,
    pub body: String,
    pub anonymous: bool,
    pub may_publish: bool,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub rating: Option<String>,
    pub published: bool,
    pub photos: Vec<String>,
    // utoipa sees only an alias's name, not the tuple behind it.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<(String, String, String)>))]
    pub trail: Vec<TrailStep>,
    pub is_writer: bool,
    pub handler: Option<HandlerTools>,
}

/// A published question and answer (法吧 FAQ): no personal details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicQa {
    pub id: i64,
    pub kind_name: String,
    pub unit_name: String,
    /// 王* — or 匿名会员 when the writer asked to stay anonymous.
    pub writer: String,
    pub question: String,
    pub answer: String,
    pub published: String,
}

/// A day of the working-day calendar that differs from Monday–Friday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    pub day: String,
    pub weekday: String,
    pub working: bool,
    pub name: String,
}

/// 来信办理 for a handler.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailAdminView {
    /// Letters of their own units, assigned to them, or to their 律师邮箱.
    pub letters: Vec<LetterCard>,
    /// Overdue letters of the units below theirs (逾期督办).
    pub escalated: Vec<LetterCard>,
    pub is_official: bool,
    pub units: Vec<(String, String)>,
    /// The calendar's exceptions from the start of last year on.
    pub calendar: Vec<CalendarDay>,
    pub may_edit_calendar: bool,
}
