//! The device's life: activation, numbering, the 24-hour shift, the offline limits, certificate
//! expiry and the PIN (LC-01, NM-01…NM-08, NM-11, RC-06, PK-02, U-06, U-08).

use serde_json::json;

use super::super::steps::*;
use super::super::{case, Case};
use super::bulk::bulk_pending;

/// Appends this topic's cases, in tcId order of the file.
#[allow(clippy::too_many_lines)]
pub(super) fn push(v: &mut Vec<Case>) {
    // --- Activation and the life cycle (LC-01, NM-08, U-08) ------------------------------
    v.push(case(
                1,
        "activation issues document 1 (shift 0, no receipt counter); a shift and a sale follow as 2 and 3; the X-report shows them",
        &["LC-01", "NM-02", "NM-03", "NM-06", "NM-11", "RC-06", "PK-02"],
        &["report"],
        vec![
            activate("11-23 08:00"),
            open("11-23 09:00"),
            issue("11-23 09:15:30", sale(vec![item("Çörək", "2", "0.60", Some("18"))], json!({"cashSum": "1.20"}))),
            x_report(),
        ],
    ));
    v.push(case(
                2,
        "activation one millisecond before the certificate's validity is refused; at its first moment it succeeds",
        &["LC-01", "NM-08"],
        &["refusal", "boundary"],
        vec![
            activate("2025-12-31 23:59:59.999"),
            activate("2026-01-01 00:00:00"),
        ],
    ));
    v.push(case(
                3,
        "activation at the certificate's expiry is refused; one millisecond before, it succeeds with the expiry warning",
        &["LC-01", "NM-08", "U-08"],
        &["refusal", "boundary", "expiry"],
        vec![
            activate("2027-01-01 00:00:00"),
            activate("2026-12-31 23:59:59.999"),
        ],
    ));
    v.push(case(
        4,
        "no receipt, X-report or Z-report before a shift is opened; the refusals leave no gap",
        &["PK-02", "NM-03"],
        &["refusal"],
        vec![
            activate("11-23 08:00"),
            issue("11-23 08:30", cash_sale("Çörək", "0.60")),
            issue("11-23 08:31", deposit("50.00")),
            x_report(),
            close("11-23 08:32"),
            open("11-23 09:00"),
            issue("11-23 09:01", cash_sale("Çörək", "0.60")),
        ],
    ));
    v.push(case(
        5,
        "a second shift cannot be opened while one is open",
        &["PK-02", "NM-03"],
        &["refusal"],
        then(
            day_start(),
            vec![
                open("11-23 09:30"),
                issue("11-23 09:31", cash_sale("Çörək", "0.60")),
                close("11-23 18:00"),
                open("11-23 18:01"),
            ],
        ),
    ));

    // --- Numbering (NM-03, NM-11, RC-06) ----------------------------------------------------
    v.push(case(
                6,
        "numbers run on without gaps across shifts; the receipt counter starts again in each shift; cash documents and reports carry receipt 0",
        &["NM-03", "NM-11", "RC-06", "PK-01", "PK-02"],
        &["report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:10", deposit("50.00")),
                issue("11-23 09:05", cash_sale("Çörək", "0.60")),
                issue("11-23 09:06", card_sale("Süd", "2.35")),
                issue("11-23 12:00", withdraw("20.00")),
                issue("11-23 13:00", cash_sale("Pendir", "4.99")),
                close("11-23 20:00"),
                open("11-24 09:00"),
                issue("11-24 09:10", cash_sale("Çörək", "0.60")),
                issue("11-24 09:11", card_sale("Yağ", "7.80")),
                close("11-24 20:00"),
            ],
        ),
    ));
    v.push(case(
                7,
        "refused operations leave the numbering intact: each refusal is followed by the next number",
        &["NM-03", "RC-06", "PK-01", "RC-17"],
        &["refusal", "references"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                issue("11-23 09:11", withdraw("5.00")),
                issue_refs("11-23 09:12", cancel(&id(2)), &[2]),
                issue("11-23 09:13", cancel("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")),
                issue("11-23 09:14", cash_sale("Süd", "2.35")),
                open("11-23 09:15"),
                issue("11-23 09:16", withdraw("3.55")),
                close("11-23 20:00"),
            ],
        ),
    ));
    v.push(case(
                8,
        "time must increase: the same moment and an earlier one are refused, one millisecond later is accepted",
        &["NM-04", "NM-03"],
        &["refusal", "boundary"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:00", cash_sale("Çörək", "0.60")),
                issue("11-23 08:59:59", cash_sale("Çörək", "0.60")),
                issue("11-23 09:00:00.001", cash_sale("Çörək", "0.60")),
                issue("11-23 09:00:00.002", cash_sale("Çörək", "0.60")),
                close("11-23 09:00:00.002"),
                close("11-23 09:00:00.003"),
                open("11-23 09:00:00.003"),
                open("11-23 09:00:00.004"),
            ],
        ),
    ));
    v.push(case(
                9,
        "a retried request naming an old last number is refused (sequence_mismatch) instead of issued twice",
        &["NM-03"],
        &["refusal"],
        then(
            day_start(),
            vec![
                with(issue("11-23 09:10", cash_sale("Çörək", "0.60")), "expectedPrevious", json!(2)),
                with(issue("11-23 09:10:05", cash_sale("Çörək", "0.60")), "expectedPrevious", json!(2)),
                with(issue("11-23 09:11", cash_sale("Süd", "2.35")), "expectedPrevious", json!(3)),
                with(issue("11-23 09:12", cash_sale("Süd", "2.35")), "expectedPrevious", json!(5)),
                issue("11-23 09:13", cash_sale("Pendir", "4.99")),
            ],
        ),
    ));
    v.push(case(
        10,
        "an invalid request (underpaid) is refused with its validation code and takes no number",
        &["PK-11", "RC-10", "NM-03"],
        &["refusal", "validation"],
        then(
            day_start(),
            vec![
                issue(
                    "11-23 09:10",
                    sale(vec![one("Çörək", "1.20")], json!({"cashSum": "1.00"})),
                ),
                issue(
                    "11-23 09:11",
                    sale(vec![one("Çörək", "1.20")], json!({"cashSum": "1.20"})),
                ),
            ],
        ),
    ));

    // --- The 24-hour shift (PK-02) ------------------------------------------------------------
    v.push(case(
                11,
        "a receipt one millisecond before 24 h of the shift is accepted, at 24 h refused; cash documents too; the X-report and closing still work; a new shift accepts receipts",
        &["PK-02", "NM-03", "RC-06"],
        &["refusal", "boundary", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 23:30", cash_sale("Çörək", "0.60")),
                issue("11-24 08:59:59.999", cash_sale("Çörək", "0.60")),
                issue("11-24 09:00:00", cash_sale("Çörək", "0.60")),
                issue("11-24 09:00:01", deposit("10.00")),
                x_report(),
                close("11-24 09:00:02"),
                open("11-24 09:00:03"),
                issue("11-24 09:00:04", cash_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(case(
        12,
        "a shift left open for two days: receipts refused, the Z-report is still issued",
        &["PK-02"],
        &["refusal", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 10:00", card_sale("Süd", "2.35")),
                issue("11-25 10:00", card_sale("Süd", "2.35")),
                close("11-25 10:01"),
                open("11-25 10:02"),
                issue("11-25 10:03", card_sale("Süd", "2.35")),
            ],
        ),
    ));

    // --- Offline limits (NM-01, NM-04, NM-05, U-06) -----------------------------------------
    v.push(case(
                13,
        "7 days offline: exactly 7 days after the oldest document not uploaded is still allowed, 1 ms later refused; closing is allowed; an acknowledgement moves the window to the next document's time",
        &["NM-01", "NM-04", "NM-05", "U-06", "PK-02"],
        &["refusal", "boundary", "offline"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                close("11-23 20:00"),
                open("11-30 07:00"),
                issue("11-30 08:00:00", card_sale("Süd", "2.35")),
                issue("11-30 08:00:00.001", card_sale("Süd", "2.35")),
                issue("11-30 08:00:01", deposit("5.00")),
                close("11-30 08:01"),
                open("11-30 09:00"),
                ack(1),
                open("11-30 09:00:00.001"),
                ack(3),
                open("11-30 09:01"),
                issue("11-30 09:03", card_sale("Süd", "2.35")),
            ],
        ),
    ));
    v.push(case(
                14,
        "with every document acknowledged nothing is pending: a shift opens twelve days later, and its document starts a new window",
        &["NM-01", "NM-04", "U-06"],
        &["offline", "refusal"],
        vec![
            activate("11-23 08:00"),
            ack(1),
            open("12-05 09:00"),
            issue("12-05 09:10", card_sale("Çörək", "0.60")),
            close("12-05 20:00"),
            open("12-12 09:00:00.001"),
            ack(4),
            open("12-12 09:00:00.002"),
        ],
    ));
    v.push(case(
                15,
        "an acknowledgement beyond the last number is refused; acknowledging again or less changes nothing",
        &["NM-01"],
        &["refusal"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", card_sale("Çörək", "0.60")),
                ack(4),
                ack(2),
                ack(1),
                ack(2),
                ack(3),
                ack(3),
                issue("11-23 09:11", card_sale("Çörək", "0.60")),
            ],
        ),
    ));
    v.push(bulk_pending());

    // --- Certificate expiry (NM-08, U-08) ---------------------------------------------------
    v.push(case(
                17,
        "7 days before expiry every document carries the warning; at expiry receipts and shifts are refused; the Z-report and decommission need no valid certificate",
        &["NM-08", "U-08", "LC-02", "PK-02"],
        &["refusal", "boundary", "expiry", "report"],
        vec![
            activate("12-20 08:00"),
            ack(1),
            open("12-24 22:00"),
            issue("12-24 23:59:59.999", card_sale("Çörək", "0.60")),
            issue("12-25 00:00:00", card_sale("Çörək", "0.60")),
            issue("12-25 00:00:01", deposit("10.00")),
            issue("12-25 21:59:59", cash_sale("Süd", "2.35")),
            issue("2027-01-01 00:00:00", card_sale("Çörək", "0.60")),
            close("2027-01-01 00:00:01"),
            open("2027-01-01 00:00:02"),
            ack(7),
            decommission("2027-01-01 00:10"),
        ],
    ));
    v.push(case(
        18,
        "activated inside the warning window: activation, shift and receipts all carry the warning",
        &["NM-08", "LC-01"],
        &["expiry"],
        vec![
            activate("12-26 08:00"),
            open("12-26 09:00"),
            issue("12-26 09:05", cash_sale("Çörək", "0.60")),
        ],
    ));
    v.push(case(
                19,
        "a shift opened before expiry: at the last millisecond a receipt is accepted, at expiry refused",
        &["NM-08", "U-08"],
        &["refusal", "boundary", "expiry"],
        vec![
            activate("12-31 08:00"),
            open("12-31 09:00"),
            issue("12-31 23:59:59.999", card_sale("Çörək", "0.60")),
            issue("2027-01-01 00:00:00", card_sale("Çörək", "0.60")),
            issue("2027-01-01 00:00:01", withdraw("0.01")),
        ],
    ));

    // --- PIN (NM-07) ---------------------------------------------------------------------------
    v.push(case(
                20,
        "after a restart nothing is issued until the PIN: shift, receipt and Z-report are refused (not_unlocked); the right PIN unlocks",
        &["NM-07", "NM-03"],
        &["refusal", "restart"],
        then(
            day_start(),
            vec![
                issue("11-23 09:10", cash_sale("Çörək", "0.60")),
                restart(),
                issue("11-23 09:11", cash_sale("Çörək", "0.60")),
                close("11-23 09:12"),
                unlock("1234"),
                issue("11-23 09:13", cash_sale("Çörək", "0.60")),
                close("11-23 09:14"),
                restart(),
                open("11-23 09:15"),
                unlock("1234"),
                open("11-23 09:16"),
            ],
        ),
    ));
    v.push(case(
                21,
        "five wrong PINs in a row lock the device; then even the right PIN is refused, and so is every operation",
        &["NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            restart(),
            unlock("0000"),
            unlock("1111"),
            unlock("2222"),
            unlock("3333"),
            unlock("4444"),
            unlock("1234"),
            open("11-23 09:00"),
            restart(),
            unlock("1234"),
            open("11-23 09:01"),
        ],
    ));
    v.push(case(
        22,
        "a right PIN resets the count of wrong ones: four wrong, right, four wrong, right",
        &["NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            restart(),
            unlock("0000"),
            unlock("0000"),
            unlock("0000"),
            unlock("0000"),
            unlock("1234"),
            unlock("9999"),
            unlock("9999"),
            unlock("9999"),
            unlock("9999"),
            unlock("1234"),
            open("11-23 09:00"),
        ],
    ));
    v.push(case(
        23,
        "the count of wrong PINs survives a restart: three, restart, two more lock the device",
        &["NM-07"],
        &["refusal", "restart"],
        vec![
            activate("11-23 08:00"),
            restart(),
            unlock("0000"),
            unlock("0001"),
            unlock("0002"),
            restart(),
            unlock("0003"),
            unlock("0004"),
            unlock("1234"),
        ],
    ));
    v.push(case(
        24,
        "a restart with a shift open keeps the shift, its counters and its cash drawer",
        &["NM-07", "NM-03", "RC-06", "PK-02"],
        &["restart", "report"],
        then(
            day_start(),
            vec![
                issue("11-23 09:00:10", deposit("20.00")),
                issue("11-23 09:10", cash_sale("Çörək", "1.20")),
                restart(),
                unlock("1234"),
                issue("11-23 09:20", cash_sale("Süd", "2.35")),
                issue("11-23 09:30", withdraw("23.55")),
                x_report(),
                restart(),
                unlock("1234"),
                close("11-23 20:00"),
            ],
        ),
    ));
}
