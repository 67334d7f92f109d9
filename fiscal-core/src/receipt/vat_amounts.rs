//! The deployed `vatAmounts` list (FP-15): gross amounts by rate, as declared, checked and
//! written.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{percent_text, sum_amounts};
use crate::money::{Amount, Percent};
use crate::tax::TaxGroup;

pub(super) fn add_by_percent(
    list: &mut Vec<(Option<Percent>, Amount)>,
    percent: Option<Percent>,
    gross: Amount,
) {
    match list.iter_mut().find(|(p, _)| *p == percent) {
        Some((_, g)) => *g = sum_amounts([*g, gross]),
        None => list.push((percent, gross)),
    }
}

/// Drops zero entries and sorts: rates from highest to lowest, the untaxed group last.
pub(super) fn normalize(
    mut list: Vec<(Option<Percent>, Amount)>,
) -> Vec<(Option<Percent>, Amount)> {
    list.retain(|(_, g)| !g.is_zero());
    list.sort_by(|a, b| match (a.0, b.0) {
        (None, None) => core::cmp::Ordering::Equal,
        (None, Some(_)) => core::cmp::Ordering::Greater,
        (Some(_), None) => core::cmp::Ordering::Less,
        (Some(x), Some(y)) => y.cmp(&x),
    });
    list
}

/// The deployed `vatAmounts` of counted groups (FP-15): gross per rate, exempt
/// and margin-remainder parts together without a rate (SPEC.md §5.5).
pub(crate) fn vat_amounts(groups: &[TaxGroup]) -> Vec<(Option<Percent>, Amount)> {
    let mut list = Vec::new();
    for g in groups {
        add_by_percent(&mut list, g.key.percent, g.gross);
    }
    normalize(list)
}

pub(super) fn show_vat(list: &[(Option<Percent>, Amount)]) -> String {
    if list.is_empty() {
        return "empty".into();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|(p, g)| match p {
            Some(p) => format!("{g} at {}%", percent_text(*p)),
            None => format!("{g} untaxed"),
        })
        .collect();
    parts.join(", ")
}
