//! Figures for officials: the quarterly 通报 (page, CSV, print), the 稿酬
//! ledger and rate table, the year's 优秀信息员.

use crate::error::AppError;
use leptos::prelude::*;

use super::{LedgerView, QuarterReport};

/// The 通报 of `unit`'s subtree (a unit in the official's reach; default
/// their own) for `quarter` (`2026Q4`; default the current quarter).
#[server(prefix = "/api", endpoint = "admin/newsroom/report", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_quarter_report(unit: Option<String>, quarter: Option<String>) -> Result<QuarterReport, AppError> {
    let (store, actor) = crate::context::official().await?;
    let now = crate::clock::now();
    let period = crate::newsroom::figures::period(&store, &actor, unit.as_deref(), quarter.as_deref(), now).await?;
    crate::newsroom::figures::quarter_report(&store, &period, now).await
}

/// The 稿酬 ledger of `unit`'s subtree for `quarter`, with the unit's rates.
#[server(prefix = "/api", endpoint = "admin/newsroom/ledger", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_ledger(unit: Option<String>, quarter: Option<String>) -> Result<LedgerView, AppError> {
    let (store, actor) = crate::context::official().await?;
    let now = crate::clock::now();
    let period = crate::newsroom::figures::period(&store, &actor, unit.as_deref(), quarter.as_deref(), now).await?;
    let entries = crate::newsroom::figures::ledger(&store, &period).await?;
    let rates = store.payment_rates(&period.unit_code).await.map_err(|e| AppError::from_store("rates", e))?;
    Ok(LedgerView {
        rows: crate::newsroom::figures::ledger_rows(&entries),
        rates: rates
            .into_iter()
            .map(|r| super::RateLine {
                kind_label: super::label(super::KINDS, &r.kind),
                level_label: super::label(super::LEVELS, &r.level),
                kind: r.kind,
                level: r.level,
                yuan: super::yuan(r.fen),
            })
            .collect(),
        unit_name: period.unit_name,
        unit_code: period.unit_code,
        quarter: period.quarter.code(),
        quarter_label: period.quarter.to_string(),
    })
}

/// Sets `unit`'s 稿酬 rate for a story of `kind` adopted at `level` (`own`,
/// `parent`, `outside`) to `amount` yuan (two decimals at most). Stories
/// adopted before keep what they earned. Audited. The notice.
#[server(prefix = "/api", endpoint = "admin/newsroom/rates/set")]
pub async fn set_payment_rate(unit: String, kind: String, level: String, amount: String) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    crate::newsroom::service::set_rate(&store, &actor, &unit, &kind, &level, &amount).await
}
