//! An SVG image of the receipt, with the QR code drawn in.

use alloc::format;
use alloc::string::String;

use super::layout::{layout, Style};
use super::{Labels, Receipt};

impl Receipt<'_> {
    /// An SVG image of the receipt at `width` columns, with the QR code drawn in (feature `qr`).
    pub fn svg(&self, l: &Labels, width: usize) -> Result<String, crate::Error> {
        let lines = layout(&self.rows(l), width.max(24));
        let (char_w, line_h, margin) = (8.4_f32, 18_u32, 16_u32);
        let text_w = (width.max(24) as f32 * char_w) as u32;
        let mut body = String::new();
        let mut y = margin + line_h;
        for (line, style) in &lines {
            match style {
                Style::Qr(payload) => {
                    let m = crate::qr::qr_matrix(payload)?;
                    let module = 4_u32;
                    let size = (m.len() as u32 + 8) * module;
                    let x0 = margin + text_w.saturating_sub(size) / 2;
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
        Ok(format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#fff"/><g font-family="DejaVu Sans Mono, monospace" font-size="14" fill="#000">{body}</g></svg>"##
        ))
    }
}

pub(super) fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
