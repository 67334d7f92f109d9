//! Requests: a dict (or JSON text) made into exact JSON text, and validation without a device
//! with the computed numbers (SPEC.md §5–§8), what a POS needs before issuing and what the
//! conformance suite's math family checks.
//!
//! A request is given as a mapping in the JSON shape of SPEC.md §8, or as its JSON text (`str`
//! or UTF-8 `bytes`). A mapping is written here, member by member, the way
//! `json.dumps(ensure_ascii=False, separators=(",", ":"))` writes it, except for amounts: a
//! `decimal.Decimal` becomes a bare JSON number in plain decimal notation (`0.10`, never
//! `1E-1`), which the engine reads exactly from its text; a `float` anywhere is refused with
//! `FloatAmountError` naming its path, before anything is sent to the engine.

use std::fmt::Write as _;

use fiscal_core::{CivilDate, RateTable, Request, ValidationContext};
use pyo3::exceptions::{PyRecursionError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};

use crate::convert::json_loads;
use crate::errors::to_py_err;

static DECIMAL: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static MAPPING: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static FLOAT_AMOUNT_ERROR: GILOnceCell<Py<PyType>> = GILOnceCell::new();

/// Deeper than this, a request is refused rather than risk the stack (a mapping that contains
/// itself would never end).
const MAX_DEPTH: usize = 256;

/// The JSON text of a request: JSON text as it is (bytes decoded as UTF-8), a mapping written
/// exactly (see the module's comment).
pub(crate) fn request_text(request: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = request.downcast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if request.is_instance_of::<PyBytes>() || request.is_instance_of::<PyByteArray>() {
        let bytes: Vec<u8> = request.extract()?;
        return String::from_utf8(bytes)
            .map_err(|e| PyValueError::new_err(format!("the request is not UTF-8 text: {e}")));
    }
    if !is_mapping(request)? {
        return Err(PyTypeError::new_err(format!(
            "a request is a dict or JSON text, not {}",
            request.get_type().name()?
        )));
    }
    let mut out = String::new();
    write_value(&mut out, request, "", 0)?;
    Ok(out)
}

fn is_mapping(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    if value.is_instance_of::<PyDict>() {
        return Ok(true);
    }
    value.is_instance(MAPPING.import(value.py(), "collections.abc", "Mapping")?)
}

/// `path`, or "the request" for the whole of it.
fn place(path: &str) -> &str {
    if path.is_empty() {
        "the request"
    } else {
        path
    }
}

fn write_value(
    out: &mut String,
    value: &Bound<'_, PyAny>,
    path: &str,
    depth: usize,
) -> PyResult<()> {
    let py = value.py();
    if depth > MAX_DEPTH {
        return Err(PyRecursionError::new_err(format!(
            "{}: the request is nested more than {MAX_DEPTH} deep",
            place(path)
        )));
    }
    if value.is_instance_of::<PyFloat>() {
        let class = FLOAT_AMOUNT_ERROR.import(py, "fiscal_core.errors", "FloatAmountError")?;
        return Err(PyErr::from_value(class.call1((place(path), value))?));
    }
    if value.is_none() {
        out.push_str("null");
    } else if let Ok(b) = value.downcast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if value.is_instance_of::<PyInt>() {
        // int.__repr__, as json.dumps writes an int (an IntEnum too).
        out.push_str(
            &py.get_type::<PyInt>()
                .call_method1("__repr__", (value,))?
                .extract::<String>()?,
        );
    } else if let Ok(s) = value.downcast::<PyString>() {
        write_string(out, &s.to_cow()?);
    } else if value.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
        if !value.call_method0("is_finite")?.is_truthy()? {
            return Err(PyValueError::new_err(format!(
                "{}: {} is not a finite decimal",
                place(path),
                value.str()?
            )));
        }
        // Plain decimal text, no exponent: the engine reads it exactly (SPEC.md §3.2, §8.3).
        out.push_str(
            &value
                .call_method1("__format__", ("f",))?
                .extract::<String>()?,
        );
    } else if is_mapping(value)? {
        out.push('{');
        for (i, item) in value.call_method0("items")?.try_iter()?.enumerate() {
            let (key, member): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            if i > 0 {
                out.push(',');
            }
            let name = key_text(&key)?;
            write_string(out, &name);
            out.push(':');
            let key_str = key.str()?;
            let inner = if path.is_empty() {
                key_str.to_string()
            } else {
                format!("{path}.{key_str}")
            };
            write_value(out, &member, &inner, depth + 1)?;
        }
        out.push('}');
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        out.push('[');
        for (i, item) in value.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_value(out, &item?, &format!("{path}[{i}]"), depth + 1)?;
        }
        out.push(']');
    } else {
        return Err(PyTypeError::new_err(format!(
            "Object of type {} is not JSON serializable",
            value.get_type().name()?
        )));
    }
    Ok(())
}

/// A member name as json.dumps writes it: text as it is, `true`/`false`/`null` and numbers as
/// their JSON text.
fn key_text(key: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = key.py();
    if let Ok(s) = key.downcast::<PyString>() {
        Ok(s.to_cow()?.into_owned())
    } else if let Ok(b) = key.downcast::<PyBool>() {
        Ok(if b.is_true() { "true" } else { "false" }.to_owned())
    } else if key.is_none() {
        Ok("null".to_owned())
    } else if key.is_instance_of::<PyInt>() {
        py.get_type::<PyInt>()
            .call_method1("__repr__", (key,))?
            .extract()
    } else if key.is_instance_of::<PyFloat>() {
        py.get_type::<PyFloat>()
            .call_method1("__repr__", (key,))?
            .extract()
    } else {
        Err(PyTypeError::new_err(format!(
            "keys must be str, int, float, bool or None, not {}",
            key.get_type().name()?
        )))
    }
}

/// A JSON string as json.dumps writes it with `ensure_ascii=False`.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON text of a request given as a dict (or already as JSON text, returned as it is;
/// bytes decoded). Amounts may be `decimal.Decimal`, `int` or `str`; a `float` anywhere raises
/// `FloatAmountError` (a `ValidationError` and a `TypeError`) naming its path, before anything
/// is written; so does a NaN or infinite `Decimal` (`ValueError`). Decimals are written as bare
/// JSON numbers in plain decimal notation (`0.10`, never `1E-1`), which the engine reads from
/// their text, exactly; a `Decimal` where text belongs is a type error the engine reports.
#[pyfunction]
pub(crate) fn request_json<'py>(request: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if request.is_instance_of::<PyString>() {
        return Ok(request.clone());
    }
    Ok(PyString::new(request.py(), &request_text(request)?).into_any())
}

/// Validates a request without a device, for a date (a `datetime.date` or `"YYYY-MM-DD"`; the
/// rates in force in Baku that day), and returns it as a dict in the JSON form of SPEC.md
/// §8.4: every computed member filled in (`itemSum`, `itemTaxSum`, `sum`, `changeSum`,
/// `vatAmounts`, `taxGroups`, `countedTaxGroups`), decimals as `decimal.Decimal`. Raises
/// `ValidationError` with every problem when it is invalid.
#[pyfunction]
pub(crate) fn validate_request<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    date: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = request_text(request)?;
    let day: String = match date.downcast::<PyString>() {
        Ok(s) => s.to_cow()?.into_owned(),
        Err(_) => date.call_method0("isoformat")?.extract()?,
    };
    let date: CivilDate = day
        .parse()
        .map_err(|_| PyValueError::new_err(format!("{day:?} is not a date (YYYY-MM-DD)")))?;
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
    json_loads(py, &result.map_err(to_py_err)?)
}
