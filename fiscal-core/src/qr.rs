//! The QR code printed on every receipt (RC-09): the public check address with the long fiscal
//! ID, as text and (feature `qr`) as a matrix, SVG and terminal string (SPEC.md §13.4).

use alloc::string::String;

use crate::document::FiscalId;

/// The QR payload: `base` followed by the long fiscal ID, e.g.
/// `https://monitoring.e-kassa.gov.az/#/index?doc=3f…` (64 hex characters).
pub fn payload(base: &str, id: &FiscalId) -> String {
    let mut s = String::with_capacity(base.len() + 64);
    s.push_str(base);
    s.push_str(&id.long());
    s
}

#[cfg(feature = "qr")]
mod render {
    use alloc::string::String;
    use alloc::vec::Vec;

    use qrcode::{EcLevel, QrCode};

    use crate::error::Error;

    /// A QR code: error correction level M (15 %), which survives a smudged thermal print.
    fn code(payload: &str) -> Result<QrCode, Error> {
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
            .map_err(|e| Error::InvalidDocument(alloc::format!("cannot make a QR code: {e}")))
    }

    /// The modules, row by row (`true` is dark), without the quiet zone.
    pub fn qr_matrix(payload: &str) -> Result<Vec<Vec<bool>>, Error> {
        let code = code(payload)?;
        let width = code.width();
        let colors = code.to_colors();
        Ok(colors
            .chunks(width)
            .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
            .collect())
    }

    /// An SVG image, 4 px a module, with a 4-module quiet zone.
    pub fn qr_svg(payload: &str) -> Result<String, Error> {
        Ok(code(payload)?
            .render::<qrcode::render::svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(4, 4)
            .build())
    }

    /// A string of Unicode half blocks for a terminal, two modules a character row.
    pub fn qr_terminal(payload: &str) -> Result<String, Error> {
        Ok(code(payload)?
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build())
    }
}

#[cfg(feature = "qr")]
pub use render::{qr_matrix, qr_svg, qr_terminal};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_base_and_long_id() {
        let id = FiscalId([0xab; 32]);
        let p = payload(crate::device::DEFAULT_QR_BASE, &id);
        assert_eq!(
            p,
            alloc::format!(
                "https://monitoring.e-kassa.gov.az/#/index?doc={}",
                "ab".repeat(32)
            )
        );
    }

    #[cfg(feature = "qr")]
    #[test]
    fn matrix_is_square_with_finder_patterns() {
        let m = qr_matrix(&payload(crate::device::DEFAULT_QR_BASE, &FiscalId([7; 32]))).unwrap();
        let n = m.len();
        assert!(m.iter().all(|row| row.len() == n));
        // A QR of version v is 17 + 4v modules wide; the 110-character payload (mixed
        // segments) must stay small enough for a 58 mm roll: version 7 (45 modules) at most.
        assert_eq!((n - 17) % 4, 0);
        assert!(n <= 45, "{n}");
        // The top-left finder pattern: a dark 7×7 ring.
        assert!((0..7).all(|i| m[0][i] && m[6][i] && m[i][0] && m[i][6]));
        assert!(!m[1][1] && m[2][2]);
        assert!(qr_svg("x").unwrap().starts_with("<?xml"));
        assert!(!qr_terminal("x").unwrap().is_empty());
    }
}
