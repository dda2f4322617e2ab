//! Union apps that embed Gonghui (issue 15): registered apps with their
//! origins and hand-off keys, the bearer tokens apps sign members in with
//! (kept as SHA-256 only), and the assertion nonces already used.

use crate::BeginWrite;
use crate::{audit_in_tx, on_reader, on_writer, MemberId, Store, StoreError};

/// A registered app as the super admin's page lists it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HostApp {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// One origin per line.
    pub origins: String,
    pub public_key: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl HostApp {
    pub fn origin_list(&self) -> impl Iterator<Item = &str> {
        self.origins.lines().map(str::trim).filter(|o| !o.is_empty())
    }
}

/// What a bearer token's hash finds: whose it is and whether it still holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppTokenRow {
    pub member: MemberId,
    /// The member's session epoch when the token was issued.
    pub epoch: i64,
    /// The member's session epoch now.
    pub current_epoch: i64,
    pub expires_at: i64,
}

/// Why an app could not be registered.
#[derive(Debug)]
pub enum RegisterAppError {
    /// Another app (revoked ones included) has this code.
    CodeTaken,
    Store(StoreError),
}

impl From<sqlx::Error> for RegisterAppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(e) if e.is_unique_violation() => Self::CodeTaken,
            _ => Self::Store(error.into()),
        }
    }
}

impl Store {
    /// Registers an app (super admins only: the caller checks), audited in
    /// the same transaction.
    #[allow(clippy::too_many_arguments)] // the app's fields, each once
    pub async fn register_host_app(
        &self,
        actor: MemberId,
        code: &str,
        name: &str,
        origins: &str,
        public_key: &str,
        now: i64,
    ) -> Result<i64, RegisterAppError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO host_apps (code, name, origins, public_key, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(code)
            .bind(name)
            .bind(origins)
            .bind(public_key)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let detail = format!("来源 {}", origins.lines().collect::<Vec<_>>().join("、"));
            audit_in_tx!(&mut *tx, actor, "登记接入 App", &format!("{name}（{code}）"), &detail, now)?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Revokes app `id`: its origins leave CORS, its assertions are refused
    /// and the tokens it handed out end. False when it was not active.
    pub async fn revoke_host_app(&self, actor: MemberId, id: i64, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let app: Option<(String, String)> = sqlx::query_as(
                "UPDATE host_apps SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING code, name",
            )
            .bind(id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((code, name)) = app else { return Ok(false) };
            let ended = sqlx::query("DELETE FROM app_tokens WHERE app_id = $1").bind(id).execute(&mut *tx).await?;
            let detail = format!("结束登录 {} 个", ended.rows_affected());
            audit_in_tx!(&mut *tx, actor, "停用接入 App", &format!("{name}（{code}）"), &detail, now)?;
            tx.commit().await?;
            true
        }))
    }

    /// Every registered app, active first, newest first.
    pub async fn host_apps(&self) -> Result<Vec<HostApp>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT id, code, name, origins, public_key, created_at, revoked_at FROM host_apps \
                 ORDER BY revoked_at IS NOT NULL, id DESC",
            )
            .fetch_all(pool)
            .await
        })?)
    }

    /// The active app with this code.
    pub async fn active_host_app(&self, code: &str) -> Result<Option<HostApp>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT id, code, name, origins, public_key, created_at, revoked_at FROM host_apps \
                 WHERE code = $1 AND revoked_at IS NULL",
            )
            .bind(code)
            .fetch_optional(pool)
            .await
        })?)
    }

    /// Keeps a new token's hash, bound to the member's current epoch.
    pub async fn insert_app_token(
        &self,
        token_hash: &str,
        member: MemberId,
        app: Option<i64>,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO app_tokens (token_hash, member_id, epoch, app_id, created_at, expires_at) \
                 SELECT $1, id, session_epoch, $3, $4, $5 FROM members WHERE id = $2",
            )
            .bind(token_hash)
            .bind(member.0)
            .bind(app)
            .bind(now)
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn app_token(&self, token_hash: &str) -> Result<Option<AppTokenRow>, StoreError> {
        let row: Option<(i64, i64, i64, i64)> = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT t.member_id, t.epoch, m.session_epoch, t.expires_at FROM app_tokens t \
                 JOIN members m ON m.id = t.member_id WHERE t.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(member, epoch, current_epoch, expires_at)| AppTokenRow {
            member: MemberId(member),
            epoch,
            current_epoch,
            expires_at,
        }))
    }

    /// How many tokens `member` holds (expired ones until swept included).
    pub async fn app_token_count(&self, member: MemberId) -> Result<i64, StoreError> {
        let (count,): (i64,) = on_reader!(self, pool => {
            sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM app_tokens WHERE member_id = $1").bind(member.0).fetch_one(pool).await
        })?;
        Ok(count)
    }

    /// Ends a token (and, while at it, every expired one). True if it existed.
    pub async fn delete_app_token(&self, token_hash: &str, now: i64) -> Result<bool, StoreError> {
        Ok(on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ended = sqlx::query("DELETE FROM app_tokens WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM app_tokens WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
            ended.rows_affected() == 1
        }))
    }

    /// Moves a token to the member's current epoch (after a phone change
    /// made through it: that token stays, the member's others end).
    pub async fn refresh_app_token_epoch(&self, token_hash: &str) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "UPDATE app_tokens SET epoch = (SELECT session_epoch FROM members WHERE id = app_tokens.member_id) \
                 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records an assertion's nonce; false when the app used it before (a
    /// replay). Nonces of expired assertions are forgotten on the way.
    pub async fn use_assertion_nonce(
        &self,
        app: i64,
        nonce: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM app_assertion_nonces WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
            let inserted = sqlx::query(
                "INSERT INTO app_assertion_nonces (app_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(app)
            .bind(nonce)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(inserted.rows_affected() == 1)
        })
    }
}
