//! Documents removed, reordered or duplicated (NM-03, NM-04).

use fiscal_core::Document;

use super::{Cases, Ctx};

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { all, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let (e, x) = (true, false);
    // --- Removed documents (NM-03).
    let mut v = all.clone();
    v.remove(0);
    out.add(
        7,
        "document 1 (activation) removed",
        &["NM-03", "LC-01"],
        &["removed"],
        j(&v),
        &[("number_gap", Some(2))],
        e,
    );
    let mut v = all.clone();
    v.remove(2);
    out.add(
        8,
        "document 3 (a deposit) removed: a gap, and the Z-report no longer matches its shift",
        &["NM-03", "PK-02"],
        &["removed"],
        j(&v),
        &[("number_gap", Some(4)), ("zreport_mismatch", Some(14))],
        e,
    );
    let mut v = all.clone();
    v.remove(12);
    out.add(
        9,
        "document 13 (a withdrawal) removed",
        &["NM-03", "PK-02"],
        &["removed"],
        j(&v),
        &[("number_gap", Some(14)), ("zreport_mismatch", Some(14))],
        e,
    );
    let mut v = all.clone();
    v.remove(4);
    out.add(10, "document 5 (a card sale) removed: gap, receipt counter, Z-report, and the later return names an unknown receipt", &["NM-03", "RC-06", "PK-02", "RC-17"], &["removed"], j(&v), &[("number_gap", Some(6)), ("counter_mismatch", Some(6)), ("zreport_mismatch", Some(14)), ("unknown_reference", Some(18))], e);
    let mut v = all.clone();
    v.remove(1);
    out.add(
        11,
        "document 2 (opening shift 1) removed: the shift's receipts are outside any shift",
        &["NM-03", "PK-02"],
        &["removed", "cascade"],
        j(&v),
        &[
            ("number_gap", Some(3)),
            ("outside_shift", Some(3)),
            ("outside_shift", Some(14)),
        ],
        x,
    );
    let mut v = all.clone();
    v.drain(8..10);
    out.add(
                12,
        "documents 9 and 10 (a return and an instalment) removed: a gap, the receipt counter jumps, the Z-report no longer matches, and instalment 2 comes where 1 is due (the first ledger rule broken, so one finding)",
        &["NM-03", "RC-06", "PK-02", "RC-18"],
        &["removed"],
        j(&v),
        &[
            ("number_gap", Some(11)),
            ("counter_mismatch", Some(11)),
            ("zreport_mismatch", Some(14)),
            ("instalment_number_mismatch", Some(17)),
        ],
        e,
    );
    let mut v = all.clone();
    v.remove(19);
    out.add(13, "the last Z-report removed, the decommission kept: a gap, and decommissioned with a shift open", &["NM-03", "LC-02", "PK-02"], &["removed"], j(&v), &[("number_gap", Some(21)), ("outside_shift", Some(21))], e);
    out.add(
        14,
        "the middle of the journal (documents 5–15) removed",
        &["NM-03"],
        &["removed", "cascade"],
        j(&[&all[..4], &all[15..]].concat()),
        &[("number_gap", Some(16))],
        x,
    );

    // --- Reordered (NM-03, NM-04).
    let mut v = all.clone();
    v.swap(3, 4);
    out.add(
        15,
        "two sales swapped",
        &["NM-03", "NM-04", "RC-06"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(4)), ("time_not_increasing", Some(4))],
        x,
    );
    let mut v = all.clone();
    v.swap(12, 13);
    out.add(
        16,
        "a withdrawal moved after the Z-report",
        &["NM-03", "PK-02"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(13))],
        x,
    );
    let mut v = all.clone();
    v.swap(19, 20);
    out.add(
        17,
        "decommission before the last Z-report: the Z-report follows the decommission",
        &["NM-03", "LC-02", "NM-12"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(20)), ("decommissioned", Some(20))],
        x,
    );
    let mut v = all.clone();
    let moved = v.remove(15);
    v.push(moved);
    out.add(
        18,
        "a sale moved to the end of the journal, after the decommission",
        &["NM-03", "NM-04", "NM-12"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(16)), ("decommissioned", Some(16))],
        x,
    );
    let mut v = all.clone();
    v.reverse();
    out.add(
                19,
        "the whole journal in reverse order: the decommission first, so every document follows it (reported once)",
        &["NM-03", "NM-12"],
        &["reordered", "cascade"],
        j(&v),
        &[("out_of_order", Some(1)), ("decommissioned", Some(20))],
        x,
    );

    // --- Duplicated (NM-03).
    let mut v = all.clone();
    v.insert(4, all[3].clone());
    out.add(
        20,
        "a sale twice in a row",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &[("duplicate_document", Some(4))],
        e,
    );
    let mut v = all.clone();
    v.insert(14, all[13].clone());
    out.add(
        21,
        "a Z-report twice",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &[("duplicate_document", Some(14))],
        e,
    );
    let mut v = all.clone();
    v.push(all[0].clone());
    out.add(
        22,
        "the activation record again at the end",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &[("duplicate_document", Some(1))],
        e,
    );
    let v = [&all[..14], &all[1..14]].concat();
    let replay: Vec<(&str, Option<u64>)> =
        (2..=14).map(|n| ("duplicate_document", Some(n))).collect();
    out.add(
        23,
        "the first shift replayed after its Z-report",
        &["NM-03"],
        &["duplicated"],
        j(&v),
        &replay,
        e,
    );
}
