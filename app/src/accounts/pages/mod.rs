pub mod account;
pub mod code_flows;
pub mod register;
