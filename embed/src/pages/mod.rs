//! One module per page, as in app/src/<feature>/pages.

pub mod card;
pub mod certify;
pub mod home;
pub mod me;
pub mod register;
pub mod services;
pub mod signin;
pub mod vote;
