//! Every 学吧 server function: the /api surface of the lessons (docs/API.md).

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

#[cfg(feature = "ssr")]
fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这节课"))
}

/// The signed-in member's courses (their unit's and every unit's above it)
/// with their progress; `[]` for visitors.
#[server(prefix = "/api", endpoint = "lessons", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_courses() -> Result<Vec<CourseCard>, AppError> {
    let store = crate::context::store()?;
    match crate::accounts::session::member(&store, &crate::context::session().await?).await? {
        Some(member) => crate::lessons::service::courses(&store, member).await,
        None => Ok(Vec::new()),
    }
}

/// Lesson `id`: its text and quiz (no answers), the member's progress.
#[server(prefix = "/api", endpoint = "lesson", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_lesson(id: String) -> Result<LessonView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::lessons::service::lesson_view(&store, member, parse_id(&id)?).await
}

/// The member marks lesson `id` read (学完了).
#[server(prefix = "/api", endpoint = "lessons/read")]
pub async fn mark_read(id: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let id = parse_id(&id)?;
    let (_, unit_id) = crate::lessons::service::lesson(&store, member, id).await?;
    store
        .record_progress(id, member, unit_id, None, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("mark_read", e))?;
    Ok("已记录学习".to_owned())
}

/// The member answers lesson `id`'s quiz: `answers[1]=2` (question → option,
/// both from 1). Checked on the server; all right passes the lesson, else
/// 400 names the wrong questions (the attempt is recorded).
#[server(prefix = "/api", endpoint = "lessons/answer")]
pub async fn answer_quiz(id: String, answers: std::collections::BTreeMap<String, String>) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::lessons::service::answer(&store, member, parse_id(&id)?, &answers, crate::clock::now()).await
}

/// Officials: their units and courses with completion per unit.
#[server(prefix = "/api", endpoint = "admin/lessons", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_lessons_admin() -> Result<LessonsAdminView, AppError> {
    let (store, actor) = crate::context::official().await?;
    let err = |e| AppError::from_store("lessons_admin", e);
    let units = store.units_in_scope(&actor).await.map_err(err)?.into_iter().map(|(c, n, _)| (c, n)).collect();
    let mut courses = Vec::new();
    for c in store.courses_in_scope(&actor).await.map_err(err)? {
        let completion = store
            .course_completion(c.id)
            .await
            .map_err(err)?
            .into_iter()
            .map(|r| (r.unit_name, r.learners, r.finished))
            .collect();
        courses.push((c.id, c.title, c.unit_name, c.lessons, completion));
    }
    let media = crate::lessons::service::media_choices(&store, &actor)
        .await?
        .into_iter()
        .map(|a| (a.token, format!("{}（{}）", a.title, if a.kind == "audio" { "音频" } else { "视频" })))
        .collect();
    Ok(LessonsAdminView { units, courses, media })
}

/// Creates a course of `unit` with its first lesson: `course_title`,
/// `summary`, `title`, `body` (Markdown), `quiz` (one question a line:
/// `题目｜选项一｜选项二｜…｜正确选项序号`, 3–5 questions). Audited.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/lessons/create")]
pub async fn create_course(
    unit: String,
    course_title: String,
    summary: String,
    title: String,
    body: String,
    quiz: String,
    media: Option<String>,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::lessons::service::create(
        &store,
        &actor,
        &unit,
        &course_title,
        &summary,
        &title,
        &body,
        &quiz,
        media.as_deref().unwrap_or_default(),
        crate::clock::now(),
    )
    .await?;
    Ok(format!("已开设课程“{}”", course_title.trim()))
}

/// Adds a lesson (`title`, `body`, `quiz` as above) to course `course`. Audited.
#[server(prefix = "/api", endpoint = "admin/lessons/add")]
pub async fn add_lesson(
    course: String,
    title: String,
    body: String,
    quiz: String,
    media: Option<String>,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let course = course.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这门课程"))?;
    let media = media.unwrap_or_default();
    crate::lessons::service::add_lesson(&store, &actor, course, &title, &body, &quiz, &media, crate::clock::now())
        .await?;
    Ok(format!("已新增课时“{}”", title.trim()))
}
