-- Bumped when a password is reset or the phone changes: sessions signed in
-- under an older epoch stop counting, on every device.
ALTER TABLE members ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
