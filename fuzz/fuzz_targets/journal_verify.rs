//! The journal verifier (SPEC.md §15) on hostile journals: arbitrary text, and a genuine
//! journal with arbitrary mutations (bytes flipped, inserted or deleted; lines deleted,
//! duplicated, swapped). Never a panic, and never "valid" for a journal whose documents are not
//! the genuine ones in order.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use fiscal_core::internal;
use fiscal_core::{Certificate, Document, JournalReport, JournalVerification, RateTable};
use fiscal_core_fuzz::ops::{authority, device_key};
use fiscal_core_fuzz::{assert_no_false_valid, genuine};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Mutation {
    Xor { line: u16, pos: u16, mask: u8 },
    Insert { line: u16, pos: u16, byte: u8 },
    Delete { line: u16, pos: u16 },
    DeleteLine { line: u16 },
    DuplicateLine { line: u16, to: u16 },
    SwapLines { a: u16, b: u16 },
}

fn mutate(lines: &mut Vec<Vec<u8>>, m: &Mutation) {
    if lines.is_empty() {
        return;
    }
    let n = lines.len();
    let at = |l: u16| usize::from(l) % n;
    match *m {
        Mutation::Xor { line, pos, mask } => {
            let l = &mut lines[at(line)];
            if !l.is_empty() {
                let p = usize::from(pos) % l.len();
                l[p] ^= mask;
            }
        }
        Mutation::Insert { line, pos, byte } => {
            let l = &mut lines[at(line)];
            let p = usize::from(pos) % (l.len() + 1);
            l.insert(p, byte);
        }
        Mutation::Delete { line, pos } => {
            let l = &mut lines[at(line)];
            if !l.is_empty() {
                let p = usize::from(pos) % l.len();
                l.remove(p);
            }
        }
        Mutation::DeleteLine { line } => {
            lines.remove(at(line));
        }
        Mutation::DuplicateLine { line, to } => {
            let l = lines[at(line)].clone();
            let to = usize::from(to) % (n + 1);
            lines.insert(to, l);
        }
        Mutation::SwapLines { a, b } => {
            let (a, b) = (at(a), at(b));
            lines.swap(a, b);
        }
    }
}

/// `verify_journal` (`with_certificate`: `JournalVerification::certificate`), line by line,
/// except that a line byte-identical to a genuine document line is handed over with its
/// signature already known to be good (`internal::add_checked`): the same verdict, without re-checking a signature
/// already checked on the genuine journal, which keeps the fuzzer fast.
fn verify(text: &str, certificate: Option<&Certificate>, rates: &RateTable) -> JournalReport {
    let authority = authority().public_key();
    let (lines, docs) = genuine();
    let device_key = device_key().public_key();
    let mut verification = JournalVerification::new(&authority, rates);
    if let Some(c) = certificate {
        verification = verification.certificate(c);
    }
    let mut v = verification.start();
    for line in text.lines() {
        match lines[1..].iter().position(|g| g == line) {
            Some(i) if internal::device_key(&v) == Some(device_key) => {
                let doc: &Document = &docs[i];
                internal::add_checked(&mut v, doc, true);
            }
            _ => v.add_line(line),
        }
    }
    v.finish()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let rates = RateTable::azerbaijan();
    let (lines, _) = genuine();
    let text = if mode & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let mut u = Unstructured::new(rest);
        let Ok(mutations) = Vec::<Mutation>::arbitrary(&mut u) else {
            return;
        };
        let mut bytes: Vec<Vec<u8>> = lines.iter().map(|l| l.clone().into_bytes()).collect();
        for m in mutations.iter().take(16) {
            mutate(&mut bytes, m);
        }
        bytes
            .iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    if mode & 2 == 0 {
        let report = verify(&text, None, &rates);
        assert_no_false_valid(&text, &report, true);
    } else {
        let certificate = Certificate::from_journal_line(&lines[0]).unwrap();
        let report = verify(&text, Some(&certificate), &rates);
        assert_no_false_valid(&text, &report, false);
    }
});
