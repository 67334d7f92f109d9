//! Signing and forging: journal lines from their parts, the high-S twin of a signature,
//! documents re-signed as a key holder would (the chain kept), and the contents the tampered
//! journals put in them.

use fiscal_core::internal::{sha256, FISCAL_ID_TAG, SHORT_ID_LEN};
use fiscal_core::{
    Amount, Content, Document, DocumentBody, PrivateKey, Request, ShiftReport, Signature,
    Timestamp, Voided,
};

use crate::engine::device::{device_key, request};
pub(crate) use crate::engine::encoding::sign;

/// A document's whole signature as its journal line writes it (SPEC.md §13.2, v3):
/// R.x ‖ R.y ‖ s, 96 bytes.
pub(crate) type FullSig = [u8; 96];

/// a − b on 32-byte big-endian numbers (a ≥ b where used; wraps otherwise).
fn sub_be(a: &[u8], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        out[i] = d.rem_euclid(256) as u8;
    }
    out
}

/// r = R.x mod n (R.x < 2²⁵⁶ < 2n: at most one subtraction).
pub(crate) fn r_of(sig: &FullSig) -> [u8; 32] {
    let x = &sig[..32];
    if x >= &N[..] {
        sub_be(x, &N)
    } else {
        x.try_into().unwrap()
    }
}

/// The fiscal ID of `bytes` signed with `sig`: SHA-256 over r ‖ s (r = R.x mod n; R.y is not
/// hashed: SPEC.md §13.3).
pub(crate) fn id_hex(bytes: &[u8], sig: &FullSig) -> String {
    hex::encode(sha256(&[FISCAL_ID_TAG, bytes, &r_of(sig), &sig[64..]]))
}

/// A document's whole signature as its journal line writes it: R.x ‖ R.y ‖ s.
pub(crate) fn full_sig(doc: &Document) -> FullSig {
    let mut out = [0u8; 96];
    out[..64].copy_from_slice(&doc.nonce_point().0);
    out[64..].copy_from_slice(&doc.signature().0[32..]);
    out
}

/// A journal line from its parts, in the member order of SPEC.md §13.5.
pub(crate) fn line(number: u64, id: &str, body: &str, sig: &str) -> String {
    format!(r#"{{"number":{number},"id":"{id}","body":"{body}","signature":"{sig}"}}"#)
}

/// The line of `bytes` with `sig`, its ID computed as a tamperer would (no key needed).
pub(crate) fn line_with(number: u64, bytes: &[u8], sig: &FullSig) -> String {
    line(
        number,
        &id_hex(bytes, sig),
        &hex::encode(bytes),
        &hex::encode(sig),
    )
}

pub(crate) const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// The field prime of P-256.
pub(crate) const P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// (r, n − s): the high-S twin of a low-S signature (r ‖ s).
pub(crate) fn high_s(sig: &Signature) -> [u8; 64] {
    let mut out = sig.0;
    out[32..].copy_from_slice(&sub_be(&N, &sig.0[32..].try_into().unwrap()));
    out
}

/// −R: the same R.x, R.y → p − R.y (the nonce point of −k).
pub(crate) fn negate_nonce(sig: &mut FullSig) {
    let y: [u8; 32] = sig[32..64].try_into().unwrap();
    sig[32..64].copy_from_slice(&sub_be(&P, &y));
}

/// The high-S twin of a whole document signature: (−R, n − s), as the twin's nonce −k gives
/// −R, so that only the low-S rule refuses it.
pub(crate) fn high_s_full(sig: &FullSig) -> FullSig {
    let mut out = *sig;
    let s: [u8; 32] = sig[64..].try_into().unwrap();
    out[64..].copy_from_slice(&sub_be(&N, &s));
    negate_nonce(&mut out);
    out
}

/// Re-signs `docs[from..]` with `key` after `change` (given the index and the body), keeping
/// the chain: each `previous` is the new ID of the document before, and references to a
/// document whose ID changed are rewritten (long and short forms), as a forger who holds the
/// key would do so that only the changed fact is wrong.
pub(crate) fn forge(
    docs: &[Document],
    from: usize,
    key: &PrivateKey,
    mut change: impl FnMut(usize, &mut DocumentBody),
) -> Vec<Document> {
    let mut out: Vec<Document> = docs[..from].to_vec();
    let mut renamed: Vec<(String, String)> = Vec::new();
    for (i, doc) in docs.iter().enumerate().skip(from) {
        let mut text = serde_json::to_string(doc.body()).unwrap();
        for (old, new) in &renamed {
            text = text.replace(old.as_str(), new.as_str());
            let (o, n) = (&old[..SHORT_ID_LEN], &new[..SHORT_ID_LEN]);
            text = text.replace(o, n);
            text = text.replace(&o.to_uppercase(), &n.to_uppercase());
        }
        let mut body: DocumentBody = serde_json::from_str(&text).unwrap();
        if i > 0 {
            body.previous = out[i - 1].id().0;
        }
        change(i, &mut body);
        let new = sign(body, key);
        if new.id() != doc.id() {
            renamed.push((doc.id().long(), new.id().long()));
        }
        out.push(new);
    }
    out
}

/// One document changed and re-signed by the device key; the chain after it kept.
pub(crate) fn resigned(
    docs: &[Document],
    i: usize,
    change: impl FnOnce(&mut DocumentBody),
) -> Vec<Document> {
    let mut change = Some(change);
    forge(docs, i, &device_key(), |j, b| {
        if j == i {
            (change.take().unwrap())(b);
        }
    })
}

/// A new document after `docs`, signed with `key`: number, previous and time follow on.
pub(crate) fn next(
    docs: &[Document],
    key: &PrivateKey,
    time: Timestamp,
    shift: u32,
    shift_receipt: u32,
    content: Content,
) -> Document {
    let last = docs.last().unwrap();
    sign(
        DocumentBody {
            number: last.number() + 1,
            time,
            shift,
            shift_receipt,
            previous: last.id().0,
            content,
        },
        key,
    )
}

pub(crate) fn receipt_request(json: &str) -> Content {
    Content::Request(request(json))
}

pub(crate) fn voided_of(doc: &Document) -> Voided {
    let Content::Request(r) = &doc.body().content else {
        panic!("not a receipt")
    };
    let b = r.body().unwrap();
    Voided {
        number: doc.number(),
        kind: r.doc_type(),
        sum: b.totals().sum(),
        payments: *b.payments(),
        groups: b.totals().counted_groups().to_vec(),
    }
}

pub(crate) fn cancel_content(parent: &str, voided: Voided) -> Content {
    let Request::Cancel(c) = request(&rollback(parent)) else {
        panic!("not a cancel")
    };
    Content::Cancel { request: c, voided }
}

pub(crate) fn rollback(parent: &str) -> String {
    format!(r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{parent}"}}}}"#)
}

/// Changes a Z-report's content.
pub(crate) fn z(change: impl FnOnce(&mut ShiftReport)) -> impl FnOnce(&mut DocumentBody) {
    move |b| match &mut b.content {
        Content::ZReport(r) => change(r),
        other => panic!("not a Z-report: {other:?}"),
    }
}

/// The line of `doc` after `change` to its signed bytes and signature, its ID recomputed.
pub(crate) fn tamper_line(doc: &Document, change: &dyn Fn(&mut Vec<u8>, &mut FullSig)) -> String {
    let mut bytes = doc.signed_bytes().to_vec();
    let mut sig = full_sig(doc);
    change(&mut bytes, &mut sig);
    line_with(doc.number(), &bytes, &sig)
}

/// Parses an amount written in a case.
pub(crate) fn amount(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}
