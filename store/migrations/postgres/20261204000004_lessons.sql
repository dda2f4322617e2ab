-- 学吧 (工会知识微课堂): courses of short lessons, each with a quiz of 3 to 5
-- questions whose answers stay on the server; a member's progress per
-- lesson (read, passed) with their unit, for the officials' figures.
CREATE TABLE courses (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES members (id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE lessons (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   BIGINT NOT NULL REFERENCES courses (id),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    body_md     TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (course_id, position)
);

-- Options are one per line; `answer` is the right option's number (1…).
CREATE TABLE lesson_questions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lesson_id  BIGINT NOT NULL REFERENCES lessons (id),
    position   INTEGER NOT NULL,
    prompt     TEXT NOT NULL,
    options    TEXT NOT NULL,
    answer     INTEGER NOT NULL CHECK (answer >= 1),
    UNIQUE (lesson_id, position)
);

CREATE TABLE lesson_progress (
    lesson_id  BIGINT NOT NULL REFERENCES lessons (id),
    member_id  BIGINT NOT NULL REFERENCES members (id),
    unit_id    BIGINT NOT NULL REFERENCES units (id),
    read_at    BIGINT NOT NULL,
    passed_at  BIGINT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (lesson_id, member_id)
);
CREATE INDEX lesson_progress_member ON lesson_progress (member_id);
