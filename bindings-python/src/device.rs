//! The control device (NMQ) as a Python object (SPEC.md §14).
//!
//! This class is `fiscal_core.Device` itself; a request given as a dict is made into exact
//! JSON text by `crate::request`, floats refused first.

use std::ffi::CString;

use fiscal_core::dialect::{handle, Exchange};
use fiscal_core::{Device, IssueOptions, Issued, RateTable, Request, Status, ValidationContext};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::certificate::PyCertificate;
use crate::convert::{datetime, timestamp};
use crate::document::{documents, PyDocument, PyShiftReport};
use crate::errors::to_py_err;
use crate::keys::{PyPrivateKey, PyPublicKey};
use crate::request::request_text;

/// A control device: a pure state machine over its state and key (SPEC.md §14).
///
/// Create one with ``Device.activate`` or ``Device.restore``. Every operation takes the
/// current moment ``now`` as a timezone-aware ``datetime`` (naive ones are refused with
/// ``ValueError``) and returns the ``Document`` it issued. A refused operation raises a
/// ``FiscalError`` and changes nothing (except the wrong-PIN count). Save ``export_state()``
/// after every operation; the key is never in it.
#[pyclass(module = "fiscal_core._native", name = "Device")]
pub(crate) struct PyDevice {
    inner: Device,
    rates: RateTable,
}

/// Raises the document's warnings as Python warnings (`CertificateExpiresSoon`) and returns
/// the document.
fn deliver(py: Python<'_>, issued: Issued) -> PyResult<PyDocument> {
    if !issued.warnings.is_empty() {
        let errors = py.import("fiscal_core.errors")?;
        for w in &issued.warnings {
            // Each warning's class: CertificateExpiresSoon, or UserWarning for the others
            // (the code is in the message's description, `Document.warnings`).
            let category = match w {
                fiscal_core::Warning::CertificateExpiresSoon { .. } => {
                    errors.getattr("CertificateExpiresSoon")?
                }
                _ => py.import("builtins")?.getattr("UserWarning")?,
            };
            // The engine's one message text (the same as the `message` of its description).
            let message = CString::new(w.to_string()).unwrap_or_default();
            // Level 1: the caller's line, the Python code that called this method.
            PyErr::warn(py, &category, &message, 1)?;
        }
    }
    Ok(PyDocument {
        inner: issued.document,
    })
}

#[pymethods]
impl PyDevice {
    /// Activates a device (LC-01) and returns it with document 1, the activation record.
    #[staticmethod]
    #[pyo3(signature = (certificate, authority, key, pin, now, *, qr_base = None))]
    fn activate(
        py: Python<'_>,
        certificate: &PyCertificate,
        authority: &PyPublicKey,
        key: &PyPrivateKey,
        pin: &str,
        now: &Bound<'_, PyAny>,
        qr_base: Option<&str>,
    ) -> PyResult<(PyDevice, PyDocument)> {
        let now = timestamp(now)?;
        let (inner, issued) = Device::activate(
            certificate.inner.clone(),
            &authority.inner,
            key.inner.clone(),
            pin,
            qr_base,
            now,
        )
        .map_err(to_py_err)?;
        let doc = deliver(py, issued)?;
        Ok((
            PyDevice {
                inner,
                rates: RateTable::azerbaijan(),
            },
            doc,
        ))
    }

    /// Resumes from exported state; the device starts locked until `unlock`.
    #[staticmethod]
    fn restore(state: &[u8], key: &PyPrivateKey) -> PyResult<Self> {
        Device::restore(state, key.inner.clone())
            .map(|inner| PyDevice {
                inner,
                rates: RateTable::azerbaijan(),
            })
            .map_err(to_py_err)
    }

    /// Enters the PIN (NM-07).
    fn unlock(&mut self, pin: &str) -> PyResult<()> {
        self.inner.unlock(pin).map_err(to_py_err)
    }

    /// Opens a shift and returns its opening document.
    fn open_shift(&mut self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<PyDocument> {
        let now = timestamp(now)?;
        let issued = self.inner.open_shift(now).map_err(to_py_err)?;
        deliver(py, issued)
    }

    /// Validates and issues a request: a sale, return, cancel, advance, credit payment,
    /// deposit, withdrawal or correction (SPEC.md §14.3).
    ///
    /// ``request`` is a dict in the JSON shape of SPEC.md §8 (``{"doc_type": "sale",
    /// "data": {...}}``) or its JSON text. Amounts are ``Decimal``, ``int`` or ``str``; a
    /// ``float`` raises ``FloatAmountError``. ``references`` are the documents the request
    /// names (the parent receipt, or the advances); the device remembers earlier returns and
    /// instalments itself (SPEC.md §14.6).
    /// ``expected_previous`` is the number of the last document the POS knows of: a retry of
    /// a request already issued is refused (``sequence_mismatch``) instead of issued twice.
    #[pyo3(signature = (request, now, *, references = None, expected_previous = None))]
    fn issue(
        &mut self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        references: Option<&Bound<'_, PyAny>>,
        expected_previous: Option<u64>,
    ) -> PyResult<PyDocument> {
        let request = request_text(request)?;
        let now = timestamp(now)?;
        // SPEC.md §14.3: the device's state is checked before the request is read.
        self.inner
            .check_issue(now, expected_previous)
            .map_err(to_py_err)?;
        let refs = match references {
            Some(r) => documents(r)?,
            None => Vec::new(),
        };
        let ctx = ValidationContext {
            rates: &self.rates,
            date: now.date_in_baku(),
        };
        let request = Request::from_json(&request, &ctx).map_err(to_py_err)?;
        let options = IssueOptions {
            rates: &self.rates,
            references: &refs,
            expected_previous,
            foreign_references: false,
        };
        let issued = self
            .inner
            .issue(&request, now, &options)
            .map_err(to_py_err)?;
        deliver(py, issued)
    }

    /// Carries out a request exactly as a POS program sent it to a deployed token (SPEC.md
    /// §8.8): ``text`` in ``dialect`` (``"auto"`` recognises it; ``operation`` the endpoint of
    /// a ``kas_*`` body) under ``policy``, at ``now``, with the ``references`` the request
    /// names, the session's ``cashier`` for forms without one and the ``session_token`` a login
    /// answers with (a token server draws it at random; by default one derived from the
    /// device's chain). Returns a
    /// ``fiscal_core.dialects.Handled``: ``response``, the answer in the dialect's shape (JSON
    /// text, a success or a refusal: nothing is raised for a refused request); ``document``,
    /// what was issued (save its journal line and the state before sending the answer);
    /// ``notices``; ``error``, the refusal's error or ``None``.
    #[pyo3(signature = (text, now, *, dialect = "auto", policy = "deployed", operation = None, references = None, cashier = None, session_token = None))]
    #[allow(clippy::too_many_arguments)]
    fn handle<'py>(
        &mut self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        dialect: &str,
        policy: &str,
        operation: Option<&str>,
        references: Option<&Bound<'py, PyAny>>,
        cashier: Option<&str>,
        session_token: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = request_text(text)?;
        let now = timestamp(now)?;
        let (dialect, policy) = crate::dialect::choice(dialect, policy)?;
        let refs = match references {
            Some(r) => documents(r)?,
            None => Vec::new(),
        };
        let exchange = Exchange {
            dialect,
            policy,
            operation,
            now,
            rates: &self.rates,
            references: &refs,
            cashier,
            session_token,
        };
        let handled = handle(&mut self.inner, &text, &exchange);
        let module = py.import("fiscal_core.dialects")?;
        let notice = module.getattr("Notice")?;
        let notices = handled
            .notices
            .iter()
            .map(|n| {
                notice.call1((
                    n.code.as_str(),
                    &n.path,
                    &n.message,
                    n.rule(),
                    n.code.number(),
                ))
            })
            .collect::<PyResult<Vec<_>>>()?;
        let error = handled.error.map(to_py_err).map(|e| e.into_value(py));
        let document = handled.issued.map(|i| PyDocument { inner: i.document });
        module.getattr("Handled")?.call1((
            handled.response.to_string(),
            document,
            notices,
            error,
            handled.dialect.name(),
        ))
    }

    /// The open shift's report so far (changes nothing).
    fn x_report(&self) -> PyResult<PyShiftReport> {
        self.inner
            .x_report()
            .map(|inner| PyShiftReport { inner })
            .map_err(to_py_err)
    }

    /// The device's status as the JSON text of SPEC.md §8.5 (`status`, `unlocked`, the last
    /// document, the open shift, `pending` and the `upload_deadline`, the certificate's end,
    /// the ledger): the bytes C's `fc_device_status` gives.
    fn status_json(&self) -> String {
        fiscal_core::describe::device_status(&self.inner).to_string()
    }

    /// Closes the shift and returns its Z-report document.
    fn close_shift(&mut self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<PyDocument> {
        let now = timestamp(now)?;
        let issued = self.inner.close_shift(now).map_err(to_py_err)?;
        deliver(py, issued)
    }

    /// Records that the tax service has every document up to `through` (NM-01); when
    /// documents remain, `next_pending` must be document `through + 1`.
    #[pyo3(signature = (through, next_pending = None))]
    fn acknowledge_upload(
        &mut self,
        through: u64,
        next_pending: Option<PyRef<'_, PyDocument>>,
    ) -> PyResult<()> {
        self.inner
            .acknowledge_upload(through, next_pending.as_ref().map(|d| &d.inner))
            .map_err(to_py_err)
    }

    /// Takes the device out of service (LC-02) and returns the last document.
    fn decommission(&mut self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<PyDocument> {
        let now = timestamp(now)?;
        let issued = self.inner.decommission(now).map_err(to_py_err)?;
        deliver(py, issued)
    }

    /// The state to save after every operation (postcard bytes; the key is not in it).
    fn export_state<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.export_state())
    }

    /// The QR text of ``document``: this device's QR base and the long fiscal ID.
    fn qr_payload(&self, document: &PyDocument) -> String {
        self.inner.qr_payload(&document.inner)
    }

    /// The QR code of ``document`` as an SVG image.
    fn qr_svg(&self, document: &PyDocument) -> PyResult<String> {
        crate::render::qr_svg(&self.inner.qr_payload(&document.inner))
    }

    /// The certificate.
    #[getter]
    fn certificate(&self) -> PyCertificate {
        PyCertificate {
            inner: self.inner.state().certificate().clone(),
        }
    }
    /// The device's public key.
    #[getter]
    fn public_key(&self) -> PyPublicKey {
        PyPublicKey {
            inner: self.inner.public_key(),
        }
    }
    /// The QR base address.
    #[getter]
    fn qr_base(&self) -> String {
        self.inner.state().qr_base().to_owned()
    }
    /// `active`, `locked` or `decommissioned`.
    #[getter]
    fn status(&self) -> &'static str {
        match self.inner.state().status() {
            Status::Active => "active",
            Status::Locked => "locked",
            Status::Decommissioned => "decommissioned",
        }
    }
    /// True after the right PIN (until restored).
    #[getter]
    fn is_unlocked(&self) -> bool {
        self.inner.is_unlocked()
    }
    /// Number of the last document issued.
    #[getter]
    fn last_number(&self) -> u64 {
        self.inner.state().last_number()
    }
    /// Time of the last document issued.
    #[getter]
    fn last_time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.state().last_time())
    }
    /// Documents issued and not yet acknowledged as uploaded.
    #[getter]
    fn pending(&self) -> u64 {
        self.inner.state().pending()
    }
    /// The highest number acknowledged as uploaded.
    #[getter]
    fn acknowledged(&self) -> u64 {
        self.inner.state().acknowledged()
    }
    /// The last shift's number (0 before the first).
    #[getter]
    fn last_shift(&self) -> u32 {
        self.inner.state().last_shift()
    }
    /// True while a shift is open.
    #[getter]
    fn shift_open(&self) -> bool {
        self.inner.state().shift().is_some()
    }
    /// Wrong PINs since the last right one.
    #[getter]
    fn pin_failures(&self) -> u8 {
        self.inner.state().pin_failures()
    }

    fn __repr__(&self) -> String {
        format!(
            "Device(status={}, last_number={}, shift_open={})",
            self.status(),
            self.last_number(),
            // As Python writes a bool (issue #21: not `true`).
            if self.shift_open() { "True" } else { "False" }
        )
    }
}
