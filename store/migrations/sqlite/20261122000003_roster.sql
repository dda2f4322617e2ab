-- The member roster (会员名册). ID numbers and phones are stored sealed
-- (AES-256-GCM) with an HMAC blind index for exact-match lookup; the plain
-- values never reach the database.
CREATE TABLE roster_entries (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    member_no     TEXT NOT NULL,
    name          TEXT NOT NULL,
    gender        TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date    TEXT NOT NULL,
    id_sealed     TEXT NOT NULL,
    id_index      TEXT NOT NULL UNIQUE,
    phone_sealed  TEXT,
    phone_index   TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX roster_entries_unit_id ON roster_entries (unit_id);
CREATE UNIQUE INDEX roster_entries_phone_index ON roster_entries (phone_index) WHERE phone_index IS NOT NULL;

-- An uploaded file waiting for its uploader to confirm it (large rosters do
-- not fit in a hidden form field).
CREATE TABLE pending_imports (
    token       TEXT PRIMARY KEY,
    actor_id    INTEGER NOT NULL REFERENCES members (id),
    kind        TEXT NOT NULL,
    content     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
