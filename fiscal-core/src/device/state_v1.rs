//! Version 1 of the saved state, from before the ledger (SPEC.md §14.1, §14.6): read so that a
//! POS that upgrades keeps its device and its numbering.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use super::state::OpenShift;
use super::{DeviceState, Status, STATE_VERSION};
use crate::certificate::Certificate;
use crate::crypto::{serde_bytes, Hash};
use crate::document::ShiftReport;
use crate::error::Error;
use crate::ledger::Ledger;
use crate::time::Timestamp;

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
