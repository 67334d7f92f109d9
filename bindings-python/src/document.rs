//! Issued documents and the values they carry (SPEC.md §13): lines, tax groups, payments,
//! shift reports; their journal line, QR code and a readable dict.

use fiscal_core::device::DEFAULT_QR_BASE;
use fiscal_core::render::{Labels, Receipt};
use fiscal_core::{
    Adjustment, Amount, Content, Document, KindTotals, Line, Payments, Request, ShiftReport,
    TaxGroup, Timestamp,
};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::{json, Map, Number, Value};

use crate::certificate::PyCertificate;
use crate::convert::{datetime, decimal, json_loads};
use crate::errors::to_py_err;
use crate::keys::{PyPrivateKey, PyPublicKey};

fn labels(language: &str) -> PyResult<Labels> {
    match language {
        "az" => Ok(Labels::azerbaijani()),
        "en" => Ok(Labels::english()),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "language is \"az\" or \"en\", not {other:?}"
        ))),
    }
}

/// An exact JSON number with the value's own text (`12.50`): `serde_json`'s
/// `arbitrary_precision` keeps the digits as they are.
fn num(value: impl core::fmt::Display) -> Value {
    value
        .to_string()
        .parse::<Number>()
        .map_or(Value::Null, Value::Number)
}

/// ISO 8601 in Baku's zone, with milliseconds when there are any.
pub(crate) fn iso(t: Timestamp) -> String {
    let text = t.to_string();
    let ms = t.millis().rem_euclid(1000);
    if ms == 0 {
        return text;
    }
    match text.rsplit_once('+') {
        Some((head, zone)) => format!("{head}.{ms:03}+{zone}"),
        None => text,
    }
}

fn groups_json(groups: &[TaxGroup]) -> Value {
    Value::Array(
        groups
            .iter()
            .map(|g| {
                let mut m = Map::new();
                m.insert("category".into(), json!(g.key.category.as_str()));
                if let Some(p) = g.key.percent {
                    m.insert("percent".into(), num(p));
                }
                m.insert("gross".into(), num(g.gross));
                m.insert("tax".into(), num(g.tax));
                Value::Object(m)
            })
            .collect(),
    )
}

fn payments_json(p: &Payments) -> Value {
    json!({
        "cash": num(p.cash), "cashless": num(p.cashless), "bonus": num(p.bonus),
        "gift_card": num(p.gift_card), "fuel_card": num(p.fuel_card),
        "prepayment": num(p.prepayment), "credit": num(p.credit),
        "tendered": num(p.tendered), "change": num(p.change),
    })
}

fn report_json(z: &ShiftReport) -> Value {
    json!({
        "shift": z.shift,
        "opened_at": iso(z.opened_at),
        "first_number": z.first_number,
        "last_number": z.last_number,
        "receipts": z.receipts,
        "kinds": z.kinds.iter().map(|k| json!({
            "kind": k.kind.wire_name(),
            "count": k.count,
            "sum": num(k.sum),
            "payments": payments_json(&k.payments),
            "groups": groups_json(&k.groups),
        })).collect::<Vec<_>>(),
        "cash_in": num(z.cash_in),
        "cash_out": num(z.cash_out),
        "cash_in_drawer": num(z.cash_in_drawer()),
    })
}

fn content_json(content: &Content) -> Value {
    match content {
        Content::Activation { certificate } => json!({ "certificate": hex::encode(certificate) }),
        Content::Request(r) => serde_json::from_str(&r.to_json()).unwrap_or(Value::Null),
        Content::Cancel { request, voided } => json!({
            "doc_type": "rollback",
            "data": { "cashier": request.cashier(), "parentDocument": request.parent() },
            "voided": {
                "number": voided.number,
                "kind": voided.kind.wire_name(),
                "sum": num(voided.sum),
                "payments": payments_json(&voided.payments),
                "groups": groups_json(&voided.groups),
            },
        }),
        Content::ZReport(z) => report_json(z),
        _ => json!({}),
    }
}

fn document_json(doc: &Document) -> Value {
    let b = doc.body();
    json!({
        "number": b.number,
        "kind": b.content.name(),
        "time": iso(b.time),
        "shift": b.shift,
        "shift_receipt": b.shift_receipt,
        "fiscal_id": doc.id().long(),
        "short_id": doc.id().short(),
        "previous": hex::encode(b.previous),
        "content": content_json(&b.content),
    })
}

/// The money a document moves, whatever its kind.
struct Amounts {
    total: Amount,
    sum: Amount,
    tax_groups: Vec<TaxGroup>,
    counted_groups: Vec<TaxGroup>,
    payments: Option<Payments>,
}

fn amounts(content: &Content) -> Option<Amounts> {
    match content {
        Content::Request(r) => {
            if let Some(b) = r.body() {
                let t = b.totals();
                return Some(Amounts {
                    total: t.total(),
                    sum: t.sum(),
                    tax_groups: t.tax_groups().to_vec(),
                    counted_groups: t.counted_groups().to_vec(),
                    payments: Some(*b.payments()),
                });
            }
            match r {
                Request::Correction(c) => Some(Amounts {
                    total: c.totals().total(),
                    sum: c.totals().sum(),
                    tax_groups: c.totals().tax_groups().to_vec(),
                    counted_groups: c.totals().counted_groups().to_vec(),
                    payments: Some(*c.payments()),
                }),
                Request::Deposit(c) | Request::Withdraw(c) => Some(Amounts {
                    total: c.amount(),
                    sum: c.amount(),
                    tax_groups: Vec::new(),
                    counted_groups: Vec::new(),
                    payments: None,
                }),
                _ => None,
            }
        }
        Content::Cancel { voided, .. } => Some(Amounts {
            total: voided.sum,
            sum: voided.sum,
            tax_groups: voided.groups.clone(),
            counted_groups: voided.groups.clone(),
            payments: Some(voided.payments),
        }),
        _ => None,
    }
}

fn opt_decimal<'py>(
    py: Python<'py>,
    v: Option<impl core::fmt::Display>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    v.map(|v| decimal(py, v)).transpose()
}

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
        Document::from_parts(&bytes, key.inner.sign(&bytes))
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
        qr_svg(&self.qr_payload(base))
    }

    /// The printable receipt (SPEC.md §17) with every mandatory field, as `form` `"text"`
    /// (`width` columns, at least 24; `transliterate` for printers without Azerbaijani
    /// letters), `"svg"` or `"html"` (QR code drawn in); labels in `language` `"az"` or `"en"`.
    #[pyo3(signature = (
        certificate, *, form = "text", width = 42, language = "az", transliterate = false,
        qr_base = DEFAULT_QR_BASE
    ))]
    fn render(
        &self,
        certificate: &PyCertificate,
        form: &str,
        width: usize,
        language: &str,
        transliterate: bool,
        qr_base: &str,
    ) -> PyResult<String> {
        let l = labels(language)?;
        let receipt = Receipt {
            document: &self.inner,
            certificate: certificate.inner.body(),
            qr_base,
        };
        match form {
            "text" => Ok(receipt.text(&l, width, transliterate)),
            "svg" => receipt.svg(&l, width).map_err(to_py_err),
            "html" => receipt.html(&l, width).map_err(to_py_err),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "form is \"text\", \"svg\" or \"html\", not {other:?}"
            ))),
        }
    }

    /// The printable receipt as ESC/POS bytes for a thermal printer of `width` characters a
    /// line (32 for 58 mm, 48 for 80 mm), with the printer's own QR command.
    #[pyo3(signature = (certificate, *, width = 42, language = "az", qr_base = DEFAULT_QR_BASE))]
    fn render_escpos<'py>(
        &self,
        py: Python<'py>,
        certificate: &PyCertificate,
        width: usize,
        language: &str,
        qr_base: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let receipt = Receipt {
            document: &self.inner,
            certificate: certificate.inner.body(),
            qr_base,
        };
        Ok(PyBytes::new(py, &receipt.escpos(&labels(language)?, width)))
    }

    /// Every field, readable: amounts as `Decimal`, moments as ISO 8601 text in Baku's
    /// zone, a receipt's content in the JSON form of SPEC.md §8.4.
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &document_json(&self.inner).to_string())
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
    /// The device's 64-byte signature (r ‖ s).
    #[getter]
    fn signature<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signature().0)
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
        let total = amounts(&self.inner.body().content).map(|a| {
            a.tax_groups
                .iter()
                .fold(Amount::ZERO, |s, g| s.checked_add(g.tax).unwrap_or(s))
        });
        opt_decimal(py, total)
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

    fn __repr__(&self) -> String {
        format!(
            "Document(number={}, kind={:?}, fiscal_id='{}')",
            self.inner.number(),
            self.inner.body().content.name(),
            self.inner.id().short()
        )
    }
}

/// One line of a receipt (RC-05).
#[pyclass(module = "fiscal_core", name = "Line", frozen)]
pub(crate) struct PyLine {
    inner: Line,
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

/// A tax group: gross amount of one category and rate, and its tax.
#[pyclass(module = "fiscal_core", name = "TaxGroup", frozen)]
pub(crate) struct PyTaxGroup {
    inner: TaxGroup,
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
    inner: Payments,
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
    /// Every field as a dict (amounts as `Decimal`).
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &report_json(&self.inner).to_string())
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

/// The QR code of `payload` as an SVG image (error correction level M, 4-module quiet zone).
#[pyfunction]
pub(crate) fn qr_svg(payload: &str) -> PyResult<String> {
    fiscal_core::qr::qr_svg(payload).map_err(to_py_err)
}

/// The QR code of `payload` as Unicode half blocks, for a terminal.
#[pyfunction]
pub(crate) fn qr_terminal(payload: &str) -> PyResult<String> {
    fiscal_core::qr::qr_terminal(payload).map_err(to_py_err)
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
