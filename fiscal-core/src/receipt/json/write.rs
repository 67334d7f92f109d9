//! Writing the JSON form: a request → its text, with every computed member filled in.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::str::FromStr;

use serde_json::{Map, Number, Value};

use crate::receipt::vat_amounts::vat_amounts;
use crate::receipt::{percent_text, Adjustment, Line, Payments, ReceiptBody, Request, Totals};
use crate::tax::TaxGroup;

impl Request {
    /// The request in the JSON form, with every computed member filled in (`itemSum`, `sum`,
    /// `incomingSum`, `changeSum`, `vatAmounts`) and the outputs `itemTaxSum` and `taxGroups`.
    /// Reading it back gives the same request.
    pub fn to_json(&self) -> String {
        self.to_json_value().to_string()
    }

    /// [`Request::to_json`] as a JSON value, for descriptions that embed the request
    /// (`crate::describe`) without writing and reading the text again.
    pub(crate) fn to_json_value(&self) -> Value {
        let mut data = Map::new();
        put_str(&mut data, "cashier", self.cashier());
        data.insert("currency".into(), Value::String("AZN".into()));
        match self {
            Request::Sale(r) => {
                write_body(
                    &mut data,
                    &r.body.lines,
                    &r.body.payments,
                    &r.body.totals,
                    true,
                );
                if !r.advances.is_empty() {
                    data.insert(
                        "parents".into(),
                        r.advances.iter().cloned().map(Value::String).collect(),
                    );
                }
                if let Some(c) = &r.credit_contract {
                    put_str(&mut data, "creditContract", c);
                }
                put_opt(&mut data, "vehiclePlate", r.body.vehicle_plate.as_deref());
                put_opt(&mut data, "rrn", r.body.rrn.as_deref());
            }
            Request::Return(r) => {
                write_body(
                    &mut data,
                    &r.body.lines,
                    &r.body.payments,
                    &r.body.totals,
                    false,
                );
                put_str(&mut data, "parentDocument", &r.parent);
                data.insert("moneyBackType".into(), Value::from(r.return_of.code()));
                put_opt(&mut data, "vehiclePlate", r.body.vehicle_plate.as_deref());
                put_opt(&mut data, "rrn", r.body.rrn.as_deref());
            }
            Request::Advance(b) => {
                write_body(&mut data, &b.lines, &b.payments, &b.totals, true);
                put_opt(&mut data, "rrn", b.rrn.as_deref());
            }
            Request::CreditPayment(r) => {
                write_body(
                    &mut data,
                    &r.body.lines,
                    &r.body.payments,
                    &r.body.totals,
                    true,
                );
                put_str(&mut data, "parentDocument", &r.parent);
                data.insert("paymentNumber".into(), Value::from(r.instalment));
                put_num(&mut data, "residue", &r.debt_left.to_string());
                put_opt(&mut data, "creditContract", r.credit_contract.as_deref());
                put_opt(&mut data, "rrn", r.body.rrn.as_deref());
            }
            Request::Cancel(r) => put_str(&mut data, "parentDocument", &r.parent),
            Request::Deposit(r) | Request::Withdraw(r) => {
                put_num(&mut data, "sum", &r.amount.to_string())
            }
            Request::Correction(r) => {
                write_payments(&mut data, &r.payments, false);
                put_num(&mut data, "sum", &r.totals.sum.to_string());
                write_groups(&mut data, &r.totals);
                // A correction's groups are its input: one entry each, with its treatment, so
                // that VAT and VAT on the margin at the same rate stay apart when read back.
                let entries: Vec<Value> = r
                    .totals
                    .tax_groups
                    .iter()
                    .map(|g| {
                        let mut e = Map::new();
                        put_num(&mut e, "vatSum", &g.gross.to_string());
                        if let Some(p) = g.key.percent {
                            put_num(&mut e, "vatPercent", &percent_text(p));
                        }
                        put_str(&mut e, "taxTreatment", g.key.category.as_str());
                        Value::Object(e)
                    })
                    .collect();
                data.insert("vatAmounts".into(), Value::Array(entries));
            }
        }
        let mut top = Map::new();
        top.insert(
            "doc_type".into(),
            Value::String(self.doc_type().wire_name().into()),
        );
        top.insert("data".into(), Value::Object(data));
        Value::Object(top)
    }
}

/// An upper bound of the length of `to_json`'s text: every string at its worst escaping (6
/// bytes a byte, `\u00XX`), every other member at a generous fixed size. Below
/// `MAX_REQUEST_BYTES`, the reader's size check cannot fire.
pub(super) fn json_size_bound(r: &Request) -> usize {
    const TOP: usize = 4096; // doc_type, data, cashier's key, payments, sum, …
    const PER_LINE: usize = 1024; // 15 keys and their numbers
    const PER_GROUP: usize = 3 * 256; // vatAmounts, taxGroups and countedTaxGroups entries
    let text = |s: &str| 6 * s.len() + 8;
    let opt = |s: &Option<String>| s.as_deref().map_or(0, text);
    let body = |b: &ReceiptBody| {
        b.lines
            .iter()
            .map(|l| {
                PER_LINE
                    + text(&l.name)
                    + l.code.as_ref().map_or(0, |c| text(&c.code))
                    + l.department.as_ref().map_or(0, |d| opt(&d.name))
            })
            .fold(0usize, usize::saturating_add)
            .saturating_add(
                (b.totals.tax_groups.len() + b.totals.counted_groups.len())
                    .saturating_mul(PER_GROUP),
            )
            .saturating_add(opt(&b.vehicle_plate) + opt(&b.rrn))
    };
    let refs: usize = r
        .references()
        .iter()
        .map(|s| text(s))
        .fold(0, usize::saturating_add);
    let own = match r {
        Request::Sale(s) => body(&s.body).saturating_add(opt(&s.credit_contract)),
        Request::Return(s) => body(&s.body),
        Request::Advance(b) => body(b),
        Request::CreditPayment(c) => body(&c.body).saturating_add(opt(&c.credit_contract)),
        Request::Correction(c) => c.totals.tax_groups.len().saturating_mul(2 * PER_GROUP),
        Request::Cancel(_) | Request::Deposit(_) | Request::Withdraw(_) => 0,
    };
    TOP.saturating_add(text(r.cashier()))
        .saturating_add(refs)
        .saturating_add(own)
}

fn put_str(m: &mut Map<String, Value>, k: &str, v: &str) {
    m.insert(k.into(), Value::String(v.into()));
}

fn put_opt(m: &mut Map<String, Value>, k: &str, v: Option<&str>) {
    if let Some(v) = v {
        put_str(m, k, v);
    }
}

/// A JSON number with exactly this decimal text (`12.50` stays `12.50`).
fn num(text: &str) -> Value {
    Number::from_str(text).map_or_else(|_| Value::String(text.into()), Value::Number)
}

fn put_num(m: &mut Map<String, Value>, k: &str, text: &str) {
    m.insert(k.into(), num(text));
}

fn write_payments(m: &mut Map<String, Value>, p: &Payments, tender: bool) {
    for (k, v) in [
        ("cashSum", p.cash),
        ("cashlessSum", p.cashless),
        ("bonusSum", p.bonus),
        ("giftCardSum", p.gift_card),
        ("fuelCardSum", p.fuel_card),
        ("prepaymentSum", p.prepayment),
        ("creditSum", p.credit),
    ] {
        put_num(m, k, &v.to_string());
    }
    if tender {
        put_num(m, "incomingSum", &p.tendered.to_string());
        put_num(m, "changeSum", &p.change.to_string());
    }
}

fn write_groups(m: &mut Map<String, Value>, totals: &Totals) {
    let vat: Vec<Value> = vat_amounts(&totals.counted_groups)
        .into_iter()
        .map(|(p, g)| {
            let mut e = Map::new();
            put_num(&mut e, "vatSum", &g.to_string());
            if let Some(p) = p {
                put_num(&mut e, "vatPercent", &percent_text(p));
            }
            Value::Object(e)
        })
        .collect();
    m.insert("vatAmounts".into(), Value::Array(vat));
    let group = |g: &TaxGroup| {
        let mut e = Map::new();
        put_str(&mut e, "taxTreatment", g.key.category.as_str());
        if let Some(p) = g.key.percent {
            put_num(&mut e, "percent", &percent_text(p));
        }
        put_num(&mut e, "gross", &g.gross.to_string());
        put_num(&mut e, "tax", &g.tax.to_string());
        Value::Object(e)
    };
    m.insert(
        "taxGroups".into(),
        totals.tax_groups.iter().map(group).collect(),
    );
    m.insert(
        "countedTaxGroups".into(),
        totals.counted_groups.iter().map(group).collect(),
    );
}

fn write_body(
    m: &mut Map<String, Value>,
    lines: &[Line],
    p: &Payments,
    totals: &Totals,
    tender: bool,
) {
    let items: Vec<Value> = lines.iter().map(line_json).collect();
    m.insert("items".into(), Value::Array(items));
    write_payments(m, p, tender);
    put_num(m, "sum", &totals.sum.to_string());
    write_groups(m, totals);
}

fn line_json(l: &Line) -> Value {
    let mut e = Map::new();
    put_str(&mut e, "itemName", &l.name);
    if let Some(c) = &l.code {
        e.insert("itemCodeType".into(), Value::from(c.kind.code()));
        put_str(&mut e, "itemCode", &c.code);
    }
    e.insert("itemQuantityType".into(), Value::from(l.unit.code()));
    put_num(&mut e, "itemQuantity", &l.quantity.to_string());
    put_num(&mut e, "itemPrice", &l.price.to_string());
    put_num(&mut e, "itemSum", &l.total.to_string());
    if let Some(p) = l.treatment.percent() {
        put_num(&mut e, "itemVatPercent", &percent_text(p));
    }
    put_str(&mut e, "taxTreatment", l.treatment.kind().as_str());
    if let Some(mg) = l.margin {
        put_num(&mut e, "itemMarginSum", &mg.to_string());
    }
    if let Some(mp) = l.margin_price {
        put_num(&mut e, "itemMarginPrice", &mp.to_string());
    }
    match l.adjustment {
        Some(Adjustment::Discount(a)) => put_num(&mut e, "discount", &a.to_string()),
        Some(Adjustment::Markup(a)) => put_num(&mut e, "markup", &a.to_string()),
        None => {}
    }
    if let Some(d) = &l.department {
        e.insert("department".into(), Value::from(d.number));
        put_opt(&mut e, "departmentName", d.name.as_deref());
    }
    put_num(&mut e, "itemTaxSum", &l.tax.to_string());
    Value::Object(e)
}
