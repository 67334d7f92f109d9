//! Genuine journals (valid), and a journal whose last document was removed: nothing shows it.

use fiscal_core::Document;

use super::{Cases, Ctx};
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx {
        m,
        all,
        sl_cert,
        sl,
        ..
    } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let e = true;
    // --- Genuine journals (valid).
    out.add(
        1,
        "genuine: two shifts with every kind of document, then decommissioning",
        &[
            "NM-03", "NM-11", "PK-02", "RC-06", "RC-17", "RC-18", "LC-02",
        ],
        &["genuine"],
        j(all),
        &[],
        e,
    );
    out.add(
        2,
        "genuine: the first shift and its Z-report",
        &["NM-03", "NM-11", "PK-02"],
        &["genuine"],
        j(&m.upto(14)),
        &[],
        e,
    );
    out.add(
        3,
        "genuine: only the activation record",
        &["LC-01", "NM-03"],
        &["genuine"],
        j(&m.upto(1)),
        &[],
        e,
    );
    out.add(
        4,
        "genuine: a journal that ends with a shift open",
        &["NM-03", "PK-02"],
        &["genuine"],
        j(&m.upto(16)),
        &[],
        e,
    );
    out.add(
        5,
        "the last document removed: nothing in the journal shows it (SPEC.md §15.3)",
        &["NM-03"],
        &["genuine", "undetectable"],
        j(&m.upto(20)),
        &[],
        e,
    );
    out.add(
        6,
        "genuine: the Z-report and decommission come after the certificate expired (allowed)",
        &["NM-08", "U-08", "LC-02"],
        &["genuine", "expiry"],
        with_cert(sl_cert, sl),
        &[],
        e,
    );
}
