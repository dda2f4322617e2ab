//! 新闻宣传: the newsroom desk — correspondents (信息员), stories (报送单) with
//! their attachments from the asset library (素材库), their three-level
//! review (先审后发, held by the database), reporting up (报送上级), calls for
//! stories (征集), and the officials' figures: the quarterly 通报, 稿酬 and
//! 优秀信息员 — and publishing (issue 13): channels, the member feed, article
//! pages, likes, pre-moderated comments with watched words (舆情), 下发 and
//! 转载, propagation tracking. docs/ARCHITECTURE.md tells how.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
#[cfg(feature = "ssr")]
pub mod figures;
#[cfg(feature = "ssr")]
pub mod media;
pub mod model;
#[cfg(feature = "ssr")]
pub mod outward;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod publishing;
#[cfg(feature = "ssr")]
pub mod rankings;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod syndication;
