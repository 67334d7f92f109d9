//! Document lines a reader must refuse, each with the one code of its first fault: bad hex,
//! tags, enums, options, ranges, trailing or missing bytes, non-canonical encodings, line
//! spelling, wrong fiscal IDs and signatures.

use fiscal_core::internal::sha256;
use fiscal_core::PrivateKey;

use crate::engine::encoding::*;
use crate::journal::forge::*;
use crate::journal::genuine::*;

pub(crate) struct DCase {
    pub(crate) id: u64,
    pub(crate) comment: String,
    pub(crate) rules: Vec<&'static str>,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) line: String,
    pub(crate) error: &'static str,
}

pub(crate) fn decode_cases(m: &Main) -> Vec<DCase> {
    let doc = m.doc(4).clone();
    let bytes = doc.signed_bytes().to_vec();
    let sig = full_sig(&doc);
    let n = doc.number();
    let body_hex = hex::encode(&bytes);
    let sig_hex = hex::encode(sig);
    let id = doc.id().long();
    let tag_len = fiscal_core::internal::DOCUMENT_TAG.len();
    let mut out = Vec::new();
    let mut add = |id: u64,
                   comment: &str,
                   rules: &[&'static str],
                   flags: &[&'static str],
                   line: String,
                   error: &'static str| {
        out.push(DCase {
            id,
            comment: comment.into(),
            rules: rules.to_vec(),
            flags: flags.to_vec(),
            line,
            error,
        });
    };
    let with_bytes = |b: &[u8]| line_with(n, b, &sig);
    let mut b = bytes.clone();
    b.push(0);
    add(
        49,
        "a byte after the document",
        &["PK-11", "NM-02"],
        &["trailing"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b.pop();
    add(
        50,
        "the last byte missing",
        &["PK-11"],
        &["truncated"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b.splice(tag_len..tag_len + 1, [0x84, 0x00]);
    add(
        51,
        "the number as a two-byte varint (84 00 for 4): not canonical",
        &["PK-11", "NM-02"],
        &["canonical"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[tag_len - 2] = b'2';
    add(
        52,
        "the tag says document/v2",
        &["PK-11"],
        &["tag"],
        with_bytes(&b),
        "invalid_document",
    );
    let b = [fiscal_core::internal::CERTIFICATE_TAG, &bytes[tag_len..]].concat();
    add(
        53,
        "the certificate's tag on a document",
        &["PK-11"],
        &["tag"],
        with_bytes(&b),
        "invalid_document",
    );
    add(
        54,
        "no tag at all",
        &["PK-11"],
        &["tag"],
        with_bytes(&bytes[tag_len..]),
        "invalid_document",
    );
    // The content's variant index: what is left after the header is the content.
    let content_at = bytes.len() - postcard::to_allocvec(&doc.body().content).unwrap().len();
    assert_eq!(bytes[content_at], 2, "Content::Request");
    let mut b = bytes.clone();
    b[content_at] = 6;
    add(
        55,
        "an unknown content variant (6)",
        &["PK-11"],
        &["enum"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[content_at + 1] = 8;
    add(
        56,
        "an unknown request variant (8)",
        &["PK-11"],
        &["enum"],
        with_bytes(&b),
        "invalid_document",
    );
    // The first line's code option (after cashier "Aysel", the line count, the name "Çörək").
    let cashier_at = content_at + 2;
    assert_eq!(bytes[cashier_at], 5);
    let name_at = cashier_at + 1 + 5 + 1;
    assert_eq!(bytes[name_at], 8);
    let code_at = name_at + 1 + 8;
    assert_eq!(bytes[code_at], 0);
    let mut b = bytes.clone();
    b[code_at] = 2;
    add(
        57,
        "an option tag 02 (only 00 and 01 exist)",
        &["PK-11"],
        &["option"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[name_at + 1] = 0xff;
    add(
        58,
        "a name that is not UTF-8",
        &["PK-11"],
        &["text"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b[code_at + 1] = 6;
    add(
        59,
        "an unknown unit (6)",
        &["PK-11"],
        &["enum"],
        with_bytes(&b),
        "invalid_document",
    );
    // The quantity (2000 units: zigzag 4000 = a0 1f) → −1 (zigzag 1): a negative quantity.
    assert_eq!(&bytes[code_at + 2..code_at + 4], &[0xa0, 0x1f]);
    let mut b = bytes.clone();
    b.splice(code_at + 2..code_at + 4, [0x01]);
    add(
        60,
        "a negative quantity (−0.001)",
        &["PK-11", "RC-05"],
        &["range"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    b.splice(code_at + 2..code_at + 4, [0x00]);
    add(
        61,
        "a zero quantity (below 0.001)",
        &["PK-11", "RC-05"],
        &["range"],
        with_bytes(&b),
        "invalid_document",
    );
    let mut b = bytes.clone();
    // 10^10 units of quantity: above 9 999 999.999.
    let mut big = Vec::new();
    let mut units = 20_000_000_000u64;
    while units >= 0x80 {
        big.push((units as u8 & 0x7f) | 0x80);
        units >>= 7;
    }
    big.push(units as u8);
    b.splice(code_at + 2..code_at + 4, big);
    add(
        62,
        "a quantity above the range (10 000 000.000)",
        &["PK-11", "RC-05"],
        &["range"],
        with_bytes(&b),
        "invalid_document",
    );
    add(
        63,
        "the body is not hexadecimal",
        &["PK-11"],
        &["hex"],
        line(n, &id, &format!("zz{}", &body_hex[2..]), &sig_hex),
        "invalid_document",
    );
    add(
        64,
        "the body has an odd number of hex digits",
        &["PK-11"],
        &["hex"],
        line(n, &id, &body_hex[1..], &sig_hex),
        "invalid_document",
    );
    add(
        65,
        "the signature is 63 bytes",
        &["PK-11"],
        &["hex"],
        line(n, &id, &body_hex, &sig_hex[2..]),
        "invalid_document",
    );
    add(
        66,
        "the signature is not hexadecimal",
        &["PK-11"],
        &["hex"],
        line(n, &id, &body_hex, &format!("x{}", &sig_hex[1..])),
        "invalid_document",
    );
    add(
        67,
        "the line declares another number",
        &["PK-11", "NM-03"],
        &["line"],
        line(n + 1, &id, &body_hex, &sig_hex),
        "invalid_document",
    );
    add(
        68,
        "the number given as a string",
        &["PK-11"],
        &["line"],
        doc.to_journal_line()
            .replacen("\"number\":4", "\"number\":\"4\"", 1),
        "invalid_document",
    );
    add(
        69,
        "a member missing (no signature)",
        &["PK-11"],
        &["line"],
        format!(r#"{{"number":{n},"id":"{id}","body":"{body_hex}"}}"#),
        "invalid_document",
    );
    add(
        70,
        "an extra member",
        &["PK-11"],
        &["line"],
        doc.to_journal_line().replacen('}', r#","extra":1}"#, 1),
        "invalid_document",
    );
    add(
        71,
        "not JSON",
        &["PK-11"],
        &["line"],
        "number 4, body …".into(),
        "invalid_document",
    );
    // One spelling (SPEC.md §13.5): the same document written any other way is refused.
    let canonical = doc.to_journal_line();
    for (tc_id, comment, spelled) in [
        (
            72,
            "the same line as a JSON array [number, id, body, signature]",
            format!(r#"[{n},"{id}","{body_hex}","{sig_hex}"]"#),
        ),
        (
            73,
            "the same members in another order",
            format!(r#"{{"id":"{id}","number":{n},"body":"{body_hex}","signature":"{sig_hex}"}}"#),
        ),
        (74, "a space after each comma", canonical.replace(',', ", ")),
        (
            75,
            "the number with a leading zero",
            canonical.replacen(&format!("\"number\":{n}"), &format!("\"number\":0{n}"), 1),
        ),
        (
            76,
            "the body's hex in upper case",
            canonical.replacen(&body_hex, &body_hex.to_uppercase(), 1),
        ),
        (
            77,
            "the signature's hex in upper case",
            canonical.replacen(&sig_hex, &sig_hex.to_uppercase(), 1),
        ),
    ] {
        add(
            tc_id,
            comment,
            &["PK-11"],
            &["spelling"],
            spelled,
            "invalid_document",
        );
    }
    let mut wrong = id.clone();
    wrong.replace_range(63..64, if id.ends_with('0') { "1" } else { "0" });
    add(
        78,
        "the declared ID differs in its last digit",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &wrong, &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        79,
        "the declared ID in upper case",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &id.to_uppercase(), &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        80,
        "the declared ID is the short form",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &id[..12], &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        81,
        "the declared ID is SHA-256 of the bytes alone (no tag, no signature)",
        &["NM-02"],
        &["fiscal-id"],
        line(n, &hex::encode(sha256(&[&bytes])), &body_hex, &sig_hex),
        "wrong_fiscal_id",
    );
    add(
        82,
        "the high-S twin of the signature (ID recomputed)",
        &["NM-11", "NM-02"],
        &["signature", "high-s"],
        line_with(n, &bytes, &high_s_full(&sig)),
        "bad_signature",
    );
    let mut s = sig;
    s[95] ^= 1;
    add(
        83,
        "one bit of s flipped (ID recomputed)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let mut s = sig;
    s[0] ^= 0x80;
    add(
        84,
        "one bit of R.x (so of r) flipped (ID recomputed)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    add(
        85,
        "the signature of another document (ID recomputed)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &full_sig(m.doc(5))),
        "bad_signature",
    );
    add(
        86,
        "signed by another key",
        &["NM-10", "NM-11"],
        &["signature"],
        sign(doc.body().clone(), &PrivateKey::from_seed(b"forger")).to_journal_line(),
        "bad_signature",
    );
    add(
        87,
        "R = (0, 0) and s = 0 (r = 0)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &[0u8; 96]),
        "bad_signature",
    );
    let mut s = sig;
    s[..32].copy_from_slice(&N);
    add(
        88,
        "R.x = n, so r = 0 (out of range)",
        &["NM-11"],
        &["signature"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let cheaper = {
        let mut b = doc.body().clone();
        b.shift_receipt = 9;
        b.signed_bytes()
    };
    add(
        89,
        "the receipt counter changed after signing (ID recomputed)",
        &["NM-11", "RC-06"],
        &["signature", "altered"],
        line_with(n, &cheaper, &sig),
        "bad_signature",
    );
    let mut s = sig;
    negate_nonce(&mut s);
    add(
        126,
        "the nonce point negated (R.y → p − R.y): r ‖ s pass a standard ECDSA verifier, R is the wrong point (v3, ID the same)",
        &["NM-11"],
        &["signature", "nonce-point"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let mut s = sig;
    s[63] ^= 1;
    add(
        127,
        "one bit of R.y flipped: R is off the curve (ID the same)",
        &["NM-11"],
        &["signature", "nonce-point"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let mut s = sig;
    s[..32].copy_from_slice(&P);
    add(
        128,
        "R.x = p: not a field element (r = p − n, ID recomputed)",
        &["NM-11"],
        &["signature", "nonce-point"],
        line_with(n, &bytes, &s),
        "bad_signature",
    );
    let mut rs = [0u8; 64];
    rs[..32].copy_from_slice(&r_of(&sig));
    rs[32..].copy_from_slice(&sig[64..]);
    add(
        129,
        "a version 2 line: the signature r ‖ s without its nonce point",
        &["NM-11"],
        &["signature", "nonce-point"],
        line(n, &id, &body_hex, &hex::encode(rs)),
        "invalid_document",
    );
    out
}
