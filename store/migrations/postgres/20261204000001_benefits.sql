-- 惠员福利: benefits an official offers to the certified members of their
-- subtree, claimed with the 惠员卡 and redeemed at a partner merchant.

-- Public pictures of services (benefits now; activities, wishes and lessons
-- later) live in `media` like campaign covers: widen its kinds.
ALTER TABLE media DROP CONSTRAINT media_kind_check;
ALTER TABLE media ADD CONSTRAINT media_kind_check
    CHECK (kind IN ('campaign', 'candidate', 'benefit', 'activity', 'wish', 'lesson'));

-- A partner merchant (合作商户) with its own sign-in: it sees and redeems
-- only the benefits that name it. Created by an official of `unit_id`.
CREATE TABLE partners (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    name           TEXT NOT NULL,
    login          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_by     BIGINT NOT NULL REFERENCES members (id),
    created_at     BIGINT NOT NULL
);

CREATE TABLE benefits (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id         BIGINT NOT NULL REFERENCES units (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    picture_url     TEXT,
    partner_id      BIGINT NOT NULL REFERENCES partners (id),
    -- Eligibility beyond "certified, in the subtree".
    birthday_month  BOOLEAN NOT NULL DEFAULT FALSE,
    member_since    TEXT,
    once_per_year   BOOLEAN NOT NULL DEFAULT FALSE,
    quota           INTEGER NOT NULL CHECK (quota > 0),
    quota_per_day   INTEGER CHECK (quota_per_day IS NULL OR quota_per_day > 0),
    opens_at        BIGINT NOT NULL,
    closes_at       BIGINT NOT NULL,
    withdrawn_at    BIGINT,
    created_by      BIGINT NOT NULL REFERENCES members (id),
    created_at      BIGINT NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX benefits_unit ON benefits (unit_id);

-- A claim takes the benefit's next slot (1, 2, … at most the quota) and the
-- day's next slot (at most the daily quota); two claims never share a slot,
-- so the quotas hold whichever server process takes the claim. `period` is
-- the Shanghai year for once-a-year benefits and 0 otherwise: one claim per
-- member and period.
CREATE TABLE benefit_claims (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    benefit_id   BIGINT NOT NULL REFERENCES benefits (id),
    member_id    BIGINT NOT NULL REFERENCES members (id),
    unit_id      BIGINT NOT NULL REFERENCES units (id),
    period       INTEGER NOT NULL,
    slot         INTEGER NOT NULL CHECK (slot >= 1),
    day          TEXT NOT NULL,
    day_slot     INTEGER NOT NULL CHECK (day_slot >= 1),
    created_at   BIGINT NOT NULL,
    redeemed_at  BIGINT,
    redeemed_by  BIGINT REFERENCES partners (id)
);
CREATE UNIQUE INDEX benefit_claims_one_per_member ON benefit_claims (benefit_id, member_id, period);
CREATE UNIQUE INDEX benefit_claims_slot ON benefit_claims (benefit_id, slot);
CREATE UNIQUE INDEX benefit_claims_day_slot ON benefit_claims (benefit_id, day, day_slot);
CREATE INDEX benefit_claims_member ON benefit_claims (member_id);
-- The redeemed count per benefit reads only the redeemed claims.
CREATE INDEX benefit_claims_redeemed ON benefit_claims (benefit_id) WHERE redeemed_at IS NOT NULL;

CREATE FUNCTION benefit_claims_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    b benefits%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO b FROM benefits WHERE id = NEW.benefit_id;
        IF NEW.slot > b.quota OR (b.quota_per_day IS NOT NULL AND NEW.day_slot > b.quota_per_day) THEN
            RAISE EXCEPTION 'benefit quota: no slot left';
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.redeemed_at IS NOT NULL AND NEW.redeemed_at IS DISTINCT FROM OLD.redeemed_at THEN
        RAISE EXCEPTION 'a redeemed claim stays redeemed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER benefit_claims_guard BEFORE INSERT OR UPDATE ON benefit_claims
    FOR EACH ROW EXECUTE FUNCTION benefit_claims_guard();
