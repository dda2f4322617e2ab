//! The one error type every server function returns.
//!
//! It separates what the user can fix (shown next to the field, in Chinese)
//! from what went wrong inside (logged on the server with its context; the
//! user sees only a generic message). Database errors never reach the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum AppError {
    /// Something the user can fix: `message` is shown next to the form field
    /// `field` (or above the form when `field` is empty). `status` is the
    /// HTTP status it was answered with: 400 wrong input, 401 wrong
    /// credentials, 409 already exists, 429 too many tries.
    #[error("{message}")]
    Rejected { status: u16, field: String, message: String },
    /// The database or another dependency is down; trying again later helps.
    #[error("服务暂时不可用，请稍后再试")]
    Unavailable,
    /// A bug or an unexpected state; details are in the server log.
    #[error("系统出了点问题，请稍后再试")]
    Internal,
    /// The browser could not reach the server (only ever made client-side).
    #[error("网络连接失败，请检查网络后重试")]
    Network,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Rejected { status, .. } => *status,
            Self::Unavailable => 503,
            Self::Internal | Self::Network => 500,
        }
    }

    /// The message for form field `field`, if this error is about it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            Self::Rejected { field: f, message, .. } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The message shown above the form: errors not tied to one field.
    pub fn general_message(&self) -> Option<String> {
        match self {
            Self::Rejected { field, .. } if !field.is_empty() => None,
            other => Some(other.to_string()),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::Rejected {
                    status: 400, field: String::new(), message: "提交的内容不完整，请检查后重试".into()
                }
            }
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    pub fn status(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status_code()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A field the user must correct (400 unless `status` says otherwise);
    /// also sets the HTTP status of the response being built.
    pub fn rejected(status: u16, field: &str, message: impl Into<String>) -> Self {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST));
        }
        Self::Rejected { status, field: field.to_owned(), message: message.into() }
    }

    /// Logs a store error with its context and turns it into what the user
    /// may see, setting the HTTP status to match (503 when the database is
    /// down, so load balancers and monitors notice; 500 otherwise).
    pub fn from_store(context: &'static str, error: store::StoreError) -> Self {
        let (status, app_error) = if error.is_unavailable() {
            tracing::warn!(%error, context, "database unavailable");
            (http::StatusCode::SERVICE_UNAVAILABLE, Self::Unavailable)
        } else {
            tracing::error!(%error, context, "store error");
            (http::StatusCode::INTERNAL_SERVER_ERROR, Self::Internal)
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        app_error
    }
}
