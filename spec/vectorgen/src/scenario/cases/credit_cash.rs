//! Credit sales and instalments, cash documents, corrections, reports and the decommission
//! (RC-13, RC-18, PK-01, PK-02, LC-02, NM-12).

use serde_json::json;

use super::super::steps::*;
use super::super::{case, Case};

/// Appends this topic's cases, in tcId order of the file.
#[allow(clippy::too_many_lines)]
pub(super) fn push(v: &mut Vec<Case>) {
    // --- Credit sales and instalments (RC-13, RC-18) --------------------------------------------
    v.push(case(
                46,
        "a credit sale and its instalments until the debt is paid: each instalment is numbered, carries the debt left, and counts in the Z-report",
        &["RC-13", "RC-18", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 10:00", creditpay(3, 1, "400.00", "600.00"), &[3]),
                issue_refs("11-23 11:00", creditpay(3, 2, "600.00", "0.00"), &[3, 4]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                47,
        "the instalment number must be the next one after the instalments paid (the device's ledger counts them; supplying them changes nothing)",
        &["RC-18"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 10:00", creditpay(3, 2, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:02", creditpay(3, 1, "100.00", "800.00"), &[3, 4]),
                issue_refs("11-23 10:03", creditpay(3, 3, "100.00", "800.00"), &[3, 4]),
                issue_refs("11-23 10:04", creditpay(3, 2, "100.00", "800.00"), &[3, 4]),
            ],
        ),
    ));
    v.push(case(
                48,
        "an instalment above the debt left is refused; a residue that is not the debt left is refused",
        &["RC-18", "RC-13"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("500.00", "0.00", "500.00")),
                issue_refs("11-23 10:00", creditpay(3, 1, "300.00", "200.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(3, 2, "200.01", "0.00"), &[3, 4]),
                issue_refs("11-23 10:02", creditpay(3, 2, "150.00", "60.00"), &[3, 4]),
                issue_refs("11-23 10:03", creditpay(3, 2, "150.00", "50.00"), &[3, 4]),
                issue_refs("11-23 10:04", creditpay(3, 3, "50.00", "0.00"), &[3, 4, 5]),
            ],
        ),
    ));
    v.push(case(
        49,
        "an instalment against a sale without credit, or against an advance, is the wrong kind",
        &["RC-18", "RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "100.00")),
                issue("11-23 09:11", prepay("100.00", "cashSum")),
                issue_refs("11-23 10:00", creditpay(3, 1, "50.00", "50.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(4, 1, "50.00", "50.00"), &[4]),
                issue("11-23 10:02", cash_sale("Çörək", "1.00")),
            ],
        ),
    ));
    v.push(case(
        50,
        "instalments over several shifts; a credit payment can be returned (moneyBackType 2)",
        &["RC-18", "RC-17", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", creditpay(3, 1, "250.00", "750.00"), &[3]),
                issue_refs(
                    "11-24 09:20",
                    money_back(
                        &id(6),
                        vec![item("Nisyə ödənişi", "1", "50.00", Some("18"))],
                        json!({"cashSum": "50.00"}),
                        Some(2),
                    ),
                    &[6],
                ),
                close("11-24 20:00"),
                open("11-25 09:00"),
                issue_refs("11-25 09:10", creditpay(3, 2, "750.00", "0.00"), &[3, 6]),
                close("11-25 20:00"),
            ],
        ),
    ));

    // --- Cash documents, corrections, reports (PK-01, PK-02) -------------------------------
    v.push(case(
        51,
        "deposits and withdrawals: the drawer can be emptied exactly, not below zero",
        &["PK-01", "PK-02"],
        &["refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:01", withdraw("0.01")),
                issue("11-23 09:02", deposit("100.00")),
                issue("11-23 09:03", cash_sale("Çörək", "0.60")),
                issue("11-23 09:04", withdraw("100.61")),
                issue("11-23 09:05", withdraw("100.60")),
                issue("11-23 09:06", withdraw("0.01")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                52,
        "a correction (sums not fiscalized in time) is a document of the shift with receipt 0, counted in its own Z-report row",
        &["PK-01", "PK-02", "RC-06"],
        &["report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", request("correction", None, json!({"sum": "130.00", "cashSum": "100.00", "cashlessSum": "30.00", "vatAmounts": [{"vatSum": "118.00", "vatPercent": "18"}, {"vatSum": "12.00"}]}))),
                issue("11-23 09:11", cash_sale("Çörək", "0.60")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                53,
        "the X-report is the running report and changes nothing: the next document gets the next number",
        &["PK-02", "NM-03"],
        &["report"],
        then(
            day_start(),
            vec![
                x_report(),
                issue("11-23 09:10", cash_sale("Çörək", "0.60")),
                x_report(),
                x_report(),
                issue("11-23 09:11", card_sale("Süd", "2.35")),
                x_report(),
                close("11-23 20:00"),
                x_report(),
            ],
        ),
    ));
    v.push(case(
                54,
        "a shift with every kind of document: the Z-report has one row per kind (count, sum, payment forms, counted tax groups) and the drawer",
        &["PK-01", "PK-02", "RC-05", "RC-06", "RC-10", "RC-11", "RC-13", "RC-14", "RC-15", "RC-17", "RC-18"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:01", deposit("50.00")),
                issue("11-23 09:02", sale(
                    vec![
                        item("Çörək", "2", "0.60", Some("18")),
                        item("Pendir", "0.750", "4.99", Some("18")),
                        item("Dərman", "1", "5.00", None),
                        item("Eksport", "1", "3.00", Some("0")),
                        json!({"itemName": "Alma", "itemQuantityType": 1, "itemQuantity": "2", "itemPrice": "1.50", "itemVatPercent": "18", "itemMarginSum": "0.59"}),
                    ],
                    json!({"cashSum": "10.00", "cashlessSum": "5.94", "incomingSum": "20.00"}),
                )),
                issue("11-23 09:03", sale(vec![item("Plov", "1", "12.50", Some("8")), item("Çay", "2", "1.25", Some("8"))], json!({"cashlessSum": "10.00", "bonusSum": "5.00"}))),
                issue("11-23 09:04", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:05", sale(vec![one("Tort", "50.00"), item("Kibrit", "3", "0.33", Some("2"))], json!({"cashSum": "30.99", "prepaymentSum": "20.00", "parents": [id(6)]})), &[6]),
                issue("11-23 09:06", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:07", creditpay(8, 1, "100.00", "900.00"), &[8]),
                issue_refs("11-23 09:08", money_back(&id(4), vec![item("Pendir", "0.750", "4.99", Some("18"))], json!({"cashSum": "3.74"}), None), &[4]),
                issue_refs("11-23 09:09", cancel(&id(5)), &[5]),
                issue("11-23 09:10", request("correction", None, json!({"sum": "11.80", "cashSum": "11.80", "vatAmounts": [{"vatSum": "11.80", "vatPercent": "18"}]}))),
                issue("11-23 09:11", sale(vec![json!({"itemName": "Aİ-92", "itemQuantityType": 2, "itemQuantity": "35.123", "itemPrice": "1.0575", "itemVatPercent": "18"})], json!({"fuelCardSum": "37.14", "vehiclePlate": "10-AB-123"}))),
                issue("11-23 09:12", sale(vec![one("Hədiyyə", "25.00")], json!({"giftCardSum": "25.00"}))),
                issue("11-23 09:13", withdraw("100.00")),
                x_report(),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        55,
        "receipts across midnight stay in the shift that opened the day before",
        &["PK-02", "RC-06"],
        &["report"],
        vec![
            activate("11-23 08:00"),
            open("11-23 22:00"),
            issue("11-23 23:59:59.999", cash_sale("Çörək", "0.60")),
            issue("11-24 00:00:00", cash_sale("Çörək", "0.60")),
            close("11-24 02:00"),
        ],
    ));

    // --- Decommission (LC-02, NM-12) ------------------------------------------------------------
    v.push(case(
                56,
        "decommission: refused with a shift open, then with documents not uploaded; after the upload it issues the last document; then every operation is refused",
        &["LC-02", "NM-12", "NM-01", "PK-02"],
        &["refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "0.60")),
                decommission("11-23 19:00"),
                close("11-23 20:00"),
                decommission("11-23 20:01"),
                ack(3),
                decommission("11-23 20:02"),
                ack(4),
                decommission("11-23 20:03"),
                open("11-23 20:04"),
                issue("11-23 20:05", cash_sale("Çörək", "0.60")),
                decommission("11-23 20:06"),
                unlock("1234"),
            ],
        ),
    ));
    v.push(case(
                57,
        "decommission right after activation, once document 1 is uploaded: document 2 carries shift 0",
        &["LC-02", "LC-01", "NM-12"],
        &["refusal"],
        vec![
            activate("11-23 08:00"),
            decommission("11-23 08:01"),
            ack(1),
            decommission("11-23 08:02"),
            open("11-23 08:03"),
        ],
    ));
    v.push(case(
        58,
        "a decommissioned device stays out of service after a restart",
        &["LC-02", "NM-12", "NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            ack(1),
            decommission("11-23 08:02"),
            restart(),
            unlock("1234"),
            open("11-23 08:03"),
        ],
    ));
}
