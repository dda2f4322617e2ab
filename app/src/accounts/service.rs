//! Registration, SMS codes and signing in: the rules, in one place, called by
//! the JSON server functions (/api/auth/*) and by the plain HTML form posts.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use domain::{MemberName, Password, Phone, SmsCode, UnitCode};
use sha2::{Digest, Sha256};
use store::{InsertMemberError, MemberId, SmsPurpose, Store};

use crate::accounts::sms::SmsGateway;
use crate::clock::{now, start_of_today_in_shanghai, wall_clock_in_shanghai};
use crate::error::AppError;

/// A code is valid for 5 minutes.
pub const CODE_TTL_SECS: i64 = 5 * 60;
/// 5 wrong tries per phone and purpose within an hour, whatever codes they
/// were made with: the live code is voided and no new one is sent until the
/// hour has passed. Counted per phone, not per code, so asking for new codes
/// buys no extra guesses (a guess is 1 in 10^6).
pub const MAX_CODE_ATTEMPTS: i64 = 5;
pub const CODE_TRIES_WINDOW_SECS: i64 = 3600;
/// A new code for the same phone and purpose only after 60 s.
pub const RESEND_AFTER_SECS: i64 = 60;
/// At most 10 codes per phone per day (Asia/Shanghai): SMS cost money and
/// bombing a stranger's phone with codes is a known abuse.
pub const MAX_CODES_PER_DAY: i64 = 10;
/// 5 wrong passwords in a row lock password sign-in for 15 minutes.
pub const LOCK_AFTER_FAILURES: i64 = 5;
pub const LOCK_SECS: i64 = 15 * 60;

fn too_many_wrong_codes(field: &str) -> AppError {
    AppError::rejected(429, field, "验证码输错次数过多，已失效，请 1 小时后重新获取")
}

/// The registration form's fields, as typed.
#[derive(Clone, Debug, Default)]
pub struct RegisterInput {
    pub phone: String,
    pub code: String,
    pub name: String,
    pub password: String,
    pub unit: String,
}

/// The account rules, with what they need: the store and the SMS gateway.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    sms: Arc<dyn SmsGateway>,
}

impl Accounts {
    pub fn new(store: Store, sms: Arc<dyn SmsGateway>) -> Self {
        Self { store, sms }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Sends a 6-digit code to `phone` for `purpose`, within the resend and
    /// daily limits. For sign-in and reset codes an unknown phone gets the same
    /// answer as a known one (and no SMS), so the form does not reveal who is
    /// a member; registration must say "already registered".
    // The phone stays out of the span: a log is no place for a member's number.
    #[tracing::instrument(skip(self, phone))]
    pub async fn send_code(&self, phone: &str, purpose: SmsPurpose) -> Result<Phone, AppError> {
        let phone = Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
        let registered =
            self.store.phone_is_registered(&phone).await.map_err(|e| AppError::from_store("send_code", e))?;
        if purpose == SmsPurpose::Register && registered {
            return Err(AppError::rejected(409, "phone", "该手机号已注册，请直接登录"));
        }
        if purpose == SmsPurpose::ChangePhone && registered {
            return Err(AppError::rejected(409, "phone", "该手机号已被其他会员使用"));
        }
        let now = now();
        let (last, today) = self
            .store
            .sms_history(&phone, purpose, start_of_today_in_shanghai(now))
            .await
            .map_err(|e| AppError::from_store("send_code", e))?;
        if let Some(last) = last.filter(|last| now - last < RESEND_AFTER_SECS) {
            let wait = RESEND_AFTER_SECS - (now - last);
            return Err(AppError::rejected(429, "phone", format!("验证码已发送，请 {wait} 秒后再重新获取")));
        }
        if today >= MAX_CODES_PER_DAY {
            return Err(AppError::rejected(
                429,
                "phone",
                format!("今天获取验证码的次数已达上限（{MAX_CODES_PER_DAY} 次），请明天再试"),
            ));
        }
        let tries = self
            .store
            .sms_code_tries_since(&phone, purpose, now - CODE_TRIES_WINDOW_SECS, None)
            .await
            .map_err(|e| AppError::from_store("send_code", e))?;
        if tries >= MAX_CODE_ATTEMPTS {
            return Err(too_many_wrong_codes("phone"));
        }
        let code = random_code();
        let hash = code_hash(&phone, purpose, &code);
        self.store
            .insert_sms_code(&phone, purpose, &hash, now, now + CODE_TTL_SECS)
            .await
            .map_err(|e| AppError::from_store("send_code", e))?;
        // Sign-in and reset codes go only to members; registration and
        // phone-change codes only to numbers that are not.
        let deliver = matches!(purpose, SmsPurpose::Register | SmsPurpose::ChangePhone) || registered;
        if deliver {
            let gateway = self.sms.name();
            if let Err(error) = self.sms.send_code(phone.as_ref(), &code).await {
                return Err(self.not_sent(&phone, purpose, &hash, gateway, error, now).await);
            }
            metrics::counter!("gonghui_sms_total", "gateway" => gateway, "result" => "sent").increment(1);
        }
        Ok(phone)
    }

    /// The gateway refused or could not take a code: the code is taken back
    /// (the member may ask again at once, and it does not count towards the
    /// day's limit), the refusal is recorded in Chinese for the super admins
    /// (/admin) without the number, and the member reads a plain message.
    async fn not_sent(
        &self,
        phone: &Phone,
        purpose: SmsPurpose,
        hash: &str,
        gateway: &'static str,
        error: crate::accounts::sms::SmsError,
        now: i64,
    ) -> AppError {
        let kind = crate::accounts::sms::kind(&error);
        metrics::counter!("gonghui_sms_total", "gateway" => gateway, "result" => kind).increment(1);
        tracing::error!(%error, gateway, "SMS gateway did not send the code");
        if let Err(e) = self.store.withdraw_unsent_sms_code(phone, purpose, hash).await {
            tracing::error!(error = %e, "could not take back an unsent code");
        }
        if let Err(e) = self.store.record_sms_failure(now, gateway, kind, &error.for_officials()).await {
            tracing::error!(error = %e, "could not record an SMS failure");
        }
        let status = if error == crate::accounts::sms::SmsError::InvalidNumber { 400 } else { 503 };
        AppError::rejected(status, "phone", error.for_members())
    }

    /// Checks a code and uses it up; wrong tries count towards the phone's
    /// limit (see `MAX_CODE_ATTEMPTS`).
    async fn use_code(&self, phone: &Phone, purpose: SmsPurpose, code: &SmsCode) -> Result<(), AppError> {
        let failed = |e| AppError::from_store("use_code", e);
        let now = now();
        let active = self
            .store
            .active_sms_code(phone, purpose, now)
            .await
            .map_err(failed)?
            .ok_or_else(|| AppError::rejected(400, "code", "验证码已失效，请重新获取"))?;
        let earlier = self
            .store
            .sms_code_tries_since(phone, purpose, now - CODE_TRIES_WINDOW_SECS, Some(active.id))
            .await
            .map_err(failed)?;
        let Some(tries) = self.store.take_sms_code_try(active.id, earlier, MAX_CODE_ATTEMPTS).await.map_err(failed)?
        else {
            self.store.void_sms_code(active.id, now).await.map_err(failed)?;
            return Err(too_many_wrong_codes("code"));
        };
        if active.code_hash != code_hash(phone, purpose, code.as_ref()) {
            let left = MAX_CODE_ATTEMPTS - earlier - tries;
            if left <= 0 {
                self.store.void_sms_code(active.id, now).await.map_err(failed)?;
                return Err(too_many_wrong_codes("code"));
            }
            return Err(AppError::rejected(400, "code", format!("验证码不正确，还可以再试 {left} 次")));
        }
        if !self.store.use_sms_code(active.id, now).await.map_err(failed)? {
            return Err(AppError::rejected(400, "code", "验证码已使用，请重新获取"));
        }
        Ok(())
    }

    /// Registers a member. Every field is checked before the code is used up,
    /// so a typo in the name does not cost the member their code.
    #[tracing::instrument(skip_all)]
    pub async fn register(&self, input: &RegisterInput) -> Result<MemberId, AppError> {
        let phone = Phone::parse(&input.phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
        let code = SmsCode::parse(&input.code).map_err(|e| AppError::rejected(400, "code", e.to_string()))?;
        let name = MemberName::parse(&input.name).map_err(|e| AppError::rejected(400, "name", e.to_string()))?;
        let password =
            Password::parse(&input.password).map_err(|e| AppError::rejected(400, "password", e.to_string()))?;
        if input.unit.trim().is_empty() {
            return Err(AppError::rejected(400, "unit", "请选择所在工会"));
        }
        let unit = UnitCode::parse(&input.unit).map_err(|_| unknown_unit())?;
        if self.store.phone_is_registered(&phone).await.map_err(|e| AppError::from_store("register", e))? {
            return Err(AppError::rejected(409, "phone", "该手机号已注册，请直接登录"));
        }
        self.use_code(&phone, SmsPurpose::Register, &code).await?;
        let hash = hash_password(password).await?;
        match self.store.insert_member(&phone, &name, &unit, &hash, now()).await {
            Ok(id) => Ok(id),
            Err(InsertMemberError::PhoneTaken) => Err(AppError::rejected(409, "phone", "该手机号已注册，请直接登录")),
            Err(InsertMemberError::UnknownUnit) => Err(unknown_unit()),
            Err(InsertMemberError::Store(e)) => Err(AppError::from_store("register", e)),
        }
    }

    /// Signs in with phone and password. An unknown phone and a wrong
    /// password get the same answer after the same argon2 work.
    #[tracing::instrument(skip_all)]
    pub async fn login_with_password(&self, phone: &str, password: &str) -> Result<MemberId, AppError> {
        let phone = Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
        if password.is_empty() {
            return Err(AppError::rejected(400, "password", "请输入密码"));
        }
        let wrong = || AppError::rejected(401, "password", "手机号或密码不正确");
        let failed = |e| AppError::from_store("login", e);
        let now = now();
        // Counted per phone, registered or not: both lock after the same
        // number of wrong tries and answer alike (docs/ARCHITECTURE.md).
        let digest = phone_digest(&phone);
        let (failures, locked_until) = self.store.password_failures(&digest).await.map_err(failed)?;
        if let Some(until) = locked_until.filter(|until| *until > now) {
            return Err(locked(until));
        }
        let credentials = self.store.credentials_by_phone(&phone).await.map_err(failed)?;
        let right = match credentials {
            Some(ref c) => verify_password(password.to_owned(), Some(c.password_hash.clone())).await?,
            None => {
                let _ = verify_password(password.to_owned(), None).await;
                false
            }
        };
        match credentials {
            Some(c) if right => {
                if failures > 0 {
                    self.store.clear_password_failures(&digest).await.map_err(failed)?;
                }
                Ok(c.member.id)
            }
            _ => {
                let lock = self
                    .store
                    .record_password_failure(&digest, now, LOCK_AFTER_FAILURES, LOCK_SECS)
                    .await
                    .map_err(failed)?;
                Err(lock.map(locked).unwrap_or_else(wrong))
            }
        }
    }
}

/// The key wrong passwords are counted under: a SHA-256 digest of the phone,
/// so phones that never registered are not stored in the clear.
fn phone_digest(phone: &Phone) -> String {
    let digest = Sha256::digest(format!("password-failures|{}", phone.as_ref()).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Accounts {
    /// Signs in with an SMS code (and lifts a password lockout: the member
    /// proved they hold the phone).
    #[tracing::instrument(skip_all)]
    pub async fn login_with_code(&self, phone: &str, code: &str) -> Result<MemberId, AppError> {
        let phone = Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
        let code = SmsCode::parse(code).map_err(|e| AppError::rejected(400, "code", e.to_string()))?;
        self.use_code(&phone, SmsPurpose::Login, &code).await?;
        let credentials = self
            .store
            .credentials_by_phone(&phone)
            .await
            .map_err(|e| AppError::from_store("login_with_code", e))?
            .ok_or_else(|| AppError::rejected(401, "code", "手机号或验证码不正确"))?;
        self.store
            .clear_password_failures(&phone_digest(&phone))
            .await
            .map_err(|e| AppError::from_store("login_with_code", e))?;
        Ok(credentials.member.id)
    }

    /// Sets a new password after an SMS code to the member's phone.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(&self, phone: &str, code: &str, password: &str) -> Result<MemberId, AppError> {
        let phone = Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
        let code = SmsCode::parse(code).map_err(|e| AppError::rejected(400, "code", e.to_string()))?;
        let password = Password::parse(password).map_err(|e| AppError::rejected(400, "password", e.to_string()))?;
        self.use_code(&phone, SmsPurpose::Reset, &code).await?;
        let credentials = self
            .store
            .credentials_by_phone(&phone)
            .await
            .map_err(|e| AppError::from_store("reset_password", e))?
            .ok_or_else(|| AppError::rejected(400, "code", "手机号或验证码不正确"))?;
        let hash = hash_password(password).await?;
        self.store
            .set_password_hash(credentials.member.id, &hash)
            .await
            .map_err(|e| AppError::from_store("reset_password", e))?;
        self.store
            .clear_password_failures(&phone_digest(&phone))
            .await
            .map_err(|e| AppError::from_store("reset_password", e))?;
        self.epoch_moved(credentials.member.id).await;
        Ok(credentials.member.id)
    }

    /// Ends every session of `member` (退出所有设备).
    pub async fn end_all_sessions(&self, member: MemberId) -> Result<(), AppError> {
        self.store.end_all_sessions(member).await.map_err(|e| AppError::from_store("end_all_sessions", e))?;
        self.epoch_moved(member).await;
        Ok(())
    }

    /// After `member`'s session epoch moved: this process forgets which
    /// sessions it found current, and tells the other processes to.
    async fn epoch_moved(&self, member: MemberId) {
        crate::accounts::session::forget_verified_sessions();
        self.store.announce(&store::Change::Epoch(member.0)).await;
    }

    /// Moves the member to `new_phone`, proven by a code sent to it.
    #[tracing::instrument(skip_all)]
    pub async fn change_phone(&self, member: MemberId, new_phone: &str, code: &str) -> Result<Phone, AppError> {
        let phone = Phone::parse(new_phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
        let code = SmsCode::parse(code).map_err(|e| AppError::rejected(400, "code", e.to_string()))?;
        self.use_code(&phone, SmsPurpose::ChangePhone, &code).await?;
        match self.store.change_phone(member, &phone).await {
            Ok(()) => {
                self.epoch_moved(member).await;
                Ok(phone)
            }
            Err(InsertMemberError::PhoneTaken) => Err(AppError::rejected(409, "phone", "该手机号已被其他会员使用")),
            Err(InsertMemberError::UnknownUnit) => Err(AppError::Internal),
            Err(InsertMemberError::Store(e)) => Err(AppError::from_store("change_phone", e)),
        }
    }
}

fn unknown_unit() -> AppError {
    AppError::rejected(400, "unit", "所选工会不存在，请重新选择")
}

fn locked(until: i64) -> AppError {
    AppError::rejected(
        429,
        "password",
        format!("密码错误次数过多，已暂时锁定，请在 {} 后再试", wall_clock_in_shanghai(until)),
    )
}

fn random_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// Codes are stored hashed with the phone and purpose, so a leaked table
/// does not hand out live codes and a code for one purpose fits no other.
fn code_hash(phone: &Phone, purpose: SmsPurpose, code: &str) -> String {
    let digest = Sha256::digest(format!("{}|{}|{code}", phone.as_ref(), purpose.as_key()));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// argon2id with m = 19 MiB, t = 2, p = 1 (OWASP's recommended minimum).
fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

/// Hashes on the blocking pool: ~50 ms of CPU must not stall other requests.
pub async fn hash_password(password: Password) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2().hash_password(password.expose().as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|error| {
        tracing::error!(%error, "argon2 hashing failed");
        AppError::Internal
    })
}

/// Verifies `password` against `hash`, or against a dummy hash when there is
/// no account (same work, same timing).
pub(crate) async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let parsed = PasswordHash::new(&hash).map_err(|_| ())?;
        Ok::<bool, ()>(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|()| {
        tracing::error!("a stored password hash does not parse");
        AppError::Internal
    })
}

/// A real hash of a random password, computed once, for unknown phones.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2().hash_password(random_code().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}
