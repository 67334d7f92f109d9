//! Every document kind (RC-15, PK-01, PK-02), read from the deployed JSON form, with its totals,
//! taxes and payments worked out by hand in the comments (and checked again with Python's
//! `fractions` when the tests were written).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{a, item, ok, sale};

use fiscal_core::{Adjustment, CodeType, DocType, Request, ReturnOf, TaxCategory, Unit};

#[test]
fn sale_with_every_vat_treatment_and_change() {
    // Lines (RC-05):
    //   Çörək   2 × 0.60         = 1.20  VAT 18
    //   Süd     1 × 2.35         = 2.35  VAT 18
    //   Pendir  0.750 kg × 4.99  = 3.7425 → 3.74  VAT 18
    //   Dərman  1 × 5.00         = 5.00  exempt (no percent)
    //   Eksport 1 × 3.00         = 3.00  VAT 0
    // Total 15.29. VAT 18 group 7.29 × 18/118 = 1.11203… → 1.11, allocated:
    //   shares 0.18305, 0.35847, 0.57051 → floors 0.18 + 0.35 + 0.57 = 1.10; the qəpik left goes
    //   to the largest remainder (0.847 qəpik, Süd): 0.18, 0.36, 0.57.
    // Paid: cash 10.29 + card 5.00 = 15.29; handed over 20.00 → change 9.71 (RC-12).
    let json = sale(
        &[
            item("Çörək", "2", "0.60"),
            item("Süd", "1", "2.35"),
            r#"{"itemName":"Pendir","itemQuantityType":1,"itemQuantity":0.750,"itemPrice":4.99,"itemVatPercent":18}"#.into(),
            r#"{"itemName":"Dərman","itemQuantity":1,"itemPrice":5.00,"itemVatPercent":null}"#.into(),
            r#"{"itemName":"Eksport","itemQuantity":1,"itemPrice":3.00,"itemVatPercent":0}"#.into(),
        ]
        .join(","),
        r#""sum":15.29,"cashSum":10.29,"cashlessSum":5.00,"incomingSum":20.00,"changeSum":9.71,"currency":"AZN""#,
    );
    let r = ok(&json);
    let Request::Sale(s) = &r else {
        panic!("not a sale")
    };
    assert!(!s.is_credit_sale() && !s.is_against_advances());
    let b = s.body();
    let totals: Vec<_> = b.lines().iter().map(|l| l.total()).collect();
    assert_eq!(
        totals,
        [a("1.20"), a("2.35"), a("3.74"), a("5.00"), a("3.00")]
    );
    let taxes: Vec<_> = b.lines().iter().map(|l| l.tax()).collect();
    assert_eq!(
        taxes,
        [a("0.18"), a("0.36"), a("0.57"), a("0.00"), a("0.00")]
    );
    assert_eq!(b.lines()[2].unit(), Unit::Kilogram);
    assert_eq!(b.totals().total(), a("15.29"));
    assert_eq!(b.totals().sum(), a("15.29"));
    assert_eq!(b.totals().tax_total(), a("1.11"));
    let groups: Vec<_> = b
        .totals()
        .tax_groups()
        .iter()
        .map(|g| {
            (
                g.key.category,
                g.key.percent.map(|p| p.to_string()),
                g.gross,
                g.tax,
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (TaxCategory::Vat, Some("18.00".into()), a("7.29"), a("1.11")),
            (TaxCategory::Vat, Some("0.00".into()), a("3.00"), a("0.00")),
            (TaxCategory::VatExempt, None, a("5.00"), a("0.00")),
        ]
    );
    assert_eq!(b.totals().counted_groups(), b.totals().tax_groups());
    assert_eq!(b.payments().change, a("9.71"));
    assert_eq!(b.payments().tendered, a("20.00"));
}

#[test]
fn credit_sale_counts_only_the_part_paid_now() {
    // TV 1180.00 at VAT 18: contained VAT 1180 × 18/118 = 180.00 exactly.
    // Paid now 180.00 cash, 1000.00 on credit (RC-13): sum = 180.00 (FP-16);
    // counted VAT group 180.00 → 180 × 18/118 = 27.457… → 27.46.
    let json = sale(
        &item("Televizor", "1", "1180.00"),
        r#""sum":180.00,"cashSum":180.00,"creditSum":1000.00,"creditContract":"KR-2026/117","vatAmounts":[{"vatSum":180.00,"vatPercent":18}]"#,
    );
    let Request::Sale(s) = ok(&json) else {
        panic!()
    };
    assert!(s.is_credit_sale());
    assert_eq!(s.credit_contract(), Some("KR-2026/117"));
    let t = s.body().totals();
    assert_eq!(
        (t.total(), t.sum(), t.tax_total()),
        (a("1180.00"), a("180.00"), a("180.00"))
    );
    assert_eq!(t.counted_groups()[0].gross, a("180.00"));
    assert_eq!(t.counted_groups()[0].tax, a("27.46"));
    assert_eq!(s.body().payments().credit, a("1000.00"));
}

#[test]
fn pure_credit_sale_has_sum_zero() {
    // Everything on credit: sum 0, nothing counted now (FP-16).
    let Request::Sale(s) = ok(&sale(
        &item("Soyuducu", "1", "899.99"),
        r#""sum":0,"creditSum":899.99"#,
    )) else {
        panic!()
    };
    assert_eq!(s.body().totals().sum(), a("0.00"));
    assert!(s
        .body()
        .totals()
        .counted_groups()
        .iter()
        .all(|g| g.gross.is_zero() && g.tax.is_zero()));
}

#[test]
fn sale_against_an_advance() {
    // Cake 50.00 at VAT 18, 20.00 of it paid earlier as an advance (RC-17), 30.00 cash now.
    // Contained VAT 50 × 18/118 = 7.627… → 7.63; counted 30.00 → 4.576… → 4.58.
    let json = sale(
        &item("Tort", "1", "50.00"),
        r#""sum":30.00,"cashSum":30.00,"prepaymentSum":20.00,"parents":["7bzWXgWvSKx4"]"#,
    );
    let Request::Sale(s) = ok(&json) else {
        panic!()
    };
    assert!(s.is_against_advances());
    assert_eq!(s.advances(), ["7bzWXgWvSKx4"]);
    let t = s.body().totals();
    assert_eq!(
        (t.total(), t.sum(), t.tax_total()),
        (a("50.00"), a("30.00"), a("7.63"))
    );
    assert_eq!(
        (t.counted_groups()[0].gross, t.counted_groups()[0].tax),
        (a("30.00"), a("4.58"))
    );
}

#[test]
fn advance_receipt() {
    // Advance (beh) of 20.00 by card for a cake, VAT 18 (RC-11): 20 × 18/118 = 3.0508 → 3.05.
    let json = r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: tort","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"sum":20,"cashlessSum":20,"rrn":"512345678901"}}"#;
    let r = ok(json);
    assert_eq!(r.doc_type(), DocType::Advance);
    let b = r.body().unwrap();
    assert_eq!(b.totals().total(), a("20.00"));
    assert_eq!(b.totals().tax_total(), a("3.05"));
    assert_eq!(b.rrn(), Some("512345678901"));
}

#[test]
fn return_of_a_sale() {
    // Return of one Süd 2.35 in cash (RC-17): VAT 2.35 × 18/118 = 0.3584 → 0.36.
    let json = r#"{"doc_type":"money_back","data":{"cashier":"Aysel","parentDocument":"7bzWXgWvSKx4","moneyBackType":0,
        "items":[{"itemName":"Süd","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18}],"sum":2.35,"cashSum":2.35}}"#;
    let Request::Return(r) = ok(json) else {
        panic!()
    };
    assert_eq!(r.parent(), "7bzWXgWvSKx4");
    assert_eq!(r.return_of(), ReturnOf::Sale);
    assert_eq!(r.body().totals().tax_total(), a("0.36"));
    assert_eq!(r.body().payments().change, a("0.00"));
}

#[test]
fn return_of_a_credit_sale_refunds_the_credit_part_too() {
    // Returned TV 1180.00: 180.00 cash back and 1000.00 of debt written off. For a return
    // `sum` counts every form (FP-17): 1180.00.
    let json = r#"{"doc_type":"money_back","data":{"cashier":"Aysel","parentDocument":"7bzWXgWvSKx4",
        "items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"sum":1180,"cashSum":180,"creditSum":1000}}"#;
    let Request::Return(r) = ok(json) else {
        panic!()
    };
    assert_eq!(r.body().totals().sum(), a("1180.00"));
    assert_eq!(r.body().totals().counted_groups()[0].tax, a("180.00"));
}

#[test]
fn cancel_names_only_the_receipt_it_voids() {
    let r =
        ok(r#"{"doc_type":"rollback","data":{"cashier":"Aysel","parentDocument":"7bzWXgWvSKx4"}}"#);
    let Request::Cancel(c) = &r else { panic!() };
    assert_eq!(c.parent(), "7bzWXgWvSKx4");
    assert_eq!(r.total(), a("0.00"));
    assert_eq!(r.references(), ["7bzWXgWvSKx4"]);
}

#[test]
fn credit_instalment() {
    // First instalment 100.00 in cash on the TV's credit, 900.00 left (RC-18).
    // VAT 100 × 18/118 = 15.254… → 15.25.
    let json = r#"{"doc_type":"creditpay","data":{"cashier":"Aysel","parentDocument":"7bzWXgWvSKx4","paymentNumber":1,"residue":900.00,
        "items":[{"itemName":"Nisyə ödənişi","itemCodeType":5,"itemCode":"KR-2026-117","itemQuantity":1,"itemPrice":100,"itemVatPercent":18}],
        "sum":100,"cashSum":100,"incomingSum":100}}"#;
    let Request::CreditPayment(c) = ok(json) else {
        panic!()
    };
    assert_eq!((c.instalment(), c.debt_left()), (1, a("900.00")));
    assert_eq!(c.parent(), "7bzWXgWvSKx4");
    assert_eq!(
        c.body().lines()[0].code().unwrap().kind(),
        CodeType::CreditPayment
    );
    assert_eq!(c.body().totals().tax_total(), a("15.25"));
}

#[test]
fn deposit_and_withdraw() {
    let d = ok(r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100.00}}"#);
    assert_eq!((d.doc_type(), d.total()), (DocType::Deposit, a("100.00")));
    let w = ok(r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":"50.5"}}"#);
    assert_eq!((w.doc_type(), w.total()), (DocType::Withdraw, a("50.50")));
}

#[test]
fn correction_with_period_sums() {
    // 118.00 not fiscalized in time: 100.00 cash, 18.00 card; 59.00 at VAT 18 (tax 59 × 18/118
    // = 9.00 exactly) and 59.00 exempt.
    let json = r#"{"doc_type":"correction","data":{"cashier":"Aysel","sum":118,"cashSum":100,"cashlessSum":18,
        "vatAmounts":[{"vatSum":59,"vatPercent":18},{"vatSum":59}]}}"#;
    let Request::Correction(c) = ok(json) else {
        panic!()
    };
    let g = c.totals().tax_groups();
    assert_eq!(g.len(), 2);
    assert_eq!((g[0].gross, g[0].tax), (a("59.00"), a("9.00")));
    assert_eq!(
        (g[1].key.category, g[1].gross),
        (TaxCategory::VatExempt, a("59.00"))
    );
    assert_eq!(c.totals().tax_total(), a("9.00"));
}

#[test]
fn fuel_card_sale_carries_the_plate() {
    // 35.123 l × 1.0000 = 35.123 → 35.12, paid by fuel card (RC-19).
    let json = r#"{"doc_type":"sale","data":{"cashier":"Aysel","vehiclePlate":"10-AB-123",
        "items":[{"itemName":"Aİ-92","itemQuantityType":2,"itemQuantity":35.123,"itemPrice":1.0000,"itemVatPercent":18}],"fuelCardSum":35.12}}"#;
    let r = ok(json);
    let b = r.body().unwrap();
    assert_eq!(b.lines()[0].total(), a("35.12"));
    assert_eq!(b.vehicle_plate(), Some("10-AB-123"));
    assert_eq!(b.payments().fuel_card, a("35.12"));
}

#[test]
fn discount_markup_and_department_are_kept() {
    // Price after a 0.50 discount on the line: 3 × 0.8333 = 2.4999 → 2.50 (PK-03).
    let json = sale(
        r#"{"itemName":"Yoqurt","itemQuantity":3,"itemPrice":0.8333,"itemVatPercent":18,"discount":0.50,"department":2,"departmentName":"Süd məhsulları"},
           {"itemName":"Çatdırılma","itemCodeType":3,"itemCode":"SRV-1","itemQuantity":1,"itemPrice":2.00,"itemVatPercent":18,"markup":0.50}"#,
        r#""cashSum":4.50"#,
    );
    let r = ok(&json);
    let l = r.body().unwrap().lines();
    assert_eq!(l[0].total(), a("2.50"));
    assert_eq!(l[0].adjustment(), Some(Adjustment::Discount(a("0.50"))));
    assert_eq!(l[0].department().unwrap().number(), 2);
    assert_eq!(l[0].department().unwrap().name(), Some("Süd məhsulları"));
    assert_eq!(l[1].adjustment(), Some(Adjustment::Markup(a("0.50"))));
}

#[test]
fn deployed_envelope_and_rounded_net_prices_are_accepted() {
    // The envelope deployed POS software wraps requests in; a 2-decimal net price after a line
    // discount: 3 × 0.83 = 2.49, itemSum 2.50 is within (3 + 1) × 0.005 = 0.02 (SPEC.md §5.2).
    let json = r#"{"requestData":{"tokenData":{"parameters":{"doc_type":"sale","data":{"cashier":"Aysel",
        "items":[{"itemName":"Yoqurt","itemCodeType":2,"itemCode":4006381333931,"itemQuantity":3,"itemPrice":0.83,"itemSum":2.50,"itemVatPercent":18,"discount":0.50}],
        "sum":2.50,"cashSum":2.50,"cashlessSum":0,"prepaymentSum":0,"creditSum":0,"bonusSum":0,"vatAmounts":[{"vatSum":2.50,"vatPercent":18}]}},"operationId":"createDocument"}}}"#;
    let r = ok(json);
    let l = &r.body().unwrap().lines()[0];
    assert_eq!(l.total(), a("2.50"));
    assert_eq!(l.code().unwrap().code(), "4006381333931");
}

#[test]
fn json_round_trip_gives_the_same_request() {
    let json = sale(
        &[item("Çörək", "2", "0.60"), r#"{"itemName":"Alma","itemQuantityType":1,"itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0.59,"itemMarginPrice":0.295}"#.into()].join(","),
        r#""cashSum":4.20,"incomingSum":5"#,
    );
    let r = ok(&json);
    let again = ok(&r.to_json());
    assert_eq!(r, again);
    // The output keeps exact decimals as JSON numbers and fills in the computed members.
    let out = r.to_json();
    assert!(out.contains(r#""itemSum":3.00"#), "{out}");
    assert!(out.contains(r#""changeSum":0.80"#), "{out}");
    assert!(
        out.contains(r#""vatAmounts":[{"vatPercent":18,"vatSum":1.79},{"vatSum":2.41}]"#),
        "{out}"
    );
}

#[test]
fn a_correction_with_vat_and_margin_groups_at_one_rate_round_trips() {
    // 18% VAT on 11.80 (tax 1.80) and 18% VAT on a margin of 2.36 (tax 0.36) stay two groups.
    let json = r#"{"doc_type":"correction","data":{"cashier":"Aysel","sum":14.16,"cashSum":14.16,
        "vatAmounts":[{"vatSum":11.80,"vatPercent":18},{"vatSum":2.36,"vatPercent":18,"taxTreatment":"vat_margin"}]}}"#;
    let r = ok(json);
    let Request::Correction(c) = &r else { panic!() };
    let g = c.totals().tax_groups();
    assert_eq!((g[0].key.category, g[0].tax), (TaxCategory::Vat, a("1.80")));
    assert_eq!(
        (g[1].key.category, g[1].tax),
        (TaxCategory::VatOnMargin, a("0.36"))
    );
    assert_eq!(ok(&r.to_json()), r);
}
