-- 评选投票 campaigns (such as 齐鲁工匠), their candidates and votes.
CREATE TABLE campaigns (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                  TEXT NOT NULL UNIQUE,
    unit_id               BIGINT NOT NULL REFERENCES units (id),
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL,
    cover_url             TEXT,
    signup_starts         BIGINT NOT NULL,
    review_starts         BIGINT NOT NULL,
    voting_starts         BIGINT NOT NULL,
    publicity_starts      BIGINT NOT NULL,
    closes                BIGINT NOT NULL,
    voter_rule            TEXT NOT NULL CHECK (voter_rule IN ('registered', 'certified', 'certified_in_subtree')),
    votes_per_day         INTEGER NOT NULL CHECK (votes_per_day BETWEEN 1 AND 100),
    votes_per_candidate   INTEGER NOT NULL CHECK (votes_per_candidate BETWEEN 1 AND 100),
    expert_weight_pct     INTEGER NOT NULL DEFAULT 0 CHECK (expert_weight_pct BETWEEN 0 AND 100),
    created_by            BIGINT REFERENCES members (id),
    created_at            BIGINT NOT NULL
);

CREATE TABLE candidates (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
    -- 编号, given when the candidate is approved (NULL while pending).
    number        INTEGER,
    name          TEXT NOT NULL,
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    title         TEXT NOT NULL DEFAULT '',
    -- The member who signed up (报名); NULL for officials' nominations.
    member_id     BIGINT REFERENCES members (id),
    photo_url     TEXT,
    -- Sanitised HTML (ammonia) at the time it is saved.
    story_html    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    expert_score  INTEGER,
    created_at    BIGINT NOT NULL,
    UNIQUE (campaign_id, number),
    UNIQUE (campaign_id, member_id)
);

-- Votes are append-only. The daily limits hold in the database, whichever
-- server process takes the vote: each vote of a member on a day takes the
-- next "slot" (1, 2, …, at most the campaign's limit, checked by the insert
-- itself), and two votes can never share a slot. The same for the votes per
-- candidate per day. A replayed idempotency key hits its own unique index.
CREATE TABLE votes (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
    candidate_id     BIGINT NOT NULL REFERENCES candidates (id),
    member_id        BIGINT NOT NULL REFERENCES members (id),
    day              INTEGER NOT NULL,
    day_slot         INTEGER NOT NULL,
    candidate_slot   INTEGER NOT NULL,
    idempotency_key  TEXT NOT NULL,
    ip               TEXT,
    created_at       BIGINT NOT NULL,
    UNIQUE (member_id, campaign_id, day, day_slot),
    UNIQUE (member_id, candidate_id, day, candidate_slot),
    UNIQUE (member_id, idempotency_key)
);
CREATE INDEX votes_campaign_candidate ON votes (campaign_id, candidate_id);
