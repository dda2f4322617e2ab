//! Publishing (issue 13): articles on units' channels, the member feed,
//! corrections and withdrawals, republishing (转载) and distribution down the
//! tree (下发), and the parent's inbox of stories reported up (报送).
//!
//! Who may act on a channel: its **staff** — a newsroom role (责任编辑, 复审,
//! 终审) or an official on the unit or a unit above it, or a super admin.
//! The check is SQL (`STAFF_SQL`) inside the statement that writes, so it
//! holds whoever calls.

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, MemberId, Store, StoreError};

/// Whether member `$1` is staff of unit id `$2`'s channel (see the module).
pub(crate) const STAFF_SQL: &str = "(EXISTS (SELECT 1 FROM members WHERE id = $1 AND is_super_admin) \
     OR EXISTS (WITH RECURSIVE up (id, parent_id) AS ( \
                    SELECT id, parent_id FROM units WHERE id = $2 \
                    UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) \
                SELECT 1 FROM up WHERE up.id IN (SELECT unit_id FROM newsroom_roles WHERE member_id = $1) \
                    OR up.id IN (SELECT unit_id FROM officials WHERE member_id = $1)))";

/// Whether `$by` is staff of article `$id`'s channel, inside transaction `$tx`.
macro_rules! staff_of_article {
    ($tx:expr, $by:expr, $id:expr) => {{
        let unit: Option<(i64,)> =
            sqlx::query_as("SELECT unit_id FROM articles WHERE id = $1").bind($id).fetch_optional(&mut *$tx).await?;
        match unit {
            Some((unit,)) => {
                let (staff,): (bool,) =
                    sqlx::query_as(&format!("SELECT {STAFF_SQL}")).bind($by.0).bind(unit).fetch_one(&mut *$tx).await?;
                staff
            }
            None => false,
        }
    }};
}

/// An article as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ArticleCard {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub cover_token: Option<String>,
    pub channel_name: String,
    pub publish_at: i64,
    /// Pinned on one of the channels the list covers (0/1).
    pub pinned: i64,
}

/// An article whole, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Article {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub channel_name: String,
    pub story_id: Option<i64>,
    pub kind: String,
    pub title: String,
    /// The Markdown the text was rendered from (for a correction).
    pub body_md: String,
    pub body_html: String,
    pub excerpt: String,
    pub byline: String,
    pub cover_token: Option<String>,
    pub outward: bool,
    pub publish_at: i64,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_reason: String,
}

/// A 更正 of an article.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Correction {
    pub note: String,
    pub at: i64,
}

/// Why a story could not be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the story is not adopted, or already published")]
    NotReady,
    #[error("not staff of the story's desk")]
    NotStaff,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for PublishError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// What an article's publisher sets.
#[derive(Clone, Copy, Debug)]
pub struct Publishing {
    pub story: i64,
    pub by: MemberId,
    /// Now, or a later time (定时发布): the article shows from then on.
    pub publish_at: i64,
    pub pinned: bool,
    pub now: i64,
}

const CARD_COLUMNS: &str = "a.id, a.title, a.excerpt, a.cover_token, u.name AS channel_name, a.publish_at, \
     CAST(MAX(CASE WHEN ci.pinned THEN 1 ELSE 0 END) AS BIGINT) AS pinned";

impl Store {
    /// Publishes adopted story `p.story` on its desk's channel, in one
    /// transaction: the article (text copied; its first photo the cover),
    /// its place on the channel, the story marked published, the audit row.
    pub async fn publish_story(&self, p: Publishing) -> Result<i64, PublishError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(i64, String)> = sqlx::query_as("SELECT desk_unit_id, status FROM stories WHERE id = $1")
                .bind(p.story)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((desk, status)) = row else { return Err(PublishError::NotReady) };
            if status != "ready" {
                return Err(PublishError::NotReady);
            }
            let (staff,): (bool,) = sqlx::query_as(&format!("SELECT {STAFF_SQL}"))
                .bind(p.by.0)
                .bind(desk)
                .fetch_one(&mut *tx)
                .await?;
            if !staff {
                return Err(PublishError::NotStaff);
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO articles (unit_id, story_id, kind, title, body_md, body_html, excerpt, byline, cover_token, outward, \
                     published_by, publish_at, created_at, updated_at) \
                 SELECT s.desk_unit_id, s.id, 'story', s.title, s.body_md, s.body_html, s.excerpt, m.name || ' · ' || o.name, \
                     (SELECT a.token FROM story_assets sa JOIN assets a ON a.id = sa.asset_id \
                      WHERE sa.story_id = s.id AND a.kind = 'photo' ORDER BY sa.position LIMIT 1), \
                     s.outward, $2, $3, $4, $4 \
                 FROM stories s JOIN members m ON m.id = s.author_id JOIN units o ON o.id = s.origin_unit_id \
                 WHERE s.id = $1 RETURNING id",
            )
            .bind(p.story)
            .bind(p.by.0)
            .bind(p.publish_at)
            .bind(p.now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO channel_items (article_id, unit_id, placed_by, placed_at, pinned) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(desk)
            .bind(p.by.0)
            .bind(p.publish_at)
            .bind(p.pinned)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE stories SET status = 'published', updated_at = $2 WHERE id = $1")
                .bind(p.story)
                .bind(p.now)
                .execute(&mut *tx)
                .await?;
            let detail = if p.publish_at > p.now { "定时发布" } else { "" };
            audit_in_tx!(&mut *tx, p.by, "发布稿件", &format!("稿件 #{} → 文章 #{id}", p.story), detail, p.now)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Publishes a digest (工会新声) written by `by` on unit `unit`'s
    /// channel. `None` when `by` is not its staff.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_digest(
        &self,
        by: MemberId,
        unit_code: &str,
        title: &str,
        body_html: &str,
        excerpt: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let unit: Option<(i64, String)> = sqlx::query_as("SELECT id, name FROM units WHERE code = $1")
                .bind(unit_code)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((unit, unit_name)) = unit else { return Ok(None) };
            let (staff,): (bool,) =
                sqlx::query_as(&format!("SELECT {STAFF_SQL}")).bind(by.0).bind(unit).fetch_one(&mut *tx).await?;
            if !staff {
                return Ok(None);
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO articles (unit_id, kind, title, body_html, excerpt, byline, outward, published_by, \
                     publish_at, created_at, updated_at) \
                 VALUES ($1, 'digest', $2, $3, $4, $5, TRUE, $6, $7, $7, $7) RETURNING id",
            )
            .bind(unit)
            .bind(title)
            .bind(body_html)
            .bind(excerpt)
            .bind(format!("{unit_name} · 工会新声"))
            .bind(by.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO channel_items (article_id, unit_id, placed_by, placed_at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(unit)
                .bind(by.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit_in_tx!(&mut *tx, by, "发布工会新声", &format!("文章 #{id}"), title, now)?;
            tx.commit().await?;
            Some(id)
        }))
    }

    /// The feed of a member of unit `unit_id` (None: the root's channel
    /// only, for visitors): articles placed on that unit's channel and every
    /// channel above it, each once, pinned first, newest first.
    pub async fn feed(
        &self,
        unit_id: Option<i64>,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleCard>, StoreError> {
        let sql = format!(
            "WITH RECURSIVE up (id, parent_id) AS ( \
                 SELECT id, parent_id FROM units WHERE ($1 = 0 AND parent_id IS NULL) OR id = $1 \
                 UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) \
             SELECT {CARD_COLUMNS} FROM channel_items ci \
             JOIN articles a ON a.id = ci.article_id JOIN units u ON u.id = a.unit_id \
             WHERE ci.unit_id IN (SELECT id FROM up) AND ci.placed_at <= $2 AND a.publish_at <= $2 \
                 AND a.withdrawn_at IS NULL \
             GROUP BY a.id, a.title, a.excerpt, a.cover_token, u.name, a.publish_at \
             ORDER BY pinned DESC, a.publish_at DESC, a.id DESC LIMIT $3 OFFSET $4"
        );
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(unit_id.unwrap_or(0)).bind(now).bind(limit).bind(offset).fetch_all(pool).await?
        }))
    }

    /// Unit `unit_code`'s channel (its own articles and what it republished).
    pub async fn channel(
        &self,
        unit_code: &str,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ArticleCard>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM channel_items ci \
             JOIN articles a ON a.id = ci.article_id JOIN units u ON u.id = a.unit_id \
             WHERE ci.unit_id = (SELECT id FROM units WHERE code = $1) AND ci.placed_at <= $2 \
                 AND a.publish_at <= $2 AND a.withdrawn_at IS NULL \
             GROUP BY a.id, a.title, a.excerpt, a.cover_token, u.name, a.publish_at \
             ORDER BY pinned DESC, a.publish_at DESC, a.id DESC LIMIT $3 OFFSET $4"
        );
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&sql).bind(unit_code).bind(now).bind(limit).bind(offset).fetch_all(pool).await?
        }))
    }

    /// Article `id` (withdrawn or scheduled ones too: the page tells).
    pub async fn article(&self, id: i64) -> Result<Option<Article>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.unit_id, u.code AS unit_code, u.name AS channel_name, a.story_id, a.kind, a.title, \
                     a.body_md, a.body_html, a.excerpt, a.byline, a.cover_token, a.outward, a.publish_at, a.updated_at, \
                     a.withdrawn_at, a.withdrawn_reason \
                 FROM articles a JOIN units u ON u.id = a.unit_id WHERE a.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Article `id`'s corrections, oldest first.
    pub async fn corrections(&self, id: i64) -> Result<Vec<Correction>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as("SELECT note, at FROM article_corrections WHERE article_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Whether `member` is staff of article `id`'s channel.
    pub async fn is_article_staff(&self, member: MemberId, id: i64) -> Result<bool, StoreError> {
        let sql = format!("SELECT {STAFF_SQL}");
        let unit: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT unit_id FROM articles WHERE id = $1").bind(id).fetch_optional(pool).await?
        });
        let Some((unit,)) = unit else { return Ok(false) };
        let (yes,): (bool,) =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(member.0).bind(unit).fetch_one(pool).await?);
        Ok(yes)
    }

    /// Corrects article `id` (更正): new title and text (Markdown, HTML), and a note shown
    /// with its time. `false` when `by` is not its channel's staff.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct_article(
        &self,
        by: MemberId,
        id: i64,
        title: &str,
        body: (&str, &str),
        excerpt: &str,
        note: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !staff_of_article!(tx, by, id) {
                return Ok(false);
            }
            let changed = sqlx::query(
                "UPDATE articles SET title = $2, body_md = $6, body_html = $3, excerpt = $4, updated_at = $5 \
                 WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(id)
            .bind(title)
            .bind(body.1)
            .bind(excerpt)
            .bind(now)
            .bind(body.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            sqlx::query("INSERT INTO article_corrections (article_id, note, by_member, at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(note)
                .bind(by.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit_in_tx!(&mut *tx, by, "更正文章", &format!("文章 #{id}"), note, now)?;
            tx.commit().await?;
            true
        }))
    }

    /// Withdraws article `id` (撤稿): it leaves every feed and its page says
    /// so; nothing is deleted. `false` when not staff or already withdrawn.
    pub async fn withdraw_article(&self, by: MemberId, id: i64, reason: &str, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !staff_of_article!(tx, by, id) {
                return Ok(false);
            }
            let changed = sqlx::query(
                "UPDATE articles SET withdrawn_at = $2, withdrawn_reason = $3, updated_at = $2 \
                 WHERE id = $1 AND withdrawn_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .bind(reason)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            audit_in_tx!(&mut *tx, by, "撤稿", &format!("文章 #{id}"), reason, now)?;
            tx.commit().await?;
            true
        }))
    }

    /// Republishes (转载) article `id` on unit `unit_code`'s channel, once;
    /// marks the distributions to that unit as republished. `false` when
    /// `by` is not that channel's staff or the article is withdrawn.
    pub async fn republish(&self, by: MemberId, id: i64, unit_code: &str, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let unit: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM units WHERE code = $1").bind(unit_code).fetch_optional(&mut *tx).await?;
            let Some((unit,)) = unit else { return Ok(false) };
            let (staff,): (bool,) =
                sqlx::query_as(&format!("SELECT {STAFF_SQL}")).bind(by.0).bind(unit).fetch_one(&mut *tx).await?;
            let live: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM articles WHERE id = $1 AND withdrawn_at IS NULL AND publish_at <= $2")
                    .bind(id)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
            if !staff || live.is_none() {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO channel_items (article_id, unit_id, placed_by, placed_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(unit)
            .bind(by.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE distribution_targets SET republished_at = $3, opened_at = COALESCE(opened_at, $3) \
                 WHERE unit_id = $2 AND republished_at IS NULL \
                     AND distribution_id IN (SELECT id FROM distributions WHERE article_id = $1)",
            )
            .bind(id)
            .bind(unit)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            audit_in_tx!(&mut *tx, by, "转载文章", &format!("文章 #{id} → {unit_code}"), "", now)?;
            tx.commit().await?;
            true
        }))
    }

    /// The units whose channels `member` is staff of, by code (code, name).
    pub async fn staffed_units(&self, member: MemberId) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE reach (id) AS ( \
                     SELECT unit_id FROM newsroom_roles WHERE member_id = $1 \
                     UNION SELECT unit_id FROM officials WHERE member_id = $1 \
                     UNION SELECT id FROM units WHERE parent_id IS NULL \
                         AND EXISTS (SELECT 1 FROM members WHERE id = $1 AND is_super_admin) \
                     UNION SELECT u.id FROM units u JOIN reach r ON u.parent_id = r.id) \
                 SELECT code, name FROM units WHERE id IN (SELECT id FROM reach) ORDER BY code",
            )
            .bind(member.0)
            .fetch_all(pool)
            .await?
        }))
    }
}

/// A distribution (下发) as its sender sees it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Distribution {
    pub id: i64,
    pub article_id: i64,
    pub title: String,
    pub from_name: String,
    pub note: String,
    pub at: i64,
    pub targets: i64,
    pub opened: i64,
    pub republished: i64,
}

/// A target of a distribution.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DistributionTarget {
    pub unit_code: String,
    pub unit_name: String,
    pub opened_at: Option<i64>,
    pub republished_at: Option<i64>,
}

/// An inbox entry of a unit: an article sent down to it, or a story a unit
/// below reported up to it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxEntry {
    /// `distributed` or `reported`.
    pub what: String,
    /// Article id (distributed) or story id (reported).
    pub id: i64,
    pub title: String,
    pub unit_code: String,
    pub unit_name: String,
    pub from_name: String,
    pub note: String,
    pub at: i64,
    pub republished: bool,
}

impl Store {
    /// Sends article `id` down from unit `from_code` (in `actor`'s reach) to
    /// `targets` (codes strictly below it; empty: its whole subtree) with a
    /// note. The number of target units; `None` when the unit is out of
    /// reach, a target is not below it, or the article is not live.
    #[allow(clippy::too_many_arguments)]
    pub async fn distribute(
        &self,
        actor: &crate::Actor,
        id: i64,
        from_code: &str,
        targets: &[String],
        note: &str,
        now: i64,
    ) -> Result<Option<usize>, StoreError> {
        let scope = crate::officials::scope_cte(actor);
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let from: Option<(i64,)> = sqlx::query_as(&format!(
                "{scope} SELECT id FROM units WHERE code = $2 AND id IN (SELECT id FROM scope)"
            ))
            .bind(actor.member_id.0)
            .bind(from_code)
            .fetch_optional(&mut *tx)
            .await?;
            let live: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM articles WHERE id = $1 AND withdrawn_at IS NULL")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (Some((from,)), Some(_)) = (from, live) else { return Ok(None) };
            let below: Vec<(i64, String)> = sqlx::query_as(
                "WITH RECURSIVE down (id) AS (SELECT id FROM units WHERE parent_id = $1 \
                     UNION ALL SELECT u.id FROM units u JOIN down d ON u.parent_id = d.id) \
                 SELECT id, code FROM units WHERE id IN (SELECT id FROM down)",
            )
            .bind(from)
            .fetch_all(&mut *tx)
            .await?;
            let chosen: Vec<i64> = if targets.is_empty() {
                below.iter().map(|(id, _)| *id).collect()
            } else {
                let mut chosen = Vec::new();
                for code in targets {
                    match below.iter().find(|(_, c)| c == code) {
                        Some((id, _)) => chosen.push(*id),
                        None => return Ok(None),
                    }
                }
                chosen
            };
            if chosen.is_empty() {
                return Ok(None);
            }
            let (distribution,): (i64,) = sqlx::query_as(
                "INSERT INTO distributions (article_id, from_unit, note, by_member, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(id)
            .bind(from)
            .bind(note)
            .bind(actor.member_id.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for unit in &chosen {
                sqlx::query("INSERT INTO distribution_targets (distribution_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(distribution)
                    .bind(unit)
                    .execute(&mut *tx)
                    .await?;
            }
            audit_in_tx!(&mut *tx, actor.member_id, "下发文章", &format!("文章 #{id} · {from_code}"),
                &format!("{} 个单位 · {note}", chosen.len()), now)?;
            tx.commit().await?;
            Some(chosen.len())
        }))
    }

    /// Distributions sent from units in `actor`'s reach, newest first, with
    /// how many targets opened and republished.
    pub async fn distributions_sent(&self, actor: &crate::Actor, limit: i64) -> Result<Vec<Distribution>, StoreError> {
        let sql = format!(
            "{} SELECT d.id, d.article_id, a.title, u.name AS from_name, d.note, d.at, \
                 (SELECT COUNT(*) FROM distribution_targets t WHERE t.distribution_id = d.id) AS targets, \
                 (SELECT COUNT(*) FROM distribution_targets t WHERE t.distribution_id = d.id AND t.opened_at IS NOT NULL) AS opened, \
                 (SELECT COUNT(*) FROM distribution_targets t WHERE t.distribution_id = d.id AND t.republished_at IS NOT NULL) AS republished \
             FROM distributions d JOIN articles a ON a.id = d.article_id JOIN units u ON u.id = d.from_unit \
             WHERE d.from_unit IN (SELECT id FROM scope) ORDER BY d.at DESC, d.id DESC LIMIT $2",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(limit).fetch_all(pool).await?))
    }

    /// The targets of distribution `id`, when it was sent from `actor`'s reach.
    pub async fn distribution_targets(
        &self,
        actor: &crate::Actor,
        id: i64,
    ) -> Result<Vec<DistributionTarget>, StoreError> {
        let sql = format!(
            "{} SELECT u.code AS unit_code, u.name AS unit_name, t.opened_at, t.republished_at \
             FROM distribution_targets t JOIN units u ON u.id = t.unit_id JOIN distributions d ON d.id = t.distribution_id \
             WHERE t.distribution_id = $2 AND d.from_unit IN (SELECT id FROM scope) ORDER BY u.code",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(id).fetch_all(pool).await?))
    }

    /// What reached the units whose channels `member` staffs: articles
    /// sent down to them (下发) and stories their units below reported up
    /// (报送), newest first.
    pub async fn inbox(&self, member: MemberId, limit: i64) -> Result<Vec<InboxEntry>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE reach (id) AS ( \
                     SELECT unit_id FROM newsroom_roles WHERE member_id = $1 \
                     UNION SELECT unit_id FROM officials WHERE member_id = $1 \
                     UNION SELECT u.id FROM units u JOIN reach r ON u.parent_id = r.id) \
                 SELECT 'distributed' AS what, a.id, a.title, u.code AS unit_code, u.name AS unit_name, \
                     f.name AS from_name, d.note, d.at, t.republished_at IS NOT NULL AS republished \
                 FROM distribution_targets t JOIN distributions d ON d.id = t.distribution_id \
                 JOIN articles a ON a.id = d.article_id JOIN units u ON u.id = t.unit_id JOIN units f ON f.id = d.from_unit \
                 WHERE t.unit_id IN (SELECT id FROM reach) AND a.withdrawn_at IS NULL \
                 UNION ALL \
                 SELECT 'reported', s.id, s.title, u.code, u.name, f.name, '', r.at, FALSE \
                 FROM story_reports r JOIN stories s ON s.id = r.story_id \
                 JOIN units u ON u.id = r.to_unit JOIN units f ON f.id = r.from_unit \
                 WHERE r.to_unit IN (SELECT id FROM reach) \
                 ORDER BY at DESC LIMIT $2",
            )
            .bind(member.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Marks article `id`'s distributions to units `member` staffs as opened.
    pub async fn mark_distribution_opened(&self, member: MemberId, id: i64, now: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "WITH RECURSIVE reach (id) AS ( \
                     SELECT unit_id FROM newsroom_roles WHERE member_id = $1 \
                     UNION SELECT unit_id FROM officials WHERE member_id = $1 \
                     UNION SELECT u.id FROM units u JOIN reach r ON u.parent_id = r.id) \
                 UPDATE distribution_targets SET opened_at = $3 \
                 WHERE opened_at IS NULL AND unit_id IN (SELECT id FROM reach) \
                     AND distribution_id IN (SELECT id FROM distributions WHERE article_id = $2)",
            )
            .bind(member.0)
            .bind(id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Whether any distribution of article `id` waits to be opened by a
    /// unit `member` staffs (a cheap check before the write above).
    pub async fn has_unopened_distribution(&self, member: MemberId, id: i64) -> Result<bool, StoreError> {
        let (yes,): (bool,) = on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE reach (id) AS ( \
                     SELECT unit_id FROM newsroom_roles WHERE member_id = $1 \
                     UNION SELECT unit_id FROM officials WHERE member_id = $1 \
                     UNION SELECT u.id FROM units u JOIN reach r ON u.parent_id = r.id) \
                 SELECT EXISTS (SELECT 1 FROM distribution_targets t JOIN distributions d ON d.id = t.distribution_id \
                 WHERE d.article_id = $2 AND t.opened_at IS NULL AND t.unit_id IN (SELECT id FROM reach))",
            )
            .bind(member.0)
            .bind(id)
            .fetch_one(pool)
            .await?
        });
        Ok(yes)
    }
}

impl Store {
    /// Unit `code`'s id.
    pub async fn unit_id_of(&self, code: &str) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT id FROM units WHERE code = $1").bind(code).fetch_optional(pool).await?
        });
        Ok(row.map(|(id,)| id))
    }

    /// Unit `code`'s name.
    pub async fn unit_name_of(&self, code: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT name FROM units WHERE code = $1").bind(code).fetch_optional(pool).await?
        });
        Ok(row.map(|(name,)| name))
    }
}

/// A unit's own publishing activity in a period (not its subtree's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Articles first published on its channel.
    pub published: i64,
    /// Views of those articles (unique per visitor per day).
    pub reads: i64,
    /// Its members' share links that brought views.
    pub shares: i64,
    /// Its stories adopted above it or outside (报送 that were used).
    pub adopted: i64,
}

impl Store {
    /// Every unit's own activity between `from` and `to` (Unix seconds;
    /// the same as Shanghai days `from_day`..`to_day` for views), by code.
    /// Four branches, each grouped on its own index, then summed.
    pub async fn activity_by_unit(
        &self,
        (from, to): (i64, i64),
        (from_day, to_day): (i64, i64),
    ) -> Result<Vec<(String, Activity)>, StoreError> {
        let rows: Vec<(String, i64, i64, i64, i64)> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT u.code, CAST(SUM(x.p) AS BIGINT), CAST(SUM(x.r) AS BIGINT), CAST(SUM(x.s) AS BIGINT), \
                     CAST(SUM(x.a) AS BIGINT) FROM ( \
                     SELECT unit_id AS unit, COUNT(*) AS p, 0 AS r, 0 AS s, 0 AS a FROM articles \
                         WHERE publish_at >= $1 AND publish_at < $2 AND withdrawn_at IS NULL GROUP BY unit_id \
                     UNION ALL SELECT a.unit_id, 0, COUNT(*), 0, 0 FROM article_views v JOIN articles a ON a.id = v.article_id \
                         WHERE v.day >= $3 AND v.day < $4 GROUP BY a.unit_id \
                     UNION ALL SELECT t.unit_id, 0, 0, COUNT(*), 0 FROM share_tags t WHERE EXISTS ( \
                         SELECT 1 FROM article_views v WHERE v.tag = t.tag AND v.day >= $3 AND v.day < $4) GROUP BY t.unit_id \
                     UNION ALL SELECT origin_unit, 0, 0, 0, COUNT(*) FROM adoptions \
                         WHERE level IN ('parent', 'outside') AND at >= $1 AND at < $2 GROUP BY origin_unit \
                 ) x JOIN units u ON u.id = x.unit GROUP BY u.code",
            )
            .bind(from)
            .bind(to)
            .bind(from_day)
            .bind(to_day)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(code, published, reads, shares, adopted)| (code, Activity { published, reads, shares, adopted }))
            .collect())
    }

    /// Articles first published between `from` and `to` on the channels of
    /// the units strictly below `unit_code`, newest first (for a digest).
    pub async fn articles_below(&self, unit_code: &str, from: i64, to: i64) -> Result<Vec<ArticleCard>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "WITH RECURSIVE down (id) AS ( \
                     SELECT u.id FROM units u JOIN units p ON u.parent_id = p.id WHERE p.code = $1 \
                     UNION ALL SELECT u.id FROM units u JOIN down d ON u.parent_id = d.id) \
                 SELECT a.id, a.title, a.excerpt, a.cover_token, u.name AS channel_name, a.publish_at, CAST(0 AS BIGINT) AS pinned \
                 FROM articles a JOIN units u ON u.id = a.unit_id \
                 WHERE a.unit_id IN (SELECT id FROM down) AND a.kind = 'story' AND a.withdrawn_at IS NULL \
                     AND a.publish_at >= $2 AND a.publish_at < $3 \
                 ORDER BY a.publish_at DESC LIMIT 100",
            )
            .bind(unit_code)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        }))
    }
}
