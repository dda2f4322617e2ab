//! The wish rules on typed inputs: who may post, claim and confirm.

use store::{Actor, MemberId, Store, Wish};

use super::model::{WishAdminRow, WishCard, WishesView, MAX_WISH_YUAN};
use crate::clock::date_time_in_shanghai;
use crate::error::AppError;
use crate::newsroom::model::masked_name;

fn store_error(context: &'static str) -> impl Fn(store::StoreError) -> AppError {
    move |e| AppError::from_store(context, e)
}

/// The stage of a wish and its label.
fn stage(w: &Wish) -> (i8, &'static str) {
    match (w.status.as_str(), w.claimed_at, w.fulfilled_at) {
        ("pending", _, _) => (0, "待审核"),
        ("rejected", _, _) => (-1, "未通过"),
        (_, None, _) => (1, "待认领"),
        (_, Some(_), None) => (2, "已认领，待实现"),
        _ => (3, "已实现"),
    }
}

/// The public card of `w` for `viewer` (never the person's name).
pub fn card(w: &Wish, viewer: Option<MemberId>) -> WishCard {
    let (stage, label) = stage(w);
    let mut steps = vec![("发布".to_owned(), date_time_in_shanghai(w.created_at))];
    if let (Some(at), true) = (w.reviewed_at, stage >= 1) {
        steps.push(("审核通过".to_owned(), date_time_in_shanghai(at)));
    }
    if let Some(at) = w.claimed_at {
        steps.push(("爱心认领".to_owned(), date_time_in_shanghai(at)));
    }
    if let Some(at) = w.fulfilled_at {
        steps.push(("心愿实现".to_owned(), date_time_in_shanghai(at)));
    }
    let own = viewer.is_some_and(|v| v.0 == w.member_id || v.0 == w.posted_by);
    WishCard {
        id: w.id,
        title: w.title.clone(),
        reason: w.reason.clone(),
        value_yuan: w.value_yuan.into(),
        unit_name: w.unit_name.clone(),
        stage,
        stage_label: label.to_owned(),
        donor: w.donor_name.as_deref().map(masked_name),
        photo_url: w.photo_url.clone().filter(|_| w.fulfilled_at.is_some()),
        steps,
        can_claim: stage == 1 && viewer.is_some() && !own,
        review_note: if own { w.review_note.clone() } else { String::new() },
    }
}

/// The 帮吧 page for `viewer`.
pub async fn wishes(store: &Store, viewer: Option<MemberId>) -> Result<WishesView, AppError> {
    let err = store_error("wishes");
    let wishes = store.public_wishes(100).await.map_err(&err)?.iter().map(|w| card(w, viewer)).collect();
    let Some(member) = viewer else {
        return Ok(WishesView { wishes, ..Default::default() });
    };
    let found = store.member_by_id(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let mine = store.member_wishes(member).await.map_err(&err)?.iter().map(|w| card(w, viewer)).collect();
    Ok(WishesView { signed_in: true, certified: found.certified_member_no.is_some(), wishes, mine })
}

/// Checks a wish's fields: the title (what, 2–40), the reason (why,
/// 10–500) and the value in whole yuan (1–`MAX_WISH_YUAN`).
pub fn check(title: &str, reason: &str, value: &str) -> Result<(String, String, i32), AppError> {
    let title = title.trim();
    if !(2..=40).contains(&title.chars().count()) {
        return Err(AppError::rejected(400, "title", "心愿请填写 2 到 40 个字，如“给孩子买一个新书包”"));
    }
    let reason = reason.trim();
    if !(10..=500).contains(&reason.chars().count()) {
        return Err(AppError::rejected(400, "reason", "请用 10 到 500 字说明原因"));
    }
    let value: i32 = value
        .trim()
        .trim_end_matches('元')
        .parse()
        .ok()
        .filter(|v| (1..=MAX_WISH_YUAN).contains(v))
        .ok_or_else(|| AppError::rejected(400, "value", format!("价值请填写 1 到 {MAX_WISH_YUAN} 元的整数")))?;
    Ok((title.to_owned(), reason.to_owned(), value))
}

/// A certified member posts their own wish, or an official posts one for
/// the certified member with phone `for_phone` in their reach.
pub async fn post(
    store: &Store,
    poster: MemberId,
    for_phone: Option<&str>,
    title: &str,
    reason: &str,
    value: &str,
    now: i64,
) -> Result<i64, AppError> {
    let err = store_error("post_wish");
    let (title, reason, value) = check(title, reason, value)?;
    let member = match for_phone {
        None => poster,
        Some(phone) => {
            let actor = store.actor(poster).await.map_err(&err)?;
            let phone = domain::Phone::parse(phone).map_err(|e| AppError::rejected(400, "phone", e.to_string()))?;
            let found = store.credentials_by_phone(&phone).await.map_err(&err)?;
            let Some(found) = found else {
                return Err(AppError::rejected(404, "phone", "没有这个手机号的会员"));
            };
            if !store.unit_in_scope(&actor, &found.member.unit_code).await.map_err(&err)? {
                return Err(AppError::rejected(403, "phone", "这位会员不在您的管理范围"));
            }
            found.member.id
        }
    };
    let found = store.member_by_id(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    if found.certified_member_no.is_none() {
        return Err(AppError::rejected(403, "", "微心愿需由实名认证的会员发布"));
    }
    let facts = store.claimant_facts(member).await.map_err(&err)?.ok_or(AppError::Internal)?;
    let new = store::NewWish {
        unit_id: facts.unit_id,
        member,
        posted_by: poster,
        title: &title,
        reason: &reason,
        value_yuan: value,
    };
    store.post_wish(&new, now).await.map_err(&err)
}

/// Member `donor` claims wish `id` (not their own; approved and unclaimed).
pub async fn claim(store: &Store, donor: MemberId, id: i64, now: i64) -> Result<String, AppError> {
    let err = store_error("claim_wish");
    let wish = store.wish(id).await.map_err(&err)?.filter(|w| w.status == "approved");
    let Some(wish) = wish else { return Err(AppError::rejected(404, "", "没有这个心愿")) };
    if wish.member_id == donor.0 || wish.posted_by == donor.0 {
        return Err(AppError::rejected(409, "", "不能认领自己的心愿"));
    }
    let name = store.member_by_id(donor).await.map_err(&err)?.ok_or(AppError::Internal)?.name.to_string();
    if !store.claim_wish(id, Some(donor), &name, donor, now).await.map_err(&err)? {
        return Err(AppError::rejected(409, "", "这个心愿已被其他爱心人士认领"));
    }
    Ok(format!("感谢您认领“{}”！工会工作人员会联系您完成心愿", wish.title))
}

/// An official claims wish `id` (in reach) for an outside donor `name`.
pub async fn claim_for(store: &Store, actor: &Actor, id: i64, name: &str, now: i64) -> Result<String, AppError> {
    let err = store_error("claim_wish_for");
    let name = name.trim();
    if !(2..=40).contains(&name.chars().count()) {
        return Err(AppError::rejected(400, "donor", "请填写爱心人士或单位的名称（2 到 40 个字）"));
    }
    let in_reach =
        store.wishes_in_scope(actor).await.map_err(&err)?.into_iter().any(|w| w.id == id && w.status == "approved");
    if !in_reach {
        return Err(AppError::rejected(404, "", "没有这个心愿，或它不在您的管理范围"));
    }
    if !store.claim_wish(id, None, name, actor.member_id, now).await.map_err(&err)? {
        return Err(AppError::rejected(409, "", "这个心愿已被其他爱心人士认领"));
    }
    store
        .audit(Some(actor.member_id), "代认领微心愿", &format!("微心愿 #{id}"), name, None, now)
        .await
        .map_err(&err)?;
    Ok(format!("已登记“{name}”认领此心愿"))
}

pub async fn admin_rows(store: &Store, actor: &Actor) -> Result<Vec<WishAdminRow>, AppError> {
    let rows = store.wishes_in_scope(actor).await.map_err(store_error("wishes_admin"))?;
    Ok(rows
        .iter()
        .map(|w| {
            let mut card = card(w, None);
            card.review_note = w.review_note.clone();
            card.donor = w.donor_name.clone();
            card.photo_url = w.photo_url.clone();
            WishAdminRow { card, member_name: w.member_name.clone() }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wish_is_small_and_says_why() {
        assert!(check("新书包", "孩子的书包已经破了，开学前想换一个。", "120").is_ok());
        assert_eq!(check("新书包", "孩子的书包已经破了，开学前想换一个。", "120元").unwrap().2, 120);
        let too_dear = check("笔记本电脑", "孩子上网课需要一台电脑，家里买不起。", "5000").unwrap_err();
        assert_eq!(too_dear.message_for("value").unwrap(), "价值请填写 1 到 500 元的整数");
        assert!(check("包", "孩子的书包已经破了，开学前想换一个。", "120").unwrap_err().message_for("title").is_some());
        assert!(check("新书包", "太旧了", "120").unwrap_err().message_for("reason").is_some());
    }
}
