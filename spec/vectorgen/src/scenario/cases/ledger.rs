//! The ledger: what documents owe each other (RC-11, RC-13, RC-17, RC-18; SPEC.md §14.6).

use serde_json::json;

use super::super::steps::*;
use super::super::{case, Case};

/// Appends this topic's cases, in tcId order of the file.
#[allow(clippy::too_many_lines)]
pub(super) fn push(v: &mut Vec<Case>) {
    // --- The ledger: what documents owe each other (RC-11, RC-13, RC-17, RC-18; SPEC.md §14.6) ---
    v.push(case(
                59,
        "an advance spent by a sale cannot also be refunded: a return of its residue (moneyBackType 1) is refused (advances_exceeded), with the sale supplied or not",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Avans", "20.00")], json!({"cashSum": "20.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Avans", "0.01")], json!({"cashSum": "0.01"}), Some(1)), &[3, 4]),
                issue("11-23 09:14", cash_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
                60,
        "a cancelled advance cannot be spent: a sale against it is refused (already_cancelled), with the cancel supplied or not",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:13", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3, 4]),
                issue("11-23 09:14", cash_sale("Tort", "50.00")),
            ],
        ),
    ));
    v.push(case(
                61,
        "an advance a sale has spent cannot be cancelled (receipt_in_use), with the sale supplied or not; nor can the sale that spent it (its prepayment could not go back to the advance)",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:13", cancel(&id(3)), &[3, 4]),
                issue_refs("11-23 09:13:30", cancel(&id(4)), &[4, 3]),
                issue("11-23 09:14", cash_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
                62,
        "an advance partly spent: its residue is what the sale left; a return of one qəpik more is refused (advances_exceeded), exactly the rest is accepted, then nothing is left",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "boundary", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashSum")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "12.00")], json!({"cashSum": "4.00", "prepaymentSum": "8.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Avans", "12.01")], json!({"cashSum": "12.01"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Avans", "12.00")], json!({"cashSum": "12.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:14", money_back(&id(3), vec![one("Avans", "0.01")], json!({"cashlessSum": "0.01"}), Some(1)), &[3, 4, 5]),
                issue_refs("11-23 09:15", sale(vec![one("Tort", "1.00")], json!({"cashSum": "0.99", "prepaymentSum": "0.01", "parents": [id(3)]})), &[3]),
                x_report(),
            ],
        ),
    ));
    v.push(case(
                63,
        "a sale returned in full cannot be returned again though the first return is withheld (return_exceeds_sale): the device's ledger counts it",
        &["RC-17"],
        &["references", "refusal", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "5.00")),
                issue_refs("11-23 09:11", ret(3, "5.00", "cashlessSum"), &[3]),
                issue_refs("11-23 09:12", ret(3, "5.00", "cashlessSum"), &[3]),
                issue_refs("11-23 09:13", ret(3, "0.01", "cashlessSum"), &[3]),
                issue_refs("11-23 09:14", ret(3, "0.01", "cashlessSum"), &[3, 4]),
                issue("11-23 09:15", card_sale("Çörək", "5.00")),
            ],
        ),
    ));
    v.push(case(
                64,
        "an instalment cannot be paid twice though the first is withheld (instalment_number_mismatch); the next number is accepted without it",
        &["RC-18", "RC-13"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 10:00", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:01", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:02", creditpay(3, 2, "100.00", "900.00"), &[3]),
                issue_refs("11-23 10:03", creditpay(3, 2, "100.00", "800.00"), &[3]),
                issue_refs("11-23 10:04", creditpay(3, 3, "800.01", "0.00"), &[3]),
                issue_refs("11-23 10:05", creditpay(3, 3, "800.00", "0.00"), &[3]),
            ],
        ),
    ));
    v.push(case(
        65,
        "an advance cannot be spent twice though the first sale is withheld (advances_exceeded)",
        &["RC-11", "RC-17"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", prepay("20.00", "cashlessSum")),
                issue_refs(
                    "11-23 09:11",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]}),
                    ),
                    &[3],
                ),
                issue_refs(
                    "11-23 09:12",
                    sale(
                        vec![one("Tort", "50.00")],
                        json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]}),
                    ),
                    &[3],
                ),
                issue_refs(
                    "11-23 09:13",
                    sale(
                        vec![one("Şam", "1.00")],
                        json!({"cashSum": "0.99", "prepaymentSum": "0.01", "parents": [short(3)]}),
                    ),
                    &[3],
                ),
                issue("11-23 09:14", cash_sale("Tort", "50.00")),
            ],
        ),
    ));
    v.push(case(
                66,
        "a credit sale with an instalment paid cannot be cancelled (receipt_in_use), even after the instalment itself is cancelled: a cancelled instalment still counts",
        &["RC-13", "RC-17", "RC-18"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:11", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 09:12", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:13", cancel(&id(4)), &[4]),
                issue_refs("11-23 09:14", cancel(&id(3)), &[3, 4, 5]),
                x_report(),
            ],
        ),
    ));
    v.push(case(
                67,
        "no instalment on a cancelled credit sale (already_cancelled), with the cancel supplied or not",
        &["RC-13", "RC-17", "RC-18"],
        &["references", "refusal", "deferred", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", credit_sale("1180.00", "180.00", "1000.00")),
                issue_refs("11-23 09:11", cancel(&id(3)), &[3]),
                issue_refs("11-23 09:12", creditpay(3, 1, "100.00", "900.00"), &[3]),
                issue_refs("11-23 09:13", creditpay(3, 1, "100.00", "900.00"), &[3, 4]),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", creditpay(3, 1, "100.00", "900.00"), &[3]),
            ],
        ),
    ));
    v.push(case(
                68,
        "a plain sale is not an advance: a sale against it and a return of its 'residue' (moneyBackType 1) are the wrong kind; a return as a sale (0) is accepted",
        &["RC-11", "RC-17"],
        &["references", "refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "20.00")),
                issue_refs("11-23 09:11", sale(vec![one("Tort", "50.00")], json!({"cashSum": "30.00", "prepaymentSum": "20.00", "parents": [id(3)]})), &[3]),
                issue_refs("11-23 09:12", money_back(&id(3), vec![one("Çörək", "5.00")], json!({"cashlessSum": "5.00"}), Some(1)), &[3]),
                issue_refs("11-23 09:13", money_back(&id(3), vec![one("Çörək", "5.00")], json!({"cashlessSum": "5.00"}), Some(0)), &[3]),
            ],
        ),
    ));
    v.push(case(
                69,
        "the ledger is in the saved state: after a restart, and again in a later shift, the earlier return still counts though it is not supplied",
        &["RC-17", "NM-07"],
        &["references", "refusal", "restart", "device-memory"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "5.00")),
                issue_refs("11-23 09:11", ret(3, "3.00", "cashlessSum"), &[3]),
                restart(),
                unlock("1234"),
                issue_refs("11-23 09:12", ret(3, "2.01", "cashlessSum"), &[3]),
                issue_refs("11-23 09:13", ret(3, "2.00", "cashlessSum"), &[3]),
                close("11-23 20:00"),
                restart(),
                unlock("1234"),
                open("11-24 09:00"),
                issue_refs("11-24 09:10", ret(3, "0.01", "cashlessSum"), &[3]),
                issue("11-24 09:11", card_sale("Çörək", "0.01")),
            ],
        ),
    ));
}
