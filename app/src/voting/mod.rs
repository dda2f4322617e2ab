//! 评选投票: campaigns, candidates, votes, anti-fraud, results.
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
#[cfg(feature = "ssr")]
pub mod caches;
#[cfg(feature = "ssr")]
pub mod campaigns;
#[cfg(feature = "ssr")]
pub mod fraud;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
