-- Manual 实名认证 (人工审核): a member whose name and ID number did not match
-- the roster sends a photo of their union card; an official of the member's
-- unit (or above) approves it, which adds the member to the roster and
-- certifies them, or rejects it with a reason. The ID number and the photo
-- are sealed like the roster's. A pending request is withdrawn when the
-- member certifies automatically in the meantime.
CREATE TABLE certify_requests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id     BIGINT NOT NULL REFERENCES members (id),
    unit_id       BIGINT NOT NULL REFERENCES units (id),
    name          TEXT NOT NULL,
    id_sealed     TEXT NOT NULL,
    id_index      TEXT NOT NULL,
    id_masked     TEXT NOT NULL,
    photo_sealed  BYTEA NOT NULL,
    photo_type    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    reason        TEXT,
    reviewer_id   BIGINT REFERENCES members (id),
    created_at    BIGINT NOT NULL,
    reviewed_at   BIGINT
);
-- One request under review per member at a time.
CREATE UNIQUE INDEX certify_requests_one_pending ON certify_requests (member_id) WHERE status = 'pending';
CREATE INDEX certify_requests_unit_status ON certify_requests (unit_id, status);
CREATE INDEX certify_requests_member ON certify_requests (member_id, id);
