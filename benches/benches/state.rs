//! The device state a POS saves after every operation (SPEC.md §14.1): exporting it (postcard)
//! and restoring a device from it (decode, version and key checks, invariants), for a device
//! in the middle of a busy shift. The size in bytes is printed before the timings
//! (`fiscal-bench state` prints it too, for benches/results.py).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark set-up: a fixture that cannot be built ends the run with its message"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fiscal_core::Device;
use fiscal_core_benches::{device_key, sale_json, Till};

fn state(c: &mut Criterion) {
    let mut till = Till::new();
    for i in 0..200u64 {
        till.issue_json(&sale_json(1 + (i % 5) as usize, i));
    }
    till.issue_json(r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#);
    let bytes = till.device.export_state();
    println!("serialized device state: {} bytes", bytes.len());
    let key = device_key();

    let mut group = c.benchmark_group("state");
    group.bench_function("export", |b| {
        b.iter(|| black_box(&till.device).export_state())
    });
    group.bench_function("import", |b| {
        b.iter(|| Device::restore(black_box(&bytes), key.clone()).expect("a state"));
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = state
}
criterion_main!(benches);
