//! Writes the seed corpus under `fuzz/corpus/<target>/` (run from `fuzz/`:
//! `cargo run --example make_seeds`). Deterministic: running it again writes the same files.

use std::fs;
use std::path::Path;

use fiscal_core::internal::DOCUMENT_TAG;
use fiscal_core_fuzz::ops::Run;
use fiscal_core_fuzz::{decode_steps, encode_step, genuine};

fn put(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new("corpus").join(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

fn main() {
    // Requests: the README's and SPEC.md §10's, one of each kind, and the deployed envelope.
    let requests = [
        r#"{"doc_type": "sale", "data": {"cashier": "Aysel", "items": [{"itemName": "Süd 1 l", "itemQuantity": 2, "itemPrice": 2.35, "itemVatPercent": 18}], "cashSum": 4.70, "incomingSum": 5}}"#,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},{"itemName":"Süd","itemQuantity":1,"itemPrice":2.35,"itemVatPercent":18},{"itemName":"Pendir","itemQuantity":0.750,"itemPrice":4.99,"itemVatPercent":18},{"itemName":"Dərman","itemQuantity":1,"itemPrice":5.00},{"itemName":"Eksport","itemQuantity":1,"itemPrice":3.00,"itemVatPercent":0}],"cashSum":10.29,"cashlessSum":5.00,"incomingSum":20.00,"vatAmounts":[{"vatSum":7.29,"vatPercent":18},{"vatSum":3.00,"vatPercent":0},{"vatSum":5.00}]}}"#,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000,"creditContract":"K-2026/15"}}"#,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Alma","itemQuantity":2,"itemPrice":1.50,"itemVatPercent":18,"itemMarginSum":0.59,"itemCodeType":2,"itemCode":"4006381333931","itemQuantityType":1}],"cashlessSum":3.00}}"#,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Plov","itemQuantity":1,"itemPrice":12.50,"taxTreatment":"simplified","itemVatPercent":8,"department":3,"departmentName":"Mətbəx","discount":1.00}],"bonusSum":2.50,"cashSum":10,"rrn":"123456789012"}}"#,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Benzin Aİ-92","itemQuantity":30.125,"itemPrice":1.0000,"itemVatPercent":18}],"fuelCardSum":30.13,"vehiclePlate":"10-AB-123"}}"#,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}],"cashSum":30,"prepaymentSum":20,"parents":["0123456789abcdef0123"]}}"#,
        r#"{"doc_type":"money_back","data":{"cashier":"Aysel","parentDocument":"0123456789ab","moneyBackType":0,"items":[{"itemName":"Çörək","itemQuantity":1,"itemPrice":0.60,"itemVatPercent":18}],"cashSum":0.60}}"#,
        r#"{"doc_type":"rollback","data":{"cashier":"Aysel","parentDocument":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}"#,
        r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: tort","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#,
        r#"{"doc_type":"creditpay","data":{"cashier":"Aysel","parentDocument":"0123456789ab","paymentNumber":1,"residue":900,"items":[{"itemName":"Nisyə ödənişi","itemQuantity":1,"itemPrice":100,"itemVatPercent":18,"itemCodeType":5,"itemCode":"K-15"}],"cashSum":100}}"#,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":200}}"#,
        r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":"150.00"}}"#,
        r#"{"doc_type":"correction","data":{"cashier":"Aysel","sum":118,"cashSum":100,"cashlessSum":18,"vatAmounts":[{"vatSum":118,"vatPercent":18}]}}"#,
        r#"{"requestData":{"tokenData":{"parameters":{"doc_type":"sale","data":{"cashier":"Aysel","currency":"AZN","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"cashSum":1.20}}}}}"#,
    ];
    for (i, r) in requests.iter().enumerate() {
        put("request_json", &format!("spec-{i:02}.json"), r.as_bytes());
    }

    let (lines, docs) = genuine();
    // Journal and certificate lines: the certificate and one document of each kind.
    let mut kinds = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let name = d.body().content.name();
        if !kinds.contains(&name) {
            kinds.push(name);
            put(
                "journal_line",
                &format!("doc-{name}.jsonl"),
                lines[i + 1].as_bytes(),
            );
            let body = &d.signed_bytes()[DOCUMENT_TAG.len()..];
            put(
                "document_bytes",
                &format!("body-{name}.bin"),
                &[&[1u8][..], body].concat(),
            );
        }
    }
    put("journal_line", "certificate.jsonl", lines[0].as_bytes());
    let cert = fiscal_core::Certificate::from_journal_line(&lines[0]).unwrap();
    put("certificate", "canonical.bin", &cert.to_bytes());
    put("certificate", "certificate.json", cert.to_json().as_bytes());
    put("certificate", "certificate.jsonl", lines[0].as_bytes());

    // The verifier: the genuine journal's first shift, as text and as mutation seeds.
    let first_shift = lines[..15].join("\n");
    put(
        "journal_verify",
        "genuine-shift.jsonl",
        &[b"\x00", first_shift.as_bytes()].concat(),
    );
    // Mode byte: bit 0 mutates the genuine journal (else the rest is the journal text), bit 1
    // verifies with the certificate given apart (the text then has no certificate line).
    let documents_only = lines[1..15].join("\n");
    put(
        "journal_verify",
        "genuine-shift-with-certificate.jsonl",
        &[b"\x02", documents_only.as_bytes()].concat(),
    );
    put(
        "journal_verify",
        "mutate-a.bin",
        b"\x01\x00\x05\x00\x40\x00\x01",
    );
    put(
        "journal_verify",
        "mutate-c.bin",
        b"\x03\x00\x05\x00\x40\x00\x01",
    );
    put(
        "journal_verify",
        "mutate-b.bin",
        b"\x01\x04\x03\x00\x04\x09\x00\x05\x02\x00\x07\x00",
    );
    let mut semantic = Vec::new();
    for d in docs.iter().take(16) {
        let body = &d.signed_bytes()[DOCUMENT_TAG.len()..];
        semantic.extend_from_slice(&u16::try_from(body.len()).unwrap().to_le_bytes());
        semantic.extend_from_slice(body);
    }
    put("verifier_semantics", "genuine-16.bin", &semantic);

    // The device: a day with every kind of document, and two days with restarts, a wrong PIN,
    // a shift left open too long and late uploads. Ops: 0 open, 1 sale, 2 advance, 3 sale
    // against advance, 4 return, 5 cancel, 6 instalment, 7 deposit, 8 withdraw, 9 correction,
    // 10 close, 11 PIN, 12 acknowledge, 13 restore, 14 decommission. Units: 1 s, 2 min, 3 h.
    let e = encode_step;
    let day: Vec<[u8; 12]> = vec![
        e(0, 2, 60, 0, 0, 0, 0),
        e(7, 1, 5, 50_000, 0, 0, 0),
        e(1, 1, 5, 120, 1, 0, 0),
        e(1, 1, 5, 118_000, 0, 3, 200),
        e(1, 1, 5, 300, 2, 4, 0),
        e(1, 1, 5, 499, 0, 5, 0),
        e(1, 1, 5, 250, 3, 2, 100),
        e(2, 1, 5, 1_999, 0, 0, 0),
        e(3, 1, 5, 3_000, 3, 0, 232),
        e(4, 1, 5, 59, 0, 0, 1),
        e(5, 1, 5, 0, 0, 4, 0),
        e(6, 1, 5, 10_000, 0, 0, 0),
        e(8, 1, 5, 100, 0, 0, 0),
        e(9, 1, 5, 1_000, 0, 0, 0),
        e(10, 1, 5, 0, 0, 0, 0),
        e(13, 1, 5, 0, 0, 0, 3),
        e(11, 1, 5, 0, 0, 0, 0),
        e(12, 1, 5, 0, 0, 0, 0),
        e(14, 1, 5, 0, 0, 0, 0),
    ];
    let restarts: Vec<[u8; 12]> = vec![
        e(0, 2, 60, 0, 0, 0, 0),
        e(1, 2, 1, 2_35, 2, 0, 0),
        e(11, 1, 1, 0, 0, 0, 7),
        e(1, 2, 1, 2_35, 2, 0, 0),
        e(11, 1, 1, 0, 0, 0, 0),
        e(1, 2, 1, 2_35, 2, 1, 0),
        e(13, 1, 1, 0, 0, 0, 0),
        e(2, 2, 1, 20_00, 0, 0, 0),
        e(1, 3, 25, 1_00, 1, 0, 0),
        e(10, 1, 1, 0, 0, 0, 0),
        e(0, 3, 1, 0, 0, 0, 0),
        e(3, 2, 1, 10_00, 30, 0, 0),
        e(5, 2, 1, 0, 0, 1, 0),
        e(4, 2, 1, 1_00, 0, 2, 0),
        e(1, 1, -5, 1_00, 1, 0, 0),
        e(10, 2, 1, 0, 0, 0, 0),
        e(0, 4, 8, 0, 0, 0, 0),
        e(12, 1, 3, 0, 4, 0, 0),
        e(0, 1, 3, 0, 0, 0, 0),
    ];
    for (name, steps) in [("day", day), ("restarts", restarts)] {
        let bytes = steps.concat();
        let mut run = Run::new();
        for s in decode_steps(&bytes) {
            run.step(&s);
        }
        run.check_journal().unwrap();
        println!(
            "device_ops seed {name}: {} documents, {:?}",
            run.docs.len(),
            run.tally
        );
        put("device_ops", &format!("{name}.bin"), &bytes);
    }
}
