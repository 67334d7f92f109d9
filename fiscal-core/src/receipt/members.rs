//! The member table (SPEC.md §7.1): which members each document kind takes, by their names on
//! the wire.

use super::{DocType, RequestDraft};
use crate::money::Amount;

/// A member that only some document kinds take (SPEC.md §7.1).
pub(super) struct Member {
    pub(super) wire: &'static str,
    pub(super) payment_form: bool,
    pub(super) allowed: &'static [DocType],
    pub(super) present: fn(&RequestDraft) -> bool,
}

use DocType as D;
const WITH_LINES: &[DocType] = &[D::Sale, D::Return, D::Advance, D::CreditPayment];
const MONEY_IN_NOW: &[DocType] = &[
    D::Sale,
    D::Return,
    D::Advance,
    D::CreditPayment,
    D::Correction,
];
const ALL_FORMS: &[DocType] = &[D::Sale, D::Return, D::Correction];
pub(super) const TENDER: &[DocType] = &[D::Sale, D::Advance, D::CreditPayment];

pub(super) fn nonzero(a: Option<Amount>) -> bool {
    a.is_some_and(|a| !a.is_zero())
}

pub(super) const MEMBERS: &[Member] = &[
    Member {
        wire: "items",
        payment_form: false,
        allowed: WITH_LINES,
        present: |d| d.items.as_ref().is_some_and(|v| !v.is_empty()),
    },
    Member {
        wire: "sum",
        payment_form: false,
        allowed: &[
            D::Sale,
            D::Return,
            D::Advance,
            D::CreditPayment,
            D::Deposit,
            D::Withdraw,
            D::Correction,
        ],
        present: |d| nonzero(d.sum),
    },
    Member {
        wire: "cashSum",
        payment_form: true,
        allowed: MONEY_IN_NOW,
        present: |d| nonzero(d.cash),
    },
    Member {
        wire: "cashlessSum",
        payment_form: true,
        allowed: MONEY_IN_NOW,
        present: |d| nonzero(d.cashless),
    },
    Member {
        wire: "bonusSum",
        payment_form: true,
        allowed: ALL_FORMS,
        present: |d| nonzero(d.bonus),
    },
    Member {
        wire: "giftCardSum",
        payment_form: true,
        allowed: ALL_FORMS,
        present: |d| nonzero(d.gift_card),
    },
    Member {
        wire: "fuelCardSum",
        payment_form: true,
        allowed: ALL_FORMS,
        present: |d| nonzero(d.fuel_card),
    },
    Member {
        wire: "prepaymentSum",
        payment_form: true,
        allowed: ALL_FORMS,
        present: |d| nonzero(d.prepayment),
    },
    Member {
        wire: "creditSum",
        payment_form: true,
        allowed: ALL_FORMS,
        present: |d| nonzero(d.credit),
    },
    Member {
        wire: "incomingSum",
        payment_form: false,
        allowed: TENDER,
        present: |d| nonzero(d.tendered),
    },
    Member {
        wire: "changeSum",
        payment_form: false,
        allowed: TENDER,
        present: |d| nonzero(d.change),
    },
    Member {
        wire: "vatAmounts",
        payment_form: false,
        allowed: MONEY_IN_NOW,
        present: |d| d.vat_amounts.as_ref().is_some_and(|v| !v.is_empty()),
    },
    Member {
        wire: "parentDocument",
        payment_form: false,
        allowed: &[D::Return, D::Cancel, D::CreditPayment],
        present: |d| d.parent.is_some(),
    },
    Member {
        wire: "parents",
        payment_form: false,
        allowed: &[D::Sale],
        present: |d| d.parents.as_ref().is_some_and(|v| !v.is_empty()),
    },
    Member {
        wire: "creditContract",
        payment_form: false,
        allowed: &[D::Sale, D::CreditPayment],
        present: |d| d.credit_contract.is_some(),
    },
    Member {
        wire: "paymentNumber",
        payment_form: false,
        allowed: &[D::CreditPayment],
        present: |d| d.instalment.is_some(),
    },
    Member {
        wire: "residue",
        payment_form: false,
        allowed: &[D::CreditPayment],
        present: |d| d.debt_left.is_some(),
    },
    Member {
        wire: "moneyBackType",
        payment_form: false,
        allowed: &[D::Return],
        present: |d| d.return_of.is_some(),
    },
    Member {
        wire: "vehiclePlate",
        payment_form: false,
        allowed: &[D::Sale, D::Return],
        present: |d| d.vehicle_plate.is_some(),
    },
    Member {
        wire: "rrn",
        payment_form: false,
        allowed: MONEY_IN_NOW,
        present: |d| d.rrn.is_some(),
    },
];
