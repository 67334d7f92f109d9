//! The JSON reader's repeat paths, and `to_draft` against the text round trip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Test code only: the parent declares this module `#[cfg(test)]`; said again here for a
// reader (or a check) that reads this file alone.
#[cfg(test)]
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::error::ErrorCode;
use crate::receipt::{Request, RequestDraft, ValidationContext};
use crate::tax::RateTable;
use crate::time::CivilDate;

/// The one problem of a text with a repeated member.
fn repeat(text: &str) -> (String, String) {
    let (draft, problems) = RequestDraft::from_json(text);
    assert_eq!(draft, RequestDraft::default(), "no reading is made: {text}");
    let all: Vec<_> = problems.iter().collect();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].code, ErrorCode::DuplicateMember);
    (all[0].path.clone(), all[0].message.clone())
}

#[test]
fn a_repeated_member_is_named_by_the_path_every_other_problem_uses() {
    // SPEC.md §8.3: members of `data` without `data.`, as the validator names them.
    let (path, message) = repeat(
        r#"{"doc_type":"sale","data":{"cashier":"A","items":[{"itemName":"X"},{"itemPrice":1,"itemName":"Y","itemPrice":2}]}}"#,
    );
    assert_eq!(path, "items[1].itemPrice");
    assert_eq!(
        message,
        r#"the member "itemPrice" appears twice: the request reads two ways"#
    );
    assert_eq!(
        repeat(r#"{"doc_type":"sale","doc_type":"prepay","data":{}}"#).0,
        "doc_type"
    );
    assert_eq!(
        repeat(r#"{"doc_type":"sale","data":{},"data":{}}"#).0,
        "data"
    );
    assert_eq!(
        repeat(r#"{"doc_type":"sale","data":{"sum":1,"sum":1}}"#).0,
        "sum"
    );
    assert_eq!(
        repeat(r#"{"doc_type":"sale","data":{"vatAmounts":[{"vatSum":1,"vatSum":2}]}}"#).0,
        "vatAmounts[0].vatSum"
    );
    // Outside `data` and the envelope, the whole path.
    assert_eq!(
        repeat(r#"{"doc_type":"sale","data":{},"x":{"y":1,"y":2}}"#).0,
        "x.y"
    );
    // The deployed envelope (requestData → tokenData → parameters) is passed over, as for
    // every other problem; a repeated wrapper is named as such.
    let wrapped = |inner: &str| {
        format!(r#"{{"requestData":{{"tokenData":{{"parameters":{inner}}},"x":1}}}}"#)
    };
    assert_eq!(
        repeat(&wrapped(
            r#"{"doc_type":"sale","data":{"cashier":"A","cashier":"B"}}"#
        ))
        .0,
        "cashier"
    );
    assert_eq!(
        repeat(&wrapped(
            r#"{"doc_type":"sale","doc_type":"sale","data":{}}"#
        ))
        .0,
        "doc_type"
    );
    assert_eq!(
        repeat(&wrapped(r#"{"doc_type":"sale","data":{},"data":{}}"#)).0,
        "data"
    );
    assert_eq!(
        repeat(r#"{"requestData":{"tokenData":{},"tokenData":{}}}"#).0,
        "requestData.tokenData"
    );
    assert_eq!(
        repeat(r#"{"requestData":{"tokenData":{"parameters":{"doc_type":"sale","data":{}}}},"requestData":{}}"#).0,
        "requestData"
    );
    // A hostile name is shown cut short; the path keeps it whole.
    let long = "n".repeat(100);
    let (path, message) = repeat(&format!(
        r#"{{"doc_type":"sale","data":{{"{long}":1,"{long}":1}}}}"#
    ));
    assert_eq!(path, long);
    assert!(message.len() < 120, "{message}");
}

/// `to_draft` must be exactly what reading `to_json` back gives, or `None`.
fn same_as_the_text(r: &Request) {
    let (through_text, problems) = RequestDraft::from_json(&r.to_json());
    // `None`: the verifier takes the text round trip itself.
    if let Some(d) = r.to_draft() {
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(d, through_text, "{}", r.to_json());
    }
}

#[test]
fn the_draft_is_what_the_json_round_trip_reads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/math.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).unwrap(),
    };
    let mut valid = Vec::new();
    for group in vectors["testGroups"].as_array().unwrap() {
        for t in group["tests"].as_array().unwrap() {
            if let Ok(r) = Request::from_json(&t["input"].to_string(), &ctx) {
                same_as_the_text(&r);
                assert!(r.to_draft().is_some(), "a valid request takes the shortcut");
                valid.push(r);
            }
        }
    }
    assert!(valid.len() > 100, "{}", valid.len());
    // Forged requests (only a device key holder can sign them): members no kind takes,
    // strings that need escaping, a margin remainder group, too many lines.
    for r in &valid {
        let mut f = r.clone();
        match &mut f {
            Request::Advance(b) => b.vehicle_plate = Some("10-AA-100".into()),
            Request::CreditPayment(c) => c.body.vehicle_plate = Some("x\"\\\n".into()),
            Request::Sale(s) => {
                s.body.lines[0].name = "\u{1}\u{7f}\"\\/\u{2028}".into();
                s.advances = alloc::vec!["A".into(), "A".into()];
            }
            Request::Return(s) => {
                let line = s.body.lines[0].clone();
                s.body.lines = alloc::vec![line; crate::receipt::MAX_LINES + 1];
                assert!(f.to_draft().is_none());
            }
            Request::Correction(c) => {
                if let Some(g) = c.totals.tax_groups.first_mut() {
                    g.key.category = crate::tax::TaxCategory::MarginRemainder;
                    assert!(f.to_draft().is_none());
                }
            }
            _ => {}
        }
        same_as_the_text(&f);
    }
}
