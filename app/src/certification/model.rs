//! The certification feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use serde::{Deserialize, Serialize};

/// A member's latest manual request, as /certify and 我的 show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestView {
    /// Waiting for an official.
    pub pending: bool,
    /// The official's reason, when rejected (the member may try again).
    pub rejected_reason: Option<String>,
    pub submitted: String,
}

/// One request in an official's review queue. The ID number is masked; the
/// photo is fetched from `/admin/certify/{id}/photo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueRow {
    pub id: i64,
    pub name: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub unit_name: String,
    pub submitted: String,
    /// What the roster says about this ID number, for the official.
    pub roster_hint: String,
    /// Approving cannot work: the ID number certifies another account.
    pub conflict: bool,
}

/// A checked roster file waiting for confirmation (`admin/roster/preview`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RosterPreview {
    /// 检查完成：可导入 n 人…
    pub notice: String,
    /// Confirms this file once (`admin/roster/confirm`).
    pub token: String,
    /// The rows that will not be imported, and why.
    pub problems: Vec<String>,
}

/// A request's full ID number, shown once and audited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RevealedId {
    pub notice: String,
    pub revealed: String,
}
