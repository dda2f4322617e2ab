//! Roster imports (名册导入): a file is checked against the rules and the
//! official's reach, kept sealed until confirmed, then imported in one
//! transaction (audited) — in the background with a progress page when large.

use std::collections::HashSet;

use domain::{IdNumber, RosterEntry};
use store::Actor;

use crate::context::Services;
use crate::error::AppError;

/// Problems listed on the preview page; the rest are counted.
pub const PROBLEMS_SHOWN: usize = 100;

/// Rosters this large import in the background with a progress page; smaller
/// ones (well under a second) answer the confirming post directly.
pub const BACKGROUND_FROM: usize = 2000;

/// A checked file waiting for confirmation.
#[derive(Debug)]
pub struct Preview {
    /// `检查完成：可导入 n 人…`
    pub notice: String,
    /// The one-time token that confirms this file.
    pub token: String,
    /// The problems shown (at most `PROBLEMS_SHOWN`, then a count).
    pub problems: Vec<String>,
}

/// How a confirmation went.
#[derive(Debug)]
pub enum Confirmed {
    /// Imported; the notice says how many were added and updated.
    Done(String),
    /// A large roster importing in the background as job `job`.
    Background { job: String },
}

fn file_error(message: impl Into<String>) -> AppError {
    AppError::Rejected { status: 400, field: "file".into(), message: message.into() }
}

/// Checks a roster file: the good entries, and every problem as text (line order).
pub async fn check_file(
    services: &Services,
    actor: &Actor,
    bytes: &[u8],
) -> Result<(Vec<RosterEntry>, Vec<String>), AppError> {
    let store = &services.store;
    let rows = crate::spreadsheet::read_roster_file(bytes).map_err(|e| file_error(e.to_string()))?;
    if rows.is_empty() {
        return Err(file_error("文件中没有任何会员"));
    }
    let (entries, row_errors) = domain::check_roster(&rows, crate::clock::today_in_shanghai());
    let failed = |e| AppError::from_store("roster", e);
    let all_units: HashSet<String> =
        store.units().await.map_err(failed)?.into_iter().map(|u| u.code.to_string()).collect();
    let reach: HashSet<String> =
        store.units_in_scope(actor).await.map_err(failed)?.into_iter().map(|(code, _, _)| code).collect();
    // A person already on another unit's roster may only be changed by
    // whoever reaches that unit too, whatever unit the file gives them.
    let ids: Vec<&IdNumber> = entries.iter().map(|e| &e.id_number).collect();
    let owned_elsewhere = store.roster_entries_outside_reach(actor, &services.data_key, &ids).await.map_err(failed)?;
    let mut problems: Vec<(usize, String)> = row_errors.into_iter().map(|e| (e.line, e.to_string())).collect();
    let mut good = Vec::with_capacity(entries.len());
    for entry in entries {
        let code = entry.unit.to_string();
        if !all_units.contains(&code) {
            problems.push((entry.line, format!("第 {} 行：单位代码 {code} 不存在", entry.line)));
        } else if !reach.contains(&code) {
            problems.push((entry.line, format!("第 {} 行：单位 {code} 不在您的管理范围内", entry.line)));
        } else if let Some(unit) = owned_elsewhere.get(entry.id_number.expose()) {
            problems.push((entry.line, format!("第 {} 行：此人已在{unit}的名册中，不在您的管理范围内", entry.line)));
        } else {
            good.push(entry);
        }
    }
    problems.sort_by_key(|(line, _)| *line);
    Ok((good, problems.into_iter().map(|(_, p)| p).collect()))
}

/// Checks an uploaded file and keeps it sealed for confirmation. A refusal
/// comes with the problems to list (empty when the file was unreadable).
pub async fn preview(services: &Services, actor: &Actor, bytes: &[u8]) -> Result<Preview, (AppError, Vec<String>)> {
    let (good, problems) = check_file(services, actor, bytes).await.map_err(|e| (e, Vec::new()))?;
    let mut shown: Vec<String> = problems.iter().take(PROBLEMS_SHOWN).cloned().collect();
    if problems.len() > PROBLEMS_SHOWN {
        shown.push(format!("……另有 {} 个问题未列出", problems.len() - PROBLEMS_SHOWN));
    }
    if good.is_empty() {
        // Refused: the problems go into the message (the page shows it whole).
        let listed = if shown.is_empty() { String::new() } else { format!("：{}", shown.join("；")) };
        return Err((file_error(format!("没有可以导入的会员，请修改后重新上传{listed}")), shown));
    }
    let token = crate::random::token();
    let text = String::from_utf8_lossy(bytes);
    let now = crate::clock::now();
    if let Err(error) =
        services.store.save_pending_import(&token, actor.member_id, "roster", &text, &services.data_key, now).await
    {
        return Err((AppError::from_store("roster", error), shown));
    }
    let notice = format!(
        "检查完成：可导入 {} 人{}。请确认导入。",
        good.len(),
        if problems.is_empty() {
            String::new()
        } else {
            format!("，{} 处问题所在的行不会导入", problems.len())
        }
    );
    Ok(Preview { notice, token, problems: shown })
}

/// Imports the file waiting under `token` (the uploader's own), checked again:
/// the official's reach or the units may have changed since the preview.
pub async fn confirm(services: &Services, actor: &Actor, token: &str) -> Result<Confirmed, AppError> {
    let pending = services.store.take_pending_import(token, actor.member_id, "roster", &services.data_key).await;
    let text = pending
        .map_err(|e| AppError::from_store("roster", e))?
        .ok_or_else(|| file_error("这份文件已导入或已过期，请重新上传"))?;
    let (good, _) = check_file(services, actor, text.as_bytes()).await?;
    if good.len() < BACKGROUND_FROM {
        return import(services, actor, &good, |_| {}).await.map(Confirmed::Done);
    }
    // A large roster imports in the background; its page shows the progress.
    let done = services.imports.start(&services.store, token, actor.member_id, good.len()).await?;
    let (services, job, owner) = (services.clone(), token.to_owned(), actor.clone());
    tokio::spawn(async move {
        let progress = |n: usize| done.store(n, std::sync::atomic::Ordering::Relaxed);
        let outcome = import(&services, &owner, &good, progress).await.map_err(|e| e.to_string());
        drop(done);
        services.imports.finish(&services.store, &job, outcome).await;
    });
    Ok(Confirmed::Background { job: token.to_owned() })
}

/// Imports checked entries in one transaction and audits it; the notice.
async fn import(
    services: &Services,
    actor: &Actor,
    good: &[RosterEntry],
    progress: impl Fn(usize) + Send + Sync,
) -> Result<String, AppError> {
    let store = &services.store;
    let now = crate::clock::now();
    let reach = store.reach(actor).await.map_err(|e| AppError::from_store("roster", e))?;
    let refused = |status: u16, message: String| AppError::Rejected { status, field: "file".into(), message };
    match store.import_roster_with_progress(good, &services.data_key, &reach, now, progress).await {
        Ok(summary) => {
            let what = format!("新增 {} 人，更新 {} 人", summary.inserted, summary.updated);
            store
                .audit(Some(actor.member_id), "导入名册", &what, "", None, now)
                .await
                .map_err(|e| AppError::from_store("roster", e))?;
            Ok(format!("名册导入完成：{what}。"))
        }
        Err(store::RosterImportError::PhoneTaken(lines)) => Err(refused(
            409,
            format!(
                "以下各行的手机号已属于名册中的其他会员，未做任何修改：第 {} 行",
                lines.iter().map(ToString::to_string).collect::<Vec<_>>().join("、")
            ),
        )),
        Err(store::RosterImportError::OutsideReach(lines)) => Err(refused(
            403,
            format!(
                "以下各行的人员已在其他单位的名册中，不在您的管理范围内，未做任何修改：{}",
                lines.iter().map(|(line, unit)| format!("第 {line} 行（{unit}）")).collect::<Vec<_>>().join("、")
            ),
        )),
        Err(store::RosterImportError::UnknownUnit(code)) => {
            Err(refused(400, format!("单位代码 {code} 不存在，未做任何修改")))
        }
        Err(store::RosterImportError::Store(error)) => Err(AppError::from_store("roster", error)),
    }
}
