//! HTML receipts: for a browser, with the QR code as inline SVG; and for e-mail, tables and
//! inline styles only, the QR code an attached PNG shown by `cid:` (SPEC.md §17).

use alloc::format;
use alloc::string::String;
#[cfg(feature = "raster")]
use alloc::vec::Vec;

#[cfg(feature = "qr")]
use super::layout::{layout, Style};
use super::{Labels, Receipt, Row};

/// Text escaped for XML and HTML, in text and in attribute values.
#[cfg(feature = "qr")]
pub(super) fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Receipt<'_> {
    /// An HTML e-receipt for a browser: the text in a `<pre>` and the QR as inline SVG
    /// (feature `qr`). Not for e-mail, whose readers drop inline SVG: [`Receipt::email_html`].
    #[cfg(feature = "qr")]
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

/// Pixels a QR module in the e-mail's PNG; it is shown at half that many CSS pixels, so it
/// stays sharp on screens of 2 device pixels a CSS pixel.
#[cfg(feature = "raster")]
const EMAIL_QR_MODULE_PX: u32 = 8;
/// CSS pixels a QR module in the e-mail.
#[cfg(feature = "qr")]
const EMAIL_QR_MODULE_CSS: usize = 4;
/// A value longer than this (characters) takes its own line under its label: kept on one
/// line beside the label it could overflow a 360 px screen.
#[cfg(feature = "qr")]
const EMAIL_VALUE_INLINE_MAX: usize = 20;

/// The cell padding either side, in CSS pixels; an indented label adds 8 a leading space.
#[cfg(feature = "qr")]
const PAD: usize = 12;

/// What every wrapping cell says: long words break rather than widen the table.
#[cfg(feature = "qr")]
const WRAP: &str = "word-break:break-word;overflow-wrap:anywhere;";

/// An e-mail receipt: the parts of a `multipart/related` message (feature `raster`).
#[cfg(feature = "raster")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailReceipt {
    /// A subject line: the receipt's title, its short fiscal ID and the taxpayer.
    pub subject: String,
    /// The receipt as plain text, 42 columns: the `text/plain` alternative.
    pub text: String,
    /// The HTML part ([`Receipt::email_html`]): it shows the QR as `cid:` + `qr_content_id`.
    pub html: String,
    /// The Content-ID of the QR image part, without its angle brackets.
    pub qr_content_id: String,
    /// The QR code as a 1-bit PNG, 8 pixels a module (shown at 4 CSS pixels).
    pub qr_png: Vec<u8>,
}

impl Receipt<'_> {
    /// The Content-ID of the e-mail's QR image (without angle brackets): the document's short
    /// fiscal ID under the reserved domain `.invalid`, which no one owns. Short, so that the
    /// `Content-ID:` header fits one line: a longer one is folded or encoded by mail software,
    /// and a `cid:` no longer finds it.
    pub fn email_qr_content_id(&self) -> String {
        format!("qr.{}@fiscal-core.invalid", self.document.id().short())
    }

    /// The HTML part of an e-mail receipt: tables and inline styles only — no `<style>`, no
    /// classes, no inline SVG, no `data:` URI, no script — which e-mail readers show as they
    /// are; one column, at most 480 px wide, that wraps down to 320 px without scrolling
    /// sideways. The QR code is `<img src="cid:…">` ([`Receipt::email_qr_content_id`]), the
    /// PNG part of the message (`Receipt::email`, feature `raster`); its text is below it as a
    /// link (feature `qr`: the image's size is the code's).
    #[cfg(feature = "qr")]
    pub fn email_html(&self, l: &Labels) -> Result<String, crate::Error> {
        let rows = self.rows(l);
        let cid = self.email_qr_content_id();
        let mut body = String::new();
        for row in &rows {
            match row {
                Row::Center { text, bold } => {
                    let weight = if *bold {
                        "font-weight:bold;font-size:16px;"
                    } else {
                        ""
                    };
                    body.push_str(&format!(
                        "<tr><td colspan=\"2\" align=\"center\" style=\"padding:2px {PAD}px;text-align:center;{weight}{WRAP}\">{}</td></tr>\n",
                        xml(text.trim())
                    ));
                }
                Row::Text(t) => {
                    body.push_str(&format!(
                        "<tr><td colspan=\"2\" style=\"padding:2px {PAD}px 2px {}px;{WRAP}\">{}</td></tr>\n",
                        indent(t),
                        xml(t.trim())
                    ));
                }
                Row::Pair(label, value) if value.chars().count() <= EMAIL_VALUE_INLINE_MAX => {
                    body.push_str(&format!(
                        "<tr><td style=\"padding:2px 4px 2px {}px;vertical-align:top;{WRAP}\">{}</td><td align=\"right\" style=\"padding:2px {PAD}px 2px 4px;vertical-align:top;text-align:right;white-space:nowrap;\">{}</td></tr>\n",
                        indent(label),
                        xml(label.trim()),
                        xml(value)
                    ));
                }
                Row::Pair(label, value) => {
                    body.push_str(&format!(
                        "<tr><td colspan=\"2\" style=\"padding:2px {PAD}px 0 {}px;{WRAP}\">{}</td></tr>\n<tr><td colspan=\"2\" align=\"right\" style=\"padding:0 {PAD}px 2px {PAD}px;text-align:right;word-break:break-all;overflow-wrap:anywhere;\">{}</td></tr>\n",
                        indent(label),
                        xml(label.trim()),
                        xml(value)
                    ));
                }
                Row::Rule => body.push_str(&format!(
                    "<tr><td colspan=\"2\" style=\"padding:6px {PAD}px;\"><div style=\"border-top:1px dashed #888888;height:0;font-size:0;line-height:0;\"></div></td></tr>\n"
                )),
                Row::Qr(payload) => {
                    let side = (crate::qr::qr_matrix(payload)?.len() + 8) * EMAIL_QR_MODULE_CSS;
                    body.push_str(&format!(
                        "<tr><td colspan=\"2\" align=\"center\" style=\"padding:12px {PAD}px 4px {PAD}px;text-align:center;\"><img src=\"cid:{}\" width=\"{side}\" height=\"{side}\" alt=\"QR\" style=\"display:block;margin:0 auto;width:{side}px;height:{side}px;max-width:100%;border:0;\"></td></tr>\n<tr><td colspan=\"2\" align=\"center\" style=\"padding:4px {PAD}px 12px {PAD}px;text-align:center;font-size:12px;line-height:16px;word-break:break-all;overflow-wrap:anywhere;\"><a href=\"{}\" style=\"color:#1a0dab;word-break:break-all;\">{}</a></td></tr>\n",
                        xml(&cid),
                        xml(payload),
                        xml(payload)
                    ));
                }
            }
        }
        Ok(format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head>\n<body style=\"margin:0;padding:0;background-color:#f2f2f2;\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;border-collapse:collapse;background-color:#f2f2f2;\"><tr><td align=\"center\" style=\"padding:12px 8px;\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:480px;border-collapse:collapse;background-color:#ffffff;color:#000000;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;\">\n<tr><td colspan=\"2\" style=\"height:8px;font-size:0;line-height:0;\">&nbsp;</td></tr>\n{body}</table>\n</td></tr></table>\n</body></html>\n",
            xml(&self.email_subject(l))
        ))
    }

    /// The e-mail's subject: the receipt's title, its short fiscal ID and, with a certificate,
    /// the taxpayer.
    pub fn email_subject(&self, l: &Labels) -> String {
        let taxpayer = self.certificate.map(|c| c.taxpayer_name.as_str());
        // The title is the first bold centred row that is not the taxpayer's name.
        let title = self.rows(l).into_iter().find_map(|r| match r {
            Row::Center { text, bold: true } if Some(text.as_str()) != taxpayer => Some(text),
            _ => None,
        });
        let mut s = title.unwrap_or_default();
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&self.document.id().short());
        if let Some(t) = taxpayer {
            s.push_str(" — ");
            s.push_str(t);
        }
        s
    }

    /// The e-mail receipt (feature `raster`): subject, plain text, HTML and the QR code's PNG
    /// with its Content-ID — what a `multipart/related` message is made of (the Python package
    /// builds it: `fiscal_core.email_receipt.message`).
    #[cfg(feature = "raster")]
    pub fn email(&self, l: &Labels) -> Result<EmailReceipt, crate::Error> {
        let payload = crate::qr::payload(self.qr_base, &self.document.id());
        Ok(EmailReceipt {
            subject: self.email_subject(l),
            text: self.text(l, 42, false),
            html: self.email_html(l)?,
            qr_content_id: self.email_qr_content_id(),
            qr_png: super::raster::qr_png(&payload, EMAIL_QR_MODULE_PX)?,
        })
    }
}

/// The left padding of a cell whose text starts with spaces (sub-rows of an item: quantity,
/// tax, discount): HTML would collapse the spaces.
#[cfg(feature = "qr")]
fn indent(text: &str) -> usize {
    PAD + 8 * (text.len() - text.trim_start_matches(' ').len())
}

#[cfg(all(test, feature = "qr"))]
mod tests {
    use super::*;

    #[test]
    fn leading_spaces_become_padding() {
        assert_eq!(indent("Cəmi"), PAD);
        assert_eq!(indent("  ƏDV 18%"), PAD + 16);
    }
}
