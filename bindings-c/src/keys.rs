//! Keys for tests, demos and certification labs: `fc_key_from_seed`, `fc_public_key`; and the
//! authority keys the other functions take in hex.

use fiscal_core::{PrivateKey, PublicKey};

use crate::boundary::{bytes, call, Out};
use crate::{FcBuffer, FcStatus};

/// A 32-byte private key given as `len` bytes at `p`.
pub(crate) unsafe fn private_key(p: *const u8, len: usize) -> Result<PrivateKey, FcStatus> {
    PrivateKey::from_bytes(bytes(p, len)?).map_err(|_| FcStatus::InvalidArgument)
}

/// A public key given in hex (the 33-byte compressed form).
pub(crate) fn parse_authority(hex_key: &str) -> Result<PublicKey, FcStatus> {
    let raw = hex_decode(hex_key).ok_or(FcStatus::InvalidArgument)?;
    PublicKey::from_sec1(&raw).map_err(|_| FcStatus::InvalidArgument)
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

/// Derives a 32-byte private key from a seed (SPEC.md §12.3). **Tests and demos only**: anyone
/// who knows the seed has the key. Writes a 32-byte buffer to `*out_key` (free with
/// `fc_buffer_free`). Thread-safe.
///
/// Safety: `seed` points to `seed_len` bytes; `out_key` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_key_from_seed(
    seed: *const u8,
    seed_len: usize,
    out_key: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_key)?;
        let seed = bytes(seed, seed_len)?;
        out.bytes(PrivateKey::from_seed(seed).to_bytes().to_vec());
        Ok(())
    })
}

/// The public key (hex of the 33-byte compressed form) of a 32-byte private key. Writes a text
/// buffer to `*out_hex`. Thread-safe.
///
/// Safety: `key` points to `key_len` bytes; `out_hex` is a valid pointer.
#[no_mangle]
pub unsafe extern "C" fn fc_public_key(
    key: *const u8,
    key_len: usize,
    out_hex: *mut *mut FcBuffer,
) -> FcStatus {
    call(|| {
        let out = Out::new(out_hex)?;
        out.text(private_key(key, key_len)?.public_key().to_string());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::hex_decode;

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex_decode("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_decode("0"), None);
        assert_eq!(hex_decode("zz"), None);
    }
}
