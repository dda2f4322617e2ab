pub mod admin;
pub mod member;
pub mod partner;
