//! Drafts: a request as the caller gives it, before validation (SPEC.md §7).

use alloc::string::String;
use alloc::vec::Vec;

use super::{CodeType, DocType, ReturnOf, Unit};
use crate::money::{Amount, Percent, Quantity, UnitPrice};
use crate::tax::TaxKind;

/// A line as the caller gives it. Absent members are `None`; wire names in the comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDraft {
    /// `itemName` (required).
    pub name: Option<String>,
    /// `itemCodeType` (default text when a code is given).
    pub code_type: Option<CodeType>,
    /// `itemCode`.
    pub code: Option<String>,
    /// `itemQuantityType` (default piece).
    pub unit: Option<Unit>,
    /// `itemQuantity` (required).
    pub quantity: Option<Quantity>,
    /// `itemPrice`, after any discount or markup (required).
    pub price: Option<UnitPrice>,
    /// `itemSum`; computed when absent.
    pub total: Option<Amount>,
    /// `itemVatPercent`: the rate; absent means VAT-exempt unless `tax_kind` says otherwise.
    pub percent: Option<Percent>,
    /// `taxTreatment` (an addition): the kind, where the percent alone is not enough.
    pub tax_kind: Option<TaxKind>,
    /// `itemMarginSum`: the margin part of the line, for VAT on the margin.
    pub margin: Option<Amount>,
    /// `itemMarginPrice`: the margin per unit (printed only).
    pub margin_price: Option<UnitPrice>,
    /// `discount`: amount taken off this line, already in the price.
    pub discount: Option<Amount>,
    /// `markup` (an addition): amount added to this line, already in the price.
    pub markup: Option<Amount>,
    /// `department` (an addition): department number, 1–9999.
    pub department: Option<u32>,
    /// `departmentName` (an addition).
    pub department_name: Option<String>,
}

/// One entry of `vatAmounts`: the gross amount at one rate (not the tax; FP-15).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VatAmountDraft {
    /// `vatSum`: the gross amount.
    pub gross: Option<Amount>,
    /// `vatPercent`; absent for the untaxed group.
    pub percent: Option<Percent>,
    /// `taxTreatment` (an addition).
    pub tax_kind: Option<TaxKind>,
}

/// A request as the caller gives it, before validation. Wire names in the comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDraft {
    /// `doc_type` (required).
    pub doc_type: Option<DocType>,
    /// `cashier` (required).
    pub cashier: Option<String>,
    /// `currency`: `AZN` when given.
    pub currency: Option<String>,
    /// `items`.
    pub items: Option<Vec<LineDraft>>,
    /// `sum`: checked against the computed sum when given; for cash in/out and correction, the
    /// amount itself (required).
    pub sum: Option<Amount>,
    /// `cashSum`.
    pub cash: Option<Amount>,
    /// `cashlessSum`.
    pub cashless: Option<Amount>,
    /// `bonusSum`.
    pub bonus: Option<Amount>,
    /// `giftCardSum` (an addition).
    pub gift_card: Option<Amount>,
    /// `fuelCardSum` (an addition).
    pub fuel_card: Option<Amount>,
    /// `prepaymentSum`.
    pub prepayment: Option<Amount>,
    /// `creditSum`.
    pub credit: Option<Amount>,
    /// `incomingSum`: cash handed over.
    pub tendered: Option<Amount>,
    /// `changeSum`: checked when given.
    pub change: Option<Amount>,
    /// `vatAmounts`: checked when given; required on a correction.
    pub vat_amounts: Option<Vec<VatAmountDraft>>,
    /// `parentDocument`: fiscal ID of the receipt returned against, voided or paid off.
    pub parent: Option<String>,
    /// `parents`: fiscal IDs of the advances a sale consumes.
    pub parents: Option<Vec<String>>,
    /// `creditContract`.
    pub credit_contract: Option<String>,
    /// `paymentNumber`: the instalment's number.
    pub instalment: Option<u32>,
    /// `residue`: debt left after the instalment.
    pub debt_left: Option<Amount>,
    /// `moneyBackType` (default sale).
    pub return_of: Option<ReturnOf>,
    /// `vehiclePlate` (an addition, RC-19).
    pub vehicle_plate: Option<String>,
    /// `rrn`: card transaction reference.
    pub rrn: Option<String>,
}
