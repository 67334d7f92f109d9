//! The saved state: what the device remembers (SPEC.md §14.1), and the invariants it must hold.

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::certificate::Certificate;
use crate::crypto::{serde_bytes, Hash};
use crate::document::ShiftReport;
use crate::error::Error;
use crate::ledger::Ledger;
use crate::time::Timestamp;

/// Version of the saved state's format.
pub const STATE_VERSION: u8 = 2;

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
pub(super) struct OpenShift {
    pub(super) report: ShiftReport,
}

/// Everything the device remembers; what a POS saves after each operation. It holds no
/// secret but the PIN verifier (keyed by the device key, which is kept apart: SPEC.md §14.1);
/// `Debug` does not show the verifier.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceState {
    pub(super) version: u8,
    pub(super) certificate: Certificate,
    pub(super) qr_base: String,
    #[serde(
        serialize_with = "serde_bytes::serialize_hash",
        deserialize_with = "serde_bytes::deserialize_hash"
    )]
    pub(super) pin_verifier: Hash,
    pub(super) pin_failures: u8,
    pub(super) status: Status,
    pub(super) last_number: u64,
    pub(super) last_time: Timestamp,
    #[serde(
        serialize_with = "serde_bytes::serialize_hash",
        deserialize_with = "serde_bytes::deserialize_hash"
    )]
    pub(super) last_id: Hash,
    pub(super) last_shift: u32,
    pub(super) shift: Option<OpenShift>,
    pub(super) acknowledged: u64,
    pub(super) oldest_pending: Option<Timestamp>,
    /// What the device remembers of the receipts documents have claimed on (SPEC.md §14.6):
    /// returns, cancels, advances spent, instalments paid; bounded.
    pub(super) ledger: Ledger,
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
    /// Records `document`, issued at `now`, as the last (the chain's head, the shift's last
    /// number, the oldest document not uploaded).
    pub(super) fn record_issued(&mut self, document: &crate::document::Document, now: Timestamp) {
        if self.oldest_pending.is_none() {
            self.oldest_pending = Some(now);
        }
        self.last_number = document.number();
        self.last_time = now;
        self.last_id = document.id().0;
        if let Some(s) = self.shift.as_mut() {
            s.report.last_number = document.number();
        }
    }

    /// The invariants a saved state must hold (it comes from outside: a file, a database), so
    /// that no counter can overflow and nothing contradicts itself.
    pub(super) fn check(&self) -> Result<(), Error> {
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
    /// The fiscal ID of the last document issued: what the next document chains to (NM-11).
    pub fn last_fiscal_id(&self) -> crate::FiscalId {
        crate::FiscalId(self.last_id)
    }
    /// The time of the oldest document not yet acknowledged as uploaded, if any: the 7-day
    /// clock runs from it (NM-04, U-06).
    pub fn oldest_pending(&self) -> Option<Timestamp> {
        self.oldest_pending
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
