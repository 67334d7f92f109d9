//! Verification of one document and of a whole journal (SPEC.md §15).
//!
//! The journal verifier reads a device's documents in order (JSON Lines, one per line) and
//! reports every break with its rule: bad signatures, wrong fiscal IDs, altered, missing,
//! duplicated or reordered documents, a broken chain, time going backwards, receipts outside a
//! shift, Z-reports that do not match their shift, references to unknown receipts, returns
//! above the sale and instalments above the debt. It streams: feed lines one by one.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::certificate::Certificate;
use crate::crypto::{Hash, PublicKey};
use crate::device::{account, MAX_SHIFT_MS};
use crate::document::{Content, Document, ShiftReport};
use crate::error::{Error, ErrorCode};
use crate::money::Amount;
use crate::receipt::{DocType, Request, ValidationContext};
use crate::tax::RateTable;
use crate::time::Timestamp;

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
    /// Every break, in journal order.
    pub findings: Vec<Finding>,
}

impl JournalReport {
    /// True when nothing was found.
    pub fn is_valid(&self) -> bool {
        self.findings.is_empty()
    }

    /// True when some finding has `code`.
    pub fn has(&self, code: ErrorCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
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

#[derive(Debug, Clone)]
struct Entry {
    number: u64,
    kind: DocType,
    shift: u32,
    total: Amount,
    credit: Amount,
    returned: Amount,
    paid: Amount,
    instalments: u32,
    consumed: Amount,
    cancelled: bool,
}

struct Shift {
    report: ShiftReport,
}

/// A streaming journal verifier.
pub struct JournalVerifier<'a> {
    certificate: Option<Certificate>,
    authority: PublicKey,
    rates: &'a RateTable,
    report: JournalReport,
    /// Fiscal IDs by number: what each document's `previous` must be.
    ids: BTreeMap<u64, Hash>,
    last_number: u64,
    last_time: Option<Timestamp>,
    last_shift: u32,
    shift: Option<Shift>,
    receipts: BTreeMap<String, Entry>,
}

impl<'a> JournalVerifier<'a> {
    /// A verifier for a self-contained journal, whose first line is its certificate (§13.5).
    /// The certificate is trusted only if `authority` signed it.
    pub fn new(authority: &PublicKey, rates: &'a RateTable) -> Self {
        JournalVerifier {
            certificate: None,
            authority: *authority,
            rates,
            report: JournalReport::default(),
            ids: BTreeMap::new(),
            last_number: 0,
            last_time: None,
            last_shift: 0,
            shift: None,
            receipts: BTreeMap::new(),
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

    /// The device key documents must be signed with, once the certificate is known: bindings
    /// that check signatures in parallel use it with [`JournalVerifier::add_checked`].
    pub fn device_key(&self) -> Option<PublicKey> {
        self.certificate.as_ref().map(|c| c.body().device_key)
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
        self.certificate = Some(certificate);
    }

    fn find(&mut self, code: ErrorCode, number: Option<u64>, line: Option<usize>, message: String) {
        self.report.findings.push(Finding {
            code,
            number,
            line,
            message,
        });
    }

    /// Reads one journal line: the certificate line or a document (blank lines are skipped).
    pub fn add_line(&mut self, text: &str) {
        self.report.lines += 1;
        let line = self.report.lines;
        if text.trim().is_empty() {
            return;
        }
        if text.trim_start().starts_with("{\"certificate\"") {
            match Certificate::from_journal_line(text) {
                Ok(c) => self.set_certificate(c, Some(line)),
                Err(e) => self.find(e.code(), None, Some(line), e.to_string()),
            }
            return;
        }
        match Document::from_journal_line(text) {
            Ok(doc) => {
                let valid = self.device_key().is_some_and(|k| doc.verify(&k));
                self.check(&doc, valid, Some(line));
            }
            Err(e) => {
                let number = match e {
                    Error::WrongFiscalId { number } => Some(number),
                    _ => None,
                };
                self.find(e.code(), number, Some(line), e.to_string());
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
        self.check(doc, signature_valid, Some(line));
    }

    /// The report.
    pub fn finish(self) -> JournalReport {
        self.report
    }

    fn check(&mut self, doc: &Document, signature_valid: bool, line: Option<usize>) {
        let n = doc.number();
        let at = Some(n);
        self.report.documents += 1;
        let Some(certificate) = self.certificate.clone() else {
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
            Some(certificate.hash())
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
        self.ids.insert(n, doc.id().0);
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
            if let Err(e) = certificate.validity_at(body.time) {
                self.find(e.code(), at, line, e.to_string());
            }
        }
        self.structure(doc, &certificate, line);
    }

    fn structure(&mut self, doc: &Document, certificate: &Certificate, line: Option<usize>) {
        let body = doc.body();
        let at = Some(doc.number());
        match &body.content {
            Content::Activation { certificate: hash } => {
                if doc.number() != 1 || *hash != certificate.hash() {
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
                if self.shift.is_some() {
                    self.find(
                        ErrorCode::OutsideShift,
                        at,
                        line,
                        "decommissioned with a shift open".into(),
                    );
                }
            }
            Content::Request(_) | Content::Cancel { .. } => self.receipt(doc, line),
        }
    }

    fn receipt(&mut self, doc: &Document, line: Option<usize>) {
        let body = doc.body();
        let at = Some(doc.number());
        let Some(kind) = body.content.doc_type() else {
            return;
        };
        let is_receipt = kind.is_receipt();
        if is_receipt {
            self.report.receipts += 1;
        }
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
                if let Err(e) = account(&mut shift.report, &body.content) {
                    problems.push((ErrorCode::ContentInvalid, e.to_string()));
                }
                for (code, message) in problems {
                    self.find(code, at, line, message);
                }
            }
        }
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
                self.revalidate(r, body.time, at, line);
                self.references(doc, r, at, line);
            }
            Content::Cancel { request, voided } => {
                let shift_no = body.shift;
                match self.lookup(request.parent()) {
                    None => self.find(
                        ErrorCode::UnknownReference,
                        at,
                        line,
                        alloc::format!("cancels {}, which is not in the journal", request.parent()),
                    ),
                    Some(key) => {
                        let problem = {
                            let e = &self.receipts[&key];
                            let p = if e.cancelled {
                                Some((
                                    ErrorCode::AlreadyCancelled,
                                    alloc::format!("receipt {} is cancelled twice", e.number),
                                ))
                            } else if e.shift != shift_no {
                                Some((
                                    ErrorCode::CancelOutsideShift,
                                    alloc::format!("receipt {} is of another shift", e.number),
                                ))
                            } else if !e.returned.is_zero() {
                                // Refunded once (RC-17): returns and a cancel would pay twice.
                                Some((
                                    ErrorCode::ReturnExceedsSale,
                                    alloc::format!(
                                        "cancels receipt {} after {} of it was returned",
                                        e.number,
                                        e.returned
                                    ),
                                ))
                            } else if e.number != voided.number || e.kind != voided.kind {
                                Some((
                                    ErrorCode::ContentInvalid,
                                    "what the cancel voids is not the receipt it names".into(),
                                ))
                            } else {
                                None
                            };
                            p
                        };
                        if let Some((code, message)) = problem {
                            self.find(code, at, line, message);
                        }
                        if let Some(e) = self.receipts.get_mut(&key) {
                            e.cancelled = true;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The content must pass validation again on its own date: totals, taxes, payments.
    fn revalidate(&mut self, r: &Request, time: Timestamp, at: Option<u64>, line: Option<usize>) {
        let ctx = ValidationContext {
            rates: self.rates,
            date: time.date_in_baku(),
        };
        match Request::from_json(&r.to_json(), &ctx) {
            Ok(again) if again == *r => {}
            Ok(_) => self.find(
                ErrorCode::ContentInvalid,
                at,
                line,
                "its totals or taxes are not what its lines give".into(),
            ),
            Err(e) => self.find(
                ErrorCode::ContentInvalid,
                at,
                line,
                alloc::format!("its content breaks the rules: {e}"),
            ),
        }
    }

    /// The receipt a reference names: its long ID, or its 12-character short ID (§13.3).
    fn lookup(&self, reference: &str) -> Option<String> {
        let r = reference.to_ascii_lowercase();
        if r.len() == 64 {
            return self.receipts.contains_key(&r).then_some(r);
        }
        if r.len() != crate::document::SHORT_ID_LEN {
            return None;
        }
        self.receipts
            .range(r.clone()..)
            .next()
            .filter(|(k, _)| k.starts_with(&r))
            .map(|(k, _)| k.clone())
    }

    fn references(&mut self, doc: &Document, r: &Request, at: Option<u64>, line: Option<usize>) {
        let body = r.body();
        let total = r.total();
        match r {
            Request::Return(ret) => match self.lookup(ret.parent()) {
                None => self.find(
                    ErrorCode::UnknownReference,
                    at,
                    line,
                    alloc::format!(
                        "returns against {}, which is not in the journal",
                        ret.parent()
                    ),
                ),
                Some(key) => {
                    if self.receipts.get(&key).is_some_and(|e| e.cancelled) {
                        self.find(
                            ErrorCode::AlreadyCancelled,
                            at,
                            line,
                            alloc::format!("returns against {}, which was cancelled", ret.parent()),
                        );
                    }
                    let problem = self.receipts.get_mut(&key).and_then(|e| {
                        e.returned = e.returned.checked_add(total).unwrap_or(Amount::max_value());
                        (e.returned > e.total).then(|| {
                            alloc::format!(
                                "returns of {} against receipt {} that sold {}",
                                e.returned,
                                e.number,
                                e.total
                            )
                        })
                    });
                    if let Some(m) = problem {
                        self.find(ErrorCode::ReturnExceedsSale, at, line, m);
                    }
                }
            },
            Request::CreditPayment(c) => match self.lookup(c.parent()) {
                None => self.find(
                    ErrorCode::UnknownReference,
                    at,
                    line,
                    alloc::format!("pays off {}, which is not in the journal", c.parent()),
                ),
                Some(key) => {
                    let mut problems = Vec::new();
                    if let Some(e) = self.receipts.get_mut(&key) {
                        e.instalments = e.instalments.saturating_add(1);
                        if c.instalment() != e.instalments {
                            problems.push((
                                ErrorCode::InstalmentNumberMismatch,
                                alloc::format!(
                                    "instalment {} where {} was due",
                                    c.instalment(),
                                    e.instalments
                                ),
                            ));
                        }
                        let debt = e.credit.checked_sub(e.paid).unwrap_or(Amount::ZERO);
                        e.paid = e.paid.checked_add(total).unwrap_or(Amount::max_value());
                        match debt.checked_sub(total) {
                            None => problems.push((
                                ErrorCode::InstalmentExceedsDebt,
                                alloc::format!("pays {total} on a debt of {debt}"),
                            )),
                            Some(left) if left != c.debt_left() => problems.push((
                                ErrorCode::DebtMismatch,
                                alloc::format!("says {} is left; {left} is", c.debt_left()),
                            )),
                            _ => {}
                        }
                    }
                    for (code, m) in problems {
                        self.find(code, at, line, m);
                    }
                }
            },
            Request::Sale(s) if !s.advances().is_empty() => {
                let mut available = Amount::ZERO;
                let mut keys = Vec::new();
                for a in s.advances() {
                    match self.lookup(a) {
                        Some(k) => {
                            if let Some(e) = self.receipts.get(&k) {
                                available = available
                                    .checked_add(
                                        e.total.checked_sub(e.consumed).unwrap_or(Amount::ZERO),
                                    )
                                    .unwrap_or(Amount::max_value());
                            }
                            keys.push(k);
                        }
                        None => self.find(
                            ErrorCode::UnknownReference,
                            at,
                            line,
                            alloc::format!("uses advance {a}, which is not in the journal"),
                        ),
                    }
                }
                let mut need = s.body().payments().prepayment;
                if need > available && keys.len() == s.advances().len() {
                    self.find(
                        ErrorCode::AdvancesExceeded,
                        at,
                        line,
                        alloc::format!("offsets {need} against advances holding {available}"),
                    );
                }
                for k in keys {
                    if let Some(e) = self.receipts.get_mut(&k) {
                        let free = e.total.checked_sub(e.consumed).unwrap_or(Amount::ZERO);
                        let take = if need < free { need } else { free };
                        e.consumed = e.consumed.checked_add(take).unwrap_or(Amount::max_value());
                        need = need.checked_sub(take).unwrap_or(Amount::ZERO);
                    }
                }
            }
            _ => {}
        }
        if matches!(
            r.doc_type(),
            DocType::Sale | DocType::Advance | DocType::CreditPayment
        ) {
            let credit = body.map_or(Amount::ZERO, |b| b.payments().credit);
            self.receipts.insert(
                doc.id().long(),
                Entry {
                    number: doc.number(),
                    kind: r.doc_type(),
                    shift: doc.body().shift,
                    total,
                    credit,
                    returned: Amount::ZERO,
                    paid: Amount::ZERO,
                    instalments: 0,
                    consumed: Amount::ZERO,
                    cancelled: false,
                },
            );
        }
    }
}

/// Verifies a self-contained journal (JSON Lines, the certificate line first: §13.5).
pub fn verify_journal(text: &str, authority: &PublicKey, rates: &RateTable) -> JournalReport {
    let mut v = JournalVerifier::new(authority, rates);
    for line in text.lines() {
        v.add_line(line);
    }
    v.finish()
}

/// Verifies journal lines of documents whose certificate is given separately.
pub fn verify_journal_with_certificate(
    text: &str,
    certificate: &Certificate,
    authority: &PublicKey,
    rates: &RateTable,
) -> JournalReport {
    let mut v = JournalVerifier::with_certificate(certificate, authority, rates);
    for line in text.lines() {
        v.add_line(line);
    }
    v.finish()
}
