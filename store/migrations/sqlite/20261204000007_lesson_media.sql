-- 学吧: a lesson may play an audio or video file from the asset library
-- (素材库), e.g. a recorded talk by the union's lawyer.
ALTER TABLE lessons ADD COLUMN asset_id INTEGER REFERENCES assets (id);
