//! The Content-Security-Policy. Pages get one with a fresh nonce per render
//! (the shell fills it in: `app::context::PagePolicy`); everything else
//! (JSON, SVG, the development inbox) gets the same policy with no script
//! allowed at all.
//!
//! - `script-src 'nonce-…' 'strict-dynamic' 'wasm-unsafe-eval'`: only our
//!   inline scripts run (Leptos' resource scripts and the hydration loader
//!   carry the nonce); the loader's `import()` of `/pkg/gonghui.js` is
//!   trusted through `strict-dynamic`; WebAssembly needs `wasm-unsafe-eval`.
//!   `'self'` is there for browsers older than CSP 3 (which ignore
//!   `strict-dynamic`); newer ones ignore `'self'` next to it.
//! - `worker-src 'self'`: the service worker (/sw.js); without it browsers
//!   fall back to `script-src`, where `strict-dynamic` leaves no source.
//! - `object-src 'none'`, `base-uri 'none'`: no plugins, no `<base>` hijack.
//! - `form-action 'self'`: forms post only to us.
//! - `frame-ancestors 'self'` plus `GONGHUI_FRAME_ANCESTORS`: the unions' app
//!   webviews may frame us when configured; nobody else.

/// The page policy, with `{nonce}` to fill in per render.
pub fn page_policy(frame_ancestors: &[String]) -> String {
    format!(
        "script-src 'self' 'nonce-{{nonce}}' 'strict-dynamic' 'wasm-unsafe-eval'; worker-src 'self'; {}",
        common(frame_ancestors)
    )
}

/// The policy of every response that is not a rendered page.
pub fn default_policy(frame_ancestors: &[String]) -> String {
    format!("script-src 'none'; {}", common(frame_ancestors))
}

fn common(frame_ancestors: &[String]) -> String {
    let mut ancestors = vec!["'self'".to_owned()];
    ancestors.extend(frame_ancestors.iter().cloned());
    format!("object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {}", ancestors.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_only_scripts_with_the_nonce_and_frames_only_from_configured_apps() {
        let policy = page_policy(&["https://app.example.org".to_owned()]);
        assert_eq!(
            policy,
            "script-src 'self' 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'self' https://app.example.org"
        );
        assert!(default_policy(&[]).starts_with("script-src 'none';"));
        assert!(default_policy(&[]).ends_with("frame-ancestors 'self'"));
    }
}
