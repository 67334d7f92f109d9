//! Verification with the provider this build uses (`p256`, or `ring` with the `ring` feature;
//! the group is named after it so both runs' results coexist): one document
//! (`verify_document`: the certificate against the authority, then the document), one journal
//! line (parse, rebuild, check the ID and the signature), and a whole generated journal —
//! 100 000 documents unless `FISCAL_BENCH_JOURNAL_DOCS` says otherwise — on one core
//! (`verify_journal`) and on all cores (`JournalVerification` with `workers`).
//!
//! A journal run takes seconds, so that benchmark takes the fewest samples criterion allows
//! (10, one run each) and no warm-up beyond one run.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "benchmark set-up: a fixture that cannot be built ends the run with its message"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use fiscal_core::internal::VERIFY_PROVIDER;
use fiscal_core::{verify_document, verify_journal, Document, JournalVerification, RateTable};
use fiscal_core_benches::{authority, certificate, journal, sale_json, Till};

fn one_document(c: &mut Criterion) {
    let mut till = Till::new();
    let doc = till.issue_json(&sale_json(10, 7));
    let line = doc.to_journal_line();
    let certificate = certificate();
    let authority = authority().public_key();
    let key = certificate.body().device_key;

    let mut group = c.benchmark_group(format!("verify_{VERIFY_PROVIDER}"));
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("document", |b| {
        b.iter(|| verify_document(black_box(&doc), &certificate, &authority).expect("valid"));
    });
    group.bench_function("journal_line", |b| {
        b.iter(|| {
            let doc = Document::from_journal_line(black_box(&line)).expect("a document");
            assert!(doc.verify(&key));
        });
    });
    group.finish();
}

fn journal_size() -> u64 {
    std::env::var("FISCAL_BENCH_JOURNAL_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn whole_journal(c: &mut Criterion) {
    let (text, authority, documents) = journal(journal_size());
    let rates = RateTable::azerbaijan();
    let report = verify_journal(&text, &authority, &rates);
    assert!(report.is_valid(), "{:?}", report.findings.first());

    let mut group = c.benchmark_group(format!("verify_{VERIFY_PROVIDER}_journal"));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_millis(1))
        .throughput(Throughput::Elements(documents));
    group.bench_function(format!("{documents}_docs/1_thread"), |b| {
        b.iter(|| verify_journal(black_box(&text), &authority, &rates));
    });
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let parallel = JournalVerification::new(&authority, &rates).workers(threads);
    let report = parallel.verify_text(&text);
    assert!(report.is_valid(), "{:?}", report.findings.first());
    group.bench_function(format!("{documents}_docs/{threads}_threads"), |b| {
        b.iter(|| parallel.verify_text(black_box(&text)));
    });
    group.finish();
}

criterion_group!(benches, one_document, whole_journal);
criterion_main!(benches);
