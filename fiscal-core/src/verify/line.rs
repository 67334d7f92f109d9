//! Reading a journal line and checking it on its own (any thread may): the lines of a
//! journal's text ([`journal_lines`]), their one spelling, and [`LinePreparer`].

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::certificate::Certificate;
use crate::crypto::{self, PublicKey};
use crate::document::{Content, Document, MAX_JOURNAL_LINE};
use crate::error::Error;
use crate::receipt::{Request, ValidationContext};
use crate::tax::RateTable;
use crate::time::Timestamp;

#[cfg(doc)]
use super::JournalVerifier;

/// Re-validates a receipt's request on its own date (SPEC.md §15.2, RC-05): the totals, taxes
/// and payments must come out the same. `None` when they do; otherwise the finding's message.
/// The typed draft gives exactly what the JSON round trip gives (receipt/json.rs proves it
/// member by member); requests it does not cover (forged ones only) take the round trip.
pub(super) fn revalidate(r: &Request, time: Timestamp, rates: &RateTable) -> Option<String> {
    let ctx = ValidationContext {
        rates,
        date: time.date_in_baku(),
    };
    let again = match r.to_draft() {
        Some(draft) => draft.validate(&ctx),
        None => Request::from_json(&r.to_json(), &ctx),
    };
    match again {
        Ok(again) if again == *r => None,
        Ok(_) => Some("its totals or taxes are not what its lines give".into()),
        Err(e) => Some(alloc::format!("its content breaks the rules: {e}")),
    }
}

/// A receipt's re-validation: done on a worker, or not yet.
pub(super) enum Revalidation {
    Pending,
    Done(Option<String>),
}

/// A document as a worker left it.
pub(super) struct PreparedDocument {
    pub(super) doc: Document,
    /// The key the signature was checked against, and whether it held; `None` when no key
    /// was known.
    pub(super) signature: Option<(PublicKey, bool)>,
    pub(super) content: Revalidation,
}

pub(super) enum Item {
    /// An empty line or a line of only whitespace: nothing to read (its finding comes from
    /// the line's [`Spelling`]).
    Blank,
    Certificate(Box<Result<Certificate, Error>>),
    /// Not a document: why (as `Document::from_journal_line` says).
    Invalid(Error),
    /// Not text at all (bytes that are not UTF-8): reported as `invalid_document`.
    NotText(String),
    Document(Box<PreparedDocument>),
}

/// How a line departs from the one spelling of SPEC.md §13.5 (`noncanonical_line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Spelling {
    /// As a device writes it.
    Canonical,
    /// A CR at its end (a CRLF line end, or a stray CR before the LF or the end of the text):
    /// the line is read without it.
    Cr,
    /// Nothing (or only a CR) between two line ends.
    Empty,
    /// Only whitespace (spaces, tabs, form feeds, CRs).
    Blank,
}

impl Spelling {
    /// The spelling of a line (given without its LF) and its content: the line without one
    /// CR at its end. A journal line is ASCII JSON (§13.5), so "whitespace" is ASCII
    /// whitespace, decided byte by byte (as the streaming reader decides it for a line too
    /// long to keep).
    pub(super) fn of(line: &[u8]) -> (Spelling, &[u8]) {
        let (content, cr) = match line.strip_suffix(b"\r") {
            Some(content) => (content, true),
            None => (line, false),
        };
        let spelling = if content.is_empty() {
            Spelling::Empty
        } else if content.iter().all(u8::is_ascii_whitespace) {
            Spelling::Blank
        } else if cr {
            Spelling::Cr
        } else {
            Spelling::Canonical
        };
        (spelling, content)
    }

    fn is_blank(self) -> bool {
        matches!(self, Spelling::Empty | Spelling::Blank)
    }

    /// The finding's message, for a line not spelled as a device writes it.
    pub(super) fn problem(self) -> Option<&'static str> {
        match self {
            Spelling::Canonical => None,
            Spelling::Cr => Some(
                "the line ends with a CR (journal lines end with LF alone, SPEC.md §13.5); read without it",
            ),
            Spelling::Empty => Some("an empty line: a journal has none (SPEC.md §13.5)"),
            Spelling::Blank => {
                Some("a line of only whitespace: a journal has none (SPEC.md §13.5)")
            }
        }
    }
}

/// The lines of a journal's text as every verifier reads them (SPEC.md §13.5): the text split
/// at each LF, where a final LF ends the last line instead of starting an empty one. So
/// `"A\nB\n"` and `"A\nB"` are the two lines `A` and `B`; `"A\n\nB"` has an empty line 2;
/// `""` has no line and `"\n"` one empty line. A CR stays in its line, for the verifier to
/// report (where [`str::lines`] would drop the CR of a CRLF unseen).
pub fn journal_lines(text: &str) -> core::str::SplitTerminator<'_, char> {
    text.split_terminator('\n')
}

/// One journal line read and checked on its own, by [`LinePreparer::prepare`], waiting for
/// `JournalVerifier::add_prepared`.
pub struct PreparedLine<'a> {
    pub(super) item: Item,
    pub(super) spelling: Spelling,
    pub(super) rates: &'a RateTable,
}

/// Reads and checks journal lines on their own: any number of threads may use copies of one
/// preparer at once. Made by `JournalVerifier::preparer`; once the verifier knows its
/// certificate (after the certificate line), its preparers check signatures too.
#[derive(Debug, Clone, Copy)]
pub struct LinePreparer<'a> {
    pub(super) key: Option<PublicKey>,
    pub(super) rates: &'a RateTable,
}

impl<'a> LinePreparer<'a> {
    /// Reads a journal line (without its LF): the certificate line, a document with its
    /// signature and receipt re-validation done, or why it is neither. A CR at its end, an
    /// empty line or a line of only whitespace is noted for a `noncanonical_line` finding
    /// (SPEC.md §13.5); the line is read without that one CR.
    pub fn prepare(&self, text: &str) -> PreparedLine<'a> {
        self.prepare_text(text, true)
    }

    /// [`LinePreparer::prepare`], the signature checked (`check`) or left for
    /// [`LinePreparer::settle`].
    pub(super) fn prepare_text(&self, text: &str, check: bool) -> PreparedLine<'a> {
        let (spelling, content) = Spelling::of(text.as_bytes());
        // At most an ASCII CR was cut off, so `content` ends on a char boundary of `text`.
        let content = text.get(..content.len()).unwrap_or(text);
        let item = if spelling.is_blank() {
            Item::Blank
        } else {
            self.item(content, check)
        };
        self.prepared(item, spelling)
    }

    /// [`LinePreparer::prepare`] for bytes as read from a file (without the LF): bytes that
    /// are not UTF-8 are not a journal line (`invalid_document`).
    pub fn prepare_bytes(&self, bytes: &[u8]) -> PreparedLine<'a> {
        self.prepare_bytes_with(bytes, true)
    }

    /// [`LinePreparer::prepare_bytes`], the signature checked (`check`) or left for
    /// [`LinePreparer::settle`].
    pub(super) fn prepare_bytes_with(&self, bytes: &[u8], check: bool) -> PreparedLine<'a> {
        let (spelling, content) = Spelling::of(bytes);
        let item = if spelling.is_blank() {
            Item::Blank
        } else {
            match core::str::from_utf8(content) {
                Ok(text) => self.item(text, check),
                Err(e) => Item::NotText(alloc::format!(
                    "the line is not UTF-8 text (byte {} is not): not a journal line",
                    e.valid_up_to() + 1
                )),
            }
        };
        self.prepared(item, spelling)
    }

    /// A line longer than [`MAX_JOURNAL_LINE`] + 1 bytes of which the streaming reader kept
    /// only the beginning, told whether all its bytes were ASCII whitespace and whether it
    /// ended with a CR: what [`LinePreparer::prepare`] gives for the whole line.
    #[cfg(feature = "std")]
    pub(super) fn prepare_too_long(&self, blank: bool, cr: bool) -> PreparedLine<'a> {
        if blank {
            return self.prepared(Item::Blank, Spelling::Blank);
        }
        let spelling = if cr {
            Spelling::Cr
        } else {
            Spelling::Canonical
        };
        self.prepared(Item::Invalid(too_long()), spelling)
    }

    fn prepared(&self, item: Item, spelling: Spelling) -> PreparedLine<'a> {
        PreparedLine {
            item,
            spelling,
            rates: self.rates,
        }
    }

    /// Checks the signatures of the documents among `lines` (prepared with the check left
    /// out) in one batch (SPEC.md §13.2, §15.2), then re-validates the signed receipts: the
    /// lines come out as [`LinePreparer::prepare`] would have made them one by one.
    pub(super) fn settle(&self, lines: &mut [PreparedLine<'a>]) {
        let Some(key) = self.key else {
            return;
        };
        let mut documents: Vec<&mut PreparedDocument> = lines
            .iter_mut()
            .filter_map(|line| match &mut line.item {
                Item::Document(p) => Some(&mut **p),
                _ => None,
            })
            .collect();
        let signatures: Vec<_> = documents.iter().map(|p| p.doc.signature_item()).collect();
        let verdicts = crypto::verify_batch(&key, &signatures);
        for (p, valid) in documents.iter_mut().zip(verdicts) {
            p.signature = Some((key, valid));
            p.content = self.content(&p.doc, valid);
        }
    }

    /// A document's re-validation, once its signature is known: only a signed document's
    /// content is used (NM-11), so the rest are not re-validated.
    fn content(&self, doc: &Document, signed: bool) -> Revalidation {
        match &doc.body().content {
            Content::Request(r) if signed && !matches!(r, Request::Cancel(_)) => {
                Revalidation::Done(revalidate(r, doc.body().time, self.rates))
            }
            _ => Revalidation::Pending,
        }
    }

    /// A line's content: not blank, without its CR; its signature checked when `check` and a
    /// key is known.
    fn item(&self, text: &str, check: bool) -> Item {
        // Refused for its length before anything else, whatever it starts with, so that the
        // streaming reader, which keeps only the beginning of such a line, says the same.
        if text.len() > MAX_JOURNAL_LINE {
            return Item::Invalid(too_long());
        }
        if text.trim_start().starts_with("{\"certificate\"") {
            return Item::Certificate(Box::new(Certificate::from_journal_line(text)));
        }
        match Document::from_journal_line(text) {
            Ok(doc) => {
                let signature = if check {
                    self.key.map(|k| (k, doc.verify(&k)))
                } else {
                    None
                };
                let content = match signature {
                    Some((_, signed)) => self.content(&doc, signed),
                    None => Revalidation::Pending,
                };
                Item::Document(Box::new(PreparedDocument {
                    doc,
                    signature,
                    content,
                }))
            }
            Err(e) => Item::Invalid(e),
        }
    }
}

/// Why a line longer than [`MAX_JOURNAL_LINE`] is not read: what
/// [`Document::from_journal_line`] says of it.
fn too_long() -> Error {
    Error::InvalidDocument(alloc::format!(
        "the line is longer than {MAX_JOURNAL_LINE} bytes"
    ))
}
