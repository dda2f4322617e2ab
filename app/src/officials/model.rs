//! The officials feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberRow {
    pub name: String,
    pub phone_masked: String,
    pub unit_name: String,
    pub registered_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
}

/// What the SMS gateway refused, in Chinese, how often, and when last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsFailureRow {
    pub gateway: String,
    pub detail: String,
    pub count: i64,
    pub last_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AdminOverview {
    pub is_super_admin: bool,
    /// The units the official holds office in (names).
    pub offices: Vec<String>,
    pub query: String,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub members: Vec<MemberRow>,
    /// Units the official may appoint officials for: (code, name).
    pub units: Vec<(String, String)>,
    pub audit: Vec<AuditRow>,
    /// Verification codes the SMS gateway refused in the last 7 days, by
    /// what went wrong (super admins only; empty for others).
    pub sms_failures: Vec<SmsFailureRow>,
    /// The site's origin, for absolute invite links.
    pub origin: String,
}

/// A background roster import, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportProgress {
    pub total: usize,
    pub done: usize,
    /// Set once finished: the notice, or why nothing was imported.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<FinishedImport>))]
    pub outcome: Option<Result<String, String>>,
}

/// `Result<String, String>` as serde writes it (`{"Ok": notice}` or
/// `{"Err": reason}`), for /api/openapi.json: utoipa has no schema for `Result`.
#[cfg(feature = "ssr")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // only its schema is read
pub enum FinishedImport {
    Ok(String),
    Err(String),
}

/// A checked units file (`admin/units/preview`): the notice and the checked
/// text, which `admin/units/import` takes back to import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitsPreview {
    pub notice: String,
    pub csv: String,
}
