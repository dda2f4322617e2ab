pub mod admin;
pub mod units_admin;
