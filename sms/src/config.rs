//! What can be wrong with a gateway's configuration.

/// Why the SMS configuration cannot be used. Names variables and endpoints,
/// never a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("the SMS endpoint (GONGHUI_SMS_ENDPOINT) {endpoint:?} {reason}")]
    BadEndpoint { endpoint: String, reason: &'static str },
    #[error("the HTTPS client for the SMS gateway could not be set up: {0}")]
    HttpClient(String),
}
