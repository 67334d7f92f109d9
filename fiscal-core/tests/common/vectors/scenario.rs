//! The scenario family run through the engine (`spec/vectors/scenarios.json`): a device's
//! timed operations → each document or refusal, in the vectors' format. Shared by the check
//! (`fiscal-core/tests/scenarios.rs`, `conformance.rs`) and the generator (`spec/vectorgen`),
//! which includes this file with `#[path]`.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use fiscal_core::{
    Certificate, CertificateBody, CivilDate, Content, Device, Document, Error, IssueOptions,
    Percent, PrivateKey, RateTable, Request, ShiftReport, TaxGroup, Timestamp, ValidationContext,
    Warning,
};
use serde_json::{json, Map, Value};

/// The `schema` of `scenarios.json`.
pub(crate) const SCHEMA: &str = "fiscal-core-vectors/scenario/v1";

// ---------------------------------------------------------------------------------------------
// Times: ISO 8601 in Baku (+04:00), milliseconds when there are any.

/// Reads the vectors' time format: `YYYY-MM-DDTHH:MM:SS[.mmm]+04:00`.
pub(crate) fn parse_time(s: &str) -> Timestamp {
    let rest = s
        .strip_suffix("+04:00")
        .unwrap_or_else(|| panic!("{s}: times are in Baku, +04:00"));
    let (date, time) = rest.split_once('T').unwrap();
    let date: CivilDate = date.parse().unwrap();
    let (hms, ms) = match time.split_once('.') {
        Some((hms, ms)) => {
            assert_eq!(ms.len(), 3, "{s}: milliseconds have 3 digits");
            (hms, ms.parse::<i64>().unwrap())
        }
        None => (time, 0),
    };
    let p: Vec<u8> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    assert_eq!(p.len(), 3, "{s}");
    Timestamp::from_baku(date, p[0], p[1], p[2])
        .unwrap()
        .plus(ms)
}

/// Writes a moment in the vectors' time format.
pub(crate) fn format_time(t: Timestamp) -> String {
    let (h, m, s) = t.time_in_baku();
    let ms = t.millis().rem_euclid(1000);
    let frac = if ms == 0 {
        String::new()
    } else {
        format!(".{ms:03}")
    };
    format!("{}T{h:02}:{m:02}:{s:02}{frac}+04:00", t.date_in_baku())
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The device of a test group: keys from seeds (SPEC.md §12.3), every certificate field.

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

/// The certificate a test group's `device` describes, its authority key and the device key.
pub(crate) fn certificate(device: &Value) -> (Certificate, PrivateKey, PrivateKey) {
    let authority = PrivateKey::from_seed(text(device, "authoritySeed").as_bytes());
    let key = PrivateKey::from_seed(text(device, "deviceSeed").as_bytes());
    let c = &device["certificate"];
    let body = CertificateBody {
        serial: c["serial"].as_u64().unwrap(),
        kassa_model: text(c, "kassaModel").into(),
        kassa_factory_number: text(c, "kassaFactoryNumber").into(),
        nmq_factory_number: text(c, "nmqFactoryNumber").into(),
        nmq_registration_number: text(c, "nmqRegistrationNumber").into(),
        taxpayer_name: text(c, "taxpayerName").into(),
        voen: text(c, "voen").into(),
        object_code: text(c, "objectCode").into(),
        object_name: text(c, "objectName").into(),
        object_address: text(c, "objectAddress").into(),
        valid_from: parse_time(text(c, "validFrom")),
        valid_until: parse_time(text(c, "validUntil")),
        device_key: key.public_key(),
    };
    (
        Certificate::issue(body, &authority).unwrap(),
        authority,
        key,
    )
}

// ---------------------------------------------------------------------------------------------
// Running a scenario against the engine.

fn percent_text(p: Percent) -> String {
    let s = p.to_string();
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() {
        "0".into()
    } else {
        s.into()
    }
}

fn groups_json(groups: &[TaxGroup]) -> Value {
    groups
        .iter()
        .map(|g| {
            let mut m = Map::new();
            m.insert("taxTreatment".into(), json!(g.key.category.as_str()));
            if let Some(p) = g.key.percent {
                m.insert("percent".into(), json!(percent_text(p)));
            }
            m.insert("gross".into(), json!(g.gross.to_string()));
            m.insert("tax".into(), json!(g.tax.to_string()));
            Value::Object(m)
        })
        .collect()
}

fn report_json(r: &ShiftReport) -> Value {
    json!({
        "shift": r.shift,
        "openedAt": format_time(r.opened_at),
        "firstNumber": r.first_number,
        "lastNumber": r.last_number,
        "receipts": r.receipts,
        "kinds": r.kinds.iter().map(|k| json!({
            "kind": k.kind.wire_name(),
            "count": k.count,
            "sum": k.sum.to_string(),
            "payments": {
                "cash": k.payments.cash.to_string(),
                "cashless": k.payments.cashless.to_string(),
                "bonus": k.payments.bonus.to_string(),
                "giftCard": k.payments.gift_card.to_string(),
                "fuelCard": k.payments.fuel_card.to_string(),
                "prepayment": k.payments.prepayment.to_string(),
                "credit": k.payments.credit.to_string(),
            },
            "taxGroups": groups_json(&k.groups),
        })).collect::<Vec<_>>(),
        "cashIn": r.cash_in.to_string(),
        "cashOut": r.cash_out.to_string(),
        "cashInDrawer": r.cash_in_drawer().to_string(),
    })
}

fn document_json(doc: &Document, warnings: &[Warning]) -> Value {
    let b = doc.body();
    let mut out = json!({
        "result": "document",
        "number": b.number,
        "kind": b.content.name(),
        "shift": b.shift,
        "shiftReceipt": b.shift_receipt,
        "fiscalId": doc.id().long(),
        "warnings": warnings.iter().map(|w| match w {
            Warning::CertificateExpiresSoon { .. } => "certificate_expires_soon",
            _ => panic!("a warning the vectors do not know: {w:?}"),
        }).collect::<Vec<_>>(),
    });
    match &b.content {
        Content::Request(r) => match (r, r.body()) {
            (_, Some(body)) => {
                out["total"] = json!(body.totals().total().to_string());
                out["sum"] = json!(body.totals().sum().to_string());
            }
            (Request::Deposit(c) | Request::Withdraw(c), None) => {
                out["sum"] = json!(c.amount().to_string());
            }
            (Request::Correction(c), None) => {
                out["total"] = json!(c.totals().total().to_string());
                out["sum"] = json!(c.totals().sum().to_string());
            }
            (other, None) => panic!("a request without amounts: {:?}", other.doc_type()),
        },
        Content::Cancel { voided, .. } => {
            out["voided"] = json!({
                "number": voided.number,
                "kind": voided.kind.wire_name(),
                "sum": voided.sum.to_string(),
            });
        }
        Content::ZReport(z) => out["report"] = report_json(z),
        _ => {}
    }
    out
}

fn refused(e: &Error) -> Value {
    let problems = e.problems();
    assert!(
        problems.len() <= 1,
        "a scenario's refused request must have exactly one problem: {problems:?}"
    );
    json!({"result": "refused", "error": e.code().as_str()})
}

fn outcome<T>(r: Result<T, Error>, ok: impl FnOnce(T) -> Value) -> Value {
    match r {
        Ok(v) => ok(v),
        Err(e) => refused(&e),
    }
}

/// Replaces the placeholders of SPEC-vector `notes`: `{{fiscalId:N}}`, `{{shortId:N}}`,
/// `{{foreignFiscalId:K}}`.
fn substitute(v: &Value, docs: &[Document], foreign: &[Document]) -> Value {
    match v {
        Value::String(s) => {
            let Some(inner) = s.strip_prefix("{{").and_then(|x| x.strip_suffix("}}")) else {
                return v.clone();
            };
            let (name, n) = inner.split_once(':').unwrap();
            let n: usize = n.parse().unwrap();
            let id = match name {
                "fiscalId" => docs[n - 1].id().long(),
                "shortId" => docs[n - 1].id().short(),
                "foreignFiscalId" => foreign[n - 1].id().long(),
                other => panic!("unknown placeholder {other}"),
            };
            json!(id)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, docs, foreign)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), substitute(x, docs, foreign)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Runs a scenario's steps against the engine; returns the output steps.
pub(crate) fn run(device: &Value, input: &Value) -> Value {
    let (cert, authority, key) = certificate(device);
    let pin = text(device, "pin");
    let qr_base = text(device, "qrBase");
    let rates = RateTable::azerbaijan();
    let foreign: Vec<Document> = input
        .get("foreignDocuments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|l| Document::from_journal_line(l.as_str().unwrap()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    let mut dev: Option<Device> = None;
    let mut docs: Vec<Document> = Vec::new();
    let mut out = Vec::new();
    for step in input["steps"].as_array().unwrap() {
        let now = step.get("at").map(|t| parse_time(t.as_str().unwrap()));
        let op = text(step, "op");
        let record = |r: Result<fiscal_core::Issued, Error>, docs: &mut Vec<Document>| {
            outcome(r, |i| {
                assert_eq!(i.document.number() as usize, docs.len() + 1);
                let j = document_json(&i.document, &i.warnings);
                docs.push(i.document);
                j
            })
        };
        let result = if op == "activate" {
            assert!(dev.is_none(), "activated twice");
            match Device::activate(
                cert.clone(),
                &authority.public_key(),
                key.clone(),
                pin,
                Some(qr_base),
                now.unwrap(),
            ) {
                Ok((d, issued)) => {
                    dev = Some(d);
                    record(Ok(issued), &mut docs)
                }
                Err(e) => refused(&e),
            }
        } else {
            let d = dev.as_mut().expect("an operation before activation");
            match op {
                "openShift" => record(d.open_shift(now.unwrap()), &mut docs),
                "closeShift" => record(d.close_shift(now.unwrap()), &mut docs),
                "decommission" => record(d.decommission(now.unwrap()), &mut docs),
                "xReport" => outcome(
                    d.x_report(),
                    |r| json!({"result": "report", "report": report_json(&r)}),
                ),
                "unlock" => outcome(d.unlock(text(step, "pin")), |()| json!({"result": "ok"})),
                "restart" => {
                    *d = Device::restore(&d.export_state(), key.clone()).unwrap();
                    json!({"result": "ok"})
                }
                "acknowledge" => {
                    let through = step["through"].as_u64().unwrap();
                    let next = docs.get(through as usize);
                    outcome(
                        d.acknowledge_upload(through, next),
                        |()| json!({"result": "ok"}),
                    )
                }
                "issue" => {
                    let now = now.unwrap();
                    let request = substitute(&step["request"], &docs, &foreign);
                    let refs: Vec<Document> = step
                        .get("references")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .map(|r| match r {
                                    Value::Number(n) => {
                                        docs[n.as_u64().unwrap() as usize - 1].clone()
                                    }
                                    other => foreign
                                        [other["foreign"].as_u64().unwrap() as usize - 1]
                                        .clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let ctx = ValidationContext {
                        rates: &rates,
                        date: now.date_in_baku(),
                    };
                    match Request::from_json(&request.to_string(), &ctx) {
                        Err(e) => refused(&e),
                        Ok(r) => {
                            let opts = IssueOptions {
                                rates: &rates,
                                references: &refs,
                                expected_previous: step
                                    .get("expectedPrevious")
                                    .and_then(Value::as_u64),
                                foreign_references: false,
                            };
                            record(d.issue(&r, now, &opts), &mut docs)
                        }
                    }
                }
                other => panic!("unknown op {other}"),
            }
        };
        out.push(result);
    }
    json!({ "steps": out })
}
