//! What the fuzz targets share: the device driver of `fiscal-core/tests/common/ops.rs` (the
//! same file the proptest suite runs, so the two cannot drift), its operations decoded with
//! `arbitrary`, a genuine journal, and the "no false valid" check of the journal verifier.

#[path = "../../fiscal-core/tests/common/ops.rs"]
pub mod ops;

use fiscal_core::{Certificate, Document, JournalReport};
use ops::{Op, Step};

/// Bytes a step takes in a `device_ops` input.
pub const STEP_BYTES: usize = 12;

/// Decodes a `device_ops` input: steps of [`STEP_BYTES`] bytes each —
/// `[op, unit, dt (i16 LE), p (u32 LE), q (u16 LE), r, s]`; the clock moves by `dt` units of
/// `unit % 5` (ms, s, min, h, day), then operation `op % 15` runs with parameters p, q, r, s.
/// A fixed layout keeps libFuzzer's byte mutations meaningful and seeds easy to write.
pub fn decode_steps(data: &[u8]) -> Vec<Step> {
    data.chunks_exact(STEP_BYTES).map(decode_step).collect()
}

fn decode_step(b: &[u8]) -> Step {
    let unit: i64 = match b[1] % 5 {
        0 => 1,
        1 => 1_000,
        2 => 60_000,
        3 => 3_600_000,
        _ => 86_400_000,
    };
    let dt = i64::from(i16::from_le_bytes([b[2], b[3]])) * unit;
    let p = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    let q = u16::from_le_bytes([b[8], b[9]]);
    let (r, s) = (b[10], b[11]);
    let op = match b[0] % 15 {
        0 => Op::OpenShift,
        1 => Op::Sale {
            template: r,
            qty: q,
            price: p,
            split: s,
        },
        2 => Op::Advance { price: p },
        3 => Op::SaleAgainstAdvance {
            which: r,
            price: p,
            offset: u32::from(q) << 8 | u32::from(s),
        },
        4 => Op::Return {
            which: r,
            amount: p,
            cash: s & 1 == 1,
            wrong_kind: s % 16 == 15,
        },
        5 => Op::Cancel { which: r },
        6 => Op::CreditPayment {
            which: r,
            amount: p,
            skip: s % 16 == 15,
        },
        7 => Op::Deposit { amount: p },
        8 => Op::Withdraw { amount: p },
        9 => Op::Correction { amount: p },
        10 => Op::CloseShift,
        11 => Op::Unlock { right: s % 8 != 7 },
        12 => Op::Acknowledge {
            through: q,
            wrong: s % 8 == 7,
        },
        13 => Op::Restore { unlock: s % 4 != 3 },
        _ => Op::Decommission,
    };
    Step { dt, op }
}

/// Encodes a step (for seeds): the inverse of the decoding above.
#[allow(clippy::too_many_arguments)]
pub fn encode_step(op: u8, unit: u8, dt: i16, p: u32, q: u16, r: u8, s: u8) -> [u8; STEP_BYTES] {
    let mut b = [0u8; STEP_BYTES];
    b[0] = op;
    b[1] = unit;
    b[2..4].copy_from_slice(&dt.to_le_bytes());
    b[4..8].copy_from_slice(&p.to_le_bytes());
    b[8..10].copy_from_slice(&q.to_le_bytes());
    b[10] = r;
    b[11] = s;
    b
}

pub use ops::genuine;

/// The invariant of the journal verifier against forgery: when `report` says `text` is valid,
/// its certificate line is the genuine certificate (if `self_contained`) and its documents are
/// the genuine ones, in order, from document 1 (documents cut from the end are invisible by
/// design, SPEC.md §15.3). Panics otherwise: a false "valid".
pub fn assert_no_false_valid(text: &str, report: &JournalReport, self_contained: bool) {
    if !report.is_valid() {
        return;
    }
    let (lines, docs) = genuine();
    let genuine_cert = Certificate::from_journal_line(&lines[0]).map(|c| c.to_bytes());
    let mut seen = 0usize;
    let mut certificates = 0usize;
    // One spelling (SPEC.md §13.5): a valid journal's lines end with LF alone and none is
    // empty or blank.
    for line in fiscal_core::journal_lines(text) {
        assert!(
            !line.ends_with('\r') && !line.bytes().all(|b| b.is_ascii_whitespace()),
            "valid, yet a line is not spelled as a device writes it: {line:?}"
        );
        if line.trim_start().starts_with("{\"certificate\"") {
            let c = Certificate::from_journal_line(line).map(|c| c.to_bytes());
            assert!(
                self_contained && c.is_ok() && c == genuine_cert,
                "valid with a foreign certificate line: {line}"
            );
            certificates += 1;
            continue;
        }
        let doc = match Document::from_journal_line(line) {
            Ok(d) => d,
            Err(e) => panic!("valid, yet a line is not a document ({e}): {line}"),
        };
        assert!(
            docs.get(seen) == Some(&doc),
            "valid, yet document line {} is not genuine document {}: {line}",
            seen + 1,
            seen + 1
        );
        seen += 1;
    }
    assert!(certificates <= 1);
    assert!(!self_contained || seen == 0 || certificates == 1);
    assert_eq!(report.documents, seen as u64);
    // A journal without a document is not valid (`empty_journal`).
    assert!(seen > 0, "valid, yet no document");
}
