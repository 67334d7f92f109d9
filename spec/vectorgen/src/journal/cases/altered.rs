//! Altered bytes, signatures and IDs (NM-02, NM-11).

use fiscal_core::Document;

use super::{Cases, Ctx};
use crate::journal::forge::*;
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { forger, all, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let (e, x) = (true, false);
    // --- Altered bytes, signatures and IDs (NM-02, NM-11).
    let last = all.len() - 1;
    // The decommission's time, one millisecond later: the last 6 bytes before content are
    // not fixed, so change it in the body and re-encode.
    let later = {
        let mut b = all[last].body().clone();
        b.time = b.time.plus(1);
        b.signed_bytes()
    };
    let mut v = j(all);
    v[last + 1] = line_with(21, &later, &full_sig(&all[last]));
    out.add(
        24,
        "the last document's time altered (ID recomputed, old signature)",
        &["NM-11"],
        &["altered", "signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(all);
    v[last + 1] = line(
        21,
        &all[last].id().long(),
        &hex::encode(&later),
        &hex::encode(full_sig(&all[last])),
    );
    out.add(
        25,
        "the last document's time altered, ID not recomputed",
        &["NM-02", "NM-11"],
        &["altered", "fiscal-id"],
        v,
        &[("wrong_fiscal_id", Some(21))],
        e,
    );
    let s1_cheaper = {
        let mut b = all[3].body().clone();
        b.content = receipt_request(&sale_cash("Çörək", "0.01"));
        b.signed_bytes()
    };
    let mut v = j(all);
    v[4] = line_with(4, &s1_cheaper, &full_sig(&all[3]));
    out.add(
        26,
        "a sale's amounts altered (ID recomputed, old signature): the altered document is not used",
        &["NM-11", "NM-03", "PK-02"],
        &["altered", "signature", "cascade"],
        v,
        &[("bad_signature", Some(4)), ("number_gap", Some(5))],
        x,
    );
    let mut v = j(all);
    v[last + 1] = tamper_line(&all[last], &|_, sig| *sig = full_sig(&all[last - 1]));
    out.add(
        27,
        "the last document carries the signature of the document before it",
        &["NM-11"],
        &["signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(all);
    v[16] = tamper_line(&all[15], &|_, sig| *sig = full_sig(&all[14]));
    out.add(
        28,
        "a sale carries another document's signature",
        &["NM-11", "NM-03"],
        &["signature", "cascade"],
        v,
        &[("bad_signature", Some(16))],
        x,
    );
    let mut v = j(all);
    v[last + 1] = sign(all[last].body().clone(), forger).to_journal_line();
    out.add(
        29,
        "the last document re-signed with another key",
        &["NM-10", "NM-11"],
        &["signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let forged = forge(all, 3, forger, |i, b| {
        if i == 3 {
            b.content = receipt_request(&sale_cash("Çörək", "0.01"));
        }
    });
    let from4: Vec<(&str, Option<u64>)> = (4..=21).map(|n| ("bad_signature", Some(n))).collect();
    out.add(30, "a sale made cheaper and the journal from it re-signed with another key: nothing after it is used", &["NM-10", "NM-11"], &["signature"], j(&forged), &from4, e);
    let forged = forge(all, 0, forger, |_, _| {});
    let every: Vec<(&str, Option<u64>)> = (1..=21).map(|n| ("bad_signature", Some(n))).collect();
    out.add(
        31,
        "every document re-signed with another key (a consistent chain of its own)",
        &["NM-10", "NM-11"],
        &["signature"],
        j(&forged),
        &every,
        e,
    );
    let mut v = j(all);
    v[last + 1] = tamper_line(&all[last], &|_, sig| *sig = high_s_full(sig));
    out.add(
        32,
        "the last document's signature replaced by its high-S twin (ID recomputed)",
        &["NM-11", "NM-02"],
        &["signature", "high-s"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(all);
    v[16] = tamper_line(&all[15], &|_, sig| negate_nonce(sig));
    out.add(
        115,
        "a sale's nonce point negated: r ‖ s verify by standard ECDSA, but R is not the nonce point (SPEC.md §13.2, v3)",
        &["NM-11"],
        &["signature", "nonce-point", "cascade"],
        v,
        &[("bad_signature", Some(16))],
        x,
    );
    let mut v = j(all);
    v[last + 1] = tamper_line(&all[last], &|_, sig| sig[95] ^= 1);
    out.add(
        33,
        "one bit of the last document's signature flipped (ID recomputed)",
        &["NM-11"],
        &["signature"],
        v,
        &[("bad_signature", Some(21))],
        e,
    );
    let mut v = j(all);
    let mut wrong = all[3].id().long();
    wrong.replace_range(0..1, if wrong.starts_with('0') { "1" } else { "0" });
    v[4] = line(
        4,
        &wrong,
        &hex::encode(all[3].signed_bytes()),
        &hex::encode(full_sig(&all[3])),
    );
    out.add(
        34,
        "a sale's line declares another fiscal ID",
        &["NM-02", "NM-03"],
        &["fiscal-id", "cascade"],
        v,
        &[("wrong_fiscal_id", Some(4)), ("number_gap", Some(5))],
        x,
    );
    let mut v = j(all);
    v[last + 1] = line(
        21,
        &all[last].id().long().to_uppercase(),
        &hex::encode(all[last].signed_bytes()),
        &hex::encode(full_sig(&all[last])),
    );
    out.add(
        35,
        "the fiscal ID in upper case (§13.3: lowercase hexadecimal)",
        &["NM-02"],
        &["fiscal-id"],
        v,
        &[("wrong_fiscal_id", Some(21))],
        e,
    );
}
