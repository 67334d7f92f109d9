//! The conformance vectors of the scenario family (`spec/vectors/scenarios.json`, spec/README.md):
//! a device's sequence of timed operations → each document it issues or each refusal (shifts,
//! numbering, the 24-hour shift, the offline limits, certificate expiry, the PIN, returns,
//! cancels, advances, credit instalments, cash documents, X- and Z-reports, decommission).
//!
//! This test runs every scenario in the file against the engine and compares every step. The
//! file is written by `cargo run -p fiscal-core-vectorgen -- --write` (spec/vectorgen);
//! `spec/tools/references/reference_device.py` then recomputes every expected value except the
//! fiscal IDs (an independent model of SPEC.md §14 in Python's standard library), so the suite
//! does not simply bless the engine's output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

#[path = "common/vectors/scenario.rs"]
mod scenario;
use scenario::{run, SCHEMA};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../spec/vectors/scenarios.json"
);

#[test]
fn every_scenario_passes_against_the_engine() {
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("spec/vectors/scenarios.json"))
            .unwrap();
    assert_eq!(vectors["schema"], SCHEMA);
    let mut ids = std::collections::BTreeSet::new();
    let mut count = 0;
    for group in vectors["testGroups"].as_array().unwrap() {
        assert_eq!(group["type"], "ScenarioTest");
        for t in group["tests"].as_array().unwrap() {
            count += 1;
            let id = t["tcId"].as_u64().unwrap();
            assert!(ids.insert(id), "tcId {id} twice");
            assert!(
                !t["rules"].as_array().unwrap().is_empty(),
                "tcId {id} cites no rule"
            );
            assert_eq!(t["result"], "valid");
            let got = run(&group["device"], &t["input"]);
            let want = &t["expected"];
            let (g, w) = (
                got["steps"].as_array().unwrap(),
                want["steps"].as_array().unwrap(),
            );
            assert_eq!(g.len(), w.len(), "tcId {id}: number of steps");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                assert_eq!(g, w, "tcId {id} ({}), step {}", t["comment"], i + 1);
            }
        }
    }
    assert!(count >= 40, "only {count} scenarios");
    numbers_without_gaps(&vectors);
}

/// The format's own promises, checked on the file: numbers without gaps in every scenario,
/// fiscal IDs 64 lowercase hex characters, all distinct within a scenario.
fn numbers_without_gaps(vectors: &Value) {
    for t in vectors["testGroups"][0]["tests"].as_array().unwrap() {
        let mut next = 1;
        let mut seen = std::collections::BTreeSet::new();
        for s in t["expected"]["steps"].as_array().unwrap() {
            if s["result"] == "document" {
                assert_eq!(s["number"], next, "tcId {}", t["tcId"]);
                next += 1;
                let fid = s["fiscalId"].as_str().unwrap();
                assert!(
                    fid.len() == 64
                        && fid
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                    "tcId {}: fiscal ID {fid}",
                    t["tcId"]
                );
                assert!(
                    seen.insert(fid.to_owned()),
                    "tcId {}: fiscal ID twice",
                    t["tcId"]
                );
            }
        }
    }
}
