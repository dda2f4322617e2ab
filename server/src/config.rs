//! All settings, read once from environment variables (listed in README.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where the server runs: `dev` relaxes what only makes sense over HTTPS
/// (the `Secure` cookie flag) and enables developer pages; `prod` does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunEnv {
    Dev,
    Prod,
}

/// Origins (`https://host[:port]`) as a CSP source list needs them: no
/// quotes, semicolons or commas, which would end the directive.
fn frame_ancestors(raw: Option<String>) -> Result<Vec<String>, ConfigError> {
    let problem = |o: &str| ConfigError {
        name: "GONGHUI_FRAME_ANCESTORS",
        problem: format!("{o:?}: expected origins like https://app.example.org"),
    };
    raw.unwrap_or_default()
        .split_whitespace()
        .map(|origin| {
            let origin = origin.trim_end_matches('/');
            let scheme_ok = origin.starts_with("https://") || origin.starts_with("http://");
            let clean = origin.chars().all(|c| c.is_ascii_alphanumeric() || ".-:/*".contains(c));
            if scheme_ok && clean {
                Ok(origin.to_owned())
            } else {
                Err(problem(origin))
            }
        })
        .collect()
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `GONGHUI_ADDR`, default `127.0.0.1:3000`; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// `DATABASE_URL`, default `sqlite://data/gonghui.db` (created on first start).
    pub database_url: String,
    /// `GONGHUI_SITE_ROOT`, default `target/site`: the built browser bundle
    /// (`pkg/`) and the copied `public/` files.
    pub site_root: PathBuf,
    /// `GONGHUI_ENV`: `dev` (default) or `prod`.
    pub env: RunEnv,
    /// `GONGHUI_DEMO_DATA`: load the demo union into an empty database
    /// (default `true`; set `false` in production).
    pub demo_data: bool,
    /// `GONGHUI_DEMO_PEOPLE`: with the demo union, also its roster, members
    /// (some certified) and a demo super admin (`make run` turns it on).
    pub demo_people: bool,
    /// `GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT` / `…_PER_ADDRESS`: vote requests
    /// allowed per account and per client address (in process; against
    /// scripted voting). The daily allowance itself is the campaign's.
    pub votes_per_minute_per_account: u32,
    pub votes_per_minute_per_address: u32,
    /// `GONGHUI_REQUEST_TIMEOUT_SECS`, default 15: a request still running
    /// after this is cut off with 408, so a stuck query cannot pin a worker.
    pub request_timeout: Duration,
    /// `GONGHUI_BODY_LIMIT_BYTES`, default 1 MiB: the largest request body.
    pub body_limit: usize,
    /// `GONGHUI_PG_MAX_CONNECTIONS`, default 16: PostgreSQL connections per process.
    pub pg_max_connections: u32,
    /// `GONGHUI_SQLITE_SYNCHRONOUS`, `full` (default) or `normal`: whether an
    /// acknowledged SQLite write survives a power cut (`store::Durability`).
    pub sqlite_durability: store::Durability,
    /// `GONGHUI_PUBLIC_ORIGIN`, e.g. `https://hui.example.org`: the origin
    /// browsers see, for the Origin check behind a proxy that rewrites `Host`.
    pub public_origin: Option<String>,
    /// `GONGHUI_SECURE_COOKIES`: mark the session cookie `Secure`; default
    /// `true` in prod, `false` in dev (plain http on 127.0.0.1).
    pub secure_cookies: bool,
    /// `GONGHUI_ACCOUNT_POSTS_PER_MINUTE`, default 30: per client address,
    /// posts to the account routes (register, sign in, codes), burst included.
    pub account_posts_per_minute: u32,
    /// `GONGHUI_FRAME_ANCESTORS`: origins besides our own that may show our
    /// pages in a frame (the unions' app webviews that embed H5 pages), space
    /// separated, e.g. `https://app.example.org`. Default: none (only us).
    pub frame_ancestors: Vec<String>,
    /// `GONGHUI_TRUST_PROXY`, default `false`: take the client address from
    /// `X-Forwarded-For` (only behind our own reverse proxy).
    pub trust_proxy: bool,
    /// `GONGHUI_TRUSTED_PROXIES`, comma-separated addresses or networks
    /// (`10.0.0.0/8`), default `127.0.0.1,::1`: with `trust_proxy`, whose
    /// `X-Forwarded-For` is believed — a request from anyone else is taken
    /// to come from its peer address, whatever the header says.
    pub trusted_proxies: Vec<String>,
    /// `GONGHUI_METRICS_FROM`, same form, default `127.0.0.1,::1`: who may
    /// read `/metrics` (everyone else gets 403).
    pub metrics_from: Vec<String>,
    /// `GONGHUI_DATA_KEY`: 64 hex characters, the key that seals ID numbers
    /// and roster phones. Never in the repository; see `data_key_file`.
    pub data_key: Option<String>,
    /// `GONGHUI_PREVIOUS_DATA_KEY`: during a key rotation, the key being
    /// replaced — still read, never used to seal (`gonghui rotate-data-key`).
    pub previous_data_key: Option<String>,
    /// `GONGHUI_DATA_KEY_FILE`, default `data/data.key`: where the key is
    /// read from when `GONGHUI_DATA_KEY` is not set. In dev a missing file is
    /// created with a new random key; in prod a missing key stops the server.
    pub data_key_file: PathBuf,
    /// `GONGHUI_UPLOAD_LIMIT_BYTES`, default 32 MiB: the largest roster upload
    /// (100 000 rows are ~8 MB).
    pub upload_limit: usize,
    /// `GONGHUI_MEDIA_DIR`, default `data/media`: the asset library's files
    /// (when no S3 store is configured) and the upload spool.
    pub media_dir: PathBuf,
    /// `GONGHUI_S3_BUCKET` (with `GONGHUI_S3_ENDPOINT`, `GONGHUI_S3_REGION`,
    /// `GONGHUI_S3_ACCESS_KEY`, `GONGHUI_S3_SECRET_KEY`): keep the asset
    /// library in an S3-compatible store instead of on local disk.
    pub s3: Option<S3Config>,
    /// `GONGHUI_PHOTO_LIMIT_MB` (15), `GONGHUI_AUDIO_LIMIT_MB` (50),
    /// `GONGHUI_VIDEO_LIMIT_MB` (300), `GONGHUI_FILE_LIMIT_MB` (20): the
    /// largest upload of each kind.
    pub media_limits: app::newsroom::media::MediaLimits,
    /// `GONGHUI_WECHAT_API` (`https://api.weixin.qq.com`), `GONGHUI_OUTWARD_POLL_MS`
    /// (2000), `GONGHUI_OUTWARD_RETRY_SECS` (30: the first retry's wait, doubling
    /// to an hour), `GONGHUI_OUTWARD_ALLOW_HTTP` (false: webhooks must be https):
    /// how articles are pushed to outward channels.
    pub outward: OutwardConfig,
}

/// The outward channels' worker settings (see `Config::outward`).
#[derive(Clone, Debug)]
pub struct OutwardConfig {
    pub wechat_api: String,
    pub poll_ms: u64,
    pub retry_secs: i64,
    pub allow_http: bool,
}

/// An S3-compatible object store (MinIO, a cloud's OSS/COS with its S3 API).
#[derive(Clone, Debug)]
pub struct S3Config {
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        /// A list of addresses and networks, each checked (a typo must not
        /// silently allow or refuse everyone).
        fn addresses(name: &'static str, raw: Option<String>) -> Result<Vec<String>, ConfigError> {
            let raw = raw.unwrap_or_else(|| "127.0.0.1,::1".to_owned());
            let list: Vec<String> =
                raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            for entry in &list {
                let (address, bits) = entry.split_once('/').unwrap_or((entry, "0"));
                let ok = match address.parse::<std::net::IpAddr>() {
                    Ok(std::net::IpAddr::V4(_)) => bits.parse::<u32>().is_ok_and(|b| b <= 32),
                    Ok(std::net::IpAddr::V6(_)) => bits.parse::<u32>().is_ok_and(|b| b <= 128),
                    Err(_) => false,
                };
                if !ok {
                    return Err(ConfigError { name, problem: format!("{entry:?} is not an address or network") });
                }
            }
            Ok(list)
        }
        fn parse<T: std::str::FromStr>(name: &'static str, raw: Option<String>, default: T) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            match raw {
                None => Ok(default),
                Some(raw) => raw.parse().map_err(|e: T::Err| ConfigError { name, problem: format!("{raw:?}: {e}") }),
            }
        }
        let env = match get("GONGHUI_ENV").as_deref() {
            None | Some("dev") => RunEnv::Dev,
            Some("prod") => RunEnv::Prod,
            Some(other) => {
                return Err(ConfigError { name: "GONGHUI_ENV", problem: format!("{other:?}: expected dev or prod") })
            }
        };
        let database_url = get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/gonghui.db".to_owned());
        store::Engine::of_url(&database_url)
            .map_err(|e| ConfigError { name: "DATABASE_URL", problem: e.to_string() })?;
        Ok(Self {
            addr: parse("GONGHUI_ADDR", get("GONGHUI_ADDR"), SocketAddr::from(([127, 0, 0, 1], 3000)))?,
            database_url,
            site_root: PathBuf::from(get("GONGHUI_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned())),
            env,
            demo_data: parse("GONGHUI_DEMO_DATA", get("GONGHUI_DEMO_DATA"), true)?,
            votes_per_minute_per_account: parse(
                "GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT",
                get("GONGHUI_VOTES_PER_MINUTE_PER_ACCOUNT"),
                30,
            )?,
            votes_per_minute_per_address: parse(
                "GONGHUI_VOTES_PER_MINUTE_PER_ADDRESS",
                get("GONGHUI_VOTES_PER_MINUTE_PER_ADDRESS"),
                600,
            )?,
            demo_people: parse("GONGHUI_DEMO_PEOPLE", get("GONGHUI_DEMO_PEOPLE"), false)?,
            request_timeout: Duration::from_secs(parse(
                "GONGHUI_REQUEST_TIMEOUT_SECS",
                get("GONGHUI_REQUEST_TIMEOUT_SECS"),
                15,
            )?),
            body_limit: parse("GONGHUI_BODY_LIMIT_BYTES", get("GONGHUI_BODY_LIMIT_BYTES"), 1024 * 1024)?,
            pg_max_connections: parse("GONGHUI_PG_MAX_CONNECTIONS", get("GONGHUI_PG_MAX_CONNECTIONS"), 16)?,
            sqlite_durability: parse(
                "GONGHUI_SQLITE_SYNCHRONOUS",
                get("GONGHUI_SQLITE_SYNCHRONOUS"),
                store::Durability::PowerCut,
            )?,
            public_origin: get("GONGHUI_PUBLIC_ORIGIN").map(|o| o.trim_end_matches('/').to_owned()),
            secure_cookies: parse("GONGHUI_SECURE_COOKIES", get("GONGHUI_SECURE_COOKIES"), env == RunEnv::Prod)?,
            account_posts_per_minute: parse(
                "GONGHUI_ACCOUNT_POSTS_PER_MINUTE",
                get("GONGHUI_ACCOUNT_POSTS_PER_MINUTE"),
                30,
            )?,
            trust_proxy: parse("GONGHUI_TRUST_PROXY", get("GONGHUI_TRUST_PROXY"), false)?,
            trusted_proxies: addresses("GONGHUI_TRUSTED_PROXIES", get("GONGHUI_TRUSTED_PROXIES"))?,
            metrics_from: addresses("GONGHUI_METRICS_FROM", get("GONGHUI_METRICS_FROM"))?,
            frame_ancestors: frame_ancestors(get("GONGHUI_FRAME_ANCESTORS"))?,
            data_key: get("GONGHUI_DATA_KEY"),
            previous_data_key: get("GONGHUI_PREVIOUS_DATA_KEY"),
            data_key_file: PathBuf::from(get("GONGHUI_DATA_KEY_FILE").unwrap_or_else(|| "data/data.key".to_owned())),
            upload_limit: parse("GONGHUI_UPLOAD_LIMIT_BYTES", get("GONGHUI_UPLOAD_LIMIT_BYTES"), 32 * 1024 * 1024)?,
            media_dir: PathBuf::from(get("GONGHUI_MEDIA_DIR").unwrap_or_else(|| "data/media".to_owned())),
            s3: get("GONGHUI_S3_BUCKET").map(|bucket| S3Config {
                endpoint: get("GONGHUI_S3_ENDPOINT"),
                bucket,
                region: get("GONGHUI_S3_REGION").unwrap_or_else(|| "us-east-1".to_owned()),
                access_key: get("GONGHUI_S3_ACCESS_KEY").unwrap_or_default(),
                secret_key: get("GONGHUI_S3_SECRET_KEY").unwrap_or_default(),
            }),
            outward: OutwardConfig {
                wechat_api: get("GONGHUI_WECHAT_API").unwrap_or_else(|| "https://api.weixin.qq.com".to_owned()),
                poll_ms: parse("GONGHUI_OUTWARD_POLL_MS", get("GONGHUI_OUTWARD_POLL_MS"), 2000)?,
                retry_secs: parse("GONGHUI_OUTWARD_RETRY_SECS", get("GONGHUI_OUTWARD_RETRY_SECS"), 30)?,
                allow_http: parse("GONGHUI_OUTWARD_ALLOW_HTTP", get("GONGHUI_OUTWARD_ALLOW_HTTP"), false)?,
            },
            media_limits: {
                let defaults = app::newsroom::media::MediaLimits::default();
                let mb = |name: &'static str, default: u64| -> Result<u64, ConfigError> {
                    Ok(parse::<u64>(name, get(name), default >> 20)? << 20)
                };
                app::newsroom::media::MediaLimits {
                    photo: mb("GONGHUI_PHOTO_LIMIT_MB", defaults.photo)?,
                    audio: mb("GONGHUI_AUDIO_LIMIT_MB", defaults.audio)?,
                    video: mb("GONGHUI_VIDEO_LIMIT_MB", defaults.video)?,
                    file: mb("GONGHUI_FILE_LIMIT_MB", defaults.file)?,
                    files_per_upload: defaults.files_per_upload,
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn an_empty_environment_gives_the_documented_defaults() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/gonghui.db");
        assert_eq!(config.env, RunEnv::Dev);
        assert!(config.demo_data);
        assert_eq!(config.request_timeout, Duration::from_secs(15));
    }

    #[test]
    fn a_malformed_setting_is_named_in_the_error() {
        let error = config(&[("GONGHUI_ADDR", "localhost")]).unwrap_err();
        assert!(error.to_string().starts_with("GONGHUI_ADDR: \"localhost\""), "{error}");
        let error = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert!(error.to_string().starts_with("DATABASE_URL"), "{error}");
        assert!(config(&[("GONGHUI_ENV", "staging")]).is_err());
    }

    #[test]
    fn the_public_origin_loses_its_trailing_slash() {
        let config = config(&[("GONGHUI_PUBLIC_ORIGIN", "https://hui.example.org/")]).unwrap();
        assert_eq!(config.public_origin.as_deref(), Some("https://hui.example.org"));
    }
}
