//! The money a document carries: its tax groups and payments by form (SPEC.md §5), as Python
//! values, and what a document of any kind moves.

use fiscal_core::{Payments, TaxGroup};
use pyo3::prelude::*;

use crate::convert::decimal;

// What a document of any kind moves is the engine's (the same values its description shows).
pub(crate) use fiscal_core::describe::amounts;

pub(crate) fn opt_decimal<'py>(
    py: Python<'py>,
    v: Option<impl core::fmt::Display>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    v.map(|v| decimal(py, v)).transpose()
}

/// A tax group: gross amount of one category and rate, and its tax.
#[pyclass(module = "fiscal_core", name = "TaxGroup", frozen)]
pub(crate) struct PyTaxGroup {
    pub(crate) inner: TaxGroup,
}

#[pymethods]
impl PyTaxGroup {
    /// `vat`, `vat_margin`, `simplified`, `vat_exempt` or `margin_remainder`.
    #[getter]
    fn category(&self) -> &'static str {
        self.inner.key.category.as_str()
    }
    /// The rate in percent (`None` for the untaxed categories).
    #[getter]
    fn percent<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_decimal(py, self.inner.key.percent)
    }
    /// Gross amount (tax included for VAT).
    #[getter]
    fn gross<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.gross)
    }
    /// The tax.
    #[getter]
    fn tax<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.tax)
    }

    fn __repr__(&self) -> String {
        let rate = self
            .inner
            .key
            .percent
            .map_or_else(String::new, |p| format!(" {p}%"));
        format!(
            "TaxGroup({}{rate}, gross={}, tax={})",
            self.inner.key.category.as_str(),
            self.inner.gross,
            self.inner.tax
        )
    }
}

/// How a document is paid, by form (RC-10, RC-12, RC-14); absent forms are 0.00.
#[pyclass(module = "fiscal_core", name = "Payments", frozen)]
pub(crate) struct PyPayments {
    pub(crate) inner: Payments,
}

#[pymethods]
impl PyPayments {
    /// Cash part of the price (`cashSum`).
    #[getter]
    fn cash<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.cash)
    }
    /// Card or transfer (`cashlessSum`).
    #[getter]
    fn cashless<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.cashless)
    }
    /// Bonus points (`bonusSum`).
    #[getter]
    fn bonus<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.bonus)
    }
    /// Gift card (`giftCardSum`).
    #[getter]
    fn gift_card<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.gift_card)
    }
    /// Fuel card (`fuelCardSum`).
    #[getter]
    fn fuel_card<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.fuel_card)
    }
    /// Offset against advances (`prepaymentSum`).
    #[getter]
    fn prepayment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.prepayment)
    }
    /// Left as debt (`creditSum`).
    #[getter]
    fn credit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.credit)
    }
    /// Cash handed over (`incomingSum`).
    #[getter]
    fn tendered<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.tendered)
    }
    /// Change given back (`changeSum`).
    #[getter]
    fn change<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.inner.change)
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        format!(
            "Payments(cash={}, cashless={}, bonus={}, gift_card={}, fuel_card={}, prepayment={}, credit={}, tendered={}, change={})",
            p.cash, p.cashless, p.bonus, p.gift_card, p.fuel_card, p.prepayment, p.credit, p.tendered, p.change
        )
    }
}
