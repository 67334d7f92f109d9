//! # fiscal-core
//!
//! The engine of Azerbaijan's online cash registers (e-kassa): money, VAT and simplified-tax
//! math, and validated requests for every document a kassa forms. Pure: no I/O, no clock, no
//! global state. The normative text is `spec/SPEC.md`; rule IDs (RC-05, …) refer to
//! `spec/RULES.md`.
//!
//! ```
//! use fiscal_core::{CivilDate, RateTable, Request, ValidationContext};
//!
//! let rates = RateTable::azerbaijan();
//! let ctx = ValidationContext { rates: &rates, date: CivilDate::new(2026, 11, 23).unwrap() };
//! let json = r#"{"doc_type": "sale", "data": {
//!     "cashier": "Aysel Məmmədova",
//!     "items": [{"itemName": "Çörək", "itemQuantity": 2, "itemPrice": 0.60, "itemVatPercent": 18}],
//!     "cashSum": 1.20, "incomingSum": 2.00}}"#;
//! let request = Request::from_json(json, &ctx).unwrap();
//! let body = request.body().unwrap();
//! assert_eq!(body.totals().total().to_string(), "1.20");
//! assert_eq!(body.totals().tax_total().to_string(), "0.18"); // 1.20 × 18/118 = 0.183…
//! assert_eq!(body.payments().change.to_string(), "0.80");
//! ```
//!
//! A device ([`Device`]) issues signed documents; a journal of them is checked with
// The links only where their items are (feature `json`): the documentation of a build without
// it links nothing missing.
#![cfg_attr(
    feature = "json",
    doc = "[`verify_journal`], or with [`JournalVerification`] for its options (a known certificate,"
)]
#![cfg_attr(
    not(feature = "json"),
    doc = "`verify_journal`, or with `JournalVerification` (feature `json`) for its options (a known certificate,"
)]
//! worker threads, two-pass low memory; text, lines, a reader or one line at a time). Sizes
//! and durations are in [`limits`]; printable receipts in [`render`]; the QR code in [`qr`].
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

// The public API, each item at one path (issue #15). Modules are private; what a user needs is
// re-exported here, and the namespaces below (`limits`, `qr`, `render`, `describe`) are the only
// public modules. `internal` holds hooks for the fuzz targets, benches and tests: not API.
//
// The device, what it is given and what it gives back (SPEC.md §14):
pub use device::{Device, DeviceState, IssueOptions, Issued, Status, Warning};
// Requests (SPEC.md §7): drafts, validated requests and their parts.
pub use receipt::{
    Adjustment, CancelRequest, CashRequest, CodeType, CorrectionRequest, CreditPaymentRequest,
    Department, DocType, ItemCode, Line, LineDraft, Payments, ReceiptBody, Request, RequestDraft,
    ReturnOf, ReturnRequest, SaleRequest, Totals, Unit, ValidationContext, VatAmountDraft,
};
// Fiscal documents and the device's certificate (SPEC.md §12, §13).
pub use certificate::{Certificate, CertificateBody, Validity};
pub use document::{Content, Document, DocumentBody, FiscalId, KindTotals, ShiftReport, Voided};
// Keys and signatures.
pub use crypto::{KeyError, NoncePoint, PrivateKey, PublicKey, Signature};
// Amounts, rates and taxes (SPEC.md §3, §5).
pub use money::{Amount, Percent, Quantity, UnitPrice, ValueError};
pub use tax::{
    RateEntry, RateLookupError, RateTable, TaxCategory, TaxGroup, TaxGroupKey, TaxKind,
    TaxTreatment,
};
// Time, in Baku's zone (SPEC.md §6).
pub use time::{CivilDate, DateError, Timestamp, AZ_UTC_OFFSET_SECONDS};
// Errors: one type, a stable code for each (SPEC.md §9).
pub use error::{Error, ErrorCategory, ErrorCode, MessageLanguage, Problem, Problems};
// Text: the characters a printed field may hold.
pub use text::is_allowed_char;
// Verification (SPEC.md §15): one document; a journal with `verify_journal`, or with the
// options of `JournalVerification` (a known certificate, workers, low memory; text, lines, a
// reader or one line at a time).
#[cfg(feature = "json")]
pub use verify::{
    journal_lines, verify_document, verify_journal, Finding, JournalReport, JournalVerification,
    JournalVerifier,
};
// Namespaces: `limits` (every size a caller controls), `qr` (the QR payload and code),
// `render` (printable receipts), `describe` (the JSON description of every output).

mod certificate;
mod crypto;
#[cfg(feature = "json")]
pub mod describe;
mod device;
pub mod dialect;
mod document;
mod error;
mod hex_text;
mod ledger;
mod money;
pub mod qr;
mod receipt;
pub mod render;
#[cfg(feature = "json")]
mod strict_json;
mod tax;
mod text;
mod time;
#[cfg(feature = "json")]
mod verify;

/// Every size and duration a caller controls or meets, in one place (SPEC.md §4.1).
pub mod limits {
    pub use crate::certificate::{EXPIRY_WARNING_MS, MAX_VALIDITY_MS};
    pub use crate::device::{
        MAX_AFTER_EXPIRY_MS, MAX_OFFLINE_MS, MAX_PENDING, MAX_PIN_ATTEMPTS, MAX_SHIFT_MS,
        STATE_VERSION,
    };
    pub use crate::document::MAX_JOURNAL_LINE;
    pub use crate::ledger::MAX_LEDGER_ENTRIES;
    pub use crate::receipt::{
        MAX_CASHIER, MAX_ITEM_NAME, MAX_LINES, MAX_REFERENCES, MAX_REFERENCES_BYTES, MAX_SHORT_TEXT,
    };
    #[cfg(feature = "json")]
    pub use crate::receipt::{MAX_REQUEST_BYTES, MAX_VAT_AMOUNTS};
    pub use crate::text::{MAX_ITEM_CODE, MAX_REFERENCE};
    #[cfg(feature = "json")]
    pub use crate::verify::{MAX_FINDINGS, RECENT_IDS};
}

/// Hooks for this repository's fuzz targets, benches and tests. **Not API**: anything here may
/// change or go in any release, without notice; nothing here is needed to use the engine.
#[doc(hidden)]
pub mod internal {
    pub use crate::certificate::CERTIFICATE_TAG;
    pub use crate::crypto::{sha256, VERIFY_PROVIDER};

    /// Whether each (hash, r ‖ s, nonce point) is `key`'s signature, checked in one batch
    /// (SPEC.md §13.2): what the fuzz target `batch_verify` compares with one-by-one checks.
    pub fn verify_batch(
        key: &crate::PublicKey,
        signatures: &[([u8; 32], crate::Signature, crate::NoncePoint)],
    ) -> alloc::vec::Vec<bool> {
        crate::crypto::verify_batch(key, signatures)
    }
    pub use crate::document::{DOCUMENT_TAG, FISCAL_ID_TAG, SHORT_ID_LEN};
    pub use crate::tax::{compute as compute_tax, TaxBreakdown, TaxLine};
    #[cfg(all(feature = "json", feature = "std"))]
    pub use crate::verify::referenced_receipts;
    #[cfg(feature = "json")]
    pub use crate::verify::{LinePreparer, PreparedLine, ReferencedReceipts};

    #[cfg(feature = "json")]
    use crate::{Document, JournalVerifier, PublicKey};

    /// `Request::from_json`'s common case alone (issue #19): `None` where it leaves the text to
    /// the full reader, else the outcome it gives, which must be [`read_request_full`]'s.
    #[cfg(feature = "json")]
    pub fn read_request_typed(
        text: &str,
        context: &crate::ValidationContext<'_>,
    ) -> Option<Result<crate::Request, crate::Error>> {
        crate::dialect::read_document_typed(text, context)
    }

    /// `Request::from_json` through the full reader alone (every dialect, every problem).
    #[cfg(feature = "json")]
    pub fn read_request_full(
        text: &str,
        context: &crate::ValidationContext<'_>,
    ) -> Result<crate::Request, crate::Error> {
        crate::dialect::read_document_full(text, context)
    }

    /// The typed reader's draft (issue #19): `None` where it leaves the text to the full
    /// reader; else the draft `RequestDraft::from_json` gives, with no problem.
    #[cfg(feature = "json")]
    pub fn read_draft_typed(text: &str) -> Option<crate::RequestDraft> {
        crate::receipt::read_typed(text)
    }

    /// [`JournalVerifier::add_document`] for a document whose signature was already checked
    /// against [`device_key`] (`signature_valid`), e.g. on another core: what the fuzz target
    /// `verifier_semantics` feeds arbitrary documents through.
    #[cfg(feature = "json")]
    pub fn add_checked(verifier: &mut JournalVerifier<'_>, doc: &Document, signature_valid: bool) {
        verifier.add_checked(doc, signature_valid);
    }

    /// The device key documents must be signed with, once the verifier knows the certificate.
    #[cfg(feature = "json")]
    pub fn device_key(verifier: &JournalVerifier<'_>) -> Option<PublicKey> {
        verifier.device_key()
    }

    /// A preparer for the lines that follow (the verifier's key and rates), for any thread.
    #[cfg(feature = "json")]
    pub fn preparer<'a>(verifier: &JournalVerifier<'a>) -> LinePreparer<'a> {
        verifier.preparer()
    }

    /// Takes one line prepared by a [`LinePreparer`], in journal order.
    #[cfg(feature = "json")]
    pub fn add_prepared(verifier: &mut JournalVerifier<'_>, prepared: PreparedLine<'_>) {
        verifier.add_prepared(prepared);
    }
}

/// The README's Rust example, compiled and run as a doctest so it cannot go stale.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
