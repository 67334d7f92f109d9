//! The JSON form of requests: the members and `doc_type` values deployed POS software already
//! sends (spec/FIELD-PRACTICE.md FP-01, FP-07), plus a few additions (SPEC.md §8).
//!
//! Numbers are read from their decimal text, never through a float (`serde_json` keeps the
//! text with `arbitrary_precision`); strings holding decimals are accepted too. Every member
//! is read on its own, so one bad value does not hide the others: all problems are reported.
//! A member repeated in one object is refused before anything is read (PK-11, SPEC.md §8.3).

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
use crate::strict_json::{self, Duplicate, Step};
use crate::tax::{TaxGroup, TaxKind};

/// Longest JSON text accepted for one request (SPEC.md §4.1): 4 MiB.
pub const MAX_REQUEST_BYTES: usize = 4 << 20;

/// Most entries in `vatAmounts` (SPEC.md §4.1).
pub const MAX_VAT_AMOUNTS: usize = 64;

impl Request {
    /// Reads a request in the JSON form (SPEC.md §8) and validates it.
    pub fn from_json(text: &str, ctx: &ValidationContext<'_>) -> Result<Request, Error> {
        let (draft, problems) = RequestDraft::from_json(text);
        // Without a readable object and its `data` there is nothing more to check; a text
        // that reads two ways has no one reading to check (PK-11).
        if problems.iter().any(|p| {
            matches!(
                p.code,
                ErrorCode::MalformedJson | ErrorCode::DuplicateMember
            ) || p.path == "data"
        }) {
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

impl Request {
    /// The draft that reading [`Request::to_json`] back gives (`RequestDraft::from_json`), built
    /// without the JSON text: the journal verifier re-validates every receipt through it
    /// (SPEC.md §15.2, RC-05), and the text round trip cost more than the rest of the
    /// per-document work together.
    ///
    /// It mirrors `to_json` member by member, so the two must change together (the unit test
    /// below compares them on every request of the math vectors and on forged ones). `None`
    /// where the JSON reader would itself report a problem or cut something off — more lines
    /// or `vatAmounts` entries than it reads, a text that could pass `MAX_REQUEST_BYTES`, a
    /// correction group it cannot name — so that the caller takes the real round trip and
    /// reports exactly what it reports. Only forged documents get there.
    pub(crate) fn to_draft(&self) -> Option<RequestDraft> {
        let mut d = RequestDraft {
            doc_type: Some(self.doc_type()),
            cashier: Some(self.cashier().into()),
            currency: Some("AZN".into()),
            ..RequestDraft::default()
        };
        match self {
            Request::Sale(r) => {
                draft_body(&mut d, &r.body, true)?;
                if !r.advances.is_empty() {
                    d.parents = Some(r.advances.clone());
                }
                d.credit_contract.clone_from(&r.credit_contract);
                d.vehicle_plate.clone_from(&r.body.vehicle_plate);
                d.rrn.clone_from(&r.body.rrn);
            }
            Request::Return(r) => {
                draft_body(&mut d, &r.body, false)?;
                d.parent = Some(r.parent.clone());
                d.return_of = Some(r.return_of);
                d.vehicle_plate.clone_from(&r.body.vehicle_plate);
                d.rrn.clone_from(&r.body.rrn);
            }
            Request::Advance(b) => {
                // `to_json` writes no vehiclePlate for an advance: a forged one is dropped,
                // and the re-validated request then differs, as through the text.
                draft_body(&mut d, b, true)?;
                d.rrn.clone_from(&b.rrn);
            }
            Request::CreditPayment(r) => {
                draft_body(&mut d, &r.body, true)?;
                d.parent = Some(r.parent.clone());
                d.instalment = Some(r.instalment);
                d.debt_left = Some(r.debt_left);
                d.credit_contract.clone_from(&r.credit_contract);
                d.rrn.clone_from(&r.body.rrn);
            }
            Request::Cancel(r) => d.parent = Some(r.parent.clone()),
            Request::Deposit(r) | Request::Withdraw(r) => d.sum = Some(r.amount),
            Request::Correction(r) => {
                draft_payments(&mut d, &r.payments, false);
                d.sum = Some(r.totals.sum);
                if r.totals.tax_groups.len() > MAX_VAT_AMOUNTS {
                    return None;
                }
                let mut entries = Vec::with_capacity(r.totals.tax_groups.len());
                for g in &r.totals.tax_groups {
                    entries.push(VatAmountDraft {
                        gross: Some(g.gross),
                        percent: g.key.percent,
                        // A category that is no tax kind (the margin remainder) is refused by
                        // the reader with its own problem.
                        tax_kind: Some(TaxKind::from_name(g.key.category.as_str())?),
                    });
                }
                d.vat_amounts = Some(entries);
            }
        }
        (json_size_bound(self) <= MAX_REQUEST_BYTES).then_some(d)
    }
}

/// The items, payments, `sum` and `vatAmounts` `write_body` writes, as the reader reads them.
fn draft_body(d: &mut RequestDraft, b: &super::ReceiptBody, tender: bool) -> Option<()> {
    if b.lines.len() > super::MAX_LINES {
        return None; // the reader keeps MAX_LINES + 1 of them
    }
    d.items = Some(b.lines.iter().map(draft_line).collect());
    draft_payments(d, &b.payments, tender);
    d.sum = Some(b.totals.sum);
    let vat = vat_amounts(&b.totals.counted_groups);
    if vat.len() > MAX_VAT_AMOUNTS {
        return None;
    }
    d.vat_amounts = Some(
        vat.into_iter()
            .map(|(percent, gross)| VatAmountDraft {
                gross: Some(gross),
                percent,
                tax_kind: None,
            })
            .collect(),
    );
    Some(())
}

fn draft_payments(d: &mut RequestDraft, p: &Payments, tender: bool) {
    d.cash = Some(p.cash);
    d.cashless = Some(p.cashless);
    d.bonus = Some(p.bonus);
    d.gift_card = Some(p.gift_card);
    d.fuel_card = Some(p.fuel_card);
    d.prepayment = Some(p.prepayment);
    d.credit = Some(p.credit);
    if tender {
        d.tendered = Some(p.tendered);
        d.change = Some(p.change);
    }
}

/// What `line_json` writes, as `read_line` reads it.
fn draft_line(l: &Line) -> LineDraft {
    let (discount, markup) = match l.adjustment {
        Some(Adjustment::Discount(a)) => (Some(a), None),
        Some(Adjustment::Markup(a)) => (None, Some(a)),
        None => (None, None),
    };
    LineDraft {
        name: Some(l.name.clone()),
        code_type: l.code.as_ref().map(|c| c.kind),
        code: l.code.as_ref().map(|c| c.code.clone()),
        unit: Some(l.unit),
        quantity: Some(l.quantity),
        price: Some(l.price),
        total: Some(l.total),
        percent: l.treatment.percent(),
        tax_kind: Some(l.treatment.kind()),
        margin: l.margin,
        margin_price: l.margin_price,
        discount,
        markup,
        department: l.department.as_ref().map(|d| u32::from(d.number)),
        department_name: l.department.as_ref().and_then(|d| d.name.clone()),
    }
}

/// An upper bound of the length of `to_json`'s text: every string at its worst escaping (6
/// bytes a byte, `\u00XX`), every other member at a generous fixed size. Below
/// `MAX_REQUEST_BYTES`, the reader's size check cannot fire.
fn json_size_bound(r: &Request) -> usize {
    const TOP: usize = 4096; // doc_type, data, cashier's key, payments, sum, …
    const PER_LINE: usize = 1024; // 15 keys and their numbers
    const PER_GROUP: usize = 3 * 256; // vatAmounts, taxGroups and countedTaxGroups entries
    let text = |s: &str| 6 * s.len() + 8;
    let opt = |s: &Option<String>| s.as_deref().map_or(0, text);
    let body = |b: &super::ReceiptBody| {
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
    envelope_walk(root).0
}

/// [`envelope`], with the names of the wrapper members passed through to get there: the first
/// `.2` entries of `.1`, outermost first.
fn envelope_walk(root: &Map<String, Value>) -> (&Map<String, Value>, [&'static str; 3], usize) {
    let mut obj = root;
    let mut passed = [""; 3];
    let mut depth = 0;
    while depth < passed.len() {
        if obj.contains_key("doc_type") {
            break;
        }
        match ["parameters", "tokenData", "requestData"]
            .iter()
            .find_map(|k| obj.get(*k).map(|v| (*k, v)))
        {
            Some((k, Value::Object(inner))) => {
                obj = inner;
                passed[depth] = k;
                depth += 1;
            }
            _ => break,
        }
    }
    (obj, passed, depth)
}

/// The path of a repeated member in the style of every other problem: from the envelope's
/// object, with the members of `data` named without `data.` (`items[2].itemPrice`, `cashier`,
/// `doc_type`). A repeat outside the envelope keeps its whole path; a repeated wrapper or
/// `data` itself is named as such.
fn duplicate_path(root: &Map<String, Value>, dup: &Duplicate) -> String {
    let (_, passed, depth) = envelope_walk(root);
    let steps = dup.path.as_slice();
    let inside = steps.len() > depth
        && steps
            .iter()
            .zip(&passed[..depth])
            .all(|(s, k)| matches!(s, Step::Member(m) if m == k));
    if !inside {
        return dup.dotted();
    }
    let rest = &steps[depth..];
    match rest {
        [Step::Member(data), inner @ ..] if data == "data" && !inner.is_empty() => {
            strict_json::dotted(inner)
        }
        _ => strict_json::dotted(rest),
    }
}

impl RequestDraft {
    /// Reads the JSON form into a draft, with the problems of each member that could not be
    /// read (wrong type, not a number, out of range, …). Validation comes after.
    ///
    /// A text with a member repeated in one object (names compared after unescaping) gives an
    /// empty draft and one `duplicate_member` problem at the repeat's path: it reads two ways,
    /// so no reading of it is made (PK-11, SPEC.md §8.3).
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
        // The repeat check is made in the same pass as the reading (PK-11, SPEC.md §8.3).
        let (root, duplicate) = match strict_json::from_str(text) {
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
        if let Some(dup) = duplicate {
            let shown: String = dup.name().chars().take(40).collect();
            let cut = if shown.len() < dup.name().len() {
                "…"
            } else {
                ""
            };
            p.push(
                ErrorCode::DuplicateMember,
                duplicate_path(root, &dup),
                format!("the member {shown:?}{cut} appears twice: the request reads two ways"),
            );
            return (draft, p);
        }
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

#[cfg(all(test, feature = "std"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::tax::RateTable;
    use crate::time::CivilDate;

    /// The one problem of a text with a repeated member.
    fn repeat(text: &str) -> (String, String) {
        let (draft, problems) = RequestDraft::from_json(text);
        assert_eq!(draft, RequestDraft::default(), "no reading is made: {text}");
        let all: Vec<_> = problems.iter().collect();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].code, ErrorCode::DuplicateMember);
        (all[0].path.clone(), all[0].message.clone())
    }

    #[test]
    fn a_repeated_member_is_named_by_the_path_every_other_problem_uses() {
        // SPEC.md §8.3: members of `data` without `data.`, as the validator names them.
        let (path, message) = repeat(
            r#"{"doc_type":"sale","data":{"cashier":"A","items":[{"itemName":"X"},{"itemPrice":1,"itemName":"Y","itemPrice":2}]}}"#,
        );
        assert_eq!(path, "items[1].itemPrice");
        assert_eq!(
            message,
            r#"the member "itemPrice" appears twice: the request reads two ways"#
        );
        assert_eq!(
            repeat(r#"{"doc_type":"sale","doc_type":"prepay","data":{}}"#).0,
            "doc_type"
        );
        assert_eq!(
            repeat(r#"{"doc_type":"sale","data":{},"data":{}}"#).0,
            "data"
        );
        assert_eq!(
            repeat(r#"{"doc_type":"sale","data":{"sum":1,"sum":1}}"#).0,
            "sum"
        );
        assert_eq!(
            repeat(r#"{"doc_type":"sale","data":{"vatAmounts":[{"vatSum":1,"vatSum":2}]}}"#).0,
            "vatAmounts[0].vatSum"
        );
        // Outside `data` and the envelope, the whole path.
        assert_eq!(
            repeat(r#"{"doc_type":"sale","data":{},"x":{"y":1,"y":2}}"#).0,
            "x.y"
        );
        // The deployed envelope (requestData → tokenData → parameters) is passed over, as for
        // every other problem; a repeated wrapper is named as such.
        let wrapped = |inner: &str| {
            format!(r#"{{"requestData":{{"tokenData":{{"parameters":{inner}}},"x":1}}}}"#)
        };
        assert_eq!(
            repeat(&wrapped(
                r#"{"doc_type":"sale","data":{"cashier":"A","cashier":"B"}}"#
            ))
            .0,
            "cashier"
        );
        assert_eq!(
            repeat(&wrapped(
                r#"{"doc_type":"sale","doc_type":"sale","data":{}}"#
            ))
            .0,
            "doc_type"
        );
        assert_eq!(
            repeat(&wrapped(r#"{"doc_type":"sale","data":{},"data":{}}"#)).0,
            "data"
        );
        assert_eq!(
            repeat(r#"{"requestData":{"tokenData":{},"tokenData":{}}}"#).0,
            "requestData.tokenData"
        );
        assert_eq!(
            repeat(r#"{"requestData":{"tokenData":{"parameters":{"doc_type":"sale","data":{}}}},"requestData":{}}"#).0,
            "requestData"
        );
        // A hostile name is shown cut short; the path keeps it whole.
        let long = "n".repeat(100);
        let (path, message) = repeat(&format!(
            r#"{{"doc_type":"sale","data":{{"{long}":1,"{long}":1}}}}"#
        ));
        assert_eq!(path, long);
        assert!(message.len() < 120, "{message}");
    }

    /// `to_draft` must be exactly what reading `to_json` back gives, or `None`.
    fn same_as_the_text(r: &Request) {
        let (through_text, problems) = RequestDraft::from_json(&r.to_json());
        // `None`: the verifier takes the text round trip itself.
        if let Some(d) = r.to_draft() {
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(d, through_text, "{}", r.to_json());
        }
    }

    #[test]
    fn the_draft_is_what_the_json_round_trip_reads() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/math.json");
        let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let rates = RateTable::azerbaijan();
        let ctx = ValidationContext {
            rates: &rates,
            date: CivilDate::new(2026, 11, 23).unwrap(),
        };
        let mut valid = Vec::new();
        for group in vectors["testGroups"].as_array().unwrap() {
            for t in group["tests"].as_array().unwrap() {
                if let Ok(r) = Request::from_json(&t["input"].to_string(), &ctx) {
                    same_as_the_text(&r);
                    assert!(r.to_draft().is_some(), "a valid request takes the shortcut");
                    valid.push(r);
                }
            }
        }
        assert!(valid.len() > 100, "{}", valid.len());
        // Forged requests (only a device key holder can sign them): members no kind takes,
        // strings that need escaping, a margin remainder group, too many lines.
        for r in &valid {
            let mut f = r.clone();
            match &mut f {
                Request::Advance(b) => b.vehicle_plate = Some("10-AA-100".into()),
                Request::CreditPayment(c) => c.body.vehicle_plate = Some("x\"\\\n".into()),
                Request::Sale(s) => {
                    s.body.lines[0].name = "\u{1}\u{7f}\"\\/\u{2028}".into();
                    s.advances = alloc::vec!["A".into(), "A".into()];
                }
                Request::Return(s) => {
                    let line = s.body.lines[0].clone();
                    s.body.lines = alloc::vec![line; crate::receipt::MAX_LINES + 1];
                    assert!(f.to_draft().is_none());
                }
                Request::Correction(c) => {
                    if let Some(g) = c.totals.tax_groups.first_mut() {
                        g.key.category = crate::tax::TaxCategory::MarginRemainder;
                        assert!(f.to_draft().is_none());
                    }
                }
                _ => {}
            }
            same_as_the_text(&f);
        }
    }
}
