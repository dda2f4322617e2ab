-- 惠员福利: benefits an official offers to the certified members of their
-- subtree, claimed with the 惠员卡 and redeemed at a partner merchant.

-- Public pictures of services (benefits now; activities, wishes and lessons
-- later) live in `media` like campaign covers: widen its kinds. SQLite
-- cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE media_new (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('campaign', 'candidate', 'benefit', 'activity', 'wish', 'lesson')),
    owner_id      INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (kind, owner_id)
);
INSERT INTO media_new SELECT id, kind, owner_id, content_type, bytes, created_at FROM media;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;

-- A partner merchant (合作商户) with its own sign-in: it sees and redeems
-- only the benefits that name it. Created by an official of `unit_id`.
CREATE TABLE partners (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES units (id),
    name           TEXT NOT NULL,
    login          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER,
    created_by     INTEGER NOT NULL REFERENCES members (id),
    created_at     INTEGER NOT NULL
);

CREATE TABLE benefits (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    picture_url     TEXT,
    partner_id      INTEGER NOT NULL REFERENCES partners (id),
    -- Eligibility beyond "certified, in the subtree".
    birthday_month  BOOLEAN NOT NULL DEFAULT FALSE,
    member_since    TEXT,
    once_per_year   BOOLEAN NOT NULL DEFAULT FALSE,
    quota           INTEGER NOT NULL CHECK (quota > 0),
    quota_per_day   INTEGER CHECK (quota_per_day IS NULL OR quota_per_day > 0),
    opens_at        INTEGER NOT NULL,
    closes_at       INTEGER NOT NULL,
    withdrawn_at    INTEGER,
    created_by      INTEGER NOT NULL REFERENCES members (id),
    created_at      INTEGER NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX benefits_unit ON benefits (unit_id);

-- A claim takes the benefit's next slot (1, 2, … at most the quota) and the
-- day's next slot (at most the daily quota); two claims never share a slot,
-- so the quotas hold whichever server process takes the claim. `period` is
-- the Shanghai year for once-a-year benefits and 0 otherwise: one claim per
-- member and period.
CREATE TABLE benefit_claims (
    id           INTEGER PRIMARY KEY,
    benefit_id   INTEGER NOT NULL REFERENCES benefits (id),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    period       INTEGER NOT NULL,
    slot         INTEGER NOT NULL CHECK (slot >= 1),
    day          TEXT NOT NULL,
    day_slot     INTEGER NOT NULL CHECK (day_slot >= 1),
    created_at   INTEGER NOT NULL,
    redeemed_at  INTEGER,
    redeemed_by  INTEGER REFERENCES partners (id)
);
CREATE UNIQUE INDEX benefit_claims_one_per_member ON benefit_claims (benefit_id, member_id, period);
CREATE UNIQUE INDEX benefit_claims_slot ON benefit_claims (benefit_id, slot);
CREATE UNIQUE INDEX benefit_claims_day_slot ON benefit_claims (benefit_id, day, day_slot);
CREATE INDEX benefit_claims_member ON benefit_claims (member_id);
-- The redeemed count per benefit reads only the redeemed claims.
CREATE INDEX benefit_claims_redeemed ON benefit_claims (benefit_id) WHERE redeemed_at IS NOT NULL;

CREATE TRIGGER benefit_claims_within_quota BEFORE INSERT ON benefit_claims
WHEN NEW.slot > (SELECT quota FROM benefits WHERE id = NEW.benefit_id)
  OR NEW.day_slot > COALESCE((SELECT quota_per_day FROM benefits WHERE id = NEW.benefit_id), NEW.day_slot)
BEGIN
    SELECT RAISE(ABORT, 'benefit quota: no slot left');
END;
-- Redeemed once: the time of the first redemption never changes.
CREATE TRIGGER benefit_claims_redeemed_once BEFORE UPDATE OF redeemed_at ON benefit_claims
WHEN OLD.redeemed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a redeemed claim stays redeemed');
END;
