//! The QR code of a receipt (SPEC.md §13.4): its payload text, its module matrix (error
//! correction M) and its SVG image, for a real document's fiscal ID. `payload_and_svg` is what
//! is compared with `segno` (benches/peers/qr_segno.py makes the same symbol and SVG).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark set-up: a fixture that cannot be built ends the run with its message"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fiscal_core::qr;
use fiscal_core_benches::{sale_json, Till};

fn qr_code(c: &mut Criterion) {
    let mut till = Till::new();
    let doc = till.issue_json(&sale_json(3, 7));
    let base = till.device.state().qr_base().to_owned();
    let payload = qr::payload(&base, &doc.id());

    let mut group = c.benchmark_group("qr");
    group.bench_function("payload", |b| {
        b.iter(|| qr::payload(black_box(&base), &doc.id()));
    });
    group.bench_function("matrix", |b| {
        b.iter(|| qr::qr_matrix(black_box(&payload)).expect("a QR code"));
    });
    group.bench_function("svg", |b| {
        b.iter(|| qr::qr_svg(black_box(&payload)).expect("a QR code"));
    });
    group.bench_function("payload_and_svg", |b| {
        b.iter(|| qr::qr_svg(&qr::payload(black_box(&base), &doc.id())).expect("a QR code"));
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
    targets = qr_code
}
criterion_main!(benches);
