pub mod certify;
pub mod review;
pub mod roster_admin;
