//! Tax treatments, the rate table, and the tax math of a receipt (RC-05; SPEC.md §5.3).
//!
//! Rounding rule (SPEC.md §5.3): tax is computed **once per group** (one treatment and rate on
//! one receipt) from the group's gross amount, rounded half away from zero to the qəpik, and
//! then **allocated to the lines** by the largest-remainder method, so that the printed line
//! taxes always add up to the group tax exactly. Rounding each line on its own would lose up to
//! half a qəpik per line (100 lines of 0.01 AZN at 18% would show 0.00 VAT instead of 0.15).
//! All of it is exact integer arithmetic on qəpik: no decimal division ever rounds halfway.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Reverse;
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::money::{Amount, Percent};
use crate::time::CivilDate;

/// How a line is taxed (RC-05; FP-12, FP-13, FP-14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TaxKind {
    /// VAT included in the price, extracted as amount × p / (100 + p). At 0% the line is
    /// zero-rated.
    Vat,
    /// VAT on the trade margin only: the margin part of the line bears VAT included at p, the
    /// rest of the line is not taxed.
    VatOnMargin,
    /// Simplified tax, a tax on turnover: amount × p / 100.
    Simplified,
    /// Exempt from VAT (ƏDV-dən azad): no rate.
    VatExempt,
}

impl TaxKind {
    /// Every kind.
    pub const ALL: [TaxKind; 4] = [
        TaxKind::Vat,
        TaxKind::VatOnMargin,
        TaxKind::Simplified,
        TaxKind::VatExempt,
    ];

    /// The stable name used in JSON (`taxTreatment`): `vat`, `vat_margin`, `simplified`,
    /// `vat_exempt`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TaxKind::Vat => "vat",
            TaxKind::VatOnMargin => "vat_margin",
            TaxKind::Simplified => "simplified",
            TaxKind::VatExempt => "vat_exempt",
        }
    }

    /// The kind with this stable name.
    pub fn from_name(name: &str) -> Option<TaxKind> {
        TaxKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A tax kind together with its rate: what one line is taxed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TaxTreatment {
    kind: TaxKind,
    percent: Option<Percent>,
}

impl TaxTreatment {
    /// VAT at `percent` (0 is zero-rated).
    pub fn vat(percent: Percent) -> Self {
        TaxTreatment {
            kind: TaxKind::Vat,
            percent: Some(percent),
        }
    }

    /// VAT at `percent` on the trade margin.
    pub fn vat_on_margin(percent: Percent) -> Self {
        TaxTreatment {
            kind: TaxKind::VatOnMargin,
            percent: Some(percent),
        }
    }

    /// Simplified tax at `percent`.
    pub fn simplified(percent: Percent) -> Self {
        TaxTreatment {
            kind: TaxKind::Simplified,
            percent: Some(percent),
        }
    }

    /// Exempt from VAT.
    pub fn vat_exempt() -> Self {
        TaxTreatment {
            kind: TaxKind::VatExempt,
            percent: None,
        }
    }

    /// Builds a treatment from a kind and a percent; `None` when they do not fit together
    /// (an exempt treatment takes no percent, every other kind needs one).
    pub fn new(kind: TaxKind, percent: Option<Percent>) -> Option<Self> {
        match (kind, percent) {
            (TaxKind::VatExempt, None) => Some(Self::vat_exempt()),
            (TaxKind::VatExempt, Some(_)) | (_, None) => None,
            (kind, percent) => Some(TaxTreatment { kind, percent }),
        }
    }

    /// The kind.
    pub fn kind(self) -> TaxKind {
        self.kind
    }

    /// The rate; `None` for VAT-exempt.
    pub fn percent(self) -> Option<Percent> {
        self.percent
    }
}

impl fmt::Display for TaxTreatment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.percent {
            Some(p) => write!(f, "{} {}%", self.kind.as_str(), p.as_decimal().normalize()),
            None => f.write_str(self.kind.as_str()),
        }
    }
}

/// One row of the rate table: a treatment and the days it is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateEntry {
    /// The treatment.
    pub treatment: TaxTreatment,
    /// First day in force.
    pub from: CivilDate,
    /// First day no longer in force (`None`: still in force).
    pub until: Option<CivilDate>,
}

impl RateEntry {
    /// True when the entry is in force on `date`.
    pub fn in_force_on(&self, date: CivilDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }
}

/// The tax rates the engine accepts, each with the days it is in force (SPEC.md §5.1).
///
/// A rate change is one new row (and an `until` on the old one); no code changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateTable {
    entries: Vec<RateEntry>,
}

/// Why a line's percent maps to no treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLookupError {
    /// No treatment with that percent is in force on the date.
    NotInForce,
    /// Several treatments have that percent; the request must say which (`taxTreatment`).
    Ambiguous,
}

impl RateTable {
    /// Azerbaijan's rates (Tax Code: VAT art. 159, 164, 165, 175; simplified tax art. 218–220).
    /// The seeds give no rates (RULES.md, "What the documents leave open"); this table follows
    /// FP-13. Rows start on 2019-01-01, before the e-kassa rules (Cabinet of
    /// Ministers decision 338 of 2019-08-01), so every e-kassa document finds its rate.
    pub fn azerbaijan() -> RateTable {
        let since = |y, m, d| CivilDate::new(y, m, d).unwrap_or(CivilDate::MIN);
        let p = |n| Percent::whole(n).unwrap_or(Percent::min_value());
        let row = |treatment, from| RateEntry {
            treatment,
            from,
            until: None,
        };
        RateTable::new(vec![
            row(TaxTreatment::vat(p(18)), since(2019, 1, 1)),
            row(TaxTreatment::vat(p(0)), since(2019, 1, 1)),
            row(TaxTreatment::vat_exempt(), since(2019, 1, 1)),
            row(TaxTreatment::vat_on_margin(p(18)), since(2019, 1, 1)),
            row(TaxTreatment::simplified(p(2)), since(2019, 1, 1)),
            // Catering (ictimai iaşə) at 8%: FP-13.
            row(TaxTreatment::simplified(p(8)), since(2019, 1, 1)),
        ])
    }

    /// A table of your own (tests, a future rate change ahead of a release).
    pub fn new(entries: Vec<RateEntry>) -> RateTable {
        RateTable { entries }
    }

    /// The rows.
    pub fn entries(&self) -> &[RateEntry] {
        &self.entries
    }

    /// True when `treatment` is in force on `date`.
    pub fn in_force(&self, treatment: TaxTreatment, date: CivilDate) -> bool {
        self.entries
            .iter()
            .any(|e| e.treatment == treatment && e.in_force_on(date))
    }

    /// The treatment a deployed-format line means by its percent alone (SPEC.md §5.1): no
    /// percent is VAT-exempt; with `margin`, VAT on the margin; otherwise the one kind in force
    /// with that percent (VAT or simplified tax).
    pub fn infer(
        &self,
        percent: Option<Percent>,
        margin: bool,
        date: CivilDate,
    ) -> Result<TaxTreatment, RateLookupError> {
        let Some(percent) = percent else {
            return Ok(TaxTreatment::vat_exempt());
        };
        let mut found = self.entries.iter().filter(|e| {
            e.in_force_on(date)
                && e.treatment.percent == Some(percent)
                && (e.treatment.kind == TaxKind::VatOnMargin) == margin
        });
        match (found.next(), found.next()) {
            (Some(one), None) => Ok(one.treatment),
            (Some(_), Some(_)) => Err(RateLookupError::Ambiguous),
            (None, _) => Err(RateLookupError::NotInForce),
        }
    }
}

/// What a tax group is made of: a kind of line part and its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TaxCategory {
    /// VAT included in the price (0% is zero-rated).
    Vat,
    /// The margin part of VAT-on-margin lines.
    VatOnMargin,
    /// Simplified tax.
    Simplified,
    /// VAT-exempt lines.
    VatExempt,
    /// The part of VAT-on-margin lines that is not margin: not taxed.
    MarginRemainder,
}

impl TaxCategory {
    /// The stable name used in JSON: `vat`, `vat_margin`, `simplified`, `vat_exempt`,
    /// `margin_remainder`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TaxCategory::Vat => "vat",
            TaxCategory::VatOnMargin => "vat_margin",
            TaxCategory::Simplified => "simplified",
            TaxCategory::VatExempt => "vat_exempt",
            TaxCategory::MarginRemainder => "margin_remainder",
        }
    }

    /// The category with this stable name.
    pub fn from_name(name: &str) -> Option<TaxCategory> {
        [
            TaxCategory::Vat,
            TaxCategory::VatOnMargin,
            TaxCategory::Simplified,
            TaxCategory::VatExempt,
            TaxCategory::MarginRemainder,
        ]
        .into_iter()
        .find(|c| c.as_str() == name)
    }
}

/// A group's identity: category and rate. Groups sort by category, then by rate, highest
/// first (SPEC.md §5.3): the order they are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxGroupKey {
    /// The category.
    pub category: TaxCategory,
    /// The rate (`None` for the untaxed categories).
    pub percent: Option<Percent>,
}

impl Ord for TaxGroupKey {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        (self.category, Reverse(self.percent)).cmp(&(other.category, Reverse(other.percent)))
    }
}

impl PartialOrd for TaxGroupKey {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl TaxGroupKey {
    /// The key of the whole of a line of `treatment` (for margin lines: of its margin part).
    pub fn of(treatment: TaxTreatment) -> TaxGroupKey {
        let category = match treatment.kind {
            TaxKind::Vat => TaxCategory::Vat,
            TaxKind::VatOnMargin => TaxCategory::VatOnMargin,
            TaxKind::Simplified => TaxCategory::Simplified,
            TaxKind::VatExempt => TaxCategory::VatExempt,
        };
        TaxGroupKey {
            category,
            percent: treatment.percent,
        }
    }

    /// The treatment of the lines that make this group; `None` for the margin remainder,
    /// which is a part of VAT-on-margin lines, not a treatment of its own.
    pub fn treatment(self) -> Option<TaxTreatment> {
        let kind = match self.category {
            TaxCategory::Vat => TaxKind::Vat,
            TaxCategory::VatOnMargin => TaxKind::VatOnMargin,
            TaxCategory::Simplified => TaxKind::Simplified,
            TaxCategory::VatExempt => TaxKind::VatExempt,
            TaxCategory::MarginRemainder => return None,
        };
        TaxTreatment::new(kind, self.percent)
    }

    const REMAINDER: TaxGroupKey = TaxGroupKey {
        category: TaxCategory::MarginRemainder,
        percent: None,
    };

    /// The exact tax of `gross` in this group as a fraction `num / den` of qəpik.
    fn tax_fraction(self, gross_qepik: i128) -> (i128, i128) {
        let units = |p: Option<Percent>| i128::from(p.map_or(0, Percent::units));
        match self.category {
            // Percent has scale 2: p% = P / 10 000.
            TaxCategory::Vat | TaxCategory::VatOnMargin => {
                let p = units(self.percent);
                (gross_qepik * p, 10_000 + p)
            }
            TaxCategory::Simplified => (gross_qepik * units(self.percent), 10_000),
            TaxCategory::VatExempt | TaxCategory::MarginRemainder => (0, 1),
        }
    }

    /// The tax of a group with this gross: exact fraction rounded half away from zero.
    pub fn tax_of(self, gross: Amount) -> Amount {
        let (num, den) = self.tax_fraction(i128::from(gross.units()));
        amount_from_units(round_half_up(num, den))
    }
}

/// One tax group of a receipt: the gross amount sold under one category and rate, and its tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxGroup {
    /// Category and rate.
    pub key: TaxGroupKey,
    /// Gross amount (tax included for VAT).
    pub gross: Amount,
    /// The tax.
    pub tax: Amount,
}

/// The tax part of a line, as the tax math needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxLine {
    /// The line's treatment.
    pub treatment: TaxTreatment,
    /// The line total.
    pub total: Amount,
    /// For VAT on the margin: the margin part of the total.
    pub margin: Option<Amount>,
}

/// The result of [`compute`]: per-line taxes and per-group totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxBreakdown {
    /// The tax of each line, in line order; they add up to the groups' taxes exactly.
    pub line_tax: Vec<Amount>,
    /// The groups, in [`TaxGroupKey`] order.
    pub groups: Vec<TaxGroup>,
}

/// Computes the groups and the per-line taxes of a receipt (SPEC.md §5.3).
///
/// Amounts are assumed to be the receipt's validated values: their sums stay far inside
/// `i128`, and a group gross above [`Amount::max_value`] saturates (validation refuses such
/// receipts before they get here).
pub fn compute(lines: &[TaxLine]) -> TaxBreakdown {
    // Each line gives one part, or two for VAT on the margin (margin, and the rest).
    let mut parts: BTreeMap<TaxGroupKey, Vec<(usize, i128)>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let key = TaxGroupKey::of(line.treatment);
        let total = i128::from(line.total.units());
        match (line.treatment.kind, line.margin) {
            (TaxKind::VatOnMargin, Some(m)) => {
                let m = i128::from(m.units()).min(total);
                parts.entry(key).or_default().push((i, m));
                parts
                    .entry(TaxGroupKey::REMAINDER)
                    .or_default()
                    .push((i, total - m));
            }
            _ => parts.entry(key).or_default().push((i, total)),
        }
    }
    let mut line_tax = vec![0i128; lines.len()];
    let mut groups = Vec::with_capacity(parts.len());
    for (key, members) in parts {
        let gross: i128 = members.iter().map(|&(_, q)| q).sum();
        let (num, den) = key.tax_fraction(gross);
        let tax = round_half_up(num, den);
        let shares: Vec<i128> = members
            .iter()
            .map(|&(_, q)| key.tax_fraction(q).0)
            .collect();
        for (&(line, _), share) in members.iter().zip(allocate(tax, &shares, den)) {
            line_tax[line] += share;
        }
        groups.push(TaxGroup {
            key,
            gross: amount_from_units(gross),
            tax: amount_from_units(tax),
        });
    }
    TaxBreakdown {
        line_tax: line_tax.into_iter().map(amount_from_units).collect(),
        groups,
    }
}

/// The part of each group that is counted on this document when only `counted` of the
/// groups' total gross is paid now (SPEC.md §5.4): the advance and credit parts of a sale are
/// taxed on the advance and credit-payment receipts instead. `counted` is spread over the
/// groups in proportion to their gross (largest remainder), and each part's tax recomputed.
pub fn counted_groups(groups: &[TaxGroup], counted: Amount) -> Vec<TaxGroup> {
    let total: i128 = groups.iter().map(|g| i128::from(g.gross.units())).sum();
    let counted_units = i128::from(counted.units()).min(total);
    if total == counted_units {
        return groups.to_vec();
    }
    let weights: Vec<i128> = groups
        .iter()
        .map(|g| counted_units * i128::from(g.gross.units()))
        .collect();
    groups
        .iter()
        .zip(allocate(counted_units, &weights, total.max(1)))
        .map(|(g, part)| {
            let gross = amount_from_units(part);
            TaxGroup {
                key: g.key,
                gross,
                tax: g.key.tax_of(gross),
            }
        })
        .collect()
}

/// ⌊num/den + 1/2⌋ for num ≥ 0, den > 0: half away from zero.
fn round_half_up(num: i128, den: i128) -> i128 {
    (2 * num + den) / (2 * den)
}

/// Splits `total` units over parts whose exact values are `nums[i] / den`, where
/// Σ nums / den rounds to `total`: each part gets its floor, and the units left over go one each
/// to the parts with the largest remainders, the earlier part first on a tie.
fn allocate(total: i128, nums: &[i128], den: i128) -> Vec<i128> {
    let mut out: Vec<i128> = nums.iter().map(|n| n / den).collect();
    let mut left = total - out.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..nums.len()).collect();
    order.sort_by_key(|&i| (Reverse(nums[i] % den), i));
    // `left` is in 0..=len by the rounding argument in SPEC.md §5.3; the loop is defensive.
    while left > 0 && !order.is_empty() {
        for &i in &order {
            if left == 0 {
                break;
            }
            out[i] += 1;
            left -= 1;
        }
    }
    out
}

fn amount_from_units(units: i128) -> Amount {
    let units = i64::try_from(units).unwrap_or(i64::MAX);
    Amount::from_units(units).unwrap_or_else(Amount::max_value)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
