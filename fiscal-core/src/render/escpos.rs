//! ESC/POS bytes for thermal printers.

use alloc::vec::Vec;

use super::layout::{layout, Style};
use super::{to_ascii, Labels, Receipt};

impl Receipt<'_> {
    /// ESC/POS bytes for a thermal printer of `width` characters a line (32 for 58 mm, 48 for
    /// 80 mm): initialise, transliterated text, titles bold and centred, the QR by the printer's
    /// own `GS ( k` command (model 2, module 6, level M), feed and cut.
    pub fn escpos(&self, l: &Labels, width: usize) -> Vec<u8> {
        let mut out: Vec<u8> = alloc::vec![0x1b, b'@', 0x1b, b't', 0]; // init, code page 437
        for (line, style) in layout(&self.rows(l), width.max(24)) {
            match style {
                Style::Qr(payload) => {
                    out.extend_from_slice(&[0x1b, b'a', 1]);
                    escpos_qr(&mut out, payload.as_bytes());
                    out.extend_from_slice(&[0x1b, b'a', 0]);
                }
                Style::Bold => {
                    out.extend_from_slice(&[0x1b, b'E', 1]);
                    out.extend_from_slice(to_ascii(&line).as_bytes());
                    out.extend_from_slice(&[0x1b, b'E', 0, b'\n']);
                }
                Style::Plain => {
                    out.extend_from_slice(to_ascii(&line).as_bytes());
                    out.push(b'\n');
                }
            }
        }
        out.extend_from_slice(&[0x1b, b'd', 4, 0x1d, b'V', 66, 0]); // feed 4 lines, cut
        out
    }
}

fn escpos_qr(out: &mut Vec<u8>, data: &[u8]) {
    // GS ( k: model 2; module size 6; error correction M; store; print.
    out.extend_from_slice(&[0x1d, b'(', b'k', 4, 0, 49, 65, 50, 0]);
    out.extend_from_slice(&[0x1d, b'(', b'k', 3, 0, 49, 67, 6]);
    out.extend_from_slice(&[0x1d, b'(', b'k', 3, 0, 49, 69, 49]);
    let n = data.len() + 3;
    out.extend_from_slice(&[
        0x1d,
        b'(',
        b'k',
        (n % 256) as u8,
        (n / 256) as u8,
        49,
        80,
        48,
    ]);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0x1d, b'(', b'k', 3, 0, 49, 81, 48, b'\n']);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escpos_qr_command_frames_the_payload() {
        let mut out = Vec::new();
        escpos_qr(&mut out, b"abc");
        // Store: GS ( k pL pH 49 80 48 d… with pL + 256 pH = 3 + 3.
        let store = [0x1d, b'(', b'k', 6, 0, 49, 80, 48, b'a', b'b', b'c'];
        assert!(out.windows(store.len()).any(|w| w == store));
    }
}
