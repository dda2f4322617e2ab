//! 信箱: 工会信箱 (a member writes to a union along their own path), 律师邮箱
//! (法吧: answered by the unit's lawyers or officials) and 说吧 (suggestions).
//! Letters are assigned, transferred up or down the tree and answered on a
//! working-day clock (`domain::working_days`, the calendar a table officials
//! keep); overdue letters rise to the units above; the writer rates the
//! answer, and with their consent it becomes a public Q&A with personal
//! details taken out. Watched words in letters raise 舆情 alerts.
//!
//! pages → api → service → store/domain; `model` holds the view types.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
