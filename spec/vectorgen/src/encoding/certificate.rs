//! Certificate bodies (SPEC.md §12) the authority signs (valid) and bodies it must refuse to
//! issue (`invalid_certificate`), and the certificate lines a tamperer writes.

use fiscal_core::{CertificateBody, PrivateKey, Timestamp};

use crate::engine::device::*;
use crate::journal::genuine::*;

/// A certificate line holding `bytes` (postcard of body and signature, or anything else).
pub(crate) fn certificate_line(bytes: &[u8]) -> String {
    format!(r#"{{"certificate":"{}"}}"#, hex::encode(bytes))
}

/// The line of `body` with `sig`, as a tamperer writes it (no key needed).
pub(crate) fn certificate_line_with(body: &CertificateBody, sig: &[u8; 64]) -> String {
    let tag = fiscal_core::internal::CERTIFICATE_TAG.len();
    certificate_line(&[&body.signed_bytes()[tag..], &sig[..]].concat())
}

pub(crate) struct CCase {
    pub(crate) id: u64,
    pub(crate) comment: String,
    pub(crate) rules: Vec<&'static str>,
    pub(crate) flags: Vec<&'static str>,
    pub(crate) body: CertificateBody,
}

pub(crate) fn ccase(
    id: u64,
    comment: &str,
    rules: &[&'static str],
    flags: &[&'static str],
    change: impl FnOnce(&mut CertificateBody),
) -> CCase {
    let mut body = body(&device_key());
    change(&mut body);
    CCase {
        id,
        comment: comment.into(),
        rules: rules.to_vec(),
        flags: flags.to_vec(),
        body,
    }
}

/// Certificate bodies the authority signs (valid) and bodies it must refuse (invalid).
pub(crate) fn certificate_bodies() -> (Vec<CCase>, Vec<CCase>) {
    let from = body(&device_key()).valid_from;
    // (The journals' certificate, 2026-01-01 to 2029-01-01, is itself 1 096 days long.)
    let valid = vec![
        ccase(
                90,
            "the certificate of the journals in journals.json: the taxpayer's name and VÖEN (printed from it, not from the POS), the object's code, name and address, the kassa's model and factory number, the NMQ's factory and registration numbers, the validity and the device key, all under the authority's signature",
            &["NM-09", "NM-10", "PK-07", "RC-01", "RC-02", "RC-04", "RC-07", "RC-16"],
            &["journal"],
            |_| {},
        ),
        ccase(
                91,
            "the certificate of the short-lived journal: another device (device 3), serial and kassa factory number, valid 4 hours",
            &["NM-08", "NM-09"],
            &["journal"],
            |b| {
                b.serial = 1003;
                b.kassa_factory_number = "KX2-000125".into();
                b.valid_from = on(23, 8, 0, 0);
                b.valid_until = on(23, 12, 0, 0);
                b.device_key = short_lived_key().public_key();
            },
        ),
        ccase(
                92,
            "valid exactly 1 096 days from 23.11.2026 08:00 (Baku), the longest allowed (3 years)",
            &["NM-08"],
            &["limits"],
            |b| {
                b.valid_from = on(23, 8, 0, 0);
                b.valid_until = b.valid_from.plus(1_096 * Timestamp::DAY);
            },
        ),
        ccase(
                93,
            "valid 1 ms, the shortest allowed",
            &["NM-08"],
            &["limits"],
            |b| b.valid_until = from.plus(1),
        ),
        ccase(
                94,
            "the largest serial (u64 max, a 10-byte varint)",
            &["NM-09"],
            &["varint", "limits"],
            |b| b.serial = u64::MAX,
        ),
        ccase(
                95,
            "texts of 256 characters, the most allowed: 2-byte letters (Ə, ş, Ж: 512 bytes, a 2-byte length) and ASCII (256 bytes)",
            &["RC-01", "RC-04", "RC-07"],
            &["varint", "limits", "text"],
            |b| {
                b.taxpayer_name = "Ə".repeat(256);
                b.object_address = "ş".repeat(256);
                b.object_name = "Ж".repeat(256);
                b.kassa_model = "M".repeat(256);
            },
        ),
        ccase(
                96,
            "printed characters of §4.2 in the taxpayer's and object's names (quotes, №, «», ’, Cyrillic) and a VÖEN with leading zeros",
            &["RC-01", "RC-02", "RC-04"],
            &["text"],
            |b| {
                b.taxpayer_name = "\"Günəş-Ər\" MMC — Ömər’in şirkəti".into();
                b.voen = "0012345678".into();
                b.object_name = "Магазин «Ulduz» №7".into();
                b.object_code = "OBJ/0042-Ş".into();
            },
        ),
        ccase(
                97,
            "a device key with prefix 03 (odd y; device 4)",
            &["NM-10"],
            &["key"],
            |b| b.device_key = PrivateKey::from_seed(b"fiscal-core test device 4").public_key(),
        ),
        ccase(
                98,
            "valid from 1 ms before 1970 (a negative moment, zigzag 01) for a day",
            &["NM-09"],
            &["time"],
            |b| {
                b.valid_from = Timestamp::from_millis(-1);
                b.valid_until = Timestamp::from_millis(Timestamp::DAY);
            },
        ),
    ];
    let invalid = vec![
        ccase(99, "a VÖEN of 9 digits", &["RC-02", "NM-09"], &["voen"], |b| {
            b.voen = "123456789".into()
        }),
        ccase(
                100,
            "a VÖEN of 10 characters with a letter",
            &["RC-02", "NM-09"],
            &["voen"],
            |b| b.voen = "12345678A1".into(),
        ),
        ccase(
                101,
            "an empty taxpayer name",
            &["RC-01", "PK-07"],
            &["rule-text"],
            |b| b.taxpayer_name = String::new(),
        ),
        ccase(
                102,
            "an object name of spaces only",
            &["RC-04"],
            &["rule-text"],
            |b| b.object_name = "   ".into(),
        ),
        ccase(
                103,
            "an object address of 257 characters (one over)",
            &["RC-04"],
            &["rule-text", "limits"],
            |b| b.object_address = "ə".repeat(257),
        ),
        ccase(
                104,
            "an object code with a line break (a control character)",
            &["RC-04", "NM-09"],
            &["rule-text"],
            |b| b.object_code = "OBJ-\n0042".into(),
        ),
        ccase(
                105,
            "a kassa factory number with a right-to-left override (U+202E), which can hide what is printed",
            &["RC-07"],
            &["rule-text"],
            |b| b.kassa_factory_number = "KX2-\u{202E}321000".into(),
        ),
        ccase(
                106,
            "an NMQ registration number with a tab",
            &["RC-16"],
            &["rule-text"],
            |b| b.nmq_registration_number = "AZ-NMQ\t2026-000789".into(),
        ),
        ccase(
                107,
            "valid until the moment it is valid from: an empty period",
            &["NM-08"],
            &["validity"],
            |b| b.valid_until = b.valid_from,
        ),
        ccase(
                108,
            "valid until 1 ms before it is valid from",
            &["NM-08"],
            &["validity"],
            |b| b.valid_until = b.valid_from.plus(-1),
        ),
        ccase(
                109,
            "valid 1 096 days and 1 ms: over 3 years",
            &["NM-08"],
            &["validity", "limits"],
            |b| b.valid_until = b.valid_from.plus(1_096 * Timestamp::DAY + 1),
        ),
    ];
    (valid, invalid)
}
