//! Documents given as their journal line, without a device: `fc_document_describe`,
//! `fc_document_render`, `fc_document_canonical_bytes`. The JSON a document is described by is
//! the engine's (`fiscal_core::describe::document`, SPEC.md §8.5), the same bytes the Python
//! binding gives.

use std::ffi::c_char;

use fiscal_core::render::{Labels, Receipt, RenderFormat};
use fiscal_core::{Certificate, Document};

use crate::boundary::{call, text, Out};
use crate::qr::base_or_default;
use crate::{FcBuffer, FcStatus};

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
/// `format` 0 text, 1 transliterated ASCII text, 2 ESC/POS bytes, 3 SVG, 4 HTML (another:
/// `FC_STATUS_INVALID_ARGUMENT`); `width` in characters (32 for 58 mm rolls, 42 or 48 for
/// 80 mm), 24 to 200 (outside: `FC_STATUS_OUT_OF_RANGE`, never clamped); `language` "az" (the legal text) or
/// "en"; `certificate_json` is the device's certificate (taxpayer, object, kassa); `qr_base`
/// NULL for the default. Writes the receipt to `*out_receipt` (free with `fc_buffer_free`).
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
        let base = base_or_default(qr_base)?;
        let labels = match text(language)? {
            "az" => Labels::azerbaijani(),
            "en" => Labels::english(),
            _ => return Err(FcStatus::InvalidArgument),
        };
        let format = RenderFormat::from_number(format).ok_or(FcStatus::InvalidArgument)?;
        // A width the engine's rule refuses (24–200) is FC_STATUS_OUT_OF_RANGE, never clamped.
        let width = usize::try_from(width).unwrap_or(usize::MAX);
        let r = Receipt {
            document: &doc,
            certificate: Some(cert.body()),
            qr_base: base,
        };
        let bytes = r.render(format, &labels, width)?;
        if format.is_text() {
            // Every text form is UTF-8 from the engine (lossy changes nothing); the text buffer
            // adds the NUL a C string needs.
            out.text(String::from_utf8_lossy(&bytes).into_owned());
        } else {
            out.bytes(bytes);
        }
        Ok(())
    })
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
