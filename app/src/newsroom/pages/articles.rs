//! Reading: the member feed (on 首页), a unit's channel (`/c/{code}`), an
//! article's share page (`/a/{id}`: complete server HTML with its Open Graph
//! card and QR code, pictures lazily loaded in phone sizes, players that
//! work in WeChat's webview, likes and comments as plain form posts), and
//! its tracking page for the channel's staff (`/desk/articles/{id}`).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::newsroom::api::{
    load_article, load_channel, load_feed, load_tracking, ArticleCardView, ArticleView, AssetView, CommentArticle,
    CorrectArticle, DeliveryView, DistributeArticle, FeedView, LikeArticle, PushArticle, RepublishArticle,
    RetryDelivery, WithdrawArticle,
};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner, PostedForm, TextArea};
use crate::ui::share::{OgImage, ShareButton};

/// The feed as 首页 shows it: `?page=` pages it.
#[component]
pub fn FeedSection() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    let feed = Resource::new(page, load_feed);
    view! {
        <Loading>
            {move || Suspend::new(async move {
                match feed.await {
                    Ok(feed) => view! { <FeedCards feed base="/".to_owned()/> }.into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

/// A page of article cards with its pager (plain links).
#[component]
pub fn FeedCards(feed: FeedView, base: String) -> impl IntoView {
    let FeedView { heading, cards, page, has_more } = feed;
    let empty = cards.is_empty();
    view! {
        <section class="feed" aria-labelledby="feed-heading">
            <h2 id="feed-heading" class="page-title">{heading}</h2>
            {empty.then(|| view! { <p class="card muted">"还没有发布的文章。"</p> })}
            <ul class="article-list">
                {cards.into_iter().map(|card| view! { <li><ArticleCard card/></li> }).collect_view()}
            </ul>
            <p class="below-card"><a href="/rank">"各单位实时排名 ›"</a></p>
            <nav class="pager" aria-label="翻页">
                {(page > 1).then(|| view! { <a href=format!("{base}?page={}", page - 1)>"‹ 上一页"</a> })}
                {has_more.then(|| view! { <a href=format!("{base}?page={}", page + 1)>"下一页 ›"</a> })}
            </nav>
        </section>
    }
}

#[component]
fn ArticleCard(card: ArticleCardView) -> impl IntoView {
    view! {
        <a class="card article-card" href=format!("/a/{}", card.id)>
            {card.cover.map(|src| view! { <img class="article-cover" src=src alt="" loading="lazy" width="96" height="72"/> })}
            <span class="article-text">
                <strong>{card.pinned.then_some("置顶 · ")}{card.title}</strong>
                <span class="muted excerpt">{card.excerpt}</span>
                <span class="muted">{format!("{} · {}", card.channel_name, card.when)}</span>
            </span>
        </a>
    }
}

/// `/c/{code}`: a unit's channel.
#[component]
pub fn ChannelPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (params.read().get("code").unwrap_or_default(), query.read().get("page").and_then(|p| p.parse::<i64>().ok()))
    };
    let channel = Resource::new(args, |(code, page)| load_channel(code, page));
    view! {
        <Loading>
            {move || Suspend::new(async move {
                let code = params.read_untracked().get("code").unwrap_or_default();
                match channel.await {
                    Ok(feed) => view! {
                        <Title text=feed.heading.clone()/>
                        <FeedCards feed base=format!("/c/{code}")/>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <Title text="频道"/>
                        <p class="card error" role="alert">{error.to_string()}</p>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

/// `/a/{id}`: an article's share page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args =
        move || (params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0), query.read().get("s"));
    let article = Resource::new(args, |(id, s)| load_article(id, s));
    let posted = use_posted_form();
    view! {
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match article.await {
                    Ok(article) => view! { <ArticleBody article posted/> }.into_any(),
                    Err(error) => view! {
                        <Title text="文章"/>
                        <section class="card"><h1>"文章"</h1><p class="error" role="alert">{error.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
fn ArticleBody(article: ArticleView, posted: Option<PostedForm>) -> impl IntoView {
    let id = article.id;
    let title = article.title.clone();
    if let Some(withdrawn) = article.withdrawn.clone() {
        return view! {
            <Title text=title.clone()/>
            <article class="card article withdrawn">
                <h1>{title}</h1>
                <p class="banner banner-error" role="status">{format!("此文已于 {} 撤稿。{}", withdrawn.when, withdrawn.text)}</p>
                <p><a href=format!("/c/{}", article.channel_code)>{format!("查看{}频道的其他文章 ›", article.channel_name)}</a></p>
            </article>
        }
        .into_any();
    }
    let form = posted.clone().unwrap_or_default();
    // The QR code carries the same link (and share tag) as the page's link.
    let (qr, poster) = match article.share_url.split_once("?s=") {
        Some((_, tag)) => (format!("/a/{id}/qr.svg?s={tag}"), format!("/a/{id}/poster.png?s={tag}")),
        None => (format!("/a/{id}/qr.svg"), format!("/a/{id}/poster.png")),
    };
    let counts = article.counts;
    view! {
        <Title text=title.clone()/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=article.excerpt.clone()/>
        <Meta property="og:url" content=article.share_url.clone()/>
        <Meta property="og:type" content="article"/>
        <OgImage url=article.og_image.clone() size=article.og_image_size/>
        <article class="card article">
            <p class="muted crumbs"><a href=format!("/c/{}", article.channel_code)>{article.channel_name.clone()}</a>{format!(" · {}", article.when)}</p>
            <h1>{title.clone()}</h1>
            <p class="muted">{article.byline.clone()}</p>
            {article.scheduled.then(|| view! { <p class="banner banner-notice">"定时发布：到时间前只有编辑能看到这篇文章"</p> })}
            {article.corrections.iter().map(|c| view! {
                <p class="banner banner-notice correction">{format!("更正（{}）：{}", c.when, c.text)}</p>
            }).collect_view()}
            <div class="story" inner_html=article.body_html.clone()></div>
            <ArticleMedia media=article.media.clone()/>
            <p class="muted counts" id="likes">{format!("阅读 {} · 点赞 {} · 评论 {}", counts.views, counts.likes, counts.comments)}</p>
            <LikeForm id liked=article.liked likes=counts.likes/>
        </article>
        <section class="card share">
            <h2>"分享"</h2>
            <img src=qr width="160" height="160" alt="文章二维码"/>
            <p class="muted">"长按二维码保存或转发，或复制下面的链接发给好友。"</p>
            // Not for a scheduled article: its poster is public, and 404 until it is.
            {(!article.scheduled).then(|| view! {
                <p><a href=poster target="_blank" rel="noopener">"打开文章海报（长按图片保存后发送）"</a></p>
            })}
            <ShareButton url=article.share_url.clone() title=title.clone()/>
        </section>
        <Comments article=article.clone() posted=posted.clone()/>
        {article.staff.then(|| view! { <StaffTools article=article.clone() form=form.clone()/> })}
        {(!article.republish_to.is_empty()).then(|| view! { <RepublishForm id units=article.republish_to.clone() form=form.clone()/> })}
        {(!article.distribute_from.is_empty()).then(|| view! { <DistributeForm id units=article.distribute_from.clone() form=form.clone()/> })}
        {(!article.push_to.is_empty()).then(|| view! { <PushForm id channels=article.push_to.clone() deliveries=article.deliveries.clone() form=form.clone()/> })}
    }
    .into_any()
}

/// Pictures full width in phone sizes (the 960 px thumbnail on most
/// phones, 320 px on small ones); video and audio with the attributes
/// WeChat's and QQ's webviews need to play inline.
#[component]
fn ArticleMedia(media: Vec<AssetView>) -> impl IntoView {
    media
        .into_iter()
        .map(|a| match a.kind.as_str() {
            "photo" => view! {
                <figure class="article-photo">
                    <img src=format!("{}/960", a.url) srcset=a.srcset.clone() sizes="(max-width: 720px) 100vw, 720px"
                        alt=a.title.clone() loading="lazy" decoding="async"/>
                    {(!a.title.is_empty()).then(|| view! { <figcaption class="muted">{a.title.clone()}</figcaption> })}
                </figure>
            }
            .into_any(),
            "video" => view! {
                <video class="article-video" src=a.url.clone() controls=true preload="metadata" playsinline=true
                    attr:webkit-playsinline="true" attr:x5-playsinline="true" attr:x-webkit-airplay="allow"></video>
            }
            .into_any(),
            "audio" => view! { <audio class="article-audio" src=a.url.clone() controls=true preload="none"></audio> }
                .into_any(),
            _ => view! { <p><a href=a.url.clone()>{format!("📄 {}（{}）", a.title, a.size)}</a></p> }.into_any(),
        })
        .collect_view()
}

/// 点赞: a plain form post; the same button takes the like back.
#[component]
fn LikeForm(id: i64, liked: Option<bool>, likes: i64) -> impl IntoView {
    match liked {
        Some(liked) => view! {
            <form method="post" action={action::<LikeArticle>()} class="inline-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit" class=if liked { "primary" } else { "secondary" } aria-pressed=liked.to_string()>
                    {if liked { format!("已赞 {likes}") } else { format!("点赞 {likes}") }}
                </button>
            </form>
        }
        .into_any(),
        None => view! { <a class="button-link" href=format!("/login?next=/a/{id}")>"登录后点赞、评论"</a> }.into_any(),
    }
}

#[component]
fn Comments(article: ArticleView, posted: Option<PostedForm>) -> impl IntoView {
    let mine = posted.as_ref().is_some_and(|p| p.posted_to(&action::<CommentArticle>()));
    let form = if mine { posted.clone().unwrap_or_default() } else { PostedForm::default() };
    let error = form.error_for("body");
    view! {
        <section class="card comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{format!("评论（{}）", article.counts.comments)}</h2>
            {article.comments.is_empty().then(|| view! { <p class="muted">"还没有评论。"</p> })}
            <ul class="plain-list comment-list">
                {article.comments.into_iter().map(|c| view! {
                    <li class="comment">
                        <p class="muted">{format!("{} · {}", c.author, c.when)}{c.pending.then_some(" · 审核中，仅您可见")}</p>
                        <p>{c.body}</p>
                    </li>
                }).collect_view()}
            </ul>
            {article.liked.is_some().then(|| view! {
                {mine.then(|| view! { <FormBanner posted=posted.clone()/> })}
                <form method="post" action={action::<CommentArticle>()} class="form">
                    <input type="hidden" name="id" value=article.id.to_string()/>
                    <div class="field" class:has-error=error.is_some()>
                        <label for="f-comment">"写评论（审核后公开）"</label>
                        <TextArea id="f-comment".to_owned() name="body" rows=3 maxlength=500 value=form.value("body")/>
                        <p class="field-message" role="alert">{error.clone().unwrap_or_default()}</p>
                    </div>
                    <button type="submit" class="primary">"发表评论"</button>
                </form>
            })}
        </section>
    }
}

/// 更正, 撤稿 and the tracking link, for the channel's staff.
#[component]
fn StaffTools(article: ArticleView, form: PostedForm) -> impl IntoView {
    let correcting = form.posted_to(&action::<CorrectArticle>());
    let withdrawing = form.posted_to(&action::<WithdrawArticle>());
    let value = |name: &str, default: String| if correcting { form.value(name) } else { default };
    let (title, body) = (value("title", article.title.clone()), value("body", article.body_md.clone()));
    let posted = (correcting || withdrawing).then(|| form.clone());
    view! {
        <section class="card" aria-labelledby="staff-heading">
            <h2 id="staff-heading">"编辑工具"</h2>
            <p><a href=format!("/desk/articles/{}", article.id)>"传播追踪：阅读、分享和各单位带来的阅读 ›"</a></p>
            <FormBanner posted/>
            <details open=correcting>
                <summary>"更正"</summary>
                <form method="post" action={action::<CorrectArticle>()} class="form">
                    <input type="hidden" name="id" value=article.id.to_string()/>
                    <div class="field" class:has-error=correcting && form.error_for("title").is_some()>
                        <label for="f-c-title">"标题"</label>
                        <input id="f-c-title" name="title" maxlength="60" value=title/>
                        <p class="field-message">{correcting.then(|| form.error_for("title")).flatten()}</p>
                    </div>
                    <div class="field" class:has-error=correcting && form.error_for("body").is_some()>
                        <label for="f-c-body">"正文"</label>
                        <TextArea id="f-c-body".to_owned() name="body" rows=8 value=body/>
                        <p class="field-message">{correcting.then(|| form.error_for("body")).flatten()}</p>
                    </div>
                    <div class="field" class:has-error=correcting && form.error_for("note").is_some()>
                        <label for="f-c-note">"更正说明（显示在文章上）"</label>
                        <input id="f-c-note" name="note" maxlength="200" value=if correcting { form.value("note") } else { String::new() }/>
                        <p class="field-message">{correcting.then(|| form.error_for("note")).flatten()}</p>
                    </div>
                    <button type="submit" class="secondary">"保存更正"</button>
                </form>
            </details>
            <details open=withdrawing>
                <summary>"撤稿"</summary>
                <form method="post" action={action::<WithdrawArticle>()} class="form">
                    <input type="hidden" name="id" value=article.id.to_string()/>
                    <div class="field" class:has-error=withdrawing && form.error_for("reason").is_some()>
                        <label for="f-w-reason">"撤稿原因（链接打开时显示）"</label>
                        <input id="f-w-reason" name="reason" maxlength="200"/>
                        <p class="field-message">{withdrawing.then(|| form.error_for("reason")).flatten()}</p>
                    </div>
                    <button type="submit" class="secondary danger">"撤稿"</button>
                </form>
            </details>
        </section>
    }
}

/// 转载 on a channel the reader staffs.
#[component]
fn RepublishForm(id: i64, units: Vec<(String, String)>, form: PostedForm) -> impl IntoView {
    let posted = form.posted_to(&action::<RepublishArticle>()).then(|| form.clone());
    view! {
        <section class="card">
            <h2>"转载到本单位频道"</h2>
            <FormBanner posted/>
            <form method="post" action={action::<RepublishArticle>()} class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for="f-r-unit">"频道"</label>
                    <select id="f-r-unit" name="unit">
                        {units.into_iter().map(|(c, n)| view! { <option value=c>{n}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">"一键转载"</button>
            </form>
        </section>
    }
}

/// 下发 to units below, with a note.
#[component]
fn DistributeForm(id: i64, units: Vec<(String, String)>, form: PostedForm) -> impl IntoView {
    let mine = form.posted_to(&action::<DistributeArticle>());
    let posted = mine.then(|| form.clone());
    let note_error = mine.then(|| form.error_for("note")).flatten();
    view! {
        <section class="card">
            <h2>"下发到下级单位"</h2>
            <FormBanner posted/>
            <form method="post" action={action::<DistributeArticle>()} class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for="f-d-unit">"从哪个单位下发"</label>
                    <select id="f-d-unit" name="unit">
                        {units.iter().map(|(c, n)| view! { <option value=c.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset class="field picker">
                    <legend>"下发到（不选则下发到该单位的全部下级）"</legend>
                    <ul class="unit-picker">
                        {units.iter().skip(1).map(|(c, n)| view! {
                            <li><label><input type="checkbox" name="targets[]" value=c.clone()/>{n.clone()}</label></li>
                        }).collect_view()}
                    </ul>
                </fieldset>
                <div class="field" class:has-error=note_error.is_some()>
                    <label for="f-d-note">"下发说明（可不填）"</label>
                    <input id="f-d-note" name="note" maxlength="200"/>
                    <p class="field-message">{note_error.clone()}</p>
                </div>
                <button type="submit" class="secondary">"下发"</button>
            </form>
        </section>
    }
}

/// `/desk/articles/{id}`: 传播追踪 for the channel's staff.
#[component]
pub fn TrackingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let tracking = Resource::new(id, load_tracking);
    view! {
        <Title text="传播追踪"/>
        <h1 class="page-title">"传播追踪"</h1>
        <Loading>
            {move || Suspend::new(async move {
                match tracking.await {
                    Ok(t) => view! {
                        <section class="card">
                            <h2><a href=format!("/a/{}", t.id)>{t.title.clone()}</a></h2>
                            <ul class="stats" aria-label="传播数据">
                                <li><strong>{t.counts.views}</strong><span>"阅读"</span></li>
                                <li><strong>{t.counts.likes}</strong><span>"点赞"</span></li>
                                <li><strong>{t.counts.comments}</strong><span>"评论"</span></li>
                                <li><strong>{t.counts.shares}</strong><span>"有效分享"</span></li>
                            </ul>
                            <p class="muted">"阅读按每位访客每天计一次；有效分享是带来过阅读的分享链接。"</p>
                        </section>
                        <section class="card" aria-labelledby="tree-heading">
                            <h2 id="tree-heading">"各单位分享带来的阅读"</h2>
                            <p>{format!("直接访问（未经分享链接）：{} 次", t.direct_views)}</p>
                            {t.tree.is_empty().then(|| view! { <p class="muted">"还没有经分享链接带来的阅读。"</p> })}
                            <ul class="propagation">
                                {t.tree.into_iter().map(|b| view! {
                                    <li>
                                        <strong>{b.unit_name.clone()}</strong>
                                        {format!("：{} 次阅读（{} 人分享）", b.views, b.sharers)}
                                        {(!b.via.is_empty()).then(|| view! {
                                            <ul>
                                                {b.via.into_iter().map(|(unit, views, sharers)| view! {
                                                    <li>{format!("经 {unit} 转发：{views} 次阅读（{sharers} 人）")}</li>
                                                }).collect_view()}
                                            </ul>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

/// 一键发布: push the article to an outward channel; each delivery's state.
#[component]
fn PushForm(id: i64, channels: Vec<(i64, String)>, deliveries: Vec<DeliveryView>, form: PostedForm) -> impl IntoView {
    let mine = form.posted_to(&action::<PushArticle>()) || form.posted_to(&action::<RetryDelivery>());
    let posted = mine.then(|| form.clone());
    view! {
        <section class="card" aria-labelledby="push-heading">
            <h2 id="push-heading">"一键发布到外部渠道"</h2>
            <FormBanner posted/>
            <form method="post" action={action::<PushArticle>()} class="form">
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field">
                    <label for="f-p-channel">"渠道"</label>
                    <select id="f-p-channel" name="channel">
                        {channels.into_iter().map(|(c, n)| view! { <option value=c.to_string()>{n}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">"发布"</button>
            </form>
            <DeliveryList deliveries/>
        </section>
    }
}

/// Deliveries with their state, the medium's reason and a retry button.
#[component]
pub fn DeliveryList(deliveries: Vec<DeliveryView>) -> impl IntoView {
    (!deliveries.is_empty()).then(|| view! {
        <ul class="plain-list deliveries">
            {deliveries.into_iter().map(|d| view! {
                <li class="delivery" id=format!("delivery-{}", d.id)>
                    <p>
                        <strong>{d.channel_name.clone()}</strong>
                        {format!(" · {} · {}", d.status_label, d.when)}
                        {(d.attempts > 0).then(|| format!(" · 已尝试 {} 次", d.attempts))}
                    </p>
                    {(!d.article_title.is_empty()).then(|| view! { <p><a href=format!("/a/{}", d.article_id)>{d.article_title.clone()}</a></p> })}
                    {(!d.last_error.is_empty()).then(|| view! { <p class="field-message">{format!("原因：{}", d.last_error)}</p> })}
                    {(!d.remote_url.is_empty()).then(|| view! { <p><a href=d.remote_url.clone() rel="noopener">"查看已发布的文章"</a></p> })}
                    {(d.status == "failed").then(|| view! {
                        <form method="post" action={action::<RetryDelivery>()} class="inline-form">
                            <input type="hidden" name="id" value=d.id.to_string()/>
                            <button type="submit" class="secondary">"重试"</button>
                        </form>
                    })}
                </li>
            }).collect_view()}
        </ul>
    })
}
