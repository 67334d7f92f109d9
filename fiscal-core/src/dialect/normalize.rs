//! From a dialect's `data` to the canonical request (SPEC.md §8.6, §8.7): vendor members read
//! or left aside, the dialect's conventions mapped, and under the `deployed` policy the
//! leniencies of the deployed tokens — each with a notice.

use alloc::format;
use alloc::string::{String, ToString};

use alloc::vec::Vec;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Map, Number, Value};

use super::envelope::{join, Envelope};
use super::members::{self, Vendor};
use super::{ClaimedAmounts, Dialect, NoticeCode, Notices};
use crate::error::{ErrorCode, Problems};
use crate::money::Amount;
use crate::receipt::{CodeType, DocType, RequestDraft};
use crate::text;

/// The edit distance of two names, letter case ignored (Levenshtein, at most `limit + 1`):
/// a dozen lines in the engine, since the crates that have it need `std`.
fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()].min(limit + 1)
}

/// The member of `known` that `name` misspells, if any: at most two edits (one for a name of
/// four letters or fewer, where two edits reach unrelated words), letter case ignored.
fn misspelt<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .copied()
        .filter(|k| *k != name)
        .map(|k| (distance(name, k, 2), k))
        .filter(|(d, k)| *d <= if k.len() <= 4 { 1 } else { 2 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A member of `data`, an item or a `vatAmounts` entry that the dialect does not know: a
/// misspelling of a member it knows (`itemVatPercnt`, `CashSum`) is refused in both policies —
/// left aside it would silently turn an 18 % line into an exempt one; another is
/// [`unknown_member`].
pub(super) fn unknown_data_member(
    n: &mut Notices<'_>,
    problems: &mut Problems,
    path: &str,
    name: &str,
    known: &[&str],
) {
    match misspelt(name, known) {
        Some(meant) => problems.push(
            ErrorCode::UnknownMember,
            path,
            format!("not a member of this dialect: a misspelling of {meant}? (refused: left aside it would change the receipt)"),
        ),
        None => unknown_member(n, problems, path),
    }
}

/// A member the dialect does not know: `unknown_member` under `strict`, a notice under
/// `deployed` (the member is left aside).
pub(super) fn unknown_member(n: &mut Notices<'_>, problems: &mut Problems, path: &str) {
    if n.deployed {
        n.push(
            NoticeCode::UnknownMemberIgnored,
            path,
            "not a member of this dialect: left aside".into(),
        );
    } else {
        problems.push(
            ErrorCode::UnknownMember,
            path,
            "not a member of this dialect (a misspelt member would otherwise be lost without a word)".into(),
        );
    }
}

/// The whole number a member holds, as a JSON number or a string of digits.
fn whole(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

/// `prev_doc_number`, the double-issue guard (SPEC.md §14.3 step 1), read from where the
/// dialect puts it (`parameters`, or the body of a `kas_*` request).
pub(super) fn previous_number(
    envelope: &Envelope<'_>,
    n: &mut Notices<'_>,
    problems: &mut Problems,
) -> Option<u64> {
    let (obj, base) = envelope.parameters?;
    let v = obj.get("prev_doc_number").filter(|v| !v.is_null())?;
    guard(v, join(base, "prev_doc_number"), n, problems)
}

/// A `prev_doc_number` value at `path`, read as the guard: its number with the notice, or
/// `wrong_type`.
fn guard(v: &Value, path: String, n: &mut Notices<'_>, problems: &mut Problems) -> Option<u64> {
    match whole(v) {
        Some(number) => {
            n.push(
                NoticeCode::PreviousNumberGuard,
                path,
                format!("issued only if the device's last document is number {number}"),
            );
            Some(number)
        }
        None => {
            problems.push(
                ErrorCode::WrongType,
                path,
                "must be a whole number (the previous document's number)".into(),
            );
            None
        }
    }
}

/// The PIN or password and the user or role a login carries.
pub(super) fn login(envelope: &Envelope<'_>) -> (Option<String>, Option<String>) {
    let text = |k: &str| -> Option<String> {
        [envelope.credentials, envelope.data]
            .into_iter()
            .flatten()
            .find_map(|o| match o.get(k) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
    };
    (
        text("pin").or_else(|| text("password")),
        text("role")
            .or_else(|| text("name"))
            .or_else(|| text("login")),
    )
}

/// The members a cancel does not take, which some POS programs repeat from the receipt they
/// cancel (TaxManager, Shopping): under `deployed` they are taken out and kept to be checked.
const CANCEL_AMOUNTS: &[&str] = &[
    "sum",
    "cashSum",
    "cashlessSum",
    "bonusSum",
    "giftCardSum",
    "fuelCardSum",
    "prepaymentSum",
    "creditSum",
];

/// What a cancel may repeat without meaning (taken out under `deployed`, with the amounts).
const CANCEL_ECHOES: &[&str] = &[
    "vatAmounts",
    "incomingSum",
    "changeSum",
    "items",
    "rrn",
    "moneyBackType",
];

/// The canonical `data` of a document request, and the amounts a cancel carried.
pub(super) fn canonical(
    envelope: &Envelope<'_>,
    session: Option<&str>,
    doc: DocType,
    n: &mut Notices<'_>,
    problems: &mut Problems,
) -> (Option<Map<String, Value>>, ClaimedAmounts, Option<u64>) {
    let dialect = envelope.dialect;
    let vendor = dialect != Dialect::FiscalCore;
    let mut claimed = Vec::new();
    // `prev_doc_number` inside `data` where the dialect puts it in `parameters`: still the guard.
    let mut data_previous = None;
    let mut data = match envelope.data {
        Some(d) => d.clone(),
        // Omnitech's rollback has no data: its reference is in the envelope.
        None if envelope.reference.is_some() => Map::new(),
        None => return (None, claimed, None),
    };
    // The reference a cancel names in the envelope (Omnitech `fiscalId`).
    if let Some((v, path)) = envelope.reference {
        if !data.contains_key("parentDocument") {
            data.insert("parentDocument".into(), v.clone());
            n.push(
                NoticeCode::ReferenceMember,
                "parentDocument",
                format!("the receipt cancelled is named by {path}"),
            );
        }
    }
    // Members of data: canonical, vendor, or unknown.
    let keys: Vec<String> = data.keys().cloned().collect();
    for k in keys {
        if members::DATA.contains(&k.as_str()) {
            continue;
        }
        let vendor_member = if vendor {
            members::vendor_data(&k)
        } else {
            None
        };
        let Some(v) = vendor_member else {
            unknown_data_member(n, problems, &k, &k, members::DATA);
            data.remove(&k);
            continue;
        };
        let value = data.remove(&k);
        // A vendor member written as null or empty carries nothing: nothing to say.
        let value = value.filter(|v| !is_empty(v));
        if value.is_none() && v != Vendor::PreviousNumber {
            continue;
        }
        match v {
            // Read from where the dialect puts it (`previous_number`); inside `data` of an
            // enveloped dialect, read here.
            Vendor::PreviousNumber => {
                let in_parameters = envelope
                    .parameters
                    .is_some_and(|(p, _)| p.contains_key("prev_doc_number"));
                if let (Some(v), false) = (value.as_ref(), in_parameters) {
                    if dialect != Dialect::Ekassam {
                        data_previous = guard(v, k, n, problems);
                    }
                } else if value.is_some() && in_parameters && dialect != Dialect::Ekassam {
                    n.push(
                        NoticeCode::VendorMemberIgnored,
                        k,
                        "prev_doc_number is also in parameters: that one is the guard".into(),
                    );
                }
            }
            Vendor::CashHandedOver => {
                let cash_paid = data.get("cashSum").is_some_and(|v| !is_zero(v));
                if let Some(value) = value.filter(|v| !v.is_null() && !is_zero(v)) {
                    if !cash_paid {
                        n.push(
                            NoticeCode::VendorMemberIgnored,
                            k,
                            "cash handed over, but nothing is paid in cash: left aside".into(),
                        );
                    } else if !data.contains_key("incomingSum") {
                        data.insert("incomingSum".into(), value);
                        n.push(
                            NoticeCode::CashFromClient,
                            "incomingSum",
                            format!("the cash handed over is read from {k}"),
                        );
                    } else {
                        n.push(
                            NoticeCode::VendorMemberIgnored,
                            k,
                            "the cash handed over is also in incomingSum: that one is read".into(),
                        );
                    }
                }
            }
            Vendor::VehiclePlate => {
                if let Some(value) = value.filter(|v| !v.is_null()) {
                    if !data.contains_key("vehiclePlate") {
                        data.insert("vehiclePlate".into(), value);
                        n.push(
                            NoticeCode::VehiclePlateMember,
                            "vehiclePlate",
                            format!("the vehicle plate is read from {k}"),
                        );
                    } else {
                        n.push(
                            NoticeCode::VendorMemberIgnored,
                            k,
                            "the vehicle plate is also in vehiclePlate: that one is read".into(),
                        );
                    }
                }
            }
            Vendor::CorrectionPeriod => n.push(
                NoticeCode::CorrectionPeriodNotKept,
                k,
                "a correction's period is not kept in the document".into(),
            ),
            Vendor::Ignored(what) => {
                if value.is_some_and(|v| !is_empty(&v)) {
                    n.push(
                        NoticeCode::VendorMemberIgnored,
                        k,
                        format!("{what}: not kept in the document"),
                    );
                }
            }
        }
    }
    references(&mut data, n);
    items(&mut data, vendor, n, problems);
    vat_amounts(&mut data, n, problems);
    // The dialect's conventions.
    if matches!(doc, DocType::Deposit | DocType::Withdraw) && !data.contains_key("sum") {
        if let Some(v) = data.remove("cashSum") {
            data.insert("sum".into(), v);
            n.push(
                NoticeCode::CashSumAsAmount,
                "sum",
                format!("the {} amount is read from cashSum", doc.wire_name()),
            );
        }
    }
    if dialect == Dialect::Nba && doc == DocType::Return {
        if let Some(code) = data.get("moneyBackType").and_then(whole) {
            let mapped = match code {
                6 => Some(1),
                7 => Some(2),
                _ => None,
            };
            if let Some(m) = mapped {
                data.insert("moneyBackType".into(), Value::Number(Number::from(m)));
                n.push(
                    NoticeCode::MoneyBackTypeMapped,
                    "moneyBackType",
                    format!(
                        "NBA's moneyBackType {code} is {m} here ({})",
                        if m == 1 {
                            "advance residue"
                        } else {
                            "credit payment"
                        }
                    ),
                );
            }
        }
    }
    if n.deployed && dialect == Dialect::Omnitech && data.get("cashier").is_none_or(is_empty) {
        let name = session.unwrap_or(SESSION_CASHIER);
        data.insert("cashier".into(), Value::String(name.into()));
        n.push(
            NoticeCode::CashierFromSession,
            "cashier",
            match session {
                Some(_) => format!("no cashier in the request: the session's user {name}"),
                None => format!("no cashier in the request and no session user given: {name}"),
            },
        );
    }
    if n.deployed {
        if doc == DocType::Cancel {
            cancel_amounts(&mut data, &mut claimed, n, problems);
        }
        numbers(&mut data, n);
    }
    (Some(data), claimed, data_previous)
}

/// The cashier printed when an Omnitech form carries none and no session user is known.
const SESSION_CASHIER: &str = "Kassir";

/// A JSON number or numeric string that is zero (`0`, `0.0`, `"0.00"`).
fn is_zero(v: &Value) -> bool {
    let text = match v {
        Value::Number(x) => x.to_string(),
        Value::String(s) => s.clone(),
        _ => return false,
    };
    text.parse::<Decimal>().is_ok_and(|d| d.is_zero())
        || Decimal::from_scientific(&text).is_ok_and(|d| d.is_zero())
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A reference in a Base58 form (the deployed system's IDs, and this engine's answers in a
/// vendor dialect, SPEC.md §8.8) is kept as written: the device and the verifier match it by the
/// ID's bytes, and one that names no receipt of this device is a receipt of the deployed
/// system (a foreign reference, §8.6), which only the written form can say. A notice says so.
fn references(data: &mut Map<String, Value>, n: &mut Notices<'_>) {
    let mut one = |v: &Value, path: String| {
        let Value::String(s) = v else { return };
        if crate::document::is_base58_reference(s) {
            n.push(
                NoticeCode::ReferenceBase58,
                path,
                format!("{s} is a fiscal ID in Base58: matched by its bytes; one the kassa did not issue is a receipt of the deployed system"),
            );
        }
    };
    if let Some(v) = data.get("parentDocument") {
        one(v, "parentDocument".into());
    }
    if let Some(Value::Array(list)) = data.get("parents") {
        for (i, v) in list.iter().enumerate() {
            one(v, format!("parents[{i}]"));
        }
    }
}

/// Members of each item: canonical, the vendor's (left aside with a notice), or unknown.
fn items(
    data: &mut Map<String, Value>,
    vendor: bool,
    n: &mut Notices<'_>,
    problems: &mut Problems,
) {
    let Some(Value::Array(list)) = data.get_mut("items") else {
        return;
    };
    for (i, item) in list.iter_mut().enumerate() {
        let Value::Object(o) = item else { continue };
        let keys: Vec<String> = o.keys().cloned().collect();
        for k in keys {
            if members::ITEM.contains(&k.as_str()) {
                continue;
            }
            let path = format!("items[{i}].{k}");
            let value = o.remove(&k);
            match members::vendor_item(&k).filter(|_| vendor) {
                Some(what) => {
                    if value.is_some_and(|v| !is_empty(&v)) {
                        n.push(
                            NoticeCode::VendorMemberIgnored,
                            path,
                            format!("{what}: not kept in the document"),
                        );
                    }
                }
                None => unknown_data_member(n, problems, &path, &k, members::ITEM),
            }
        }
    }
}

/// Members of each `vatAmounts` entry: canonical or unknown.
fn vat_amounts(data: &mut Map<String, Value>, n: &mut Notices<'_>, problems: &mut Problems) {
    let Some(Value::Array(list)) = data.get_mut("vatAmounts") else {
        return;
    };
    for (i, entry) in list.iter_mut().enumerate() {
        let Value::Object(o) = entry else { continue };
        let keys: Vec<String> = o.keys().cloned().collect();
        for k in keys {
            if !members::VAT_AMOUNT.contains(&k.as_str()) {
                o.remove(&k);
                let path = format!("vatAmounts[{i}].{k}");
                unknown_data_member(n, problems, &path, &k, members::VAT_AMOUNT);
            }
        }
    }
}

/// A cancel repeating the receipt's amounts (`deployed`): they are taken out and kept, to be
/// compared with the voided receipt's when issued (SPEC.md §8.6).
fn cancel_amounts(
    data: &mut Map<String, Value>,
    claimed: &mut ClaimedAmounts,
    n: &mut Notices<'_>,
    problems: &mut Problems,
) {
    let mut taken = Vec::new();
    for k in CANCEL_AMOUNTS {
        let Some(v) = data.remove(*k) else { continue };
        let text = match &v {
            Value::Number(x) => x.to_string(),
            Value::String(s) => s.clone(),
            Value::Null => continue,
            _ => {
                problems.push(ErrorCode::WrongType, *k, "must be an amount".into());
                continue;
            }
        };
        match Amount::parse(&plain(&text, 2).map_or(text.clone(), |(t, _)| t)) {
            Ok(a) => {
                if !a.is_zero() {
                    claimed.push((*k, a));
                    taken.push(*k);
                }
            }
            Err(e) => problems.push(e.code(), *k, format!("an amount {e}")),
        }
    }
    for k in CANCEL_ECHOES {
        if data.remove(*k).is_some_and(|v| !is_empty(&v)) {
            taken.push(*k);
        }
    }
    if !taken.is_empty() {
        n.push(
            NoticeCode::CancelAmountsToCheck,
            "",
            format!(
                "a cancel takes only cashier and parentDocument; {} left aside, the amounts to be checked against the receipt it voids",
                taken.join(", ")
            ),
        );
    }
}

/// A number's text in plain decimal form at most `scale` decimals, when it is not already:
/// the exponent form read exactly (`1.25E7` → `12500000`), more decimals rounded half away
/// from zero (SPEC.md §3.4). `None` when the text is already plain and within the scale, or
/// is no number at all (the reader then reports it).
fn plain(text: &str, scale: u32) -> Option<(String, NoticeCode)> {
    let exponent = text.contains(['e', 'E']);
    let value = if exponent {
        Decimal::from_scientific(text).ok()?
    } else {
        if !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            return None;
        }
        text.parse::<Decimal>().ok()?
    };
    let rounded = value.normalize().scale() > scale;
    if !exponent && !rounded {
        return None;
    }
    let mut v = value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
    // Written at the member's scale (`1.20`, `2.000`), as SPEC.md §8.4 writes numbers.
    v.rescale(scale);
    let code = if rounded {
        NoticeCode::NumberRounded
    } else {
        NoticeCode::NumberExponent
    };
    Some((v.to_string(), code))
}

/// Rewrites the number forms of the decimal members of `obj` (`deployed`).
fn numbers_in(
    obj: &mut Map<String, Value>,
    scales: &[(&str, u32)],
    base: &str,
    n: &mut Notices<'_>,
) {
    for (k, scale) in scales {
        let Some(v) = obj.get_mut(*k) else { continue };
        let (text, string) = match v {
            Value::Number(x) => (x.to_string(), false),
            Value::String(s) => (s.clone(), true),
            _ => continue,
        };
        let Some((fixed, code)) = plain(&text, *scale) else {
            continue;
        };
        let path = join(base, k);
        let message = match code {
            NoticeCode::NumberRounded => {
                format!("{text} has more than {scale} decimals: read as {fixed}")
            }
            _ => format!("{text} is written with an exponent: read as {fixed}"),
        };
        *v = if string {
            Value::String(fixed)
        } else {
            match fixed.parse::<Number>() {
                Ok(x) => Value::Number(x),
                Err(_) => Value::String(fixed),
            }
        };
        n.push(code, path, message);
    }
}

/// The number forms of every decimal member (`deployed`, SPEC.md §8.6).
fn numbers(data: &mut Map<String, Value>, n: &mut Notices<'_>) {
    numbers_in(data, members::DATA_DECIMALS, "", n);
    for (list, scales, name) in [
        ("items", members::ITEM_DECIMALS, "items"),
        ("vatAmounts", members::VAT_DECIMALS, "vatAmounts"),
    ] {
        if let Some(Value::Array(entries)) = data.get_mut(list) {
            for (i, e) in entries.iter_mut().enumerate() {
                if let Value::Object(o) = e {
                    numbers_in(o, scales, &format!("{name}[{i}]"), n);
                }
            }
        }
    }
}

/// A line's total as the validator will take it: `itemSum`, or quantity × price rounded.
fn line_total(l: &crate::receipt::LineDraft) -> Option<Decimal> {
    match (l.total, l.quantity, l.price) {
        (Some(t), _, _) => Some(t.as_decimal()),
        (None, Some(q), Some(p)) => {
            Some(crate::money::round_money(q.as_decimal() * p.as_decimal()))
        }
        _ => None,
    }
}

/// INTEKO's margin convention (DEPLOYED-APIS.md §4.8, SPEC.md §8.6): `itemMarginSum` is the
/// purchase cost of the line and `vatAmounts` counts the whole margin line at its rate. When
/// the declared group at the margin lines' one rate is exactly the ordinary lines at that rate
/// plus the margin lines whole, the margin of each margin line is its total less that cost.
/// (Read as a margin, the cost would be taxed: 18 % of 7.20 where 18 % of 1.80 is due.)
fn purchase_cost_margins(d: &mut RequestDraft, n: &mut Notices<'_>) {
    let (Some(items), Some(declared)) = (&mut d.items, &d.vat_amounts) else {
        return;
    };
    let has_margin = |l: &crate::receipt::LineDraft| l.margin.is_some_and(|m| !m.is_zero());
    let rates: Vec<_> = items
        .iter()
        .filter(|l| has_margin(l))
        .map(|l| l.percent)
        .collect();
    let Some(rate) = rates.first().copied().flatten() else {
        return;
    };
    if rates.iter().any(|r| *r != Some(rate)) {
        return;
    }
    let mut whole = Decimal::ZERO;
    let mut ordinary = Decimal::ZERO;
    for l in items.iter().filter(|l| l.percent == Some(rate)) {
        let Some(t) = line_total(l) else { return };
        if has_margin(l) {
            whole += t;
        } else {
            ordinary += t;
        }
    }
    let at_rate: Decimal = declared
        .iter()
        .filter(|v| v.percent == Some(rate))
        .filter_map(|v| v.gross.map(|g| g.as_decimal()))
        .sum();
    if whole.is_zero() || at_rate != ordinary + whole {
        return;
    }
    for (i, l) in items.iter_mut().enumerate() {
        let (Some(cost), Some(total)) = (l.margin.filter(|m| !m.is_zero()), line_total(l)) else {
            continue;
        };
        let Some(margin) = Amount::from_decimal(total - cost.as_decimal())
            .ok()
            .filter(|m| !m.is_zero())
        else {
            continue;
        };
        n.push(
            NoticeCode::MarginConvention,
            format!("items[{i}].itemMarginSum"),
            format!("{cost} is the purchase cost, as vatAmounts count the whole line at its rate: the margin is {} − {cost} = {margin}", total.normalize()),
        );
        l.margin = Some(margin);
    }
}

/// Normalisations on the draft (SPEC.md §8.6): the empty item code (both policies); under
/// `deployed`, item codes that are not GS1, `incomingSum` on a return, and a gift certificate
/// booked as `prepaymentSum`. `problems` are those found so far (a member already refused is
/// left alone).
pub(super) fn draft(d: &mut RequestDraft, n: &mut Notices<'_>, problems: &Problems) {
    let doc = d.doc_type;
    if let Some(items) = &mut d.items {
        for (i, l) in items.iter_mut().enumerate() {
            // The path is written only when a notice or a problem needs it: most lines have
            // neither, and the formatting cost more than the rule (issue #19).
            let path = || format!("items[{i}].itemCode");
            if !problems.is_empty()
                && (problems.touches(&path())
                    || problems.touches(&format!("items[{i}].itemCodeType")))
            {
                continue;
            }
            let allows_none = matches!(
                l.code_type,
                None | Some(CodeType::Text | CodeType::Service | CodeType::CreditPayment)
            );
            let empty = l.code.as_deref().is_none_or(|c| c.trim().is_empty());
            if empty && allows_none && (l.code.is_some() || l.code_type.is_some()) {
                let ty = l.code_type.map_or(0, |t| t.code());
                n.push(
                    NoticeCode::ItemCodeEmpty,
                    path(),
                    format!("itemCodeType {ty} with no code: the line has no item code"),
                );
                l.code = None;
                l.code_type = None;
                continue;
            }
            if !n.deployed {
                continue;
            }
            let gs1 = match l.code_type {
                Some(CodeType::Ean8) => 8,
                Some(CodeType::Ean13) => 13,
                _ => continue,
            };
            let Some(code) = &l.code else { continue };
            if text::check_item_code(code, Some(gs1)).is_err()
                && text::check_item_code(code, None).is_ok()
            {
                n.push(
                    NoticeCode::ItemCodeNotGs1,
                    path(),
                    format!(
                        "{code} is not an EAN-{gs1} code: read as the shop's own code (type 0)"
                    ),
                );
                l.code_type = Some(CodeType::Text);
            }
        }
    }
    if !n.deployed {
        return;
    }
    purchase_cost_margins(d, n);
    if doc == Some(DocType::Return) && d.tendered.is_some_and(|t| !t.is_zero()) {
        n.push(
            NoticeCode::IncomingSumOnReturn,
            "incomingSum",
            "no cash is handed over on a return: left aside".into(),
        );
        d.tendered = None;
    }
    let no_parents = d.parents.as_ref().is_none_or(Vec::is_empty);
    if doc == Some(DocType::Sale)
        && no_parents
        && d.gift_card.is_none_or(|g| g.is_zero())
        && d.prepayment.is_some_and(|p| !p.is_zero())
    {
        n.push(
            NoticeCode::GiftCertificateAsPrepayment,
            "prepaymentSum",
            "prepaymentSum without the advances it offsets (parents): read as a gift certificate (giftCardSum)".into(),
        );
        d.gift_card = d.prepayment.take();
    }
}
