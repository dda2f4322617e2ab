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
    file_application(store, key, member, form).await?;
    Ok("登记表已提交，请等待所在工会审核".to_owned())
}

/// An official appoints a correspondent directly: the 登记表 filled in for
/// the certified member whose registered phone is the form's `phone`, of a
/// unit in the official's reach; approved at once, audited. The notice.
pub async fn appoint(
    store: &Store,
    key: &store::protect::DataKey,
    actor: &Actor,
    form: &Application,
) -> Result<String, AppError> {
    let err = |e| AppError::from_store("appoint", e);
    let phone = Phone::parse(&form.phone).map_err(|e| bad("phone", e.to_string()))?;
    let member = store
        .credentials_by_phone(&phone)
        .await
        .map_err(err)?
        .map(|c| c.member.id)
        .ok_or_else(|| bad("phone", "该手机号尚未注册会员，请对方先注册"))?;
    let me = store.member_by_id(member).await.map_err(err)?.ok_or(AppError::Internal)?;
    let reach = store.units_in_scope(actor).await.map_err(err)?;
    if !reach.iter().any(|(code, _, _)| *code == me.unit_code.to_string()) {
        return Err(AppError::rejected(403, "phone", "该会员的单位不在您的管理范围内"));
    }
    if me.certified_member_no.is_none() {
        return Err(AppError::rejected(409, "phone", "该会员尚未完成实名认证，认证后才能任命为信息员"));
    }
    let id = file_application(store, key, member, form).await?;
    if !store.decide_correspondent(actor, id, true, "", now()).await.map_err(err)? {
        return Err(AppError::rejected(403, "phone", "该会员的单位不在您的管理范围内"));
    }
    Ok(format!("已任命 {} 为{}的信息员", phone.masked(), me.unit_name))
}

/// Checks the 登记表 and files it for `member` (pending); its id.
async fn file_application(
    store: &Store,
    key: &store::protect::DataKey,
    member: MemberId,
    form: &Application,
) -> Result<i64, AppError> {
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
        Ok(id) => Ok(id),
        Err(ApplyError::AlreadyLive) => Err(AppError::rejected(409, "", "已是本单位信息员，或登记表正在审核中")),
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
    /// Library assets to attach (素材库 ids), in order.
    pub assets: Vec<i64>,
    /// The call for stories (征集) it answers.
    pub call: Option<i64>,
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

/// The words of sanitised HTML, without tags, on one line.
pub fn plain_text(html: &str) -> String {
    let plain = ammonia::Builder::empty().clean(html).to_string();
    html_escape::decode_html_entities(&plain).split_whitespace().collect::<Vec<_>>().join(" ")
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

/// A draft may be incomplete: what is missing gets a stand-in (no title:
/// 无标题草稿; no kind: 新闻; no date: today), what is there is checked.
fn check_draft(form: &StoryForm) -> Result<CheckedStory, AppError> {
    let mut filled = form.clone();
    if filled.title.trim().is_empty() {
        filled.title = "无标题草稿".to_owned();
    }
    if filled.kind.trim().is_empty() {
        filled.kind = "news".to_owned();
    }
    if filled.event_date.trim().is_empty() {
        filled.event_date = today_in_shanghai().iso();
    }
    check(&filled, false)
}

fn check_story(form: &StoryForm) -> Result<CheckedStory, AppError> {
    check(form, true)
}

fn check(form: &StoryForm, complete: bool) -> Result<CheckedStory, AppError> {
    let title = text(&form.title, "title", "标题", 60, true)?;
    let body_md = form.body.trim().to_owned();
    if complete && body_md.is_empty() {
        return Err(bad("body", "请填写正文"));
    }
    if body_md.chars().count() > BODY_CHARS {
        return Err(bad("body", format!("正文不能超过 {BODY_CHARS} 字")));
    }
    let body_html = render_markdown(&body_md);
    let excerpt = text(&form.excerpt, "excerpt", "正文摘选", 300, false)?;
    let excerpt =
        if excerpt.is_empty() { plain_text(&body_html).chars().take(EXCERPT_CHARS).collect() } else { excerpt };
    let kind = crate::newsroom::model::KINDS
        .iter()
        .find(|(k, _)| *k == form.kind.trim())
        .map(|(k, _)| *k)
        .ok_or_else(|| bad("kind", "请选择稿件类型"))?;
    let event = domain::CivilDate::parse_iso(&form.event_date)
        .filter(|d| *d <= today_in_shanghai())
        .ok_or_else(|| bad("event_date", "请选择事件发生日期（不能晚于今天）"))?;
    Ok(CheckedStory { title, body_md, body_html, excerpt, kind, event })
}

/// Stories one account may save in 24 hours. Shandong's 154 accounts
/// averaged ~3 a day each (95 179 in seven months); a script saves hundreds.
const STORIES_PER_DAY: i64 = 30;
/// Files one account may upload in 24 hours.
const UPLOADS_PER_DAY: i64 = 200;

/// The most pictures and files one story carries.
const MAX_ATTACHMENTS: usize = 20;

/// The chosen library assets, each once, in order.
fn attachments(ids: &[i64]) -> Result<Vec<i64>, AppError> {
    let mut unique = Vec::new();
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    if unique.len() > MAX_ATTACHMENTS {
        return Err(bad("assets", format!("一篇稿件最多附 {MAX_ATTACHMENTS} 个素材")));
    }
    Ok(unique)
}

/// Submitted more than three days after the event.
fn is_late(event: domain::CivilDate) -> bool {
    let today = today_in_shanghai();
    today.midnight_in_shanghai() - event.midnight_in_shanghai() > LATE_AFTER_DAYS * 86_400
}

/// Saving a story: as a draft (kept on the desk, incomplete allowed) or
/// submitted for review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Send {
    Draft,
    Review,
}

/// A correspondent (or an editor) writes a story for their unit's desk — a
/// new one, or their draft `draft` — and keeps it as a draft or submits it
/// through the unit's review chain. The story's id and the notice.
pub async fn write(
    store: &Store,
    author: MemberId,
    draft: Option<i64>,
    form: &StoryForm,
    send: Send,
) -> Result<(i64, String), AppError> {
    let err = |e| AppError::from_store("write_story", e);
    let me = store.member_by_id(author).await.map_err(err)?.ok_or(AppError::Internal)?;
    let desk = me.unit_code.to_string();
    if !store.may_write_for(author, &desk).await.map_err(err)? {
        return Err(AppError::rejected(403, "", "只有本单位的信息员或编辑可以投稿"));
    }
    if let Some(id) = draft {
        if !store.is_own_draft(author, id).await.map_err(err)? {
            return Err(AppError::rejected(404, "", "这篇草稿不存在，或已经报送"));
        }
    }
    let story = match send {
        Send::Draft => check_draft(form)?,
        Send::Review => check_story(form)?,
    };
    let event_date = story.event.iso();
    let now = now();
    if draft.is_none() && store.stories_saved_since(author, now - 86_400).await.map_err(err)? >= STORIES_PER_DAY {
        return Err(AppError::rejected(429, "", format!("24 小时内最多报送 {STORIES_PER_DAY} 篇稿件，请稍后再报送")));
    }
    if let Some(call) = form.call {
        let today = today_in_shanghai().iso();
        let open = store.open_calls_for(&desk, &today).await.map_err(err)?;
        if !open.iter().any(|c| c.id == call) {
            return Err(bad("call", "这个征稿已截止，或不面向本单位"));
        }
    }
    let assets = attachments(&form.assets)?;
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
        call: form.call,
        assets: &assets,
    };
    let unusable = || bad("assets", "所选素材不可用，请重新选择");
    let id = match draft {
        Some(id) => {
            if !store.update_draft(id, &new, now).await.map_err(err)? {
                return Err(unusable());
            }
            id
        }
        None => store.insert_story_draft(&new, now).await.map_err(err)?.ok_or_else(unusable)?,
    };
    if send == Send::Draft {
        return Ok((id, format!("草稿已保存（{}）", crate::clock::wall_clock_in_shanghai(now))));
    }
    let steps = store.review_chain_steps(&desk).await.map_err(err)?;
    let late = is_late(story.event);
    store.submit_story(id, steps, late, now).await.map_err(err)?;
    Ok((
        id,
        if late {
            "稿件已报送，进入审核（事件已过去三天以上，标为迟报）".to_owned()
        } else {
            "稿件已报送，进入审核".to_owned()
        },
    ))
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
    for asset in attachments(&form.assets)? {
        // Already attached ones stay; a new one must be usable.
        let attached = store.story_assets(id).await.map_err(err)?;
        if !attached.iter().any(|a| a.id == asset) && !store.attach_asset(author, id, asset).await.map_err(err)? {
            return Err(bad("assets", "所选素材不可用，请重新选择"));
        }
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
    let now = now();
    let waiting = store.waiting_for_reviewer(reviewer, id, now).await.map_err(err)?;
    let Some(story) = waiting.filter(|s| s.version == version) else {
        return Err(AppError::rejected(404, "", "这篇稿件不在您的审核队列中，或已被处理"));
    };
    if let Some(holder) = &story.locked_by {
        return Err(AppError::rejected(409, "", format!("{holder} 正在审核这篇稿件，请稍后再看")));
    }
    match store.decide_story(id, version, story.next_step, reviewer, decision, &comment, now).await {
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

/// How long taking a story up for review holds it (a reviewer reads a
/// story in a few minutes; a forgotten lock frees itself).
const REVIEW_LOCK_SECS: i64 = 15 * 60;

/// A reviewer takes story `id` up (审核中): others see it and wait. The notice.
pub async fn take_story(store: &Store, reviewer: MemberId, id: i64) -> Result<String, AppError> {
    let err = |e| AppError::from_store("take_story", e);
    let now = now();
    if store.waiting_for_reviewer(reviewer, id, now).await.map_err(err)?.is_none() {
        return Err(AppError::rejected(404, "", "这篇稿件不在您的审核队列中，或已被处理"));
    }
    match store.lock_story(reviewer, id, now, now + REVIEW_LOCK_SECS).await.map_err(err)? {
        Some((holder, until)) => Err(AppError::rejected(
            409,
            "",
            format!("{holder} 正在审核这篇稿件（至 {}）", crate::clock::wall_clock_in_shanghai(until)),
        )),
        None => Ok(format!(
            "您正在审核这篇稿件，其他审核人 15 分钟内不能处理（至 {}）",
            crate::clock::wall_clock_in_shanghai(now + REVIEW_LOCK_SECS)
        )),
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

/// The unit whose desk and library the member works at: their own unit,
/// when they are its approved correspondent or an editor over it (403 else).
pub async fn desk_of(store: &Store, member: MemberId) -> Result<String, AppError> {
    let err = |e| AppError::from_store("desk_of", e);
    let me = store.member_by_id(member).await.map_err(err)?.ok_or(AppError::Internal)?;
    let unit = me.unit_code.to_string();
    if !store.may_write_for(member, &unit).await.map_err(err)? {
        return Err(AppError::rejected(403, "", "只有本单位的信息员或编辑可以使用"));
    }
    Ok(unit)
}

/// Stores uploaded files as assets of `unit`: photos cleaned (upright, no
/// EXIF/GPS) with thumbnails, the rest streamed as they are. The notice.
pub async fn store_assets(
    store: &Store,
    media: &crate::newsroom::media::Media,
    member: MemberId,
    unit: &str,
    fields: &[(String, String)],
    files: Vec<crate::newsroom::media::Spooled>,
) -> Result<String, AppError> {
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("");
    if files.is_empty() {
        return Err(bad("file", "请选择要上传的图片、音视频或文件"));
    }
    let recent = store.assets_uploaded_since(member, now() - 86_400).await;
    if recent.map_err(|e| AppError::from_store("uploads", e))? + files.len() as i64 > UPLOADS_PER_DAY {
        return Err(AppError::rejected(
            429,
            "file",
            format!("24 小时内最多上传 {UPLOADS_PER_DAY} 个素材，请稍后再上传"),
        ));
    }
    let title = text(field("title"), "title", "标题", 60, false)?;
    let tags = text(field("tags"), "tags", "标签", 60, false)?;
    let shared_down = matches!(field("shared_down"), "1" | "on" | "true");
    // Every photo is cleaned before anything is stored, so a bad third photo
    // leaves nothing of the first two behind.
    let mut cleaned = Vec::with_capacity(files.len());
    for file in &files {
        cleaned.push(if file.kind == store::AssetKind::Photo {
            let photo = crate::newsroom::media::clean_photo_queued(file.path.clone()).await.map_err(|_| {
                AppError::rejected(
                    415,
                    "file",
                    format!("图片 {} 无法识别，请换一张 JPEG、PNG 或 WebP 图片", file.file_name),
                )
            })?;
            Some(photo)
        } else {
            None
        });
    }
    let count = files.len();
    let mut written: Vec<String> = Vec::new();
    let stored =
        store_cleaned(store, media, member, unit, &title, &tags, shared_down, files, cleaned, &mut written).await;
    if let Err(error) = stored {
        crate::newsroom::media::delete_all(media, &written).await;
        return Err(error);
    }
    Ok(format!("已上传 {count} 个素材到素材库"))
}

/// Writes cleaned photos and spooled files to blob storage and records
/// them; `written` collects the keys so a failure can remove them.
#[allow(clippy::too_many_arguments)]
async fn store_cleaned(
    store: &Store,
    media: &crate::newsroom::media::Media,
    member: MemberId,
    unit: &str,
    title: &str,
    tags: &str,
    shared_down: bool,
    files: Vec<crate::newsroom::media::Spooled>,
    cleaned: Vec<Option<crate::newsroom::media::CleanPhoto>>,
    written: &mut Vec<String>,
) -> Result<(), AppError> {
    use crate::newsroom::media::{put_bytes, put_file};
    let count = files.len();
    for (n, (file, photo)) in files.into_iter().zip(cleaned).enumerate() {
        let token = crate::random::token();
        let key = format!("a/{token}");
        let stem = file.file_name.rsplit_once('.').map_or(file.file_name.as_str(), |(s, _)| s).to_owned();
        let title = match (title.is_empty(), count) {
            (true, _) if !stem.is_empty() => stem.chars().take(60).collect(),
            (true, _) => "未命名素材".to_owned(),
            (false, 1) => title.to_owned(),
            (false, _) => format!("{title}（{}）", n + 1),
        };
        let (content_type, size, width, height, thumbs) = match photo {
            Some(photo) => {
                let mut thumbs = Vec::new();
                for (w, bytes) in photo.thumbs {
                    let thumb_key = format!("{key}-{w}");
                    put_bytes(media, &thumb_key, bytes).await?;
                    written.push(thumb_key.clone());
                    thumbs.push(format!("{w}={thumb_key}"));
                }
                let size = photo.bytes.len() as i64;
                put_bytes(media, &key, photo.bytes).await?;
                written.push(key.clone());
                let (w, h) = (Some(i64::from(photo.width)), Some(i64::from(photo.height)));
                (photo.content_type, size, w, h, thumbs.join(";"))
            }
            None => {
                put_file(media, &key, &file.path).await?;
                written.push(key.clone());
                (file.content_type, file.size as i64, None, None, String::new())
            }
        };
        let asset = store::NewAsset {
            token: &token,
            unit_code: unit,
            kind: file.kind,
            title: &title,
            tags,
            file_name: &file.file_name,
            content_type,
            size_bytes: size,
            width,
            height,
            blob_key: &key,
            thumbs: &thumbs,
            shared_down,
            uploaded_by: member,
        };
        store.insert_asset(&asset, now()).await.map_err(|e| AppError::from_store("insert_asset", e))?;
        // Recorded: its blobs are an asset's now, not leftovers to remove.
        written.clear();
    }
    Ok(())
}

/// Yuan as typed (`50`, `50.5`, `50.00`, up to 100 000) in fen.
pub fn parse_yuan(raw: &str) -> Option<i64> {
    let raw = raw.trim().trim_start_matches('¥').trim_end_matches('元').trim();
    let (whole, part) = raw.split_once('.').unwrap_or((raw, ""));
    if whole.is_empty() || whole.len() > 6 || part.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fen = whole.parse::<i64>().ok()? * 100 + format!("{part:0<2}").parse::<i64>().ok()?;
    (fen <= 10_000_000).then_some(fen)
}

/// Sets a 稿酬 rate of `unit` (in the official's reach). The notice.
pub async fn set_rate(
    store: &Store,
    actor: &Actor,
    unit: &str,
    kind: &str,
    level: &str,
    amount: &str,
) -> Result<String, AppError> {
    let kind = crate::newsroom::model::KINDS
        .iter()
        .find(|(k, _)| *k == kind.trim())
        .ok_or_else(|| bad("kind", "请选择稿件类型"))?;
    let level = store::AdoptionLevel::parse(level.trim()).ok_or_else(|| bad("level", "请选择采用级别"))?;
    let fen = parse_yuan(amount).ok_or_else(|| bad("amount", "请填写金额（元），如 50 或 50.5，最多 100000"))?;
    let set = store.set_payment_rate(actor, unit.trim(), kind.0, level, fen, now()).await;
    if !set.map_err(|e| AppError::from_store("set_rate", e))? {
        return Err(AppError::rejected(403, "unit", "只能为本单位及下级单位设置稿酬标准"));
    }
    let level = crate::newsroom::model::label(crate::newsroom::model::LEVELS, level.as_str());
    Ok(format!("已设置：{}稿件 · {level} · {} 元", kind.1, crate::newsroom::model::yuan(fen)))
}

/// What changed between two versions of a story, line by line (a reviewer
/// reads the returned version against the new one).
pub fn diff(before: &str, after: &str) -> Vec<crate::newsroom::model::DiffLine> {
    use similar::{ChangeTag, TextDiff};
    TextDiff::from_lines(before, after)
        .iter_all_changes()
        .filter(|c| !c.value().trim().is_empty())
        .map(|c| crate::newsroom::model::DiffLine {
            tag: match c.tag() {
                ChangeTag::Delete => "-",
                ChangeTag::Insert => "+",
                ChangeTag::Equal => " ",
            }
            .to_owned(),
            text: c.value().trim_end().to_owned(),
        })
        .collect()
}
