//! The stats feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use domain::stats::{SortKey, UnitStats};
use serde::{Deserialize, Serialize};

/// One unit and its child units, as an official's dashboard shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub focus: UnitStats,
    pub children: Vec<UnitStats>,
    pub sort: SortKey,
    pub ascending: bool,
    /// From the top of the official's reach down to the focus: (code, name).
    pub trail: Vec<(String, String)>,
}

/// The public ranking of one level's units by certification rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ranking {
    pub level: String,
    pub rows: Vec<UnitStats>,
    /// When these figures were counted (Asia/Shanghai).
    pub computed_at: String,
}
