//! The journal family (`spec/vectors/journals.json`): a journal (certificate line first, SPEC.md
//! §13.5) → the verifier's findings (§15), or for a good journal its counts and last document.
//!
//! Every journal is made by the engine's own device (`Device`, [`genuine`]), then tampered with
//! as an attacker would ([`forge`]): lines removed, reordered, duplicated or altered; documents
//! re-signed with another key, or with the device key by a dishonest owner so that only a
//! semantic check catches them. Each tampered case names the findings it must produce (worked
//! out by hand, in [`cases`], [`ledger`] and [`spelling`]); the generator fails if the engine
//! does not report them, and records every finding the engine reports. Cases whose findings are
//! not only the named ones are flagged `cascade`.
#![allow(clippy::cloned_ref_to_slice_refs)]

mod cases;
pub(crate) mod forge;
pub(crate) mod genuine;
mod ledger;
mod spelling;

use std::collections::BTreeSet;

use fiscal_core::Document;
use serde_json::{json, Value};

use crate::engine::device::authority;
use crate::engine::encoding::AUTHORITY_SEED;
use crate::engine::journal::{self, findings, verify};
use crate::engine::tc_ids::check_tc_ids;

/// (code, document number) pairs, in order.
pub(crate) type Found = Vec<(String, Option<u64>)>;

/// One journal case: its tcId, what it shows, the rules it cites, its flags and the journal.
pub(crate) struct JCase {
    pub(crate) id: u64,
    pub(crate) comment: String,
    pub(crate) rules: Vec<&'static str>,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) journal: Vec<String>,
    /// The findings worked out by hand: all of them (`exact`) or the ones that must be among
    /// the engine's (`cascade`). Empty for a valid journal.
    pub(crate) must: Found,
    pub(crate) exact: bool,
}

/// One finding worked out by hand.
pub(crate) fn f(code: &str, n: Option<u64>) -> (String, Option<u64>) {
    (code.to_string(), n)
}

/// The engine's report on a journal, and its (code, number) pairs in order.
pub(crate) fn findings_of(journal: &[String]) -> (fiscal_core::JournalReport, Found) {
    let lines: Vec<&str> = journal.iter().map(String::as_str).collect();
    let report = verify(&lines, &authority().public_key());
    let set = findings(&report);
    (report, set.into_iter().collect())
}

/// The whole of `journals.json`.
pub(crate) fn journal_file() -> Value {
    let cases = cases::all();
    let mut tests = Vec::new();
    check_tc_ids("journal", cases.iter().map(|c| (c.id, c.comment.as_str())));
    for c in cases {
        let (report, found) = findings_of(&c.journal);
        let id = c.id;
        let mut t = json!({"tcId": id, "comment": c.comment, "rules": c.rules, "flags": c.flags, "input": {"journal": c.journal}});
        if c.must.is_empty() {
            assert!(
                report.is_valid(),
                "tcId {id} ({}): {:#?}",
                t["comment"],
                report.findings
            );
            let last = c
                .journal
                .last()
                .and_then(|l| Document::from_journal_line(l).ok())
                .unwrap();
            t["result"] = json!("valid");
            t["expected"] = json!({
                "documents": report.documents, "receipts": report.receipts,
                "lastNumber": last.number(), "lastFiscalId": last.id().long(),
            });
        } else {
            let must: BTreeSet<_> = c.must.iter().cloned().collect();
            let got: BTreeSet<_> = found.iter().cloned().collect();
            if c.exact {
                assert_eq!(
                    got, must,
                    "tcId {id} ({}): {:#?}",
                    t["comment"], report.findings
                );
                assert!(!c.flags.contains(&"cascade"));
            } else {
                assert!(
                    must.is_subset(&got),
                    "tcId {id} ({}): wanted {must:?} among {:#?}",
                    t["comment"],
                    report.findings
                );
                assert!(
                    c.flags.contains(&"cascade") && got != must,
                    "tcId {id}: not a cascade"
                );
            }
            let codes: BTreeSet<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
            t["result"] = json!("invalid");
            t["errors"] = json!(codes);
            t["findings"] = Value::Array(
                found
                    .iter()
                    .map(|(c, n)| json!({"code": c, "number": n}))
                    .collect(),
            );
        }
        tests.push(t);
    }
    json!({
        "schema": journal::SCHEMA,
        "schemaFile": "schemas/journal.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md §12–§15",
        "comment": "A journal (JSON Lines of SPEC.md §13.5, the certificate line first; given as an array of lines, joined with LF and no LF after the last, so a line given with a CR at its end ends with CRLF) → what a verifier (§15.2) reports. A good journal: result valid, expected = documents read, receipts among them (sale, return, cancel, advance, credit payment), the last document's number and fiscal ID. A tampered one: result invalid, errors = the finding codes (§9, as a set), findings = every (code, document number) pair (number null when the line could not be read or holds no document, or the finding is the certificate's or the whole journal's), as a set. The journals were made by fiscal-core's device and then tampered with (generated by spec/vectorgen: cargo run -p fiscal-core-vectorgen -- --write); the authority's key (authorityPublicKey, compressed SEC1) is the trusted anchor. Rates: RateTable::azerbaijan (SPEC.md §5.1).",
        "notes": {
            "genuine": "a journal exactly as the device wrote it, or a prefix of one",
            "undetectable": "documents removed from the end leave no trace in the journal itself (SPEC.md §15.3)",
            "removed": "documents removed from the journal",
            "reordered": "lines in another order",
            "duplicated": "a document appears twice",
            "altered": "the bytes of a document changed after signing",
            "signature": "a signature that is not the device's: the document is then not used, so later checks may see it as missing",
            "fiscal-id": "the line's declared ID is not the one its body and signature give",
            "nonce-point": "the nonce point R written with the signature is wrong or malformed (SPEC.md §13.2, v3)", "high-s": "the high-S twin (r, n − s) of the device's signature: mathematically valid, refused by SPEC.md §13.2",
            "device-key": "re-signed or made with the device key (a dishonest owner): only the semantic check can catch it",
            "rollback": "a device state restored from an older copy reissues a number",
            "zreport": "a Z-report whose totals are not its shift's",
            "malformed": "a line that is not a document",
            "certificate": "the certificate line is missing, misplaced, unreadable or not trusted",
            "expiry": "a certificate valid only from 2026-11-23 08:00 to 12:00 Baku time",
            "cascade": "one break makes others: the findings include more than the one named in the comment; all are listed",
            "spelling": "the journal's lines not spelled as a device writes them (SPEC.md §13.5: LF line ends, no CR, no empty or blank line): one noncanonical_line finding a line, the line's document still read",
            "empty": "a journal that holds no document (a failed export): empty_journal",
            "duplicate-member": "a line with a member repeated in one object: it reads two ways and is refused (duplicate_member, SPEC.md §8.3, §13.5)",
        },
        "testGroups": [{
            "authorityPublicKey": hex::encode(authority().public_key().to_sec1()),
            "authoritySeed": AUTHORITY_SEED,
            "tests": tests,
        }],
    })
}
