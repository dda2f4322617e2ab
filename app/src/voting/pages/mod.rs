pub mod campaign_admin;
pub mod fraud;
pub mod public;
