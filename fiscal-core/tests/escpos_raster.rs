//! ESC/POS raster receipts (SPEC.md §17, feature `raster`) decoded back: the `GS v 0` images
//! of the stream put together are compared with the SVG receipt drawn independently by
//! `rsvg-convert` (librsvg, with the same embedded fonts through a fontconfig file that names
//! only them), and the QR code drawn in is scanned back with `zbarimg` to the exact payload.
//! The printer's-QR profile leaves the modules out and sends `GS ( k` with the payload.
//! Debian's librsvg2-bin and zbar-tools (test.sh installs them).
#![cfg(feature = "raster")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::device::*;

use std::path::{Path, PathBuf};
use std::process::Command;

use fiscal_core::render::{EscPosProfile, EscPosQr, Labels, Receipt, RenderFormat};
use fiscal_core::{CertificateBody, Document, ErrorCode};

const QR_BASE: &str = "https://monitoring.e-kassa.gov.az/#/index?doc=";

/// A sale whose texts use every Azerbaijani letter and `№`.
fn sale() -> (Document, CertificateBody) {
    let (mut d, _) = activated();
    d.open_shift(at(9, 0, 0)).unwrap();
    let doc = issue(
        &mut d,
        r#"{"doc_type":"sale","data":{"cashier":"Gülşən Əliyeva","items":[
            {"itemName":"Çörək ağ, dilimlənmiş, 500 qram, Bakı çörək zavodu","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18},
            {"itemName":"Şəkər tozu (ğ ı ö ü Ə İ Ş Ç Ğ Ö Ü) № 7","itemQuantityType":1,"itemQuantity":0.750,"itemPrice":4.99,"itemVatPercent":18}],
          "cashSum":4.94,"incomingSum":5.00}}"#,
        at(9, 2, 0),
        &[],
    );
    (doc, certificate().body().clone())
}

fn tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What an ESC/POS stream says, in order.
#[derive(Debug, PartialEq)]
enum Part {
    /// One `GS v 0` image: bytes a row, rows.
    Image { stride: usize, rows: Vec<Vec<u8>> },
    /// The QR code stored by `GS ( k` (function 80) and printed (function 81).
    Qr(String),
}

/// Parses the commands this engine sends; any other byte fails the test.
fn parse(bytes: &[u8]) -> Vec<Part> {
    assert_eq!(&bytes[..2], b"\x1b@", "starts with ESC @");
    assert!(
        bytes.ends_with(&[0x1b, b'd', 4, 0x1d, b'V', 66, 0]),
        "feed and cut"
    );
    let mut parts = Vec::new();
    let mut stored = None;
    let mut i = 2;
    while i < bytes.len() {
        match bytes[i..] {
            [0x1d, b'v', b'0', 0, xl, xh, yl, yh, ..] => {
                let stride = usize::from(xl) + 256 * usize::from(xh);
                let rows = usize::from(yl) + 256 * usize::from(yh);
                assert!(rows > 0 && rows <= 240, "a band of {rows} rows");
                let data = &bytes[i + 8..i + 8 + stride * rows];
                parts.push(Part::Image {
                    stride,
                    rows: data.chunks(stride).map(<[u8]>::to_vec).collect(),
                });
                i += 8 + stride * rows;
            }
            [0x1d, b'(', b'k', pl, ph, 49, f, ..] => {
                let n = usize::from(pl) + 256 * usize::from(ph);
                if f == 80 {
                    stored = Some(String::from_utf8(bytes[i + 8..i + 5 + n].to_vec()).unwrap());
                }
                if f == 81 {
                    parts.push(Part::Qr(stored.take().expect("print after store")));
                }
                i += 5 + n;
            }
            [0x1b, b'a', 0 | 1, ..] | [0x1b, b'd', _, ..] => i += 3,
            [0x1d, b'V', 66, 0, ..] => i += 4,
            [b'\n', ..] => i += 1,
            _ => panic!(
                "unexpected bytes at {i}: {:02x?}",
                &bytes[i..(i + 8).min(bytes.len())]
            ),
        }
    }
    parts
}

/// A 1-bit image as rows of booleans (true black).
type Image = Vec<Vec<bool>>;

/// The images of the stream, stacked, `dots` wide.
fn stacked(parts: &[Part], dots: usize) -> Image {
    let mut image = Vec::new();
    for p in parts {
        if let Part::Image { stride, rows } = p {
            assert_eq!(*stride, dots / 8, "every band is the printer's width");
            for r in rows {
                image.push(
                    (0..dots)
                        .map(|x| r[x / 8] & (0x80 >> (x % 8)) != 0)
                        .collect(),
                );
            }
        }
    }
    image
}

fn write_png(image: &Image, path: &Path) {
    let (w, h) = (image[0].len() as u32, image.len() as u32);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().unwrap();
    let data: Vec<u8> = image
        .iter()
        .flatten()
        .map(|b| if *b { 0 } else { 255 })
        .collect();
    wr.write_image_data(&data).unwrap();
    wr.finish().unwrap();
    std::fs::write(path, out).unwrap();
}

/// A PNG (any colour type), thresholded at half over white.
fn read_png(path: &Path) -> Image {
    let data = std::fs::read(path).unwrap();
    let mut dec = png::Decoder::new(std::io::Cursor::new(data));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (color, _) = reader.output_color_type();
    let channels = color.samples();
    buf[..info.buffer_size()]
        .chunks(info.line_size)
        .map(|line| {
            line.chunks(channels)
                .take(info.width as usize)
                .map(|px| {
                    let (grey, alpha) = match channels {
                        1 => (u32::from(px[0]), 255),
                        2 => (u32::from(px[0]), u32::from(px[1])),
                        3 => (
                            (u32::from(px[0]) + u32::from(px[1]) + u32::from(px[2])) / 3,
                            255,
                        ),
                        _ => (
                            (u32::from(px[0]) + u32::from(px[1]) + u32::from(px[2])) / 3,
                            u32::from(px[3]),
                        ),
                    };
                    // Over white.
                    let over = (grey * alpha + 255 * (255 - alpha)) / 255;
                    over < 128
                })
                .collect()
        })
        .collect()
}

/// The QR codes zbarimg finds in a PNG.
fn scan(path: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The SVG receipt's printed region (SPEC.md §17: x from 14 to width − 14, y from 16 to
/// height − 16) drawn by rsvg-convert at `dots` wide, with only the embedded fonts.
fn rsvg_reference(svg: &str, dots: usize, name: &str) -> Image {
    let dir = tmp();
    let grab = |attr: &str| -> f32 {
        let at = svg.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
        svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
    };
    let (w, h) = (grab("width"), grab("height"));
    let (x0, y0, cw, ch) = (14.0, 16.0, w - 28.0, h - 32.0);
    let rows = (ch * dots as f32 / cw).ceil();
    let head_end = svg.find('>').unwrap();
    let cropped = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{dots}" height="{rows}" viewBox="{x0} {y0} {cw} {ch}" preserveAspectRatio="xMinYMin meet"{}"#,
        &svg[head_end..]
    );
    let svg_path = dir.join(format!("{name}.svg"));
    std::fs::write(&svg_path, cropped).unwrap();
    // Fontconfig told of the embedded fonts alone: both renderers draw the same glyphs.
    let fonts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/render/fonts");
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>{}</dir><cachedir>{}</cachedir></fontconfig>\n",
            fonts.display(),
            dir.join("fontconfig-cache").display()
        ),
    )
    .unwrap();
    let png_path = dir.join(format!("{name}.rsvg.png"));
    let ok = Command::new("rsvg-convert")
        .env("FONTCONFIG_FILE", &conf)
        .arg("-b")
        .arg("white")
        .arg("-o")
        .arg(&png_path)
        .arg(&svg_path)
        .status()
        .unwrap();
    assert!(ok.success(), "rsvg-convert failed");
    read_png(&png_path)
}

/// How far two images differ: the share of dots that differ, and of those the share with no
/// dot of the same colour within one dot in the other image (the rest is antialiasing and
/// rounding at the edges of strokes).
fn difference(a: &Image, b: &Image) -> (f64, f64) {
    let h = a.len().min(b.len());
    let w = a[0].len().min(b[0].len());
    let black_near = |img: &Image, x: usize, y: usize, colour: bool| {
        (y.saturating_sub(1)..=(y + 1).min(h - 1))
            .any(|yy| (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|xx| img[yy][xx] == colour))
    };
    let (mut differ, mut far) = (0usize, 0usize);
    for y in 0..h {
        for x in 0..w {
            if a[y][x] != b[y][x] {
                differ += 1;
                if !black_near(b, x, y, a[y][x]) || !black_near(a, x, y, b[y][x]) {
                    far += 1;
                }
            }
        }
    }
    let n = (w * h) as f64;
    (differ as f64 / n, far as f64 / n)
}

fn ink(image: &Image) -> usize {
    image.iter().flatten().filter(|b| **b).count()
}

#[test]
fn the_raster_is_the_svg_receipt_and_its_qr_scans_back() {
    assert!(
        have("rsvg-convert") && have("zbarimg"),
        "needs rsvg-convert and zbarimg: apt-get install librsvg2-bin zbar-tools (test.sh does)"
    );
    let (doc, cert) = sale();
    let r = Receipt {
        document: &doc,
        certificate: Some(&cert),
        qr_base: QR_BASE,
    };
    let l = Labels::azerbaijani();
    let payload = format!("{QR_BASE}{}", doc.id().long());
    for (width, dots) in [(32, 384), (42, 576), (48, 576)] {
        let profile = EscPosProfile::for_width(width);
        assert_eq!(
            profile,
            EscPosProfile::Raster {
                dots: dots as u32,
                qr: EscPosQr::Drawn
            }
        );
        let bytes = r.escpos(&l, width, profile).unwrap();
        // RenderFormat::EscPos is this profile.
        assert_eq!(r.render(RenderFormat::EscPos, &l, width).unwrap(), bytes);
        let parts = parse(&bytes);
        assert!(
            parts.iter().all(|p| matches!(p, Part::Image { .. })),
            "no text, no QR command"
        );
        let image = stacked(&parts, dots);
        let png = tmp().join(format!("escpos-{width}.png"));
        write_png(&image, &png);
        assert_eq!(
            scan(&png),
            std::slice::from_ref(&payload),
            "the QR of the {width}-column raster"
        );

        let reference =
            rsvg_reference(&r.svg(&l, width).unwrap(), dots, &format!("escpos-{width}"));
        assert!(
            image.len().abs_diff(reference.len()) <= 1,
            "{width}: {} rows, rsvg-convert {}",
            image.len(),
            reference.len()
        );
        let (differ, far) = difference(&image, &reference);
        let (a, b) = (ink(&image) as f64, ink(&reference) as f64);
        eprintln!("{width} columns, {dots} dots: {} rows; {:.3} % of dots differ, {:.4} % by more than a dot; ink {a} vs {b}", image.len(), differ * 100.0, far * 100.0);
        assert!(
            differ < 0.03,
            "{width}: {:.3} % of the dots differ",
            differ * 100.0
        );
        assert!(
            far < 0.0005,
            "{width}: {:.4} % differ by more than a dot",
            far * 100.0
        );
        assert!((a - b).abs() / b < 0.08, "{width}: ink {a} against {b}");
    }
}

#[test]
fn the_printers_qr_profile_sends_gs_k_with_the_payload_instead_of_the_modules() {
    let (doc, cert) = sale();
    let r = Receipt {
        document: &doc,
        certificate: Some(&cert),
        qr_base: QR_BASE,
    };
    let l = Labels::azerbaijani();
    let payload = format!("{QR_BASE}{}", doc.id().long());
    let drawn = stacked(
        &parse(&r.escpos(&l, 32, EscPosProfile::ROLL_58MM).unwrap()),
        384,
    );
    let profile = EscPosProfile::Raster {
        dots: 384,
        qr: EscPosQr::Command,
    };
    let parts = parse(&r.escpos(&l, 32, profile).unwrap());
    let qr_at = parts.iter().position(|p| matches!(p, Part::Qr(_))).unwrap();
    assert_eq!(parts[qr_at], Part::Qr(payload));
    assert!(
        qr_at > 0 && qr_at < parts.len() - 1,
        "image above and below the QR"
    );
    let image = stacked(&parts, 384);
    // The modules' rows are cut out (about 45 modules × 4 px × 384 / 272 dots); the rest is
    // the drawn raster's, row for row.
    let cut = drawn.len() - image.len();
    assert!((200..300).contains(&cut), "{cut} rows cut");
    let above: usize = parts[..qr_at]
        .iter()
        .map(|p| match p {
            Part::Image { rows, .. } => rows.len(),
            Part::Qr(_) => 0,
        })
        .sum();
    assert_eq!(image[..above], drawn[..above]);
    assert_eq!(image[above..], drawn[above + cut..]);
    let png = tmp().join("escpos-qr-command.png");
    write_png(&image, &png);
    if have("zbarimg") {
        assert!(scan(&png).is_empty(), "no QR left in the image");
    }
}

#[test]
fn profiles_refuse_what_cannot_print() {
    let (doc, cert) = sale();
    let r = Receipt {
        document: &doc,
        certificate: Some(&cert),
        qr_base: QR_BASE,
    };
    let l = Labels::azerbaijani();
    for dots in [0, 100, 388, 4096] {
        let e = r
            .escpos(
                &l,
                32,
                EscPosProfile::Raster {
                    dots,
                    qr: EscPosQr::Drawn,
                },
            )
            .unwrap_err();
        assert_eq!(
            (e.code(), e.problems()[0].path.as_str()),
            (ErrorCode::OutOfRange, "dots")
        );
    }
    // The text profile: ASCII text and printer commands only, the QR by GS ( k.
    let text = r.escpos(&l, 32, EscPosProfile::Text).unwrap();
    assert!(text.is_ascii());
    assert!(String::from_utf8_lossy(&text).contains("Baki Corek MMC"));
    assert!(text.windows(3).any(|w| w == b"\x1d(k"));
}

/// The longest receipt (500 lines, SPEC.md §4.1) prints: drawn in more than one pass, the
/// passes meet without a seam (the image is the SVG's height to the row), and it ends with
/// its QR code's text.
#[test]
fn the_longest_receipt_prints_whole() {
    let (mut d, _) = activated();
    d.open_shift(at(9, 0, 0)).unwrap();
    let items: Vec<String> = (0..500)
        .map(|i| format!(r#"{{"itemName":"Çörək ağ, dilimlənmiş, 500 qram, Bakı çörək zavodu {i}","itemQuantity":1,"itemPrice":1.00,"itemVatPercent":18}}"#))
        .collect();
    let json = format!(
        r#"{{"doc_type":"sale","data":{{"cashier":"Aysel","items":[{}],"cashSum":500.00}}}}"#,
        items.join(",")
    );
    let doc = issue(&mut d, &json, at(9, 2, 0), &[]);
    let cert = certificate().body().clone();
    let r = Receipt {
        document: &doc,
        certificate: Some(&cert),
        qr_base: QR_BASE,
    };
    let l = Labels::azerbaijani();
    let image = stacked(
        &parse(&r.escpos(&l, 48, EscPosProfile::ROLL_80MM).unwrap()),
        576,
    );
    let svg = r.svg(&l, 48).unwrap();
    let grab = |attr: &str| -> f32 {
        let at = svg.find(&format!(" {attr}=\"")).unwrap() + attr.len() + 3;
        svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
    };
    let rows = ((grab("height") - 32.0) * 576.0 / (grab("width") - 28.0)).ceil() as usize;
    assert_eq!(image.len(), rows);
    assert!(rows > (4 << 20) / 576, "more than one pass: {rows} rows");
    // No long blank stretch: a pass drawn empty or misplaced would leave one. The longest
    // wanted is the gap above the QR code (a line's gap and the quiet zone: about 45 rows).
    let mut blank = 0;
    let mut longest = 0;
    for row in &image {
        blank = if row.iter().any(|b| *b) { 0 } else { blank + 1 };
        longest = longest.max(blank);
    }
    assert!(longest < 64, "{longest} blank rows in a row");
}
