//! The device's rules (SPEC.md §14), each with its refusal and the proof that a refused
//! operation leaves the saved state byte-identical. Expected values worked out by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cloned_ref_to_slice_refs
)]

mod common;
use common::a;
use common::device::*;

use std::collections::BTreeSet;

use fiscal_core::limits::{MAX_PENDING, MAX_PIN_ATTEMPTS};
use fiscal_core::{
    Certificate, Content, Device, DocType, Document, ErrorCode as C, IssueOptions, PrivateKey,
    Status, TaxCategory, Timestamp, Warning,
};

fn codes_seen() -> &'static std::sync::Mutex<BTreeSet<C>> {
    static SEEN: std::sync::OnceLock<std::sync::Mutex<BTreeSet<C>>> = std::sync::OnceLock::new();
    SEEN.get_or_init(Default::default)
}

/// Asserts the error's code and records it for the coverage test.
fn expect(e: fiscal_core::Error, code: C) {
    assert_eq!(e.code(), code, "{e}");
    codes_seen().lock().unwrap().insert(code);
}

fn with_shift() -> (Device, Vec<Document>) {
    let (mut d, act) = activated();
    let open = d.open_shift(at(9, 0, 0)).unwrap().document;
    (d, vec![act.document, open])
}

fn ret_json(parent: &Document, price: &str, ty: u8) -> String {
    format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","moneyBackType":{ty},"items":[{{"itemName":"Mal","itemQuantity":1,"itemPrice":{price},"itemVatPercent":18}}],"cashlessSum":{price}}}}}"#,
        parent.id().short()
    )
}

fn cancel_json(parent: &Document) -> String {
    format!(
        r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
        parent.id().long()
    )
}

fn creditpay_json(parent: &Document, n: u32, paid: &str, left: &str) -> String {
    format!(
        r#"{{"doc_type":"creditpay","data":{{"cashier":"Aysel","parentDocument":"{}","paymentNumber":{n},"residue":{left},"items":[{{"itemName":"Nisyə ödənişi","itemQuantity":1,"itemPrice":{paid},"itemVatPercent":18}}],"cashSum":{paid}}}}}"#,
        parent.id().long()
    )
}

const CREDIT_SALE: &str = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Televizor","itemQuantity":1,"itemPrice":1180,"itemVatPercent":18}],"cashSum":180,"creditSum":1000}}"#;
const ADVANCE: &str = r#"{"doc_type":"prepay","data":{"cashier":"Aysel","items":[{"itemName":"Avans: tort","itemQuantity":1,"itemPrice":20,"itemVatPercent":18}],"cashSum":20}}"#;

#[test]
fn a_whole_shift_and_its_z_report() {
    let (mut d, _) = with_shift();
    issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#,
        at(9, 0, 1),
        &[],
    );
    let sale_a = issue(&mut d, &sale_json("Çörək", "1.20"), at(9, 1, 0), &[]);
    let sale_b = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Süd","itemQuantity":2,"itemPrice":2.35,"itemVatPercent":18}],"cashlessSum":4.70}}"#,
        at(9, 2, 0),
        &[],
    );
    let advance = issue(&mut d, ADVANCE, at(9, 3, 0), &[]);
    let credit = issue(&mut d, CREDIT_SALE, at(9, 4, 0), &[]);
    let ret = issue(
        &mut d,
        &ret_json(&sale_b, "2.35", 0),
        at(9, 5, 0),
        &[sale_b.clone()],
    );
    let cancel = issue(
        &mut d,
        &cancel_json(&sale_a),
        at(9, 6, 0),
        &[sale_a.clone()],
    );
    let pay = issue(
        &mut d,
        &creditpay_json(&credit, 1, "100", "900"),
        at(9, 7, 0),
        &[credit.clone()],
    );
    let cake = issue(
        &mut d,
        &format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":30,"prepaymentSum":20,"parents":["{}"]}}}}"#,
            advance.id().short()
        ),
        at(9, 8, 0),
        &[advance.clone()],
    );
    issue(
        &mut d,
        r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":50}}"#,
        at(9, 9, 0),
        &[],
    );

    // RC-06: receipts numbered within the shift; deposit and withdraw are not receipts.
    let counters: Vec<u32> = [
        &sale_a, &sale_b, &advance, &credit, &ret, &cancel, &pay, &cake,
    ]
    .iter()
    .map(|d| d.body().shift_receipt)
    .collect();
    assert_eq!(counters, [1, 2, 3, 4, 5, 6, 7, 8]);
    // The cancel carries what it voids.
    let Content::Cancel { voided, .. } = &cancel.body().content else {
        panic!()
    };
    assert_eq!(
        (voided.number, voided.kind, voided.sum),
        (sale_a.number(), DocType::Sale, a("1.20"))
    );

    let x = d.x_report().unwrap();
    let z_doc = d.close_shift(at(18, 0, 0)).unwrap().document;
    let Content::ZReport(z) = &z_doc.body().content else {
        panic!()
    };
    // Documents: 1 activation, 2 open, 3 deposit, 4–11 receipts and cake, 12 withdraw, 13 Z.
    assert_eq!((z.first_number, z.last_number, z.receipts), (2, 13, 8));
    assert_eq!(x.last_number, 12);
    // Cash in: 100 deposit + 1.20 + 180 + 30 (sales) + 20 (advance) + 100 (instalment) = 431.20;
    // out: 1.20 (cancel) + 50 (withdraw) = 51.20; the return was by card. Drawer 380.00.
    assert_eq!(
        (z.cash_in, z.cash_out, z.cash_in_drawer()),
        (a("431.20"), a("51.20"), a("380.00"))
    );
    let sale = z.kind(DocType::Sale).unwrap();
    // Sales: 1.20 + 4.70 + 180 (paid now of 1180) + 30 (paid now of 50) = 215.90 counted;
    // VAT per document 0.18 + 0.72 + 27.46 + 4.58 = 32.94.
    assert_eq!((sale.count, sale.sum), (4, a("215.90")));
    assert_eq!(
        (
            sale.payments.cash,
            sale.payments.cashless,
            sale.payments.credit,
            sale.payments.prepayment
        ),
        (a("211.20"), a("4.70"), a("1000.00"), a("20.00"))
    );
    assert_eq!(sale.groups.len(), 1);
    assert_eq!(
        (
            sale.groups[0].key.category,
            sale.groups[0].gross,
            sale.groups[0].tax
        ),
        (TaxCategory::Vat, a("215.90"), a("32.94"))
    );
    let r = z.kind(DocType::Return).unwrap();
    assert_eq!(
        (r.count, r.sum, r.payments.cashless, r.groups[0].tax),
        (1, a("2.35"), a("2.35"), a("0.36"))
    );
    let c = z.kind(DocType::Cancel).unwrap();
    assert_eq!(
        (c.count, c.sum, c.payments.cash, c.groups[0].tax),
        (1, a("1.20"), a("1.20"), a("0.18"))
    );
    assert_eq!(z.kind(DocType::Advance).unwrap().groups[0].tax, a("3.05"));
    assert_eq!(
        z.kind(DocType::CreditPayment).unwrap().groups[0].tax,
        a("15.25")
    );
    assert_eq!(z.kind(DocType::Deposit).unwrap().sum, a("100.00"));
    assert_eq!(z.kind(DocType::Withdraw).unwrap().sum, a("50.00"));
    assert!(z.kind(DocType::Correction).is_none());
    assert!(d.state().shift().is_none());
}

#[test]
fn numbers_run_without_gaps_and_chain() {
    let (mut d, mut docs) = with_shift();
    for i in 0..5 {
        docs.push(issue(
            &mut d,
            &sale_json("Çörək", "1.20"),
            at(10, i, 0),
            &[],
        ));
    }
    let numbers: Vec<u64> = docs.iter().map(|d| d.number()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(docs[0].body().previous, certificate().hash());
    for w in docs.windows(2) {
        assert_eq!(w[1].body().previous, w[0].id().0);
    }
}

#[test]
fn no_receipt_outside_a_shift() {
    let (mut d, _) = activated();
    expect(
        refuse(&mut d, &sale_json("X", "1"), at(9, 0, 0), &[]),
        C::NoOpenShift,
    );
    expect(d.close_shift(at(9, 0, 1)).unwrap_err(), C::NoOpenShift);
    expect(d.x_report().unwrap_err(), C::NoOpenShift);
    d.open_shift(at(9, 1, 0)).unwrap();
    expect(d.open_shift(at(9, 2, 0)).unwrap_err(), C::ShiftAlreadyOpen);
}

#[test]
fn a_shift_of_24_hours_must_be_closed() {
    let (mut d, _) = with_shift(); // opened 2026-11-23 09:00
    issue(&mut d, &sale_json("X", "1"), day(24, 8), &[]); // 23 h later: fine
    let at_24h = Timestamp::from_millis(at(9, 0, 0).millis() + 24 * Timestamp::HOUR);
    expect(
        refuse(&mut d, &sale_json("X", "1"), at_24h, &[]),
        C::ShiftTooLong,
    );
    d.close_shift(at_24h).unwrap();
    d.open_shift(at_24h.plus(1)).unwrap();
    issue(&mut d, &sale_json("X", "1"), at_24h.plus(2), &[]);
}

#[test]
fn time_must_move_forward() {
    let (mut d, _) = with_shift();
    issue(&mut d, &sale_json("X", "1"), at(10, 0, 0), &[]);
    expect(
        refuse(&mut d, &sale_json("X", "1"), at(10, 0, 0), &[]),
        C::TimeNotIncreasing,
    );
    expect(
        refuse(&mut d, &sale_json("X", "1"), at(9, 59, 59), &[]),
        C::TimeNotIncreasing,
    );
    issue(&mut d, &sale_json("X", "1"), at(10, 0, 0).plus(1), &[]);
}

#[test]
fn seven_days_without_upload_stop_receipts() {
    let (mut d, _) = activated(); // document 1 at 2026-11-23 08:00, never acknowledged
    let week = 7 * Timestamp::DAY;
    let start = at(8, 0, 0).millis();
    d.open_shift(Timestamp::from_millis(start + week - 2))
        .unwrap(); // 7 days less 2 ms: allowed
    issue(
        &mut d,
        &sale_json("X", "1"),
        Timestamp::from_millis(start + week),
        &[],
    ); // exactly 7 days: allowed
    let late = Timestamp::from_millis(start + week + 1);
    expect(
        refuse(&mut d, &sale_json("X", "1"), late, &[]),
        C::OfflineTooLong,
    );
    // Closing the shift stays possible; after the upload is acknowledged, receipts resume.
    d.close_shift(late).unwrap();
    let last = d.state().last_number();
    d.acknowledge_upload(last, None).unwrap();
    assert_eq!(d.state().pending(), 0);
    d.open_shift(late.plus(1)).unwrap();
}

#[test]
fn acknowledging_part_of_the_documents_restarts_the_clock_at_the_next_one() {
    let (mut d, docs) = with_shift(); // 1 at 08:00, 2 at 09:00
    let third = issue(&mut d, &sale_json("X", "1"), at(10, 0, 0), &[]);
    // Documents 1–2 uploaded; 3 remains: its time (10:00) is the new oldest.
    expect(
        d.acknowledge_upload(2, None).unwrap_err(),
        C::InvalidAcknowledgement,
    );
    expect(
        d.acknowledge_upload(2, Some(&docs[1])).unwrap_err(),
        C::InvalidAcknowledgement,
    );
    d.acknowledge_upload(2, Some(&third)).unwrap();
    assert_eq!(d.state().pending(), 1);
    expect(
        d.acknowledge_upload(9, None).unwrap_err(),
        C::InvalidAcknowledgement,
    );
    d.acknowledge_upload(1, None).unwrap(); // already acknowledged: nothing changes
    assert_eq!(d.state().acknowledged(), 2);
    // 7 days after 10:00 (not after 08:00) receipts stop; the shift must be closed first anyway.
    d.close_shift(at(11, 0, 0)).unwrap();
    let ok = Timestamp::from_millis(at(10, 0, 0).millis() + 7 * Timestamp::DAY);
    d.open_shift(ok).unwrap();
    expect(
        refuse(&mut d, &sale_json("X", "1"), ok.plus(1), &[]),
        C::OfflineTooLong,
    );
}

#[test]
fn four_thousand_waiting_documents_stop_receipts() {
    let (mut d, _) = with_shift();
    // Documents 1 and 2 exist; issue until 4000 wait (NM-05), each 1 s apart.
    let mut t = at(9, 0, 0);
    let rates = rates();
    let req = request(&sale_json("X", "0.01"));
    let opts = IssueOptions {
        rates: &rates,
        references: &[],
        expected_previous: None,
        foreign_references: false,
    };
    while d.state().pending() < MAX_PENDING {
        t = t.plus(1000);
        d.issue(&req, t, &opts).unwrap();
    }
    assert_eq!(d.state().last_number(), 4000);
    expect(
        refuse(&mut d, &sale_json("X", "0.01"), t.plus(1000), &[]),
        C::TooManyPending,
    );
}

#[test]
fn the_certificate_expires() {
    // A certificate ending 2026-11-27 00:00 Baku: from 2026-11-20 on, documents carry a warning.
    let mut body = body(&device_key());
    body.valid_until = day(27, 0);
    let cert = Certificate::issue(body, &authority()).unwrap();
    let (mut d, act) = Device::activate(
        cert,
        &authority().public_key(),
        device_key(),
        PIN,
        None,
        at(8, 0, 0),
    )
    .unwrap();
    assert_eq!(
        act.warnings,
        [Warning::CertificateExpiresSoon { at: day(27, 0) }]
    );
    d.open_shift(day(26, 22)).unwrap();
    let rates = rates();
    let ok = d
        .issue(
            &request(&sale_json("X", "1")),
            day(26, 23),
            &IssueOptions {
                rates: &rates,
                references: &[],
                expected_previous: None,
                foreign_references: false,
            },
        )
        .unwrap();
    assert_eq!(ok.warnings.len(), 1);
    expect(
        refuse(&mut d, &sale_json("X", "1"), day(27, 0), &[]),
        C::CertificateExpired,
    );
    d.close_shift(day(27, 1)).unwrap(); // closing stays possible
    expect(d.open_shift(day(27, 2)).unwrap_err(), C::CertificateExpired);
}

#[test]
fn activation_checks_the_certificate() {
    let other_authority = PrivateKey::from_seed(b"not the tax authority");
    let forged = Certificate::issue(body(&device_key()), &other_authority).unwrap();
    expect(
        Device::activate(
            forged,
            &authority().public_key(),
            device_key(),
            PIN,
            None,
            at(8, 0, 0),
        )
        .unwrap_err(),
        C::CertificateSignature,
    );
    expect(
        Device::activate(
            certificate(),
            &authority().public_key(),
            PrivateKey::from_seed(b"other device"),
            PIN,
            None,
            at(8, 0, 0),
        )
        .unwrap_err(),
        C::KeyMismatch,
    );
    expect(
        Device::activate(
            certificate(),
            &authority().public_key(),
            device_key(),
            PIN,
            None,
            Timestamp::from_millis(0),
        )
        .unwrap_err(),
        C::CertificateNotYetValid,
    );
    let mut long = body(&device_key());
    long.valid_until = long.valid_until.plus(Timestamp::DAY); // 1 097 days > 3 years
    expect(
        Certificate::issue(long, &authority()).unwrap_err(),
        C::InvalidCertificate,
    );
    let mut bad_voen = body(&device_key());
    bad_voen.voen = "12345".into();
    expect(
        Certificate::issue(bad_voen, &authority()).unwrap_err(),
        C::InvalidCertificate,
    );
    let r = Device::activate(
        certificate(),
        &authority().public_key(),
        device_key(),
        "12ab",
        None,
        at(8, 0, 0),
    );
    assert_eq!(r.unwrap_err().code(), C::OutOfRange);
    // The certificate survives its byte and JSON forms.
    let c = certificate();
    assert_eq!(Certificate::from_bytes(&c.to_bytes()).unwrap(), c);
    assert_eq!(Certificate::from_json(&c.to_json()).unwrap(), c);
}

#[test]
fn the_pin_guards_every_cash_operation_and_locks() {
    let (d, _) = with_shift();
    let saved = d.export_state();
    let mut d = Device::restore(&saved, device_key()).unwrap();
    assert!(!d.is_unlocked());
    expect(
        refuse(&mut d, &sale_json("X", "1"), at(10, 0, 0), &[]),
        C::NotUnlocked,
    );
    for left in (1..MAX_PIN_ATTEMPTS).rev() {
        let e = d.unlock("0000").unwrap_err();
        assert_eq!(
            e,
            fiscal_core::Error::WrongPin {
                attempts_left: left
            }
        );
        codes_seen().lock().unwrap().insert(C::WrongPin);
    }
    // The right PIN resets the count.
    d.unlock(PIN).unwrap();
    assert_eq!(d.state().pin_failures(), 0);
    for _ in 1..MAX_PIN_ATTEMPTS {
        let _ = d.unlock("0000");
    }
    expect(d.unlock("0000").unwrap_err(), C::DeviceLocked);
    assert_eq!(d.state().status(), Status::Locked);
    expect(d.unlock(PIN).unwrap_err(), C::DeviceLocked);
    expect(d.open_shift(at(11, 0, 0)).unwrap_err(), C::DeviceLocked);
}

#[test]
fn state_survives_export_and_restore() {
    let (mut d, _) = with_shift();
    issue(&mut d, &sale_json("X", "1"), at(10, 0, 0), &[]);
    let saved = d.export_state();
    let mut back = Device::restore(&saved, device_key()).unwrap();
    assert_eq!(back.state(), d.state());
    back.unlock(PIN).unwrap();
    let n1 = issue(&mut back, &sale_json("X", "1"), at(10, 1, 0), &[]);
    let n2 = issue(&mut d, &sale_json("X", "1"), at(10, 1, 0), &[]);
    assert_eq!(
        n1, n2,
        "same state, same request, same time: the same document"
    );
    expect(
        Device::restore(&saved, PrivateKey::from_seed(b"x")).unwrap_err(),
        C::KeyMismatch,
    );
    expect(
        Device::restore(&saved[..saved.len() - 1], device_key()).unwrap_err(),
        C::InvalidState,
    );
    expect(
        Device::restore(b"garbage", device_key()).unwrap_err(),
        C::InvalidState,
    );
}

#[test]
fn a_retried_request_is_not_issued_twice() {
    let (mut d, _) = with_shift();
    let rates = rates();
    let req = request(&sale_json("X", "1"));
    let opts = IssueOptions {
        rates: &rates,
        references: &[],
        expected_previous: Some(2),
        foreign_references: false,
    };
    let first = d.issue(&req, at(10, 0, 0), &opts).unwrap();
    assert_eq!(first.document.number(), 3);
    // The POS lost the answer and sends the same request again.
    let before = d.export_state();
    expect(
        d.issue(&req, at(10, 0, 5), &opts).unwrap_err(),
        C::SequenceMismatch,
    );
    assert_eq!(d.export_state(), before);
}

#[test]
fn returns_cannot_exceed_the_sale() {
    let (mut d, _) = with_shift();
    let sale = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Süd","itemQuantity":2,"itemPrice":2.35,"itemVatPercent":18}],"cashlessSum":4.70}}"#,
        at(10, 0, 0),
        &[],
    );
    let r1 = issue(
        &mut d,
        &ret_json(&sale, "2.35", 0),
        at(10, 1, 0),
        &[sale.clone()],
    );
    // A second return of 2.35 is allowed (4.70 in all), a third is not; the earlier returns are
    // supplied with the sale.
    let r2 = issue(
        &mut d,
        &ret_json(&sale, "2.35", 0),
        at(10, 2, 0),
        &[sale.clone(), r1.clone()],
    );
    expect(
        refuse(
            &mut d,
            &ret_json(&sale, "0.01", 0),
            at(10, 3, 0),
            &[sale.clone(), r1, r2],
        ),
        C::ReturnExceedsSale,
    );
    expect(
        refuse(
            &mut d,
            &ret_json(&sale, "4.71", 0),
            at(10, 3, 0),
            &[sale.clone()],
        ),
        C::ReturnExceedsSale,
    );
    expect(
        refuse(
            &mut d,
            &ret_json(&sale, "1", 1),
            at(10, 3, 0),
            &[sale.clone()],
        ),
        C::ReferenceWrongKind,
    );
    expect(
        refuse(&mut d, &ret_json(&sale, "1", 0), at(10, 3, 0), &[]),
        C::ReferenceNotFound,
    );
}

#[test]
fn references_must_be_this_devices_documents() {
    // A sale signed by another device with the same certificate data is not authentic.
    let (mut d, _) = with_shift();
    let other_key = PrivateKey::from_seed(b"fiscal-core test device 2");
    let other_cert = Certificate::issue(body(&other_key), &authority()).unwrap();
    let (mut other, _) = Device::activate(
        other_cert,
        &authority().public_key(),
        other_key,
        PIN,
        None,
        at(8, 0, 0),
    )
    .unwrap();
    other.open_shift(at(9, 0, 0)).unwrap();
    let foreign = issue(&mut other, &sale_json("X", "5"), at(10, 0, 0), &[]);
    expect(
        refuse(
            &mut d,
            &ret_json(&foreign, "1", 0),
            at(10, 1, 0),
            &[foreign.clone()],
        ),
        C::ReferenceNotAuthentic,
    );
}

#[test]
fn cancels_void_whole_receipts_of_the_open_shift_once() {
    let (mut d, _) = with_shift();
    issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":10}}"#,
        at(9, 30, 0),
        &[],
    );
    let sale = issue(&mut d, &sale_json("X", "5"), at(10, 0, 0), &[]);
    issue(&mut d, &cancel_json(&sale), at(10, 1, 0), &[sale.clone()]);
    expect(
        refuse(&mut d, &cancel_json(&sale), at(10, 2, 0), &[sale.clone()]),
        C::AlreadyCancelled,
    );
    let old = issue(&mut d, &sale_json("Y", "3"), at(10, 3, 0), &[]);
    let deposit = issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":1}}"#,
        at(10, 4, 0),
        &[],
    );
    expect(
        refuse(
            &mut d,
            &cancel_json(&deposit),
            at(10, 5, 0),
            &[deposit.clone()],
        ),
        C::ReferenceWrongKind,
    );
    d.close_shift(at(11, 0, 0)).unwrap();
    d.open_shift(at(11, 0, 1)).unwrap();
    // Yesterday's receipt (another shift) is undone by a return, not a cancel.
    expect(
        refuse(&mut d, &cancel_json(&old), at(11, 1, 0), &[old.clone()]),
        C::CancelOutsideShift,
    );
}

#[test]
fn instalments_follow_the_debt() {
    let (mut d, _) = with_shift();
    let credit = issue(&mut d, CREDIT_SALE, at(10, 0, 0), &[]);
    // Debt 1000.00. Instalment 1 of 400 leaves 600; number 2 of 600 leaves 0.
    expect(
        refuse(
            &mut d,
            &creditpay_json(&credit, 1, "400", "500"),
            at(10, 1, 0),
            &[credit.clone()],
        ),
        C::DebtMismatch,
    );
    expect(
        refuse(
            &mut d,
            &creditpay_json(&credit, 2, "400", "600"),
            at(10, 1, 0),
            &[credit.clone()],
        ),
        C::InstalmentNumberMismatch,
    );
    let p1 = issue(
        &mut d,
        &creditpay_json(&credit, 1, "400", "600"),
        at(10, 1, 0),
        &[credit.clone()],
    );
    expect(
        refuse(
            &mut d,
            &creditpay_json(&credit, 2, "600.01", "0"),
            at(10, 2, 0),
            &[credit.clone(), p1.clone()],
        ),
        C::InstalmentExceedsDebt,
    );
    issue(
        &mut d,
        &creditpay_json(&credit, 2, "600", "0"),
        at(10, 2, 0),
        &[credit.clone(), p1],
    );
    let plain = issue(&mut d, &sale_json("X", "5"), at(10, 3, 0), &[]);
    expect(
        refuse(
            &mut d,
            &creditpay_json(&plain, 1, "1", "0"),
            at(10, 4, 0),
            &[plain.clone()],
        ),
        C::ReferenceWrongKind,
    );
}

#[test]
fn a_sale_cannot_consume_more_than_its_advances() {
    let (mut d, _) = with_shift();
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]); // 20.00
    let sale = |prepay: &str, cash: &str| {
        format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":{cash},"prepaymentSum":{prepay},"parents":["{}"]}}}}"#,
            adv.id().long()
        )
    };
    expect(
        refuse(
            &mut d,
            &sale("20.01", "29.99"),
            at(10, 1, 0),
            &[adv.clone()],
        ),
        C::AdvancesExceeded,
    );
    let plain = issue(&mut d, &sale_json("X", "5"), at(10, 2, 0), &[]);
    let wrong = sale("20", "30").replace(&adv.id().long(), &plain.id().long());
    expect(
        refuse(&mut d, &wrong, at(10, 3, 0), &[plain]),
        C::ReferenceWrongKind,
    );
    issue(&mut d, &sale("20", "30"), at(10, 4, 0), &[adv]);
}

#[test]
fn cash_out_cannot_exceed_the_drawer() {
    let (mut d, _) = with_shift();
    issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":50}}"#,
        at(10, 0, 0),
        &[],
    );
    issue(&mut d, &sale_json("X", "10"), at(10, 1, 0), &[]); // drawer 60.00
    expect(
        refuse(
            &mut d,
            r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":60.01}}"#,
            at(10, 2, 0),
            &[],
        ),
        C::CashInsufficient,
    );
    issue(
        &mut d,
        r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":60}}"#,
        at(10, 3, 0),
        &[],
    );
}

#[test]
fn decommission_needs_a_closed_shift_and_everything_uploaded() {
    let (mut d, _) = with_shift();
    expect(d.decommission(at(12, 0, 0)).unwrap_err(), C::ShiftOpen);
    d.close_shift(at(12, 0, 0)).unwrap();
    expect(d.decommission(at(12, 1, 0)).unwrap_err(), C::PendingUploads);
    d.acknowledge_upload(d.state().last_number(), None).unwrap();
    let last = d.decommission(at(12, 2, 0)).unwrap().document;
    assert!(matches!(last.body().content, Content::Decommission));
    assert_eq!(d.state().status(), Status::Decommissioned);
    expect(d.open_shift(at(12, 3, 0)).unwrap_err(), C::Decommissioned);
    expect(d.unlock(PIN).unwrap_err(), C::Decommissioned);
}

#[test]
fn rates_are_checked_on_the_documents_date() {
    use fiscal_core::{RateEntry, RateTable, TaxTreatment};
    // VAT 18% ends on 2026-11-24 in this table: a sale on the 23rd passes, on the 24th not.
    let mut rows = RateTable::azerbaijan().entries().to_vec();
    rows[0].until = Some(fiscal_core::CivilDate::new(2026, 11, 24).unwrap());
    rows.push(RateEntry {
        treatment: TaxTreatment::vat(fiscal_core::Percent::whole(20).unwrap()),
        from: rows[0].until.unwrap(),
        until: None,
    });
    let table = RateTable::new(rows);
    let (mut d, _) = with_shift();
    let req = request(&sale_json("X", "1"));
    let opts = IssueOptions {
        rates: &table,
        references: &[],
        expected_previous: None,
        foreign_references: false,
    };
    d.issue(&req, at(23, 0, 0), &opts).unwrap();
    let before = d.export_state();
    expect(
        d.issue(&req, day(24, 1), &opts).unwrap_err(),
        C::UnknownTaxRate,
    );
    assert_eq!(d.export_state(), before);
}

#[test]
fn zz_every_device_code_has_a_test() {
    // Runs after the others in the default (alphabetical) order; on its own it runs them again.
    let device_codes: Vec<C> = C::ALL
        .iter()
        .copied()
        .filter(|c| (200..270).contains(&c.number()))
        .collect();
    // Each test above records the codes it saw; run them here so this test stands alone.
    no_receipt_outside_a_shift();
    a_shift_of_24_hours_must_be_closed();
    time_must_move_forward();
    seven_days_without_upload_stop_receipts();
    acknowledging_part_of_the_documents_restarts_the_clock_at_the_next_one();
    four_thousand_waiting_documents_stop_receipts();
    the_certificate_expires();
    activation_checks_the_certificate();
    the_pin_guards_every_cash_operation_and_locks();
    state_survives_export_and_restore();
    a_retried_request_is_not_issued_twice();
    returns_cannot_exceed_the_sale();
    references_must_be_this_devices_documents();
    cancels_void_whole_receipts_of_the_open_shift_once();
    instalments_follow_the_debt();
    a_sale_cannot_consume_more_than_its_advances();
    cash_out_cannot_exceed_the_drawer();
    decommission_needs_a_closed_shift_and_everything_uploaded();
    an_advance_is_spent_or_refunded_once_three_ways();
    an_advance_partly_spent_refunds_exactly_the_rest();
    withheld_references_do_not_fool_the_device();
    receipts_in_use_cannot_be_cancelled();
    a_restored_state_keeps_the_ledger();
    a_refused_claim_leaves_the_state_byte_identical();
    let seen = codes_seen().lock().unwrap().clone();
    // Not provoked through the device API: totals_overflow needs 10^8 AZN in a shift (guarded
    // by checked arithmetic); invalid_document and wrong_fiscal_id are journal codes
    // (tests/journal.rs).
    let exempt = [C::TotalsOverflow, C::InvalidDocument, C::WrongFiscalId];
    let missing: Vec<C> = device_codes
        .into_iter()
        .filter(|c| !seen.contains(c) && !exempt.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "device codes without a test: {missing:?}"
    );
}

#[test]
fn the_saved_state_does_not_give_the_pin_away() {
    // The verifier in the state is keyed by the device's private key: without the key, trying
    // all 10 000 four-digit PINs against SHA-256(tag ‖ public key ‖ PIN) — what an unkeyed
    // verifier would allow — finds nothing, and Debug does not print the verifier.
    use fiscal_core::internal::sha256;
    let (d, _) = activated();
    let state = d.export_state();
    let public = device_key().public_key().to_sec1();
    for tag in [&b"fiscal-core/pin/v1\0"[..], &b"fiscal-core/pin/v2\0"[..]] {
        for n in 0..10_000u32 {
            let pin = format!("{n:04}");
            let guess = sha256(&[tag, &public, pin.as_bytes()]);
            assert!(
                !state.windows(32).any(|w| w == guess),
                "PIN {pin} found from the state alone"
            );
        }
    }
    let shown = format!("{:?}", d.state());
    assert!(shown.contains("<redacted>"));
    // And the PIN still works after a restore.
    let mut back = Device::restore(&state, device_key()).unwrap();
    back.unlock(PIN).unwrap();
}

#[test]
fn a_receipt_is_refunded_once() {
    // Found by the robustness work: a cancelled sale could also be returned, and a returned one
    // cancelled, paying the money back twice.
    let (mut d, _) = with_shift();
    issue(
        &mut d,
        r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#,
        at(9, 30, 0),
        &[],
    );
    let sale = issue(&mut d, &sale_json("Süd", "4.70"), at(10, 0, 0), &[]);
    let cancel = issue(&mut d, &cancel_json(&sale), at(10, 1, 0), &[sale.clone()]);
    // The device's ledger remembers the cancel (SPEC.md §14.6); supplying it changes nothing.
    expect(
        refuse(
            &mut d,
            &ret_json(&sale, "4.70", 0),
            at(10, 2, 0),
            &[sale.clone()],
        ),
        C::AlreadyCancelled,
    );
    d.close_shift(at(11, 0, 0)).unwrap();
    d.open_shift(at(11, 0, 1)).unwrap();
    expect(
        refuse(
            &mut d,
            &ret_json(&sale, "1.00", 0),
            at(11, 1, 0),
            &[sale.clone(), cancel],
        ),
        C::AlreadyCancelled,
    );
    // The other way round: after a return, no cancel.
    let sale2 = issue(&mut d, &sale_json("Çörək", "3.00"), at(11, 2, 0), &[]);
    let ret = issue(
        &mut d,
        &ret_json(&sale2, "1.00", 0),
        at(11, 3, 0),
        &[sale2.clone()],
    );
    expect(
        refuse(
            &mut d,
            &cancel_json(&sale2),
            at(11, 4, 0),
            &[sale2.clone(), ret],
        ),
        C::ReturnExceedsSale,
    );
}

#[test]
fn an_advance_is_consumed_once() {
    let (mut d, _) = with_shift();
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]); // 20.00
    let sale = format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":35,"prepaymentSum":15,"parents":["{}"]}}}}"#,
        adv.id().long()
    );
    let first = issue(&mut d, &sale, at(10, 1, 0), &[adv.clone()]);
    // 15 of the 20 used; another 15 is 10 too many when the first sale is supplied.
    expect(
        refuse(&mut d, &sale, at(10, 2, 0), &[adv.clone(), first]),
        C::AdvancesExceeded,
    );
}

#[test]
fn an_advance_is_consumed_once_whatever_form_of_its_id_names_it() {
    // SPEC.md §13.3: the long ID, the short ID and either in upper case name the same advance.
    let (mut d, _) = with_shift();
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]); // 20.00
    let sale = |name: String| {
        format!(
            r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":35,"prepaymentSum":15,"parents":["{name}"]}}}}"#
        )
    };
    let first = issue(&mut d, &sale(adv.id().long()), at(10, 1, 0), &[adv.clone()]);
    for (i, name) in [
        adv.id().short(),
        adv.id().long().to_uppercase(),
        adv.id().short().to_uppercase(),
    ]
    .into_iter()
    .enumerate()
    {
        // 15 of the 20 already used by `first`: another 15 is too much, however it is named.
        expect(
            refuse(
                &mut d,
                &sale(name),
                at(10, 2, i as u8),
                &[adv.clone(), first.clone()],
            ),
            C::AdvancesExceeded,
        );
    }
    // Supplying the first sale twice does not count it twice: 5.00 is still available.
    let five = sale(adv.id().short())
        .replace(r#""cashSum":35"#, r#""cashSum":45"#)
        .replace(r#""prepaymentSum":15"#, r#""prepaymentSum":5"#);
    issue(
        &mut d,
        &five,
        at(10, 3, 0),
        &[adv.clone(), first.clone(), first],
    );
}

// --- The ledger (RC-11, RC-13, RC-17, RC-18; SPEC.md §14.6) ------------------------------------

/// A sale of a 50.00 cake against the advances `parents`: `prepay` from them, `cash` now.
fn cake_json(parents: &[&Document], prepay: &str, cash: &str) -> String {
    let names: Vec<String> = parents
        .iter()
        .map(|p| format!("\"{}\"", p.id().long()))
        .collect();
    format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{{"itemName":"Tort","itemQuantity":1,"itemPrice":50,"itemVatPercent":18}}],"cashSum":{cash},"prepaymentSum":{prepay},"parents":[{}]}}}}"#,
        names.join(",")
    )
}

fn receipt_in_use(e: fiscal_core::Error, receipt: &Document) {
    assert!(
        matches!(&e, fiscal_core::Error::ReceiptInUse { number, .. } if *number == receipt.number()),
        "{e}"
    );
    expect(e, C::ReceiptInUse);
}

#[test]
fn an_advance_is_spent_or_refunded_once_three_ways() {
    let (mut d, _) = with_shift();
    // (a) Spent, then refunded: the sale took all 20.00, so its residue is 0.00.
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]); // 20.00 cash
    let cake = issue(
        &mut d,
        &cake_json(&[&adv], "20", "30"),
        at(10, 1, 0),
        &[adv.clone()],
    );
    expect(
        refuse(
            &mut d,
            &ret_json(&adv, "20", 1),
            at(10, 2, 0),
            &[adv.clone()],
        ),
        C::AdvancesExceeded,
    );
    expect(
        refuse(
            &mut d,
            &ret_json(&adv, "0.01", 1),
            at(10, 2, 0),
            &[adv.clone(), cake.clone()],
        ),
        C::AdvancesExceeded,
    );
    // (b) Cancelled, then spent: the customer has his 20.00 back.
    let adv2 = issue(&mut d, ADVANCE, at(10, 3, 0), &[]);
    let cancel = issue(&mut d, &cancel_json(&adv2), at(10, 4, 0), &[adv2.clone()]);
    expect(
        refuse(
            &mut d,
            &cake_json(&[&adv2], "20", "30"),
            at(10, 5, 0),
            &[adv2.clone()],
        ),
        C::AlreadyCancelled,
    );
    expect(
        refuse(
            &mut d,
            &cake_json(&[&adv2], "0.01", "49.99"),
            at(10, 5, 0),
            &[adv2.clone(), cancel],
        ),
        C::AlreadyCancelled,
    );
    // (c) Spent, then cancelled: the cake left, the 20.00 would go back.
    let adv3 = issue(&mut d, ADVANCE, at(10, 6, 0), &[]);
    let cake3 = issue(
        &mut d,
        &cake_json(&[&adv3], "20", "30"),
        at(10, 7, 0),
        &[adv3.clone()],
    );
    receipt_in_use(
        refuse(&mut d, &cancel_json(&adv3), at(10, 8, 0), &[adv3.clone()]),
        &adv3,
    );
    receipt_in_use(
        refuse(
            &mut d,
            &cancel_json(&adv3),
            at(10, 8, 0),
            &[adv3.clone(), cake3],
        ),
        &adv3,
    );
    // An advance nothing used can still be cancelled; a refused claim took no number.
    let adv4 = issue(&mut d, ADVANCE, at(10, 9, 0), &[]);
    let c4 = issue(&mut d, &cancel_json(&adv4), at(10, 10, 0), &[adv4.clone()]);
    assert_eq!(c4.number(), adv4.number() + 1);
    // Four receipts claimed on: adv (spent), adv2 (cancelled), adv3 (spent), adv4 (cancelled).
    assert_eq!(d.state().ledger_entries(), 4);
}

#[test]
fn an_advance_partly_spent_refunds_exactly_the_rest() {
    let (mut d, _) = with_shift();
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]); // 20.00
                                                         // A 12.00 sale takes 8.00 of it: 12.00 is left.
    let small = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Tort","itemQuantity":1,"itemPrice":12,"itemVatPercent":18}],"cashSum":4,"prepaymentSum":8,"parents":["ID"]}}"#
        .replace("ID", &adv.id().long());
    issue(&mut d, &small, at(10, 1, 0), &[adv.clone()]);
    expect(
        refuse(
            &mut d,
            &ret_json(&adv, "12.01", 1),
            at(10, 2, 0),
            &[adv.clone()],
        ),
        C::AdvancesExceeded,
    );
    let rest = issue(
        &mut d,
        &ret_json(&adv, "12.00", 1),
        at(10, 3, 0),
        &[adv.clone()],
    );
    // 8.00 spent + 12.00 refunded = 20.00: nothing left to refund or to spend.
    expect(
        refuse(
            &mut d,
            &ret_json(&adv, "0.01", 1),
            at(10, 4, 0),
            &[adv.clone(), rest],
        ),
        C::AdvancesExceeded,
    );
    expect(
        refuse(
            &mut d,
            &cake_json(&[&adv], "0.01", "49.99"),
            at(10, 4, 0),
            &[adv.clone()],
        ),
        C::AdvancesExceeded,
    );
}

#[test]
fn withheld_references_do_not_fool_the_device() {
    let (mut d, _) = with_shift();
    // A return of the whole 4.70 sale; the second, with the first withheld, is refused.
    let sale = issue(&mut d, &sale_json("Süd", "4.70"), at(10, 0, 0), &[]);
    issue(
        &mut d,
        &ret_json(&sale, "4.70", 0),
        at(10, 1, 0),
        &[sale.clone()],
    );
    for amount in ["4.70", "0.01"] {
        expect(
            refuse(
                &mut d,
                &ret_json(&sale, amount, 0),
                at(10, 2, 0),
                &[sale.clone()],
            ),
            C::ReturnExceedsSale,
        );
    }
    // Instalment 1 of 400.00 on the 1000.00 debt; paid again with it withheld: refused.
    let credit = issue(&mut d, CREDIT_SALE, at(10, 3, 0), &[]);
    issue(
        &mut d,
        &creditpay_json(&credit, 1, "400", "600"),
        at(10, 4, 0),
        &[credit.clone()],
    );
    expect(
        refuse(
            &mut d,
            &creditpay_json(&credit, 1, "400", "600"),
            at(10, 5, 0),
            &[credit.clone()],
        ),
        C::InstalmentNumberMismatch,
    );
    // The device knows the debt left is 600.00, not 1000.00: 400.00 leaves 200.00.
    expect(
        refuse(
            &mut d,
            &creditpay_json(&credit, 2, "400", "600"),
            at(10, 5, 0),
            &[credit.clone()],
        ),
        C::DebtMismatch,
    );
    issue(
        &mut d,
        &creditpay_json(&credit, 2, "400", "200"),
        at(10, 5, 0),
        &[credit.clone()],
    );
    // An advance of 20.00 spent by a sale; a second sale with the first withheld: refused.
    let adv = issue(&mut d, ADVANCE, at(10, 6, 0), &[]);
    issue(
        &mut d,
        &cake_json(&[&adv], "20", "30"),
        at(10, 7, 0),
        &[adv.clone()],
    );
    expect(
        refuse(
            &mut d,
            &cake_json(&[&adv], "20", "30"),
            at(10, 8, 0),
            &[adv.clone()],
        ),
        C::AdvancesExceeded,
    );
}

#[test]
fn receipts_in_use_cannot_be_cancelled() {
    let (mut d, _) = with_shift();
    // An advance of which a sale spent one qəpik.
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]);
    let cake = issue(
        &mut d,
        &cake_json(&[&adv], "0.01", "49.99"),
        at(10, 1, 0),
        &[adv.clone()],
    );
    receipt_in_use(
        refuse(&mut d, &cancel_json(&adv), at(10, 2, 0), &[adv.clone()]),
        &adv,
    );
    // The sale that spent it: which advance gave how much is not kept, so its 0.01 could
    // not go back to the advance (SPEC.md §14.6, cancel rule 5); a return refunds it.
    receipt_in_use(
        refuse(
            &mut d,
            &cancel_json(&cake),
            at(10, 2, 0),
            &[cake.clone(), adv.clone()],
        ),
        &cake,
    );
    // A credit sale with one instalment paid; cancelling the instalment does not free it
    // (a cancelled instalment still counts: SPEC.md §14.6).
    let credit = issue(&mut d, CREDIT_SALE, at(10, 3, 0), &[]);
    let p1 = issue(
        &mut d,
        &creditpay_json(&credit, 1, "100", "900"),
        at(10, 4, 0),
        &[credit.clone()],
    );
    receipt_in_use(
        refuse(
            &mut d,
            &cancel_json(&credit),
            at(10, 5, 0),
            &[credit.clone()],
        ),
        &credit,
    );
    issue(&mut d, &cancel_json(&p1), at(10, 6, 0), &[p1.clone()]);
    receipt_in_use(
        refuse(
            &mut d,
            &cancel_json(&credit),
            at(10, 7, 0),
            &[credit.clone(), p1],
        ),
        &credit,
    );
    // A cancelled credit sale takes no instalment.
    let credit2 = issue(&mut d, CREDIT_SALE, at(10, 8, 0), &[]);
    issue(
        &mut d,
        &cancel_json(&credit2),
        at(10, 9, 0),
        &[credit2.clone()],
    );
    expect(
        refuse(
            &mut d,
            &creditpay_json(&credit2, 1, "100", "900"),
            at(10, 10, 0),
            &[credit2.clone()],
        ),
        C::AlreadyCancelled,
    );
}

#[test]
fn a_restored_state_keeps_the_ledger() {
    let (mut d, _) = with_shift();
    let sale = issue(&mut d, &sale_json("Süd", "5"), at(10, 0, 0), &[]);
    issue(
        &mut d,
        &ret_json(&sale, "3", 0),
        at(10, 1, 0),
        &[sale.clone()],
    );
    let adv = issue(&mut d, ADVANCE, at(10, 2, 0), &[]);
    issue(
        &mut d,
        &cake_json(&[&adv], "20", "30"),
        at(10, 3, 0),
        &[adv.clone()],
    );
    assert_eq!(d.state().ledger_entries(), 2);
    let mut back = Device::restore(&d.export_state(), device_key()).unwrap();
    assert_eq!(back.state(), d.state());
    assert_eq!(back.state().ledger_entries(), 2);
    expect(
        refuse(
            &mut back,
            &ret_json(&sale, "2", 0),
            at(10, 4, 0),
            &[sale.clone()],
        ),
        C::NotUnlocked,
    );
    back.unlock(PIN).unwrap();
    // 3.00 of 5.00 returned before the restart: 2.01 is too much, 2.00 is the rest.
    expect(
        refuse(
            &mut back,
            &ret_json(&sale, "2.01", 0),
            at(10, 4, 0),
            &[sale.clone()],
        ),
        C::ReturnExceedsSale,
    );
    receipt_in_use(
        refuse(&mut back, &cancel_json(&adv), at(10, 4, 0), &[adv.clone()]),
        &adv,
    );
    let rest = issue(
        &mut back,
        &ret_json(&sale, "2", 0),
        at(10, 4, 0),
        &[sale.clone()],
    );
    // The device that was not restarted decides the same, and issues the same document.
    assert_eq!(
        issue(
            &mut d,
            &ret_json(&sale, "2", 0),
            at(10, 4, 0),
            &[sale.clone()]
        ),
        rest
    );
    // And across a shift boundary and another restart.
    back.close_shift(at(11, 0, 0)).unwrap();
    let mut again = Device::restore(&back.export_state(), device_key()).unwrap();
    again.unlock(PIN).unwrap();
    again.open_shift(at(11, 0, 1)).unwrap();
    expect(
        refuse(
            &mut again,
            &ret_json(&sale, "0.01", 0),
            at(11, 1, 0),
            &[sale.clone()],
        ),
        C::ReturnExceedsSale,
    );
}

#[test]
fn a_refused_claim_leaves_the_state_byte_identical() {
    let (mut d, _) = with_shift();
    let adv = issue(&mut d, ADVANCE, at(10, 0, 0), &[]);
    issue(
        &mut d,
        &cake_json(&[&adv], "15", "35"),
        at(10, 1, 0),
        &[adv.clone()],
    );
    let credit = issue(&mut d, CREDIT_SALE, at(10, 2, 0), &[]);
    let rates = rates();
    let before = d.export_state();
    let (entries, horizon) = (d.state().ledger_entries(), d.state().ledger_horizon());
    // Each refusal below would, if kept, change a balance: taken, returned, cancelled, paid.
    let refused: [(String, Vec<Document>, C); 4] = [
        (
            cake_json(&[&adv], "5.01", "44.99"),
            vec![adv.clone()],
            C::AdvancesExceeded,
        ),
        (
            ret_json(&adv, "5.01", 1),
            vec![adv.clone()],
            C::AdvancesExceeded,
        ),
        (cancel_json(&adv), vec![adv.clone()], C::ReceiptInUse),
        (
            creditpay_json(&credit, 2, "100", "900"),
            vec![credit.clone()],
            C::InstalmentNumberMismatch,
        ),
    ];
    for (json, refs, code) in refused {
        let opts = IssueOptions {
            rates: &rates,
            references: &refs,
            expected_previous: None,
            foreign_references: false,
        };
        expect(
            d.issue(&request(&json), at(10, 3, 0), &opts).unwrap_err(),
            code,
        );
        assert_eq!(d.export_state(), before, "{code:?} changed the state");
    }
    assert_eq!(
        (d.state().ledger_entries(), d.state().ledger_horizon()),
        (entries, horizon)
    );
    // What was left is still there: 5.00 of the advance.
    issue(
        &mut d,
        &cake_json(&[&adv], "5", "45"),
        at(10, 4, 0),
        &[adv.clone()],
    );
}

#[test]
fn the_ledger_is_bounded_and_falls_back_on_supplied_documents_below_its_horizon() {
    // Slow (about 2 000 documents signed): MAX_LEDGER_ENTRIES + 1 sales, each returned in full.
    use fiscal_core::limits::MAX_LEDGER_ENTRIES;
    let (mut d, _) = with_shift();
    let start = at(9, 0, 1);
    let mut t = 0i64;
    let mut next = || {
        t += 1000;
        start.plus(t)
    };
    let first = issue(&mut d, &sale_json("Süd", "5"), next(), &[]);
    let first_return = issue(&mut d, &ret_json(&first, "5", 0), next(), &[first.clone()]);
    assert_eq!(d.state().ledger_horizon(), 0);
    for i in 0..MAX_LEDGER_ENTRIES {
        let sale = issue(&mut d, &sale_json("Süd", "5"), next(), &[]);
        issue(&mut d, &ret_json(&sale, "5", 0), next(), &[sale]);
        let expected = (i + 2).min(MAX_LEDGER_ENTRIES);
        assert_eq!(d.state().ledger_entries(), expected);
    }
    // The first sale's entry was forgotten; the horizon moved past it.
    assert_eq!(d.state().ledger_entries(), MAX_LEDGER_ENTRIES);
    assert_eq!(d.state().ledger_horizon(), first.number() + 1);
    // A restored state keeps the bound and the horizon.
    let back = Device::restore(&d.export_state(), device_key()).unwrap();
    assert_eq!(back.state(), d.state());
    // Below the horizon the device counts what is supplied: with the first return supplied,
    // a second is refused; without it, the device cannot know (SPEC.md §14.6, SECURITY.md).
    let now = next();
    expect(
        refuse(
            &mut d,
            &ret_json(&first, "0.01", 0),
            now,
            &[first.clone(), first_return.clone()],
        ),
        C::ReturnExceedsSale,
    );
    issue(&mut d, &ret_json(&first, "5", 0), now, &[first.clone()]);
    assert!(d.state().ledger_entries() <= MAX_LEDGER_ENTRIES);
    assert_eq!(d.state().ledger_horizon(), first.number() + 1);
    // A receipt above the horizon is still known without its return supplied.
    let recent = issue(&mut d, &sale_json("Süd", "5"), next(), &[]);
    issue(
        &mut d,
        &ret_json(&recent, "5", 0),
        next(),
        &[recent.clone()],
    );
    expect(
        refuse(
            &mut d,
            &ret_json(&recent, "0.01", 0),
            next(),
            &[recent.clone()],
        ),
        C::ReturnExceedsSale,
    );
    assert!(d.state().ledger_entries() <= MAX_LEDGER_ENTRIES);
    let back = Device::restore(&d.export_state(), device_key()).unwrap();
    assert_eq!(back.state(), d.state());
}
