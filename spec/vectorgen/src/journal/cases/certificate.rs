//! The certificate line (NM-08, NM-09, NM-10, U-08).

use fiscal_core::{Certificate, CertificateBody, Document, PrivateKey};
use serde_json::json;

use super::{Cases, Ctx};
use crate::engine::device::*;
use crate::journal::genuine::*;

/// Adds this topic's cases.
pub(super) fn add(cx: &Ctx, out: &mut Cases) {
    let Ctx { m, key, .. } = cx;
    let j = |docs: &[Document]| cx.j(docs);
    let e = true;
    let jl = j(&cx.all);
    // --- The certificate line (NM-08, NM-09, NM-10, U-08).
    out.add(
        85,
        "no certificate line: nothing can be verified",
        &["NM-09", "NM-10"],
        &["certificate"],
        jl[1..].to_vec(),
        &[("invalid_certificate", Some(1))],
        e,
    );
    let mut v = jl.clone();
    v.insert(1, jl[0].clone());
    out.add(
        86,
        "the certificate line twice",
        &["NM-09"],
        &["certificate"],
        v,
        &[("invalid_certificate", None)],
        e,
    );
    let mut v = jl.clone();
    v[0] = r#"{"certificate":"not hex"}"#.into();
    out.add(
        87,
        "a certificate line that is not hexadecimal",
        &["NM-09"],
        &["certificate"],
        v,
        &[
            ("invalid_certificate", None),
            ("invalid_certificate", Some(1)),
        ],
        e,
    );
    let mut v = jl[1..].to_vec();
    v.push(jl[0].clone());
    out.add(
        88,
        "the certificate line after the documents",
        &["NM-09"],
        &["certificate"],
        v,
        &[
            ("invalid_certificate", None),
            ("invalid_certificate", Some(1)),
        ],
        e,
    );
    let fake = PrivateKey::from_seed(b"fiscal-core fake authority");
    let mut v = jl.clone();
    v[0] = Certificate::issue(body(key), &fake)
        .unwrap()
        .to_journal_line();
    out.add(
        89,
        "the certificate replaced by one another authority signed",
        &["NM-10", "NM-11"],
        &["certificate"],
        v,
        &[
            ("certificate_signature", None),
            ("broken_chain", Some(1)),
            ("outside_shift", Some(1)),
        ],
        e,
    );
    out.add(
        90,
        "a device certified by an authority that is not trusted",
        &["NM-10"],
        &["certificate"],
        foreign_authority_journal(),
        &[("certificate_signature", None)],
        e,
    );
    let other_key = PrivateKey::from_seed(b"fiscal-core test device 2");
    let mut v = j(&m.upto(4));
    v[0] = Certificate::issue(body(&other_key), &authority())
        .unwrap()
        .to_journal_line();
    out.add(
        91,
        "the certificate of another device: no document is signed by its key",
        &["NM-10"],
        &["certificate", "signature"],
        v,
        &[
            ("bad_signature", Some(1)),
            ("bad_signature", Some(2)),
            ("bad_signature", Some(3)),
            ("bad_signature", Some(4)),
        ],
        e,
    );
    let mut bad_body: CertificateBody = body(key);
    bad_body.voen = "123456789".into();
    let bad_sig = authority().sign(&bad_body.signed_bytes());
    let bad_cert = Certificate::from_json(
        &serde_json::to_string(&json!({"body": bad_body, "signature": hex::encode(bad_sig.0)}))
            .unwrap(),
    )
    .unwrap();
    let mut v = jl.clone();
    v[0] = bad_cert.to_journal_line();
    out.add(
        92,
        "a certificate whose VÖEN has 9 digits, signed by the authority",
        &["NM-09", "RC-02"],
        &["certificate"],
        v,
        &[
            ("invalid_certificate", None),
            ("broken_chain", Some(1)),
            ("outside_shift", Some(1)),
        ],
        e,
    );
}
