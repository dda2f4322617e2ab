-- Officials void suspicious votes (刷票) by account, by candidate or by a
-- time range, with a reason the public results page shows. The vote rows
-- stay as they were (append-only); a void is a rule that tallies apply, and
-- undoing it (undone_at) brings the votes back. Both are audited.
CREATE TABLE vote_voids (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns (id),
    member_id     INTEGER REFERENCES members (id),
    candidate_id  INTEGER REFERENCES candidates (id),
    from_at       INTEGER,
    to_at         INTEGER,
    reason        TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES members (id),
    created_at    INTEGER NOT NULL,
    undone_by     INTEGER REFERENCES members (id),
    undone_at     INTEGER,
    -- Exactly one way of choosing votes.
    CHECK ((member_id IS NOT NULL AND candidate_id IS NULL AND from_at IS NULL AND to_at IS NULL)
        OR (member_id IS NULL AND candidate_id IS NOT NULL AND from_at IS NULL AND to_at IS NULL)
        OR (member_id IS NULL AND candidate_id IS NULL AND from_at IS NOT NULL AND to_at IS NOT NULL AND from_at < to_at))
);
CREATE INDEX vote_voids_campaign ON vote_voids (campaign_id);
CREATE INDEX votes_campaign_created ON votes (campaign_id, created_at);
CREATE INDEX votes_campaign_ip ON votes (campaign_id, ip);
