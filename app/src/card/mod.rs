//! 惠员卡: the member's e-card and its public check.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
