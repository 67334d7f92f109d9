//! Shifts: opening, the X-report, closing with the Z-report, and what each document adds to
//! its shift's report.

use alloc::vec::Vec;

use super::state::OpenShift;
use super::{Device, Issued};
use crate::document::{Content, KindTotals, ShiftReport};
use crate::error::Error;
use crate::money::Amount;
use crate::receipt::{DocType, Payments, Request};
use crate::tax::TaxGroup;
use crate::time::Timestamp;

/// Longest a shift may last before its next receipt: 24 hours (spec/FIELD-PRACTICE.md FP-24, PK-02).
pub const MAX_SHIFT_MS: i64 = 24 * Timestamp::HOUR;

impl Device {
    /// Opens a shift.
    pub fn open_shift(&mut self, now: Timestamp) -> Result<Issued, Error> {
        let warnings = self.ready(now, true)?;
        self.within_offline_limits(now)?;
        if self.state.shift.is_some() {
            return Err(Error::ShiftAlreadyOpen);
        }
        let mut next = self.state.clone();
        let number = next.last_shift + 1;
        next.last_shift = number;
        next.shift = Some(OpenShift {
            report: ShiftReport {
                shift: number,
                opened_at: now,
                first_number: next.last_number + 1,
                last_number: next.last_number + 1,
                receipts: 0,
                kinds: Vec::new(),
                cash_in: Amount::ZERO,
                cash_out: Amount::ZERO,
            },
        });
        let document = self.emit(&mut next, Content::OpenShift, now, number, 0);
        self.state = next;
        Ok(Issued { document, warnings })
    }

    /// The X-report: the open shift's totals so far. Changes nothing.
    pub fn x_report(&self) -> Result<ShiftReport, Error> {
        self.state
            .shift
            .as_ref()
            .map(|s| s.report.clone())
            .ok_or(Error::NoOpenShift)
    }

    /// Closes the shift with its Z-report (PK-02). Allowed after the certificate expired or
    /// the upload limits are reached, so that the data can still be closed and uploaded.
    pub fn close_shift(&mut self, now: Timestamp) -> Result<Issued, Error> {
        self.ready(now, false)?;
        let Some(shift) = self.state.shift.as_ref() else {
            return Err(Error::NoOpenShift);
        };
        let mut report = shift.report.clone();
        report.last_number = self.state.last_number + 1;
        let mut next = self.state.clone();
        next.shift = None;
        let document = self.emit(
            &mut next,
            Content::ZReport(report.clone()),
            now,
            report.shift,
            0,
        );
        self.state = next;
        Ok(Issued {
            document,
            warnings: Vec::new(),
        })
    }
}

fn add(a: Amount, b: Amount) -> Result<Amount, Error> {
    a.checked_add(b).ok_or(Error::TotalsOverflow)
}

fn add_payments(into: &mut Payments, p: &Payments) -> Result<(), Error> {
    into.cash = add(into.cash, p.cash)?;
    into.cashless = add(into.cashless, p.cashless)?;
    into.bonus = add(into.bonus, p.bonus)?;
    into.gift_card = add(into.gift_card, p.gift_card)?;
    into.fuel_card = add(into.fuel_card, p.fuel_card)?;
    into.prepayment = add(into.prepayment, p.prepayment)?;
    into.credit = add(into.credit, p.credit)?;
    into.tendered = add(into.tendered, p.tendered)?;
    into.change = add(into.change, p.change)?;
    Ok(())
}

fn add_groups(into: &mut Vec<TaxGroup>, groups: &[TaxGroup]) -> Result<(), Error> {
    for g in groups {
        match into.iter_mut().find(|x| x.key == g.key) {
            Some(x) => {
                x.gross = add(x.gross, g.gross)?;
                x.tax = add(x.tax, g.tax)?;
            }
            None => into.push(*g),
        }
    }
    into.sort_by_key(|g| g.key);
    Ok(())
}

/// What one document adds to its shift's report: its kind's row and the cash drawer.
pub(crate) fn account(report: &mut ShiftReport, content: &Content) -> Result<(), Error> {
    let (kind, sum, payments, groups, cash_in, cash_out) = match content {
        Content::Request(r) => {
            let kind = r.doc_type();
            match r {
                Request::Deposit(c) => (
                    kind,
                    c.amount(),
                    Payments::default(),
                    Vec::new(),
                    c.amount(),
                    Amount::ZERO,
                ),
                Request::Withdraw(c) => (
                    kind,
                    c.amount(),
                    Payments::default(),
                    Vec::new(),
                    Amount::ZERO,
                    c.amount(),
                ),
                Request::Correction(c) => (
                    kind,
                    c.totals().sum(),
                    *c.payments(),
                    c.totals().counted_groups().to_vec(),
                    c.payments().cash,
                    Amount::ZERO,
                ),
                other => {
                    let Some(b) = other.body() else { return Ok(()) };
                    let cash = b.payments().cash;
                    let (cin, cout) = if kind == DocType::Return {
                        (Amount::ZERO, cash)
                    } else {
                        (cash, Amount::ZERO)
                    };
                    (
                        kind,
                        b.totals().sum(),
                        *b.payments(),
                        b.totals().counted_groups().to_vec(),
                        cin,
                        cout,
                    )
                }
            }
        }
        Content::Cancel { voided, .. } => (
            DocType::Cancel,
            voided.sum,
            voided.payments,
            voided.groups.clone(),
            Amount::ZERO,
            voided.payments.cash,
        ),
        _ => return Ok(()),
    };
    let in_drawer = report.cash_in_drawer();
    report.cash_in = add(report.cash_in, cash_in)?;
    report.cash_out = add(report.cash_out, cash_out)?;
    // Only a document that takes cash out can overdraw the drawer (PK-01): a sale into a
    // drawer a forged withdrawal emptied is not refused again, so one fault is one finding.
    let overdrawn = !cash_out.is_zero() && report.cash_out > report.cash_in;
    let row = match report.kinds.iter().position(|k| k.kind == kind) {
        Some(i) => &mut report.kinds[i],
        None => {
            report.kinds.push(KindTotals {
                kind,
                count: 0,
                sum: Amount::ZERO,
                payments: Payments::default(),
                groups: Vec::new(),
            });
            report.kinds.sort_by_key(|k| k.kind);
            let i = report
                .kinds
                .iter()
                .position(|k| k.kind == kind)
                .unwrap_or(0);
            &mut report.kinds[i]
        }
    };
    row.count = row.count.saturating_add(1);
    row.sum = add(row.sum, sum)?;
    add_payments(&mut row.payments, &payments)?;
    add_groups(&mut row.groups, &groups)?;
    // The document is counted either way: the device refuses it (its working copy is
    // dropped), the verifier reports it and counts what the journal holds (SPEC.md §15.2).
    if overdrawn {
        return Err(Error::CashInsufficient { in_drawer });
    }
    Ok(())
}
