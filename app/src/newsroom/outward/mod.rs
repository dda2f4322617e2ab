//! Outward channels (一键发布, 直通媒体), server only: each medium is an
//! `Adapter` behind one trait (WeChat official accounts, signed webhooks);
//! one background worker takes due deliveries from the database
//! (`Store::claim_delivery`, a lease, so two processes never send the same
//! one), runs the adapter and records the outcome: sent, waiting (WeChat
//! publishes asynchronously), retried with back-off, or failed with the
//! medium's reason in Chinese. The delivery row is unique per article and
//! channel, and a multi-step delivery resumes where it got to: nothing is
//! sent twice.

pub mod webhook;
pub mod wechat;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use store::{Delivery, DeliveryOutcome, Store};

/// Tries before a delivery is given up (an official may queue it again):
/// with the back-off below, about 2 hours after the first try at 30 s.
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between two tries.
const MAX_BACKOFF_SECS: i64 = 3600;

/// How the worker runs (from the server's configuration).
#[derive(Clone, Debug)]
pub struct Settings {
    /// WeChat's API (`https://api.weixin.qq.com`; a fake server in tests).
    pub wechat_api: String,
    /// How often the worker looks for due deliveries.
    pub poll: Duration,
    /// The first retry's wait; each later one doubles it (to 1 hour).
    pub retry_base_secs: i64,
    /// Webhooks to plain `http://` addresses (tests, an intranet medium).
    pub allow_http: bool,
    /// Article links' origin (`https://hui.example.org`).
    pub public_origin: String,
}

/// What a delivery is about, ready for an adapter.
pub struct Job {
    pub delivery: Delivery,
    pub article: store::Article,
    /// The article's public address.
    pub url: String,
    /// The channel's AppID or URL, and its unsealed secret.
    pub endpoint: String,
    pub secret: String,
    /// The article's photos: (bytes of the phone-sized picture, file name).
    pub photos: Vec<(Vec<u8>, String)>,
}

/// Where an adapter got to with a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Sent {
        url: String,
    },
    /// Accepted, not finished: look again soon.
    Waiting {
        step: String,
        remote_ref: String,
    },
    /// Worth another try later (network, a busy medium, a setting an
    /// official can fix such as WeChat's IP whitelist).
    Retry {
        step: String,
        remote_ref: String,
        reason: String,
    },
    /// Will not succeed by trying again.
    Failed {
        step: String,
        remote_ref: String,
        reason: String,
    },
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A medium articles are pushed to.
pub trait Adapter: Send + Sync {
    fn deliver<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Step>;
}

/// The adapters by channel kind.
pub struct Adapters {
    pub wechat: wechat::WeChat,
    pub webhook: webhook::Webhook,
}

impl Adapters {
    pub fn new(settings: &Settings) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self {
            wechat: wechat::WeChat::new(http.clone(), settings.wechat_api.clone()),
            webhook: webhook::Webhook::new(http),
        }
    }

    fn for_kind(&self, kind: &str) -> Option<&dyn Adapter> {
        match kind {
            "wechat" => Some(&self.wechat),
            "webhook" => Some(&self.webhook),
            _ => None,
        }
    }
}

/// The wait before try number `attempts + 1` (30 s, 60 s, 2 min, …, 1 h).
pub fn backoff(retry_base_secs: i64, attempts: i64) -> i64 {
    (retry_base_secs.max(1) << attempts.clamp(0, 20)).min(MAX_BACKOFF_SECS)
}

/// Turns an adapter's step into the stored outcome, with its timing.
pub fn outcome(step: Step, attempts: i64, settings: &Settings, now: i64) -> DeliveryOutcome {
    match step {
        Step::Sent { url } => DeliveryOutcome::Sent { url },
        Step::Waiting { step, remote_ref } => {
            DeliveryOutcome::Waiting { step, remote_ref, next_at: now + settings.retry_base_secs.max(1) }
        }
        Step::Retry { step, remote_ref, reason } if attempts + 1 >= MAX_ATTEMPTS => {
            DeliveryOutcome::Failed { step, remote_ref, reason: format!("{reason}（已重试 {MAX_ATTEMPTS} 次）") }
        }
        Step::Retry { step, remote_ref, reason } => DeliveryOutcome::Retry {
            step,
            remote_ref,
            reason,
            next_at: now + backoff(settings.retry_base_secs, attempts),
        },
        Step::Failed { step, remote_ref, reason } => DeliveryOutcome::Failed { step, remote_ref, reason },
    }
}

/// Starts the worker on the current tokio runtime.
pub fn start(store: Store, key: store::protect::DataKey, media: crate::newsroom::media::Media, settings: Settings) {
    let adapters = Arc::new(Adapters::new(&settings));
    tokio::spawn(async move {
        loop {
            // Everything due now, one at a time; then wait for the next look.
            loop {
                match run_one(&store, &key, &media, &adapters, &settings).await {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(error) => {
                        tracing::warn!(%error, "outward delivery");
                        break;
                    }
                }
            }
            tokio::time::sleep(settings.poll).await;
        }
    });
}

/// A delivery holds its lease this long: longer than any one try.
const LEASE_SECS: i64 = 300;

/// Takes one due delivery and runs it. `Ok(false)`: none was due.
pub async fn run_one(
    store: &Store,
    key: &store::protect::DataKey,
    media: &crate::newsroom::media::Media,
    adapters: &Adapters,
    settings: &Settings,
) -> Result<bool, store::StoreError> {
    let now = crate::clock::now();
    let Some(delivery) = store.claim_delivery(now, now + LEASE_SECS).await? else { return Ok(false) };
    let attempts = delivery.attempts;
    let id = delivery.id;
    let step = match prepare(store, key, media, settings, delivery).await {
        Ok(job) => match adapters.for_kind(&job.delivery.kind) {
            Some(adapter) => adapter.deliver(&job).await,
            None => {
                Step::Failed { step: String::new(), remote_ref: String::new(), reason: "未知的渠道类型".into() }
            }
        },
        Err(step) => step,
    };
    tracing::info!(delivery = id, ?step, "outward delivery");
    store.finish_delivery(id, &outcome(step, attempts, settings, crate::clock::now()), crate::clock::now()).await?;
    Ok(true)
}

/// The job for `delivery`: its article, channel credentials and photos.
async fn prepare(
    store: &Store,
    key: &store::protect::DataKey,
    media: &crate::newsroom::media::Media,
    settings: &Settings,
    delivery: Delivery,
) -> Result<Job, Step> {
    let keep =
        |reason: String| Step::Retry { step: delivery.step.clone(), remote_ref: delivery.remote_ref.clone(), reason };
    let article = match store.article(delivery.article_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Err(keep("文章不存在".into())),
        Err(e) => return Err(keep(format!("数据库暂时不可用：{e}"))),
    };
    if article.withdrawn_at.is_some() {
        return Err(Step::Failed {
            step: delivery.step.clone(),
            remote_ref: delivery.remote_ref.clone(),
            reason: "文章已撤稿，不再发布".into(),
        });
    }
    let channel = match store.outward_channel(delivery.channel_id).await {
        Ok(Some(c)) => c,
        _ => return Err(keep("渠道不存在或数据库暂时不可用".into())),
    };
    let Ok(secret) = key.open(&channel.secret_sealed) else {
        return Err(Step::Failed {
            step: delivery.step.clone(),
            remote_ref: delivery.remote_ref.clone(),
            reason: "渠道密钥无法解密（数据密钥已更换？请重新添加渠道）".into(),
        });
    };
    let mut photos = Vec::new();
    if let Some(story) = article.story_id {
        if let Ok(assets) = store.story_assets(story).await {
            for asset in assets.into_iter().filter(|a| a.kind == "photo") {
                // The 960 px picture: what a phone shows, within WeChat's 10 MB.
                let blob =
                    asset.thumbs.split(';').find_map(|t| t.strip_prefix("960=")).unwrap_or(&asset.blob_key).to_owned();
                match media.blobs.get(&object_store::path::Path::from(blob.as_str())).await {
                    Ok(found) => match found.bytes().await {
                        Ok(bytes) => photos.push((bytes.to_vec(), format!("{}.jpg", asset.token))),
                        Err(e) => return Err(keep(format!("读取图片失败：{e}"))),
                    },
                    Err(e) => return Err(keep(format!("读取图片失败：{e}"))),
                }
            }
        }
    }
    let url = format!("{}/a/{}", settings.public_origin.trim_end_matches('/'), article.id);
    Ok(Job { endpoint: channel.endpoint, secret, url, photos, article, delivery })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            wechat_api: String::new(),
            poll: Duration::from_secs(1),
            retry_base_secs: 30,
            allow_http: false,
            public_origin: String::new(),
        }
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (0..9).map(|n| backoff(30, n)).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn a_delivery_that_keeps_failing_is_given_up_with_its_reason() {
        let retry = || Step::Retry { step: "draft".into(), remote_ref: "M1".into(), reason: "网络错误".into() };
        assert_eq!(
            outcome(retry(), 0, &settings(), 1000),
            DeliveryOutcome::Retry {
                step: "draft".into(),
                remote_ref: "M1".into(),
                reason: "网络错误".into(),
                next_at: 1030
            }
        );
        match outcome(retry(), MAX_ATTEMPTS - 1, &settings(), 1000) {
            DeliveryOutcome::Failed { reason, remote_ref, .. } => {
                assert!(reason.starts_with("网络错误") && remote_ref == "M1", "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
