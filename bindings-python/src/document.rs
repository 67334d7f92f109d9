//! Issued documents (SPEC.md §13): the Python `Document` class, its fields and the values it
//! carries. Its readable dict is the engine's description (`fiscal_core::describe`, SPEC.md
//! §8.5), its receipt drawn by the engine through [`crate::render`]; its lines, money and shift report are in [`crate::line`], [`crate::money`]
//! and [`crate::shift_report`].

use fiscal_core::qr::DEFAULT_QR_BASE;
use fiscal_core::{Content, Document};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::certificate::PyCertificate;
use crate::convert::{datetime, json_loads};
use crate::errors::to_py_err;
use crate::keys::{PyPrivateKey, PyPublicKey};
use crate::line::PyLine;
use crate::money::{amounts, opt_decimal, PyPayments, PyTaxGroup};

// Where device.rs finds it (it was defined here before the split).
pub(crate) use crate::shift_report::PyShiftReport;

/// A signed, numbered, chained document: what the device issues and the journal holds.
#[pyclass(module = "fiscal_core", name = "Document", frozen)]
#[derive(Clone)]
pub(crate) struct PyDocument {
    pub(crate) inner: Document,
}

#[pymethods]
impl PyDocument {
    /// Reads a journal line (SPEC.md §13.5). Raises `FormatError` (`invalid_document`) or
    /// `CryptoError` (`wrong_fiscal_id`); the signature is not checked here.
    #[staticmethod]
    fn from_json(line: &str) -> PyResult<Self> {
        Document::from_journal_line(line.trim_end_matches(['\n', '\r']))
            .map(|inner| PyDocument { inner })
            .map_err(to_py_err)
    }

    /// **Test and lab tool** (conformance vectors of the encoding family): signs an arbitrary
    /// document body with `key`, as a device holding that key would, without any of the
    /// device's checks. `body_json` is the body's serde JSON form (`DocumentBody`: amounts as
    /// decimal text, `previous` as hex, enums by their Rust variant names). A POS never needs
    /// this: documents come from `Device`. Raises `FormatError` (`invalid_document`) when the
    /// JSON is not a body.
    #[staticmethod]
    fn lab_sign_body(body_json: &str, key: &PyPrivateKey) -> PyResult<Self> {
        let body: fiscal_core::DocumentBody = serde_json::from_str(body_json).map_err(|e| {
            to_py_err(fiscal_core::Error::InvalidDocument(format!(
                "not a document body: {e}"
            )))
        })?;
        let bytes = body.signed_bytes();
        let (signature, nonce) = key.inner.sign_with_nonce(&bytes);
        Document::from_parts(&bytes, signature, nonce)
            .map(|inner| PyDocument { inner })
            .map_err(to_py_err)
    }

    /// The journal line (SPEC.md §13.5): one JSON object, no line break.
    fn to_json(&self) -> String {
        self.inner.to_journal_line()
    }

    /// True when the signature is the device's (`key`: the certificate's device key).
    fn verify_signature(&self, key: &PyPublicKey) -> bool {
        self.inner.verify(&key.inner)
    }

    /// The QR text (RC-09): `base` followed by the long fiscal ID.
    #[pyo3(signature = (base = DEFAULT_QR_BASE))]
    fn qr_payload(&self, base: &str) -> String {
        fiscal_core::qr::payload(base, &self.inner.id())
    }

    /// The QR code of `qr_payload(base)` as an SVG image (error correction level M).
    #[pyo3(signature = (base = DEFAULT_QR_BASE))]
    fn qr_svg(&self, base: &str) -> PyResult<String> {
        crate::render::qr_svg(&self.qr_payload(base))
    }

    /// The printable receipt (SPEC.md §17) drawn by the engine, with every mandatory field, as
    /// `form` `"text"` (`transliterate` for printers without Azerbaijani letters), `"svg"` or
    /// `"html"` (QR code drawn in), `width` 24 to 200 characters (another width raises
    /// `ValidationError` `out_of_range`); labels in `language` `"az"` or `"en"`. With
    /// `certificate` `None`, the document alone, without the taxpayer and kassa rows: a
    /// reader's view (`fiscal-core show`), not a receipt to hand over.
    #[pyo3(signature = (
        certificate, *, form = "text", width = 42, language = "az", transliterate = false,
        qr_base = DEFAULT_QR_BASE
    ))]
    fn render(
        &self,
        certificate: Option<&PyCertificate>,
        form: &str,
        width: usize,
        language: &str,
        transliterate: bool,
        qr_base: &str,
    ) -> PyResult<String> {
        crate::render::receipt(
            &self.inner,
            certificate,
            form,
            width,
            language,
            transliterate,
            qr_base,
        )
    }

    /// The printable receipt as ESC/POS bytes for a thermal printer of `width` characters a
    /// line (32 for 58 mm, 48 for 80 mm; 24 to 200), by printer profile (SPEC.md §17):
    /// `profile="raster"` (default) prints it as an image, every Azerbaijani letter as drawn,
    /// `dots` wide (`None`: 384 up to 32 columns, else 576; a multiple of 8 from 128 to 2048),
    /// the QR drawn in (`qr="drawn"`) or by the printer's `GS ( k` (`qr="command"`);
    /// `profile="text"`, for printers that cannot print images, transliterates to ASCII.
    #[pyo3(signature = (
        certificate, *, width = 42, language = "az", qr_base = DEFAULT_QR_BASE,
        profile = "raster", dots = None, qr = "drawn"
    ))]
    #[allow(clippy::too_many_arguments)]
    fn render_escpos<'py>(
        &self,
        py: Python<'py>,
        certificate: &PyCertificate,
        width: usize,
        language: &str,
        qr_base: &str,
        profile: &str,
        dots: Option<u32>,
        qr: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = crate::render::escpos(
            &self.inner,
            certificate,
            width,
            language,
            qr_base,
            profile,
            dots,
            qr,
        )?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// The e-mail receipt's parts as the engine makes them (SPEC.md §17): `(subject, text,
    /// html, qr_content_id, qr_png)` — the HTML is tables and inline styles, its QR
    /// `cid:<qr_content_id>`, the PNG part. `fiscal_core.email_receipt.message` builds the
    /// MIME message from them.
    #[pyo3(signature = (certificate, *, language = "az", qr_base = DEFAULT_QR_BASE))]
    fn render_email<'py>(
        &self,
        py: Python<'py>,
        certificate: &PyCertificate,
        language: &str,
        qr_base: &str,
    ) -> PyResult<(String, String, String, String, Bound<'py, PyBytes>)> {
        let e = crate::render::email(&self.inner, certificate, language, qr_base)?;
        Ok((
            e.subject,
            e.text,
            e.html,
            e.qr_content_id,
            PyBytes::new(py, &e.qr_png),
        ))
    }

    /// The engine's description (SPEC.md §8.5) as JSON text: the same bytes as the C
    /// `fc_document_describe` for the same document and QR base. Members in alphabetical
    /// order, decimals as strings with their scale, moments as `…_ms` and ISO 8601 text in
    /// Baku's zone; a receipt's `content` is its request in the JSON form of SPEC.md §8.4.
    #[pyo3(signature = (qr_base = DEFAULT_QR_BASE))]
    fn describe_json(&self, qr_base: &str) -> String {
        fiscal_core::describe::document(&self.inner, qr_base, &[]).to_string()
    }

    /// Every field, readable: the parsed `describe_json(qr_base)` (the request's numbers in
    /// `content` as exact `Decimal`s; the description's own decimals are strings).
    #[pyo3(signature = (qr_base = DEFAULT_QR_BASE))]
    fn as_dict<'py>(&self, py: Python<'py>, qr_base: &str) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.describe_json(qr_base))
    }

    /// The document number (NM-03).
    #[getter]
    fn number(&self) -> u64 {
        self.inner.number()
    }
    /// What it records: `activation`, `open_shift`, a `doc_type` (`sale`, `money_back`,
    /// `rollback`, `prepay`, `creditpay`, `deposit`, `withdraw`, `correction`), `zreport` or
    /// `decommission`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.body().content.name()
    }
    /// True for receipts (sale, return, cancel, advance, credit payment: RC-06).
    #[getter]
    fn is_receipt(&self) -> bool {
        self.inner
            .body()
            .content
            .doc_type()
            .is_some_and(|k| k.is_receipt())
    }
    /// When it was issued (timezone-aware, Baku).
    #[getter]
    fn time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.inner.body().time)
    }
    /// The shift it belongs to (0 before the first).
    #[getter]
    fn shift(&self) -> u32 {
        self.inner.body().shift
    }
    /// The receipt's counter within its shift (RC-06); 0 for other documents.
    #[getter]
    fn shift_receipt(&self) -> u32 {
        self.inner.body().shift_receipt
    }
    /// The long fiscal ID: 64 hexadecimal characters (NM-02).
    #[getter]
    fn fiscal_id(&self) -> String {
        self.inner.id().long()
    }
    /// The short fiscal ID printed on the receipt: the first 12 characters.
    #[getter]
    fn short_id(&self) -> String {
        self.inner.id().short()
    }
    /// The previous document's long fiscal ID (document 1: the certificate's hash).
    #[getter]
    fn previous(&self) -> String {
        hex::encode(self.inner.body().previous)
    }
    /// The signed bytes (SPEC.md §13.1).
    #[getter]
    fn signed_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.signed_bytes())
    }
    /// The device's 64-byte signature (r ‖ s): what a standard ECDSA verifier checks.
    #[getter]
    fn signature<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signature().0)
    }
    /// The signature's nonce point R as 64 bytes, R.x ‖ R.y (SPEC.md §13.2, v3): r = R.x mod
    /// n, and R = (e/s)·G + (r/s)·Q exactly when the signature is valid.
    #[getter]
    fn nonce_point<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.nonce_point().0)
    }
    /// The cashier, for receipts and cash documents.
    #[getter]
    fn cashier(&self) -> Option<String> {
        match &self.inner.body().content {
            Content::Request(r) => Some(r.cashier().to_owned()),
            Content::Cancel { request, .. } => Some(request.cashier().to_owned()),
            _ => None,
        }
    }
    /// The lines of a receipt with lines; empty otherwise.
    #[getter]
    fn lines(&self) -> Vec<PyLine> {
        match &self.inner.body().content {
            Content::Request(r) => r.body().map_or_else(Vec::new, |b| {
                b.lines()
                    .iter()
                    .map(|l| PyLine { inner: l.clone() })
                    .collect()
            }),
            _ => Vec::new(),
        }
    }
    /// The total: Σ line totals, a correction's sum, the cash moved, or for a cancel the
    /// voided receipt's sum. `None` for the device's own records.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_decimal(py, amounts(&self.inner.body().content).map(|a| a.total))
    }
    /// The `sum` the tax service books (SPEC.md §5.4): on a sale the part paid now.
    #[getter]
    fn sum<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_decimal(py, amounts(&self.inner.body().content).map(|a| a.sum))
    }
    /// Σ tax over `tax_groups`.
    #[getter]
    fn tax_total<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        opt_decimal(
            py,
            amounts(&self.inner.body().content).map(|a| a.tax_total()),
        )
    }
    /// Tax groups of the goods (SPEC.md §5.3), in their order.
    #[getter]
    fn tax_groups(&self) -> Vec<PyTaxGroup> {
        amounts(&self.inner.body().content).map_or_else(Vec::new, |a| {
            a.tax_groups
                .into_iter()
                .map(|g| PyTaxGroup { inner: g })
                .collect()
        })
    }
    /// The groups counted on this document (`vatAmounts`, SPEC.md §5.4).
    #[getter]
    fn counted_groups(&self) -> Vec<PyTaxGroup> {
        amounts(&self.inner.body().content).map_or_else(Vec::new, |a| {
            a.counted_groups
                .into_iter()
                .map(|g| PyTaxGroup { inner: g })
                .collect()
        })
    }
    /// The payments by form; `None` for cash in/out and the device's own records.
    #[getter]
    fn payments(&self) -> Option<PyPayments> {
        amounts(&self.inner.body().content)
            .and_then(|a| a.payments)
            .map(|inner| PyPayments { inner })
    }
    /// The fiscal IDs this document refers to: a return's, cancel's or instalment's parent,
    /// or the advances a sale consumes.
    #[getter]
    fn references(&self) -> Vec<String> {
        match &self.inner.body().content {
            Content::Request(r) => r.references().into_iter().map(str::to_owned).collect(),
            Content::Cancel { request, .. } => vec![request.parent().to_owned()],
            _ => Vec::new(),
        }
    }
    /// For a Z-report, the shift's report.
    #[getter]
    fn z_report(&self) -> Option<PyShiftReport> {
        match &self.inner.body().content {
            Content::ZReport(z) => Some(PyShiftReport { inner: z.clone() }),
            _ => None,
        }
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .downcast::<PyDocument>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        let id = self.inner.id().0;
        u64::from_le_bytes([id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]])
    }

    /// What Jupyter shows for a document: the engine's HTML drawing of it, without the
    /// certificate (the taxpayer rows need it: `render(certificate, form="html")`).
    fn _repr_html_(&self) -> PyResult<String> {
        crate::render::receipt(
            &self.inner,
            None,
            "html",
            42,
            "az",
            false,
            fiscal_core::qr::DEFAULT_QR_BASE,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Document(number={}, kind={:?}, fiscal_id='{}')",
            self.inner.number(),
            self.inner.body().content.name(),
            self.inner.id().short()
        )
    }
}

/// Documents given to an operation (references), as engine values.
pub(crate) fn documents(list: &Bound<'_, PyAny>) -> PyResult<Vec<Document>> {
    let mut out = Vec::new();
    for item in list.try_iter()? {
        let item = item?;
        let doc = item.downcast::<PyDocument>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err("references are fiscal_core.Document objects")
        })?;
        out.push(doc.get().inner.clone());
    }
    Ok(out)
}
