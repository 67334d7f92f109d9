//! An HTML e-receipt, with the QR code as inline SVG.

use alloc::format;
use alloc::string::String;

use super::layout::{layout, Style};
use super::svg::xml;
use super::{Labels, Receipt, Row};

impl Receipt<'_> {
    /// An HTML e-receipt: the text in a `<pre>` and the QR as inline SVG (feature `qr`).
    pub fn html(&self, l: &Labels, width: usize) -> Result<String, crate::Error> {
        let rows = self.rows(l);
        let payload = rows
            .iter()
            .find_map(|r| {
                if let Row::Qr(p) = r {
                    Some(p.clone())
                } else {
                    None
                }
            })
            .unwrap_or_default();
        let text: String = layout(&rows, width.max(24))
            .into_iter()
            .filter(|(_, s)| !matches!(s, Style::Qr(_)))
            .map(|(line, _)| xml(&line) + "\n")
            .collect();
        let qr = crate::qr::qr_svg(&payload)?;
        let qr = qr
            .split_once("?>")
            .map_or(qr.as_str(), |(_, rest)| rest)
            .trim();
        Ok(format!(
            "<!DOCTYPE html>\n<html lang=\"az\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body><pre style=\"font-family:monospace\">{text}</pre>\n<p><a href=\"{}\">{}</a></p>\n{qr}\n</body></html>\n",
            xml(&self.document.id().short()),
            xml(&payload),
            xml(&payload),
        ))
    }
}
