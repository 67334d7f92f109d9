//! P-256 keys: the tax authority's and the device's.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use fiscal_core::{PrivateKey, PublicKey};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// Bytes given as `bytes` (or, where text is natural, `str`, taken as UTF-8).
pub(crate) fn bytes_or_text(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    borrowed_bytes_or_text(value, what).map(<[u8]>::to_vec)
}

/// [`bytes_or_text`] where the value is: a `str`'s UTF-8 is borrowed from the string (the
/// limited API of 3.10: `PyUnicode_AsUTF8AndSize`; an ASCII `str` is its own UTF-8, any
/// other is encoded once by Python and the encoding kept with the string).
pub(crate) fn borrowed_bytes_or_text<'a>(
    value: &'a Bound<'_, PyAny>,
    what: &str,
) -> PyResult<&'a [u8]> {
    if let Ok(b) = value.downcast::<PyBytes>() {
        return Ok(b.as_bytes());
    }
    if let Ok(s) = value.downcast::<PyString>() {
        return Ok(s.to_str()?.as_bytes());
    }
    Err(PyTypeError::new_err(format!(
        "{what} is bytes or str, not {}",
        value.get_type().name()?
    )))
}

/// A P-256 private key (an authority's or a device's). Never printed.
#[pyclass(module = "fiscal_core", name = "PrivateKey", frozen)]
pub(crate) struct PyPrivateKey {
    pub(crate) inner: PrivateKey,
}

#[pymethods]
impl PyPrivateKey {
    /// A key derived from a seed (SPEC.md §12.3). For tests, vectors and demos only: anyone
    /// who knows the seed has the key.
    #[staticmethod]
    fn from_seed(seed: &Bound<'_, PyAny>) -> PyResult<Self> {
        let seed = bytes_or_text(seed, "the seed")?;
        Ok(PyPrivateKey {
            inner: PrivateKey::from_seed(&seed),
        })
    }

    /// The key with this 32-byte big-endian scalar.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        PrivateKey::from_bytes(data)
            .map(|inner| PyPrivateKey { inner })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The 32-byte scalar: the secret itself.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes()[..])
    }

    /// The matching public key.
    fn public_key(&self) -> PyPublicKey {
        PyPublicKey {
            inner: self.inner.public_key(),
        }
    }

    fn __repr__(&self) -> String {
        format!("PrivateKey(public={})", self.inner.public_key())
    }
}

/// A P-256 public key, written as 33 bytes of compressed SEC1 (66 hex characters).
#[pyclass(module = "fiscal_core", name = "PublicKey", frozen)]
#[derive(Clone)]
pub(crate) struct PyPublicKey {
    pub(crate) inner: PublicKey,
}

#[pymethods]
impl PyPublicKey {
    /// Reads a SEC1 key: 33 bytes compressed or 65 uncompressed.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        PublicKey::from_sec1(data)
            .map(|inner| PyPublicKey { inner })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Reads the hexadecimal form of a SEC1 key (surrounding white space ignored).
    #[staticmethod]
    fn from_hex(text: &str) -> PyResult<Self> {
        let bytes = hex::decode(text.trim())
            .map_err(|e| PyValueError::new_err(format!("not hexadecimal: {e}")))?;
        Self::from_bytes(&bytes)
    }

    /// The 33-byte compressed SEC1 form.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_sec1())
    }

    /// The compressed SEC1 form in lowercase hexadecimal.
    fn hex(&self) -> String {
        hex::encode(self.inner.to_sec1())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<PyPublicKey>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.inner.to_sec1().hash(&mut h);
        h.finish()
    }

    fn __str__(&self) -> String {
        self.hex()
    }

    fn __repr__(&self) -> String {
        format!("PublicKey('{}')", self.hex())
    }
}
