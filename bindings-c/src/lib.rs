//! # fiscal-core C ABI
//!
//! Rules, as rustls-ffi writes them down:
//! - every fallible function returns an `fc_status`; 0 is success, 1–99 concern the boundary
//!   itself, 100 and up are the engine's stable error codes (SPEC.md §9);
//! - outputs go through out-parameters, written only on success unless a function says
//!   otherwise; every object handed out has a `_free` function and `_free(NULL)` does nothing;
//! - every pointer is NULL-checked; text is UTF-8 and NUL-terminated;
//! - no panic crosses the boundary: it becomes `FC_STATUS_PANIC`;
//! - handles (devices, buffers) are opaque numbers in tables of slots with generations
//!   (`boundary.rs`), never pointers into memory: a freed or foreign handle is
//!   `FC_STATUS_INVALID_HANDLE`; calls on one device handle from several threads are serialized
//!   by a mutex per device; different handles and the functions without a handle run in
//!   parallel. Those tables are the only global state, and they are this crate's: the engine
//!   keeps none.
//!
//! Requests, documents, reports and certificates cross as UTF-8 JSON in the spec's format; a
//! document is its journal line (SPEC.md §13.5); raw canonical bytes are there too.
// The C boundary is unsafe by nature: raw pointers from C. Each unsafe block relies on the
// caller's documented contract (valid pointers and lengths).
#![allow(unsafe_code)]
#![allow(clippy::missing_safety_doc)] // every function's doc has a "Safety" paragraph in prose

// One module per C type or family of functions, in the order of the header (cbindgen reads
// this file's items first, then the modules in the order declared here). Public, so that the
// `extern "C"` functions in them are reachable.

// `fc_status` and `fc_status_name`.
pub mod status;

// `fc_buffer`: what out-parameters hand out, and `fc_buffer_free`.
pub mod buffer;

// `fc_key_from_seed`, `fc_public_key`; authority keys in hex.
pub mod keys;

// `fc_certificate_*`.
pub mod certificate;

// `fc_request_validate`.
pub mod request;

// `fc_device`: the handle and every `fc_device_*` function.
pub mod device;

// `fc_document_*`, and the JSON a document is described by.
pub mod document;

// `fc_verify_document`, `fc_verify_journal`.
pub mod verify;

// `fc_qr_*`.
pub mod qr;

// The panic boundary, handle and argument checks every function goes through; `fc_test_panic`.
pub mod boundary;

// The last error on a device handle, and the error JSON.
mod error;

use std::ffi::c_char;

pub use buffer::FcBuffer;
pub use device::FcDevice;
pub use status::FcStatus;

/// The library's version, e.g. "0.1.0". Static: do not free. Thread-safe.
#[no_mangle]
pub extern "C" fn fc_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
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
}
