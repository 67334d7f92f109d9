//! Verification of one document and of whole journals (SPEC.md §15), streaming and parallel.
//!
//! The engine's [`fiscal_core::JournalVerification`] does the work: the calling thread reads
//! the journal in chunks of lines and feeds them, in order, to one `JournalVerifier`, while
//! worker threads prepare the chunks ahead — JSON, hex, the body, the fiscal ID, the ECDSA
//! signature and the re-validation of each receipt — so only the cheap sequential checks
//! (numbering, chain, time, shifts, references) run in journal order. Memory stays bounded by
//! a few chunks plus the engine's compact index of receipts. The whole run releases the GIL;
//! the progress callback takes it back only while it is called.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Seek};
use std::path::PathBuf;

use fiscal_core::{ErrorCode, Finding, JournalReport, JournalVerification, PublicKey, RateTable};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::certificate::PyCertificate;
use crate::convert::{datetime, json_loads};
use crate::document::PyDocument;
use crate::errors::to_py_err;
use crate::keys::{borrowed_bytes_or_text, PyPublicKey};

/// Why a run stopped early.
enum Stop {
    Io(io::Error),
    Python(PyErr),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

/// Verifies a journal read from `reader` on `workers` threads; `progress` is told the bytes
/// read after each chunk and may stop the run. With `low_memory`, the reader is read twice
/// (first for the receipts something refers to, then indexing only those).
fn verify_stream<R, P>(
    reader: R,
    authority: &PublicKey,
    workers: usize,
    low_memory: bool,
    excerpt_from: u64,
    progress: P,
) -> Result<JournalReport, Stop>
where
    R: BufRead + Seek,
    P: FnMut(u64) -> Result<(), Stop>,
{
    let rates = RateTable::azerbaijan();
    JournalVerification::new(authority, &rates)
        .workers(workers)
        .low_memory(low_memory)
        .excerpt_from(excerpt_from)
        .verify_reader(reader, progress)
}

fn worker_count(workers: Option<usize>) -> PyResult<usize> {
    match workers {
        Some(0) => Err(PyValueError::new_err("workers must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn run<R, O>(
    py: Python<'_>,
    open: O,
    authority: PublicKey,
    workers: Option<usize>,
    low_memory: bool,
    excerpt_from: Option<u64>,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyJournalReport>
where
    R: BufRead + Seek + Send,
    O: FnOnce() -> io::Result<(R, u64)> + Send,
{
    let workers = worker_count(workers)?;
    // Everything from opening the input on (a FIFO's open blocks) runs without the GIL.
    let result = py.allow_threads(move || {
        let (reader, total) = open()?;
        verify_stream(
            reader,
            &authority,
            workers,
            low_memory,
            excerpt_from.unwrap_or(1),
            |done| match &progress {
                None => Ok(()),
                Some(callback) => Python::with_gil(|py| {
                    callback
                        .call1(py, (done, total))
                        .map(|_| ())
                        .map_err(Stop::Python)
                }),
            },
        )
    });
    match result {
        Ok(report) => Ok(PyJournalReport { inner: report }),
        Err(Stop::Io(e)) => Err(e.into()),
        Err(Stop::Python(e)) => Err(e),
    }
}

/// A path as the operating system has it: `os.fsencode` raises a Python exception for what
/// cannot be a file name (a lone surrogate, a wrong type), where PyO3's own `PathBuf`
/// conversion would panic.
fn fs_path(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    let encoded = py.import("os")?.call_method1("fsencode", (path,))?;
    let bytes: Vec<u8> = encoded.extract()?;
    if bytes.is_empty() || bytes.contains(&0) {
        return Err(pyo3::exceptions::PyValueError::new_err("not a file name"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Ok(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        Ok(PathBuf::from(String::from_utf8(bytes).map_err(|_| {
            pyo3::exceptions::PyValueError::new_err("not a file name")
        })?))
    }
}

/// Verifies the journal file at `path` (SPEC.md §13.5, §15.2), streaming, on `workers`
/// threads (default: every core), without holding the GIL. `progress(bytes_read,
/// file_size)` is called after each chunk. With `low_memory`, the file is read twice: first
/// for what its documents refer to, then to verify, indexing only those receipts — the same
/// report, with memory that grows with the references, not the journal (SPEC.md §15.2);
/// `progress` covers the second reading. With `excerpt_from` N, the file is an excerpt whose
/// first document is number N (SPEC.md §15.4): what depends on the documents before it is
/// listed in `unchecked`, not reported. Raises `OSError` when the file cannot be read;
/// everything wrong inside it is a finding of the report.
#[pyfunction]
#[pyo3(signature = (path, authority, *, workers = None, progress = None, low_memory = false, excerpt_from = None))]
pub(crate) fn verify_journal_file(
    py: Python<'_>,
    path: &Bound<'_, PyAny>,
    authority: &PyPublicKey,
    workers: Option<usize>,
    progress: Option<Py<PyAny>>,
    low_memory: bool,
    excerpt_from: Option<u64>,
) -> PyResult<PyJournalReport> {
    let path = fs_path(py, path)?;
    let open = move || {
        let file = File::open(&path)?;
        let total = file.metadata().map_or(0, |m| m.len());
        Ok((BufReader::with_capacity(1 << 20, file), total))
    };
    run(
        py,
        open,
        authority.inner,
        workers,
        low_memory,
        excerpt_from,
        progress,
    )
}

/// Verifies a journal given as `bytes` or `str` (SPEC.md §13.5, §15.2), like
/// `verify_journal_file` (`excerpt_from`: SPEC.md §15.4).
#[pyfunction]
#[pyo3(signature = (journal, authority, *, workers = None, excerpt_from = None))]
pub(crate) fn verify_journal(
    py: Python<'_>,
    journal: &Bound<'_, PyAny>,
    authority: &PyPublicKey,
    workers: Option<usize>,
    excerpt_from: Option<u64>,
) -> PyResult<PyJournalReport> {
    // A journal is ASCII (its documents are hex): a `str` holding one is read in place.
    let data = borrowed_bytes_or_text(journal, "the journal")?;
    // Read where they are (`bytes` do not change), without the GIL.
    let Ok(text) = std::str::from_utf8(data) else {
        // Bytes that are not UTF-8: read as a file is, each line that is not UTF-8 reported
        // (`invalid_document`).
        let total = data.len() as u64;
        return run(
            py,
            move || Ok((Cursor::new(data), total)),
            authority.inner,
            workers,
            false,
            excerpt_from,
            None,
        );
    };
    // A text is verified as the engine's `verify_text` reads it, its lines borrowed, not
    // copied into chunks as a reader's are: the same report (`verify_reader`'s contract), a
    // tenth faster on two workers (100,401 documents).
    let workers = worker_count(workers)?;
    let authority = authority.inner;
    let report = py.allow_threads(move || {
        let rates = RateTable::azerbaijan();
        JournalVerification::new(&authority, &rates)
            .workers(workers)
            .excerpt_from(excerpt_from.unwrap_or(1))
            .verify_text(text)
    });
    Ok(PyJournalReport { inner: report })
}

/// Verifies one document (SPEC.md §15.1): the certificate against the authority, the
/// signature against the certificate's key, the time within its validity. Raises the
/// engine's error when one does not hold.
#[pyfunction]
pub(crate) fn verify_document(
    document: &PyDocument,
    certificate: &PyCertificate,
    authority: &PyPublicKey,
) -> PyResult<()> {
    fiscal_core::verify_document(&document.inner, &certificate.inner, &authority.inner)
        .map_err(to_py_err)
}

/// One break found in a journal: its stable code and rule, where, and a message for people.
#[pyclass(module = "fiscal_core", name = "Finding", frozen)]
pub(crate) struct PyFinding {
    inner: Finding,
}

#[pymethods]
impl PyFinding {
    /// The stable code, e.g. `number_gap`.
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }
    /// The code's number, e.g. 271.
    #[getter]
    fn code_number(&self) -> u16 {
        self.inner.code.number()
    }
    /// The rule broken, e.g. `NM-03`.
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule()
    }
    /// The document's number, when known.
    #[getter]
    fn document_number(&self) -> Option<u64> {
        self.inner.number
    }
    /// The journal line, from 1.
    #[getter]
    fn line(&self) -> Option<usize> {
        self.inner.line
    }
    /// For people; never parse it.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(code={:?}, line={}, document_number={})",
            self.inner.code.as_str(),
            py_option(self.inner.line),
            py_option(self.inner.number)
        )
    }
}

/// What a journal verification found: counts, the last document and shift (what completeness
/// is checked against, SPEC.md §15.3) and every finding, in journal order.
#[pyclass(module = "fiscal_core", name = "JournalReport", frozen)]
pub(crate) struct PyJournalReport {
    inner: JournalReport,
}

#[pymethods]
impl PyJournalReport {
    /// True when nothing was found.
    #[getter]
    fn is_valid(&self) -> bool {
        self.inner.is_valid()
    }
    /// Lines read (documents or not).
    #[getter]
    fn lines(&self) -> usize {
        self.inner.lines
    }
    /// Documents read.
    #[getter]
    fn documents(&self) -> u64 {
        self.inner.documents
    }
    /// Of them, receipts.
    #[getter]
    fn receipts(&self) -> u64 {
        self.inner.receipts
    }
    /// Findings found after the first 10 000 (those are kept): counted, not kept, so a
    /// hostile journal cannot fill memory with them.
    #[getter]
    fn findings_dropped(&self) -> u64 {
        self.inner.findings_dropped
    }
    /// The number of the last document whose signature is the device's, in journal order
    /// (SPEC.md §15.3): what to compare with the device's last number and the tax service's
    /// upload acknowledgements, which show documents removed from the end. `None` when no
    /// document's signature verified.
    #[getter]
    fn last_number(&self) -> Option<u64> {
        self.inner.last_number
    }
    /// That last document's fiscal ID (64 hexadecimal characters), or `None`.
    #[getter]
    fn last_fiscal_id(&self) -> Option<String> {
        self.inner.last_fiscal_id.map(|id| id.long())
    }
    /// That last document's time (a timezone-aware datetime in Baku's zone), or `None`.
    #[getter]
    fn last_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.last_time.map(|t| datetime(py, t)).transpose()
    }
    /// The shift of the last signed document that belongs to a shift (not the activation or
    /// decommissioning), or `None`.
    #[getter]
    fn last_shift(&self) -> Option<u32> {
        self.inner.last_shift
    }
    /// True when that document is the Z-report closing `last_shift`; false when the journal
    /// ends inside the shift (or has none).
    #[getter]
    fn last_shift_closed(&self) -> bool {
        self.inner.last_shift_closed
    }
    /// Every finding, in journal order (the first 10 000; see `findings_dropped`).
    #[getter]
    fn findings(&self) -> Vec<PyFinding> {
        self.inner
            .findings
            .iter()
            .map(|f| PyFinding { inner: f.clone() })
            .collect()
    }
    /// What could not be checked here, which is no break (SPEC.md §15.2): returns and
    /// instalments on receipts of the deployed system (`foreign_reference`), the first
    /// 10 000; `unchecked_total` counts them all.
    #[getter]
    fn unchecked(&self) -> Vec<PyFinding> {
        self.inner
            .unchecked
            .iter()
            .map(|f| PyFinding { inner: f.clone() })
            .collect()
    }
    /// How many things could not be checked here, kept or not.
    #[getter]
    fn unchecked_total(&self) -> u64 {
        self.inner.unchecked_total
    }
    /// True when some finding has the stable code `code` (e.g. `"number_gap"`).
    fn has(&self, code: &str) -> PyResult<bool> {
        let code = ErrorCode::from_name(code)
            .ok_or_else(|| PyValueError::new_err(format!("no error code is named {code:?}")))?;
        Ok(self.inner.has(code))
    }
    /// The report as JSON text (what `fiscal-core verify --json` prints): the engine's
    /// description (SPEC.md §8.5), the same bytes as the C `fc_verify_journal` report.
    fn to_json(&self) -> String {
        fiscal_core::describe::journal_report(&self.inner).to_string()
    }
    /// The report as a dict (the parsed `to_json()`).
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.to_json())
    }

    fn __repr__(&self) -> String {
        format!(
            "JournalReport(valid={}, lines={}, documents={}, receipts={}, findings={})",
            if self.inner.is_valid() {
                "True"
            } else {
                "False"
            },
            self.inner.lines,
            self.inner.documents,
            self.inner.receipts,
            self.inner.findings.len()
        )
    }
}

/// A Rust option as Python writes it: the value, or `None` (issue #21: not `Some(201)`).
fn py_option<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "None".to_string(), |v| v.to_string())
}
