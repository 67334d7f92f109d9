//! The conformance vectors of the scenario family (`spec/vectors/scenarios.json`, spec/README.md):
//! a device's sequence of timed operations → each document it issues or each refusal (shifts,
//! numbering, the 24-hour shift, the offline limits, certificate expiry, the PIN, returns,
//! cancels, advances, credit instalments, cash documents, X- and Z-reports, decommission).
//!
//! This test runs every scenario against the engine and compares every step with the file.
//! With `FISCAL_CORE_BLESS=1` it (re)generates the file from the cases below;
//! `spec/tools/references/reference_device.py` then recomputes every expected value except the fiscal IDs
//! (an independent model of SPEC.md §14 in Python's standard library), so the suite does not
//! simply bless the engine's output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use fiscal_core::{
    Certificate, CertificateBody, CivilDate, Content, Device, Document, Error, IssueOptions,
    Percent, PrivateKey, RateTable, Request, ShiftReport, TaxGroup, Timestamp, ValidationContext,
    Warning,
};
use serde_json::{json, Map, Value};

#[path = "common/tc_ids.rs"]
mod tc_ids;
use tc_ids::check_tc_ids;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../spec/vectors/scenarios.json"
);
const SCHEMA: &str = "fiscal-core-vectors/scenario/v1";

// ---------------------------------------------------------------------------------------------
// Times: ISO 8601 in Baku (+04:00), milliseconds when there are any.

/// `"MM-DD HH:MM[:SS[.mmm]]"` in 2026, or `"YYYY-MM-DD HH:MM…"`, as ISO 8601 with +04:00.
fn at(s: &str) -> String {
    let full = if s.len() > 4 && s.as_bytes()[4] == b'-' {
        s.to_owned()
    } else {
        format!("2026-{s}")
    };
    let (date, time) = full.split_once(' ').unwrap();
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_owned()
    };
    format!("{date}T{time}+04:00")
}

/// Reads the vectors' time format: `YYYY-MM-DDTHH:MM:SS[.mmm]+04:00`.
fn parse_time(s: &str) -> Timestamp {
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

fn format_time(t: Timestamp) -> String {
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
// The device of the test group: keys from seeds (SPEC.md §12.3), every certificate field.

fn device_params() -> Value {
    json!({
        "authoritySeed": "fiscal-core scenario authority",
        "deviceSeed": "fiscal-core scenario device",
        "pin": "1234",
        "qrBase": "https://monitoring.e-kassa.gov.az/#/index?doc=",
        "certificate": {
            "serial": 3001,
            "kassaModel": "Kassa-X 200",
            "kassaFactoryNumber": "KX2-000777",
            "nmqFactoryNumber": "NMQ-77-000999",
            "nmqRegistrationNumber": "AZ-NMQ-2026-003001",
            "taxpayerName": "Gəncə Ərzaq MMC",
            "voen": "1400057421",
            "objectCode": "OBJ-0107",
            "objectName": "Ərzaq mağazası №7",
            "objectAddress": "Gəncə ş., Atatürk pr. 12",
            "validFrom": "2026-01-01T00:00:00+04:00",
            "validUntil": "2027-01-01T00:00:00+04:00",
        },
    })
}

/// Another device of the same authority: the source of `foreignDocuments`.
fn foreign_params() -> Value {
    let mut d = device_params();
    d["deviceSeed"] = json!("fiscal-core scenario other device");
    d["certificate"]["serial"] = json!(3002);
    d["certificate"]["nmqFactoryNumber"] = json!("NMQ-77-001000");
    d["certificate"]["nmqRegistrationNumber"] = json!("AZ-NMQ-2026-003002");
    d
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

fn certificate(device: &Value) -> (Certificate, PrivateKey, PrivateKey) {
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

// ---------------------------------------------------------------------------------------------
// Building the scenarios.

fn activate(t: &str) -> Value {
    json!({"at": at(t), "op": "activate"})
}
fn open(t: &str) -> Value {
    json!({"at": at(t), "op": "openShift"})
}
fn close(t: &str) -> Value {
    json!({"at": at(t), "op": "closeShift"})
}
fn decommission(t: &str) -> Value {
    json!({"at": at(t), "op": "decommission"})
}
fn x_report() -> Value {
    json!({"op": "xReport"})
}
fn unlock(pin: &str) -> Value {
    json!({"op": "unlock", "pin": pin})
}
fn restart() -> Value {
    json!({"op": "restart"})
}
fn ack(through: u64) -> Value {
    json!({"op": "acknowledge", "through": through})
}
fn issue(t: &str, request: Value) -> Value {
    json!({"at": at(t), "op": "issue", "request": request})
}
fn issue_refs(t: &str, request: Value, refs: &[u64]) -> Value {
    json!({"at": at(t), "op": "issue", "request": request, "references": refs})
}
fn with(mut step: Value, key: &str, value: Value) -> Value {
    step[key] = value;
    step
}

fn id(n: u64) -> String {
    format!("{{{{fiscalId:{n}}}}}")
}
fn short(n: u64) -> String {
    format!("{{{{shortId:{n}}}}}")
}

fn item(name: &str, qty: &str, price: &str, vat: Option<&str>) -> Value {
    let mut i = json!({"itemName": name, "itemQuantity": qty, "itemPrice": price});
    if let Some(p) = vat {
        i["itemVatPercent"] = json!(p);
    }
    i
}
fn one(name: &str, price: &str) -> Value {
    item(name, "1", price, Some("18"))
}

fn request(doc_type: &str, items: Option<Vec<Value>>, members: Value) -> Value {
    let mut data = json!({"cashier": "Aysel"});
    if let Some(items) = items {
        data["items"] = Value::Array(items);
    }
    for (k, v) in members.as_object().unwrap() {
        data[k] = v.clone();
    }
    json!({"doc_type": doc_type, "data": data})
}
fn sale(items: Vec<Value>, pay: Value) -> Value {
    request("sale", Some(items), pay)
}
/// One line of `price` at VAT 18%, paid in cash.
fn cash_sale(name: &str, price: &str) -> Value {
    sale(vec![one(name, price)], json!({"cashSum": price}))
}
fn card_sale(name: &str, price: &str) -> Value {
    sale(vec![one(name, price)], json!({"cashlessSum": price}))
}
fn money_back(parent: &str, items: Vec<Value>, pay: Value, ty: Option<u8>) -> Value {
    let mut m = pay;
    m["parentDocument"] = json!(parent);
    if let Some(t) = ty {
        m["moneyBackType"] = json!(t);
    }
    request("money_back", Some(items), m)
}
/// A return of `amount` (one line at VAT 18%) paid back in `form` (`cashSum`, `cashlessSum`).
fn ret(parent: u64, amount: &str, form: &str) -> Value {
    money_back(
        &id(parent),
        vec![one("Qaytarma", amount)],
        json!({ form: amount }),
        None,
    )
}
fn cancel(parent: &str) -> Value {
    request("rollback", None, json!({"parentDocument": parent}))
}
fn prepay(amount: &str, form: &str) -> Value {
    request(
        "prepay",
        Some(vec![one("Avans", amount)]),
        json!({ form: amount }),
    )
}
fn credit_sale(total: &str, cash: &str, credit: &str) -> Value {
    sale(
        vec![one("Televizor", total)],
        json!({"cashSum": cash, "creditSum": credit, "creditContract": "NK-2026/118"}),
    )
}
fn creditpay(parent: u64, n: u32, paid: &str, residue: &str) -> Value {
    request(
        "creditpay",
        Some(vec![item("Nisyə ödənişi", "1", paid, Some("18"))]),
        json!({"parentDocument": id(parent), "paymentNumber": n, "residue": residue, "cashSum": paid}),
    )
}
fn deposit(amount: &str) -> Value {
    request("deposit", None, json!({ "sum": amount }))
}
fn withdraw(amount: &str) -> Value {
    request("withdraw", None, json!({ "sum": amount }))
}

struct Case {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    steps: Vec<Value>,
    foreign: Vec<String>,
}

fn case(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    flags: &[&'static str],
    steps: Vec<Value>,
) -> Case {
    Case {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: flags.to_vec(),
        steps,
        foreign: Vec::new(),
    }
}

/// Activation at 08:00 and a shift opened at 09:00 on 2026-11-23: documents 1 and 2.
fn day_start() -> Vec<Value> {
    vec![activate("11-23 08:00"), open("11-23 09:00")]
}
fn then(mut a: Vec<Value>, b: Vec<Value>) -> Vec<Value> {
    a.extend(b);
    a
}

/// A sale of another device (the journal line of its document 3), for references that are
/// not this device's (NM-11).
fn foreign_sale() -> String {
    let (cert, authority, key) = certificate(&foreign_params());
    let (mut d, _) = Device::activate(
        cert,
        &authority.public_key(),
        key,
        "1234",
        None,
        parse_time(&at("11-23 08:00")),
    )
    .unwrap();
    d.open_shift(parse_time(&at("11-23 09:00"))).unwrap();
    let rates = RateTable::azerbaijan();
    let ctx = ValidationContext {
        rates: &rates,
        date: CivilDate::new(2026, 11, 23).unwrap(),
    };
    let r = Request::from_json(&cash_sale("Çörək", "1.20").to_string(), &ctx).unwrap();
    let opts = IssueOptions {
        rates: &rates,
        references: &[],
        expected_previous: None,
    };
    d.issue(&r, parse_time(&at("11-23 09:10")), &opts)
        .unwrap()
        .document
        .to_journal_line()
}

#[allow(clippy::too_many_lines)]
fn cases() -> Vec<Case> {
    let mut v = Vec::new();

    // --- Activation and the life cycle (LC-01, NM-08, U-08) ------------------------------
    v.push(case(
                1,
        "activation issues document 1 (shift 0, no receipt counter); a shift and a sale follow as 2 and 3; the X-report shows them",
        &["LC-01", "NM-02", "NM-03", "NM-06", "NM-11", "RC-06", "PK-02"],
        &["report"],
        vec![
            activate("11-23 08:00"),
            open("11-23 09:00"),
            issue("11-23 09:15:30", sale(vec![item("Çörək", "2", "0.60", Some("18"))], json!({"cashSum": "1.20"}))),
            x_report(),
        ],
    ));
    v.push(case(
                2,
        "activation one millisecond before the certificate's validity is refused; at its first moment it succeeds",
        &["LC-01", "NM-08"],
        &["refusal", "boundary"],
        vec![
            activate("2025-12-31 23:59:59.999"),
            activate("2026-01-01 00:00:00"),
        ],
    ));
    v.push(case(
                3,
        "activation at the certificate's expiry is refused; one millisecond before, it succeeds with the expiry warning",
        &["LC-01", "NM-08", "U-08"],
        &["refusal", "boundary", "expiry"],
        vec![
            activate("2027-01-01 00:00:00"),
            activate("2026-12-31 23:59:59.999"),
        ],
    ));
    v.push(case(
        4,
        "no receipt, X-report or Z-report before a shift is opened; the refusals leave no gap",
        &["PK-02", "NM-03"],
        &["refusal"],
        vec![
            activate("11-23 08:00"),
            issue("11-23 08:30", cash_sale("Çörək", "0.60")),
            issue("11-23 08:31", deposit("50.00")),
            x_report(),
            close("11-23 08:32"),
            open("11-23 09:00"),
            issue("11-23 09:01", cash_sale("Çörək", "0.60")),
        ],
    ));
    v.push(case(
        5,
        "a second shift cannot be opened while one is open",
        &["PK-02", "NM-03"],
        &["refusal"],
        then(
            day_start(),
            vec![
                open("11-23 09:30"),
                issue("11-23 09:31", cash_sale("Çörək", "0.60")),
                close("11-23 18:00"),
                open("11-23 18:01"),
            ],
        ),
    ));

    // --- Numbering (NM-03, NM-11, RC-06) ----------------------------------------------------
    v.push(case(
                6,
        "numbers run on without gaps across shifts; the receipt counter starts again in each shift; cash documents and reports carry receipt 0",
        &["NM-03", "NM-11", "RC-06", "PK-01", "PK-02"],
        &["report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:10", deposit("50.00")),
                issue("11-23 09:05", cash_sale("Çörək", "0.60")),
                issue("11-23 09:06", card_sale("Süd", "2.35")),
                issue("11-23 12:00", withdraw("20.00")),
                issue("11-23 13:00", cash_sale("Pendir", "4.99")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue("11-24 09:10", cash_sale("Çörək", "0.60")),
                issue("11-24 09:11", card_sale("Yağ", "7.80")),
                close("11-24 20:00"),
            ],
        ),
    ));
    v.push(case(
                7,
        "refused operations leave the numbering intact: each refusal is followed by the next number",
        &["NM-03", "RC-06", "PK-01", "RC-17"],
        &["refusal", "references"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                issue("11-23 09:11", withdraw("5.00")),
                issue_refs("11-23 09:12", cancel(&id(2)), &[2]),
                issue("11-23 09:13", cancel("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")),
                issue("11-23 09:14", cash_sale("Süd", "2.35")),
                open("11-23 09:15"),
                issue("11-23 09:16", withdraw("3.55")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                8,
        "time must increase: the same moment and an earlier one are refused, one millisecond later is accepted",
        &["NM-04", "NM-03"],
        &["refusal", "boundary"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:00", cash_sale("Çörək", "0.60")),
                issue("11-23 08:59:59", cash_sale("Çörək", "0.60")),
                issue("11-23 09:00:00.001", cash_sale("Çörək", "0.60")),
                issue("11-23 09:00:00.002", cash_sale("Çörək", "0.60")),
                close("11-23 09:00:00.002"),
                close("11-23 09:00:00.003"),
                open("11-23 09:00:00.003"),
                open("11-23 09:00:00.004"),
            ],
        ),
    ));
    v.push(case(
                9,
        "a retried request naming an old last number is refused (sequence_mismatch) instead of issued twice",
        &["NM-03"],
        &["refusal"],
        then(
            day_start(),
            vec![
                with(issue("11-23 09:10", cash_sale("Çörək", "0.60")), "expectedPrevious", json!(2)),
                with(issue("11-23 09:10:05", cash_sale("Çörək", "0.60")), "expectedPrevious", json!(2)),
                with(issue("11-23 09:11", cash_sale("Süd", "2.35")), "expectedPrevious", json!(3)),
                with(issue("11-23 09:12", cash_sale("Süd", "2.35")), "expectedPrevious", json!(5)),
                issue("11-23 09:13", cash_sale("Pendir", "4.99")),
            ],
        ),
    ));
    v.push(case(
        10,
        "an invalid request (underpaid) is refused with its validation code and takes no number",
        &["PK-11", "RC-10", "NM-03"],
        &["refusal", "validation"],
        then(
            day_start(),
            vec![
                issue(
                    "11-23 09:10",
                    sale(vec![one("Çörək", "1.20")], json!({"cashSum": "1.00"})),
                ),
                issue(
                    "11-23 09:11",
                    sale(vec![one("Çörək", "1.20")], json!({"cashSum": "1.20"})),
                ),
            ],
        ),
    ));

    // --- The 24-hour shift (PK-02) ------------------------------------------------------------
    v.push(case(
                11,
        "a receipt one millisecond before 24 h of the shift is accepted, at 24 h refused; cash documents too; the X-report and closing still work; a new shift accepts receipts",
        &["PK-02", "NM-03", "RC-06"],
        &["refusal", "boundary", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 23:30", cash_sale("Çörək", "0.60")),
                issue("11-24 08:59:59.999", cash_sale("Çörək", "0.60")),
                issue("11-24 09:00:00", cash_sale("Çörək", "0.60")),
                issue("11-24 09:00:01", deposit("10.00")),
                x_report(),
                close("11-24 09:00:02"),
                open("11-24 09:00:03"),
                issue("11-24 09:00:04", cash_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
        12,
        "a shift left open for two days: receipts refused, the Z-report is still issued",
        &["PK-02"],
        &["refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 10:00", card_sale("Süd", "2.35")),
                issue("11-25 10:00", card_sale("Süd", "2.35")),
                close("11-25 10:01"),
                open("11-25 10:02"),
                issue("11-25 10:03", card_sale("Süd", "2.35")),
            ],
        ),
    ));

    // --- Offline limits (NM-01, NM-04, NM-05, U-06) -----------------------------------------
    v.push(case(
                13,
        "7 days offline: exactly 7 days after the oldest document not uploaded is still allowed, 1 ms later refused; closing is allowed; an acknowledgement moves the window to the next document's time",
        &["NM-01", "NM-04", "NM-05", "U-06", "PK-02"],
        &["refusal", "boundary", "offline"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                close("11-23 20:00"),
                open("11-30 07:00"),
                issue("11-30 08:00:00", card_sale("Süd", "2.35")),
                issue("11-30 08:00:00.001", card_sale("Süd", "2.35")),
                issue("11-30 08:00:01", deposit("5.00")),
                close("11-30 08:01"),
                open("11-30 09:00"),
                ack(1),
                open("11-30 09:00:00.001"),
                ack(3),
                open("11-30 09:01"),
                issue("11-30 09:03", card_sale("Süd", "2.35")),
            ],
        ),
    ));
    v.push(case(
                14,
        "with every document acknowledged nothing is pending: a shift opens twelve days later, and its document starts a new window",
        &["NM-01", "NM-04", "U-06"],
        &["offline", "refusal"],
        vec![
            activate("11-23 08:00"),
            ack(1),
            open("12-05 09:00"),
            issue("12-05 09:10", card_sale("Çörək", "0.60")),
            close("12-05 20:00"),
            open("12-12 09:00:00.001"),
            ack(4),
            open("12-12 09:00:00.002"),
        ],
    ));
    v.push(case(
                15,
        "an acknowledgement beyond the last number is refused; acknowledging again or less changes nothing",
        &["NM-01"],
        &["refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                ack(4),
                ack(2),
                ack(1),
                ack(2),
                ack(3),
                ack(3),
                issue("11-23 09:11", card_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(bulk_pending());

    // --- Certificate expiry (NM-08, U-08) ---------------------------------------------------
    v.push(case(
                17,
        "7 days before expiry every document carries the warning; at expiry receipts and shifts are refused; the Z-report and decommission need no valid certificate",
        &["NM-08", "U-08", "LC-02", "PK-02"],
        &["refusal", "boundary", "expiry", "report"],
        vec![
            activate("12-20 08:00"),
            ack(1),
            open("12-24 22:00"),
            issue("12-24 23:59:59.999", card_sale("Çörək", "0.60")),
            issue("12-25 00:00:00", card_sale("Çörək", "0.60")),
            issue("12-25 00:00:01", deposit("10.00")),
            issue("12-25 21:59:59", cash_sale("Süd", "2.35")),
            issue("2027-01-01 00:00:00", card_sale("Çörək", "0.60")),
            close("2027-01-01 00:00:01"),
            open("2027-01-01 00:00:02"),
            ack(7),
            decommission("2027-01-01 00:10"),
        ],
    ));
    v.push(case(
        18,
        "activated inside the warning window: activation, shift and receipts all carry the warning",
        &["NM-08", "LC-01"],
        &["expiry"],
        vec![
            activate("12-26 08:00"),
            open("12-26 09:00"),
            issue("12-26 09:05", cash_sale("Çörək", "0.60")),
        ],
    ));
    v.push(case(
                19,
        "a shift opened before expiry: at the last millisecond a receipt is accepted, at expiry refused",
        &["NM-08", "U-08"],
        &["refusal", "boundary", "expiry"],
        vec![
            activate("12-31 08:00"),
            open("12-31 09:00"),
            issue("12-31 23:59:59.999", card_sale("Çörək", "0.60")),
            issue("2027-01-01 00:00:00", card_sale("Çörək", "0.60")),
            issue("2027-01-01 00:00:01", withdraw("0.01")),
        ],
    ));

    // --- PIN (NM-07) ---------------------------------------------------------------------------
    v.push(case(
                20,
        "after a restart nothing is issued until the PIN: shift, receipt and Z-report are refused (not_unlocked); the right PIN unlocks",
        &["NM-07", "NM-03"],
        &["refusal", "restart"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "0.60")),
                restart(),
                issue("11-23 09:11", cash_sale("Çörək", "0.60")),
                close("11-23 09:12"),
                unlock("1234"),
                issue("11-23 09:13", cash_sale("Çörək", "0.60")),
                close("11-23 09:14"),
                restart(),
                open("11-23 09:15"),
                unlock("1234"),
                open("11-23 09:16"),
            ],
        ),
    ));
    v.push(case(
                21,
        "five wrong PINs in a row lock the device; then even the right PIN is refused, and so is every operation",
        &["NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            restart(),
            unlock("0000"),
            unlock("1111"),
            unlock("2222"),
            unlock("3333"),
            unlock("4444"),
            unlock("1234"),
            open("11-23 09:00"),
            restart(),
            unlock("1234"),
            open("11-23 09:01"),
        ],
    ));
    v.push(case(
        22,
        "a right PIN resets the count of wrong ones: four wrong, right, four wrong, right",
        &["NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            restart(),
            unlock("0000"),
            unlock("0000"),
            unlock("0000"),
            unlock("0000"),
            unlock("1234"),
            unlock("9999"),
            unlock("9999"),
            unlock("9999"),
            unlock("9999"),
            unlock("1234"),
            open("11-23 09:00"),
        ],
    ));
    v.push(case(
        23,
        "the count of wrong PINs survives a restart: three, restart, two more lock the device",
        &["NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            restart(),
            unlock("0000"),
            unlock("0001"),
            unlock("0002"),
            restart(),
            unlock("0003"),
            unlock("0004"),
            unlock("1234"),
        ],
    ));
    v.push(case(
        24,
        "a restart with a shift open keeps the shift, its counters and its cash drawer",
        &["NM-07", "NM-03", "RC-06", "PK-02"],
        &["restart", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:10", deposit("20.00")),
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                restart(),
                unlock("1234"),
                issue("11-23 09:20", cash_sale("Süd", "2.35")),
                issue("11-23 09:30", withdraw("23.55")),
                x_report(),
                restart(),
                unlock("1234"),
                close("11-23 20:00"),
            ],
        ),
    ));

    // --- Returns (RC-17) -------------------------------------------------------------------------
    v.push(case(
                25,
        "partial returns up to the sale's total: a return one qəpik over what is left is refused, the rest is accepted; the drawer ends at zero",
        &["RC-17", "PK-01", "PK-02"],
        &["references", "refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", sale(vec![one("Çörək", "4.00"), one("Süd", "6.00")], json!({"cashSum": "10.00"}))),
                issue_refs("11-23 09:20", ret(3, "6.00", "cashSum"), &[3]),
                issue_refs("11-23 09:21", ret(3, "4.01", "cashSum"), &[3, 4]),
                issue_refs("11-23 09:22", ret(3, "4.00", "cashSum"), &[3, 4]),
                issue_refs("11-23 09:23", ret(3, "0.01", "cashlessSum"), &[3, 4, 5]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        26,
        "a return of more than the sale at once is refused",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "5.00")),
                issue_refs("11-23 09:20", ret(3, "5.01", "cashlessSum"), &[3]),
                issue_refs("11-23 09:21", ret(3, "5.00", "cashlessSum"), &[3]),
            ],
        ),
    ));
    v.push(case(
                27,
        "a sale of an earlier shift is undone by a return; the return's row is in the later shift's Z-report",
        &["RC-17", "PK-02"],
        &["references", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", sale(vec![one("Ütü", "45.00"), item("Dərman", "1", "5.00", None)], json!({"cashlessSum": "50.00"}))),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", money_back(&id(3), vec![one("Ütü", "45.00")], json!({"cashlessSum": "45.00"}), Some(0)), &[3]),
                close("11-24 20:00"),
            ],
        ),
    ));
    v.push(case(
                28,
        "a return names the kind it refunds: an advance's rest (moneyBackType 1) is accepted, the advance as a sale (0) is refused",
        &["RC-17", "RC-11"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", money_back(&id(3), vec![one("Avans", "5.00")], json!({"cashSum": "5.00"}), Some(0)), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Avans", "5.00")], json!({"cashSum": "5.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Avans", "5.00")], json!({"cashSum": "5.00"}), Some(2)), &[3]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        29,
        "a reference may be the 12-character short fiscal ID",
        &["RC-17", "NM-02"],
        &["references", "short-id"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "3.00")),
                issue_refs(
                    "11-23 09:20",
                    money_back(
                        &short(3),
                        vec![one("Çörək", "1.00")],
                        json!({"cashlessSum": "1.00"}),
                        None,
                    ),
                    &[3],
                ),
                issue_refs("11-23 09:21", cancel(&short(3)), &[3, 4]),
                issue_refs(
                    "11-23 09:22",
                    money_back(
                        &short(3),
                        vec![one("Çörək", "2.01")],
                        json!({"cashlessSum": "2.01"}),
                        None,
                    ),
                    &[3, 4],
                ),
                issue_refs(
                    "11-23 09:23",
                    money_back(
                        &short(3),
                        vec![one("Çörək", "2.00")],
                        json!({"cashlessSum": "2.00"}),
                        None,
                    ),
                    &[3, 4],
                ),
            ],
        ),
    ));
    let mut c = case(
                30,
        "references must be supplied and be this device's: the sale not supplied is reference_not_found, another device's sale is reference_not_authentic, an unknown ID is not found",
        &["RC-17", "NM-11"],
        &["references", "refusal", "foreign-document"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "1.20")),
                issue("11-23 09:11", ret(3, "1.20", "cashlessSum")),
                issue_refs("11-23 09:12", money_back("{{foreignFiscalId:1}}", vec![one("Çörək", "1.20")], json!({"cashlessSum": "1.20"}), None), &[3]),
                json!({"at": at("11-23 09:13"), "op": "issue", "request": money_back("{{foreignFiscalId:1}}", vec![one("Çörək", "1.20")], json!({"cashlessSum": "1.20"}), None), "references": [3, {"foreign": 1}]}),
                json!({"at": at("11-23 09:14"), "op": "issue", "request": cancel("{{foreignFiscalId:1}}"), "references": [{"foreign": 1}]}),
                issue_refs("11-23 09:15", ret(3, "1.20", "cashlessSum"), &[3]),
            ],
        ),
    );
    c.foreign = vec![foreign_sale()];
    v.push(c);
    v.push(case(
                31,
        "a return after a cancel in the same shift is refused: the device's ledger remembers the cancel",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", ret(3, "1.20", "cashSum"), &[3]),
                issue("11-23 09:13", cash_sale("Süd", "2.35")),
            ],
        ),
    ));
    v.push(case(
                32,
        "in a later shift a return of a cancelled receipt is refused, whether the cancel is supplied or not: the device's ledger remembers the cancel (SPEC.md §14.6)",
        &["RC-17"],
        &["references", "refusal", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "1.20")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", ret(3, "1.20", "cashlessSum"), &[3, 4]),
                issue_refs("11-24 09:11", ret(3, "1.20", "cashlessSum"), &[3]),
            ],
        ),
    ));
    v.push(case(
                33,
        "a cash refund above the drawer is refused (cash_insufficient); the same refund to the card is accepted",
        &["RC-17", "PK-01"],
        &["references", "refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Ütü", "45.00")),
                issue("11-23 09:11", cash_sale("Çörək", "1.20")),
                issue_refs("11-23 09:12", ret(3, "45.00", "cashSum"), &[3]),
                issue_refs("11-23 09:13", ret(3, "45.00", "cashlessSum"), &[3]),
                x_report(),
            ],
        ),
    ));

    // --- Cancels (RC-17) ------------------------------------------------------------------------
    v.push(case(
                34,
        "a cancel voids a sale of the open shift: it carries the voided receipt's number, kind and sum; the Z-report shows the cancel row and the drawer back where it was",
        &["RC-17", "RC-06", "PK-02"],
        &["references", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:30", deposit("10.00")),
                issue("11-23 09:10", sale(vec![item("Çörək", "2", "0.60", Some("18")), item("Dərman", "1", "5.00", None)], json!({"cashSum": "6.20", "incomingSum": "10.00"}))),
                issue_refs("11-23 09:11", cancel(&id(4)), &[4]),
                issue("11-23 09:12", cash_sale("Çörək", "0.60")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        35,
        "a receipt is cancelled once: a second cancel is refused",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:13", cancel(&id(3)), &[3, 4]),
                issue("11-23 09:14", card_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
                36,
        "a receipt of an earlier shift cannot be cancelled (cancel_outside_shift); it is undone by a return instead",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:01", cancel(&id(3)), &[3]),
                issue_refs("11-24 09:02", ret(3, "0.60", "cashlessSum"), &[3]),
            ],
        ),
    ));
    v.push(case(
        37,
        "no cancel after a return: returns and a cancel would pay twice (return_exceeds_sale)",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "3.00")),
                issue_refs("11-23 09:11", ret(3, "1.00", "cashlessSum"), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3, 4]),
                issue_refs("11-23 09:13", ret(3, "2.00", "cashlessSum"), &[3, 4]),
            ],
        ),
    ));
    v.push(case(
                38,
        "only a sale, advance or credit payment can be cancelled: a deposit, a shift opening and a return are the wrong kind",
        &["RC-17", "RC-15"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:01", deposit("10.00")),
                issue("11-23 09:02", card_sale("Çörək", "0.60")),
                issue_refs("11-23 09:03", ret(4, "0.60", "cashlessSum"), &[4]),
                issue_refs("11-23 09:04", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:05", cancel(&id(2)), &[2]),
                issue_refs("11-23 09:06", cancel(&id(5)), &[5]),
                issue("11-23 09:07", withdraw("10.00")),
            ],
        ),
    ));
    v.push(case(
                39,
        "cancelling a cash sale after its cash was withdrawn is refused: the drawer cannot go below zero",
        &["RC-17", "PK-01"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Ütü", "45.00")),
                issue("11-23 09:11", withdraw("45.00")),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue("11-23 09:13", deposit("45.00")),
                issue_refs("11-23 09:14", cancel(&id(3)), &[3]),
                x_report(),
            ],
        ),
    ));
    v.push(case(
        40,
        "an advance and a credit payment can be cancelled in their shift",
        &["RC-17", "RC-11", "RC-18"],
        &["references", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue("11-23 09:11", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:12", creditpay(4, 1, "100.00", "900.00"), &[4]),
                issue_refs("11-23 09:13", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:14", cancel(&id(5)), &[5]),
                close("11-23 20:00"),
            ],
        ),
    ));

    // --- Advances (RC-11, RC-17) ------------------------------------------------------------------
    v.push(case(
                41,
        "an advance, then a sale against it: the sale counts only the part paid now; the Z-report shows the offset",
        &["RC-11", "RC-17", "RC-05", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashlessSum")),
                issue_refs("11-23 12:00", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                42,
        "sales may not take more from an advance than it holds, counting the earlier sales against it (the device's ledger remembers them; supplying them changes nothing)",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "25.00", "prepaymentSum": "25.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", sale(vec![one("Tort", "30.00")], json!({"cashSum": "15.00", "prepaymentSum": "15.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:13", sale(vec![one("Şam", "10.00")], json!({"cashSum": "4.00", "prepaymentSum": "6.00", "parents": [id(3)]})), &[3, 4]),
                issue_refs("11-23 09:14", sale(vec![one("Şam", "10.00")], json!({"cashSum": "5.00", "prepaymentSum": "5.00", "parents": [id(3)]})), &[3, 4]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                43,
        "a sale against two advances: the offset may use both",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue("11-23 09:11", prepay("15.00", "cashlessSum")),
                issue_refs("11-23 09:12", sale(vec![one("Tort", "50.00")], json!({"cashSum": "14.99", "prepaymentSum": "35.01", "parents": [id(3), id(4)]})), &[3, 4]),
                issue_refs("11-23 09:13", sale(vec![one("Tort", "50.00")], json!({"cashSum": "15.00", "prepaymentSum": "35.00", "parents": [id(3), id(4)]})), &[3, 4]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        44,
        "a sale named as an advance is the wrong kind; an advance not supplied is not found",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "20.00")),
                issue_refs(
                    "11-23 09:11",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]}),
                    ),
                    &[3],
                ),
                issue("11-23 09:12", prepay("20.00", "cashSum")),
                issue(
                    "11-23 09:13",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(4)]}),
                    ),
                ),
                issue_refs(
                    "11-23 09:14",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(4)]}),
                    ),
                    &[4],
                ),
            ],
        ),
    ));
    v.push(case(
                45,
        "an advance in one shift, the sale against it in the next",
        &["RC-11", "RC-17", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("100.00", "cashlessSum")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 10:00", sale(vec![one("Şkaf", "350.00")], json!({"cashlessSum": "250.00", "prepaymentSum": "100.00", "parents": [short(3)]})), &[3]),
                close("11-24 20:00"),
            ],
        ),
    ));

    // --- Credit sales and instalments (RC-13, RC-18) --------------------------------------------
    v.push(case(
                46,
        "a credit sale and its instalments until the debt is paid: each instalment is numbered, carries the debt left, and counts in the Z-report",
        &["RC-13", "RC-18", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 10:00", creditpay(3, 1, "400.00", "600.00"), &[3]),
                issue_refs("11-23 11:00", creditpay(3, 2, "600.00", "0.00"), &[3, 4]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                47,
        "the instalment number must be the next one after the instalments paid (the device's ledger counts them; supplying them changes nothing)",
        &["RC-18"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 10:00", creditpay(3, 2, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:02", creditpay(3, 1, "100.00", "800.00"), &[3, 4]),
                issue_refs("11-23 10:03", creditpay(3, 3, "100.00", "800.00"), &[3, 4]),
                issue_refs("11-23 10:04", creditpay(3, 2, "100.00", "800.00"), &[3, 4]),
            ],
        ),
    ));
    v.push(case(
                48,
        "an instalment above the debt left is refused; a residue that is not the debt left is refused",
        &["RC-18", "RC-13"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("500.00", "0.00", "500.00")),
                issue_refs("11-23 10:00", creditpay(3, 1, "300.00", "200.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(3, 2, "200.01", "0.00"), &[3, 4]),
                issue_refs("11-23 10:02", creditpay(3, 2, "150.00", "60.00"), &[3, 4]),
                issue_refs("11-23 10:03", creditpay(3, 2, "150.00", "50.00"), &[3, 4]),
                issue_refs("11-23 10:04", creditpay(3, 3, "50.00", "0.00"), &[3, 4, 5]),
            ],
        ),
    ));
    v.push(case(
        49,
        "an instalment against a sale without credit, or against an advance, is the wrong kind",
        &["RC-18", "RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "100.00")),
                issue("11-23 09:11", prepay("100.00", "cashSum")),
                issue_refs("11-23 10:00", creditpay(3, 1, "50.00", "50.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(4, 1, "50.00", "50.00"), &[4]),
                issue("11-23 10:02", cash_sale("Çörək", "1.00")),
            ],
        ),
    ));
    v.push(case(
        50,
        "instalments over several shifts; a credit payment can be returned (moneyBackType 2)",
        &["RC-18", "RC-17", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", creditpay(3, 1, "250.00", "750.00"), &[3]),
                issue_refs(
                    "11-24 09:20",
                    money_back(
                        &id(6),
                        vec![item("Nisyə ödənişi", "1", "50.00", Some("18"))],
                        json!({"cashSum": "50.00"}),
                        Some(2),
                    ),
                    &[6],
                ),
                close("11-24 20:00"),
                open("11-25 09:00"),
                issue_refs("11-25 09:10", creditpay(3, 2, "750.00", "0.00"), &[3, 6]),
                close("11-25 20:00"),
            ],
        ),
    ));

    // --- Cash documents, corrections, reports (PK-01, PK-02) -------------------------------
    v.push(case(
        51,
        "deposits and withdrawals: the drawer can be emptied exactly, not below zero",
        &["PK-01", "PK-02"],
        &["refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:01", withdraw("0.01")),
                issue("11-23 09:02", deposit("100.00")),
                issue("11-23 09:03", cash_sale("Çörək", "0.60")),
                issue("11-23 09:04", withdraw("100.61")),
                issue("11-23 09:05", withdraw("100.60")),
                issue("11-23 09:06", withdraw("0.01")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                52,
        "a correction (sums not fiscalized in time) is a document of the shift with receipt 0, counted in its own Z-report row",
        &["PK-01", "PK-02", "RC-06"],
        &["report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", request("correction", None, json!({"sum": "130.00", "cashSum": "100.00", "cashlessSum": "30.00", "vatAmounts": [{"vatSum": "118.00", "vatPercent": "18"}, {"vatSum": "12.00"}]}))),
                issue("11-23 09:11", cash_sale("Çörək", "0.60")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                53,
        "the X-report is the running report and changes nothing: the next document gets the next number",
        &["PK-02", "NM-03"],
        &["report"],
        then(
            day_start(),
            vec![
                x_report(),
                issue("11-23 09:10", cash_sale("Çörək", "0.60")),
                x_report(),
                x_report(),
                issue("11-23 09:11", card_sale("Süd", "2.35")),
                x_report(),
                close("11-23 20:00"),
                x_report(),
            ],
        ),
    ));
    v.push(case(
                54,
        "a shift with every kind of document: the Z-report has one row per kind (count, sum, payment forms, counted tax groups) and the drawer",
        &["PK-01", "PK-02", "RC-05", "RC-06", "RC-10", "RC-11", "RC-13", "RC-14", "RC-15", "RC-17", "RC-18"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:01", deposit("50.00")),
                issue("11-23 09:02", sale(
                    vec![
                        item("Çörək", "2", "0.60", Some("18")),
                        item("Pendir", "0.750", "4.99", Some("18")),
                        item("Dərman", "1", "5.00", None),
                        item("Eksport", "1", "3.00", Some("0")),
                        json!({"itemName": "Alma", "itemQuantityType": 1, "itemQuantity": "2", "itemPrice": "1.50", "itemVatPercent": "18", "itemMarginSum": "0.59"}),
                    ],
                    json!({"cashSum": "10.00", "cashlessSum": "5.94", "incomingSum": "20.00"}),
                )),
                issue("11-23 09:03", sale(vec![item("Plov", "1", "12.50", Some("8")), item("Çay", "2", "1.25", Some("8"))], json!({"cashlessSum": "10.00", "bonusSum": "5.00"}))),
                issue("11-23 09:04", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:05", sale(vec![one("Tort", "50.00"), item("Kibrit", "3", "0.33", Some("2"))], json!({"cashSum": "30.99", "prepaymentSum": "20.00", "parents": [id(6)]})), &[6]),
                issue("11-23 09:06", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:07", creditpay(8, 1, "100.00", "900.00"), &[8]),
                issue_refs("11-23 09:08", money_back(&id(4), vec![item("Pendir", "0.750", "4.99", Some("18"))], json!({"cashSum": "3.74"}), None), &[4]),
                issue_refs("11-23 09:09", cancel(&id(5)), &[5]),
                issue("11-23 09:10", request("correction", None, json!({"sum": "11.80", "cashSum": "11.80", "vatAmounts": [{"vatSum": "11.80", "vatPercent": "18"}]}))),
                issue("11-23 09:11", sale(vec![json!({"itemName": "Aİ-92", "itemQuantityType": 2, "itemQuantity": "35.123", "itemPrice": "1.0575", "itemVatPercent": "18"})], json!({"fuelCardSum": "37.14", "vehiclePlate": "10-AB-123"}))),
                issue("11-23 09:12", sale(vec![one("Hədiyyə", "25.00")], json!({"giftCardSum": "25.00"}))),
                issue("11-23 09:13", withdraw("100.00")),
                x_report(),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        55,
        "receipts across midnight stay in the shift that opened the day before",
        &["PK-02", "RC-06"],
        &["report"],
        vec![
            activate("11-23 08:00"),
            open("11-23 22:00"),
            issue("11-23 23:59:59.999", cash_sale("Çörək", "0.60")),
            issue("11-24 00:00:00", cash_sale("Çörək", "0.60")),
            close("11-24 02:00"),
        ],
    ));

    // --- Decommission (LC-02, NM-12) ------------------------------------------------------------
    v.push(case(
                56,
        "decommission: refused with a shift open, then with documents not uploaded; after the upload it issues the last document; then every operation is refused",
        &["LC-02", "NM-12", "NM-01", "PK-02"],
        &["refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "0.60")),
                decommission("11-23 19:00"),
                close("11-23 20:00"),
                decommission("11-23 20:01"),
                ack(3),
                decommission("11-23 20:02"),
                ack(4),
                decommission("11-23 20:03"),
                open("11-23 20:04"),
                issue("11-23 20:05", cash_sale("Çörək", "0.60")),
                decommission("11-23 20:06"),
                unlock("1234"),
            ],
        ),
    ));
    v.push(case(
                57,
        "decommission right after activation, once document 1 is uploaded: document 2 carries shift 0",
        &["LC-02", "LC-01", "NM-12"],
        &["refusal"],
        vec![
            activate("11-23 08:00"),
            decommission("11-23 08:01"),
            ack(1),
            decommission("11-23 08:02"),
            open("11-23 08:03"),
        ],
    ));
    v.push(case(
        58,
        "a decommissioned device stays out of service after a restart",
        &["LC-02", "NM-12", "NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            ack(1),
            decommission("11-23 08:02"),
            restart(),
            unlock("1234"),
            open("11-23 08:03"),
        ],
    ));

    // --- The ledger: what documents owe each other (RC-11, RC-13, RC-17, RC-18; SPEC.md §14.6) ---
    v.push(case(
                59,
        "an advance spent by a sale cannot also be refunded: a return of its residue (moneyBackType 1) is refused (advances_exceeded), with the sale supplied or not",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Avans", "20.00")], json!({"cashSum": "20.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Avans", "0.01")], json!({"cashSum": "0.01"}), Some(1)), &[3, 4]),
                issue("11-23 09:14", cash_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
                60,
        "a cancelled advance cannot be spent: a sale against it is refused (already_cancelled), with the cancel supplied or not",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:13", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3, 4]),
                issue("11-23 09:14", cash_sale("Tort", "50.00")),
            ],
        ),
    ));
    v.push(case(
                61,
        "an advance a sale has spent cannot be cancelled (receipt_in_use), with the sale supplied or not; nor can the sale that spent it (its prepayment could not go back to the advance)",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:13", cancel(&id(3)), &[3, 4]),
                issue_refs("11-23 09:13:30", cancel(&id(4)), &[4, 3]),
                issue("11-23 09:14", cash_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
                62,
        "an advance partly spent: its residue is what the sale left; a return of one qəpik more is refused (advances_exceeded), exactly the rest is accepted, then nothing is left",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "boundary", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "12.00")], json!({"cashSum": "4.00", "prepaymentSum": "8.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Avans", "12.01")], json!({"cashSum": "12.01"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Avans", "12.00")], json!({"cashSum": "12.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:14", money_back(&id(3), vec![one("Avans", "0.01")], json!({"cashlessSum": "0.01"}), Some(1)), &[3, 4, 5]),
                issue_refs("11-23 09:15", sale(vec![one("Tort", "1.00")], json!({"cashSum": "0.99", "prepaymentSum": "0.01", "parents": [id(3)]})), &[3]),
                x_report(),
            ],
        ),
    ));
    v.push(case(
                63,
        "a sale returned in full cannot be returned again though the first return is withheld (return_exceeds_sale): the device's ledger counts it",
        &["RC-17"],
        &["references", "refusal", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "5.00")),
                issue_refs("11-23 09:11", ret(3, "5.00", "cashlessSum"), &[3]),
                issue_refs("11-23 09:12", ret(3, "5.00", "cashlessSum"), &[3]),
                issue_refs("11-23 09:13", ret(3, "0.01", "cashlessSum"), &[3]),
                issue_refs("11-23 09:14", ret(3, "0.01", "cashlessSum"), &[3, 4]),
                issue("11-23 09:15", card_sale("Çörək", "5.00")),
            ],
        ),
    ));
    v.push(case(
                64,
        "an instalment cannot be paid twice though the first is withheld (instalment_number_mismatch); the next number is accepted without it",
        &["RC-18", "RC-13"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 10:00", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:02", creditpay(3, 2, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:03", creditpay(3, 2, "100.00", "800.00"), &[3]),
                issue_refs("11-23 10:04", creditpay(3, 3, "800.01", "0.00"), &[3]),
                issue_refs("11-23 10:05", creditpay(3, 3, "800.00", "0.00"), &[3]),
            ],
        ),
    ));
    v.push(case(
        65,
        "an advance cannot be spent twice though the first sale is withheld (advances_exceeded)",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashlessSum")),
                issue_refs(
                    "11-23 09:11",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]}),
                    ),
                    &[3],
                ),
                issue_refs(
                    "11-23 09:12",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]}),
                    ),
                    &[3],
                ),
                issue_refs(
                    "11-23 09:13",
                    sale(
                        vec![one("Şam", "1.00")],
                        json!({"cashSum": "0.99", "prepaymentSum": "0.01", "parents": [short(3)]}),
                    ),
                    &[3],
                ),
                issue("11-23 09:14", cash_sale("Tort", "50.00")),
            ],
        ),
    ));
    v.push(case(
                66,
        "a credit sale with an instalment paid cannot be cancelled (receipt_in_use), even after the instalment itself is cancelled: a cancelled instalment still counts",
        &["RC-13", "RC-17", "RC-18"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:11", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:13", cancel(&id(4)), &[4]),
                issue_refs("11-23 09:14", cancel(&id(3)), &[3, 4, 5]),
                x_report(),
            ],
        ),
    ));
    v.push(case(
                67,
        "no instalment on a cancelled credit sale (already_cancelled), with the cancel supplied or not",
        &["RC-13", "RC-17", "RC-18"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 09:13", creditpay(3, 1, "100.00", "900.00"), &[3, 4]),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", creditpay(3, 1, "100.00", "900.00"), &[3]),
            ],
        ),
    ));
    v.push(case(
                68,
        "a plain sale is not an advance: a sale against it and a return of its 'residue' (moneyBackType 1) are the wrong kind; a return as a sale (0) is accepted",
        &["RC-11", "RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "20.00")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Çörək", "5.00")], json!({"cashlessSum": "5.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Çörək", "5.00")], json!({"cashlessSum": "5.00"}), Some(0)), &[3]),
            ],
        ),
    ));
    v.push(case(
                69,
        "the ledger is in the saved state: after a restart, and again in a later shift, the earlier return still counts though it is not supplied",
        &["RC-17", "NM-07"],
        &["references", "refusal", "restart", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "5.00")),
                issue_refs("11-23 09:11", ret(3, "3.00", "cashlessSum"), &[3]),
                restart(),
                unlock("1234"),
                issue_refs("11-23 09:12", ret(3, "2.01", "cashlessSum"), &[3]),
                issue_refs("11-23 09:13", ret(3, "2.00", "cashlessSum"), &[3]),
                close("11-23 20:00"),
                restart(),
                unlock("1234"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", ret(3, "0.01", "cashlessSum"), &[3]),
                issue("11-24 09:11", card_sale("Çörək", "0.01")),
            ],
        ),
    ));
    v
}

/// 4000 documents waiting for upload (NM-05): activation, shift, 3998 deposits. The 4001st
/// receipt is refused; the Z-report is still issued; an acknowledgement lifts the limit.
fn bulk_pending() -> Case {
    let mut steps = day_start();
    let start = parse_time(&at("11-23 09:00"));
    for i in 1..=3998i64 {
        steps.push(json!({"at": format_time(start.plus(i * 1000)), "op": "issue", "request": deposit("0.01")}));
    }
    let t = |s: i64| format_time(start.plus(s * 1000));
    steps.extend([
        json!({"at": t(4000), "op": "issue", "request": cash_sale("Çörək", "0.60")}),
        json!({"at": t(4001), "op": "issue", "request": withdraw("0.01")}),
        json!({"at": t(4002), "op": "closeShift"}),
        json!({"at": t(4003), "op": "openShift"}),
        ack(4000),
        json!({"at": t(4004), "op": "openShift"}),
        json!({"at": t(4005), "op": "issue", "request": cash_sale("Çörək", "0.60")}),
    ]);
    case(
                16,
        "4000 documents not uploaded: the next receipt and the next shift are refused (too_many_pending); the Z-report is still issued; an acknowledgement lifts the limit",
        &["NM-05", "NM-01", "NM-03", "PK-02"],
        &["refusal", "bulk", "offline", "report"],
        steps,
    )
}

fn notes() -> Value {
    json!({
        "refusal": "some operations are refused; a refused operation changes nothing (the next document's number shows it)",
        "boundary": "a limit tested at its exact edge, to the millisecond",
        "report": "X- or Z-report totals are compared",
        "restart": "the device is restarted (state saved and restored; SPEC.md §14.1): it needs the PIN again",
        "references": "documents are passed as references (RC-17, RC-18)",
        "offline": "the upload limits of SPEC.md §14.3 step 4",
        "expiry": "near or after the certificate's expiry (NM-08)",
        "deferred": "advance offsets or credit: only the part paid now is counted (SPEC.md §5.4)",
        "short-id": "a reference by the 12-character short fiscal ID (SPEC.md §13.3)",
        "validation": "a request refused by validation (SPEC.md §7) before the device sees it",
        "bulk": "thousands of steps",
        "device-memory": "the outcome depends on what the device remembers: its ledger of the receipts claimed on (returns, cancels, advances spent, instalments paid; SPEC.md §14.6), so earlier claims count whether or not the POS supplies them",
        "foreign-document": "references a document signed by another device, given as a journal line in `input.foreignDocuments` (SPEC.md §13.5); the engine, handed the document, reports reference_not_authentic; a kassa that looks references up in its own journal instead would report reference_not_found",
    })
}

fn format_notes() -> Value {
    json!({
        "steps": "each input step is one operation of SPEC.md §14 on one device, activated by the scenario's first `activate`; `at` is the operation's moment (ISO 8601 in Baku, +04:00, milliseconds when not 0). Ops: activate, openShift, issue (`request` in the JSON form of SPEC.md §8, `references`, optional `expectedPrevious`), closeShift (the Z-report), xReport, unlock (`pin`), restart (save the state, restore it: the device needs the PIN again), acknowledge (`through`: every document up to that number has been uploaded; when documents remain, document through + 1 is supplied), decommission",
        "placeholders": "a string value in a request that is exactly {{fiscalId:N}} is replaced by the long fiscal ID of this scenario's document N, {{shortId:N}} by its short ID (12 characters), {{foreignFiscalId:K}} by the long fiscal ID of input.foreignDocuments[K-1]",
        "references": "`references` lists the documents supplied with the request: a number N is this scenario's document N, {\"foreign\": K} is input.foreignDocuments[K-1] (a journal line)",
        "results": "each output step is {result: document, number, kind, shift, shiftReceipt, fiscalId, warnings, …} for a document, {result: refused, error: <SPEC.md §9 code>} for a refusal, {result: ok} for unlock, restart and acknowledge, {result: report, report} for an X-report",
        "kind": "the document's content: activation, open_shift, zreport, decommission, or the request's doc_type (sale, money_back, rollback, prepay, creditpay, deposit, withdraw, correction)",
        "shift": "a document in an open shift carries its number; one outside (activation, decommission) carries the last shift's number, 0 before the first",
        "shiftReceipt": "receipts (sale, money_back, rollback, prepay, creditpay) are counted 1, 2, … within their shift; every other document carries 0 (RC-06)",
        "warnings": "certificate_expires_soon on a document issued from validUntil − 7 days until validUntil (NM-08, SPEC.md §12.2); otherwise []",
        "amounts": "a document with lines, and a correction: total (Σ line totals) and sum (SPEC.md §5.4); deposit and withdraw: sum; rollback: voided {number, kind, sum} of the receipt it voids; zreport: report. Decimals are strings with their scale",
        "report": "shift, openedAt, firstNumber (the opening document), lastNumber (the Z-report itself; for an X-report the last document so far), receipts, kinds (one row per request kind issued in the shift, in the order sale, money_back, rollback, prepay, creditpay, deposit, withdraw, correction: count, Σ sum, Σ payments by form, Σ counted tax groups in SPEC.md §5.3 order; a rollback row counts the voided amounts), cashIn, cashOut, cashInDrawer (SPEC.md §14.4)",
        "refusedRequests": "a refused request in a scenario has exactly one problem, so `error` is one code",
    })
}

/// Steps one to a line, the rest indented: the file stays readable and diffable.
fn write_value(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match v {
        Value::Object(o) if !o.is_empty() => {
            out.push_str("{\n");
            for (i, (k, x)) in o.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(k).unwrap());
                out.push_str(": ");
                if (k == "steps" || k == "foreignDocuments") && x.is_array() {
                    let items = x.as_array().unwrap();
                    out.push_str("[\n");
                    for (j, s) in items.iter().enumerate() {
                        out.push_str(&pad);
                        out.push_str("  ");
                        out.push_str(&serde_json::to_string(s).unwrap());
                        out.push_str(if j + 1 < items.len() { ",\n" } else { "\n" });
                    }
                    out.push_str(&pad);
                    out.push(']');
                } else {
                    write_value(x, indent + 1, out);
                }
                out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() && a.iter().any(|x| x.is_object()) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad);
                write_value(x, indent + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

fn generate() -> Value {
    let device = device_params();
    let cases = cases();
    check_tc_ids("scenario", cases.iter().map(|c| (c.id, c.comment.as_str())));
    let tests: Vec<Value> = cases
        .into_iter()
        .map(|c| {
            let mut input = json!({ "steps": c.steps });
            if !c.foreign.is_empty() {
                input["foreignDocuments"] = json!(c.foreign);
            }
            let expected = run(&device, &input);
            json!({
                "tcId": c.id,
                "comment": c.comment,
                "rules": c.rules,
                "flags": c.flags,
                "input": input,
                "result": "valid",
                "expected": expected,
            })
        })
        .collect();
    json!({
        "schema": SCHEMA,
        "schemaFile": "schemas/scenario.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md v2, §12–§14",
        "comment": "Scenarios: a device's sequence of timed operations → each document or refusal. Generated by fiscal-core/tests/scenarios.rs; every expected value except the fiscal IDs is recomputed by spec/tools/references/reference_device.py from SPEC.md and RULES.md. Keys from seeds (SPEC.md §12.3): test keys only.",
        "format": format_notes(),
        "notes": notes(),
        "testGroups": [{"type": "ScenarioTest", "device": device, "tests": tests}],
    })
}

#[test]
fn every_scenario_passes_against_the_engine() {
    if std::env::var_os("FISCAL_CORE_BLESS").is_some() {
        let mut text = String::new();
        write_value(&generate(), 0, &mut text);
        text.push('\n');
        std::fs::write(PATH, text).unwrap();
    }
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(PATH).expect("spec/vectors/scenarios.json"))
            .unwrap();
    assert_eq!(vectors["schema"], SCHEMA);
    let mut ids = std::collections::BTreeSet::new();
    let mut count = 0;
    for group in vectors["testGroups"].as_array().unwrap() {
        assert_eq!(group["type"], "ScenarioTest");
        for t in group["tests"].as_array().unwrap() {
            count += 1;
            let id = t["tcId"].as_u64().unwrap();
            assert!(ids.insert(id), "tcId {id} twice");
            assert!(
                !t["rules"].as_array().unwrap().is_empty(),
                "tcId {id} cites no rule"
            );
            assert_eq!(t["result"], "valid");
            let got = run(&group["device"], &t["input"]);
            let want = &t["expected"];
            let (g, w) = (
                got["steps"].as_array().unwrap(),
                want["steps"].as_array().unwrap(),
            );
            assert_eq!(g.len(), w.len(), "tcId {id}: number of steps");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                assert_eq!(g, w, "tcId {id} ({}), step {}", t["comment"], i + 1);
            }
        }
    }
    assert!(count >= 40, "only {count} scenarios");
    numbers_without_gaps(&vectors);
}

/// The format's own promises, checked on the file: numbers without gaps in every scenario,
/// fiscal IDs 64 lowercase hex characters, all distinct within a scenario.
fn numbers_without_gaps(vectors: &Value) {
    for t in vectors["testGroups"][0]["tests"].as_array().unwrap() {
        let mut next = 1;
        let mut seen = std::collections::BTreeSet::new();
        for s in t["expected"]["steps"].as_array().unwrap() {
            if s["result"] == "document" {
                assert_eq!(s["number"], next, "tcId {}", t["tcId"]);
                next += 1;
                let fid = s["fiscalId"].as_str().unwrap();
                assert!(
                    fid.len() == 64
                        && fid
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                    "tcId {}: fiscal ID {fid}",
                    t["tcId"]
                );
                assert!(
                    seen.insert(fid.to_owned()),
                    "tcId {}: fiscal ID twice",
                    t["tcId"]
                );
            }
        }
    }
}
