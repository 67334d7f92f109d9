//! Batch verification gives exactly the findings of one-by-one verification (issue #19,
//! SPEC.md §13.2, §15.2): on every journal vector, and on long journals (more than one batch)
//! tampered at random places in every way a signature line can be — the nonce point negated or
//! off the curve, a bit of R.x or s, another document's signature, the high-S twin, a bit of
//! the body, an R.x that is not a field element — with the ID recomputed as a tamperer would,
//! so that the signature check is what must catch it.
//!
//! One by one is `JournalVerifier::add_line` (each signature checked on its own); the batch
//! paths are every `JournalVerification` input (text, lines, reader) with 0 and 2 workers, in
//! both memory modes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Cursor;

use common::device::*;
use fiscal_core::internal::{sha256, FISCAL_ID_TAG};
use fiscal_core::{journal_lines, Document, JournalReport, JournalVerification, RateTable};
use proptest::prelude::*;
use serde_json::Value;

/// Every way the batch paths read a journal, with the one-by-one report they must equal.
fn check_same(text: &str) -> JournalReport {
    let rates = RateTable::azerbaijan();
    let authority = authority().public_key();
    let base = JournalVerification::new(&authority, &rates);
    let mut one_by_one = base.start();
    for line in journal_lines(text) {
        one_by_one.add_line(line);
    }
    let expected = one_by_one.finish();
    // The batch paths: text on this thread, lines on two workers, and the streaming reader
    // in the low-memory mode on two workers (verify_parallel.rs shows every configuration
    // agrees with these).
    assert_eq!(base.verify_text(text), expected, "text");
    let two = base.clone().workers(2);
    assert_eq!(two.verify_lines(journal_lines(text)), expected, "lines");
    let read = two
        .low_memory(true)
        .verify_reader(Cursor::new(text.as_bytes()), |_| {
            Ok::<(), std::io::Error>(())
        })
        .unwrap();
    assert_eq!(read, expected, "reader, low memory");
    expected
}

#[test]
fn every_journal_vector_gives_the_one_by_one_findings() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/journals.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut cases = 0;
    for g in file["testGroups"].as_array().unwrap() {
        // The vectors are signed under the tests' authority: the same key as here.
        assert_eq!(
            g["authorityPublicKey"],
            hex::encode(authority().public_key().to_sec1())
        );
        for t in g["tests"].as_array().unwrap() {
            let lines: Vec<&str> = t["input"]["journal"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            check_same(&lines.join("\n"));
            cases += 1;
        }
    }
    assert!(cases >= 115, "{cases}");
}

/// A journal of more than one batch (2 048 lines on one thread and a text's chunk on workers,
/// 1 024 a chunk read from a file): six shifts of 350 sales each.
fn long_journal() -> &'static Vec<Document> {
    static DOCS: std::sync::OnceLock<Vec<Document>> = std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        let (mut d, act) = activated();
        let mut docs = vec![act.document];
        let mut t = at(8, 30, 0);
        for _ in 0..6 {
            t = t.plus(60_000);
            docs.push(d.open_shift(t).unwrap().document);
            for i in 0..350 {
                t = t.plus(7_000);
                let price = format!("{}.{:02}", 1 + i % 23, (i * 41) % 100);
                docs.push(issue(&mut d, &sale_json("Çörək", &price), t, &[]));
            }
            t = t.plus(60_000);
            docs.push(d.close_shift(t).unwrap().document);
        }
        docs
    })
}

/// P-256's order n, big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// P-256's field prime p, big-endian.
const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// a − b, 32 bytes big-endian (wrapping).
fn sub(a: &[u8], b: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = d.rem_euclid(256) as u8;
    }
    out
}

/// A line as a tamperer writes it: `bytes` with signature `sig` (R.x ‖ R.y ‖ s), the ID
/// recomputed over r ‖ s with r = R.x mod n (SPEC.md §13.3).
fn line_with(number: u64, bytes: &[u8], sig: &[u8; 96]) -> String {
    let r = if sig[..32] >= N[..] {
        sub(&sig[..32], &N)
    } else {
        sig[..32].try_into().unwrap()
    };
    let id = hex::encode(sha256(&[FISCAL_ID_TAG, bytes, &r, &sig[64..]]));
    format!(
        r#"{{"number":{number},"id":"{id}","body":"{}","signature":"{}"}}"#,
        hex::encode(bytes),
        hex::encode(sig)
    )
}

fn full_sig(doc: &Document) -> [u8; 96] {
    let mut out = [0u8; 96];
    out[..64].copy_from_slice(&doc.nonce_point().0);
    out[64..].copy_from_slice(&doc.signature().0[32..]);
    out
}

/// Tampering `kind` applied to document `at` of `docs` (`other` names another document).
fn tamper(docs: &[Document], at: usize, kind: u8, other: usize, bit: u16) -> String {
    let doc = &docs[at];
    let mut bytes = doc.signed_bytes().to_vec();
    let mut sig = full_sig(doc);
    let negate_r = |sig: &mut [u8; 96]| {
        let y = sub(&P, &sig[32..64]);
        sig[32..64].copy_from_slice(&y);
    };
    match kind % 8 {
        0 => negate_r(&mut sig),
        1 => sig[32 + usize::from(bit % 32)] ^= 1 << (bit % 8),
        2 => sig[64 + usize::from(bit % 32)] ^= 1 << (bit % 8),
        3 => sig[usize::from(bit % 32)] ^= 1 << (bit % 8),
        4 => sig = full_sig(&docs[other]),
        5 => {
            // (−R, n − s): the high-S twin, valid but for the low-S rule.
            let s = sub(&N, &sig[64..]);
            sig[64..].copy_from_slice(&s);
            negate_r(&mut sig);
        }
        6 => {
            let i = 24 + usize::from(bit) % (bytes.len() - 24);
            bytes[i] ^= 1 << (bit % 8);
        }
        // An R.x not below p (p itself, or 2²⁵⁶ − 1): not a field element.
        _ => sig[..32].copy_from_slice(if bit % 2 == 0 { &P } else { &[0xff; 32] }),
    }
    line_with(doc.number(), &bytes, &sig)
}

#[test]
fn a_long_genuine_journal_is_valid_in_every_path() {
    let docs = long_journal();
    let mut lines = vec![certificate().to_journal_line()];
    lines.extend(docs.iter().map(Document::to_journal_line));
    let report = check_same(&lines.join("\n"));
    assert!(report.is_valid(), "{:?}", report.findings);
    assert_eq!(report.documents, docs.len() as u64);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Up to eight tamperings at random places: the batch finds exactly what one by one finds,
    /// and every tampered signature line is reported at its document.
    #[test]
    fn tampered_long_journals_give_the_one_by_one_findings(
        edits in proptest::collection::vec((1usize..2113, any::<u8>(), 0usize..2113, any::<u16>()), 1..8),
    ) {
        let docs = long_journal();
        let mut lines = vec![certificate().to_journal_line()];
        lines.extend(docs.iter().map(Document::to_journal_line));
        let mut last_kind = std::collections::BTreeMap::new();
        for (at, kind, other, bit) in edits {
            let (at, other) = (at % docs.len(), other % docs.len());
            if at == other && kind % 8 == 4 {
                continue;
            }
            lines[at + 1] = tamper(docs, at, kind, other, bit);
            last_kind.insert(docs[at].number(), kind % 8);
        }
        let report = check_same(&lines.join("\n"));
        prop_assert!(last_kind.is_empty() || !report.is_valid());
        // A signature-only tampering leaves a readable line: its finding names the document
        // (a changed body may not read as a document at all).
        for (n, _) in last_kind.into_iter().filter(|(_, k)| *k != 6) {
            prop_assert!(
                report.findings.iter().any(|f| f.number == Some(n)),
                "document {n} tampered but not reported: {:?}",
                report.findings
            );
        }
    }
}
