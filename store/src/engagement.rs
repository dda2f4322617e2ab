//! What members do with articles and what officials see of it: likes,
//! pre-moderated comments, watched words (舆情) and their alerts, share tags,
//! views and the propagation tree (传播追踪).

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, MemberId, Store, StoreError};

/// An article's tallies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArticleCounts {
    /// Unique visitors per day, summed over days.
    pub views: i64,
    pub likes: i64,
    /// Approved comments.
    pub comments: i64,
    /// Share links that brought at least one view.
    pub shares: i64,
}

/// A comment as the article page shows it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub member_id: i64,
    pub author_name: String,
    pub body: String,
    pub status: String,
    pub created_at: i64,
}

/// A comment waiting for moderation.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingComment {
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub channel_name: String,
    pub author_name: String,
    pub body: String,
    pub held_words: String,
    pub created_at: i64,
}

/// A watched word of a unit.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredWatchWord {
    pub unit_id: i64,
    pub word: String,
    pub tier: String,
    pub whole_word: bool,
}

/// One 舆情 alert line: a word's count on a day.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AlertCount {
    pub day: String,
    pub word: String,
    pub tier: String,
    pub hits: i64,
}

/// A signal to record with a comment: unit `unit_id`'s list has `word`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAlert {
    pub unit_id: i64,
    pub word: String,
    pub tier: String,
}

/// A comment to store, already judged.
pub struct NewComment<'a> {
    pub article: i64,
    pub member: MemberId,
    pub body: &'a str,
    /// `pending` (every comment, 先审后发).
    pub held_words: &'a str,
    pub alerts: &'a [NewAlert],
    /// The Shanghai day (`YYYY-MM-DD`) for the alerts.
    pub day: &'a str,
    pub now: i64,
}

/// A view to append (see `ViewQueue`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewView {
    pub article: i64,
    /// Days since the Unix epoch, in Shanghai.
    pub day: i64,
    /// The visitor's salted daily hash (hex).
    pub visitor: String,
    /// The share tag the visitor came by.
    pub tag: Option<String>,
    pub at: i64,
}

/// A branch of an article's propagation tree: the views that shares by
/// members of `unit_name` brought, and below it (`via`) the units whose
/// members reshared what they got from it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PropagationRow {
    /// The first sharer's unit.
    pub unit_name: String,
    /// The resharer's unit (empty: the first sharers' own links).
    pub via_unit: String,
    pub views: i64,
    pub sharers: i64,
}

impl Store {
    /// Likes article `id` for `member`, or takes the like back when there
    /// is one. Whether the member likes it now.
    pub async fn toggle_like(&self, member: MemberId, id: i64, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let removed = sqlx::query("DELETE FROM article_likes WHERE article_id = $1 AND member_id = $2")
                .bind(id)
                .bind(member.0)
                .execute(pool)
                .await?
                .rows_affected();
            if removed == 0 {
                sqlx::query(
                    "INSERT INTO article_likes (article_id, member_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(member.0)
                .bind(now)
                .execute(pool)
                .await?;
            }
            removed == 0
        }))
    }

    /// Whether `member` likes article `id`.
    pub async fn likes(&self, member: MemberId, id: i64) -> Result<bool, StoreError> {
        let (yes,): (bool,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT EXISTS (SELECT 1 FROM article_likes WHERE article_id = $1 AND member_id = $2)")
                .bind(id)
                .bind(member.0)
                .fetch_one(pool)
                .await?
        });
        Ok(yes)
    }

    /// Article `id`'s tallies, each a COUNT over its own index.
    pub async fn article_counts(&self, id: i64) -> Result<ArticleCounts, StoreError> {
        let (views, likes, comments, shares): (i64, i64, i64, i64) = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM article_views WHERE article_id = $1), \
                     (SELECT COUNT(*) FROM article_likes WHERE article_id = $1), \
                     (SELECT COUNT(*) FROM article_comments WHERE article_id = $1 AND status = 'approved'), \
                     (SELECT COUNT(*) FROM share_tags t WHERE t.article_id = $1 \
                         AND EXISTS (SELECT 1 FROM article_views v WHERE v.tag = t.tag))",
            )
            .bind(id)
            .fetch_one(pool)
            .await?
        });
        Ok(ArticleCounts { views, likes, comments, shares })
    }

    /// Stores a comment (pending, 先审后发) with its alerts, in one
    /// transaction. The comment's id.
    pub async fn insert_comment(&self, c: &NewComment<'_>) -> Result<i64, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO article_comments (article_id, member_id, body, status, held_words, created_at) \
                 VALUES ($1, $2, $3, 'pending', $4, $5) RETURNING id",
            )
            .bind(c.article)
            .bind(c.member.0)
            .bind(c.body)
            .bind(c.held_words)
            .bind(c.now)
            .fetch_one(&mut *tx)
            .await?;
            for alert in c.alerts {
                sqlx::query(
                    "INSERT INTO watch_alerts (unit_id, word, tier, comment_id, article_id, day, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(alert.unit_id)
                .bind(&alert.word)
                .bind(&alert.tier)
                .bind(id)
                .bind(c.article)
                .bind(c.day)
                .bind(c.now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            id
        }))
    }

    /// Article `id`'s comments a viewer sees: approved ones, and the
    /// viewer's own whatever their state. Oldest first.
    pub async fn comments_for(&self, id: i64, viewer: Option<MemberId>) -> Result<Vec<CommentRow>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, c.member_id, m.name AS author_name, c.body, c.status, c.created_at \
                 FROM article_comments c JOIN members m ON m.id = c.member_id \
                 WHERE c.article_id = $1 AND (c.status = 'approved' OR (c.member_id = $2 AND c.status = 'pending')) \
                 ORDER BY c.id LIMIT 200",
            )
            .bind(id)
            .bind(viewer.map_or(0, |m| m.0))
            .fetch_all(pool)
            .await?
        }))
    }

    /// Comments waiting on articles of channels in `actor`'s reach, held
    /// ones first, then oldest first.
    pub async fn pending_comments(&self, actor: &crate::Actor, limit: i64) -> Result<Vec<PendingComment>, StoreError> {
        let sql = format!(
            "{} SELECT c.id, c.article_id, a.title AS article_title, u.name AS channel_name, m.name AS author_name, \
                 c.body, c.held_words, c.created_at \
             FROM article_comments c JOIN articles a ON a.id = c.article_id JOIN units u ON u.id = a.unit_id \
             JOIN members m ON m.id = c.member_id \
             WHERE c.status = 'pending' AND a.unit_id IN (SELECT id FROM scope) \
             ORDER BY CASE WHEN c.held_words = '' THEN 1 ELSE 0 END, c.id LIMIT $2",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(limit).fetch_all(pool).await?))
    }

    /// Approves or rejects pending comment `id` on a channel in `actor`'s
    /// reach; audited. `false` when out of reach or already decided.
    pub async fn decide_comment(
        &self,
        actor: &crate::Actor,
        id: i64,
        approve: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} UPDATE article_comments SET status = $3, decided_by = $1, decided_at = $4 \
             WHERE id = $2 AND status = 'pending' \
                 AND article_id IN (SELECT id FROM articles WHERE unit_id IN (SELECT id FROM scope))",
            crate::officials::scope_cte(actor)
        );
        let status = if approve { "approved" } else { "rejected" };
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(&sql)
                .bind(actor.member_id.0)
                .bind(id)
                .bind(status)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            let label = if approve { "通过" } else { "不予显示" };
            audit_in_tx!(&mut *tx, actor.member_id, "评论审核", &format!("评论 #{id}"), label, now)?;
            tx.commit().await?;
            true
        }))
    }

    /// The watched words that apply on unit `unit_id`'s channel: its own
    /// list and every list above it.
    pub async fn watch_words_over(&self, unit_id: i64) -> Result<Vec<StoredWatchWord>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE up (id, parent_id) AS ( \
                     SELECT id, parent_id FROM units WHERE id = $1 \
                     UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) \
                 SELECT unit_id, word, tier, whole_word FROM watch_words WHERE unit_id IN (SELECT id FROM up)",
            )
            .bind(unit_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Unit `unit_code`'s own watched words, when it is in `actor`'s reach.
    pub async fn watch_words_of(
        &self,
        actor: &crate::Actor,
        unit_code: &str,
    ) -> Result<Vec<StoredWatchWord>, StoreError> {
        let sql = format!(
            "{} SELECT w.unit_id, w.word, w.tier, w.whole_word FROM watch_words w JOIN units u ON u.id = w.unit_id \
             WHERE u.code = $2 AND u.id IN (SELECT id FROM scope) ORDER BY w.tier, w.word",
            crate::officials::scope_cte(actor)
        );
        Ok(
            on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(unit_code).fetch_all(pool).await?),
        )
    }

    /// Adds (or changes the tier of) `word` on unit `unit_code`'s list, in
    /// `actor`'s reach; audited. `false` when out of reach.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_watch_word(
        &self,
        actor: &crate::Actor,
        unit_code: &str,
        word: &str,
        tier: &str,
        whole_word: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} INSERT INTO watch_words (unit_id, word, tier, whole_word, added_by, added_at) \
             SELECT id, $3, $4, $5, $1, $6 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) \
             ON CONFLICT (unit_id, word) DO UPDATE SET tier = excluded.tier, whole_word = excluded.whole_word",
            crate::officials::scope_cte(actor)
        );
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(&sql)
                .bind(actor.member_id.0)
                .bind(unit_code)
                .bind(word)
                .bind(tier)
                .bind(whole_word)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            audit_in_tx!(&mut *tx, actor.member_id, "设置监测词", unit_code, &format!("{word} · {tier}"), now)?;
            tx.commit().await?;
            true
        }))
    }

    /// Removes `word` from unit `unit_code`'s list (in reach); audited.
    pub async fn remove_watch_word(
        &self,
        actor: &crate::Actor,
        unit_code: &str,
        word: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "{} DELETE FROM watch_words WHERE word = $3 \
                 AND unit_id IN (SELECT id FROM units WHERE code = $2 AND id IN (SELECT id FROM scope))",
            crate::officials::scope_cte(actor)
        );
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let changed =
                sqlx::query(&sql).bind(actor.member_id.0).bind(unit_code).bind(word).execute(&mut *tx).await?.rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            audit_in_tx!(&mut *tx, actor.member_id, "删除监测词", unit_code, word, now)?;
            tx.commit().await?;
            true
        }))
    }

    /// 舆情: unit `unit_code`'s alerts (in reach) from day `from` on, per
    /// day and word, newest day first.
    pub async fn alert_counts(
        &self,
        actor: &crate::Actor,
        unit_code: &str,
        from: &str,
    ) -> Result<Vec<AlertCount>, StoreError> {
        let sql = format!(
            "{} SELECT w.day, w.word, w.tier, COUNT(*) AS hits FROM watch_alerts w JOIN units u ON u.id = w.unit_id \
             WHERE u.code = $2 AND u.id IN (SELECT id FROM scope) AND w.day >= $3 \
             GROUP BY w.day, w.word, w.tier ORDER BY w.day DESC, hits DESC, w.word",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(actor.member_id.0).bind(unit_code).bind(from).fetch_all(pool).await?
        }))
    }

    /// The share tag of `member` for article `id`, made (with `fresh` and
    /// the tag they arrived by, when it is one of this article's) the first
    /// time they share it.
    pub async fn share_tag(
        &self,
        member: MemberId,
        id: i64,
        arrived_by: Option<&str>,
        fresh: &str,
        now: i64,
    ) -> Result<String, StoreError> {
        let existing: Option<(String,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT tag FROM share_tags WHERE article_id = $1 AND member_id = $2")
                .bind(id)
                .bind(member.0)
                .fetch_optional(pool)
                .await?
        });
        if let Some((tag,)) = existing {
            return Ok(tag);
        }
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO share_tags (tag, article_id, member_id, unit_id, parent, created_at) \
                 SELECT $1, $2, m.id, m.unit_id, \
                     (SELECT p.tag FROM share_tags p WHERE p.tag = $4 AND p.article_id = $2 AND p.member_id <> m.id), $5 \
                 FROM members m WHERE m.id = $3 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(fresh)
            .bind(id)
            .bind(member.0)
            .bind(arrived_by.unwrap_or(""))
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        let (tag,): (String,) = on_writer!(self, pool => {
            sqlx::query_as("SELECT tag FROM share_tags WHERE article_id = $1 AND member_id = $2")
                .bind(id)
                .bind(member.0)
                .fetch_one(pool)
                .await?
        });
        Ok(tag)
    }

    /// Appends views, one statement for the batch; a visitor's second view
    /// of an article on a day changes nothing (the primary key).
    pub async fn append_views(&self, views: &[NewView]) -> Result<(), StoreError> {
        if views.is_empty() {
            return Ok(());
        }
        on_writer!(self, pool => {
            // 5 binds a row; 1 000 rows stay under SQLite's 32 766 and
            // PostgreSQL's 65 535 bind limits.
            for chunk in views.chunks(1000) {
                let mut insert =
                    sqlx::QueryBuilder::new("INSERT INTO article_views (article_id, day, visitor, tag, at) ");
                insert.push_values(chunk, |mut row, v| {
                    row.push_bind(v.article).push_bind(v.day).push_bind(&v.visitor).push_bind(&v.tag).push_bind(v.at);
                });
                insert.push(" ON CONFLICT DO NOTHING");
                insert.build().execute(pool).await?;
            }
        });
        Ok(())
    }

    /// The salt of Shanghai day `day` for visitor hashes, made once (by
    /// whichever process asks first); earlier days' salts are deleted.
    pub async fn view_salt(&self, day: i64, fresh: &str) -> Result<String, StoreError> {
        let found: Option<(String,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT salt FROM view_salts WHERE day = $1").bind(day).fetch_optional(pool).await?
        });
        if let Some((salt,)) = found {
            return Ok(salt);
        }
        let (salt,): (String,) = on_writer!(self, pool => {
            sqlx::query("DELETE FROM view_salts WHERE day < $1").bind(day).execute(pool).await?;
            sqlx::query("INSERT INTO view_salts (day, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(day)
                .bind(fresh)
                .execute(pool)
                .await?;
            sqlx::query_as("SELECT salt FROM view_salts WHERE day = $1").bind(day).fetch_one(pool).await?
        });
        Ok(salt)
    }

    /// Article `id`'s propagation tree: views by the first sharer's unit,
    /// and under each, by the unit of who reshared (two levels). Views that
    /// came without a tag are not in it (the page shows them as 直接访问).
    pub async fn propagation(&self, id: i64) -> Result<Vec<PropagationRow>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT COALESCE(pu.name, u.name) AS unit_name, CASE WHEN p.tag IS NULL THEN '' ELSE u.name END AS via_unit, \
                     COUNT(v.visitor) AS views, COUNT(DISTINCT t.tag) AS sharers \
                 FROM share_tags t JOIN article_views v ON v.tag = t.tag JOIN units u ON u.id = t.unit_id \
                 LEFT JOIN share_tags p ON p.tag = t.parent LEFT JOIN units pu ON pu.id = p.unit_id \
                 WHERE t.article_id = $1 AND v.article_id = $1 \
                 GROUP BY COALESCE(pu.name, u.name), CASE WHEN p.tag IS NULL THEN '' ELSE u.name END \
                 ORDER BY unit_name, via_unit",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        }))
    }
}

impl Store {
    /// The article comment `id` is on.
    pub async fn comment_article_id(&self, id: i64) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT article_id FROM article_comments WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(|(a,)| a))
    }
}
