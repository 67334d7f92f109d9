//! The QR code printed on every receipt (RC-09): the public check address with the long fiscal
//! ID, as text and (feature `qr`) as a matrix, SVG and terminal string (SPEC.md §13.4).

use alloc::string::String;

use crate::document::FiscalId;

pub use crate::device::DEFAULT_QR_BASE;

/// The QR payload: `base` followed by the long fiscal ID, e.g.
/// `https://monitoring.e-kassa.gov.az/#/index?doc=3f…` (64 hex characters).
pub fn payload(base: &str, id: &FiscalId) -> String {
    let mut s = String::with_capacity(base.len() + 64);
    s.push_str(base);
    s.push_str(&id.long());
    s
}

#[cfg(feature = "qr")]
mod render {
    use alloc::string::String;
    use alloc::vec::Vec;

    use qrcode::canvas::{Canvas, MaskPattern};
    use qrcode::render::Renderer;
    use qrcode::{Color, EcLevel, Version};

    use crate::error::Error;

    /// The eight mask patterns of a QR code, in the order of their numbers (ISO/IEC 18004).
    const MASKS: [MaskPattern; 8] = [
        MaskPattern::Checkerboard,
        MaskPattern::HorizontalLines,
        MaskPattern::VerticalLines,
        MaskPattern::DiagonalLines,
        MaskPattern::LargeCheckerboard,
        MaskPattern::Fields,
        MaskPattern::Diamonds,
        MaskPattern::Meadow,
    ];

    /// A QR code's modules, row by row, and its width: error correction level M (15 %), which
    /// survives a smudged thermal print. The `qrcode` crate encodes; the mask — the one with
    /// the lowest penalty, as the standard asks — is chosen here with [`penalty`], which
    /// scores exactly as the crate does but over a plain slice: the crate's scoring allocates
    /// per pattern and was 90 % of a QR's time (issue #10, benches/RESULTS.md).
    fn code(payload: &str) -> Result<(Vec<Color>, usize), Error> {
        let fail = |e: qrcode::types::QrError| {
            Error::InvalidDocument(alloc::format!("cannot make a QR code: {e}"))
        };
        let bits = qrcode::bits::encode_auto(payload.as_bytes(), EcLevel::M).map_err(fail)?;
        let version = bits.version();
        let Version::Normal(_) = version else {
            return Err(Error::InvalidDocument("not a normal QR code".into()));
        };
        let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)
            .map_err(fail)?;
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        let width = usize::try_from(version.width()).unwrap_or(0);
        let mut best: Option<(u32, Vec<Color>)> = None;
        for mask in MASKS {
            let mut c = canvas.clone();
            c.apply_mask(mask);
            let colors = c.into_colors();
            let score = penalty(&colors, width);
            // The first of equal scores, as the crate's `min_by_key` takes.
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, colors));
            }
        }
        let colors = best.map(|(_, c)| c).unwrap_or_default();
        if width == 0 || colors.len() != width * width {
            return Err(Error::InvalidDocument("cannot make a QR code".into()));
        }
        Ok((colors, width))
    }

    /// The penalty of a masked QR code (ISO/IEC 18004 §7.8.3), computed as the `qrcode`
    /// crate computes it: runs of 5 + n same-colored modules in a row or column (3 + n each),
    /// 2 × 2 blocks of one color (3 each), finder-like 1:1:3:1:1 patterns without 4 light
    /// modules on one side (40 each, less the 360 the three real finder patterns score), and
    /// the distance of the dark share from 50 % (1 a half per cent).
    pub(super) fn penalty(colors: &[Color], width: usize) -> u32 {
        if width <= 64 {
            penalty_bits(colors, width)
        } else {
            penalty_slow(colors, width)
        }
    }

    /// [`penalty`] for codes up to 64 modules wide (version 11; a receipt's is version 7):
    /// each row and column a 64-bit word, bit j the module j (1 dark).
    pub(super) fn penalty_bits(colors: &[Color], width: usize) -> u32 {
        let mut rows = [0u64; 64];
        let mut cols = [0u64; 64];
        for (y, row) in colors.chunks(width).enumerate() {
            for (x, c) in row.iter().enumerate() {
                if *c == Color::Dark {
                    rows[y] |= 1 << x;
                    cols[x] |= 1 << y;
                }
            }
        }
        let (rows, cols) = (&rows[..width], &cols[..width]);
        let all = if width == 64 {
            u64::MAX
        } else {
            (1u64 << width) - 1
        };
        let mut score: i64 = -360;
        // The 1:1:3:1:1 pattern, bit j first: dark, light, dark, dark, dark, light, dark.
        const FINDER: u64 = 0b101_1101;
        for &line in rows.iter().chain(cols) {
            // Runs of 5 + n: a run ends where the next module differs (or the line ends).
            let ends = ((line ^ (line >> 1)) & (all >> 1)) | (1u64 << (width - 1));
            let mut rest = ends;
            let mut start = 0i64;
            while rest != 0 {
                let end = i64::from(rest.trailing_zeros());
                let run = end + 1 - start;
                if run >= 5 {
                    score += run - 2;
                }
                start = end + 1;
                rest &= rest - 1;
            }
            for j in 0..width.saturating_sub(6) {
                if (line >> j) & 0x7f != FINDER {
                    continue;
                }
                let from = j.saturating_sub(4);
                let before = (line >> from) & ((1u64 << (j - from)) - 1) != 0;
                let after = (j + 7 < width) && (line >> (j + 7)) & 0xf != 0;
                if !before || !after {
                    score += 40;
                }
            }
        }
        // 2 × 2 blocks: bit x set where modules x and x + 1 of both rows are one color.
        let pair = all >> 1;
        for y in 0..width.saturating_sub(1) {
            let (a, b) = (rows[y], rows[y + 1]);
            let same = !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & pair;
            score += 3 * i64::from(same.count_ones());
        }
        let dark: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
        let ratio = dark * 200 / (width * width).max(1);
        score += ratio.abs_diff(100) as i64;
        u32::try_from(score.max(0)).unwrap_or(u32::MAX)
    }

    /// [`penalty`] for any width, module by module.
    pub(super) fn penalty_slow(colors: &[Color], width: usize) -> u32 {
        let dark = |x: usize, y: usize| colors[y * width + x] == Color::Dark;
        let mut score: i64 = 0;
        for horizontal in [true, false] {
            let at = |i: usize, j: usize| if horizontal { dark(j, i) } else { dark(i, j) };
            for i in 0..width {
                // Runs.
                let mut run = 1;
                for j in 1..=width {
                    if j < width && at(i, j) == at(i, j - 1) {
                        run += 1;
                    } else {
                        if run >= 5 {
                            score += run - 2;
                        }
                        run = 1;
                    }
                }
                // Finder-like patterns: dark, light, dark ×3, light, dark, with no dark
                // module among the 4 before or among the 4 after (outside the code counts
                // as light).
                const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
                for j in 0..width.saturating_sub(6) {
                    if !(0..7).all(|k| at(i, j + k) == PATTERN[k]) {
                        continue;
                    }
                    let before = (j.saturating_sub(4)..j).any(|k| at(i, k));
                    let after = (j + 7..(j + 11).min(width)).any(|k| at(i, k));
                    if !before || !after {
                        score += 40;
                    }
                }
            }
        }
        score -= 360;
        for y in 0..width.saturating_sub(1) {
            for x in 0..width - 1 {
                let c = dark(x, y);
                if dark(x + 1, y) == c && dark(x, y + 1) == c && dark(x + 1, y + 1) == c {
                    score += 3;
                }
            }
        }
        let total = colors.len().max(1);
        let ratio = colors.iter().filter(|c| **c == Color::Dark).count() * 200 / total;
        score += ratio.abs_diff(100) as i64;
        u32::try_from(score.max(0)).unwrap_or(u32::MAX)
    }

    #[cfg(test)]
    pub(super) fn code_for_tests(payload: &str) -> Result<(Vec<Color>, usize), Error> {
        code(payload)
    }

    /// The modules, row by row (`true` is dark), without the quiet zone.
    pub fn qr_matrix(payload: &str) -> Result<Vec<Vec<bool>>, Error> {
        let (colors, width) = code(payload)?;
        Ok(colors
            .chunks(width)
            .map(|row| row.iter().map(|c| *c == Color::Dark).collect())
            .collect())
    }

    /// An SVG image, 4 px a module, with a 4-module quiet zone.
    pub fn qr_svg(payload: &str) -> Result<String, Error> {
        let (colors, width) = code(payload)?;
        Ok(
            Renderer::<qrcode::render::svg::Color<'_>>::new(&colors, width, 4)
                .quiet_zone(true)
                .module_dimensions(4, 4)
                .build(),
        )
    }

    /// A string of Unicode half blocks for a terminal, two modules a character row.
    pub fn qr_terminal(payload: &str) -> Result<String, Error> {
        let (colors, width) = code(payload)?;
        Ok(
            Renderer::<qrcode::render::unicode::Dense1x2>::new(&colors, width, 4)
                .quiet_zone(true)
                .build(),
        )
    }
}

#[cfg(feature = "qr")]
pub use render::{qr_matrix, qr_svg, qr_terminal};

#[cfg(all(test, feature = "qr"))]
mod same_as_the_crate {
    #![allow(clippy::unwrap_used)]
    use alloc::string::String;

    use qrcode::{EcLevel, QrCode};

    /// The mask chosen here is the one the `qrcode` crate's own (slower) search chooses, so
    /// the codes are module for module the same: on receipts' payloads with every fiscal-ID
    /// byte, and on texts of every length up to 200 characters and beyond (codes wider than
    /// 64 modules take the module-by-module scoring); the two scorings agree.
    #[test]
    fn every_module_is_the_crates() {
        let mut payloads: alloc::vec::Vec<String> = (0..=255u8)
            .map(|b| super::payload(crate::device::DEFAULT_QR_BASE, &crate::FiscalId([b; 32])))
            .collect();
        let mut x: u32 = 12345;
        for len in (1..200).chain((200..420).step_by(7)) {
            let text: String = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    char::from(b"0123456789ABCDEFabcdef:/?=#.-"[(x >> 16) as usize % 29])
                })
                .collect();
            payloads.push(text);
        }
        for p in &payloads {
            let theirs = QrCode::with_error_correction_level(p.as_bytes(), EcLevel::M).unwrap();
            let (ours, width) = super::render::code_for_tests(p).unwrap();
            assert_eq!(width, theirs.width(), "{p}");
            assert_eq!(ours, theirs.to_colors(), "{p}");
            if width <= 64 {
                assert_eq!(
                    super::render::penalty_bits(&ours, width),
                    super::render::penalty_slow(&ours, width),
                    "{p}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_base_and_long_id() {
        let id = FiscalId([0xab; 32]);
        let p = payload(crate::device::DEFAULT_QR_BASE, &id);
        assert_eq!(
            p,
            alloc::format!(
                "https://monitoring.e-kassa.gov.az/#/index?doc={}",
                "ab".repeat(32)
            )
        );
    }

    #[cfg(feature = "qr")]
    #[test]
    fn matrix_is_square_with_finder_patterns() {
        let m = qr_matrix(&payload(crate::device::DEFAULT_QR_BASE, &FiscalId([7; 32]))).unwrap();
        let n = m.len();
        assert!(m.iter().all(|row| row.len() == n));
        // A QR of version v is 17 + 4v modules wide; the 110-character payload (mixed
        // segments) must stay small enough for a 58 mm roll: version 7 (45 modules) at most.
        assert_eq!((n - 17) % 4, 0);
        assert!(n <= 45, "{n}");
        // The top-left finder pattern: a dark 7×7 ring.
        assert!((0..7).all(|i| m[0][i] && m[6][i] && m[i][0] && m[i][6]));
        assert!(!m[1][1] && m[2][2]);
        assert!(qr_svg("x").unwrap().starts_with("<?xml"));
        assert!(!qr_terminal("x").unwrap().is_empty());
    }
}
