//! An issued document: its identity, its journal line, what it records and the money it moves.

use alloc::vec::Vec;

use serde_json::{json, Value};

use super::report::{groups, payments, shift_report};
use super::{decimal, iso_time, warning};
use crate::{Amount, Content, Document, Payments, Request, TaxGroup, Warning};

/// The money a document moves, whatever its kind: what a binding shows as `total`, `sum`,
/// the tax groups and the payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amounts {
    /// Σ line totals, a correction's sum, the cash moved, or a cancel's voided sum.
    pub total: Amount,
    /// The `sum` the tax service books (SPEC.md §5.4): on a sale the part paid now.
    pub sum: Amount,
    /// Tax groups of the goods (SPEC.md §5.3), in their order.
    pub tax_groups: Vec<TaxGroup>,
    /// The groups counted on this document (`vatAmounts`, SPEC.md §5.4).
    pub counted_groups: Vec<TaxGroup>,
    /// The payments by form; `None` for cash put in or taken out.
    pub payments: Option<Payments>,
}

impl Amounts {
    /// Σ tax over [`Amounts::tax_groups`]. The groups of one document were added up once
    /// already within the amount range, so the sum cannot overflow; were it to, the groups
    /// counted so far are the sum (never a panic at the boundary).
    pub fn tax_total(&self) -> Amount {
        self.tax_groups
            .iter()
            .fold(Amount::ZERO, |s, g| s.checked_add(g.tax).unwrap_or(s))
    }
}

/// The money `content` moves; `None` for the device's own records (activation, shift opening,
/// Z-report, decommissioning).
pub fn amounts(content: &Content) -> Option<Amounts> {
    match content {
        Content::Request(r) => {
            if let Some(b) = r.body() {
                let t = b.totals();
                return Some(Amounts {
                    total: t.total(),
                    sum: t.sum(),
                    tax_groups: t.tax_groups().to_vec(),
                    counted_groups: t.counted_groups().to_vec(),
                    payments: Some(*b.payments()),
                });
            }
            match r {
                Request::Correction(c) => Some(Amounts {
                    total: c.totals().total(),
                    sum: c.totals().sum(),
                    tax_groups: c.totals().tax_groups().to_vec(),
                    counted_groups: c.totals().counted_groups().to_vec(),
                    payments: Some(*c.payments()),
                }),
                Request::Deposit(c) | Request::Withdraw(c) => Some(Amounts {
                    total: c.amount(),
                    sum: c.amount(),
                    tax_groups: Vec::new(),
                    counted_groups: Vec::new(),
                    payments: None,
                }),
                _ => None,
            }
        }
        Content::Cancel { voided, .. } => Some(Amounts {
            total: voided.sum,
            sum: voided.sum,
            tax_groups: voided.groups.clone(),
            counted_groups: voided.groups.clone(),
            payments: Some(voided.payments),
        }),
        _ => None,
    }
}

/// `{"counted_groups", "payments", "sum", "tax_groups", "tax_total", "total"}`.
fn amounts_json(a: &Amounts) -> Value {
    json!({
        "counted_groups": groups(&a.counted_groups),
        "payments": a.payments.as_ref().map(payments),
        "sum": decimal(a.sum),
        "tax_groups": groups(&a.tax_groups),
        "tax_total": decimal(a.tax_total()),
        "total": decimal(a.total),
    })
}

/// What the document records: an activation `{"certificate": hash hex}`; a receipt or cash
/// document the request in its JSON form (SPEC.md §8.4); a cancel its request and the voided
/// receipt `{"data": {"cashier", "parentDocument"}, "doc_type": "rollback", "voided": {…}}`;
/// a Z-report its report itself ([`shift_report`]); a shift opening or decommissioning `{}`.
fn content(content: &Content) -> Value {
    match content {
        Content::Activation { certificate } => json!({ "certificate": hex::encode(certificate) }),
        Content::Request(r) => r.to_json_value(),
        Content::Cancel { request, voided } => json!({
            "data": { "cashier": request.cashier(), "parentDocument": request.parent() },
            "doc_type": "rollback",
            "voided": {
                "groups": groups(&voided.groups),
                "kind": voided.kind.wire_name(),
                "number": voided.number,
                "payments": payments(&voided.payments),
                "sum": decimal(voided.sum),
            },
        }),
        Content::ZReport(z) => shift_report(z),
        Content::OpenShift | Content::Decommission => json!({}),
    }
}

/// The document: `number`, `kind` (`activation`, `open_shift`, a `doc_type`, `zreport`,
/// `decommission`), `time` / `time_ms`, `shift`, `shift_receipt`, `fiscal_id` (64 hex) and
/// `short_id` (12), `previous` (the previous document's fiscal ID), `qr_payload` for
/// `qr_base`, `journal_line` (SPEC.md §13.5), `content`, `amounts` (`null` for the device's own
/// records) and `warnings` (those given with the document when it was issued; `[]` otherwise).
pub fn document(doc: &Document, qr_base: &str, warnings: &[Warning]) -> Value {
    let b = doc.body();
    let id = doc.id();
    json!({
        "amounts": amounts(&b.content).as_ref().map(amounts_json),
        "content": content(&b.content),
        "fiscal_id": id.long(),
        "journal_line": doc.to_journal_line(),
        "kind": b.content.name(),
        "number": b.number,
        "previous": hex::encode(b.previous),
        "qr_payload": crate::qr::payload(qr_base, &id),
        "shift": b.shift,
        "shift_receipt": b.shift_receipt,
        "short_id": id.short(),
        "time": iso_time(b.time),
        "time_ms": b.time.millis(),
        "warnings": warnings.iter().map(warning).collect::<Vec<_>>(),
    })
}
