//! The readable description of documents and shift reports: the JSON behind `Document.as_dict`
//! and `ShiftReport.as_dict` (amounts as exact numbers, moments as ISO 8601 text in Baku's zone).

use fiscal_core::{Content, Document, Payments, ShiftReport, TaxGroup, Timestamp};
use serde_json::{json, Map, Number, Value};

/// An exact JSON number with the value's own text (`12.50`): `serde_json`'s
/// `arbitrary_precision` keeps the digits as they are.
fn num(value: impl core::fmt::Display) -> Value {
    value
        .to_string()
        .parse::<Number>()
        .map_or(Value::Null, Value::Number)
}

/// ISO 8601 in Baku's zone, with milliseconds when there are any.
pub(crate) fn iso(t: Timestamp) -> String {
    let text = t.to_string();
    let ms = t.millis().rem_euclid(1000);
    if ms == 0 {
        return text;
    }
    match text.rsplit_once('+') {
        Some((head, zone)) => format!("{head}.{ms:03}+{zone}"),
        None => text,
    }
}

fn groups_json(groups: &[TaxGroup]) -> Value {
    Value::Array(
        groups
            .iter()
            .map(|g| {
                let mut m = Map::new();
                m.insert("category".into(), json!(g.key.category.as_str()));
                if let Some(p) = g.key.percent {
                    m.insert("percent".into(), num(p));
                }
                m.insert("gross".into(), num(g.gross));
                m.insert("tax".into(), num(g.tax));
                Value::Object(m)
            })
            .collect(),
    )
}

fn payments_json(p: &Payments) -> Value {
    json!({
        "cash": num(p.cash), "cashless": num(p.cashless), "bonus": num(p.bonus),
        "gift_card": num(p.gift_card), "fuel_card": num(p.fuel_card),
        "prepayment": num(p.prepayment), "credit": num(p.credit),
        "tendered": num(p.tendered), "change": num(p.change),
    })
}

pub(crate) fn report_json(z: &ShiftReport) -> Value {
    json!({
        "shift": z.shift,
        "opened_at": iso(z.opened_at),
        "first_number": z.first_number,
        "last_number": z.last_number,
        "receipts": z.receipts,
        "kinds": z.kinds.iter().map(|k| json!({
            "kind": k.kind.wire_name(),
            "count": k.count,
            "sum": num(k.sum),
            "payments": payments_json(&k.payments),
            "groups": groups_json(&k.groups),
        })).collect::<Vec<_>>(),
        "cash_in": num(z.cash_in),
        "cash_out": num(z.cash_out),
        "cash_in_drawer": num(z.cash_in_drawer()),
    })
}

fn content_json(content: &Content) -> Value {
    match content {
        Content::Activation { certificate } => json!({ "certificate": hex::encode(certificate) }),
        Content::Request(r) => serde_json::from_str(&r.to_json()).unwrap_or(Value::Null),
        Content::Cancel { request, voided } => json!({
            "doc_type": "rollback",
            "data": { "cashier": request.cashier(), "parentDocument": request.parent() },
            "voided": {
                "number": voided.number,
                "kind": voided.kind.wire_name(),
                "sum": num(voided.sum),
                "payments": payments_json(&voided.payments),
                "groups": groups_json(&voided.groups),
            },
        }),
        Content::ZReport(z) => report_json(z),
        _ => json!({}),
    }
}

pub(crate) fn document_json(doc: &Document) -> Value {
    let b = doc.body();
    json!({
        "number": b.number,
        "kind": b.content.name(),
        "time": iso(b.time),
        "shift": b.shift,
        "shift_receipt": b.shift_receipt,
        "fiscal_id": doc.id().long(),
        "short_id": doc.id().short(),
        "previous": hex::encode(b.previous),
        "content": content_json(&b.content),
    })
}
