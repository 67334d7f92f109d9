//! A shift report (PK-02): the X-report of an open shift, the Z-report that closes it.

use alloc::vec::Vec;

use serde_json::{json, Value};

use super::{decimal, iso_time};
use crate::{Payments, ShiftReport, TaxGroup};

/// `{"bonus", "cash", "cashless", "change", "credit", "fuel_card", "gift_card", "prepayment",
/// "tendered"}`, each a decimal string.
pub(super) fn payments(p: &Payments) -> Value {
    json!({
        "bonus": decimal(p.bonus),
        "cash": decimal(p.cash),
        "cashless": decimal(p.cashless),
        "change": decimal(p.change),
        "credit": decimal(p.credit),
        "fuel_card": decimal(p.fuel_card),
        "gift_card": decimal(p.gift_card),
        "prepayment": decimal(p.prepayment),
        "tendered": decimal(p.tendered),
    })
}

/// Tax groups: `[{"category", "gross", "percent", "tax"}]`, the category by its stable name
/// (SPEC.md §13.6), `percent` `null` for a category without a rate.
pub(super) fn groups(groups: &[TaxGroup]) -> Value {
    Value::Array(
        groups
            .iter()
            .map(|g| {
                json!({
                    "category": g.key.category.as_str(),
                    "gross": decimal(g.gross),
                    "percent": g.key.percent.map(decimal),
                    "tax": decimal(g.tax),
                })
            })
            .collect(),
    )
}

/// The report: `shift`, `opened_at` / `opened_at_ms`, `first_number`, `last_number`,
/// `receipts`, `kinds` (per document kind by its `doc_type`: `count`, `sum`, `payments`,
/// `groups`), `cash_in`, `cash_out` and `cash_in_drawer`.
pub fn shift_report(z: &ShiftReport) -> Value {
    json!({
        "cash_in": decimal(z.cash_in),
        "cash_in_drawer": decimal(z.cash_in_drawer()),
        "cash_out": decimal(z.cash_out),
        "first_number": z.first_number,
        "kinds": z.kinds.iter().map(|k| json!({
            "count": k.count,
            "groups": groups(&k.groups),
            "kind": k.kind.wire_name(),
            "payments": payments(&k.payments),
            "sum": decimal(k.sum),
        })).collect::<Vec<_>>(),
        "last_number": z.last_number,
        "opened_at": iso_time(z.opened_at),
        "opened_at_ms": z.opened_at.millis(),
        "receipts": z.receipts,
        "shift": z.shift,
    })
}
