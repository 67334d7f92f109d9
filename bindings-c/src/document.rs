//! Documents given as their journal line, without a device: `fc_document_describe`,
//! `fc_document_render`, `fc_document_canonical_bytes`; and the JSON a document is described
//! by, which the device functions hand out too.

use std::ffi::c_char;

use fiscal_core::{Certificate, Content, Document, Warning};
use serde_json::{json, Value};

use crate::boundary::{call, text, Out};
use crate::qr::base_or_default;
use crate::{FcBuffer, FcStatus};

/// The JSON a document is described by: its journal line and what a POS prints.
pub(crate) fn document_json(doc: &Document, qr_base: &str, warnings: &[Warning]) -> Value {
    let body = doc.body();
    let content = match &body.content {
        Content::Request(r) => serde_json::from_str::<Value>(&r.to_json()).unwrap_or(Value::Null),
        Content::Cancel { request, voided } => json!({
            "doc_type": "rollback",
            "data": { "cashier": request.cashier(), "parentDocument": request.parent() },
            "voided": serde_json::to_value(voided).unwrap_or(Value::Null),
        }),
        Content::ZReport(z) => json!({
            "zreport": serde_json::to_value(z).unwrap_or(Value::Null),
            "cash_in_drawer": z.cash_in_drawer().to_string(),
        }),
        other => json!({ "record": other.name() }),
    };
    json!({
        "number": doc.number(),
        "kind": body.content.name(),
        "time_ms": body.time.millis(),
        "time": body.time.to_string(),
        "shift": body.shift,
        "shift_receipt": body.shift_receipt,
        "fiscal_id": doc.id().long(),
        "short_id": doc.id().short(),
        "qr_payload": fiscal_core::qr::payload(qr_base, &doc.id()),
        "journal_line": doc.to_journal_line(),
        "content": content,
        "warnings": warnings.iter().map(|w| match w {
            Warning::CertificateExpiresSoon { at } => json!({ "code": "certificate_expires_soon", "at_ms": at.millis() }),
            _ => json!({ "code": "warning" }),
        }).collect::<Vec<_>>(),
    })
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
        out.text(document_json(&doc, base_or_default(qr_base)?, &[]).to_string());
        Ok(())
    })
}

/// Renders a document (its journal line) as the customer's receipt (SPEC.md §17):
/// `format` 0 text, 1 transliterated ASCII text, 2 ESC/POS bytes, 3 SVG, 4 HTML; `width` in
/// characters (32 for 58 mm rolls, 42 or 48 for 80 mm); `language` "az" (the legal text) or
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
            "az" => fiscal_core::render::Labels::azerbaijani(),
            "en" => fiscal_core::render::Labels::english(),
            _ => return Err(FcStatus::InvalidArgument),
        };
        let width = usize::try_from(width).map_err(|_| FcStatus::InvalidArgument)?;
        if !(24..=200).contains(&width) {
            return Err(FcStatus::InvalidArgument);
        }
        let r = fiscal_core::render::Receipt {
            document: &doc,
            certificate: cert.body(),
            qr_base: base,
        };
        match format {
            0 => out.text(r.text(&labels, width, false)),
            1 => out.text(r.text(&labels, width, true)),
            2 => out.bytes(r.escpos(&labels, width)),
            3 => out.text(r.svg(&labels, width)?),
            4 => out.text(r.html(&labels, width)?),
            _ => return Err(FcStatus::InvalidArgument),
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
