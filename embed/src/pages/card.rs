//! 惠员卡 with its verification QR code, which works offline: each
//! successful load stores the card and the QR's SVG with the time, and
//! without network the stored card shows with 「离线显示 · 最后更新于 …」.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::route::href;
use crate::types::Card;

const OFFLINE_KEY: &str = "gonghui.card";

/// The card as last loaded.
#[derive(Clone, Serialize, Deserialize)]
struct OfflineCard {
    card: Card,
    qr_svg: String,
    /// When it was loaded, milliseconds since the epoch.
    saved_at_ms: f64,
}

pub fn forget_offline_card() {
    api::forget(OFFLINE_KEY);
}

#[derive(Clone)]
enum Shown {
    Fresh(OfflineCard),
    /// No network: the stored card and when it was stored.
    Offline(OfflineCard),
    Failed(ApiError),
}

async fn load() -> Shown {
    let fresh = async {
        let card = api::get::<Card>("me/card", &[]).await?;
        let qr_svg = api::get_text("/api/me/card/qr.svg").await?;
        Ok::<_, ApiError>(OfflineCard { card, qr_svg, saved_at_ms: js_sys::Date::now() })
    };
    match fresh.await {
        Ok(card) => {
            api::store(OFFLINE_KEY, &serde_json::to_string(&card).unwrap_or_default());
            Shown::Fresh(card)
        }
        Err(e @ (ApiError::Network | ApiError::Unavailable)) => {
            match api::stored(OFFLINE_KEY).and_then(|s| serde_json::from_str(&s).ok()) {
                Some(card) => Shown::Offline(card),
                None => Shown::Failed(e),
            }
        }
        Err(e) => Shown::Failed(e),
    }
}

/// `YYYY-MM-DD HH:MM` in Shanghai time (UTC+8 all year), whatever the
/// phone's time zone.
fn shanghai_minute(ms: f64) -> String {
    let date = js_sys::Date::new(&(ms + 8.0 * 3600.0 * 1000.0).into());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date(),
        date.get_utc_hours(),
        date.get_utc_minutes()
    )
}

#[component]
pub fn CardPage() -> impl IntoView {
    let shown = LocalResource::new(load);
    move || match shown.get() {
        None => crate::ui::loading(),
        Some(Shown::Fresh(card)) => card_view(card, None),
        Some(Shown::Offline(card)) => {
            let note = format!("离线显示 · 最后更新于 {}", shanghai_minute(card.saved_at_ms));
            card_view(card, Some(note))
        }
        Some(Shown::Failed(error)) => view! {
            <section class="card">
                <h1>"惠员卡"</h1>
                <p class="error" role="alert">{error.to_string()}</p>
                {matches!(error, ApiError::Rejected { status: 403, .. }).then(|| view! {
                    <a href=href("/certify") class="button-link">"去实名认证"</a>
                })}
            </section>
        }
        .into_any(),
    }
}

fn card_view(offline: OfflineCard, note: Option<String>) -> AnyView {
    let OfflineCard { card, qr_svg, .. } = offline;
    // A data URL of the SVG text: the image needs the bearer, so it cannot
    // be an <img src> to the server, and a data URL survives offline.
    let qr = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&qr_svg));
    view! {
        <section class="card e-card" aria-label="惠员卡">
            <p class="e-card-union">{card.union_name}</p>
            <h1>"惠员卡"</h1>
            {note.map(|n| view! { <p class="banner banner-notice" role="status">{n}</p> })}
            <dl class="facts">
                <dt>"姓名"</dt><dd>{card.name}</dd>
                <dt>"会员编号"</dt><dd>{card.member_no}</dd>
                <dt>"所在工会"</dt><dd>{card.unit_name}</dd>
            </dl>
            <img class="e-card-qr" src=qr width="200" height="200" alt="惠员卡核验二维码"/>
            <p class="muted">"出示二维码供商户或工会扫码核验；二维码 30 分钟内有效，重新打开本页可更新。"</p>
        </section>
    }
    .into_any()
}
