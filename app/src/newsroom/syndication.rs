//! A channel's feeds for media that subscribe (server only): Atom
//! (`/c/{code}/atom.xml`, written by `atom_syndication`) and JSON Feed 1.1
//! (`/c/{code}/feed.json`). Only articles marked 对外宣传 are in them
//! (`Store::syndicated` asks the database for those only), newest first.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use serde_json::json;

/// An RFC 3339 time in Shanghai (+08:00).
fn rfc3339(unix: i64) -> String {
    let secs = (unix + 8 * 3600).rem_euclid(86_400);
    let date = domain::CivilDate::in_shanghai(unix).iso();
    format!("{date}T{:02}:{:02}:{:02}+08:00", secs / 3600, secs % 3600 / 60, secs % 60)
}

fn fixed(unix: i64) -> atom_syndication::FixedDateTime {
    atom_syndication::FixedDateTime::parse_from_rfc3339(&rfc3339(unix)).unwrap_or_default()
}

/// Channel `name`'s Atom feed at `origin` from `articles` (newest first).
pub fn atom(origin: &str, code: &str, name: &str, articles: &[store::Article]) -> String {
    let link = |href: String, rel: &str| Link { href, rel: rel.to_owned(), ..Default::default() };
    let entries: Vec<Entry> = articles
        .iter()
        .map(|a| {
            let url = format!("{origin}/a/{}", a.id);
            Entry {
                id: url.clone(),
                title: Text::plain(a.title.clone()),
                updated: fixed(a.updated_at.max(a.publish_at)),
                published: Some(fixed(a.publish_at)),
                authors: vec![Person { name: a.byline.clone(), ..Default::default() }],
                links: vec![link(url, "alternate")],
                summary: Some(Text::plain(a.excerpt.clone())),
                content: Some(Content {
                    value: Some(a.body_html.clone()),
                    content_type: Some("html".to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        id: format!("{origin}/c/{code}"),
        title: Text::plain(format!("{name}频道")),
        updated: fixed(articles.first().map_or(0, |a| a.updated_at.max(a.publish_at))),
        links: vec![
            link(format!("{origin}/c/{code}"), "alternate"),
            link(format!("{origin}/c/{code}/atom.xml"), "self"),
        ],
        lang: Some("zh-CN".to_owned()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

/// Channel `name`'s JSON Feed 1.1.
pub fn json_feed(origin: &str, code: &str, name: &str, articles: &[store::Article]) -> String {
    let items: Vec<_> = articles
        .iter()
        .map(|a| {
            let url = format!("{origin}/a/{}", a.id);
            json!({
                "id": url,
                "url": url,
                "title": a.title,
                "summary": a.excerpt,
                "content_html": a.body_html,
                "date_published": rfc3339(a.publish_at),
                "date_modified": rfc3339(a.updated_at.max(a.publish_at)),
                "authors": [{ "name": a.byline }],
                "image": a.cover_token.as_ref().map(|t| format!("{origin}/m/{t}/960")),
            })
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": format!("{name}频道"),
        "home_page_url": format!("{origin}/c/{code}"),
        "feed_url": format!("{origin}/c/{code}/feed.json"),
        "language": "zh-CN",
        "items": items,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_written_in_shanghai() {
        // 2026-11-10 00:00:00 UTC is 08:00 in Shanghai.
        assert_eq!(super::rfc3339(1_794_268_800), "2026-11-10T08:00:00+08:00");
    }
}
