-- 活动: trainings, 1元观影 screenings, sports — an activity of a unit for the
-- certified members of its subtree, held in sessions with a place, a time, a
-- capacity and a sign-up window. Sign-ups beyond the capacity wait in line
-- and move up when someone cancels; confirmed ones are checked in at the
-- door with a signed QR code.
CREATE TABLE activities (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('training', 'cinema', 'sports', 'other')),
    picture_url   TEXT,
    member_since  TEXT,
    withdrawn_at  INTEGER,
    created_by    INTEGER NOT NULL REFERENCES members (id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX activities_unit ON activities (unit_id);

CREATE TABLE activity_sessions (
    id             INTEGER PRIMARY KEY,
    activity_id    INTEGER NOT NULL REFERENCES activities (id),
    place          TEXT NOT NULL,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    signup_opens   INTEGER NOT NULL,
    signup_closes  INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (signup_closes > signup_opens)
);
CREATE INDEX activity_sessions_activity ON activity_sessions (activity_id);

-- A confirmed sign-up holds a seat (1 … capacity, one sign-up per seat); a
-- waiting one holds a place in line. One live sign-up per member and
-- session. A cancellation frees the seat, and the first in line takes it in
-- the same transaction.
CREATE TABLE activity_signups (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES activity_sessions (id),
    member_id      INTEGER NOT NULL REFERENCES members (id),
    unit_id        INTEGER NOT NULL REFERENCES units (id),
    status         TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    seat           INTEGER CHECK (seat IS NULL OR seat >= 1),
    queue_no       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    promoted_at    INTEGER,
    cancelled_at   INTEGER,
    checked_in_at  INTEGER,
    checked_in_by  INTEGER REFERENCES members (id),
    CHECK ((status = 'confirmed') = (seat IS NOT NULL)),
    CHECK (checked_in_at IS NULL OR status = 'confirmed')
);
CREATE UNIQUE INDEX activity_signups_one_per_member ON activity_signups (session_id, member_id) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX activity_signups_seat ON activity_signups (session_id, seat) WHERE seat IS NOT NULL;
CREATE UNIQUE INDEX activity_signups_queue ON activity_signups (session_id, queue_no);
CREATE INDEX activity_signups_member ON activity_signups (member_id);

CREATE TRIGGER activity_signups_within_capacity BEFORE INSERT ON activity_signups
WHEN NEW.seat > (SELECT capacity FROM activity_sessions WHERE id = NEW.session_id)
BEGIN
    SELECT RAISE(ABORT, 'activity capacity: no seat left');
END;
CREATE TRIGGER activity_signups_seat_within_capacity BEFORE UPDATE OF seat ON activity_signups
WHEN NEW.seat > (SELECT capacity FROM activity_sessions WHERE id = NEW.session_id)
BEGIN
    SELECT RAISE(ABORT, 'activity capacity: no seat left');
END;
-- Checked in once: the first time stays.
CREATE TRIGGER activity_signups_checked_in_once BEFORE UPDATE OF checked_in_at ON activity_signups
WHEN OLD.checked_in_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a check-in stays as it was');
END;
