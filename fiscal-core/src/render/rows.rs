//! What a receipt says: its rows, in print order, whatever the output format.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Labels, Receipt, Row};
use crate::document::{is_base58_reference, Content, FiscalId, ShiftReport, SHORT_ID_LEN};
use crate::money::Amount;
use crate::receipt::{Adjustment, DocType, Line, Payments, Request, ReturnOf, Unit};
use crate::tax::{TaxCategory, TaxGroup};

fn pct(g: &TaxGroup) -> String {
    g.key.percent.map_or(String::new(), |p| {
        format!(" {}%", p.as_decimal().normalize())
    })
}

fn tax_label(l: &Labels, g: &TaxGroup) -> String {
    let name = match g.key.category {
        TaxCategory::Vat => &l.vat,
        TaxCategory::VatOnMargin => &l.vat_margin,
        TaxCategory::Simplified => &l.simplified,
        TaxCategory::VatExempt => &l.vat_exempt,
        _ => &l.untaxed,
    };
    format!("{name}{}", pct(g))
}

fn payments_rows(rows: &mut Vec<Row>, l: &Labels, p: &Payments, with_tender: bool) {
    for (label, v) in [
        (&l.cash, p.cash),
        (&l.cashless, p.cashless),
        (&l.bonus, p.bonus),
        (&l.gift_card, p.gift_card),
        (&l.fuel_card, p.fuel_card),
        (&l.prepayment, p.prepayment),
        (&l.credit, p.credit),
    ] {
        if !v.is_zero() {
            rows.push(Row::Pair(label.clone(), v.to_string()));
        }
    }
    if with_tender && !p.cash.is_zero() {
        rows.push(Row::Pair(l.tendered.clone(), p.tendered.to_string()));
        rows.push(Row::Pair(l.change.clone(), p.change.to_string()));
    }
}

fn tax_rows(rows: &mut Vec<Row>, l: &Labels, groups: &[TaxGroup]) {
    let mut total = Amount::ZERO;
    for g in groups {
        match g.key.category {
            TaxCategory::Vat | TaxCategory::VatOnMargin | TaxCategory::Simplified => {
                rows.push(Row::Pair(tax_label(l, g), g.tax.to_string()));
                total = total.checked_add(g.tax).unwrap_or(total);
            }
            _ => rows.push(Row::Pair(tax_label(l, g), g.gross.to_string())),
        }
    }
    rows.push(Row::Pair(l.total_tax.clone(), total.to_string()));
}

/// A referenced receipt's fiscal ID in one form on every receipt (issue #21): the short form, the
/// one that receipt prints as its own "Fiskal ID", so the two can be compared by eye. A long
/// reference, in hex or in Base58 (the same 32 bytes, SPEC.md §8.8), is shortened to its first
/// 12 hex characters; a short hex one is lower-cased; a short Base58 one (its bytes are not
/// known) and a foreign one this engine cannot read are printed as written.
fn short_reference(text: &str) -> String {
    let long = match text.len() {
        64 => FiscalId::from_hex(text),
        SHORT_ID_LEN => None,
        _ if is_base58_reference(text) => FiscalId::from_base58(text),
        _ => None,
    };
    match long {
        Some(id) => id.short(),
        None if text.len() == SHORT_ID_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) => {
            text.to_ascii_lowercase()
        }
        None => text.to_string(),
    }
}

fn line_rows(rows: &mut Vec<Row>, l: &Labels, line: &Line) {
    rows.push(Row::Text(line.name().to_string()));
    let unit = l
        .units
        .get(unit_index(line.unit()))
        .cloned()
        .unwrap_or_default();
    rows.push(Row::Pair(
        format!(
            "  {} {unit} × {}",
            line.quantity().as_decimal().normalize(),
            money4(line.price().as_decimal())
        ),
        line.total().to_string(),
    ));
    let t = line.treatment();
    let rate = match (t.kind(), t.percent()) {
        (crate::tax::TaxKind::VatExempt, _) => l.vat_exempt.clone(),
        (crate::tax::TaxKind::Simplified, Some(p)) => {
            format!("{} {}%", l.simplified, p.as_decimal().normalize())
        }
        (crate::tax::TaxKind::VatOnMargin, Some(p)) => {
            format!("{} {}%", l.vat_margin, p.as_decimal().normalize())
        }
        (_, Some(p)) => format!("{} {}%", l.vat, p.as_decimal().normalize()),
        (_, None) => l.vat.clone(),
    };
    rows.push(Row::Pair(format!("  {rate}"), line.tax().to_string()));
    // The price and the line total already include a discount or markup (SPEC.md §7.2): its
    // label says "including" (`o cümlədən endirim`), so it does not read as a second deduction.
    match line.adjustment() {
        Some(Adjustment::Discount(a)) => {
            rows.push(Row::Pair(format!("  {}", l.discount), a.to_string()))
        }
        Some(Adjustment::Markup(a)) => {
            rows.push(Row::Pair(format!("  {}", l.markup), a.to_string()))
        }
        None => {}
    }
}

fn unit_index(u: Unit) -> usize {
    usize::from(u.code())
}

/// A unit price with 2 decimals, or up to 4 when it has them (fuel): 0.60, 1.0575.
fn money4(d: rust_decimal::Decimal) -> String {
    let n = d.normalize();
    if n.scale() <= 2 {
        let mut v = n;
        v.rescale(2);
        v.to_string()
    } else {
        n.to_string()
    }
}

fn title(l: &Labels, content: &Content) -> String {
    match content {
        Content::Request(r) => match r {
            Request::Sale(s) if s.is_credit_sale() => l.credit_sale.clone(),
            Request::Sale(s) if s.is_against_advances() => l.sale_against_advance.clone(),
            Request::Sale(_) => l.sale.clone(),
            Request::Return(_) => l.return_receipt.clone(),
            Request::Advance(_) => l.advance.clone(),
            Request::CreditPayment(_) => l.credit_payment.clone(),
            Request::Deposit(_) => l.deposit.clone(),
            Request::Withdraw(_) => l.withdraw.clone(),
            Request::Correction(_) => l.correction.clone(),
            _ => l.cancel.clone(),
        },
        Content::Cancel { .. } => l.cancel.clone(),
        Content::OpenShift => l.open_shift.clone(),
        Content::ZReport(_) => l.z_report.clone(),
        Content::Activation { .. } => l.activation.clone(),
        _ => l.decommission.clone(),
    }
}

fn z_rows(rows: &mut Vec<Row>, l: &Labels, z: &ShiftReport) {
    rows.push(Row::Pair(
        l.first_last.clone(),
        format!("{}–{}", z.first_number, z.last_number),
    ));
    rows.push(Row::Pair(
        l.receipts_in_shift.clone(),
        z.receipts.to_string(),
    ));
    for k in &z.kinds {
        rows.push(Row::Rule);
        let name = match k.kind {
            DocType::Sale => &l.sale,
            DocType::Return => &l.return_receipt,
            DocType::Cancel => &l.cancel,
            DocType::Advance => &l.advance,
            DocType::CreditPayment => &l.credit_payment,
            DocType::Deposit => &l.deposit,
            DocType::Withdraw => &l.withdraw,
            _ => &l.correction,
        };
        // The heading is the kind's `sum`, what the tax service books (SPEC.md §5.4), and the
        // rows under it add up to it (issue #21): the payment forms, then the counted tax
        // groups (gross / tax). A sale's advance offset and credit are not in its `sum` (taxed
        // on the advance and on the instalments): they follow, under a row that says so.
        rows.push(Row::Pair(format!("{name} ×{}", k.count), k.sum.to_string()));
        let mut counted = k.payments;
        let mut outside = Payments::default();
        if k.kind == DocType::Sale {
            outside.prepayment = core::mem::replace(&mut counted.prepayment, Amount::ZERO);
            outside.credit = core::mem::replace(&mut counted.credit, Amount::ZERO);
        }
        payments_rows(rows, l, &counted, false);
        for g in &k.groups {
            rows.push(Row::Pair(
                format!("  {}", tax_label(l, g)),
                format!("{} / {}", g.gross, g.tax),
            ));
        }
        if !(outside.prepayment.is_zero() && outside.credit.is_zero()) {
            rows.push(Row::Text(l.not_in_sum.clone()));
            let mut forms = Vec::new();
            payments_rows(&mut forms, l, &outside, false);
            rows.extend(forms.into_iter().map(|r| match r {
                Row::Pair(label, value) => Row::Pair(format!("  {label}"), value),
                other => other,
            }));
        }
    }
    rows.push(Row::Rule);
    rows.push(Row::Pair(l.cash_in.clone(), z.cash_in.to_string()));
    rows.push(Row::Pair(l.cash_out.clone(), z.cash_out.to_string()));
    rows.push(Row::Pair(
        l.cash_in_drawer.clone(),
        z.cash_in_drawer().to_string(),
    ));
}

impl Receipt<'_> {
    /// The layout: every field that applies to this document, in print order.
    pub fn rows(&self, l: &Labels) -> Vec<Row> {
        let doc = self.document;
        let b = doc.body();
        let mut rows = Vec::new();
        if let Some(c) = self.certificate {
            // Who and where (RC-01, RC-02, RC-04).
            rows.extend([
                Row::Center {
                    text: c.taxpayer_name.clone(),
                    bold: true,
                },
                Row::Pair(l.voen.clone(), c.voen.clone()),
                Row::Pair(l.object_name.clone(), c.object_name.clone()),
                Row::Pair(l.object_address.clone(), c.object_address.clone()),
                Row::Pair(l.object_code.clone(), c.object_code.clone()),
                Row::Rule,
            ]);
        }
        // What (RC-15) and when (RC-03, RC-06).
        rows.push(Row::Center {
            text: title(l, &b.content),
            bold: true,
        });
        if b.shift_receipt > 0 {
            rows.push(Row::Pair(
                l.receipt_number.clone(),
                b.shift_receipt.to_string(),
            ));
        }
        rows.push(Row::Pair(l.document_number.clone(), b.number.to_string()));
        if b.shift > 0 {
            rows.push(Row::Pair(l.shift.clone(), b.shift.to_string()));
        }
        let (h, m, s) = b.time.time_in_baku();
        let d = b.time.date_in_baku();
        rows.push(Row::Pair(
            l.date.clone(),
            format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        ));
        rows.push(Row::Pair(l.time.clone(), format!("{h:02}:{m:02}:{s:02}")));
        let cashier = match &b.content {
            Content::Request(r) => Some(r.cashier().to_string()),
            Content::Cancel { request, .. } => Some(request.cashier().to_string()),
            _ => None,
        };
        if let Some(cashier) = cashier {
            rows.push(Row::Pair(l.cashier.clone(), cashier));
        }
        rows.push(Row::Rule);
        match &b.content {
            Content::Request(r) => self.request_rows(&mut rows, l, r),
            Content::Cancel { request, voided } => {
                rows.push(Row::Pair(l.voided.clone(), format!("№ {}", voided.number)));
                rows.push(Row::Pair(
                    l.parent.clone(),
                    short_reference(request.parent()),
                ));
                rows.push(Row::Pair(l.total.clone(), voided.sum.to_string()));
                payments_rows(&mut rows, l, &voided.payments, false);
                tax_rows(&mut rows, l, &voided.groups);
            }
            Content::ZReport(z) => z_rows(&mut rows, l, z),
            _ => {}
        }
        // The kassa (RC-06, RC-07, RC-08, RC-16) and the proof (RC-09).
        rows.push(Row::Rule);
        if b.shift_receipt > 0 {
            rows.push(Row::Pair(
                l.receipts_in_shift.clone(),
                b.shift_receipt.to_string(),
            ));
        }
        if let Some(c) = self.certificate {
            rows.push(Row::Pair(l.kassa_model.clone(), c.kassa_model.clone()));
            rows.push(Row::Pair(
                l.kassa_factory_number.clone(),
                c.kassa_factory_number.clone(),
            ));
            rows.push(Row::Pair(
                l.nmq_registration_number.clone(),
                c.nmq_registration_number.clone(),
            ));
        }
        rows.push(Row::Center {
            text: l.fiscal_mode.clone(),
            bold: false,
        });
        rows.push(Row::Pair(l.fiscal_id.clone(), doc.id().short()));
        rows.push(Row::Qr(crate::qr::payload(self.qr_base, &doc.id())));
        rows
    }

    fn request_rows(&self, rows: &mut Vec<Row>, l: &Labels, r: &Request) {
        let Some(body) = r.body() else {
            // Cash in or out, correction.
            match r {
                Request::Correction(c) => {
                    rows.push(Row::Pair(l.total.clone(), c.totals().sum().to_string()));
                    payments_rows(rows, l, c.payments(), false);
                    tax_rows(rows, l, c.totals().tax_groups());
                }
                other => rows.push(Row::Pair(l.total.clone(), other.total().to_string())),
            }
            return;
        };
        for line in body.lines() {
            line_rows(rows, l, line);
        }
        rows.push(Row::Rule);
        let t = body.totals();
        rows.push(Row::Pair(l.total.clone(), t.total().to_string()));
        tax_rows(rows, l, t.tax_groups());
        rows.push(Row::Rule);
        let p = body.payments();
        // Cash handed over and change apply to money received (RC-12), not to a refund.
        let tender = matches!(
            r,
            Request::Sale(_) | Request::Advance(_) | Request::CreditPayment(_)
        );
        payments_rows(rows, l, p, tender);
        rows.push(Row::Pair(l.paid.clone(), t.sum().to_string()));
        match r {
            Request::Sale(s) => {
                for a in s.advances() {
                    rows.push(Row::Pair(l.advances_used.clone(), short_reference(a)));
                }
                if s.is_credit_sale() {
                    rows.push(Row::Pair(l.debt_left.clone(), p.credit.to_string()));
                }
            }
            Request::Return(ret) => {
                rows.push(Row::Pair(l.parent.clone(), short_reference(ret.parent())));
                if ret.return_of() != ReturnOf::Sale {
                    rows.push(Row::Text(ret.return_of().as_str().replace('_', " ")));
                }
            }
            Request::Advance(_) => {
                rows.push(Row::Pair(l.advance_paid.clone(), t.total().to_string()))
            }
            Request::CreditPayment(c) => {
                rows.push(Row::Pair(l.parent.clone(), short_reference(c.parent())));
                rows.push(Row::Pair(l.instalment.clone(), c.instalment().to_string()));
                rows.push(Row::Pair(l.debt_left.clone(), c.debt_left().to_string()));
            }
            _ => {}
        }
        if let Some(plate) = body.vehicle_plate() {
            rows.push(Row::Pair(l.vehicle_plate.clone(), plate.to_string()));
        }
    }
}
