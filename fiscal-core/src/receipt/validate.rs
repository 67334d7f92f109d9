//! Drafts and their validation (SPEC.md §7): every rule, every problem, one pass.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use rust_decimal::Decimal;

use super::{
    percent_text, sum_amounts, Adjustment, CancelRequest, CashRequest, CodeType, CorrectionRequest,
    CreditPaymentRequest, Department, DocType, ItemCode, Line, Payments, ReceiptBody, Request,
    ReturnOf, ReturnRequest, SaleRequest, Totals, Unit,
};
use crate::error::{Error, ErrorCode, Problems};
use crate::money::{round_money, Amount, Percent, Quantity, UnitPrice};
use crate::tax::{
    self, RateLookupError, RateTable, TaxGroup, TaxGroupKey, TaxKind, TaxLine, TaxTreatment,
};
use crate::text::{self, TextProblem};
use crate::time::CivilDate;

/// Most lines on one receipt (SPEC.md §4.1).
pub const MAX_LINES: usize = 500;
/// Most advances one sale may consume (SPEC.md §4.4).
pub const MAX_REFERENCES: usize = 50;
/// Longest item name.
pub const MAX_ITEM_NAME: usize = 128;
/// Longest cashier name (FP-28: 64).
pub const MAX_CASHIER: usize = 64;
/// Longest department name, credit contract and card reference.
pub const MAX_SHORT_TEXT: usize = 64;

/// What validation needs besides the request: the rate table and the document's date (rates
/// are chosen by the date in Baku, SPEC.md §5.1).
#[derive(Debug, Clone, Copy)]
pub struct ValidationContext<'a> {
    /// The rates in force.
    pub rates: &'a RateTable,
    /// The document's date.
    pub date: CivilDate,
}

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

/// A member that only some document kinds take (SPEC.md §7.1).
struct Member {
    wire: &'static str,
    payment_form: bool,
    allowed: &'static [DocType],
    present: fn(&RequestDraft) -> bool,
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
const TENDER: &[DocType] = &[D::Sale, D::Advance, D::CreditPayment];

fn nonzero(a: Option<Amount>) -> bool {
    a.is_some_and(|a| !a.is_zero())
}

const MEMBERS: &[Member] = &[
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

fn push_text(problems: &mut Problems, path: &str, r: Result<(), TextProblem>) -> bool {
    match r {
        Ok(()) => true,
        Err(TextProblem { code, message }) => {
            problems.push(code, path, message);
            false
        }
    }
}

/// A required member: reports `missing_field` unless a problem was already found there.
fn required<T: Clone>(
    problems: &mut Problems,
    value: &Option<T>,
    path: &str,
    what: &str,
) -> Option<T> {
    if value.is_none() && !problems.touches(path) {
        problems.push(ErrorCode::MissingField, path, format!("{what} is required"));
    }
    value.clone()
}

fn checked_text(
    problems: &mut Problems,
    value: &Option<String>,
    path: &str,
    max: usize,
) -> Option<String> {
    let v = value.as_ref()?;
    push_text(problems, path, text::check_text(v, max)).then(|| v.clone())
}

impl RequestDraft {
    /// Checks every rule of SPEC.md §7 and returns the validated request, or every problem.
    pub fn validate(&self, ctx: &ValidationContext<'_>) -> Result<Request, Error> {
        self.validate_after(ctx, Problems::default())
    }

    /// Validation continued after the JSON reader already found `problems` (so a value that
    /// failed to parse is not also reported missing).
    pub(crate) fn validate_after(
        &self,
        ctx: &ValidationContext<'_>,
        mut problems: Problems,
    ) -> Result<Request, Error> {
        let Some(kind) = required(
            &mut problems,
            &self.doc_type,
            "doc_type",
            "the document kind (doc_type)",
        ) else {
            return Err(Error::Invalid(problems));
        };
        let mut v = Validator {
            d: self,
            ctx,
            kind,
            p: problems,
        };
        let request = v.run();
        match request {
            Some(r) => v.p.into_result(r),
            None => Err(Error::Invalid(v.p)),
        }
    }
}

struct Validator<'d, 'c> {
    d: &'d RequestDraft,
    ctx: &'d ValidationContext<'c>,
    kind: DocType,
    p: Problems,
}

impl Validator<'_, '_> {
    fn run(&mut self) -> Option<Request> {
        let d = self.d;
        let cashier_path = "cashier";
        let cashier = match required(&mut self.p, &d.cashier, cashier_path, "the cashier's name") {
            Some(c) => checked_text(&mut self.p, &Some(c), cashier_path, MAX_CASHIER),
            None => None,
        };
        if let Some(cur) = &d.currency {
            if cur != "AZN" {
                self.p.push(
                    ErrorCode::UnsupportedCurrency,
                    "currency",
                    format!(
                        "only AZN is accepted, not '{}'",
                        cur.chars().take(8).collect::<String>()
                    ),
                );
            }
        }
        for m in MEMBERS {
            if (m.present)(d) && !m.allowed.contains(&self.kind) {
                let (code, what) = if m.payment_form {
                    (ErrorCode::PaymentFormNotAllowed, "this payment form")
                } else {
                    (ErrorCode::FieldNotAllowed, "this member")
                };
                self.p.push(
                    code,
                    m.wire,
                    format!("a {} document does not take {what}", self.kind.wire_name()),
                );
            }
        }
        let rrn = checked_text(&mut self.p, &d.rrn, "rrn", MAX_SHORT_TEXT);
        let credit_contract = checked_text(
            &mut self.p,
            &d.credit_contract,
            "creditContract",
            MAX_SHORT_TEXT,
        );

        let request = match self.kind {
            D::Deposit | D::Withdraw => {
                let amount = required(&mut self.p, &d.sum, "sum", "the amount (sum)");
                if amount.is_some_and(Amount::is_zero) {
                    self.p.push(
                        ErrorCode::ZeroTotal,
                        "sum",
                        "the amount must be more than zero".into(),
                    );
                }
                let r = CashRequest {
                    cashier: cashier?,
                    amount: amount?,
                };
                if self.kind == D::Deposit {
                    Request::Deposit(r)
                } else {
                    Request::Withdraw(r)
                }
            }
            D::Cancel => {
                let parent = self.parent();
                Request::Cancel(CancelRequest {
                    cashier: cashier?,
                    parent: parent?,
                })
            }
            D::Correction => self.correction(cashier)?,
            D::Sale | D::Return | D::Advance | D::CreditPayment => {
                let body = self.body(cashier, rrn);
                match self.kind {
                    D::Sale => {
                        let advances = self.advances(body.as_ref().map(|b| b.payments.prepayment));
                        Request::Sale(SaleRequest {
                            body: body?,
                            advances,
                            credit_contract,
                        })
                    }
                    D::Return => {
                        let parent = self.parent();
                        Request::Return(ReturnRequest {
                            body: body?,
                            parent: parent?,
                            return_of: d.return_of.unwrap_or(ReturnOf::Sale),
                        })
                    }
                    D::Advance => Request::Advance(body?),
                    _ => {
                        let parent = self.parent();
                        let instalment = required(
                            &mut self.p,
                            &d.instalment,
                            "paymentNumber",
                            "the instalment number (paymentNumber)",
                        );
                        if instalment == Some(0) {
                            self.p.push(
                                ErrorCode::InvalidInstalmentNumber,
                                "paymentNumber",
                                "instalments are numbered from 1".into(),
                            );
                        }
                        let debt_left = required(
                            &mut self.p,
                            &d.debt_left,
                            "residue",
                            "the debt left (residue)",
                        );
                        Request::CreditPayment(CreditPaymentRequest {
                            body: body?,
                            parent: parent?,
                            instalment: instalment?,
                            debt_left: debt_left?,
                            credit_contract,
                        })
                    }
                }
            }
        };
        Some(request)
    }

    fn parent(&mut self) -> Option<String> {
        let Some(parent) = &self.d.parent else {
            if !self.p.touches("parentDocument") {
                self.p.push(
                    ErrorCode::MissingReference,
                    "parentDocument",
                    format!(
                        "a {} must name the fiscal ID of the receipt it refers to",
                        self.kind.wire_name()
                    ),
                );
            }
            return None;
        };
        push_text(&mut self.p, "parentDocument", text::check_reference(parent))
            .then(|| parent.clone())
    }

    /// The advances a sale consumes: needed exactly when it has an advance offset (RC-17).
    fn advances(&mut self, prepayment: Option<Amount>) -> Vec<String> {
        let list = self.d.parents.clone().unwrap_or_default();
        if list.is_empty() && nonzero(prepayment) && !self.p.touches("parents") {
            self.p.push(
                ErrorCode::MissingReference,
                "parents",
                "a sale against advances must name the advance receipts it uses".into(),
            );
        }
        if !list.is_empty() && prepayment.is_some_and(Amount::is_zero) {
            self.p.push(
                ErrorCode::UnexpectedReference,
                "parents",
                "advance receipts are named, but nothing is offset against them (prepaymentSum)"
                    .into(),
            );
        }
        if list.len() > MAX_REFERENCES {
            self.p.push(
                ErrorCode::TooManyReferences,
                "parents",
                format!(
                    "at most {MAX_REFERENCES} advances per sale; this one names {}",
                    list.len()
                ),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, r) in list.iter().enumerate() {
            let path = format!("parents[{i}]");
            if push_text(&mut self.p, &path, text::check_reference(r)) && !seen.insert(r.as_str()) {
                self.p.push(
                    ErrorCode::DuplicateReference,
                    path,
                    format!("advance {r} is named twice"),
                );
            }
        }
        list
    }

    fn line(&mut self, i: usize, l: &LineDraft) -> Option<Line> {
        let at = |m: &str| format!("items[{i}].{m}");
        let p = &mut self.p;
        let name = required(p, &l.name, &at("itemName"), "the item's name");
        let name = checked_text(p, &name, &at("itemName"), MAX_ITEM_NAME);
        let code = match (&l.code, l.code_type) {
            (Some(code), kind) => {
                let kind = kind.unwrap_or(CodeType::Text);
                let gs1 = match kind {
                    CodeType::Ean8 => Some(8),
                    CodeType::Ean13 => Some(13),
                    _ => None,
                };
                push_text(p, &at("itemCode"), text::check_item_code(code, gs1));
                Some(ItemCode {
                    kind,
                    code: code.clone(),
                })
            }
            (None, Some(_)) => {
                p.push(
                    ErrorCode::MissingField,
                    at("itemCode"),
                    "an item code type is given without the code".into(),
                );
                None
            }
            (None, None) => None,
        };
        let quantity = required(p, &l.quantity, &at("itemQuantity"), "the quantity");
        let price = required(p, &l.price, &at("itemPrice"), "the unit price");
        let total = match (quantity, price) {
            (Some(q), Some(pr)) => line_total(p, &at("itemSum"), q, pr, l.total),
            _ => None,
        };
        let treatment = self.treatment(i, l);
        let p = &mut self.p;
        let margin = match (treatment.map(TaxTreatment::kind), l.margin) {
            (Some(TaxKind::VatOnMargin), None) => {
                p.push(
                    ErrorCode::MarginMismatch,
                    at("itemMarginSum"),
                    "VAT on the trade margin needs the margin part of the line (itemMarginSum)"
                        .into(),
                );
                None
            }
            (Some(TaxKind::VatOnMargin), Some(m)) => {
                if total.is_some_and(|t| m > t) {
                    p.push(
                        ErrorCode::MarginExceedsLine,
                        at("itemMarginSum"),
                        format!("the margin {m} is more than the line total"),
                    );
                }
                Some(m)
            }
            (Some(_), Some(m)) if !m.is_zero() => {
                p.push(
                    ErrorCode::MarginMismatch,
                    at("itemMarginSum"),
                    "a trade margin is given, but the line is not taxed on the margin".into(),
                );
                None
            }
            _ => None,
        };
        let adjustment = match (
            l.discount.filter(|a| !a.is_zero()),
            l.markup.filter(|a| !a.is_zero()),
        ) {
            (Some(_), Some(_)) => {
                p.push(
                    ErrorCode::ConflictingAdjustment,
                    at("markup"),
                    "a line has a discount or a markup, not both".into(),
                );
                None
            }
            (Some(d), None) => Some(Adjustment::Discount(d)),
            (None, Some(m)) => {
                if total.is_some_and(|t| m > t) {
                    p.push(
                        ErrorCode::OutOfRange,
                        at("markup"),
                        "the markup cannot be more than the line total".into(),
                    );
                }
                Some(Adjustment::Markup(m))
            }
            (None, None) => None,
        };
        let department = match l.department {
            Some(n) => match u16::try_from(n).ok().filter(|n| (1..=9999).contains(n)) {
                Some(number) => {
                    let name =
                        checked_text(p, &l.department_name, &at("departmentName"), MAX_SHORT_TEXT);
                    Some(Department { number, name })
                }
                None => {
                    p.push(
                        ErrorCode::OutOfRange,
                        at("department"),
                        "a department number is 1 to 9999".into(),
                    );
                    None
                }
            },
            None => {
                if l.department_name.is_some() {
                    p.push(
                        ErrorCode::MissingField,
                        at("department"),
                        "a department name is given without its number".into(),
                    );
                }
                None
            }
        };
        Some(Line {
            name: name?,
            code,
            unit: l.unit.unwrap_or(Unit::Piece),
            quantity: quantity?,
            price: price?,
            total: total?,
            treatment: treatment?,
            margin,
            margin_price: l.margin_price,
            adjustment,
            department,
            tax: Amount::ZERO,
        })
    }

    fn treatment(&mut self, i: usize, l: &LineDraft) -> Option<TaxTreatment> {
        let path = format!("items[{i}].itemVatPercent");
        if self.p.touches(&path) {
            return None;
        }
        resolve_treatment(
            &mut self.p,
            &path,
            self.ctx,
            l.tax_kind,
            l.percent,
            l.margin.is_some_and(|m| !m.is_zero()),
        )
    }

    fn body(&mut self, cashier: Option<String>, rrn: Option<String>) -> Option<ReceiptBody> {
        let d = self.d;
        let vehicle_plate = match &d.vehicle_plate {
            Some(plate) => push_text(&mut self.p, "vehiclePlate", text::check_plate(plate))
                .then(|| plate.clone()),
            None => None,
        };
        if nonzero(d.fuel_card) && d.vehicle_plate.is_none() {
            self.p.push(
                ErrorCode::MissingVehiclePlate,
                "vehiclePlate",
                "a fuel-card payment needs the vehicle's plate number".into(),
            );
        }
        let drafts = d.items.as_deref().unwrap_or_default();
        if drafts.is_empty() {
            if !self.p.touches("items") {
                self.p.push(
                    ErrorCode::NoLines,
                    "items",
                    format!(
                        "a {} receipt needs at least one line",
                        self.kind.wire_name()
                    ),
                );
            }
            // Without lines there is no total to check the payments against; the rest is checked.
            self.payments(None);
            return None;
        }
        if drafts.len() > MAX_LINES {
            self.p.push(
                ErrorCode::TooManyLines,
                "items",
                format!(
                    "at most {MAX_LINES} lines per receipt; this one has {}",
                    drafts.len()
                ),
            );
            return None;
        }
        let lines: Vec<Option<Line>> = drafts
            .iter()
            .enumerate()
            .map(|(i, l)| self.line(i, l))
            .collect();
        let lines: Option<Vec<Line>> = lines.into_iter().collect();

        let Some(mut lines) = lines else {
            self.payments(None);
            return None;
        };
        let units: i128 = lines.iter().map(|l| i128::from(l.total.units())).sum();
        let Some(total) = i64::try_from(units).ok().and_then(Amount::from_units) else {
            self.p.push(
                ErrorCode::OutOfRange,
                "sum",
                format!("the receipt total is more than {}", Amount::max_value()),
            );
            return None;
        };
        if total.is_zero() {
            self.p.push(
                ErrorCode::ZeroTotal,
                "sum",
                "the receipt total is zero".into(),
            );
        }
        let breakdown = tax::compute(
            &lines
                .iter()
                .map(|l| TaxLine {
                    treatment: l.treatment,
                    total: l.total,
                    margin: l.margin,
                })
                .collect::<Vec<_>>(),
        );
        for (line, tax) in lines.iter_mut().zip(&breakdown.line_tax) {
            line.tax = *tax;
        }
        let payments = self.payments(Some(total));
        // SPEC.md §5.4: on a sale the advance offset and the credit are taxed elsewhere.
        let sum = match self.kind {
            D::Sale => total
                .checked_sub(sum_amounts([payments.prepayment, payments.credit]))
                .unwrap_or(Amount::ZERO),
            _ => total,
        };
        let counted_groups = tax::counted_groups(&breakdown.groups, sum);
        self.check_declared(sum, &counted_groups);
        Some(ReceiptBody {
            cashier: cashier?,
            lines,
            payments,
            totals: Totals {
                total,
                sum,
                tax_groups: breakdown.groups,
                counted_groups,
            },
            vehicle_plate,
            rrn,
        })
    }

    /// The payment rules (SPEC.md §7.4): forms add up to the total (when it is known); change
    /// only from cash.
    fn payments(&mut self, total: Option<Amount>) -> Payments {
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
        if FORMS.iter().any(|f| self.p.touches(f))
            || ["incomingSum", "changeSum"]
                .iter()
                .any(|f| self.p.touches(f))
        {
            // A form that could not be read: comparing sums would only repeat that problem.
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

    /// Declared `sum` and `vatAmounts`, when given, must equal the computed ones.
    fn check_declared(&mut self, sum: Amount, counted: &[TaxGroup]) {
        if let Some(declared) = self.d.sum {
            if declared != sum {
                let why = if self.kind == D::Sale {
                    " (on a sale, sum is the part paid now: the advance offset and credit are not in it)"
                } else {
                    ""
                };
                self.p.push(
                    ErrorCode::SumMismatch,
                    "sum",
                    format!("sum is {declared}, but the document adds up to {sum}{why}"),
                );
            }
        }
        if let Some(declared) = &self.d.vat_amounts {
            if self.p.touches("vatAmounts") {
                return;
            }
            let mut given: Vec<(Option<Percent>, Amount)> = Vec::new();
            for v in declared {
                if let Some(g) = v.gross {
                    add_by_percent(&mut given, v.percent, g);
                }
            }
            let expected = vat_amounts(counted);
            let given = normalize(given);
            if given != expected {
                self.p.push(
                    ErrorCode::VatAmountsMismatch,
                    "vatAmounts",
                    format!(
                        "vatAmounts should be {}, not {}",
                        show_vat(&expected),
                        show_vat(&given)
                    ),
                );
            }
        }
    }

    fn correction(&mut self, cashier: Option<String>) -> Option<Request> {
        let d = self.d;
        let sum = required(&mut self.p, &d.sum, "sum", "the correction's sum");
        let entries = required(
            &mut self.p,
            &d.vat_amounts,
            "vatAmounts",
            "the correction's tax groups (vatAmounts)",
        );
        let sum = sum?;
        if sum.is_zero() {
            self.p.push(
                ErrorCode::ZeroTotal,
                "sum",
                "the correction's sum is zero".into(),
            );
        }
        let payments = self.payments(Some(sum));
        let mut groups: Vec<TaxGroup> = Vec::new();
        for (i, e) in entries?.iter().enumerate() {
            let path = format!("vatAmounts[{i}]");
            let gross = required(
                &mut self.p,
                &e.gross,
                &format!("{path}.vatSum"),
                "the group's amount (vatSum)",
            );
            let t = resolve_treatment(
                &mut self.p,
                &format!("{path}.vatPercent"),
                self.ctx,
                e.tax_kind,
                e.percent,
                false,
            );
            if let (Some(gross), Some(t)) = (gross, t) {
                let key = TaxGroupKey::of(t);
                match groups.iter_mut().find(|g| g.key == key) {
                    Some(g) => g.gross = sum_amounts([g.gross, gross]),
                    None => groups.push(TaxGroup {
                        key,
                        gross,
                        tax: Amount::ZERO,
                    }),
                }
            }
        }
        groups.sort_by_key(|g| g.key);
        for g in &mut groups {
            g.tax = g.key.tax_of(g.gross);
        }
        let grouped = sum_amounts(groups.iter().map(|g| g.gross));
        if grouped != sum && !self.p.touches("vatAmounts") {
            self.p.push(
                ErrorCode::VatAmountsMismatch,
                "vatAmounts",
                format!("the groups add up to {grouped}, but the correction's sum is {sum}"),
            );
        }
        Some(Request::Correction(CorrectionRequest {
            cashier: cashier?,
            payments,
            totals: Totals {
                total: sum,
                sum,
                counted_groups: groups.clone(),
                tax_groups: groups,
            },
        }))
    }
}

/// The treatment a line or group declares, checked against the rate table (RC-05).
fn resolve_treatment(
    p: &mut Problems,
    path: &str,
    ctx: &ValidationContext<'_>,
    kind: Option<TaxKind>,
    percent: Option<Percent>,
    margin: bool,
) -> Option<TaxTreatment> {
    let shown = percent.map_or_else(
        || "no rate".to_string(),
        |x| format!("{}%", percent_text(x)),
    );
    let treatment = match kind {
        Some(kind) => match TaxTreatment::new(kind, percent) {
            Some(t) => t,
            None => {
                let msg = if kind == TaxKind::VatExempt {
                    "a VAT-exempt line takes no rate"
                } else {
                    "this tax treatment needs its rate (itemVatPercent)"
                };
                p.push(ErrorCode::UnknownTaxRate, path, msg.into());
                return None;
            }
        },
        None => match ctx.rates.infer(percent, margin, ctx.date) {
            Ok(t) => t,
            Err(RateLookupError::Ambiguous) => {
                p.push(
                    ErrorCode::UnknownTaxRate,
                    path,
                    format!("{shown} is the rate of more than one tax; say which in taxTreatment"),
                );
                return None;
            }
            Err(RateLookupError::NotInForce) => {
                p.push(
                    ErrorCode::UnknownTaxRate,
                    path,
                    format!("no tax at {shown} is in force on {}", ctx.date),
                );
                return None;
            }
        },
    };
    if !ctx.rates.in_force(treatment, ctx.date) {
        p.push(
            ErrorCode::UnknownTaxRate,
            path,
            format!("{treatment} is not in force on {}", ctx.date),
        );
        return None;
    }
    Some(treatment)
}

/// The line total rule (SPEC.md §5.2): computed as quantity × price rounded to the qəpik when
/// absent; when given, within half a qəpik per unit plus half a qəpik of that product.
fn line_total(
    p: &mut Problems,
    path: &str,
    q: Quantity,
    price: UnitPrice,
    given: Option<Amount>,
) -> Option<Amount> {
    let exact = q.as_decimal() * price.as_decimal();
    match given {
        Some(total) => {
            let tolerance = (q.as_decimal() + Decimal::ONE) * Decimal::new(5, 3);
            if (total.as_decimal() - exact).abs() > tolerance {
                p.push(
                    ErrorCode::LineTotalMismatch,
                    path,
                    format!(
                        "{} × {} = {}, but the line total says {total}",
                        q.as_decimal().normalize(),
                        price.as_decimal().normalize(),
                        round_money(exact)
                    ),
                );
            }
            Some(total)
        }
        None => match Amount::from_decimal(round_money(exact)) {
            Ok(a) => Some(a),
            Err(_) => {
                p.push(
                    ErrorCode::OutOfRange,
                    path,
                    format!("the line total is more than {}", Amount::max_value()),
                );
                None
            }
        },
    }
}

fn diff(a: Amount, b: Amount) -> Amount {
    a.checked_sub(b).unwrap_or(Amount::ZERO)
}

fn add_by_percent(
    list: &mut Vec<(Option<Percent>, Amount)>,
    percent: Option<Percent>,
    gross: Amount,
) {
    match list.iter_mut().find(|(p, _)| *p == percent) {
        Some((_, g)) => *g = sum_amounts([*g, gross]),
        None => list.push((percent, gross)),
    }
}

/// Drops zero entries and sorts: rates from highest to lowest, the untaxed group last.
fn normalize(mut list: Vec<(Option<Percent>, Amount)>) -> Vec<(Option<Percent>, Amount)> {
    list.retain(|(_, g)| !g.is_zero());
    list.sort_by(|a, b| match (a.0, b.0) {
        (None, None) => core::cmp::Ordering::Equal,
        (None, Some(_)) => core::cmp::Ordering::Greater,
        (Some(_), None) => core::cmp::Ordering::Less,
        (Some(x), Some(y)) => y.cmp(&x),
    });
    list
}

/// The deployed `vatAmounts` of counted groups (FP-15): gross per rate, exempt
/// and margin-remainder parts together without a rate (SPEC.md §5.5).
pub(crate) fn vat_amounts(groups: &[TaxGroup]) -> Vec<(Option<Percent>, Amount)> {
    let mut list = Vec::new();
    for g in groups {
        add_by_percent(&mut list, g.key.percent, g.gross);
    }
    normalize(list)
}

fn show_vat(list: &[(Option<Percent>, Amount)]) -> String {
    if list.is_empty() {
        return "empty".into();
    }
    let parts: Vec<String> = list
        .iter()
        .map(|(p, g)| match p {
            Some(p) => format!("{g} at {}%", percent_text(*p)),
            None => format!("{g} untaxed"),
        })
        .collect();
    parts.join(", ")
}
