//! The 学吧 rules: lessons and their quizzes from the officials' forms, the
//! member's courses and progress, and the quiz checked on the server.

use std::collections::BTreeMap;

use store::{Actor, MemberId, Store};

use super::model::{CourseCard, LessonView};
use crate::clock::date_time_in_shanghai;
use crate::error::AppError;

fn store_error(context: &'static str) -> impl Fn(store::StoreError) -> AppError {
    move |e| AppError::from_store(context, e)
}

/// Reads the quiz an official typed: one question per line,
/// `题目｜选项一｜选项二[｜…]｜正确选项序号` (full- or half-width bars), 3 to 5
/// questions of 2 to 6 options.
pub fn parse_quiz(raw: &str) -> Result<Vec<(String, String, i32)>, AppError> {
    let bad = |line: usize, why: &str| AppError::rejected(400, "quiz", format!("第 {line} 题：{why}"));
    let mut out = Vec::new();
    for (i, line) in raw.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let parts: Vec<&str> = line.split(['｜', '|']).map(str::trim).collect();
        if parts.len() < 4 {
            return Err(bad(i + 1, "格式为 题目｜选项一｜选项二｜…｜正确选项序号"));
        }
        let (prompt, rest) = (parts[0], &parts[1..]);
        let (answer, options) = rest.split_last().expect("at least three parts");
        if prompt.is_empty() || options.iter().any(|o| o.is_empty()) || options.len() > 6 {
            return Err(bad(i + 1, "题目和选项不能为空，最多 6 个选项"));
        }
        let answer: i32 = answer
            .parse()
            .ok()
            .filter(|a| (1..=options.len() as i32).contains(a))
            .ok_or_else(|| bad(i + 1, "最后一项是正确选项的序号，如 2"))?;
        out.push((prompt.to_owned(), options.join("\n"), answer));
    }
    if !(3..=5).contains(&out.len()) {
        return Err(AppError::rejected(400, "quiz", "每课需要 3 到 5 道题"));
    }
    Ok(out)
}

/// Creates a course with its first lesson.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    store: &Store,
    actor: &Actor,
    unit: &str,
    course_title: &str,
    summary: &str,
    lesson_title: &str,
    body: &str,
    quiz: &str,
    media: &str,
    now: i64,
) -> Result<i64, AppError> {
    let course_title = course_title.trim();
    if !(2..=40).contains(&course_title.chars().count()) {
        return Err(AppError::rejected(400, "course_title", "课程名称请填写 2 到 40 个字"));
    }
    let summary = summary.trim();
    if summary.chars().count() > 200 {
        return Err(AppError::rejected(400, "summary", "简介最多 200 字"));
    }
    let (lesson_title, body, questions) = check_lesson(lesson_title, body, quiz)?;
    let course = store
        .create_course(actor, unit.trim(), course_title, summary, now)
        .await
        .map_err(store_error("create_course"))?
        .ok_or_else(|| AppError::rejected(403, "unit", "只能为您管理的单位开设课程"))?;
    add(store, actor, course, &lesson_title, &body, &questions, media, now).await?;
    Ok(course)
}

/// A lesson's title, body and quiz (prompt, options, answer), checked.
type CheckedLesson = (String, String, Vec<(String, String, i32)>);

fn check_lesson(title: &str, body: &str, quiz: &str) -> Result<CheckedLesson, AppError> {
    let title = title.trim();
    if !(2..=40).contains(&title.chars().count()) {
        return Err(AppError::rejected(400, "title", "课时名称请填写 2 到 40 个字"));
    }
    let body = body.trim();
    if !(10..=5000).contains(&body.chars().count()) {
        return Err(AppError::rejected(400, "body", "正文请填写 10 到 5000 字"));
    }
    Ok((title.to_owned(), body.to_owned(), parse_quiz(quiz)?))
}

#[allow(clippy::too_many_arguments)]
async fn add(
    store: &Store,
    actor: &Actor,
    course: i64,
    title: &str,
    body: &str,
    questions: &[(String, String, i32)],
    media: &str,
    now: i64,
) -> Result<i64, AppError> {
    let asset_id = match media.trim() {
        "" => None,
        token => Some(
            media_choices(store, actor)
                .await?
                .into_iter()
                .find(|a| a.token == token)
                .ok_or_else(|| AppError::rejected(400, "media", "请从素材库里选择音频或视频"))?
                .id,
        ),
    };
    let html = crate::newsroom::service::render_markdown(body);
    let new = store::NewLesson { title, body_md: body, body_html: &html, asset_id, questions };
    store
        .add_lesson(actor, course, &new, now)
        .await
        .map_err(store_error("add_lesson"))?
        .ok_or_else(|| AppError::rejected(404, "", "没有这门课程，或它不在您的管理范围"))
}

/// Adds a lesson to course `course`, playing library asset `media` (a
/// token; empty: none).
#[allow(clippy::too_many_arguments)]
pub async fn add_lesson(
    store: &Store,
    actor: &Actor,
    course: i64,
    title: &str,
    body: &str,
    quiz: &str,
    media: &str,
    now: i64,
) -> Result<i64, AppError> {
    let (title, body, questions) = check_lesson(title, body, quiz)?;
    add(store, actor, course, &title, &body, &questions, media, now).await
}

/// The audio and video of the asset library the official may put in a
/// lesson: their units' own and those shared down to them.
pub async fn media_choices(store: &Store, actor: &Actor) -> Result<Vec<store::Asset>, AppError> {
    let mut found: Vec<store::Asset> = Vec::new();
    for (code, _) in &actor.units {
        let library = store.asset_library(code, "", 0, i64::MAX, 200).await.map_err(store_error("media_choices"))?;
        for asset in library {
            if matches!(asset.kind.as_str(), "audio" | "video") && !found.iter().any(|a| a.id == asset.id) {
                found.push(asset);
            }
        }
    }
    Ok(found)
}

/// The member's courses with their progress.
pub async fn courses(store: &Store, member: MemberId) -> Result<Vec<CourseCard>, AppError> {
    let err = store_error("courses");
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let progress: BTreeMap<i64, bool> = store
        .member_progress(member)
        .await
        .map_err(&err)?
        .into_iter()
        .map(|p| (p.lesson_id, p.passed_at.is_some()))
        .collect();
    let mut out = Vec::new();
    for course in store.courses_for_unit(facts.unit_id).await.map_err(&err)? {
        let lessons = store.course_lessons(course.id).await.map_err(&err)?;
        let states: Vec<(i64, String, String)> = lessons
            .into_iter()
            .map(|l| {
                let state = match progress.get(&l.id) {
                    Some(true) => "已通过",
                    Some(false) => "已学",
                    None => "未学",
                };
                (l.id, l.title, state.to_owned())
            })
            .collect();
        let passed = states.iter().filter(|(_, _, s)| s == "已通过").count() as i64;
        out.push(CourseCard {
            id: course.id,
            title: course.title,
            summary: course.summary,
            unit_name: course.unit_name,
            lessons: states,
            passed,
        });
    }
    Ok(out)
}

/// Lesson `id` for `member` (their unit or below the course's; 404 else).
pub async fn lesson(store: &Store, member: MemberId, id: i64) -> Result<(store::Lesson, i64), AppError> {
    let err = store_error("lesson");
    let not_found = || AppError::rejected(404, "", "没有这节课");
    let lesson = store.lesson(id).await.map_err(&err)?.ok_or_else(not_found)?;
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    if !store.unit_within(facts.unit_id, lesson.unit_id).await.map_err(&err)? {
        return Err(not_found());
    }
    Ok((lesson, facts.unit_id))
}

pub async fn lesson_view(store: &Store, member: MemberId, id: i64) -> Result<LessonView, AppError> {
    let err = store_error("lesson_view");
    let (lesson, _) = lesson(store, member, id).await?;
    let questions = store
        .lesson_questions(id)
        .await
        .map_err(&err)?
        .into_iter()
        .map(|q| (q.prompt, q.options.lines().map(str::to_owned).collect()))
        .collect();
    let progress = store.member_progress(member).await.map_err(&err)?.into_iter().find(|p| p.lesson_id == id);
    let next = store
        .course_lessons(lesson.course_id)
        .await
        .map_err(&err)?
        .into_iter()
        .find(|l| l.position > lesson.position)
        .map(|l| l.id);
    Ok(LessonView {
        id,
        course_title: lesson.course_title,
        title: lesson.title,
        body_html: lesson.body_html,
        media: lesson.media_kind.zip(lesson.media_token).map(|(kind, token)| (kind, format!("/m/{token}"))),
        questions,
        read: progress.is_some(),
        passed: progress.and_then(|p| p.passed_at).map(date_time_in_shanghai),
        next_lesson: next,
    })
}

/// Checks the member's `answers` (question number → option number) to
/// lesson `id` on the server: the notice, or which questions were wrong.
pub async fn answer(
    store: &Store,
    member: MemberId,
    id: i64,
    answers: &BTreeMap<String, String>,
    now: i64,
) -> Result<String, AppError> {
    let err = store_error("answer_quiz");
    let (_, unit_id) = lesson(store, member, id).await?;
    let questions = store.lesson_questions(id).await.map_err(&err)?;
    let unanswered: Vec<String> = questions
        .iter()
        .filter(|q| !answers.contains_key(&q.position.to_string()))
        .map(|q| q.position.to_string())
        .collect();
    if !unanswered.is_empty() {
        return Err(AppError::rejected(400, "", format!("请回答第 {} 题", unanswered.join("、"))));
    }
    let wrong: Vec<String> = questions
        .iter()
        .filter(|q| answers.get(&q.position.to_string()).and_then(|a| a.trim().parse::<i32>().ok()) != Some(q.answer))
        .map(|q| q.position.to_string())
        .collect();
    store.record_progress(id, member, unit_id, Some(wrong.is_empty()), now).await.map_err(&err)?;
    if wrong.is_empty() {
        Ok(format!("全部答对，本课通过（{} 题）", questions.len()))
    } else {
        // A wrong answer is not a mistake in the form: the attempt is
        // recorded, and the member reads which to think again about.
        Err(AppError::rejected(400, "", format!("第 {} 题答错了，再看看课文后重新作答", wrong.join("、"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiz_is_typed_one_question_a_line_with_its_answer_last() {
        let quiz = "工会会员的会费标准是本人工资收入的？｜0.5%｜1%｜2%｜1\n\
                    职工每年享有的带薪年休假最少几天？|3|5|10|2\n\n\
                    女职工生育享受产假不少于多少天？｜90｜98｜120｜2";
        let parsed = parse_quiz(quiz).unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[1], ("职工每年享有的带薪年休假最少几天？".to_owned(), "3\n5\n10".to_owned(), 2));
        let out_of_range = parse_quiz(&quiz.replace("|10|2", "|10|4")).unwrap_err();
        assert!(out_of_range.message_for("quiz").unwrap().starts_with("第 2 题"), "{out_of_range:?}");
        assert!(parse_quiz("一题｜甲｜乙｜1").unwrap_err().message_for("quiz").unwrap().contains("3 到 5"));
    }
}
