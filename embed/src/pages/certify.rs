//! 实名认证: name and ID number, matched against the union's roster by
//! `/api/me/certify`, which answers the member number.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::route::go;
use crate::session::use_session;
use crate::ui::{Field, FormBanner};

#[component]
pub fn CertifyPage() -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let fields = [("name", name.get_untracked()), ("id_number", id_number.get_untracked())];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.trim())).collect();
            match api::post_form::<String>("me/certify", &fields).await {
                Ok(_member_no) => {
                    session.reload().await;
                    go("/card");
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card">
            <h1>"实名认证"</h1>
            <p class="muted">"填写与工会会员名册一致的姓名和身份证号，认证后即可领取惠员卡。"</p>
            <FormBanner error fields=&["name", "id_number"]/>
            <form class="form" novalidate on:submit=submit>
                <Field label="姓名" name="name" value=name error autocomplete="name"/>
                <Field label="身份证号" name="id_number" value=id_number error hint="18 位，末位可能是 X"/>
                <button type="submit" class="primary" disabled=move || busy.get()>"提交认证"</button>
            </form>
        </section>
    }
}
