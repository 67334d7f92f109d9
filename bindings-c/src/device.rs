//! `fc_device`: the handle on a control device: its life (new, activate or restore, free), its
//! last error, and every operation on it. Each function's body runs in `boundary::with_device`
//! (or `reading_device`), which checks the handle and turns a `Fail` into the status and the
//! last error.

use std::ffi::c_char;
use std::sync::Mutex;

use fiscal_core::dialect::{Dialect, Exchange, Policy};
use fiscal_core::limits::{MAX_REFERENCES, MAX_REFERENCES_BYTES};
use fiscal_core::{
    Certificate, Device, Document, Error, IssueOptions, Issued, PrivateKey, RateTable, Request,
    Timestamp, ValidationContext,
};
use serde_json::json;

use crate::boundary::{
    bytes, call, guarded, optional_text, peek_device, text, with_device, Out, DEVICES,
};
use crate::error::{Fail, LastError, OrFail};
use crate::keys::{parse_authority, private_key};
use crate::{FcBuffer, FcStatus};

/// A device handle: the control device and the last error on it. Opaque to C: create with
/// `fc_device_new`, free with `fc_device_free`. The handle is an opaque number, not a pointer
/// to memory: a freed or foreign handle is refused with `FC_STATUS_INVALID_HANDLE`, and calls
/// on one handle from several threads are serialized (`boundary::Table`).
pub struct FcDevice {
    _opaque: [u8; 0],
}

pub(crate) struct DeviceData {
    device: Option<Device>,
    rates: RateTable,
    pub(crate) last_error: LastError,
    /// The notices of the last `fc_device_handle` call (`describe::notice` each, a JSON list).
    last_notices: String,
}

impl DeviceData {
    /// The device, once activated or restored.
    fn device(&mut self) -> Result<&mut Device, Fail> {
        self.device.as_mut().ok_or(Fail::Boundary(
            FcStatus::NotActivated,
            "activate or restore the device first",
        ))
    }

    /// Refuses to make a handle whole twice: activation and restore need an empty handle.
    fn empty(&self) -> Result<(), Fail> {
        match self.device {
            Some(_) => Err(Fail::Boundary(
                FcStatus::AlreadyActivated,
                "this handle already holds a device: free it and use a new handle",
            )),
            None => Ok(()),
        }
    }

    /// Hands out an issued document's JSON (journal line, fiscal IDs, QR payload, content).
    fn hand_out(&self, issued: &Issued, out: Out<FcBuffer>) {
        let base = self
            .device
            .as_ref()
            .map_or(fiscal_core::qr::DEFAULT_QR_BASE, |d| d.state().qr_base());
        out.text(
            fiscal_core::describe::document(&issued.document, base, &issued.warnings).to_string(),
        );
    }
}

/// Creates an empty device handle; activate it (`fc_device_activate`) or restore it from saved
/// state (`fc_device_restore`). Free with `fc_device_free`. Thread-safe.
///
/// Safety: `out_device` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_new(out_device: *mut *mut FcDevice) -> FcStatus {
    call(|| {
        if out_device.is_null() {
            return Err(FcStatus::NullPointer);
        }
        let handle = DEVICES.insert(Mutex::new(DeviceData {
            device: None,
            rates: RateTable::azerbaijan(),
            last_error: LastError::default(),
            last_notices: String::from("[]"),
        }))?;
        *out_device = handle;
        Ok(())
    })
}

/// Frees a device handle (the device key in it is zeroized). NULL does nothing. Save the state
/// first (`fc_device_export_state`) if the device is to go on.
///
/// A freed, foreign or already freed handle is left alone (a later call with it returns
/// `FC_STATUS_INVALID_HANDLE`). Thread-safe: a call running on the handle in another thread
/// finishes first.
#[no_mangle]
pub extern "C" fn fc_device_free(dev: *mut FcDevice) {
    guarded((), || DEVICES.remove(dev));
}

/// The message of the last error on this handle ("" after a success); NULL for an invalid
/// handle. Owned by the handle: valid until the next call on it from any thread (a program
/// that shares the handle reads it under its own lock). Thread-safe (calls on one handle are
/// serialized).
///
/// Safety: `dev` is a handle from `fc_device_new`.
#[no_mangle]
pub unsafe extern "C" fn fc_device_last_error(dev: *mut FcDevice) -> *const c_char {
    peek_device(dev, |d| d.last_error.message()).unwrap_or(std::ptr::null())
}

/// The last error on this handle as JSON (`fiscal_core::describe::error`: `category`, `code`,
/// `number`, `rule`, `message`, `problems[]` with `code`, `number`, `rule`, `path`, `message`;
/// a refusal of the boundary itself has `category` `"boundary"`, its status as `code` and
/// `number`, `rule` null and no problems); "" after a success; NULL for an invalid handle.
/// Owned by the handle, as `fc_device_last_error`: valid until the next call on it from any
/// thread. Thread-safe (calls on one handle are serialized).
///
/// Safety: `dev` is a handle from `fc_device_new`.
#[no_mangle]
pub unsafe extern "C" fn fc_device_last_error_json(dev: *mut FcDevice) -> *const c_char {
    peek_device(dev, |d| d.last_error.json()).unwrap_or(std::ptr::null())
}

/// A copy of the last error on this handle as JSON (as `fc_device_last_error_json`; "" after a
/// success), written to `*out_json` (free with `fc_buffer_free`): the way to read it when
/// several threads share the handle, since the copy is the caller's. Changes nothing, not even
/// the last error. Thread-safe.
///
/// Safety: `out_json` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_last_error_json_copy(
    dev: *mut FcDevice,
    out_json: *mut *mut FcBuffer,
) -> FcStatus {
    copy_out(dev, out_json, |d| d.last_error.json_text())
}

/// Writes `read(device data)` as text to `*out_json` without changing the handle's last error:
/// the two `…_json` copies.
///
/// Safety: `out_json` is NULL or valid for a write.
unsafe fn copy_out(
    dev: *mut FcDevice,
    out_json: *mut *mut FcBuffer,
    read: impl FnOnce(&DeviceData) -> String,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_json)?;
        let json = peek_device(dev, read).ok_or(if dev.is_null() {
            FcStatus::NullPointer
        } else {
            FcStatus::InvalidHandle
        })?;
        out.text(json);
        Ok(())
    })
}

/// The notices of the last `fc_device_handle` call on this handle, as a JSON list (each
/// `{code, message, number, path, rule}`, SPEC.md §8.6: what the `deployed` policy accepted
/// that the specification would not, each vendor member read or left aside), written to
/// `*out_json` (free with `fc_buffer_free`); `[]` before any. Log them: they show where a kassa
/// relied on leniency. Changes nothing. Thread-safe.
///
/// Safety: `out_json` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_last_notices_json(
    dev: *mut FcDevice,
    out_json: *mut *mut FcBuffer,
) -> FcStatus {
    copy_out(dev, out_json, |d| d.last_notices.clone())
}

/// Activates the device (LC-01) on an empty handle (one that already holds a device:
/// `FC_STATUS_ALREADY_ACTIVATED`, nothing changes): `certificate_json` as issued by the authority,
/// `authority_public_key_hex` the trusted authority key, `device_key` the device's 32-byte
/// private key (copied into the handle), `pin` 4–16 digits, `qr_base` NULL for the default
/// address, `now_ms` milliseconds since the Unix epoch. Writes document 1 (JSON: number, fiscal
/// IDs, QR payload, journal line, content, amounts, warnings: SPEC.md §8.5) to `*out_document`.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: text arguments are NUL-terminated (`qr_base` may be NULL); `device_key` points to
/// `key_len` bytes; `out_document` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_activate(
    dev: *mut FcDevice,
    certificate_json: *const c_char,
    authority_public_key_hex: *const c_char,
    device_key: *const u8,
    key_len: usize,
    pin: *const c_char,
    qr_base: *const c_char,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let (out, cert, authority, key, pin, qr_base) = (|| {
            let out = Out::new(out_document)?;
            let cert = text(certificate_json)?;
            let authority = parse_authority(text(authority_public_key_hex)?)?;
            let key = private_key(device_key, key_len)?;
            Ok((
                out,
                cert,
                authority,
                key,
                text(pin)?,
                optional_text(qr_base)?,
            ))
        })()
        .or_fail("an argument is missing or malformed")?;
        d.empty()?;
        let cert = Certificate::from_json(cert)?;
        let now = Timestamp::from_millis(now_ms);
        let (device, issued) = Device::activate(cert, &authority, key, pin, qr_base, now)?;
        d.device = Some(device);
        d.hand_out(&issued, out);
        Ok(())
    })
}

/// Restores the device from saved state (`fc_device_export_state`) and its 32-byte key, on an
/// empty handle (one that already holds a device: `FC_STATUS_ALREADY_ACTIVATED`). The
/// device starts locked: `fc_device_unlock` with the PIN (NM-07). The arguments are copied;
/// the caller keeps ownership of them. Thread-safe (calls on one handle are serialized).
///
/// Safety: `state` points to `state_len` bytes, `device_key` to `key_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn fc_device_restore(
    dev: *mut FcDevice,
    state: *const u8,
    state_len: usize,
    device_key: *const u8,
    key_len: usize,
) -> FcStatus {
    with_device(dev, |d| {
        let (state, key) = (|| Ok((bytes(state, state_len)?, bytes(device_key, key_len)?)))()
            .or_fail("an argument is missing")?;
        d.empty()?;
        let key = PrivateKey::from_bytes(key)
            .map_err(|_| FcStatus::InvalidArgument)
            .or_fail("the device key is not 32 bytes of a P-256 private key")?;
        d.device = Some(Device::restore(state, key)?);
        Ok(())
    })
}

/// Writes the state to save after every operation (no key in it) to `*out_state` (bytes).
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_state` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_export_state(
    dev: *mut FcDevice,
    out_state: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let out = Out::new(out_state).or_fail("out_state is NULL")?;
        out.bytes(d.device()?.export_state());
        Ok(())
    })
}

/// Enters the PIN (NM-07): `FC_STATUS_WRONG_PIN` counts an attempt, the fifth locks the device
/// (`FC_STATUS_DEVICE_LOCKED`). Nothing is handed out.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `pin` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn fc_device_unlock(dev: *mut FcDevice, pin: *const c_char) -> FcStatus {
    with_device(dev, |d| {
        let pin = text(pin).or_fail("pin is NULL or not UTF-8")?;
        d.device()?.unlock(pin)?;
        Ok(())
    })
}

/// Opens a shift at `now_ms`; writes the document's JSON to `*out_document`.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_document` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_open_shift(
    dev: *mut FcDevice,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    device_op(dev, out_document, |device| {
        device.open_shift(Timestamp::from_millis(now_ms))
    })
}

/// Closes the shift with its Z-report at `now_ms`; writes the document's JSON (its `content` is
/// the report, as `fc_device_x_report` writes it) to `*out_document`.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_document` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_close_shift(
    dev: *mut FcDevice,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    device_op(dev, out_document, |device| {
        device.close_shift(Timestamp::from_millis(now_ms))
    })
}

/// Takes the device out of service (LC-02): only with the shift closed and every document
/// acknowledged. Writes the last document's JSON to `*out_document`.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_document` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_decommission(
    dev: *mut FcDevice,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    device_op(dev, out_document, |device| {
        device.decommission(Timestamp::from_millis(now_ms))
    })
}

/// An operation that issues a document and takes no argument but the time.
unsafe fn device_op(
    dev: *mut FcDevice,
    out: *mut *mut FcBuffer,
    op: impl FnOnce(&mut Device) -> Result<Issued, Error>,
) -> FcStatus {
    with_device(dev, |d| {
        let out = Out::new(out).or_fail("the out-parameter is NULL")?;
        let issued = op(d.device()?)?;
        d.hand_out(&issued, out);
        Ok(())
    })
}

/// Issues a receipt or cash document (sale, money_back, rollback, prepay, creditpay, deposit,
/// withdraw, correction) from `request_json` (SPEC.md §8) at `now_ms`.
/// `references` is NULL or the journal lines of the documents the request names (the parent
/// receipt, or the advances), separated by newlines; the device remembers earlier returns and
/// instalments itself (SPEC.md §14.6).
/// `expected_previous` is the number of the last document the POS knows, or -1: a retried
/// request that was already issued is refused with `FC_STATUS_SEQUENCE_MISMATCH`.
/// Writes the document's JSON to `*out_document`. On a refusal nothing in the device changes;
/// the reasons are in `fc_device_last_error_json`.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `request_json` is a NUL-terminated string, `references` NULL or one;
/// `out_document` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_issue(
    dev: *mut FcDevice,
    request_json: *const c_char,
    references: *const c_char,
    expected_previous: i64,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let (request, references) = (|| Ok((text(request_json)?, optional_text(references)?)))()
            .or_fail("request_json is NULL or not UTF-8")?;
        issue(
            d,
            request,
            references,
            expected_previous,
            now_ms,
            out_document,
        )
    })
}

/// The body of `fc_device_issue` once its text arguments are read.
unsafe fn issue(
    d: &mut DeviceData,
    request: &str,
    references: Option<&str>,
    expected_previous: i64,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> Result<(), Fail> {
    let out = Out::new(out_document).or_fail("out_document is NULL")?;
    let rates = d.rates.clone();
    let issued = issue_on(
        d.device()?,
        &rates,
        request,
        references,
        expected_previous,
        now_ms,
    )?;
    d.hand_out(&issued, out);
    Ok(())
}

/// Issues `request` on `device`: the checks of SPEC.md §14.3 in their order (the device's
/// state before the request is read), the references' limit, then the engine's `issue`.
fn issue_on(
    device: &mut Device,
    rates: &RateTable,
    request: &str,
    references: Option<&str>,
    expected_previous: i64,
    now_ms: i64,
) -> Result<Issued, Fail> {
    let now = Timestamp::from_millis(now_ms);
    let expected_previous = u64::try_from(expected_previous).ok();
    // SPEC.md §14.3: the device's state (sequence, status and PIN, certificate and time, upload
    // limits, open shift) is checked before the request is read.
    device.check_issue(now, expected_previous)?;
    let documents = reference_documents(references)?;
    let context = ValidationContext {
        rates,
        date: now.date_in_baku(),
    };
    let request = Request::from_json(request, &context)?;
    let options = IssueOptions {
        rates,
        references: &documents,
        expected_previous,
        foreign_references: false,
    };
    Ok(device.issue(&request, now, &options)?)
}

/// The documents of `references` (journal lines, one per line; blank lines skipped): refused
/// with `FC_STATUS_TOO_MANY_REFERENCES` beyond `fiscal_core::limits::{MAX_REFERENCES,
/// MAX_REFERENCES_BYTES}` before any line is parsed.
fn reference_documents(references: Option<&str>) -> Result<Vec<Document>, Fail> {
    let references = references.unwrap_or("");
    let lines = references.lines().filter(|l| !l.trim().is_empty());
    if references.len() > MAX_REFERENCES_BYTES || lines.clone().nth(MAX_REFERENCES).is_some() {
        return Err(Fail::Boundary(
            FcStatus::TooManyReferences,
            "the references are more than 50 documents or 8 MiB (fiscal_core::limits)",
        ));
    }
    Ok(lines
        .map(Document::from_journal_line)
        .collect::<Result<Vec<_>, _>>()?)
}

/// Issues a document as `fc_device_issue` does and hands out, together, everything a kassa
/// does next (spec/CRASH-SAFETY.md §2: persist the journal line and the state, then print): the document's JSON (`*out_document`, as
/// `fc_device_issue`), the new state to persist (`*out_state`, as `fc_device_export_state`),
/// the journal line to append (`*out_journal_line`, text) and, when `out_receipt` is not NULL,
/// the customer's receipt drawn as `fc_document_render` draws it with the device's own
/// certificate and QR base (`format` an `fc_render_format`, `width` 24 to 200, `language`
/// "az" or "en"; with `out_receipt` NULL these three are not read).
///
/// All or nothing: the render arguments are checked before anything is issued, and on any
/// refusal nothing is written, the device is exactly as it was and the last error says why. Free each buffer with `fc_buffer_free`. Thread-safe (calls on one
/// handle are serialized).
///
/// Safety: `request_json` is a NUL-terminated string, `references` NULL or one, `language`
/// NUL-terminated when `out_receipt` is not NULL; the other out-parameters valid pointers.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // one call for the whole of a sale is the point
pub unsafe extern "C" fn fc_device_issue_receipt(
    dev: *mut FcDevice,
    request_json: *const c_char,
    references: *const c_char,
    expected_previous: i64,
    now_ms: i64,
    format: u32,
    width: u32,
    language: *const c_char,
    out_document: *mut *mut FcBuffer,
    out_state: *mut *mut FcBuffer,
    out_journal_line: *mut *mut FcBuffer,
    out_receipt: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let (request, references) = (|| Ok((text(request_json)?, optional_text(references)?)))()
            .or_fail("request_json is NULL or not UTF-8")?;
        let out_document = Out::new(out_document).or_fail("out_document is NULL")?;
        let out_state = Out::new(out_state).or_fail("out_state is NULL")?;
        let out_line = Out::new(out_journal_line).or_fail("out_journal_line is NULL")?;
        let receipt = match Out::optional(out_receipt) {
            None => None,
            Some(out) => Some((
                out,
                crate::document::render_options(format, width, language)?,
            )),
        };
        // The device is changed only once everything is in hand: issue on a copy, draw, then
        // keep the copy (a refusal at any step leaves the handle's device untouched).
        let rates = d.rates.clone();
        let mut next = d.device()?.clone();
        let issued = issue_on(
            &mut next,
            &rates,
            request,
            references,
            expected_previous,
            now_ms,
        )?;
        let drawn = match &receipt {
            None => None,
            Some((_, options)) => {
                let state = next.state();
                Some(options.draw(
                    &issued.document,
                    state.certificate().body(),
                    state.qr_base(),
                )?)
            }
        };
        let state = next.export_state();
        d.device = Some(next);
        d.hand_out(&issued, out_document);
        out_state.bytes(state);
        out_line.text(issued.document.to_journal_line());
        if let (Some((out, options)), Some(bytes)) = (receipt, drawn) {
            options.hand_out(out, bytes);
        }
        Ok(())
    })
}

/// Carries out a request exactly as a deployed POS program sends it and writes the answer that
/// program expects back, in its dialect's shape (SPEC.md §8.8, `fiscal_core::dialect::handle`):
/// one call behind the POS's existing request code.
///
/// Arguments:
/// - `dialect`: "auto" (recognised from the envelope), "airconn", "nba", "omnitech", "ekassam"
///   or "fiscal-core" (also the aliases "omnisoft", "e-kassam"); NULL is "auto".
/// - `policy`: "deployed" (what the deployed tokens accept; every leniency is a notice, and a
///   member the dialect does not know is left aside) or "strict" (SPEC.md as written: such a
///   member is `FC_STATUS_UNKNOWN_MEMBER`); NULL is "deployed".
/// - `operation`: the endpoint a `kas_*` body was posted to ("kas_sale", "kas_moneyback", …),
///   which an e-Kassam body needs since it names no operation; for an enveloped text, the
///   operation it must ask for (else `FC_STATUS_UNKNOWN_OPERATION`); may be NULL.
/// - `request_text`: the wire text as the POS sent it (JSON, UTF-8, at most 4 MiB).
/// - `references`: NULL or the journal lines of the documents the request names (a return's
///   sale, a cancelled receipt, advances), one per line, as for `fc_device_issue`: more than
///   50 documents or 8 MiB is `FC_STATUS_TOO_MANY_REFERENCES`, before any line is parsed.
/// - `now_ms`: the moment of the operation, milliseconds since the Unix epoch.
///
/// Returns `FC_STATUS_OK` when the operation was carried out. Otherwise the status of the
/// engine's error (as `fc_device_issue`: a wrong PIN `FC_STATUS_WRONG_PIN`, an unknown
/// `operationId` `FC_STATUS_UNKNOWN_OPERATION`, …), and the last error
/// (`fc_device_last_error_json`) is that error. The device changes only when the operation was
/// carried out; a wrong PIN in a login counts an attempt, as `fc_device_unlock` does.
///
/// Written once the request was read (every engine status, success or refusal):
/// `*out_response`, the answer as JSON text, and, when `out_journal_line` is not NULL,
/// `*out_journal_line`: the journal line (text) of the document issued (a receipt or cash
/// document, the open-shift record of an `openShift`, the Z-report of a `closeShift`), or NULL
/// when none was (a login, an X-report, a status, a refusal). Free each with
/// `fc_buffer_free`. The boundary's own refusals write nothing: a NULL argument
/// (`FC_STATUS_NULL_POINTER`), text not UTF-8 (`FC_STATUS_INVALID_UTF8`), an unknown dialect
/// or policy name (`FC_STATUS_INVALID_ARGUMENT`), a device not activated, too many
/// references, and a reference that is not a journal line (its engine status).
///
/// The answers: for a document, NBA, AirConn and e-Kassam `{"code":0, "data":
/// {"document_id", "document_number", "shift_document_number", "short_document_id"},
/// "message"}`, Omnitech `{"code":0, "document_number", "long_id", "message",
/// "shift_document_number", "short_id"}` at the top, "fiscal-core" the document's description
/// (as `fc_device_issue` writes it). Control calls as the vendor's token answers them: a login
/// `data.access_token` (Omnitech: `access_token` at the top, code 1), an X- or Z-report
/// `data.reportNumber`, `data.currencies`, …, a shift status `data.shift_open`. `message` is
/// each dialect's success text ("Successful operation" for NBA and Omnitech, "Success
/// operation" for AirConn and e-Kassam), which some clients compare. The IDs in the vendors'
/// answers are the fiscal ID in Base58 (`document_id` / `long_id` the whole ID,
/// `short_document_id` / `short_id` its first 12 characters): the same bytes as the hex
/// `fiscal_id` of the document's description, in the form those programs store, compare and
/// cut. A refusal is exactly `{"code", "message"}` (AirConn's client fails on any other
/// member): the vendor's code for the error (NBA and e-Kassam 404 for a wrong PIN or no login,
/// Omnitech 401, AirConn its AirConnError numbers; otherwise the engine's number, 100–281) and
/// the engine's message; "fiscal-core" answers with the error's description. The whole error
/// (code, rule, every problem) is the last error. The notices of a `deployed` reading are not
/// handed out.
///
/// Crash safety (spec/CRASH-SAFETY.md; README.md, "Crash safety in C terms"): when a journal
/// line is handed out, append it and `\n` to the journal and `fsync`, then save the state
/// (`fc_device_export_state`), and only then send `*out_response` to the POS: an answer sent
/// first could announce a document a power cut then loses. Save the state after a login too
/// (right or wrong PIN), as after `fc_device_unlock`.
///
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `request_text` is a NUL-terminated string; `dialect`, `policy`, `operation` and
/// `references` NULL or NUL-terminated strings; `out_response` a valid pointer,
/// `out_journal_line` NULL or a valid pointer.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // the fiskaly-style single call: everything in one
pub unsafe extern "C" fn fc_device_handle(
    dev: *mut FcDevice,
    dialect: *const c_char,
    policy: *const c_char,
    operation: *const c_char,
    request_text: *const c_char,
    references: *const c_char,
    now_ms: i64,
    out_response: *mut *mut FcBuffer,
    out_journal_line: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        d.last_notices = String::from("[]");
        let (dialect, policy, operation, request, references) = (|| {
            Ok((
                optional_text(dialect)?,
                optional_text(policy)?,
                optional_text(operation)?,
                text(request_text)?,
                optional_text(references)?,
            ))
        })()
        .or_fail("request_text is NULL, or a text argument is not UTF-8")?;
        let out_response = Out::new(out_response).or_fail("out_response is NULL")?;
        let out_line = Out::optional(out_journal_line);
        let dialect = match dialect.unwrap_or("auto") {
            "auto" => None,
            name => Some(Dialect::from_name(name).ok_or(Fail::Boundary(
                FcStatus::InvalidArgument,
                "dialect is not auto, airconn, nba, omnitech, ekassam or fiscal-core",
            ))?),
        };
        let policy = Policy::from_name(policy.unwrap_or("deployed")).ok_or(Fail::Boundary(
            FcStatus::InvalidArgument,
            "policy is not deployed or strict",
        ))?;
        let rates = d.rates.clone();
        let device = d.device()?;
        let documents = reference_documents(references)?;
        let exchange = Exchange {
            dialect,
            policy,
            operation,
            now: Timestamp::from_millis(now_ms),
            rates: &rates,
            references: &documents,
            cashier: None,
            session_token: None,
        };
        let handled = fiscal_core::dialect::handle(device, request, &exchange);
        d.last_notices = serde_json::Value::from(
            handled
                .notices
                .iter()
                .map(fiscal_core::describe::notice)
                .collect::<Vec<_>>(),
        )
        .to_string();
        out_response.text(handled.response.to_string());
        if let Some(out) = out_line {
            match &handled.issued {
                Some(issued) => out.text(issued.document.to_journal_line()),
                None => out.null(),
            }
        }
        match handled.error {
            Some(error) => Err(Fail::Engine(error)),
            None => Ok(()),
        }
    })
}

/// Puts cash into the drawer: a `deposit` of `amount` (decimal text, "100.00") by `cashier`.
/// Writes the document's JSON to `*out_document` (free with `fc_buffer_free`). Thread-safe
/// (calls on one handle are serialized).
///
/// Safety: `cashier` and `amount` are NUL-terminated strings; `out_document` a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_deposit(
    dev: *mut FcDevice,
    cashier: *const c_char,
    amount: *const c_char,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    cash(dev, "deposit", cashier, amount, now_ms, out_document)
}

/// Takes cash out of the drawer: a `withdraw` (refused beyond the cash in the drawer). Writes
/// the document's JSON to `*out_document` (free with `fc_buffer_free`).
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: as `fc_device_deposit`.
#[no_mangle]
pub unsafe extern "C" fn fc_device_withdraw(
    dev: *mut FcDevice,
    cashier: *const c_char,
    amount: *const c_char,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    cash(dev, "withdraw", cashier, amount, now_ms, out_document)
}

/// A `deposit` or `withdraw`: the request is built here and issued as `fc_device_issue` does.
unsafe fn cash(
    dev: *mut FcDevice,
    kind: &str,
    cashier: *const c_char,
    amount: *const c_char,
    now_ms: i64,
    out_document: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let (cashier, amount) = (|| Ok((text(cashier)?, text(amount)?)))()
            .or_fail("cashier or amount is NULL or not UTF-8")?;
        let request =
            json!({ "doc_type": kind, "data": { "cashier": cashier, "sum": amount } }).to_string();
        issue(d, &request, None, -1, now_ms, out_document)
    })
}

/// The X-report: the open shift's totals so far; writes its JSON (SPEC.md §8.5: `shift`,
/// `opened_at` / `opened_at_ms`, `first_number`, `last_number`, `receipts`, `kinds[]`,
/// `cash_in`, `cash_out`, `cash_in_drawer`; decimals as strings) to `*out_report` (free with
/// `fc_buffer_free`). Changes nothing. Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_report` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_x_report(
    dev: *mut FcDevice,
    out_report: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let out = Out::new(out_report).or_fail("out_report is NULL")?;
        let report = d.device()?.x_report()?;
        out.text(fiscal_core::describe::shift_report(&report).to_string());
        Ok(())
    })
}

/// Records that the tax service has received every document up to `through` (NM-01). When
/// documents remain, `next_document` is the journal line of document `through + 1`; otherwise
/// it may be NULL. Nothing is handed out. Thread-safe (calls on one handle are serialized).
///
/// Safety: `next_document` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn fc_device_acknowledge_upload(
    dev: *mut FcDevice,
    through: u64,
    next_document: *const c_char,
) -> FcStatus {
    with_device(dev, |d| {
        let next = optional_text(next_document).or_fail("next_document is not UTF-8")?;
        let next = next.map(Document::from_journal_line).transpose()?;
        d.device()?.acknowledge_upload(through, next.as_ref())?;
        Ok(())
    })
}

/// The device's status (SPEC.md §8.5): `status` (`active`, `locked`, `decommissioned`),
/// `unlocked`, the last document's `last_number`, `last_fiscal_id`, `last_time` /
/// `last_time_ms`, `last_shift`, `shift_open`, `shift_opened_at(_ms)`, `shift_receipts`,
/// `pending` of `max_pending`, `acknowledged`, `oldest_pending(_ms)` and the
/// `upload_deadline(_ms)` after which receipts are refused, `pin_failures`,
/// `certificate_serial`, `certificate_valid_until(_ms)`, `ledger_entries`, `ledger_horizon`;
/// writes its JSON to `*out_status` (free with `fc_buffer_free`). Changes nothing.
/// Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_status` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_status(
    dev: *mut FcDevice,
    out_status: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        let out = Out::new(out_status).or_fail("out_status is NULL")?;
        out.text(fiscal_core::describe::device_status(d.device()?).to_string());
        Ok(())
    })
}

/// The device's last document number and how many documents wait for upload, written to the
/// caller's integers. Thread-safe (calls on one handle are serialized).
///
/// Safety: `out_last_number` and `out_pending` are valid pointers.
#[no_mangle]
pub unsafe extern "C" fn fc_device_counters(
    dev: *mut FcDevice,
    out_last_number: *mut u64,
    out_pending: *mut u64,
) -> FcStatus {
    with_device(dev, |d| {
        if out_last_number.is_null() || out_pending.is_null() {
            return Err(FcStatus::NullPointer).or_fail("an out-parameter is NULL");
        }
        let state = d.device()?.state();
        *out_last_number = state.last_number();
        *out_pending = state.pending();
        Ok(())
    })
}
