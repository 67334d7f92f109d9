//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod device;
pub mod tc_ids;

use fiscal_core::{Amount, CivilDate, Error, ErrorCode, RateTable, Request, ValidationContext};

/// A fixed date on which the Azerbaijani rate table applies.
pub fn date() -> CivilDate {
    CivilDate::new(2026, 11, 23).unwrap()
}

/// Validates `json` with the Azerbaijani rates on [`date`].
pub fn parse(json: &str) -> Result<Request, Error> {
    let rates = RateTable::azerbaijan();
    Request::from_json(
        json,
        &ValidationContext {
            rates: &rates,
            date: date(),
        },
    )
}

/// Validates and expects success, printing every problem otherwise.
pub fn ok(json: &str) -> Request {
    match parse(json) {
        Ok(r) => r,
        Err(e) => panic!("expected a valid request, got: {:#?}", e.problems()),
    }
}

/// Validates and expects failure; returns the codes found, in order.
pub fn codes(json: &str) -> Vec<ErrorCode> {
    match parse(json) {
        Ok(r) => panic!("expected problems, got a valid {:?}", r.doc_type()),
        Err(e) => e.problems().iter().map(|p| p.code).collect(),
    }
}

/// Parses an amount in a test.
pub fn a(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}

/// A sale's JSON with the given items and payment members (raw JSON fragments).
pub fn sale(items: &str, payment: &str) -> String {
    format!(r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{items}],{payment}}}}}"#)
}

/// One VAT 18% item line.
pub fn item(name: &str, qty: &str, price: &str) -> String {
    format!(
        r#"{{"itemName":"{name}","itemQuantity":{qty},"itemPrice":{price},"itemVatPercent":18}}"#
    )
}
