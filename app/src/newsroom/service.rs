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

/// A story as typed (the arguments of `newsroom/stories/submit`).
#[derive(Clone, Debug, Default)]
pub struct StoryForm {
    pub title: String,
    pub body: String,
    pub excerpt: String,
    pub kind: String,
    pub event_date: String,
    pub outward: bool,
}

/// The longest story body (characters of Markdown).
const BODY_CHARS: usize = 20_000;
/// An excerpt made from the body when none is given (characters).
const EXCERPT_CHARS: usize = 120;
/// News is due within three days of the event (Ordos' rule); later is marked late.
const LATE_AFTER_DAYS: i64 = 3;

/// Markdown → HTML, then ammonia's allow-list: no script survives.
pub fn render_markdown(body: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    ammonia::clean(&html)
}

/// The checked story: title, body (Markdown and HTML), excerpt, kind, event date.
struct CheckedStory {
    title: String,
    body_md: String,
    body_html: String,
    excerpt: String,
    kind: &'static str,
    event: domain::CivilDate,
}

fn check_story(form: &StoryForm) -> Result<CheckedStory, AppError> {
    let title = text(&form.title, "title", "标题", 60, true)?;
    let body_md = form.body.trim().to_owned();
    if body_md.is_empty() {
        return Err(bad("body", "请填写正文"));
    }
    if body_md.chars().count() > BODY_CHARS {
        return Err(bad("body", format!("正文不能超过 {BODY_CHARS} 字")));
    }
    let body_html = render_markdown(&body_md);
    let excerpt = text(&form.excerpt, "excerpt", "正文摘选", 300, false)?;
    let excerpt = if excerpt.is_empty() {
        let plain = ammonia::Builder::empty().clean(&body_html).to_string();
        let plain = html_escape::decode_html_entities(&plain).split_whitespace().collect::<Vec<_>>().join(" ");
        plain.chars().take(EXCERPT_CHARS).collect()
    } else {
        excerpt
    };
    let kind = match form.kind.trim() {
        "news" => "news",
        "theory" => "theory",
        "experience" => "experience",
        "model" => "model",
        "other" => "other",
        _ => return Err(bad("kind", "请选择稿件类型")),
    };
    let event = domain::CivilDate::parse_iso(&form.event_date)
        .filter(|d| *d <= today_in_shanghai())
        .ok_or_else(|| bad("event_date", "请选择事件发生日期（不能晚于今天）"))?;
    Ok(CheckedStory { title, body_md, body_html, excerpt, kind, event })
}

/// Submitted more than three days after the event.
fn is_late(event: domain::CivilDate) -> bool {
    let today = today_in_shanghai();
    today.midnight_in_shanghai() - event.midnight_in_shanghai() > LATE_AFTER_DAYS * 86_400
}

/// A correspondent (or an editor) submits a story to their unit's desk; it
/// goes through the unit's review chain. The notice.
pub async fn submit(store: &Store, author: MemberId, form: &StoryForm) -> Result<String, AppError> {
    let err = |e| AppError::from_store("submit_story", e);
    let me = store.member_by_id(author).await.map_err(err)?.ok_or(AppError::Internal)?;
    let desk = me.unit_code.to_string();
    if !store.may_write_for(author, &desk).await.map_err(err)? {
        return Err(AppError::rejected(403, "", "只有本单位的信息员或编辑可以投稿"));
    }
    let story = check_story(form)?;
    let event_date = format!("{:04}-{:02}-{:02}", story.event.year(), story.event.month(), story.event.day());
    let new = store::NewStory {
        desk_unit_code: &desk,
        author,
        title: &story.title,
        body_md: &story.body_md,
        body_html: &story.body_html,
        excerpt: &story.excerpt,
        kind: story.kind,
        event_date: &event_date,
        outward: form.outward,
    };
    let now = now();
    let id = store.insert_story_draft(&new, now).await.map_err(err)?;
    let steps = store.review_chain_steps(&desk).await.map_err(err)?;
    let late = is_late(story.event);
    store.submit_story(id, steps, late, now).await.map_err(err)?;
    Ok(if late {
        "稿件已报送，进入审核（事件已过去三天以上，标为迟报）".to_owned()
    } else {
        "稿件已报送，进入审核".to_owned()
    })
}

/// The author changes a returned story and submits it again (its next
/// version goes through every step again). The notice.
pub async fn resubmit(store: &Store, author: MemberId, id: i64, form: &StoryForm) -> Result<String, AppError> {
    let err = |e| AppError::from_store("resubmit_story", e);
    let story = check_story(form)?;
    let now = now();
    let revised =
        store.revise_story(author, id, &story.title, &story.body_md, &story.body_html, &story.excerpt, now).await;
    if !revised.map_err(err)? {
        return Err(AppError::rejected(404, "", "这篇稿件不是退回修改的稿件"));
    }
    store.submit_story(id, 0, is_late(story.event), now).await.map_err(err)?;
    Ok("修改后的稿件已重新报送".to_owned())
}

/// A reviewer's decision on the step the story waits for. Returning and
/// rejecting need a comment. The notice.
pub async fn decide_story(
    store: &Store,
    reviewer: MemberId,
    id: i64,
    version: i64,
    decision: &str,
    comment: &str,
) -> Result<String, AppError> {
    use store::{Decision, DecisionError};
    let err = |e| AppError::from_store("decide_story", e);
    let decision = match decision {
        "approve" => Decision::Approve,
        "return" => Decision::Return,
        "hold" => Decision::Hold,
        "reject" => Decision::Reject,
        _ => return Err(bad("", "无法识别的审核操作")),
    };
    let needs_comment = matches!(decision, Decision::Return | Decision::Reject);
    let comment = text(comment, "comment", "审核意见", 500, needs_comment)?;
    let queue = store.review_queue(reviewer).await.map_err(err)?;
    let Some(story) = queue.iter().find(|s| s.id == id && s.version == version) else {
        return Err(AppError::rejected(404, "", "这篇稿件不在您的审核队列中，或已被处理"));
    };
    match store.decide_story(id, version, story.next_step, reviewer, decision, &comment, now()).await {
        Ok(status) => Ok(match status {
            store::StoryStatus::Ready => "终审通过：稿件已采用，可以发布".to_owned(),
            store::StoryStatus::InReview => "已通过本级审核，转下一级".to_owned(),
            store::StoryStatus::Returned => "已退回修改".to_owned(),
            store::StoryStatus::Held => "已标为待用".to_owned(),
            _ => "已退稿".to_owned(),
        }),
        Err(DecisionError::NotThisStep | DecisionError::AlreadyApproved) => {
            Err(AppError::rejected(409, "", "这篇稿件刚被他人处理，请刷新后再看"))
        }
        Err(DecisionError::Store(e)) => Err(err(e)),
    }
}

/// Gives the member with `phone` newsroom role `role` on unit `unit` (in the
/// official's reach). The notice.
pub async fn grant_role(store: &Store, actor: &Actor, phone: &str, unit: &str, role: &str) -> Result<String, AppError> {
    let err = |e| AppError::from_store("grant_role", e);
    let phone = Phone::parse(phone).map_err(|e| bad("phone", e.to_string()))?;
    let role = store::NewsroomRole::parse(role.trim()).ok_or_else(|| bad("role", "请选择角色"))?;
    let member = store
        .credentials_by_phone(&phone)
        .await
        .map_err(err)?
        .map(|c| c.member.id)
        .ok_or_else(|| bad("phone", "该手机号尚未注册会员，请对方先注册"))?;
    if !store.grant_newsroom_role(actor, member, unit.trim(), role, now()).await.map_err(err)? {
        return Err(AppError::rejected(403, "unit", "只能在本单位及下级单位任命"));
    }
    let label = match role {
        store::NewsroomRole::Editor => "责任编辑（初审）",
        store::NewsroomRole::Second => "复审",
        store::NewsroomRole::Final => "终审",
    };
    Ok(format!("已任命 {} 为{label}", phone.masked()))
}
