-- The union unit tree: province → city → county/district → grassroots.
CREATE TABLE units (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    parent_id   BIGINT REFERENCES units (id),
    name        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'grassroots')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX units_parent_id ON units (parent_id);
