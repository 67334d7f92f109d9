//! Certificates (SPEC.md §12): canonical bytes, JSON form and journal line. Never a panic — also
//! not when an unverified certificate is asked about its validity, as the journal verifier does.
#![no_main]

use fiscal_core::{Certificate, PrivateKey, Timestamp};
use libfuzzer_sys::fuzz_target;

fn exercise(c: &Certificate) {
    let bytes = c.to_bytes();
    assert_eq!(&Certificate::from_bytes(&bytes).unwrap(), c);
    assert_eq!(&Certificate::from_json(&c.to_json()).unwrap(), c);
    assert_eq!(
        &Certificate::from_journal_line(&c.to_journal_line()).unwrap(),
        c
    );
    let _ = c.hash();
    let authority = PrivateKey::from_seed(b"fiscal-core robustness authority").public_key();
    let _ = c.verify(&authority);
    let b = c.body();
    for t in [
        b.valid_from.millis(),
        b.valid_until.millis(),
        b.valid_until.millis().saturating_sub(1),
        0,
    ] {
        let _ = c.validity_at(Timestamp(t));
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Certificate::from_bytes(data) {
        exercise(&c);
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(c) = Certificate::from_json(&text) {
        exercise(&c);
    }
    if let Ok(c) = Certificate::from_journal_line(&text) {
        exercise(&c);
    }
});
