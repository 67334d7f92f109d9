//! The device state machine driven by arbitrary operations at arbitrary times (SPEC.md §14),
//! with the invariants of `fiscal-core/tests/common/ops.rs`: no panic, numbers without gaps, a
//! refused operation leaves the state byte-identical, every document is signed and chained, and
//! the run's journal verifies with no finding. Input layout: `fiscal_core_fuzz::decode_steps`.
#![no_main]

use fiscal_core_fuzz::decode_steps;
use fiscal_core_fuzz::ops::Run;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let steps = decode_steps(data);
    if steps.len() > 100 {
        return;
    }
    let mut run = Run::new();
    for s in &steps {
        run.step(s);
    }
    if let Err(findings) = run.check_journal() {
        panic!("the run's own journal has findings:\n{findings}");
    }
});
