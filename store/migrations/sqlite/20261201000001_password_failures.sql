-- Wrong passwords are counted per phone whether or not the phone is a
-- member's (issue 10): a lockout that only registered phones reach would tell
-- who is registered. Keyed by a SHA-256 digest of the phone, so phones that
-- never registered are not kept in the clear. Replaces members' own counters.
CREATE TABLE password_failures (
    phone_digest TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER
);
ALTER TABLE members DROP COLUMN failed_logins;
ALTER TABLE members DROP COLUMN locked_until;
