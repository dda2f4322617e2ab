-- 网络展: photo and calligraphy contests are campaigns whose candidates are
-- members' works (kind 'works'): each entry has a picture and a thumbnail
-- for the two-column gallery; officials give awards and publish them.
ALTER TABLE campaigns ADD COLUMN kind TEXT NOT NULL DEFAULT 'people' CHECK (kind IN ('people', 'works'));
ALTER TABLE campaigns ADD COLUMN awards_published_at BIGINT;
ALTER TABLE candidates ADD COLUMN thumb_url TEXT;
ALTER TABLE candidates ADD COLUMN award TEXT CHECK (award IN ('一等奖', '二等奖', '三等奖', '优秀奖'));

-- Entry thumbnails live in `media` with the other pictures: widen its kinds.
ALTER TABLE media DROP CONSTRAINT media_kind_check;
ALTER TABLE media ADD CONSTRAINT media_kind_check
    CHECK (kind IN ('campaign', 'candidate', 'benefit', 'activity', 'wish', 'lesson', 'entry_thumb'));
