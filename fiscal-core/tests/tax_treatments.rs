//! Every tax treatment (RC-05) through the JSON form, with hand-worked values.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{a, codes, ok, sale};

use fiscal_core::{ErrorCode, TaxCategory, TaxKind};

#[test]
fn simplified_tax_8_percent_for_catering() {
    // Plov 1 × 12.50 and Çay 2 × 1.25 = 2.50 at 8% on turnover: 15.00 × 8% = 1.20;
    // per line 1.00 and 0.20 exactly.
    let json = sale(
        r#"{"itemName":"Plov","itemQuantity":1,"itemPrice":12.50,"itemVatPercent":8},{"itemName":"Çay","itemQuantity":2,"itemPrice":1.25,"itemVatPercent":8}"#,
        r#""cashSum":15"#,
    );
    let r = ok(&json);
    let b = r.body().unwrap();
    assert_eq!(b.lines()[0].treatment().kind(), TaxKind::Simplified);
    assert_eq!(
        b.lines().iter().map(|l| l.tax()).collect::<Vec<_>>(),
        [a("1.00"), a("0.20")]
    );
    assert_eq!(b.totals().tax_total(), a("1.20"));
}

#[test]
fn simplified_tax_2_percent() {
    // 3 × 0.33 = 0.99 at 2%: 0.0198 → 0.02.
    let r = ok(&sale(
        r#"{"itemName":"Kibrit","itemQuantity":3,"itemPrice":0.33,"itemVatPercent":2}"#,
        r#""cashSum":0.99"#,
    ));
    let g = &r.body().unwrap().totals().tax_groups()[0];
    assert_eq!(
        (g.key.category, g.gross, g.tax),
        (TaxCategory::Simplified, a("0.99"), a("0.02"))
    );
}

#[test]
fn vat_on_the_trade_margin() {
    // Apples 2 kg × 1.50 = 3.00, of which margin 0.59: VAT 0.59 × 18/118 = 0.09; the other
    // 2.41 untaxed. Inferred from percent 18 with a margin (FP-14).
    let r = ok(&sale(
        r#"{"itemName":"Alma","itemQuantityType":1,"itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0.59}"#,
        r#""cashSum":3"#,
    ));
    let b = r.body().unwrap();
    assert_eq!(b.lines()[0].treatment().kind(), TaxKind::VatOnMargin);
    assert_eq!(b.lines()[0].tax(), a("0.09"));
    let g = b.totals().tax_groups();
    assert_eq!(
        (g[0].key.category, g[0].gross, g[0].tax),
        (TaxCategory::VatOnMargin, a("0.59"), a("0.09"))
    );
    assert_eq!(
        (g[1].key.category, g[1].gross, g[1].tax),
        (TaxCategory::MarginRemainder, a("2.41"), a("0.00"))
    );
}

#[test]
fn zero_margin_needs_the_explicit_treatment() {
    // Sold at cost: margin 0 → with taxTreatment the whole line is untaxed remainder; without
    // it the percent alone means ordinary VAT 18 (3.00 × 18/118 = 0.4576 → 0.46).
    let explicit = ok(&sale(
        r#"{"itemName":"Alma","itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0,"taxTreatment":"vat_margin"}"#,
        r#""cashSum":3"#,
    ));
    assert_eq!(explicit.body().unwrap().totals().tax_total(), a("0.00"));
    let inferred = ok(&sale(
        r#"{"itemName":"Alma","itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0}"#,
        r#""cashSum":3"#,
    ));
    assert_eq!(inferred.body().unwrap().totals().tax_total(), a("0.46"));
}

#[test]
fn explicit_treatment_must_be_in_force() {
    // Simplified tax at 18% does not exist.
    assert_eq!(
        codes(&sale(
            r#"{"itemName":"X","itemQuantity":1,"itemPrice":1,"itemVatPercent":18,"taxTreatment":"simplified"}"#,
            r#""cashSum":1"#
        )),
        [ErrorCode::UnknownTaxRate]
    );
    // Exempt with a rate is contradictory.
    assert_eq!(
        codes(&sale(
            r#"{"itemName":"X","itemQuantity":1,"itemPrice":1,"itemVatPercent":18,"taxTreatment":"vat_exempt"}"#,
            r#""cashSum":1"#
        )),
        [ErrorCode::UnknownTaxRate]
    );
}

#[test]
fn rates_follow_the_document_date() {
    use fiscal_core::{CivilDate, RateTable, Request, ValidationContext};
    // Before 2019 the table has no rows: every rate is refused, not silently applied.
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2018, 6, 1).unwrap(),
    };
    let json = sale(
        r#"{"itemName":"X","itemQuantity":1,"itemPrice":1,"itemVatPercent":18}"#,
        r#""cashSum":1"#,
    );
    let err = Request::from_json(&json, &ctx).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownTaxRate);
}
