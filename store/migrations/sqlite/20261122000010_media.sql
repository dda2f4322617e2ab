-- Public images: campaign covers and candidates' photos (in the database, so
-- every server process serves them). Not personal data like the sealed
-- union-card photos: they are published on the share pages.
CREATE TABLE media (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('campaign', 'candidate')),
    owner_id      INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (kind, owner_id)
);
