//! Properties over random receipts (SPEC.md §5): totals, taxes and payments reconcile to the
//! qəpik; validation never panics; JSON round-trips. Expected values are recomputed here a
//! second way, with `rust_decimal` division instead of the engine's integer arithmetic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::parse;

use fiscal_core::{Amount, ErrorCode, Quantity, Request, TaxCategory, UnitPrice};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

const TREATMENTS: [(&str, u32); 6] = [
    ("vat", 18),
    ("vat", 0),
    ("vat_exempt", 0),
    ("simplified", 2),
    ("simplified", 8),
    ("vat_margin", 18),
];

#[derive(Debug, Clone)]
struct L {
    qty: i64,   // thousandths
    price: i64, // ten-thousandths
    t: usize,
    margin_pct: u32,
}

fn line_strategy() -> impl Strategy<Value = L> {
    (1i64..=20_000, 0i64..=2_000_000, 0usize..6, 0u32..=100).prop_map(
        |(qty, price, t, margin_pct)| L {
            qty,
            price,
            t,
            margin_pct,
        },
    )
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// Builds a sale; returns the JSON and the expected line totals (qəpik).
fn build(lines: &[L], weights: &[u32; 6], change: i64) -> (String, Vec<i64>, i64, i64, i64) {
    let mut totals = Vec::new();
    let mut items = Vec::new();
    for l in lines {
        let total = round2(dec(l.qty, 3) * dec(l.price, 4));
        let units = (total * Decimal::ONE_HUNDRED)
            .normalize()
            .to_string()
            .parse::<i64>()
            .unwrap();
        totals.push(units);
        let (kind, pct) = TREATMENTS[l.t];
        let mut item = format!(
            r#"{{"itemName":"Məhsul","itemQuantity":{},"itemPrice":{},"taxTreatment":"{kind}""#,
            dec(l.qty, 3),
            dec(l.price, 4)
        );
        if kind != "vat_exempt" {
            item.push_str(&format!(r#","itemVatPercent":{pct}"#));
        }
        if kind == "vat_margin" {
            item.push_str(&format!(
                r#","itemMarginSum":{}"#,
                dec(units * i64::from(l.margin_pct) / 100, 2)
            ));
        }
        item.push('}');
        items.push(item);
    }
    let total: i64 = totals.iter().sum();
    // Split the total over cash, cashless, bonus, gift card, advance offset, credit.
    let wsum: u64 = weights.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| (total as i128 * i128::from(*w) / i128::from(wsum)) as i64)
        .collect();
    let rest = total - parts.iter().sum::<i64>();
    parts[0] += rest;
    let [cash, cashless, bonus, gift, prepay, credit] =
        [parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]];
    let change = if cash > 0 { change } else { 0 };
    let mut pay = format!(
        r#""cashSum":{},"cashlessSum":{},"bonusSum":{},"giftCardSum":{},"prepaymentSum":{},"creditSum":{},"incomingSum":{}"#,
        dec(cash, 2),
        dec(cashless, 2),
        dec(bonus, 2),
        dec(gift, 2),
        dec(prepay, 2),
        dec(credit, 2),
        dec(cash + change, 2)
    );
    if prepay > 0 {
        pay.push_str(r#","parents":["AdvanceReceipt01"]"#);
    }
    let json = format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Kassir","items":[{}],{pay}}}}}"#,
        items.join(",")
    );
    (json, totals, total, prepay + credit, change)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_sales_reconcile_to_the_qepik(
        lines in prop::collection::vec(line_strategy(), 1..40),
        weights in prop::array::uniform6(0u32..100),
        change in 0i64..10_000,
    ) {
        let (json, expected_totals, total, deferred, change) = build(&lines, &weights, change);
        prop_assume!(total > 0);
        let request = match parse(&json) {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::fail(format!("{:?}\n{json}", e.problems()))),
        };
        let b = request.body().unwrap();
        let t = b.totals();
        // Line totals: quantity × price rounded half up, recomputed here.
        let got: Vec<i64> = b.lines().iter().map(|l| l.total().units()).collect();
        prop_assert_eq!(&got, &expected_totals);
        prop_assert_eq!(t.total().units(), total);
        // Groups partition the total.
        let gross: i64 = t.tax_groups().iter().map(|g| g.gross.units()).sum();
        prop_assert_eq!(gross, total);
        // Each group's tax is its gross taxed once and rounded (second method: Decimal division).
        for g in t.tax_groups() {
            let p = g.key.percent.map_or(Decimal::ZERO, |p| p.as_decimal());
            let expected = match g.key.category {
                TaxCategory::Vat | TaxCategory::VatOnMargin => round2(g.gross.as_decimal() * p / (Decimal::ONE_HUNDRED + p)),
                TaxCategory::Simplified => round2(g.gross.as_decimal() * p / Decimal::ONE_HUNDRED),
                _ => Decimal::ZERO,
            };
            prop_assert_eq!(g.tax.as_decimal(), expected);
        }
        // Line taxes add up to the groups' taxes exactly, and each is within a qəpik of the
        // line's own rounded tax.
        let line_tax: i64 = b.lines().iter().map(|l| l.tax().units()).sum();
        prop_assert_eq!(line_tax, t.tax_total().units());
        for l in b.lines() {
            let p = l.treatment().percent().map_or(Decimal::ZERO, |p| p.as_decimal());
            let base = l.margin().unwrap_or(l.total()).as_decimal();
            let own = match l.treatment().kind() {
                fiscal_core::TaxKind::Vat | fiscal_core::TaxKind::VatOnMargin => base * p / (Decimal::ONE_HUNDRED + p),
                fiscal_core::TaxKind::Simplified => base * p / Decimal::ONE_HUNDRED,
                _ => Decimal::ZERO,
            };
            prop_assert!((l.tax().as_decimal() - own).abs() < Decimal::new(1, 2), "line tax {} vs exact {}", l.tax(), own);
        }
        // Payments: every form adds up to the total; sum is the part paid now; change from cash.
        prop_assert_eq!(b.payments().all_forms().units(), total);
        prop_assert_eq!(t.sum().units(), total - deferred);
        prop_assert_eq!(b.payments().change.units(), change);
        prop_assert_eq!(b.payments().tendered.units() - b.payments().cash.units(), change);
        // Counted groups partition the part paid now, each within its group.
        let counted: i64 = t.counted_groups().iter().map(|g| g.gross.units()).sum();
        prop_assert_eq!(counted, t.sum().units());
        for (c, g) in t.counted_groups().iter().zip(t.tax_groups()) {
            prop_assert!(c.gross <= g.gross);
        }
        // The JSON form reads back to the same request.
        prop_assert_eq!(parse(&request.to_json()).unwrap(), request);
    }

    #[test]
    fn validation_never_panics_on_any_text(text in ".{0,400}") {
        let _ = parse(&text);
    }

    #[test]
    fn validation_never_panics_on_hostile_members(
        key in prop::sample::select(vec!["itemQuantity", "itemPrice", "itemSum", "itemVatPercent", "itemMarginSum", "itemCodeType", "itemQuantityType", "cashSum", "incomingSum", "sum", "paymentNumber", "residue", "parents", "items", "department", "doc_type"]),
        value in prop::sample::select(vec!["null", "true", "-1", "1e308", "-0", "0.00000001", "\"\"", "\"12.5\"", "[]", "{}", "[1]", "99999999999999999999999999999999", "18446744073709551616", "\"NaN\"", "\"∞\"", "0.1e1", "1E-2"]),
        doc in prop::sample::select(vec!["sale", "money_back", "rollback", "prepay", "creditpay", "deposit", "withdraw", "correction"]),
    ) {
        let json = format!(
            r#"{{"doc_type":"{doc}","data":{{"cashier":"K","parentDocument":"AAAAAAAAAAAA","paymentNumber":1,"residue":0,"sum":1,"cashSum":1,"vatAmounts":[{{"vatSum":1,"vatPercent":18}}],"items":[{{"itemName":"X","itemQuantity":1,"itemPrice":1,"itemVatPercent":18,"{key}":{value}}}],"{key}":{value}}}}}"#
        );
        match parse(&json) {
            Ok(r) => { prop_assert!(parse(&r.to_json()).is_ok()); }
            Err(e) => { prop_assert!(!e.problems().is_empty()); }
        }
    }

    #[test]
    fn money_text_round_trips(units in 0i64..=9_999_999_999, q in 1i64..=9_999_999_999, p in 0i64..=999_999_999_999) {
        let a = Amount::from_units(units).unwrap();
        prop_assert_eq!(Amount::parse(&a.to_string()).unwrap(), a);
        let q = Quantity::from_units(q).unwrap();
        prop_assert_eq!(Quantity::parse(&q.to_string()).unwrap(), q);
        let p = UnitPrice::from_units(p).unwrap();
        prop_assert_eq!(UnitPrice::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn money_parsing_never_panics(text in "[-+0-9.eE ]{0,45}") {
        let _ = Amount::parse(&text);
        let _ = Quantity::parse(&text);
        let _ = UnitPrice::parse(&text);
    }
}

#[test]
fn zero_total_is_refused_not_reconciled() {
    // 0.001 × 0.0001 = 0.0000001 → 0.00: a receipt of nothing is refused (ErrorCode::ZeroTotal).
    let json = r#"{"doc_type":"sale","data":{"cashier":"K","items":[{"itemName":"X","itemQuantity":0.001,"itemPrice":0.0001,"itemVatPercent":18}],"cashSum":0}}"#;
    assert_eq!(parse(json).unwrap_err().code(), ErrorCode::ZeroTotal);
    let _ = Request::to_json;
}
