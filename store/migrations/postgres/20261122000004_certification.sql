-- 实名认证: a member linked to a roster entry. One roster entry certifies at
-- most one account (unique), whichever server process asks.
ALTER TABLE members ADD COLUMN roster_entry_id BIGINT REFERENCES roster_entries (id);
ALTER TABLE members ADD COLUMN certified_at BIGINT;
CREATE UNIQUE INDEX members_roster_entry_id ON members (roster_entry_id) WHERE roster_entry_id IS NOT NULL;
