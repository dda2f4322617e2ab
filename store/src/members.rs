//! Members, their SMS codes and the audit log.

use domain::{MemberName, Phone, UnitCode};

use crate::BeginWrite;
use crate::{on_reader, on_writer, Store, StoreError};

/// A member's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemberId(pub i64);

/// A member as pages show them (no secrets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub phone: Phone,
    pub name: MemberName,
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub is_super_admin: bool,
    /// The roster's member number (会员编号) once certified (实名认证).
    pub certified_member_no: Option<String>,
}

/// What signing in needs besides the member: the stored argon2 hash (PHC
/// string) and the lockout counters.
#[derive(Clone)]
pub struct Credentials {
    pub member: Member,
    pub password_hash: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("member", &self.member).finish_non_exhaustive()
    }
}

/// Why a new member could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum InsertMemberError {
    #[error("phone already registered")]
    PhoneTaken,
    #[error("no such unit")]
    UnknownUnit,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an SMS code is for; each purpose has its own codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsPurpose {
    Register,
    Login,
    Reset,
    ChangePhone,
}

impl SmsPurpose {
    pub fn as_key(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Login => "login",
            Self::Reset => "reset",
            Self::ChangePhone => "change_phone",
        }
    }
}

/// The newest unused, unexpired code for a phone and purpose.
#[derive(Clone, Debug)]
pub struct ActiveSmsCode {
    pub id: i64,
    pub code_hash: String,
    pub attempts: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRecord {
    id: i64,
    phone: String,
    name: String,
    unit_code: String,
    unit_name: String,
    is_super_admin: bool,
    certified_member_no: Option<String>,
    password_hash: String,
}

impl MemberRecord {
    fn into_credentials(self) -> Result<Credentials, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("member {}: {what}", self.id));
        let member = Member {
            id: MemberId(self.id),
            phone: Phone::parse(&self.phone).map_err(|_| corrupt("phone"))?,
            name: MemberName::parse(&self.name).map_err(|_| corrupt("name"))?,
            unit_code: UnitCode::parse(&self.unit_code).map_err(|_| corrupt("unit"))?,
            unit_name: self.unit_name,
            is_super_admin: self.is_super_admin,
            certified_member_no: self.certified_member_no,
        };
        Ok(Credentials { member, password_hash: self.password_hash })
    }
}

const SELECT_MEMBER: &str = "SELECT m.id, m.phone, m.name, u.code AS unit_code, u.name AS unit_name, \
     m.is_super_admin, r.member_no AS certified_member_no, m.password_hash \
     FROM members m JOIN units u ON u.id = m.unit_id LEFT JOIN roster_entries r ON r.id = m.roster_entry_id";

impl Store {
    /// Stores a new member in `unit`. The phone's uniqueness is the
    /// database's (a unique index), so two simultaneous registrations of one
    /// phone on two servers cannot both succeed.
    #[tracing::instrument(skip(self, password_hash))]
    pub async fn insert_member(
        &self,
        phone: &Phone,
        name: &MemberName,
        unit: &UnitCode,
        password_hash: &str,
        now: i64,
    ) -> Result<MemberId, InsertMemberError> {
        let inserted: Result<Option<(i64,)>, sqlx::Error> = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO members (phone, name, password_hash, unit_id, created_at) \
                 SELECT $1, $2, $3, id, $5 FROM units WHERE code = $4 RETURNING id",
            )
            .bind(phone.as_ref())
            .bind(name.as_ref())
            .bind(password_hash)
            .bind(unit.as_ref())
            .bind(now)
            .fetch_optional(pool)
            .await
        });
        match inserted {
            Ok(Some((id,))) => Ok(MemberId(id)),
            Ok(None) => Err(InsertMemberError::UnknownUnit),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(InsertMemberError::PhoneTaken),
            Err(e) => Err(InsertMemberError::Store(e.into())),
        }
    }

    #[tracing::instrument(skip(self))]
    pub async fn credentials_by_phone(&self, phone: &Phone) -> Result<Option<Credentials>, StoreError> {
        let sql = format!("{SELECT_MEMBER} WHERE m.phone = $1");
        let record: Option<MemberRecord> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(phone.as_ref()).fetch_optional(pool).await)?;
        record.map(MemberRecord::into_credentials).transpose()
    }

    #[tracing::instrument(skip(self))]
    pub async fn member_by_id(&self, id: MemberId) -> Result<Option<Member>, StoreError> {
        let sql = format!("{SELECT_MEMBER} WHERE m.id = $1");
        let record: Option<MemberRecord> =
            on_reader!(self, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await)?;
        Ok(record.map(MemberRecord::into_credentials).transpose()?.map(|c| c.member))
    }

    pub async fn phone_is_registered(&self, phone: &Phone) -> Result<bool, StoreError> {
        let found: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT id FROM members WHERE phone = $1").bind(phone.as_ref()).fetch_optional(pool).await
        })?;
        Ok(found.is_some())
    }

    /// Wrong passwords typed for the phone with this digest, and until when
    /// password sign-in is locked for it (any phone, registered or not).
    pub async fn password_failures(&self, phone_digest: &str) -> Result<(i64, Option<i64>), StoreError> {
        let row: Option<(i64, Option<i64>)> = on_writer!(self, pool => {
            sqlx::query_as("SELECT failures, locked_until FROM password_failures WHERE phone_digest = $1")
                .bind(phone_digest)
                .fetch_optional(pool)
                .await
        })?;
        Ok(row.unwrap_or((0, None)))
    }

    /// Counts a wrong password for the phone; from the `lock_after`-th in a
    /// row sign-in is locked until `now + lock_secs`. Returns the lock, if
    /// any. One upsert in the database, so failures on several servers add up.
    pub async fn record_password_failure(
        &self,
        phone_digest: &str,
        now: i64,
        lock_after: i64,
        lock_secs: i64,
    ) -> Result<Option<i64>, StoreError> {
        let (locked_until,): (Option<i64>,) = on_writer!(self, pool => {
            sqlx::query_as(
                "INSERT INTO password_failures (phone_digest, failures, locked_until) \
                 VALUES ($1, 1, CASE WHEN 1 >= $2 THEN $3 END) \
                 ON CONFLICT (phone_digest) DO UPDATE SET failures = password_failures.failures + 1, \
                 locked_until = CASE WHEN password_failures.failures + 1 >= $2 THEN $3 ELSE password_failures.locked_until END \
                 RETURNING locked_until",
            )
            .bind(phone_digest)
            .bind(lock_after)
            .bind(now + lock_secs)
            .fetch_one(pool)
            .await
        })?;
        Ok(locked_until.filter(|until| *until > now))
    }

    pub async fn clear_password_failures(&self, phone_digest: &str) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("DELETE FROM password_failures WHERE phone_digest = $1")
                .bind(phone_digest)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The member's session epoch (see `bump_session_epoch`).
    pub async fn session_epoch(&self, id: MemberId) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = on_reader!(self, pool => {
            sqlx::query_as("SELECT session_epoch FROM members WHERE id = $1").bind(id.0).fetch_optional(pool).await
        })?;
        Ok(row.map(|(epoch,)| epoch))
    }

    /// Replaces a member's password hash, lifts any lockout, and ends every
    /// session signed in before (by moving the session epoch on).
    pub async fn set_password_hash(&self, id: MemberId, password_hash: &str) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("UPDATE members SET password_hash = $2, \
                         session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(id.0)
                .bind(password_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Ends every session of the member (退出所有设备) by moving the epoch on.
    pub async fn end_all_sessions(&self, id: MemberId) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("UPDATE members SET session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(id.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Moves a member to a new phone number and ends their other sessions;
    /// `PhoneTaken` when another member has it (the unique index decides,
    /// across processes).
    pub async fn change_phone(&self, id: MemberId, phone: &Phone) -> Result<(), InsertMemberError> {
        let updated: Result<u64, sqlx::Error> = on_writer!(self, pool => {
            sqlx::query("UPDATE members SET phone = $2, session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(id.0)
                .bind(phone.as_ref())
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        });
        match updated {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(InsertMemberError::PhoneTaken),
            Err(e) => Err(InsertMemberError::Store(e.into())),
        }
    }

    // SMS codes ---------------------------------------------------------

    /// When the last code for `phone` and `purpose` was created (for the
    /// resend wait), and how many codes for `phone`, any purpose, were created
    /// since `since` (for the daily cap).
    pub async fn sms_history(
        &self,
        phone: &Phone,
        purpose: SmsPurpose,
        since: i64,
    ) -> Result<(Option<i64>, i64), StoreError> {
        let (last, count): (Option<i64>, i64) = on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT MAX(CASE WHEN purpose = $3 THEN created_at END), \
                 COALESCE(SUM(CASE WHEN created_at >= $2 THEN 1 ELSE 0 END), 0) \
                 FROM sms_codes WHERE phone = $1",
            )
            .bind(phone.as_ref())
            .bind(since)
            .bind(purpose.as_key())
            .fetch_one(pool)
            .await
        })?;
        Ok((last, count))
    }

    /// Stores a new code for `phone` and `purpose` and voids (expires) every
    /// older live one in the same transaction: one live code per phone and
    /// purpose, so a code sent earlier never works after a newer one.
    pub async fn insert_sms_code(
        &self,
        phone: &Phone,
        purpose: SmsPurpose,
        code_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "UPDATE sms_codes SET expires_at = $3 \
                 WHERE phone = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
            )
            .bind(phone.as_ref())
            .bind(purpose.as_key())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO sms_codes (phone, purpose, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(phone.as_ref())
            .bind(purpose.as_key())
            .bind(code_hash)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// The live code for `phone` and `purpose`: unused and unexpired (there
    /// is at most one; the newest wins should two processes race). Read on
    /// the writer so a code just sent is always seen.
    pub async fn active_sms_code(
        &self,
        phone: &Phone,
        purpose: SmsPurpose,
        now: i64,
    ) -> Result<Option<ActiveSmsCode>, StoreError> {
        let row: Option<(i64, String, i64)> = on_writer!(self, pool => {
            sqlx::query_as(
                "SELECT id, code_hash, attempts FROM sms_codes \
                 WHERE phone = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
                 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(phone.as_ref())
            .bind(purpose.as_key())
            .bind(now)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(id, code_hash, attempts)| ActiveSmsCode { id, code_hash, attempts }))
    }

    /// Tries made with codes for `phone` and `purpose` sent since `since`,
    /// leaving out code `except` (the live one, counted on its own row).
    pub async fn sms_code_tries_since(
        &self,
        phone: &Phone,
        purpose: SmsPurpose,
        since: i64,
        except: Option<i64>,
    ) -> Result<i64, StoreError> {
        let (tries,): (i64,) = on_writer!(self, pool => {
            sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM sms_codes \
                 WHERE phone = $1 AND purpose = $2 AND created_at >= $3 AND id <> $4",
            )
            .bind(phone.as_ref())
            .bind(purpose.as_key())
            .bind(since)
            .bind(except.unwrap_or(-1))
            .fetch_one(pool)
            .await
        })?;
        Ok(tries)
    }

    /// Takes one try on live code `id` before it is compared, only while
    /// `earlier_tries` (on the phone's other codes) plus this code's tries stay
    /// under `max_tries`; returns this code's tries, or `None` when the limit
    /// is reached. Taking the try first, in one conditional UPDATE on the
    /// code's row, means parallel guesses cannot all slip under the limit.
    pub async fn take_sms_code_try(
        &self,
        id: i64,
        earlier_tries: i64,
        max_tries: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = on_writer!(self, pool => {
            sqlx::query_as(
                "UPDATE sms_codes SET attempts = attempts + 1 \
                 WHERE id = $1 AND used_at IS NULL AND attempts + $2 < $3 RETURNING attempts",
            )
            .bind(id)
            .bind(earlier_tries)
            .bind(max_tries)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|(attempts,)| attempts))
    }

    /// Voids code `id` (its tries are spent).
    /// Takes back a code the gateway did not send, so the member may ask
    /// again at once and the day's count is not spent on it.
    pub async fn withdraw_unsent_sms_code(
        &self,
        phone: &Phone,
        purpose: SmsPurpose,
        code_hash: &str,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("DELETE FROM sms_codes WHERE phone = $1 AND purpose = $2 AND code_hash = $3 AND used_at IS NULL")
                .bind(phone.as_ref())
                .bind(purpose.as_key())
                .bind(code_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records a message the gateway refused (no phone number).
    pub async fn record_sms_failure(&self, at: i64, gateway: &str, kind: &str, detail: &str) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("INSERT INTO sms_failures (at, gateway, kind, detail) VALUES ($1, $2, $3, $4)")
                .bind(at)
                .bind(gateway)
                .bind(kind)
                .bind(detail)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Refusals since `since`, grouped by what went wrong, newest first:
    /// (gateway, detail, how many, last time).
    pub async fn sms_failures_since(&self, since: i64) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
        Ok(on_reader!(self, pool => {
            sqlx::query_as(
                "SELECT gateway, detail, CAST(COUNT(*) AS BIGINT), MAX(at) FROM sms_failures WHERE at >= $1 \
                 GROUP BY gateway, detail ORDER BY MAX(at) DESC LIMIT 20",
            )
            .bind(since)
            .fetch_all(pool)
            .await
        })?)
    }

    pub async fn void_sms_code(&self, id: i64, now: i64) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query("UPDATE sms_codes SET expires_at = $2 WHERE id = $1 AND expires_at > $2")
                .bind(id)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks a code used and gives back the try the right code took; false
    /// when another request used it first (so one code cannot register or
    /// sign in twice).
    pub async fn use_sms_code(&self, id: i64, now: i64) -> Result<bool, StoreError> {
        let updated = on_writer!(self, pool => {
            sqlx::query("UPDATE sms_codes SET used_at = $2, attempts = attempts - 1 WHERE id = $1 AND used_at IS NULL")
                .bind(id)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(updated == 1)
    }

    // Audit log ---------------------------------------------------------

    /// Appends one entry; entries are never updated or deleted.
    pub async fn audit(
        &self,
        actor: Option<MemberId>,
        action: &str,
        target: &str,
        detail: &str,
        ip: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        on_writer!(self, pool => {
            sqlx::query(
                "INSERT INTO audit_log (actor_id, action, target, detail, ip, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(actor.map(|a| a.0))
            .bind(action)
            .bind(target)
            .bind(detail)
            .bind(ip)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
