//! Running a campaign: officials create it for their subtree and nominate
//! candidates; members sign up during 报名 and officials review them.

use domain::campaign::{shanghai_midnight, Phase, Schedule, VoterRule};
use domain::UnitCode;
use store::{Actor, Campaign, MemberId, NewCampaign, NewCandidate, Store};

use crate::clock::now;
use crate::error::AppError;

/// The new-campaign form as typed (the arguments of `admin/campaigns/new`).
/// Every field is text here: the rules below parse each one and name it in
/// the message when it is wrong.
#[derive(Clone, Debug, Default)]
pub struct CampaignForm {
    pub title: String,
    pub description: String,
    pub unit: String,
    pub slug: String,
    pub signup_starts: String,
    pub review_starts: String,
    pub voting_starts: String,
    pub publicity_starts: String,
    pub closes: String,
    pub voter_rule: String,
    pub votes_per_day: String,
    pub votes_per_candidate: String,
    pub expert_weight_pct: String,
    /// `people` (评选, the default) or `works` (作品征集: photos, calligraphy).
    pub kind: String,
}

/// An official's nomination as typed.
#[derive(Clone, Debug, Default)]
pub struct Nomination {
    pub name: String,
    pub unit: String,
    pub title: String,
    pub story: String,
}

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::rejected(400, field, message)
}

/// The longest story kept (characters of the sanitised HTML).
const STORY_CHARS: usize = 5000;

/// A story as typed: plain text becomes paragraphs (one per line), HTML is
/// kept to ammonia's allow-list. Either way no script survives.
pub fn story_html(raw: &str) -> Result<String, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(bad("story", "请填写事迹简介"));
    }
    let html = if raw.contains('<') {
        crate::voting::service::sanitize_story(raw)
    } else {
        let paragraphs: String = raw
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("<p>{}</p>", html_escape::encode_text(l)))
            .collect();
        crate::voting::service::sanitize_story(&paragraphs)
    };
    if html.chars().count() > STORY_CHARS {
        return Err(bad("story", format!("事迹简介太长，请控制在 {STORY_CHARS} 字以内")));
    }
    Ok(html)
}

fn short_text(value: &str, name: &str, label: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(bad(name, format!("请填写{label}")));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(bad(name, format!("{label}不能超过 {max} 字")));
    }
    Ok(value.to_owned())
}

fn number_in(value: &str, name: &str, label: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, AppError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| bad(name, format!("{label}应为 {}–{} 的整数", range.start(), range.end())))
}

/// Creates a campaign from the officials' form; audited. Returns its slug.
pub async fn create(store: &Store, actor: &Actor, form: &CampaignForm) -> Result<String, AppError> {
    let title = short_text(&form.title, "title", "活动名称", 60)?;
    let description = short_text(&form.description, "description", "活动说明", 500)?;
    let unit = UnitCode::parse(form.unit.trim()).map_err(|_| bad("unit", "请选择主办单位"))?;
    if !store.unit_in_scope(actor, &unit).await.map_err(|e| AppError::from_store("create_campaign", e))? {
        return Err(AppError::rejected(403, "unit", "只能为本单位及下级单位创建投票活动"));
    }
    let slug = form.slug.trim().to_ascii_lowercase();
    if !(3..=40).contains(&slug.len())
        || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(bad("slug", "链接名应为 3–40 个小写字母、数字或“-”，例如 qilu-2027"));
    }
    let date = |value: &str, name: &str, label: &str| {
        shanghai_midnight(value).ok_or_else(|| bad(name, format!("请选择{label}")))
    };
    let signup = date(&form.signup_starts, "signup_starts", "报名开始日期")?;
    let review = date(&form.review_starts, "review_starts", "审核开始日期")?;
    let voting = date(&form.voting_starts, "voting_starts", "投票开始日期")?;
    let publicity = date(&form.publicity_starts, "publicity_starts", "公示开始日期")?;
    let closes = date(&form.closes, "closes", "活动结束日期")?;
    let schedule = Schedule::new(signup, review, voting, publicity, closes)
        .ok_or_else(|| bad("publicity_starts", "日期应依次为：报名开始 ≤ 审核开始 ≤ 投票开始 < 公示开始 ≤ 活动结束"))?;
    let voter_rule = VoterRule::parse(form.voter_rule.trim()).ok_or_else(|| bad("voter_rule", "请选择投票资格"))?;
    let votes_per_day = number_in(&form.votes_per_day, "votes_per_day", "每天票数", 1..=100)?;
    let votes_per_candidate =
        number_in(&form.votes_per_candidate, "votes_per_candidate", "每位候选人每天票数", 1..=100)?;
    if votes_per_candidate > votes_per_day {
        return Err(bad("votes_per_candidate", "每位候选人每天票数不能多于每天票数"));
    }
    let expert_weight_pct = number_in(&form.expert_weight_pct, "expert_weight_pct", "专家评分权重", 0..=100)?;
    let works = match form.kind.trim() {
        "" | "people" => false,
        "works" => true,
        _ => return Err(bad("kind", "请选择活动类型")),
    };
    if store.campaign_by_slug(&slug).await.map_err(|e| AppError::from_store("create_campaign", e))?.is_some() {
        return Err(AppError::rejected(409, "slug", "这个链接名已被其他活动使用"));
    }
    let now = now();
    let new = NewCampaign {
        slug: &slug,
        unit_code: unit.as_ref(),
        title: &title,
        description: &description,
        schedule,
        voter_rule,
        votes_per_day,
        votes_per_candidate,
        expert_weight_pct,
        created_by: Some(actor.member_id),
        works,
    };
    store.insert_campaign(&new, now).await.map_err(|e| AppError::from_store("create_campaign", e))?;
    store
        .audit(Some(actor.member_id), "创建投票活动", &format!("{title}（/v/{slug}）"), "", None, now)
        .await
        .map_err(|e| AppError::from_store("create_campaign", e))?;
    Ok(slug)
}

/// An official nominates a candidate (approved and numbered at once).
pub async fn nominate(
    store: &Store,
    campaign: &Campaign,
    actor: &Actor,
    nomination: &Nomination,
) -> Result<String, AppError> {
    let name = domain::MemberName::parse(nomination.name.trim()).map_err(|e| bad("name", e.to_string()))?;
    let unit = UnitCode::parse(nomination.unit.trim()).map_err(|_| bad("unit", "请选择候选人所在单位"))?;
    if !store.unit_exists(&unit).await.map_err(|e| AppError::from_store("nominate", e))? {
        return Err(bad("unit", "所选单位不存在"));
    }
    // A campaign's candidates come from its own unit and the units below it
    // (and so from within the official's reach).
    if !store.unit_in_campaign_subtree(campaign.id, &unit).await.map_err(|e| AppError::from_store("nominate", e))? {
        return Err(AppError::rejected(403, "unit", format!("候选人所在单位应为{}及其下级单位", campaign.unit_name)));
    }
    let title = short_text(&nomination.title, "title", "职务或工种", 30)?;
    let story = story_html(&nomination.story)?;
    let candidate =
        NewCandidate { number: 0, name: name.as_ref(), unit_code: unit.as_ref(), title: &title, story_html: &story };
    let number = store
        .nominate_candidate(campaign.id, &candidate, actor.member_id, now())
        .await
        .map_err(|e| AppError::from_store("nominate", e))?;
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok(format!("已提名 {number:02} 号候选人 {}", name.as_ref()))
}

/// A certified member signs up during 报名; officials review it.
pub async fn sign_up(
    store: &Store,
    campaign: &Campaign,
    member: MemberId,
    title: &str,
    story: &str,
    picture: Option<&[u8]>,
) -> Result<String, AppError> {
    if campaign.schedule.phase_at(now()) != Phase::SignUp {
        return Err(AppError::rejected(403, "", "现在不是报名时间"));
    }
    let me =
        store.member_by_id(member).await.map_err(|e| AppError::from_store("sign_up", e))?.ok_or(AppError::Internal)?;
    if me.certified_member_no.is_none() {
        return Err(AppError::rejected(403, "", "报名参选需先完成实名认证"));
    }
    let title = short_text(title, "title", if campaign.works { "作品名称" } else { "职务或工种" }, 30)?;
    let story = story_html(story)?;
    // A work is judged by its picture: required, an image by its content,
    // re-encoded upright without EXIF (the GPS position) with a 320 px
    // thumbnail for the gallery — before anything is stored.
    let pictures = match (campaign.works, picture) {
        (false, _) => None,
        (true, picture) => {
            let bytes = picture.filter(|b| !b.is_empty()).ok_or_else(|| bad("photo", "请选择作品图片"))?;
            crate::certification::service::check_photo(Some(bytes)).map_err(|e| {
                AppError::rejected(e.status_code(), "photo", "请上传 JPG、PNG 或 WebP 格式、8 MB 以内的作品图片")
            })?;
            let owned = bytes.to_vec();
            let clean = tokio::task::spawn_blocking(move || crate::newsroom::media::clean_photo_bytes(&owned))
                .await
                .map_err(|_| AppError::Internal)?
                .map_err(|_| bad("photo", "这张图片无法读取，请换一张"))?;
            Some(clean)
        }
    };
    let id = store
        .sign_up_candidate(campaign.id, member, &title, &story, now())
        .await
        .map_err(|e| AppError::from_store("sign_up", e))?;
    let Some(id) = id else {
        return Err(AppError::rejected(409, "", "您已报名本次活动，请等待审核"));
    };
    if let Some(clean) = pictures {
        let err = |e| AppError::from_store("sign_up", e);
        let largest = clean.thumbs.last().map_or(clean.bytes.as_slice(), |(_, b)| b.as_slice());
        let content_type = if clean.thumbs.is_empty() { clean.content_type } else { "image/jpeg" };
        store.put_media(store::MediaKind::Candidate, id, content_type, largest, now()).await.map_err(err)?;
        if let Some((_, thumb)) = clean.thumbs.first() {
            store.put_media(store::MediaKind::EntryThumb, id, "image/jpeg", thumb, now()).await.map_err(err)?;
        }
    }
    Ok(if campaign.works {
        "作品已提交，审核通过后将在展厅展出"
    } else {
        "报名已提交，审核通过后将获得候选人编号"
    }
    .to_owned())
}

/// Gives approved candidate `id` an award (empty: none) before publication.
pub async fn set_award(
    store: &Store,
    campaign: &Campaign,
    actor: &Actor,
    id: &str,
    award: &str,
) -> Result<String, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::rejected(404, "", "没有这位候选人"))?;
    let award = match award.trim() {
        "" => None,
        a => Some(
            crate::voting::model::AWARDS.iter().copied().find(|x| *x == a).ok_or_else(|| bad("award", "请选择奖项"))?,
        ),
    };
    let done = store
        .set_award(actor.member_id, campaign.id, id, award, now())
        .await
        .map_err(|e| AppError::from_store("set_award", e))?;
    if !done {
        return Err(AppError::rejected(409, "award", "获奖名单已公布，或这件作品未通过审核"));
    }
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok(format!("已评定：{}", award.unwrap_or("无奖项")))
}

/// Publishes the awards once voting has ended.
pub async fn publish_awards(store: &Store, campaign: &Campaign, actor: &Actor) -> Result<String, AppError> {
    if !matches!(campaign.schedule.phase_at(now()), Phase::Publicity | Phase::Closed) {
        return Err(AppError::rejected(409, "", "投票结束后才能公布获奖名单"));
    }
    let done = store
        .publish_awards(actor.member_id, campaign.id, now())
        .await
        .map_err(|e| AppError::from_store("publish_awards", e))?;
    if !done {
        return Err(AppError::rejected(409, "", "获奖名单已经公布过了"));
    }
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok("获奖名单已公布".to_owned())
}

/// Approves (`approve`) or rejects a pending sign-up.
pub async fn review(
    store: &Store,
    campaign: &Campaign,
    actor: &Actor,
    id: &str,
    approve: bool,
) -> Result<String, AppError> {
    let id: i64 = id.parse().map_err(|_| bad("", "报名记录无法识别"))?;
    let done = store
        .review_candidate(campaign.id, id, approve, actor.member_id, now())
        .await
        .map_err(|e| AppError::from_store("review_candidate", e))?;
    if !done {
        return Err(AppError::rejected(404, "", "这条报名已处理，或不存在"));
    }
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok(if approve { "已通过报名，候选人已编号".to_owned() } else { "已驳回报名".to_owned() })
}

/// Stores a picture for the campaign (`candidate` = None: its cover) or one
/// of its candidates. Judged by its content like the union-card photos.
pub async fn upload_picture(
    store: &Store,
    campaign: &Campaign,
    actor: &Actor,
    candidate: Option<&str>,
    photo: Option<&[u8]>,
) -> Result<String, AppError> {
    let content_type = crate::certification::service::check_photo(photo)?;
    let bytes = photo.unwrap_or_default();
    let now = now();
    let (kind, owner, what) = match candidate {
        None => (store::MediaKind::Campaign, campaign.id, "活动封面".to_owned()),
        Some(id) => {
            let id: i64 = id.parse().map_err(|_| AppError::rejected(404, "", "没有这位候选人"))?;
            let all = store.all_candidates(campaign.id).await.map_err(|e| AppError::from_store("upload_picture", e))?;
            let found =
                all.into_iter().find(|c| c.id == id).ok_or_else(|| AppError::rejected(404, "", "没有这位候选人"))?;
            (store::MediaKind::Candidate, id, format!("{} 的照片", found.name))
        }
    };
    store
        .put_media(kind, owner, content_type, bytes, now)
        .await
        .map_err(|e| AppError::from_store("upload_picture", e))?;
    store
        .audit(Some(actor.member_id), "上传图片", &format!("活动 #{}，{what}", campaign.id), "", None, now)
        .await
        .map_err(|e| AppError::from_store("upload_picture", e))?;
    crate::voting::caches::campaign_changed(store, campaign.id).await;
    Ok(format!("已上传{what}"))
}
