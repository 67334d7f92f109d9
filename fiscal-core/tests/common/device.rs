//! A test authority, certificate and device (test code only: never a built-in trust anchor).
#![allow(dead_code)]

use fiscal_core::{
    Certificate, CertificateBody, CivilDate, Device, Document, IssueOptions, Issued, PrivateKey,
    RateTable, Request, Timestamp, ValidationContext,
};

pub const PIN: &str = "4821";

pub fn authority() -> PrivateKey {
    PrivateKey::from_seed(b"fiscal-core test authority")
}

pub fn device_key() -> PrivateKey {
    PrivateKey::from_seed(b"fiscal-core test device 1")
}

/// 2026-11-23 at hh:mm:ss in Baku.
pub fn at(h: u8, m: u8, s: u8) -> Timestamp {
    Timestamp::from_baku(CivilDate::new(2026, 11, 23).unwrap(), h, m, s).unwrap()
}

pub fn day(d: u8, h: u8) -> Timestamp {
    Timestamp::from_baku(CivilDate::new(2026, 11, d).unwrap(), h, 0, 0).unwrap()
}

pub fn body(key: &PrivateKey) -> CertificateBody {
    CertificateBody {
        serial: 1001,
        kassa_model: "Kassa-X 200".into(),
        kassa_factory_number: "KX2-000123".into(),
        nmq_factory_number: "NMQ-77-000456".into(),
        nmq_registration_number: "AZ-NMQ-2026-000789".into(),
        taxpayer_name: "Bakı Çörək MMC".into(),
        voen: "1234567891".into(),
        object_code: "OBJ-0042".into(),
        object_name: "Çörək dükanı №3".into(),
        object_address: "Bakı ş., Nizami küç. 10".into(),
        valid_from: Timestamp::from_baku(CivilDate::new(2026, 1, 1).unwrap(), 0, 0, 0).unwrap(),
        valid_until: Timestamp::from_baku(CivilDate::new(2029, 1, 1).unwrap(), 0, 0, 0).unwrap(),
        device_key: key.public_key(),
    }
}

pub fn certificate() -> Certificate {
    Certificate::issue(body(&device_key()), &authority()).unwrap()
}

/// An activated device (document 1 issued at 08:00).
pub fn activated() -> (Device, Issued) {
    Device::activate(
        certificate(),
        &authority().public_key(),
        device_key(),
        PIN,
        None,
        at(8, 0, 0),
    )
    .unwrap()
}

pub fn rates() -> RateTable {
    RateTable::azerbaijan()
}

pub fn request(json: &str) -> Request {
    let rates = rates();
    Request::from_json(
        json,
        &ValidationContext {
            rates: &rates,
            date: CivilDate::new(2026, 11, 23).unwrap(),
        },
    )
    .unwrap_or_else(|e| panic!("{:#?}", e.problems()))
}

pub fn sale_json(name: &str, price: &str) -> String {
    format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"{name}","itemQuantity":1,"itemPrice":{price},"itemVatPercent":18}}],"cashSum":{price}}}}}"#
    )
}

/// Issues `json` at `now` with `refs`, expecting success.
pub fn issue(d: &mut Device, json: &str, now: Timestamp, refs: &[Document]) -> Document {
    let rates = rates();
    let opts = IssueOptions {
        rates: &rates,
        references: refs,
        expected_previous: None,
        foreign_references: false,
    };
    d.issue(&request(json), now, &opts)
        .unwrap_or_else(|e| panic!("{e}"))
        .document
}

/// Tries to issue, returning the error.
pub fn refuse(d: &mut Device, json: &str, now: Timestamp, refs: &[Document]) -> fiscal_core::Error {
    let rates = rates();
    let opts = IssueOptions {
        rates: &rates,
        references: refs,
        expected_previous: None,
        foreign_references: false,
    };
    let before = d.export_state();
    let e = d
        .issue(&request(json), now, &opts)
        .expect_err("expected a refusal");
    assert_eq!(
        d.export_state(),
        before,
        "a refused operation changed the state"
    );
    e
}
