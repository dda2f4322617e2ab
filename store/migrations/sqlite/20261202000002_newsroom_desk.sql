-- The newsroom desk, second part (issue 12): where a story came from and
-- where it is reviewed now (报送上级 moves it up), adoptions with the 稿酬
-- earned at the time, rate tables, calls for stories (征集), the asset
-- library (素材库), earlier versions (for the reviewer's diff) and edit locks.

-- 征集: a call for stories to target units, with a deadline.
CREATE TABLE story_calls (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    topic       TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '',
    deadline    TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES members (id),
    created_at  INTEGER NOT NULL
);
CREATE TABLE story_call_targets (
    call_id   INTEGER NOT NULL REFERENCES story_calls (id),
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (call_id, unit_id)
);
CREATE INDEX story_call_targets_unit ON story_call_targets (unit_id);

-- The unit the story was written for (its correspondent's unit). The desk
-- (`desk_unit_id`) changes when an editor reports the story up.
ALTER TABLE stories ADD COLUMN origin_unit_id INTEGER REFERENCES units (id);
UPDATE stories SET origin_unit_id = desk_unit_id;
-- The call (征集) a story answers, if any.
ALTER TABLE stories ADD COLUMN call_id INTEGER REFERENCES story_calls (id);
CREATE INDEX stories_origin_submitted ON stories (origin_unit_id, submitted_at);
CREATE INDEX stories_in_review ON stories (status, desk_unit_id) WHERE status = 'in_review';

-- A story reported up enters the parent's chain as its next version: the
-- chain may change then, and only then (desk_unit_id changes with it).
DROP TRIGGER stories_steps_fixed;
CREATE TRIGGER stories_steps_fixed BEFORE UPDATE OF steps ON stories
WHEN OLD.status <> 'draft' AND NEW.steps <> OLD.steps AND NEW.desk_unit_id = OLD.desk_unit_id
BEGIN
    SELECT RAISE(ABORT, 'a submitted story keeps its review chain');
END;

-- 报送上级: who sent which story from which desk to which.
CREATE TABLE story_reports (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories (id),
    from_unit   INTEGER NOT NULL REFERENCES units (id),
    to_unit     INTEGER NOT NULL REFERENCES units (id),
    by_member   INTEGER NOT NULL REFERENCES members (id),
    at          INTEGER NOT NULL
);
CREATE INDEX story_reports_from ON story_reports (from_unit, at);
-- A story goes up from a desk once.
CREATE UNIQUE INDEX story_reports_once ON story_reports (story_id, from_unit);

-- 稿酬 rates of a unit (for its subtree's correspondents), in fen, by kind and
-- by the level that adopted the story: the unit's own desk, a desk above it,
-- or an outside medium.
CREATE TABLE payment_rates (
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    kind        TEXT NOT NULL CHECK (kind IN ('news', 'theory', 'experience', 'model', 'other')),
    level       TEXT NOT NULL CHECK (level IN ('own', 'parent', 'outside')),
    fen         INTEGER NOT NULL CHECK (fen >= 0 AND fen <= 10000000),
    set_by      INTEGER REFERENCES members (id),
    set_at      INTEGER NOT NULL,
    PRIMARY KEY (unit_id, kind, level)
);

-- 采用: a story adopted by a desk (its chain's last approval) or by an
-- outside medium, with the 稿酬 it earned then (later rate changes do not
-- change it).
CREATE TABLE adoptions (
    id           INTEGER PRIMARY KEY,
    story_id     INTEGER NOT NULL REFERENCES stories (id),
    author_id    INTEGER NOT NULL REFERENCES members (id),
    origin_unit  INTEGER NOT NULL REFERENCES units (id),
    by_unit      INTEGER REFERENCES units (id),
    medium       TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL CHECK (level IN ('own', 'parent', 'outside')),
    kind         TEXT NOT NULL,
    fen          INTEGER NOT NULL CHECK (fen >= 0),
    at           INTEGER NOT NULL
);
CREATE INDEX adoptions_origin_at ON adoptions (origin_unit, at);
CREATE INDEX adoptions_author_at ON adoptions (author_id, at);
-- Once per desk, once per outside medium.
CREATE UNIQUE INDEX adoptions_once_per_desk ON adoptions (story_id, by_unit) WHERE by_unit IS NOT NULL;
CREATE UNIQUE INDEX adoptions_once_per_medium ON adoptions (story_id, medium) WHERE by_unit IS NULL;
-- 对外宣传 否: an outside medium never receives the story.
CREATE TRIGGER adoptions_outward_only BEFORE INSERT ON adoptions
WHEN NEW.level = 'outside' AND (SELECT outward FROM stories WHERE id = NEW.story_id) <> 1
BEGIN
    SELECT RAISE(ABORT, '对外宣传 否: this story may not go to an outside medium');
END;

-- 素材库: pictures, audio, video and files of a unit. The bytes are in blob
-- storage (local disk or S3) under `blob_key`; `token` is the unguessable
-- address part of /m/{token}.
CREATE TABLE assets (
    id             INTEGER PRIMARY KEY,
    token          TEXT NOT NULL UNIQUE,
    unit_id        INTEGER NOT NULL REFERENCES units (id),
    kind           TEXT NOT NULL CHECK (kind IN ('photo', 'audio', 'video', 'file')),
    title          TEXT NOT NULL,
    tags           TEXT NOT NULL DEFAULT '',
    file_name      TEXT NOT NULL DEFAULT '',
    content_type   TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    width          INTEGER,
    height         INTEGER,
    blob_key       TEXT NOT NULL,
    -- Photos: the thumbnails made at upload (widths 320 and 960).
    thumbs         TEXT NOT NULL DEFAULT '',
    shared_down    INTEGER NOT NULL DEFAULT 0 CHECK (shared_down IN (0, 1)),
    uploaded_by    INTEGER NOT NULL REFERENCES members (id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX assets_unit_created ON assets (unit_id, created_at);
CREATE INDEX assets_uploader ON assets (uploaded_by, created_at);
CREATE TABLE story_assets (
    story_id   INTEGER NOT NULL REFERENCES stories (id),
    asset_id   INTEGER NOT NULL REFERENCES assets (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (story_id, asset_id)
);

-- The text of each earlier version, kept when a returned story is revised.
CREATE TABLE story_versions (
    story_id   INTEGER NOT NULL REFERENCES stories (id),
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body_md    TEXT NOT NULL,
    PRIMARY KEY (story_id, version)
);

-- Who is editing a story now; a lock older than its expiry is free again.
CREATE TABLE story_locks (
    story_id    INTEGER PRIMARY KEY REFERENCES stories (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    expires_at  INTEGER NOT NULL
);

-- Final decisions (待用, 退稿) by time, for the quarter's figures.
CREATE INDEX story_decisions_final_at ON story_decisions (at) WHERE decision IN ('hold', 'reject');
