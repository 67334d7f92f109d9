//! Requests for every document a kassa forms (RC-15, PK-01, PK-02), validated.
//!
//! A [`RequestDraft`] is what a caller fills in (or what [`Request::from_json`] reads); its
//! [`RequestDraft::validate`] checks every rule of SPEC.md §7 and returns a [`Request`], or
//! every problem found. A `Request` that exists is valid: its totals reconcile to the qəpik.
//! It is not yet a fiscal document: the device (a later module) numbers, signs and issues it.

mod draft;
mod members;
mod validate;
mod vat_amounts;

#[cfg(feature = "json")]
mod json;

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::money::{Amount, Percent, Quantity, UnitPrice};
use crate::tax::{TaxGroup, TaxTreatment};

pub use draft::{LineDraft, RequestDraft, VatAmountDraft};
pub use validate::{
    ValidationContext, MAX_CASHIER, MAX_ITEM_NAME, MAX_LINES, MAX_REFERENCES, MAX_REFERENCES_BYTES,
    MAX_SHORT_TEXT,
};

#[cfg(feature = "json")]
pub(crate) use json::{duplicate_path, read_typed};
#[cfg(feature = "json")]
pub use json::{MAX_REQUEST_BYTES, MAX_VAT_AMOUNTS};

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $code:literal, $text:literal ),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum $name { $( $(#[$vdoc])* $variant ),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The wire value (SPEC.md §8.2; units and code types: FP-09, FP-10).
            pub const fn code(self) -> u8 {
                match self { $($name::$variant => $code),* }
            }

            /// The value with this wire code.
            pub fn from_code(code: u64) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }

            /// A short English name.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }
    };
}

coded_enum! {
    /// Unit of measure (`itemQuantityType`, RC-05).
    Unit {
        /// Piece (ədəd).
        Piece = 0, "piece",
        /// Kilogram.
        Kilogram = 1, "kg",
        /// Litre.
        Litre = 2, "l",
        /// Metre.
        Metre = 3, "m",
        /// Square metre.
        SquareMetre = 4, "m2",
        /// Cubic metre.
        CubicMetre = 5, "m3",
    }
}

coded_enum! {
    /// What an item code is (`itemCodeType`).
    CodeType {
        /// Free text code (shop's own).
        Text = 0, "text",
        /// EAN-8 barcode.
        Ean8 = 1, "ean8",
        /// EAN-13 barcode.
        Ean13 = 2, "ean13",
        /// Service code.
        Service = 3, "service",
        /// Payment of a credit sale.
        CreditPayment = 5, "credit_payment",
    }
}

coded_enum! {
    /// What a return gives money back for (`moneyBackType`).
    ReturnOf {
        /// Goods of an ordinary sale.
        Sale = 0, "sale",
        /// The unused rest of an advance.
        AdvanceResidue = 1, "advance_residue",
        /// A credit payment.
        CreditPayment = 2, "credit_payment",
    }
}

/// The kind of document (`doc_type`; RC-15, PK-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DocType {
    /// Sale (`sale`); also a credit sale and a sale against advances, by their payments.
    Sale,
    /// Return of goods or money (`money_back`).
    Return,
    /// Cancel of a receipt of the open shift (`rollback`).
    Cancel,
    /// Advance payment (`prepay`).
    Advance,
    /// Instalment on a credit sale (`creditpay`).
    CreditPayment,
    /// Cash put into the drawer (`deposit`).
    Deposit,
    /// Cash taken from the drawer (`withdraw`).
    Withdraw,
    /// Correction: period sums not fiscalized in time (`correction`).
    Correction,
}

impl DocType {
    /// Every kind.
    pub const ALL: [DocType; 8] = [
        DocType::Sale,
        DocType::Return,
        DocType::Cancel,
        DocType::Advance,
        DocType::CreditPayment,
        DocType::Deposit,
        DocType::Withdraw,
        DocType::Correction,
    ];

    /// The `doc_type` deployed POS software sends.
    pub const fn wire_name(self) -> &'static str {
        match self {
            DocType::Sale => "sale",
            DocType::Return => "money_back",
            DocType::Cancel => "rollback",
            DocType::Advance => "prepay",
            DocType::CreditPayment => "creditpay",
            DocType::Deposit => "deposit",
            DocType::Withdraw => "withdraw",
            DocType::Correction => "correction",
        }
    }

    /// The kind with this `doc_type`.
    pub fn from_wire_name(name: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|d| d.wire_name() == name)
    }

    /// True for the kinds that are receipts, counted within the shift (RC-06): sale, return,
    /// cancel, advance, credit payment. Cash in, cash out and corrections are documents but
    /// not receipts.
    pub const fn is_receipt(self) -> bool {
        matches!(
            self,
            DocType::Sale
                | DocType::Return
                | DocType::Cancel
                | DocType::Advance
                | DocType::CreditPayment
        )
    }

    /// True for the kinds that are receipts with lines (sale, return, advance, credit payment).
    pub const fn has_lines(self) -> bool {
        matches!(
            self,
            DocType::Sale | DocType::Return | DocType::Advance | DocType::CreditPayment
        )
    }
}

/// A line's discount or markup (PK-03): the amount by which the line differs from the list
/// price. It is already included in `price` and `total` (FP-11: `itemPrice` is
/// the price after discount); it is printed, not applied again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Adjustment {
    /// Taken off.
    Discount(Amount),
    /// Added.
    Markup(Amount),
}

/// An item code with its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemCode {
    pub(crate) kind: CodeType,
    pub(crate) code: String,
}

impl ItemCode {
    /// The type.
    pub fn kind(&self) -> CodeType {
        self.kind
    }
    /// The code.
    pub fn code(&self) -> &str {
        &self.code
    }
}

/// A department (PK-03): a number and an optional name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub(crate) number: u16,
    pub(crate) name: Option<String>,
}

impl Department {
    /// The number, 1–9999.
    pub fn number(&self) -> u16 {
        self.number
    }
    /// The name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// A validated line (RC-05).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub(crate) name: String,
    pub(crate) code: Option<ItemCode>,
    pub(crate) unit: Unit,
    pub(crate) quantity: Quantity,
    pub(crate) price: UnitPrice,
    pub(crate) total: Amount,
    pub(crate) treatment: TaxTreatment,
    pub(crate) margin: Option<Amount>,
    pub(crate) margin_price: Option<UnitPrice>,
    pub(crate) adjustment: Option<Adjustment>,
    pub(crate) department: Option<Department>,
    pub(crate) tax: Amount,
}

impl Line {
    /// Name of the goods or service.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Item code.
    pub fn code(&self) -> Option<&ItemCode> {
        self.code.as_ref()
    }
    /// Unit of measure.
    pub fn unit(&self) -> Unit {
        self.unit
    }
    /// Quantity.
    pub fn quantity(&self) -> Quantity {
        self.quantity
    }
    /// Unit price charged (after any discount or markup).
    pub fn price(&self) -> UnitPrice {
        self.price
    }
    /// Line total.
    pub fn total(&self) -> Amount {
        self.total
    }
    /// Tax treatment.
    pub fn treatment(&self) -> TaxTreatment {
        self.treatment
    }
    /// For VAT on the margin: the margin part of the total.
    pub fn margin(&self) -> Option<Amount> {
        self.margin
    }
    /// For VAT on the margin: the margin per unit as the POS sent it (printed only).
    pub fn margin_price(&self) -> Option<UnitPrice> {
        self.margin_price
    }
    /// Discount or markup included in the price.
    pub fn adjustment(&self) -> Option<Adjustment> {
        self.adjustment
    }
    /// Department.
    pub fn department(&self) -> Option<&Department> {
        self.department.as_ref()
    }
    /// The line's tax (its share of its group's tax, SPEC.md §5.3).
    pub fn tax(&self) -> Amount {
        self.tax
    }
}

/// How a document is paid, by form (RC-10, RC-12, RC-14). Absent forms are zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Payments {
    /// The part of the price paid in cash (`cashSum`).
    pub cash: Amount,
    /// Paid by bank card or transfer (`cashlessSum`).
    pub cashless: Amount,
    /// Paid with bonus points (`bonusSum`).
    pub bonus: Amount,
    /// Paid with a gift card (`giftCardSum`; an addition to the deployed format).
    pub gift_card: Amount,
    /// Paid with a fuel card / talon (`fuelCardSum`; an addition, RC-19).
    pub fuel_card: Amount,
    /// Offset against advances paid earlier (`prepaymentSum`).
    pub prepayment: Amount,
    /// Left to pay later: the debt of a credit sale (`creditSum`, RC-13).
    pub credit: Amount,
    /// Cash handed over by the customer (`incomingSum`); equals `cash` when not given.
    pub tendered: Amount,
    /// Change given back: `tendered − cash` (`changeSum`, RC-12).
    pub change: Amount,
}

impl Payments {
    /// Money received now: cash, cashless, bonus, gift card and fuel card.
    pub fn paid_now(&self) -> Amount {
        sum_amounts([
            self.cash,
            self.cashless,
            self.bonus,
            self.gift_card,
            self.fuel_card,
        ])
    }

    /// Every form together: paid now + advance offset + credit.
    pub fn all_forms(&self) -> Amount {
        sum_amounts([self.paid_now(), self.prepayment, self.credit])
    }
}

/// Sums amounts that validation has already bounded (saturating at the maximum).
pub(crate) fn sum_amounts<I: IntoIterator<Item = Amount>>(amounts: I) -> Amount {
    let units: i64 = amounts
        .into_iter()
        .map(Amount::units)
        .fold(0, i64::saturating_add);
    Amount::from_units(units).unwrap_or_else(Amount::max_value)
}

/// The computed sums of a document (SPEC.md §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub(crate) total: Amount,
    pub(crate) sum: Amount,
    pub(crate) tax_groups: Vec<TaxGroup>,
    pub(crate) counted_groups: Vec<TaxGroup>,
}

impl Totals {
    /// The value of the goods: Σ line totals (for a correction, its sum; for cash in or out,
    /// its amount).
    pub fn total(&self) -> Amount {
        self.total
    }

    /// The document's `sum` as deployed (SPEC.md §5.4): for a sale, the part paid now
    /// (total − advance offset − credit); for every other kind, the total.
    pub fn sum(&self) -> Amount {
        self.sum
    }

    /// Tax contained in the goods, per group (RC-05).
    pub fn tax_groups(&self) -> &[TaxGroup] {
        &self.tax_groups
    }

    /// The groups counted on this document, as the tax service books them (`vatAmounts`,
    /// SPEC.md §5.4): the same as [`Totals::tax_groups`] except on a sale with an advance
    /// offset or credit, where only the part paid now counts.
    pub fn counted_groups(&self) -> &[TaxGroup] {
        &self.counted_groups
    }

    /// Σ tax over [`Totals::tax_groups`].
    pub fn tax_total(&self) -> Amount {
        sum_amounts(self.tax_groups.iter().map(|g| g.tax))
    }
}

/// What every receipt with lines has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptBody {
    pub(crate) cashier: String,
    pub(crate) lines: Vec<Line>,
    pub(crate) payments: Payments,
    pub(crate) totals: Totals,
    pub(crate) vehicle_plate: Option<String>,
    pub(crate) rrn: Option<String>,
}

impl ReceiptBody {
    /// The cashier (PK-08).
    pub fn cashier(&self) -> &str {
        &self.cashier
    }
    /// The lines, in order.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }
    /// The payments.
    pub fn payments(&self) -> &Payments {
        &self.payments
    }
    /// The computed sums.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }
    /// The vehicle plate of a fuel-card sale (RC-19).
    pub fn vehicle_plate(&self) -> Option<&str> {
        self.vehicle_plate.as_deref()
    }
    /// The card transaction's reference (`rrn`).
    pub fn rrn(&self) -> Option<&str> {
        self.rrn.as_deref()
    }
}

/// A sale; a credit sale when it has a credit part, a sale against advances when it has an
/// advance offset (RC-13, RC-17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleRequest {
    pub(crate) body: ReceiptBody,
    pub(crate) advances: Vec<String>,
    pub(crate) credit_contract: Option<String>,
}

impl SaleRequest {
    /// Lines, payments and totals.
    pub fn body(&self) -> &ReceiptBody {
        &self.body
    }
    /// The fiscal IDs of the advance receipts this sale consumes (RC-17).
    pub fn advances(&self) -> &[String] {
        &self.advances
    }
    /// The credit contract's number.
    pub fn credit_contract(&self) -> Option<&str> {
        self.credit_contract.as_deref()
    }
    /// True when part of the price is left as debt (RC-13).
    pub fn is_credit_sale(&self) -> bool {
        !self.body.payments.credit.is_zero()
    }
    /// True when part of the price is offset against advances (RC-17).
    pub fn is_against_advances(&self) -> bool {
        !self.body.payments.prepayment.is_zero()
    }
}

/// A return (RC-17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRequest {
    pub(crate) body: ReceiptBody,
    pub(crate) parent: String,
    pub(crate) return_of: ReturnOf,
}

impl ReturnRequest {
    /// Lines returned, money given back by form, totals.
    pub fn body(&self) -> &ReceiptBody {
        &self.body
    }
    /// The fiscal ID of the receipt returned against.
    pub fn parent(&self) -> &str {
        &self.parent
    }
    /// What the money is given back for.
    pub fn return_of(&self) -> ReturnOf {
        self.return_of
    }
}

/// A cancel of a whole receipt of the open shift (RC-17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelRequest {
    pub(crate) cashier: String,
    pub(crate) parent: String,
}

impl CancelRequest {
    /// The cashier.
    pub fn cashier(&self) -> &str {
        &self.cashier
    }
    /// The fiscal ID of the receipt voided.
    pub fn parent(&self) -> &str {
        &self.parent
    }
}

/// An instalment on a credit sale (RC-18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPaymentRequest {
    pub(crate) body: ReceiptBody,
    pub(crate) parent: String,
    pub(crate) instalment: u32,
    pub(crate) debt_left: Amount,
    pub(crate) credit_contract: Option<String>,
}

impl CreditPaymentRequest {
    /// The instalment's line(s), payment and totals.
    pub fn body(&self) -> &ReceiptBody {
        &self.body
    }
    /// The fiscal ID of the credit sale.
    pub fn parent(&self) -> &str {
        &self.parent
    }
    /// The number of this payment, from 1.
    pub fn instalment(&self) -> u32 {
        self.instalment
    }
    /// The debt left after this payment (`residue`).
    pub fn debt_left(&self) -> Amount {
        self.debt_left
    }
    /// The credit contract's number.
    pub fn credit_contract(&self) -> Option<&str> {
        self.credit_contract.as_deref()
    }
}

/// Cash in or out of the drawer (PK-01, PK-02).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashRequest {
    pub(crate) cashier: String,
    pub(crate) amount: Amount,
}

impl CashRequest {
    /// The cashier.
    pub fn cashier(&self) -> &str {
        &self.cashier
    }
    /// The amount, more than zero.
    pub fn amount(&self) -> Amount {
        self.amount
    }
}

/// A correction: sums of a period, with no lines (PK-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    pub(crate) cashier: String,
    pub(crate) payments: Payments,
    pub(crate) totals: Totals,
}

impl CorrectionRequest {
    /// The cashier.
    pub fn cashier(&self) -> &str {
        &self.cashier
    }
    /// The sums by payment form.
    pub fn payments(&self) -> &Payments {
        &self.payments
    }
    /// The sum and its tax groups.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }
}

/// A validated request, one variant per document kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Request {
    /// `sale`.
    Sale(SaleRequest),
    /// `money_back`.
    Return(ReturnRequest),
    /// `rollback`.
    Cancel(CancelRequest),
    /// `prepay`.
    Advance(ReceiptBody),
    /// `creditpay`.
    CreditPayment(CreditPaymentRequest),
    /// `deposit`.
    Deposit(CashRequest),
    /// `withdraw`.
    Withdraw(CashRequest),
    /// `correction`.
    Correction(CorrectionRequest),
}

impl Request {
    /// The document kind.
    pub fn doc_type(&self) -> DocType {
        match self {
            Request::Sale(_) => DocType::Sale,
            Request::Return(_) => DocType::Return,
            Request::Cancel(_) => DocType::Cancel,
            Request::Advance(_) => DocType::Advance,
            Request::CreditPayment(_) => DocType::CreditPayment,
            Request::Deposit(_) => DocType::Deposit,
            Request::Withdraw(_) => DocType::Withdraw,
            Request::Correction(_) => DocType::Correction,
        }
    }

    /// The cashier.
    pub fn cashier(&self) -> &str {
        match self {
            Request::Sale(r) => &r.body.cashier,
            Request::Return(r) => &r.body.cashier,
            Request::Advance(b) => &b.cashier,
            Request::CreditPayment(r) => &r.body.cashier,
            Request::Cancel(r) => &r.cashier,
            Request::Deposit(r) | Request::Withdraw(r) => &r.cashier,
            Request::Correction(r) => &r.cashier,
        }
    }

    /// Lines, payments and totals, for the kinds that have lines.
    pub fn body(&self) -> Option<&ReceiptBody> {
        match self {
            Request::Sale(r) => Some(&r.body),
            Request::Return(r) => Some(&r.body),
            Request::Advance(b) => Some(b),
            Request::CreditPayment(r) => Some(&r.body),
            _ => None,
        }
    }

    /// The document's total: Σ line totals, a correction's sum, or the cash moved; zero for a
    /// cancel (whose amounts are those of the receipt it voids).
    pub fn total(&self) -> Amount {
        match self {
            Request::Deposit(r) | Request::Withdraw(r) => r.amount,
            Request::Correction(r) => r.totals.total,
            Request::Cancel(_) => Amount::ZERO,
            other => other.body().map_or(Amount::ZERO, |b| b.totals.total),
        }
    }

    /// The fiscal IDs this document refers to (RC-17, RC-18): the parent, or the advances.
    pub fn references(&self) -> Vec<&str> {
        match self {
            Request::Sale(r) => r.advances.iter().map(String::as_str).collect(),
            Request::Return(r) => alloc::vec![r.parent.as_str()],
            Request::Cancel(r) => alloc::vec![r.parent.as_str()],
            Request::CreditPayment(r) => alloc::vec![r.parent.as_str()],
            _ => Vec::new(),
        }
    }
}

/// Percent as printed: `18`, `0`, `2.5`.
pub(crate) fn percent_text(p: Percent) -> String {
    alloc::format!("{}", p.as_decimal().normalize())
}
