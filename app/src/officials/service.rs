//! What officials may do, checked here once: who the actor is, what they reach.

use domain::{Phone, UnitCode};
use store::{Actor, Store};

use crate::accounts::session;
use crate::clock::now;
use crate::error::AppError;

/// The signed-in member as an official: 401 when nobody is signed in, 403
/// when the member holds no office.
pub async fn official(store: &Store, session: &tower_sessions::Session) -> Result<Actor, AppError> {
    let id = session::member(store, session).await?.ok_or_else(|| AppError::rejected(401, "", "请先登录"))?;
    let actor = store.actor(id).await.map_err(|e| AppError::from_store("official", e))?;
    if actor.is_official() {
        Ok(actor)
    } else {
        Err(AppError::rejected(403, "", "您没有管理权限"))
    }
}

/// Appoints the member with `phone` as official of `unit`; both the unit and
/// the member's own unit must be in the actor's reach; recorded in the audit log. Returns the notice to show.
pub async fn appoint(
    store: &Store,
    actor: &Actor,
    phone: &str,
    unit: &str,
    ip: Option<&str>,
) -> Result<String, AppError> {
    let phone = Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
    if unit.trim().is_empty() {
        return Err(AppError::rejected(400, "unit", "请选择单位"));
    }
    let unit = UnitCode::parse(unit).map_err(|_| AppError::rejected(400, "unit", "所选单位不存在"))?;
    if !store.unit_in_scope(actor, &unit).await.map_err(|e| AppError::from_store("appoint", e))? {
        return Err(AppError::rejected(403, "unit", "只能任命本单位及下级单位的管理员"));
    }
    let member = store
        .credentials_by_phone(&phone)
        .await
        .map_err(|e| AppError::from_store("appoint", e))?
        .ok_or_else(|| AppError::rejected(400, "phone", "该手机号尚未注册会员，请对方先注册"))?
        .member;
    // The person must be one of the actor's own members as well: an official
    // manages the people of their subtree, not another county's.
    if !store.unit_in_scope(actor, &member.unit_code).await.map_err(|e| AppError::from_store("appoint", e))? {
        return Err(AppError::rejected(
            403,
            "phone",
            "该会员所在单位不在您的管理范围内，只能任命本单位及下级单位的会员",
        ));
    }
    let now = now();
    store
        .appoint_official(member.id, &unit, actor.member_id, now)
        .await
        .map_err(|e| AppError::from_store("appoint", e))?;
    let target = format!("单位 {unit}，会员 {}（{}）", member.name, phone.masked());
    store
        .audit(Some(actor.member_id), "任命管理员", &target, "", ip, now)
        .await
        .map_err(|e| AppError::from_store("appoint", e))?;
    Ok(format!("已任命 {} 为单位 {unit} 的管理员", member.name))
}
