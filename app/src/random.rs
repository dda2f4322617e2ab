//! Unguessable names (server only): a leaf module, so any feature may use
//! it without importing the request context.

/// 128 random bits as 32 hex characters: pending imports, media addresses,
/// spool files.
pub fn token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
