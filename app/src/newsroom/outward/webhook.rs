//! A webhook as an outward channel, for any other medium: the article as
//! JSON POSTed to the channel's URL, signed so the receiver knows it is
//! ours and fresh: `X-Gonghui-Signature: sha256=HEX(HMAC-SHA256(key,
//! timestamp + "." + body))` with `X-Gonghui-Timestamp` (Unix seconds), and
//! `X-Gonghui-Delivery` (the delivery id, the same on every retry, so a
//! receiver that got it already can ignore it). A 2xx answer is delivered;
//! 4xx (other than 408 and 429) will not change by trying again; anything
//! else is retried.

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::{Adapter, BoxFuture, Job, Step};

pub struct Webhook {
    http: reqwest::Client,
}

/// The signature of `body` sent at `timestamp` with `key` (hex).
pub fn signature(key: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

impl Webhook {
    pub fn new(http: reqwest::Client) -> Self {
        Self { http }
    }

    async fn run(&self, job: &Job) -> Step {
        let a = &job.article;
        let body = json!({
            "delivery": job.delivery.id,
            "id": a.id,
            "title": a.title,
            "url": job.url,
            "channel": a.channel_name,
            "byline": a.byline,
            "excerpt": a.excerpt,
            "html": a.body_html,
            "published_at": a.publish_at,
        })
        .to_string();
        let now = crate::clock::now();
        let sent = self
            .http
            .post(&job.endpoint)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("X-Gonghui-Delivery", job.delivery.id.to_string())
            .header("X-Gonghui-Timestamp", now.to_string())
            .header("X-Gonghui-Signature", format!("sha256={}", signature(&job.secret, now, body.as_bytes())))
            .body(body)
            .send()
            .await;
        let keep = |reason: String| Step::Retry { step: String::new(), remote_ref: String::new(), reason };
        match sent {
            Ok(r) if r.status().is_success() => Step::Sent { url: String::new() },
            Ok(r) if r.status().is_client_error() && r.status() != 408 && r.status() != 429 => Step::Failed {
                step: String::new(),
                remote_ref: String::new(),
                reason: format!("对方拒绝接收（HTTP {}），请检查地址和密钥", r.status().as_u16()),
            },
            Ok(r) => keep(format!("对方暂时无法接收（HTTP {}）", r.status().as_u16())),
            Err(e) => keep(format!("无法连接对方：{e}")),
        }
    }
}

impl Adapter for Webhook {
    fn deliver<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Step> {
        Box::pin(self.run(job))
    }
}
