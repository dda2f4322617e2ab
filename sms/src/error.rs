//! Why a code was not sent, sorted by what a union does about it: top up the
//! account, fix the template, wait, or ask the member for another number.

/// Why a verification code was not sent.
///
/// The gateway's own code and message for the kinds without fields are
/// logged where the answer is read (target `sms`), so the admin page can stay
/// in plain words while the log keeps the detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The account's daily or monthly sending limit is reached, or the account
    /// (or its SMS package) has no balance left.
    #[error("the SMS account's sending limit is reached or its balance is used up")]
    QuotaExceeded,
    /// The gateway will not send to this number: malformed, or on a carrier's
    /// do-not-disturb list.
    #[error("the phone number cannot receive SMS")]
    InvalidNumber,
    /// The template or the sign name is not approved, not found, or does not
    /// match the parameter we send.
    #[error("the SMS template or sign name is not approved")]
    TemplateNotApproved,
    /// The gateway's frequency control for one number (Aliyun's default for
    /// codes: 1 a minute, 5 an hour, 10 a day per number).
    #[error("the gateway's per-number frequency control held the message back")]
    Throttled,
    /// Any other refusal, with the gateway's code and message; a refused key
    /// or signature lands here too (see [`SmsError::for_officials`]).
    #[error("the SMS gateway refused the message: {code}: {message}")]
    Refused { code: String, message: String },
    /// No usable answer: no connection, no answer within the timeout, or an
    /// answer that is not the gateway's JSON.
    #[error("the SMS gateway could not be reached: {0}")]
    Transport(String),
}

/// The gateways' codes for a key or signature they do not accept: Tencent's
/// whole `AuthFailure` family, Aliyun's signature and AccessKey codes, and
/// the RAM refusal when the key lacks the SMS permission.
fn is_key_refusal(code: &str) -> bool {
    code.starts_with("AuthFailure")
        || code.starts_with("InvalidAccessKeyId")
        || matches!(code, "SignatureDoesNotMatch" | "IncompleteSignature" | "isp.RAM_PERMISSION_DENY")
}

/// Gateway messages can be long (Aliyun's signature error quotes its whole
/// string to sign); 200 characters is a sentence and a half.
const MESSAGE_CHARS_SHOWN: usize = 200;

impl SmsError {
    /// A Simplified Chinese explanation for the officials' admin page: what
    /// happened and what to do about it.
    pub fn for_officials(&self) -> String {
        match self {
            SmsError::QuotaExceeded => "短信额度已用完或账户余额不足，请联系短信服务商充值或提高额度\
                                        （阿里云/腾讯云短信控制台的日/月发送量上限、余额与套餐包）。"
                .to_owned(),
            SmsError::InvalidNumber => "短信服务商拒绝向该手机号发送（号码格式不对，或在运营商免打扰名单中），\
                                        请核对会员登记的手机号。"
                .to_owned(),
            SmsError::TemplateNotApproved => "短信模板或签名未通过审核，请在阿里云/腾讯云控制台检查模板 ID 与签名\
                                              （GONGHUI_SMS_TEMPLATE、GONGHUI_SMS_SIGN_NAME）：须为已审核通过的验证码模板，\
                                              且只有一个变量（阿里云模板中为 ${code}）。"
                .to_owned(),
            SmsError::Throttled => "同一手机号发送过于频繁，被短信服务商的频率限制拦下（阿里云默认每号每分钟 1 条、\
                                    每小时 5 条、每天 10 条），请让会员稍后再试；确需放宽可在短信控制台调整。"
                .to_owned(),
            SmsError::Refused { code, message } if is_key_refusal(code) => format!(
                "短信服务商不接受访问密钥或请求签名（{code}），请检查 GONGHUI_SMS_KEY_ID 与 GONGHUI_SMS_KEY_SECRET \
                 是否正确、未停用、有短信发送权限，并确认服务器时间准确。服务商说明：{}",
                shortened(message)
            ),
            SmsError::Refused { code, message } => {
                format!("短信服务商拒绝发送（错误码 {code}）：{}。请对照服务商的错误码说明处理。", shortened(message))
            }
            SmsError::Transport(detail) => format!(
                "无法连接短信服务商，或服务商 {} 秒内没有应答（{detail}），请检查服务器的网络与 GONGHUI_SMS_ENDPOINT；\
                 若持续出现，请查看服务商的服务状态。",
                crate::REQUEST_TIMEOUT.as_secs()
            ),
        }
    }

    /// What the member who asked for a code is told: a number they can fix,
    /// or a plain "try again later" (the rest is the union's to fix).
    pub fn for_members(&self) -> &'static str {
        match self {
            SmsError::InvalidNumber => "该手机号无法接收短信，请检查号码",
            _ => "验证码发送失败，请稍后再试",
        }
    }
}

fn shortened(message: &str) -> String {
    let mut chars = message.chars();
    let mut shown: String = chars.by_ref().take(MESSAGE_CHARS_SHOWN).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(code: &str) -> SmsError {
        SmsError::Refused { code: code.to_owned(), message: "x".repeat(500) }
    }

    #[test]
    fn a_refused_key_or_signature_points_the_officials_at_the_key_variables() {
        for code in [
            "AuthFailure.SignatureFailure",
            "AuthFailure.SecretIdNotFound",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound",
        ] {
            let text = refused(code).for_officials();
            assert!(text.contains("GONGHUI_SMS_KEY_SECRET") && text.contains(code), "{code}: {text}");
        }
    }

    #[test]
    fn any_other_refusal_names_the_gateway_code_and_not_the_key() {
        let text = refused("isv.SMS_CONTENT_ILLEGAL").for_officials();
        assert!(text.contains("isv.SMS_CONTENT_ILLEGAL"));
        assert!(!text.contains("GONGHUI_SMS_KEY_SECRET"));
    }

    #[test]
    fn a_long_gateway_message_is_cut_to_two_hundred_characters() {
        let text = refused("isv.OTHER").for_officials();
        assert!(text.contains(&format!("{}…", "x".repeat(200))));
        assert!(!text.contains(&"x".repeat(201)));
    }

    #[test]
    fn members_are_asked_to_check_their_number_only_when_the_number_is_the_problem() {
        assert_eq!(SmsError::InvalidNumber.for_members(), "该手机号无法接收短信，请检查号码");
        for error in [
            SmsError::QuotaExceeded,
            SmsError::TemplateNotApproved,
            SmsError::Throttled,
            refused("X"),
            SmsError::Transport("t".into()),
        ] {
            assert_eq!(error.for_members(), "验证码发送失败，请稍后再试");
        }
    }

    #[test]
    fn the_quota_explanation_tells_the_officials_to_top_up() {
        assert!(SmsError::QuotaExceeded
            .for_officials()
            .starts_with("短信额度已用完或账户余额不足，请联系短信服务商充值或提高额度"));
        assert!(SmsError::TemplateNotApproved
            .for_officials()
            .starts_with("短信模板或签名未通过审核，请在阿里云/腾讯云控制台检查模板 ID 与签名"));
    }
}
