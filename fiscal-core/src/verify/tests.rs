//! The verifier's unit tests: how a journal's text is split and spelled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// Test code only: the parent declares this module `#[cfg(test)]`; said again here for a
// reader (or a check) that reads this file alone.
#[cfg(test)]
use alloc::string::String;
use alloc::vec::Vec;

use super::journal_lines;
use super::line::Spelling;
use crate::crypto::PrivateKey;
use crate::document::{Content, Document, DocumentBody, MAX_JOURNAL_LINE};
use crate::error::Error;
use crate::time::Timestamp;

#[test]
fn journal_lines_end_at_lf_and_a_final_lf_starts_no_line() {
    // SPEC.md §13.5: the final-LF rule, worked out by hand.
    let split = |t: &'static str| journal_lines(t).collect::<Vec<_>>();
    assert_eq!(split("A\nB\n"), ["A", "B"]);
    assert_eq!(split("A\nB"), ["A", "B"]);
    assert_eq!(split("A\n\nB"), ["A", "", "B"]);
    assert_eq!(split(""), Vec::<&str>::new());
    assert_eq!(split("\n"), [""]);
    assert_eq!(split("A\r\nB\r"), ["A\r", "B\r"]);
    // What each line is: its spelling, and the content read.
    let of = |t: &'static str| Spelling::of(t.as_bytes());
    assert_eq!(of("{}"), (Spelling::Canonical, &b"{}"[..]));
    assert_eq!(of("{}\r"), (Spelling::Cr, &b"{}"[..]));
    assert_eq!(of("{}\r\r"), (Spelling::Cr, &b"{}\r"[..]));
    assert_eq!(of("{\r}"), (Spelling::Canonical, &b"{\r}"[..]));
    assert_eq!(of(""), (Spelling::Empty, &b""[..]));
    assert_eq!(of("\r"), (Spelling::Empty, &b""[..]));
    assert_eq!(of(" \t\x0c\r"), (Spelling::Blank, &b" \t\x0c"[..]));
    assert_eq!(of(" \r\r"), (Spelling::Blank, &b" \r"[..]));
    // Whitespace beyond ASCII does not make a line blank: such a line is not a document.
    assert_eq!(of("\u{a0}").0, Spelling::Canonical);
}

#[test]
fn a_journal_line_is_read_only_in_the_exact_form_the_device_writes() {
    // SPEC.md §13.5: these members, in this order, no spaces, lowercase hex, the number
    // without leading zeros. Every other spelling of the same document is refused by
    // `Document::from_journal_line`, the verifier's only reader.
    let body = DocumentBody {
        number: 7,
        time: Timestamp(1_800_000_000_000),
        shift: 2,
        shift_receipt: 0,
        previous: [5; 32],
        content: Content::OpenShift,
    };
    let doc = Document::sign(body, &PrivateKey::from_seed(b"read_document"));
    let line = doc.to_journal_line();
    assert_eq!(Document::from_journal_line(&line).as_ref(), Ok(&doc));
    let id = doc.id().long();
    let body_hex = hex::encode(doc.signed_bytes());
    // The line's signature: R.x ‖ R.y ‖ s (SPEC.md §13.2).
    let sig_hex = alloc::format!(
        "{}{}",
        hex::encode(doc.nonce_point().0),
        hex::encode(&doc.signature().0[32..])
    );
    assert!(line.contains(&sig_hex));
    let invalid = alloc::vec![
        line.replace(&id, &id[..63]),
        line.replace("\"number\":7", "\"number\":8"),
        line.replace("\"number\":7", "\"number\":07"),
        line.replace("\"number\":7", "\"number\": 7"),
        line.replace("\"number\":7", "\"number\":7.0"),
        line.replace("\"number\":7", "\"number\":\"7\""),
        line.replace("\"body\":\"", "\"body\":\"0"),
        line.replace("\"body\":\"", "\"body\":\"zz"),
        line.replace("\"body\":\"", "\"body\":\"\\u0030\\u0030"),
        line.replace(&body_hex, &body_hex.to_uppercase()),
        line.replace(&body_hex, &body_hex[..body_hex.len() - 2]),
        line.replace(&sig_hex, &sig_hex.to_uppercase()),
        line.replace("\"signature\":\"", "\"signature\":\"00"),
        line.replace("\"signature\":\"", "\"signature\":\"x"),
        line.replace('}', ",\"extra\":1}"),
        line.replace(',', ", "),
        alloc::format!(" {line}"),
        alloc::format!("{line} "),
        alloc::format!(r#"{{"id":"{id}","number":7,"body":"{body_hex}","signature":"{sig_hex}"}}"#),
        alloc::format!(r#"[7,"{id}","{body_hex}","{sig_hex}"]"#),
        line.to_uppercase(),
        String::new(),
        "{}".into(),
        "[1,2]".into(),
        alloc::format!("{line}{}", " ".repeat(MAX_JOURNAL_LINE)),
    ];
    for case in &invalid {
        let shown = case.get(..120).unwrap_or(case);
        let read = Document::from_journal_line(case);
        assert!(
            matches!(
                read,
                Err(Error::InvalidDocument(_) | Error::WrongFiscalId { .. })
            ),
            "{shown}: {read:?}"
        );
    }
    // An uppercase ID is the right ID mis-spelled: reported as a wrong fiscal ID.
    assert_eq!(
        Document::from_journal_line(&line.replace(&id, &id.to_uppercase())),
        Err(Error::WrongFiscalId { number: 7 })
    );
}

#[test]
fn a_lines_signature_item_is_its_documents() {
    // The batch check reads each line's signature item without decoding the body
    // (`LinePreparer::signature_item`): it must be exactly the decoded document's, or the
    // verdicts would be another document's.
    use super::line::LinePreparer;
    use crate::tax::RateTable;
    let key = PrivateKey::from_seed(b"signature items");
    let rates = RateTable::azerbaijan();
    let preparer = LinePreparer {
        key: Some(key.public_key()),
        rates: &rates,
    };
    let mut scratch = Vec::new();
    for number in 1..20u64 {
        let body = DocumentBody {
            number,
            time: Timestamp(1_800_000_000_000 + number as i64),
            shift: 2,
            shift_receipt: 0,
            previous: [number as u8; 32],
            content: Content::OpenShift,
        };
        let doc = Document::sign(body, &key);
        let line = doc.to_journal_line();
        let item = preparer.signature_item(line.as_bytes(), &mut scratch);
        assert_eq!(item, Some(doc.signature_item()));
        // The CR a line may end with is not part of it (reported, then read without it).
        let cr = alloc::format!("{line}\r");
        assert_eq!(preparer.signature_item(cr.as_bytes(), &mut scratch), item);
    }
    // No item where there is no document's signature, or no key to check it with.
    for line in ["", " \r", "{}", "{\"certificate\":1}", "\u{ff}"] {
        assert_eq!(preparer.signature_item(line.as_bytes(), &mut scratch), None);
    }
    let keyless = LinePreparer {
        key: None,
        ..preparer
    };
    let doc = Document::sign(
        DocumentBody {
            number: 1,
            time: Timestamp(1_800_000_000_000),
            shift: 0,
            shift_receipt: 0,
            previous: [0; 32],
            content: Content::OpenShift,
        },
        &key,
    );
    assert_eq!(
        keyless.signature_item(doc.to_journal_line().as_bytes(), &mut scratch),
        None
    );
}
