//! Document signatures of spec v3 (SPEC.md §13.2): ECDSA P-256 with the nonce point R carried
//! beside r ‖ s, checked one at a time or many at once.
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

use super::{sha256, Hash, NoncePoint, PublicKey, Signature};

/// Batches smaller than this are checked one by one: the multi-scalar multiplication only
/// pays from a few signatures on, and a failed pair is cheaper to settle alone.
const SMALL: usize = 3;

/// The tag of the coefficient derivation (SPEC.md §13.2).
const BATCH_TAG: &[u8] = b"fiscal-core/batch/v1\0";

/// A signature read and checked on its own, ready for the equation: everything but the
/// group equation itself has held (r, s in range, low-S, R on the curve, r = R.x mod n).
// What the coefficients hash (e ‖ r ‖ s ‖ R.x ‖ R.y) is the signature item itself, not kept
// here again; the scalars and the point are kept apart (`Batch`) so that the multi-scalar
// multiplication reads the points where they are.
#[derive(Clone, Copy)]
pub(crate) struct Prepared {
    scalars: Scalars,
    /// The nonce point.
    point: Affine,
}

/// The scalars of a prepared signature: e, r and s (u₁ = e/s, u₂ = r/s once s is inverted).
#[derive(Clone, Copy)]
struct Scalars {
    e: Fr,
    r: Fr,
    s: Fr,
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

/// r = x mod n for a big-endian 32-byte x (x < 2²⁵⁶ < 2n, so at most one subtraction).
/// Whether x is below p, and R a point, is the signature check's question.
pub(crate) fn reduce_x(x: &[u8]) -> Option<[u8; 32]> {
    let mut r = bigint_be(x)?;
    if r >= Fr::MODULUS {
        r.sub_with_borrow(&Fr::MODULUS);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&r.to_bytes_be());
    Some(out)
}

/// The nonce point of a signature that `p256` describes by R.x's reduction and R.y's parity:
/// how signing found R before it computed k·G itself, kept as the second method its test
/// checks it against (R is public, so arkworks' variable-time square root is fine).
#[cfg(test)]
pub(crate) fn lift_nonce(
    signature: &Signature,
    y_odd: bool,
    x_reduced: bool,
) -> Option<NoncePoint> {
    let mut x_int = bigint_be(signature.0.get(..32)?)?;
    if x_reduced && x_int.add_with_carry(&Fr::MODULUS) {
        return None;
    }
    let point = Affine::get_point_from_x_unchecked(Fq::from_bigint(x_int)?, true)?;
    let point = if point.y.into_bigint().is_odd() == y_odd {
        point
    } else {
        -point
    };
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&point.x.into_bigint().to_bytes_be());
    out[32..].copy_from_slice(&point.y.into_bigint().to_bytes_be());
    Some(NoncePoint(out))
}

/// Reads a signature of the hash `e`: `None` when it cannot be valid whatever the key — r or
/// s zero or not below n, s above n/2 (high-S), R.x or R.y not below p, R not on the curve, or
/// r not R.x mod n.
pub(crate) fn prepare(e: &Hash, signature: &Signature, nonce: &NoncePoint) -> Option<Prepared> {
    let sig = EcdsaSignature::from_slice(&signature.0).ok()?;
    if sig.normalize_s().is_some() {
        return None;
    }
    let r_bytes = signature.0.get(..32)?;
    let s_bytes = signature.0.get(32..)?;
    if reduce_x(nonce.x())? != *r_bytes {
        return None;
    }
    let x = Fq::from_bigint(bigint_be(nonce.0.get(..32)?)?)?;
    let y = Fq::from_bigint(bigint_be(nonce.0.get(32..)?)?)?;
    // On the curve: y² = x³ − 3x + b. The affine identity has no coordinates, so a point
    // that passes is not the identity.
    let point = Affine::new_unchecked(x, y);
    if !point.is_on_curve() {
        return None;
    }
    Some(Prepared {
        scalars: Scalars {
            e: Fr::from_be_bytes_mod_order(e),
            r: Fr::from_bigint(bigint_be(r_bytes)?)?,
            s: Fr::from_bigint(bigint_be(s_bytes)?)?,
        },
        point,
    })
}

/// R = (e/s)·G + (r/s)·Q for one signature: ECDSA's check with the full point, so R.y is
/// checked too.
pub(crate) fn check_one(q: &Affine, p: &Prepared) -> bool {
    check_point(q, &p.scalars, &p.point)
}

fn check_point(q: &Affine, p: &Scalars, point: &Affine) -> bool {
    let Some(w) = p.s.inverse() else {
        return false;
    };
    let generator = Affine::generator();
    Projective::msm(&[generator, *q], &[p.e * w, p.r * w])
        .is_ok_and(|rhs| rhs == point.into_group())
}

/// The prepared signatures of a batch, in order: the scalars and the points apart, and for
/// each the signature item it came from (its transcript for the coefficients, and where its
/// verdict goes). Parts of a batch are ranges of it, so nothing is copied when one is halved.
struct Batch<'a> {
    key: Affine,
    key_sec1: [u8; 33],
    items: &'a [SignatureItem],
    from: Vec<usize>,
    scalars: Vec<Scalars>,
    points: Vec<Affine>,
}

/// What a batch check of one signature needs: the hash of the signed bytes, r ‖ s and the
/// nonce point R (`Document::signature_item`), 160 bytes; in this order, e ‖ r ‖ s ‖ R.x ‖
/// R.y is what the coefficients hash.
pub(crate) type SignatureItem = (Hash, Signature, NoncePoint);

impl Batch<'_> {
    /// The 128-bit coefficients of the signatures `range`, as their low and high 64 bits:
    /// SHA-256(tag ‖ key ‖ count ‖ every transcript) is the seed; zᵢ is the first 16 bytes
    /// of SHA-256(seed ‖ i), never zero.
    fn coefficients(&self, range: core::ops::Range<usize>) -> (Vec<u64>, Vec<u64>) {
        let from = self.from.get(range).unwrap_or_default();
        let mut h = <sha2::Sha256 as sha2::Digest>::new();
        sha2::Digest::update(&mut h, BATCH_TAG);
        sha2::Digest::update(&mut h, self.key_sec1);
        sha2::Digest::update(&mut h, (from.len() as u64).to_le_bytes());
        for &i in from {
            if let Some((e, signature, nonce)) = self.items.get(i) {
                sha2::Digest::update(&mut h, e);
                sha2::Digest::update(&mut h, signature.0);
                sha2::Digest::update(&mut h, nonce.0);
            }
        }
        let seed: Hash = sha2::Digest::finalize(h).into();
        (0..from.len() as u64)
            .map(|i| {
                let d = sha256(&[&seed, &i.to_le_bytes()]);
                let mut z = [0u8; 16];
                z.copy_from_slice(&d[..16]);
                let z = u128::from_le_bytes(z).max(1);
                (z as u64, (z >> 64) as u64)
            })
            .unzip()
    }

    /// The batch equation over the signatures `range` (at least one).
    fn check(&self, range: core::ops::Range<usize>) -> bool {
        let (Some(scalars), Some(points)) = (
            self.scalars.get(range.clone()),
            self.points.get(range.clone()),
        ) else {
            return false;
        };
        let (low, high) = self.coefficients(range);
        let mut w: Vec<Fr> = scalars.iter().map(|p| p.s).collect();
        ark_ff::batch_inversion(&mut w);
        let (mut a, mut b) = (Fr::zero(), Fr::zero());
        for (((p, w), low), high) in scalars.iter().zip(&w).zip(&low).zip(&high) {
            let z = Fr::from((u128::from(*high) << 64) | u128::from(*low)) * w;
            a += z * p.e;
            b += z * p.r;
        }
        drop(w);
        // Σ zᵢ·Rᵢ with 128-bit zᵢ as two 64-bit MSMs: low halves, and high halves times 2⁶⁴.
        let mut lhs = Projective::msm_u64(points, &high);
        for _ in 0..64 {
            lhs.double_in_place();
        }
        lhs += Projective::msm_u64(points, &low);
        let generator = Affine::generator();
        Projective::msm(&[generator, self.key], &[a, b]).is_ok_and(|rhs| rhs == lhs)
    }

    /// Settles the signatures `range`: all good when the equation holds, otherwise each half
    /// on its own, down to single checks.
    fn settle(&self, range: core::ops::Range<usize>, out: &mut [bool]) {
        if range.len() < SMALL {
            for i in range {
                if let (Some(p), Some(point), Some(&at)) =
                    (self.scalars.get(i), self.points.get(i), self.from.get(i))
                {
                    if let Some(slot) = out.get_mut(at) {
                        *slot = check_point(&self.key, p, point);
                    }
                }
            }
            return;
        }
        if self.check(range.clone()) {
            for &at in self.from.get(range).unwrap_or_default() {
                if let Some(slot) = out.get_mut(at) {
                    *slot = true;
                }
            }
            return;
        }
        let middle = range.start + range.len() / 2;
        self.settle(range.start..middle, out);
        self.settle(middle..range.end, out);
    }
}

/// Whether each signature (hash, r ‖ s, nonce point) is `key`'s: exactly what checking them
/// one at a time ([`PublicKey::verify_with_nonce`]) says.
pub(crate) fn verify_batch(key: &PublicKey, signatures: &[SignatureItem]) -> Vec<bool> {
    let mut out = alloc::vec![false; signatures.len()];
    let Some(q) = key_point(key) else {
        return out;
    };
    let mut batch = Batch {
        key: q,
        key_sec1: key.to_sec1(),
        items: signatures,
        from: Vec::with_capacity(signatures.len()),
        scalars: Vec::with_capacity(signatures.len()),
        points: Vec::with_capacity(signatures.len()),
    };
    for (i, (e, sig, nonce)) in signatures.iter().enumerate() {
        if let Some(p) = prepare(e, sig, nonce) {
            batch.from.push(i);
            batch.scalars.push(p.scalars);
            batch.points.push(p.point);
        }
    }
    batch.settle(0..batch.from.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::PrivateKey;
    use ark_ec::CurveGroup;

    fn signed(key: &PrivateKey, n: usize) -> Vec<(Hash, Signature, NoncePoint)> {
        (0..n)
            .map(|i| {
                let m = alloc::format!("document {i}");
                let (sig, nonce) = key.sign_with_nonce(m.as_bytes());
                (sha256(&[m.as_bytes()]), sig, nonce)
            })
            .collect()
    }

    /// −R: the same x, the other y (p − y).
    fn negated(nonce: &NoncePoint) -> NoncePoint {
        let x = Fq::from_be_bytes_mod_order(nonce.x());
        let y = Fq::from_be_bytes_mod_order(&nonce.0[32..]);
        let minus = -Affine::new_unchecked(x, y);
        let mut out = nonce.0;
        out[32..].copy_from_slice(&minus.y.into_bigint().to_bytes_be());
        NoncePoint(out)
    }

    #[test]
    fn the_nonce_point_is_k_times_g_and_its_x_gives_r() {
        // RFC 6979 A.2.5 (P-256, SHA-256, message "sample"): k and r from the RFC's text; R is
        // k·G computed by arkworks' generator multiplication, a second method.
        let key = PrivateKey::from_bytes(
            &hex::decode("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")
                .unwrap(),
        )
        .unwrap();
        let (sig, nonce) = key.sign_with_nonce(b"sample");
        let k = Fr::from_be_bytes_mod_order(
            &hex::decode("a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60")
                .unwrap(),
        );
        let r = (Affine::generator() * k).into_affine();
        // Low-S may have negated k: R or −R, with the same x.
        assert_eq!(
            hex::encode(&sig.0[..32]),
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
        );
        assert_eq!(nonce.x(), &r.x.into_bigint().to_bytes_be()[..]);
        let y = r.y.into_bigint().to_bytes_be();
        let minus_y = (-r).y.into_bigint().to_bytes_be();
        assert!(nonce.0[32..] == y[..] || nonce.0[32..] == minus_y[..]);
        assert_eq!(nonce.r()[..], sig.0[..32]);
    }

    #[test]
    fn signing_gives_p256s_signature_and_the_nonce_point_its_recovery_id_names() {
        // The signature made from its parts (`PrivateKey::sign_with_nonce`) against `p256`'s
        // own: the same r ‖ s bit for bit, and the R that `p256`'s recovery id (R.y's parity,
        // whether R.x was reduced) names, lifted by a square root.
        for seed in [&b"device-1"[..], b"device-2", b"batch device"] {
            let key = PrivateKey::from_seed(seed);
            for i in 0..200 {
                let m = alloc::format!("document {i} of {seed:?}");
                let (sig, nonce) = key.sign_with_nonce(m.as_bytes());
                assert_eq!(sig, key.sign(m.as_bytes()), "{m}");
                let (theirs, id) = key.0.sign_recoverable(m.as_bytes()).unwrap();
                let y_odd = match theirs.normalize_s() {
                    Some(_) => !id.is_y_odd(),
                    None => id.is_y_odd(),
                };
                let lifted = lift_nonce(&sig, y_odd, id.is_x_reduced()).unwrap();
                assert_eq!(nonce, lifted, "{m}");
            }
        }
    }

    #[test]
    fn a_good_batch_passes_and_each_forgery_is_found_alone() {
        let key = PrivateKey::from_seed(b"batch device");
        let mut batch = signed(&key, 40);
        assert!(verify_batch(&key.public_key(), &batch).iter().all(|&v| v));
        // Three kinds of bad signature: another message, the nonce point negated (a valid
        // (r, s) with the wrong R), and another key's signature.
        batch[3].0 = sha256(&[b"altered"]);
        batch[17].2 = negated(&batch[17].2);
        let other = PrivateKey::from_seed(b"another device");
        let (sig, nonce) = other.sign_with_nonce(b"document 30");
        batch[30].1 = sig;
        batch[30].2 = nonce;
        let verdicts = verify_batch(&key.public_key(), &batch);
        let bad: Vec<usize> = (0..40).filter(|&i| !verdicts[i]).collect();
        assert_eq!(bad, [3, 17, 30]);
        // The same verdicts one at a time.
        for (i, (e, sig, nonce)) in batch.iter().enumerate() {
            let one = prepare(e, sig, nonce)
                .is_some_and(|p| check_one(&key_point(&key.public_key()).unwrap(), &p));
            assert_eq!(one, verdicts[i], "{i}");
        }
    }

    #[test]
    fn malformed_signatures_never_enter_the_equation() {
        let key = PrivateKey::from_seed(b"batch device");
        let (sig, nonce) = key.sign_with_nonce(b"m");
        let e = sha256(&[b"m"]);
        assert!(prepare(&e, &sig, &nonce).is_some());
        // s = 0, r = 0.
        let mut zero_s = sig;
        zero_s.0[32..].fill(0);
        assert!(prepare(&e, &zero_s, &nonce).is_none());
        let mut zero_r = sig;
        zero_r.0[..32].fill(0);
        assert!(prepare(&e, &zero_r, &nonce).is_none());
        // R off the curve (y + 1), R.y not below p (y + p has no 32-byte form for most y: use
        // p itself), R.x not r.
        let mut off = nonce;
        off.0[63] = off.0[63].wrapping_add(1);
        assert!(prepare(&e, &sig, &off).is_none());
        let mut big_y = nonce;
        big_y.0[32..].copy_from_slice(&Fq::MODULUS.to_bytes_be());
        assert!(prepare(&e, &sig, &big_y).is_none());
        // R.x = p: its r is p − n, which is not this signature's r either way.
        let mut big_x = nonce;
        big_x.0[..32].copy_from_slice(&Fq::MODULUS.to_bytes_be());
        assert!(prepare(&e, &sig, &big_x).is_none());
        let other = key.sign_with_nonce(b"other").1;
        assert!(prepare(&e, &sig, &other).is_none());
        // The high-S twin.
        let parsed = EcdsaSignature::from_slice(&sig.0).unwrap();
        let (r, s) = parsed.split_scalars();
        let high = EcdsaSignature::from_scalars(r, -*s).unwrap();
        assert!(prepare(&e, &Signature(high.to_bytes().into()), &nonce).is_none());
    }

    #[test]
    fn r_is_x_mod_n() {
        // x = n + 5 → r = 5; x = p → p − n (R.x = p is refused by `prepare`); x = n − 1 →
        // itself.
        let mut n_plus_5 = Fr::MODULUS;
        n_plus_5.add_with_carry(&BigInt::from(5u64));
        let mut five = [0u8; 32];
        five[31] = 5;
        assert_eq!(reduce_x(&n_plus_5.to_bytes_be()), Some(five));
        let mut p_minus_n = Fq::MODULUS;
        p_minus_n.sub_with_borrow(&Fr::MODULUS);
        assert_eq!(
            reduce_x(&Fq::MODULUS.to_bytes_be()).map(|r| r.to_vec()),
            Some(p_minus_n.to_bytes_be())
        );
        let mut n_minus_1 = Fr::MODULUS;
        n_minus_1.sub_with_borrow(&BigInt::from(1u64));
        let bytes = n_minus_1.to_bytes_be();
        assert_eq!(reduce_x(&bytes).map(|r| r.to_vec()), Some(bytes));
    }
}
