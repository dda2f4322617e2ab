//! The newsroom as pages and the JSON API see it. The rules are in
//! `newsroom::service`.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

mod articles;
mod assets;
mod figures;
mod flow;
mod moderation;
mod outward;
mod rankings;
pub use articles::*;
pub use assets::*;
pub use figures::*;
pub use flow::*;
pub use moderation::*;
pub use outward::*;
pub use rankings::*;

/// The signed-in member's way into the desk: certified or not, and their
/// correspondent record.
#[server(prefix = "/api", endpoint = "newsroom/desk", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_desk() -> Result<DeskView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let me =
        store.member_by_id(member).await.map_err(|e| AppError::from_store("desk", e))?.ok_or(AppError::Internal)?;
    let own = store.own_correspondent(member).await.map_err(|e| AppError::from_store("desk", e))?;
    Ok(DeskView {
        certified: me.certified_member_no.is_some(),
        unit_name: me.unit_name,
        own: own.map(|o| OwnCorrespondentView { status: o.status, unit_name: o.unit_name, reason: o.reason }),
    })
}

/// A certified member applies to be their unit's correspondent with the
/// fields of the 信息员登记表 (docs/API.md). Answers the notice.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "newsroom/correspondents/apply")]
pub async fn apply_correspondent(
    name: String,
    gender: String,
    birth_month: String,
    education: String,
    union_post: String,
    job_title: String,
    phone: String,
    email: String,
    id_number: String,
    interests: String,
    website: Option<String>,
    wechat_name: Option<String>,
    wechat_id: Option<String>,
    weibo: Option<String>,
    newspaper: Option<String>,
    magazine: Option<String>,
    other_channel: Option<String>,
    intro: Option<String>,
) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let key = crate::context::services()?.data_key.clone();
    let form = crate::newsroom::service::Application {
        name,
        gender,
        birth_month,
        education,
        union_post,
        job_title,
        phone,
        email,
        id_number,
        interests,
        website: website.unwrap_or_default(),
        wechat_name: wechat_name.unwrap_or_default(),
        wechat_id: wechat_id.unwrap_or_default(),
        weibo: weibo.unwrap_or_default(),
        newspaper: newspaper.unwrap_or_default(),
        magazine: magazine.unwrap_or_default(),
        other_channel: other_channel.unwrap_or_default(),
        intro: intro.unwrap_or_default(),
    };
    crate::newsroom::service::apply(&store, &key, member, &form).await
}

/// An official appoints a correspondent directly: the 登记表's fields, for
/// the certified member whose registered phone is `phone` (a unit in the
/// official's reach). Approved at once and audited. The notice.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "admin/correspondents/appoint")]
pub async fn appoint_correspondent(
    name: String,
    gender: String,
    birth_month: String,
    education: String,
    union_post: String,
    job_title: String,
    phone: String,
    email: String,
    id_number: String,
    interests: String,
    website: Option<String>,
    wechat_name: Option<String>,
    wechat_id: Option<String>,
    weibo: Option<String>,
    newspaper: Option<String>,
    magazine: Option<String>,
    other_channel: Option<String>,
    intro: Option<String>,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let key = crate::context::services()?.data_key.clone();
    let form = crate::newsroom::service::Application {
        name,
        gender,
        birth_month,
        education,
        union_post,
        job_title,
        phone,
        email,
        id_number,
        interests,
        website: website.unwrap_or_default(),
        wechat_name: wechat_name.unwrap_or_default(),
        wechat_id: wechat_id.unwrap_or_default(),
        weibo: weibo.unwrap_or_default(),
        newspaper: newspaper.unwrap_or_default(),
        magazine: magazine.unwrap_or_default(),
        other_channel: other_channel.unwrap_or_default(),
        intro: intro.unwrap_or_default(),
    };
    crate::newsroom::service::appoint(&store, &key, &actor, &form).await
}

/// Pending correspondent applications of units in the official's reach.
#[server(prefix = "/api", endpoint = "admin/correspondents", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_applications() -> Result<Vec<CorrespondentRow>, AppError> {
    let (store, actor) = crate::context::official().await?;
    let rows =
        store.correspondents_in_reach(&actor, "pending").await.map_err(|e| AppError::from_store("applications", e))?;
    Ok(rows
        .into_iter()
        .map(|r| CorrespondentRow {
            id: r.id,
            name: r.name,
            gender: r.gender,
            birth_month: r.birth_month,
            education: r.education,
            union_post: r.union_post,
            job_title: r.job_title,
            phone_masked: domain::Phone::parse(&r.phone).map(|p| p.masked()).unwrap_or_default(),
            email: r.email,
            id_masked: r.id_masked,
            interests: r.interests,
            unit_name: r.unit_name,
            submitted: crate::clock::date_time_in_shanghai(r.created_at),
        })
        .collect())
}

/// Approves application `id` (officials of its unit or above). Audited.
#[server(prefix = "/api", endpoint = "admin/correspondents/approve")]
pub async fn approve_correspondent(id: i64) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::newsroom::service::decide(&store, &actor, id, true, "").await
}

/// Refuses application `id` with a `reason` the member reads. Audited.
#[server(prefix = "/api", endpoint = "admin/correspondents/refuse")]
pub async fn refuse_correspondent(id: i64, reason: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::newsroom::service::decide(&store, &actor, id, false, &reason).await
}

/// The signed-in member's stories, newest first.
#[server(prefix = "/api", endpoint = "newsroom/stories/mine", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_my_stories() -> Result<Vec<StoryRow>, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let err = |e| AppError::from_store("my_stories", e);
    let stories: Vec<_> = store.stories_of(member).await.map_err(err)?.into_iter().take(MY_STORIES).collect();
    let ids: Vec<i64> = stories.iter().map(|s| s.id).collect();
    let mut attached = assets::views_by_story(store.assets_of_stories(&ids).await.map_err(err)?);
    let mut rows = Vec::new();
    for s in stories {
        let assets = attached.remove(&s.id).unwrap_or_default();
        rows.push(StoryRow {
            assets,
            status_label: status_label(&s.status).to_owned(),
            id: s.id,
            title: s.title,
            body: s.body_md,
            excerpt: s.excerpt,
            kind: s.kind,
            event_date: s.event_date,
            outward: s.outward,
            status: s.status,
            version: s.version,
            late: s.late,
            updated: crate::clock::date_time_in_shanghai(s.updated_at),
            comment: s.last_comment.filter(|c| !c.is_empty()),
        });
    }
    Ok(rows)
}

/// The most stories listed on a member's desk.
#[cfg(feature = "ssr")]
const MY_STORIES: usize = 50;

#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn story_form(
    title: String,
    body: String,
    excerpt: Option<String>,
    kind: String,
    event_date: String,
    outward: Option<String>,
    assets: Option<Vec<i64>>,
    call: Option<String>,
) -> Result<crate::newsroom::service::StoryForm, AppError> {
    let call = match call.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(raw) => Some(raw.parse().map_err(|_| AppError::rejected(400, "call", "请选择征稿"))?),
    };
    Ok(crate::newsroom::service::StoryForm {
        title,
        body,
        excerpt: excerpt.unwrap_or_default(),
        kind,
        event_date,
        outward: outward.is_some_and(|o| o == "1" || o == "on" || o == "true"),
        assets: assets.unwrap_or_default(),
        call,
    })
}

/// A correspondent (or editor) submits a story (报送单) to their unit's desk:
/// `title` (≤ 60), `body` (Markdown), `excerpt` (optional: made from the
/// body), `kind`, `event_date` (`YYYY-MM-DD`), `outward` (present: may be used
/// outside the union), `assets[]` (library assets to attach), `call` (the
/// 征集 it answers), `id` (the draft it was, if any). It enters the unit's
/// review chain. The notice.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "newsroom/stories/submit")]
pub async fn submit_story(
    id: Option<i64>,
    title: String,
    body: String,
    excerpt: Option<String>,
    kind: String,
    event_date: String,
    outward: Option<String>,
    assets: Option<Vec<i64>>,
    call: Option<String>,
) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let form = story_form(title, body, excerpt, kind, event_date, outward, assets, call)?;
    let sent = crate::newsroom::service::write(&store, member, id, &form, crate::newsroom::service::Send::Review).await;
    Ok(sent?.1)
}

/// Keeps a story as a draft (the fields of `newsroom/stories/submit`, any
/// may be incomplete): a new one, or the draft `id`. Autosave posts here
/// too. Answers the draft's id and the notice.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "newsroom/stories/save")]
pub async fn save_draft(
    id: Option<i64>,
    title: String,
    body: String,
    excerpt: Option<String>,
    kind: Option<String>,
    event_date: Option<String>,
    outward: Option<String>,
    assets: Option<Vec<i64>>,
    call: Option<String>,
) -> Result<SavedDraft, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let form = story_form(
        title,
        body,
        excerpt,
        kind.unwrap_or_default(),
        event_date.unwrap_or_default(),
        outward,
        assets,
        call,
    )?;
    let (id, notice) =
        crate::newsroom::service::write(&store, member, id, &form, crate::newsroom::service::Send::Draft).await?;
    Ok(SavedDraft { id, notice })
}

/// The author changes returned story `id` and submits it again. The notice.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "newsroom/stories/resubmit")]
pub async fn resubmit_story(
    id: i64,
    title: String,
    body: String,
    excerpt: Option<String>,
    kind: String,
    event_date: String,
    outward: Option<String>,
    assets: Option<Vec<i64>>,
) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let form = story_form(title, body, excerpt, kind, event_date, outward, assets, None)?;
    crate::newsroom::service::resubmit(&store, member, id, &form).await
}

/// The stories waiting for a step the signed-in member may take, oldest first.
#[server(prefix = "/api", endpoint = "newsroom/review", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_review_queue() -> Result<Vec<ReviewItem>, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let err = |e| AppError::from_store("review_queue", e);
    let now = crate::clock::now();
    let queue = store.review_queue(member, now).await.map_err(err)?;
    let ids: Vec<i64> = queue.iter().map(|s| s.id).collect();
    let mut attached = assets::views_by_story(store.assets_of_stories(&ids).await.map_err(err)?);
    let mut items = Vec::new();
    for s in queue {
        let assets = attached.remove(&s.id).unwrap_or_default();
        // Only a resubmitted story (version 2 on) has a returned one to compare with.
        let returned = if s.version > 1 { store.story_version(s.id, s.version - 1).await.map_err(err)? } else { None };
        let changes = match returned {
            Some((title, body)) => {
                let (now_title, now_body) = store.story_text(s.id).await.map_err(err)?;
                crate::newsroom::service::diff(&format!("{title}\n\n{body}"), &format!("{now_title}\n\n{now_body}"))
            }
            None => Vec::new(),
        };
        items.push(ReviewItem {
            assets,
            changes,
            locked_by: s.locked_by,
            step_label: match store::NewsroomRole::for_step(s.next_step, s.steps) {
                store::NewsroomRole::Editor => "初审",
                store::NewsroomRole::Second => "复审",
                store::NewsroomRole::Final => "终审",
            }
            .to_owned(),
            id: s.id,
            version: s.version,
            title: s.title,
            body_html: s.body_html,
            desk_unit_name: s.desk_unit_name,
            author_name: s.author_name,
            late: s.late,
            submitted: crate::clock::date_time_in_shanghai(s.submitted_at),
            waiting: waited(now - s.waiting_since),
        });
    }
    Ok(items)
}

/// Stories adopted at desks where the signed-in member is 责任编辑: to
/// report up (报送上级) or record outside adoptions.
#[server(prefix = "/api", endpoint = "newsroom/adopted", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_adopted() -> Result<Vec<AdoptedItem>, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let stories = store.adopted_for_editor(member, 30).await.map_err(|e| AppError::from_store("adopted", e))?;
    Ok(stories
        .into_iter()
        .map(|s| AdoptedItem {
            id: s.id,
            title: s.title,
            desk_unit_name: s.desk_unit_name,
            author_name: s.author_name,
            outward: s.outward,
            has_parent: s.has_parent,
            is_editor: s.is_editor,
        })
        .collect())
}

/// Approves the step story `id` (version `version`) waits for.
#[server(prefix = "/api", endpoint = "newsroom/review/approve")]
pub async fn approve_story(id: i64, version: i64) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::service::decide_story(&store, member, id, version, "approve", "").await
}

/// Takes story `id` up for review (审核中): for the next 15 minutes other
/// reviewers see who has it and cannot decide it. The notice.
#[server(prefix = "/api", endpoint = "newsroom/review/take")]
pub async fn take_story(id: i64) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::service::take_story(&store, member, id).await
}

/// Returns story `id` to its author for changes, with `comment` (退回修改).
#[server(prefix = "/api", endpoint = "newsroom/review/return")]
pub async fn return_story(id: i64, version: i64, comment: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::service::decide_story(&store, member, id, version, "return", &comment).await
}

/// Keeps story `id` for later (待用), `comment` optional.
#[server(prefix = "/api", endpoint = "newsroom/review/hold")]
pub async fn hold_story(id: i64, version: i64, comment: Option<String>) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::service::decide_story(&store, member, id, version, "hold", &comment.unwrap_or_default()).await
}

/// Rejects story `id` with `comment` as the reason (退稿).
#[server(prefix = "/api", endpoint = "newsroom/review/reject")]
pub async fn reject_story(id: i64, version: i64, comment: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::service::decide_story(&store, member, id, version, "reject", &comment).await
}

/// Gives the member with `phone` a newsroom `role` (`editor`, `second`,
/// `final`) on `unit` (a unit code in the official's reach). Audited.
/// An official sets how many review steps (`steps`: 1 一审, 2 二审, 3
/// 三审) the stories of unit `unit` (in reach) and the units below it
/// without their own setting pass. Audited. The notice.
#[server(prefix = "/api", endpoint = "admin/newsroom/chain")]
pub async fn set_review_chain(unit: String, steps: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let steps: i64 = match steps.trim() {
        "1" => 1,
        "2" => 2,
        "3" => 3,
        _ => return Err(AppError::rejected(400, "steps", "请选择审核级数")),
    };
    let code = domain::UnitCode::parse(unit.trim()).map_err(|_| AppError::rejected(400, "unit", "请选择单位"))?;
    let err = |e| AppError::from_store("review_chain", e);
    if !store.unit_in_scope(&actor, &code).await.map_err(err)? {
        return Err(AppError::rejected(403, "unit", "只能设置您管理的单位"));
    }
    store.set_review_chain(code.as_ref(), steps).await.map_err(err)?;
    let label = ["一审", "二审", "三审"][(steps - 1) as usize];
    store
        .audit(Some(actor.member_id), "设置审核流程", code.as_ref(), label, None, crate::clock::now())
        .await
        .map_err(err)?;
    Ok(format!("已设置：本单位及未单独设置的下级单位稿件实行{label}"))
}

#[server(prefix = "/api", endpoint = "admin/newsroom/roles")]
pub async fn grant_newsroom_role(phone: String, unit: String, role: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::newsroom::service::grant_role(&store, &actor, &phone, &unit, &role).await
}

/// The units an official may give newsroom roles on: (code, name).
#[server(prefix = "/api", endpoint = "admin/newsroom/units", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_role_units() -> Result<Vec<(String, String)>, AppError> {
    let (store, actor) = crate::context::official().await?;
    let units = store.units_in_scope(&actor).await.map_err(|e| AppError::from_store("role_units", e))?;
    Ok(units.into_iter().map(|(code, name, _)| (code, name)).collect())
}

/// The latest review decisions on the signed-in member's stories (none when
/// signed out), for 我的.
#[server(prefix = "/api", endpoint = "newsroom/notices", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_story_notices() -> Result<Vec<StoryNoticeView>, AppError> {
    let store = crate::context::store()?;
    let Some(member) = crate::accounts::session::member(&store, &crate::context::session().await?).await? else {
        return Ok(Vec::new());
    };
    let notices = store.story_notices(member, 5).await.map_err(|e| AppError::from_store("story_notices", e))?;
    Ok(notices
        .into_iter()
        .map(|n| {
            let what = match n.decision.as_str() {
                "approve" if n.step >= n.steps => "已采用".to_owned(),
                "approve" => format!("通过{}", if n.step == 1 { "初审" } else { "复审" }),
                "return" => "退回修改".to_owned(),
                "hold" => "待用".to_owned(),
                _ => "退稿".to_owned(),
            };
            StoryNoticeView {
                text: format!("《{}》{what}", n.title),
                comment: Some(n.comment).filter(|c| !c.is_empty()),
                at: crate::clock::date_time_in_shanghai(n.at),
            }
        })
        .collect())
}
