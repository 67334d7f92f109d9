//! A state saved by version 1 (before the ledger) is read by version 2 (SPEC.md §14.1, §14.6).
//! The fixtures in `golden/state-v1-*.txt` were exported by the engine at commit 1b4c692
//! (state version 1): activation at 08:00, shift 1 with one cash sale of 1.20 (document 3) and
//! its Z-report (4) — `closed`; then shift 2 opened with a second sale (6) — `open`; then that
//! sale cancelled (7) — `cancelled`. `state-v1-sale.jsonl` is document 3's journal line,
//! its signature rewritten as the v3 line's R.x ‖ R.y ‖ s (SPEC.md §13.2; R.y lifted from r
//! and the parity the device's v3 draft wrote, by the textbook square root).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::device::*;
use fiscal_core::{Device, Document, Error, ErrorCode};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    hex::decode(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

fn sale_3() -> Document {
    let path = format!(
        "{}/tests/golden/state-v1-sale.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    Document::from_journal_line(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

fn return_of(parent: &Document) -> String {
    format!(
        r#"{{"doc_type":"money_back","data":{{"cashier":"Aysel","parentDocument":"{}","moneyBackType":0,
        "items":[{{"itemName":"Çörək","itemQuantity":2,"itemPrice":0.60,"itemVatPercent":18}}],"cashlessSum":1.20}}}}"#,
        parent.id().long()
    )
}

#[test]
fn a_closed_version_1_state_is_read_and_numbering_goes_on() {
    let bytes = fixture("state-v1-closed.txt");
    assert_eq!(bytes[0], 1, "the fixture is a version 1 state");
    let mut d = Device::restore(&bytes, device_key()).unwrap();
    d.unlock(PIN).unwrap();
    assert_eq!(d.state().last_number(), 4);
    assert_eq!(d.state().last_shift(), 1);
    assert!(d.state().shift().is_none());
    // Version 1 kept no ledger: it starts at the next document.
    assert_eq!(d.state().ledger_horizon(), 5);
    assert_eq!(d.state().ledger_entries(), 0);
    // Saved again, it is version 2 and reads back the same.
    let again = d.export_state();
    assert_eq!(again[0], 2);
    assert_eq!(
        Device::restore(&again, device_key()).unwrap().state(),
        d.state()
    );

    let open = d.open_shift(at(12, 0, 0)).unwrap().document;
    assert_eq!(open.number(), 5);
    // Sale 3 is below the horizon: its claims are counted from what the POS supplies; its
    // balance is then remembered (SPEC.md §14.6), so a second return is refused even when the
    // first is withheld — and the state saved after it restores.
    let sale = sale_3();
    let first = issue(
        &mut d,
        &return_of(&sale),
        at(12, 1, 0),
        std::slice::from_ref(&sale),
    );
    assert_eq!(first.number(), 6);
    assert_eq!(d.state().ledger_entries(), 1);
    let e = refuse(
        &mut d,
        &return_of(&sale),
        at(12, 2, 0),
        std::slice::from_ref(&sale),
    );
    assert_eq!(e.code(), ErrorCode::ReturnExceedsSale);
    let restored = Device::restore(&d.export_state(), device_key()).unwrap();
    assert_eq!(restored.state(), d.state());
}

#[test]
fn a_version_1_state_with_its_shift_open_is_read() {
    let mut d = Device::restore(&fixture("state-v1-open.txt"), device_key()).unwrap();
    d.unlock(PIN).unwrap();
    assert_eq!(d.state().last_number(), 6);
    assert_eq!(d.state().shift().map(|s| s.receipts), Some(1));
    assert_eq!(d.state().ledger_horizon(), 7);
    let z = d.close_shift(at(13, 0, 0)).unwrap().document;
    assert_eq!(z.number(), 7);
}

#[test]
fn a_version_1_state_with_cancels_in_its_open_shift_is_refused() {
    // Version 1 kept the open shift's cancels by number only; the ledger keys receipts by
    // fiscal ID, so reading it would forget that sale 6 is cancelled.
    let e = Device::restore(&fixture("state-v1-cancelled.txt"), device_key()).unwrap_err();
    assert!(
        matches!(e, Error::InvalidState(ref m) if m.contains("close the shift")),
        "{e}"
    );
    assert_eq!(e.code(), ErrorCode::InvalidState);
}
