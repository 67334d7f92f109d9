//! The parallel and streaming journal verifiers (issue #10) give exactly the report of the
//! sequential one, on genuine and on tampered journals, with any number of threads, from text
//! or from a reader; memory bounds (the kept findings) hold; bytes that are not a journal line
//! never panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/ops.rs"]
mod ops;

use std::io::Cursor;

use fiscal_core::verify::MAX_FINDINGS;
use fiscal_core::{
    referenced_receipts, verify_journal, verify_journal_parallel, verify_journal_reader,
    verify_journal_reader_with, ErrorCode as C, JournalReport, JournalVerifier, PublicKey,
    RateTable, ReferencedReceipts,
};
use ops::{authority, genuine};

fn key() -> PublicKey {
    authority().public_key()
}

/// Every way of running the verifier on `text` gives the sequential report.
fn same_everywhere(text: &str) -> JournalReport {
    let rates = RateTable::azerbaijan();
    let expected = verify_journal(text, &key(), &rates);
    for threads in [0, 1, 2, 3, 5] {
        assert_eq!(
            verify_journal_parallel(text, &key(), &rates, threads),
            expected,
            "text, {threads} threads"
        );
        let from_reader = verify_journal_reader(
            Cursor::new(text.as_bytes()),
            &key(),
            &rates,
            threads,
            |_| Ok::<(), std::io::Error>(()),
        )
        .unwrap();
        assert_eq!(from_reader, expected, "reader, {threads} threads");
        // Two passes, indexing only the receipts something refers to: the same report.
        let referenced = referenced_receipts(Cursor::new(text.as_bytes())).unwrap();
        assert_eq!(referenced, ReferencedReceipts::from_lines(text.lines()));
        let low_memory = verify_journal_reader_with(
            Cursor::new(text.as_bytes()),
            JournalVerifier::new(&key(), &rates).index_only(referenced),
            threads,
            |_| Ok::<(), std::io::Error>(()),
        )
        .unwrap();
        assert_eq!(low_memory, expected, "two passes, {threads} threads");
    }
    // Prepared on one verifier's preparer, fed one by one: the same again.
    let mut v = JournalVerifier::new(&key(), &rates);
    for line in text.lines() {
        let prepared = v.preparer().prepare(line);
        v.add_prepared(prepared);
    }
    assert_eq!(v.finish(), expected, "add_prepared");
    expected
}

/// A long genuine journal: the shared two-shift journal's documents, many times over would
/// break the chain, so the length comes from repeating whole verifications instead; here the
/// journal itself, and variants of it.
fn journal() -> Vec<String> {
    genuine().0.clone()
}

#[test]
fn a_genuine_journal_gives_the_same_report_everywhere() {
    let text = journal().join("\n");
    let report = same_everywhere(&text);
    assert!(report.is_valid(), "{:#?}", report.findings);
    assert!(report.documents > 20);
    // The low-memory pass indexes a few receipts, not all: the ones returned, cancelled,
    // paid by instalments or used as advances.
    let referenced = ReferencedReceipts::from_lines(text.lines());
    assert!(!referenced.is_empty() && (referenced.len() as u64) < report.receipts / 2);
    // Line endings and blank lines are read the same by every path.
    same_everywhere(&(text.replace('\n', "\r\n") + "\r\n\n\n"));
}

#[test]
fn tampered_journals_give_the_same_report_everywhere() {
    let lines = journal();
    let n = lines.len();
    let mut cases: Vec<Vec<String>> = Vec::new();
    // A deleted, a duplicated, a swapped document.
    let mut l = lines.clone();
    l.remove(n / 2);
    cases.push(l);
    let mut l = lines.clone();
    l.insert(n / 3, lines[n / 3].clone());
    cases.push(l);
    let mut l = lines.clone();
    l.swap(5, 9);
    cases.push(l);
    // A flipped byte in every document's signature or body, in turn of position.
    for (i, at) in [(3usize, 40usize), (7, 120), (n - 2, 200)] {
        let mut l = lines.clone();
        let mut bytes = l[i].clone().into_bytes();
        let at = at.min(bytes.len() - 3);
        bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
        l[i] = String::from_utf8(bytes).unwrap();
        cases.push(l);
    }
    // No certificate line; the certificate line twice; the certificate after documents.
    cases.push(lines[1..].to_vec());
    let mut l = lines.clone();
    l.insert(1, lines[0].clone());
    cases.push(l);
    let mut l = lines.clone();
    l.swap(0, 1);
    cases.push(l);
    // Garbage, an empty object, a truncated line.
    let mut l = lines.clone();
    l[4] = "garbage".into();
    l[6] = "{}".into();
    let half = l[8].len() / 2;
    l[8].truncate(half);
    cases.push(l);
    for case in &cases {
        let report = same_everywhere(&case.join("\n"));
        assert!(!report.is_valid(), "a tampered journal verifies");
    }
}

#[test]
fn bytes_that_are_not_text_are_reported_and_the_line_count_kept() {
    let lines = journal();
    let mut data = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match i {
            3 => data.extend_from_slice(b"\xff\xfe not text"),
            5 => data.extend_from_slice(b"\xc3\x28 invalid UTF-8"),
            _ => data.extend_from_slice(l.as_bytes()),
        }
        data.push(b'\n');
    }
    let rates = RateTable::azerbaijan();
    let one = verify_journal_reader(Cursor::new(&data), &key(), &rates, 1, |_| {
        Ok::<(), std::io::Error>(())
    })
    .unwrap();
    let two = verify_journal_reader(Cursor::new(&data), &key(), &rates, 2, |_| {
        Ok::<(), std::io::Error>(())
    })
    .unwrap();
    assert_eq!(one, two);
    let bad: Vec<_> = one
        .findings
        .iter()
        .filter(|f| f.code == C::InvalidDocument)
        .map(|f| f.line)
        .collect();
    assert_eq!(bad, [Some(4), Some(6)]);
    assert!(one.findings[0].message.contains("UTF-8"));
    assert_eq!(one.lines, lines.len());
}

#[test]
fn a_line_longer_than_the_limit_is_skipped_unread() {
    let lines = journal();
    let long = format!(
        "{{\"number\":3,\"id\":\"{}\"}}",
        "a".repeat(fiscal_core::limits::MAX_JOURNAL_LINE)
    );
    let mut l = lines.clone();
    l[3] = long;
    let text = l.join("\n");
    let report = same_everywhere(&text);
    assert!(report.has(C::InvalidDocument));
    // Whitespace longer than the limit, then a line: the same report as through text.
    let mut l = lines;
    l[2] = format!(
        "{}x",
        " ".repeat(fiscal_core::limits::MAX_JOURNAL_LINE + 10)
    );
    same_everywhere(&l.join("\n"));
}

#[test]
fn progress_is_told_and_can_stop_the_run() {
    let text = journal().join("\n");
    let rates = RateTable::azerbaijan();
    for threads in [1, 2] {
        let mut seen = Vec::new();
        verify_journal_reader(
            Cursor::new(text.as_bytes()),
            &key(),
            &rates,
            threads,
            |done| {
                seen.push(done);
                Ok::<(), std::io::Error>(())
            },
        )
        .unwrap();
        assert_eq!(seen.last(), Some(&(text.len() as u64)), "{seen:?}");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        let stopped = verify_journal_reader(
            Cursor::new(text.as_bytes()),
            &key(),
            &rates,
            threads,
            |_| Err(std::io::Error::other("stop")),
        );
        assert_eq!(stopped.unwrap_err().to_string(), "stop");
    }
}

#[test]
fn findings_are_capped_and_counted() {
    // Many lines of garbage: one finding each.
    let extra = MAX_FINDINGS + 25;
    let mut text = journal().join("\n");
    for _ in 0..extra {
        text.push_str("\nnot a journal line");
    }
    let report = same_everywhere(&text);
    assert_eq!(report.findings.len(), MAX_FINDINGS);
    assert_eq!(report.findings_dropped, 25);
    assert!(!report.is_valid() && report.has(C::InvalidDocument));
}
