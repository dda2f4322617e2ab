//! Share posters as PNG (issue 16, part 7): a candidate's and an article's
//! poster (750×1334) and a campaign's card (1200×630) are drawn on the
//! server, and every share page names a picture in its Open Graph tags —
//! the photo when there is one, else the drawn poster — so a link pasted in
//! a chat never previews as a blank square.
//!
//! The PNGs need a CJK font on the machine (`make test` installs
//! fonts-wqy-microhei through e2e-tools before these run). Without one the
//! PNG addresses redirect to the SVG, and these tests check that instead,
//! saying so — except under `CI=true`, where a missing font fails them: CI
//! must never pass without drawing a poster.

use std::collections::HashSet;
use std::sync::OnceLock;

use scraper::{Html, Selector};
use store::testing::TestDb;

use crate::publishing::{adopted_story, newsroom, publish};
use crate::support::{Person, RunningServer};

const CAMPAIGN: &str = server::demo::DEMO_CAMPAIGN_SLUG;

on_both_engines_with_db!(
    a_candidate_without_a_photo_previews_and_saves_as_a_png_poster,
    a_campaign_without_a_cover_previews_as_a_png_card,
    an_article_poster_is_drawn_only_while_anyone_may_read_the_article,
);

/// Whether this machine has a font that draws Chinese (the server finds
/// fonts the same way).
fn cjk_font_installed() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let installed = poster::Renderer::new().has_cjk();
        let required = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(installed || !required, "no CJK font installed: `make e2e-tools` installs fonts-wqy-microhei");
        if !installed {
            eprintln!(
                "no CJK font installed (apt-get install fonts-wqy-microhei): checking that PNG posters redirect to \
                 their SVG instead of checking the PNG"
            );
        }
        installed
    })
}

/// `(content, og:image:width, og:image:height)` of a page's `og:image`.
fn og_image(html: &str) -> (String, Option<String>, Option<String>) {
    let page = Html::parse_document(html);
    let meta = |property: &str| {
        let selector = Selector::parse(&format!(r#"meta[property="{property}"]"#)).unwrap();
        page.select(&selector).next().and_then(|m| m.value().attr("content")).map(str::to_owned)
    };
    (meta("og:image").expect("the page has an og:image"), meta("og:image:width"), meta("og:image:height"))
}

/// Fetches `url` (a PNG poster) and checks it is a `width`×`height` picture
/// with something drawn on it and union red at `red`; without a CJK font,
/// that it redirects to `svg_path`.
async fn check_png(visitor: &Person, url: &str, (width, height): (u32, u32), red: (u32, u32), svg_path: &str) {
    let response = visitor.http.get(url).send().await.unwrap();
    if !cjk_font_installed() {
        assert_eq!(response.status(), 302, "{url}");
        assert_eq!(response.headers()["location"], svg_path);
        return;
    }
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.headers()["cache-control"], "public, max-age=3600");
    let bytes = response.bytes().await.unwrap();
    let picture = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).expect("a PNG").to_rgb8();
    assert_eq!(picture.dimensions(), (width, height), "{url}");
    let colours: HashSet<[u8; 3]> = picture.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 30, "{url} is drawn (text edges, the QR code), not blank: {} colours", colours.len());
    let [r, g, b] = picture.get_pixel(red.0, red.1).0;
    assert!(r > 170 && g < 60 && b < 80, "{url}: union red at {red:?}, found ({r}, {g}, {b})");
    // Black QR modules and white text are drawn too.
    assert!(colours.contains(&[0, 0, 0]) && colours.contains(&[255, 255, 255]), "{url}");
}

async fn a_candidate_without_a_photo_previews_and_saves_as_a_png_poster(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let visitor = Person::new(&server);

    // The demo candidates have no photos: the preview is the poster, by an
    // absolute address, with its size.
    let (status, page) = visitor.get(&format!("/v/{CAMPAIGN}/7")).await;
    assert_eq!(status, 200);
    let (image, width, height) = og_image(&page);
    assert_eq!(image, server.url(&format!("/v/{CAMPAIGN}/7/poster.png")));
    assert!(image.starts_with("http://"), "{image}");
    assert_eq!((width.as_deref(), height.as_deref()), (Some("750"), Some("1334")));
    // The page offers the PNG to save (a plain link: no JavaScript needed).
    assert!(page.contains(&format!(r#"href="/v/{CAMPAIGN}/7/poster.png""#)), "{page}");
    assert!(!page.contains("poster.svg"));

    check_png(&visitor, &image, (750, 1334), (375, 40), &format!("/v/{CAMPAIGN}/7/poster.svg")).await;
    // The SVG twin is the same poster (built by the same function).
    let svg = visitor.get(&format!("/v/{CAMPAIGN}/7/poster.svg")).await.1;
    assert!(svg.contains(">07</text>") && svg.contains("2026年“齐鲁工匠”评选网络投票"), "{svg}");
    let (status, _) = visitor.get(&format!("/v/{CAMPAIGN}/99/poster.png")).await;
    assert_eq!(status, 404, "no such candidate");
    let (status, _) = visitor.get("/v/no-such-campaign/7/poster.png").await;
    assert_eq!(status, 404);
}

async fn a_campaign_without_a_cover_previews_as_a_png_card(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let visitor = Person::new(&server);

    let (status, page) = visitor.get(&format!("/v/{CAMPAIGN}")).await;
    assert_eq!(status, 200);
    let (image, width, height) = og_image(&page);
    assert_eq!(image, server.url(&format!("/v/{CAMPAIGN}/card.png")));
    assert_eq!((width.as_deref(), height.as_deref()), (Some("1200"), Some("630")));

    check_png(&visitor, &image, (1200, 630), (40, 315), &format!("/v/{CAMPAIGN}/card.svg")).await;
    let response = visitor.http.get(server.url(&format!("/v/{CAMPAIGN}/card.svg"))).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.unwrap();
    assert!(svg.contains("投票时间：") && svg.contains("扫码参与投票") && svg.contains("<path"), "{svg}");
    let (status, _) = visitor.get("/v/no-such-campaign/card.png").await;
    assert_eq!(status, 404);
}

async fn an_article_poster_is_drawn_only_while_anyone_may_read_the_article(db: TestDb) {
    let server = RunningServer::start(db.url(), &[]);
    let (_admin, editor, member) = newsroom(&server, &db).await;
    let title = "济南市总工会启动职工技能大赛暨首届劳动竞赛表彰活动";
    let story = adopted_story(&db, "370100", "13700000001", title).await;
    let id = publish(&editor, story).await;

    // No cover photo: the preview is the poster, absolute, with its size.
    let visitor = Person::new(&server);
    let (status, page) = visitor.get(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    let (image, width, height) = og_image(&page);
    assert_eq!(image, server.url(&format!("/a/{id}/poster.png")));
    assert_eq!((width.as_deref(), height.as_deref()), (Some("750"), Some("1334")));
    assert!(page.contains(&format!(r#"href="/a/{id}/poster.png""#)), "the page offers the poster");
    check_png(&visitor, &image, (750, 1334), (375, 40), &format!("/a/{id}/poster.svg")).await;

    // The title is wrapped, 13 characters a line; the QR code carries the link.
    let svg = visitor.get(&format!("/a/{id}/poster.svg")).await.1;
    assert!(
        svg.contains(">济南市总工会启动职工技能大</text>") && svg.contains(">赛暨首届劳动竞赛表彰活动</text>"),
        "{svg}"
    );
    assert!(svg.contains("长按识别二维码，阅读全文") && svg.contains("<path"), "{svg}");
    // A member's share tag travels in the poster's QR code (and stays out of
    // the redirect when there is no font to draw with).
    let (_, signed_in) = member.get(&format!("/a/{id}")).await;
    let tagged = signed_in.find(&format!("/a/{id}/poster.png?s=")).expect("the member's poster link carries their tag");
    let tagged = &signed_in[tagged..tagged + format!("/a/{id}/poster.png?s=").len() + 32];
    assert_eq!(visitor.get(tagged).await.0, if cjk_font_installed() { 200 } else { 302 });

    // Scheduled: no poster before its time (posters are public), and the
    // staff's preview page names none.
    let later = adopted_story(&db, "370100", "13700000001", "明天发布的通知").await;
    let (status, location) = editor
        .post_for_location(
            "/desk/review",
            "/api/newsroom/publish",
            &[("id", &later.to_string()), ("when", "2099-01-01T08:00")],
        )
        .await;
    assert_eq!(status, 303);
    let scheduled = location.rsplit('/').next().unwrap().to_owned();
    for poster in ["poster.svg", "poster.png"] {
        assert_eq!(visitor.get(&format!("/a/{scheduled}/{poster}")).await.0, 404, "scheduled {poster}");
        assert_eq!(editor.get(&format!("/a/{scheduled}/{poster}")).await.0, 404, "even to its staff");
    }
    assert!(!editor.get(&format!("/a/{scheduled}")).await.1.contains("poster.png"));

    // Withdrawn: the poster is gone with the text.
    let (status, _) = editor
        .post(&format!("/a/{id}"), "/api/newsroom/articles/withdraw", &[("id", &id), ("reason", "内容有误")])
        .await;
    assert_eq!(status, 200);
    for poster in ["poster.svg", "poster.png"] {
        assert_eq!(visitor.get(&format!("/a/{id}/{poster}")).await.0, 404, "withdrawn {poster}");
    }
    assert_eq!(visitor.get("/a/999999/poster.png").await.0, 404, "no such article");
}
