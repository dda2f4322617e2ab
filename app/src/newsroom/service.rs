//! The newsroom's rules on typed inputs (server only).

use domain::{IdNumber, MemberName, Phone};
use store::{Actor, ApplyError, MemberId, NewCorrespondent, Store};

use crate::clock::{now, today_in_shanghai};
use crate::error::AppError;

/// The 登记表 as typed (the arguments of `newsroom/correspondents/apply`).
#[derive(Clone, Debug, Default)]
pub struct Application {
    pub name: String,
    pub gender: String,
    pub birth_month: String,
    pub education: String,
    pub union_post: String,
    pub job_title: String,
    pub phone: String,
    pub email: String,
    pub id_number: String,
    pub interests: String,
    pub website: String,
    pub wechat_name: String,
    pub wechat_id: String,
    pub weibo: String,
    pub newspaper: String,
    pub magazine: String,
    pub other_channel: String,
    pub intro: String,
}

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::rejected(400, field, message)
}

/// `value` trimmed, at most `max` characters and no control characters;
/// empty allowed only when `required` is false.
fn text(value: &str, field: &str, label: &str, max: usize, required: bool) -> Result<String, AppError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(bad(field, format!("请填写{label}")));
    }
    if value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(bad(field, format!("{label}不能超过 {max} 字")));
    }
    Ok(value.to_owned())
}

/// `2026-01`: a real month, not in the future, not before 1900.
fn birth_month(raw: &str) -> Result<String, AppError> {
    let raw = raw.trim();
    let parsed = raw
        .split_once('-')
        .filter(|(y, m)| y.len() == 4 && (1..=2).contains(&m.len()))
        .and_then(|(y, m)| Some((y.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
        .and_then(|(y, m)| domain::CivilDate::new(y, m, 1));
    match parsed {
        Some(month) if month.year() >= 1900 && month <= today_in_shanghai() => {
            Ok(format!("{:04}-{:02}", month.year(), month.month()))
        }
        _ => Err(bad("birth_month", "请选择出生年月，例如 1985-06")),
    }
}

fn email(raw: &str) -> Result<String, AppError> {
    let raw = raw.trim();
    let shaped = raw.len() <= 60
        && raw
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.ends_with('.'))
        && !raw.chars().any(char::is_whitespace);
    if shaped {
        Ok(raw.to_owned())
    } else {
        Err(bad("email", "请填写有效的电子邮箱，例如 name@example.com"))
    }
}

/// A certified member applies to be their unit's correspondent.
pub async fn apply(
    store: &Store,
    key: &store::protect::DataKey,
    member: MemberId,
    form: &Application,
) -> Result<String, AppError> {
    let me =
        store.member_by_id(member).await.map_err(|e| AppError::from_store("apply", e))?.ok_or(AppError::Internal)?;
    if me.certified_member_no.is_none() {
        return Err(AppError::rejected(403, "", "成为信息员需先完成实名认证"));
    }
    let name = MemberName::parse(&form.name).map_err(|e| bad("name", e.to_string()))?;
    let gender = match form.gender.trim() {
        g @ ("男" | "女") => g.to_owned(),
        _ => return Err(bad("gender", "请选择性别")),
    };
    let birth_month = birth_month(&form.birth_month)?;
    let education = crate::newsroom::model::EDUCATION
        .iter()
        .find(|e| **e == form.education.trim())
        .ok_or_else(|| bad("education", "请选择学历"))?;
    let union_post = text(&form.union_post, "union_post", "工会职务", 30, true)?;
    let job_title = text(&form.job_title, "job_title", "职称", 30, false)?;
    let phone = Phone::parse(&form.phone).map_err(|e| bad("phone", e.to_string()))?;
    let email = email(&form.email)?;
    let id_number =
        IdNumber::parse(&form.id_number, today_in_shanghai()).map_err(|e| bad("id_number", e.to_string()))?;
    let interests = text(&form.interests, "interests", "兴趣特长", 200, true)?;
    let channels = [
        text(&form.website, "website", "网站", 100, false)?,
        text(&form.wechat_name, "wechat_name", "微信公众号名称", 40, false)?,
        text(&form.wechat_id, "wechat_id", "微信公众号", 40, false)?,
        text(&form.weibo, "weibo", "微博", 40, false)?,
        text(&form.newspaper, "newspaper", "报纸", 40, false)?,
        text(&form.magazine, "magazine", "杂志", 40, false)?,
        text(&form.other_channel, "other_channel", "其他渠道", 60, false)?,
    ];
    let intro = text(&form.intro, "intro", "单位宣传工作简介", 500, false)?;
    let application = NewCorrespondent {
        member,
        name: name.as_ref(),
        gender: &gender,
        birth_month: &birth_month,
        education,
        union_post: &union_post,
        job_title: &job_title,
        phone: phone.as_ref(),
        email: &email,
        id_number: &id_number,
        interests: &interests,
        channels: channels.each_ref().map(String::as_str),
        intro: &intro,
    };
    match store.apply_correspondent(&application, key, now()).await {
        Ok(_) => Ok("登记表已提交，请等待所在工会审核".to_owned()),
        Err(ApplyError::AlreadyLive) => Err(AppError::rejected(409, "", "您已是本单位信息员，或登记表正在审核中")),
        Err(ApplyError::Store(e)) => Err(AppError::from_store("apply", e)),
    }
}

/// An official approves or refuses (with a reason) application `id`.
pub async fn decide(store: &Store, actor: &Actor, id: i64, approve: bool, reason: &str) -> Result<String, AppError> {
    let reason = if approve { String::new() } else { text(reason, "reason", "不通过的原因", 200, true)? };
    let done = store
        .decide_correspondent(actor, id, approve, &reason, now())
        .await
        .map_err(|e| AppError::from_store("decide_correspondent", e))?;
    if !done {
        return Err(AppError::rejected(404, "", "这份登记表已处理，或不在您的管理范围内"));
    }
    Ok(if approve {
        "已通过，该会员成为信息员".to_owned()
    } else {
        "已退回登记表，并告知原因".to_owned()
    })
}
