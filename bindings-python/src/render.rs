//! Drawing a document: the printable receipt (SPEC.md §17) in its forms, and QR codes.

use fiscal_core::render::{Labels, Receipt, RenderFormat};
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

/// The printable receipt of `document` as ESC/POS bytes (`Document.render_escpos`).
pub(crate) fn escpos(
    document: &Document,
    certificate: &PyCertificate,
    width: usize,
    language: &str,
    qr_base: &str,
) -> PyResult<Vec<u8>> {
    draw(
        document,
        Some(certificate),
        RenderFormat::EscPos,
        width,
        language,
        qr_base,
    )
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
