//! The journal verifier's rules beyond signatures (SPEC.md §15.2): numbering, chain, time,
//! shifts, Z-reports, revalidation, references. Documents are decoded from arbitrary canonical
//! bytes and handed over as if their signatures had been checked (`internal::add_checked`, the bindings'
//! parallel path) — what a dishonest owner holding the device key can feed the verifier, or
//! anyone with a self-made certificate the verifier reports but keeps reading. Never a panic.
//!
//! Input: documents, each a 2-byte little-endian length and that many bytes of postcard body
//! (the document tag is added).
#![no_main]

use fiscal_core::internal::{self, DOCUMENT_TAG};
use fiscal_core::{Certificate, Document, JournalVerification, RateTable, Signature};
use fiscal_core_fuzz::genuine;
use fiscal_core_fuzz::ops::authority;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let rates = RateTable::azerbaijan();
    let (lines, _) = genuine();
    let certificate = Certificate::from_journal_line(&lines[0]).unwrap();
    let mut v = JournalVerification::new(&authority().public_key(), &rates)
        .certificate(&certificate)
        .start();
    let mut rest = data;
    let mut count = 0;
    while rest.len() >= 2 && count < 64 {
        let len = usize::from(u16::from_le_bytes([rest[0], rest[1]]));
        let end = (2 + len).min(rest.len());
        let body = &rest[2..end];
        rest = &rest[end..];
        let bytes = [DOCUMENT_TAG, body].concat();
        if let Ok(doc) = Document::from_parts(&bytes, Signature([0; 64]), fiscal_core::NoncePoint([0; 64])) {
            internal::add_checked(&mut v, &doc, true);
            count += 1;
        }
    }
    let _ = v.finish();
});
