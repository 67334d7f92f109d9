//! The genuine journals the cases start from, made by the engine's own device: the main
//! journal (two shifts, every kind of document, decommissioning), a short-lived certificate's
//! and one under another authority.

use fiscal_core::{Certificate, CivilDate, Device, Document, PrivateKey, Timestamp};

use super::forge::*;
use crate::engine::device::*;

pub(crate) fn on(d: u8, h: u8, m: u8, sec: u8) -> Timestamp {
    Timestamp::from_baku(CivilDate::new(2026, 11, d).unwrap(), h, m, sec).unwrap()
}

pub(crate) const CREDIT: &str = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000,"creditContract":"NK-2026/17"}}"#;
pub(crate) const ADVANCE: &str = r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: tort","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#;

pub(crate) fn sale_cash(name: &str, price: &str) -> String {
    sale_json(name, price)
}

pub(crate) fn return_json(parent: &str, name: &str, price: &str, form: &str, pct: &str) -> String {
    format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{parent}","items":[{{"itemName":"{name}","itemQuantity":1,"itemPrice":{price}{pct}}}],"{form}":{price}}}}}"#
    )
}

pub(crate) fn creditpay_json(parent: &str, n: u32, amount: &str, residue: &str) -> String {
    format!(
        r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{parent}","paymentNumber":{n},"residue":{residue},"items":[{{"itemName":"Nisyə ödənişi","itemCodeType":5,"itemCode":"NK-2026-17","itemQuantity":1,"itemPrice":{amount},"itemVatPercent":18}}],"cashSum":{amount}}}}}"#
    )
}

pub(crate) fn against_advance_json(parent: &str, price: &str, cash: &str, offset: &str) -> String {
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
pub(crate) struct Main {
    pub(crate) docs: Vec<Document>,
    /// The device state after document n (for branches), by n.
    states: Vec<(u64, Vec<u8>)>,
}

impl Main {
    pub(crate) fn state(&self, n: u64) -> Device {
        let bytes = &self.states.iter().find(|(k, _)| *k == n).unwrap().1;
        let mut d = Device::restore(bytes, device_key()).unwrap();
        d.unlock(PIN).unwrap();
        d
    }

    pub(crate) fn upto(&self, n: usize) -> Vec<Document> {
        self.docs[..n].to_vec()
    }

    pub(crate) fn doc(&self, n: usize) -> &Document {
        &self.docs[n - 1]
    }
}

pub(crate) fn main_journal() -> Main {
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
pub(crate) fn short_lived() -> (Certificate, Vec<Document>) {
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

pub(crate) fn short_lived_key() -> PrivateKey {
    PrivateKey::from_seed(b"fiscal-core test device 3")
}

/// A device whose certificate another authority issued (not the trusted one).
pub(crate) fn foreign_authority_journal() -> Vec<String> {
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

pub(crate) fn with_cert(cert: &Certificate, docs: &[Document]) -> Vec<String> {
    std::iter::once(cert.to_journal_line())
        .chain(docs.iter().map(Document::to_journal_line))
        .collect()
}
