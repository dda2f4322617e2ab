//! 新闻宣传: the newsroom desk — correspondents (信息员), stories (报送单) and
//! their three-level review (先审后发). Issue 12, under way: correspondents
//! apply and officials decide; the stories' review is held by the store.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
#[cfg(feature = "ssr")]
pub mod figures;
#[cfg(feature = "ssr")]
pub mod media;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
