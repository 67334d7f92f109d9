//! One line of a receipt (RC-05), as Python sees it.

use fiscal_core::{Adjustment, Line};
use pyo3::prelude::*;

use crate::convert::decimal;
use crate::money::opt_decimal;

/// One line of a receipt (RC-05).
#[pyclass(module = "fiscal_core", name = "Line", frozen)]
pub(crate) struct PyLine {
    pub(crate) inner: Line,
}

#[pymethods]
impl PyLine {
    /// Name of the goods or service.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }
    /// Item code, if any.
    #[getter]
    fn code(&self) -> Option<&str> {
        self.inner.code().map(|c| c.code())
    }
    /// Item code type: `text`, `ean8`, `ean13`, `service` or `credit_payment`.
    #[getter]
    fn code_type(&self) -> Option<&'static str> {
        self.inner.code().map(|c| c.kind().as_str())
    }
    /// Unit: `piece`, `kg`, `l`, `m`, `m2` or `m3`.
    #[getter]
    fn unit(&self) -> &'static str {
        self.inner.unit().as_str()
    }
    /// Quantity (3 decimals).
    #[getter]
    fn quantity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.quantity())
    }
    /// Unit price charged (4 decimals).
    #[getter]
    fn price<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.price())
    }
    /// Line total.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.total())
    }
    /// Tax treatment: `vat`, `vat_margin`, `simplified` or `vat_exempt`.
    #[getter]
    fn tax_treatment(&self) -> &'static str {
        self.inner.treatment().kind().as_str()
    }
    /// Tax rate in percent (`None` when exempt).
    #[getter]
    fn percent<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_decimal(py, self.inner.treatment().percent())
    }
    /// The line's tax (its share of its group's tax, SPEC.md §5.3).
    #[getter]
    fn tax<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.tax())
    }
    /// For VAT on the margin: the margin part of the total.
    #[getter]
    fn margin<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_decimal(py, self.inner.margin())
    }
    /// Discount included in the price, if any.
    #[getter]
    fn discount<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let v = match self.inner.adjustment() {
            Some(Adjustment::Discount(a)) => Some(a),
            _ => None,
        };
        opt_decimal(py, v)
    }
    /// Markup included in the price, if any.
    #[getter]
    fn markup<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let v = match self.inner.adjustment() {
            Some(Adjustment::Markup(a)) => Some(a),
            _ => None,
        };
        opt_decimal(py, v)
    }
    /// Department number, if any.
    #[getter]
    fn department(&self) -> Option<u16> {
        self.inner.department().map(|d| d.number())
    }
    /// Department name, if any.
    #[getter]
    fn department_name(&self) -> Option<&str> {
        self.inner.department().and_then(|d| d.name())
    }

    fn __repr__(&self) -> String {
        format!(
            "Line({:?}, quantity={}, price={}, total={}, tax={})",
            self.inner.name(),
            self.inner.quantity(),
            self.inner.price(),
            self.inner.total(),
            self.inner.tax()
        )
    }
}
