//! 实名认证: the roster (imports), automatic certification against it, manual review of card photos.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
#[cfg(feature = "ssr")]
pub mod imports;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod roster;
#[cfg(feature = "ssr")]
pub mod service;
