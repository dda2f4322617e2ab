-- Roster imports running in the background (issue 16): their progress lives
-- here, so any server process behind the load balancer can show it, not only
-- the one running the import. One row per job; `done` only grows.
CREATE TABLE import_jobs (
    token        TEXT PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES members (id),
    total        INTEGER NOT NULL CHECK (total >= 0),
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0 AND done <= total),
    -- Set once when the import ends: the notice, or the error message.
    succeeded    TEXT,
    failed       TEXT,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    CHECK (succeeded IS NULL OR failed IS NULL)
);
