//! Verification against the trusted authority key: `fc_verify_document` and
//! `fc_verify_journal`, with the reports they write.

use std::ffi::c_char;

use fiscal_core::{Certificate, Document, RateTable};

use crate::boundary::{bytes, call, text, Out};
use crate::keys::parse_authority;
use crate::{FcBuffer, FcStatus};

/// Verifies one document (its journal line) against its certificate (JSON) and the trusted
/// authority key (hex): `FC_STATUS_OK` when it verifies, otherwise the reason's code. If
/// `out_report` is not NULL, writes the verdict in both cases (`fiscal_core::describe::verdict`:
/// `code`, `message`, `rule`, `valid`; the first three null when valid). A NULL or non-UTF-8
/// argument is `FC_STATUS_NULL_POINTER` or `FC_STATUS_INVALID_UTF8` and writes nothing.
/// Thread-safe.
///
/// Safety: text arguments are NUL-terminated; `out_report` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn fc_verify_document(
    journal_line: *const c_char,
    certificate_json: *const c_char,
    authority_public_key_hex: *const c_char,
    out_report: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        // Every argument is checked first: a NULL one is FC_STATUS_NULL_POINTER, not a verdict.
        let (line, cert) = (text(journal_line)?, text(certificate_json)?);
        let authority = parse_authority(text(authority_public_key_hex)?)?;
        let verdict = Document::from_journal_line(line).and_then(|doc| {
            let cert = Certificate::from_json(cert)?;
            fiscal_core::verify_document(&doc, &cert, &authority)
        });
        let status = verdict
            .as_ref()
            .map_or_else(|e| FcStatus::from(e.code()), |()| FcStatus::Ok);
        let report = fiscal_core::describe::verdict(&verdict);
        if let Some(out) = Out::optional(out_report) {
            out.text(report.to_string());
        }
        Ok(status)
    })
}

/// Verifies a self-contained journal (its certificate line, then its documents: SPEC.md §13.5,
/// §15) against the trusted authority key. Returns `FC_STATUS_OK` when valid, otherwise the
/// code of the first finding (a journal with no document: `FC_STATUS_EMPTY_JOURNAL`; a CR,
/// empty or blank line: `FC_STATUS_NONCANONICAL_LINE`); writes the report (SPEC.md §8.5:
/// `valid`, `lines`, `documents`, `receipts`; what completeness is checked against, SPEC.md
/// §15.3: `last_number`, `last_fiscal_id`, `last_time` / `last_time_ms` of the last document
/// signed by the device, `last_shift` and `last_shift_closed`, null or false when there is
/// none; `findings[]` with `code`, `code_number`, `rule`, `document_number`, `line`,
/// `message`; `findings_dropped`, those past the first 10 000) to `*out_report` in both cases.
/// The same bytes as the Python `JournalReport.to_json()`. Thread-safe.
///
/// Safety: `journal` points to `journal_len` bytes of UTF-8; `authority_public_key_hex` is a
/// NUL-terminated string; `out_report` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_verify_journal(
    journal: *const u8,
    journal_len: usize,
    authority_public_key_hex: *const c_char,
    out_report: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_report)?;
        let journal =
            std::str::from_utf8(bytes(journal, journal_len)?).map_err(|_| FcStatus::InvalidUtf8)?;
        let authority = parse_authority(text(authority_public_key_hex)?)?;
        let report = fiscal_core::verify_journal(journal, &authority, &RateTable::azerbaijan());
        out.text(fiscal_core::describe::journal_report(&report).to_string());
        Ok(report
            .findings
            .first()
            .map_or(FcStatus::Ok, |f| FcStatus::from(f.code)))
    })
}
