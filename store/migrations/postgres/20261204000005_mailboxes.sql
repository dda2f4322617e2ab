-- 信箱: 工会信箱 (to a union along the writer's own path), 律师邮箱 (法吧,
-- answered by the unit's lawyers or officials) and 说吧 (suggestions).
-- A letter is due a number of working days after it arrives, counted on the
-- working-day calendar below.

-- The exceptions to "Monday to Friday": official holidays on weekdays
-- (working = FALSE) and 调休 make-up working days on weekends (working = TRUE).
-- Officials keep it up to date each year; seeded with 2026's schedule.
CREATE TABLE work_calendar (
    day         TEXT PRIMARY KEY,
    working     BOOLEAN NOT NULL,
    name        TEXT NOT NULL,
    updated_by  BIGINT REFERENCES members (id),
    updated_at  BIGINT NOT NULL
);
INSERT INTO work_calendar (day, working, name, updated_at) VALUES
    ('2026-01-01', FALSE, '元旦', 0), ('2026-01-02', FALSE, '元旦', 0), ('2026-01-04', TRUE, '元旦调休上班', 0),
    ('2026-02-14', TRUE, '春节调休上班', 0), ('2026-02-16', FALSE, '春节', 0), ('2026-02-17', FALSE, '春节', 0),
    ('2026-02-18', FALSE, '春节', 0), ('2026-02-19', FALSE, '春节', 0), ('2026-02-20', FALSE, '春节', 0),
    ('2026-02-23', FALSE, '春节', 0), ('2026-02-28', TRUE, '春节调休上班', 0), ('2026-04-06', FALSE, '清明节', 0),
    ('2026-05-01', FALSE, '劳动节', 0), ('2026-05-04', FALSE, '劳动节', 0), ('2026-05-05', FALSE, '劳动节', 0),
    ('2026-05-09', TRUE, '劳动节调休上班', 0), ('2026-06-19', FALSE, '端午节', 0), ('2026-09-20', TRUE, '国庆节调休上班', 0),
    ('2026-09-25', FALSE, '中秋节', 0), ('2026-10-01', FALSE, '国庆节', 0), ('2026-10-02', FALSE, '国庆节', 0),
    ('2026-10-05', FALSE, '国庆节', 0), ('2026-10-06', FALSE, '国庆节', 0), ('2026-10-07', FALSE, '国庆节', 0),
    ('2026-10-10', TRUE, '国庆节调休上班', 0);

-- A unit's answer deadline per mailbox, in working days; 5 without a row.
CREATE TABLE mailbox_settings (
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    kind           TEXT NOT NULL CHECK (kind IN ('union', 'legal', 'suggestion')),
    deadline_days  INTEGER NOT NULL CHECK (deadline_days BETWEEN 1 AND 30),
    PRIMARY KEY (unit_id, kind)
);

-- Lawyers (律师) who answer a unit's 律师邮箱 without being its officials.
CREATE TABLE mailbox_lawyers (
    member_id   BIGINT NOT NULL REFERENCES members (id),
    unit_id     BIGINT NOT NULL REFERENCES units (id),
    added_by    BIGINT NOT NULL REFERENCES members (id),
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (member_id, unit_id)
);

-- `unit_id` is where the letter is now (transfers move it); `deadline` the
-- Shanghai date by whose end it is due, fixed when it arrives (a transfer
-- does not give the union more time). The body is sealed (personal data).
CREATE TABLE letters (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('union', 'legal', 'suggestion')),
    member_id       BIGINT NOT NULL REFERENCES members (id),
    unit_id         BIGINT NOT NULL REFERENCES units (id),
    first_unit_id   BIGINT NOT NULL REFERENCES units (id),
    subject         TEXT NOT NULL,
    body_sealed     TEXT NOT NULL,
    anonymous       BOOLEAN NOT NULL DEFAULT FALSE,
    may_publish     BOOLEAN NOT NULL DEFAULT FALSE,
    watched_words   TEXT NOT NULL DEFAULT '',
    assigned_to     BIGINT REFERENCES members (id),
    deadline        TEXT NOT NULL,
    answer          TEXT,
    answered_by     BIGINT REFERENCES members (id),
    answered_at     BIGINT,
    rating          INTEGER CHECK (rating IN (1, 2, 3)),
    rated_at        BIGINT,
    public_question TEXT,
    published_at    BIGINT,
    created_at      BIGINT NOT NULL,
    CHECK (rating IS NULL OR answered_at IS NOT NULL),
    CHECK (published_at IS NULL OR (may_publish AND answered_at IS NOT NULL))
);
CREATE INDEX letters_unit ON letters (unit_id, answered_at);
CREATE INDEX letters_member ON letters (member_id);
CREATE INDEX letters_public ON letters (kind, published_at) WHERE published_at IS NOT NULL;

-- The letter's trail: written, assigned, transferred (from → to, with the
-- note), answered, rated, published.
CREATE TABLE letter_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    letter_id   BIGINT NOT NULL REFERENCES letters (id),
    action      TEXT NOT NULL,
    actor_id    BIGINT REFERENCES members (id),
    from_unit   BIGINT REFERENCES units (id),
    to_unit     BIGINT REFERENCES units (id),
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX letter_events_letter ON letter_events (letter_id);

-- Photos the writer attached (up to 3: `n` is 1 to 3 and unique per
-- letter), sealed; shown only to the writer and the letter's handlers.
CREATE TABLE letter_photos (
    letter_id     BIGINT NOT NULL REFERENCES letters (id),
    n             INTEGER NOT NULL CHECK (n BETWEEN 1 AND 3),
    content_type  TEXT NOT NULL,
    sealed        BYTEA NOT NULL,
    PRIMARY KEY (letter_id, n)
);

-- 舆情 signals now come from letters too.
ALTER TABLE watch_alerts ADD COLUMN letter_id BIGINT REFERENCES letters (id);
