//! Engine errors as Python exceptions: the one place where that mapping is made.
//!
//! The exception classes are defined in Python (`fiscal_core/errors.py`, so that they have
//! real `__init__`s, docstrings and typed attributes) and imported here, as pyca/cryptography
//! does. The class is chosen by the error's stable code, never by its message.

use fiscal_core::{Error, ErrorCategory, ErrorCode, MessageLanguage};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

// `import_exception!` expands to public items; this module is private, and the exception
// types are used only through `to_py_err`.
mod classes {
    #![allow(unreachable_pub, missing_docs)]
    pyo3::import_exception!(fiscal_core.errors, FiscalError);
    pyo3::import_exception!(fiscal_core.errors, ValidationError);
    pyo3::import_exception!(fiscal_core.errors, StateError);
    pyo3::import_exception!(fiscal_core.errors, CryptoError);
    pyo3::import_exception!(fiscal_core.errors, FormatError);
}

/// The exception families of the Python API: one per category of the core's code table
/// (`ErrorCode::category`, SPEC.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `request`.
    Validation,
    /// `device`.
    State,
    /// `crypto`.
    Crypto,
    /// `format`.
    Format,
    /// `finding`: journal findings are reported, not raised.
    Other,
}

fn family(code: ErrorCode) -> Family {
    // The core's category decides (SPEC.md §9); this is only the name of the Python class.
    match code.category() {
        ErrorCategory::Request => Family::Validation,
        ErrorCategory::Device => Family::State,
        ErrorCategory::Crypto => Family::Crypto,
        ErrorCategory::Format => Family::Format,
        _ => Family::Other,
    }
}

/// Converts an engine error into the Python exception of its family, carrying the stable
/// code (`.code`), its number (`.number`), the rule it enforces (`.rule`) and every problem
/// as `(code, path, message)` (`.problems`).
pub(crate) fn to_py_err(e: Error) -> PyErr {
    let code = e.code();
    let problems: Vec<(&'static str, String, String)> = e
        .problems()
        .iter()
        .map(|p| (p.code.as_str(), p.path.clone(), p.message.clone()))
        .collect();
    let args = (
        e.to_string(),
        code.as_str(),
        code.number(),
        code.rule(),
        problems,
    );
    match family(code) {
        Family::Validation => classes::ValidationError::new_err(args),
        Family::State => classes::StateError::new_err(args),
        Family::Crypto => classes::CryptoError::new_err(args),
        Family::Format => classes::FormatError::new_err(args),
        Family::Other => classes::FiscalError::new_err(args),
    }
}

/// `(number, rule, family)` of the error code with this stable name; `ValueError` when there
/// is none. Used by the Python side to build its own errors (floats refused) from the
/// engine's table instead of a copy of it.
#[pyfunction]
pub(crate) fn error_code(name: &str) -> PyResult<(u16, &'static str, &'static str)> {
    let code = ErrorCode::from_name(name)
        .ok_or_else(|| PyValueError::new_err(format!("no error code is named {name:?}")))?;
    Ok((code.number(), code.rule(), family_name(code)))
}

/// The message a cashier or an auditor is shown for the error code `name`, in `language`
/// (`"az"`, the legal language, or `"en"`): the engine's text (`ErrorCode::message`, the same
/// as the C ABI's `fc_status_message`). `ValueError` for an unknown code or language.
#[pyfunction]
#[pyo3(signature = (name, language = "az"))]
pub(crate) fn error_message(name: &str, language: &str) -> PyResult<&'static str> {
    let code = ErrorCode::from_name(name)
        .ok_or_else(|| PyValueError::new_err(format!("no error code is named {name:?}")))?;
    let language = MessageLanguage::from_tag(language).ok_or_else(|| {
        PyValueError::new_err(format!(
            "the language is \"az\" or \"en\", not {language:?}"
        ))
    })?;
    Ok(code.message(language))
}

/// Every error code as `(name, number, rule, family)`, in numeric order (SPEC.md §9).
#[pyfunction]
pub(crate) fn error_codes() -> Vec<(&'static str, u16, &'static str, &'static str)> {
    ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.number(), c.rule(), family_name(*c)))
        .collect()
}

fn family_name(code: ErrorCode) -> &'static str {
    match family(code) {
        Family::Validation => "ValidationError",
        Family::State => "StateError",
        Family::Crypto => "CryptoError",
        Family::Format => "FormatError",
        Family::Other => "FiscalError",
    }
}
