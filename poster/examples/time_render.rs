//! How long one candidate poster takes to render, for the figures in the
//! crate docs: `cargo run -p poster --example time_render [--release] [-- out.png]`
//! (with a path, the poster is also written there to look at).

// Shared with the tests, whose pixel-box constants this example does not use.
#[path = "../tests/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::time::Instant;

fn main() {
    let started = Instant::now();
    let renderer = poster::Renderer::new();
    let loading = started.elapsed();
    println!("fonts loaded in {loading:?}: {renderer:?}");

    let svg = support::candidate_poster("齐鲁工匠", 7);
    // The first render maps the font files and warms the caches; time the rest.
    let png = renderer.render_png(&svg, 750, 1334).expect("the poster renders");
    if let Some(path) = std::env::args_os().nth(1) {
        std::fs::write(&path, &png).expect("the PNG is written");
    }
    let runs = 20;
    let started = Instant::now();
    for _ in 0..runs {
        renderer.render_png(&svg, 750, 1334).expect("the poster renders");
    }
    let each = started.elapsed() / runs;
    println!("750×1334 poster: {each:?} a render (mean of {runs}), PNG {} bytes", png.len());
}
