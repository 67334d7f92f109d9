//! Printable receipts (SPEC.md §17): what the customer holds in their hand.
//!
//! One layout — a list of [`Row`]s with every mandatory field (RC-01 … RC-19) where it applies —
//! is drawn in these forms: plain text at any width (32, 42, 48 columns for 58 and 80 mm rolls),
//! optionally transliterated for printers without Azerbaijani letters; ESC/POS bytes by printer
//! profile ([`EscPosProfile`]: by default the receipt as a raster image, feature `raster`, since
//! no printer code page has every Azerbaijani letter); SVG or HTML for e-receipts, with the QR
#![cfg_attr(
    feature = "qr",
    doc = "drawn in; and an e-mail receipt ([`Receipt::email_html`]; `EmailReceipt`, feature `raster`)"
)]
#![cfg_attr(
    not(feature = "qr"),
    doc = "drawn in; and an e-mail receipt (`Receipt::email_html`, feature `qr`; `EmailReceipt`, feature `raster`)"
)]
//! of tables and inline styles, the QR an attached PNG. Labels are data ([`Labels`]): a Russian
//! or English copy is a new value, not new code. Pure: no I/O (the raster's fonts are embedded).

use alloc::string::String;

use crate::certificate::CertificateBody;
use crate::document::Document;

mod escpos;
mod format;
mod html;
mod labels;
mod layout;
#[cfg(feature = "raster")]
mod raster;
mod rows;
#[cfg(feature = "qr")]
mod svg;
mod text;

pub use escpos::{EscPosProfile, EscPosQr};
pub use format::{check_width, RenderFormat, MAX_WIDTH, MIN_WIDTH};
#[cfg(feature = "raster")]
pub use html::EmailReceipt;
pub use labels::Labels;
#[cfg(feature = "raster")]
pub use raster::qr_png;
pub use text::to_ascii;

/// One row of the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A centred line; bold for titles.
    Center {
        /// The text.
        text: String,
        /// Printed bold.
        bold: bool,
    },
    /// Text that wraps at the width.
    Text(String),
    /// A label on the left, a value on the right (amounts align right).
    Pair(String, String),
    /// A horizontal rule.
    Rule,
    /// The QR code of this payload.
    Qr(String),
}

/// What to render: a document, the certificate that identifies the taxpayer and the kassa, and
/// the QR base of the device.
#[derive(Debug, Clone, Copy)]
pub struct Receipt<'a> {
    /// The issued document.
    pub document: &'a Document,
    /// The device's certificate body (RC-01, RC-02, RC-04, RC-07, RC-16). `None` draws the
    /// document alone, without the taxpayer, object and kassa rows: a reader's view of a
    /// journal line (`fiscal-core show` without a certificate), not a receipt to hand over.
    pub certificate: Option<&'a CertificateBody>,
    /// The QR base address (RC-09).
    pub qr_base: &'a str,
}
