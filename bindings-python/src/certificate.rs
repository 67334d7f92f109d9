//! The device's certificate (SPEC.md §12).

use fiscal_core::{Certificate, CertificateBody};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::convert::{datetime, timestamp};
use crate::errors::to_py_err;
use crate::keys::{PyPrivateKey, PyPublicKey};

/// A certificate: who the kassa belongs to, where it works, until when, and its public key,
/// signed by the tax authority. Holding one proves nothing until `verify` has checked it.
#[pyclass(module = "fiscal_core", name = "Certificate", frozen)]
#[derive(Clone)]
pub(crate) struct PyCertificate {
    pub(crate) inner: Certificate,
}

#[pymethods]
impl PyCertificate {
    /// Issues a certificate signed by `authority` (what the tax authority, or a test one,
    /// does). Raises `StateError` (`invalid_certificate`) when a field breaks SPEC.md §12.1.
    #[staticmethod]
    #[pyo3(signature = (
        authority, *, serial, kassa_model, kassa_factory_number, nmq_factory_number,
        nmq_registration_number, taxpayer_name, voen, object_code, object_name, object_address,
        valid_from, valid_until, device_key
    ))]
    #[allow(clippy::too_many_arguments)] // one keyword argument per certified field
    fn issue(
        authority: &PyPrivateKey,
        serial: u64,
        kassa_model: String,
        kassa_factory_number: String,
        nmq_factory_number: String,
        nmq_registration_number: String,
        taxpayer_name: String,
        voen: String,
        object_code: String,
        object_name: String,
        object_address: String,
        valid_from: &Bound<'_, PyAny>,
        valid_until: &Bound<'_, PyAny>,
        device_key: &PyPublicKey,
    ) -> PyResult<Self> {
        let body = CertificateBody {
            serial,
            kassa_model,
            kassa_factory_number,
            nmq_factory_number,
            nmq_registration_number,
            taxpayer_name,
            voen,
            object_code,
            object_name,
            object_address,
            valid_from: timestamp(valid_from)?,
            valid_until: timestamp(valid_until)?,
            device_key: device_key.inner,
        };
        Certificate::issue(body, &authority.inner)
            .map(|inner| PyCertificate { inner })
            .map_err(to_py_err)
    }

    /// Checks the authority's signature and the field rules: raises `CryptoError`
    /// (`certificate_signature`) or `StateError` (`invalid_certificate`).
    fn verify(&self, authority: &PyPublicKey) -> PyResult<()> {
        self.inner.verify(&authority.inner).map_err(to_py_err)
    }

    /// True when the certificate is valid at `now` (a timezone-aware datetime).
    fn is_valid_at(&self, now: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.validity_at(timestamp(now)?).is_ok())
    }

    /// The canonical bytes (SPEC.md §12.2).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads canonical bytes (not yet verified).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Certificate::from_bytes(data)
            .map(|inner| PyCertificate { inner })
            .map_err(to_py_err)
    }

    /// The JSON form.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads the JSON form (not yet verified).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Certificate::from_json(text)
            .map(|inner| PyCertificate { inner })
            .map_err(to_py_err)
    }

    /// The journal's first line (SPEC.md §13.5).
    fn to_journal_line(&self) -> String {
        self.inner.to_journal_line()
    }

    /// Reads a journal's certificate line (not yet verified).
    #[staticmethod]
    fn from_journal_line(line: &str) -> PyResult<Self> {
        Certificate::from_journal_line(line)
            .map(|inner| PyCertificate { inner })
            .map_err(to_py_err)
    }

    /// SHA-256 of the signed bytes and the signature: what document 1 chains to.
    #[getter]
    fn hash<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.hash())
    }

    /// The authority's 64-byte signature (r ‖ s).
    #[getter]
    fn signature<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signature().0)
    }

    /// The certificate's serial number.
    #[getter]
    fn serial(&self) -> u64 {
        self.inner.body().serial
    }
    /// The kassa's brand and model.
    #[getter]
    fn kassa_model(&self) -> &str {
        &self.inner.body().kassa_model
    }
    /// The kassa's factory number.
    #[getter]
    fn kassa_factory_number(&self) -> &str {
        &self.inner.body().kassa_factory_number
    }
    /// The control device's factory number.
    #[getter]
    fn nmq_factory_number(&self) -> &str {
        &self.inner.body().nmq_factory_number
    }
    /// The control device's registration number.
    #[getter]
    fn nmq_registration_number(&self) -> &str {
        &self.inner.body().nmq_registration_number
    }
    /// The taxpayer's name.
    #[getter]
    fn taxpayer_name(&self) -> &str {
        &self.inner.body().taxpayer_name
    }
    /// The taxpayer's VÖEN (10 digits).
    #[getter]
    fn voen(&self) -> &str {
        &self.inner.body().voen
    }
    /// The object's code in the tax registry.
    #[getter]
    fn object_code(&self) -> &str {
        &self.inner.body().object_code
    }
    /// The object's name.
    #[getter]
    fn object_name(&self) -> &str {
        &self.inner.body().object_name
    }
    /// The object's address.
    #[getter]
    fn object_address(&self) -> &str {
        &self.inner.body().object_address
    }
    /// First moment of validity.
    #[getter]
    fn valid_from<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.body().valid_from)
    }
    /// First moment of invalidity.
    #[getter]
    fn valid_until<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.body().valid_until)
    }
    /// The certified device key.
    #[getter]
    fn device_key(&self) -> PyPublicKey {
        PyPublicKey {
            inner: self.inner.body().device_key,
        }
    }

    /// The certified fields as a dict (moments as datetimes, the key as hex).
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let b = self.inner.body();
        let d = PyDict::new(py);
        d.set_item("serial", b.serial)?;
        d.set_item("kassa_model", &b.kassa_model)?;
        d.set_item("kassa_factory_number", &b.kassa_factory_number)?;
        d.set_item("nmq_factory_number", &b.nmq_factory_number)?;
        d.set_item("nmq_registration_number", &b.nmq_registration_number)?;
        d.set_item("taxpayer_name", &b.taxpayer_name)?;
        d.set_item("voen", &b.voen)?;
        d.set_item("object_code", &b.object_code)?;
        d.set_item("object_name", &b.object_name)?;
        d.set_item("object_address", &b.object_address)?;
        d.set_item("valid_from", datetime(py, b.valid_from)?)?;
        d.set_item("valid_until", datetime(py, b.valid_until)?)?;
        d.set_item("device_key", hex::encode(b.device_key.to_sec1()))?;
        d.set_item("hash", hex::encode(self.inner.hash()))?;
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<PyCertificate>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        let h = self.inner.hash();
        u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
    }

    fn __repr__(&self) -> String {
        format!(
            "Certificate(serial={}, taxpayer={:?}, voen={:?})",
            self.inner.body().serial,
            self.inner.body().taxpayer_name,
            self.inner.body().voen
        )
    }
}
