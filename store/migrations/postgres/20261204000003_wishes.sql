-- 微心愿 (帮吧): a certified member in hardship (or an official on their
-- behalf) posts a small wish; officials review it; an approved wish is
-- public without the person's name; one donor claims it (the primary key of
-- wish_claims: one donor per wish, whichever process asks), fulfils it, and
-- an official confirms with a photo.
CREATE TABLE wishes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    member_id     BIGINT NOT NULL REFERENCES members (id),
    posted_by     BIGINT NOT NULL REFERENCES members (id),
    title         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    value_yuan    INTEGER NOT NULL CHECK (value_yuan BETWEEN 1 AND 2000),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    review_note   TEXT NOT NULL DEFAULT '',
    reviewed_by   BIGINT REFERENCES members (id),
    reviewed_at   BIGINT,
    fulfilled_at  BIGINT,
    confirmed_by  BIGINT REFERENCES members (id),
    photo_url     TEXT,
    created_at    BIGINT NOT NULL,
    CHECK (fulfilled_at IS NULL OR status = 'approved')
);
CREATE INDEX wishes_unit ON wishes (unit_id);

CREATE TABLE wish_claims (
    wish_id          BIGINT PRIMARY KEY REFERENCES wishes (id),
    donor_member_id  BIGINT REFERENCES members (id),
    donor_name       TEXT NOT NULL,
    claimed_by       BIGINT NOT NULL REFERENCES members (id),
    claimed_at       BIGINT NOT NULL
);
