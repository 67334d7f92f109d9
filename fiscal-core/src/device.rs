//! The control device (NMQ) in software, as a pure state machine (SPEC.md §14).
//!
//! Every operation takes `now` and returns the new document; the state is plain data that
//! serializes to bytes (postcard) so a POS can persist it after each operation and resume after
//! a power cut. An operation works on a copy of the state and commits it only when it succeeds:
//! a refused operation leaves the state exactly as it was (no gap, no lost document). The one
//! deliberate exception is the wrong-PIN counter (NM-07).

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::certificate::{Certificate, Validity};
use crate::crypto::{self, serde_bytes, Hash, PrivateKey, PublicKey};
use crate::document::{Content, Document, DocumentBody, KindTotals, ShiftReport};
use crate::error::{Error, ErrorCode, Problems};
use crate::ledger::{self, Balance, Claim, Ledger, Parent, Receipt, MAX_LEDGER_ENTRIES};
use crate::money::Amount;
use crate::receipt::{DocType, Payments, Request};
use crate::tax::{RateTable, TaxGroup, TaxTreatment};
use crate::time::Timestamp;

/// Wrong PINs before the device locks (NM-07).
pub const MAX_PIN_ATTEMPTS: u8 = 5;
/// Longest a shift may last before its next receipt: 24 hours (spec/FIELD-PRACTICE.md FP-24, PK-02).
pub const MAX_SHIFT_MS: i64 = 24 * Timestamp::HOUR;
/// Longest a document may wait for upload before receipts are refused: 7 days (NM-04, U-06).
pub const MAX_OFFLINE_MS: i64 = 7 * Timestamp::DAY;
/// Most documents that may wait for upload (NM-05).
pub const MAX_PENDING: u64 = 4000;
/// The public check address the QR code links to, before the long fiscal ID (RC-09).
pub const DEFAULT_QR_BASE: &str = "https://monitoring.e-kassa.gov.az/#/index?doc=";
/// Version of the saved state's format.
pub const STATE_VERSION: u8 = 2;

const PIN_TAG: &[u8] = b"fiscal-core/pin/v2\0";
const PIN_KEY_TAG: &[u8] = b"fiscal-core/pin-key/v1\0";

/// Whether the device works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// In service.
    Active,
    /// Locked after too many wrong PINs (NM-07).
    Locked,
    /// Taken out of service (LC-02).
    Decommissioned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct OpenShift {
    report: ShiftReport,
}

/// Everything the device remembers; what a POS saves after each operation. It holds no
/// secret but the PIN verifier (keyed by the device key, which is kept apart: SPEC.md §14.1);
/// `Debug` does not show the verifier.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceState {
    version: u8,
    certificate: Certificate,
    qr_base: String,
    #[serde(
        serialize_with = "serde_bytes::serialize_hash",
        deserialize_with = "serde_bytes::deserialize_hash"
    )]
    pin_verifier: Hash,
    pin_failures: u8,
    status: Status,
    last_number: u64,
    last_time: Timestamp,
    #[serde(
        serialize_with = "serde_bytes::serialize_hash",
        deserialize_with = "serde_bytes::deserialize_hash"
    )]
    last_id: Hash,
    last_shift: u32,
    shift: Option<OpenShift>,
    acknowledged: u64,
    oldest_pending: Option<Timestamp>,
    /// What the device remembers of the receipts documents have claimed on (SPEC.md §14.6):
    /// returns, cancels, advances spent, instalments paid; bounded.
    ledger: Ledger,
}

impl core::fmt::Debug for DeviceState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeviceState")
            .field("certificate", &self.certificate)
            .field("qr_base", &self.qr_base)
            .field("pin_verifier", &"<redacted>")
            .field("pin_failures", &self.pin_failures)
            .field("status", &self.status)
            .field("last_number", &self.last_number)
            .field("last_time", &self.last_time)
            .field("last_shift", &self.last_shift)
            .field("shift", &self.shift)
            .field("acknowledged", &self.acknowledged)
            .field("oldest_pending", &self.oldest_pending)
            .field("ledger", &self.ledger)
            .finish()
    }
}

impl DeviceState {
    /// A copy with an empty ledger (the working copy of `Device::issue`).
    fn clone_without_ledger(&self) -> DeviceState {
        DeviceState {
            version: self.version,
            certificate: self.certificate.clone(),
            qr_base: self.qr_base.clone(),
            pin_verifier: self.pin_verifier,
            pin_failures: self.pin_failures,
            status: self.status,
            last_number: self.last_number,
            last_time: self.last_time,
            last_id: self.last_id,
            last_shift: self.last_shift,
            shift: self.shift.clone(),
            acknowledged: self.acknowledged,
            oldest_pending: self.oldest_pending,
            ledger: Ledger::default(),
        }
    }

    /// The invariants a saved state must hold (it comes from outside: a file, a database), so
    /// that no counter can overflow and nothing contradicts itself.
    fn check(&self) -> Result<(), Error> {
        let bad = |why: &str| Err(Error::InvalidState(why.into()));
        // Far beyond any real device (a receipt a millisecond for 100 000 years), far below
        // where counters could overflow.
        const LIMIT: u64 = 1 << 52;
        if self.last_number > LIMIT || self.last_shift >= u32::MAX - 1 {
            return bad("the counters are out of range");
        }
        if self.acknowledged > self.last_number {
            return bad("more documents acknowledged than issued");
        }
        if let Some(s) = &self.shift {
            let r = &s.report;
            if r.shift != self.last_shift
                || r.first_number > self.last_number
                || r.last_number > self.last_number
            {
                return bad("the open shift does not fit the counters");
            }
            if u64::from(r.receipts) > self.last_number
                || r.receipts >= u32::MAX - 1
                || r.cash_out > r.cash_in
            {
                return bad("the open shift's totals are impossible");
            }
        }
        if !self.ledger.is_consistent(self.last_number) {
            return bad("the ledger does not fit the counters");
        }
        Ok(())
    }

    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }
    /// The QR base address.
    pub fn qr_base(&self) -> &str {
        &self.qr_base
    }
    /// Status.
    pub fn status(&self) -> Status {
        self.status
    }
    /// Number of the last document issued.
    pub fn last_number(&self) -> u64 {
        self.last_number
    }
    /// Time of the last document issued.
    pub fn last_time(&self) -> Timestamp {
        self.last_time
    }
    /// Documents issued but not yet acknowledged as uploaded.
    pub fn pending(&self) -> u64 {
        self.last_number.saturating_sub(self.acknowledged)
    }
    /// The highest number acknowledged as uploaded.
    pub fn acknowledged(&self) -> u64 {
        self.acknowledged
    }
    /// The open shift's running report (what an X-report shows).
    pub fn shift(&self) -> Option<&ShiftReport> {
        self.shift.as_ref().map(|s| &s.report)
    }
    /// The last shift's number (0 before the first).
    pub fn last_shift(&self) -> u32 {
        self.last_shift
    }
    /// Wrong PINs since the last right one.
    pub fn pin_failures(&self) -> u8 {
        self.pin_failures
    }
    /// Receipts the ledger keeps a balance for (returns, cancels, advances spent, instalments:
    /// SPEC.md §14.6), at most [`crate::limits::MAX_LEDGER_ENTRIES`].
    pub fn ledger_entries(&self) -> usize {
        self.ledger.len()
    }
    /// The first document number whose receipts the ledger knows in full: claims on older
    /// receipts are checked against the documents the POS supplies (SPEC.md §14.6).
    pub fn ledger_horizon(&self) -> u64 {
        self.ledger.horizon()
    }
}

/// Something the cashier or operator must be told, though the operation succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// The certificate expires within 7 days (NM-08).
    CertificateExpiresSoon {
        /// When.
        at: Timestamp,
    },
}

/// A document the device has just issued, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The document: print it, store it in the journal, upload it.
    pub document: Document,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// What issuing a request needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct IssueOptions<'a> {
    /// The rate table: every treatment must be in force on the document's date.
    pub rates: &'a RateTable,
    /// The documents the request names (RC-17, RC-18): the parent receipt, or the advances.
    /// The device checks each is its own before trusting it, and remembers what was claimed
    /// of them (SPEC.md §14.6); earlier returns, cancels and instalments against a receipt
    /// count from here only for a receipt older than its ledger's horizon
    /// ([`DeviceState::ledger_horizon`]).
    pub references: &'a [Document],
    /// The number of the last document the POS knows of: a retried request that was already
    /// issued is refused with `sequence_mismatch` instead of issued twice.
    pub expected_previous: Option<u64>,
}

/// The control device: its state and its key. The key never leaves (it is not in the state).
#[derive(Debug, Clone)]
pub struct Device {
    state: DeviceState,
    key: PrivateKey,
    unlocked: bool,
}

/// The PIN verifier kept in the state: SHA-256(tag ‖ secret ‖ PIN), where the secret is derived
/// from the device's private key. The key is never in the saved state, so a copy of the state
/// alone does not let anyone try PINs offline (a 4-digit PIN would fall in 10 000 guesses).
fn pin_verifier(key: &PrivateKey, pin: &str) -> Hash {
    let secret = zeroize::Zeroizing::new(crypto::sha256(&[PIN_KEY_TAG, key.to_bytes().as_slice()]));
    crypto::sha256(&[PIN_TAG, secret.as_slice(), pin.as_bytes()])
}

fn invalid(code: ErrorCode, path: &str, message: &str) -> Error {
    let mut p = Problems::default();
    p.push(code, path, message.into());
    Error::Invalid(p)
}

fn check_pin_format(pin: &str) -> Result<(), Error> {
    if !(4..=16).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            ErrorCode::OutOfRange,
            "pin",
            "a PIN is 4 to 16 digits",
        ));
    }
    Ok(())
}

fn check_qr_base(base: &str) -> Result<(), Error> {
    let ok = base.starts_with("https://")
        && base.len() <= 200
        && base.bytes().all(|b| b.is_ascii_graphic());
    if !ok {
        return Err(invalid(
            ErrorCode::OutOfRange,
            "qr_base",
            "the QR base is an https:// address of at most 200 characters, without spaces",
        ));
    }
    Ok(())
}

impl Device {
    /// Activates a device (LC-01): checks the certificate against the trusted authority key,
    /// its validity at `now` and that `key` is the certified key; stores the PIN verifier; and
    /// issues document 1, the activation record, chained to the certificate. The device is
    /// unlocked (the PIN was just given).
    pub fn activate(
        certificate: Certificate,
        authority: &PublicKey,
        key: PrivateKey,
        pin: &str,
        qr_base: Option<&str>,
        now: Timestamp,
    ) -> Result<(Device, Issued), Error> {
        certificate.verify(authority)?;
        let validity = certificate.validity_at(now)?;
        if key.public_key() != certificate.body().device_key {
            return Err(Error::KeyMismatch);
        }
        check_pin_format(pin)?;
        let qr_base = qr_base.unwrap_or(DEFAULT_QR_BASE);
        check_qr_base(qr_base)?;
        let genesis = certificate.hash();
        let state = DeviceState {
            version: STATE_VERSION,
            pin_verifier: pin_verifier(&key, pin),
            certificate,
            qr_base: qr_base.into(),
            pin_failures: 0,
            status: Status::Active,
            last_number: 0,
            last_time: Timestamp(i64::MIN),
            last_id: genesis,
            last_shift: 0,
            shift: None,
            acknowledged: 0,
            oldest_pending: None,
            ledger: Ledger::default(),
        };
        let mut device = Device {
            state,
            key,
            unlocked: true,
        };
        let mut next = device.state.clone();
        let document = device.emit(
            &mut next,
            Content::Activation {
                certificate: genesis,
            },
            now,
            0,
            0,
        );
        device.state = next;
        Ok((
            device,
            Issued {
                document,
                warnings: warnings(validity),
            },
        ))
    }

    /// Resumes from saved state (after a restart or power cut). The key must be the
    /// certificate's. The device starts locked: the PIN must be entered again (NM-07).
    pub fn restore(state: &[u8], key: PrivateKey) -> Result<Device, Error> {
        let state: DeviceState = match state.first() {
            Some(1) => v1::read(state)?,
            _ => match postcard::take_from_bytes(state) {
                Ok((s, [])) => s,
                Ok(_) => return Err(Error::InvalidState("bytes left after the state".into())),
                Err(e) => return Err(Error::InvalidState(alloc::format!("{e}"))),
            },
        };
        if state.version != STATE_VERSION {
            return Err(Error::InvalidState(alloc::format!(
                "state version {} is not {STATE_VERSION}",
                state.version
            )));
        }
        if key.public_key() != state.certificate.body().device_key {
            return Err(Error::KeyMismatch);
        }
        state.check()?;
        Ok(Device {
            state,
            key,
            unlocked: false,
        })
    }

    /// The state to save: postcard bytes, no key (SPEC.md §14.1).
    pub fn export_state(&self) -> Vec<u8> {
        postcard::to_allocvec(&self.state).unwrap_or_default()
    }

    /// The state.
    pub fn state(&self) -> &DeviceState {
        &self.state
    }

    /// True after the right PIN (until the device is restored).
    pub fn is_unlocked(&self) -> bool {
        self.unlocked
    }

    /// The device's public key.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    /// The text of the QR code of `document` (RC-09): the QR base and the long fiscal ID.
    pub fn qr_payload(&self, document: &Document) -> String {
        crate::qr::payload(&self.state.qr_base, &document.id())
    }

    /// Enters the PIN (NM-07). A wrong PIN counts; after [`MAX_PIN_ATTEMPTS`] the device locks.
    pub fn unlock(&mut self, pin: &str) -> Result<(), Error> {
        match self.state.status {
            Status::Locked => return Err(Error::Locked),
            Status::Decommissioned => return Err(Error::Decommissioned),
            Status::Active => {}
        }
        let given = pin_verifier(&self.key, pin);
        if crypto::ct_eq(&given, &self.state.pin_verifier) {
            self.state.pin_failures = 0;
            self.unlocked = true;
            return Ok(());
        }
        self.unlocked = false;
        self.state.pin_failures = self.state.pin_failures.saturating_add(1);
        if self.state.pin_failures >= MAX_PIN_ATTEMPTS {
            self.state.status = Status::Locked;
            return Err(Error::Locked);
        }
        Err(Error::WrongPin {
            attempts_left: MAX_PIN_ATTEMPTS - self.state.pin_failures,
        })
    }

    /// Checks shared by every operation that issues a document.
    fn ready(&self, now: Timestamp, check_validity: bool) -> Result<Vec<Warning>, Error> {
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
    fn within_offline_limits(&self, now: Timestamp) -> Result<(), Error> {
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
    fn emit(
        &self,
        next: &mut DeviceState,
        content: Content,
        now: Timestamp,
        shift: u32,
        shift_receipt: u32,
    ) -> Document {
        let body = DocumentBody {
            number: next.last_number + 1,
            time: now,
            shift,
            shift_receipt,
            previous: next.last_id,
            content,
        };
        let document = Document::sign(body, &self.key);
        if next.oldest_pending.is_none() {
            next.oldest_pending = Some(now);
        }
        next.last_number = document.number();
        next.last_time = now;
        next.last_id = document.id().0;
        if let Some(s) = next.shift.as_mut() {
            s.report.last_number = document.number();
        }
        document
    }

    /// Opens a shift.
    pub fn open_shift(&mut self, now: Timestamp) -> Result<Issued, Error> {
        let warnings = self.ready(now, true)?;
        self.within_offline_limits(now)?;
        if self.state.shift.is_some() {
            return Err(Error::ShiftAlreadyOpen);
        }
        let mut next = self.state.clone();
        let number = next.last_shift + 1;
        next.last_shift = number;
        next.shift = Some(OpenShift {
            report: ShiftReport {
                shift: number,
                opened_at: now,
                first_number: next.last_number + 1,
                last_number: next.last_number + 1,
                receipts: 0,
                kinds: Vec::new(),
                cash_in: Amount::ZERO,
                cash_out: Amount::ZERO,
            },
        });
        let document = self.emit(&mut next, Content::OpenShift, now, number, 0);
        self.state = next;
        Ok(Issued { document, warnings })
    }

    /// Issues a receipt or cash document for a validated request (SPEC.md §14.3).
    pub fn issue(
        &mut self,
        request: &Request,
        now: Timestamp,
        options: &IssueOptions<'_>,
    ) -> Result<Issued, Error> {
        if let Some(expected) = options.expected_previous {
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
        // (RC-11, RC-17, RC-18; SPEC.md §14.6); recorded only when the document is issued.
        let mut learnt: Vec<(Hash, Balance)> = Vec::new();
        let mut claimed: Vec<(Hash, Balance)> = Vec::new();
        if let Some(claim) = Claim::of(&content, shift.report.shift, |r| supplied.resolve(r))? {
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
        // The working copy leaves the ledger out: cloning up to MAX_LEDGER_ENTRIES balances
        // for every sale would cost as much as signing it.
        let mut next = self.state.clone_without_ledger();
        let kind = request.doc_type();
        let is_receipt = kind.is_receipt();
        let (number, shift_receipt) = {
            let s = next.shift.as_mut().ok_or(Error::NoOpenShift)?;
            if is_receipt {
                s.report.receipts += 1;
            }
            account(&mut s.report, &content)?;
            (
                s.report.shift,
                if is_receipt { s.report.receipts } else { 0 },
            )
        };
        let document = self.emit(&mut next, content, now, number, shift_receipt);
        next.ledger = core::mem::take(&mut self.state.ledger);
        next.ledger.record(learnt);
        next.ledger.record(claimed);
        next.ledger.bound(MAX_LEDGER_ENTRIES);
        self.state = next;
        Ok(Issued { document, warnings })
    }

    /// The X-report: the open shift's totals so far. Changes nothing.
    pub fn x_report(&self) -> Result<ShiftReport, Error> {
        self.state
            .shift
            .as_ref()
            .map(|s| s.report.clone())
            .ok_or(Error::NoOpenShift)
    }

    /// Closes the shift with its Z-report (PK-02). Allowed after the certificate expired or
    /// the upload limits are reached, so that the data can still be closed and uploaded.
    pub fn close_shift(&mut self, now: Timestamp) -> Result<Issued, Error> {
        self.ready(now, false)?;
        let Some(shift) = self.state.shift.as_ref() else {
            return Err(Error::NoOpenShift);
        };
        let mut report = shift.report.clone();
        report.last_number = self.state.last_number + 1;
        let mut next = self.state.clone();
        next.shift = None;
        let document = self.emit(
            &mut next,
            Content::ZReport(report.clone()),
            now,
            report.shift,
            0,
        );
        self.state = next;
        Ok(Issued {
            document,
            warnings: Vec::new(),
        })
    }

    /// Records that the tax service has received every document up to `through` (NM-01). When
    /// documents remain, the next one (`through + 1`) must be supplied: its time starts the
    /// 7-day clock (NM-04). An acknowledgement of what is already acknowledged changes nothing.
    pub fn acknowledge_upload(
        &mut self,
        through: u64,
        next_pending: Option<&Document>,
    ) -> Result<(), Error> {
        if through > self.state.last_number {
            return Err(Error::InvalidAcknowledgement(alloc::format!(
                "document {through} has not been issued; the last is {}",
                self.state.last_number
            )));
        }
        if through <= self.state.acknowledged {
            return Ok(());
        }
        let oldest = if through == self.state.last_number {
            None
        } else {
            let doc = next_pending.ok_or_else(|| {
                Error::InvalidAcknowledgement(alloc::format!(
                    "documents remain: supply document {}",
                    through + 1
                ))
            })?;
            if doc.number() != through + 1 || !doc.verify(&self.key.public_key()) {
                return Err(Error::InvalidAcknowledgement(alloc::format!(
                    "the document supplied is not this device's document {}",
                    through + 1
                )));
            }
            Some(doc.body().time)
        };
        self.state.acknowledged = through;
        self.state.oldest_pending = oldest;
        Ok(())
    }

    /// Takes the device out of service (LC-02): only with the shift closed and every document
    /// uploaded. Issues the last document, which must itself be uploaded.
    pub fn decommission(&mut self, now: Timestamp) -> Result<Issued, Error> {
        self.ready(now, false)?;
        if self.state.shift.is_some() {
            return Err(Error::ShiftOpen);
        }
        if self.state.pending() > 0 {
            return Err(Error::PendingUploads {
                pending: self.state.pending(),
            });
        }
        let mut next = self.state.clone();
        let shift = next.last_shift;
        let document = self.emit(&mut next, Content::Decommission, now, shift, 0);
        next.status = Status::Decommissioned;
        self.state = next;
        Ok(Issued {
            document,
            warnings: Vec::new(),
        })
    }
}

/// Version 1 of the saved state, from before the ledger (SPEC.md §14.1, §14.6): read so that a
/// POS that upgrades keeps its device and its numbering.
mod v1 {
    use super::*;

    #[derive(Deserialize)]
    struct State {
        version: u8,
        certificate: Certificate,
        qr_base: String,
        #[serde(deserialize_with = "serde_bytes::deserialize_hash")]
        pin_verifier: Hash,
        pin_failures: u8,
        status: Status,
        last_number: u64,
        last_time: Timestamp,
        #[serde(deserialize_with = "serde_bytes::deserialize_hash")]
        last_id: Hash,
        last_shift: u32,
        shift: Option<Shift>,
        acknowledged: u64,
        oldest_pending: Option<Timestamp>,
    }

    #[derive(Deserialize)]
    struct Shift {
        report: ShiftReport,
        cancelled: Vec<u64>,
    }

    /// The state in version 2 form. Version 1 kept no ledger: the new ledger's horizon is the
    /// next document, so claims on older receipts are checked against the documents supplied,
    /// as version 1 did. It kept the open shift's cancels by number only, which the ledger
    /// cannot key: a state with cancels in its open shift is refused (close the shift first).
    pub(super) fn read(bytes: &[u8]) -> Result<DeviceState, Error> {
        let s: State = match postcard::take_from_bytes(bytes) {
            Ok((s, [])) => s,
            Ok(_) => return Err(Error::InvalidState("bytes left after the state".into())),
            Err(e) => return Err(Error::InvalidState(alloc::format!("{e}"))),
        };
        if s.shift.as_ref().is_some_and(|x| !x.cancelled.is_empty()) {
            return Err(Error::InvalidState(
                "a version 1 state with cancels in its open shift: close the shift with the version that saved it, then upgrade".into(),
            ));
        }
        Ok(DeviceState {
            version: STATE_VERSION.min(s.version.saturating_add(1)),
            certificate: s.certificate,
            qr_base: s.qr_base,
            pin_verifier: s.pin_verifier,
            pin_failures: s.pin_failures,
            status: s.status,
            last_number: s.last_number,
            last_time: s.last_time,
            last_id: s.last_id,
            last_shift: s.last_shift,
            shift: s.shift.map(|x| OpenShift { report: x.report }),
            acknowledged: s.acknowledged,
            oldest_pending: s.oldest_pending,
            ledger: Ledger::starting_at(s.last_number.saturating_add(1)),
        })
    }
}

fn warnings(v: Validity) -> Vec<Warning> {
    match v {
        Validity::Valid => Vec::new(),
        Validity::ExpiresSoon { at } => alloc::vec![Warning::CertificateExpiresSoon { at }],
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
        *slot.get_or_insert_with(|| doc.verify(&self.key))
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

fn add(a: Amount, b: Amount) -> Result<Amount, Error> {
    a.checked_add(b).ok_or(Error::TotalsOverflow)
}

fn add_payments(into: &mut Payments, p: &Payments) -> Result<(), Error> {
    into.cash = add(into.cash, p.cash)?;
    into.cashless = add(into.cashless, p.cashless)?;
    into.bonus = add(into.bonus, p.bonus)?;
    into.gift_card = add(into.gift_card, p.gift_card)?;
    into.fuel_card = add(into.fuel_card, p.fuel_card)?;
    into.prepayment = add(into.prepayment, p.prepayment)?;
    into.credit = add(into.credit, p.credit)?;
    into.tendered = add(into.tendered, p.tendered)?;
    into.change = add(into.change, p.change)?;
    Ok(())
}

fn add_groups(into: &mut Vec<TaxGroup>, groups: &[TaxGroup]) -> Result<(), Error> {
    for g in groups {
        match into.iter_mut().find(|x| x.key == g.key) {
            Some(x) => {
                x.gross = add(x.gross, g.gross)?;
                x.tax = add(x.tax, g.tax)?;
            }
            None => into.push(*g),
        }
    }
    into.sort_by_key(|g| g.key);
    Ok(())
}

/// What one document adds to its shift's report: its kind's row and the cash drawer.
pub(crate) fn account(report: &mut ShiftReport, content: &Content) -> Result<(), Error> {
    let (kind, sum, payments, groups, cash_in, cash_out) = match content {
        Content::Request(r) => {
            let kind = r.doc_type();
            match r {
                Request::Deposit(c) => (
                    kind,
                    c.amount(),
                    Payments::default(),
                    Vec::new(),
                    c.amount(),
                    Amount::ZERO,
                ),
                Request::Withdraw(c) => (
                    kind,
                    c.amount(),
                    Payments::default(),
                    Vec::new(),
                    Amount::ZERO,
                    c.amount(),
                ),
                Request::Correction(c) => (
                    kind,
                    c.totals().sum(),
                    *c.payments(),
                    c.totals().counted_groups().to_vec(),
                    c.payments().cash,
                    Amount::ZERO,
                ),
                other => {
                    let Some(b) = other.body() else { return Ok(()) };
                    let cash = b.payments().cash;
                    let (cin, cout) = if kind == DocType::Return {
                        (Amount::ZERO, cash)
                    } else {
                        (cash, Amount::ZERO)
                    };
                    (
                        kind,
                        b.totals().sum(),
                        *b.payments(),
                        b.totals().counted_groups().to_vec(),
                        cin,
                        cout,
                    )
                }
            }
        }
        Content::Cancel { voided, .. } => (
            DocType::Cancel,
            voided.sum,
            voided.payments,
            voided.groups.clone(),
            Amount::ZERO,
            voided.payments.cash,
        ),
        _ => return Ok(()),
    };
    let in_drawer = report.cash_in_drawer();
    report.cash_in = add(report.cash_in, cash_in)?;
    report.cash_out = add(report.cash_out, cash_out)?;
    // Only a document that takes cash out can overdraw the drawer (PK-01): a sale into a
    // drawer a forged withdrawal emptied is not refused again, so one fault is one finding.
    let overdrawn = !cash_out.is_zero() && report.cash_out > report.cash_in;
    let row = match report.kinds.iter().position(|k| k.kind == kind) {
        Some(i) => &mut report.kinds[i],
        None => {
            report.kinds.push(KindTotals {
                kind,
                count: 0,
                sum: Amount::ZERO,
                payments: Payments::default(),
                groups: Vec::new(),
            });
            report.kinds.sort_by_key(|k| k.kind);
            let i = report
                .kinds
                .iter()
                .position(|k| k.kind == kind)
                .unwrap_or(0);
            &mut report.kinds[i]
        }
    };
    row.count = row.count.saturating_add(1);
    row.sum = add(row.sum, sum)?;
    add_payments(&mut row.payments, &payments)?;
    add_groups(&mut row.groups, &groups)?;
    // The document is counted either way: the device refuses it (its working copy is
    // dropped), the verifier reports it and counts what the journal holds (SPEC.md §15.2).
    if overdrawn {
        return Err(Error::CashInsufficient { in_drawer });
    }
    Ok(())
}
