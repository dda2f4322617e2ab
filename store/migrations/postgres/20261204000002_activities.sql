-- 活动: trainings, 1元观影 screenings, sports — an activity of a unit for the
-- certified members of its subtree, held in sessions with a place, a time, a
-- capacity and a sign-up window. Sign-ups beyond the capacity wait in line
-- and move up when someone cancels; confirmed ones are checked in at the
-- door with a signed QR code.
CREATE TABLE activities (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('training', 'cinema', 'sports', 'other')),
    picture_url   TEXT,
    member_since  TEXT,
    withdrawn_at  BIGINT,
    created_by    BIGINT NOT NULL REFERENCES members (id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX activities_unit ON activities (unit_id);

CREATE TABLE activity_sessions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id    BIGINT NOT NULL REFERENCES activities (id),
    place          TEXT NOT NULL,
    starts_at      BIGINT NOT NULL,
    ends_at        BIGINT NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    signup_opens   BIGINT NOT NULL,
    signup_closes  BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (signup_closes > signup_opens)
);
CREATE INDEX activity_sessions_activity ON activity_sessions (activity_id);

-- A confirmed sign-up holds a seat (1 … capacity, one sign-up per seat); a
-- waiting one holds a place in line. One live sign-up per member and
-- session. A cancellation frees the seat, and the first in line takes it in
-- the same transaction.
CREATE TABLE activity_signups (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     BIGINT NOT NULL REFERENCES activity_sessions (id),
    member_id      BIGINT NOT NULL REFERENCES members (id),
    unit_id        BIGINT NOT NULL REFERENCES units (id),
    status         TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    seat           INTEGER CHECK (seat IS NULL OR seat >= 1),
    queue_no       INTEGER NOT NULL,
    created_at     BIGINT NOT NULL,
    promoted_at    BIGINT,
    cancelled_at   BIGINT,
    checked_in_at  BIGINT,
    checked_in_by  BIGINT REFERENCES members (id),
    CHECK ((status = 'confirmed') = (seat IS NOT NULL)),
    CHECK (checked_in_at IS NULL OR status = 'confirmed')
);
CREATE UNIQUE INDEX activity_signups_one_per_member ON activity_signups (session_id, member_id) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX activity_signups_seat ON activity_signups (session_id, seat) WHERE seat IS NOT NULL;
CREATE UNIQUE INDEX activity_signups_queue ON activity_signups (session_id, queue_no);
CREATE INDEX activity_signups_member ON activity_signups (member_id);

CREATE FUNCTION activity_signups_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seat IS NOT NULL AND NEW.seat > (SELECT capacity FROM activity_sessions WHERE id = NEW.session_id) THEN
        RAISE EXCEPTION 'activity capacity: no seat left';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.checked_in_at IS NOT NULL AND NEW.checked_in_at IS DISTINCT FROM OLD.checked_in_at THEN
        RAISE EXCEPTION 'a check-in stays as it was';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER activity_signups_guard BEFORE INSERT OR UPDATE ON activity_signups
    FOR EACH ROW EXECUTE FUNCTION activity_signups_guard();
