pub mod admin;
pub mod door;
pub mod member;
