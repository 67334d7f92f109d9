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
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod certificate;
pub mod crypto;
#[cfg(feature = "json")]
pub mod describe;
pub mod device;
pub mod document;
mod error;
mod ledger;
pub mod money;
pub mod qr;
pub mod receipt;
pub mod render;
#[cfg(feature = "json")]
mod strict_json;
pub mod tax;
mod text;
mod time;
#[cfg(feature = "json")]
pub mod verify;

pub use certificate::{Certificate, CertificateBody, Validity};
pub use crypto::{PrivateKey, PublicKey, Signature};
pub use device::{Device, DeviceState, IssueOptions, Issued, Status, Warning};
pub use document::{Content, Document, DocumentBody, FiscalId, KindTotals, ShiftReport, Voided};
pub use error::{Error, ErrorCategory, ErrorCode, Problem, Problems};
pub use money::{Amount, Percent, Quantity, UnitPrice, ValueError};
pub use receipt::{
    Adjustment, CodeType, DocType, Line, LineDraft, Payments, ReceiptBody, Request, RequestDraft,
    ReturnOf, Totals, Unit, ValidationContext, VatAmountDraft,
};
pub use tax::{RateEntry, RateTable, TaxCategory, TaxGroup, TaxGroupKey, TaxKind, TaxTreatment};
pub use text::is_allowed_char;

/// Every size a caller controls, in one place (SPEC.md §4.1).
pub mod limits {
    pub use crate::document::MAX_JOURNAL_LINE;
    pub use crate::ledger::MAX_LEDGER_ENTRIES;
    pub use crate::receipt::{
        MAX_CASHIER, MAX_ITEM_NAME, MAX_LINES, MAX_REFERENCES, MAX_SHORT_TEXT,
    };
    #[cfg(feature = "json")]
    pub use crate::receipt::{MAX_REQUEST_BYTES, MAX_VAT_AMOUNTS};
    pub use crate::text::{MAX_ITEM_CODE, MAX_REFERENCE};
}
pub use time::{CivilDate, DateError, Timestamp, AZ_UTC_OFFSET_SECONDS};
#[cfg(all(feature = "json", feature = "std"))]
pub use verify::{
    referenced_receipts, verify_journal_parallel, verify_journal_reader, verify_journal_reader_with,
};
#[cfg(feature = "json")]
pub use verify::{
    verify_document, verify_journal, verify_journal_with_certificate, Finding, JournalReport,
    JournalVerifier, LinePreparer, PreparedLine, ReferencedReceipts,
};

/// The README's Rust example, compiled and run as a doctest so it cannot go stale.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
