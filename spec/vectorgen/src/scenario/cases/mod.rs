//! The scenarios, by topic, in the order of the file (tcIds are written with each case).

mod bulk;
mod credit_cash;
mod ledger;
mod lifecycle;
mod receipts;

use super::Case;

/// Every scenario, in the order of the file.
pub(super) fn all() -> Vec<Case> {
    let mut v = Vec::new();
    lifecycle::push(&mut v);
    receipts::push(&mut v);
    credit_cash::push(&mut v);
    ledger::push(&mut v);
    v
}
