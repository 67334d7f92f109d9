//! The floors: what the cryptography alone costs on the canonical bytes of a 10-line receipt,
//! called directly on the providers' crates (no engine code), and through the engine's seam
//! (the engine's `PrivateKey` and `PublicKey`, which add the low-S rule) for comparison.
//!
//! - `p256_sign`: `p256::ecdsa::SigningKey::sign` (RFC 6979, SHA-256 inside): what issuing pays;
//! - `p256_verify`, `ring_verify`: a bare verification by each provider (ring's with the key
//!   already parsed into its 65-byte uncompressed form, as the engine keeps it);
//! - `sha256`: one SHA-256 of the bytes (the fiscal ID hashes them once more).
//!
//! `ring_verify` is measured whichever provider the engine was built with.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark set-up: a fixture that cannot be built ends the run with its message"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fiscal_core_benches::{device_key, sale_json, Till};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
use sha2::{Digest, Sha256};

fn floors(c: &mut Criterion) {
    let mut till = Till::new();
    let doc = till.issue_json(&sale_json(10, 7));
    let bytes = doc.signed_bytes().to_vec();
    let engine_key = device_key();
    let engine_public = engine_key.public_key();
    let engine_signature = *doc.signature();

    let signing = SigningKey::from_slice(&engine_key.to_bytes()[..]).expect("a P-256 scalar");
    let verifying = VerifyingKey::from(&signing);
    let signature = Signature::from_slice(&engine_signature.0).expect("a signature");
    let uncompressed = verifying.to_encoded_point(false).as_bytes().to_vec();
    let ring_key = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, uncompressed);

    assert!(verifying.verify(&bytes, &signature).is_ok());
    assert!(ring_key.verify(&bytes, &engine_signature.0).is_ok());

    let mut group = c.benchmark_group("floor");
    group.bench_function("p256_sign", |b| {
        b.iter(|| -> Signature { signing.sign(black_box(&bytes)) });
    });
    group.bench_function("p256_verify", |b| {
        b.iter(|| verifying.verify(black_box(&bytes), &signature).is_ok());
    });
    group.bench_function("ring_verify", |b| {
        b.iter(|| {
            ring_key
                .verify(black_box(&bytes), &engine_signature.0)
                .is_ok()
        });
    });
    group.bench_function("sha256", |b| {
        b.iter(|| Sha256::digest(black_box(&bytes)));
    });
    group.finish();

    // The same through the engine's seam, to show what the seam itself adds.
    let mut group = c.benchmark_group("engine_crypto");
    group.bench_function("sign", |b| b.iter(|| engine_key.sign(black_box(&bytes))));
    group.bench_function(
        format!("verify_{}", fiscal_core::internal::VERIFY_PROVIDER),
        |b| b.iter(|| engine_public.verify(black_box(&bytes), &engine_signature)),
    );
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = floors
}
criterion_main!(benches);
