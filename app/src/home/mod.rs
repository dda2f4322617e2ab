//! 首页: the union and its unit directory.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
pub mod pages;
