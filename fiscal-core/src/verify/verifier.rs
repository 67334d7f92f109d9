//! The journal verifier: the checks that depend on the lines before (numbering, chain, time,
//! shifts, counters, references), run in journal order on lines a [`LinePreparer`] prepared.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::index::{Index, ReferencedReceipts};
use super::line::{revalidate, Item, LinePreparer, PreparedDocument, PreparedLine, Revalidation};
use super::report::{Finding, JournalReport};
#[cfg(doc)]
use super::JournalVerification;
use crate::certificate::Certificate;
use crate::crypto::{Hash, PublicKey};
use crate::device::{account, MAX_SHIFT_MS};
use crate::document::{Content, Document, ShiftReport, Voided};
use crate::error::{Error, ErrorCode};
use crate::ledger::{self, Claim, Ledger, Receipt};
use crate::money::Amount;
use crate::receipt::{DocType, Request};
use crate::tax::RateTable;
use crate::time::Timestamp;

/// Fiscal IDs kept by number, for the chain of an out-of-order document and for telling a
/// duplicate from a reordered document (NM-03, NM-11): those of the last 8 192 numbers. A
/// document repeated further back than that is reported `out_of_order` rather than
/// `duplicate_document`, and its chain is not checked (its predecessor's ID is gone); both
/// are findings, so a journal's validity does not depend on the window.
pub const RECENT_IDS: usize = 8192;

struct Shift {
    report: ShiftReport,
}

/// A streaming journal verifier, made by [`JournalVerification::start`]: fed one line (or
/// document) at a time in journal order, then [`finish`](Self::finish)ed for the report.
///
/// Memory does not grow with the journal except for the index of receipts that later
/// documents may reference (returns, cancels, instalments, advances: RC-17, RC-18 set no time
/// limit on returns): 56 bytes a receipt (the 32-byte fiscal ID and a 24-byte record; a credit
/// and a prepayment kept apart, only for the receipts that have one), about 100 with the
/// tree's free slots; the low-memory mode of
/// [`JournalVerification`] indexes only the receipts something refers to. The fiscal IDs kept
/// for the chain and for recognizing duplicates are those of the last
/// [`RECENT_IDS`](crate::limits::RECENT_IDS) numbers; the findings kept are the first
/// [`MAX_FINDINGS`](crate::limits::MAX_FINDINGS), and the rest are counted.
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
    /// Every receipt later documents may refer to (RC-17, RC-18).
    receipts: Index,
    /// What documents have claimed of those receipts: the same rules as the device's.
    ledger: Ledger,
    /// What a cancel of each receipt of the open shift must carry (RC-17): cancels stay in
    /// their receipt's shift, so this is emptied when a shift opens.
    voidable: BTreeMap<Hash, Voided>,
    /// The decommission document's number, once read (NM-12), and whether a document after
    /// it was reported (once: one fault, one finding).
    decommissioned: Option<(u64, bool)>,
    /// An excerpt (SPEC.md §15.4): where it starts, and whether the shift it starts in is
    /// still unknown (until its first shift opening or Z-report).
    excerpt: Option<Excerpt>,
}

/// What an excerpt's verifier does not know (SPEC.md §15.4).
#[derive(Debug, Clone, Copy)]
struct Excerpt {
    /// The number of its first document.
    from: u64,
    /// True until the excerpt's first shift opening or Z-report: the shift the excerpt starts
    /// in opened before it, so its counters and totals are not known.
    shift_unknown: bool,
}

impl<'a> JournalVerifier<'a> {
    /// A verifier for a self-contained journal, whose first line is its certificate (§13.5).
    /// The certificate is trusted only if `authority` signed it.
    pub(crate) fn new(authority: &PublicKey, rates: &'a RateTable) -> Self {
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
            receipts: Index::default(),
            ledger: Ledger::default(),
            voidable: BTreeMap::new(),
            decommissioned: None,
            excerpt: None,
        }
    }

    /// A verifier for documents whose certificate is already known (checked against
    /// `authority` first).
    pub(crate) fn with_certificate(
        certificate: &Certificate,
        authority: &PublicKey,
        rates: &'a RateTable,
    ) -> Self {
        let mut v = Self::new(authority, rates);
        v.set_certificate(certificate.clone(), None);
        v
    }

    /// Verifies an excerpt that starts at document `from` (SPEC.md §15.4): what depends on the
    /// documents before it — the first document's link, the shift it starts in, receipts they
    /// issued — is listed as unchecked instead of reported. `from` 1 (or 0) is a whole journal.
    pub(crate) fn excerpt_from(mut self, from: u64) -> Self {
        if from > 1 {
            self.last_number = from - 1;
            self.excerpt = Some(Excerpt {
                from,
                shift_unknown: true,
            });
        }
        self
    }

    /// Lists what an excerpt cannot check (never a finding: the journal is not at fault).
    fn unchecked(&mut self, number: Option<u64>, line: Option<usize>, message: String) {
        self.report.push_unchecked(Finding {
            code: ErrorCode::UnknownReference,
            number,
            line,
            message,
        });
    }

    /// True while the excerpt's first shift is the one it started in (opened before it).
    fn in_unknown_shift(&self) -> bool {
        self.excerpt.is_some_and(|e| e.shift_unknown)
    }

    /// The excerpt's first shift is known from here on.
    fn shift_known(&mut self) {
        if let Some(e) = self.excerpt.as_mut() {
            e.shift_unknown = false;
        }
    }

    /// Indexes only the receipts in `referenced` (read from the same journal in a first
    /// pass): the report is the same as without it, and memory grows with the references
    /// instead of with the receipts (SPEC.md §15.2, "Memory").
    pub(crate) fn index_only(mut self, referenced: ReferencedReceipts) -> Self {
        self.receipts.only(referenced);
        self
    }

    /// The device key documents must be signed with, once the certificate is known: bindings
    /// that check signatures in parallel use it with [`JournalVerifier::add_checked`].
    pub(crate) fn device_key(&self) -> Option<PublicKey> {
        self.certificate.as_ref().map(|c| c.body().device_key)
    }

    /// A preparer for the lines that follow: it checks signatures with this verifier's device
    /// key when the certificate is known, and re-validates receipts with its rates.
    pub(crate) fn preparer(&self) -> LinePreparer<'a> {
        LinePreparer {
            key: self.device_key(),
            rates: self.rates,
        }
    }

    /// True once the device key can no longer change: the certificate is known, or a document
    /// came first (a certificate line after documents is refused). From then on, lines may be
    /// prepared ahead, in parallel, with [`JournalVerifier::preparer`].
    pub(crate) fn key_is_settled(&self) -> bool {
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
    pub(crate) fn add_prepared(&mut self, prepared: PreparedLine<'_>) {
        drop(self.add_prepared_spent(prepared));
    }

    /// [`JournalVerifier::add_prepared`], giving back the line's document once checked, for
    /// the caller to free where it pleases: on the thread that decoded it, whose allocator
    /// arena frees it without the lock a free from another thread contends for (glibc's).
    pub(super) fn add_prepared_spent(
        &mut self,
        prepared: PreparedLine<'_>,
    ) -> Option<Box<PreparedDocument>> {
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
            Item::Document(mut p) => {
                // Read in its box: moving the document out would copy it (a few hundred
                // bytes a document, on the thread that feeds the workers' lines in order).
                let key = self.device_key();
                let valid = match (p.signature, key) {
                    (Some((used, valid)), Some(k)) if used == k => valid,
                    (_, Some(k)) => p.doc.verify(&k),
                    (_, None) => false,
                };
                let content = core::mem::replace(&mut p.content, Revalidation::Pending);
                let content = if core::ptr::eq(prepared.rates, self.rates) {
                    content
                } else {
                    Revalidation::Pending
                };
                self.check(&p.doc, valid, content, line);
                return Some(p);
            }
        }
        None
    }

    /// Checks one document, in journal order.
    pub fn add_document(&mut self, doc: &Document) {
        let valid = self.device_key().is_some_and(|k| doc.verify(&k));
        self.add_checked(doc, valid);
    }

    /// Checks one document whose signature was already checked against
    /// [`JournalVerifier::device_key`] (`signature_valid`), e.g. on another core.
    pub(crate) fn add_checked(&mut self, doc: &Document, signature_valid: bool) {
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
        if let Some(e) = self
            .excerpt
            .filter(|e| e.from == n && expected_previous.is_none())
        {
            self.unchecked(
                at,
                line,
                alloc::format!(
                    "the excerpt starts at document {}: its link to document {} is not checked",
                    e.from,
                    e.from - 1
                ),
            );
        }
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
                // An excerpt does not know the shift before its first opening.
                let first_known = self.excerpt.is_some() && self.last_shift == 0;
                if !first_known && body.shift != self.last_shift.saturating_add(1) {
                    self.find(
                        ErrorCode::CounterMismatch,
                        at,
                        line,
                        alloc::format!("shift {} follows shift {}", body.shift, self.last_shift),
                    );
                }
                self.last_shift = body.shift;
                self.shift_known();
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
                if self.shift.is_none() && self.in_unknown_shift() {
                    self.shift_known();
                    self.last_shift = body.shift;
                    self.unchecked(
                        at,
                        line,
                        alloc::format!(
                            "the Z-report of shift {}, which opened before the excerpt: its totals are not checked",
                            body.shift
                        ),
                    );
                    return;
                }
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
        let unknown_shift = self.in_unknown_shift();
        match self.shift.as_mut() {
            // The shift the excerpt starts in: its counters and drawer are not known.
            None if unknown_shift => {}
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
        // Whether the content or a claim already broke a rule: then the drawer is not reported
        // (one finding per document, as the device stops at the first failure).
        let broke = match &body.content {
            Content::Request(Request::Cancel(_)) => {
                self.find(
                    ErrorCode::ContentInvalid,
                    at,
                    line,
                    "a cancel without the receipt it voids".into(),
                );
                true
            }
            Content::Request(r) => {
                // The content must pass validation again on its own date: totals, taxes,
                // payments (RC-05). Usually done already, on a worker.
                let problem = match content {
                    Revalidation::Done(problem) => problem,
                    Revalidation::Pending => revalidate(r, body.time, self.rates),
                };
                let invalid = problem.is_some();
                if let Some(message) = problem {
                    self.find(ErrorCode::ContentInvalid, at, line, message);
                }
                self.claims(doc, at, line) || invalid
            }
            Content::Cancel { .. } => self.claims(doc, at, line),
            _ => false,
        };
        if let Some((code, message)) = overdrawn.filter(|_| !broke) {
            self.find(code, at, line, message);
        }
    }

    /// What the document claims of earlier receipts, through the ledger the device uses
    /// (RC-11, RC-17, RC-18; SPEC.md §14.6): the first rule it breaks is the finding. True
    /// when it reported one.
    fn claims(&mut self, doc: &Document, at: Option<u64>, line: Option<usize>) -> bool {
        let content = &doc.body().content;
        let claim = Claim::of(content, doc.body().shift, |r| {
            self.receipts.lookup(r).ok_or(r)
        });
        let claim = match claim {
            Ok(Some(claim)) => claim,
            Ok(None) => return false,
            Err(reference) if self.excerpt.is_some() => {
                // Most likely a receipt issued before the excerpt (a deleted one inside it
                // leaves a number gap, reported as such).
                self.unchecked(
                    at,
                    line,
                    alloc::format!(
                        "names {reference}, which is not in the excerpt: what it claims of it is not checked"
                    ),
                );
                return false;
            }
            Err(reference) => {
                // A return or instalment on a receipt of the deployed system (a Base58 ID
                // that is not in the journal, SPEC.md §8.6): not checkable, no break.
                let foreign = crate::document::is_base58_reference(reference)
                    && matches!(
                        content,
                        Content::Request(Request::Return(_) | Request::CreditPayment(_))
                    );
                if foreign {
                    self.report.push_unchecked(Finding {
                        code: ErrorCode::ForeignReference,
                        number: at,
                        line,
                        message: alloc::format!(
                            "names {reference}, a receipt of the deployed system (not in this journal): what it claims of it cannot be checked here"
                        ),
                    });
                    return false;
                }
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
                return true;
            }
        };
        if let Err(e) = self.ledger.apply(&claim) {
            self.find(e.code(), at, line, e.to_string());
            return true;
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
                return true;
            }
        }
        false
    }

    /// Keeps what later documents may need of a signed document — every kind, so that a
    /// reference to the wrong kind is `reference_wrong_kind`, as at the device (with
    /// [`JournalVerifier::index_only`], only of the documents something refers to).
    fn index(&mut self, doc: &Document) {
        if !self.receipts.wants(&doc.id().0) {
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
