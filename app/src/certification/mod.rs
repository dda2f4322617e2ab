//! 实名认证: the roster (imports), automatic certification against it, manual review of card photos.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod imports;
pub mod pages;
