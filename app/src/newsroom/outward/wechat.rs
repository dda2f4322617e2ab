//! A WeChat official account (公众号) as an outward channel, through the
//! documented API: `cgi-bin/token` (AppID + AppSecret → access token, kept
//! until 5 minutes before it expires), the images first (`material/add_material`
//! for the cover, `media/uploadimg` for pictures in the text: WeChat shows no
//! outside images), `draft/add`, `freepublish/submit`, then
//! `freepublish/get` polled until WeChat says published or failed.
//!
//! Never twice: the draft's media_id is kept once made (step `draft`); before
//! submitting, the step becomes `submitting`. A try that finds `submitting`
//! (the answer to a submit was lost) asks `draft/get` first: a draft still
//! there was not published and is submitted again; a draft gone was (WeChat
//! takes it out of the drafts when it is submitted), so the publication is
//! looked up in `freepublish/batchget` by the article's address instead.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{Adapter, BoxFuture, Job, Step};

pub struct WeChat {
    http: reqwest::Client,
    api: String,
    /// AppID → (token, valid until).
    tokens: moka::sync::Cache<String, (String, Instant)>,
}

/// An answer with a non-zero `errcode`, or no answer at all.
#[derive(Debug)]
struct WxError {
    code: i64,
    message: String,
}

/// The site's icon: the cover when an article has no photo (a draft needs one).
const DEFAULT_COVER: &[u8] = include_bytes!("../../../../public/icons/icon-512.png");

impl WxError {
    /// What an official reads, in Chinese, with WeChat's own code.
    fn reason(&self) -> String {
        let known = match self.code {
            40164 | 61004 => {
                "服务器 IP 不在公众号的 IP 白名单中，请在公众号后台“设置与开发 → 基本配置”中加入本服务器的 IP"
            }
            40001 | 40125 => "AppSecret 不正确，请在渠道设置中更正",
            40013 => "AppID 不正确，请在渠道设置中更正",
            42001 | 40014 => "access_token 已过期",
            45009 => "今日接口调用次数已达上限",
            48001 => "公众号没有发布接口的权限（需为已认证的公众号）",
            40007 => "素材 media_id 无效",
            40009 | 40113 | 40005 => "图片的格式或大小不符合公众号要求",
            -1 => "微信系统繁忙",
            0 => "",
            _ => "微信接口返回错误",
        };
        match self.code {
            // No code: a network failure; the message says which.
            i64::MIN => format!("无法连接微信接口：{}", self.message),
            _ => format!("{known}（错误码 {}：{}）", self.code, self.message),
        }
    }
}

type Wx<T> = Result<T, WxError>;

/// Reads an answer: HTTP failure or `errcode` ≠ 0 is an error.
async fn answer(response: Result<reqwest::Response, reqwest::Error>) -> Wx<Value> {
    let response = response.map_err(|e| WxError { code: i64::MIN, message: e.to_string() })?;
    if !response.status().is_success() {
        return Err(WxError { code: i64::MIN, message: format!("HTTP {}", response.status()) });
    }
    let body: Value = response.json().await.map_err(|e| WxError { code: i64::MIN, message: e.to_string() })?;
    match body.get("errcode").and_then(Value::as_i64) {
        Some(code) if code != 0 => {
            Err(WxError { code, message: body.get("errmsg").and_then(Value::as_str).unwrap_or_default().to_owned() })
        }
        _ => Ok(body),
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

impl WeChat {
    pub fn new(http: reqwest::Client, api: String) -> Self {
        Self { http, api: api.trim_end_matches('/').to_owned(), tokens: moka::sync::Cache::new(1000) }
    }

    async fn token(&self, appid: &str, secret: &str) -> Wx<String> {
        if let Some((token, until)) = self.tokens.get(appid) {
            if Instant::now() < until {
                return Ok(token);
            }
        }
        let url = format!("{}/cgi-bin/token", self.api);
        let query = [("grant_type", "client_credential"), ("appid", appid), ("secret", secret)];
        let body = answer(self.http.get(url).query(&query).send().await).await?;
        let token = text(&body, "access_token");
        let expires = body.get("expires_in").and_then(Value::as_u64).unwrap_or(7200);
        let until = Instant::now() + Duration::from_secs(expires.saturating_sub(300));
        self.tokens.insert(appid.to_owned(), (token.clone(), until));
        Ok(token)
    }

    async fn post_json(&self, path: &str, token: &str, body: Value) -> Wx<Value> {
        let url = format!("{}/cgi-bin/{path}", self.api);
        answer(self.http.post(url).query(&[("access_token", token)]).json(&body).send().await).await
    }

    async fn upload(&self, path: &str, token: &str, bytes: Vec<u8>, name: &str) -> Wx<Value> {
        let url = format!("{}/cgi-bin/{path}", self.api);
        let mime = if name.ends_with(".png") { "image/png" } else { "image/jpeg" };
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)
            .map_err(|e| WxError { code: i64::MIN, message: e.to_string() })?;
        let form = reqwest::multipart::Form::new().part("media", part);
        answer(self.http.post(url).query(&[("access_token", token), ("type", "image")]).multipart(form).send().await)
            .await
    }

    /// The cover and the pictures uploaded, then the draft; its media_id.
    async fn make_draft(&self, token: &str, job: &Job) -> Wx<String> {
        let (cover, cover_name) = match job.photos.first() {
            Some((bytes, name)) => (bytes.clone(), name.clone()),
            None => (DEFAULT_COVER.to_vec(), "cover.png".to_owned()),
        };
        let thumb = text(&self.upload("material/add_material", token, cover, &cover_name).await?, "media_id");
        let mut content = job.article.body_html.clone();
        for (bytes, name) in &job.photos {
            let url = text(&self.upload("media/uploadimg", token, bytes.clone(), name).await?, "url");
            content.push_str(&format!(r#"<p><img src="{}"/></p>"#, html_escape::encode_double_quoted_attribute(&url)));
        }
        let digest: String = job.article.excerpt.chars().take(100).collect();
        let draft = json!({ "articles": [{
            "title": job.article.title,
            "author": job.article.byline.split(" · ").next().unwrap_or_default(),
            "digest": digest,
            "content": content,
            "content_source_url": job.url,
            "thumb_media_id": thumb,
            "need_open_comment": 0,
            "only_fans_can_comment": 0,
        }]});
        Ok(text(&self.post_json("draft/add", token, draft).await?, "media_id"))
    }

    /// Looks up a publication made from this article (its address is the
    /// draft's `content_source_url`) among the latest 20.
    async fn find_published(&self, token: &str, job: &Job) -> Wx<Option<String>> {
        let list =
            self.post_json("freepublish/batchget", token, json!({"offset": 0, "count": 20, "no_content": 1})).await?;
        let items = list.get("item").and_then(Value::as_array).cloned().unwrap_or_default();
        for item in items {
            let news = item.pointer("/content/news_item").and_then(Value::as_array).cloned().unwrap_or_default();
            for article in news {
                if text(&article, "content_source_url") == job.url {
                    return Ok(Some(text(&article, "url")));
                }
            }
        }
        Ok(None)
    }

    async fn run(&self, job: &Job) -> Step {
        let (mut step, mut remote) = (job.delivery.step.clone(), job.delivery.remote_ref.clone());
        let retry = |step: &str, remote: &str, e: WxError| Step::Retry {
            step: step.to_owned(),
            remote_ref: remote.to_owned(),
            reason: e.reason(),
        };
        let token = match self.token(&job.endpoint, &job.secret).await {
            Ok(token) => token,
            Err(e) => return retry(&step, &remote, e),
        };
        if step.is_empty() {
            match self.make_draft(&token, job).await {
                Ok(media_id) => (step, remote) = ("draft".to_owned(), media_id),
                Err(e) => return retry("", "", e),
            }
        }
        if step == "submitting" {
            // Was the lost submit received? The draft tells.
            match self.post_json("draft/get", &token, json!({ "media_id": remote })).await {
                Ok(_) => step = "draft".to_owned(),
                Err(WxError { code: 40007, .. }) => {
                    return match self.find_published(&token, job).await {
                        Ok(Some(url)) => Step::Sent { url },
                        Ok(None) => Step::Waiting { step, remote_ref: remote },
                        Err(e) => retry(&step, &remote, e),
                    };
                }
                Err(e) => return retry(&step, &remote, e),
            }
        }
        if step == "draft" {
            match self.post_json("freepublish/submit", &token, json!({ "media_id": remote })).await {
                Ok(body) => (step, remote) = ("submitted".to_owned(), text(&body, "publish_id")),
                // No answer: it may have been received; the next try asks.
                Err(e) if e.code == i64::MIN => return retry("submitting", &remote, e),
                Err(e) => return retry(&step, &remote, e),
            }
        }
        // submitted: is it out yet?
        match self.post_json("freepublish/get", &token, json!({ "publish_id": remote })).await {
            Ok(body) => match body.get("publish_status").and_then(Value::as_i64) {
                Some(0) => Step::Sent {
                    url: body
                        .pointer("/article_detail/item/0/article_url")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                },
                Some(1) => Step::Waiting { step, remote_ref: remote },
                Some(status) => {
                    let why = match status {
                        2 => "原创声明失败",
                        3 => "常规失败",
                        4 => "平台审核不通过",
                        5 => "发布成功后已被用户删除",
                        6 => "发布成功后已被封禁",
                        _ => "未知状态",
                    };
                    Step::Failed {
                        step,
                        remote_ref: remote,
                        reason: format!("公众号发布失败：{why}（publish_status {status}）"),
                    }
                }
                None => Step::Waiting { step, remote_ref: remote },
            },
            Err(e) => retry(&step, &remote, e),
        }
    }
}

impl Adapter for WeChat {
    fn deliver<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Step> {
        Box::pin(async move {
            let step = self.run(job).await;
            // A failed try may be an expired or revoked token: the next try
            // asks for a fresh one (one more call, only after a failure).
            if matches!(step, Step::Retry { .. }) {
                self.tokens.invalidate(&job.endpoint);
            }
            step
        })
    }
}
