//! Offline and installable (issue 15): the bundle's content-hashed names,
//! their cache lifetimes, and the service worker at `/sw.js`.
//!
//! The worker keeps the shell (the CSS, icons) in a cache named after the
//! build's version, so a deploy replaces it; it keeps the member's 惠员卡
//! page and its QR code after each successful load — the only personal data
//! it keeps — and shows them with the network off, saying when they were
//! last refreshed, because the card is wanted at a merchant's counter with
//! no signal. Signing out (or out everywhere) drops the card. Any other page
//! without a network gets a Chinese offline page; no other answer is kept.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// `pkg/bundle.json` under the site root, or the plain names.
pub fn bundle(site_root: &std::path::Path) -> app::Bundle {
    let path = site_root.join("pkg/bundle.json");
    match std::fs::read_to_string(&path).map(|text| serde_json::from_str::<app::Bundle>(&text)) {
        Ok(Ok(bundle)) => bundle,
        Ok(Err(error)) => {
            tracing::error!(%error, path = %path.display(), "unreadable bundle.json: serving the plain names");
            app::Bundle::default()
        }
        Err(_) => app::Bundle::default(),
    }
}

/// A year, `immutable`, for `/pkg/` files whose name carries a content
/// hash (they never change under that name); `no-cache` for plain names
/// (`make watch` rewrites them in place).
pub fn pkg_cache_control(path: &str) -> Option<HeaderValue> {
    let name = path.strip_prefix("/pkg/")?;
    let hashed = name.split('.').any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()));
    Some(HeaderValue::from_static(if hashed { "public, max-age=31536000, immutable" } else { "no-cache" }))
}

/// `GET /sw.js`: the service worker, with this build's names and version.
pub async fn service_worker(State(state): State<AppState>) -> Response {
    let bundle = &state.bundle;
    let script = SCRIPT
        .replace("__VERSION__", &bundle.version)
        .replace("__CSS__", &format!("/pkg/{}", bundle.css))
        .replace("__OFFLINE__", &offline_page(&format!("/pkg/{}", bundle.css)).replace('`', "\\`"));
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // Browsers check for a new worker at least daily anyway; no-cache
            // makes every check see a deploy at once.
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        ],
        script,
    )
        .into_response()
}

fn offline_page(css: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>网络不可用 · 工会会员服务</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main class=\"page\"><section class=\"card\"><h1>网络不可用</h1>\
         <p>请检查网络后刷新页面。</p>\
         <p>惠员卡在离线时也能出示：<a class=\"button-link\" href=\"/card\">打开惠员卡</a></p>\
         </section></main></body></html>"
    )
}

const SCRIPT: &str = r#"// Gonghui's service worker (server/src/offline.rs).
const VERSION = "__VERSION__";
const SHELL = "gonghui-shell-" + VERSION;
// The member's own card: the only personal data kept; dropped on sign-out.
const CARD = "gonghui-card";
const PRECACHE = ["__CSS__", "/favicon.svg", "/icons/icon-192.png", "/manifest.webmanifest"];
const OFFLINE = `__OFFLINE__`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("gonghui-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const html = (text) => new Response(text, { headers: { "content-type": "text/html; charset=utf-8" } });
const pad = (n) => String(n).padStart(2, "0");
const when = (ms) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

async function card(request, path) {
  try {
    const response = await fetch(request);
    const cache = await caches.open(CARD);
    if (path === "/card") {
      const text = await response.clone().text();
      if (response.ok && text.includes('class="e-card-qr"')) {
        await cache.put("/card", new Response(text, { headers: { "content-type": "text/html; charset=utf-8", "x-saved-at": String(Date.now()) } }));
      } else {
        // Signed out or not certified: nobody's card stays on this phone.
        await caches.delete(CARD);
      }
    } else if (response.ok) {
      await cache.put("/card/qr.svg", response.clone());
    }
    return response;
  } catch (error) {
    const saved = await caches.match(path, { cacheName: CARD });
    if (path !== "/card") return saved || Response.error();
    if (!saved) return html(OFFLINE);
    const note = `<p class="banner banner-notice" role="status">离线显示 · 最后更新于 ${when(Number(saved.headers.get("x-saved-at")))}</p>`;
    // Under the card's heading, as the embed bundle shows it.
    return html((await saved.text()).replace(/<section[^>]*class="card e-card"[^>]*>[\s\S]*?<\/h1>/, (card) => card + note));
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname.startsWith("/api/auth/logout")) {
    event.respondWith(caches.delete(CARD).then(() => fetch(request)));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/pkg/")) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(SHELL).then((cache) => cache.put(request, copy));
        }
        return response;
      })),
    );
    return;
  }
  if (url.pathname === "/card" || url.pathname === "/card/qr.svg") {
    event.respondWith(card(request, url.pathname));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => html(OFFLINE)));
  }
});
"#;

#[cfg(test)]
mod tests {
    use super::pkg_cache_control;

    #[test]
    fn hashed_bundle_files_are_immutable_and_plain_names_are_revalidated() {
        assert_eq!(
            pkg_cache_control("/pkg/gonghui_bg.0123456789abcdef.wasm").unwrap(),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            pkg_cache_control("/pkg/gonghui.0123456789abcdef.css.br").unwrap(),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(pkg_cache_control("/pkg/gonghui.css").unwrap(), "no-cache");
        assert_eq!(pkg_cache_control("/favicon.svg"), None);
    }
}
