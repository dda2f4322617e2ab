-- Verification codes the SMS gateway refused (issue 16): shown to super
-- admins on /admin in Chinese (quota exceeded, template not approved…), so
-- the union learns of it before members complain. No phone number is kept.
CREATE TABLE sms_failures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    gateway   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    -- What the officials read (sms::SmsError::for_officials).
    detail    TEXT NOT NULL
);
CREATE INDEX sms_failures_at ON sms_failures (at);
