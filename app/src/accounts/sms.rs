//! Sending SMS. The real gateway (a carrier or cloud SMS service) sits behind
//! `SmsSender`; development uses `DevSms`, which logs each message and keeps
//! the latest in memory for the developer inbox at /dev/sms (GONGHUI_ENV=dev only).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use domain::Phone;

#[derive(Debug, thiserror::Error)]
#[error("SMS not sent: {0}")]
pub struct SmsError(pub String);

pub type SmsFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// Sends one text message to one phone.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> SmsFuture<'a>;
}

/// One message the development sender "sent".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DevMessage {
    pub phone: String,
    pub text: String,
    pub at: i64,
}

/// Writes messages to the log and keeps the newest 100 for the dev inbox.
/// No real gateway exists yet: with GONGHUI_ENV=prod the server still uses
/// this sender (without the inbox page) and warns at every start.
#[derive(Clone, Default)]
pub struct DevSms {
    inbox: Arc<Mutex<VecDeque<DevMessage>>>,
}

const DEV_INBOX_SIZE: usize = 100;

impl DevSms {
    /// Newest first.
    pub fn messages(&self) -> Vec<DevMessage> {
        self.inbox.lock().map(|inbox| inbox.iter().rev().cloned().collect()).unwrap_or_default()
    }
}

impl SmsSender for DevSms {
    fn send<'a>(&'a self, phone: &'a Phone, text: &'a str) -> SmsFuture<'a> {
        Box::pin(async move {
            tracing::info!(phone = %phone.masked(), %text, "dev SMS");
            if let Ok(mut inbox) = self.inbox.lock() {
                if inbox.len() == DEV_INBOX_SIZE {
                    inbox.pop_front();
                }
                inbox.push_back(DevMessage {
                    phone: phone.as_ref().to_owned(),
                    text: text.to_owned(),
                    at: crate::clock::now(),
                });
            }
            Ok(())
        })
    }
}
