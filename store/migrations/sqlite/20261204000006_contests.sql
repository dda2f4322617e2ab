-- 网络展: photo and calligraphy contests are campaigns whose candidates are
-- members' works (kind 'works'): each entry has a picture and a thumbnail
-- for the two-column gallery; officials give awards and publish them.
ALTER TABLE campaigns ADD COLUMN kind TEXT NOT NULL DEFAULT 'people' CHECK (kind IN ('people', 'works'));
ALTER TABLE campaigns ADD COLUMN awards_published_at INTEGER;
ALTER TABLE candidates ADD COLUMN thumb_url TEXT;
ALTER TABLE candidates ADD COLUMN award TEXT CHECK (award IN ('一等奖', '二等奖', '三等奖', '优秀奖'));

-- Entry thumbnails live in `media` with the other pictures: widen its kinds
-- (SQLite cannot alter a CHECK, so the table is rebuilt).
CREATE TABLE media_new (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('campaign', 'candidate', 'benefit', 'activity', 'wish', 'lesson', 'entry_thumb')),
    owner_id      INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (kind, owner_id)
);
INSERT INTO media_new SELECT id, kind, owner_id, content_type, bytes, created_at FROM media;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;
