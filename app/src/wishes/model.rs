//! The wishes feature's view types (serde; browser and server alike).

use serde::{Deserialize, Serialize};

/// The most a wish may be worth, in yuan: 微心愿 are small (a school bag,
/// a winter coat, a health check), so a donor can fulfil one alone.
pub const MAX_WISH_YUAN: i32 = 500;

/// A wish as the public and its donor see it: no name of the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WishCard {
    pub id: i64,
    pub title: String,
    pub reason: String,
    pub value_yuan: i64,
    pub unit_name: String,
    /// 0 待审核, 1 待认领, 2 已认领, 3 已实现; -1 未通过.
    pub stage: i8,
    pub stage_label: String,
    /// The donor, masked (王*), once claimed.
    pub donor: Option<String>,
    pub photo_url: Option<String>,
    /// (step, when) for the progress line.
    pub steps: Vec<(String, String)>,
    pub can_claim: bool,
    pub review_note: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WishesView {
    pub signed_in: bool,
    pub certified: bool,
    pub wishes: Vec<WishCard>,
    /// The member's own wishes (any stage).
    pub mine: Vec<WishCard>,
}

/// A wish as officials see it (the person's name included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WishAdminRow {
    pub card: WishCard,
    pub member_name: String,
}
