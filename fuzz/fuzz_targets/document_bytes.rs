//! Canonical document bytes (SPEC.md §13.1): `Document::from_parts` never panics, and what it
//! accepts is canonical (re-encodes to the same bytes: one document, one encoding).
#![no_main]

use fiscal_core::internal::DOCUMENT_TAG;
use fiscal_core::{Document, NoncePoint, Signature};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // First byte odd: the input is the postcard body and gets the tag; even: taken as is.
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode & 1 == 1 {
        [DOCUMENT_TAG, rest].concat()
    } else {
        rest.to_vec()
    };
    // r = R.x mod n, as a journal line gives it (SPEC.md §13.2), so that the line reads back.
    let nonce = NoncePoint([mode; 64]);
    let mut rs = [mode; 64];
    rs[..32].copy_from_slice(&nonce.r());
    if let Ok(doc) = Document::from_parts(&bytes, Signature(rs), nonce) {
        assert_eq!(doc.signed_bytes(), bytes.as_slice());
        assert_eq!(
            doc.body().signed_bytes(),
            bytes,
            "accepted a non-canonical encoding"
        );
        let line = doc.to_journal_line();
        assert_eq!(Document::from_journal_line(&line).unwrap(), doc);
        let _ = doc.body().content.name();
    }
});
