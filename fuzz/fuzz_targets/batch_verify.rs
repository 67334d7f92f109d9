//! Batch signature verification (SPEC.md §13.2, issue #19) against one-by-one verification:
//! a batch of up to 16 of 48 genuine device signatures (made once, outside the loop), each
//! possibly altered — bits of the nonce point R, a bit of r or s, the message, another document's
//! signature, bytes of the fuzzer's own — must get exactly the verdicts that
//! `PublicKey::verify_with_nonce` gives each signature alone. Never a panic.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use fiscal_core::internal::{sha256, verify_batch};
use fiscal_core::{NoncePoint, PrivateKey, Signature};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Change {
    None,
    FlipNonce { byte: u8, mask: u8 },
    RawNonce([u8; 64]),
    FlipR { byte: u8, mask: u8 },
    FlipS { byte: u8, mask: u8 },
    OtherMessage(u8),
    OtherSignature(u8),
    Raw([u8; 64]),
}

#[derive(Debug, Arbitrary)]
struct Entry {
    index: u8,
    change: Change,
}

struct Genuine {
    key: PrivateKey,
    signed: Vec<(Vec<u8>, Signature, NoncePoint)>,
}

fn genuine() -> &'static Genuine {
    static G: OnceLock<Genuine> = OnceLock::new();
    G.get_or_init(|| {
        let key = PrivateKey::from_seed(b"fuzz batch device");
        let signed = (0..48u32)
            .map(|i| {
                let m = format!("document {i}").into_bytes();
                let (s, r) = key.sign_with_nonce(&m);
                (m, s, r)
            })
            .collect();
        Genuine { key, signed }
    })
}

fuzz_target!(|data: &[u8]| {
    let g = genuine();
    let mut u = Unstructured::new(data);
    let Ok(entries) = Vec::<Entry>::arbitrary(&mut u) else {
        return;
    };
    let n = g.signed.len();
    let mut messages = Vec::new();
    let mut batch = Vec::new();
    for e in entries.iter().take(16) {
        let (m, mut sig, mut rec) = g.signed[usize::from(e.index) % n].clone();
        let mut message = m;
        match e.change {
            Change::None => {}
            Change::FlipNonce { byte, mask } => rec.0[usize::from(byte) % 64] ^= mask,
            Change::RawNonce(bytes) => rec = NoncePoint(bytes),
            Change::FlipR { byte, mask } => sig.0[usize::from(byte) % 32] ^= mask,
            Change::FlipS { byte, mask } => sig.0[32 + usize::from(byte) % 32] ^= mask,
            Change::OtherMessage(b) => message.push(b),
            Change::OtherSignature(i) => {
                let other = &g.signed[usize::from(i) % n];
                sig = other.1;
                rec = other.2;
            }
            Change::Raw(bytes) => sig = Signature(bytes),
        }
        batch.push((sha256(&[&message]), sig, rec));
        messages.push(message);
    }
    let public = g.key.public_key();
    let verdicts = verify_batch(&public, &batch);
    assert_eq!(verdicts.len(), batch.len());
    for ((message, (_, sig, rec)), batched) in messages.iter().zip(&batch).zip(verdicts) {
        assert_eq!(
            public.verify_with_nonce(message, sig, rec),
            batched,
            "batch and single verification disagree"
        );
    }
});
