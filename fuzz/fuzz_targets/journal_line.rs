//! Journal lines (SPEC.md §13.5): document and certificate lines. Never a panic; a line that
//! reads is the document (certificate) it says, and writing it back reads the same.
#![no_main]

use fiscal_core::{Certificate, Document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(doc) = Document::from_journal_line(&text) {
        let line = doc.to_journal_line();
        assert_eq!(Document::from_journal_line(&line).unwrap(), doc);
        assert_eq!(
            Document::from_parts(doc.signed_bytes(), *doc.signature(), *doc.nonce_point()).unwrap(),
            doc
        );
        assert_eq!(doc.signed_bytes(), doc.body().signed_bytes().as_slice());
    }
    if let Ok(cert) = Certificate::from_journal_line(&text) {
        let line = cert.to_journal_line();
        assert_eq!(Certificate::from_journal_line(&line).unwrap(), cert);
    }
});
