//! The journal family run through the engine (`spec/vectors/journals.json`): a journal → the
//! verifier's findings (SPEC.md §15) as the vectors give them, and the check of one case.
//! Shared by the check (`fiscal-core/tests/journal_vectors.rs`, `conformance.rs`) and the
//! generator (`spec/vectorgen`), which includes this file with `#[path]`.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::BTreeSet;

use fiscal_core::{verify_journal, JournalReport, PublicKey, RateTable};
use serde_json::{json, Value};

/// The `schema` of `journals.json`.
pub(crate) const SCHEMA: &str = "fiscal-core-vectors/journal/v1";

/// A report's findings as the vectors give them: a set of (code, document number) pairs.
pub(crate) type Findings = BTreeSet<(String, Option<u64>)>;

/// The (code, number) pairs of a report's findings.
pub(crate) fn findings(report: &JournalReport) -> Findings {
    report
        .findings
        .iter()
        .map(|x| (x.code.as_str().to_string(), x.number))
        .collect()
}

/// Verifies `lines` (joined with LF, no LF after the last) against `authority`, with the
/// vectors' rates (RateTable::azerbaijan).
pub(crate) fn verify(lines: &[&str], authority: &PublicKey) -> JournalReport {
    verify_journal(&lines.join("\n"), authority, &RateTable::azerbaijan())
}

/// Checks one journal case (`t`, of test group `g`) against the engine: a valid journal has
/// no finding and the expected counts; a tampered one exactly the listed findings and codes.
pub(crate) fn check_journal_case(g: &Value, t: &Value) -> Result<(), String> {
    let authority =
        PublicKey::from_sec1(&hex::decode(g["authorityPublicKey"].as_str().unwrap()).unwrap())
            .unwrap();
    let lines: Vec<&str> = t["input"]["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let report = verify(&lines, &authority);
    let found = findings(&report);
    if t["result"] == "valid" {
        let e = &t["expected"];
        if !report.is_valid() || !found.is_empty() {
            return Err(format!("a genuine journal has findings: {found:?}"));
        }
        if e["documents"] != report.documents || e["receipts"] != report.receipts {
            return Err(format!(
                "counts {} / {}, expected {e}",
                report.documents, report.receipts
            ));
        }
        return Ok(());
    }
    let want: Findings = t["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap().to_string(),
                x["number"].as_u64(),
            )
        })
        .collect();
    if found != want {
        return Err(format!("findings {found:?}, expected {want:?}"));
    }
    let codes: BTreeSet<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    if json!(codes) != t["errors"] {
        return Err(format!("errors {}, got {codes:?}", t["errors"]));
    }
    Ok(())
}
