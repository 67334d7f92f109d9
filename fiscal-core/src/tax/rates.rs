//! The rate table: which treatments are in force on which days (SPEC.md §5.1).

use alloc::vec;
use alloc::vec::Vec;

use super::{TaxKind, TaxTreatment};
use crate::money::Percent;
use crate::time::CivilDate;

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
