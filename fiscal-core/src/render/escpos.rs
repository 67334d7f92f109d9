//! ESC/POS bytes for thermal printers, by printer profile (SPEC.md §17).
//!
//! No ESC/POS code page holds every Azerbaijani letter (ə and Ə are in none of the common
//! ones: not CP857, not WPC1254), so by default the receipt is printed as an image
//! ([`EscPosProfile::Raster`], feature `raster`); the text profile, for printers that cannot
//! print images, transliterates to ASCII.

use alloc::format;
use alloc::vec::Vec;

use super::layout::{layout, Style};
use super::{to_ascii, Labels, Receipt};
use crate::error::{Error, ErrorCode, Problems};

/// How the QR code is printed in the raster profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EscPosQr {
    /// Drawn into the image with the rest: any printer that prints `GS v 0` prints it.
    Drawn,
    /// Left out of the image and sent as the printer's own `GS ( k` command (model 2, module
    /// 6, error correction M), centred: sharper, for printers that have the command.
    Command,
}

/// How a thermal printer is driven: which commands it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EscPosProfile {
    /// The receipt drawn as a 1-bit image `dots` wide and sent as `GS v 0` raster bit images,
    /// every letter as the SVG receipt draws it (feature `raster`; without it refused,
    /// `invalid_request`). The printer needs no code page: Azerbaijani, Cyrillic and `№`
    /// print as they are.
    Raster {
        /// The printable width in dots, a multiple of 8 from 128 to 2048: 384 for a 58 mm roll,
        /// 576 for 80 mm (203 dpi). The `width` columns are scaled to fill it.
        dots: u32,
        /// How the QR code is printed.
        qr: EscPosQr,
    },
    /// Text in code page 437, transliterated to ASCII (ə → e, ı → i, № → N): for printers that
    /// cannot print raster images. A limitation, not a choice: the customer reads "Baki Corek"
    /// for "Bakı Çörək". The QR by the printer's `GS ( k` command.
    Text,
}

impl EscPosProfile {
    /// A 58 mm roll: 384 dots, the QR drawn in.
    pub const ROLL_58MM: EscPosProfile = EscPosProfile::Raster {
        dots: 384,
        qr: EscPosQr::Drawn,
    };
    /// An 80 mm roll: 576 dots, the QR drawn in.
    pub const ROLL_80MM: EscPosProfile = EscPosProfile::Raster {
        dots: 576,
        qr: EscPosQr::Drawn,
    };

    /// The profile [`RenderFormat::EscPos`](super::RenderFormat::EscPos) prints with at
    /// `width` columns: a 58 mm roll up to 32 columns, an 80 mm roll beyond (42 and 48 are
    /// its usual widths).
    pub const fn for_width(width: usize) -> EscPosProfile {
        if width <= 32 {
            EscPosProfile::ROLL_58MM
        } else {
            EscPosProfile::ROLL_80MM
        }
    }

    /// The same profile with the QR printed as `qr` says (the text profile always prints it by
    /// the printer's command: unchanged).
    pub const fn with_qr(self, qr: EscPosQr) -> EscPosProfile {
        match self {
            EscPosProfile::Raster { dots, .. } => EscPosProfile::Raster { dots, qr },
            EscPosProfile::Text => EscPosProfile::Text,
        }
    }
}

/// The narrowest raster, in dots.
const MIN_DOTS: u32 = 128;
/// The widest raster, in dots (a 104 mm roll at 406 dpi is 1600).
const MAX_DOTS: u32 = 2048;
/// Rows in one `GS v 0` command: printers with a small buffer refuse tall images.
#[cfg(feature = "raster")]
const BAND_ROWS: u32 = 240;

/// The dots rule: a multiple of 8 from [`MIN_DOTS`] to [`MAX_DOTS`], refused otherwise
/// (`out_of_range` at `dots`), never rounded: a wrong width prints off the paper.
fn check_dots(dots: u32) -> Result<u32, Error> {
    if (MIN_DOTS..=MAX_DOTS).contains(&dots) && dots % 8 == 0 {
        return Ok(dots);
    }
    let mut p = Problems::default();
    p.push(
        ErrorCode::OutOfRange,
        "dots",
        format!(
            "the printer width is a multiple of 8 dots from {MIN_DOTS} to {MAX_DOTS}, not {dots}"
        ),
    );
    Err(Error::Invalid(p))
}

impl Receipt<'_> {
    /// ESC/POS bytes of the receipt at `width` columns (at least 24) for a printer of
    /// `profile`: initialise (`ESC @`), the receipt, feed 4 lines and cut (`GS V 66 0`).
    #[cfg_attr(
        feature = "qr",
        doc = "[`EscPosProfile::Raster`] draws it as [`Receipt::svg`] does, the margins cropped,"
    )]
    #[cfg_attr(
        not(feature = "qr"),
        doc = "[`EscPosProfile::Raster`] draws it as `Receipt::svg` (feature `qr`) does, the margins cropped,"
    )]
    /// scaled to the printer's dots; [`EscPosProfile::Text`] prints transliterated text, titles
    /// bold. Refuses a raster profile without the `raster` feature (`invalid_request`) and a
    /// dots value outside the rule (`out_of_range` at `dots`).
    pub fn escpos(
        &self,
        l: &Labels,
        width: usize,
        profile: EscPosProfile,
    ) -> Result<Vec<u8>, Error> {
        match profile {
            EscPosProfile::Text => Ok(self.escpos_text(l, width)),
            EscPosProfile::Raster { dots, qr } => {
                let dots = check_dots(dots)?;
                self.escpos_raster(l, width, dots, qr)
            }
        }
    }

    fn escpos_text(&self, l: &Labels, width: usize) -> Vec<u8> {
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
        out.extend_from_slice(&END);
        out
    }

    #[cfg(feature = "raster")]
    fn escpos_raster(
        &self,
        l: &Labels,
        width: usize,
        dots: u32,
        qr: EscPosQr,
    ) -> Result<Vec<u8>, Error> {
        use super::raster::{draw, Bitmap};
        use super::svg::QR_QUIET;

        let page = self.page(l, width)?;
        let crop = raster_crop(page.width, page.height);
        let image = draw(&page.svg, crop, dots)?;
        let scale = dots as f32 / crop.w;
        let row_of = |y: u32| (y as f32 - crop.y) * scale;
        let mut out: Vec<u8> = alloc::vec![0x1b, b'@'];
        let bands = |out: &mut Vec<u8>, image: &Bitmap, from: u32, to: u32| {
            let mut top = from;
            while top < to {
                let rows = BAND_ROWS.min(to - top);
                let x = image.stride();
                out.extend_from_slice(&[
                    0x1d,
                    b'v',
                    b'0',
                    0,
                    (x % 256) as u8,
                    (x / 256) as u8,
                    (rows % 256) as u8,
                    (rows / 256) as u8,
                ]);
                out.extend_from_slice(image.rows(top, top + rows));
                top += rows;
            }
        };
        match (qr, page.qr) {
            (EscPosQr::Command, Some((top, size, payload))) => {
                // The modules' rows give way to the printer's QR; the quiet zone stays drawn.
                let cut_from = (row_of(top + QR_QUIET).floor().max(0.0) as u32).min(image.height);
                let cut_to = (row_of(top + size - QR_QUIET).ceil().max(0.0) as u32)
                    .clamp(cut_from, image.height);
                bands(&mut out, &image, 0, cut_from);
                out.extend_from_slice(&[0x1b, b'a', 1]);
                escpos_qr(&mut out, payload.as_bytes());
                out.extend_from_slice(&[0x1b, b'a', 0]);
                bands(&mut out, &image, cut_to, image.height);
            }
            _ => bands(&mut out, &image, 0, image.height),
        }
        out.extend_from_slice(&END);
        Ok(out)
    }

    #[cfg(not(feature = "raster"))]
    fn escpos_raster(
        &self,
        _l: &Labels,
        _width: usize,
        _dots: u32,
        _qr: EscPosQr,
    ) -> Result<Vec<u8>, Error> {
        let mut p = Problems::default();
        p.push(
            ErrorCode::InvalidRequest,
            "profile",
            "the raster ESC/POS profile needs the raster feature (the text profile prints without it)"
                .into(),
        );
        Err(Error::Invalid(p))
    }
}

/// Feed 4 lines, then cut.
const END: [u8; 7] = [0x1b, b'd', 4, 0x1d, b'V', 66, 0];

/// The part of the SVG page the raster prints, in SVG pixels: the text columns and 2 pixels
/// either side (a glyph's ink may pass its cell by a little), from the top margin to the
/// bottom one. The paper has its own margins; the page's would waste a tenth of the width.
#[cfg(feature = "raster")]
pub(super) fn raster_crop(page_width: u32, page_height: u32) -> super::raster::Crop {
    use super::svg::MARGIN;
    let side = MARGIN as f32 - 2.0;
    super::raster::Crop {
        x: side,
        y: MARGIN as f32,
        w: page_width as f32 - 2.0 * side,
        h: page_height.saturating_sub(2 * MARGIN) as f32,
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

    #[test]
    fn the_dots_rule_refuses_instead_of_rounding() {
        for ok in [128, 384, 576, 2048] {
            assert_eq!(check_dots(ok).ok(), Some(ok));
        }
        for bad in [0, 120, 385, 2056, u32::MAX] {
            let e = check_dots(bad).err();
            let e = e.as_ref().map(|e| (e.code(), e.problems()[0].path.clone()));
            assert_eq!(e, Some((ErrorCode::OutOfRange, "dots".into())), "{bad}");
        }
        assert_eq!(EscPosProfile::for_width(32), EscPosProfile::ROLL_58MM);
        assert_eq!(EscPosProfile::for_width(42), EscPosProfile::ROLL_80MM);
    }
}
