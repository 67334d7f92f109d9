//! Tax treatments, the rate table, and the tax math of a receipt (RC-05; SPEC.md §5.3).
//!
//! Rounding rule (SPEC.md §5.3): tax is computed **once per group** (one treatment and rate on
//! one receipt) from the group's gross amount, rounded half away from zero to the qəpik, and
//! then **allocated to the lines** by the largest-remainder method, so that the printed line
//! taxes always add up to the group tax exactly. Rounding each line on its own would lose up to
//! half a qəpik per line (100 lines of 0.01 AZN at 18% would show 0.00 VAT instead of 0.15).
//! All of it is exact integer arithmetic on qəpik: no decimal division ever rounds halfway.

use core::cmp::Reverse;
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::money::{Amount, Percent};

mod math;
mod rates;
#[cfg(test)]
mod tests;

pub(crate) use math::counted_groups;
pub use math::{compute, TaxBreakdown, TaxLine};
pub use rates::{RateEntry, RateLookupError, RateTable};

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
