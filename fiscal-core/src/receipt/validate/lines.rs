//! The lines of a receipt: names, codes, quantities, prices, totals, tax treatment, margin,
//! discount or markup and department (SPEC.md §7.2).

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use rust_decimal::Decimal;

use super::{
    checked_text, push_text, required, At, ValidationContext, Validator, MAX_ITEM_NAME,
    MAX_SHORT_TEXT,
};
use crate::dialect::{Notice, NoticeCode};
use crate::error::{ErrorCode, Problems};
use crate::money::{round_money, Amount, Percent, Quantity, UnitPrice};
use crate::receipt::{
    percent_text, Adjustment, CodeType, Department, ItemCode, Line, LineDraft, Unit,
};
use crate::tax::{RateLookupError, TaxKind, TaxTreatment};
use crate::text;

impl Validator<'_, '_, '_> {
    pub(super) fn line(&mut self, i: usize, l: &LineDraft) -> Option<Line> {
        // Paths are written only for a problem (issue #19).
        let at = |m: &'static str| At::Within("items", i, m);
        let p = &mut self.p;
        let name = required(p, &l.name, at("itemName"), "the item's name");
        let name = checked_text(p, name, at("itemName"), MAX_ITEM_NAME);
        let code = match (&l.code, l.code_type) {
            (Some(code), kind) => {
                let kind = kind.unwrap_or(CodeType::Text);
                let gs1 = match kind {
                    CodeType::Ean8 => Some(8),
                    CodeType::Ean13 => Some(13),
                    _ => None,
                };
                push_text(p, at("itemCode"), text::check_item_code(code, gs1));
                Some(ItemCode {
                    kind,
                    code: code.clone(),
                })
            }
            (None, Some(_)) => {
                p.push(
                    ErrorCode::MissingField,
                    at("itemCode").text(),
                    "an item code type is given without the code".into(),
                );
                None
            }
            (None, None) => None,
        };
        let quantity = required(p, &l.quantity, at("itemQuantity"), "the quantity").copied();
        let price = required(p, &l.price, at("itemPrice"), "the unit price").copied();
        let total = match (quantity, price) {
            (Some(q), Some(pr)) => line_total(
                p,
                self.lenient.as_deref_mut(),
                at("itemSum"),
                q,
                pr,
                l.total,
            ),
            _ => None,
        };
        let treatment = self.treatment(i, l);
        let p = &mut self.p;
        let margin = match (treatment.map(TaxTreatment::kind), l.margin) {
            (Some(TaxKind::VatOnMargin), None) => {
                p.push(
                    ErrorCode::MarginMismatch,
                    at("itemMarginSum").text(),
                    "VAT on the trade margin needs the margin part of the line (itemMarginSum)"
                        .into(),
                );
                None
            }
            (Some(TaxKind::VatOnMargin), Some(m)) => {
                if total.is_some_and(|t| m > t) {
                    p.push(
                        ErrorCode::MarginExceedsLine,
                        at("itemMarginSum").text(),
                        format!("the margin {m} is more than the line total"),
                    );
                }
                Some(m)
            }
            (Some(_), Some(m)) if !m.is_zero() => {
                p.push(
                    ErrorCode::MarginMismatch,
                    at("itemMarginSum").text(),
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
                    at("markup").text(),
                    "a line has a discount or a markup, not both".into(),
                );
                None
            }
            (Some(d), None) => Some(Adjustment::Discount(d)),
            (None, Some(m)) => {
                if total.is_some_and(|t| m > t) {
                    p.push(
                        ErrorCode::OutOfRange,
                        at("markup").text(),
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
                    let name = checked_text(
                        p,
                        l.department_name.as_ref(),
                        at("departmentName"),
                        MAX_SHORT_TEXT,
                    );
                    Some(Department { number, name })
                }
                None => {
                    p.push(
                        ErrorCode::OutOfRange,
                        at("department").text(),
                        "a department number is 1 to 9999".into(),
                    );
                    None
                }
            },
            None => {
                if l.department_name.is_some() {
                    p.push(
                        ErrorCode::MissingField,
                        at("department").text(),
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
        let at = At::Within("items", i, "itemVatPercent");
        if at.touched(&self.p) {
            return None;
        }
        resolve_treatment(
            &mut self.p,
            at,
            self.ctx,
            l.tax_kind,
            l.percent,
            l.margin.is_some_and(|m| !m.is_zero()),
        )
    }
}

/// The treatment a line or group declares, checked against the rate table (RC-05).
pub(super) fn resolve_treatment(
    p: &mut Problems,
    at: At<'_>,
    ctx: &ValidationContext<'_>,
    kind: Option<TaxKind>,
    percent: Option<Percent>,
    margin: bool,
) -> Option<TaxTreatment> {
    // Written only for a problem (issue #19).
    let shown = || {
        percent.map_or_else(
            || "no rate".to_string(),
            |x| format!("{}%", percent_text(x)),
        )
    };
    let treatment = match kind {
        Some(kind) => match TaxTreatment::new(kind, percent) {
            Some(t) => t,
            None => {
                let msg = if kind == TaxKind::VatExempt {
                    "a VAT-exempt line takes no rate"
                } else {
                    "this tax treatment needs its rate (itemVatPercent)"
                };
                p.push(ErrorCode::UnknownTaxRate, at.text(), msg.into());
                return None;
            }
        },
        None => match ctx.rates.infer(percent, margin, ctx.date) {
            Ok(t) => t,
            Err(RateLookupError::Ambiguous) => {
                p.push(
                    ErrorCode::UnknownTaxRate,
                    at.text(),
                    format!(
                        "{} is the rate of more than one tax; say which in taxTreatment",
                        shown()
                    ),
                );
                return None;
            }
            Err(RateLookupError::NotInForce) => {
                p.push(
                    ErrorCode::UnknownTaxRate,
                    at.text(),
                    format!("no tax at {} is in force on {}", shown(), ctx.date),
                );
                return None;
            }
        },
    };
    if !ctx.rates.in_force(treatment, ctx.date) {
        p.push(
            ErrorCode::UnknownTaxRate,
            at.text(),
            format!("{treatment} is not in force on {}", ctx.date),
        );
        return None;
    }
    Some(treatment)
}

/// The line total rule (SPEC.md §5.2): computed as quantity × price rounded to the qəpik when
/// absent; when given, within half a qəpik per unit plus half a qəpik of that product. Under
/// the `deployed` policy (`lenient`), a total outside that band but within the deployed
/// tokens' band, a qəpik per unit plus a qəpik (FIELD-PRACTICE.md FP-19), is accepted as given
/// with a notice (SPEC.md §8.6).
fn line_total(
    p: &mut Problems,
    lenient: Option<&mut Vec<Notice>>,
    at: At<'_>,
    q: Quantity,
    price: UnitPrice,
    given: Option<Amount>,
) -> Option<Amount> {
    let exact = q.as_decimal() * price.as_decimal();
    match given {
        Some(total) => {
            let tolerance = (q.as_decimal() + Decimal::ONE) * Decimal::new(5, 3);
            let off = (total.as_decimal() - exact).abs();
            let deployed_band = q.as_decimal() * Decimal::new(1, 2) + Decimal::new(1, 2);
            if off > tolerance && off <= deployed_band {
                if let Some(notices) = lenient {
                    notices.push(Notice {
                        code: NoticeCode::LineTotalBand,
                        path: at.text(),
                        message: format!(
                            "{} × {} = {}, the line total {total} is {} off: outside the band of {} but within the deployed {}",
                            q.as_decimal().normalize(),
                            price.as_decimal().normalize(),
                            exact.normalize(),
                            off.normalize(),
                            tolerance.normalize(),
                            deployed_band.normalize()
                        ),
                    });
                    return Some(total);
                }
            }
            if off > tolerance {
                p.push(
                    ErrorCode::LineTotalMismatch,
                    at.text(),
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
                    at.text(),
                    format!("the line total is more than {}", Amount::max_value()),
                );
                None
            }
        },
    }
}
