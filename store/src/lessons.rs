//! 学吧: courses, lessons with their quiz questions, members' progress and
//! the officials' completion figures per unit.

use crate::officials::{scope_cte, UNIT_AND_ABOVE};
use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, Actor, MemberId, Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Course {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    pub summary: String,
    pub lessons: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Lesson {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub unit_id: i64,
    pub position: i32,
    pub title: String,
    pub body_html: String,
    /// The library asset the lesson plays (audio or video), if any.
    pub media_kind: Option<String>,
    pub media_token: Option<String>,
}

/// A question with its answer (the answer never leaves the server).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Question {
    pub position: i32,
    pub prompt: String,
    /// One option per line.
    pub options: String,
    pub answer: i32,
}

/// A member's progress on a lesson.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Progress {
    pub lesson_id: i64,
    pub read_at: i64,
    pub passed_at: Option<i64>,
    pub attempts: i32,
}

/// A lesson to add, already checked.
pub struct NewLesson<'a> {
    pub title: &'a str,
    pub body_md: &'a str,
    pub body_html: &'a str,
    /// An audio or video asset of the library (already checked usable).
    pub asset_id: Option<i64>,
    /// (prompt, options one per line, answer 1…)
    pub questions: &'a [(String, String, i32)],
}

/// Completion per unit of a course: members who read any lesson, and who
/// passed every lesson's quiz.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Completion {
    pub unit_name: String,
    pub learners: i64,
    pub finished: i64,
}

const SELECT_COURSE: &str = "SELECT c.id, c.unit_id, u.name AS unit_name, c.title, c.summary, \
     (SELECT COUNT(*) FROM lessons l WHERE l.course_id = c.id) AS lessons FROM courses c JOIN units u ON u.id = c.unit_id";

const SELECT_LESSON: &str =
    "SELECT l.id, l.course_id, c.title AS course_title, c.unit_id, l.position, l.title, l.body_html, \
     a.kind AS media_kind, a.token AS media_token \
     FROM lessons l JOIN courses c ON c.id = l.course_id LEFT JOIN assets a ON a.id = l.asset_id";

impl Store {
    /// Creates a course of `unit` (in the actor's reach; audited).
    pub async fn create_course(
        &self,
        actor: &Actor,
        unit: &str,
        title: &str,
        summary: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "{} INSERT INTO courses (unit_id, title, summary, created_by, created_at) \
             SELECT id, $3, $4, $1, $5 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) RETURNING id",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(unit)
                .bind(title)
                .bind(summary)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some((id,)) = id {
                audit_in_tx!(&mut *tx, actor.member_id, "新建课程", &format!("课程 #{id}"), title, now)?;
            }
            tx.commit().await?;
            Ok(id.map(|(id,)| id))
        })
    }

    /// Adds a lesson with its questions at the end of course `course` (in
    /// the actor's reach; audited).
    pub async fn add_lesson(
        &self,
        actor: &Actor,
        course: i64,
        new: &NewLesson<'_>,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let check = format!(
            "{} SELECT COUNT(*) FROM courses WHERE id = $2 AND unit_id IN (SELECT id FROM scope)",
            scope_cte(actor)
        );
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (n,): (i64,) = sqlx::query_as(&check).bind(actor.member_id.0).bind(course).fetch_one(&mut *tx).await?;
            if n == 0 {
                return Ok(None);
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO lessons (course_id, position, title, body_md, body_html, created_at, asset_id) \
                 SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5, $6 FROM lessons WHERE course_id = $1 RETURNING id",
            )
            .bind(course)
            .bind(new.title)
            .bind(new.body_md)
            .bind(new.body_html)
            .bind(now)
            .bind(new.asset_id)
            .fetch_one(&mut *tx)
            .await?;
            for (i, (prompt, options, answer)) in new.questions.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO lesson_questions (lesson_id, position, prompt, options, answer) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(i as i32 + 1)
                .bind(prompt)
                .bind(options)
                .bind(*answer)
                .execute(&mut *tx)
                .await?;
            }
            audit_in_tx!(&mut *tx, actor.member_id, "新增课时", &format!("课程 #{course}"), new.title, now)?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Courses a member of `unit_id` may take: of that unit or any above it.
    pub async fn courses_for_unit(&self, unit_id: i64) -> Result<Vec<Course>, StoreError> {
        let sql =
            format!("{UNIT_AND_ABOVE} {SELECT_COURSE} WHERE c.unit_id IN (SELECT id FROM path) ORDER BY c.id DESC");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(unit_id).fetch_all(pool).await)?)
    }

    /// Courses of units in the actor's reach.
    pub async fn courses_in_scope(&self, actor: &Actor) -> Result<Vec<Course>, StoreError> {
        let sql = format!(
            "{} {SELECT_COURSE} WHERE c.unit_id IN (SELECT id FROM scope) ORDER BY c.id DESC",
            scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await)?)
    }

    pub async fn course_lessons(&self, course: i64) -> Result<Vec<Lesson>, StoreError> {
        let sql = format!("{SELECT_LESSON} WHERE l.course_id = $1 ORDER BY l.position");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(course).fetch_all(pool).await)?)
    }

    pub async fn lesson(&self, id: i64) -> Result<Option<Lesson>, StoreError> {
        let sql = format!("{SELECT_LESSON} WHERE l.id = $1");
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn lesson_questions(&self, lesson: i64) -> Result<Vec<Question>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT position, prompt, options, answer FROM lesson_questions WHERE lesson_id = $1 ORDER BY position")
                .bind(lesson)
                .fetch_all(pool)
                .await
        })?)
    }

    /// The member's progress on every lesson they opened.
    pub async fn member_progress(&self, member: MemberId) -> Result<Vec<Progress>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT lesson_id, read_at, passed_at, attempts FROM lesson_progress WHERE member_id = $1")
                .bind(member.0)
                .fetch_all(pool)
                .await
        })?)
    }

    /// Records that the member read lesson `lesson` (idempotent), and — when
    /// `attempt` is `Some(passed)` — a quiz attempt; a pass is kept.
    pub async fn record_progress(
        &self,
        lesson: i64,
        member: MemberId,
        unit_id: i64,
        attempt: Option<bool>,
        now: i64,
    ) -> Result<(), StoreError> {
        let attempts = i32::from(attempt.is_some());
        let passed_at = attempt.filter(|p| *p).map(|_| now);
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO lesson_progress (lesson_id, member_id, unit_id, read_at, passed_at, attempts) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lesson_id, member_id) DO UPDATE SET \
                 attempts = lesson_progress.attempts + excluded.attempts, \
                 passed_at = COALESCE(lesson_progress.passed_at, excluded.passed_at)",
            )
            .bind(lesson)
            .bind(member.0)
            .bind(unit_id)
            .bind(now)
            .bind(passed_at)
            .bind(attempts)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Completion of course `course` per unit of its learners.
    pub async fn course_completion(&self, course: i64) -> Result<Vec<Completion>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH per_member AS ( \
                   SELECT p.member_id, MIN(p.unit_id) AS unit_id, COUNT(p.passed_at) AS passed \
                   FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id WHERE l.course_id = $1 GROUP BY p.member_id), \
                 total AS (SELECT COUNT(*) AS n FROM lessons WHERE course_id = $1) \
                 SELECT u.name AS unit_name, COUNT(*) AS learners, \
                 SUM(CASE WHEN pm.passed >= (SELECT n FROM total) THEN 1 ELSE 0 END) AS finished \
                 FROM per_member pm JOIN units u ON u.id = pm.unit_id GROUP BY u.code, u.name ORDER BY learners DESC, u.code",
            )
            .bind(course)
            .fetch_all(pool)
            .await
        })?)
    }
}
