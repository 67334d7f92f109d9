//! Chain, time and numbers, re-signed with the device key (NM-03, NM-04, NM-11).

use fiscal_core::Document;

use super::{Cases, Ctx};
use crate::engine::device::*;
use crate::journal::forge::*;
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { m, key, all, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let (e, x) = (true, false);
    // --- Chain, time and numbers, re-signed with the device key (NM-03, NM-04, NM-11).
    out.add(
        36,
        "a document's previous is not the ID of the one before (re-signed, chain kept after)",
        &["NM-11"],
        &["device-key"],
        j(&resigned(all, 4, |b| b.previous = [0u8; 32])),
        &[("broken_chain", Some(5))],
        e,
    );
    out.add(
        37,
        "document 1's previous is not the certificate's hash",
        &["NM-11", "LC-01"],
        &["device-key"],
        j(&resigned(all, 0, |b| b.previous = [7u8; 32])),
        &[("broken_chain", Some(1))],
        e,
    );
    let mut v = all.clone();
    v[15] = sign(
        {
            let mut b = all[15].body().clone();
            b.time = b.time.plus(1);
            b
        },
        key,
    );
    out.add(
        38,
        "a sale re-signed after a change, the next document still names its old ID",
        &["NM-11"],
        &["device-key"],
        j(&v),
        &[("broken_chain", Some(17))],
        e,
    );
    let before = all[9].body().time.plus(-1);
    out.add(
        39,
        "time going backwards: a sale dated before the document before it",
        &["NM-04"],
        &["device-key"],
        j(&resigned(all, 10, |b| b.time = before)),
        &[("time_not_increasing", Some(11))],
        e,
    );
    let same = all[14].body().time;
    out.add(
        40,
        "time standing still: a sale at the same millisecond as the document before it",
        &["NM-04"],
        &["device-key"],
        j(&resigned(all, 15, |b| b.time = same)),
        &[("time_not_increasing", Some(16))],
        e,
    );
    out.add(
        41,
        "a number skipped: the decommission numbered 22",
        &["NM-03"],
        &["device-key"],
        j(&resigned(all, 20, |b| b.number = 22)),
        &[("number_gap", Some(22))],
        e,
    );
    let renumbered = forge(all, 15, key, |_, b| b.number += 1);
    out.add(42, "a number skipped in shift 2: every later document renumbered, the Z-report's last number no longer its own", &["NM-03", "PK-02"], &["device-key"], j(&renumbered), &[("number_gap", Some(17)), ("zreport_mismatch", Some(21))], e);
    let mut d = m.state(16);
    let fork = issue(&mut d, &sale_cash("Şəkər", "3.00"), on(24, 9, 30, 0), &[]);
    out.add(
        43,
        "a state rolled back: number 17 issued twice with different content",
        &["NM-03", "NM-11"],
        &["rollback", "cascade"],
        j(&[&all[..17], &[fork]].concat()),
        &[("out_of_order", Some(17))],
        x,
    );
}
