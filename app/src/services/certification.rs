//! 实名认证: a member proves they are on the union's roster with their name
//! and ID number; the match links the account to the roster entry (its
//! member number and unit).

use domain::{IdNumber, MemberName};
use store::protect::DataKey;
use store::{CertifyError, MemberId, Store};

use super::clock::{now, start_of_today_in_shanghai};
use crate::error::AppError;

/// Failed attempts allowed per member per day: enough for typos, too few to
/// probe the roster for whose ID numbers are on it.
pub const MAX_FAILED_ATTEMPTS_PER_DAY: i64 = 10;

/// Certifies `member` if name and ID number match one roster entry that no
/// other account holds. Returns the roster's member number. Malformed input
/// is refused first and costs nothing; a mismatch against the roster counts
/// towards the daily cap.
pub async fn certify(store: &Store, key: &DataKey, member: MemberId, name: &str, id_number: &str) -> Result<String, AppError> {
    let name = MemberName::parse(name).map_err(|e| AppError::rejected(400, "name", e.to_string()))?;
    let id_number = IdNumber::parse(id_number).map_err(|e| AppError::rejected(400, "id_number", e.to_string()))?;
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
    let found = store.roster_entry_by_id_number(key, &id_number).await.map_err(|e| AppError::from_store("certify", e))?;
    let mismatch = match &found {
        None => Some(AppError::rejected(400, "id_number", "会员名册中没有这个身份证号。请核对后重试，或联系所在工会核实名册")),
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
        Ok(()) => Ok(found.member_no),
        Err(CertifyError::AlreadyCertified) => Err(AppError::rejected(409, "", "您已完成实名认证")),
        Err(CertifyError::TakenByOther) => Err(taken()),
        Err(CertifyError::Store(e)) => Err(AppError::from_store("certify", e)),
    }
}
