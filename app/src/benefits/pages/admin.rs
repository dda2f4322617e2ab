//! 福利管理 (`/admin/benefits`): an official adds partner merchants (with
//! their sign-in) and benefits for their subtree, sets each benefit's
//! picture, withdraws one, and sees claimed and redeemed per unit.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::benefits::api::{load_benefits_admin, CreateBenefit, CreatePartner, UploadBenefitPicture, WithdrawBenefit};
use crate::ui::components::Loading;
use crate::ui::forms::{action, use_posted_form, Field, FormBanner, PostedForm, TextArea, UnitSelect};

#[component]
fn PartnerForm(units: Vec<(String, String)>, posted: Option<PostedForm>) -> impl IntoView {
    let form = posted.clone().filter(|p| p.posted_to(&action::<CreatePartner>())).unwrap_or_default();
    let shown = (!form.action.is_empty()).then_some(form.clone());
    let open = shown.is_some();
    view! {
        <details class="card" open=open>
            <summary><h2 class="inline-heading">"添加合作商户"</h2></summary>
            <FormBanner posted=shown/>
            <form method="post" action={action::<CreatePartner>()} class="form" novalidate>
                <UnitSelect units id="p-unit" chosen=form.value("unit")/>
                <Field label="商户名称" name="name" id_prefix="p-" maxlength=40 value=form.value("name") error=form.error_for("name")/>
                <Field label="商户登录名" name="login" id_prefix="p-" maxlength=32 autocomplete="off" value=form.value("login") error=form.error_for("login") hint="英文字母、数字、- 或 _，如 haoliyuan-linyi"/>
                <Field label="初始密码" name="password" id_prefix="p-" input_type="password" autocomplete="new-password" error=form.error_for("password") hint="至少 8 位，交给商户后请其妥善保管"/>
                <button type="submit" class="primary">"添加商户"</button>
            </form>
        </details>
    }
}

#[component]
fn BenefitForm(
    units: Vec<(String, String)>,
    partners: Vec<(i64, String)>,
    posted: Option<PostedForm>,
) -> impl IntoView {
    let form = posted.clone().filter(|p| p.posted_to(&action::<CreateBenefit>())).unwrap_or_default();
    let shown = (!form.action.is_empty()).then_some(form.clone());
    let chosen_partner = form.value("partner");
    let checked = |name: &str| !form.value(name).is_empty();
    view! {
        <section class="card" aria-labelledby="new-benefit">
            <h2 id="new-benefit">"发布福利"</h2>
            <FormBanner posted=shown/>
            {partners.is_empty().then(|| view! { <p class="muted">"请先添加合作商户。"</p> })}
            <form method="post" action={action::<CreateBenefit>()} class="form" novalidate>
                <UnitSelect units id="b-unit" chosen=form.value("unit")/>
                <Field label="福利名称" name="title" id_prefix="b-" maxlength=40 value=form.value("title") error=form.error_for("title") placeholder="如：生日送蛋糕"/>
                <div class="field" class:has-error=form.error_for("description").is_some()>
                    <label for="b-description">"说明"</label>
                    <TextArea name="description" id="b-description" rows=3 maxlength=500 value=form.value("description") described_by="b-description-message"/>
                    <p class="field-message" id="b-description-message">{form.error_for("description")}</p>
                </div>
                <div class="field" class:has-error=form.error_for("partner").is_some()>
                    <label for="b-partner">"合作商户"</label>
                    <select id="b-partner" name="partner">
                        {partners.into_iter().map(|(id, name)| {
                            let selected = id.to_string() == chosen_partner;
                            view! { <option value=id.to_string() selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-message">{form.error_for("partner")}</p>
                </div>
                <Field label="总名额" name="quota" id_prefix="b-" inputmode="numeric" value=form.value("quota") error=form.error_for("quota")/>
                <Field label="每日名额（可不填）" name="quota_per_day" id_prefix="b-" inputmode="numeric" value=form.value("quota_per_day") error=form.error_for("quota_per_day")/>
                <Field label="开始日期" name="opens" id_prefix="b-" input_type="date" value=form.value("opens") error=form.error_for("opens")/>
                <Field label="截止日期（含当天）" name="closes" id_prefix="b-" input_type="date" value=form.value("closes") error=form.error_for("closes")/>
                <Field label="限此日期及以前认证的会员（可不填）" name="member_since" id_prefix="b-" input_type="date" value=form.value("member_since") error=form.error_for("member_since")/>
                <label class="check"><input type="checkbox" name="birthday_month" value="1" checked=checked("birthday_month")/>"仅限生日当月的会员（生日蛋糕）"</label>
                <label class="check"><input type="checkbox" name="once_per_year" value="1" checked=checked("once_per_year")/>"每人每年可领一次（不选则每人限领一次）"</label>
                <button type="submit" class="primary">"发布"</button>
            </form>
        </section>
    }
}

#[component]
pub fn BenefitsAdminPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| load_benefits_admin());
    let posted = use_posted_form();
    view! {
        <Title text="福利管理"/>
        <h1 class="page-title">"福利管理"</h1>
        <Loading>
            {move || Suspend::new(async move {
                let posted = posted.await;
                match page.await {
                    Ok(page) => {
                        let partners: Vec<(i64, String)> = page.partners.iter().map(|p| (p.id, format!("{}（{}）", p.name, p.unit_name))).collect();
                        let other = posted.clone().filter(|p| {
                            !p.posted_to(&action::<CreatePartner>()) && !p.posted_to(&action::<CreateBenefit>())
                        });
                        view! {
                            <p class="below-card"><a href="/partner">"商户核销页 ›"</a></p>
                            <FormBanner posted=other/>
                            <BenefitForm units=page.units.clone() partners posted=posted.clone()/>
                            <PartnerForm units=page.units.clone() posted=posted.clone()/>
                            <section class="card" aria-labelledby="partners-heading">
                                <h2 id="partners-heading">{format!("合作商户（{}）", page.partners.len())}</h2>
                                <ul class="plain-list">
                                    {page.partners.into_iter().map(|p| view! {
                                        <li>{p.name}<span class="muted">{format!(" · 登录名 {} · {}", p.login, p.unit_name)}</span></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                            {page.benefits.into_iter().map(|b| {
                                let id = b.id.to_string();
                                view! {
                                    <article class="card" id=format!("benefit-{}", b.id)>
                                        <h2>{b.title.clone()}{b.withdrawn.then(|| view! { <span class="badge">"已撤下"</span> })}</h2>
                                        <p class="muted">{format!("{} · {} · {}", b.unit_name, b.partner_name, b.window)}</p>
                                        <p class="muted">{b.rules.join("；")}</p>
                                        <dl class="facts">
                                            <dt>"已领取"</dt><dd>{format!("{} / {}", b.claimed, b.quota)}</dd>
                                            <dt>"已核销"</dt><dd>{b.redeemed}</dd>
                                        </dl>
                                        {(!b.by_unit.is_empty()).then(|| view! {
                                            <div class="table-scroll">
                                                <table class="figures">
                                                    <thead><tr><th>"单位"</th><th>"领取"</th><th>"核销"</th></tr></thead>
                                                    <tbody>
                                                        {b.by_unit.into_iter().map(|(unit, claimed, redeemed)| view! {
                                                            <tr><td>{unit}</td><td>{claimed}</td><td>{redeemed}</td></tr>
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                            </div>
                                        })}
                                        <form method="post" action={action::<UploadBenefitPicture>()} enctype="multipart/form-data" class="picture-form">
                                            <input type="hidden" name="id" value=id.clone()/>
                                            <label for=format!("pic-{id}")>{if b.picture_url.is_some() { "更换图片" } else { "上传图片" }}</label>
                                            <input id=format!("pic-{id}") type="file" name="photo" accept="image/jpeg,image/png,image/webp"/>
                                            <button type="submit">"上传"</button>
                                        </form>
                                        {(!b.withdrawn).then(|| view! {
                                            <form method="post" action={action::<WithdrawBenefit>()} class="inline-form">
                                                <input type="hidden" name="id" value=id.clone()/>
                                                <button type="submit" class="secondary">"撤下"</button>
                                            </form>
                                        })}
                                    </article>
                                }
                            }).collect_view()}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="card error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Loading>
    }
}
