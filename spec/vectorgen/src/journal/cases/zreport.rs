//! Z-reports re-signed with the device key (PK-02).

use fiscal_core::{DocType, Document};

use super::{Cases, Ctx};
use crate::journal::forge::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { all, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let e = true;
    // --- Z-reports re-signed with the device key (PK-02).
    out.add(
        44,
        "Z-report: cash out 1.00 higher",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(
            all,
            13,
            z(|r| r.cash_out = r.cash_out.checked_add(amount("1.00")).unwrap()),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    out.add(
        45,
        "Z-report: one receipt more than issued",
        &["PK-02", "RC-06"],
        &["device-key", "zreport"],
        j(&resigned(all, 13, z(|r| r.receipts += 1))),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    out.add(
        46,
        "Z-report: one sale fewer in the sales row",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(all, 13, z(|r| r.kinds[0].count -= 1))),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    out.add(
        47,
        "Z-report: a tax group's gross lowered",
        &["PK-02", "RC-05"],
        &["device-key", "zreport"],
        j(&resigned(
            all,
            13,
            z(|r| r.kinds[0].groups[0].gross = amount("1.00")),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    out.add(
        48,
        "Z-report: the withdrawals row left out",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(
            all,
            13,
            z(|r| r.kinds.retain(|k| k.kind != DocType::Withdraw)),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
    out.add(
        49,
        "Z-report: the first number is not the shift's opening document",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(all, 19, z(|r| r.first_number = 16))),
        &[("zreport_mismatch", Some(20))],
        e,
    );
    out.add(
        50,
        "Z-report: the opening time one second off",
        &["PK-02"],
        &["device-key", "zreport"],
        j(&resigned(
            all,
            19,
            z(|r| r.opened_at = r.opened_at.plus(1000)),
        )),
        &[("zreport_mismatch", Some(20))],
        e,
    );
    out.add(
        51,
        "Z-report: the card payments of the sales row raised",
        &["PK-02", "RC-14"],
        &["device-key", "zreport"],
        j(&resigned(
            all,
            13,
            z(|r| r.kinds[0].payments.cashless = amount("100.00")),
        )),
        &[("zreport_mismatch", Some(14))],
        e,
    );
}
