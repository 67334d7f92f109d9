//! The JSON form of requests: the members and `doc_type` values deployed POS software already
//! sends (spec/FIELD-PRACTICE.md FP-01, FP-07), plus a few additions (SPEC.md §8).
//!
//! Numbers are read from their decimal text, never through a float (`serde_json` keeps the
//! text with `arbitrary_precision`); strings holding decimals are accepted too. Every member
//! is read on its own, so one bad value does not hide the others: all problems are reported.
//! A member repeated in one object is refused before anything is read (PK-11, SPEC.md §8.3).

mod read;
mod to_draft;
mod typed;
mod write;

pub(crate) use read::duplicate_path;
pub(crate) use typed::read as read_typed;

#[cfg(all(test, feature = "std"))]
mod tests;

/// Longest JSON text accepted for one request (SPEC.md §4.1): 4 MiB.
pub const MAX_REQUEST_BYTES: usize = 4 << 20;

/// Most entries in `vatAmounts` (SPEC.md §4.1).
pub const MAX_VAT_AMOUNTS: usize = 64;
