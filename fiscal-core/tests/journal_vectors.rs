//! The conformance vectors of the encoding and journal families (`spec/vectors/encoding.json`,
//! `spec/vectors/journals.json`; spec/README.md, issue #6):
//!
//! - encoding: a document body in the structured JSON form of SPEC.md §13.6 → its canonical
//!   bytes, SHA-256, deterministic low-S signature, fiscal ID, short ID, QR payload and journal
//!   line; and journal lines a reader must refuse (`invalid_document`, `wrong_fiscal_id`,
//!   `bad_signature`); the same for certificates (§12);
//! - journal: a journal (certificate line first, SPEC.md §13.5) → the verifier's findings
//!   (§15), or for a good journal its counts.
//!
//! This test runs every vector in the two files against the engine. The files are written by
//! `cargo run -p fiscal-core-vectorgen -- --write` (spec/vectorgen: the engine's device makes
//! the journals, which are then tampered with as an attacker would);
//! `spec/tools/references/check_encoding.py` re-derives every valid encoding vector
//! independently.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/vectors/encoding.rs"]
mod encoding;
#[path = "common/vectors/journal.rs"]
mod journal;

use std::collections::BTreeSet;

use serde_json::Value;

const ENCODING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/encoding.json");
const JOURNALS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/journals.json");

/// Every (test group, test) of a vector file.
fn tests_of(path: &str) -> Vec<(Value, Value)> {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")),
    )
    .unwrap();
    v["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |t| (g.clone(), t.clone()))
        })
        .collect()
}

#[test]
fn every_encoding_vector_holds_against_the_engine() {
    let (mut valid, mut invalid) = (0, 0);
    let mut ids = BTreeSet::new();
    for (g, t) in tests_of(ENCODING) {
        let id = t["tcId"].as_u64().unwrap();
        assert!(ids.insert(id), "tcId {id} twice");
        if encoding::check_encoding_case(&g, &t) {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(
        valid >= 40 && invalid >= 20 && valid + invalid >= 60,
        "{valid} + {invalid}"
    );
}

#[test]
fn every_journal_vector_holds_against_the_engine() {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(JOURNALS).unwrap()).unwrap();
    assert_eq!(file["schema"], journal::SCHEMA);
    let mut ids = BTreeSet::new();
    let mut count = 0;
    for (g, t) in tests_of(JOURNALS) {
        count += 1;
        let id = t["tcId"].as_u64().unwrap();
        assert!(ids.insert(id), "tcId {id} twice");
        if let Err(why) = journal::check_journal_case(&g, &t) {
            panic!("tcId {id} ({}): {why}", t["comment"]);
        }
    }
    assert!(count >= 60, "only {count} journal vectors");
}
