//! Rendering posters to PNG with the fonts installed on this machine.
//!
//! The tests that draw Chinese need a CJK font (Debian: `apt-get install
//! fonts-wqy-microhei`, which `make e2e-tools` installs). Without one they say
//! so on stderr and return early instead of failing; the tests of refusals run
//! everywhere.

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};
use poster::{PosterError, Renderer};
use support::layout;

const WQY_DIR: &str = "/usr/share/fonts/truetype/wqy";
const DEJAVU_DIR: &str = "/usr/share/fonts/truetype/dejavu";

/// The renderer `Renderer::new` builds, when it found a CJK font; otherwise
/// says on stderr which test did not run and why.
fn cjk_renderer(test: &str) -> Option<Renderer> {
    let renderer = Renderer::new();
    if !renderer.has_cjk() {
        eprintln!(
            "SKIPPED {test}: no CJK font in GONGHUI_FONT_DIRS or {:?}; install fonts-wqy-microhei to run it",
            poster::DEBIAN_FONT_DIRS
        );
        return None;
    }
    Some(renderer)
}

fn decode(png: &[u8]) -> RgbaImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("the renderer returns a PNG").to_rgba8()
}

/// Pixels in the box `(left, top, right, bottom)` (right and bottom excluded)
/// that are dark: each channel below 100 of 255 (the name is #1f1f1f on #fdecef).
fn dark_pixels_in(image: &RgbaImage, (left, top, right, bottom): (u32, u32, u32, u32)) -> usize {
    (top..bottom)
        .flat_map(|y| (left..right).map(move |x| (x, y)))
        .filter(|&(x, y)| image.get_pixel(x, y).0[..3].iter().all(|&c| c < 100))
        .count()
}

/// A render's result for a failure message: the error, or the PNG's length
/// (not its bytes, which would fill the terminal).
fn outcome(result: &Result<Vec<u8>, PosterError>) -> String {
    match result {
        Ok(png) => format!("a PNG of {} bytes", png.len()),
        Err(error) => format!("{error:?}"),
    }
}

fn near(pixel: &Rgba<u8>, expected: [u8; 3]) -> bool {
    pixel.0[..3].iter().zip(expected).all(|(&got, want)| got.abs_diff(want) <= 2)
}

#[test]
fn a_candidate_poster_renders_as_a_750_by_1334_png_with_its_colours() {
    let Some(renderer) = cjk_renderer("a_candidate_poster_renders_as_a_750_by_1334_png_with_its_colours") else {
        return;
    };

    let png = renderer.render_png(&support::candidate_poster("齐鲁工匠", 7), 750, 1334).expect("the poster renders");

    let image = decode(&png);
    assert_eq!(image.dimensions(), (750, 1334));
    // Two flat fills, the QR's black and white, and the anti-aliased edges of
    // six colours of text: a blank or failed render has one or two colours.
    let colours: HashSet<[u8; 4]> = image.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 50, "only {} distinct colours", colours.len());
    // The header's corners are away from any text: union red #c8102e.
    for (x, y) in [(5, 5), (744, 5), (5, layout::HEADER_BOTTOM - 5), (744, layout::HEADER_BOTTOM - 5)] {
        assert!(near(image.get_pixel(x, y), [0xc8, 0x10, 0x2e]), "({x}, {y}) is {:?}", image.get_pixel(x, y));
    }
    // Below the header the background is #fdecef, and nothing is transparent.
    assert!(near(image.get_pixel(5, 1320), [0xfd, 0xec, 0xef]));
    assert!(image.pixels().all(|p| p.0[3] == 255));
}

#[test]
fn the_candidates_name_is_drawn_in_chinese_glyphs_not_boxes() {
    let Some(renderer) = cjk_renderer("the_candidates_name_is_drawn_in_chinese_glyphs_not_boxes") else { return };

    let name = decode(&renderer.render_png(&support::candidate_poster("齐鲁工匠", 7), 750, 1334).unwrap());
    let strokes = decode(&renderer.render_png(&support::candidate_poster("一一一一", 7), 750, 1334).unwrap());

    // The name's box is dark where the glyphs are…
    let name_ink = dark_pixels_in(&name, layout::NAME_BOX);
    assert!(name_ink > 5_000, "only {name_ink} dark pixels where 齐鲁工匠 is drawn");
    // …and the ink follows the characters: 一 is one stroke, 齐鲁工匠 many.
    // Missing-glyph boxes would draw the same outline for both names.
    let one_stroke_ink = dark_pixels_in(&strokes, layout::NAME_BOX);
    assert!(name_ink > 3 * one_stroke_ink, "齐鲁工匠 has {name_ink} dark pixels, 一一一一 {one_stroke_ink}");
}

#[test]
fn the_qr_code_keeps_its_dark_finder_square_and_white_quiet_zone() {
    let Some(renderer) = cjk_renderer("the_qr_code_keeps_its_dark_finder_square_and_white_quiet_zone") else { return };

    let image = decode(&renderer.render_png(&support::candidate_poster("齐鲁工匠", 7), 750, 1334).unwrap());

    // 41 modules (33 + 2 × 4 quiet) across 320 px: 7.8 px a module. The top-left
    // finder's centre is module 4 + 3.5; the quiet zone is the first 4 modules.
    let module = layout::QR_SIDE as f32 / 41.0;
    let finder_centre = (7.5 * module) as u32;
    let quiet = (2.0 * module) as u32;
    let at = |dx: u32, dy: u32| image.get_pixel(layout::QR_LEFT + dx, layout::QR_TOP + dy);
    assert!(
        near(at(finder_centre, finder_centre), [0, 0, 0]),
        "finder centre is {:?}",
        at(finder_centre, finder_centre)
    );
    assert!(near(at(quiet, quiet), [255, 255, 255]), "quiet zone is {:?}", at(quiet, quiet));
}

#[test]
fn a_poster_asked_for_at_half_size_is_scaled_to_fit() {
    let Some(renderer) = cjk_renderer("a_poster_asked_for_at_half_size_is_scaled_to_fit") else { return };

    let image = decode(&renderer.render_png(&support::candidate_poster("齐鲁工匠", 7), 375, 667).unwrap());

    assert_eq!(image.dimensions(), (375, 667));
    // The header (420 px) is 210 px tall at half size.
    assert!(near(image.get_pixel(5, 200), [0xc8, 0x10, 0x2e]));
    assert!(near(image.get_pixel(5, 220), [0xfd, 0xec, 0xef]));
}

#[test]
fn the_debian_wenquanyi_font_is_found_and_made_the_default_family() {
    if !Path::new(WQY_DIR).join("wqy-microhei.ttc").exists() {
        eprintln!(
            "SKIPPED the_debian_wenquanyi_font_is_found_and_made_the_default_family: {WQY_DIR} has no wqy-microhei.ttc"
        );
        return;
    }

    let renderer = Renderer::with_font_dirs(&[PathBuf::from(WQY_DIR)]);

    assert!(renderer.has_cjk());
    assert_eq!(renderer.cjk_family(), Some("WenQuanYi Micro Hei"));
}

#[test]
fn a_latin_font_listed_first_does_not_hide_the_cjk_font_after_it() {
    if !Path::new(WQY_DIR).exists() || !Path::new(DEJAVU_DIR).exists() {
        eprintln!(
            "SKIPPED a_latin_font_listed_first_does_not_hide_the_cjk_font_after_it: needs {WQY_DIR} and {DEJAVU_DIR}"
        );
        return;
    }

    let renderer = Renderer::with_font_dirs(&[PathBuf::from(DEJAVU_DIR), PathBuf::from(WQY_DIR)]);

    assert_eq!(renderer.cjk_family(), Some("WenQuanYi Micro Hei"));
}

#[test]
fn a_poster_with_text_is_refused_when_no_font_dir_holds_a_cjk_font() {
    let empty = tempfile::tempdir().unwrap();
    let renderer = Renderer::with_font_dirs(&[empty.path().to_path_buf()]);

    let result = renderer.render_png(&support::candidate_poster("齐鲁工匠", 7), 750, 1334);

    assert!(!renderer.has_cjk());
    assert!(matches!(result, Err(PosterError::NoCjkFont)), "got {}", outcome(&result));
}

#[test]
fn a_latin_only_font_is_not_enough_to_draw_a_poster() {
    // The realistic failure: a server with DejaVu but no CJK font would draw
    // the Latin and digits and put boxes where the Chinese goes.
    if !Path::new(DEJAVU_DIR).exists() {
        eprintln!("SKIPPED a_latin_only_font_is_not_enough_to_draw_a_poster: {DEJAVU_DIR} does not exist");
        return;
    }
    let renderer = Renderer::with_font_dirs(&[PathBuf::from(DEJAVU_DIR)]);

    let result = renderer.render_png(&support::candidate_poster("齐鲁工匠", 7), 750, 1334);

    assert!(!renderer.has_cjk());
    assert!(matches!(result, Err(PosterError::NoCjkFont)), "got {}", outcome(&result));
}

#[test]
fn an_svg_without_text_renders_without_any_font_on_white() {
    let renderer = Renderer::with_font_dirs(&[]);
    // Transparent everywhere except one red square.
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect x="40" y="40" width="20" height="20" fill="#c8102e"/></svg>"##;

    let image = decode(&renderer.render_png(svg, 100, 100).unwrap());

    assert!(near(image.get_pixel(50, 50), [0xc8, 0x10, 0x2e]));
    assert_eq!(image.get_pixel(5, 5).0, [255, 255, 255, 255], "the transparent corner is white");
}

#[test]
fn malformed_svg_is_refused_as_invalid() {
    let renderer = Renderer::with_font_dirs(&[]);

    for svg in [
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334"><text>齐鲁工匠</svg>"#,
        "not svg at all",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="1334"/>"#, // no area to draw
    ] {
        let result = renderer.render_png(svg, 750, 1334);
        assert!(matches!(result, Err(PosterError::InvalidSvg(_))), "{svg:?} gave {}", outcome(&result));
    }
}

#[test]
fn a_png_of_zero_or_more_than_4096_pixels_a_side_is_refused() {
    let renderer = Renderer::with_font_dirs(&[]);
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;

    for (width, height) in [(0, 1334), (750, 0), (4097, 1334), (750, 100_000)] {
        let result = renderer.render_png(svg, width, height);
        assert!(matches!(result, Err(PosterError::BadSize { .. })), "{width}×{height} gave {}", outcome(&result));
    }
}
