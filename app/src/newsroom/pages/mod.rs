pub mod correspondents;
pub mod desk;
pub mod review;
