//! The receipt as a 1-bit image, and the QR code as PNG (feature `raster`).
//!
//! resvg draws the receipt's own SVG ([`Receipt::svg`](super::Receipt::svg)) with the DejaVu
//! Sans Mono fonts embedded below: no system font is looked up and nothing is read, so the
//! same receipt is the same dots on every machine. No ESC/POS code page has every Azerbaijani
//! letter (ə is in none of the common ones), so the printer is sent the letters as drawn.

use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg;

use crate::error::Error;

/// DejaVu Sans Mono 2.37, unmodified (licence: `fonts/LICENSE`).
static MONO: &[u8] = include_bytes!("fonts/DejaVuSansMono.ttf");
/// DejaVu Sans Mono Bold 2.37, unmodified: the titles are bold.
static MONO_BOLD: &[u8] = include_bytes!("fonts/DejaVuSansMono-Bold.ttf");

/// The family the SVG receipt names first.
const FAMILY: &str = "DejaVu Sans Mono";

/// Dots drawn at a time: bounds the RGBA buffer to 16 MiB whatever the receipt's length (a
/// usual receipt is one pass; each pass draws the whole tree, so not much fewer).
const BAND_DOTS: u32 = 4 << 20;

/// A dot is black where the drawing is darker than this (0 black, 255 white): half covered.
const THRESHOLD: u32 = 128;

/// A 1-bit image: rows of `(width + 7) / 8` bytes, the leftmost dot in the high bit, 1 black
/// (the layout of ESC/POS `GS v 0` data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Bitmap {
    /// Width in dots.
    pub(super) width: u32,
    /// Height in rows.
    pub(super) height: u32,
    /// The rows, top first.
    pub(super) bits: Vec<u8>,
}

impl Bitmap {
    /// Bytes a row.
    pub(super) fn stride(&self) -> usize {
        (self.width as usize).div_ceil(8)
    }

    /// Rows `from..to` (clamped to the image), in `GS v 0` layout.
    pub(super) fn rows(&self, from: u32, to: u32) -> &[u8] {
        let (from, to) = (from.min(self.height), to.min(self.height));
        let s = self.stride();
        self.bits
            .get(from as usize * s..to.max(from) as usize * s)
            .unwrap_or(&[])
    }
}

/// A region of the SVG page, in SVG pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Crop {
    /// Left edge.
    pub(super) x: f32,
    /// Top edge.
    pub(super) y: f32,
    /// Width.
    pub(super) w: f32,
    /// Height.
    pub(super) h: f32,
}

fn fail(what: &str, e: impl core::fmt::Display) -> Error {
    Error::InvalidDocument(format!("cannot draw {what}: {e}"))
}

/// The parser's options: the embedded fonts only, and no image ever loaded (the receipt's SVG
/// has none; a resolver that refuses keeps the drawing free of file reads all the same).
fn options() -> usvg::Options<'static> {
    let mut opt = usvg::Options {
        font_family: FAMILY.into(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: alloc::boxed::Box::new(|_, _, _| None),
            resolve_string: alloc::boxed::Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let db = opt.fontdb_mut();
    db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(MONO)));
    db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(MONO_BOLD)));
    db.set_monospace_family(FAMILY);
    opt
}

/// Draws `crop` of `svg` scaled to `dots` wide, as a 1-bit image.
pub(super) fn draw(svg: &str, crop: Crop, dots: u32) -> Result<Bitmap, Error> {
    draw_in_passes(svg, crop, dots, (BAND_DOTS / dots.max(1)).max(1))
}

/// [`draw`], `band` rows a pass.
fn draw_in_passes(svg: &str, crop: Crop, dots: u32, band: u32) -> Result<Bitmap, Error> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| fail("the receipt", e))?;
    let scale = dots as f32 / crop.w;
    let height = ((crop.h * scale).ceil() as u32).max(1);
    let stride = (dots as usize).div_ceil(8);
    let mut bits = vec![0u8; stride * height as usize];
    let mut pixmap = Pixmap::new(dots, band.min(height))
        .ok_or_else(|| fail("the receipt", "no room for the image"))?;
    let mut top = 0;
    while top < height {
        let rows = band.min(height - top);
        pixmap.fill(Color::WHITE);
        let t = Transform::from_row(
            scale,
            0.0,
            0.0,
            scale,
            -crop.x * scale,
            -crop.y * scale - top as f32,
        );
        resvg::render(&tree, t, &mut pixmap.as_mut());
        let pixels = pixmap.pixels();
        for y in 0..rows as usize {
            let out = (top as usize + y) * stride;
            for x in 0..dots as usize {
                let Some(p) = pixels.get(y * dots as usize + x) else {
                    continue;
                };
                // Opaque: the page is filled white first.
                let grey = (u32::from(p.red()) + u32::from(p.green()) + u32::from(p.blue())) / 3;
                if grey < THRESHOLD {
                    if let Some(b) = bits.get_mut(out + x / 8) {
                        *b |= 0x80 >> (x % 8);
                    }
                }
            }
        }
        top += rows;
    }
    Ok(Bitmap {
        width: dots,
        height,
        bits,
    })
}

/// A 1-bit greyscale PNG of `bitmap` (black where its bit is 1).
pub(super) fn png(bitmap: &Bitmap) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, bitmap.width, bitmap.height);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    enc.set_compression(png::Compression::Balanced);
    let mut w = enc.write_header().map_err(|e| fail("a PNG", e))?;
    // PNG greyscale: 1 is white.
    let data: Vec<u8> = bitmap.bits.iter().map(|b| !b).collect();
    let data = mask_padding(data, bitmap);
    w.write_image_data(&data).map_err(|e| fail("a PNG", e))?;
    w.finish().map_err(|e| fail("a PNG", e))?;
    Ok(out)
}

/// Clears the bits past the last dot of each row (inverted padding would be white anyway;
/// this keeps the PNG's bytes independent of it).
fn mask_padding(mut data: Vec<u8>, bitmap: &Bitmap) -> Vec<u8> {
    let extra = (bitmap.stride() * 8) as u32 - bitmap.width;
    if extra > 0 {
        let mask = 0xffu8 << extra;
        for row in data.chunks_mut(bitmap.stride()) {
            if let Some(last) = row.last_mut() {
                *last &= mask;
            }
        }
    }
    data
}

/// The QR code of `payload` as a 1-bit PNG: `module` pixels a module (1 to 32), a 4-module
/// quiet zone, error correction level M (feature `raster`). For e-mail, where an SVG or a
/// `data:` URI is not shown (SPEC.md §17).
pub fn qr_png(payload: &str, module: u32) -> Result<Vec<u8>, Error> {
    if !(1..=32).contains(&module) {
        let mut p = crate::error::Problems::default();
        p.push(
            crate::error::ErrorCode::OutOfRange,
            "module",
            format!("a QR module is 1 to 32 pixels, not {module}"),
        );
        return Err(Error::Invalid(p));
    }
    let m = crate::qr::qr_matrix(payload)?;
    let side = (m.len() as u32 + 8) * module;
    let stride = (side as usize).div_ceil(8);
    let mut bits = vec![0u8; stride * side as usize];
    for (r, row) in m.iter().enumerate() {
        for (c, dark) in row.iter().enumerate() {
            if !*dark {
                continue;
            }
            for dy in 0..module as usize {
                let y = (r + 4) * module as usize + dy;
                for dx in 0..module as usize {
                    let x = (c + 4) * module as usize + dx;
                    if let Some(b) = bits.get_mut(y * stride + x / 8) {
                        *b |= 0x80 >> (x % 8);
                    }
                }
            }
        }
    }
    png(&Bitmap {
        width: side,
        height: side,
        bits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SVG of `text` alone, 40 × 40 pixels.
    fn glyph_svg(text: &str, bold: bool) -> String {
        let weight = if bold { r#" font-weight="bold""# } else { "" };
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#fff"/><text x="8" y="30" font-family="DejaVu Sans Mono, monospace" font-size="28"{weight}>{text}</text></svg>"##
        )
    }

    /// `text` drawn alone, 40 × 40 SVG pixels at 32 dots.
    fn glyph(text: &str, bold: bool) -> Bitmap {
        let svg = glyph_svg(text, bold);
        let crop = Crop {
            x: 0.0,
            y: 0.0,
            w: 40.0,
            h: 40.0,
        };
        draw(&svg, crop, 32).unwrap()
    }

    #[test]
    fn the_embedded_fonts_draw_every_azerbaijani_letter() {
        for bold in [false, true] {
            // A character no DejaVu font has: what a missing glyph looks like.
            let missing = glyph("\u{E000}", bold);
            let mut seen = Vec::new();
            for c in "əƏıİçÇşŞğĞöÖüÜ№".chars() {
                let g = glyph(&c.to_string(), bold);
                assert!(g.bits.iter().any(|b| *b != 0), "{c} is blank");
                assert_ne!(g, missing, "{c} is drawn as a missing glyph");
                assert!(!seen.contains(&g), "{c} looks like another letter");
                seen.push(g);
            }
        }
    }

    #[test]
    fn qr_png_is_a_one_bit_png_of_the_right_size() {
        let payload = "https://example.invalid/x";
        let png = qr_png(payload, 3).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width, height, bit depth 1, colour type 0 (greyscale).
        let side = (crate::qr::qr_matrix(payload).unwrap().len() + 8) * 3;
        assert_eq!(&png[16..20], &(side as u32).to_be_bytes());
        assert_eq!(&png[20..24], &(side as u32).to_be_bytes());
        assert_eq!(png[24..26], [1, 0]);
        assert!(qr_png("x", 0).is_err() && qr_png("x", 33).is_err());
    }

    #[test]
    fn passes_meet_without_a_seam() {
        let svg = glyph_svg("Çörək №3", false);
        let crop = Crop {
            x: 0.0,
            y: 0.0,
            w: 40.0,
            h: 40.0,
        };
        let whole = draw_in_passes(&svg, crop, 64, 1000).unwrap();
        let ink = whole.bits.iter().map(|b| b.count_ones()).sum::<u32>();
        assert!(ink > 300);
        for band in [1, 7, 63] {
            let parts = draw_in_passes(&svg, crop, 64, band).unwrap();
            assert_eq!((parts.width, parts.height), (whole.width, whole.height));
            // The same drawing: a pass's edge changes the antialiasing of a dot or two at the
            // threshold, never a stroke.
            let differ = parts
                .bits
                .iter()
                .zip(&whole.bits)
                .map(|(a, b)| (a ^ b).count_ones())
                .sum::<u32>();
            assert!(
                differ * 50 < ink,
                "{band} rows a pass: {differ} of {ink} dots differ"
            );
        }
    }

    #[test]
    fn a_black_square_is_drawn_black() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#fff"/><rect x="0" y="0" width="10" height="10"/></svg>"##;
        let b = draw(
            svg,
            Crop {
                x: 0.0,
                y: 0.0,
                w: 20.0,
                h: 10.0,
            },
            16,
        )
        .unwrap();
        assert_eq!((b.width, b.height), (16, 8));
        assert!(
            b.bits.chunks(2).all(|r| r == [0xff, 0x00]),
            "{:02x?}",
            b.bits
        );
    }
}
