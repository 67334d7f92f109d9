//! Receipts that refer to others: returns, cancels and advances (RC-11, RC-17, NM-11).

use serde_json::json;

use super::super::steps::*;
use super::super::{case, Case};

/// Appends this topic's cases, in tcId order of the file.
#[allow(clippy::too_many_lines)]
pub(super) fn push(v: &mut Vec<Case>) {
    // --- Returns (RC-17) -------------------------------------------------------------------------
    v.push(case(
                25,
        "partial returns up to the sale's total: a return one qəpik over what is left is refused, the rest is accepted; the drawer ends at zero",
        &["RC-17", "PK-01", "PK-02"],
        &["references", "refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", sale(vec![one("Çörək", "4.00"), one("Süd", "6.00")], json!({"cashSum": "10.00"}))),
                issue_refs("11-23 09:20", ret(3, "6.00", "cashSum"), &[3]),
                issue_refs("11-23 09:21", ret(3, "4.01", "cashSum"), &[3, 4]),
                issue_refs("11-23 09:22", ret(3, "4.00", "cashSum"), &[3, 4]),
                issue_refs("11-23 09:23", ret(3, "0.01", "cashlessSum"), &[3, 4, 5]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        26,
        "a return of more than the sale at once is refused",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "5.00")),
                issue_refs("11-23 09:20", ret(3, "5.01", "cashlessSum"), &[3]),
                issue_refs("11-23 09:21", ret(3, "5.00", "cashlessSum"), &[3]),
            ],
        ),
    ));
    v.push(case(
                27,
        "a sale of an earlier shift is undone by a return; the return's row is in the later shift's Z-report",
        &["RC-17", "PK-02"],
        &["references", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", sale(vec![one("Ütü", "45.00"), item("Dərman", "1", "5.00", None)], json!({"cashlessSum": "50.00"}))),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", money_back(&id(3), vec![one("Ütü", "45.00")], json!({"cashlessSum": "45.00"}), Some(0)), &[3]),
                close("11-24 20:00"),
            ],
        ),
    ));
    v.push(case(
                28,
        "a return names the kind it refunds: an advance's rest (moneyBackType 1) is accepted, the advance as a sale (0) is refused",
        &["RC-17", "RC-11"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", money_back(&id(3), vec![one("Avans", "5.00")], json!({"cashSum": "5.00"}), Some(0)), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Avans", "5.00")], json!({"cashSum": "5.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Avans", "5.00")], json!({"cashSum": "5.00"}), Some(2)), &[3]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        29,
        "a reference may be the 12-character short fiscal ID",
        &["RC-17", "NM-02"],
        &["references", "short-id"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "3.00")),
                issue_refs(
                    "11-23 09:20",
                    money_back(
                        &short(3),
                        vec![one("Çörək", "1.00")],
                        json!({"cashlessSum": "1.00"}),
                        None,
                    ),
                    &[3],
                ),
                issue_refs("11-23 09:21", cancel(&short(3)), &[3, 4]),
                issue_refs(
                    "11-23 09:22",
                    money_back(
                        &short(3),
                        vec![one("Çörək", "2.01")],
                        json!({"cashlessSum": "2.01"}),
                        None,
                    ),
                    &[3, 4],
                ),
                issue_refs(
                    "11-23 09:23",
                    money_back(
                        &short(3),
                        vec![one("Çörək", "2.00")],
                        json!({"cashlessSum": "2.00"}),
                        None,
                    ),
                    &[3, 4],
                ),
            ],
        ),
    ));
    let mut c = case(
                30,
        "references must be supplied and be this device's: the sale not supplied is reference_not_found, another device's sale is reference_not_authentic, an unknown ID is not found",
        &["RC-17", "NM-11"],
        &["references", "refusal", "foreign-document"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "1.20")),
                issue("11-23 09:11", ret(3, "1.20", "cashlessSum")),
                issue_refs("11-23 09:12", money_back("{{foreignFiscalId:1}}", vec![one("Çörək", "1.20")], json!({"cashlessSum": "1.20"}), None), &[3]),
                json!({"at": at("11-23 09:13"), "op": "issue", "request": money_back("{{foreignFiscalId:1}}", vec![one("Çörək", "1.20")], json!({"cashlessSum": "1.20"}), None), "references": [3, {"foreign": 1}]}),
                json!({"at": at("11-23 09:14"), "op": "issue", "request": cancel("{{foreignFiscalId:1}}"), "references": [{"foreign": 1}]}),
                issue_refs("11-23 09:15", ret(3, "1.20", "cashlessSum"), &[3]),
            ],
        ),
    );
    c.foreign = vec![foreign_sale()];
    v.push(c);
    v.push(case(
                31,
        "a return after a cancel in the same shift is refused: the device's ledger remembers the cancel",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", ret(3, "1.20", "cashSum"), &[3]),
                issue("11-23 09:13", cash_sale("Süd", "2.35")),
            ],
        ),
    ));
    v.push(case(
                32,
        "in a later shift a return of a cancelled receipt is refused, whether the cancel is supplied or not: the device's ledger remembers the cancel (SPEC.md §14.6)",
        &["RC-17"],
        &["references", "refusal", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "1.20")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", ret(3, "1.20", "cashlessSum"), &[3, 4]),
                issue_refs("11-24 09:11", ret(3, "1.20", "cashlessSum"), &[3]),
            ],
        ),
    ));
    v.push(case(
                33,
        "a cash refund above the drawer is refused (cash_insufficient); the same refund to the card is accepted",
        &["RC-17", "PK-01"],
        &["references", "refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Ütü", "45.00")),
                issue("11-23 09:11", cash_sale("Çörək", "1.20")),
                issue_refs("11-23 09:12", ret(3, "45.00", "cashSum"), &[3]),
                issue_refs("11-23 09:13", ret(3, "45.00", "cashlessSum"), &[3]),
                x_report(),
            ],
        ),
    ));

    // --- Cancels (RC-17) ------------------------------------------------------------------------
    v.push(case(
                34,
        "a cancel voids a sale of the open shift: it carries the voided receipt's number, kind and sum; the Z-report shows the cancel row and the drawer back where it was",
        &["RC-17", "RC-06", "PK-02"],
        &["references", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:30", deposit("10.00")),
                issue("11-23 09:10", sale(vec![item("Çörək", "2", "0.60", Some("18")), item("Dərman", "1", "5.00", None)], json!({"cashSum": "6.20", "incomingSum": "10.00"}))),
                issue_refs("11-23 09:11", cancel(&id(4)), &[4]),
                issue("11-23 09:12", cash_sale("Çörək", "0.60")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        35,
        "a receipt is cancelled once: a second cancel is refused",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:13", cancel(&id(3)), &[3, 4]),
                issue("11-23 09:14", card_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
                36,
        "a receipt of an earlier shift cannot be cancelled (cancel_outside_shift); it is undone by a return instead",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:01", cancel(&id(3)), &[3]),
                issue_refs("11-24 09:02", ret(3, "0.60", "cashlessSum"), &[3]),
            ],
        ),
    ));
    v.push(case(
        37,
        "no cancel after a return: returns and a cancel would pay twice (return_exceeds_sale)",
        &["RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "3.00")),
                issue_refs("11-23 09:11", ret(3, "1.00", "cashlessSum"), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3, 4]),
                issue_refs("11-23 09:13", ret(3, "2.00", "cashlessSum"), &[3, 4]),
            ],
        ),
    ));
    v.push(case(
                38,
        "only a sale, advance or credit payment can be cancelled: a deposit, a shift opening and a return are the wrong kind",
        &["RC-17", "RC-15"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:01", deposit("10.00")),
                issue("11-23 09:02", card_sale("Çörək", "0.60")),
                issue_refs("11-23 09:03", ret(4, "0.60", "cashlessSum"), &[4]),
                issue_refs("11-23 09:04", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:05", cancel(&id(2)), &[2]),
                issue_refs("11-23 09:06", cancel(&id(5)), &[5]),
                issue("11-23 09:07", withdraw("10.00")),
            ],
        ),
    ));
    v.push(case(
                39,
        "cancelling a cash sale after its cash was withdrawn is refused: the drawer cannot go below zero",
        &["RC-17", "PK-01"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Ütü", "45.00")),
                issue("11-23 09:11", withdraw("45.00")),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue("11-23 09:13", deposit("45.00")),
                issue_refs("11-23 09:14", cancel(&id(3)), &[3]),
                x_report(),
            ],
        ),
    ));
    v.push(case(
        40,
        "an advance and a credit payment can be cancelled in their shift",
        &["RC-17", "RC-11", "RC-18"],
        &["references", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue("11-23 09:11", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:12", creditpay(4, 1, "100.00", "900.00"), &[4]),
                issue_refs("11-23 09:13", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:14", cancel(&id(5)), &[5]),
                close("11-23 20:00"),
            ],
        ),
    ));

    // --- Advances (RC-11, RC-17) ------------------------------------------------------------------
    v.push(case(
                41,
        "an advance, then a sale against it: the sale counts only the part paid now; the Z-report shows the offset",
        &["RC-11", "RC-17", "RC-05", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashlessSum")),
                issue_refs("11-23 12:00", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                42,
        "sales may not take more from an advance than it holds, counting the earlier sales against it (the device's ledger remembers them; supplying them changes nothing)",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "25.00", "prepaymentSum": "25.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", sale(vec![one("Tort", "30.00")], json!({"cashSum": "15.00", "prepaymentSum": "15.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:13", sale(vec![one("Şam", "10.00")], json!({"cashSum": "4.00", "prepaymentSum": "6.00", "parents": [id(3)]})), &[3, 4]),
                issue_refs("11-23 09:14", sale(vec![one("Şam", "10.00")], json!({"cashSum": "5.00", "prepaymentSum": "5.00", "parents": [id(3)]})), &[3, 4]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                43,
        "a sale against two advances: the offset may use both",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue("11-23 09:11", prepay("15.00", "cashlessSum")),
                issue_refs("11-23 09:12", sale(vec![one("Tort", "50.00")], json!({"cashSum": "14.99", "prepaymentSum": "35.01", "parents": [id(3), id(4)]})), &[3, 4]),
                issue_refs("11-23 09:13", sale(vec![one("Tort", "50.00")], json!({"cashSum": "15.00", "prepaymentSum": "35.00", "parents": [id(3), id(4)]})), &[3, 4]),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
        44,
        "a sale named as an advance is the wrong kind; an advance not supplied is not found",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "20.00")),
                issue_refs(
                    "11-23 09:11",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]}),
                    ),
                    &[3],
                ),
                issue("11-23 09:12", prepay("20.00", "cashSum")),
                issue(
                    "11-23 09:13",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(4)]}),
                    ),
                ),
                issue_refs(
                    "11-23 09:14",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(4)]}),
                    ),
                    &[4],
                ),
            ],
        ),
    ));
    v.push(case(
                45,
        "an advance in one shift, the sale against it in the next",
        &["RC-11", "RC-17", "PK-02"],
        &["references", "report", "deferred"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("100.00", "cashlessSum")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 10:00", sale(vec![one("Şkaf", "350.00")], json!({"cashlessSum": "250.00", "prepaymentSum": "100.00", "parents": [short(3)]})), &[3]),
                close("11-24 20:00"),
            ],
        ),
    ));
}
