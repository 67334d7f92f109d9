//! The native half of the `fiscal_core` Python package (`fiscal_core._native`).
//!
//! Everything here is a thin, typed layer over the `fiscal-core` engine: keys, certificates,
//! the control device, issued documents and journal verification. The public, documented
//! Python API is the `fiscal_core` package (`python/fiscal_core/__init__.py`), which
//! re-exports these classes and adds what is better written in Python: the request
//! serializer that refuses floats, the exception classes and the command-line tool.
//!
//! Conventions, the same in every module:
//! - errors of the engine become Python exceptions in one place, [`errors::to_py_err`];
//! - amounts go out as `decimal.Decimal` and moments as timezone-aware `datetime`s
//!   ([`convert`]); naive datetimes are refused;
//! - PyO3 stays here: the core crate never depends on it.

use pyo3::prelude::*;

mod certificate;
mod convert;
mod device;
mod dialect;
mod document;
mod errors;
mod journal;
mod keys;
mod line;
mod money;
mod render;
mod request;
mod shift_report;

/// The module `fiscal_core._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DEFAULT_QR_BASE", fiscal_core::qr::DEFAULT_QR_BASE)?;
    m.add("BAKU", convert::baku(py)?)?;
    m.add_class::<keys::PyPrivateKey>()?;
    m.add_class::<keys::PyPublicKey>()?;
    m.add_class::<certificate::PyCertificate>()?;
    m.add_class::<document::PyDocument>()?;
    m.add_class::<line::PyLine>()?;
    m.add_class::<money::PyTaxGroup>()?;
    m.add_class::<money::PyPayments>()?;
    m.add_class::<shift_report::PyShiftReport>()?;
    m.add_class::<shift_report::PyKindTotals>()?;
    m.add_class::<device::PyDevice>()?;
    m.add_class::<journal::PyFinding>()?;
    m.add_class::<journal::PyJournalReport>()?;
    m.add_function(wrap_pyfunction!(render::qr_svg, m)?)?;
    m.add_function(wrap_pyfunction!(render::qr_terminal, m)?)?;
    m.add_function(wrap_pyfunction!(journal::verify_document, m)?)?;
    m.add_function(wrap_pyfunction!(journal::verify_journal, m)?)?;
    m.add_function(wrap_pyfunction!(journal::verify_journal_file, m)?)?;
    m.add_function(wrap_pyfunction!(request::request_json, m)?)?;
    m.add_function(wrap_pyfunction!(request::validate_request, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_code, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_message, m)?)?;
    m.add_function(wrap_pyfunction!(dialect::read_request_json, m)?)?;
    m.add_function(wrap_pyfunction!(dialect::operation_name, m)?)?;
    Ok(())
}
