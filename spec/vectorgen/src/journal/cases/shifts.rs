//! Shifts and counters, forged with the device key after a genuine prefix (PK-02, RC-06).

use fiscal_core::{Content, Document};

use super::{Cases, Ctx};
use crate::journal::forge::*;
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx {
        m, cert, key, all, ..
    } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let e = true;
    // --- Shifts and counters, forged with the device key after a genuine prefix (PK-02, RC-06).
    let p16 = m.upto(16);
    let t = on(24, 9, 30, 0);
    let sale = || receipt_request(&sale_cash("Şəkər", "3.00"));
    out.add(
        52,
        "a sale between shifts (after the Z-report, before the next opening)",
        &["PK-02"],
        &["device-key"],
        j(&[
            m.upto(14),
            vec![next(&m.upto(14), key, on(23, 19, 0, 0), 1, 0, sale())],
        ]
        .concat()),
        &[("outside_shift", Some(15))],
        e,
    );
    out.add(
        53,
        "a sale that names shift 1 during shift 2",
        &["PK-02", "RC-06"],
        &["device-key"],
        j(&[p16.clone(), vec![next(&p16, key, t, 1, 2, sale())]].concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    out.add(
        54,
        "a second shift opened while one is open",
        &["PK-02"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(&p16, key, t, 3, 0, Content::OpenShift)],
        ]
        .concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    out.add(
        55,
        "a shift opened with number 3 after shift 1",
        &["PK-02", "RC-06"],
        &["device-key"],
        j(&[
            m.upto(14),
            vec![next(
                &m.upto(14),
                key,
                on(24, 9, 0, 0),
                3,
                0,
                Content::OpenShift,
            )],
        ]
        .concat()),
        &[("counter_mismatch", Some(15))],
        e,
    );
    let z1 = match &all[13].body().content {
        Content::ZReport(r) => r.clone(),
        _ => unreachable!(),
    };
    let mut z_again = z1.clone();
    z_again.last_number = 15;
    out.add(
        56,
        "a Z-report with no shift open",
        &["PK-02"],
        &["device-key"],
        j(&[
            m.upto(14),
            vec![next(
                &m.upto(14),
                key,
                on(23, 19, 0, 0),
                1,
                0,
                Content::ZReport(z_again),
            )],
        ]
        .concat()),
        &[("outside_shift", Some(15))],
        e,
    );
    out.add(
        57,
        "decommissioned with a shift open",
        &["LC-02", "PK-02"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(&p16, key, t, 2, 0, Content::Decommission)],
        ]
        .concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    out.add(
        58,
        "an activation record that is not document 1",
        &["LC-01"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                0,
                Content::Activation {
                    certificate: cert.hash(),
                },
            )],
        ]
        .concat()),
        &[("outside_shift", Some(17))],
        e,
    );
    out.add(
        59,
        "document 1 activates another certificate",
        &["LC-01", "NM-09"],
        &["device-key"],
        j(&resigned(all, 0, |b| {
            b.content = Content::Activation {
                certificate: [9u8; 32],
            }
        })),
        &[("outside_shift", Some(1))],
        e,
    );
    out.add(
        60,
        "a sale 25 hours after its shift opened",
        &["PK-02"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(&p16, key, on(25, 10, 0, 0), 2, 2, sale())],
        ]
        .concat()),
        &[("shift_too_long", Some(17))],
        e,
    );
    out.add(
        61,
        "a receipt counter that skips (5 where 2 is due)",
        &["RC-06"],
        &["device-key"],
        j(&[p16.clone(), vec![next(&p16, key, t, 2, 5, sale())]].concat()),
        &[("counter_mismatch", Some(17))],
        e,
    );
    out.add(
        62,
        "a deposit with a receipt counter (cash documents are not receipts)",
        &["RC-06"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                receipt_request(r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":10}}"#),
            )],
        ]
        .concat()),
        &[("counter_mismatch", Some(17))],
        e,
    );
}
