//! An SVG image of the receipt, with the QR code drawn in.

use alloc::format;
use alloc::string::String;

use super::html::xml;
use super::layout::{layout, Style};
use super::{Labels, Receipt};

/// The page margin, in SVG pixels, on every side.
pub(super) const MARGIN: u32 = 16;
/// The width of a character cell, in SVG pixels (DejaVu Sans Mono at 14 px advances 8.43).
const CHAR_W: f32 = 8.4;
/// The line height, in SVG pixels.
const LINE_H: u32 = 18;
/// A QR module, in SVG pixels; the quiet zone is 4 modules.
const QR_MODULE: u32 = 4;
/// The QR code's quiet zone, in SVG pixels.
#[cfg(feature = "raster")]
pub(super) const QR_QUIET: u32 = 4 * QR_MODULE;

/// The SVG receipt and where its parts are, in SVG pixels: the raster printer profile crops
/// the margins off and, when the printer draws the QR itself, cuts the QR rows out.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "raster"), allow(dead_code))] // the geometry is the raster's
pub(super) struct Page {
    /// The SVG document.
    pub(super) svg: String,
    /// Its width.
    pub(super) width: u32,
    /// Its height.
    pub(super) height: u32,
    /// The QR code's square, quiet zone included: its top, its side and its payload.
    pub(super) qr: Option<(u32, u32, String)>,
}

impl Receipt<'_> {
    /// An SVG image of the receipt at `width` columns, with the QR code drawn in (feature `qr`).
    pub fn svg(&self, l: &Labels, width: usize) -> Result<String, crate::Error> {
        Ok(self.page(l, width)?.svg)
    }

    /// The SVG receipt with its geometry.
    pub(super) fn page(&self, l: &Labels, width: usize) -> Result<Page, crate::Error> {
        let lines = layout(&self.rows(l), width.max(24));
        let (char_w, line_h, margin) = (CHAR_W, LINE_H, MARGIN);
        let text_w = (width.max(24) as f32 * char_w) as u32;
        let mut body = String::new();
        let mut y = margin + line_h;
        let mut qr = None;
        for (line, style) in &lines {
            match style {
                Style::Qr(payload) => {
                    let m = crate::qr::qr_matrix(payload)?;
                    let module = QR_MODULE;
                    let size = (m.len() as u32 + 8) * module;
                    let x0 = margin + text_w.saturating_sub(size) / 2;
                    qr = Some((y, size, payload.clone()));
                    body.push_str(&format!(
                        r##"<rect x="{x0}" y="{y}" width="{size}" height="{size}" fill="#fff"/>"##
                    ));
                    for (r, row) in m.iter().enumerate() {
                        for (c, dark) in row.iter().enumerate() {
                            if *dark {
                                body.push_str(&format!(
                                    r#"<rect x="{}" y="{}" width="{module}" height="{module}"/>"#,
                                    x0 + (c as u32 + 4) * module,
                                    y + (r as u32 + 4) * module
                                ));
                            }
                        }
                    }
                    y += size + line_h;
                }
                _ => {
                    let weight = if matches!(style, Style::Bold) {
                        r#" font-weight="bold""#
                    } else {
                        ""
                    };
                    body.push_str(&format!(
                        r#"<text x="{margin}" y="{y}" xml:space="preserve"{weight}>{}</text>"#,
                        xml(line)
                    ));
                    y += line_h;
                }
            }
        }
        let w = text_w + 2 * margin;
        let h = y + margin;
        Ok(Page {
            svg: format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#fff"/><g font-family="DejaVu Sans Mono, monospace" font-size="14" fill="#000">{body}</g></svg>"##
            ),
            width: w,
            height: h,
            qr,
        })
    }
}
