//! Personal data at rest: ID numbers and roster phones are stored sealed
//! (AES-256-GCM, a fresh random nonce each time) beside a blind index
//! (HMAC-SHA256) that finds exact matches without decrypting anything.
//!
//! One 32-byte master key (`GONGHUI_DATA_KEY`, 64 hex characters, or a key
//! file) yields two subkeys, so the index key never encrypts and the
//! encryption key never indexes. The key lives only on the server: this
//! crate is never compiled into the browser bundle.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// GCM's standard 96-bit nonce.
const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtectError {
    #[error("the data key must be 32 bytes written as 64 hexadecimal characters")]
    BadKey,
    #[error("sealed data is damaged or was sealed with another key")]
    Unsealable,
}

/// The keys for sealing and indexing personal data.
#[derive(Clone)]
pub struct DataKey {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
    sign_key: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(***)")
    }
}

impl DataKey {
    /// From 64 hex characters (surrounding whitespace ignored).
    pub fn from_hex(hex: &str) -> Result<Self, ProtectError> {
        let master = decode_hex(hex.trim()).ok_or(ProtectError::BadKey)?;
        let master: [u8; 32] = master.try_into().map_err(|_| ProtectError::BadKey)?;
        let subkey = |label: &[u8]| -> [u8; 32] {
            let mut mac = <HmacSha256 as Mac>::new_from_slice(&master).expect("any key length");
            mac.update(label);
            mac.finalize().into_bytes().into()
        };
        let cipher = Aes256Gcm::new_from_slice(&subkey(b"gonghui/seal/v1")).expect("32-byte key");
        Ok(Self { cipher, index_key: subkey(b"gonghui/index/v1"), sign_key: subkey(b"gonghui/sign/v1") })
    }

    /// A new random key as 64 hex characters (for `gonghui` to write a
    /// development key file).
    pub fn generate_hex() -> String {
        encode_hex(&Aes256Gcm::generate_key(OsRng))
    }

    /// `nonce || ciphertext+tag`, hex: different every time for the same text.
    pub fn seal(&self, plaintext: &str) -> String {
        encode_hex(&self.seal_bytes(plaintext.as_bytes()))
    }

    pub fn open(&self, sealed: &str) -> Result<String, ProtectError> {
        let bytes = decode_hex(sealed).ok_or(ProtectError::Unsealable)?;
        String::from_utf8(self.open_bytes(&bytes)?).map_err(|_| ProtectError::Unsealable)
    }

    /// `nonce || ciphertext+tag` as raw bytes, for files (a union-card photo)
    /// that would double in size as hex.
    pub fn seal_bytes(&self, plaintext: &[u8]) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self.cipher.encrypt(&nonce, plaintext).expect("AES-GCM encryption cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open_bytes(&self, sealed: &[u8]) -> Result<Vec<u8>, ProtectError> {
        if sealed.len() <= NONCE_BYTES {
            return Err(ProtectError::Unsealable);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        self.cipher.decrypt(Nonce::from_slice(nonce), ciphertext).map_err(|_| ProtectError::Unsealable)
    }

    /// The same text always gives the same index under one key, and nothing
    /// about the text can be read from it without the key.
    pub fn blind_index(&self, plaintext: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.index_key).expect("any key length");
        mac.update(plaintext.as_bytes());
        encode_hex(&mac.finalize().into_bytes())
    }
}

impl DataKey {
    /// A 128-bit HMAC-SHA256 tag of `message` (hex), for links the server
    /// issues and later checks (the 惠员卡's verification QR code).
    pub fn sign(&self, message: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.sign_key).expect("any key length");
        mac.update(message.as_bytes());
        encode_hex(&mac.finalize().into_bytes()[..16])
    }

    /// A 32-byte secret for `label`, derived from the signing key (the seed
    /// of the ed25519 key that signs benefit and check-in codes): the same
    /// under the same data key, so every server process signs alike.
    pub fn derive_secret(&self, label: &str) -> [u8; 32] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.sign_key).expect("any key length");
        mac.update(b"gonghui/derive/v1|");
        mac.update(label.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` is `sign(message)`, compared in constant time.
    pub fn verify(&self, message: &str, tag: &str) -> bool {
        let Some(tag) = decode_hex(tag).filter(|t| t.len() == 16) else { return false };
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.sign_key).expect("any key length");
        mac.update(message.as_bytes());
        mac.verify_truncated_left(&tag).is_ok()
    }
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const ID: &str = "370103196508295838";

    #[test]
    fn sealed_text_opens_to_itself_and_never_shows_the_plaintext() {
        let key = DataKey::from_hex(KEY).unwrap();
        let sealed = key.seal(ID);
        assert!(!sealed.contains(ID) && !sealed.contains("3701031965"));
        assert_eq!(key.open(&sealed).unwrap(), ID);
        assert_ne!(key.seal(ID), sealed, "a fresh nonce each time");
    }

    #[test]
    fn tampered_or_foreign_ciphertext_does_not_open() {
        let key = DataKey::from_hex(KEY).unwrap();
        let mut sealed = key.seal(ID).into_bytes();
        let last = sealed.len() - 1;
        sealed[last] = if sealed[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(key.open(std::str::from_utf8(&sealed).unwrap()), Err(ProtectError::Unsealable));
        let other = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
        assert_eq!(other.open(&key.seal(ID)), Err(ProtectError::Unsealable));
        assert_eq!(key.open("not hex"), Err(ProtectError::Unsealable));
    }

    #[test]
    fn sealed_bytes_open_to_themselves_and_fail_when_tampered() {
        let key = DataKey::from_hex(KEY).unwrap();
        let photo = b"\xff\xd8\xff\xe0 a jpeg".to_vec();
        let mut sealed = key.seal_bytes(&photo);
        assert_eq!(key.open_bytes(&sealed).unwrap(), photo);
        assert!(!sealed.windows(6).any(|w| w == b"a jpeg"));
        sealed[20] ^= 1;
        assert_eq!(key.open_bytes(&sealed), Err(ProtectError::Unsealable));
    }

    #[test]
    fn the_blind_index_matches_equal_text_only_and_depends_on_the_key() {
        let key = DataKey::from_hex(KEY).unwrap();
        assert_eq!(key.blind_index(ID), key.blind_index(ID));
        assert_ne!(key.blind_index(ID), key.blind_index("370103196508295839"));
        let other = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
        assert_ne!(key.blind_index(ID), other.blind_index(ID));
        assert_eq!(key.blind_index(ID).len(), 64);
    }

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let key = DataKey::from_hex(KEY).unwrap();
        let tag = key.sign("card|7|1795278600");
        assert!(key.verify("card|7|1795278600", &tag));
        assert!(!key.verify("card|8|1795278600", &tag));
        assert!(!key.verify("card|7|1795278600", &tag[..30]));
        assert!(!DataKey::from_hex(&DataKey::generate_hex()).unwrap().verify("card|7|1795278600", &tag));
    }

    #[test]
    fn a_malformed_key_is_refused_and_a_key_never_prints() {
        assert_eq!(DataKey::from_hex("abc").unwrap_err(), ProtectError::BadKey);
        assert_eq!(DataKey::from_hex(&"0".repeat(62)).unwrap_err(), ProtectError::BadKey);
        assert_eq!(format!("{:?}", DataKey::from_hex(KEY).unwrap()), "DataKey(***)");
    }
}
