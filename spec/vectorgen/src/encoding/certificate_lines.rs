//! Certificate lines a reader or verifier must refuse (SPEC.md §12, §13.5), each with the one
//! code of its first fault.

use fiscal_core::{Certificate, CertificateBody, PrivateKey, Timestamp};

use super::certificate::{certificate_line, certificate_line_with};
use super::decode::DCase;
use crate::engine::device::*;
use crate::journal::forge::*;

/// Certificate lines a reader or verifier must refuse, with the one code of the first fault.
pub(crate) fn certificate_line_cases() -> Vec<DCase> {
    let key = device_key();
    let good = body(&key);
    let cert = Certificate::issue(good.clone(), &authority()).unwrap();
    let sig = cert.signature().0;
    let bytes = cert.to_bytes();
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
    let mut s = sig;
    s[63] ^= 1;
    add(
        110,
        "one bit of the authority's s flipped",
        &["NM-10"],
        &["cert-signature"],
        certificate_line_with(&good, &s),
        "certificate_signature",
    );
    add(
        111,
        "the high-S twin of the authority's signature",
        &["NM-10"],
        &["cert-signature", "high-s"],
        certificate_line_with(&good, &high_s(cert.signature())),
        "certificate_signature",
    );
    add(
        112,
        "the same body signed by another authority (not the trusted one)",
        &["NM-10"],
        &["cert-signature"],
        Certificate::issue(
            good.clone(),
            &PrivateKey::from_seed(b"fiscal-core fake authority"),
        )
        .unwrap()
        .to_journal_line(),
        "certificate_signature",
    );
    let altered = |change: &dyn Fn(&mut CertificateBody)| {
        let mut b = good.clone();
        change(&mut b);
        certificate_line_with(&b, &sig)
    };
    add(
                113,
        "the taxpayer's name changed after signing (the name receipts print comes from the certificate)",
        &["RC-01", "PK-07", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.taxpayer_name = "Başqa MMC".into()),
        "certificate_signature",
    );
    add(
        114,
        "the VÖEN changed after signing",
        &["RC-02", "PK-07", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.voen = "9876543210".into()),
        "certificate_signature",
    );
    add(
                115,
        "the kassa factory number changed after signing: the certificate no longer names this kassa",
        &["U-05", "RC-07", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.kassa_factory_number = "KX2-000999".into()),
        "certificate_signature",
    );
    add(
        116,
        "validUntil moved one year later after signing",
        &["NM-08", "NM-09"],
        &["cert-signature", "altered"],
        altered(&|b| b.valid_until = b.valid_until.plus(365 * Timestamp::DAY)),
        "certificate_signature",
    );
    add(
        117,
        "the device key replaced by another device's after signing",
        &["NM-10"],
        &["cert-signature", "altered"],
        altered(&|b| b.device_key = PrivateKey::from_seed(b"forger").public_key()),
        "certificate_signature",
    );
    let mut bad = good.clone();
    bad.voen = "123456789".into();
    add(
                118,
        "a VÖEN of 9 digits, signed by the authority: the signature verifies, the rules of §12.1 do not hold",
        &["RC-02", "NM-09"],
        &["voen"],
        certificate_line_with(&bad, &authority().sign(&bad.signed_bytes()).0),
        "invalid_certificate",
    );
    let mut b = bytes.clone();
    b.push(0);
    add(
        119,
        "a byte after the certificate",
        &["NM-09"],
        &["trailing"],
        certificate_line(&b),
        "invalid_certificate",
    );
    let mut b = bytes.clone();
    b.pop();
    add(
        120,
        "the last byte missing",
        &["NM-09"],
        &["truncated"],
        certificate_line(&b),
        "invalid_certificate",
    );
    // serial 1001 = e9 07; written e9 87 00 it decodes to the same number.
    assert_eq!(bytes[..2], [0xe9, 0x07]);
    let b = [&[0xe9, 0x87, 0x00][..], &bytes[2..]].concat();
    add(
                121,
        "the serial as a three-byte varint (e9 87 00 for 1001): not canonical, though the signature over the re-encoded body verifies",
        &["NM-09"],
        &["canonical"],
        certificate_line(&b),
        "invalid_certificate",
    );
    let key_at = bytes.len() - 64 - 33;
    let mut b = bytes.clone();
    b[key_at] = 0x05;
    add(
        122,
        "the device key's prefix 05: not a compressed SEC1 point",
        &["NM-10"],
        &["key"],
        certificate_line(&b),
        "invalid_certificate",
    );
    add(
        123,
        "the certificate is not hexadecimal",
        &["NM-09"],
        &["hex"],
        format!(r#"{{"certificate":"{}zz"}}"#, hex::encode(&bytes)),
        "invalid_certificate",
    );
    out
}
