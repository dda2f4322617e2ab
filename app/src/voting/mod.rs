//! 评选投票: campaigns, candidates, votes, anti-fraud, results.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod caches;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod fraud;
#[cfg(feature = "ssr")]
pub mod campaigns;
pub mod pages;
