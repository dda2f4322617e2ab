-- Public images: campaign covers and candidates' photos (in the database, so
-- every server process serves them). Not personal data like the sealed
-- union-card photos: they are published on the share pages.
CREATE TABLE media (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('campaign', 'candidate')),
    owner_id      BIGINT NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (kind, owner_id)
);
