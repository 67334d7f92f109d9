//! The encoding family run through the engine (`spec/vectors/encoding.json`): a document body's
//! structured JSON form (SPEC.md §13.6) and its expected bytes, hash, signature, IDs, QR
//! payload and journal line; the code a reader gives a refused document line; the same for a
//! certificate (§12). Shared by the check (`fiscal-core/tests/journal_vectors.rs`,
//! `conformance.rs`) and the generator (`spec/vectorgen`), which includes this file with
//! `#[path]`.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use fiscal_core::internal::sha256;
use fiscal_core::{
    Adjustment, Certificate, CertificateBody, Content, DocType, Document, DocumentBody, PrivateKey,
    ReceiptBody, Request, ShiftReport, TaxGroup, Timestamp,
};
use serde_json::{json, Value};

/// The device seed of the encoding vectors (SPEC.md §12.3): the journal device's.
pub(crate) const DEVICE_SEED: &str = "fiscal-core test device 1";
/// The authority seed of the certificate cases and the journals (SPEC.md §12.3).
pub(crate) const AUTHORITY_SEED: &str = "fiscal-core test authority";

/// The authority's key, from [`AUTHORITY_SEED`] (test key only).
fn authority() -> PrivateKey {
    PrivateKey::from_seed(AUTHORITY_SEED.as_bytes())
}

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
pub(crate) fn structured(b: &DocumentBody) -> Value {
    json!({
        "number": b.number, "time": b.time.millis(), "shift": b.shift,
        "shiftReceipt": b.shift_receipt, "previous": hex::encode(b.previous),
        "content": content(&b.content),
    })
}

// ---------------------------------------------------------------------------------------------
// Signing and forging.

// ---------------------------------------------------------------------------------------------
// Signing, reading and the expected values.

/// The document of `body` signed with `key`.
pub(crate) fn sign(body: DocumentBody, key: &PrivateKey) -> Document {
    let bytes = body.signed_bytes();
    {
        let (s, r) = key.sign_with_nonce(&bytes);
        Document::from_parts(&bytes, s, r)
    }
    .unwrap()
}

pub(crate) fn decode_error(line: &str, device: &fiscal_core::PublicKey) -> Option<&'static str> {
    match Document::from_journal_line(line) {
        Err(e) => Some(e.code().as_str()),
        Ok(d) if !d.verify(device) => Some("bad_signature"),
        Ok(_) => None,
    }
}

/// The structured JSON form of a certificate body (SPEC.md §13.6).
pub(crate) fn structured_certificate(b: &CertificateBody) -> Value {
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
pub(crate) fn certificate_body_of(v: &Value) -> CertificateBody {
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

pub(crate) fn certificate_expected(b: &CertificateBody) -> Value {
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

/// The code the engine gives a certificate line: reading it, then checking it against the
/// trusted authority (signature first, then the rules of §12.1).
pub(crate) fn certificate_error(
    line: &str,
    authority: &fiscal_core::PublicKey,
) -> Option<&'static str> {
    match Certificate::from_journal_line(line) {
        Err(e) => Some(e.code().as_str()),
        Ok(c) => c.verify(authority).err().map(|e| e.code().as_str()),
    }
}

pub(crate) fn encoding_expected(body: &DocumentBody, key: &PrivateKey, qr_base: &str) -> Value {
    let doc = sign(body.clone(), key);
    json!({
        "bytes": hex::encode(doc.signed_bytes()),
        "sha256": hex::encode(sha256(&[doc.signed_bytes()])),
        "signature": hex::encode(doc.signature().0),
        "noncePoint": hex::encode(doc.nonce_point().0),
        "fiscalId": doc.id().long(),
        "shortId": doc.id().short(),
        "qrPayload": fiscal_core::qr::payload(qr_base, &doc.id()),
        "journalLine": doc.to_journal_line(),
    })
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
