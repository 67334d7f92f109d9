//! # fiscal-core C ABI
//!
//! Rules, as rustls-ffi writes them down:
//! - every fallible function returns an `fc_status`; 0 is success, 1–99 concern the boundary
//!   itself, 100 and up are the engine's stable error codes (SPEC.md §9);
//! - outputs go through out-parameters, written only on success unless a function says
//!   otherwise; every object handed out has a `_free` function and `_free(NULL)` does nothing;
//! - every pointer is NULL-checked; text is UTF-8 and NUL-terminated;
//! - no panic crosses the boundary: it becomes `FC_STATUS_PANIC`;
//! - no global state: a device handle is used by one thread at a time, different handles and
//!   the functions without a handle may be used from any number of threads at once.
//!
//! Requests, documents, reports and certificates cross as UTF-8 JSON in the spec's format; a
//! document is its journal line (SPEC.md §13.5); raw canonical bytes are there too.
// The C boundary is unsafe by nature: raw pointers from C. Each unsafe block relies on the
// caller's documented contract (valid pointers, live handles, one thread per handle).
#![allow(unsafe_code)]
#![allow(clippy::missing_safety_doc)] // every function's doc has a "Safety" paragraph in prose

mod status;

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use fiscal_core::{
    Certificate, CertificateBody, CivilDate, Content, Device, Document, Error, IssueOptions,
    Issued, PrivateKey, PublicKey, RateTable, Request, Timestamp, ValidationContext, Warning,
};
use serde_json::{json, Value};

pub use status::FcStatus;

const DEVICE_MAGIC: u64 = 0x6663_2d64_6576_6963; // "fc-devic"
const BUFFER_MAGIC: u64 = 0x6663_2d62_7566_6665; // "fc-buffe"

/// A device handle: the control device and the last error on it. Opaque to C: create with
/// `fc_device_new`, free with `fc_device_free`.
pub struct FcDevice {
    _opaque: [u8; 0],
}

/// Bytes handed out by the library (text is followed by a NUL byte not counted in its
/// length). Opaque to C; read with `fc_buffer_data` and `fc_buffer_len`, free with
/// `fc_buffer_free`.
pub struct FcBuffer {
    _opaque: [u8; 0],
}

/// What a handle points to: a tag first (fixed layout), so that a pointer that is not a live
/// handle of the right kind is recognised and refused.
#[repr(C)]
struct Tagged<T> {
    magic: u64,
    value: T,
}

struct DeviceData {
    device: Option<Device>,
    rates: RateTable,
    last_error: CString,
    last_error_json: CString,
}

struct BufferData {
    data: Vec<u8>,
    len: usize,
}

/// Runs `f` with panics caught.
fn guard(f: impl FnOnce() -> FcStatus) -> FcStatus {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(FcStatus::Panic)
}

/// Runs `f` on a checked device handle, with panics caught.
unsafe fn with_device(dev: *mut FcDevice, f: impl FnOnce(&mut DeviceData) -> FcStatus) -> FcStatus {
    guard(|| match handle(dev) {
        Ok(d) => f(d),
        Err(s) => s,
    })
}

unsafe fn text<'a>(p: *const c_char) -> Result<&'a str, FcStatus> {
    if p.is_null() {
        return Err(FcStatus::NullPointer);
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|_| FcStatus::InvalidUtf8)
}

unsafe fn optional_text<'a>(p: *const c_char) -> Result<Option<&'a str>, FcStatus> {
    if p.is_null() {
        Ok(None)
    } else {
        text(p).map(Some)
    }
}

unsafe fn bytes<'a>(p: *const u8, len: usize) -> Result<&'a [u8], FcStatus> {
    match (p.is_null(), len) {
        (true, 0) => Ok(&[]),
        (true, _) => Err(FcStatus::NullPointer),
        (false, _) => Ok(std::slice::from_raw_parts(p, len)),
    }
}

unsafe fn handle<'a>(p: *mut FcDevice) -> Result<&'a mut DeviceData, FcStatus> {
    if p.is_null() {
        return Err(FcStatus::NullPointer);
    }
    let tagged = p.cast::<Tagged<DeviceData>>();
    // Read the tag without assuming alignment: a wrong pointer is refused, not used as a device.
    if std::ptr::read_unaligned(tagged.cast::<u64>()) != DEVICE_MAGIC {
        return Err(FcStatus::InvalidHandle);
    }
    Ok(&mut (*tagged).value)
}

unsafe fn buffer<'a>(p: *const FcBuffer) -> Option<&'a BufferData> {
    let tagged = p.cast::<Tagged<BufferData>>();
    if p.is_null() || std::ptr::read_unaligned(tagged.cast::<u64>()) != BUFFER_MAGIC {
        return None;
    }
    Some(&(*tagged).value)
}

fn new_buffer(mut data: Vec<u8>, nul: bool) -> *mut FcBuffer {
    let len = data.len();
    if nul {
        data.push(0);
    }
    Box::into_raw(Box::new(Tagged {
        magic: BUFFER_MAGIC,
        value: BufferData { data, len },
    }))
    .cast::<FcBuffer>()
}

/// Writes a text buffer to `out` (which was checked to be non-NULL).
unsafe fn put_text(out: *mut *mut FcBuffer, s: String) {
    *out = new_buffer(s.into_bytes(), true);
}

unsafe fn put_bytes(out: *mut *mut FcBuffer, b: Vec<u8>) {
    *out = new_buffer(b, false);
}

fn need_out(out: *mut *mut FcBuffer) -> Result<(), FcStatus> {
    if out.is_null() {
        Err(FcStatus::NullPointer)
    } else {
        Ok(())
    }
}

fn error_json(e: &Error) -> Value {
    json!({
        "code": e.code().as_str(),
        "number": e.code().number(),
        "rule": e.code().rule(),
        "message": e.to_string(),
        "problems": e.problems().iter().map(|p| json!({
            "code": p.code.as_str(),
            "number": p.code.number(),
            "rule": p.code.rule(),
            "path": p.path,
            "message": p.message,
        })).collect::<Vec<_>>(),
    })
}

fn cstring(s: String) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

impl DeviceData {
    fn fail(&mut self, e: Error) -> FcStatus {
        self.last_error = cstring(e.to_string());
        self.last_error_json = cstring(error_json(&e).to_string());
        FcStatus::from(e.code())
    }

    fn fail_with(&mut self, status: FcStatus, message: &str) -> FcStatus {
        self.last_error = cstring(message.into());
        self.last_error_json = cstring(
            json!({ "code": status.name(), "number": status as u32, "message": message })
                .to_string(),
        );
        status
    }

    fn clear(&mut self) {
        self.last_error = CString::default();
        self.last_error_json = CString::default();
    }

    fn device(&mut self) -> Result<&mut Device, FcStatus> {
        if self.device.is_none() {
            let _ = self.fail_with(
                FcStatus::NotActivated,
                "activate or restore the device first",
            );
        }
        self.device.as_mut().ok_or(FcStatus::NotActivated)
    }
}

fn parse_authority(hex_key: &str) -> Result<PublicKey, FcStatus> {
    let raw = hex_decode(hex_key).ok_or(FcStatus::InvalidArgument)?;
    PublicKey::from_sec1(&raw).map_err(|_| FcStatus::InvalidArgument)
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// The JSON a document is described by: its journal line and what a POS prints.
fn document_json(doc: &Document, qr_base: &str, warnings: &[Warning]) -> Value {
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

unsafe fn issued(
    dev: &mut DeviceData,
    r: Result<Issued, Error>,
    out: *mut *mut FcBuffer,
) -> FcStatus {
    match r {
        Ok(i) => {
            let base = dev
                .device
                .as_ref()
                .map_or(fiscal_core::device::DEFAULT_QR_BASE, |d| {
                    d.state().qr_base()
                })
                .to_string();
            put_text(
                out,
                document_json(&i.document, &base, &i.warnings).to_string(),
            );
            dev.clear();
            FcStatus::Ok
        }
        Err(e) => dev.fail(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Library
// ---------------------------------------------------------------------------------------------

/// The library's version, e.g. "0.1.0". Static: do not free. Thread-safe.
#[no_mangle]
pub extern "C" fn fc_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The stable name of a status ("ok", "wrong_pin", …), or "unknown". Static: do not free.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn fc_status_name(status: u32) -> *const c_char {
    static NAMES: std::sync::OnceLock<Vec<(u32, CString)>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        FcStatus::ALL
            .iter()
            .map(|s| (*s as u32, cstring(s.name().into())))
            .collect()
    });
    names
        .iter()
        .find(|(n, _)| *n == status)
        .map_or(c"unknown".as_ptr(), |(_, s)| s.as_ptr())
}

// ---------------------------------------------------------------------------------------------
// Buffers
// ---------------------------------------------------------------------------------------------

/// The bytes of a buffer (for text, followed by a NUL not counted in `fc_buffer_len`); NULL for
/// a NULL or invalid buffer. Valid until `fc_buffer_free`. Thread-safe for reading.
///
/// Safety: `buf` is NULL or a buffer from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_data(buf: *const FcBuffer) -> *const u8 {
    buffer(buf).map_or(std::ptr::null(), |b| b.data.as_ptr())
}

/// The length of a buffer in bytes (without the NUL of a text); 0 for a NULL or invalid buffer.
/// The buffer stays owned by the caller. Thread-safe for reading.
///
/// Safety: as `fc_buffer_data`.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_len(buf: *const FcBuffer) -> usize {
    buffer(buf).map_or(0, |b| b.len)
}

/// Frees a buffer. NULL does nothing. Using the buffer afterwards is an error. Not while another
/// thread reads the same buffer.
///
/// Safety: `buf` is NULL or a buffer from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn fc_buffer_free(buf: *mut FcBuffer) {
    let _ = guard(|| {
        if buffer(buf).is_some() {
            let mut b = Box::from_raw(buf.cast::<Tagged<BufferData>>());
            b.magic = 0;
        }
        FcStatus::Ok
    });
}

// ---------------------------------------------------------------------------------------------
// Keys and certificates (tests, demos, certification labs)
// ---------------------------------------------------------------------------------------------

/// Derives a 32-byte private key from a seed (SPEC.md §12.3). **Tests and demos only**: anyone
/// who knows the seed has the key. Writes a 32-byte buffer to `*out_key` (free with
/// `fc_buffer_free`). Thread-safe.
///
/// Safety: `seed` points to `seed_len` bytes; `out_key` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_key_from_seed(
    seed: *const u8,
    seed_len: usize,
    out_key: *mut *mut FcBuffer,
) -> FcStatus {
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_key)?;
            let seed = bytes(seed, seed_len)?;
            put_bytes(out_key, PrivateKey::from_seed(seed).to_bytes().to_vec());
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

/// The public key (hex of the 33-byte compressed form) of a 32-byte private key. Writes a text
/// buffer to `*out_hex`. Thread-safe.
///
/// Safety: `key` points to `key_len` bytes; `out_hex` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_public_key(
    key: *const u8,
    key_len: usize,
    out_hex: *mut *mut FcBuffer,
) -> FcStatus {
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_hex)?;
            let k = PrivateKey::from_bytes(bytes(key, key_len)?)
                .map_err(|_| FcStatus::InvalidArgument)?;
            put_text(out_hex, k.public_key().to_string());
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

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
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_certificate)?;
            let body: CertificateBody =
                serde_json::from_str(text(body_json)?).map_err(|_| FcStatus::MalformedJson)?;
            let key = PrivateKey::from_bytes(bytes(authority_key, key_len)?)
                .map_err(|_| FcStatus::InvalidArgument)?;
            let cert = Certificate::issue(body, &key).map_err(|e| FcStatus::from(e.code()))?;
            put_text(out_certificate, cert.to_json());
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
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
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_line)?;
            let cert = Certificate::from_json(text(certificate_json)?)
                .map_err(|e| FcStatus::from(e.code()))?;
            put_text(out_line, cert.to_journal_line());
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// Validates a request (JSON, SPEC.md §8) for a date (`"YYYY-MM-DD"`) with the Azerbaijani rate
/// table, without a device. On success writes the request with every computed member (line
/// totals, taxes, `sum`, `vatAmounts`, change: SPEC.md §8.4) to `*out_json`; on a validation
/// failure returns the first problem's code and writes the error JSON (`code`, `message`,
/// `problems[]` with `code`, `path`, `rule`, `message`) to `*out_json`. Thread-safe.
///
/// Safety: `request_json` and `date` are NUL-terminated strings; `out_json` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_request_validate(
    request_json: *const c_char,
    date: *const c_char,
    out_json: *mut *mut FcBuffer,
) -> FcStatus {
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_json)?;
            let date: CivilDate = text(date)?.parse().map_err(|_| FcStatus::InvalidArgument)?;
            let rates = RateTable::azerbaijan();
            match Request::from_json(
                text(request_json)?,
                &ValidationContext {
                    rates: &rates,
                    date,
                },
            ) {
                Ok(r) => {
                    put_text(out_json, r.to_json());
                    Ok(())
                }
                Err(e) => {
                    put_text(out_json, error_json(&e).to_string());
                    Err(FcStatus::from(e.code()))
                }
            }
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

// ---------------------------------------------------------------------------------------------
// Device
// ---------------------------------------------------------------------------------------------

/// Creates an empty device handle; activate it (`fc_device_activate`) or restore it from saved
/// state (`fc_device_restore`). Free with `fc_device_free`. Thread-safe.
///
/// Safety: `out_device` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_new(out_device: *mut *mut FcDevice) -> FcStatus {
    guard(|| {
        if out_device.is_null() {
            return FcStatus::NullPointer;
        }
        let data = DeviceData {
            device: None,
            rates: RateTable::azerbaijan(),
            last_error: CString::default(),
            last_error_json: CString::default(),
        };
        *out_device = Box::into_raw(Box::new(Tagged {
            magic: DEVICE_MAGIC,
            value: data,
        }))
        .cast::<FcDevice>();
        FcStatus::Ok
    })
}

/// Frees a device handle (the device key in it is zeroized). NULL does nothing. Save the state
/// first (`fc_device_export_state`) if the device is to go on.
///
/// Safety: `dev` is NULL or a handle from `fc_device_new`, freed at most once, not in use by
/// another thread.
#[no_mangle]
pub unsafe extern "C" fn fc_device_free(dev: *mut FcDevice) {
    let _ = guard(|| {
        if handle(dev).is_ok() {
            let mut d = Box::from_raw(dev.cast::<Tagged<DeviceData>>());
            d.magic = 0;
        }
        FcStatus::Ok
    });
}

/// The message of the last error on this handle ("" after a success); NULL for an invalid
/// handle. Owned by the handle: valid until the next call on it. One thread at a time.
///
/// Safety: `dev` is a handle from `fc_device_new`.
#[no_mangle]
pub unsafe extern "C" fn fc_device_last_error(dev: *mut FcDevice) -> *const c_char {
    handle(dev).map_or(std::ptr::null(), |d| d.last_error.as_ptr())
}

/// The last error on this handle as JSON (`code`, `number`, `rule`, `message`, `problems[]`);
/// "" after a success; NULL for an invalid handle. Owned by the handle, as
/// `fc_device_last_error`: valid until the next call on it. One thread at a time.
///
/// Safety: `dev` is a handle from `fc_device_new`.
#[no_mangle]
pub unsafe extern "C" fn fc_device_last_error_json(dev: *mut FcDevice) -> *const c_char {
    handle(dev).map_or(std::ptr::null(), |d| d.last_error_json.as_ptr())
}

/// Activates the device (LC-01): `certificate_json` as issued by the authority,
/// `authority_public_key_hex` the trusted authority key, `device_key` the device's 32-byte
/// private key (copied into the handle), `pin` 4–16 digits, `qr_base` NULL for the default
/// address, `now_ms` milliseconds since the Unix epoch. Writes document 1 (JSON: number, fiscal
/// IDs, QR payload, journal line, content, warnings) to `*out_document`. One thread at a time.
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
        let args = (|| -> Result<_, FcStatus> {
            need_out(out_document)?;
            let cert = text(certificate_json)?;
            let authority = parse_authority(text(authority_public_key_hex)?)?;
            let key = PrivateKey::from_bytes(bytes(device_key, key_len)?)
                .map_err(|_| FcStatus::InvalidArgument)?;
            Ok((cert, authority, key, text(pin)?, optional_text(qr_base)?))
        })();
        let (cert, authority, key, pin, qr_base) = match args {
            Ok(a) => a,
            Err(s) => return d.fail_with(s, "an argument is missing or malformed"),
        };
        let cert = match Certificate::from_json(cert) {
            Ok(c) => c,
            Err(e) => return d.fail(e),
        };
        match Device::activate(
            cert,
            &authority,
            key,
            pin,
            qr_base,
            Timestamp::from_millis(now_ms),
        ) {
            Ok((device, issued)) => {
                d.device = Some(device);
                self::issued(d, Ok(issued), out_document)
            }
            Err(e) => d.fail(e),
        }
    })
}

/// Restores the device from saved state (`fc_device_export_state`) and its 32-byte key. The
/// device starts locked: `fc_device_unlock` with the PIN (NM-07). The arguments are copied;
/// the caller keeps ownership of them. One thread at a time.
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
        let args =
            (|| Ok::<_, FcStatus>((bytes(state, state_len)?, bytes(device_key, key_len)?)))();
        let (state, key) = match args {
            Ok(a) => a,
            Err(s) => return d.fail_with(s, "an argument is missing"),
        };
        let Ok(key) = PrivateKey::from_bytes(key) else {
            return d.fail_with(
                FcStatus::InvalidArgument,
                "the device key is not 32 bytes of a P-256 private key",
            );
        };
        match Device::restore(state, key) {
            Ok(device) => {
                d.device = Some(device);
                d.clear();
                FcStatus::Ok
            }
            Err(e) => d.fail(e),
        }
    })
}

/// Writes the state to save after every operation (no key in it) to `*out_state` (bytes).
/// One thread at a time.
///
/// Safety: `out_state` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_export_state(
    dev: *mut FcDevice,
    out_state: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        if out_state.is_null() {
            return d.fail_with(FcStatus::NullPointer, "out_state is NULL");
        }
        match d.device() {
            Ok(device) => {
                let state = device.export_state();
                put_bytes(out_state, state);
                FcStatus::Ok
            }
            Err(s) => s,
        }
    })
}

/// Enters the PIN (NM-07): `FC_STATUS_WRONG_PIN` counts an attempt, the fifth locks the device
/// (`FC_STATUS_DEVICE_LOCKED`). Nothing is handed out. One thread at a time.
///
/// Safety: `pin` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn fc_device_unlock(dev: *mut FcDevice, pin: *const c_char) -> FcStatus {
    with_device(dev, |d| {
        let pin = match text(pin) {
            Ok(p) => p,
            Err(s) => return d.fail_with(s, "pin is NULL or not UTF-8"),
        };
        let r = match d.device() {
            Ok(device) => device.unlock(pin),
            Err(s) => return s,
        };
        match r {
            Ok(()) => {
                d.clear();
                FcStatus::Ok
            }
            Err(e) => d.fail(e),
        }
    })
}

/// Opens a shift at `now_ms`; writes the document's JSON to `*out_document`. One thread at a
/// time.
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

/// Closes the shift with its Z-report at `now_ms`; writes the document's JSON (with the report
/// under `content.zreport`) to `*out_document`. One thread at a time.
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
/// acknowledged. Writes the last document's JSON to `*out_document`. One thread at a time.
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

unsafe fn device_op(
    dev: *mut FcDevice,
    out: *mut *mut FcBuffer,
    op: impl FnOnce(&mut Device) -> Result<Issued, Error>,
) -> FcStatus {
    with_device(dev, |d| {
        if out.is_null() {
            return d.fail_with(FcStatus::NullPointer, "the out-parameter is NULL");
        }
        let r = match d.device() {
            Ok(device) => op(device),
            Err(s) => return s,
        };
        issued(d, r, out)
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
/// the reasons are in `fc_device_last_error_json`. One thread at a time.
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
        let args = (|| Ok::<_, FcStatus>((text(request_json)?, optional_text(references)?)))();
        let (json_text, refs) = match args {
            Ok(a) => a,
            Err(s) => return d.fail_with(s, "request_json is NULL or not UTF-8"),
        };
        if out_document.is_null() {
            return d.fail_with(FcStatus::NullPointer, "out_document is NULL");
        }
        let mut documents = Vec::new();
        for line in refs.unwrap_or("").lines().filter(|l| !l.trim().is_empty()) {
            match Document::from_journal_line(line) {
                Ok(doc) => documents.push(doc),
                Err(e) => return d.fail(e),
            }
        }
        let now = Timestamp::from_millis(now_ms);
        let ctx = ValidationContext {
            rates: &d.rates,
            date: now.date_in_baku(),
        };
        let request = match Request::from_json(json_text, &ctx) {
            Ok(r) => r,
            Err(e) => return d.fail(e),
        };
        let rates = d.rates.clone();
        let options = IssueOptions {
            rates: &rates,
            references: &documents,
            expected_previous: u64::try_from(expected_previous).ok(),
        };
        let r = match d.device() {
            Ok(device) => device.issue(&request, now, &options),
            Err(s) => return s,
        };
        issued(d, r, out_document)
    })
}

/// Puts cash into the drawer: a `deposit` of `amount` (decimal text, "100.00") by `cashier`.
/// Writes the document's JSON to `*out_document` (free with `fc_buffer_free`). One thread at
/// a time.
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
/// the document's JSON to `*out_document` (free with `fc_buffer_free`). One thread at a time.
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

unsafe fn cash(
    dev: *mut FcDevice,
    kind: &str,
    cashier: *const c_char,
    amount: *const c_char,
    now_ms: i64,
    out: *mut *mut FcBuffer,
) -> FcStatus {
    let (cashier, amount) = match (text(cashier), text(amount)) {
        (Ok(c), Ok(a)) => (c, a),
        (Err(s), _) | (_, Err(s)) => {
            return match handle(dev) {
                Ok(d) => d.fail_with(s, "cashier or amount is NULL or not UTF-8"),
                Err(h) => h,
            }
        }
    };
    let request =
        json!({ "doc_type": kind, "data": { "cashier": cashier, "sum": amount } }).to_string();
    let Ok(request) = CString::new(request) else {
        return FcStatus::InvalidArgument;
    };
    fc_device_issue(dev, request.as_ptr(), std::ptr::null(), -1, now_ms, out)
}

/// The X-report: the open shift's totals so far; writes JSON to `*out_report` (free with
/// `fc_buffer_free`). Changes nothing. One thread at a time.
///
/// Safety: `out_report` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_device_x_report(
    dev: *mut FcDevice,
    out_report: *mut *mut FcBuffer,
) -> FcStatus {
    with_device(dev, |d| {
        if out_report.is_null() {
            return d.fail_with(FcStatus::NullPointer, "out_report is NULL");
        }
        let r = match d.device() {
            Ok(device) => device.x_report(),
            Err(s) => return s,
        };
        match r {
            Ok(report) => {
                let mut v = serde_json::to_value(&report).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert(
                        "cash_in_drawer".into(),
                        Value::String(report.cash_in_drawer().to_string()),
                    );
                }
                put_text(out_report, v.to_string());
                d.clear();
                FcStatus::Ok
            }
            Err(e) => d.fail(e),
        }
    })
}

/// Records that the tax service has received every document up to `through` (NM-01). When
/// documents remain, `next_document` is the journal line of document `through + 1`; otherwise
/// it may be NULL. Nothing is handed out. One thread at a time.
///
/// Safety: `next_document` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn fc_device_acknowledge_upload(
    dev: *mut FcDevice,
    through: u64,
    next_document: *const c_char,
) -> FcStatus {
    with_device(dev, |d| {
        let next = match optional_text(next_document) {
            Ok(n) => n,
            Err(s) => return d.fail_with(s, "next_document is not UTF-8"),
        };
        let next = match next.map(Document::from_journal_line).transpose() {
            Ok(n) => n,
            Err(e) => return d.fail(e),
        };
        let r = match d.device() {
            Ok(device) => device.acknowledge_upload(through, next.as_ref()),
            Err(s) => return s,
        };
        match r {
            Ok(()) => {
                d.clear();
                FcStatus::Ok
            }
            Err(e) => d.fail(e),
        }
    })
}

/// The device's last document number and how many documents wait for upload, written to the
/// caller's integers. One thread at a time.
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
            return d.fail_with(FcStatus::NullPointer, "an out-parameter is NULL");
        }
        match d.device() {
            Ok(device) => {
                *out_last_number = device.state().last_number();
                *out_pending = device.state().pending();
                FcStatus::Ok
            }
            Err(s) => s,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Documents, verification, QR
// ---------------------------------------------------------------------------------------------

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
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_json)?;
            let doc = Document::from_journal_line(text(journal_line)?)
                .map_err(|e| FcStatus::from(e.code()))?;
            let base = optional_text(qr_base)?.unwrap_or(fiscal_core::device::DEFAULT_QR_BASE);
            put_text(out_json, document_json(&doc, base, &[]).to_string());
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
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
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_receipt)?;
            let doc = Document::from_journal_line(text(journal_line)?)
                .map_err(|e| FcStatus::from(e.code()))?;
            let cert = Certificate::from_json(text(certificate_json)?)
                .map_err(|e| FcStatus::from(e.code()))?;
            let base = optional_text(qr_base)?.unwrap_or(fiscal_core::device::DEFAULT_QR_BASE);
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
                0 => put_text(out_receipt, r.text(&labels, width, false)),
                1 => put_text(out_receipt, r.text(&labels, width, true)),
                2 => put_bytes(out_receipt, r.escpos(&labels, width)),
                3 => put_text(
                    out_receipt,
                    r.svg(&labels, width)
                        .map_err(|e| FcStatus::from(e.code()))?,
                ),
                4 => put_text(
                    out_receipt,
                    r.html(&labels, width)
                        .map_err(|e| FcStatus::from(e.code()))?,
                ),
                _ => return Err(FcStatus::InvalidArgument),
            }
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
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
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_bytes)?;
            let doc = Document::from_journal_line(text(journal_line)?)
                .map_err(|e| FcStatus::from(e.code()))?;
            put_bytes(out_bytes, doc.signed_bytes().to_vec());
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

fn report_json(r: &fiscal_core::JournalReport) -> String {
    json!({
        "valid": r.is_valid(),
        "lines": r.lines,
        "documents": r.documents,
        "receipts": r.receipts,
        // What completeness is checked against (SPEC.md §15.3); moments in ms, as `time_ms`.
        "last_number": r.last_number,
        "last_fiscal_id": r.last_fiscal_id.map(|id| id.long()),
        "last_time_ms": r.last_time.map(|t| t.millis()),
        "last_shift": r.last_shift,
        "last_shift_closed": r.last_shift_closed,
        "findings": r.findings.iter().map(|f| json!({
            "code": f.code.as_str(),
            "number": f.code.number(),
            "rule": f.rule(),
            "document": f.number,
            "line": f.line,
            "message": f.message,
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

/// Verifies one document (its journal line) against its certificate (JSON) and the trusted
/// authority key (hex): `FC_STATUS_OK` when it verifies, otherwise the reason's code. If
/// `out_report` is not NULL, writes `{"valid":…, "code":…, "message":…}` in both cases.
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
    guard(|| {
        let run = || -> Result<Result<(), Error>, FcStatus> {
            let authority = parse_authority(text(authority_public_key_hex)?)?;
            let r = Document::from_journal_line(text(journal_line)?).and_then(|doc| {
                let cert = Certificate::from_json(
                    text(certificate_json).map_err(|_| Error::InvalidCertificate("NULL".into()))?,
                )?;
                fiscal_core::verify_document(&doc, &cert, &authority)
            });
            Ok(r)
        };
        match run() {
            Err(s) => s,
            Ok(r) => {
                let (status, v) = match &r {
                    Ok(()) => (FcStatus::Ok, json!({ "valid": true })),
                    Err(e) => {
                        let code = e.code();
                        (
                            FcStatus::from(code),
                            json!({ "valid": false, "code": code.as_str(), "rule": code.rule(), "message": e.to_string() }),
                        )
                    }
                };
                if !out_report.is_null() {
                    put_text(out_report, v.to_string());
                }
                status
            }
        }
    })
}

/// Verifies a self-contained journal (its certificate line, then its documents: SPEC.md §13.5,
/// §15) against the trusted authority key. Returns `FC_STATUS_OK` when valid, otherwise the
/// code of the first finding (a journal with no document: `FC_STATUS_EMPTY_JOURNAL`; a CR,
/// empty or blank line: `FC_STATUS_NONCANONICAL_LINE`); writes the report (`valid`, `lines`,
/// `documents`, `receipts`; what completeness is checked against, SPEC.md §15.3: `last_number`,
/// `last_fiscal_id`, `last_time_ms` of the last document signed by the device, `last_shift` and
/// `last_shift_closed`, null or false when there is none; `findings[]` with `code`, `rule`,
/// `document`, `line`, `message`) to `*out_report` in both cases. Thread-safe.
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
    guard(|| {
        let run = || -> Result<FcStatus, FcStatus> {
            need_out(out_report)?;
            let text_in = std::str::from_utf8(bytes(journal, journal_len)?)
                .map_err(|_| FcStatus::InvalidUtf8)?;
            let authority = parse_authority(text(authority_public_key_hex)?)?;
            let report = fiscal_core::verify_journal(text_in, &authority, &RateTable::azerbaijan());
            put_text(out_report, report_json(&report));
            Ok(report
                .findings
                .first()
                .map_or(FcStatus::Ok, |f| FcStatus::from(f.code)))
        };
        run().unwrap_or_else(|s| s)
    })
}

/// The QR payload for a long fiscal ID (64 hex characters): `qr_base` (NULL: the default public
/// check address) followed by the ID (RC-09). Writes text to `*out_payload`. Thread-safe.
///
/// Safety: `fiscal_id` is a NUL-terminated string, `qr_base` NULL or one; `out_payload` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_qr_payload(
    qr_base: *const c_char,
    fiscal_id: *const c_char,
    out_payload: *mut *mut FcBuffer,
) -> FcStatus {
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_payload)?;
            let id = fiscal_core::FiscalId::from_hex(text(fiscal_id)?)
                .ok_or(FcStatus::InvalidArgument)?;
            let base = optional_text(qr_base)?.unwrap_or(fiscal_core::device::DEFAULT_QR_BASE);
            put_text(out_payload, fiscal_core::qr::payload(base, &id));
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

/// The QR code of `payload` as an SVG image: writes text to `*out_svg` (free with
/// `fc_buffer_free`). Thread-safe.
///
/// Safety: `payload` is a NUL-terminated string; `out_svg` valid.
#[no_mangle]
pub unsafe extern "C" fn fc_qr_svg(
    payload: *const c_char,
    out_svg: *mut *mut FcBuffer,
) -> FcStatus {
    guard(|| {
        let run = || -> Result<(), FcStatus> {
            need_out(out_svg)?;
            let svg =
                fiscal_core::qr::qr_svg(text(payload)?).map_err(|_| FcStatus::InvalidArgument)?;
            put_text(out_svg, svg);
            Ok(())
        };
        run().err().unwrap_or(FcStatus::Ok)
    })
}

/// Test hook: panics inside the boundary, to show it becomes `FC_STATUS_PANIC` (the C tests
/// call it). Hands nothing out. Thread-safe.
#[no_mangle]
#[allow(clippy::panic)] // the point of this function
pub extern "C" fn fc_test_panic() -> FcStatus {
    guard(|| panic!("fc_test_panic: a deliberate panic to test the boundary"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in header is what cbindgen makes of the current source.
    #[test]
    fn header_is_fresh() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let config = cbindgen::Config::from_file(format!("{dir}/cbindgen.toml")).unwrap();
        let mut generated = Vec::new();
        cbindgen::Builder::new()
            .with_crate(dir)
            .with_config(config)
            .generate()
            .unwrap()
            .write(&mut generated);
        let generated = String::from_utf8(generated).unwrap();
        let path = format!("{dir}/include/fiscal_core.h");
        if std::env::var_os("FISCAL_CORE_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(generated == checked_in, "include/fiscal_core.h is stale: FISCAL_CORE_BLESS=1 cargo test -p fiscal-core-c header_is_fresh");
    }

    /// Every function in the header has a comment that says how threads may use it.
    #[test]
    fn every_function_documents_thread_safety() {
        let header = include_str!("../include/fiscal_core.h");
        let mut functions = 0;
        for chunk in header.split("/**").skip(1) {
            let Some((doc, rest)) = chunk.split_once("*/") else {
                continue;
            };
            let decl = rest.trim_start().lines().next().unwrap_or("");
            let Some(name) = decl
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .find(|w| w.starts_with("fc_") && decl.contains(&format!("{w}(")))
            else {
                continue;
            };
            functions += 1;
            let lower = doc.to_lowercase();
            assert!(
                lower.contains("thread"),
                "{name}: its comment does not say how threads may use it"
            );
        }
        assert!(
            functions >= 30,
            "only {functions} functions found in the header"
        );
    }

    /// The status list mirrors the engine's codes, both ways, with the same names.
    #[test]
    fn statuses_mirror_the_engine_codes() {
        for code in fiscal_core::ErrorCode::ALL {
            let s = FcStatus::from_number(u32::from(code.number()))
                .unwrap_or_else(|| panic!("no status for {code}"));
            assert_eq!(s.name(), code.as_str());
            assert_eq!(FcStatus::from(*code), s);
        }
        let engine: Vec<u32> = fiscal_core::ErrorCode::ALL
            .iter()
            .map(|c| u32::from(c.number()))
            .collect();
        for s in FcStatus::ALL {
            let n = *s as u32;
            assert!(
                n < 100 || engine.contains(&n),
                "status {n} is not an engine code"
            );
        }
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex_decode("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_decode("0"), None);
        assert_eq!(hex_decode("zz"), None);
    }
}
