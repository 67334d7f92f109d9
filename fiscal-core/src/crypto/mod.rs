//! The cryptography the engine uses, in one place: SHA-256, and ECDSA P-256 signatures that are
//! deterministic (RFC 6979) and low-S (SPEC.md §13). Everything else calls these functions.
//!
//! Documents of spec v3 carry their signature's nonce point R ([`NoncePoint`]); their
//! signatures are checked with R (`batch`: one at a time, or a journal's at once).
//!
//! The provider is chosen when the engine is built: `p256` (pure Rust, `no_std`, the reference)
//! signs and, by default, verifies; with the `ring` feature, `ring` verifies (about 4 × faster).
//! The low-S rule is enforced here, before either provider sees a signature, so both accept
//! exactly the same signatures.

use core::fmt;

mod batch;

pub(crate) use batch::{verify_batch, SignatureItem};

use p256::ecdsa::signature::Signer;
#[cfg(not(feature = "ring"))]
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature as EcdsaSignature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A SHA-256 digest.
pub(crate) type Hash = [u8; 32];

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> Hash {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// Constant-time equality of two byte strings (PIN verifiers, IDs compared with secrets).
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// A private signing key (the device's, or the tax authority's). Zeroized on drop; never shown
/// by `Debug`.
#[derive(Clone)]
pub struct PrivateKey(SigningKey);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(public: {})", self.public_key())
    }
}

/// Why bytes are not a key or a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not a P-256 private scalar (32 bytes, 0 < k < n).
    #[error("not a P-256 private key")]
    PrivateKey,
    /// Not a SEC1 P-256 public key.
    #[error("not a P-256 public key")]
    PublicKey,
}

impl PrivateKey {
    /// The key with this 32-byte big-endian scalar.
    pub fn from_bytes(bytes: &[u8]) -> Result<PrivateKey, KeyError> {
        // Exactly 32 bytes: a shorter input is a truncated key, not one to pad.
        if bytes.len() != 32 {
            return Err(KeyError::PrivateKey);
        }
        SigningKey::from_slice(bytes)
            .map(PrivateKey)
            .map_err(|_| KeyError::PrivateKey)
    }

    /// A key derived from a seed: scalar = SHA-256("fiscal-core/test-key/v1\0" ‖ seed ‖ counter)
    /// for the first counter 0, 1, … that gives a valid scalar. **For tests, vectors and demos
    /// only**: anyone who knows the seed has the key.
    pub fn from_seed(seed: &[u8]) -> PrivateKey {
        let mut counter: u8 = 0;
        loop {
            let d = sha256(&[b"fiscal-core/test-key/v1\0", seed, &[counter]]);
            if let Ok(k) = SigningKey::from_slice(&d) {
                return PrivateKey(k);
            }
            // Probability 2^-32 per try; the loop is bounded by the u8 counter in practice.
            counter = counter.wrapping_add(1);
        }
    }

    /// The 32-byte scalar. Handle with care: this is the secret.
    pub fn to_bytes(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.0.to_bytes().into())
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from(*self.0.verifying_key())
    }

    /// Signs `message` (hashed with SHA-256): deterministic (RFC 6979) and low-S.
    pub fn sign(&self, message: &[u8]) -> Signature {
        let sig: EcdsaSignature = self.0.sign(message);
        let sig = sig.normalize_s().unwrap_or(sig);
        Signature(sig.to_bytes().into())
    }

    /// Signs `message` as [`PrivateKey::sign`] does (the same r ‖ s) and gives the nonce point
    /// R = k·G of that signature (SPEC.md §13.2, v3).
    ///
    /// `p256`'s signing keeps R to itself (it gives R.x's reduction and R.y's parity, from
    /// which R.y is lifted by a square root: about 4 µs, 4 % of issuing a receipt), so the
    /// signature is made here from the same parts, as `ecdsa::hazmat::sign_prehashed` makes
    /// it: k by RFC 6979 (the `rfc6979` crate, as `p256` calls it), R = k·G and the scalars by
    /// `p256`'s constant-time arithmetic. A test checks that r ‖ s is `p256`'s, bit for bit.
    pub fn sign_with_nonce(&self, message: &[u8]) -> (Signature, NoncePoint) {
        use p256::elliptic_curve::ops::{MulByGenerator, Reduce};
        use p256::elliptic_curve::point::AffineCoordinates;
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        use p256::elliptic_curve::{Curve, FieldBytesEncoding, PrimeField};
        use p256::{FieldBytes, NistP256, ProjectivePoint, Scalar, U256};

        let d = self.0.as_nonzero_scalar();
        // bits2field of a 256-bit hash on a 256-bit curve is the hash (SEC1 §4.1.3, step 5).
        let z: FieldBytes = sha256(&[message]).into();
        let order = <U256 as FieldBytesEncoding<NistP256>>::encode_field_bytes(&NistP256::ORDER);
        let k = rfc6979::generate_k::<Sha256, _>(&d.to_repr(), &order, &z, &[]);
        // RFC 6979 gives 0 < k < n, so k is a scalar with an inverse, and r, s are not zero
        // but with probability 2⁻²⁵⁶; the fallbacks keep the type total (an all-zero R never
        // verifies).
        let fallback = || (self.sign(message), NoncePoint([0; 64]));
        let Some(k) = Option::<Scalar>::from(Scalar::from_repr(k)) else {
            return fallback();
        };
        let Some(k_inv) = Option::<Scalar>::from(k.invert()) else {
            return fallback();
        };
        let nonce = ProjectivePoint::mul_by_generator(&k).to_affine();
        let r = <Scalar as Reduce<U256>>::reduce_bytes(&nonce.x());
        let s = k_inv * (<Scalar as Reduce<U256>>::reduce_bytes(&z) + r * d.as_ref());
        let Ok(sig) = EcdsaSignature::from_scalars(r, s) else {
            return fallback();
        };
        // Low-S: s → n − s is the signature of k → −k, whose nonce point is −R.
        let (sig, nonce) = match sig.normalize_s() {
            Some(low) => (low, -nonce),
            None => (sig, nonce),
        };
        let point = nonce.to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return fallback();
        };
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(x);
        out[32..].copy_from_slice(y);
        (Signature(sig.to_bytes().into()), NoncePoint(out))
    }
}

/// The nonce point R of a v3 document signature (SPEC.md §13.2): R.x ‖ R.y, 32 bytes each,
/// big-endian, the point k·G whose x gives r (r = R.x mod n). With R known, a journal's
/// signatures are checked together; [`PublicKey::verify_with_nonce`] is the one-at-a-time
/// check. Any 64 bytes can be held; whether they are the right point is the signature check's
/// question.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NoncePoint(pub [u8; 64]);

impl NoncePoint {
    /// R.x, big-endian.
    pub fn x(&self) -> &[u8] {
        &self.0[..32]
    }

    /// r = R.x mod n, the first half of the standard signature (defined for any 32 bytes;
    /// an R.x not below p is no point, and its signature never verifies).
    pub fn r(&self) -> [u8; 32] {
        batch::reduce_x(self.x()).unwrap_or([0; 32])
    }
}

impl fmt::Debug for NoncePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NoncePoint({})", hex::encode(self.0))
    }
}

/// The provider that verifies signatures in this build: `"ring"` or `"p256"`.
pub const VERIFY_PROVIDER: &str = if cfg!(feature = "ring") {
    "ring"
} else {
    "p256"
};

/// A P-256 public key; serialized as its 33-byte compressed SEC1 form.
#[derive(Clone, Copy)]
pub struct PublicKey(VerifyingKey, [u8; 65]);

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.1 == other.1
    }
}

impl Eq for PublicKey {}

impl From<VerifyingKey> for PublicKey {
    fn from(k: VerifyingKey) -> PublicKey {
        let mut uncompressed = [0u8; 65];
        uncompressed.copy_from_slice(k.to_encoded_point(false).as_bytes());
        PublicKey(k, uncompressed)
    }
}

impl PublicKey {
    /// Reads a SEC1 key (33-byte compressed or 65-byte uncompressed).
    pub fn from_sec1(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        // Only the two SEC1 forms: compressed (02/03 ‖ x) and uncompressed (04 ‖ x ‖ y).
        match (bytes.len(), bytes.first()) {
            (33, Some(0x02 | 0x03)) | (65, Some(0x04)) => {}
            _ => return Err(KeyError::PublicKey),
        }
        VerifyingKey::from_sec1_bytes(bytes)
            .map(PublicKey::from)
            .map_err(|_| KeyError::PublicKey)
    }

    /// The 65-byte uncompressed SEC1 form (04 ‖ x ‖ y).
    pub(crate) fn uncompressed(&self) -> &[u8; 65] {
        &self.1
    }

    /// True when `signature` (r ‖ s) with its nonce point `nonce` is a valid v3 signature of
    /// `message` by this key (SPEC.md §13.2): low-S, r = R.x mod n, and R is **exactly**
    /// (e/s)·G + (r/s)·Q — the standard ECDSA check with the full point. Any other R (its
    /// negation, a point off the curve, an R.x not below p) is refused, so a document has one
    /// valid signature line.
    pub fn verify_with_nonce(
        &self,
        message: &[u8],
        signature: &Signature,
        nonce: &NoncePoint,
    ) -> bool {
        let e = sha256(&[message]);
        match (batch::key_point(self), batch::prepare(&e, signature, nonce)) {
            (Some(q), Some(p)) => batch::check_one(&q, &p),
            _ => false,
        }
    }

    /// The 33-byte compressed SEC1 form.
    pub fn to_sec1(&self) -> [u8; 33] {
        let point = self.0.to_encoded_point(true);
        let mut out = [0u8; 33];
        out.copy_from_slice(point.as_bytes());
        out
    }

    /// True when `signature` is a valid low-S signature of `message` by this key. A high-S
    /// signature (the malleated twin of a valid one) is refused, so a document has exactly one
    /// valid signature and one fiscal ID.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        let Ok(sig) = EcdsaSignature::from_slice(&signature.0) else {
            return false;
        };
        if sig.normalize_s().is_some() {
            return false;
        }
        #[cfg(feature = "ring")]
        {
            use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &self.1[..])
                .verify(message, &signature.0)
                .is_ok()
        }
        #[cfg(not(feature = "ring"))]
        {
            self.0.verify(message, &sig).is_ok()
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({self})")
    }
}

impl fmt::Display for PublicKey {
    /// Hex of the compressed form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.to_sec1()))
    }
}

impl serde::Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            serde::Serialize::serialize(&Bytes33(self.to_sec1()), s)
        }
    }
}

impl<'de> serde::Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let bytes: alloc::vec::Vec<u8> = if d.is_human_readable() {
            let text = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
            hex::decode(text.as_bytes()).map_err(D::Error::custom)?
        } else {
            Bytes33::deserialize(d)?.0.to_vec()
        };
        PublicKey::from_sec1(&bytes).map_err(D::Error::custom)
    }
}

/// A 64-byte ECDSA signature, r ‖ s.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; 64]);

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", hex::encode(self.0))
    }
}

/// Fixed-size byte arrays in postcard: the bytes, no length prefix.
macro_rules! fixed_bytes {
    ($name:ident, $n:literal) => {
        #[derive(Clone, Copy)]
        struct $name([u8; $n]);

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let mut t = s.serialize_tuple($n)?;
                for b in &self.0 {
                    t.serialize_element(b)?;
                }
                t.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "{} bytes", $n)
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = [0u8; $n];
                        for (i, slot) in out.iter_mut().enumerate() {
                            *slot = seq
                                .next_element()?
                                .ok_or_else(|| serde::de::Error::invalid_length(i, &self))?;
                        }
                        Ok($name(out))
                    }
                }
                d.deserialize_tuple($n, V)
            }
        }
    };
}

fixed_bytes!(Bytes33, 33);
fixed_bytes!(Bytes32, 32);
fixed_bytes!(Bytes64, 64);

/// Serde for 32- and 64-byte values: hex text in human-readable formats, raw bytes in postcard.
pub(crate) mod serde_bytes {
    use super::*;

    pub(crate) fn serialize_hash<S: serde::Serializer>(h: &Hash, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(&hex::encode(h))
        } else {
            serde::Serialize::serialize(&Bytes32(*h), s)
        }
    }

    pub(crate) fn deserialize_hash<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Hash, D::Error> {
        use serde::de::Error as _;
        if d.is_human_readable() {
            let text = <alloc::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
            let mut out = [0u8; 32];
            hex::decode_to_slice(text.as_bytes(), &mut out).map_err(D::Error::custom)?;
            Ok(out)
        } else {
            Ok(<Bytes32 as serde::Deserialize>::deserialize(d)?.0)
        }
    }

    impl serde::Serialize for Signature {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                s.collect_str(&hex::encode(self.0))
            } else {
                serde::Serialize::serialize(&Bytes64(self.0), s)
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Signature {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            use serde::de::Error as _;
            if d.is_human_readable() {
                let text = <alloc::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                let mut out = [0u8; 64];
                hex::decode_to_slice(text.as_bytes(), &mut out).map_err(D::Error::custom)?;
                Ok(Signature(out))
            } else {
                Ok(Signature(
                    <Bytes64 as serde::Deserialize>::deserialize(d)?.0,
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            hex::encode(sha256(&[b"a", b"bc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn signatures_are_deterministic_low_s_and_verify() {
        let k = PrivateKey::from_seed(b"device-1");
        let s1 = k.sign(b"receipt");
        assert_eq!(s1, k.sign(b"receipt"));
        assert!(k.public_key().verify(b"receipt", &s1));
        assert!(!k.public_key().verify(b"receipt!", &s1));
        assert!(!PrivateKey::from_seed(b"device-2")
            .public_key()
            .verify(b"receipt", &s1));
        let sig = EcdsaSignature::from_slice(&s1.0).unwrap();
        assert!(sig.normalize_s().is_none(), "engine signatures are low-S");
    }

    #[test]
    fn the_high_s_twin_of_a_valid_signature_is_refused() {
        let k = PrivateKey::from_seed(b"device-1");
        let s = k.sign(b"receipt");
        let sig = EcdsaSignature::from_slice(&s.0).unwrap();
        // (r, n − s) is mathematically valid too; the engine must refuse it.
        let (r, s_) = sig.split_scalars();
        let high = EcdsaSignature::from_scalars(r, -*s_).unwrap();
        let high = Signature(high.to_bytes().into());
        assert_ne!(high, s);
        assert!(!k.public_key().verify(b"receipt", &high));
    }

    #[test]
    fn both_providers_agree_on_a_fixed_vector() {
        // The worked example's certificate signature (SPEC.md §16), verified by whichever
        // provider this build uses; the test suite runs once per provider (test.sh).
        let authority = PrivateKey::from_seed(b"fiscal-core worked example authority");
        let message = b"any message";
        let sig = authority.sign(message);
        assert!(
            authority.public_key().verify(message, &sig),
            "{VERIFY_PROVIDER}"
        );
        let mut bad = sig;
        bad.0[10] ^= 1;
        assert!(
            !authority.public_key().verify(message, &bad),
            "{VERIFY_PROVIDER}"
        );
    }

    #[test]
    fn keys_round_trip_and_debug_hides_the_secret() {
        let k = PrivateKey::from_seed(b"authority");
        let again = PrivateKey::from_bytes(&*k.to_bytes()).unwrap();
        assert_eq!(again.public_key(), k.public_key());
        let pk = PublicKey::from_sec1(&k.public_key().to_sec1()).unwrap();
        assert_eq!(pk, k.public_key());
        let shown = alloc::format!("{k:?}");
        assert!(!shown.contains(&hex::encode(*k.to_bytes())));
        assert!(PrivateKey::from_bytes(&[0u8; 32]).is_err());
        assert!(PublicKey::from_sec1(&[0u8; 33]).is_err());
        // Strict forms only: no "compact" (05) tag, no short scalar padded to 32 bytes.
        let mut compact = k.public_key().to_sec1();
        compact[0] = 0x05;
        assert_eq!(PublicKey::from_sec1(&compact), Err(KeyError::PublicKey));
        assert_eq!(
            PublicKey::from_sec1(&compact[1..]),
            Err(KeyError::PublicKey)
        );
        assert!(PrivateKey::from_bytes(&k.to_bytes()[1..]).is_err());
        assert!(PrivateKey::from_bytes(&[1u8; 33]).is_err());
        let uncompressed = k.public_key().1;
        assert_eq!(PublicKey::from_sec1(&uncompressed).unwrap(), k.public_key());
    }
}
