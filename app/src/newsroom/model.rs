//! The newsroom's view types: what its server functions answer and its pages
//! show. Plain data (serde), compiled for the browser and the server alike.

use serde::{Deserialize, Serialize};

/// A member's way into the desk (/desk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeskView {
    /// Only certified members may apply (实名认证 first).
    pub certified: bool,
    pub unit_name: String,
    /// Their latest correspondent record, if any.
    pub own: Option<OwnCorrespondentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OwnCorrespondentView {
    /// `pending`, `approved`, `refused` or `ended`.
    pub status: String,
    pub unit_name: String,
    pub reason: Option<String>,
}

/// An application in an official's list (ID number and phone masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CorrespondentRow {
    pub id: i64,
    pub name: String,
    pub gender: String,
    pub birth_month: String,
    pub education: String,
    pub union_post: String,
    pub job_title: String,
    pub phone_masked: String,
    pub email: String,
    pub id_masked: String,
    pub interests: String,
    pub unit_name: String,
    pub submitted: String,
}

/// The education levels the 登记表 offers.
pub const EDUCATION: &[&str] = &["初中及以下", "高中/中专", "大专", "本科", "硕士", "博士"];

/// One of the author's stories on their desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoryRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub excerpt: String,
    pub kind: String,
    pub event_date: String,
    pub outward: bool,
    /// `in_review`, `returned`, `held`, `rejected`, `ready`, `published`.
    pub status: String,
    /// 审核中 / 退回修改 / 待用 / 退稿 / 已采用 / 已发布.
    pub status_label: String,
    pub version: i64,
    pub late: bool,
    pub updated: String,
    /// The last reviewer's comment (why it was returned or rejected).
    pub comment: Option<String>,
    /// Its pictures and files from the library.
    pub assets: Vec<AssetView>,
}

/// A story waiting for the reviewer's step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub id: i64,
    pub version: i64,
    pub title: String,
    /// Sanitised HTML (Markdown rendered on the server, then ammonia).
    pub body_html: String,
    pub desk_unit_name: String,
    pub author_name: String,
    /// 初审 / 复审 / 终审.
    pub step_label: String,
    pub late: bool,
    pub submitted: String,
    /// How long it has waited at this step: 12 分钟 / 5 小时 / 3 天.
    pub waiting: String,
    pub assets: Vec<AssetView>,
    /// What changed since the version the reviewers returned (empty for a
    /// first version).
    pub changes: Vec<DiffLine>,
    /// Another reviewer who has taken it up (their lock holds).
    pub locked_by: Option<String>,
}

/// A line of a version diff: `+` added, `-` removed, ` ` unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiffLine {
    pub tag: String,
    pub text: String,
}

/// A story adopted at a desk in an editor's reach, which they may report
/// up (报送上级) or record as adopted by an outside medium.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AdoptedItem {
    pub id: i64,
    pub title: String,
    pub desk_unit_name: String,
    pub author_name: String,
    pub outward: bool,
    pub has_parent: bool,
    /// 责任编辑 over the desk: may report it up and record outside use.
    pub is_editor: bool,
}

/// The stories' kinds (两类稿件 and the rest), as stored and as shown.
pub const KINDS: &[(&str, &str)] =
    &[("news", "新闻"), ("theory", "理论"), ("experience", "经验"), ("model", "典型"), ("other", "其他")];

/// The label of `key` in one of the tables above (`KINDS`, `LEVELS`); the
/// key itself when it is not there.
pub fn label(table: &[(&str, &'static str)], key: &str) -> String {
    table.iter().find(|(k, _)| *k == key).map_or_else(|| key.to_owned(), |(_, l)| (*l).to_owned())
}

/// A story status as members read it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "draft" => "草稿",
        "in_review" => "审核中",
        "returned" => "退回修改",
        "held" => "待用",
        "rejected" => "退稿",
        "ready" => "已采用",
        "published" => "已发布",
        _ => "未知",
    }
}

/// A review decision on one of the member's stories, as 我的 tells it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoryNoticeView {
    /// 《标题》已采用 / 通过初审 / 退回修改 / 待用 / 退稿.
    pub text: String,
    /// The reviewer's comment, if any.
    pub comment: Option<String>,
    pub at: String,
}

/// A wait as reviewers read it: minutes under an hour, hours under two
/// days, days after that.
pub fn waited(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 3600 {
        format!("{} 分钟", secs / 60)
    } else if secs < 2 * 86_400 {
        format!("{} 小时", secs / 3600)
    } else {
        format!("{} 天", secs / 86_400)
    }
}

#[cfg(test)]
mod tests {
    use super::waited;

    #[test]
    fn waits_read_in_minutes_then_hours_then_days() {
        assert_eq!(waited(59 * 60), "59 分钟");
        assert_eq!(waited(3600), "1 小时");
        assert_eq!(waited(47 * 3600), "47 小时");
        assert_eq!(waited(2 * 86_400), "2 天");
        assert_eq!(waited(-5), "0 分钟", "a clock a little behind the database reads as now");
    }
}

/// An asset of the library (素材库) as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssetView {
    pub id: i64,
    /// `photo`, `audio`, `video`, `file`.
    pub kind: String,
    pub title: String,
    pub tags: String,
    pub unit_name: String,
    /// `/m/{token}`: the whole file (ranges served).
    pub url: String,
    /// Photos: `/m/{token}/320`, the list-sized thumbnail.
    pub thumb: Option<String>,
    /// Photos: `srcset` from the thumbnails (320w, 960w).
    pub srcset: Option<String>,
    pub file_name: String,
    pub content_type: String,
    /// 2.4 MB.
    pub size: String,
    pub uploaded: String,
}

/// Sizes as people read them.
pub fn size_label(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// One row of the quarterly 通报 (a unit, a correspondent, or the total).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FigureLine {
    pub name: String,
    /// A correspondent's unit (empty for unit rows).
    pub unit_name: String,
    pub submitted: i64,
    pub late: i64,
    pub adopted_own: i64,
    pub adopted_parent: i64,
    pub adopted_outside: i64,
    pub held: i64,
    pub rejected: i64,
    pub reported_up: i64,
    /// 稿酬, yuan with two decimals.
    pub pay: String,
}

/// The quarterly 通报 of a unit's subtree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuarterReport {
    /// 鄂尔多斯市总工会.
    pub unit_name: String,
    pub unit_code: String,
    /// `2026Q4` and 2026年第四季度.
    pub quarter: String,
    pub quarter_label: String,
    pub previous: String,
    pub next: Option<String>,
    pub units: Vec<FigureLine>,
    pub total: FigureLine,
    pub people: Vec<FigureLine>,
    /// 优秀信息员: the year so far, best first.
    pub best: Vec<RankLine>,
    /// The units the official may see figures of: (code, name).
    pub reach: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankLine {
    pub place: usize,
    pub name: String,
    pub unit_name: String,
    pub adopted: i64,
}

/// Fen as yuan: 5000 → 50.00.
pub fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// A 稿酬 rate as the rate table shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateLine {
    pub kind: String,
    pub kind_label: String,
    pub level: String,
    pub level_label: String,
    pub yuan: String,
}

/// Who adopted a story, for its 稿酬.
pub const LEVELS: &[(&str, &str)] = &[("own", "本级采用"), ("parent", "上级采用"), ("outside", "外部媒体采用")];

/// A call for stories (征集).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CallView {
    pub id: i64,
    pub unit_name: String,
    pub topic: String,
    pub details: String,
    pub deadline: String,
}

/// A target unit of a call and whether it answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CallTargetView {
    pub unit_name: String,
    pub answers: i64,
}

/// A subtree's 稿酬 ledger for a quarter, as rows of [`LEDGER_HEADER`]
/// (each correspondent's entries, their 小计, and the 合计 last).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LedgerView {
    pub unit_name: String,
    pub unit_code: String,
    pub quarter: String,
    pub quarter_label: String,
    pub rows: Vec<Vec<String>>,
    /// The unit's own rate table.
    pub rates: Vec<RateLine>,
}

/// The 稿酬 ledger's columns (page and CSV).
pub const LEDGER_COLUMNS: [&str; 8] =
    ["信息员", "单位", "稿件", "类型", "采用方", "采用级别", "采用时间", "稿酬（元）"];

/// A saved draft: its id (the next save updates it) and the notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavedDraft {
    pub id: i64,
    pub notice: String,
}

/// An article in a list (the feed, a channel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleCardView {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    /// The cover's phone-sized thumbnail (`/m/{token}/320`).
    pub cover: Option<String>,
    pub channel_name: String,
    pub when: String,
    pub pinned: bool,
}

/// A page of articles: the member feed or a channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeedView {
    /// 本会要闻 (signed out: the province's channel) or 临沂市总工会频道.
    pub heading: String,
    pub cards: Vec<ArticleCardView>,
    /// 1-based.
    pub page: i64,
    pub has_more: bool,
}

/// A 更正 or the 撤稿 notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoteView {
    pub when: String,
    pub text: String,
}

/// A comment as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentView {
    pub id: i64,
    /// The name with all but its first character masked (张**).
    pub author: String,
    pub body: String,
    pub when: String,
    /// The reader's own comment, still waiting for approval.
    pub pending: bool,
}

/// An article's tallies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CountsView {
    pub views: i64,
    pub likes: i64,
    pub comments: i64,
    pub shares: i64,
}

/// An article's page (`/a/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleView {
    pub id: i64,
    pub title: String,
    pub channel_name: String,
    pub channel_code: String,
    pub byline: String,
    pub when: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// The Markdown, for its staff's correction form (empty for others).
    pub body_md: String,
    pub excerpt: String,
    pub media: Vec<AssetView>,
    pub corrections: Vec<NoteView>,
    pub withdrawn: Option<NoteView>,
    /// Scheduled for later (only its staff get this far).
    pub scheduled: bool,
    pub counts: CountsView,
    /// Whether the reader likes it (`None`: signed out).
    pub liked: Option<bool>,
    pub comments: Vec<CommentView>,
    /// The link to share: with the reader's tag when signed in, else the
    /// tag they came by.
    pub share_url: String,
    /// Absolute, for Open Graph: the cover photo, else the article's poster
    /// (`/a/{id}/poster.png`); none withdrawn or scheduled.
    pub og_image: Option<String>,
    /// The picture's width and height when known (the poster's; not a cover's).
    pub og_image_size: Option<(u32, u32)>,
    /// The reader is staff of its channel (更正, 撤稿, 下发, tracking).
    pub staff: bool,
    /// Channels the reader may republish it on (code, name).
    pub republish_to: Vec<(String, String)>,
    /// Units the reader may distribute it from (code, name): their reach.
    pub distribute_from: Vec<(String, String)>,
    /// Outward channels the reader may push it to (id, "unit · name").
    pub push_to: Vec<(i64, String)>,
    /// Its deliveries to outward channels (for readers who may push).
    pub deliveries: Vec<DeliveryView>,
}

/// What a like did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LikeState {
    pub liked: bool,
    pub likes: i64,
}

/// A comment in the moderators' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PendingCommentView {
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub channel_name: String,
    pub author: String,
    pub body: String,
    /// The watched words that held it (待审), joined.
    pub held_words: String,
    pub when: String,
}

/// A watched word on a unit's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WatchWordView {
    pub word: String,
    pub tier: String,
    pub tier_label: String,
    pub whole_word: bool,
}

/// A unit's watchlist page: its words and the alerts per word per day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WatchPageView {
    pub unit_code: String,
    pub units: Vec<(String, String)>,
    pub words: Vec<WatchWordView>,
    /// (day, word, tier label, hits), the last 30 days.
    pub alerts: Vec<(String, String, String, i64)>,
}

/// An entry of a unit's inbox: an article sent down (下发) or a story
/// reported up (报送).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InboxItem {
    pub distributed: bool,
    pub id: i64,
    pub title: String,
    pub unit_code: String,
    pub unit_name: String,
    pub from_name: String,
    pub note: String,
    pub when: String,
    pub republished: bool,
}

/// A distribution as its sender tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DistributionView {
    pub id: i64,
    pub article_id: i64,
    pub title: String,
    pub from_name: String,
    pub note: String,
    pub when: String,
    /// (unit name, opened at, republished at).
    pub targets: Vec<(String, Option<String>, Option<String>)>,
}

/// The inbox page: what came in, and what went out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InboxView {
    pub items: Vec<InboxItem>,
    pub sent: Vec<DistributionView>,
}

/// One branch of the propagation tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PropagationBranch {
    pub unit_name: String,
    pub views: i64,
    pub sharers: i64,
    /// (resharing unit, views, sharers).
    pub via: Vec<(String, i64, i64)>,
}

/// An article's tracking page (传播追踪).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrackingView {
    pub id: i64,
    pub title: String,
    pub counts: CountsView,
    /// Views without a share tag (opened from the feed, typed, searched).
    pub direct_views: i64,
    pub tree: Vec<PropagationBranch>,
}

/// A name with all but its first character masked, for comments.
pub fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// An outward channel as its officials see it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutwardChannelView {
    pub id: i64,
    pub unit_name: String,
    /// 微信公众号 or Webhook.
    pub kind_label: String,
    pub name: String,
    /// The AppID, or the webhook's address.
    pub endpoint: String,
}

/// A delivery to an outward channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub channel_name: String,
    /// queued / sending / sent / failed.
    pub status: String,
    /// 排队中 / 发送中 / 已发布 / 失败.
    pub status_label: String,
    pub attempts: i64,
    pub last_error: String,
    pub remote_url: String,
    pub when: String,
}

/// The outward channels page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutwardView {
    pub units: Vec<(String, String)>,
    pub channels: Vec<OutwardChannelView>,
    pub deliveries: Vec<DeliveryView>,
}

/// The ranking's periods (平台实时排名): key and label.
pub const PERIODS: &[(&str, &str)] = &[("day", "今日"), ("week", "本周"), ("month", "本月"), ("quarter", "本季度")];
/// What the ranking sorts by: key and label.
pub const RANK_BY: &[(&str, &str)] =
    &[("reads", "阅读"), ("published", "发稿"), ("shares", "分享"), ("adopted", "采用")];

/// A unit's line in the ranking: its whole subtree's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankRow {
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub published: i64,
    pub reads: i64,
    pub shares: i64,
    pub adopted: i64,
    pub has_children: bool,
}

/// 平台实时排名: the child units of one unit, ranked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RankingView {
    pub unit_code: String,
    pub unit_name: String,
    /// The way up: (code, name) from the root to this unit's parent.
    pub crumbs: Vec<(String, String)>,
    pub period: String,
    pub sort: String,
    pub rows: Vec<RankRow>,
    /// The unit's own subtree totals.
    pub total: RankRow,
    pub computed_at: String,
}

/// The 工会新声 form: the day's articles of the units below one unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DigestView {
    /// Channels the editor staffs (code, name), not grassroots ones.
    pub units: Vec<(String, String)>,
    pub unit_code: String,
    pub date: String,
    pub candidates: Vec<ArticleCardView>,
}

/// A unit on the big screen's tree, coloured by today's activity (0–4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScreenNode {
    pub name: String,
    pub heat: u8,
    pub reads: i64,
    // A tree: the schema refers to itself instead of collecting itself forever.
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<ScreenNode>,
}

/// A candidate on the big screen: name, unit, votes.
pub type ScreenCandidate = (String, String, i64);

/// 大屏: what a hall screen shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScreenView {
    pub union_name: String,
    pub today: RankRow,
    pub month: RankRow,
    /// Cities ranked by today's reads.
    pub ranking: Vec<RankRow>,
    pub tree: Vec<ScreenNode>,
    /// The campaign voting now: its title and top five.
    // utoipa sees only an alias's name, not the tuple behind it.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<(String, Vec<(String, String, i64)>)>))]
    pub campaign: Option<(String, Vec<ScreenCandidate>)>,
    /// Cities' certification rates (name, rate text, per mille for bars).
    pub certification: Vec<(String, String, i64)>,
    pub computed_at: String,
}

/// How warm a unit is on the big screen: 0 (nothing today) to 4, by its
/// subtree's reads today (1, 10, 100, 1 000 and more).
pub fn heat(reads: i64) -> u8 {
    match reads {
        ..=0 => 0,
        1..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    }
}
