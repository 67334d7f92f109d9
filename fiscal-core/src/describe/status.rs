//! A device's status: what a kassa shows its operator and what a POS checks before it sells
//! (SPEC.md §8.5, §14).

use serde_json::{json, Value};

use super::iso_time;
use crate::limits::{MAX_OFFLINE_MS, MAX_PENDING};
use crate::{Device, Status, Timestamp};

/// A moment as `{"…": iso, "…_ms": ms}` members, or both `null`.
fn moment(t: Option<Timestamp>) -> (Value, Value) {
    match t {
        Some(t) => (Value::String(iso_time(t)), Value::from(t.millis())),
        None => (Value::Null, Value::Null),
    }
}

/// `{"acknowledged", "certificate_serial", "certificate_valid_until(_ms)", "last_fiscal_id",
/// "last_number", "last_shift", "last_time(_ms)", "ledger_entries", "ledger_horizon",
/// "max_pending", "oldest_pending(_ms)", "pending", "pin_failures", "shift_open",
/// "shift_opened_at(_ms)", "shift_receipts", "status", "unlocked", "upload_deadline(_ms)"}`:
/// `status` is `active`, `locked` or `decommissioned`; `upload_deadline` is the moment after
/// which receipts are refused until the oldest pending document is uploaded (its time + 7 days,
/// NM-04, U-06), `null` when nothing is pending.
pub fn device_status(device: &Device) -> Value {
    let s = device.state();
    let certificate = s.certificate().body();
    let shift = s.shift();
    let (valid_until, valid_until_ms) = moment(Some(certificate.valid_until));
    let (last_time, last_time_ms) = moment((s.last_number() > 0).then(|| s.last_time()));
    let (oldest, oldest_ms) = moment(s.oldest_pending());
    let (deadline, deadline_ms) = moment(
        s.oldest_pending()
            .map(|t| Timestamp(t.millis().saturating_add(MAX_OFFLINE_MS))),
    );
    let (opened, opened_ms) = moment(shift.map(|r| r.opened_at));
    json!({
        "acknowledged": s.acknowledged(),
        "certificate_serial": certificate.serial,
        "certificate_valid_until": valid_until,
        "certificate_valid_until_ms": valid_until_ms,
        "last_fiscal_id": s.last_fiscal_id().long(),
        "last_number": s.last_number(),
        "last_shift": s.last_shift(),
        "last_time": last_time,
        "last_time_ms": last_time_ms,
        "ledger_entries": s.ledger_entries(),
        "ledger_horizon": s.ledger_horizon(),
        "max_pending": MAX_PENDING,
        "oldest_pending": oldest,
        "oldest_pending_ms": oldest_ms,
        "pending": s.pending(),
        "pin_failures": s.pin_failures(),
        "shift_open": shift.is_some(),
        "shift_opened_at": opened,
        "shift_opened_at_ms": opened_ms,
        "shift_receipts": shift.map(|r| r.receipts),
        "status": match s.status() {
            Status::Active => "active",
            Status::Locked => "locked",
            Status::Decommissioned => "decommissioned",
        },
        "unlocked": device.is_unlocked(),
        "upload_deadline": deadline,
        "upload_deadline_ms": deadline_ms,
    })
}
