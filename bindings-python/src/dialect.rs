//! Requests in the dialects of deployed POS software (SPEC.md §8): the engine's reader
//! (`fiscal_core::dialect::read_request`) and its description (`describe::reading`), handed to
//! Python as JSON text; `fiscal_core.dialects` builds the `Reading` and raises from it.

use fiscal_core::dialect::{read_request, Dialect, Policy, ReadOptions};
use fiscal_core::{describe, CivilDate, RateTable, ValidationContext};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The dialect (`None` for `"auto"`) and policy of their names; `ValueError` for others.
pub(crate) fn choice(dialect: &str, policy: &str) -> PyResult<(Option<Dialect>, Policy)> {
    let dialect = match dialect {
        "auto" => None,
        name => Some(Dialect::from_name(name).ok_or_else(|| {
            PyValueError::new_err(format!(
                "{name:?} is not a dialect (auto, fiscal-core, airconn, nba, omnitech, ekassam)"
            ))
        })?),
    };
    let policy = Policy::from_name(policy).ok_or_else(|| {
        PyValueError::new_err(format!("{policy:?} is not a policy (deployed, strict)"))
    })?;
    Ok((dialect, policy))
}

/// The stable name of the operation an endpoint, operation id or name denotes (`"kas_sale"` →
/// `"sale"`, `"closeShift"` → `"close_shift"`), or `None`.
#[pyfunction]
pub(crate) fn operation_name(name: &str) -> Option<&'static str> {
    fiscal_core::dialect::OperationKind::from_name(name).map(|k| k.name())
}

/// Reads `text` as its POS program sent it, in `dialect` (`"auto"`, `"fiscal-core"`,
/// `"airconn"`, `"nba"`, `"omnitech"`, `"ekassam"`) under `policy` (`"deployed"` or
/// `"strict"`), validated against the rates in force on `date` (`YYYY-MM-DD`); `operation` is
/// the endpoint of a `kas_*` body (`"kas_sale"`) or the operation expected. Returns the
/// engine's description of the reading (SPEC.md §8.6) as JSON text, `ok` true or false; raises
/// `ValueError` only for an unknown dialect, policy or date.
#[pyfunction]
#[pyo3(signature = (text, dialect, policy, operation, date))]
pub(crate) fn read_request_json(
    py: Python<'_>,
    text: &str,
    dialect: &str,
    policy: &str,
    operation: Option<&str>,
    date: &str,
) -> PyResult<String> {
    let (dialect, policy) = choice(dialect, policy)?;
    let date: CivilDate = date
        .parse()
        .map_err(|_| PyValueError::new_err(format!("{date:?} is not a date (YYYY-MM-DD)")))?;
    let text = text.to_owned();
    let operation = operation.map(str::to_owned);
    let out = py.allow_threads(move || {
        let rates = RateTable::azerbaijan();
        let options = ReadOptions {
            dialect,
            policy,
            operation: operation.as_deref(),
            context: ValidationContext {
                rates: &rates,
                date,
            },
            cashier: None,
        };
        describe::reading(&read_request(&text, &options), policy).to_string()
    });
    Ok(out)
}
