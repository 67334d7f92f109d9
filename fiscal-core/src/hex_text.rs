//! The lowercase hexadecimal of journal lines (SPEC.md §13.5). Every line of every journal
//! verified is decoded twice — once for its signature item, once read in full — and `hex`
//! took about 11 % of a document's verification (`perf`, issue #19): decoding is
//! `faster-hex`'s (SIMD where the processor has it), and the lowercase check a branch-free
//! scan the compiler vectorizes (`faster-hex` 0.10 does not export its own lowercase check,
//! and 1.0 needs Rust 1.95, above this workspace's 1.85).

/// Whether `text` is only lowercase hexadecimal digits (`0-9`, `a-f`); an empty text is.
pub(crate) fn is_lower(text: &[u8]) -> bool {
    // No early exit, so that the loop is vectorized: journal lines are valid almost always.
    text.iter().fold(true, |ok, &b| {
        ok & (b.is_ascii_digit() | (b'a'..=b'f').contains(&b))
    })
}

/// Decodes `text`, exactly twice as long as `out`, into `out`: `None` (and `out` left
/// unspecified) for any other length or a character that is not a hexadecimal digit.
/// Uppercase digits decode: callers that read a journal line check [`is_lower`] first, or
/// use the result only for a line that does (`verify::line`'s signature items).
pub(crate) fn decode(text: &[u8], out: &mut [u8]) -> Option<()> {
    // faster-hex decodes a longer text's prefix: the length is checked here.
    if Some(text.len()) != out.len().checked_mul(2) {
        return None;
    }
    faster_hex::hex_decode(text, out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_hex_is_told_from_everything_else() {
        // Long texts take the SIMD paths (16 and 32 bytes at a time): every position tried.
        let bytes: alloc::vec::Vec<u8> = (0..=255u8).collect();
        let text = hex::encode(&bytes);
        assert!(is_lower(text.as_bytes()));
        assert!(is_lower(b""));
        for at in [0, 1, 15, 16, 31, 32, 63, 64, 200, 511] {
            for bad in [
                b'A', b'F', b'g', b'G', b' ', b'x', b'/', b':', b'`', 0, 0x80, 0xff,
            ] {
                let mut t = text.clone().into_bytes();
                t[at] = bad;
                assert!(!is_lower(&t), "{at} {bad}");
            }
        }
        // Every byte value alone: exactly the 16 digits pass.
        let passing = (0..=255u8).filter(|&b| is_lower(&[b])).count();
        assert_eq!(passing, 16);
    }

    #[test]
    fn only_hex_of_the_exact_length_decodes() {
        let mut out = [0u8; 3];
        assert_eq!(decode(b"00ff7a", &mut out), Some(()));
        assert_eq!(out, [0x00, 0xff, 0x7a]);
        let bytes: alloc::vec::Vec<u8> = (0..=255u8).collect();
        let text = hex::encode(&bytes);
        let mut back = alloc::vec![0u8; 256];
        assert_eq!(decode(text.as_bytes(), &mut back), Some(()));
        assert_eq!(back, bytes);
        for at in [0, 1, 15, 16, 31, 32, 63, 64, 200, 511] {
            for bad in [b'g', b'G', b' ', b'x', b'/', b':', b'`', 0, 0x80, 0xff] {
                let mut t = text.clone().into_bytes();
                t[at] = bad;
                assert_eq!(decode(&t, &mut back), None, "{at} {bad}");
            }
        }
        assert_eq!(decode(b"00ff7a00", &mut out), None);
        assert_eq!(decode(b"00ff7", &mut out), None);
        assert_eq!(decode(b"00ff", &mut out), None);
        assert_eq!(decode(b"", &mut []), Some(()));
    }
}
