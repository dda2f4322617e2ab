//! Loading the key that seals personal data (see store::protect).

use std::io::Write;

use anyhow::Context;
use store::protect::DataKey;

use crate::{Config, RunEnv};

/// `GONGHUI_DATA_KEY`, else the key file. In dev a missing file is created
/// (mode 0600) so `make run` just works; in prod a missing key is an error:
/// a new key there would make every sealed ID number unreadable.
pub fn load(config: &Config) -> anyhow::Result<DataKey> {
    let key = load_current(config)?;
    match &config.previous_data_key {
        Some(hex) => {
            let previous = DataKey::from_hex(hex).context("GONGHUI_PREVIOUS_DATA_KEY")?;
            tracing::warn!("a data key rotation is under way: reading with the previous key too until it finishes");
            Ok(key.with_previous(previous))
        }
        None => Ok(key),
    }
}

fn load_current(config: &Config) -> anyhow::Result<DataKey> {
    if let Some(hex) = &config.data_key {
        return DataKey::from_hex(hex).context("GONGHUI_DATA_KEY");
    }
    let path = &config.data_key_file;
    match std::fs::read_to_string(path) {
        Ok(hex) => DataKey::from_hex(&hex).with_context(|| format!("the data key file {}", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && config.env == RunEnv::Dev => {
            let hex = DataKey::generate_hex();
            if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)?;
            }
            let mut file = open_private(path)?;
            file.write_all(hex.as_bytes())?;
            tracing::warn!(path = %path.display(), "created a new development data key; keep it with the database");
            Ok(DataKey::from_hex(&hex)?)
        }
        Err(error) => Err(error)
            .with_context(|| format!("set GONGHUI_DATA_KEY or put the key in {} (64 hex characters)", path.display())),
    }
}

#[cfg(unix)]
fn open_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
}
