//! References: returns, cancels, instalments, advances (RC-11, RC-17, RC-18).

use fiscal_core::{Document, DocumentBody};

use super::{Cases, Ctx};
use crate::engine::device::*;
use crate::journal::forge::*;
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { m, key, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let e = true;
    let p16 = m.upto(16);
    let t = on(24, 9, 30, 0);
    let sale = || receipt_request(&sale_cash("Şəkər", "3.00"));
    // --- References: returns, cancels, instalments, advances (RC-11, RC-17, RC-18).
    let (s1, s2, s3, c, p1, a) = (m.doc(4), m.doc(5), m.doc(11), m.doc(6), m.doc(10), m.doc(7));
    let _ = s2;
    // The device remembers what was claimed of each receipt (SPEC.md §14.6): each over-claim
    // below is refused at the till with the code the verifier reports, so a key holder forges it.
    let again_json = return_json(
        &s1.id().long(),
        "Çörək və süd",
        "3.55",
        "cashSum",
        r#","itemVatPercent":18"#,
    );
    let refused = refuse(&mut m.state(16), &again_json, t, &[s1.clone()]);
    assert_eq!(refused.code().as_str(), "return_exceeds_sale");
    let again = next(&p16, key, t, 2, 2, receipt_request(&again_json));
    out.add(
                63,
        "a second full return of a sale already partly returned (2.35 of 3.55): together above the sale; the device refuses it, a key holder forges it",
        &["RC-17"],
        &["device-key"],
        j(&[p16.clone(), vec![again]].concat()),
        &[("return_exceeds_sale", Some(17))],
        e,
    );
    let after_cancel_json = return_json(
        &s3.id().long(),
        "Plov",
        "1.00",
        "cashSum",
        r#","taxTreatment":"simplified","itemVatPercent":8"#,
    );
    let refused = refuse(&mut m.state(16), &after_cancel_json, t, &[s3.clone()]);
    assert_eq!(refused.code().as_str(), "already_cancelled");
    let after_cancel = next(&p16, key, t, 2, 2, receipt_request(&after_cancel_json));
    out.add(
                64,
        "a return of a cancelled receipt (refunded twice); the device refuses it, a key holder forges it",
        &["RC-17"],
        &["device-key"],
        j(&[p16.clone(), vec![after_cancel]].concat()),
        &[("already_cancelled", Some(17))],
        e,
    );
    out.add(
        65,
        "a cancel of a receipt of another shift",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                cancel_content(&s1.id().long(), voided_of(s1)),
            )],
        ]
        .concat()),
        &[("cancel_outside_shift", Some(17))],
        e,
    );
    let p12 = m.upto(12);
    out.add(
        66,
        "a receipt cancelled twice",
        &["RC-17"],
        &["device-key"],
        j(&[
            p12.clone(),
            vec![next(
                &p12,
                key,
                on(23, 9, 9, 30),
                1,
                10,
                cancel_content(&s3.id().long(), voided_of(s3)),
            )],
        ]
        .concat()),
        &[("already_cancelled", Some(13))],
        e,
    );
    let mut d = m.state(16);
    let s4 = m.doc(16);
    let part = issue(
        &mut d,
        &return_json(
            &s4.id().long(),
            "Su",
            "1.00",
            "cashlessSum",
            r#","itemVatPercent":18"#,
        ),
        t,
        &[s4.clone()],
    );
    let refused = refuse(
        &mut d,
        &rollback(&s4.id().long()),
        on(24, 9, 31, 0),
        &[s4.clone()],
    );
    assert_eq!(refused.code().as_str(), "return_exceeds_sale");
    let p17 = [p16.clone(), vec![part]].concat();
    let cancel_after = next(
        &p17,
        key,
        on(24, 9, 31, 0),
        2,
        3,
        cancel_content(&s4.id().long(), voided_of(s4)),
    );
    out.add(
                67,
        "a cancel after a return of the same receipt (refunded twice); the device refuses it, a key holder forges it",
        &["RC-17"],
        &["device-key"],
        j(&[p17, vec![cancel_after]].concat()),
        &[("return_exceeds_sale", Some(18))],
        e,
    );
    let mut wrong_voided = voided_of(s4);
    wrong_voided.number = 15;
    out.add(
        68,
        "a cancel whose voided amounts name another document",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                cancel_content(&s4.id().long(), wrong_voided),
            )],
        ]
        .concat()),
        &[("content_invalid", Some(17))],
        e,
    );
    out.add(
        69,
        "a bare cancel request, without what it voids",
        &["RC-17", "RC-05"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                receipt_request(&rollback(&s4.id().long())),
            )],
        ]
        .concat()),
        &[("content_invalid", Some(17))],
        e,
    );
    out.add(
        70,
        "a cancel of a receipt not in the journal",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                cancel_content("0123456789ab", voided_of(s4)),
            )],
        ]
        .concat()),
        &[("unknown_reference", Some(17))],
        e,
    );
    out.add(
        71,
        "a return against a receipt not in the journal",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                receipt_request(&return_json(
                    "0123456789AB",
                    "Su",
                    "1.00",
                    "cashSum",
                    r#","itemVatPercent":18"#,
                )),
            )],
        ]
        .concat()),
        &[("unknown_reference", Some(17))],
        e,
    );
    // Instalment 2 of 950 where 900 is left: the device refuses it (and the old trick, an
    // "instalment 1" with the first withheld, too); a key holder forges it, numbered right.
    let over_json = creditpay_json(&c.id().long(), 2, "950", "0");
    let refused = refuse(&mut m.state(16), &over_json, t, &[c.clone()]);
    assert_eq!(refused.code().as_str(), "instalment_exceeds_debt");
    let first_again = creditpay_json(&c.id().long(), 1, "950", "50");
    let refused = refuse(&mut m.state(16), &first_again, t, &[c.clone()]);
    assert_eq!(refused.code().as_str(), "instalment_number_mismatch");
    let over = next(&p16, key, t, 2, 2, receipt_request(&over_json));
    out.add(
                72,
        "an instalment above the debt left (950 where 900 is owed); the device refuses it, a key holder forges it",
        &["RC-18"],
        &["device-key"],
        j(&[p16.clone(), vec![over]].concat()),
        &[("instalment_exceeds_debt", Some(17))],
        e,
    );
    out.add(
        73,
        "an instalment numbered 3 where 2 is due",
        &["RC-18"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                receipt_request(&creditpay_json(&c.id().long(), 3, "100", "800")),
            )],
        ]
        .concat()),
        &[("instalment_number_mismatch", Some(17))],
        e,
    );
    out.add(
        74,
        "an instalment whose residue is not the debt left",
        &["RC-18"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                receipt_request(&creditpay_json(&c.id().long(), 2, "100", "850")),
            )],
        ]
        .concat()),
        &[("debt_mismatch", Some(17))],
        e,
    );
    let _ = p1;
    let twice_json = against_advance_json(&a.id().long(), "25", "5", "20");
    let refused = refuse(&mut m.state(16), &twice_json, t, &[a.clone()]);
    assert_eq!(refused.code().as_str(), "advances_exceeded");
    let twice = next(&p16, key, t, 2, 2, receipt_request(&twice_json));
    out.add(
                75,
        "a second sale against a used-up advance (spent twice); the device refuses it, a key holder forges it",
        &["RC-11", "RC-17"],
        &["device-key"],
        j(&[p16.clone(), vec![twice]].concat()),
        &[("advances_exceeded", Some(17))],
        e,
    );
    out.add(
        76,
        "a sale against an advance not in the journal",
        &["RC-17"],
        &["device-key"],
        j(&[
            p16.clone(),
            vec![next(
                &p16,
                key,
                t,
                2,
                2,
                receipt_request(&against_advance_json("0123456789ab", "50", "30", "20")),
            )],
        ]
        .concat()),
        &[("unknown_reference", Some(17))],
        e,
    );
    let mut cheap_tax: DocumentBody = {
        let mut text = serde_json::to_string(&next(&p16, key, t, 2, 2, sale()).body()).unwrap();
        text = text.replace(r#""tax":"0.46""#, r#""tax":"0.45""#);
        serde_json::from_str(&text).unwrap()
    };
    cheap_tax.number = 17;
    out.add(
        77,
        "a sale whose tax is not what its lines give",
        &["RC-05"],
        &["device-key"],
        j(&[p16.clone(), vec![sign(cheap_tax, key)]].concat()),
        &[("content_invalid", Some(17))],
        e,
    );
}
