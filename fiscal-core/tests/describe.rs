//! The readable description (SPEC.md §8.5), worked out by hand for one sale, its shift's
//! X-report, a small journal and a warning: every member, in its order, with its exact text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::device::*;

use fiscal_core::describe;
use fiscal_core::qr::DEFAULT_QR_BASE;
use fiscal_core::{Timestamp, Warning};
use serde_json::json;

/// Two loaves at 0.60 with 18 % VAT (a percent has scale 2: `"18.00"`), paid 2.00 in cash: total 1.20, VAT 1.20 × 18/118 = 0.183…
/// → 0.18, change 0.80.
const SALE: &str = r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}],"cashSum":1.20,"incomingSum":2.00}}"#;

fn zero_payments() -> serde_json::Value {
    json!({"bonus": "0.00", "cash": "0.00", "cashless": "0.00", "change": "0.00", "credit": "0.00",
           "fuel_card": "0.00", "gift_card": "0.00", "prepayment": "0.00", "tendered": "0.00"})
}

fn sale_payments() -> serde_json::Value {
    let mut p = zero_payments();
    p["cash"] = json!("1.20");
    p["tendered"] = json!("2.00");
    p["change"] = json!("0.80");
    p
}

#[test]
fn a_sale_is_described_member_for_member() {
    let (mut device, _) = activated();
    device.unlock(PIN).unwrap();
    let opened = device.open_shift(at(9, 0, 0)).unwrap().document;
    // 09:02:00.123: the ISO text shows the milliseconds only because there are some.
    let now = Timestamp::from_millis(at(9, 2, 0).millis() + 123);
    let sale = issue(&mut device, SALE, now, &[]);
    let id = sale.id().long();
    let v = describe::document(&sale, DEFAULT_QR_BASE, &[]);
    let group = json!([{"category": "vat", "gross": "1.20", "percent": "18.00", "tax": "0.18"}]);
    let expected = json!({
        "amounts": {
            "counted_groups": group,
            "payments": sale_payments(),
            "sum": "1.20",
            "tax_groups": group,
            "tax_total": "0.18",
            "total": "1.20",
        },
        "content": serde_json::from_str::<serde_json::Value>(&request(SALE).to_json()).unwrap(),
        "fiscal_id": id,
        "journal_line": sale.to_journal_line(),
        "kind": "sale",
        "number": 3,
        "previous": opened.id().long(),
        "qr_payload": format!("https://monitoring.e-kassa.gov.az/#/index?doc={id}"),
        "shift": 1,
        "shift_receipt": 1,
        "short_id": &id[..12],
        "time": "2026-11-23T09:02:00.123+04:00",
        "time_ms": 1_795_410_120_123_i64,
        "warnings": [],
    });
    assert_eq!(v, expected);
    // The members in alphabetical order, every one present, in the text too.
    let text = v.to_string();
    assert!(text.starts_with(r#"{"amounts":{"counted_groups":[{"category":"vat","gross":"1.20","percent":"18.00","tax":"0.18"}]"#), "{text}");
    assert!(
        text.contains(r#""itemPrice":0.60"#),
        "the request keeps its own form: {text}"
    );
    // The device's own records: no amounts; a shift opening records nothing more.
    let v = describe::document(&opened, "https://x.invalid/?d=", &[]);
    assert_eq!(
        (&v["amounts"], &v["content"], &v["kind"]),
        (&json!(null), &json!({}), &json!("open_shift"))
    );
    assert_eq!(
        v["qr_payload"],
        json!(format!("https://x.invalid/?d={}", opened.id().long()))
    );
    assert_eq!(
        (&v["time"], &v["shift_receipt"]),
        (&json!("2026-11-23T09:00:00+04:00"), &json!(0))
    );
}

#[test]
fn the_x_report_and_the_z_report_use_stable_names() {
    let (mut device, _) = activated();
    device.unlock(PIN).unwrap();
    device.open_shift(at(9, 0, 0)).unwrap();
    issue(&mut device, SALE, at(9, 2, 0), &[]);
    let x = describe::shift_report(&device.x_report().unwrap());
    let expected = json!({
        "cash_in": "1.20", "cash_in_drawer": "1.20", "cash_out": "0.00",
        "first_number": 2,
        "kinds": [{
            "count": 1,
            "groups": [{"category": "vat", "gross": "1.20", "percent": "18.00", "tax": "0.18"}],
            "kind": "sale",
            "payments": sale_payments(),
            "sum": "1.20",
        }],
        "last_number": 3,
        "opened_at": "2026-11-23T09:00:00+04:00",
        "opened_at_ms": at(9, 0, 0).millis(),
        "receipts": 1,
        "shift": 1,
    });
    assert_eq!(x, expected);
    // The Z-report document carries the same report, closed by itself (document 4).
    let z = device.close_shift(at(18, 0, 0)).unwrap().document;
    let v = describe::document(&z, DEFAULT_QR_BASE, &[]);
    let mut closed = expected;
    closed["last_number"] = json!(4);
    assert_eq!(v["content"], closed);
    assert_eq!(
        (&v["kind"], &v["amounts"]),
        (&json!("zreport"), &json!(null))
    );
}

#[test]
fn a_journal_report_and_its_findings() {
    let (mut device, activation) = activated();
    device.unlock(PIN).unwrap();
    let opened = device.open_shift(at(9, 0, 0)).unwrap().document;
    let sale = issue(&mut device, SALE, at(9, 2, 0), &[]);
    let lines = [
        certificate().to_journal_line(),
        activation.document.to_journal_line(),
        opened.to_journal_line(),
        sale.to_journal_line(),
    ];
    let authority = authority().public_key();
    let report = fiscal_core::verify_journal(&lines.join("\n"), &authority, &rates());
    assert_eq!(
        describe::journal_report(&report),
        json!({
            "documents": 3, "findings": [], "findings_dropped": 0,
            "last_fiscal_id": sale.id().long(), "last_number": 3,
            "last_shift": 1, "last_shift_closed": false,
            "last_time": "2026-11-23T09:02:00+04:00", "last_time_ms": at(9, 2, 0).millis(),
            "lines": 4, "receipts": 1, "unchecked": [], "unchecked_total": 0, "valid": true,
        })
    );
    // Without the shift opening (document 2), the sale on line 3 follows document 1.
    let cut = [&lines[0], &lines[1], &lines[3]]
        .map(|l| l.as_str())
        .join("\n");
    let report = fiscal_core::verify_journal(&cut, &authority, &rates());
    let v = describe::journal_report(&report);
    assert_eq!(v["valid"], json!(false));
    assert_eq!(
        v["findings"][0],
        json!({
            "code": "number_gap", "code_number": 271, "document_number": 3, "line": 3,
            "message": "document 2 is missing", "rule": "NM-03",
        })
    );
    assert_eq!(describe::finding(&report.findings[0]), v["findings"][0]);
}

#[test]
fn a_warning_has_a_code_a_moment_and_one_message() {
    let w = Warning::CertificateExpiresSoon { at: at(12, 0, 0) };
    assert_eq!(w.code(), "certificate_expires_soon");
    assert_eq!(
        describe::warning(&w),
        json!({
            "at": "2026-11-23T12:00:00+04:00",
            "at_ms": at(12, 0, 0).millis(),
            "code": "certificate_expires_soon",
            "message": "the certificate expires at 2026-11-23T12:00:00+04:00: load a new one before then (NM-08)",
        })
    );
}

#[test]
fn iso_time_shows_milliseconds_only_when_there_are_some() {
    assert_eq!(
        describe::iso_time(Timestamp::from_millis(0)),
        "1970-01-01T04:00:00+04:00"
    );
    assert_eq!(
        describe::iso_time(Timestamp::from_millis(7)),
        "1970-01-01T04:00:00.007+04:00"
    );
    // Before the epoch the fraction still counts forwards from the second: −1 ms is .999.
    assert_eq!(
        describe::iso_time(Timestamp::from_millis(-1)),
        "1970-01-01T03:59:59.999+04:00"
    );
}

#[test]
fn a_device_status_is_described_member_for_member() {
    // Activated at 08:00 (document 1), shift 1 opened at 09:00 (2), one sale at 09:02 (3);
    // nothing acknowledged, so the 7-day clock runs from 08:00 on the 23rd to the 30th.
    let (mut device, _) = activated();
    device.open_shift(at(9, 0, 0)).unwrap();
    let sale = issue(&mut device, SALE, at(9, 2, 0), &[]);
    let t = |text: &str, ms: Timestamp| (json!(text), json!(ms.millis()));
    let (last, last_ms) = t("2026-11-23T09:02:00+04:00", at(9, 2, 0));
    let (oldest, oldest_ms) = t("2026-11-23T08:00:00+04:00", at(8, 0, 0));
    let (deadline, deadline_ms) = t("2026-11-30T08:00:00+04:00", day(30, 8));
    let (opened, opened_ms) = t("2026-11-23T09:00:00+04:00", at(9, 0, 0));
    let until = Timestamp::from_baku("2029-01-01".parse().unwrap(), 0, 0, 0).unwrap();
    assert_eq!(
        describe::device_status(&device),
        json!({
            "acknowledged": 0,
            "certificate_serial": 1001,
            "certificate_valid_until": "2029-01-01T00:00:00+04:00",
            "certificate_valid_until_ms": until.millis(),
            "last_fiscal_id": sale.id().long(),
            "last_number": 3,
            "last_shift": 1,
            "last_time": last,
            "last_time_ms": last_ms,
            "ledger_entries": 0,
            "ledger_horizon": 0,
            "max_pending": 4000,
            "oldest_pending": oldest,
            "oldest_pending_ms": oldest_ms,
            "pending": 3,
            "pin_failures": 0,
            "shift_open": true,
            "shift_opened_at": opened,
            "shift_opened_at_ms": opened_ms,
            "shift_receipts": 1,
            "status": "active",
            "unlocked": true,
            "upload_deadline": deadline,
            "upload_deadline_ms": deadline_ms,
        })
    );
    // Closed, every document acknowledged, restored (so locked until the PIN): no shift, no
    // deadline.
    let z = device.close_shift(at(18, 0, 0)).unwrap().document;
    device.acknowledge_upload(z.number(), None).unwrap();
    let restored = fiscal_core::Device::restore(&device.export_state(), device_key()).unwrap();
    let v = describe::device_status(&restored);
    assert_eq!(v["unlocked"], json!(false));
    assert_eq!(v["shift_open"], json!(false));
    assert_eq!(v["shift_receipts"], json!(null));
    assert_eq!(v["pending"], json!(0));
    assert_eq!(v["upload_deadline"], json!(null));
    assert_eq!(v["last_number"], json!(4));
}
