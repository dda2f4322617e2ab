//! The card feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CardView {
    pub name: String,
    pub member_no: String,
    pub unit_name: String,
    pub union_name: String,
}

/// What a scanned card says (masked details; valid now, or why not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CardCheckView {
    pub valid: bool,
    /// Why, in Chinese (valid, expired, not certified).
    pub verdict: String,
    pub name_masked: String,
    pub member_no: String,
    pub unit_name: String,
    pub issued: String,
}
