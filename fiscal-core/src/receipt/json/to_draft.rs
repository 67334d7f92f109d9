//! A request → the draft that reading its JSON form back gives, without the text.

use alloc::vec::Vec;

use super::write::json_size_bound;
use super::{MAX_REQUEST_BYTES, MAX_VAT_AMOUNTS};
use crate::receipt::vat_amounts::vat_amounts;
use crate::receipt::{
    Adjustment, Line, LineDraft, Payments, ReceiptBody, Request, RequestDraft, VatAmountDraft,
    MAX_LINES,
};
use crate::tax::TaxKind;

impl Request {
    /// The draft that reading [`Request::to_json`] back gives (`RequestDraft::from_json`), built
    /// without the JSON text: the journal verifier re-validates every receipt through it
    /// (SPEC.md §15.2, RC-05), and the text round trip cost more than the rest of the
    /// per-document work together.
    ///
    /// It mirrors `to_json` member by member, so the two must change together (the unit test
    /// below compares them on every request of the math vectors and on forged ones). `None`
    /// where the JSON reader would itself report a problem or cut something off — more lines
    /// or `vatAmounts` entries than it reads, a text that could pass `MAX_REQUEST_BYTES`, a
    /// correction group it cannot name — so that the caller takes the real round trip and
    /// reports exactly what it reports. Only forged documents get there.
    pub(crate) fn to_draft(&self) -> Option<RequestDraft> {
        let mut d = RequestDraft {
            doc_type: Some(self.doc_type()),
            cashier: Some(self.cashier().into()),
            currency: Some("AZN".into()),
            ..RequestDraft::default()
        };
        match self {
            Request::Sale(r) => {
                draft_body(&mut d, &r.body, true)?;
                if !r.advances.is_empty() {
                    d.parents = Some(r.advances.clone());
                }
                d.credit_contract.clone_from(&r.credit_contract);
                d.vehicle_plate.clone_from(&r.body.vehicle_plate);
                d.rrn.clone_from(&r.body.rrn);
            }
            Request::Return(r) => {
                draft_body(&mut d, &r.body, false)?;
                d.parent = Some(r.parent.clone());
                d.return_of = Some(r.return_of);
                d.vehicle_plate.clone_from(&r.body.vehicle_plate);
                d.rrn.clone_from(&r.body.rrn);
            }
            Request::Advance(b) => {
                // `to_json` writes no vehiclePlate for an advance: a forged one is dropped,
                // and the re-validated request then differs, as through the text.
                draft_body(&mut d, b, true)?;
                d.rrn.clone_from(&b.rrn);
            }
            Request::CreditPayment(r) => {
                draft_body(&mut d, &r.body, true)?;
                d.parent = Some(r.parent.clone());
                d.instalment = Some(r.instalment);
                d.debt_left = Some(r.debt_left);
                d.credit_contract.clone_from(&r.credit_contract);
                d.rrn.clone_from(&r.body.rrn);
            }
            Request::Cancel(r) => d.parent = Some(r.parent.clone()),
            Request::Deposit(r) | Request::Withdraw(r) => d.sum = Some(r.amount),
            Request::Correction(r) => {
                draft_payments(&mut d, &r.payments, false);
                d.sum = Some(r.totals.sum);
                if r.totals.tax_groups.len() > MAX_VAT_AMOUNTS {
                    return None;
                }
                let mut entries = Vec::with_capacity(r.totals.tax_groups.len());
                for g in &r.totals.tax_groups {
                    entries.push(VatAmountDraft {
                        gross: Some(g.gross),
                        percent: g.key.percent,
                        // A category that is no tax kind (the margin remainder) is refused by
                        // the reader with its own problem.
                        tax_kind: Some(TaxKind::from_name(g.key.category.as_str())?),
                    });
                }
                d.vat_amounts = Some(entries);
            }
        }
        (json_size_bound(self) <= MAX_REQUEST_BYTES).then_some(d)
    }
}

/// The items, payments, `sum` and `vatAmounts` `write_body` writes, as the reader reads them.
fn draft_body(d: &mut RequestDraft, b: &ReceiptBody, tender: bool) -> Option<()> {
    if b.lines.len() > MAX_LINES {
        return None; // the reader keeps MAX_LINES + 1 of them
    }
    d.items = Some(b.lines.iter().map(draft_line).collect());
    draft_payments(d, &b.payments, tender);
    d.sum = Some(b.totals.sum);
    let vat = vat_amounts(&b.totals.counted_groups);
    if vat.len() > MAX_VAT_AMOUNTS {
        return None;
    }
    d.vat_amounts = Some(
        vat.into_iter()
            .map(|(percent, gross)| VatAmountDraft {
                gross: Some(gross),
                percent,
                tax_kind: None,
            })
            .collect(),
    );
    Some(())
}

fn draft_payments(d: &mut RequestDraft, p: &Payments, tender: bool) {
    d.cash = Some(p.cash);
    d.cashless = Some(p.cashless);
    d.bonus = Some(p.bonus);
    d.gift_card = Some(p.gift_card);
    d.fuel_card = Some(p.fuel_card);
    d.prepayment = Some(p.prepayment);
    d.credit = Some(p.credit);
    if tender {
        d.tendered = Some(p.tendered);
        d.change = Some(p.change);
    }
}

/// What `line_json` writes, as `read_line` reads it.
fn draft_line(l: &Line) -> LineDraft {
    let (discount, markup) = match l.adjustment {
        Some(Adjustment::Discount(a)) => (Some(a), None),
        Some(Adjustment::Markup(a)) => (None, Some(a)),
        None => (None, None),
    };
    LineDraft {
        name: Some(l.name.clone()),
        code_type: l.code.as_ref().map(|c| c.kind),
        code: l.code.as_ref().map(|c| c.code.clone()),
        unit: Some(l.unit),
        quantity: Some(l.quantity),
        price: Some(l.price),
        total: Some(l.total),
        percent: l.treatment.percent(),
        tax_kind: Some(l.treatment.kind()),
        margin: l.margin,
        margin_price: l.margin_price,
        discount,
        markup,
        department: l.department.as_ref().map(|d| u32::from(d.number)),
        department_name: l.department.as_ref().and_then(|d| d.name.clone()),
    }
}
