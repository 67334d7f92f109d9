//! The parallel and streaming journal verifiers (issue #10) give exactly the report of the
//! sequential one, on genuine and on tampered journals, in every configuration of
//! `JournalVerification` (workers, low memory, a known certificate), from text, lines or a
//! reader; memory bounds (the kept findings) hold; bytes that are not a journal line
//! never panic. A journal has one spelling (SPEC.md §13.5, issue #14): CRs, empty and blank
//! lines are findings, the same from every entry point; a journal without a document is not
//! valid; the report says what completeness can be checked against (§15.3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/ops.rs"]
mod ops;

use std::io::Cursor;

use fiscal_core::internal::{self, referenced_receipts, ReferencedReceipts};
use fiscal_core::limits::MAX_FINDINGS;
use fiscal_core::{
    journal_lines, verify_journal, Certificate, Content, Document, ErrorCode as C, JournalReport,
    JournalVerification, PrivateKey, PublicKey, RateTable,
};
use ops::{authority, genuine};

fn key() -> PublicKey {
    authority().public_key()
}

/// The builder's workers and memory modes, each combination.
fn configurations(rates: &RateTable) -> Vec<(String, JournalVerification<'_>)> {
    let mut all = Vec::new();
    for workers in [0, 1, 2, 3, 5] {
        for low_memory in [false, true] {
            all.push((
                format!("{workers} workers, low memory {low_memory}"),
                JournalVerification::new(&key(), rates)
                    .workers(workers)
                    .low_memory(low_memory),
            ));
        }
    }
    all
}

/// Every way of running the verifier on `text` gives the report of `verify_journal`: each
/// configuration of the builder, on text, on lines and on a reader.
fn same_everywhere(text: &str) -> JournalReport {
    let rates = RateTable::azerbaijan();
    let expected = verify_journal(text, &key(), &rates);
    for (name, verification) in configurations(&rates) {
        assert_eq!(verification.verify_text(text), expected, "text, {name}");
        assert_eq!(
            verification.verify_lines(journal_lines(text)),
            expected,
            "lines, {name}"
        );
        let from_reader = verification
            .verify_reader(Cursor::new(text.as_bytes()), |_| {
                Ok::<(), std::io::Error>(())
            })
            .unwrap();
        assert_eq!(from_reader, expected, "reader, {name}");
    }
    // The first pass of the low-memory mode reads the same receipts from a reader as from
    // the lines.
    let referenced = referenced_receipts(Cursor::new(text.as_bytes())).unwrap();
    assert_eq!(
        referenced,
        ReferencedReceipts::from_lines(journal_lines(text))
    );
    // Prepared on one verifier's preparer, fed one by one: the same again; as bytes too.
    let verification = JournalVerification::new(&key(), &rates);
    let mut v = verification.start();
    let mut b = verification.start();
    let mut l = verification.start();
    for line in journal_lines(text) {
        let prepared = internal::preparer(&v).prepare(line);
        internal::add_prepared(&mut v, prepared);
        let prepared = internal::preparer(&b).prepare_bytes(line.as_bytes());
        internal::add_prepared(&mut b, prepared);
        l.add_line(line);
    }
    assert_eq!(v.finish(), expected, "add_prepared");
    assert_eq!(b.finish(), expected, "prepare_bytes");
    assert_eq!(l.finish(), expected, "add_line");
    same_with_certificate(text, &expected);
    expected
}

/// When `text` starts with the genuine certificate line, spelled right and trusted, the
/// verifier given that certificate separately reads the rest as `verify_journal` read it: the
/// same findings one line earlier, the same counts and last document; in every configuration.
fn same_with_certificate(text: &str, expected: &JournalReport) {
    let Some((head, rest)) = text.split_once('\n') else {
        return;
    };
    let Ok(certificate) = Certificate::from_journal_line(head) else {
        return;
    };
    if expected.findings.iter().any(|f| f.line == Some(1)) {
        return;
    }
    let rates = RateTable::azerbaijan();
    let report = JournalVerification::new(&key(), &rates)
        .certificate(&certificate)
        .verify_text(rest);
    for (name, verification) in configurations(&rates) {
        let verification = verification.certificate(&certificate);
        assert_eq!(verification.verify_text(rest), report, "text, {name}");
        let from_reader = verification
            .verify_reader(Cursor::new(rest.as_bytes()), |_| {
                Ok::<(), std::io::Error>(())
            })
            .unwrap();
        assert_eq!(from_reader, report, "reader, {name}");
    }
    let shifted: Vec<_> = expected
        .findings
        .iter()
        .map(|f| (f.code, f.number, f.line.map(|l| l - 1), f.message.clone()))
        .collect();
    let got: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.code, f.number, f.line, f.message.clone()))
        .collect();
    assert_eq!(got, shifted, "with the certificate given separately");
    assert_eq!(report.lines + 1, expected.lines);
    assert_eq!(
        (report.documents, report.receipts, report.findings_dropped),
        (
            expected.documents,
            expected.receipts,
            expected.findings_dropped
        )
    );
    assert_eq!(
        (
            report.last_number,
            report.last_fiscal_id,
            report.last_time,
            report.last_shift,
            report.last_shift_closed
        ),
        (
            expected.last_number,
            expected.last_fiscal_id,
            expected.last_time,
            expected.last_shift,
            expected.last_shift_closed
        )
    );
}

/// The findings as (code, document number, line).
fn found(report: &JournalReport) -> Vec<(C, Option<u64>, Option<usize>)> {
    report
        .findings
        .iter()
        .map(|f| (f.code, f.number, f.line))
        .collect()
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
    let referenced = ReferencedReceipts::from_lines(journal_lines(&text));
    assert!(!referenced.is_empty() && (referenced.len() as u64) < report.receipts / 2);
    // A final LF ends the last line: the same journal, one spelling (SPEC.md §13.5).
    let mut with_lf = text.clone() + "\n";
    assert_eq!(same_everywhere(&with_lf), report);
    // Line endings and blank lines are read the same by every path (and are findings).
    with_lf.push_str("\n\n");
    assert!(!same_everywhere(&with_lf).is_valid());
    assert!(!same_everywhere(&(text.replace('\n', "\r\n") + "\r\n\n\n")).is_valid());
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
    let ok = |_| Ok::<(), std::io::Error>(());
    let one = JournalVerification::new(&key(), &rates)
        .verify_reader(Cursor::new(&data), ok)
        .unwrap();
    for (name, verification) in configurations(&rates) {
        let report = verification.verify_reader(Cursor::new(&data), ok).unwrap();
        assert_eq!(report, one, "{name}");
        // An input read once (a pipe: `&[u8]` cannot seek) gives the same report in one
        // pass; the two-pass mode refuses it before reading.
        let two_pass = name.ends_with("low memory true");
        match verification.verify_stream(&data[..], ok) {
            Ok(report) => {
                assert!(!two_pass, "{name}: a single read cannot do two passes");
                assert_eq!(report, one, "{name}, streamed");
            }
            Err(e) => {
                assert!(two_pass, "{name}: {e}");
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
            }
        }
    }
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
    for (name, verification) in configurations(&rates) {
        let mut seen = Vec::new();
        verification
            .verify_reader(Cursor::new(text.as_bytes()), |done| {
                seen.push(done);
                Ok::<(), std::io::Error>(())
            })
            .unwrap();
        assert_eq!(seen.last(), Some(&(text.len() as u64)), "{name}: {seen:?}");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{name}: {seen:?}");
        let stopped = verification.verify_reader(Cursor::new(text.as_bytes()), |_| {
            Err(std::io::Error::other("stop"))
        });
        assert_eq!(stopped.unwrap_err().to_string(), "stop", "{name}");
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

// ---------------------------------------------------------------------------------------------
// One spelling (SPEC.md §13.5), empty journals, completeness (§15.3): issue #14.

/// `lines` joined by LF, and `end` after the last.
fn text_of(lines: &[String], end: &str) -> String {
    lines.join("\n") + end
}

#[test]
fn crs_empty_and_blank_lines_are_findings_everywhere() {
    let lines = journal();
    let docs = &ops::genuine().1;
    let n = lines.len();
    let nc = C::NoncanonicalLine;
    // Line i + 1 holds docs[i - 1] (line 1 is the certificate's).
    let number = |line: usize| Some(docs[line - 2].number());

    // CRLF line ends throughout: one finding a line, the document still read and checked, so
    // nothing else is found (no gap, no bad signature).
    let report = same_everywhere(&text_of(&lines, "").replace('\n', "\r\n"));
    let mut want = vec![(nc, None, Some(1))];
    want.extend((2..n).map(|l| (nc, number(l), Some(l))));
    // The last line has no line end, so no CR either.
    assert_eq!(found(&report), want);
    assert_eq!(report.documents, docs.len() as u64);
    let report = same_everywhere(&(text_of(&lines, "").replace('\n', "\r\n") + "\r\n"));
    want.push((nc, number(n), Some(n)));
    assert_eq!(found(&report), want);
    assert_eq!(report.lines, n);

    // A stray CR at the end of line 5 (document 4), before its LF.
    let mut l = lines.clone();
    l[4].push('\r');
    let report = same_everywhere(&text_of(&l, "\n"));
    assert_eq!(found(&report), [(nc, number(5), Some(5))]);
    assert_eq!(report.documents, docs.len() as u64);
    // …and at the end of the last line, with no LF after it.
    let report = same_everywhere(&text_of(&lines, "\r"));
    assert_eq!(found(&report), [(nc, number(n), Some(n))]);
    // Two CRs: one is a line end, the other leaves a line that is not a document.
    let mut l = lines.clone();
    l[4].push_str("\r\r");
    let report = same_everywhere(&text_of(&l, "\n"));
    assert_eq!(
        found(&report)[..2],
        [(nc, None, Some(5)), (C::InvalidDocument, None, Some(5))]
    );
    // A CR in the middle of a line is not a line end: the line is not a document.
    let mut l = lines.clone();
    l[4].insert(10, '\r');
    let report = same_everywhere(&text_of(&l, ""));
    assert_eq!(found(&report)[0], (C::InvalidDocument, None, Some(5)));
    assert!(!report.has(nc));

    // An empty line 4, a line of only whitespace, a line of only a CR: one finding each, on
    // the line, and the documents after it are read as before (no gap).
    for odd in ["", " ", "\t \x0c ", "\r", " \r"] {
        let mut l = lines.clone();
        l.insert(3, odd.to_string());
        let report = same_everywhere(&text_of(&l, "\n"));
        assert_eq!(found(&report), [(nc, None, Some(4))], "{odd:?}");
        assert_eq!((report.lines, report.documents), (n + 1, docs.len() as u64));
    }
    // Empty lines at the end: the final LF ends the last line, each further one is an empty
    // line (here lines n + 1 and n + 2).
    let report = same_everywhere(&text_of(&lines, "\n\n\n"));
    assert_eq!(
        found(&report),
        [(nc, None, Some(n + 1)), (nc, None, Some(n + 2))]
    );
    // Many of them: each a finding.
    let report = same_everywhere(&text_of(&lines, &"\n".repeat(1001)));
    assert_eq!(report.findings.len(), 1000);
    assert!(report
        .findings
        .iter()
        .all(|f| f.code == nc && f.number.is_none()));
    // Whitespace around a document is not a line end: the line is not a document.
    let mut l = lines.clone();
    l[4].push(' ');
    let report = same_everywhere(&text_of(&l, ""));
    assert_eq!(found(&report)[0], (C::InvalidDocument, None, Some(5)));
    assert!(!report.has(nc));
}

#[test]
fn a_line_too_long_to_read_is_judged_the_same_by_the_streaming_reader() {
    let lines = journal();
    let max = fiscal_core::limits::MAX_JOURNAL_LINE;
    let nc = C::NoncanonicalLine;
    // Around the reader's limit (it keeps MAX_JOURNAL_LINE + 2 bytes of a line): garbage,
    // with and without a CR; whitespace; whitespace then garbage.
    for len in [max, max + 1, max + 2] {
        for (fill, end, want) in [
            ('a', "", vec![C::InvalidDocument]),
            ('a', "\r", vec![nc, C::InvalidDocument]),
            (' ', "", vec![nc]),
            (' ', "\r", vec![nc]),
            (' ', "x", vec![C::InvalidDocument]),
        ] {
            let mut l = lines.clone();
            l[3] = fill.to_string().repeat(len) + end;
            let report = same_everywhere(&text_of(&l, "\n"));
            let codes: Vec<C> = report
                .findings
                .iter()
                .filter(|f| f.line == Some(4))
                .map(|f| f.code)
                .collect();
            assert_eq!(codes, want, "{len} × {fill:?} then {end:?}");
        }
    }
}

#[test]
fn a_journal_without_a_document_is_not_valid() {
    let lines = journal();
    let cert_line = &lines[0];
    let e = (C::EmptyJournal, None, None);
    let nc = C::NoncanonicalLine;
    // Nothing, the certificate line alone (with or without its LF): the one finding.
    for text in [String::new(), cert_line.clone(), format!("{cert_line}\n")] {
        let report = same_everywhere(&text);
        assert_eq!(found(&report), [e], "{text:?}");
        assert!(!report.is_valid());
        assert_eq!(report.last_number, None);
    }
    // Blank lines only, or after the certificate line: theirs, then the journal's.
    let report = same_everywhere("\n");
    assert_eq!(found(&report), [(nc, None, Some(1)), e]);
    let report = same_everywhere("\n \n\r\n");
    assert_eq!(
        found(&report),
        [
            (nc, None, Some(1)),
            (nc, None, Some(2)),
            (nc, None, Some(3)),
            e
        ]
    );
    let report = same_everywhere(&format!("{cert_line}\n\n"));
    assert_eq!(found(&report), [(nc, None, Some(2)), e]);
    // Lines that are not documents are no document either.
    let report = same_everywhere("garbage\n{}");
    assert_eq!(
        found(&report),
        [
            (C::InvalidDocument, None, Some(1)),
            (C::InvalidDocument, None, Some(2)),
            e
        ]
    );
    // The certificate given separately, and no line: empty too.
    let certificate = Certificate::from_journal_line(cert_line).unwrap();
    let rates = RateTable::azerbaijan();
    for text in ["", "\n"] {
        for (name, verification) in configurations(&rates) {
            let report = verification.certificate(&certificate).verify_text(text);
            assert_eq!(found(&report).last(), Some(&e), "{text:?}, {name}");
        }
    }
    let v = JournalVerification::new(&key(), &rates)
        .certificate(&certificate)
        .start();
    assert_eq!(found(&v.finish()), [e]);
    // One document is enough not to be empty, even one that proves nothing.
    let report = same_everywhere(&lines[1]);
    assert_eq!(
        found(&report),
        [(C::InvalidCertificate, Some(1), Some(1))],
        "a document without the certificate line"
    );
}

#[test]
fn the_report_says_what_completeness_is_checked_against() {
    let lines = journal();
    let docs = &ops::genuine().1;
    let n = docs.len();
    // The whole journal ends with the Z-report of shift 2.
    let last = &docs[n - 1];
    assert!(matches!(last.body().content, Content::ZReport(_)));
    let report = same_everywhere(&text_of(&lines, "\n"));
    assert!(report.is_valid());
    assert_eq!(report.last_number, Some(last.number()));
    assert_eq!(report.last_fiscal_id, Some(last.id()));
    assert_eq!(report.last_time, Some(last.body().time));
    assert_eq!(
        (report.last_shift, report.last_shift_closed),
        (Some(2), true)
    );
    // Cut after the sale that follows the opening of shift 2: shift 2, still open.
    let open2 = docs
        .iter()
        .position(|d| matches!(d.body().content, Content::OpenShift) && d.body().shift == 2)
        .unwrap();
    let cut = &docs[open2 + 2];
    let report = same_everywhere(&text_of(&lines[..open2 + 4], ""));
    assert!(report.is_valid());
    assert_eq!(report.last_number, Some(cut.number()));
    assert_eq!(report.last_fiscal_id, Some(cut.id()));
    assert_eq!(
        (report.last_shift, report.last_shift_closed),
        (Some(2), false)
    );
    // Cut after the Z-report of shift 1: shift 1, closed.
    let report = same_everywhere(&text_of(&lines[..open2 + 1], ""));
    assert_eq!(report.last_number, Some(docs[open2 - 1].number()));
    assert_eq!(
        (report.last_shift, report.last_shift_closed),
        (Some(1), true)
    );
    // Only the activation record: a document, no shift.
    let report = same_everywhere(&text_of(&lines[..2], ""));
    assert_eq!(report.last_number, Some(docs[0].number()));
    assert_eq!((report.last_shift, report.last_shift_closed), (None, false));
    // A last line whose signature is not the device's stands for nothing: the last document
    // is the one before it.
    let mut l = lines.clone();
    let body = last.body();
    let bytes = body.signed_bytes();
    let forged = {
        let (s, r) = PrivateKey::from_seed(b"forger").sign_with_nonce(&bytes);
        Document::from_parts(&bytes, s, r)
    }
    .unwrap();
    l[n] = forged.to_journal_line();
    let report = same_everywhere(&text_of(&l, ""));
    assert_eq!(
        found(&report),
        [(C::BadSignature, Some(last.number()), Some(n + 1))]
    );
    let before = &docs[n - 2];
    assert_eq!(report.last_number, Some(before.number()));
    assert_eq!(report.last_fiscal_id, Some(before.id()));
    assert_eq!(report.last_time, Some(before.body().time));
    assert_eq!(
        (report.last_shift, report.last_shift_closed),
        (Some(2), false)
    );
    // Nothing signed: nothing to compare.
    let report = same_everywhere(&text_of(&lines[1..], ""));
    assert_eq!(report.last_number, None);
    assert_eq!(report.last_fiscal_id, None);
    assert_eq!(report.last_time, None);
    assert_eq!((report.last_shift, report.last_shift_closed), (None, false));
}
