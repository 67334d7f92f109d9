//! Issuing: the checks every issuing operation shares, numbering and signing, and `issue`
//! with the documents the POS supplies.

use alloc::vec::Vec;

use super::{
    account, invalid, warnings, Device, DeviceState, IssueOptions, Issued, Status, Warning,
    MAX_AFTER_EXPIRY_MS, MAX_OFFLINE_MS, MAX_PENDING, MAX_SHIFT_MS,
};
use crate::crypto::{Hash, PublicKey};
use crate::document::{Content, Document, DocumentBody};
use crate::error::{Error, ErrorCode};
use crate::ledger::{self, Balance, Claim, Ledger, Parent, Receipt, MAX_LEDGER_ENTRIES};
use crate::receipt::Request;
use crate::tax::{RateTable, TaxTreatment};
use crate::time::Timestamp;

impl Device {
    /// Checks shared by every operation that issues a document.
    pub(super) fn ready(
        &self,
        now: Timestamp,
        check_validity: bool,
    ) -> Result<Vec<Warning>, Error> {
        match self.state.status {
            Status::Locked => return Err(Error::Locked),
            Status::Decommissioned => return Err(Error::Decommissioned),
            Status::Active => {}
        }
        if !self.unlocked {
            return Err(Error::NotUnlocked);
        }
        let warnings = if check_validity {
            warnings(self.state.certificate.validity_at(now)?)
        } else {
            // Closing a shift and decommissioning stay possible after the certificate expired,
            // but not at any time: a clock reading past the grace (µs, .NET ticks, i64::MAX)
            // would time the document there and refuse everything after it (SPEC.md §14.3).
            let until = self.state.certificate.body().valid_until;
            if now.millis() > until.millis().saturating_add(MAX_AFTER_EXPIRY_MS) {
                return Err(Error::CertificateExpired { at: until });
            }
            Vec::new()
        };
        if now <= self.state.last_time {
            return Err(Error::TimeNotIncreasing {
                previous: self.state.last_time,
            });
        }
        Ok(warnings)
    }

    /// The upload limits (NM-04, NM-05, U-06).
    pub(super) fn within_offline_limits(&self, now: Timestamp) -> Result<(), Error> {
        let pending = self.state.pending();
        if pending >= MAX_PENDING {
            return Err(Error::TooManyPending { pending });
        }
        if let Some(oldest) = self.state.oldest_pending {
            if now.millis().saturating_sub(oldest.millis()) > MAX_OFFLINE_MS {
                return Err(Error::OfflineTooLong {
                    number: self.state.acknowledged.saturating_add(1),
                    oldest,
                });
            }
        }
        Ok(())
    }

    /// Numbers, chains and signs the next document into `next` (the working copy).
    pub(super) fn emit(
        &self,
        next: &mut DeviceState,
        content: Content,
        now: Timestamp,
        shift: u32,
        shift_receipt: u32,
    ) -> Document {
        let document = self.next_document(next, content, now, shift, shift_receipt);
        next.record_issued(&document, now);
        document
    }

    /// The next document after `state`'s last, signed; `state` is not changed.
    fn next_document(
        &self,
        state: &DeviceState,
        content: Content,
        now: Timestamp,
        shift: u32,
        shift_receipt: u32,
    ) -> Document {
        let body = DocumentBody {
            number: state.last_number + 1,
            time: now,
            shift,
            shift_receipt,
            previous: state.last_id,
            content,
        };
        Document::sign(body, &self.key)
    }

    /// The checks of SPEC.md §14.3 steps 1–5, which do not depend on the request (sequence,
    /// status and PIN, certificate at `now`, time, upload limits, open shift): a binding runs
    /// them before it reads the request, so that a refusal names the device's state first.
    /// [`Device::issue`] runs them again. Changes nothing.
    pub fn check_issue(&self, now: Timestamp, expected_previous: Option<u64>) -> Result<(), Error> {
        self.preflight(now, expected_previous).map(|_| ())
    }

    fn preflight(
        &self,
        now: Timestamp,
        expected_previous: Option<u64>,
    ) -> Result<Vec<Warning>, Error> {
        if let Some(expected) = expected_previous {
            if expected != self.state.last_number {
                return Err(Error::SequenceMismatch {
                    expected,
                    last: self.state.last_number,
                });
            }
        }
        let warnings = self.ready(now, true)?;
        self.within_offline_limits(now)?;
        let Some(shift) = self.state.shift.as_ref() else {
            return Err(Error::NoOpenShift);
        };
        if now.millis().saturating_sub(shift.report.opened_at.millis()) >= MAX_SHIFT_MS {
            return Err(Error::ShiftTooLong {
                opened_at: shift.report.opened_at,
            });
        }
        Ok(warnings)
    }

    /// Issues a receipt or cash document for a validated request (SPEC.md §14.3).
    pub fn issue(
        &mut self,
        request: &Request,
        now: Timestamp,
        options: &IssueOptions<'_>,
    ) -> Result<Issued, Error> {
        let warnings = self.preflight(now, options.expected_previous)?;
        let Some(shift) = self.state.shift.as_ref() else {
            return Err(Error::NoOpenShift);
        };
        check_rates(request, options.rates, now)?;
        let mut supplied = Supplied::new(options.references, self.key.public_key());
        let content = match request {
            // The cancel carries what it voids (RC-17), taken from the receipt itself.
            Request::Cancel(c) => {
                let parent = supplied.find(c.parent())?;
                let voided = ledger::voided(parent).ok_or_else(|| {
                    wrong_kind(
                        c.parent(),
                        "only a sale, an advance or a credit payment can be cancelled",
                    )
                })?;
                Content::Cancel {
                    request: c.clone(),
                    voided,
                }
            }
            other => Content::Request(other.clone()),
        };
        // What the request claims of earlier receipts, against what the device remembers
        // (RC-11, RC-17, RC-18; SPEC.md §14.6); recorded only when the document is issued. A
        // return or instalment on a receipt of the deployed system (SPEC.md §8.6) claims
        // nothing this device can check: no ledger entry is made for it.
        let mut learnt: Vec<(Hash, Balance)> = Vec::new();
        let mut claimed: Vec<(Hash, Balance)> = Vec::new();
        let foreign = options.foreign_references && self.foreign_parent(request, &supplied);
        let claim = if foreign {
            None
        } else {
            Claim::of(&content, shift.report.shift, |r| supplied.resolve(r))?
        };
        if let Some(claim) = claim {
            for p in claim.parents() {
                if self
                    .state
                    .ledger
                    .balance(&p.key, p.receipt.number)
                    .is_none()
                {
                    learnt.push((p.key, supplied.balance_of(p)));
                }
            }
            let (verdict, changed) = self.state.ledger.assess(&claim, &learnt);
            verdict?;
            claimed = changed;
        }
        // The working copy is the open shift's report alone (the ledger, the certificate and
        // the counters are not copied for every receipt): the last step that can fail is its
        // accounting, and the state is changed only after it.
        let mut report = shift.report.clone();
        let is_receipt = request.doc_type().is_receipt();
        if is_receipt {
            report.receipts += 1;
        }
        account(&mut report, &content)?;
        let (number, shift_receipt) = (report.shift, if is_receipt { report.receipts } else { 0 });
        let document = self.next_document(&self.state, content, now, number, shift_receipt);
        if let Some(s) = self.state.shift.as_mut() {
            s.report = report;
        }
        self.state.record_issued(&document, now);
        self.state.ledger.record(learnt);
        self.state.ledger.record(claimed);
        self.state.ledger.bound(MAX_LEDGER_ENTRIES);
        let mut warnings = warnings;
        if foreign {
            warnings.push(Warning::ForeignReference);
        }
        Ok(Issued { document, warnings })
    }
}

impl Device {
    /// True when `request` is a return or an instalment whose parent is named by a Base58
    /// fiscal ID that no supplied document and no receipt in the ledger has (SPEC.md §8.6,
    /// §14.6): a receipt of the deployed system. A cancel never is: a rollback voids a receipt
    /// of the open shift, which is this device's.
    fn foreign_parent(&self, request: &Request, supplied: &Supplied<'_>) -> bool {
        let parent = match request {
            Request::Return(r) => r.parent(),
            Request::CreditPayment(c) => c.parent(),
            _ => return false,
        };
        crate::document::is_base58_reference(parent)
            && !supplied.documents.iter().any(|d| d.id().matches(parent))
            && !self.state.ledger.knows(parent)
    }
}

/// Every treatment must be in force on the document's date (RC-05, SPEC.md §5.1).
fn check_rates(request: &Request, rates: &RateTable, now: Timestamp) -> Result<(), Error> {
    let date = now.date_in_baku();
    let treatments: Vec<TaxTreatment> = match request {
        Request::Correction(c) => c
            .totals()
            .tax_groups()
            .iter()
            .filter_map(|g| g.key.treatment())
            .collect(),
        other => other
            .body()
            .map(|b| b.lines().iter().map(|l| l.treatment()).collect())
            .unwrap_or_default(),
    };
    for t in treatments {
        if !rates.in_force(t, date) {
            return Err(invalid(
                ErrorCode::UnknownTaxRate,
                "items",
                &alloc::format!("{t} is not in force on {date}"),
            ));
        }
    }
    Ok(())
}

fn wrong_kind(reference: &str, why: &str) -> Error {
    Error::ReferenceWrongKind {
        reference: reference.into(),
        why: why.into(),
    }
}

/// The documents a POS supplies with a request (RC-17, RC-18), each checked to be this
/// device's (NM-11) at most once.
struct Supplied<'a> {
    documents: &'a [Document],
    key: PublicKey,
    authentic: Vec<Option<bool>>,
}

impl<'a> Supplied<'a> {
    fn new(documents: &'a [Document], key: PublicKey) -> Self {
        Supplied {
            documents,
            key,
            authentic: alloc::vec![None; documents.len()],
        }
    }

    fn authentic(&mut self, i: usize) -> bool {
        let (Some(doc), Some(slot)) = (self.documents.get(i), self.authentic.get_mut(i)) else {
            return false;
        };
        *slot.get_or_insert_with(|| doc.authentic(&self.key))
    }

    /// The supplied document `reference` names (long or short ID, any letter case: §13.3).
    fn find(&mut self, reference: &str) -> Result<&'a Document, Error> {
        let documents = self.documents;
        let i = documents
            .iter()
            .position(|d| d.id().matches(reference))
            .ok_or_else(|| Error::ReferenceNotFound {
                reference: reference.into(),
            })?;
        if !self.authentic(i) {
            return Err(Error::ReferenceNotAuthentic {
                reference: reference.into(),
            });
        }
        Ok(&documents[i])
    }

    /// The receipt `reference` names, for the ledger.
    fn resolve(&mut self, reference: &str) -> Result<(Hash, Receipt), Error> {
        let doc = self.find(reference)?;
        Ok((doc.id().0, Receipt::of(doc)))
    }

    /// What the supplied documents say was claimed of `parent`, for a receipt older than the
    /// device's ledger remembers (SPEC.md §14.6): the authentic ones, each once, in number
    /// order, through the same ledger rules.
    fn balance_of(&mut self, parent: &Parent<'_>) -> Balance {
        let mut order: Vec<usize> = (0..self.documents.len()).collect();
        order.sort_by_key(|&i| self.documents[i].number());
        let mut seen: Vec<Hash> = Vec::new();
        let mut ledger = Ledger::default();
        for i in order {
            let doc = &self.documents[i];
            let id = doc.id().0;
            if id == parent.key || seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let names_parent = match &doc.body().content {
                Content::Request(r) => r.references().iter().any(|x| doc_names(parent, x)),
                Content::Cancel { request, .. } => doc_names(parent, request.parent()),
                _ => false,
            };
            if !names_parent || !self.authentic(i) {
                continue;
            }
            let content = &doc.body().content;
            // Earlier claims are counted as made; whether they broke a rule is not this
            // request's question.
            if let Ok(Some(claim)) = Claim::of(content, doc.body().shift, |r| self.resolve(r)) {
                let _ = ledger.apply(&claim);
            }
        }
        ledger
            .balance(&parent.key, parent.receipt.number)
            .unwrap_or_default()
    }
}

fn doc_names(parent: &Parent<'_>, reference: &str) -> bool {
    crate::document::FiscalId(parent.key).matches(reference)
}
