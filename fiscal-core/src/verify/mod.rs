//! Verification of one document and of a whole journal (SPEC.md §15).
//!
//! The journal verifier reads a device's documents in order (JSON Lines, one per line) and
//! reports every break with its rule: bad signatures, wrong fiscal IDs, altered, missing,
//! duplicated or reordered documents, a broken chain, time going backwards, receipts outside a
//! shift, Z-reports that do not match their shift, references to unknown receipts, returns
//! above the sale and instalments above the debt. It streams: feed lines one by one.
//!
//! The work splits in two (issue #10). What each line needs on its own — JSON, hex, the body,
//! the canonical-bytes check, the fiscal ID, the signature and the re-validation of a receipt —
//! is [`LinePreparer::prepare`], which any thread may run; what depends on the lines before —
//! numbering, chain, time, shifts, counters, references — is `JournalVerifier::add_prepared`,
//! in journal order, and costs a few microseconds. [`JournalVerification`] with workers
//! (feature `std`) runs the first part on worker threads.
//!
//! A journal has one spelling (SPEC.md §13.5): lines end with LF ([`journal_lines`]), and a CR
//! at the end of a line, an empty line or a line of only whitespace is a `noncanonical_line`
//! finding, the line being otherwise read without that CR. A journal without a document is an
//! `empty_journal` finding. The report also says what the journal's completeness can be
//! checked against (SPEC.md §15.3): its last signed document and last shift.
//!
//! Memory does not grow with the journal except for the index of receipts that later documents
//! may reference (returns, cancels, instalments, advances: RC-17, RC-18 set no time limit on
//! returns): 56 bytes a receipt (the 32-byte fiscal ID and a 24-byte record; a credit and a
//! prepayment kept apart, only for the receipts that have one), about 100 with the tree's free
//! slots (1,000,989 documents: 108 MB at the peak), or only the receipts something refers to in
//! the low-memory mode. The fiscal IDs kept for the chain and for recognizing duplicates are
//! those of the last [`RECENT_IDS`] numbers; the findings kept are the first [`MAX_FINDINGS`],
//! and the rest are counted.
//
// Layout: `builder` (the options and the input: `JournalVerification`), `report` (what a
// verification finds), `line` (reading and preparing a journal line on its own), `index` (the receipts later documents may refer to), `verifier` (the
// checks that depend on the lines before, in journal order) and, with feature `std`,
// `parallel` (the thread pipeline).

use crate::certificate::Certificate;
use crate::crypto::PublicKey;
use crate::document::{Content, Document};
use crate::error::Error;
use crate::tax::RateTable;

mod builder;
mod index;
mod line;
#[cfg(feature = "std")]
mod parallel;
mod report;
#[cfg(test)]
mod tests;
mod verifier;

pub use builder::JournalVerification;
pub use index::ReferencedReceipts;
pub use line::{journal_lines, LinePreparer, PreparedLine};
#[cfg(feature = "std")]
pub use parallel::referenced_receipts;
pub use report::{Finding, JournalReport, MAX_FINDINGS};
pub use verifier::{JournalVerifier, RECENT_IDS};

/// Verifies one document against its certificate (and the certificate against the
/// authority): signature (NM-11) and validity at the document's time (NM-08).
pub fn verify_document(
    document: &Document,
    certificate: &Certificate,
    authority: &PublicKey,
) -> Result<(), Error> {
    certificate.verify(authority)?;
    if !document.verify(&certificate.body().device_key) {
        return Err(Error::BadSignature {
            number: document.number(),
        });
    }

    match document.body().content {
        // Closing and decommissioning stay possible after expiry (SPEC.md §14.3).
        Content::ZReport(_) | Content::Decommission => Ok(()),
        _ => certificate.validity_at(document.body().time).map(|_| ()),
    }
}

/// Verifies a self-contained journal (JSON Lines, the certificate line first: §13.5), its
/// lines as [`journal_lines`] splits them: [`JournalVerification`] with its defaults (one
/// pass, on the calling thread), which has the other options.
pub fn verify_journal(text: &str, authority: &PublicKey, rates: &RateTable) -> JournalReport {
    JournalVerification::new(authority, rates).verify_text(text)
}
