//! Reading a journal line and checking it on its own (any thread may): the lines of a
//! journal's text ([`journal_lines`]), their one spelling, and [`LinePreparer`].

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::certificate::Certificate;
use crate::crypto::{self, NoncePoint, PublicKey, Signature, SignatureItem};
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

/// Lines whose signatures are checked together on one thread (SPEC.md §15.2): the
/// multi-scalar multiplication costs a signature less the larger the batch (`fiscal-bench
/// paired`, the batch floor: about 4.1 µs a signature at 2 048, 4.4 at 1 024). Only the lines
/// and their signature items wait for the batch, not their decoded documents (about 3 KB
/// each); reading a file, the lines of a batch also stay within 1 MiB (about 1 300 lines), so
/// the peak memory of `verify_reader` does not grow with this number past that.
pub(super) const BATCH_LINES: usize = 2048;

/// What [`LinePreparer`] does with a document's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// Checks it now, alone.
    Now,
    /// Takes the verdict of a batch check of the line's [`LinePreparer::signature_item`]:
    /// `None` when the line had none (it is then checked now, alone, should it still read as
    /// a document).
    Known(Option<bool>),
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
        self.prepare_text(text, Check::Now)
    }

    /// [`LinePreparer::prepare`], the signature checked as `check` says.
    pub(super) fn prepare_text(&self, text: &str, check: Check) -> PreparedLine<'a> {
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
        self.prepare_bytes_with(bytes, Check::Now)
    }

    /// [`LinePreparer::prepare_bytes`], the signature checked as `check` says.
    pub(super) fn prepare_bytes_with(&self, bytes: &[u8], check: Check) -> PreparedLine<'a> {
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

    /// What a batch check of the signature of the document on `line` (as read from a file,
    /// without its LF) needs, read without decoding the document: its hash, r ‖ s and nonce
    /// point, exactly `Document::signature_item` of the document
    /// [`LinePreparer::prepare_bytes`] reads from the same line (the same members, the same hex:
    /// see [`signature_members`]).
    /// `None` when no key is known or the line is no document's (the preparation says why).
    ///
    /// Taken apart from the full reading so that the signatures of many lines are settled
    /// together ([`LinePreparer::settle`]) while only these items (160 bytes), not the
    /// decoded documents (about 3 KB), wait for the batch.
    pub(super) fn signature_item(
        &self,
        line: &[u8],
        scratch: &mut Vec<u8>,
    ) -> Option<SignatureItem> {
        self.key?;
        let (spelling, content) = Spelling::of(line);
        if spelling.is_blank() || content.len() > MAX_JOURNAL_LINE {
            return None;
        }
        let (body, signature) = signature_members(content)?;
        scratch.clear();
        scratch.resize(body.len() / 2, 0);
        crate::hex_text::decode(body, scratch)?;
        let mut nonce = NoncePoint([0; 64]);
        let (point, s) = signature.split_at_checked(128)?;
        crate::hex_text::decode(point, &mut nonce.0)?;
        // r = R.x mod n, as `Document::from_journal_line` computes it (SPEC.md §13.2).
        let mut rs = [0u8; 64];
        rs[..32].copy_from_slice(&nonce.r());
        crate::hex_text::decode(s, &mut rs[32..])?;
        Some((crypto::sha256(&[scratch]), Signature(rs), nonce))
    }

    /// The verdicts of the signatures of `lines` (each as read, without its LF; `None` for a
    /// line not to check this way), settled in one batch check (SPEC.md §13.2, §15.2): one per
    /// line, exactly what checking each signature alone against the key says; `None` where a
    /// line has no [`signature_item`](Self::signature_item) (or no key is known). Only the
    /// items (160 bytes a line) are held, not an item slot for every line.
    pub(super) fn settle<'l>(
        &self,
        lines: impl ExactSizeIterator<Item = Option<&'l [u8]>>,
    ) -> Vec<Option<bool>> {
        let Some(key) = self.key else {
            return alloc::vec![None; lines.len()];
        };
        let mut scratch = Vec::new();
        let mut items = Vec::with_capacity(lines.len());
        let mut present = Vec::with_capacity(lines.len());
        for line in lines {
            let item = line.and_then(|line| self.signature_item(line, &mut scratch));
            present.push(item.is_some());
            items.extend(item);
        }
        let mut verdicts = crypto::verify_batch(&key, &items).into_iter();
        present
            .into_iter()
            .map(|present| if present { verdicts.next() } else { None })
            .collect()
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

    /// A line's content: not blank, without its CR; its signature checked (or its verdict
    /// taken) when a key is known.
    fn item(&self, text: &str, check: Check) -> Item {
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
                let signature = self.key.map(|k| match check {
                    Check::Known(Some(valid)) => (k, valid),
                    Check::Now => (k, doc.verify(&k)),
                    // Not expected (the signature item is read from the same members
                    // as the document): the decoded document's own item, checked alone.
                    Check::Known(None) => (
                        k,
                        crypto::verify_batch(&k, &[doc.signature_item()]) == [true],
                    ),
                });
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

/// The `body` and `signature` members of a document's journal line, found by the line's one
/// form (`{"number":N,"id":"<64 hex>","body":"<hex>","signature":"<192 hex>"}`, SPEC.md
/// §13.5) without checking the rest: of every line `Document::from_journal_line` reads, the
/// same two texts its `JournalLine::split` gives (a line it refuses may give anything: its
/// verdict is not used). About 10 × faster than the full split, which checks every character.
fn signature_members(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = line.strip_prefix(br#"{"number":"#)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = rest.get(digits..)?.strip_prefix(br#","id":""#)?;
    let rest = rest.get(64..)?.strip_prefix(br#"","body":""#)?;
    let rest = rest.strip_suffix(br#""}"#)?;
    let (body, signature) = rest.split_at_checked(rest.len().checked_sub(192)?)?;
    Some((body.strip_suffix(br#"","signature":""#)?, signature))
}

/// Why a line longer than [`MAX_JOURNAL_LINE`] is not read: what
/// [`Document::from_journal_line`] says of it.
fn too_long() -> Error {
    Error::InvalidDocument(alloc::format!(
        "the line is longer than {MAX_JOURNAL_LINE} bytes"
    ))
}
