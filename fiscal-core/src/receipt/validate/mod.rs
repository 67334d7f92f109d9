//! The validation of drafts (SPEC.md §7): every rule, every problem, one pass.

mod lines;
mod path;
mod payments;

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::members::{nonzero, MEMBERS};
use super::vat_amounts::{add_by_percent, normalize, show_vat, vat_amounts};
use super::{
    sum_amounts, CancelRequest, CashRequest, CorrectionRequest, CreditPaymentRequest, DocType,
    Line, ReceiptBody, Request, RequestDraft, ReturnOf, ReturnRequest, SaleRequest, Totals,
};
use crate::dialect::{Notice, NoticeCode};
use crate::error::{Error, ErrorCode, Problems};
use crate::money::{Amount, Percent};
use crate::tax::{self, RateTable, TaxGroup, TaxGroupKey, TaxLine};
use crate::text::{self, TextProblem};
use crate::time::CivilDate;
use lines::resolve_treatment;
use path::At;

use DocType as D;

/// Most lines on one receipt (SPEC.md §4.1).
pub const MAX_LINES: usize = 500;
/// Most advances one sale may consume (SPEC.md §4.4).
pub const MAX_REFERENCES: usize = 50;
/// Most bytes of the referenced documents' journal lines a binding takes with one request
/// (SPEC.md §4.1): 8 MiB, 50 references of the largest receipt (about 100 KiB each) with room
/// to spare; more is refused with `too_many_references` before anything is parsed.
pub const MAX_REFERENCES_BYTES: usize = 8 << 20;
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

fn push_text(problems: &mut Problems, at: At<'_>, r: Result<(), TextProblem>) -> bool {
    match r {
        Ok(()) => true,
        Err(TextProblem { code, message }) => {
            problems.push(code, at.text(), message);
            false
        }
    }
}

/// A required member: reports `missing_field` unless a problem was already found there.
fn required<'v, T>(
    problems: &mut Problems,
    value: &'v Option<T>,
    at: At<'_>,
    what: &str,
) -> Option<&'v T> {
    if value.is_none() && !at.touched(problems) {
        problems.push(
            ErrorCode::MissingField,
            at.text(),
            format!("{what} is required"),
        );
    }
    value.as_ref()
}

/// A printed text (SPEC.md §4.2), copied into the request when it passes.
fn checked_text(
    problems: &mut Problems,
    value: Option<&String>,
    at: At<'_>,
    max: usize,
) -> Option<String> {
    let v = value?;
    push_text(problems, at, text::check_text(v, max)).then(|| v.clone())
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
        problems: Problems,
    ) -> Result<Request, Error> {
        self.validate_lenient(ctx, problems, None)
    }

    /// [`RequestDraft::validate_after`] under a policy (SPEC.md §8.6): with `lenient`, the
    /// `deployed` policy's leniencies of validation apply (the deployed line-total band, a
    /// sale's `sum` and `vatAmounts` counting the credit or advance offset), each one pushing
    /// a notice; without, the specification as written.
    pub(crate) fn validate_lenient(
        &self,
        ctx: &ValidationContext<'_>,
        mut problems: Problems,
        lenient: Option<&mut Vec<Notice>>,
    ) -> Result<Request, Error> {
        let Some(&kind) = required(
            &mut problems,
            &self.doc_type,
            "doc_type".into(),
            "the document kind (doc_type)",
        ) else {
            return Err(Error::Invalid(problems));
        };
        let mut v = Validator {
            d: self,
            ctx,
            kind,
            p: problems,
            lenient,
        };
        let request = v.run();
        match request {
            Some(r) => v.p.into_result(r),
            None => Err(Error::Invalid(v.p)),
        }
    }
}

/// The margin-VAT conventions of the deployed clients (DEPLOYED-APIS.md §4.8, SPEC.md §8.6):
/// `vatAmounts` that leave out the untaxed rest of a margin line (e-Kassam), or count it in the
/// margin's rate group (Omnitech). When `given` is one of them, what it is.
fn margin_convention(
    counted: &[TaxGroup],
    given: &[(Option<Percent>, Amount)],
) -> Option<&'static str> {
    use crate::tax::TaxCategory as Cat;
    let rest: Vec<&TaxGroup> = counted
        .iter()
        .filter(|g| g.key.category == Cat::MarginRemainder)
        .collect();
    if rest.is_empty() {
        return None;
    }
    let without: Vec<TaxGroup> = counted
        .iter()
        .filter(|g| g.key.category != Cat::MarginRemainder)
        .cloned()
        .collect();
    if vat_amounts(&without) == given {
        return Some("leave out the untaxed rest of the margin lines (the e-Kassam convention)");
    }
    // The rest counted at the margin's rate: one margin rate only, or it is ambiguous.
    let rates: BTreeSet<Option<Percent>> = counted
        .iter()
        .filter(|g| g.key.category == Cat::VatOnMargin)
        .map(|g| g.key.percent)
        .collect();
    let [rate] = rates.into_iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let mut merged = without;
    let mut add = rest.iter().map(|g| g.gross);
    let extra = add.try_fold(Amount::ZERO, |a, b| a.checked_add(b))?;
    let at = merged
        .iter_mut()
        .find(|g| g.key.category == Cat::VatOnMargin && g.key.percent == rate)?;
    at.gross = at.gross.checked_add(extra)?;
    (vat_amounts(&merged) == given)
        .then_some("count the whole margin line at its rate (the Omnitech convention)")
}

struct Validator<'d, 'c, 'n> {
    d: &'d RequestDraft,
    ctx: &'d ValidationContext<'c>,
    kind: DocType,
    p: Problems,
    /// The `deployed` policy's notices (SPEC.md §8.6); `None` under `strict`.
    lenient: Option<&'n mut Vec<Notice>>,
}

impl Validator<'_, '_, '_> {
    fn run(&mut self) -> Option<Request> {
        let d = self.d;
        let cashier_at = At::Member("cashier");
        let cashier = required(&mut self.p, &d.cashier, cashier_at, "the cashier's name");
        let cashier = checked_text(&mut self.p, cashier, cashier_at, MAX_CASHIER);
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
        let rrn = checked_text(&mut self.p, d.rrn.as_ref(), "rrn".into(), MAX_SHORT_TEXT);
        let credit_contract = checked_text(
            &mut self.p,
            d.credit_contract.as_ref(),
            "creditContract".into(),
            MAX_SHORT_TEXT,
        );

        let request = match self.kind {
            D::Deposit | D::Withdraw => {
                let amount =
                    required(&mut self.p, &d.sum, "sum".into(), "the amount (sum)").copied();
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
                            "paymentNumber".into(),
                            "the instalment number (paymentNumber)",
                        )
                        .copied();
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
                            "residue".into(),
                            "the debt left (residue)",
                        )
                        .copied();
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
        push_text(
            &mut self.p,
            "parentDocument".into(),
            text::check_reference(parent),
        )
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
            let at = At::Entry("parents", i);
            if push_text(&mut self.p, at, text::check_reference(r)) && !seen.insert(r.as_str()) {
                self.p.push(
                    ErrorCode::DuplicateReference,
                    at.text(),
                    format!("advance {r} is named twice"),
                );
            }
        }
        list
    }

    fn body(&mut self, cashier: Option<String>, rrn: Option<String>) -> Option<ReceiptBody> {
        let d = self.d;
        let vehicle_plate = match &d.vehicle_plate {
            Some(plate) => push_text(&mut self.p, "vehiclePlate".into(), text::check_plate(plate))
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
        self.check_declared(sum, &counted_groups, Some((total, &breakdown.groups)));
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
    /// Declared `sum` and `vatAmounts`, when given, must equal the computed ones. Under the
    /// `deployed` policy a sale's `sum` and `vatAmounts` may count the credit and the advance
    /// offset (`whole`: the receipt's total and its uncounted groups), as AirConn and the
    /// e-Kassam clients count them (SPEC.md §8.6): accepted with a notice.
    fn check_declared(
        &mut self,
        sum: Amount,
        counted: &[TaxGroup],
        whole: Option<(Amount, &[TaxGroup])>,
    ) {
        let deferred = whole.filter(|(total, _)| self.kind == D::Sale && *total != sum);
        if let Some(declared) = self.d.sum {
            if let (Some((total, _)), Some(notices)) = (deferred, self.lenient.as_deref_mut()) {
                if declared == total {
                    notices.push(Notice {
                        code: NoticeCode::SumIncludesDeferred,
                        path: "sum".into(),
                        message: format!(
                            "sum {declared} counts the credit or advance offset; the document books {sum}, the part paid now"
                        ),
                    });
                }
            }
            let accepted =
                deferred.is_some_and(|(total, _)| declared == total) && self.lenient.is_some();
            if declared != sum && !accepted {
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
            if given != expected && self.lenient.is_some() {
                if let Some((_, groups)) = deferred {
                    if given == vat_amounts(groups) {
                        if let Some(notices) = self.lenient.as_deref_mut() {
                            notices.push(Notice {
                                code: NoticeCode::VatAmountsIncludeDeferred,
                                path: "vatAmounts".into(),
                                message: format!(
                                    "vatAmounts {} count the whole receipt; the document books {}, the part paid now",
                                    show_vat(&given),
                                    show_vat(&expected)
                                ),
                            });
                        }
                        return;
                    }
                }
            }
            if given != expected && self.lenient.is_some() {
                if let Some(how) = margin_convention(counted, &given) {
                    if let Some(notices) = self.lenient.as_deref_mut() {
                        notices.push(Notice {
                            code: NoticeCode::MarginConvention,
                            path: "vatAmounts".into(),
                            message: format!(
                                "vatAmounts {} {how}; the document books {}",
                                show_vat(&given),
                                show_vat(&expected)
                            ),
                        });
                    }
                    return;
                }
            }
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
        let sum = required(&mut self.p, &d.sum, "sum".into(), "the correction's sum").copied();
        let entries = required(
            &mut self.p,
            &d.vat_amounts,
            "vatAmounts".into(),
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
            let gross = required(
                &mut self.p,
                &e.gross,
                At::Within("vatAmounts", i, "vatSum"),
                "the group's amount (vatSum)",
            )
            .copied();
            let t = resolve_treatment(
                &mut self.p,
                At::Within("vatAmounts", i, "vatPercent"),
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
