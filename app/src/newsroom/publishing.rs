//! Publishing's rules on typed inputs (server only): publishing a story,
//! corrections and withdrawals, comments judged by the watched words (舆情),
//! and counting a view without a cookie (a salted daily hash).

use std::sync::Arc;
use std::time::Duration;

use domain::watchwords::{Tier, WatchWord, Watchlist};
use store::{ArticleCounts, MemberId, NewAlert, NewComment, NewView, Store, StoredWatchWord, ViewQueue};

use crate::clock::now;
use crate::error::AppError;

/// Changes to what public article, channel and feed pages show, made in
/// this process; the server's page cache keys on it, so a correction, a
/// withdrawal or an approved comment shows at once here (elsewhere within
/// the cache's 2 s).
static EDITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// See `EDITS`.
pub fn edits() -> u64 {
    EDITS.load(std::sync::atomic::Ordering::Relaxed)
}

/// A public page changed (see `EDITS`).
pub fn edited() {
    EDITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// The longest comment (characters).
pub const COMMENT_CHARS: usize = 500;
/// Watched words are reloaded at least this often in every process (an
/// official's change in this process shows at once).
const WATCHLIST_TTL: Duration = Duration::from_secs(30);
/// Article tallies are reused for this long: a hot article's page does not
/// count 100 000 rows per request.
const COUNTS_TTL: Duration = Duration::from_secs(3);

/// What publishing keeps per process: the view queue, the built watchlists
/// (per channel unit: its own words and every list above it) and recent
/// article tallies. Cheap to clone.
#[derive(Clone)]
pub struct Publishing {
    pub views: ViewQueue,
    /// Webhooks to plain `http://` addresses allowed (tests, an intranet).
    pub allow_http_webhooks: bool,
    watchlists: moka::sync::Cache<i64, Arc<UnitWatchlist>>,
    counts: moka::sync::Cache<i64, ArticleCounts>,
    salt: Arc<std::sync::Mutex<Option<(i64, String)>>>,
}

/// The automaton for one channel, and which unit's list holds each word.
pub struct UnitWatchlist {
    list: Watchlist,
    owners: Vec<StoredWatchWord>,
}

impl UnitWatchlist {
    pub fn verdict(&self, text: &str) -> domain::watchwords::Verdict {
        self.list.verdict(text)
    }

    /// A 舆情 alert for each hit, for every unit whose list holds the word;
    /// blocked words count only `with_blocked` (a comment they block is
    /// never stored, but a letter is never refused for its words).
    pub fn alerts(&self, verdict: &domain::watchwords::Verdict, with_blocked: bool) -> Vec<NewAlert> {
        verdict
            .hits
            .iter()
            .filter(|h| with_blocked || h.tier != Tier::Block)
            .flat_map(|h| {
                self.owners.iter().filter(move |o| o.word == h.word).map(move |o| NewAlert {
                    unit_id: o.unit_id,
                    word: h.word.clone(),
                    tier: h.tier.as_str().to_owned(),
                })
            })
            .collect()
    }
}

impl Publishing {
    /// Starts the view writer on the current tokio runtime.
    pub fn start(store: Store, allow_http_webhooks: bool) -> Self {
        Self {
            views: ViewQueue::start(store),
            allow_http_webhooks,
            watchlists: moka::sync::Cache::builder().max_capacity(10_000).time_to_live(WATCHLIST_TTL).build(),
            counts: moka::sync::Cache::builder().max_capacity(100_000).time_to_live(COUNTS_TTL).build(),
            salt: Arc::default(),
        }
    }

    /// The watchlist that applies on unit `unit_id`'s channel.
    pub async fn watchlist(&self, store: &Store, unit_id: i64) -> Result<Arc<UnitWatchlist>, AppError> {
        if let Some(found) = self.watchlists.get(&unit_id) {
            return Ok(found);
        }
        let owners = store.watch_words_over(unit_id).await.map_err(|e| AppError::from_store("watchlist", e))?;
        let words = owners.iter().filter_map(|w| {
            let tier = Tier::parse(&w.tier)?;
            WatchWord::parse(&w.word, tier, w.whole_word).ok()
        });
        let built = Arc::new(UnitWatchlist { list: Watchlist::new(words), owners });
        self.watchlists.insert(unit_id, built.clone());
        Ok(built)
    }

    /// After a list changed: every channel rebuilds (lists apply downwards).
    pub fn forget_watchlists(&self) {
        self.watchlists.invalidate_all();
    }

    /// Article `id`'s tallies, at most 3 s old.
    pub async fn counts(&self, store: &Store, id: i64) -> Result<ArticleCounts, AppError> {
        if let Some(found) = self.counts.get(&id) {
            return Ok(found);
        }
        let counts = store.article_counts(id).await.map_err(|e| AppError::from_store("counts", e))?;
        self.counts.insert(id, counts);
        Ok(counts)
    }

    /// A member's like changes the count they see at once.
    pub fn forget_counts(&self, id: i64) {
        self.counts.invalidate(&id);
    }

    /// Counts a view of article `id` by the visitor at `address` with
    /// `browser` (User-Agent), who came by share tag `tag`. The visitor is
    /// SHA-256(day's salt, address, browser): the same all day, unlinkable
    /// to the address once the day's salt is deleted, and no cookie.
    pub async fn count_view(&self, store: &Store, id: i64, address: &str, browser: &str, tag: Option<String>) {
        use sha2::Digest;
        let at = now();
        let day = domain::calendar::shanghai_day(at);
        let salt = match self.salt_of(store, day).await {
            Ok(salt) => salt,
            Err(error) => {
                tracing::warn!(%error, "no view salt; view not counted");
                return;
            }
        };
        let digest = sha2::Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update([0])
            .chain_update(address.as_bytes())
            .chain_update([0])
            .chain_update(browser.as_bytes())
            .finalize();
        // 16 bytes: collisions among a day's visitors of one article are
        // negligible (birthday bound ~2^64).
        let visitor: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.views.record(NewView { article: id, day, visitor, tag, at }).await;
    }

    async fn salt_of(&self, store: &Store, day: i64) -> Result<String, store::StoreError> {
        if let Some((d, salt)) = self.salt.lock().map(|g| g.clone()).unwrap_or_default() {
            if d == day {
                return Ok(salt);
            }
        }
        let salt = store.view_salt(day, &crate::random::token()).await?;
        if let Ok(mut guard) = self.salt.lock() {
            *guard = Some((day, salt.clone()));
        }
        Ok(salt)
    }
}

/// Share tags in links are our 32 hex characters; anything else is ignored.
pub fn share_tag(raw: Option<String>) -> Option<String> {
    raw.filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `YYYY-MM-DDTHH:MM` (a `datetime-local` input) in Shanghai, as Unix seconds.
pub fn parse_local_time(raw: &str) -> Option<i64> {
    let (date, time) = raw.trim().split_once('T')?;
    let date = domain::CivilDate::parse_iso(date)?;
    let (h, m) = time.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then(|| date.midnight_in_shanghai() + h * 3600 + m * 60)
}

/// Publishes adopted story `story` (staff of its desk), now or at `when`
/// (`YYYY-MM-DDTHH:MM`, Shanghai, not in the past). The article's id.
pub async fn publish(store: &Store, by: MemberId, story: i64, when: &str, pinned: bool) -> Result<i64, AppError> {
    let at = now();
    let publish_at = if when.trim().is_empty() {
        at
    } else {
        parse_local_time(when)
            .filter(|t| *t >= at - 60)
            .ok_or_else(|| AppError::rejected(400, "when", "请选择发布时间（不能早于现在），或留空立即发布"))?
    };
    match store.publish_story(store::Publishing { story, by, publish_at, pinned, now: at }).await {
        Ok(id) => {
            edited();
            Ok(id)
        }
        Err(store::PublishError::NotReady) => Err(AppError::rejected(409, "", "只有已采用、尚未发布的稿件可以发布")),
        Err(store::PublishError::NotStaff) => {
            Err(AppError::rejected(403, "", "只有本单位（或上级）的责任编辑、终审或管理员可以发布"))
        }
        Err(store::PublishError::Store(e)) => Err(AppError::from_store("publish", e)),
    }
}

/// 更正: article `id`'s new title and Markdown text, with a note saying what
/// changed (shown with its time).
pub async fn correct(
    store: &Store,
    by: MemberId,
    id: i64,
    title: &str,
    body: &str,
    note: &str,
) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 60 {
        return Err(AppError::rejected(400, "title", "请填写标题（60 字以内）"));
    }
    if body.trim().is_empty() || body.chars().count() > 20_000 {
        return Err(AppError::rejected(400, "body", "请填写正文（20000 字以内）"));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > 200 {
        return Err(AppError::rejected(400, "note", "请写明更正了什么（200 字以内）"));
    }
    let html = crate::newsroom::service::render_markdown(body);
    let excerpt: String = crate::newsroom::service::plain_text(&html).chars().take(120).collect();
    let done = store
        .correct_article(by, id, title, (body.trim(), &html), &excerpt, note, now())
        .await
        .map_err(|e| AppError::from_store("correct", e))?;
    if done {
        edited();
        Ok("已更正，文章页显示更正说明和时间".to_owned())
    } else {
        Err(AppError::rejected(403, "", "只有本频道的编辑可以更正未撤下的文章"))
    }
}

/// 撤稿: article `id` leaves every feed; its link then says it was withdrawn.
pub async fn withdraw(store: &Store, by: MemberId, id: i64, reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::rejected(400, "reason", "请填写撤稿原因（200 字以内）"));
    }
    let done = store.withdraw_article(by, id, reason, now()).await.map_err(|e| AppError::from_store("withdraw", e))?;
    if done {
        edited();
        Ok("已撤稿".to_owned())
    } else {
        Err(AppError::rejected(403, "", "只有本频道的编辑可以撤下这篇文章（已撤下的不能再撤）"))
    }
}

/// What became of a comment.
pub enum Commented {
    /// Waiting for an official (every comment is, 先审后发); `held` names
    /// the watched words that flag it in the queue.
    Pending { held: Vec<String> },
}

/// Member `by` comments `body` on live article `id`. A blocked word refuses
/// it (400, naming the word, nothing stored); a held word flags it for the
/// moderators; an alert word records a 舆情 alert for the unit whose list
/// has it. The comment itself is pending either way, until approved.
pub async fn comment(
    store: &Store,
    publishing: &Publishing,
    by: MemberId,
    id: i64,
    body: &str,
) -> Result<Commented, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::rejected(400, "body", "请写下评论内容"));
    }
    if body.chars().count() > COMMENT_CHARS {
        return Err(AppError::rejected(400, "body", format!("评论不能超过 {COMMENT_CHARS} 字")));
    }
    let article = live_article(store, id).await?;
    let watch = publishing.watchlist(store, article.unit_id).await?;
    let verdict = watch.verdict(body);
    if let Some(hit) = verdict.blocked() {
        return Err(AppError::rejected(400, "body", format!("评论含有不允许发布的词语“{}”，请修改后再发", hit.word)));
    }
    let held: Vec<String> = verdict.words(Tier::Hold).into_iter().map(str::to_owned).collect();
    let alerts = watch.alerts(&verdict, false);
    let at = now();
    store
        .insert_comment(&NewComment {
            article: id,
            member: by,
            body,
            held_words: &held.join("、"),
            alerts: &alerts,
            day: &domain::CivilDate::in_shanghai(at).iso(),
            now: at,
        })
        .await
        .map_err(|e| AppError::from_store("comment", e))?;
    Ok(Commented::Pending { held })
}

/// Article `id` when members may act on it (published, not withdrawn).
pub async fn live_article(store: &Store, id: i64) -> Result<store::Article, AppError> {
    let article = store.article(id).await.map_err(|e| AppError::from_store("article", e))?;
    match article {
        Some(a) if a.withdrawn_at.is_none() && a.publish_at <= now() => Ok(a),
        Some(_) => Err(AppError::rejected(409, "", "这篇文章已撤下或尚未发布")),
        None => Err(AppError::rejected(404, "", "没有这篇文章")),
    }
}

/// An official's watched word, checked: `tier` is block/hold/alert.
pub fn watch_word(word: &str, tier: &str, whole_word: bool) -> Result<WatchWord, AppError> {
    let tier = Tier::parse(tier).ok_or_else(|| AppError::rejected(400, "tier", "请选择处理方式"))?;
    WatchWord::parse(word, tier, whole_word).map_err(|e| AppError::rejected(400, "word", e.to_string()))
}

/// An outward channel as an official typed it, checked: a WeChat account's
/// AppID and AppSecret, or a webhook's address and signing key.
pub fn outward_channel(
    kind: &str,
    name: &str,
    endpoint: &str,
    secret: &str,
    allow_http: bool,
) -> Result<(&'static str, String, String, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        return Err(AppError::rejected(400, "name", "请填写渠道名称（30 字以内）"));
    }
    let (endpoint, secret) = (endpoint.trim(), secret.trim());
    match kind {
        "wechat" => {
            if !(endpoint.len() == 18
                && endpoint.starts_with("wx")
                && endpoint.bytes().all(|b| b.is_ascii_alphanumeric()))
            {
                return Err(AppError::rejected(400, "endpoint", "请填写公众号的 AppID（wx 开头，18 位）"));
            }
            if !(secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_alphanumeric())) {
                return Err(AppError::rejected(400, "secret", "请填写公众号的 AppSecret（32 位）"));
            }
            Ok(("wechat", name.to_owned(), endpoint.to_owned(), secret.to_owned()))
        }
        "webhook" => {
            let allowed = endpoint.starts_with("https://") || (allow_http && endpoint.starts_with("http://"));
            if !allowed || endpoint.len() > 300 || endpoint.contains(char::is_whitespace) {
                return Err(AppError::rejected(400, "endpoint", "请填写以 https:// 开头的接收地址"));
            }
            if secret.chars().count() < 16 || secret.chars().count() > 128 {
                return Err(AppError::rejected(400, "secret", "签名密钥需 16 到 128 个字符"));
            }
            Ok(("webhook", name.to_owned(), endpoint.to_owned(), secret.to_owned()))
        }
        _ => Err(AppError::rejected(400, "kind", "请选择渠道类型")),
    }
}
