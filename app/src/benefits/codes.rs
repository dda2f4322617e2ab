//! Signed codes: what a member's QR code carries and a scanner checks.
//!
//! `HY1.{claim}.{benefit}.{signature}`: the signature is ed25519 over the
//! text before it, in URL-safe base64 (86 characters; the whole code fits a
//! QR code of version 7 at level M, readable from a phone screen). The
//! scanner page holds only the public key, so it can tell a real code from a
//! forged one with no network (WebCrypto's Ed25519); redeeming still goes to
//! the server, which records it once. The signing key is derived from the
//! data key, so every server process signs alike and nothing new is to be
//! configured.
//!
//! Where there is no camera, a partner types the short code
//! `{claim}-{8 digits}` instead: the digits come from the same signature,
//! so only the server can make or check one (online only).

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use store::protect::DataKey;

/// What a code is for: its first part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// A benefit claim (惠员福利): `HY1.{claim}.{benefit}`.
    BenefitClaim,
    /// A seat at an activity's session (活动 check-in): `HD1.{signup}.{session}`.
    CheckIn,
}

impl CodeKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::BenefitClaim => "HY1",
            Self::CheckIn => "HD1",
        }
    }
}

/// The key codes are signed with.
pub struct CodeKey(SigningKey);

impl CodeKey {
    pub fn from_data_key(key: &DataKey) -> Self {
        Self(SigningKey::from_bytes(&key.derive_secret("ed25519 signed codes")))
    }

    /// The public key, URL-safe base64 (what the scanner page holds).
    pub fn public_key(&self) -> String {
        B64.encode(self.0.verifying_key().to_bytes())
    }

    fn signature(&self, kind: CodeKind, first: i64, second: i64) -> (String, Signature) {
        let message = format!("{}.{first}.{second}", kind.prefix());
        let signature = self.0.sign(message.as_bytes());
        (message, signature)
    }

    /// The signed code for (`first`, `second`).
    pub fn sign(&self, kind: CodeKind, first: i64, second: i64) -> String {
        let (message, signature) = self.signature(kind, first, second);
        format!("{message}.{}", B64.encode(signature.to_bytes()))
    }

    /// The (`first`, `second`) a genuine code of `kind` carries.
    pub fn verify(&self, kind: CodeKind, code: &str) -> Option<(i64, i64)> {
        let code = code.trim();
        let (message, signature) = code.rsplit_once('.')?;
        let mut parts = message.split('.');
        if parts.next()? != kind.prefix() {
            return None;
        }
        let first = parts.next()?.parse().ok()?;
        let second = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let bytes: [u8; 64] = B64.decode(signature).ok()?.try_into().ok()?;
        self.0.verifying_key().verify(message.as_bytes(), &Signature::from_bytes(&bytes)).ok()?;
        Some((first, second))
    }

    /// The short code to type: `{first}-{8 digits}`.
    pub fn typed(&self, kind: CodeKind, first: i64, second: i64) -> String {
        format!("{first}-{:08}", self.digits(kind, first, second))
    }

    fn digits(&self, kind: CodeKind, first: i64, second: i64) -> u64 {
        let (_, signature) = self.signature(kind, first, second);
        let bytes = signature.to_bytes();
        u64::from_be_bytes(bytes[..8].try_into().expect("8 bytes")) % 100_000_000
    }

    /// Whether `digits` are the short code's for (`first`, `second`).
    pub fn check_typed(&self, kind: CodeKind, first: i64, second: i64, digits: &str) -> bool {
        let expected = format!("{:08}", self.digits(kind, first, second));
        digits.len() == 8
            && expected.as_bytes().iter().zip(digits.as_bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// Reads what a partner entered: a scanned code, or `{claim}-{digits}`
/// typed (spaces and full-width digits forgiven).
#[derive(Debug, PartialEq, Eq)]
pub enum Entered {
    Signed(String),
    Typed { first: i64, digits: String },
}

impl Entered {
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' | '—' | '–' => '-',
                other => other,
            })
            .collect();
        if folded.contains('.') {
            return Some(Self::Signed(folded));
        }
        let (first, digits) = folded.split_once('-')?;
        let first = first.parse().ok()?;
        (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| Self::Typed { first, digits: digits.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> CodeKey {
        CodeKey::from_data_key(&DataKey::from_hex(&"ab".repeat(32)).unwrap())
    }

    #[test]
    fn a_signed_code_reads_back_and_any_change_to_it_is_refused() {
        let key = key();
        let code = key.sign(CodeKind::BenefitClaim, 41, 7);
        assert!(code.starts_with("HY1.41.7."));
        assert_eq!(key.verify(CodeKind::BenefitClaim, &code), Some((41, 7)));
        assert_eq!(key.verify(CodeKind::BenefitClaim, &code.replace("HY1.41.", "HY1.42.")), None, "another claim");
        let mut flipped = code.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(key.verify(CodeKind::BenefitClaim, &flipped), None, "a changed signature");
        assert_eq!(key.verify(CodeKind::BenefitClaim, "HY1.41.7"), None, "no signature");
        let seat = key.sign(CodeKind::CheckIn, 41, 7);
        assert_eq!(key.verify(CodeKind::BenefitClaim, &seat), None, "a check-in code is no claim code");
        assert_eq!(key.verify(CodeKind::CheckIn, &seat), Some((41, 7)));
    }

    #[test]
    fn another_data_key_signs_differently_so_its_codes_are_refused() {
        let other = CodeKey::from_data_key(&DataKey::from_hex(&"cd".repeat(32)).unwrap());
        let code = other.sign(CodeKind::BenefitClaim, 41, 7);
        assert_eq!(key().verify(CodeKind::BenefitClaim, &code), None);
        assert_ne!(other.public_key(), key().public_key());
    }

    #[test]
    fn the_typed_code_is_checked_against_its_claim_and_typing_slips_are_forgiven() {
        let key = key();
        let typed = key.typed(CodeKind::BenefitClaim, 41, 7);
        let Some(Entered::Typed { first, digits }) = Entered::parse(&format!(" {} ", typed.replace('-', " － ")))
        else {
            panic!("{typed} reads as a typed code")
        };
        assert_eq!(first, 41);
        assert!(key.check_typed(CodeKind::BenefitClaim, 41, 7, &digits));
        assert!(!key.check_typed(CodeKind::BenefitClaim, 41, 8, &digits), "the claim of another benefit");
        assert!(!key.check_typed(CodeKind::BenefitClaim, 41, 7, "00000000") || digits == "00000000");
        assert_eq!(Entered::parse("41-123"), None, "too short");
        assert_eq!(Entered::parse("hello"), None);
    }
}
