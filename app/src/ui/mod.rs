//! What every feature's pages share: the header and tab bar, form fields
//! and banners, the 404 and placeholder pages.

pub mod components;
pub mod forms;
pub mod placeholder;
pub mod share;
