//! Server functions: the app's HTTP API. Every one has an explicit, stable
//! endpoint under `/api/` (listed in docs/API.md) so native app webviews and
//! other clients can call it too.

use crate::error::AppError;
use leptos::prelude::*;

pub use super::model::*;

/// Most search results shown at once; a province has thousands of
/// grassroots unions and a phone screen holds a dozen.
pub const MAX_MATCHES: usize = 50;

#[server(prefix = "/api", endpoint = "union", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_union_profile() -> Result<UnionProfile, AppError> {
    let store = crate::context::store()?;
    let name = store
        .root_unit_name()
        .await
        .map_err(|e| AppError::from_store("load_union_profile", e))?
        .unwrap_or_else(|| "工会会员服务".to_owned());
    Ok(UnionProfile { name })
}

#[server(prefix = "/api", endpoint = "units", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_unit_directory(q: Option<String>) -> Result<UnitDirectory, AppError> {
    let store = crate::context::store()?;
    let units = store.units().await.map_err(|e| AppError::from_store("load_unit_directory", e))?;
    let mut counts = LevelCounts::default();
    for unit in &units {
        match unit.level {
            domain::UnitLevel::City => counts.city += 1,
            domain::UnitLevel::County => counts.county += 1,
            domain::UnitLevel::Grassroots => counts.grassroots += 1,
            domain::UnitLevel::Province => {}
        }
    }
    let query = q.map(|q| q.trim().chars().take(domain::MAX_QUERY_CHARS).collect::<String>()).filter(|q| !q.is_empty());
    let matches = match &query {
        Some(q) => domain::search_units(&units, q, MAX_MATCHES),
        None => Vec::new(),
    };
    // A search answers with its matches only: the whole tree is what a
    // phone should not download when it asked for one unit.
    let tree = if query.is_some() {
        Vec::new()
    } else {
        let forest = domain::UnitNode::forest(&units);
        match forest.len() {
            1 => forest.into_iter().next().map(|root| root.children).unwrap_or_default(),
            _ => forest,
        }
    };
    Ok(UnitDirectory { counts, tree, query, matches })
}
