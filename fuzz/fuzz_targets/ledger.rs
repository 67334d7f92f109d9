//! The ledger, differentially (SPEC.md §14.6): the device and the journal verifier must come to
//! the same verdict on every claim a document makes on earlier receipts. The driver is
//! `fiscal-core/tests/ledger_properties.rs` (the proptest suite's, included with `#[path]`, so
//! the two cannot drift); operations are decoded from the input. Per input: at most 12
//! operations; at the first refusal with a ledger code the state must be byte-identical, and
//! the request is forged into the journal as the next document signed with the device key —
//! then one verification of the whole journal must find exactly that code at that document
//! (which also proves every document before it clean). Without such a refusal, the journal is
//! verified once at the end and must have no finding.
//!
//! Input: steps of 12 bytes, `[op, dt, p (u32 LE), mode, index, form, pct, delta, x]`
//! (`decode` below). Shorter tails are ignored.
#![no_main]

#[path = "../../fiscal-core/tests/ledger_properties.rs"]
mod ledger_properties;

use ledger_properties::{Amt, Config, Harness, Op, Pick, Step};
use libfuzzer_sys::fuzz_target;

const STEP_BYTES: usize = 12;
const MAX_STEPS: usize = 12;

fn decode(b: &[u8]) -> Step {
    let p = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
    let pick = Pick {
        mode: b[6],
        index: u16::from(b[7]),
        form: b[8],
    };
    let x = b[11];
    // -2..=2 qəpik around what is left (or exactly it, most often).
    let amt = Amt {
        pct: b[9],
        delta: (b[10] as i8) % 3,
    };
    let small = |v: u8| if v & 8 == 0 { 0 } else { (v & 7) as i8 - 3 };
    let op = match b[0] % 10 {
        0 => Op::NewShift,
        1 => Op::Sale { price: p, form: x },
        2 => Op::CreditSale {
            price: p,
            credit_pct: b[9],
        },
        3 => Op::Advance {
            price: p,
            cash: x & 1 == 1,
        },
        4 => Op::AgainstAdvances {
            first: pick,
            second: (x & 1 == 1).then_some(Pick {
                mode: x >> 4,
                index: (p >> 16) as u16,
                form: x >> 1,
            }),
            take: amt,
            extra: p,
        },
        5 => Op::Return {
            parent: pick,
            back: x,
            amount: amt,
            cash: x & 0x80 != 0,
        },
        6 => Op::Cancel { parent: pick },
        7 => Op::Instalment {
            parent: pick,
            number: small(x),
            amount: amt,
            residue: small(x >> 4),
            cash: p & 1 == 1,
        },
        8 => Op::Deposit { amount: p },
        _ => Op::Withdraw { amount: amt },
    };
    Step {
        dt: u16::from(b[1]) + 1,
        op,
    }
}

fuzz_target!(|data: &[u8]| {
    let steps: Vec<Step> = data
        .chunks_exact(STEP_BYTES)
        .take(MAX_STEPS)
        .map(decode)
        .collect();
    let config = Config {
        max_forgeries: 1,
        stop_after_forgery: true,
        shift_records: false,
        verify_signatures: false,
    };
    if let Err(e) = Harness::run(&steps, &config) {
        panic!("{e}\nsteps: {steps:#?}");
    }
});
