//! Shift reports (PK-02): the X-report of an open shift, the Z-report that closes it, and their
//! rows by document kind.

use fiscal_core::{KindTotals, ShiftReport};
use pyo3::prelude::*;

use crate::convert::{datetime, decimal, json_loads};
use crate::money::{PyPayments, PyTaxGroup};

/// A shift's report: the X-report while it is open, the Z-report when it closes (PK-02).
#[pyclass(module = "fiscal_core", name = "ShiftReport", frozen)]
pub(crate) struct PyShiftReport {
    pub(crate) inner: ShiftReport,
}

#[pymethods]
impl PyShiftReport {
    /// The shift's number.
    #[getter]
    fn shift(&self) -> u32 {
        self.inner.shift
    }
    /// When it was opened.
    #[getter]
    fn opened_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.opened_at)
    }
    /// Number of the shift's opening document.
    #[getter]
    fn first_number(&self) -> u64 {
        self.inner.first_number
    }
    /// Number of the shift's last document (a Z-report: the Z-report itself).
    #[getter]
    fn last_number(&self) -> u64 {
        self.inner.last_number
    }
    /// Receipts issued in the shift.
    #[getter]
    fn receipts(&self) -> u32 {
        self.inner.receipts
    }
    /// Totals per document kind, kinds with documents only.
    #[getter]
    fn kinds(&self) -> Vec<PyKindTotals> {
        self.inner
            .kinds
            .iter()
            .map(|k| PyKindTotals { inner: k.clone() })
            .collect()
    }
    /// Cash that came into the drawer.
    #[getter]
    fn cash_in<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.cash_in)
    }
    /// Cash that left it.
    #[getter]
    fn cash_out<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.cash_out)
    }
    /// Cash in the drawer: cash in − cash out.
    #[getter]
    fn cash_in_drawer<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.cash_in_drawer())
    }
    /// The engine's description (SPEC.md §8.5) as JSON text: the same bytes as the C
    /// `fc_device_x_report` for the same report (decimals as strings with their scale).
    fn to_json(&self) -> String {
        fiscal_core::describe::shift_report(&self.inner).to_string()
    }
    /// Every field as a dict: the parsed `to_json()`.
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.to_json())
    }

    fn __repr__(&self) -> String {
        format!(
            "ShiftReport(shift={}, documents {}–{}, receipts={})",
            self.inner.shift, self.inner.first_number, self.inner.last_number, self.inner.receipts
        )
    }
}

/// One row of a shift report: the totals of one document kind.
#[pyclass(module = "fiscal_core", name = "KindTotals", frozen)]
pub(crate) struct PyKindTotals {
    inner: KindTotals,
}

#[pymethods]
impl PyKindTotals {
    /// The kind (`doc_type`: `sale`, `money_back`, …).
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.wire_name()
    }
    /// How many documents.
    #[getter]
    fn count(&self) -> u32 {
        self.inner.count
    }
    /// Σ of their `sum`.
    #[getter]
    fn sum<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.sum)
    }
    /// Σ of their payments by form.
    #[getter]
    fn payments(&self) -> PyPayments {
        PyPayments {
            inner: self.inner.payments,
        }
    }
    /// Σ of their counted tax groups.
    #[getter]
    fn groups(&self) -> Vec<PyTaxGroup> {
        self.inner
            .groups
            .iter()
            .map(|g| PyTaxGroup { inner: *g })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "KindTotals({}, count={}, sum={})",
            self.inner.kind.wire_name(),
            self.inner.count,
            self.inner.sum
        )
    }
}
