//! Publishing as pages and the JSON API see it: the feed, channels, article
//! pages (each counts a view), publishing, 更正, 撤稿, 转载 and 下发, likes
//! and comments. The rules are in `newsroom::publishing`.

use crate::error::AppError;
use leptos::prelude::*;

use super::{ArticleView, FeedView, InboxView, LikeState, TrackingView};

/// Articles a page of the feed shows.
pub const FEED_PAGE: i64 = 10;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::clock::date_time_in_shanghai;

    pub fn card(c: store::ArticleCard) -> super::super::ArticleCardView {
        super::super::ArticleCardView {
            id: c.id,
            title: c.title,
            excerpt: c.excerpt,
            cover: c.cover_token.map(|t| format!("/m/{t}/320")),
            channel_name: c.channel_name,
            when: date_time_in_shanghai(c.publish_at),
            pinned: c.pinned != 0,
        }
    }

    /// A page of cards; one more than shown is asked for, to know whether
    /// there is a next page.
    pub fn page(heading: String, mut cards: Vec<store::ArticleCard>, page: i64) -> FeedView {
        let has_more = cards.len() as i64 > FEED_PAGE;
        cards.truncate(FEED_PAGE as usize);
        FeedView { heading, cards: cards.into_iter().map(card).collect(), page, has_more }
    }

    /// The signed-in member, if any (pages readable signed out).
    pub async fn reader(store: &store::Store) -> Result<Option<store::MemberId>, AppError> {
        let session = crate::context::session().await?;
        crate::accounts::session::member(store, &session).await
    }
}

/// The member feed (首页): articles of the member's unit and every unit
/// above it, pinned first, newest first; signed out, the province's channel.
#[server(prefix = "/api", endpoint = "feed", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_feed(page: Option<i64>) -> Result<FeedView, AppError> {
    let store = crate::context::store()?;
    let page = page.unwrap_or(1).clamp(1, 1000);
    let reader = ssr::reader(&store).await?;
    let err = |e| AppError::from_store("feed", e);
    let (unit, heading) = match reader {
        Some(member) => {
            let me = store.member_by_id(member).await.map_err(err)?.ok_or(AppError::Internal)?;
            let unit = store.unit_id_of(me.unit_code.as_ref()).await.map_err(err)?;
            (unit, "本会要闻".to_owned())
        }
        None => {
            let root = store.root_unit_name().await.map_err(err)?.unwrap_or_default();
            (None, format!("{root}频道"))
        }
    };
    let cards = store.feed(unit, crate::clock::now(), FEED_PAGE + 1, (page - 1) * FEED_PAGE).await.map_err(err)?;
    Ok(ssr::page(heading, cards, page))
}

/// Unit `code`'s channel page.
#[server(prefix = "/api", endpoint = "channel", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_channel(code: String, page: Option<i64>) -> Result<FeedView, AppError> {
    let store = crate::context::store()?;
    let page = page.unwrap_or(1).clamp(1, 1000);
    let err = |e| AppError::from_store("channel", e);
    let name =
        store.unit_name_of(&code).await.map_err(err)?.ok_or_else(|| AppError::rejected(404, "", "没有这个频道"))?;
    let cards = store.channel(&code, crate::clock::now(), FEED_PAGE + 1, (page - 1) * FEED_PAGE).await.map_err(err)?;
    Ok(ssr::page(format!("{name}频道"), cards, page))
}

/// Article `id`'s page; counts a view (unique per visitor per day). `s` is
/// the share tag the link carried.
#[server(prefix = "/api", endpoint = "article", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_article(id: i64, s: Option<String>) -> Result<ArticleView, AppError> {
    use crate::clock::{date_time_in_shanghai, now};
    let services = crate::context::services()?;
    let store = services.store.clone();
    let err = |e| AppError::from_store("article", e);
    let article = store.article(id).await.map_err(err)?.ok_or_else(|| AppError::rejected(404, "", "没有这篇文章"))?;
    let reader = ssr::reader(&store).await?;
    let staff = match reader {
        Some(member) => store.is_article_staff(member, id).await.map_err(err)?,
        None => false,
    };
    let scheduled = article.publish_at > now();
    if scheduled && !staff {
        return Err(AppError::rejected(404, "", "没有这篇文章"));
    }
    let tag = crate::newsroom::publishing::share_tag(s);
    if article.withdrawn_at.is_none() && !scheduled {
        let parts = use_context::<http::request::Parts>();
        let address = parts
            .as_ref()
            .and_then(|p| p.extensions.get::<crate::context::ClientIp>().and_then(|c| c.0))
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let browser = parts
            .as_ref()
            .and_then(|p| p.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()))
            .unwrap_or_default()
            .to_owned();
        services.publishing.count_view(&store, id, &address, &browser, tag.clone()).await;
        // A signed-out page kept by the server's page cache counts a view
        // each time it is answered from there (server/src/page_cache.rs).
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(value) = http::HeaderValue::from_str(&id.to_string()) {
                response.insert_header(http::HeaderName::from_static("x-gonghui-view"), value);
            }
        }
    }
    if let Some(member) = reader {
        if store.has_unopened_distribution(member, id).await.map_err(err)? {
            store.mark_distribution_opened(member, id, now()).await.map_err(err)?;
        }
    }
    let media = match article.story_id {
        Some(story) => store.story_assets(story).await.map_err(err)?.into_iter().map(super::asset_view).collect(),
        None => Vec::new(),
    };
    let corrections = store
        .corrections(id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|c| super::NoteView { when: date_time_in_shanghai(c.at), text: c.note })
        .collect();
    let counts = services.publishing.counts(&store, id).await?;
    let liked = match reader {
        Some(member) => Some(store.likes(member, id).await.map_err(err)?),
        None => None,
    };
    let comments = store
        .comments_for(id, reader)
        .await
        .map_err(err)?
        .into_iter()
        .map(|c| super::CommentView {
            id: c.id,
            author: super::masked_name(&c.author_name),
            body: c.body,
            when: date_time_in_shanghai(c.created_at),
            pending: c.status == "pending",
        })
        .collect();
    let origin = services.public_origin.resolve().await;
    // Signed in: the reader's own tag (made the first time), remembering
    // the tag they came by; signed out: the tag they came by, passed on.
    let share_tag = match reader {
        Some(member) if article.withdrawn_at.is_none() && !scheduled => {
            Some(store.share_tag(member, id, tag.as_deref(), &crate::random::token(), now()).await.map_err(err)?)
        }
        _ => tag,
    };
    let share_url = match share_tag {
        Some(t) => format!("{origin}/a/{id}?s={t}"),
        None => format!("{origin}/a/{id}"),
    };
    let (republish_to, distribute_from) = match reader {
        Some(member) => {
            let staffed = store.staffed_units(member).await.map_err(err)?;
            let actor = store.actor(member).await.map_err(err)?;
            let reach = if actor.is_official() { store.units_in_scope(&actor).await.map_err(err)? } else { Vec::new() };
            let reach =
                reach.into_iter().filter(|(code, _, level)| level != "grassroots" || *code == article.unit_code);
            (
                staffed.into_iter().filter(|(code, _)| *code != article.unit_code).collect(),
                reach.map(|(code, name, _)| (code, name)).collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let (push_to, deliveries) = match reader {
        Some(member) if article.outward && article.withdrawn_at.is_none() => {
            let (channels, deliveries) = super::outward::for_article(&store, member, id).await?;
            if channels.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                (channels, deliveries)
            }
        }
        _ => (Vec::new(), Vec::new()),
    };
    // A link preview shows the cover photo, else the article's poster
    // (750×1334, drawn by the server); a withdrawn or scheduled article's
    // poster is 404, so it has none.
    let readable = article.withdrawn_at.is_none() && !scheduled;
    let (og_image, og_image_size) = match &article.cover_token {
        Some(token) => (Some(format!("{origin}/m/{token}/960")), None),
        None if readable => (Some(format!("{origin}/a/{id}/poster.png")), Some((750, 1334))),
        None => (None, None),
    };
    Ok(ArticleView {
        push_to,
        deliveries,
        id,
        og_image,
        og_image_size,
        title: article.title,
        channel_name: article.channel_name,
        channel_code: article.unit_code,
        byline: article.byline,
        when: date_time_in_shanghai(article.publish_at),
        body_html: article.body_html,
        body_md: if staff { article.body_md } else { String::new() },
        excerpt: article.excerpt,
        media,
        corrections,
        withdrawn: article
            .withdrawn_at
            .map(|at| super::NoteView { when: date_time_in_shanghai(at), text: article.withdrawn_reason }),
        scheduled,
        counts: super::CountsView {
            views: counts.views,
            likes: counts.likes,
            comments: counts.comments,
            shares: counts.shares,
        },
        liked,
        comments,
        share_url,
        staff,
        republish_to,
        distribute_from,
    })
}

/// Publishes adopted story `id` on its desk's channel (staff of the desk:
/// 责任编辑, 终审 or an official), now or at `when` (`YYYY-MM-DDTHH:MM`,
/// Shanghai); `pinned` puts it on top. Goes to the article.
#[server(prefix = "/api", endpoint = "newsroom/publish")]
pub async fn publish_story(id: i64, when: Option<String>, pinned: Option<String>) -> Result<i64, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let when = when.unwrap_or_default();
    let article =
        crate::newsroom::publishing::publish(&store, member, id, &when, pinned.is_some_and(|p| !p.is_empty())).await?;
    crate::context::go_to(&format!("/a/{article}"));
    Ok(article)
}

/// 更正 article `id`: the new title and Markdown text, and `note` saying
/// what was corrected. The notice.
#[server(prefix = "/api", endpoint = "newsroom/articles/correct")]
pub async fn correct_article(id: i64, title: String, body: String, note: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::publishing::correct(&store, member, id, &title, &body, &note).await
}

/// 撤稿: article `id` leaves every feed; its link says it was withdrawn.
#[server(prefix = "/api", endpoint = "newsroom/articles/withdraw")]
pub async fn withdraw_article(id: i64, reason: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::publishing::withdraw(&store, member, id, &reason).await
}

/// 转载: article `id` on unit `unit`'s channel too (its staff), once; the
/// article keeps its origin and shows once in any feed.
#[server(prefix = "/api", endpoint = "newsroom/articles/republish")]
pub async fn republish_article(id: i64, unit: String) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let done = store
        .republish(member, id, unit.trim(), crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("republish", e))?;
    if done {
        crate::newsroom::publishing::edited();
        Ok("已转载到本单位频道".to_owned())
    } else {
        Err(AppError::rejected(403, "unit", "只能转载到您负责的单位频道（已撤下的文章不能转载）"))
    }
}

/// 下发: an official sends article `id` from unit `unit` (in reach) to
/// units below it — `targets[]` (codes), or none for the whole subtree —
/// with a note. The notice.
#[server(prefix = "/api", endpoint = "newsroom/articles/distribute")]
pub async fn distribute_article(
    id: i64,
    unit: String,
    note: Option<String>,
    targets: Option<Vec<String>>,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let note = note.unwrap_or_default();
    let note = note.trim();
    if note.chars().count() > 200 {
        return Err(AppError::rejected(400, "note", "下发说明不能超过 200 字"));
    }
    let mut targets: Vec<String> =
        targets.unwrap_or_default().into_iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    targets.sort();
    targets.dedup();
    let sent = store
        .distribute(&actor, id, unit.trim(), &targets, note, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("distribute", e))?;
    match sent {
        Some(n) => Ok(format!("已下发到 {n} 个单位")),
        None => Err(AppError::rejected(403, "unit", "只能从您管理的单位下发到它的下级单位")),
    }
}

/// A signed-in member likes article `id`, or takes the like back.
#[server(prefix = "/api", endpoint = "articles/like")]
pub async fn like_article(id: i64) -> Result<LikeState, AppError> {
    let services = crate::context::services()?;
    let (store, member) = crate::context::signed_in().await?;
    crate::newsroom::publishing::live_article(&store, id).await?;
    let liked =
        store.toggle_like(member, id, crate::clock::now()).await.map_err(|e| AppError::from_store("like", e))?;
    services.publishing.forget_counts(id);
    crate::newsroom::publishing::edited();
    let likes = services.publishing.counts(&store, id).await?.likes;
    crate::context::go_to(&format!("/a/{id}#likes"));
    Ok(LikeState { liked, likes })
}

/// A signed-in member comments on article `id`: visible to them at once,
/// to others once an official approves it (先审后发). The notice.
#[server(prefix = "/api", endpoint = "articles/comment")]
pub async fn comment_article(id: i64, body: String) -> Result<String, AppError> {
    let services = crate::context::services()?;
    let (store, member) = crate::context::signed_in().await?;
    let crate::newsroom::publishing::Commented::Pending { held } =
        crate::newsroom::publishing::comment(&store, &services.publishing, member, id, &body).await?;
    Ok(if held.is_empty() {
        "评论已提交，审核通过后其他人可见".to_owned()
    } else {
        "评论已提交，需人工审核后才能显示".to_owned()
    })
}

/// The inbox of the units the member staffs (下发 to them, 报送 up to them)
/// and, for officials, what they sent down and who opened and republished.
#[server(prefix = "/api", endpoint = "newsroom/inbox", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_inbox() -> Result<InboxView, AppError> {
    use crate::clock::date_time_in_shanghai;
    let (store, member) = crate::context::signed_in().await?;
    let err = |e| AppError::from_store("inbox", e);
    let items = store
        .inbox(member, 100)
        .await
        .map_err(err)?
        .into_iter()
        .map(|e| super::InboxItem {
            distributed: e.what == "distributed",
            id: e.id,
            title: e.title,
            unit_code: e.unit_code,
            unit_name: e.unit_name,
            from_name: e.from_name,
            note: e.note,
            when: date_time_in_shanghai(e.at),
            republished: e.republished,
        })
        .collect();
    let actor = store.actor(member).await.map_err(err)?;
    let mut sent = Vec::new();
    if actor.is_official() {
        for d in store.distributions_sent(&actor, 20).await.map_err(err)? {
            let targets = store
                .distribution_targets(&actor, d.id)
                .await
                .map_err(err)?
                .into_iter()
                .map(|t| {
                    (t.unit_name, t.opened_at.map(date_time_in_shanghai), t.republished_at.map(date_time_in_shanghai))
                })
                .collect();
            sent.push(super::DistributionView {
                id: d.id,
                article_id: d.article_id,
                title: d.title,
                from_name: d.from_name,
                note: d.note,
                when: date_time_in_shanghai(d.at),
                targets,
            });
        }
    }
    Ok(InboxView { items, sent })
}

/// 传播追踪 of article `id` (its channel's staff): tallies, views that came
/// without a share link, and the propagation tree by unit, two levels.
#[server(prefix = "/api", endpoint = "newsroom/articles/tracking", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_tracking(id: i64) -> Result<TrackingView, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let err = |e| AppError::from_store("tracking", e);
    if !store.is_article_staff(member, id).await.map_err(err)? {
        return Err(AppError::rejected(403, "", "只有本频道的编辑和管理员可以查看传播情况"));
    }
    let article = store.article(id).await.map_err(err)?.ok_or_else(|| AppError::rejected(404, "", "没有这篇文章"))?;
    let counts = store.article_counts(id).await.map_err(err)?;
    let rows = store.propagation(id).await.map_err(err)?;
    let mut tree: Vec<super::PropagationBranch> = Vec::new();
    let mut tagged = 0;
    for row in rows {
        tagged += row.views;
        let branch = match tree.iter_mut().position(|b| b.unit_name == row.unit_name) {
            Some(i) => &mut tree[i],
            None => {
                tree.push(super::PropagationBranch {
                    unit_name: row.unit_name.clone(),
                    views: 0,
                    sharers: 0,
                    via: Vec::new(),
                });
                tree.last_mut().expect("just pushed")
            }
        };
        branch.views += row.views;
        if row.via_unit.is_empty() {
            branch.sharers += row.sharers;
        } else {
            branch.via.push((row.via_unit, row.views, row.sharers));
        }
    }
    tree.sort_by(|a, b| b.views.cmp(&a.views).then(a.unit_name.cmp(&b.unit_name)));
    Ok(TrackingView {
        id,
        title: article.title,
        counts: super::CountsView {
            views: counts.views,
            likes: counts.likes,
            comments: counts.comments,
            shares: counts.shares,
        },
        direct_views: counts.views - tagged,
        tree,
    })
}
