//! Issued documents: the signed, numbered, chained record of one operation (SPEC.md §13).
//!
//! Canonical bytes are `DOCUMENT_TAG ‖ postcard(body)`; the device signs them (ECDSA P-256,
//! RFC 6979, low-S); the fiscal ID is SHA-256(`FISCAL_ID_TAG` ‖ bytes ‖ signature), so nobody
//! without the device key can make a valid ID, and each document names the previous one's ID,
//! so a removed, altered or reordered document breaks the chain (NM-02, NM-06, NM-11).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

use crate::crypto::{self, serde_bytes, Hash, NoncePoint, PrivateKey, PublicKey, Signature};
use crate::error::Error;
use crate::money::Amount;
use crate::receipt::{CancelRequest, DocType, Payments, Request};
use crate::tax::TaxGroup;
use crate::time::Timestamp;

/// Domain-separation tag of a document's signed bytes.
pub const DOCUMENT_TAG: &[u8] = b"fiscal-core/document/v1\0";
/// Domain-separation tag of the fiscal ID hash.
pub const FISCAL_ID_TAG: &[u8] = b"fiscal-core/fiscal-id/v1\0";
/// Characters of the short, printed fiscal ID.
pub const SHORT_ID_LEN: usize = 12;
/// Longest journal line read (SPEC.md §4.1, §13.5): 4 MiB, far above the largest document (a
/// 500-line receipt is about 100 KiB of hex), so a hostile line is refused before parsing.
pub const MAX_JOURNAL_LINE: usize = 4 << 20;

/// The Base58 alphabet (Bitcoin's): digits and letters without `0`, `O`, `I` and `l`.
const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// True when `text` is a fiscal ID in a Base58 form (SPEC.md §8.8): 43 or 44 characters of
/// the Base58 alphabet that decode to 32 bytes, or a 12-character short ID of that alphabet —
/// and not a hex short ID, which is read as hex (a Base58 short ID of hex digits only has odds
/// of about 1 in 10⁷).
pub(crate) fn is_base58_reference(text: &str) -> bool {
    let alphabet = text.bytes().all(|b| BASE58.contains(&b));
    match text.len() {
        43 | 44 => alphabet && FiscalId::from_base58(text).is_some(),
        SHORT_ID_LEN => alphabet && !text.bytes().all(|b| b.is_ascii_hexdigit()),
        _ => false,
    }
}

/// A document's fiscal ID: 32 bytes, written as 64 lowercase hexadecimal characters (NM-02,
/// Rules 1.4.11); its first 12 characters are the short "Fiskal ID" printed on the receipt.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalId(pub Hash);

impl FiscalId {
    /// The long form: 64 hex characters (in the QR code).
    pub fn long(&self) -> String {
        hex::encode(self.0)
    }

    /// The short form: the first 12 hex characters (printed, typed by people).
    pub fn short(&self) -> String {
        let mut s = self.long();
        s.truncate(SHORT_ID_LEN);
        s
    }

    /// The same 32 bytes in Base58 (Bitcoin alphabet, 43 or 44 characters): the form the
    /// deployed system's IDs have and the dialects' responses carry (SPEC.md §8.8).
    pub fn base58(&self) -> String {
        bs58::encode(self.0).into_string()
    }

    /// The first 12 characters of [`FiscalId::base58`]: the short ID as the deployed POS
    /// programs take it.
    pub fn short_base58(&self) -> String {
        let mut s = self.base58();
        s.truncate(SHORT_ID_LEN);
        s
    }

    /// Reads the Base58 form (32 bytes).
    pub fn from_base58(text: &str) -> Option<FiscalId> {
        let mut out = [0u8; 32];
        match bs58::decode(text).onto(&mut out) {
            Ok(32) => Some(FiscalId(out)),
            _ => None,
        }
    }

    /// True when `text` is this ID's long or short form: in hex (letter case ignored), or in
    /// Base58, the form the dialects' answers give (SPEC.md §8.8).
    pub fn matches(&self, text: &str) -> bool {
        let long = self.long();
        if (text.len() == long.len() || text.len() == SHORT_ID_LEN)
            && long.as_bytes()[..text.len()].eq_ignore_ascii_case(text.as_bytes())
        {
            return true;
        }
        if !is_base58_reference(text) {
            return false;
        }
        match text.len() {
            SHORT_ID_LEN => self.short_base58() == text,
            _ => self.base58() == text,
        }
    }

    /// Reads the long form.
    pub fn from_hex(text: &str) -> Option<FiscalId> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(text, &mut out).ok()?;
        Some(FiscalId(out))
    }
}

impl fmt::Display for FiscalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.long())
    }
}

impl fmt::Debug for FiscalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FiscalId({})", self.short())
    }
}

/// Totals of one document kind within a shift (the Z-report's rows, PK-02).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindTotals {
    /// The kind.
    pub kind: DocType,
    /// How many documents.
    pub count: u32,
    /// Σ of their `sum` (§5.4).
    pub sum: Amount,
    /// Σ of their payments by form.
    pub payments: Payments,
    /// Σ of their counted tax groups, by group.
    pub groups: Vec<TaxGroup>,
}

/// A shift's report: the X-report while it is open, the Z-report when it closes (PK-02).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftReport {
    /// The shift's number.
    pub shift: u32,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// The number of the shift's opening document.
    pub first_number: u64,
    /// The number of the shift's last document (for a Z-report: the Z-report itself).
    pub last_number: u64,
    /// Receipts issued in the shift (RC-06).
    pub receipts: u32,
    /// Totals per document kind, in [`DocType`] order, kinds with documents only.
    pub kinds: Vec<KindTotals>,
    /// Cash that came into the drawer: deposits and the cash part of money received.
    pub cash_in: Amount,
    /// Cash that left it: withdrawals, cash refunds, and the cash of cancelled receipts.
    pub cash_out: Amount,
}

impl ShiftReport {
    /// Cash in the drawer: cash in − cash out (never negative: cash out beyond it is refused).
    pub fn cash_in_drawer(&self) -> Amount {
        self.cash_in
            .checked_sub(self.cash_out)
            .unwrap_or(Amount::ZERO)
    }

    /// The row of `kind`, if any document of that kind was issued.
    pub fn kind(&self, kind: DocType) -> Option<&KindTotals> {
        self.kinds.iter().find(|k| k.kind == kind)
    }
}

/// What a cancel voids: the cancelled receipt's amounts, carried so that the cancel document
/// and the Z-report stand on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voided {
    /// Number of the voided document.
    pub number: u64,
    /// Its kind.
    pub kind: DocType,
    /// Its `sum`.
    pub sum: Amount,
    /// Its payments.
    pub payments: Payments,
    /// Its counted groups.
    pub groups: Vec<TaxGroup>,
}

/// What a document records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Content {
    /// The device was activated with the certificate of this hash (LC-01).
    Activation {
        /// [`crate::Certificate::hash`].
        #[serde(
            serialize_with = "serde_bytes::serialize_hash",
            deserialize_with = "serde_bytes::deserialize_hash"
        )]
        certificate: Hash,
    },
    /// A shift was opened.
    OpenShift,
    /// A receipt or cash document: any request kind except cancel.
    Request(Request),
    /// A cancel, with what it voids (RC-17).
    Cancel {
        /// The request.
        request: CancelRequest,
        /// The voided receipt.
        voided: Voided,
    },
    /// The shift was closed with this Z-report (PK-02).
    ZReport(ShiftReport),
    /// The device was taken out of service (LC-02).
    Decommission,
}

impl Content {
    /// The document kind a receipt or cash document has; `None` for the device's own records.
    pub fn doc_type(&self) -> Option<DocType> {
        match self {
            Content::Request(r) => Some(r.doc_type()),
            Content::Cancel { .. } => Some(DocType::Cancel),
            _ => None,
        }
    }

    /// A short English name of the content.
    pub fn name(&self) -> &'static str {
        match self {
            Content::Activation { .. } => "activation",
            Content::OpenShift => "open_shift",
            Content::Request(r) => r.doc_type().wire_name(),
            Content::Cancel { .. } => DocType::Cancel.wire_name(),
            Content::ZReport(_) => "zreport",
            Content::Decommission => "decommission",
        }
    }
}

/// What the device signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentBody {
    /// The document's number, from 1 at activation, without gaps (NM-03).
    pub number: u64,
    /// When it was issued.
    pub time: Timestamp,
    /// The shift it belongs to (0 before the first shift).
    pub shift: u32,
    /// For a receipt, its number within the shift (RC-06); 0 otherwise.
    pub shift_receipt: u32,
    /// The previous document's fiscal ID; for document 1, the certificate's hash.
    #[serde(
        serialize_with = "serde_bytes::serialize_hash",
        deserialize_with = "serde_bytes::deserialize_hash"
    )]
    pub previous: Hash,
    /// What it records.
    pub content: Content,
}

impl DocumentBody {
    /// The canonical bytes: `DOCUMENT_TAG ‖ postcard(body)` (SPEC.md §13.1).
    pub fn signed_bytes(&self) -> Vec<u8> {
        // Encoded straight after the tag, in one buffer (a journal reader re-encodes every
        // body it reads to check the canonical form).
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(DOCUMENT_TAG);
        postcard::to_extend(self, out).unwrap_or_default()
    }

    /// True when `bytes` are this body's canonical bytes ([`DocumentBody::signed_bytes`]),
    /// compared as the body is encoded: no buffer, and it stops at the first difference
    /// (a journal reader checks every body it reads this way, SPEC.md §13.1).
    fn encodes_to(&self, bytes: &[u8]) -> bool {
        let Some(rest) = bytes.strip_prefix(DOCUMENT_TAG) else {
            return false;
        };
        postcard::serialize_with_flavor(self, Matches { rest }).unwrap_or(false)
    }
}

/// A postcard output that compares what is written with the bytes expected, refusing at the
/// first difference (as a full buffer is refused): [`DocumentBody::encodes_to`].
struct Matches<'a> {
    /// What is still expected.
    rest: &'a [u8],
}

impl postcard::ser_flavors::Flavor for Matches<'_> {
    /// True when everything expected was written.
    type Output = bool;

    #[inline]
    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        let Some((head, rest)) = self.rest.split_at_checked(data.len()) else {
            return Err(postcard::Error::SerializeBufferFull);
        };
        // Most writes are varints of a few bytes: compared inline, where a slice comparison
        // calls `memcmp` for each (2.6 % of a one-core verification in the profile).
        let same = if data.len() <= 16 {
            head.iter().zip(data).fold(0, |diff, (a, b)| diff | (a ^ b)) == 0
        } else {
            head == data
        };
        if !same {
            return Err(postcard::Error::SerializeBufferFull);
        }
        self.rest = rest;
        Ok(())
    }

    #[inline]
    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        match self.rest.split_first() {
            Some((&b, rest)) if b == data => {
                self.rest = rest;
                Ok(())
            }
            _ => Err(postcard::Error::SerializeBufferFull),
        }
    }

    fn finalize(self) -> postcard::Result<bool> {
        Ok(self.rest.is_empty())
    }
}

/// An issued document: body, the device's signature and the fiscal ID derived from them.
/// Built only by signing (the device) or by reading bytes (a verifier, who must still check
/// the signature with [`Document::verify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    body: DocumentBody,
    bytes: Vec<u8>,
    signature: Signature,
    /// The signature's nonce point R (SPEC.md §13.2, v3): not part of the fiscal ID (r is,
    /// and r = R.x mod n), but checked with the signature, so a document has one valid
    /// journal line.
    nonce: NoncePoint,
    id: FiscalId,
}

fn fiscal_id(bytes: &[u8], signature: &Signature) -> FiscalId {
    FiscalId(crypto::sha256(&[FISCAL_ID_TAG, bytes, &signature.0]))
}

impl Document {
    pub(crate) fn sign(body: DocumentBody, key: &PrivateKey) -> Document {
        let bytes = body.signed_bytes();
        let (signature, nonce) = key.sign_with_nonce(&bytes);
        let id = fiscal_id(&bytes, &signature);
        Document {
            body,
            bytes,
            signature,
            nonce,
            id,
        }
    }

    /// Reads a document from its canonical bytes, signature r ‖ s and nonce point (SPEC.md
    /// §13.2). The signature is not checked here (nor r = R.x mod n): call
    /// [`Document::verify`].
    pub fn from_parts(
        bytes: &[u8],
        signature: Signature,
        nonce: NoncePoint,
    ) -> Result<Document, Error> {
        Document::from_owned(bytes.to_vec(), signature, nonce)
    }

    /// [`Document::from_parts`] keeping `bytes` (a journal reader decodes them into their own
    /// buffer: no second copy).
    fn from_owned(
        bytes: Vec<u8>,
        signature: Signature,
        nonce: NoncePoint,
    ) -> Result<Document, Error> {
        let bad = |why: &str| Error::InvalidDocument(alloc::string::ToString::to_string(why));
        let rest = bytes
            .strip_prefix(DOCUMENT_TAG)
            .ok_or_else(|| bad("the bytes do not start with the document tag"))?;
        let body: DocumentBody = match postcard::take_from_bytes(rest) {
            Ok((body, [])) => body,
            Ok(_) => return Err(bad("bytes left after the document")),
            Err(e) => return Err(bad(&alloc::format!("not a document body: {e}"))),
        };
        // Re-encoding must give the same bytes: one document, one encoding.
        if !body.encodes_to(&bytes) {
            return Err(bad("the bytes are not in canonical form"));
        }
        let id = fiscal_id(&bytes, &signature);
        Ok(Document {
            body,
            bytes,
            signature,
            nonce,
            id,
        })
    }

    /// The signed content.
    pub fn body(&self) -> &DocumentBody {
        &self.body
    }

    /// The document number (NM-03).
    pub fn number(&self) -> u64 {
        self.body.number
    }

    /// The canonical bytes that were signed.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The device's signature, r ‖ s: what a standard ECDSA verifier checks.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The signature's nonce point R (SPEC.md §13.2, v3).
    pub fn nonce_point(&self) -> &NoncePoint {
        &self.nonce
    }

    /// The fiscal ID (NM-02).
    pub fn id(&self) -> FiscalId {
        self.id
    }

    /// True when the signature is the device's (`key` from its certificate), with the right
    /// nonce point (SPEC.md §13.2).
    pub fn verify(&self, key: &PublicKey) -> bool {
        key.verify_with_nonce(&self.bytes, &self.signature, &self.nonce)
    }

    /// True when r ‖ s is `key`'s low-S signature of the signed bytes, by the build's fast
    /// provider (`ring` or `p256`), the nonce point left aside: whether the *content* is the
    /// device's, which is all a device asks of a document supplied to it (a referenced receipt,
    /// the next pending document). Verifiers use [`Document::verify`], which checks R too.
    pub(crate) fn authentic(&self, key: &PublicKey) -> bool {
        key.verify(&self.bytes, &self.signature)
    }

    /// What a batch check of this document's signature needs: the hash of its signed bytes,
    /// r ‖ s and the nonce point.
    #[cfg(feature = "json")]
    pub(crate) fn signature_item(&self) -> (crypto::Hash, Signature, NoncePoint) {
        (crypto::sha256(&[&self.bytes]), self.signature, self.nonce)
    }

    /// The journal line (SPEC.md §13.5): one JSON object, no line break.
    pub fn to_journal_line(&self) -> String {
        alloc::format!(
            r#"{{"number":{},"id":"{}","body":"{}","signature":"{}{}"}}"#,
            self.body.number,
            self.id.long(),
            hex::encode(&self.bytes),
            hex::encode(self.nonce.0),
            hex::encode(&self.signature.0[32..])
        )
    }

    /// Reads a journal line: exactly the form [`Document::to_journal_line`] writes (SPEC.md
    /// §13.5). The declared `number` and `id` must match the body and the computed ID; the
    /// signature is not checked here.
    ///
    /// A line with a member repeated (`{"number":7,"number":7,…}`) is refused as
    /// `duplicate_member` rather than `invalid_document`: it reads two ways (PK-11, SPEC.md
    /// §8.3); this needs the `json` feature.
    pub fn from_journal_line(line: &str) -> Result<Document, Error> {
        let parts = JournalLine::split(line).map_err(|e| journal_refusal(line, e))?;
        let bad = |why: String| Error::InvalidDocument(why);
        let mut bytes = alloc::vec![0u8; parts.body.len() / 2];
        crate::hex_text::decode(parts.body.as_bytes(), &mut bytes)
            .ok_or_else(|| bad("the body is not hexadecimal".into()))?;
        let mut sig = [0u8; SIGNATURE_LEN];
        crate::hex_text::decode(parts.signature.as_bytes(), &mut sig)
            .ok_or_else(|| bad("the signature is not 96 bytes of hexadecimal".into()))?;
        let (nonce, s) = sig.split_at(64);
        let mut point = [0u8; 64];
        point.copy_from_slice(nonce);
        let nonce = NoncePoint(point);
        // r = R.x mod n (SPEC.md §13.2): what the fiscal ID hashes. Whether R is a point is
        // the signature check's question (`bad_signature`), as for every other bad R.
        let mut rs = [0u8; 64];
        rs[..32].copy_from_slice(&nonce.r());
        rs[32..].copy_from_slice(s);
        let doc = Document::from_owned(bytes, Signature(rs), nonce)?;
        parts.check(&doc)?;
        Ok(doc)
    }
}

/// The bytes of a journal line's signature (SPEC.md §13.2, §13.5): R.x ‖ R.y ‖ s.
const SIGNATURE_LEN: usize = 96;

/// The four members of a document's journal line, split from the exact text a device writes:
/// `{"number":N,"id":"<64 hex>","body":"<hex>","signature":"<192 hex>"}`, N in decimal without
/// leading zeros, hex in lowercase, no spaces, nothing else (SPEC.md §13.5). One line, one
/// spelling: a line a reader accepts is byte for byte the line the device wrote, so two copies
/// of a journal are equal exactly when their documents are.
pub(crate) struct JournalLine<'a> {
    /// The declared number.
    pub(crate) number: u64,
    /// The declared long fiscal ID.
    pub(crate) id: &'a str,
    /// The hex of the signed bytes (lowercase, even length).
    pub(crate) body: &'a str,
    /// The hex of the signature R.x ‖ R.y ‖ s (lowercase, 192 characters).
    pub(crate) signature: &'a str,
}

impl<'a> JournalLine<'a> {
    /// Splits `line`, or says why it is not a journal line (`invalid_document`).
    pub(crate) fn split(line: &'a str) -> Result<JournalLine<'a>, Error> {
        let bad = |why: &str| Error::InvalidDocument(alloc::format!("not a journal line: {why}"));
        if line.len() > MAX_JOURNAL_LINE {
            return Err(Error::InvalidDocument(alloc::format!(
                "the line is longer than {MAX_JOURNAL_LINE} bytes"
            )));
        }
        let rest = line
            .strip_prefix(r#"{"number":"#)
            .ok_or_else(|| bad(r#"it must start with {"number":"#))?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (n, rest) = rest.split_at(digits);
        if n.is_empty() || (n.len() > 1 && n.starts_with('0')) {
            return Err(bad(
                "the number is not a decimal number without leading zeros",
            ));
        }
        let number: u64 = n
            .parse()
            .map_err(|_| bad("the number is larger than a document number can be"))?;
        let (id, rest) =
            member(rest, r#","id":""#).ok_or_else(|| bad("no \"id\" after the number"))?;
        let (body, rest) =
            member(rest, r#"","body":""#).ok_or_else(|| bad("no \"body\" after the id"))?;
        let (signature, rest) = member(rest, r#"","signature":""#)
            .ok_or_else(|| bad("no \"signature\" after the body"))?;
        if rest != r#""}"# {
            return Err(bad("the line must end with the signature and \"}"));
        }
        let lower_hex = |t: &str| crate::hex_text::is_lower(t.as_bytes());
        if !lower_hex(body) || body.len() % 2 != 0 {
            return Err(Error::InvalidDocument(
                "the body is not lowercase hexadecimal".into(),
            ));
        }
        if signature.len() == 128 && lower_hex(signature) {
            return Err(Error::InvalidDocument(
                "the signature is r ‖ s alone: a version 2 journal line (this verifier reads version 3, whose signature carries its nonce point R, SPEC.md §13.2)".into(),
            ));
        }
        if !lower_hex(signature) || signature.len() != 2 * SIGNATURE_LEN {
            return Err(Error::InvalidDocument(
                "the signature is not 96 bytes of lowercase hexadecimal (R.x, R.y, s)".into(),
            ));
        }
        Ok(JournalLine {
            number,
            id,
            body,
            signature,
        })
    }

    /// The declared number and ID against the document read from the body and signature.
    pub(crate) fn check(&self, doc: &Document) -> Result<(), Error> {
        if doc.number() != self.number {
            return Err(Error::InvalidDocument(alloc::format!(
                "the line says number {} but the document is number {}",
                self.number,
                doc.number()
            )));
        }
        // The declared ID must be the long form exactly (lowercase), as `FiscalId::long` writes.
        let mut id = [0u8; 64];
        let written = hex::encode_to_slice(doc.id().0, &mut id).is_ok();
        if !written || id[..] != *self.id.as_bytes() {
            return Err(Error::WrongFiscalId {
                number: doc.number(),
            });
        }
        Ok(())
    }
}

/// Longest path of a repeated member named in an error about a journal line or certificate:
/// a hostile name can be as long as the line, and findings are kept.
#[cfg(feature = "json")]
pub(crate) const MAX_SHOWN_PATH: usize = 64;

/// Why a journal line (a document's or the certificate's) is refused, given the strict
/// reader's reason `e`: a line that is JSON with a member repeated is refused as
/// `duplicate_member` instead, so that a line that reads two ways is told apart from a
/// mis-spelled one (PK-11, SPEC.md §8.3, §13.5). Only refused lines pay for this second
/// reading, and not beyond `MAX_JOURNAL_LINE`. Without the `json` feature there is no JSON
/// reader: `e` stands.
pub(crate) fn journal_refusal(line: &str, e: Error) -> Error {
    #[cfg(feature = "json")]
    if line.len() <= MAX_JOURNAL_LINE {
        if let Some(d) = crate::strict_json::duplicate_in(line) {
            return Error::DuplicateMember {
                path: d.dotted_short(MAX_SHOWN_PATH),
            };
        }
    }
    #[cfg(not(feature = "json"))]
    let _ = line;
    e
}

/// `rest` must start with `key`; returns the text up to the next `"` and what follows it
/// (from that quote on).
fn member<'a>(rest: &'a str, key: &str) -> Option<(&'a str, &'a str)> {
    let rest = rest.strip_prefix(key)?;
    let end = rest.find('"')?;
    Some(rest.split_at(end))
}

#[cfg(all(test, feature = "json"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::error::ErrorCode;

    fn line() -> (Document, String) {
        let body = DocumentBody {
            number: 7,
            time: Timestamp(1_800_000_000_000),
            shift: 2,
            shift_receipt: 0,
            previous: [5; 32],
            content: Content::OpenShift,
        };
        let doc = Document::sign(body, &PrivateKey::from_seed(b"duplicate members"));
        let line = doc.to_journal_line();
        (doc, line)
    }

    #[test]
    fn a_body_encodes_to_exactly_its_signed_bytes_and_nothing_else() {
        // The comparing encoder against the second method, encoding into a buffer and
        // comparing: every one-byte change, every cut and an extra byte at the end.
        let (doc, _) = line();
        let body = doc.body();
        let bytes = body.signed_bytes();
        assert!(body.encodes_to(&bytes));
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[i] ^= 0x01;
            assert!(!body.encodes_to(&changed), "byte {i} changed");
            assert!(!body.encodes_to(&bytes[..i]), "cut at {i}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!body.encodes_to(&longer));
        // A different body (another number) encodes to other bytes.
        let other = DocumentBody {
            number: 8,
            ..body.clone()
        };
        assert!(!other.encodes_to(&bytes));
        assert!(other.encodes_to(&other.signed_bytes()));
    }

    #[test]
    fn a_journal_line_with_a_repeated_member_is_refused_as_duplicate_member() {
        // PK-11, SPEC.md §8.3: refused before (one spelling, §13.5), now for the right reason.
        let (doc, line) = line();
        assert_eq!(Document::from_journal_line(&line).as_ref(), Ok(&doc));
        let id = doc.id().long();
        for (case, path) in [
            (
                line.replace("{\"number\":7,", "{\"number\":7,\"number\":7,"),
                "number",
            ),
            (
                line.replace(",\"id\":", ",\"\\u0069d\":\"x\",\"id\":"),
                "id",
            ),
            (
                line.replace('}', &alloc::format!(",\"id\":\"{id}\"}}")),
                "id",
            ),
            (line.replace('}', ",\"x\":{\"y\":1,\"y\":1}}"), "x.y"),
        ] {
            let read = Document::from_journal_line(&case);
            assert_eq!(
                read,
                Err(Error::DuplicateMember { path: path.into() }),
                "{case}"
            );
            let e = read.unwrap_err();
            assert_eq!(e.code(), ErrorCode::DuplicateMember);
            assert_eq!(
                e.to_string(),
                alloc::format!("the member \"{path}\" appears twice: the text reads two ways")
            );
        }
        // Other faults keep their reason: a line that is not JSON, or JSON without a repeat.
        for case in [
            line.replace("{\"number\":7,", "{\"number\":7,\"number\":7"),
            line.replace("\"number\":7", "\"number\":8"),
            line.replace('}', ",\"extra\":1}"),
        ] {
            assert!(
                matches!(
                    Document::from_journal_line(&case),
                    Err(Error::InvalidDocument(_))
                ),
                "{case}"
            );
        }
    }
}
