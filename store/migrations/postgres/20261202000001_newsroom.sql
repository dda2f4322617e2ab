-- The newsroom desk (issue 12): correspondents (信息员), newsroom roles, each
-- unit's review chain, stories (报送单) and the decisions on them.
--
-- 先审后发 lives here, not only in the handlers: a story reaches `ready` or
-- `published` only when every step of its unit's chain (1–3: 初审, 复审,
-- 终审) approved its current version, each step by a different person and
-- in order. The triggers below refuse anything else, whoever writes.

CREATE TABLE correspondents (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id      BIGINT NOT NULL REFERENCES members (id),
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'ended')),
    name           TEXT NOT NULL,
    gender         TEXT NOT NULL CHECK (gender IN ('男', '女')),
    birth_month    TEXT NOT NULL,
    education      TEXT NOT NULL,
    union_post     TEXT NOT NULL,
    job_title      TEXT NOT NULL,
    phone          TEXT NOT NULL,
    email          TEXT NOT NULL,
    id_sealed      TEXT NOT NULL,
    id_index       TEXT NOT NULL,
    id_masked      TEXT NOT NULL,
    interests      TEXT NOT NULL,
    website        TEXT NOT NULL DEFAULT '',
    wechat_name    TEXT NOT NULL DEFAULT '',
    wechat_id      TEXT NOT NULL DEFAULT '',
    weibo          TEXT NOT NULL DEFAULT '',
    newspaper      TEXT NOT NULL DEFAULT '',
    magazine       TEXT NOT NULL DEFAULT '',
    other_channel  TEXT NOT NULL DEFAULT '',
    intro          TEXT NOT NULL DEFAULT '',
    reason         TEXT,
    decided_by     BIGINT REFERENCES members (id),
    decided_at     BIGINT,
    created_at     BIGINT NOT NULL
);
-- A member is a unit's correspondent (or asks to be) once at a time.
CREATE UNIQUE INDEX correspondents_one_live ON correspondents (member_id, unit_id) WHERE status IN ('pending', 'approved');
CREATE INDEX correspondents_unit_status ON correspondents (unit_id, status);

-- Who changed a correspondent's record, and how (the 登记表's history).
CREATE TABLE correspondent_changes (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    correspondent_id  BIGINT NOT NULL REFERENCES correspondents (id),
    actor_id          BIGINT REFERENCES members (id),
    what              TEXT NOT NULL,
    at                BIGINT NOT NULL
);
CREATE INDEX correspondent_changes_by_record ON correspondent_changes (correspondent_id, id);

-- Newsroom roles on a unit's subtree: 责任编辑, 复审, 终审.
CREATE TABLE newsroom_roles (
    member_id   BIGINT NOT NULL REFERENCES members (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    role        TEXT NOT NULL CHECK (role IN ('editor', 'second', 'final')),
    granted_by  BIGINT REFERENCES members (id),
    granted_at  BIGINT NOT NULL,
    PRIMARY KEY (member_id, unit_id, role)
);

-- How many review steps a unit's stories pass (三审 by default). A unit
-- without a row reviews through its nearest ancestor's chain.
CREATE TABLE review_chains (
    unit_id  BIGINT PRIMARY KEY REFERENCES units (id),
    steps    BIGINT NOT NULL CHECK (steps BETWEEN 1 AND 3)
);

CREATE TABLE stories (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    desk_unit_id  BIGINT NOT NULL REFERENCES units (id),
    author_id     BIGINT NOT NULL REFERENCES members (id),
    title         TEXT NOT NULL,
    body_md       TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    excerpt       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('news', 'theory', 'experience', 'model', 'other')),
    event_date    TEXT NOT NULL,
    outward       BOOLEAN NOT NULL,
    late          BOOLEAN NOT NULL DEFAULT FALSE,
    -- The chain's length when the story was submitted (fixed from then on).
    steps         BIGINT NOT NULL CHECK (steps BETWEEN 1 AND 3),
    -- Bumped at each resubmission: earlier approvals do not count for it.
    version       BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'returned', 'held', 'rejected', 'ready', 'published')),
    created_at    BIGINT NOT NULL,
    submitted_at  BIGINT,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX stories_desk_status ON stories (desk_unit_id, status, submitted_at);
CREATE INDEX stories_author ON stories (author_id, id);

CREATE TABLE story_decisions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    story_id     BIGINT NOT NULL REFERENCES stories (id),
    version      BIGINT NOT NULL,
    step         BIGINT NOT NULL CHECK (step BETWEEN 1 AND 3),
    reviewer_id  BIGINT NOT NULL REFERENCES members (id),
    decision     TEXT NOT NULL CHECK (decision IN ('approve', 'return', 'hold', 'reject')),
    comment      TEXT NOT NULL DEFAULT '',
    at           BIGINT NOT NULL
);
-- One approval per step of a version, and one approving step per person.
CREATE UNIQUE INDEX story_decisions_one_approval_per_step ON story_decisions (story_id, version, step) WHERE decision = 'approve';
CREATE UNIQUE INDEX story_decisions_one_step_per_person ON story_decisions (story_id, version, reviewer_id) WHERE decision = 'approve';
CREATE INDEX story_decisions_by_story ON story_decisions (story_id, id);

-- A decision is on the story's current version, within its chain, and an
-- approval follows the approval of the step before it.
CREATE FUNCTION story_decisions_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM stories s
        WHERE s.id = NEW.story_id AND s.version = NEW.version AND NEW.step <= s.steps AND s.status = 'in_review'
    ) OR (NEW.decision = 'approve' AND NEW.step > 1 AND NOT EXISTS (
        SELECT 1 FROM story_decisions d
        WHERE d.story_id = NEW.story_id AND d.version = NEW.version AND d.step = NEW.step - 1 AND d.decision = 'approve'
    )) THEN
        RAISE EXCEPTION '先审后发: a decision must be on the story under review, step by step';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER story_decisions_in_order BEFORE INSERT ON story_decisions
    FOR EACH ROW EXECUTE FUNCTION story_decisions_in_order();

-- Decisions are never changed or removed.
CREATE FUNCTION story_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'story decisions are append-only';
END
$$;
CREATE TRIGGER story_decisions_append_only BEFORE UPDATE OR DELETE ON story_decisions
    FOR EACH ROW EXECUTE FUNCTION story_decisions_append_only();

-- 先审后发: ready or published only with every step's approval of this
-- version; and the chain a story was submitted to stays its chain.
CREATE FUNCTION stories_reviewed_before_ready() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status <> 'draft' AND NEW.steps <> OLD.steps THEN
        RAISE EXCEPTION 'a submitted story keeps its review chain';
    END IF;
    IF NEW.status IN ('ready', 'published') AND (
        SELECT COUNT(*) FROM story_decisions d
        WHERE d.story_id = NEW.id AND d.version = NEW.version AND d.decision = 'approve' AND d.step <= NEW.steps
    ) < NEW.steps THEN
        RAISE EXCEPTION '先审后发: every review step must approve this version first';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER stories_reviewed_before_ready BEFORE INSERT OR UPDATE ON stories
    FOR EACH ROW EXECUTE FUNCTION stories_reviewed_before_ready();
