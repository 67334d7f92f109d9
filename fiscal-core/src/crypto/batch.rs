//! Document signatures of spec v3 (SPEC.md §13.2): ECDSA P-256 with the nonce point R named
//! by a recovery byte, checked one at a time or many at once.
//!
//! Every document of a journal is signed by one device key Q. With R known, n signatures
//! (rᵢ, sᵢ) of hashes eᵢ hold together exactly when, for coefficients zᵢ,
//!
//! ```text
//! Σ zᵢ·Rᵢ = (Σ zᵢ·eᵢ/sᵢ)·G + (Σ zᵢ·rᵢ/sᵢ)·Q
//! ```
//!
//! (Bellare, Garay and Rabin's small-exponent test; Antipa et al.'s ECDSA*). The right side is
//! two multiplications a batch; the left is one multi-scalar multiplication (arkworks'
//! Pippenger) with 128-bit coefficients. The engine has no random source, so the zᵢ are
//! derived by hashing the whole batch (SECURITY.md §2.3 has the soundness argument). A batch
//! that fails is halved until every bad signature is found alone, so the verdicts are exactly
//! those of [`check_one`].
//
// No field arithmetic is written here: points, field elements, the inversion and the MSM are
// arkworks' (`ark-secp256r1`, `ark-ec`, `ark-ff`); the scalars r and s are parsed by `p256`.

use alloc::vec::Vec;

use ark_ec::{AdditiveGroup, AffineRepr, VariableBaseMSM};
use ark_ff::{BigInt, BigInteger, Field, PrimeField, Zero};
use ark_secp256r1::{Affine, Fq, Fr, Projective};
use p256::ecdsa::Signature as EcdsaSignature;

use super::{sha256, Hash, PublicKey, Recovery, Signature};

/// Batches smaller than this are checked one by one: the multi-scalar multiplication only
/// pays from a few signatures on, and a failed pair is cheaper to settle alone.
const SMALL: usize = 3;

/// The tag of the coefficient derivation (SPEC.md §13.2).
const BATCH_TAG: &[u8] = b"fiscal-core/batch/v1\0";

/// A signature read and checked on its own, ready for the equation: everything but the
/// group equation itself has held (r, s in range, low-S, R on the curve, r = R.x mod n).
#[derive(Clone, Copy)]
pub(crate) struct Prepared {
    /// e / s and r / s (u₁, u₂), once the inverses are known.
    e: Fr,
    r: Fr,
    s: Fr,
    /// The nonce point.
    point: Affine,
    /// What the coefficients hash: e ‖ r ‖ s ‖ v.
    transcript: [u8; 97],
}

fn bigint_be(bytes: &[u8]) -> Option<BigInt<4>> {
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let at = 32 - 8 * (i + 1);
        let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
        *limb = u64::from_be_bytes(b);
    }
    Some(BigInt::new(limbs))
}

/// The device key as an arkworks point (a `p256` key is on the curve and not the identity).
pub(crate) fn key_point(key: &PublicKey) -> Option<Affine> {
    let sec1 = key.uncompressed();
    let x = Fq::from_bigint(bigint_be(sec1.get(1..33)?)?)?;
    let y = Fq::from_bigint(bigint_be(sec1.get(33..65)?)?)?;
    let point = Affine::new_unchecked(x, y);
    (point.is_on_curve() && !point.is_zero()).then_some(point)
}

/// Reads a signature of the hash `e`: `None` when it cannot be valid whatever the key — r or
/// s zero or not below n, s above n/2 (high-S), a recovery byte whose R.x is not a field
/// element or not the x of a curve point.
pub(crate) fn prepare(e: &Hash, signature: &Signature, recovery: Recovery) -> Option<Prepared> {
    let sig = EcdsaSignature::from_slice(&signature.0).ok()?;
    if sig.normalize_s().is_some() {
        return None;
    }
    let r_bytes = signature.0.get(..32)?;
    let s_bytes = signature.0.get(32..)?;
    let r_int = bigint_be(r_bytes)?;
    // R.x is r, or r + n when the recovery byte says R.x was reduced (probability ~2⁻¹²⁸).
    let mut x_int = r_int;
    if recovery.x_reduced() && x_int.add_with_carry(&Fr::MODULUS) {
        return None;
    }
    let x = Fq::from_bigint(x_int)?;
    let point = Affine::get_point_from_x_unchecked(x, true)?;
    let point = if point.y.into_bigint().is_odd() == recovery.y_odd() {
        point
    } else {
        -point
    };
    let mut transcript = [0u8; 97];
    transcript[..32].copy_from_slice(e);
    transcript[32..96].copy_from_slice(&signature.0);
    transcript[96] = recovery.byte();
    Some(Prepared {
        e: Fr::from_be_bytes_mod_order(e),
        r: Fr::from_bigint(r_int)?,
        s: Fr::from_bigint(bigint_be(s_bytes)?)?,
        point,
        transcript,
    })
}

/// R = (e/s)·G + (r/s)·Q for one signature: ECDSA's check with the full point, so the
/// recovery byte is checked too.
pub(crate) fn check_one(q: &Affine, p: &Prepared) -> bool {
    let Some(w) = p.s.inverse() else {
        return false;
    };
    let generator = Affine::generator();
    Projective::msm(&[generator, *q], &[p.e * w, p.r * w])
        .is_ok_and(|rhs| rhs == p.point.into_group())
}

/// The 128-bit coefficients of a batch: SHA-256(tag ‖ key ‖ count ‖ every transcript) is the
/// seed; zᵢ is the first 16 bytes of SHA-256(seed ‖ i), never zero.
fn coefficients(q_sec1: &[u8; 33], batch: &[&Prepared]) -> Vec<u128> {
    let mut h = <sha2::Sha256 as sha2::Digest>::new();
    sha2::Digest::update(&mut h, BATCH_TAG);
    sha2::Digest::update(&mut h, q_sec1);
    sha2::Digest::update(&mut h, (batch.len() as u64).to_le_bytes());
    for p in batch {
        sha2::Digest::update(&mut h, p.transcript);
    }
    let seed: Hash = sha2::Digest::finalize(h).into();
    (0..batch.len() as u64)
        .map(|i| {
            let d = sha256(&[&seed, &i.to_le_bytes()]);
            let mut z = [0u8; 16];
            z.copy_from_slice(&d[..16]);
            u128::from_le_bytes(z).max(1)
        })
        .collect()
}

/// The batch equation over `batch` (at least one signature).
fn check_batch(q: &Affine, q_sec1: &[u8; 33], batch: &[&Prepared]) -> bool {
    let z = coefficients(q_sec1, batch);
    let mut w: Vec<Fr> = batch.iter().map(|p| p.s).collect();
    ark_ff::batch_inversion(&mut w);
    let (mut a, mut b) = (Fr::zero(), Fr::zero());
    for ((p, w), z) in batch.iter().zip(&w).zip(&z) {
        let z = Fr::from(*z);
        a += z * p.e * w;
        b += z * p.r * w;
    }
    let points: Vec<Affine> = batch.iter().map(|p| p.point).collect();
    // Σ zᵢ·Rᵢ with 128-bit zᵢ as two 64-bit MSMs: low halves, and high halves times 2⁶⁴.
    let low: Vec<u64> = z.iter().map(|z| *z as u64).collect();
    let high: Vec<u64> = z.iter().map(|z| (*z >> 64) as u64).collect();
    let mut lhs = Projective::msm_u64(&points, &high);
    for _ in 0..64 {
        lhs.double_in_place();
    }
    lhs += Projective::msm_u64(&points, &low);
    let generator = Affine::generator();
    Projective::msm(&[generator, *q], &[a, b]).is_ok_and(|rhs| rhs == lhs)
}

/// Settles `batch` (indices into `items`): all good when the equation holds, otherwise each
/// half on its own, down to single checks.
fn settle(q: &Affine, q_sec1: &[u8; 33], items: &[&Prepared], at: &[usize], out: &mut [bool]) {
    if at.len() < SMALL {
        for &i in at {
            if let (Some(p), Some(slot)) = (items.get(i), out.get_mut(i)) {
                *slot = check_one(q, p);
            }
        }
        return;
    }
    let batch: Vec<&Prepared> = at.iter().filter_map(|&i| items.get(i).copied()).collect();
    if check_batch(q, q_sec1, &batch) {
        for &i in at {
            if let Some(slot) = out.get_mut(i) {
                *slot = true;
            }
        }
        return;
    }
    let (left, right) = at.split_at(at.len() / 2);
    settle(q, q_sec1, items, left, out);
    settle(q, q_sec1, items, right, out);
}

/// Whether each signature (hash, signature, recovery byte) is `key`'s: exactly what checking
/// them one at a time ([`PublicKey::verify_recoverable`]) says.
pub(crate) fn verify_batch(
    key: &PublicKey,
    signatures: &[(Hash, Signature, Recovery)],
) -> Vec<bool> {
    let mut out = alloc::vec![false; signatures.len()];
    let Some(q) = key_point(key) else {
        return out;
    };
    let prepared: Vec<Option<Prepared>> = signatures
        .iter()
        .map(|(e, sig, rec)| prepare(e, sig, *rec))
        .collect();
    let (mut items, mut at) = (Vec::new(), Vec::new());
    let mut slots = Vec::new();
    for (i, p) in prepared.iter().enumerate() {
        if let Some(p) = p {
            at.push(items.len());
            items.push(p);
            slots.push(i);
        }
    }
    let mut verdicts = alloc::vec![false; items.len()];
    settle(&q, &key.to_sec1(), &items, &at, &mut verdicts);
    for (slot, ok) in slots.into_iter().zip(verdicts) {
        if let Some(o) = out.get_mut(slot) {
            *o = ok;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::PrivateKey;

    fn signed(key: &PrivateKey, n: usize) -> Vec<(Hash, Signature, Recovery)> {
        (0..n)
            .map(|i| {
                let m = alloc::format!("document {i}");
                let (sig, rec) = key.sign_recoverable(m.as_bytes());
                (sha256(&[m.as_bytes()]), sig, rec)
            })
            .collect()
    }

    #[test]
    fn a_good_batch_passes_and_each_forgery_is_found_alone() {
        let key = PrivateKey::from_seed(b"batch device");
        let mut batch = signed(&key, 40);
        assert!(verify_batch(&key.public_key(), &batch).iter().all(|&v| v));
        // Three kinds of bad signature: another message, a flipped recovery parity (a valid
        // (r, s) with the wrong R), and another key's signature.
        batch[3].0 = sha256(&[b"altered"]);
        batch[17].2 = Recovery::new(batch[17].2.byte() ^ 1).unwrap_or(batch[17].2);
        let other = PrivateKey::from_seed(b"another device");
        let (sig, rec) = other.sign_recoverable(b"document 30");
        batch[30].1 = sig;
        batch[30].2 = rec;
        let verdicts = verify_batch(&key.public_key(), &batch);
        let bad: Vec<usize> = (0..40).filter(|&i| !verdicts[i]).collect();
        assert_eq!(bad, [3, 17, 30]);
        // The same verdicts one at a time.
        for (i, (e, sig, rec)) in batch.iter().enumerate() {
            let one = prepare(e, sig, *rec)
                .is_some_and(|p| check_one(&key_point(&key.public_key()).unwrap(), &p));
            assert_eq!(one, verdicts[i], "{i}");
        }
    }

    #[test]
    fn malformed_signatures_never_enter_the_equation() {
        let key = PrivateKey::from_seed(b"batch device");
        let (sig, rec) = key.sign_recoverable(b"m");
        let e = sha256(&[b"m"]);
        assert!(prepare(&e, &sig, rec).is_some());
        // s = 0, r = 0, and the reduced-x flag on an r whose r + n is not below p.
        let mut zero_s = sig;
        zero_s.0[32..].fill(0);
        assert!(prepare(&e, &zero_s, rec).is_none());
        let mut zero_r = sig;
        zero_r.0[..32].fill(0);
        assert!(prepare(&e, &zero_r, rec).is_none());
        let reduced = Recovery::new(rec.byte() | 2).unwrap_or(rec);
        assert!(prepare(&e, &sig, reduced).is_none());
        // The high-S twin.
        let parsed = EcdsaSignature::from_slice(&sig.0).unwrap();
        let (r, s) = parsed.split_scalars();
        let high = EcdsaSignature::from_scalars(r, -*s).unwrap();
        assert!(prepare(&e, &Signature(high.to_bytes().into()), rec).is_none());
    }
}
