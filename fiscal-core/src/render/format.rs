//! The forms a receipt is drawn in, and the width rule every binding applies (SPEC.md §17).

use alloc::format;
use alloc::vec::Vec;

use super::{Labels, Receipt};
use crate::error::{Error, ErrorCode, Problems};

/// The narrowest receipt, in characters: the layout's labels and amounts need 24 columns.
pub const MIN_WIDTH: usize = 24;
/// The widest receipt, in characters: wider than any printer or screen a receipt is read on,
/// and a bound on the memory a caller's width can make the layout use.
pub const MAX_WIDTH: usize = 200;

/// A form of the printable receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RenderFormat {
    /// Plain UTF-8 text.
    Text,
    /// Text transliterated to ASCII, for printers without Azerbaijani letters.
    Ascii,
    /// ESC/POS bytes for a thermal printer: the receipt as a raster image (`GS v 0`), 384 dots
    /// wide up to 32 columns, 576 beyond ([`EscPosProfile::for_width`](super::EscPosProfile::for_width);
    /// feature `raster`).
    EscPos,
    /// An SVG image with the QR code drawn in (feature `qr`).
    Svg,
    /// An HTML e-receipt with the QR code as inline SVG (feature `qr`).
    Html,
}

impl RenderFormat {
    /// Every format, in the order of their numbers ([`RenderFormat::number`]).
    pub const ALL: [RenderFormat; 5] = [
        RenderFormat::Text,
        RenderFormat::Ascii,
        RenderFormat::EscPos,
        RenderFormat::Svg,
        RenderFormat::Html,
    ];

    /// The stable name: `text`, `ascii`, `escpos`, `svg`, `html`.
    pub const fn name(self) -> &'static str {
        match self {
            RenderFormat::Text => "text",
            RenderFormat::Ascii => "ascii",
            RenderFormat::EscPos => "escpos",
            RenderFormat::Svg => "svg",
            RenderFormat::Html => "html",
        }
    }

    /// The stable number the C interface takes: 0 text, 1 ascii, 2 escpos, 3 svg, 4 html.
    pub const fn number(self) -> u32 {
        match self {
            RenderFormat::Text => 0,
            RenderFormat::Ascii => 1,
            RenderFormat::EscPos => 2,
            RenderFormat::Svg => 3,
            RenderFormat::Html => 4,
        }
    }

    /// The format with this name, if any.
    pub fn from_name(name: &str) -> Option<RenderFormat> {
        RenderFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format with this number, if any.
    pub fn from_number(number: u32) -> Option<RenderFormat> {
        RenderFormat::ALL.into_iter().find(|f| f.number() == number)
    }

    /// True for the forms that are text (all but ESC/POS, whose bytes are printer commands).
    pub const fn is_text(self) -> bool {
        !matches!(self, RenderFormat::EscPos)
    }
}

/// The width rule: `width` characters, from [`MIN_WIDTH`] to [`MAX_WIDTH`]. A width outside
/// is refused (`out_of_range` at path `width`), never clamped: a receipt drawn at another
/// width than asked would overflow or waste the roll without anyone being told.
pub fn check_width(width: usize) -> Result<usize, Error> {
    if (MIN_WIDTH..=MAX_WIDTH).contains(&width) {
        return Ok(width);
    }
    let mut p = Problems::default();
    p.push(
        ErrorCode::OutOfRange,
        "width",
        format!("the receipt width is {MIN_WIDTH} to {MAX_WIDTH} characters, not {width}"),
    );
    Err(Error::Invalid(p))
}

impl Receipt<'_> {
    /// The receipt in `format` at `width` characters ([`check_width`]): UTF-8 text for every
    /// format but [`RenderFormat::EscPos`]. Refuses a width outside the rule, SVG or HTML
    /// without the `qr` feature (`invalid_request`: the build cannot draw the QR code), and
    /// ESC/POS without the `raster` feature (`invalid_request`: the build cannot draw the
    /// image; [`Receipt::escpos`] with [`EscPosProfile::Text`](super::EscPosProfile::Text)
    /// prints transliterated text without it).
    pub fn render(&self, format: RenderFormat, l: &Labels, width: usize) -> Result<Vec<u8>, Error> {
        let width = check_width(width)?;
        Ok(match format {
            RenderFormat::Text => self.text(l, width, false).into_bytes(),
            RenderFormat::Ascii => self.text(l, width, true).into_bytes(),
            RenderFormat::EscPos => {
                self.escpos(l, width, super::EscPosProfile::for_width(width))?
            }
            #[cfg(feature = "qr")]
            RenderFormat::Svg => self.svg(l, width)?.into_bytes(),
            #[cfg(feature = "qr")]
            RenderFormat::Html => self.html(l, width)?.into_bytes(),
            #[cfg(not(feature = "qr"))]
            RenderFormat::Svg | RenderFormat::Html => {
                let mut p = Problems::default();
                p.push(
                    ErrorCode::InvalidRequest,
                    "format",
                    format!("{} needs the qr feature", format.name()),
                );
                return Err(Error::Invalid(p));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for f in RenderFormat::ALL {
            assert_eq!(RenderFormat::from_name(f.name()), Some(f));
            assert_eq!(RenderFormat::from_number(f.number()), Some(f));
        }
        assert_eq!(RenderFormat::from_number(3), Some(RenderFormat::Svg));
        assert_eq!(RenderFormat::from_name("pdf"), None);
        assert_eq!(RenderFormat::from_number(5), None);
    }

    #[test]
    fn the_width_rule_refuses_instead_of_clamping() {
        assert_eq!(check_width(24).ok(), Some(24));
        assert_eq!(check_width(200).ok(), Some(200));
        for bad in [0, 23, 201, usize::MAX] {
            let e = check_width(bad).err();
            let e = e.as_ref().map(|e| (e.code(), e.problems()[0].path.clone()));
            assert_eq!(e, Some((ErrorCode::OutOfRange, "width".into())), "{bad}");
        }
        let message = check_width(23)
            .err()
            .map(|e| alloc::string::ToString::to_string(&e));
        assert_eq!(
            message.as_deref(),
            Some("[out_of_range] width: the receipt width is 24 to 200 characters, not 23")
        );
    }
}
