//! Journal cases of the one spelling of a journal file (SPEC.md §13.5, issue #14): line ends
//! other than LF, empty and blank lines, and a journal that holds no document.
//!
//! Each case takes the genuine main journal (documents 1–21, see [`super::genuine::Main`]) and changes
//! only its spelling, as a copy through another tool or a failed export would. The documents
//! themselves are untouched, so each fault is one `noncanonical_line` finding on its line (with
//! the document's number when the line holds one, read without its CR) and nothing else: no
//! gap, no bad signature. The findings are worked out by hand here.
//!
//! A vector's journal is an array of lines joined with LF (and no LF after the last), so a line
//! given as `"…\r"` ends with CRLF in the text, and the last one with a CR alone.
//!
//! Appended after every other journal case: the tcIds of the cases before stay as they are.

use super::genuine::*;
use super::{f, JCase};
use crate::engine::device::*;

/// The one-spelling and empty-journal cases.
pub(super) fn cases() -> Vec<JCase> {
    let m = main_journal();
    let cert = certificate();
    let genuine = with_cert(&cert, &m.docs);
    // Line 1 is the certificate's; line k + 1 holds document k.
    assert_eq!(genuine.len(), 22);
    let mut out = Vec::new();
    let mut add = |id: u64,
                   comment: &str,
                   rules: &[&'static str],
                   flags: &[&'static str],
                   journal: Vec<String>,
                   must: Vec<(&str, Option<u64>)>| {
        out.push(JCase {
            id,
            comment: comment.into(),
            rules: rules.to_vec(),
            flags: flags.to_vec(),
            journal,
            must: must.into_iter().map(|(c, n)| f(c, n)).collect(),
            exact: true,
        });
    };
    let nc = "noncanonical_line";

    add(
        108,
        "the certificate line alone: a failed export, no document to check",
        &["NM-03"],
        &["empty"],
        vec![genuine[0].clone()],
        vec![("empty_journal", None)],
    );
    // Joined with LF, the lines [certificate, "", ""] are the text "certificate\n\n": the first
    // LF ends line 1, the second ends the empty line 2, and the text ends there (a final LF
    // ends the last line, it does not start another).
    add(
        109,
        "the certificate line, then an empty line (the text ends with two LFs): no document",
        &["NM-03", "PK-11"],
        &["empty", "spelling"],
        vec![genuine[0].clone(), String::new(), String::new()],
        vec![(nc, None), ("empty_journal", None)],
    );

    // CRLF line ends: every line ends with a CR, the certificate's (no number) and the 21
    // documents' (numbers 1–21), each read without it and verified.
    let crlf: Vec<String> = genuine.iter().map(|l| format!("{l}\r")).collect();
    let mut must = vec![(nc, None)];
    must.extend((1..=21).map(|n| (nc, Some(n))));
    add(
                110,
        "CRLF line ends: each of the 22 lines ends with a CR; the documents are still read and verified",
        &["PK-11"],
        &["spelling"],
        crlf,
        must,
    );

    let mut v = genuine.clone();
    v[5].push('\r');
    add(
        111,
        "a stray CR at the end of document 5's line: document 5 is still read",
        &["PK-11"],
        &["spelling"],
        v,
        vec![(nc, Some(5))],
    );

    let mut v = genuine.clone();
    v.insert(10, String::new());
    add(
        112,
        "an empty line between documents 9 and 10: no gap, the documents run on",
        &["PK-11"],
        &["spelling"],
        v,
        vec![(nc, None)],
    );

    let mut v = genuine.clone();
    v.insert(4, " \t ".into());
    add(
        113,
        "a line of spaces and a tab between documents 3 and 4",
        &["PK-11"],
        &["spelling"],
        v,
        vec![(nc, None)],
    );

    // A line that reads two ways (SPEC.md §8.3, §13.5): the last document's line with its
    // number twice. It is not read, so document 21 is missing — from the end, where a missing
    // document leaves no other trace (§15.3): one finding, on the line, with no number.
    let mut v = genuine.clone();
    let last = v.len() - 1;
    v[last] = v[last].replacen(r#"{"number":21,"#, r#"{"number":21,"number":21,"#, 1);
    assert!(v[last].starts_with(r#"{"number":21,"number":21,"#));
    add(
        114,
        "the last document's line with its number twice: the line reads two ways and is not read",
        &["PK-11"],
        &["duplicate-member"],
        v,
        vec![("duplicate_member", None)],
    );
    out
}
