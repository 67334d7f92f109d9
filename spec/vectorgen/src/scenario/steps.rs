//! The building blocks of the scenarios: times, the test group's device, input steps and the
//! requests they carry.

use fiscal_core::{CivilDate, Device, IssueOptions, RateTable, Request, ValidationContext};
use serde_json::{json, Value};

use crate::engine::scenario::{certificate, parse_time};

// ---------------------------------------------------------------------------------------------
// Times: ISO 8601 in Baku (+04:00), milliseconds when there are any.

/// `"MM-DD HH:MM[:SS[.mmm]]"` in 2026, or `"YYYY-MM-DD HH:MM…"`, as ISO 8601 with +04:00.
pub(super) fn at(s: &str) -> String {
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

pub(crate) fn device_params() -> Value {
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
pub(super) fn foreign_params() -> Value {
    let mut d = device_params();
    d["deviceSeed"] = json!("fiscal-core scenario other device");
    d["certificate"]["serial"] = json!(3002);
    d["certificate"]["nmqFactoryNumber"] = json!("NMQ-77-001000");
    d["certificate"]["nmqRegistrationNumber"] = json!("AZ-NMQ-2026-003002");
    d
}

// ---------------------------------------------------------------------------------------------
// Building the scenarios.

pub(super) fn activate(t: &str) -> Value {
    json!({"at": at(t), "op": "activate"})
}
pub(super) fn open(t: &str) -> Value {
    json!({"at": at(t), "op": "openShift"})
}
pub(super) fn close(t: &str) -> Value {
    json!({"at": at(t), "op": "closeShift"})
}
pub(super) fn decommission(t: &str) -> Value {
    json!({"at": at(t), "op": "decommission"})
}
pub(super) fn x_report() -> Value {
    json!({"op": "xReport"})
}
pub(super) fn unlock(pin: &str) -> Value {
    json!({"op": "unlock", "pin": pin})
}
pub(super) fn restart() -> Value {
    json!({"op": "restart"})
}
pub(super) fn ack(through: u64) -> Value {
    json!({"op": "acknowledge", "through": through})
}
pub(super) fn issue(t: &str, request: Value) -> Value {
    json!({"at": at(t), "op": "issue", "request": request})
}
pub(super) fn issue_refs(t: &str, request: Value, refs: &[u64]) -> Value {
    json!({"at": at(t), "op": "issue", "request": request, "references": refs})
}
pub(super) fn with(mut step: Value, key: &str, value: Value) -> Value {
    step[key] = value;
    step
}

pub(super) fn id(n: u64) -> String {
    format!("{{{{fiscalId:{n}}}}}")
}
pub(super) fn short(n: u64) -> String {
    format!("{{{{shortId:{n}}}}}")
}

pub(super) fn item(name: &str, qty: &str, price: &str, vat: Option<&str>) -> Value {
    let mut i = json!({"itemName": name, "itemQuantity": qty, "itemPrice": price});
    if let Some(p) = vat {
        i["itemVatPercent"] = json!(p);
    }
    i
}
pub(super) fn one(name: &str, price: &str) -> Value {
    item(name, "1", price, Some("18"))
}

pub(super) fn request(doc_type: &str, items: Option<Vec<Value>>, members: Value) -> Value {
    let mut data = json!({"cashier": "Aysel"});
    if let Some(items) = items {
        data["items"] = Value::Array(items);
    }
    for (k, v) in members.as_object().unwrap() {
        data[k] = v.clone();
    }
    json!({"doc_type": doc_type, "data": data})
}
pub(super) fn sale(items: Vec<Value>, pay: Value) -> Value {
    request("sale", Some(items), pay)
}
/// One line of `price` at VAT 18%, paid in cash.
pub(super) fn cash_sale(name: &str, price: &str) -> Value {
    sale(vec![one(name, price)], json!({"cashSum": price}))
}
pub(super) fn card_sale(name: &str, price: &str) -> Value {
    sale(vec![one(name, price)], json!({"cashlessSum": price}))
}
pub(super) fn money_back(parent: &str, items: Vec<Value>, pay: Value, ty: Option<u8>) -> Value {
    let mut m = pay;
    m["parentDocument"] = json!(parent);
    if let Some(t) = ty {
        m["moneyBackType"] = json!(t);
    }
    request("money_back", Some(items), m)
}
/// A return of `amount` (one line at VAT 18%) paid back in `form` (`cashSum`, `cashlessSum`).
pub(super) fn ret(parent: u64, amount: &str, form: &str) -> Value {
    money_back(
        &id(parent),
        vec![one("Qaytarma", amount)],
        json!({ form: amount }),
        None,
    )
}
pub(super) fn cancel(parent: &str) -> Value {
    request("rollback", None, json!({"parentDocument": parent}))
}
pub(super) fn prepay(amount: &str, form: &str) -> Value {
    request(
        "prepay",
        Some(vec![one("Avans", amount)]),
        json!({ form: amount }),
    )
}
pub(super) fn credit_sale(total: &str, cash: &str, credit: &str) -> Value {
    sale(
        vec![one("Televizor", total)],
        json!({"cashSum": cash, "creditSum": credit, "creditContract": "NK-2026/118"}),
    )
}
pub(super) fn creditpay(parent: u64, n: u32, paid: &str, residue: &str) -> Value {
    request(
        "creditpay",
        Some(vec![item("Nisyə ödənişi", "1", paid, Some("18"))]),
        json!({"parentDocument": id(parent), "paymentNumber": n, "residue": residue, "cashSum": paid}),
    )
}
pub(super) fn deposit(amount: &str) -> Value {
    request("deposit", None, json!({ "sum": amount }))
}
pub(super) fn withdraw(amount: &str) -> Value {
    request("withdraw", None, json!({ "sum": amount }))
}

/// Activation at 08:00 and a shift opened at 09:00 on 2026-11-23: documents 1 and 2.
pub(super) fn day_start() -> Vec<Value> {
    vec![activate("11-23 08:00"), open("11-23 09:00")]
}
pub(super) fn then(mut a: Vec<Value>, b: Vec<Value>) -> Vec<Value> {
    a.extend(b);
    a
}

/// A sale of another device (the journal line of its document 3), for references that are
/// not this device's (NM-11).
pub(super) fn foreign_sale() -> String {
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
        foreign_references: false,
    };
    d.issue(&r, parse_time(&at("11-23 09:10")), &opts)
        .unwrap()
        .document
        .to_journal_line()
}
