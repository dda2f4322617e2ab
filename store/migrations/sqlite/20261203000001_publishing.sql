-- Publishing (issue 13): articles on units' channels, where they are placed
-- (a unit's own and those republished from above or below), corrections and
-- withdrawals, likes, pre-moderated comments, word watchlists (舆情) and
-- their alerts, distribution down the tree (下发), share tags and views for
-- propagation tracking (传播追踪).

-- An article: a story published on its desk unit's channel, or a digest
-- (工会新声) compiled by an editor. Text is copied at publishing: a
-- correction changes the article, never the reviewed story.
CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL REFERENCES units (id),
    story_id          INTEGER REFERENCES stories (id),
    kind              TEXT NOT NULL CHECK (kind IN ('story', 'digest')),
    title             TEXT NOT NULL,
    body_md           TEXT NOT NULL DEFAULT '',
    body_html         TEXT NOT NULL,
    excerpt           TEXT NOT NULL,
    byline            TEXT NOT NULL DEFAULT '',
    cover_token       TEXT,
    outward           INTEGER NOT NULL CHECK (outward IN (0, 1)),
    published_by      INTEGER NOT NULL REFERENCES members (id),
    publish_at        INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    withdrawn_at      INTEGER,
    withdrawn_reason  TEXT NOT NULL DEFAULT ''
);
-- A story is published once.
CREATE UNIQUE INDEX articles_story_once ON articles (story_id) WHERE story_id IS NOT NULL;
CREATE INDEX articles_unit_publish ON articles (unit_id, publish_at);
CREATE INDEX articles_publish ON articles (publish_at);
-- 先审后发 once more: only a story every review step approved is published.
CREATE TRIGGER articles_only_reviewed BEFORE INSERT ON articles
WHEN NEW.story_id IS NOT NULL AND (SELECT status FROM stories WHERE id = NEW.story_id) NOT IN ('ready', 'published')
BEGIN
    SELECT RAISE(ABORT, '先审后发: only a reviewed story is published');
END;

-- Where an article shows: its own channel, and every channel that
-- republished it (转载). One row per article and channel, so a member whose
-- feed covers both sees it once.
CREATE TABLE channel_items (
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    placed_by   INTEGER NOT NULL REFERENCES members (id),
    placed_at   INTEGER NOT NULL,
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    PRIMARY KEY (article_id, unit_id)
);
CREATE INDEX channel_items_unit ON channel_items (unit_id, placed_at);

-- 更正: what was corrected and when (the article's text is the corrected one).
CREATE TABLE article_corrections (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    note        TEXT NOT NULL,
    by_member   INTEGER NOT NULL REFERENCES members (id),
    at          INTEGER NOT NULL
);
CREATE INDEX article_corrections_article ON article_corrections (article_id, id);

-- A like is a row (a second like deletes it): the count is COUNT(*), no
-- shared counter row is updated per like.
CREATE TABLE article_likes (
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    at          INTEGER NOT NULL,
    PRIMARY KEY (article_id, member_id)
);

-- Comments, 先审后发: pending until an official of the channel's unit (or
-- above) approves; `held_words` are the watched words that held it.
CREATE TABLE article_comments (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    held_words   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    decided_by   INTEGER REFERENCES members (id),
    decided_at   INTEGER
);
CREATE INDEX article_comments_article ON article_comments (article_id, status, id);
CREATE INDEX article_comments_pending ON article_comments (status, article_id) WHERE status = 'pending';

-- Watched words of a unit (its channel and every channel below it).
CREATE TABLE watch_words (
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    word        TEXT NOT NULL,
    tier        TEXT NOT NULL CHECK (tier IN ('block', 'hold', 'alert')),
    whole_word  INTEGER NOT NULL DEFAULT 0 CHECK (whole_word IN (0, 1)),
    added_by    INTEGER NOT NULL REFERENCES members (id),
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, word)
);

-- 舆情 signals: a watched word (any tier but block) seen in a comment.
CREATE TABLE watch_alerts (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    word        TEXT NOT NULL,
    tier        TEXT NOT NULL,
    comment_id  INTEGER REFERENCES article_comments (id),
    article_id  INTEGER REFERENCES articles (id),
    day         TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX watch_alerts_unit_day ON watch_alerts (unit_id, day);

-- 下发: an article sent to child units with a note; each target's opening
-- and republishing are recorded on its row.
CREATE TABLE distributions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    from_unit   INTEGER NOT NULL REFERENCES units (id),
    note        TEXT NOT NULL DEFAULT '',
    by_member   INTEGER NOT NULL REFERENCES members (id),
    at          INTEGER NOT NULL
);
CREATE INDEX distributions_from ON distributions (from_unit, at);
CREATE TABLE distribution_targets (
    distribution_id  INTEGER NOT NULL REFERENCES distributions (id),
    unit_id          INTEGER NOT NULL REFERENCES units (id),
    opened_at        INTEGER,
    republished_at   INTEGER,
    PRIMARY KEY (distribution_id, unit_id)
);
CREATE INDEX distribution_targets_unit ON distribution_targets (unit_id);

-- Share links' opaque tags (?s=…): whose share brought a visitor. A tag is
-- a signed-in member's (with their unit) for one article; `parent` is the
-- tag they arrived by, for the second level of the propagation tree.
CREATE TABLE share_tags (
    tag         TEXT PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    parent      TEXT,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX share_tags_one_per_member ON share_tags (article_id, member_id);

-- Views: one row per article, Shanghai day and visitor (a salted hash of
-- the address and browser that changes daily; no address is stored),
-- appended in batches. The first view of the day names the tag it came by.
CREATE TABLE article_views (
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    day         INTEGER NOT NULL,
    visitor     TEXT NOT NULL,
    tag         TEXT,
    at          INTEGER NOT NULL,
    PRIMARY KEY (article_id, day, visitor)
);
CREATE INDEX article_views_tag ON article_views (tag) WHERE tag IS NOT NULL;
CREATE INDEX article_views_day ON article_views (day, article_id);

-- The day's salt for visitor hashes; a day's salt is deleted after it, so
-- no hash can be linked to an address afterwards.
CREATE TABLE view_salts (
    day   INTEGER PRIMARY KEY,
    salt  TEXT NOT NULL
);

-- 一键发布, 直通媒体: a unit's outward channels (a WeChat official account,
-- a webhook for any other medium), their credentials sealed like ID numbers.
CREATE TABLE outward_channels (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES units (id),
    kind           TEXT NOT NULL CHECK (kind IN ('wechat', 'webhook')),
    name           TEXT NOT NULL,
    -- WeChat: the AppID; webhook: the URL.
    endpoint       TEXT NOT NULL,
    -- WeChat: the AppSecret; webhook: the signing key. Sealed (AES-GCM).
    secret_sealed  TEXT NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES members (id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX outward_channels_unit ON outward_channels (unit_id);

-- One delivery per article and channel (so never sent twice), with its
-- state: queued (waiting, maybe after a failure: `last_error`, `next_at`),
-- sending (leased by one worker until `lease_until`), sent, failed (given
-- up; an official may queue it again). `step` and `remote_ref` keep where a
-- multi-step delivery got to (WeChat: the draft's media_id, then the
-- publish_id), so a retry resumes instead of starting over.
CREATE TABLE outward_deliveries (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    channel_id   INTEGER NOT NULL REFERENCES outward_channels (id),
    status       TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    lease_until  INTEGER,
    step         TEXT NOT NULL DEFAULT '',
    remote_ref   TEXT NOT NULL DEFAULT '',
    remote_url   TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    UNIQUE (article_id, channel_id)
);
CREATE INDEX outward_deliveries_due ON outward_deliveries (status, next_at);
-- 对外宣传 否: such an article never goes to an outward channel.
CREATE TRIGGER outward_deliveries_outward_only BEFORE INSERT ON outward_deliveries
WHEN (SELECT outward FROM articles WHERE id = NEW.article_id) <> 1
BEGIN
    SELECT RAISE(ABORT, '对外宣传 否: this article may not go to an outward channel');
END;
-- Sent stays sent.
CREATE TRIGGER outward_deliveries_sent_once BEFORE UPDATE OF status ON outward_deliveries
WHEN OLD.status = 'sent' AND NEW.status <> 'sent'
BEGIN
    SELECT RAISE(ABORT, 'a delivery that was sent stays sent');
END;
