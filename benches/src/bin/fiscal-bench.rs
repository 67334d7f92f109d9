//! `fiscal-bench`: the measurements that are not criterion's (benches/README.md).
//!
//! ```text
//! fiscal-bench generate N PATH      write a journal of at least N documents to PATH, and the
//!                                   authority key (hex) to PATH.authority
//! fiscal-bench verify PATH [MODE]   verify it and print one JSON line; MODE is
//!                                   --stream (default: a line at a time through
//!                                   JournalVerifier, the file never in memory) or
//!                                   --whole (read the file, then verify_journal) or
//!                                   --text (read the file, then, timed, verify_text on
//!                                   all cores) or
//!                                   --reader (JournalVerification::verify_reader on all
//!                                   cores: the file streamed, lines prepared on worker
//!                                   threads) or
//!                                   --two-pass (the same with low_memory: the receipts
//!                                   referred to, then the verification indexing only those)
//! fiscal-bench issue N LINES         issue N receipts of LINES lines (JSON in, signed document
//!                                   and QR payload out) and print the time per receipt (JSON):
//!                                   what `perf record` profiles
//! fiscal-bench qr N                 make N QR SVGs of receipts' payloads (what perf profiles)
//! fiscal-bench paired ROUNDS [DOCS]  the targets' ratios measured side by side: each round runs
//!                                   every contender once, in turn, on a journal of DOCS
//!                                   documents (10 000 unless told) (JSON; see `paired`)
//! fiscal-bench read ROUNDS          reading the 10-line sale's JSON: `Request::from_json`, its
//!                                   parts and its fallback path side by side, µs a call (JSON)
//! fiscal-bench state                print the serialized device state's size (JSON)
//! ```
//!
//! `benches/results.py` runs `verify` under `/usr/bin/time -v` for the peak RSS.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a measuring tool: any failure ends the run with its message"
)]

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use fiscal_core::{verify_journal, JournalVerification, PublicKey, RateTable};
use fiscal_core_benches::{sale_json, write_journal, Till};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["generate", n, path] => generate(n.parse().expect("N is a number"), path),
        ["verify", path] | ["verify", path, "--stream"] => verify(path, Mode::Stream),
        ["verify", path, "--whole"] => verify(path, Mode::Whole),
        ["verify", path, "--text"] => verify(path, Mode::Text),
        ["verify", path, "--reader"] => verify(path, Mode::Reader),
        ["verify", path, "--two-pass"] => verify(path, Mode::TwoPass),
        ["issue", n, lines] => issue(
            n.parse().expect("N is a number"),
            lines.parse().expect("LINES is a number"),
        ),
        ["qr", n] => qr(n.parse().expect("N is a number")),
        ["paired", rounds] => paired(rounds.parse().expect("ROUNDS is a number"), 10_000),
        ["paired", rounds, documents] => paired(
            rounds.parse().expect("ROUNDS is a number"),
            documents.parse().expect("DOCUMENTS is a number"),
        ),
        ["read", rounds] => read(rounds.parse().expect("ROUNDS is a number")),
        ["state"] => state(),
        _ => {
            eprintln!(
                "usage: fiscal-bench generate N PATH | verify PATH [--stream|--whole|--text|--reader|--two-pass] | issue N LINES | qr N | paired ROUNDS [DOCUMENTS] | read ROUNDS | state"
            );
            std::process::exit(2);
        }
    }
}

fn generate(documents: u64, path: &str) {
    let started = Instant::now();
    let mut file = BufWriter::new(File::create(path).expect("create the journal"));
    let (authority, written) = write_journal(documents, |line| {
        file.write_all(line.as_bytes()).expect("write");
        file.write_all(b"\n").expect("write");
    });
    file.flush().expect("flush");
    std::fs::write(format!("{path}.authority"), format!("{authority}\n")).expect("authority");
    eprintln!(
        "wrote {path}: {written} documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn authority_of(path: &str) -> PublicKey {
    let text = std::fs::read_to_string(format!("{path}.authority")).expect("PATH.authority");
    let bytes = hex_decode(text.trim());
    PublicKey::from_sec1(&bytes).expect("an authority key")
}

fn hex_decode(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// How `verify` reads and checks the journal.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// A line at a time through one `JournalVerifier`, on this thread.
    Stream,
    /// The whole file in memory, then `verify_journal`.
    Whole,
    /// `JournalVerification::verify_reader` on all cores.
    Reader,
    /// The whole file in memory (read before the clock starts), then
    /// `JournalVerification::verify_text` on all cores: `paired`'s measure, on a file.
    Text,
    /// Two passes (`JournalVerification::low_memory`): the receipts referred to, then the
    /// verification indexing only those, on all cores.
    TwoPass,
}

fn verify(path: &str, mode: Mode) {
    let authority = authority_of(path);
    let rates = RateTable::azerbaijan();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let text = matches!(mode, Mode::Text)
        .then(|| std::fs::read_to_string(path).expect("read the journal"))
        .unwrap_or_default();
    let started = Instant::now();
    let open = || BufReader::with_capacity(1 << 16, File::open(path).expect("open"));
    let report = match mode {
        Mode::Whole => {
            let text = std::fs::read_to_string(path).expect("read the journal");
            verify_journal(&text, &authority, &rates)
        }
        Mode::Stream => {
            let mut verifier = JournalVerification::new(&authority, &rates).start();
            let mut reader = open();
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read") > 0 {
                verifier.add_line(line.trim_end_matches('\n'));
                line.clear();
            }
            verifier.finish()
        }
        Mode::Text => JournalVerification::new(&authority, &rates)
            .workers(threads)
            .verify_text(&text),
        Mode::Reader | Mode::TwoPass => JournalVerification::new(&authority, &rates)
            .workers(threads)
            .low_memory(matches!(mode, Mode::TwoPass))
            .verify_reader(open(), |_| Ok::<(), std::io::Error>(()))
            .expect("read the journal"),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        r#"{{"mode":"{mode:?}","threads":{},"documents":{},"findings":{},"seconds":{seconds:.3},"provider":"{}"}}"#,
        if matches!(mode, Mode::Reader | Mode::TwoPass | Mode::Text) {
            threads
        } else {
            1
        },
        report.documents,
        report.findings.len(),
        fiscal_core::internal::VERIFY_PROVIDER
    );
    if !report.is_valid() {
        eprintln!("the journal did not verify: {:?}", report.findings.first());
        std::process::exit(1);
    }
}

fn issue(receipts: u64, lines: usize) {
    let mut till = Till::new();
    let requests: Vec<String> = (0..16).map(|v| sale_json(lines, v)).collect();
    let started = Instant::now();
    let mut bytes = 0usize;
    for i in 0..receipts {
        let doc = till.issue_json(&requests[(i % 16) as usize]);
        bytes += till.device.qr_payload(&doc).len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        r#"{{"receipts":{receipts},"lines":{lines},"seconds":{seconds:.3},"us_per_receipt":{:.1},"qr_bytes":{bytes}}}"#,
        seconds * 1e6 / receipts as f64
    );
}

fn qr(count: u32) {
    let mut till = Till::new();
    let doc = till.issue_json(&sale_json(3, 7));
    let payload = till.device.qr_payload(&doc);
    let started = Instant::now();
    let mut bytes = 0usize;
    for _ in 0..count {
        bytes += fiscal_core::qr::qr_svg(&payload).expect("a QR code").len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        r#"{{"svgs":{count},"seconds":{seconds:.3},"us_per_svg":{:.1},"svg_bytes":{}}}"#,
        seconds * 1e6 / f64::from(count),
        bytes / count.max(1) as usize
    );
}

/// The ratios of the targets, measured so that a neighbour's build slows both sides alike: in
/// each round every contender runs once, one after the other, and each keeps its best round.
///
/// - issuing a 10-line receipt end to end (JSON in, document and QR payload out), 50 a round,
///   against 50 bare p256 signatures (the `p256` crate) of the same receipt's canonical bytes;
/// - verifying a journal of `journal_documents` (10 000 unless told) on one thread
///   (`verify_journal`) and on all (`JournalVerification` with `workers`), against bare
///   verifications of the same documents' bytes and signatures by `ring` and by `p256`, and
///   against the batch signature floor (`verify_batch` of the same signatures, hashes
///   precomputed, in the verifier's batch sizes), these of its first 10 000 documents;
/// - after the rounds, `openssl speed -seconds 3 ecdsap256`'s verify (issue #19's yardstick).
fn paired(rounds: u32, journal_documents: u64) {
    use p256::ecdsa::signature::{Signer, Verifier};
    use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};

    let mut till = Till::new();
    let sale = sale_json(10, 7);
    let bytes = till.issue_json(&sale).signed_bytes().to_vec();
    let signing =
        p256::ecdsa::SigningKey::from_slice(&fiscal_core_benches::device_key().to_bytes()[..])
            .expect("a P-256 scalar");
    let (text, authority, documents) = fiscal_core_benches::journal(journal_documents);
    let rates = RateTable::azerbaijan();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    // The bare verifications and the batch floor take the first 10 000 documents: figures a
    // document, and a 100 000-document journal's p256 verifications alone would take 16 s a
    // round.
    let docs: Vec<fiscal_core::Document> = text
        .lines()
        .skip(1)
        .take(10_000)
        .map(|l| fiscal_core::Document::from_journal_line(l).expect("a document"))
        .collect();
    let verifying = *signing.verifying_key();
    let uncompressed = verifying.to_encoded_point(false).as_bytes().to_vec();
    let ring_key = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, uncompressed);
    let p256_sigs: Vec<p256::ecdsa::Signature> = docs
        .iter()
        .map(|d| p256::ecdsa::Signature::from_slice(&d.signature().0).expect("a signature"))
        .collect();

    let items: Vec<([u8; 32], fiscal_core::Signature, fiscal_core::NoncePoint)> = docs
        .iter()
        .map(|d| {
            (
                fiscal_core::internal::sha256(&[d.signed_bytes()]),
                *d.signature(),
                *d.nonce_point(),
            )
        })
        .collect();
    let device = docs
        .first()
        .map(|_| fiscal_core_benches::device_key().public_key())
        .expect("a document");

    const ISSUES: u32 = 50;
    let mut best = [f64::INFINITY; 8];
    let mut time = |slot: usize, f: &mut dyn FnMut()| {
        let started = Instant::now();
        f();
        best[slot] = best[slot].min(started.elapsed().as_secs_f64());
    };
    for _ in 0..rounds {
        // Each timed loop starts warm: one untimed call first, so that neither issuing nor
        // the bare sign is charged for refilling the caches the journal rounds emptied.
        let doc = till.issue_json(&sale);
        std::hint::black_box(till.device.qr_payload(&doc));
        time(0, &mut || {
            for _ in 0..ISSUES {
                let doc = till.issue_json(std::hint::black_box(&sale));
                std::hint::black_box(till.device.qr_payload(&doc));
            }
        });
        let sig: p256::ecdsa::Signature = signing.sign(&bytes);
        std::hint::black_box(sig);
        time(1, &mut || {
            for _ in 0..ISSUES {
                let sig: p256::ecdsa::Signature = signing.sign(std::hint::black_box(&bytes));
                std::hint::black_box(sig);
            }
        });
        time(2, &mut || {
            let report = verify_journal(std::hint::black_box(&text), &authority, &rates);
            assert!(report.is_valid());
        });
        time(3, &mut || {
            let report = JournalVerification::new(&authority, &rates)
                .workers(threads)
                .verify_text(&text);
            assert!(report.is_valid());
        });
        time(4, &mut || {
            for d in &docs {
                assert!(ring_key.verify(d.signed_bytes(), &d.signature().0).is_ok());
            }
        });
        time(5, &mut || {
            for (d, sig) in docs.iter().zip(&p256_sigs) {
                assert!(verifying.verify(d.signed_bytes(), sig).is_ok());
            }
        });
        // The batch signature floors (SPEC.md §13.2): the same signatures (their hashes
        // precomputed) in batches of the verifier's sizes: 2 048 on one thread and a text's
        // chunk on several, 1 024 a chunk read from a file.
        for (slot, size) in [(6, 2048), (7, 1024)] {
            time(slot, &mut || {
                for chunk in items.chunks(size) {
                    let ok = fiscal_core::internal::verify_batch(&device, chunk);
                    assert!(ok.iter().all(|&v| v));
                }
            });
        }
    }
    let openssl = openssl_verify_us().map_or("null".to_string(), |us| format!("{us:.2}"));
    let us = |slot: usize, n: f64| best[slot] * 1e6 / n;
    let n = documents as f64;
    let signed = docs.len() as f64;
    println!(
        r#"{{"rounds":{rounds},"provider":"{}","threads":{threads},"documents":{documents},"issue10_us":{:.2},"p256_sign_us":{:.2},"journal_1_thread_us_per_doc":{:.2},"journal_all_threads_us_per_doc":{:.2},"ring_verify_us":{:.2},"p256_verify_us":{:.2},"batch_signature_us":{:.2},"batch_signature_1024_us":{:.2},"openssl_verify_us":{openssl}}}"#,
        fiscal_core::internal::VERIFY_PROVIDER,
        us(0, f64::from(ISSUES)),
        us(1, f64::from(ISSUES)),
        us(2, n),
        us(3, n),
        us(4, signed),
        us(5, signed),
        us(6, signed),
        us(7, signed),
    );
}

/// `openssl speed -seconds 3 ecdsap256`'s verify time in µs (the issue's yardstick), run after
/// the rounds; `None` when `openssl` is not installed or says something else.
fn openssl_verify_us() -> Option<f64> {
    let out = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "3", "-mr", "ecdsap256"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    // The machine-readable summary: `+F4:<n>:256:<signs/s>:<verifies/s>`.
    let text = String::from_utf8(out.stdout).ok()?;
    let line = text.lines().find(|l| l.starts_with("+F4:"))?;
    let per_second: f64 = line.rsplit(':').next()?.trim().parse().ok()?;
    (per_second > 0.0).then(|| 1e6 / per_second)
}

/// Reading the 10-line sale of `paired` (issue #19), side by side as `paired` measures: in each
/// round every contender runs 200 times, one after the other, and each keeps its best round.
///
/// - `from_json_us`: `Request::from_json` (the JSON read, checked and validated);
/// - `full_us`: the same through the full reader alone (every dialect, every notice: the path
///   every text took before the typed reader, and the one a refused text still takes);
/// - `typed_draft_us`: the typed reader's half of `from_json` (text → draft);
/// - `draft_us` and `validate_us`: the two halves as the public API has them
///   (`RequestDraft::from_json`, then `RequestDraft::validate`), the second also what a
///   journal's verification pays again for every receipt.
fn read(rounds: u32) {
    use fiscal_core::{Request, RequestDraft};
    let till = Till::new();
    let sale = sale_json(10, 7);
    let ctx = fiscal_core_benches::context(&till.rates, till.now.date_in_baku());
    let (draft, problems) = RequestDraft::from_json(&sale);
    assert!(problems.is_empty());
    const CALLS: u32 = 200;
    let mut best = [f64::INFINITY; 5];
    let mut time = |slot: usize, f: &mut dyn FnMut()| {
        let started = Instant::now();
        for _ in 0..CALLS {
            f();
        }
        best[slot] = best[slot].min(started.elapsed().as_secs_f64());
    };
    for _ in 0..rounds {
        time(0, &mut || {
            std::hint::black_box(
                Request::from_json(std::hint::black_box(&sale), &ctx).expect("valid"),
            );
        });
        time(1, &mut || {
            std::hint::black_box(RequestDraft::from_json(std::hint::black_box(&sale)));
        });
        time(2, &mut || {
            std::hint::black_box(std::hint::black_box(&draft).validate(&ctx).expect("valid"));
        });
        time(3, &mut || {
            let full = fiscal_core::internal::read_request_full(std::hint::black_box(&sale), &ctx);
            std::hint::black_box(full.expect("valid"));
        });
        time(4, &mut || {
            let typed = fiscal_core::internal::read_draft_typed(std::hint::black_box(&sale));
            std::hint::black_box(typed.expect("the common case"));
        });
    }
    let us = |slot: usize| best[slot] * 1e6 / f64::from(CALLS);
    println!(
        r#"{{"rounds":{rounds},"bytes":{},"from_json_us":{:.2},"full_us":{:.2},"typed_draft_us":{:.2},"draft_us":{:.2},"validate_us":{:.2}}}"#,
        sale.len(),
        us(0),
        us(3),
        us(4),
        us(1),
        us(2),
    );
}

/// The state a POS saves after every operation, at its largest in a normal day: a shift open
/// with receipts of several kinds counted in its running report.
fn state() {
    let mut till = Till::new();
    let opened = till.device.export_state().len();
    let mut last = None;
    for i in 0..200 {
        let doc = till.issue_json(&sale_json(1 + i % 5, i as u64));
        last = Some(doc);
    }
    let sale = last.expect("a sale");
    let cancel = format!(
        r#"{{"doc_type":"rollback","data":{{"cashier":"Aysel","parentDocument":"{}"}}}}"#,
        sale.id().long()
    );
    till.issue_with(&cancel, &[sale]);
    till.issue_json(r#"{"doc_type":"deposit","data":{"cashier":"Aysel","sum":100}}"#);
    till.issue_json(r#"{"doc_type":"withdraw","data":{"cashier":"Aysel","sum":50}}"#);
    let busy = till.device.export_state().len();
    println!(r#"{{"state_bytes_shift_opened":{opened},"state_bytes_busy_shift":{busy}}}"#);
}
