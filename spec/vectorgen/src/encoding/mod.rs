//! The encoding family (`spec/vectors/encoding.json`): a document body in the structured JSON
//! form of SPEC.md §13.6 → its canonical bytes, SHA-256, deterministic low-S signature, fiscal
//! ID, short ID, QR payload and journal line; journal lines a reader must refuse
//! (`invalid_document`, `wrong_fiscal_id`, `bad_signature`, …); and the same for certificates
//! (§12): bodies the authority signs or must refuse, lines a reader must refuse. The expected
//! values are the engine's; `spec/tools/references/check_encoding.py` re-derives every valid
//! vector independently.

mod bodies;
mod certificate;
mod certificate_lines;
mod decode;

use fiscal_core::internal::sha256;
use fiscal_core::{Certificate, Content, DocType, Document, DocumentBody, PrivateKey, Timestamp};
use serde_json::{json, Value};

use crate::engine::device::{authority, certificate, device_key};
use crate::engine::encoding::{
    certificate_error, certificate_expected, decode_error, encoding_expected, structured,
    structured_certificate, AUTHORITY_SEED, DEVICE_SEED,
};
use crate::engine::tc_ids::check_tc_ids;
use crate::journal::genuine::{main_journal, short_lived};
use bodies::handcrafted_bodies;
use certificate::certificate_bodies;
use certificate_lines::certificate_line_cases;
use decode::decode_cases;

/// The QR base of group 2 (RC-09).
const CUSTOM_QR_BASE: &str = "https://kassa.example.az/yoxla?id=";

/// A valid body: its tcId, what it shows, the rules it cites, its flags and the body.
pub(crate) struct ECase {
    pub(crate) id: u64,
    pub(crate) comment: String,
    pub(crate) rules: Vec<&'static str>,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) body: DocumentBody,
}

pub(crate) fn ecase(
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

/// A body numbered `number` with a made-up `previous`.
pub(crate) fn header(
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

/// The whole of `encoding.json`.
pub(crate) fn encoding_file() -> Value {
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
            "journal": "a document, or the certificate, of a journal in journals.json (spec/vectorgen/src/journal/genuine.rs)",
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
            "signature": "the signature does not verify with the device key", "nonce-point": "the nonce point R written with the signature is wrong or malformed (SPEC.md §13.2, v3)", "high-s": "a high-S signature (SPEC.md §13.2)",
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

/// Rules sorted, each once.
fn sorted(rules: &[&'static str]) -> Vec<&'static str> {
    let mut r = rules.to_vec();
    r.sort_unstable();
    r.dedup();
    r
}
