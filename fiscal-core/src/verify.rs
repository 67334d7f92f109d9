//! Verification of one document and of a whole journal (SPEC.md §15).
//!
//! The journal verifier reads a device's documents in order (JSON Lines, one per line) and
//! reports every break with its rule: bad signatures, wrong fiscal IDs, altered, missing,
//! duplicated or reordered documents, a broken chain, time going backwards, receipts outside a
//! shift, Z-reports that do not match their shift, references to unknown receipts, returns
//! above the sale and instalments above the debt. It streams: feed lines one by one.
//!
//! The work splits in two (issue #10). What each line needs on its own — JSON, hex, the body,
//! the canonical-bytes check, the fiscal ID, the signature and the re-validation of a receipt —
//! is [`LinePreparer::prepare`], which any thread may run; what depends on the lines before —
//! numbering, chain, time, shifts, counters, references — is [`JournalVerifier::add_prepared`],
//! in journal order, and costs a few microseconds. [`verify_journal_parallel`] and
//! [`verify_journal_reader`] (feature `std`) run the first part on worker threads.
//!
//! A journal has one spelling (SPEC.md §13.5): lines end with LF ([`journal_lines`]), and a CR
//! at the end of a line, an empty line or a line of only whitespace is a `noncanonical_line`
//! finding, the line being otherwise read without that CR. A journal without a document is an
//! `empty_journal` finding. The report also says what the journal's completeness can be
//! checked against (SPEC.md §15.3): its last signed document and last shift.
//!
//! Memory does not grow with the journal except for the index of receipts that later documents
//! may reference (returns, cancels, instalments, advances: RC-17, RC-18 set no time limit on
//! returns), about 64 bytes a receipt (the 32-byte fiscal ID and a 32-byte record; the refund
//! and credit state only for receipts that have one). The fiscal IDs kept for the chain and for
//! recognizing duplicates are those of the last [`RECENT_IDS`] numbers; the findings kept are
//! the first [`MAX_FINDINGS`], and the rest are counted.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::certificate::Certificate;
use crate::crypto::{Hash, PublicKey};
use crate::device::{account, MAX_SHIFT_MS};
use crate::document::{
    Content, Document, FiscalId, ShiftReport, Voided, MAX_JOURNAL_LINE, SHORT_ID_LEN,
};
use crate::error::{Error, ErrorCode};
use crate::ledger::{self, Claim, Ledger, Receipt};
use crate::money::Amount;
use crate::receipt::{DocType, Request, ValidationContext};
use crate::tax::RateTable;
use crate::time::Timestamp;

/// Fiscal IDs kept by number, for the chain of an out-of-order document and for telling a
/// duplicate from a reordered document (NM-03, NM-11): those of the last 8 192 numbers. A
/// document repeated further back than that is reported `out_of_order` rather than
/// `duplicate_document`, and its chain is not checked (its predecessor's ID is gone); both
/// are findings, so a journal's validity does not depend on the window.
pub const RECENT_IDS: usize = 8192;

/// Findings kept in a [`JournalReport`]; further ones are counted in
/// [`JournalReport::findings_dropped`], so a hostile journal cannot fill memory with them.
pub const MAX_FINDINGS: usize = 10_000;

/// One break found by verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The stable code ([`ErrorCode::rule`] gives its rule ID).
    pub code: ErrorCode,
    /// The document's number, when known.
    pub number: Option<u64>,
    /// The journal line (from 1), when verifying a journal.
    pub line: Option<usize>,
    /// For people.
    pub message: String,
}

impl Finding {
    /// The RULES.md rule that was broken.
    pub fn rule(&self) -> &'static str {
        self.code.rule()
    }
}

impl core::fmt::Display for Finding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(l) = self.line {
            write!(f, "line {l}: ")?;
        }
        if let Some(n) = self.number {
            write!(f, "document {n}: ")?;
        }
        write!(
            f,
            "[{} {}] {}",
            self.code.rule(),
            self.code.as_str(),
            self.message
        )
    }
}

/// What a journal verification found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JournalReport {
    /// Lines read (documents or not).
    pub lines: usize,
    /// Documents read.
    pub documents: u64,
    /// Of them, receipts (sale, return, cancel, advance, credit payment).
    pub receipts: u64,
    /// Every break, in journal order: the first [`MAX_FINDINGS`] of them.
    pub findings: Vec<Finding>,
    /// Findings found after the first [`MAX_FINDINGS`], counted but not kept.
    pub findings_dropped: u64,
    /// The number of the last document (SPEC.md §15.3): the last document in journal order
    /// whose signature is the device's. Only a signed document proves anything (NM-11), so a
    /// forged or altered line never stands for the journal's end. `None` when no document's
    /// signature verified. In a valid journal it is also the highest number: compare it with
    /// the device's last number and the tax service's upload acknowledgements, which are what
    /// shows documents removed from the end.
    pub last_number: Option<u64>,
    /// The fiscal ID of that last document (`None` as for [`JournalReport::last_number`]).
    pub last_fiscal_id: Option<FiscalId>,
    /// The time of that last document (`None` as for [`JournalReport::last_number`]).
    pub last_time: Option<Timestamp>,
    /// The shift of the last signed document that belongs to a shift (an opening, a receipt,
    /// a cash document, a Z-report; not the activation or the decommissioning). `None` when
    /// no signed document belongs to one.
    pub last_shift: Option<u32>,
    /// True when that document is a Z-report, which closes [`JournalReport::last_shift`];
    /// false when the journal ends inside the shift, or no shift was seen. A journal exported
    /// mid-shift is genuine; one whose device says the shift is closed is then incomplete.
    pub last_shift_closed: bool,
    /// The codes of the dropped findings (each once), so that [`JournalReport::has`] still
    /// sees them.
    dropped_codes: Vec<ErrorCode>,
}

impl JournalReport {
    /// True when nothing was found.
    pub fn is_valid(&self) -> bool {
        self.findings.is_empty() && self.findings_dropped == 0
    }

    /// True when some finding has `code`.
    pub fn has(&self, code: ErrorCode) -> bool {
        self.findings.iter().any(|f| f.code == code) || self.dropped_codes.contains(&code)
    }

    fn push(&mut self, finding: Finding) {
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(finding);
            return;
        }
        self.findings_dropped = self.findings_dropped.saturating_add(1);
        if !self.dropped_codes.contains(&finding.code) {
            self.dropped_codes.push(finding.code);
        }
    }
}

/// Verifies one document against its certificate (and the certificate against the
/// authority): signature (NM-11) and validity at the document's time (NM-08).
pub fn verify_document(
    document: &Document,
    certificate: &Certificate,
    authority: &PublicKey,
) -> Result<(), Error> {
    certificate.verify(authority)?;
    if !document.verify(&certificate.body().device_key) {
        return Err(Error::BadSignature {
            number: document.number(),
        });
    }

    match document.body().content {
        // Closing and decommissioning stay possible after expiry (SPEC.md §14.3).
        Content::ZReport(_) | Content::Decommission => Ok(()),
        _ => certificate.validity_at(document.body().time).map(|_| ()),
    }
}

/// Re-validates a receipt's request on its own date (SPEC.md §15.2, RC-05): the totals, taxes
/// and payments must come out the same. `None` when they do; otherwise the finding's message.
/// The typed draft gives exactly what the JSON round trip gives (receipt/json.rs proves it
/// member by member); requests it does not cover (forged ones only) take the round trip.
fn revalidate(r: &Request, time: Timestamp, rates: &RateTable) -> Option<String> {
    let ctx = ValidationContext {
        rates,
        date: time.date_in_baku(),
    };
    let again = match r.to_draft() {
        Some(draft) => draft.validate(&ctx),
        None => Request::from_json(&r.to_json(), &ctx),
    };
    match again {
        Ok(again) if again == *r => None,
        Ok(_) => Some("its totals or taxes are not what its lines give".into()),
        Err(e) => Some(alloc::format!("its content breaks the rules: {e}")),
    }
}

/// A receipt's re-validation: done on a worker, or not yet.
enum Revalidation {
    Pending,
    Done(Option<String>),
}

/// A document as a worker left it.
struct PreparedDocument {
    doc: Document,
    /// The key the signature was checked against, and whether it held; `None` when no key
    /// was known.
    signature: Option<(PublicKey, bool)>,
    content: Revalidation,
}

enum Item {
    /// An empty line or a line of only whitespace: nothing to read (its finding comes from
    /// the line's [`Spelling`]).
    Blank,
    Certificate(Box<Result<Certificate, Error>>),
    /// Not a document: why (as `Document::from_journal_line` says).
    Invalid(Error),
    /// Not text at all (bytes that are not UTF-8): reported as `invalid_document`.
    NotText(String),
    Document(Box<PreparedDocument>),
}

/// How a line departs from the one spelling of SPEC.md §13.5 (`noncanonical_line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// As a device writes it.
    Canonical,
    /// A CR at its end (a CRLF line end, or a stray CR before the LF or the end of the text):
    /// the line is read without it.
    Cr,
    /// Nothing (or only a CR) between two line ends.
    Empty,
    /// Only whitespace (spaces, tabs, form feeds, CRs).
    Blank,
}

impl Spelling {
    /// The spelling of a line (given without its LF) and its content: the line without one
    /// CR at its end. A journal line is ASCII JSON (§13.5), so "whitespace" is ASCII
    /// whitespace, decided byte by byte (as the streaming reader decides it for a line too
    /// long to keep).
    fn of(line: &[u8]) -> (Spelling, &[u8]) {
        let (content, cr) = match line.strip_suffix(b"\r") {
            Some(content) => (content, true),
            None => (line, false),
        };
        let spelling = if content.is_empty() {
            Spelling::Empty
        } else if content.iter().all(u8::is_ascii_whitespace) {
            Spelling::Blank
        } else if cr {
            Spelling::Cr
        } else {
            Spelling::Canonical
        };
        (spelling, content)
    }

    fn is_blank(self) -> bool {
        matches!(self, Spelling::Empty | Spelling::Blank)
    }

    /// The finding's message, for a line not spelled as a device writes it.
    fn problem(self) -> Option<&'static str> {
        match self {
            Spelling::Canonical => None,
            Spelling::Cr => Some(
                "the line ends with a CR (journal lines end with LF alone, SPEC.md §13.5); read without it",
            ),
            Spelling::Empty => Some("an empty line: a journal has none (SPEC.md §13.5)"),
            Spelling::Blank => {
                Some("a line of only whitespace: a journal has none (SPEC.md §13.5)")
            }
        }
    }
}

/// The lines of a journal's text as every verifier reads them (SPEC.md §13.5): the text split
/// at each LF, where a final LF ends the last line instead of starting an empty one. So
/// `"A\nB\n"` and `"A\nB"` are the two lines `A` and `B`; `"A\n\nB"` has an empty line 2;
/// `""` has no line and `"\n"` one empty line. A CR stays in its line, for the verifier to
/// report (where [`str::lines`] would drop the CR of a CRLF unseen).
pub fn journal_lines(text: &str) -> core::str::SplitTerminator<'_, char> {
    text.split_terminator('\n')
}

/// One journal line read and checked on its own, by [`LinePreparer::prepare`], waiting for
/// [`JournalVerifier::add_prepared`].
pub struct PreparedLine<'a> {
    item: Item,
    spelling: Spelling,
    rates: &'a RateTable,
}

/// Reads and checks journal lines on their own: any number of threads may use copies of one
/// preparer at once. Made by [`JournalVerifier::preparer`]; once the verifier knows its
/// certificate (after the certificate line), its preparers check signatures too.
#[derive(Debug, Clone, Copy)]
pub struct LinePreparer<'a> {
    key: Option<PublicKey>,
    rates: &'a RateTable,
}

impl<'a> LinePreparer<'a> {
    /// Reads a journal line (without its LF): the certificate line, a document with its
    /// signature and receipt re-validation done, or why it is neither. A CR at its end, an
    /// empty line or a line of only whitespace is noted for a `noncanonical_line` finding
    /// (SPEC.md §13.5); the line is read without that one CR.
    pub fn prepare(&self, text: &str) -> PreparedLine<'a> {
        let (spelling, content) = Spelling::of(text.as_bytes());
        // At most an ASCII CR was cut off, so `content` ends on a char boundary of `text`.
        let content = text.get(..content.len()).unwrap_or(text);
        let item = if spelling.is_blank() {
            Item::Blank
        } else {
            self.item(content)
        };
        self.prepared(item, spelling)
    }

    /// [`LinePreparer::prepare`] for bytes as read from a file (without the LF): bytes that
    /// are not UTF-8 are not a journal line (`invalid_document`).
    pub fn prepare_bytes(&self, bytes: &[u8]) -> PreparedLine<'a> {
        let (spelling, content) = Spelling::of(bytes);
        let item = if spelling.is_blank() {
            Item::Blank
        } else {
            match core::str::from_utf8(content) {
                Ok(text) => self.item(text),
                Err(e) => Item::NotText(alloc::format!(
                    "the line is not UTF-8 text (byte {} is not): not a journal line",
                    e.valid_up_to() + 1
                )),
            }
        };
        self.prepared(item, spelling)
    }

    /// A line longer than [`MAX_JOURNAL_LINE`] + 1 bytes of which the streaming reader kept
    /// only the beginning, told whether all its bytes were ASCII whitespace and whether it
    /// ended with a CR: what [`LinePreparer::prepare`] gives for the whole line.
    #[cfg(feature = "std")]
    fn prepare_too_long(&self, blank: bool, cr: bool) -> PreparedLine<'a> {
        if blank {
            return self.prepared(Item::Blank, Spelling::Blank);
        }
        let spelling = if cr {
            Spelling::Cr
        } else {
            Spelling::Canonical
        };
        self.prepared(Item::Invalid(too_long()), spelling)
    }

    fn prepared(&self, item: Item, spelling: Spelling) -> PreparedLine<'a> {
        PreparedLine {
            item,
            spelling,
            rates: self.rates,
        }
    }

    /// A line's content: not blank, without its CR.
    fn item(&self, text: &str) -> Item {
        // Refused for its length before anything else, whatever it starts with, so that the
        // streaming reader, which keeps only the beginning of such a line, says the same.
        if text.len() > MAX_JOURNAL_LINE {
            return Item::Invalid(too_long());
        }
        if text.trim_start().starts_with("{\"certificate\"") {
            return Item::Certificate(Box::new(Certificate::from_journal_line(text)));
        }
        match Document::from_journal_line(text) {
            Ok(doc) => {
                let signature = self.key.map(|k| (k, doc.verify(&k)));
                // Only a signed document's content is used (NM-11): no need to re-validate
                // the rest.
                let content = match (&signature, &doc.body().content) {
                    (Some((_, true)), Content::Request(r)) if !matches!(r, Request::Cancel(_)) => {
                        Revalidation::Done(revalidate(r, doc.body().time, self.rates))
                    }
                    _ => Revalidation::Pending,
                };
                Item::Document(Box::new(PreparedDocument {
                    doc,
                    signature,
                    content,
                }))
            }
            Err(e) => Item::Invalid(e),
        }
    }
}

/// Why a line longer than [`MAX_JOURNAL_LINE`] is not read: what
/// [`Document::from_journal_line`] says of it.
fn too_long() -> Error {
    Error::InvalidDocument(alloc::format!(
        "the line is longer than {MAX_JOURNAL_LINE} bytes"
    ))
}

struct Shift {
    report: ShiftReport,
}

/// The receipts a journal's documents refer to (by the first 6 bytes of their fiscal ID, the
/// short ID of §13.3): what a verifier given [`JournalVerifier::index_only`] keeps in its
/// index. Read in a first pass over the journal ([`ReferencedReceipts::add_line`]), it lets the
/// second pass forget every receipt nothing refers to, so that memory grows with the number of
/// references (returns, cancels, instalments, advances used), not with the journal's length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferencedReceipts {
    /// Sorted, without repeats.
    prefixes: Vec<[u8; SHORT_ID_LEN / 2]>,
}

impl ReferencedReceipts {
    /// The receipts the journal lines `lines` (each without its LF, as [`journal_lines`]
    /// gives them) refer to. A line that is not a document, or a reference that is not
    /// hexadecimal, adds nothing: the second pass reports it. A line is read without a CR at
    /// its end, as the second pass reads it.
    pub fn from_lines<'t>(lines: impl IntoIterator<Item = &'t str>) -> Self {
        let mut set = ReferencedReceipts::default();
        for line in lines {
            set.add_line(line);
        }
        set.done()
    }

    fn add_line(&mut self, text: &str) {
        // The second pass reads a line without one CR at its end (and reports the CR).
        let text = text.strip_suffix('\r').unwrap_or(text);
        let Ok(doc) = Document::from_journal_line(text) else {
            return;
        };
        let names: &[String] = match &doc.body().content {
            Content::Request(Request::Sale(s)) => s.advances(),
            _ => &[],
        };
        let single = match &doc.body().content {
            Content::Request(Request::Return(r)) => Some(r.parent()),
            Content::Request(Request::CreditPayment(c)) => Some(c.parent()),
            Content::Request(Request::Cancel(c)) => Some(c.parent()),
            Content::Cancel { request, .. } => Some(request.parent()),
            _ => None,
        };
        for name in names.iter().map(String::as_str).chain(single) {
            let mut prefix = [0u8; SHORT_ID_LEN / 2];
            if let Some(head) = name.get(..SHORT_ID_LEN) {
                if hex::decode_to_slice(head, &mut prefix).is_ok() {
                    self.prefixes.push(prefix);
                }
            }
        }
    }

    fn done(mut self) -> Self {
        self.prefixes.sort_unstable();
        self.prefixes.dedup();
        self
    }

    /// How many distinct short IDs are referred to.
    pub fn len(&self) -> usize {
        self.prefixes.len()
    }

    /// True when nothing is referred to.
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }

    fn contains(&self, id: &Hash) -> bool {
        let mut prefix = [0u8; SHORT_ID_LEN / 2];
        prefix.copy_from_slice(&id[..SHORT_ID_LEN / 2]);
        self.prefixes.binary_search(&prefix).is_ok()
    }
}

/// A streaming journal verifier.
pub struct JournalVerifier<'a> {
    certificate: Option<Certificate>,
    /// The certificate's hash: what document 1 chains to and activates.
    certificate_hash: Option<Hash>,
    authority: PublicKey,
    rates: &'a RateTable,
    report: JournalReport,
    /// Fiscal IDs by number, the last [`RECENT_IDS`]: what each document's `previous` must be.
    ids: BTreeMap<u64, Hash>,
    last_number: u64,
    last_time: Option<Timestamp>,
    last_shift: u32,
    shift: Option<Shift>,
    /// Every receipt later documents may refer to, by fiscal ID (RC-17, RC-18).
    receipts: BTreeMap<Hash, Receipt>,
    /// What documents have claimed of those receipts: the same rules as the device's.
    ledger: Ledger,
    /// What a cancel of each receipt of the open shift must carry (RC-17): cancels stay in
    /// their receipt's shift, so this is emptied when a shift opens.
    voidable: BTreeMap<Hash, Voided>,
    /// The decommission document's number, once read (NM-12), and whether a document after
    /// it was reported (once: one fault, one finding).
    decommissioned: Option<(u64, bool)>,
    /// With [`JournalVerifier::index_only`]: the only receipts worth indexing.
    only: Option<ReferencedReceipts>,
}

impl<'a> JournalVerifier<'a> {
    /// A verifier for a self-contained journal, whose first line is its certificate (§13.5).
    /// The certificate is trusted only if `authority` signed it.
    pub fn new(authority: &PublicKey, rates: &'a RateTable) -> Self {
        JournalVerifier {
            certificate: None,
            certificate_hash: None,
            authority: *authority,
            rates,
            report: JournalReport::default(),
            ids: BTreeMap::new(),
            last_number: 0,
            last_time: None,
            last_shift: 0,
            shift: None,
            receipts: BTreeMap::new(),
            ledger: Ledger::default(),
            voidable: BTreeMap::new(),
            decommissioned: None,
            only: None,
        }
    }

    /// A verifier for documents whose certificate is already known (checked against
    /// `authority` first).
    pub fn with_certificate(
        certificate: &Certificate,
        authority: &PublicKey,
        rates: &'a RateTable,
    ) -> Self {
        let mut v = Self::new(authority, rates);
        v.set_certificate(certificate.clone(), None);
        v
    }

    /// Indexes only the receipts in `referenced` (read from the same journal in a first
    /// pass): the report is the same as without it, and memory grows with the references
    /// instead of with the receipts (SPEC.md §15.2, "Memory").
    pub fn index_only(mut self, referenced: ReferencedReceipts) -> Self {
        self.only = Some(referenced);
        self
    }

    /// The device key documents must be signed with, once the certificate is known: bindings
    /// that check signatures in parallel use it with [`JournalVerifier::add_checked`].
    pub fn device_key(&self) -> Option<PublicKey> {
        self.certificate.as_ref().map(|c| c.body().device_key)
    }

    /// A preparer for the lines that follow: it checks signatures with this verifier's device
    /// key when the certificate is known, and re-validates receipts with its rates.
    pub fn preparer(&self) -> LinePreparer<'a> {
        LinePreparer {
            key: self.device_key(),
            rates: self.rates,
        }
    }

    /// True once the device key can no longer change: the certificate is known, or a document
    /// came first (a certificate line after documents is refused). From then on, lines may be
    /// prepared ahead, in parallel, with [`JournalVerifier::preparer`].
    pub fn key_is_settled(&self) -> bool {
        self.certificate.is_some() || self.report.documents > 0
    }

    fn set_certificate(&mut self, certificate: Certificate, line: Option<usize>) {
        if self.certificate.is_some() || self.report.documents > 0 {
            self.find(
                ErrorCode::InvalidCertificate,
                None,
                line,
                "a journal has one certificate line, before its documents".into(),
            );
            return;
        }
        if let Err(e) = certificate.verify(&self.authority) {
            self.find(e.code(), None, line, e.to_string());
        }
        self.certificate_hash = Some(certificate.hash());
        self.certificate = Some(certificate);
    }

    fn find(&mut self, code: ErrorCode, number: Option<u64>, line: Option<usize>, message: String) {
        self.report.push(Finding {
            code,
            number,
            line,
            message,
        });
    }

    /// Reads one journal line, given without its LF: the certificate line or a document. A CR
    /// at its end, an empty line or a line of only whitespace is a `noncanonical_line`
    /// finding (SPEC.md §13.5, one spelling); a line is otherwise read without that CR, so a
    /// document with a CR after it is still checked (one fault, one finding).
    pub fn add_line(&mut self, text: &str) {
        let prepared = self.preparer().prepare(text);
        self.add_prepared(prepared);
    }

    /// Takes one line prepared (on any thread) by a [`LinePreparer`], in journal order. A line
    /// prepared before the certificate was known, or with another verifier's key or rates, is
    /// checked again here, so the result is always that of [`JournalVerifier::add_line`].
    pub fn add_prepared(&mut self, prepared: PreparedLine<'_>) {
        self.report.lines += 1;
        let line = Some(self.report.lines);
        // One spelling (SPEC.md §13.5): reported first, with the line's document number when
        // it holds one; the line's content is then read as usual.
        if let Some(problem) = prepared.spelling.problem() {
            let number = match &prepared.item {
                Item::Document(p) => Some(p.doc.number()),
                _ => None,
            };
            self.find(ErrorCode::NoncanonicalLine, number, line, problem.into());
        }
        match prepared.item {
            Item::Blank => {}
            Item::Certificate(c) => match *c {
                Ok(c) => self.set_certificate(c, line),
                Err(e) => self.find(e.code(), None, line, e.to_string()),
            },
            Item::NotText(message) => self.find(ErrorCode::InvalidDocument, None, line, message),
            Item::Invalid(e) => {
                let number = match e {
                    Error::WrongFiscalId { number } => Some(number),
                    _ => None,
                };
                self.find(e.code(), number, line, e.to_string());
            }
            Item::Document(p) => {
                let PreparedDocument {
                    doc,
                    signature,
                    content,
                } = *p;
                let key = self.device_key();
                let valid = match (signature, key) {
                    (Some((used, valid)), Some(k)) if used == k => valid,
                    (_, Some(k)) => doc.verify(&k),
                    (_, None) => false,
                };
                let content = if core::ptr::eq(prepared.rates, self.rates) {
                    content
                } else {
                    Revalidation::Pending
                };
                self.check(&doc, valid, content, line);
            }
        }
    }

    /// Checks one document, in journal order.
    pub fn add_document(&mut self, doc: &Document) {
        let valid = self.device_key().is_some_and(|k| doc.verify(&k));
        self.add_checked(doc, valid);
    }

    /// Checks one document whose signature was already checked against
    /// [`JournalVerifier::device_key`] (`signature_valid`), e.g. on another core.
    pub fn add_checked(&mut self, doc: &Document, signature_valid: bool) {
        self.report.lines += 1;
        let line = self.report.lines;
        self.check(doc, signature_valid, Revalidation::Pending, Some(line));
    }

    /// The report. A journal from which no document was read (no line, only blank lines,
    /// only the certificate line, only lines that are not documents) is an `empty_journal`
    /// finding (NM-03): a failed export must not pass for a verified one.
    pub fn finish(mut self) -> JournalReport {
        if self.report.documents == 0 {
            self.find(
                ErrorCode::EmptyJournal,
                None,
                None,
                "the journal holds no document: nothing was exported, nothing can be checked"
                    .into(),
            );
        }
        self.report
    }

    /// The fiscal ID of document `n`, when it is among the last [`RECENT_IDS`] numbers seen.
    fn remember(&mut self, n: u64, id: Hash) {
        self.ids.insert(n, id);
        while self.ids.len() > RECENT_IDS {
            self.ids.pop_first();
        }
    }

    fn check(
        &mut self,
        doc: &Document,
        signature_valid: bool,
        content: Revalidation,
        line: Option<usize>,
    ) {
        let n = doc.number();
        let at = Some(n);
        self.report.documents += 1;
        let Some(certificate_hash) = self.certificate_hash else {
            if self.report.documents == 1 {
                self.find(
                    ErrorCode::InvalidCertificate,
                    at,
                    line,
                    "the journal has no certificate line before its first document: nothing can be verified".into(),
                );
            }
            return;
        };
        if !signature_valid {
            self.find(
                ErrorCode::BadSignature,
                at,
                line,
                "the signature is not the device's: the document was altered or forged".into(),
            );
            // An unsigned document proves nothing: its content is not used.
            return;
        }
        let body = doc.body();
        // What completeness is checked against (SPEC.md §15.3): the last signed document in
        // journal order, and the shift of the last one that belongs to a shift.
        self.report.last_number = Some(n);
        self.report.last_fiscal_id = Some(doc.id());
        self.report.last_time = Some(body.time);
        match body.content {
            Content::Activation { .. } | Content::Decommission => {}
            Content::ZReport(_) => {
                self.report.last_shift = Some(body.shift);
                self.report.last_shift_closed = true;
            }
            _ => {
                self.report.last_shift = Some(body.shift);
                self.report.last_shift_closed = false;
            }
        }
        // Numbering (NM-03).
        if n <= self.last_number {
            if self.ids.get(&n) == Some(&doc.id().0) {
                self.find(
                    ErrorCode::DuplicateDocument,
                    at,
                    line,
                    alloc::format!("document {n} appears again"),
                );
                return;
            }
            self.find(
                ErrorCode::OutOfOrder,
                at,
                line,
                alloc::format!("document {n} comes after document {}", self.last_number),
            );
        } else if n != self.last_number.saturating_add(1) {
            let (from, to) = (self.last_number.saturating_add(1), n - 1);
            let which = if from == to {
                alloc::format!("document {from} is")
            } else {
                alloc::format!("documents {from}–{to} are")
            };
            self.find(
                ErrorCode::NumberGap,
                at,
                line,
                alloc::format!("{which} missing"),
            );
        }
        // Chain (NM-11): the previous document's ID, or the certificate's hash for document 1.
        let expected_previous = if n == 1 {
            Some(certificate_hash)
        } else {
            n.checked_sub(1).and_then(|p| self.ids.get(&p).copied())
        };
        if let Some(prev) = expected_previous {
            if prev != body.previous {
                self.find(
                    ErrorCode::BrokenChain,
                    at,
                    line,
                    "does not name the previous document's fiscal ID".into(),
                );
            }
        }
        self.remember(n, doc.id().0);
        // Time (NM-04).
        if let Some(t) = self.last_time {
            if body.time <= t {
                self.find(
                    ErrorCode::TimeNotIncreasing,
                    at,
                    line,
                    alloc::format!("its time {} is not after {t}", body.time),
                );
            }
        }
        self.last_time = Some(self.last_time.map_or(body.time, |t| t.max(body.time)));
        self.last_number = self.last_number.max(n);
        // Certificate validity (NM-08, U-08).
        if !matches!(body.content, Content::ZReport(_) | Content::Decommission) {
            if let Some(Err(e)) = self.certificate.as_ref().map(|c| c.validity_at(body.time)) {
                self.find(e.code(), at, line, e.to_string());
            }
        }
        self.structure(doc, certificate_hash, content, line);
        self.index(doc);
    }

    fn structure(
        &mut self,
        doc: &Document,
        certificate_hash: Hash,
        content: Revalidation,
        line: Option<usize>,
    ) {
        let body = doc.body();
        let at = Some(doc.number());
        // Nothing follows a decommission (NM-12, LC-02): reported at the first document after
        // it, once.
        if let Some((number, false)) = self.decommissioned {
            self.decommissioned = Some((number, true));
            self.find(
                ErrorCode::Decommissioned,
                at,
                line,
                alloc::format!(
                    "follows the decommission (document {number}): a device out of service issues nothing"
                ),
            );
        }
        match &body.content {
            Content::Activation { certificate: hash } => {
                if doc.number() != 1 || *hash != certificate_hash {
                    self.find(
                        ErrorCode::OutsideShift,
                        at,
                        line,
                        "an activation record must be document 1, for this certificate".into(),
                    );
                }
            }
            Content::OpenShift => {
                if self.shift.is_some() {
                    self.find(
                        ErrorCode::OutsideShift,
                        at,
                        line,
                        "a shift is opened while another is open".into(),
                    );
                }
                if body.shift != self.last_shift.saturating_add(1) {
                    self.find(
                        ErrorCode::CounterMismatch,
                        at,
                        line,
                        alloc::format!("shift {} follows shift {}", body.shift, self.last_shift),
                    );
                }
                self.last_shift = body.shift;
                self.voidable.clear();
                self.shift = Some(Shift {
                    report: ShiftReport {
                        shift: body.shift,
                        opened_at: body.time,
                        first_number: doc.number(),
                        last_number: doc.number(),
                        receipts: 0,
                        kinds: Vec::new(),
                        cash_in: Amount::ZERO,
                        cash_out: Amount::ZERO,
                    },
                });
            }
            Content::ZReport(z) => {
                let Some(shift) = self.shift.take() else {
                    self.find(
                        ErrorCode::OutsideShift,
                        at,
                        line,
                        "a Z-report without an open shift".into(),
                    );
                    return;
                };
                let mut expected = shift.report;
                expected.last_number = doc.number();
                if *z != expected || body.shift != expected.shift {
                    self.find(
                        ErrorCode::ZReportMismatch,
                        at,
                        line,
                        alloc::format!(
                            "the Z-report of shift {} does not match the shift's documents",
                            expected.shift
                        ),
                    );
                }
            }
            Content::Decommission => {
                if self.decommissioned.is_none() {
                    self.decommissioned = Some((doc.number(), false));
                }
                if self.shift.is_some() {
                    self.find(
                        ErrorCode::OutsideShift,
                        at,
                        line,
                        "decommissioned with a shift open".into(),
                    );
                }
            }
            Content::Request(_) | Content::Cancel { .. } => self.receipt(doc, content, line),
        }
    }

    fn receipt(&mut self, doc: &Document, content: Revalidation, line: Option<usize>) {
        let body = doc.body();
        let at = Some(doc.number());
        let Some(kind) = body.content.doc_type() else {
            return;
        };
        let is_receipt = kind.is_receipt();
        if is_receipt {
            self.report.receipts += 1;
        }
        let mut overdrawn = None;
        // Inside an open shift, within 24 hours, with the next receipt counter (RC-06).
        match self.shift.as_mut() {
            None => {
                self.find(
                    ErrorCode::OutsideShift,
                    at,
                    line,
                    "issued outside an open shift".into(),
                );
            }
            Some(shift) => {
                let mut problems = Vec::new();
                if body.shift != shift.report.shift {
                    problems.push((
                        ErrorCode::OutsideShift,
                        alloc::format!("says shift {} in shift {}", body.shift, shift.report.shift),
                    ));
                }
                if body
                    .time
                    .millis()
                    .saturating_sub(shift.report.opened_at.millis())
                    >= MAX_SHIFT_MS
                {
                    problems.push((
                        ErrorCode::ShiftTooLong,
                        "issued after the shift had lasted 24 hours".into(),
                    ));
                }
                let expected_counter = if is_receipt {
                    shift.report.receipts.saturating_add(1)
                } else {
                    0
                };
                if body.shift_receipt != expected_counter {
                    problems.push((
                        ErrorCode::CounterMismatch,
                        alloc::format!(
                            "receipt counter {} where {expected_counter} was due",
                            body.shift_receipt
                        ),
                    ));
                }
                if is_receipt {
                    // After a mismatch, continue from the document's own counter, so that one
                    // missing receipt is reported once, not at every receipt after it.
                    shift.report.receipts =
                        if body.shift_receipt != expected_counter && body.shift_receipt > 0 {
                            body.shift_receipt
                        } else {
                            shift.report.receipts.saturating_add(1)
                        };
                }
                shift.report.last_number = doc.number();
                // The drawer is checked after the ledger, as the device does (SPEC.md §14.3
                // steps 7, 8): it is reported only when no claim rule broke first.
                if let Err(e) = account(&mut shift.report, &body.content) {
                    overdrawn = Some((e.code(), e.to_string()));
                }
                for (code, message) in problems {
                    self.find(code, at, line, message);
                }
            }
        }
        let found = self.report.findings.len() + self.report.findings_dropped as usize;
        match &body.content {
            Content::Request(Request::Cancel(_)) => {
                self.find(
                    ErrorCode::ContentInvalid,
                    at,
                    line,
                    "a cancel without the receipt it voids".into(),
                );
            }
            Content::Request(r) => {
                // The content must pass validation again on its own date: totals, taxes,
                // payments (RC-05). Usually done already, on a worker.
                let problem = match content {
                    Revalidation::Done(problem) => problem,
                    Revalidation::Pending => revalidate(r, body.time, self.rates),
                };
                if let Some(message) = problem {
                    self.find(ErrorCode::ContentInvalid, at, line, message);
                }
                self.claims(doc, at, line);
            }
            Content::Cancel { .. } => self.claims(doc, at, line),
            _ => {}
        }
        if let Some((code, message)) = overdrawn {
            if self.report.findings.len() + self.report.findings_dropped as usize == found {
                self.find(code, at, line, message);
            }
        }
    }

    /// The receipt a reference names: its long ID, or its 12-character short ID (§13.3), in
    /// either letter case. Of receipts sharing a short ID, the lowest ID.
    fn lookup(&self, reference: &str) -> Option<(Hash, Receipt)> {
        let key = match reference.len() {
            64 => {
                let mut key = [0u8; 32];
                hex::decode_to_slice(reference, &mut key).ok()?;
                key
            }
            SHORT_ID_LEN => {
                let mut prefix = [0u8; SHORT_ID_LEN / 2];
                hex::decode_to_slice(reference, &mut prefix).ok()?;
                let mut from = [0u8; 32];
                from[..prefix.len()].copy_from_slice(&prefix);
                *self
                    .receipts
                    .range(from..)
                    .next()
                    .filter(|(k, _)| k.starts_with(&prefix))?
                    .0
            }
            _ => return None,
        };
        self.receipts.get(&key).map(|r| (key, *r))
    }

    /// What the document claims of earlier receipts, through the ledger the device uses
    /// (RC-11, RC-17, RC-18; SPEC.md §14.6): the first rule it breaks is the finding.
    fn claims(&mut self, doc: &Document, at: Option<u64>, line: Option<usize>) {
        let content = &doc.body().content;
        let claim = Claim::of(content, doc.body().shift, |r| self.lookup(r).ok_or(r));
        let claim = match claim {
            Ok(Some(claim)) => claim,
            Ok(None) => return,
            Err(reference) => {
                let what = match content {
                    Content::Cancel { .. } => "cancels",
                    Content::Request(Request::Return(_)) => "returns against",
                    Content::Request(Request::CreditPayment(_)) => "pays off",
                    _ => "uses the advance",
                };
                self.find(
                    ErrorCode::UnknownReference,
                    at,
                    line,
                    alloc::format!("{what} {reference}, which is not in the journal"),
                );
                return;
            }
        };
        if let Err(e) = self.ledger.apply(&claim) {
            self.find(e.code(), at, line, e.to_string());
            return;
        }
        // A cancel carries what it voids, member by member (RC-17).
        if let (Content::Cancel { voided, .. }, Claim::Cancel { parent, .. }) = (content, &claim) {
            if self.voidable.get(&parent.key) != Some(voided) {
                self.find(
                    ErrorCode::ContentInvalid,
                    at,
                    line,
                    alloc::format!(
                        "what the cancel voids is not receipt {} as it was issued",
                        parent.receipt.number
                    ),
                );
            }
        }
    }

    /// Keeps what later documents may need of a signed document — every kind, so that a
    /// reference to the wrong kind is `reference_wrong_kind`, as at the device (with
    /// [`JournalVerifier::index_only`], only of the documents something refers to).
    fn index(&mut self, doc: &Document) {
        if !self.only.as_ref().is_none_or(|o| o.contains(&doc.id().0)) {
            return;
        }
        let receipt = Receipt::of(doc);
        if matches!(
            receipt.kind,
            Some(DocType::Sale | DocType::Advance | DocType::CreditPayment)
        ) {
            if let Some(v) = ledger::voided(doc) {
                self.voidable.insert(doc.id().0, v);
            }
        }
        self.receipts.insert(doc.id().0, receipt);
    }
}

/// Verifies a self-contained journal (JSON Lines, the certificate line first: §13.5), its
/// lines as [`journal_lines`] splits them.
pub fn verify_journal(text: &str, authority: &PublicKey, rates: &RateTable) -> JournalReport {
    let mut v = JournalVerifier::new(authority, rates);
    for line in journal_lines(text) {
        v.add_line(line);
    }
    v.finish()
}

/// Verifies journal lines of documents whose certificate is given separately (lines as
/// [`journal_lines`] splits them; no document is an `empty_journal` finding here too).
pub fn verify_journal_with_certificate(
    text: &str,
    certificate: &Certificate,
    authority: &PublicKey,
    rates: &RateTable,
) -> JournalReport {
    let mut v = JournalVerifier::with_certificate(certificate, authority, rates);
    for line in journal_lines(text) {
        v.add_line(line);
    }
    v.finish()
}

#[cfg(feature = "std")]
pub use parallel::{
    referenced_receipts, verify_journal_parallel, verify_journal_reader, verify_journal_reader_with,
};

/// The journal verifier on several threads (feature `std`): workers prepare chunks of lines
/// ([`LinePreparer`]), the calling thread reads the input and feeds the prepared lines to one
/// [`JournalVerifier`] in journal order. At most a few chunks are in flight, so memory does
/// not depend on the journal's length.
#[cfg(feature = "std")]
mod parallel {
    use std::collections::BTreeMap;
    use std::io::{self, BufRead, Read};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;
    use std::sync::Mutex;

    use super::{
        journal_lines, JournalReport, JournalVerifier, LinePreparer, PreparedLine,
        ReferencedReceipts, MAX_JOURNAL_LINE,
    };
    use crate::crypto::PublicKey;
    use crate::tax::RateTable;

    /// Lines prepared together by one worker (about 15 ms of work with `ring`): large enough
    /// that handing chunks over costs nothing, small enough that both cores stay busy.
    const CHUNK_LINES: usize = 256;
    /// …or fewer, once they hold this many bytes (a chunk always takes at least one line).
    const CHUNK_BYTES: usize = 1 << 20;

    /// A line of a chunk (without its LF; a CR before it is kept, for the verifier to report).
    enum Line<'t> {
        /// Borrowed from the caller's text.
        Text(&'t str),
        /// Bytes `start..end` of the chunk's buffer.
        Bytes { start: usize, end: usize },
        /// A line longer than [`MAX_JOURNAL_LINE`] + 1 bytes, not kept: whether all its bytes
        /// were ASCII whitespace, and whether it ended with a CR. That is all the verifier
        /// reads of it (`LinePreparer::prepare` refuses such a line for its length, unless it
        /// is blank).
        TooLong { blank: bool, cr: bool },
    }

    /// Lines read together, and the buffer holding the ones read from a reader.
    #[derive(Default)]
    struct Chunk<'t> {
        buffer: Vec<u8>,
        lines: Vec<Line<'t>>,
    }

    impl Chunk<'_> {
        /// Prepares lines `from..` (the workers' part).
        fn prepare<'r>(&self, from: usize, preparer: &LinePreparer<'r>) -> Vec<PreparedLine<'r>> {
            self.lines
                .get(from..)
                .unwrap_or_default()
                .iter()
                .map(|line| self.prepare_one(line, preparer))
                .collect()
        }

        /// Prepares line `at` alone; `None` past the end.
        fn prepare_at<'r>(
            &self,
            at: usize,
            preparer: &LinePreparer<'r>,
        ) -> Option<PreparedLine<'r>> {
            self.lines
                .get(at)
                .map(|line| self.prepare_one(line, preparer))
        }

        fn prepare_one<'r>(
            &self,
            line: &Line<'_>,
            preparer: &LinePreparer<'r>,
        ) -> PreparedLine<'r> {
            match *line {
                Line::Text(text) => preparer.prepare(text),
                Line::Bytes { start, end } => {
                    preparer.prepare_bytes(self.buffer.get(start..end).unwrap_or_default())
                }
                Line::TooLong { blank, cr } => preparer.prepare_too_long(blank, cr),
            }
        }
    }

    /// Where lines come from.
    trait Source<'t> {
        /// The next chunk, empty at the end; and the bytes read so far.
        fn next_chunk(&mut self) -> io::Result<(Chunk<'t>, u64)>;
    }

    struct TextSource<'t, I: Iterator<Item = &'t str>> {
        lines: I,
        read: u64,
    }

    impl<'t, I: Iterator<Item = &'t str>> Source<'t> for TextSource<'t, I> {
        fn next_chunk(&mut self) -> io::Result<(Chunk<'t>, u64)> {
            let mut chunk = Chunk::default();
            let mut bytes = 0;
            while chunk.lines.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
                let Some(line) = self.lines.next() else { break };
                bytes += line.len() + 1;
                chunk.lines.push(Line::Text(line));
            }
            self.read += bytes as u64;
            Ok((chunk, self.read))
        }
    }

    struct ReaderSource<R> {
        reader: R,
        read: u64,
    }

    impl<R: BufRead> ReaderSource<R> {
        /// Appends one line to `chunk`, without its LF (a CR before the LF stays, for the
        /// verifier to report: SPEC.md §13.5, one spelling); false at the end of the input.
        /// Lines end at each LF, and the last one at the end of the input, as
        /// [`journal_lines`] splits a text.
        fn read_line(&mut self, chunk: &mut Chunk<'_>) -> io::Result<bool> {
            let start = chunk.buffer.len();
            // The longest line that can be read: MAX_JOURNAL_LINE bytes, a CR, the LF.
            let keep = MAX_JOURNAL_LINE as u64 + 2;
            let n = self
                .reader
                .by_ref()
                .take(keep)
                .read_until(b'\n', &mut chunk.buffer)?;
            if n == 0 {
                return Ok(false);
            }
            self.read += n as u64;
            if chunk.buffer.last() == Some(&b'\n') {
                chunk.buffer.pop();
            } else if n as u64 == keep {
                // Too long to be read: skip the rest of it without keeping any, noting only
                // what the verifier reads of such a line (blank, a CR at its end).
                let kept = chunk.buffer.get(start..).unwrap_or_default();
                let mut blank = kept.iter().all(u8::is_ascii_whitespace);
                let mut last = kept.last().copied();
                chunk.buffer.truncate(start);
                loop {
                    let (done, used) = {
                        let available = self.reader.fill_buf()?;
                        let (done, part, used) = match available.iter().position(|&b| b == b'\n') {
                            Some(i) => (true, available.get(..i).unwrap_or_default(), i + 1),
                            None => (available.is_empty(), available, available.len()),
                        };
                        blank &= part.iter().all(u8::is_ascii_whitespace);
                        last = part.last().copied().or(last);
                        (done, used)
                    };
                    self.reader.consume(used);
                    self.read += used as u64;
                    if done {
                        break;
                    }
                }
                chunk.lines.push(Line::TooLong {
                    blank,
                    cr: last == Some(b'\r'),
                });
                return Ok(true);
            }
            chunk.lines.push(Line::Bytes {
                start,
                end: chunk.buffer.len(),
            });
            Ok(true)
        }
    }

    impl<'t, R: BufRead> Source<'t> for ReaderSource<R> {
        fn next_chunk(&mut self) -> io::Result<(Chunk<'t>, u64)> {
            let mut chunk = Chunk::default();
            while chunk.lines.len() < CHUNK_LINES
                && chunk.buffer.len() < CHUNK_BYTES
                && self.read_line(&mut chunk)?
            {}
            Ok((chunk, self.read))
        }
    }

    fn stopped() -> io::Error {
        io::Error::other("a journal verification worker stopped")
    }

    /// Runs the verifier over `source` with `threads` workers (1: none, all on this thread).
    fn run<'t, S, E, P>(
        mut source: S,
        verifier: &mut JournalVerifier<'_>,
        threads: usize,
        mut progress: P,
    ) -> Result<(), E>
    where
        S: Source<'t>,
        E: From<io::Error>,
        P: FnMut(u64) -> Result<(), E>,
    {
        // Until the device key is settled (the certificate line, normally the first), lines
        // are prepared one at a time, each with the verifier's latest key: each line once, so
        // lines that are not documents before any certificate (garbage, a failed export) cost
        // what they cost the sequential verifier.
        let mut first = loop {
            let (chunk, read) = source.next_chunk()?;
            if chunk.lines.is_empty() {
                return Ok(());
            }
            progress(read)?;
            let mut done = 0;
            while done < chunk.lines.len() && !verifier.key_is_settled() {
                if let Some(line) = chunk.prepare_at(done, &verifier.preparer()) {
                    verifier.add_prepared(line);
                }
                done += 1;
            }
            if done < chunk.lines.len() {
                break (chunk, done);
            }
        };
        let preparer = verifier.preparer();
        if threads <= 1 {
            loop {
                for line in first.0.prepare(first.1, &preparer) {
                    verifier.add_prepared(line);
                }
                let (chunk, read) = source.next_chunk()?;
                if chunk.lines.is_empty() {
                    return Ok(());
                }
                progress(read)?;
                first = (chunk, 0);
            }
        }
        let stop = AtomicBool::new(false);
        let (jobs, queue) = mpsc::sync_channel::<(u64, Chunk<'t>, usize)>(threads);
        let queue = Mutex::new(queue);
        let (results, prepared) = mpsc::channel::<(u64, Vec<PreparedLine<'_>>)>();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let results = results.clone();
                let (queue, stop) = (&queue, &stop);
                scope.spawn(move || loop {
                    // The lock is held only while taking a job, never while preparing it.
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, chunk, from)) = job else { return };
                    let lines = if stop.load(Ordering::Relaxed) {
                        Vec::new()
                    } else {
                        chunk.prepare(from, &preparer)
                    };
                    if results.send((seq, lines)).is_err() {
                        return;
                    }
                });
            }
            drop(results);
            let outcome = feed(
                &mut source,
                verifier,
                first,
                &jobs,
                &prepared,
                threads,
                &mut progress,
            );
            if outcome.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            // Closing the queue lets the workers finish; the scope waits for them.
            drop(jobs);
            outcome
        })
    }

    /// The calling thread's part: reads chunks ahead, hands them out, and feeds the prepared
    /// lines back in order.
    fn feed<'t, 'r, S, E, P>(
        source: &mut S,
        verifier: &mut JournalVerifier<'_>,
        first: (Chunk<'t>, usize),
        jobs: &mpsc::SyncSender<(u64, Chunk<'t>, usize)>,
        prepared: &mpsc::Receiver<(u64, Vec<PreparedLine<'r>>)>,
        threads: usize,
        progress: &mut P,
    ) -> Result<(), E>
    where
        S: Source<'t>,
        E: From<io::Error>,
        P: FnMut(u64) -> Result<(), E>,
    {
        // Enough chunks ahead to keep every worker busy while this thread feeds one.
        let ahead = 2 * threads + 2;
        let mut next_job = Some(first);
        let (mut sent, mut fed) = (0u64, 0u64);
        let mut waiting: BTreeMap<u64, Vec<PreparedLine<'r>>> = BTreeMap::new();
        loop {
            while sent - fed < ahead as u64 {
                let Some((chunk, from)) = next_job.take() else {
                    break;
                };
                jobs.send((sent, chunk, from)).map_err(|_| stopped())?;
                sent += 1;
                let (chunk, read) = source.next_chunk()?;
                if !chunk.lines.is_empty() {
                    progress(read)?;
                    next_job = Some((chunk, 0));
                }
            }
            if fed == sent {
                return Ok(());
            }
            let (seq, lines) = prepared.recv().map_err(|_| stopped())?;
            waiting.insert(seq, lines);
            while let Some(lines) = waiting.remove(&fed) {
                for line in lines {
                    verifier.add_prepared(line);
                }
                fed += 1;
            }
        }
    }

    /// Verifies a self-contained journal read from `reader` (SPEC.md §13.5, §15.2), streaming:
    /// memory stays bounded whatever the journal's length (see the module's notes). Lines are
    /// prepared on `threads` worker threads (1: all on the calling thread) and checked in
    /// order; the report is the one [`super::verify_journal`] gives for the same text. Bytes
    /// that are not UTF-8 make an `invalid_document` finding for their line; a line longer
    /// than [`MAX_JOURNAL_LINE`] is skipped unread, with its finding. `progress` is called on
    /// the calling thread with the bytes read so far, after each chunk of lines; an error from
    /// it (or from reading) stops the run and is returned.
    pub fn verify_journal_reader<R, E, P>(
        reader: R,
        authority: &PublicKey,
        rates: &RateTable,
        threads: usize,
        progress: P,
    ) -> Result<JournalReport, E>
    where
        R: BufRead,
        E: From<io::Error>,
        P: FnMut(u64) -> Result<(), E>,
    {
        verify_journal_reader_with(
            reader,
            JournalVerifier::new(authority, rates),
            threads,
            progress,
        )
    }

    /// [`verify_journal_reader`] with a verifier the caller set up, for instance with
    /// [`JournalVerifier::index_only`] and the [`referenced_receipts`] of a first pass.
    pub fn verify_journal_reader_with<R, E, P>(
        reader: R,
        mut verifier: JournalVerifier<'_>,
        threads: usize,
        progress: P,
    ) -> Result<JournalReport, E>
    where
        R: BufRead,
        E: From<io::Error>,
        P: FnMut(u64) -> Result<(), E>,
    {
        run(
            ReaderSource { reader, read: 0 },
            &mut verifier,
            threads,
            progress,
        )?;
        Ok(verifier.finish())
    }

    /// The first pass of a low-memory verification: the receipts `reader`'s journal refers
    /// to. Lines that are not UTF-8 or not documents add nothing (the second pass reports
    /// them).
    pub fn referenced_receipts<R: BufRead>(mut reader: R) -> io::Result<ReferencedReceipts> {
        let mut set = ReferencedReceipts::default();
        let mut line = Vec::new();
        let limit = MAX_JOURNAL_LINE as u64 + 2; // the line, then a CR and the LF
        loop {
            line.clear();
            if (&mut reader).take(limit).read_until(b'\n', &mut line)? == 0 {
                break;
            }
            if !line.ends_with(b"\n") && line.len() as u64 == limit {
                // Longer than a journal line may be: skipped unread, as the second pass does.
                loop {
                    let buf = reader.fill_buf()?;
                    if buf.is_empty() {
                        break;
                    }
                    match buf.iter().position(|&b| b == b'\n') {
                        Some(i) => {
                            reader.consume(i + 1);
                            break;
                        }
                        None => {
                            let n = buf.len();
                            reader.consume(n);
                        }
                    }
                }
                continue;
            }
            if let Ok(text) = core::str::from_utf8(&line) {
                // Without its LF, as the second pass reads it (`add_line` drops one CR).
                set.add_line(text.strip_suffix('\n').unwrap_or(text));
            }
        }
        Ok(set.done())
    }

    /// [`super::verify_journal`] on `threads` threads (1: on the calling thread only): the
    /// same report, faster on several cores (issue #10).
    pub fn verify_journal_parallel(
        text: &str,
        authority: &PublicKey,
        rates: &RateTable,
        threads: usize,
    ) -> JournalReport {
        let mut verifier = JournalVerifier::new(authority, rates);
        let source = TextSource {
            lines: journal_lines(text),
            read: 0,
        };
        match run(source, &mut verifier, threads, |_| Ok::<(), io::Error>(())) {
            Ok(()) => verifier.finish(),
            // Text cannot fail to read; only a worker that stopped could get here.
            Err(_) => super::verify_journal(text, authority, rates),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::crypto::PrivateKey;
    use crate::document::DocumentBody;

    #[test]
    fn journal_lines_end_at_lf_and_a_final_lf_starts_no_line() {
        // SPEC.md §13.5: the final-LF rule, worked out by hand.
        let split = |t: &'static str| journal_lines(t).collect::<Vec<_>>();
        assert_eq!(split("A\nB\n"), ["A", "B"]);
        assert_eq!(split("A\nB"), ["A", "B"]);
        assert_eq!(split("A\n\nB"), ["A", "", "B"]);
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("\n"), [""]);
        assert_eq!(split("A\r\nB\r"), ["A\r", "B\r"]);
        // What each line is: its spelling, and the content read.
        let of = |t: &'static str| Spelling::of(t.as_bytes());
        assert_eq!(of("{}"), (Spelling::Canonical, &b"{}"[..]));
        assert_eq!(of("{}\r"), (Spelling::Cr, &b"{}"[..]));
        assert_eq!(of("{}\r\r"), (Spelling::Cr, &b"{}\r"[..]));
        assert_eq!(of("{\r}"), (Spelling::Canonical, &b"{\r}"[..]));
        assert_eq!(of(""), (Spelling::Empty, &b""[..]));
        assert_eq!(of("\r"), (Spelling::Empty, &b""[..]));
        assert_eq!(of(" \t\x0c\r"), (Spelling::Blank, &b" \t\x0c"[..]));
        assert_eq!(of(" \r\r"), (Spelling::Blank, &b" \r"[..]));
        // Whitespace beyond ASCII does not make a line blank: such a line is not a document.
        assert_eq!(of("\u{a0}").0, Spelling::Canonical);
    }

    #[test]
    fn a_journal_line_is_read_only_in_the_exact_form_the_device_writes() {
        // SPEC.md §13.5: these members, in this order, no spaces, lowercase hex, the number
        // without leading zeros. Every other spelling of the same document is refused by
        // `Document::from_journal_line`, the verifier's only reader.
        let body = DocumentBody {
            number: 7,
            time: Timestamp(1_800_000_000_000),
            shift: 2,
            shift_receipt: 0,
            previous: [5; 32],
            content: Content::OpenShift,
        };
        let doc = Document::sign(body, &PrivateKey::from_seed(b"read_document"));
        let line = doc.to_journal_line();
        assert_eq!(Document::from_journal_line(&line).as_ref(), Ok(&doc));
        let id = doc.id().long();
        let body_hex = hex::encode(doc.signed_bytes());
        let sig_hex = hex::encode(doc.signature().0);
        let invalid = alloc::vec![
            line.replace(&id, &id[..63]),
            line.replace("\"number\":7", "\"number\":8"),
            line.replace("\"number\":7", "\"number\":07"),
            line.replace("\"number\":7", "\"number\": 7"),
            line.replace("\"number\":7", "\"number\":7.0"),
            line.replace("\"number\":7", "\"number\":\"7\""),
            line.replace("\"body\":\"", "\"body\":\"0"),
            line.replace("\"body\":\"", "\"body\":\"zz"),
            line.replace("\"body\":\"", "\"body\":\"\\u0030\\u0030"),
            line.replace(&body_hex, &body_hex.to_uppercase()),
            line.replace(&body_hex, &body_hex[..body_hex.len() - 2]),
            line.replace(&sig_hex, &sig_hex.to_uppercase()),
            line.replace("\"signature\":\"", "\"signature\":\"00"),
            line.replace("\"signature\":\"", "\"signature\":\"x"),
            line.replace('}', ",\"extra\":1}"),
            line.replace(',', ", "),
            alloc::format!(" {line}"),
            alloc::format!("{line} "),
            alloc::format!(
                r#"{{"id":"{id}","number":7,"body":"{body_hex}","signature":"{sig_hex}"}}"#
            ),
            alloc::format!(r#"[7,"{id}","{body_hex}","{sig_hex}"]"#),
            line.to_uppercase(),
            String::new(),
            "{}".into(),
            "[1,2]".into(),
            alloc::format!("{line}{}", " ".repeat(MAX_JOURNAL_LINE)),
        ];
        for case in &invalid {
            let shown = case.get(..120).unwrap_or(case);
            let read = Document::from_journal_line(case);
            assert!(
                matches!(
                    read,
                    Err(Error::InvalidDocument(_) | Error::WrongFiscalId { .. })
                ),
                "{shown}: {read:?}"
            );
        }
        // An uppercase ID is the right ID mis-spelled: reported as a wrong fiscal ID.
        assert_eq!(
            Document::from_journal_line(&line.replace(&id, &id.to_uppercase())),
            Err(Error::WrongFiscalId { number: 7 })
        );
    }
}
