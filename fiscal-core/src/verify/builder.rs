//! [`JournalVerification`]: the one way to verify a whole journal, its options set on a
//! builder (the certificate, worker threads, the memory mode) and its input given last (a
//! text, lines, a reader, or lines fed one by one).

use alloc::vec::Vec;

use super::index::ReferencedReceipts;
use super::line::{Check, BATCH_LINES};
use super::{journal_lines, JournalReport, JournalVerifier};
use crate::certificate::Certificate;
use crate::crypto::PublicKey;
use crate::tax::RateTable;

/// A journal verification (SPEC.md §15.2), set up once and run on any number of journals.
///
/// Every option gives the same report; they change where the work runs and what memory it
/// takes:
///
/// - [`certificate`](Self::certificate): the device's certificate is given here, and the
///   journal's lines are only its documents (no certificate line, §13.5);
#[cfg_attr(
    feature = "std",
    doc = "- [`workers`](Self::workers) (feature `std`): lines are prepared on that many threads"
)]
#[cfg_attr(
    not(feature = "std"),
    doc = "- `workers` (feature `std`): lines are prepared on that many threads"
)]
///   (signatures, JSON, receipt re-validation), checked in journal order on the calling one;
/// - [`low_memory`](Self::low_memory): the input is read twice, first for the receipts its
///   documents refer to, so that the verifier indexes only those: memory grows with the
///   references instead of with the journal (SPEC.md §15.2, "Memory").
///
/// The input: [`verify_text`](Self::verify_text), [`verify_lines`](Self::verify_lines),
#[cfg_attr(
    feature = "std",
    doc = "[`verify_reader`](Self::verify_reader) (feature `std`, streaming, with progress), or"
)]
#[cfg_attr(
    not(feature = "std"),
    doc = "`verify_reader` (feature `std`, streaming, with progress), or"
)]
/// [`start`](Self::start) for a [`JournalVerifier`] fed one line at a time.
///
/// ```
/// use fiscal_core::{JournalVerification, PrivateKey, RateTable};
///
/// let authority = PrivateKey::from_seed(b"tax authority").public_key();
/// let rates = RateTable::azerbaijan();
/// let verification = JournalVerification::new(&authority, &rates)
///     .workers(2)
///     .low_memory(true);
/// // No document: not a verified journal (an `empty_journal` finding).
/// assert!(!verification.verify_text("").is_valid());
/// # let from_reader = verification
/// #     .verify_reader(std::io::Cursor::new(""), |_| Ok::<(), std::io::Error>(()))
/// #     .unwrap();
/// # assert_eq!(from_reader, verification.verify_text(""));
/// ```
#[derive(Debug, Clone)]
pub struct JournalVerification<'a> {
    authority: PublicKey,
    rates: &'a RateTable,
    certificate: Option<Certificate>,
    #[cfg(feature = "std")]
    workers: usize,
    low_memory: bool,
    excerpt_from: u64,
}

impl<'a> JournalVerification<'a> {
    /// A verification of self-contained journals (the certificate line first, §13.5), whose
    /// certificate is trusted only if `authority` signed it, receipts re-validated with
    /// `rates`: one pass, on the calling thread.
    pub fn new(authority: &PublicKey, rates: &'a RateTable) -> Self {
        JournalVerification {
            authority: *authority,
            rates,
            certificate: None,
            #[cfg(feature = "std")]
            workers: 1,
            low_memory: false,
            excerpt_from: 1,
        }
    }

    /// The device's certificate, known beforehand (checked against the authority first): the
    /// journal's lines are then its documents only, and a certificate line among them is an
    /// `invalid_certificate` finding.
    pub fn certificate(mut self, certificate: &Certificate) -> Self {
        self.certificate = Some(certificate.clone());
        self
    }

    /// Prepares lines on `workers` threads (0 or 1: all on the calling thread, the default).
    /// [`start`](Self::start) does not use them.
    #[cfg(feature = "std")]
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers;
        self
    }

    /// Reads the input twice (`true`): first for the receipts its documents refer to, then to
    /// verify, indexing only those. The same report, with memory that grows with the
    /// references (returns, cancels, instalments, advances) instead of with the journal.
    /// [`start`](Self::start) does not use it (its lines come once).
    pub fn low_memory(mut self, low_memory: bool) -> Self {
        self.low_memory = low_memory;
        self
    }

    /// Verifies an **excerpt** whose first document is number `from` (SPEC.md §15.4): a month
    /// cut out of a device's journal, the certificate line first. Its first document's link to
    /// the one before, the shift it starts in (up to that shift's Z-report) and the receipts
    /// issued before it are not known: what depends on them is listed in
    /// [`JournalReport::unchecked`](super::JournalReport) (code `unknown_reference`), not
    /// reported; everything inside the excerpt is checked as in a whole journal. `from` 1 is
    /// a whole journal (the default).
    pub fn excerpt_from(mut self, from: u64) -> Self {
        self.excerpt_from = from;
        self
    }

    /// A verifier to feed one line (or document) at a time, in journal order, on this
    /// thread, in one pass: [`JournalVerifier::add_line`], then [`JournalVerifier::finish`].
    pub fn start(&self) -> JournalVerifier<'a> {
        match &self.certificate {
            Some(c) => JournalVerifier::with_certificate(c, &self.authority, self.rates),
            None => JournalVerifier::new(&self.authority, self.rates),
        }
        .excerpt_from(self.excerpt_from)
    }

    /// Verifies a journal's text, its lines as [`journal_lines`] splits them.
    pub fn verify_text(&self, text: &str) -> JournalReport {
        self.verify_lines(journal_lines(text))
    }

    /// Verifies a journal given as its lines, each without its LF (a CR at the end of one is
    /// a `noncanonical_line` finding, SPEC.md §13.5). The lines are walked twice in the
    /// low-memory mode, hence `Clone`.
    pub fn verify_lines<'t, I>(&self, lines: I) -> JournalReport
    where
        I: IntoIterator<Item = &'t str>,
        I::IntoIter: Clone,
    {
        let lines = lines.into_iter();
        let verifier = self.verifier(|| ReferencedReceipts::from_lines(lines.clone()));
        #[cfg(feature = "std")]
        if self.workers > 1 {
            if let Ok(report) = super::parallel::verify_lines(lines.clone(), verifier, self.workers)
            {
                return report;
            }
            // Text cannot fail to read; only a worker that stopped could get here: the same
            // work on this thread.
            let verifier = self.verifier(|| ReferencedReceipts::from_lines(lines.clone()));
            return sequential(verifier, lines);
        }
        sequential(verifier, lines)
    }

    /// Verifies a journal read from `reader`, streaming (SPEC.md §13.5, §15.2): memory stays
    /// bounded whatever the journal's length (see [`JournalVerifier`]'s notes), and the
    /// report is the one [`verify_text`](Self::verify_text) gives for the same bytes. Bytes
    /// that are not UTF-8 make an `invalid_document` finding for their line; a line longer
    /// than [`crate::limits::MAX_JOURNAL_LINE`] is skipped unread, with its finding.
    ///
    /// The journal is read from the reader's position to its end; in the low-memory mode it is
    /// read twice, seeking back to that position (so a reader that cannot seek, such as a
    /// pipe, fails with the seek's error in that mode only). `progress` is called on the
    /// calling thread with the bytes read so far (of the verifying pass), after each chunk of
    /// lines; an error from it, or from reading, stops the run and is returned.
    #[cfg(feature = "std")]
    pub fn verify_reader<R, E, P>(&self, mut reader: R, progress: P) -> Result<JournalReport, E>
    where
        R: std::io::BufRead + std::io::Seek,
        E: From<std::io::Error>,
        P: FnMut(u64) -> Result<(), E>,
    {
        use std::io::SeekFrom;
        let referenced = if self.low_memory {
            let start = reader.stream_position()?;
            let referenced = super::parallel::referenced_receipts(&mut reader)?;
            reader.seek(SeekFrom::Start(start))?;
            Some(referenced)
        } else {
            None
        };
        let mut verifier = self.start();
        if let Some(referenced) = referenced {
            verifier = verifier.index_only(referenced);
        }
        super::parallel::verify_reader(reader, verifier, self.workers, progress)
    }

    /// [`verify_reader`](Self::verify_reader) for an input that can be read only once — a
    /// pipe, standard input, a socket: one pass, so the low-memory mode (which reads twice) is
    /// refused with an `InvalidInput` error before anything is read.
    #[cfg(feature = "std")]
    pub fn verify_stream<R, E, P>(&self, reader: R, progress: P) -> Result<JournalReport, E>
    where
        R: std::io::BufRead,
        E: From<std::io::Error>,
        P: FnMut(u64) -> Result<(), E>,
    {
        if self.low_memory {
            return Err(E::from(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the low-memory verification reads the journal twice: give a seekable input",
            )));
        }
        super::parallel::verify_reader(reader, self.start(), self.workers, progress)
    }

    /// The verifier of [`start`](Self::start), indexing only the receipts `referenced` gives
    /// in the low-memory mode.
    fn verifier(&self, referenced: impl FnOnce() -> ReferencedReceipts) -> JournalVerifier<'a> {
        let verifier = self.start();
        if self.low_memory {
            verifier.index_only(referenced())
        } else {
            verifier
        }
    }
}

/// Every line through `verifier`, on this thread: one at a time until the device key is
/// settled (the certificate line), then in batches of [`BATCH_LINES`] whose signatures are
/// checked together before the lines are read in full, one at a time (so only the batch's
/// signature items wait, not its decoded documents).
fn sequential<'t>(
    mut verifier: JournalVerifier<'_>,
    mut lines: impl Iterator<Item = &'t str>,
) -> JournalReport {
    while !verifier.key_is_settled() {
        match lines.next() {
            Some(line) => verifier.add_line(line),
            None => return verifier.finish(),
        }
    }
    let preparer = verifier.preparer();
    let mut batch: Vec<&str> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        batch.extend(lines.by_ref().take(BATCH_LINES));
        if batch.is_empty() {
            return verifier.finish();
        }
        let verdicts = preparer.settle(batch.iter().map(|line| Some(line.as_bytes())));
        for (line, verdict) in batch.iter().zip(verdicts) {
            verifier.add_prepared(preparer.prepare_text(line, Check::Known(verdict)));
        }
    }
}
