-- Failed 实名认证 attempts, so one account cannot probe the roster for ID
-- numbers: at most 10 failures a day per member (Asia/Shanghai days).
CREATE TABLE certify_attempts (
    member_id  BIGINT NOT NULL REFERENCES members (id),
    at         BIGINT NOT NULL
);
CREATE INDEX certify_attempts_member_at ON certify_attempts (member_id, at);
