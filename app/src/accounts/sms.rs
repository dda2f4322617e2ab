//! Sending verification codes. The real gateways (Alibaba Cloud SMS, Tencent
//! Cloud SMS) are the `sms` crate's, selected by `GONGHUI_SMS_PROVIDER`;
//! without one, `DevSms` logs each message and keeps the latest in memory
//! for the developer inbox at /dev/sms (GONGHUI_ENV=dev only).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

pub use sms::{SmsError, SmsFuture, SmsGateway};

/// One message the development sender "sent".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DevMessage {
    pub phone: String,
    pub text: String,
    pub at: i64,
}

/// Writes messages to the log and keeps the newest 100 for the dev inbox.
/// With GONGHUI_ENV=prod and no gateway configured the server still uses it
/// (without the inbox page) and warns at every start.
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

impl SmsGateway for DevSms {
    fn send_code<'a>(&'a self, phone: &'a str, code: &'a str) -> SmsFuture<'a> {
        Box::pin(async move {
            // What the approved template says, filled in.
            let text = format!("【工会会员服务】您的验证码是 {code}，5 分钟内有效。请勿告诉他人。");
            tracing::info!(phone = %domain::Phone::parse(phone).map(|p| p.masked()).unwrap_or_default(), %text, "dev SMS");
            if let Ok(mut inbox) = self.inbox.lock() {
                if inbox.len() == DEV_INBOX_SIZE {
                    inbox.pop_front();
                }
                inbox.push_back(DevMessage { phone: phone.to_owned(), text, at: crate::clock::now() });
            }
            Ok(())
        })
    }

    fn name(&self) -> &'static str {
        "dev"
    }
}

/// The metric and record name of what went wrong.
pub fn kind(error: &SmsError) -> &'static str {
    match error {
        SmsError::QuotaExceeded => "quota_exceeded",
        SmsError::InvalidNumber => "invalid_number",
        SmsError::TemplateNotApproved => "template_not_approved",
        SmsError::Throttled => "throttled",
        SmsError::Refused { .. } => "refused",
        SmsError::Transport(_) => "transport",
    }
}
