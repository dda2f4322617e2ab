//! 活动: trainings, 1元观影 screenings, sports. An official offers an
//! activity to the certified members of their subtree in sessions (place,
//! time, capacity, sign-up window); members sign up, wait in line when it
//! is full and move up when someone cancels; at the door an official's phone
//! checks them in from the signed QR code on their sign-up (offline too,
//! synced once online), and keeps the attendance list (CSV).
//!
//! pages → api → service → store/domain; `model` holds the view types all three share.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
