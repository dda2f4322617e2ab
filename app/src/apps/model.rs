//! What the apps feature's server functions answer (plain serde data).

use serde::{Deserialize, Serialize};

use crate::accounts::model::MemberView;

/// A signed-in app: the bearer token (shown once; only its hash is kept),
/// when it ends (Unix seconds), and who it signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppToken {
    pub token: String,
    pub expires_at: i64,
    pub member: MemberView,
}

/// A registered app as the super admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostAppView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub origins: Vec<String>,
    /// The ed25519 public key (base64), shortened for the list.
    pub key_hint: String,
    pub registered: String,
    pub active: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostAppsView {
    pub apps: Vec<HostAppView>,
}
