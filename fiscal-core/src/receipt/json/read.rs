//! Reading the JSON form: wire text → draft, with the problems of each member.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::{MAX_REQUEST_BYTES, MAX_VAT_AMOUNTS};
use crate::error::{Error, ErrorCode, Problems};
use crate::money::{Amount, Percent, Quantity, UnitPrice, ValueError};
use crate::receipt::{
    CodeType, DocType, LineDraft, Request, RequestDraft, ReturnOf, Unit, ValidationContext,
    VatAmountDraft, MAX_LINES,
};
use crate::strict_json::{self, Duplicate, Step};
use crate::tax::TaxKind;

impl Request {
    /// Reads a request in the JSON form (SPEC.md §8) and validates it: any dialect's envelope
    /// (recognised as `auto` does), under the `strict` policy — the specification as written,
    /// a member the dialect does not know refused (`unknown_member`). A control call is
    /// `unknown_operation`: it is no document. For the notices and the `deployed` policy, use
    /// [`crate::dialect::read_request`].
    pub fn from_json(text: &str, ctx: &ValidationContext<'_>) -> Result<Request, Error> {
        crate::dialect::read_document(text, ctx)
    }
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
pub(crate) fn duplicate_path(root: &Map<String, Value>, dup: &Duplicate) -> String {
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
        // `doc_type` (and `data` itself) where the envelope holds them: named alone, as the
        // other problems name them; any other member of the envelope keeps its whole path,
        // as the dialect readers' problems give it (`requestData.checkData.check_type`).
        [Step::Member(m)] if m == "doc_type" || m == "data" => strict_json::dotted(rest),
        _ => dup.dotted(),
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
        let draft = RequestDraft::default();
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
        let (draft, more) = RequestDraft::from_canonical(top);
        p.0.extend(more.0);
        (draft, p)
    }

    /// Reads the canonical object `{doc_type, data}` (already parsed, its envelope removed)
    /// into a draft, with the problems of each member that could not be read. The dialect
    /// readers (SPEC.md §8.1) hand their requests over in this form.
    pub(crate) fn from_canonical(top: &Map<String, Value>) -> (RequestDraft, Problems) {
        let mut p = Problems::default();
        let mut draft = RequestDraft::default();
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
            let mut items = Vec::with_capacity(list.len().min(MAX_LINES + 1));
            for (i, v) in list.iter().enumerate().take(MAX_LINES + 1) {
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
