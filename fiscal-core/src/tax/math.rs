//! The tax math: group taxes, their allocation to lines, and the counted part (SPEC.md §5.3,
//! §5.4).

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Reverse;

use super::{TaxCategory, TaxGroup, TaxGroupKey, TaxKind, TaxTreatment};
use crate::money::{Amount, Percent};

impl TaxGroupKey {
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
pub(crate) fn counted_groups(groups: &[TaxGroup], counted: Amount) -> Vec<TaxGroup> {
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
