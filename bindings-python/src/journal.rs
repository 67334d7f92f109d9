//! Verification of one document and of whole journals (SPEC.md §15), streaming and parallel.
//!
//! A journal is read in chunks of lines, so memory stays bounded by two chunks plus what the
//! engine's [`JournalVerifier`] keeps (its index of receipts and IDs). The costly part of each
//! line — hex decoding, reading the body and checking the ECDSA signature — runs on every
//! worker at once (rayon); the documents then go to the verifier in journal order through
//! [`JournalVerifier::add_checked`], while the workers already parse the next chunk. Lines that
//! are not documents (the certificate line, blank or broken lines) go through
//! [`JournalVerifier::add_line`] so that the verifier numbers them and reports them itself. The
//! whole run releases the GIL.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::PathBuf;

use fiscal_core::{
    Document, ErrorCode, Finding, JournalReport, JournalVerifier, PublicKey, RateTable,
};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use crate::certificate::PyCertificate;
use crate::convert::json_loads;
use crate::document::PyDocument;
use crate::errors::to_py_err;
use crate::keys::{bytes_or_text, PyPublicKey};

/// Lines read, parsed and checked together.
const CHUNK_LINES: usize = 4096;
/// …or fewer, when they add up to this many bytes.
const CHUNK_BYTES: usize = 16 << 20;
/// A longer line is not read into memory: it is reported and skipped.
const MAX_LINE: usize = 64 << 20;

/// One line as read: its bytes without the line ending, or `None` when it was too long.
struct RawLine(Option<Vec<u8>>);

/// What the workers make of a line.
enum Item {
    /// Text for [`JournalVerifier::add_line`]: the certificate line, a blank or broken line,
    /// or any line before the certificate is known.
    Raw(String),
    /// Not text at all (not UTF-8, or too long): reported here as `invalid_document`.
    NotText(String),
    /// A document and whether its signature is the device's.
    Checked(Box<Document>, bool),
}

/// Why a run stopped early.
enum Stop {
    Io(io::Error),
    Python(PyErr),
    Pool(String),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

/// Reads one line of at most [`MAX_LINE`] bytes; returns the bytes consumed (0 at the end).
/// Line endings are those of `str::lines`: `\n`, or `\r\n`.
fn read_line<R: BufRead>(r: &mut R) -> io::Result<(RawLine, usize)> {
    let mut buf = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut buf)?;
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok((RawLine(Some(buf)), n));
    }
    if buf.len() <= MAX_LINE {
        return Ok((RawLine(Some(buf)), n)); // the last line, without a line ending
    }
    // Too long: skip to the end of the line without keeping it.
    let mut consumed = n;
    loop {
        let (done, used) = {
            let available = r.fill_buf()?;
            match available.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (available.is_empty(), available.len()),
            }
        };
        r.consume(used);
        consumed += used;
        if done {
            return Ok((RawLine(None), consumed));
        }
    }
}

/// The next chunk of lines and the bytes it took; empty at the end of the input.
fn read_chunk<R: BufRead>(r: &mut R) -> io::Result<(Vec<RawLine>, u64)> {
    let mut lines = Vec::new();
    let (mut bytes, mut kept) = (0u64, 0usize);
    while lines.len() < CHUNK_LINES && kept < CHUNK_BYTES {
        let (line, n) = read_line(r)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        kept += n;
        lines.push(line);
    }
    Ok((lines, bytes))
}

/// The workers' part: decode, parse and check the signature of one line.
fn classify(line: RawLine, key: Option<&PublicKey>) -> Item {
    let Some(bytes) = line.0 else {
        return Item::NotText(format!(
            "the line is longer than {} MiB: not a journal line",
            MAX_LINE >> 20
        ));
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Item::NotText(format!(
                "the line is not UTF-8 text (byte {} is not): not a journal line",
                e.utf8_error().valid_up_to() + 1
            ))
        }
    };
    let Some(key) = key else {
        return Item::Raw(text);
    };
    let start = text.trim_start();
    if start.is_empty() || start.starts_with("{\"certificate\"") {
        return Item::Raw(text);
    }
    match Document::from_journal_line(&text) {
        Ok(doc) => {
            let valid = doc.verify(key);
            Item::Checked(Box::new(doc), valid)
        }
        // The verifier reads it again and reports why it is not a document.
        Err(_) => Item::Raw(text),
    }
}

/// The verifier's part, in journal order.
struct Feeder<'a> {
    verifier: JournalVerifier<'a>,
    line: usize,
    /// Findings about lines that are not text, merged into the report at the end.
    not_text: Vec<Finding>,
}

impl Feeder<'_> {
    fn feed(&mut self, items: Vec<Item>) {
        for item in items {
            self.line += 1;
            match item {
                Item::Raw(text) => self.verifier.add_line(&text),
                Item::Checked(doc, valid) => self.verifier.add_checked(&doc, valid),
                Item::NotText(message) => {
                    // Counted as a line (so that later line numbers stay right), reported here.
                    self.verifier.add_line("");
                    self.not_text.push(Finding {
                        code: ErrorCode::InvalidDocument,
                        number: None,
                        line: Some(self.line),
                        message,
                    });
                }
            }
        }
    }

    fn finish(self) -> JournalReport {
        let mut report = self.verifier.finish();
        if self.not_text.is_empty() {
            return report;
        }
        // Both lists are in line order: merge them.
        let mut merged = Vec::with_capacity(report.findings.len() + self.not_text.len());
        let mut found = core::mem::take(&mut report.findings).into_iter().peekable();
        for extra in self.not_text {
            while let Some(f) = found.next_if(|f| f.line <= extra.line) {
                merged.push(f);
            }
            merged.push(extra);
        }
        merged.extend(found);
        report.findings = merged;
        report
    }
}

/// Verifies a journal read from `reader` on `workers` threads; `progress` is told the bytes
/// read after each chunk and may stop the run.
fn verify_stream<R, P>(
    mut reader: R,
    authority: &PublicKey,
    workers: usize,
    mut progress: P,
) -> Result<JournalReport, Stop>
where
    R: BufRead + Send,
    P: FnMut(u64) -> Result<(), Stop> + Send,
{
    let rates = RateTable::azerbaijan();
    let mut feeder = Feeder {
        verifier: JournalVerifier::new(authority, &rates),
        line: 0,
        not_text: Vec::new(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| Stop::Pool(e.to_string()))?;
    pool.install(|| -> Result<(), Stop> {
        let mut ready: Vec<Item> = Vec::new();
        let mut key: Option<PublicKey> = None;
        let mut done = 0u64;
        loop {
            let (mut lines, bytes) = read_chunk(&mut reader)?;
            if lines.is_empty() {
                feeder.feed(core::mem::take(&mut ready));
                return Ok(());
            }
            if key.is_none() {
                // Until the certificate line is read (the journal's first), one line at a time.
                feeder.feed(core::mem::take(&mut ready));
                let mut used = 0;
                for line in lines.iter_mut() {
                    if key.is_some() {
                        break;
                    }
                    let item = classify(RawLine(line.0.take()), None);
                    feeder.feed(vec![item]);
                    key = feeder.verifier.device_key();
                    used += 1;
                }
                lines.drain(..used);
            }
            let k = key;
            // Feed the previous chunk while the workers parse and check this one.
            let previous = core::mem::take(&mut ready);
            let ((), parsed) = rayon::join(
                || feeder.feed(previous),
                || {
                    use rayon::prelude::*;
                    lines
                        .into_par_iter()
                        .map(|l| classify(l, k.as_ref()))
                        .collect::<Vec<_>>()
                },
            );
            ready = parsed;
            done += bytes;
            progress(done)?;
        }
    })?;
    Ok(feeder.finish())
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
    progress: Option<Py<PyAny>>,
) -> PyResult<PyJournalReport>
where
    R: BufRead + Send,
    O: FnOnce() -> io::Result<(R, u64)> + Send,
{
    let workers = worker_count(workers)?;
    // Everything from opening the input on (a FIFO's open blocks) runs without the GIL.
    let result = py.allow_threads(move || {
        let (reader, total) = open()?;
        verify_stream(reader, &authority, workers, |done| match &progress {
            None => Ok(()),
            Some(callback) => Python::with_gil(|py| {
                callback
                    .call1(py, (done, total))
                    .map(|_| ())
                    .map_err(Stop::Python)
            }),
        })
    });
    match result {
        Ok(report) => Ok(PyJournalReport { inner: report }),
        Err(Stop::Io(e)) => Err(e.into()),
        Err(Stop::Python(e)) => Err(e),
        Err(Stop::Pool(message)) => Err(PyRuntimeError::new_err(message)),
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
/// file_size)` is called after each chunk. Raises `OSError` when the file cannot be read;
/// everything wrong inside it is a finding of the report.
#[pyfunction]
#[pyo3(signature = (path, authority, *, workers = None, progress = None))]
pub(crate) fn verify_journal_file(
    py: Python<'_>,
    path: &Bound<'_, PyAny>,
    authority: &PyPublicKey,
    workers: Option<usize>,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyJournalReport> {
    let path = fs_path(py, path)?;
    let open = move || {
        let file = File::open(&path)?;
        let total = file.metadata().map_or(0, |m| m.len());
        Ok((BufReader::with_capacity(1 << 20, file), total))
    };
    run(py, open, authority.inner, workers, progress)
}

/// Verifies a journal given as `bytes` or `str` (SPEC.md §13.5, §15.2), like
/// `verify_journal_file`.
#[pyfunction]
#[pyo3(signature = (journal, authority, *, workers = None))]
pub(crate) fn verify_journal(
    py: Python<'_>,
    journal: &Bound<'_, PyAny>,
    authority: &PyPublicKey,
    workers: Option<usize>,
) -> PyResult<PyJournalReport> {
    let data = bytes_or_text(journal, "the journal")?;
    let total = data.len() as u64;
    run(
        py,
        move || Ok((Cursor::new(data), total)),
        authority.inner,
        workers,
        None,
    )
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
            "Finding(code={:?}, line={:?}, document_number={:?})",
            self.inner.code.as_str(),
            self.inner.line,
            self.inner.number
        )
    }
}

fn finding_json(f: &Finding) -> serde_json::Value {
    serde_json::json!({
        "code": f.code.as_str(),
        "code_number": f.code.number(),
        "rule": f.rule(),
        "document_number": f.number,
        "line": f.line,
        "message": f.message,
    })
}

/// What a journal verification found: counts and every finding, in journal order.
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
    /// Every finding, in journal order.
    #[getter]
    fn findings(&self) -> Vec<PyFinding> {
        self.inner
            .findings
            .iter()
            .map(|f| PyFinding { inner: f.clone() })
            .collect()
    }
    /// True when some finding has the stable code `code` (e.g. `"number_gap"`).
    fn has(&self, code: &str) -> PyResult<bool> {
        let code = ErrorCode::from_name(code)
            .ok_or_else(|| PyValueError::new_err(format!("no error code is named {code:?}")))?;
        Ok(self.inner.has(code))
    }
    /// The report as JSON text (what `fiscal-core verify --json` prints).
    fn to_json(&self) -> String {
        serde_json::json!({
            "valid": self.inner.is_valid(),
            "lines": self.inner.lines,
            "documents": self.inner.documents,
            "receipts": self.inner.receipts,
            "findings": self.inner.findings.iter().map(finding_json).collect::<Vec<_>>(),
        })
        .to_string()
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
