//! 惠员福利: benefits an official offers to the certified members of their
//! subtree (生日蛋糕, 1元观影, 健康体检), claimed from 服务 or the 惠员卡 within
//! database-held quotas, shown as a signed QR code and redeemed once at the
//! partner merchant, whose scanner page checks codes offline.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
#[cfg(feature = "ssr")]
pub mod codes;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
