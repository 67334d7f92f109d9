//! The readable description of what the engine produces (SPEC.md §8.5), defined once here so
//! that every binding hands out the same JSON bytes: a document ([`document`]), a shift report
//! ([`shift_report`]), a journal report and its findings ([`journal_report`], [`finding`]),
//! the device's warnings ([`warning`]), its status ([`device_status`]), an error with its problems ([`error`], [`problem`],
//! and [`refusal`] for a binding's own) and the verdict on one document ([`verdict`]).
//!
//! The form, the same for every value:
//! - members in alphabetical order (serde_json's map is ordered by key), every member present,
//!   an absent option `null`, so one value always gives the same text;
//! - decimals as strings with exactly their scale (`"1.20"`), as in SPEC.md §13.6, so no
//!   reader turns money into a binary float;
//! - a moment twice: `…_ms`, milliseconds since the epoch (exact, for programs) and the
//!   ISO 8601 text in Baku's zone, with milliseconds when there are any (for people);
//! - kinds and categories by their stable names (`sale`, `money_back`, `vat_margin`), never
//!   Rust names.
//!
//! One exception: a receipt's `content` is the request in its own JSON form (SPEC.md §8.4),
//! the one a POS sends, whose amounts are JSON numbers written with their scale.

mod document;
mod error;
mod journal;
mod reading;
mod report;
mod status;
mod warning;

use alloc::string::{String, ToString};
use core::fmt::Display;

use serde_json::Value;

use crate::Timestamp;

pub use document::{amounts, document, Amounts};
pub use error::{error, problem, refusal, verdict};
pub use journal::{finding, journal_report};
pub use reading::{notice, reading};
pub use report::shift_report;
pub use status::device_status;
pub use warning::warning;

/// A decimal as a JSON string with exactly its scale: `Amount` 1.2 with scale 2 is `"1.20"`.
fn decimal(value: impl Display) -> Value {
    Value::String(value.to_string())
}

/// A moment as ISO 8601 text in Baku's zone, with milliseconds only when there are any:
/// `2026-11-23T09:30:15+04:00`, `2026-11-23T09:30:15.123+04:00`.
pub fn iso_time(t: Timestamp) -> String {
    let text = t.to_string();
    let ms = t.millis().rem_euclid(1000);
    if ms == 0 {
        return text;
    }
    // Display ends with the fixed zone `+04:00`; the fraction goes right before it.
    match text.rsplit_once('+') {
        Some((head, zone)) => alloc::format!("{head}.{ms:03}+{zone}"),
        None => text,
    }
}
