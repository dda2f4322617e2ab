//! Inside the union apps (issue 15): bearer tokens for app webviews and the
//! client-only bundle, the hand-off of a member an app has signed in
//! already, and the registered apps whose origins CORS lets call `/api`.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
