//! 一键发布 and 直通媒体 as pages and the JSON API see them: a unit's
//! outward channels (a WeChat official account, a webhook), pushing an
//! article to one, and each delivery's state with the medium's reason.

use crate::error::AppError;
use leptos::prelude::*;

use super::OutwardView;
#[cfg(feature = "ssr")]
use super::{DeliveryView, OutwardChannelView};

#[cfg(feature = "ssr")]
pub(crate) fn delivery_view(d: store::Delivery) -> DeliveryView {
    let status_label = match d.status.as_str() {
        "queued" if d.attempts > 0 => "等待重试",
        "queued" if !d.step.is_empty() => "公众号发布中",
        "queued" => "排队中",
        "sending" => "发送中",
        "sent" => "已发布",
        _ => "失败",
    };
    DeliveryView {
        id: d.id,
        article_id: d.article_id,
        article_title: d.article_title,
        channel_name: d.channel_name,
        status_label: status_label.to_owned(),
        status: d.status,
        attempts: d.attempts,
        last_error: d.last_error,
        remote_url: d.remote_url,
        when: crate::clock::date_time_in_shanghai(d.sent_at.unwrap_or(d.next_at)),
    }
}

/// The outward channels of units in the official's reach and their latest
/// deliveries.
#[server(prefix = "/api", endpoint = "admin/outward", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_outward() -> Result<OutwardView, AppError> {
    let (store, actor) = crate::context::official().await?;
    let err = |e| AppError::from_store("outward", e);
    let units = store.units_in_scope(&actor).await.map_err(err)?.into_iter().map(|(c, n, _)| (c, n)).collect();
    let channels = store
        .outward_channels_in_reach(&actor)
        .await
        .map_err(err)?
        .into_iter()
        .map(|c| OutwardChannelView {
            id: c.id,
            unit_name: c.unit_name,
            kind_label: if c.kind == "wechat" { "微信公众号" } else { "Webhook" }.to_owned(),
            name: c.name,
            endpoint: c.endpoint,
        })
        .collect();
    let deliveries = store.deliveries_in_reach(&actor, 50).await.map_err(err)?.into_iter().map(delivery_view).collect();
    Ok(OutwardView { units, channels, deliveries })
}

/// Adds an outward channel to unit `unit` (in reach): `kind` is `wechat`
/// (`endpoint` the AppID, `secret` the AppSecret) or `webhook` (`endpoint`
/// the https address, `secret` the signing key). The secret is sealed at
/// rest like ID numbers and never shown again. Audited.
#[server(prefix = "/api", endpoint = "admin/outward/channels")]
pub async fn add_outward_channel(
    unit: String,
    kind: String,
    name: String,
    endpoint: String,
    secret: String,
) -> Result<String, AppError> {
    let (store, actor) = crate::context::official().await?;
    let services = crate::context::services()?;
    let (kind, name, endpoint, secret) = crate::newsroom::publishing::outward_channel(
        &kind,
        &name,
        &endpoint,
        &secret,
        services.publishing.allow_http_webhooks,
    )?;
    let sealed = services.data_key.seal(&secret);
    let added = store
        .add_outward_channel(&actor, unit.trim(), kind, &name, &endpoint, &sealed, crate::clock::now())
        .await
        .map_err(|e| AppError::from_store("add_outward_channel", e))?;
    match added {
        Some(_) => Ok(format!("已添加渠道：{name}")),
        None => Err(AppError::rejected(403, "unit", "只能为您管理的单位添加渠道")),
    }
}

/// Pushes article `id` to outward channel `channel` (its unit's staff): a
/// delivery is queued once, and the worker sends it. The notice.
#[server(prefix = "/api", endpoint = "newsroom/articles/push")]
pub async fn push_article(id: i64, channel: i64) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let err = |e| AppError::from_store("push", e);
    let article = crate::newsroom::publishing::live_article(&store, id).await?;
    if !article.outward {
        return Err(AppError::rejected(409, "channel", "这篇文章标为“对外宣传：否”，不能发布到外部渠道"));
    }
    if store.queue_delivery(member, id, channel, crate::clock::now()).await.map_err(err)? {
        Ok("已加入发布队列，结果见下方发布记录".to_owned())
    } else {
        Err(AppError::rejected(403, "channel", "只能发布到您负责的单位的渠道"))
    }
}

/// Queues failed delivery `id` again (its channel's staff).
#[server(prefix = "/api", endpoint = "admin/outward/retry")]
pub async fn retry_delivery(id: i64) -> Result<String, AppError> {
    let (store, member) = crate::context::signed_in().await?;
    let done =
        store.requeue_delivery(member, id, crate::clock::now()).await.map_err(|e| AppError::from_store("retry", e))?;
    if done {
        Ok("已重新加入发布队列".to_owned())
    } else {
        Err(AppError::rejected(409, "", "只有失败的发布可以重试"))
    }
}

/// The channels `member` may push article `article` to, and its deliveries.
#[cfg(feature = "ssr")]
pub(crate) async fn for_article(
    store: &store::Store,
    member: store::MemberId,
    article: i64,
) -> Result<(Vec<(i64, String)>, Vec<DeliveryView>), AppError> {
    let err = |e| AppError::from_store("outward", e);
    let channels = store.outward_channels_of_staff(member).await.map_err(err)?;
    let deliveries = store.deliveries_of_article(article).await.map_err(err)?.into_iter().map(delivery_view).collect();
    Ok((channels, deliveries))
}
