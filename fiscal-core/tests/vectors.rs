//! The conformance vectors of the math family (`spec/vectors/math.json`, spec/README.md):
//! request → line totals and taxes, groups, counted groups, `sum`, change, `vatAmounts`, or the
//! error codes. This test runs every vector in the file against the engine. The file is written
//! by `cargo run -p fiscal-core-vectorgen -- --write` (spec/vectorgen); `spec/tools/harness/check_vectors.py`
//! then checks every expected number with the independent Python reference, so the suite does
//! not just bless the engine's output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

#[path = "common/vectors/math.rs"]
mod math;
use math::{error_codes, expected, validate, DATE};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/math.json");

#[test]
fn every_math_vector_passes_against_the_engine() {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("spec/vectors/math.json"))
            .unwrap();
    let mut ids = std::collections::BTreeSet::new();
    let mut count = 0;
    for group in vectors["testGroups"].as_array().unwrap() {
        assert_eq!(group["date"], DATE);
        for t in group["tests"].as_array().unwrap() {
            count += 1;
            let id = t["tcId"].as_u64().unwrap();
            assert!(ids.insert(id), "tcId {id} twice");
            assert!(
                !t["rules"].as_array().unwrap().is_empty(),
                "tcId {id} cites no rule"
            );
            match (t["result"].as_str().unwrap(), validate(&t["input"])) {
                ("valid", Ok(r)) => {
                    assert_eq!(expected(&r), t["expected"], "tcId {id}: {}", t["comment"])
                }
                ("invalid", Err(e)) => {
                    assert_eq!(error_codes(&e), t["errors"], "tcId {id}: {}", t["comment"]);
                }
                (want, got) => panic!(
                    "tcId {id} ({}): wanted {want}, got {:?}",
                    t["comment"],
                    got.map(|r| r.doc_type())
                ),
            }
        }
    }
    assert!(count >= 300, "only {count} vectors");
}
