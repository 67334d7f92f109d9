//! Certificates: `fc_certificate_issue` (as the tax authority, or a test authority, does) and
//! `fc_certificate_journal_line`.

use std::ffi::c_char;

use fiscal_core::{Certificate, CertificateBody};

use crate::boundary::{call, text, Out};
use crate::keys::private_key;
use crate::{FcBuffer, FcStatus};

/// Issues a certificate, as the tax authority (or a test authority) does: `body_json` is the
/// certificate body in JSON (SPEC.md §12.1; moments in milliseconds, `device_key` in hex),
/// `authority_key` the authority's 32-byte private key. Writes the certificate's JSON to
/// `*out_certificate`. Returns `FC_STATUS_INVALID_CERTIFICATE` when the body breaks a rule,
/// `FC_STATUS_MALFORMED_JSON` when it cannot be read. Thread-safe.
///
/// Safety: `body_json` is a NUL-terminated string; `authority_key` points to `key_len` bytes;
/// `out_certificate` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_certificate_issue(
    body_json: *const c_char,
    authority_key: *const u8,
    key_len: usize,
    out_certificate: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_certificate)?;
        let body: CertificateBody =
            serde_json::from_str(text(body_json)?).map_err(|_| FcStatus::MalformedJson)?;
        let key = private_key(authority_key, key_len)?;
        out.text(Certificate::issue(body, &key)?.to_json());
        Ok(())
    })
}

/// The journal's first line for a certificate given as JSON (SPEC.md §13.5):
/// `{"certificate":"<hex>"}`. Writes text to `*out_line`. Thread-safe.
///
/// Safety: `certificate_json` is a NUL-terminated string; `out_line` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_certificate_journal_line(
    certificate_json: *const c_char,
    out_line: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_line)?;
        out.text(Certificate::from_json(text(certificate_json)?)?.to_journal_line());
        Ok(())
    })
}
