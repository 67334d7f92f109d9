//! Requests without a device: validation and the computed numbers (SPEC.md §5–§8), what a
//! POS needs before issuing and what the conformance suite's math family checks.

use fiscal_core::{CivilDate, RateTable, Request, ValidationContext};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::to_py_err;

/// Validates a request (JSON text, SPEC.md §8) for a date (`"YYYY-MM-DD"`, Baku) with the
/// Azerbaijani rate table, and returns it in the JSON form with every computed member filled in
/// (SPEC.md §8.4). Raises `ValidationError` with every problem when it is invalid.
#[pyfunction]
pub(crate) fn validate_request(py: Python<'_>, request_json: &str, date: &str) -> PyResult<String> {
    let date: CivilDate = date
        .parse()
        .map_err(|_| PyValueError::new_err(format!("{date:?} is not a date (YYYY-MM-DD)")))?;
    let text = request_json.to_owned();
    let result = py.allow_threads(move || {
        let rates = RateTable::azerbaijan();
        Request::from_json(
            &text,
            &ValidationContext {
                rates: &rates,
                date,
            },
        )
        .map(|r| r.to_json())
    });
    result.map_err(to_py_err)
}
