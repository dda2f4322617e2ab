-- Union apps that embed Gonghui in their webviews (issue 15).
--
-- A registered app's origins are the only foreign origins CORS lets call
-- /api (`null` stands for bundles loaded from file://); its ed25519 public
-- key verifies the assertions with which the app hands over a member it
-- has signed in already. Managed by super admins, every change audited.
CREATE TABLE host_apps (
    id          BIGSERIAL PRIMARY KEY,
    -- The id the app sends with its assertions (lower-case letters, digits, -).
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    -- One origin per line: https://app.example.org, or null.
    origins     TEXT NOT NULL,
    -- The raw 32-byte ed25519 public key, base64 (standard alphabet).
    public_key  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

-- Bearer tokens for apps. Only the SHA-256 of a token is kept: a copy of
-- the database signs nobody in. A token is bound to the member's session
-- epoch like a cookie session, so 退出所有设备, a password reset or a phone
-- change ends it.
CREATE TABLE app_tokens (
    token_hash  TEXT PRIMARY KEY,
    member_id   BIGINT NOT NULL REFERENCES members (id),
    epoch       BIGINT NOT NULL,
    -- The app that handed the member over; NULL for a password or code sign-in.
    app_id      BIGINT REFERENCES host_apps (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX app_tokens_member ON app_tokens (member_id);
CREATE INDEX app_tokens_expires ON app_tokens (expires_at);

-- Assertion nonces seen, until their assertion expires: the primary key
-- refuses a replay, in every server process at once.
CREATE TABLE app_assertion_nonces (
    app_id      BIGINT NOT NULL REFERENCES host_apps (id),
    nonce       TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (app_id, nonce)
);
