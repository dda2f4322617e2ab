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
///
/// During a key rotation (`gonghui rotate-data-key`) the key also holds the
/// previous one: everything new is sealed and indexed with the current key,
/// and what was sealed before opens with the previous one until the rotation
/// has re-sealed it; lookups by value try both indexes (`blind_indexes`).
#[derive(Clone)]
pub struct DataKey {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
    sign_key: [u8; 32],
    previous: Option<std::sync::Arc<DataKey>>,
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
        Ok(Self {
            cipher,
            index_key: subkey(b"gonghui/index/v1"),
            sign_key: subkey(b"gonghui/sign/v1"),
            previous: None,
        })
    }

    /// This key, still reading what `previous` sealed (a rotation is under way).
    pub fn with_previous(mut self, previous: DataKey) -> Self {
        self.previous = Some(std::sync::Arc::new(DataKey { previous: None, ..previous }));
        self
    }

    /// Whether a previous key is still held (a rotation is under way).
    pub fn is_rotating(&self) -> bool {
        self.previous.is_some()
    }

    /// `sealed` opened, and whether it needs sealing again under this key
    /// (it opened only with the previous one).
    pub fn open_for_rotation(&self, sealed: &str) -> Result<(String, bool), ProtectError> {
        let bytes = decode_hex(sealed).ok_or(ProtectError::Unsealable)?;
        let (plain, stale) = self.open_bytes_for_rotation(&bytes)?;
        Ok((String::from_utf8(plain).map_err(|_| ProtectError::Unsealable)?, stale))
    }

    /// `open_for_rotation` for bytes.
    pub fn open_bytes_for_rotation(&self, sealed: &[u8]) -> Result<(Vec<u8>, bool), ProtectError> {
        match self.open_with_this_key(sealed) {
            Ok(plain) => Ok((plain, false)),
            Err(error) => match &self.previous {
                Some(previous) => previous.open_with_this_key(sealed).map(|plain| (plain, true)),
                None => Err(error),
            },
        }
    }

    /// Every index `plaintext` may be stored under: this key's, and during a
    /// rotation the previous key's.
    pub fn blind_indexes(&self, plaintext: &str) -> Vec<String> {
        let mut indexes = vec![self.blind_index(plaintext)];
        if let Some(previous) = &self.previous {
            indexes.push(previous.blind_index(plaintext));
        }
        indexes
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

    /// Opens what this key sealed, or during a rotation the previous key.
    pub fn open_bytes(&self, sealed: &[u8]) -> Result<Vec<u8>, ProtectError> {
        self.open_bytes_for_rotation(sealed).map(|(plain, _)| plain)
    }

    fn open_with_this_key(&self, sealed: &[u8]) -> Result<Vec<u8>, ProtectError> {
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

    /// Whether `tag` is `sign(message)`, compared in constant time — under
    /// this key, or during a rotation the previous one (a 惠员卡 QR code shown
    /// before the new key came in still checks).
    pub fn verify(&self, message: &str, tag: &str) -> bool {
        let Some(tag) = decode_hex(tag).filter(|t| t.len() == 16) else { return false };
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.sign_key).expect("any key length");
        mac.update(message.as_bytes());
        mac.verify_truncated_left(&tag).is_ok()
            || self.previous.as_ref().is_some_and(|p| p.verify(message, &encode_hex(&tag)))
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
    fn during_a_rotation_old_data_opens_and_is_found_while_new_data_uses_the_new_key() {
        let old = DataKey::from_hex(&DataKey::generate_hex()).unwrap();
        let sealed_before = old.seal("370102198001010011");
        let tag_before = old.sign("card|1|2");
        let rotating = DataKey::from_hex(&DataKey::generate_hex()).unwrap().with_previous(old.clone());
        assert_eq!(rotating.open(&sealed_before).unwrap(), "370102198001010011");
        assert!(rotating.open_for_rotation(&sealed_before).unwrap().1, "needs sealing again");
        let sealed_now = rotating.seal("370102198001010011");
        assert_eq!(rotating.open_for_rotation(&sealed_now).unwrap(), ("370102198001010011".into(), false));
        assert!(old.open(&sealed_now).is_err(), "new data is not readable with the old key");
        let indexes = rotating.blind_indexes("370102198001010011");
        assert_eq!(indexes, vec![rotating.blind_index("370102198001010011"), old.blind_index("370102198001010011")]);
        assert!(rotating.verify("card|1|2", &tag_before));
        // Once the previous key is dropped, only the new key's data opens.
        let after = DataKey { previous: None, ..rotating };
        assert!(after.open(&sealed_before).is_err());
    }

    #[test]
    fn a_malformed_key_is_refused_and_a_key_never_prints() {
        assert_eq!(DataKey::from_hex("abc").unwrap_err(), ProtectError::BadKey);
        assert_eq!(DataKey::from_hex(&"0".repeat(62)).unwrap_err(), ProtectError::BadKey);
        assert_eq!(format!("{:?}", DataKey::from_hex(KEY).unwrap()), "DataKey(***)");
    }
}
