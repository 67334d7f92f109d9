//! The conformance vectors of the encoding and journal families (`spec/vectors/encoding.json`,
//! `spec/vectors/journals.json`; spec/README.md, issue #6):
//!
//! - encoding: a document body in the structured JSON form of SPEC.md §13.6 → its canonical
//!   bytes, SHA-256, deterministic low-S signature, fiscal ID, short ID, QR payload and journal
//!   line; and journal lines a reader must refuse (`invalid_document`, `wrong_fiscal_id`,
//!   `bad_signature`);
//! - journal: a journal (certificate line first, SPEC.md §13.5) → the verifier's findings
//!   (§15), or for a good journal its counts and last document.
//!
//! Every journal is made by the engine's own device (`Device`), then tampered with as an
//! attacker would: lines removed, reordered, duplicated or altered; documents re-signed with
//! another key, or with the device key by a dishonest owner so that only a semantic check
//! catches them. Each tampered case names the findings it must produce (worked out by hand,
//! below); the generator fails if the engine does not report them, and records every finding
//! the engine reports. Cases whose findings are not only the named ones are flagged `cascade`.
//!
//! `FISCAL_CORE_BLESS=1` writes the files; otherwise the test regenerates them and fails if a
//! byte differs, then runs every vector in the files against the engine.
//! `spec/tools/references/check_encoding.py` re-derives every valid encoding vector independently.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cloned_ref_to_slice_refs
)]

#[path = "common/mod.rs"]
mod common;
use common::device::*;
use common::tc_ids::check_tc_ids;
#[path = "journal_vectors/ledger.rs"]
mod ledger;
#[path = "journal_vectors/spelling.rs"]
mod spelling;

use std::collections::BTreeSet;

use fiscal_core::internal::sha256;
use fiscal_core::internal::{FISCAL_ID_TAG, SHORT_ID_LEN};
use fiscal_core::ReceiptBody;
use fiscal_core::{
    verify_journal, Adjustment, Certificate, CertificateBody, CivilDate, Content, Device, DocType,
    Document, DocumentBody, PrivateKey, Request, ShiftReport, Signature, TaxGroup, Timestamp,
    Voided,
};
use serde_json::{json, Value};

const ENCODING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/encoding.json");
const JOURNALS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/journals.json");

/// The device seed of the encoding vectors (SPEC.md §12.3): the journal device's.
const DEVICE_SEED: &str = "fiscal-core test device 1";
const AUTHORITY_SEED: &str = "fiscal-core test authority";
const CUSTOM_QR_BASE: &str = "https://kassa.example.az/yoxla?id=";

// ---------------------------------------------------------------------------------------------
// The structured JSON form of a document body (SPEC.md §13.6).

fn kind_name(k: DocType) -> &'static str {
    match k {
        DocType::Sale => "sale",
        DocType::Return => "return",
        DocType::Cancel => "cancel",
        DocType::Advance => "advance",
        DocType::CreditPayment => "credit_payment",
        DocType::Deposit => "deposit",
        DocType::Withdraw => "withdraw",
        DocType::Correction => "correction",
        other => panic!("{other:?}"),
    }
}

fn s<T: ToString>(v: T) -> Value {
    Value::String(v.to_string())
}

fn opt<T: ToString>(v: Option<T>) -> Value {
    v.map_or(Value::Null, s)
}

fn payments(p: &fiscal_core::Payments) -> Value {
    json!({
        "cash": s(p.cash), "cashless": s(p.cashless), "bonus": s(p.bonus),
        "giftCard": s(p.gift_card), "fuelCard": s(p.fuel_card), "prepayment": s(p.prepayment),
        "credit": s(p.credit), "tendered": s(p.tendered), "change": s(p.change),
    })
}

fn groups(gs: &[TaxGroup]) -> Value {
    Value::Array(
        gs.iter()
            .map(|g| {
                json!({
                    "category": g.key.category.as_str(), "percent": opt(g.key.percent),
                    "gross": s(g.gross), "tax": s(g.tax),
                })
            })
            .collect(),
    )
}

fn totals(t: &fiscal_core::Totals) -> Value {
    json!({
        "total": s(t.total()), "sum": s(t.sum()),
        "taxGroups": groups(t.tax_groups()), "countedGroups": groups(t.counted_groups()),
    })
}

fn receipt(b: &ReceiptBody) -> Value {
    let lines: Vec<Value> = b
        .lines()
        .iter()
        .map(|l| {
            json!({
                "name": l.name(),
                "code": l.code().map_or(Value::Null, |c| json!({"type": c.kind().as_str(), "code": c.code()})),
                "unit": l.unit().as_str(),
                "quantity": s(l.quantity()),
                "price": s(l.price()),
                "total": s(l.total()),
                "treatment": {"kind": l.treatment().kind().as_str(), "percent": opt(l.treatment().percent())},
                "margin": opt(l.margin()),
                "marginPrice": opt(l.margin_price()),
                "adjustment": match l.adjustment() {
                    None => Value::Null,
                    Some(Adjustment::Discount(a)) => json!({"type": "discount", "amount": s(a)}),
                    Some(Adjustment::Markup(a)) => json!({"type": "markup", "amount": s(a)}),
                },
                "department": l.department().map_or(Value::Null, |d| json!({"number": d.number(), "name": d.name()})),
                "tax": s(l.tax()),
            })
        })
        .collect();
    json!({
        "cashier": b.cashier(), "lines": lines, "payments": payments(b.payments()),
        "totals": totals(b.totals()), "vehiclePlate": b.vehicle_plate(), "rrn": b.rrn(),
    })
}

fn report(z: &ShiftReport) -> Value {
    json!({
        "shift": z.shift, "openedAt": z.opened_at.millis(), "firstNumber": z.first_number,
        "lastNumber": z.last_number, "receipts": z.receipts,
        "kinds": z.kinds.iter().map(|k| json!({
            "kind": kind_name(k.kind), "count": k.count, "sum": s(k.sum),
            "payments": payments(&k.payments), "groups": groups(&k.groups),
        })).collect::<Vec<_>>(),
        "cashIn": s(z.cash_in), "cashOut": s(z.cash_out),
    })
}

fn content(c: &Content) -> Value {
    match c {
        Content::Activation { certificate } => {
            json!({"type": "activation", "certificate": hex::encode(certificate)})
        }
        Content::OpenShift => json!({"type": "open_shift"}),
        Content::Request(r) => match r {
            Request::Sale(x) => json!({
                "type": "sale", "receipt": receipt(x.body()), "advances": x.advances(),
                "creditContract": x.credit_contract(),
            }),
            Request::Return(x) => json!({
                "type": "return", "receipt": receipt(x.body()), "parent": x.parent(),
                "returnOf": x.return_of().as_str(),
            }),
            Request::Cancel(x) => {
                json!({"type": "cancel_request", "cashier": x.cashier(), "parent": x.parent()})
            }
            Request::Advance(b) => json!({"type": "advance", "receipt": receipt(b)}),
            Request::CreditPayment(x) => json!({
                "type": "credit_payment", "receipt": receipt(x.body()), "parent": x.parent(),
                "instalment": x.instalment(), "debtLeft": s(x.debt_left()),
                "creditContract": x.credit_contract(),
            }),
            Request::Deposit(x) => {
                json!({"type": "deposit", "cashier": x.cashier(), "amount": s(x.amount())})
            }
            Request::Withdraw(x) => {
                json!({"type": "withdraw", "cashier": x.cashier(), "amount": s(x.amount())})
            }
            Request::Correction(x) => json!({
                "type": "correction", "cashier": x.cashier(), "payments": payments(x.payments()),
                "totals": totals(x.totals()),
            }),
            other => panic!("{other:?}"),
        },
        Content::Cancel { request, voided } => json!({
            "type": "cancel", "cashier": request.cashier(), "parent": request.parent(),
            "voided": {
                "number": voided.number, "kind": kind_name(voided.kind), "sum": s(voided.sum),
                "payments": payments(&voided.payments), "groups": groups(&voided.groups),
            },
        }),
        Content::ZReport(z) => json!({"type": "zreport", "report": report(z)}),
        Content::Decommission => json!({"type": "decommission"}),
        other => panic!("{other:?}"),
    }
}

/// A body in the structured form of SPEC.md §13.6.
fn structured(b: &DocumentBody) -> Value {
    json!({
        "number": b.number, "time": b.time.millis(), "shift": b.shift,
        "shiftReceipt": b.shift_receipt, "previous": hex::encode(b.previous),
        "content": content(&b.content),
    })
}

// ---------------------------------------------------------------------------------------------
// Signing and forging.

fn sign(body: DocumentBody, key: &PrivateKey) -> Document {
    let bytes = body.signed_bytes();
    Document::from_parts(&bytes, key.sign(&bytes)).unwrap()
}

fn id_hex(bytes: &[u8], sig: &[u8; 64]) -> String {
    hex::encode(sha256(&[FISCAL_ID_TAG, bytes, sig]))
}

/// A journal line from its parts, in the member order of SPEC.md §13.5.
fn line(number: u64, id: &str, body: &str, sig: &str) -> String {
    format!(r#"{{"number":{number},"id":"{id}","body":"{body}","signature":"{sig}"}}"#)
}

/// The line of `bytes` with `sig`, its ID computed as a tamperer would (no key needed).
fn line_with(number: u64, bytes: &[u8], sig: &[u8; 64]) -> String {
    line(
        number,
        &id_hex(bytes, sig),
        &hex::encode(bytes),
        &hex::encode(sig),
    )
}

const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// (r, n − s): the high-S twin of a low-S signature.
fn high_s(sig: &Signature) -> [u8; 64] {
    let mut out = sig.0;
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(sig.0[32 + i]) - borrow;
        borrow = i16::from(d < 0);
        out[32 + i] = d.rem_euclid(256) as u8;
    }
    out
}

/// Re-signs `docs[from..]` with `key` after `change` (given the index and the body), keeping
/// the chain: each `previous` is the new ID of the document before, and references to a
/// document whose ID changed are rewritten (long and short forms), as a forger who holds the
/// key would do so that only the changed fact is wrong.
fn forge(
    docs: &[Document],
    from: usize,
    key: &PrivateKey,
    mut change: impl FnMut(usize, &mut DocumentBody),
) -> Vec<Document> {
    let mut out: Vec<Document> = docs[..from].to_vec();
    let mut renamed: Vec<(String, String)> = Vec::new();
    for (i, doc) in docs.iter().enumerate().skip(from) {
        let mut text = serde_json::to_string(doc.body()).unwrap();
        for (old, new) in &renamed {
            text = text.replace(old.as_str(), new.as_str());
            let (o, n) = (&old[..SHORT_ID_LEN], &new[..SHORT_ID_LEN]);
            text = text.replace(o, n);
            text = text.replace(&o.to_uppercase(), &n.to_uppercase());
        }
        let mut body: DocumentBody = serde_json::from_str(&text).unwrap();
        if i > 0 {
            body.previous = out[i - 1].id().0;
        }
        change(i, &mut body);
        let new = sign(body, key);
        if new.id() != doc.id() {
            renamed.push((doc.id().long(), new.id().long()));
        }
        out.push(new);
    }
    out
}

/// One document changed and re-signed by the device key; the chain after it kept.
fn resigned(docs: &[Document], i: usize, change: impl FnOnce(&mut DocumentBody)) -> Vec<Document> {
    let mut change = Some(change);
    forge(docs, i, &device_key(), |j, b| {
        if j == i {
            (change.take().unwrap())(b);
        }
    })
}

/// A new document after `docs`, signed with `key`: number, previous and time follow on.
fn next(
    docs: &[Document],
    key: &PrivateKey,
    time: Timestamp,
    shift: u32,
    shift_receipt: u32,
    content: Content,
) -> Document {
    let last = docs.last().unwrap();
    sign(
        DocumentBody {
            number: last.number() + 1,
            time,
            shift,
            shift_receipt,
            previous: last.id().0,
            content,
        },
        key,
    )
}

fn receipt_request(json: &str) -> Content {
    Content::Request(request(json))
}

fn voided_of(doc: &Document) -> Voided {
    let Content::Request(r) = &doc.body().content else {
        panic!("not a receipt")
    };
    let b = r.body().unwrap();
    Voided {
        number: doc.number(),
        kind: r.doc_type(),
        sum: b.totals().sum(),
        payments: *b.payments(),
        groups: b.totals().counted_groups().to_vec(),
    }
}

fn cancel_content(parent: &str, voided: Voided) -> Content {
    let Request::Cancel(c) = request(&rollback(parent)) else {
        panic!("not a cancel")
    };
    Content::Cancel { request: c, voided }
}

fn rollback(parent: &str) -> String {
    format!(r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{parent}"}}}}"#)
}

/// Changes a Z-report's content.
fn z(change: impl FnOnce(&mut ShiftReport)) -> impl FnOnce(&mut DocumentBody) {
    move |b| match &mut b.content {
        Content::ZReport(r) => change(r),
        other => panic!("not a Z-report: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The genuine journals.

fn on(d: u8, h: u8, m: u8, sec: u8) -> Timestamp {
    Timestamp::from_baku(CivilDate::new(2026, 11, d).unwrap(), h, m, sec).unwrap()
}

const CREDIT: &str = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000,"creditContract":"NK-2026/17"}}"#;
const ADVANCE: &str = r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: tort","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#;

fn sale_cash(name: &str, price: &str) -> String {
    sale_json(name, price)
}

fn return_json(parent: &str, name: &str, price: &str, form: &str, pct: &str) -> String {
    format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{parent}","items":[{{"itemName":"{name}","itemQuantity":1,"itemPrice":{price}{pct}}}],"{form}":{price}}}}}"#
    )
}

fn creditpay_json(parent: &str, n: u32, amount: &str, residue: &str) -> String {
    format!(
        r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{parent}","paymentNumber":{n},"residue":{residue},"items":[{{"itemName":"Nisyə ödənişi","itemCodeType":5,"itemCode":"NK-2026-17","itemQuantity":1,"itemPrice":{amount},"itemVatPercent":18}}],"cashSum":{amount}}}}}"#
    )
}

fn against_advance_json(parent: &str, price: &str, cash: &str, offset: &str) -> String {
    format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":{price},"itemVatPercent":18}}],"cashSum":{cash},"prepaymentSum":{offset},"parents":["{parent}"]}}}}"#
    )
}

/// The main journal: two shifts, every kind of document, then decommissioning.
///
/// ```text
///  1 activation 23.11 08:00        12 cancel of 11
///  2 open shift 1 09:00            13 withdraw 50.00
///  3 deposit 200.00                14 Z-report shift 1 (18:00)
///  4 sale S1 3.55 cash, change     15 open shift 2 (24.11 09:00)
///  5 sale S2 8.74 card (kg, exempt)16 sale S4 5.00 cash
///  6 credit sale C 1180 (1000 debt)17 instalment 2 of C: 200, 700 left
///  7 advance A 20.00               18 return of S2's 5.00 (card)
///  8 sale of 50 against A (20)     19 correction 10.00
///  9 return of S1's 2.35           20 Z-report shift 2
/// 10 instalment 1 of C: 100        21 decommission (after the upload)
/// 11 sale S3 1.00 (simplified 8%)
/// ```
struct Main {
    docs: Vec<Document>,
    /// The device state after document n (for branches), by n.
    states: Vec<(u64, Vec<u8>)>,
}

impl Main {
    fn state(&self, n: u64) -> Device {
        let bytes = &self.states.iter().find(|(k, _)| *k == n).unwrap().1;
        let mut d = Device::restore(bytes, device_key()).unwrap();
        d.unlock(PIN).unwrap();
        d
    }

    fn upto(&self, n: usize) -> Vec<Document> {
        self.docs[..n].to_vec()
    }

    fn doc(&self, n: usize) -> &Document {
        &self.docs[n - 1]
    }
}

fn main_journal() -> Main {
    let (mut d, act) = activated();
    let mut docs = vec![act.document];
    let mut states = Vec::new();
    let keep = |d: &Device, docs: &[Document]| (docs.len() as u64, d.export_state());
    docs.push(d.open_shift(on(23, 9, 0, 0)).unwrap().document);
    docs.push(issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":200}}"#,
        on(23, 9, 0, 30),
        &[],
    ));
    let s1 = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},{"itemName":"Süd","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18}],"cashSum":3.55,"incomingSum":5.00}}"#,
        on(23, 9, 1, 0),
        &[],
    );
    docs.push(s1.clone());
    let s2 = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Pendir","itemQuantityType":1,"itemQuantity":0.750,"itemPrice":4.99,"itemVatPercent":18},{"itemName":"Dərman","itemQuantity":1,"itemPrice":5.00}],"cashlessSum":8.74,"rrn":"RRN-000417"}}"#,
        on(23, 9, 2, 0),
        &[],
    );
    docs.push(s2.clone());
    let c = issue(&mut d, CREDIT, on(23, 9, 3, 0), &[]);
    docs.push(c.clone());
    let a = issue(&mut d, ADVANCE, on(23, 9, 4, 0), &[]);
    docs.push(a.clone());
    docs.push(issue(
        &mut d,
        &against_advance_json(&a.id().long(), "50", "30", "20"),
        on(23, 9, 5, 0),
        &[a.clone()],
    ));
    docs.push(issue(
        &mut d,
        &return_json(
            &s1.id().long(),
            "Süd",
            "2.35",
            "cashSum",
            r#","itemVatPercent":18"#,
        ),
        on(23, 9, 6, 0),
        &[s1.clone()],
    ));
    let p1 = issue(
        &mut d,
        &creditpay_json(&c.id().short().to_uppercase(), 1, "100", "900"),
        on(23, 9, 7, 0),
        &[c.clone()],
    );
    docs.push(p1.clone());
    let s3 = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Plov","itemQuantity":1,"itemPrice":1.00,"taxTreatment":"simplified","itemVatPercent":8}],"cashSum":1.00}}"#,
        on(23, 9, 8, 0),
        &[],
    );
    docs.push(s3.clone());
    docs.push(issue(
        &mut d,
        &rollback(&s3.id().short()),
        on(23, 9, 9, 0),
        &[s3.clone()],
    ));
    states.push(keep(&d, &docs));
    docs.push(issue(
        &mut d,
        r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":50}}"#,
        on(23, 9, 10, 0),
        &[],
    ));
    docs.push(d.close_shift(on(23, 18, 0, 0)).unwrap().document);
    states.push(keep(&d, &docs));
    docs.push(d.open_shift(on(24, 9, 0, 0)).unwrap().document);
    docs.push(issue(
        &mut d,
        &sale_cash("Su", "5.00"),
        on(24, 9, 1, 0),
        &[],
    ));
    states.push(keep(&d, &docs));
    docs.push(issue(
        &mut d,
        &creditpay_json(&c.id().long(), 2, "200", "700"),
        on(24, 9, 2, 0),
        &[c.clone(), p1.clone()],
    ));
    docs.push(issue(
        &mut d,
        &return_json(&s2.id().long(), "Dərman", "5.00", "cashlessSum", ""),
        on(24, 9, 3, 0),
        &[s2.clone()],
    ));
    docs.push(issue(
        &mut d,
        r#"{"doc_type":"correction","data":{"cashier":"Aysel","sum":10,"cashSum":10,"vatAmounts":[{"vatSum":10,"vatPercent":18}]}}"#,
        on(24, 9, 4, 0),
        &[],
    ));
    docs.push(d.close_shift(on(24, 18, 0, 0)).unwrap().document);
    d.acknowledge_upload(20, None).unwrap();
    docs.push(d.decommission(on(24, 19, 0, 0)).unwrap().document);
    assert_eq!(docs.len(), 21);
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(doc.number(), i as u64 + 1);
    }
    Main { docs, states }
}

/// A device whose certificate is valid only from 23.11 08:00 to 12:00 (Baku): activation,
/// a shift with two sales, and the Z-report after the expiry (allowed: SPEC.md §14.2).
fn short_lived() -> (Certificate, Vec<Document>) {
    let key = PrivateKey::from_seed(b"fiscal-core test device 3");
    let mut b = body(&key);
    b.serial = 1003;
    b.kassa_factory_number = "KX2-000125".into();
    b.valid_from = on(23, 8, 0, 0);
    b.valid_until = on(23, 12, 0, 0);
    let cert = Certificate::issue(b, &authority()).unwrap();
    let (mut d, act) = Device::activate(
        cert.clone(),
        &authority().public_key(),
        key,
        PIN,
        None,
        on(23, 8, 0, 0),
    )
    .unwrap();
    let mut docs = vec![act.document];
    docs.push(d.open_shift(on(23, 9, 0, 0)).unwrap().document);
    docs.push(issue(
        &mut d,
        &sale_cash("Çay", "1.50"),
        on(23, 9, 30, 0),
        &[],
    ));
    docs.push(issue(
        &mut d,
        &sale_cash("Qənd", "2.20"),
        on(23, 11, 59, 0),
        &[],
    ));
    docs.push(d.close_shift(on(23, 12, 30, 0)).unwrap().document);
    d.acknowledge_upload(5, None).unwrap();
    docs.push(d.decommission(on(23, 13, 0, 0)).unwrap().document);
    (cert, docs)
}

fn short_lived_key() -> PrivateKey {
    PrivateKey::from_seed(b"fiscal-core test device 3")
}

/// A device whose certificate another authority issued (not the trusted one).
fn foreign_authority_journal() -> Vec<String> {
    let fake = PrivateKey::from_seed(b"fiscal-core fake authority");
    let cert = Certificate::issue(body(&device_key()), &fake).unwrap();
    let (mut d, act) = Device::activate(
        cert.clone(),
        &fake.public_key(),
        device_key(),
        PIN,
        None,
        at(8, 0, 0),
    )
    .unwrap();
    let mut docs = vec![act.document];
    docs.push(d.open_shift(at(9, 0, 0)).unwrap().document);
    docs.push(issue(&mut d, &sale_cash("Çörək", "0.60"), at(9, 1, 0), &[]));
    docs.push(d.close_shift(at(10, 0, 0)).unwrap().document);
    with_cert(&cert, &docs)
}

fn with_cert(cert: &Certificate, docs: &[Document]) -> Vec<String> {
    std::iter::once(cert.to_journal_line())
        .chain(docs.iter().map(Document::to_journal_line))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Journal cases.

type Found = Vec<(String, Option<u64>)>;

struct JCase {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    journal: Vec<String>,
    /// The findings worked out by hand: all of them (`exact`) or the ones that must be among
    /// the engine's (`cascade`). Empty for a valid journal.
    must: Found,
    exact: bool,
}

fn f(code: &str, n: Option<u64>) -> (String, Option<u64>) {
    (code.to_string(), n)
}

fn findings_of(journal: &[String]) -> (fiscal_core::JournalReport, Found) {
    let report = verify_journal(&journal.join("\n"), &authority().public_key(), &rates());
    let set: BTreeSet<(String, Option<u64>)> = report
        .findings
        .iter()
        .map(|x| (x.code.as_str().to_string(), x.number))
        .collect();
    (report, set.into_iter().collect())
}

fn journal_cases() -> Vec<JCase> {
    let m = main_journal();
    let cert = certificate();
    let key = device_key();
    let forger = PrivateKey::from_seed(b"forger");
    let j = |docs: &[Document]| with_cert(&cert, docs);
    let all = m.docs.clone();
    let mut out = Vec::new();
    let mut add = |id: u64,
                   comment: &str,
                   rules: &[&'static str],
                   flags: &[&'static str],
                   journal: Vec<String>,
                   must: &[(&str, Option<u64>)],
                   exact: bool| {
        out.push(JCase {
            id,
            comment: comment.into(),
            rules: rules.to_vec(),
            flags: flags.to_vec(),
            journal,
            must: must.iter().map(|(c, n)| f(c, *n)).collect(),
            exact,
        });
    };
    let (e, x) = (true, false);

    // --- Genuine journals (valid).
    add(
        1,
        "genuine: two shifts with every kind of document, then decommissioning",
        &[
            "NM-03", "NM-11", "PK-02", "RC-06", "RC-17", "RC-18", "LC-02",
        ],
        &["genuine"],
        j(&all),
        &[],
        e,
    );
    add(
        2,
        "genuine: the first shift and its Z-report",
        &["NM-03", "NM-11", "PK-02"],
        &["genuine"],
        j(&m.upto(14)),
        &[],
        e,
    );
    add(
        3,
        "genuine: only the activation record",
        &["LC-01", "NM-03"],
        &["genuine"],
        j(&m.upto(1)),
        &[],
        e,
    );
    add(
        4,
        "genuine: a journal that ends with a shift open",
        &["NM-03", "PK-02"],
        &["genuine"],
        j(&m.upto(16)),
        &[],
        e,
    );
    add(
        5,
        "the last document removed: nothing in the journal shows it (SPEC.md §15.3)",
        &["NM-03"],
        &["genuine", "undetectable"],
        j(&m.upto(20)),
        &[],
        e,
    );
    let (sl_cert, sl) = short_lived();
    add(
        6,
        "genuine: the Z-report and decommission come after the certificate expired (allowed)",
        &["NM-08", "U-08", "LC-02"],
        &["genuine", "expiry"],
        with_cert(&sl_cert, &sl),
        &[],
        e,
    );

    // --- Removed documents (NM-03).
    let mut v = all.clone();
    v.remove(0);
    add(
        7,
        "document 1 (activation) removed",
        &["NM-03", "LC-01"],
        &["removed"],
        j(&v),
        &[("number_gap", Some(2))],
        e,
    );
    let mut v = all.clone();
    v.remove(2);
    add(
        8,
        "document 3 (a deposit) removed: a gap, and the Z-report no longer matches its shift",
        &["NM-03", "PK-02"],
        &["removed"],
        j(&v),
        &[("number_gap", Some(4)), ("zreport_mismatch", Some(14))],
        e,
    );
    let mut v = all.clone();
    v.remove(12);
    add(
        9,
        "document 13 (a withdrawal) removed",
        &["NM-03", "PK-02"],
        &["removed"],
        j(&v),
        &[("number_gap", Some(14)), ("zreport_mismatch", Some(14))],
        e,
    );
    let mut v = all.clone();
    v.remove(4);
    add(10, "document 5 (a card sale) removed: gap, receipt counter, Z-report, and the later return names an unknown receipt", &["NM-03", "RC-06", "PK-02", "RC-17"], &["removed"], j(&v), &[("number_gap", Some(6)), ("counter_mismatch", Some(6)), ("zreport_mismatch", Some(14)), ("unknown_reference", Some(18))], e);
    let mut v = all.clone();
    v.remove(1);
    add(
        11,
        "document 2 (opening shift 1) removed: the shift's receipts are outside any shift",
        &["NM-03", "PK-02"],
        &["removed", "cascade"],
        j(&v),
        &[
            ("number_gap", Some(3)),
            ("outside_shift", Some(3)),
            ("outside_shift", Some(14)),
        ],
        x,
    );
    let mut v = all.clone();
    v.drain(8..10);
    add(
                12,
        "documents 9 and 10 (a return and an instalment) removed: a gap, the receipt counter jumps, the Z-report no longer matches, and instalment 2 comes where 1 is due (the first ledger rule broken, so one finding)",
        &["NM-03", "RC-06", "PK-02", "RC-18"],
        &["removed"],
        j(&v),
        &[
            ("number_gap", Some(11)),
            ("counter_mismatch", Some(11)),
            ("zreport_mismatch", Some(14)),
            ("instalment_number_mismatch", Some(17)),
        ],
        e,
    );
    let mut v = all.clone();
    v.remove(19);
    add(13, "the last Z-report removed, the decommission kept: a gap, and decommissioned with a shift open", &["NM-03", "LC-02", "PK-02"], &["removed"], j(&v), &[("number_gap", Some(21)), ("outside_shift", Some(21))], e);
    add(
        14,
        "the middle of the journal (documents 5–15) removed",
        &["NM-03"],
        &["removed", "cascade"],
        j(&[&all[..4], &all[15..]].concat()),
        &[("number_gap", Some(16))],
        x,
    );

    // --- Reordered (NM-03, NM-04).
    let mut v = all.clone();
    v.swap(3, 4);
    add(
        15,
        "two sales swapped",
        &["NM-03", "NM-04", "RC-06"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(4)), ("time_not_increasing", Some(4))],
        x,
    );
    let mut v = all.clone();
    v.swap(12, 13);
    add(
        16,
        "a withdrawal moved after the Z-report",
        &["NM-03", "PK-02"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(13))],
        x,
    );
    let mut v = all.clone();
    v.swap(19, 20);
    add(
        17,
        "decommission before the last Z-report: the Z-report follows the decommission",
        &["NM-03", "LC-02", "NM-12"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(20)), ("decommissioned", Some(20))],
        x,
    );
    let mut v = all.clone();
    let moved = v.remove(15);
    v.push(moved);
    add(
        18,
        "a sale moved to the end of the journal, after the decommission",
        &["NM-03", "NM-04", "NM-12"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(16)), ("decommissioned", Some(16))],
        x,
    );
    let mut v = all.clone();
    v.reverse();
    add(
                19,
        "the whole journal in reverse order: the decommission first, so every document follows it (reported once)",
        &["NM-03", "NM-12"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(1)), ("decommissioned", Some(20))],
        x,
    );

    // --- Duplicated (NM-03).
    let mut v = all.clone();
    v.insert(4, all[3].clone());
    add(
        20,
        "a sale twice in a row",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &[("duplicate_document", Some(4))],
        e,
    );
    let mut v = all.clone();
    v.insert(14, all[13].clone());
    add(
        21,
        "a Z-report twice",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &[("duplicate_document", Some(14))],
        e,
    );
    let mut v = all.clone();
    v.push(all[0].clone());
    add(
        22,
        "the activation record again at the end",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &[("duplicate_document", Some(1))],
        e,
    );
    let v = [&all[..14], &all[1..14]].concat();
    let replay: Vec<(&str, Option<u64>)> =
        (2..=14).map(|n| ("duplicate_document", Some(n))).collect();
    add(
        23,
        "the first shift replayed after its Z-report",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &replay,
        e,
    );

    // --- Altered bytes, signatures and IDs (NM-02, NM-11).
    let last = all.len() - 1;
    let tamper_line = |doc: &Document, change: &dyn Fn(&mut Vec<u8>, &mut [u8; 64])| {
        let mut bytes = doc.signed_bytes().to_vec();
        let mut sig = doc.signature().0;
        change(&mut bytes, &mut sig);
        line_with(doc.number(), &bytes, &sig)
    };
    // The decommission's time, one millisecond later: the last 6 bytes before content are
    // not fixed, so change it in the body and re-encode.
    let later = {
        let mut b = all[last].body().clone();
        b.time = b.time.plus(1);
        b.signed_bytes()
    };
    let mut v = j(&all);
    v[last + 1] = line_with(21, &later, &all[last].signature().0);
    add(
        24,
        "the last document's time altered (ID recomputed, old signature)",
        &["NM-11"],
        &["altered", "signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(&all);
    v[last + 1] = line(
        21,
        &all[last].id().long(),
        &hex::encode(&later),
        &hex::encode(all[last].signature().0),
    );
    add(
        25,
        "the last document's time altered, ID not recomputed",
        &["NM-02", "NM-11"],
        &["altered", "fiscal-id"],
        v,
        &[("wrong_fiscal_id", Some(21))],
        e,
    );
    let s1_cheaper = {
        let mut b = all[3].body().clone();
        b.content = receipt_request(&sale_cash("Çörək", "0.01"));
        b.signed_bytes()
    };
    let mut v = j(&all);
    v[4] = line_with(4, &s1_cheaper, &all[3].signature().0);
    add(
        26,
        "a sale's amounts altered (ID recomputed, old signature): the altered document is not used",
        &["NM-11", "NM-03", "PK-02"],
        &["altered", "signature", "cascade"],
        v,
        &[("bad_signature", Some(4)), ("number_gap", Some(5))],
        x,
    );
    let mut v = j(&all);
    v[last + 1] = tamper_line(&all[last], &|_, sig| {
        sig.copy_from_slice(&all[last - 1].signature().0)
    });
    add(
        27,
        "the last document carries the signature of the document before it",
        &["NM-11"],
        &["signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(&all);
    v[16] = tamper_line(&all[15], &|_, sig| {
        sig.copy_from_slice(&all[14].signature().0)
    });
    add(
        28,
        "a sale carries another document's signature",
        &["NM-11", "NM-03"],
        &["signature", "cascade"],
        v,
        &[("bad_signature", Some(16))],
        x,
    );
    let mut v = j(&all);
    v[last + 1] = sign(all[last].body().clone(), &forger).to_journal_line();
    add(
        29,
        "the last document re-signed with another key",
        &["NM-10", "NM-11"],
        &["signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let forged = forge(&all, 3, &forger, |i, b| {
        if i == 3 {
            b.content = receipt_request(&sale_cash("Çörək", "0.01"));
        }
    });
    let from4: Vec<(&str, Option<u64>)> = (4..=21).map(|n| ("bad_signature", Some(n))).collect();
    add(30, "a sale made cheaper and the journal from it re-signed with another key: nothing after it is used", &["NM-10", "NM-11"], &["signature"], j(&forged), &from4, e);
    let forged = forge(&all, 0, &forger, |_, _| {});
    let every: Vec<(&str, Option<u64>)> = (1..=21).map(|n| ("bad_signature", Some(n))).collect();
    add(
        31,
        "every document re-signed with another key (a consistent chain of its own)",
        &["NM-10", "NM-11"],
        &["signature"],
        j(&forged),
        &every,
        e,
    );
    let mut v = j(&all);
    v[last + 1] = tamper_line(&all[last], &|_, sig| *sig = high_s(&Signature(*sig)));
    add(
        32,
        "the last document's signature replaced by its high-S twin (ID recomputed)",
        &["NM-11", "NM-02"],
        &["signature", "high-s"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(&all);
    v[last + 1] = tamper_line(&all[last], &|_, sig| sig[63] ^= 1);
    add(
        33,
        "one bit of the last document's signature flipped (ID recomputed)",
        &["NM-11"],
        &["signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(&all);
    let mut wrong = all[3].id().long();
    wrong.replace_range(0..1, if wrong.starts_with('0') { "1" } else { "0" });
    v[4] = line(
        4,
        &wrong,
        &hex::encode(all[3].signed_bytes()),
        &hex::encode(all[3].signature().0),
    );
    add(
        34,
        "a sale's line declares another fiscal ID",
        &["NM-02", "NM-03"],
        &["fiscal-id", "cascade"],
        v,
        &[("wrong_fiscal_id", Some(4)), ("number_gap", Some(5))],
        x,
    );
    let mut v = j(&all);
    v[last + 1] = line(
        21,
        &all[last].id().long().to_uppercase(),
        &hex::encode(all[last].signed_bytes()),
        &hex::encode(all[last].signature().0),
    );
    add(
        35,
        "the fiscal ID in upper case (§13.3: lowercase hexadecimal)",
        &["NM-02"],
        &["fiscal-id"],
        v,
        &[("wrong_fiscal_id", Some(21))],
        e,
    );

    // --- Chain, time and numbers, re-signed with the device key (NM-03, NM-04, NM-11).
    add(
        36,
        "a document's previous is not the ID of the one before (re-signed, chain kept after)",
        &["NM-11"],
        &["device-key"],
        j(&resigned(&all, 4, |b| b.previous = [0u8; 32])),
        &[("broken_chain", Some(5))],
        e,
    );
    add(
        37,
        "document 1's previous is not the certificate's hash",
        &["NM-11", "LC-01"],
        &["device-key"],
        j(&resigned(&all, 0, |b| b.previous = [7u8; 32])),
        &[("broken_chain", Some(1))],
        e,
    );
    let mut v = all.clone();
    v[15] = sign(
        {
            let mut b = all[15].body().clone();
            b.time = b.time.plus(1);
            b
        },
        &key,
    );
    add(
        38,
        "a sale re-signed after a change, the next document still names its old ID",
        &["NM-11"],
        &["device-key"],
        j(&v),
        &[("broken_chain", Some(17))],
        e,
    );
    let before = all[9].body().time.plus(-1);
    add(
        39,
        "time going backwards: a sale dated before the document before it",
        &["NM-04"],
        &["device-key"],
        j(&resigned(&all, 10, |b| b.time = before)),
        &[("time_not_increasing", Some(11))],
        e,
    );
    let same = all[14].body().time;
    add(
        40,
        "time standing still: a sale at the same millisecond as the document before it",
        &["NM-04"],
        &["device-key"],
        j(&resigned(&all, 15, |b| b.time = same)),
        &[("time_not_increasing", Some(16))],
        e,
    );
    add(
        41,
        "a number skipped: the decommission numbered 22",
        &["NM-03"],
        &["device-key"],
        j(&resigned(&all, 20, |b| b.number = 22)),
        &[("number_gap", Some(22))],
        e,
    );
    let renumbered = forge(&all, 15, &key, |_, b| b.number += 1);
    add(42, "a number skipped in shift 2: every later document renumbered, the Z-report's last number no longer its own", &["NM-03", "PK-02"], &["device-key"], j(&renumbered), &[("number_gap", Some(17)), ("zreport_mismatch", Some(21))], e);
    let mut d = m.state(16);
    let fork = issue(&mut d, &sale_cash("Şəkər", "3.00"), on(24, 9, 30, 0), &[]);
    add(
        43,
        "a state rolled back: number 17 issued twice with different content",
        &["NM-03", "NM-11"],
        &["rollback", "cascade"],
        j(&[&all[..17], &[fork]].concat()),
        &[("out_of_order", Some(17))],
        x,
    );

    // --- Z-reports re-signed with the device key (PK-02).
    add(
        44,
        "Z-report: cash out 1.00 higher",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(
            &all,
            13,
            z(|r| r.cash_out = r.cash_out.checked_add(common::a("1.00")).unwrap()),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    add(
        45,
        "Z-report: one receipt more than issued",
        &["PK-02", "RC-06"],
        &["device-key", "zreport"],
        j(&resigned(&all, 13, z(|r| r.receipts += 1))),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    add(
        46,
        "Z-report: one sale fewer in the sales row",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(&all, 13, z(|r| r.kinds[0].count -= 1))),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    add(
        47,
        "Z-report: a tax group's gross lowered",
        &["PK-02", "RC-05"],
        &["device-key", "zreport"],
        j(&resigned(
            &all,
            13,
            z(|r| r.kinds[0].groups[0].gross = common::a("1.00")),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    add(
        48,
        "Z-report: the withdrawals row left out",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(
            &all,
            13,
            z(|r| r.kinds.retain(|k| k.kind != DocType::Withdraw)),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    add(
        49,
        "Z-report: the first number is not the shift's opening document",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(&all, 19, z(|r| r.first_number = 16))),
        &[("zreport_mismatch", Some(20))],
        e,
    );
    add(
        50,
        "Z-report: the opening time one second off",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(
            &all,
            19,
            z(|r| r.opened_at = r.opened_at.plus(1000)),
        )),
        &[("zreport_mismatch", Some(20))],
        e,
    );
    add(
        51,
        "Z-report: the card payments of the sales row raised",
        &["PK-02", "RC-14"],
        &["device-key", "zreport"],
        j(&resigned(
            &all,
            13,
            z(|r| r.kinds[0].payments.cashless = common::a("100.00")),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );

    // --- Shifts and counters, forged with the device key after a genuine prefix (PK-02, RC-06).
    let p16 = m.upto(16);
    let t = on(24, 9, 30, 0);
    let sale = || receipt_request(&sale_cash("Şəkər", "3.00"));
    add(
        52,
        "a sale between shifts (after the Z-report, before the next opening)",
        &["PK-02"],
        &["device-key"],
        j(&[
            m.upto(14),
            vec![next(&m.upto(14), &key, on(23, 19, 0, 0), 1, 0, sale())],
        ]
        .concat()),
        &[("outside_shift", Some(15))],
        e,
    );
    add(
        53,
        "a sale that names shift 1 during shift 2",
        &["PK-02", "RC-06"],
        &["device-key"],
        j(&[p16.clone(), vec![next(&p16, &key, t, 1, 2, sale())]].concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    add(
        54,
        "a second shift opened while one is open",
        &["PK-02"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(&p16, &key, t, 3, 0, Content::OpenShift)],
        ]
        .concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    add(
        55,
        "a shift opened with number 3 after shift 1",
        &["PK-02", "RC-06"],
        &["device-key"],
        j(&[
            m.upto(14),
            vec![next(
                &m.upto(14),
                &key,
                on(24, 9, 0, 0),
                3,
                0,
                Content::OpenShift,
            )],
        ]
        .concat()),
        &[("counter_mismatch", Some(15))],
        e,
    );
    let z1 = match &all[13].body().content {
        Content::ZReport(r) => r.clone(),
        _ => unreachable!(),
    };
    let mut z_again = z1.clone();
    z_again.last_number = 15;
    add(
        56,
        "a Z-report with no shift open",
        &["PK-02"],
        &["device-key"],
        j(&[
            m.upto(14),
            vec![next(
                &m.upto(14),
                &key,
                on(23, 19, 0, 0),
                1,
                0,
                Content::ZReport(z_again),
            )],
        ]
        .concat()),
        &[("outside_shift", Some(15))],
        e,
    );
    add(
        57,
        "decommissioned with a shift open",
        &["LC-02", "PK-02"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(&p16, &key, t, 2, 0, Content::Decommission)],
        ]
        .concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    add(
        58,
        "an activation record that is not document 1",
        &["LC-01"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                0,
                Content::Activation {
                    certificate: cert.hash(),
                },
            )],
        ]
        .concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    add(
        59,
        "document 1 activates another certificate",
        &["LC-01", "NM-09"],
        &["device-key"],
        j(&resigned(&all, 0, |b| {
            b.content = Content::Activation {
                certificate: [9u8; 32],
            }
        })),
        &[("outside_shift", Some(1))],
        e,
    );
    add(
        60,
        "a sale 25 hours after its shift opened",
        &["PK-02"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(&p16, &key, on(25, 10, 0, 0), 2, 2, sale())],
        ]
        .concat()),
        &[("shift_too_long", Some(17))],
        e,
    );
    add(
        61,
        "a receipt counter that skips (5 where 2 is due)",
        &["RC-06"],
        &["device-key"],
        j(&[p16.clone(), vec![next(&p16, &key, t, 2, 5, sale())]].concat()),
        &[("counter_mismatch", Some(17))],
        e,
    );
    add(
        62,
        "a deposit with a receipt counter (cash documents are not receipts)",
        &["RC-06"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                receipt_request(r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":10}}"#),
            )],
        ]
        .concat()),
        &[("counter_mismatch", Some(17))],
        e,
    );

    // --- References: returns, cancels, instalments, advances (RC-11, RC-17, RC-18).
    let (s1, s2, s3, c, p1, a) = (m.doc(4), m.doc(5), m.doc(11), m.doc(6), m.doc(10), m.doc(7));
    let _ = s2;
    // The device remembers what was claimed of each receipt (SPEC.md §14.6): each over-claim
    // below is refused at the till with the code the verifier reports, so a key holder forges it.
    let again_json = return_json(
        &s1.id().long(),
        "Çörək və süd",
        "3.55",
        "cashSum",
        r#","itemVatPercent":18"#,
    );
    let refused = refuse(&mut m.state(16), &again_json, t, &[s1.clone()]);
    assert_eq!(refused.code().as_str(), "return_exceeds_sale");
    let again = next(&p16, &key, t, 2, 2, receipt_request(&again_json));
    add(
                63,
        "a second full return of a sale already partly returned (2.35 of 3.55): together above the sale; the device refuses it, a key holder forges it",
        &["RC-17"],
        &["device-key"],
        j(&[p16.clone(), vec![again]].concat()),
        &[("return_exceeds_sale", Some(17))],
        e,
    );
    let after_cancel_json = return_json(
        &s3.id().long(),
        "Plov",
        "1.00",
        "cashSum",
        r#","taxTreatment":"simplified","itemVatPercent":8"#,
    );
    let refused = refuse(&mut m.state(16), &after_cancel_json, t, &[s3.clone()]);
    assert_eq!(refused.code().as_str(), "already_cancelled");
    let after_cancel = next(&p16, &key, t, 2, 2, receipt_request(&after_cancel_json));
    add(
                64,
        "a return of a cancelled receipt (refunded twice); the device refuses it, a key holder forges it",
        &["RC-17"],
        &["device-key"],
        j(&[p16.clone(), vec![after_cancel]].concat()),
        &[("already_cancelled", Some(17))],
        e,
    );
    add(
        65,
        "a cancel of a receipt of another shift",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                cancel_content(&s1.id().long(), voided_of(s1)),
            )],
        ]
        .concat()),
        &[("cancel_outside_shift", Some(17))],
        e,
    );
    let p12 = m.upto(12);
    add(
        66,
        "a receipt cancelled twice",
        &["RC-17"],
        &["device-key"],
        j(&[
            p12.clone(),
            vec![next(
                &p12,
                &key,
                on(23, 9, 9, 30),
                1,
                10,
                cancel_content(&s3.id().long(), voided_of(s3)),
            )],
        ]
        .concat()),
        &[("already_cancelled", Some(13))],
        e,
    );
    let mut d = m.state(16);
    let s4 = m.doc(16);
    let part = issue(
        &mut d,
        &return_json(
            &s4.id().long(),
            "Su",
            "1.00",
            "cashlessSum",
            r#","itemVatPercent":18"#,
        ),
        t,
        &[s4.clone()],
    );
    let refused = refuse(
        &mut d,
        &rollback(&s4.id().long()),
        on(24, 9, 31, 0),
        &[s4.clone()],
    );
    assert_eq!(refused.code().as_str(), "return_exceeds_sale");
    let p17 = [p16.clone(), vec![part]].concat();
    let cancel_after = next(
        &p17,
        &key,
        on(24, 9, 31, 0),
        2,
        3,
        cancel_content(&s4.id().long(), voided_of(s4)),
    );
    add(
                67,
        "a cancel after a return of the same receipt (refunded twice); the device refuses it, a key holder forges it",
        &["RC-17"],
        &["device-key"],
        j(&[p17, vec![cancel_after]].concat()),
        &[("return_exceeds_sale", Some(18))],
        e,
    );
    let mut wrong_voided = voided_of(s4);
    wrong_voided.number = 15;
    add(
        68,
        "a cancel whose voided amounts name another document",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                cancel_content(&s4.id().long(), wrong_voided),
            )],
        ]
        .concat()),
        &[("content_invalid", Some(17))],
        e,
    );
    add(
        69,
        "a bare cancel request, without what it voids",
        &["RC-17", "RC-05"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                receipt_request(&rollback(&s4.id().long())),
            )],
        ]
        .concat()),
        &[("content_invalid", Some(17))],
        e,
    );
    add(
        70,
        "a cancel of a receipt not in the journal",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                cancel_content("0123456789ab", voided_of(s4)),
            )],
        ]
        .concat()),
        &[("unknown_reference", Some(17))],
        e,
    );
    add(
        71,
        "a return against a receipt not in the journal",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                receipt_request(&return_json(
                    "0123456789AB",
                    "Su",
                    "1.00",
                    "cashSum",
                    r#","itemVatPercent":18"#,
                )),
            )],
        ]
        .concat()),
        &[("unknown_reference", Some(17))],
        e,
    );
    // Instalment 2 of 950 where 900 is left: the device refuses it (and the old trick, an
    // "instalment 1" with the first withheld, too); a key holder forges it, numbered right.
    let over_json = creditpay_json(&c.id().long(), 2, "950", "0");
    let refused = refuse(&mut m.state(16), &over_json, t, &[c.clone()]);
    assert_eq!(refused.code().as_str(), "instalment_exceeds_debt");
    let first_again = creditpay_json(&c.id().long(), 1, "950", "50");
    let refused = refuse(&mut m.state(16), &first_again, t, &[c.clone()]);
    assert_eq!(refused.code().as_str(), "instalment_number_mismatch");
    let over = next(&p16, &key, t, 2, 2, receipt_request(&over_json));
    add(
                72,
        "an instalment above the debt left (950 where 900 is owed); the device refuses it, a key holder forges it",
        &["RC-18"],
        &["device-key"],
        j(&[p16.clone(), vec![over]].concat()),
        &[("instalment_exceeds_debt", Some(17))],
        e,
    );
    add(
        73,
        "an instalment numbered 3 where 2 is due",
        &["RC-18"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                receipt_request(&creditpay_json(&c.id().long(), 3, "100", "800")),
            )],
        ]
        .concat()),
        &[("instalment_number_mismatch", Some(17))],
        e,
    );
    add(
        74,
        "an instalment whose residue is not the debt left",
        &["RC-18"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                receipt_request(&creditpay_json(&c.id().long(), 2, "100", "850")),
            )],
        ]
        .concat()),
        &[("debt_mismatch", Some(17))],
        e,
    );
    let _ = p1;
    let twice_json = against_advance_json(&a.id().long(), "25", "5", "20");
    let refused = refuse(&mut m.state(16), &twice_json, t, &[a.clone()]);
    assert_eq!(refused.code().as_str(), "advances_exceeded");
    let twice = next(&p16, &key, t, 2, 2, receipt_request(&twice_json));
    add(
                75,
        "a second sale against a used-up advance (spent twice); the device refuses it, a key holder forges it",
        &["RC-11", "RC-17"],
        &["device-key"],
        j(&[p16.clone(), vec![twice]].concat()),
        &[("advances_exceeded", Some(17))],
        e,
    );
    add(
        76,
        "a sale against an advance not in the journal",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                &key,
                t,
                2,
                2,
                receipt_request(&against_advance_json("0123456789ab", "50", "30", "20")),
            )],
        ]
        .concat()),
        &[("unknown_reference", Some(17))],
        e,
    );
    let mut cheap_tax: DocumentBody = {
        let mut text = serde_json::to_string(&next(&p16, &key, t, 2, 2, sale()).body()).unwrap();
        text = text.replace(r#""tax":"0.46""#, r#""tax":"0.45""#);
        serde_json::from_str(&text).unwrap()
    };
    cheap_tax.number = 17;
    add(
        77,
        "a sale whose tax is not what its lines give",
        &["RC-05"],
        &["device-key"],
        j(&[p16.clone(), vec![sign(cheap_tax, &key)]].concat()),
        &[("content_invalid", Some(17))],
        e,
    );

    // --- Malformed lines (PK-11).
    let jl = j(&all);
    let n = jl.len();
    let mut v = jl.clone();
    let half = v[n - 1].len() / 2;
    v[n - 1].truncate(half);
    add(
        78,
        "the last line cut in half",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[4].truncate(300);
    add(
        79,
        "a sale's line cut short",
        &["PK-11", "NM-03"],
        &["malformed", "cascade"],
        v,
        &[("invalid_document", None), ("number_gap", Some(5))],
        x,
    );
    let mut v = jl.clone();
    v[n - 1] = v[n - 1].replacen("\"body\":\"6", "\"body\":\"z", 1);
    add(
        80,
        "a body that is not hexadecimal",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v.push("this is not a journal line".into());
    add(
        81,
        "a line that is not JSON",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[n - 1] = v[n - 1].replacen('}', r#","note":"x"}"#, 1);
    add(
        82,
        "a line with an extra member",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[n - 1] = v[n - 1].replacen("\"number\":21", "\"number\":12", 1);
    add(
        83,
        "a line whose number is not its document's",
        &["PK-11", "NM-03"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );
    let mut v = jl.clone();
    v[n - 1] = tamper_line(&all[last], &|bytes, _| bytes.push(0));
    add(
        84,
        "a body with a byte after the document",
        &["PK-11"],
        &["malformed"],
        v,
        &[("invalid_document", None)],
        e,
    );

    // --- The certificate line (NM-08, NM-09, NM-10, U-08).
    add(
        85,
        "no certificate line: nothing can be verified",
        &["NM-09", "NM-10"],
        &["certificate"],
        jl[1..].to_vec(),
        &[("invalid_certificate", Some(1))],
        e,
    );
    let mut v = jl.clone();
    v.insert(1, jl[0].clone());
    add(
        86,
        "the certificate line twice",
        &["NM-09"],
        &["certificate"],
        v,
        &[("invalid_certificate", None)],
        e,
    );
    let mut v = jl.clone();
    v[0] = r#"{"certificate":"not hex"}"#.into();
    add(
        87,
        "a certificate line that is not hexadecimal",
        &["NM-09"],
        &["certificate"],
        v,
        &[
            ("invalid_certificate", None),
            ("invalid_certificate", Some(1)),
        ],
        e,
    );
    let mut v = jl[1..].to_vec();
    v.push(jl[0].clone());
    add(
        88,
        "the certificate line after the documents",
        &["NM-09"],
        &["certificate"],
        v,
        &[
            ("invalid_certificate", None),
            ("invalid_certificate", Some(1)),
        ],
        e,
    );
    let fake = PrivateKey::from_seed(b"fiscal-core fake authority");
    let mut v = jl.clone();
    v[0] = Certificate::issue(body(&key), &fake)
        .unwrap()
        .to_journal_line();
    add(
        89,
        "the certificate replaced by one another authority signed",
        &["NM-10", "NM-11"],
        &["certificate"],
        v,
        &[
            ("certificate_signature", None),
            ("broken_chain", Some(1)),
            ("outside_shift", Some(1)),
        ],
        e,
    );
    add(
        90,
        "a device certified by an authority that is not trusted",
        &["NM-10"],
        &["certificate"],
        foreign_authority_journal(),
        &[("certificate_signature", None)],
        e,
    );
    let other_key = PrivateKey::from_seed(b"fiscal-core test device 2");
    let mut v = j(&m.upto(4));
    v[0] = Certificate::issue(body(&other_key), &authority())
        .unwrap()
        .to_journal_line();
    add(
        91,
        "the certificate of another device: no document is signed by its key",
        &["NM-10"],
        &["certificate", "signature"],
        v,
        &[
            ("bad_signature", Some(1)),
            ("bad_signature", Some(2)),
            ("bad_signature", Some(3)),
            ("bad_signature", Some(4)),
        ],
        e,
    );
    let mut bad_body: CertificateBody = body(&key);
    bad_body.voen = "123456789".into();
    let bad_sig = authority().sign(&bad_body.signed_bytes());
    let bad_cert = Certificate::from_json(
        &serde_json::to_string(&json!({"body": bad_body, "signature": hex::encode(bad_sig.0)}))
            .unwrap(),
    )
    .unwrap();
    let mut v = jl.clone();
    v[0] = bad_cert.to_journal_line();
    add(
        92,
        "a certificate whose VÖEN has 9 digits, signed by the authority",
        &["NM-09", "RC-02"],
        &["certificate"],
        v,
        &[
            ("invalid_certificate", None),
            ("broken_chain", Some(1)),
            ("outside_shift", Some(1)),
        ],
        e,
    );
    let slk = short_lived_key();
    let sl4 = sl[..4].to_vec();
    add(
        93,
        "a sale after the certificate expired (signed with the device key)",
        &["U-08", "NM-08"],
        &["expiry", "device-key"],
        with_cert(
            &sl_cert,
            &[
                sl4.clone(),
                vec![next(&sl4, &slk, on(23, 12, 10, 0), 1, 3, sale())],
            ]
            .concat(),
        ),
        &[("certificate_expired", Some(5))],
        e,
    );
    let sl5 = sl[..5].to_vec();
    add(
        94,
        "a shift opened after the certificate expired",
        &["U-08", "NM-08"],
        &["expiry", "device-key"],
        with_cert(
            &sl_cert,
            &[
                sl5.clone(),
                vec![next(&sl5, &slk, on(23, 13, 0, 0), 2, 0, Content::OpenShift)],
            ]
            .concat(),
        ),
        &[("certificate_expired", Some(6))],
        e,
    );
    let early = on(23, 7, 59, 59);
    add(
        95,
        "the activation dated before the certificate's validity",
        &["NM-08"],
        &["expiry", "device-key"],
        with_cert(
            &sl_cert,
            &forge(&sl, 0, &slk, |i, b| {
                if i == 0 {
                    b.time = early
                }
            }),
        ),
        &[("certificate_not_yet_valid", Some(1))],
        e,
    );
    out.extend(ledger::cases());
    // One spelling and empty journals (issue #14): appended last, so no tcId before moves.
    out.extend(spelling::cases());
    out
}

fn journal_file() -> Value {
    let cases = journal_cases();
    let mut tests = Vec::new();
    check_tc_ids("journal", cases.iter().map(|c| (c.id, c.comment.as_str())));
    for c in cases {
        let (report, found) = findings_of(&c.journal);
        let id = c.id;
        let mut t = json!({"tcId": id, "comment": c.comment, "rules": c.rules, "flags": c.flags, "input": {"journal": c.journal}});
        if c.must.is_empty() {
            assert!(
                report.is_valid(),
                "tcId {id} ({}): {:#?}",
                t["comment"],
                report.findings
            );
            let last = c
                .journal
                .last()
                .and_then(|l| Document::from_journal_line(l).ok())
                .unwrap();
            t["result"] = json!("valid");
            t["expected"] = json!({
                "documents": report.documents, "receipts": report.receipts,
                "lastNumber": last.number(), "lastFiscalId": last.id().long(),
            });
        } else {
            let must: BTreeSet<_> = c.must.iter().cloned().collect();
            let got: BTreeSet<_> = found.iter().cloned().collect();
            if c.exact {
                assert_eq!(
                    got, must,
                    "tcId {id} ({}): {:#?}",
                    t["comment"], report.findings
                );
                assert!(!c.flags.contains(&"cascade"));
            } else {
                assert!(
                    must.is_subset(&got),
                    "tcId {id} ({}): wanted {must:?} among {:#?}",
                    t["comment"],
                    report.findings
                );
                assert!(
                    c.flags.contains(&"cascade") && got != must,
                    "tcId {id}: not a cascade"
                );
            }
            let codes: BTreeSet<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
            t["result"] = json!("invalid");
            t["errors"] = json!(codes);
            t["findings"] = Value::Array(
                found
                    .iter()
                    .map(|(c, n)| json!({"code": c, "number": n}))
                    .collect(),
            );
        }
        tests.push(t);
    }
    json!({
        "schema": "fiscal-core-vectors/journal/v1",
        "schemaFile": "schemas/journal.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md §12–§15",
        "comment": "A journal (JSON Lines of SPEC.md §13.5, the certificate line first; given as an array of lines, joined with LF and no LF after the last, so a line given with a CR at its end ends with CRLF) → what a verifier (§15.2) reports. A good journal: result valid, expected = documents read, receipts among them (sale, return, cancel, advance, credit payment), the last document's number and fiscal ID. A tampered one: result invalid, errors = the finding codes (§9, as a set), findings = every (code, document number) pair (number null when the line could not be read or holds no document, or the finding is the certificate's or the whole journal's), as a set. The journals were made by fiscal-core's device (fiscal-core/tests/journal_vectors.rs) and then tampered with; the authority's key (authorityPublicKey, compressed SEC1) is the trusted anchor. Rates: RateTable::azerbaijan (SPEC.md §5.1).",
        "notes": {
            "genuine": "a journal exactly as the device wrote it, or a prefix of one",
            "undetectable": "documents removed from the end leave no trace in the journal itself (SPEC.md §15.3)",
            "removed": "documents removed from the journal",
            "reordered": "lines in another order",
            "duplicated": "a document appears twice",
            "altered": "the bytes of a document changed after signing",
            "signature": "a signature that is not the device's: the document is then not used, so later checks may see it as missing",
            "fiscal-id": "the line's declared ID is not the one its body and signature give",
            "high-s": "the high-S twin (r, n − s) of the device's signature: mathematically valid, refused by SPEC.md §13.2",
            "device-key": "re-signed or made with the device key (a dishonest owner): only the semantic check can catch it",
            "rollback": "a device state restored from an older copy reissues a number",
            "zreport": "a Z-report whose totals are not its shift's",
            "malformed": "a line that is not a document",
            "certificate": "the certificate line is missing, misplaced, unreadable or not trusted",
            "expiry": "a certificate valid only from 2026-11-23 08:00 to 12:00 Baku time",
            "cascade": "one break makes others: the findings include more than the one named in the comment; all are listed",
            "spelling": "the journal's lines not spelled as a device writes them (SPEC.md §13.5: LF line ends, no CR, no empty or blank line): one noncanonical_line finding a line, the line's document still read",
            "empty": "a journal that holds no document (a failed export): empty_journal",
            "duplicate-member": "a line with a member repeated in one object: it reads two ways and is refused (duplicate_member, SPEC.md §8.3, §13.5)",
        },
        "testGroups": [{
            "authorityPublicKey": hex::encode(authority().public_key().to_sec1()),
            "authoritySeed": AUTHORITY_SEED,
            "tests": tests,
        }],
    })
}

// ---------------------------------------------------------------------------------------------
// Encoding cases.

struct ECase {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    body: DocumentBody,
}

fn ecase(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    flags: &[&'static str],
    body: DocumentBody,
) -> ECase {
    ECase {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: flags.to_vec(),
        body,
    }
}

fn header(
    number: u64,
    time: Timestamp,
    shift: u32,
    shift_receipt: u32,
    content: Content,
) -> DocumentBody {
    DocumentBody {
        number,
        time,
        shift,
        shift_receipt,
        previous: sha256(&[b"previous of ", number.to_string().as_bytes()]),
        content,
    }
}

/// A line of 1 × 1.00 at VAT 18 with `patch` applied (a member set to null is absent).
fn item(patch: Value) -> Value {
    let mut v =
        json!({"itemName": "Mal", "itemQuantity": "1", "itemPrice": "1.00", "itemVatPercent": 18});
    for (k, x) in patch.as_object().unwrap() {
        if x.is_null() {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = x.clone();
        }
    }
    v
}

fn sale_of(items: &[Value], pay: Value) -> Content {
    let mut data = json!({"cashier": "Aysel Məmmədova", "items": items});
    for (k, x) in pay.as_object().unwrap() {
        data[k] = x.clone();
    }
    receipt_request(&json!({"doc_type": "sale", "data": data}).to_string())
}

fn handcrafted_bodies() -> Vec<ECase> {
    let t = at(10, 0, 0);
    let h = |n: u64, r: u32, c: Content| header(n, t.plus(n as i64), 1, r, c);
    let id: &str = "4f2b9c01d3e5a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";
    let mut v = vec![
        ecase(22, "sale: every payment form, a fuel card with the vehicle plate, a card RRN", &["RC-10", "RC-14", "RC-19"], &["payments"],
            h(40, 3, sale_of(&[item(json!({})), item(json!({"itemPrice": "9.00"}))], json!({"cashSum": "2.00", "incomingSum": "2.50", "cashlessSum": "3.00", "bonusSum": "1.00", "giftCardSum": "2.00", "fuelCardSum": "2.00", "vehiclePlate": "10-AB-123", "rrn": "000123456789"})))),
        ecase(23, "sale: every item code type (text, EAN-8, EAN-13, service)", &["RC-05"], &["codes"],
            h(41, 4, sale_of(&[item(json!({"itemCodeType": 0, "itemCode": "ABC-1/x"})), item(json!({"itemCodeType": 1, "itemCode": "96385074"})), item(json!({"itemCodeType": 2, "itemCode": "4006381333931"})), item(json!({"itemCodeType": 3, "itemCode": "SRV.7"}))], json!({"cashSum": "4.00"})))),
        ecase(24, "sale: every unit (piece, kg, l, m, m², m³)", &["RC-05"], &["units"],
            h(42, 5, sale_of(&(0..6).map(|u| item(json!({"itemQuantityType": u, "itemQuantity": "1.250"}))).collect::<Vec<_>>(), json!({"cashSum": "7.50"})))),
        ecase(25, "sale: discount, markup, departments with and without a name", &["RC-05", "PK-03"], &["adjustments"],
            h(43, 6, sale_of(&[item(json!({"discount": "0.25", "department": 7, "departmentName": "Çörək şöbəsi"})), item(json!({"markup": "0.10", "department": 9999}))], json!({"cashSum": "2.00"})))),
        ecase(26, "sale: VAT on the margin with a margin price", &["RC-05"], &["margin"],
            h(44, 7, sale_of(&[item(json!({"itemName": "Alma", "itemQuantityType": 1, "itemQuantity": "2", "itemPrice": "1.50", "itemMarginSum": "0.59", "itemMarginPrice": "0.2950", "taxTreatment": "vat_margin"}))], json!({"cashSum": "3.00"})))),
        ecase(27, "sale: VAT 18 and 0, exempt, simplified 2 and 8: five groups", &["RC-05"], &["groups"],
            h(45, 8, sale_of(&[item(json!({})), item(json!({"itemVatPercent": 0})), item(json!({"itemName": "Dərman", "itemPrice": "5.00", "itemVatPercent": null})), item(json!({"taxTreatment": "simplified", "itemVatPercent": 2})), item(json!({"taxTreatment": "simplified", "itemVatPercent": 8}))], json!({"cashSum": "9.00"})))),
        ecase(28, "credit sale with a contract number: counted groups only for the part paid now", &["RC-13", "RC-05"], &["deferred"],
            h(46, 9, sale_of(&[item(json!({"itemPrice": "1180"}))], json!({"cashSum": "180", "creditSum": "1000", "creditContract": "NK-2026/17"})))),
        ecase(29, "sale against two advances (long and short IDs)", &["RC-17", "RC-11"], &["deferred"],
            h(47, 10, sale_of(&[item(json!({"itemPrice": "50"}))], json!({"cashSum": "30", "prepaymentSum": "20", "parents": [id, "7bzWXgWvSKx4"]})))),
        ecase(30, "return of an advance's residue (moneyBackType 1)", &["RC-17"], &["return"],
            h(48, 11, receipt_request(&json!({"doc_type": "money_back", "data": {"cashier": "K", "parentDocument": id, "moneyBackType": 1, "items": [item(json!({}))], "cashSum": "1.00"}}).to_string()))),
        ecase(31, "return of a credit payment (moneyBackType 2), paid back by card", &["RC-17"], &["return"],
            h(49, 12, receipt_request(&json!({"doc_type": "money_back", "data": {"cashier": "K", "parentDocument": &id[..12], "moneyBackType": 2, "items": [item(json!({}))], "cashlessSum": "1.00"}}).to_string()))),
        ecase(32, "credit payment with its contract number", &["RC-18"], &["credit"],
            h(50, 13, receipt_request(&json!({"doc_type": "creditpay", "data": {"cashier": "K", "parentDocument": id, "paymentNumber": 3, "residue": "0", "creditContract": "NK-2026/17", "items": [item(json!({"itemCodeType": 5, "itemCode": "NK-2026-17"}))], "cashlessSum": "1.00"}}).to_string()))),
        ecase(33, "correction with two VAT groups", &["PK-01", "RC-05"], &["correction"],
            h(51, 0, receipt_request(r#"{"doc_type":"correction","data":{"cashier":"K","sum":30,"cashSum":10,"cashlessSum":20,"vatAmounts":[{"vatSum":20,"vatPercent":18},{"vatSum":10,"vatPercent":0}]}}"#))),
        ecase(34, "a bare cancel request (Request::Cancel, variant 2): encodable, though a device never issues one and a verifier flags it", &["RC-17"], &["bare-cancel"],
            h(52, 14, receipt_request(&rollback(id)))),
        ecase(35, "130 lines: the list length takes two varint bytes", &["RC-05"], &["varint"],
            h(53, 15, sale_of(&vec![item(json!({"itemPrice": "0.01"})); 130], json!({"cashSum": "1.30"})))),
        ecase(36, "the largest amount: 99 999 999.99 (a 5-byte zigzag varint)", &["RC-10"], &["varint", "limits"],
            h(54, 16, sale_of(&[item(json!({"itemName": "Ev", "itemPrice": "99999999.99"}))], json!({"cashlessSum": "99999999.99"})))),
        ecase(37, "a 4-decimal fuel price and a 3-decimal quantity", &["RC-05", "RC-19"], &["fuel"],
            h(55, 17, sale_of(&[item(json!({"itemName": "Aİ-92", "itemQuantityType": 2, "itemQuantity": "35.123", "itemPrice": "1.0575"}))], json!({"fuelCardSum": "37.14", "vehiclePlate": "90 AA 001"})))),
        ecase(38, "a cashier name of 64 characters with 2-byte letters (string length over 127 bytes)", &["RC-05", "PK-08"], &["varint", "text"],
            h(56, 0, receipt_request(&format!(r#"{{"doc_type":"deposit","data":{{"cashier":"{}","sum":0.01}}}}"#, "Ə".repeat(64))))),
        ecase(39, "printed characters of §4.2: №, «», ₼, Cyrillic", &["RC-05"], &["text"],
            h(57, 18, sale_of(&[item(json!({"itemName": "Kitab №3 «Ağ gəmi» — 5₼ Книга", "itemPrice": "5"}))], json!({"cashSum": "5"})))),
    ];
    let open =
        |n: u64, time: Timestamp, shift: u32, r: u32| header(n, time, shift, r, Content::OpenShift);
    v.push(ecase(
        40,
        "the largest document number (u64 max, a 10-byte varint)",
        &["NM-03"],
        &["varint", "limits"],
        open(u64::MAX, t, 1, 0),
    ));
    v.push(ecase(
        41,
        "numbers at the varint boundaries: 127, shift 128, counter 16384",
        &["NM-03", "RC-06"],
        &["varint"],
        open(127, t, 128, 16_384),
    ));
    v.push(ecase(
        42,
        "shift and receipt counter at u32 max",
        &["RC-06"],
        &["varint", "limits"],
        open(300, t, u32::MAX, u32::MAX),
    ));
    v.push(ecase(
        43,
        "time 0 (1970-01-01T00:00:00Z)",
        &["RC-03"],
        &["time"],
        open(2, Timestamp::from_millis(0), 1, 0),
    ));
    v.push(ecase(
        44,
        "a time before 1970: negative milliseconds (zigzag)",
        &["RC-03"],
        &["time"],
        open(2, Timestamp::from_millis(-1), 1, 0),
    ));
    v.push(ecase(
        45,
        "a time with milliseconds",
        &["RC-03", "NM-04"],
        &["time"],
        open(3, t.plus(999), 1, 0),
    ));
    v
}

struct DCase {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    line: String,
    error: &'static str,
}

fn decode_cases(m: &Main) -> Vec<DCase> {
    let doc = m.doc(4).clone();
    let bytes = doc.signed_bytes().to_vec();
    let sig = doc.signature().0;
    let n = doc.number();
    let body_hex = hex::encode(&bytes);
    let sig_hex = hex::encode(sig);
    let id = doc.id().long();
    let tag_len = fiscal_core::internal::DOCUMENT_TAG.len();
    let mut out = Vec::new();
    let mut add = |id: u64,
                   comment: &str,
                   rules: &[&'static str],
                   flags: &[&'static str],
                   line: String,
                   error: &'static str| {
        out.push(DCase {
            id,
            comment: comment.into(),
            rules: rules.to_vec(),
            flags: flags.to_vec(),
            line,
            error,
        });
    };
    let with_bytes = |b: &[u8]| line_with(n, b, &sig);
    let mut b = bytes.clone();
    b.push(0);
    add(
        49,
        "a byte after the document",
        &["PK-11", "NM-02"],
        &["trailing"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b.pop();
    add(
        50,
        "the last byte missing",
        &["PK-11"],
        &["truncated"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b.splice(tag_len..tag_len + 1, [0x84, 0x00]);
    add(
        51,
        "the number as a two-byte varint (84 00 for 4): not canonical",
        &["PK-11", "NM-02"],
        &["canonical"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[tag_len - 2] = b'2';
    add(
        52,
        "the tag says document/v2",
        &["PK-11"],
        &["tag"],
        with_bytes(&b),
        "invalid_document",
    );
    let b = [fiscal_core::internal::CERTIFICATE_TAG, &bytes[tag_len..]].concat();
    add(
        53,
        "the certificate's tag on a document",
        &["PK-11"],
        &["tag"],
        with_bytes(&b),
        "invalid_document",
    );
    add(
        54,
        "no tag at all",
        &["PK-11"],
        &["tag"],
        with_bytes(&bytes[tag_len..]),
        "invalid_document",
    );
    // The content's variant index: what is left after the header is the content.
    let content_at = bytes.len() - postcard::to_allocvec(&doc.body().content).unwrap().len();
    assert_eq!(bytes[content_at], 2, "Content::Request");
    let mut b = bytes.clone();
    b[content_at] = 6;
    add(
        55,
        "an unknown content variant (6)",
        &["PK-11"],
        &["enum"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[content_at + 1] = 8;
    add(
        56,
        "an unknown request variant (8)",
        &["PK-11"],
        &["enum"],
        with_bytes(&b),
        "invalid_document",
    );
    // The first line's code option (after cashier "Aysel", the line count, the name "Çörək").
    let cashier_at = content_at + 2;
    assert_eq!(bytes[cashier_at], 5);
    let name_at = cashier_at + 1 + 5 + 1;
    assert_eq!(bytes[name_at], 8);
    let code_at = name_at + 1 + 8;
    assert_eq!(bytes[code_at], 0);
    let mut b = bytes.clone();
    b[code_at] = 2;
    add(
        57,
        "an option tag 02 (only 00 and 01 exist)",
        &["PK-11"],
        &["option"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[name_at + 1] = 0xff;
    add(
        58,
        "a name that is not UTF-8",
        &["PK-11"],
        &["text"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[code_at + 1] = 6;
    add(
        59,
        "an unknown unit (6)",
        &["PK-11"],
        &["enum"],
        with_bytes(&b),
        "invalid_document",
    );
    // The quantity (2000 units: zigzag 4000 = a0 1f) → −1 (zigzag 1): a negative quantity.
    assert_eq!(&bytes[code_at + 2..code_at + 4], &[0xa0, 0x1f]);
    let mut b = bytes.clone();
    b.splice(code_at + 2..code_at + 4, [0x01]);
    add(
        60,
        "a negative quantity (−0.001)",
        &["PK-11", "RC-05"],
        &["range"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b.splice(code_at + 2..code_at + 4, [0x00]);
    add(
        61,
        "a zero quantity (below 0.001)",
        &["PK-11", "RC-05"],
        &["range"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    // 10^10 units of quantity: above 9 999 999.999.
    let mut big = Vec::new();
    let mut units = 20_000_000_000u64;
    while units >= 0x80 {
        big.push((units as u8 & 0x7f) | 0x80);
        units >>= 7;
    }
    big.push(units as u8);
    b.splice(code_at + 2..code_at + 4, big);
    add(
        62,
        "a quantity above the range (10 000 000.000)",
        &["PK-11", "RC-05"],
        &["range"],
        with_bytes(&b),
        "invalid_document",
    );
    add(
        63,
        "the body is not hexadecimal",
        &["PK-11"],
        &["hex"],
        line(n, &id, &format!("zz{}", &body_hex[2..]), &sig_hex),
        "invalid_document",
    );
    add(
        64,
        "the body has an odd number of hex digits",
        &["PK-11"],
        &["hex"],
        line(n, &id, &body_hex[1..], &sig_hex),
        "invalid_document",
    );
    add(
        65,
        "the signature is 63 bytes",
        &["PK-11"],
        &["hex"],
        line(n, &id, &body_hex, &sig_hex[2..]),
        "invalid_document",
    );
    add(
        66,
        "the signature is not hexadecimal",
        &["PK-11"],
        &["hex"],
        line(n, &id, &body_hex, &format!("x{}", &sig_hex[1..])),
        "invalid_document",
    );
    add(
        67,
        "the line declares another number",
        &["PK-11", "NM-03"],
        &["line"],
        line(n + 1, &id, &body_hex, &sig_hex),
        "invalid_document",
    );
    add(
        68,
        "the number given as a string",
        &["PK-11"],
        &["line"],
        doc.to_journal_line()
            .replacen("\"number\":4", "\"number\":\"4\"", 1),
        "invalid_document",
    );
    add(
        69,
        "a member missing (no signature)",
        &["PK-11"],
        &["line"],
        format!(r#"{{"number":{n},"id":"{id}","body":"{body_hex}"}}"#),
        "invalid_document",
    );
    add(
        70,
        "an extra member",
        &["PK-11"],
        &["line"],
        doc.to_journal_line().replacen('}', r#","extra":1}"#, 1),
        "invalid_document",
    );
    add(
        71,
        "not JSON",
        &["PK-11"],
        &["line"],
        "number 4, body …".into(),
        "invalid_document",
    );
    // One spelling (SPEC.md §13.5): the same document written any other way is refused.
    let canonical = doc.to_journal_line();
    for (tc_id, comment, spelled) in [
        (
            72,
            "the same line as a JSON array [number, id, body, signature]",
            format!(r#"[{n},"{id}","{body_hex}","{sig_hex}"]"#),
        ),
        (
            73,
            "the same members in another order",
            format!(r#"{{"id":"{id}","number":{n},"body":"{body_hex}","signature":"{sig_hex}"}}"#),
        ),
        (74, "a space after each comma", canonical.replace(',', ", ")),
        (
            75,
            "the number with a leading zero",
            canonical.replacen(&format!("\"number\":{n}"), &format!("\"number\":0{n}"), 1),
        ),
        (
            76,
            "the body's hex in upper case",
            canonical.replacen(&body_hex, &body_hex.to_uppercase(), 1),
        ),
        (
            77,
            "the signature's hex in upper case",
            canonical.replacen(&sig_hex, &sig_hex.to_uppercase(), 1),
        ),
    ] {
        add(
            tc_id,
            comment,
            &["PK-11"],
            &["spelling"],
            spelled,
            "invalid_document",
        );
    }
    let mut wrong = id.clone();
    wrong.replace_range(63..64, if id.ends_with('0') { "1" } else { "0" });
    add(
        78,
        "the declared ID differs in its last digit",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &wrong, &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        79,
        "the declared ID in upper case",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &id.to_uppercase(), &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        80,
        "the declared ID is the short form",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &id[..12], &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        81,
        "the declared ID is SHA-256 of the bytes alone (no tag, no signature)",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &hex::encode(sha256(&[&bytes])), &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        82,
        "the high-S twin of the signature (ID recomputed)",
        &["NM-11", "NM-02"],
        &["signature", "high-s"],
        line_with(n, &bytes, &high_s(doc.signature())),
        "bad_signature",
    );
    let mut s = sig;
    s[63] ^= 1;
    add(
        83,
        "one bit of s flipped (ID recomputed)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let mut s = sig;
    s[0] ^= 0x80;
    add(
        84,
        "one bit of r flipped (ID recomputed)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    add(
        85,
        "the signature of another document (ID recomputed)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &m.doc(5).signature().0),
        "bad_signature",
    );
    add(
        86,
        "signed by another key",
        &["NM-10", "NM-11"],
        &["signature"],
        sign(doc.body().clone(), &PrivateKey::from_seed(b"forger")).to_journal_line(),
        "bad_signature",
    );
    add(
        87,
        "r = 0 and s = 0",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &[0u8; 64]),
        "bad_signature",
    );
    let mut s = [0u8; 64];
    s[..32].copy_from_slice(&N);
    s[32..].copy_from_slice(&sig[32..]);
    add(
        88,
        "r = n (out of range)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let cheaper = {
        let mut b = doc.body().clone();
        b.shift_receipt = 9;
        b.signed_bytes()
    };
    add(
        89,
        "the receipt counter changed after signing (ID recomputed)",
        &["NM-11", "RC-06"],
        &["signature", "altered"],
        line_with(n, &cheaper, &sig),
        "bad_signature",
    );
    out
}

fn decode_error(line: &str, device: &fiscal_core::PublicKey) -> Option<&'static str> {
    match Document::from_journal_line(line) {
        Err(e) => Some(e.code().as_str()),
        Ok(d) if !d.verify(device) => Some("bad_signature"),
        Ok(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Certificate cases (SPEC.md §12): a certificate body in its structured form (§13.6) → the
// signed bytes, the authority's signature, the hash and the journal line; bodies the engine must
// refuse to issue (`invalid_certificate`); certificate lines a reader must refuse.

/// The structured JSON form of a certificate body (SPEC.md §13.6).
fn structured_certificate(b: &CertificateBody) -> Value {
    json!({
        "serial": b.serial, "kassaModel": b.kassa_model, "kassaFactoryNumber": b.kassa_factory_number,
        "nmqFactoryNumber": b.nmq_factory_number, "nmqRegistrationNumber": b.nmq_registration_number,
        "taxpayerName": b.taxpayer_name, "voen": b.voen, "objectCode": b.object_code,
        "objectName": b.object_name, "objectAddress": b.object_address,
        "validFrom": b.valid_from.millis(), "validUntil": b.valid_until.millis(),
        "deviceKey": hex::encode(b.device_key.to_sec1()),
    })
}

/// A certificate body from its structured form.
fn certificate_body_of(v: &Value) -> CertificateBody {
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    CertificateBody {
        serial: v["serial"].as_u64().unwrap(),
        kassa_model: s("kassaModel"),
        kassa_factory_number: s("kassaFactoryNumber"),
        nmq_factory_number: s("nmqFactoryNumber"),
        nmq_registration_number: s("nmqRegistrationNumber"),
        taxpayer_name: s("taxpayerName"),
        voen: s("voen"),
        object_code: s("objectCode"),
        object_name: s("objectName"),
        object_address: s("objectAddress"),
        valid_from: Timestamp::from_millis(v["validFrom"].as_i64().unwrap()),
        valid_until: Timestamp::from_millis(v["validUntil"].as_i64().unwrap()),
        device_key: fiscal_core::PublicKey::from_sec1(&hex::decode(s("deviceKey")).unwrap())
            .unwrap(),
    }
}

fn certificate_expected(b: &CertificateBody) -> Value {
    let cert = Certificate::issue(b.clone(), &authority()).unwrap();
    let signed = b.signed_bytes();
    json!({
        "bytes": hex::encode(&signed),
        "sha256": hex::encode(sha256(&[&signed])),
        "signature": hex::encode(cert.signature().0),
        "hash": hex::encode(cert.hash()),
        "journalLine": cert.to_journal_line(),
    })
}

/// A certificate line holding `bytes` (postcard of body and signature, or anything else).
fn certificate_line(bytes: &[u8]) -> String {
    format!(r#"{{"certificate":"{}"}}"#, hex::encode(bytes))
}

/// The line of `body` with `sig`, as a tamperer writes it (no key needed).
fn certificate_line_with(body: &CertificateBody, sig: &[u8; 64]) -> String {
    let tag = fiscal_core::internal::CERTIFICATE_TAG.len();
    certificate_line(&[&body.signed_bytes()[tag..], &sig[..]].concat())
}

/// The code the engine gives a certificate line: reading it, then checking it against the
/// trusted authority (signature first, then the rules of §12.1).
fn certificate_error(line: &str, authority: &fiscal_core::PublicKey) -> Option<&'static str> {
    match Certificate::from_journal_line(line) {
        Err(e) => Some(e.code().as_str()),
        Ok(c) => c.verify(authority).err().map(|e| e.code().as_str()),
    }
}

struct CCase {
    id: u64,
    comment: String,
    rules: Vec<&'static str>,
    flags: Vec<&'static str>,
    body: CertificateBody,
}

fn ccase(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    flags: &[&'static str],
    change: impl FnOnce(&mut CertificateBody),
) -> CCase {
    let mut body = body(&device_key());
    change(&mut body);
    CCase {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: flags.to_vec(),
        body,
    }
}

/// Certificate bodies the authority signs (valid) and bodies it must refuse (invalid).
fn certificate_bodies() -> (Vec<CCase>, Vec<CCase>) {
    let from = body(&device_key()).valid_from;
    // (The journals' certificate, 2026-01-01 to 2029-01-01, is itself 1 096 days long.)
    let valid = vec![
        ccase(
                90,
            "the certificate of the journals in journals.json: the taxpayer's name and VÖEN (printed from it, not from the POS), the object's code, name and address, the kassa's model and factory number, the NMQ's factory and registration numbers, the validity and the device key, all under the authority's signature",
            &["NM-09", "NM-10", "PK-07", "RC-01", "RC-02", "RC-04", "RC-07", "RC-16"],
            &["journal"],
            |_| {},
        ),
        ccase(
                91,
            "the certificate of the short-lived journal: another device (device 3), serial and kassa factory number, valid 4 hours",
            &["NM-08", "NM-09"],
            &["journal"],
            |b| {
                b.serial = 1003;
                b.kassa_factory_number = "KX2-000125".into();
                b.valid_from = on(23, 8, 0, 0);
                b.valid_until = on(23, 12, 0, 0);
                b.device_key = short_lived_key().public_key();
            },
        ),
        ccase(
                92,
            "valid exactly 1 096 days from 23.11.2026 08:00 (Baku), the longest allowed (3 years)",
            &["NM-08"],
            &["limits"],
            |b| {
                b.valid_from = on(23, 8, 0, 0);
                b.valid_until = b.valid_from.plus(1_096 * Timestamp::DAY);
            },
        ),
        ccase(
                93,
            "valid 1 ms, the shortest allowed",
            &["NM-08"],
            &["limits"],
            |b| b.valid_until = from.plus(1),
        ),
        ccase(
                94,
            "the largest serial (u64 max, a 10-byte varint)",
            &["NM-09"],
            &["varint", "limits"],
            |b| b.serial = u64::MAX,
        ),
        ccase(
                95,
            "texts of 256 characters, the most allowed: 2-byte letters (Ə, ş, Ж: 512 bytes, a 2-byte length) and ASCII (256 bytes)",
            &["RC-01", "RC-04", "RC-07"],
            &["varint", "limits", "text"],
            |b| {
                b.taxpayer_name = "Ə".repeat(256);
                b.object_address = "ş".repeat(256);
                b.object_name = "Ж".repeat(256);
                b.kassa_model = "M".repeat(256);
            },
        ),
        ccase(
                96,
            "printed characters of §4.2 in the taxpayer's and object's names (quotes, №, «», ’, Cyrillic) and a VÖEN with leading zeros",
            &["RC-01", "RC-02", "RC-04"],
            &["text"],
            |b| {
                b.taxpayer_name = "\"Günəş-Ər\" MMC — Ömər’in şirkəti".into();
                b.voen = "0012345678".into();
                b.object_name = "Магазин «Ulduz» №7".into();
                b.object_code = "OBJ/0042-Ş".into();
            },
        ),
        ccase(
                97,
            "a device key with prefix 03 (odd y; device 4)",
            &["NM-10"],
            &["key"],
            |b| b.device_key = PrivateKey::from_seed(b"fiscal-core test device 4").public_key(),
        ),
        ccase(
                98,
            "valid from 1 ms before 1970 (a negative moment, zigzag 01) for a day",
            &["NM-09"],
            &["time"],
            |b| {
                b.valid_from = Timestamp::from_millis(-1);
                b.valid_until = Timestamp::from_millis(Timestamp::DAY);
            },
        ),
    ];
    let invalid = vec![
        ccase(99, "a VÖEN of 9 digits", &["RC-02", "NM-09"], &["voen"], |b| {
            b.voen = "123456789".into()
        }),
        ccase(
                100,
            "a VÖEN of 10 characters with a letter",
            &["RC-02", "NM-09"],
            &["voen"],
            |b| b.voen = "12345678A1".into(),
        ),
        ccase(
                101,
            "an empty taxpayer name",
            &["RC-01", "PK-07"],
            &["rule-text"],
            |b| b.taxpayer_name = String::new(),
        ),
        ccase(
                102,
            "an object name of spaces only",
            &["RC-04"],
            &["rule-text"],
            |b| b.object_name = "   ".into(),
        ),
        ccase(
                103,
            "an object address of 257 characters (one over)",
            &["RC-04"],
            &["rule-text", "limits"],
            |b| b.object_address = "ə".repeat(257),
        ),
        ccase(
                104,
            "an object code with a line break (a control character)",
            &["RC-04", "NM-09"],
            &["rule-text"],
            |b| b.object_code = "OBJ-\n0042".into(),
        ),
        ccase(
                105,
            "a kassa factory number with a right-to-left override (U+202E), which can hide what is printed",
            &["RC-07"],
            &["rule-text"],
            |b| b.kassa_factory_number = "KX2-\u{202E}321000".into(),
        ),
        ccase(
                106,
            "an NMQ registration number with a tab",
            &["RC-16"],
            &["rule-text"],
            |b| b.nmq_registration_number = "AZ-NMQ\t2026-000789".into(),
        ),
        ccase(
                107,
            "valid until the moment it is valid from: an empty period",
            &["NM-08"],
            &["validity"],
            |b| b.valid_until = b.valid_from,
        ),
        ccase(
                108,
            "valid until 1 ms before it is valid from",
            &["NM-08"],
            &["validity"],
            |b| b.valid_until = b.valid_from.plus(-1),
        ),
        ccase(
                109,
            "valid 1 096 days and 1 ms: over 3 years",
            &["NM-08"],
            &["validity", "limits"],
            |b| b.valid_until = b.valid_from.plus(1_096 * Timestamp::DAY + 1),
        ),
    ];
    (valid, invalid)
}

/// Certificate lines a reader or verifier must refuse, with the one code of the first fault.
fn certificate_line_cases() -> Vec<DCase> {
    let key = device_key();
    let good = body(&key);
    let cert = Certificate::issue(good.clone(), &authority()).unwrap();
    let sig = cert.signature().0;
    let bytes = cert.to_bytes();
    let mut out = Vec::new();
    let mut add = |id: u64,
                   comment: &str,
                   rules: &[&'static str],
                   flags: &[&'static str],
                   line: String,
                   error: &'static str| {
        out.push(DCase {
            id,
            comment: comment.into(),
            rules: rules.to_vec(),
            flags: flags.to_vec(),
            line,
            error,
        });
    };
    let mut s = sig;
    s[63] ^= 1;
    add(
        110,
        "one bit of the authority's s flipped",
        &["NM-10"],
        &["cert-signature"],
        certificate_line_with(&good, &s),
        "certificate_signature",
    );
    add(
        111,
        "the high-S twin of the authority's signature",
        &["NM-10"],
        &["cert-signature", "high-s"],
        certificate_line_with(&good, &high_s(cert.signature())),
        "certificate_signature",
    );
    add(
        112,
        "the same body signed by another authority (not the trusted one)",
        &["NM-10"],
        &["cert-signature"],
        Certificate::issue(
            good.clone(),
            &PrivateKey::from_seed(b"fiscal-core fake authority"),
        )
        .unwrap()
        .to_journal_line(),
        "certificate_signature",
    );
    let altered = |change: &dyn Fn(&mut CertificateBody)| {
        let mut b = good.clone();
        change(&mut b);
        certificate_line_with(&b, &sig)
    };
    add(
                113,
        "the taxpayer's name changed after signing (the name receipts print comes from the certificate)",
        &["RC-01", "PK-07", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.taxpayer_name = "Başqa MMC".into()),
        "certificate_signature",
    );
    add(
        114,
        "the VÖEN changed after signing",
        &["RC-02", "PK-07", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.voen = "9876543210".into()),
        "certificate_signature",
    );
    add(
                115,
        "the kassa factory number changed after signing: the certificate no longer names this kassa",
        &["U-05", "RC-07", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.kassa_factory_number = "KX2-000999".into()),
        "certificate_signature",
    );
    add(
        116,
        "validUntil moved one year later after signing",
        &["NM-08", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.valid_until = b.valid_until.plus(365 * Timestamp::DAY)),
        "certificate_signature",
    );
    add(
        117,
        "the device key replaced by another device's after signing",
        &["NM-10"],
        &["cert-signature", "altered"],
        altered(&|b| b.device_key = PrivateKey::from_seed(b"forger").public_key()),
        "certificate_signature",
    );
    let mut bad = good.clone();
    bad.voen = "123456789".into();
    add(
                118,
        "a VÖEN of 9 digits, signed by the authority: the signature verifies, the rules of §12.1 do not hold",
        &["RC-02", "NM-09"],
        &["voen"],
        certificate_line_with(&bad, &authority().sign(&bad.signed_bytes()).0),
        "invalid_certificate",
    );
    let mut b = bytes.clone();
    b.push(0);
    add(
        119,
        "a byte after the certificate",
        &["NM-09"],
        &["trailing"],
        certificate_line(&b),
        "invalid_certificate",
    );
    let mut b = bytes.clone();
    b.pop();
    add(
        120,
        "the last byte missing",
        &["NM-09"],
        &["truncated"],
        certificate_line(&b),
        "invalid_certificate",
    );
    // serial 1001 = e9 07; written e9 87 00 it decodes to the same number.
    assert_eq!(bytes[..2], [0xe9, 0x07]);
    let b = [&[0xe9, 0x87, 0x00][..], &bytes[2..]].concat();
    add(
                121,
        "the serial as a three-byte varint (e9 87 00 for 1001): not canonical, though the signature over the re-encoded body verifies",
        &["NM-09"],
        &["canonical"],
        certificate_line(&b),
        "invalid_certificate",
    );
    let key_at = bytes.len() - 64 - 33;
    let mut b = bytes.clone();
    b[key_at] = 0x05;
    add(
        122,
        "the device key's prefix 05: not a compressed SEC1 point",
        &["NM-10"],
        &["key"],
        certificate_line(&b),
        "invalid_certificate",
    );
    add(
        123,
        "the certificate is not hexadecimal",
        &["NM-09"],
        &["hex"],
        format!(r#"{{"certificate":"{}zz"}}"#, hex::encode(&bytes)),
        "invalid_certificate",
    );
    out
}

fn encoding_expected(body: &DocumentBody, key: &PrivateKey, qr_base: &str) -> Value {
    let doc = sign(body.clone(), key);
    json!({
        "bytes": hex::encode(doc.signed_bytes()),
        "sha256": hex::encode(sha256(&[doc.signed_bytes()])),
        "signature": hex::encode(doc.signature().0),
        "fiscalId": doc.id().long(),
        "shortId": doc.id().short(),
        "qrPayload": fiscal_core::qr::payload(qr_base, &doc.id()),
        "journalLine": doc.to_journal_line(),
    })
}

fn encoding_file() -> Value {
    let m = main_journal();
    let key = PrivateKey::from_seed(DEVICE_SEED.as_bytes());
    assert_eq!(key.public_key(), device_key().public_key());
    let (_, sl) = short_lived();
    let names = [
        "activation (document 1, chained to the certificate's hash)",
        "open shift",
        "deposit",
        "sale with cash handed over and change",
        "card sale: a weighed item and a VAT-exempt one, with the card's RRN",
        "credit sale with a contract number",
        "advance",
        "sale against an advance",
        "return (of a sale), parent by long ID",
        "credit payment 1, parent by upper-case short ID",
        "sale at simplified tax 8%",
        "cancel, with the voided receipt's amounts",
        "withdrawal",
        "Z-report of a shift with every receipt kind",
        "open shift 2",
        "sale",
        "credit payment 2",
        "return paid back by card (VAT-exempt line)",
        "correction",
        "Z-report with a correction and returns",
        "decommission",
    ];
    let rules_of = |c: &Content| -> Vec<&'static str> {
        match c {
            Content::Activation { .. } => vec!["LC-01", "NM-02", "NM-06"],
            Content::OpenShift => vec!["PK-02", "NM-02"],
            Content::ZReport(_) => vec!["PK-02", "NM-02"],
            Content::Decommission => vec!["LC-02", "NM-02"],
            Content::Cancel { .. } => vec!["RC-15", "RC-17", "NM-02"],
            Content::Request(r) => match r.doc_type() {
                DocType::Return => vec!["RC-15", "RC-17", "NM-02"],
                DocType::CreditPayment => vec!["RC-15", "RC-18", "NM-02"],
                DocType::Advance => vec!["RC-11", "RC-15", "NM-02"],
                DocType::Deposit | DocType::Withdraw => vec!["PK-02", "NM-02"],
                DocType::Correction => vec!["PK-01", "NM-02"],
                _ => vec!["RC-05", "RC-15", "NM-02"],
            },
            _ => vec!["NM-02"],
        }
    };
    let mut cases: Vec<(usize, ECase)> = m
        .docs
        .iter()
        .zip(names)
        .map(|(d, name)| {
            (
                0,
                ecase(
                    d.number(),
                    &format!("journal document {}: {name}", d.number()),
                    &[],
                    &["journal"],
                    d.body().clone(),
                ),
            )
        })
        .collect();
    for c in &mut cases {
        c.1.rules = rules_of(&c.1.body.content);
    }
    for c in handcrafted_bodies() {
        cases.push((0, c));
    }
    // The same documents with another QR base (RC-09): only the QR payload depends on it.
    for (tc_id, d, name) in [
        (46, &m.docs[3], "sale"),
        (47, &sl[2], "a sale of the short-lived journal"),
        (48, &m.docs[13], "Z-report"),
    ] {
        cases.push((
            1,
            ecase(
                tc_id,
                &format!("{name}, with the QR base {CUSTOM_QR_BASE}"),
                &["RC-09", "NM-02"],
                &["qr-base"],
                d.body().clone(),
            ),
        ));
    }
    let mut groups: Vec<Vec<Value>> = vec![Vec::new(); 5];
    let bases = [fiscal_core::qr::DEFAULT_QR_BASE, CUSTOM_QR_BASE];
    for (g, c) in cases {
        let id = c.id;
        let mut rules = c.rules.clone();
        rules.sort_unstable();
        rules.dedup();
        groups[g].push(json!({
            "tcId": id, "comment": c.comment, "rules": rules, "flags": c.flags,
            "input": {"body": structured(&c.body)},
            "result": "valid",
            "expected": encoding_expected(&c.body, &key, bases[g]),
        }));
    }
    let device = key.public_key();
    for c in decode_cases(&m) {
        let id = c.id;
        assert_eq!(
            decode_error(&c.line, &device),
            Some(c.error),
            "{}",
            c.comment
        );
        groups[2].push(json!({
            "tcId": id, "comment": c.comment, "rules": c.rules, "flags": c.flags,
            "input": {"journalLine": c.line},
            "result": "invalid",
            "errors": [c.error],
        }));
    }
    // The certificate (SPEC.md §12): bodies, then lines; the ids follow on.
    let (valid_certs, invalid_certs) = certificate_bodies();
    for c in valid_certs {
        let id = c.id;
        groups[3].push(json!({
            "tcId": id, "comment": c.comment, "rules": sorted(&c.rules), "flags": c.flags,
            "input": {"certificate": structured_certificate(&c.body)},
            "result": "valid",
            "expected": certificate_expected(&c.body),
        }));
    }
    for c in invalid_certs {
        let id = c.id;
        let err = Certificate::issue(c.body.clone(), &authority()).unwrap_err();
        assert_eq!(err.code().as_str(), "invalid_certificate", "{}", c.comment);
        groups[3].push(json!({
            "tcId": id, "comment": c.comment, "rules": sorted(&c.rules), "flags": c.flags,
            "input": {"certificate": structured_certificate(&c.body)},
            "result": "invalid",
            "errors": ["invalid_certificate"],
        }));
    }
    let trusted = authority().public_key();
    for c in certificate_line_cases() {
        let id = c.id;
        assert_eq!(
            certificate_error(&c.line, &trusted),
            Some(c.error),
            "{}",
            c.comment
        );
        groups[4].push(json!({
            "tcId": id, "comment": c.comment, "rules": sorted(&c.rules), "flags": c.flags,
            "input": {"certificateLine": c.line},
            "result": "invalid",
            "errors": [c.error],
        }));
    }
    // Lines with a repeated member (SPEC.md §8.3, §13.5), added after the certificate lines so
    // that every earlier tcId stays: a document line in group 3, a certificate line in group 5.
    let doc_line = m.doc(4).to_journal_line();
    let number = m.doc(4).number();
    let cert_line = certificate().to_journal_line();
    let repeated = [
        (
            124,
            2,
            "a document line with its number twice: the line reads two ways",
            doc_line.replacen(
                &format!(r#"{{"number":{number},"#),
                &format!(r#"{{"number":{number},"number":{number},"#),
                1,
            ),
        ),
        (
            125,
            4,
            "a certificate line with its certificate member twice (the second written with a \\u escape)",
            cert_line.replacen(
                r#"{"certificate":"#,
                r#"{"certificate":"00","\u0063ertificate":"#,
                1,
            ),
        ),
    ];
    for (id, g, comment, line) in repeated {
        let code = if g == 2 {
            Document::from_journal_line(&line).unwrap_err().code()
        } else {
            Certificate::from_journal_line(&line).unwrap_err().code()
        };
        assert_eq!(code.as_str(), "duplicate_member", "{comment}");
        groups[g].push(json!({
            "tcId": id, "comment": comment, "rules": ["PK-11"], "flags": ["duplicate-member"],
            "input": {(if g == 2 { "journalLine" } else { "certificateLine" }): line},
            "result": "invalid",
            "errors": ["duplicate_member"],
        }));
    }
    let pk = hex::encode(device.to_sec1());
    let apk = hex::encode(trusted.to_sec1());
    let certificate_notes = json!({
            "voen": "the VÖEN (10 digits, RC-02)", "rule-text": "a certified text that breaks §12.1 (empty, over 256 characters, not printable by §4.2)",
            "validity": "a validity period that breaks §12.1 (empty, or over 1 096 days)", "key": "the device key's SEC1 form",
            "cert-signature": "the certificate's signature does not verify with the trusted authority's key (certificate_signature)",
            "structured-certificate": "SPEC.md §13.6: {serial, kassaModel, kassaFactoryNumber, nmqFactoryNumber, nmqRegistrationNumber, taxpayerName, voen, objectCode, objectName, objectAddress, validFrom, validUntil, deviceKey}: the fields of §12.1 in their order; serial and the moments (ms since 1970 UTC) are JSON integers, deviceKey is the 33-byte compressed SEC1 key in hex.",
    });
    check_tc_ids(
        "encoding",
        groups.iter().flatten().map(|t| {
            (
                t["tcId"].as_u64().unwrap_or(0),
                t["comment"].as_str().unwrap_or(""),
            )
        }),
    );
    let mut file = json!({
        "schema": "fiscal-core-vectors/encoding/v1",
        "schemaFile": "schemas/encoding.schema.json",
        "suiteVersion": "1",
        "spec": "spec/SPEC.md §12, §13",
        "comment": "Encode: input.body is a document body in the structured JSON form of SPEC.md §13.6; expected = its signed bytes (DOCUMENT_TAG ‖ postcard(body), hex), SHA-256 of them, the device's ECDSA P-256 signature (RFC 6979, low-S, r ‖ s), the fiscal ID (long), short ID, QR payload (qrBase ‖ long ID) and journal line (§13.5). The device key is derived from deviceSeed by §12.3 (devicePublicKey is its compressed SEC1 form). Decode: input.journalLine is a line a reader must refuse: errors = the one code (§9) of the first fault, the signature checked against devicePublicKey. Certificate (groups 4 and 5, SPEC.md §12): input.certificate is a certificate body in the structured form of §13.6 (notes: structured-certificate); expected = its signed bytes (CERTIFICATE_TAG ‖ postcard(body), hex), SHA-256 of them, the authority's ECDSA P-256 signature (RFC 6979, low-S, r ‖ s) with the key of authoritySeed (§12.3; authorityPublicKey is its compressed SEC1 form), the certificate's hash (§12.2) and its journal line (§13.5); or, for a body that breaks §12.1, errors = [invalid_certificate]. input.certificateLine is a certificate line a reader must refuse: errors = the one code of the first fault, read, then checked against authorityPublicKey (certificate_signature), then against §12.1 (invalid_certificate).",
        "notes": {
            "journal": "a document, or the certificate, of a journal in journals.json (fiscal-core/tests/journal_vectors.rs)",
            "payments": "every payment form", "codes": "item codes", "units": "units of measure",
            "adjustments": "discount, markup, department", "margin": "VAT on the trade margin",
            "groups": "several tax groups", "deferred": "advance offset or credit",
            "return": "a return", "credit": "a credit payment", "correction": "a correction",
            "bare-cancel": "Request::Cancel inside a document: valid bytes, refused by a verifier (content_invalid)",
            "varint": "a value whose varint or zigzag encoding is long", "limits": "a value at its limit",
            "fuel": "4-decimal unit price", "text": "non-ASCII text", "time": "a moment at an edge",
            "qr-base": "a QR base other than the default (group 2)",
            "trailing": "bytes after the document or certificate", "truncated": "bytes missing",
            "canonical": "decodes, but does not re-encode to the same bytes",
            "tag": "the domain-separation tag", "enum": "an unknown variant index", "option": "an option tag other than 00 or 01",
            "range": "a value outside its range (§3.1)", "hex": "not hexadecimal, or the wrong length",
            "line": "the journal line's JSON (§13.5)", "spelling": "the same document spelled otherwise than the device writes it (§13.5: one spelling)", "fiscal-id": "the declared ID is not the computed one",
            "signature": "the signature does not verify with the device key", "high-s": "a high-S signature (SPEC.md §13.2)",
            "altered": "the bytes changed after signing",
            "duplicate-member": "a member repeated in one object (names compared after unescaping): the line reads two ways (SPEC.md §8.3, §13.5)",
            "structured-body": "SPEC.md §13.6: {number, time (ms since 1970 UTC), shift, shiftReceipt, previous (64 hex), content}; content.type is activation {certificate} | open_shift | sale {receipt, advances, creditContract} | return {receipt, parent, returnOf} | cancel_request {cashier, parent} | advance {receipt} | credit_payment {receipt, parent, instalment, debtLeft, creditContract} | deposit {cashier, amount} | withdraw {cashier, amount} | correction {cashier, payments, totals} | cancel {cashier, parent, voided} | zreport {report} | decommission. Decimals are strings with exactly their scale (amount 2, quantity 3, unit price 4, percent 2); an absent option is null.",
        },
        "testGroups": [
            {"deviceSeed": DEVICE_SEED, "devicePublicKey": pk, "qrBase": bases[0], "tests": groups[0]},
            {"deviceSeed": DEVICE_SEED, "devicePublicKey": pk, "qrBase": bases[1], "tests": groups[1]},
            {"deviceSeed": DEVICE_SEED, "devicePublicKey": pk, "qrBase": bases[0], "tests": groups[2]},
            {"authoritySeed": AUTHORITY_SEED, "authorityPublicKey": apk, "tests": groups[3]},
            {"authoritySeed": AUTHORITY_SEED, "authorityPublicKey": apk, "tests": groups[4]},
        ],
    });
    let notes = file["notes"].as_object_mut().unwrap();
    for (k, x) in certificate_notes.as_object().unwrap() {
        notes.insert(k.clone(), x.clone());
    }
    file
}

// ---------------------------------------------------------------------------------------------

fn sorted(rules: &[&'static str]) -> Vec<&'static str> {
    let mut r = rules.to_vec();
    r.sort_unstable();
    r.dedup();
    r
}

fn write_or_compare(path: &str, v: &Value) {
    let text = serde_json::to_string_pretty(v).unwrap() + "\n";
    if std::env::var_os("FISCAL_CORE_BLESS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == text,
        "{path} is not what the cases give: regenerate with FISCAL_CORE_BLESS=1 and read the diff"
    );
}

fn tests_of(v: &Value) -> Vec<(Value, Value)> {
    v["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| {
            g["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |t| (g.clone(), t.clone()))
        })
        .collect()
}

/// Checks one encoding case against the engine (panics on a difference); true when valid.
pub(crate) fn check_encoding_case(g: &Value, t: &Value) -> bool {
    let id = t["tcId"].as_u64().unwrap();
    let valid;
    if let Some(seed) = g["authoritySeed"].as_str() {
        // A certificate case (SPEC.md §12).
        let signer = PrivateKey::from_seed(seed.as_bytes());
        assert_eq!(signer.public_key(), authority().public_key());
        let trusted = signer.public_key();
        assert_eq!(hex::encode(trusted.to_sec1()), g["authorityPublicKey"]);
        let input = &t["input"];
        if t["result"] == "valid" {
            valid = true;
            let e = &t["expected"];
            let cert = Certificate::from_journal_line(e["journalLine"].as_str().unwrap()).unwrap();
            cert.verify(&trusted).unwrap();
            assert_eq!(
                structured_certificate(cert.body()),
                input["certificate"],
                "tcId {id}"
            );
            assert_eq!(&certificate_expected(cert.body()), e, "tcId {id}");
            assert_eq!(
                &certificate_expected(&certificate_body_of(&input["certificate"])),
                e,
                "tcId {id}"
            );
        } else {
            valid = false;
            let got = match input.get("certificateLine") {
                Some(line) => certificate_error(line.as_str().unwrap(), &trusted),
                None => Certificate::issue(certificate_body_of(&input["certificate"]), &signer)
                    .err()
                    .map(|e| e.code().as_str()),
            };
            assert_eq!(json!([got]), t["errors"], "tcId {id}: {}", t["comment"]);
        }
        return valid;
    }
    let key = PrivateKey::from_seed(g["deviceSeed"].as_str().unwrap().as_bytes());
    assert_eq!(
        hex::encode(key.public_key().to_sec1()),
        g["devicePublicKey"]
    );
    if t["result"] == "valid" {
        valid = true;
        // Decode the expected bytes with the engine: the same structured body, and the
        // same signature, ID, QR payload and line when the engine signs it again.
        let e = &t["expected"];
        let doc = Document::from_journal_line(e["journalLine"].as_str().unwrap()).unwrap();
        assert!(doc.verify(&key.public_key()), "tcId {id}");
        assert_eq!(structured(doc.body()), t["input"]["body"], "tcId {id}");
        assert_eq!(
            &encoding_expected(doc.body(), &key, g["qrBase"].as_str().unwrap()),
            e,
            "tcId {id}"
        );
    } else {
        valid = false;
        let got = decode_error(
            t["input"]["journalLine"].as_str().unwrap(),
            &key.public_key(),
        );
        assert_eq!(json!([got]), t["errors"], "tcId {id}: {}", t["comment"]);
    }
    valid
}

#[test]
fn every_encoding_vector_holds_against_the_engine() {
    let generated = encoding_file();
    write_or_compare(ENCODING, &generated);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(ENCODING).unwrap()).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    let mut ids = BTreeSet::new();
    for (g, t) in tests_of(&file) {
        let id = t["tcId"].as_u64().unwrap();
        assert!(ids.insert(id), "tcId {id} twice");
        if check_encoding_case(&g, &t) {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(
        valid >= 40 && invalid >= 20 && valid + invalid >= 60,
        "{valid} + {invalid}"
    );
}

#[test]
fn every_journal_vector_holds_against_the_engine() {
    let generated = journal_file();
    write_or_compare(JOURNALS, &generated);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(JOURNALS).unwrap()).unwrap();
    let mut ids = BTreeSet::new();
    let mut count = 0;
    for (g, t) in tests_of(&file) {
        count += 1;
        let id = t["tcId"].as_u64().unwrap();
        assert!(ids.insert(id), "tcId {id} twice");
        let authority = fiscal_core::PublicKey::from_sec1(
            &hex::decode(g["authorityPublicKey"].as_str().unwrap()).unwrap(),
        )
        .unwrap();
        let lines: Vec<&str> = t["input"]["journal"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let report = verify_journal(&lines.join("\n"), &authority, &rates());
        if t["result"] == "valid" {
            assert!(report.is_valid(), "tcId {id}: {:?}", report.findings);
            assert_eq!(t["expected"]["documents"], report.documents);
            assert_eq!(t["expected"]["receipts"], report.receipts);
        } else {
            let found: BTreeSet<(String, Option<u64>)> = report
                .findings
                .iter()
                .map(|x| (x.code.as_str().to_string(), x.number))
                .collect();
            let want: BTreeSet<(String, Option<u64>)> = t["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    (
                        x["code"].as_str().unwrap().to_string(),
                        x["number"].as_u64(),
                    )
                })
                .collect();
            assert_eq!(found, want, "tcId {id}: {}", t["comment"]);
            let codes: BTreeSet<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
            assert_eq!(json!(codes), t["errors"], "tcId {id}");
        }
    }
    assert!(count >= 60, "only {count} journal vectors");
}
