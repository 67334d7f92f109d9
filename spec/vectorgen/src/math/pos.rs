//! The POS software's own duties (PK rules), tcIds 337 on.

use serde_json::{json, Value};

use super::{case, sale, Case};

/// The POS software's own duties (PK rules), added after the first 336 cases so that their
/// tcIds stay stable.
pub(super) fn cases() -> Vec<Case> {
    let bread =
        json!({"itemName": "Çörək", "itemQuantity": 2, "itemPrice": "0.60", "itemVatPercent": 18});
    let with = |patch: Value| {
        let mut item = bread.clone();
        for (k, v) in patch.as_object().unwrap() {
            item[k] = v.clone();
        }
        item
    };
    vec![
        case(
                337,
            "PK-10: cash and a bank card on one receipt; PK-01: change computed on the cash part",
            &["PK-10", "PK-01", "RC-12", "RC-14"],
            &[],
            sale(
                json!([bread]),
                json!({"cashSum": "0.20", "cashlessSum": "1.00", "incomingSum": "1.00"}),
            ),
        ),
        case(
                338,
            "PK-10: paid by bank card only",
            &["PK-10", "RC-14"],
            &[],
            sale(json!([bread]), json!({"cashlessSum": "1.20"})),
        ),
        case(
                339,
            "PK-03: a discount already in the price is printed, not applied again",
            &["PK-03", "RC-05"],
            &[],
            sale(
                json!([with(json!({"discount": "0.10"}))]),
                json!({"cashSum": "1.20"}),
            ),
        ),
        case(
                340,
            "PK-03: a markup and a department",
            &["PK-03", "RC-05"],
            &[],
            sale(
                json!([with(
                    json!({"markup": "0.20", "department": 3, "departmentName": "Çörək şöbəsi"})
                )]),
                json!({"cashSum": "1.20"}),
            ),
        ),
        case(
                341,
            "PK-03: discount and markup on one line",
            &["PK-03", "PK-11"],
            &["invalid"],
            sale(
                json!([with(json!({"discount": "0.10", "markup": "0.10"}))]),
                json!({"cashSum": "1.20"}),
            ),
        ),
        case(
                342,
            "PK-03: a department name without its department",
            &["PK-03", "PK-11"],
            &["invalid"],
            sale(
                json!([with(json!({"departmentName": "Çörək şöbəsi"}))]),
                json!({"cashSum": "1.20"}),
            ),
        ),
        case(
                343,
            "PK-08: a receipt without its cashier",
            &["PK-08", "PK-11"],
            &["invalid"],
            json!({"doc_type": "sale", "data": {"items": [bread], "cashSum": "1.20"}}),
        ),
        case(
                344,
            "PK-11: format control: an amount sent as a JSON string where a number is due",
            &["PK-11"],
            &["invalid"],
            sale(
                json!([with(json!({"itemPrice": true}))]),
                json!({"cashSum": "1.20"}),
            ),
        ),
        case(
                345,
            "PK-11: format control: not a JSON object",
            &["PK-11"],
            &["invalid"],
            json!(["sale"]),
        ),
        // A text that reads two ways (SPEC.md §8.3): given as the text itself.
        case(
                346,
            "PK-11: a member repeated in a line (itemPrice 100.00, then 0.80): the request reads two ways",
            &["PK-11"],
            &["invalid", "text"],
            json!(
                r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Süd","itemQuantity":1,"itemPrice":100.00,"itemVatPercent":18,"itemPrice":0.80}],"cashSum":0.80}}"#
            ),
        ),
        case(
                347,
            "PK-11: doc_type repeated (sale, then prepay, written with a \\u escape): the request reads two ways",
            &["PK-11", "RC-15"],
            &["invalid", "text"],
            json!(
                r#"{"doc_type":"sale","data":{"cashier":"Aysel","items":[{"itemName":"Süd","itemQuantity":1,"itemPrice":0.80,"itemVatPercent":18}],"cashSum":0.80},"doc_\u0074ype":"prepay"}"#
            ),
        ),
    ]
}
