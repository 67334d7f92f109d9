//! Drawing a document: the printable receipt (SPEC.md §17) in its forms, and QR codes.

use fiscal_core::render::{Labels, Receipt};
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

/// The printable receipt of `document` (`Document.render`): `form` `"text"`, `"svg"` or `"html"`.
pub(crate) fn receipt(
    document: &Document,
    certificate: &PyCertificate,
    form: &str,
    width: usize,
    language: &str,
    transliterate: bool,
    qr_base: &str,
) -> PyResult<String> {
    let l = labels(language)?;
    let receipt = Receipt {
        document,
        certificate: certificate.inner.body(),
        qr_base,
    };
    match form {
        "text" => Ok(receipt.text(&l, width, transliterate)),
        "svg" => receipt.svg(&l, width).map_err(to_py_err),
        "html" => receipt.html(&l, width).map_err(to_py_err),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "form is \"text\", \"svg\" or \"html\", not {other:?}"
        ))),
    }
}

/// The printable receipt of `document` as ESC/POS bytes (`Document.render_escpos`).
pub(crate) fn escpos(
    document: &Document,
    certificate: &PyCertificate,
    width: usize,
    language: &str,
    qr_base: &str,
) -> PyResult<Vec<u8>> {
    let receipt = Receipt {
        document,
        certificate: certificate.inner.body(),
        qr_base,
    };
    Ok(receipt.escpos(&labels(language)?, width))
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
