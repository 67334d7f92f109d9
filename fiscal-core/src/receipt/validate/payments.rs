//! The payment rules (SPEC.md §7.4).

use alloc::format;

use super::Validator;
use crate::error::ErrorCode;
use crate::money::Amount;
use crate::receipt::members::TENDER;
use crate::receipt::Payments;

impl Validator<'_, '_, '_> {
    /// The payment rules (SPEC.md §7.4): forms add up to the total (when it is known); change
    /// only from cash.
    pub(super) fn payments(&mut self, total: Option<Amount>) -> Payments {
        let d = self.d;
        let z = |a: Option<Amount>| a.unwrap_or(Amount::ZERO);
        let mut pay = Payments {
            cash: z(d.cash),
            cashless: z(d.cashless),
            bonus: z(d.bonus),
            gift_card: z(d.gift_card),
            fuel_card: z(d.fuel_card),
            prepayment: z(d.prepayment),
            credit: z(d.credit),
            tendered: Amount::ZERO,
            change: Amount::ZERO,
        };
        let forms = pay.all_forms();
        const FORMS: [&str; 7] = [
            "cashSum",
            "cashlessSum",
            "bonusSum",
            "giftCardSum",
            "fuelCardSum",
            "prepaymentSum",
            "creditSum",
        ];
        // A form that could not be read (or is not taken): comparing sums would only repeat
        // that problem. `incomingSum` and `changeSum` count in no sum: refused as not taken by
        // the kind (a return), they leave the payment check to be made.
        let unread = |f: &&str| {
            self.p
                .iter()
                .any(|q| q.path == *f && q.code != ErrorCode::FieldNotAllowed)
        };
        if FORMS.iter().any(|f| self.p.touches(f))
            || ["incomingSum", "changeSum"].iter().any(unread)
        {
            return pay;
        }
        let total = total.unwrap_or(forms);
        if forms < total {
            self.p.push(
                ErrorCode::Underpaid,
                "",
                format!(
                    "the payments add up to {forms}, less than the total {total}; {} is missing",
                    diff(total, forms)
                ),
            );
        } else if forms > total {
            self.p.push(
                ErrorCode::Overpaid,
                "",
                format!(
                    "the payments add up to {forms}, more than the total {total}; only cash handed over (incomingSum) may exceed the price, and its excess is the change"
                ),
            );
        }
        if !TENDER.contains(&self.kind) {
            pay.tendered = pay.cash;
            return pay;
        }
        let tendered = match (d.tendered, d.change) {
            (Some(t), _) => t,
            (None, Some(c)) => pay.cash.checked_add(c).unwrap_or(Amount::max_value()),
            (None, None) => pay.cash,
        };
        if tendered > pay.cash && pay.cash.is_zero() {
            self.p.push(
                ErrorCode::ChangeWithoutCash,
                if d.tendered.is_some() {
                    "incomingSum"
                } else {
                    "changeSum"
                },
                "change is given only from cash, and nothing is paid in cash (cashSum is 0)".into(),
            );
        } else if tendered < pay.cash {
            self.p.push(
                ErrorCode::TenderedBelowCash,
                "incomingSum",
                format!(
                    "the customer handed over {tendered} in cash, less than the cash part {}",
                    pay.cash
                ),
            );
        }
        let change = tendered.checked_sub(pay.cash).unwrap_or(Amount::ZERO);
        if let (Some(declared), Some(_)) = (d.change, d.tendered) {
            if declared != change && !self.p.contains(ErrorCode::ChangeWithoutCash) {
                self.p.push(
                    ErrorCode::ChangeMismatch,
                    "changeSum",
                    format!(
                        "the change is {tendered} − {} = {change}, not {declared}",
                        pay.cash
                    ),
                );
            }
        }
        pay.tendered = tendered;
        pay.change = change;
        pay
    }
}

fn diff(a: Amount, b: Amount) -> Amount {
    a.checked_sub(b).unwrap_or(Amount::ZERO)
}
