//! The error JSON (`describe::error`, SPEC.md §8.5, §9), worked out by hand: the bytes every
//! binding hands out for a refused request (`fc_device_last_error_json`,
//! `fc_request_validate`), and the verdict on one document (`fc_verify_document`).
#![allow(clippy::unwrap_used)]

use fiscal_core::{describe, CivilDate, Error, RateTable, Request, ValidationContext};

fn refused(json: &str) -> Error {
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).unwrap(),
    };
    Request::from_json(json, &ctx).unwrap_err()
}

/// A sale whose one line says 4.80 where 2 × 2.35 = 4.70 (RC-05, code 132) at a VAT of 20 %,
/// which is not in force in Azerbaijan on 2026-11-23 (18 % is; RC-05, code 133): both problems,
/// in the order of the line's members, each with its path; the error itself is the first
/// problem's, in the category `request`, its message the first problem's and how many more.
#[test]
fn a_request_with_two_problems() {
    let err = refused(
        r#"{"doc_type": "sale", "data": {"cashier": "Aysel",
            "items": [{"itemName": "Süd", "itemQuantity": 2, "itemPrice": 2.35, "itemSum": 4.80, "itemVatPercent": 20}],
            "cashlessSum": 5}}"#,
    );
    let want = concat!(
        r#"{"category":"request","code":"line_total_mismatch","#,
        r#""message":"[line_total_mismatch] items[0].itemSum: 2 × 2.35 = 4.70, but the line total says 4.80 (and 1 more)","#,
        r#""number":132,"problems":["#,
        r#"{"code":"line_total_mismatch","message":"2 × 2.35 = 4.70, but the line total says 4.80","number":132,"path":"items[0].itemSum","rule":"RC-05"},"#,
        r#"{"code":"unknown_tax_rate","message":"no tax at 20% is in force on 2026-11-23","number":133,"path":"items[0].itemVatPercent","rule":"RC-05"}"#,
        r#"],"rule":"RC-05"}"#,
    );
    assert_eq!(describe::error(&err).to_string(), want);
}

/// Text that is not a JSON object: category `format`, code 101 (PK-11), one problem on the
/// whole request (path "").
#[test]
fn a_request_that_is_not_an_object() {
    let want = concat!(
        r#"{"category":"format","code":"malformed_json","#,
        r#""message":"[malformed_json] the request must be a JSON object","number":101,"#,
        r#""problems":[{"code":"malformed_json","message":"the request must be a JSON object","number":101,"path":"","rule":"PK-11"}],"#,
        r#""rule":"PK-11"}"#,
    );
    assert_eq!(describe::error(&refused("[1]")).to_string(), want);
}

/// A binding's own refusal has the same members: no rule, no problems.
#[test]
fn a_refusal_of_the_boundary() {
    assert_eq!(
        describe::refusal("not_activated", 6, "the device is not activated").to_string(),
        r#"{"category":"boundary","code":"not_activated","message":"the device is not activated","number":6,"problems":[],"rule":null}"#
    );
}

/// The verdict on one document: every member present, the reason `null` when it verifies.
#[test]
fn a_verdict() {
    assert_eq!(
        describe::verdict(&Ok(())).to_string(),
        r#"{"code":null,"message":null,"rule":null,"valid":true}"#
    );
    let err = refused("[1]");
    assert_eq!(
        describe::verdict(&Err(err)).to_string(),
        r#"{"code":"malformed_json","message":"[malformed_json] the request must be a JSON object","rule":"PK-11","valid":false}"#
    );
}
