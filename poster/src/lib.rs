//! Share posters as PNG.
//!
//! The server draws a share poster (a candidate's, a campaign's) as SVG: 750×1334
//! with Chinese text in `<text>` elements and the QR code as a nested `<svg>`. Chat
//! apps and app webviews will not save an SVG from a long press, so the server also
//! serves the poster as PNG, rendered here with resvg from the fonts installed on
//! the machine.
//!
//! Rendering is CPU-bound. Measured with `cargo run -p poster --example time_render`
//! on the 2-core build machine (WenQuanYi Micro Hei, 750×1334, mean of 20 renders
//! under `/usr/bin/time`), one candidate poster costs ≈ 21 ms of CPU in a release
//! build (27–30 ms wall while other builds shared the cores) and ≈ 410 ms in a
//! debug build. Two thirds of the release figure is PNG encoding (≈ 14 ms),
//! then rasterising (≈ 4 ms), filling the canvas (≈ 1.5 ms) and parsing with
//! text layout (≈ 1 ms); the PNG is ≈ 40 KB. Callers on the async runtime run
//! [`Renderer::render_png`] inside `tokio::task::spawn_blocking` so a render
//! never stalls the other requests on that worker thread. [`Renderer::new`]
//! reads the font directories and the CJK font files (≈ 5 ms for WenQuanYi's
//! 5 MB; ≈ 40 ms, 45 MB, with fonts-noto-cjk and fonts-noto-core as well): build
//! one renderer at start-up and share it (`Arc<Renderer>`), never one per request.

use std::path::PathBuf;
use std::sync::Arc;

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb, roxmltree};

/// Where [`Renderer::new`] looks for fonts after the directories in
/// `GONGHUI_FONT_DIRS`: Debian's packages for the CJK fonts (fonts-wqy-microhei,
/// fonts-noto-cjk, and fonts-noto-core's directory where some images add CJK
/// files). Not every system font: fonts-noto-core alone is 268 files, a
/// desktop's /usr/share/fonts holds thousands of faces no poster uses, and
/// every loaded face is parsed at start-up and tried, file by file, whenever a
/// character is missing from the font a text asked for.
pub const DEBIAN_FONT_DIRS: [&str; 3] =
    ["/usr/share/fonts/truetype/wqy", "/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"];

/// The environment variable naming extra font directories, colon-separated,
/// searched before [`DEBIAN_FONT_DIRS`] (an image that ships its own font).
pub const FONT_DIRS_VAR: &str = "GONGHUI_FONT_DIRS";

/// The largest PNG side we render: 4096 px is 64 MiB of RGBA, and posters are
/// 750×1334 (1500×2668 at 2×), so a larger request is a mistake, not a poster.
pub const MAX_SIDE: u32 = 4096;

/// The most CJK font data [`Renderer`] copies into memory (see `hold_in_memory`):
/// 64 MiB holds WenQuanYi Micro Hei (5 MB) and Noto Sans CJK's Regular and Bold
/// collections (19.5 + 20 MB, the weights posters use) together; Noto Serif CJK
/// (26 + 27 MB) then stays on disk.
const FONT_MEMORY_BUDGET: u64 = 64 * 1024 * 1024;

/// Characters a face must draw to count as CJK-capable: 工 and 会 are on every
/// poster; 选 is a simplified-only form, so a Japanese kanji font (which has 工
/// but not 选) does not count and a poster never shows boxes in 候选人.
const CJK_PROBE: [char; 3] = ['工', '会', '选'];

/// Why a poster could not be rendered as PNG. Every case is inside trouble, not
/// the member's: the caller logs it and serves the poster as SVG instead.
#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    /// The SVG did not parse (bad XML, no size, too many elements).
    #[error("the poster is not valid SVG: {0}")]
    InvalidSvg(#[from] usvg::Error),
    /// The SVG has text but no loaded face can draw Chinese: rendering would
    /// draw empty boxes (tofu) where the names go, which is worse than no PNG.
    #[error("the poster has text but no CJK font is installed (looked in {FONT_DIRS_VAR} and {DEBIAN_FONT_DIRS:?})")]
    NoCjkFont,
    /// The requested PNG size is zero or above [`MAX_SIDE`].
    #[error("a {width}×{height} PNG is outside 1..={MAX_SIDE} pixels a side")]
    BadSize { width: u32, height: u32 },
    /// The PNG encoder failed (it only fails on sizes we refuse earlier).
    #[error("encoding the PNG failed: {0}")]
    Encode(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Renders SVG posters to PNG with the fonts found when it was built.
///
/// Holds the parsed font database (shared through an `Arc` inside the usvg
/// options, so each render reads it without copying) and the options every
/// render uses. Build one at start-up; it is `Send + Sync`.
pub struct Renderer {
    options: usvg::Options<'static>,
    /// The family of the CJK face the generic families point at, if one was found.
    cjk_family: Option<String>,
    /// Bytes of CJK font files read into memory (for the Debug line).
    held_in_memory: u64,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("faces", &self.options.fontdb.len())
            .field("cjk_family", &self.cjk_family)
            .field("held_in_memory", &self.held_in_memory)
            .finish()
    }
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// Loads the fonts in `GONGHUI_FONT_DIRS` (colon-separated, optional) and
    /// then in [`DEBIAN_FONT_DIRS`]; a directory that does not exist is skipped.
    pub fn new() -> Self {
        Self::with_font_dirs(&font_dirs_from_env())
    }

    /// Loads the fonts in exactly `dirs` (searched recursively), in that order:
    /// the first directory holding a CJK-capable face supplies the default family.
    pub fn with_font_dirs(dirs: &[PathBuf]) -> Self {
        let mut fonts = fontdb::Database::new();
        // CJK-capable faces in lookup order, each with the index of its directory.
        let mut cjk: Vec<(usize, fontdb::ID)> = Vec::new();
        for (dir_index, dir) in dirs.iter().enumerate() {
            let loaded_before: Vec<fontdb::ID> = fonts.faces().map(|face| face.id).collect();
            fonts.load_fonts_dir(dir);
            let added = fonts.faces().filter(|face| !loaded_before.contains(&face.id));
            cjk.extend(added.filter(|face| draws_chinese(&fonts, face)).map(|face| (dir_index, face.id)));
        }
        let first_cjk_dir = cjk.first().map(|&(dir_index, _)| dir_index);
        let cjk_family = cjk
            .iter()
            .filter(|&&(dir_index, _)| Some(dir_index) == first_cjk_dir)
            .filter_map(|&(_, id)| fonts.face(id))
            .min_by_key(|face| poster_fit(face))
            .and_then(family_name)
            .map(str::to_owned);
        let mut options = usvg::Options::default();
        let mut held_in_memory = 0;
        if let Some(family) = &cjk_family {
            let cjk: Vec<fontdb::ID> = cjk.iter().map(|&(_, id)| id).collect();
            held_in_memory = hold_in_memory(&mut fonts, &cjk, family, FONT_MEMORY_BUDGET);
            // Our posters name "…, sans-serif" last, and usvg's font selector
            // falls back to `serif` when no listed family is installed, so both
            // generic families point at the CJK face; `font_family` covers text
            // with no font-family at all.
            fonts.set_sans_serif_family(family.clone());
            fonts.set_serif_family(family.clone());
            options.font_family = family.clone();
        }
        options.fontdb = Arc::new(fonts);
        options.languages = vec!["zh-CN".to_owned(), "en".to_owned()];
        // An <image href="/some/path"> would make usvg read that file from the
        // server's disk. Posters embed no file images, and their text comes from
        // members, so no path is ever followed; data: URLs still resolve.
        options.image_href_resolver.resolve_string = Box::new(|_, _| None);
        Renderer { options, cjk_family, held_in_memory }
    }

    /// Whether a loaded face can draw Chinese. Without one, [`Self::render_png`]
    /// refuses SVG that has text.
    pub fn has_cjk(&self) -> bool {
        self.cjk_family.is_some()
    }

    /// The family name of the CJK face in use (for the start-up log), if any.
    pub fn cjk_family(&self) -> Option<&str> {
        self.cjk_family.as_deref()
    }

    /// Renders `svg` as a `width`×`height` PNG: scaled to fit (aspect kept,
    /// centred), on white where the SVG is transparent.
    ///
    /// CPU-bound, ≈ 21 ms release / 410 ms debug for a 750×1334 poster (see
    /// the crate docs): call it from `spawn_blocking`, not on an async worker.
    pub fn render_png(&self, svg: &str, width: u32, height: u32) -> Result<Vec<u8>, PosterError> {
        if !(1..=MAX_SIDE).contains(&width) || !(1..=MAX_SIDE).contains(&height) {
            return Err(PosterError::BadSize { width, height });
        }
        // Parsed once here, with the options usvg's own `Tree::from_str` uses,
        // so the text check below and the render read the same document.
        let xml_options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        let document = roxmltree::Document::parse_with_options(svg, xml_options)
            .map_err(|error| PosterError::InvalidSvg(usvg::Error::ParsingFailed(error)))?;
        if !self.has_cjk() && has_text(&document) {
            return Err(PosterError::NoCjkFont);
        }
        let tree = usvg::Tree::from_xmltree(&document, &self.options)?;

        let mut pixmap = Pixmap::new(width, height).ok_or(PosterError::BadSize { width, height })?;
        // Chat apps show a transparent PNG on black or on their own theme
        // colour; a poster is meant to be seen on white.
        pixmap.fill(Color::WHITE);
        resvg::render(&tree, fit(tree.size(), width, height), &mut pixmap.as_mut());
        // tiny-skia's encoder uses png's balanced compression: ≈ 14 ms, 40 KB
        // for a poster. png's `Fast` setting takes 1.5 ms but writes 74 KB, and a
        // poster is downloaded on slow phones far more often than it is
        // rendered (the SVG route lets caches keep it an hour), so the smaller
        // file wins.
        pixmap.encode_png().map_err(|error| PosterError::Encode(Box::new(error)))
    }
}

// One renderer is shared by every request's blocking task; this stops the
// build if a field ever makes it unshareable.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<Renderer>()
};

/// The directories [`Renderer::new`] searches, in order: those in
/// `GONGHUI_FONT_DIRS` (empty entries skipped), then [`DEBIAN_FONT_DIRS`].
pub fn font_dirs_from_env() -> Vec<PathBuf> {
    let configured = std::env::var_os(FONT_DIRS_VAR).unwrap_or_default();
    std::env::split_paths(&configured)
        .filter(|dir| !dir.as_os_str().is_empty())
        .chain(DEBIAN_FONT_DIRS.iter().map(PathBuf::from))
        .collect()
}

/// How well a CJK-capable face suits a poster, best first (`false` < `true`):
/// a sans face (posters ask for sans-serif), not a monospaced one, then a
/// Simplified Chinese one — a Noto CJK collection holds JP, KR, SC, TC and HK
/// faces, whose 骨, 直 and 门 differ, and the SC face draws them as readers in
/// the mainland expect; ties keep the lookup order.
fn poster_fit(face: &fontdb::FaceInfo) -> (bool, bool, bool) {
    let name = family_name(face).unwrap_or_default();
    (name.contains("Serif"), name.contains("Mono"), !name.ends_with(" SC"))
}

/// Which font file `hold_in_memory` reads first: compared field by field,
/// `false` before `true`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct HoldRank {
    other_family: bool,
    serif: bool,
    mono: bool,
    not_simplified: bool,
    other_weight: bool,
}

/// Reads the files holding CJK faces into memory while the total stays within
/// `budget` bytes — first the files of the `default` family, then those of any
/// other CJK family, in [`poster_fit`] order and 400 and 700 weights first — and
/// returns the bytes read. A face loaded from a directory is read from its file
/// at each use, and usvg asks for the data once per glyph: mapping the file ≈ 60
/// times a poster made parsing and layout ≈ 8 ms instead of ≈ 1 ms (29 → 21 ms
/// of CPU per poster). The other CJK families matter because a poster's own
/// font list can name one before the default (Noto Sans CJK SC comes before
/// WenQuanYi in ours). Latin faces, fallbacks at most, stay on disk.
fn hold_in_memory(fonts: &mut fontdb::Database, cjk: &[fontdb::ID], default: &str, budget: u64) -> u64 {
    let mut files: Vec<(PathBuf, HoldRank)> = Vec::new();
    for face in cjk.iter().filter_map(|&id| fonts.face(id)) {
        let fontdb::Source::File(path) = &face.source else { continue };
        let (serif, mono, not_simplified) = poster_fit(face);
        let rank = HoldRank {
            other_family: family_name(face) != Some(default),
            serif,
            mono,
            not_simplified,
            other_weight: !matches!(face.weight.0, 400 | 700),
        };
        match files.iter_mut().find(|(known, _)| known == path) {
            Some((_, best)) => *best = (*best).min(rank),
            None => files.push((path.clone(), rank)),
        }
    }
    // Stable: files of equal rank keep the lookup order.
    files.sort_by_key(|&(_, rank)| rank);
    let mut held: u64 = 0;
    for (path, _) in files {
        let size = std::fs::metadata(&path).map_or(u64::MAX, |metadata| metadata.len());
        if held.saturating_add(size) > budget {
            continue;
        }
        let Ok(data) = std::fs::read(&path) else { continue };
        let from_file: Vec<fontdb::ID> = fonts
            .faces()
            .filter(|face| matches!(&face.source, fontdb::Source::File(known) if *known == path))
            .map(|face| face.id)
            .collect();
        for id in from_file {
            fonts.remove_face(id);
        }
        held += data.len() as u64;
        fonts.load_font_source(fontdb::Source::Binary(Arc::new(data)));
    }
    held
}

/// Whether `face`'s character map covers every [`CJK_PROBE`] character.
fn draws_chinese(fonts: &fontdb::Database, face: &fontdb::FaceInfo) -> bool {
    fonts
        .with_face_data(face.id, |data, index| {
            let Ok(font) = skrifa::FontRef::from_index(data, index) else { return false };
            let charmap = skrifa::charmap::Charmap::new(&font);
            CJK_PROBE.iter().all(|&c| charmap.map(c).is_some())
        })
        .unwrap_or(false)
}

/// A face's family name as the font database matches it (fontdb keeps the
/// English name first).
fn family_name(face: &fontdb::FaceInfo) -> Option<&str> {
    face.families.first().map(|(name, _)| name.as_str())
}

/// Whether the document has a `<text>` element with something to draw.
fn has_text(document: &roxmltree::Document) -> bool {
    document
        .descendants()
        .filter(|node| node.tag_name().name() == "text")
        .any(|text| text.descendants().any(|node| node.is_text() && node.text().is_some_and(|t| !t.trim().is_empty())))
}

/// The transform that scales an SVG of `size` to fit `width`×`height` pixels,
/// keeping its aspect ratio and centring it (a 750×1334 poster asked for at
/// 750×1334 is drawn 1:1).
fn fit(size: usvg::Size, width: u32, height: u32) -> Transform {
    let scale = (width as f32 / size.width()).min(height as f32 / size.height());
    let left = (width as f32 - size.width() * scale) / 2.0;
    let top = (height as f32 - size.height() * scale) / 2.0;
    Transform::from_row(scale, 0.0, 0.0, scale, left, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poster_asked_for_at_its_own_size_is_drawn_one_to_one() {
        let transform = fit(usvg::Size::from_wh(750.0, 1334.0).unwrap(), 750, 1334);
        assert_eq!(transform, Transform::identity());
    }

    #[test]
    fn a_poster_asked_for_in_a_wider_box_is_scaled_by_height_and_centred() {
        // 1334 → 667 is a scale of ½; 750 × ½ = 375 wide, centred in 1000: 312.5 each side.
        let transform = fit(usvg::Size::from_wh(750.0, 1334.0).unwrap(), 1000, 667);
        assert_eq!((transform.sx, transform.sy, transform.tx, transform.ty), (0.5, 0.5, 312.5, 0.0));
    }

    #[test]
    fn whitespace_only_text_is_not_text() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text> </text></svg>"#;
        let document = roxmltree::Document::parse(svg).unwrap();
        assert!(!has_text(&document));
    }

    #[test]
    fn text_inside_a_tspan_is_text() {
        let svg =
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text><tspan>工</tspan></text></svg>"#;
        let document = roxmltree::Document::parse(svg).unwrap();
        assert!(has_text(&document));
    }

    #[test]
    fn font_dirs_from_the_environment_come_before_debians() {
        // Read-only on the process environment: whatever GONGHUI_FONT_DIRS holds
        // in this test run, the Debian directories are the last three.
        let dirs = font_dirs_from_env();
        let tail: Vec<PathBuf> = DEBIAN_FONT_DIRS.iter().map(PathBuf::from).collect();
        assert_eq!(dirs[dirs.len() - 3..], tail[..]);
    }

    #[test]
    fn the_default_familys_font_file_is_held_in_memory_and_others_stay_on_disk() {
        let (wqy, dejavu) = ("/usr/share/fonts/truetype/wqy", "/usr/share/fonts/truetype/dejavu");
        if !std::path::Path::new(wqy).exists() || !std::path::Path::new(dejavu).exists() {
            eprintln!("SKIPPED the_default_familys_font_file_is_held_in_memory…: needs {wqy} and {dejavu}");
            return;
        }

        let renderer = Renderer::with_font_dirs(&[PathBuf::from(dejavu), PathBuf::from(wqy)]);

        let in_memory = |face: &fontdb::FaceInfo| matches!(face.source, fontdb::Source::Binary(_));
        let fonts = &renderer.options.fontdb;
        // The WenQuanYi collection (Micro Hei and Micro Hei Mono) is one file, read whole.
        let (cjk, latin): (Vec<_>, Vec<_>) =
            fonts.faces().partition(|face| family_name(face).is_some_and(|name| name.starts_with("WenQuanYi")));
        assert!(!cjk.is_empty() && cjk.iter().all(|face| in_memory(face)));
        assert!(!latin.is_empty() && latin.iter().all(|face| !in_memory(face)));
        assert!(renderer.held_in_memory > 1_000_000, "held {} bytes", renderer.held_in_memory);
    }

    #[test]
    fn a_family_larger_than_the_budget_stays_on_disk() {
        let wqy = "/usr/share/fonts/truetype/wqy";
        if !std::path::Path::new(wqy).exists() {
            eprintln!("SKIPPED a_family_larger_than_the_budget_stays_on_disk: needs {wqy}");
            return;
        }
        let mut fonts = fontdb::Database::new();
        fonts.load_fonts_dir(wqy);
        let cjk: Vec<fontdb::ID> = fonts.faces().map(|face| face.id).collect();

        let held = hold_in_memory(&mut fonts, &cjk, "WenQuanYi Micro Hei", 1024);

        assert_eq!(held, 0);
        assert!(fonts.faces().all(|face| matches!(face.source, fontdb::Source::File(_))));
    }

    fn face_of(family: &str) -> fontdb::FaceInfo {
        fontdb::FaceInfo {
            id: fontdb::ID::dummy(),
            source: fontdb::Source::Binary(Arc::new(Vec::<u8>::new())),
            index: 0,
            families: vec![(family.to_owned(), fontdb::Language::English_UnitedStates)],
            post_script_name: String::new(),
            style: fontdb::Style::Normal,
            weight: fontdb::Weight::NORMAL,
            stretch: fontdb::Stretch::Normal,
            monospaced: false,
        }
    }

    #[test]
    fn the_simplified_chinese_sans_face_of_a_noto_cjk_install_fits_a_poster_best() {
        // In the order Debian's fonts-noto-cjk collections list them.
        let faces: Vec<fontdb::FaceInfo> =
            ["Noto Serif CJK SC", "Noto Sans CJK JP", "Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Noto Sans CJK TC"]
                .into_iter()
                .map(face_of)
                .collect();

        let best = faces.iter().min_by_key(|face| poster_fit(face)).and_then(family_name);

        assert_eq!(best, Some("Noto Sans CJK SC"));
    }

    #[test]
    fn among_equally_fit_faces_the_first_in_lookup_order_wins() {
        let faces: Vec<fontdb::FaceInfo> =
            ["WenQuanYi Micro Hei", "Source Han Sans"].into_iter().map(face_of).collect();

        let best = faces.iter().min_by_key(|face| poster_fit(face)).and_then(family_name);

        assert_eq!(best, Some("WenQuanYi Micro Hei"));
    }

    #[test]
    fn a_renderer_without_font_dirs_has_no_cjk() {
        let renderer = Renderer::with_font_dirs(&[]);
        assert!(!renderer.has_cjk());
        assert_eq!(renderer.cjk_family(), None);
    }
}
