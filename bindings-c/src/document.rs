//! Documents given as their journal line, without a device: `fc_document_describe`,
//! `fc_document_render`, `fc_document_canonical_bytes`. The JSON a document is described by is
//! the engine's (`fiscal_core::describe::document`, SPEC.md §8.5), the same bytes the Python
//! binding gives.

use std::ffi::{c_char, CStr};

use fiscal_core::render::{check_width, Labels, Receipt, RenderFormat};
use fiscal_core::{Certificate, CertificateBody, Document};

use crate::boundary::{call, text, Out};
use crate::error::{Fail, OrFail};
use crate::qr::base_or_default;
use crate::{FcBuffer, FcStatus};

/// The formats of `fc_document_render` (the engine's `RenderFormat` numbers).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcRenderFormat {
    /// UTF-8 text, `width` characters a line.
    Text = 0,
    /// The text transliterated to ASCII, for printers without Azerbaijani letters.
    Ascii = 1,
    /// ESC/POS printer bytes (not text): the receipt as a raster image (`GS v 0`), every
    /// Azerbaijani letter as drawn, 384 dots wide up to 32 columns, 576 beyond (SPEC.md §17).
    Escpos = 2,
    /// An SVG image.
    Svg = 3,
    /// An HTML page.
    Html = 4,
}

/// The `kind` of a document in its JSON (SPEC.md §8.5), as numbers for a `switch`:
/// `fc_document_kind_name` gives the text the JSON holds.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcDocumentKind {
    /// `"activation"`: the device activated (document 1).
    Activation = 0,
    /// `"open_shift"`: a shift opened.
    OpenShift = 1,
    /// `"sale"`: a sale.
    Sale = 2,
    /// `"money_back"`: a return of goods or money.
    MoneyBack = 3,
    /// `"rollback"`: a cancel of a receipt of the open shift.
    Rollback = 4,
    /// `"prepay"`: an advance payment.
    Prepay = 5,
    /// `"creditpay"`: an instalment on a credit sale.
    Creditpay = 6,
    /// `"deposit"`: cash put into the drawer.
    Deposit = 7,
    /// `"withdraw"`: cash taken from the drawer.
    Withdraw = 8,
    /// `"correction"`: a correction.
    Correction = 9,
    /// `"zreport"`: the Z-report that closes a shift.
    Zreport = 10,
    /// `"decommission"`: the device taken out of service.
    Decommission = 11,
}

impl FcDocumentKind {
    /// Every kind, in numeric order.
    pub const ALL: [FcDocumentKind; 12] = [
        FcDocumentKind::Activation,
        FcDocumentKind::OpenShift,
        FcDocumentKind::Sale,
        FcDocumentKind::MoneyBack,
        FcDocumentKind::Rollback,
        FcDocumentKind::Prepay,
        FcDocumentKind::Creditpay,
        FcDocumentKind::Deposit,
        FcDocumentKind::Withdraw,
        FcDocumentKind::Correction,
        FcDocumentKind::Zreport,
        FcDocumentKind::Decommission,
    ];

    /// The text of `kind` in a document's JSON.
    pub const fn name(self) -> &'static CStr {
        match self {
            FcDocumentKind::Activation => c"activation",
            FcDocumentKind::OpenShift => c"open_shift",
            FcDocumentKind::Sale => c"sale",
            FcDocumentKind::MoneyBack => c"money_back",
            FcDocumentKind::Rollback => c"rollback",
            FcDocumentKind::Prepay => c"prepay",
            FcDocumentKind::Creditpay => c"creditpay",
            FcDocumentKind::Deposit => c"deposit",
            FcDocumentKind::Withdraw => c"withdraw",
            FcDocumentKind::Correction => c"correction",
            FcDocumentKind::Zreport => c"zreport",
            FcDocumentKind::Decommission => c"decommission",
        }
    }
}

/// The text a document's JSON holds in `kind` for an `fc_document_kind` ("sale", "zreport",
/// …), or NULL for another number. Static: do not free. Thread-safe.
#[no_mangle]
pub extern "C" fn fc_document_kind_name(kind: u32) -> *const c_char {
    FcDocumentKind::ALL
        .get(kind as usize)
        .map_or(std::ptr::null(), |k| k.name().as_ptr())
}

/// A document given as its journal line (NUL-terminated).
unsafe fn journal_document(journal_line: *const c_char) -> Result<Document, FcStatus> {
    Ok(Document::from_journal_line(text(journal_line)?)?)
}

/// Describes a document given as its journal line (no verification): writes the same JSON the
/// device functions return to `*out_json`, with the QR payload for `qr_base` (NULL: default).
/// Thread-safe.
///
/// Safety: `journal_line` is a NUL-terminated string, `qr_base` NULL or one; `out_json` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_document_describe(
    journal_line: *const c_char,
    qr_base: *const c_char,
    out_json: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_json)?;
        let doc = journal_document(journal_line)?;
        out.text(fiscal_core::describe::document(&doc, base_or_default(qr_base)?, &[]).to_string());
        Ok(())
    })
}

/// Renders a document (its journal line) as the customer's receipt (SPEC.md §17):
/// `format` an `fc_render_format`: `FC_RENDER_FORMAT_TEXT` (0), `_ASCII` (1, transliterated),
/// `_ESCPOS` (2, printer bytes), `_SVG` (3), `_HTML` (4) (another number:
/// `FC_STATUS_INVALID_ARGUMENT`); `width` in characters (32 for 58 mm rolls, 42 or 48 for
/// 80 mm), 24 to 200 (outside: `FC_STATUS_OUT_OF_RANGE`, never clamped); `language` "az" (the legal text) or
/// "en"; `certificate_json` is the device's certificate (taxpayer, object, kassa); `qr_base`
/// NULL for the default; a certificate whose device key did not sign the document is
/// `FC_STATUS_KEY_MISMATCH`. Writes the receipt to `*out_receipt` (free with `fc_buffer_free`).
/// Thread-safe.
///
/// Safety: text arguments are NUL-terminated (`qr_base` may be NULL); `out_receipt` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_document_render(
    journal_line: *const c_char,
    certificate_json: *const c_char,
    qr_base: *const c_char,
    format: u32,
    width: u32,
    language: *const c_char,
    out_receipt: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_receipt)?;
        let doc = journal_document(journal_line)?;
        let cert = Certificate::from_json(text(certificate_json)?)?;
        // A receipt names the taxpayer of its certificate: another device's certificate would
        // print another taxpayer on it.
        if !doc.verify(&cert.body().device_key) {
            return Err(FcStatus::KeyMismatch);
        }
        let base = base_or_default(qr_base)?;
        let options = render_options(format, width, language)?;
        let bytes = options.draw(&doc, cert.body(), base)?;
        options.hand_out(out, bytes);
        Ok(())
    })
}

/// How a receipt is to be drawn: `fc_document_render`'s and `fc_device_issue_receipt`'s
/// format, width and language, checked.
pub(crate) struct RenderOptions {
    format: RenderFormat,
    width: usize,
    labels: Labels,
}

/// Reads and checks the render arguments: an unknown format or language is
/// `FC_STATUS_INVALID_ARGUMENT`; a width outside the engine's rule (24–200) is
/// `FC_STATUS_OUT_OF_RANGE`, never clamped.
///
/// Safety: `language` is NULL or a NUL-terminated string.
pub(crate) unsafe fn render_options(
    format: u32,
    width: u32,
    language: *const c_char,
) -> Result<RenderOptions, Fail> {
    let labels = match text(language).or_fail("language is NULL or not UTF-8")? {
        "az" => Labels::azerbaijani(),
        "en" => Labels::english(),
        _ => {
            return Err(Fail::Boundary(
                FcStatus::InvalidArgument,
                "the language is \"az\" or \"en\"",
            ))
        }
    };
    let format = RenderFormat::from_number(format).ok_or(Fail::Boundary(
        FcStatus::InvalidArgument,
        "the format is an fc_render_format (0 to 4)",
    ))?;
    let width = check_width(usize::try_from(width).unwrap_or(usize::MAX))?;
    Ok(RenderOptions {
        format,
        width,
        labels,
    })
}

impl RenderOptions {
    /// Draws `doc` with the taxpayer of `certificate` and the QR payload for `qr_base`.
    pub(crate) fn draw(
        &self,
        doc: &Document,
        certificate: &CertificateBody,
        qr_base: &str,
    ) -> Result<Vec<u8>, Fail> {
        let r = Receipt {
            document: doc,
            certificate: Some(certificate),
            qr_base,
        };
        Ok(r.render(self.format, &self.labels, self.width)?)
    }

    /// Hands the drawn receipt out: text (with its NUL) for every text form, bytes for ESC/POS.
    pub(crate) fn hand_out(&self, out: Out<FcBuffer>, bytes: Vec<u8>) {
        if self.format.is_text() {
            // Every text form is UTF-8 from the engine (lossy changes nothing); the text buffer
            // adds the NUL a C string needs.
            out.text(String::from_utf8_lossy(&bytes).into_owned());
        } else {
            out.bytes(bytes);
        }
    }
}

/// The canonical bytes of a document given as its journal line (what was signed, SPEC.md
/// §13.1). Writes bytes to `*out_bytes`. Thread-safe.
///
/// Safety: `journal_line` is a NUL-terminated string; `out_bytes` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_document_canonical_bytes(
    journal_line: *const c_char,
    out_bytes: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_bytes)?;
        out.bytes(journal_document(journal_line)?.signed_bytes().to_vec());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fiscal_core::render::RenderFormat;

    /// The C render formats are the engine's, number for number.
    #[test]
    fn render_formats_are_the_engines() {
        let c = [
            (FcRenderFormat::Text, "text"),
            (FcRenderFormat::Ascii, "ascii"),
            (FcRenderFormat::Escpos, "escpos"),
            (FcRenderFormat::Svg, "svg"),
            (FcRenderFormat::Html, "html"),
        ];
        assert_eq!(c.len(), RenderFormat::ALL.len());
        for (f, name) in c {
            assert_eq!(
                RenderFormat::from_number(f as u32).map(RenderFormat::name),
                Some(name)
            );
        }
    }

    /// The kinds are every kind the engine writes: its request kinds and its own records.
    #[test]
    fn kinds_are_the_engines() {
        let c: Vec<&str> = FcDocumentKind::ALL
            .iter()
            .map(|k| k.name().to_str().unwrap_or(""))
            .collect();
        for k in fiscal_core::DocType::ALL {
            assert!(c.contains(&k.wire_name()), "{}", k.wire_name());
        }
        for (i, k) in FcDocumentKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
        assert_eq!(c.len(), fiscal_core::DocType::ALL.len() + 4);
    }
}
