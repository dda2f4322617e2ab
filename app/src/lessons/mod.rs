//! 学吧 (工会知识微课堂): courses of short lessons for the members of a unit's
//! subtree; each lesson ends with a quiz of 3–5 questions whose right
//! answers are checked on the server (never sent to the browser); a
//! member's progress (read, passed) and per-unit completion for officials.
//!
//! pages → api → service → store/domain; `model` holds the view types.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
