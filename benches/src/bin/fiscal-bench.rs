//! `fiscal-bench`: the measurements that are not criterion's (benches/README.md).
//!
//! ```text
//! fiscal-bench generate N PATH      write a journal of at least N documents to PATH, and the
//!                                   authority key (hex) to PATH.authority
//! fiscal-bench verify PATH [MODE]   verify it and print one JSON line; MODE is
//!                                   --stream (default: a line at a time through
//!                                   JournalVerifier, the file never in memory) or
//!                                   --whole (read the file, then verify_journal) or
//!                                   --reader (verify_journal_reader on all cores: the file
//!                                   streamed, lines prepared on worker threads)
//! fiscal-bench issue N LINES         issue N receipts of LINES lines (JSON in, signed document
//!                                   and QR payload out) and print the time per receipt (JSON):
//!                                   what `perf record` profiles
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

use fiscal_core::{verify_journal, verify_journal_reader, JournalVerifier, PublicKey, RateTable};
use fiscal_core_benches::{sale_json, write_journal, Till};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["generate", n, path] => generate(n.parse().expect("N is a number"), path),
        ["verify", path] | ["verify", path, "--stream"] => verify(path, Mode::Stream),
        ["verify", path, "--whole"] => verify(path, Mode::Whole),
        ["verify", path, "--reader"] => verify(path, Mode::Reader),
        ["issue", n, lines] => issue(
            n.parse().expect("N is a number"),
            lines.parse().expect("LINES is a number"),
        ),
        ["state"] => state(),
        _ => {
            eprintln!(
                "usage: fiscal-bench generate N PATH | verify PATH [--stream|--whole] | issue N LINES | state"
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
    /// `verify_journal_reader` on all cores.
    Reader,
}

fn verify(path: &str, mode: Mode) {
    let authority = authority_of(path);
    let rates = RateTable::azerbaijan();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let started = Instant::now();
    let open = || BufReader::with_capacity(1 << 16, File::open(path).expect("open"));
    let report = match mode {
        Mode::Whole => {
            let text = std::fs::read_to_string(path).expect("read the journal");
            verify_journal(&text, &authority, &rates)
        }
        Mode::Stream => {
            let mut verifier = JournalVerifier::new(&authority, &rates);
            let mut reader = open();
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read") > 0 {
                verifier.add_line(line.trim_end_matches('\n'));
                line.clear();
            }
            verifier.finish()
        }
        Mode::Reader => verify_journal_reader(open(), &authority, &rates, threads, |_| {
            Ok::<(), std::io::Error>(())
        })
        .expect("read the journal"),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        r#"{{"mode":"{mode:?}","threads":{},"documents":{},"findings":{},"seconds":{seconds:.3},"provider":"{}"}}"#,
        if matches!(mode, Mode::Reader) {
            threads
        } else {
            1
        },
        report.documents,
        report.findings.len(),
        fiscal_core::crypto::VERIFY_PROVIDER
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
