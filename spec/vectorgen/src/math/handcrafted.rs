//! Hand-written valid cases: SPEC.md §10's worked examples, midpoints, allocation, fuel, the
//! band, deferred payments (tcIds 1–16).

use serde_json::{json, Value};

use super::{case, sale, Case};

pub(super) fn cases() -> Vec<Case> {
    let item = |name: &str, q: &str, p: &str, pct: Value| json!({"itemName": name, "itemQuantity": q, "itemPrice": p, "itemVatPercent": pct});
    vec![
        case(1, "SPEC §10.1: VAT 18, VAT 0, exempt, a weighed item; cash with change and card", &["RC-05", "RC-10", "RC-12", "RC-14"], &["worked-example"],
            sale(json!([item("Çörək", "2", "0.60", json!(18)), item("Süd", "1", "2.35", json!(18)),
                        json!({"itemName": "Pendir", "itemQuantityType": 1, "itemQuantity": "0.750", "itemPrice": "4.99", "itemVatPercent": 18}),
                        json!({"itemName": "Dərman", "itemQuantity": "1", "itemPrice": "5.00"}), item("Eksport", "1", "3.00", json!(0))]),
                 json!({"cashSum": "10.29", "cashlessSum": "5.00", "incomingSum": "20.00"}))),
        case(2, "SPEC §10.2: credit sale counts the part paid now", &["RC-05", "RC-13"], &["worked-example", "deferred"],
            sale(json!([item("Televizor", "1", "1180.00", json!(18))]), json!({"cashSum": "180.00", "creditSum": "1000.00"}))),
        case(3, "SPEC §10.3: VAT on the trade margin", &["RC-05"], &["worked-example", "margin"],
            sale(json!([json!({"itemName": "Alma", "itemQuantityType": 1, "itemQuantity": "2", "itemPrice": "1.50", "itemVatPercent": 18, "itemMarginSum": "0.59"})]), json!({"cashSum": "3.00"}))),
        case(4, "SPEC §10.4: 100 lines of 0.01 at VAT 18: group tax 0.15 allocated to the first 15 lines", &["RC-05"], &["worked-example", "allocation"],
            sale(Value::Array((0..100).map(|_| item("Kibrit", "1", "0.01", json!(18))).collect()), json!({"cashSum": "1.00"}))),
        case(5, "SPEC §10.5: catering simplified tax 8%", &["RC-05"], &["worked-example", "simplified"],
            sale(json!([item("Plov", "1", "12.50", json!(8)), item("Çay", "2", "1.25", json!(8))]), json!({"cashlessSum": "15.00"}))),
        case(6, "simplified tax 2%: 0.99 → 0.0198 → 0.02", &["RC-05"], &["simplified"],
            sale(json!([item("Kibrit", "3", "0.33", json!(2))]), json!({"cashSum": "0.99"}))),
        case(7, "simplified tax midpoint: 0.25 × 2% = 0.005 → 0.01 (half up)", &["RC-05"], &["midpoint", "simplified"],
            sale(json!([item("Saqqız", "1", "0.25", json!(2))]), json!({"cashSum": "0.25"}))),
        case(8, "line total midpoint: 7 × 0.0050 = 0.035 → 0.04", &["RC-05"], &["midpoint"],
            sale(json!([item("Mıx", "7", "0.0050", json!(18))]), json!({"cashSum": "0.04"}))),
        case(9, "line total midpoint with an even digit: 5 × 0.0050 = 0.025 → 0.03 (half-even would give 0.02)", &["RC-05"], &["midpoint"],
            sale(json!([item("Sancaq", "5", "0.0050", json!(0))]), json!({"cashSum": "0.03"}))),
        case(10, "fuel: 35.123 l × 1.0575 = 37.1425725 → 37.14", &["RC-05", "RC-19"], &["fuel"],
            sale(json!([json!({"itemName": "Aİ-92", "itemQuantityType": 2, "itemQuantity": "35.123", "itemPrice": "1.0575", "itemVatPercent": 18})]), json!({"fuelCardSum": "37.14", "vehiclePlate": "10-AB-123"}))),
        case(11, "2-decimal net price within the band: 3 × 0.83 sent as 2.50", &["RC-05"], &["band"],
            sale(json!([json!({"itemName": "Yoqurt", "itemQuantity": 3, "itemPrice": 0.83, "itemSum": 2.50, "itemVatPercent": 18, "discount": 0.50})]), json!({"cashSum": 2.50}))),
        case(12, "sale against an advance: 20 of 50 offset", &["RC-05", "RC-17"], &["deferred"],
            sale(json!([item("Tort", "1", "50", json!(18))]), json!({"cashSum": "30", "prepaymentSum": "20", "parents": ["7bzWXgWvSKx4"]}))),
        case(13, "advance receipt", &["RC-11", "RC-05"], &[],
            json!({"doc_type": "prepay", "data": {"cashier": "K", "items": [item("Avans", "1", "20", json!(18))], "cashlessSum": "20"}})),
        case(14, "credit instalment", &["RC-18", "RC-05"], &[],
            json!({"doc_type": "creditpay", "data": {"cashier": "K", "parentDocument": "7bzWXgWvSKx4", "paymentNumber": 1, "residue": "900", "items": [item("Nisyə ödənişi", "1", "100", json!(18))], "cashSum": "100"}})),
        case(15, "return of a credit sale: every form counts in sum", &["RC-17", "RC-05"], &[],
            json!({"doc_type": "money_back", "data": {"cashier": "K", "parentDocument": "7bzWXgWvSKx4", "items": [item("Televizor", "1", "1180", json!(18))], "cashSum": "180", "creditSum": "1000"}})),
        case(16, "counted tie: 0.01 over three equal groups goes to the first", &["RC-05"], &["deferred", "allocation"],
            sale(json!([item("A", "1", "1.00", json!(18)), item("B", "1", "1.00", json!(2)), json!({"itemName": "C", "itemQuantity": "1", "itemPrice": "1.00"})]), json!({"cashSum": "0.01", "creditSum": "2.99"}))),
    ]
}
