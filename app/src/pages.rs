//! One module per page.

mod account;
mod admin;
pub(crate) mod campaign_admin;
mod card;
pub(crate) mod code_flows;
mod fraud;
mod home;
mod placeholder;
mod register;
mod review;
mod stats;
mod roster_admin;
mod units_admin;
mod voting;

pub use account::{CertifyPage, LoginPage, MePage};
pub use admin::AdminPage;
pub use card::{CardCheckPage, CardPage};
pub use code_flows::{ChangePhonePage, ResetPage, SmsLoginPage};
pub use fraud::{CampaignsAdminPage, FraudPage, ResultsPage};
pub use campaign_admin::{CandidatesAdminPage, NewCampaignPage};
pub use home::HomePage;
pub use placeholder::{NotFound, ServicesPage};
pub use voting::{CampaignPage, CandidatePage, VotePage};
pub use register::RegisterPage;
pub use review::ReviewPage;
pub use stats::{GongshiPage, StatsPage};
pub use roster_admin::RosterAdminPage;
pub use units_admin::UnitsAdminPage;
