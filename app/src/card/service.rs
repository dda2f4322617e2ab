//! The 惠员卡 (member e-card): its QR code carries a signed link that anyone
//! can open to check the card, showing masked details and whether it is
//! valid now. The link is short-lived like a payment code, so a screenshot
//! passed around stops working.

use store::protect::DataKey;
use store::{MemberId, Store};

use crate::clock::{date_time_in_shanghai, now};
use crate::error::AppError;

/// A card QR code proves the member for 30 minutes after it is shown.
pub const CARD_LINK_SECS: i64 = 30 * 60;

/// `{member}.{issued_at}.{tag}`, the last part of the verification link.
pub fn card_token(key: &DataKey, member: MemberId, issued_at: i64) -> String {
    format!("{}.{issued_at}.{}", member.0, key.sign(&format!("card|{}|{issued_at}", member.0)))
}

/// What a scan shows: the page's own view type, filled here.
pub use crate::card::model::CardCheckView as CardCheck;

pub async fn check_card(store: &Store, key: &DataKey, token: &str) -> Result<CardCheck, AppError> {
    let forged = || AppError::rejected(400, "", "这不是有效的惠员卡二维码");
    let mut parts = token.splitn(3, '.');
    let (Some(member), Some(issued_at), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(forged());
    };
    let (Ok(member), Ok(issued_at)) = (member.parse::<i64>(), issued_at.parse::<i64>()) else { return Err(forged()) };
    if !key.verify(&format!("card|{member}|{issued_at}"), tag) {
        return Err(forged());
    }
    let found = store.member_by_id(MemberId(member)).await.map_err(|e| AppError::from_store("check_card", e))?;
    let Some(found) = found else { return Err(forged()) };
    let age = now() - issued_at;
    let (valid, verdict) = match &found.certified_member_no {
        None => (false, "该会员已不在会员名册中（未认证），卡无效".to_owned()),
        Some(_) if !(0..=CARD_LINK_SECS).contains(&age) => {
            (false, "二维码已过期，请会员刷新惠员卡后重新出示".to_owned())
        }
        Some(_) => (true, "有效：已实名认证的工会会员".to_owned()),
    };
    Ok(CardCheck {
        valid,
        verdict,
        name_masked: found.name.masked(),
        member_no: found.certified_member_no.unwrap_or_default(),
        unit_name: found.unit_name,
        issued: date_time_in_shanghai(issued_at),
    })
}
