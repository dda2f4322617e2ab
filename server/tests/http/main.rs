//! Gonghui's HTTP tests: the real `gonghui` binary per test, driven over
//! real TCP on SQLite and PostgreSQL (a fresh database per test), one module
//! per feature. One test binary rather than one per file: linking thirteen
//! binaries dominated a warm `make test` on two cores.

#[macro_use]
mod support;

mod accounts;
mod activities;
mod api_twins;
mod apps;
mod backup;
mod benefits;
mod binary;
mod campaigns;
mod contests;
mod desk;
mod faults;
mod form_actions;
mod fraud;
mod lessons;
mod mailboxes;
mod newsroom;
mod nginx;
mod officials;
mod openapi;
mod operations;
mod outward;
mod posters;
mod processes;
mod publishing;
mod raw_text;
mod reach;
mod review;
mod roster;
mod rotation;
mod site;
mod sms_gateway;
mod stats;
mod units_import;
mod voting;
mod wishes;
