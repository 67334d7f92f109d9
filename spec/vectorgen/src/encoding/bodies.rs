//! Hand-made document bodies (tcIds 22–45): every payment form, item code, unit, adjustment,
//! tax treatment and kind of receipt, and the varint, time and text edges of the encoding.

use fiscal_core::{Content, Timestamp};
use serde_json::{json, Value};

use super::*;
use crate::engine::device::*;
use crate::journal::forge::*;

/// A line of 1 × 1.00 at VAT 18 with `patch` applied (a member set to null is absent).
pub(crate) fn item(patch: Value) -> Value {
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

pub(crate) fn sale_of(items: &[Value], pay: Value) -> Content {
    let mut data = json!({"cashier": "Aysel Məmmədova", "items": items});
    for (k, x) in pay.as_object().unwrap() {
        data[k] = x.clone();
    }
    receipt_request(&json!({"doc_type": "sale", "data": data}).to_string())
}

pub(crate) fn handcrafted_bodies() -> Vec<ECase> {
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
