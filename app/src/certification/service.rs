//! 实名认证: a member proves they are on the union's roster with their name
//! and ID number; the match links the account to the roster entry (its
//! member number and unit).

use domain::{IdNumber, MemberName};
use store::protect::DataKey;
use store::{Actor, CertifyError, MemberId, NewRequest, ReviewError, Store, SubmitError};

use crate::clock::{now, start_of_today_in_shanghai};
use crate::error::AppError;

/// Failed attempts allowed per member per day: enough for typos, too few to
/// probe the roster for whose ID numbers are on it.
pub const MAX_FAILED_ATTEMPTS_PER_DAY: i64 = 10;

/// Certifies `member` if name and ID number match one roster entry that no
/// other account holds. Returns the roster's member number. Malformed input
/// is refused first and costs nothing; a mismatch against the roster counts
/// towards the daily cap.
pub async fn certify(
    store: &Store,
    key: &DataKey,
    member: MemberId,
    name: &str,
    id_number: &str,
) -> Result<String, AppError> {
    let name = MemberName::parse(name).map_err(|e| AppError::rejected(400, "name", e.to_string()))?;
    let id_number = IdNumber::parse(id_number, crate::clock::today_in_shanghai())
        .map_err(|e| AppError::rejected(400, "id_number", e.to_string()))?;
    let now = now();
    let failures = store
        .failed_certifications_since(member, start_of_today_in_shanghai(now))
        .await
        .map_err(|e| AppError::from_store("certify", e))?;
    if failures >= MAX_FAILED_ATTEMPTS_PER_DAY {
        return Err(AppError::rejected(
            429,
            "",
            format!("今天的认证尝试已达 {MAX_FAILED_ATTEMPTS_PER_DAY} 次，请明天再试，或联系所在工会核实名册"),
        ));
    }
    let found =
        store.roster_entry_by_id_number(key, &id_number).await.map_err(|e| AppError::from_store("certify", e))?;
    let mismatch = match &found {
        None => Some(AppError::rejected(
            400,
            "id_number",
            "会员名册中没有这个身份证号。请核对后重试，或联系所在工会核实名册",
        )),
        Some(entry) if entry.name != name.as_ref() => {
            Some(AppError::rejected(400, "name", "姓名与会员名册不一致，请填写名册上的姓名"))
        }
        Some(_) => None,
    };
    if let Some(error) = mismatch {
        store.record_failed_certification(member, now).await.map_err(|e| AppError::from_store("certify", e))?;
        return Err(error);
    }
    let found = found.expect("a match when there is no mismatch");
    let taken = || AppError::rejected(409, "id_number", "该身份证号已被其他账号认证。如非本人操作，请联系所在工会");
    if found.certified_member.is_some_and(|m| m != member.0) {
        return Err(taken());
    }
    match store.certify_member(member, found.entry_id, now).await {
        Ok(()) => {
            // A manual request still waiting has nothing left to decide.
            store.withdraw_certify_requests(member, now).await.map_err(|e| AppError::from_store("certify", e))?;
            Ok(found.member_no)
        }
        Err(CertifyError::AlreadyCertified) => Err(AppError::rejected(409, "", "您已完成实名认证")),
        Err(CertifyError::TakenByOther) => Err(taken()),
        Err(CertifyError::Store(e)) => Err(AppError::from_store("certify", e)),
    }
}

/// The largest union-card photo accepted: a full-resolution phone photo fits.
pub const PHOTO_LIMIT_BYTES: usize = 8 * 1024 * 1024;

/// The photo types every official's browser can show.
const PHOTO_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp"];

/// Checks an uploaded union-card photo by its content (magic bytes), not by
/// its name or the type the browser claimed. Returns its content type.
pub fn check_photo(photo: Option<&[u8]>) -> Result<&'static str, AppError> {
    let photo = match photo {
        Some(bytes) if !bytes.is_empty() => bytes,
        _ => return Err(AppError::rejected(400, "photo", "请选择工会会员证（或工作证）的照片")),
    };
    if photo.len() > PHOTO_LIMIT_BYTES {
        return Err(AppError::rejected(413, "photo", "照片不能超过 8 MB，请重新拍摄或选择较小的照片"));
    }
    infer::get(photo)
        .map(|kind| kind.mime_type())
        .and_then(|mime| PHOTO_TYPES.iter().find(|t| **t == mime).copied())
        .ok_or_else(|| AppError::rejected(415, "photo", "请上传 JPG、PNG 或 WebP 格式的照片"))
}

/// Sends a manual certification request (人工审核) with a union-card photo to
/// the officials of the member's unit. Refused when the member is already
/// certified, has a request under review, or the ID number already
/// certifies another account.
pub async fn request_review(
    store: &Store,
    key: &DataKey,
    member: MemberId,
    name: &str,
    id_number: &str,
    photo: Option<&[u8]>,
) -> Result<(), AppError> {
    let name = MemberName::parse(name).map_err(|e| AppError::rejected(400, "name", e.to_string()))?;
    let id_number = IdNumber::parse(id_number, crate::clock::today_in_shanghai())
        .map_err(|e| AppError::rejected(400, "id_number", e.to_string()))?;
    let photo_type = check_photo(photo)?;
    let me = store
        .member_by_id(member)
        .await
        .map_err(|e| AppError::from_store("request_review", e))?
        .ok_or(AppError::Internal)?;
    if me.certified_member_no.is_some() {
        return Err(AppError::rejected(409, "", "您已完成实名认证"));
    }
    let found = store
        .roster_entry_by_id_number(key, &id_number)
        .await
        .map_err(|e| AppError::from_store("request_review", e))?;
    if found.is_some_and(|f| f.certified_member.is_some_and(|m| m != member.0)) {
        return Err(AppError::rejected(409, "id_number", "该身份证号已被其他账号认证。如非本人操作，请联系所在工会"));
    }
    let request =
        NewRequest { member, name: name.as_ref(), id_number: &id_number, photo: photo.unwrap_or_default(), photo_type };
    match store.submit_certify_request(request, key, now()).await {
        Ok(_) => Ok(()),
        Err(SubmitError::AlreadyPending) => {
            Err(AppError::rejected(409, "", "您已有一份认证申请正在审核，请耐心等待结果"))
        }
        Err(SubmitError::Store(e)) => Err(AppError::from_store("request_review", e)),
    }
}

/// What a decision on a request says went wrong, in the official's words.
fn review_error(error: ReviewError) -> AppError {
    match error {
        ReviewError::NotPending => AppError::rejected(404, "", "这份申请已处理，或不在您的管理范围内"),
        ReviewError::TakenByOther => {
            AppError::rejected(409, "", "该身份证号已被其他账号认证，不能通过。请核实后驳回，并说明原因")
        }
        ReviewError::AlreadyCertified => AppError::rejected(409, "", "该会员已完成实名认证"),
        ReviewError::EntryOutsideReach(unit) => AppError::rejected(
            403,
            "",
            format!("此身份证号已在{unit}的名册中，不在您的管理范围内，请由该单位或其上级审核"),
        ),
        ReviewError::Store(e) => AppError::from_store("review", e),
    }
}

/// Approves request `id`; `member_no` is the member number for a person new
/// to the roster (empty: one is generated). Returns the notice to show.
pub async fn approve(
    store: &Store,
    key: &DataKey,
    actor: &Actor,
    id: i64,
    member_no: &str,
) -> Result<String, AppError> {
    let member_no = member_no.trim();
    if member_no.chars().count() > 20 || !member_no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::rejected(400, "member_no", "会员编号只能由字母、数字和“-”组成，不超过 20 位"));
    }
    let no = store.approve_certify_request(actor, id, member_no, key, now()).await.map_err(review_error)?;
    Ok(format!("已通过认证申请，会员编号 {no}"))
}

/// Rejects request `id` with a reason the member will read.
pub async fn reject(store: &Store, actor: &Actor, id: i64, reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::rejected(400, "reason", "请填写驳回原因，会员会看到它"));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::rejected(400, "reason", "驳回原因不能超过 200 字"));
    }
    store.reject_certify_request(actor, id, reason, now()).await.map_err(review_error)?;
    Ok("已驳回认证申请，会员会看到驳回原因".to_owned())
}

/// The plain ID number of a pending request, for an official (audited).
pub async fn reveal_id_number(store: &Store, key: &DataKey, actor: &Actor, id: i64) -> Result<String, AppError> {
    store
        .reveal_certify_request_id(actor, id, key, now())
        .await
        .map_err(|e| AppError::from_store("reveal_id", e))?
        .ok_or_else(|| AppError::rejected(404, "", "这份申请已处理，或不在您的管理范围内"))
}
