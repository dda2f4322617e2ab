//! A candidate poster shaped like the server's (server/src/voting.rs,
//! `candidate_poster`), for the render tests and the timing example.

/// Where the poster's parts are, in its 750×1334 pixels (the same numbers as
/// in the SVG below, so a test can look inside them).
pub mod layout {
    /// The red header band: the whole width, 420 px tall.
    pub const HEADER_BOTTOM: u32 = 420;
    /// The name line: 88 px glyphs on the baseline y = 560, centred on x = 375;
    /// four characters are ≈ 352 px wide, so this box holds them with margin.
    pub const NAME_BOX: (u32, u32, u32, u32) = (175, 470, 575, 580);
    /// The QR code's box: x = 215, y = 860, 320 px a side.
    pub const QR_LEFT: u32 = 215;
    pub const QR_TOP: u32 = 860;
    pub const QR_SIDE: u32 = 320;
}

/// The poster for candidate `number`, named `name`, with the server's font list.
pub fn candidate_poster(name: &str, number: u32) -> String {
    let qr = qr_like_code();
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334" viewBox="0 0 750 1334" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif">
<rect width="750" height="1334" fill="#fdecef"/>
<rect width="750" height="420" fill="#c8102e"/>
<text x="375" y="120" fill="#ffffff" font-size="40" text-anchor="middle">2026年度齐鲁工匠评选</text>
<text x="375" y="300" fill="#ffffff" font-size="150" font-weight="700" text-anchor="middle">{number:02}</text>
<text x="375" y="370" fill="#ffffff" font-size="34" text-anchor="middle">号候选人</text>
<text x="375" y="560" fill="#1f1f1f" font-size="88" font-weight="700" text-anchor="middle">{name}</text>
<text x="375" y="650" fill="#5c5c5c" font-size="34" text-anchor="middle">济南重型机械有限公司</text>
<text x="375" y="710" fill="#5c5c5c" font-size="34" text-anchor="middle">高级技师 · 数控车工</text>
<text x="375" y="810" fill="#a00d25" font-size="38" text-anchor="middle">长按识别二维码，为TA投票</text>
{qr}
<text x="375" y="1260" fill="#5c5c5c" font-size="26" text-anchor="middle">山东省总工会</text>
</svg>"##
    )
}

/// A QR-code-like nested `<svg>`, written as the qrcode crate's SVG renderer
/// writes one and placed as `place_svg` places it: 33 modules (a version 4
/// code) plus a 4-module quiet zone, 8 units a module (what
/// `min_dimensions(320, 320)` picks), three finder squares and fixed
/// pseudo-random data modules.
pub fn qr_like_code() -> String {
    const MODULES: u32 = 33;
    const QUIET: u32 = 4;
    const UNIT: u32 = 8;
    let side = (MODULES + 2 * QUIET) * UNIT;
    let finder_corners = [(0, 0), (MODULES - 7, 0), (0, MODULES - 7)];
    let in_finder =
        |x: u32, y: u32| finder_corners.iter().any(|&(fx, fy)| (fx..fx + 8).contains(&x) && (fy..fy + 8).contains(&y));
    let finder_dark = |x: u32, y: u32| {
        finder_corners.iter().any(|&(fx, fy)| {
            let (dx, dy) = (x.wrapping_sub(fx), y.wrapping_sub(fy));
            dx < 7
                && dy < 7
                && (dx == 0 || dy == 0 || dx == 6 || dy == 6 || ((2..5).contains(&dx) && (2..5).contains(&dy)))
        })
    };
    // xorshift32 with a fixed seed: the same "data" every run.
    let mut state: u32 = 0x2545_f491;
    let mut path = String::new();
    for y in 0..MODULES {
        for x in 0..MODULES {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let dark = if in_finder(x, y) { finder_dark(x, y) } else { state & 1 == 1 };
            if dark {
                let (left, top) = ((x + QUIET) * UNIT, (y + QUIET) * UNIT);
                path.push_str(&format!("M{left} {top}h{UNIT}v{UNIT}H{left}V{top}"));
            }
        }
    }
    format!(
        r##"<svg x="215" y="860" width="320" height="320" xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><rect x="0" y="0" width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    )
}
