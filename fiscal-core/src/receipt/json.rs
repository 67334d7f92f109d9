//! The JSON form of requests: the members and `doc_type` values deployed POS software already
//! sends (FIELD-PRACTICE.md), plus a few additions (SPEC.md §8).
//!
//! Numbers are read from their decimal text, never through a float (`serde_json` keeps the
//! text with `arbitrary_precision`); strings holding decimals are accepted too. Every member
//! is read on its own, so one bad value does not hide the others: all problems are reported.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::str::FromStr;

use serde_json::{Map, Number, Value};

use super::validate::{vat_amounts, LineDraft, RequestDraft, ValidationContext, VatAmountDraft};
use super::{
    percent_text, Adjustment, CodeType, DocType, Line, Payments, Request, ReturnOf, Totals, Unit,
};
use crate::error::{Error, ErrorCode, Problems};
use crate::money::{Amount, Percent, Quantity, UnitPrice, ValueError};
use crate::tax::{TaxGroup, TaxKind};

/// Longest JSON text accepted for one request (SPEC.md §4.1): 4 MiB.
pub const MAX_REQUEST_BYTES: usize = 4 << 20;

/// Most entries in `vatAmounts` (SPEC.md §4.1).
pub const MAX_VAT_AMOUNTS: usize = 64;

impl Request {
    /// Reads a request in the JSON form (SPEC.md §8) and validates it.
    pub fn from_json(text: &str, ctx: &ValidationContext<'_>) -> Result<Request, Error> {
        let (draft, problems) = RequestDraft::from_json(text);
        // Without a readable object and its `data` there is nothing more to check.
        if problems
            .iter()
            .any(|p| p.code == ErrorCode::MalformedJson || p.path == "data")
        {
            return Err(Error::Invalid(problems));
        }
        draft.validate_after(ctx, problems)
    }

    /// The request in the JSON form, with every computed member filled in (`itemSum`, `sum`,
    /// `incomingSum`, `changeSum`, `vatAmounts`) and the outputs `itemTaxSum` and `taxGroups`.
    /// Reading it back gives the same request.
    pub fn to_json(&self) -> String {
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
        Value::Object(top).to_string()
    }
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

/// Reads members one by one, recording a problem for each that is wrong.
struct Reader<'a> {
    obj: &'a Map<String, Value>,
    base: String,
    p: &'a mut Problems,
}

impl Reader<'_> {
    fn path(&self, key: &str) -> String {
        if self.base.is_empty() {
            key.into()
        } else {
            format!("{}.{key}", self.base)
        }
    }

    /// The member, unless absent or `null` (deployed software writes `null` for "none").
    fn get(&self, key: &str) -> Option<&Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&mut self, key: &str, expected: &str) {
        let path = self.path(key);
        self.p
            .push(ErrorCode::WrongType, path, format!("must be {expected}"));
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong(key, "a string");
                None
            }
        }
    }

    /// Decimal text from a JSON number or a string.
    fn decimal_text(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong(key, "a number like 12.50 (or a string holding one)");
                None
            }
        }
    }

    fn value<T>(
        &mut self,
        key: &str,
        what: &str,
        parse: fn(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        let text = self.decimal_text(key)?;
        match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                let path = self.path(key);
                self.p.push(e.code(), path, format!("{what} {e}"));
                None
            }
        }
    }

    fn amount(&mut self, key: &str) -> Option<Amount> {
        self.value(key, "an amount", Amount::parse)
    }

    fn whole(&mut self, key: &str, what: &str) -> Option<u64> {
        match self.get(key)? {
            Value::Number(n) => match n.as_u64() {
                Some(v) => Some(v),
                None => {
                    let path = self.path(key);
                    self.p.push(
                        ErrorCode::InvalidEnumValue,
                        path,
                        format!("{what} must be a whole number, not {n}"),
                    );
                    None
                }
            },
            _ => {
                self.wrong(key, "a whole number");
                None
            }
        }
    }

    fn coded<T>(&mut self, key: &str, what: &str, from: fn(u64) -> Option<T>) -> Option<T> {
        let n = self.whole(key, what)?;
        let v = from(n);
        if v.is_none() {
            let path = self.path(key);
            self.p.push(
                ErrorCode::InvalidEnumValue,
                path,
                format!("{n} is not a known {what}"),
            );
        }
        v
    }

    fn tax_kind(&mut self, key: &str) -> Option<TaxKind> {
        let s = self.string(key)?;
        let k = TaxKind::from_name(&s);
        if k.is_none() {
            let path = self.path(key);
            self.p.push(
                ErrorCode::InvalidEnumValue,
                path,
                "must be one of vat, vat_margin, simplified, vat_exempt".into(),
            );
        }
        k
    }

    fn array(&mut self, key: &str) -> Option<&Vec<Value>> {
        match self.obj.get(key).filter(|v| !v.is_null())? {
            Value::Array(a) => Some(a),
            _ => {
                self.wrong(key, "a list");
                None
            }
        }
    }
}

fn object<'v>(v: &'v Value, path: &str, p: &mut Problems) -> Option<&'v Map<String, Value>> {
    match v {
        Value::Object(o) => Some(o),
        _ => {
            p.push(ErrorCode::WrongType, path, "must be an object".into());
            None
        }
    }
}

fn read_line(obj: &Map<String, Value>, base: String, p: &mut Problems) -> LineDraft {
    let mut r = Reader { obj, base, p };
    let code = match r.get("itemCode") {
        // Deployed software sometimes sends numeric codes as JSON numbers.
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => r.string("itemCode"),
    };
    LineDraft {
        name: r.string("itemName"),
        code_type: r.coded("itemCodeType", "item code type", CodeType::from_code),
        code,
        unit: r.coded(
            "itemQuantityType",
            "unit (itemQuantityType)",
            Unit::from_code,
        ),
        quantity: r.value("itemQuantity", "the quantity", Quantity::parse),
        price: r.value("itemPrice", "the unit price", UnitPrice::parse),
        total: r.amount("itemSum"),
        percent: r.value("itemVatPercent", "the rate", Percent::parse),
        tax_kind: r.tax_kind("taxTreatment"),
        margin: r.amount("itemMarginSum"),
        margin_price: r.value("itemMarginPrice", "the margin price", UnitPrice::parse),
        discount: r.amount("discount"),
        markup: r.amount("markup"),
        department: r
            .whole("department", "department")
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        department_name: r.string("departmentName"),
    }
}

/// Finds `doc_type` and `data`: at the top, or inside the deployed envelope
/// (`requestData` → `tokenData` → `parameters`).
fn envelope(root: &Map<String, Value>) -> &Map<String, Value> {
    let mut obj = root;
    for _ in 0..3 {
        if obj.contains_key("doc_type") {
            break;
        }
        match ["parameters", "tokenData", "requestData"]
            .iter()
            .find_map(|k| obj.get(*k))
        {
            Some(Value::Object(inner)) => obj = inner,
            _ => break,
        }
    }
    obj
}

impl RequestDraft {
    /// Reads the JSON form into a draft, with the problems of each member that could not be
    /// read (wrong type, not a number, out of range, …). Validation comes after.
    pub fn from_json(text: &str) -> (RequestDraft, Problems) {
        let mut p = Problems::default();
        let mut draft = RequestDraft::default();
        if text.len() > MAX_REQUEST_BYTES {
            p.push(
                ErrorCode::MalformedJson,
                "",
                format!("the request is larger than {MAX_REQUEST_BYTES} bytes"),
            );
            return (draft, p);
        }
        let root: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                p.push(ErrorCode::MalformedJson, "", format!("not valid JSON: {e}"));
                return (draft, p);
            }
        };
        let Value::Object(root) = &root else {
            p.push(
                ErrorCode::MalformedJson,
                "",
                "the request must be a JSON object".into(),
            );
            return (draft, p);
        };
        let top = envelope(root);
        {
            let mut r = Reader {
                obj: top,
                base: String::new(),
                p: &mut p,
            };
            if let Some(name) = r.string("doc_type") {
                draft.doc_type = DocType::from_wire_name(&name);
                if draft.doc_type.is_none() {
                    let shown: String = name.chars().take(24).collect();
                    p.push(
                        ErrorCode::UnknownDocType,
                        "doc_type",
                        format!("'{shown}' is not a document kind; use sale, money_back, rollback, prepay, creditpay, deposit, withdraw or correction"),
                    );
                }
            }
        }
        let data = match top.get("data") {
            Some(v) => object(v, "data", &mut p),
            None => {
                p.push(
                    ErrorCode::MissingField,
                    "data",
                    "the request's data is required".into(),
                );
                None
            }
        };
        let Some(data) = data else {
            return (draft, p);
        };
        let mut r = Reader {
            obj: data,
            base: String::new(),
            p: &mut p,
        };
        draft.cashier = r.string("cashier");
        draft.currency = r.string("currency");
        draft.sum = r.amount("sum");
        draft.cash = r.amount("cashSum");
        draft.cashless = r.amount("cashlessSum");
        draft.bonus = r.amount("bonusSum");
        draft.gift_card = r.amount("giftCardSum");
        draft.fuel_card = r.amount("fuelCardSum");
        draft.prepayment = r.amount("prepaymentSum");
        draft.credit = r.amount("creditSum");
        draft.tendered = r.amount("incomingSum");
        draft.change = r.amount("changeSum");
        draft.parent = r.string("parentDocument");
        draft.credit_contract = r.string("creditContract");
        draft.instalment = r
            .whole("paymentNumber", "instalment number")
            .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        draft.debt_left = r.amount("residue");
        draft.return_of = r.coded(
            "moneyBackType",
            "return type (moneyBackType)",
            ReturnOf::from_code,
        );
        draft.vehicle_plate = r.string("vehiclePlate");
        draft.rrn = r.string("rrn");
        if let Some(list) = r.array("parents").cloned() {
            let mut parents = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                match v {
                    Value::String(s) => parents.push(s.clone()),
                    _ => p.push(
                        ErrorCode::WrongType,
                        format!("parents[{i}]"),
                        "must be a string".into(),
                    ),
                }
            }
            draft.parents = Some(parents);
        }
        let mut r = Reader {
            obj: data,
            base: String::new(),
            p: &mut p,
        };
        if let Some(list) = r.array("items").cloned() {
            let mut items = Vec::with_capacity(list.len().min(super::MAX_LINES + 1));
            for (i, v) in list.iter().enumerate().take(super::MAX_LINES + 1) {
                let base = format!("items[{i}]");
                match object(v, &base, &mut p) {
                    Some(o) => items.push(read_line(o, base, &mut p)),
                    None => items.push(LineDraft::default()),
                }
            }
            draft.items = Some(items);
        }
        let mut r = Reader {
            obj: data,
            base: String::new(),
            p: &mut p,
        };
        if let Some(list) = r.array("vatAmounts").cloned() {
            if list.len() > MAX_VAT_AMOUNTS {
                p.push(
                    ErrorCode::OutOfRange,
                    "vatAmounts",
                    format!(
                        "at most {MAX_VAT_AMOUNTS} groups; this list has {}",
                        list.len()
                    ),
                );
            }
            let mut out = Vec::with_capacity(list.len().min(MAX_VAT_AMOUNTS));
            for (i, v) in list.iter().enumerate().take(MAX_VAT_AMOUNTS) {
                let base = format!("vatAmounts[{i}]");
                let Some(o) = object(v, &base, &mut p) else {
                    continue;
                };
                let mut r = Reader {
                    obj: o,
                    base,
                    p: &mut p,
                };
                out.push(VatAmountDraft {
                    gross: r.amount("vatSum"),
                    percent: r.value("vatPercent", "the rate", Percent::parse),
                    tax_kind: r.tax_kind("taxTreatment"),
                });
            }
            draft.vat_amounts = Some(out);
        }
        (draft, p)
    }
}
