//! The newsroom's view types: what its server functions answer and its pages
//! show. Plain data (serde), compiled for the browser and the server alike.

use serde::{Deserialize, Serialize};

/// A member's way into the desk (/desk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskView {
    /// Only certified members may apply (实名认证 first).
    pub certified: bool,
    pub unit_name: String,
    /// Their latest correspondent record, if any.
    pub own: Option<OwnCorrespondentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnCorrespondentView {
    /// `pending`, `approved`, `refused` or `ended`.
    pub status: String,
    pub unit_name: String,
    pub reason: Option<String>,
}

/// An application in an official's list (ID number and phone masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrespondentRow {
    pub id: i64,
    pub name: String,
    pub gender: String,
    pub birth_month: String,
    pub education: String,
    pub union_post: String,
    pub job_title: String,
    pub phone_masked: String,
    pub email: String,
    pub id_masked: String,
    pub interests: String,
    pub unit_name: String,
    pub submitted: String,
}

/// The education levels the 登记表 offers.
pub const EDUCATION: &[&str] = &["初中及以下", "高中/中专", "大专", "本科", "硕士", "博士"];
