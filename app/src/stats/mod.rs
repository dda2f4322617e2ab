//! Statistics: the officials' dashboard and the public 公示 ranking.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
