//! Stories moving beyond their desk: 报送上级, outside adoptions (外媒采用),
//! calls for stories (征集), and the edit lock.

use crate::error::AppError;
use leptos::prelude::*;

use super::{CallTargetView, CallView};

/// An editor over story `id`'s desk sends it, adopted there, to the parent
/// unit's desk (报送上级): it enters that unit's review chain as its next
/// version, with its history. The notice.
#[server(prefix = "/api", endpoint = "newsroom/stories/report-up")]
pub async fn report_story_up(id: i64) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    match store.report_story_up(member, id, crate::clock::now()).await {
        Ok(parent) => Ok(format!("已报送{parent}，进入其审核")),
        Err(store::ReportError::NotReady) => {
            Err(AppError::rejected(409, "", "只有本级已采用、尚未报送的稿件可以报送上级"))
        }
        Err(store::ReportError::NotEditor) => Err(AppError::rejected(403, "", "只有责任编辑可以报送上级")),
        Err(store::ReportError::NoParent) => Err(AppError::rejected(409, "", "本单位已是最上级")),
        Err(store::ReportError::Store(e)) => Err(AppError::from_store("report_up", e)),
    }
}

/// An editor records that outside medium `medium` (a newspaper, a site…)
/// adopted story `id` (外媒采用); refused for a story marked 对外宣传 否.
#[server(prefix = "/api", endpoint = "newsroom/stories/outside")]
pub async fn record_outside_adoption(id: i64, medium: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let medium = medium.trim();
    if medium.is_empty() || medium.chars().count() > 40 {
        return Err(AppError::rejected(400, "medium", "请填写采用的媒体名称（40 字以内）"));
    }
    let story = store.story_state(id).await.map_err(|e| AppError::from_store("outside", e))?;
    if story.is_none() {
        return Err(AppError::rejected(404, "", "没有这篇稿件"));
    }
    if !store.story_may_go_outside(id).await.map_err(|e| AppError::from_store("outside", e))? {
        return Err(AppError::rejected(409, "medium", "这篇稿件标为“对外宣传：否”，不能用于外部媒体"));
    }
    match store.record_outside_adoption(member, id, medium, crate::clock::now()).await {
        Ok(true) => Ok(format!("已记录：{medium}采用")),
        Ok(false) => Err(AppError::rejected(409, "", "只有责任编辑可以为已采用的稿件记录外部媒体采用（每家媒体一次）")),
        Err(e) => Err(AppError::from_store("outside", e)),
    }
}

/// An official issues a call for stories (征集) from `unit`: `topic`,
/// `details`, `deadline` (`YYYY-MM-DD`, today or later) and the target
/// units (`targets[]`, codes in reach; none: the unit's whole subtree).
#[server(prefix = "/api", endpoint = "admin/newsroom/calls")]
pub async fn create_story_call(
    unit: String,
    topic: String,
    details: Option<String>,
    deadline: String,
    targets: Option<Vec<String>>,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let topic = topic.trim();
    if topic.is_empty() || topic.chars().count() > 60 {
        return Err(AppError::rejected(400, "topic", "请填写征稿主题（60 字以内）"));
    }
    let details = details.unwrap_or_default();
    if details.chars().count() > 1000 {
        return Err(AppError::rejected(400, "details", "征稿说明不能超过 1000 字"));
    }
    let deadline = domain::CivilDate::parse_iso(&deadline)
        .filter(|d| *d >= crate::clock::today_in_shanghai())
        .ok_or_else(|| AppError::rejected(400, "deadline", "请选择截止日期（不能早于今天）"))?;
    let mut targets: Vec<String> =
        targets.unwrap_or_default().into_iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    targets.sort();
    targets.dedup();
    let made = store
        .create_story_call(&actor, unit.trim(), topic, details.trim(), &deadline.iso(), &targets, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("create_call", e))?;
    match made {
        Some(_) => Ok(format!("已发布征稿：{topic}（截止 {}）", deadline.iso())),
        None => Err(AppError::rejected(403, "unit", "只能向本单位及下级单位征稿")),
    }
}

/// Open calls for the signed-in correspondent's unit.
#[server(prefix = "/api", endpoint = "newsroom/calls", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_open_calls() -> Result<Vec<CallView>, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let Ok(unit) = crate::newsroom::service::desk_of(&store, member).await else {
        return Ok(Vec::new());
    };
    let today = crate::clock::today_in_shanghai().iso();
    let calls = store.open_calls_for(&unit, &today).await.map_err(|e| AppError::from_store("calls", e))?;
    Ok(calls.into_iter().map(call_view).collect())
}

#[cfg(feature = "ssr")]
fn call_view(c: store::StoryCall) -> CallView {
    CallView { id: c.id, unit_name: c.unit_name, topic: c.topic, details: c.details, deadline: c.deadline }
}

/// The calls issued in the official's reach, each with its target units
/// and how many stories each sent (0: not answered yet).
#[server(prefix = "/api", endpoint = "admin/newsroom/calls/list", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_calls() -> Result<Vec<(CallView, Vec<CallTargetView>)>, AppError> {
    let (store, actor) = crate::context::official().await?;
    let err = |e| AppError::from_store("calls", e);
    let mut out = Vec::new();
    for call in store.calls_in_reach(&actor).await.map_err(err)?.into_iter().take(20) {
        let targets = store.call_targets(&actor, call.id).await.map_err(err)?.unwrap_or_default();
        let targets =
            targets.into_iter().map(|t| CallTargetView { unit_name: t.unit_name, answers: t.answers }).collect();
        out.push((call_view(call), targets));
    }
    Ok(out)
}
