//! The lessons feature's view types (serde; browser and server alike).

use serde::{Deserialize, Serialize};

/// A course on 学吧 with the member's progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CourseCard {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub unit_name: String,
    /// (lesson id, title, state: 未学 / 已学 / 已通过)
    pub lessons: Vec<(i64, String, String)>,
    pub passed: i64,
}

/// A lesson page: its text and its quiz (questions and options only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LessonView {
    pub id: i64,
    pub course_title: String,
    pub title: String,
    pub body_html: String,
    /// (audio or video, its address) from the asset library.
    pub media: Option<(String, String)>,
    /// (prompt, options)
    pub questions: Vec<(String, Vec<String>)>,
    pub read: bool,
    pub passed: Option<String>,
    pub next_lesson: Option<i64>,
}

/// A course in the officials' list: (id, title, unit name, lesson count,
/// completion per unit as (unit, learners, finished)).
pub type CourseFigures = (i64, String, String, i64, Vec<(String, i64, i64)>);

/// The officials' page: units in reach, their courses with completion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LessonsAdminView {
    pub units: Vec<(String, String)>,
    /// (course id, title, unit name, lesson count, [(unit, learners, finished)])
    // utoipa sees only an alias's name, not the tuple behind it.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<(i64, String, String, i64, Vec<(String, i64, i64)>)>))]
    pub courses: Vec<CourseFigures>,
    /// Audio and video of the asset library a lesson may play: (token, label).
    pub media: Vec<(String, String)>,
}
