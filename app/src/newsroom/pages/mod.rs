pub mod assets;
pub mod autosave;
pub mod correspondents;
pub mod desk;
pub mod figures;
pub mod review;
