//! Running a campaign: creating it (officials, for their subtree) and its
//! candidates — nominations, and the review of members' sign-ups. Plain
//! forms, so officials on old phones manage campaigns too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm, TextArea};
use crate::voting::api::{
    load_candidates_admin, ApproveSignUp, CandidateRow, CreateCampaign, NominateCandidate, PublishAwards, RejectSignUp,
    SetAward, UploadCandidatePhoto, UploadCover,
};

#[component]
pub fn NewCampaignPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| crate::officials::api::load_admin_overview(None, Some(1)));
    let posted = use_posted_form();
    view! {
        <Title text="新建投票活动"/>
        <section class="card">
            <h1>"新建投票活动"</h1>
            <Loading>
                {move || Suspend::new(async move {
                    let posted = posted.await;
                    let form = posted.clone().unwrap_or_default();
                    match overview.await {
                        Ok(overview) => view! {
                            <FormBanner posted/>
                            <CampaignForm form units=overview.units/>
                        }
                        .into_any(),
                        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Loading>
        </section>
        <p class="below-card"><A href="/admin/campaigns">"返回投票活动"</A></p>
    }
}

/// A select with its message, for a unit in the official's reach.
#[component]
fn UnitSelect(
    label: &'static str,
    units: Vec<(String, String)>,
    selected: String,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <div class="field" class:has-error=invalid>
            <label for="f-unit">{label}</label>
            <select id="f-unit" name="unit" aria-describedby="f-unit-message">
                <option value="">"请选择"</option>
                {units.into_iter().map(|(code, name)| {
                    let chosen = code == selected;
                    view! { <option value=code selected=chosen>{name}</option> }
                }).collect_view()}
            </select>
            <p class="field-message" id="f-unit-message">{error.unwrap_or_default()}</p>
        </div>
    }
}

#[component]
fn CampaignForm(form: PostedForm, units: Vec<(String, String)>) -> impl IntoView {
    let v = |n: &str| form.value(n);
    let e = |n: &str| form.error_for(n);
    let rule = v("voter_rule");
    let rules = [
        ("registered", "注册会员均可投票"),
        ("certified", "仅实名认证会员"),
        ("certified_in_subtree", "仅主办单位及下级单位的实名认证会员"),
    ];
    let dates = [
        ("signup_starts", "报名开始"),
        ("review_starts", "审核开始"),
        ("voting_starts", "投票开始"),
        ("publicity_starts", "公示开始（投票截止）"),
        ("closes", "活动结束"),
    ];
    let or_default = |n: &str, d: &str| {
        let x = v(n);
        if x.is_empty() {
            d.to_owned()
        } else {
            x
        }
    };
    view! {
        <form method="post" action={action::<CreateCampaign>()} class="form" novalidate>
            <Field label="活动名称" name="title" maxlength=60 value=v("title") error=e("title")/>
            <div class="field" class:has-error=e("description").is_some()>
                <label for="f-description">"活动说明"</label>
                <TextArea id="f-description" name="description" rows=4 maxlength=500 described_by="f-description-message" value=v("description")/>
                <p class="field-message" id="f-description-message">{e("description").unwrap_or_default()}</p>
            </div>
            <UnitSelect label="主办单位" units selected=v("unit") error=e("unit")/>
            <Field label="链接名" name="slug" maxlength=40 value=v("slug") error=e("slug") hint="用于分享链接 /v/链接名，例如 qilu-2027" autocomplete="off"/>
            {dates.into_iter().map(|(name, label)| view! {
                <Field label=label name=name input_type="date" value=v(name) error=e(name)/>
            }).collect_view()}
            <div class="field" class:has-error=e("voter_rule").is_some()>
                <label for="f-voter_rule">"投票资格"</label>
                <select id="f-voter_rule" name="voter_rule" aria-describedby="f-voter_rule-message">
                    {rules.into_iter().map(|(key, label)| view! { <option value=key selected=rule == key>{label}</option> }).collect_view()}
                </select>
                <p class="field-message" id="f-voter_rule-message">{e("voter_rule").unwrap_or_default()}</p>
            </div>
            <Field label="每人每天票数" name="votes_per_day" inputmode="numeric" maxlength=3 value=or_default("votes_per_day", "10") error=e("votes_per_day")/>
            <Field label="每人每天为同一候选人最多投" name="votes_per_candidate" inputmode="numeric" maxlength=3 value=or_default("votes_per_candidate", "1") error=e("votes_per_candidate")/>
            <Field label="专家评分权重（%）" name="expert_weight_pct" inputmode="numeric" maxlength=3 value=or_default("expert_weight_pct", "0") error=e("expert_weight_pct") hint="0 表示只看网络投票"/>
            <div class="field" class:has-error=e("kind").is_some()>
                <label for="f-kind">"活动类型"</label>
                <select id="f-kind" name="kind" aria-describedby="f-kind-message">
                    <option value="people" selected=v("kind") != "works">"人物评选（候选人为人）"</option>
                    <option value="works" selected=v("kind") == "works">"作品征集（摄影、书法等网络展）"</option>
                </select>
                <p class="field-message" id="f-kind-message">{e("kind").unwrap_or_default()}</p>
            </div>
            <button type="submit" class="primary wide">"创建活动"</button>
        </form>
    }
}

#[component]
pub fn CandidatesAdminPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("campaign").unwrap_or_default();
    let data = Resource::new(slug, load_candidates_admin);
    let posted = use_posted_form();
    view! {
        <Title text="候选人管理"/>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                let form = posted.clone().unwrap_or_default();
                match data.await {
                    Ok((card, rows, units)) => {
                        let slug = card.slug.clone();
                        let nominating = form.posted_to(&action::<NominateCandidate>());
                        let nominate_form = if nominating { form.clone() } else { PostedForm::default() };
                        view! {
                            <section class="card">
                                <h1>"候选人管理"</h1>
                                <p>{card.title}</p>
                                <FormBanner posted/>
                                <PictureForm action={action::<UploadCover>()} slug=slug.clone() candidate=None label="上传活动封面" id="cover".to_owned()/>
                            </section>
                            <section class="card" aria-labelledby="list-heading">
                                <h2 id="list-heading">"候选人"</h2>
                                {rows.is_empty().then(|| view! { <p class="muted">"还没有候选人。"</p> })}
                                {rows.into_iter().map(|r| view! { <CandidateItem row=r slug=slug.clone() works=card.works/> }).collect_view()}
                                {(card.works && card.voting_over).then(|| view! {
                                    <form method="post" action={action::<PublishAwards>()} class="inline-form">
                                        <input type="hidden" name="slug" value=slug.clone()/>
                                        <button type="submit" class="primary">"公布获奖名单"</button>
                                    </form>
                                })}
                            </section>
                            <section class="card" aria-labelledby="nominate-heading">
                                <h2 id="nominate-heading">"提名候选人"</h2>
                                <form method="post" action={action::<NominateCandidate>()} class="form" novalidate>
                                    <input type="hidden" name="slug" value=slug.clone()/>
                                    <Field label="姓名" name="name" maxlength=20 value=nominate_form.value("name") error=nominate_form.error_for("name")/>
                                    <UnitSelect label="所在单位" units selected=nominate_form.value("unit") error=nominate_form.error_for("unit")/>
                                    <Field label="职务或工种" name="title" maxlength=30 value=nominate_form.value("title") error=nominate_form.error_for("title")/>
                                    <StoryField value=nominate_form.value("story") error=nominate_form.error_for("story")/>
                                    <button type="submit" class="primary wide">"提名"</button>
                                </form>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <section class="card"><h1>"候选人管理"</h1><p class="error" role="alert">{error.to_string()}</p></section>
                    }
                    .into_any(),
                }
            })}
        </Loading>
        <p class="below-card"><A href="/admin/campaigns">"返回投票活动"</A></p>
    }
}

#[component]
fn CandidateItem(row: CandidateRow, slug: String, works: bool) -> impl IntoView {
    let heading = match row.number {
        Some(n) => format!("{n:02} 号 {}", row.name),
        None => row.name.clone(),
    };
    let id = row.id.to_string();
    view! {
        <div class="signal">
            {row.photo_url.clone().map(|url| view! { <img class="thumb" src=url alt=format!("{} 的照片", row.name)/> })}
            <p><strong>{heading}</strong>" · "{format!("{} · {} · {}", row.unit_name, row.title, row.status)}</p>
            <PictureForm action={action::<UploadCandidatePhoto>()} slug=slug.clone() candidate=Some(id.clone()) label="上传照片" id=format!("photo-{id}")/>
            {(works && row.approved).then(|| view! {
                <form method="post" action={action::<SetAward>()} class="inline-form">
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <input type="hidden" name="id" value=id.clone()/>
                    <label for=format!("award-{id}")>"奖项"</label>
                    <select id=format!("award-{id}") name="award">
                        <option value="">"无"</option>
                        {crate::voting::api::AWARDS.iter().map(|a| view! { <option value=*a selected=row.award.as_deref() == Some(*a)>{*a}</option> }).collect_view()}
                    </select>
                    <button type="submit">"评定"</button>
                </form>
            })}
            {row.pending.then(|| view! {
                <div class="story" inner_html=row.story_html.clone()></div>
                <div class="actions">
                    <form method="post" action={action::<ApproveSignUp>()} class="inline-form">
                        <input type="hidden" name="slug" value=slug.clone()/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="primary">"通过报名"</button>
                    </form>
                    <form method="post" action={action::<RejectSignUp>()} class="inline-form">
                        <input type="hidden" name="slug" value=slug.clone()/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="secondary">"驳回"</button>
                    </form>
                </div>
            })}
        </div>
    }
}

/// A picture upload (multipart: works without JavaScript) for campaign
/// `slug`: its cover, or candidate `candidate`'s photo.
#[component]
fn PictureForm(
    action: String,
    slug: String,
    candidate: Option<String>,
    label: &'static str,
    id: String,
) -> impl IntoView {
    let input = format!("f-{id}");
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="inline-form picture-form">
            <input type="hidden" name="slug" value=slug/>
            {candidate.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            <label for=input.clone()>{label}</label>
            <input id=input type="file" name="photo" accept="image/jpeg,image/png,image/webp"/>
            <button type="submit" class="secondary">"上传"</button>
        </form>
    }
}

/// The story textarea: plain text (one paragraph per line) or simple HTML,
/// sanitised on the server.
#[component]
pub fn StoryField(
    value: String,
    error: Option<String>,
    #[prop(default = "事迹简介")] label: &'static str,
) -> impl IntoView {
    let invalid = error.is_some();
    view! {
        <div class="field" class:has-error=invalid>
            <label for="f-story">{label}</label>
            <TextArea id="f-story" name="story" rows=6 maxlength=5000 described_by="f-story-message" value/>
            <p class="field-message" id="f-story-message">{error.unwrap_or_else(|| "每行一段；不超过 5000 字".to_owned())}</p>
        </div>
    }
}
