//! Invalid requests, one fault each, named after it (tcIds 317–336).

use serde_json::{json, Value};

use super::{case, sale, Case};

/// Invalid requests, one fault each, named after it.
pub(super) fn cases() -> Vec<Case> {
    let ok_item =
        json!({"itemName": "Çörək", "itemQuantity": 2, "itemPrice": 1.25, "itemVatPercent": 18});
    let with = |patch: Value| {
        let mut item = ok_item.clone();
        for (k, v) in patch.as_object().unwrap() {
            item[k] = v.clone();
        }
        item
    };
    let paid = json!({"cashSum": "2.50"});
    let c = |id: u64, comment: &str, rule: &'static str, input: Value| {
        case(id, comment, &[rule], &["invalid"], input)
    };
    vec![
        c(
            317,
            "line total outside the band",
            "RC-05",
            sale(
                json!([with(json!({"itemSum": 2.60}))]),
                json!({"cashSum": 2.60}),
            ),
        ),
        c(
            318,
            "VAT rate not in force",
            "RC-05",
            sale(json!([with(json!({"itemVatPercent": 20}))]), paid.clone()),
        ),
        c(
            319,
            "too many decimals in an amount",
            "RC-05",
            sale(json!([ok_item]), json!({"cashSum": "2.501"})),
        ),
        c(
            320,
            "negative quantity",
            "RC-10",
            sale(json!([with(json!({"itemQuantity": -1}))]), paid.clone()),
        ),
        c(
            321,
            "underpaid",
            "RC-10",
            sale(json!([ok_item]), json!({"cashSum": "2.00"})),
        ),
        c(
            322,
            "card overpays",
            "RC-12",
            sale(
                json!([ok_item]),
                json!({"cashSum": "2.00", "cashlessSum": "1.00"}),
            ),
        ),
        c(
            323,
            "change without cash",
            "RC-12",
            sale(
                json!([ok_item]),
                json!({"cashlessSum": "2.50", "incomingSum": "5.00"}),
            ),
        ),
        c(
            324,
            "return without its sale",
            "RC-17",
            json!({"doc_type": "money_back", "data": {"cashier": "K", "items": [ok_item], "cashSum": "2.50"}}),
        ),
        c(
            325,
            "advance offset without the advances",
            "RC-17",
            sale(
                json!([ok_item]),
                json!({"cashSum": "1.50", "prepaymentSum": "1.00"}),
            ),
        ),
        c(
            326,
            "instalment number 0",
            "RC-18",
            json!({"doc_type": "creditpay", "data": {"cashier": "K", "parentDocument": "7bzWXgWvSKx4", "paymentNumber": 0, "residue": 0, "items": [ok_item], "cashSum": "2.50"}}),
        ),
        c(
            327,
            "fuel card without the plate",
            "RC-19",
            sale(json!([ok_item]), json!({"fuelCardSum": "2.50"})),
        ),
        c(
            328,
            "unknown document kind",
            "RC-15",
            json!({"doc_type": "refund", "data": {"cashier": "K"}}),
        ),
        c(
            329,
            "a receipt without lines",
            "RC-05",
            sale(json!([]), json!({"cashSum": "0"})),
        ),
        c(
            330,
            "a name with a control character",
            "RC-05",
            sale(
                json!([with(json!({"itemName": "Çörək\u{7}"}))]),
                paid.clone(),
            ),
        ),
        c(
            331,
            "an EAN-13 with a wrong check digit",
            "RC-05",
            sale(
                json!([with(
                    json!({"itemCodeType": 2, "itemCode": "4006381333932"})
                )]),
                paid.clone(),
            ),
        ),
        c(
            332,
            "sum that is not the part paid now",
            "RC-10",
            sale(json!([ok_item]), json!({"cashSum": "2.50", "sum": "2.40"})),
        ),
        c(
            333,
            "vatAmounts that are not the groups",
            "RC-05",
            sale(
                json!([ok_item]),
                json!({"cashSum": "2.50", "vatAmounts": [{"vatSum": "2.50", "vatPercent": 0}]}),
            ),
        ),
        c(
            334,
            "margin above the line",
            "RC-05",
            sale(json!([with(json!({"itemMarginSum": 3.00}))]), paid.clone()),
        ),
        c(
            335,
            "currency other than AZN",
            "RC-10",
            sale(
                json!([ok_item]),
                json!({"cashSum": "2.50", "currency": "USD"}),
            ),
        ),
        c(
            336,
            "number written with an exponent",
            "RC-05",
            sale(json!([with(json!({"itemPrice": "1.25e0"}))]), paid),
        ),
    ]
}
