//! 投票: the list of campaigns, a campaign's leaderboard, and a candidate's
//! share page with its vote button. Everything renders complete on the
//! server with Open Graph tags (links travel through chat apps) and works
//! without JavaScript: voting is a plain form post. Once hydrated, the
//! leaderboard refreshes itself, voting happens in place, and a share button
//! uses the Web Share API or copies the link.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, FormBanner};
use crate::ui::share::{OgImage, ShareButton};
use crate::voting::api::{load_campaign, load_campaigns, load_candidate, CampaignView, CandidateView, Standing};

#[component]
pub fn VotePage() -> impl IntoView {
    let campaigns = Resource::new(|| (), |_| load_campaigns());
    view! {
        <Title text="投票"/>
        <Loading>
            {move || Suspend::new(async move {
                match campaigns.await {
                    Ok(list) if list.is_empty() => view! {
                        <section class="card"><h1>"投票"</h1><p>"目前没有进行中的评选投票活动。"</p></section>
                    }
                    .into_any(),
                    Ok(list) => view! {
                        <h1 class="page-title">"评选投票"</h1>
                        {list.into_iter().map(|c| view! {
                            <a class="card campaign-card" href=format!("/v/{}", c.slug)>
                                <span class="badge" class:live=c.voting>{c.phase}</span>
                                <h2>{c.title}</h2>
                                <p class="muted">{c.unit_name}</p>
                                <p class="muted">{c.period}</p>
                            </a>
                        }).collect_view()}
                    }
                    .into_any(),
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || (params.read().get("campaign").unwrap_or_default(), query.read().get("q"));
    let view_data = Resource::new(args, |(slug, q)| load_campaign(slug, q));
    let posted = use_posted_form();
    view! {
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match view_data.await {
                    Ok(campaign) => view! { <CampaignBody campaign posted/> }.into_any(),
                    Err(error) => view! {
                        <Title text="投票"/>
                        <section class="card"><h1>"投票"</h1><p class="error" role="alert">{error.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
fn CampaignBody(campaign: CampaignView, posted: Option<crate::ui::forms::PostedForm>) -> impl IntoView {
    let CampaignView {
        card,
        description,
        rules,
        standings,
        query,
        remaining_today,
        share_url,
        voids,
        cover_url,
        og_image,
        og_image_size,
    } = campaign;
    let slug = card.slug.clone();
    let board_query = query.clone();
    // Awards show once published (the service leaves them out before).
    let mut awarded: Vec<Standing> = standings.iter().filter(|s| s.award.is_some()).cloned().collect();
    awarded.sort_by_key(|s| {
        let award = s.award.as_deref().unwrap_or_default();
        (crate::voting::api::AWARDS.iter().position(|a| *a == award), s.number)
    });
    let og_description: String = description.chars().take(80).collect();
    view! {
        <Title text=card.title.clone()/>
        <Meta property="og:title" content=card.title.clone()/>
        <Meta property="og:description" content=og_description/>
        <Meta property="og:url" content=share_url.clone()/>
        <Meta property="og:type" content="website"/>
        <OgImage url=og_image size=og_image_size/>
        {cover_url.map(|url| view! { <img class="cover" src=url alt=""/> })}
        <section class="card">
            <span class="badge" class:live=card.voting>{card.phase.clone()}</span>
            <h1>{card.title.clone()}</h1>
            <p>{description}</p>
            <p class="muted">{card.period.clone()}</p>
            <ul class="plain-list rules">{rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
            {remaining_today.map(|n| view! { <p class="banner banner-notice" role="status">{format!("您今天还可以投 {n} 票")}</p> })}
            <ShareButton url=share_url title=card.title.clone()/>
        </section>
        {(card.signing_up && remaining_today.is_some()).then(|| view! { <SignUpForm slug=slug.clone() posted=posted.clone() works=card.works/> })}
        {(!awarded.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="awards-heading">
                <h2 id="awards-heading">"获奖作品"</h2>
                <ul class="gallery">
                    {awarded.into_iter().map(|s| view! { <GalleryTile slug=slug.clone() standing=s/> }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" aria-labelledby="board-heading">
            <h2 id="board-heading">{if card.works { "作品展厅" } else { "实时排行" }}</h2>
            <Form method="GET" action=format!("/v/{slug}") attr:class="search" attr:role="search">
                <label for="candidate-q" class="visually-hidden">"搜索候选人"</label>
                <input id="candidate-q" type="search" name="q" placeholder="输入编号或姓名" maxlength="20"
                    value=query.clone().unwrap_or_default() enterkeyhint="search"/>
                <button type="submit">"搜索"</button>
            </Form>
            // A gallery is server-rendered and refreshes on reload: the
            // tiles inside the live island cost 1.6 KB of brotli WASM on
            // every island page (measured), for tallies a viewer of pictures
            // rarely watches.
            {if card.works {
                leptos::either::Either::Left(view! {
                    {standings.is_empty().then(|| view! { <p class="muted">"没有找到作品。"</p> })}
                    <ol class="board gallery">
                        {standings.into_iter().map(|s| view! { <GalleryTile slug=slug.clone() standing=s/> }).collect_view()}
                    </ol>
                })
            } else {
                leptos::either::Either::Right(view! { <LiveBoard slug=slug.clone() query=board_query standings/> })
            }}
        </section>
        {(!voids.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="voids-heading">
                <h2 id="voids-heading">"作废选票公示"</h2>
                <ul class="plain-list">
                    {voids.into_iter().map(|v| view! { <li>{format!("{}：{}，共 {} 票。原因：{}", v.at, v.what, v.votes, v.reason)}</li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// 报名参选: a signed-in member's sign-up, reviewed by officials — in a
/// works contest (网络展) an entry: the work's name, a few words about it and
/// its picture (multipart, so it works without JavaScript).
#[component]
fn SignUpForm(slug: String, posted: Option<crate::ui::forms::PostedForm>, works: bool) -> impl IntoView {
    let banner = posted.clone();
    let posted = posted.unwrap_or_default();
    if works {
        return view! {
            <section class="card" aria-labelledby="signup-heading">
                <h2 id="signup-heading">"投稿参展"</h2>
                <p class="muted">"以您的姓名和所在单位投稿（需已实名认证），审核通过后在展厅展出。"</p>
                <FormBanner posted=banner/>
                <form method="post" action={action::<crate::voting::api::SubmitEntry>()} enctype="multipart/form-data" class="form" novalidate>
                    <input type="hidden" name="slug" value=slug/>
                    <crate::ui::forms::Field label="作品名称" name="title" maxlength=30 value=posted.value("title") error=posted.error_for("title")/>
                    <crate::voting::pages::campaign_admin::StoryField value=posted.value("story") error=posted.error_for("story") label="作品说明"/>
                    <div class="field" class:has-error=posted.error_for("photo").is_some()>
                        <label for="entry-photo">"作品图片"</label>
                        <input id="entry-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp" aria-describedby="entry-photo-message"/>
                        <p class="field-message" id="entry-photo-message">{posted.error_for("photo")}</p>
                    </div>
                    <button type="submit" class="primary wide">"提交作品"</button>
                </form>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" aria-labelledby="signup-heading">
            <h2 id="signup-heading">"报名参选"</h2>
            <p class="muted">"以您的姓名和所在单位报名（需已实名认证），审核通过后获得候选人编号。"</p>
            <FormBanner posted=banner/>
            <form method="post" action={action::<crate::voting::api::SignUp>()} class="form" novalidate>
                <input type="hidden" name="slug" value=slug/>
                <crate::ui::forms::Field label="职务或工种" name="title" maxlength=30 value=posted.value("title") error=posted.error_for("title")/>
                <crate::voting::pages::campaign_admin::StoryField value=posted.value("story") error=posted.error_for("story")/>
                <button type="submit" class="primary wide">"提交报名"</button>
            </form>
        </section>
    }
    .into_any()
}

/// How often an open leaderboard asks for fresh tallies, in milliseconds.
#[cfg(feature = "hydrate")]
const REFRESH_MS: u64 = 5_000;

/// The leaderboard (an island): the server's standings first; once its WASM
/// has loaded it asks for fresh tallies every 5 s while the page is open.
#[island]
fn LiveBoard(slug: String, query: Option<String>, standings: Vec<Standing>) -> impl IntoView {
    let standings = RwSignal::new(standings);
    #[cfg(feature = "hydrate")]
    {
        let (slug, query) = (slug.clone(), query.clone());
        let refresh = move || {
            let (slug, query) = (slug.clone(), query.clone());
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = crate::voting::api::load_standings(slug, query).await {
                    standings.set(fresh);
                }
            });
        };
        let handle = set_interval_with_handle(refresh, std::time::Duration::from_millis(REFRESH_MS)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = &query;
    view! {
        {move || standings.with(Vec::is_empty).then(|| view! { <p class="muted">"没有找到候选人。"</p> })}
        <ol class="board">
            {move || {
                let slug = slug.clone();
                standings.get().into_iter().map(move |s| view! { <BoardRow slug=slug.clone() standing=s/> }).collect_view()
            }}
        </ol>
    }
}

/// A work in a contest's two-column gallery: its thumbnail (320 px wide,
/// lazily loaded), number, name, author and votes.
#[component]
fn GalleryTile(slug: String, standing: Standing) -> impl IntoView {
    let Standing { number, name, unit_name, title, votes, thumb_url, award, .. } = standing;
    view! {
        <li>
            <a href=format!("/v/{slug}/{number}") class="tile">
                {thumb_url.map(|src| view! { <img src=src alt=title.clone() width="160" height="120" loading="lazy"/> })}
                {award.map(|a| view! { <span class="badge live">{a}</span> })}
                <strong>{format!("{number:02} 号《{title}》")}</strong>
                <span class="muted">{format!("{name} · {unit_name}")}</span>
                <span class="votes">{format!("{votes} 票")}</span>
            </a>
        </li>
    }
}

#[component]
fn BoardRow(slug: String, standing: Standing) -> impl IntoView {
    let Standing { rank, number, name, unit_name, votes, .. } = standing;
    view! {
        <li>
            <a href=format!("/v/{slug}/{number}") class="board-row">
                <span class="rank">{rank}</span>
                <span class="who">
                    <strong>{format!("{number:02} 号 {name}")}</strong>
                    <span class="muted">{unit_name}</span>
                </span>
                <span class="votes">{format!("{votes} 票")}</span>
            </a>
        </li>
    }
}

#[component]
pub fn CandidatePage() -> impl IntoView {
    let params = use_params_map();
    let args =
        move || (params.read().get("campaign").unwrap_or_default(), params.read().get("number").unwrap_or_default());
    let candidate = Resource::new(args, |(slug, number)| load_candidate(slug, number));
    let posted = use_posted_form();
    view! {
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match candidate.await {
                    Ok(candidate) => view! { <CandidateBody candidate posted/> }.into_any(),
                    Err(error) => view! {
                        <Title text="投票"/>
                        <section class="card"><h1>"投票"</h1><p class="error" role="alert">{error.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
    }
}

#[component]
fn CandidateBody(candidate: CandidateView, posted: Option<crate::ui::forms::PostedForm>) -> impl IntoView {
    let CandidateView {
        campaign,
        standing,
        story_html,
        remaining_today,
        share_url,
        vote_key,
        photo_url,
        og_image,
        og_image_size,
    } = candidate;
    let works = campaign.works;
    let title = format!("{:02} 号 {} · {}", standing.number, standing.name, campaign.title);
    let description = format!("{}，{}。为TA投上一票！", standing.unit_name, standing.title);
    let login = format!("/login?next=/v/{}/{}", campaign.slug, standing.number);
    let voted = use_query_map().read_untracked().get("voted").is_some();
    let posted = posted.unwrap_or_default();
    let vote = VoteState {
        slug: campaign.slug.clone(),
        number: standing.number,
        votes: standing.votes,
        remaining: remaining_today,
        key: vote_key,
        notice: voted.then(|| "投票成功！".to_owned()).or(posted.notice.clone()),
        error: posted.error.as_ref().map(ToString::to_string),
    };
    view! {
        <Title text=title.clone()/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=share_url.clone()/>
        <Meta property="og:type" content="profile"/>
        <OgImage url=og_image size=og_image_size/>
        <p class="below-card crumbs"><a href=format!("/v/{}", campaign.slug)>{format!("‹ {}", campaign.title)}</a></p>
        <section class="card candidate">
            {photo_url.map(|url| view! {
                <img class="candidate-photo" src=url alt=if works { format!("作品《{}》", standing.title) } else { format!("{} 的照片", standing.name) }/>
            })}
            <p class="candidate-no">{format!("{:02} 号", standing.number)}</p>
            {standing.award.clone().map(|a| view! { <p class="badge live">{a}</p> })}
            <h1>{if works { format!("《{}》", standing.title) } else { standing.name.clone() }}</h1>
            <p class="muted">{if works { format!("作者：{} · {}", standing.name, standing.unit_name) } else { format!("{} · {}", standing.unit_name, standing.title) }}</p>
            {if !campaign.voting {
                view! {
                    <p class="tally"><strong>{standing.votes}</strong>" 票"<span class="muted">{format!(" · 第 {} 名", standing.rank)}</span></p>
                    <p class="muted">{format!("{}：{}", campaign.phase, campaign.period)}</p>
                }
                .into_any()
            } else if remaining_today.is_some() {
                view! { <VoteBox vote rank=standing.rank action={action::<crate::voting::api::Vote>()}/> }.into_any()
            } else {
                view! {
                    <p class="tally"><strong>{standing.votes}</strong>" 票"<span class="muted">{format!(" · 第 {} 名", standing.rank)}</span></p>
                    <a href=login class="button-link wide">"登录后投票"</a>
                }
                .into_any()
            }}
        </section>
        <section class="card story" aria-label=if works { "作品说明" } else { "事迹" }>
            <h2>{if works { "作品说明" } else { "事迹简介" }}</h2>
            <div inner_html=story_html></div>
        </section>
        <section class="card share">
            <h2>"邀请好友投票"</h2>
            <img src=format!("/v/{}/{}/qr.svg", campaign.slug, standing.number) width="180" height="180" alt="候选人投票页二维码"/>
            <p class="muted">"长按二维码保存或转发，好友扫码即可为TA投票。"</p>
            // A PNG: chat apps' webviews save a picture on a long press, not an SVG.
            <p><a href=format!("/v/{}/{}/poster.png", campaign.slug, standing.number) target="_blank" rel="noopener">"打开投票海报（长按图片保存后发送）"</a></p>
            <ShareButton url=share_url title=standing.name.clone()/>
        </section>
    }
}

/// What the vote box starts from (the island's prop).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct VoteState {
    slug: String,
    number: i32,
    votes: i64,
    remaining: Option<i64>,
    /// The page's idempotency key; each vote in place adds a counter.
    key: String,
    notice: Option<String>,
    error: Option<String>,
}

/// The tally and the vote button of a signed-in member (an island). The
/// button is a plain form post (`/api/vote`, then back to this page); once
/// the island's WASM has loaded it votes in place and updates the count and
/// the votes left.
#[island]
fn VoteBox(vote: VoteState, rank: usize, action: String) -> impl IntoView {
    let VoteState { slug, number, votes, remaining, key, notice, error } = vote;
    let votes = RwSignal::new(votes);
    let remaining = RwSignal::new(remaining);
    let notice = RwSignal::new(notice);
    let error = RwSignal::new(error);
    let key = RwSignal::new(key);
    let sent = RwSignal::new(0u32);
    let sender = ServerAction::<crate::voting::api::Vote>::new();
    Effect::new(move |_| {
        if let Some(result) = sender.value().get() {
            match result {
                Ok(receipt) => {
                    if !receipt.replayed {
                        votes.update(|v| *v += 1);
                    }
                    remaining.set(Some(receipt.remaining_today));
                    notice.set(Some("投票成功！".to_owned()));
                    error.set(None);
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    notice.set(None);
                }
            }
            // Every vote needs its own key; the page's key plus a counter.
            sent.update(|n| *n += 1);
        }
    });
    let number_text = number.to_string();
    let on_submit = {
        let (slug, number) = (slug.clone(), number_text.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let key = format!("{}-{}", key.get_untracked(), sent.get_untracked());
            sender.dispatch(crate::voting::api::Vote { campaign: slug.clone(), number: number.clone(), key });
        }
    };
    view! {
        <p class="tally">
            <strong>{move || votes.get()}</strong>" 票"
            <span class="muted">{format!(" · 第 {rank} 名")}</span>
        </p>
        {move || notice.get().map(|n| view! { <p class="banner banner-notice" role="status">{n}</p> })}
        {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        {move || remaining.get().map(|n| view! { <p class="muted remaining">{format!("您今天还可以投 {n} 票")}</p> })}
        <form method="post" action=action class="vote-form" on:submit=on_submit>
            <input type="hidden" name="campaign" value=slug/>
            <input type="hidden" name="number" value=number_text/>
            <input type="hidden" name="key" value=move || key.get()/>
            <button type="submit" class="primary wide" disabled=move || sender.pending().get()>"投票"</button>
        </form>
    }
}
