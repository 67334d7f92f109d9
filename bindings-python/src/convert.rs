//! Python values in and out: `decimal.Decimal` amounts, timezone-aware `datetime` moments.
//!
//! Moments cross as whole milliseconds through exact integer arithmetic on `timedelta`s,
//! never through a float timestamp. A naive datetime (no `tzinfo`) is refused: the engine
//! could only guess its zone, and a guess would shift every document's date in Baku.

use core::fmt::Display;

use fiscal_core::Timestamp;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyType};

static DECIMAL: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static DATETIME: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static TIMEDELTA: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static TIMEZONE: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static BAKU: GILOnceCell<Py<PyAny>> = GILOnceCell::new();
static EPOCH: GILOnceCell<Py<PyAny>> = GILOnceCell::new();
static LOADS: GILOnceCell<Py<PyAny>> = GILOnceCell::new();

fn timedelta<'py>(py: Python<'py>, kwargs: &[(&str, i64)]) -> PyResult<Bound<'py, PyAny>> {
    let cls = TIMEDELTA.import(py, "datetime", "timedelta")?;
    let kw = PyDict::new(py);
    for (k, v) in kwargs {
        kw.set_item(k, v)?;
    }
    cls.call((), Some(&kw))
}

/// Baku's time zone, UTC+04:00 all year (SPEC.md §6): the zone of every datetime returned.
pub(crate) fn baku(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    BAKU.get_or_try_init(py, || {
        let tz = TIMEZONE.import(py, "datetime", "timezone")?;
        Ok::<_, PyErr>(tz.call1((timedelta(py, &[("hours", 4)])?, "+04"))?.unbind())
    })
    .map(|t| t.bind(py).clone())
}

/// 1970-01-01T04:00:00+04:00, the epoch in Baku's zone.
fn epoch(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    EPOCH
        .get_or_try_init(py, || {
            let dt = DATETIME.import(py, "datetime", "datetime")?;
            Ok::<_, PyErr>(dt.call1((1970, 1, 1, 4, 0, 0, 0, baku(py)?))?.unbind())
        })
        .map(|t| t.bind(py).clone())
}

/// A `decimal.Decimal` of the exact text of an engine value (`"12.50"` keeps its scale).
pub(crate) fn decimal<'py>(py: Python<'py>, value: impl Display) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL
        .import(py, "decimal", "Decimal")?
        .call1((value.to_string(),))
}

/// `json.loads(text, parse_float=decimal.Decimal)`: JSON numbers with a fraction become exact
/// decimals.
pub(crate) fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let loads = LOADS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
        })?
        .bind(py);
    let kw = PyDict::new(py);
    kw.set_item("parse_float", DECIMAL.import(py, "decimal", "Decimal")?)?;
    loads.call((text,), Some(&kw))
}

/// A timezone-aware `datetime` (in Baku's zone) for a moment.
pub(crate) fn datetime(py: Python<'_>, t: Timestamp) -> PyResult<Bound<'_, PyAny>> {
    let ms = t.millis();
    let days = ms.div_euclid(Timestamp::DAY);
    let rest = ms.rem_euclid(Timestamp::DAY);
    let delta = timedelta(py, &[("days", days), ("milliseconds", rest)])?;
    epoch(py)?.call_method1("__add__", (delta,)).map_err(|e| {
        PyOverflowError::new_err(format!("moment {ms} ms is out of datetime's range: {e}"))
    })
}

/// The moment of a timezone-aware `datetime`, to the millisecond (microseconds below a
/// millisecond are dropped, towards the past). Naive datetimes are refused with `ValueError`.
pub(crate) fn timestamp(value: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let py = value.py();
    let cls = DATETIME.import(py, "datetime", "datetime")?;
    if !value.is_instance(cls)? {
        return Err(PyTypeError::new_err(format!(
            "a moment is a timezone-aware datetime.datetime, not {}",
            value.get_type().name()?
        )));
    }
    if value.call_method0("utcoffset")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "naive datetime {}: give a timezone-aware datetime (for example \
             tzinfo=fiscal_core.BAKU); a kassa's documents must not depend on the machine's zone",
            value.str()?
        )));
    }
    let delta = value.call_method1("__sub__", (epoch(py)?,))?;
    let days: i64 = delta.getattr("days")?.extract()?;
    let seconds: i64 = delta.getattr("seconds")?.extract()?;
    let micros: i64 = delta.getattr("microseconds")?.extract()?;
    // timedelta normalizes to 0 ≤ seconds < 86 400 and 0 ≤ microseconds < 10⁶.
    days.checked_mul(Timestamp::DAY)
        .and_then(|d| d.checked_add(seconds * 1000 + micros / 1000))
        .map(Timestamp::from_millis)
        .ok_or_else(|| PyOverflowError::new_err("the datetime is out of range"))
}
