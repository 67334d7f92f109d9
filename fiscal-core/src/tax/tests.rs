// Test code only: the parent declares this module `#[cfg(test)]`; said again here for a
// reader (or a check) that reads this file alone.
#[cfg(test)]
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::time::CivilDate;

fn a(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}
fn p(n: i64) -> Percent {
    Percent::whole(n).unwrap()
}
fn line(t: TaxTreatment, total: &str) -> TaxLine {
    TaxLine {
        treatment: t,
        total: a(total),
        margin: None,
    }
}

#[test]
fn vat_18_is_extracted_from_the_price() {
    // 11.80 × 18/118 = 1.80 exactly.
    assert_eq!(
        TaxGroupKey::of(TaxTreatment::vat(p(18))).tax_of(a("11.80")),
        a("1.80")
    );
    // 10.00 × 18/118 = 1.52542… → 1.53.
    assert_eq!(
        TaxGroupKey::of(TaxTreatment::vat(p(18))).tax_of(a("10.00")),
        a("1.53")
    );
    // 0.03 × 18/118 = 0.004576… → 0.00.
    assert_eq!(
        TaxGroupKey::of(TaxTreatment::vat(p(18))).tax_of(a("0.03")),
        a("0.00")
    );
}

#[test]
fn simplified_tax_is_on_turnover() {
    // 10.00 × 2% = 0.20; 12.34 × 8% = 0.9872 → 0.99; 0.25 × 2% = 0.005 → 0.01 (midpoint up).
    let s2 = TaxGroupKey::of(TaxTreatment::simplified(p(2)));
    let s8 = TaxGroupKey::of(TaxTreatment::simplified(p(8)));
    assert_eq!(s2.tax_of(a("10.00")), a("0.20"));
    assert_eq!(s8.tax_of(a("12.34")), a("0.99"));
    assert_eq!(s2.tax_of(a("0.25")), a("0.01"));
    assert_eq!(s2.tax_of(a("0.24")), a("0.00")); // 0.0048
}

#[test]
fn zero_rate_and_exempt_bear_no_tax() {
    let b = compute(&[
        line(TaxTreatment::vat(p(0)), "5.00"),
        line(TaxTreatment::vat_exempt(), "7.00"),
    ]);
    assert_eq!(b.line_tax, vec![a("0.00"), a("0.00")]);
    assert_eq!(b.groups.len(), 2);
    assert_eq!(b.groups[0].key.percent, Some(p(0)));
    assert_eq!(b.groups[0].gross, a("5.00"));
    assert_eq!(b.groups[1].key.category, TaxCategory::VatExempt);
    assert_eq!(b.groups[1].gross, a("7.00"));
}

#[test]
fn group_tax_is_allocated_to_lines_by_largest_remainder() {
    // 100 lines of 0.01 at 18%: group 1.00 → 0.15254… → 0.15. Each line's share is
    // 0.01 × 18/118 = 0.0015254…: all floors 0, all remainders equal, so the 15 qəpik go
    // to the first 15 lines.
    let lines: Vec<TaxLine> = (0..100)
        .map(|_| line(TaxTreatment::vat(p(18)), "0.01"))
        .collect();
    let b = compute(&lines);
    assert_eq!(b.groups[0].tax, a("0.15"));
    assert!(b.line_tax[..15].iter().all(|t| *t == a("0.01")));
    assert!(b.line_tax[15..].iter().all(|t| *t == a("0.00")));
}

#[test]
fn allocation_prefers_the_larger_remainder() {
    // Lines 1.00 and 2.00 at 18%: shares 0.152542… and 0.305084…; group 3.00 → 0.457627…
    // → 0.46. Floors 0.15 + 0.30 = 0.45; remainders 0.2542 and 0.5084 qəpik: the one
    // qəpik left goes to the second line: 0.15 and 0.31.
    let b = compute(&[
        line(TaxTreatment::vat(p(18)), "1.00"),
        line(TaxTreatment::vat(p(18)), "2.00"),
    ]);
    assert_eq!(b.groups[0].tax, a("0.46"));
    assert_eq!(b.line_tax, vec![a("0.15"), a("0.31")]);
}

#[test]
fn vat_on_margin_taxes_only_the_margin() {
    // Line 10.00 with margin 2.36: VAT = 2.36 × 18/118 = 0.36; the other 7.64 untaxed.
    let b = compute(&[TaxLine {
        treatment: TaxTreatment::vat_on_margin(p(18)),
        total: a("10.00"),
        margin: Some(a("2.36")),
    }]);
    assert_eq!(b.line_tax, vec![a("0.36")]);
    assert_eq!(b.groups.len(), 2);
    assert_eq!(b.groups[0].key.category, TaxCategory::VatOnMargin);
    assert_eq!((b.groups[0].gross, b.groups[0].tax), (a("2.36"), a("0.36")));
    assert_eq!(b.groups[1].key.category, TaxCategory::MarginRemainder);
    assert_eq!((b.groups[1].gross, b.groups[1].tax), (a("7.64"), a("0.00")));
}

#[test]
fn groups_are_listed_in_a_fixed_order() {
    let b = compute(&[
        line(TaxTreatment::vat_exempt(), "1.00"),
        line(TaxTreatment::simplified(p(2)), "1.00"),
        line(TaxTreatment::vat(p(0)), "1.00"),
        line(TaxTreatment::vat(p(18)), "1.00"),
    ]);
    let keys: Vec<_> = b
        .groups
        .iter()
        .map(|g| (g.key.category, g.key.percent))
        .collect();
    assert_eq!(
        keys,
        vec![
            (TaxCategory::Vat, Some(p(18))),
            (TaxCategory::Vat, Some(p(0))),
            (TaxCategory::Simplified, Some(p(2))),
            (TaxCategory::VatExempt, None),
        ]
    );
}

#[test]
fn counted_part_is_spread_in_proportion() {
    // Groups 60.00 (VAT 18) and 40.00 (exempt); 50.00 paid now: 30.00 and 20.00;
    // VAT on 30.00 = 4.576… → 4.58.
    let b = compute(&[
        line(TaxTreatment::vat(p(18)), "60.00"),
        line(TaxTreatment::vat_exempt(), "40.00"),
    ]);
    let c = counted_groups(&b.groups, a("50.00"));
    assert_eq!((c[0].gross, c[0].tax), (a("30.00"), a("4.58")));
    assert_eq!((c[1].gross, c[1].tax), (a("20.00"), a("0.00")));
    // 0.01 over three equal groups of 1.00: exact shares 0.00333… each; the qəpik goes to
    // the first group (tie → earlier).
    let b = compute(&[
        line(TaxTreatment::vat(p(18)), "1.00"),
        line(TaxTreatment::simplified(p(2)), "1.00"),
        line(TaxTreatment::vat_exempt(), "1.00"),
    ]);
    let c = counted_groups(&b.groups, a("0.01"));
    assert_eq!(
        c.iter().map(|g| g.gross).collect::<Vec<_>>(),
        vec![a("0.01"), a("0.00"), a("0.00")]
    );
    assert!(counted_groups(&b.groups, a("0.00"))
        .iter()
        .all(|g| g.gross.is_zero()));
}

#[test]
fn rate_table_infers_from_percent_and_date() {
    let t = RateTable::azerbaijan();
    let d = CivilDate::new(2026, 1, 1).unwrap();
    assert_eq!(t.infer(Some(p(18)), false, d), Ok(TaxTreatment::vat(p(18))));
    assert_eq!(
        t.infer(Some(p(18)), true, d),
        Ok(TaxTreatment::vat_on_margin(p(18)))
    );
    assert_eq!(
        t.infer(Some(p(2)), false, d),
        Ok(TaxTreatment::simplified(p(2)))
    );
    assert_eq!(
        t.infer(Some(p(8)), false, d),
        Ok(TaxTreatment::simplified(p(8)))
    );
    assert_eq!(t.infer(None, false, d), Ok(TaxTreatment::vat_exempt()));
    assert_eq!(
        t.infer(Some(p(20)), false, d),
        Err(RateLookupError::NotInForce)
    );
    let early = CivilDate::new(2018, 12, 31).unwrap();
    assert_eq!(
        t.infer(Some(p(18)), false, early),
        Err(RateLookupError::NotInForce)
    );
}

#[test]
fn a_rate_change_is_one_row() {
    // VAT goes from 18% to 20% on 2027-01-01: the old row ends, a new row starts.
    let mut rows = RateTable::azerbaijan().entries().to_vec();
    let change = CivilDate::new(2027, 1, 1).unwrap();
    rows[0].until = Some(change);
    rows.push(RateEntry {
        treatment: TaxTreatment::vat(p(20)),
        from: change,
        until: None,
    });
    let t = RateTable::new(rows);
    let before = CivilDate::new(2026, 12, 31).unwrap();
    assert!(t.in_force(TaxTreatment::vat(p(18)), before));
    assert!(!t.in_force(TaxTreatment::vat(p(18)), change));
    assert!(t.in_force(TaxTreatment::vat(p(20)), change));
    // 12.00 × 20/120 = 2.00.
    assert_eq!(
        TaxGroupKey::of(TaxTreatment::vat(p(20))).tax_of(a("12.00")),
        a("2.00")
    );
}

#[test]
fn ambiguous_percent_needs_an_explicit_treatment() {
    let d = CivilDate::new(2026, 1, 1).unwrap();
    let t = RateTable::new(vec![
        RateEntry {
            treatment: TaxTreatment::vat(p(2)),
            from: d,
            until: None,
        },
        RateEntry {
            treatment: TaxTreatment::simplified(p(2)),
            from: d,
            until: None,
        },
    ]);
    assert_eq!(
        t.infer(Some(p(2)), false, d),
        Err(RateLookupError::Ambiguous)
    );
}
