//! Every validation error code (SPEC.md §9), each provoked by the smallest request that breaks
//! its rule, and the guarantee that all problems are reported at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{codes, item, parse, sale};

use std::collections::BTreeSet;

use fiscal_core::ErrorCode as C;

fn line(extra: &str) -> String {
    format!(
        r#"{{"itemName":"Çörək","itemQuantity":2,"itemPrice":1.25,"itemVatPercent":18{extra}}}"#
    )
}

/// (expected code, request). Each request breaks exactly one rule.
fn cases() -> Vec<(C, String)> {
    let ok_line = line("");
    let paid = r#""cashSum":2.50"#;
    let parent = "7bzWXgWvSKx4";
    vec![
        (C::MalformedJson, "{\"doc_type\":".into()),
        (C::MalformedJson, "[1,2]".into()),
        (C::WrongType, sale(&ok_line, r#""cashSum":2.50,"cashier":7"#).replace(r#""cashier":"Aysel","#, "")),
        (C::WrongType, r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":"Çörək","cashSum":1}}"#.into()),
        (C::MissingField, sale(&ok_line, paid).replace(r#""cashier":"Aysel","#, "")),
        (C::MissingField, sale(r#"{"itemName":"Çörək","itemPrice":1.25,"itemVatPercent":18}"#, paid)),
        (C::UnknownDocType, r#"{"doc_type":"refund","data":{"cashier":"Aysel"}}"#.into()),
        (C::FieldNotAllowed, format!(r#"{{"doc_type":"deposit","data":{{"cashier":"Aysel","sum":5,"items":[{ok_line}]}}}}"#)),
        (C::FieldNotAllowed, sale(&ok_line, &format!(r#"{paid},"parentDocument":"{parent}""#))),
        (C::UnsupportedCurrency, sale(&ok_line, r#""cashSum":2.50,"currency":"USD""#)),
        // Issue #16: a misspelt member is refused under the strict policy, not lost.
        (C::UnknownMember, sale(&line(r#","itemVatPercnt":18"#), paid)),
        (C::UnknownOperation, r#"{"operationId":"printReceiptCopy","version":1,"parameters":{"access_token":"t"}}"#.into()),
        (C::UnknownOperation, r#"{"hello":"world"}"#.into()),
        (C::DuplicateMember, sale(&ok_line, r#""cashSum":2.50,"cashSum":2.50"#)),
        (C::NotANumber, sale(&line("").replace("1.25", "1.25e0"), paid)),
        (C::NotANumber, sale(&ok_line, r#""cashSum":"NaN""#)),
        (C::NegativeValue, sale(&ok_line, r#""cashSum":2.50,"cashlessSum":-1"#)),
        (C::TooManyDecimals, sale(&ok_line, r#""cashSum":2.501"#)),
        (C::OutOfRange, sale(&line("").replace(r#""itemQuantity":2"#, r#""itemQuantity":0"#), paid)),
        (C::OutOfRange, sale(&ok_line, r#""cashSum":100000000"#)),
        (C::OutOfRange, sale(&ok_line, &format!(r#""cashSum":2.50,"vatAmounts":[{}]"#, vec![r#"{"vatSum":0}"#; 65].join(",")))),
        (C::TextEmpty, sale(&line("").replace("Çörək", "  "), paid)),
        (C::TextTooLong, sale(&ok_line, paid).replace("Aysel", &"A".repeat(65))),
        (C::TextBadCharacter, sale(&line("").replace("Çörək", "Tort 🎂"), paid)),
        (C::InvalidItemCode, sale(&line(r#","itemCodeType":2,"itemCode":"4006381333932""#), paid)),
        (C::InvalidReference, r#"{"doc_type":"rollback","data":{"cashier":"Aysel","parentDocument":"abc"}}"#.to_string()),
        (C::InvalidVehiclePlate, sale(&ok_line, r#""cashSum":2.50,"vehiclePlate":"10-ab-123""#)),
        (C::InvalidEnumValue, sale(&line(r#","itemQuantityType":9"#), paid)),
        (C::NoLines, sale("", r#""cashSum":0"#)),
        (C::TooManyLines, sale(&vec![item("Çörək", "1", "0.01"); 501].join(","), r#""cashSum":5.01"#)),
        (C::LineTotalMismatch, sale(&line(r#","itemSum":2.60"#), r#""cashSum":2.60"#)),
        (C::UnknownTaxRate, sale(&line("").replace(r#""itemVatPercent":18"#, r#""itemVatPercent":20"#), paid)),
        (C::MarginExceedsLine, sale(&line(r#","itemMarginSum":3.00"#), paid)),
        (C::MarginMismatch, sale(&line(r#","taxTreatment":"vat_margin""#), paid)),
        (C::MarginMismatch, sale(&line(r#","itemMarginSum":1.00,"taxTreatment":"vat""#), paid)),
        (C::ConflictingAdjustment, sale(&line(r#","discount":0.10,"markup":0.10"#), paid)),
        (C::SumMismatch, sale(&ok_line, r#""cashSum":2.50,"sum":2.40"#)),
        (C::Underpaid, sale(&ok_line, r#""cashSum":2.00"#)),
        (C::Overpaid, sale(&ok_line, r#""cashSum":2.00,"cashlessSum":1.00"#)),
        (C::ChangeWithoutCash, sale(&ok_line, r#""cashlessSum":2.50,"incomingSum":5.00"#)),
        (C::ChangeWithoutCash, sale(&ok_line, r#""cashlessSum":2.50,"changeSum":1.00"#)),
        (C::TenderedBelowCash, sale(&ok_line, r#""cashSum":2.50,"incomingSum":2.00"#)),
        (C::ChangeMismatch, sale(&ok_line, r#""cashSum":2.50,"incomingSum":5.00,"changeSum":2.00"#)),
        (C::PaymentFormNotAllowed, format!(r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{parent}","paymentNumber":1,"residue":0,"items":[{ok_line}],"cashSum":1.50,"creditSum":1.00}}}}"#)),
        (C::VatAmountsMismatch, sale(&ok_line, r#""cashSum":2.50,"vatAmounts":[{"vatSum":2.50,"vatPercent":0}]"#)),
        (C::VatAmountsMismatch, r#"{"doc_type":"correction","data":{"cashier":"Aysel","sum":10,"cashSum":10,"vatAmounts":[{"vatSum":9,"vatPercent":18}]}}"#.into()),
        (C::ZeroTotal, sale(&line("").replace("1.25", "0"), r#""cashSum":0"#)),
        (C::ZeroTotal, r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":0}}"#.into()),
        (C::MissingReference, format!(r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","items":[{ok_line}],"cashSum":2.50}}}}"#)),
        (C::MissingReference, sale(&ok_line, r#""cashSum":1.50,"prepaymentSum":1.00"#)),
        (C::UnexpectedReference, sale(&ok_line, &format!(r#"{paid},"parents":["{parent}"]"#))),
        (C::TooManyReferences, sale(&ok_line, &format!(r#""cashSum":1.50,"prepaymentSum":1.00,"parents":[{}]"#, (0..51).map(|i| format!(r#""ADVANCE{i:05}xyz""#)).collect::<Vec<_>>().join(",")))),
        (C::DuplicateReference, sale(&ok_line, &format!(r#""cashSum":1.50,"prepaymentSum":1.00,"parents":["{parent}","{parent}"]"#))),
        (C::InvalidInstalmentNumber, format!(r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{parent}","paymentNumber":0,"residue":0,"items":[{ok_line}],"cashSum":2.50}}}}"#)),
        (C::MissingVehiclePlate, sale(&ok_line, r#""fuelCardSum":2.50"#)),
    ]
}

#[test]
fn each_case_gives_exactly_its_code() {
    for (expected, json) in cases() {
        let got = codes(&json);
        assert_eq!(got, [expected], "request: {json}");
    }
}

#[test]
fn every_code_has_a_case() {
    let covered: BTreeSet<C> = cases().into_iter().map(|(c, _)| c).collect();
    // `invalid_request` is the fallback of `Error::code()`; validation never produces it.
    // Codes 200 and above belong to the device and the verifier (tests/device.rs,
    // tests/journal.rs).
    let missing: Vec<_> = C::ALL
        .iter()
        .filter(|c| c.number() < 200 && !covered.contains(c) && **c != C::InvalidRequest)
        .collect();
    assert!(missing.is_empty(), "codes without a test case: {missing:?}");
}

#[test]
fn every_problem_is_reported_at_once() {
    // Four faults in one request: a bad price text, a bad name, a wrong line total, and
    // (since the line with the bad price cannot be summed) no payment check; plus a bad plate.
    let json = sale(
        &[
            r#"{"itemName":"A","itemQuantity":1,"itemPrice":"abc","itemVatPercent":18}"#
                .to_string(),
            r#"{"itemName":"B\u0007","itemQuantity":1,"itemPrice":1,"itemVatPercent":18}"#
                .to_string(),
            r#"{"itemName":"C","itemQuantity":2,"itemPrice":1,"itemSum":5,"itemVatPercent":18}"#
                .to_string(),
        ]
        .join(","),
        r#""cashSum":7,"vehiclePlate":"x""#,
    );
    let err = parse(&json).unwrap_err();
    let problems = err.problems();
    let found: Vec<(C, &str)> = problems.iter().map(|p| (p.code, p.path.as_str())).collect();
    assert_eq!(
        found,
        [
            (C::NotANumber, "items[0].itemPrice"),
            (C::InvalidVehiclePlate, "vehiclePlate"),
            (C::TextBadCharacter, "items[1].itemName"),
            (C::LineTotalMismatch, "items[2].itemSum"),
        ]
    );
    // Messages name the values a cashier needs to fix the line.
    assert!(
        err.problems()[3].message.contains("2 × 1 = 2.00"),
        "{}",
        err.problems()[3].message
    );
}

#[test]
fn the_rounding_band_of_a_line_total_is_exact() {
    // 3 × 0.83 = 2.49; band (3 + 1) × 0.005 = 0.02: 2.51 is accepted, 2.52 is not.
    assert!(parse(&sale(
        r#"{"itemName":"Y","itemQuantity":3,"itemPrice":0.83,"itemSum":2.51,"itemVatPercent":18}"#,
        r#""cashSum":2.51"#
    ))
    .is_ok());
    assert_eq!(
        codes(&sale(
            r#"{"itemName":"Y","itemQuantity":3,"itemPrice":0.83,"itemSum":2.52,"itemVatPercent":18}"#,
            r#""cashSum":2.52"#
        )),
        [C::LineTotalMismatch]
    );
}

#[test]
fn a_failed_value_is_not_reported_twice() {
    // A price that cannot be read is one problem (not_a_number), not also missing_field.
    assert_eq!(
        codes(&sale(
            &line("").replace("1.25", "true"),
            r#""cashSum":2.50"#
        )),
        [C::WrongType]
    );
}
