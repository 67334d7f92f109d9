//! Drawing a document: the printable receipt (SPEC.md §17) in its forms, and QR codes.

use fiscal_core::render::{EmailReceipt, EscPosProfile, EscPosQr, Labels, Receipt, RenderFormat};
use fiscal_core::Document;
use pyo3::prelude::*;

use crate::certificate::PyCertificate;
use crate::errors::to_py_err;

fn labels(language: &str) -> PyResult<Labels> {
    match language {
        "az" => Ok(Labels::azerbaijani()),
        "en" => Ok(Labels::english()),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "language is \"az\" or \"en\", not {other:?}"
        ))),
    }
}

/// Draws `document` with the engine's renderer in `format` (the width rule is the engine's).
fn draw(
    document: &Document,
    certificate: Option<&PyCertificate>,
    format: RenderFormat,
    width: usize,
    language: &str,
    qr_base: &str,
) -> PyResult<Vec<u8>> {
    let receipt = Receipt {
        document,
        certificate: certificate.map(|c| c.inner.body()),
        qr_base,
    };
    receipt
        .render(format, &labels(language)?, width)
        .map_err(to_py_err)
}

/// The printable receipt of `document` (`Document.render`): `form` `"text"`, `"svg"` or `"html"`.
pub(crate) fn receipt(
    document: &Document,
    certificate: Option<&PyCertificate>,
    form: &str,
    width: usize,
    language: &str,
    transliterate: bool,
    qr_base: &str,
) -> PyResult<String> {
    let format = match (form, transliterate) {
        ("text", false) => RenderFormat::Text,
        ("text", true) => RenderFormat::Ascii,
        ("svg", _) => RenderFormat::Svg,
        ("html", _) => RenderFormat::Html,
        (other, _) => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "form is \"text\", \"svg\" or \"html\", not {other:?}"
            )))
        }
    };
    let bytes = draw(document, certificate, format, width, language, qr_base)?;
    // Every text form is UTF-8 from the engine: lossy changes nothing.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The printer profile `Document.render_escpos`'s arguments name: `profile` `"raster"` (`dots`
/// the printer's width, `None` for the engine's choice by `width`; `qr` `"drawn"` or
/// `"command"`) or `"text"` (transliterated, the QR always by the printer's command).
fn escpos_profile(
    profile: &str,
    dots: Option<u32>,
    qr: &str,
    width: usize,
) -> PyResult<EscPosProfile> {
    let value = |what: String| pyo3::exceptions::PyValueError::new_err(what);
    let qr = match qr {
        "drawn" => EscPosQr::Drawn,
        "command" => EscPosQr::Command,
        other => {
            return Err(value(format!(
                "qr is \"drawn\" or \"command\", not {other:?}"
            )))
        }
    };
    match (profile, dots) {
        ("raster", None) => Ok(EscPosProfile::for_width(width).with_qr(qr)),
        ("raster", Some(dots)) => Ok(EscPosProfile::Raster { dots, qr }),
        ("text", None) if qr == EscPosQr::Drawn => Ok(EscPosProfile::Text),
        ("text", _) => Err(value(
            "the text profile takes neither dots nor qr: it prints the QR by the printer's command"
                .into(),
        )),
        (other, _) => Err(value(format!(
            "profile is \"raster\" or \"text\", not {other:?}"
        ))),
    }
}

/// The printable receipt of `document` as ESC/POS bytes (`Document.render_escpos`) for the
/// printer profile the arguments name ([`escpos_profile`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn escpos(
    document: &Document,
    certificate: &PyCertificate,
    width: usize,
    language: &str,
    qr_base: &str,
    profile: &str,
    dots: Option<u32>,
    qr: &str,
) -> PyResult<Vec<u8>> {
    let profile = escpos_profile(profile, dots, qr, width)?;
    let receipt = Receipt {
        document,
        certificate: Some(certificate.inner.body()),
        qr_base,
    };
    // The width rule is the engine's, as for every other form.
    let width = fiscal_core::render::check_width(width).map_err(to_py_err)?;
    receipt
        .escpos(&labels(language)?, width, profile)
        .map_err(to_py_err)
}

/// The e-mail receipt of `document` (`Document.render_email`): subject, plain text, HTML, the
/// QR image's Content-ID and its PNG, as the engine makes them.
pub(crate) fn email(
    document: &Document,
    certificate: &PyCertificate,
    language: &str,
    qr_base: &str,
) -> PyResult<EmailReceipt> {
    Receipt {
        document,
        certificate: Some(certificate.inner.body()),
        qr_base,
    }
    .email(&labels(language)?)
    .map_err(to_py_err)
}

/// The QR code of `payload` as an SVG image (error correction level M, 4-module quiet zone).
#[pyfunction]
pub(crate) fn qr_svg(payload: &str) -> PyResult<String> {
    fiscal_core::qr::qr_svg(payload).map_err(to_py_err)
}

/// The QR code of `payload` as Unicode half blocks, for a terminal.
#[pyfunction]
pub(crate) fn qr_terminal(payload: &str) -> PyResult<String> {
    fiscal_core::qr::qr_terminal(payload).map_err(to_py_err)
}
