//! 微心愿 (帮吧): a certified member in hardship — or an official on their
//! behalf — posts a small wish; officials review it; approved wishes are
//! public without the person's name; one donor claims each (a member, or an
//! outside donor an official names), fulfils it, and an official confirms
//! with a photo. The wish's page shows how far it got.
//!
//! pages → api → service → store/domain; `model` holds the view types.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
