//! The ledger: what documents owe each other (RC-11, RC-13, RC-17, RC-18; SPEC.md §14.6).
//!
//! A sale can be returned, an advance spent or its residue refunded, a credit sale paid off in
//! instalments, and each of them cancelled in its own shift. Each of these is a *claim* on an
//! earlier receipt, and together the claims on one receipt may never take more than it holds:
//! an advance spent and then refunded, or cancelled after a sale used it, pays the customer
//! twice and takes the turnover out of the tax base.
//!
//! The device (before it signs) and the journal verifier (as it reads) decide through the same
//! [`Ledger::apply`], so the till and the inspector cannot disagree. `apply` always records a
//! claim's effects and returns the first rule it breaks: the device applies it to a copy of its
//! state and keeps the copy only when nothing was broken; the verifier keeps the effects of a
//! document that breaks a rule (the journal holds it, and later documents were made after it)
//! and reports the break once, at that document.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::crypto::Hash;
use crate::document::{Content, Document, Voided};
use crate::error::Error;
use crate::money::Amount;
use crate::receipt::{DocType, Request, ReturnOf};

/// Most receipts a device's ledger keeps a balance for (SPEC.md §14.6). Past it the entry of
/// the oldest receipt is forgotten and the device falls back, for receipts that old, on the
/// documents the POS supplies with a request.
pub const MAX_LEDGER_ENTRIES: usize = 1024;

/// What later documents need to know of a receipt they refer to: fixed when it is issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Receipt {
    /// Its document number.
    pub(crate) number: u64,
    /// Its shift.
    pub(crate) shift: u32,
    /// Its kind (only a sale, an advance or a credit payment can be claimed on); `None` for
    /// a shift record, the activation or the decommission, which no claim can name either.
    pub(crate) kind: Option<DocType>,
    /// Its total.
    pub(crate) total: Amount,
    /// The debt a credit sale starts with (RC-13); zero for every other receipt.
    pub(crate) credit: Amount,
    /// What a sale took from advances (RC-11); zero for every other receipt.
    pub(crate) prepayment: Amount,
}

impl Receipt {
    /// What a document is, for the documents that may refer to it: any document, so that a
    /// reference to the wrong kind — a return, a deposit, a shift record — is refused by the
    /// claim's rules with `reference_wrong_kind`, by the device and the verifier alike.
    pub(crate) fn of(doc: &Document) -> Receipt {
        let (kind, total, credit, prepayment) = match &doc.body().content {
            Content::Request(r) => {
                let (credit, prepayment) = match r {
                    Request::Sale(s) => {
                        (s.body().payments().credit, s.body().payments().prepayment)
                    }
                    _ => (Amount::ZERO, Amount::ZERO),
                };
                (Some(r.doc_type()), r.total(), credit, prepayment)
            }
            Content::Cancel { .. } => (
                Some(DocType::Cancel),
                Amount::ZERO,
                Amount::ZERO,
                Amount::ZERO,
            ),
            _ => (None, Amount::ZERO, Amount::ZERO, Amount::ZERO),
        };
        Receipt {
            number: doc.number(),
            shift: doc.body().shift,
            kind,
            total,
            credit,
            prepayment,
        }
    }

    fn is_credit_sale(&self) -> bool {
        self.kind == Some(DocType::Sale) && !self.credit.is_zero()
    }
}

/// What has happened to one receipt since it was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct Balance {
    /// The receipt's number: entries are forgotten oldest first.
    number: u64,
    /// Σ returns against it (RC-17).
    returned: Amount,
    /// Σ taken from it by sales against advances (RC-11).
    consumed: Amount,
    /// Σ instalments paid on it (RC-18).
    paid: Amount,
    /// Instalments paid on it (RC-18).
    instalments: u32,
    /// Cancelled (RC-17).
    cancelled: bool,
}

impl Balance {
    fn fresh(number: u64) -> Balance {
        Balance {
            number,
            ..Balance::default()
        }
    }

    /// What is left of an advance to spend or refund: its total less what sales took and
    /// what was refunded (RC-11).
    fn advance_left(&self, r: &Receipt) -> Amount {
        r.total
            .checked_sub(self.consumed)
            .and_then(|x| x.checked_sub(self.returned))
            .unwrap_or(Amount::ZERO)
    }
}

/// A receipt a document refers to, found by the caller (the device among the documents
/// supplied, the verifier in its index).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parent<'r> {
    /// Its fiscal ID.
    pub(crate) key: Hash,
    /// What it is.
    pub(crate) receipt: Receipt,
    /// How the document named it (for messages).
    pub(crate) reference: &'r str,
}

/// What a document claims of earlier receipts.
#[derive(Debug, Clone)]
pub(crate) enum Claim<'r> {
    /// A return (RC-17): money back against a sale, an advance's residue or a credit payment.
    Return {
        /// The receipt returned against.
        parent: Parent<'r>,
        /// The return's total.
        amount: Amount,
        /// What the return says it refunds (`moneyBackType`).
        of: ReturnOf,
    },
    /// A cancel (RC-17) in shift `shift`.
    Cancel {
        /// The receipt voided.
        parent: Parent<'r>,
        /// The shift the cancel is issued in.
        shift: u32,
    },
    /// An instalment on a credit sale (RC-18).
    Instalment {
        /// The credit sale.
        parent: Parent<'r>,
        /// Its `paymentNumber`.
        number: u32,
        /// The instalment's total.
        amount: Amount,
        /// Its declared `residue`.
        debt_left: Amount,
    },
    /// A sale paid partly from advances (RC-11, RC-17).
    Advances {
        /// The advances, in the order the sale names them.
        advances: Vec<Parent<'r>>,
        /// The sale's prepayment part.
        need: Amount,
    },
}

impl<'r> Claim<'r> {
    /// The claim `content` makes, with its references resolved by `resolve`; `Ok(None)` when
    /// it makes none; the first error `resolve` gives.
    pub(crate) fn of<F, E>(
        content: &'r Content,
        shift: u32,
        mut resolve: F,
    ) -> Result<Option<Claim<'r>>, E>
    where
        F: FnMut(&'r str) -> Result<(Hash, Receipt), E>,
    {
        let mut parent = |reference: &'r str| {
            resolve(reference).map(|(key, receipt)| Parent {
                key,
                receipt,
                reference,
            })
        };
        let claim = match content {
            Content::Cancel { request, .. } => Claim::Cancel {
                parent: parent(request.parent())?,
                shift,
            },
            Content::Request(Request::Cancel(c)) => Claim::Cancel {
                parent: parent(c.parent())?,
                shift,
            },
            Content::Request(Request::Return(r)) => Claim::Return {
                parent: parent(r.parent())?,
                amount: r.body().totals().total(),
                of: r.return_of(),
            },
            Content::Request(Request::CreditPayment(c)) => Claim::Instalment {
                parent: parent(c.parent())?,
                number: c.instalment(),
                amount: c.body().totals().total(),
                debt_left: c.debt_left(),
            },
            Content::Request(Request::Sale(s)) if !s.advances().is_empty() => {
                let mut advances = Vec::with_capacity(s.advances().len());
                for a in s.advances() {
                    advances.push(parent(a)?);
                }
                Claim::Advances {
                    advances,
                    need: s.body().payments().prepayment,
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(claim))
    }

    /// The receipts the claim is on.
    pub(crate) fn parents(&self) -> &[Parent<'r>] {
        match self {
            Claim::Return { parent, .. }
            | Claim::Cancel { parent, .. }
            | Claim::Instalment { parent, .. } => core::slice::from_ref(parent),
            Claim::Advances { advances, .. } => advances,
        }
    }
}

/// What a cancel of `doc` must carry (RC-17): the voided receipt's number, kind, `sum`,
/// payments and counted groups. The device writes it into the cancel; the verifier compares
/// a cancel with it.
pub(crate) fn voided(doc: &Document) -> Option<Voided> {
    let Content::Request(r) = &doc.body().content else {
        return None;
    };
    let body = r.body()?;
    Some(Voided {
        number: doc.number(),
        kind: r.doc_type(),
        sum: body.totals().sum(),
        payments: *body.payments(),
        groups: body.totals().counted_groups().to_vec(),
    })
}

fn wrong_kind(reference: &str, why: &str) -> Error {
    Error::ReferenceWrongKind {
        reference: reference.into(),
        why: why.into(),
    }
}

fn plus(a: Amount, b: Amount) -> Amount {
    a.checked_add(b).unwrap_or_else(Amount::max_value)
}

fn minus(a: Amount, b: Amount) -> Amount {
    a.checked_sub(b).unwrap_or(Amount::ZERO)
}

/// The balances of the receipts documents have claimed on (SPEC.md §14.6). A receipt without
/// an entry has had nothing claimed of it — when its number is at or above the horizon; below
/// it, its entry may have been forgotten (the device's bound), and only the documents a POS
/// supplies can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Ledger {
    /// Receipts numbered from here on are all known.
    horizon: u64,
    balances: BTreeMap<Hash, Balance>,
}

impl Ledger {
    /// An empty ledger that knows the receipts numbered `horizon` and after (a state saved
    /// before the ledger existed knows none before its next document).
    pub(crate) fn starting_at(horizon: u64) -> Ledger {
        Ledger {
            horizon,
            balances: BTreeMap::new(),
        }
    }

    /// The balance of a receipt, when the ledger knows it.
    pub(crate) fn balance(&self, key: &Hash, number: u64) -> Option<Balance> {
        match self.balances.get(key) {
            Some(b) => Some(*b),
            None if number >= self.horizon => Some(Balance::fresh(number)),
            None => None,
        }
    }

    /// True when a receipt with an entry is the one `reference` names (any form, §13.3,
    /// §8.8): a receipt this device made and remembers.
    pub(crate) fn knows(&self, reference: &str) -> bool {
        self.balances
            .keys()
            .any(|k| crate::document::FiscalId(*k).matches(reference))
    }

    /// How many receipts have an entry.
    pub(crate) fn len(&self) -> usize {
        self.balances.len()
    }

    /// Receipts numbered below this may have been forgotten.
    pub(crate) fn horizon(&self) -> u64 {
        self.horizon
    }

    /// The internal consistency a saved state must have: no more than
    /// [`MAX_LEDGER_ENTRIES`], every entry of a document issued (an entry below the horizon
    /// was learnt from supplied documents and is remembered like any other).
    pub(crate) fn is_consistent(&self, last_number: u64) -> bool {
        self.balances.len() <= MAX_LEDGER_ENTRIES
            && self.horizon <= last_number.saturating_add(1)
            && self.balances.values().all(|b| b.number <= last_number)
    }

    /// Forgets the oldest entries until at most `max` remain, moving the horizon past them.
    pub(crate) fn bound(&mut self, max: usize) {
        while self.balances.len() > max {
            let Some((key, number)) = self
                .balances
                .iter()
                .min_by_key(|(_, b)| b.number)
                .map(|(k, b)| (*k, b.number))
            else {
                return;
            };
            self.balances.remove(&key);
            self.horizon = self.horizon.max(number.saturating_add(1));
            // Everything below the new horizon goes too: the ledger does not know them fully.
            let horizon = self.horizon;
            self.balances.retain(|_, b| b.number >= horizon);
        }
    }

    /// Checks `claim` against the balances of the receipts it names and records its effects,
    /// whether or not it breaks a rule; returns the first rule broken, in the order of SPEC.md
    /// §14.6 (the verifier's use).
    pub(crate) fn apply(&mut self, claim: &Claim<'_>) -> Result<(), Error> {
        let (verdict, changed) = self.assess(claim, &[]);
        self.record(changed);
        verdict
    }

    /// Records balances computed by [`Ledger::assess`] (or learnt).
    pub(crate) fn record(&mut self, changed: impl IntoIterator<Item = (Hash, Balance)>) {
        for (key, b) in changed {
            self.balances.insert(key, b);
        }
    }

    /// The verdict on `claim` and the balances it leaves, without changing the ledger (the
    /// device's use: it records them only when the whole operation succeeds). `learnt` are
    /// balances of receipts the ledger has forgotten, as the caller found them. A receipt
    /// neither known nor learnt counts as fresh.
    pub(crate) fn assess(
        &self,
        claim: &Claim<'_>,
        learnt: &[(Hash, Balance)],
    ) -> (Result<(), Error>, Vec<(Hash, Balance)>) {
        let balance = |p: &Parent<'_>| {
            learnt
                .iter()
                .find(|(k, _)| *k == p.key)
                .map(|(_, b)| *b)
                .or_else(|| self.balances.get(&p.key).copied())
                .unwrap_or_else(|| Balance::fresh(p.receipt.number))
        };
        match claim {
            Claim::Return { parent, amount, of } => {
                let mut b = balance(parent);
                let verdict = check_return(parent, &b, *amount, *of);
                if !return_fits(parent.receipt.kind, *of) {
                    return (verdict, Vec::new());
                }
                b.returned = plus(b.returned, *amount);
                (verdict, alloc::vec![(parent.key, b)])
            }
            Claim::Cancel { parent, shift } => {
                let mut b = balance(parent);
                let verdict = check_cancel(parent, &b, *shift);
                if !voidable(parent.receipt.kind) {
                    return (verdict, Vec::new());
                }
                b.cancelled = true;
                (verdict, alloc::vec![(parent.key, b)])
            }
            Claim::Instalment {
                parent,
                number,
                amount,
                debt_left,
            } => {
                let mut b = balance(parent);
                let verdict = check_instalment(parent, &b, *number, *amount, *debt_left);
                if !parent.receipt.is_credit_sale() {
                    return (verdict, Vec::new());
                }
                b.instalments = b.instalments.saturating_add(1);
                b.paid = plus(b.paid, *amount);
                (verdict, alloc::vec![(parent.key, b)])
            }
            Claim::Advances { advances, need } => {
                let mut found: Vec<(Hash, Balance)> = Vec::with_capacity(advances.len());
                let mut verdict = Ok(());
                let mut available = Amount::ZERO;
                for p in advances {
                    let b = found
                        .iter()
                        .find(|(k, _)| *k == p.key)
                        .map_or_else(|| balance(p), |(_, b)| *b);
                    if verdict.is_ok() {
                        if p.receipt.kind != Some(DocType::Advance) {
                            verdict = Err(wrong_kind(p.reference, "it is not an advance receipt"));
                        } else if b.cancelled {
                            verdict = Err(Error::AlreadyCancelled {
                                number: p.receipt.number,
                            });
                        }
                    }
                    // A receipt of the wrong kind gives nothing and is not charged.
                    if p.receipt.kind == Some(DocType::Advance)
                        && !found.iter().any(|(k, _)| *k == p.key)
                    {
                        available = plus(available, b.advance_left(&p.receipt));
                        found.push((p.key, b));
                    }
                }
                if verdict.is_ok() && *need > available {
                    verdict = Err(Error::AdvancesExceeded { available });
                }
                // The offset is taken from the advances in the order named (RC-11).
                let mut need = *need;
                for p in advances {
                    if let Some((_, b)) = found.iter_mut().find(|(k, _)| *k == p.key) {
                        let left = b.advance_left(&p.receipt);
                        let take = if need < left { need } else { left };
                        b.consumed = plus(b.consumed, take);
                        need = minus(need, take);
                    }
                }
                (verdict, found)
            }
        }
    }
}

/// A return of kind `of` can be made against a receipt of kind `kind` (`moneyBackType`).
fn return_fits(kind: Option<DocType>, of: ReturnOf) -> bool {
    matches!(
        (kind, of),
        (Some(DocType::Sale), ReturnOf::Sale)
            | (Some(DocType::Advance), ReturnOf::AdvanceResidue)
            | (Some(DocType::CreditPayment), ReturnOf::CreditPayment)
    )
}

/// A receipt of this kind can be cancelled.
fn voidable(kind: Option<DocType>) -> bool {
    matches!(
        kind,
        Some(DocType::Sale | DocType::Advance | DocType::CreditPayment)
    )
}

/// A return (RC-17): against the kind it names, not after a cancel, within what is left.
fn check_return(p: &Parent<'_>, b: &Balance, amount: Amount, of: ReturnOf) -> Result<(), Error> {
    if !return_fits(p.receipt.kind, of) {
        return Err(wrong_kind(
            p.reference,
            "moneyBackType does not fit the receipt (sale → 0, advance → 1, credit payment → 2)",
        ));
    }
    // A receipt is refunded once: not returned after it was cancelled.
    if b.cancelled {
        return Err(Error::AlreadyCancelled {
            number: p.receipt.number,
        });
    }
    let total = plus(b.returned, amount);
    if total > p.receipt.total {
        return Err(Error::ReturnExceedsSale {
            total,
            sold: p.receipt.total,
        });
    }
    // An advance's residue is what sales have not taken of it (RC-11): spent money is not
    // refunded again.
    if p.receipt.kind == Some(DocType::Advance) && amount > b.advance_left(&p.receipt) {
        return Err(Error::AdvancesExceeded {
            available: b.advance_left(&p.receipt),
        });
    }
    Ok(())
}

/// A cancel (RC-17): of a sale, advance or credit payment, in its own shift, once, before
/// anything else was claimed of it.
fn check_cancel(p: &Parent<'_>, b: &Balance, shift: u32) -> Result<(), Error> {
    if !voidable(p.receipt.kind) {
        return Err(wrong_kind(
            p.reference,
            "only a sale, an advance or a credit payment can be cancelled",
        ));
    }
    if p.receipt.shift != shift {
        return Err(Error::CancelOutsideShift);
    }
    if b.cancelled {
        return Err(Error::AlreadyCancelled {
            number: p.receipt.number,
        });
    }
    // Refunded once: returns and a cancel would pay twice.
    if !b.returned.is_zero() {
        return Err(Error::ReturnExceedsSale {
            total: plus(b.returned, p.receipt.total),
            sold: p.receipt.total,
        });
    }
    let why: Option<String> = if !b.consumed.is_zero() {
        Some(alloc::format!(
            "sales have spent {} of the advance",
            b.consumed
        ))
    } else if !p.receipt.prepayment.is_zero() {
        // Which advances gave how much is not kept: the prepayment could not be given back
        // to them, and the customer's advance would be lost with the cancel.
        Some(alloc::format!(
            "{} of it was paid from advances",
            p.receipt.prepayment
        ))
    } else if b.instalments > 0 {
        Some(alloc::format!(
            "{} instalments have been paid on it",
            b.instalments
        ))
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::ReceiptInUse {
            number: p.receipt.number,
            why,
        }),
        None => Ok(()),
    }
}

/// An instalment (RC-18): on a credit sale not cancelled, numbered next, within the debt,
/// with the right residue.
fn check_instalment(
    p: &Parent<'_>,
    b: &Balance,
    number: u32,
    amount: Amount,
    debt_left: Amount,
) -> Result<(), Error> {
    if !p.receipt.is_credit_sale() {
        return Err(wrong_kind(p.reference, "it is not a credit sale"));
    }
    if b.cancelled {
        return Err(Error::AlreadyCancelled {
            number: p.receipt.number,
        });
    }
    let expected = b.instalments.saturating_add(1);
    if number != expected {
        return Err(Error::InstalmentNumberMismatch { expected });
    }
    let debt = minus(p.receipt.credit, b.paid);
    let Some(left) = debt.checked_sub(amount) else {
        return Err(Error::InstalmentExceedsDebt { debt });
    };
    if left != debt_left {
        return Err(Error::DebtMismatch { expected: left });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    fn receipt(number: u64, kind: DocType, total: &str) -> Receipt {
        Receipt {
            number,
            shift: 1,
            kind: Some(kind),
            total: amount(total),
            credit: Amount::ZERO,
            prepayment: Amount::ZERO,
        }
    }

    fn parent(key: u8, receipt: Receipt) -> Parent<'static> {
        Parent {
            key: [key; 32],
            receipt,
            reference: "ref",
        }
    }

    #[test]
    fn the_bound_forgets_the_oldest_and_moves_the_horizon() {
        let mut ledger = Ledger::default();
        for n in [9u64, 5, 7] {
            ledger.record([([n as u8; 32], Balance::fresh(n))]);
        }
        ledger.bound(2);
        // Receipt 5 went: the horizon is past it, receipts 7 and 9 stay.
        assert_eq!(ledger.horizon(), 6);
        assert_eq!(ledger.len(), 2);
        assert_eq!(ledger.balance(&[5; 32], 5), None);
        assert_eq!(ledger.balance(&[7; 32], 7), Some(Balance::fresh(7)));
        // A receipt without an entry is fresh at or above the horizon, unknown below it.
        assert_eq!(ledger.balance(&[8; 32], 8), Some(Balance::fresh(8)));
        assert_eq!(ledger.balance(&[4; 32], 4), None);
        assert!(ledger.is_consistent(9));
        assert!(
            !ledger.is_consistent(8),
            "an entry of a document not issued"
        );
    }

    #[test]
    fn a_claim_on_the_wrong_kind_is_refused_and_not_charged() {
        let mut ledger = Ledger::default();
        let sale = parent(1, receipt(3, DocType::Sale, "10.00"));
        let claim = Claim::Return {
            parent: sale,
            amount: amount("4.00"),
            of: ReturnOf::AdvanceResidue,
        };
        let e = ledger.apply(&claim).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::ReferenceWrongKind);
        assert_eq!(ledger.len(), 0);
        // The same sale still refunds its whole 10.00 to a fitting return.
        let fits = Claim::Return {
            parent: sale,
            amount: amount("10.00"),
            of: ReturnOf::Sale,
        };
        assert_eq!(ledger.apply(&fits), Ok(()));
    }

    #[test]
    fn advances_are_taken_in_the_order_named_and_their_residue_is_what_is_left() {
        let mut ledger = Ledger::default();
        let a = parent(1, receipt(3, DocType::Advance, "20.00"));
        let b = parent(2, receipt(4, DocType::Advance, "30.00"));
        let sale = Claim::Advances {
            advances: alloc::vec![a, b],
            need: amount("45.00"),
        };
        assert_eq!(ledger.apply(&sale), Ok(()));
        // A gave all its 20.00, B 25.00 of its 30.00: 5.00 of B is left to refund, none of A.
        let refund = |p: Parent<'static>, x: &str| Claim::Return {
            parent: p,
            amount: amount(x),
            of: ReturnOf::AdvanceResidue,
        };
        let e = ledger.apply(&refund(a, "0.01")).unwrap_err();
        assert_eq!(
            e,
            Error::AdvancesExceeded {
                available: Amount::ZERO
            }
        );
        let mut probe = ledger.clone();
        assert_eq!(
            probe.apply(&refund(b, "5.01")),
            Err(Error::AdvancesExceeded {
                available: amount("5.00")
            })
        );
        assert_eq!(ledger.apply(&refund(b, "5.00")), Ok(()));
        // Spent and refunded, B can no longer be cancelled.
        let cancel = Claim::Cancel {
            parent: b,
            shift: 1,
        };
        assert_eq!(
            ledger.apply(&cancel).map_err(|e| e.code()),
            Err(crate::ErrorCode::ReturnExceedsSale)
        );
    }
}
