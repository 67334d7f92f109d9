//! Issuing a receipt: end to end (the POS's JSON → validated request → tax → canonical bytes →
//! chain → p256 signature (RFC 6979) → fiscal ID → QR payload) for 1, 10 and 100 lines, and each
//! stage alone on the 10-line receipt. The floors these are compared with are in `floors.rs`.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark set-up: a fixture that cannot be built ends the run with its message"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fiscal_core::internal::{compute_tax, sha256, TaxLine, FISCAL_ID_TAG};
use fiscal_core::{qr, DocumentBody, Request, RequestDraft};
use fiscal_core_benches::{context, device_key, sale_json, Till};

/// The receipt sizes measured end to end.
const LINES: [usize; 3] = [1, 10, 100];

fn end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("issue");
    for lines in LINES {
        let json = sale_json(lines, 7);
        let mut till = Till::new();
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("end_to_end", lines), &json, |b, json| {
            b.iter(|| {
                // The whole path a POS calls: JSON in, signed document and QR text out.
                let doc = till.issue_json(black_box(json));
                black_box(till.device.qr_payload(&doc))
            });
        });
    }
    group.finish();
}

fn stages(c: &mut Criterion) {
    let mut till = Till::new();
    let json = sale_json(10, 7);
    let doc = till.issue_json(&json);
    let rates = till.rates.clone();
    let ctx = context(&rates, till.now.date_in_baku());
    let request = Request::from_json(&json, &ctx).expect("valid");
    let body = request.body().expect("a receipt body");
    let tax_lines: Vec<TaxLine> = body
        .lines()
        .iter()
        .map(|l| TaxLine {
            treatment: l.treatment(),
            total: l.total(),
            margin: l.margin(),
        })
        .collect();
    let document_body: DocumentBody = doc.body().clone();
    let bytes = doc.signed_bytes().to_vec();
    let signature = *doc.signature();
    let key = device_key();
    let qr_base = till.device.state().qr_base().to_owned();

    let mut group = c.benchmark_group("stage_10_lines");
    group.bench_function("parse_json", |b| {
        b.iter(|| RequestDraft::from_json(black_box(&json)));
    });
    let (draft, problems) = RequestDraft::from_json(&json);
    assert!(problems.is_empty());
    group.bench_function("validate", |b| {
        b.iter(|| black_box(&draft).validate(&ctx).expect("valid"));
    });
    group.bench_function("parse_and_validate", |b| {
        b.iter(|| Request::from_json(black_box(&json), &ctx).expect("valid"));
    });
    group.bench_function("tax", |b| b.iter(|| compute_tax(black_box(&tax_lines))));
    group.bench_function("encode", |b| {
        b.iter(|| black_box(&document_body).signed_bytes());
    });
    group.bench_function("sign", |b| b.iter(|| key.sign(black_box(&bytes))));
    group.bench_function("fiscal_id", |b| {
        b.iter(|| sha256(&[FISCAL_ID_TAG, black_box(&bytes), &signature.0]));
    });
    group.bench_function("qr_payload", |b| {
        b.iter(|| qr::payload(black_box(&qr_base), &doc.id()));
    });
    // The device's own work around the stages: checks, state copy, shift accounting.
    group.bench_function("device_issue_validated", |b| {
        b.iter(|| {
            let now = till.now.plus(1);
            till.issue_at(black_box(&request), now, &[])
        });
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
    targets = end_to_end, stages
}
criterion_main!(benches);
