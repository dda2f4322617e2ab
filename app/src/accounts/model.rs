//! The accounts feature's view types: what its server functions answer and its
//! pages show. Plain data (serde), compiled for the browser and the server alike;
//! the service builds them, so they sit below both.

use serde::{Deserialize, Serialize};

/// The signed-in member, as shown on 我的. The phone is masked here already:
/// the full number never travels to the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub name: String,
    pub phone_masked: String,
    pub unit_name: String,
    /// 实名认证: linked to a roster entry.
    pub certified: bool,
    /// The roster's member number (会员编号), once certified.
    pub member_no: Option<String>,
    /// An official or super admin: 我的 links to 管理.
    pub is_official: bool,
}

/// What a code request answers: where the code went and when to ask again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// What the page says, e.g. 验证码已发送至 138****8000，5 分钟内有效.
    pub notice: String,
    pub phone_masked: String,
    pub resend_after_secs: i64,
}
