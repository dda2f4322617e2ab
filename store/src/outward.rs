//! Outward channels (一键发布, 直通媒体): a unit's WeChat official account or
//! webhook, and one delivery row per article and channel whose state the
//! workers move on. The unique key makes "never sent twice" a constraint;
//! claiming a delivery is one conditional UPDATE, so two workers (or two
//! processes) never hold the same one.

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, MemberId, Store, StoreError};

/// A channel as its unit's officials see it (the secret stays sealed).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OutwardChannel {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    pub name: String,
    pub endpoint: String,
    pub secret_sealed: String,
}

/// A delivery as its page lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub channel_id: i64,
    pub channel_name: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub next_at: i64,
    pub step: String,
    pub remote_ref: String,
    pub remote_url: String,
    pub last_error: String,
    pub sent_at: Option<i64>,
}

/// What a worker reports back on a delivery it held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Done; the address where it can be read, if the medium gave one.
    Sent { url: String },
    /// Part-way (WeChat published asynchronously): look again at `next_at`,
    /// remembering `step` and `remote_ref`; not an attempt that failed.
    Waiting { step: String, remote_ref: String, next_at: i64 },
    /// Failed this time: try again at `next_at` (kept `step`/`remote_ref`).
    Retry { step: String, remote_ref: String, reason: String, next_at: i64 },
    /// Failed for good (or too often): an official may queue it again.
    Failed { step: String, remote_ref: String, reason: String },
}

const DELIVERY_COLUMNS: &str = "d.id, d.article_id, a.title AS article_title, d.channel_id, c.name AS channel_name, \
     c.kind, d.status, d.attempts, d.next_at, d.step, d.remote_ref, d.remote_url, d.last_error, d.sent_at";

impl Store {
    /// Adds an outward channel to unit `unit_code` (in `actor`'s reach);
    /// audited. `None` when out of reach.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_outward_channel(
        &self,
        actor: &crate::Actor,
        unit_code: &str,
        kind: &str,
        name: &str,
        endpoint: &str,
        secret_sealed: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "{} INSERT INTO outward_channels (unit_id, kind, name, endpoint, secret_sealed, created_by, created_at) \
             SELECT id, $3, $4, $5, $6, $1, $7 FROM units WHERE code = $2 AND id IN (SELECT id FROM scope) RETURNING id",
            crate::officials::scope_cte(actor)
        );
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<(i64,)> = sqlx::query_as(&sql)
                .bind(actor.member_id.0)
                .bind(unit_code)
                .bind(kind)
                .bind(name)
                .bind(endpoint)
                .bind(secret_sealed)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((id,)) = id else { return Ok(None) };
            audit_in_tx!(&mut *tx, actor.member_id, "添加对外发布渠道", unit_code, &format!("{kind} · {name}"), now)?;
            tx.commit().await?;
            Some(id)
        }))
    }

    /// The outward channels of units in `actor`'s reach.
    pub async fn outward_channels_in_reach(&self, actor: &crate::Actor) -> Result<Vec<OutwardChannel>, StoreError> {
        let sql = format!(
            "{} SELECT c.id, c.unit_id, u.name AS unit_name, c.kind, c.name, c.endpoint, c.secret_sealed \
             FROM outward_channels c JOIN units u ON u.id = c.unit_id WHERE c.unit_id IN (SELECT id FROM scope) ORDER BY c.id",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).fetch_all(pool).await?))
    }

    /// Channel `id`.
    pub async fn outward_channel(&self, id: i64) -> Result<Option<OutwardChannel>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, c.unit_id, u.name AS unit_name, c.kind, c.name, c.endpoint, c.secret_sealed \
                 FROM outward_channels c JOIN units u ON u.id = c.unit_id WHERE c.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Queues article `article` for channel `channel` (a channel of a unit
    /// `by` is staff of, the article outward and live); audited. `Ok(false)`
    /// when not allowed; queuing twice changes nothing (one delivery).
    pub async fn queue_delivery(&self, by: MemberId, article: i64, channel: i64, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let unit: Option<(i64,)> = sqlx::query_as("SELECT unit_id FROM outward_channels WHERE id = $1")
                .bind(channel)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((unit,)) = unit else { return Ok(false) };
            let (staff,): (bool,) = sqlx::query_as(&format!("SELECT {}", crate::articles::STAFF_SQL))
                .bind(by.0)
                .bind(unit)
                .fetch_one(&mut *tx)
                .await?;
            let live: Option<(bool,)> =
                sqlx::query_as("SELECT outward FROM articles WHERE id = $1 AND withdrawn_at IS NULL")
                    .bind(article)
                    .fetch_optional(&mut *tx)
                    .await?;
            if !staff || live != Some((true,)) {
                return Ok(false);
            }
            let added = sqlx::query(
                "INSERT INTO outward_deliveries (article_id, channel_id, status, next_at, created_at) \
                 VALUES ($1, $2, 'queued', $3, $3) ON CONFLICT (article_id, channel_id) DO NOTHING",
            )
            .bind(article)
            .bind(channel)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 1 {
                audit_in_tx!(&mut *tx, by, "一键发布", &format!("文章 #{article} → 渠道 #{channel}"), "", now)?;
            }
            tx.commit().await?;
            true
        }))
    }

    /// Queues failed delivery `id` again (its channel's staff). `false`
    /// when not failed or not theirs.
    pub async fn requeue_delivery(&self, by: MemberId, id: i64, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let unit: Option<(i64,)> = sqlx::query_as(
                "SELECT c.unit_id FROM outward_deliveries d JOIN outward_channels c ON c.id = d.channel_id \
                 WHERE d.id = $1 AND d.status = 'failed'",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((unit,)) = unit else { return Ok(false) };
            let (staff,): (bool,) = sqlx::query_as(&format!("SELECT {}", crate::articles::STAFF_SQL))
                .bind(by.0)
                .bind(unit)
                .fetch_one(&mut *tx)
                .await?;
            if !staff {
                return Ok(false);
            }
            sqlx::query("UPDATE outward_deliveries SET status = 'queued', attempts = 0, next_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit_in_tx!(&mut *tx, by, "重新发布", &format!("投递 #{id}"), "", now)?;
            tx.commit().await?;
            true
        }))
    }

    /// The deliveries of channels in `actor`'s reach, newest first.
    pub async fn deliveries_in_reach(&self, actor: &crate::Actor, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "{} SELECT {DELIVERY_COLUMNS} FROM outward_deliveries d JOIN outward_channels c ON c.id = d.channel_id \
             JOIN articles a ON a.id = d.article_id WHERE c.unit_id IN (SELECT id FROM scope) ORDER BY d.id DESC LIMIT $2",
            crate::officials::scope_cte(actor)
        );
        Ok(on_reader!(self, pool => sqlx::query_as(&sql).bind(actor.member_id.0).bind(limit).fetch_all(pool).await?))
    }

    /// Takes the next due delivery (queued and due, or sending with its
    /// lease run out: its worker died) and leases it until `lease_until`.
    /// The outer WHERE repeats the conditions: on PostgreSQL a second
    /// worker that waited on the row sees it leased and takes nothing.
    pub async fn claim_delivery(&self, now: i64, lease_until: i64) -> Result<Option<Delivery>, StoreError> {
        let due = "((status = 'queued' AND next_at <= $1) OR (status = 'sending' AND lease_until < $1))";
        let claimed: Option<(i64,)> = on_writer!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE outward_deliveries SET status = 'sending', lease_until = $2 \
                 WHERE id = (SELECT id FROM outward_deliveries WHERE {due} ORDER BY next_at, id LIMIT 1) AND {due} \
                 RETURNING id"
            ))
            .bind(now)
            .bind(lease_until)
            .fetch_optional(pool)
            .await?
        });
        let Some((id,)) = claimed else { return Ok(None) };
        Ok(on_writer!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {DELIVERY_COLUMNS} FROM outward_deliveries d JOIN outward_channels c ON c.id = d.channel_id \
                 JOIN articles a ON a.id = d.article_id WHERE d.id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Records what became of leased delivery `id`.
    pub async fn finish_delivery(&self, id: i64, outcome: &DeliveryOutcome, now: i64) -> Result<(), StoreError> {
        let (status, step, remote_ref, url, error, next_at, attempt): (&str, &str, &str, &str, &str, i64, i64) =
            match outcome {
                DeliveryOutcome::Sent { url } => ("sent", "", "", url, "", now, 1),
                DeliveryOutcome::Waiting { step, remote_ref, next_at } => {
                    ("queued", step, remote_ref, "", "", *next_at, 0)
                }
                DeliveryOutcome::Retry { step, remote_ref, reason, next_at } => {
                    ("queued", step, remote_ref, "", reason, *next_at, 1)
                }
                DeliveryOutcome::Failed { step, remote_ref, reason } => {
                    ("failed", step, remote_ref, "", reason, now, 1)
                }
            };
        let sent = matches!(outcome, DeliveryOutcome::Sent { .. });
        on_writer!(self, pool => {
            sqlx::query(
                "UPDATE outward_deliveries SET status = $2, \
                     step = CASE WHEN $8 THEN step ELSE $3 END, remote_ref = CASE WHEN $8 THEN remote_ref ELSE $4 END, \
                     remote_url = $5, last_error = $6, next_at = $7, attempts = attempts + $9, lease_until = NULL, \
                     sent_at = CASE WHEN $8 THEN $10 ELSE sent_at END \
                 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id)
            .bind(status)
            .bind(step)
            .bind(remote_ref)
            .bind(url)
            .bind(error)
            .bind(next_at)
            .bind(sent)
            .bind(attempt)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// The outward articles of channel `unit_code`, newest first, for its
    /// Atom and JSON feeds (对外宣传 否 never appears there).
    pub async fn syndicated(&self, unit_code: &str, now: i64, limit: i64) -> Result<Vec<crate::Article>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.unit_id, u.code AS unit_code, u.name AS channel_name, a.story_id, a.kind, a.title, \
                     a.body_md, a.body_html, a.excerpt, a.byline, a.cover_token, a.outward, a.publish_at, a.updated_at, \
                     a.withdrawn_at, a.withdrawn_reason \
                 FROM channel_items ci JOIN articles a ON a.id = ci.article_id JOIN units u ON u.id = a.unit_id \
                 WHERE ci.unit_id = (SELECT id FROM units WHERE code = $1) AND a.outward = TRUE \
                     AND a.withdrawn_at IS NULL AND a.publish_at <= $2 AND ci.placed_at <= $2 \
                 ORDER BY a.publish_at DESC, a.id DESC LIMIT $3",
            )
            .bind(unit_code)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}

impl Store {
    /// The channels of units whose staff `member` is (id, "unit · name").
    pub async fn outward_channels_of_staff(&self, member: MemberId) -> Result<Vec<(i64, String)>, StoreError> {
        let staffed: std::collections::HashSet<String> =
            self.staffed_units(member).await?.into_iter().map(|(code, _)| code).collect();
        if staffed.is_empty() {
            return Ok(Vec::new());
        }
        let all: Vec<(i64, String, String)> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT c.id, u.code, u.name || ' · ' || c.name FROM outward_channels c JOIN units u ON u.id = c.unit_id ORDER BY c.id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(all.into_iter().filter(|(_, code, _)| staffed.contains(code)).map(|(id, _, name)| (id, name)).collect())
    }

    /// Article `id`'s deliveries.
    pub async fn deliveries_of_article(&self, id: i64) -> Result<Vec<Delivery>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {DELIVERY_COLUMNS} FROM outward_deliveries d JOIN outward_channels c ON c.id = d.channel_id \
                 JOIN articles a ON a.id = d.article_id WHERE d.article_id = $1 ORDER BY d.id"
            ))
            .bind(id)
            .fetch_all(pool)
            .await?
        }))
    }
}
