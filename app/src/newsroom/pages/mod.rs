pub mod correspondents;
pub mod desk;
