//! The home feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use domain::{UnitMatch, UnitNode};
use serde::{Deserialize, Serialize};

/// The union this portal serves: the root of the unit tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnionProfile {
    /// e.g. 山东省总工会; a neutral title before any unit is imported.
    pub name: String,
}

/// How many units of each level the union has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LevelCounts {
    pub city: usize,
    pub county: usize,
    pub grassroots: usize,
}

/// The home page's unit directory: the whole tree, or the units matching a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitDirectory {
    pub counts: LevelCounts,
    /// The root's children and below (the root itself is the header);
    /// empty when searching.
    pub tree: Vec<UnitNode>,
    /// The search as understood (trimmed); `None` when not searching.
    pub query: Option<String>,
    pub matches: Vec<UnitMatch>,
}
